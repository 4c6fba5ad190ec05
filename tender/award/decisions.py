"""Decisions: final scores, the threshold, and one outcome with its reasons per bid.

Every figure that decides is a :class:`~fractions.Fraction` computed from the
recorded scores and the dossier's weights, so a mean of 22/3 stays 22/3 and a
weighted mean of 7.99 is below 8: nothing is rounded before a comparison.
Figures are rounded only for display, and then always down (:func:`shown`), so a
shown figure never suggests that a bid reached a threshold it missed.

Outcomes follow DESIGN §2 in this order: invalid, excluded, unsuitable, below
threshold, provisional award.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from tender.bids.suitability import BidAssessment
from tender.domain.dossier import Dossier
from tender.domain.errors import RefusedError
from tender.domain.events import Outcome
from tender.domain.findings import Finding
from tender.domain.models import (
    EachSubCriterionRule,
    SubCriterionRule,
    ThresholdRule,
    WeightedMeanRule,
)
from tender.record.book import Score, ScoreBook

Method = Literal["consensus", "mean", "median"]
SHOWN_PLACES = 2
_LISTED = 5


@dataclass(frozen=True, kw_only=True)
class FinalScore:
    """The score that counts on one sub-criterion, how it was reached, and what it rests on."""

    sub_criterion: str
    value: Fraction
    method: Method
    motivation: str | None
    consensus: Score | None
    individual: tuple[Score, ...]


@dataclass(frozen=True, kw_only=True)
class RuleCheck:
    """One threshold rule applied to one bid: the figure, the minimum, and whether it holds."""

    kind: str
    sub_criterion: str | None
    value: Fraction
    minimum: Fraction
    passed: bool

    @property
    def margin(self) -> Fraction:
        return self.value - self.minimum


@dataclass(frozen=True, kw_only=True)
class Decision:
    """A bid's outcome and everything a letter or a judge needs to see why."""

    bid: str
    bidder: str
    outcome: Outcome
    reasons: tuple[Finding, ...]
    finals: tuple[FinalScore, ...] = ()
    weighted_mean: Fraction | None = None
    checks: tuple[RuleCheck, ...] = ()

    @property
    def awarded(self) -> bool:
        return self.outcome == "provisional-award"

    @property
    def margin(self) -> Fraction | None:
        """Distance to the tightest threshold rule (negative when below it)."""
        return min((check.margin for check in self.checks), default=None)

    def final(self, sub_criterion: str) -> FinalScore | None:
        return next((final for final in self.finals if final.sub_criterion == sub_criterion), None)


def decide(
    dossier: Dossier, assessments: Sequence[BidAssessment], book: ScoreBook
) -> tuple[Decision, ...]:
    """One decision per bid; refused while a verdict or a score the decision needs is missing.

    Decisions are taken once the consensus phase is open: before that, a mean or a
    median would show evaluators what their colleagues scored.
    """
    if book.phase == "individual":
        raise RefusedError(
            "the evaluation is in the individual phase; decisions are taken once the chair "
            "opens the consensus phase ('tender phase consensus')"
        )
    by_bid = {assessment.bid: assessment for assessment in assessments}
    pending = [
        f"{assessment.bid} {result.requirement}"
        for assessment in assessments
        if assessment.standing == "pending"
        for result in assessment.requirements
        if result.status == "pending"
    ]
    missing: list[str] = []
    off_scale: list[str] = []
    decisions: list[Decision] = []
    for submission in dossier.submissions:
        assessment = by_bid[submission.id]
        standing = assessment.standing
        if standing in ("invalid", "excluded", "unsuitable"):
            decisions.append(
                Decision(
                    bid=submission.id,
                    bidder=assessment.bidder,
                    outcome=standing,
                    reasons=assessment.reasons,
                )
            )
            continue
        finals = []
        for sub in dossier.award.sub_criteria:
            final = final_score(dossier, book, submission.id, sub.id)
            if final is None:
                missing.append(f"{submission.id} {sub.id}")
            else:
                finals.append(final)
                off_scale += _off_scale(dossier, final)
        if standing == "suitable" and len(finals) == len(dossier.award.sub_criteria):
            decisions.append(_threshold(dossier, submission.id, assessment.bidder, tuple(finals)))
    if off_scale:
        points = ", ".join(str(point) for point in dossier.award.scale_values)
        count = (
            "1 recorded score is"
            if len(off_scale) == 1
            else f"{len(off_scale)} recorded scores are"
        )
        raise RefusedError(
            f"{count} not a point on the scale of "
            f"criteria/award.yaml ({points}), so no decision can rest on them: "
            f"{_listed(off_scale)}; the scale or the record was changed after scoring"
        )
    if pending or missing:
        raise RefusedError(_not_ready(pending, missing, dossier.award.final_score))
    return tuple(decisions)


