"""Suitability and exclusion: each kind of check, person verdicts with history, the outcome order."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tender.bids.suitability import (
    BidAssessment,
    assess,
    bids_not_scored,
    record_verdict,
)
from tender.domain.dossier import Dossier
from tender.domain.errors import DossierError, RefusedError
from tender.domain.findings import Finding
from tender.io.loader import load_dossier
from tender.io.pdfworkers import Limits
from tender.record.book import ScoreBook
from tender.record.replay import read_book
from tests.conftest import VALID_BID, DossierFactory
from tests.keys import acting_recorder, signers
from tests.pdf_fixtures import LONG_PDF, bid_files, form_pdf, template, text_pdf
from tests.scoring_fixtures import open_bids

SUITABILITY = """\
requirements:
  - id: handelsregister
    category: professional-authorisation
    title: Ingeschreven in het Handelsregister
    check: {kind: field, field: bidder.trade_register, pattern: "^[0-9]{8}$"}
  - id: kvk-actueel
    category: professional-authorisation
    title: Uittreksel niet ouder dan zes maanden
    check: {kind: document-age, document: kvk-uittreksel, max_age_days: 183}
  - id: omzet
    category: economic-financial
    title: Omzet tussen 100.000 en 5.000.000
    check: {kind: field, field: financials.annual_turnover_eur, min: 100000, max: 5000000}
  - id: land
    category: professional-authorisation
    title: Gevestigd in NL of BE
    check: {kind: field, field: bidder.address.country, one_of: [NL, BE]}
  - id: verzekerd
    category: economic-financial
    title: Verzekeringsbewijs
    check: {kind: document, document: verzekering}
  - id: keurmerk
    category: technical-professional
    title: Geldig HKZ-certificaat
    check: {kind: certificate, certificate: hkz}
  - id: referenties
    category: technical-professional
    title: Twee referenties
    check: {kind: field, field: references, min: 2}
    person: true
    evidence: De referenties in bid.yaml.
  - id: uitsluitingsgronden
    category: exclusion
    title: Geen uitsluitingsgronden
    check:
      kind: espd-exclusion
      document: uea
      grounds: [uitsluiting_veroordeling, uitsluiting_faillissement]
      expected: Nee
  - id: postcode
    category: professional-authorisation
    title: Nederlandse postcode
    check: {kind: field, field: bidder.address.postal_code, pattern: "^[0-9]{4} [A-Z]{2}$"}
  - id: nederland
    category: professional-authorisation
    title: Gevestigd in Nederland
    check: {kind: field, field: bidder.address.country, equals: NL}
