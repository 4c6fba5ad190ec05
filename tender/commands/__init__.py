"""Options and help text shared by every command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tender.domain.errors import RefusedError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES_HELP = """\b
Exit codes:
  0    success
  1    problems in the data (the dossier, a score, a sheet, a damaged key file)
  2    usage: unknown command or option, a missing folder
  3    the record or what it froze fails verification (changed or signed outside tender)
  4    refused (wrong phase, conflict of interest, scores frozen, not the member's key)
  5    the machine refused (disk full, read-only, no permission, not a regular file)
  70   internal error (a bug; run again with --debug and report it)
  130  interrupted (Ctrl-C); nothing half-written is left behind
"""


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


def ask_passphrase(path: str) -> str:
    """The passphrase of the key file at ``path``, asked once, without echo."""
    if not sys.stdin.isatty():
        raise RefusedError(
            f"{path}: the key is protected by a passphrase and there is no terminal to ask "
            "it in; set TENDER_PASSPHRASE"
        )
    return str(click.prompt(f"Passphrase for {path}", hide_input=True, err=True))


JSON_META = "tender.json"
"""Set in the context's meta when --json is given, so that errors are printed as JSON too."""


def json_option(command: F) -> F:
    """``--json``: the same data as the table, as JSON on stdout (problems too)."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print the result as JSON instead of tables.",
        callback=_remember_json,
    )(command)


def _remember_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[JSON_META] = True
    return value
