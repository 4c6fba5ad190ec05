"""Typed, immutable models of the dossier: what the authority fixed and what bidders sent.

Every model forbids unknown keys (a typo is an error, not a silently ignored
field) and is frozen once validated. Numbers that decide anything are
:class:`~decimal.Decimal`; dates are written ``YYYY-MM-DD`` and timestamps carry
an explicit offset, so nothing depends on the machine's clock or locale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    model_validator,
)

from tender.domain.limits import NAME_CHARACTERS

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$"
)
_LOCAL_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_TRADE_REGISTER = re.compile(r"^[0-9]{8}$")
_OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")


class FieldValueError(ValueError):
    """A rule on a whole entry that one of its fields breaks: the message is placed at that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Model(BaseModel):
    """Base of every dossier model: frozen, no unknown keys, numbers allowed where text is."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True
    )


def _slug(value: str) -> str:
    if not SLUG_PATTERN.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a safe id; use 1-64 lowercase letters, digits and inner "
            "hyphens (e.g. 'bid-001')"
        )
    return value


def _iso_date(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError(f"expected a date written as YYYY-MM-DD, found {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a real date") from None


def _aware_timestamp(value: object) -> object:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if not isinstance(value, str) or not _TIMESTAMP.fullmatch(value):
        raise ValueError(
            "expected a timestamp with its time-zone offset, such as "
            f"2017-11-10T11:58:03+01:00, found {value!r}"
        )
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a real moment in time") from None


def _local_timestamp(value: object) -> object:
    """A local date and time, or one with its offset where the local time alone is ambiguous."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not (
        _LOCAL_TIMESTAMP.fullmatch(value) or _TIMESTAMP.fullmatch(value)
    ):
        raise ValueError(
            "expected a local date and time such as 2017-11-10T12:00:00 "
            f"(the time zone is given by 'time_zone'), found {value!r}"
        )
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a real moment in time") from None


def _offset(moment: datetime) -> str:
    """``+01:00``: how far ``moment``'s clock is ahead of UTC."""
    return moment.isoformat()[-6:]


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{value}' is not a known time zone; expected an IANA name such as Europe/Amsterdam"
        ) from None
    return value


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError(f"'{value}' is not an e-mail address")
    return value


def _country(value: str) -> str:
    if not _COUNTRY.fullmatch(value):
        raise ValueError(
            f"expected a two-letter country code in capitals such as NL, found {value!r}"
        )
    return value


def _trade_register(value: str) -> str:
    if not _TRADE_REGISTER.fullmatch(value):
        raise ValueError(f"expected the 8 digits of a trade-register (KvK) number, found {value!r}")
    return value


def _ocid_prefix(value: str) -> str:
    if not _OCID_PREFIX.fullmatch(value):
        raise ValueError(
            "expected the ocid prefix the Open Contracting Partnership registered for the "
            f"authority: 'ocds-' and six lowercase letters or digits, found {value!r}"
        )
    return value


def _pdf_name(value: str) -> str:
    if "/" in value or "\\" in value or value.startswith("."):
        raise ValueError(
            f"'{value}' is not a plain file name; expected the name of a PDF in the bid's folder, "
            "without '/', '\\' or a leading '.'"
        )
    if not value.endswith(".pdf"):
        raise ValueError(f"expected a PDF file name ending in .pdf, found {value!r}")
    return value


def _name(value: str) -> str:
    if len(value) > NAME_CHARACTERS:
        raise ValueError(
            f"a name of {len(value):,} characters; at most {NAME_CHARACTERS} are accepted"
        )
    return value


def _plain_number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"expected a number, found {value!r}")
    return value


Slug = Annotated[str, AfterValidator(_slug)]
Date = Annotated[date, BeforeValidator(_iso_date)]
Timestamp = Annotated[datetime, BeforeValidator(_aware_timestamp)]
LocalTimestamp = Annotated[datetime, BeforeValidator(_local_timestamp)]
TimeZoneName = Annotated[str, AfterValidator(_time_zone)]
Email = Annotated[str, AfterValidator(_email)]
Text = Annotated[str, Field(min_length=1)]
Name = Annotated[Text, AfterValidator(_name)]
# Strict: YAML's true/false only (not 1, "yes" or "on"), and whole numbers only (not true).
Flag = Annotated[bool, Strict()]
Whole = Annotated[int, Strict()]
Number = Annotated[Decimal, BeforeValidator(_plain_number)]
Amount = Annotated[Decimal, BeforeValidator(_plain_number), Field(ge=0)]


# --- criteria/procedure.yaml ------------------------------------------------------------


class Address(Model):
    street: Text
    postal_code: Text
    city: Text
    country: Annotated[str, AfterValidator(_country)] = "NL"


class Contact(Model):
    name: Name
    email: Email
    phone: Text | None = None


