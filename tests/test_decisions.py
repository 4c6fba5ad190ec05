"""The decision rules a court may test: final scores, the threshold, outcomes and their reasons.

Every expected figure here is computed by hand and written down as a literal Fraction or
text, with the arithmetic in a comment; none is computed by the code under test. The
dossiers are small: three evaluators (evaluator-1 chairs), one to five bids, two sub-criteria
of weight 50 unless a test says otherwise, the scale 0-2-4-6-8-10 unless it says 1-10.
Scores are recorded through the Recorder and the record is replayed, as the commands do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Literal
from unittest import mock

import pytest

from tender.award.decisions import (
    Decision,
    RuleCheck,
    Weights,
    apply_rule,
    combine,
    decide,
    exact,
    final_score,
    passes,
    shown,
    weighted_mean,
)
from tender.bids.documents import BidDocuments
from tender.bids.suitability import BidAssessment, RequirementResult
from tender.bids.validity import Validity
from tender.domain.dossier import Dossier
from tender.domain.errors import RefusedError
from tender.domain.findings import Finding
from tender.domain.models import (
    EachSubCriterionRule,
    SubCriterionRule,
    ThresholdRule,
    WeightedMeanRule,
)
from tender.io.loader import load_dossier
from tender.record.book import ScoreBook
from tender.record.replay import read_book
from tests.conftest import MINIMAL_PDF, VALID_BID, DossierFactory
from tests.helpers import plain_replay
from tests.keys import acting_recorder, keyed, signers
from tests.scoring_fixtures import open_bids

CHAIR = "evaluator-1"
EVALUATORS = ("evaluator-1", "evaluator-2", "evaluator-3")
EVEN_SCALE = (0, 2, 4, 6, 8, 10)
ONE_TO_TEN = tuple(range(1, 11))
WEIGHTED_MEAN_8 = "{kind: weighted-mean, min: 8}"
C1, C2 = "criterion-1", "criterion-2"
IN_INDIVIDUAL_PHASE = (
    "the evaluation is in the individual phase; decisions are taken once the chair opens the "
    "consensus phase ('tender phase consensus')"
)

Key = tuple[str, str, str]
Item = tuple[str, str]
Method = Literal["consensus", "mean", "median"]


@pytest.fixture(autouse=True, scope="module")
def _no_fsync() -> Iterator[None]:
    """Set-up speed only: the ledger's fsync makes no difference to what is decided."""
    with mock.patch("os.fsync"):
        yield


# --- building the dossier and its record ----------------------------------------------------


def award_yaml(
    *,
    method: Method = "consensus",
    threshold: Sequence[str] = (WEIGHTED_MEAN_8,),
    weights: Sequence[str] = ("50", "50"),
    scale: Sequence[int] = EVEN_SCALE,
) -> str:
    points = "".join(
        f"  - {{value: {value}, label: Punt {value}, guidance: Richtlijn voor {value}.}}\n"
        for value in scale
    )
    subs = "".join(
        f"  - {{id: criterion-{number}, title: Deelcriterium {number}, "
        f"description: Wat telt., weight: {weight}}}\n"
        for number, weight in enumerate(weights, 1)
    )
    rules = "".join(f"  - {rule}\n" for rule in threshold)
    return (
        "quality_plan:\n  document: kwaliteitsplan\n"
        f"scale:\n{points}sub_criteria:\n{subs}final_score: {method}\nthreshold:\n{rules}"
    )


def committee_yaml(
    conflicts: Sequence[tuple[str, str]], evaluators: Sequence[str] = EVALUATORS
) -> str:
    people = "".join(
        f"  - {{id: {person}, name: Evaluator {number}, role: policy}}\n"
        for number, person in enumerate(evaluators, 1)
    )
    declared = "".join(
        f"  - {{evaluator: {person}, bid: {bid}, reason: Oud-collega., declared: 2026-11-12}}\n"
        for person, bid in conflicts
    )
    return keyed(
        f"chair: {CHAIR}\nevaluators:\n{people}conflicts:{'' if conflicts else ' []'}\n{declared}"
    )


def build(
    make_dossier: DossierFactory,
    *,
    bids: int = 1,
    conflicts: Sequence[tuple[str, str]] = (),
    evaluators: Sequence[str] = EVALUATORS,
    method: Method = "consensus",
    threshold: Sequence[str] = (WEIGHTED_MEAN_8,),
    weights: Sequence[str] = ("50", "50"),
    scale: Sequence[int] = EVEN_SCALE,
) -> Dossier:
    files: dict[str, str | bytes | None] = {
        "criteria/committee.yaml": committee_yaml(conflicts, evaluators),
        "criteria/award.yaml": award_yaml(
            method=method, threshold=threshold, weights=weights, scale=scale
        ),
        "criteria/suitability.yaml": "requirements: []\n",
    }
    for number in range(1, bids + 1):
        bid = f"bid-00{number}"
        files[f"submissions/{bid}/bid.yaml"] = VALID_BID.replace(
            "Thuiszorg Zonnebloem B.V.", f"Zorgaanbieder {number} B.V."
        )
        files[f"submissions/{bid}/kwaliteitsplan.pdf"] = MINIMAL_PDF
        files[f"submissions/{bid}/uea.pdf"] = MINIMAL_PDF
    root = make_dossier(files)
    open_bids(root)
    return load_dossier(root)


def motivation(person: str, bid: str, sub: str) -> str:
    return f"{person} over {bid}/{sub}: concreet plan."


def agreed(bid: str, sub: str) -> str:
    return f"Consensus over {bid}/{sub}: de commissie volgt het plan."


def record(
    dossier: Dossier,
    *,
    scores: Mapping[Key, int] | None = None,
    consensus: Mapping[Item, int] | None = None,
    phase: Literal["individual", "consensus", "locked"] = "locked",
) -> ScoreBook:
    """Record the scores (in the order given), move on to ``phase``; the replayed record."""
    recorder = acting_recorder(dossier)
    for (person, bid, sub), value in (scores or {}).items():
        recorder.record_score(
            person, bid, sub, score=Decimal(value), motivation=motivation(person, bid, sub)
        )
    if phase != "individual":
        recorder.change_phase(CHAIR, "consensus", force_reason="test: verder")
        for (bid, sub), value in (consensus or {}).items():
            recorder.record_consensus(
                CHAIR, bid, sub, score=Decimal(value), motivation=agreed(bid, sub)
            )
        if phase == "locked":
            recorder.change_phase(CHAIR, "locked", force_reason="test: vast")
    return read_book(dossier)


def each(bid: str, values: Sequence[int]) -> dict[Item, int]:
    """``values`` as the consensus (or final) scores of ``bid`` on criterion-1, -2, ..."""
    return {(bid, f"criterion-{number}"): value for number, value in enumerate(values, 1)}


