"""The audit command: consistency of the scores, agreement, and how fragile each decision is."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tender.commands import EXIT_CODES_HELP, dossier_option, json_option

if TYPE_CHECKING:
    pass

AUDIT_SET = "audit"
STRICT_HELP = """\b
With --strict the exit code is 1 when there is a blocking finding (a
missing or conflicted score, a score off the scale, a score without a
motivation); warnings and information never change the exit code.
"""


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
    from tender.app.audit import audit_evaluation
    from tender.app.load import load_evaluation
    from tender.domain.errors import ExitCode
    from tender.domain.progress import silent
    from tender.present.audit_json import report_data
    from tender.present.audit_page import audit_files
    from tender.present.render import publish
    from tender.terminal.audit import show_audit
    from tender.terminal.console import err, out, print_json
    from tender.terminal.progress import bars

    evaluation = load_evaluation(dossier, progress=silent if as_json else bars)
    outcome = audit_evaluation(evaluation)
    report, note = outcome.report, outcome.note
    written = publish(
        dossier, AUDIT_SET, audit_files(report, note=note), group=evaluation.dossier.committee.group
    )
    if as_json:
        print_json({**report_data(report), "decisions_note": note})
    else:
        show_audit(out, report, note=note, limit=None if show_all else 10)
        folder = written.as_posix()
        out.print(f"Wrote {folder}/audit.html and {folder}/audit.json.", markup=False)
    if strict and report.blocking:
        err.print(
            f"{report.blocking} blocking finding{'s' if report.blocking != 1 else ''} (--strict)",
            markup=False,
        )
        sys.exit(ExitCode.DATA)
