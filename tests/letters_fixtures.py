"""Helpers for the letters and report tests: copies of the example, a small locked dossier, text.

Letters are checked as a reader sees them: the text of the HTML (tags removed,
entities decoded) and the text pypdf extracts from the PDF, both with every run
of white space (no-break spaces and line breaks included) made one space, so a
phrase is found wherever a line happens to wrap.
"""

from __future__ import annotations

import io
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader

from tender.io.loader import load_dossier
from tests.conftest import REPO_ROOT, DossierFactory
from tests.helpers import refreeze
from tests.keys import acting_recorder
from tests.scoring_fixtures import BIDS, CHAIR, EVALUATORS, SUBS, committee_root, open_bids

EXAMPLE_FOLDERS = ("criteria", "submissions", "scores")
SMALL_CONSENSUS = {"bid-001": (8, 8), "bid-002": (8, 6), "bid-003": (10, 8)}
"""Consensus scores of the small dossier: bid-002 (weighted mean 7) is below the threshold of 8."""


def copy_example(target: Path, *, language: str = "nl") -> Path:
    """The example dossier copied to ``target`` (never worked on in place), in ``language``."""
    for folder in EXAMPLE_FOLDERS:
        shutil.copytree(REPO_ROOT / folder, target / folder)
    if language != "nl":
        procedure = target / "criteria" / "procedure.yaml"
        text = procedure.read_text(encoding="utf-8")
        assert "\nlanguage: nl " in text
        procedure.write_text(text.replace("\nlanguage: nl ", f"\nlanguage: {language} "))
        refreeze(target)
    return target


def locked_small_dossier(make_dossier: DossierFactory, *, language: str = "nl") -> Path:
    """Three bids scored by three evaluators, verdicts given, consensus recorded, scores locked."""
    root = committee_root(make_dossier, opened=False)
    if language != "nl":
        procedure = root / "criteria" / "procedure.yaml"
        text = procedure.read_text(encoding="utf-8")
        procedure.write_text(text.replace("language: nl ", f"language: {language} ", 1))
    open_bids(root)
    dossier = load_dossier(root)
    recorder = acting_recorder(dossier)
    for bid in BIDS:
        recorder.record_verdict(
            EVALUATORS[1],
            bid,
            "referenties",
            passed=True,
            reason=f"Two references checked ({bid}).",
        )
    for person in EVALUATORS:
        for bid, sub in recorder.items_for(person):
            recorder.record_score(
                person,
                bid,
                sub,
                score=Decimal(SMALL_CONSENSUS[bid][SUBS.index(sub)]),
                motivation=f"{person} finds {bid}/{sub} concrete.",
            )
    recorder.change_phase(CHAIR, "consensus")
    for bid, scores in SMALL_CONSENSUS.items():
        for sub, score in zip(SUBS, scores, strict=True):
            recorder.record_consensus(
                CHAIR,
                bid,
                sub,
                score=Decimal(score),
                motivation=f"The committee agrees on {score} for {bid}/{sub}.",
            )
    recorder.change_phase(CHAIR, "locked")
    return root


_BLOCKS = frozenset({"p", "div", "li", "tr", "td", "th", "br", "h1", "h2", "h3", "table", "ul"})


class _Text(HTMLParser):
    """The text of an HTML page as a reader sees it: entities decoded, no style sheet or title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip = tag in ("style", "title")
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def flat(text: str) -> str:
    """``text`` with every run of white space, no-break spaces included, as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def html_text(page: str | bytes) -> str:
    parser = _Text()
    parser.feed(page.decode() if isinstance(page, bytes) else page)
    return flat("".join(parser.parts))


_FOOTER = re.compile(r"^.* · (pagina|page) \d+ (van|of) \d+$")


def pdf_text(pdf: bytes) -> str:
    """The PDF's text without its page footers, so a paragraph that runs on to the next page is whole."""
    lines = [
        line
        for page in PdfReader(io.BytesIO(pdf)).pages
        for line in page.extract_text().splitlines()
        if not _FOOTER.match(line)
    ]
    return flat(" ".join(lines))
