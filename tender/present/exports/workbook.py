"""The evaluation as a workbook a committee can pass on as it is, and as CSV, one file per sheet.

Sheets, in order:

- **Bids**: every bid, when it came in (a real date and time, in the procedure's
  time zone), whether on time, its standing before scoring and why.
- **Suitability**: every bid x requirement, pass, fail or pending, who gave the
  verdict where a person had to, and the reasons.
- **Individual scores**: every evaluator's current score with its motivation.
  Only once the chair has opened the consensus phase; before that the sheet is
  left out (and :attr:`Tables.notes` says why), as no one may yet see another's
  scores.
- **Final scores**: per bid and sub-criterion the score that counts, how it was
  reached, the range of the individual scores, and the consensus motivation.
- **Decisions**: per bid the outcome, the final scores, the weighted mean and the
  margin to the threshold, and the reasons.
- **Record**: which state of the record the workbook shows (phase, number of
  entries and head hash, letters and standstill), so that a copy passed on can
  be checked against the record.

Final scores and decisions are left out while decisions cannot be taken yet.
Every sheet has a frozen, filtered header row and sized columns. Scores that
are derived (final scores, weighted means, margins) are numbers with their
exact value as far as a spreadsheet can hold it, shown with at least two
decimals and never rounded up across a threshold by the format; their exact
value as text (``7.8``, ``22/3``) sits in the column beside them. Text is always
stored as text, so a bidder's name beginning with ``=`` is not a formula.

The CSV files hold the same columns under machine-friendly names: UTF-8, comma
separated, dates in ISO 8601 with their offset, scores as exact decimals where
they terminate (else to 12 decimals, with the exact fraction beside them). A text
cell that a spreadsheet would take for a formula has a quote before it
(:mod:`tender.io.csvcells`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tender import __version__
from tender.award.decisions import exact
from tender.domain.findings import Finding
from tender.io.csvcells import Figure, csv_text
from tender.present.exports import Snapshot
from tender.present.render import Rendered

Cell = str | int | bool | Decimal | Fraction | date | datetime | Figure | None
"""A cell's value; a :class:`Figure` is an exact figure as text (``22/3``), text in the sheet."""

SCORE_FORMAT = "0.00##########"
"""At least two decimals and up to twelve: 8 shows 8.00, 22/3 shows 7.333333333333."""
DATE_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm:ss"
CSV_PLACES = 12
EXCEL_CELL_CHARS = 32_767
LONG_WIDTH = 80
MAX_WIDTH = 50
MIN_WIDTH = 6
SEPARATOR = " | "
_HEADER_FILL = PatternFill("solid", start_color="FFDDE4EE", end_color="FFDDE4EE")
_SIZED_ROWS = 500


@dataclass(frozen=True, kw_only=True)
class Column:
    """One column: its CSV name, its header in the sheet, and whether it holds long text."""

    key: str
    title: str
    long: bool = False


@dataclass(frozen=True, kw_only=True)
class Table:
    """One sheet (and one CSV file)."""

    name: str
    file: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Tables:
    """The sheets of an export, and what was left out and why."""

    tables: tuple[Table, ...]
    notes: tuple[str, ...]

    def table(self, name: str) -> Table | None:
        return next((table for table in self.tables if table.name == name), None)


def tables(snapshot: Snapshot) -> Tables:
    """Every sheet the snapshot allows, in order."""
    found = [_bids(snapshot), _suitability(snapshot)]
    notes = []
    if snapshot.scores_visible:
        found.append(_individual(snapshot))
    else:
        notes.append(
            "the Individual scores sheet is left out: the evaluation is in the individual "
            "phase, and no one sees another evaluator's scores until the chair opens the "
            "consensus phase"
        )
    if snapshot.decisions is not None:
        found += [_finals(snapshot), _decisions(snapshot)]
    else:
        notes.append(f"the Final scores and Decisions sheets are left out: {snapshot.note}")
    found.append(_record(snapshot))
    return Tables(tuple(found), tuple(notes))


# --- the sheets ---------------------------------------------------------------------------


