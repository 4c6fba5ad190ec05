"""An evaluator's score sheet as CSV or XLSX: exported to fill in offline, imported all or nothing.

The columns are ``bid, sub_criterion, score, motivation, reason``. The export
lists every item the evaluator is to score, with what they recorded (blank when
open) and an empty reason. The import reads every row first and reports every
bad one (row, column, what was wrong and what was expected); only when all rows
are sound does it record them, in one transaction of the record. Rows left
blank are open items and stay open, rows that match the record are skipped, and
a row that changes a recorded score needs a reason.

Rows are numbered as a spreadsheet numbers them: the header is row 1. A CSV may
be separated by commas or, as Dutch spreadsheets save it, by semicolons. A CSV's text
cells that could start a formula go out with a quote before them
(:mod:`tender.io.csvcells`) and come back without it; a workbook stores text as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tender.domain.errors import DossierError, InputError, Problem, TenderError, UsageError
from tender.io.atomic import write_chosen_file
from tender.io.csvcells import Figure, restored
from tender.io.csvcells import csv_text as csv_document
from tender.record.book import Item
from tender.record.recorder import Proposal, Recorder
from tender.record.rules import required_text

COLUMNS = ("bid", "sub_criterion", "score", "motivation", "reason")
REQUIRED = COLUMNS[:4]
SHEET_NAME = "scores"
FORMATS = (".csv", ".xlsx")

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class Row:
    """One data row of a sheet, its cells as text by column name."""

    number: int
    bid: str
    sub_criterion: str
    score: str
    motivation: str
    reason: str

    @property
    def blank(self) -> bool:
        return not (self.score or self.motivation or self.reason)


@dataclass(frozen=True, kw_only=True)
class Imported:
    """What an import recorded and what it left alone."""

    file: str
    recorded: int
    changed: int
    unchanged: int
    blank: int


# --- export ------------------------------------------------------------------------------


def sheet_rows(recorder: Recorder, evaluator: str) -> tuple[tuple[str, ...], ...]:
    """The evaluator's items with their own current scores: nobody else's, in any phase."""
    rows = []
    for bid, sub in recorder.items_for(evaluator):
        score = recorder.book.individual.get((evaluator, bid, sub))
        if score is None:
            rows.append((bid, sub, "", "", ""))
        else:
            rows.append((bid, sub, str(score.score), score.motivation, ""))
    return tuple(rows)


def csv_text(rows: Sequence[Sequence[str]]) -> str:
    """The sheet as CSV text with its header; the score, a number tender recorded, as it is."""
    cells = (
        (bid, sub, Figure(text=score) if score else "", motivation, reason)
        for bid, sub, score, motivation, reason in rows
    )
    return csv_document((COLUMNS, *cells), line_end="\r\n")


def export_sheet(recorder: Recorder, evaluator: str, path: Path, *, overwrite: bool = False) -> int:
    """Write the evaluator's sheet to ``path`` (.csv or .xlsx) in one step; return the row count."""
    suffix = _format(path)
    rows = sheet_rows(recorder, evaluator)
    data = csv_text(rows).encode("utf-8") if suffix == ".csv" else _xlsx_bytes(rows, recorder)
    write_chosen_file(path, data, force=overwrite)
    return len(rows)


