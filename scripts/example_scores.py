"""The example dossier's record of decisions: ``scores/ledger.jsonl`` and ``scores/ledger.head``.

:func:`write_record` is called by ``generate_example.py`` once ``submissions/`` is written. It
loads the dossier (so ``DIR/criteria/`` must be there), deletes only ``scores/ledger.jsonl``,
``ledger.head``, ``ledger.torn`` and the lock file, and writes the whole evaluation through
:class:`tender.record.recorder.Recorder`, so that every rule of the procedure is enforced just as it is
for the committee:

0. the chair opens the bids (10 November 2017, 14:00, two hours after the deadline), which
   freezes the criteria, the bids and what every PDF reads as;
1. a verdict on the person-verified requirement ``referenties`` for each of the 128 bids, by a
   contract manager without a conflict (13 and 14 November 2017);
2. every evaluator's individual score, with a motivation, on every item of every scored bid
   (14 to 23 November), and five of them changed once with a reason (24 November);
3. the chair opens the consensus phase (27 November), records the planned consensus score
   with its motivation on every item (27 to 30 November), and locks the scores.

The record is the same, byte for byte, on every run: all choices come from seeded
``random.Random`` instances, the ledger's clock is scripted (whole seconds in working hours,
Europe/Amsterdam, strictly increasing) and every entry carries the account
``example-generator``. Motivations quote the sentences of the bid's own plan section (never
beyond its page limit) and are written against the scale's guidance, never against other bids,
except where a mistake is planted on purpose.

Individual scores follow the planned consensus score with patterns for the audit to find:

==========  ========================================================================
evaluator   pattern
==========  ========================================================================
svermeulen  lenient: one step (2 points) above the planned score half of the time
mhoekstra   severe: one step below half of the time
tkramer     straight-liner: one score on all five sub-criteria for 40 % of his bids
others      ordinary noise: one step either way about one time in eight
==========  ========================================================================

Planted on purpose (the tables below, which the tests compare with what they find):

- :data:`WIDE_DISAGREEMENTS`: six items with a spread of three steps (6 points) or more; no
  other item spreads more than two steps.
- :data:`COMPARATIVE`: one motivation that compares the bid with the other bidders.
- :data:`CONTRADICTING`: one motivation in negative words for a 10.
- :data:`OUTSIDE_RANGE`: two items whose consensus score lies outside every individual score;
  on bid-019 the consensus lifts the bid to exactly 8.0 (with the individual 4 it would
  reach 7.6), on bid-106 it lowers a bid that stays below the threshold anyway.
- :data:`CHANGES`: five individual scores changed once, with a reason.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Final, Literal
from zoneinfo import ZoneInfo

import example_text as text

from tender.bids.documents import read_documents, reading_digests
from tender.bids.suitability import bids_not_scored
from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.domain.keys import Keyring, MemberKey
from tender.domain.models import WeightedMeanRule
from tender.io.keyfiles import write_key
from tender.io.loader import load_dossier
from tender.record.book import ScoreBook
from tender.record.ledger import HEAD_NAME, LEDGER_NAME, LOCK_NAME, TORN_NAME
from tender.record.recorder import Recorder

ACCOUNT: Final = "example-generator"
KEYS_FOLDER: Final = "example-keys"
"""Beside the dossier's rooms: the example members' private keys, marked as not secret."""
SEED: Final = "VS-2017-WMO-014:scores"
ZONE: Final = ZoneInfo("Europe/Amsterdam")
REQUIREMENT: Final = "referenties"
CONTRACT_MANAGERS: Final = ("tkramer", "svermeulen")
STEP: Final = 2
"""Points between two neighbouring points of the scale (0-2-4-6-8-10)."""

Block = tuple[str, str]
"""One piece of a plan section as the generator composed it: (kind, text), where kind is
"subheading", "paragraph" or "page-break"."""
Item = tuple[str, str]
"""(bid id, sub-criterion id)."""
Key = tuple[str, str, str]
"""(evaluator, bid id, sub-criterion id): one individual score."""


# --- what is planted -------------------------------------------------------------------------

WIDE_DISAGREEMENTS: Final[dict[Item, dict[str, int]]] = {
    # item: the two evaluators whose scores lie three steps apart, and their scores
    ("bid-003", "innovatie"): {"mhoekstra": 4, "svermeulen": 10},
    ("bid-021", "samenwerking"): {"rdemir": 4, "jvanrijn": 10},
    ("bid-045", "uitvoering"): {"tkramer": 4, "svermeulen": 10},
    ("bid-079", "uitvoering"): {"jvanrijn": 8, "mhoekstra": 2},
    ("bid-094", "samenwerking"): {"ibosman": 4, "svermeulen": 10},
    ("bid-110", "visie"): {"rdemir": 2, "jvanrijn": 8},
}
COMPARATIVE: Final = ("svermeulen", "bid-085", "samenwerking")
COMPARATIVE_WORDS: Final = "Duidelijk beter dan de andere inschrijvers."
CONTRADICTING: Final = ("rdemir", "bid-116", "uitvoering")
CONTRADICTING_SCORE: Final = 10
CONTRADICTING_TEXT: Final = (
    "Zwak en oppervlakkig uitgewerkt. De aanpak blijft vaag, concrete afspraken over de start "
    "van de ondersteuning ontbreken en de onderbouwing is onvoldoende."
)
OUTSIDE_RANGE: Final[dict[Item, int]] = {
    # item: the score every evaluator gives; the consensus score (the planned one) differs
    ("bid-019", "samenwerking"): 4,
    ("bid-106", "innovatie"): 6,
}
OUTSIDE_RANGE_NOTES: Final[dict[Item, str]] = {
    ("bid-019", "samenwerking"): (
        "In het overleg heeft de commissie het hoofdstuk opnieuw gelezen en vastgesteld dat het "
        "plan het criterium wel beantwoordt; de lagere individuele scores zijn daarom niet "
        "gevolgd."
    ),
    ("bid-106", "innovatie"): (
        "In het overleg heeft de commissie vastgesteld dat de vernieuwing die de beoordelaars "
        "individueel als voldoende zagen, in het plan niet is uitgewerkt; de hogere individuele "
        "scores zijn daarom niet gevolgd."
    ),
}
WIDE_NOTE: Final = (
    "De commissie heeft de uiteenlopende individuele scores in het overleg besproken en is op "
    "grond van de tekst van het plan tot deze score gekomen."
)


@dataclass(frozen=True)
class Change:
    """An individual score first recorded as ``first``, later changed to ``final`` with a reason."""

    evaluator: str
    bid: str
    sub_criterion: str
    first: int
    final: int
    reason: str
    same_motivation: bool = False
    """A typing error: the first score went in with the motivation written for the final one."""

    @property
    def item(self) -> Item:
        return (self.bid, self.sub_criterion)


CHANGES: Final = (
    Change(
        "jvanrijn",
        "bid-012",
        "client-centraal",
        8,
        10,
        "Bij herlezing de resultaten meegewogen die het plan noemt; die had ik bij de eerste "
        "lezing gemist.",
    ),
    Change(
        "ibosman",
        "bid-041",
        "samenwerking",
        6,
        4,
        "Bij herlezing gezien dat het plan geen concrete afspraken met het wijkteam noemt; score "
        "een stap verlaagd.",
    ),
    Change(
        "mhoekstra",
        "bid-088",
        "uitvoering",
        6,
        8,
        "De tweede pagina van het hoofdstuk had ik overgeslagen; met de werkwijze daar een stap "
        "hoger.",
    ),
    Change(
        "svermeulen",
        "bid-090",
        "innovatie",
        10,
        8,
        "Tikfout hersteld: bedoeld was een 8, zoals de motivering ook zegt.",
        same_motivation=True,
    ),
    Change(
        "rdemir",
        "bid-033",
        "visie",
        4,
        6,
        "Bij herlezing: het plan beantwoordt het criterium wel, al blijft het algemeen; verhoogd "
        "naar voldoende.",
    ),
)

STRAIGHT_LINER: Final = "tkramer"
STRAIGHT_SHARE: Final = Fraction(2, 5)
# Chance of being one step below, on, or one step above the planned score.
NOISE: Final[dict[str, tuple[float, float, float]]] = {
    "svermeulen": (0.06, 0.44, 0.50),
    "mhoekstra": (0.50, 0.44, 0.06),
}
ORDINARY_NOISE: Final = (0.13, 0.74, 0.13)


# --- the words -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """How motivations speak of one sub-criterion."""

    subject: str
    """What the plan describes: "het plan beschrijft ..." """
    goal: str
    """What a good plan shows: "hoe en met wie de inschrijver ..." """
    missing: str
    """What a weak plan leaves open: "het plan maakt niet duidelijk ..." """


TOPICS: Final = {
    "client-centraal": Topic(
        "hoe de cliënt en zijn netwerk centraal staan",
        "de cliënt en zijn netwerk centraal zet",
        "hoe het netwerk van de cliënt wordt betrokken en door wie",
    ),
    "samenwerking": Topic(
        "de samenwerking met het wijkteam en de partners in de wijk",
        "samenwerkt met het wijkteam en de partners in de wijk",
        "welke afspraken met welke partners zijn gemaakt",
    ),
    "visie": Topic(
        "de bijdrage aan de transformatie",
        "bijdraagt aan de beweging naar lichtere ondersteuning",
        "hoe de inschrijver bijdraagt aan de beweging naar lichtere ondersteuning",
    ),
    "uitvoering": Topic(
        "de uitvoering van de ondersteuning",
        "de ondersteuning effectief uitvoert",
        "hoe de ondersteuning start, wordt vastgelegd en wordt geëvalueerd",
    ),
    "innovatie": Topic(
        "vernieuwing in de ondersteuning",
        "met nieuwe oplossingen tot concrete resultaten komt",
        "welke vernieuwing de inschrijver inzet en wat die oplevert",
    ),
}
OPENINGS: Final[dict[int, tuple[str, ...]]] = {
    8: (
        "Goed: het plan is concreet en overtuigend over {subject}.",
        "Goed uitgewerkt: het plan laat met voorbeelden zien hoe en met wie de inschrijver {goal}.",
        "Concreet en passend bij de visie van de gemeente.",
    ),
    6: (
        "Voldoende: het plan beantwoordt het criterium, maar blijft algemeen.",
        "Voldoende. Het plan gaat in op {subject}, maar blijft bij goede bedoelingen.",
        "Het plan beantwoordt het criterium; de uitwerking blijft algemeen.",
    ),
    4: (
        "Onvoldoende: het plan beschrijft {subject}, maar de aanpak is onvolledig en onvoldoende "
        "onderbouwd.",
        "Onvoldoende uitgewerkt; belangrijke onderdelen ontbreken.",
    ),
    2: (
        "Slecht: het plan raakt {subject} nauwelijks.",
        "Het plan raakt het criterium nauwelijks; de aanpak is niet uitgewerkt.",
    ),
    0: ("Ontbreekt: het plan gaat niet in op {subject}.",),
}
TEN_WITH_RESULTS: Final = (
    "Uitstekend: het plan is concreet en overtuigend en onderbouwt {subject} met resultaten die "
    "al elders zijn bereikt.",
    "Uitstekend. Concreet, overtuigend en met aantoonbare resultaten voor de cliënt.",
)
TEN_WITHOUT_RESULTS: Final = (
    "Uitstekend: het plan is concreet en overtuigend over {subject} en voegt op meerdere punten "
    "iets toe voor de cliënt.",
)
PERSPECTIVES: Final[dict[str, tuple[tuple[int, int, str], ...]]] = {
    # evaluator: (lowest score, highest score, a sentence from their own angle)
    "ibosman": ((8, 10, "Dit past bij de visie van de gemeente op thuisondersteuning."),),
    "rdemir": ((0, 6, "Voor het beleid van de gemeente is dit te weinig richtinggevend."),),
    "jvanrijn": ((8, 10, "Herkenbaar vanuit de praktijk in de wijk."),),
    "mhoekstra": (
        (0, 6, "Voor de wijkteams blijft zo onduidelijk wat cliënten kunnen verwachten."),
        (8, 10, "Dit is in de wijk goed uitvoerbaar."),
    ),
    "svermeulen": ((8, 10, "De afspraken zijn goed te volgen in het contractmanagement."),),
}
TERSE: Final = frozenset({"tkramer"})
OVER_LIMIT_NOTE: Final = (
    "Het hoofdstuk telt meer pagina's dan toegestaan; de pagina's na de tweede zijn niet "
    "beoordeeld."
)


# --- reading a plan section as the evaluators do ---------------------------------------------


@dataclass(frozen=True)
class Content:
    """What one section of a plan offers within its page limit: the sentences worth quoting.

    A paragraph is quoted by its opening (extended by the next sentence when short), an
    example from practice by its outcome, and a paragraph of results by its figures; thin
    and off-topic text sentence by sentence.
    """

    approach: tuple[str, ...]
    cases: tuple[str, ...]
    results: tuple[str, ...]
    general: tuple[str, ...]
    vague: tuple[str, ...]
    off_topic: tuple[str, ...]
    not_addressed: tuple[str, ...]
    over_limit: bool


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'])")
# Sentences a motivation does not quote: they could read as a comparison with other bids.
_NOT_QUOTED = re.compile(
    r"\bandere (zorg)?(aanbieders?|inschrijvers?)\b|\bbeter\b|\bslechter\b|\bdan de\b",
    re.IGNORECASE,
)
_FIGURES = re.compile(r"%|\bprocent\b|\been \d+,\d\b")
SHORT: Final = 70


def sentences(paragraph: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(paragraph) if part.strip()]


def _opening(paragraph: Sequence[str]) -> str | None:
    """The first sentence that may be quoted, with the next one when it is short on its own."""
    usable = [index for index, s in enumerate(paragraph) if not _NOT_QUOTED.search(s)]
    if not usable:
        return None
    first = usable[0]
    if len(paragraph[first]) < SHORT and first + 1 in usable:
        return f"{paragraph[first]} {paragraph[first + 1]}"
    return paragraph[first]


def _outcome(paragraph: Sequence[str]) -> str | None:
    usable = [s for s in paragraph if not _NOT_QUOTED.search(s)]
    return usable[-1] if usable else None


def _figures(paragraph: Sequence[str]) -> str | None:
    usable = [s for s in paragraph if not _NOT_QUOTED.search(s)]
    with_figures = [s for s in usable if _FIGURES.search(s)]
    chosen = with_figures or usable
    return chosen[0] if chosen else None


def read_section(
    blocks: Sequence[Block], planned: int, max_pages: int | None, vague: Sequence[str]
) -> Content:
    """Sort what a section says by what it offers, ignoring the pages beyond its limit."""
    found: dict[str, list[str]] = {
        key: [] for key in ("approach", "cases", "results", "general", "vague", "off", "not")
    }
    page, heading, over_limit = 1, "", False
    for kind, body in blocks:
        if kind == "page-break":
            page, heading = page + 1, ""
        elif max_pages is not None and page > max_pages:
            over_limit = True
        elif kind == "subheading":
            heading = body
        else:
            _sort(found, heading, sentences(body), planned, vague)
    picked = {key: tuple(s for s in values if s) for key, values in found.items()}
    return Content(
        approach=picked["approach"],
        cases=picked["cases"],
        results=picked["results"],
        general=picked["general"],
        vague=picked["vague"],
        off_topic=picked["off"],
        not_addressed=picked["not"],
        over_limit=over_limit,
    )


def _sort(
    found: dict[str, list[str]],
    heading: str,
    paragraph: Sequence[str],
    planned: int,
    vague: Sequence[str],
) -> None:
    """File one paragraph's quotable sentences under what they offer."""
    if heading == text.CASE_HEADING:
        found["cases"].append(_outcome(paragraph) or "")
    elif heading in text.RESULTS_HEADINGS:
        found["results"].append(_figures(paragraph) or "")
    elif planned >= 8:  # approach, elaboration, or the first page of a section over its limit
        found["approach"].append(_opening(paragraph) or "")
    else:
        general = []
        for sentence in paragraph:
            if sentence in text.OFF_TOPIC:
                found["off"].append(sentence)
            elif sentence in text.NOT_ADDRESSED:
                found["not"].append(sentence)
            elif sentence in vague:
                found["vague"].append(sentence)
            else:
                general.append(sentence)
        if general:
            found["general"].append(_opening(general) or "")


