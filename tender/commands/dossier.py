"""Commands on the dossier as a whole: check, run, init."""

from __future__ import annotations

from pathlib import Path

import click

from tender.commands import EXIT_CODES_HELP, dossier_option, json_option, plural


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
    from tender.dossier import load_dossier
    from tender.output import out, print_json
    from tender.summary import summarize
    from tender.views import show_summary

    summary = summarize(load_dossier(dossier))
    if as_json:
        print_json({"ok": True, "problems": [], "summary": summary})
        return
    show_summary(summary)
    out.print(f"[green]✓[/] {plural(summary.bids, 'bid')}; the dossier has no problems.")


@click.command(epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
def run(dossier: Path, as_json: bool) -> None:
    """The main job: check the dossier and report where the evaluation stands.

    Once scores are recorded it also runs the audit ('tender audit') and writes
    reports/audit/audit.html and audit.json.

    \b
    Example:
      tender run --dossier .
    """
    import dataclasses

    from tender.commands.audit import audit_for_run, run_data, run_line
    from tender.dossier import load_dossier
    from tender.output import out, print_json
    from tender.summary import summarize
    from tender.views import show_summary

    loaded = load_dossier(dossier)
    summary = summarize(loaded)
    audited = audit_for_run(loaded, progress=not as_json)
    if as_json:
        print_json({**dataclasses.asdict(summary), "audit": run_data(audited)})
        return
    show_summary(summary)
    if audited is not None:
        out.print(run_line(audited), markup=False)
    out.print(
        f"{plural(summary.bids, 'bid')} · {plural(summary.evaluators, 'evaluator')} · "
        f"{len(summary.sub_criteria)} sub-criteria · threshold {'; '.join(summary.threshold)}"
    )


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new dossier in DIRECTORY with commented templates to fill in.

    DIRECTORY must not exist yet, or be empty: nothing is ever overwritten.

    \b
    Example:
      tender init tenders/thuisondersteuning-2026
    """
    from tender.output import out
    from tender.scaffold import create_dossier

    written = create_dossier(directory)
    out.print(f"Created a dossier in {directory} with:", markup=False)
    for path in written:
        out.print(f"  {path}", markup=False)
    out.print(
        f"Next: fill in {directory}/criteria/*.yaml, then run 'tender check -d {directory}'.",
        markup=False,
    )