"""
PROCEDURE = template("criteria/procedure.yaml").replace(
    "planned:",
    "  - id: kvk-uittreksel\n    title: Uittreksel Handelsregister\n    mandatory: false\n"
    "  - id: verzekering\n    title: Verzekeringsbewijs\n    mandatory: false\nplanned:",
)
BID = VALID_BID + (
    "  kvk-uittreksel:\n    file: kvk.pdf\n    issued: 2026-05-11\n"
    "  verzekering:\n    file: verzekering.pdf\n"
    "certificates:\n"
    "  - kind: hkz\n    number: HKZ-1\n    issuer: Stichting Toetsing\n"
    "    valid_from: 2024-01-01\n    valid_until: 2026-11-10\n"
)
DEADLINE_DAY = date(2026, 11, 10)
AT = datetime(2026, 11, 12, 9, 30, tzinfo=UTC)


def files(**changes: str | bytes | None) -> dict[str, str | bytes | None]:
    return bid_files(
        suitability=SUITABILITY,
        procedure=PROCEDURE,
        bid=BID,
        **{
            "submissions/bid-001/kvk.pdf": text_pdf(["Uittreksel Handelsregister"]),
            "submissions/bid-001/verzekering.pdf": text_pdf(["Polis"]),
        },
    ) | bid_files(**changes)


def changed_bid(*changes: tuple[str, str]) -> str:
    text = BID
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def assessed(make_dossier: DossierFactory, **changes: str | bytes | None) -> BidAssessment:
    dossier = load_dossier(make_dossier(files(**changes)))
    (assessment,) = assess(dossier, read_book(dossier))
    return assessment


def statuses(assessment: BidAssessment) -> dict[str, str]:
    return {result.requirement: result.status for result in assessment.requirements}


ALL_MACHINE_CHECKS_PASS = {
    "handelsregister": "pass",
    "kvk-actueel": "pass",
    "omzet": "pass",
    "land": "pass",
    "verzekerd": "pass",
    "keurmerk": "pass",
    "referenties": "pending",
    "uitsluitingsgronden": "pass",
    "postcode": "pass",
    "nederland": "pass",
}


def test_a_suitable_bid_passes_every_check_and_waits_for_a_person(
    make_dossier: DossierFactory,
) -> None:
    assessment = assessed(make_dossier)
    assert statuses(assessment) == ALL_MACHINE_CHECKS_PASS
    assert assessment.standing == "pending"
    assert assessment.scored
    referenties = assessment.requirement("referenties")
    assert referenties is not None
    assert [reason.message for reason in referenties.reasons] == [
        "references has 2 entries (required: at least 2)",
        "awaits a committee member's verdict on: De referenties in bid.yaml.",
    ]
    keurmerk = assessment.requirement("keurmerk")
    assert keurmerk is not None
    assert keurmerk.reasons[0].message == (
        "hkz certificate HKZ-1 (Stichting Toetsing) is valid from 2024-01-01 to 2026-11-10, "
        "so on the deadline date 2026-11-10"
    )


def failure(requirement: str, finding: Finding) -> tuple[str, Finding]:
    return requirement, finding


FAILURES = [
    pytest.param(
        {"bid": changed_bid(('  trade_register: "12345678"\n', ""))},
        failure(
            "handelsregister",
            Finding(
                rule="field-missing",
                message="bid.yaml gives no bidder.trade_register",
                figures={"field": "bidder.trade_register"},
            ),
        ),
        id="no-trade-register",
    ),
    pytest.param(
        {"bid": changed_bid(("issued: 2026-05-11", "issued: 2026-05-10"))},
        failure(
            "kvk-actueel",
            Finding(
                rule="document-age",
                message="kvk.pdf (kvk-uittreksel) was issued on 2026-05-10, 184 days before the deadline "
                "date 2026-11-10 (allowed: at most 183 days)",
                figures={
                    "document": "kvk-uittreksel",
                    "issued": date(2026, 5, 10),
                    "deadline_date": DEADLINE_DAY,
                    "age_days": 184,
                    "max_age_days": 183,
                },
                document="kvk-uittreksel",
            ),
        ),
        id="extract-one-day-too-old",
    ),
    pytest.param(
        {"bid": changed_bid(("issued: 2026-05-11", "issued: 2026-11-11"))},
        failure(
            "kvk-actueel",
            Finding(
                rule="document-issued-after-deadline",
                message="kvk.pdf (kvk-uittreksel) is dated 2026-11-11, after the deadline date 2026-11-10",
                figures={
                    "document": "kvk-uittreksel",
                    "issued": date(2026, 11, 11),
                    "deadline_date": DEADLINE_DAY,
                    "age_days": -1,
                    "max_age_days": 183,
                },
                document="kvk-uittreksel",
            ),
        ),
        id="extract-dated-after-deadline",
    ),
    pytest.param(
        {"bid": changed_bid(("    issued: 2026-05-11\n", ""))},
        failure(
            "kvk-actueel",
            Finding(
                rule="document-issue-date-missing",
                message="bid.yaml gives no 'issued' date for kvk.pdf (kvk-uittreksel), so its age at the "
                "deadline cannot be shown",
                figures={"document": "kvk-uittreksel"},
                document="kvk-uittreksel",
            ),
        ),
        id="extract-without-date",
    ),
    pytest.param(
        {"bid": changed_bid(("annual_turnover_eur: 250000", "annual_turnover_eur: 99999.99"))},
        failure(
            "omzet",
            Finding(
                rule="field-min",
                message="financials.annual_turnover_eur is 99999.99 (required: at least 100000)",
                figures={
                    "field": "financials.annual_turnover_eur",
                    "value": Decimal("99999.99"),
                    "min": Decimal(100000),
                },
            ),
        ),
        id="turnover-a-cent-short",
    ),
    pytest.param(
        {"bid": changed_bid(("annual_turnover_eur: 250000", "annual_turnover_eur: 5000000.01"))},
        failure(
            "omzet",
            Finding(
                rule="field-max",
                message="financials.annual_turnover_eur is 5000000.01 (allowed: at most 5000000)",
                figures={
                    "field": "financials.annual_turnover_eur",
                    "value": Decimal("5000000.01"),
                    "max": Decimal(5000000),
                },
            ),
        ),
        id="turnover-a-cent-over",
    ),
    pytest.param(
        {"bid": changed_bid(("    city: Voorbeeld\n", "    city: Voorbeeld\n    country: BE\n"))},
        failure(
            "nederland",
            Finding(
                rule="field-equals",
                message="bidder.address.country is BE (required: NL)",
                figures={"field": "bidder.address.country", "value": "BE", "equals": "NL"},
            ),
        ),
        id="country-not-equal",
    ),
    pytest.param(
        {"bid": changed_bid(("postal_code: 1234 AB", "postal_code: 1234 ab"))},
        failure(
            "postcode",
            Finding(
                rule="field-pattern",
                message="bidder.address.postal_code is 1234 ab (required: matches the pattern "
                "^[0-9]{4} [A-Z]{2}$)",
                figures={
                    "field": "bidder.address.postal_code",
                    "value": "1234 ab",
                    "pattern": "^[0-9]{4} [A-Z]{2}$",
                },
            ),
        ),
        id="postal-code-pattern",
    ),
    pytest.param(
        {"submissions/bid-001/verzekering.pdf": b"%PDF-1.7\n garbage"},
        failure(
            "verzekerd",
            Finding(
                rule="document-unreadable",
                message="verzekering.pdf (verzekering) cannot be read: the file is damaged: its PDF "
                "structure cannot be read",
                figures={
                    "document": "verzekering",
                    "file": "verzekering.pdf",
                    "problem": "corrupt",
                },
                document="verzekering",
            ),
        ),
        id="insurance-unreadable",
    ),
    pytest.param(
        {"bid": changed_bid(("valid_until: 2026-11-10", "valid_until: 2026-11-09"))},
        failure(
            "keurmerk",
            Finding(
                rule="certificate-not-valid",
                message="hkz certificate HKZ-1 (Stichting Toetsing) is valid from 2024-01-01 to "
                "2026-11-09: it expired before the deadline date 2026-11-10",
                figures={
                    "certificate": "hkz",
                    "number": "HKZ-1",
                    "issuer": "Stichting Toetsing",
                    "valid_from": date(2024, 1, 1),
                    "valid_until": date(2026, 11, 9),
                    "deadline_date": DEADLINE_DAY,
                },
            ),
        ),
        id="certificate-expired-the-day-before",
    ),
    pytest.param(
        {
            "bid": changed_bid(
                ("valid_from: 2024-01-01", "valid_from: 2026-11-11"),
                ("valid_until: 2026-11-10", "valid_until: 2029-11-10"),
            )
        },
        failure(
            "keurmerk",
            Finding(
                rule="certificate-not-valid",
                message="hkz certificate HKZ-1 (Stichting Toetsing) is valid from 2026-11-11 to "
                "2029-11-10: it only starts after the deadline date 2026-11-10",
                figures={
                    "certificate": "hkz",
                    "number": "HKZ-1",
                    "issuer": "Stichting Toetsing",
                    "valid_from": date(2026, 11, 11),
                    "valid_until": date(2029, 11, 10),
                    "deadline_date": DEADLINE_DAY,
                },
            ),
        ),
        id="certificate-not-yet-valid",
    ),
    pytest.param(
        {"bid": changed_bid(("  - kind: hkz\n", "  - kind: iso-9001\n"))},
        failure(
            "keurmerk",
            Finding(
                rule="certificate-missing",
                message="bid.yaml lists no hkz certificate",
                figures={"certificate": "hkz", "deadline_date": DEADLINE_DAY},
            ),
        ),
        id="certificate-of-another-kind",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), FAILURES)
def test_a_failed_requirement_makes_the_bid_unsuitable(
    make_dossier: DossierFactory,
    changes: dict[str, str | bytes],
    expected: tuple[str, Finding],
) -> None:
    requirement, finding = expected
    assessment = assessed(make_dossier, **changes)
    assert statuses(assessment) == ALL_MACHINE_CHECKS_PASS | {requirement: "fail"}
    assert assessment.standing == "unsuitable"
    assert assessment.reasons == (finding,)
    assert not assessment.scored


def test_every_failed_rule_is_a_reason(make_dossier: DossierFactory) -> None:
    bid = changed_bid(("    city: Voorbeeld\n", "    city: Voorbeeld\n    country: DE\n"))
    assessment = assessed(make_dossier, bid=bid)
    assert statuses(assessment) == ALL_MACHINE_CHECKS_PASS | {"land": "fail", "nederland": "fail"}
    assert [(reason.rule, reason.message) for reason in assessment.reasons] == [
        ("field-one-of", "bidder.address.country is DE (required: one of NL, BE)"),
        ("field-equals", "bidder.address.country is DE (required: NL)"),
    ]


def test_a_certificate_valid_until_the_deadline_date_counts(make_dossier: DossierFactory) -> None:
    # valid_until 2026-11-10 is the deadline date itself: inclusive
    assert statuses(assessed(make_dossier))["keurmerk"] == "pass"


def test_the_last_day_of_the_age_limit_counts(make_dossier: DossierFactory) -> None:
    # issued 2026-05-11 is exactly 183 days before 2026-11-10
    assert statuses(assessed(make_dossier))["kvk-actueel"] == "pass"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {"uitsluiting_veroordeling": "Nee", "uitsluiting_faillissement": "Ja"},
            Finding(
                rule="espd-answer",
                message="uea.pdf (uea) answers 'Ja' to the exclusion ground uitsluiting_faillissement "
                "(required: 'Nee')",
                figures={"ground": "uitsluiting_faillissement", "answer": "Ja", "expected": "Nee"},
                document="uea",
            ),
        ),
        (
            {"uitsluiting_veroordeling": "NEE"},
            Finding(
                rule="espd-unanswered",
                message="uea.pdf (uea) does not answer the exclusion ground uitsluiting_faillissement "
                "(required: 'Nee')",
                figures={"ground": "uitsluiting_faillissement", "answer": None, "expected": "Nee"},
                document="uea",
            ),
        ),
    ],
)
def test_an_exclusion_ground_excludes_the_bid(
    make_dossier: DossierFactory, answers: dict[str, str], expected: Finding
) -> None:
    assessment = assessed(make_dossier, uea=form_pdf(answers))
    assert statuses(assessment)["uitsluitingsgronden"] == "fail"
    assert assessment.standing == "excluded"
    assert assessment.reasons == (expected,)


def test_an_exclusion_counts_before_unsuitability(make_dossier: DossierFactory) -> None:
    assessment = assessed(
        make_dossier,
        uea=form_pdf({"uitsluiting_veroordeling": "Ja", "uitsluiting_faillissement": "Nee"}),
        bid=changed_bid(("annual_turnover_eur: 250000", "annual_turnover_eur: 1")),
    )
    assert assessment.standing == "excluded"
    assert [reason.rule for reason in assessment.reasons] == ["espd-answer"]


def test_invalidity_counts_before_everything(make_dossier: DossierFactory) -> None:
    assessment = assessed(
        make_dossier,
        uea=b"",
        bid=changed_bid(("2026-11-09T10:15:00+01:00", "2026-11-10T12:00:01+01:00")),
    )
    assert assessment.standing == "invalid"
    assert [reason.rule for reason in assessment.reasons] == ["late", "document-unreadable"]
    assert statuses(assessment)["uitsluitingsgronden"] == "fail"


def test_documents_the_tool_could_not_read_leave_their_checks_pending(
    make_dossier: DossierFactory,
) -> None:
    slow = {
        "submissions/bid-001/kvk.pdf": LONG_PDF,
        "submissions/bid-001/verzekering.pdf": LONG_PDF,
    }
    dossier = load_dossier(make_dossier(files(plan=LONG_PDF, uea=LONG_PDF, **slow)))
    (assessment,) = assess(dossier, read_book(dossier), limits=Limits(seconds=0.001))
    assert statuses(assessment) == ALL_MACHINE_CHECKS_PASS | {
        "kvk-actueel": "pending",
        "verzekerd": "pending",
        "uitsluitingsgronden": "pending",
    }
    assert assessment.standing == "pending"
    assert assessment.scored
    verzekerd = assessment.requirement("verzekerd")
    assert verzekerd is not None
    assert [reason.message for reason in verzekerd.reasons] == [
        "verzekering.pdf (verzekering) was not read: reading the PDF took longer than 0.001 "
        "seconds; it was stopped; read it by hand, or again with 'tender bids --reread-limited'"
    ]


def test_a_rule_that_does_not_fit_its_field_is_a_dossier_problem(
    make_dossier: DossierFactory,
) -> None:
    suitability = SUITABILITY.replace(
        "field: bidder.address.country, one_of: [NL, BE]", "field: bidder.name, min: 3"
    )
    dossier = load_dossier(make_dossier(files(suitability=suitability)))
    with pytest.raises(DossierError) as raised:
        assess(dossier, read_book(dossier))
    assert str(raised.value) == (
        "1 problem in the dossier:\ncriteria/suitability.yaml: requirements.3.check.min: 'min' "
        "applies to numbers and lists, and 'bidder.name' is neither"
    )


# --- person verdicts --------------------------------------------------------------------


OPENED = datetime(2026, 11, 10, 13, 0, tzinfo=UTC)
"""When the bids of these tests are opened: after the deadline, before their verdicts."""


def opened(root: Path) -> Dossier:
    """The dossier at ``root`` with its bids opened, ready for verdicts."""
    open_bids(root, at=OPENED)
    return load_dossier(root)


def clock_at(*moments: datetime) -> Callable[[], datetime]:
    queue = list(moments)
    return lambda: queue.pop(0)


def test_a_verdict_turns_pending_into_pass_and_keeps_its_history(
    make_dossier: DossierFactory,
) -> None:
    dossier = opened(make_dossier(files()))
    later = datetime(2026, 11, 13, 14, 0, tzinfo=UTC)
    recorder = acting_recorder(dossier, clock=clock_at(AT, later), account="test@host")
    recorder.record_verdict(
        "evaluator-2", "bid-001", "referenties", passed=True, reason="Twee Wmo-referenties."
    )
    (first,) = assess(dossier, read_book(dossier))
    referenties = first.requirement("referenties")
    assert referenties is not None
    assert referenties.status == "pass"
    assert referenties.verdict is not None
    assert (referenties.verdict.by, referenties.verdict.at, referenties.verdict.reason) == (
        "evaluator-2",
        AT,
        "Twee Wmo-referenties.",
    )
    assert referenties.reasons[-1].message == (
        "passed by evaluator-2 on 2026-11-12 09:30 UTC: Twee Wmo-referenties."
    )
    assert first.standing == "suitable"

    recorder.record_verdict(
        "evaluator-1",
        "bid-001",
        "referenties",
        passed=False,
        reason="De tweede referentie is geen thuisondersteuning.",
    )
    (second,) = assess(dossier, read_book(dossier))
    referenties = second.requirement("referenties")
    assert referenties is not None
    assert referenties.status == "fail"
    assert [(v.by, v.passed, v.at) for v in referenties.history] == [
        ("evaluator-2", True, AT),
        ("evaluator-1", False, later),
    ]
    assert second.standing == "unsuitable"
    assert second.reasons == (
        Finding(
            rule="verdict",
            message="failed by evaluator-1 on 2026-11-13 14:00 UTC: De tweede referentie is geen "
            "thuisondersteuning.",
            figures={
                "by": "evaluator-1",
                "at": later,
                "reason": "De tweede referentie is geen thuisondersteuning.",
                "seq": 3,
            },
        ),
    )
    assert bids_not_scored(dossier, read_book(dossier)) == {
        "bid-001": "unsuitable: failed by evaluator-1 on 2026-11-13 14:00 UTC: De tweede "
        "referentie is geen thuisondersteuning."
    }


def test_record_verdict_says_what_it_replaced(make_dossier: DossierFactory) -> None:
    dossier = opened(make_dossier(files()))
    first, replaced = record_verdict(
        dossier,
        "evaluator-1",
        "bid-001",
        "referenties",
        passed=True,
        reason="In orde.",
        keys=signers("evaluator-1"),
    )
    assert (first.status, replaced) == ("pass", None)
    with pytest.raises(RefusedError, match="recording as evaluator-2 needs evaluator-2's private"):
        record_verdict(
            dossier,
            "evaluator-2",
            "bid-001",
            "referenties",
            passed=False,
            reason="Te oud.",
            keys=signers("evaluator-1"),
        )
    second, replaced = record_verdict(
        dossier,
        "evaluator-2",
        "bid-001",
        "referenties",
        passed=False,
        reason="Te oud.",
        keys=signers("evaluator-2"),
    )
    assert second.status == "fail"
    assert replaced is not None
    assert (replaced.by, replaced.passed, replaced.reason) == ("evaluator-1", True, "In orde.")
    assert len(second.history) == 2


def test_a_pass_verdict_cannot_outvote_a_failed_check(make_dossier: DossierFactory) -> None:
    bid = changed_bid(
        ("  - client: Gemeente Anders\n    service: Begeleiding\n    year: 2024\n", "")
    )
    dossier = opened(make_dossier(files(bid=bid)))
    acting_recorder(dossier).record_verdict(
        "evaluator-1", "bid-001", "referenties", passed=True, reason="Eén is genoeg."
    )
    (assessment,) = assess(dossier, read_book(dossier))
    referenties = assessment.requirement("referenties")
    assert referenties is not None
    assert referenties.status == "fail"
    assert [reason.rule for reason in referenties.reasons] == ["field-min"]
    assert len(referenties.history) == 1


def test_a_machine_checked_requirement_takes_no_verdict(make_dossier: DossierFactory) -> None:
    dossier = opened(make_dossier(files()))
    with pytest.raises(RefusedError, match="'omzet' is checked by the tool, not by a person"):
        record_verdict(
            dossier,
            "evaluator-1",
            "bid-001",
            "omzet",
            passed=True,
            reason="Ja.",
            keys=signers("evaluator-1"),
        )


# --- what is scored ---------------------------------------------------------------------


def test_pending_bids_are_scored(make_dossier: DossierFactory) -> None:
    assert bids_not_scored(load_dossier(make_dossier(files())), ScoreBook()) == {}


def test_unsuitable_bids_are_not_scored_unless_the_dossier_says_so(
    make_dossier: DossierFactory,
) -> None:
    bid = changed_bid(("annual_turnover_eur: 250000", "annual_turnover_eur: 1"))
    root = make_dossier(files(bid=bid))
    dossier = load_dossier(root)
    assert bids_not_scored(dossier, read_book(dossier)) == {
        "bid-001": "unsuitable: financials.annual_turnover_eur is 1 (required: at least 100000)"
    }
    award = root / "criteria" / "award.yaml"
    award.write_text(award.read_text(encoding="utf-8") + "score_all_bids: true\n", encoding="utf-8")
    dossier = load_dossier(root)
    assert bids_not_scored(dossier, read_book(dossier)) == {}


# --- the example dossier ----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
PLANTED: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "bid-038": (
        "invalid",
        [
            (
                "late",
                "received 2017-11-10 12:00:07, 7 seconds after the deadline 2017-11-10 12:00:00 "
                "(Europe/Amsterdam)",
            )
        ],
    ),
    "bid-091": (
        "invalid",
        [
            (
                "late",
                "received 2017-11-10 15:41:12, 3 hours 41 minutes 12 seconds after the deadline "
                "2017-11-10 12:00:00 (Europe/Amsterdam)",
            )
        ],
    ),
    "bid-026": (
        "invalid",
        [
            (
                "document-missing",
                "the mandatory document 'uea' (Uniform Europees Aanbestedingsdocument (UEA)), "
                "required on pain of exclusion, was not submitted",
            )
        ],
    ),
    "bid-120": (
        "excluded",
        [
            (
                "espd-answer",
                "uea.pdf (uea) answers 'Ja' to the exclusion ground uitsluiting_faillissement "
                "(required: 'Nee')",
            )
        ],
    ),
    "bid-011": (
        "unsuitable",
        [
            (
                "certificate-not-valid",
                "hkz certificate HKZ-2014-16872 (Stichting Toetsing Thuiszorg) is valid from "
                "2014-11-01 to 2017-10-31: it expired before the deadline date 2017-11-10",
            )
        ],
    ),
    "bid-047": (
        "unsuitable",
        [
            (
                "field-min",
                "insurance.professional_liability_eur is 1000000 (required: at least 2500000)",
            )
        ],
    ),
    "bid-073": (
        "unsuitable",
        [
            ("field-missing", "bid.yaml gives no bidder.trade_register"),
            ("document-missing", "no kvk-uittreksel was submitted"),
        ],
    ),
    "bid-098": (
        "unsuitable",
        [
            (
                "document-age",
                "kvk-uittreksel.pdf (kvk-uittreksel) was issued on 2017-04-12, 212 days before "
                "the deadline date 2017-11-10 (allowed: at most 183 days)",
            )
        ],
    ),
}
OVER_LIMIT = {"bid-009": 4, "bid-058": 5, "bid-084": 7, "bid-124": 8}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Dossier:
    """A copy of the example dossier, so that its PDF cache and records stay out of the repo."""
    if not (ROOT / "submissions").is_dir():
        pytest.skip("the example's submissions/ are not generated yet")
    copy = tmp_path_factory.mktemp("example")
    for folder in ("criteria", "submissions", "scores"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns(".*"))
    return load_dossier(copy)


@pytest.fixture(scope="module")
def example_assessments(example: Dossier) -> dict[str, BidAssessment]:
    return {item.bid: item for item in assess(example, read_book(example))}


def test_the_planted_bids_are_found_with_their_reasons(
    example_assessments: dict[str, BidAssessment],
) -> None:
    found = {
        bid: (item.standing, [(reason.rule, reason.message) for reason in item.reasons])
        for bid, item in example_assessments.items()
        if item.standing not in {"pending", "suitable"}
    }
    assert found == PLANTED


def test_every_other_bid_passes_every_machine_check(
    example: Dossier, example_assessments: dict[str, BidAssessment]
) -> None:
    others = [item for bid, item in example_assessments.items() if bid not in PLANTED]
    assert len(others) == 120
    for item in others:
        assert item.validity.valid, (item.bid, item.validity.reasons)
        verdicts = {r.requirement: r.status for r in item.requirements if r.status != "pass"}
        recorded = {r.requirement for r in item.requirements if r.verdict is not None}
        assert verdicts.keys() <= {"referenties"}, (item.bid, verdicts)
        assert item.standing in ({"pending"} if not recorded else {"suitable", "unsuitable"})


def test_bids_at_the_deadline_or_written_in_utc_are_on_time(
    example_assessments: dict[str, BidAssessment],
) -> None:
    at_deadline, in_utc = example_assessments["bid-064"], example_assessments["bid-115"]
    assert at_deadline.validity.received == at_deadline.validity.deadline
    assert at_deadline.validity.on_time
    assert f"{in_utc.validity.received_local:%H:%M:%S}" == "11:59:30"
    assert in_utc.validity.on_time


def test_the_example_plans_have_five_sections_and_four_run_over(
    example_assessments: dict[str, BidAssessment],
) -> None:
    for bid, item in example_assessments.items():
        sections = item.documents.sections
        assert [s.sub_criterion for s in sections] == [
            "client-centraal",
            "samenwerking",
            "visie",
            "uitvoering",
            "innovatie",
        ], bid
        over = [page for section in sections for page in section.over_limit]
        assert over == ([OVER_LIMIT[bid]] if bid in OVER_LIMIT else []), bid
        assert [f.rule for f in item.documents.findings] == (
            ["over-page-limit"] if bid in OVER_LIMIT else []
        ), bid


def test_not_scored_in_the_example_are_the_planted_bids(example: Dossier) -> None:
    assert sorted(bids_not_scored(example, read_book(example))) == sorted(PLANTED)


def test_the_example_verdicts_decide_referenties(
    example: Dossier, example_assessments: dict[str, BidAssessment]
) -> None:
    history = read_book(example).verdict_history
    for bid, item in example_assessments.items():
        referenties = item.requirement("referenties")
        assert referenties is not None
        recorded = tuple(history.get((bid, "referenties"), ()))
        assert referenties.history == recorded, bid
        if not recorded:
            assert referenties.status == "pending", bid
            continue
        assert referenties.verdict == recorded[-1], bid
        assert referenties.status == ("pass" if recorded[-1].passed else "fail"), bid
        assert referenties.reasons[-1].figures["by"] == recorded[-1].by, bid


def test_verdicts_are_frozen_once_the_example_is_locked(example: Dossier) -> None:
    copy = acting_recorder(example)
    assert copy.book.phase == "locked"
    with pytest.raises(
        RefusedError, match="suitability verdicts are given until the chair locks the scores"
    ):
        copy.record_verdict("ibosman", "bid-001", "referenties", passed=False, reason="Te laat.")
