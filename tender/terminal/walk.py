"""The interactive walks: an evaluator scoring their items, the chair recording consensus.

Kept apart from click so that tests drive a walk through plain functions: ``ask``
shows a prompt and returns the line typed (raising ``EOFError`` when input
ends), ``edit`` opens an editor on a text. Every score goes through the
:class:`~tender.record.recorder.Recorder` the moment it is confirmed and is durable when
the confirmation is printed, so quitting, a closed terminal or a crash loses
nothing confirmed; the next walk starts at the first open item again.

The same keys work in both walks (see :data:`KEYS`). A number is a score; the
motivation follows over as many lines as needed and ends with an empty line, or
``e`` on its first line opens ``$EDITOR``. Changing a recorded score asks for a
reason. Each entry is confirmed with Enter (or ``y``) before it is recorded.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.console import Console

from tender.domain.errors import InputError, TenderError
from tender.record.book import Item, Score
from tender.record.disclosure import ConsensusItem, consensus_items
from tender.record.ledger import Entry
from tender.record.recorder import Recorder
from tender.terminal.scores import (
    show_current,
    show_individual,
    show_item,
    show_keys,
    show_page,
    show_review,
)

if TYPE_CHECKING:
    from tender.bids.documents import Section

Ask = Callable[[str], str]
"""Show a prompt and return the line typed; raise EOFError when input has ended."""
Edit = Callable[[str], str | None]
"""Open an editor on a text and return it as saved (None: closed without saving)."""
ReadSections = Callable[[str], Mapping[str, "Section"]]
"""Bid id -> the sections of its quality plan, by sub-criterion id."""

KEYS: tuple[tuple[str, str], ...] = (
    ("a scale point", "score this item, e.g. 8; a motivation and Enter to confirm follow"),
    ("s", "skip: leave this item open and go to the next open one"),
    ("b", "back: go to the item before this one, to see or change it"),
    ("c", "change: go to any item by its number in the review, or by 'BID SUB-CRITERION'"),
    ("r", "review: list what is recorded so far"),
    ("n / p", "next / previous page of the quality plan's section"),
    ("q", "quit: everything confirmed is saved; run the command again to resume"),
    ("?", "show these keys"),
)
MOTIVATION_HINT = "Motivation: end with an empty line; 'e' alone on the first line opens $EDITOR."


@dataclass(frozen=True, kw_only=True)
class Terminal:
    """Where a walk talks to its person: output, line input, and an editor."""

    console: Console
    ask: Ask
    edit: Edit


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What a walk did: new scores, changed scores, and how far the items are done."""

    recorded: int
    changed: int
    done: int
    total: int


