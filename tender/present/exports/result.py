"""The whole evaluation result as one JSON document, described by ``tender/present/schemas/result.schema.json``.

The document holds the procedure and its criteria, every bid with its validity
and suitability results, the decisions with their final scores (exact, as text:
``"7.8"``, ``"22/3"``), the individual scores behind them and the reasons (rule
code, figures and message), the standstill period and the letters dispatched,
and the head of the record it was made from. The schema documents every field;
:func:`schema` returns it, and the tests check each export against it.

Exact numbers are strings so that no reader's floating point rounds them;
counts are JSON integers; dates are ``YYYY-MM-DD`` and moments ISO 8601 with
their offset. Individual scores appear only inside decisions, which are taken
only once the consensus phase is open.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

from tender import __version__
from tender.award.decisions import Decision, FinalScore, exact, shown
from tender.bids.suitability import BidAssessment, RequirementResult
from tender.domain.findings import Figure, Finding
from tender.domain.models import SubCriterionRule
from tender.present.exports import Snapshot
from tender.record.book import Dispatch, Score

FORMAT = "tender-result"
FORMAT_VERSION = 1
SCHEMA_FILE = "result.schema.json"


def result_document(snapshot: Snapshot) -> dict[str, Any]:
    """The evaluation result as plain JSON data."""
    evaluation = snapshot.evaluation
    decisions = snapshot.decisions
    by_bid = {assessment.bid: assessment for assessment in evaluation.assessments}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tender_version": __version__,
        "record": {
            "entries": snapshot.head.entries,
            "head_hash": snapshot.head.hash,
            "last_entry_at": _moment(snapshot.head.at),
            "phase": evaluation.book.phase,
        },
        "procedure": _procedure(snapshot),
        "criteria": _criteria(snapshot),
        "bids": [
            _bid(snapshot, by_bid[submission.id]) for submission in evaluation.dossier.submissions
        ],
        "decisions": None if decisions is None else [_decision(d) for d in decisions],
        "decisions_note": snapshot.note,
        "summary": _summary(snapshot),
        "standstill": _standstill(snapshot),
        "letters": _letters(snapshot),
    }


def document_bytes(document: Mapping[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@cache
def schema_text() -> str:
    """The JSON Schema of the result document, as shipped in the package."""
    return (
        resources.files("tender.present")
        .joinpath("schemas", SCHEMA_FILE)
        .read_text(encoding="utf-8")
    )


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


# --- parts -------------------------------------------------------------------------------


def _procedure(snapshot: Snapshot) -> dict[str, Any]:
    procedure = snapshot.evaluation.dossier.procedure
    authority = procedure.authority
    framework = procedure.framework
    return {
        "reference": procedure.reference,
        "title": procedure.title,
        "description": procedure.description,
        "procedure": procedure.procedure,
        "authority": {
            "name": authority.name,
            "address": {
                "street": authority.address.street,
                "postal_code": authority.address.postal_code,
                "city": authority.address.city,
                "country": authority.address.country,
            },
            "website": authority.website,
        },
        "lots": [{"id": lot.id, "title": lot.title} for lot in procedure.lots],
        "framework": {
            "start": framework.start.isoformat(),
            "end": framework.end.isoformat(),
            "extensions": framework.extensions,
            "extension_months": framework.extension_months,
        },
        "deadline": procedure.deadline_at.isoformat(),
        "time_zone": procedure.time_zone,
        "language": procedure.language,
        "standstill_rules": {
            "days": procedure.standstill.days,
            "statutory": procedure.standstill.statutory,
        },
        "ocid_prefix": procedure.ocid_prefix,
    }


def _criteria(snapshot: Snapshot) -> dict[str, Any]:
    dossier = snapshot.evaluation.dossier
    award = dossier.award
    return {
        "documents": [
            {"id": doc.id, "title": doc.title, "mandatory": doc.mandatory}
            for doc in dossier.procedure.documents
        ],
        "requirements": [
            {
                "id": req.id,
                "category": req.category,
                "title": req.title,
                "description": req.description,
                "check": None if req.check is None else req.check.kind,
                "person": req.person,
                "evidence": req.evidence,
            }
            for req in dossier.suitability.requirements
        ],
        "scale": [{"value": _decimal(point.value), "label": point.label} for point in award.scale],
        "sub_criteria": [
            {
                "id": sub.id,
                "title": sub.title,
                "weight": _decimal(sub.weight),
                "max_pages": sub.max_pages,
            }
            for sub in award.sub_criteria
        ],
        "final_score": award.final_score,
        "threshold": [
            {
                "kind": rule.kind,
                "min": _decimal(rule.min),
                "sub_criterion": rule.sub_criterion if isinstance(rule, SubCriterionRule) else None,
            }
            for rule in award.threshold
        ],
    }


def _bid(snapshot: Snapshot, assessment: BidAssessment) -> dict[str, Any]:
    submission = snapshot.evaluation.dossier.submission(assessment.bid)
    assert submission is not None  # assessments are made of the dossier's submissions
    bidder = submission.metadata.bidder
    validity = assessment.validity
    return {
        "id": assessment.bid,
        "bidder": {
            "name": bidder.name,
            "trade_register": bidder.trade_register,
            "city": bidder.address.city,
        },
        "received": validity.received_local.isoformat(),
        "on_time": validity.on_time,
        "valid": validity.valid,
        "standing": assessment.standing,
        "reasons": [_finding(reason) for reason in assessment.reasons],
        "validity": [_finding(reason) for reason in validity.reasons],
        "requirements": [_requirement(result) for result in assessment.requirements],
    }


def _requirement(result: RequirementResult) -> dict[str, Any]:
    verdict = result.verdict
    return {
        "requirement": result.requirement,
        "category": result.category,
        "status": result.status,
        "verdict": None
        if verdict is None
        else {
            "by": verdict.by,
            "at": verdict.at.isoformat(),
            "passed": verdict.passed,
            "reason": verdict.reason,
        },
        "reasons": [_finding(reason) for reason in result.reasons],
    }


def _decision(decision: Decision) -> dict[str, Any]:
    mean, margin = decision.weighted_mean, decision.margin
    return {
        "bid": decision.bid,
        "bidder": decision.bidder,
        "outcome": decision.outcome,
        "awarded": decision.awarded,
        "final_scores": [_final(final) for final in decision.finals],
        "weighted_mean": _exact(mean),
        "weighted_mean_shown": None if mean is None else str(shown(mean)),
        "margin": _exact(margin),
        "checks": [
            {
                "kind": check.kind,
                "sub_criterion": check.sub_criterion,
                "value": exact(check.value),
                "minimum": exact(check.minimum),
                "passed": check.passed,
                "margin": exact(check.margin),
            }
            for check in decision.checks
        ],
        "reasons": [_finding(reason) for reason in decision.reasons],
    }


def _final(final: FinalScore) -> dict[str, Any]:
    return {
        "sub_criterion": final.sub_criterion,
        "value": exact(final.value),
        "method": final.method,
        "motivation": final.motivation,
        "consensus": None if final.consensus is None else _score(final.consensus),
        "individual": [_score(score) for score in final.individual],
    }


def _score(score: Score) -> dict[str, Any]:
    return {
        "by": score.by,
        "score": _decimal(score.score),
        "motivation": score.motivation,
        "at": score.at.isoformat(),
        "seq": score.seq,
        "reason": score.reason,
    }


def _summary(snapshot: Snapshot) -> dict[str, Any]:
    standings = Counter(assessment.standing for assessment in snapshot.evaluation.assessments)
    outcomes = (
        None
        if snapshot.decisions is None
        else dict(sorted(Counter(d.outcome for d in snapshot.decisions).items()))
    )
    return {
        "bids": len(snapshot.evaluation.dossier.submissions),
        "standings": dict(sorted(standings.items())),
        "outcomes": outcomes,
        "awarded": None
        if snapshot.decisions is None
        else [decision.bid for decision in snapshot.decisions if decision.awarded],
    }


def _standstill(snapshot: Snapshot) -> dict[str, Any] | None:
    period = snapshot.standstill
    if period is None:
        return None
    return {
        "basis": "planned" if snapshot.dispatch is None else "sent",
        "sent": period.sent.isoformat(),
        "days": period.days,
        "statutory": period.statutory,
        "first_day": period.first_day.isoformat(),
        "plain_end": period.plain_end.isoformat(),
        "extended_end": period.extended_end.isoformat(),
        "end": _day(snapshot.standstill_end),
        "definitive_from": period.definitive_from.isoformat(),
        "skipped": [
            {"day": off.day.isoformat(), "name_nl": off.name_nl, "name_en": off.name_en}
            for off in period.skipped
        ],
    }


def _letters(snapshot: Snapshot) -> dict[str, Any]:
    dispatch = snapshot.dispatch
    return {
        "in_force": None if dispatch is None else dispatch.version,
        "definitive_sent": _day(snapshot.definitive_sent),
        "dispatches": [_dispatch(item) for item in snapshot.evaluation.book.dispatches],
    }


def _dispatch(dispatch: Dispatch) -> dict[str, Any]:
    definitive = dispatch.definitive
    return {
        "version": dispatch.version,
        "sent": dispatch.sent.isoformat(),
        "standstill_end": dispatch.standstill_end.isoformat(),
        "digest": dispatch.digest,
        "files": len(dispatch.files),
        "by": dispatch.by,
        "seq": dispatch.seq,
        "withdrawn": dispatch.withdrawn,
        "definitive": None
        if definitive is None
        else {"sent": definitive.sent.isoformat(), "digest": definitive.digest},
    }


# --- values ------------------------------------------------------------------------------


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "message": finding.message,
        "figures": {key: _figure(value) for key, value in finding.figures.items()},
        "document": finding.document,
        "page": finding.page,
        "evidence": finding.evidence,
    }


def _figure(value: Figure) -> str | int | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return _decimal(value)
    return value.isoformat()


def _decimal(value: Decimal) -> str:
    """A decimal as exact plain text without trailing zeros: 7.000000 is "7", 2.5E+6 "2500000"."""
    return format(value.normalize(), "f") if value else "0"


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else exact(value)


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