def quote(rng: random.Random, candidates: Sequence[str], limit: int = 180) -> str:
    """One passage of the plan in Dutch quotation marks, shortened with "…" when long."""
    chosen = rng.choice(candidates).rstrip(".")
    if len(chosen) > limit:
        chosen = chosen[: chosen.rfind(" ", 0, limit)].rstrip(",;:") + " …"
    return f"“{chosen}”"


# --- motivations -----------------------------------------------------------------------------


def individual_motivation(
    evaluator: str, score: int, sub_criterion: str, content: Content, rng: random.Random
) -> str:
    """What an evaluator writes for ``score``: the guidance's verdict, a quote, what is missing."""
    topic = TOPICS[sub_criterion]
    openings: Sequence[str] = OPENINGS.get(score, ())
    if score == 10:
        openings = TEN_WITH_RESULTS if content.results else TEN_WITHOUT_RESULTS
    parts = [rng.choice(openings).format(subject=topic.subject, goal=topic.goal)]
    parts += _evidence(score, content, rng)
    if evaluator not in TERSE or rng.random() < 0.25:
        parts += _shortfall(score, content, topic)
    for low, high, sentence in PERSPECTIVES.get(evaluator, ()):
        if low <= score <= high and rng.random() < 0.3:
            parts.append(sentence)
    if content.over_limit and rng.random() < 0.5:
        parts.append(OVER_LIMIT_NOTE)
    return " ".join(parts)