def _bids(snapshot: Snapshot) -> Table:
    evaluation = snapshot.evaluation
    zone = _zone(snapshot)
    by_bid = {assessment.bid: assessment for assessment in evaluation.assessments}
    rows = []
    for submission in evaluation.dossier.submissions:
        assessment = by_bid[submission.id]
        bidder = submission.metadata.bidder
        rows.append(
            (
                submission.id,
                bidder.name,
                bidder.trade_register,
                bidder.address.city,
                submission.metadata.received.astimezone(zone),
                assessment.validity.on_time,
                assessment.validity.valid,
                assessment.standing,
                _rules(assessment.reasons),
                _messages(assessment.reasons),
            )
        )
    return Table(
        name="Bids",
        file="bids",
        columns=(
            Column(key="bid", title="Bid"),
            Column(key="bidder", title="Bidder"),
            Column(key="trade_register", title="Trade register (KvK)"),
            Column(key="city", title="City"),
            Column(key="received", title=f"Received ({zone.key})"),
            Column(key="on_time", title="On time"),
            Column(key="valid", title="Valid"),
            Column(key="standing", title="Standing"),
            Column(key="rules", title="Rules"),
            Column(key="reasons", title="Reasons", long=True),
        ),
        rows=tuple(rows),
    )


def _suitability(snapshot: Snapshot) -> Table:
    zone = _zone(snapshot)
    rows = []
    for assessment in snapshot.evaluation.assessments:
        for result in assessment.requirements:
            verdict = result.verdict
            rows.append(
                (
                    assessment.bid,
                    assessment.bidder,
                    result.requirement,
                    result.category,
                    result.title,
                    result.status,
                    None if verdict is None else verdict.by,
                    None if verdict is None else verdict.at.astimezone(zone),
                    _rules(result.reasons),
                    _messages(result.reasons),
                )
            )
    return Table(
        name="Suitability",
        file="suitability",
        columns=(
            Column(key="bid", title="Bid"),
            Column(key="bidder", title="Bidder"),
            Column(key="requirement", title="Requirement"),
            Column(key="category", title="Category"),
            Column(key="title", title="Title", long=True),
            Column(key="status", title="Status"),
            Column(key="verified_by", title="Verdict by"),
            Column(key="verified_at", title=f"Verdict at ({zone.key})"),
            Column(key="rules", title="Rules"),
            Column(key="reasons", title="Reasons", long=True),
        ),
        rows=tuple(rows),
    )


def _individual(snapshot: Snapshot) -> Table:
    evaluation = snapshot.evaluation
    dossier = evaluation.dossier
    zone = _zone(snapshot)
    book = evaluation.book
    bidders = {s.id: s.metadata.bidder.name for s in dossier.submissions}
    rows = []
    for submission in dossier.submissions:
        for sub in dossier.award.sub_criteria:
            for person in dossier.committee.evaluators:
                score = book.individual.get((person.id, submission.id, sub.id))
                if score is None:
                    continue
                rows.append(
                    (
                        submission.id,
                        bidders[submission.id],
                        sub.id,
                        person.id,
                        score.score,
                        score.motivation,
                        score.at.astimezone(zone),
                        score.reason,
                    )
                )
    return Table(
        name="Individual scores",
        file="individual-scores",
        columns=(
            Column(key="bid", title="Bid"),
            Column(key="bidder", title="Bidder"),
            Column(key="sub_criterion", title="Sub-criterion"),
            Column(key="evaluator", title="Evaluator"),
            Column(key="score", title="Score"),
            Column(key="motivation", title="Motivation", long=True),
            Column(key="recorded_at", title=f"Recorded at ({zone.key})"),
            Column(key="change_reason", title="Reason for the change", long=True),
        ),
        rows=tuple(rows),
    )


