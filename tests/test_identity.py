"""Who acts: members' own keys, entries signed by them, scores sealed until consensus.

Every impersonation the committee's own members could try is refused; the record during
the individual phase holds no score or motivation anyone but its readers can read; key
files that are missing, damaged, someone else's or locked by another passphrase are named.
"""

from __future__ import annotations

import base64
import grp
import json
import os
import pwd
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from nacl.public import SealedBox

from tender.domain.keys import MemberKey, seal
from tender.io.keyfiles import KEYS_ENV, PASSPHRASE_ENV, read_key, write_key
from tender.io.loader import load_dossier
from tender.record.ledger import Ledger
from tender.record.replay import read_book
from tests.conftest import REPO_ROOT, DossierFactory, read
from tests.keys import keyring, member_key, public, write_keys
from tests.letters_fixtures import locked_small_dossier
from tests.scoring_fixtures import CHAIR, committee_files, committee_root

RunCli = Callable[..., Result]
SECRET = "UNIEKE-MOTIVERING-QX7"


def keys_only(monkeypatch: pytest.MonkeyPatch, folder: Path, *members: str) -> Path:
    """A keys folder holding only ``members``' keys, for the commands the test runs."""
    write_keys(folder, members)
    monkeypatch.setenv(KEYS_ENV, str(folder))
    return folder


def score(run_cli: RunCli, root: Path, evaluator: str, *rest: str) -> Result:
    return run_cli(
        "score", "set", "--dossier", str(root), "-e", evaluator, "bid-001", "criterion-1", *rest
    )


# --- keys ---------------------------------------------------------------------------------


def test_key_new_writes_a_private_key_only_its_owner_reads_and_prints_the_public_line(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEYS_ENV, str(tmp_path / "keys"))
    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse")
    result = run_cli("key", "new", "--evaluator", "rdemir")
    assert result.exit_code == 0, result.output
    path = tmp_path / "keys" / "rdemir.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    line = result.stdout.splitlines()[-1].strip()
    assert line.startswith("key: ed25519:")
    text = path.read_text(encoding="utf-8")
    assert "protected by a passphrase" in text
    fields = json.loads("".join(x for x in text.splitlines() if not x.startswith("#")))
    assert fields["public"] == line.removeprefix("key: ")
    assert fields["protection"] == "argon2id+xsalsa20poly1305"
    # The seed is not in the file in any readable form.
    key = read_key("rdemir", None)
    assert key.public == fields["public"]
    assert key.seed.hex() not in text
    assert base64.b64encode(key.seed).decode() not in text


def test_key_new_never_replaces_a_key(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEYS_ENV, str(tmp_path))
    assert run_cli("key", "new", "-e", "rdemir", "--example").exit_code == 0
    before = (tmp_path / "rdemir.key").read_bytes()
    again = run_cli("key", "new", "-e", "rdemir", "--example")
    assert again.exit_code == 4
    assert f"{tmp_path / 'rdemir.key'}: a key for rdemir exists already" in again.stderr
    assert (tmp_path / "rdemir.key").read_bytes() == before


def test_key_new_without_a_terminal_or_passphrase_is_refused(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEYS_ENV, str(tmp_path))
    result = run_cli("key", "new", "-e", "rdemir")
    assert result.exit_code == 4
    assert "set TENDER_PASSPHRASE" in result.stderr
    assert not (tmp_path / "rdemir.key").exists()


def test_an_example_key_is_marked_as_not_secret(tmp_path: Path) -> None:
    path = write_key(member_key("rdemir"), "", folder=tmp_path)
    assert "EXAMPLE KEY" in path.read_text(encoding="utf-8")
    assert "NOT\n# SECRET" in path.read_text(encoding="utf-8")


