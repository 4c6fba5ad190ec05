"""The audit: is every score consistent, complete and motivated, and how fragile is each decision?

:func:`audit` takes the dossier, the bids' assessments, the record's scores and
(once they can be taken) the decisions, and returns an :class:`AuditReport`:
findings, each with a severity and the items it concerns, and the statistics
behind them. It reads and writes nothing.

Checks (DESIGN §2, "Consistency"), with their severity:

=============  ====================================================================  ========
check          finding                                                               severity
=============  ====================================================================  ========
completeness   a required individual score is missing (one finding per evaluator)     blocking
completeness   a required consensus score is missing (method ``consensus``)           blocking
completeness   a score by an evaluator with a declared conflict of interest           blocking
scale          a score that is not a point on the scale (the scale changed after)     blocking
motivation     a motivation that is empty                                            blocking
motivation     a motivation shorter than ``min_motivation_chars``                    warning
motivation     one motivation, word for word, on more than one bid                   info
spread         individual scores more than ``max_spread_steps`` steps apart           warning
spread         a consensus score outside the range of the individual scores          warning
bias           an evaluator's mean deviation from the others of at least              warning
               ``bias_steps`` steps, with a 95 % interval that excludes zero
bias           straight-lining: one score on all sub-criteria of at least             warning
               ``straight_lining_share`` of an evaluator's bids
agreement      Krippendorff's interval alpha below .667 (unreliable)                 warning
agreement      Krippendorff's interval alpha from .667 up to .8 (tentative)          info
tone           wording that contradicts the score (negative cues with a high         warning
               score, praise with a low one)
tone           comparative wording, another bid's id or another bidder's name       warning
fragility      the outcome changes when one final score moves one step, or          warning
               (mean and median) when one evaluator is left out
=============  ====================================================================  ========

Definitions:

- A **step** is the distance between neighbouring points of the scale. An item's
  spread is counted in steps (positions on the scale), so it means the same on an
  uneven scale. Where a step must be a number of points (bias, moving a mean or
  median final score) it is the smallest distance between neighbouring points.
- **Bias**: for every item an evaluator scored with at least one other, the
  evaluator's score minus the mean of the others' scores; the mean of these
  differences with a t-based 95 % confidence interval (t from a table up to 120
  degrees of freedom, the normal quantile beyond).
- **High** scores lie in the top 30 % of the scale's range, **low** ones in the
  bottom 40 %. A high score contradicts its motivation when the motivation's own
  words (quotations from the plan left out) hold at least two negative cues and
  more negative cues than praise; a low score when they hold at least two praise
  cues and more praise than negative cues. Praise after "niet", "weinig",
  "nauwelijks", "onvoldoende" or "geen" counts as negative.
- **Agreement** is computed per sub-criterion and over all items, with the
  evaluators as raters. ICC uses complete items only (an item of a bid that an
  evaluator has a conflict with is left out, and the count is shown); alpha uses
  every item with two or more scores. Findings are raised on the interval alpha,
  which uses every score; the ICCs are shown for reference with Koo & Li's bands.
- **Fragility** (once decisions are taken): per bid with final scores, the margin
  to the tightest threshold rule, and every single change that turns its outcome:
  one final score one step up or down (to the neighbouring point for a consensus
  score; by one step within the scale for a mean or median), and, for the mean and
  median methods, the final scores recomputed without one evaluator.

During the individual phase no one may see another evaluator's scores, so the
audit is limited to completeness: how many scores each evaluator still has open,
and scores given despite a conflict (by bid, without values or motivations).
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Literal, Protocol

from tender.analysis.agreement import AlphaLevel, IccResult, alpha, alpha_band, icc
from tender.award.decisions import Decision, Outcome, apply_rule, exact, shown
from tender.domain.dossier import Dossier
from tender.domain.findings import Figure
from tender.domain.models import AuditSettings
from tender.record.book import Phase, Score, ScoreBook

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
HIGH_SHARE = Fraction(7, 10)
LOW_SHARE = Fraction(2, 5)
MIN_CUES = 2
_NEGATORS = ("niet", "weinig", "nauwelijks", "onvoldoende", "geen")

NEGATIVE_CUES = (
    r"zwak\w*",
    r"onvoldoende",
    r"ontbr\w+",
    r"vaag",
    r"vage",
    r"oppervlakkig\w*",
    r"summier\w*",
    r"niet concreet",
    r"mager\w*",
    r"slecht\w*",
    r"gebrekkig\w*",
    r"niet uitgewerkt",
    r"nauwelijks",
    r"onduidelijk\w*",
    r"onvolledig\w*",
    r"te weinig",
    r"matig\w*",
)
"""Dutch words that say a plan falls short (as regular expressions for whole words)."""
PRAISE_CUES = (
    r"uitstekend\w*",
    r"sterke?",
    r"overtuigend\w*",
    r"zeer concreet",
    r"zeer goed",
    r"goed uitgewerkt",
    r"helder\w*",
    r"excellent\w*",
    r"uitmuntend\w*",
    r"voortreffelijk\w*",
)
"""Dutch words of praise; after a negator (``niet overtuigend``) they count as negative."""
COMPARATIVE_CUES = (
    r"(?:beter|slechter|sterker|zwakker|hoger|lager|meer|minder) dan (?:de |het |die )?(?:andere|overige)",
    r"(?:beter|slechter|sterker|zwakker) dan",
    r"in vergelijking met",
    r"vergeleken met",
    r"ten opzichte van (?:de |het )?(?:andere|overige)",
    r"dan (?:de |het )?(?:andere|overige)",
    r"(?:de |het )?(?:andere|overige) (?:inschrijvers?|inschrijvingen|aanbieders?|bieders?|plannen)",
)
"""Dutch wording that measures a bid against other bids instead of against the guidance."""

_NEGATIVE = re.compile(r"\b(?:" + "|".join(NEGATIVE_CUES) + r")\b")
_PRAISE = re.compile(r"\b(?:" + "|".join(PRAISE_CUES) + r")\b")
_NEGATED = re.compile(r"\b(?:" + "|".join(_NEGATORS) + r")\s+(?:\w+\s+)?$")
_COMPARATIVE = re.compile(r"\b(?:" + "|".join(COMPARATIVE_CUES) + r")\b")
_COMPARATIVE_WORDS = ("dan ", "vergel", "andere", "overige")
"""Every comparative cue holds one of these: texts without any are not searched."""
_QUOTED = re.compile(r"“[^”]*”|„[^”“]*[”“]|\"[^\"]*\"|«[^»]*»")
_TOKEN = re.compile(r"[\w]+(?:[-.][\w]+)*")
_LEGAL_FORMS = frozenset({"bv", "nv", "vof", "ua", "stichting", "cooperatie", "coöperatie"})
_T_975 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    21: 2.080,
    22: 2.074,
    23: 2.069,
    24: 2.064,
    25: 2.060,
    26: 2.056,
    27: 2.052,
    28: 2.048,
    29: 2.045,
    30: 2.042,
    40: 2.021,
    60: 2.000,
    120: 1.980,
}
"""Two-sided 95 % quantiles of Student's t by degrees of freedom."""
_Z_975 = statistics.NormalDist().inv_cdf(0.975)