def _finals(snapshot: Snapshot) -> Table:
    dossier = snapshot.evaluation.dossier
    rows = []
    for decision in snapshot.decisions or ():
        for final in decision.finals:
            sub = dossier.award.sub_criterion(final.sub_criterion)
            assert sub is not None  # decisions are taken on the dossier's sub-criteria
            points = [score.score for score in final.individual]
            rows.append(
                (
                    decision.bid,
                    decision.bidder,
                    final.sub_criterion,
                    sub.title,
                    sub.weight,
                    final.value,
                    Figure(text=exact(final.value)),
                    final.method,
                    len(points),
                    min(points, default=None),
                    max(points, default=None),
                    final.motivation,
                )
            )
    return Table(
        name="Final scores",
        file="final-scores",
        columns=(
            Column(key="bid", title="Bid"),
            Column(key="bidder", title="Bidder"),
            Column(key="sub_criterion", title="Sub-criterion"),
            Column(key="title", title="Title"),
            Column(key="weight", title="Weight (%)"),
            Column(key="final_score", title="Final score"),
            Column(key="final_score_exact", title="Final score (exact)"),
            Column(key="method", title="Method"),
            Column(key="evaluators", title="Individual scores"),
            Column(key="lowest", title="Lowest"),
            Column(key="highest", title="Highest"),
            Column(key="motivation", title="Consensus motivation", long=True),
        ),
        rows=tuple(rows),
    )


def _decisions(snapshot: Snapshot) -> Table:
    dossier = snapshot.evaluation.dossier
    subs = dossier.award.sub_criteria
    with_exact = dossier.award.final_score != "consensus"
    columns = [
        Column(key="bid", title="Bid"),
        Column(key="bidder", title="Bidder"),
        Column(key="outcome", title="Outcome"),
        Column(key="awarded", title="Awarded"),
    ]
    for sub in subs:
        columns.append(Column(key=sub.id, title=sub.title))
        if with_exact:
            columns.append(Column(key=f"{sub.id}_exact", title=f"{sub.title} (exact)"))
    columns += [
        Column(key="weighted_mean", title="Weighted mean"),
        Column(key="weighted_mean_exact", title="Weighted mean (exact)"),
        Column(key="margin", title="Margin"),
        Column(key="margin_exact", title="Margin (exact)"),
        Column(key="rules", title="Rules"),
        Column(key="reasons", title="Reasons", long=True),
    ]
    rows = []
    for decision in snapshot.decisions or ():
        cells: list[Cell] = [decision.bid, decision.bidder, decision.outcome, decision.awarded]
        for sub in subs:
            final = decision.final(sub.id)
            cells.append(None if final is None else final.value)
            if with_exact:
                cells.append(None if final is None else Figure(text=exact(final.value)))
        mean, margin = decision.weighted_mean, decision.margin
        cells += [
            mean,
            None if mean is None else Figure(text=exact(mean)),
            margin,
            None if margin is None else Figure(text=exact(margin)),
            _rules(decision.reasons),
            _messages(decision.reasons),
        ]
        rows.append(tuple(cells))
    return Table(name="Decisions", file="decisions", columns=tuple(columns), rows=tuple(rows))


def _record(snapshot: Snapshot) -> Table:
    evaluation = snapshot.evaluation
    procedure = evaluation.dossier.procedure
    zone = _zone(snapshot)
    head = snapshot.head
    dispatch = snapshot.dispatch
    items: list[tuple[str, Cell]] = [
        ("Reference", procedure.reference),
        ("Title", procedure.title),
        ("Authority", procedure.authority.name),
        ("Deadline", procedure.deadline_at),
        ("Phase", evaluation.book.phase),
        ("Record entries", head.entries),
        ("Record head hash", head.hash),
        ("Last entry at", None if head.at is None else head.at.astimezone(zone)),
        ("Letters in force (version)", None if dispatch is None else dispatch.version),
        ("Letters sent", None if dispatch is None else dispatch.sent),
        ("Standstill ends", snapshot.standstill_end),
        ("Standstill end is planned", dispatch is None and snapshot.standstill_end is not None),
        ("Definitive award sent", snapshot.definitive_sent),
    ]
    if snapshot.decisions is not None:
        outcomes: dict[str, int] = {}
        for decision in snapshot.decisions:
            outcomes[decision.outcome] = outcomes.get(decision.outcome, 0) + 1
        items += [(f"Outcome: {outcome}", count) for outcome, count in sorted(outcomes.items())]
    else:
        items.append(("Decisions", snapshot.note))
    items.append(("Exported by", f"tender {__version__}"))
    return Table(
        name="Record",
        file="record",
        columns=(Column(key="item", title="Item"), Column(key="value", title="Value")),
        rows=tuple(items),
    )


