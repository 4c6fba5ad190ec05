"""The example dossier: it regenerates byte for byte, loads cleanly and holds its planted cases.

The defects are found here from the loaded data and the criteria, independently of how the
generator planted them, and then compared with the generator's table of planted cases.
"""

from __future__ import annotations

import hashlib
import shutil
import statistics
import subprocess
import sys
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

import pytest
from pypdf import PdfReader

from tender.domain.dossier import Dossier, Submission
from tender.domain.models import DocumentAgeCheck, ExclusionCheck, FieldCheck
from tender.io.loader import load_dossier

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "scripts" / "generate_example.py"
sys.path.insert(0, str(GENERATOR.parent))
import generate_example as example  # noqa: E402  (scripts/ is not a package)

C = TypeVar("C", FieldCheck, DocumentAgeCheck, ExclusionCheck)

EXPECTED_DEFECTS: Mapping[example.Case, set[str]] = {
    example.Case.LATE_BY_SECONDS: {"late"},
    example.Case.LATE_BY_HOURS: {"late"},
    example.Case.AT_DEADLINE: set(),
    example.Case.WRITTEN_IN_UTC: set(),
    example.Case.NO_UEA: {"missing uea"},
    example.Case.HKZ_EXPIRED: {"no valid hkz"},
    example.Case.INSURANCE_TOO_LOW: {"insurance too low"},
    example.Case.NOT_REGISTERED: {"not registered"},
    example.Case.KVK_TOO_OLD: {"extract too old"},
    example.Case.EXCLUSION_DECLARED: {"exclusion ground"},
}


@pytest.fixture(scope="module")
def dossier() -> Dossier:
    return load_dossier(ROOT)


@pytest.fixture(scope="module")
def headings(dossier: Dossier) -> list[str]:
    """Each section's heading: its number, a dot, a space and the title in the award criteria."""
    return [f"{n}. {sub.title}" for n, sub in enumerate(dossier.award.sub_criteria, start=1)]


@pytest.fixture(scope="module")
def plan_pages(dossier: Dossier) -> dict[str, list[str]]:
    """The text of every page of every quality plan, per bid id."""
    pages = {}
    for bid in dossier.submissions:
        path = bid.document_path("kwaliteitsplan")
        assert path is not None, f"{bid.id} has no quality plan"
        pages[bid.id] = [page.extract_text() for page in PdfReader(path).pages]
    return pages


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


RECORD_FILES = ("ledger.jsonl", "ledger.head")


@pytest.mark.slow
def test_regenerating_replaces_only_submissions_and_the_record_with_identical_files(
    tmp_path: Path,
) -> None:
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")
    (tmp_path / "keep.txt").write_text("not the generator's", encoding="utf-8")
    (tmp_path / "submissions" / "bid-999").mkdir(parents=True)
    scores = tmp_path / "scores"
    scores.mkdir()
    (scores / "notes.txt").write_text("not the generator's either", encoding="utf-8")
    (scores / "ledger.jsonl").write_text("an old record\n", encoding="utf-8")
    (scores / "ledger.torn").write_text("an old torn line\n", encoding="utf-8")

    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )

    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "not the generator's"
    assert (scores / "notes.txt").read_text(encoding="utf-8") == "not the generator's either"
    assert not (tmp_path / "submissions" / "bid-999").exists()
    assert _digests(tmp_path / "submissions") == _digests(ROOT / "submissions")
    assert sorted(path.name for path in scores.iterdir()) == sorted(["notes.txt", *RECORD_FILES])
    for name in RECORD_FILES:
        assert (scores / name).read_bytes() == (ROOT / "scores" / name).read_bytes(), name


def test_the_generator_refuses_a_folder_without_criteria(tmp_path: Path) -> None:
    (tmp_path / "submissions" / "bid-001").mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "criteria" in done.stderr
    assert (tmp_path / "submissions" / "bid-001").is_dir()  # nothing was deleted


def test_dossier_loads_all_128_bids(dossier: Dossier) -> None:
    assert [bid.id for bid in dossier.submissions] == [f"bid-{n:03d}" for n in range(1, 129)]


