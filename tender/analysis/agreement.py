"""Agreement between evaluators: intraclass correlation and Krippendorff's alpha.

Both take a table of ratings with one row per target (an item: bid x
sub-criterion) and one column per rater (an evaluator), ``None`` where a rater
gave no score (a declared conflict, a score still open).

**ICC** in the six forms of Shrout & Fleiss (1979), "Intraclass correlations:
uses in assessing rater reliability", Psychological Bulletin 86(2), 420-428,
computed from the mean squares of their two-way table (Table 1): ICC(1,1) and
ICC(1,k) (each target rated by a different random set of raters), ICC(2,1) and
ICC(2,k) (random raters, absolute agreement), ICC(3,1) and ICC(3,k) (these raters
only, consistency). No maintained package computes them without pulling in
pandas or scipy, so they are written here, in a dozen lines of numpy. The mean
squares need a full table: a target that lacks a rating is left out (complete
cases), and the result says how many were (:attr:`IccResult.dropped`).

**Krippendorff's alpha** comes from the ``krippendorff`` package (Santiago
Castro), which takes missing ratings as they are: a target counts when at least
two raters scored it. Its docstring reproduces Krippendorff (2011).

Interpretation bands: Koo & Li (2016) for ICC (below .5 poor, .5 up to .75
moderate, .75 up to .9 good, above .9 excellent); Krippendorff (2004) for alpha
(at least .8 reliable, .667 up to .8 tentative, below .667 unreliable).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import krippendorff
import numpy as np
import numpy.typing as npt

Rating = float | None
Table = Sequence[Sequence[Rating]]
"""Rows are targets, columns are raters; None is a missing rating."""
AlphaLevel = Literal["nominal", "ordinal", "interval", "ratio"]
ICC_FORMS = ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")
ALPHA_RELIABLE = 0.8
ALPHA_TENTATIVE = 0.667


@dataclass(frozen=True, kw_only=True)
class MeanSquares:
    """Shrout & Fleiss's Table 1: the mean squares of a targets x raters table."""

    targets: int
    raters: int
    between_targets: float
    within_target: float
    between_raters: float
    residual: float


@dataclass(frozen=True, kw_only=True)
class IccValue:
    """One form of the ICC, with its Koo & Li band (None when the table cannot give it)."""

    form: str
    value: float | None
    band: str | None


@dataclass(frozen=True, kw_only=True)
class IccResult:
    """All six forms from one table; ``targets`` complete rows were used, ``dropped`` were not."""

    targets: int
    raters: int
    dropped: int
    values: tuple[IccValue, ...]

    def get(self, form: str) -> float | None:
        """The value of one form, such as ``"ICC(2,1)"``."""
        return next(icc.value for icc in self.values if icc.form == form)


def mean_squares(table: Table) -> MeanSquares | None:
    """The mean squares of the table's complete rows; None with fewer than 2 rows or raters."""
    complete = _complete(table)
    targets, raters = complete.shape
    if targets < 2 or raters < 2:
        return None
    grand = complete.mean()
    row_means = complete.mean(axis=1)
    column_means = complete.mean(axis=0)
    between_targets = raters * float(((row_means - grand) ** 2).sum())
    within_target = float(((complete - row_means[:, None]) ** 2).sum())
    between_raters = targets * float(((column_means - grand) ** 2).sum())
    residual = within_target - between_raters
    return MeanSquares(
        targets=targets,
        raters=raters,
        between_targets=between_targets / (targets - 1),
        within_target=within_target / (targets * (raters - 1)),
        between_raters=between_raters / (raters - 1),
        residual=residual / ((targets - 1) * (raters - 1)),
    )


def icc(table: Table) -> IccResult:
    """The six Shrout & Fleiss ICCs of the table, from its complete rows only."""
    squares = mean_squares(table)
    rows = len(table)
    raters = len(table[0]) if table else 0
    if squares is None:
        used = _complete(table).shape[0]
        nothing = tuple(IccValue(form=form, value=None, band=None) for form in ICC_FORMS)
        return IccResult(targets=used, raters=raters, dropped=rows - used, values=nothing)
    n, k = squares.targets, squares.raters
    bms, wms = squares.between_targets, squares.within_target
    jms, ems = squares.between_raters, squares.residual
    values = {
        "ICC(1,1)": _ratio(bms - wms, bms + (k - 1) * wms),
        "ICC(2,1)": _ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC(3,1)": _ratio(bms - ems, bms + (k - 1) * ems),
        "ICC(1,k)": _ratio(bms - wms, bms),
        "ICC(2,k)": _ratio(bms - ems, bms + (jms - ems) / n),
        "ICC(3,k)": _ratio(bms - ems, bms),
    }
    return IccResult(
        targets=n,
        raters=k,
        dropped=rows - n,
        values=tuple(
            IccValue(form=form, value=value, band=icc_band(value)) for form, value in values.items()
        ),
    )


def alpha(
    table: Table, level: AlphaLevel, value_domain: Sequence[float] | None = None
) -> float | None:
    """Krippendorff's alpha of the table at ``level``; None when it is undefined.

    It is undefined when fewer than two ratings can be paired within a target, or
    when every rating is the same value (no disagreement is possible, nor expected).
    ``value_domain`` lists the values the scale allows, in order (used for ordinal).
    """
    data = _matrix(table).T  # krippendorff wants raters x units
    present = data[~np.isnan(data)]
    if present.size < 2 or np.unique(present).size < 2:
        return None
    paired = (~np.isnan(data)).sum(axis=0) >= 2
    if not paired.any():
        return None
    domain = None
    if value_domain is not None:
        domain = sorted({float(value) for value in value_domain} | {float(v) for v in present})
    result = float(
        krippendorff.alpha(
            reliability_data=data[:, paired], value_domain=domain, level_of_measurement=level
        )
    )
    return None if math.isnan(result) else result


def icc_band(value: float | None) -> str | None:
    """Koo & Li (2016): poor, moderate, good or excellent."""
    if value is None:
        return None
    if value < 0.5:
        return "poor"
    if value < 0.75:
        return "moderate"
    if value <= 0.9:
        return "good"
    return "excellent"


def alpha_band(value: float | None) -> str | None:
    """Krippendorff (2004): reliable (>= .8), tentative (>= .667) or unreliable."""
    if value is None:
        return None
    if value >= ALPHA_RELIABLE:
        return "reliable"
    if value >= ALPHA_TENTATIVE:
        return "tentative"
    return "unreliable"


def _matrix(table: Table) -> npt.NDArray[np.float64]:
    width = max((len(row) for row in table), default=0)
    matrix = np.full((len(table), width), np.nan)
    for row_index, row in enumerate(table):
        for column, value in enumerate(row):
            if value is not None:
                matrix[row_index, column] = value
    return matrix


def _complete(table: Table) -> npt.NDArray[np.float64]:
    matrix = _matrix(table)
    return matrix[~np.isnan(matrix).any(axis=1)]


def _ratio(numerator: float, denominator: float) -> float | None:
    if denominator == 0 or not math.isfinite(denominator):
        return None
    return numerator / denominator
