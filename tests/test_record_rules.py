"""The record binds the decision: the procedure's rules on every replay, inputs frozen at the
opening, sent letters checked, dates from the clock, and no dead end between verdicts and phases.

Forged entries are appended with the ledger itself, so their chain and head are valid: only
the rules can refuse them.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tender.award.decisions import Decision
from tender.award.evaluation import Evaluation
from tender.bids.documents import extract_files, reading_digest
from tender.domain.errors import FrozenInputError
from tender.io.loader import load_dossier
from tender.io.pdfcache import PdfCache
from tender.io.pdfparse import PdfContent, PdfProblem
from tender.record.ledger import Ledger
from tender.record.recorder import Recorder
from tender.record.replay import read_book
from tests.conftest import MINIMAL_PDF, TODAY, VALID_BID, DossierFactory, SetClock
from tests.keys import acting_recorder, member_key, sealed_event, signers
from tests.letters_fixtures import locked_small_dossier
from tests.scoring_fixtures import CHAIR, committee_root, score_all

RunCli = Callable[..., Result]
LEDGER = "scores/ledger.jsonl"


def forge(root: Path, *entries: tuple[str, Mapping[str, Any], datetime]) -> None:
    """Append entries with the ledger itself, each signed with its author's key: a valid
    chain, head and signatures, whatever the rules say."""
    authors = dict.fromkeys(by for by, _, _ in entries)
    with Ledger(root / "scores", signers=signers(*authors)).transaction() as append:
        for by, event, at in entries:
            append(by, event, at=at)


def score(
    bid: str = "bid-001",
    sub: str = "criterion-1",
    value: str = "8",
    *,
    by: str = "evaluator-2",
    motivation: str = "m",
    reason: str | None = None,
    readers: tuple[str, ...] = (CHAIR,),
) -> dict[str, Any]:
    """An individual score as ``by`` would forge it: sealed for them and the chair."""
    return sealed_event(by, bid, sub, value, motivation, readers=readers, reason=reason)


def consensus(bid: str = "bid-001", sub: str = "criterion-1", value: str = "8") -> dict[str, str]:
    return {
        "kind": "consensus",
        "bid": bid,
        "sub_criterion": sub,
        "score": value,
        "motivation": "m",
    }


def reveal(root: Path, *numbers: int) -> dict[str, Any]:
    """The chair's reveal of the sealed scores of entries ``numbers``, opened with the chair's key."""
    entries = {entry.seq: entry for entry in Ledger(root / "scores").entries()}
    openings = {}
    for number in numbers:
        text = member_key(CHAIR).open(entries[number].event["boxes"][CHAIR])
        assert text is not None, number
        openings[str(number)] = text.decode()
    return {"kind": "reveal", "openings": openings}


def refused_line(result: Result, line: int, rule: str) -> None:
    assert result.exit_code == 3, result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {LEDGER}:{line}: entry {line} ("), first
    assert "breaks a rule of the procedure: " in first
    assert first.endswith(rule), first


FORGERIES: list[tuple[str, list[tuple[str, dict[str, Any]]], int, str]] = [
    (
        "unknown-bid",
        [("evaluator-2", score(bid="bid-999"))],
        2,
        "unknown bid 'bid-999'; expected a folder name under submissions/",
    ),
    (
        "unknown-sub-criterion",
        [("evaluator-2", score(sub="criterion-9"))],
        2,
        "unknown sub-criterion 'criterion-9'; expected one of: criterion-1, criterion-2",
    ),
    (
        "sealed-for-others-than-its-readers",
        [("evaluator-2", score(readers=("evaluator-3",)))],
        2,
        "it is sealed for evaluator-2, evaluator-3; an individual score is sealed for its "
        "author, the chair and a secretary: evaluator-2, evaluator-1",
    ),
    (
        "consensus-in-the-individual-phase",
        [(CHAIR, consensus())],
        2,
        "the evaluation is in the individual phase; consensus scores are recorded in the "
        "consensus phase",
    ),
    (
        "consensus-by-a-member",
        [
            (CHAIR, {"kind": "phase", "phase": "consensus", "reason": "r", "missing": 16}),
            ("evaluator-2", consensus()),
        ],
        3,
        "only the chair (evaluator-1) may do this",
    ),
    (
        "phase-by-a-member",
        [("evaluator-2", {"kind": "phase", "phase": "consensus"})],
        2,
        "only the chair (evaluator-1) may do this",
    ),
    (
        "lock-from-individual",
        [(CHAIR, {"kind": "phase", "phase": "locked"})],
        2,
        "the evaluation is in the individual phase; the phase can only move from consensus to locked",
    ),
    (
        "phase-with-scores-missing-and-no-reason",
        [(CHAIR, {"kind": "phase", "phase": "consensus", "missing": 16})],
        2,
        "moving to the consensus phase with scores or verdicts still open needs a reason",
    ),
    (
        "conflicted",
        [("evaluator-3", score(bid="bid-002", by="evaluator-3"))],
        2,
        "evaluator-3 declared a conflict of interest with bid-002 and may not score it",
    ),
    (
        "score-after-consensus-opens",
        [
            (CHAIR, {"kind": "phase", "phase": "consensus", "reason": "r", "missing": 16}),
            ("evaluator-2", score()),
        ],
        3,
        "the evaluation is in the consensus phase; individual scores can no longer change",
    ),
    (
        "second-opening",
        [(CHAIR, {"kind": "opening", "files": {}, "readings": {}})],
        2,
        "the bids were opened already (entry 1, 2026-12-01 12:00)",
    ),
    (
        "verdict-on-a-tool-check",
        [
            (
                "evaluator-2",
                {
                    "kind": "verdict",
                    "bid": "bid-001",
                    "requirement": "omzet",
                    "passed": True,
                    "reason": "r",
                },
            )
        ],
        2,
        "requirement 'omzet' is checked by the tool, not by a person",
    ),
    (
        "verdict-by-a-conflicted-member",
        [
            (
                "evaluator-3",
                {
                    "kind": "verdict",
                    "bid": "bid-002",
                    "requirement": "referenties",
                    "passed": True,
                    "reason": "r",
                },
            )
        ],
        2,
        "evaluator-3 declared a conflict of interest with bid-002 and may not judge it",
    ),
    (
        "letters-before-the-lock",
        [
            (
                CHAIR,
                {
                    "kind": "letters-sent",
                    "version": 1,
                    "sent": "2026-12-01",
                    "standstill_end": "2026-12-21",
                    "digest": "0" * 64,
                    "files": {},
                    "outcomes": {},
                },
            )
        ],
        2,
        "the evaluation is in the individual phase; letters go out once the chair has locked the scores",
    ),
]


@pytest.mark.parametrize(
    ("entries", "line", "rule"),
    [pytest.param(entries, line, rule, id=name) for name, entries, line, rule in FORGERIES],
)
def test_a_forged_entry_with_a_valid_chain_is_refused_by_verify_and_every_reader(
    make_dossier: DossierFactory,
    run_cli: RunCli,
    entries: list[tuple[str, dict[str, Any]]],
    line: int,
    rule: str,
) -> None:
    root = committee_root(make_dossier)
    forge(root, *[(by, event, TODAY) for by, event in entries])
    d = ("--dossier", str(root))

    refused_line(run_cli("verify", *d), line, rule)
    refused_line(run_cli("verify", *d, "--by", CHAIR), line, rule)
    refused_line(run_cli("decide", *d), line, rule)
    refused_line(run_cli("phase", *d), line, rule)
    refused_line(run_cli("bids", *d), line, rule)
    refused_line(
        run_cli("score", "set", *d, "-e", "evaluator-1", "bid-001", "criterion-2", "8", "-m", "x"),
        line,
        rule,
    )


SEALED_FORGERIES: list[tuple[str, list[dict[str, Any]], int, str]] = [
    (
        "off-the-scale",
        [score(value="7")],
        2,
        "7 is not a point on the scale; expected one of: 0, 2, 4, 6, 8, 10",
    ),
    (
        "blank-motivation",
        [score(motivation="  ")],
        2,
        "a motivation is required: every score needs one",
    ),
    (
        "hidden-control-in-a-reason",
        [score(reason="per\u202eongeluk")],
        2,
        "a reason may not contain the invisible control character U+202E; remove it",
    ),
    (
        "change-without-reason",
        [score(), score(value="6")],
        3,
        "a reason is required: changing the score of entry 2 needs one",
    ),
]


@pytest.mark.parametrize(
    ("events", "line", "rule"),
    [pytest.param(events, line, rule, id=name) for name, events, line, rule in SEALED_FORGERIES],
)
def test_a_forged_sealed_score_is_refused_by_its_readers_at_once_and_by_everyone_at_the_reveal(
    make_dossier: DossierFactory,
    run_cli: RunCli,
    events: list[dict[str, Any]],
    line: int,
    rule: str,
) -> None:
    """evaluator-2's forged score, sealed for them and the chair: what is wrong with it is
    inside the box. A replay holding a reader's key opens it and refuses it at its line; one
    without cannot see inside until the chair reveals it, and then every replay refuses it."""
    root = committee_root(make_dossier)
    forge(root, *[("evaluator-2", event, TODAY) for event in events])
    d = ("--dossier", str(root))
    record = (root / "scores" / "ledger.jsonl").read_bytes()
    count = len(events) + 1

    for reader in (
        ("verify", "--by", CHAIR),
        ("verify", "--by", "evaluator-2"),
        ("score", "show", "-e", "evaluator-2"),
        ("score", "set", "-e", "evaluator-2", "bid-001", "criterion-2", "8", "-m", "x"),
        ("phase", "consensus", "--by", CHAIR, "--force", "r"),
    ):
        refused_line(run_cli(*reader, *d), line, rule)

    keyless = run_cli("verify", *d)
    assert keyless.exit_code == 0, keyless.output
    assert f"{count} entries, the hash chain and the head agree" in keyless.stdout
    other = run_cli("verify", *d, "--by", "evaluator-3")
    assert other.exit_code == 0, other.output
    assert run_cli("score", "show", *d, "-e", "evaluator-3").exit_code == 0
    assert run_cli("bids", *d).exit_code == 0
    status = run_cli("phase", *d)
    assert status.exit_code == 0, status.output
    assert "Phase: individual" in status.stdout
    decide = run_cli("decide", *d)
    assert decide.exit_code == 4, decide.output
    assert "decisions are taken once the chair opens the consensus phase" in decide.stderr
    assert (root / "scores" / "ledger.jsonl").read_bytes() == record

    forge(root, (CHAIR, reveal(root, *range(2, count + 1)), TODAY))
    revealed = f"entry {line} (by evaluator-2): {rule}"
    for everyone in (
        ("verify",),
        ("verify", "--by", "evaluator-3"),
        ("decide",),
        ("phase",),
        ("bids",),
    ):
        refused_line(run_cli(*everyone, *d), count + 1, revealed)


def test_a_plain_score_entry_is_not_an_event_of_the_record(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    """Individual scores are sealed: an entry with the score in the open is no event tender knows."""
    root = committee_root(make_dossier)
    plain = {"kind": "score", "bid": "bid-001", "sub_criterion": "criterion-1", "score": "8"}
    forge(root, ("evaluator-2", {**plain, "motivation": "m"}, TODAY))
    for command in (("verify",), ("verify", "--by", CHAIR), ("decide",), ("phase",)):
        result = run_cli(*command, "--dossier", str(root))
        assert result.exit_code == 3, (command, result.output)
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"error: {LEDGER}:2: entry 2 is not a valid event ("), first
        assert "Input tag 'score' found using 'kind' does not match any of the expected" in first


def test_a_requirement_the_dossier_does_not_know_is_refused_on_replay(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier)
    forge(
        root,
        (
            "evaluator-2",
            {
                "kind": "verdict",
                "bid": "bid-001",
                "requirement": "zwemdiploma",
                "passed": True,
                "reason": "r",
            },
            TODAY,
        ),
    )
    result = run_cli("verify", "--dossier", str(root), "--json")
    assert result.exit_code == 3
    assert '"line": 2' in result.stdout
    assert (
        "unknown requirement 'zwemdiploma'; expected one of: handelsregister, omzet, referenties"
        in result.stdout
    )


def test_time_going_back_is_refused(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    root = committee_root(make_dossier)
    forge(root, ("evaluator-2", score(), TODAY - timedelta(hours=1)))
    refused_line(
        run_cli("verify", "--dossier", str(root)),
        2,
        "dated 2026-12-01 11:00:00, before entry 1 (2026-12-01 12:00:00); time never goes back "
        "in the record",
    )


def test_an_entry_dated_ahead_of_the_clock_is_refused(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier)
    forge(root, ("evaluator-2", score(), TODAY + timedelta(minutes=6)))
    refused_line(
        run_cli("verify", "--dossier", str(root)),
        2,
        "dated 2026-12-01 12:06:00, in the future of this machine's clock (2026-12-01 12:00:00)",
    )


@pytest.mark.parametrize(
    "command",
    [("verify",), ("history", "bid-001"), ("score", "show", "-e", "evaluator-2"), ("decide",)],
)
def test_an_entry_dated_at_the_end_of_time_is_refused_by_every_command(
    make_dossier: DossierFactory, run_cli: RunCli, command: tuple[str, ...]
) -> None:
    """Year 9999 in UTC is year 10000 in Amsterdam: the rule, not the clock's arithmetic, speaks."""
    root = committee_root(make_dossier)
    forge(root, ("evaluator-2", score(), datetime(9999, 12, 31, 23, 30, tzinfo=UTC)))
    refused_line(
        run_cli(*command, "--dossier", str(root)),
        2,
        "dated 9999-12-31 23:30:00 UTC, in the future of this machine's clock (2026-12-01 12:00:00)",
    )