def _evidence(score: int, content: Content, rng: random.Random) -> list[str]:
    parts = []
    if content.approach:
        leads = (
            ("Het plan is concreet, bijvoorbeeld: {q}.", "Zo schrijft het plan: {q}.")
            if score >= 8
            else ("Het plan noemt {q}.", "Het plan schrijft wel: {q}.")
        )
        parts.append(rng.choice(leads).format(q=quote(rng, content.approach)))
        if score >= 8 and content.cases and rng.random() < 0.5:
            parts.append(
                f"Het praktijkvoorbeeld maakt de aanpak tastbaar: {quote(rng, content.cases)}."
            )
        if score == 10 and content.results:
            parts.append(f"Resultaten elders: {quote(rng, content.results)}.")
    elif content.general:
        if score >= 6:
            parts.append(f"Het plan stelt: {quote(rng, content.general)}.")
        else:
            parts.append(
                f"Het plan blijft bij algemene uitspraken als {quote(rng, content.general)}."
            )
        if content.vague and score <= 4:
            parts.append(f"Verder niet meer dan {quote(rng, content.vague)}.")
    elif content.vague:
        parts.append(f"Het plan zegt niet meer dan {quote(rng, content.vague)}.")
    if score <= 4 and content.off_topic and not content.not_addressed:
        parts.append(
            f"Een deel van de tekst gaat niet over het criterium: {quote(rng, content.off_topic)}."
        )
    if content.not_addressed:
        parts.append(f"Het hoofdstuk zegt alleen: {quote(rng, content.not_addressed)}.")
    return parts


