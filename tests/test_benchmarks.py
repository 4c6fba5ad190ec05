"""The scale and append benchmarks run end to end, small, and print every figure with its baseline.

Figures are not judged here (speed is measured, not asserted); what is checked is
that the benchmarks the README sends a reader to still work and report every step,
baseline and goal: the scale benchmark on both of its ways to time the letters, the
append benchmark in this checkout and in a baseline's process beside it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

STEPS = ("check", "ingest cold", "ingest warm", "phase", "decide", "audit", "letters", "json.loads")


def test_the_scale_benchmark_prints_every_step_baseline_and_goal(tmp_path: Path) -> None:
    assert shutil.which("pdftotext"), "the benchmark's baseline needs pdftotext (poppler-utils)"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "benchmarks" / "scale.py"),
            *("--sizes", "6", "12"),
            *("--skip-letters-above", "10", "--letters-sample", "2"),
            *("--pdftotext-sample", "2", "--dossiers", str(tmp_path)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summaries = result.stdout.split("\n\n")
    tables = {
        bids: next(part for part in summaries if part.startswith(f"{bids} bids · 7 evaluators"))
        for bids in (6, 12)
    }
    for bids, table in tables.items():
        for name in STEPS:
            assert re.search(rf"^  {name} +[\d.~]+ s +\d+ MiB", table, re.M), (bids, name)
        assert re.search(r"pdftotext [\d,]+ pages/s \(\d+ files\): [\d.]+x", table), bids
        assert re.search(r"decide .* [\d.]+x json\.loads of the record", table), bids
        assert "in one process: load" in table, bids
    assert "est." not in tables[6]  # at or below 10 bids every letter is made
    assert re.search(r"letters +~[\d.]+ s .* est\.", tables[12])
    assert "letters for 12 bids estimated: no annex (" in tables[12]
    goals = result.stdout[result.stdout.index("\nGoals\n") :]
    for goal in (
        "decide + audit, 12 bids",
        "peak memory of decide and audit",
        "tender --help",
        "cold ingest, 6 bids",
        "cold ingest, 12 bids",
    ):
        assert re.search(rf"^  (met|NOT MET) +{re.escape(goal)}", goals, re.M), goal
    assert sorted(path.name for path in tmp_path.iterdir()) == ["12", "6"]


def test_the_append_benchmark_prints_both_checkouts_and_their_ratios() -> None:
    """This checkout stands in for the baseline too: what is checked is that the saves are
    timed in both processes and every figure and goal is printed, not how fast they are."""
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "benchmarks" / "ledger_append.py"),
            *("--runs", "4", "--large", "200", "--baseline", sys.executable),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 1: a goal missed
    out = result.stdout
    assert out.count("(signed and sealed scores):") == 2, out
    assert out.startswith(f"baseline: {REPO_ROOT}", out.index("baseline:")), out
    for prior in ("100", "200"):
        assert len(re.findall(rf"^ +{prior}  +[\d.]+ ms +[\d.]+ ms +[\d.]+ ms", out, re.M)) == 2
        assert re.search(
            rf"^ +{prior} prior entries: [\d.]+ ms here vs [\d.]+ ms baseline = [\d.]+x "
            r"\(goal <= 1.5x\): (met|MISSED)$",
            out,
            re.M,
        ), out
    assert re.search(r"sealing to 2 readers [\d.]+ ms, signing [\d.]+ ms", out), out
