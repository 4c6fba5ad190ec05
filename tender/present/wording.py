"""The reasons behind an outcome, worded for a letter in Dutch or English.

A :class:`~tender.domain.findings.Finding` carries a stable rule code and its figures;
this module turns them into a sentence in the letter's language, with dates,
amounts and scores written as a reader of that language expects. A rule code
without wording is an error (:class:`~tender.present.render.RenderError`), never a
letter with a gap: a test walks every code the stages can produce.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from tender.domain.findings import Figure, Finding
from tender.present.render import (
    Language,
    RenderError,
    day_text,
    euro_text,
    moment_text,
    score_text,
)

_SENTENCES: Mapping[str, Mapping[Language, str]] = {
    "late": {
        "nl": "uw inschrijving is ontvangen op {received}, {late_by} na de sluitingstermijn van {deadline}; te laat ontvangen inschrijvingen worden niet beoordeeld",
        "en": "your bid was received on {received}, {late_by} after the deadline of {deadline}; late bids are not evaluated",
    },
    "document-missing": {
        "nl": "het document '{document}' ontbreekt in uw inschrijving",
        "en": "your bid does not include the document '{document}'",
    },
    "document-unreadable": {
        "nl": "het document '{document}' ({file}) kon niet worden geopend en geldt daarom als niet ingediend",
        "en": "the document '{document}' ({file}) could not be opened and therefore counts as not submitted",
    },
    "not-anonymous": {
        "nl": "het kwaliteitsplan moest anoniem zijn, maar vermeldt op pagina {page} uw {identifies_by}",
        "en": "the quality plan had to be anonymous, but page {page} gives your {identifies_by}",
    },
    "field-missing": {
        "nl": "uw inschrijving vermeldt geen {field}",
        "en": "your bid does not state the {field}",
    },
    "field-min": {
        "nl": "opgegeven: {value}; vereist: ten minste {min}",
        "en": "stated: {value}; required: at least {min}",
    },
    "field-max": {
        "nl": "opgegeven: {value}; toegestaan: ten hoogste {max}",
        "en": "stated: {value}; allowed: at most {max}",
    },
    "field-equals": {
        "nl": "opgegeven: {value}; vereist: {equals}",
        "en": "stated: {value}; required: {equals}",
    },
    "field-one-of": {
        "nl": "opgegeven: {value}; vereist: een van {one_of}",
        "en": "stated: {value}; required: one of {one_of}",
    },
    "field-pattern": {
        "nl": "opgegeven: {value}; dit voldoet niet aan de gevraagde vorm",
        "en": "stated: {value}; this is not in the required form",
    },
    "document-issue-date-missing": {
        "nl": "de datum van het document '{document}' is niet opgegeven, zodat niet blijkt dat het actueel is",
        "en": "the date of the document '{document}' is not given, so it does not show that it is recent",
    },
    "document-issued-after-deadline": {
        "nl": "het document '{document}' is gedateerd {issued}, na de sluitingsdatum {deadline_date}",
        "en": "the document '{document}' is dated {issued}, after the deadline date {deadline_date}",
    },
    "document-age": {
        "nl": "het document '{document}' is afgegeven op {issued}, {age_days} dagen voor de sluitingsdatum {deadline_date}; toegestaan is ten hoogste {max_age_days} dagen",
        "en": "the document '{document}' was issued on {issued}, {age_days} days before the deadline date {deadline_date}; at most {max_age_days} days are allowed",
    },
    "certificate-missing": {
        "nl": "uw inschrijving vermeldt geen {certificate}-certificaat",
        "en": "your bid lists no {certificate} certificate",
    },
    "certificate-not-valid": {
        "nl": "het {certificate}-certificaat {number} ({issuer}) is geldig van {valid_from} tot en met {valid_until} en was dus niet geldig op de sluitingsdatum {deadline_date}",
        "en": "the {certificate} certificate {number} ({issuer}) runs from {valid_from} to {valid_until} inclusive, so it was not valid on the deadline date {deadline_date}",
    },
    "espd-unanswered": {
        "nl": "het UEA beantwoordt de uitsluitingsgrond '{ground}' niet",
        "en": "the ESPD does not answer the exclusion ground '{ground}'",
    },
    "espd-answer": {
        "nl": "u hebt in het UEA bij de uitsluitingsgrond '{ground}' '{answer}' geantwoord",
        "en": "in the ESPD you answered '{answer}' to the exclusion ground '{ground}'",
    },
    "verdict": {
        "nl": "de beoordelingscommissie heeft deze eis beoordeeld als niet voldaan: {reason}",
        "en": "the evaluation committee found this requirement not met: {reason}",
    },
    "threshold.weighted-mean": {
        "nl": "het gewogen gemiddelde van uw scores is {value}; vereist is ten minste {minimum}",
        "en": "the weighted mean of your scores is {value}; at least {minimum} is required",
    },
    "threshold.each-sub-criterion": {
        "nl": "uw score op '{sub_criterion}' is {value}; op elk subgunningscriterium is ten minste {minimum} vereist",
        "en": "your score on '{sub_criterion}' is {value}; at least {minimum} is required on every sub-criterion",
    },
    "threshold.sub-criterion": {
        "nl": "uw score op '{sub_criterion}' is {value}; daarop is ten minste {minimum} vereist",
        "en": "your score on '{sub_criterion}' is {value}; at least {minimum} is required on it",
    },
}

_FIELDS = {
    "bidder.trade_register": {"nl": "KvK-nummer", "en": "trade-register number"},
    "financials.annual_turnover_eur": {"nl": "jaaromzet", "en": "annual turnover"},
    "financials.equity_ratio": {"nl": "solvabiliteit", "en": "equity ratio"},
    "insurance.professional_liability_eur": {
        "nl": "verzekerd bedrag beroepsaansprakelijkheid",
        "en": "professional liability cover",
    },
    "insurance.valid_until": {"nl": "einddatum verzekering", "en": "insurance end date"},
    "references": {"nl": "referenties", "en": "references"},
    "certificates": {"nl": "certificaten", "en": "certificates"},
}
"""Names of bid.yaml fields in a letter; a field not listed is named by its path."""

_IDENTIFIES = {
    "name": {"nl": "naam", "en": "name"},
    "trade_register": {"nl": "KvK-nummer", "en": "trade-register number"},
}

WORDED_RULES = frozenset(_SENTENCES)


def reason_text(
    finding: Finding,
    language: Language,
    *,
    titles: Mapping[str, str] | None = None,
) -> str:
    """The finding as a sentence in ``language``; ``titles`` names documents and sub-criteria."""
    sentences = _SENTENCES.get(finding.rule)
    if sentences is None:
        raise RenderError(f"no {language} wording for the reason '{finding.rule}'")
    money = str(finding.figures.get("field", "")).endswith("_eur")
    values = {
        key: _figure(key, value, language, titles or {}, money=money)
        for key, value in finding.figures.items()
    }
    if finding.page is not None:
        values.setdefault("page", str(finding.page))
    if finding.rule == "late":
        values["late_by"] = _duration(finding.figures["late_by_seconds"], language)
    try:
        return sentences[language].format_map(values)
    except KeyError as missing:
        raise RenderError(f"the reason '{finding.rule}' lacks the figure {missing}") from None


def _figure(
    key: str, value: Figure, language: Language, titles: Mapping[str, str], *, money: bool
) -> str:
    if key == "identifies_by" and isinstance(value, str):
        return _IDENTIFIES.get(value, {}).get(language, value)
    if key == "field" and isinstance(value, str):
        return _FIELDS.get(value, {}).get(language, value)
    if isinstance(value, datetime):
        return moment_text(value, language)
    if isinstance(value, date):
        return day_text(value, language)
    if key in ("document", "sub_criterion", "title") and isinstance(value, str):
        return titles.get(value, value)
    if key in ("value", "minimum") and isinstance(value, str):
        try:
            return score_text(Fraction(value), language)
        except ValueError:  # not a score: the words that named the bidder in its plan
            return value
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return euro_text(value, language) if money else _number(value, language)
    return "" if value is None else str(value)


def _number(value: Decimal | int, language: Language) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",") if language == "nl" else text


def _duration(seconds: Figure, language: Language) -> str:
    total = Decimal(str(seconds))
    whole = int(total)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    names = {
        "nl": (("uur", "uur"), ("minuut", "minuten"), ("seconde", "seconden")),
        "en": (("hour", "hours"), ("minute", "minutes"), ("second", "seconds")),
    }[language]
    parts = [
        f"{amount} {name[0] if amount == 1 else name[1]}"
        for amount, name in zip((hours, minutes, secs), names, strict=True)
        if amount
    ]
    if not parts:
        fraction = format(total.normalize(), "f")
        return f"{fraction} {names[2][1]}"
    joiner = " en " if language == "nl" else " and "
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + joiner + parts[-1]