def by_everyone(bid: str, sub: str, values: Sequence[int]) -> dict[Key, int]:
    """``values`` as the individual scores of evaluator-1, -2, -3 (in that order) on one item."""
    return {(person, bid, sub): value for person, value in zip(EVALUATORS, values, strict=False)}


MOMENT = datetime(2026, 11, 9, 10, 15, tzinfo=UTC)
LATE = Finding(rule="late", message="received after the deadline")
EXCLUSION_FAIL = Finding(rule="exclusion", message="an exclusion ground applies")
TURNOVER_FAIL = Finding(rule="field", message="turnover below EUR 100,000")
PENDING = Finding(rule="person", message="a committee member must verify the references")


def requirement(
    requirement_id: str,
    category: Literal["exclusion", "economic-financial", "technical-professional"],
    status: Literal["pass", "fail", "pending"],
    reasons: tuple[Finding, ...] = (),
) -> RequirementResult:
    return RequirementResult(
        requirement=requirement_id,
        category=category,
        title=requirement_id,
        status=status,
        reasons=reasons,
    )


def assessment(
    dossier: Dossier,
    bid: str,
    *,
    invalid: tuple[Finding, ...] = (),
    requirements: tuple[RequirementResult, ...] = (),
) -> BidAssessment:
    submission = dossier.submission(bid)
    assert submission is not None
    return BidAssessment(
        bid=bid,
        bidder=submission.metadata.bidder.name,
        documents=BidDocuments(bid=bid, documents=(), sections=()),
        validity=Validity(bid=bid, received=MOMENT, deadline=MOMENT, reasons=invalid),
        requirements=requirements,
    )


def suitable(dossier: Dossier) -> tuple[BidAssessment, ...]:
    return tuple(assessment(dossier, bid.id) for bid in dossier.submissions)


def decide_agreed(
    make_dossier: DossierFactory,
    finals: Sequence[int],
    *,
    threshold: Sequence[str] = (WEIGHTED_MEAN_8,),
    weights: Sequence[str] | None = None,
    scale: Sequence[int] = EVEN_SCALE,
) -> Decision:
    """The decision on bid-001 whose consensus scores are ``finals`` (criterion-1, -2, ...)."""
    dossier = build(
        make_dossier,
        threshold=threshold,
        weights=weights or tuple("50" for _ in finals),
        scale=scale,
    )
    book = record(dossier, consensus=each("bid-001", finals))
    (decision,) = decide(dossier, suitable(dossier), book)
    return decision


def reasons(decision: Decision) -> list[tuple[str, str, dict[str, object]]]:
    return [(reason.rule, reason.message, dict(reason.figures)) for reason in decision.reasons]


def figures(sub: str | None, value: str, minimum: str) -> dict[str, object]:
    return {"sub_criterion": sub, "value": value, "minimum": minimum}


# --- shown and exact: how figures are written -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(7999, 1000), "7.99"),  # to nearest it would be 8.00, as if the 8 was reached
        (Fraction(22, 3), "7.33"),  # 7.333...
        (Fraction(23, 3), "7.66"),  # 7.666..., to nearest 7.67
        (Fraction(2, 3), "0.66"),
        (Fraction(1, 300), "0.00"),
        (Fraction(8), "8.00"),  # always two places
        (Fraction(39, 5), "7.80"),
        (Fraction(0), "0.00"),
        (Fraction(-1, 3), "-0.34"),  # down is towards minus infinity: -0.333... -> -0.34
    ],
)
def test_a_shown_figure_is_rounded_down_to_two_places(value: Fraction, text: str) -> None:
    assert str(shown(value)) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(1, 300), "0.01"),  # 0.00333... up
        (Fraction(1, 10**9), "0.01"),  # any shortfall at all shows as at least 0.01
        (Fraction(2, 3), "0.67"),
        (Fraction(1, 5), "0.20"),  # already two places: unchanged
        (Fraction(1, 100), "0.01"),
        (Fraction(1001, 1000), "1.01"),
        (Fraction(2), "2.00"),
    ],
)
def test_a_shortfall_is_rounded_up(value: Fraction, text: str) -> None:
    assert str(shown(value, rounding="up")) == text


def test_shown_takes_the_number_of_places() -> None:
    assert str(shown(Fraction(22, 3), places=0)) == "7"
    assert str(shown(Fraction(22, 3), places=4)) == "7.3333"
    assert str(shown(Fraction(22, 3), places=1, rounding="up")) == "7.4"
    assert str(shown(Fraction(7999, 1000), places=3)) == "7.999"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(39, 5), "7.8"),
        (Fraction(22, 3), "22/3"),
        (Fraction(23, 3), "23/3"),
        (Fraction(-22, 3), "-22/3"),
        (Fraction(1, 6), "1/6"),  # 6 = 2 * 3: not a terminating decimal
        (Fraction(8), "8"),
        (Fraction(10), "10"),
        (Fraction(0), "0"),
        (Fraction(15, 2), "7.5"),
        (Fraction(1, 8), "0.125"),
        (Fraction(7, 20), "0.35"),
        (Fraction(-3, 4), "-0.75"),
        (Fraction(7999, 1000), "7.999"),
        (Fraction(1, 1024), "0.0009765625"),
        (Fraction(38333, 5000), "7.6666"),
    ],
)
def test_exact_gives_a_terminating_decimal_or_a_fraction(value: Fraction, text: str) -> None:
    assert exact(value) == text


# --- combine, Weights, weighted_mean, passes --------------------------------------------------


@pytest.mark.parametrize(
    ("values", "method", "expected"),
    [
        ((6, 8, 8), "mean", Fraction(22, 3)),  # 22 / 3
        ((6, 8), "mean", Fraction(7)),  # 14 / 2
        ((7, 8), "mean", Fraction(15, 2)),
        ((6,), "mean", Fraction(6)),
        ((2, 8, 10), "mean", Fraction(20, 3)),
        (
            (10, 2, 8),
            "median",
            Fraction(8),
        ),  # sorted 2, 8, 10: the middle one, not the 2 given second
        ((8, 4, 6, 10), "median", Fraction(7)),  # sorted 4, 6, 8, 10: (6 + 8) / 2
        ((2, 10), "median", Fraction(6)),  # (2 + 10) / 2
        ((7, 8), "median", Fraction(15, 2)),  # (7 + 8) / 2, not rounded
        ((10, 8, 2, 6), "median", Fraction(7)),  # sorted 2, 6, 8, 10: (6 + 8) / 2
        ((6,), "median", Fraction(6)),
        ((4, 4, 10), "median", Fraction(4)),  # the mean would be 6
    ],
)
def test_combine_gives_the_exact_mean_or_median(
    values: tuple[int, ...], method: Literal["mean", "median"], expected: Fraction
) -> None:
    assert combine([Fraction(value) for value in values], method) == expected


