"""`tender export json`: the whole result in one document that validates against its JSON Schema."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from tender.app.snapshot import take_snapshot
from tender.io.loader import load_dossier
from tender.present.exports import Snapshot
from tender.present.exports.result import SCHEMA_FILE, result_document, schema
from tender.record.ledger import Ledger
from tests.conftest import REPO_ROOT, DossierFactory
from tests.keys import acting_recorder
from tests.scoring_fixtures import committee_root

EXAMPLE_FOLDERS = ("criteria", "submissions", "scores")
Run = Callable[..., Result]


def copy_example(target: Path) -> Path:
    """The example dossier copied to ``target``: exports never run on the repository itself."""
    for folder in EXAMPLE_FOLDERS:
        shutil.copytree(REPO_ROOT / folder, target / folder)
    return target


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def snapshot(example: Path) -> Snapshot:
    return take_snapshot(example)


@pytest.fixture(scope="module")
def document(snapshot: Snapshot) -> dict[str, Any]:
    # Through JSON and back, as a reader gets it.
    loaded: dict[str, Any] = json.loads(json.dumps(result_document(snapshot)))
    return loaded


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


def errors(validator: Draft202012Validator, document: dict[str, Any]) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


def test_the_example_validates_against_the_schema(
    validator: Draft202012Validator, document: dict[str, Any]
) -> None:
    assert errors(validator, document) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["decisions"][2].update(weighted_mean=8.0), "$.decisions[2].weighted_mean"),
        (lambda d: d["bids"][0].update(standing="accepted"), "$.bids[0].standing"),
        (lambda d: d["record"].update(head_hash="abc"), "$.record.head_hash"),
        (lambda d: d["bids"][0].update(extra=1), "$.bids[0]"),
        (lambda d: d.pop("standstill"), "$"),
    ],
)
def test_the_schema_refuses_a_document_that_drifted(
    validator: Draft202012Validator,
    document: dict[str, Any],
    change: Callable[[dict[str, Any]], object],
    where: str,
) -> None:
    drifted = copy.deepcopy(document)
    change(drifted)
    found = best_match(validator.iter_errors(drifted))
    assert found is not None, "the schema accepted a changed document"
    assert found.json_path == where, found.message


def described(node: Any, path: str = "$") -> Iterator[str]:
    """Paths of properties and definitions in the schema that have no description."""
    if not isinstance(node, dict):
        return
    for key in ("properties", "$defs"):
        for name, child in node.get(key, {}).items():
            # A plain value, or a reference to a definition that carries the description.
            simple = isinstance(child, dict) and set(child) <= {
                "type",
                "pattern",
                "minimum",
                "$ref",
            }
            if isinstance(child, dict) and "description" not in child and not simple:
                yield f"{path}.{name}"
            yield from described(child, f"{path}.{name}")
    for key in ("items", "oneOf", "additionalProperties"):
        value = node.get(key)
        for child in value if isinstance(value, list) else [value]:
            yield from described(child, path)


def test_the_schema_describes_every_structured_field() -> None:
    loaded = schema()
    assert loaded["description"]
    assert list(described(loaded)) == []


def test_the_result_of_the_example(document: dict[str, Any], example: Path) -> None:
    summary = document["summary"]
    assert summary["bids"] == 128
    assert summary["outcomes"] == {
        "below-threshold": 91,
        "excluded": 1,
        "invalid": 3,
        "provisional-award": 29,
        "unsuitable": 4,
    }
    assert len(summary["awarded"]) == 29
    decisions = {decision["bid"]: decision for decision in document["decisions"]}
    exactly = decisions["bid-003"]
    assert exactly["outcome"] == "provisional-award"
    assert exactly["weighted_mean"] == "8"
    assert exactly["margin"] == "0"
    assert [final["value"] for final in exactly["final_scores"]] == ["8", "8", "8", "8", "8"]
    assert exactly["checks"] == [
        {
            "kind": "weighted-mean",
            "sub_criterion": None,
            "value": "8",
            "minimum": "8",
            "passed": True,
            "margin": "0",
        }
    ]
    below = decisions["bid-017"]
    assert below["weighted_mean"] == "7.9"
    assert below["weighted_mean_shown"] == "7.90"
    assert below["reasons"][0]["rule"] == "threshold.weighted-mean"
    assert below["reasons"][0]["figures"] == {
        "sub_criterion": None,
        "value": "7.9",
        "minimum": "8",
    }
    first = below["final_scores"][0]
    assert first["consensus"]["by"] == "ibosman"
    assert len(first["individual"]) == 5  # jvanrijn declared a conflict with bid-017
    late = next(bid for bid in document["bids"] if bid["id"] == "bid-038")
    assert late["standing"] == "invalid"
    assert late["on_time"] is False
    assert late["received"] == "2017-11-10T12:00:07+01:00"
    (reason,) = late["reasons"]
    assert reason["rule"] == "late"
    assert reason["figures"]["late_by_seconds"] == "7"
    assert decisions["bid-038"]["final_scores"] == []
    assert decisions["bid-038"]["weighted_mean"] is None

    entries = Ledger(example / "scores").verify()
    assert len(entries) == 4329
    assert document["record"] == {
        "entries": 4329,
        "head_hash": entries[-1].hash,
        "last_entry_at": "2017-11-30T15:00:00+00:00",
        "phase": "locked",
    }
    assert document["standstill"]["basis"] == "planned"
    assert document["standstill"]["end"] == "2017-12-21"
    assert document["letters"] == {"in_force": None, "definitive_sent": None, "dispatches": []}


def test_before_decisions_the_document_says_why_and_holds_no_score(
    make_dossier: DossierFactory, validator: Draft202012Validator
) -> None:
    root = committee_root(make_dossier)
    acting_recorder(load_dossier(root)).record_score(
        "evaluator-2", "bid-001", "criterion-1", score=Decimal(6), motivation="SECRET-evaluator-2"
    )
    text = json.dumps(result_document(take_snapshot(root)))
    assert "SECRET" not in text
    document = json.loads(text)
    assert errors(validator, document) == []
    assert document["decisions"] is None
    assert "individual phase" in document["decisions_note"]
    assert document["summary"]["outcomes"] is None
    assert document["summary"]["standings"] == {"pending": 3}


def test_the_command_writes_the_document_beside_its_schema(
    example: Path, run_cli: Run, document: dict[str, Any], validator: Draft202012Validator
) -> None:
    result = run_cli("export", "json", "--dossier", str(example))
    assert result.exit_code == 0, result.output
    folder = example / "reports" / "exports" / "json"
    written = json.loads((folder / "VS-2017-WMO-014-result.json").read_text(encoding="utf-8"))
    assert written == document
    assert json.loads((folder / SCHEMA_FILE).read_text(encoding="utf-8")) == schema()

    piped = run_cli("export", "json", "--dossier", str(example), "--output", "-")
    assert piped.exit_code == 0, piped.output
    assert errors(validator, json.loads(piped.stdout)) == []

    printed = run_cli("export", "json", "--schema")
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == schema()
