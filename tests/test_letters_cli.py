"""The committee's day with the letters, through the CLI, on a small locked dossier.

decide, render, send (which freezes the decision), withdraw and send a new
version, and the definitive award after the standstill period. Three bids:
bid-001 (8) and bid-003 (9) reach the threshold of 8, bid-002 (7) does not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from click.testing import Result

import tender.present.letters as letters_module
from tender.domain.deadlines import standstill
from tender.io.loader import load_dossier
from tender.present.letters import digest_of
from tender.present.render import Rendered
from tests.conftest import DossierFactory, SetClock
from tests.keys import acting_recorder
from tests.letters_fixtures import html_text, locked_small_dossier, pdf_text
from tests.scoring_fixtures import CHAIR, committee_root, score_all

Run = Callable[..., Result]
SENT = "2026-12-01"
END = date(2026, 12, 21)  # Monday: day 20 after Tuesday 1 December 2026 is a working day


@pytest.fixture
def locked(make_dossier: DossierFactory) -> Path:
    return locked_small_dossier(make_dossier)


def events(root: Path, kind: str) -> list[dict[str, Any]]:
    lines = (root / "scores" / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    found = [json.loads(line)["event"] for line in lines]
    return [event for event in found if event["kind"] == kind]


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def sent_sets(root: Path) -> list[str]:
    """Every published or half-published set of sent letters under reports/."""
    reports = root / "reports"
    return (
        sorted(path.name for path in reports.iterdir() if "sent-v" in path.name)
        if reports.exists()
        else []
    )


def test_decide_writes_the_decisions_with_exact_figures(locked: Path, run_cli: Run) -> None:
    result = run_cli("decide", "--dossier", str(locked), "--json")
    assert result.exit_code == 0, result.output
    document = json.loads((locked / "reports" / "decisions" / "decisions.json").read_text())
    records = {record["bid"]: record for record in document["decisions"]}
    assert {bid: record["outcome"] for bid, record in records.items()} == {
        "bid-001": "provisional-award",
        "bid-002": "below-threshold",
        "bid-003": "provisional-award",
    }
    assert [records["bid-002"][key] for key in ("weighted_mean_exact", "margin_exact")] == [
        "7",
        "-1",
    ]
    assert records["bid-003"]["final_scores"] == {"criterion-1": "10", "criterion-2": "8"}
    csv = (locked / "reports" / "decisions" / "decisions.csv").read_text().splitlines()
    assert csv[0].startswith("bid,bidder,outcome,weighted_mean,weighted_mean_exact,margin_exact")
    assert csv[2].startswith("bid-002,Zorgaanbieder 2 B.V.,below-threshold,7.00,7,-1,")


def test_decide_lists_the_first_rows_and_every_row_with_all(
    locked: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tender.terminal.decisions.ROWS_SHOWN", 2)
    cut = run_cli("decide", "--dossier", str(locked))
    assert cut.exit_code == 0, cut.output
    assert "bid-002" in cut.output and "bid-003" not in cut.output
    assert "1 more bid not listed; every decision is in reports/decisions/decisions.csv" in (
        " ".join(cut.output.split())
    )
    assert "1 below-threshold · 2 provisional-award" in cut.output  # counts cover every bid
    csv = (locked / "reports" / "decisions" / "decisions.csv").read_text().splitlines()
    assert len(csv) == 4  # the header and all three bids
    full = run_cli("decide", "--dossier", str(locked), "--all")
    assert full.exit_code == 0, full.output
    assert "bid-003" in full.output and "not listed" not in full.output


def test_decide_is_refused_while_scores_or_verdicts_are_missing(
    make_dossier: DossierFactory, run_cli: Run
) -> None:
    root = committee_root(make_dossier)
    early = run_cli("decide", "--dossier", str(root))
    assert early.exit_code == 4
    assert "individual phase" in early.stderr
    recorder = acting_recorder(load_dossier(root))
    score_all(recorder)
    recorder.change_phase(CHAIR, "consensus")
    result = run_cli("decide", "--dossier", str(root))
    assert result.exit_code == 4
    assert "cannot decide yet: 3 suitability verdicts are pending" in result.stderr
    assert "6 consensus scores are missing" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not (root / "reports" / "decisions").exists()


def test_rendering_letters_records_nothing(locked: Path, run_cli: Run) -> None:
    before = (locked / "scores" / "ledger.jsonl").read_bytes()
    result = run_cli("letters", "--dossier", str(locked))
    assert result.exit_code == 0, result.output
    assert "3 letters dated 01-12-2026 written to" in result.output
    assert sorted(files_in(locked / "reports" / "letters")) == [
        f"bid-00{n}.{suffix}" for n in (1, 2, 3) for suffix in ("html", "pdf")
    ]
    assert (locked / "scores" / "ledger.jsonl").read_bytes() == before


def test_send_records_the_digests_of_what_was_sent_and_freezes_everything(
    locked: Path, run_cli: Run
) -> None:
    result = run_cli("letters", "send", "--dossier", str(locked), "--date", SENT, "--by", CHAIR)
    assert result.exit_code == 0, result.output
    assert "Standstill ends 21-12-2026; definitive award from 22-12-2026" in result.output
    assert standstill(date(2026, 12, 1), days=20, statutory=True).end == END
    kept = files_in(locked / "reports" / "sent-v1")
    assert sorted(kept) == [
        "bid-001.html",
        "bid-001.pdf",
        "bid-002.html",
        "bid-002.pdf",
        "bid-003.html",
        "bid-003.pdf",
        "decisions.csv",
        "decisions.json",
    ]
    (sent,) = events(locked, "letters-sent")
    assert sent["files"] == {
        name: hashlib.sha256(content).hexdigest() for name, content in kept.items()
    }
    assert sent["digest"] == digest_of(Rendered(PurePosixPath(n), c) for n, c in kept.items())[0]
    assert sent["standstill_end"] == END.isoformat()
    assert "21 december 2026" in html_text(kept["bid-002.html"])
    assert "21 december 2026" in pdf_text(kept["bid-002.pdf"])

    before = (locked / "scores" / "ledger.jsonl").read_bytes()
    d = ("--dossier", str(locked))
    refused = {
        "score": run_cli(
            "score",
            "set",
            *d,
            "-e",
            "evaluator-2",
            "bid-001",
            "criterion-1",
            "6",
            "-m",
            "x",
            "--reason",
            "y",
        ),
        "consensus": run_cli(
            "consensus",
            "set",
            *d,
            "--by",
            CHAIR,
            "bid-001",
            "criterion-1",
            "6",
            "-m",
            "x",
            "--reason",
            "y",
        ),
        "phase": run_cli("phase", "consensus", *d, "--by", CHAIR, "--force", "reopen"),
        "verdict": run_cli(
            "suitability",
            "verify",
            *d,
            "bid-001",
            "referenties",
            "--fail",
            "--reason",
            "x",
            "--by",
            "evaluator-2",
        ),
        "send": run_cli("letters", "send", *d, "--date", "2026-12-02", "--by", CHAIR),
    }
    for what, outcome in refused.items():
        assert outcome.exit_code == 4, (what, outcome.output, outcome.stderr)
        assert outcome.stderr.startswith("error: "), what
    assert "were sent on 2026-12-01; their reasons are frozen" in refused["phase"].stderr
    assert "were sent on 2026-12-01" in refused["send"].stderr
    assert (locked / "scores" / "ledger.jsonl").read_bytes() == before
    assert sent_sets(locked) == ["sent-v1"]


def test_send_is_refused_before_the_lock_or_by_anyone_but_the_chair_and_writes_nothing(
    make_dossier: DossierFactory, run_cli: Run
) -> None:
    root = locked_small_dossier(make_dossier)
    d = ("--dossier", str(root))
    not_chair = run_cli("letters", "send", *d, "--date", SENT, "--by", "evaluator-2")
    assert (not_chair.exit_code, not_chair.stderr) == (
        4,
        "error: only the chair (evaluator-1) may do this\n",
    )
    early = run_cli("letters", "send", *d, "--date", "2026-11-09", "--by", CHAIR)
    assert early.exit_code == 1
    assert "before the deadline 2026-11-10" in early.stderr
    acting_recorder(load_dossier(root)).change_phase(
        CHAIR, "consensus", force_reason="one more look"
    )
    unlocked = run_cli("letters", "send", *d, "--date", SENT, "--by", CHAIR)
    assert unlocked.exit_code == 4
    assert "letters go out once the chair has locked the scores" in unlocked.stderr
    assert sent_sets(root) == []
    assert not events(root, "letters-sent")


def test_withdrawal_reopens_consensus_and_the_new_letters_are_version_2(
    locked: Path, run_cli: Run, clock: SetClock
) -> None:
    d = ("--dossier", str(locked))
    assert run_cli("letters", "send", *d, "--date", SENT, "--by", CHAIR).exit_code == 0
    withdrawn = run_cli(
        "letters", "withdraw", *d, "--by", CHAIR, "--reason", "Rekenfout bij bid-002"
    )
    assert withdrawn.exit_code == 0, withdrawn.output
    corrected = run_cli(
        "consensus", "set", *d, "--by", CHAIR, "bid-002", "criterion-2", "8",
        "-m", "The committee agrees on 8: the plan gives examples.", "--reason", "Rekenfout hersteld",
    )  # fmt: skip
    assert corrected.exit_code == 0, corrected.output + corrected.stderr
    assert run_cli("phase", "lock", *d, "--by", CHAIR).exit_code == 0
    clock.advance(days=2)
    again = run_cli("letters", "send", *d, "--date", "2026-12-03", "--by", CHAIR)
    assert again.exit_code == 0, again.output + again.stderr
    assert (
        "Letters version 2 recorded as sent on 03-12-2026 (entry 34): 3 bids, 3 provisional awards"
        in again.output
    )

    assert [event["version"] for event in events(locked, "letters-sent")] == [1, 2]
    assert events(locked, "withdrawn")[0]["reason"] == "Rekenfout bij bid-002"
    first = files_in(locked / "reports" / "sent-v1")
    second = files_in(locked / "reports" / "sent-v2")
    assert "Wij zijn niet voornemens" in html_text(first["bid-002.html"])
    for name in ("bid-002.html", "bid-002.pdf"):
        text = html_text(second[name]) if name.endswith("html") else pdf_text(second[name])
        assert "Wij zijn voornemens de raamovereenkomst" in text, name
        assert "/bid-002 (versie 2, vervangt eerdere versies)" in text, name
        assert (
            "Deze brief vervangt de voorlopige gunningsbeslissing die wij u eerder hebben gezonden"
            in text
        ), name
        assert "versie 2" not in (
            html_text(first[name]) if name.endswith("html") else pdf_text(first[name])
        )
    assert "3 december 2026" in html_text(second["bid-001.html"])


def test_definitive_award_only_after_the_standstill_and_only_to_awarded_bids(
    locked: Path, run_cli: Run, clock: SetClock
) -> None:
    d = ("--dossier", str(locked))
    assert run_cli("letters", "send", *d, "--date", SENT, "--by", CHAIR).exit_code == 0
    clock.set(datetime(2026, 12, 23, 9, tzinfo=UTC))  # after the standstill, by the clock
    on_end = run_cli("letters", "definitive", *d, "--date", END.isoformat(), "--by", CHAIR)
    assert on_end.exit_code == 4
    assert (
        "the standstill period ends on 2026-12-21; the definitive award may be sent from "
        "2026-12-22, not on 2026-12-21" in on_end.stderr
    )
    assert not (locked / "reports" / "definitive-v1").exists()
    result = run_cli("letters", "definitive", *d, "--date", "2026-12-22", "--by", CHAIR)
    assert result.exit_code == 0, result.output + result.stderr
    kept = files_in(locked / "reports" / "definitive-v1")
    assert sorted(kept) == ["bid-001.html", "bid-001.pdf", "bid-003.html", "bid-003.pdf"]
    (definitive,) = events(locked, "definitive-sent")
    assert definitive["files"] == {
        name: hashlib.sha256(content).hexdigest() for name, content in kept.items()
    }
    text = pdf_text(kept["bid-003.pdf"])
    assert "Hierbij gunnen wij u definitief de raamovereenkomst" in text
    assert "Zorgaanbieder 1 B.V." in text and "Zorgaanbieder 3 B.V." in text
    assert "Zorgaanbieder 2 B.V." not in text
    late = run_cli("letters", "withdraw", *d, "--by", CHAIR, "--reason", "too late")
    assert late.exit_code == 4
    twice = run_cli("letters", "definitive", *d, "--date", "2026-12-23", "--by", CHAIR)
    assert twice.exit_code == 4
    assert "already sent on 2026-12-22" in twice.stderr


def test_english_letters_from_the_same_dossier(make_dossier: DossierFactory, run_cli: Run) -> None:
    root = locked_small_dossier(make_dossier, language="en")
    result = run_cli("letters", "--dossier", str(root))
    assert result.exit_code == 0, result.output + result.stderr
    letter = (root / "reports" / "letters" / "bid-002.pdf").read_bytes()
    text = pdf_text(letter)
    assert "We do not intend to award the framework agreement" in text
    assert "The weighted mean of your scores is 7; at least 8 is required" in text
    assert "ends on Monday 21 December 2026 at midnight (24:00)" in text
    assert "interim relief judge of the Rechtbank Voorbeeld" in text


def test_a_missing_template_variable_exits_1_without_a_traceback(
    locked: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    common = letters_module._common

    def without_court(*args: Any, **kwargs: Any) -> dict[str, Any]:
        context = common(*args, **kwargs)
        del context["court"]
        return context

    monkeypatch.setattr(letters_module, "_common", without_court)
    result = run_cli("letters", "--dossier", str(locked))
    assert result.exit_code == 1
    assert result.stderr == "error: template nl/award.html: 'court' is undefined\n"
    assert "Traceback" not in result.output
    assert not (locked / "reports" / "letters").exists()
