"""How fragile each decision is: which single change turns its outcome.

Every final score is moved one step up and down (to the next scale point for consensus
scores); with the mean and median methods, every evaluator is also left out in turn. The
changed final scores go through the decision's own rules (:mod:`tender.award.decisions`),
so the audit and the decision can never disagree on what a threshold means.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

from tender.analysis.context import AuditContext
from tender.analysis.report import (
    AuditFinding,
    Concern,
    Flip,
    Fragility,
    plural,
    signed_margin,
)
from tender.award.decisions import Decision, Weights, combine, exact, passes
from tender.domain.events import Outcome

# --- fragility ---------------------------------------------------------------------------------


def fragility(context: AuditContext, decisions: Sequence[Decision]) -> tuple[Fragility, ...]:
    dossier = context.dossier
    weights = Weights.of(dossier)
    rules = dossier.award.threshold
    method = dossier.award.final_score
    scale = [Fraction(value) for value in context.scale]
    step = Fraction(context.step)

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
                mean = weights.moved(decision.weighted_mean, sub, value, target)
                passed = passes(rules, {**finals, sub: target}, mean)
                if passed != awarded:
                    flips.append(
                        Flip(
                            kind="step",
                            sub_criterion=sub,
                            evaluator=None,
                            direction=direction,
                            weighted_mean=mean,
                            outcome=_outcome(passed),
                        )
                    )
        if method != "consensus":
            people = sorted({s.by for final in decision.finals for s in final.individual})
            for person in people:
                without: dict[str, Fraction] = {}
                for final in decision.finals:
                    values = [Fraction(s.score) for s in final.individual if s.by != person]
                    without[final.sub_criterion] = (
                        combine(values, method) if values else final.value
                    )
                variants += 1
                mean = weights.mean(without)
                passed = passes(rules, without, mean)
                if passed != awarded:
                    flips.append(
                        Flip(
                            kind="leave-out",
                            sub_criterion=None,
                            evaluator=person,
                            direction=0,
                            weighted_mean=mean,
                            outcome=_outcome(passed),
                        )
                    )
        result.append(
            Fragility(
                bid=decision.bid,
                bidder=decision.bidder,
                outcome=decision.outcome,
                weighted_mean=decision.weighted_mean,
                margin=decision.margin,
                flips=tuple(flips),
                variants=variants,
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


def _outcome(passed: bool) -> Outcome:
    return "provisional-award" if passed else "below-threshold"


def fragility_findings(rows: Sequence[Fragility]) -> Iterator[AuditFinding]:
    for row in rows:
        if not row.fragile:
            continue
        now = "awarded" if row.outcome == "provisional-award" else "below the threshold"
        margin = "" if row.margin is None else f"margin {signed_margin(row.margin)}; "
        changes = "; ".join(flip.describe() for flip in row.flips)
        concerns = [Concern(bid=row.bid)]
        concerns += [
            Concern(bid=row.bid, sub_criterion=flip.sub_criterion, evaluator=flip.evaluator)
            for flip in row.flips
            if flip.sub_criterion or flip.evaluator
        ]
        yield AuditFinding(
            check="fragility",
            rule="fragility.fragile",
            severity="warning",
            message=f"{row.bid} ({now}; {margin}{plural(len(row.flips), 'single change')} of "
            f"{row.variants} turn the outcome): {changes}",
            items=tuple(dict.fromkeys(concerns)),
            figures={
                "bid": row.bid,
                "margin": None if row.margin is None else exact(row.margin),
                "flips": len(row.flips),
                "variants": row.variants,
            },
        )
