"""Every broken dossier of the corpus against every command: counts, and each failure.

The corpus (tests/corpus.py) mutates a small copy of the example in every way a dossier
typed by hand, a bidder's PDF or an edit outside tender can break it; each mutation is run
against every command of the CLI (found by walking it), in this process through click's
runner, over one worker process per core. Prints the counts per kind of mutation and per
command, and every failure; exits 1 when there is one.

    .venv/bin/python scripts/robustness.py [--workers N] [--only NAME ...] [--commands NAME ...]

The test suite runs a sample of the same matrix (tests/test_corpus.py).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus import (
    KINDS,
    ON_THE_BASE,
    Checked,
    Mutation,
    baseline,
    build_base,
    check_mutation,
    commands,
    mutations,
)

_STATE: dict[str, object] = {}


def _one(index: int) -> Checked:
    """In a worker (forked, so the corpus and the base are inherited): one mutation."""
    corpus, base, scratch = _STATE["corpus"], _STATE["base"], _STATE["scratch"]
    chosen, codes = _STATE["chosen"], _STATE["codes"]
    assert isinstance(corpus, list) and isinstance(base, Path) and isinstance(scratch, Path)
    assert isinstance(chosen, list) and isinstance(codes, dict)
    mutation: Mutation = corpus[index]
    try:
        return check_mutation(mutation, base, scratch, chosen, codes)
    except Exception as error:  # the corpus itself failed: reported with the others
        failed = Checked(mutations={mutation.kind: 1})
        failed.failures.append(f"{mutation.name}: {type(error).__name__}: {error}")
        return failed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument("--only", nargs="*", default=None, help="only these mutations")
    parser.add_argument("--commands", nargs="*", default=None, help="only these commands")
    args = parser.parse_args(argv)

    corpus = [m for m in mutations() if args.only is None or m.name in args.only]
    chosen = [c for c in commands() if args.commands is None or c.name in args.commands]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tender-corpus-") as folder:
        scratch = Path(folder)
        base = build_base(scratch / "base")
        codes = baseline(base, scratch, chosen)
        differ = {name: code for name, code in codes.items() if ON_THE_BASE.get(name) != code}
        if differ:
            print(f"on the intact base, exit codes differ from tests/corpus.py: {differ}")
            return 1
        _STATE.update(corpus=corpus, base=base, scratch=scratch, chosen=chosen, codes=codes)
        total = Checked()
        context = multiprocessing.get_context("fork")
        with context.Pool(args.workers) as pool:
            # The mutations whose commands run to the end (and render) go first, so that
            # the quick ones fill the gaps at the end.
            heavy = ("content", "finding", "frozen")
            order = sorted(range(len(corpus)), key=lambda n: corpus[n].kind not in heavy)
            for checked in pool.imap_unordered(_one, order):
                total.merge(checked)
                mark = "." if not checked.failures else "F"
                print(mark, end="", flush=True)
    print()
    seconds = time.perf_counter() - started
    _report(total, len(corpus), len(chosen), seconds)
    return 1 if total.failures else 0


def _report(total: Checked, corpus: int, chosen: int, seconds: float) -> None:
    runs = sum(total.runs.get(kind, 0) for kind in KINDS)
    print(f"{corpus} broken dossiers x {chosen} commands: {runs} runs in {seconds:.0f} s")
    for kind in KINDS:
        print(
            f"  {kind:8} {total.mutations.get(kind, 0):4} mutations {total.runs.get(kind, 0):6} runs"
        )
    for name in sorted(key for key in total.runs if key.startswith("command ")):
        print(f"  {name.removeprefix('command '):20} {total.runs[name]:5} runs")
    print(f"{len(total.failures)} failures")
    for failure in total.failures:
        print(f"FAIL {failure}")


if __name__ == "__main__":
    raise SystemExit(main())
