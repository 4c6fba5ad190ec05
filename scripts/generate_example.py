"""Generate the example dossier's ``submissions/`` (128 fictional bids with real PDFs) and
the committee's record of decisions in ``scores/``.

Usage: ``python scripts/generate_example.py [--out DIR]`` (DIR defaults to the repository
root; it must hold ``criteria/``, which the record is written against). Only
``DIR/submissions/`` is deleted and written again, and in ``DIR/scores/`` only
``ledger.jsonl``, ``ledger.head``, ``ledger.torn`` and the lock file (see
``example_scores.py`` for what the record holds). The output is the same, byte for byte,
on every run: every bid draws from its own seeded ``random.Random``, reportlab runs in
invariant mode, so no PDF carries a timestamp or a random id, and the record is written
with a scripted clock and a fixed account.

Each bid folder holds ``bid.yaml`` (``tender.domain.models.BidMetadata``) and the PDFs it lists:
an anonymous quality plan (one section per sub-criterion, prose whose quality follows
the bid's planned score), a UEA with fillable form fields, a trade-register extract and
an insurance certificate.

Planted cases (conflicted bids bid-017, bid-052 and bid-103 are kept ordinary):

=======  ======================  ===========================================================
bid      case                    what the dossier shows
=======  ======================  ===========================================================
bid-038  late by seconds         received 2017-11-10T12:00:07+01:00, 7 s after the deadline
bid-091  late by hours           received 2017-11-10T15:41:12+01:00
bid-064  on time, at deadline    received exactly 2017-11-10T12:00:00+01:00 (not after it)
bid-115  on time, written in UTC received 2017-11-10T10:59:30Z (11:59:30 in Amsterdam)
bid-026  incomplete              no UEA at all (mandatory on pain of exclusion)
bid-011  HKZ expired             HKZ certificate valid until 2017-10-31
bid-047  insurance too low       professional liability € 1.000.000 (minimum € 2.500.000)
bid-073  not registered          no trade_register and no kvk-uittreksel
bid-098  KvK extract too old     kvk-uittreksel issued 2017-04-12, 212 days before deadline
bid-120  exclusion ground        UEA field uitsluiting_faillissement answered "Ja"
bid-009  over page limit         section 1 runs to 3 pages; the third page is good
bid-058  over page limit         section 2 runs to 3 pages; the third page is good
bid-084  over page limit         section 4 runs to 3 pages; the third page is good
bid-124  over page limit         section 5 runs to 3 pages; the third page is good
=======  ======================  ===========================================================

The planned consensus scores (:func:`planned_scores`) give 29 of the 120 on-time,
complete and suitable bids a weighted mean of at least 8, seven of them exactly 8.0;
bid-009 (7.8) and bid-124 (7.6) would look better if their over-limit page were read.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Final, Literal
from xml.sax.saxutils import escape

import example_scores
import example_text as text
import yaml
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

SEED: Final = "VS-2017-WMO-014"
BID_COUNT: Final = 128
REFERENCE: Final = "VS-2017-WMO-014"
TENDER_TITLE: Final = "Thuisondersteuning Wmo 2018-2019"
AUTHORITY: Final = "Gemeente Vechtstede"
CET: Final = timezone(timedelta(hours=1))
DEADLINE: Final = datetime(2017, 11, 10, 12, 0, tzinfo=CET)
SUBMISSIONS: Final = "submissions"
LEGAL_FORM_WORDS: Final = frozenset({"B.V.", "U.A.", "Stichting", "Coöperatie"})
POSTAL_CODE_LETTERS: Final = "ABEGHKLMNPRTVWXZ"
INSURANCE_RENEWALS: Final = (
    date(2018, 3, 31),
    date(2018, 6, 30),
    date(2018, 9, 30),
    date(2018, 12, 31),
)
FILES: Final = {
    "kwaliteitsplan": "kwaliteitsplan.pdf",
    "uea": "uea.pdf",
    "kvk-uittreksel": "kvk-uittreksel.pdf",
    "verzekering": "verzekering.pdf",
}
EXCLUSION_GROUNDS: Final = (
    "uitsluiting_veroordeling",
    "uitsluiting_belastingen",
    "uitsluiting_faillissement",
    "uitsluiting_beroepsfout",
)


@dataclass(frozen=True)
class SubCriterion:
    """A sub-criterion as criteria/award.yaml declares it (the tests keep the two in step)."""

    id: str
    title: str
    weight: int


SUB_CRITERIA: Final = (
    SubCriterion("client-centraal", "De cliënt centraal", 25),
    SubCriterion("samenwerking", "Samenwerking", 20),
    SubCriterion("visie", "Visie op thuisondersteuning", 20),
    SubCriterion("uitvoering", "Uitvoering van thuisondersteuning", 20),
    SubCriterion("innovatie", "Innovatie", 15),
)


class Case(Enum):
    """A defect or edge case planted in one bid, for the tool to find."""

    LATE_BY_SECONDS = "late by seconds"
    LATE_BY_HOURS = "late by hours"
    AT_DEADLINE = "on time, at the deadline"
    WRITTEN_IN_UTC = "on time, written in UTC"
    NO_UEA = "incomplete: no UEA"
    HKZ_EXPIRED = "HKZ certificate expired"
    INSURANCE_TOO_LOW = "insurance too low"
    NOT_REGISTERED = "not in the trade register"
    KVK_TOO_OLD = "trade-register extract too old"
    EXCLUSION_DECLARED = "exclusion ground declared"


PLANTED: Final = {
    "bid-011": Case.HKZ_EXPIRED,
    "bid-026": Case.NO_UEA,
    "bid-038": Case.LATE_BY_SECONDS,
    "bid-047": Case.INSURANCE_TOO_LOW,
    "bid-064": Case.AT_DEADLINE,
    "bid-073": Case.NOT_REGISTERED,
    "bid-091": Case.LATE_BY_HOURS,
    "bid-098": Case.KVK_TOO_OLD,
    "bid-115": Case.WRITTEN_IN_UTC,
    "bid-120": Case.EXCLUSION_DECLARED,
}
OVER_LIMIT: Final = {
    "bid-009": "client-centraal",
    "bid-058": "samenwerking",
    "bid-084": "uitvoering",
    "bid-124": "innovatie",
}

# Planned consensus scores, in the order of SUB_CRITERIA; the comment is the weighted mean.
_PLANNED: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "bid-001": (4, 8, 8, 4, 8),  # 6.2
    "bid-002": (6, 10, 8, 8, 10),  # 8.2
    "bid-003": (8, 8, 8, 8, 8),  # 8.0
    "bid-004": (4, 4, 4, 6, 6),  # 4.7
    "bid-005": (6, 8, 6, 6, 6),  # 6.4
    "bid-006": (8, 8, 4, 6, 8),  # 6.8
    "bid-007": (8, 8, 8, 8, 6),  # 7.7
    "bid-008": (6, 4, 8, 8, 4),  # 6.1
    "bid-009": (6, 6, 8, 10, 10),  # 7.8
    "bid-010": (6, 6, 4, 6, 8),  # 5.9
    "bid-011": (6, 8, 8, 10, 10),  # 8.2
    "bid-012": (10, 10, 6, 8, 6),  # 8.2
    "bid-013": (8, 4, 8, 8, 8),  # 7.2
    "bid-014": (8, 10, 8, 8, 10),  # 8.7
    "bid-015": (8, 10, 8, 6, 8),  # 8.0
    "bid-016": (6, 10, 10, 10, 10),  # 9.0
    "bid-017": (6, 8, 8, 10, 8),  # 7.9
    "bid-018": (6, 6, 8, 6, 6),  # 6.4
    "bid-019": (8, 6, 10, 8, 8),  # 8.0
    "bid-020": (6, 6, 8, 10, 6),  # 7.2
    "bid-021": (4, 8, 6, 4, 4),  # 5.2
    "bid-022": (6, 8, 10, 8, 10),  # 8.2
    "bid-023": (6, 10, 6, 6, 8),  # 7.1
    "bid-024": (4, 6, 6, 6, 6),  # 5.5
    "bid-025": (10, 10, 10, 6, 10),  # 9.2
    "bid-026": (4, 8, 8, 8, 8),  # 7.0
    "bid-027": (6, 2, 2, 6, 6),  # 4.4
    "bid-028": (10, 8, 6, 6, 8),  # 7.7
    "bid-029": (4, 8, 4, 8, 4),  # 5.6
    "bid-030": (8, 6, 4, 8, 4),  # 6.2
    "bid-031": (6, 8, 8, 4, 6),  # 6.4
    "bid-032": (6, 4, 8, 8, 8),  # 6.7
    "bid-033": (6, 6, 6, 4, 4),  # 5.3
    "bid-034": (6, 8, 10, 6, 10),  # 7.8
    "bid-035": (8, 6, 6, 6, 4),  # 6.2
    "bid-036": (6, 8, 4, 8, 8),  # 6.7
    "bid-037": (6, 6, 4, 8, 6),  # 6.0
    "bid-038": (8, 6, 10, 10, 8),  # 8.4
    "bid-039": (4, 6, 6, 6, 8),  # 5.8
    "bid-040": (4, 6, 4, 4, 6),  # 4.7
    "bid-041": (6, 4, 6, 8, 6),  # 6.0
    "bid-042": (6, 6, 2, 4, 4),  # 4.5
    "bid-043": (2, 6, 6, 4, 6),  # 4.6
    "bid-044": (6, 8, 8, 4, 4),  # 6.1
    "bid-045": (6, 10, 8, 10, 6),  # 8.0
    "bid-046": (6, 8, 8, 6, 4),  # 6.5
    "bid-047": (8, 8, 8, 4, 4),  # 6.6
    "bid-048": (8, 6, 8, 8, 10),  # 7.9
    "bid-049": (4, 6, 6, 6, 2),  # 4.9
    "bid-050": (6, 6, 6, 10, 10),  # 7.4
    "bid-051": (6, 4, 6, 8, 6),  # 6.0
    "bid-052": (8, 6, 10, 8, 8),  # 8.0
    "bid-053": (6, 6, 4, 4, 8),  # 5.5
    "bid-054": (10, 6, 6, 10, 6),  # 7.8
    "bid-055": (8, 10, 6, 6, 6),  # 7.3
    "bid-056": (8, 8, 6, 6, 6),  # 6.9
    "bid-057": (8, 4, 4, 8, 4),  # 5.8
    "bid-058": (8, 8, 8, 10, 8),  # 8.4
    "bid-059": (4, 6, 6, 4, 8),  # 5.4
    "bid-060": (4, 4, 8, 6, 8),  # 5.8
    "bid-061": (6, 6, 6, 6, 4),  # 5.7
    "bid-062": (4, 6, 4, 8, 8),  # 5.8
    "bid-063": (8, 6, 10, 8, 10),  # 8.3
    "bid-064": (10, 8, 6, 6, 10),  # 8.0
    "bid-065": (6, 4, 6, 4, 8),  # 5.5
    "bid-066": (6, 4, 8, 6, 8),  # 6.3
    "bid-067": (4, 6, 6, 6, 2),  # 4.9
    "bid-068": (6, 8, 8, 4, 6),  # 6.4
    "bid-069": (8, 6, 6, 10, 6),  # 7.3
    "bid-070": (4, 4, 6, 6, 6),  # 5.1
    "bid-071": (6, 6, 10, 6, 8),  # 7.1
    "bid-072": (8, 4, 8, 8, 8),  # 7.2
    "bid-073": (8, 4, 4, 8, 4),  # 5.8
    "bid-074": (4, 8, 6, 4, 6),  # 5.5
    "bid-075": (8, 8, 8, 6, 10),  # 7.9
    "bid-076": (6, 8, 10, 10, 6),  # 8.0
    "bid-077": (6, 6, 4, 6, 8),  # 5.9
    "bid-078": (4, 8, 8, 6, 4),  # 6.0
    "bid-079": (6, 6, 8, 4, 8),  # 6.3
    "bid-080": (6, 2, 6, 6, 4),  # 4.9
    "bid-081": (8, 10, 10, 6, 8),  # 8.4
    "bid-082": (6, 4, 8, 8, 4),  # 6.1
    "bid-083": (8, 4, 4, 6, 8),  # 6.0
    "bid-084": (6, 4, 8, 8, 6),  # 6.4
    "bid-085": (10, 10, 8, 8, 6),  # 8.6
    "bid-086": (8, 8, 6, 4, 4),  # 6.2
    "bid-087": (8, 8, 8, 4, 4),  # 6.6
    "bid-088": (8, 8, 10, 10, 8),  # 8.8
    "bid-089": (6, 8, 4, 6, 4),  # 5.7
    "bid-090": (10, 10, 8, 10, 6),  # 9.0
    "bid-091": (4, 8, 4, 8, 8),  # 6.2
    "bid-092": (8, 6, 8, 6, 4),  # 6.6
    "bid-093": (10, 8, 8, 10, 6),  # 8.6
    "bid-094": (8, 6, 8, 8, 8),  # 7.6
    "bid-095": (6, 6, 8, 4, 8),  # 6.3
    "bid-096": (8, 8, 6, 8, 4),  # 7.0
    "bid-097": (6, 8, 6, 10, 8),  # 7.5
    "bid-098": (10, 6, 8, 6, 10),  # 8.0
    "bid-099": (8, 10, 6, 10, 6),  # 8.1
    "bid-100": (8, 6, 6, 6, 6),  # 6.5
    "bid-101": (10, 10, 6, 8, 8),  # 8.5
    "bid-102": (10, 10, 8, 6, 8),  # 8.5
    "bid-103": (6, 6, 8, 8, 6),  # 6.8
    "bid-104": (6, 6, 8, 6, 8),  # 6.7
    "bid-105": (8, 8, 8, 10, 8),  # 8.4
    "bid-106": (8, 6, 8, 8, 4),  # 7.0
    "bid-107": (6, 6, 8, 6, 6),  # 6.4
    "bid-108": (4, 8, 4, 4, 4),  # 4.8
    "bid-109": (8, 4, 4, 8, 4),  # 5.8
    "bid-110": (6, 4, 6, 4, 0),  # 4.3
    "bid-111": (8, 8, 4, 6, 6),  # 6.5
    "bid-112": (4, 6, 6, 8, 4),  # 5.6
    "bid-113": (6, 6, 6, 10, 6),  # 6.8
    "bid-114": (4, 4, 4, 4, 8),  # 4.6
    "bid-115": (8, 8, 10, 6, 10),  # 8.3
    "bid-116": (10, 10, 10, 10, 6),  # 9.4
    "bid-117": (8, 6, 4, 4, 4),  # 5.4
    "bid-118": (10, 8, 8, 6, 8),  # 8.1
    "bid-119": (6, 8, 8, 4, 8),  # 6.7
    "bid-120": (8, 8, 8, 4, 8),  # 7.2
    "bid-121": (8, 6, 6, 8, 10),  # 7.5
    "bid-122": (6, 8, 10, 10, 8),  # 8.3
    "bid-123": (8, 8, 10, 10, 8),  # 8.8
    "bid-124": (8, 8, 6, 8, 8),  # 7.6
    "bid-125": (4, 6, 8, 4, 8),  # 5.8
    "bid-126": (6, 2, 4, 6, 4),  # 4.5
    "bid-127": (6, 8, 4, 6, 8),  # 6.3
    "bid-128": (6, 6, 8, 4, 4),  # 5.7
}


def planned_scores() -> dict[str, dict[str, int]]:
    """The consensus score each bid's plan is written to earn: bid id → sub-criterion id → score."""
    return {bid_id: _scores_of(bid_id) for bid_id in _PLANNED}


