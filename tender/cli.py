"""The command line: a thin skin that parses options, calls one stage and shows its result.

Only click is imported at start-up; every command imports the stages it needs
when it runs, so that ``tender --help`` stays quick. Errors of the
:class:`~tender.errors.TenderError` family are caught once, in
:class:`TenderGroup`, and become a message on stderr and a documented exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tender import __version__

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES_HELP = """\b
Exit codes:
  0    success
  1    problems in the data (the dossier, a score, a record)
  2    usage: unknown command or option, a missing folder
  70   internal error (a bug; run again with --debug and report it)
  130  interrupted (Ctrl-C); nothing half-written is left behind
"""


class TenderGroup(click.Group):
    """Turns tender's errors, interrupts and bugs into a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        from tender.errors import DossierError, ExitCode, TenderError

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except DossierError as error:
            if _debug(ctx):
                raise
            from tender.output import print_problems

            print_problems(error.problems)
            ctx.exit(error.exit_code)
        except TenderError as error:
            if _debug(ctx):
                raise
            from tender.output import err

            err.print(f"error: {error}", markup=False)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing half-written was left behind", err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except Exception as error:
            if _debug(ctx):
                raise
            click.echo(
                f"internal error: {type(error).__name__}: {error}\n"
                "This is a bug in tender. Run the command again with --debug and report the output.",
                err=True,
            )
            ctx.exit(ExitCode.INTERNAL)


def _debug(ctx: click.Context) -> bool:
    root = ctx.find_root()
    return bool(root.params.get("debug"))


def dossier_option(command: F) -> F:
    """``--dossier DIR`` on every command that works on a dossier."""
    return click.option(
        "--dossier",
        "-d",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=Path(),
        show_default="current folder",
        envvar="TENDER_DOSSIER",
        help="The tender dossier folder (criteria/, submissions/, scores/, reports/).",
    )(command)


def json_option(command: F) -> F:
    """``--json``: the same data as the table, as JSON on stdout."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print the result as JSON instead of tables."
    )(command)


@click.group(cls=TenderGroup, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="tender")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
def cli(debug: bool) -> None:
    """Run a tender evaluation: from the bids that came in to the award letters that go out.

    Every command works on one dossier folder (default: the current folder).
    Start with 'tender init DIR' for a new tender, or 'tender check' for an existing one.
    """


@cli.command(epilog=EXIT_CODES_HELP)
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
    from tender.errors import DossierError
    from tender.output import out, print_json
    from tender.summary import summarize
    from tender.views import show_summary

    try:
        loaded = load_dossier(dossier)
    except DossierError as error:
        if not as_json:
            raise
        print_json({"ok": False, "problems": error.problems})
        sys.exit(error.exit_code)
    summary = summarize(loaded)
    if as_json:
        print_json({"ok": True, "problems": [], "summary": summary})
        return
    show_summary(summary)
    out.print(f"[green]✓[/] {_count(summary.bids, 'bid')}; the dossier has no problems.")


@cli.command(epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
def run(dossier: Path, as_json: bool) -> None:
    """The main job: check the dossier and report where the evaluation stands.

    \b
    Example:
      tender run --dossier .
    """
    from tender.dossier import load_dossier
    from tender.output import out, print_json
    from tender.summary import summarize
    from tender.views import show_summary

    summary = summarize(load_dossier(dossier))
    if as_json:
        print_json(summary)
        return
    show_summary(summary)
    out.print(
        f"{_count(summary.bids, 'bid')} · {_count(summary.evaluators, 'evaluator')} · "
        f"{len(summary.sub_criteria)} sub-criteria · threshold {'; '.join(summary.threshold)}"
    )


@cli.command(epilog=EXIT_CODES_HELP)
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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="tender")
