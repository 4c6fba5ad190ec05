"""tender writes and removes only inside the dossier, also when a link in it leads elsewhere.

A link put where tender writes (``reports/``, a set in it, a file in a set, a file of the
record, the PDF cache) is refused with exit 1, naming the path and where it leads, before
anything is written; what lies outside stays exactly as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tender.domain.dossier import REPORTS, SCORES_FOLDER
from tender.domain.errors import DossierError
from tender.io.atomic import confine
from tender.io.pdfcache import CACHE_FOLDER
from tender.record.ledger import LEDGER_NAME
from tests.corpus import CHAIR, build_base, to_consensus_phase

Run = Callable[..., Result]
REFUSED = "outside the dossier"
ONLY_INSIDE = "tender writes only inside the dossier"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("confined") / "dossier")


@pytest.fixture
def dossier(base: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(base, tmp_path / "dossier", symlinks=True))


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder beside the dossier holding what a link could lead to: an old audit and a file."""
    folder = tmp_path / "elsewhere"
    (folder / "audit").mkdir(parents=True)
    (folder / "audit" / "audit.json").write_text("someone else's", encoding="utf-8")
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    return folder


def contents(folder: Path) -> dict[str, str | None]:
    return {
        path.relative_to(folder).as_posix(): None if path.is_dir() else path.read_text("utf-8")
        for path in sorted(folder.rglob("*"))
    }


def refused(result: Result, place: str, target: Path) -> None:
    assert result.exit_code == 1, result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{place}: leads to {target.resolve()}, {REFUSED} ("), first
    assert f"); {ONLY_INSIDE}: " in first
    assert result.stderr.endswith("1 problem found; nothing was written.\n")


def test_a_linked_reports_folder_is_refused_and_what_it_leads_to_untouched(
    dossier: Path, elsewhere: Path, run_cli: Run
) -> None:
    before = contents(elsewhere)
    (dossier / REPORTS).symlink_to(elsewhere, target_is_directory=True)

    result = run_cli("audit", "--dossier", str(dossier))

    refused(result, REPORTS, elsewhere)
    assert contents(elsewhere) == before


def test_a_linked_set_in_reports_is_refused(dossier: Path, elsewhere: Path, run_cli: Run) -> None:
    before = contents(elsewhere)
    (dossier / REPORTS).mkdir()
    (dossier / REPORTS / "audit").symlink_to(elsewhere / "audit", target_is_directory=True)

    result = run_cli("audit", "--dossier", str(dossier))

    refused(result, f"{REPORTS}/audit", elsewhere / "audit")
    assert contents(elsewhere) == before
    assert (dossier / REPORTS / "audit").is_symlink()


def test_a_linked_file_in_a_set_is_refused(dossier: Path, elsewhere: Path, run_cli: Run) -> None:
    assert run_cli("audit", "--dossier", str(dossier)).exit_code == 0
    linked = dossier / REPORTS / "audit" / "audit.json"
    linked.unlink()
    linked.symlink_to(elsewhere / "audit" / "audit.json")
    before = contents(elsewhere)

    result = run_cli("audit", "--dossier", str(dossier))

    refused(result, f"{REPORTS}/audit/audit.json", elsewhere / "audit" / "audit.json")
    assert contents(elsewhere) == before


def test_a_linked_file_of_the_record_is_refused_before_an_entry_is_appended(
    dossier: Path, elsewhere: Path, run_cli: Run
) -> None:
    to_consensus_phase(dossier)
    ledger = dossier / SCORES_FOLDER / LEDGER_NAME
    shutil.move(ledger, elsewhere / LEDGER_NAME)
    ledger.symlink_to(elsewhere / LEDGER_NAME)
    before = contents(elsewhere)

    result = run_cli("phase", "lock", "--by", CHAIR, "--dossier", str(dossier))

    refused(result, f"{SCORES_FOLDER}/{LEDGER_NAME}", elsewhere / LEDGER_NAME)
    assert contents(elsewhere) == before


def test_a_linked_pdf_cache_is_refused_before_a_pdf_is_read_for_it(
    dossier: Path, elsewhere: Path, run_cli: Run
) -> None:
    shutil.rmtree(dossier / CACHE_FOLDER)
    (dossier / CACHE_FOLDER).symlink_to(elsewhere, target_is_directory=True)
    before = contents(elsewhere)

    result = run_cli("bids", "--dossier", str(dossier))

    refused(result, CACHE_FOLDER, elsewhere)
    assert contents(elsewhere) == before


def test_a_link_that_stays_inside_the_dossier_is_written_through(
    dossier: Path, run_cli: Run
) -> None:
    (dossier / "renderings").mkdir()
    (dossier / REPORTS).symlink_to(dossier / "renderings", target_is_directory=True)

    result = run_cli("audit", "--dossier", str(dossier))

    assert result.exit_code == 0, result.output
    assert (dossier / "renderings" / "audit" / "audit.json").is_file()


def test_a_loop_of_links_is_refused(tmp_path: Path) -> None:
    (tmp_path / REPORTS).symlink_to(tmp_path / REPORTS)

    with pytest.raises(DossierError) as error:
        confine(tmp_path, tmp_path / REPORTS / "audit")

    (problem,) = error.value.problems
    assert problem.file == f"{REPORTS}/audit"
    assert problem.message.startswith(f"is a loop of links; {ONLY_INSIDE}")


@pytest.mark.parametrize("command", [["verify"], ["audit"]])
def test_reports_as_a_link_to_itself_is_named_by_every_command_that_looks_in_it(
    dossier: Path, run_cli: Run, command: list[str]
) -> None:
    """verify looks for sent sets in reports/ before it writes anything: the loop is named
    there too, not met as a bug."""
    shutil.rmtree(dossier / REPORTS, ignore_errors=True)
    (dossier / REPORTS).symlink_to(dossier / REPORTS)

    result = run_cli(*command, "--dossier", str(dossier))

    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == (
        f"{REPORTS}: is a loop of links; {ONLY_INSIDE}: put a folder or file of its own in "
        "place of the link"
    )
    assert result.stderr.endswith("1 problem found; nothing was written.\n")
