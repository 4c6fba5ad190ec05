"""A plan that names its bidder in disguise, and bids that share a bidder.

Each evasion has a test that fails when the step of the fold that catches it is taken away:
invisible characters, marks, compatibility forms, look-alike letters of other scripts (with
their case), case, letter-spacing, a KvK number in groups, a distinctive word of the name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tender.bids.documents import BidDocuments, Document
from tender.bids.names import NameIndex, comparable, distinctive_words, locate, words_pattern
from tender.bids.suitability import assess
from tender.bids.validity import Validity, check_validity, shared_bidders
from tender.domain.text import fold
from tender.io.loader import load_dossier
from tender.io.pdfparse import PdfContent
from tender.record.replay import read_book
from tests.conftest import VALID_BID, DossierFactory
from tests.pdf_fixtures import GOOD_PLAN, GOOD_UEA, template

ANONYMOUS = template("criteria/award.yaml").replace("anonymous: false", "anonymous: true")
NAME = "Thuiszorg Zonnebloem B.V."
"""The test bid's bidder (VALID_BID), with KvK number 12345678."""

ZWSP, ZWJ, WJ, SOFT_HYPHEN, BOM = "\u200b", "\u200d", "\u2060", "\u00ad", "\ufeff"
VARIATION_SELECTOR, GRAPHEME_JOINER, HANGUL_FILLER = "\ufe0f", "\u034f", "\u3164"
CYRILLIC_O, CYRILLIC_E, CYRILLIC_A = "\u043e", "\u0435", "\u0430"
GREEK_CAPITAL = {"O": "\u039f", "N": "\u039d", "E": "\u0395", "B": "\u0392", "M": "\u039c"}
GREEK_CAPITAL_IOTA, GREEK_CAPITAL_ETA = "\u0399", "\u0397"


def plan_check(root: Path, *pages: str) -> Validity:
    """The validity of the dossier's one bid with a quality plan reading ``pages`` (after a
    cover page), so the finding is on page 2 onwards."""
    dossier = load_dossier(root)
    (bid,) = dossier.submissions
    plan, uea = (
        Document(
            id=document,
            title=document,
            mandatory=True,
            file=f"{document}.pdf",
            sha256=None,
            size=None,
            issued=None,
            content=PdfContent(pages=content),
        )
        for document, content in (("kwaliteitsplan", ("Kwaliteitsplan", *pages)), ("uea", ("UEA",)))
    )
    return check_validity(
        dossier, bid, BidDocuments(bid=bid.id, documents=(plan, uea), sections=())
    )


@pytest.fixture
def anonymous(make_dossier: DossierFactory) -> Path:
    """A dossier whose quality plans must be anonymous."""
    return make_dossier({"criteria/award.yaml": ANONYMOUS})


def certain(validity: Validity) -> list[tuple[str, int | None]]:
    """The plan's certain anonymity findings: what identified the bidder, on which page."""
    return [
        (str(reason.figures["identifies_by"]), reason.page)
        for reason in validity.reasons
        if reason.rule == "not-anonymous"
    ]


def doubted(validity: Validity) -> list[tuple[str, int | None]]:
    """The words of the name a person must weigh, and their page."""
    return [
        (str(finding.figures["value"]), finding.page)
        for finding in validity.to_confirm
        if finding.rule == "name-word-in-plan"
    ]


