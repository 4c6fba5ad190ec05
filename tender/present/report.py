"""The evaluation report (proces-verbaal van beoordeling): the whole evaluation, for the file and a judge.

One document says how the procedure ran: the procedure and committee, declared
conflicts, the bids received and when, validity, suitability with every
person's verdict, the final scores and outcomes, the standstill period, and the
record's head hash, which fixes the report to one state of the record. An annex
gives every individual score with its motivation, so nothing a decision rests
on is only in the ledger. Times are shown in the procedure's time zone.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from pathlib import PurePosixPath

from tender.award.decisions import Decision, FinalScore
from tender.award.evaluation import Evaluation
from tender.bids.suitability import BidAssessment
from tender.domain.deadlines import StandstillPeriod
from tender.domain.dossier import Dossier
from tender.domain.events import Outcome
from tender.present.letters import awarded_parties, rule_texts
from tender.present.render import Rendered, html_to_pdf, render_html
from tender.present.wording import reason_text
from tender.record.book import Score
from tender.record.ledger import Entry

REPORT_SET = "evaluation-report"
REPORT_STEM = "proces-verbaal"
OUTCOMES: tuple[Outcome, ...] = (
    "provisional-award",
    "below-threshold",
    "unsuitable",
    "excluded",
    "invalid",
)


@dataclass(frozen=True, kw_only=True)
class Received:
    """A bid as it came in: when, whether on time, and where it ended."""

    bid: str
    bidder: str
    received: datetime
    on_time: bool
    outcome: str


@dataclass(frozen=True, kw_only=True)
class Failure:
    """Why a bid is invalid, excluded or unsuitable: one requirement (or validity) and its reasons."""

    bid: str
    bidder: str
    what: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class VerdictLine:
    """A person's verdict on a requirement: who, when, pass or fail, why; and whether it stands."""

    bid: str
    bidder: str
    requirement: str
    by: str
    at: datetime
    passed: bool
    reason: str
    seq: int
    current: bool


@dataclass(frozen=True, kw_only=True)
class ScoreLine:
    """One recorded score (individual or consensus) as the annex shows it."""

    by: str
    score: Decimal
    motivation: str
    at: datetime
    seq: int
    reason: str | None


@dataclass(frozen=True, kw_only=True)
class Item:
    """One sub-criterion of one bid: the final score, the consensus and every individual score."""

    title: str
    final: FinalScore
    consensus: ScoreLine | None
    individual: tuple[ScoreLine, ...]


@dataclass(frozen=True, kw_only=True)
class Annex:
    """Every score a bid received, per sub-criterion."""

    bid: str
    bidder: str
    items: tuple[Item, ...]


def evaluation_report(
    evaluation: Evaluation,
    decisions: Sequence[Decision],
    period: StandstillPeriod | None,
    *,
    last: Entry | None,
) -> tuple[Rendered, ...]:
    """The report as HTML and PDF, for ``reports/evaluation-report/``.

    ``period`` is the planned standstill period while no letters are in force
    (once they are, the report quotes the record's dates); ``last`` is the
    record's last verified entry, whose hash and number fix the state described.
    """
    html = report_html(evaluation, decisions, period, last=last)
    stem = PurePosixPath(REPORT_STEM)
    return (
        Rendered(stem.with_suffix(".html"), html.encode()),
        Rendered(stem.with_suffix(".pdf"), html_to_pdf(html, name=f"{stem}.pdf")),
    )


def report_digest(
    evaluation: Evaluation,
    decisions: Sequence[Decision],
    period: StandstillPeriod | None,
    *,
    last: Entry | None,
) -> str:
    """What members sign to adopt the report: the SHA-256 of its HTML without the signatures.

    ``last`` is the entry the report describes (:attr:`ScoreBook.described`): signing adds
    entries to the record, and the report they sign must not change by it.
    """
    unsigned = _report_html(evaluation, decisions, period, last=last, digest=None)
    return hashlib.sha256(unsigned.encode()).hexdigest()


def report_html(
    evaluation: Evaluation,
    decisions: Sequence[Decision],
    period: StandstillPeriod | None,
    *,
    last: Entry | None,
) -> str:
    """The report's HTML, from which its PDF is made, with its digest and who signed it."""
    digest = report_digest(evaluation, decisions, period, last=last)
    return _report_html(evaluation, decisions, period, last=last, digest=digest)


def _report_html(
    evaluation: Evaluation,
    decisions: Sequence[Decision],
    period: StandstillPeriod | None,
    *,
    last: Entry | None,
    digest: str | None,
) -> str:
    dossier = evaluation.dossier
    language = dossier.procedure.language
    zone = dossier.procedure.deadline_at.tzinfo
    assert zone is not None
    names = {person.id: person.name for person in dossier.committee.members}
    adoptions = evaluation.book.adoptions if digest is not None else []
    signed = [a for a in adoptions if a.digest == digest]
    signers = {a.by for a in signed}
    counts = Counter(decision.outcome for decision in decisions)
    sent = evaluation.book.sent
    context = {
        "procedure": dossier.procedure,
        "authority": dossier.procedure.authority,
        "committee": dossier.committee,
        "names": names,
        "award": dossier.award,
        "threshold": rule_texts(dossier, language),
        "conflicts": [
            (conflict, _bidder(dossier, conflict.bid)) for conflict in dossier.committee.conflicts
        ],
        "received": _received(evaluation.assessments, decisions, zone),
        "invalid": _invalid(dossier, evaluation.assessments),
        "requirements": _requirement_counts(dossier, evaluation.assessments),
        "failures": _failures(dossier, evaluation.assessments),
        "verdicts": _verdicts(evaluation.assessments, names, zone),
        "decisions": decisions,
        "counts": [(outcome, counts[outcome]) for outcome in OUTCOMES],
        "awarded": awarded_parties(dossier, decisions),
        "period": period,
        "dispatches": tuple(evaluation.book.dispatches),
        "sent": sent,
        "first_day": None if sent is None else sent.sent + timedelta(days=1),
        "definitive_from": None if sent is None else sent.standstill_end + timedelta(days=1),
        "phase": evaluation.book.phase,
        "last": last,
        "last_at": None if last is None else last.at.astimezone(zone),
        "annex": _annex(dossier, decisions, names, zone),
        "deadline": dossier.procedure.deadline_at,
        "digest": digest,
        "adoptions": [(a, a.at.astimezone(zone)) for a in signed],
        "unsigned": [p for p in dossier.committee.members if p.id not in signers],
        "earlier": sum(1 for a in adoptions if a.digest != digest),
    }
    return render_html(language, "report.html", context)


