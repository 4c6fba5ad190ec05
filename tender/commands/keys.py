"""Members' keys: ``tender key new`` makes the key pair a member signs with."""

from __future__ import annotations

import os
import sys

import click

from tender.commands import EXIT_CODES_HELP


@click.group(epilog=EXIT_CODES_HELP)
def key() -> None:
    """Members' signing keys: every entry of the record is signed by its author's key.

    \b
    Example:
      tender key new --evaluator rdemir
    """


@key.command("new", epilog=EXIT_CODES_HELP)
@click.option(
    "--evaluator",
    "-e",
    "member",
    metavar="ID",
    required=True,
    help="The member's id in committee.yaml (an evaluator, the chair or the secretary).",
)
@click.option(
    "--example",
    is_flag=True,
    help="A key without a passphrase, marked as not secret: for example and test dossiers only.",
)
def new(member: str, example: bool) -> None:
    """Make a member's key pair and print the public key line for committee.yaml.

    The private key is kept in the keys folder ($TENDER_KEYS, or keys/ in your
    config folder), readable by you only, protected by a passphrase (asked twice,
    or taken from $TENDER_PASSPHRASE); it is never replaced. Give the printed line
    to the chair, who adds it under your entry in criteria/committee.yaml before
    the bids are opened. From then on only this key can record in your name, and
    it opens the individual scores sealed to you.

    \b
    Example:
      tender key new --evaluator rdemir
    """
    from tender.domain.errors import InputError, RefusedError
    from tender.domain.keys import MemberKey
    from tender.domain.models import SLUG_PATTERN
    from tender.io.keyfiles import PASSPHRASE_ENV, require_no_key, write_key
    from tender.terminal.console import out

    if not SLUG_PATTERN.fullmatch(member):
        raise click.BadParameter(
            "expected the member's id as committee.yaml spells it (lower case, digits, hyphens)",
            param_hint="'--evaluator'",
        )
    require_no_key(member)
    passphrase = ""
    if not example:
        if PASSPHRASE_ENV not in os.environ and not sys.stdin.isatty():
            raise RefusedError(
                f"a passphrase protects {member}'s key: set {PASSPHRASE_ENV}, or run the "
                "command in a terminal to be asked for it"
            )
        passphrase = os.environ.get(PASSPHRASE_ENV) or click.prompt(
            f"Passphrase for {member}'s key", hide_input=True, confirmation_prompt=True, err=True
        )
        if not passphrase:
            raise InputError("a passphrase is required (or --example for a key that is not secret)")
    made = MemberKey.generate(member)
    path = write_key(made, passphrase)
    out.print(f"Private key of {member} written to {path} (readable by you only).", markup=False)
    out.print(f"Add this line under {member} in criteria/committee.yaml:", markup=False)
    click.echo(f"    key: {made.public}")
