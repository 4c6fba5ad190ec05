"""Score sheets: exported as CSV or XLSX, imported all or nothing with every bad row reported."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tender.domain.dossier import Dossier
from tender.domain.errors import DossierError, RefusedError, UsageError
from tender.record.book import Score
from tender.record.recorder import Recorder
from tender.record.replay import read_book
from tender.record.sheets import Imported, csv_text, export_sheet, import_sheet, sheet_rows
from tests.conftest import DossierFactory
from tests.keys import acting_recorder, member_key
from tests.scoring_fixtures import CHAIR, SCALE, committee_dossier

HEADER = "bid,sub_criterion,score,motivation,reason\r\n"


@pytest.fixture
def dossier(make_dossier: DossierFactory) -> Dossier:
    return committee_dossier(make_dossier)


@pytest.fixture
def recorder(dossier: Dossier) -> Recorder:
    return acting_recorder(dossier, not_scored={"bid-003": "invalid: received after the deadline"})


def csv_file(tmp_path: Path, text: str, name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def opened(recorder: Recorder, seq: int, reader: str) -> Score:
    """The sealed score in entry ``seq`` as the record holds it, opened with ``reader``'s key."""
    return read_book(recorder.dossier, {reader: member_key(reader)}).opened[seq]


def problems(error: pytest.ExceptionInfo[DossierError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def test_the_csv_export_lists_the_evaluators_items_with_their_own_scores(
    recorder: Recorder,
) -> None:
    recorder.record_score(
        "evaluator-2",
        "bid-001",
        "criterion-2",
        score=Decimal(6),
        motivation='Says "why", on\ntwo lines',
    )
    recorder.record_score(
        "evaluator-1", "bid-001", "criterion-1", score=Decimal(2), motivation="other"
    )

    text = csv_text(sheet_rows(recorder, "evaluator-2"))

    assert text == (
        HEADER
        + "bid-001,criterion-1,,,\r\n"
        + 'bid-001,criterion-2,6,"Says ""why"", on\ntwo lines",\r\n'
        + "bid-002,criterion-1,,,\r\n"
        + "bid-002,criterion-2,,,\r\n"
    )


def test_an_xlsx_sheet_goes_out_and_comes_back_with_the_scores_filled_in(
    recorder: Recorder, tmp_path: Path
) -> None:
    path = tmp_path / "evaluator-2.xlsx"
    assert export_sheet(recorder, "evaluator-2", path) == 4
    workbook = load_workbook(path)
    sheet = workbook["scores"]
    assert [cell.value for cell in sheet[1]] == [
        "bid",
        "sub_criterion",
        "score",
        "motivation",
        "reason",
    ]
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == [None] * 4
    assert workbook["scale"]["B6"].value == "Goed"
    sheet["C2"], sheet["D2"] = 8, "Concrete."
    sheet["C3"], sheet["D3"] = 7.5 - 1.5, "Vague."
    workbook.save(path)

    imported = import_sheet(recorder, "evaluator-2", path, "evaluator-2.xlsx")

    assert imported == Imported(
        file="evaluator-2.xlsx", recorded=2, changed=0, unchanged=0, blank=2
    )
    assert {
        s.item: (str(s.score), s.motivation) for s in recorder.book.own_scores("evaluator-2")
    } == {
        ("bid-001", "criterion-1"): ("8", "Concrete."),
        ("bid-001", "criterion-2"): ("6", "Vague."),
    }


def test_the_export_shows_the_sheet_again_with_what_was_imported(
    recorder: Recorder, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, HEADER + "bid-002,criterion-1,4,Thin.,\r\n")
    import_sheet(recorder, "evaluator-2", path, "sheet.csv")
    export_sheet(recorder, "evaluator-2", path, overwrite=True)

    again = import_sheet(recorder, "evaluator-2", path, "sheet.csv")

    assert path.read_text(encoding="utf-8").splitlines()[3] == "bid-002,criterion-1,4,Thin.,"
    assert again == Imported(file="sheet.csv", recorded=0, changed=0, unchanged=1, blank=3)
    assert [entry.event["kind"] for entry in recorder.ledger.entries()] == [
        "opening",
        "sealed-score",
    ]


def test_a_changed_row_is_recorded_with_its_reason(recorder: Recorder, tmp_path: Path) -> None:
    recorder.record_score("evaluator-2", "bid-001", "criterion-1", score=Decimal(8), motivation="m")
    path = csv_file(tmp_path, HEADER + "bid-001,criterion-1,6,m,Misread page 2.\r\n")

    imported = import_sheet(recorder, "evaluator-2", path, "sheet.csv")

    assert imported == Imported(file="sheet.csv", recorded=0, changed=1, unchanged=0, blank=0)
    last = recorder.ledger.entries()[-1]
    assert (last.seq, last.by, last.event["kind"]) == (3, "evaluator-2", "sealed-score")
    assert (last.event["bid"], last.event["sub_criterion"]) == ("bid-001", "criterion-1")
    changed = opened(recorder, 3, "evaluator-2")
    assert (changed.score, changed.motivation, changed.reason) == (
        Decimal(6),
        "m",
        "Misread page 2.",
    )


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_recorded(
    recorder: Recorder, tmp_path: Path
) -> None:
    recorder.record_score("evaluator-3", "bid-001", "criterion-1", score=Decimal(8), motivation="m")
    rows = [
        "bid-001,criterion-2,8,Fine.,",  # 2: sound
        "bid-999,criterion-1,8,m,",  # 3
        "bid-001,criterion-9,8,m,",  # 4
        "bid-001,criterion-2,7,m,",  # 5: off the scale, and a duplicate of row 2
        ",,,,",  # 6: blank
        "bid-002,criterion-1,8,m,",  # 7: conflict
        "bid-003,criterion-1,8,m,",  # 8: not scored
        "bid-001,criterion-1,6,m,",  # 9: a change without a reason
        "bid-001,criterion-1,zes,,",  # 10: not a number, no motivation, and row 9 again
        ",criterion-2,8,m,",  # 11
    ]
    path = csv_file(tmp_path, HEADER + "\r\n".join(rows) + "\r\n")

    with pytest.raises(DossierError) as caught:
        import_sheet(recorder, "evaluator-3", path, "sheet.csv")

    assert problems(caught) == [
        "sheet.csv:3: bid: unknown bid 'bid-999'; expected a folder name under submissions/",
        "sheet.csv:4: sub_criterion: unknown sub-criterion 'criterion-9'; expected one of: "
        "criterion-1, criterion-2",
        "sheet.csv:5: bid: bid-001 / criterion-2 is on row 2 already",
        f"sheet.csv:5: score: 7 is not a point on the scale; expected one of: {SCALE}",
        "sheet.csv:7: bid: evaluator-3 declared a conflict of interest with bid-002 and may not "
        "score it",
        "sheet.csv:8: bid: bid-003 is not scored: invalid: received after the deadline",
        "sheet.csv:9: reason: a reason is required: changing the recorded 8 (entry 2) needs one",
        "sheet.csv:10: bid: bid-001 / criterion-1 is on row 9 already",
        "sheet.csv:10: motivation: a motivation is required: every score needs one",
        f"sheet.csv:10: score: 'zes' is not a number; expected one of: {SCALE}",
        "sheet.csv:11: bid: empty; expected a bid id",
    ]
    assert [entry.event["kind"] for entry in recorder.ledger.entries()] == [
        "opening",
        "sealed-score",
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "bid,sub_criterion,points,motivation",
            "sheet.csv:1: header: missing: 'score'; unknown: 'points'; expected the columns bid, "
            "sub_criterion, score, motivation and optionally reason",
        ),
        (
            "bid,sub_criterion,score,motivation,score",
            "sheet.csv:1: header: twice: 'score'; expected the columns bid, sub_criterion, score, "
            "motivation and optionally reason",
        ),
        (
            "",
            "sheet.csv:1: header: the sheet is empty; expected the columns bid, sub_criterion, "
            "score, motivation and optionally reason",
        ),
    ],
)
def test_a_wrong_header_is_reported(
    recorder: Recorder, tmp_path: Path, header: str, message: str
) -> None:
    path = csv_file(tmp_path, header + ("\r\nbid-001,criterion-1,8,m\r\n" if header else ""))

    with pytest.raises(DossierError) as caught:
        import_sheet(recorder, "evaluator-2", path, "sheet.csv")

    assert problems(caught) == [message]