class _Walk(ABC):
    """One person walking a fixed list of items, recording a score on each."""

    what = "score"

    def __init__(
        self,
        recorder: Recorder,
        person: str,
        terminal: Terminal,
        sections: ReadSections,
        items: tuple[Item, ...],
    ) -> None:
        self.recorder = recorder
        self.person = person
        self.console = terminal.console
        self.ask = terminal.ask
        self.edit = terminal.edit
        self.read_sections = sections
        self.items = items
        self.page = 0
        self.recorded = 0
        self.changed = 0
        self._sections: dict[str, Mapping[str, Section] | str] = {}

    # --- what differs between the walks ----------------------------------------------

    @abstractmethod
    def current(self, item: Item) -> Score | None:
        """What is recorded on the item now, for this walk."""

    @abstractmethod
    def record(self, item: Item, score: Decimal, motivation: str, reason: str | None) -> Entry:
        """Record a confirmed score."""

    @abstractmethod
    def show_context(self, item: Item) -> None:
        """Anything else the person needs to see before scoring the item."""

    # --- the walk --------------------------------------------------------------------

    def run(self) -> Outcome:
        total = len(self.items)
        if not total:
            self.console.print("There is nothing to score here.")
            return Outcome(recorded=0, changed=0, done=0, total=0)
        self.console.print(
            f"{total} items; {self._done()} done. Type ? for the keys; "
            f"every {self.what} is saved the moment you confirm it."
        )
        position = self._next_open(-1)
        if position is None:
            self.console.print(f"All {total} items are done.")
        shown: int | None = None
        try:
            while True:
                if position is not None and position != shown:
                    self._show(position)
                    shown = position
                answer = self.ask(self._prompt(position)).strip()
                if answer.lower() == "q":
                    break
                moved = self._answer(answer.lower(), answer, position)
                if moved != position:
                    position, shown = moved, None
                    if position is None:
                        self.console.print(f"All {total} items are done.")
        except EOFError:
            self.console.print("\nInput ended.")
        outcome = Outcome(
            recorded=self.recorded, changed=self.changed, done=self._done(), total=total
        )
        self.console.print(
            f"Stopped at {outcome.done}/{outcome.total}. Everything you confirmed is saved; "
            "run the same command to continue."
        )
        return outcome

    def _answer(self, key: str, answer: str, position: int | None) -> int | None:
        """Act on one answer at the item prompt; return the position to go to."""
        if key in ("?", "h", "help"):
            show_keys(self.console, KEYS)
        elif key == "r":
            show_review(self.console, self._review(), self.what)
        elif key in ("n", "p"):
            self._turn_page(position, 1 if key == "n" else -1)
        elif key == "b":
            return self._back(position)
        elif key == "s":
            return self._skip(position)
        elif key == "c":
            return self._go_to(position)
        elif not answer:
            self.console.print("Type a score, or ? for the keys.")
        else:
            return self._score(position, answer)
        return position

    def _prompt(self, position: int | None) -> str:
        progress = f"[{self._done()}/{len(self.items)}]"
        if position is None:
            return f"{progress} all done: r review, c change, b back, q quit > "
        points = " ".join(str(point) for point in self.recorder.dossier.award.scale_values)
        return f"{progress} score ({points}) or s b c r n p q ? > "

    def _show(self, position: int) -> None:
        self.recorder.refresh()
        bid, sub_id = self.items[position]
        dossier = self.recorder.dossier
        submission = dossier.submission(bid)
        sub = dossier.award.sub_criterion(sub_id)
        assert submission is not None and sub is not None  # items come from the dossier
        bidder = None if dossier.award.quality_plan.anonymous else submission.metadata.bidder.name
        show_item(
            self.console,
            bid=bid,
            bidder=bidder,
            sub=sub,
            scale=dossier.award.scale,
            position=position,
            total=len(self.items),
            done=self._done(),
        )
        self.page = 0
        self._show_page(position)
        self.show_context(self.items[position])
        show_current(self.console, self.current(self.items[position]), self.what)

    def _show_page(self, position: int) -> None:
        bid, sub_id = self.items[position]
        sections = self._sections_of(bid)
        if isinstance(sections, str):
            show_page(self.console, None, self.page, problem=sections)
        else:
            show_page(self.console, sections.get(sub_id), self.page)

    def _sections_of(self, bid: str) -> Mapping[str, Section] | str:
        if bid not in self._sections:
            try:
                self._sections[bid] = self.read_sections(bid)
            except TenderError as error:
                self._sections[bid] = str(error)
        return self._sections[bid]

    def _turn_page(self, position: int | None, step: int) -> None:
        if position is None:
            self.console.print("No item is shown.")
            return
        sections = self._sections_of(self.items[position][0])
        section = None if isinstance(sections, str) else sections.get(self.items[position][1])
        count = len(section.evaluated_pages) if section else 0
        if not 0 <= self.page + step < count:
            self.console.print(
                f"There is no {'next' if step > 0 else 'previous'} page "
                f"({count} evaluated {'page' if count == 1 else 'pages'})."
            )
            return
        self.page += step
        self._show_page(position)

    def _back(self, position: int | None) -> int | None:
        if position is None:
            return len(self.items) - 1
        if position == 0:
            self.console.print("This is the first item.")
            return position
        return position - 1

    def _skip(self, position: int | None) -> int | None:
        if position is None:
            self.console.print("No item is open.")
            return None
        following = self._next_open(position)
        if following is None or following == position:
            self.console.print("No other item is open.")
            return position
        return following

    def _go_to(self, position: int | None) -> int | None:
        target = self.ask("Which item? Its number in the review, or BID SUB-CRITERION > ").strip()
        parts = target.split()
        if target.isdigit() and 1 <= int(target) <= len(self.items):
            return int(target) - 1
        if len(parts) == 2 and (parts[0], parts[1]) in self.items:
            return self.items.index((parts[0], parts[1]))
        self.console.print(
            f"No item '{target}' in this walk; expected a number from 1 to {len(self.items)} "
            "or a bid id and a sub-criterion id, e.g. 'bid-001 visie'.",
            markup=False,
        )
        return position

    def _score(self, position: int | None, answer: str) -> int | None:
        if position is None:
            self.console.print("All items are done; type c to change one, or q to quit.")
            return position
        try:
            score = self.recorder.parse_score(answer)
        except InputError as error:
            self.console.print(f"{error}, or ? for the keys; nothing was recorded.", markup=False)
            return position
        item = self.items[position]
        previous = self.current(item)
        recorded = self._confirm_and_record(item, score, previous)
        if recorded is None:
            return position
        self.console.print(
            f"Recorded {score} for {item[0]} / {item[1]} (entry {recorded.seq}).", markup=False
        )
        if previous is None:
            self.recorded += 1
        else:
            self.changed += 1
        return self._next_open(position)

    def _confirm_and_record(
        self, item: Item, score: Decimal, previous: Score | None
    ) -> Entry | None:
        motivation = self._motivation(previous)
        if not motivation:
            self.console.print("No motivation: nothing was recorded. Every score needs one.")
            return None
        if previous is not None and (previous.score, previous.motivation) == (score, motivation):
            self.console.print("The same score and motivation are recorded already.")
            return None
        reason = None
        if previous is not None:
            reason = self.ask(
                f"Reason for changing the recorded {previous.score} (entry {previous.seq}) > "
            ).strip()
            if not reason:
                self.console.print("No reason: nothing was recorded. A change needs one.")
                return None
        answer = self.ask(f"Record {score} for {item[0]} / {item[1]}? [Y/n] > ").strip().lower()
        if answer not in ("", "y", "yes", "j", "ja"):
            self.console.print("Not recorded.")
            return None
        try:
            return self.record(item, score, motivation, reason)
        except InputError as error:
            self.console.print(f"{error}; nothing was recorded.", markup=False)
            return None

    def _motivation(self, previous: Score | None) -> str:
        self.console.print(MOTIVATION_HINT)
        lines: list[str] = []
        while True:
            line = self.ask("| ")
            if not lines and line.strip().lower() == "e":
                edited = self.edit(previous.motivation if previous else "")
                return (edited or "").strip()
            if not line.strip():
                return "\n".join(lines).strip()
            lines.append(line.rstrip())

    def _next_open(self, after: int) -> int | None:
        """The first open item after ``after``, wrapping round to the start; None when none is."""
        order = [*range(after + 1, len(self.items)), *range(after + 1)]
        found = next((index for index in order if self.current(self.items[index]) is None), None)
        if found is not None and after >= 0 and found < after:
            self.console.print("Back to the first open item.")
        return found

    def _done(self) -> int:
        return sum(1 for item in self.items if self.current(item) is not None)

    def _review(self) -> list[tuple[int, Score]]:
        return [
            (index, score)
            for index, item in enumerate(self.items, 1)
            if (score := self.current(item)) is not None
        ]


