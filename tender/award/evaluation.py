"""One evaluation as data: the dossier, the bids' assessments and the replayed record.

What the decision, the letters, the report and the exports are made from;
:func:`tender.app.load.load_evaluation` builds it from a dossier folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tender.award.decisions import Decision, decide
from tender.bids.suitability import BidAssessment
from tender.domain.deadlines import StandstillPeriod, standstill
from tender.domain.dossier import Dossier
from tender.record.book import ScoreBook


@dataclass(frozen=True)
class Evaluation:
    """One dossier with its assessments and the current state of its record."""

    dossier: Dossier
    assessments: tuple[BidAssessment, ...]
    book: ScoreBook

    def decide(self) -> tuple[Decision, ...]:
        return decide(self.dossier, self.assessments, self.book)

    def standstill(self, sent: date) -> StandstillPeriod:
        rules = self.dossier.procedure.standstill
        return standstill(
            sent,
            days=rules.days,
            statutory=rules.statutory,
            extra_holidays=self.dossier.procedure.extra_holidays,
        )
