"""Benchmark: the cost of saving one score with 100 and with 100,000 entries already recorded.

Saving a score goes through :meth:`tender.record.recorder.Recorder.record_score`, holding
the author's key as ``tender score --evaluator`` does: the rules, the lock, catching up
with other writers, the score sealed to its readers (the author and the chair), the entry
signed with the author's key, the author's own box opened and checked as the replay reads
it, one fsynced line and the head file. Two goals, and the script exits 1 when one is
missed:

- the cost does not grow with the record: at most 1.5 times as slow with 100,000 entries
  as with 100;
- with ``--baseline PYTHON``, the interpreter of another checkout (in its own virtualenv:
  commit 2616635, from before signatures and sealing, is the one to hold it against), the
  same saves are timed in that checkout too, interleaved with these, and saving one
  score here costs at most 1.5 times what it costs there.

    .venv/bin/python benchmarks/ledger_append.py [--runs 200] [--large 100000]
                                                 [--baseline /tmp/base/.venv/bin/python]

A checkout from before signatures has no keys, sealed scores nor signatures: there this
file records what that checkout records (plain, unsigned scores), so that one script
times both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from unittest import mock

import tender
from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.domain.events import to_record
from tender.io.loader import load_dossier
from tender.io.scaffold import create_dossier
from tender.record.ledger import Head, Ledger
from tender.record.recorder import Recorder

try:
    from tender.domain.keys import MemberKey
    from tender.record.sealing import seal_score, sealed_text

    SIGNED = True
    """Whether this checkout's tender signs entries and seals scores (none did before 2616635)."""
except ImportError:  # a checkout from before signatures: plain, unsigned scores
    SIGNED = False

GOAL = 1.5
WARMUP = 5
BATCH = 10
"""Saves per turn when two checkouts take turns (each save on both records)."""
BID = "bid-001"
EVALUATORS = (
    ("evaluator-1", "First Evaluator", "policy"),
    ("evaluator-2", "Second Evaluator", "execution"),
    ("evaluator-3", "Third Evaluator", "contract-management"),
)
CHAIR = EVALUATORS[0][0]
AUTHOR = EVALUATORS[1][0]
"""Who saves the timed scores: an evaluator who does not chair, whose scores have two readers."""
BID_YAML = """\
bidder:
  name: Benchmark Zorg B.V.
  address: {street: Kerkstraat 1, postal_code: 1234 AB, city: Voorbeeld}
  contact: {name: Anna de Vries, email: anna@benchmark.example}
received: 2026-11-09T10:15:00+01:00
financials: {annual_turnover_eur: 250000}
documents:
  kwaliteitsplan: {file: kwaliteitsplan.pdf}
  uea: {file: uea.pdf}
"""
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

Timing = tuple[float, float]
"""Seconds to save one score, on the clock and on the CPU."""


def member_key(member: str) -> MemberKey:
    """A member's key, derived from their id as the example's are (they are not secret)."""
    seed = hashlib.sha256(f"tender example key:{member}".encode()).digest()
    return MemberKey.from_seed(member, seed)


def make_dossier(root: Path) -> Dossier:
    create_dossier(root)
    members = []
    for person, name, role in EVALUATORS:
        key = f", key: {member_key(person).public}" if SIGNED else ""
        members.append(f"  - {{id: {person}, name: {name}, role: {role}{key}}}\n")
    committee = f"chair: {CHAIR}\nevaluators:\n{''.join(members)}"
    (root / "criteria" / "committee.yaml").write_text(committee, encoding="utf-8")
    folder = root / "submissions" / BID
    folder.mkdir()
    (folder / "bid.yaml").write_text(BID_YAML, encoding="utf-8")
    for name in ("kwaliteitsplan.pdf", "uea.pdf"):
        (folder / name).write_bytes(PDF)
    return load_dossier(root)


def recorder_for(dossier: Dossier, member: str) -> Recorder:
    """The recorder a command acting for ``member`` holds: with that member's key alone."""
    if not SIGNED:
        return Recorder(dossier)
    return Recorder(dossier, keys={member: member_key(member)})


@contextmanager
def _bulk_load() -> Iterator[list[Head]]:
    """Set-up only: no fsync and no head file per entry; the timed appends use neither shortcut."""
    heads: list[Head] = []
    with (
        mock.patch("tender.record.ledger.os.fsync"),
        mock.patch.object(Ledger, "_write_head", lambda ledger, head: heads.append(head)),
    ):
        yield heads