def test_a_semicolon_csv_with_a_byte_order_mark_is_read(recorder: Recorder, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufeffBid;Sub_Criterion;Score;Motivation\r\nbid-001;criterion-1;8;Cliënt centraal, concreet.\r\n".encode()
    )

    imported = import_sheet(recorder, "evaluator-2", path, "excel.csv")

    assert imported.recorded == 1
    assert opened(recorder, 2, "evaluator-2").motivation == "Cliënt centraal, concreet."


def test_a_csv_that_is_not_utf8_is_refused_with_its_line(
    recorder: Recorder, tmp_path: Path
) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes((HEADER + "bid-001,criterion-1,8,Cliënt,\r\n").encode("cp1252"))

    with pytest.raises(DossierError) as caught:
        import_sheet(recorder, "evaluator-2", path, "sheet.csv")

    assert problems(caught) == [
        "sheet.csv:2: not UTF-8 text (byte 0xeb); save the sheet as 'CSV UTF-8', or use an .xlsx "
        "workbook"
    ]


def test_a_row_with_more_values_than_columns_is_refused(recorder: Recorder, tmp_path: Path) -> None:
    path = csv_file(tmp_path, HEADER + "bid-001,criterion-1,8,m,,extra\r\n")

    with pytest.raises(DossierError) as caught:
        import_sheet(recorder, "evaluator-2", path, "sheet.csv")

    assert problems(caught) == [
        "sheet.csv:2: the row has 6 values where the header names 5 columns"
    ]


