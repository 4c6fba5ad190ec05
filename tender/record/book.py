"""The state the record describes: current scores, verdicts, the phase and the letters sent.

:class:`ScoreBook` is built by replaying the ledger's entries, one at a time, and
holds nothing that is not in them; :class:`~tender.record.recorder.Recorder` is the
only way to add to the record.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import ValidationError

from tender.domain.errors import RecordDamagedError
from tender.domain.events import (
    EVENT_ADAPTER,
    SCORE_TEXT,
    AnyEvent,
    BidsOpened,
    ConsensusRecorded,
    DecisionWithdrawn,
    DefinitiveSent,
    LettersSent,
    Outcome,
    PhaseChanged,
    ReportSigned,
    ScoresRevealed,
    SealedScore,
    VerdictRecorded,
)
from tender.domain.models import SLUG_PATTERN
from tender.record.ledger import Entry
from tender.record.sealing import Content, Sealed, read_sealed

Phase = Literal["individual", "consensus", "locked"]

Item = tuple[str, str]
"""(bid id, sub-criterion id): one thing every evaluator scores."""


@dataclass(frozen=True, kw_only=True, slots=True)
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


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """A person's current verdict on one suitability requirement of one bid."""

    by: str
    bid: str
    requirement: str
    passed: bool
    reason: str
    at: datetime
    seq: int


@dataclass(frozen=True, kw_only=True)
class Opening:
    """The opening of the bids: by whom, when, and the digests of what was opened."""

    by: str
    at: datetime
    seq: int
    files: Mapping[str, str]
    readings: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class Dispatch:
    """One version of the provisional award letters as sent, and what became of it."""

    version: int
    sent: date
    standstill_end: date
    digest: str
    files: Mapping[str, str]
    outcomes: Mapping[str, Outcome]
    by: str
    seq: int
    recorded: datetime
    """When the dispatch was recorded, by the clock; ``sent`` is the date the chair gave."""
    withdrawn: str | None = None
    definitive: DefinitiveSent | None = None


@dataclass(frozen=True, kw_only=True)
class Adoption:
    """A member's signature under the evaluation report: its digest, who, and when."""

    by: str
    digest: str
    at: datetime
    seq: int