class ScoringWalk(_Walk):
    """An evaluator's individual scores; they see only their own."""

    def current(self, item: Item) -> Score | None:
        return self.recorder.book.individual.get((self.person, *item))

    def record(self, item: Item, score: Decimal, motivation: str, reason: str | None) -> Entry:
        return self.recorder.record_score(
            self.person, *item, score=score, motivation=motivation, reason=reason
        )

    def show_context(self, item: Item) -> None:
        """Nothing: in the individual phase an evaluator sees no one else's score."""


class ConsensusWalk(_Walk):
    """The chair's consensus scores, with every individual score and motivation on screen."""

    what = "consensus score"

    def __init__(
        self,
        recorder: Recorder,
        person: str,
        terminal: Terminal,
        sections: ReadSections,
        items: tuple[ConsensusItem, ...],
    ) -> None:
        super().__init__(recorder, person, terminal, sections, tuple(i.item for i in items))
        self.details = {i.item: i for i in items}

    def current(self, item: Item) -> Score | None:
        return self.recorder.book.consensus.get(item)

    def record(self, item: Item, score: Decimal, motivation: str, reason: str | None) -> Entry:
        return self.recorder.record_consensus(
            self.person, *item, score=score, motivation=motivation, reason=reason
        )

    def show_context(self, item: Item) -> None:
        show_individual(self.console, self.details[item], self.recorder.dossier.committee)


def score_walk(
    recorder: Recorder,
    evaluator: str,
    terminal: Terminal,
    *,
    sections: ReadSections,
    bid: str | None = None,
    sub_criterion: str | None = None,
) -> Outcome:
    """Walk the evaluator's items (optionally one bid's or one sub-criterion's) and score them.

    The items leave out declared conflicts and bids that are not scored; the
    walk starts at the first open one.
    """
    recorder.require_individual_phase()
    items = recorder.items_for(evaluator)
    if bid is not None:
        recorder.check_bid(evaluator, bid)
    if sub_criterion is not None:
        recorder.check_sub_criterion(sub_criterion)
    chosen = tuple(
        item for item in items if bid in (None, item[0]) and sub_criterion in (None, item[1])
    )
    return ScoringWalk(recorder, evaluator, terminal, sections, chosen).run()


def consensus_walk(
    recorder: Recorder,
    chair: str,
    terminal: Terminal,
    *,
    sections: ReadSections,
    bid: str | None = None,
    sub_criterion: str | None = None,
) -> Outcome:
    """Walk the scored items, widest spread first, and record the committee's consensus."""
    recorder.require_chair(chair)
    recorder.require_consensus_phase()
    items = consensus_items(recorder, bid=bid, sub_criterion=sub_criterion)
    return ConsensusWalk(recorder, chair, terminal, sections, items).run()
