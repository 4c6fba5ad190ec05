"""Commands that decide and announce: decide, letters (render, send, withdraw, definitive), report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tender.commands import EXIT_CODES_HELP, ask_passphrase, dossier_option, json_option

if TYPE_CHECKING:
    from tender.present.render import Rendered

DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.command(epilog=EXIT_CODES_HELP)
@dossier_option
@json_option
@click.option(
    "--all", "show_all", is_flag=True, help="List every decision (default: the first 200)."
)
def decide(dossier: Path, as_json: bool, show_all: bool) -> None:
    """Decide every bid: final scores, the threshold, and the outcome with its reasons.

    Outcomes, in order: invalid, excluded, unsuitable, below threshold,
    provisional award. Every figure is exact; shown figures are rounded down.
    Refused while suitability verdicts or scores the decision needs are missing.
    Writes reports/decisions/decisions.json and decisions.csv with every
    decision; the terminal lists the first 200 unless --all.

    \b
    Examples:
      tender decide
      tender decide --all
    """
    from tender.app.load import load_evaluation
    from tender.present.decision_files import decision_files, decision_record
    from tender.present.render import publish
    from tender.terminal.console import print_json
    from tender.terminal.decisions import ROWS_SHOWN, show_decisions
    from tender.terminal.progress import bars

    evaluation = load_evaluation(dossier, progress=bars)
    decisions = evaluation.decide()
    publish(
        dossier,
        "decisions",
        decision_files(evaluation.dossier, decisions),
        group=evaluation.dossier.committee.group,
    )
    if as_json:
        subs = [sub.id for sub in evaluation.dossier.award.sub_criteria]
        print_json([decision_record(decision, subs) for decision in decisions])
        return
    show_decisions(evaluation.dossier, decisions, limit=None if show_all else ROWS_SHOWN)


@click.group(invoke_without_command=True, epilog=EXIT_CODES_HELP)
@dossier_option
@click.option(
    "--date",
    "letter_date",
    type=DAY,
    help="Date the letters carry (default: the date they were sent, else the planned "
    "provisional award date, else today).",
)
@click.pass_context
def letters(ctx: click.Context, dossier: Path, letter_date: dt.datetime | None) -> None:
    """Render the provisional award and rejection letters to reports/letters/.

    One letter per bid, as HTML and as PDF from the same template, in the
    dossier's language. Rendering changes nothing in the record: 'letters send'
    records the dispatch and freezes the decision.

    \b
    Examples:
      tender letters
      tender letters send --date 2017-12-01 --by ibosman
      tender letters withdraw --by ibosman --reason "Rekenfout in bid-019"
      tender letters definitive --date 2017-12-22 --by ibosman
    """
    if ctx.invoked_subcommand is not None:
        return
    from tender.app.load import load_evaluation
    from tender.present.letters import provisional_letters
    from tender.present.render import publish
    from tender.terminal.console import out
    from tender.terminal.progress import bars

    evaluation = load_evaluation(dossier, progress=bars)
    sent = evaluation.book.sent
    day = _letter_day(
        letter_date, sent.sent if sent else evaluation.dossier.procedure.planned.provisional_award
    )
    decisions = evaluation.decide()
    version = sent.version if sent else len(evaluation.book.dispatches) + 1
    files = provisional_letters(
        evaluation.dossier,
        decisions,
        evaluation.assessments,
        evaluation.standstill(day),
        version=version,
        progress=bars,
    )
    target = publish(dossier, "letters", files, group=evaluation.dossier.committee.group)
    out.print(
        f"{len(decisions)} letters dated {day:%d-%m-%Y}{_annex_note(files)} written to {target}",
        markup=False,
    )


@letters.command(epilog=EXIT_CODES_HELP)
@dossier_option
@click.option("--date", "sent_date", type=DAY, required=True, help="The day the letters are sent.")
@click.option("--by", "chair", required=True, help="The chair, who records the dispatch.")
def send(dossier: Path, sent_date: dt.datetime, chair: str) -> None:
    """Record that the provisional award letters were sent, and freeze the decision.

    The letters are rendered once more, kept in reports/sent-v<N>/ (never
    replaced), and their digests recorded in the record with each bid's outcome
    and the standstill end date. The date may not lie after today (the
    machine's clock, in the dossier's time zone) nor before the record's last
    entry. From then on no score, verdict or phase may change unless the
    decision is withdrawn.

    \b
    Example:
      tender letters send --date 2017-12-01 --by ibosman
    """
    from tender.app.dispatch import send_letters
    from tender.terminal.console import out
    from tender.terminal.progress import bars

    sent = send_letters(dossier, chair, sent_date.date(), ask=ask_passphrase, progress=bars)
    kept = " (kept by an interrupted run, recorded now)" if sent.kept_before else ""
    out.print(
        f"Letters version {sent.version} recorded as sent on {sent.day:%d-%m-%Y} "
        f"(entry {sent.entry.seq}): {len(sent.decisions)} bids, "
        f"{sum(d.awarded for d in sent.decisions)} provisional awards. Kept in "
        f"{sent.folder}{kept}. Standstill ends {sent.period.end:%d-%m-%Y}; definitive award "
        f"from {sent.period.definitive_from:%d-%m-%Y}. Digest {sent.digest}.",
        markup=False,
    )


@letters.command(epilog=EXIT_CODES_HELP)
@dossier_option
@click.option("--by", "chair", required=True, help="The chair, who records the withdrawal.")
@click.option("--reason", required=True, help="Why the decision is withdrawn (recorded).")
def withdraw(dossier: Path, chair: str, reason: str) -> None:
    """Withdraw the provisional award decision in force, so that it can be taken again.

    The chair may then correct consensus scores (the phase returns to
    consensus), lock them again and send a new version of the letters.

    \b
    Example:
      tender letters withdraw --by ibosman --reason "Rekenfout in de score van bid-019"
    """
    from tender.app.identity import member_keys
    from tender.io.loader import load_dossier
    from tender.record.recorder import Recorder
    from tender.terminal.console import out

    loaded = load_dossier(dossier)
    recorder = Recorder(loaded, keys=member_keys(loaded, chair, ask_passphrase))
    entry = recorder.withdraw(chair, reason)
    out.print(
        f"Decision withdrawn (entry {entry.seq}); the phase is consensus again.", markup=False
    )


@letters.command(epilog=EXIT_CODES_HELP)
@dossier_option
@click.option("--date", "sent_date", type=DAY, required=True, help="The day the letters are sent.")
@click.option("--by", "chair", required=True, help="The chair, who records the dispatch.")
def definitive(dossier: Path, sent_date: dt.datetime, chair: str) -> None:
    """Send the definitive award letters to the awarded bidders, after the standstill period.

    Refused before the day after the standstill period ends, by the date given
    and by the clock, and refused when the decisions taken now differ from what
    the provisional letters told the bidders. The letters are kept in
    reports/definitive-v<N>/ (never replaced) and their digests recorded.

    \b
    Example:
      tender letters definitive --date 2017-12-22 --by ibosman
    """
    from tender.app.dispatch import send_definitive
    from tender.terminal.console import out
    from tender.terminal.progress import bars

    sent = send_definitive(dossier, chair, sent_date.date(), ask=ask_passphrase, progress=bars)
    kept = " (kept by an interrupted run, recorded now)" if sent.kept_before else ""
    letters_made = sum(decision.awarded for decision in sent.decisions)
    out.print(
        f"{letters_made} definitive award letters{_annex_note(sent.files)} recorded as "
        f"sent on {sent.day:%d-%m-%Y} (entry {sent.entry.seq}); kept in {sent.folder}{kept}.",
        markup=False,
    )


@click.group(invoke_without_command=True, epilog=EXIT_CODES_HELP)
@dossier_option
@click.pass_context
def report(ctx: click.Context, dossier: Path) -> None:
    """Write the evaluation report (proces-verbaal van beoordeling) as HTML and PDF.

    The procedure, the committee and its roles, declared conflicts, the bids
    received, validity, suitability with every verdict, final scores and
    outcomes, the standstill period, and the record's last entry and hash; an
    annex gives every individual score with its motivation. The record is
    verified first. Refused while decisions cannot be taken yet. Writes
    reports/evaluation-report/proces-verbaal.html and .pdf.

    \b
    Each member then adopts it with 'tender report sign --by ID', which records
    their signature over the report's digest; the report lists who signed and when.

    \b
    Example:
      tender report
      tender report sign --by ibosman
    """
    if ctx.invoked_subcommand is not None:
        if ctx.get_parameter_source("dossier") is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError(
                f"--dossier before '{ctx.invoked_subcommand}' does not reach it; "
                f"put it after '{ctx.invoked_subcommand}'"
            )
        return
    from tender.app.load import load_evaluation
    from tender.domain.dossier import SCORES_FOLDER
    from tender.domain.errors import RefusedError
    from tender.present.render import publish
    from tender.present.report import REPORT_SET, evaluation_report, planned_period
    from tender.record.ledger import Ledger
    from tender.terminal.console import out
    from tender.terminal.progress import bars

    entries = Ledger(dossier / SCORES_FOLDER).verify()
    evaluation = load_evaluation(dossier, progress=bars)
    if evaluation.book.applied != len(entries):
        raise RefusedError("the record changed while the report was being made; run it again")
    decisions = evaluation.decide()
    files = evaluation_report(
        evaluation,
        decisions,
        planned_period(evaluation),
        last=evaluation.book.described,
    )
    target = publish(dossier, REPORT_SET, files, group=evaluation.dossier.committee.group)
    out.print(
        f"Evaluation report of {len(decisions)} bids written to {target} "
        f"(record: {len(entries)} entries).",
        markup=False,
    )


@report.command("sign", epilog=EXIT_CODES_HELP)
@dossier_option
@click.option("--by", "member", metavar="ID", required=True, help="The member who signs.")
def sign(dossier: Path, member: str) -> None:
    """Adopt the evaluation report: sign its digest with your key (recorded).

    The report is derived from the record as it stands, its digest signed with
    your key and recorded, and reports/evaluation-report/ written again, listing
    every signature. Refused before the scores are locked, and refused a second
    time for the same report; a report that changed (a new decision) is signed
    anew, and the old signatures are shown as an earlier version's.

    \b
    Example:
      tender report sign --by ibosman
    """
    from tender.app.adoption import sign_report
    from tender.present.render import publish
    from tender.present.report import REPORT_SET
    from tender.terminal.console import out
    from tender.terminal.progress import bars

    adopted = sign_report(dossier, member, ask=ask_passphrase, progress=bars)
    target = publish(dossier, REPORT_SET, adopted.files, group=adopted.group)
    out.print(
        f"{member} signed the evaluation report (entry {adopted.entry.seq}, digest "
        f"{adopted.digest}); {adopted.signed} of {adopted.members} members have signed it. "
        f"Written to {target}.",
        markup=False,
    )


def _letter_day(given: dt.datetime | None, fallback: dt.date | None) -> dt.date:
    if given is not None:
        return given.date()
    return fallback or dt.date.today()


def _annex_note(files: Sequence[Rendered]) -> str:
    from tender.present.letters import holds_annex

    return " with the annex of parties" if holds_annex(files) else ""