@dataclass(kw_only=True)
class ScoreBook:
    """What the record says now; rebuilt by replaying entries, one at a time."""

    phase: Phase = "individual"
    opening: Opening | None = None
    individual: dict[tuple[str, str, str], Score] = field(default_factory=dict)
    """The current individual scores this replay can read: its own, or all once revealed."""
    scored: dict[tuple[str, str, str], int] = field(default_factory=dict)
    """Every current individual score by (evaluator, bid, sub-criterion), readable or sealed:
    the number of its entry. What counts for completeness."""
    sealed: dict[int, Sealed] = field(default_factory=dict)
    """The sealed individual scores not yet revealed, by entry number."""
    opened: dict[int, Score] = field(default_factory=dict)
    """Every sealed score this replay has read (its own, or revealed), by entry number."""
    revealed: Entry | None = None
    """The entry that revealed the individual scores to the committee."""
    adoptions: list[Adoption] = field(default_factory=list)
    consensus: dict[Item, Score] = field(default_factory=dict)
    verdicts: dict[tuple[str, str], Verdict] = field(default_factory=dict)
    dispatches: list[Dispatch] = field(default_factory=list)
    applied: int = 0
    last: Entry | None = None
    """The last entry applied: its number and hash fix the state the book describes."""
    described: Entry | None = None
    """The last entry that is not a signature under the evaluation report: the state the
    report describes, which its members' signatures do not change."""
    verdict_history: dict[tuple[str, str], list[Verdict]] = field(default_factory=dict, repr=False)
    """Every verdict recorded, by (bid, requirement), oldest first; the last is the current one."""
    _by_item: dict[Item, dict[str, Score]] = field(default_factory=dict, repr=False)

    @property
    def sent(self) -> Dispatch | None:
        """The letters now in force: the last version sent, unless it was withdrawn."""
        last = self.dispatches[-1] if self.dispatches else None
        return last if last is not None and last.withdrawn is None else None

    @classmethod
    def replay(cls, entries: Iterable[Entry], display: str = "scores/ledger.jsonl") -> ScoreBook:
        book = cls()
        for entry in entries:
            book.apply(entry, display)
        return book

    def apply(self, entry: Entry, display: str = "scores/ledger.jsonl") -> None:
        """Take one entry into the state (the rules are the replay's to apply: :mod:`.replay`)."""
        self.add(entry, parse_entry(entry, display))

    def add(self, entry: Entry, parsed: Score | AnyEvent) -> None:
        """Take one parsed entry into the state (a :class:`Score` is a consensus score)."""
        if isinstance(parsed, Score):
            self.consensus[parsed.item] = parsed
        elif isinstance(parsed, SealedScore):
            key = (entry.by, parsed.bid, parsed.sub_criterion)
            self.sealed[entry.seq] = Sealed(
                by=entry.by,
                bid=parsed.bid,
                sub_criterion=parsed.sub_criterion,
                commitment=parsed.commitment,
                boxes=parsed.boxes,
                at=entry.at,
                seq=entry.seq,
                line=entry.line,
                follows=self.scored.get(key),
            )
            self.scored[key] = entry.seq
            self.individual.pop(key, None)
            self._by_item.get((parsed.bid, parsed.sub_criterion), {}).pop(entry.by, None)
        elif isinstance(parsed, ScoresRevealed):
            for seq in sorted(int(number) for number in parsed.openings):
                sealed = self.sealed.pop(seq)
                self.open(sealed, read_sealed(sealed, parsed.openings[str(seq)].encode()))
            self.revealed = entry
        elif isinstance(parsed, ReportSigned):
            self.adoptions.append(
                Adoption(by=entry.by, digest=parsed.digest, at=entry.at, seq=entry.seq)
            )
        elif isinstance(parsed, BidsOpened):
            self.opening = Opening(
                by=entry.by,
                at=entry.at,
                seq=entry.seq,
                files=parsed.files,
                readings=parsed.readings,
            )
        elif isinstance(parsed, PhaseChanged):
            self.phase = parsed.phase
        elif isinstance(parsed, LettersSent):
            self.dispatches.append(
                Dispatch(
                    version=parsed.version,
                    sent=parsed.sent,
                    standstill_end=parsed.standstill_end,
                    digest=parsed.digest,
                    files=parsed.files,
                    outcomes=parsed.outcomes,
                    by=entry.by,
                    seq=entry.seq,
                    recorded=entry.at,
                )
            )
        elif isinstance(parsed, DecisionWithdrawn):
            self.dispatches[-1] = replace(self.dispatches[-1], withdrawn=parsed.reason)
            self.phase = "consensus"
        elif isinstance(parsed, DefinitiveSent):
            self.dispatches[-1] = replace(self.dispatches[-1], definitive=parsed)
        elif isinstance(parsed, VerdictRecorded):
            verdict = Verdict(
                by=entry.by,
                bid=parsed.bid,
                requirement=parsed.requirement,
                passed=parsed.passed,
                reason=parsed.reason,
                at=entry.at,
                seq=entry.seq,
            )
            self.verdicts[(parsed.bid, parsed.requirement)] = verdict
            self.verdict_history.setdefault((parsed.bid, parsed.requirement), []).append(verdict)
        self.applied += 1
        self.last = entry
        if not isinstance(parsed, ReportSigned):
            self.described = entry

    def open(self, sealed: Sealed, text: Content) -> None:
        """Read a sealed score (checked by the rules): the current one if nothing replaced it."""
        score = Score(
            by=sealed.by,
            bid=sealed.bid,
            sub_criterion=sealed.sub_criterion,
            score=text.score,
            motivation=text.motivation,
            at=sealed.at,
            seq=sealed.seq,
            reason=text.reason,
        )
        self.opened[sealed.seq] = score
        key = (sealed.by, sealed.bid, sealed.sub_criterion)
        if self.scored.get(key) == sealed.seq:
            self.individual[key] = score
            self._by_item.setdefault(score.item, {})[score.by] = score

    def own_scores(self, evaluator: str) -> Iterator[Score]:
        """An evaluator's own current scores: all they may see during the individual phase."""
        return (score for key, score in self.individual.items() if key[0] == evaluator)

    def scores_on(self, item: Item) -> tuple[Score, ...]:
        """Every evaluator's current score on one item (only to be shown after consensus opens)."""
        scores = self._by_item.get(item, {})
        return tuple(scores[evaluator] for evaluator in sorted(scores))


def parse_entry(entry: Entry, display: str = "scores/ledger.jsonl") -> Score | AnyEvent:
    """A consensus score entry as its :class:`Score`, any other entry as its event."""
    kind = entry.event.get("kind")
    if kind == "consensus":
        plain = _plain_score(entry)
        if plain is not None:
            return plain
    elif kind == "sealed-score":
        sealed = _plain_sealed(entry.event)
        if sealed is not None:
            return sealed
    event = parse_event(entry, display)
    if isinstance(event, ConsensusRecorded):
        return _score(entry, event)
    return event


