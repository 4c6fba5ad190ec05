"""The procedure's rules on the record: one set, for the writer and for every replay.

:class:`Rules` answers whether one entry may follow the record as it stands: who
may record it (a member; the chair for the opening, phases, consensus and letters),
on what (a bid, a sub-criterion, a requirement the dossier knows), when (the phase,
nothing but a withdrawal or the definitive award after letters went out, time never
going back nor lying ahead) and how (a scale point, a reason for every change). The
recorder asks before it writes; the replay asks again of every entry it reads, so an
entry appended by hand with a valid chain is still refused when the procedure did not
allow it. A refusal is an :class:`~tender.domain.errors.InputError` or
:class:`~tender.domain.errors.RefusedError` with the message a person is shown; the
replay wraps it with the entry's line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tender.domain.dossier import Dossier
from tender.domain.errors import InputError, RefusedError
from tender.domain.events import (
    AnyEvent,
    BidsOpened,
    DecisionWithdrawn,
    DefinitiveSent,
    LettersSent,
    PhaseChanged,
    ReportSigned,
    ScoresRevealed,
    SealedScore,
    VerdictRecorded,
)
from tender.domain.hidden import HIDDEN
from tender.domain.keys import signed_by
from tender.record.book import Dispatch, Phase, Score, ScoreBook
from tender.record.ledger import Entry
from tender.record.sealing import Content, Sealed, read_sealed

CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of this machine's clock an entry may be dated: another member's clock may run fast."""


