"""Commands on the dossier as a whole: check, run, init."""

from __future__ import annotations

from pathlib import Path

import click

from tender.commands import EXIT_CODES_HELP, dossier_option, json_option
from tender.terminal.console import plural


@click.command(epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
def check(dossier: Path, as_json: bool) -> None:
    """Validate the whole dossier and summarise what it holds.

    Every problem in every file is listed with its file, line and field.
    Exits 0 only when the dossier is clean.

    \b
    Example:
      tender check --dossier tenders/thuisondersteuning
    """
    from tender.app.summary import summarize
    from tender.io.loader import load_dossier
    from tender.terminal.console import out, print_json
    from tender.terminal.dossier import show_summary

    summary = summarize(load_dossier(dossier, require_keys=True))
    if as_json:
        print_json({"ok": True, "problems": [], "summary": summary})
        return
    show_summary(summary)
    out.print(f"[green]✓[/] {plural(summary.bids, 'bid')}; the dossier has no problems.")


@click.command(epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
def run(dossier: Path, as_json: bool) -> None:
    """The main job: every stage the evaluation has reached, and a summary.

    Checks the dossier, reads every bid (validity and suitability), replays the
    record of decisions, and goes as far as the evaluation allows: the audit once
    scores exist; decisions, the letters and the evaluation report once the
    decision can be taken. Everything is computed before anything is written, so
    a failing run leaves reports/ as it was. Writes reports/audit/,
    reports/decisions/, reports/letters/ and reports/evaluation-report/.

    \b
    Example:
      tender run --dossier .
    """
    import dataclasses

    from tender.analysis.report import SEVERITIES
    from tender.app.pipeline import run_pipeline
    from tender.app.summary import summarize
    from tender.domain.progress import silent
    from tender.present.render import publish
    from tender.terminal.console import print_json
    from tender.terminal.dossier import show_summary
    from tender.terminal.progress import bars
    from tender.terminal.run import show_run

    result = run_pipeline(dossier, progress=silent if as_json else bars)
    group = result.evaluation.dossier.committee.group
    written = [publish(dossier, name, files, group=group) for name, files in result.reports.items()]
    summary = summarize(result.evaluation.dossier)
    if as_json:
        audit = result.audit
        print_json(
            {
                **dataclasses.asdict(summary),
                "counts": dict(result.counts()),
                "not_decided": result.not_decided,
                "standstill_end": result.period.end if result.period else None,
                "audit": None
                if audit is None
                else {
                    "summary": {severity: audit.count(severity) for severity in SEVERITIES},
                    "fragile": [row.bid for row in audit.fragile],
                },
                "reports": [path.as_posix() for path in written],
            }
        )
        return
    show_summary(summary)
    show_run(result, written)


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new dossier in DIRECTORY with commented templates to fill in.

    DIRECTORY must not exist yet, or be empty: nothing is ever overwritten.

    \b
    Example:
      tender init tenders/thuisondersteuning-2026
    """
    from tender.io.scaffold import create_dossier
    from tender.terminal.console import out

    written = create_dossier(directory)
    out.print(f"Created a dossier in {directory} with:", markup=False)
    for path in written:
        out.print(f"  {path}", markup=False)
    out.print(
        f"Next: fill in {directory}/criteria/*.yaml, then run 'tender check -d {directory}'.",
        markup=False,
    )