def test_a_record_that_does_not_start_with_the_opening_is_refused(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier, opened=False)
    forge(root, ("evaluator-2", score(), TODAY))
    refused_line(
        run_cli("verify", "--dossier", str(root)),
        1,
        "the bids have not been opened; the record starts with the opening ('tender open --by CHAIR')",
    )


def test_after_the_letters_only_a_withdrawal_or_the_definitive_award_may_follow(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = locked_small_dossier(make_dossier)
    assert (
        run_cli("letters", "send", "-d", str(root), "--date", "2026-12-01", "--by", CHAIR).exit_code
        == 0
    )
    entries = len(Ledger(root / "scores").entries())
    forge(root, (CHAIR, {"kind": "phase", "phase": "consensus", "reason": "een fout"}, TODAY))
    refused_line(
        run_cli("verify", "-d", str(root)),
        entries + 1,
        "the provisional award letters (version 1) were sent on 2026-12-01; their reasons are "
        "frozen. Withdraw the decision first ('tender letters withdraw') to change anything",
    )


# --- opening ---------------------------------------------------------------------------


def test_the_chair_opens_the_bids_after_the_deadline_and_freezes_every_file(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier, opened=False)
    (root / "submissions" / "bid-001" / ".DS_Store").write_bytes(b"desktop")
    result = run_cli("open", "--dossier", str(root), "--by", CHAIR)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Bids opened by {CHAIR} (entry 1, 2026-12-01 11:00 UTC): 13 files frozen, 1 PDF "
        "readings recorded.\n"
    )
    (entry,) = Ledger(root / "scores").entries()
    files = entry.event["files"]
    assert sorted(files) == sorted(
        [f"criteria/{name}.yaml" for name in ("award", "committee", "procedure", "suitability")]
        + [
            f"submissions/bid-00{n}/{name}"
            for n in (1, 2, 3)
            for name in ("bid.yaml", "kwaliteitsplan.pdf", "uea.pdf")
        ]
    )
    # Every PDF of the test dossier has the same bytes: one reading, under their SHA-256.
    (reading,) = entry.event["readings"].items()
    assert (
        reading[0]
        == files["submissions/bid-001/uea.pdf"]
        == files["submissions/bid-003/kwaliteitsplan.pdf"]
    )
    assert len(reading[1]) == 64 and reading[1] != reading[0]


