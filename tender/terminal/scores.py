"""Rich renderings for scoring: the walks' screens, scores, history, consensus, phase, record.

Every function takes the console to print on, so the interactive walks can be
driven and read in tests; commands pass :data:`tender.terminal.console.out`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tender.domain.models import Committee, ScalePoint, SubCriterion
from tender.terminal.console import plain

if TYPE_CHECKING:
    from tender.bids.documents import Section
    from tender.record.book import Item, Score
    from tender.record.disclosure import Change, ConsensusItem, PhaseStatus, RecordCheck
    from tender.record.sheets import Imported

ANONYMOUS = "bidder not shown: quality plans are assessed anonymously"


def show_item(
    console: Console,
    *,
    bid: str,
    bidder: str | None,
    sub: SubCriterion,
    scale: Sequence[ScalePoint],
    position: int,
    total: int,
    done: int,
) -> None:
    """The head of an item's screen: which bid, which sub-criterion, and the scale to use."""
    console.rule(f"Item {position + 1} of {total} · {done}/{total} done")
    console.print(Text.assemble(plain(bid, "bold"), " · ", plain(bidder or ANONYMOUS)))
    limit = "" if sub.max_pages is None else f" · at most {sub.max_pages} pages"
    console.print(
        Text.assemble(plain(sub.title, "bold"), plain(f" ({sub.id}) · weight {sub.weight}%{limit}"))
    )
    console.print(plain(sub.description, "italic"))
    table = Table(box=box.SIMPLE_HEAD, title="Scale")
    table.add_column("Score", justify="right")
    table.add_column("Label")
    table.add_column("Guidance")
    for point in scale:
        table.add_row(str(point.value), plain(point.label), plain(point.guidance))
    console.print(table)


def show_page(
    console: Console, section: Section | None, page: int, *, problem: str | None = None
) -> None:
    """One evaluated page of the quality plan's section, with a note on pages not evaluated."""
    if problem is not None:
        console.print(plain(f"The quality plan cannot be shown: {problem}", "yellow"))
        return
    if section is None:
        console.print(
            Text("The quality plan has no section for this sub-criterion.", style="yellow")
        )
        return
    pages = section.evaluated_pages
    if not pages:
        console.print(Text("The section has no pages.", style="yellow"))
        return
    turn = " · n next page · p previous page" if len(pages) > 1 else ""
    console.print(
        Panel(
            plain(pages[page]),
            title=f"Quality plan, page {section.first_page + page}",
            subtitle=f"page {page + 1} of {len(pages)} evaluated{turn}",
        )
    )
    skipped = section.over_limit
    if skipped:
        which = (
            f"page {skipped[0]} of the plan is"
            if len(skipped) == 1
            else f"pages {skipped[0]}-{skipped[-1]} of the plan are"
        )
        console.print(
            Text(
                f"The section runs over its limit of {section.max_pages} pages: {which} not "
                "evaluated and not shown.",
                style="yellow",
            )
        )


def show_current(console: Console, score: Score | None, what: str) -> None:
    """What is recorded on the item now (the walk's own kind of score only)."""
    if score is None:
        console.print(f"No {what} is recorded on this item yet.")
        return
    console.print(f"Recorded {what}: [bold]{score.score}[/] (entry {score.seq})")
    console.print(plain(score.motivation), style="dim")


def show_individual(console: Console, item: ConsensusItem, committee: Committee) -> None:
    """Every evaluator's score and motivation on one item, side by side."""
    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"{item.bid} / {item.sub_criterion} · spread {item.spread}",
        show_lines=True,
    )
    table.add_column("Evaluator")
    table.add_column("Score", justify="right")
    table.add_column("Motivation")
    for score in item.scores:
        table.add_row(_name(committee, score.by), str(score.score), plain(score.motivation))
    for person in item.missing:
        table.add_row(_name(committee, person), "—", Text("no score recorded", style="yellow"))
    console.print(table)


def show_review(console: Console, rows: Sequence[tuple[int, Score]], what: str) -> None:
    """The walk's recorded scores, numbered as the walk numbers its items."""
    if not rows:
        console.print(f"No {what} is recorded yet.")
        return
    table = Table(box=box.SIMPLE_HEAD, title=f"Recorded: {len(rows)}")
    table.add_column("#", justify="right")
    table.add_column("Bid")
    table.add_column("Sub-criterion")
    table.add_column("Score", justify="right")
    table.add_column("Motivation", overflow="ellipsis", no_wrap=True, max_width=60)
    table.add_column("Entry", justify="right")
    for number, score in rows:
        table.add_row(
            str(number),
            score.bid,
            score.sub_criterion,
            str(score.score),
            plain(score.motivation.replace("\n", " ")),
            str(score.seq),
        )
    console.print(table)


def show_keys(console: Console, keys: Sequence[tuple[str, str]]) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="Keys")
    table.add_column("Type")
    table.add_column("To")
    for key, meaning in keys:
        table.add_row(Text(key), Text(meaning))
    console.print(table)
    console.print(
        "Motivation: as many lines as needed, ending with an empty line; 'e' alone on its first "
        "line opens $EDITOR. Enter (or y) confirms and records; n discards."
    )