def _shortfall(score: int, content: Content, topic: Topic) -> list[str]:
    """Why the score is not higher, in the words of the scale's guidance."""
    if score == 10:
        return []
    if score == 8:
        if content.results:
            return [
                "De resultaten die het plan noemt, betreffen één onderdeel; dat het plan op "
                "meerdere punten aantoonbaar iets toevoegt, zie ik niet."
            ]
        return [
            "Voor een 10 had het plan moeten laten zien welke resultaten deze aanpak al elders "
            "heeft bereikt."
        ]
    if score == 6:
        if content.approach:
            return [
                f"Op onderdelen blijft het plan algemeen: het maakt niet overal duidelijk {topic.missing}."
            ]
        return [
            f"Concrete voorbeelden van hoe en met wie ontbreken; het plan maakt niet duidelijk {topic.missing}."
        ]
    if score == 4:
        if content.approach:
            return [
                f"Het plan noemt wel voorbeelden, maar maakt niet duidelijk {topic.missing}; "
                "daarmee ontbreken belangrijke onderdelen."
            ]
        if content.general and not content.vague:
            return [
                f"Het blijft bij goede bedoelingen; het plan maakt niet duidelijk {topic.missing}."
            ]
        return [f"Belangrijke onderdelen ontbreken: het plan maakt niet duidelijk {topic.missing}."]
    if score == 2:
        return [f"Het plan maakt niet duidelijk {topic.missing}."]
    return ["Het hoofdstuk bevat geen uitwerking van het criterium."]


def consensus_motivation(
    score: int, label: str, sub_criterion: str, content: Content, rng: random.Random
) -> str:
    """The chair's motivation: what earned the score and why it is not the maximum."""
    topic = TOPICS[sub_criterion]
    parts = [f"Score {score} ({label.lower()})."]
    if score >= 8:
        parts.append(
            f"Het plan is concreet en overtuigend: het laat met voorbeelden zien hoe en met wie "
            f"de inschrijver {topic.goal}, zoals {quote(rng, content.approach)}."
        )
        if content.cases:
            parts.append(f"Het praktijkvoorbeeld maakt dit tastbaar: {quote(rng, content.cases)}.")
    if score == 10:
        parts.append(
            "Het plan voegt op meerdere punten aantoonbaar iets toe voor de cliënt en de "
            f"transformatie, met resultaten die al elders zijn bereikt: {quote(rng, content.results)}."
        )
        parts.append("Daarmee is het maximum gegeven.")
    elif score == 8:
        parts.append(
            "Het maximum is niet gegeven: het plan laat niet zien dat deze aanpak al elders "
            "resultaten heeft opgeleverd, en voegt daarmee niet op meerdere punten aantoonbaar "
            "iets toe voor de cliënt en de transformatie."
        )
    elif score == 6:
        parts.append(
            f"Het plan beantwoordt het criterium: {quote(rng, content.general)}. Het blijft "
            "echter algemeen: goede bedoelingen zonder concrete voorbeelden van hoe en met wie."
        )
        parts.append(
            "Het maximum is niet gegeven: voor een 8 had het plan met voorbeelden moeten laten "
            f"zien {topic.missing}, en voor een 10 daarnaast resultaten die al elders zijn bereikt."
        )
    elif score == 4:
        parts.append(
            f"Het plan beschrijft het criterium ({quote(rng, content.general or content.vague)}), maar de aanpak "
            f"is onvolledig en onvoldoende onderbouwd; het blijft bij uitspraken als "
            f"{quote(rng, content.vague)}."
        )
        if content.off_topic:
            parts.append(
                f"Een deel van de tekst gaat niet over het criterium: {quote(rng, content.off_topic)}."
            )
        parts.append(
            "Het maximum is niet gegeven: belangrijke onderdelen ontbreken, want het plan maakt "
            f"niet duidelijk {topic.missing}."
        )
    elif score == 2:
        parts.append(
            f"Het plan raakt het criterium nauwelijks: {quote(rng, content.vague)}. De rest van "
            f"de tekst gaat over de organisatie zelf ({quote(rng, content.off_topic)}), niet over "
            f"{topic.subject}."
        )
        parts.append(
            "Het maximum is niet gegeven: de aanpak is niet uitgewerkt en het plan maakt niet "
            f"duidelijk {topic.missing}."
        )
    else:
        parts.append(
            "Het plan gaat niet in op het subgunningscriterium: het hoofdstuk zegt alleen "
            f"{quote(rng, content.not_addressed)}."
        )
        parts.append(
            f"Het maximum is niet gegeven: het hoofdstuk bevat geen uitwerking van {topic.subject}."
        )
    if content.over_limit:
        parts.append(OVER_LIMIT_NOTE)
    return " ".join(parts)


