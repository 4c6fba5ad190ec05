"""Change a small record in every way, run ``tender verify`` on each, and count what it caught.

The record (six entries, each signed: the opening, a sealed score, its change, their reveal,
the phase, a consensus score) is changed in turn at every byte (to line breaks, JSON structure, digits, bytes that are not UTF-8 and
the byte with one bit flipped; with ``--every-value`` to all 255 other values), by deleting
or repeating each line, by every other order of its lines, and by cutting its end
(tests/tampering.py). A variant is caught when ``tender verify`` exits 3 naming the first
line that is not as recorded.

    .venv/bin/python scripts/tamper_sweep.py [--every-value] [--stride N]

``--stride N`` changes only every N-th byte (a quicker run; the line changes are all tried).

Exits 1 when a variant is not caught at its line. The test suite runs the same variants
through the check ``tender verify`` runs, and a sample through the command itself
(tests/test_tamper.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The repository's root is on the path only now.
from tests.tampering import (
    EVERY_VALUE,
    LEDGER,
    REPLACEMENTS,
    Sweep,
    byte_changes,
    line_changes,
    small_record,
    sweep,
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--every-value", action="store_true", help="set each byte to all 255 other values"
    )
    parser.add_argument(
        "--stride", type=int, default=1, help="change only every N-th byte (default 1: each)"
    )
    args = parser.parse_args(argv)
    if args.stride < 1:
        parser.error("--stride must be 1 or more")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tender-tamper-") as folder:
        root = small_record(Path(folder) / "dossier")
        pristine = (root / LEDGER).read_bytes()
        values = EVERY_VALUE if args.every_value else REPLACEMENTS
        found = {
            "bytes changed": sweep(
                root, byte_changes(pristine, values, stride=args.stride), command=True
            ),
            "lines deleted, repeated, reordered or cut": sweep(
                root, line_changes(pristine), command=True
            ),
        }
    seconds = time.perf_counter() - started
    lines = pristine.count(b"\n")
    every = "every byte" if args.stride == 1 else f"one byte in {args.stride}"
    print(
        f"a record of {lines} entries, {len(pristine)} bytes ({every} changed); "
        "tender verify on each variant:"
    )
    total = Sweep()
    for what, result in found.items():
        print(f"  {what:42} {result.variants:7} variants {result.caught:7} caught at their line")
        total.variants += result.variants
        total.caught += result.caught
        total.missed += result.missed
    print(f"  {'all':42} {total.variants:7} variants {total.caught:7} caught ({seconds:.0f} s)")
    for missed in total.missed:
        print(f"MISSED {missed}")
    return 1 if total.missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
