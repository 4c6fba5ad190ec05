"""The annex of parties: above ``framework.parties_in_letter`` the parties are listed once.

Every letter names all parties to the framework agreement (art. 2.130 Aw). With
thousands of them a letter would run to a hundred pages and all letters would
grow with the square of the tender, so above the dossier's limit the parties go
into one annex, sent with every letter and named in it by the SHA-256 of its PDF.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tender.app.load import load_evaluation
from tender.award.decisions import Decision
from tender.award.evaluation import Evaluation
from tender.present.letters import (
    awarded_parties,
    definitive_letters,
    holds_annex,
    parties_annex,
    provisional_letters,
    provisional_pages,
)
from tender.present.render import Rendered
from tests.conftest import DossierFactory, SetClock
from tests.helpers import refreeze
from tests.letters_fixtures import copy_example, html_text, locked_small_dossier, pdf_text
from tests.scoring_fixtures import CHAIR

Run = Callable[..., Result]
SENT = date(2017, 12, 1)
ANNEX = {"nl": "bijlage/partijen", "en": "annex/parties"}
WORDS = {
    "nl": {
        "refers": 'in de bijlage "Partijen bij de raamovereenkomst"',
        "annex_title": "Bijlage: partijen bij de raamovereenkomst",
        "to_bidders": "aan iedere inschrijver is verzonden",
        "to_parties": "aan iedere partij bij de raamovereenkomst is verzonden",
        "inline": "en de volgende {count} inschrijvers",
        "count": "en {count} inschrijvers",
    },
    "en": {
        "refers": 'in the annex "Parties to the framework agreement"',
        "annex_title": "Annex: parties to the framework agreement",
        "to_bidders": "sent to every bidder on",
        "to_parties": "sent to every party to the framework agreement on",
        "inline": "and the following {count} bidders",
        "count": "and {count} bidders",
    },
}


def set_limit(root: Path, limit: int) -> None:
    procedure = root / "criteria" / "procedure.yaml"
    text = procedure.read_text(encoding="utf-8")
    assert "  parties_in_letter: 100 " in text
    procedure.write_text(
        text.replace("  parties_in_letter: 100 ", f"  parties_in_letter: {limit} ")
    )
    refreeze(root)  # as if the bids had been opened with this limit


@dataclass(frozen=True)
class Example:
    language: str
    evaluation: Evaluation
    decisions: tuple[Decision, ...]

    def chosen(self, awarded: int, rejected: int) -> tuple[Decision, ...]:
        """The first ``awarded`` awarded and ``rejected`` rejected decisions, in the example's order."""
        yes = [decision for decision in self.decisions if decision.awarded][:awarded]
        no = [decision for decision in self.decisions if not decision.awarded][:rejected]
        return tuple(decision for decision in self.decisions if decision in (*yes, *no))


