"""Broken dossiers, one class of mistake per row: the file, the line and the message.

Each row changes the valid dossier of ``make_dossier`` and lists every problem
``tender check`` must report, in the order it reports them (see
:mod:`tests.helpers` for ``<<line markers>>`` and ``...``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import Result

from tender.domain.errors import DossierError
from tender.io.loader import load_dossier
from tests.conftest import MINIMAL_PDF, VALID_BID, DossierFactory
from tests.helpers import (
    ORIGINAL,
    A,
    B,
    C,
    Files,
    P,
    S,
    appended,
    assert_problems,
    between,
    edit,
    expected_lines,
    snapshot,
    whole_line,
)
from tests.keys import public


def check_broken(
    run_cli: Callable[..., Result], root: Path, files: Files, expected: tuple[str, ...]
) -> None:
    """``tender check`` reports exactly the expected problems, exits 1 and writes nothing."""
    before = snapshot(root)
    result = run_cli("check", "--dossier", str(root))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stdout == "", "problems go to stderr, nothing to stdout"
    *problems, count = result.stderr.splitlines()
    noun = "problem" if len(expected) == 1 else "problems"
    assert count == f"{len(expected)} {noun} found; nothing was written.", result.stderr
    assert_problems(problems, expected_lines(files, expected))
    assert snapshot(root) == before


@dataclass(frozen=True)
class Case:
    id: str
    files: Files
    expected: tuple[str, ...]


CERTIFICATE = """\
certificates:
  - kind: iso-9001
    number: NL-123
    issuer: Certificering B.V.
    valid_from: 2025-01-01
    valid_until: 2024-12-31
"""

ESPD_REQUIREMENT = """\
  - id: uitsluitingsgronden
    category: exclusion
    title: No grounds for exclusion
    check:
      kind: espd-exclusion
      document: espd
      grounds: [Deelname aan een criminele organisatie]
"""

CONFLICT = """\
conflicts:
  - evaluator: evaluator-2
    bid: bid-001
    reason: Former employee of the bidder.
    declared: 2026-11-12
