"""The command line: a thin skin that parses options, calls one stage and shows its result.

Only click is imported at start-up; every command imports the stages it needs
when it runs, so that ``tender --help`` stays quick. Errors of the
:class:`~tender.domain.errors.TenderError` family are caught once, in
:class:`TenderGroup`, and become a message on stderr and a documented exit code.
Commands live in :mod:`tender.commands`, one module per stage.
"""

from __future__ import annotations

import gc
from typing import Any

import click

from tender import __version__
from tender.commands import (
    EXIT_CODES_HELP,
    JSON_META,
    audit,
    bids,
    decisions,
    dossier,
    export,
    keys,
    scores,
    standstill,
)


class TenderGroup(click.Group):
    """Turns tender's errors, interrupts and bugs into a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        from tender.domain.errors import DossierError, ExitCode, TenderError

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except DossierError as error:
            if _debug(ctx):
                raise
            from tender.terminal.console import print_json, print_problems

            if ctx.meta.get(JSON_META):
                print_json({"ok": False, "problems": error.problems})
            else:
                print_problems(error.problems)
            ctx.exit(error.exit_code)
        except TenderError as error:
            if _debug(ctx):
                raise
            from tender.terminal.console import err, plain, print_json

            if ctx.meta.get(JSON_META):
                print_json({"ok": False, "error": str(error), "exit_code": int(error.exit_code)})
            err.print(plain(f"error: {error}"))  # it may quote the dossier or the record
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


@click.group(cls=TenderGroup, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="tender")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
def cli(debug: bool) -> None:
    """Run a tender evaluation: from the bids that came in to the award letters that go out.

    Every command works on one dossier folder (default: the current folder).
    Start with 'tender init DIR' for a new tender, or 'tender check' for an existing one.

    \b
    Examples:
      tender run
      tender check --dossier tenders/thuisondersteuning
      tender open --by ibosman
    """


cli.add_command(dossier.check)
cli.add_command(dossier.run)
cli.add_command(dossier.init)
cli.add_command(bids.bids)
cli.add_command(bids.suitability)
cli.add_command(standstill.standstill)
cli.add_command(decisions.decide)
cli.add_command(decisions.letters)
cli.add_command(decisions.report)
cli.add_command(scores.open_command)
cli.add_command(scores.score)
cli.add_command(scores.phase)
cli.add_command(scores.consensus)
cli.add_command(scores.history)
cli.add_command(scores.verify)
cli.add_command(audit.audit)
cli.add_command(keys.key)
cli.add_command(export.export)


GC_THRESHOLDS = (100_000, 10, 10)
"""The cyclic garbage collector runs after this many new objects, not Python's 700.

A command builds large structures that live until it ends (the dossier, the documents,
the replayed record); at the default threshold the collector goes over them again and
again while they are built: a fifth of the time of 'tender decide' on 10,000 bids
(benchmarks/scale.py). tender makes little cyclic garbage, so memory does not grow.
"""


def main() -> None:
    """Console-script entry point."""
    gc.set_threshold(*GC_THRESHOLDS)
    cli(prog_name="tender")