def _off_scale(dossier: Dossier, final: FinalScore) -> list[str]:
    """The scores a final score rests on that are not on the dossier's scale (by hand, or a
    scale changed after scoring): the Recorder never records one."""
    points = set(dossier.award.scale_values)
    scores = (final.consensus,) if final.consensus is not None else final.individual
    return [
        f"{score.bid} / {score.sub_criterion}: {score.score} (entry {score.seq})"
        for score in scores
        if score is not None and score.score not in points
    ]


def final_score(
    dossier: Dossier, book: ScoreBook, bid: str, sub_criterion: str
) -> FinalScore | None:
    """The final score by the dossier's method, or None while what it needs is missing."""
    method = dossier.award.final_score
    individual = book.scores_on((bid, sub_criterion))
    if method == "consensus":
        agreed = book.consensus.get((bid, sub_criterion))
        if agreed is None:
            return None
        return FinalScore(
            sub_criterion=sub_criterion,
            value=Fraction(agreed.score),
            method=method,
            motivation=agreed.motivation,
            consensus=agreed,
            individual=individual,
        )
    expected = [
        person.id
        for person in dossier.committee.evaluators
        if not dossier.committee.is_conflicted(person.id, bid)
    ]
    if {score.by for score in individual} != set(expected) or not individual:
        return None
    value = combine([Fraction(score.score) for score in individual], method)
    return FinalScore(
        sub_criterion=sub_criterion,
        value=value,
        method=method,
        motivation=None,
        consensus=None,
        individual=individual,
    )


def combine(values: Sequence[Fraction], method: Literal["mean", "median"]) -> Fraction:
    """The mean or the median of individual scores, exactly.

    >>> combine([Fraction(6), Fraction(8), Fraction(8)], "mean")
    Fraction(22, 3)
    >>> combine([Fraction(8), Fraction(4), Fraction(6), Fraction(10)], "median")
    Fraction(7, 1)
    """
    if not values:
        raise ValueError("a final score needs at least one individual score")
    if method == "mean":
        return sum(values, Fraction(0)) / len(values)
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Weights:
    """Each sub-criterion's share of the weighted mean: its weight over the sum of the weights."""

    shares: Mapping[str, Fraction]

    @classmethod
    def of(cls, dossier: Dossier) -> Weights:
        weights = {sub.id: Fraction(sub.weight) for sub in dossier.award.sub_criteria}
        total = sum(weights.values(), Fraction(0))
        return cls({sub: weight / total for sub, weight in weights.items()})

    def mean(self, finals: Mapping[str, Fraction]) -> Fraction:
        """The weighted mean of the final scores, exactly."""
        return sum((self.shares[sub] * value for sub, value in finals.items()), Fraction(0))

    def moved(self, mean: Fraction, sub_criterion: str, old: Fraction, new: Fraction) -> Fraction:
        """The weighted mean ``mean`` after one final score went from ``old`` to ``new``."""
        return mean + self.shares[sub_criterion] * (new - old)


def weighted_mean(dossier: Dossier, finals: Mapping[str, Fraction]) -> Fraction:
    """The sum of weight * final score over the sum of the weights, exactly."""
    return Weights.of(dossier).mean(finals)


def passes(rules: Sequence[ThresholdRule], finals: Mapping[str, Fraction], mean: Fraction) -> bool:
    """Whether final scores with this weighted mean meet every threshold rule."""
    return all(check.passed for rule in rules for check in apply_rule(rule, finals, mean))


