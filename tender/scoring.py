"""Scores: the rules for recording them, and the current state derived from the record.

:class:`ScoreBook` is the state (current individual scores, consensus scores,
suitability verdicts, the phase) built by replaying the ledger's entries.
:class:`Recorder` is the only way to add to it: every rule of the procedure is
checked inside the ledger's lock, against the latest record, before one entry
is appended.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import ValidationError

from tender.dossier import Dossier
from tender.errors import InputError, RecordDamagedError, RefusedError
from tender.events import (
    EVENT_ADAPTER,
    AnyEvent,
    ConsensusRecorded,
    Event,
    PhaseChanged,
    ScoreRecorded,
    VerdictRecorded,
    to_record,
)
from tender.ledger import Append, Clock, Entry, Ledger, utc_now

Phase = Literal["individual", "consensus", "locked"]
SCORES_FOLDER = "scores"

Item = tuple[str, str]
"""(bid id, sub-criterion id): one thing every evaluator scores."""


@dataclass(frozen=True)
class Score:
    """The current score on one item, by one person, as recorded."""

    by: str
    bid: str
    sub_criterion: str
    score: Decimal
    motivation: str
    at: datetime
    seq: int
    reason: str | None = None

    @property
    def item(self) -> Item:
        return (self.bid, self.sub_criterion)


@dataclass(frozen=True)
class Verdict:
    """A person's current verdict on one suitability requirement of one bid."""

    by: str
    bid: str
    requirement: str
    passed: bool
    reason: str
    at: datetime
    seq: int


@dataclass
class ScoreBook:
    """What the record says now; rebuilt by replaying entries, one at a time."""

    phase: Phase = "individual"
    individual: dict[tuple[str, str, str], Score] = field(default_factory=dict)
    consensus: dict[Item, Score] = field(default_factory=dict)
    verdicts: dict[tuple[str, str], Verdict] = field(default_factory=dict)
    applied: int = 0

    @classmethod
    def replay(cls, entries: Iterable[Entry], display: str = "scores/ledger.jsonl") -> ScoreBook:
        book = cls()
        for entry in entries:
            book.apply(entry, display)
        return book

    def apply(self, entry: Entry, display: str = "scores/ledger.jsonl") -> None:
        """Take one entry into the state."""
        event = parse_event(entry, display)
        if isinstance(event, ScoreRecorded):
            self.individual[(entry.by, event.bid, event.sub_criterion)] = _score(entry, event)
        elif isinstance(event, ConsensusRecorded):
            self.consensus[(event.bid, event.sub_criterion)] = _score(entry, event)
        elif isinstance(event, PhaseChanged):
            self.phase = event.phase
        else:
            self.verdicts[(event.bid, event.requirement)] = Verdict(
                entry.by,
                event.bid,
                event.requirement,
                event.passed,
                event.reason,
                entry.at,
                entry.seq,
            )
        self.applied += 1

    def own_scores(self, evaluator: str) -> Iterator[Score]:
        """An evaluator's own current scores: all they may see during the individual phase."""
        return (score for key, score in self.individual.items() if key[0] == evaluator)

    def scores_on(self, item: Item) -> tuple[Score, ...]:
        """Every evaluator's current score on one item (only to be shown after consensus opens)."""
        return tuple(
            score for (_, bid, sub), score in sorted(self.individual.items()) if (bid, sub) == item
        )


def parse_event(entry: Entry, display: str = "scores/ledger.jsonl") -> AnyEvent:
    try:
        return EVENT_ADAPTER.validate_python(entry.event)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RecordDamagedError(
            display, entry.line, f"entry {entry.seq} is not a valid event ({where}: {first['msg']})"
        ) from None


def _score(entry: Entry, event: ScoreRecorded | ConsensusRecorded) -> Score:
    return Score(
        entry.by,
        event.bid,
        event.sub_criterion,
        event.score,
        event.motivation,
        entry.at,
        entry.seq,
        event.reason,
    )