def _xlsx_bytes() -> bytes:
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _without_workbook_part() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_xlsx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            if name != "xl/workbook.xml":
                target.writestr(name, source.read(name))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [b"not a workbook at all", b"", _xlsx_bytes()[:300], _without_workbook_part()],
    ids=["text", "empty", "truncated", "missing-part"],
)
def test_a_corrupt_xlsx_is_refused_with_a_message(
    recorder: Recorder, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(content)

    with pytest.raises(DossierError) as caught:
        import_sheet(recorder, "evaluator-2", path, "sheet.xlsx")

    (message,) = problems(caught)
    assert message.startswith("sheet.xlsx: not a readable XLSX workbook (")
    assert message.endswith("); save it again from the spreadsheet program, or export a new one")


def test_an_import_is_refused_once_the_individual_phase_is_over(
    recorder: Recorder, tmp_path: Path
) -> None:
    recorder.change_phase(CHAIR, "consensus", force_reason="test")
    path = csv_file(tmp_path, HEADER + "bid-001,criterion-1,8,m,\r\n")

    with pytest.raises(RefusedError) as caught:
        import_sheet(recorder, "evaluator-2", path, "sheet.csv")

    assert str(caught.value) == (
        "the evaluation is in the consensus phase; individual scores can no longer change"
    )


def test_the_export_refuses_to_overwrite_and_unknown_formats(
    recorder: Recorder, tmp_path: Path
) -> None:
    existing = csv_file(tmp_path, "mine")

    with pytest.raises(UsageError) as overwrite:
        export_sheet(recorder, "evaluator-2", existing)
    with pytest.raises(UsageError) as unknown:
        export_sheet(recorder, "evaluator-2", tmp_path / "sheet.ods")

    assert str(overwrite.value) == f"{existing} exists already; give --force to overwrite it"
    assert (
        str(unknown.value) == f"{tmp_path / 'sheet.ods'}: expected a file ending in .csv or .xlsx"
    )
    assert existing.read_text(encoding="utf-8") == "mine"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["dossier", "sheet.csv"]


def test_the_export_says_when_its_folder_does_not_exist(recorder: Recorder, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "sheet.csv"

    with pytest.raises(UsageError) as caught:
        export_sheet(recorder, "evaluator-2", target)

    assert str(caught.value) == f"{target}: cannot be written (No such file or directory)"
