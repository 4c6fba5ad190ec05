"""The rules of the procedure for writing to the record, and the one way to write.

:class:`Recorder` checks every rule inside the ledger's lock, against the latest
record, before it appends one entry: who may record what, in which phase, on
which bid and sub-criterion, on the scale, with a motivation, and a reason for
every change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal

from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.domain.errors import InputError, RefusedError
from tender.domain.events import (
    ConsensusRecorded,
    DecisionWithdrawn,
    DefinitiveSent,
    Event,
    LettersSent,
    PhaseChanged,
    ScoreRecorded,
    VerdictRecorded,
    to_record,
)
from tender.record.book import Dispatch, Item, Phase, Score, ScoreBook
from tender.record.ledger import Append, Clock, Entry, Ledger, utc_now


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
        self.refresh()

    def refresh(self) -> None:
        """Take in what others recorded since this recorder last looked (only the new lines)."""
        for entry in self.ledger.new_entries(after=self.book.applied):
            self.book.apply(entry, self.ledger.display)

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
            self.require_individual_phase()
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
            self.require_individual_phase()
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

    def score_event(self, evaluator: str, proposal: Proposal) -> ScoreRecorded | None:
        """The event that records a checked proposal now; None when it is recorded so already.

        Changing a recorded score needs a reason. Called inside a transaction, the
        answer holds for the latest record.
        """
        previous = self.book.individual.get((evaluator, *proposal.item))
        if _unchanged(previous, proposal.score, proposal.motivation):
            return None
        return ScoreRecorded(
            bid=proposal.bid,
            sub_criterion=proposal.sub_criterion,
            score=proposal.score,
            motivation=proposal.motivation,
            reason=self._change_reason(previous, proposal.reason),
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
            self.require_consensus_phase()
            previous = self.book.consensus.get((bid, sub_criterion))
            if _unchanged(previous, score, motivation):
                raise RefusedError(f"{bid} / {sub_criterion} already has this score and motivation")
            reason = self._change_reason(previous, reason)
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
        """Open the consensus phase (refused while scores are missing, unless forced) or lock.

        Locked scores can be reopened for consensus with a reason, as long as no
        letters based on them are in force.
        """
        self.require_chair(chair)
        with self.ledger.transaction() as append:
            self.refresh()
            self._require_nothing_sent()
            if phase == "consensus" and self.book.phase == "locked":
                why = "reopening locked scores needs one (--force REASON)"
                reopened = required_text(force_reason or "", "a reason", why)
                return self._append(append, chair, PhaseChanged(phase=phase, reason=reopened))
            expected: Phase = "individual" if phase == "consensus" else "consensus"
            self._require_phase(expected, f"the phase can only move from {expected} to {phase}")
            missing = self.missing_count() if phase == "consensus" else self._missing_consensus()
            reason = plain_text(force_reason.strip(), "a reason") if force_reason else None
            if missing and not reason:
                what = "individual scores" if phase == "consensus" else "consensus scores"
                raise RefusedError(
                    f"{missing} {what} are still missing; give --force with a reason to "
                    f"move to the {phase} phase anyway"
                )
            event = PhaseChanged(phase=phase, reason=reason, missing=missing)
            return self._append(append, chair, event)

    def record_letters_sent(
        self, chair: str, *, sent: date, standstill_end: date, digest: str, files: Mapping[str, str]
    ) -> Entry:
        """Record that the provisional award letters went out; from now on nothing may change."""
        self.require_chair(chair)
        with self.ledger.transaction() as append:
            self.refresh()
            self.require_letters_allowed(sent)
            event = LettersSent(
                version=len(self.book.dispatches) + 1,
                sent=sent,
                standstill_end=standstill_end,
                digest=digest,
                files=dict(files),
            )
            return self._append(append, chair, event)

    def require_letters_allowed(self, sent: date) -> None:
        """Refuse letters while others are in force, before the lock, or dated before the deadline."""
        self._require_nothing_sent()
        self._require_phase("locked", "letters go out once the chair has locked the scores")
        deadline_day = self.dossier.procedure.deadline_at.date()
        if sent < deadline_day:
            raise InputError(
                f"letters cannot be sent on {sent}, before the deadline {deadline_day}"
            )

    def withdraw(self, chair: str, reason: str) -> Entry:
        """Withdraw the provisional award decision in force: consensus scores may change again."""
        self.require_chair(chair)
        reason = required_text(reason, "a reason", "withdrawing a decision needs one")
        with self.ledger.transaction() as append:
            self.refresh()
            current = self._require_sent()
            if current.definitive is not None:
                raise RefusedError(
                    f"the definitive award (version {current.version}) was sent on "
                    f"{current.definitive.sent}; it cannot be withdrawn here"
                )
            event = DecisionWithdrawn(version=current.version, reason=reason)
            return self._append(append, chair, event)

    def record_definitive(
        self, chair: str, *, sent: date, digest: str, files: Mapping[str, str]
    ) -> Entry:
        """Record the definitive award letters, refused before the standstill period is over."""
        self.require_chair(chair)
        with self.ledger.transaction() as append:
            self.refresh()
            current = self.require_definitive_allowed(sent)
            event = DefinitiveSent(
                version=current.version, sent=sent, digest=digest, files=dict(files)
            )
            return self._append(append, chair, event)

    def require_definitive_allowed(self, sent: date) -> Dispatch:
        """The letters in force, if the definitive award may be sent on ``sent``; else refused."""
        current = self._require_sent()
        if current.definitive is not None:
            raise RefusedError(
                f"the definitive award letters were already sent on {current.definitive.sent}"
            )
        if sent <= current.standstill_end:
            raise RefusedError(
                f"the standstill period ends on {current.standstill_end}; the definitive "
                f"award may be sent from {current.standstill_end + timedelta(days=1)}, "
                f"not on {sent}"
            )
        return current

    def _require_nothing_sent(self) -> None:
        current = self.book.sent
        if current is not None:
            raise RefusedError(
                f"the provisional award letters (version {current.version}) were sent on "
                f"{current.sent}; their reasons are frozen. Withdraw the decision first "
                "('tender letters withdraw') to change anything"
            )

    def _require_sent(self) -> Dispatch:
        current = self.book.sent
        if current is None:
            raise RefusedError("no provisional award letters are in force ('tender letters send')")
        return current

    def record_verdict(
        self, by: str, bid: str, requirement: str, *, passed: bool, reason: str
    ) -> Entry:
        """A committee member's verdict on a requirement that a person must verify."""
        self.require_evaluator(by)
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
        reason = required_text(reason, "a reason", "every verdict needs one")
        with self.ledger.transaction() as append:
            self.refresh()
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

    def require_evaluator(self, evaluator: str) -> None:
        if self.dossier.committee.evaluator(evaluator) is None:
            known = ", ".join(person.id for person in self.dossier.committee.evaluators)
            raise InputError(f"unknown evaluator '{evaluator}'; expected one of: {known}")

    def require_chair(self, person: str) -> None:
        """Refuse anyone but the chair: phases and consensus scores are the chair's to record."""
        self.require_evaluator(person)
        if person != self.dossier.committee.chair:
            raise RefusedError(f"only the chair ({self.dossier.committee.chair}) may do this")

    def require_individual_phase(self) -> None:
        """Refuse once the chair has opened the consensus phase: individual scores are final."""
        self._require_phase("individual", "individual scores can no longer change")

    def require_consensus_phase(self) -> None:
        """Refuse consensus scores before the chair opens the phase, and after the lock."""
        self._require_phase("consensus", "consensus scores are recorded in the consensus phase")

    def check_bid(self, evaluator: str, bid: str) -> None:
        """The evaluator may score ``bid``: it exists, it is scored, and they have no conflict."""
        self.require_bid(bid)
        if self.dossier.committee.is_conflicted(evaluator, bid):
            raise RefusedError(
                f"{evaluator} declared a conflict of interest with {bid} and may not score it"
            )
        if bid in self.not_scored:
            raise RefusedError(f"{bid} is not scored: {self.not_scored[bid]}")

    def check_sub_criterion(self, sub_criterion: str) -> None:
        if self.dossier.award.sub_criterion(sub_criterion) is None:
            known = ", ".join(sub.id for sub in self.dossier.award.sub_criteria)
            raise InputError(f"unknown sub-criterion '{sub_criterion}'; expected one of: {known}")

    def on_scale(self, score: Decimal) -> Decimal:
        """The scale point equal to ``score`` (so 8.0 is recorded as 8), or refused when off it."""
        points = self.dossier.award.scale_values
        for point in points:
            if point == score:
                return point
        raise InputError(
            f"{score} is not a point on the scale; expected one of: "
            f"{', '.join(str(point) for point in points)}"
        )

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
        if self.dossier.submission(bid) is None:
            raise InputError(f"unknown bid '{bid}'; expected a folder name under submissions/")

    def _require_phase(self, phase: Phase, why: str) -> None:
        if self.book.phase != phase:
            raise RefusedError(f"the evaluation is in the {self.book.phase} phase; {why}")

    @staticmethod
    def _change_reason(previous: Score | None, reason: str | None) -> str | None:
        if previous is None:
            return plain_text(reason.strip(), "a reason") if reason and reason.strip() else None
        return required_text(
            reason or "",
            "a reason",
            f"changing the recorded {previous.score} (entry {previous.seq}) needs one",
        )


def _unchanged(previous: Score | None, score: Decimal, motivation: str) -> bool:
    return previous is not None and previous.score == score and previous.motivation == motivation


def required_text(text: str, what: str, why: str) -> str:
    """``text`` without surrounding blanks; refused when nothing is left, or when it hides characters."""
    stripped = text.strip()
    if not stripped:
        raise InputError(f"{what} is required: {why}")
    return plain_text(stripped, what)


# Control characters (other than tab and line breaks) and direction controls do not show,
# or show the text around them in another order than it is stored: what is recorded, and
# later quoted in a letter, must read as it was written.
_HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain_text(text: str, what: str) -> str:
    """``text`` as it is, or refused when it holds an invisible control character."""
    hidden = _HIDDEN.search(text)
    if hidden:
        raise InputError(
            f"{what} may not contain the invisible control character "
            f"U+{ord(hidden.group()):04X}; remove it"
        )
    return text
