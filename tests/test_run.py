"""The main job on the example dossier: every stage, the summary line, and nothing half-written."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tender.cli import cli
from tests.conftest import REPO_ROOT, DossierFactory
from tests.helpers import snapshot
from tests.scoring_fixtures import open_bids

SUMMARY = (
    "128 bids · 2 late · 1 incomplete · 1 excluded · 4 unsuitable · 29 awarded · "
    "91 below threshold · standstill ends 21-12-2017"
)


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """One run of the main job on a copy of the example dossier (it takes a while)."""
    root = tmp_path_factory.mktemp("example")
    for folder in ("criteria", "submissions", "scores"):
        shutil.copytree(REPO_ROOT / folder, root / folder)
    result = CliRunner().invoke(cli, ["run", "--dossier", str(root)], catch_exceptions=False)
    return root, result


def test_run_on_the_example_ends_with_the_summary(example_run: tuple[Path, Result]) -> None:
    _, result = example_run
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().splitlines()[-1] == SUMMARY


def test_run_writes_every_report_set(example_run: tuple[Path, Result]) -> None:
    root, _ = example_run
    reports = root / "reports"
    assert sorted(path.name for path in reports.iterdir()) == [
        "audit",
        "decisions",
        "evaluation-report",
        "letters",
    ]
    letters = sorted(path.name for path in (reports / "letters").iterdir())
    assert len(letters) == 256
    assert {"bid-003.pdf", "bid-003.html", "bid-038.pdf"} <= set(letters)
    decisions = json.loads((reports / "decisions/decisions.json").read_text(encoding="utf-8"))
    outcomes = [record["outcome"] for record in decisions["decisions"]]
    assert outcomes.count("provisional-award") == 29
    assert (reports / "audit/audit.html").is_file()
    assert any((reports / "evaluation-report").glob("*.pdf"))


def test_run_leaves_the_record_as_it_was(example_run: tuple[Path, Result]) -> None:
    root, _ = example_run
    for name in ("ledger.jsonl", "ledger.head"):
        assert (root / "scores" / name).read_bytes() == (REPO_ROOT / "scores" / name).read_bytes()


def test_run_in_the_individual_phase_audits_but_does_not_decide(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    root = make_dossier()
    open_bids(root)
    scored = run_cli(
        "score",
        "set",
        "--dossier",
        str(root),
        "--evaluator",
        "evaluator-1",
        "bid-001",
        "criterion-1",
        "8",
        "-m",
        "Concreet en overtuigend, met voorbeelden.",
    )
    assert scored.exit_code == 0, scored.output
    result = run_cli("run", "--dossier", str(root))
    assert result.exit_code == 0, result.output
    assert "Not decided yet: the evaluation is in the individual phase." in result.output
    assert sorted(path.name for path in (root / "reports").iterdir()) == [".gitkeep", "audit"]
    # The score is sealed: the audit counts it, and shows no values before the reveal.
    audit = json.loads((root / "reports" / "audit" / "audit.json").read_text(encoding="utf-8"))
    assert (audit["phase"], audit["limited"]) == ("individual", True)
    assert audit["completeness"] == {
        "individual_required": 6,
        "individual_recorded": 1,
        "consensus_required": 0,
        "consensus_recorded": 0,
    }
    assert [finding["figures"] for finding in audit["findings"]] == [
        {"evaluator": "evaluator-1", "missing": 1},
        {"evaluator": "evaluator-2", "missing": 2},
        {"evaluator": "evaluator-3", "missing": 2},
    ]
    assert (audit["evaluators"], audit["spread"], audit["agreement"]) == ([], [], [])


def test_a_failing_run_writes_nothing(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    root = make_dossier({"submissions/bid-001/bid.yaml": "bidder: [\n"})
    before = snapshot(root)
    result = run_cli("run", "--dossier", str(root))
    assert result.exit_code == 1
    assert "submissions/bid-001/bid.yaml:" in result.output
    assert snapshot(root) == before