def _xlsx_bytes(rows: Sequence[Sequence[str]], recorder: Recorder) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = SHEET_NAME
    sheet.append(COLUMNS)
    for bid, sub, score, motivation, reason in rows:
        sheet.append(
            [bid, sub, Decimal(score) if score else None, motivation or None, reason or None]
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (12, 22, 8, 80, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for (cell,) in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    points = ",".join(str(point) for point in recorder.dossier.award.scale_values)
    validation = DataValidation(
        type="list",
        formula1=f'"{points}"',
        allow_blank=True,
        error=f"A score is a point on the scale: {points}",
    )
    sheet.add_data_validation(validation)
    validation.add(f"C2:C{max(2, len(rows) + 1)}")
    scale = workbook.create_sheet("scale")
    scale.append(("score", "label", "guidance"))
    for point in recorder.dossier.award.scale:
        scale.append((point.value, point.label, point.guidance))
    scale.column_dimensions["C"].width = 100
    for written in (sheet, scale):
        _text_as_text(written)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_as_text(sheet: Worksheet) -> None:
    """Mark every text cell as text: openpyxl takes a string starting with '=' for a formula,
    so a motivation or guidance "=…" would otherwise run in the evaluator's spreadsheet."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


# --- import ------------------------------------------------------------------------------


def import_sheet(recorder: Recorder, evaluator: str, path: Path, display: str) -> Imported:
    """Check every row of the sheet, then record them all in one transaction, or nothing.

    Raises :class:`DossierError` listing every bad row when any row is bad.
    """
    recorder.require_evaluator(evaluator)
    recorder.require_individual_phase()
    rows = read_sheet(path, display)
    recorder.refresh()
    proposals: list[Proposal] = []
    problems: list[Problem] = []
    unchanged = 0
    seen: dict[Item, int] = {}
    for row in rows:
        if row.blank:
            continue
        checked, found = _check_row(recorder, evaluator, row, display, seen)
        problems += found
        if checked is None:
            continue
        if recorder.score_event(evaluator, checked) is None:
            unchanged += 1
        else:
            proposals.append(checked)
    if problems:
        raise DossierError(problems)
    changed = sum(1 for p in proposals if (evaluator, *p.item) in recorder.book.individual)
    recorder.record_scores(evaluator, proposals)
    return Imported(
        file=display,
        recorded=len(proposals) - changed,
        changed=changed,
        unchanged=unchanged,
        blank=sum(1 for row in rows if row.blank and row.bid),
    )


def _check_row(
    recorder: Recorder, evaluator: str, row: Row, display: str, seen: dict[Item, int]
) -> tuple[Proposal | None, list[Problem]]:
    """The row as a proposal to record, or the problem of each bad cell."""
    problems: list[Problem] = []

    def check(column: str, rule: Callable[[], T]) -> T | None:
        try:
            return rule()
        except TenderError as error:
            problems.append(
                Problem(file=display, line=row.number, field=column, message=str(error))
            )
            return None

    check("bid", lambda: recorder.check_bid(evaluator, _given(row.bid, "a bid id")))
    check(
        "sub_criterion",
        lambda: recorder.check_sub_criterion(_given(row.sub_criterion, "a sub-criterion id")),
    )
    score = check("score", lambda: recorder.parse_score(row.score))
    motivation = check(
        "motivation", lambda: required_text(row.motivation, "a motivation", "every score needs one")
    )
    item = (row.bid, row.sub_criterion)
    if item in seen:
        message = f"{row.bid} / {row.sub_criterion} is on row {seen[item]} already"
        problems.append(Problem(file=display, line=row.number, field="bid", message=message))
    seen.setdefault(item, row.number)
    if problems or score is None or motivation is None:
        return None, problems
    proposal = Proposal(
        bid=row.bid,
        sub_criterion=row.sub_criterion,
        score=score,
        motivation=motivation,
        reason=row.reason or None,
    )
    check("reason", lambda: recorder.score_event(evaluator, proposal))
    return (None if problems else proposal), problems


def _given(value: str, expected: str) -> str:
    if not value:
        raise InputError(f"empty; expected {expected}")
    return value


def read_sheet(path: Path, display: str) -> tuple[Row, ...]:
    """The sheet's data rows, as text; raise :class:`DossierError` when the file cannot serve."""
    suffix = _format(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{display}: cannot be read ({error.strerror})") from None
    table = _csv_table(data, display) if suffix == ".csv" else _xlsx_table(data, display)
    if not table:
        raise _sheet_error(display, 1, "header", f"the sheet is empty; expected {_expected()}")
    header = [cell.strip().lower() for cell in table[0]]
    while header and not header[-1]:
        header.pop()
    _check_header(header, display)
    rows = []
    for number, cells in enumerate(table[1:], 2):
        values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        extra = [cell for cell in cells[len(header) :] if cell.strip()]
        if extra:
            raise _sheet_error(
                display,
                number,
                None,
                f"the row has {len(header) + len(extra)} values where the header names "
                f"{len(header)} columns",
            )
        rows.append(Row(number=number, **{column: values.get(column, "") for column in COLUMNS}))
    return tuple(rows)


def _check_header(header: Sequence[str], display: str) -> None:
    missing = [column for column in REQUIRED if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    twice = sorted({column for column in header if header.count(column) > 1})
    faults = [
        f"{label}: {', '.join(repr(column) for column in columns)}"
        for label, columns in (("missing", missing), ("unknown", unknown), ("twice", twice))
        if columns
    ]
    if faults:
        raise _sheet_error(display, 1, "header", f"{'; '.join(faults)}; expected {_expected()}")


def _csv_table(data: bytes, display: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _sheet_error(
            display,
            line,
            None,
            f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the sheet as "
            "'CSV UTF-8', or use an .xlsx workbook",
        ) from None
    first = text.split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ","
    )
    try:
        return [[restored(cell) for cell in row] for row in reader]
    except csv.Error as error:
        raise _sheet_error(
            display, reader.line_num, None, f"not readable as CSV: {error}"
        ) from None


def _xlsx_table(data: bytes, display: str) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        sheet = (
            workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        )
        values = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    # openpyxl reports a damaged workbook through many kinds of exception (zip, XML, missing
    # parts, bad values); each means the same to the person importing it.
    except Exception as error:
        raise _sheet_error(
            display,
            None,
            None,
            f"not a readable XLSX workbook ({type(error).__name__}: {error}); "
            "save it again from the spreadsheet program, or export a new one",
        ) from None
    return values


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"{path}: expected a file ending in .csv or .xlsx")
    return suffix


def _expected() -> str:
    return f"the columns {', '.join(REQUIRED)} and optionally reason"


def _sheet_error(display: str, row: int | None, column: str | None, message: str) -> DossierError:
    return DossierError([Problem(file=display, line=row, field=column, message=message)])
