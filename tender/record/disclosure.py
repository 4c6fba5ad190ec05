"""What the record shows, and to whom: history, scores side by side, progress, integrity.

The procedure's rule on seeing scores lives here, once. Until the chair opens the
consensus phase an evaluator sees only their own individual scores, so every
command that could show individual scores asks who is looking (``--evaluator``)
and shows what that person may read: their own, or, for the chair and a secretary
who prepare the consensus meeting, everyone's. That is no mere courtesy of the
commands: the record holds those scores sealed, and the command opens them with the
looking member's own key. Once consensus opens, every score is visible to the committee.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.domain.errors import RefusedError, SentFilesError
from tender.domain.events import ConsensusRecorded, SealedScore, VerdictRecorded
from tender.domain.keys import NO_KEYS, Keyring
from tender.domain.models import Committee
from tender.record.book import Item, Phase, Score, parse_event
from tender.record.ledger import GENESIS, Entry, Ledger
from tender.record.recorder import Recorder
from tender.record.replay import replay
from tender.record.sent import recorded_sets, sent_problems


def may_see(committee: Committee, phase: Phase, viewer: str | None, author: str) -> bool:
    """Whether ``viewer`` may see an individual score by ``author`` in this phase."""
    return phase != "individual" or viewer in committee.readers(author)


def require_viewer(recorder: Recorder, viewer: str | None) -> None:
    """In the individual phase, individual scores are shown only to a named evaluator."""
    if viewer is not None:
        recorder.rules.require_person(viewer)
    elif recorder.book.phase == "individual":
        raise RefusedError(
            "during the individual phase an evaluator sees only their own scores; "
            "give --evaluator ID to see yours"
        )


@dataclass(frozen=True, kw_only=True)
class Change:
    """One step in a bid's trail: who, when, what it was, what it became, and why."""

    seq: int
    at: datetime
    by: str
    account: str
    kind: str
    bid: str
    subject: str
    old: str | None
    new: str
    motivation: str
    reason: str | None


def history(
    recorder: Recorder, bid: str, sub_criterion: str | None = None, *, viewer: str | None
) -> tuple[Change, ...]:
    """Every score, consensus score and verdict recorded on ``bid``, oldest first.

    With ``sub_criterion`` only that item's scores. In the individual phase only
    the viewer's own individual scores are included; verdicts on suitability are
    not scores and are always included.
    """
    recorder.require_bid(bid)
    if sub_criterion is not None:
        recorder.check_sub_criterion(sub_criterion)
    require_viewer(recorder, viewer)
    phase = recorder.book.phase
    latest: dict[tuple[str, ...], str] = {}
    trail = []
    for entry in recorder.ledger.entries():
        change = _change(entry, recorder.book.opened, latest, recorder.ledger.display)
        if (
            change is not None
            and change.bid == bid
            and (
                sub_criterion is None
                or (change.kind != "verdict" and change.subject == sub_criterion)
            )
            and (
                change.kind != "score"
                or may_see(recorder.dossier.committee, phase, viewer, change.by)
            )
        ):
            trail.append(change)
    return tuple(trail)


def _change(
    entry: Entry,
    opened: Mapping[int, Score],
    latest: dict[tuple[str, ...], str],
    display: str,
) -> Change | None:
    """The entry as a change of a bid's trail; ``latest`` keeps each thing's last value.

    A sealed score is a change only where it was read (``opened``: the viewer's keys, or
    the reveal); to anyone else it is not there.
    """
    event = parse_event(entry, display)
    kind: str = event.kind
    key: tuple[str, ...]
    if isinstance(event, SealedScore):
        score = opened.get(entry.seq)
        if score is None:
            return None
        kind, key = "score", ("score", entry.by, event.bid, event.sub_criterion)
        subject, new, motivation, reason = (
            event.sub_criterion,
            str(score.score),
            score.motivation,
            score.reason,
        )
    elif isinstance(event, ConsensusRecorded):
        key = (event.kind, event.bid, event.sub_criterion)
        subject, new, motivation, reason = (
            event.sub_criterion,
            str(event.score),
            event.motivation,
            event.reason,
        )
    elif isinstance(event, VerdictRecorded):
        key = (event.kind, event.bid, event.requirement)
        verdict = "pass" if event.passed else "fail"
        subject, new, motivation, reason = event.requirement, verdict, event.reason, None
    else:
        return None
    old, latest[key] = latest.get(key), new
    return Change(
        seq=entry.seq,
        at=entry.at,
        by=entry.by,
        account=entry.account,
        kind=kind,
        bid=event.bid,
        subject=subject,
        old=old,
        new=new,
        motivation=motivation,
        reason=reason,
    )


@dataclass(frozen=True, kw_only=True)
class ConsensusItem:
    """One item as the committee discusses it: every individual score, and the consensus so far."""

    bid: str
    sub_criterion: str
    scores: tuple[Score, ...]
    missing: tuple[str, ...]
    spread: Decimal
    consensus: Score | None

    @property
    def item(self) -> Item:
        return (self.bid, self.sub_criterion)


