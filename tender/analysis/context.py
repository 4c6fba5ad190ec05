"""The record arranged for the audit's checks: items in dossier order, scores by item."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tender.analysis.report import (
    Assessed,
    Completeness,
    Concern,
)
from tender.domain.dossier import Dossier
from tender.record.book import Score, ScoreBook


@dataclass(frozen=True, kw_only=True)
class AuditContext:
    """The record arranged for the checks: items in dossier order, scores by item."""

    dossier: Dossier
    book: ScoreBook
    scale: tuple[Decimal, ...]
    step: Decimal
    position: Mapping[Decimal, int]
    evaluators: tuple[str, ...]
    required_bids: tuple[str, ...]
    items: tuple[tuple[str, str], ...]
    scores: Mapping[tuple[str, str], tuple[Score, ...]]
    expected_by_bid: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    consensus_ids: frozenset[int] = frozenset()
    """The identities of the consensus scores in the book: is this score one of them?"""

    @classmethod
    def build(
        cls, dossier: Dossier, assessments: Sequence[Assessed], book: ScoreBook
    ) -> AuditContext:
        scale = tuple(sorted(dossier.award.scale_values))
        step = min(high - low for low, high in itertools.pairwise(scale))
        scored = {assessment.bid for assessment in assessments if assessment.scored}
        score_all = dossier.award.score_all_bids
        required = tuple(bid.id for bid in dossier.submissions if score_all or bid.id in scored)
        order = {person.id: index for index, person in enumerate(dossier.committee.evaluators)}
        by_item: dict[tuple[str, str], list[Score]] = defaultdict(list)
        for (_, bid, sub), score in book.individual.items():
            by_item[(bid, sub)].append(score)
        scores = {
            item: tuple(sorted(found, key=lambda s: (order.get(s.by, len(order)), s.by)))
            for item, found in by_item.items()
        }
        subs = [sub.id for sub in dossier.award.sub_criteria]
        evaluators = tuple(order)
        return cls(
            dossier=dossier,
            book=book,
            scale=scale,
            step=step,
            position={value: index for index, value in enumerate(scale)},
            evaluators=evaluators,
            required_bids=required,
            items=tuple((bid, sub) for bid in required for sub in subs),
            scores=scores,
            expected_by_bid={
                bid: expected_evaluators(dossier, evaluators, bid) for bid in required
            },
            consensus_ids=frozenset(id(score) for score in book.consensus.values()),
        )

    def expected(self, bid: str) -> tuple[str, ...]:
        known = self.expected_by_bid.get(bid)
        return expected_evaluators(self.dossier, self.evaluators, bid) if known is None else known

    @property
    def consensus_required(self) -> bool:
        return self.dossier.award.final_score == "consensus" and self.book.phase != "individual"

    def completeness(self) -> Completeness:
        individual_required = individual_recorded = 0
        for bid, sub in self.items:
            for person in self.expected(bid):
                individual_required += 1
                individual_recorded += (person, bid, sub) in self.book.scored
        consensus_required = len(self.items) if self.consensus_required else 0
        consensus_recorded = (
            sum(1 for item in self.items if item in self.book.consensus)
            if self.consensus_required
            else 0
        )
        return Completeness(
            individual_required=individual_required,
            individual_recorded=individual_recorded,
            consensus_required=consensus_required,
            consensus_recorded=consensus_recorded,
        )

    def all_scores(self) -> Iterable[Score]:
        """Every current score in the record: individual scores, then consensus scores."""
        yield from self.book.individual.values()
        yield from self.book.consensus.values()

    def who(self, score: Score) -> str:
        return "the consensus" if self.is_consensus(score) else score.by

    def is_consensus(self, score: Score) -> bool:
        """The score is the consensus score on its item (the book holds that very one)."""
        return id(score) in self.consensus_ids

    def concern(self, score: Score) -> Concern:
        if self.is_consensus(score):
            return Concern(
                bid=score.bid, sub_criterion=score.sub_criterion, evaluator=None, consensus=True
            )
        return Concern(bid=score.bid, sub_criterion=score.sub_criterion, evaluator=score.by)


def expected_evaluators(dossier: Dossier, evaluators: Sequence[str], bid: str) -> tuple[str, ...]:
    committee = dossier.committee
    if not committee.conflicts:
        return tuple(evaluators)
    return tuple(e for e in evaluators if not committee.is_conflicted(e, bid))
