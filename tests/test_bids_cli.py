"""tender bids, bids show, suitability and suitability verify, as a committee member types them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from click.testing import Result

from tests.conftest import VALID_BID, DossierFactory
from tests.pdf_fixtures import bid_files, plan_pdf, text_pdf
from tests.scoring_fixtures import open_bids

RunCli = Callable[..., Result]
OVER_LIMIT_PLAN = plan_pdf([("1. First sub-criterion", 3), ("2. Second sub-criterion", 1)])


def test_bids_lists_every_bid_with_its_findings(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = make_dossier(bid_files(plan=OVER_LIMIT_PLAN))
    result = run_cli("bids", "-d", str(root))
    assert result.exit_code == 0, result.output
    assert re.search(r"bid-001 .* 2026-11-09 10:15:00 +yes +2 +6 +1 *\n", result.stdout), (
        result.stdout
    )
    assert (
        "bid-001: the section on 'criterion-1' has 3 pages where 2 are allowed; page 4 of the "
        "plan will not be evaluated\n"
    ) in result.stdout
    assert result.stdout.endswith("1 bid: 1 pending; 6 pages.\n")


def test_bids_as_json(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    root = make_dossier(bid_files())
    result = run_cli("bids", "-d", str(root), "--json")
    assert result.exit_code == 0, result.output
    (line,) = json.loads(result.stdout)
    assert {key: line[key] for key in ("bid", "bidder", "on_time", "documents", "pages")} == {
        "bid": "bid-001",
        "bidder": "Thuiszorg Zonnebloem B.V.",
        "on_time": True,
        "documents": 2,
        "pages": 5,
    }
    assert line["received"] == "2026-11-09T10:15:00+01:00"
    assert (line["standing"], line["findings"]) == ("pending", [])


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (
            text_pdf(["geheim"], password="geheim"),
            "the PDF is encrypted and needs a password to be opened",
        ),
        (b"", "the file is empty (0 bytes)"),
        (b"<html>not a pdf</html>", "the file is not a PDF (it starts with '<html>not a pdf<')"),
        (b"%PDF-1.4\n%%EOF\n", "the file is damaged: its PDF structure cannot be read"),
    ],
)
def test_a_bad_pdf_is_a_finding_not_a_traceback(
    make_dossier: DossierFactory, run_cli: RunCli, plan: bytes, message: str
) -> None:
    root = make_dossier(bid_files(plan=plan))
    result = run_cli("bids", "-d", str(root))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert re.search(r"bid-001 .* +yes +2 +1 +2 *\n", result.stdout), result.stdout
    assert result.stdout.endswith("1 bid: 1 invalid; 1 page.\n")
    assert (
        f"bid-001: the mandatory document 'kwaliteitsplan' (Kwaliteitsplan) cannot be read, so "
        f"it counts as not submitted: kwaliteitsplan.pdf: {message}\n"
    ) in result.stdout
    assert f"bid-001: kwaliteitsplan.pdf (kwaliteitsplan) cannot be read: {message}\n" in (
        result.stdout
    )


def test_bids_show_gives_documents_fields_and_sections(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = make_dossier(bid_files(plan=OVER_LIMIT_PLAN))
    result = run_cli("bids", "show", "bid-001", "-d", str(root))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "bid-001 · Thuiszorg Zonnebloem B.V." in out
    assert re.search(r"bidder\.trade_register +12345678", out), out
    assert re.search(r"kwaliteitsplan\* +kwaliteitsplan\.pdf +5 +— +ok", out), out
    assert re.search(r"uitsluiting_faillissement +Nee", out), out
    assert re.search(r"criterion-1 +2-4 +3 +2 +4 *\n", out), out
    assert re.search(r"criterion-2 +5-5 +1 +2 +— *\n", out), out


def test_bids_show_as_json(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    root = make_dossier(bid_files(plan=OVER_LIMIT_PLAN))
    result = run_cli("bids", "show", "bid-001", "-d", str(root), "--json")
    assert result.exit_code == 0, result.output
    detail = json.loads(result.stdout)
    assert detail["metadata"]["financials.annual_turnover_eur"] == "250000"
    assert [doc["pages"] for doc in detail["documents"]] == [5, 1]
    assert detail["documents"][1]["fields"] == {
        "uitsluiting_veroordeling": "Nee",
        "uitsluiting_faillissement": "Nee",
    }
    assert detail["sections"][0] == {
        "sub_criterion": "criterion-1",
        "first_page": 2,
        "last_page": 4,
        "pages": 3,
        "max_pages": 2,
        "not_evaluated": [4],
    }


def test_bids_show_an_unknown_bid(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    result = run_cli("bids", "show", "bid-999", "-d", str(make_dossier(bid_files())))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: unknown bid 'bid-999'; expected a folder name under submissions/\n"
    )


def test_suitability_shows_pass_fail_and_pending(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    bid = VALID_BID.replace("annual_turnover_eur: 250000", "annual_turnover_eur: 50000")
    root = make_dossier(bid_files(bid=bid))
    result = run_cli("suitability", "-d", str(root))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"1 +handelsregister +Registered in the trade register", out), out
    assert re.search(r"bid-001 +unsuitable +✓ +✗ +…\s*\n", out), out
    assert (
        "bid-001 omzet: financials.annual_turnover_eur is 50000 (required: at least 100000)\n"
        in out
    )
    assert out.endswith(
        "referenties: 1 bid awaits a verdict (tender suitability verify BID referenties "
        "--pass|--fail --reason TEXT --by EVALUATOR)\n"
    )


def test_suitability_as_json(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    result = run_cli("suitability", "-d", str(make_dossier(bid_files())), "--json")
    assert result.exit_code == 0, result.output
    (line,) = json.loads(result.stdout)
    assert (line["bid"], line["standing"]) == ("bid-001", "pending")
    assert [(r["requirement"], r["status"]) for r in line["requirements"]] == [
        ("handelsregister", "pass"),
        ("omzet", "pass"),
        ("referenties", "pending"),
    ]
    assert line["reasons"][-1]["rule"] == "verdict-pending"


def test_verify_records_a_verdict_and_keeps_the_old_one(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = make_dossier(bid_files())
    open_bids(root)
    first = run_cli(
        "suitability",
        "verify",
        "bid-001",
        "referenties",
        "--pass",
        "--reason",
        "Twee referenties Wmo, 2024 en 2025.",
        "--by",
        "evaluator-2",
        "-d",
        str(root),
    )
    assert first.exit_code == 0, first.output
    assert re.fullmatch(
        r"Recorded entry 2: bid-001 / referenties: pass by evaluator-2 at \S+: "
        r"Twee referenties Wmo, 2024 en 2025\.\nreferenties is now: ✓ pass\n",
        first.stdout,
    ), first.stdout
    second = run_cli(
        "suitability",
        "verify",
        "bid-001",
        "referenties",
        "--fail",
        "--reason",
        "De referentie uit 2024 is geen thuisondersteuning.",
        "--by",
        "evaluator-1",
        "-d",
        str(root),
    )
    assert second.exit_code == 0, second.output
    assert re.search(
        r"It replaces entry 2 \(pass by evaluator-2 at \S+: Twee referenties Wmo, 2024 en "
        r"2025\.\); both stay on record\.\nreferenties is now: ✗ fail\n",
        second.stdout,
    ), second.stdout
    table = run_cli("suitability", "-d", str(root), "--json")
    (line,) = json.loads(table.stdout)
    referenties = next(r for r in line["requirements"] if r["requirement"] == "referenties")
    assert [(v["by"], v["passed"]) for v in referenties["history"]] == [
        ("evaluator-2", True),
        ("evaluator-1", False),
    ]
    assert line["standing"] == "unsuitable"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["bid-001", "referenties", "--pass", "--reason", "ok", "--by", "nobody"],
            1,
            "error: unknown member 'nobody'; expected one of: evaluator-1, evaluator-2, "
            "evaluator-3\n",
        ),
        (
            ["bid-001", "omzet", "--pass", "--reason", "ok", "--by", "evaluator-1"],
            4,
            "error: requirement 'omzet' is checked by the tool, not by a person\n",
        ),
        (
            ["bid-001", "referenties", "--pass", "--reason", "  ", "--by", "evaluator-1"],
            1,
            "error: a reason is required: every verdict needs one\n",
        ),
        (
            ["bid-007", "referenties", "--pass", "--reason", "ok", "--by", "evaluator-1"],
            1,
            "error: unknown bid 'bid-007'; expected a folder name under submissions/\n",
        ),
    ],
)
def test_verify_refuses_what_it_cannot_record(
    make_dossier: DossierFactory, run_cli: RunCli, args: list[str], code: int, message: str
) -> None:
    root = make_dossier(bid_files())
    result = run_cli("suitability", "verify", *args, "-d", str(root))
    assert result.exit_code == code, result.output
    assert result.stderr == message
    assert not (root / "scores" / "ledger.jsonl").exists()


def test_verify_needs_pass_or_fail(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    root = make_dossier(bid_files())
    result = run_cli(
        "suitability",
        "verify",
        "bid-001",
        "referenties",
        "--reason",
        "ok",
        "--by",
        "x",
        "-d",
        str(root),
    )
    assert result.exit_code == 2
    assert "Error: give the verdict: --pass or --fail" in result.stderr


@pytest.mark.parametrize(
    "command",
    [["bids"], ["bids", "show"], ["suitability"], ["suitability", "verify"]],
)
def test_every_command_has_help_with_an_example(run_cli: RunCli, command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout
    assert "Exit codes:" in result.stdout


def test_suitability_refuses_a_damaged_record(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = make_dossier(bid_files(**{"scores/ledger.jsonl": "not an entry\n"}))
    result = run_cli("suitability", "-d", str(root))
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "error: scores/ledger.jsonl:1: the line is not a readable entry (changed outside tender?)\n"
    )