@pytest.mark.parametrize("method", ["mean", "median"])
def test_combine_refuses_no_scores(method: Literal["mean", "median"]) -> None:
    with pytest.raises(ValueError, match=r"^a final score needs at least one individual score$"):
        combine([], method)


def test_weights_that_do_not_divide_evenly_stay_exact(make_dossier: DossierFactory) -> None:
    dossier = build(make_dossier, weights=("33", "33", "34"), scale=ONE_TO_TEN)
    weights = Weights.of(dossier)

    # 33/100, 33/100 and 34/100 = 17/50; in binary floating point 0.33 and 0.34 are not exact.
    assert dict(weights.shares) == {
        "criterion-1": Fraction(33, 100),
        "criterion-2": Fraction(33, 100),
        "criterion-3": Fraction(17, 50),
    }
    finals = {"criterion-1": Fraction(8), "criterion-2": Fraction(8), "criterion-3": Fraction(7)}
    # (33 * 8 + 33 * 8 + 34 * 7) / 100 = (264 + 264 + 238) / 100 = 766/100 = 383/50 = 7.66
    assert weighted_mean(dossier, finals) == Fraction(383, 50)
    assert weights.mean(finals) == Fraction(383, 50)
    # 7.66 + 34/100 * (8 - 7) = 7.66 + 0.34 = 8
    assert weights.moved(Fraction(383, 50), "criterion-3", Fraction(7), Fraction(8)) == 8
    # 7.66 + 33/100 * (6 - 8) = 7.66 - 0.66 = 7
    assert weights.moved(Fraction(383, 50), "criterion-1", Fraction(8), Fraction(6)) == 7


def test_decimal_weights_are_shares_of_their_sum(make_dossier: DossierFactory) -> None:
    dossier = build(make_dossier, weights=("33.33", "33.33", "33.34"), scale=ONE_TO_TEN)

    # 33.33/100 = 3333/10000; 33.34/100 = 3334/10000 = 1667/5000
    assert dict(Weights.of(dossier).shares) == {
        "criterion-1": Fraction(3333, 10000),
        "criterion-2": Fraction(3333, 10000),
        "criterion-3": Fraction(1667, 5000),
    }
    finals = {"criterion-1": Fraction(8), "criterion-2": Fraction(8), "criterion-3": Fraction(7)}
    # (33.33 * 8 + 33.33 * 8 + 33.34 * 7) / 100 = (266.64 + 266.64 + 233.38) / 100 = 7.6666
    assert weighted_mean(dossier, finals) == Fraction(38333, 5000)


def rule(kind: str, minimum: str, sub: str | None = None) -> ThresholdRule:
    if kind == "weighted-mean":
        return WeightedMeanRule(kind="weighted-mean", min=Decimal(minimum))
    if kind == "each-sub-criterion":
        return EachSubCriterionRule(kind="each-sub-criterion", min=Decimal(minimum))
    assert sub is not None
    return SubCriterionRule(kind="sub-criterion", sub_criterion=sub, min=Decimal(minimum))


def test_apply_rule_makes_one_check_per_figure_it_compares() -> None:
    finals = {C1: Fraction(6), C2: Fraction(10)}
    mean = Fraction(8)

    assert apply_rule(rule("weighted-mean", "8"), finals, mean) == (
        RuleCheck(
            kind="weighted-mean", sub_criterion=None, value=mean, minimum=Fraction(8), passed=True
        ),
    )
    assert apply_rule(rule("each-sub-criterion", "6.5"), finals, mean) == (
        RuleCheck(
            kind="each-sub-criterion",
            sub_criterion=C1,
            value=Fraction(6),
            minimum=Fraction(13, 2),
            passed=False,
        ),
        RuleCheck(
            kind="each-sub-criterion",
            sub_criterion=C2,
            value=Fraction(10),
            minimum=Fraction(13, 2),
            passed=True,
        ),
    )
    (knock_out,) = apply_rule(rule("sub-criterion", "6", C1), finals, mean)
    assert knock_out == RuleCheck(
        kind="sub-criterion", sub_criterion=C1, value=Fraction(6), minimum=Fraction(6), passed=True
    )
    assert knock_out.margin == 0
    (below,) = apply_rule(rule("weighted-mean", "8"), finals, Fraction(7999, 1000))
    assert not below.passed
    assert below.margin == Fraction(-1, 1000)  # 7.999 - 8


@pytest.mark.parametrize(
    ("rules", "finals", "mean", "expected"),
    [
        ((("weighted-mean", "8"),), (8, 8), Fraction(8), True),  # exactly at the minimum
        ((("weighted-mean", "8"),), (8, 8), Fraction(7999, 1000), False),  # the mean decides
        ((("weighted-mean", "8"),), (6, 6), Fraction(8), True),  # ... not the finals
        ((("each-sub-criterion", "6"),), (6, 10), Fraction(8), True),
        ((("each-sub-criterion", "6"),), (10, 4), Fraction(7), False),
        ((("weighted-mean", "7"), ("each-sub-criterion", "6")), (10, 4), Fraction(7), False),
        ((("weighted-mean", "7"), ("each-sub-criterion", "4")), (10, 4), Fraction(7), True),
        ((("sub-criterion", "8", C2),), (10, 6), Fraction(8), False),
        ((("sub-criterion", "8", C1),), (10, 6), Fraction(8), True),
    ],
)
def test_passes_only_when_every_rule_holds(
    rules: tuple[tuple[str, ...], ...], finals: tuple[int, int], mean: Fraction, expected: bool
) -> None:
    values = {C1: Fraction(finals[0]), C2: Fraction(finals[1])}
    assert passes([rule(*args) for args in rules], values, mean) is expected


# --- the threshold rules, decided from recorded consensus scores ------------------------------