class Rules:
    """The rules of one dossier's procedure, for the entry that would follow ``book``."""

    def __init__(self, dossier: Dossier, *, now: Callable[[], datetime]) -> None:
        self.dossier = dossier
        self.now = now
        self._zone = ZoneInfo(dossier.procedure.time_zone)
        committee = dossier.committee
        self._members = {person.id for person in committee.evaluators}
        self._people = {person.id for person in committee.members}
        self._keys = {person.id: person.key for person in committee.members if person.key}
        self._bids = {bid.id for bid in dossier.submissions}
        self._subs = {sub.id for sub in dossier.award.sub_criteria}
        self._conflicts = {(c.evaluator, c.bid) for c in committee.conflicts}
        self._scale = {point: point for point in dossier.award.scale_values}

    # --- one entry -------------------------------------------------------------------

    def signature_fault(self, entry: Entry) -> str | None:
        """What is wrong with the entry's signature, or None when its author's key made it.

        Depends on the entry and committee.yaml alone, so a replay may check entries ahead.
        """
        by = entry.by
        if by not in self._people:
            known = ", ".join(sorted(self._people))
            return f"'{by}' is not a member of the committee; expected one of: {known}"
        key = self._keys.get(by)
        if key is None:
            return (
                f"committee.yaml names no public key for {by}, so their signature cannot be checked"
            )
        if entry.signature is None:
            return "it is not signed; every entry is signed by its author's key"
        if signed_by(key, entry.signed, entry.signature):
            return None
        other = next(
            (
                member
                for member, public in self._keys.items()
                if member != by and signed_by(public, entry.signed, entry.signature)
            ),
            None,
        )
        if other is not None:
            return f"it is signed with {other}'s key, not with {by}'s"
        return (
            f"its signature is not {by}'s (committee.yaml): it was made with a key that is no "
            "member's, or the entry was changed after it was signed"
        )

    def admit(self, book: ScoreBook, by: str, at: datetime, entry: Score | AnyEvent) -> None:
        """Refuse the entry unless the procedure allows it to follow ``book``."""
        self.require_opened(book, entry)
        self.require_time(book, at)
        if isinstance(entry, Score):
            self.check_consensus(book, by, entry)
            return
        if not isinstance(entry, DecisionWithdrawn | DefinitiveSent | ReportSigned):
            self.require_nothing_sent(book)
        if isinstance(entry, SealedScore):
            self.check_sealed(book, by, entry)
        elif isinstance(entry, ScoresRevealed):
            self.check_reveal(book, by, entry)
        elif isinstance(entry, ReportSigned):
            self.check_adoption(book, by, entry)
        elif isinstance(entry, BidsOpened):
            self.check_opening(by, at)
        elif isinstance(entry, PhaseChanged):
            self.check_phase(book, by, entry)
        elif isinstance(entry, VerdictRecorded):
            self.check_verdict(book, by, entry.bid, entry.requirement)
        elif isinstance(entry, LettersSent):
            self.require_chair(by)
            self.require_letters_allowed(book, entry.sent, at)
            self._require_version(entry.version, len(book.dispatches) + 1)
        elif isinstance(entry, DecisionWithdrawn):
            self.require_chair(by)
            current = self.require_withdrawable(book)
            self._require_version(entry.version, current.version)
        elif isinstance(entry, DefinitiveSent):
            self.require_chair(by)
            current = self.require_definitive_allowed(book, entry.sent, at)
            self._require_version(entry.version, current.version)

    def check_sealed(self, book: ScoreBook, by: str, event: SealedScore) -> None:
        """A sealed individual score: by an evaluator free to score the bid, for its readers."""
        self.require_member(by)
        self.require_bid(event.bid)
        self.require_sub_criterion(event.sub_criterion)
        self.require_not_conflicted(by, event.bid)
        self.require_individual_phase(book)
        if book.revealed is not None:
            raise RefusedError(
                f"the chair began revealing the individual scores (entry {book.revealed.seq}); "
                "individual scores can no longer change"
            )
        readers = self.dossier.committee.readers(by)
        if sorted(event.boxes) != sorted(readers):
            raise RefusedError(
                f"it is sealed for {', '.join(sorted(event.boxes)) or 'nobody'}; an individual "
                f"score is sealed for its author, the chair and a secretary: {', '.join(readers)}"
            )

    def check_opened(self, sealed: Sealed, text: Content) -> None:
        """What a sealed score holds, once read: a scale point, a motivation, a reason to change."""
        required_text(text.motivation, "a motivation", "every score needs one")
        self.on_scale(text.score)
        if text.reason is not None:
            plain_text(text.reason, "a reason")
        if sealed.follows is not None and not (text.reason and text.reason.strip()):
            raise InputError(
                f"a reason is required: changing the score of entry {sealed.follows} needs one"
            )

    def check_reveal(self, book: ScoreBook, by: str, event: ScoresRevealed) -> None:
        """The chair reveals sealed scores, each the text its author committed to."""
        self.require_chair(by)
        self.require_individual_phase(book)
        for number, text in event.openings.items():
            sealed = book.sealed.get(int(number))
            if sealed is None:
                raise RefusedError(f"entry {number} is not a sealed score waiting to be revealed")
            try:
                self.check_opened(sealed, read_sealed(sealed, text.encode()))
            except (InputError, RefusedError) as broken:
                raise RefusedError(f"entry {number} (by {sealed.by}): {broken}") from None

    def check_adoption(self, book: ScoreBook, by: str, event: ReportSigned) -> None:
        """Each member signs the evaluation report once the scores are locked, once per version."""
        self.require_person(by)
        self._require_phase(
            book, "locked", "the evaluation report is adopted once scores are locked"
        )
        signed = next((a for a in book.adoptions if a.by == by and a.digest == event.digest), None)
        if signed is not None:
            raise RefusedError(
                f"{by} signed this evaluation report already (entry {signed.seq}); "
                "'tender report' writes it with every signature"
            )

    def check_consensus(self, book: ScoreBook, by: str, score: Score) -> None:
        self.require_chair(by)
        required_text(score.motivation, "a motivation", "a consensus score needs its own")
        self.require_bid(score.bid)
        self.require_sub_criterion(score.sub_criterion)
        self.on_scale(score.score)
        self.require_consensus_phase(book)
        self.change_reason(book.consensus.get(score.item), score.reason)

    def check_opening(self, by: str, at: datetime) -> None:
        self.require_chair(by)
        deadline = self.dossier.procedure.deadline_at
        if at < deadline:
            raise RefusedError(
                f"the bids cannot be opened before the deadline ({deadline:%Y-%m-%d %H:%M} "
                f"{self.dossier.procedure.time_zone}); it is {self.local(at):%Y-%m-%d %H:%M}"
            )

    def check_phase(self, book: ScoreBook, by: str, event: PhaseChanged) -> None:
        self.require_chair(by)
        if event.phase == "consensus" and book.phase == "locked":
            if not event.reason:
                raise RefusedError("reopening locked scores needs a reason (--force REASON)")
            return
        expected: Phase = "individual" if event.phase == "consensus" else "consensus"
        self._require_phase(
            book, expected, f"the phase can only move from {expected} to {event.phase}"
        )
        if (event.missing or event.pending) and not event.reason:
            raise RefusedError(
                f"moving to the {event.phase} phase with scores or verdicts still open needs a reason"
            )
        if event.phase == "consensus" and book.sealed:
            first = min(book.sealed)
            raise RefusedError(
                f"{len(book.sealed)} sealed individual score(s) (the first in entry {first}) "
                "have not been revealed; the chair reveals them as the consensus phase opens"
            )

    def check_verdict(self, book: ScoreBook, by: str, bid: str, requirement: str) -> None:
        """Verdicts are given by a member without a conflict, until the chair locks the scores."""
        self.require_person(by)
        self.require_bid(bid)
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
        if (by, bid) in self._conflicts:
            raise RefusedError(
                f"{by} declared a conflict of interest with {bid} and may not judge it"
            )
        if book.phase == "locked":
            raise RefusedError(
                "the evaluation is in the locked phase; suitability verdicts are given until the "
                "chair locks the scores"
            )

    # --- who, on what ----------------------------------------------------------------

    def require_member(self, person: str) -> None:
        if person not in self._members:
            known = ", ".join(person.id for person in self.dossier.committee.evaluators)
            raise InputError(f"unknown evaluator '{person}'; expected one of: {known}")

    def require_person(self, person: str) -> None:
        """Refuse anyone who is not a member of the committee (an evaluator or an officer)."""
        if person not in self._people:
            known = ", ".join(p.id for p in self.dossier.committee.members)
            raise InputError(f"unknown member '{person}'; expected one of: {known}")

    def require_chair(self, person: str) -> None:
        """Refuse anyone but the chair: the opening, phases, consensus and letters are the chair's."""
        self.require_person(person)
        if person != self.dossier.committee.chair:
            raise RefusedError(f"only the chair ({self.dossier.committee.chair}) may do this")

    def require_bid(self, bid: str) -> None:
        if bid not in self._bids:
            raise InputError(f"unknown bid '{bid}'; expected a folder name under submissions/")

    def require_sub_criterion(self, sub_criterion: str) -> None:
        if sub_criterion not in self._subs:
            known = ", ".join(sub.id for sub in self.dossier.award.sub_criteria)
            raise InputError(f"unknown sub-criterion '{sub_criterion}'; expected one of: {known}")

    def require_not_conflicted(self, evaluator: str, bid: str) -> None:
        if (evaluator, bid) in self._conflicts:
            raise RefusedError(
                f"{evaluator} declared a conflict of interest with {bid} and may not score it"
            )

    def on_scale(self, score: Decimal) -> Decimal:
        """The scale point equal to ``score`` (so 8.0 is recorded as 8), or refused when off it."""
        point = self._scale.get(score)
        if point is None:
            points = ", ".join(str(point) for point in self.dossier.award.scale_values)
            raise InputError(f"{score} is not a point on the scale; expected one of: {points}")
        return point

    @staticmethod
    def change_reason(previous: Score | None, reason: str | None) -> str | None:
        """The reason to record: required when a recorded score changes."""
        if previous is None:
            return plain_text(reason.strip(), "a reason") if reason and reason.strip() else None
        return required_text(
            reason or "",
            "a reason",
            f"changing the recorded {previous.score} (entry {previous.seq}) needs one",
        )

    # --- when ------------------------------------------------------------------------

    def require_opened(self, book: ScoreBook, entry: Score | AnyEvent) -> None:
        """The record starts with the opening, and holds one."""
        if isinstance(entry, BidsOpened):
            self.require_not_opened(book)
        elif book.opening is None:
            raise RefusedError(
                "the bids have not been opened; the record starts with the opening "
                "('tender open --by CHAIR')"
            )

    def require_not_opened(self, book: ScoreBook) -> None:
        if book.opening is not None:
            raise RefusedError(
                f"the bids were opened already (entry {book.opening.seq}, "
                f"{self.local(book.opening.at):%Y-%m-%d %H:%M})"
            )

    def require_time(self, book: ScoreBook, at: datetime) -> None:
        """An entry is never dated before the one before it, nor ahead of the clock."""
        last = book.last
        if last is not None and at < last.at:
            raise RefusedError(
                f"dated {self.shown(at)}, before entry {last.seq} "
                f"({self.shown(last.at)}); time never goes back in the record"
            )
        now = self.now()
        if at > now + CLOCK_SKEW:
            raise RefusedError(
                f"dated {self.shown(at)}, in the future of this machine's clock ({self.shown(now)})"
            )

    def require_individual_phase(self, book: ScoreBook) -> None:
        """Refuse once the chair has opened the consensus phase: individual scores are final."""
        self._require_phase(book, "individual", "individual scores can no longer change")

    def require_consensus_phase(self, book: ScoreBook) -> None:
        """Refuse consensus scores before the chair opens the phase, and after the lock."""
        self._require_phase(
            book, "consensus", "consensus scores are recorded in the consensus phase"
        )

    def require_nothing_sent(self, book: ScoreBook) -> None:
        current = book.sent
        if current is not None:
            raise RefusedError(
                f"the provisional award letters (version {current.version}) were sent on "
                f"{current.sent}; their reasons are frozen. Withdraw the decision first "
                "('tender letters withdraw') to change anything"
            )

    def require_sent(self, book: ScoreBook) -> Dispatch:
        current = book.sent
        if current is None:
            raise RefusedError("no provisional award letters are in force ('tender letters send')")
        return current

    def require_withdrawable(self, book: ScoreBook) -> Dispatch:
        current = self.require_sent(book)
        if current.definitive is not None:
            raise RefusedError(
                f"the definitive award (version {current.version}) was sent on "
                f"{current.definitive.sent}; it cannot be withdrawn here"
            )
        return current

    def require_letters_allowed(self, book: ScoreBook, sent: date, at: datetime) -> None:
        """Letters go out once locked, with nothing else in force, dated on a day that was."""
        self.require_nothing_sent(book)
        self._require_phase(book, "locked", "letters go out once the chair has locked the scores")
        deadline_day = self.dossier.procedure.deadline_at.date()
        if sent < deadline_day:
            raise InputError(
                f"letters cannot be sent on {sent}, before the deadline {deadline_day}"
            )
        self._require_day(book, sent, at, "letters")

    def require_definitive_allowed(self, book: ScoreBook, sent: date, at: datetime) -> Dispatch:
        """The letters in force, if the definitive award may be sent on ``sent`` at ``at``."""
        current = self.require_sent(book)
        if current.definitive is not None:
            raise RefusedError(
                f"the definitive award letters were already sent on {current.definitive.sent}"
            )
        allowed = current.standstill_end + timedelta(days=1)
        today = self.local(at).date()
        if sent <= current.standstill_end or today <= current.standstill_end:
            day = sent if sent <= current.standstill_end else today
            raise RefusedError(
                f"the standstill period ends on {current.standstill_end}; the definitive "
                f"award may be sent from {allowed}, not on {day}"
                + ("" if day == sent else " (today, by the clock)")
            )
        self._require_day(book, sent, at, "the definitive award")
        return current

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self._zone)

    def shown(self, moment: datetime) -> str:
        """A moment for a message, in local time; in UTC where local time has no year for it
        (9999-12-31 23:30 UTC is in the year 10000 in Amsterdam)."""
        try:
            return f"{self.local(moment):%Y-%m-%d %H:%M:%S}"
        except OverflowError:
            return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"

    def _require_day(self, book: ScoreBook, sent: date, at: datetime, what: str) -> None:
        today = self.local(at).date()
        if sent > today:
            raise InputError(f"{what} cannot be dated {sent}, after today ({today})")
        last = book.last
        if last is not None and sent < self.local(last.at).date():
            raise InputError(
                f"{what} cannot be dated {sent}, before the last entry of the record "
                f"(entry {last.seq}, {self.local(last.at).date()})"
            )

    def _require_phase(self, book: ScoreBook, phase: Phase, why: str) -> None:
        if book.phase != phase:
            raise RefusedError(f"the evaluation is in the {book.phase} phase; {why}")

    @staticmethod
    def _require_version(given: int, expected: int) -> None:
        if given != expected:
            raise RefusedError(
                f"names letters version {given}; the record is at version {expected}"
            )


def required_text(text: str, what: str, why: str) -> str:
    """``text`` without surrounding blanks; refused when nothing is left, or when it hides characters."""
    stripped = text.strip()
    if not stripped:
        raise InputError(f"{what} is required: {why}")
    return plain_text(stripped, what)


def plain_text(text: str, what: str) -> str:
    """``text`` as it is, or refused when it holds an invisible control character: what is
    recorded, and later quoted in a letter, must read as it was written."""
    hidden = HIDDEN.search(text)
    if hidden:
        raise InputError(
            f"{what} may not contain the invisible control character "
            f"U+{ord(hidden.group()):04X}; remove it"
        )
    return text
