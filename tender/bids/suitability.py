"""Exclusion grounds and suitability requirements, per bid, and the outcome before scoring.

Each requirement in ``criteria/suitability.yaml`` is evaluated for every bid:

- a **field** rule on bid.yaml (``min``, ``max``, ``equals``, ``one_of``, ``pattern``;
  on a list, the numeric rules count its items; a pattern is searched for, so
  anchor it with ``^…$`` to match the whole value). A field the bid leaves empty
  fails: the evidence is missing.
- a **document** is submitted and can be read.
- a **document's age**: calendar days from its ``issued`` date to the deadline's
  date in the procedure's time zone, at most ``max_age_days``; a document dated
  after the deadline fails too.
- a **certificate** of the kind is valid on the deadline date, both ends inclusive.
- **ESPD exclusion grounds**: each named form field carries the expected answer
  (compared without case or accents).

A requirement with ``person: true`` also needs a committee member's verdict,
recorded in the ledger with who, when and why (:meth:`Recorder.record_verdict`);
a later verdict replaces the earlier as the current one and both stay in the
history. Until a verdict exists the requirement is pending. A machine check that
fails decides on its own: a person's verdict cannot pass a bid that lacks the
evidence.

The outcome order is that of DESIGN §2: invalid, excluded (an exclusion-category
requirement failed), unsuitable (another requirement failed), pending (verdicts
still to be given), suitable. Invalid, excluded and unsuitable bids are not
scored unless the dossier sets ``score_all_bids``; pending bids are scored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from tender.bids.documents import BidDocuments, Document, read_documents
from tender.bids.validity import Validity, check_validity, shared_bidders
from tender.domain.dossier import CRITERIA, Dossier, Submission
from tender.domain.errors import DossierError, Problem
from tender.domain.findings import Figure, Finding
from tender.domain.keys import Keyring
from tender.domain.models import (
    Category,
    CertificateCheck,
    Check,
    DocumentAgeCheck,
    DocumentCheck,
    ExclusionCheck,
    FieldCheck,
    Requirement,
)
from tender.domain.progress import Progress, silent
from tender.domain.text import match_key
from tender.io.pdfworkers import DEFAULT_LIMITS, Limits
from tender.record.book import ScoreBook, Verdict
from tender.record.recorder import Recorder

Status = Literal["pass", "fail", "pending"]
Standing = Literal["invalid", "excluded", "unsuitable", "pending", "suitable"]
NOT_SCORED: frozenset[Standing] = frozenset({"invalid", "excluded", "unsuitable"})
SUITABILITY_FILE = f"{CRITERIA}/suitability.yaml"


@dataclass(frozen=True, kw_only=True)
class RequirementResult:
    """One requirement for one bid: pass, fail or pending, and the reasons."""

    requirement: str
    category: Category
    title: str
    status: Status
    reasons: tuple[Finding, ...]
    verdict: Verdict | None = None
    history: tuple[Verdict, ...] = ()


@dataclass(frozen=True, kw_only=True)
class BidAssessment:
    """Everything known about a bid before scoring: its documents, validity and requirements."""

    bid: str
    bidder: str
    documents: BidDocuments
    validity: Validity
    requirements: tuple[RequirementResult, ...]

    @property
    def standing(self) -> Standing:
        if not self.validity.valid:
            return "invalid"
        statuses = {(result.category == "exclusion", result.status) for result in self.requirements}
        if (True, "fail") in statuses:
            return "excluded"
        if (False, "fail") in statuses:
            return "unsuitable"
        if any(status == "pending" for _, status in statuses):
            return "pending"
        return "suitable"

    @property
    def reasons(self) -> tuple[Finding, ...]:
        """The findings behind the standing: what a letter quotes."""
        standing = self.standing
        if standing == "invalid":
            return self.validity.reasons
        wanted: Status = "pending" if standing == "pending" else "fail"
        exclusion = standing == "excluded"
        return tuple(
            reason
            for result in self.requirements
            if result.status == wanted and (not exclusion or result.category == "exclusion")
            for reason in result.reasons
        )

    @property
    def scored(self) -> bool:
        return self.standing not in NOT_SCORED

    def requirement(self, requirement_id: str) -> RequirementResult | None:
        return next((r for r in self.requirements if r.requirement == requirement_id), None)


def assess(
    dossier: Dossier,
    book: ScoreBook,
    bid_ids: Iterable[str] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    workers: int | None = None,
    progress: Progress = silent,
    reread_limited: bool = False,
) -> tuple[BidAssessment, ...]:
    """The bids' documents, validity and requirements, with the verdicts the replayed record
    holds. ``reread_limited``: read again the PDFs whose cached reading stopped at a limit."""
    readings = book.opening.readings if book.opening is not None else None
    documents = read_documents(
        dossier,
        bid_ids,
        limits=limits,
        workers=workers,
        progress=progress,
        readings=readings,
        reread_limited=reread_limited,
    )
    history = {key: tuple(verdicts) for key, verdicts in book.verdict_history.items()}
    shared = shared_bidders(dossier.submissions)
    return tuple(
        _assess(
            dossier, submission, documents[submission.id], history, shared.get(submission.id, ())
        )
        for submission in dossier.submissions
        if submission.id in documents
    )


def bids_not_scored(dossier: Dossier, book: ScoreBook) -> dict[str, str]:
    """Bid id -> why it is not scored (invalid, excluded or unsuitable); {} with ``score_all_bids``.

    Bids whose person-verified requirements are merely pending are scored.
    """
    if dossier.award.score_all_bids:
        return {}
    return not_scored(dossier, assess(dossier, book))


def not_scored(dossier: Dossier, assessments: Iterable[BidAssessment]) -> dict[str, str]:
    """:func:`bids_not_scored` from assessments already made."""
    if dossier.award.score_all_bids:
        return {}
    return {
        assessment.bid: f"{assessment.standing}: "
        + "; ".join(reason.message for reason in assessment.reasons)
        for assessment in assessments
        if not assessment.scored
    }


def pending_verdicts(assessments: Iterable[BidAssessment]) -> tuple[str, ...]:
    """Each person-checked requirement still waiting for a verdict, as "bid requirement".

    Only bids that wait on it: a bid that is invalid, excluded or unsuitable already
    has its outcome whatever the verdict.
    """
    return tuple(
        f"{assessment.bid} {result.requirement}"
        for assessment in assessments
        if assessment.standing == "pending"
        for result in assessment.requirements
        if result.status == "pending"
    )


def record_verdict(
    dossier: Dossier,
    by: str,
    bid: str,
    requirement: str,
    *,
    passed: bool,
    reason: str,
    keys: Keyring,
) -> tuple[RequirementResult, Verdict | None]:
    """Record a person's verdict (signed with ``by``'s key in ``keys``); return the
    requirement's result now and the verdict it replaced."""
    recorder = Recorder(dossier, keys=keys)
    replaced = recorder.book.verdicts.get((bid, requirement))
    recorder.record_verdict(by, bid, requirement, passed=passed, reason=reason)
    (assessment,) = assess(dossier, recorder.book, [bid])
    result = assessment.requirement(requirement)
    assert result is not None  # the recorder refused an unknown requirement
    return result, replaced


