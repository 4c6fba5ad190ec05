"""What the audit found, as data: findings with their severity and what they concern, and the
statistics behind them. The terminal, the HTML page and the JSON all show this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal, Protocol

from tender.analysis.agreement import IccResult, alpha_band
from tender.award.decisions import shown
from tender.domain.events import Outcome
from tender.domain.findings import Figure
from tender.domain.models import AuditSettings
from tender.record.book import Phase, Score

Severity = Literal["blocking", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("blocking", "warning", "info")
CHECKS = (
    "completeness",
    "scale",
    "motivation",
    "spread",
    "bias",
    "agreement",
    "tone",
    "fragility",
)
OVERALL = "overall"


class Assessed(Protocol):
    """What the audit needs of a bid's assessment (:class:`tender.bids.suitability.BidAssessment`)."""

    @property
    def bid(self) -> str: ...

    @property
    def scored(self) -> bool: ...


@dataclass(frozen=True, kw_only=True)
class Concern:
    """What a finding is about: a bid, an item, an evaluator, or one score.

    ``consensus`` marks the consensus score on the item (then ``evaluator`` is None).
    """

    bid: str | None = None
    sub_criterion: str | None = None
    evaluator: str | None = None
    consensus: bool = False


@dataclass(frozen=True, kw_only=True)
class AuditFinding:
    """One thing the committee must fix, check or know, and what it concerns."""

    check: str
    rule: str
    severity: Severity
    message: str
    items: tuple[Concern, ...] = ()
    figures: Mapping[str, Figure] = field(default_factory=dict)
    evidence: str | None = None


@dataclass(frozen=True, kw_only=True)
class Completeness:
    """How many scores the procedure requires and how many are recorded."""

    individual_required: int
    individual_recorded: int
    consensus_required: int
    consensus_recorded: int


@dataclass(frozen=True, kw_only=True)
class EvaluatorStats:
    """One evaluator's scores: their distribution, bias against the others, straight-lining."""

    evaluator: str
    name: str
    scored: int
    distribution: tuple[tuple[Decimal, int], ...]
    mean: float | None
    compared: int
    deviation: float | None
    ci_low: float | None
    ci_high: float | None
    complete_bids: int
    straight_bids: int

    @property
    def straight_share(self) -> float | None:
        return self.straight_bids / self.complete_bids if self.complete_bids else None


@dataclass(frozen=True, kw_only=True)
class SpreadCount:
    """How many items of a sub-criterion have their individual scores ``steps`` steps apart."""

    sub_criterion: str
    steps: int
    items: int


@dataclass(frozen=True, kw_only=True)
class Agreement:
    """Agreement between the evaluators on one sub-criterion, or over all items."""

    scope: str
    title: str
    items: int
    icc: IccResult
    alpha_interval: float | None
    alpha_ordinal: float | None

    @property
    def band(self) -> str | None:
        """Krippendorff's band of the interval alpha, which the findings use."""
        return alpha_band(self.alpha_interval)


@dataclass(frozen=True, kw_only=True)
class Flip:
    """One change that turns a bid's outcome, and the figures after it."""

    kind: Literal["step", "leave-out"]
    sub_criterion: str | None
    evaluator: str | None
    direction: int
    weighted_mean: Fraction
    outcome: Outcome

    def describe(self) -> str:
        after = "award" if self.outcome == "provisional-award" else "below threshold"
        if self.kind == "leave-out":
            return f"without {self.evaluator} → {after}"
        arrow = "+1 step" if self.direction > 0 else "-1 step"
        return f"{self.sub_criterion} {arrow} → {after}"


@dataclass(frozen=True, kw_only=True)
class Fragility:
    """How far a bid is from the threshold, and which single changes turn its outcome."""

    bid: str
    bidder: str
    outcome: Outcome
    weighted_mean: Fraction | None
    margin: Fraction | None
    flips: tuple[Flip, ...]
    variants: int

    @property
    def fragile(self) -> bool:
        return bool(self.flips)


@dataclass(frozen=True, kw_only=True)
class AuditReport:
    """Everything the audit found, as data: what the terminal, HTML and JSON show."""

    reference: str
    title: str
    phase: Phase
    method: str
    limited: bool
    settings: AuditSettings
    scale: tuple[Decimal, ...]
    step: Decimal
    sub_criteria: tuple[tuple[str, str], ...]
    completeness: Completeness
    findings: tuple[AuditFinding, ...]
    evaluators: tuple[EvaluatorStats, ...] = ()
    spread: tuple[SpreadCount, ...] = ()
    agreement: tuple[Agreement, ...] = ()
    fragility: tuple[Fragility, ...] = ()
    decisions_available: bool = False

    def count(self, severity: Severity, check: str | None = None) -> int:
        return sum(
            1
            for finding in self.findings
            if finding.severity == severity and check in (None, finding.check)
        )

    @property
    def blocking(self) -> int:
        return self.count("blocking")

    @property
    def fragile(self) -> tuple[Fragility, ...]:
        return tuple(item for item in self.fragility if item.fragile)

    def of(self, check: str) -> tuple[AuditFinding, ...]:
        return tuple(finding for finding in self.findings if finding.check == check)


def where(score: Score) -> str:
    return f"{score.bid} / {score.sub_criterion}"


# --- small helpers -----------------------------------------------------------------------------


def signed_margin(value: Fraction) -> str:
    """The margin to the threshold as shown in reports (``+0.20``, ``-0.40``, ``+0.00``):
    rounded towards zero to two decimals, with its sign."""
    magnitude = shown(abs(value))
    return f"{'-' if value < 0 else '+'}{magnitude}"


def decimal_of(value: float, places: int = 2) -> Decimal:
    """A statistic as a decimal figure with ``places`` decimals, for a finding's figures."""
    return Decimal(f"{value:.{places}f}")


def listed(names: Sequence[str], most: int = 5) -> str:
    head = ", ".join(names[:most])
    return head if len(names) <= most else f"{head} and {len(names) - most} more"


def plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"
