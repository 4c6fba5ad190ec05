"""The audit of an evaluation as far as it has come: with the decisions once they can be taken."""

from __future__ import annotations

from dataclasses import dataclass

from tender.analysis.audit import audit
from tender.analysis.report import AuditReport
from tender.award.decisions import Decision
from tender.award.evaluation import Evaluation


@dataclass(frozen=True, kw_only=True)
class AuditOutcome:
    """The audit, the decisions it judged the fragility of, and why there are none (if so)."""

    report: AuditReport
    decisions: tuple[Decision, ...] | None
    note: str | None


def audit_evaluation(evaluation: Evaluation) -> AuditOutcome:
    """Audit what the record holds; fragility once the decisions can be taken."""
    decisions, note = evaluation.decisions_or_reason()
    report = audit(evaluation.dossier, evaluation.assessments, evaluation.book, decisions)
    return AuditOutcome(report=report, decisions=decisions, note=note)