def _assess(
    dossier: Dossier,
    bid: Submission,
    documents: BidDocuments,
    history: dict[tuple[str, str], tuple[Verdict, ...]],
    shared: tuple[Finding, ...],
) -> BidAssessment:
    results = tuple(
        _evaluate(
            dossier,
            requirement,
            bid,
            documents,
            index=index,
            verdicts=history.get((bid.id, requirement.id), ()),
        )
        for index, requirement in enumerate(dossier.suitability.requirements)
    )
    return BidAssessment(
        bid=bid.id,
        bidder=bid.metadata.bidder.name,
        documents=documents,
        validity=check_validity(dossier, bid, documents, shared=shared),
        requirements=results,
    )


def _evaluate(
    dossier: Dossier,
    requirement: Requirement,
    bid: Submission,
    documents: BidDocuments,
    *,
    index: int,
    verdicts: Sequence[Verdict],
) -> RequirementResult:
    def result(status: Status, reasons: Iterable[Finding]) -> RequirementResult:
        return RequirementResult(
            requirement=requirement.id,
            category=requirement.category,
            title=requirement.title,
            status=status,
            reasons=tuple(reasons),
            verdict=current,
            history=tuple(verdicts),
        )

    current = verdicts[-1] if requirement.person and verdicts else None
    checked: list[_Outcome] = []
    if requirement.check is not None:
        checked = list(_check(dossier, index, requirement.check, bid, documents))
    failed = [outcome.finding for outcome in checked if outcome.passed is False]
    if failed:
        return result("fail", failed)
    undecided = [outcome.finding for outcome in checked if outcome.passed is None]
    if undecided:
        return result("pending", undecided)
    evidence = [outcome.finding for outcome in checked]
    if not requirement.person:
        return result("pass", evidence)
    if current is None:
        return result(
            "pending",
            [
                *evidence,
                Finding(
                    rule="verdict-pending",
                    message=f"awaits a committee member's verdict on: {requirement.evidence}",
                    figures={"requirement": requirement.id},
                ),
            ],
        )
    verdict = Finding(
        rule="verdict",
        message=f"{'passed' if current.passed else 'failed'} by {current.by} on "
        f"{current.at:%Y-%m-%d %H:%M} UTC: {current.reason}",
        figures={"by": current.by, "at": current.at, "reason": current.reason, "seq": current.seq},
    )
    if current.passed:
        return result("pass", [*evidence, verdict])
    return result("fail", [verdict])


