"""The audit in the terminal: counts, fragile decisions, findings, evaluators and agreement."""

from __future__ import annotations

from itertools import groupby

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tender.analysis.agreement import ICC_FORMS, alpha_band
from tender.analysis.report import CHECKS, SEVERITIES, AuditReport
from tender.present.audit_page import (
    CHECK_TITLES,
    deviation_text,
    figure,
    flagged_evaluators,
    margin_text,
    mean_text,
    turned_by,
)
from tender.terminal.console import plain

TERMINAL_LIMIT = 10
_STYLES = {"blocking": "bold red", "warning": "yellow", "info": "cyan"}


# --- terminal ------------------------------------------------------------------------------------


def show_audit(
    console: Console,
    report: AuditReport,
    *,
    note: str | None = None,
    limit: int | None = TERMINAL_LIMIT,
) -> None:
    """The audit in the terminal: counts, fragile decisions, findings, evaluators, agreement."""
    console.print(
        plain(
            f"Audit · {report.reference} · {report.title} · phase {report.phase} · "
            f"final score: {report.method}",
            "bold",
        )
    )
    if report.limited:
        console.print(
            Text(
                "The evaluation is in the individual phase: no one may see another evaluator's "
                "scores, so the audit shows completeness only. The full audit runs once the "
                "chair opens the consensus phase.",
                style="yellow",
            )
        )
    _show_counts(console, report)
    if not report.limited:
        _show_fragility(console, report, note)
    _show_findings(console, report, limit)
    if not report.limited:
        _show_evaluators(console, report)
        _show_agreement(console, report)


def _show_counts(console: Console, report: AuditReport) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="Findings by check")
    table.add_column("Check")
    for severity in SEVERITIES:
        table.add_column(severity.capitalize(), justify="right")
    checks = ("completeness",) if report.limited else CHECKS
    for check in checks:
        table.add_row(CHECK_TITLES[check], *(str(report.count(s, check)) for s in SEVERITIES))
    table.add_row(
        Text("Total", style="bold"),
        *(Text(str(report.count(s)), style="bold") for s in SEVERITIES),
    )
    console.print(table)
    done = report.completeness
    line = f"Individual scores: {done.individual_recorded} of {done.individual_required} recorded"
    if done.consensus_required:
        line += (
            f" · consensus scores: {done.consensus_recorded} of {done.consensus_required} recorded"
        )
    console.print(line, markup=False)


def _show_fragility(console: Console, report: AuditReport, note: str | None) -> None:
    if not report.decisions_available:
        console.print(
            Text(
                f"Fragility not computed: no decisions yet{f' ({note})' if note else ''}.",
                style="yellow",
            )
        )
        return
    fragile = report.fragile
    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"Fragile decisions: {len(fragile)} of {len(report.fragility)} bids turn on one change",
    )
    table.add_column("Bid", no_wrap=True)
    table.add_column("Outcome", no_wrap=True)
    table.add_column("Mean", justify="right", no_wrap=True)
    table.add_column("Margin", justify="right", no_wrap=True)
    table.add_column("Turned by", ratio=1)
    subs = len(report.sub_criteria)
    for row in fragile:
        table.add_row(
            row.bid,
            "award" if row.outcome == "provisional-award" else "below",
            mean_text(row.weighted_mean),
            margin_text(row.margin),
            plain(turned_by(row, subs)),
        )
    if fragile:
        console.print(table)
    else:
        console.print(f"No decision turns on a single change ({len(report.fragility)} bids).")


def _show_findings(console: Console, report: AuditReport, limit: int | None) -> None:
    if not report.findings:
        console.print(Text("No findings.", style="green"))
        return
    table = Table(box=box.SIMPLE_HEAD, title="Findings", show_lines=False)
    table.add_column("Severity")
    table.add_column("Rule")
    table.add_column("Finding")
    left_out: list[str] = []
    for rule, group in groupby(report.findings, key=lambda f: (f.severity, f.rule)):
        found = list(group)
        if rule[1] == "fragility.fragile":
            left_out.append(f"{len(found)} fragility.fragile (in the table above)")
            continue
        kept = found if limit is None else found[:limit]
        for finding in kept:
            table.add_row(
                Text(finding.severity, style=_STYLES[finding.severity]),
                finding.rule,
                plain(finding.message),
            )
        if len(found) > len(kept):
            left_out.append(f"{len(found) - len(kept)} more {rule[1]}")
    console.print(table)
    if left_out:
        console.print(
            Text(
                f"Not listed here: {'; '.join(left_out)}. Every finding is in "
                "reports/audit/audit.html and in --json; --all lists them here.",
                style="dim",
            )
        )


def _show_evaluators(console: Console, report: AuditReport) -> None:
    lenient = flagged_evaluators(report, "bias.lenient") | flagged_evaluators(report, "bias.severe")
    straight = flagged_evaluators(report, "bias.straight-lining")
    table = Table(box=box.SIMPLE_HEAD, title="Evaluators")
    table.add_column("Evaluator")
    table.add_column("Scores", justify="right")
    table.add_column("Mean", justify="right")
    table.add_column("Deviation from the others [95% CI]", justify="right")
    table.add_column("Same score on every sub-criterion", justify="right")
    for stats in report.evaluators:
        share = stats.straight_share
        table.add_row(
            stats.evaluator,
            str(stats.scored),
            figure(stats.mean),
            Text(deviation_text(stats), style="yellow" if stats.evaluator in lenient else ""),
            Text(
                f"{stats.straight_bids} of {stats.complete_bids} bids"
                + ("" if share is None else f" ({share:.0%})"),
                style="yellow" if stats.evaluator in straight else "",
            ),
        )
    console.print(table)


def _show_agreement(console: Console, report: AuditReport) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="Agreement between the evaluators")
    table.add_column("Measure", no_wrap=True)
    for row in report.agreement:
        table.add_column(row.scope, justify="right", overflow="fold")
    rows: list[tuple[str, list[str]]] = [
        ("items", [str(row.items) for row in report.agreement]),
        ("complete items", [str(row.icc.targets) for row in report.agreement]),
    ]
    for index, form in enumerate(ICC_FORMS):
        rows.append((form, [figure(row.icc.values[index].value) for row in report.agreement]))
    rows += [
        ("alpha interval", [figure(row.alpha_interval, 3) for row in report.agreement]),
        ("alpha ordinal", [figure(row.alpha_ordinal, 3) for row in report.agreement]),
        ("alpha band", [alpha_band(row.alpha_interval) or "—" for row in report.agreement]),
    ]
    for label, cells in rows:
        table.add_row(label, *cells)
    console.print(table)
    console.print(
        "ICC per Shrout & Fleiss (1979) on complete items only (bands: Koo & Li 2016); "
        "Krippendorff's alpha on every item with two or more scores; the band is that of "
        "the interval alpha.",
        markup=False,
        style="dim",
    )