def verdict_reason(references: Sequence[tuple[str, str, int]]) -> str:
    """The contract manager's reason for passing ``referenties``: the two references checked."""
    checked = references[:2]
    named = ", en ".join(
        f"in {year} {service[0].lower()}{service[1:]} voor {client}"
        for client, service, year in checked
    )
    reason = (
        f"Twee referenties gecontroleerd: {named}. Beide uit de afgelopen drie jaar en volgens de "
        "omschrijving van de geleverde diensten passend bij thuisondersteuning."
    )
    if any(service.startswith("Dagbesteding") for _, service, _ in checked):
        reason += " De dagbesteding is meegeteld als Wmo-ondersteuning van thuiswonende ouderen."
    return reason


# --- the scores ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Every score and text of the record, before anything is written."""

    scored: tuple[str, ...]
    first: dict[Key, tuple[int, str]]
    """The score and motivation first recorded."""
    changed: dict[Key, tuple[int, str, str]]
    """The changed score, motivation and reason."""
    consensus: dict[Item, tuple[int, str]]
    straight: frozenset[str]
    """The bids on which the straight-liner gives one score on all five sub-criteria."""

    def final(self, key: Key) -> int:
        changed = self.changed.get(key)
        return changed[0] if changed else self.first[key][0]


def _step(rng: random.Random, chances: tuple[float, float, float]) -> int:
    return rng.choices((-1, 0, 1), weights=chances)[0]


def _on_scale(planned: int, step: int) -> int:
    score = planned + STEP * step
    return score if 0 <= score <= 10 else planned


def _straight_score(planned: Mapping[str, int], weights: Mapping[str, Fraction]) -> int | None:
    """The one score for all sub-criteria that stays within a step of each planned score."""
    low, high = max(planned.values()) - STEP, min(planned.values()) + STEP
    allowed = [point for point in range(0, 11, STEP) if low <= point <= high]
    if not allowed:
        return None
    mean = sum(weights[sub] * score for sub, score in planned.items()) / sum(weights.values())
    return min(allowed, key=lambda point: (abs(point - mean), point))


def plan_record(
    dossier: Dossier,
    planned: Mapping[str, Mapping[str, int]],
    contents: Mapping[Item, Content],
    scored: Sequence[str],
) -> Plan:
    """Derive every individual score from the planned consensus, then plant the patterns."""
    evaluators = [person.id for person in dossier.committee.evaluators]
    subs = [sub.id for sub in dossier.award.sub_criteria]
    straight = _straight_bids(dossier, planned, scored)
    scores = _individual_scores(dossier, planned, scored, straight)
    first: dict[Key, tuple[int, str]] = {}
    for key, score in scores.items():
        evaluator, bid, sub = key
        rng = random.Random(f"{SEED}:motivation:{evaluator}:{bid}:{sub}")
        motivation = individual_motivation(evaluator, score, sub, contents[(bid, sub)], rng)
        first[key] = (score, motivation)
    first[COMPARATIVE] = (10, f"{COMPARATIVE_WORDS} {first[COMPARATIVE][1]}")
    first[CONTRADICTING] = (CONTRADICTING_SCORE, CONTRADICTING_TEXT)
    changed = _changes(first, contents)
    labels = {int(point.value): point.label for point in dossier.award.scale}
    consensus = {
        (bid, sub): (planned[bid][sub], _consensus_text(bid, sub, planned, labels, contents))
        for bid in scored
        for sub in subs
    }
    plan = Plan(tuple(scored), first, changed, consensus, straight)
    _check_plan(dossier, plan, evaluators, subs)
    return plan


def _straight_bids(
    dossier: Dossier, planned: Mapping[str, Mapping[str, int]], scored: Sequence[str]
) -> frozenset[str]:
    """The bids the straight-liner gives one score throughout: a share of his own, at random."""
    committee = dossier.committee
    weights = {sub.id: Fraction(sub.weight) for sub in dossier.award.sub_criteria}
    planted_bids = {bid for bid, _ in (*WIDE_DISAGREEMENTS, *OUTSIDE_RANGE)} | {
        COMPARATIVE[1],
        CONTRADICTING[1],
        *(change.bid for change in CHANGES),
    }
    candidates = [
        bid
        for bid in scored
        if bid not in planted_bids
        and not committee.is_conflicted(STRAIGHT_LINER, bid)
        and _straight_score(planned[bid], weights) is not None
    ]
    own_bids = sum(not committee.is_conflicted(STRAIGHT_LINER, bid) for bid in scored)
    share = round(STRAIGHT_SHARE * own_bids)
    return frozenset(random.Random(f"{SEED}:straight").sample(candidates, share))


