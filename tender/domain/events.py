"""The kinds of decision the record holds, as typed events.

An event is what a person decided; the ledger wraps it with who, when, the
account that wrote it and the hash chain. Events are validated when written and
again when read, so a record edited by hand into something meaningless is
reported, not believed.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter

from tender.domain.models import Slug


def _decimal_text(value: object) -> object:
    """Scores are stored as text ("8", "7.5") so that JSON never turns them into floats."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            raise ValueError(f"{value!r} is not a number") from None
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value)
    raise ValueError(f"expected a number written as text, found {value!r}")


ScoreValue = Annotated[Decimal, BeforeValidator(_decimal_text)]
SCORE_TEXT = re.compile(r"-?(?:0|[1-9][0-9]{0,8})(?:\.[0-9]{1,8})?")
"""A score as the record writes it ("8", "7.5"); others are read by the models, which name faults."""
Motivation = Annotated[str, Field(min_length=1)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Outcome = Literal["invalid", "excluded", "unsuitable", "below-threshold", "provisional-award"]
"""A bid's outcome, in the order DESIGN §2 decides it."""


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BidsOpened(Event):
    """The bids were opened: the first entry of a tender's record, freezing what is decided on.

    ``files`` holds the SHA-256 of every file of ``criteria/`` and of every bid's folder;
    ``readings`` the digest of what each PDF read as (by the PDF's SHA-256), so that no
    cached or re-done reading can differ from the one the committee scored on.
    """

    kind: Literal["opening"] = "opening"
    files: dict[str, Sha256]
    readings: dict[Sha256, Sha256]


class SealedScore(Event):
    """An individual score as the record holds it during the individual phase: sealed.

    The score, motivation and reason are in ``boxes``, one sealed box for each member who
    may read them before consensus (:meth:`~tender.domain.models.Committee.readers`);
    ``commitment`` is the SHA-256 of that sealed text, so that its reveal can be checked
    by anyone against what the author signed.
    """

    kind: Literal["sealed-score"] = "sealed-score"
    bid: Slug
    sub_criterion: Slug
    commitment: Sha256
    boxes: dict[Slug, Annotated[str, Field(pattern=r"^[A-Za-z0-9+/]+={0,2}$")]]


class ScoresRevealed(Event):
    """The chair opens sealed individual scores to the committee, as consensus begins.

    ``openings`` holds the sealed text of each sealed entry, by the entry's number: the
    replay checks each against the commitment its author signed.
    """

    kind: Literal["reveal"] = "reveal"
    openings: dict[Annotated[str, Field(pattern=r"^[1-9][0-9]*$")], str]


class ReportSigned(Event):
    """A member adopts the evaluation report by signing its digest (the entry's signature)."""

    kind: Literal["report-signed"] = "report-signed"
    digest: Sha256
    """The SHA-256 of the evaluation report's PDF as it was adopted."""


class ConsensusRecorded(Event):
    """The chair's record of the score the committee agreed on, with its own motivation."""

    kind: Literal["consensus"] = "consensus"
    bid: Slug
    sub_criterion: Slug
    score: ScoreValue
    motivation: Motivation
    reason: str | None = None


class PhaseChanged(Event):
    """The chair moves the evaluation to the consensus phase, or locks the scores."""

    kind: Literal["phase"] = "phase"
    phase: Literal["consensus", "locked"]
    reason: str | None = None
    missing: int = 0
    pending: int = 0
    """Suitability verdicts still open when the chair locked anyway (with the reason)."""


class VerdictRecorded(Event):
    """A person's verdict on a suitability requirement that needs one."""

    kind: Literal["verdict"] = "verdict"
    bid: Slug
    requirement: Slug
    passed: bool
    reason: Motivation


class LettersSent(Event):
    """The provisional award letters went out: what was sent is frozen by its digests."""

    kind: Literal["letters-sent"] = "letters-sent"
    version: Annotated[int, Field(ge=1)]
    sent: date
    standstill_end: date
    digest: Sha256
    files: dict[str, Sha256]
    outcomes: dict[Slug, Outcome]
    """Each bid's outcome as the letters told it: the definitive award must say the same."""


class DecisionWithdrawn(Event):
    """The chair withdraws the provisional award decision so that it can be taken again."""

    kind: Literal["withdrawn"] = "withdrawn"
    version: Annotated[int, Field(ge=1)]
    reason: Motivation


class DefinitiveSent(Event):
    """The definitive award letters went out after the standstill period."""

    kind: Literal["definitive-sent"] = "definitive-sent"
    version: Annotated[int, Field(ge=1)]
    sent: date
    digest: Sha256
    files: dict[str, Sha256]


AnyEvent = Annotated[
    BidsOpened
    | SealedScore
    | ScoresRevealed
    | ReportSigned
    | ConsensusRecorded
    | PhaseChanged
    | VerdictRecorded
    | LettersSent
    | DecisionWithdrawn
    | DefinitiveSent,
    Field(discriminator="kind"),
]
EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


def to_record(event: Event) -> dict[str, object]:
    """The event as the ledger stores it: plain JSON types, decimals as text."""
    return event.model_dump(mode="json", exclude_none=True)
