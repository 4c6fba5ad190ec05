"""The evaluation as an OCDS 1.1 release package (Open Contracting Data Standard).

One release, built from a :class:`~tender.present.exports.Snapshot`, with the tender and
its criteria, the parties, every bid with its status, and the awards. It declares
the extensions it uses: bids (``ocds_bid_extension`` v1.1.5), award criteria and
selection criteria. Where the issue left choices open, they are made so:

- **ocid.** ``<prefix>-<reference>``. The prefix is the authority's registered
  prefix, ``ocid_prefix`` in ``criteria/procedure.yaml``. Without one the ocid
  starts with :data:`UNREGISTERED_PREFIX`, which no validator accepts as a
  registered prefix (libcoveocds reports it as a badly formatted prefix): a
  placeholder that cannot pass for a real one.
- **Release.** Tags ``tender`` (and ``award`` once decisions are taken). The
  release ``date`` and the package's ``publishedDate`` are the moment of the
  record's last entry (for a package made on demand, the standard asks for the
  last change to its contents), or the deadline for an empty record; the release
  ``id`` is a digest of the release's content, so the same record gives the same
  release, byte for byte.
- **Dates.** Timestamps keep their offset; a day (a dispatch date, a standstill
  end) is given as its first second in the procedure's time zone, or its last
  second for the end of a period.
- **Bids** (bid extension). ``valid`` for a bid that passed validity and
  suitability (whether or not it reached the threshold), ``disqualified`` for an
  invalid, excluded or unsuitable one, ``pending`` while suitability verdicts are
  outstanding. No bid values: prices are fixed, and nothing is invented.
- **Awards.** One per awarded bid (every party to the framework agreement gets
  its own, each with ``relatedBid``): ``pending`` while the award is provisional,
  ``active`` once the definitive award letters are recorded as sent. The award
  ``date`` is the day the letters in force were sent (the definitive ones for an
  active award), and absent while no letters went out.
- **Standstill.** OCDS 1.1 has no standstill field. ``tender.awardPeriod`` runs
  from the deadline (evaluation starts) to the end of the standstill period, the
  day the award decision becomes final; a tender milestone (code
  ``standstillPeriodEnd``) describes the period itself, scheduled until the
  definitive award is sent. Before letters are sent these are the dates for the
  planned provisional award date. ``tender.contractPeriod`` and each award's are
  the framework agreement's term, ``maxExtentDate`` with every extension.
- **Criteria.** Suitability requirements become ``tender.selectionCriteria``:
  technical and professional ability → ``technical``, economic and financial
  standing → ``economic``, professional authorisation (trade register) →
  ``suitability``; a numeric minimum becomes ``minimum`` and a ``minimumScore``
  number. Exclusion grounds are not selection criteria: they are listed in
  ``tender.eligibilityCriteria``. The quality sub-criteria with their weights
  (``percentageExact``) and any per-criterion minimum (``minimumScore``) go to each
  lot's ``awardCriteria``, as the award criteria extension defines it on lots;
  ``tender.awardCriteria`` is ``qualityOnly`` and ``awardCriteriaDetails`` gives
  the scale, the weights and the threshold in words. The lots extension itself is
  not declared (it cannot be used offline), so validators list ``tender.lots``
  as an additional field; the tests validate each lot's award criteria against
  the extension's schema.
- **Parties.** The authority (``buyer`` and ``procuringEntity``), the court where
  summary proceedings are brought (``reviewBody``), and every bidder
  (``tenderer``, and ``supplier`` when awarded), identified by its trade-register
  number in scheme ``NL-KVK`` (party id ``NL-KVK-<number>``). Neither the
  committee nor its scores appear, nor any contact person of a bidder.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from tender.award.decisions import Decision
from tender.bids.suitability import BidAssessment, Standing
from tender.domain.dossier import Dossier, Submission
from tender.domain.models import (
    Address,
    CertificateCheck,
    DocumentAgeCheck,
    DocumentCheck,
    EachSubCriterionRule,
    FieldCheck,
    Requirement,
    SubCriterionRule,
)
from tender.present.exports import Snapshot
from tender.present.render import Language, day_text, score_text

OCDS_VERSION = "1.1"
EXTENSION_URLS: Mapping[str, str] = {
    "bids": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "awardCriteria": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_awardCriteria_extension/master/extension.json",
    "selectionCriteria": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_selectionCriteria_extension/master/extension.json",
}
UNREGISTERED_PREFIX = "ocds-UNREGISTERED"
"""The ocid prefix used while the dossier names none: deliberately not a valid registered prefix."""
TRADE_REGISTER_SCHEME = "NL-KVK"
BUYER_ID = "authority"
REVIEW_BODY_ID = "review-body"
STANDSTILL_MILESTONE = "standstillPeriodEnd"

BID_STATUS: Mapping[Standing, str] = {
    "invalid": "disqualified",
    "excluded": "disqualified",
    "unsuitable": "disqualified",
    "pending": "pending",
    "suitable": "valid",
}
SELECTION_TYPE = {
    "technical-professional": "technical",
    "economic-financial": "economic",
    "professional-authorisation": "suitability",
}
PROCUREMENT_METHOD = {
    "open": "open",
    "restricted": "selective",
    "competitive-dialogue": "selective",
    "negotiated": "limited",
}
_COUNTRIES: Mapping[str, Mapping[Language, str]] = {
    "NL": {"nl": "Nederland", "en": "Netherlands"},
    "BE": {"nl": "België", "en": "Belgium"},
    "DE": {"nl": "Duitsland", "en": "Germany"},
    "LU": {"nl": "Luxemburg", "en": "Luxembourg"},
}
_METHOD_DETAILS: Mapping[str, Mapping[Language, str]] = {
    "open": {"nl": "Europese openbare procedure", "en": "European open procedure"},
    "restricted": {"nl": "Europese niet-openbare procedure", "en": "European restricted procedure"},
    "competitive-dialogue": {"nl": "Concurrentiegerichte dialoog", "en": "Competitive dialogue"},
    "negotiated": {
        "nl": "Mededingingsprocedure met onderhandeling",
        "en": "Competitive procedure with negotiation",
    },
    "social-services": {
        "nl": "Procedure voor sociale en andere specifieke diensten",
        "en": "Procedure for social and other specific services",
    },
}
_WORDS: Mapping[Language, Mapping[str, str]] = {
    "nl": {
        "award_details": (
            "Gunning op kwaliteit alleen (de prijzen liggen vast). Elk subgunningscriterium "
            "wordt gescoord op de schaal {scale}; de eindscore per subgunningscriterium is {method}. "
            "Wegingen: {weights}. Een raamovereenkomst wordt gegund aan elke geschikte "
            "inschrijver die voldoet aan: {rules}."
        ),
        "consensus": "de consensusscore van de beoordelingscommissie",
        "mean": "het gemiddelde van de individuele scores",
        "median": "de mediaan van de individuele scores",
        "weighted-mean": "een gewogen gemiddelde van ten minste {min}",
        "each-sub-criterion": "op elk subgunningscriterium ten minste {min}",
        "sub-criterion": "op '{title}' ten minste {min}",
        "exclusion": "Uitsluitingsgronden: {grounds}.",
        "field": "Controle van het gegeven '{field}' in de inschrijving",
        "document": "Controle dat '{title}' is ingediend en leesbaar is",
        "document-age": "Controle dat '{title}' op de sluitingsdatum niet ouder is dan {days} dagen",
        "certificate": "Controle dat het certificaat '{certificate}' op de sluitingsdatum geldig is",
        "person": "beoordeeld door de beoordelingscommissie: {evidence}",
        "milestone": "Einde opschortende termijn",
        "standstill": (
            "Opschortende termijn van {days} kalenderdagen (art. 2.127 Aanbestedingswet 2012) na "
            "verzending van de voorlopige gunningsbeslissing op {sent}: van {first} tot en met {end}."
        ),
        "extended": " Verlengd volgens de Algemene termijnenwet ({skipped}).",
        "contractual": " De termijn is contractueel; zonder verlenging eindigt hij op {plain}.",
        "planned": " Gepland: de gunningsbeslissing is nog niet verzonden.",
        "planned_day": "gepland",
    },
    "en": {
        "award_details": (
            "Award on quality alone (prices are fixed). Each sub-criterion is scored on the "
            "scale {scale}; the final score per sub-criterion is {method}. Weights: {weights}. "
            "A framework agreement is awarded to every suitable bidder that meets: {rules}."
        ),
        "consensus": "the evaluation committee's consensus score",
        "mean": "the mean of the individual scores",
        "median": "the median of the individual scores",
        "weighted-mean": "a weighted mean of at least {min}",
        "each-sub-criterion": "at least {min} on every sub-criterion",
        "sub-criterion": "at least {min} on '{title}'",
        "exclusion": "Exclusion grounds: {grounds}.",
        "field": "Check of the field '{field}' of the bid",
        "document": "Check that '{title}' was submitted and can be read",
        "document-age": "Check that '{title}' is at most {days} days old at the deadline",
        "certificate": "Check that the '{certificate}' certificate is valid on the deadline date",
        "person": "verified by the evaluation committee: {evidence}",
        "milestone": "End of the standstill period",
        "standstill": (
            "Standstill period of {days} calendar days (art. 2.127 Aanbestedingswet 2012) after "
            "the provisional award decision was sent on {sent}: from {first} up to and including "
            "{end}."
        ),
        "extended": " Extended under the Algemene termijnenwet ({skipped}).",
        "contractual": " The period is contractual; without extension it ends on {plain}.",
        "planned": " Planned: the award decision has not been sent yet.",
        "planned_day": "planned",
    },
}


def ocid(dossier: Dossier) -> str:
    """The Open Contracting ID: the authority's registered prefix (or the placeholder) and reference."""
    prefix = dossier.procedure.ocid_prefix or UNREGISTERED_PREFIX
    return f"{prefix}-{dossier.procedure.reference}"


