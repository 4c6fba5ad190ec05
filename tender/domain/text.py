"""Text as people compare it: without case and accents, with spacing evened out."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Text in lower case without accents ("Cliënt" -> "client"), for matching as people read.

    >>> fold("Cliënt CENTRAAL, ﬁnanciën")
    'client centraal, financien'
    """
    if text.isascii():
        return text.casefold()  # nothing to decompose, no marks to drop
    decomposed = unicodedata.normalize("NFKD", text)
    # A page holds few distinct marks: removing each with str.replace is three times
    # faster than a translation table over the whole page.
    for char in set(decomposed):
        if unicodedata.combining(char):
            decomposed = decomposed.replace(char, "")
    return decomposed.casefold()


def match_key(text: str) -> str:
    """Text as compared by people: no accents, case or spacing differences.

    >>> match_key("  Nee ")
    'nee'
    """
    return " ".join(fold(text).split())
