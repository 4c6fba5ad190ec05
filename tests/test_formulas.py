"""No CSV tender writes holds a cell a spreadsheet would run, and score sheets come back as sent.

Every bid of the corpus's small example is named like a formula (OWASP's CSV injection
examples; a leading tab or carriage return the loader strips from a name, so those are
checked on the cells alone), bid-002's motivations start with '=', and
every CSV file tender writes is read back cell by cell: each hostile text has exactly one
quote before it, and only numbers tender computed start with '-'.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook

from tender.domain.dossier import REPORTS
from tender.io.csvcells import Figure, csv_text, neutralised, restored
from tests.corpus import BID, EVALUATOR, build_base, reopen, set_value, to_individual_phase

Run = Callable[..., Result]

NAMES = {
    "bid-001": '=HYPERLINK("http://x","y")',
    "bid-002": "=cmd|' /C calc'!A0",
    "bid-003": "+1",
    "bid-017": "@SUM(1)",
    "bid-026": "-1+1 Zorg B.V.",
}
CITY = ("bid-001", "@Vechtstede")
MOTIVATION = '=HYPERLINK("http://x","y") '
"""What each of bid-002's motivations starts with."""
FORMULA = re.compile(r"^[=+@\t\r]")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?(/[0-9]+)?")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_base(
        tmp_path_factory.mktemp("formulas") / "dossier",
        motivate=lambda bid, sub, text: MOTIVATION + text if bid == BID and sub else text,
    )
    for bid, name in NAMES.items():
        set_value(root, f"submissions/{bid}/bid.yaml", "name:", json.dumps(name))
    set_value(root, f"submissions/{CITY[0]}/bid.yaml", "    city:", json.dumps(CITY[1]))
    reopen(root)
    return root


@pytest.fixture
def dossier(hostile: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(hostile, tmp_path / "dossier", symlinks=True))


def cells(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"), newline="")))


def test_a_text_that_could_start_a_formula_gets_one_quote_and_comes_back_without_it() -> None:
    for text in [*NAMES.values(), "\tZorg", "\r=1", "-2", "-cmd", "'=1", "''+1", "'@x"]:
        assert neutralised(text) == "'" + text
        assert restored(neutralised(text)) == text
    for text in ["Zorg B.V.", "'quoted'", "'", "", "8", " =1"]:
        assert neutralised(text) == text
        assert restored(text) == text


def test_only_a_number_tender_computed_is_written_unquoted() -> None:
    """A margin below the threshold is a negative number a spreadsheet must still add up; text
    that looks like one (from a bidder or an evaluator) is text."""
    text = csv_text([["bidder", "margin"], ["-5", Figure(text="-1/3")], ["x", Figure(text="-0.2")]])

    assert text == "bidder,margin\n'-5,-1/3\nx,-0.2\n"
    for wrong in ("=1", "-5 punten", "+31", "1e5", "-", ""):
        with pytest.raises(ValueError, match="a figure is a number tender computed"):
            Figure(text=wrong)


def test_the_decision_files_quote_every_hostile_name_and_keep_the_margins_numbers(
    dossier: Path, run_cli: Run
) -> None:
    assert run_cli("decide", "--dossier", str(dossier)).exit_code == 0

    rows = cells(dossier / REPORTS / "decisions" / "decisions.csv")

    assert {row["bid"]: row["bidder"] for row in rows} == {
        bid: "'" + name for bid, name in NAMES.items()
    }
    margins = [row["margin_exact"] for row in rows if row["margin_exact"]]
    assert any(margin.startswith("-") for margin in margins)
    assert all(NUMBER.fullmatch(margin) for margin in margins)
    _no_formula(dossier / REPORTS / "decisions" / "decisions.csv")


def test_every_csv_export_quotes_every_hostile_text(dossier: Path, run_cli: Run) -> None:
    assert run_cli("export", "csv", "--dossier", str(dossier)).exit_code == 0
    folder = dossier / REPORTS / "exports" / "csv"

    files = {path.name: cells(path) for path in folder.glob("*.csv")}

    assert set(files) == {
        "bids.csv",
        "suitability.csv",
        "individual-scores.csv",
        "final-scores.csv",
        "decisions.csv",
        "record.csv",
    }
    quoted = {(bid, "'" + text) for bid, text in NAMES.items()}
    for name in ("bids.csv", "suitability.csv"):
        assert {(row["bid"], row["bidder"]) for row in files[name]} == quoted, name
    for name in ("individual-scores.csv", "final-scores.csv"):  # of the bids scored
        shown = {(row["bid"], row["bidder"]) for row in files[name]}
        assert len(shown) >= 3 and shown <= quoted, name
    assert {row["bid"]: row["city"] for row in files["bids.csv"]}[CITY[0]] == "'" + CITY[1]
    motivations = [row["motivation"] for row in files["individual-scores.csv"] if row["bid"] == BID]
    assert motivations and all(text.startswith("'" + MOTIVATION) for text in motivations)
    consensus = [row["motivation"] for row in files["final-scores.csv"] if row["bid"] == BID]
    assert consensus and all(text.startswith("'" + MOTIVATION) for text in consensus)
    margins = [row["margin"] for row in files["decisions.csv"] if row["margin"]]
    assert any(margin.startswith("-") and NUMBER.fullmatch(margin) for margin in margins)
    for path in folder.glob("*.csv"):
        _no_formula(path)


def test_a_csv_score_sheet_quotes_the_motivation_and_its_import_restores_it_exactly(
    dossier: Path, run_cli: Run
) -> None:
    to_individual_phase(dossier)
    sheet = dossier.parent / "sheet.csv"
    exported = run_cli("score", "export", "-e", EVALUATOR, str(sheet), "-d", str(dossier))
    assert exported.exit_code == 0, exported.output
    mine = [row for row in cells(sheet) if row["bid"] == BID and row["motivation"]]
    assert mine and all(row["motivation"].startswith("'" + MOTIVATION) for row in mine)
    _no_formula(sheet)

    result = run_cli("score", "import", "-e", EVALUATOR, str(sheet), "-d", str(dossier))

    assert result.exit_code == 0, result.output
    assert " 0 recorded, 0 changed," in result.stdout  # every motivation read back as recorded


def test_an_xlsx_score_sheet_stores_the_motivation_as_text_not_a_formula(
    dossier: Path, run_cli: Run
) -> None:
    to_individual_phase(dossier)
    sheet = dossier.parent / "sheet.xlsx"
    exported = run_cli("score", "export", "-e", EVALUATOR, str(sheet), "-d", str(dossier))
    assert exported.exit_code == 0, exported.output

    found = load_workbook(sheet)["scores"]
    mine = [row[3] for row in found.iter_rows(min_row=2) if row[0].value == BID and row[3].value]
    assert mine and all(cell.data_type == "s" for cell in mine)
    assert all(str(cell.value).startswith(MOTIVATION) for cell in mine)
    result = run_cli("score", "import", "-e", EVALUATOR, str(sheet), "-d", str(dossier))
    assert result.exit_code == 0, result.output
    assert " 0 recorded, 0 changed," in result.stdout


def _no_formula(path: Path) -> None:
    """No cell starts a formula; a cell starting with '-' is a number (tender's own figure)."""
    for row in csv.reader(io.StringIO(path.read_text("utf-8"), newline="")):
        for cell in row:
            assert not FORMULA.match(cell), (path.name, cell)
            assert not cell.startswith("-") or NUMBER.fullmatch(cell), (path.name, cell)