# --- the name in disguise: certain -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"Wij zijn Thuiszorg Zonne{ZWSP}bloem.", id="zero-width-space"),
        pytest.param(f"Wij zijn Thuis{ZWJ}zorg Zonnebloem.", id="zero-width-joiner"),
        pytest.param(f"Wij zijn Thuiszorg Zon{WJ}ne{WJ}bloem.", id="word-joiner"),
        pytest.param(f"Wij zijn Thuiszorg Zonne{SOFT_HYPHEN}bloem.", id="soft-hyphen"),
        pytest.param(f"Wij zijn Thuis{BOM}zorg Zonnebloem.", id="byte-order-mark"),
        pytest.param(
            f"Wij zijn Thuiszorg Zonne{VARIATION_SELECTOR}bloem.", id="variation-selector"
        ),
        pytest.param(f"Wij zijn Thuiszorg Zonne{GRAPHEME_JOINER}bloem.", id="grapheme-joiner"),
        pytest.param(f"Wij zijn Thuiszorg Zonne{HANGUL_FILLER}bloem.", id="hangul-filler"),
        pytest.param(
            f"Wij zijn Thuisz{CYRILLIC_O}rg Z{CYRILLIC_O}nn{CYRILLIC_E}bl{CYRILLIC_O}{CYRILLIC_E}m.",
            id="cyrillic",
        ),
        pytest.param(
            "Wij zijn THUISZORG Z{O}{N}{N}{E}{B}L{O}{E}{M}.".format(**GREEK_CAPITAL), id="greek"
        ),
        pytest.param(f"Wij zijn THU{GREEK_CAPITAL_IOTA}SZORG ZONNEBLOEM.", id="greek-capital-iota"),
        pytest.param("Wij zijn ＴＨＵＩＳＺＯＲＧ ＺＯＮＮＥＢＬＯＥＭ.", id="fullwidth"),  # noqa: RUF001
        pytest.param("Wij zijn Thuiszorg Zonnébloem.", id="accent"),
        pytest.param("Wij zijn T h u i s z o r g   Z o n n e b l o e m.", id="letter-spaced"),
        pytest.param(
            f"Wij zijn T{ZWSP} h u i s z o r g  Z o n n e b l o e m.", id="letter-spaced-with-zwsp"
        ),
        pytest.param("Wij zijn T h u i s z o r g Z o n n e b l o e m.", id="letter-spaced-evenly"),
        pytest.param("Zie www.thuiszorgzonnebloem.example.", id="one-word"),
    ],
)
def test_a_disguised_name_makes_the_plan_not_anonymous(anonymous: Path, text: str) -> None:
    validity = plan_check(anonymous, "1. Visie", text)
    assert certain(validity) == [("name", 3)]
    (reason,) = [reason for reason in validity.reasons if reason.rule == "not-anonymous"]
    assert reason.evidence == " ".join(text.split())  # the page's own characters, as it reads
    assert validity.to_confirm == ()  # the name was found: no doubt about its words


@pytest.mark.parametrize(
    "text",
    [
        "KvK 1234-5678.",
        "KvK 1234/5678.",
        "KvK 1234 5678.",
        "KvK 1234.5678.",
        "KvK 12-34-56-78.",
        "KvK 1234 - 5678.",
        "KvK 12_34_56_78.",
        "KvK 1 2 3 4 5 6 7 8.",
        f"KvK 1234{ZWSP}5678.",
        "KvK １２３４５６７８.",  # noqa: RUF001
    ],
)
def test_the_kvk_number_with_any_separators_makes_the_plan_not_anonymous(
    anonymous: Path, text: str
) -> None:
    validity = plan_check(anonymous, text)
    assert certain(validity) == [("trade_register", 2)]


@pytest.mark.parametrize(
    "text",
    [
        "Referentie 123456789 en 01234567.",  # not the 8 digits on their own
        "Telefoon 1234-56789.",
        "Van 1234 tot 5678 uur.",  # two numbers four words apart
    ],
)
def test_other_numbers_are_not_the_kvk_number(anonymous: Path, text: str) -> None:
    assert certain(plan_check(anonymous, text)) == []


# --- a distinctive word of the name: for a person to weigh ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "In Zonnebloem kennen wij elke straat.",
        f"In Z{CYRILLIC_O}nn{CYRILLIC_E}bl{CYRILLIC_O}{CYRILLIC_E}m kennen wij elke straat.",
        "In Z o n n e b l o e m kennen wij elke straat.",
        f"In Zonne{ZWSP}bloem kennen wij elke straat.",
    ],
)
def test_a_distinctive_word_of_the_name_is_for_a_person_to_weigh(
    anonymous: Path, text: str
) -> None:
    validity = plan_check(anonymous, "1. Visie", text)
    assert validity.valid  # not decided by the machine
    assert doubted(validity) == [("zonnebloem", 3)]
    (finding,) = validity.to_confirm
    assert finding.message == (
        "the quality plan must be anonymous; page 3 of kwaliteitsplan.pdf may name the bidder: "
        f"it has “zonnebloem”, a word of the bidder's name, in “{' '.join(text.split())}”; "
        "a person must judge whether it names the bidder"
    )
    assert finding.evidence == " ".join(text.split())


def test_the_doubt_is_worded_weaker_than_a_certain_match(anonymous: Path) -> None:
    (reason,) = plan_check(anonymous, "Wij zijn Thuiszorg Zonnebloem.").reasons
    (doubt,) = plan_check(anonymous, "Zonnebloem helpt.").to_confirm
    assert "but page 2 of kwaliteitsplan.pdf gives the bidder's name" in reason.message
    assert "may name the bidder" in doubt.message
    assert "a person must judge" in doubt.message
    assert "gives the bidder's name" not in doubt.message


@pytest.mark.parametrize(
    "text",
    [
        "Wij bieden thuiszorg in de wijk.",  # a common word of the name
        "Thuiszorg Zonnebloemen is een andere naam.",  # not the whole word
        "De zonnebloemveldjes in het park.",
        "Wij bieden THUISZORG, B.V. en zorg.",
    ],
)
def test_common_words_and_parts_of_words_are_no_finding(anonymous: Path, text: str) -> None:
    validity = plan_check(anonymous, text)
    assert validity.valid
    assert validity.to_confirm == ()


