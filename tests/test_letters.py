"""The provisional award, rejection and definitive letters on the example dossier, in Dutch and English.

Each letter type is read as the bidder reads it, in its HTML and in the text of
its PDF, for every element art. 2.130 Aw and the courts ask for. PDFs are made
for one bid per letter type only (one PDF costs about a tenth of a second).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

import tender.present.letters as letters_module
from tender.app.load import load_evaluation
from tender.award.decisions import Decision
from tender.award.evaluation import Evaluation
from tender.present.decision_files import decision_files
from tender.present.letters import awarded_parties, definitive_letters, provisional_pages, with_pdfs
from tender.present.pdfpool import Page
from tender.present.render import RenderError, html_to_pdf
from tests.helpers import refreeze
from tests.letters_fixtures import copy_example, flat, html_text, pdf_text

SENT = date(2017, 12, 1)
CASES = {
    "award": "bid-003",
    "below-threshold": "bid-017",
    "late": "bid-038",
    "incomplete": "bid-026",
    "excluded": "bid-120",
    "expired-certificate": "bid-011",
    "insurance": "bid-047",
}
WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "award": "Wij zijn voornemens de raamovereenkomst",
        "rejection": "Wij zijn niet voornemens de raamovereenkomst",
        "threshold": "een gewogen gemiddelde van ten minste 8",
        "end": "eindigt op donderdag 21 december 2017 om 24:00 uur",
        "object": "kort geding aanhangig maken bij de voorzieningenrechter van de Rechtbank Overijssel",
        "parties": "en de volgende 29 inschrijvers",
        "why_not_max": "Waarom niet de maximale score (10, Uitstekend)",
        "definitive": "Hierbij gunnen wij u definitief de raamovereenkomst",
    },
    "en": {
        "award": "We intend to award the framework agreement",
        "rejection": "We do not intend to award the framework agreement",
        "threshold": "a weighted mean of at least 8",
        "end": "ends on Thursday 21 December 2017 at midnight (24:00)",
        "object": "summary proceedings (kort geding) before the interim relief judge of the Rechtbank Overijssel",
        "parties": "and the following 29 bidders",
        "why_not_max": "Why not the maximum score (10, Uitstekend)",
        "definitive": "We hereby definitively award the framework agreement",
    },
}
REASONS: dict[str, dict[str, tuple[str, ...]]] = {
    "nl": {
        "below-threshold": (
            "Het gewogen gemiddelde van uw scores is 7,9; vereist is ten minste 8",
        ),
        "late": (
            "Uw inschrijving is ontvangen op 10 november 2017 om 12:00:07, 7 seconden na de "
            "sluitingstermijn van 10 november 2017 om 12:00:00",
        ),
        "incomplete": (
            "Het document 'Uniform Europees Aanbestedingsdocument (UEA)' ontbreekt in uw inschrijving",
        ),
        "excluded": ("bij de uitsluitingsgrond 'uitsluiting_faillissement' 'Ja' geantwoord",),
        "expired-certificate": (
            "Geldig HKZ-certificaat: het hkz-certificaat HKZ-2014-16872",
            "tot en met 31 oktober 2017 en was dus niet geldig op de sluitingsdatum 10 november 2017",
        ),
        "insurance": ("opgegeven: € 1.000.000; vereist: ten minste € 2.500.000",),
    },
    "en": {
        "below-threshold": ("The weighted mean of your scores is 7.9; at least 8 is required",),
        "late": (
            "Your bid was received on 10 November 2017 at 12:00:07, 7 seconds after the "
            "deadline of 10 November 2017 at 12:00:00",
        ),
        "incomplete": (
            "Your bid does not include the document 'Uniform Europees Aanbestedingsdocument (UEA)'",
        ),
        "excluded": (
            "in the ESPD you answered 'Ja' to the exclusion ground 'uitsluiting_faillissement'",
        ),
        "expired-certificate": (
            "the hkz certificate HKZ-2014-16872",
            "to 31 October 2017 inclusive, so it was not valid on the deadline date 10 November 2017",
        ),
        "insurance": ("stated: €1,000,000; required: at least €2,500,000",),
    },
}


@dataclass(frozen=True)
class Example:
    """The example in one language: its evaluation, decisions, every letter's HTML, some PDFs."""

    language: str
    evaluation: Evaluation
    decisions: tuple[Decision, ...]
    html: dict[str, str]
    pdf: dict[str, bytes]

    def decision(self, bid: str) -> Decision:
        return next(decision for decision in self.decisions if decision.bid == bid)

    def texts(self, bid: str) -> dict[str, str]:
        return {"html": html_text(self.html[bid]), "pdf": pdf_text(self.pdf[bid])}