# --- the bids ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bidder:
    name: str
    legal_form: str
    trade_register: str | None
    street: str
    postal_code: str
    city: str
    contact: str
    job_title: str
    email: str
    phone: str
    founded: date

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


@dataclass(frozen=True)
class Reference:
    client: str
    service: str
    year: int


@dataclass(frozen=True)
class Certificate:
    number: str
    issuer: str
    valid_from: date
    valid_until: date


@dataclass(frozen=True)
class Bid:
    """Everything one bidder sent, before it is written as YAML and PDFs."""

    id: str
    bidder: Bidder
    plan_code: str
    received: datetime
    turnover_eur: int
    equity_ratio: Decimal
    insurer: str
    policy_number: str
    liability_eur: int
    insured_until: date
    insurance_issued: date
    references: tuple[Reference, ...]
    hkz: Certificate
    kvk_issued: date | None
    has_uea: bool
    declared_grounds: frozenset[str]
    signed_on: date
    scores: Mapping[str, int]
    over_limit_section: str | None


@dataclass(frozen=True)
class Identity:
    """What must differ between bids, so it is drawn once for the whole dossier."""

    name: str
    legal_form: str
    trade_register: str
    plan_code: str


def bid_ids() -> list[str]:
    return [f"bid-{number:03d}" for number in range(1, BID_COUNT + 1)]