def _individual_scores(
    dossier: Dossier,
    planned: Mapping[str, Mapping[str, int]],
    scored: Sequence[str],
    straight: frozenset[str],
) -> dict[Key, int]:
    """Every final individual score: the planned one with each evaluator's noise, then plants."""
    committee = dossier.committee
    evaluators = [person.id for person in committee.evaluators]
    weights = {sub.id: Fraction(sub.weight) for sub in dossier.award.sub_criteria}
    scores: dict[Key, int] = {}
    for evaluator in evaluators:
        rng = random.Random(f"{SEED}:noise:{evaluator}")
        chances = NOISE.get(evaluator, ORDINARY_NOISE)
        for bid in scored:
            if committee.is_conflicted(evaluator, bid):
                continue
            line = _straight_score(planned[bid], weights) if bid in straight else None
            for sub in dossier.award.sub_criteria:
                step = _step(rng, chances)  # drawn always, so a plant does not shift the rest
                if evaluator == STRAIGHT_LINER and line is not None:
                    scores[(evaluator, bid, sub.id)] = line
                else:
                    scores[(evaluator, bid, sub.id)] = _on_scale(planned[bid][sub.id], step)
    for (bid, sub_id), given in WIDE_DISAGREEMENTS.items():
        for evaluator, score in given.items():
            scores[(evaluator, bid, sub_id)] = score
    for (bid, sub_id), score in OUTSIDE_RANGE.items():
        for evaluator in evaluators:
            if (evaluator, bid, sub_id) in scores:
                scores[(evaluator, bid, sub_id)] = score
    scores[COMPARATIVE] = 10
    scores[CONTRADICTING] = CONTRADICTING_SCORE
    for change in CHANGES:
        scores[(change.evaluator, change.bid, change.sub_criterion)] = change.final
    return scores


def _changes(
    first: dict[Key, tuple[int, str]], contents: Mapping[Item, Content]
) -> dict[Key, tuple[int, str, str]]:
    """Turn the planted changes' scores into a first score and a change (``first`` is updated)."""
    changed: dict[Key, tuple[int, str, str]] = {}
    for change in CHANGES:
        key = (change.evaluator, change.bid, change.sub_criterion)
        final_motivation = first[key][1]
        if change.same_motivation:
            first[key] = (change.first, final_motivation)
        else:
            rng = random.Random(f"{SEED}:first:{change.evaluator}:{change.bid}")
            motivation = individual_motivation(
                change.evaluator, change.first, change.sub_criterion, contents[change.item], rng
            )
            first[key] = (change.first, motivation)
        changed[key] = (change.final, final_motivation, change.reason)
    return changed


def _consensus_text(
    bid: str,
    sub: str,
    planned: Mapping[str, Mapping[str, int]],
    labels: Mapping[int, str],
    contents: Mapping[Item, Content],
) -> str:
    score = planned[bid][sub]
    rng = random.Random(f"{SEED}:consensus:{bid}:{sub}")
    motivation = consensus_motivation(score, labels[score], sub, contents[(bid, sub)], rng)
    if (bid, sub) in WIDE_DISAGREEMENTS:
        motivation += f" {WIDE_NOTE}"
    if (bid, sub) in OUTSIDE_RANGE_NOTES:
        motivation += f" {OUTSIDE_RANGE_NOTES[(bid, sub)]}"
    return motivation


def _check_plan(
    dossier: Dossier, plan: Plan, evaluators: Sequence[str], subs: Sequence[str]
) -> None:
    """Fail loudly when the record would not hold the patterns the docstring promises."""
    wide, outside = set(), set()
    for bid in plan.scored:
        for sub in subs:
            given = [
                plan.final((evaluator, bid, sub))
                for evaluator in evaluators
                if (evaluator, bid, sub) in plan.first
            ]
            if max(given) - min(given) >= 3 * STEP:
                wide.add((bid, sub))
            if not min(given) <= plan.consensus[(bid, sub)][0] <= max(given):
                outside.add((bid, sub))
    if wide != set(WIDE_DISAGREEMENTS):
        raise AssertionError(f"wide disagreements {sorted(wide)} are not the planted ones")
    if outside != set(OUTSIDE_RANGE):
        raise AssertionError(f"consensus outside the range on {sorted(outside)}, not as planted")
    rule = next(r for r in dossier.award.threshold if isinstance(r, WeightedMeanRule))
    weights = {sub.id: Fraction(sub.weight) for sub in dossier.award.sub_criteria}
    reached = [
        bid
        for bid in plan.scored
        if sum(weights[sub] * plan.consensus[(bid, sub)][0] for sub in subs) / sum(weights.values())
        >= Fraction(rule.min)
    ]
    if len(reached) != 29:
        raise AssertionError(f"{len(reached)} bids reach the threshold, not 29")


# --- time ------------------------------------------------------------------------------------


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


