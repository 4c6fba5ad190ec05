"""Commands on the bids before scoring: what came in (bids, bids show) and suitability."""

from __future__ import annotations

from pathlib import Path

import click

from tender.commands import EXIT_CODES_HELP, ask_passphrase, dossier_option, json_option


@click.group(invoke_without_command=True, epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
@click.option(
    "--reread-limited",
    is_flag=True,
    help="Read again every PDF whose reading stopped at a limit (time, memory, file size, "
    "text), e.g. after the machine was busy. After the opening, a PDF that now reads "
    "otherwise is refused (exit 3).",
)
@click.pass_context
def bids(ctx: click.Context, dossier: Path, as_json: bool, reread_limited: bool) -> None:
    """List the bids: received, on time, documents, pages and what reading them found.

    Every PDF is read once and cached in the dossier's .tender-cache/ folder, so
    a second run reads no PDF. A PDF that hit a limit is cached as such: its bid
    shows the finding on every run until it is read again with --reread-limited.

    \b
    Examples:
      tender bids
      tender bids --reread-limited
      tender bids show bid-038
    """
    if ctx.invoked_subcommand is not None:
        return
    from tender.bids.suitability import assess
    from tender.io.loader import load_dossier
    from tender.record.replay import read_book
    from tender.terminal.bids import bid_lines, show_bids
    from tender.terminal.console import print_json
    from tender.terminal.progress import bars

    loaded = load_dossier(dossier)
    lines = bid_lines(
        assess(loaded, read_book(loaded), progress=bars, reread_limited=reread_limited)
    )
    if as_json:
        print_json(lines)
        return
    show_bids(lines)


@bids.command(epilog=EXIT_CODES_HELP)
@click.argument("bid")
@dossier_option
@json_option
def show(bid: str, dossier: Path, as_json: bool) -> None:
    """Show one bid: its metadata, documents, form fields and the sections of its plan.

    \b
    Example:
      tender bids show bid-009
    """
    from tender.bids.suitability import assess
    from tender.io.loader import load_dossier
    from tender.record.replay import read_book
    from tender.terminal.bids import bid_detail, show_bid
    from tender.terminal.console import print_json
    from tender.terminal.progress import bars

    loaded = load_dossier(dossier)
    (assessment,) = assess(loaded, read_book(loaded), [bid], progress=bars)
    submission = loaded.submission(bid)
    assert submission is not None  # assess refused an unknown bid
    mandatory = [doc.id for doc in loaded.procedure.documents if doc.mandatory]
    detail = bid_detail(assessment, submission.metadata, mandatory)
    if as_json:
        print_json(detail)
        return
    show_bid(detail)


@click.group(invoke_without_command=True, epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
@click.pass_context
def suitability(ctx: click.Context, dossier: Path, as_json: bool) -> None:
    """Check every bid against the validity rules and the suitability requirements.

    Shows bids x requirements as pass, fail or pending, with the reason for every
    failure. A requirement that needs a person stays pending until someone
    records a verdict with 'tender suitability verify'.

    \b
    Example:
      tender suitability --dossier .
    """
    if ctx.invoked_subcommand is not None:
        return
    from tender.bids.suitability import assess
    from tender.io.loader import load_dossier
    from tender.record.replay import read_book
    from tender.terminal.bids import show_suitability, suitability_lines
    from tender.terminal.console import print_json
    from tender.terminal.progress import bars

    loaded = load_dossier(dossier)
    assessments = assess(loaded, read_book(loaded), progress=bars)
    if as_json:
        print_json(suitability_lines(assessments))
        return
    show_suitability(assessments, [(req.id, req.title) for req in loaded.suitability.requirements])


@suitability.command(epilog=EXIT_CODES_HELP)
@click.argument("bid")
@click.argument("requirement")
@click.option(
    "--pass/--fail",
    "passed",
    default=None,
    help="The verdict: the bid meets the requirement, or does not. Required.",
)
@click.option("--reason", required=True, help="Why: what the evidence shows. Required.")
@click.option("--by", "by", required=True, help="The evaluator id of who gives the verdict.")
@dossier_option
def verify(
    *, bid: str, requirement: str, passed: bool | None, reason: str, by: str, dossier: Path
) -> None:
    """Record a person's verdict on a requirement of one bid, with who, when and why.

    A later verdict on the same bid and requirement replaces this one as the
    current verdict; both stay in the record.

    \b
    Example:
      tender suitability verify bid-004 referenties --pass \\
        --reason "Twee referenties Wmo-thuisondersteuning, 2016 en 2017" --by ibosman
    """
    if passed is None:
        raise click.UsageError("give the verdict: --pass or --fail")
    from tender.app.identity import member_keys
    from tender.bids.suitability import record_verdict
    from tender.io.loader import load_dossier
    from tender.terminal.bids import show_verdict

    loaded = load_dossier(dossier)
    keys = member_keys(loaded, by, ask_passphrase)
    result, replaced = record_verdict(
        loaded, by, bid, requirement, passed=passed, reason=reason, keys=keys
    )
    show_verdict(result, replaced)
