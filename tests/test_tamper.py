"""Any change to the record, byte or line, is caught by ``tender verify``, at the right line.

A small record (a score, its change, the phase, a consensus score) is changed
in every way a person with a text editor could: each byte set to other values,
each line deleted, duplicated or swapped with the next, the end cut off. The
first bad entry is the line holding the change, and ``tender verify`` exits 3
naming it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result

from tender.disclosure import check_record
from tender.errors import RecordDamagedError
from tender.ledger import Ledger
from tender.scoring import Recorder
from tests.conftest import DossierFactory
from tests.scoring_fixtures import CHAIR, committee_dossier

Run = Callable[..., Result]
# Values a changed byte takes: line breaks, JSON structure and whitespace, digits, and
# bytes that are not UTF-8 on their own.
REPLACEMENTS = (b"\n", b"\r", b" ", b'"', b"}", b"0", b"9", b"\\", b"\x00", b"\xc3", b"\xff")


@pytest.fixture
def record(make_dossier: DossierFactory) -> Path:
    """A dossier with a four-entry record; returns its root."""
    dossier = committee_dossier(make_dossier)
    recorder = Recorder(dossier)
    recorder.record_score(
        "evaluator-2", "bid-001", "criterion-1", score=Decimal(8), motivation="Cliënt"
    )
    recorder.record_score(
        "evaluator-2", "bid-001", "criterion-1", score=Decimal(6), motivation="b", reason="r"
    )
    recorder.change_phase(CHAIR, "consensus", force_reason="test")
    recorder.record_consensus(CHAIR, "bid-001", "criterion-1", score=Decimal(6), motivation="c")
    return dossier.root


def lines_of(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def line_at(data: bytes, position: int) -> int:
    """The 1-based line holding byte ``position`` (a line's break belongs to it)."""
    return data[:position].count(b"\n") + 1


def byte_changes(data: bytes) -> Iterator[tuple[bytes, int]]:
    for position, original in enumerate(data):
        for value in REPLACEMENTS:
            if value[0] != original:
                yield data[:position] + value + data[position + 1 :], line_at(data, position)
        yield (
            data[:position] + bytes([original ^ 0x01]) + data[position + 1 :],
            line_at(data, position),
        )


def line_changes(data: bytes) -> Iterator[tuple[str, bytes, int]]:
    lines = lines_of(data)
    count = len(lines)
    for index in range(count):
        number = index + 1
        yield f"delete line {number}", b"".join(lines[:index] + lines[index + 1 :]), number
        yield (
            f"repeat line {number}",
            b"".join(lines[: index + 1] + lines[index:]),
            number + 1,
        )
        if index + 1 < count:
            swapped = [*lines[:index], lines[index + 1], lines[index], *lines[index + 2 :]]
            yield f"swap lines {number} and {number + 1}", b"".join(swapped), number
    for cut in range(1, count + 1):
        yield f"cut the last {cut} lines", b"".join(lines[: count - cut]), count - cut + 1
    last = lines[-1]
    for keep in (1, len(last) // 2, len(last) - 1):
        yield f"cut the last line to {keep} bytes", b"".join([*lines[:-1], last[:keep]]), count


def first_bad_line(root: Path, data: bytes) -> int | None:
    (root / "scores" / "ledger.jsonl").write_bytes(data)
    try:
        check_record(root)
    except RecordDamagedError as error:
        return error.line
    return None


def test_every_changed_byte_is_caught_at_its_line(record: Path) -> None:
    pristine = (record / "scores" / "ledger.jsonl").read_bytes()
    missed = []
    count = 0
    for changed, line in byte_changes(pristine):
        count += 1
        found = first_bad_line(record, changed)
        if found != line:
            missed.append((changed, line, found))
    assert not missed, f"{len(missed)} of {count} changes not caught at their line: {missed[:3]}"
    assert count > 10 * len(pristine)


def test_every_changed_line_is_caught_at_the_first_bad_one(record: Path) -> None:
    pristine = (record / "scores" / "ledger.jsonl").read_bytes()
    for what, changed, line in line_changes(pristine):
        assert first_bad_line(record, changed) == line, what


def test_tender_verify_names_the_line_for_every_kind_of_change(record: Path, run_cli: Run) -> None:
    ledger = record / "scores" / "ledger.jsonl"
    pristine = ledger.read_bytes()
    variants = []
    for position, original in enumerate(pristine):
        # One value per byte, in turn (the test above tries every value on every byte).
        value = REPLACEMENTS[position % len(REPLACEMENTS)]
        value = bytes([original ^ 0x01]) if value[0] == original else value
        changed = pristine[:position] + value + pristine[position + 1 :]
        variants.append((f"byte {position} to {value!r}", changed, line_at(pristine, position)))
    variants += list(line_changes(pristine))
    for what, changed, line in variants:
        ledger.write_bytes(changed)
        result = run_cli("verify", "--dossier", str(record))
        assert result.exit_code == 3, what
        assert result.stderr.startswith(f"error: scores/ledger.jsonl:{line}: "), (
            what,
            result.stderr,
        )
        assert result.stdout == ""
    assert len(variants) > len(pristine)


def test_a_clean_record_verifies_and_prints_its_head(record: Path, run_cli: Run) -> None:
    result = run_cli("verify", "--dossier", str(record))

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "✓ scores/ledger.jsonl: 4 entries, the hash chain and the head agree.",
        f"Last entry 4, hash {Ledger(record / 'scores').entries()[-1].hash}",
    ]


@pytest.mark.parametrize(
    ("head", "line", "problem"),
    [
        ('{"seq": 3, "hash": "HASH4"}', 3, "entry 3 is not the one the head recorded"),
        ('{"seq": 4, "hash": "0000"}', 4, "entry 4 is not the one the head recorded"),
        ('{"seq": 6, "hash": "HASH4"}', 5, "entries 5 to 6 are missing (the head says 6)"),
        (
            '{"seq": 2, "hash": "HASH2"}',
            3,
            "entries 3 to 4 were added outside tender (the head says 2)",
        ),
        ("{'seq': 4}", 1, "the head file is not readable"),
    ],
)
def test_a_changed_head_is_caught(
    record: Path, run_cli: Run, head: str, line: int, problem: str
) -> None:
    entries = Ledger(record / "scores").entries()
    (record / "scores" / "ledger.head").write_text(
        head.replace("HASH4", entries[3].hash).replace("HASH2", entries[1].hash) + "\n",
        encoding="utf-8",
    )

    result = run_cli("verify", "--dossier", str(record), "--json")

    assert result.exit_code == 3
    file = "scores/ledger.head" if "head file" in problem else "scores/ledger.jsonl"
    assert json.loads(result.output) == {
        "ok": False,
        "file": file,
        "line": line,
        "problem": problem,
    }
