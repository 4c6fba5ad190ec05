"""tender audit as the committee runs it: on the example dossier's record, and on small records.

The example's record carries planted patterns (scripts/example_scores.py); the audit
must find each of them, and nothing like them where none was planted.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tender.cli import cli
from tests.conftest import REPO_ROOT, DossierFactory
from tests.test_audit import SUBS, Record, build

Run = Callable[..., Result]
WIDE = [
    ("bid-003", "innovatie"),
    ("bid-021", "samenwerking"),
    ("bid-045", "uitvoering"),
    ("bid-079", "uitvoering"),
    ("bid-094", "samenwerking"),
    ("bid-110", "visie"),
]
ON_THE_THRESHOLD = {"bid-003", "bid-015", "bid-019", "bid-045", "bid-052", "bid-064", "bid-076"}


def copy_example(target: Path) -> Path:
    """The example dossier (criteria, bids, record) in ``target``, with the PDF cache if built."""
    for name in ("criteria", "submissions", "scores", ".tender-cache"):
        if (REPO_ROOT / name).exists():
            shutil.copytree(
                REPO_ROOT / name, target / name, ignore=shutil.ignore_patterns("*.lock")
            )
    return target


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def example_json(example: Path) -> dict[str, Any]:
    result = invoke("audit", "--dossier", str(example), "--json", "--strict")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def flat(text: str) -> str:
    """Terminal output with its wrapping undone (tables wrap long cells at 80 columns)."""
    return " ".join(text.split())


def rule(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [finding for finding in data["findings"] if finding["rule"] == name]


# --- the example dossier ---------------------------------------------------------------------


def test_the_example_has_no_blocking_finding(example_json: dict[str, Any]) -> None:
    assert example_json["phase"] == "locked"
    assert example_json["summary"]["blocking"] == 0
    assert example_json["completeness"] == {
        "individual_required": 3585,
        "individual_recorded": 3585,
        "consensus_required": 600,
        "consensus_recorded": 600,
    }


def test_the_lenient_and_the_severe_evaluator(example_json: dict[str, Any]) -> None:
    assert [f["figures"]["evaluator"] for f in rule(example_json, "bias.lenient")] == ["svermeulen"]
    assert [f["figures"]["evaluator"] for f in rule(example_json, "bias.severe")] == ["mhoekstra"]
    deviations = {e["evaluator"]: e["mean_deviation"] for e in example_json["evaluators"]}
    assert deviations["svermeulen"] > 0.9
    assert deviations["mhoekstra"] < -1.0
    low, high = next(e["ci95"] for e in example_json["evaluators"] if e["evaluator"] == "mhoekstra")
    assert low < deviations["mhoekstra"] < high < 0


def test_the_straight_liner(example_json: dict[str, Any]) -> None:
    (finding,) = rule(example_json, "bias.straight-lining")
    assert finding["figures"] == {"evaluator": "tkramer", "bids": 49, "of": 119}
    assert {item["evaluator"] for item in finding["items"]} == {"tkramer"}


def test_the_wide_disagreements_come_first(example_json: dict[str, Any]) -> None:
    wide = rule(example_json, "spread.wide")
    first = [(f["items"][0]["bid"], f["items"][0]["sub_criterion"]) for f in wide[:6]]
    assert first == WIDE
    assert {f["figures"]["steps"] for f in wide[:6]} == {3}
    assert {f["figures"]["steps"] for f in wide[6:]} == {2}  # planted noise: at most two steps


def test_the_consensus_scores_outside_the_individual_range(example_json: dict[str, Any]) -> None:
    outside = [
        (f["items"][0]["bid"], f["items"][0]["sub_criterion"], f["figures"]["consensus"])
        for f in rule(example_json, "spread.consensus-outside")
    ]
    assert outside == [("bid-019", "samenwerking", "6"), ("bid-106", "innovatie", "4")]


def test_the_contradicting_and_the_comparative_motivation(example_json: dict[str, Any]) -> None:
    assert [f["items"] for f in rule(example_json, "tone.contradicts")] == [
        [{"bid": "bid-116", "sub_criterion": "uitvoering", "evaluator": "rdemir"}]
    ]
    assert [f["items"] for f in rule(example_json, "tone.comparative")] == [
        [{"bid": "bid-085", "sub_criterion": "samenwerking", "evaluator": "svermeulen"}]
    ]


def test_the_fragile_decisions_come_first(example_json: dict[str, Any]) -> None:
    rows = example_json["fragility"]
    assert len(rows) == 120
    fragile = [row["bid"] for row in rows if row["fragile"]]
    assert rows[: len(fragile)] == [row for row in rows if row["fragile"]]
    assert {row["bid"] for row in rows[:7]} == ON_THE_THRESHOLD
    assert {row["margin"] for row in rows[:7]} == {"0"}
    assert all(row["outcome"] == "provisional-award" for row in rows[:7])
    by_bid = {row["bid"]: row for row in rows}
    assert by_bid["bid-048"]["fragile"]  # 7.9: one step up on a sub-criterion awards it
    assert by_bid["bid-048"]["margin"] == "-0.1"
    assert len(fragile) == len(rule(example_json, "fragility.fragile")) == 30
    assert sum(row["outcome"] == "provisional-award" for row in rows) == 29


def test_agreement_per_sub_criterion_and_overall(example_json: dict[str, Any]) -> None:
    scopes = [row["scope"] for row in example_json["agreement"]]
    assert scopes == [
        "client-centraal",
        "samenwerking",
        "visie",
        "uitvoering",
        "innovatie",
        "overall",
    ]
    overall = example_json["agreement"][-1]
    assert overall["items"] == 600
    assert overall["icc"]["complete_items"] == 585  # 15 items of bids with a conflict left out
    assert overall["icc"]["left_out_items"] == 15
    assert 0.6 < overall["alpha_interval"]["value"] < 0.8
    assert set(overall["icc"]) >= {
        "ICC(1,1)",
        "ICC(2,1)",
        "ICC(3,1)",
        "ICC(1,k)",
        "ICC(2,k)",
        "ICC(3,k)",
    }


def test_the_reports_are_written_and_hold_the_same_data(
    example: Path, example_json: dict[str, Any]
) -> None:
    folder = example / "reports" / "audit"
    assert sorted(path.name for path in folder.iterdir()) == ["audit.html", "audit.json"]
    assert json.loads((folder / "audit.json").read_text(encoding="utf-8")) == example_json
    html = (folder / "audit.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 4
    assert "Fragile decisions" in html
    # offline: no script, no stylesheet or image from anywhere, no web address but SVG's namespace
    assert "<script" not in html
    assert "<link" not in html
    assert "url(" not in html
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}


def test_the_terminal_report(example: Path) -> None:
    result = invoke("audit", "--dossier", str(example))
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "Fragile decisions: 30 of 120 bids turn on one change" in out
    assert "bid-003 award 8.00 +0.00 any sub-criterion -1 step" in out
    assert "svermeulen scores higher than the others" in out
    assert "tkramer gives one score on all 5 sub-criteria for 49 of 119 bids" in out
    for bid, sub in WIDE:
        assert f"{bid} / {sub}: individual scores from" in out
    assert "264 more spread.wide" in out
    assert out.rstrip().endswith(
        "/audit.html and " + str(example / "reports" / "audit") + "/audit.json."
    )


# --- small records ---------------------------------------------------------------------------


def test_strict_exits_1_on_a_blocking_finding(make_dossier: DossierFactory) -> None:
    record = Record(phase="individual")
    for sub in SUBS:
        del record.scores[("cees", "bid-005", sub)]
    root = build(make_dossier, record)
    lenient = invoke("audit", "-d", str(root))
    assert lenient.exit_code == 0, lenient.output
    assert "cees has 3 required individual scores still open" in flat(lenient.stdout)
    assert "shows completeness only" in flat(lenient.stdout)
    strict = invoke("audit", "-d", str(root), "--strict")
    assert strict.exit_code == 1, strict.output
    assert strict.stderr == "1 blocking finding (--strict)\n"
    data = json.loads(invoke("audit", "-d", str(root), "--json").stdout)
    assert data["limited"] is True
    assert data["evaluators"] == data["agreement"] == data["fragility"] == []
    assert data["decisions_note"] == "the evaluation is in the individual phase"


def test_strict_passes_warnings(make_dossier: DossierFactory) -> None:
    record = Record()
    record.scores[("dirk", "bid-001", "client")] = 4
    root = build(make_dossier, record)
    result = invoke("audit", "-d", str(root), "--strict", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"] == {"blocking": 0, "warning": 1, "info": 0}


def test_without_decisions_the_report_says_why(make_dossier: DossierFactory) -> None:
    record = Record(phase="consensus")
    del record.consensus[("bid-002", "team")]
    root = build(make_dossier, record)
    result = invoke("audit", "-d", str(root))
    assert result.exit_code == 0, result.output
    assert (
        "Fragility not computed: no decisions yet (cannot decide yet: 1 consensus" in result.stdout
    )
    html = (root / "reports" / "audit" / "audit.html").read_text(encoding="utf-8")
    assert "Fragility is not computed" in html


def test_run_includes_the_audit(make_dossier: DossierFactory) -> None:
    root = build(make_dossier, Record())
    result = invoke("run", "-d", str(root))
    assert result.exit_code == 0, result.output
    assert (
        "Audit: 0 blocking, 0 warning, 0 info; 0 of 6 decisions turn on one change" in result.stdout
    )
    assert (root / "reports" / "audit" / "audit.html").is_file()
    data = json.loads(invoke("run", "-d", str(root), "--json").stdout)
    assert data["audit"]["summary"] == {"blocking": 0, "warning": 0, "info": 0}
    assert data["bids"] == 6


def test_run_without_scores_does_not_audit(make_dossier: DossierFactory) -> None:
    root = make_dossier()
    data = json.loads(invoke("run", "-d", str(root), "--json").stdout)
    assert data["audit"] is None
    assert not (root / "reports" / "audit").exists()


def test_help_explains_strict_and_gives_an_example() -> None:
    result = invoke("audit", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert "tender audit --strict --json" in result.stdout
    assert "exit code is 1 when there is a blocking finding" in result.stdout
    assert "reports/audit/audit.html" in result.stdout
