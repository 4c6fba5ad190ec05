"""What the procedure's rules cost on replay: a 1,000-bid record read three ways.

Usage: ``python benchmarks/replay_bench.py [--bids N]``. Prints, best of five: ``json.loads``
of every line (the baseline), the replay without the rules (the book alone), and the
replay every command does (:func:`tender.record.replay.replay`: each entry's signature
checked and the entry admitted by :class:`tender.record.rules.Rules`), with the ratios, and
what checking the signatures alone costs of it. The replay without the rules still reads
the reveal (each revealed text against its commitment). The dossier comes from
``make_dossier.py`` (built once and reused).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

from make_dossier import make_dossier

from tender.io.loader import load_dossier
from tender.record.book import ScoreBook, parse_entry
from tender.record.ledger import Ledger
from tender.record.replay import replay, rules_for


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, default=1000)
    bids: int = parser.parse_args().bids
    built = make_dossier(bids, quiet=True)
    dossier = load_dossier(built.root)
    entries = Ledger(built.root / "scores").entries()
    lines = (built.root / "scores" / "ledger.jsonl").read_bytes().splitlines()

    def without_rules() -> None:
        book = ScoreBook()
        for entry in entries:
            book.add(entry, parse_entry(entry))

    baseline = best_of(5, lambda: [json.loads(line) for line in lines])
    plain = best_of(5, without_rules)
    ruled = best_of(5, lambda: replay(dossier, entries, "scores/ledger.jsonl"))
    rules = rules_for(dossier)

    def signatures() -> None:
        for entry in entries:
            rules.signature_fault(entry)

    signed = best_of(5, signatures)
    print(
        f"{len(entries):,} entries ({bids:,} bids): json.loads {baseline:.3f} s; replay without "
        f"the rules {plain:.3f} s ({plain / baseline:.2f}x); with the rules {ruled:.3f} s "
        f"({ruled / baseline:.2f}x); the rules cost {ruled / plain:.2f}x, of which checking "
        f"the signatures {signed:.3f} s ({signed / len(entries) * 1e6:.0f} µs an entry)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
