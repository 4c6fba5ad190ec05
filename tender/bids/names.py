"""Bidder names in free text: the one way tender tells whether a text names a bidder.

A name is compared as its folded words (lower case, no accents, no invisible characters,
look-alike letters of other scripts read as Latin, any punctuation or spacing between
them, letter-spaced words joined), without the legal form at its start or end ("B.V.",
"Stichting", "V.O.F." ...), and found only as whole words: "Zorg-Plus B.V." is named
by "zorg plus", "ZORG PLUS" and "Z o r g  P l u s", not by "zorgplus" or "zorg
plusser". The anonymity check of quality plans (:mod:`tender.bids.validity`) and the
audit's search for other bidders named in a motivation (:mod:`tender.analysis.tone`)
both use it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from tender.domain.text import fold

LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("b", "v"),
    ("bv",),
    ("n", "v"),
    ("nv",),
    ("v", "o", "f"),
    ("vof",),
    ("c", "v"),
    ("cv",),
    ("u", "a"),
    ("w", "a"),
    ("b", "a"),
    ("i", "o"),
    ("stichting",),
    ("cooperatie",),
    ("vereniging",),
    ("eenmanszaak",),
)
"""Legal-form words (folded), stripped from the start and end of a name."""
COMMON_WORDS = frozenset(
    {
        *("de", "het", "een", "en", "van", "voor", "in", "op", "aan", "met", "bij", "tot"),
        *("uit", "naar", "om", "door", "over", "onder", "of", "and", "the", "for"),
        *("zorg", "thuiszorg", "thuishulp", "wijkzorg", "zorggroep", "zorgcooperatie"),
        *("thuisondersteuning", "ondersteuning", "huishoudelijke", "hulp", "thuis", "wijk"),
        *("buurt", "zorgverlening", "dienstverlening", "diensten", "welzijn", "wonen"),
        *("care", "services", "service", "groep", "holding", "nederland", "regio"),
        *("samen", "dichtbij", "goed", "beter", "plus", "extra", "nieuw", "centraal"),
    }
)
"""Words (folded) that name no bidder on their own: Dutch function words and the sector's
own words, which every plan uses. The other words of a name are its distinctive words."""
DISTINCTIVE_LETTERS = 6
"""A name of one word (without its legal form) is matched alone when it is this long: a
short common word ("Zorg") would be found in every other motivation."""

_SEPARATOR = re.compile(r"[\W_]+")
_WORD = r"[^\W_]"
_LETTER = r"[^\W\d_]"
_LETTER_SPACED = re.compile(rf"(?<!{_WORD}){_LETTER}(?: {_LETTER})+(?!{_WORD})")
"""Two or more single letters with one space between each: "B e e k", "D e"."""


def comparable(text: str) -> str:
    """``text`` folded, its letter-spaced words joined: what names are looked for in.

    >>> comparable("Wij, B e e k h o r s t, en u")
    'wij, beekhorst, en u'
    >>> comparable("W i j k z o r g  D e  K a p s t o k")
    'wijkzorg  de  kapstok'
    """
    return joined_letter_spacing(fold(text))


def joined_letter_spacing(folded: str) -> str:
    """Folded text with its letter-spaced words joined ("b e e k" -> "beek")."""
    return _LETTER_SPACED.sub(_joined, folded)


def locate(text: str, pattern: re.Pattern[str]) -> tuple[int, int] | None:
    """Where in ``text`` itself ``pattern`` matches its :func:`comparable` form (start, end).

    Folding changes lengths and joining drops spaces, so each character of the comparable
    text is traced back to the character it came from (each folds on its own).
    """
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        plain = fold(char)
        folded.append(plain)
        origin += [index] * len(plain)
    joined = "".join(folded)
    dropped = {
        position
        for spaced in _LETTER_SPACED.finditer(joined)
        for position in range(spaced.start() + 1, spaced.end(), 2)
    }
    kept = [position for position in range(len(joined)) if position not in dropped]
    match = pattern.search("".join(joined[position] for position in kept))
    if match is None:
        return None
    return origin[kept[match.start()]], origin[kept[match.end() - 1]] + 1


def _joined(spaced: re.Match[str]) -> str:
    return spaced.group().replace(" ", "")


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``.

    >>> words("Zorg-Plus B.V.")
    ('zorg', 'plus', 'b', 'v')
    """
    return tuple(word for word in _SEPARATOR.split(comparable(text)) if word)