@pytest.mark.parametrize(
    ("finals", "minimum", "mean", "expected"),
    [
        ((8, 8), "8", Fraction(8), None),
        ((6, 10), "8", Fraction(8), None),  # (6 + 10) / 2 = 8: at the minimum passes
        ((10, 10), "10", Fraction(10), None),
        (
            (8, 6),  # one scale step below on one sub-criterion: (8 + 6) / 2 = 7
            "8",
            Fraction(7),
            ("the weighted mean 7.00 is below the minimum 8.00 (short by 1.00)", "7", "8"),
        ),
        (
            (8, 6),
            "7.5",
            Fraction(7),
            ("the weighted mean 7.00 is below the minimum 7.50 (short by 0.50)", "7", "7.5"),
        ),
        ((8, 6), "7", Fraction(7), None),
    ],
)
def test_the_weighted_mean_rule_at_and_around_its_minimum(
    make_dossier: DossierFactory,
    finals: tuple[int, int],
    minimum: str,
    mean: Fraction,
    expected: tuple[str, str, str] | None,
) -> None:
    decision = decide_agreed(
        make_dossier, finals, threshold=(f"{{kind: weighted-mean, min: {minimum}}}",)
    )

    assert decision.weighted_mean == mean
    assert [final.value for final in decision.finals] == [Fraction(value) for value in finals]
    if expected is None:
        assert (decision.outcome, decision.awarded, decision.reasons) == (
            "provisional-award",
            True,
            (),
        )
        assert decision.margin == mean - Fraction(Decimal(minimum))
    else:
        message, value, shown_minimum = expected
        assert (decision.outcome, decision.awarded) == ("below-threshold", False)
        assert reasons(decision) == [
            ("threshold.weighted-mean", message, figures(None, value, shown_minimum))
        ]


def test_a_weighted_mean_of_7_999_is_below_8(make_dossier: DossierFactory) -> None:
    # Shares 0.05/100 = 1/2000 and 99.95/100 = 1999/2000:
    # 6/2000 + 8 * 1999/2000 = (6 + 15992) / 2000 = 15998/2000 = 7.999. Short by 0.001, shown up.
    decision = decide_agreed(make_dossier, (6, 8), weights=("0.05", "99.95"))

    assert decision.weighted_mean == Fraction(7999, 1000)
    assert decision.outcome == "below-threshold"
    assert decision.margin == Fraction(-1, 1000)
    assert reasons(decision) == [
        (
            "threshold.weighted-mean",
            "the weighted mean 7.99 is below the minimum 8.00 (short by 0.01)",
            figures(None, "7.999", "8"),
        )
    ]


def test_five_equal_weights_reach_8_exactly_where_binary_floats_fall_short(
    make_dossier: DossierFactory,
) -> None:
    # (8 + 10 + 10 + 8 + 4) / 5 = 40 / 5 = 8 exactly; the same sum of 0.2 * score in binary
    # floating point is 7.999999999999999, which would wrongly fail the threshold.
    decision = decide_agreed(make_dossier, (8, 10, 10, 8, 4), weights=("20",) * 5)

    assert decision.weighted_mean == Fraction(8)
    assert decision.outcome == "provisional-award"
    assert decision.reasons == ()
    assert decision.margin == Fraction(0)


@pytest.mark.parametrize(
    ("minimum", "expected"),
    [
        # 23/3 = 7.666...; 7.67 = 767/100. 23/3 < 767/100 because 23 * 100 = 2300 < 767 * 3 = 2301:
        # below, although 23/3 rounded to nearest (7.67) would look as if it reached the minimum.
        # Short by 767/100 - 23/3 = (2301 - 2300) / 300 = 1/300, shown rounded up as 0.01.
        ("7.67", "the weighted mean 7.66 is below the minimum 7.67 (short by 0.01)"),
        # 23/3 >= 766/100 because 2300 >= 766 * 3 = 2298.
        ("7.66", None),
    ],
)
def test_nothing_is_rounded_before_the_comparison(
    make_dossier: DossierFactory, minimum: str, expected: str | None
) -> None:
    dossier = build(
        make_dossier,
        method="mean",
        scale=ONE_TO_TEN,
        threshold=(f"{{kind: weighted-mean, min: {minimum}}}",),
    )
    scores = {**by_everyone("bid-001", C1, (7, 8, 8)), **by_everyone("bid-001", C2, (8, 7, 8))}
    (decision,) = decide(dossier, suitable(dossier), record(dossier, scores=scores))

    # Each final score is (7 + 8 + 8) / 3 = 23/3; with equal weights so is the weighted mean.
    assert [final.value for final in decision.finals] == [Fraction(23, 3), Fraction(23, 3)]
    assert decision.weighted_mean == Fraction(23, 3)
    if expected is None:
        assert decision.outcome == "provisional-award"
    else:
        assert decision.outcome == "below-threshold"
        assert reasons(decision) == [
            ("threshold.weighted-mean", expected, figures(None, "23/3", minimum))
        ]


EACH_8 = "{kind: each-sub-criterion, min: 8}"


@pytest.mark.parametrize(
    ("finals", "expected"),
    [
        ((10, 8), []),  # 8 is at the minimum
        ((8, 8), []),
        (
            (10, 6),
            [
                (
                    "threshold.each-sub-criterion",
                    "the final score on criterion-2 6.00 is below the minimum 8.00 (short by 2.00)",
                    figures(C2, "6", "8"),
                )
            ],
        ),
        (
            (6, 4),  # one reason per sub-criterion below, in the dossier's order
            [
                (
                    "threshold.each-sub-criterion",
                    "the final score on criterion-1 6.00 is below the minimum 8.00 (short by 2.00)",
                    figures(C1, "6", "8"),
                ),
                (
                    "threshold.each-sub-criterion",
                    "the final score on criterion-2 4.00 is below the minimum 8.00 (short by 4.00)",
                    figures(C2, "4", "8"),
                ),
            ],
        ),
    ],
)
def test_each_sub_criterion_must_reach_the_minimum(
    make_dossier: DossierFactory,
    finals: tuple[int, int],
    expected: list[tuple[str, str, dict[str, object]]],
) -> None:
    decision = decide_agreed(make_dossier, finals, threshold=(EACH_8,))

    assert decision.outcome == ("below-threshold" if expected else "provisional-award")
    assert reasons(decision) == expected
    assert [(check.sub_criterion, check.passed) for check in decision.checks] == [
        (C1, finals[0] >= 8),
        (C2, finals[1] >= 8),
    ]


def test_each_sub_criterion_minimum_between_scale_points(make_dossier: DossierFactory) -> None:
    # With mean final scores a minimum of 6.5 (13/2) makes sense. criterion-1 is 8 for both bids.
    dossier = build(
        make_dossier,
        bids=2,
        method="mean",
        threshold=("{kind: each-sub-criterion, min: 6.5}",),
    )
    scores = {
        **by_everyone("bid-001", C1, (8, 8, 8)),
        **by_everyone("bid-001", C2, (6, 6, 8)),  # 20/3 = 40/6 >= 39/6 = 13/2
        **by_everyone("bid-002", C1, (8, 8, 8)),
        **by_everyone("bid-002", C2, (4, 6, 6)),  # 16/3 = 5.333...
    }

    first, second = decide(dossier, suitable(dossier), record(dossier, scores=scores))

    assert (first.outcome, first.reasons) == ("provisional-award", ())
    assert first.margin == Fraction(1, 6)  # 20/3 - 13/2 = 40/6 - 39/6
    # Shown down: 5.33. Short by 13/2 - 16/3 = 39/6 - 32/6 = 7/6 = 1.1666..., shown up: 1.17.
    assert reasons(second) == [
        (
            "threshold.each-sub-criterion",
            "the final score on criterion-2 5.33 is below the minimum 6.50 (short by 1.17)",
            figures(C2, "16/3", "6.5"),
        )
    ]