class Authority(Model):
    name: Name
    address: Address
    contact: Contact
    website: Text | None = None


class Signatory(Model):
    name: Name
    title: Text


class Standstill(Model):
    """The standstill period (art. 2.127 Aw): at least 20 calendar days when statutory."""

    days: Annotated[Whole, Field(ge=1, le=365)] = 20
    statutory: Flag = True

    @model_validator(mode="after")
    def _statutory_minimum(self) -> Standstill:
        if self.statutory and self.days < 20:
            raise FieldValueError(
                "days", f"a statutory standstill lasts at least 20 calendar days, found {self.days}"
            )
        return self


class Framework(Model):
    """The framework agreement that the awarded bidders enter."""

    start: Date
    end: Date
    extensions: Annotated[Whole, Field(ge=0, le=10)] = 0
    extension_months: Annotated[Whole, Field(ge=1, le=120)] = 12
    parties_in_letter: Annotated[Whole, Field(ge=0)] = 100
    """Up to this many parties are listed in every letter; more are listed once, in an annex
    sent with every letter, so that a letter stays the same length however large the tender."""

    @model_validator(mode="after")
    def _ordered(self) -> Framework:
        if self.end <= self.start:
            raise FieldValueError("end", f"end {self.end} must come after start {self.start}")
        return self


class Lot(Model):
    id: Slug
    title: Text


class RequiredDocument(Model):
    """A document every bid must or may include; ``mandatory`` means on pain of exclusion."""

    id: Slug
    title: Text
    mandatory: Flag


class PlannedDates(Model):
    provisional_award: Date | None = None
    definitive_award: Date | None = None
    contract_start: Date | None = None


ProcedureType = Literal[
    "open", "restricted", "competitive-dialogue", "negotiated", "social-services"
]


class Procedure(Model):
    """criteria/procedure.yaml: the tender as announced."""

    reference: Text
    title: Text
    description: Text
    procedure: ProcedureType
    authority: Authority
    lots: Annotated[tuple[Lot, ...], Field(min_length=1)]
    framework: Framework
    deadline: LocalTimestamp
    time_zone: TimeZoneName
    standstill: Standstill = Standstill()
    language: Literal["nl", "en"] = "nl"
    extra_holidays: tuple[Date, ...] = ()
    signatory: Signatory
    court: Text
    documents: Annotated[tuple[RequiredDocument, ...], Field(min_length=1)]
    planned: PlannedDates = PlannedDates()
    ocid_prefix: Annotated[str, AfterValidator(_ocid_prefix)] | None = None
    """The authority's registered OCDS ocid prefix, for 'tender export ocds'."""

    @model_validator(mode="after")
    def _deadline_is_one_moment(self) -> Procedure:
        """The deadline names exactly one moment: not a time the clocks skip, and, in the hour
        they go back (which happens twice), with the offset that says which one is meant."""
        zone = ZoneInfo(self.time_zone)
        wall = self.deadline.replace(tzinfo=None)
        first, second = (wall.replace(tzinfo=zone, fold=fold) for fold in (0, 1))
        shown = f"{wall:%Y-%m-%d %H:%M}"
        if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
            raise FieldValueError(
                "deadline",
                f"{shown} does not exist in {self.time_zone}: the clocks skip that hour; "
                "choose a time outside it",
            )
        offsets = [_offset(first), _offset(second)]
        if self.deadline.tzinfo is None and offsets[0] != offsets[1]:
            raise FieldValueError(
                "deadline",
                f"{shown} happens twice in {self.time_zone} (the clocks go back an hour): "
                f"write its UTC offset, {wall.isoformat()}{offsets[0]} for the first time "
                f"or {wall.isoformat()}{offsets[1]} for the second",
            )
        if self.deadline.tzinfo is not None and _offset(self.deadline) not in offsets:
            raise FieldValueError(
                "deadline",
                f"{_offset(self.deadline)} is not the UTC offset of {self.time_zone} at {shown}, "
                f"which is {' or '.join(sorted(set(offsets)))}; write that, or no offset",
            )
        return self

    @property
    def deadline_at(self) -> datetime:
        """The deadline as an aware moment: the authority for lateness, to the second."""
        zone = ZoneInfo(self.time_zone)
        if self.deadline.tzinfo is None:
            return self.deadline.replace(tzinfo=zone)
        return self.deadline.astimezone(zone)

    def document(self, document_id: str) -> RequiredDocument | None:
        return next((doc for doc in self.documents if doc.id == document_id), None)


# --- criteria/committee.yaml ------------------------------------------------------------

Role = Literal["policy", "execution", "contract-management"]


PUBLIC_KEY_PATTERN = re.compile(r"ed25519:[A-Za-z0-9+/]{43}=")
"""A member's public signing key as committee.yaml holds it: Ed25519, 32 bytes in base64."""


