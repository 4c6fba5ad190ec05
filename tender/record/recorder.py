"""The one way to write to the record, under the procedure's rules.

:class:`Recorder` checks every rule inside the ledger's lock, against the latest
record, before it appends one entry. The rules themselves are
:class:`~tender.record.rules.Rules`, the same the replay applies to every entry it
reads; the recorder adds what only a writer knows: which bids the validity and
suitability checks leave unscored, which verdicts are still open, whether a score
is unchanged, and that sent letters on disk are all known to the record.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.domain.errors import InputError, RefusedError
from tender.domain.events import (
    BidsOpened,
    ConsensusRecorded,
    DecisionWithdrawn,
    DefinitiveSent,
    Event,
    LettersSent,
    Outcome,
    PhaseChanged,
    ReportSigned,
    ScoresRevealed,
    SealedScore,
    VerdictRecorded,
    to_record,
)
from tender.domain.keys import NO_KEYS, Keyring, Random, system_random
from tender.record.book import Dispatch, Item, Score, ScoreBook, parse_entry
from tender.record.ledger import Append, Clock, Entry, Ledger
from tender.record.replay import read_own, rules_for, take_in
from tender.record.rules import plain_text, required_text
from tender.record.sealing import open_with, seal_score, sealed_text
from tender.record.sent import require_known_sets

REVEAL_BATCH = 500
"""Sealed scores revealed per entry: a reveal of a large tender is many moderate lines."""


@dataclass(frozen=True, kw_only=True)
class Proposal:
    """An individual score someone wants recorded: typed, imported or given on the command line."""

    bid: str
    sub_criterion: str
    score: Decimal
    motivation: str
    reason: str | None = None

    @property
    def item(self) -> Item:
        return (self.bid, self.sub_criterion)


class Recorder:
    """Records decisions for one dossier, enforcing the procedure's rules.

    ``not_scored`` names the bids that are not scored (invalid, excluded or
    unsuitable) with the reason, as the validity and suitability stages found.
    ``keys`` are the unlocked keys of the members who may act through this recorder (on
    the command line, the one member named by ``--by`` or ``--evaluator``): each entry is
    signed with its author's, and sealed scores open with them. Without keys the record
    can only be read.
    ``random`` draws the salts and ephemeral keys of sealed scores (the system's CSPRNG;
    the example's generator passes a seeded one to regenerate the same record).
    """

    def __init__(
        self,
        dossier: Dossier,
        *,
        keys: Keyring = NO_KEYS,
        not_scored: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        account: str | None = None,
        random: Random = system_random,
    ) -> None:
        self.dossier = dossier
        self.keys = keys
        self.not_scored = dict(not_scored or {})
        self.ledger = Ledger(
            dossier.root / SCORES_FOLDER,
            clock=clock,
            account=account,
            signers=keys,
            group=dossier.committee.group,
        )
        self._random = random
        self.rules = rules_for(dossier)
        self.book = ScoreBook()
        self.refresh()

    def refresh(self) -> None:
        """Take in what others recorded since this recorder last looked (only the new lines).

        Each entry is admitted by the rules, and once the record holds the opening the
        dossier as loaded must be the one opened.
        """
        for entry in self.ledger.new_entries(after=self.book.applied):
            take_in(
                self.book,
                self.rules,
                entry,
                self.ledger.display,
                self.keys,
                signature_fault=self.rules.signature_fault(entry),
            )

    # --- what may be scored ----------------------------------------------------------

    def items_for(self, evaluator: str) -> tuple[Item, ...]:
        """Every item the evaluator must score: scored bids x sub-criteria, minus conflicts."""
        self.require_evaluator(evaluator)
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
            item for item in self.items_for(evaluator) if (evaluator, *item) not in self.book.scored
        )

    def missing_count(self) -> int:
        """How many individual scores are still missing, over the whole committee."""
        return sum(len(self.open_items(person.id)) for person in self.dossier.committee.evaluators)

    # --- recording -------------------------------------------------------------------

    def open_bids(self, chair: str, readings: Mapping[str, str]) -> Entry:
        """Record the opening: the first entry, freezing the criteria, the bids and their readings.

        ``readings`` is the digest of every PDF's reading by its SHA-256
        (:func:`tender.bids.documents.reading_digests`).
        """
        self.require_chair(chair)
        with self.ledger.transaction() as append:
            self.refresh()
            event = BidsOpened(files=dict(self.dossier.files), readings=dict(readings))
            return self._append(append, chair, event)

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
        proposal = self.check_proposal(
            evaluator,
            Proposal(
                bid=bid,
                sub_criterion=sub_criterion,
                score=score,
                motivation=motivation,
                reason=reason,
            ),
        )
        with self.ledger.transaction() as append:
            self.refresh()
            self.rules.require_individual_phase(self.book)
            event = self.score_event(evaluator, proposal)
            if event is None:
                raise RefusedError(f"{bid} / {sub_criterion} already has this score and motivation")
            return self._append(append, evaluator, event)

    def record_scores(self, evaluator: str, proposals: Sequence[Proposal]) -> tuple[Entry, ...]:
        """Record many individual scores under one lock: all of them, or none when one is refused.

        Every proposal is checked against the latest record before the first is written;
        those identical to what is recorded are skipped. Each entry is durable as it is
        written, so a crash part-way keeps the first ones, and running the same batch again
        records the rest (the recorded ones are then identical and skipped).
        """
        checked = [self.check_proposal(evaluator, proposal) for proposal in proposals]
        seen: set[Item] = set()
        for proposal in checked:
            if proposal.item in seen:
                raise InputError(
                    f"{proposal.bid} / {proposal.sub_criterion} is given more than once"
                )
            seen.add(proposal.item)
        with self.ledger.transaction() as append:
            self.refresh()
            self.rules.require_individual_phase(self.book)
            events = [self.score_event(evaluator, proposal) for proposal in checked]
            return tuple(
                self._append(append, evaluator, event) for event in events if event is not None
            )

    def check_proposal(self, evaluator: str, proposal: Proposal) -> Proposal:
        """The proposal as it would be recorded (a scale point, a trimmed motivation), or refused.

        These checks do not depend on the record; :meth:`score_event` does the rest.
        """
        self.require_evaluator(evaluator)
        self.check_bid(evaluator, proposal.bid)
        self.check_sub_criterion(proposal.sub_criterion)
        return replace(
            proposal,
            score=self.on_scale(proposal.score),
            motivation=required_text(proposal.motivation, "a motivation", "every score needs one"),
        )

    def score_event(self, evaluator: str, proposal: Proposal) -> SealedScore | None:
        """The event that records a checked proposal now, sealed for its readers; None when it
        is recorded so already.

        Changing a recorded score needs a reason. Called inside a transaction, the
        answer holds for the latest record.
        """
        previous = self.book.individual.get((evaluator, *proposal.item))
        if _unchanged(previous, proposal.score, proposal.motivation):
            return None
        reason = self.rules.change_reason(previous, proposal.reason)
        text = sealed_text(proposal.score, proposal.motivation, reason, random=self._random)
        return seal_score(
            self.dossier.committee,
            evaluator,
            proposal.bid,
            proposal.sub_criterion,
            text,
            random=self._random,
        )

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
        self.require_chair(chair)
        self.require_bid(bid)
        self.check_sub_criterion(sub_criterion)
        score = self.on_scale(score)
        motivation = required_text(motivation, "a motivation", "a consensus score needs its own")
        with self.ledger.transaction() as append:
            self.refresh()
            self.rules.require_consensus_phase(self.book)
            previous = self.book.consensus.get((bid, sub_criterion))
            if _unchanged(previous, score, motivation):
                raise RefusedError(f"{bid} / {sub_criterion} already has this score and motivation")
            reason = self.rules.change_reason(previous, reason)
            event = ConsensusRecorded(
                bid=bid,
                sub_criterion=sub_criterion,
                score=score,
                motivation=motivation,
                reason=reason,
            )
            return self._append(append, chair, event)

    def change_phase(
        self,
        chair: str,
        phase: Literal["consensus", "locked"],
        *,
        force_reason: str | None = None,
        pending: Sequence[str] = (),
    ) -> Entry:
        """Open the consensus phase (refused while scores are missing, unless forced) or lock.

        Locking is also refused while a person-checked verdict is ``pending`` on a bid
        that is scored (verdicts are given until the lock), unless forced: after the
        lock no verdict can be recorded, and the bid could never be decided. Locked
        scores can be reopened for consensus with a reason, as long as no letters
        based on them are in force.
        """
        self.require_chair(chair)
        with self.ledger.transaction() as append:
            self.refresh()
            self.rules.require_nothing_sent(self.book)
            if phase == "consensus" and self.book.phase == "locked":
                why = "reopening locked scores needs one (--force REASON)"
                reopened = required_text(force_reason or "", "a reason", why)
                return self._append(append, chair, PhaseChanged(phase=phase, reason=reopened))
            expected = "individual" if phase == "consensus" else "consensus"
            if self.book.phase != expected:
                raise RefusedError(
                    f"the evaluation is in the {self.book.phase} phase; "
                    f"the phase can only move from {expected} to {phase}"
                )
            missing = self.missing_count() if phase == "consensus" else self._missing_consensus()
            waiting = tuple(pending) if phase == "locked" else ()
            reason = plain_text(force_reason.strip(), "a reason") if force_reason else None
            if missing and not reason:
                what = "individual scores" if phase == "consensus" else "consensus scores"
                raise RefusedError(
                    f"{missing} {what} are still missing; give --force with a reason to "
                    f"move to the {phase} phase anyway"
                )
            if waiting and not reason:
                listed = ", ".join(waiting[:5]) + (", ..." if len(waiting) > 5 else "")
                raise RefusedError(
                    f"{len(waiting)} suitability verdicts are still pending ({listed}); no "
                    "verdict can be recorded after the lock. Record them with 'tender "
                    "suitability verify', or give --force with a reason to lock anyway"
                )
            event = PhaseChanged(phase=phase, reason=reason, missing=missing, pending=len(waiting))
            if phase == "consensus":
                for reveal in self._reveals(chair):
                    self._append(append, chair, reveal)
            return self._append(append, chair, event)

    def _reveals(self, chair: str) -> Iterator[ScoresRevealed]:
        """The reveal of every sealed score, opened with the chair's key, a batch per entry."""
        self.require_key(chair)
        pending = sorted(self.book.sealed.values(), key=lambda sealed: sealed.seq)
        openings: dict[str, str] = {}
        for sealed in pending:
            text = open_with({chair: self.keys[chair]}, sealed)
            if text is None:
                raise RefusedError(
                    f"entry {sealed.seq} ({sealed.by}'s score on {sealed.bid} / "
                    f"{sealed.sub_criterion}) does not open with the chair's key; "
                    f"{sealed.by} records that score again, then the phase can move"
                )
            openings[str(sealed.seq)] = text.decode("utf-8")
            if len(openings) == REVEAL_BATCH:
                yield ScoresRevealed(openings=openings)
                openings = {}
        if openings:
            yield ScoresRevealed(openings=openings)

    def sign_report(self, member: str, digest: str) -> Entry:
        """A member adopts the evaluation report: their signature over its digest, recorded."""
        self.rules.require_person(member)
        with self.ledger.transaction() as append:
            self.refresh()
            return self._append(append, member, ReportSigned(digest=digest))

    def record_letters_sent(
        self,
        chair: str,
        *,
        sent: date,
        standstill_end: date,
        digest: str,
        files: Mapping[str, str],
        outcomes: Mapping[str, Outcome],
    ) -> Entry:
        """Record that the provisional award letters went out; from now on nothing may change."""
        self.require_chair(chair)
        with self.ledger.transaction() as append:
            self.refresh()
            event = LettersSent(
                version=len(self.book.dispatches) + 1,
                sent=sent,
                standstill_end=standstill_end,
                digest=digest,
                files=dict(files),
                outcomes=dict(outcomes),
            )
            return self._append(append, chair, event, adopting=f"sent-v{event.version}")

    def require_letters_allowed(self, sent: date) -> None:
        """Refuse letters while others are in force, before the lock, or on a day not allowed."""
        self.rules.require_letters_allowed(self.book, sent, self.ledger.now())

    def withdraw(self, chair: str, reason: str) -> Entry:
        """Withdraw the provisional award decision in force: consensus scores may change again."""
        self.require_chair(chair)
        reason = required_text(reason, "a reason", "withdrawing a decision needs one")
        with self.ledger.transaction() as append:
            self.refresh()
            current = self.rules.require_withdrawable(self.book)
            event = DecisionWithdrawn(version=current.version, reason=reason)
            return self._append(append, chair, event)

    def record_definitive(
        self, chair: str, *, sent: date, digest: str, files: Mapping[str, str]
    ) -> Entry:
        """Record the definitive award letters, refused before the standstill period is over."""
        self.require_chair(chair)
        with self.ledger.transaction() as append:
            self.refresh()
            current = self.rules.require_sent(self.book)
            event = DefinitiveSent(
                version=current.version, sent=sent, digest=digest, files=dict(files)
            )
            return self._append(append, chair, event, adopting=f"definitive-v{current.version}")

    def require_definitive_allowed(self, sent: date) -> Dispatch:
        """The letters in force, if the definitive award may be sent on ``sent``; else refused."""
        return self.rules.require_definitive_allowed(self.book, sent, self.ledger.now())

    def record_verdict(
        self, by: str, bid: str, requirement: str, *, passed: bool, reason: str
    ) -> Entry:
        """A committee member's verdict on a requirement that a person must verify."""
        self.rules.check_verdict(self.book, by, bid, requirement)
        reason = required_text(reason, "a reason", "every verdict needs one")
        with self.ledger.transaction() as append:
            self.refresh()
            event = VerdictRecorded(bid=bid, requirement=requirement, passed=passed, reason=reason)
            return self._append(append, by, event)

    # --- rules -----------------------------------------------------------------------

    def _append(
        self, append: Append, by: str, event: Event, *, adopting: str | None = None
    ) -> Entry:
        """Write ``event`` if the rules allow it now; ``adopting`` names the sent set it records."""
        self.require_key(by)
        require_known_sets(self.dossier.root, self.book, adopting=adopting)
        at = self.ledger.now()
        record = to_record(event)
        self.rules.admit(self.book, by, at, parse_entry(_unwritten(by, at, record)))
        entry = append(by, record, at=at)
        self.book.add(entry, parse_entry(entry, self.ledger.display))
        read_own(self.book, self.rules, entry, self.ledger.display, self.keys)
        return entry

    def require_key(self, member: str) -> None:
        """Refuse to act for ``member`` without their key: nobody records in another's name."""
        if member not in self.keys:
            held = ", ".join(f"{holder}'s" for holder in self.keys) or "no member's"
            raise RefusedError(
                f"recording as {member} needs {member}'s private key; this command holds {held}"
            )

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

    def require_evaluator(self, evaluator: str) -> None:
        self.rules.require_member(evaluator)

    def require_chair(self, person: str) -> None:
        """Refuse anyone but the chair: phases and consensus scores are the chair's to record."""
        self.rules.require_chair(person)

    def check_bid(self, evaluator: str, bid: str) -> None:
        """The evaluator may score ``bid``: it exists, it is scored, and they have no conflict."""
        self.rules.require_bid(bid)
        self.rules.require_not_conflicted(evaluator, bid)
        if bid in self.not_scored:
            raise RefusedError(f"{bid} is not scored: {self.not_scored[bid]}")

    def check_sub_criterion(self, sub_criterion: str) -> None:
        self.rules.require_sub_criterion(sub_criterion)

    def on_scale(self, score: Decimal) -> Decimal:
        """The scale point equal to ``score`` (so 8.0 is recorded as 8), or refused when off it."""
        return self.rules.on_scale(score)

    def parse_score(self, text: str) -> Decimal:
        """A typed score ("8", "7.5", or with a Dutch decimal comma "7,5") as its point on the scale."""
        points = ", ".join(str(point) for point in self.dossier.award.scale_values)
        if not text.strip():
            raise InputError(f"a score is required; expected one of: {points}")
        try:
            value = Decimal(text.strip().replace(",", "."))
        except InvalidOperation:
            raise InputError(f"'{text}' is not a number; expected one of: {points}") from None
        return self.on_scale(value)

    def require_bid(self, bid: str) -> None:
        self.rules.require_bid(bid)

    def require_individual_phase(self) -> None:
        """Refuse once the chair has opened the consensus phase: individual scores are final."""
        self.rules.require_individual_phase(self.book)

    def require_consensus_phase(self) -> None:
        """Refuse consensus scores before the chair opens the phase, and after the lock."""
        self.rules.require_consensus_phase(self.book)


def _unwritten(by: str, at: datetime, record: Mapping[str, object]) -> Entry:
    """The entry ``record`` would become, for the rules to judge before it is written."""
    return Entry(seq=0, at=at, by=by, account="", event=record, prev="", hash="", line=0)


def _unchanged(previous: Score | None, score: Decimal, motivation: str) -> bool:
    return previous is not None and previous.score == score and previous.motivation == motivation
