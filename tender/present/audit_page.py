"""The audit as a page: ``reports/audit/audit.html`` with inline SVG charts, and its wording.

The page is self-contained: its styles and charts are inline, it loads nothing
(no script, no font, no image from the network), so it opens offline and can be
archived with the dossier. Charts are drawn here as SVG from the report's data,
every label escaped. The short wording of fragility, margins and deviations is
shared with the terminal's tables.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from html import escape
from pathlib import PurePosixPath
from typing import Any

from markupsafe import Markup

from tender.analysis.agreement import ICC_FORMS, alpha_band
from tender.analysis.report import (
    CHECKS,
    SEVERITIES,
    AuditFinding,
    AuditReport,
    EvaluatorStats,
    Fragility,
    signed_margin,
)
from tender.award.decisions import shown
from tender.present.audit_json import report_data
from tender.present.render import Rendered, render_page

_OUTCOMES = {"provisional-award": "award", "below-threshold": "below threshold"}
CHECK_TITLES = {
    "completeness": "Completeness",
    "scale": "Scale",
    "motivation": "Motivation",
    "spread": "Spread",
    "bias": "Evaluator bias",
    "agreement": "Agreement",
    "tone": "Tone",
    "fragility": "Fragility",
}


# --- shared wording ------------------------------------------------------------------------------


def turned_by(row: Fragility, sub_criteria: int | None = None) -> str:
    """The changes that turn a bid's outcome, grouped: ``visie, innovatie -1 step; without X``.

    With the number of sub-criteria given, a move of every one of them reads "any
    sub-criterion".
    """
    parts = []
    for direction, label in ((-1, "-1 step"), (1, "+1 step")):
        subs = [
            f.sub_criterion or ""
            for f in row.flips
            if f.kind == "step" and f.direction == direction
        ]
        if subs and len(subs) == sub_criteria and len(subs) > 1:
            parts.append(f"any sub-criterion {label}")
        elif subs:
            parts.append(f"{', '.join(subs)} {label}")
    people = [f.evaluator or "" for f in row.flips if f.kind == "leave-out"]
    if people:
        parts.append(f"without {', '.join(people)}")
    return "; ".join(parts) if parts else "no single change"


def outcome_text(outcome: str) -> str:
    return _OUTCOMES.get(outcome, outcome)


def figure(value: float | None, places: int = 2, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.{places}f}" if signed else f"{value:.{places}f}"


def mean_text(value: Fraction | None) -> str:
    return "—" if value is None else str(shown(value))


def margin_text(value: Fraction | None) -> str:
    return "—" if value is None else signed_margin(value)


def deviation_text(stats: EvaluatorStats) -> str:
    if stats.deviation is None:
        return "—"
    if stats.ci_low is None or stats.ci_high is None:
        return figure(stats.deviation, signed=True)
    return (
        f"{figure(stats.deviation, signed=True)} "
        f"[{figure(stats.ci_low, signed=True)}, {figure(stats.ci_high, signed=True)}]"
    )


def flagged_evaluators(report: AuditReport, rule: str) -> set[str]:
    return {
        str(finding.figures.get("evaluator")) for finding in report.findings if finding.rule == rule
    }


# --- HTML ----------------------------------------------------------------------------------------

_INK = "#1d1d1d"
_MUTED = "#6a6a6a"
_GRID = "#e3e3e3"
_AWARD = "#2e7d32"
_BELOW = "#9aa5b1"
_FRAGILE = "#e65100"
_ACCENT = "#1a4d80"
_SPREAD_OK = ("#cfe3f5", "#8fbce6", "#4f94d4", "#2e6da4")
_SPREAD_WIDE = ("#f6c28b", "#ee8f3b", "#d9480f", "#a61e0d", "#6e1208")
_FONT = 'font-family="Helvetica, Arial, sans-serif"'


def html_context(report: AuditReport, *, note: str | None = None) -> dict[str, Any]:
    """What ``shared/audit.html`` needs: the report, grouped findings and the charts."""
    by_check: dict[str, list[AuditFinding]] = defaultdict(list)
    for finding in report.findings:
        by_check[finding.check].append(finding)
    sections = [
        {
            "check": check,
            "title": CHECK_TITLES[check],
            "findings": by_check.get(check, []),
            "counts": {severity: report.count(severity, check) for severity in SEVERITIES},
        }
        for check in (("completeness",) if report.limited else CHECKS)
    ]
    fragility = [
        {
            "row": row,
            "outcome": outcome_text(row.outcome),
            "mean": mean_text(row.weighted_mean),
            "margin": margin_text(row.margin),
            "turned_by": turned_by(row, len(report.sub_criteria)),
        }
        for row in report.fragility
    ]
    evaluators = [
        {
            "stats": stats,
            "mean": figure(stats.mean),
            "deviation": deviation_text(stats),
            "share": "—" if stats.straight_share is None else f"{stats.straight_share:.0%}",
        }
        for stats in report.evaluators
    ]
    agreement = [
        {
            "row": row,
            "icc": [figure(value.value) for value in row.icc.values],
            "icc_bands": [value.band or "" for value in row.icc.values],
            "alpha_interval": figure(row.alpha_interval, 3),
            "alpha_ordinal": figure(row.alpha_ordinal, 3),
            "band_interval": alpha_band(row.alpha_interval) or "",
            "band_ordinal": alpha_band(row.alpha_ordinal) or "",
        }
        for row in report.agreement
    ]
    limited = report.limited
    return {
        "report": report,
        "note": note,
        "severities": SEVERITIES,
        "sections": sections,
        "fragility": fragility,
        "fragile_count": len(report.fragile),
        "evaluators": evaluators,
        "agreement": agreement,
        "icc_forms": ICC_FORMS,
        "settings": report.settings,
        "charts": {
            "margins": Markup("") if limited else margin_chart(report.fragility),
            "distribution": Markup("") if limited else distribution_chart(report),
            "bias": Markup("") if limited else bias_chart(report),
            "spread": Markup("") if limited else spread_chart(report),
        },
    }


def _svg(width: int, height: int, body: Sequence[str], label: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" {_FONT} font-size="12">'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, content: str, **attributes: str | float) -> str:
    extra = " ".join(f'{key.replace("_", "-")}="{value}"' for key, value in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" {extra}>{escape(content)}</text>'


def _nice_step(span: float, ticks: int = 6) -> float:
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    while magnitude / 10 >= raw:
        magnitude /= 10
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def margin_chart(rows: Sequence[Fragility]) -> Markup:
    """Every bid's margin to the threshold, lowest first; fragile decisions in orange."""
    bars = sorted(
        (row for row in rows if row.margin is not None),
        key=lambda row: (row.margin or Fraction(0), row.bid),
    )
    width, height = 1080, 300
    left, right, top, bottom = 56, 16, 30, 40
    if not bars:
        return _svg(width, 60, [_text(left, 34, "No decisions to chart.", fill=_MUTED)], "margins")
    values = [float(row.margin or 0) for row in bars]
    low, high = min(*values, 0.0), max(*values, 0.0)
    if high - low < 1:
        high = low + 1
    step = _nice_step(high - low)
    low = step * (low // step)
    high = step * -(-high // step)
    plot_height = height - top - bottom
    plot_width = width - left - right

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * plot_height

    body = []
    tick = low
    while tick <= high + 1e-9:
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{_GRID}"/>'
        )
        body.append(_text(left - 6, y(tick) + 4, f"{tick:+.1f}", text_anchor="end", fill=_MUTED))
        tick += step
    slot = plot_width / len(bars)
    bar_width = min(max(slot * 0.8, 0.6), 40.0)
    for index, (row, value) in enumerate(zip(bars, values, strict=True)):
        x = left + index * slot + (slot - bar_width) / 2
        colour = _FRAGILE if row.fragile else _AWARD if value >= 0 else _BELOW
        top_y, bottom_y = sorted((y(value), y(0)))
        if bottom_y - top_y < 3:  # on the threshold: a small mark above the line
            top_y, bottom_y = y(0) - 3, y(0)
        body.append(
            f'<rect x="{x:.2f}" y="{top_y:.1f}" width="{bar_width:.2f}" '
            f'height="{bottom_y - top_y:.1f}" fill="{colour}">'
            f"<title>{escape(row.bid)} · {escape(outcome_text(row.outcome))} · margin "
            f"{escape(margin_text(row.margin))}</title></rect>"
        )
    body.append(
        f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
        f'stroke="{_INK}" stroke-width="1.5"/>'
    )
    body.append(_text(left + 6, y(0) - 6, "threshold", fill=_INK, font_size=11))
    body.append(_text(left, height - 12, f"{len(bars)} bids, lowest margin first", fill=_MUTED))
    legend = [(_AWARD, "awarded"), (_BELOW, "below the threshold"), (_FRAGILE, "fragile")]
    x = width - right - 300
    for colour, label in legend:
        body.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{colour}"/>')
        body.append(_text(x + 18, 18, label, fill=_INK))
        x += 28 + 6.5 * len(label)
    body.append(_text(left, 18, "Margin to the threshold (points)", fill=_INK, font_weight="bold"))
    return _svg(width, height, body, "Every bid's margin to the threshold")


def distribution_chart(report: AuditReport) -> Markup:
    """Per evaluator, the share of their scores on each point of the scale."""
    stats = list(report.evaluators)
    columns = 3
    panel_width, panel_height = 350, 170
    gap = 15
    rows = max(1, -(-len(stats) // columns))
    width = columns * panel_width + (columns - 1) * gap
    height = rows * (panel_height + gap)
    body = []
    largest = max(
        (count / max(s.scored, 1) for s in stats for _, count in s.distribution), default=0.0
    )
    largest = max(largest, 0.05)
    flagged = (
        flagged_evaluators(report, "bias.lenient")
        | flagged_evaluators(report, "bias.severe")
        | flagged_evaluators(report, "bias.straight-lining")
    )
    for index, entry in enumerate(stats):
        ox = (index % columns) * (panel_width + gap)
        oy = (index // columns) * (panel_height + gap)
        body.append(
            f'<rect x="{ox}" y="{oy}" width="{panel_width}" height="{panel_height}" rx="4" '
            f'fill="#fafafa" stroke="{_FRAGILE if entry.evaluator in flagged else _GRID}"/>'
        )
        title = f"{entry.name} ({entry.evaluator})"
        body.append(_text(ox + 10, oy + 18, title, fill=_INK, font_weight="bold"))
        body.append(
            _text(
                ox + 10,
                oy + 34,
                f"{entry.scored} scores · mean {figure(entry.mean)} · vs others "
                f"{figure(entry.deviation, signed=True)}",
                fill=_MUTED,
                font_size=11,
            )
        )
        points = len(entry.distribution)
        inner_left, inner_right = ox + 14, ox + panel_width - 14
        slot = (inner_right - inner_left) / max(points, 1)
        base = oy + panel_height - 22
        tallest = panel_height - 72
        for point_index, (value, count) in enumerate(entry.distribution):
            share = count / entry.scored if entry.scored else 0.0
            bar_height = tallest * share / largest
            x = inner_left + point_index * slot + slot * 0.15
            body.append(
                f'<rect x="{x:.1f}" y="{base - bar_height:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{bar_height:.1f}" fill="{_ACCENT}">'
                f"<title>{escape(entry.evaluator)}: {count} scores of {value}</title></rect>"
            )
            body.append(
                _text(
                    x + slot * 0.35,
                    base - bar_height - 4,
                    "" if not count else "<1%" if share < 0.005 else f"{share:.0%}",
                    text_anchor="middle",
                    fill=_MUTED,
                    font_size=10,
                )
            )
            body.append(
                _text(x + slot * 0.35, base + 15, _number(value), text_anchor="middle", fill=_INK)
            )
        body.append(
            f'<line x1="{inner_left}" x2="{inner_right}" y1="{base}" y2="{base}" stroke="{_MUTED}"/>'
        )
    return _svg(width, height, body, "Score distribution per evaluator")


def bias_chart(report: AuditReport) -> Markup:
    """Each evaluator's mean deviation from the others with its 95 % interval."""
    stats = [s for s in report.evaluators if s.deviation is not None]
    width = 1080
    row_height = 28
    left, right, top = 200, 30, 34
    height = top + row_height * max(len(stats), 1) + 34
    limit = float(report.settings.bias_steps * report.step)
    extent = max(
        [abs(v) for s in stats for v in (s.ci_low, s.ci_high, s.deviation) if v is not None]
        + [limit, 0.5]
    )
    extent = _nice_step(extent * 2, 4) * -(-extent // _nice_step(extent * 2, 4))
    plot_width = width - left - right

    def x(value: float) -> float:
        return left + (value + extent) / (2 * extent) * plot_width

    body = [
        _text(
            left,
            16,
            "Mean deviation from the others on the same items (points)",
            fill=_INK,
            font_weight="bold",
        ),
        f'<rect x="{x(-limit):.1f}" y="{top - 6}" width="{x(limit) - x(-limit):.1f}" '
        f'height="{row_height * len(stats) + 6}" fill="#eef3f8"/>',
    ]
    step = _nice_step(2 * extent, 8)
    tick = -extent
    while tick <= extent + 1e-9:
        body.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 6}" '
            f'y2="{top + row_height * len(stats)}" stroke="{_GRID}"/>'
        )
        body.append(
            _text(
                x(tick),
                top + row_height * len(stats) + 16,
                f"{tick:+.1f}",
                text_anchor="middle",
                fill=_MUTED,
            )
        )
        tick += step
    body.append(
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top - 6}" '
        f'y2="{top + row_height * len(stats)}" stroke="{_INK}"/>'
    )
    flagged = flagged_evaluators(report, "bias.lenient") | flagged_evaluators(report, "bias.severe")
    for index, entry in enumerate(stats):
        cy = top + index * row_height + row_height / 2 - 3
        colour = _FRAGILE if entry.evaluator in flagged else _ACCENT
        body.append(
            _text(
                left - 10, cy + 4, f"{entry.name} ({entry.evaluator})", text_anchor="end", fill=_INK
            )
        )
        if entry.ci_low is not None and entry.ci_high is not None:
            body.append(
                f'<line x1="{x(entry.ci_low):.1f}" x2="{x(entry.ci_high):.1f}" y1="{cy:.1f}" '
                f'y2="{cy:.1f}" stroke="{colour}" stroke-width="2"/>'
            )
        body.append(
            f'<circle cx="{x(entry.deviation or 0):.1f}" cy="{cy:.1f}" r="5" fill="{colour}">'
            f"<title>{escape(entry.evaluator)}: {escape(deviation_text(entry))}</title></circle>"
        )
    body.append(
        _text(
            width - right,
            height - 4,
            f"shaded: within ±{limit:g} points ({report.settings.bias_steps} step) of the others",
            text_anchor="end",
            fill=_MUTED,
            font_size=11,
        )
    )
    return _svg(width, height, body, "Evaluator bias with 95% confidence intervals")


def spread_chart(report: AuditReport) -> Markup:
    """Per sub-criterion, its items by how many steps their individual scores lie apart."""
    allowed = report.settings.max_spread_steps
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for entry in report.spread:
        counts[entry.sub_criterion][entry.steps] = entry.items
    widest = max((entry.steps for entry in report.spread), default=0)
    width = 1080
    left, right, top, row_height = 200, 20, 52, 34
    height = top + row_height * len(report.sub_criteria) + 12
    plot_width = width - left - right
    body = [
        _text(
            left, 16, "Items by spread between the individual scores", fill=_INK, font_weight="bold"
        )
    ]
    x = float(left)
    for steps in range(widest + 1):
        colour = _spread_colour(steps, allowed)
        label = f"{steps} step{'s' if steps != 1 else ''}" + (
            " (too wide)" if steps > allowed else ""
        )
        body.append(f'<rect x="{x:.0f}" y="26" width="12" height="12" fill="{colour}"/>')
        body.append(_text(x + 18, 36, label, fill=_INK, font_size=11))
        x += 30 + 7 * len(label)
    for index, (sub, title) in enumerate(report.sub_criteria):
        cy = top + index * row_height
        found = counts.get(sub, {})
        total = sum(found.values())
        body.append(_text(left - 10, cy + 18, title, text_anchor="end", fill=_INK))
        position = float(left)
        for steps in range(widest + 1):
            count = found.get(steps, 0)
            if not count or not total:
                continue
            segment = plot_width * count / total
            body.append(
                f'<rect x="{position:.1f}" y="{cy + 4}" width="{segment:.1f}" height="{row_height - 10}" '
                f'fill="{_spread_colour(steps, allowed)}"><title>{escape(sub)}: {count} items '
                f"{steps} steps apart</title></rect>"
            )
            if segment > 28:
                ink = (
                    "#ffffff" if steps > allowed + 1 or (steps <= allowed and steps >= 3) else _INK
                )
                body.append(
                    _text(
                        position + segment / 2,
                        cy + 22,
                        str(count),
                        text_anchor="middle",
                        fill=ink,
                        font_size=11,
                    )
                )
            position += segment
    return _svg(width, height, body, "Spread of the individual scores per item")


def _spread_colour(steps: int, allowed: int) -> str:
    if steps <= allowed:
        return _SPREAD_OK[min(steps, len(_SPREAD_OK) - 1)]
    return _SPREAD_WIDE[min(steps - allowed - 1, len(_SPREAD_WIDE) - 1)]


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def audit_files(report: AuditReport, *, note: str | None) -> tuple[Rendered, ...]:
    """The audit as reports/audit/audit.html (with charts) and audit.json."""
    data = {**report_data(report), "decisions_note": note}
    html = render_page("shared/audit.html", html_context(report, note=note))
    return (
        Rendered(PurePosixPath("audit.html"), html.encode("utf-8")),
        Rendered(
            PurePosixPath("audit.json"),
            (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        ),
    )
