"""What the main job did, for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tender.analysis.report import SEVERITIES
from tender.app.pipeline import PipelineResult
from tender.terminal.console import out

_ORDER = (
    "late",
    "incomplete",
    "invalid",
    "excluded",
    "unsuitable",
    "pending",
    "awarded",
    "below threshold",
)


def show_run(result: PipelineResult, written: Sequence[Path]) -> None:
    """What the main job did: the audit in one line, the reports written, and the summary line."""
    report = result.audit
    if report is not None:
        severities = ", ".join(f"{report.count(severity)} {severity}" for severity in SEVERITIES)
        fragile = (
            f"; {len(report.fragile)} of {len(report.fragility)} decisions turn on one change"
            if report.decisions_available
            else ""
        )
        out.print(f"Audit: {severities}{fragile} (details: tender audit)", markup=False)
    if result.not_decided:
        out.print(f"Not decided yet: {result.not_decided}.", markup=False)
    for path in written:
        out.print(f"Wrote {path.as_posix()}/", markup=False)
    counts = result.counts()
    bids = len(result.evaluation.dossier.submissions)
    parts = [f"{bids} bid{'s' if bids != 1 else ''}"]
    parts += [f"{counts[key]} {key}" for key in _ORDER if counts[key]]
    if result.period is not None:
        parts.append(f"standstill ends {result.period.end:%d-%m-%Y}")
    elif result.not_decided:
        parts.append("not decided yet")
    out.print(" · ".join(parts), markup=False)
