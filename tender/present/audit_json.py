"""The audit report as plain JSON data, for ``--json`` and ``reports/audit/audit.json``.

Exact fractions are written as text; statistics are rounded to four decimals.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from tender.analysis.agreement import alpha_band
from tender.analysis.report import SEVERITIES, AuditReport, Concern
from tender.award.decisions import exact

# --- JSON --------------------------------------------------------------------------------------


def report_data(report: AuditReport) -> dict[str, Any]:
    """The report as plain JSON data: exact fractions as text, statistics to 4 decimals."""
    return {
        "reference": report.reference,
        "title": report.title,
        "phase": report.phase,
        "method": report.method,
        "limited": report.limited,
        "settings": report.settings.model_dump(mode="json"),
        "scale": [str(value) for value in report.scale],
        "step": str(report.step),
        "summary": {severity: report.count(severity) for severity in SEVERITIES},
        "completeness": _plain(report.completeness),
        "findings": [
            {
                "check": f.check,
                "rule": f.rule,
                "severity": f.severity,
                "message": f.message,
                "items": [_concern(item) for item in f.items],
                "figures": {key: _figure(value) for key, value in f.figures.items()},
                "evidence": f.evidence,
            }
            for f in report.findings
        ],
        "evaluators": [
            {
                "evaluator": e.evaluator,
                "name": e.name,
                "scored": e.scored,
                "distribution": {str(value): count for value, count in e.distribution},
                "mean": _round(e.mean),
                "compared_items": e.compared,
                "mean_deviation": _round(e.deviation),
                "ci95": [_round(e.ci_low), _round(e.ci_high)],
                "straight_lined_bids": e.straight_bids,
                "complete_bids": e.complete_bids,
            }
            for e in report.evaluators
        ],
        "spread": [_plain(count) for count in report.spread],
        "agreement": [
            {
                "scope": row.scope,
                "title": row.title,
                "items": row.items,
                "icc": {
                    "complete_items": row.icc.targets,
                    "raters": row.icc.raters,
                    "left_out_items": row.icc.dropped,
                    **{
                        value.form: {"value": _round(value.value), "band": value.band}
                        for value in row.icc.values
                    },
                },
                "alpha_interval": {
                    "value": _round(row.alpha_interval),
                    "band": alpha_band(row.alpha_interval),
                },
                "alpha_ordinal": {
                    "value": _round(row.alpha_ordinal),
                    "band": alpha_band(row.alpha_ordinal),
                },
            }
            for row in report.agreement
        ],
        "decisions_available": report.decisions_available,
        "fragility": [
            {
                "bid": row.bid,
                "bidder": row.bidder,
                "outcome": row.outcome,
                "weighted_mean": None if row.weighted_mean is None else exact(row.weighted_mean),
                "margin": None if row.margin is None else exact(row.margin),
                "fragile": row.fragile,
                "variants": row.variants,
                "flips": [
                    {
                        "kind": flip.kind,
                        "sub_criterion": flip.sub_criterion,
                        "evaluator": flip.evaluator,
                        "direction": flip.direction,
                        "weighted_mean": exact(flip.weighted_mean),
                        "outcome": flip.outcome,
                    }
                    for flip in row.flips
                ],
            }
            for row in report.fragility
        ],
    }


def _concern(item: Concern) -> dict[str, Any]:
    return {key: value for key, value in _plain(item).items() if value not in (None, False)}


def _plain(value: Any) -> dict[str, Any]:
    return {key: _figure(item) for key, item in value.__dict__.items()}


def _figure(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Fraction):
        return exact(value)
    return value


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