def _scores_of(bid_id: str) -> dict[str, int]:
    return {sub.id: score for sub, score in zip(SUB_CRITERIA, _PLANNED[bid_id], strict=True)}


def draw_identities() -> dict[str, Identity]:
    """Per bid id: a name, trade-register number and anonymous plan code, each unique."""
    rng = random.Random(f"{SEED}:dossier")
    candidates = sorted(
        {
            (form.pattern.format(filler), form.legal_form)
            for form in text.NAME_FORMS
            for filler in form.fillers
        }
    )
    names = rng.sample(candidates, BID_COUNT)
    registers = [f"{n:08d}" for n in rng.sample(range(10_000_000, 100_000_000), BID_COUNT)]
    codes = [f"KP-{n}" for n in rng.sample(range(1000, 10_000), BID_COUNT)]
    return {
        bid_id: Identity(name, legal_form, register, code)
        for bid_id, (name, legal_form), register, code in zip(
            bid_ids(), names, registers, codes, strict=True
        )
    }


def make_bid(bid_id: str, identity: Identity) -> Bid:
    """An ordinary, valid and suitable bid, then with its planted case applied."""
    rng = random.Random(f"{SEED}:{bid_id}")
    received = _received(rng)
    hkz_from = date(2014, 12, 1) + timedelta(days=rng.randrange(1000))
    bid = Bid(
        id=bid_id,
        bidder=_bidder(rng, identity),
        plan_code=identity.plan_code,
        received=received,
        turnover_eur=_turnover(rng),
        equity_ratio=Decimal(rng.randint(8, 62)) / 100,
        insurer=rng.choice(text.INSURERS),
        policy_number=f"BA-{rng.randint(100_000, 999_999)}",
        liability_eur=rng.choice(
            (2_500_000, 2_500_000, 2_500_000, 5_000_000, 5_000_000, 3_000_000)
        ),
        insured_until=rng.choice(INSURANCE_RENEWALS),
        insurance_issued=_recent_day(rng),
        references=_references(rng),
        hkz=Certificate(
            number=f"HKZ-{hkz_from.year}-{rng.randint(10_000, 99_999)}",
            issuer=rng.choice(text.CERTIFIERS),
            valid_from=hkz_from,
            valid_until=hkz_from + timedelta(days=3 * 365),
        ),
        kvk_issued=_recent_day(rng),
        has_uea=True,
        declared_grounds=frozenset(),
        signed_on=received.date() - timedelta(days=rng.randint(0, 3)),
        scores=_scores_of(bid_id),
        over_limit_section=OVER_LIMIT.get(bid_id),
    )
    case = PLANTED.get(bid_id)
    return bid if case is None else plant(case, bid)


