"""Kill scoring, consensus recording and letter publishing at random moments, and count.

Each kill is a SIGKILL of a forked writer at a seeded random moment (tests/crashes.py says
how, and what is checked after each one: every confirmed entry is in the record, which
verifies from its first line; reports/letters/ is the old or the new set, complete, byte for
byte; what a kill leaves is cleaned up or put back by the next run). The writers work on the
small example of the robustness corpus (tests/corpus.py): evaluators score in its individual
phase, the chair records consensus in its consensus phase, and its letters are published
in turn for three dates; every ``--cli-every``-th publish kill is of the real
``tender letters`` in a process of its own, with its PDF workers.

    .venv/bin/python scripts/crash_soak.py [--kills 1000] [--seed N] [--cli-every 10]

The kills are shared equally by the three kinds. Exits 1 when anything confirmed was lost
or a set was left broken. The test suite runs a short version (tests/test_crash.py).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The repository's root is on the path only now.
from click.testing import CliRunner

from tender.app.load import load_evaluation
from tender.cli import cli
from tender.domain.dossier import REPORTS
from tender.io.loader import load_dossier
from tender.present.letters import provisional_letters
from tender.record.ledger import Entry
from tender.record.recorder import Recorder
from tests.corpus import (
    CHAIR,
    EVALUATOR,
    build_base,
    copy_dossier,
    to_consensus_phase,
    to_individual_phase,
)
from tests.crashes import (
    POINTS,
    SET,
    Letters,
    Tally,
    append_every_step,
    as_mapping,
    cli_words,
    consensus_write,
    folder_digests,
    publish_every_step,
    scoring_write,
    soak_publish,
    soak_record,
)

OTHER = "rdemir"
"""Another evaluator, who records a score after each kill of ``EVALUATOR``'s process."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=1000, help="in all (default 1000)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--cli-every", type=int, default=10, help="publish kills per CLI kill")
    args = parser.parse_args(argv)
    share = [args.kills // 3 + (1 if n < args.kills % 3 else 0) for n in range(3)]
    chance = random.Random(args.seed)
    started = time.perf_counter()
    results: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory(prefix="tender-soak-") as folder:
        scratch = Path(folder)
        base = build_base(scratch / "base")
        results["scoring"] = _scoring(copy_dossier(base, scratch / "scoring"), share[0], chance)
        results["consensus"] = _consensus(
            copy_dossier(base, scratch / "consensus"), share[1], chance
        )
        results["publish"] = _publish(
            copy_dossier(base, scratch / "publish"), share[2], chance, args.cli_every
        )
        steps = _every_step(base, scratch)
    _report(results, time.perf_counter() - started)
    for what, (count, tally) in steps.items():
        print(
            f"stopped at each of its {count} steps in turn: {what}; {len(tally.failures)} failures"
        )
        for failure in tally.failures:
            print(f"FAIL {failure}")
    failed = [*results.values(), *(tally for _, tally in steps.values())]
    return 1 if any(tally.failures for tally in failed) else 0


def _every_step(base: Path, scratch: Path) -> dict[str, tuple[int, Tally]]:
    """Writers stopped just before each of their durable steps, one after the other."""
    root = copy_dossier(base, scratch / "steps")
    evaluation = load_evaluation(root)
    decisions = evaluation.decide()
    old, new = (
        provisional_letters(
            evaluation.dossier,
            decisions,
            evaluation.assessments,
            evaluation.standstill(date(2017, 12, day)),
            workers=1,
        )
        for day in (1, 4)
    )
    found = {
        "letters published over the old set": publish_every_step(root, old, new),
        "letters published for the first time": publish_every_step(root, None, new),
    }
    to_consensus_phase(root)
    dossier = load_dossier(root)
    found["a consensus score recorded"] = append_every_step(dossier, consensus_write(CHAIR))
    return found


def _scoring(root: Path, kills: int, chance: random.Random) -> Tally:
    to_individual_phase(root)
    dossier = load_dossier(root)

    def carry_on(recorder: Recorder, kill: int) -> Entry:
        bid, sub = recorder.items_for(OTHER)[kill % 10]
        return recorder.record_score(
            OTHER,
            bid,
            sub,
            score=POINTS[kill % len(POINTS)],
            motivation=f"after kill {kill}",
            reason="carry on",
        )

    return soak_record(
        dossier,
        scoring_write(EVALUATOR),
        kills=kills,
        chance=chance,
        carry_on=carry_on,
        label="scoring",
    )


def _consensus(root: Path, kills: int, chance: random.Random) -> Tally:
    to_consensus_phase(root)
    dossier = load_dossier(root)
    write = consensus_write(CHAIR)
    return soak_record(
        dossier,
        write,
        kills=kills,
        chance=chance,
        carry_on=lambda recorder, kill: write(recorder, 10**6 + kill),
        label="consensus",
    )


def _publish(root: Path, kills: int, chance: random.Random, cli_every: int) -> Tally:
    evaluation = load_evaluation(root)
    decisions = evaluation.decide()
    sets = [
        provisional_letters(
            evaluation.dossier,
            decisions,
            evaluation.assessments,
            evaluation.standstill(date(2017, 12, day)),
            workers=1,
        )
        for day in (1, 4, 5)
    ]
    # The real 'tender letters' for a fourth date, run through once to know what it writes.
    words = cli_words(root, "2017-12-06")
    result = CliRunner().invoke(cli, words[3:])
    if result.exit_code != 0:
        raise SystemExit(f"tender letters failed on the small example:\n{result.output}")
    letters = Letters(words, folder_digests(root / REPORTS / SET))
    return soak_publish(
        root, sets, kills=kills, chance=chance, letters=letters, cli_every=cli_every
    )


def _report(results: dict[str, Tally], seconds: float) -> None:
    total = Tally()
    for tally in results.values():
        total.add(tally)
    names = [name for name in as_mapping(total) if name != "kills"]
    print(f"{total.kills} kills in {seconds:.0f} s")
    print(f"{'':10} {'kills':>6} " + " ".join(f"{name.replace('_', ' '):>18}" for name in names))
    for kind, tally in [*results.items(), ("all", total)]:
        counts = as_mapping(tally)
        print(f"{kind:10} {counts['kills']:6} " + " ".join(f"{counts[n]:18}" for n in names))
    print(f"{len(total.failures)} failures")
    for failure in total.failures:
        print(f"FAIL {failure}")


if __name__ == "__main__":
    raise SystemExit(main())
