"""Commands on the scores: score, phase, consensus, history, verify.

``score`` and ``consensus`` are groups whose bare form is the interactive walk
(``tender score --evaluator ID``, ``tender consensus --by CHAIR``) and whose
subcommands do the same one item at a time or in bulk (``set``, ``show``,
``export``, ``import``). The group's own options belong to the walk only: they
are refused in front of a subcommand, so that ``--dossier`` can never silently
point the subcommand elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tender.commands import EXIT_CODES_HELP, ask_passphrase, dossier_option, json_option

if TYPE_CHECKING:
    from tender.record.recorder import Recorder

KEYS_HELP = """\b
Keys at the item prompt:
  8 (a scale point)  score the item; then the motivation, then Enter to confirm
  s                  skip: leave it open, go to the next open item
  b                  back: the item before this one (to see or change it)
  c                  change: go to any item, by its number in the review or 'BID SUB'
  r                  review what you recorded so far (only your own scores)
  n / p              next / previous page of the quality plan's section
  q                  quit; everything confirmed is saved, the next walk resumes
  ?                  these keys
The motivation ends with an empty line; 'e' alone on its first line opens
$EDITOR. Changing a recorded score asks for a reason.
"""


def _recorder(
    dossier: Path, member: str | None = None, *, with_not_scored: bool = True
) -> Recorder:
    """The dossier's recorder, holding ``member``'s key (unlocked here) when one acts or looks;
    bids that are invalid, excluded or unsuitable are not scored."""
    from tender.app.identity import member_keys
    from tender.bids.suitability import bids_not_scored
    from tender.io.loader import load_dossier
    from tender.record.recorder import Recorder

    loaded = load_dossier(dossier)
    keys = member_keys(loaded, member, ask_passphrase) if member is not None else None
    recorder = Recorder(loaded) if keys is None else Recorder(loaded, keys=keys)
    if with_not_scored:
        # From the recorder's replayed verdicts: reading a large record twice costs seconds.
        recorder.not_scored = bids_not_scored(loaded, recorder.book)
    return recorder


def _walk(
    walk: Callable[..., object],
    dossier: Path,
    person: str,
    *,
    bid: str | None,
    sub_criterion: str | None,
) -> None:
    """Run an interactive walk in this terminal, with the plan's sections and $EDITOR at hand."""
    from tender.bids.documents import read_sections
    from tender.terminal.console import out
    from tender.terminal.walk import Terminal

    recorder = _recorder(dossier, person)
    walk(
        recorder,
        person,
        Terminal(console=out, ask=lambda prompt: out.input(prompt, markup=False), edit=_edit),
        sections=lambda bid_id: read_sections(
            recorder.dossier,
            bid_id,
            recorder.book.opening.readings if recorder.book.opening is not None else None,
        ),
        bid=bid,
        sub_criterion=sub_criterion,
    )


def _walk_options_only(ctx: click.Context) -> None:
    """Refuse the walk's options in front of a subcommand: they would not reach it."""
    given = [
        f"--{name.replace('_', '-')}"
        for name in ctx.params
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    ]
    if given:
        raise click.UsageError(
            f"{', '.join(given)} before '{ctx.invoked_subcommand}' belongs to the interactive "
            f"walk; put it after '{ctx.invoked_subcommand}'"
        )


def _edit(text: str) -> str | None:
    return click.edit(text, extension=".txt")


# --- score -------------------------------------------------------------------------------