def test_sub_criteria_match_the_award_criteria(dossier: Dossier) -> None:
    declared = [(sub.id, sub.title, sub.weight) for sub in dossier.award.sub_criteria]
    assert declared == [(sub.id, sub.title, Decimal(sub.weight)) for sub in example.SUB_CRITERIA]


def test_planted_cases_avoid_bids_with_declared_conflicts(dossier: Dossier) -> None:
    conflicted = {conflict.bid for conflict in dossier.committee.conflicts}
    assert conflicted.isdisjoint(example.PLANTED)
    assert conflicted.isdisjoint(example.OVER_LIMIT)


def _check(dossier: Dossier, requirement_id: str, kind: type[C]) -> C:
    requirement = next(r for r in dossier.suitability.requirements if r.id == requirement_id)
    assert isinstance(requirement.check, kind)
    return requirement.check


def _uea_answers(bid: Submission) -> dict[str, str]:
    path = bid.document_path("uea")
    assert path is not None
    return {name: str(value) for name, value in PdfReader(path).get_form_text_fields().items()}


def defects(dossier: Dossier, bid: Submission) -> set[str]:
    """What makes ``bid`` late, incomplete or unsuitable, judged from the data and criteria."""
    metadata, deadline = bid.metadata, dossier.procedure.deadline_at
    found = set()
    if metadata.received > deadline:
        found.add("late")
    if "uea" not in metadata.documents:
        found.add("missing uea")
    if not any(c.kind == "hkz" and c.valid_on(deadline.date()) for c in metadata.certificates):
        found.add("no valid hkz")
    minimum = _check(dossier, "aansprakelijkheid", FieldCheck).min
    assert minimum is not None
    if metadata.insurance is None or metadata.insurance.professional_liability_eur < minimum:
        found.add("insurance too low")
    extract = metadata.documents.get("kvk-uittreksel")
    if metadata.bidder.trade_register is None or extract is None:
        found.add("not registered")
    else:
        max_age = _check(dossier, "kvk-actueel", DocumentAgeCheck).max_age_days
        if extract.issued is None or (deadline.date() - extract.issued).days > max_age:
            found.add("extract too old")
    if sum(ref.year >= deadline.year - 2 for ref in metadata.references) < 2:
        found.add("too few recent references")
    if "uea" in metadata.documents:
        exclusion = _check(dossier, "uitsluitingsgronden", ExclusionCheck)
        answers = _uea_answers(bid)
        if any(answers.get(ground) != exclusion.expected for ground in exclusion.grounds):
            found.add("exclusion ground")
    return found


@pytest.fixture(scope="module")
def defects_by_bid(dossier: Dossier) -> dict[str, set[str]]:
    return {bid.id: defects(dossier, bid) for bid in dossier.submissions}


def test_each_bid_has_exactly_its_planted_defects(defects_by_bid: dict[str, set[str]]) -> None:
    expected = {
        bid_id: EXPECTED_DEFECTS[example.PLANTED[bid_id]] if bid_id in example.PLANTED else set()
        for bid_id in defects_by_bid
    }
    assert defects_by_bid == expected


def test_receipt_edge_cases_sit_on_the_right_side_of_the_deadline(dossier: Dossier) -> None:
    deadline = dossier.procedure.deadline_at
    received = {bid.id: bid.metadata.received for bid in dossier.submissions}
    by_case = {case: bid_id for bid_id, case in example.PLANTED.items()}
    assert received[by_case[example.Case.LATE_BY_SECONDS]] - deadline == timedelta(seconds=7)
    assert received[by_case[example.Case.LATE_BY_HOURS]] - deadline > timedelta(hours=1)
    assert received[by_case[example.Case.AT_DEADLINE]] == deadline
    in_utc = received[by_case[example.Case.WRITTEN_IN_UTC]]
    assert in_utc.utcoffset() == timedelta(0)
    assert in_utc < deadline


