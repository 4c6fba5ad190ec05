"""`tender export ocds`: the example as an OCDS 1.1 release package that the OCDS validator accepts.

The package is validated the way the Open Contracting project validates data:
libcoveocds runs offline (:mod:`tests.ocds_offline`) against the OCDS 1.1.5 schema
and the bid, selection-criteria and award-criteria extensions kept in tests/data/ocds. The lots extension is not available offline, so the lot's award criteria are
checked against the award criteria extension's own schema here.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from jsonschema import Draft4Validator

from tender.app.snapshot import take_snapshot
from tender.domain.errors import DossierError
from tender.domain.events import DefinitiveSent
from tender.io.loader import load_dossier
from tender.present.exports import Snapshot
from tender.present.exports.ocds import (
    EXTENSION_URLS,
    UNREGISTERED_PREFIX,
    package_bytes,
    release_package,
)
from tender.record.book import Dispatch, ScoreBook
from tests.conftest import REPO_ROOT, DossierFactory
from tests.ocds_offline import EXTENSIONS, full_report, verdict
from tests.scoring_fixtures import committee_root

EXAMPLE_FOLDERS = ("criteria", "submissions", "scores")
Run = Callable[..., Result]


def copy_example(target: Path) -> Path:
    """The example dossier copied to ``target``: exports never run on the repository itself."""
    for folder in EXAMPLE_FOLDERS:
        shutil.copytree(REPO_ROOT / folder, target / folder)
    return target


def with_letters(snapshot: Snapshot, *, definitive: bool) -> Snapshot:
    """The snapshot as if the letters had gone out on 1 December 2017 (and the definitive award)."""
    book = snapshot.evaluation.book
    dispatch = Dispatch(
        version=1,
        sent=date(2017, 12, 1),
        standstill_end=date(2017, 12, 21),
        digest="a" * 64,
        files={},
        outcomes={},
        by="ibosman",
        seq=book.applied + 1,
        recorded=datetime(2017, 12, 1, 9, tzinfo=UTC),
        definitive=DefinitiveSent(version=1, sent=date(2017, 12, 22), digest="b" * 64, files={})
        if definitive
        else None,
    )
    sent = ScoreBook(
        phase="locked",
        individual=book.individual,
        consensus=book.consensus,
        verdicts=book.verdicts,
        dispatches=[dispatch],
        applied=book.applied,
    )
    evaluation = dataclasses.replace(snapshot.evaluation, book=sent)
    return dataclasses.replace(snapshot, evaluation=evaluation)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def snapshot(example: Path) -> Snapshot:
    return take_snapshot(example)


@pytest.fixture(scope="module")
def package(snapshot: Snapshot) -> dict[str, Any]:
    return release_package(snapshot)


@pytest.fixture(scope="module")
def release(package: dict[str, Any]) -> dict[str, Any]:
    (only,) = package["releases"]
    assert isinstance(only, dict)
    return only


def test_the_example_validates_with_libcoveocds(package: dict[str, Any]) -> None:
    report = verdict(package)
    assert report == {"validation_errors": [], "invalid_extension": {}}


def test_no_codelist_value_unknown_field_or_malformed_id_beyond_the_documented_ones(
    package: dict[str, Any],
) -> None:
    report = full_report(package)
    assert report["validation_errors"] == []
    assert report["additional_closed_codelist_values"] == {}
    assert report["additional_open_codelist_values"] == {}
    assert report["deprecated_fields"] == []
    # The lots extension cannot be declared offline: tender.lots is the one unknown field.
    assert [(f["path"], f["field"]) for f in report["additional_fields"]] == [
        ("/releases/tender", "lots")
    ]
    # Without a registered prefix the ocid is flagged, as the placeholder is meant to be.
    assert report["conformance_errors"] == {
        "ocds_prefixes_bad_format": [(f"{UNREGISTERED_PREFIX}-VS-2017-WMO-014", "releases/0/ocid")]
    }


def test_the_validator_would_catch_a_broken_package(
    package: dict[str, Any],
) -> None:
    broken = json.loads(package_bytes(package))
    broken["releases"][0]["bids"]["details"][0]["status"] = "awarded"  # not in bidStatus
    del broken["releases"][0]["date"]
    report = verdict(broken)
    assert [error["description"] for error in report["validation_errors"]] == [
        "'date' is missing but required"
    ]
    closed = full_report(broken)["additional_closed_codelist_values"]
    assert closed["releases/bids/details/status"]["values"] == ["awarded"]


def test_after_the_definitive_award_the_package_still_validates(
    snapshot: Snapshot,
) -> None:
    package = release_package(with_letters(snapshot, definitive=True))
    assert verdict(package) == {"validation_errors": [], "invalid_extension": {}}


def test_the_package_declares_the_extensions_it_uses(package: dict[str, Any]) -> None:
    assert package["version"] == "1.1"
    assert package["extensions"] == [
        EXTENSION_URLS["bids"],
        EXTENSION_URLS["awardCriteria"],
        EXTENSION_URLS["selectionCriteria"],
    ]
    assert all(url.endswith("/extension.json") for url in package["extensions"])
    assert package["publisher"] == {"name": "Gemeente Vechtstede"}
    assert package["uri"].startswith("urn:uuid:")


def test_each_lot_holds_the_award_criteria_as_the_extension_defines_them(
    release: dict[str, Any],
) -> None:
    extension = json.loads(
        (EXTENSIONS / "ocds_awardCriteria_extension" / "release-schema.json").read_text(
            encoding="utf-8"
        )
    )
    validator = Draft4Validator({**extension, "$ref": "#/definitions/AwardCriteria"})
    (lot,) = release["tender"]["lots"]
    assert lot["id"] == "thuisondersteuning"
    assert not list(validator.iter_errors(lot["awardCriteria"]))
    assert list(validator.iter_errors({"criteria": [{"numbers": [{"weight": "heavy"}]}]}))
    criteria = lot["awardCriteria"]["criteria"]
    assert [(c["name"], c["numbers"]) for c in criteria] == [
        ("De cliënt centraal", [{"number": 25, "weight": "percentageExact"}]),
        ("Samenwerking", [{"number": 20, "weight": "percentageExact"}]),
        ("Visie op thuisondersteuning", [{"number": 20, "weight": "percentageExact"}]),
        ("Uitvoering van thuisondersteuning", [{"number": 20, "weight": "percentageExact"}]),
        ("Innovatie", [{"number": 15, "weight": "percentageExact"}]),
    ]
    assert {c["type"] for c in criteria} == {"quality"}
    tender = release["tender"]
    assert tender["awardCriteria"] == "qualityOnly"
    assert "een gewogen gemiddelde van ten minste 8" in tender["awardCriteriaDetails"]


def test_suitability_requirements_are_selection_criteria_and_exclusion_grounds_eligibility(
    release: dict[str, Any],
) -> None:
    tender = release["tender"]
    criteria = tender["selectionCriteria"]["criteria"]
    assert [c["type"] for c in criteria] == [
        "suitability",
        "suitability",
        "economic",
        "economic",
        "technical",
        "technical",
    ]
    insurance = criteria[2]
    assert insurance["minimum"] == "2500000"
    assert insurance["numbers"] == [{"number": 2500000, "threshold": "minimumScore"}]
    assert "beoordelingscommissie" in criteria[5]["verificationMethod"]
    assert tender["eligibilityCriteria"] == (
        "Uitsluitingsgronden: Geen uitsluitingsgronden (UEA deel III)."
    )


def test_29_pending_awards_each_with_its_bid_and_supplier(
    snapshot: Snapshot, release: dict[str, Any]
) -> None:
    assert snapshot.decisions is not None
    awarded = [decision.bid for decision in snapshot.decisions if decision.awarded]
    awards = release["awards"]
    assert len(awards) == 29
    assert [award["relatedBid"] for award in awards] == awarded
    assert "bid-003" in awarded  # exactly 8 is enough
    assert {award["status"] for award in awards} == {"pending"}
    assert not any("date" in award for award in awards)  # no letters sent yet
    parties = {party["id"]: party for party in release["parties"]}
    suppliers = {party_id for party_id, p in parties.items() if "supplier" in p["roles"]}
    assert suppliers == {award["suppliers"][0]["id"] for award in awards}
    bid_003 = next(award for award in awards if award["relatedBid"] == "bid-003")
    supplier = parties[bid_003["suppliers"][0]["id"]]
    assert supplier["name"] == "Zorggroep De Vlonder B.V."
    assert supplier["identifier"] == {
        "scheme": "NL-KVK",
        "id": "44645984",
        "legalName": "Zorggroep De Vlonder B.V.",
    }
    assert supplier["id"] == "NL-KVK-44645984"
    assert bid_003["contractPeriod"] == {
        "startDate": "2018-04-01T00:00:00+02:00",
        "endDate": "2019-12-31T23:59:59+01:00",
        "maxExtentDate": "2021-12-31T23:59:59+01:00",
    }
    assert release["tag"] == ["tender", "award"]


def test_every_bid_has_its_status(release: dict[str, Any]) -> None:
    details = {bid["id"]: bid for bid in release["bids"]["details"]}
    assert len(details) == 128
    late = details["bid-038"]
    assert late["status"] == "disqualified"
    assert late["date"] == "2017-11-10T12:00:07+01:00"  # seven seconds late
    assert details["bid-003"]["status"] == "valid"
    statuses = [bid["status"] for bid in details.values()]
    assert statuses.count("valid") == 120
    assert statuses.count("disqualified") == 8
    statistics = {s["measure"]: s["value"] for s in release["bids"]["statistics"]}
    assert statistics == {
        "bids": 128,
        "validBids": 120,
        "bidders": 128,
        "qualifiedBidders": 120,
        "disqualifiedBidders": 8,
    }
    assert not any("value" in bid for bid in details.values())  # fixed prices: no bid values


def test_dates_come_from_the_dossier_and_the_record(release: dict[str, Any]) -> None:
    tender = release["tender"]
    assert release["date"] == "2017-11-30T15:00:00+00:00"  # the lock, the record's last entry
    assert tender["tenderPeriod"] == {"endDate": "2017-11-10T12:00:00+01:00"}
    assert tender["awardPeriod"] == {
        "startDate": "2017-11-10T12:00:00+01:00",
        "endDate": "2017-12-21T23:59:59+01:00",  # the planned standstill ends on 21 December
    }
    (milestone,) = tender["milestones"]
    assert milestone["code"] == "standstillPeriodEnd"
    assert milestone["status"] == "scheduled"
    assert "Gepland" in milestone["description"]
    assert tender["status"] == "active"


def test_letters_sent_date_the_awards_and_the_definitive_award_activates_them(
    snapshot: Snapshot,
) -> None:
    sent = release_package(with_letters(snapshot, definitive=False))["releases"][0]
    assert {award["status"] for award in sent["awards"]} == {"pending"}
    assert {award["date"] for award in sent["awards"]} == {"2017-12-01T00:00:00+01:00"}
    assert sent["tender"]["milestones"][0]["status"] == "scheduled"
    assert "Gepland" not in sent["tender"]["milestones"][0]["description"]

    final = release_package(with_letters(snapshot, definitive=True))["releases"][0]
    assert {award["status"] for award in final["awards"]} == {"active"}
    assert {award["date"] for award in final["awards"]} == {"2017-12-22T00:00:00+01:00"}
    assert final["tender"]["status"] == "complete"
    milestone = final["tender"]["milestones"][0]
    assert milestone["status"] == "met"
    assert milestone["dateMet"] == "2017-12-21T23:59:59+01:00"
    assert final["id"] != sent["id"]


def test_no_personal_data_of_evaluators_or_bidders_contacts(
    snapshot: Snapshot, package: dict[str, Any]
) -> None:
    text = package_bytes(package).decode("utf-8")
    dossier = snapshot.evaluation.dossier
    for person in dossier.committee.evaluators:
        assert person.name not in text
        assert f'"{person.id}"' not in text
        assert person.id not in text
    for submission in dossier.submissions:
        contact = submission.metadata.bidder.contact
        assert contact.email not in text
        assert contact.name not in text
    assert snapshot.decisions is not None
    for decision in snapshot.decisions[:10]:
        for final in decision.finals:  # no scores, no motivations
            assert final.motivation is not None
            assert final.motivation not in text
            assert all(score.motivation not in text for score in final.individual)


def test_the_same_record_gives_the_same_release(
    snapshot: Snapshot, release: dict[str, Any]
) -> None:
    again = release_package(snapshot)["releases"][0]
    assert again == release
    assert release["id"].startswith("award-")


def test_the_ocid_uses_the_dossiers_prefix_or_an_unregistered_placeholder(
    snapshot: Snapshot, release: dict[str, Any]
) -> None:
    assert release["ocid"] == f"{UNREGISTERED_PREFIX}-VS-2017-WMO-014"
    dossier = snapshot.evaluation.dossier
    procedure = dossier.procedure.model_copy(update={"ocid_prefix": "ocds-a1b2c3"})
    evaluation = dataclasses.replace(
        snapshot.evaluation, dossier=dataclasses.replace(dossier, procedure=procedure)
    )
    registered = release_package(dataclasses.replace(snapshot, evaluation=evaluation))
    assert registered["releases"][0]["ocid"] == "ocds-a1b2c3-VS-2017-WMO-014"
    assert "conformance_errors" not in full_report(registered)


@pytest.mark.parametrize("prefix", ["ocds-A1B2C3", "ocds-a1b2", "a1b2c3", "ocds-a1b2c3-"])
def test_a_malformed_ocid_prefix_is_a_dossier_problem(
    make_dossier: DossierFactory, prefix: str
) -> None:
    root = make_dossier()
    procedure = root / "criteria" / "procedure.yaml"
    procedure.write_text(
        procedure.read_text(encoding="utf-8") + f"ocid_prefix: {prefix}\n", encoding="utf-8"
    )
    with pytest.raises(DossierError) as caught:
        load_dossier(root)
    (problem,) = caught.value.problems
    assert problem.field == "ocid_prefix"
    assert "six lowercase letters or digits" in problem.message


def test_before_decisions_the_release_holds_the_tender_and_the_bids(
    make_dossier: DossierFactory,
) -> None:
    root = committee_root(make_dossier)  # individual phase, nothing scored, verdicts pending
    snapshot = take_snapshot(root)
    assert snapshot.decisions is None
    release = release_package(snapshot)["releases"][0]
    assert release["tag"] == ["tender"]
    assert "awards" not in release
    assert {bid["status"] for bid in release["bids"]["details"]} == {"pending"}


def test_the_command_publishes_under_reports_and_prints_to_stdout(
    example: Path, tmp_path: Path, run_cli: Run, snapshot: Snapshot
) -> None:
    root = example
    result = run_cli("export", "ocds", "--dossier", str(root))
    assert result.exit_code == 0, result.output
    written = root / "reports" / "exports" / "ocds" / "VS-2017-WMO-014-ocds.json"
    package = json.loads(written.read_text(encoding="utf-8"))
    assert len(package["releases"][0]["awards"]) == 29
    assert "29 awards" in result.stdout
    assert snapshot.head.hash[:16] in result.stdout
    assert UNREGISTERED_PREFIX in result.stderr  # the placeholder is pointed out

    piped = run_cli("export", "ocds", "--dossier", str(root), "--output", "-")
    assert piped.exit_code == 0, piped.output
    assert json.loads(piped.stdout) == package

    mine = tmp_path / "mine.json"
    mine.write_text("keep me", encoding="utf-8")
    refused = run_cli("export", "ocds", "--dossier", str(root), "--output", str(mine))
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == "keep me"
    forced = run_cli("export", "ocds", "--dossier", str(root), "--output", str(mine), "--force")
    assert forced.exit_code == 0, forced.output
    assert json.loads(mine.read_text(encoding="utf-8")) == package
