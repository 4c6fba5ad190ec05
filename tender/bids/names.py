"""Bidder names in free text: the one way tender tells whether a text names a bidder.

A name is compared as its folded words (lower case, no accents, any punctuation or
spacing between them), without the legal form at its start or end ("B.V.",
"Stichting", "V.O.F." ...), and found only as whole words: "Zorg-Plus B.V." is named
by "zorg plus" and "ZORG PLUS", not by "zorgplus" or "zorg plusser". The anonymity
check of quality plans (:mod:`tender.bids.validity`) and the audit's search for other
bidders named in a motivation (:mod:`tender.analysis.tone`) both use it.
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
DISTINCTIVE_LETTERS = 6
"""A name of one word (without its legal form) is matched alone when it is this long: a
short common word ("Zorg") would be found in every other motivation."""

_SEPARATOR = re.compile(r"[\W_]+")
_WORD = r"[^\W_]"


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``.

    >>> words("Zorg-Plus B.V.")
    ('zorg', 'plus', 'b', 'v')
    """
    return tuple(word for word in _SEPARATOR.split(fold(text)) if word)


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


def name_forms(name: str) -> tuple[tuple[str, ...], ...]:
    """The word sequences that name the bidder in a motivation: the whole name, and the
    name without its legal form where that is distinctive on its own."""
    whole, bare = words(name), name_words(name)
    forms = [whole] if whole else []
    distinctive = len(bare) >= 2 or (len(bare) == 1 and len(bare[0]) >= DISTINCTIVE_LETTERS)
    if distinctive and bare != whole:
        forms.append(bare)
    return tuple(forms)


def words_pattern(sequence: tuple[str, ...]) -> re.Pattern[str]:
    """The word sequence as whole words in folded text, with any separators between them."""
    body = _SEPARATOR.pattern.join(re.escape(word) for word in sequence)
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