def name_words(name: str) -> tuple[str, ...]:
    """The bidder's name as folded words, without the legal form at its start or end.

    >>> name_words("Stichting Thuiszorg de Linde B.V.")
    ('thuiszorg', 'de', 'linde')
    """
    found = list(words(name))
    changed = True
    while changed and found:
        changed = False
        for form in LEGAL_FORMS:
            size = len(form)
            if tuple(found[:size]) == form and len(found) > size:
                del found[:size]
                changed = True
            elif tuple(found[-size:]) == form and len(found) > size:
                del found[-size:]
                changed = True
    return tuple(found)


def distinctive_words(name: str) -> tuple[str, ...]:
    """The words of the bidder's name that could point to it alone: not its legal form, not a
    common word, not a single letter or a number.

    >>> distinctive_words("Stichting Zorg Dichtbij De Beekhorst 7 B.V.")
    ('beekhorst',)
    """
    legal = {form[0] for form in LEGAL_FORMS if len(form) == 1}
    return tuple(
        dict.fromkeys(
            word
            for word in name_words(name)
            if len(word) > 1 and not word.isdigit() and word not in COMMON_WORDS | legal
        )
    )


def name_forms(name: str) -> tuple[tuple[str, ...], ...]:
    """The word sequences that name the bidder in a motivation: the whole name, and the
    name without its legal form where that is distinctive on its own."""
    whole, bare = words(name), name_words(name)
    forms = [whole] if whole else []
    distinctive = len(bare) >= 2 or (len(bare) == 1 and len(bare[0]) >= DISTINCTIVE_LETTERS)
    if distinctive and bare != whole:
        forms.append(bare)
    return tuple(forms)


def words_pattern(sequence: tuple[str, ...], *, joined: bool = False) -> re.Pattern[str]:
    """The word sequence as whole words in folded text, with any separators between them;
    ``joined``: also written as one word, as a plan may ("zorgplus.nl", or letter-spaced
    throughout, "Z o r g P l u s", which reads back as one run of letters).

    >>> bool(words_pattern(("zorg", "plus"), joined=True).search(comparable("Z o r g P l u s")))
    True
    """
    body = _SEPARATOR.pattern.join(re.escape(word) for word in sequence)
    if joined and len(sequence) > 1:
        body = f"(?:{body}|{re.escape(''.join(sequence))})"
    return re.compile(rf"(?<!{_WORD}){body}(?!{_WORD})")


class NameIndex:
    """Many bidders' names, to find which of them a text names.

    Each name form is filed under its rarest word, so a text is compared only with the
    names whose rarest word it holds: a motivation is checked against ten thousand
    bidders in the time of a few.
    """

    def __init__(self, bidders: Iterable[tuple[str, str]]) -> None:
        """``bidders``: (bid id, bidder name) pairs."""
        forms: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for bid, name in bidders:
            for form in name_forms(name):
                forms[form].add(bid)
        frequency: Counter[str] = Counter()
        for form in forms:
            frequency.update(set(form))
        self._by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for form, bids in forms.items():
            key = min(form, key=lambda word: (frequency[word], word))
            for bid in sorted(bids):
                self._by_key[key].append((f" {' '.join(form)} ", bid))

    def named_in(self, text: str) -> set[str]:
        """The bids whose bidder ``text`` names."""
        found_words = words(text)
        keys = self._by_key.keys() & set(found_words)
        if not keys:
            return set()
        padded = f" {' '.join(found_words)} "
        return {bid for key in keys for form, bid in self._by_key[key] if form in padded}