def show_own_scores(
    console: Console, evaluator: str, rows: Sequence[tuple[Item, Score | None]]
) -> None:
    """An evaluator's items with what they recorded: theirs to see in any phase."""
    done = sum(1 for _, score in rows if score is not None)
    table = Table(
        box=box.SIMPLE_HEAD, title=plain(f"Scores by {evaluator}: {done}/{len(rows)} done")
    )
    table.add_column("Bid")
    table.add_column("Sub-criterion")
    table.add_column("Score", justify="right")
    table.add_column("Motivation")
    table.add_column("Entry", justify="right")
    for (bid, sub), score in rows:
        if score is None:
            table.add_row(bid, sub, "—", Text("open", style="yellow"), "")
        else:
            table.add_row(bid, sub, str(score.score), plain(score.motivation), str(score.seq))
    console.print(table)


def show_history(console: Console, title: str, changes: Sequence[Change], zone: str) -> None:
    """A bid's trail, one change per block: a motivation is prose and reads best unboxed."""
    if not changes:
        console.print(plain(f"{title}: nothing recorded."))
        return
    console.print(Text.assemble(plain(title, "bold"), f" (times in {zone})"))
    for change in changes:
        console.print(
            plain(
                f"#{change.seq}  {local_time(change.at, zone)}  {change.by} "
                f"({change.account})  {change.kind} {change.subject}: "
            ),
            plain(f"{change.old or '—'} → {change.new}", "bold"),
            sep="",
        )
        console.print(plain(change.motivation), style="dim")
        if change.reason:
            console.print(plain(f"Reason: {change.reason}"))


def show_consensus_items(
    console: Console, items: Sequence[ConsensusItem], committee: Committee
) -> None:
    """Each item's individual scores side by side, widest spread first, with its consensus."""
    if not items:
        console.print("No items match.")
        return
    for item in items:
        show_individual(console, item, committee)
        if item.consensus is None:
            console.print(Text("Consensus: not recorded yet", style="yellow"))
        else:
            console.print(
                Text.assemble(
                    "Consensus: ",
                    (str(item.consensus.score), "bold"),
                    plain(f" (entry {item.consensus.seq}) by {item.consensus.by}"),
                )
            )
            console.print(plain(item.consensus.motivation), style="dim")
        console.print()
    console.print(f"{len(items)} items, widest spread first.")


def show_phase(console: Console, status: PhaseStatus, committee: Committee) -> None:
    """Where the evaluation stands: the phase, and who still has scores to record."""
    console.print(f"Phase: [bold]{status.phase}[/]")
    table = Table(box=box.SIMPLE_HEAD, title="Individual scores")
    table.add_column("Evaluator")
    table.add_column("Done", justify="right")
    table.add_column("Open", justify="right")
    for progress in status.evaluators:
        table.add_row(
            _name(committee, progress.evaluator),
            f"{progress.done}/{progress.total}",
            str(progress.total - progress.done),
        )
    console.print(table)
    console.print(f"Consensus scores: {status.consensus_done}/{status.consensus_total}")
    if status.pending_verdicts:
        listed = ", ".join(status.pending_verdicts[:10])
        more = (
            f" and {len(status.pending_verdicts) - 10} more"
            if len(status.pending_verdicts) > 10
            else ""
        )
        console.print(
            Text(
                f"Suitability verdicts still pending ({len(status.pending_verdicts)}): "
                f"{listed}{more}; they are given until the lock ('tender suitability verify').",
                style="yellow",
            )
        )


def show_record_check(console: Console, check: RecordCheck) -> None:
    """The record verified: how many entries, and the hash to keep elsewhere as proof."""
    if not check.entries:
        console.print(f"[green]✓[/] {check.file}: nothing recorded yet.")
    else:
        console.print(
            f"[green]✓[/] {check.file}: {check.entries} entries, the hash chain and the head agree."
        )
        if check.opened is not None:
            console.print(
                f"Opened {check.opened:%Y-%m-%d %H:%M} UTC: {check.frozen_files} criteria and "
                "bid files are as they were opened; every entry follows the procedure's rules."
            )
        console.print("Every entry is signed by its author's key in committee.yaml.")
        if check.sealed:
            console.print(
                f"{check.sealed} sealed individual scores were checked for their signature and "
                "place, not for what they hold: only their readers can open them (--by the "
                "chair checks them all), and every replay checks them once they are revealed."
            )
        if check.sent_files:
            console.print(f"{check.sent_files} sent files are as they were sent.")
        console.print(f"Last entry {check.entries}, hash {check.last_hash}")
        console.print(
            "Keep this hash apart from the dossier: it proves later that nothing changed."
        )
    if check.head_behind:
        console.print(
            Text(
                "The head file is one entry behind: a write was interrupted after its entry "
                "was saved; the next write brings it up to date.",
                style="yellow",
            )
        )
    if check.torn_bytes:
        console.print(
            Text(
                f"The last line is incomplete ({check.torn_bytes} bytes): a write was "
                "interrupted before it was confirmed. It is not part of the record; the next "
                "write sets it aside in ledger.torn.",
                style="yellow",
            )
        )
    if check.set_aside:
        console.print(
            Text(
                f"{check.set_aside} interrupted {'write was' if check.set_aside == 1 else 'writes were'}"
                " set aside earlier, kept in ledger.torn.",
                style="yellow",
            )
        )


def show_imported(console: Console, imported: Imported) -> None:
    console.print(
        Text.assemble(
            ("✓", "green"),
            plain(
                f" {imported.file}: {imported.recorded} recorded, "
                f"{imported.changed} changed, {imported.unchanged} unchanged, "
                f"{imported.blank} left open."
            ),
        )
    )


def local_time(moment: datetime, zone: str) -> str:
    """A recorded moment in the tender's time zone, to the second."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")


def _name(committee: Committee, evaluator: str) -> Text:
    person = committee.evaluator(evaluator)
    return plain(evaluator if person is None else f"{person.name} ({evaluator})")