class Assessed(Protocol):
    """What the audit needs of a bid's assessment (:class:`tender.bids.suitability.BidAssessment`)."""

    @property
    def bid(self) -> str: ...

    @property
    def scored(self) -> bool: ...


@dataclass(frozen=True)
class Concern:
    """What a finding is about: a bid, an item, an evaluator, or one score.

    ``consensus`` marks the consensus score on the item (then ``evaluator`` is None).
    """

    bid: str | None = None
    sub_criterion: str | None = None
    evaluator: str | None = None
    consensus: bool = False


@dataclass(frozen=True)
class AuditFinding:
    """One thing the committee must fix, check or know, and what it concerns."""

    check: str
    rule: str
    severity: Severity
    message: str
    items: tuple[Concern, ...] = ()
    figures: Mapping[str, Figure] = field(default_factory=dict)
    evidence: str | None = None


@dataclass(frozen=True)
class Completeness:
    """How many scores the procedure requires and how many are recorded."""

    individual_required: int
    individual_recorded: int
    consensus_required: int
    consensus_recorded: int


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class SpreadCount:
    """How many items of a sub-criterion have their individual scores ``steps`` steps apart."""

    sub_criterion: str
    steps: int
    items: int


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


# --- the stage ---------------------------------------------------------------------------------


