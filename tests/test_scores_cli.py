"""The score commands as a committee types them: score, phase, consensus, history, verify."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import click
import pytest
from click.testing import Result

from tender.cli import cli
from tender.io.loader import load_dossier
from tender.record.book import ScoreBook
from tender.record.replay import read_book
from tests.conftest import DossierFactory
from tests.keys import member_key
from tests.scoring_fixtures import SCALE, committee_root, open_bids

Run = Callable[..., Result]
NOT_SCORED = {"bid-003": "invalid: received after the deadline"}


@pytest.fixture
def root(make_dossier: DossierFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The committee dossier, with bid-003 not scored and no quality plan sections to read."""
    monkeypatch.setattr(
        "tender.bids.suitability.bids_not_scored", lambda dossier, book: dict(NOT_SCORED)
    )
    monkeypatch.setattr(
        "tender.bids.suitability.not_scored", lambda dossier, assessments: dict(NOT_SCORED)
    )
    monkeypatch.setattr(
        "tender.bids.documents.read_sections", lambda dossier, bid, readings=None: {}
    )
    return committee_root(make_dossier)


@pytest.fixture
def tender(root: Path, run_cli: Run) -> Run:
    """``tender`` on the committee dossier: the words typed, then ``--dossier ROOT``."""

    def invoke(*words: str, input: str | None = None) -> Result:
        return run_cli(*words, "--dossier", str(root), input=input)

    return invoke


def entries(root: Path) -> list[dict[str, object]]:
    """Every event in the record after the opening (entry 1)."""
    path = root / "scores" / "ledger.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    opening, *events = [json.loads(line)["event"] for line in lines]
    assert opening["kind"] == "opening"
    return events


def read_as(root: Path, *members: str) -> ScoreBook:
    """The record as a command run with ``members``' private keys reads it."""
    return read_book(load_dossier(root), {member: member_key(member) for member in members})


def scores_of(root: Path, member: str) -> list[tuple[str, str, str]]:
    """``member``'s individual scores in the order recorded, as their own key opens them."""
    opened = sorted(read_as(root, member).opened.values(), key=lambda score: score.seq)
    return [(s.bid, s.sub_criterion, str(s.score)) for s in opened if s.by == member]


def test_score_set_records_one_score(tender: Run, root: Path) -> None:
    result = tender("score", "set", "-e", "evaluator-2", "bid-001", "criterion-1", "8", "-m", "Ok.")

    assert result.exit_code == 0, result.output
    assert result.output == (
        "Recorded 8 for bid-001 / criterion-1 by evaluator-2 "
        "(entry 2, sealed for evaluator-1, evaluator-2).\n"
    )
    [event] = entries(root)
    assert event["kind"] == "sealed-score"
    assert (event["bid"], event["sub_criterion"]) == ("bid-001", "criterion-1")
    assert isinstance(event["boxes"], dict)
    assert sorted(event["boxes"]) == ["evaluator-1", "evaluator-2"]  # the author and the chair
    assert "Ok." not in (root / "scores" / "ledger.jsonl").read_text(encoding="utf-8")

    unread = read_as(root)  # no reader's key: the score counts, its content stays sealed
    assert unread.scored == {("evaluator-2", "bid-001", "criterion-1"): 2}
    assert unread.individual == {}
    for reader in ("evaluator-2", "evaluator-1"):
        score = read_as(root, reader).individual[("evaluator-2", "bid-001", "criterion-1")]
        assert (score.score, score.motivation, score.seq) == (Decimal(8), "Ok.", 2)
    assert read_as(root, "evaluator-3").individual == {}


@pytest.mark.parametrize(
    ("words", "code", "message"),
    [
        (
            ("-e", "evaluator-2", "bid-001", "criterion-1", "7", "-m", "m"),
            1,
            f"error: 7 is not a point on the scale; expected one of: {SCALE}\n",
        ),
        (
            ("-e", "evaluator-2", "bid-001", "criterion-1", "8", "-m", " "),
            1,
            "error: a motivation is required: every score needs one\n",
        ),
        (
            ("-e", "evaluator-2", "bid-404", "criterion-1", "8", "-m", "m"),
            1,
            "error: unknown bid 'bid-404'; expected a folder name under submissions/\n",
        ),
        (
            ("-e", "evaluator-3", "bid-002", "criterion-1", "8", "-m", "m"),
            4,
            "error: evaluator-3 declared a conflict of interest with bid-002 and may not score "
            "it\n",
        ),
        (
            ("-e", "evaluator-2", "bid-003", "criterion-1", "8", "-m", "m"),
            4,
            "error: bid-003 is not scored: invalid: received after the deadline\n",
        ),
    ],
)
def test_score_set_refuses_with_a_message_and_records_nothing(
    tender: Run, root: Path, words: tuple[str, ...], code: int, message: str
) -> None:
    result = tender("score", "set", *words)

    assert (result.exit_code, result.stderr) == (code, message)
    assert entries(root) == []


