"""Individual scores sealed until consensus: who may read them, and how a reveal is checked.

During the individual phase an evaluator's score, motivation and reason are written as
a :class:`~tender.domain.events.SealedScore`: the *sealed text* (canonical JSON of the
three and a random salt) in a sealed box for each of its readers (the author, the chair
and a secretary), and its SHA-256 as the commitment the author signs. Nobody else can
read it from the record, and the salt keeps the commitment from giving a score away to
someone who tries every scale point. When the chair opens the consensus phase, the
chair's command opens every box sealed to the chair and records the texts
(:class:`~tender.domain.events.ScoresRevealed`); every replay checks each text against
its commitment, so the revealed scores are the ones their authors signed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tender.domain.errors import InputError
from tender.domain.events import SCORE_TEXT, Motivation, ScoreValue, SealedScore
from tender.domain.keys import Keyring, Random, seal, system_random
from tender.domain.models import Committee

SALT_BYTES = 16


@dataclass(frozen=True, slots=True)
class Content:
    """What a sealed box holds, read: an individual score as its author recorded it."""

    score: Decimal
    motivation: str
    reason: str | None


class SealedText(BaseModel):
    """The sealed text's form, for the text :func:`read_sealed` cannot take as it is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    score: ScoreValue
    motivation: Motivation
    reason: str | None = None
    salt: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]


@dataclass(frozen=True, kw_only=True, slots=True)
class Sealed:
    """A sealed individual score in the record, not yet revealed."""

    by: str
    bid: str
    sub_criterion: str
    commitment: str
    boxes: dict[str, str]
    at: datetime
    seq: int
    line: int
    follows: int | None
    """The entry of the author's score on the item that this one replaces, if any."""


def sealed_text(
    score: Decimal, motivation: str, reason: str | None, *, random: Random = system_random
) -> bytes:
    """The canonical text sealed for one score, with a fresh salt."""
    fields: dict[str, str] = {"motivation": motivation, "salt": random(SALT_BYTES).hex()}
    fields["score"] = str(score)
    if reason is not None:
        fields["reason"] = reason
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal_score(
    committee: Committee,
    author: str,
    bid: str,
    sub_criterion: str,
    text: bytes,
    *,
    random: Random = system_random,
) -> SealedScore:
    """The event that records ``text`` sealed to each of the author's readers."""
    boxes = {}
    for reader in committee.readers(author):
        person = committee.member(reader)
        if person is None or person.key is None:
            raise InputError(
                f"committee.yaml names no public key for {reader}, so nothing can be sealed "
                f"for them; add the line 'tender key new --evaluator {reader}' prints"
            )
        boxes[reader] = seal(text, person.key, random=random)
    return SealedScore(
        bid=bid,
        sub_criterion=sub_criterion,
        commitment=commitment(text),
        boxes=boxes,
    )


_TEXT_FIELDS = frozenset({"motivation", "salt", "score"})
_SALT = re.compile(r"[0-9a-f]{32}")


def _plain_text(text: bytes) -> Content | None:
    """The sealed text in the form :func:`sealed_text` writes, taken as it is; else None.

    Revealing a large tender opens hundreds of thousands of texts: one that has exactly the
    fields and forms the model accepts is built without it; anything else goes through
    the model, which names the fault.
    """
    try:
        fields = json.loads(text)
    except ValueError:
        return None
    if not isinstance(fields, dict) or fields.keys() - {"reason"} != _TEXT_FIELDS:
        return None
    score, motivation, salt = fields["score"], fields["motivation"], fields["salt"]
    reason = fields.get("reason")
    if not (
        type(score) is str
        and type(motivation) is str
        and motivation
        and type(salt) is str
        and (reason is None or type(reason) is str)
        and SCORE_TEXT.fullmatch(score)
        and _SALT.fullmatch(salt)
    ):
        return None
    return Content(Decimal(score), motivation, reason)


def commitment(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


def open_with(keys: Keyring, sealed: Sealed) -> bytes | None:
    """The sealed text, when ``keys`` hold one of its readers' key and its box opens; else None."""
    for reader, box in sealed.boxes.items():
        key = keys.get(reader)
        text = key.open(box) if key is not None else None
        if text is not None:
            return text
    return None


def read_sealed(sealed: Sealed, text: bytes) -> Content:
    """The score in ``text``, refused unless it is what the author committed to."""
    if commitment(text) != sealed.commitment:
        raise InputError(
            f"its revealed text is not the one {sealed.by} sealed and signed "
            f"in entry {sealed.seq} (the commitment differs)"
        )
    plain = _plain_text(text)
    if plain is not None:
        return plain
    try:
        model = SealedText.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "text"
        raise InputError(
            f"the text sealed in entry {sealed.seq} is not a score ({where}: {first['msg']})"
        ) from None
    return Content(model.score, model.motivation, model.reason)