def release_package(snapshot: Snapshot, *, uri: str | None = None) -> dict[str, Any]:
    """A release package holding one release of the contracting process as the record has it.

    ``uri`` is where the package will be published; without it the package gets a
    ``urn:uuid:`` made from its release, unique but not a place to fetch it from.
    """
    release = build_release(snapshot)
    used = ["bids", "awardCriteria"]
    if "selectionCriteria" in release["tender"]:
        used.append("selectionCriteria")
    identity = uuid.uuid5(uuid.NAMESPACE_URL, f"{release['ocid']}/{release['id']}")
    return {
        "uri": uri or f"urn:uuid:{identity}",
        "version": OCDS_VERSION,
        "extensions": [EXTENSION_URLS[name] for name in used],
        "publishedDate": release["date"],
        "publisher": {"name": snapshot.evaluation.dossier.procedure.authority.name},
        "releases": [release],
    }


def package_bytes(package: Mapping[str, Any]) -> bytes:
    """The package as UTF-8 JSON, indented, with a final newline."""
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def build_release(snapshot: Snapshot) -> dict[str, Any]:
    """The release; its ``id`` is a digest of everything else in it."""
    evaluation = snapshot.evaluation
    dossier = evaluation.dossier
    procedure = dossier.procedure
    decisions = snapshot.decisions
    awarded = {decision.bid for decision in decisions or () if decision.awarded}
    parties, refs = _parties(dossier, awarded)
    awards = _awards(snapshot, decisions, refs) if decisions is not None else []
    tags = ["tender", "award"] if awards else ["tender"]
    moment = snapshot.head.at or procedure.deadline_at
    body: dict[str, Any] = {
        "ocid": ocid(dossier),
        "date": moment.isoformat(),
        "tag": tags,
        "initiationType": "tender",
        "language": procedure.language,
        "parties": parties,
        "buyer": {"id": BUYER_ID, "name": procedure.authority.name},
        "tender": _tender(snapshot, refs),
        "bids": _bids(dossier, evaluation.assessments, refs),
    }
    if awards:
        body["awards"] = awards
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return {"ocid": body.pop("ocid"), "id": f"{tags[-1]}-{digest[:16]}", **body}