@pytest.fixture(scope="module", params=["nl", "en"])
def example(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Example:
    language = request.param
    root = copy_example(tmp_path_factory.mktemp(f"example-{language}"), language=language)
    evaluation = load_evaluation(root)
    decisions = evaluation.decide()
    pages = provisional_pages(
        evaluation.dossier, decisions, evaluation.assessments, evaluation.standstill(SENT)
    )
    chosen = [page for page in pages if page.name.removesuffix(".pdf") in CASES.values()]
    files = with_pdfs(chosen, workers=1)
    return Example(
        language,
        evaluation,
        decisions,
        {page.name.removesuffix(".pdf"): page.html for page in pages},
        {
            str(item.path.with_suffix("")): item.content
            for item in files
            if item.path.suffix == ".pdf"
        },
    )


def test_the_example_gives_29_award_letters_and_99_rejection_letters(example: Example) -> None:
    words = WORDS[example.language]
    awards = [bid for bid, page in example.html.items() if words["award"] in html_text(page)]
    rejections = [
        bid for bid, page in example.html.items() if words["rejection"] in html_text(page)
    ]
    assert len(example.html) == 128
    assert len(awards) == 29
    assert len(rejections) == 99
    assert set(awards) == {decision.bid for decision in example.decisions if decision.awarded}


def test_exactly_at_the_threshold_is_awarded_and_just_below_is_rejected(example: Example) -> None:
    at = example.decision("bid-003")
    assert at.weighted_mean == Fraction(8)
    assert at.margin == 0
    assert at.outcome == "provisional-award"
    for bid, mean in (("bid-017", Fraction(79, 10)), ("bid-009", Fraction(78, 10))):
        below = example.decision(bid)
        assert below.weighted_mean == mean, bid
        assert below.margin == mean - 8
        assert below.outcome == "below-threshold"
    shown = "7,9" if example.language == "nl" else "7.9"
    assert shown in html_text(example.html["bid-017"])


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_letter_has_the_elements_of_article_2_130(example: Example, case: str) -> None:
    bid = CASES[case]
    words = WORDS[example.language]
    dossier = example.evaluation.dossier
    submission = dossier.submission(bid)
    assert submission is not None
    parties = awarded_parties(dossier, example.decisions)
    assert len(parties) == 29
    procedure = dossier.procedure
    assert procedure.court == "Rechtbank Overijssel"
    for form, text in example.texts(bid).items():
        where = f"{case} {bid} {form}"
        assert submission.metadata.bidder.name in text, where
        assert words["award" if case == "award" else "rejection"] in text, where
        assert words["threshold"] in text, where
        assert words["end"] in text, where
        assert words["object"] in text, where
        assert words["parties"] in text, where
        for party in parties:
            assert party.name in text, (where, party.name)
        for detail in (
            procedure.authority.name,
            procedure.authority.address.street,
            procedure.signatory.name,
            procedure.signatory.title,
            f"{procedure.reference}/{bid}",
        ):
            assert detail in text, (where, detail)


@pytest.mark.parametrize("case", ["award", "below-threshold"])
def test_scored_letters_give_own_scores_motivations_and_why_not_the_maximum(
    example: Example, case: str
) -> None:
    decision = example.decision(CASES[case])
    assert len(decision.finals) == 5
    dossier = example.evaluation.dossier
    words = WORDS[example.language]
    below_max = sum(final.value < 10 for final in decision.finals)
    assert below_max == {"award": 5, "below-threshold": 4}[case]  # bid-017 has one 10
    mean = {"nl": ("Gewogen gemiddelde", ","), "en": ("Weighted mean", ".")}[example.language]
    assert decision.weighted_mean is not None
    shown_mean = str(float(decision.weighted_mean)).removesuffix(".0").replace(".", mean[1])
    for form, text in example.texts(decision.bid).items():
        for index, final in enumerate(decision.finals, 1):
            sub = dossier.award.sub_criterion(final.sub_criterion)
            assert sub is not None
            row = f"{index}. {sub.title} {sub.weight}% {final.value}"
            assert row in text, (form, row)
            assert final.motivation is not None
            assert flat(final.motivation) in text, (form, final.sub_criterion)
        assert f"{mean[0]} 100% {shown_mean}" in text, form
        assert text.count(words["why_not_max"]) == below_max, form


@pytest.mark.parametrize("case", sorted(set(CASES) - {"award"}))
def test_rejection_letters_give_the_reasons_with_their_figures(example: Example, case: str) -> None:
    for form, text in example.texts(CASES[case]).items():
        for fragment in REASONS[example.language][case]:
            assert fragment in text, (case, form, fragment)


def test_amounts_and_names_are_real_text_in_an_embedded_font(example: Example) -> None:
    insurance = pdf_text(example.pdf["bid-047"])
    assert "€" in insurance
    certificate = pdf_text(example.pdf["bid-011"])
    assert "Thuishulp Zoë" in certificate
    page = PdfReader(io.BytesIO(example.pdf["bid-011"])).pages[0]
    fonts = cast(DictionaryObject, cast(DictionaryObject, page["/Resources"])["/Font"])
    embedded = [
        str(font["/BaseFont"])
        for font in (cast(DictionaryObject, ref.get_object()) for ref in fonts.values())
        if "/FontFile2" in cast(DictionaryObject, font.get("/FontDescriptor", {}))
    ]
    assert any(name.endswith("+BitstreamVeraSans-Roman") for name in embedded), embedded


def test_definitive_letters_go_to_the_awarded_bids_only(example: Example) -> None:
    awarded = [decision for decision in example.decisions if decision.awarded]
    period = example.evaluation.standstill(SENT)
    chosen = [*awarded[:2], example.decision("bid-017")]
    files = definitive_letters(
        example.evaluation.dossier, chosen, period, sent=date(2017, 12, 22), version=1, workers=1
    )
    assert sorted(str(item.path) for item in files) == sorted(
        f"{decision.bid}.{suffix}" for decision in awarded[:2] for suffix in ("html", "pdf")
    )
    for item in files:
        text = pdf_text(item.content) if item.path.suffix == ".pdf" else html_text(item.content)
        assert WORDS[example.language]["definitive"] in text
        assert "22 december 2017" in text.lower()


def test_decision_files_hold_exact_figures(example: Example) -> None:
    files = {
        str(item.path): item.content
        for item in decision_files(example.evaluation.dossier, example.decisions)
    }
    records = {record["bid"]: record for record in json.loads(files["decisions.json"])["decisions"]}
    assert records["bid-003"]["weighted_mean_exact"] == "8"
    assert records["bid-003"]["margin_exact"] == "0"
    assert records["bid-017"]["weighted_mean_exact"] == "7.9"
    assert records["bid-017"]["margin_exact"] == "-0.1"
    assert records["bid-017"]["outcome"] == "below-threshold"
    rows = files["decisions.csv"].decode().splitlines()
    assert len(rows) == 129
    assert any(row.startswith("bid-017,") and ",7.9,-0.1," in row for row in rows)


@pytest.fixture(scope="module")
def markup(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, bytes]]:
    """bid-003 (awarded, so named in every letter) renamed to a name full of markup."""
    root = copy_example(tmp_path_factory.mktemp("markup"))
    bid_yaml = root / "submissions" / "bid-003" / "bid.yaml"
    text = bid_yaml.read_text(encoding="utf-8")
    bid_yaml.write_text(
        text.replace(
            "  name: Zorggroep De Vlonder B.V.\n",
            "  name: '<script>alert(\"x\")</script> {{ 7*7 }} & Zonen <b>B.V.</b>'\n",
        ),
        encoding="utf-8",
    )
    refreeze(root)  # the bid as it came in
    evaluation = load_evaluation(root)
    decisions = evaluation.decide()
    pages = provisional_pages(
        evaluation.dossier, decisions, evaluation.assessments, evaluation.standstill(SENT)
    )
    chosen = [page for page in pages if page.name in ("bid-003.pdf", "bid-017.pdf")]
    files = with_pdfs(chosen, workers=1)
    return (
        {page.name.removesuffix(".pdf"): page.html for page in chosen},
        {
            str(item.path.with_suffix("")): item.content
            for item in files
            if item.path.suffix == ".pdf"
        },
    )


