"""Rich renderings of decisions for the terminal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

from rich import box
from rich.table import Table
from rich.text import Text

from tender.award.decisions import Decision, shown
from tender.domain.dossier import Dossier
from tender.present.render import score_text
from tender.terminal.console import out, plain

ROWS_SHOWN = 200
"""Decisions listed in the terminal unless --all: a table of thousands of rows helps no one
(and takes seconds to lay out); every decision is in reports/decisions/ regardless."""
OUTCOME_STYLES = {
    "provisional-award": "green",
    "below-threshold": "yellow",
    "unsuitable": "red",
    "excluded": "red",
    "invalid": "red",
}


def show_decisions(
    dossier: Dossier, decisions: Sequence[Decision], *, limit: int | None = ROWS_SHOWN
) -> None:
    """Bid, bidder, final score per sub-criterion, weighted mean, margin, outcome and reason.

    The first ``limit`` decisions (None: all), in dossier order, then the counts of all.
    """
    table = Table(box=box.SIMPLE_HEAD, title="Decisions")
    table.add_column("Bid", no_wrap=True, min_width=7)
    table.add_column("Bidder", no_wrap=True, overflow="ellipsis", min_width=10, max_width=26)
    for index, _ in enumerate(dossier.award.sub_criteria, 1):
        table.add_column(str(index), justify="right", no_wrap=True, min_width=2)
    table.add_column("Mean", justify="right", no_wrap=True, min_width=4)
    table.add_column("Margin", justify="right", no_wrap=True, min_width=6)
    table.add_column("Outcome (reason)", no_wrap=True, overflow="ellipsis", max_width=40)
    for decision in decisions[:limit]:
        finals = [
            "" if (final := decision.final(sub.id)) is None else score_text(final.value, "en")
            for sub in dossier.award.sub_criteria
        ]
        mean = "" if decision.weighted_mean is None else str(shown(decision.weighted_mean))
        margin = decision.margin
        margin_text = "" if margin is None else _signed(margin)
        style = OUTCOME_STYLES[decision.outcome]
        rules = ", ".join(dict.fromkeys(reason.rule for reason in decision.reasons))
        outcome = decision.outcome if decision.checks else f"{decision.outcome}: {rules}"
        table.add_row(
            decision.bid,
            plain(decision.bidder),
            *finals,
            mean,
            margin_text,
            Text(outcome, style),
        )
    out.print(table)
    hidden = len(decisions) - table.row_count
    if hidden:
        out.print(
            f"{hidden:,} more {'bid' if hidden == 1 else 'bids'} not listed; every decision is in "
            "reports/decisions/decisions.csv, and --all lists them here.",
            markup=False,
        )
    legend = "; ".join(f"{i} = {sub.title}" for i, sub in enumerate(dossier.award.sub_criteria, 1))
    out.print(plain(legend))
    counts = Counter(decision.outcome for decision in decisions)
    out.print(" · ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())))


def _signed(value: Fraction) -> str:
    if value < 0:
        return f"-{shown(-value, rounding='up')}"
    return f"+{shown(value)}"
