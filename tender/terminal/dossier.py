"""Rich renderings of stage results for the terminal; the same data goes out as JSON."""

from __future__ import annotations

from datetime import date

from rich import box
from rich.table import Table

from tender.app.summary import DossierSummary
from tender.domain.deadlines import StandstillPeriod
from tender.terminal.console import out, plain

_ROLE_NAMES = {
    "policy": "policy",
    "execution": "execution",
    "contract-management": "contract management",
}


def show_summary(summary: DossierSummary) -> None:
    """The dossier at a glance: procedure, bids, committee, requirements and criteria."""
    facts = Table(
        box=box.SIMPLE, show_header=False, title=plain(f"{summary.reference} · {summary.title}")
    )
    facts.add_column(style="bold")
    facts.add_column()
    roles = ", ".join(
        f"{count} {_ROLE_NAMES[role]}" for role, count in sorted(summary.roles.items())
    )
    requirements = ", ".join(
        f"{count} {category}" for category, count in sorted(summary.requirements.items())
    )
    standstill = "statutory" if summary.standstill_statutory else "contractual"
    rows = [
        ("Authority", summary.authority),
        ("Procedure", summary.procedure),
        ("Deadline", summary.deadline),
        ("Bids", str(summary.bids)),
        ("Committee", f"{summary.evaluators} evaluators ({roles}); chair {summary.chair}"),
        ("Conflicts declared", str(summary.conflicts)),
        (
            "Documents",
            ", ".join(
                f"{doc}*" if doc in summary.mandatory_documents else doc
                for doc in summary.documents
            )
            + "  (* on pain of exclusion)",
        ),
        (
            "Requirements",
            f"{requirements or 'none'}; {summary.person_verified_requirements} need a person",
        ),
        ("Scale", " · ".join(str(value) for value in summary.scale)),
        ("Final score", summary.final_score),
        ("Threshold", "; ".join(summary.threshold)),
        ("Standstill", f"{summary.standstill_days} calendar days, {standstill}"),
        ("Letters", summary.language),
    ]
    for label, value in rows:
        facts.add_row(label, plain(value))  # names and titles are text, not markup
    out.print(facts)

    criteria = Table(box=box.SIMPLE_HEAD, title="Sub-criteria")
    criteria.add_column("Id")
    criteria.add_column("Title")
    criteria.add_column("Weight", justify="right")
    criteria.add_column("Max pages", justify="right")
    for sub in summary.sub_criteria:
        pages = "—" if sub.max_pages is None else str(sub.max_pages)
        criteria.add_row(sub.id, plain(sub.title), f"{sub.weight}%", pages)
    out.print(criteria)


def show_standstill(period: StandstillPeriod) -> None:
    """The standstill period, with every day the end date moved past and why."""
    table = Table(box=box.SIMPLE, show_header=False, title="Standstill period")
    table.add_column(style="bold")
    table.add_column()
    kind = "statutory" if period.statutory else "contractual"
    table.add_row("Letters sent", _day(period.sent))
    table.add_row("First day", _day(period.first_day))
    table.add_row(f"Day {period.days}", _day(period.plain_end))
    for skipped in period.skipped:
        table.add_row("Not an end date", plain(f"{_day(skipped.day)}: {skipped.name_en}"))
    if period.statutory:
        table.add_row("Ends (Atw)", _day(period.end))
    else:
        table.add_row("Ends (contract)", _day(period.plain_end))
        table.add_row("Ends if extended (Atw)", _day(period.extended_end))
    table.add_row("Definitive award from", _day(period.definitive_from))
    out.print(table)
    out.print(f"A {period.days}-day {kind} standstill period.")


def _day(day: date) -> str:
    return f"{day:%a %d-%m-%Y}"