def _public_key(value: str) -> str:
    if not PUBLIC_KEY_PATTERN.fullmatch(value):
        raise ValueError(
            "expected a public key line as 'tender key new' prints it "
            f"(ed25519: and 44 characters of base64), found {value[:60]!r}"
        )
    return value


PublicKey = Annotated[str, AfterValidator(_public_key)]


class Evaluator(Model):
    id: Slug
    name: Name
    role: Role
    key: PublicKey | None = None
    """Checks every entry the member signs; required before the bids are opened."""


class Officer(Model):
    """A member who does not score: a chair who only chairs, or the committee's secretary."""

    id: Slug
    name: Name
    key: PublicKey | None = None


class Conflict(Model):
    """A declared conflict of interest: the evaluator does not score that bid."""

    evaluator: Slug
    bid: Slug
    reason: Text
    declared: Date


class Committee(Model):
    """criteria/committee.yaml: who evaluates, who chairs, who may not score what."""

    chair: Slug
    evaluators: Annotated[tuple[Evaluator, ...], Field(min_length=1)]
    officers: tuple[Officer, ...] = ()
    """Members who do not score: the chair, when the chair does not score, and a secretary."""
    secretary: Slug | None = None
    """A non-scoring officer who, with the chair, may read individual scores before consensus."""
    group: Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_-]{0,31}$")] | None = None
    """The operating-system group that, with the owner, may read scores/ and reports/."""
    conflicts: tuple[Conflict, ...] = ()

    def evaluator(self, evaluator_id: str) -> Evaluator | None:
        return next((person for person in self.evaluators if person.id == evaluator_id), None)

    def member(self, member_id: str) -> Evaluator | Officer | None:
        """Anyone who acts for the committee: an evaluator or an officer."""
        return next((person for person in self.members if person.id == member_id), None)

    @property
    def members(self) -> tuple[Evaluator | Officer, ...]:
        return (*self.evaluators, *self.officers)

    def readers(self, author: str) -> tuple[str, ...]:
        """Who may read ``author``'s individual scores before consensus: they, the chair, the secretary."""
        return tuple(dict.fromkeys(p for p in (author, self.chair, self.secretary) if p))

    def is_conflicted(self, evaluator_id: str, bid_id: str) -> bool:
        return any(c.evaluator == evaluator_id and c.bid == bid_id for c in self.conflicts)


# --- criteria/suitability.yaml ----------------------------------------------------------

Category = Literal[
    "technical-professional", "economic-financial", "professional-authorisation", "exclusion"
]


class FieldCheck(Model):
    """A rule on one field of the bid's metadata; on a list, min and max count its items."""

    kind: Literal["field"]
    field: Text
    min: Number | None = None
    max: Number | None = None
    equals: str | int | Decimal | bool | None = None
    one_of: tuple[str | int | Decimal, ...] | None = None
    pattern: Text | None = None

    @model_validator(mode="after")
    def _has_rule(self) -> FieldCheck:
        rules = (self.min, self.max, self.equals, self.one_of, self.pattern)
        if all(rule is None for rule in rules):
            raise ValueError(
                "a field check has no rule; expected min, max, equals, one_of or pattern"
            )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise FieldValueError("min", f"min {self.min} is above max {self.max}")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as error:
                raise FieldValueError(
                    "pattern", f"{self.pattern!r} is not a valid regular expression: {error}"
                ) from None
        return self


class DocumentCheck(Model):
    """The bid includes the named document."""

    kind: Literal["document"]
    document: Slug


class DocumentAgeCheck(Model):
    """The document was issued no more than ``max_age_days`` before the deadline."""

    kind: Literal["document-age"]
    document: Slug
    max_age_days: Annotated[Whole, Field(ge=0, le=3650)]


class CertificateCheck(Model):
    """The bidder holds a certificate of this kind that is valid on the deadline date."""

    kind: Literal["certificate"]
    certificate: Slug


class ExclusionCheck(Model):
    """The ESPD form answers every listed exclusion ground with the expected answer."""

    kind: Literal["espd-exclusion"]
    document: Slug
    grounds: Annotated[tuple[Text, ...], Field(min_length=1)]
    expected: Text = "Nee"


Check = Annotated[
    FieldCheck | DocumentCheck | DocumentAgeCheck | CertificateCheck | ExclusionCheck,
    Field(discriminator="kind"),
]


class Requirement(Model):
    """A suitability requirement or exclusion ground: checked by the tool, a person, or both."""

    id: Slug
    category: Category
    title: Text
    description: Text | None = None
    check: Check | None = None
    person: Flag = False
    evidence: Text | None = None

    @model_validator(mode="after")
    def _verifiable(self) -> Requirement:
        if self.check is None and not self.person:
            raise ValueError(
                "a requirement has neither a 'check' nor 'person: true'; expected one or both"
            )
        if self.person and self.evidence is None:
            raise ValueError(
                "'person: true' without 'evidence'; name the evidence the person is to verify"
            )
        return self