NAME = '<script>alert("x")</script> {{ 7*7 }} & Zonen <b>B.V.</b>'


@pytest.mark.parametrize("bid", ["bid-003", "bid-017"])
def test_bidder_text_with_markup_is_escaped_in_html_and_literal_in_pdf(
    markup: tuple[dict[str, str], dict[str, bytes]], bid: str
) -> None:
    pages, pdfs = markup
    page = pages[bid]
    assert "<script>" not in page
    assert "<b>B.V.</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; {{ 7*7 }} &amp; Zonen" in page
    assert NAME in html_text(page)
    assert NAME in pdf_text(pdfs[bid])


def test_a_missing_template_variable_fails_loudly(
    example: Example, monkeypatch: pytest.MonkeyPatch
) -> None:
    common = letters_module._common

    def without_court(*args: Any, **kwargs: Any) -> dict[str, Any]:
        context = common(*args, **kwargs)
        del context["court"]
        return context

    monkeypatch.setattr(letters_module, "_common", without_court)
    with pytest.raises(RenderError, match=r"template \w\w/rejection.html: 'court' is undefined"):
        provisional_pages(
            example.evaluation.dossier,
            example.decisions,
            example.evaluation.assessments,
            example.evaluation.standstill(SENT),
        )


def test_a_character_the_pdf_font_cannot_draw_is_refused() -> None:
    with pytest.raises(RenderError, match=r"bid-900.pdf: .* cannot draw 'Ő' \(U\+0150\)"):
        html_to_pdf("<p>Kovács és Társa Ő Kft.</p>", name="bid-900.pdf")


def test_parallel_pdfs_are_byte_for_byte_the_serial_ones(
    markup: tuple[dict[str, str], dict[str, bytes]],
) -> None:
    letters = list(markup[0].values())
    pages = [Page(f"bid-{number:03d}.pdf", letters[number % 2]) for number in range(9)]
    serial = with_pdfs(pages, workers=1)
    assert with_pdfs(pages, workers=2) == serial
    assert serial[1].content == markup[1]["bid-003"]


def test_page_one_renders_to_a_letter_not_a_blank(example: Example, tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is needed: apt-get install poppler-utils"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(example.pdf["bid-003"])
    subprocess.run(
        [
            pdftoppm,
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    with Image.open(tmp_path / "page.png") as image:
        rgb = image.convert("RGB")
        width, height = rgb.size
        data = rgb.tobytes()
    pixels = [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]
    assert 0.7 < width / height < 0.71  # A4 portrait
    inked = sum(1 for pixel in pixels if sum(pixel) < 600) / len(pixels)
    assert 0.02 < inked < 0.3, inked
    letterhead = pixels[: width * height // 8]
    assert any(
        abs(r - 0x1A) < 40 and abs(g - 0x4D) < 40 and abs(b - 0x80) < 40 for r, g, b in letterhead
    )
