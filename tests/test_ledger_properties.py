"""A ledger that stays open (a recorder during a scoring session) sees what a fresh reader sees.

Property-based (hypothesis): one long-running ledger takes in entries and appends its own
while another writer appends, and the record is tampered with between its steps (lines
added outside tender, the head moved back or forward or given a wrong hash, a torn last
line, the record cut back to an earlier state with a matching head). The running ledger
keeps only a window of the entries it read, so after every step:

- when a fresh reader refuses the record, the running ledger refuses it with the same
  message; when the record was cut back behind what the running ledger read, it refuses
  it although a fresh reader would not; otherwise it accepts it, as a fresh reader does;
- the entries it handed out are entries 1, 2, 3... of the record, each exactly once, and
  the same entries (by hash) as the record holds; a refused step appended nothing. (After
  a refusal the process stops, as tender's commands do: the ledger is not used again.)

At the end, with the head put right, the running ledger has handed out every entry.

The writers' clock moves on with every entry, as a machine's does (the tests' fixed clock
would let a record cut back and written again come out byte for byte as it was, which no
reader could tell from the record it read).
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tender.domain.errors import RecordDamagedError
from tender.record.ledger import GENESIS, Head, Ledger, encode_entry, encode_head
from tests.conftest import TODAY

Outcome = tuple[str, str | None]
WRITER_OPS = (
    *("other writes", "other writes", "new other writer", "take in", "take in"),
    *("append", "append", "append without taking in"),
)
TAMPER_OPS = (
    *("lines added outside", "head back", "head forward", "head wrong hash"),
    *("torn line", "head removed", "head put right", "cut back", "cut back"),
)


_TICKS = itertools.count()


def ticking() -> datetime:
    """A moment one microsecond after the one before: every entry is written at its own time."""
    return TODAY + timedelta(microseconds=next(_TICKS))


def writer(folder: Path) -> Ledger:
    return Ledger(folder, clock=ticking)


def event(number: int) -> dict[str, object]:
    return {"kind": "note", "n": number}


def lines(folder: Path) -> list[dict[str, object]]:
    path = folder / "ledger.jsonl"
    if not path.exists():
        return []
    return [json.loads(raw) for raw in path.read_bytes().split(b"\n")[:-1]]


def fresh_read(folder: Path) -> Outcome:
    try:
        Ledger(folder).entries()
    except RecordDamagedError as error:
        return ("refused", str(error))
    return ("accepted", None)


def set_head(folder: Path, seq: int, digest: str | None = None) -> None:
    held = lines(folder)
    if digest is None:
        digest = str(held[seq - 1]["hash"]) if 0 < seq <= len(held) else "f" * 64
    (folder / "ledger.head").write_text(encode_head(Head(seq, digest)), encoding="utf-8")


def add_outside(folder: Path, count: int) -> None:
    path = folder / "ledger.jsonl"
    data = path.read_bytes() if path.exists() else b""
    path.write_bytes(data[: data.rfind(b"\n") + 1])  # a torn tail would hide the lines
    held = lines(folder)
    previous = str(held[-1]["hash"]) if held else GENESIS
    seq = len(held)
    with path.open("ab") as stream:
        for _ in range(count):
            seq += 1
            body = {
                "seq": seq,
                "at": "2026-11-20T09:30:00.000000+00:00",
                "by": "outsider",
                "account": "x@y",
                "event": event(seq),
                "prev": previous,
            }
            previous, line = encode_entry(body)
            stream.write(line)


def other_writes(ledger: Ledger, folder: Path, count: int) -> Ledger:
    """The other writer appends (a new one, if it had read entries that were cut back since)."""
    try:
        with ledger.transaction() as add:
            for number in range(count):
                add("other", event(number))
    except RecordDamagedError:
        return other_writes(writer(folder), folder, count)
    return ledger


def head_back(folder: Path, size: int, count: int) -> None:
    set_head(folder, max(0, size - count), None if count < size else GENESIS)


def head_wrong_hash(folder: Path, size: int, count: int) -> None:
    if size:
        set_head(folder, max(1, size - count + 1), "a" * 64)


def torn_line(folder: Path, _size: int, _count: int) -> None:
    with (folder / "ledger.jsonl").open("ab") as stream:
        stream.write(b'{"seq":99,"at":')


TAMPERING: dict[str, Callable[[Path, int, int], None]] = {
    "lines added outside": lambda folder, _size, count: add_outside(folder, count),
    "head back": head_back,
    "head forward": lambda folder, size, count: set_head(folder, size + count),
    "head wrong hash": head_wrong_hash,
    "torn line": torn_line,
    "head removed": lambda folder, _size, _count: (folder / "ledger.head").unlink(missing_ok=True),
    "head put right": lambda folder, size, _count: set_head(
        folder, size, None if size else GENESIS
    ),
}


def cut_back(folder: Path, keep: int) -> None:
    path = folder / "ledger.jsonl"
    raw = path.read_bytes().split(b"\n")[:-1]
    path.write_bytes(b"".join(line + b"\n" for line in raw[:keep]))
    set_head(folder, keep, None if keep else GENESIS)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(WRITER_OPS + TAMPER_OPS), st.integers(1, 3)),
        min_size=1,
        max_size=30,
    )
)
def test_a_running_ledger_agrees_with_a_fresh_reader(steps: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name) / "scores"
        folder.mkdir()
        running, other = writer(folder), writer(folder)
        handed: list[tuple[int, str]] = []
        reached = 0  # the most entries the running ledger has read or written
        forked = False  # the record was cut back behind them: it refuses from then on
        stopped = False  # refused once: a process stops using a ledger that refused

        def take_in() -> None:
            for entry in running.new_entries(after=len(handed)):
                handed.append((entry.seq, entry.hash))

        def append(count: int, *, taking_in: bool) -> None:
            with running.transaction() as add:
                if taking_in:
                    take_in()
                for number in range(count):
                    entry = add("running", event(number))
                    if taking_in:
                        handed.append((entry.seq, entry.hash))

        running_steps: dict[str, Callable[[int], None]] = {
            "take in": lambda _: take_in(),
            "append": lambda count: append(count, taking_in=True),
            "append without taking in": lambda count: append(count, taking_in=False),
        }

        def step_of_running(op: str, count: int) -> None:
            nonlocal reached, stopped
            expected, size = fresh_read(folder), len(lines(folder))
            try:
                running_steps[op](count)
                outcome: Outcome = ("accepted", None)
            except RecordDamagedError as error:
                outcome = ("refused", str(error))
            if forked:
                assert outcome[0] == "refused", (op, "cut back, yet accepted")
            else:
                assert outcome == expected, op
            if outcome[0] == "refused":
                assert len(lines(folder)) == size, (op, "refused, yet appended")
                stopped = True
            else:
                reached = len(lines(folder))

        for op, count in steps:
            size = len(lines(folder))
            if op in running_steps:
                if not stopped:
                    step_of_running(op, count)
            elif op == "other writes" and fresh_read(folder)[0] == "accepted":
                other = other_writes(other, folder, count)
            elif op == "new other writer":
                other = writer(folder)
            elif op == "cut back" and size:
                cut_back(folder, max(0, size - count))
                forked = forked or max(0, size - count) < reached
            elif op in TAMPERING:
                TAMPERING[op](folder, size, count)
            held = lines(folder)
            assert [seq for seq, _ in handed] == list(range(1, len(handed) + 1)), op
            if not (forked or stopped):
                assert [(line["seq"], line["hash"]) for line in held[: len(handed)]] == handed

        if not (forked or stopped):
            held = lines(folder)
            set_head(folder, len(held), None if held else GENESIS)
            take_in()
            assert handed == [(line["seq"], line["hash"]) for line in held]
