"""Members' keys in tests: every member's key derives from their id, as the example's do.

The derivation is the example generator's (``scripts/example_scores.example_key``), so the
example dossier's committee and every test committee are signed for with the same keys;
``tests/test_identity.py`` holds the two to each other.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tender.domain.dossier import Dossier
from tender.domain.keys import Keyring, MemberKey, seal
from tender.io.keyfiles import write_key
from tender.record.recorder import Recorder

MEMBERS = (
    *("ibosman", "rdemir", "jvanrijn", "mhoekstra", "tkramer", "svermeulen"),
    *(f"evaluator-{number}" for number in range(1, 13)),
    *("anna", "bram", "cees", "dirk", "pjansen"),
)
"""Every member id the tests' committees use: each has a key file in the tests' keys folder."""


def member_key(member: str) -> MemberKey:
    seed = hashlib.sha256(f"tender example key:{member}".encode()).digest()
    return MemberKey.from_seed(member, seed)


def public(member: str) -> str:
    return member_key(member).public


def keyring(dossier: Dossier) -> Keyring:
    """The keys of every member of ``dossier``'s committee: a test acts as any of them."""
    return {person.id: member_key(person.id) for person in dossier.committee.members}


def write_keys(folder: Path, members: Iterable[str] = MEMBERS) -> None:
    for member in members:
        write_key(member_key(member), "", folder=folder)


_BLOCK_ROLE = re.compile(r"^(    role: [^\n#]*?)(\s*#[^\n]*)?$", re.MULTILINE)
_FLOW_MEMBER = re.compile(r"\{\s*id: ([a-z0-9-]+)([^}]*)\}")


def keyed(committee: str) -> str:
    """``committee`` (committee.yaml's text) with each member's public key added.

    Block style: a ``key:`` line after each member's ``role:`` line; flow style: a
    ``key`` field at the end of each ``{id: ...}`` member.
    """
    members = iter(re.findall(r"^  - id: ([a-z0-9-]+)", committee, re.MULTILINE))

    def block(match: re.Match[str]) -> str:
        return f"{match.group(0)}\n    key: {public(next(members))}"

    text = _BLOCK_ROLE.sub(block, committee)
    return _FLOW_MEMBER.sub(
        lambda m: (
            m.group(0)
            if "key:" in m.group(2)
            else f"{{id: {m.group(1)}{m.group(2)}, key: {public(m.group(1))}}}"
        ),
        text,
    )


def acting_recorder(dossier: Dossier, **options: Any) -> Recorder:
    """A recorder holding every member's key: a test records as any member."""
    return Recorder(dossier, keys=keyring(dossier), **options)


def sealed_event(
    by: str,
    bid: str,
    sub_criterion: str,
    score: str,
    motivation: str,
    *,
    readers: Sequence[str],
    reason: str | None = None,
) -> dict[str, Any]:
    """A sealed-score event as a forger with ``by``'s key would write it, sealed to ``readers``.

    The text is sealed as given (no rule checks it here): for tests of what the replay refuses.
    """
    fields: dict[str, str] = {"motivation": motivation, "salt": "0" * 32, "score": score}
    if reason is not None:
        fields["reason"] = reason
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return {
        "kind": "sealed-score",
        "bid": bid,
        "sub_criterion": sub_criterion,
        "commitment": hashlib.sha256(text).hexdigest(),
        "boxes": {reader: seal(text, public(reader)) for reader in dict.fromkeys((by, *readers))},
    }


def signers(*members: str) -> dict[str, MemberKey]:
    """The keys a ledger signs with for ``members`` (a forger holding them all)."""
    return {member: member_key(member) for member in members}
