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
from tender.domain.errors import RefusedError
from tender.record.book import ScoreBook


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """One dossier with its assessments and the current state of its record."""

    dossier: Dossier
    assessments: tuple[BidAssessment, ...]
    book: ScoreBook

    def decide(self) -> tuple[Decision, ...]:
        """One decision per bid; refused (:class:`RefusedError`) while they cannot be taken."""
        return decide(self.dossier, self.assessments, self.book)

    def decisions_or_reason(self) -> tuple[tuple[Decision, ...] | None, str | None]:
        """The decisions, or None and why they cannot be taken yet (the phase, what is missing)."""
        if self.book.phase == "individual":
            return None, "the evaluation is in the individual phase"
        try:
            return self.decide(), None
        except RefusedError as error:
            return None, str(error)

    def standstill(self, sent: date) -> StandstillPeriod:
        rules = self.dossier.procedure.standstill
        return standstill(
            sent,
            days=rules.days,
            statutory=rules.statutory,
            extra_holidays=self.dossier.procedure.extra_holidays,
        )
