"""The audit command: consistency of the scores, agreement, and how fragile each decision is."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tender.commands import EXIT_CODES_HELP, dossier_option, json_option

if TYPE_CHECKING:
    from tender.analysis.audit import AuditReport
    from tender.domain.dossier import Dossier
    from tender.record.book import ScoreBook

AUDIT_SET = "audit"
STRICT_HELP = """\b
With --strict the exit code is 1 when there is a blocking finding (a
missing or conflicted score, a score off the scale, a score without a
motivation); warnings and information never change the exit code.
"""


@dataclass(frozen=True)
class AuditRun:
    """The report, why there are no decisions (if so), and where the files went."""

    report: AuditReport
    note: str | None
    folder: Path


def run_audit(dossier: Path | Dossier, *, progress: bool = True) -> AuditRun:
    """Load the dossier, assess the bids, take the decisions if they can be, audit, publish."""
    from tender.domain.dossier import Dossier
    from tender.io.loader import load_dossier

    loaded = dossier if isinstance(dossier, Dossier) else load_dossier(dossier)
    return _audit(loaded, _book(loaded), progress=progress)


def audit_for_run(loaded: Dossier, *, progress: bool = True) -> AuditRun | None:
    """The audit as part of 'tender run': None while nothing is scored yet."""
    book = _book(loaded)
    if not book.individual and not book.consensus:
        return None
    return _audit(loaded, book, progress=progress)


def run_line(result: AuditRun) -> str:
    """The audit in one line, for 'tender run'."""
    from tender.analysis.audit import SEVERITIES

    report = result.report
    counts = ", ".join(f"{report.count(severity)} {severity}" for severity in SEVERITIES)
    fragile = (
        f"; {len(report.fragile)} of {len(report.fragility)} decisions turn on one change"
        if report.decisions_available
        else ""
    )
    return (
        f"Audit: {counts}{fragile}. Report: {result.folder.as_posix()}/audit.html "
        "(details: tender audit)"
    )


def run_data(result: AuditRun | None) -> dict[str, object] | None:
    """The audit's counts for 'tender run --json'."""
    if result is None:
        return None
    from tender.analysis.audit import SEVERITIES

    report = result.report
    return {
        "summary": {severity: report.count(severity) for severity in SEVERITIES},
        "fragile": [row.bid for row in report.fragile],
        "report": f"{result.folder.as_posix()}/audit.html",
    }


def _book(loaded: Dossier) -> ScoreBook:
    """The record's current state, replayed once, line by line."""
    from tender.domain.dossier import SCORES_FOLDER
    from tender.record.book import ScoreBook
    from tender.record.ledger import Ledger

    return ScoreBook.replay(Ledger(loaded.root / SCORES_FOLDER).stream())


def _audit(loaded: Dossier, book: ScoreBook, *, progress: bool) -> AuditRun:
    from tender.analysis.audit import audit
    from tender.award.decisions import decide
    from tender.bids.suitability import assess
    from tender.domain.errors import RefusedError
    from tender.present.audit_page import audit_files
    from tender.present.render import publish

    assessments = assess(loaded, progress=progress, book=book)
    decisions = None
    note = None
    if book.phase == "individual":
        note = "the evaluation is in the individual phase"
    else:
        try:
            decisions = decide(loaded, assessments, book)
        except RefusedError as error:
            note = str(error)
    report = audit(loaded, assessments, book, decisions)
    folder = publish(loaded.root, AUDIT_SET, audit_files(report, note=note))
    return AuditRun(report, note, folder)


@click.command(epilog=STRICT_HELP + "\n" + EXIT_CODES_HELP)
@dossier_option
@json_option
@click.option("--strict", is_flag=True, help="Exit 1 when there is a blocking finding.")
@click.option("--all", "show_all", is_flag=True, help="List every finding (default: 10 per kind).")
def audit(dossier: Path, as_json: bool, strict: bool, show_all: bool) -> None:
    """Audit the scores: complete, on the scale, motivated, consistent; and how fragile each decision is.

    Checks completeness (every required individual and consensus score; scores
    given despite a conflict of interest), the scale and the motivations (empty,
    trivially short, copied across bids), the spread between evaluators on each
    item and consensus scores outside it, each evaluator's leniency or severity
    against the others (with a 95% interval) and straight-lining, agreement (ICC
    per Shrout & Fleiss, Krippendorff's alpha) per sub-criterion and overall, the
    tone of motivations (wording that contradicts the score, comparisons with
    other bids), and, once decisions can be taken, which decisions turn when one
    final score moves one step or (mean and median) one evaluator is left out.
    Fragile decisions come first.

    Every finding has a severity: blocking, warning or info. The report is
    written to reports/audit/audit.html (with charts; opens offline) and
    reports/audit/audit.json. The thresholds are set in award.yaml under
    'audit:' (max_spread_steps, min_motivation_chars, straight_lining_share,
    bias_steps).

    During the individual phase, when no one may see another's scores, the
    audit shows completeness only.

    \b
    Example:
      tender audit
      tender audit --strict --json > audit.json
    """
    from tender.domain.errors import ExitCode
    from tender.present.audit_json import report_data
    from tender.terminal.audit import show_audit
    from tender.terminal.console import err, out, print_json

    result = run_audit(dossier, progress=not as_json)
    report = result.report
    if as_json:
        print_json({**report_data(report), "decisions_note": result.note})
    else:
        show_audit(out, report, note=result.note, limit=None if show_all else 10)
        folder = result.folder.as_posix()
        out.print(f"Wrote {folder}/audit.html and {folder}/audit.json.", markup=False)
    if strict and report.blocking:
        err.print(
            f"{report.blocking} blocking finding{'s' if report.blocking != 1 else ''} (--strict)",
            markup=False,
        )
        sys.exit(ExitCode.DATA)
