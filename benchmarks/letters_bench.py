"""Benchmark: provisional award and rejection letters per second, HTML only and HTML + PDF.

For 128 bids (the example dossier) and 1,000 bids, serial (one process) and
parallel (one worker process per core) side by side; the parallel letters must
be byte for byte the serial ones. The 1,000 bids are built in memory from the
example: its 128 bids plus copies of its rejected bids under new ids and names,
so every letter still names the same 29 parties and has the example's length;
what grows is only the number of letters. The example is copied to a temporary
folder first (reading it writes a PDF cache). Letters per CPU second (this
process and its workers together) show the work itself, which a busy machine
does not change; letters per wall-clock second are what the committee waits for.

    .venv/bin/python benchmarks/letters_bench.py [--sizes 128 1000] [--workers N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from tender.app.load import load_evaluation
from tender.award.decisions import Decision
from tender.award.evaluation import Evaluation
from tender.present.letters import provisional_pages, with_pdfs
from tender.present.pdfpool import Page, available_cores
from tender.present.render import Rendered

ROOT = Path(__file__).resolve().parent.parent
SENT = date(2017, 12, 1)
T = TypeVar("T")


def example_copy(target: Path) -> Evaluation:
    for folder in ("criteria", "submissions", "scores"):
        shutil.copytree(ROOT / folder, target / folder)
    return load_evaluation(target)


def scaled(evaluation: Evaluation, size: int) -> tuple[Evaluation, tuple[Decision, ...]]:
    """The example with ``size`` bids: its own, then copies of its rejected bids."""
    decisions = evaluation.decide()
    rejected = [decision for decision in decisions if not decision.awarded]
    submissions = {submission.id: submission for submission in evaluation.dossier.submissions}
    assessments = {assessment.bid: assessment for assessment in evaluation.assessments}
    all_decisions = list(decisions[:size])
    all_submissions = [submissions[decision.bid] for decision in all_decisions]
    all_assessments = [assessments[decision.bid] for decision in all_decisions]
    for number in range(len(all_decisions) + 1, size + 1):
        model = rejected[number % len(rejected)]
        bid = f"bid-{number:04d}"
        source = submissions[model.bid]
        bidder = source.metadata.bidder.model_copy(
            update={"name": f"{source.metadata.bidder.name} {number}"}
        )
        metadata = source.metadata.model_copy(update={"bidder": bidder})
        all_submissions.append(dataclasses.replace(source, id=bid, metadata=metadata))
        all_assessments.append(dataclasses.replace(assessments[model.bid], bid=bid))
        all_decisions.append(dataclasses.replace(model, bid=bid, bidder=bidder.name))
    dossier = dataclasses.replace(evaluation.dossier, submissions=tuple(all_submissions))
    return (
        dataclasses.replace(evaluation, dossier=dossier, assessments=tuple(all_assessments)),
        tuple(all_decisions),
    )


@dataclass(frozen=True)
class Run:
    """One timed run: wall-clock seconds, and CPU seconds of this process and its workers."""

    wall: float
    cpu: float

    def line(self, count: int, what: str, extra: str = "") -> str:
        return (
            f"{count:>6}  {what:<16} {count / self.wall:>8.1f} /s  {count / self.cpu:>8.1f} /s"
            f"  {self.wall:7.2f} s {extra}"
        )


def timed(work: Callable[[], T]) -> tuple[Run, T]:
    """Run ``work``; workers count once they have ended (the pool is shut down inside it)."""
    start_wall, start_cpu = time.perf_counter(), _cpu()
    result = work()
    return Run(time.perf_counter() - start_wall, _cpu() - start_cpu), result


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(evaluation: Evaluation, decisions: Sequence[Decision], workers: int) -> list[str]:
    period = evaluation.standstill(SENT)

    def pages() -> tuple[Page, ...]:
        return provisional_pages(evaluation.dossier, decisions, evaluation.assessments, period)

    def letters(count: int) -> tuple[Rendered, ...]:
        return with_pdfs(pages(), workers=count)

    count = len(decisions)
    html, _ = timed(pages)
    serial, one = timed(lambda: letters(1))
    parallel, many = timed(lambda: letters(workers))
    if one != many:
        raise SystemExit("parallel letters differ from serial letters")
    speedup = f"({serial.wall / parallel.wall:.1f}x serial, byte-identical)"
    return [
        html.line(count, "HTML only"),
        serial.line(count, "HTML+PDF serial"),
        parallel.line(count, f"HTML+PDF {workers} proc", speedup),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[128, 1000])
    parser.add_argument("--workers", type=int, default=available_cores())
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        example = example_copy(Path(folder))
        cores = available_cores()
        print(f"{cores} cores, load average {os.getloadavg()[0]:.1f}; letters per second of")
        print("wall-clock time and per CPU second (this process and its workers)")
        print("  bids  what             per wall s  per CPU s     wall")
        for size in args.sizes:
            evaluation, decisions = scaled(example, size)
            for line in measure(evaluation, decisions, args.workers):
                print(line, flush=True)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