KNOCK_OUT_C1_6 = "{kind: sub-criterion, sub_criterion: criterion-1, min: 6}"
WEIGHTED_MEAN_7 = (
    "threshold.weighted-mean",
    "the weighted mean 7.00 is below the minimum 8.00 (short by 1.00)",
    figures(None, "7", "8"),
)


@pytest.mark.parametrize(
    ("finals", "expected"),
    [
        ((6, 10), []),  # mean (6 + 10) / 2 = 8; criterion-1 at its knock-out minimum 6
        (
            (4, 10),  # mean 7, and criterion-1 below its knock-out minimum: two reasons
            [
                WEIGHTED_MEAN_7,
                (
                    "threshold.sub-criterion",
                    "the final score on criterion-1 4.00 is below the minimum 6.00 (short by 2.00)",
                    figures(C1, "4", "6"),
                ),
            ],
        ),
        ((10, 4), [WEIGHTED_MEAN_7]),  # the knock-out is on criterion-1 only
    ],
)
def test_a_knock_out_minimum_on_one_sub_criterion(
    make_dossier: DossierFactory,
    finals: tuple[int, int],
    expected: list[tuple[str, str, dict[str, object]]],
) -> None:
    decision = decide_agreed(make_dossier, finals, threshold=(WEIGHTED_MEAN_8, KNOCK_OUT_C1_6))

    assert decision.outcome == ("below-threshold" if expected else "provisional-award")
    assert reasons(decision) == expected
    assert [(check.kind, check.sub_criterion) for check in decision.checks] == [
        ("weighted-mean", None),
        ("sub-criterion", C1),
    ]


def test_a_knock_out_fails_a_bid_whose_weighted_mean_passes(make_dossier: DossierFactory) -> None:
    decision = decide_agreed(
        make_dossier,
        (10, 6),  # mean 8 passes; criterion-2 is 6, below its knock-out minimum 8
        threshold=(WEIGHTED_MEAN_8, "{kind: sub-criterion, sub_criterion: criterion-2, min: 8}"),
    )

    assert decision.weighted_mean == Fraction(8)
    assert decision.outcome == "below-threshold"
    assert reasons(decision) == [
        (
            "threshold.sub-criterion",
            "the final score on criterion-2 6.00 is below the minimum 8.00 (short by 2.00)",
            figures(C2, "6", "8"),
        )
    ]
    assert decision.margin == -2  # the tightest rule: 6 - 8


BOTH = (WEIGHTED_MEAN_8, "{kind: each-sub-criterion, min: 6}")


@pytest.mark.parametrize(
    ("finals", "expected", "margin"),
    [
        ((10, 6), [], 0),  # mean 8 at its minimum; 6 at the per-sub-criterion minimum
        ((8, 8), [], 0),
        ((6, 8), [WEIGHTED_MEAN_7], -1),  # mean 7; 6 and 8 reach 6
        (
            (10, 4),  # mean 7; criterion-2 below 6
            [
                WEIGHTED_MEAN_7,
                (
                    "threshold.each-sub-criterion",
                    "the final score on criterion-2 4.00 is below the minimum 6.00 (short by 2.00)",
                    figures(C2, "4", "6"),
                ),
            ],
            -2,  # the margins: mean 7 - 8 = -1, criterion-1 10 - 6 = 4, criterion-2 4 - 6 = -2
        ),
    ],
)
def test_both_a_weighted_mean_and_each_sub_criterion(
    make_dossier: DossierFactory,
    finals: tuple[int, int],
    expected: list[tuple[str, str, dict[str, object]]],
    margin: int,
) -> None:
    decision = decide_agreed(make_dossier, finals, threshold=BOTH)

    assert decision.outcome == ("below-threshold" if expected else "provisional-award")
    assert reasons(decision) == expected
    assert len(decision.checks) == 3
    assert decision.margin == margin


# --- final scores: consensus, mean, median ----------------------------------------------------


def test_the_consensus_score_is_the_final_score_and_the_individual_ones_stay_on_record(
    make_dossier: DossierFactory,
) -> None:
    dossier = build(make_dossier)
    scores = {**by_everyone("bid-001", C1, (6, 6, 6)), **by_everyone("bid-001", C2, (4, 6, 6))}
    book = record(dossier, scores=scores, consensus=each("bid-001", (8, 8)))

    final = final_score(dossier, book, "bid-001", C1)
    (decision,) = decide(dossier, suitable(dossier), book)

    assert final is not None
    assert (final.sub_criterion, final.value, final.method) == (C1, Fraction(8), "consensus")
    assert final.motivation == agreed("bid-001", C1)
    assert final.consensus is not None
    assert (final.consensus.by, final.consensus.score) == (CHAIR, Decimal(8))
    assert [(score.by, score.score) for score in final.individual] == [
        ("evaluator-1", Decimal(6)),
        ("evaluator-2", Decimal(6)),
        ("evaluator-3", Decimal(6)),
    ]
    assert decision.outcome == "provisional-award"  # the consensus 8s, not the individual 6s
    assert decision.final(C2) is not None
    assert decision.final("criterion-9") is None