@pytest.mark.parametrize(
    ("by", "move", "message"),
    [
        ("evaluator-2", None, "only the chair (evaluator-1) may do this"),
        (
            CHAIR,
            datetime(2026, 11, 10, 10, 59, tzinfo=UTC),
            "the bids cannot be opened before the deadline (2026-11-10 12:00 Europe/Amsterdam); "
            "it is 2026-11-10 11:59",
        ),
    ],
)
def test_opening_is_refused_to_a_member_and_before_the_deadline(
    make_dossier: DossierFactory,
    run_cli: RunCli,
    clock: SetClock,
    *,
    by: str,
    move: datetime | None,
    message: str,
) -> None:
    root = committee_root(make_dossier, opened=False)
    if move is not None:
        clock.set(move)
    result = run_cli("open", "--dossier", str(root), "--by", by)
    assert result.exit_code == 4, result.output
    assert result.stderr == f"error: {message}\n"
    assert not (root / "scores" / "ledger.jsonl").exists()


def test_opening_twice_and_scoring_before_the_opening_are_refused(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier, opened=False)
    d = ("--dossier", str(root))
    early = run_cli(
        "score", "set", *d, "-e", "evaluator-2", "bid-001", "criterion-1", "8", "-m", "x"
    )
    assert early.exit_code == 4, early.output
    assert early.stderr == (
        "error: the bids have not been opened; the record starts with the opening "
        "('tender open --by CHAIR')\n"
    )
    assert run_cli("open", *d, "--by", CHAIR).exit_code == 0
    again = run_cli("open", *d, "--by", CHAIR)
    assert again.exit_code == 4
    assert again.stderr == "error: the bids were opened already (entry 1, 2026-12-01 12:00)\n"
    assert len(Ledger(root / "scores").entries()) == 1