def _zone(snapshot: Snapshot) -> ZoneInfo:
    return ZoneInfo(snapshot.evaluation.dossier.procedure.time_zone)


def _rules(findings: Sequence[Finding]) -> str | None:
    return ", ".join(dict.fromkeys(finding.rule for finding in findings)) or None


def _messages(findings: Sequence[Finding]) -> str | None:
    return SEPARATOR.join(finding.message for finding in findings) or None


# --- xlsx --------------------------------------------------------------------------------


def workbook_bytes(found: Tables, *, title: str) -> bytes:
    """The sheets as an .xlsx workbook: headers frozen and filtered, columns sized and formatted."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None  # a new workbook has one sheet
    workbook.remove(first)
    workbook.properties.creator = f"tender {__version__}"
    workbook.properties.title = title
    for table in found.tables:
        _sheet(workbook.create_sheet(table.name), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(sheet: Worksheet, table: Table) -> None:
    for index, column in enumerate(table.columns, 1):
        cell = sheet.cell(row=1, column=index, value=column.title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row_number, row in enumerate(table.rows, 2):
        for index, value in enumerate(row, 1):
            _write(sheet, row_number, index, value, long=table.columns[index - 1].long)
    last = get_column_letter(len(table.columns))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    for index in range(len(table.columns)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = _width(table, index)


def _write(sheet: Worksheet, row: int, column: int, value: Cell, *, long: bool) -> None:
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, str | Figure):
        text = ILLEGAL_CHARACTERS_RE.sub("", value if isinstance(value, str) else value.text)
        if len(text) > EXCEL_CELL_CHARS:  # Excel refuses a longer cell; the CSV keeps it whole
            text = text[: EXCEL_CELL_CHARS - 1] + "…"
        cell.value = text
        cell.data_type = "s"  # text stays text: '=…' from a bid is not a formula
        if long:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return
    if isinstance(value, Fraction):
        cell.value = float(value)
        cell.number_format = SCORE_FORMAT
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = MOMENT_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.value = int(value) if value == value.to_integral_value() else float(value)
    else:
        cell.value = value


def _width(table: Table, index: int) -> float:
    column = table.columns[index]
    if column.long:
        return LONG_WIDTH
    lengths = [len(column.title)]
    for row in table.rows[:_SIZED_ROWS]:
        value = row[index]
        if isinstance(value, datetime):
            lengths.append(19)
        elif isinstance(value, date):
            lengths.append(10)
        elif isinstance(value, Fraction):
            lengths.append(min(len(_number_text(value)), 14))
        elif isinstance(value, Figure):
            lengths.append(len(value.text))
        elif value is not None:
            lengths.append(len(str(value)))
    return float(min(max(max(lengths) + 2, MIN_WIDTH), MAX_WIDTH))


# --- csv ---------------------------------------------------------------------------------


def csv_files(found: Tables) -> tuple[Rendered, ...]:
    """One CSV file per sheet, named after it (``bids.csv``, ``decisions.csv`` …)."""
    return tuple(
        Rendered(PurePosixPath(f"{table.file}.csv"), csv_bytes(table)) for table in found.tables
    )


def csv_bytes(table: Table) -> bytes:
    """The sheet as CSV: numbers as numbers, text neutralised so no spreadsheet runs it."""
    header: list[str | Figure] = [column.key for column in table.columns]
    rows = [[_csv_cell(value) for value in row] for row in table.rows]
    return csv_text([header, *rows]).encode("utf-8")


def _csv_cell(value: Cell) -> str | Figure:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | Fraction):
        return Figure(text=_number_text(value))
    if isinstance(value, Figure):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _number_text(value: int | Decimal | Fraction) -> str:
    """A number as exact decimal text where it terminates, else to :data:`CSV_PLACES` places."""
    if isinstance(value, Fraction):
        text = exact(value)
        if "/" not in text:
            return text
        scaled = value * 10**CSV_PLACES
        whole = scaled.numerator // scaled.denominator
        return format(Decimal(whole).scaleb(-CSV_PLACES), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