def audit(
    dossier: Dossier,
    assessments: Sequence[Assessed],
    book: ScoreBook,
    decisions: Sequence[Decision] | None = None,
) -> AuditReport:
    """Audit the record: every check of DESIGN §2 "Consistency" that the phase allows."""
    context = _Context.build(dossier, assessments, book)
    limited = book.phase == "individual"
    findings = [*_completeness(context, limited=limited)]
    report = AuditReport(
        reference=dossier.procedure.reference,
        title=dossier.procedure.title,
        phase=book.phase,
        method=dossier.award.final_score,
        limited=limited,
        settings=dossier.award.audit,
        scale=context.scale,
        step=context.step,
        sub_criteria=tuple((sub.id, sub.title) for sub in dossier.award.sub_criteria),
        completeness=context.completeness(),
        findings=(),
    )
    if limited:
        return _with(report, findings)
    findings += _scale_and_motivation(context)
    spread_counts, spread_findings = _spread(context)
    findings += spread_findings
    evaluators, bias_findings = _bias(context)
    findings += bias_findings
    agreement = _agreement(context)
    findings += _agreement_findings(agreement)
    findings += _tone(context)
    fragility: tuple[Fragility, ...] = ()
    if decisions is not None:
        fragility = _fragility(context, decisions)
        findings += _fragility_findings(fragility)
    return _with(
        replace(
            report,
            evaluators=evaluators,
            spread=spread_counts,
            agreement=agreement,
            fragility=fragility,
            decisions_available=decisions is not None,
        ),
        findings,
    )


def _with(report: AuditReport, findings: Iterable[AuditFinding]) -> AuditReport:
    order = {check: index for index, check in enumerate(CHECKS)}
    rank = {severity: index for index, severity in enumerate(SEVERITIES)}
    ordered = sorted(findings, key=lambda f: (rank[f.severity], order[f.check]))
    return replace(report, findings=tuple(ordered))