@dataclass(frozen=True)
class _Outcome:
    """One rule's result: passed, failed, or None when the tool cannot tell (yet)."""

    passed: bool | None
    finding: Finding


def _check(
    dossier: Dossier, index: int, check: Check, bid: Submission, documents: BidDocuments
) -> Iterator[_Outcome]:
    deadline_day = dossier.procedure.deadline.date()
    if isinstance(check, FieldCheck):
        yield from _field(index, check, bid)
    elif isinstance(check, DocumentCheck):
        yield _document(check.document, documents)
    elif isinstance(check, DocumentAgeCheck):
        yield _document_age(check, documents, deadline_day)
    elif isinstance(check, CertificateCheck):
        yield _certificate(check, bid, deadline_day)
    else:
        yield from _exclusion(check, documents)


# --- field rules -------------------------------------------------------------------------


def _field(index: int, check: FieldCheck, bid: Submission) -> Iterator[_Outcome]:
    name = check.field
    value = _lookup(bid.metadata, name)
    if value is None or value == ():
        yield _Outcome(
            False,
            Finding(
                rule="field-missing",
                message=f"bid.yaml gives no {name}",
                figures={"field": name},
            ),
        )
        return
    counted = isinstance(value, tuple)
    measured: Any = len(value) if counted else value
    shown = f"{name} has {measured} entries" if counted else f"{name} is {measured}"
    figures: dict[str, Figure] = {"field": name, "value": measured}
    if check.min is not None:
        number = _number(index, "min", name, measured)
        yield _Outcome(
            number >= check.min,
            Finding(
                rule="field-min",
                message=f"{shown} (required: at least {check.min})",
                figures={**figures, "min": check.min},
            ),
        )
    if check.max is not None:
        number = _number(index, "max", name, measured)
        yield _Outcome(
            number <= check.max,
            Finding(
                rule="field-max",
                message=f"{shown} (allowed: at most {check.max})",
                figures={**figures, "max": check.max},
            ),
        )
    if check.equals is not None:
        yield _Outcome(
            _same(measured, check.equals),
            Finding(
                rule="field-equals",
                message=f"{shown} (required: {check.equals})",
                figures={**figures, "equals": _figure(check.equals)},
            ),
        )
    if check.one_of is not None:
        allowed = ", ".join(str(option) for option in check.one_of)
        yield _Outcome(
            any(_same(measured, option) for option in check.one_of),
            Finding(
                rule="field-one-of",
                message=f"{shown} (required: one of {allowed})",
                figures={**figures, "one_of": allowed},
            ),
        )
    if check.pattern is not None:
        text = str(measured)
        yield _Outcome(
            re.search(check.pattern, text) is not None,
            Finding(
                rule="field-pattern",
                message=f"{shown} (required: matches the pattern {check.pattern})",
                figures={**figures, "pattern": check.pattern},
            ),
        )