def test_the_walk_runs_in_the_terminal_and_resumes(tender: Run, root: Path) -> None:
    first = tender("score", "-e", "evaluator-2", input="8\nConcrete.\n\n\nq\n")
    second = tender("score", "-e", "evaluator-2", input="s\n6\nGeneral.\n\ny\n")

    assert first.exit_code == 0, first.output
    assert "Recorded 8 for bid-001 / criterion-1 (entry 2)." in first.output
    assert "Item 2 of 4 · 1/4 done" in second.output
    assert [event["kind"] for event in entries(root)] == ["sealed-score", "sealed-score"]
    assert scores_of(root, "evaluator-2") == [
        ("bid-001", "criterion-1", "8"),
        ("bid-002", "criterion-1", "6"),
    ]


def test_the_walk_needs_an_evaluator_and_its_options_go_before_no_subcommand(
    tender: Run, run_cli: Run, root: Path
) -> None:
    missing = tender("score")
    misplaced = run_cli("score", "--dossier", str(root), "set", "bid-001", "criterion-1", "8")

    assert missing.exit_code == 2
    assert "Missing option '--evaluator': the walk scores as that evaluator." in missing.stderr
    assert misplaced.exit_code == 2
    assert (
        "--dossier before 'set' belongs to the interactive walk; put it after 'set'"
        in misplaced.stderr
    )


def test_score_show_lists_only_the_evaluators_own_items(tender: Run) -> None:
    tender("score", "set", "-e", "evaluator-1", "bid-001", "criterion-1", "2", "-m", "Theirs.")
    tender("score", "set", "-e", "evaluator-2", "bid-001", "criterion-1", "8", "-m", "Mine.")

    result = tender("score", "show", "-e", "evaluator-2", "--json")

    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert [(row["bid"], row["sub_criterion"]) for row in shown] == [
        ("bid-001", "criterion-1"),
        ("bid-001", "criterion-2"),
        ("bid-002", "criterion-1"),
        ("bid-002", "criterion-2"),
    ]
    assert shown[0]["score"]["motivation"] == "Mine."
    assert shown[0]["score"]["score"] == "8"
    assert shown[1]["score"] is None
    assert "Theirs." not in result.output


def test_score_show_refuses_a_bid_the_evaluator_may_not_score(tender: Run) -> None:
    result = tender("score", "show", "-e", "evaluator-3", "--bid", "bid-002")

    assert (result.exit_code, result.stderr) == (
        4,
        "error: evaluator-3 declared a conflict of interest with bid-002 and may not score it\n",
    )


def test_the_consensus_walk_records_what_the_committee_agreed(tender: Run, root: Path) -> None:
    tender("score", "set", "-e", "evaluator-1", "bid-002", "criterion-2", "2", "-m", "Thin [sic].")
    tender("score", "set", "-e", "evaluator-2", "bid-002", "criterion-2", "8", "-m", "Concrete.")
    tender("phase", "consensus", "--by", "evaluator-1", "--force", "A test.")

    table = tender("consensus", "show", "--open")
    walk = tender("consensus", "--by", "evaluator-1", input="6\nAgreed: half concrete.\n\n\nq\n")

    assert table.exit_code == 0, table.output
    shown = [" ".join(line.split()) for line in table.output.splitlines()]
    assert [line for line in shown if line and "──" not in line][:6] == [
        "bid-002 / criterion-2 · spread 6",
        "Evaluator Score Motivation",
        "First Evaluator (evaluator-1) 2 Thin [sic].",
        "Second Evaluator (evaluator-2) 8 Concrete.",
        "Consensus: not recorded yet",  # evaluator-3 has a conflict with bid-002
        "bid-001 / criterion-1 · spread 0",
    ]
    assert walk.exit_code == 0, walk.output
    assert "Item 1 of 4 · 0/4 done" in walk.output
    # entries 2 and 3 the sealed scores, 4 their reveal, 5 the phase
    assert "Recorded 6 for bid-002 / criterion-2 (entry 6)." in walk.output
    assert [event["kind"] for event in entries(root)] == [
        "sealed-score",
        "sealed-score",
        "reveal",
        "phase",
        "consensus",
    ]
    assert entries(root)[-1] == {
        "kind": "consensus",
        "bid": "bid-002",
        "sub_criterion": "criterion-2",
        "score": "6",
        "motivation": "Agreed: half concrete.",
    }