def plant(case: Case, bid: Bid) -> Bid:
    """``bid`` with exactly the one defect or edge case that ``case`` describes."""
    match case:
        case Case.LATE_BY_SECONDS:
            return replace(bid, received=DEADLINE + timedelta(seconds=7))
        case Case.LATE_BY_HOURS:
            return replace(bid, received=DEADLINE + timedelta(hours=3, minutes=41, seconds=12))
        case Case.AT_DEADLINE:
            return replace(bid, received=DEADLINE)
        case Case.WRITTEN_IN_UTC:
            return replace(bid, received=datetime(2017, 11, 10, 10, 59, 30, tzinfo=UTC))
        case Case.NO_UEA:
            return replace(bid, has_uea=False)
        case Case.HKZ_EXPIRED:
            expired = Certificate(
                number=f"HKZ-2014-{bid.hkz.number[-5:]}",
                issuer=bid.hkz.issuer,
                valid_from=date(2014, 11, 1),
                valid_until=date(2017, 10, 31),
            )
            return replace(bid, hkz=expired)
        case Case.INSURANCE_TOO_LOW:
            return replace(bid, liability_eur=1_000_000)
        case Case.NOT_REGISTERED:
            return replace(bid, bidder=replace(bid.bidder, trade_register=None), kvk_issued=None)
        case Case.KVK_TOO_OLD:
            return replace(bid, kvk_issued=DEADLINE.date() - timedelta(days=212))
        case Case.EXCLUSION_DECLARED:
            return replace(bid, declared_grounds=frozenset({"uitsluiting_faillissement"}))


def _bidder(rng: random.Random, identity: Identity) -> Bidder:
    first, surname = rng.choice(text.FIRST_NAMES), rng.choice(text.SURNAMES)
    mailbox = f"{_ascii_slug(first)[0]}.{_ascii_slug(surname).replace('-', '')}"
    domain = _ascii_slug(" ".join(w for w in identity.name.split() if w not in LEGAL_FORM_WORDS))
    letters = "".join(rng.choice(POSTAL_CODE_LETTERS) for _ in range(2))
    return Bidder(
        name=identity.name,
        legal_form=identity.legal_form,
        trade_register=identity.trade_register,
        street=f"{rng.choice(text.STREETS)} {rng.randint(1, 180)}",
        postal_code=f"{rng.randint(7000, 8399)} {letters}",
        city=rng.choice(text.TOWNS),
        contact=f"{first} {surname}",
        job_title=rng.choice(text.JOB_TITLES),
        email=f"{mailbox}@{domain}.example",
        phone=f"0500 {rng.randint(100, 999)} {rng.randint(100, 999)}",
        founded=date(rng.randint(1985, 2012), rng.randint(1, 12), rng.randint(1, 28)),
    )


