"""Benchmark: tender at scale, 100 to 10,000 bids, every step next to its baseline.

Usage::

    .venv/bin/python benchmarks/scale.py [--sizes 100 1000 10000] [--repeat 1]
                                         [--skip-letters-above N] [--letters-sample 50]
                                         [--pdftotext-sample 250]

For each size, the dossier of :mod:`make_dossier` (built once, then reused from
``benchmarks/.dossiers/``) goes through what a committee runs, each step in a fresh
process, timed on the wall clock with the peak resident memory of its largest process
(``wait4``'s ``ru_maxrss``: the command, or its largest PDF worker):

- ``check``: ``tender check``;
- ``ingest cold`` / ``ingest warm``: loading the dossier and reading every bid's PDFs
  (:func:`tender.bids.documents.extract_files`, what ``tender bids`` does before its checks)
  with an empty PDF cache, then with the cache filled; the page rate is that of
  ``extract_files`` (as in ``benchmarks/pdf_ingest.py``), the wall time the whole step's;
- ``phase``: ``tender phase``, what every scoring command does before its first score
  (load the dossier, replay the record into the recorder, find the bids not scored);
- ``decide``, ``audit``: ``tender decide``, ``tender audit`` (each loads the dossier, reads
  the documents from the cache, replays the record, and prints its table);
- ``letters``: ``tender letters`` (HTML and PDF for every bid, and the annex listing the
  parties once when they are more than the dossier lists in a letter), once per size
  above 1,000 bids even with ``--repeat``; for a quicker run, ``--skip-letters-above N``
  makes, above N bids, only the annex and an evenly spread sample of
  ``--letters-sample`` letters, and extrapolates the time for all letters from the
  sample (marked ``est.``; an overestimate, as starting the workers counts in the sample);
- ``in one process``: the same stages in one process, each timed on its own: where the
  time of ``decide`` and ``audit`` goes (``replay`` is the one every command does: the
  hash chain, every entry's signature and the procedure's rules).

Baselines, in the same invocation: ``json.loads`` of every line of the record (the
least any reader of the score records must do), ``pdftotext`` (poppler) on the PDFs of
the first ``--pdftotext-sample`` bids, one process per file, and
``python -c "import click"`` against ``tender --help`` (best of 10). At the end the
ratios against the goals, each marked met or not met. With ``--repeat N`` every step and
baseline runs N times and the fastest counts (and the highest peak memory), so that a
machine busy with other work disturbs the comparison less.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from make_dossier import Built, make_dossier

from tender.analysis.audit import audit
from tender.app.load import load_evaluation
from tender.award.decisions import decide
from tender.bids.documents import extract_files
from tender.bids.suitability import assess
from tender.cli import GC_THRESHOLDS
from tender.io.loader import load_dossier
from tender.present import letters
from tender.record.replay import read_book

PYTHON = sys.executable
TENDER = str(Path(sys.executable).with_name("tender"))
GIB = 1024**3
HELP_RUNS = 10
STEP_NAMES = ("check", "ingest cold", "ingest warm", "phase", "decide", "audit", "letters")
LETTERS_REPEATED_UP_TO = 1_000
"""Letters for more bids are made once even with --repeat: 10,000 take about five minutes."""
GOAL_RECORD = 3.0
GOAL_MEMORY = GIB
GOAL_LINEAR = 11.0
GOAL_HELP = 2.0
GOAL_INGEST = 3.0
LAUNCHER = """\
import json, os, sys, time
figures, program, *arguments = sys.argv[1:]
start = time.perf_counter()
pid = os.posix_spawnp(program, [program, *arguments], os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(figures, "w", encoding="utf-8") as stream:
    json.dump({"seconds": seconds, "status": os.waitstatus_to_exitcode(status),
               "maxrss": usage.ru_maxrss}, stream)
"""
"""Runs a command and reports its wall time, exit status and peak RSS (``wait4``)."""
JSON_BASELINE = (
    "import json, sys\n"
    "with open(sys.argv[1], 'rb') as stream:\n"
    "    records = [json.loads(line) for line in stream]\n"
)


@dataclass(frozen=True)
class Run:
    """One step in its own process: wall-clock seconds, peak RSS in bytes, what it printed."""

    seconds: float
    rss: int
    output: str = ""
    estimated: bool = False

    def data(self) -> dict[str, Any]:
        """The JSON the step printed last (the runner steps report their figures so)."""
        line = self.output.strip().splitlines()[-1] if self.output.strip() else "{}"
        value: dict[str, Any] = json.loads(line)
        return value


@dataclass
class Size:
    """Every figure measured for one size."""

    built: Built
    runs: dict[str, Run] = field(default_factory=dict)
    pages_cold: int = 0
    extract_cold: float = 0.0
    extract_warm: float = 0.0
    pdftotext: tuple[int, int, float] | None = None
    """Files, pages and seconds of pdftotext on the sample."""
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds of each stage of decide and audit, in one process."""
    letters_note: str = ""


def run(command: Sequence[str]) -> Run:
    """Run ``command`` to its end; its wall time and the peak RSS of its largest process.

    The command is started by a small launcher process (:data:`LAUNCHER`), not by this
    one: a process's peak RSS includes that of the process it was spawned from up to its
    ``exec``, and this one holds tender and a dossier's worth of memory.
    """
    with tempfile.TemporaryDirectory() as folder:
        figures, output, errors = (Path(folder) / name for name in ("run.json", "out", "err"))
        with output.open("wb") as out, errors.open("wb") as err:
            subprocess.run(
                [PYTHON, "-c", LAUNCHER, str(figures), *command],
                stdout=out,
                stderr=err,
                check=False,
            )
        try:
            measured = json.loads(figures.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            measured = {"status": -1}
        if measured["status"] != 0:
            message = errors.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise SystemExit(f"{' '.join(command)} failed ({measured['status']}):\n{message}")
        printed = output.read_text(encoding="utf-8", errors="replace")
    # Linux reports kilobytes, macOS bytes.
    rss = int(measured["maxrss"]) * (1 if sys.platform == "darwin" else 1024)
    return Run(float(measured["seconds"]), rss, printed)


def step(name: str, root: Path, *extra: str) -> Run:
    """One of this file's own steps (below), in a fresh process."""
    return run([PYTHON, __file__, "--step", name, "--dossier", str(root), *extra])


def measure_size(size: int, args: argparse.Namespace) -> Size:
    built = make_dossier(size, out=args.dossiers / str(size) if args.dossiers else None)
    root = built.root
    result = Size(built)
    print(
        f"\n{size:,} bids: {built.files:,} PDFs ({built.pages:,} pages), "
        f"{built.entries:,} entries in the record ({built.scores:,} scores, "
        f"{built.ledger.stat().st_size / 2**20:,.0f} MiB)",
        flush=True,
    )
    shutil.rmtree(root / "reports", ignore_errors=True)
    repeat = max(1, args.repeat)
    runs = result.runs
    runs["check"] = _best(run([TENDER, "check", "--dossier", str(root)]) for _ in range(repeat))
    _progress("check", runs["check"])
    colds, warms = [], []
    for _ in range(repeat):
        shutil.rmtree(root / ".tender-cache", ignore_errors=True)
        colds.append(step("ingest", root))
        if colds[-1].data()["parsed"] != built.files:
            raise SystemExit("the cold ingest did not parse every PDF; is the cache shared?")
        warms.append(step("ingest", root))
        if warms[-1].data()["parsed"]:
            raise SystemExit("the warm ingest parsed PDFs; the cache should hold them all")
    runs["ingest cold"], runs["ingest warm"] = _best(colds), _best(warms)
    result.pages_cold = int(colds[0].data()["pages"])
    result.extract_cold = min(float(cold.data()["seconds"]) for cold in colds)
    result.extract_warm = min(float(warm.data()["seconds"]) for warm in warms)
    _progress("ingest cold", runs["ingest cold"])
    _progress("ingest warm", runs["ingest warm"])
    for command in ("phase", "decide", "audit"):
        runs[command] = _best(run([TENDER, command, "--dossier", str(root)]) for _ in range(repeat))
        _progress(command, runs[command])
    if args.skip_letters_above is None or size <= args.skip_letters_above:
        times = repeat if size <= LETTERS_REPEATED_UP_TO else 1
        runs["letters"] = _best(
            run([TENDER, "letters", "--dossier", str(root)]) for _ in range(times)
        )
    else:
        sample = min(size, args.letters_sample)
        sampled = step("letters", root, "--sample", str(sample))
        data = sampled.data()
        each = data["sample_seconds"] / data["sample"]
        estimate = sampled.seconds + each * (size - data["sample"])
        runs["letters"] = Run(estimate, sampled.rss, sampled.output, estimated=True)
        annex = (
            f"the annex listing {data['parties']:,} parties ({data['annex_pages']} pages) made "
            f"in {data['annex_seconds']:.1f} s"
            if data["annex_pages"]
            else f"no annex ({data['parties']:,} parties, listed in each letter)"
        )
        result.letters_note = (
            f"letters for {size:,} bids estimated: {annex}, then "
            f"{data['sample']} letters (evenly spread) as HTML and PDF in "
            f"{data['sample_seconds']:.1f} s ({each:.2f} s a letter on {os.cpu_count()} cores, "
            f"HTML {data['html_bytes'] // 1024:,} KiB each), scaled to {size:,} letters"
        )
    _progress("letters", runs["letters"])
    stages = [step("stages", root) for _ in range(repeat)]
    result.stages = {
        name: min(float(run.data()["seconds"][name]) for run in stages)
        for name in stages[0].data()["seconds"]
    }
    runs["in one process"] = _best(stages)
    _progress("in one process", runs["in one process"])
    runs["json.loads"] = _best(
        run([PYTHON, "-c", JSON_BASELINE, str(built.ledger)]) for _ in range(repeat)
    )
    _progress("json.loads", runs["json.loads"])
    timed = [measure_pdftotext(root, min(size, args.pdftotext_sample)) for _ in range(repeat)]
    result.pdftotext = min((t for t in timed if t is not None), key=lambda t: t[2], default=None)
    return result


def _best(runs: Iterable[Run]) -> Run:
    """The fastest of the runs, with the highest peak memory of them all."""
    done = list(runs)
    fastest = min(done, key=lambda measured: measured.seconds)
    return replace(fastest, rss=max(measured.rss for measured in done))


def _progress(name: str, measured: Run) -> None:
    print(f"  … {name:<15} {measured.seconds:8.2f} s", file=sys.stderr, flush=True)


def measure_pdftotext(root: Path, bids: int) -> tuple[int, int, float] | None:
    """pdftotext on every PDF of the first ``bids`` bids, one process per file, in turn."""
    program = shutil.which("pdftotext")
    if program is None:
        return None

    paths = sorted((root / "submissions").glob("bid-*/*.pdf"))[: bids * 4]
    pages = 0
    for path in paths:
        document = pdfium.PdfDocument(path)
        pages += len(document)
        document.close()
    start = time.perf_counter()
    for path in paths:
        subprocess.run(
            [program, "-q", "-enc", "UTF-8", str(path), "-"], check=True, stdout=subprocess.DEVNULL
        )
    return len(paths), pages, time.perf_counter() - start


def measure_help() -> tuple[float, float]:
    """Best of :data:`HELP_RUNS`: ``python -c "import click"`` and ``tender --help``."""
    click = min(run([PYTHON, "-c", "import click"]).seconds for _ in range(HELP_RUNS))
    tender = min(run([TENDER, "--help"]).seconds for _ in range(HELP_RUNS))
    return click, tender


# --- the report ------------------------------------------------------------------------------


def report(sizes: Sequence[Size], help_times: tuple[float, float]) -> None:
    for size in sizes:
        print_size(size)
    print_goals(sizes, help_times)


def print_size(size: Size) -> None:
    built, runs = size.built, size.runs
    json_run = runs["json.loads"]
    print(f"\n{built.bids:,} bids · 7 evaluators · {built.scores:,} scores · {built.pages:,} pages")
    print(f"  {'step':<16} {'wall':>9} {'peak RSS':>9}  baseline")
    for name in STEP_NAMES:
        measured = runs[name]
        wall = (
            f"{measured.seconds:7.2f} s"
            if not measured.estimated
            else f"~{measured.seconds:,.0f} s"
        )
        note = ""
        if name == "ingest cold":
            note = (
                f"{size.pages_cold / size.extract_cold:,.0f} pages/s (PDFs read in "
                f"{size.extract_cold:.1f} s); " + _pdftotext_note(size)
            )
        elif name == "ingest warm":
            note = (
                f"{size.pages_cold / size.extract_warm:,.0f} pages/s (in {size.extract_warm:.1f} s), "
                "no PDF parsed"
            )
        elif name in ("decide", "audit"):
            note = f"{measured.seconds / json_run.seconds:.1f}x json.loads of the record"
        elif measured.estimated:
            note = "est. (see below)"
        print(f"  {name:<16} {wall:>9} {_mib(measured.rss):>9}  {note}")
    print(
        f"  {'json.loads':<16} {json_run.seconds:7.2f} s {_mib(json_run.rss):>9}  "
        f"baseline: every line of scores/ledger.jsonl, kept as a list"
    )
    parts = " · ".join(f"{name} {seconds:.2f} s" for name, seconds in size.stages.items())
    print(f"  in one process: {parts} (peak {_mib(runs['in one process'].rss)})")
    if size.letters_note:
        print(f"  {size.letters_note}")


def _pdftotext_note(size: Size) -> str:
    if size.pdftotext is None:
        return "pdftotext is not installed (apt-get install poppler-utils)"
    files, pages, seconds = size.pdftotext
    rate = pages / seconds
    cold = size.pages_cold / size.extract_cold
    return f"pdftotext {rate:,.0f} pages/s ({files:,} files): {cold / rate:.1f}x"


def print_goals(sizes: Sequence[Size], help_times: tuple[float, float]) -> None:
    print("\nGoals")
    largest = max(sizes, key=lambda size: size.built.bids)
    runs = largest.runs
    bids = f"{largest.built.bids:,} bids"
    both = runs["decide"].seconds + runs["audit"].seconds
    ratio = both / runs["json.loads"].seconds
    _goal(
        f"decide + audit, {bids}: {both:.1f} s = {ratio:.1f}x json.loads "
        f"({runs['json.loads'].seconds:.1f} s)",
        f"<= {GOAL_RECORD:g}x",
        ratio <= GOAL_RECORD,
    )
    stages = largest.stages
    record = stages["replay"] + stages["decide"] + stages["audit"]
    record_ratio = record / runs["json.loads"].seconds
    _goal(
        f"  the record's part alone (replay + decide + audit, one process): {record:.1f} s = "
        f"{record_ratio:.1f}x",
        f"<= {GOAL_RECORD:g}x",
        record_ratio <= GOAL_RECORD,
    )
    peak = max(runs["decide"].rss, runs["audit"].rss)
    _goal(
        f"peak memory of decide and audit, {bids}: {_mib(runs['decide'].rss)} and "
        f"{_mib(runs['audit'].rss)}",
        "<= 1 GiB",
        peak <= GOAL_MEMORY,
    )
    by_bids = {size.built.bids: size for size in sizes}
    if 1_000 in by_bids and 10_000 in by_bids:
        small, large = by_bids[1_000].runs, by_bids[10_000].runs
        for name in STEP_NAMES:
            growth = large[name].seconds / small[name].seconds
            _goal(
                f"{name}: 1,000 -> 10,000 bids {small[name].seconds:.2f} s -> "
                f"{large[name].seconds:.2f} s = {growth:.1f}x"
                + (" (10,000 estimated)" if large[name].estimated else ""),
                f"<= {GOAL_LINEAR:g}x",
                growth <= GOAL_LINEAR,
            )
    click, tender = help_times
    _goal(
        f"tender --help {tender * 1e3:.0f} ms, python -c 'import click' {click * 1e3:.0f} ms "
        f"= {tender / click:.2f}x (best of {HELP_RUNS})",
        f"<= {GOAL_HELP:g}x",
        tender / click <= GOAL_HELP,
    )
    for size in sizes:
        if size.pdftotext is None:
            continue
        _, pages, seconds = size.pdftotext
        cold = size.pages_cold / size.extract_cold
        _goal(
            f"cold ingest, {size.built.bids:,} bids: {cold:,.0f} pages/s = "
            f"{cold / (pages / seconds):.1f}x pdftotext ({pages / seconds:,.0f} pages/s) "
            f"on {os.cpu_count()} cores",
            f">= {GOAL_INGEST:g}x",
            cold / (pages / seconds) >= GOAL_INGEST,
        )


def _goal(text: str, goal: str, met: bool) -> None:
    print(f"  {'met    ' if met else 'NOT MET'}  {text}  (goal {goal})")


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


# --- steps run in a fresh process ------------------------------------------------------------


def step_ingest(root: Path, _args: argparse.Namespace) -> dict[str, Any]:
    """Load the dossier and read every bid's PDFs: what 'tender bids' does before its checks."""

    dossier = load_dossier(root)
    paths = [
        bid.folder / submitted.file
        for bid in dossier.submissions
        for submitted in bid.metadata.documents.values()
    ]
    start = time.perf_counter()
    extraction = extract_files(paths, cache_root=dossier.root)
    seconds = time.perf_counter() - start
    unreadable = [str(path) for path, item in extraction.files.items() if not item.content.readable]
    if unreadable:
        raise SystemExit(f"{len(unreadable)} PDFs could not be read, e.g. {unreadable[0]}")
    pages = sum(len(item.content.pages) for item in extraction.files.values())
    return {"pages": pages, "parsed": extraction.parsed, "seconds": seconds}


def step_letters(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The annex of parties and the letters (HTML and PDF) of an evenly spread sample of the bids.

    As in the full run: the annex lists the parties of all decisions, and each sampled
    letter refers to it (or, at or below the dossier's limit, lists the parties itself).
    """
    evaluation = load_evaluation(root)
    decisions = evaluation.decide()
    day = evaluation.dossier.procedure.planned.provisional_award
    assert day is not None
    sample = decisions[:: max(1, len(decisions) // args.sample)][: args.sample]
    parties = letters.awarded_parties(evaluation.dossier, decisions)
    start = time.perf_counter()
    annex_files, annex = letters.parties_annex(
        evaluation.dossier, parties, kind="provisional", sent=day, version=1
    )
    annexed = time.perf_counter()
    pages = letters.provisional_pages(
        evaluation.dossier,
        sample,
        evaluation.assessments,
        evaluation.standstill(day),
        parties=parties,
        annex=annex,
    )
    html = time.perf_counter() - annexed
    letters.with_pdfs(pages)
    return {
        "letters": len(decisions),
        "parties": len(parties),
        "annex_seconds": annexed - start,
        "annex_pages": len(pdfium.PdfDocument(annex_files[1].content)) if annex_files else 0,
        "sample": len(sample),
        "sample_seconds": time.perf_counter() - annexed,
        "html_seconds": html,
        "html_bytes": sum(len(page.html) for page in pages) // len(pages),
    }


def step_stages(root: Path, _args: argparse.Namespace) -> dict[str, Any]:
    """decide and audit's stages in one process, each on its own clock."""

    seconds: dict[str, float] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = work()
        seconds[name] = time.perf_counter() - start
        return result

    dossier = timed("load", lambda: load_dossier(root))
    # The replay every command does: the chain, each entry's signature and the rules.
    book = timed("replay", lambda: read_book(dossier))
    assessed = timed("documents", lambda: assess(dossier, book=book))
    decisions = timed("decide", lambda: decide(dossier, assessed, book))
    timed("audit", lambda: audit(dossier, assessed, book, decisions))
    return {"seconds": seconds}


STEPS: dict[str, Callable[[Path, argparse.Namespace], dict[str, Any]]] = {
    "ingest": step_ingest,
    "letters": step_letters,
    "stages": step_stages,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument(
        "--skip-letters-above",
        type=int,
        default=None,
        help="above this many bids, estimate the letters from a sample (default: make them all)",
    )
    parser.add_argument(
        "--letters-sample", type=int, default=50, help="letters made when sampling (default 50)"
    )
    parser.add_argument(
        "--pdftotext-sample", type=int, default=250, help="bids whose PDFs pdftotext reads"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each step; the fastest counts (default 1)"
    )
    parser.add_argument(
        "--dossiers",
        type=Path,
        help="build the dossiers afresh in this folder (default: keep and reuse them in "
        "benchmarks/.dossiers/)",
    )
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--dossier", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=int, default=200, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        gc.set_threshold(*GC_THRESHOLDS)  # as the command line does (tender.cli.main)
        print(json.dumps(STEPS[args.step](args.dossier, args)))
        return 0
    if not Path(TENDER).exists():
        parser.error(f"{TENDER} not found: run this with the virtualenv's python")
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    if args.repeat > 1:
        print(f"each step and baseline: the fastest of {args.repeat} runs")
    help_times = measure_help()
    sizes = [measure_size(size, args) for size in args.sizes]
    report(sizes, help_times)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