def consensus_items(
    recorder: Recorder,
    *,
    bid: str | None = None,
    sub_criterion: str | None = None,
    open_only: bool = False,
) -> tuple[ConsensusItem, ...]:
    """Every scored item, widest spread between evaluators first, then in dossier order.

    Refused during the individual phase: this shows everyone's scores.
    """
    if recorder.book.phase == "individual":
        raise RefusedError(
            "individual scores are shown side by side only once the chair opens the "
            "consensus phase (tender phase consensus --by CHAIR); the evaluation is in the "
            "individual phase"
        )
    if bid is not None:
        recorder.require_bid(bid)
    if sub_criterion is not None:
        recorder.check_sub_criterion(sub_criterion)
    dossier, book = recorder.dossier, recorder.book
    found = []
    for submission in dossier.submissions:
        if submission.id in recorder.not_scored or bid not in (None, submission.id):
            continue
        evaluators = [
            person.id
            for person in dossier.committee.evaluators
            if not dossier.committee.is_conflicted(person.id, submission.id)
        ]
        for sub in dossier.award.sub_criteria:
            if sub_criterion not in (None, sub.id):
                continue
            item = (submission.id, sub.id)
            consensus = book.consensus.get(item)
            if open_only and consensus is not None:
                continue
            scores = tuple(
                book.individual[(person, *item)]
                for person in evaluators
                if (person, *item) in book.individual
            )
            values = [score.score for score in scores]
            found.append(
                ConsensusItem(
                    bid=item[0],
                    sub_criterion=item[1],
                    scores=scores,
                    missing=tuple(p for p in evaluators if (p, *item) not in book.individual),
                    spread=max(values) - min(values) if values else Decimal(0),
                    consensus=consensus,
                )
            )
    return tuple(sorted(found, key=lambda found_item: -found_item.spread))


@dataclass(frozen=True, kw_only=True)
class Progress:
    """How many of their items an evaluator has scored: a count, never the scores."""

    evaluator: str
    done: int
    total: int


@dataclass(frozen=True, kw_only=True)
class PhaseStatus:
    """Where the evaluation stands, as anyone on the committee may see it."""

    phase: Phase
    evaluators: tuple[Progress, ...]
    consensus_done: int
    consensus_total: int
    pending_verdicts: tuple[str, ...] = ()
    """Suitability verdicts still to give ("bid requirement"), until the lock."""


def phase_status(recorder: Recorder, pending_verdicts: Sequence[str] = ()) -> PhaseStatus:
    """The phase and the counts the chair needs before moving on; no score is in them."""
    dossier, book = recorder.dossier, recorder.book
    progress = []
    for person in dossier.committee.evaluators:
        items = recorder.items_for(person.id)
        done = sum(1 for item in items if (person.id, *item) in book.scored)
        progress.append(Progress(evaluator=person.id, done=done, total=len(items)))
    scored = {
        (bid.id, sub.id)
        for bid in dossier.submissions
        if bid.id not in recorder.not_scored
        for sub in dossier.award.sub_criteria
    }
    return PhaseStatus(
        phase=book.phase,
        evaluators=tuple(progress),
        consensus_done=len(scored & set(book.consensus)),
        consensus_total=len(scored),
        pending_verdicts=tuple(pending_verdicts) if book.phase != "locked" else (),
    )


@dataclass(frozen=True, kw_only=True)
class RecordCheck:
    """The record verified from its first line: what to print, and the hash to keep as proof."""

    file: str
    entries: int
    last_hash: str
    opened: datetime | None
    """When the bids were opened (the first entry), if they were."""
    frozen_files: int
    sent_files: int
    """How many sent files were checked against their digests in the record."""
    head_behind: bool
    torn_bytes: int
    set_aside: int
    sealed: int = 0
    """Sealed scores whose content this check could not read (it held no reader's key)."""


def check_record(dossier: Dossier, keys: Keyring = NO_KEYS) -> RecordCheck:
    """Verify the record from its first line; raise at the first fault.

    The chain and head, every entry under the procedure's rules, the criteria and bid
    files against the opening, and every sent file against its recorded digest. An
    interrupted last write (a torn line, or a head one entry behind) is not a fault: it
    is reported, and the next write repairs it. Sealed scores not yet revealed are checked
    for their signature and place; what they hold only with ``keys`` of a reader (the
    chair's key opens them all), and otherwise counted in ``sealed``.
    """
    ledger = Ledger(dossier.root / SCORES_FOLDER)
    entries = ledger.verify()
    book = replay(dossier, entries, ledger.display, keys)
    problems = sent_problems(dossier.root, book)
    if problems:
        raise SentFilesError(
            f"{len(problems)} differences between the letters kept as sent and what the "
            "record says was sent:",
            problems,
        )
    head = ledger.head()
    try:
        torn = ledger.torn_path.read_bytes()
    except FileNotFoundError:
        torn = b""
    return RecordCheck(
        file=ledger.display,
        entries=len(entries),
        last_hash=entries[-1].hash if entries else GENESIS,
        opened=book.opening.at if book.opening is not None else None,
        frozen_files=len(book.opening.files) if book.opening is not None else 0,
        sent_files=sum(len(files) for files in recorded_sets(book).values()),
        head_behind=bool(entries) and (head is None or head.seq < len(entries)),
        torn_bytes=ledger.torn_tail(),
        set_aside=sum(1 for line in torn.split(b"\n") if line.startswith(b"# ")),
        sealed=sum(1 for seq in book.sealed if seq not in book.opened),
    )