def _lookup(metadata: Any, dotted: str) -> Any:
    value = metadata
    for part in dotted.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _number(index: int, rule: str, name: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise DossierError(
            [
                Problem(
                    file=SUITABILITY_FILE,
                    line=None,
                    field=f"requirements.{index}.check.{rule}",
                    message=f"'{rule}' applies to numbers and lists, and '{name}' is neither",
                )
            ]
        )
    return Decimal(value)


def _same(value: Any, expected: str | int | Decimal | bool) -> bool:
    if isinstance(value, bool) or isinstance(expected, bool):
        return value is expected
    if isinstance(value, int | Decimal) and isinstance(expected, int | Decimal):
        return Decimal(value) == Decimal(expected)
    return str(value) == str(expected)


def _figure(value: str | int | Decimal | bool) -> str | int | Decimal:
    return str(value).lower() if isinstance(value, bool) else value


# --- documents, certificates, ESPD -------------------------------------------------------


def _document(document_id: str, documents: BidDocuments) -> _Outcome:
    document = documents.document(document_id)
    if document is None:
        return _Outcome(
            False,
            Finding(
                rule="document-missing",
                message=f"no {document_id} was submitted",
                figures={"document": document_id},
                document=document_id,
            ),
        )
    problem = document.content.problem
    if problem is not None and problem.in_file:
        return _Outcome(False, _unreadable(document))
    if problem is not None:
        return _Outcome(
            None,
            Finding(
                rule="document-not-read",
                message=f"{document.file} ({document.id}) was not read: {problem.message}; read it by "
                "hand, or again with 'tender bids --reread-limited'",
                figures={"document": document.id, "file": document.file, "problem": problem.kind},
                document=document.id,
            ),
        )
    return _Outcome(
        True,
        Finding(
            rule="document-present",
            message=f"{document.file} ({document.id}) was submitted and can be read",
            figures={"document": document.id, "file": document.file},
            document=document.id,
        ),
    )


def _unreadable(document: Document) -> Finding:
    problem = document.content.problem
    assert problem is not None
    return Finding(
        rule="document-unreadable",
        message=f"{document.file} ({document.id}) cannot be read: {problem.message}",
        figures={"document": document.id, "file": document.file, "problem": problem.kind},
        document=document.id,
    )


def _document_age(check: DocumentAgeCheck, documents: BidDocuments, deadline_day: date) -> _Outcome:
    present = _document(check.document, documents)
    document = documents.document(check.document)
    if present.passed is not True or document is None:
        return present
    if document.issued is None:
        return _Outcome(
            False,
            Finding(
                rule="document-issue-date-missing",
                message=f"bid.yaml gives no 'issued' date for {document.file} ({document.id}), so its "
                f"age at the deadline cannot be shown",
                figures={"document": document.id},
                document=document.id,
            ),
        )
    age = (deadline_day - document.issued).days
    figures: dict[str, Figure] = {
        "document": document.id,
        "issued": document.issued,
        "deadline_date": deadline_day,
        "age_days": age,
        "max_age_days": check.max_age_days,
    }
    if age < 0:
        return _Outcome(
            False,
            Finding(
                rule="document-issued-after-deadline",
                message=f"{document.file} ({document.id}) is dated {document.issued}, after the "
                f"deadline date {deadline_day}",
                figures=figures,
                document=document.id,
            ),
        )
    return _Outcome(
        age <= check.max_age_days,
        Finding(
            rule="document-age",
            message=f"{document.file} ({document.id}) was issued on {document.issued}, {age} days before "
            f"the deadline date {deadline_day} (allowed: at most {check.max_age_days} days)",
            figures=figures,
            document=document.id,
        ),
    )


def _certificate(check: CertificateCheck, bid: Submission, deadline_day: date) -> _Outcome:
    held = [cert for cert in bid.metadata.certificates if cert.kind == check.certificate]
    if not held:
        return _Outcome(
            False,
            Finding(
                rule="certificate-missing",
                message=f"bid.yaml lists no {check.certificate} certificate",
                figures={"certificate": check.certificate, "deadline_date": deadline_day},
            ),
        )
    valid = next((cert for cert in held if cert.valid_on(deadline_day)), None)
    shown = valid or max(held, key=lambda cert: cert.valid_until)
    figures: dict[str, Figure] = {
        "certificate": check.certificate,
        "number": shown.number,
        "issuer": shown.issuer,
        "valid_from": shown.valid_from,
        "valid_until": shown.valid_until,
        "deadline_date": deadline_day,
    }
    span = f"{check.certificate} certificate {shown.number} ({shown.issuer}) is valid from {shown.valid_from} to {shown.valid_until}"
    if valid is not None:
        return _Outcome(
            True,
            Finding(
                rule="certificate-valid",
                message=f"{span}, so on the deadline date {deadline_day}",
                figures=figures,
            ),
        )
    when = "expired before" if shown.valid_until < deadline_day else "only starts after"
    return _Outcome(
        False,
        Finding(
            rule="certificate-not-valid",
            message=f"{span}: it {when} the deadline date {deadline_day}",
            figures=figures,
        ),
    )


def _exclusion(check: ExclusionCheck, documents: BidDocuments) -> Iterator[_Outcome]:
    present = _document(check.document, documents)
    document = documents.document(check.document)
    if present.passed is not True or document is None:
        yield present
        return
    fields = _fields_by_name(document.content.fields)
    expected = match_key(check.expected)
    for ground in check.grounds:
        answer = fields.get(ground)
        figures: dict[str, Figure] = {
            "ground": ground,
            "answer": answer,
            "expected": check.expected,
        }
        if answer is None or not answer.strip():
            yield _Outcome(
                False,
                Finding(
                    rule="espd-unanswered",
                    message=f"{document.file} ({document.id}) does not answer the exclusion ground "
                    f"{ground} (required: '{check.expected}')",
                    figures=figures,
                    document=document.id,
                ),
            )
            continue
        yield _Outcome(
            match_key(answer) == expected,
            Finding(
                rule="espd-answer",
                message=f"{document.file} ({document.id}) answers '{answer}' to the exclusion ground "
                f"{ground} (required: '{check.expected}')",
                figures=figures,
                document=document.id,
            ),
        )


def _fields_by_name(fields: Mapping[str, str]) -> dict[str, str]:
    """Form fields by full name and by their last name part (forms nest fields as a.b.c)."""
    named: dict[str, str] = {}
    for name, value in fields.items():
        named.setdefault(name.rsplit(".", 1)[-1], value)
    named.update(fields)
    return named