# bid-002 is not scored by evaluator-3 (a declared conflict of interest).
METHOD_SCORES: dict[Key, int] = {
    **by_everyone("bid-001", C1, (6, 8, 8)),
    **by_everyone("bid-001", C2, (10, 2, 8)),
    **by_everyone("bid-002", C1, (6, 8)),
    **by_everyone("bid-002", C2, (10, 8)),
    **by_everyone("bid-003", C1, (8, 8, 8)),
    **by_everyone("bid-003", C2, (8, 10, 10)),
}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (
            "mean",
            {
                # criterion-1: (6 + 8 + 8) / 3 = 22/3; criterion-2: (10 + 2 + 8) / 3 = 20/3;
                # weighted mean (22/3 + 20/3) / 2 = 7: below 8.
                "bid-001": (Fraction(22, 3), Fraction(20, 3), Fraction(7), "below-threshold"),
                # (6 + 8) / 2 = 7, (10 + 8) / 2 = 9; (7 + 9) / 2 = 8.
                "bid-002": (Fraction(7), Fraction(9), Fraction(8), "provisional-award"),
                # 8; (8 + 10 + 10) / 3 = 28/3; (8 + 28/3) / 2 = (24/3 + 28/3) / 2 = 26/3.
                "bid-003": (Fraction(8), Fraction(28, 3), Fraction(26, 3), "provisional-award"),
            },
        ),
        (
            "median",
            {
                # 6, 8, 8 -> 8; 10, 2, 8 sorted 2, 8, 10 -> 8; (8 + 8) / 2 = 8.
                "bid-001": (Fraction(8), Fraction(8), Fraction(8), "provisional-award"),
                # two evaluators: the mean of the middle two: (6 + 8) / 2 = 7, (10 + 8) / 2 = 9.
                "bid-002": (Fraction(7), Fraction(9), Fraction(8), "provisional-award"),
                # 8; 8, 10, 10 -> 10; (8 + 10) / 2 = 9.
                "bid-003": (Fraction(8), Fraction(10), Fraction(9), "provisional-award"),
            },
        ),
    ],
)
def test_the_mean_and_the_median_of_the_individual_scores(
    make_dossier: DossierFactory,
    method: Method,
    expected: dict[str, tuple[Fraction, Fraction, Fraction, str]],
) -> None:
    dossier = build(make_dossier, bids=3, conflicts=[("evaluator-3", "bid-002")], method=method)
    book = record(dossier, scores=METHOD_SCORES)

    decisions = decide(dossier, suitable(dossier), book)

    found = {
        decision.bid: (
            *(final.value for final in decision.finals),
            decision.weighted_mean,
            decision.outcome,
        )
        for decision in decisions
    }
    assert found == expected
    final = final_score(dossier, book, "bid-002", C1)
    assert final is not None
    assert (final.method, final.motivation, final.consensus) == (method, None, None)
    assert [(score.by, score.score) for score in final.individual] == [
        ("evaluator-1", Decimal(6)),
        ("evaluator-2", Decimal(8)),
    ]


def test_a_median_of_four_evaluators_is_the_mean_of_the_middle_two(
    make_dossier: DossierFactory,
) -> None:
    people = (*EVALUATORS, "evaluator-4")
    dossier = build(make_dossier, method="median", evaluators=people)
    scores = {
        **{
            (person, "bid-001", C1): value
            for person, value in zip(people, (10, 2, 8, 6), strict=True)
        },
        **{(person, "bid-001", C2): 8 for person in people},
    }
    book = record(dossier, scores=scores)

    final = final_score(dossier, book, "bid-001", C1)
    (decision,) = decide(dossier, suitable(dossier), book)

    # 10, 2, 8, 6 sorted 2, 6, 8, 10: (6 + 8) / 2 = 7 (the mean would be 26/4 = 13/2).
    assert final is not None
    assert final.value == Fraction(7)
    # (7 + 8) / 2 = 15/2: below 8, short by 0.5.
    assert decision.weighted_mean == Fraction(15, 2)
    assert reasons(decision) == [
        (
            "threshold.weighted-mean",
            "the weighted mean 7.50 is below the minimum 8.00 (short by 0.50)",
            figures(None, "7.5", "8"),
        )
    ]


@pytest.mark.parametrize("method", ["mean", "median"])
def test_an_item_an_evaluator_has_not_scored_has_no_final_score(
    make_dossier: DossierFactory, method: Method
) -> None:
    dossier = build(make_dossier, bids=3, conflicts=[("evaluator-3", "bid-002")], method=method)
    scores = dict(METHOD_SCORES)
    del scores[("evaluator-2", "bid-001", C1)]  # evaluator-1 and -3 did score it
    book = record(dossier, scores=scores)

    with pytest.raises(RefusedError) as refused:
        decide(dossier, suitable(dossier), book)

    assert final_score(dossier, book, "bid-001", C1) is None
    assert final_score(dossier, book, "bid-001", C2) is not None
    # evaluator-3's absence on bid-002 is their declared conflict, not a missing score.
    assert final_score(dossier, book, "bid-002", C1) is not None
    assert str(refused.value) == (
        "cannot decide yet: 1 final scores (individual scores) are missing (bid-001 criterion-1)"
    )


def test_an_item_no_evaluator_may_score_has_no_final_score(make_dossier: DossierFactory) -> None:
    conflicts = [(person, "bid-002") for person in EVALUATORS]
    dossier = build(make_dossier, bids=2, conflicts=conflicts, method="mean")
    scores = {**by_everyone("bid-001", C1, (8, 8, 8)), **by_everyone("bid-001", C2, (8, 8, 8))}
    book = record(dossier, scores=scores)

    with pytest.raises(RefusedError) as refused:
        decide(dossier, suitable(dossier), book)

    assert final_score(dossier, book, "bid-002", C1) is None  # no scores to take a mean of
    assert str(refused.value) == (
        "cannot decide yet: 2 final scores (individual scores) are missing "
        "(bid-002 criterion-1, bid-002 criterion-2)"
    )


def test_a_missing_consensus_score_refuses_the_decision(make_dossier: DossierFactory) -> None:
    dossier = build(make_dossier)
    scores = {**by_everyone("bid-001", C1, (8, 8, 8)), **by_everyone("bid-001", C2, (8, 8, 8))}
    book = record(dossier, scores=scores, consensus={("bid-001", C1): 8})

    with pytest.raises(RefusedError) as refused:
        decide(dossier, suitable(dossier), book)

    # The individual scores are all there; with final_score: consensus they are not enough.
    assert final_score(dossier, book, "bid-001", C2) is None
    assert str(refused.value) == (
        "cannot decide yet: 1 consensus scores are missing (bid-001 criterion-2)"
    )


def test_a_missing_score_under_a_knock_out_refuses_rather_than_deciding_on_the_rest(
    make_dossier: DossierFactory,
) -> None:
    """No rule is applied to a bid whose final scores are incomplete: not the knock-out on the
    sub-criterion that has none, and not a weighted mean of the others."""
    knock_out = "{kind: sub-criterion, sub_criterion: criterion-2, min: 6}"
    dossier = build(make_dossier, threshold=(WEIGHTED_MEAN_8, knock_out))
    book = record(dossier, consensus={("bid-001", C1): 10})

    with pytest.raises(RefusedError) as refused:
        decide(dossier, suitable(dossier), book)

    assert str(refused.value) == (
        "cannot decide yet: 1 consensus scores are missing (bid-001 criterion-2)"
    )