def apply_rule(
    rule: ThresholdRule, finals: Mapping[str, Fraction], mean: Fraction
) -> tuple[RuleCheck, ...]:
    """The checks one threshold rule makes on a bid's final scores."""
    minimum = Fraction(rule.min)
    if isinstance(rule, WeightedMeanRule):
        return (
            RuleCheck(
                kind="weighted-mean",
                sub_criterion=None,
                value=mean,
                minimum=minimum,
                passed=mean >= minimum,
            ),
        )
    if isinstance(rule, EachSubCriterionRule):
        return tuple(
            RuleCheck(
                kind="each-sub-criterion",
                sub_criterion=sub,
                value=value,
                minimum=minimum,
                passed=value >= minimum,
            )
            for sub, value in finals.items()
        )
    assert isinstance(rule, SubCriterionRule)
    value = finals[rule.sub_criterion]
    return (
        RuleCheck(
            kind="sub-criterion",
            sub_criterion=rule.sub_criterion,
            value=value,
            minimum=minimum,
            passed=value >= minimum,
        ),
    )


def _threshold(dossier: Dossier, bid: str, bidder: str, finals: tuple[FinalScore, ...]) -> Decision:
    values = {final.sub_criterion: final.value for final in finals}
    mean = weighted_mean(dossier, values)
    checks = tuple(
        check for rule in dossier.award.threshold for check in apply_rule(rule, values, mean)
    )
    failed = tuple(_shortfall(check) for check in checks if not check.passed)
    outcome: Outcome = "below-threshold" if failed else "provisional-award"
    return Decision(
        bid=bid,
        bidder=bidder,
        outcome=outcome,
        reasons=failed,
        finals=finals,
        weighted_mean=mean,
        checks=checks,
    )


def _shortfall(check: RuleCheck) -> Finding:
    what = (
        "weighted mean" if check.sub_criterion is None else f"final score on {check.sub_criterion}"
    )
    return Finding(
        rule=f"threshold.{check.kind}",
        message=(
            f"the {what} {shown(check.value)} is below the minimum {shown(check.minimum)} "
            f"(short by {shown(-check.margin, rounding='up')})"
        ),
        figures={
            "sub_criterion": check.sub_criterion,
            "value": exact(check.value),
            "minimum": exact(check.minimum),
        },
    )


def shown(
    value: Fraction, places: int = SHOWN_PLACES, rounding: Literal["down", "up"] = "down"
) -> Decimal:
    """``value`` with ``places`` decimals, rounded down (or up, for a shortfall), never to nearest.

    >>> shown(Fraction(7999, 1000))
    Decimal('7.99')
    >>> shown(Fraction(22, 3))
    Decimal('7.33')
    >>> shown(Fraction(1, 300), rounding="up")
    Decimal('0.01')
    """
    scaled = value * 10**places
    whole = scaled.numerator // scaled.denominator
    if rounding == "up" and scaled.denominator != 1:
        whole += 1
    return Decimal(whole).scaleb(-places)


def exact(value: Fraction) -> str:
    """A fraction as exact text: a terminating decimal where it is one, else ``p/q``.

    >>> exact(Fraction(39, 5))
    '7.8'
    >>> exact(Fraction(22, 3))
    '22/3'
    """
    rest = value.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest != 1:
        return f"{value.numerator}/{value.denominator}"
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f")


def _not_ready(pending: Sequence[str], missing: Sequence[str], method: str) -> str:
    parts = []
    if pending:
        parts.append(
            f"{len(pending)} suitability verdicts are pending ({_listed(pending)}); "
            "record them with 'tender suitability verify'"
        )
    if missing:
        what = "consensus scores" if method == "consensus" else "final scores (individual scores)"
        parts.append(f"{len(missing)} {what} are missing ({_listed(missing)})")
    return "cannot decide yet: " + "; ".join(parts)


def _listed(items: Sequence[str]) -> str:
    head = ", ".join(items[:_LISTED])
    return head if len(items) <= _LISTED else f"{head} and {len(items) - _LISTED} more"