class Recorder:
    """Records decisions for one dossier, enforcing the procedure's rules.

    ``not_scored`` names the bids that are not scored (invalid, excluded or
    unsuitable) with the reason, as the validity and suitability stages found.
    """

    def __init__(
        self,
        dossier: Dossier,
        *,
        not_scored: Mapping[str, str] | None = None,
        clock: Clock = utc_now,
        account: str | None = None,
    ) -> None:
        self.dossier = dossier
        self.not_scored = dict(not_scored or {})
        self.ledger = Ledger(dossier.root / SCORES_FOLDER, clock=clock, account=account)
        self.book = ScoreBook()
        self._catch_up()

    def _catch_up(self) -> None:
        for entry in self.ledger.entries_since(self.book.applied):
            self.book.apply(entry, self.ledger.display)

    # --- what may be scored ----------------------------------------------------------

    def items_for(self, evaluator: str) -> tuple[Item, ...]:
        """Every item the evaluator must score: scored bids x sub-criteria, minus conflicts."""
        self._require_evaluator(evaluator)
        return tuple(
            (bid.id, sub.id)
            for bid in self.dossier.submissions
            if bid.id not in self.not_scored
            and not self.dossier.committee.is_conflicted(evaluator, bid.id)
            for sub in self.dossier.award.sub_criteria
        )

    def open_items(self, evaluator: str) -> tuple[Item, ...]:
        """The evaluator's items that have no score yet, in dossier order."""
        return tuple(
            item
            for item in self.items_for(evaluator)
            if (evaluator, *item) not in self.book.individual
        )

    def missing_count(self) -> int:
        """How many individual scores are still missing, over the whole committee."""
        return sum(len(self.open_items(person.id)) for person in self.dossier.committee.evaluators)

    # --- recording -------------------------------------------------------------------

    def record_score(
        self,
        evaluator: str,
        bid: str,
        sub_criterion: str,
        *,
        score: Decimal,
        motivation: str,
        reason: str | None = None,
    ) -> Entry:
        """Record (or change, with a reason) an evaluator's individual score on one item."""
        self._require_evaluator(evaluator)
        self._require_item(bid, sub_criterion)
        self._require_on_scale(score)
        motivation = _required_text(motivation, "a motivation", "every score needs one")
        if self.dossier.committee.is_conflicted(evaluator, bid):
            raise RefusedError(
                f"{evaluator} declared a conflict of interest with {bid} and may not score it"
            )
        if bid in self.not_scored:
            raise RefusedError(f"{bid} is not scored: {self.not_scored[bid]}")
        with self.ledger.transaction() as append:
            self._catch_up()
            self._require_phase("individual", "individual scores can no longer change")
            previous = self.book.individual.get((evaluator, bid, sub_criterion))
            reason = self._change_reason(previous, score, motivation, reason)
            event = ScoreRecorded(
                bid=bid,
                sub_criterion=sub_criterion,
                score=score,
                motivation=motivation,
                reason=reason,
            )
            return self._append(append, evaluator, event)

    def record_consensus(
        self,
        chair: str,
        bid: str,
        sub_criterion: str,
        *,
        score: Decimal,
        motivation: str,
        reason: str | None = None,
    ) -> Entry:
        """The chair records the committee's consensus score on one item."""
        self._require_chair(chair)
        self._require_item(bid, sub_criterion)
        self._require_on_scale(score)
        motivation = _required_text(motivation, "a motivation", "a consensus score needs its own")
        with self.ledger.transaction() as append:
            self._catch_up()
            self._require_phase("consensus", "consensus scores are recorded in the consensus phase")
            previous = self.book.consensus.get((bid, sub_criterion))
            reason = self._change_reason(previous, score, motivation, reason)
            event = ConsensusRecorded(
                bid=bid,
                sub_criterion=sub_criterion,
                score=score,
                motivation=motivation,
                reason=reason,
            )
            return self._append(append, chair, event)

    def change_phase(
        self, chair: str, phase: Literal["consensus", "locked"], *, force_reason: str | None = None
    ) -> Entry:
        """Open the consensus phase (refused while scores are missing, unless forced) or lock."""
        self._require_chair(chair)
        with self.ledger.transaction() as append:
            self._catch_up()
            expected: Phase = "individual" if phase == "consensus" else "consensus"
            self._require_phase(expected, f"the phase can only move from {expected} to {phase}")
            missing = self.missing_count() if phase == "consensus" else self._missing_consensus()
            reason = force_reason.strip() if force_reason else None
            if missing and not reason:
                what = "individual scores" if phase == "consensus" else "consensus scores"
                raise RefusedError(
                    f"{missing} {what} are still missing; give --force with a reason to "
                    f"move to the {phase} phase anyway"
                )
            event = PhaseChanged(phase=phase, reason=reason, missing=missing)
            return self._append(append, chair, event)

    def record_verdict(
        self, by: str, bid: str, requirement: str, *, passed: bool, reason: str
    ) -> Entry:
        """A committee member's verdict on a requirement that a person must verify."""
        self._require_evaluator(by)
        if self.dossier.submission(bid) is None:
            raise InputError(f"unknown bid '{bid}'")
        known = {req.id: req for req in self.dossier.suitability.requirements}
        target = known.get(requirement)
        if target is None:
            raise InputError(
                f"unknown requirement '{requirement}'; expected one of: {', '.join(known)}"
            )
        if not target.person:
            raise RefusedError(
                f"requirement '{requirement}' is checked by the tool, not by a person"
            )
        reason = _required_text(reason, "a reason", "every verdict needs one")
        with self.ledger.transaction() as append:
            self._catch_up()
            self._require_phase("individual", "suitability verdicts are frozen once scoring closes")
            event = VerdictRecorded(bid=bid, requirement=requirement, passed=passed, reason=reason)
            return self._append(append, by, event)

    # --- rules -----------------------------------------------------------------------

    def _append(self, append: Append, by: str, event: Event) -> Entry:
        entry = append(by, to_record(event))
        self.book.apply(entry, self.ledger.display)
        return entry

    def _missing_consensus(self) -> int:
        items = {
            (bid.id, sub.id)
            for bid in self.dossier.submissions
            if bid.id not in self.not_scored
            for sub in self.dossier.award.sub_criteria
        }
        if self.dossier.award.final_score != "consensus":
            return 0
        return len(items - set(self.book.consensus))

    def _require_evaluator(self, evaluator: str) -> None:
        if self.dossier.committee.evaluator(evaluator) is None:
            known = ", ".join(person.id for person in self.dossier.committee.evaluators)
            raise InputError(f"unknown evaluator '{evaluator}'; expected one of: {known}")

    def _require_chair(self, person: str) -> None:
        self._require_evaluator(person)
        if person != self.dossier.committee.chair:
            raise RefusedError(f"only the chair ({self.dossier.committee.chair}) may do this")

    def _require_item(self, bid: str, sub_criterion: str) -> None:
        if self.dossier.submission(bid) is None:
            raise InputError(f"unknown bid '{bid}'; expected a folder name under submissions/")
        if self.dossier.award.sub_criterion(sub_criterion) is None:
            known = ", ".join(sub.id for sub in self.dossier.award.sub_criteria)
            raise InputError(f"unknown sub-criterion '{sub_criterion}'; expected one of: {known}")

    def _require_on_scale(self, score: Decimal) -> None:
        points = self.dossier.award.scale_values
        if score not in points:
            raise InputError(
                f"{score} is not a point on the scale; expected one of: "
                f"{', '.join(str(point) for point in points)}"
            )

    def _require_phase(self, phase: Phase, why: str) -> None:
        if self.book.phase != phase:
            raise RefusedError(f"the evaluation is in the {self.book.phase} phase; {why}")

    @staticmethod
    def _change_reason(
        previous: Score | None, score: Decimal, motivation: str, reason: str | None
    ) -> str | None:
        if previous is None:
            return reason.strip() if reason and reason.strip() else None
        if previous.score == score and previous.motivation == motivation:
            raise RefusedError(
                f"{previous.bid} / {previous.sub_criterion} already has this score and motivation"
            )
        return _required_text(
            reason or "",
            "a reason",
            f"changing the recorded {previous.score} (entry {previous.seq}) needs one",
        )


def _required_text(text: str, what: str, why: str) -> str:
    stripped = text.strip()
    if not stripped:
        raise InputError(f"{what} is required: {why}")
    return stripped
