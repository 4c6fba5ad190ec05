"""Bidder names in free text: one matcher for the anonymity check and the audit."""

from __future__ import annotations

import pytest

from tender.bids.names import NameIndex, name_forms, name_words, words, words_pattern
from tender.domain.text import fold


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Zorg-Plus B.V.", ("zorg", "plus")),
        ("Stichting Thuiszorg de Linde", ("thuiszorg", "de", "linde")),
        ("Coöperatie Wijkzorg U.A.", ("wijkzorg",)),
        ("B.V. Sterk", ("sterk",)),
        ("Stichting", ("stichting",)),  # a name that is only a legal form keeps it
        ("V.O.F. Hulp & Co", ("hulp", "co")),
    ],
)
def test_the_name_without_its_legal_form(name: str, expected: tuple[str, ...]) -> None:
    assert name_words(name) == expected


def test_a_short_one_word_name_is_matched_only_whole() -> None:
    assert name_forms("Zorg B.V.") == (("zorg", "b", "v"),)
    assert name_forms("Thuishulp B.V.") == (("thuishulp", "b", "v"), ("thuishulp",))
    assert name_forms("Zorg Plus") == (("zorg", "plus"),)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Net als Zorg-Plus kiezen zij voor wijkteams.", {"bid-001"}),
        ("net als ZORG PLUS BV", {"bid-001"}),
        ("Zorg—plus, en Thuishulp", {"bid-001", "bid-002"}),
        ("thuíshulp biedt meer", {"bid-002"}),
        ("zorgplus is geen naam", set()),
        ("meer zorg plusser dan", set()),
        ("Zorg aan huis", set()),  # "Zorg B.V." only as a whole
        ("Wij leveren Zorg B.V.-kwaliteit", {"bid-003"}),
    ],
)
def test_the_index_finds_names_as_whole_words(text: str, named: set[str]) -> None:
    index = NameIndex(
        [("bid-001", "Zorg-Plus B.V."), ("bid-002", "Thuishulp B.V."), ("bid-003", "Zorg B.V.")]
    )
    assert index.named_in(text) == named


def test_the_plan_check_and_the_index_agree_on_a_name() -> None:
    text = "Bij Thuiszorg  de-Linde werken wij wijkgericht."
    bare = name_words("Stichting Thuiszorg de Linde")
    assert words_pattern(bare).search(fold(text))
    assert NameIndex([("bid-009", "Stichting Thuiszorg de Linde")]).named_in(text) == {"bid-009"}


def test_words_are_folded() -> None:
    assert words("Cliënt CENTRAAL, ﬁnanciën") == ("client", "centraal", "financien")