def test_export_and_import_through_the_command_line(
    tender: Run, root: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "mine.csv"
    exported = tender("score", "export", "-e", "evaluator-2", str(sheet))
    text = sheet.read_text(encoding="utf-8").replace(
        "bid-001,criterion-1,,,", "bid-001,criterion-1,8,Good.,"
    )
    sheet.write_text(
        text.replace("bid-002,criterion-2,,,", "bid-002,criterion-2,5,x,"), encoding="utf-8"
    )
    refused = tender("score", "import", "-e", "evaluator-2", str(sheet))
    sheet.write_text(text, encoding="utf-8")
    imported = tender("score", "import", "-e", "evaluator-2", str(sheet))
    stdout = tender("score", "export", "-e", "evaluator-2", "-")

    assert exported.output == f"Wrote 4 items for evaluator-2 to {sheet}.\n"
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"{sheet}:5: score: 5 is not a point on the scale; expected one of: {SCALE}\n"
        "1 problem found; nothing was written.\n"
    )
    assert imported.exit_code == 0, imported.output
    assert imported.output == f"✓ {sheet}: 1 recorded, 0 changed, 0 unchanged, 3 left open.\n"
    assert stdout.output.splitlines()[1] == "bid-001,criterion-1,8,Good.,"
    assert len(entries(root)) == 1


def test_the_chair_moves_the_phases_and_consensus_becomes_visible(tender: Run, root: Path) -> None:
    tender("score", "set", "-e", "evaluator-1", "bid-001", "criterion-1", "4", "-m", "One: thin.")
    tender("score", "set", "-e", "evaluator-2", "bid-001", "criterion-1", "10", "-m", "Two: rich.")

    early = tender("consensus", "show")
    not_chair = tender("phase", "consensus", "--by", "evaluator-2")
    missing = tender("phase", "consensus", "--by", "evaluator-1")
    no_by = tender("phase", "consensus")
    forced = tender("phase", "consensus", "--by", "evaluator-1", "--force", "Two evaluators ill.")
    shown = tender("consensus", "show", "--bid", "bid-001", "--json")
    walk_refused = tender("score", "-e", "evaluator-2")
    agreed = tender(
        "consensus", "set", "--by", "evaluator-1", "bid-001", "criterion-1", "8", "-m", "Agreed."
    )
    status = tender("phase", "--json")

    assert (early.exit_code, early.stderr) == (
        4,
        "error: individual scores are shown side by side only once the chair opens the "
        "consensus phase (tender phase consensus --by CHAIR); the evaluation is in the "
        "individual phase\n",
    )
    assert (not_chair.exit_code, not_chair.stderr) == (
        4,
        "error: only the chair (evaluator-1) may do this\n",
    )
    assert (missing.exit_code, missing.stderr) == (
        4,
        "error: 8 individual scores are still missing; give --force with a reason to move to "
        "the consensus phase anyway\n",
    )
    assert no_by.exit_code == 2
    assert forced.exit_code == 0, forced.output
    # the chair's command reveals the two sealed scores (entry 4), then records the phase
    assert forced.output.startswith("The evaluation is now in the consensus phase (entry 5).\n")
    items = json.loads(shown.output)
    assert [(i["bid"], i["sub_criterion"], i["spread"]) for i in items] == [
        ("bid-001", "criterion-1", "6"),
        ("bid-001", "criterion-2", "0"),
    ]
    assert [s["motivation"] for s in items[0]["scores"]] == ["One: thin.", "Two: rich."]
    assert items[0]["missing"] == ["evaluator-3"]
    assert walk_refused.exit_code == 4
    assert agreed.output == "Recorded consensus 8 for bid-001 / criterion-1 (entry 6).\n"
    assert json.loads(status.output)["consensus_done"] == 1
    reveal = entries(root)[2]
    assert reveal["kind"] == "reveal"
    assert isinstance(reveal["openings"], dict)
    assert sorted(reveal["openings"]) == ["2", "3"]
    assert sorted(
        (s.by, str(s.score), s.motivation) for s in read_as(root).individual.values()
    ) == [("evaluator-1", "4", "One: thin."), ("evaluator-2", "10", "Two: rich.")]
    assert entries(root)[3] == {
        "kind": "phase",
        "phase": "consensus",
        "reason": "Two evaluators ill.",
        "missing": 8,
        "pending": 0,
    }
    locked = tender("phase", "lock", "--by", "evaluator-1", "--force", "Remaining items moot.")
    assert locked.exit_code == 0, locked.output
    late = tender(
        "consensus", "set", "--by", "evaluator-1", "bid-001", "criterion-2", "8", "-m", "Late."
    )
    assert (late.exit_code, late.stderr) == (
        4,
        "error: the evaluation is in the locked phase; consensus scores are recorded in the "
        "consensus phase\n",
    )