def parse_event(entry: Entry, display: str = "scores/ledger.jsonl") -> AnyEvent:
    try:
        return EVENT_ADAPTER.validate_python(entry.event)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RecordDamagedError(
            display, entry.line, f"entry {entry.seq} is not a valid event ({where}: {first['msg']})"
        ) from None


_SCORE_FIELDS = frozenset({"kind", "bid", "sub_criterion", "score", "motivation"})
_SCORE_FIELDS_WITH_REASON = _SCORE_FIELDS | {"reason"}
_SCORE_VALUES: dict[str, Decimal] = {}
_SCORE_VALUES_KEPT = 1024
_SLUGS: set[str] = set()
_SLUGS_KEPT = 1 << 17


def _plain_score(entry: Entry) -> Score | None:
    """The score of a consensus entry in the form tender writes, else None.

    Replaying a record of 400,000 scores through the events' models (pydantic) costs
    more than reading it, so an entry whose fields have exactly the form the models
    accept and :func:`~tender.domain.events.to_record` writes (the fields of the event, ids as
    slugs, the score as plain decimal text, a motivation that is not empty, a reason or
    none) is taken as it is, to the same :class:`Score`. Anything else, including every
    entry the models would refuse, goes through :func:`parse_event`, which names the fault.
    Ids and evaluators are interned and equal scores share one Decimal: a large record
    holds the same few strings and values hundreds of thousands of times.
    """
    event = entry.event
    fields = event.keys()
    if fields not in (_SCORE_FIELDS, _SCORE_FIELDS_WITH_REASON):
        return None
    bid, sub, text = event["bid"], event["sub_criterion"], event["score"]
    motivation, reason = event["motivation"], event.get("reason")
    if not (
        type(bid) is str
        and type(sub) is str
        and type(text) is str
        and type(motivation) is str
        and motivation
        and (reason is None or type(reason) is str)
        and _is_slug(bid)
        and _is_slug(sub)
    ):
        return None
    value = _SCORE_VALUES.get(text)
    if value is None:
        if not SCORE_TEXT.fullmatch(text):
            return None
        value = Decimal(text)
        if len(_SCORE_VALUES) < _SCORE_VALUES_KEPT:
            _SCORE_VALUES[text] = value
    intern = sys.intern
    return Score(
        by=intern(entry.by),
        bid=intern(bid),
        sub_criterion=intern(sub),
        score=value,
        motivation=motivation,
        at=entry.at,
        seq=entry.seq,
        reason=reason,
    )


_SEALED_FIELDS = frozenset({"kind", "bid", "sub_criterion", "commitment", "boxes"})
_DIGEST = re.compile(r"[0-9a-f]{64}")
_BOX = re.compile(r"[A-Za-z0-9+/]+={0,2}")


def _plain_sealed(event: Mapping[str, object]) -> SealedScore | None:
    """A sealed score in the form tender writes, taken as it is (as :func:`_plain_score` takes
    a consensus score); anything else goes through the model, which names the fault."""
    if event.keys() != _SEALED_FIELDS:
        return None
    bid, sub, digest, boxes = (
        event["bid"],
        event["sub_criterion"],
        event["commitment"],
        event["boxes"],
    )
    if not (
        type(bid) is str
        and type(sub) is str
        and type(digest) is str
        and type(boxes) is dict
        and _is_slug(bid)
        and _is_slug(sub)
        and _DIGEST.fullmatch(digest)
        and all(
            type(reader) is str and type(box) is str and _is_slug(reader) and _BOX.fullmatch(box)
            for reader, box in boxes.items()
        )
    ):
        return None
    return SealedScore.model_construct(
        bid=sys.intern(bid), sub_criterion=sys.intern(sub), commitment=digest, boxes=boxes
    )


def _is_slug(text: str) -> bool:
    """``text`` is a safe id, as :data:`tender.domain.models.Slug` checks; the ids seen are remembered."""
    if text in _SLUGS:
        return True
    if not SLUG_PATTERN.fullmatch(text):
        return False
    if len(_SLUGS) < _SLUGS_KEPT:
        _SLUGS.add(text)
    return True


def _score(entry: Entry, event: ConsensusRecorded) -> Score:
    return Score(
        by=entry.by,
        bid=event.bid,
        sub_criterion=event.sub_criterion,
        score=event.score,
        motivation=event.motivation,
        at=entry.at,
        seq=entry.seq,
        reason=event.reason,
    )