def _ascii_slug(words: str) -> str:
    """``Stichting Zorgcoöperatie Eemdal`` as ``stichting-zorgcooperatie-eemdal``."""
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    cleaned = "".join(char if char.isalnum() else " " for char in plain.lower())
    return "-".join(cleaned.split())


def _received(rng: random.Random) -> datetime:
    """Most bids arrive in the last days, many on the final morning; a few a week early."""
    if rng.randrange(12) == 0:
        day = date(2017, 10, 30) + timedelta(days=rng.randrange(5))
    else:
        day = date(2017, 11, rng.choices((6, 7, 8, 9, 10), weights=(1, 2, 2, 3, 4))[0])
    start = datetime(day.year, day.month, day.day, 8, tzinfo=CET)
    latest = DEADLINE - timedelta(minutes=1) if day == DEADLINE.date() else start.replace(hour=22)
    return start + timedelta(seconds=rng.randrange(int((latest - start).total_seconds())))


def _turnover(rng: random.Random) -> int:
    """Annual turnover in euros: many small providers, some large ones (150k to 25M)."""
    low, high = rng.choices(((150, 999), (1000, 4999), (5000, 25_000)), weights=(4, 4, 2))[0]
    return rng.randint(low, high) * 1000


def _recent_day(rng: random.Random) -> date:
    """A day well within six months before the deadline, as for a fresh extract or certificate."""
    return date(2017, 6, 1) + timedelta(days=rng.randrange(150))


def _references(rng: random.Random) -> tuple[Reference, ...]:
    """Two to four clients in different towns; the first two from the last three years."""
    return tuple(
        Reference(
            client=rng.choice(text.REFERENCE_CLIENTS).format(town=town),
            service=rng.choice(text.REFERENCE_SERVICES),
            year=rng.randint(2015 if index < 2 else 2014, 2017),
        )
        for index, town in enumerate(rng.sample(text.TOWNS[1:], rng.randint(2, 4)))
    )


# --- bid.yaml ------------------------------------------------------------------------------


class _BidDumper(yaml.SafeDumper):
    """Writes decimals digit for digit and moments with the offset they were received in."""


def _represent_decimal(dumper: yaml.representer.BaseRepresenter, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(value))


def _represent_moment(dumper: yaml.representer.BaseRepresenter, value: datetime) -> yaml.Node:
    written = value.isoformat().replace("+00:00", "Z")
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", written)


_BidDumper.add_representer(Decimal, _represent_decimal)
_BidDumper.add_representer(datetime, _represent_moment)


def bid_yaml(bid: Bid) -> str:
    """The bid's metadata in the shape of ``tender.domain.models.BidMetadata``."""
    bidder = bid.bidder
    identity: dict[str, object] = {"name": bidder.name}
    if bidder.trade_register is not None:
        identity["trade_register"] = bidder.trade_register
    identity["address"] = {
        "street": bidder.street,
        "postal_code": bidder.postal_code,
        "city": bidder.city,
        "country": "NL",
    }
    identity["contact"] = {"name": bidder.contact, "email": bidder.email, "phone": bidder.phone}
    data = {
        "bidder": identity,
        "received": bid.received,
        "financials": {"annual_turnover_eur": bid.turnover_eur, "equity_ratio": bid.equity_ratio},
        "insurance": {
            "insurer": bid.insurer,
            "professional_liability_eur": bid.liability_eur,
            "valid_until": bid.insured_until,
        },
        "references": [
            {"client": ref.client, "service": ref.service, "year": ref.year}
            for ref in bid.references
        ],
        "certificates": [
            {
                "kind": "hkz",
                "number": bid.hkz.number,
                "issuer": bid.hkz.issuer,
                "valid_from": bid.hkz.valid_from,
                "valid_until": bid.hkz.valid_until,
            }
        ],
        "documents": _document_entries(bid),
    }
    body = yaml.dump(data, Dumper=_BidDumper, sort_keys=False, allow_unicode=True, width=100)
    return f"# Fictional bid, generated by scripts/generate_example.py\n{body}"


def _document_entries(bid: Bid) -> dict[str, dict[str, object]]:
    issued = {"kvk-uittreksel": bid.kvk_issued, "verzekering": bid.insurance_issued}
    entries: dict[str, dict[str, object]] = {}
    for document_id in documents_of(bid):
        entry: dict[str, object] = {"file": FILES[document_id]}
        if document_id in issued:
            entry["issued"] = issued[document_id]
        entries[document_id] = entry
    return entries


def documents_of(bid: Bid) -> list[str]:
    """The ids of the documents the bid includes, in the order of criteria/procedure.yaml."""
    left_out = {"uea"} if not bid.has_uea else set()
    if bid.kvk_issued is None:
        left_out.add("kvk-uittreksel")
    return [document_id for document_id in FILES if document_id not in left_out]


# --- quality-plan prose --------------------------------------------------------------------

BlockKind = Literal["subheading", "paragraph", "page-break"]


@dataclass(frozen=True)
class Block:
    """One piece of a plan section, before layout."""

    kind: BlockKind
    text: str = ""


PAGE_BREAK: Final = Block("page-break")


def plan_slots(rng: random.Random) -> dict[str, str]:
    """The names and figures one plan's prose uses, fixed for the whole plan so it agrees."""
    wijk, wijk2, wijk3 = rng.sample(text.NEIGHBOURHOODS, 3)
    return {
        "gemeente": "Vechtstede",
        "wijk": wijk,
        "wijk2": wijk2,
        "wijk3": wijk3,
        "welzijn": rng.choice(text.WELFARE_PARTNERS),
        "huisarts": rng.choice(text.GP_PARTNERS),
        "mantelzorg": rng.choice(text.CARER_PARTNERS),
        "woning": rng.choice(text.HOUSING_PARTNERS),
        "vrijwilligers": rng.choice(text.VOLUNTEER_PARTNERS),
        "tool": rng.choice(text.TOOLS),
        "referentie": rng.choice(text.TOWNS[1:]),
        "jaar": str(rng.choice((2015, 2016))),
        "clienten": str(rng.randint(60, 240)),
        "kleintal": str(rng.randint(12, 58)),
        "team": str(rng.randint(6, 14)),
        "pct": str(rng.randint(8, 24)),
        "pct2": str(rng.randint(30, 65)),
        "pct_klein": str(rng.randint(3, 7)),
        "cijfer": f"8,{rng.randint(0, 7)}",
        "verzuim": f"{rng.randint(3, 4)},{rng.randint(0, 9)}",
    }


