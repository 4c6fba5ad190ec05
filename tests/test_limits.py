"""No input can stall tender: every file and value of a dossier has a limit, and each breach is
a placed problem (exit 1) or a finding on its bid, within seconds.

The commands run in processes of their own with a timeout: a protection removed shows as a
hang that the timeout ends, not as a test that never returns. A PDF stopped at a limit is
cached as such (not read again by every command), read again with ``--reread-limited``, and
frozen at the opening like any other reading.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tender.bids import documents as documents_module
from tender.bids.documents import BidDocuments, Document, extract_files, reading_digests
from tender.domain.errors import RefusedError
from tender.domain.limits import (
    BID_FILE_BYTES,
    CRITERIA_FILE_BYTES,
    NAME_CHARACTERS,
    NUMBER_CHARACTERS,
    PDF_FILE_BYTES,
    PDF_TEXT_CHARACTERS,
    TEXT_CHARACTERS,
)
from tender.io.pdfcache import CACHE_FOLDER
from tender.io.pdfparse import PdfContent, PdfProblem
from tender.io.pdfworkers import Job, Limits, parse_all
from tests.conftest import VALID_BID, DossierFactory, read
from tests.pdf_fixtures import text_bomb_pdf
from tests.scoring_fixtures import CHAIR, committee_root

RunCli = Callable[..., Result]
BID = "submissions/bid-001/bid.yaml"
AWARD = "criteria/award.yaml"
PLAN = "submissions/bid-001/kwaliteitsplan.pdf"
SECONDS = 60
"""Long enough for a loaded machine, far shorter than a stall (the issue measured 66-132 s)."""

TEXT_BOMB = text_bomb_pdf(pages=10, characters_per_page=1_000_000)
"""18 KB that read as 10 MB of text: reading stops at page 4, past the text limit."""
TEXT_BOMB_FINDING = (
    f"kwaliteitsplan.pdf (kwaliteitsplan) cannot be read: its text passes "
    f"{PDF_TEXT_CHARACTERS:,} characters on page 4 of 10, more than a PDF may hold; reading "
    "stopped there; a person must open it"
)


def tender(root: Path, *words: str) -> subprocess.CompletedProcess[str]:
    """``tender WORDS --dossier ROOT`` in a process of its own, ended if it takes too long."""
    return subprocess.run(
        [sys.executable, "-m", "tender", *words, "--dossier", str(root)],
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )


def one_line(text: str) -> str:
    """Output with the terminal's line wrapping undone."""
    return " ".join(text.split())


# --- YAML files and values -----------------------------------------------------------------


def line_with(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def test_a_criteria_file_over_its_limit_is_refused_unread(make_dossier: DossierFactory) -> None:
    root = make_dossier()
    padded = read(root, AWARD) + "# " + "x" * CRITERIA_FILE_BYTES + "\n"
    (root / AWARD).write_text(padded, encoding="utf-8")
    result = tender(root, "check")
    assert result.returncode == 1, result.stderr
    assert (
        f"{AWARD}: the file is {len(padded.encode()):,} bytes, more than the 512 KiB such a "
        "file may be; it was not read"
    ) in result.stderr.splitlines()


def test_a_five_megabyte_bidder_name_is_refused_with_its_file(
    make_dossier: DossierFactory,
) -> None:
    name = "Zonnebloem " * 500_000
    text = VALID_BID.replace("Thuiszorg Zonnebloem B.V.", name.strip())
    root = make_dossier({BID: text})
    result = tender(root, "bids")
    assert result.returncode == 1, result.stderr
    assert (
        f"{BID}: the file is {len(text.encode()):,} bytes, more than the 128 KiB such a file "
        "may be; it was not read"
    ) in result.stderr.splitlines()
    assert len(text.encode()) > BID_FILE_BYTES


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "message"),
    [
        pytest.param(
            BID,
            "Thuiszorg Zonnebloem B.V.",
            '"' + "Z" * (NAME_CHARACTERS + 1) + '"',
            "bidder.name",
            f"a name of {NAME_CHARACTERS + 1} characters; at most {NAME_CHARACTERS} are accepted",
            id="bidder-name",
        ),
        pytest.param(
            BID,
            "250000",
            "9" * 5000,
            "financials.annual_turnover_eur",
            f"a number of 5,000 characters; at most {NUMBER_CHARACTERS} are accepted",
            id="number",
        ),
        pytest.param(
            BID,
            "Huishoudelijke hulp",
            '"' + "hulp " * 4000 + '"',
            "references[0].service",
            f"a value of 20,000 characters; at most {TEXT_CHARACTERS:,} are accepted",
            id="text",
        ),
    ],
)
def test_a_value_over_its_limit_is_a_problem_at_its_line(
    make_dossier: DossierFactory, *, file: str, old: str, new: str, field: str, message: str
) -> None:
    root = make_dossier()
    text = read(root, file)
    (root / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    result = tender(root, "check")
    assert result.returncode == 1, result.stderr
    assert f"{file}:{line_with(text, old)}: {field}: {message}" in result.stderr.splitlines()


# --- not regular files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fifo", "expected"),
    [
        pytest.param(
            BID, f"{BID}: is a named pipe (FIFO), not a regular file; put the file itself here"
        ),
        pytest.param(
            AWARD,
            f"{AWARD}: is a named pipe (FIFO), not a regular file; put the file itself here",
        ),
        pytest.param(
            PLAN,
            f"{BID}:{line_with(VALID_BID, 'file: kwaliteitsplan.pdf')}: "
            "documents.kwaliteitsplan.file: 'kwaliteitsplan.pdf' is a named pipe (FIFO), not a "
            "regular file; put the file itself here",
        ),
    ],
)
def test_a_named_pipe_in_place_of_a_file_is_refused_without_waiting(
    make_dossier: DossierFactory, *, fifo: str, expected: str
) -> None:
    root = make_dossier()
    (root / fifo).unlink()
    os.mkfifo(root / fifo)
    for command in ("check", "bids"):
        result = tender(root, command)
        assert result.returncode == 1, result.stderr
        assert expected in result.stderr.splitlines()