def planned_period(evaluation: Evaluation) -> StandstillPeriod | None:
    """The standstill period the planned date gives, while no letters are in force; else None."""
    planned = evaluation.dossier.procedure.planned.provisional_award
    if evaluation.book.sent is not None or planned is None:
        return None
    return evaluation.standstill(planned)


def _bidder(dossier: Dossier, bid: str) -> str:
    submission = dossier.submission(bid)
    return submission.metadata.bidder.name if submission else bid


def _received(
    assessments: Sequence[BidAssessment], decisions: Sequence[Decision], zone: tzinfo
) -> tuple[Received, ...]:
    outcomes = {decision.bid: decision.outcome for decision in decisions}
    return tuple(
        Received(
            bid=assessment.bid,
            bidder=assessment.bidder,
            received=assessment.validity.received.astimezone(zone),
            on_time=assessment.validity.on_time,
            outcome=outcomes[assessment.bid],
        )
        for assessment in assessments
    )


def _titles(dossier: Dossier) -> dict[str, str]:
    titles = {doc.id: doc.title for doc in dossier.procedure.documents}
    return titles | {sub.id: sub.title for sub in dossier.award.sub_criteria}


def _invalid(dossier: Dossier, assessments: Sequence[BidAssessment]) -> tuple[Failure, ...]:
    language = dossier.procedure.language
    titles = _titles(dossier)
    return tuple(
        Failure(
            bid=assessment.bid,
            bidder=assessment.bidder,
            what="validity",
            reasons=tuple(
                reason_text(reason, language, titles=titles)
                for reason in assessment.validity.reasons
            ),
        )
        for assessment in assessments
        if not assessment.validity.valid
    )


def _requirement_counts(
    dossier: Dossier, assessments: Sequence[BidAssessment]
) -> tuple[tuple[str, str, bool, Counter[str]], ...]:
    """Per requirement: its title, category, whether a person verifies it, and status counts.

    Invalid bids are left out: their suitability was not at issue.
    """
    valid = [assessment for assessment in assessments if assessment.validity.valid]
    return tuple(
        (
            requirement.title,
            requirement.category,
            requirement.person,
            Counter(
                result.status
                for assessment in valid
                if (result := assessment.requirement(requirement.id)) is not None
            ),
        )
        for requirement in dossier.suitability.requirements
    )


def _failures(dossier: Dossier, assessments: Sequence[BidAssessment]) -> tuple[Failure, ...]:
    language = dossier.procedure.language
    titles = _titles(dossier)
    return tuple(
        Failure(
            bid=assessment.bid,
            bidder=assessment.bidder,
            what=result.title,
            reasons=tuple(
                reason_text(reason, language, titles=titles) for reason in result.reasons
            ),
        )
        for assessment in assessments
        if assessment.validity.valid
        for result in assessment.requirements
        if result.status == "fail"
    )


def _verdicts(
    assessments: Sequence[BidAssessment], names: dict[str, str], zone: tzinfo
) -> tuple[VerdictLine, ...]:
    return tuple(
        VerdictLine(
            bid=assessment.bid,
            bidder=assessment.bidder,
            requirement=result.title,
            by=names.get(verdict.by, verdict.by),
            at=verdict.at.astimezone(zone),
            passed=verdict.passed,
            reason=verdict.reason,
            seq=verdict.seq,
            current=verdict.seq == result.history[-1].seq,
        )
        for assessment in assessments
        for result in assessment.requirements
        for verdict in result.history
    )


def _annex(
    dossier: Dossier, decisions: Sequence[Decision], names: dict[str, str], zone: tzinfo
) -> tuple[Annex, ...]:
    def line(score: Score) -> ScoreLine:
        return ScoreLine(
            by=names.get(score.by, score.by),
            score=score.score,
            motivation=score.motivation,
            at=score.at.astimezone(zone),
            seq=score.seq,
            reason=score.reason,
        )

    annexes = []
    for decision in decisions:
        if not decision.finals:
            continue
        items = []
        for final in decision.finals:
            sub = dossier.award.sub_criterion(final.sub_criterion)
            assert sub is not None
            consensus = None if final.consensus is None else line(final.consensus)
            items.append(
                Item(
                    title=sub.title,
                    final=final,
                    consensus=consensus,
                    individual=tuple(line(s) for s in final.individual),
                )
            )
        annexes.append(Annex(bid=decision.bid, bidder=decision.bidder, items=tuple(items)))
    return tuple(annexes)