def compose_section(
    bank: text.SectionBank, score: int, rng: random.Random, slots: dict[str, str]
) -> list[Block]:
    """A section whose prose earns ``score``: concrete at 8, plus results at 10, general at 6."""
    if score >= 8:
        blocks = [Block("subheading", rng.choice(text.APPROACH_HEADINGS))]
        blocks += _paragraphs(rng.sample(bank.concrete, rng.randint(4, 6)), slots)
        if score == 10 or rng.randrange(2) == 0:
            blocks.append(Block("subheading", text.CASE_HEADING))
            blocks += _paragraphs([rng.choice(bank.cases)], slots)
        if score == 10:
            blocks.append(Block("subheading", rng.choice(text.RESULTS_HEADINGS)))
            blocks += _paragraphs(rng.sample(bank.results, rng.randint(2, 3)), slots)
        return blocks
    if score == 6:
        return _paragraphs(rng.sample(bank.general, rng.randint(3, 4)), slots)
    off_topic = rng.sample(text.OFF_TOPIC, 2)
    if score == 4:
        thin = [rng.choice(bank.general), " ".join(rng.sample(bank.vague, 2)), off_topic[0]]
        return _paragraphs(thin, slots)
    if score == 2:
        return _paragraphs([" ".join([rng.choice(bank.vague), *off_topic])], slots)
    return _paragraphs([f"{off_topic[0]} {rng.choice(text.NOT_ADDRESSED)}"], slots)


def compose_over_limit_section(
    bank: text.SectionBank, score: int, rng: random.Random, slots: dict[str, str]
) -> list[Block]:
    """Three pages: two at the level of ``score``, then a page of good examples beyond the limit."""
    level = bank.concrete if score >= 8 else bank.general
    pool = rng.sample(level, len(level))
    examples = [rng.choice(bank.cases), *bank.results]
    if score < 8:
        examples.insert(0, rng.choice(bank.concrete))
    return [
        *_paragraphs(pool[:3], slots),
        PAGE_BREAK,
        Block("subheading", text.ELABORATION_HEADING),
        *_paragraphs(pool[3:], slots),
        PAGE_BREAK,
        Block("subheading", text.EXAMPLES_HEADING),
        *_paragraphs(examples, slots),
    ]


def _paragraphs(templates: Sequence[str], slots: dict[str, str]) -> list[Block]:
    return [Block("paragraph", template.format_map(slots)) for template in templates]


def plan_sections(bid: Bid) -> list[tuple[str, list[Block]]]:
    """Each section's heading ("1. De cliënt centraal") and its composed prose."""
    rng = random.Random(f"{SEED}:{bid.id}:plan")
    slots = plan_slots(rng)
    sections = []
    for number, sub in enumerate(SUB_CRITERIA, start=1):
        bank, score = text.SECTION_BANKS[sub.id], bid.scores[sub.id]
        compose = (
            compose_over_limit_section if sub.id == bid.over_limit_section else compose_section
        )
        sections.append((f"{number}. {sub.title}", compose(bank, score, rng, slots)))
    return sections


# --- PDFs ----------------------------------------------------------------------------------

MARGIN: Final = 20 * mm
BODY: Final = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=15, spaceAfter=8)
SMALL: Final = ParagraphStyle("small", parent=BODY, fontSize=9, leading=11.5, spaceAfter=0)
TITLE: Final = ParagraphStyle(
    "title", fontName="Helvetica-Bold", fontSize=24, leading=30, spaceAfter=14
)
HEADING: Final = ParagraphStyle(
    "heading", fontName="Helvetica-Bold", fontSize=15, leading=19, spaceAfter=12
)
SUBHEADING: Final = ParagraphStyle(
    "subheading",
    fontName="Helvetica-Bold",
    fontSize=11,
    leading=14,
    spaceBefore=6,
    spaceAfter=4,
)
MONTHS: Final = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
FICTION_NOTE: Final = f"Fictief document in het voorbeelddossier {REFERENCE}; geen echte gegevens."


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def euro(amount: int) -> str:
    """``2500000`` as ``€ 2.500.000``."""
    return "€ " + f"{amount:,}".replace(",", ".")


def quality_plan_pdf(bid: Bid) -> bytes:
    """The anonymous plan: a cover with its code, then each section starting on a new page."""
    story: list[Flowable] = _cover(bid.plan_code)
    for heading, blocks in plan_sections(bid):
        story += [PageBreak(), Paragraph(escape(heading), HEADING)]
        story += [_flowable(block) for block in blocks]
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=f"Kwaliteitsplan {bid.plan_code}",
        author="",
        creator="",
        invariant=1,
        pageCompression=1,
    )
    frame = Frame(MARGIN, MARGIN + 6 * mm, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN - 6 * mm)
    footer = _plan_footer(f"Kwaliteitsplan {bid.plan_code} · {REFERENCE}")
    document.addPageTemplates([PageTemplate("plan", [frame], onPageEnd=footer)])
    document.build(story)
    return buffer.getvalue()


