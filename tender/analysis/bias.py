"""Each evaluator against the others: leniency or severity with a 95 % interval, and
straight-lining (one score on every sub-criterion of a bid).

An evaluator's deviation on an item is their score minus the mean of the others' on that
item; the mean deviation's interval uses Student's t.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal

from tender.analysis.context import AuditContext
from tender.analysis.report import (
    AuditFinding,
    Concern,
    EvaluatorStats,
    decimal_of,
)
from tender.record.book import Score

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


# --- bias --------------------------------------------------------------------------------------


def bias(context: AuditContext) -> tuple[tuple[EvaluatorStats, ...], list[AuditFinding]]:
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
            evaluator=person,
            name=names[person],
            scored=len(given),
            distribution=tuple((value, counted.get(value, 0)) for value in context.scale),
            mean=statistics.fmean(float(s.score) for s in given) if given else None,
            compared=len(differences.get(person, [])),
            deviation=mean,
            ci_low=low,
            ci_high=high,
            complete_bids=len(complete),
            straight_bids=straight,
        )
        stats.append(entry)
        if mean is not None and low is not None and high is not None:
            excludes_zero = low > 0 or high < 0
            if excludes_zero and abs(mean) >= minimum and mean != 0:
                lenient = mean > 0
                findings.append(
                    AuditFinding(
                        check="bias",
                        rule="bias.lenient" if lenient else "bias.severe",
                        severity="warning",
                        message=f"{person} scores {'higher' if lenient else 'lower'} than the others on "
                        f"the same items: {mean:+.2f} points on average (95 % CI "
                        f"{low:+.2f} to {high:+.2f}, {entry.compared} items)",
                        items=(Concern(evaluator=person),),
                        figures={
                            "evaluator": person,
                            "deviation": decimal_of(mean),
                            "ci_low": decimal_of(low),
                            "ci_high": decimal_of(high),
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
                    check="bias",
                    rule="bias.straight-lining",
                    severity="warning",
                    message=f"{person} gives one score on all {len(subs)} sub-criteria for "
                    f"{straight} of {len(complete)} bids ({share:.0%}; "
                    f"{settings.straight_lining_share:.0%} or more is flagged)",
                    items=tuple(
                        Concern(bid=bid, evaluator=person)
                        for bid, values in by_bid.items()
                        if len(values) == len(subs) and len(set(values.values())) == 1
                    ),
                    figures={"evaluator": person, "bids": straight, "of": len(complete)},
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