class WorkTime:
    """Working time as one line of seconds: second ``n`` of the line is a moment in a slot."""

    def __init__(self, slots: Sequence[tuple[datetime, datetime]]) -> None:
        self.slots = tuple(slots)
        self.seconds = sum(int((end - start).total_seconds()) for start, end in self.slots)

    def at(self, offset: float) -> datetime:
        left = round(offset)
        for start, end in self.slots:
            length = int((end - start).total_seconds())
            if left < length:
                return start + timedelta(seconds=left)
            left -= length
        raise ValueError(f"{offset} s is beyond the working time")

    def spread(self, weights: Sequence[float], fill: float = 0.94) -> list[datetime]:
        """A moment at the end of each task, tasks taking time in proportion to ``weights``."""
        scale = fill * (self.seconds - 1) / sum(weights)
        moments, done = [], 0.0
        for weight in weights:
            done += weight * scale
            moments.append(self.at(done))
        return moments


def _days(
    first: int, last: int, start: tuple[int, int] = (9, 0), end: tuple[int, int] = (17, 0)
) -> list[tuple[datetime, datetime]]:
    """Working days of November 2017 from ``first`` to ``last`` (weekends skipped)."""
    days = [date(2017, 11, d) for d in range(first, last + 1) if date(2017, 11, d).weekday() < 5]
    return [(_local(day, *start), _local(day, *end)) for day in days]


VERDICT_TIME: Final = WorkTime(
    [*_days(13, 13), (_local(date(2017, 11, 14), 9), _local(date(2017, 11, 14), 12))]
)
SCORING_TIME: Final = WorkTime(
    [(_local(date(2017, 11, 14), 13), _local(date(2017, 11, 14), 17)), *_days(15, 23)]
)
CHANGE_TIME: Final = WorkTime([(_local(date(2017, 11, 24), 9), _local(date(2017, 11, 24), 12))])
OPENED_AT: Final = _local(date(2017, 11, 10), 14)
CONSENSUS_OPENS: Final = _local(date(2017, 11, 27), 9)
CONSENSUS_TIME: Final = WorkTime(
    [
        (_local(date(2017, 11, 27), 9, 15), _local(date(2017, 11, 27), 17)),
        *_days(28, 29),
        (_local(date(2017, 11, 30), 9), _local(date(2017, 11, 30), 15, 30)),
    ]
)
LOCKED_AT: Final = _local(date(2017, 11, 30), 16)


# --- writing ---------------------------------------------------------------------------------

StepKind = Literal["opening", "verdict", "score", "phase", "consensus"]


@dataclass(frozen=True)
class Step:
    """One entry to record: who, when, and what."""

    at: datetime
    kind: StepKind
    by: str
    bid: str = ""
    target: str = ""
    """The sub-criterion, the requirement, or the phase."""
    score: int = 0
    text: str = ""
    reason: str | None = None


class ScriptedClock:
    """The ledger's clock: it answers with the moment set for the step being written.

    A step that writes several entries (the chair's reveal of the sealed scores, then the
    move to consensus) gets a second more for each entry after its first.
    """

    def __init__(self) -> None:
        self._next: datetime | None = None
        self.last: datetime | None = None

    def set(self, moment: datetime) -> None:
        if self.last is not None and moment <= self.last:
            raise AssertionError(f"{moment} does not follow {self.last}")
        self._next = moment

    def __call__(self) -> datetime:
        if self._next is None:
            if self.last is None:
                raise AssertionError("the ledger asked for the time before a step was set")
            self.last += timedelta(seconds=1)
            return self.last
        moment, self._next = self._next, None
        self.last = moment
        return moment


def _strictly_increasing(steps: list[Step]) -> list[Step]:
    """Steps in time order; one that would share a second with the one before moves a second on."""
    ordered: list[Step] = []
    for step in sorted(steps, key=lambda s: s.at):
        if ordered and step.at <= ordered[-1].at:
            ordered.append(replace(step, at=ordered[-1].at + timedelta(seconds=1)))
        else:
            ordered.append(step)
    return ordered


def schedule(dossier: Dossier, plan: Plan) -> list[Step]:
    """Every entry of the record with its moment, in the order it is written."""
    committee = dossier.committee
    evaluators = [person.id for person in committee.evaluators]
    subs = [sub.id for sub in dossier.award.sub_criteria]
    bids = [bid.id for bid in dossier.submissions]
    steps: list[Step] = [Step(OPENED_AT, "opening", committee.chair)]

    # 1. Verdicts on the references: the first half of the bids by one contract manager, the
    #    second half by the other, each side by side on the same days, never a conflicted one.
    half = len(bids) // 2
    shares: dict[str, list[str]] = {manager: [] for manager in CONTRACT_MANAGERS}
    for index, bid in enumerate(bids):
        manager = CONTRACT_MANAGERS[index >= half]
        if committee.is_conflicted(manager, bid):
            manager = next(m for m in CONTRACT_MANAGERS if not committee.is_conflicted(m, bid))
        shares[manager].append(bid)
    verdicts: list[Step] = []
    for manager, own in shares.items():
        rng = random.Random(f"{SEED}:verdicts:{manager}")
        moments = VERDICT_TIME.spread([rng.uniform(0.6, 1.4) for _ in own])
        for moment, bid in zip(moments, own, strict=True):
            submission = dossier.submission(bid)
            assert submission is not None
            references = [(r.client, r.service, r.year) for r in submission.metadata.references]
            verdicts.append(
                Step(moment, "verdict", manager, bid, REQUIREMENT, text=verdict_reason(references))
            )
    steps += _strictly_increasing(verdicts)

    # 2. Individual scores: each evaluator works through the bids in their own order (the
    #    dossier order, each starting elsewhere), reading the plan, then scoring item by item.
    scoring: list[Step] = []
    for index, evaluator in enumerate(evaluators):
        rng = random.Random(f"{SEED}:pace:{evaluator}")
        start = index * len(plan.scored) // len(evaluators)
        order = [*plan.scored[start:], *plan.scored[:start]]
        items = [
            (bid, sub) for bid in order if (evaluator, bid, subs[0]) in plan.first for sub in subs
        ]
        weights = [
            rng.uniform(2.0, 4.0) if sub == subs[0] else rng.uniform(0.6, 1.4) for _, sub in items
        ]
        for moment, (bid, sub) in zip(SCORING_TIME.spread(weights), items, strict=True):
            score, motivation = plan.first[(evaluator, bid, sub)]
            scoring.append(Step(moment, "score", evaluator, bid, sub, score, motivation))
    steps += _strictly_increasing(scoring)

    # 3. The changes, the morning after the last scores.
    rng = random.Random(f"{SEED}:changes")
    moments = CHANGE_TIME.spread([rng.uniform(0.6, 1.4) for _ in CHANGES])
    for moment, change in zip(moments, CHANGES, strict=True):
        key = (change.evaluator, change.bid, change.sub_criterion)
        score, motivation, reason = plan.changed[key]
        steps.append(
            Step(
                moment,
                "score",
                change.evaluator,
                change.bid,
                change.sub_criterion,
                score,
                motivation,
                reason,
            )
        )

    # 4. Consensus: the chair opens the phase, records every item bid by bid, and locks.
    chair = committee.chair
    steps.append(Step(CONSENSUS_OPENS, "phase", chair, target="consensus"))
    rng = random.Random(f"{SEED}:consensus-pace")
    items = [(bid, sub) for bid in plan.scored for sub in subs]
    weights = [
        rng.uniform(1.5, 3.0) if (sub == subs[0]) else rng.uniform(0.5, 1.5) for _, sub in items
    ]
    for moment, (bid, sub) in zip(CONSENSUS_TIME.spread(weights), items, strict=True):
        score, motivation = plan.consensus[(bid, sub)]
        steps.append(Step(moment, "consensus", chair, bid, sub, score, motivation))
    steps.append(Step(LOCKED_AT, "phase", chair, target="locked"))
    return steps