def _cover(plan_code: str) -> list[Flowable]:
    return [
        Spacer(1, 50 * mm),
        Paragraph("Kwaliteitsplan", TITLE),
        Paragraph(f"Aanbesteding {escape(TENDER_TITLE)}", SUBHEADING),
        Paragraph(f"{AUTHORITY}, referentie {REFERENCE}", BODY),
        Spacer(1, 12 * mm),
        Paragraph(f"Inschrijvingscode: <b>{plan_code}</b>", BODY),
        Spacer(1, 6 * mm),
        Paragraph(
            "Dit kwaliteitsplan is anoniem: het noemt de naam van de inschrijver niet. Het volgt "
            "de vijf subgunningscriteria uit de aanbestedingsleidraad, elk in een eigen "
            "hoofdstuk dat op een nieuwe pagina begint.",
            BODY,
        ),
    ]


def _flowable(block: Block) -> Flowable:
    if block.kind == "page-break":
        return PageBreak()
    style = SUBHEADING if block.kind == "subheading" else BODY
    return Paragraph(escape(block.text), style)


def _plan_footer(label: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN, MARGIN, label)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN, f"Pagina {document.page}")
        canvas.restoreState()

    return draw


def _canvas(buffer: io.BytesIO, title: str) -> Canvas:
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    return canvas


class _Page:
    """Writes a one-page document top to bottom, wrapping text to its column."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.y = A4[1] - MARGIN
        self.width = A4[0] - 2 * MARGIN

    def draw(self, markup: str, style: ParagraphStyle, x: float, width: float) -> float:
        """Draw a paragraph whose top is at the cursor; return its height, cursor unmoved."""
        paragraph = Paragraph(markup, style)
        _, height = paragraph.wrapOn(self.canvas, width, A4[1])
        paragraph.drawOn(self.canvas, x, self.y - height)
        return float(height)

    def text(self, markup: str, style: ParagraphStyle) -> None:
        """A full-width paragraph; the cursor moves past it."""
        self.y -= self.draw(markup, style, MARGIN, self.width) + style.spaceAfter

    def rows(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label and value pairs in two columns."""
        for label, value in rows:
            label_height = self.draw(f"<b>{escape(label)}</b>", BODY, MARGIN, 55 * mm)
            value_height = self.draw(escape(value), BODY, MARGIN + 60 * mm, self.width - 60 * mm)
            self.y -= max(label_height, value_height) + BODY.spaceAfter

    def footer(self, note: str) -> None:
        self.canvas.setFont("Helvetica-Oblique", 7.5)
        self.canvas.drawString(MARGIN, MARGIN - 8, note)


UEA_QUESTIONS: Final = (
    "A. Is de ondernemer, of iemand uit zijn bestuur of toezicht, onherroepelijk veroordeeld "
    "voor deelname aan een criminele organisatie, omkoping, fraude, terrorisme, witwassen, "
    "kinderarbeid of mensenhandel?",
    "B. Is de ondernemer tekortgeschoten in het betalen van belastingen of "
    "socialezekerheidspremies?",
    "C. Is de ondernemer failliet, in surseance van betaling of in liquidatie, of heeft hij "
    "een akkoord met zijn schuldeisers gesloten?",
    "C. Heeft de ondernemer een ernstige beroepsfout begaan die zijn integriteit in twijfel trekt?",
)


FIELD_COLUMN: Final = 100 * mm
FIELD_HEIGHT: Final = 16