def prefill(dossier: Dossier, count: int) -> None:
    """The opening and a valid chain of ``count - 1`` score entries, as tender writes them.

    The opening goes through the recorder; the scores through the ledger's own append
    (signed by their authors, sealed to their readers), without the recorder's checks.
    """
    evaluators = [person.id for person in dossier.committee.evaluators]
    subs = [sub.id for sub in dossier.award.sub_criteria]
    folder = dossier.root / SCORES_FOLDER
    if SIGNED:
        ledger = Ledger(folder, signers={person: member_key(person) for person in evaluators})
    else:
        ledger = Ledger(folder)
    with _bulk_load() as heads:
        recorder_for(dossier, CHAIR).open_bids(CHAIR, readings={})
        with ledger.transaction() as append:
            for number in range(1, count):
                author = evaluators[number % len(evaluators)]
                score = Decimal(2 * (number % 6))
                motivation = f"Prior score {number}: concrete examples, with whom and how."
                append(
                    author,
                    _score_event(dossier, author, subs[number % len(subs)], score, motivation),
                )
    ledger._write_head(heads[-1])  # the head once, for the whole chain


def _score_event(
    dossier: Dossier, author: str, sub: str, score: Decimal, motivation: str
) -> dict[str, Any]:
    """An individual score's event, with a reason (it changes the author's last score)."""
    if not SIGNED:
        fields = {"score": str(score), "motivation": motivation, "reason": "prefill"}
        return {"kind": "score", "bid": BID, "sub_criterion": sub, **fields}
    text = sealed_text(score, motivation, "prefill")
    return to_record(seal_score(dossier.committee, author, BID, sub, text))


class Bench:
    """Two records, of 100 and of ``large`` entries, and the saves timed on each."""

    def __init__(self, folder: Path, large: int) -> None:
        self.sizes = (100, large)
        self.recorders: list[Recorder] = []
        self.built: list[float] = []
        self.saved = 0
        for prior in self.sizes:
            dossier = make_dossier(folder / f"dossier-{prior}")
            started = time.perf_counter()
            prefill(dossier, prior)
            self.recorders.append(recorder_for(dossier, AUTHOR))
            self.built.append(time.perf_counter() - started)

    def saves(self, rounds: int) -> list[list[Timing]]:
        """Save ``rounds`` scores on each record, alternating which goes first, so that the
        disk's moods (fsync times vary with whatever else the machine writes) fall on both."""
        timings: list[list[Timing]] = [[] for _ in self.sizes]
        for _ in range(rounds):
            self.saved += 1
            order = (0, 1) if self.saved % 2 else (1, 0)
            for index in order:
                timings[index].append(save(self.recorders[index], self.saved))
        return timings


def save(recorder: Recorder, number: int) -> Timing:
    """Seconds to save one score, on the clock and on the CPU (which no disk wait inflates)."""
    started, cpu = time.perf_counter(), time.process_time()
    recorder.record_score(
        AUTHOR,
        BID,
        recorder.dossier.award.sub_criteria[0].id,
        score=Decimal(6 + 2 * (number % 2)),
        motivation=f"Timed score {number}.",
        reason="benchmark",
    )
    return time.perf_counter() - started, time.process_time() - cpu


def parts(dossier: Dossier) -> dict[str, float]:
    """Seconds of the cryptography in one save: sealing to both readers, signing, reading back."""
    key = member_key(AUTHOR)
    text = sealed_text(Decimal(8), "Timed score: concrete examples, with whom and how.", None)
    sub = dossier.award.sub_criteria[0].id
    event = seal_score(dossier.committee, AUTHOR, BID, sub, text)
    message = json.dumps(event.model_dump(mode="json")).encode() + b"x" * 200
    runs = 200
    return {
        "seal": timeit.timeit(
            lambda: seal_score(dossier.committee, AUTHOR, BID, sub, text), number=runs
        )
        / runs,
        "sign": timeit.timeit(lambda: key.sign(message), number=runs) / runs,
        "open": timeit.timeit(lambda: key.open(event.boxes[AUTHOR]), number=runs) / runs,
    }


# --- the other checkout, in a process of its own ---------------------------------------------