@dataclass(frozen=True)
class _Context:
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
    def build(cls, dossier: Dossier, assessments: Sequence[Assessed], book: ScoreBook) -> _Context:
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
            dossier,
            book,
            scale,
            step,
            {value: index for index, value in enumerate(scale)},
            evaluators,
            required,
            tuple((bid, sub) for bid in required for sub in subs),
            scores,
            {bid: _expected(dossier, evaluators, bid) for bid in required},
            frozenset(id(score) for score in book.consensus.values()),
        )

    def expected(self, bid: str) -> tuple[str, ...]:
        known = self.expected_by_bid.get(bid)
        return _expected(self.dossier, self.evaluators, bid) if known is None else known

    @property
    def consensus_required(self) -> bool:
        return self.dossier.award.final_score == "consensus" and self.book.phase != "individual"

    def completeness(self) -> Completeness:
        individual_required = individual_recorded = 0
        for bid, sub in self.items:
            for person in self.expected(bid):
                individual_required += 1
                individual_recorded += (person, bid, sub) in self.book.individual
        consensus_required = len(self.items) if self.consensus_required else 0
        consensus_recorded = (
            sum(1 for item in self.items if item in self.book.consensus)
            if self.consensus_required
            else 0
        )
        return Completeness(
            individual_required, individual_recorded, consensus_required, consensus_recorded
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
            return Concern(score.bid, score.sub_criterion, None, consensus=True)
        return Concern(score.bid, score.sub_criterion, score.by)


def _expected(dossier: Dossier, evaluators: Sequence[str], bid: str) -> tuple[str, ...]:
    committee = dossier.committee
    if not committee.conflicts:
        return tuple(evaluators)
    return tuple(e for e in evaluators if not committee.is_conflicted(e, bid))


# --- completeness ------------------------------------------------------------------------------


def _completeness(context: _Context, *, limited: bool) -> Iterator[AuditFinding]:
    book, committee = context.book, context.dossier.committee
    missing: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for bid, sub in context.items:
        for person in context.expected(bid):
            if (person, bid, sub) not in book.individual:
                missing[person].append((bid, sub))
    for person in context.evaluators:
        open_items = missing.get(person)
        if not open_items:
            continue
        count = len(open_items)
        yield AuditFinding(
            "completeness",
            "completeness.missing-individual",
            "blocking",
            f"{person} has {_plural(count, 'required individual score')} still open",
            () if limited else tuple(Concern(bid, sub, person) for bid, sub in open_items),
            {"evaluator": person, "missing": count},
        )
    if context.consensus_required:
        open_consensus = [item for item in context.items if item not in book.consensus]
        if open_consensus:
            count = len(open_consensus)
            yield AuditFinding(
                "completeness",
                "completeness.missing-consensus",
                "blocking",
                f"{_plural(count, 'required consensus score')} still open",
                tuple(Concern(bid, sub, consensus=True) for bid, sub in open_consensus),
                {"missing": count},
            )
    conflicted: dict[tuple[str, str], list[str]] = defaultdict(list)
    declared = {(conflict.evaluator, conflict.bid) for conflict in committee.conflicts}
    if declared:
        for person, bid, sub in sorted(book.individual):
            if (person, bid) in declared:
                conflicted[(person, bid)].append(sub)
    for (person, bid), subs in conflicted.items():
        reason = next(
            (c.reason for c in committee.conflicts if c.evaluator == person and c.bid == bid), ""
        )
        yield AuditFinding(
            "completeness",
            "completeness.conflicted",
            "blocking",
            f"{person} scored {bid} ({_plural(len(subs), 'sub-criterion', 'sub-criteria')}) "
            f"despite a declared conflict of interest: {reason}",
            tuple(Concern(bid, sub, person) for sub in subs),
            {"evaluator": person, "bid": bid, "scores": len(subs)},
        )


# --- scale and motivation ----------------------------------------------------------------------


def _scale_and_motivation(context: _Context) -> Iterator[AuditFinding]:
    settings = context.dossier.award.audit
    scale_text = ", ".join(str(value) for value in context.scale)
    # Motivations are grouped by the hash of their normalised text, and only groups of
    # several are compared word for word: keeping every normalised text would hold a copy
    # of all motivations (a quarter of a GiB for 400,000 scores).
    copies: dict[int, list[Score]] = defaultdict(list)
    for score in context.all_scores():
        if score.score not in context.position:
            yield AuditFinding(
                "scale",
                "scale.off-scale",
                "blocking",
                f"{_where(score)}: {score.score} by {context.who(score)} is not a point on the "
                f"scale ({scale_text})",
                (context.concern(score),),
                {"score": score.score, "scale": scale_text},
            )
        text = score.motivation.strip()
        if not text:
            yield AuditFinding(
                "motivation",
                "motivation.missing",
                "blocking",
                f"{_where(score)}: the score {score.score} by {context.who(score)} has no motivation",
                (context.concern(score),),
                {"score": score.score},
            )
            continue
        if len(text) < settings.min_motivation_chars:
            yield AuditFinding(
                "motivation",
                "motivation.short",
                "warning",
                f"{_where(score)}: the motivation by {context.who(score)} has {len(text)} characters "
                f"(at least {settings.min_motivation_chars} expected)",
                (context.concern(score),),
                {"characters": len(text), "minimum": settings.min_motivation_chars},
                evidence=text,
            )
        copies[hash(_normalised(text))].append(score)
    groups = [
        group
        for bucket in copies.values()
        if len(bucket) > 1
        for group in _same_text(bucket)
        if len({score.bid for score in group}) > 1
    ]
    groups.sort(key=lambda group: (-len({score.bid for score in group}), group[0].seq))
    for group in groups:
        bids = sorted({score.bid for score in group})
        authors = sorted({context.who(score) for score in group})
        yield AuditFinding(
            "motivation",
            "motivation.copied",
            "info",
            f"one motivation is used word for word on {len(bids)} bids ({_listed(bids)}): "
            f"{_plural(len(group), 'score')} by {', '.join(authors)}",
            tuple(context.concern(score) for score in group),
            {"bids": len(bids), "scores": len(group)},
            evidence=group[0].motivation.strip(),
        )


def _same_text(scores: Iterable[Score]) -> Iterator[list[Score]]:
    """The scores whose motivations are the same normalised text, in groups, in order."""
    by_text: dict[str, list[Score]] = defaultdict(list)
    for score in scores:
        by_text[_normalised(score.motivation.strip())].append(score)
    yield from by_text.values()


def _where(score: Score) -> str:
    return f"{score.bid} / {score.sub_criterion}"


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# --- spread ------------------------------------------------------------------------------------


def _spread(context: _Context) -> tuple[tuple[SpreadCount, ...], list[AuditFinding]]:
    allowed = context.dossier.award.audit.max_spread_steps
    counts: Counter[tuple[str, int]] = Counter()
    wide: list[tuple[int, AuditFinding]] = []
    findings: list[AuditFinding] = []
    for bid, sub in context.items:
        scores = [s for s in context.scores.get((bid, sub), ()) if s.score in context.position]
        where = f"{bid} / {sub}"
        if not scores:
            continue
        low = min(score.score for score in scores)
        high = max(score.score for score in scores)
        steps = context.position[high] - context.position[low]
        counts[(sub, steps)] += 1
        listing = " · ".join(f"{score.by} {score.score}" for score in scores)
        if steps > allowed:
            wide.append(
                (
                    steps,
                    AuditFinding(
                        "spread",
                        "spread.wide",
                        "warning",
                        f"{where}: individual scores from {low} to {high}, "
                        f"{_plural(steps, 'step')} apart (at most {allowed} allowed)",
                        (Concern(bid, sub),),
                        {"low": low, "high": high, "steps": steps, "allowed": allowed},
                        evidence=listing,
                    ),
                )
            )
        agreed = context.book.consensus.get((bid, sub))
        if agreed is not None and not low <= agreed.score <= high:
            findings.append(
                AuditFinding(
                    "spread",
                    "spread.consensus-outside",
                    "warning",
                    f"{where}: the consensus score {agreed.score} lies outside the individual "
                    f"scores ({low} to {high})",
                    (Concern(bid, sub, consensus=True),),
                    {"consensus": agreed.score, "low": low, "high": high},
                    evidence=listing,
                )
            )
    wide.sort(key=lambda pair: -pair[0])
    order = {sub.id: index for index, sub in enumerate(context.dossier.award.sub_criteria)}
    spread = tuple(
        SpreadCount(sub, steps, count)
        for (sub, steps), count in sorted(counts.items(), key=lambda p: (order[p[0][0]], p[0][1]))
    )
    return spread, [finding for _, finding in wide] + findings


# --- bias --------------------------------------------------------------------------------------


def _bias(context: _Context) -> tuple[tuple[EvaluatorStats, ...], list[AuditFinding]]:
    settings = context.dossier.award.audit
    differences: dict[str, list[float]] = defaultdict(list)
    for scores in context.scores.values():
        if len(scores) < 2:
            continue
        values = [float(score.score) for score in scores]
        total = sum(values)
        for score, value in zip(scores, values, strict=True):
            differences[score.by].append(value - (total - value) / (len(values) - 1))
    own: dict[str, list[Score]] = defaultdict(list)
    for (person, _, _), score in context.book.individual.items():
        own[person].append(score)
    subs = [sub.id for sub in context.dossier.award.sub_criteria]
    names = {person.id: person.name for person in context.dossier.committee.evaluators}
    stats: list[EvaluatorStats] = []
    findings: list[AuditFinding] = []
    minimum = float(settings.bias_steps * context.step)
    for person in context.evaluators:
        given = own.get(person, [])
        counted = Counter(score.score for score in given)
        by_bid: dict[str, dict[str, Decimal]] = defaultdict(dict)
        for score in given:
            by_bid[score.bid][score.sub_criterion] = score.score
        complete = [values for values in by_bid.values() if len(values) == len(subs)]
        straight = sum(1 for values in complete if len(set(values.values())) == 1)
        mean, low, high = _mean_interval(differences.get(person, []))
        entry = EvaluatorStats(
            person,
            names[person],
            len(given),
            tuple((value, counted.get(value, 0)) for value in context.scale),
            statistics.fmean(float(s.score) for s in given) if given else None,
            len(differences.get(person, [])),
            mean,
            low,
            high,
            len(complete),
            straight,
        )
        stats.append(entry)
        if mean is not None and low is not None and high is not None:
            excludes_zero = low > 0 or high < 0
            if excludes_zero and abs(mean) >= minimum and mean != 0:
                lenient = mean > 0
                findings.append(
                    AuditFinding(
                        "bias",
                        "bias.lenient" if lenient else "bias.severe",
                        "warning",
                        f"{person} scores {'higher' if lenient else 'lower'} than the others on "
                        f"the same items: {mean:+.2f} points on average (95 % CI "
                        f"{low:+.2f} to {high:+.2f}, {entry.compared} items)",
                        (Concern(evaluator=person),),
                        {
                            "evaluator": person,
                            "deviation": _decimal(mean),
                            "ci_low": _decimal(low),
                            "ci_high": _decimal(high),
                            "items": entry.compared,
                        },
                    )
                )
        share = entry.straight_share
        if (
            len(subs) >= 2
            and share is not None
            and straight
            and Decimal(straight) >= settings.straight_lining_share * len(complete)
        ):
            findings.append(
                AuditFinding(
                    "bias",
                    "bias.straight-lining",
                    "warning",
                    f"{person} gives one score on all {len(subs)} sub-criteria for "
                    f"{straight} of {len(complete)} bids ({share:.0%}; "
                    f"{settings.straight_lining_share:.0%} or more is flagged)",
                    tuple(
                        Concern(bid, evaluator=person)
                        for bid, values in by_bid.items()
                        if len(values) == len(subs) and len(set(values.values())) == 1
                    ),
                    {"evaluator": person, "bids": straight, "of": len(complete)},
                )
            )
    return tuple(stats), findings


def _mean_interval(values: Sequence[float]) -> tuple[float | None, float | None, float | None]:
    """The mean and its t-based 95 % confidence interval (no interval for one value)."""
    if not values:
        return None, None, None
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, None, None
    margin = t_quantile(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return mean, mean - margin, mean + margin


def t_quantile(degrees: int) -> float:
    """The two-sided 95 % quantile of Student's t.

    From the table for up to 30 degrees of freedom, and at 40, 60 and 120 (between
    them the lower row's, slightly wider, value); the normal quantile above 120.

    >>> t_quantile(5)
    2.571
    >>> t_quantile(45)
    2.021
    >>> round(t_quantile(500), 3)
    1.96
    """
    if degrees < 1:
        raise ValueError("a t quantile needs at least one degree of freedom")
    if degrees > max(_T_975):
        return _Z_975
    return _T_975[max(row for row in _T_975 if row <= degrees)]


# --- agreement ---------------------------------------------------------------------------------


def _agreement(context: _Context) -> tuple[Agreement, ...]:
    domain = [float(value) for value in context.scale]
    rows: dict[str, list[list[float | None]]] = defaultdict(list)
    for bid, sub in context.items:
        found = {
            score.by: float(score.score)
            for score in context.scores.get((bid, sub), ())
            if score.score in context.position
        }
        if not found:
            continue
        row = [found.get(person) for person in context.evaluators]
        rows[sub].append(row)
        rows[OVERALL].append(row)
    scopes = [*context.dossier.award.sub_criteria]
    result = []
    for scope, title in [(sub.id, sub.title) for sub in scopes] + [(OVERALL, "All items")]:
        table = rows.get(scope, [])
        levels: dict[AlphaLevel, float | None] = {
            level: alpha(table, level, domain) if table else None
            for level in ("interval", "ordinal")
        }
        result.append(
            Agreement(
                scope,
                title,
                len(table),
                icc(table) if table else icc([]),
                levels["interval"],
                levels["ordinal"],
            )
        )
    return tuple(result)


def _agreement_findings(rows: Sequence[Agreement]) -> Iterator[AuditFinding]:
    for row in rows:
        band = row.band
        if band not in ("unreliable", "tentative") or row.alpha_interval is None:
            continue
        what = "all items" if row.scope == OVERALL else f"sub-criterion {row.scope}"
        yield AuditFinding(
            "agreement",
            f"agreement.{band}",
            "warning" if band == "unreliable" else "info",
            f"agreement between the evaluators on {what} is {band}: Krippendorff's interval "
            f"alpha {row.alpha_interval:.3f} ({'below .667' if band == 'unreliable' else 'below .8'}) "
            f"over {_plural(row.items, 'item')}",
            (Concern(sub_criterion=None if row.scope == OVERALL else row.scope),),
            {"scope": row.scope, "alpha": _decimal(row.alpha_interval, 3), "items": row.items},
        )


# --- tone --------------------------------------------------------------------------------------


def own_words(motivation: str) -> str:
    """The motivation without the passages it quotes (between quotation marks)."""
    return _QUOTED.sub(" ", motivation)


def cues(motivation: str) -> tuple[int, int]:
    """How many negative and praise cues the motivation's own words hold.

    >>> cues("Zwak en oppervlakkig; “een sterk plan”, zegt het plan zelf.")
    (2, 0)
    >>> cues("Uitstekend en overtuigend, niet overtuigend over de start.")
    (1, 2)
    """
    return _cues(own_words(motivation).casefold())


def _cues(text: str) -> tuple[int, int]:
    """:func:`cues` of the motivation's own words, in lower case."""
    negative = len(_NEGATIVE.findall(text))
    praise = 0
    for match in _PRAISE.finditer(text):
        if _NEGATED.search(text, max(0, match.start() - 40), match.start()):
            negative += 1
        else:
            praise += 1
    return negative, praise


def comparisons(motivation: str) -> list[str]:
    """The comparative phrases in the motivation's own words, in lower case.

    >>> comparisons("Beter dan de andere inschrijvers, en “beter dan vorig jaar”.")
    ['beter dan de andere']
    """
    return _comparisons(own_words(motivation).casefold())


def _comparisons(text: str) -> list[str]:
    """:func:`comparisons` in the motivation's own words, in lower case."""
    if not any(word in text for word in _COMPARATIVE_WORDS):
        return []
    return [match.group(0) for match in _COMPARATIVE.finditer(text)]


class _Names:
    """Bid ids and bidder names, to find another bid named in a motivation."""

    def __init__(self, dossier: Dossier) -> None:
        self.ids = {bid.id.casefold(): bid.id for bid in dossier.submissions}
        self.by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
        names: dict[str, set[str]] = defaultdict(set)
        for bid in dossier.submissions:
            for name in _name_forms(bid.metadata.bidder.name):
                names[name].add(bid.id)
        frequency: Counter[str] = Counter()
        for name in names:
            frequency.update(set(_tokens(name)))
        for name, bids in names.items():
            words = _tokens(name)
            if not words:
                continue
            key = min(words, key=lambda word: (frequency[word], word))
            for bid_id in bids:
                self.by_key[key].append((name, bid_id))

    def others(self, text: str, own: str) -> list[str]:
        """Other bids this text names, by id or bidder name."""
        tokens = _tokens(text)
        words = set(tokens)
        found = [self.ids[word] for word in self.ids.keys() & words if self.ids[word] != own]
        padded = ""
        for word in self.by_key.keys() & words:
            for name, bid_id in self.by_key[word]:
                padded = padded or f" {' '.join(tokens)} "
                if bid_id != own and f" {name} " in padded:
                    found.append(bid_id)
        return sorted(set(found)) if found else []


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def _name_forms(name: str) -> list[str]:
    """A bidder's name as tokens, with and without its legal form (B.V., Stichting...)."""
    words = _tokens(name)
    bare = [word for word in words if word.replace(".", "") not in _LEGAL_FORMS]
    forms = {" ".join(words)}
    if len(bare) >= 2 or (bare and len(bare[0]) >= 6):
        forms.add(" ".join(bare))
    return sorted(forms)


def _tone(context: _Context) -> Iterator[AuditFinding]:
    scale = context.scale
    lowest, highest = scale[0], scale[-1]
    span = highest - lowest
    high_from = lowest + Decimal(HIGH_SHARE.numerator) / HIGH_SHARE.denominator * span
    low_to = lowest + Decimal(LOW_SHARE.numerator) / LOW_SHARE.denominator * span
    names = _Names(context.dossier)
    for score in context.all_scores():
        text = own_words(score.motivation)
        folded = text.casefold()
        negative, praise = _cues(folded)
        high, low = score.score >= high_from, score.score <= low_to
        if (high and negative >= MIN_CUES and negative > praise) or (
            low and praise >= MIN_CUES and praise > negative
        ):
            kind = "a high" if high else "a low"
            words = "negative" if high else "praising"
            yield AuditFinding(
                "tone",
                "tone.contradicts",
                "warning",
                f"{_where(score)}: {kind} score ({score.score}) by {context.who(score)} with "
                f"{words} wording "
                f"({negative} negative, {praise} praising cues)",
                (context.concern(score),),
                {"score": score.score, "negative": negative, "praise": praise},
                evidence=score.motivation.strip(),
            )
        phrases = _comparisons(folded)
        others = names.others(text, score.bid)
        if phrases or others:
            said = [f"“{phrase}”" for phrase in dict.fromkeys(phrases)]
            said += [f"names {bid}" for bid in others]
            yield AuditFinding(
                "tone",
                "tone.comparative",
                "warning",
                f"{_where(score)}: the motivation by {context.who(score)} compares the bid with "
                f"others "
                f"({', '.join(said)}); scores follow the guidance, not other bids",
                (context.concern(score),),
                {"phrases": "; ".join(phrases), "bids": ", ".join(others)},
                evidence=score.motivation.strip(),
            )


# --- fragility ---------------------------------------------------------------------------------


def _fragility(context: _Context, decisions: Sequence[Decision]) -> tuple[Fragility, ...]:
    dossier = context.dossier
    weights = {sub.id: Fraction(sub.weight) for sub in dossier.award.sub_criteria}
    total = sum(weights.values(), Fraction(0))
    rules = dossier.award.threshold
    method = dossier.award.final_score
    scale = [Fraction(value) for value in context.scale]
    step = Fraction(context.step)

    share = {sub: weight / total for sub, weight in weights.items()}

    def evaluate(
        finals: Mapping[str, Fraction], mean: Fraction | None = None
    ) -> tuple[Fraction, bool]:
        if mean is None:
            mean = sum((share[sub] * value for sub, value in finals.items()), Fraction(0))
        passed = all(check.passed for rule in rules for check in apply_rule(rule, finals, mean))
        return mean, passed

    def moved(value: Fraction, direction: int) -> Fraction | None:
        if method == "consensus" and value in scale:
            index = scale.index(value) + direction
            return scale[index] if 0 <= index < len(scale) else None
        target = value + direction * step
        return target if scale[0] <= target <= scale[-1] else None

    result = []
    for decision in decisions:
        if not decision.finals or decision.weighted_mean is None:
            continue
        finals = {final.sub_criterion: final.value for final in decision.finals}
        awarded = decision.awarded
        flips: list[Flip] = []
        variants = 0
        for sub, value in finals.items():
            for direction in (-1, 1):
                target = moved(value, direction)
                if target is None:
                    continue
                variants += 1
                shifted = decision.weighted_mean + share[sub] * (target - value)
                mean, passed = evaluate({**finals, sub: target}, shifted)
                if passed != awarded:
                    flips.append(Flip("step", sub, None, direction, mean, _outcome(passed)))
        if method in ("mean", "median"):
            people = sorted({s.by for final in decision.finals for s in final.individual})
            for person in people:
                without: dict[str, Fraction] = {}
                for final in decision.finals:
                    values = sorted(Fraction(s.score) for s in final.individual if s.by != person)
                    without[final.sub_criterion] = (
                        _combine(values, method) if values else final.value
                    )
                variants += 1
                mean, passed = evaluate(without)
                if passed != awarded:
                    flips.append(Flip("leave-out", None, person, 0, mean, _outcome(passed)))
        result.append(
            Fragility(
                decision.bid,
                decision.bidder,
                decision.outcome,
                decision.weighted_mean,
                decision.margin,
                tuple(flips),
                variants,
            )
        )
    return tuple(
        sorted(
            result,
            key=lambda item: (
                not item.fragile,
                abs(item.margin) if item.margin is not None else Fraction(10**9),
                item.bid,
            ),
        )
    )


def _combine(values: Sequence[Fraction], method: str) -> Fraction:
    if method == "mean":
        return sum(values, Fraction(0)) / len(values)
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def _outcome(passed: bool) -> Outcome:
    return "provisional-award" if passed else "below-threshold"


def _fragility_findings(rows: Sequence[Fragility]) -> Iterator[AuditFinding]:
    for row in rows:
        if not row.fragile:
            continue
        now = "awarded" if row.outcome == "provisional-award" else "below the threshold"
        margin = "" if row.margin is None else f"margin {_signed(row.margin)}; "
        changes = "; ".join(flip.describe() for flip in row.flips)
        concerns = [Concern(row.bid)]
        concerns += [
            Concern(row.bid, flip.sub_criterion, flip.evaluator)
            for flip in row.flips
            if flip.sub_criterion or flip.evaluator
        ]
        yield AuditFinding(
            "fragility",
            "fragility.fragile",
            "warning",
            f"{row.bid} ({now}; {margin}{_plural(len(row.flips), 'single change')} of "
            f"{row.variants} turn the outcome): {changes}",
            tuple(dict.fromkeys(concerns)),
            {
                "bid": row.bid,
                "margin": None if row.margin is None else exact(row.margin),
                "flips": len(row.flips),
                "variants": row.variants,
            },
        )


# --- small helpers -----------------------------------------------------------------------------


def _signed(value: Fraction) -> str:
    """A margin for people: rounded towards zero to two decimals, with its sign."""
    magnitude = shown(abs(value))
    return f"{'-' if value < 0 else '+'}{magnitude}"


def signed_margin(value: Fraction) -> str:
    """The margin to the threshold as shown in reports (``+0.20``, ``-0.40``, ``+0.00``)."""
    return _signed(value)


def _decimal(value: float, places: int = 2) -> Decimal:
    return Decimal(f"{value:.{places}f}")


def _listed(names: Sequence[str], most: int = 5) -> str:
    head = ", ".join(names[:most])
    return head if len(names) <= most else f"{head} and {len(names) - most} more"


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"
