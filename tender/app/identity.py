"""Who acts: the member named by ``--by`` or ``--evaluator``, proven by their own key.

A command that acts for a member unlocks that member's private key (from the keys folder,
:mod:`tender.io.keyfiles`) and holds it alone: it signs their entries and opens what was
sealed to them, and nothing else. The key must be the one ``criteria/committee.yaml``
names for the member, so a key of one's own cannot pass for another's.
"""

from __future__ import annotations

from types import MappingProxyType

from tender.domain.dossier import Dossier
from tender.domain.errors import InputError, RefusedError
from tender.domain.keys import Keyring
from tender.io.keyfiles import Passphrase, key_path, read_key


def member_keys(dossier: Dossier, member: str, ask: Passphrase | None) -> Keyring:
    """The keyring of ``member`` alone, unlocked, and checked against committee.yaml."""
    committee = dossier.committee
    person = committee.member(member)
    if person is None:
        known = ", ".join(p.id for p in committee.members)
        raise InputError(f"unknown member '{member}'; expected one of: {known}")
    if person.key is None:
        raise RefusedError(
            f"criteria/committee.yaml names no public key for {member}; nobody can act as "
            f"them until it does. {member} runs 'tender key new --evaluator {member}' and the "
            "chair adds the line it prints (before the bids are opened)"
        )
    key = read_key(member, ask)
    if key.public != person.key:
        raise RefusedError(
            f"{key_path(member)}: this key is not the one criteria/committee.yaml names for "
            f"{member}; a command acts for a member only with the key the committee recorded"
        )
    return MappingProxyType({member: key})