@click.group(invoke_without_command=True, epilog=KEYS_HELP + "\n" + EXIT_CODES_HELP)
@dossier_option
@click.option("--evaluator", "-e", metavar="ID", help="Your evaluator id: the walk is yours.")
@click.option("--bid", metavar="BID", help="Only this bid's items.")
@click.option("--sub-criterion", metavar="ID", help="Only this sub-criterion's items.")
@click.pass_context
def score(
    ctx: click.Context,
    dossier: Path,
    evaluator: str | None,
    bid: str | None,
    sub_criterion: str | None,
) -> None:
    """Score the bids, item by item, in an interactive walk (or use a subcommand).

    The walk shows each of your open items (bid x sub-criterion): the bid, the
    sub-criterion, the scale with its guidance and the quality plan's section
    (its evaluated pages, one at a time). It leaves out bids you declared a
    conflict with and bids that are invalid or unsuitable (unless award.yaml says
    score_all_bids). Every score is saved the moment you confirm it; quit at any
    time and run the command again to continue at the first open item.

    During the individual phase you see only your own scores.

    \b
    Example:
      tender score --evaluator jvanrijn
      tender score --evaluator jvanrijn --bid bid-017
      tender score set --evaluator jvanrijn bid-017 visie 8 -m "Concreet: ..."
    """
    if ctx.invoked_subcommand is not None:
        _walk_options_only(ctx)
        return
    if evaluator is None:
        raise click.UsageError("Missing option '--evaluator': the walk scores as that evaluator.")
    from tender.terminal.walk import score_walk

    _walk(score_walk, dossier, evaluator, bid=bid, sub_criterion=sub_criterion)


@score.command("set", epilog=EXIT_CODES_HELP)
@dossier_option
@click.option("--evaluator", "-e", metavar="ID", required=True, help="Your evaluator id.")
@click.argument("bid")
@click.argument("sub_criterion", metavar="SUB_CRITERION")
@click.argument("value", metavar="SCORE")
@click.option("--motivation", "-m", required=True, help="Why this score, against the guidance.")
@click.option("--reason", help="Why a recorded score changes; required for a change.")
def set_score(
    *,
    dossier: Path,
    evaluator: str,
    bid: str,
    sub_criterion: str,
    value: str,
    motivation: str,
    reason: str | None,
) -> None:
    """Record one individual score, with its motivation, from a script.

    The same rules as in the walk: SCORE must be a point on the scale, the
    motivation is required, a declared conflict refuses the bid, and changing a
    recorded score needs --reason.

    \b
    Example:
      tender score set -e jvanrijn bid-017 visie 8 -m "Concrete examples with the wijkteam."
      tender score set -e jvanrijn bid-017 visie 6 -m "..." --reason "Misread page 4."
    """
    from tender.terminal.console import out

    recorder = _recorder(dossier, evaluator)
    points = recorder.parse_score(value)
    entry = recorder.record_score(
        evaluator,
        bid,
        sub_criterion,
        score=points,
        motivation=motivation,
        reason=reason,
    )
    out.print(
        f"Recorded {points} for {bid} / {sub_criterion} by {evaluator} "
        f"(entry {entry.seq}, sealed for {', '.join(entry.event['boxes'])}).",
        markup=False,
    )


