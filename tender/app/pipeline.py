"""The main job: every stage the evaluation has reached, computed first and written last.

:func:`run_pipeline` loads and checks the dossier, reads the bids, replays the
record, and then goes as far as the evaluation allows: the audit once scores
exist; decisions, letters and the evaluation report once decisions can be
taken. It returns every report as data; nothing is written until every stage
has succeeded, so a failing run leaves ``reports/`` as it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tender.analysis.report import AuditReport
from tender.app.audit import audit_evaluation
from tender.app.load import load_evaluation
from tender.award.decisions import Decision
from tender.award.evaluation import Evaluation
from tender.domain.deadlines import StandstillPeriod
from tender.domain.progress import Progress, silent
from tender.present.audit_page import audit_files
from tender.present.decision_files import decision_files
from tender.present.letters import provisional_letters
from tender.present.render import Rendered
from tender.present.report import REPORT_SET, evaluation_report

_INCOMPLETE = frozenset({"document-missing", "document-unreadable"})


@dataclass(frozen=True, kw_only=True)
class PipelineResult:
    """How far the evaluation is, what each stage found, and the report sets to write."""

    evaluation: Evaluation
    decisions: tuple[Decision, ...] | None
    not_decided: str | None
    audit: AuditReport | None
    period: StandstillPeriod | None
    reports: Mapping[str, tuple[Rendered, ...]]

    def counts(self) -> Counter[str]:
        """Bids by what became of them, in the words of the summary line."""
        counts: Counter[str] = Counter()
        for assessment in self.evaluation.assessments:
            rules = {reason.rule for reason in assessment.validity.reasons}
            if "late" in rules:
                counts["late"] += 1
            elif rules & _INCOMPLETE:
                counts["incomplete"] += 1
            elif rules:
                counts["invalid"] += 1
            elif assessment.standing in ("excluded", "unsuitable", "pending"):
                counts[assessment.standing] += 1
        for decision in self.decisions or ():
            if decision.outcome == "provisional-award":
                counts["awarded"] += 1
            elif decision.outcome == "below-threshold":
                counts["below threshold"] += 1
        return counts


def run_pipeline(
    root: Path, *, progress: Progress = silent, today: date | None = None
) -> PipelineResult:
    """Every stage the evaluation has reached, with its reports as data (nothing written)."""
    evaluation = load_evaluation(root, progress=progress)
    book = evaluation.book
    reports: dict[str, tuple[Rendered, ...]] = {}
    report: AuditReport | None = None
    if book.scored or book.consensus:
        outcome = audit_evaluation(evaluation)
        report, decisions, not_decided = outcome.report, outcome.decisions, outcome.note
        reports["audit"] = audit_files(report, note=not_decided)
    else:
        decisions, not_decided = evaluation.decisions_or_reason()
    period: StandstillPeriod | None = None
    if decisions is not None:
        sent = book.sent
        day = sent.sent if sent else evaluation.dossier.procedure.planned.provisional_award
        period = evaluation.standstill(day or today or date.today())
        version = sent.version if sent else len(book.dispatches) + 1
        reports["decisions"] = decision_files(evaluation.dossier, decisions)
        reports["letters"] = provisional_letters(
            evaluation.dossier,
            decisions,
            evaluation.assessments,
            period,
            version=version,
            progress=progress,
        )
        reports[REPORT_SET] = evaluation_report(evaluation, decisions, period, last=book.described)
    return PipelineResult(
        evaluation=evaluation,
        decisions=decisions,
        not_decided=not_decided,
        audit=report,
        period=period,
        reports=reports,
    )