class Suitability(Model):
    """criteria/suitability.yaml."""

    requirements: tuple[Requirement, ...] = ()


# --- criteria/award.yaml ----------------------------------------------------------------


class ScalePoint(Model):
    value: Number
    label: Text
    guidance: Text


class SubCriterion(Model):
    id: Slug
    title: Text
    description: Text
    weight: Annotated[Number, Field(gt=0)]
    max_pages: Annotated[Whole, Field(ge=1, le=500)] | None = None


class QualityPlan(Model):
    """Which document holds the quality plan, and whether it must be anonymous."""

    document: Slug
    anonymous: Flag = False


class WeightedMeanRule(Model):
    """The weighted mean of the final sub-criterion scores is at least ``min``."""

    kind: Literal["weighted-mean"]
    min: Number


class EachSubCriterionRule(Model):
    """Every final sub-criterion score is at least ``min``."""

    kind: Literal["each-sub-criterion"]
    min: Number


class SubCriterionRule(Model):
    """A knock-out minimum on one sub-criterion."""

    kind: Literal["sub-criterion"]
    sub_criterion: Slug
    min: Number


ThresholdRule = Annotated[
    WeightedMeanRule | EachSubCriterionRule | SubCriterionRule, Field(discriminator="kind")
]
DEFAULT_THRESHOLD: tuple[ThresholdRule, ...] = (
    WeightedMeanRule(kind="weighted-mean", min=Decimal(8)),
)


class AuditSettings(Model):
    """How strict ``tender audit`` is; every setting has a default, so the section is optional."""

    max_spread_steps: Annotated[Whole, Field(ge=0, le=100)] = 1
    """An item's individual scores may lie at most this many scale steps apart."""
    min_motivation_chars: Annotated[Whole, Field(ge=0, le=10_000)] = 40
    """A motivation shorter than this (in characters) is trivially short."""
    straight_lining_share: Annotated[Number, Field(ge=0, le=1)] = Decimal("0.3")
    """An evaluator who gives one score on every sub-criterion of this share of bids."""
    bias_steps: Annotated[Number, Field(ge=0, le=100)] = Decimal("0.4")
    """A mean deviation from the others of at least this many steps (and a CI without 0)."""


class AwardCriteria(Model):
    """criteria/award.yaml: how quality is scored and what it takes to be awarded."""

    quality_plan: QualityPlan
    scale: Annotated[tuple[ScalePoint, ...], Field(min_length=2)]
    sub_criteria: Annotated[tuple[SubCriterion, ...], Field(min_length=1)]
    final_score: Literal["consensus", "mean", "median"] = "consensus"
    threshold: Annotated[tuple[ThresholdRule, ...], Field(min_length=1)] = DEFAULT_THRESHOLD
    score_all_bids: Flag = False
    """Score bids even when they are invalid or unsuitable (e.g. to rule on an objection)."""
    audit: AuditSettings = AuditSettings()

    @property
    def scale_values(self) -> tuple[Decimal, ...]:
        return tuple(point.value for point in self.scale)

    def sub_criterion(self, sub_criterion_id: str) -> SubCriterion | None:
        return next((sub for sub in self.sub_criteria if sub.id == sub_criterion_id), None)


# --- submissions/<bid>/bid.yaml ----------------------------------------------------------


class Bidder(Model):
    name: Name
    trade_register: Annotated[str, AfterValidator(_trade_register)] | None = None
    address: Address
    contact: Contact


class Financials(Model):
    annual_turnover_eur: Amount
    equity_ratio: Annotated[Number, Field(ge=-10, le=1)] | None = None


class Insurance(Model):
    insurer: Name
    professional_liability_eur: Amount
    valid_until: Date


class Reference(Model):
    client: Name
    service: Text
    year: Annotated[Whole, Field(ge=1900, le=2100)]


class Certificate(Model):
    kind: Slug
    number: Text
    issuer: Name
    valid_from: Date
    valid_until: Date

    @model_validator(mode="after")
    def _ordered(self) -> Certificate:
        if self.valid_until < self.valid_from:
            raise FieldValueError(
                "valid_until", f"{self.valid_until} is before valid_from {self.valid_from}"
            )
        return self

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until


class SubmittedDocument(Model):
    """One PDF of the bid: a plain file name inside the bid's folder."""

    file: Annotated[str, AfterValidator(_pdf_name)]
    issued: Date | None = None


class BidMetadata(Model):
    """submissions/<bid>/bid.yaml: what the bidder declared, and which PDF is which."""

    bidder: Bidder
    received: Timestamp
    financials: Financials
    insurance: Insurance | None = None
    references: tuple[Reference, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    documents: Mapping[Slug, SubmittedDocument]
