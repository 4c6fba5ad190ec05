"""`tender export xlsx` and `tender export csv`: sheets a committee can pass on, checked against the decisions."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tender.app.snapshot import take_snapshot
from tender.award.decisions import Decision
from tender.io.loader import load_dossier
from tender.present.exports import Snapshot
from tender.present.exports.workbook import (
    SCORE_FORMAT,
    Column,
    Table,
    Tables,
    csv_bytes,
    tables,
    workbook_bytes,
)
from tests.conftest import REPO_ROOT, DossierFactory
from tests.keys import acting_recorder
from tests.scoring_fixtures import BIDS, CHAIR, EVALUATORS, SUBS, committee_root, open_bids

EXAMPLE_FOLDERS = ("criteria", "submissions", "scores")
SHEETS = ["Bids", "Suitability", "Individual scores", "Final scores", "Decisions", "Record"]
Run = Callable[..., Result]


def copy_example(target: Path) -> Path:
    """The example dossier copied to ``target``: exports never run on the repository itself."""
    for folder in EXAMPLE_FOLDERS:
        shutil.copytree(REPO_ROOT / folder, target / folder)
    return target


def sheet(book: Workbook, name: str) -> Worksheet:
    found = book[name]
    assert isinstance(found, Worksheet)
    return found


def records(found: Worksheet) -> dict[str, dict[str, object]]:
    """Data rows by their first cell, each as header -> value."""
    rows = list(found.iter_rows(values_only=True))
    header = [str(cell) for cell in rows[0]]
    return {str(row[0]): dict(zip(header, row, strict=True)) for row in rows[1:]}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def snapshot(example: Path) -> Snapshot:
    return take_snapshot(example)


@pytest.fixture(scope="module")
def decisions(snapshot: Snapshot) -> dict[str, Decision]:
    assert snapshot.decisions is not None
    return {decision.bid: decision for decision in snapshot.decisions}


@pytest.fixture(scope="module")
def book(snapshot: Snapshot) -> Workbook:
    data = workbook_bytes(tables(snapshot), title="VS-2017-WMO-014")
    return load_workbook(io.BytesIO(data))


def test_the_sheets_in_order(book: Workbook) -> None:
    assert book.sheetnames == SHEETS


@pytest.mark.parametrize(
    ("name", "header"),
    [
        (
            "Bids",
            ["Bid", "Bidder", "Trade register (KvK)", "City", "Received (Europe/Amsterdam)"],
        ),
        ("Suitability", ["Bid", "Bidder", "Requirement", "Category", "Title", "Status"]),
        ("Individual scores", ["Bid", "Bidder", "Sub-criterion", "Evaluator", "Score"]),
        ("Final scores", ["Bid", "Bidder", "Sub-criterion", "Title", "Weight (%)", "Final score"]),
        ("Decisions", ["Bid", "Bidder", "Outcome", "Awarded", "De cliënt centraal"]),
        ("Record", ["Item", "Value"]),
    ],
)
def test_every_sheet_has_a_frozen_filtered_header(
    book: Workbook, name: str, header: list[str]
) -> None:
    found = sheet(book, name)
    titles = [cell.value for cell in found[1]]
    assert titles[: len(header)] == header
    assert found.freeze_panes == "A2"
    last = get_column_letter(found.max_column)
    assert found.auto_filter.ref == f"A1:{last}{found.max_row}"
    assert all(cell.font.bold for cell in found[1])
    letters = [get_column_letter(index) for index in range(1, found.max_column + 1)]
    widths = [found.column_dimensions[letter].width for letter in letters]
    assert all(6 <= width <= 80 for width in widths), widths


def test_decisions_match_the_decisions(book: Workbook, decisions: dict[str, Decision]) -> None:
    rows = records(sheet(book, "Decisions"))
    assert set(rows) == set(decisions)
    assert sum(1 for row in rows.values() if row["Awarded"] is True) == 29
    for bid, decision in decisions.items():
        assert rows[bid]["Outcome"] == decision.outcome
        assert rows[bid]["Awarded"] is decision.awarded
    exactly = rows["bid-003"]
    assert exactly["Outcome"] == "provisional-award"
    assert exactly["Weighted mean"] == 8
    assert exactly["Weighted mean (exact)"] == "8"
    assert exactly["Margin"] == 0
    late = rows["bid-038"]
    assert late["Outcome"] == "invalid"
    assert late["Rules"] == "late"
    assert "7 seconds after the deadline" in str(late["Reasons"])
    assert late["Weighted mean"] is None
    below = decisions["bid-017"]
    assert below.weighted_mean == Fraction(79, 10)
    assert rows["bid-017"]["Weighted mean"] == pytest.approx(7.9)
    assert rows["bid-017"]["Margin (exact)"] == "-0.1"


def test_scores_are_numbers_with_a_score_format_and_their_exact_text(book: Workbook) -> None:
    found = sheet(book, "Decisions")
    header = [cell.value for cell in found[1]]
    column = header.index("Weighted mean") + 1
    exact_column = header.index("Weighted mean (exact)") + 1
    cell = found.cell(row=2, column=column)
    assert cell.data_type == "n"
    assert cell.number_format == SCORE_FORMAT
    assert found.cell(row=2, column=exact_column).data_type == "s"


def test_final_scores_match_the_decisions(book: Workbook, decisions: dict[str, Decision]) -> None:
    rows = list(sheet(book, "Final scores").iter_rows(min_row=2, values_only=True))
    scored = [decision for decision in decisions.values() if decision.finals]
    assert len(rows) == 5 * len(scored) == 600
    by_item = {(row[0], row[2]): row for row in rows}
    for final in decisions["bid-019"].finals:
        row = by_item[("bid-019", final.sub_criterion)]
        assert row[5] == float(final.value)
        assert row[7] == "consensus"
        assert row[11] == final.motivation
    assert [by_item[("bid-003", sub)][5] for sub in ("client-centraal", "innovatie")] == [8, 8]


def test_bids_have_real_dates_and_their_standing(book: Workbook) -> None:
    found = sheet(book, "Bids")
    rows = records(found)
    assert len(rows) == 128
    late = rows["bid-038"]
    assert late["Received (Europe/Amsterdam)"] == datetime(2017, 11, 10, 12, 0, 7)
    assert late["On time"] is False
    assert late["Standing"] == "invalid"
    assert rows["bid-003"]["On time"] is True
    assert rows["bid-003"]["Trade register (KvK)"] == "44645984"  # text, leading zeros kept
    header = [cell.value for cell in found[1]]
    received = found.cell(row=2, column=header.index("Received (Europe/Amsterdam)") + 1)
    assert isinstance(received, Cell)
    assert received.is_date
    assert received.number_format == "yyyy-mm-dd hh:mm:ss"


def test_individual_scores_and_suitability_are_complete(book: Workbook, snapshot: Snapshot) -> None:
    individual = list(sheet(book, "Individual scores").iter_rows(min_row=2, values_only=True))
    assert len(individual) == len(snapshot.evaluation.book.individual)
    suitability = list(sheet(book, "Suitability").iter_rows(min_row=2, values_only=True))
    assert len(suitability) == 128 * 7


def test_the_record_sheet_names_the_state_it_shows(book: Workbook, snapshot: Snapshot) -> None:
    found = sheet(book, "Record")
    items = {row[0]: row[1] for row in found.iter_rows(min_row=2, values_only=True)}
    assert items["Record head hash"] == snapshot.head.hash
    assert items["Record entries"] == 4329
    assert items["Phase"] == "locked"
    assert items["Outcome: provisional-award"] == 29
    assert items["Standstill ends"] == datetime(2017, 12, 21)


def test_text_stays_text_and_fractions_keep_their_exact_value() -> None:
    table = Table(
        name="Decisions",
        file="decisions",
        columns=(
            Column(key="bidder", title="Bidder"),
            Column(key="mean", title="Mean"),
            Column(key="mean_exact", title="Exact"),
        ),
        rows=(
            ('=HYPERLINK("http://example.com")', Fraction(22, 3), "22/3"),
            ("@SUM(A1)\x0b", Fraction(-1, 3), "-1/3"),
            ("x" * 40_000, None, None),
        ),
    )
    book = load_workbook(io.BytesIO(workbook_bytes(Tables((table,), ()), title="t")))
    found = sheet(book, "Decisions")
    assert found["A2"].data_type == "s"
    assert found["A2"].value == '=HYPERLINK("http://example.com")'
    assert found["A3"].value == "@SUM(A1)"  # a control character cannot be stored; it is dropped
    assert len(str(found["A4"].value)) == 32_767
    assert found["B2"].value == pytest.approx(22 / 3)
    assert found["B2"].number_format == SCORE_FORMAT
    text = csv_bytes(table).decode("utf-8")
    assert text.split("\n")[1:-1] == [
        '"\'=HYPERLINK(""http://example.com"")",7.333333333333,22/3',
        "'@SUM(A1)\x0b,-0.333333333334,'-1/3",  # text, even one that reads as a number
        "x" * 40_000 + ",,",
    ]


def scored_with_mean(make_dossier: DossierFactory) -> Path:
    """The small committee dossier with mean final scores, scored, in the consensus phase."""
    root = committee_root(make_dossier, opened=False)
    award = root / "criteria" / "award.yaml"
    text = award.read_text(encoding="utf-8")
    assert "final_score: consensus" in text
    award.write_text(text.replace("final_score: consensus", "final_score: mean"), encoding="utf-8")
    open_bids(root)
    recorder = acting_recorder(load_dossier(root))
    points = {"evaluator-1": 8, "evaluator-2": 8, "evaluator-3": 6}
    for bid in BIDS:
        recorder.record_verdict(
            EVALUATORS[1], bid, "referenties", passed=True, reason="Two references checked."
        )
    for person, point in points.items():
        for bid, sub in recorder.items_for(person):
            recorder.record_score(
                person, bid, sub, score=Decimal(point), motivation=f"{person} on {bid}/{sub}."
            )
    recorder.change_phase(CHAIR, "consensus")
    return root


def test_mean_scores_that_do_not_terminate_get_exact_columns(
    make_dossier: DossierFactory, run_cli: Run
) -> None:
    root = scored_with_mean(make_dossier)
    result = run_cli("export", "xlsx", "--dossier", str(root))
    assert result.exit_code == 0, result.output
    book = load_workbook(root / "reports" / "exports" / "xlsx" / "REF-0000-00.xlsx")
    assert book.sheetnames == SHEETS
    rows = records(sheet(book, "Decisions"))
    assert rows["bid-001"]["First sub-criterion (exact)"] == "22/3"  # (8 + 8 + 6) / 3
    assert rows["bid-001"]["First sub-criterion"] == pytest.approx(22 / 3)
    assert rows["bid-002"]["First sub-criterion (exact)"] == "8"  # evaluator-3 is conflicted
    assert rows["bid-001"]["Outcome"] == "below-threshold"
    assert rows["bid-001"]["Margin (exact)"] == "-2/3"

    csv_result = run_cli("export", "csv", "--dossier", str(root))
    assert csv_result.exit_code == 0, csv_result.output
    folder = root / "reports" / "exports"
    assert (folder / "xlsx" / "REF-0000-00.xlsx").is_file()  # the other export is kept
    text = (folder / "csv" / "decisions.csv").read_text(encoding="utf-8")
    decided = {row["bid"]: row for row in csv.DictReader(io.StringIO(text))}
    assert decided["bid-001"]["criterion-1"] == "7.333333333333"
    assert decided["bid-001"]["criterion-1_exact"] == "22/3"
    assert decided["bid-001"]["weighted_mean_exact"] == "22/3"
    assert decided["bid-002"]["awarded"] == "true"
    assert {path.name for path in (folder / "csv").iterdir()} == {
        "bids.csv",
        "suitability.csv",
        "individual-scores.csv",
        "final-scores.csv",
        "decisions.csv",
        "record.csv",
    }


def test_in_the_individual_phase_the_individual_scores_sheet_is_left_out(
    make_dossier: DossierFactory, run_cli: Run
) -> None:
    root = committee_root(make_dossier)
    recorder = acting_recorder(load_dossier(root))
    recorder.record_score(
        EVALUATORS[0], BIDS[0], SUBS[0], score=Decimal(8), motivation="Concrete and convincing."
    )
    result = run_cli("export", "xlsx", "--dossier", str(root))
    assert result.exit_code == 0, result.output
    assert "Individual scores sheet is left out: the evaluation is in the individual phase" in (
        result.stderr
    )
    assert "Final scores and Decisions sheets are left out" in result.stderr
    book = load_workbook(root / "reports" / "exports" / "xlsx" / "REF-0000-00.xlsx")
    assert book.sheetnames == ["Bids", "Suitability", "Record"]
    for name in book.sheetnames:
        for row in sheet(book, name).iter_rows(values_only=True):
            assert "Concrete and convincing." not in row
    as_csv = run_cli("export", "csv", "--dossier", str(root))
    assert as_csv.exit_code == 0, as_csv.output
    written = sorted((root / "reports" / "exports" / "csv").iterdir())
    assert [path.name for path in written] == ["bids.csv", "record.csv", "suitability.csv"]
    assert not any("Concrete and convincing." in path.read_text("utf-8") for path in written)


def test_csv_has_one_file_per_sheet_with_the_same_values(
    example: Path, run_cli: Run, tmp_path: Path
) -> None:
    target = tmp_path / "csv"
    result = run_cli("export", "csv", "--dossier", str(example), "--output", str(target))
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in target.iterdir()) == sorted(
        [
            "bids.csv",
            "suitability.csv",
            "individual-scores.csv",
            "final-scores.csv",
            "decisions.csv",
            "record.csv",
        ]
    )
    text = (target / "decisions.csv").read_text(encoding="utf-8")
    decided = {row["bid"]: row for row in csv.DictReader(io.StringIO(text))}
    assert len(decided) == 128
    assert sum(row["awarded"] == "true" for row in decided.values()) == 29
    assert decided["bid-003"]["weighted_mean"] == "8"
    assert decided["bid-003"]["margin_exact"] == "0"
    assert decided["bid-038"]["outcome"] == "invalid"
    bids = {
        row["bid"]: row
        for row in csv.DictReader(io.StringIO((target / "bids.csv").read_text(encoding="utf-8")))
    }
    assert bids["bid-038"]["received"] == "2017-11-10T12:00:07+01:00"
    assert bids["bid-038"]["on_time"] == "false"

    again = run_cli("export", "csv", "--dossier", str(example), "--output", str(target))
    assert again.exit_code == 2
    assert "--force" in again.stderr


def test_the_workbook_goes_to_a_file_only_when_asked_and_never_over_one(
    example: Path, run_cli: Run, tmp_path: Path
) -> None:
    refused = run_cli("export", "xlsx", "--dossier", str(example), "--output", "-")
    assert refused.exit_code == 2
    assert "not text" in refused.stderr
    mine = tmp_path / "beoordeling.xlsx"
    mine.write_bytes(b"mine")
    kept = run_cli("export", "xlsx", "--dossier", str(example), "--output", str(mine))
    assert kept.exit_code == 2
    assert mine.read_bytes() == b"mine"
    written = run_cli("export", "xlsx", "-d", str(example), "-o", str(mine), "--force")
    assert written.exit_code == 0, written.output
    assert load_workbook(mine).sheetnames == SHEETS