def test_a_plan_need_not_be_anonymous_when_the_procedure_does_not_ask(
    make_dossier: DossierFactory,
) -> None:
    validity = plan_check(make_dossier(), "Zonnebloem, KvK 1234-5678, Thuiszorg Zonnebloem")
    assert validity.valid
    assert validity.to_confirm == ()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Thuiszorg Zonnebloem B.V.", ("zonnebloem",)),
        ("Stichting Zorg Dichtbij Beekhorst", ("beekhorst",)),
        ("Stichting Wijkzorg De Linde", ("linde",)),
        ("Zorgkracht Beekhorst", ("zorgkracht", "beekhorst")),
        ("Coöperatie Thuishulp IJsselvallei U.A.", ("ijsselvallei",)),
        ("Zorggroep Eemdal 17 B.V.", ("eemdal",)),
        ("Thuishulp Zoë", ("zoe",)),
        ("Wijkzorg NV", ()),
        ("Thuiszorg Eemdal B.V. Holding", ("eemdal",)),  # a legal form inside, and a common word
    ],
)
def test_the_distinctive_words_of_a_name(name: str, expected: tuple[str, ...]) -> None:
    assert distinctive_words(name) == expected


# --- the fold --------------------------------------------------------------------------------


def test_every_assigned_default_ignorable_character_is_dropped() -> None:
    """Unicode's Default_Ignorable_Code_Point, as assigned in Python's Unicode data: format
    characters, variation selectors and the other marks, and the Hangul fillers."""
    ignorable = [
        "\u00ad", "\u034f", "\u061c", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180b",
        "\u180e", "\u180f", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a",
        "\u202e", "\u2060", "\u2064", "\u2066", "\u2069", "\u206f", "\u3164", "\ufe00",
        "\ufe0f", "\ufeff", "\uffa0", "\U0001bca0", "\U0001d173", "\U000e0001", "\U000e0041",
        "\U000e0100", "\U000e01ef",
    ]  # fmt: skip
    assert fold("a" + "".join(ignorable) + "b") == "ab"


def test_letters_of_other_scripts_read_as_the_latin_letter_they_look_like() -> None:
    cyrillic = "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425"
    assert fold(cyrillic) == "abekmhopctx"
    assert fold("\u0430\u0435\u043e\u0440\u0441\u0445\u0443\u0456\u0458\u0455\u04bb") == (
        "aeopcxyijsh"
    )
    greek = "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7"
    assert fold(greek) == "abezhikmnoptyx"
    assert fold("\u03bf\u03c1\u03b9\u03bd") == "opiv"


def test_letters_without_a_latin_look_alike_stay() -> None:
    assert (
        fold("\u0414\u0436 \u03c0\u03bb \u05d0 \u4e2d") == "\u0434\u0436 \u03c0\u03bb \u05d0 \u4e2d"
    )


def test_latin_and_common_characters_are_not_mapped() -> None:
    """The confusables table also relates Latin letters, digits and signs to each other
    ("l", "I", "1"); the fold keeps them apart, as a reader of Dutch does."""
    assert fold("Il1| 0O \u201equote\u201d \u2013 \u20ac \u00bd") == (
        "il1| 0o \u201equote\u201d \u2013 \u20ac 1\u20442"
    )


@given(st.text(max_size=40))
def test_a_text_folds_as_its_characters_do(text: str) -> None:
    """What lets :func:`locate` trace a match back to the page's own characters."""
    assert fold(text) == "".join(fold(char) for char in text)


@given(
    st.text(alphabet=st.sampled_from("ab z\u200b\u0430\u00e9 .\n"), max_size=40),
    st.sampled_from(["z", "ab", "a b", "zaz"]),
)
def test_locate_finds_what_the_comparable_text_holds(text: str, word: str) -> None:
    pattern = words_pattern(tuple(word.split()))
    span = locate(text, pattern)
    assert (span is None) == (pattern.search(comparable(text)) is None)
    if span is not None:
        assert pattern.search(comparable(text[span[0] : span[1]]))


def test_letter_spacing_is_joined_from_two_letters_on() -> None:
    assert comparable("B e e k h o r s t en u") == "beekhorst en u"
    assert comparable("Stichting D e  K a p s t o k") == "stichting de  kapstok"
    assert comparable("B\u00a0e\u00a0e\u00a0k") == "beek"  # no-break spaces
    assert comparable("Z o r g  P l u s") == "zorg  plus"  # a wider gap between words


