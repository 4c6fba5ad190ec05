"""Validity: late to the second, mandatory documents missing or unreadable, a plan that names the bidder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tender.bids.documents import read_documents
from tender.bids.names import name_words
from tender.bids.validity import (
    Validity,
    check_validity,
    describe_duration,
    is_late,
)
from tender.domain.findings import Finding
from tender.io.loader import load_dossier
from tender.io.pdfworkers import Limits
from tests.conftest import VALID_BID, DossierFactory
from tests.pdf_fixtures import LONG_PDF, bid_files, plan_pdf, template, text_pdf

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RECEIVED = "received: 2026-11-09T10:15:00+01:00"


def validity(make_dossier: DossierFactory, **changes: str | bytes | None) -> Validity:
    dossier = load_dossier(make_dossier(bid_files(**changes)))
    (bid,) = dossier.submissions
    documents = read_documents(dossier)[bid.id]
    return check_validity(dossier, bid, documents)


def with_received(value: str) -> str:
    return VALID_BID.replace(RECEIVED, f"received: {value}")


# --- lateness ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "late"),
    [
        ("2026-11-10T12:00:00+01:00", False),  # exactly at the deadline
        ("2026-11-10T11:00:00Z", False),  # the same moment, written in UTC
        ("2026-11-10T13:00:00+02:00", False),  # the same moment, another offset
        ("2026-11-10T11:59:59+01:00", False),
        ("2026-11-10T12:00:00.000001+01:00", True),
        ("2026-11-10T12:00:01+01:00", True),
        ("2026-11-10T11:00:07Z", True),
        ("2026-11-10T12:59:59+02:00", False),  # 11:59:59 in Amsterdam
    ],
)
def test_late_is_after_the_deadline_as_a_moment(
    make_dossier: DossierFactory, received: str, late: bool
) -> None:
    result = validity(make_dossier, bid=with_received(received))
    assert result.on_time is not late
    assert [reason.rule for reason in result.reasons] == (["late"] if late else [])


def test_a_late_bid_says_by_how_much(make_dossier: DossierFactory) -> None:
    result = validity(make_dossier, bid=with_received("2026-11-10T11:00:07Z"))
    deadline = datetime(2026, 11, 10, 12, 0, tzinfo=AMSTERDAM)
    assert result.reasons == (
        Finding(
            rule="late",
            message="received 2026-11-10 12:00:07, 7 seconds after the deadline 2026-11-10 12:00:00 "
            "(Europe/Amsterdam)",
            figures={
                "received": datetime(2026, 11, 10, 12, 0, 7, tzinfo=AMSTERDAM),
                "deadline": deadline,
                "late_by_seconds": Decimal(7),
            },
        ),
    )
    assert not result.valid


def test_the_deadline_is_read_in_summer_time_too() -> None:
    deadline = datetime(2026, 7, 1, 12, 0, tzinfo=AMSTERDAM)  # +02:00 in summer
    assert not is_late(datetime(2026, 7, 1, 10, 0, tzinfo=UTC), deadline)
    assert is_late(datetime(2026, 7, 1, 10, 0, 1, tzinfo=UTC), deadline)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(seconds=7), "7 seconds"),
        (timedelta(seconds=1), "1 second"),
        (timedelta(microseconds=250_000), "0.25 seconds"),
        (timedelta(hours=3, minutes=41, seconds=12), "3 hours 41 minutes 12 seconds"),
        (timedelta(days=1, minutes=1), "1 day 1 minute"),
    ],
)
def test_durations_are_written_exactly(duration: timedelta, text: str) -> None:
    assert describe_duration(duration) == text


# --- mandatory documents ----------------------------------------------------------------


def test_a_missing_mandatory_document_makes_the_bid_invalid(make_dossier: DossierFactory) -> None:
    bid = VALID_BID.replace("  uea:\n    file: uea.pdf\n", "")
    result = validity(make_dossier, bid=bid, uea=None)
    assert result.reasons == (
        Finding(
            rule="document-missing",
            message="the mandatory document 'uea' (Uniform Europees Aanbestedingsdocument (UEA)), "
            "required on pain of exclusion, was not submitted",
            figures={"document": "uea", "title": "Uniform Europees Aanbestedingsdocument (UEA)"},
            document="uea",
        ),
    )


def test_an_unreadable_mandatory_document_counts_as_not_submitted(
    make_dossier: DossierFactory,
) -> None:
    result = validity(make_dossier, uea=text_pdf(["UEA"], password="geheim"))
    assert result.reasons == (
        Finding(
            rule="document-unreadable",
            message="the mandatory document 'uea' (Uniform Europees Aanbestedingsdocument (UEA)) cannot "
            "be read, so it counts as not submitted: uea.pdf: the PDF is encrypted and needs a "
            "password to be opened",
            figures={
                "document": "uea",
                "title": "Uniform Europees Aanbestedingsdocument (UEA)",
                "file": "uea.pdf",
                "problem": "encrypted",
            },
            document="uea",
        ),
    )


def test_a_document_stopped_at_a_limit_is_not_held_against_the_bidder(
    make_dossier: DossierFactory,
) -> None:
    dossier = load_dossier(make_dossier(bid_files(plan=LONG_PDF, uea=LONG_PDF)))
    (bid,) = dossier.submissions
    documents = read_documents(dossier, limits=Limits(seconds=0.001))[bid.id]
    assert check_validity(dossier, bid, documents).valid
    stopped = "reading the PDF took longer than 0.001 seconds; it was stopped"
    assert [finding.message for finding in documents.findings] == [
        f"kwaliteitsplan.pdf (kwaliteitsplan) cannot be read: {stopped}; a person must open it",
        f"uea.pdf (uea) cannot be read: {stopped}; a person must open it",
    ]


def test_an_unreadable_optional_document_does_not(make_dossier: DossierFactory) -> None:
    procedure = template("criteria/procedure.yaml").replace(
        "planned:", "  - id: verzekering\n    title: Verzekering\n    mandatory: false\nplanned:"
    )
    bid = VALID_BID + "  verzekering:\n    file: verzekering.pdf\n"
    result = validity(
        make_dossier,
        procedure=procedure,
        bid=bid,
        **{"submissions/bid-001/verzekering.pdf": b""},
    )
    assert result.valid


# --- anonymity --------------------------------------------------------------------------

ANONYMOUS = template("criteria/award.yaml").replace("anonymous: false", "anonymous: true")


def plan_saying(text: str) -> bytes:
    return plan_pdf(
        [("1. First sub-criterion", 1), ("2. Second sub-criterion", 1)],
        body=text,
    )


@pytest.mark.parametrize(
    ("text", "identifies_by", "evidence"),
    [
        (
            "Wij, Thuiszorg Zonnebloem, werken samen.",
            "name",
            "Wij, Thuiszorg Zonnebloem, werken samen.",
        ),
        (
            "Bij THUISZORG ZONNEBLOEM BV werkt men.",
            "name",
            "Bij THUISZORG ZONNEBLOEM BV werkt men.",
        ),
        ("Thuiszorg  Zonnébloem helpt.", "name", "Thuiszorg Zonnébloem helpt."),
        ("Zie thuiszorg-zonnebloem.example.", "name", "Zie thuiszorg-zonnebloem.example."),
        ("KvK 12345678.", "trade_register", "KvK 12345678."),
        ("KvK-nummer 1234 5678.", "trade_register", "KvK-nummer 1234 5678."),
        ("KvK 12.34.56.78 in Voorbeeld.", "trade_register", "KvK 12.34.56.78 in Voorbeeld."),
    ],
)
def test_a_plan_that_names_the_bidder_makes_it_invalid(
    make_dossier: DossierFactory, text: str, identifies_by: str, evidence: str
) -> None:
    result = validity(make_dossier, award=ANONYMOUS, plan=plan_saying(text))
    value = "thuiszorg zonnebloem" if identifies_by == "name" else "12345678"
    shown = "bidder's name" if identifies_by == "name" else "trade-register number"
    assert result.reasons == (
        Finding(
            rule="not-anonymous",
            message=f"the quality plan must be anonymous, but page 2 of kwaliteitsplan.pdf gives the "
            f"{shown}: “{evidence}”",
            figures={"identifies_by": identifies_by, "value": value},
            document="kwaliteitsplan",
            page=2,
            evidence=evidence,
        ),
    )


def test_the_name_may_break_across_lines(make_dossier: DossierFactory) -> None:
    result = validity(
        make_dossier, award=ANONYMOUS, plan=plan_saying("Wij zijn Thuiszorg\nZonnebloem")
    )
    assert [(reason.rule, reason.evidence) for reason in result.reasons] == [
        ("not-anonymous", "Wij zijn Thuiszorg Zonnebloem")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "De zonnebloem staat in de tuin.",  # part of the name only
        "Thuiszorg Zonnebloemen is een andere naam.",  # not the whole word
        "Referentie 123456789 en 01234567.",  # not the 8 digits on their own
    ],
)
def test_near_misses_are_not_the_name(make_dossier: DossierFactory, text: str) -> None:
    assert validity(make_dossier, award=ANONYMOUS, plan=plan_saying(text)).valid


def test_a_plan_need_not_be_anonymous_when_the_procedure_does_not_ask(
    make_dossier: DossierFactory,
) -> None:
    assert validity(make_dossier, plan=plan_saying("Wij, Thuiszorg Zonnebloem B.V.")).valid


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Thuiszorg Zonnebloem B.V.", ("thuiszorg", "zonnebloem")),
        ("Stichting Thuiszorg Eemdal", ("thuiszorg", "eemdal")),
        ("Coöperatie Thuishulp Molenrade U.A.", ("thuishulp", "molenrade")),
        ("Zorgkracht Hélène V.O.F.", ("zorgkracht", "helene")),
        ("Wijkzorg NV", ("wijkzorg",)),
        ("Stichting", ("stichting",)),
    ],
)
def test_the_legal_form_is_not_part_of_the_name(name: str, words: tuple[str, ...]) -> None:
    assert name_words(name) == words
