"""ICC and Krippendorff's alpha against the values their authors published."""

from __future__ import annotations

import pytest

from tender.analysis.agreement import (
    AlphaLevel,
    Table,
    alpha,
    alpha_band,
    icc,
    icc_band,
    mean_squares,
)

# Shrout & Fleiss (1979), Table 2: six targets rated by four judges.
SHROUT_FLEISS: Table = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]
# Their Table 4, to two decimals.
SHROUT_FLEISS_ICC = {
    "ICC(1,1)": 0.17,
    "ICC(2,1)": 0.29,
    "ICC(3,1)": 0.71,
    "ICC(1,k)": 0.44,
    "ICC(2,k)": 0.62,
    "ICC(3,k)": 0.91,
}

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: four
# observers code twelve units; None where an observer coded nothing. Rows are observers.
_OBSERVERS: list[list[float | None]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
KRIPPENDORFF: Table = [list(unit) for unit in zip(*_OBSERVERS, strict=True)]
KRIPPENDORFF_ALPHA: dict[AlphaLevel, float] = {
    "nominal": 0.743,
    "ordinal": 0.815,
    "interval": 0.849,
    "ratio": 0.797,
}


def test_mean_squares_of_shrout_and_fleiss_table_2() -> None:
    squares = mean_squares(SHROUT_FLEISS)
    assert squares is not None
    assert (squares.targets, squares.raters) == (6, 4)
    # Table 3: BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02
    assert round(squares.between_targets, 2) == 11.24
    assert round(squares.within_target, 2) == 6.26
    assert round(squares.between_raters, 2) == 32.49
    assert round(squares.residual, 2) == 1.02


@pytest.mark.parametrize(("form", "published"), SHROUT_FLEISS_ICC.items())
def test_icc_reproduces_shrout_and_fleiss(form: str, published: float) -> None:
    value = icc(SHROUT_FLEISS).get(form)
    assert value is not None
    assert round(value, 2) == published


def test_icc_uses_complete_targets_only_and_says_how_many_were_left_out() -> None:
    with_gaps: Table = [*SHROUT_FLEISS, [None, 3, 4, 5], [7, 7, None, None]]
    result = icc(with_gaps)
    assert (result.targets, result.raters, result.dropped) == (6, 4, 2)
    assert [value.value for value in result.values] == [
        value.value for value in icc(SHROUT_FLEISS).values
    ]


def test_icc_is_undefined_without_two_complete_targets() -> None:
    result = icc([[1, 2, 3], [None, 2, 2]])
    assert result.targets == 1
    assert result.dropped == 1
    assert all(value.value is None and value.band is None for value in result.values)
    assert all(value.value is None for value in icc([]).values)


def test_icc_is_undefined_when_nothing_varies() -> None:
    result = icc([[4, 4], [4, 4], [4, 4]])
    assert result.get("ICC(1,1)") is None
    assert result.get("ICC(3,k)") is None


@pytest.mark.parametrize(("level", "published"), KRIPPENDORFF_ALPHA.items())
def test_alpha_reproduces_krippendorff_2011(level: AlphaLevel, published: float) -> None:
    value = alpha(KRIPPENDORFF, level)
    assert value is not None
    assert round(value, 3) == published


def test_alpha_ordinal_with_the_whole_scale_as_its_domain() -> None:
    value = alpha(KRIPPENDORFF, "ordinal", [1, 2, 3, 4, 5, 6, 7])
    assert value is not None
    assert round(value, 3) == 0.815  # unused scale points do not change ordinal distances


def test_alpha_is_undefined_without_pairable_or_varying_values() -> None:
    assert alpha([[3, 3], [3, 3], [3, None]], "interval") is None
    assert alpha([[1, None], [None, 5]], "interval") is None
    assert alpha([], "interval") is None


def test_perfect_agreement_and_systematic_disagreement() -> None:
    agree: Table = [[2, 2, 2], [6, 6, 6], [10, 10, 10]]
    assert alpha(agree, "interval") == 1.0
    assert icc(agree).get("ICC(2,1)") == 1.0
    opposed: Table = [[0, 10], [10, 0], [0, 10], [10, 0]]
    value = alpha(opposed, "interval")
    assert value is not None and value < 0


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.49, "poor"),
        (0.5, "moderate"),
        (0.749, "moderate"),
        (0.75, "good"),
        (0.9, "good"),
        (0.91, "excellent"),
        (None, None),
    ],
)
def test_koo_and_li_bands(value: float | None, band: str | None) -> None:
    assert icc_band(value) == band


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.8, "reliable"),
        (0.799, "tentative"),
        (0.667, "tentative"),
        (0.666, "unreliable"),
        (-0.2, "unreliable"),
        (None, None),
    ],
)
def test_krippendorff_bands(value: float | None, band: str | None) -> None:
    assert alpha_band(value) == band