def test_motivations_name_other_bidders_through_disguises_too() -> None:
    index = NameIndex([("bid-001", "Zorg-Plus B.V."), ("bid-002", "Thuishulp B.V.")])
    assert index.named_in(f"Net als Z{CYRILLIC_O}rg-Plu{ZWSP}s werken wij") == {"bid-001"}
    assert index.named_in("Beter dan T h u i s h u l p") == {"bid-002"}


# --- bids that share a bidder ------------------------------------------------------------


def second_bid(make_dossier: DossierFactory, bid: str) -> Path:
    """The test dossier with a second, complete bid whose bid.yaml is ``bid``."""
    return make_dossier(
        {
            "submissions/bid-001/kwaliteitsplan.pdf": GOOD_PLAN,
            "submissions/bid-001/uea.pdf": GOOD_UEA,
            "submissions/bid-002/bid.yaml": bid,
            "submissions/bid-002/kwaliteitsplan.pdf": GOOD_PLAN,
            "submissions/bid-002/uea.pdf": GOOD_UEA,
        }
    )


def other_bidder(*, name: str = "Wijkzorg De Linde", kvk: str = "87654321") -> str:
    return VALID_BID.replace(NAME, name).replace('"12345678"', f'"{kvk}"')


def test_two_bids_with_the_same_kvk_number_each_get_a_finding_naming_both(
    make_dossier: DossierFactory,
) -> None:
    dossier = load_dossier(second_bid(make_dossier, other_bidder(kvk="12345678")))
    assessments = assess(dossier, read_book(dossier))
    message = (
        "bids bid-001 and bid-002 give the same trade-register (KvK) number 12345678; "
        "a person must check whether one bidder sent more than one bid"
    )
    for item in assessments:
        assert [(f.rule, f.message) for f in item.validity.to_confirm] == [
            ("same-trade-register", message)
        ]
        assert item.validity.valid  # a person decides


def test_two_bids_whose_names_read_the_same_each_get_a_finding_naming_both(
    make_dossier: DossierFactory,
) -> None:
    lookalike = f"Thuisz{CYRILLIC_O}rg Z{CYRILLIC_O}nnebl{CYRILLIC_O}em B.V."
    dossier = load_dossier(second_bid(make_dossier, other_bidder(name=lookalike)))
    shared = shared_bidders(dossier.submissions)
    message = (
        f"bids bid-001 and bid-002 give bidder names that read the same (“{NAME}”, "
        f"“{lookalike}”) once look-alike letters, invisible characters, accents, case and the "
        "legal form are set aside; a person must check whether one bidder sent more than one bid"
    )
    assert {bid: [(f.rule, f.message) for f in found] for bid, found in shared.items()} == {
        "bid-001": [("same-bidder-name", message)],
        "bid-002": [("same-bidder-name", message)],
    }


@pytest.mark.parametrize(
    "name",
    [
        "Wijkzorg De Linde",
        "Zonnebloem B.V.",  # another name than "Thuiszorg Zonnebloem"
        "Thuiszorg Zonnebloemen B.V.",
    ],
)
def test_bids_of_different_bidders_share_nothing(make_dossier: DossierFactory, name: str) -> None:
    dossier = load_dossier(second_bid(make_dossier, other_bidder(name=name)))
    assert shared_bidders(dossier.submissions) == {}


def test_a_name_that_differs_only_by_its_legal_form_reads_the_same(
    make_dossier: DossierFactory,
) -> None:
    dossier = load_dossier(
        second_bid(make_dossier, other_bidder(name="Stichting THUISZORG ZONNEBLOEM"))
    )
    assert {
        bid: [f.rule for f in found] for bid, found in shared_bidders(dossier.submissions).items()
    } == {
        "bid-001": ["same-bidder-name"],
        "bid-002": ["same-bidder-name"],
    }


def test_many_bids_sharing_a_bidder_are_counted_past_ten(make_dossier: DossierFactory) -> None:
    files: dict[str, str | bytes | None] = {}
    for number in range(2, 13):
        files[f"submissions/bid-{number:03d}/bid.yaml"] = other_bidder(kvk="12345678").replace(
            "Wijkzorg De Linde", f"Wijkzorg {number}"
        )
        files[f"submissions/bid-{number:03d}/kwaliteitsplan.pdf"] = GOOD_PLAN
        files[f"submissions/bid-{number:03d}/uea.pdf"] = GOOD_UEA
    dossier = load_dossier(make_dossier(files))
    (finding,) = shared_bidders(dossier.submissions)["bid-012"]
    assert finding.message.startswith(
        "bids bid-001, bid-002, bid-003, bid-004, bid-005, bid-006, bid-007, bid-008, bid-009, "
        "bid-010 and 2 more give the same trade-register (KvK) number 12345678"
    )
    assert finding.figures["bids"] == ", ".join(f"bid-{n:03d}" for n in range(1, 13))