def example_key(member: str) -> MemberKey:
    """An example member's key: from a seed anyone can compute, so it is not secret."""
    return MemberKey.from_seed(
        member, hashlib.sha256(f"tender example key:{member}".encode()).digest()
    )


def example_keyring(dossier: Dossier) -> Keyring:
    """Every member's example key, checked against the public key committee.yaml holds."""
    keys = {person.id: example_key(person.id) for person in dossier.committee.members}
    for person in dossier.committee.members:
        if person.key != keys[person.id].public:
            raise SystemExit(
                f"criteria/committee.yaml: {person.id}: expected key: {keys[person.id].public}"
            )
    return keys


def write_example_keys(out: Path, dossier: Dossier) -> Path:
    """Write every member's example key file to ``out/example-keys`` (replacing the folder)."""
    folder = out / KEYS_FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    for key in example_keyring(dossier).values():
        write_key(key, "", folder=folder)
    return folder


def reset_record(out: Path) -> Path:
    """Delete the record's own files in ``out/scores`` (and nothing else there)."""
    folder = out / SCORES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for name in (LEDGER_NAME, HEAD_NAME, TORN_NAME, LOCK_NAME):
        (folder / name).unlink(missing_ok=True)
    return folder


@dataclass(frozen=True)
class Written:
    """What :func:`write_record` wrote, and how long the recording took."""

    path: Path
    entries: int
    seconds: float
    bytes: int


def write_record(
    out: Path,
    planned: Mapping[str, Mapping[str, int]],
    sections: Mapping[str, Mapping[str, Sequence[Block]]],
) -> Written:
    """Write ``out/scores``'s record of the evaluation; ``sections``: bid -> sub -> blocks."""
    folder = reset_record(out)  # first: the old record must not colour the assessment
    dossier = load_dossier(out)
    write_example_keys(out, dossier)
    not_scored = bids_not_scored(dossier, ScoreBook())
    scored = [bid.id for bid in dossier.submissions if bid.id not in not_scored]
    contents = {
        (bid, sub.id): read_section(
            sections[bid][sub.id],
            planned[bid][sub.id],
            sub.max_pages,
            text.SECTION_BANKS[sub.id].vague,
        )
        for bid in scored
        for sub in dossier.award.sub_criteria
    }
    plan = plan_record(dossier, planned, contents, scored)
    steps = schedule(dossier, plan)

    clock = ScriptedClock()
    seals = random.Random(f"{SEED}:seals")
    recorder = Recorder(
        dossier,
        keys=example_keyring(dossier),
        not_scored=not_scored,
        clock=clock,
        account=ACCOUNT,
        random=seals.randbytes,
    )
    started = time.perf_counter()
    for step in steps:
        clock.set(step.at)
        _record(recorder, step)
    seconds = time.perf_counter() - started
    (folder / LOCK_NAME).unlink(missing_ok=True)
    path = folder / LEDGER_NAME
    return Written(path, len(steps), seconds, path.stat().st_size)


def _record(recorder: Recorder, step: Step) -> None:
    if step.kind == "opening":
        dossier = recorder.dossier
        recorder.open_bids(step.by, reading_digests(read_documents(dossier)))
    elif step.kind == "verdict":
        recorder.record_verdict(step.by, step.bid, step.target, passed=True, reason=step.text)
    elif step.kind == "score":
        recorder.record_score(
            step.by,
            step.bid,
            step.target,
            score=Decimal(step.score),
            motivation=step.text,
            reason=step.reason,
        )
    elif step.kind == "consensus":
        recorder.record_consensus(
            step.by, step.bid, step.target, score=Decimal(step.score), motivation=step.text
        )
    elif step.target in ("consensus", "locked"):
        recorder.change_phase(step.by, "consensus" if step.target == "consensus" else "locked")
    else:
        raise AssertionError(f"unknown phase {step.target}")
