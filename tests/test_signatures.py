"""Every entry is signed by its author: the replay checks each signature at its line.

The entries below have a valid hash chain and head (appended with the ledger itself, or
re-chained by hand), so only the signature check can refuse them: ``tender verify`` and
every other reader name the line and say whose signature is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tender.domain.keys import MemberKey
from tender.record.ledger import Head, Ledger, encode_entry, encode_head
from tests.conftest import DossierFactory
from tests.helpers import refreeze
from tests.keys import member_key, public, sealed_event
from tests.scoring_fixtures import CHAIR, committee_root

RunCli = Callable[..., Result]
LEDGER = "scores/ledger.jsonl"
READERS = (("verify",), ("verify", "--by", CHAIR), ("decide",), ("phase",), ("bids",))


def sealed(by: str = "evaluator-2") -> dict[str, Any]:
    """A sound individual score by ``by``, sealed for them and the chair."""
    return sealed_event(by, "bid-001", "criterion-1", "8", "Concreet plan.", readers=(CHAIR,))


def append(root: Path, by: str, event: Mapping[str, Any], signer: MemberKey | None) -> None:
    """Append ``event`` by ``by`` with the ledger itself, signed with ``signer`` (or not at all)."""
    signers = {by: signer} if signer is not None else {}
    with Ledger(root / "scores", signers=signers).transaction() as write:
        write(by, event)


def refused_signature(result: Result, line: int, kind: str, by: str, problem: str) -> None:
    assert result.exit_code == 3, result.output
    assert result.stderr.splitlines()[0] == (
        f"error: {LEDGER}:{line}: entry {line} ({kind} by {by!r}): {problem}"
    )


@pytest.mark.parametrize(
    ("signer", "problem"),
    [
        pytest.param(
            None, "it is not signed; every entry is signed by its author's key", id="unsigned"
        ),
        pytest.param(
            MemberKey("evaluator-2", member_key("evaluator-3").signing),
            "it is signed with evaluator-3's key, not with evaluator-2's",
            id="another-members-key",
        ),
        pytest.param(
            MemberKey.generate("evaluator-2"),
            "its signature is not evaluator-2's (committee.yaml): it was made with a key that is "
            "no member's, or the entry was changed after it was signed",
            id="a-key-that-is-no-members",
        ),
    ],
)
def test_an_entry_not_signed_by_its_authors_key_is_refused_at_its_line(
    make_dossier: DossierFactory,
    run_cli: RunCli,
    signer: MemberKey | None,
    problem: str,
) -> None:
    root = committee_root(make_dossier)
    append(root, "evaluator-2", sealed(), signer)
    Ledger(root / "scores").verify()  # the chain and the head are sound
    for command in READERS:
        refused_signature(
            run_cli(*command, "--dossier", str(root)), 2, "sealed-score", "evaluator-2", problem
        )


@pytest.mark.parametrize("by", ["evaluator-9", ""], ids=["non-member", "empty-by"])
def test_an_entry_by_someone_the_committee_does_not_name_is_refused_at_its_line(
    make_dossier: DossierFactory, run_cli: RunCli, by: str
) -> None:
    """Signed with a key of their own: still nobody whose signature the committee knows."""
    root = committee_root(make_dossier)
    append(root, by, sealed(by), member_key(by))
    problem = (
        f"'{by}' is not a member of the committee; expected one of: evaluator-1, evaluator-2, "
        "evaluator-3"
    )
    for command in READERS:
        refused_signature(run_cli(*command, "--dossier", str(root)), 2, "sealed-score", by, problem)


def test_an_entry_changed_after_it_was_signed_is_refused_though_its_chain_was_redone(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    """A verdict turned from pass into fail by hand, its hash and every later one recomputed
    and the head moved: the chain is valid again, the author's signature is not."""
    root = committee_root(make_dossier)
    d = ("--dossier", str(root))
    verdict = run_cli(
        "suitability", "verify", "bid-001", "referenties", "--pass", "--reason",
        "Twee referenties.", "--by", "evaluator-2", *d,
    )  # fmt: skip
    assert verdict.exit_code == 0, verdict.output
    later = run_cli(
        "score", "set", *d, "-e", "evaluator-3", "bid-001", "criterion-1", "8", "-m", "Goed."
    )
    assert later.exit_code == 0, later.output
    assert run_cli("verify", *d).exit_code == 0

    path = root / "scores" / "ledger.jsonl"
    previous, lines = "0" * 64, []
    for raw in path.read_bytes().splitlines():
        body = json.loads(raw)
        body.pop("hash")
        if body["seq"] == 2:
            assert body["event"]["kind"] == "verdict" and body["event"]["passed"] is True
            body["event"]["passed"] = False
        body["prev"] = previous
        previous, line = encode_entry(body)  # the signature kept as it was
        lines.append(line)
    path.write_bytes(b"".join(lines))
    (root / "scores" / "ledger.head").write_text(encode_head(Head(len(lines), previous)))

    assert len(Ledger(root / "scores").verify()) == 3  # the hash chain and the head agree
    problem = (
        "its signature is not evaluator-2's (committee.yaml): it was made with a key that is "
        "no member's, or the entry was changed after it was signed"
    )
    for command in READERS:
        refused_signature(run_cli(*command, *d), 2, "verdict", "evaluator-2", problem)


def test_an_entry_by_a_member_without_a_key_in_the_committee_is_refused_at_its_line(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    """The bids opened on a committee.yaml that names no key for evaluator-3 (the record
    frozen on it): nothing evaluator-3 signs can be checked, so nothing of theirs counts."""
    root = committee_root(make_dossier)
    d = ("--dossier", str(root))
    scored = run_cli(
        "score", "set", *d, "-e", "evaluator-3", "bid-001", "criterion-1", "8", "-m", "Goed."
    )
    assert scored.exit_code == 0, scored.output
    committee = root / "criteria" / "committee.yaml"
    text = committee.read_text(encoding="utf-8")
    assert text.count(f"    key: {public('evaluator-3')}\n") == 1
    committee.write_text(text.replace(f"    key: {public('evaluator-3')}\n", ""), encoding="utf-8")
    refreeze(root)

    problem = (
        "committee.yaml names no public key for evaluator-3, so their signature cannot be checked"
    )
    for command in READERS:
        refused_signature(run_cli(*command, *d), 2, "sealed-score", "evaluator-3", problem)