def test_a_pipe_or_device_is_never_read_even_when_swapped_in_after_a_check(
    tmp_path: Path,
) -> None:
    """What the loader checked may be replaced before it is read: the read checks again."""
    os.mkfifo(tmp_path / "pipe")
    code = (
        "import sys; from pathlib import Path\n"
        "from tender.io.bounded import NotRegularFileError, read_bounded\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        read_bounded(Path(name), 1024)\n"
        "    except NotRegularFileError as error:\n"
        "        print(error.strerror)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "pipe"), "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=True,
    )
    assert result.stdout.splitlines() == [
        "it is a named pipe (FIFO), not a regular file",
        "it is a device, not a regular file",
    ]


# --- PDFs ----------------------------------------------------------------------------------


def test_a_pdf_over_its_size_limit_is_a_finding_and_not_read(
    make_dossier: DossierFactory,
) -> None:
    root = make_dossier()
    with (root / PLAN).open("wb") as stream:  # sparse: 64 MiB on no disk
        stream.write(b"%PDF-1.4\n")
        stream.truncate(PDF_FILE_BYTES + 1)
    result = tender(root, "bids")
    assert result.returncode == 0, result.stderr
    assert (
        f"kwaliteitsplan.pdf (kwaliteitsplan) cannot be read: the file is "
        f"{PDF_FILE_BYTES + 1:,} bytes, more than the 64 MiB a PDF may be; it was not read; a "
        "person must open it"
    ) in one_line(result.stdout)


def test_reading_stops_where_the_text_passes_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(text_bomb_pdf(pages=100, characters_per_page=10_000))
    limits = Limits(text_characters=25_000)
    problem = extract_files([path], cache_root=tmp_path, limits=limits).files[path].content.problem
    assert problem == PdfProblem(
        "text-too-long",
        "its text passes 25,000 characters on page 3 of 100, more than a PDF may hold; "
        "reading stopped there",
    )


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The files each run gave the PDF workers, run by run."""
    runs: list[list[str]] = []

    def counting(jobs: list[Job], **options: Any) -> None:
        runs.append(sorted(job.path.name for job in jobs))
        parse_all(jobs, **options)

    monkeypatch.setattr(documents_module, "parse_all", counting)
    return runs


def test_a_text_bomb_is_cached_as_limited_and_read_again_only_on_request(
    make_dossier: DossierFactory, run_cli: RunCli, parsed: list[list[str]]
) -> None:
    root = make_dossier({PLAN: TEXT_BOMB})
    d = ("--dossier", str(root))
    runs = [run_cli("bids", *d), run_cli("bids", *d), run_cli("bids", *d, "--reread-limited")]
    assert [run.exit_code for run in runs] == [0, 0, 0]
    assert all(TEXT_BOMB_FINDING in one_line(run.stdout) for run in runs)
    assert parsed == [["kwaliteitsplan.pdf", "uea.pdf"], [], ["kwaliteitsplan.pdf"]]
    (entry,) = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in (root / CACHE_FOLDER / "pdf").iterdir()
        if "text-too-long" in path.read_text(encoding="utf-8")
    ]
    assert entry["content"]["problem"]["kind"] == "text-too-long"


def test_the_opening_freezes_a_limited_reading_and_every_replay_agrees(
    make_dossier: DossierFactory, run_cli: RunCli, parsed: list[list[str]]
) -> None:
    root = committee_root(make_dossier, {PLAN: TEXT_BOMB}, opened=False)
    d = ("--dossier", str(root))
    opened = run_cli("open", *d, "--by", CHAIR)
    assert opened.exit_code == 0, opened.output
    assert "2 PDF readings recorded" in opened.stdout
    for words in (("bids",), ("bids", "--reread-limited"), ("verify",), ("suitability",)):
        result = run_cli(*words, *d)
        assert result.exit_code == 0, (words, result.output)
    assert TEXT_BOMB_FINDING in one_line(run_cli("bids", *d).stdout)
    # The cache is derived data: without it the file is read again, to the same reading.
    for entry in (root / CACHE_FOLDER / "pdf").iterdir():
        entry.unlink()
    again = run_cli("bids", *d)
    assert again.exit_code == 0, again.output
    assert TEXT_BOMB_FINDING in one_line(again.stdout)
    assert parsed[-1] == ["kwaliteitsplan.pdf", "uea.pdf"]


def document(problem: PdfProblem) -> BidDocuments:
    return BidDocuments(
        bid="bid-001",
        documents=(
            Document(
                id="kwaliteitsplan",
                title="Kwaliteitsplan",
                mandatory=True,
                file="kwaliteitsplan.pdf",
                sha256="0" * 64,
                size=1,
                issued=None,
                content=PdfContent(problem=problem),
            ),
        ),
        sections=(),
    )


def test_the_opening_records_a_limit_but_not_a_file_it_could_not_open() -> None:
    limited = PdfProblem("crashed", "the PDF reader stopped by signal 6 on this file")
    assert list(reading_digests({"bid-001": document(limited)})) == ["0" * 64]
    gone = PdfProblem("unavailable", "the file cannot be opened: Permission denied")
    with pytest.raises(RefusedError, match="could not be read now"):
        reading_digests({"bid-001": document(gone)})