@pytest.mark.parametrize(
    ("agreed_items", "listed"),
    [
        (
            {},  # six missing: five are named
            "6 consensus scores are missing (bid-001 criterion-1, bid-001 criterion-2, "
            "bid-002 criterion-1, bid-002 criterion-2, bid-003 criterion-1 and 1 more)",
        ),
        (
            {("bid-001", C1): 8},  # five missing: all are named
            "5 consensus scores are missing (bid-001 criterion-2, bid-002 criterion-1, "
            "bid-002 criterion-2, bid-003 criterion-1, bid-003 criterion-2)",
        ),
    ],
)
def test_what_is_missing_is_listed_up_to_five(
    make_dossier: DossierFactory, agreed_items: dict[Item, int], listed: str
) -> None:
    dossier = build(make_dossier, bids=3)
    book = record(dossier, consensus=agreed_items)

    with pytest.raises(RefusedError) as refused:
        decide(dossier, suitable(dossier), book)

    assert str(refused.value) == f"cannot decide yet: {listed}"


# --- outcomes and their reasons ---------------------------------------------------------------


def test_outcomes_come_in_the_dossiers_order_with_their_reasons(
    make_dossier: DossierFactory,
) -> None:
    dossier = build(make_dossier, bids=5)
    # Only bid-004 and bid-005 are scored: the others need no consensus score.
    book = record(dossier, consensus={**each("bid-004", (8, 6)), **each("bid-005", (8, 8))})
    turnover = requirement("omzet", "economic-financial", "fail", (TURNOVER_FAIL,))
    exclusion = requirement("uitsluiting", "exclusion", "fail", (EXCLUSION_FAIL,))
    assessed = (
        assessment(dossier, "bid-001", invalid=(LATE,), requirements=(turnover,)),
        assessment(dossier, "bid-002", requirements=(turnover, exclusion)),
        assessment(dossier, "bid-003", requirements=(turnover,)),
        assessment(dossier, "bid-004"),
        assessment(dossier, "bid-005"),
    )

    decisions = decide(dossier, assessed, book)

    assert [(d.bid, d.bidder, d.outcome) for d in decisions] == [
        ("bid-001", "Zorgaanbieder 1 B.V.", "invalid"),
        ("bid-002", "Zorgaanbieder 2 B.V.", "excluded"),
        ("bid-003", "Zorgaanbieder 3 B.V.", "unsuitable"),
        ("bid-004", "Zorgaanbieder 4 B.V.", "below-threshold"),
        ("bid-005", "Zorgaanbieder 5 B.V.", "provisional-award"),
    ]
    # invalid before anything else; excluded names the exclusion ground only
    assert [d.reasons for d in decisions[:3]] == [(LATE,), (EXCLUSION_FAIL,), (TURNOVER_FAIL,)]
    for not_scored in decisions[:3]:
        assert (not_scored.finals, not_scored.weighted_mean, not_scored.checks) == ((), None, ())
        assert not_scored.margin is None
        assert not not_scored.awarded
    assert reasons(decisions[3]) == [WEIGHTED_MEAN_7]  # (8 + 6) / 2 = 7
    assert (decisions[3].weighted_mean, decisions[3].margin) == (Fraction(7), Fraction(-1))
    assert (decisions[4].weighted_mean, decisions[4].margin) == (Fraction(8), Fraction(0))
    assert decisions[4].reasons == ()
    assert [d.awarded for d in decisions] == [False, False, False, False, True]


def test_a_bid_not_scored_is_decided_even_though_it_has_scores(
    make_dossier: DossierFactory,
) -> None:
    dossier = build(make_dossier, bids=2)
    book = record(dossier, consensus={**each("bid-001", (10, 10)), **each("bid-002", (8, 8))})
    assessed = (assessment(dossier, "bid-001", invalid=(LATE,)), assessment(dossier, "bid-002"))

    first, second = decide(dossier, assessed, book)

    assert (first.outcome, first.reasons, first.finals) == ("invalid", (LATE,), ())
    assert second.outcome == "provisional-award"


def test_pending_verdicts_refuse_the_decision(make_dossier: DossierFactory) -> None:
    dossier = build(make_dossier, bids=2)
    pending = requirement("referenties", "technical-professional", "pending", (PENDING,))
    passed = requirement("omzet", "economic-financial", "pass")
    assessed = (
        assessment(dossier, "bid-001"),
        assessment(dossier, "bid-002", requirements=(passed, pending)),
    )
    complete = record(dossier, consensus={**each("bid-001", (8, 8)), **each("bid-002", (8, 8))})

    with pytest.raises(RefusedError) as only_pending:
        decide(dossier, assessed, complete)

    assert str(only_pending.value) == (
        "cannot decide yet: 1 suitability verdicts are pending (bid-002 referenties); "
        "record them with 'tender suitability verify'"
    )


def test_pending_verdicts_and_missing_scores_are_named_together(
    make_dossier: DossierFactory,
) -> None:
    dossier = build(make_dossier, bids=2)
    pending = requirement("referenties", "technical-professional", "pending", (PENDING,))
    assessed = (
        assessment(dossier, "bid-001", requirements=(pending,)),
        assessment(dossier, "bid-002"),
    )
    # A pending bid is scored, so its missing consensus score counts too.
    book = record(dossier, consensus={("bid-001", C1): 8, **each("bid-002", (8, 8))})

    with pytest.raises(RefusedError) as refused:
        decide(dossier, assessed, book)

    assert str(refused.value) == (
        "cannot decide yet: 1 suitability verdicts are pending (bid-001 referenties); "
        "record them with 'tender suitability verify'; "
        "1 consensus scores are missing (bid-001 criterion-2)"
    )


def test_no_decision_in_the_individual_phase(make_dossier: DossierFactory) -> None:
    dossier = build(make_dossier, method="mean")
    scores = {**by_everyone("bid-001", C1, (8, 8, 8)), **by_everyone("bid-001", C2, (8, 8, 8))}
    book = record(dossier, scores=scores, phase="individual")

    with pytest.raises(RefusedError) as refused:
        decide(dossier, suitable(dossier), book)

    assert str(refused.value) == IN_INDIVIDUAL_PHASE
    assert book.individual == {}  # sealed: read without a reader's key
    # Read with the chair's key everything a mean needs is there: only the phase stands in the way.
    chairs = read_book(dossier, signers(CHAIR))
    with pytest.raises(RefusedError) as still:
        decide(dossier, suitable(dossier), chairs)
    assert str(still.value) == IN_INDIVIDUAL_PHASE
    assert final_score(dossier, chairs, "bid-001", C1) is not None


@pytest.mark.parametrize("phase", ["consensus", "locked"])
def test_decisions_are_taken_from_the_consensus_phase_on(
    make_dossier: DossierFactory, phase: Literal["consensus", "locked"]
) -> None:
    dossier = build(make_dossier)
    book = record(dossier, consensus=each("bid-001", (8, 8)), phase=phase)

    (decision,) = decide(dossier, suitable(dossier), book)

    assert book.phase == phase
    assert decision.outcome == "provisional-award"