# --- parties -----------------------------------------------------------------------------


def _parties(
    dossier: Dossier, awarded: set[str]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
    """Every party, and a reference ``{id, name}`` to the bidder behind each bid."""
    procedure = dossier.procedure
    language = procedure.language
    authority = procedure.authority
    contact: dict[str, str] = {"name": authority.contact.name, "email": authority.contact.email}
    if authority.contact.phone:
        contact["telephone"] = authority.contact.phone
    if authority.website:
        contact["url"] = authority.website
    parties: list[dict[str, Any]] = [
        {
            "id": BUYER_ID,
            "name": authority.name,
            "address": _address(authority.address, language),
            "contactPoint": contact,
            "roles": ["buyer", "procuringEntity"],
        },
        {"id": REVIEW_BODY_ID, "name": procedure.court, "roles": ["reviewBody"]},
    ]
    bidders: dict[str, dict[str, Any]] = {}
    refs: dict[str, dict[str, str]] = {}
    for submission in dossier.submissions:
        party = _bidder(submission, language)
        party = bidders.setdefault(party["id"], party)
        if submission.id in awarded and "supplier" not in party["roles"]:
            party["roles"].append("supplier")
        refs[submission.id] = {"id": party["id"], "name": party["name"]}
    return parties + list(bidders.values()), refs


def _bidder(submission: Submission, language: Language) -> dict[str, Any]:
    bidder = submission.metadata.bidder
    party: dict[str, Any] = {"name": bidder.name}
    if bidder.trade_register:
        party["id"] = f"{TRADE_REGISTER_SCHEME}-{bidder.trade_register}"
        party["identifier"] = {
            "scheme": TRADE_REGISTER_SCHEME,
            "id": bidder.trade_register,
            "legalName": bidder.name,
        }
    else:
        party["id"] = f"tenderer-{submission.id}"
    party["address"] = _address(bidder.address, language)
    party["roles"] = ["tenderer"]
    return {"id": party.pop("id"), **party}


def _address(address: Address, language: Language) -> dict[str, str]:
    country = _COUNTRIES.get(address.country, {}).get(language, address.country)
    return {
        "streetAddress": address.street,
        "postalCode": address.postal_code,
        "locality": address.city,
        "countryName": country,
    }


# --- tender ------------------------------------------------------------------------------


def _tender(snapshot: Snapshot, refs: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    dossier = snapshot.evaluation.dossier
    procedure = dossier.procedure
    language = procedure.language
    zone = ZoneInfo(procedure.time_zone)
    deadline = procedure.deadline_at.isoformat()
    tenderers = list({ref["id"]: dict(ref) for ref in refs.values()}.values())
    tender: dict[str, Any] = {
        "id": procedure.reference,
        "title": procedure.title,
        "description": procedure.description,
        "status": "complete" if snapshot.definitive_sent else "active",
        "procuringEntity": {"id": BUYER_ID, "name": procedure.authority.name},
    }
    method = PROCUREMENT_METHOD.get(procedure.procedure)
    if method:
        tender["procurementMethod"] = method
    tender["procurementMethodDetails"] = _METHOD_DETAILS[procedure.procedure][language]
    tender["awardCriteria"] = "qualityOnly"
    tender["awardCriteriaDetails"] = _award_details(dossier)
    exclusion = [
        req.title for req in dossier.suitability.requirements if req.category == "exclusion"
    ]
    if exclusion:
        grounds = "; ".join(exclusion)
        tender["eligibilityCriteria"] = _WORDS[language]["exclusion"].format(grounds=grounds)
    selection = [
        _selection_criterion(dossier, requirement)
        for requirement in dossier.suitability.requirements
        if requirement.category != "exclusion"
    ]
    if selection:
        tender["selectionCriteria"] = {"criteria": selection}
    tender["tenderPeriod"] = {"endDate": deadline}
    award_period: dict[str, str] = {"startDate": deadline}
    end = snapshot.standstill_end
    if end is not None:
        award_period["endDate"] = _last_second(end, zone)
    tender["awardPeriod"] = award_period
    tender["contractPeriod"] = _contract_period(dossier)
    tender["numberOfTenderers"] = len(tenderers)
    tender["tenderers"] = tenderers
    milestone = _standstill_milestone(snapshot)
    if milestone:
        tender["milestones"] = [milestone]
    award_criteria = _award_criteria(dossier)
    tender["lots"] = [
        {"id": lot.id, "title": lot.title, "awardCriteria": award_criteria}
        for lot in procedure.lots
    ]
    return tender


def _award_details(dossier: Dossier) -> str:
    award = dossier.award
    language = dossier.procedure.language
    words = _WORDS[language]
    scale = ", ".join(f"{score_text(p.value, language)} ({p.label})" for p in award.scale)
    weights = ", ".join(f"{sub.title} {_plain(sub.weight)}%" for sub in award.sub_criteria)
    rules = []
    for rule in award.threshold:
        minimum = score_text(rule.min, language)
        if isinstance(rule, SubCriterionRule):
            sub = award.sub_criterion(rule.sub_criterion)
            title = sub.title if sub else rule.sub_criterion
            rules.append(words["sub-criterion"].format(min=minimum, title=title))
        else:
            rules.append(words[rule.kind].format(min=minimum))
    return words["award_details"].format(
        scale=scale,
        method=words[award.final_score],
        weights=weights,
        rules="; ".join(rules),
    )


def _award_criteria(dossier: Dossier) -> dict[str, Any]:
    award = dossier.award
    criteria = []
    for sub in award.sub_criteria:
        numbers: list[dict[str, Any]] = [
            {"number": _number(sub.weight), "weight": "percentageExact"}
        ]
        minimums = sorted(
            {
                rule.min
                for rule in award.threshold
                if isinstance(rule, EachSubCriterionRule)
                or (isinstance(rule, SubCriterionRule) and rule.sub_criterion == sub.id)
            }
        )
        if minimums:
            numbers.append({"number": _number(minimums[-1]), "threshold": "minimumScore"})
        criteria.append(
            {
                "type": "quality",
                "name": sub.title,
                "description": sub.description,
                "numbers": numbers,
            }
        )
    return {"criteria": criteria}


def _selection_criterion(dossier: Dossier, requirement: Requirement) -> dict[str, Any]:
    criterion: dict[str, Any] = {
        "type": SELECTION_TYPE[requirement.category],
        "description": requirement.title
        if requirement.description is None
        else f"{requirement.title}. {requirement.description}",
        "appliesTo": ["supplier"],
    }
    check = requirement.check
    if isinstance(check, FieldCheck) and check.min is not None:
        criterion["minimum"] = _plain(check.min)
        criterion["numbers"] = [{"number": _number(check.min), "threshold": "minimumScore"}]
    criterion["verificationMethod"] = _verification(dossier, requirement)
    return criterion


def _verification(dossier: Dossier, requirement: Requirement) -> str:
    words = _WORDS[dossier.procedure.language]
    check = requirement.check
    parts = []
    if isinstance(check, FieldCheck):
        parts.append(words["field"].format(field=check.field))
    elif isinstance(check, DocumentCheck | DocumentAgeCheck):
        document = dossier.procedure.document(check.document)
        title = document.title if document else check.document
        if isinstance(check, DocumentAgeCheck):
            parts.append(words["document-age"].format(title=title, days=check.max_age_days))
        else:
            parts.append(words["document"].format(title=title))
    elif isinstance(check, CertificateCheck):
        parts.append(words["certificate"].format(certificate=check.certificate))
    if requirement.person and requirement.evidence:
        parts.append(words["person"].format(evidence=requirement.evidence))
    return "; ".join(parts)


def _contract_period(dossier: Dossier) -> dict[str, str]:
    framework = dossier.procedure.framework
    zone = ZoneInfo(dossier.procedure.time_zone)
    period = {
        "startDate": _first_second(framework.start, zone),
        "endDate": _last_second(framework.end, zone),
    }
    if framework.extensions:
        months = framework.extensions * framework.extension_months
        period["maxExtentDate"] = _last_second(framework.end + relativedelta(months=months), zone)
    return period


def _standstill_milestone(snapshot: Snapshot) -> dict[str, Any] | None:
    period = snapshot.standstill
    end = snapshot.standstill_end
    if period is None or end is None:
        return None
    dossier = snapshot.evaluation.dossier
    language = dossier.procedure.language
    zone = ZoneInfo(dossier.procedure.time_zone)
    words = _WORDS[language]
    sent = day_text(period.sent, language)
    if snapshot.dispatch is None:
        sent += " (" + words["planned_day"] + ")"
    text = words["standstill"].format(
        days=period.days,
        sent=sent,
        first=day_text(period.first_day, language),
        end=day_text(end, language),
    )
    if period.statutory and period.skipped:
        names = ", ".join(
            f"{day_text(off.day, language)}: {off.name_nl if language == 'nl' else off.name_en}"
            for off in period.skipped
        )
        text += words["extended"].format(skipped=names)
    elif not period.statutory and period.extended_end != period.plain_end:
        text += words["contractual"].format(plain=day_text(period.plain_end, language))
    if snapshot.dispatch is None:
        text += words["planned"]
    milestone: dict[str, Any] = {
        "id": "standstill",
        "title": words["milestone"],
        "code": STANDSTILL_MILESTONE,
        "description": text,
        "dueDate": _last_second(end, zone),
        "status": "met" if snapshot.definitive_sent else "scheduled",
    }
    if snapshot.definitive_sent:
        milestone["dateMet"] = _last_second(end, zone)
    return milestone


# --- bids and awards ---------------------------------------------------------------------


def _bids(
    dossier: Dossier,
    assessments: Sequence[BidAssessment],
    refs: Mapping[str, Mapping[str, str]],
) -> dict[str, Any]:
    by_bid = {assessment.bid: assessment for assessment in assessments}
    details: list[dict[str, Any]] = []
    statuses: dict[str, set[str]] = {}
    for submission in dossier.submissions:
        status = BID_STATUS[by_bid[submission.id].standing]
        ref = refs[submission.id]
        statuses.setdefault(ref["id"], set()).add(status)
        details.append(
            {
                "id": submission.id,
                "date": submission.metadata.received.isoformat(),
                "status": status,
                "tenderers": [dict(ref)],
            }
        )
    statistics = [
        ("bids", len(details)),
        ("validBids", sum(1 for detail in details if detail["status"] == "valid")),
        ("bidders", len(statuses)),
        ("qualifiedBidders", sum(1 for found in statuses.values() if "valid" in found)),
        (
            "disqualifiedBidders",
            sum(1 for found in statuses.values() if found == {"disqualified"}),
        ),
    ]
    return {
        "statistics": [
            {"id": measure, "measure": measure, "value": value} for measure, value in statistics
        ],
        "details": details,
    }


def _awards(
    snapshot: Snapshot,
    decisions: Sequence[Decision],
    refs: Mapping[str, Mapping[str, str]],
) -> list[dict[str, Any]]:
    dossier = snapshot.evaluation.dossier
    zone = ZoneInfo(dossier.procedure.time_zone)
    dispatch = snapshot.dispatch
    definitive = snapshot.definitive_sent
    day = definitive or (dispatch.sent if dispatch else None)
    contract_period = _contract_period(dossier)
    awards = []
    for decision in decisions:
        if not decision.awarded:
            continue
        award: dict[str, Any] = {
            "id": f"award-{decision.bid}",
            "title": dossier.procedure.title,
            "status": "active" if definitive else "pending",
        }
        if day is not None:
            award["date"] = _first_second(day, zone)
        award["suppliers"] = [dict(refs[decision.bid])]
        award["contractPeriod"] = contract_period
        award["relatedBid"] = decision.bid
        awards.append(award)
    return awards


# --- values ------------------------------------------------------------------------------


def _first_second(day: date, zone: ZoneInfo) -> str:
    return datetime.combine(day, time(0, 0, 0), zone).isoformat()


def _last_second(day: date, zone: ZoneInfo) -> str:
    return datetime.combine(day, time(23, 59, 59), zone).isoformat()


def _number(value: Decimal) -> int | float:
    """A JSON number: whole numbers as integers."""
    return int(value) if value == value.to_integral_value() else float(value)


def _plain(value: Decimal) -> str:
    """A decimal as plain text without exponent or trailing zeros: 2500000, 7.5."""
    return format(value.normalize(), "f") if value != 0 else "0"