@score.command("show", epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
@click.option("--evaluator", "-e", metavar="ID", required=True, help="Your evaluator id.")
@click.option("--bid", metavar="BID", help="Only this bid's items.")
@click.option("--sub-criterion", metavar="ID", help="Only this sub-criterion's items.")
def show_scores(
    dossier: Path,
    as_json: bool,
    evaluator: str,
    bid: str | None,
    sub_criterion: str | None,
) -> None:
    """List your items with the scores you recorded (open ones too).

    Only your own scores, in every phase: the committee's scores side by side
    are in 'tender consensus show', once the consensus phase is open.

    \b
    Example:
      tender score show --evaluator jvanrijn --bid bid-017
    """
    from tender.terminal.console import out, print_json
    from tender.terminal.scores import show_own_scores

    recorder = _recorder(dossier, evaluator)
    items = recorder.items_for(evaluator)
    if bid is not None:
        recorder.check_bid(evaluator, bid)
    if sub_criterion is not None:
        recorder.check_sub_criterion(sub_criterion)
    rows = [
        (item, recorder.book.individual.get((evaluator, *item)))
        for item in items
        if bid in (None, item[0]) and sub_criterion in (None, item[1])
    ]
    if as_json:
        print_json([{"bid": b, "sub_criterion": s, "score": found} for (b, s), found in rows])
        return
    show_own_scores(out, evaluator, rows)


@score.command("export", epilog=EXIT_CODES_HELP)
@dossier_option
@click.option("--evaluator", "-e", metavar="ID", required=True, help="Your evaluator id.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE when it exists.")
def export(dossier: Path, evaluator: str, file: Path, force: bool) -> None:
    """Write your score sheet to FILE (.csv or .xlsx; '-' for CSV on stdout).

    One row per item you are to score, with columns bid, sub_criterion, score,
    motivation and reason: your current score and motivation, blank where the
    item is open. Fill it in and bring it back with 'tender score import'.

    \b
    Example:
      tender score export --evaluator jvanrijn jvanrijn.xlsx
    """
    from tender.record.sheets import csv_text, export_sheet, sheet_rows
    from tender.terminal.console import out

    recorder = _recorder(dossier, evaluator)
    if str(file) == "-":
        click.echo(csv_text(sheet_rows(recorder, evaluator)), nl=False)
        return
    count = export_sheet(recorder, evaluator, file, overwrite=force)
    out.print(f"Wrote {count} items for {evaluator} to {file}.", markup=False)


@score.command("import", epilog=EXIT_CODES_HELP)
@dossier_option
@click.option("--evaluator", "-e", metavar="ID", required=True, help="Your evaluator id.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(dossier: Path, evaluator: str, file: Path) -> None:
    """Record the scores in a sheet (.csv or .xlsx): every row, or none.

    Every row is checked first, by the same rules as the walk; each bad row is
    reported with its row number, column and what was expected, and then nothing
    is recorded. Rows left blank stay open, rows equal to what is recorded are
    skipped, and a row that changes a recorded score needs a reason in the
    reason column. A CSV is UTF-8, separated by commas or semicolons.

    \b
    Example:
      tender score import --evaluator jvanrijn jvanrijn.xlsx
    """
    from tender.record.sheets import import_sheet
    from tender.terminal.console import out
    from tender.terminal.scores import show_imported

    recorder = _recorder(dossier, evaluator)
    show_imported(out, import_sheet(recorder, evaluator, file, display=str(file)))


# --- opening and phase -------------------------------------------------------------------


@click.command(name="open", epilog=EXIT_CODES_HELP)
@dossier_option
@click.option(
    "--by", "chair", metavar="CHAIR", required=True, help="The chair, who opens the bids."
)
def open_command(dossier: Path, chair: str) -> None:
    """Open the bids: the record's first entry, freezing the criteria and the bids.

    Records who opened and when, the SHA-256 of every file of criteria/ and of
    every bid's folder, and a digest of what every PDF reads as. Refused before
    the deadline. From then on every command refuses (exit 3) to decide on a
    criteria or bid file that changed, was added or was removed, and no reading
    of a PDF other than the opened one is used. Nothing can be scored before.

    \b
    Example:
      tender open --by ibosman
    """
    from tender.app.opening import open_bids
    from tender.terminal.console import out
    from tender.terminal.progress import bars

    entry, files, readings = open_bids(dossier, chair, ask=ask_passphrase, progress=bars)
    out.print(
        f"Bids opened by {chair} (entry {entry.seq}, {entry.at:%Y-%m-%d %H:%M} UTC): "
        f"{files} files frozen, {readings} PDF readings recorded.",
        markup=False,
    )


@click.command(epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
@click.argument("target", required=False, type=click.Choice(["consensus", "lock"]))
@click.option("--by", metavar="CHAIR", help="The chair, who alone moves the phase.")
@click.option(
    "--force",
    "force_reason",
    metavar="REASON",
    help="Move on although scores or verdicts are missing; REASON is recorded with the move.",
)
def phase(
    dossier: Path, as_json: bool, target: str | None, by: str | None, force_reason: str | None
) -> None:
    """Show the phase and who has scores open, or (the chair) move to the next phase.

    'individual': every evaluator scores alone and sees only their own scores.
    'consensus': the chair opens it when all scores are in (refused while any is
    missing, unless --force gives a reason); all scores become visible and the
    chair records consensus scores. 'lock': the scores are frozen for the decision;
    refused while a suitability verdict that a person must give is still pending
    for a bid that is scored (verdicts are given until the lock), unless --force.

    \b
    Example:
      tender phase
      tender phase consensus --by ibosman
      tender phase lock --by ibosman
    """
    from tender.bids.suitability import assess, not_scored, pending_verdicts
    from tender.record.disclosure import phase_status
    from tender.terminal.console import out, print_json
    from tender.terminal.scores import show_phase

    if target is None and (by or force_reason):
        raise click.UsageError("--by and --force go with the phase to move to: consensus or lock")
    if target is not None and by is None:
        raise click.UsageError("Missing option '--by': only the chair moves the phase.")
    recorder = _recorder(dossier, by, with_not_scored=False)
    assessments = assess(recorder.dossier, recorder.book)
    recorder.not_scored = not_scored(recorder.dossier, assessments)
    if target is not None and by is not None:
        entry = recorder.change_phase(
            by,
            "consensus" if target == "consensus" else "locked",
            force_reason=force_reason,
            pending=pending_verdicts(assessments),
        )
        if not as_json:
            out.print(
                f"The evaluation is now in the {recorder.book.phase} phase (entry {entry.seq})."
            )
    status = phase_status(recorder, pending_verdicts(assessments))
    if as_json:
        print_json(status)
        return
    show_phase(out, status, recorder.dossier.committee)


# --- consensus ---------------------------------------------------------------------------


@click.group(invoke_without_command=True, epilog=KEYS_HELP + "\n" + EXIT_CODES_HELP)
@dossier_option
@click.option("--by", metavar="CHAIR", help="The chair, who records the consensus scores.")
@click.option("--bid", metavar="BID", help="Only this bid's items.")
@click.option("--sub-criterion", metavar="ID", help="Only this sub-criterion's items.")
@click.pass_context
def consensus(
    ctx: click.Context,
    dossier: Path,
    by: str | None,
    bid: str | None,
    sub_criterion: str | None,
) -> None:
    """Record consensus scores in an interactive walk (or use a subcommand).

    In the consensus phase the chair walks the items, widest spread between the
    evaluators first: each screen shows every individual score and motivation
    side by side with the quality plan's section; the chair types the score the
    committee agreed on and its motivation. The keys are those of 'tender score'.

    \b
    Example:
      tender consensus --by ibosman
      tender consensus show --open
      tender consensus set --by ibosman bid-017 visie 8 -m "The committee agrees: ..."
    """
    if ctx.invoked_subcommand is not None:
        _walk_options_only(ctx)
        return
    if by is None:
        raise click.UsageError("Missing option '--by': the chair records consensus scores.")
    from tender.terminal.walk import consensus_walk

    _walk(consensus_walk, dossier, by, bid=bid, sub_criterion=sub_criterion)


@consensus.command("show", epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
@click.option("--bid", metavar="BID", help="Only this bid's items.")
@click.option("--sub-criterion", metavar="ID", help="Only this sub-criterion's items.")
@click.option("--open", "open_only", is_flag=True, help="Only items without a consensus score.")
def show_consensus(
    dossier: Path, as_json: bool, bid: str | None, sub_criterion: str | None, open_only: bool
) -> None:
    """Every item's individual scores and motivations side by side, widest spread first.

    Refused during the individual phase, when no one may see another's scores.

    \b
    Example:
      tender consensus show --open
      tender consensus show --bid bid-017 --json
    """
    from tender.record.disclosure import consensus_items
    from tender.terminal.console import out, print_json
    from tender.terminal.scores import show_consensus_items

    recorder = _recorder(dossier)
    items = consensus_items(recorder, bid=bid, sub_criterion=sub_criterion, open_only=open_only)
    if as_json:
        print_json(items)
        return
    show_consensus_items(out, items, recorder.dossier.committee)


@consensus.command("set", epilog=EXIT_CODES_HELP)
@dossier_option
@click.option("--by", metavar="CHAIR", required=True, help="The chair.")
@click.argument("bid")
@click.argument("sub_criterion", metavar="SUB_CRITERION")
@click.argument("value", metavar="SCORE")
@click.option("--motivation", "-m", required=True, help="The committee's motivation.")
@click.option("--reason", help="Why a recorded consensus score changes; required for a change.")
def set_consensus(
    *,
    dossier: Path,
    by: str,
    bid: str,
    sub_criterion: str,
    value: str,
    motivation: str,
    reason: str | None,
) -> None:
    """Record the consensus score on one item (the chair, in the consensus phase).

    \b
    Example:
      tender consensus set --by ibosman bid-017 visie 8 -m "Concrete examples; see page 4."
    """
    from tender.terminal.console import out

    recorder = _recorder(dossier, by, with_not_scored=False)
    entry = recorder.record_consensus(
        by,
        bid,
        sub_criterion,
        score=recorder.parse_score(value),
        motivation=motivation,
        reason=reason,
    )
    out.print(
        f"Recorded consensus {entry.event['score']} for {bid} / {sub_criterion} "
        f"(entry {entry.seq}).",
        markup=False,
    )


# --- history and verify ------------------------------------------------------------------


@click.command(epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
@click.argument("bid")
@click.argument("sub_criterion", metavar="[SUB_CRITERION]", required=False)
@click.option(
    "--evaluator",
    "-e",
    metavar="ID",
    help="Who is looking; required in the individual phase, when you see only your own scores.",
)
def history(
    dossier: Path, as_json: bool, bid: str, sub_criterion: str | None, evaluator: str | None
) -> None:
    """The trail of a bid: every score, consensus score and verdict, with who, when and why.

    Each line shows the entry, when and by whom (the evaluator and the computer
    account that wrote it), the old and the new value, the motivation and the
    reason for a change. In the individual phase it shows your own scores only.

    \b
    Example:
      tender history bid-017 --evaluator jvanrijn
      tender history bid-017 visie
    """
    from tender.record.disclosure import history as trail
    from tender.terminal.console import out, print_json
    from tender.terminal.scores import show_history

    recorder = _recorder(dossier, evaluator, with_not_scored=False)
    changes = trail(recorder, bid, sub_criterion, viewer=evaluator)
    if as_json:
        print_json(changes)
        return
    title = f"History of {bid}" + (f" / {sub_criterion}" if sub_criterion else "")
    show_history(out, title, changes, recorder.dossier.procedure.time_zone)


@click.command(epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
@click.option(
    "--by",
    metavar="ID",
    help="Check the sealed scores' content too, with this member's key (the chair's opens all).",
)
def verify(dossier: Path, as_json: bool, by: str | None) -> None:
    """Check the record of decisions from its first line: nothing changed, lost or added.

    Every entry's signature is checked against its author's public key in
    committee.yaml (as opened), and every entry against the procedure's rules
    (who may record what, in which phase, on which bid); a sealed score's content
    only with --by a member who may read it (the chair reads all), since nobody
    else can open it before consensus. The criteria and bid files against their
    digests at the opening, and every file of reports/sent-vN/ and
    definitive-vN/ against the digests recorded when it was sent. Exits 3
    naming the line of the first bad entry, or every changed file. A clean record prints its
    number of entries and the last entry's hash: keep that hash apart from the
    dossier (in the minutes, say) to prove later that nothing was rewritten.
    An interrupted last write is reported, not counted as damage. A copy of the
    dossier that cannot be written (an archive on a read-only disk) is verified as it is.

    \b
    Example:
      tender verify --dossier tenders/thuisondersteuning
      tender verify --by ibosman
    """
    import dataclasses
    import sys

    from tender.app.identity import member_keys
    from tender.domain.errors import EvidenceError, RecordDamagedError
    from tender.io.loader import load_dossier
    from tender.record.disclosure import check_record
    from tender.terminal.console import out, print_json
    from tender.terminal.scores import show_record_check

    try:
        loaded = load_dossier(dossier)
        keys = member_keys(loaded, by, ask_passphrase) if by is not None else None
        check = check_record(loaded) if keys is None else check_record(loaded, keys)
    except RecordDamagedError as error:
        if not as_json:
            raise
        print_json({"ok": False, "file": error.file, "line": error.line, "problem": error.detail})
        sys.exit(error.exit_code)
    except EvidenceError as error:
        if not as_json:
            raise
        print_json({"ok": False, "problem": error.summary, "changes": list(error.changes)})
        sys.exit(error.exit_code)
    if as_json:
        print_json({"ok": True, **dataclasses.asdict(check)})
        return
    show_record_check(out, check)
