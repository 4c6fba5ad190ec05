"""Benchmark: the cost of saving one score with 100 and with 100,000 entries already recorded.

Saving a score goes through :meth:`tender.record.recorder.Recorder.record_score`: the
rules, the lock, catching up with other writers, one fsynced line and the head
file. Its cost must not grow with the record (goal: at most 1.5 times as slow
with 100,000 entries as with 100). Exits 1 when the goal is missed.

    .venv/bin/python benchmarks/ledger_append.py [--runs 200] [--large 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from unittest import mock

from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.io.loader import load_dossier
from tender.io.scaffold import create_dossier
from tender.record.ledger import Head, Ledger
from tender.record.recorder import Recorder

GOAL = 1.5
BID = "bid-001"
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


def make_dossier(root: Path) -> Dossier:
    create_dossier(root)
    folder = root / "submissions" / BID
    folder.mkdir()
    (folder / "bid.yaml").write_text(BID_YAML, encoding="utf-8")
    for name in ("kwaliteitsplan.pdf", "uea.pdf"):
        (folder / name).write_bytes(PDF)
    return load_dossier(root)


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
    """A valid chain of ``count`` score entries, written by the ledger's own append."""
    evaluators = [person.id for person in dossier.committee.evaluators]
    subs = [sub.id for sub in dossier.award.sub_criteria]
    ledger = Ledger(dossier.root / SCORES_FOLDER)
    with _bulk_load() as heads, ledger.transaction() as append:
        for number in range(count):
            event = {
                "kind": "score",
                "bid": BID,
                "sub_criterion": subs[number % len(subs)],
                "score": str(2 * (number % 6)),
                "motivation": f"Prior score {number}: concrete examples, with whom and how.",
                "reason": "prefill",
            }
            append(evaluators[number % len(evaluators)], event)
    ledger._write_head(heads[-1])  # the head once, for the whole chain


def save(recorder: Recorder, number: int) -> tuple[float, float]:
    """Seconds to save one score, on the clock and on the CPU (which no disk wait inflates)."""
    started, cpu = time.perf_counter(), time.process_time()
    recorder.record_score(
        recorder.dossier.committee.evaluators[0].id,
        BID,
        recorder.dossier.award.sub_criteria[0].id,
        score=Decimal(6 + 2 * (number % 2)),
        motivation=f"Timed score {number}.",
        reason="benchmark",
    )
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="saves timed per size")
    parser.add_argument("--large", type=int, default=100_000, help="entries in the large record")
    options = parser.parse_args()
    sizes = (100, options.large)
    with tempfile.TemporaryDirectory(prefix="tender-bench-") as folder:
        recorders, built = [], []
        for prior in sizes:
            dossier = make_dossier(Path(folder) / f"dossier-{prior}")
            started = time.perf_counter()
            prefill(dossier, prior)
            recorders.append(Recorder(dossier))
            built.append(time.perf_counter() - started)
        timings: list[list[tuple[float, float]]] = [[] for _ in sizes]
        # Saves alternate between the records, so that the disk's moods (fsync times vary
        # with whatever else the machine is writing) fall on both alike.
        for number in range(options.runs + 5):
            order = (0, 1) if number % 2 else (1, 0)
            for index in order:
                saved = save(recorders[index], number)
                if number >= 5:
                    timings[index].append(saved)
    print(f"Saving one score (Recorder.record_score), {options.runs} saves per size, interleaved:")
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
        f"  ratio {ratio:.2f}x on the clock, {cpus[1] / cpus[0]:.2f}x on the CPU "
        f"(goal <= {GOAL}x): {'met' if ratio <= GOAL else 'MISSED'}"
    )
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
