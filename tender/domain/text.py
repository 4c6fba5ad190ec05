"""Text as people compare it: without case, accents, invisible characters or look-alike letters."""

from __future__ import annotations

import bisect
import functools
import importlib.resources
import json
import unicodedata
from collections.abc import Mapping

_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})
"""Format characters (zero-width space and joiners, word joiner, soft hyphen, bidi controls,
tags) and marks (accents once decomposed, variation selectors, the combining grapheme joiner):
with the Hangul fillers, every assigned default-ignorable code point of Unicode."""
_OWN_SCRIPTS = frozenset({"LATIN", "COMMON", "INHERITED"})
"""Scripts whose characters are kept as they are: the letters tender compares names in."""
_FIRST_OTHER_SCRIPT = 0x370
"""Below Greek, every character is Latin or common to all scripts: no look-alike to map."""


def fold(text: str) -> str:
    """Text as a reader sees it, for matching: no invisible characters, no accents, no case,
    and letters of other scripts that look like a Latin letter read as that letter.

    >>> fold("Cliënt CENTRAAL, ﬁnanciën")
    'client centraal, financien'
    >>> fold("Zorg\\u2060Plus \\u0412\\u0435\\u0435kh\\u043erst")  # word joiner; Cyrillic
    'zorgplus beekhorst'

    Each character folds on its own, so the fold of a text is the folds of its characters
    joined: a match in folded text can be traced back to the original.
    """
    if text.isascii():
        return text.casefold()  # nothing to decompose, no marks to drop
    decomposed = unicodedata.normalize("NFKD", text)
    # A page holds few distinct characters, most of them ASCII (which stay): replacing each
    # other one with str.replace is three times faster than a translation table over the page.
    for char in set(decomposed):
        if not char.isascii() and (plain := _plain(char)) != char:
            decomposed = decomposed.replace(char, plain)
    return decomposed.casefold()


def match_key(text: str) -> str:
    """Text as compared by people: no accents, case or spacing differences.

    >>> match_key("  Nee ")
    'nee'
    """
    return " ".join(fold(text).split())


@functools.cache
def _plain(char: str) -> str:
    """A character of a decomposed text as it reads: nothing for a default-ignorable character
    (drawn as nothing) or a mark (an accent, once decomposed), its Latin look-alike for a
    letter of another script, else itself."""
    category = unicodedata.category(char)
    if category in _INVISIBLE_CATEGORIES or (
        category == "Lo" and unicodedata.name(char, "").endswith("FILLER")  # Hangul fillers
    ):
        return ""
    if ord(char) >= _FIRST_OTHER_SCRIPT:
        return _latin_lookalikes().get(char, char)
    return char


@functools.cache
def _latin_lookalikes() -> Mapping[str, str]:
    """Each letter of another script that looks like one Latin letter, mapped to that letter.

    From Unicode's confusables (UTS #39) as confusable-homoglyphs ships them: each character
    with its prototype, the look-alike it is compared as. Only prototypes that are one Latin
    letter are taken, as the anonymity check needs: Cyrillic a (U+0430) reads "a", Greek Eta
    (U+0397) reads "H". The standard compares "I" as "l"; where the prototype's case differs
    from the character's, that of its lower case is taken instead (Greek Iota, U+0399, reads
    as its small letter, so "i").
    Built on first need: the data is 900 KB. Its two files are read directly, since the
    package's modules import urllib (40 ms) to be able to download newer tables.
    """
    package = importlib.resources.files("confusable_homoglyphs")
    homoglyphs: dict[str, list[dict[str, str]]] = json.loads(
        (package / "confusables.json").read_bytes()
    )
    scripts = json.loads((package / "categories.json").read_bytes())
    ranges: list[list[int]] = scripts["code_points_ranges"]  # [first, last, script, category]
    starts = [first for first, *_ in ranges]
    names: list[str] = scripts["iso_15924_aliases"]

    def script(char: str) -> str:
        first, last, index, _ = ranges[bisect.bisect_right(starts, ord(char)) - 1]
        return names[index] if first <= ord(char) <= last else "UNKNOWN"

    def prototype(char: str) -> str | None:
        found = homoglyphs.get(char, ())
        glyph = found[0]["c"] if len(found) == 1 else ""  # a prototype lists its look-alikes
        if len(glyph) != 1:
            return None
        latin = glyph.isalpha() if glyph.isascii() else script(glyph) == "LATIN"
        return glyph if latin else None

    table: dict[str, str] = {}
    for char in homoglyphs:
        if len(char) != 1 or ord(char) < _FIRST_OTHER_SCRIPT or script(char) in _OWN_SCRIPTS:
            continue
        own = prototype(char)
        if own is not None and own.isupper() == char.isupper():
            table[char] = own
            continue
        lower = prototype(char.casefold())
        chosen = lower or own
        if chosen is not None:
            table[char] = chosen
    return table