def test_history_shows_the_trail_with_old_values_and_reasons(tender: Run) -> None:
    tender("score", "set", "-e", "evaluator-2", "bid-001", "criterion-1", "8", "-m", "First.")
    tender(
        "score", "set", "-e", "evaluator-2", "bid-001", "criterion-1", "6", "-m", "Second.",
        "--reason", "Misread page 2.",
    )  # fmt: skip

    anonymous = tender("history", "bid-001")
    trail = tender("history", "bid-001", "criterion-1", "-e", "evaluator-2", "--json")
    table = tender("history", "bid-001", "-e", "evaluator-2")

    assert (anonymous.exit_code, anonymous.stderr) == (
        4,
        "error: during the individual phase an evaluator sees only their own scores; give "
        "--evaluator ID to see yours\n",
    )
    changes = json.loads(trail.output)
    assert [(c["seq"], c["old"], c["new"], c["motivation"], c["reason"]) for c in changes] == [
        (2, None, "8", "First.", None),
        (3, "8", "6", "Second.", "Misread page 2."),
    ]
    lines = table.output.splitlines()
    assert lines[0] == "History of bid-001 (times in Europe/Amsterdam)"
    assert re.fullmatch(
        r"#3  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  evaluator-2 \(\S+@\S+\)  score criterion-1: 8 → 6",
        lines[3],
    )
    assert lines[4:] == ["Second.", "Reason: Misread page 2."]


def test_verify_prints_the_entry_count_and_the_last_hash(
    make_dossier: DossierFactory, run_cli: Run
) -> None:
    root = committee_root(make_dossier, opened=False)

    def verify(*flags: str) -> Result:
        return run_cli("verify", *flags, "--dossier", str(root))

    empty = verify()
    open_bids(root)
    opened = verify()
    run_cli("score", "set", "-e", "evaluator-2", "bid-001", "criterion-1", "8", "-m", "m",
            "--dossier", str(root))  # fmt: skip
    result = verify()
    as_json = json.loads(verify("--json").output)
    by_chair = verify("--by", "evaluator-1")
    by_other = json.loads(verify("--json", "--by", "evaluator-3").output)

    lines = (root / "scores" / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    first, last = (json.loads(line)["hash"] for line in lines)
    frozen = (
        "Opened 2026-12-01 11:00 UTC: 13 criteria and bid files are as they were opened; "
        "every entry follows the procedure's rules.\n"
        "Every entry is signed by its author's key in committee.yaml.\n"
    )
    sealed = (
        "1 sealed individual scores were checked for their signature and place, not for what "
        "they hold: only their readers can open them (--by the chair checks them all), and "
        "every replay checks them once they are revealed.\n"
    )
    assert empty.output == "✓ scores/ledger.jsonl: nothing recorded yet.\n"
    assert opened.output == (
        "✓ scores/ledger.jsonl: 1 entries, the hash chain and the head agree.\n"
        f"{frozen}"
        f"Last entry 1, hash {first}\n"
        "Keep this hash apart from the dossier: it proves later that nothing changed.\n"
    )
    assert result.exit_code == 0
    assert result.output == (
        "✓ scores/ledger.jsonl: 2 entries, the hash chain and the head agree.\n"
        f"{frozen}"
        f"{sealed}"
        f"Last entry 2, hash {last}\n"
        "Keep this hash apart from the dossier: it proves later that nothing changed.\n"
    )
    assert by_chair.exit_code == 0, by_chair.output
    assert by_chair.output == result.output.replace(sealed, "")  # the chair read it
    assert as_json == {
        "ok": True,
        "file": "scores/ledger.jsonl",
        "entries": 2,
        "last_hash": last,
        "opened": "2026-12-01T11:00:00+00:00",
        "frozen_files": 13,
        "sent_files": 0,
        "head_behind": False,
        "torn_bytes": 0,
        "set_aside": 0,
        "sealed": 1,
    }
    assert by_other == as_json  # evaluator-3 is no reader of evaluator-2's score


def test_the_walk_runs_on_the_real_documents_and_suitability_stages(
    make_dossier: DossierFactory, run_cli: Run
) -> None:
    root = committee_root(make_dossier)

    result = run_cli("score", "--dossier", str(root), "-e", "evaluator-3", input="q\n")

    assert result.exit_code == 0, result.output
    assert "4 items; 0 done." in result.output
    assert "bid-001 · Zorgaanbieder 1 B.V." in result.output


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize(
    "words",
    [
        words
        for words in _commands(cli)
        if words[0] in ("score", "phase", "consensus", "history", "verify")
    ],
    ids=" ".join,
)
def test_every_score_command_has_help_with_an_example(run_cli: Run, words: tuple[str, ...]) -> None:
    result = run_cli(*words, "--help")

    assert result.exit_code == 0
    assert "Example:\n      tender " in result.output.replace("\n    tender", "\n      tender")
    assert "Exit codes:" in result.output
