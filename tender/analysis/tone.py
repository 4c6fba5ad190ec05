"""The wording of motivations: tone that contradicts the score, and comparisons with other bids.

Cues are Dutch words and phrases, matched as whole words in the motivation's own words
(quoted text is left out); a praising cue after a negator ("niet overtuigend") counts as
negative. Comparative wording, another bid's id or another bidder's name is a known
legal error: scores follow the guidance, not other bids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from tender.analysis.context import AuditContext
from tender.analysis.report import (
    AuditFinding,
    where,
)
from tender.bids.names import NameIndex
from tender.domain.dossier import Dossier

HIGH_SHARE = Fraction(7, 10)
LOW_SHARE = Fraction(2, 5)
MIN_CUES = 2
_NEGATORS = ("niet", "weinig", "nauwelijks", "onvoldoende", "geen")

NEGATIVE_CUES = (
    r"zwak\w*",
    r"onvoldoende",
    r"ontbr\w+",
    r"vaag",
    r"vage",
    r"oppervlakkig\w*",
    r"summier\w*",
    r"niet concreet",
    r"mager\w*",
    r"slecht\w*",
    r"gebrekkig\w*",
    r"niet uitgewerkt",
    r"nauwelijks",
    r"onduidelijk\w*",
    r"onvolledig\w*",
    r"te weinig",
    r"matig\w*",
)
"""Dutch words that say a plan falls short (as regular expressions for whole words)."""
PRAISE_CUES = (
    r"uitstekend\w*",
    r"sterke?",
    r"overtuigend\w*",
    r"zeer concreet",
    r"zeer goed",
    r"goed uitgewerkt",
    r"helder\w*",
    r"excellent\w*",
    r"uitmuntend\w*",
    r"voortreffelijk\w*",
)
"""Dutch words of praise; after a negator (``niet overtuigend``) they count as negative."""
COMPARATIVE_CUES = (
    r"(?:beter|slechter|sterker|zwakker|hoger|lager|meer|minder) dan (?:de |het |die )?(?:andere|overige)",
    r"(?:beter|slechter|sterker|zwakker) dan",
    r"in vergelijking met",
    r"vergeleken met",
    r"ten opzichte van (?:de |het )?(?:andere|overige)",
    r"dan (?:de |het )?(?:andere|overige)",
    r"(?:de |het )?(?:andere|overige) (?:inschrijvers?|inschrijvingen|aanbieders?|bieders?|plannen)",
)
"""Dutch wording that measures a bid against other bids instead of against the guidance."""

_NEGATIVE = re.compile(r"\b(?:" + "|".join(NEGATIVE_CUES) + r")\b")
_PRAISE = re.compile(r"\b(?:" + "|".join(PRAISE_CUES) + r")\b")
_NEGATED = re.compile(r"\b(?:" + "|".join(_NEGATORS) + r")\s+(?:\w+\s+)?$")
_COMPARATIVE = re.compile(r"\b(?:" + "|".join(COMPARATIVE_CUES) + r")\b")
_COMPARATIVE_WORDS = ("dan ", "vergel", "andere", "overige")
"""Every comparative cue holds one of these: texts without any are not searched."""
_QUOTED = re.compile(r"“[^”]*”|„[^”“]*[”“]|\"[^\"]*\"|«[^»]*»")
_ID_TOKEN = re.compile(r"[\w]+(?:[-.][\w]+)*")
"""A bid id as written in a motivation ("bid-038"): words joined by hyphens or dots."""


# --- tone --------------------------------------------------------------------------------------


def own_words(motivation: str) -> str:
    """The motivation without the passages it quotes (between quotation marks)."""
    return _QUOTED.sub(" ", motivation)


def cues(motivation: str) -> tuple[int, int]:
    """How many negative and praise cues the motivation's own words hold.

    >>> cues("Zwak en oppervlakkig; “een sterk plan”, zegt het plan zelf.")
    (2, 0)
    >>> cues("Uitstekend en overtuigend, niet overtuigend over de start.")
    (1, 2)
    """
    return _cues(own_words(motivation).casefold())


def _cues(text: str) -> tuple[int, int]:
    """:func:`cues` of the motivation's own words, in lower case."""
    negative = len(_NEGATIVE.findall(text))
    praise = 0
    for match in _PRAISE.finditer(text):
        if _NEGATED.search(text, max(0, match.start() - 40), match.start()):
            negative += 1
        else:
            praise += 1
    return negative, praise


def comparisons(motivation: str) -> list[str]:
    """The comparative phrases in the motivation's own words, in lower case.

    >>> comparisons("Beter dan de andere inschrijvers, en “beter dan vorig jaar”.")
    ['beter dan de andere']
    """
    return _comparisons(own_words(motivation).casefold())


def _comparisons(text: str) -> list[str]:
    """:func:`comparisons` in the motivation's own words, in lower case."""
    if not any(word in text for word in _COMPARATIVE_WORDS):
        return []
    return [match.group(0) for match in _COMPARATIVE.finditer(text)]


class _OtherBids:
    """Bid ids and bidder names, to find another bid named in a motivation."""

    def __init__(self, dossier: Dossier) -> None:
        self.ids = {bid.id.casefold(): bid.id for bid in dossier.submissions}
        self.names = NameIndex((bid.id, bid.metadata.bidder.name) for bid in dossier.submissions)

    def named(self, text: str, own: str) -> list[str]:
        """Other bids this text names, by id or by bidder name."""
        tokens = set(_ID_TOKEN.findall(text.casefold()))
        found = {self.ids[token] for token in self.ids.keys() & tokens}
        found |= self.names.named_in(text)
        found.discard(own)
        return sorted(found)


def tone(context: AuditContext) -> Iterator[AuditFinding]:
    scale = context.scale
    lowest, highest = scale[0], scale[-1]
    span = highest - lowest
    high_from = lowest + Decimal(HIGH_SHARE.numerator) / HIGH_SHARE.denominator * span
    low_to = lowest + Decimal(LOW_SHARE.numerator) / LOW_SHARE.denominator * span
    names = _OtherBids(context.dossier)
    for score in context.all_scores():
        text = own_words(score.motivation)
        folded = text.casefold()
        negative, praise = _cues(folded)
        high, low = score.score >= high_from, score.score <= low_to
        if (high and negative >= MIN_CUES and negative > praise) or (
            low and praise >= MIN_CUES and praise > negative
        ):
            kind = "a high" if high else "a low"
            words = "negative" if high else "praising"
            yield AuditFinding(
                check="tone",
                rule="tone.contradicts",
                severity="warning",
                message=f"{where(score)}: {kind} score ({score.score}) by {context.who(score)} with "
                f"{words} wording "
                f"({negative} negative, {praise} praising cues)",
                items=(context.concern(score),),
                figures={"score": score.score, "negative": negative, "praise": praise},
                evidence=score.motivation.strip(),
            )
        phrases = _comparisons(folded)
        others = names.named(text, score.bid)
        if phrases or others:
            said = [f"“{phrase}”" for phrase in dict.fromkeys(phrases)]
            said += [f"names {bid}" for bid in others]
            yield AuditFinding(
                check="tone",
                rule="tone.comparative",
                severity="warning",
                message=f"{where(score)}: the motivation by {context.who(score)} compares the bid with "
                f"others "
                f"({', '.join(said)}); scores follow the guidance, not other bids",
                items=(context.concern(score),),
                figures={"phrases": "; ".join(phrases), "bids": ", ".join(others)},
                evidence=score.motivation.strip(),
            )