def rewrite_scale(dossier: Dossier, scale: Sequence[int]) -> Dossier:
    """The dossier with its scale changed after scoring (by hand, outside tender)."""
    path = dossier.root / "criteria" / "award.yaml"
    method = dossier.award.final_score
    path.write_text(award_yaml(method=method, scale=scale), encoding="utf-8")
    return load_dossier(dossier.root)


def test_a_consensus_score_off_a_changed_scale_refuses_the_decision(
    make_dossier: DossierFactory,
) -> None:
    dossier = build(make_dossier)
    # Entries: 1 the opening, 2-3 individual 6s (off the new scale, but not what a consensus
    # decision rests on), 4 their reveal, 5 the consensus phase, 6 consensus 8, 7 consensus 6,
    # 8 the lock.
    scores = {("evaluator-1", "bid-001", C1): 6, ("evaluator-1", "bid-001", C2): 6}
    record(dossier, scores=scores, consensus=each("bid-001", (8, 6)))
    changed = rewrite_scale(dossier, (0, 2, 4, 8, 10))

    # Every replay refuses the changed criteria first (tests/test_record_rules.py); the
    # decision checks the scale on its own, on a record replayed without the rules.
    with pytest.raises(RefusedError) as refused:
        decide(changed, suitable(changed), plain_replay(changed.root))

    assert str(refused.value) == (
        "1 recorded score is not a point on the scale of criteria/award.yaml (0, 2, 4, 8, 10), "
        "so no decision can rest on them: bid-001 / criterion-2: 6 (entry 7); the scale or the "
        "record was changed after scoring"
    )


def test_individual_scores_off_a_changed_scale_refuse_a_mean(make_dossier: DossierFactory) -> None:
    dossier = build(make_dossier, method="mean")
    # Entries: 1 the opening, 2-4 the 6, 6, 8 on criterion-1; 5-7 the 8s on criterion-2.
    scores = {**by_everyone("bid-001", C1, (6, 6, 8)), **by_everyone("bid-001", C2, (8, 8, 8))}
    record(dossier, scores=scores)
    changed = rewrite_scale(dossier, (0, 2, 4, 8, 10))

    # Every replay refuses the changed criteria first (tests/test_record_rules.py); the
    # decision checks the scale on its own, on a record replayed without the rules.
    with pytest.raises(RefusedError) as refused:
        decide(changed, suitable(changed), plain_replay(changed.root))

    assert str(refused.value) == (
        "2 recorded scores are not a point on the scale of criteria/award.yaml (0, 2, 4, 8, 10), "
        "so no decision can rest on them: bid-001 / criterion-1: 6 (entry 2), "
        "bid-001 / criterion-1: 6 (entry 3); the scale or the record was changed after scoring"
    )


def test_scores_off_the_scale_are_named_before_what_is_missing(
    make_dossier: DossierFactory,
) -> None:
    dossier = build(make_dossier, bids=2)
    record(dossier, consensus=each("bid-001", (6, 8)))  # bid-002 has no consensus scores
    changed = rewrite_scale(dossier, (0, 2, 4, 8, 10))

    # Every replay refuses the changed criteria first (tests/test_record_rules.py); the
    # decision checks the scale on its own, on a record replayed without the rules.
    with pytest.raises(RefusedError) as refused:
        decide(changed, suitable(changed), plain_replay(changed.root))

    # Entries: 1 the opening, 2 the consensus phase, 3 the consensus 6, 4 the consensus 8, 5 the
    # lock.
    assert str(refused.value).startswith(
        "1 recorded score is not a point on the scale of criteria/award.yaml (0, 2, 4, 8, 10), "
        "so no decision can rest on them: bid-001 / criterion-1: 6 (entry 3);"
    )


# --- locking: consensus scores are needed only where they are the final scores ----------------


def phase_events(dossier: Dossier) -> list[dict[str, object]]:
    return [
        dict(entry.event)
        for entry in acting_recorder(dossier).ledger.entries()
        if entry.event["kind"] == "phase"
    ]


@pytest.mark.parametrize("method", ["mean", "median"])
def test_locking_needs_no_consensus_scores_when_the_final_score_is_a_mean_or_median(
    make_dossier: DossierFactory, method: Method
) -> None:
    dossier = build(make_dossier, bids=2, method=method)
    recorder = acting_recorder(dossier)
    for bid in ("bid-001", "bid-002"):
        for sub in (C1, C2):
            for person in EVALUATORS:
                recorder.record_score(
                    person, bid, sub, score=Decimal(8), motivation=motivation(person, bid, sub)
                )
    recorder.change_phase(CHAIR, "consensus")

    recorder.change_phase(CHAIR, "locked")  # no --force: nothing is missing

    assert phase_events(dossier) == [
        {"kind": "phase", "phase": "consensus", "missing": 0, "pending": 0},
        {"kind": "phase", "phase": "locked", "missing": 0, "pending": 0},
    ]
    assert read_book(dossier).phase == "locked"


def test_locking_with_consensus_final_scores_needs_them_all_or_a_reason(
    make_dossier: DossierFactory,
) -> None:
    dossier = build(make_dossier, bids=3)
    # bid-003 is not scored (invalid): its items need no consensus score.
    recorder = acting_recorder(
        dossier, not_scored={"bid-003": "invalid: received after the deadline"}
    )
    recorder.change_phase(CHAIR, "consensus", force_reason="test: verder")
    recorder.record_consensus(CHAIR, "bid-001", C1, score=Decimal(8), motivation="Eens.")
    before = len(recorder.ledger.entries())

    with pytest.raises(RefusedError) as refused:
        recorder.change_phase(CHAIR, "locked")

    assert str(refused.value) == (
        "3 consensus scores are still missing; give --force with a reason to move to the "
        "locked phase anyway"
    )
    assert len(recorder.ledger.entries()) == before  # nothing recorded
    recorder.change_phase(CHAIR, "locked", force_reason="  Bid-002 trekt zich terug.  ")
    assert phase_events(dossier)[-1] == {
        "kind": "phase",
        "phase": "locked",
        "reason": "Bid-002 trekt zich terug.",
        "missing": 3,
        "pending": 0,
    }


def test_locking_with_every_consensus_score_needs_no_reason(make_dossier: DossierFactory) -> None:
    dossier = build(make_dossier, bids=2)
    recorder = acting_recorder(dossier)
    recorder.change_phase(CHAIR, "consensus", force_reason="test: verder")
    for (bid, sub), value in {**each("bid-001", (8, 8)), **each("bid-002", (6, 8))}.items():
        recorder.record_consensus(CHAIR, bid, sub, score=Decimal(value), motivation="Eens.")

    recorder.change_phase(CHAIR, "locked")

    assert phase_events(dossier)[-1] == {
        "kind": "phase",
        "phase": "locked",
        "missing": 0,
        "pending": 0,
    }
