"""``tender export``: OCDS, a workbook, CSV and JSON of the evaluation, for others to use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tender.commands import EXIT_CODES_HELP, dossier_option

if TYPE_CHECKING:
    from tender.present.exports import Snapshot
    from tender.present.render import Rendered

F = TypeVar("F", bound=Callable[..., Any])
STDOUT = "-"


def _force_option(command: F) -> F:
    return click.option(
        "--force", is_flag=True, help="Overwrite the --output file (or files) when they exist."
    )(command)


def _output_option(what: str, metavar: str = "FILE") -> Callable[[F], F]:
    def decorate(command: F) -> F:
        return click.option(
            "--output",
            "-o",
            metavar=metavar,
            help=f"Write {what} instead of to reports/exports/.",
        )(command)

    return decorate


@click.group(epilog=EXIT_CODES_HELP)
def export() -> None:
    """Export the evaluation: OCDS to publish, a workbook and CSV to pass on, JSON for machines.

    Each export is written to its own folder under reports/exports/ (ocds/,
    xlsx/, csv/, json/), replacing the previous one of that kind, or to the file
    given with --output. Every export names the head of the record it shows.
    Individual scores are exported only once the chair has opened the
    consensus phase; final scores and decisions once they can be taken.

    \b
    Example:
      tender export xlsx
      tender export ocds --output - > release-package.json
    """


@export.command("ocds", epilog=EXIT_CODES_HELP)
@dossier_option
@_output_option("the release package to FILE ('-' for stdout)")
@_force_option
@click.option(
    "--uri",
    metavar="URI",
    help="Where the package will be published (default: a urn:uuid: made from its content).",
)
def ocds(dossier: Path, output: str | None, force: bool, uri: str | None) -> None:
    """An OCDS 1.1 release package of the tender, its bids and awards.

    The release holds the tender with its selection criteria (the suitability
    requirements) and award criteria (the sub-criteria and weights), the
    parties (the authority, the court, every bidder by trade-register number),
    every bid with its status (bid extension), and one award per awarded bid:
    pending while provisional, active once the definitive award is sent. The
    standstill period ends tender.awardPeriod. No bid values (prices are
    fixed) and nothing about the committee. The ocid is the dossier's
    ocid_prefix (criteria/procedure.yaml) and its reference; without a prefix
    it says UNREGISTERED.

    \b
    Example:
      tender export ocds
      tender export ocds --output release-package.json
    """
    from tender.present.exports import safe_stem
    from tender.present.exports.ocds import UNREGISTERED_PREFIX, package_bytes, release_package
    from tender.terminal.console import err

    snapshot = _snapshot(dossier, output, force)
    package = release_package(snapshot, uri=uri)
    data = package_bytes(package)
    release = package["releases"][0]
    if snapshot.evaluation.dossier.procedure.ocid_prefix is None:
        err.print(
            f"note: criteria/procedure.yaml gives no ocid_prefix, so the ocid starts with the "
            f"placeholder {UNREGISTERED_PREFIX}; register a prefix with the Open Contracting "
            "Partnership before publishing",
            markup=False,
            style="",
        )
    awards = len(release.get("awards", []))
    what = f"release {release['id']} of {release['ocid']}: {len(release['bids']['details'])} bids, {awards} awards"
    name = f"{safe_stem(snapshot.evaluation.dossier.procedure.reference)}-ocds.json"
    _deliver(
        dossier,
        "ocds",
        [_rendered(name, data)],
        output=output,
        force=force,
        what=what,
        snapshot=snapshot,
    )


@export.command("xlsx", epilog=EXIT_CODES_HELP)
@dossier_option
@_output_option("the workbook to FILE (.xlsx)")
@_force_option
def xlsx(dossier: Path, output: str | None, force: bool) -> None:
    """A workbook to pass on: Bids, Suitability, Individual scores, Final scores, Decisions.

    Each sheet has a frozen, filtered header row and sized columns; dates are
    real dates; derived scores are numbers with their exact value (such as
    22/3) in the column beside them. A Record sheet names the state of the
    record the workbook shows. Individual scores are left out during the
    individual phase, final scores and decisions while they cannot be taken.

    \b
    Example:
      tender export xlsx
      tender export xlsx --output beoordeling.xlsx
    """
    from tender.present.exports import safe_stem
    from tender.present.exports.workbook import tables, workbook_bytes

    if output == STDOUT:
        raise click.UsageError("a workbook is not text; give --output a file name ending in .xlsx")
    if output is not None and not output.lower().endswith(".xlsx"):
        raise click.UsageError(f"{output}: a workbook file name ends in .xlsx")
    snapshot = _snapshot(dossier, output, force)
    found = tables(snapshot)
    procedure = snapshot.evaluation.dossier.procedure
    data = workbook_bytes(found, title=f"{procedure.reference} {procedure.title}")
    _notes(found.notes)
    sheets = ", ".join(f"{table.name} ({len(table.rows)})" for table in found.tables)
    name = f"{safe_stem(procedure.reference)}.xlsx"
    _deliver(
        dossier,
        "xlsx",
        [_rendered(name, data)],
        output=output,
        force=force,
        what=sheets,
        snapshot=snapshot,
    )


@export.command("csv", epilog=EXIT_CODES_HELP)
@dossier_option
@_output_option("the CSV files into the folder DIR", metavar="DIR")
@_force_option
def csv(dossier: Path, output: str | None, force: bool) -> None:
    """The workbook's sheets as CSV files, one per sheet (bids.csv, decisions.csv …).

    UTF-8, comma-separated, dates in ISO 8601, scores as exact decimals with
    the exact fraction beside them where a score does not terminate. The same
    sheets are left out as in the workbook.

    \b
    Example:
      tender export csv
      tender export csv --output export-csv/
    """
    from tender.io.atomic import make_chosen_folder, write_chosen_file
    from tender.present.exports.workbook import csv_files, tables
    from tender.terminal.console import out

    if output == STDOUT:
        raise click.UsageError("the CSV export is several files; give --output a folder")
    snapshot = _snapshot(dossier, output, force)
    found = tables(snapshot)
    files = csv_files(found)
    _notes(found.notes)
    listed = ", ".join(str(item.path) for item in files)
    if output is None:
        _deliver(
            dossier,
            "csv",
            files,
            output=None,
            force=force,
            what=f"{len(files)} sheets",
            snapshot=snapshot,
        )
        return
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise click.UsageError(f"{folder} is a file; --output names a folder for the CSV files")
    existing = [str(folder / item.path) for item in files if (folder / item.path).exists()]
    if existing and not force:
        raise click.UsageError(
            f"{', '.join(existing)} exist{'s' if len(existing) == 1 else ''} already; "
            "give --force to overwrite"
        )
    make_chosen_folder(folder)
    for item in files:
        write_chosen_file(folder / item.path, item.content, force=True)
    out.print(f"Wrote {listed} to {folder}. {_head_line(snapshot)}", markup=False)


@export.command("json", epilog=EXIT_CODES_HELP)
@dossier_option
@_output_option("the document to FILE ('-' for stdout)")
@_force_option
@click.option("--schema", is_flag=True, help="Print the document's JSON Schema instead.")
def json_(dossier: Path, output: str | None, force: bool, schema: bool) -> None:
    """The whole evaluation result in one JSON document, with its JSON Schema.

    The procedure and criteria, every bid with its validity and suitability
    results and reasons (rule, figures, message), the decisions with exact
    final scores (as text: "7.8", "22/3") and the scores behind them, the
    standstill period, the letters dispatched, and the head of the record.
    The schema (result.schema.json) is written beside it and documents every
    field; --schema prints it.

    \b
    Example:
      tender export json
      tender export json --output - | jq '.summary'
      tender export json --schema
    """
    from tender.present.exports import safe_stem
    from tender.present.exports.result import (
        SCHEMA_FILE,
        document_bytes,
        result_document,
        schema_text,
    )

    if schema:
        click.echo(schema_text(), nl=False)
        return
    snapshot = _snapshot(dossier, output, force)
    data = document_bytes(result_document(snapshot))
    name = f"{safe_stem(snapshot.evaluation.dossier.procedure.reference)}-result.json"
    files = [_rendered(name, data)]
    if output is None:
        files.append(_rendered(SCHEMA_FILE, schema_text().encode("utf-8")))
    decided = (
        "no decisions yet" if snapshot.decisions is None else f"{len(snapshot.decisions)} decisions"
    )
    what = f"{len(snapshot.evaluation.dossier.submissions)} bids, {decided}"
    _deliver(dossier, "json", files, output=output, force=force, what=what, snapshot=snapshot)


# --- shared ------------------------------------------------------------------------------


def _snapshot(dossier: Path, output: str | None, force: bool) -> Snapshot:
    """The snapshot to export; a file --output names is refused first, before any work."""
    from tender.app.snapshot import take_snapshot
    from tender.domain.progress import silent
    from tender.terminal.progress import bars

    if output not in (None, STDOUT) and not force and Path(output).is_file():
        raise click.UsageError(f"{output} exists already; give --force to overwrite it")
    return take_snapshot(dossier, progress=silent if output == STDOUT else bars)


def _rendered(name: str, data: bytes) -> Rendered:
    from tender.present.render import Rendered

    return Rendered(PurePosixPath(name), data)


def _deliver(
    dossier: Path,
    kind: str,
    files: Sequence[Rendered],
    *,
    output: str | None,
    force: bool,
    what: str,
    snapshot: Snapshot,
) -> None:
    """Publish ``files`` under reports/exports/<kind>/, or write the one file to --output."""
    from tender.io.atomic import write_chosen_file
    from tender.present.exports import publish_export
    from tender.terminal.console import out

    if output == STDOUT:
        click.echo(files[0].content.decode("utf-8"), nl=False)
        return
    if output is not None:
        target = Path(output)
        write_chosen_file(target, files[0].content, force=force)
        out.print(f"Wrote {target}: {what}. {_head_line(snapshot)}", markup=False)
        return
    folder = publish_export(dossier, kind, files, group=snapshot.evaluation.dossier.committee.group)
    shown = ", ".join(str(item.path) for item in files)
    out.print(f"Wrote {shown} to {folder.as_posix()}: {what}. {_head_line(snapshot)}", markup=False)


def _notes(notes: Sequence[str]) -> None:
    from tender.terminal.console import err

    for note in notes:
        err.print(f"note: {note}", markup=False, style="")


def _head_line(snapshot: Snapshot) -> str:
    head = snapshot.head
    return f"Record: {head.entries} entries, head {head.hash[:16]}… ({snapshot.evaluation.book.phase} phase)."