# --- frozen inputs ---------------------------------------------------------------------


def _change_weights(root: Path) -> None:
    award = root / "criteria" / "award.yaml"
    text = award.read_text(encoding="utf-8")
    assert text.count("weight: 50") == 2
    award.write_text(
        text.replace("weight: 50", "weight: 70", 1).replace("weight: 50", "weight: 30")
    )


def _add_bid(root: Path) -> None:
    folder = root / "submissions" / "bid-004"
    folder.mkdir()
    (folder / "bid.yaml").write_text(VALID_BID.replace("Zonnebloem", "Laatkomer"), encoding="utf-8")
    (folder / "kwaliteitsplan.pdf").write_bytes(MINIMAL_PDF)
    (folder / "uea.pdf").write_bytes(MINIMAL_PDF)


def _remove_bid(root: Path) -> None:
    shutil.rmtree(root / "submissions" / "bid-003")


@pytest.mark.parametrize(
    ("change", "lines"),
    [
        (_change_weights, ["criteria/award.yaml: changed since the opening"]),
        (
            _add_bid,
            [
                "submissions/bid-004/bid.yaml: added after the opening",
                "submissions/bid-004/kwaliteitsplan.pdf: added after the opening",
                "submissions/bid-004/uea.pdf: added after the opening",
            ],
        ),
        (
            _remove_bid,
            [
                "submissions/bid-003/bid.yaml: removed since the opening",
                "submissions/bid-003/kwaliteitsplan.pdf: removed since the opening",
                "submissions/bid-003/uea.pdf: removed since the opening",
            ],
        ),
    ],
    ids=["changed", "added", "removed"],
)
@pytest.mark.parametrize("stage", ["opened", "locked", "sent"])
def test_a_criteria_or_bid_file_changed_after_the_opening_is_refused_naming_it(
    make_dossier: DossierFactory,
    run_cli: RunCli,
    change: Callable[[Path], None],
    lines: list[str],
    stage: str,
) -> None:
    root = committee_root(make_dossier) if stage == "opened" else locked_small_dossier(make_dossier)
    d = ("--dossier", str(root))
    if stage == "sent":
        assert run_cli("letters", "send", *d, "--date", "2026-12-01", "--by", CHAIR).exit_code == 0
    record = (root / "scores" / "ledger.jsonl").read_bytes()
    change(root)

    commands: list[tuple[str, ...]] = [("verify",), ("decide",), ("bids",), ("phase",)]
    commands += (
        [("letters", "definitive", "--date", "2026-12-22", "--by", CHAIR)]
        if stage == "sent"
        else []
    )
    for command in commands:
        result = run_cli(*command, *d)
        assert result.exit_code == 3, (command, result.output)
        message = result.stderr.splitlines()
        noun = "file differs" if len(lines) == 1 else "files differ"
        assert message[0].startswith(f"error: {len(lines)} {noun} from what was opened (entry 1, ")
        assert message[1:] == [f"  {line}" for line in lines]
    assert (root / "scores" / "ledger.jsonl").read_bytes() == record