def test_the_example_dossier_ships_the_keys_its_committee_names() -> None:
    dossier = load_dossier(REPO_ROOT)
    for person in dossier.committee.members:
        text = (REPO_ROOT / "example-keys" / f"{person.id}.key").read_text(encoding="utf-8")
        assert "EXAMPLE KEY" in text
        assert json.loads(text[text.index("{") :])["public"] == person.key == public(person.id)


# --- impersonation ------------------------------------------------------------------------


def test_scoring_as_another_member_without_their_key_is_refused(
    make_dossier: DossierFactory, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = committee_root(make_dossier)
    folder = keys_only(monkeypatch, tmp_path / "mine", "evaluator-2")
    before = read(root, "scores/ledger.jsonl")
    result = score(run_cli, root, "evaluator-3", "8", "-m", "Als evaluator-3.")
    assert result.exit_code == 4
    assert f"{folder / 'evaluator-3.key'}: no private key for evaluator-3" in result.stderr
    assert read(root, "scores/ledger.jsonl") == before


def test_a_key_of_ones_own_cannot_pass_for_another_members(
    make_dossier: DossierFactory, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """evaluator-2 copies their own key file under evaluator-3's name."""
    root = committee_root(make_dossier)
    folder = keys_only(monkeypatch, tmp_path / "mine", "evaluator-2")
    own = (folder / "evaluator-2.key").read_text(encoding="utf-8")
    (folder / "evaluator-3.key").write_text(own, encoding="utf-8")
    result = score(run_cli, root, "evaluator-3", "8", "-m", "Als evaluator-3.")
    assert result.exit_code == 1
    assert "member: the key of 'evaluator-2', not of 'evaluator-3'" in result.stderr
    # A key made for the name, but not the one committee.yaml names, is refused as well.
    (folder / "evaluator-3.key").unlink()
    write_key(MemberKey.generate("evaluator-3"), "", folder=folder)
    result = score(run_cli, root, "evaluator-3", "8", "-m", "Als evaluator-3.")
    assert result.exit_code == 4
    assert "this key is not the one criteria/committee.yaml names for evaluator-3" in (
        result.stderr
    )


def test_only_the_chair_with_the_chairs_key_moves_the_phase(
    make_dossier: DossierFactory, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = committee_root(make_dossier)
    keys_only(monkeypatch, tmp_path / "mine", "evaluator-2")
    d = ("--dossier", str(root))
    result = run_cli("phase", "consensus", *d, "--by", CHAIR, "--force", "r")
    assert result.exit_code == 4
    assert "no private key for evaluator-1" in result.stderr
    result = run_cli("phase", "consensus", *d, "--by", "evaluator-2", "--force", "r")
    assert result.exit_code == 4
    assert "only the chair (evaluator-1) may do this" in result.stderr
    assert load_dossier(root) and read_book(load_dossier(root)).phase == "individual"


def test_the_recorded_account_comes_from_the_system_not_the_environment(
    make_dossier: DossierFactory, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = committee_root(make_dossier)
    monkeypatch.setenv("LOGNAME", "evaluator-3")
    monkeypatch.setenv("USER", "evaluator-3")
    assert score(run_cli, root, "evaluator-2", "8", "-m", "Concreet.").exit_code == 0
    last = Ledger(root / "scores").entries()[-1]
    assert last.by == "evaluator-2"
    assert last.account.split("@")[0] == pwd.getpwuid(os.getuid()).pw_name


def test_a_damaged_key_file_is_named_with_its_line(
    make_dossier: DossierFactory, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = committee_root(make_dossier)
    folder = keys_only(monkeypatch, tmp_path / "mine", "evaluator-2")
    path = folder / "evaluator-2.key"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"format"', "format", 1), encoding="utf-8")
    result = score(run_cli, root, "evaluator-2", "8", "-m", "Concreet.")
    assert result.exit_code == 1
    line = next(n for n, x in enumerate(text.splitlines(), 1) if '"format"' in x)
    assert f"{path}:{line}: not a tender key file" in result.stderr
    assert "Traceback" not in result.output


def test_a_wrong_passphrase_is_refused_and_the_right_one_opens_the_key(
    make_dossier: DossierFactory, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = committee_root(make_dossier)
    folder = tmp_path / "mine"
    write_key(member_key("evaluator-2"), "goed wachtwoord", folder=folder)
    monkeypatch.setenv(KEYS_ENV, str(folder))
    monkeypatch.setenv(PASSPHRASE_ENV, "fout")
    result = score(run_cli, root, "evaluator-2", "8", "-m", "Concreet.")
    assert result.exit_code == 4
    assert f"{folder / 'evaluator-2.key'}: the passphrase does not open this key" in result.stderr
    monkeypatch.setenv(PASSPHRASE_ENV, "goed wachtwoord")
    assert score(run_cli, root, "evaluator-2", "8", "-m", "Concreet.").exit_code == 0
    monkeypatch.delenv(PASSPHRASE_ENV)
    result = score(run_cli, root, "evaluator-2", "6", "-m", "Minder.", "--reason", "Herlezen.")
    assert result.exit_code == 4
    assert "protected by a passphrase and there is no terminal to ask it in" in result.stderr


def test_a_public_key_that_does_not_parse_is_named_with_its_line(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    files = committee_files()
    committee = str(files["criteria/committee.yaml"])
    broken = committee.replace(public("evaluator-2"), "ed25519:niet-base64")
    root = make_dossier({**files, "criteria/committee.yaml": broken})
    result = run_cli("check", "--dossier", str(root))
    assert result.exit_code == 1
    line = next(n for n, x in enumerate(broken.splitlines(), 1) if "niet-base64" in x)
    assert f"criteria/committee.yaml:{line}: evaluators[1].key: " in result.stderr
    assert "expected a public key line as 'tender key new' prints it" in result.stderr


def test_check_requires_a_key_for_every_member(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    files = committee_files()
    committee = str(files["criteria/committee.yaml"])
    lines = committee.splitlines(keepends=True)
    without = "".join(x for x in lines if public("evaluator-3") not in x)
    root = make_dossier({**files, "criteria/committee.yaml": without})
    result = run_cli("check", "--dossier", str(root))
    assert result.exit_code == 1
    assert "evaluator-3 has no public key; every member signs what they record" in result.stderr
    line = next(n for n, x in enumerate(without.splitlines(), 1) if "id: evaluator-3" in x)
    assert f"criteria/committee.yaml:{line}: evaluators[2].id: " in result.stderr


def test_check_refuses_one_key_for_two_members(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    files = committee_files()
    committee = str(files["criteria/committee.yaml"])
    shared = committee.replace(public("evaluator-3"), public("evaluator-2"))
    root = make_dossier({**files, "criteria/committee.yaml": shared})
    result = run_cli("check", "--dossier", str(root))
    assert result.exit_code == 1
    assert "evaluators[2].key: the same public key as evaluator-2's" in result.stderr


def test_the_bids_are_not_opened_while_a_member_has_no_key(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    files = committee_files()
    committee = str(files["criteria/committee.yaml"])
    without = "".join(x for x in committee.splitlines(True) if public("evaluator-3") not in x)
    root = make_dossier({**files, "criteria/committee.yaml": without})
    result = run_cli("open", "--dossier", str(root), "--by", CHAIR)
    assert result.exit_code == 1
    assert "evaluator-3 has no public key" in result.stderr
    assert not (root / "scores" / "ledger.jsonl").exists()


# --- the sealed individual phase ------------------------------------------------------------


def test_the_record_holds_no_score_or_motivation_in_the_individual_phase(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier)
    assert score(run_cli, root, "evaluator-2", "6", "-m", SECRET).exit_code == 0
    raw = (root / "scores" / "ledger.jsonl").read_bytes()
    assert SECRET.encode() not in raw
    assert b'"score"' not in raw and b'"motivation"' not in raw
    entry = Ledger(root / "scores").entries()[-1]
    assert set(entry.event) == {"kind", "bid", "sub_criterion", "commitment", "boxes"}
    assert sorted(entry.event["boxes"]) == ["evaluator-1", "evaluator-2"]
    result = run_cli(
        "phase", "consensus", "--dossier", str(root), "--by", CHAIR, "--force", "Eén plan."
    )
    assert result.exit_code == 0, result.output
    raw = (root / "scores" / "ledger.jsonl").read_bytes()
    assert SECRET.encode() in raw  # the chair's reveal: readable to the committee from now on
    kinds = [e.event["kind"] for e in Ledger(root / "scores").entries()]
    assert kinds[-2:] == ["reveal", "phase"]


def test_the_author_and_the_chair_read_another_evaluator_does_not(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier)
    assert score(run_cli, root, "evaluator-2", "6", "-m", SECRET).exit_code == 0
    d = ("--dossier", str(root))
    for viewer, sees in (("evaluator-2", True), (CHAIR, True), ("evaluator-3", False)):
        shown = run_cli("history", "bid-001", "criterion-1", *d, "-e", viewer, "--json")
        assert shown.exit_code == 0, shown.output
        assert (SECRET in shown.stdout) is sees, viewer
    own = run_cli("score", "show", *d, "-e", "evaluator-2", "--bid", "bid-001", "--json")
    assert '"score": "6"' in own.stdout
    other = run_cli("score", "show", *d, "-e", "evaluator-3", "--bid", "bid-001", "--json")
    assert '"score": null' in other.stdout and "6" not in other.stdout.split("criterion-1")[1][:40]
    # Not the command's courtesy: another member's key does not open the boxes.
    dossier = load_dossier(root)
    entry = Ledger(root / "scores").entries()[-1]
    assert member_key("evaluator-3").open(entry.event["boxes"]["evaluator-2"]) is None
    assert read_book(dossier, {"evaluator-3": member_key("evaluator-3")}).individual == {}
    opened = read_book(dossier, {CHAIR: member_key(CHAIR)}).individual
    assert opened[("evaluator-2", "bid-001", "criterion-1")].motivation == SECRET


def test_after_the_reveal_the_whole_committee_reads_every_score(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier)
    assert score(run_cli, root, "evaluator-2", "6", "-m", SECRET).exit_code == 0
    d = ("--dossier", str(root))
    assert run_cli("phase", "consensus", *d, "--by", CHAIR, "--force", "r").exit_code == 0
    shown = run_cli("history", "bid-001", "criterion-1", *d, "--json")
    assert SECRET in shown.stdout
    book = read_book(load_dossier(root))
    assert book.individual[("evaluator-2", "bid-001", "criterion-1")].motivation == SECRET
    assert not book.sealed


def test_a_secretary_who_does_not_score_reads_and_a_chair_who_does_not_score_chairs(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    files = committee_files()
    committee = str(files["criteria/committee.yaml"]).replace(
        "chair: evaluator-1\n", "chair: pjansen\nsecretary: anna\n"
    ) + (
        "officers:\n"
        f"  - {{id: pjansen, name: Pieter Jansen, key: {public('pjansen')}}}\n"
        f"  - {{id: anna, name: Anna Aalbers, key: {public('anna')}}}\n"
    )
    root = make_dossier({**files, "criteria/committee.yaml": committee})
    d = ("--dossier", str(root))
    assert run_cli("open", *d, "--by", "pjansen").exit_code == 0
    assert score(run_cli, root, "evaluator-2", "6", "-m", SECRET).exit_code == 0
    entry = Ledger(root / "scores").entries()[-1]
    assert sorted(entry.event["boxes"]) == ["anna", "evaluator-2", "pjansen"]
    shown = run_cli("history", "bid-001", *d, "-e", "anna", "--json")
    assert SECRET in shown.stdout
    refused = score(run_cli, root, "pjansen", "6", "-m", "Ik beoordeel mee.")
    assert refused.exit_code == 1
    assert "unknown evaluator 'pjansen'" in refused.stderr
    moved = run_cli("phase", "consensus", *d, "--by", "pjansen", "--force", "r")
    assert moved.exit_code == 0, moved.output


def test_sealed_boxes_are_libsodiums_own_format() -> None:
    key = member_key("rdemir")
    box = seal(b"acht", key.public)
    raw = base64.b64decode(box)
    assert SealedBox(key.signing.to_curve25519_private_key()).decrypt(raw) == b"acht"
    assert key.open(box) == b"acht"
    assert member_key("ibosman").open(box) is None


def test_a_reveal_whose_text_differs_from_what_the_author_signed_is_refused(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    """The chair cannot reveal another score than the author sealed and signed."""
    root = committee_root(make_dossier)
    assert score(run_cli, root, "evaluator-2", "6", "-m", SECRET).exit_code == 0
    sealed = Ledger(root / "scores").entries()[-1]
    text = member_key(CHAIR).open(sealed.event["boxes"][CHAIR])
    assert text is not None
    forged = text.replace(b'"score":"6"', b'"score":"10"')
    with Ledger(root / "scores", signers={CHAIR: member_key(CHAIR)}).transaction() as append:
        append(CHAIR, {"kind": "reveal", "openings": {str(sealed.seq): forged.decode()}})
    result = run_cli("verify", "--dossier", str(root))
    assert result.exit_code == 3
    assert (
        f"entry {sealed.seq + 1} (reveal by '{CHAIR}') breaks a rule of the procedure: entry "
        f"{sealed.seq} (by evaluator-2): its revealed text is not the one evaluator-2 sealed"
    ) in result.stderr


def test_consensus_does_not_open_while_a_sealed_score_is_unrevealed(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier)
    assert score(run_cli, root, "evaluator-2", "6", "-m", SECRET).exit_code == 0
    with Ledger(root / "scores", signers={CHAIR: member_key(CHAIR)}).transaction() as append:
        append(CHAIR, {"kind": "phase", "phase": "consensus", "reason": "r", "missing": 8})
    result = run_cli("verify", "--dossier", str(root))
    assert result.exit_code == 3
    assert "1 sealed individual score(s) (the first in entry 2) have not been revealed" in (
        result.stderr
    )


# --- adoption of the report -----------------------------------------------------------------


def test_members_sign_the_evaluation_report_and_it_shows_who_and_when(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = locked_small_dossier(make_dossier)
    d = ("--dossier", str(root))
    assert run_cli("report", *d).exit_code == 0
    before = read(root, "reports/evaluation-report/proces-verbaal.html")
    assert "Nog niet ondertekend door: First Evaluator, Second Evaluator, Third Evaluator" in (
        before
    )
    signed = run_cli("report", "sign", *d, "--by", "evaluator-2")
    assert signed.exit_code == 0, signed.output
    assert "1 of 3 members have signed it" in signed.stdout
    after = read(root, "reports/evaluation-report/proces-verbaal.html")
    assert "<td>Second Evaluator</td>" in after
    assert "Nog niet ondertekend door: First Evaluator, Third Evaluator." in after
    digest = Ledger(root / "scores").entries()[-1].event["digest"]
    assert digest in after and digest in before  # signing does not change what is signed
    again = run_cli("report", "sign", *d, "--by", "evaluator-2")
    assert again.exit_code == 4
    assert "evaluator-2 signed this evaluation report already" in again.stderr


def test_the_report_is_not_signed_before_the_scores_are_locked(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier)
    result = run_cli("report", "sign", "--dossier", str(root), "--by", "evaluator-2")
    assert result.exit_code != 0
    assert Ledger(root / "scores").entries()[-1].event["kind"] == "opening"


# --- who may enter scores/ and reports/ -------------------------------------------------------


def test_scores_is_created_for_its_owner_alone_by_default(
    make_dossier: DossierFactory,
) -> None:
    root = committee_root(make_dossier)
    assert stat.S_IMODE((root / "scores").stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "scores" / "ledger.jsonl").stat().st_mode) & 0o007 == 0


def test_scores_and_reports_are_shared_with_the_group_the_committee_names(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    files = committee_files()
    committee = f"group: {group}\n" + str(files["criteria/committee.yaml"])
    root = committee_root(make_dossier, {"criteria/committee.yaml": committee})
    for room in ("scores", ".tender-cache"):
        info = (root / room).stat()
        assert stat.S_IMODE(info.st_mode) == 0o2770, room
        assert info.st_gid == os.getgid()
    assert run_cli("audit", "--dossier", str(root)).exit_code == 0
    assert stat.S_IMODE((root / "reports").stat().st_mode) == 0o2770


def test_a_group_this_machine_does_not_have_is_named(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    files = committee_files()
    committee = "group: geen-groep-hier\n" + str(files["criteria/committee.yaml"])
    root = make_dossier({**files, "criteria/committee.yaml": committee})
    result = run_cli("open", "--dossier", str(root), "--by", CHAIR)
    assert result.exit_code == 5
    assert "names the group 'geen-groep-hier', which this machine does not have" in result.stderr


def test_the_keyring_of_a_dossier_holds_every_member(make_dossier: DossierFactory) -> None:
    dossier = load_dossier(committee_root(make_dossier))
    assert sorted(keyring(dossier)) == ["evaluator-1", "evaluator-2", "evaluator-3"]


def test_during_the_individual_phase_the_audit_and_phase_count_sealed_scores(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier)
    assert score(run_cli, root, "evaluator-2", "6", "-m", SECRET).exit_code == 0
    d = ("--dossier", str(root))
    audit = run_cli("audit", *d)
    assert audit.exit_code == 0, audit.output
    assert "Individual scores: 1 of 16 recorded" in audit.stdout
    assert SECRET not in read(root, "reports/audit/audit.json")
    status = run_cli("phase", *d, "--json")
    done = {row["evaluator"]: row["done"] for row in json.loads(status.stdout)["evaluators"]}
    assert done == {"evaluator-1": 0, "evaluator-2": 1, "evaluator-3": 0}


def test_after_a_reveal_interrupted_by_a_crash_no_score_changes_and_the_chair_finishes_it(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    """A kill between the chair's reveal and the phase entry: what was revealed is out."""
    root = committee_root(make_dossier)
    assert score(run_cli, root, "evaluator-2", "6", "-m", SECRET).exit_code == 0
    other = run_cli(
        "score",
        "set",
        "--dossier",
        str(root),
        "-e",
        "evaluator-3",
        "bid-001",
        "criterion-2",
        "8",
        "-m",
        "Tweede.",
    )
    assert other.exit_code == 0
    first = Ledger(root / "scores").entries()[1]
    text = member_key(CHAIR).open(first.event["boxes"][CHAIR])
    assert text is not None
    with Ledger(root / "scores", signers={CHAIR: member_key(CHAIR)}).transaction() as append:
        append(CHAIR, {"kind": "reveal", "openings": {str(first.seq): text.decode()}})
    again = score(run_cli, root, "evaluator-2", "4", "-m", "Toch minder.", "--reason", "Later.")
    assert again.exit_code == 4
    assert "the chair began revealing the individual scores (entry 4)" in again.stderr
    d = ("--dossier", str(root))
    assert run_cli("phase", "consensus", *d, "--by", CHAIR, "--force", "r").exit_code == 0
    kinds = [e.event["kind"] for e in Ledger(root / "scores").entries()]
    assert kinds == ["opening", "sealed-score", "sealed-score", "reveal", "reveal", "phase"]
    assert len(read_book(load_dossier(root)).individual) == 2