@pytest.fixture(scope="module", params=["nl", "en"])
def example(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Example:
    root = copy_example(tmp_path_factory.mktemp(f"annex-{request.param}"), language=request.param)
    set_limit(root, 3)
    evaluation = load_evaluation(root)
    return Example(request.param, evaluation, evaluation.decide())


def by_path(files: tuple[Rendered, ...]) -> dict[str, bytes]:
    return {str(item.path): item.content for item in files}


def test_above_the_limit_the_parties_are_listed_once_in_an_annex_named_by_its_digest(
    example: Example,
) -> None:
    chosen = example.chosen(awarded=4, rejected=1)
    parties = awarded_parties(example.evaluation.dossier, chosen)
    assert len(parties) == 4  # one more than the limit of 3
    files = provisional_letters(
        example.evaluation.dossier,
        chosen,
        example.evaluation.assessments,
        example.evaluation.standstill(SENT),
        workers=1,
    )
    assert holds_annex(files)
    stem = ANNEX[example.language]
    assert [str(item.path) for item in files[:2]] == [f"{stem}.html", f"{stem}.pdf"]
    assert len(files) == 2 + 2 * len(chosen)
    content = by_path(files)
    words = WORDS[example.language]
    digest = hashlib.sha256(content[f"{stem}.pdf"]).hexdigest()
    annex = {"html": html_text(content[f"{stem}.html"]), "pdf": pdf_text(content[f"{stem}.pdf"])}
    for form, text in annex.items():
        assert words["annex_title"] in text, form
        assert words["to_bidders"] in text, form
        assert words["inline"].format(count=4) in text, form
        for party in parties:
            assert party.name in text, (form, party.name)
    for decision in chosen:
        letter = {
            "html": html_text(content[f"{decision.bid}.html"]),
            "pdf": pdf_text(content[f"{decision.bid}.pdf"]),
        }
        others = [party.name for party in parties if party.bid != decision.bid]
        for form, text in letter.items():
            where = (decision.bid, form)
            assert words["refers"] in text, where
            assert words["count"].format(count=4) in text, where
            assert f"{Path(stem).name}.pdf, SHA-256 {digest}" in text, where
            assert not [name for name in others if name in text], where


def test_at_the_limit_the_letters_list_the_parties_themselves(example: Example) -> None:
    chosen = example.chosen(awarded=3, rejected=1)
    parties = awarded_parties(example.evaluation.dossier, chosen)
    files = provisional_letters(
        example.evaluation.dossier,
        chosen,
        example.evaluation.assessments,
        example.evaluation.standstill(SENT),
        workers=1,
    )
    assert not holds_annex(files)
    assert len(files) == 2 * len(chosen)
    words = WORDS[example.language]
    for item in files:
        text = html_text(item.content) if item.path.suffix == ".html" else pdf_text(item.content)
        assert words["inline"].format(count=3) in text, item.path
        assert words["refers"] not in text, item.path
        for party in parties:
            assert party.name in text, (item.path, party.name)


def test_with_the_annex_a_letter_is_the_same_length_however_many_parties(
    example: Example,
) -> None:
    """What makes letters linear in the tender: a letter no longer grows with the parties."""
    dossier = example.evaluation.dossier
    period = example.evaluation.standstill(SENT)
    rejected = example.chosen(awarded=0, rejected=1)
    sizes = {}
    for awarded in (4, 29):
        parties = awarded_parties(dossier, example.chosen(awarded=awarded, rejected=0))
        assert len(parties) == awarded
        annex_files, annex = parties_annex(
            dossier, parties, kind="provisional", sent=SENT, version=1, workers=1
        )
        assert annex is not None and annex.parties == awarded and len(annex_files) == 2
        (page,) = provisional_pages(
            dossier, rejected, example.evaluation.assessments, period, parties=parties, annex=annex
        )
        sizes[awarded] = len(page.html)
    assert abs(sizes[29] - sizes[4]) <= 1  # "4" against "29" in the count; nothing else differs


def test_definitive_letters_take_the_annex_too(example: Example) -> None:
    chosen = example.chosen(awarded=4, rejected=1)
    files = definitive_letters(
        example.evaluation.dossier,
        chosen,
        example.evaluation.standstill(SENT),
        sent=date(2017, 12, 22),
        version=1,
        workers=1,
    )
    stem = ANNEX[example.language]
    content = by_path(files)
    assert sorted(content) == sorted(
        [f"{stem}.html", f"{stem}.pdf"]
        + [f"{d.bid}.{suffix}" for d in chosen if d.awarded for suffix in ("html", "pdf")]
    )
    digest = hashlib.sha256(content[f"{stem}.pdf"]).hexdigest()
    words = WORDS[example.language]
    assert words["to_parties"] in pdf_text(content[f"{stem}.pdf"])
    for decision in chosen:
        if decision.awarded:
            text = pdf_text(content[f"{decision.bid}.pdf"])
            assert f"SHA-256 {digest}" in text, decision.bid


def test_the_commands_send_and_record_the_annex_with_the_letters(
    make_dossier: DossierFactory, run_cli: Run, clock: SetClock
) -> None:
    root = locked_small_dossier(make_dossier)
    set_limit(root, 1)
    d = ("--dossier", str(root))
    rendered = run_cli("letters", *d)
    assert rendered.exit_code == 0, rendered.output + rendered.stderr
    assert "3 letters dated" in rendered.output
    assert "with the annex of parties" in rendered.output
    sent = run_cli("letters", "send", *d, "--date", "2026-12-01", "--by", CHAIR)
    assert sent.exit_code == 0, sent.output + sent.stderr
    kept = root / "reports" / "sent-v1"
    annex = (kept / "bijlage" / "partijen.pdf").read_bytes()
    digest = hashlib.sha256(annex).hexdigest()
    (event,) = _events(root, "letters-sent")
    assert event["files"]["bijlage/partijen.pdf"] == digest
    assert f"SHA-256 {digest}" in pdf_text((kept / "bid-002.pdf").read_bytes())
    clock.set(datetime(2026, 12, 22, 9, tzinfo=UTC))
    definitive = run_cli("letters", "definitive", *d, "--date", "2026-12-22", "--by", CHAIR)
    assert definitive.exit_code == 0, definitive.output + definitive.stderr
    assert "2 definitive award letters with the annex of parties" in definitive.output
    assert (root / "reports" / "definitive-v1" / "bijlage" / "partijen.pdf").exists()


def _events(root: Path, kind: str) -> list[dict[str, Any]]:
    lines = (root / "scores" / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    return [event for line in lines if (event := json.loads(line)["event"])["kind"] == kind]