def uea_pdf(bid: Bid) -> bytes:
    """The UEA (ESPD) with its answers in fillable form fields, so a machine can read them."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer, "Uniform Europees Aanbestedingsdocument")
    page = _Page(canvas)
    page.text("Uniform Europees Aanbestedingsdocument (UEA)", HEADING)
    page.text(f"Aanbesteding {REFERENCE} · {escape(TENDER_TITLE)} · {AUTHORITY}", BODY)
    bidder = bid.bidder
    page.text("Deel II. Gegevens over de ondernemer", SUBHEADING)
    _field(page, "uea_naam", "Naam van de ondernemer", bidder.name)
    _field(
        page,
        "uea_kvk",
        "Inschrijvingsnummer in het Handelsregister (KvK-nummer)",
        bidder.trade_register or "",
    )
    _field(page, "uea_adres", "Vestigingsadres", bidder.address)
    page.text("Deel III. Uitsluitingsgronden", SUBHEADING)
    page.text(
        "Beantwoord elke vraag met Ja of Nee. Bij Ja kan de aanbestedende dienst de "
        "inschrijver uitsluiten van de aanbesteding.",
        SMALL,
    )
    page.y -= 4
    for ground, question in zip(EXCLUSION_GROUNDS, UEA_QUESTIONS, strict=True):
        answer = "Ja" if ground in bid.declared_grounds else "Nee"
        _field(page, ground, question, answer, field_width=22 * mm)
    page.text("Deel VI. Slotverklaring", SUBHEADING)
    page.text(
        "De ondergetekende verklaart dat de gegevens in dit document juist zijn en dat hij "
        "de bewijsstukken op eerste verzoek kan overleggen.",
        SMALL,
    )
    page.y -= 4
    _field(page, "uea_ondertekenaar", "Naam en functie", f"{bidder.contact}, {bidder.job_title}")
    _field(page, "uea_datum", "Datum van ondertekening", f"{bid.signed_on:%d-%m-%Y}")
    page.footer(FICTION_NOTE)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _field(
    page: _Page, name: str, label: str, value: str, field_width: float = FIELD_COLUMN
) -> None:
    """A printed label on the left and a fillable text field holding ``value`` on the right."""
    field_x = MARGIN + page.width - FIELD_COLUMN
    label_height = page.draw(escape(label), SMALL, MARGIN, page.width - FIELD_COLUMN - 4 * mm)
    page.canvas.acroForm.textfield(
        name=name,
        tooltip=label,
        value=value,
        x=round(field_x),
        y=round(page.y - FIELD_HEIGHT),
        width=round(field_width),
        height=FIELD_HEIGHT,
        fontName="Helvetica",
        fontSize=9,
        borderWidth=1,
        forceBorder=True,
    )
    page.y -= max(label_height, FIELD_HEIGHT) + 7


def kvk_pdf(bid: Bid) -> bytes:
    """A one-page trade-register extract, dated the day ``bid.yaml`` says it was issued."""
    bidder = bid.bidder
    if bid.kvk_issued is None or bidder.trade_register is None:
        raise ValueError(f"{bid.id} is not registered, so it has no trade-register extract")
    buffer = io.BytesIO()
    canvas = _canvas(buffer, "Uittreksel Handelsregister")
    page = _Page(canvas)
    page.text("Uittreksel Handelsregister", HEADING)
    page.text("Kamer van Koophandel", SUBHEADING)
    page.y -= 6
    page.rows(
        (
            ("KvK-nummer", bidder.trade_register),
            ("Naam", bidder.name),
            ("Rechtsvorm", bidder.legal_form),
            ("Bezoekadres", bidder.address),
            ("Datum van inschrijving", dutch_date(bidder.founded)),
            ("Activiteit (SBI)", text.SBI_ACTIVITY),
            ("Werkzame personen", str(max(3, bid.turnover_eur // 45_000))),
            ("Datum uittreksel", dutch_date(bid.kvk_issued)),
        )
    )
    page.y -= 6
    page.text(
        "Dit uittreksel geeft de inschrijving in het Handelsregister weer zoals die op de "
        "datum van het uittreksel was.",
        SMALL,
    )
    page.footer(FICTION_NOTE)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def insurance_pdf(bid: Bid) -> bytes:
    """A one-page certificate of the professional and business liability insurance."""
    bidder = bid.bidder
    buffer = io.BytesIO()
    canvas = _canvas(buffer, "Verzekeringscertificaat")
    page = _Page(canvas)
    page.text("Verzekeringscertificaat", HEADING)
    page.text("Beroeps- en bedrijfsaansprakelijkheidsverzekering", SUBHEADING)
    page.y -= 6
    page.text(
        f"{escape(bid.insurer)} verklaart dat de hieronder genoemde verzekeringnemer bij haar "
        "verzekerd is tegen aansprakelijkheid voor schade die voortvloeit uit de uitoefening "
        "van haar beroep en bedrijf.",
        BODY,
    )
    page.rows(
        (
            ("Verzekeraar", bid.insurer),
            ("Polisnummer", bid.policy_number),
            ("Verzekeringnemer", bidder.name),
            ("Adres", bidder.address),
            ("Verzekerde activiteiten", "Thuisondersteuning, huishoudelijke hulp en begeleiding"),
            ("Verzekerd bedrag per aanspraak", euro(bid.liability_eur)),
            ("Verzekerd bedrag per jaar", euro(2 * bid.liability_eur)),
            ("Geldig tot en met", dutch_date(bid.insured_until)),
            ("Datum afgifte", dutch_date(bid.insurance_issued)),
        )
    )
    page.footer(FICTION_NOTE)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- writing the dossier -------------------------------------------------------------------

RENDERERS: Final[dict[str, Callable[[Bid], bytes]]] = {
    "kwaliteitsplan": quality_plan_pdf,
    "uea": uea_pdf,
    "kvk-uittreksel": kvk_pdf,
    "verzekering": insurance_pdf,
}


def write_bid(folder: Path, bid: Bid) -> None:
    folder.mkdir()
    (folder / "bid.yaml").write_text(bid_yaml(bid), encoding="utf-8", newline="\n")
    for document_id in documents_of(bid):
        (folder / FILES[document_id]).write_bytes(RENDERERS[document_id](bid))


def reset_submissions(out: Path) -> Path:
    """Delete ``out/submissions`` (and nothing else) and create it empty."""
    submissions = out / SUBMISSIONS
    if submissions.is_symlink() or submissions.is_file():
        submissions.unlink()
    elif submissions.is_dir():
        shutil.rmtree(submissions)
    submissions.mkdir(parents=True)
    return submissions


def generate(out: Path) -> list[Bid]:
    """Write every bid under ``out/submissions``; return them."""
    submissions = reset_submissions(out)
    bids = [make_bid(bid_id, identity) for bid_id, identity in draw_identities().items()]
    for bid in bids:
        write_bid(submissions / bid.id, bid)
    return bids


def generate_record(out: Path, bids: Sequence[Bid]) -> example_scores.Written:
    """Write the committee's record in ``out/scores``, quoting each bid's plan as composed."""
    sections = {
        bid.id: {
            sub.id: [(block.kind, block.text) for block in blocks]
            for sub, (_, blocks) in zip(SUB_CRITERIA, plan_sections(bid), strict=True)
        }
        for bid in bids
    }
    return example_scores.write_record(out, planned_scores(), sections)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate the example dossier's submissions/ and its record in scores/."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="dossier folder whose submissions/ and record are replaced (default: the repository "
        "root); it must hold criteria/",
    )
    out: Path = parser.parse_args(argv).out
    if not (out / "criteria").is_dir():
        parser.error(f"{out / 'criteria'} is missing: the record is written against the criteria")
    bids = generate(out)
    print(f"wrote {len(bids)} bids to {out / SUBMISSIONS}")
    written = generate_record(out, bids)
    print(
        f"wrote {written.entries} entries ({written.bytes:,} bytes) to {written.path} "
        f"in {written.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
