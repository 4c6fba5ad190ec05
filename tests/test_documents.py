"""Reading the bids' PDFs: text, form fields, plan sections, bad files, limits and the cache."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from tender.bids.documents import extract_files, read_documents, read_sections
from tender.domain.findings import Finding
from tender.io.loader import load_dossier
from tender.io.pdfcache import CACHE_FOLDER
from tender.io.pdfparse import normalise_text
from tender.io.pdfworkers import Limits, ReaderStartError
from tests.conftest import DossierFactory
from tests.pdf_fixtures import (
    AWARD,
    GOOD_PLAN,
    LONG_PDF,
    bid_files,
    bomb_pdf,
    form_pdf,
    plan_pdf,
    template,
    text_pdf,
    truncated,
)


def plan_findings(make_dossier: DossierFactory, plan: bytes) -> tuple[Finding, ...]:
    documents = read_documents(load_dossier(make_dossier(bid_files(plan=plan))))
    return documents["bid-001"].findings


# --- text -------------------------------------------------------------------------------


def test_text_has_one_line_ending_convention_and_normalised_unicode() -> None:
    raw = "ﬁnanciën  \r\nregel twee\rregel drie\u00ad\x00\r\n\r\n"
    assert normalise_text(raw) == "financiën\nregel twee\nregel drie"
    assert normalise_text("cliënt") == normalise_text("clie\u0308nt") == "cli\u00ebnt"


def test_pages_text_and_form_fields_are_read(make_dossier: DossierFactory) -> None:
    fields = {"uitsluiting_veroordeling": "Nee", "uea_naam": "Thuiszorg Zonnebloem"}
    root = make_dossier(bid_files(uea=form_pdf(fields)))
    documents = read_documents(load_dossier(root))["bid-001"]
    plan, uea = documents.documents
    assert (plan.id, plan.page_count, plan.readable) == ("kwaliteitsplan", 4, True)
    assert plan.content.pages[1] == "1. First sub-criterion\nWij werken samen met het wijkteam."
    assert dict(uea.content.fields) == fields
    assert documents.page_count == 5
    assert documents.findings == ()


# --- sections ---------------------------------------------------------------------------


def test_sections_follow_the_headings(make_dossier: DossierFactory) -> None:
    sections = read_sections(load_dossier(make_dossier(bid_files())), "bid-001")
    assert list(sections) == ["criterion-1", "criterion-2"]
    first, second = sections["criterion-1"], sections["criterion-2"]
    assert (first.first_page, len(first.pages), first.max_pages) == (2, 2, 2)
    assert first.pages[0].startswith("1. First sub-criterion")
    assert first.evaluated_pages == first.pages
    assert (second.first_page, second.pages) == (4, (second.pages[0],))


def test_pages_beyond_the_limit_are_not_evaluated(make_dossier: DossierFactory) -> None:
    plan = plan_pdf([("1. First sub-criterion", 4), ("2. Second sub-criterion", 1)])
    documents = read_documents(load_dossier(make_dossier(bid_files(plan=plan))))
    section = documents["bid-001"].sections[0]
    assert section.sub_criterion == "criterion-1"
    assert len(section.pages) == 4
    assert section.evaluated_pages == section.pages[:2]
    assert section.over_limit == (4, 5)
    assert documents["bid-001"].findings == (
        Finding(
            rule="over-page-limit",
            message="the section on 'criterion-1' has 4 pages where 2 are allowed; pages 4-5 of the "
            "plan will not be evaluated",
            figures={
                "sub_criterion": "criterion-1",
                "pages": 4,
                "max_pages": 2,
                "first_not_evaluated": 4,
                "last_not_evaluated": 5,
            },
            document="kwaliteitsplan",
            page=4,
        ),
    )


@pytest.mark.parametrize(
    "heading",
    [
        "1. De cliënt centraal",
        "DE CLIËNT CENTRAAL",
        "1) De  client centraal:",
        "De cliënt centraal",
    ],
)
def test_headings_match_without_case_accents_spacing_or_number(
    make_dossier: DossierFactory, heading: str
) -> None:
    award = template(AWARD).replace("title: First sub-criterion", "title: De cliënt centraal")
    plan = plan_pdf([(heading, 1), ("2. Second sub-criterion", 1)])
    root = make_dossier(bid_files(award=award, plan=plan))
    sections = read_sections(load_dossier(root), "bid-001")
    assert sections["criterion-1"].first_page == 2


def test_a_heading_may_wrap_onto_a_second_line(make_dossier: DossierFactory) -> None:
    plan = plan_pdf([("1. First sub-\ncriterion", 1), ("2. Second\nsub-criterion", 1)])
    # "sub-|criterion" wraps at its hyphen; "Second|sub-criterion" at a space
    sections = read_sections(load_dossier(make_dossier(bid_files(plan=plan))), "bid-001")
    assert [s.first_page for s in sections.values()] == [2, 3]


def test_a_table_of_contents_does_not_start_a_section(make_dossier: DossierFactory) -> None:
    cover = "Inhoud\n1. First sub-criterion\n2. Second sub-criterion"
    plan = plan_pdf([("1. First sub-criterion", 1), ("2. Second sub-criterion", 1)], cover=cover)
    sections = read_sections(load_dossier(make_dossier(bid_files(plan=plan))), "bid-001")
    assert [s.first_page for s in sections.values()] == [2, 3]


def test_a_section_that_cannot_be_found_is_a_finding(make_dossier: DossierFactory) -> None:
    plan = plan_pdf([("1. First sub-criterion", 1), ("Bijlage", 1)])
    dossier = load_dossier(make_dossier(bid_files(plan=plan)))
    assert read_documents(dossier)["bid-001"].findings == (
        Finding(
            rule="section-missing",
            message="no section for sub-criterion 'criterion-2' was found: no page starts with the "
            "heading 'Second sub-criterion'",
            figures={"sub_criterion": "criterion-2", "title": "Second sub-criterion"},
            document="kwaliteitsplan",
        ),
    )
    sections = read_sections(dossier, "bid-001")
    assert list(sections) == ["criterion-1"]
    assert len(sections["criterion-1"].pages) == 2  # the appendix runs on in the last section


# --- bad files --------------------------------------------------------------------------

BAD_FILES = [
    pytest.param(
        text_pdf(["geheim"], password="geheim"),
        "document-encrypted",
        "the PDF is encrypted and needs a password to be opened",
        id="encrypted",
    ),
    pytest.param(
        truncated(text_pdf(["regel"] * 20)),
        "document-corrupt",
        "the file is damaged: its PDF structure cannot be read",
        id="corrupt",
    ),
    pytest.param(b"", "document-empty", "the file is empty (0 bytes)", id="zero-bytes"),
    pytest.param(
        b"PK\x03\x04 a zip file",
        "document-not-pdf",
        "the file is not a PDF (it starts with 'PK.. a zip file')",
        id="not-a-pdf",
    ),
]


@pytest.mark.parametrize(("data", "rule", "problem"), BAD_FILES)
def test_an_unreadable_file_is_a_finding(
    make_dossier: DossierFactory, data: bytes, rule: str, problem: str
) -> None:
    root = make_dossier(bid_files(plan=data))
    dossier = load_dossier(root)
    documents = read_documents(dossier)["bid-001"]
    assert documents.findings == (
        Finding(
            rule=rule,
            message=f"kwaliteitsplan.pdf (kwaliteitsplan) cannot be read: {problem}",
            figures={"file": "kwaliteitsplan.pdf", "problem": rule.removeprefix("document-")},
            document="kwaliteitsplan",
        ),
    )
    plan = documents.document("kwaliteitsplan")
    assert plan is not None
    assert (plan.readable, plan.page_count) == (False, 0)
    assert read_sections(dossier, "bid-001") == {}


def test_a_pdf_restricted_by_an_owner_password_is_read(make_dossier: DossierFactory) -> None:
    plan = text_pdf(
        ["Kwaliteitsplan", "1. First sub-criterion", "2. Second sub-criterion"], restricted=True
    )
    root = make_dossier(bid_files(plan=plan))
    documents = read_documents(load_dossier(root))["bid-001"]
    assert documents.findings == ()
    assert [section.first_page for section in documents.sections] == [2, 3]


def test_a_scanned_page_is_flagged(make_dossier: DossierFactory) -> None:
    plan = text_pdf(
        ["Kwaliteitsplan", "1. First sub-criterion", None, "2. Second sub-criterion", None]
    )
    assert plan_findings(make_dossier, plan) == (
        Finding(
            rule="pages-without-text",
            message="kwaliteitsplan.pdf (kwaliteitsplan): pages 3, 5 have no text layer (a scan or an "
            "image) out of 5; a person must read them",
            figures={"file": "kwaliteitsplan.pdf", "pages": "3, 5", "page_count": 5},
            document="kwaliteitsplan",
            page=3,
        ),
    )


def test_a_file_that_vanished_is_a_finding(tmp_path: Path) -> None:
    gone = tmp_path / "gone.pdf"
    extracted = extract_files([gone], cache_root=tmp_path).files[gone]
    assert extracted.sha256 is None
    assert extracted.content.problem is not None
    assert extracted.content.problem.kind == "unavailable"
    assert extracted.content.problem.message == (
        "the file cannot be opened: No such file or directory"
    )


# --- limits -----------------------------------------------------------------------------


def test_a_slow_file_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(LONG_PDF)
    limits = Limits(seconds=0.001)
    content = extract_files([path], cache_root=tmp_path, limits=limits)
    problem = content.files[path].content.problem
    assert problem is not None
    assert (problem.kind, problem.message) == (
        "too-slow",
        "reading the PDF took longer than 0.001 seconds; it was stopped",
    )


def test_a_file_stopped_at_a_limit_is_cached_as_such_and_read_again_on_request(
    tmp_path: Path,
) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(LONG_PDF)
    limits = Limits(seconds=0.001)
    runs = [extract_files([path], cache_root=tmp_path, limits=limits) for _ in range(2)]
    assert [run.parsed for run in runs] == [1, 0]
    assert runs[1].files == runs[0].files
    again = extract_files([path], cache_root=tmp_path, limits=limits, reread_limited=True)
    assert again.parsed == 1
    problem = again.files[path].content.problem
    assert problem is not None and problem.kind == "too-slow"
    # Read under other limits (tender's own), the entry does not count: the file is read.
    assert extract_files([path], cache_root=tmp_path).files[path].content.readable


def test_a_reader_that_cannot_start_is_an_error_not_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    false = shutil.which("false")
    if false is None:
        pytest.skip("no 'false' program to stand in for a broken Python")
    path = tmp_path / "plan.pdf"
    path.write_bytes(GOOD_PLAN)
    monkeypatch.setattr(sys, "executable", false)
    with pytest.raises(ReaderStartError) as raised:
        extract_files([path], cache_root=tmp_path)
    assert str(raised.value) == (
        "a PDF reader process stopped before it read anything (exit code 1): no message"
    )
    assert raised.value.exit_code == 70


def test_a_decompression_bomb_costs_only_its_own_bid(tmp_path: Path) -> None:
    bomb, good = tmp_path / "bomb.pdf", tmp_path / "good.pdf"
    bomb.write_bytes(bomb_pdf(decompressed_mib=320))
    good.write_bytes(GOOD_PLAN)
    limits = Limits(memory_bytes=128 * 1024 * 1024)
    files = extract_files([bomb, good], cache_root=tmp_path, limits=limits, workers=1).files
    problem = files[bomb].content.problem
    assert problem is not None
    assert problem.kind in {"crashed", "too-large"}, problem
    assert "128 MiB" in problem.message
    assert files[good].content.readable
    assert len(files[good].content.pages) == 4


# --- cache ------------------------------------------------------------------------------


def write_pdfs(folder: Path) -> list[Path]:
    paths = [folder / "plan.pdf", folder / "copy.pdf", folder / "other.pdf"]
    paths[0].write_bytes(GOOD_PLAN)
    paths[1].write_bytes(GOOD_PLAN)
    paths[2].write_bytes(text_pdf(["iets anders"]))
    return paths


def test_a_second_run_parses_no_pdf(tmp_path: Path) -> None:
    paths = write_pdfs(tmp_path)
    cold = extract_files(paths, cache_root=tmp_path)
    warm = extract_files(paths, cache_root=tmp_path)
    assert cold.parsed == 2  # the copy has the same content, so it is parsed once
    assert warm.parsed == 0
    assert warm.files == cold.files
    cached = sorted(path.name for path in (tmp_path / CACHE_FOLDER / "pdf").iterdir())
    assert cached == sorted(f"{cold.files[path].sha256}.json" for path in paths[1:])


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text[: len(text) // 2], id="half-written"),
        pytest.param(lambda text: "not json", id="not-json"),
        pytest.param(lambda text: text.replace('"cache": 2', '"cache": 1'), id="old-version"),
        pytest.param(lambda text: text.replace('"pages": ["', '"pages": [1, "'), id="wrong-type"),
        pytest.param(
            lambda text: text.replace('"problem": null', '"problem": {}'), id="bad-problem"
        ),
    ],
)
def test_a_damaged_cache_entry_is_parsed_again(tmp_path: Path, damage: object) -> None:
    assert callable(damage)
    path = write_pdfs(tmp_path)[0]
    cold = extract_files([path], cache_root=tmp_path)
    (entry,) = (tmp_path / CACHE_FOLDER / "pdf").iterdir()
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")
    again = extract_files([path], cache_root=tmp_path)
    assert again.parsed == 1
    assert again.files == cold.files
    assert json.loads(entry.read_text(encoding="utf-8"))["content"]["pages"][0] == (
        "Kwaliteitsplan\nInschrijvingscode K-0001"
    )


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    path = write_pdfs(tmp_path)[0]
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    first = extract_files([path], cache_root=blocked)
    second = extract_files([path], cache_root=blocked)
    assert (first.parsed, second.parsed) == (1, 1)
    assert first.files[path].content.readable


def test_results_come_back_in_the_order_asked(tmp_path: Path) -> None:
    paths = write_pdfs(tmp_path)
    assert list(extract_files(paths[::-1], cache_root=tmp_path).files) == (paths[::-1])
