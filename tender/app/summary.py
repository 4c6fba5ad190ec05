"""What a dossier holds, in figures: the stage behind ``tender check`` and ``tender run``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from tender.domain.dossier import Dossier
from tender.domain.models import (
    EachSubCriterionRule,
    SubCriterionRule,
    ThresholdRule,
    WeightedMeanRule,
)


@dataclass(frozen=True, kw_only=True)
class SubCriterionLine:
    id: str
    title: str
    weight: Decimal
    max_pages: int | None


@dataclass(frozen=True, kw_only=True)
class DossierSummary:
    """The facts a committee checks before it starts: one line each in the terminal."""

    reference: str
    title: str
    authority: str
    procedure: str
    deadline: str
    bids: int
    evaluators: int
    roles: dict[str, int]
    chair: str
    conflicts: int
    documents: tuple[str, ...]
    mandatory_documents: tuple[str, ...]
    requirements: dict[str, int]
    person_verified_requirements: int
    scale: tuple[Decimal, ...]
    sub_criteria: tuple[SubCriterionLine, ...]
    final_score: str
    threshold: tuple[str, ...]
    standstill_days: int
    standstill_statutory: bool
    language: str


def summarize(dossier: Dossier) -> DossierSummary:
    """Count and describe what the dossier holds; it reads nothing itself."""
    procedure, committee, award = dossier.procedure, dossier.committee, dossier.award
    chair = committee.evaluator(committee.chair)
    assert chair is not None  # the loader checked that the chair is an evaluator
    return DossierSummary(
        reference=procedure.reference,
        title=procedure.title,
        authority=procedure.authority.name,
        procedure=procedure.procedure,
        deadline=procedure.deadline_at.isoformat(),
        bids=len(dossier.submissions),
        evaluators=len(committee.evaluators),
        roles=dict(Counter(person.role for person in committee.evaluators)),
        chair=chair.name,
        conflicts=len(committee.conflicts),
        documents=tuple(doc.id for doc in procedure.documents),
        mandatory_documents=tuple(doc.id for doc in procedure.documents if doc.mandatory),
        requirements=dict(Counter(req.category for req in dossier.suitability.requirements)),
        person_verified_requirements=sum(req.person for req in dossier.suitability.requirements),
        scale=award.scale_values,
        sub_criteria=tuple(
            SubCriterionLine(id=sub.id, title=sub.title, weight=sub.weight, max_pages=sub.max_pages)
            for sub in award.sub_criteria
        ),
        final_score=award.final_score,
        threshold=tuple(describe_rule(rule) for rule in award.threshold),
        standstill_days=procedure.standstill.days,
        standstill_statutory=procedure.standstill.statutory,
        language=procedure.language,
    )


def describe_rule(rule: ThresholdRule) -> str:
    """A threshold rule in words, as the summary and later the letters state it."""
    if isinstance(rule, WeightedMeanRule):
        return f"weighted mean >= {rule.min}"
    if isinstance(rule, EachSubCriterionRule):
        return f"every sub-criterion >= {rule.min}"
    assert isinstance(rule, SubCriterionRule)
    return f"{rule.sub_criterion} >= {rule.min}"