def test_excluded_bid_answers_ja_in_its_uea_form(dossier: Dossier) -> None:
    (bid_id,) = [
        b for b, case in example.PLANTED.items() if case is example.Case.EXCLUSION_DECLARED
    ]
    bid = dossier.submission(bid_id)
    assert bid is not None
    answers = _uea_answers(bid)
    assert answers["uitsluiting_faillissement"] == "Ja"
    assert answers["uea_naam"] == bid.metadata.bidder.name


def _section_starts(pages: list[str], headings: list[str]) -> list[int]:
    """The page each section starts on: the one page with a line that is its heading."""
    starts = []
    for heading in headings:
        found = [index for index, page in enumerate(pages) if heading in page.splitlines()]
        assert len(found) == 1, f"heading {heading!r} on pages {found}"
        starts.append(found[0])
    assert starts == sorted(starts), "the sections are out of order"
    return starts


def _section_lengths(pages: list[str], headings: list[str]) -> list[int]:
    starts = _section_starts(pages, headings)
    return [end - start for start, end in zip(starts, [*starts[1:], len(pages)], strict=True)]


def test_quality_plans_have_the_five_sections_within_the_page_limit(
    dossier: Dossier, plan_pages: dict[str, list[str]], headings: list[str]
) -> None:
    over_limit = {}
    for bid_id, pages in plan_pages.items():
        lengths = _section_lengths(pages, headings)
        over = {
            sub.id: length
            for sub, length in zip(dossier.award.sub_criteria, lengths, strict=True)
            if sub.max_pages is not None and length > sub.max_pages
        }
        if over:
            over_limit[bid_id] = over
    assert over_limit == {bid_id: {sub_id: 3} for bid_id, sub_id in example.OVER_LIMIT.items()}


def test_quality_plans_are_anonymous(dossier: Dossier, plan_pages: dict[str, list[str]]) -> None:
    for bid in dossier.submissions:
        plan = "\n".join(plan_pages[bid.id])
        assert bid.metadata.bidder.name not in plan, bid.id
        if bid.metadata.bidder.trade_register is not None:
            assert bid.metadata.bidder.trade_register not in plan, bid.id


def test_plan_prose_grows_with_the_planned_score(
    dossier: Dossier, plan_pages: dict[str, list[str]], headings: list[str]
) -> None:
    words_by_score: dict[int, list[int]] = {}
    planned = example.planned_scores()
    for bid_id, pages in plan_pages.items():
        for sub, start, length in zip(
            dossier.award.sub_criteria,
            _section_starts(pages, headings),
            _section_lengths(pages, headings),
            strict=True,
        ):
            words = sum(len(page.split()) for page in pages[start : start + length])
            words_by_score.setdefault(planned[bid_id][sub.id], []).append(words)
    medians = [statistics.median(words_by_score[score]) for score in sorted(words_by_score)]
    assert medians == sorted(medians) and len(set(medians)) == len(medians)


def weighted_mean(dossier: Dossier, scores: Mapping[str, int]) -> Fraction:
    weights = {sub.id: Fraction(sub.weight) for sub in dossier.award.sub_criteria}
    return sum((weights[sub] * scores[sub] for sub in weights), Fraction(0)) / sum(weights.values())


def test_planned_scores_are_on_the_scale_for_every_bid(dossier: Dossier) -> None:
    planned = example.planned_scores()
    scale = set(dossier.award.scale_values)
    sub_ids = [sub.id for sub in dossier.award.sub_criteria]
    assert sorted(planned) == [bid.id for bid in dossier.submissions]
    for bid_id, scores in planned.items():
        assert list(scores) == sub_ids, bid_id
        assert set(scores.values()) <= scale, bid_id


def test_exactly_29_scoreable_bids_reach_the_threshold(
    dossier: Dossier, defects_by_bid: dict[str, set[str]]
) -> None:
    planned = example.planned_scores()
    scoreable = [bid_id for bid_id, found in defects_by_bid.items() if not found]
    means = [weighted_mean(dossier, planned[bid_id]) for bid_id in scoreable]
    assert len(scoreable) == 120
    assert sum(mean >= 8 for mean in means) == 29
    assert Fraction(8) in means
    assert any(Fraction(77, 10) <= mean < 8 for mean in means)
    assert min(means) >= 4