"""

UNSAFE_ID = (
    "is not a safe id; use 1-64 lowercase letters, digits and inner hyphens (e.g. 'bid-001')"
)
KNOWN_DOCUMENTS = "expected one declared in criteria/procedure.yaml: kwaliteitsplan, uea"

CASES = [
    # --- YAML syntax and the shape of a file -------------------------------------------------
    Case(
        "yaml-syntax-error",
        edit(P, ("title: Title of the tender", "title: Title: of the tender")),
        (f"{P}:<<title: Title: of>>: YAML syntax error: mapping values are not allowed ...",),
    ),
    Case(
        "tab-indentation",
        edit(C, ("    name: Second Evaluator", "\tname: Second Evaluator")),
        (f"{C}:<<\tname>>: YAML syntax error: a tab is used for indentation; indent with spaces",),
    ),
    Case(
        "file-is-a-list",
        {S: "- id: omzet\n  category: economic-financial\n"},
        (f"{S}:1: expected a mapping of keys to values, found a list",),
    ),
    Case(
        "file-is-empty",
        {C: ""},
        (f"{C}:1: expected a mapping of keys to values, found an empty file",),
    ),
    Case(
        "file-has-only-comments",
        {C: "# to do: the committee\n"},
        (f"{C}:1: expected a mapping of keys to values, found an empty file",),
    ),
    Case(
        "file-is-a-single-value",
        {C: "to do\n"},
        (f"{C}:1: expected a mapping of keys to values, found a single value (to do)",),
    ),
    Case(
        "two-documents-in-one-file",
        appended(A, "---\nfinal_score: mean\n"),
        (
            f"{A}:<<--->>: YAML syntax error: a second document starts here ('---'); "
            "a file holds one YAML document",
        ),
    ),
    Case("criteria-file-missing", {C: None}, (f"{C}: file is missing",)),
    Case(
        "submissions-folder-missing",
        {"submissions": None},
        ("submissions/: folder is missing; expected one folder per bid",),
    ),
    # --- wrong types -------------------------------------------------------------------------
    Case(
        "text-where-a-number-is-expected",
        edit(A, ("weight: 50", "weight: fifty")),
        (f"{A}:<<weight: fifty>>: sub_criteria[0].weight: expected a number, found 'fifty'",),
    ),
    Case(
        "mapping-where-a-list-is-expected",
        edit(A, ("  - kind: weighted-mean", "  kind: weighted-mean"), ("    min: 8", "  min: 8")),
        (f"{A}:<<threshold:>>: threshold: expected a list, found a mapping",),
    ),
    Case(
        "list-where-a-mapping-is-expected",
        edit(
            P,
            ("  name: A. Example\n  title: Wethouder\n", ""),
            ("signatory:", "signatory: [A. Example, Wethouder]"),
        ),
        (f"{P}:<<signatory:>>: signatory: expected a mapping of keys to values, found a list",),
    ),
    Case(
        "number-where-a-list-is-expected",
        edit(C, ("conflicts: []", "conflicts: 3")),
        (f"{C}:<<conflicts: 3>>: conflicts: expected a list, found 3",),
    ),
    Case(
        "number-where-true-or-false-is-expected",
        edit(P, ("mandatory: true ", "mandatory: 1 ")),
        (f"{P}:<<mandatory: 1>>: documents[0].mandatory: expected true or false, found 1",),
    ),
    Case(
        "yes-is-not-true",
        edit(P, ("    mandatory: true\nplanned", "    mandatory: yes\nplanned")),
        (f"{P}:<<mandatory: yes>>: documents[1].mandatory: expected true or false, found 'yes'",),
    ),
    Case(
        "on-is-not-true",
        edit(S, ("    person: true", "    person: on")),
        (f"{S}:<<person: on>>: requirements[2].person: expected true or false, found 'on'",),
    ),
    Case(
        "true-where-a-whole-number-is-expected",
        edit(P, ("days: 20 ", "days: true ")),
        (f"{P}:<<days: true>>: standstill.days: expected a whole number, found true",),
    ),
    Case(
        "fraction-where-a-whole-number-is-expected",
        edit(A, ("max_pages: 2 ", "max_pages: 2.5 ")),
        (f"{A}:<<max_pages: 2.5>>: sub_criteria[0].max_pages: expected a whole number, found 2.5",),
    ),
    Case(
        "value-not-among-the-choices",
        edit(C, ("role: policy", "role: beleid")),
        (
            f"{C}:<<role: beleid>>: evaluators[0].role: input should be 'policy', 'execution' "
            "or 'contract-management', found 'beleid'",
        ),
    ),
    Case(
        "lowercase-country-code",
        edit(P, ("country: NL", "country: nl")),
        (
            f"{P}:<<country: nl>>: authority.address.country: expected a two-letter country "
            "code in capitals such as NL, found 'nl'",
        ),
    ),
    Case(
        "trade-register-number-too-short",
        edit(B, ('trade_register: "12345678"', 'trade_register: "1234"')),
        (
            f"{B}:<<trade_register>>: bidder.trade_register: expected the 8 digits of a "
            "trade-register (KvK) number, found '1234'",
        ),
    ),
    Case(
        "not-an-email-address",
        edit(B, ("email: anna@zonnebloem.example", "email: anna at zonnebloem")),
        (f"{B}:<<email:>>: bidder.contact.email: 'anna at zonnebloem' is not an e-mail address",),
    ),
    # --- missing and unknown fields ----------------------------------------------------------
    Case(
        "missing-field-is-placed-at-its-parent",
        edit(P, ("    city: Voorbeeld\n", "")),
        (f"{P}:<<  address:>>: authority.address.city: required field is missing",),
    ),
    Case(
        "missing-top-level-field",
        edit(P, (whole_line(P, "court:"), "")),
        (f"{P}:<<reference:>>: court: required field is missing",),
    ),
    Case(
        "unknown-field-with-a-typo",
        edit(A, ("weight: 50", "wieght: 50")),
        (
            f"{A}:<<id: criterion-1>>: sub_criteria[0].weight: required field is missing",
            f"{A}:<<wieght: 50>>: sub_criteria[0].wieght: unknown field 'wieght' "
            "(did you mean 'weight'?); expected one of: id, title, description, weight, max_pages",
        ),
    ),
    Case(
        "unknown-top-level-field",
        appended(C, "chairman: evaluator-2\n"),
        (
            f"{C}:<<chairman>>: chairman: unknown field 'chairman' (did you mean 'chair'?); "
            "expected one of: chair, evaluators, officers, secretary, group, conflicts",
        ),
    ),
    Case(
        "unknown-field-in-a-suitability-check",
        edit(S, ("      min: 100000", "      minimum: 100000")),
        (
            f"{S}:<<minimum: 100000>>: requirements[1].check.minimum: unknown field 'minimum' "
            "(did you mean 'min'?); expected one of: kind, field, min, max, equals, one_of, pattern",
        ),
    ),
    Case(
        "unknown-field-in-a-threshold-rule",
        edit(A, ("    min: 8", "    minimun: 8")),
        (
            f"{A}:<<- kind: weighted-mean>>: threshold[0].min: required field is missing",
            f"{A}:<<minimun: 8>>: threshold[0].minimun: unknown field 'minimun' "
            "(did you mean 'min'?); expected one of: kind, min",
        ),
    ),
    Case(
        "unknown-check-kind",
        edit(S, ("kind: field\n      field: financials", "kind: fields\n      field: financials")),
        (
            f"{S}:<<kind: fields>>: requirements[1].check.kind: unknown kind 'fields' "
            "(did you mean 'field'?); expected one of: field, document, document-age, "
            "certificate, espd-exclusion",
        ),
    ),
    Case(
        "unknown-threshold-kind",
        edit(A, ("kind: weighted-mean ", "kind: weighted-average ")),
        (
            f"{A}:<<kind: weighted-average>>: threshold[0].kind: unknown kind 'weighted-average' "
            "(did you mean 'weighted-mean'?); expected one of: weighted-mean, "
            "each-sub-criterion, sub-criterion",
        ),
    ),
    Case(
        "threshold-rule-without-kind",
        edit(A, (whole_line(A, "  - kind: weighted-mean"), ""), ("    min: 8", "  - min: 8")),
        (f"{A}:<<- min: 8>>: threshold[0]: a 'kind' is required to tell which sort of entry ...",),
    ),
    # --- duplicate keys ----------------------------------------------------------------------
    Case(
        "duplicate-top-level-key",
        appended(C, "chair: evaluator-2\n"),
        (
            f"{C}:<<chair: evaluator-2>>: chair: duplicate key 'chair' "
            f"(first on line <<chair: evaluator-1>>); each key may appear once",
        ),
    ),
    Case(
        "duplicate-nested-key",
        edit(A, ("    weight: 50\n", "    weight: 50\n    weight: 40\n")),
        (
            f"{A}:<<weight: 40>>: sub_criteria[0].weight: duplicate key 'weight' "
            f"(first on line <<weight: 50@1>>); each key may appear once",
        ),
    ),
    # --- dates and times ---------------------------------------------------------------------
    Case(
        "impossible-date",
        edit(P, ("start: 2027-01-01", "start: 2027-02-30")),
        (f"{P}:<<start:>>: framework.start: 2027-02-30 is not a real date",),
    ),
    Case(
        "thirteenth-month",
        edit(P, ("end: 2028-12-31", "end: 2028-13-01")),
        (f"{P}:<<end: 2028>>: framework.end: 2028-13-01 is not a real date",),
    ),
    Case(
        "date-in-another-format",
        edit(P, ("provisional_award: 2026-12-01", "provisional_award: 01-12-2026")),
        (
            f"{P}:<<provisional_award>>: planned.provisional_award: expected a date written as "
            "YYYY-MM-DD, found '01-12-2026'",
        ),
    ),
    Case(
        "impossible-extra-holiday",
        edit(P, ("extra_holidays: []", "extra_holidays: [2026-01-02, 2026-02-29]")),
        (f"{P}:<<extra_holidays>>: extra_holidays[1]: 2026-02-29 is not a real date",),
    ),
    Case(
        "received-without-offset",
        edit(B, ("received: 2026-11-09T10:15:00+01:00", "received: 2026-11-09T10:15:00")),
        (
            f"{B}:<<received:>>: received: expected a timestamp with its time-zone offset, "
            "such as 2017-11-10T11:58:03+01:00, found '2026-11-09T10:15:00'",
        ),
    ),
    Case(
        "received-on-an-impossible-day",
        edit(B, ("received: 2026-11-09T", "received: 2026-11-31T")),
        (f"{B}:<<received:>>: received: 2026-11-31T10:15:00+01:00 is not a real moment in time",),
    ),
    Case(
        "deadline-in-the-hour-the-clocks-skip",
        edit(P, ("deadline: 2026-11-10T12:00:00", "deadline: 2026-03-29T02:30:00")),
        (
            f"{P}:<<deadline:>>: deadline: 2026-03-29 02:30 does not exist in Europe/Amsterdam: "
            "the clocks skip that hour; choose a time outside it",
        ),
    ),
    Case(
        "deadline-in-the-hour-that-happens-twice",
        edit(P, ("deadline: 2026-11-10T12:00:00", "deadline: 2026-10-25T02:30:00")),
        (
            f"{P}:<<deadline:>>: deadline: 2026-10-25 02:30 happens twice in Europe/Amsterdam "
            "(the clocks go back an hour): write its UTC offset, 2026-10-25T02:30:00+02:00 for "
            "the first time or 2026-10-25T02:30:00+01:00 for the second",
        ),
    ),
    Case(
        "deadline-with-an-offset-the-zone-does-not-have",
        edit(P, ("deadline: 2026-11-10T12:00:00", "deadline: 2026-11-10T12:00:00+02:00")),
        (
            f"{P}:<<deadline:>>: deadline: +02:00 is not the UTC offset of Europe/Amsterdam at "
            "2026-11-10 12:00, which is +01:00; write that, or no offset",
        ),
    ),
    Case(
        "deadline-with-an-offset-in-the-hour-the-clocks-skip",
        edit(P, ("deadline: 2026-11-10T12:00:00", "deadline: 2026-03-29T02:30:00+01:00")),
        (
            f"{P}:<<deadline:>>: deadline: 2026-03-29 02:30 does not exist in Europe/Amsterdam: "
            "the clocks skip that hour; choose a time outside it",
        ),
    ),
    Case(
        "unknown-time-zone",
        edit(P, ("time_zone: Europe/Amsterdam", "time_zone: Europe/Amsterdm")),
        (
            f"{P}:<<time_zone:>>: time_zone: 'Europe/Amsterdm' is not a known time zone; "
            "expected an IANA name such as Europe/Amsterdam",
        ),
    ),
    Case(
        "time-zone-that-is-a-path",
        edit(P, ("time_zone: Europe/Amsterdam", "time_zone: ../../etc/passwd")),
        (f"{P}:<<time_zone:>>: time_zone: '../../etc/passwd' is not a known time zone; ...",),
    ),
    Case(
        "framework-ends-before-it-starts",
        edit(P, ("end: 2028-12-31", "end: 2026-12-31")),
        (f"{P}:<<end: 2026>>: framework.end: end 2026-12-31 must come after start 2027-01-01",),
    ),
    Case(
        "certificate-valid-until-before-valid-from",
        edit(B, ("documents:", CERTIFICATE + "documents:")),
        (
            f"{B}:<<valid_until>>: certificates[0].valid_until: 2024-12-31 is before "
            "valid_from 2025-01-01",
        ),
    ),
    Case(
        "definitive-award-before-provisional",
        edit(P, ("definitive_award: 2026-12-22", "definitive_award: 2026-11-30")),
        (
            f"{P}:<<definitive_award>>: planned.definitive_award: 2026-11-30 must come after "
            "the provisional award 2026-12-01",
        ),
    ),
    Case(
        "provisional-award-before-deadline",
        edit(P, ("provisional_award: 2026-12-01", "provisional_award: 2026-11-01")),
        (
            f"{P}:<<provisional_award>>: planned.provisional_award: 2026-11-01 is before the "
            "deadline 2026-11-10",
        ),
    ),
    # --- ids and names that are not safe -----------------------------------------------------
    *(
        Case(
            f"unsafe-id-{name}",
            edit(C, ("  - id: evaluator-3", f"  - id: {bad}")),
            (f"{C}:<<id: {bad}\n>>: evaluators[2].id: '{bad}' {UNSAFE_ID}",),
        )
        for name, bad in [
            ("uppercase", "Evaluator-3"),
            ("space", "evaluator 3"),
            ("parent-folder", "../x"),
            ("slash", "a/b"),
            ("too-long", "e" * 65),
            ("leading-hyphen", "-evaluator"),
            ("trailing-hyphen", "evaluator-"),
        ]
    ),
    Case(
        "unsafe-document-id",
        edit(P, ("  - id: uea", "  - id: UEA")),
        (f"{P}:<<id: UEA>>: documents[1].id: 'UEA' {UNSAFE_ID}",),
    ),
    Case(
        "bid-folder-name-not-a-slug",
        {"submissions/Bid 2/bid.yaml": VALID_BID},
        (
            "submissions/Bid 2/: 'Bid 2' is not a safe bid id; use 1-64 lowercase letters, "
            "digits and inner hyphens (e.g. 'bid-001')",
        ),
    ),
    Case(
        "stray-file-in-submissions",
        {"submissions/notes.txt": "to do\n"},
        ("submissions/notes.txt: expected only bid folders in submissions/",),
    ),
    Case(
        "bid-folder-without-bid-yaml",
        {"submissions/bid-002/kwaliteitsplan.pdf": MINIMAL_PDF},
        ("submissions/bid-002/bid.yaml: file is missing",),
    ),
    *(
        Case(
            f"document-name-{name}",
            edit(B, ("file: uea.pdf", f"file: {bad}")),
            (
                f"{B}:<<file: {bad}>>: documents.uea.file: '{bad}' is not a plain file name; "
                "expected the name of a PDF in the bid's folder, without '/', '\\' or a leading '.'",
            ),
        )
        for name, bad in [
            ("with-a-folder", "stukken/uea.pdf"),
            ("with-a-backslash", "stukken\\uea.pdf"),
            ("into-another-bid", "../bid-002/uea.pdf"),
            ("absolute", "/etc/uea.pdf"),
            ("dot-dot", "..pdf"),
        ]
    ),
    Case(
        "document-not-a-pdf",
        edit(B, ("file: uea.pdf", "file: uea.docx")),
        (
            f"{B}:<<file: uea.docx>>: documents.uea.file: expected a PDF file name ending in "
            ".pdf, found 'uea.docx'",
        ),
    ),
    Case(
        "document-file-missing",
        edit(B, ("file: uea.pdf", "file: espd.pdf")),
        (f"{B}:<<file: espd.pdf>>: documents.uea.file: 'espd.pdf' is not in the bid's folder",),
    ),
    # --- references that do not resolve ------------------------------------------------------
    Case(
        "quality-plan-document-unknown",
        edit(A, ("document: kwaliteitsplan", "document: plan")),
        (
            f"{A}:<<document: plan>>: quality_plan.document: unknown document 'plan'; "
            f"{KNOWN_DOCUMENTS}",
        ),
    ),
    Case(
        "suitability-check-document-unknown",
        appended(S, ESPD_REQUIREMENT),
        (
            f"{S}:<<document: espd>>: requirements[3].check.document: unknown document 'espd'; "
            f"{KNOWN_DOCUMENTS}",
        ),
    ),
    Case(
        "bid-document-not-declared",
        edit(B, ("  uea:\n", "  espd:\n")),
        (f"{B}:<<espd:>>: documents.espd: unknown document 'espd'; {KNOWN_DOCUMENTS}",),
    ),
    Case(
        "conflict-with-unknown-evaluator",
        edit(C, (whole_line(C, "conflicts: []"), CONFLICT.replace("evaluator-2", "evaluator-9"))),
        (
            f"{C}:<<evaluator: evaluator-9>>: conflicts[0].evaluator: unknown evaluator "
            "'evaluator-9'; expected one of: evaluator-1, evaluator-2, evaluator-3",
        ),
    ),
    Case(
        "conflict-with-unknown-bid",
        edit(C, (whole_line(C, "conflicts: []"), CONFLICT.replace("bid-001", "bid-009"))),
        (
            f"{C}:<<bid: bid-009>>: conflicts[0].bid: unknown bid 'bid-009'; expected a folder "
            "name under submissions/",
        ),
    ),
    Case(
        "chair-not-an-evaluator",
        edit(C, ("chair: evaluator-1", "chair: evaluator-9")),
        (
            f"{C}:<<chair:>>: chair: the chair 'evaluator-9' is not one of the evaluators: "
            "evaluator-1, evaluator-2, evaluator-3 (a chair who does not score is listed under "
            "officers:)",
        ),
    ),
    Case(
        "threshold-on-unknown-sub-criterion",
        edit(
            A,
            ("kind: weighted-mean ", "kind: sub-criterion\n    sub_criterion: criterion-9 "),
            ("    min: 8", "    min: 6"),
        ),
        (
            f"{A}:<<sub_criterion: criterion-9>>: threshold[0].sub_criterion: unknown "
            "sub-criterion 'criterion-9'; expected one of: criterion-1, criterion-2",
        ),
    ),
    Case(
        "field-check-on-unknown-field",
        edit(S, ("field: financials.annual_turnover_eur", "field: financials.turnover")),
        (
            f"{S}:<<field: financials.turnover>>: requirements[1].check.field: "
            "'financials.turnover' is not a field of bid.yaml; expected one of: bidder.name, "
            "bidder.trade_register, ..., financials.annual_turnover_eur, ..., references, "
            "certificates",
        ),
    ),
    Case(
        "field-check-on-a-group",
        edit(S, ("field: financials.annual_turnover_eur", "field: financials")),
        (
            f"{S}:<<field: financials\n>>: requirements[1].check.field: 'financials' is a group "
            "of fields; name one of its fields",
        ),
    ),
    Case(
        "pattern-on-a-number",
        edit(S, ("field: bidder.trade_register", "field: financials.annual_turnover_eur")),
        (
            f"{S}:<<field: financials.annual_turnover_eur@1>>: requirements[0].check.field: "
            "a pattern applies to text, and 'financials.annual_turnover_eur' is not text",
        ),
    ),
    # --- duplicate ids -----------------------------------------------------------------------
    Case(
        "duplicate-evaluator-id",
        edit(C, ("  - id: evaluator-3", "  - id: evaluator-1")),
        (
            f"{C}:<<id: evaluator-1@2>>: evaluators[2].id: evaluator id 'evaluator-1' is "
            "already used on line <<id: evaluator-1@1>>; ids must be unique",
        ),
    ),
    Case(
        "member-without-a-key",
        edit(C, (f"    key: {public('evaluator-2')}\n", "")),
        (
            f"{C}:<<id: evaluator-2>>: evaluators[1].id: evaluator-2 has no public key; every "
            "member signs what they record. evaluator-2 runs 'tender key new --evaluator "
            "evaluator-2' and the line it prints is added here as key:",
        ),
    ),
    Case(
        "officer-without-a-key",
        edit(
            C,
            (
                whole_line(C, "conflicts: []"),
                "officers:\n  - id: pjansen\n    name: P. Jansen\nsecretary: pjansen\n"
                "conflicts: []\n",
            ),
        ),
        (
            f"{C}:<<id: pjansen>>: officers[0].id: pjansen has no public key; every member "
            "signs what they record. pjansen runs 'tender key new --evaluator pjansen' and the "
            "line it prints is added here as key:",
        ),
    ),
    Case(
        "two-members-with-one-key",
        edit(C, (public("evaluator-3"), public("evaluator-1"))),
        (
            f"{C}:<<{public('evaluator-1')}@2>>: evaluators[2].key: the same public key as "
            "evaluator-1's; each member signs with a key of their own ('tender key new "
            "--evaluator evaluator-3' makes one)",
        ),
    ),
    Case(
        "key-not-as-tender-key-new-prints-it",
        edit(C, (public("evaluator-2"), "ssh-ed25519 AAAAC3Nza")),
        (
            f"{C}:<<ssh-ed25519>>: evaluators[1].key: expected a public key line as 'tender key "
            "new' prints it (ed25519: and 44 characters of base64), found 'ssh-ed25519 AAAAC3Nza'",
        ),
    ),
    Case(
        "secretary-not-an-officer",
        edit(C, (whole_line(C, "conflicts: []"), "secretary: evaluator-2\nconflicts: []\n")),
        (
            f"{C}:<<secretary: evaluator-2>>: secretary: the secretary 'evaluator-2' is not one of the "
            "officers; a secretary does not score and is listed under officers:",
        ),
    ),
    Case(
        "duplicate-sub-criterion-id",
        edit(A, ("  - id: criterion-2", "  - id: criterion-1")),
        (
            f"{A}:<<id: criterion-1@2>>: sub_criteria[1].id: sub-criterion id 'criterion-1' is "
            "already used on line <<id: criterion-1@1>>; ids must be unique",
        ),
    ),
    Case(
        "duplicate-requirement-id",
        edit(S, ("  - id: omzet", "  - id: handelsregister")),
        (
            f"{S}:<<id: handelsregister@2>>: requirements[1].id: requirement id "
            "'handelsregister' is already used on line <<id: handelsregister@1>>; "
            "ids must be unique",
        ),
    ),
    Case(
        "duplicate-document-id",
        edit(P, ("  - id: uea", "  - id: kwaliteitsplan")),
        (
            f"{P}:<<id: kwaliteitsplan@2>>: documents[1].id: document id 'kwaliteitsplan' is "
            "already used on line <<id: kwaliteitsplan@1>>; ids must be unique",
            f"{B}:<<uea:>>: documents.uea: unknown document 'uea'; ...",
        ),
    ),
    Case(
        "duplicate-lot-id",
        edit(
            P,
            (
                "    title: Title of the lot\n",
                "    title: Title of the lot\n  - id: lot-1\n    title: Again\n",
            ),
        ),
        (
            f"{P}:<<id: lot-1@2>>: lots[1].id: lot id 'lot-1' is already used on line "
            "<<id: lot-1@1>>; ids must be unique",
        ),
    ),
    # --- weights, scale and threshold --------------------------------------------------------
    Case(
        "weight-zero",
        edit(A, ("weight: 50", "weight: 0")),
        (f"{A}:<<weight: 0>>: sub_criteria[0].weight: input should be greater than 0, found 0",),
    ),
    Case(
        "weight-negative",
        edit(A, ("weight: 50", "weight: -50")),
        (
            f"{A}:<<weight: -50>>: sub_criteria[0].weight: input should be greater than 0, "
            "found -50",
        ),
    ),
    Case(
        "weights-not-adding-up-to-100",
        edit(A, ("weight: 50", "weight: 40")),
        (
            f"{A}:<<sub_criteria:>>: sub_criteria: weights are percentages and must add up to "
            "100; 40 + 50 = 90",
        ),
    ),
    Case(
        "decimal-weights-just-short-of-100",
        edit(A, ("weight: 50", "weight: 33.33"), ("weight: 50", "weight: 66.66")),
        (
            f"{A}:<<sub_criteria:>>: sub_criteria: weights are percentages and must add up to "
            "100; 33.33 + 66.66 = 99.99",
        ),
    ),
    Case(
        "scale-points-not-rising",
        edit(A, ("  - value: 6\n", "  - value: 4\n")),
        (f"{A}:<<value: 4@2>>: scale[3].value: scale points must rise: 4 follows 4",),
    ),
    Case(
        "scale-of-one-point",
        edit(A, (between(A, "  - value: 2", "sub_criteria:"), "")),
        (f"{A}:<<scale:>>: scale: expected at least 2 entries, found 1",),
    ),
    Case(
        "committee-without-evaluators",
        {C: "chair: evaluator-1\nevaluators: []\n"},
        (f"{C}:2: evaluators: expected at least 1 entry, found none",),
    ),
    Case(
        "threshold-above-the-scale",
        edit(A, ("    min: 8", "    min: 11")),
        (f"{A}:<<min: 11>>: threshold[0].min: 11 cannot be reached on a scale from 0 to 10",),
    ),
    Case(
        "threshold-below-the-scale",
        edit(A, ("    min: 8", "    min: -1")),
        (f"{A}:<<min: -1>>: threshold[0].min: -1 cannot be reached on a scale from 0 to 10",),
    ),
    Case(
        "each-sub-criterion-minimum-between-points-with-consensus",
        edit(
            A, ("kind: weighted-mean ", "kind: each-sub-criterion "), ("    min: 8", "    min: 7")
        ),
        (
            f"{A}:<<min: 7>>: threshold[0].min: 7 is not a point on the scale "
            "(0, 2, 4, 6, 8, 10); a consensus score is always a point, so write the point you mean",
        ),
    ),
    # --- other rules -------------------------------------------------------------------------
    Case(
        "statutory-standstill-shorter-than-20-days",
        edit(P, ("days: 20 ", "days: 15 ")),
        (
            f"{P}:<<days: 15>>: standstill.days: a statutory standstill lasts at least 20 "
            "calendar days, found 15",
        ),
    ),
    Case(
        "field-check-without-a-rule",
        edit(S, ("      min: 100000\n", "")),
        (
            f"{S}:<<check:@2>>: requirements[1].check: a field check has no rule; expected min, "
            "max, equals, one_of or pattern",
        ),
    ),
    Case(
        "field-check-min-above-max",
        edit(S, ("      min: 100000\n", "      min: 100000\n      max: 10\n")),
        (f"{S}:<<min: 100000>>: requirements[1].check.min: min 100000 is above max 10",),
    ),
    Case(
        "invalid-regular-expression",
        edit(S, ('pattern: "^[0-9]{8}$"', 'pattern: "^[0-9"')),
        (
            f"{S}:<<pattern: >>: requirements[0].check.pattern: '^[0-9' is not a valid regular "
            "expression: ...",
        ),
    ),
    Case(
        "person-verified-without-evidence",
        edit(S, ("    evidence: The references in bid.yaml.\n", "")),
        (
            f"{S}:<<id: referenties>>: requirements[2]: 'person: true' without 'evidence'; "
            "name the evidence the person is to verify",
        ),
    ),
    Case(
        "requirement-with-neither-check-nor-person",
        edit(
            S,
            (between(S, "    check:", "  - id: omzet"), ""),
        ),
        (
            f"{S}:<<id: handelsregister>>: requirements[0]: a requirement has neither a 'check' "
            "nor 'person: true'; expected one or both",
        ),
    ),
    # --- encoding and unsafe YAML ------------------------------------------------------------
    Case(
        "latin-1-file",
        {C: ORIGINAL[C].replace("Second Evaluator", "José Évaluateur").encode("latin-1")},
        (f"{C}:<<José>>: byte 0xe9 is not UTF-8; save the file as UTF-8",),
    ),
    Case(
        "control-character",
        edit(C, ("Third Evaluator", "Third\x07Evaluator")),
        (
            f"{C}:<<Third>>: control character U+0007 is not allowed in YAML; remove it or save "
            "the file as plain text",
        ),
    ),
    Case(
        "python-object-tag",
        edit(C, ("conflicts: []", "conflicts: !!python/object/apply:os.system ['echo pwned']")),
        (
            f"{C}:<<conflicts:>>: conflicts: YAML tag '!!python/object/apply:os.system' is not "
            "allowed; only plain values are accepted",
        ),
    ),
    Case(
        "anchor-and-alias",
        edit(
            C,
            ("    role: policy", "    role: &role policy"),
            ("    role: execution", "    role: *role"),
        ),
        (
            f"{C}:<<&role>>: anchor '&role' is not allowed; write each value out in full",
            f"{C}:<<*role>>: alias '*role' is not allowed; write the value out in full here",
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_broken_dossier(
    make_dossier: DossierFactory, run_cli: Callable[..., Result], case: Case
) -> None:
    root = make_dossier(case.files)
    check_broken(run_cli, root, case.files, case.expected)


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


ACCEPTED = [
    pytest.param({C: b"\xef\xbb\xbf" + ORIGINAL[C].encode()}, id="byte-order-mark"),
    pytest.param(edit(P, ("country: NL", "country: NO")), id="country-no-is-norway"),
    pytest.param(
        edit(
            A,
            ("kind: weighted-mean ", "kind: each-sub-criterion "),
            ("    min: 8", "    min: 7"),
            ("final_score: consensus", "final_score: mean"),
        ),
        id="each-sub-criterion-minimum-between-points-with-mean",
    ),
    pytest.param(
        edit(P, ("days: 20 ", "days: 15 "), ("statutory: true ", "statutory: false ")),
        id="contractual-standstill-of-15-days",
    ),
    pytest.param(
        edit(A, ("weight: 50", "weight: 33.33"), ("weight: 50", "weight: 66.67")),
        id="decimal-weights-adding-up-to-100",
    ),
    pytest.param({"submissions/.DS_Store": b"\x00\x01"}, id="hidden-file-in-submissions"),
    pytest.param(edit(P, ("start: 2027-01-01", 'start: "2027-01-01"')), id="quoted-date"),
    pytest.param(edit(C, (whole_line(C, "conflicts: []"), CONFLICT)), id="declared-conflict"),
    pytest.param(
        edit(B, ('trade_register: "12345678"', "trade_register: 12345678")),
        id="trade-register-written-as-a-number",
    ),
    pytest.param(
        edit(P, ("deadline: 2026-11-10T12:00:00", "deadline: 2026-10-25T02:30:00+01:00")),
        id="deadline-in-the-hour-that-happens-twice-with-its-offset",
    ),
    pytest.param(
        edit(P, ("deadline: 2026-11-10T12:00:00", "deadline: 2026-11-10T12:00:00+01:00")),
        id="deadline-with-the-zone-s-offset",
    ),
]


@pytest.mark.parametrize("files", ACCEPTED)
def test_accepted_variants(
    make_dossier: DossierFactory, run_cli: Callable[..., Result], files: Files
) -> None:
    root = make_dossier(files)
    before = snapshot(root)
    result = run_cli("check", "--dossier", str(root))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.endswith("✓ 1 bid; the dossier has no problems.\n")
    assert snapshot(root) == before


def test_country_no_stays_text(make_dossier: DossierFactory) -> None:
    dossier = load_dossier(make_dossier(edit(P, ("country: NL", "country: NO"))))
    assert dossier.procedure.authority.address.country == "NO"


def test_problems_in_several_files_are_reported_in_one_run(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    files: dict[str, str | bytes | None] = {
        **edit(A, ("weight: 50", "weight: 40")),
        **edit(C, ("chair: evaluator-1", "chair: evaluator-9")),
        **edit(B, ("year: 2025", "year: twenty")),
        **edit(P, ("days: 20 ", "days: 15 ")),
        "submissions/notes.txt": "to do\n",
        "submissions/bid-002/uea.pdf": MINIMAL_PDF,
    }
    root = make_dossier(files)
    check_broken(
        run_cli,
        root,
        files,
        (
            f"{A}:<<sub_criteria:>>: sub_criteria: weights are percentages and must add up to "
            "100; 40 + 50 = 90",
            f"{C}:<<chair:>>: chair: the chair 'evaluator-9' is not one of the evaluators: ...",
            f"{P}:<<days: 15>>: standstill.days: a statutory standstill lasts at least 20 ...",
            f"{B}:<<year: twenty>>: references[0].year: expected a whole number, found 'twenty'",
            "submissions/bid-002/bid.yaml: file is missing",
            "submissions/notes.txt: expected only bid folders in submissions/",
        ),
    )


def test_every_problem_of_one_file_is_reported(make_dossier: DossierFactory) -> None:
    files = edit(
        A,
        ("weight: 50", "weight: fifty"),
        ("max_pages: 2 ", "max_pages: -1 "),
        ("final_score: consensus", "final_score: average"),
    )
    with pytest.raises(DossierError) as caught:
        load_dossier(make_dossier(files))
    assert_problems(
        [str(problem) for problem in caught.value.problems],
        expected_lines(
            files,
            (
                f"{A}:<<weight: fifty>>: sub_criteria[0].weight: expected a number, found 'fifty'",
                f"{A}:<<max_pages: -1>>: sub_criteria[0].max_pages: input should be greater "
                "than or equal to 1, found -1",
                f"{A}:<<final_score>>: final_score: input should be 'consensus', 'mean' or "
                "'median', found 'average'",
            ),
        ),
    )


# --- symlinks ---------------------------------------------------------------------------------


def _symlink(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target)
    except OSError as error:  # pragma: no cover - Windows without the privilege
        pytest.skip(f"cannot create symlinks here: {error}")


def test_symlinked_document_pointing_outside_the_bid_folder(
    make_dossier: DossierFactory, run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    files = edit(B, ("file: uea.pdf", "file: link.pdf"))
    root = make_dossier(files)
    outside = tmp_path / "elsewhere.pdf"
    outside.write_bytes(MINIMAL_PDF)
    _symlink(root / "submissions" / "bid-001" / "link.pdf", outside)
    check_broken(
        run_cli,
        root,
        files,
        (
            f"{B}:<<file: link.pdf>>: documents.uea.file: 'link.pdf' points outside the bid's "
            "folder",
        ),
    )


def test_symlinked_document_into_another_bid(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    files: dict[str, str | bytes | None] = {
        **edit(B, ("file: uea.pdf", "file: link.pdf")),
        "submissions/bid-002/bid.yaml": VALID_BID,
        "submissions/bid-002/kwaliteitsplan.pdf": MINIMAL_PDF,
        "submissions/bid-002/uea.pdf": MINIMAL_PDF,
    }
    root = make_dossier(files)
    _symlink(root / "submissions/bid-001/link.pdf", Path("..") / "bid-002" / "uea.pdf")
    check_broken(
        run_cli,
        root,
        files,
        (
            f"{B}:<<file: link.pdf>>: documents.uea.file: 'link.pdf' points outside the bid's "
            "folder",
        ),
    )


def test_symlinked_document_inside_the_bid_folder_is_accepted(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    root = make_dossier(edit(B, ("file: uea.pdf", "file: link.pdf")))
    _symlink(root / "submissions/bid-001/link.pdf", Path("uea.pdf"))
    result = run_cli("check", "--dossier", str(root))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "1 bid; the dossier has no problems." in result.stdout
    bid = load_dossier(root).submission("bid-001")
    assert bid is not None
    assert bid.document_path("uea") == root / "submissions/bid-001/link.pdf"


def test_symlinked_bid_folder_is_refused(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    root = make_dossier()
    _symlink(root / "submissions" / "bid-002", root / "submissions" / "bid-001")
    check_broken(
        run_cli, root, {}, ("submissions/bid-002: expected only bid folders in submissions/",)
    )


def test_python_tag_in_the_dossier_runs_nothing(
    make_dossier: DossierFactory, run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    files = edit(
        C, ("conflicts: []", f"conflicts: !!python/object/apply:os.system ['touch {marker}']")
    )
    root = make_dossier(files)
    check_broken(
        run_cli,
        root,
        files,
        (
            f"{C}:<<conflicts:>>: conflicts: YAML tag '!!python/object/apply:os.system' is not "
            "allowed; only plain values are accepted",
        ),
    )
    assert not marker.exists()
    assert [path.name for path in tmp_path.iterdir()] == ["dossier"]


def test_a_linked_bid_file_is_refused(
    make_dossier: DossierFactory, run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    root = make_dossier()
    outside = tmp_path / "elsewhere.yaml"
    bid_file = root / "submissions/bid-001/bid.yaml"
    outside.write_text(bid_file.read_text(encoding="utf-8"), encoding="utf-8")
    bid_file.unlink()
    bid_file.symlink_to(outside)
    check_broken(
        run_cli, root, {}, ("submissions/bid-001/bid.yaml: is a link; expected the file itself",)
    )
    assert outside.read_text(encoding="utf-8") == VALID_BID


def test_a_criteria_file_that_is_a_folder_is_named_as_such(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    root = make_dossier()
    (root / "criteria/award.yaml").unlink()
    (root / "criteria/award.yaml").mkdir()
    check_broken(run_cli, root, {}, ("criteria/award.yaml: is a folder; expected a file",))
    assert list((root / "criteria/award.yaml").iterdir()) == []


@pytest.mark.parametrize(
    ("written", "moment"),
    [
        ("2026-10-25T02:30:00+02:00", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("2026-10-25T02:30:00+01:00", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        ("2026-11-10T12:00:00", datetime(2026, 11, 10, 11, 0, tzinfo=UTC)),
    ],
)
def test_the_offset_says_which_time_of_the_hour_that_happens_twice_is_the_deadline(
    make_dossier: DossierFactory, written: str, moment: datetime
) -> None:
    root = make_dossier(edit(P, ("deadline: 2026-11-10T12:00:00", f"deadline: {written}")))
    assert load_dossier(root).procedure.deadline_at.astimezone(UTC) == moment