# --- derived data ----------------------------------------------------------------------


def test_a_poisoned_cache_entry_cannot_change_a_decision(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = locked_small_dossier(make_dossier)
    before = run_cli("decide", "--dossier", str(root), "--json")
    assert before.exit_code == 0, before.output
    (entry,) = [e for e in Ledger(root / "scores").entries() if e.event["kind"] == "opening"]
    plan_digest = entry.event["files"]["submissions/bid-001/kwaliteitsplan.pdf"]
    PdfCache(root).put(
        plan_digest, PdfContent(problem=PdfProblem("encrypted", "the file is encrypted"))
    )
    assert (
        PdfCache(root).get(plan_digest) is not None
    )  # well-formed: the cache alone would believe it

    after = run_cli("decide", "--dossier", str(root), "--json")

    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout
    cached = PdfCache(root).get(plan_digest)
    assert cached is not None and cached.problem is None  # put right from the PDF
    PdfCache(root).put(plan_digest, PdfContent(problem=PdfProblem("encrypted", "encrypted")))
    shown = run_cli("bids", "show", "bid-001", "--dossier", str(root))
    assert shown.exit_code == 0, shown.output
    assert (
        "the cached reading in .tender-cache/ differs from the reading recorded at the"
        in " ".join(shown.stdout.split())
    )


def test_a_pdf_that_reads_differently_from_the_opening_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(MINIMAL_PDF)
    opened = extract_files([path], cache_root=tmp_path, workers=1)
    digest = opened.files[path].sha256
    assert digest is not None
    assert (
        extract_files(
            [path],
            cache_root=tmp_path,
            readings={digest: reading_digest(opened.files[path].content)},
        ).reread
        == frozenset()
    )

    with pytest.raises(FrozenInputError) as refused:
        extract_files([path], cache_root=tmp_path, workers=1, readings={digest: "0" * 64})

    assert refused.value.changes == ("plan.pdf: reads differently than at the opening",)


# --- what was sent ---------------------------------------------------------------------


@pytest.fixture
def sent(make_dossier: DossierFactory, run_cli: RunCli) -> Path:
    root = locked_small_dossier(make_dossier)
    result = run_cli(
        "letters", "send", "--dossier", str(root), "--date", "2026-12-01", "--by", CHAIR
    )
    assert result.exit_code == 0, result.output
    return root


def test_verify_checks_every_sent_file(sent: Path, run_cli: RunCli) -> None:
    files = sorted(p for p in (sent / "reports" / "sent-v1").rglob("*") if p.is_file())
    clean = run_cli("verify", "--dossier", str(sent))
    assert clean.exit_code == 0, clean.output
    assert f"{len(files)} sent files are as they were sent." in clean.stdout

    first, second = files[0], files[1]
    first.write_bytes(first.read_bytes() + b" ")
    second.unlink()
    (sent / "reports" / "sent-v1" / "extra.txt").write_text("x")
    result = run_cli("verify", "--dossier", str(sent))

    assert result.exit_code == 3, result.output
    relative = [p.relative_to(sent).as_posix() for p in (first, second)]
    assert sorted(result.stderr.splitlines()[1:]) == sorted(
        [
            f"  {relative[0]}: changed since it was sent",
            f"  {relative[1]}: missing",
            "  reports/sent-v1/extra.txt: not among the files sent",
        ]
    )


def test_a_sent_set_is_never_overwritten_after_a_rollback(
    make_dossier: DossierFactory, run_cli: RunCli, clock: SetClock
) -> None:
    root = locked_small_dossier(make_dossier)
    d = ("--dossier", str(root))
    backup = {
        name: (root / "scores" / name).read_bytes() for name in ("ledger.jsonl", "ledger.head")
    }
    assert run_cli("letters", "send", *d, "--date", "2026-12-01", "--by", CHAIR).exit_code == 0
    kept = {p: p.read_bytes() for p in (root / "reports" / "sent-v1").rglob("*") if p.is_file()}
    for name, content in backup.items():
        (root / "scores" / name).write_bytes(content)

    reopen = run_cli("phase", "consensus", *d, "--by", CHAIR, "--force", "score wijzigen")
    clock.advance(days=1)
    other_day = run_cli("letters", "send", *d, "--date", "2026-12-02", "--by", CHAIR)
    verify = run_cli("verify", *d)

    assert reopen.exit_code == 3, reopen.output
    assert "letters were kept as sent that the record does not know" in reopen.stderr
    assert reopen.stderr.endswith("  reports/sent-v1/: not in the record\n")
    assert other_day.exit_code == 3, other_day.output
    assert "reports/sent-v1/ exists and is not what would be sent now" in other_day.stderr
    assert verify.exit_code == 3
    assert "reports/sent-v1/: not in the record" in verify.stderr
    assert {
        p: p.read_bytes() for p in (root / "reports" / "sent-v1").rglob("*") if p.is_file()
    } == kept
    assert (root / "scores" / "ledger.jsonl").read_bytes() == backup["ledger.jsonl"]


def test_letters_kept_by_an_interrupted_send_are_recorded_when_unchanged(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = locked_small_dossier(make_dossier)
    d = ("--dossier", str(root))
    backup = {
        name: (root / "scores" / name).read_bytes() for name in ("ledger.jsonl", "ledger.head")
    }
    assert run_cli("letters", "send", *d, "--date", "2026-12-01", "--by", CHAIR).exit_code == 0
    for name, content in backup.items():  # as if the run stopped before recording
        (root / "scores" / name).write_bytes(content)

    again = run_cli("letters", "send", *d, "--date", "2026-12-01", "--by", CHAIR)

    assert again.exit_code == 0, again.output
    assert "(kept by an interrupted run, recorded now)" in again.stdout
    assert run_cli("verify", *d).exit_code == 0


# --- the clock -------------------------------------------------------------------------


def test_letters_dated_after_today_or_before_the_last_entry_are_refused(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = locked_small_dossier(make_dossier)
    d = ("--dossier", str(root))
    record = (root / "scores" / "ledger.jsonl").read_bytes()
    entries = len(Ledger(root / "scores").entries())

    future = run_cli("letters", "send", *d, "--date", "2026-12-02", "--by", CHAIR)
    past = run_cli("letters", "send", *d, "--date", "2026-11-30", "--by", CHAIR)

    assert (future.exit_code, future.stderr) == (
        1,
        "error: letters cannot be dated 2026-12-02, after today (2026-12-01)\n",
    )
    assert (past.exit_code, past.stderr) == (
        1,
        f"error: letters cannot be dated 2026-11-30, before the last entry of the record (entry "
        f"{entries}, 2026-12-01)\n",
    )
    assert (root / "scores" / "ledger.jsonl").read_bytes() == record
    assert not list((root / "reports").glob("sent-v*"))


def test_the_definitive_award_waits_for_the_standstill_by_the_clock(
    sent: Path, run_cli: RunCli, clock: SetClock
) -> None:
    d = ("--dossier", str(sent))
    by_the_clock = run_cli("letters", "definitive", *d, "--date", "2026-12-22", "--by", CHAIR)
    assert by_the_clock.exit_code == 4, by_the_clock.output
    assert by_the_clock.stderr == (
        "error: the standstill period ends on 2026-12-21; the definitive award may be sent from "
        "2026-12-22, not on 2026-12-01 (today, by the clock)\n"
    )
    clock.set(datetime(2026, 12, 22, 8, 30, tzinfo=UTC))
    by_the_date = run_cli("letters", "definitive", *d, "--date", "2026-12-21", "--by", CHAIR)
    assert by_the_date.exit_code == 4
    assert by_the_date.stderr.endswith("not on 2026-12-21\n")

    done = run_cli("letters", "definitive", *d, "--date", "2026-12-22", "--by", CHAIR)

    assert done.exit_code == 0, done.output
    book = read_book(load_dossier(sent))
    assert book.dispatches[-1].definitive is not None
    assert book.dispatches[-1].recorded == TODAY
    assert book.last is not None and book.last.at == datetime(2026, 12, 22, 8, 30, tzinfo=UTC)


def test_the_dispatch_records_each_outcome_and_the_definitive_award_must_repeat_them(
    sent: Path, run_cli: RunCli, clock: SetClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = read_book(load_dossier(sent))
    assert dict(book.dispatches[-1].outcomes) == {
        "bid-001": "provisional-award",
        "bid-002": "below-threshold",
        "bid-003": "provisional-award",
    }
    decide = Evaluation.decide

    def changed(self: Evaluation) -> tuple[Decision, ...]:
        return tuple(
            dataclasses.replace(d, outcome="provisional-award") if d.bid == "bid-002" else d
            for d in decide(self)
        )

    monkeypatch.setattr(Evaluation, "decide", changed)
    clock.set(datetime(2026, 12, 22, 8, 30, tzinfo=UTC))
    result = run_cli(
        "letters", "definitive", "--dossier", str(sent), "--date", "2026-12-22", "--by", CHAIR
    )

    assert result.exit_code == 4, result.output
    assert result.stderr == (
        "error: the decisions taken now differ from what letters version 1 told the bidders "
        "(bid-002: told below-threshold, now provisional-award); the definitive award must be the "
        "provisional one. Withdraw the decision ('tender letters withdraw') and send new letters\n"
    )
    assert not (sent / "reports" / "definitive-v1").exists()


# --- no dead ends ----------------------------------------------------------------------


def _to_consensus_all_scored(root: Path) -> Recorder:
    recorder = acting_recorder(load_dossier(root))
    score_all(recorder)
    recorder.change_phase(CHAIR, "consensus")
    for bid in ("bid-001", "bid-002", "bid-003"):
        for sub in ("criterion-1", "criterion-2"):
            recorder.record_consensus(CHAIR, bid, sub, score=8, motivation="Eens.")  # type: ignore[arg-type]
    return recorder


def test_the_lock_waits_for_pending_verdicts_which_stay_possible_until_then(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    late = VALID_BID.replace(
        "received: 2026-11-09T10:15:00+01:00", "received: 2026-11-10T12:30:00+01:00"
    )
    root = committee_root(
        make_dossier, {"submissions/bid-003/bid.yaml": late.replace("Zonnebloem", "Drie")}
    )
    _to_consensus_all_scored(root)
    d = ("--dossier", str(root))

    status = run_cli("phase", *d)
    assert status.exit_code == 0, status.output
    assert (
        "Suitability verdicts still pending (2): bid-001 referenties, bid-002 referenties; they "
        "are given until the lock ('tender suitability verify')."
    ) in " ".join(status.stdout.split())
    as_json = run_cli("phase", *d, "--json")
    assert json.loads(as_json.stdout)["pending_verdicts"] == [
        "bid-001 referenties",
        "bid-002 referenties",
    ]

    refused = run_cli("phase", "lock", *d, "--by", CHAIR)
    assert refused.exit_code == 4, refused.output
    assert refused.stderr == (
        "error: 2 suitability verdicts are still pending (bid-001 referenties, bid-002 "
        "referenties); no verdict can be recorded after the lock. Record them with 'tender "
        "suitability verify', or give --force with a reason to lock anyway\n"
    )
    verdict = run_cli(
        "suitability",
        "verify",
        "bid-001",
        "referenties",
        "--pass",
        "--reason",
        "Twee referenties.",
        "--by",
        "evaluator-2",
        *d,
    )
    assert verdict.exit_code == 0, verdict.output
    forced = run_cli("phase", "lock", *d, "--by", CHAIR, "--force", "bid-002 wacht op stukken")
    assert forced.exit_code == 0, forced.output
    last = Ledger(root / "scores").entries()[-1].event
    assert last == {
        "kind": "phase",
        "phase": "locked",
        "reason": "bid-002 wacht op stukken",
        "missing": 0,
        "pending": 1,
    }
    after = run_cli(
        "suitability",
        "verify",
        "bid-002",
        "referenties",
        "--pass",
        "--reason",
        "r",
        "--by",
        "evaluator-2",
        *d,
    )
    assert after.exit_code == 4
    assert "suitability verdicts are given until the chair locks the scores" in after.stderr