def worker(large: int) -> int:
    """Serve a parent timing another checkout: one line of JSON per request on stdin."""
    with tempfile.TemporaryDirectory(prefix="tender-bench-") as folder:
        bench = Bench(Path(folder), large)
        ready = {"signed": SIGNED, "built": bench.built, "tender": _tender_folder()}
        print(json.dumps(ready), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            if request.get("rounds") is None:
                break
            print(json.dumps(bench.saves(int(request["rounds"]))), flush=True)
    return 0


class Remote:
    """A :class:`Bench` in another checkout's interpreter, through :func:`worker`."""

    def __init__(self, python: str, large: int) -> None:
        self.process = subprocess.Popen(
            [python, __file__, "--worker", "--large", str(large)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self._read()
        self.signed: bool = ready["signed"]
        self.built: list[float] = ready["built"]
        self.tender: str = ready["tender"]

    def saves(self, rounds: int) -> list[list[Timing]]:
        self._send({"rounds": rounds})
        return [[(wall, cpu) for wall, cpu in timings] for timings in self._read()]

    def close(self) -> None:
        self._send({})
        self.process.wait(timeout=60)

    def _send(self, request: dict[str, int]) -> None:
        stream: IO[str] | None = self.process.stdin
        assert stream is not None
        stream.write(json.dumps(request) + "\n")
        stream.flush()

    def _read(self) -> Any:
        stream = self.process.stdout
        assert stream is not None
        line = stream.readline()
        if not line:
            raise SystemExit(f"the baseline's worker stopped (exit {self.process.wait()})")
        return json.loads(line)


def _tender_folder() -> str:
    """The checkout whose tender this process runs."""
    return str(Path(tender.__file__).resolve().parent.parent)


# --- the report ------------------------------------------------------------------------------


def summary(
    title: str, sizes: Sequence[int], timings: Sequence[list[Timing]], built: Sequence[float]
) -> list[float]:
    """Print one checkout's table; its median seconds per size."""
    print(f"{title}:")
    print(f"  {'prior entries':>13}  {'median':>9}  {'p90':>9}  {'CPU median':>10}  {'set-up':>6}")
    medians, cpus = [], []
    for prior, spent, took in zip(sizes, timings, built, strict=True):
        wall = [elapsed for elapsed, _ in spent]
        median, p90 = statistics.median(wall), statistics.quantiles(wall, n=10)[-1]
        cpu = statistics.median(used for _, used in spent)
        medians.append(median)
        cpus.append(cpu)
        print(
            f"  {prior:>13,}  {median * 1e3:>6.3f} ms  {p90 * 1e3:>6.3f} ms  "
            f"{cpu * 1e3:>7.3f} ms  {took:>4.1f} s"
        )
    ratio = medians[1] / medians[0]
    print(
        f"  {sizes[1]:,} vs {sizes[0]:,} prior entries: {ratio:.2f}x on the clock, "
        f"{cpus[1] / cpus[0]:.2f}x on the CPU (goal <= {GOAL}x): "
        f"{'met' if ratio <= GOAL else 'MISSED'}"
    )
    return medians


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="saves timed per size")
    parser.add_argument("--large", type=int, default=100_000, help="entries in the large record")
    parser.add_argument(
        "--baseline",
        metavar="PYTHON",
        help="another checkout's interpreter: time the same saves there, interleaved",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        return worker(options.large)
    if options.runs < 2:
        parser.error("--runs must be at least 2")
    with tempfile.TemporaryDirectory(prefix="tender-bench-") as folder:
        here = Bench(Path(folder), options.large)
        other = Remote(options.baseline, options.large) if options.baseline else None
        sizes = here.sizes
        mine: list[list[Timing]] = [[] for _ in sizes]
        theirs: list[list[Timing]] = [[] for _ in sizes]
        here.saves(WARMUP)
        if other is not None:
            other.saves(WARMUP)
        done = 0
        while done < options.runs:
            rounds = min(BATCH, options.runs - done)
            for kept, bench in ((mine, here), (theirs, other)):
                if bench is not None:
                    for size, timings in zip(kept, bench.saves(rounds), strict=True):
                        size.extend(timings)
            done += rounds
        if other is not None:
            other.close()
        pieces = parts(here.recorders[0].dossier) if SIGNED else None
    kind = "signed and sealed" if SIGNED else "plain"
    print(f"Saving one score (Recorder.record_score), {options.runs} saves per size, interleaved")
    medians = summary(f"{_tender_folder()} ({kind} scores)", sizes, mine, here.built)
    met = medians[1] / medians[0] <= GOAL
    if pieces is not None:
        print(
            f"  of which cryptography (CPU, in-process): sealing to 2 readers "
            f"{pieces['seal'] * 1e3:.3f} ms, signing {pieces['sign'] * 1e3:.3f} ms, "
            f"opening the author's box {pieces['open'] * 1e3:.3f} ms"
        )
    if other is not None:
        kind = "signed and sealed" if other.signed else "plain"
        base = summary(f"baseline: {other.tender} ({kind} scores)", sizes, theirs, other.built)
        for prior, new, old in zip(sizes, medians, base, strict=True):
            ratio = new / old
            met = met and ratio <= GOAL
            print(
                f"  {prior:>7,} prior entries: {new * 1e3:.3f} ms here vs {old * 1e3:.3f} ms "
                f"baseline = {ratio:.2f}x (goal <= {GOAL}x): {'met' if ratio <= GOAL else 'MISSED'}"
            )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
