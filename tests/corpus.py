"""A corpus of broken dossiers: each a named mutation of a small copy of the example.

The base is the example dossier cut down to its criteria, five bids (two awarded, two below
the threshold, one invalid, one with a declared conflict) and their part of the record,
recorded again through :class:`~tender.record.recorder.Recorder` up to the lock, so that every
command has something to work on: first the chair's opening (freezing the base's criteria,
bids and PDF readings, at the example's 2017-11-10 13:00 UTC), then the example's verdicts,
scores, consensus and phases. Each :class:`Mutation` changes one thing in a copy of it and
says where the message about it must point. What "handled" means depends on its kind:

``dossier``
    A mistake in criteria/ or submissions/ (a file or value over its limit, a named pipe in
    place of a file among them): the dossier does not load. Every command,
    ``tender verify`` included (it loads the dossier to check the record against it),
    exits 1 and lists problems, each placed at a file (and line, unless the file itself is
    missing or misplaced), the expected one among them; nothing is written (reports/, the
    record, files named on the command line). Not loading comes before the opening's
    freeze: the copy is not re-opened.
``frozen``
    A change to criteria/ or submissions/ after the opening that still loads (a bid renamed
    or withdrawn, a bid added, a weight or threshold moved, a PDF replaced, a decompression
    bomb put in a plan's place). Every command that reads the record exits 3 with ``error:
    N files differ from what was opened (entry 1, ...)`` first and then one line per file,
    ``  PATH: changed since the opening`` (or ``added after``, ``removed since``), the
    expected one among them; nothing is written. ``tender check`` and ``tender standstill``
    read no record and exit as on the intact base; so does every command on a hidden file
    added (``.DS_Store``: nobody's decision, not frozen).
``record``
    scores/ changed outside tender: a line edited, deleted, repeated or swapped, the head
    changed, or an entry the procedure does not allow written with a valid chain and head
    (the whole chain rewritten around a score off the scale, or an entry appended by a
    non-member, on an unknown bid or sub-criterion, by a member where only the chair may,
    on a conflicted bid, in the wrong phase, changing a score without a reason, dated
    before the last entry or in the future, after the letters were sent, a second opening,
    an opening before the deadline or none at all). ``tender verify`` and every command
    that reads the record exit 3 naming the file and line (for a rule: ``entry N (KIND by
    'BY') breaks a rule of the procedure: ...``); nothing is written.
``sheet``
    A score sheet typed by hand. ``tender score import`` exits 1 naming the sheet, row and
    column; nothing is recorded.
``finding``
    A document a bidder sent that cannot (all) be read (damaged, or stopped at a limit of
    tender/domain/limits.py: too large, too much text, a decompression bomb), or a PDF cache
    edited to read otherwise. Not a mistake in the dossier: the copy is re-opened on the changed files
    (:func:`reopen`, as if they were what the bidder sent), ``tender check`` passes,
    ``tender bids`` shows the finding (``cache-reread`` for the cache: the opening's
    reading is believed, not the cache), and every command exits as it does on the intact
    base.
``content``
    Hostile text in a name, title, motivation or PDF: accepted as text, and re-opened like
    a finding. Every command exits as on the intact base, nothing written evaluates it as a
    template, and no HTML under reports/ holds it unescaped. Names and motivations that a
    spreadsheet would run as a formula start no cell of a CSV file written (under reports/
    or the work folder), and the escape sequences of an account in the record reach no
    output as they are.
``link``
    A link where tender writes (``reports/``, a set in it, a file in a set, the record's
    ledger, the PDF cache) that leads to a folder beside the dossier. Every command exits as
    on the intact base, or 1 with ``PATH: leads to ...`` (the link, and ``tender writes only
    inside the dossier``) and ``nothing was written.`` last; the link stays, and what it
    leads to stays byte for byte as it was.
``machine``
    Something other than a regular file where tender keeps its own (a folder or a named pipe
    in place of ``scores/ledger.jsonl`` or ``ledger.head``), or a file where it needs a folder
    (``reports``). Every command that meets the path (every command that reads the record,
    for the record's files) exits 5 naming it and what to do, without waiting on a pipe;
    nothing is written. Every other command exits as on the intact base.

Every command is found by walking the click group (as tests/test_visibility.py does), so a
command added later is run against the corpus the day it is added; its arguments come from
its parameters. No command may print a traceback or exit 70.

Used by tests/test_corpus.py (a sample) and scripts/robustness.py (every mutation against
every command).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import click
from click.testing import CliRunner
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from tender.bids.documents import read_documents, reading_digests
from tender.bids.suitability import bids_not_scored
from tender.cli import cli
from tender.domain.dossier import SCORES_FOLDER
from tender.io.loader import input_digests, load_dossier
from tender.record.ledger import HEAD_NAME, LEDGER_NAME, LOCK_NAME, Ledger, encode_entry
from tender.record.replay import read_book
from tests.keys import acting_recorder, member_key, sealed_event, signers
from tests.pdf_fixtures import bomb_pdf, text_bomb_pdf, text_pdf, truncated

REPO_ROOT = Path(__file__).resolve().parent.parent
BASE_BIDS = ("bid-001", "bid-002", "bid-003", "bid-017", "bid-026")
"""bid-002 and bid-003 are awarded, bid-001 and bid-017 (a conflict) below, bid-026 invalid."""
BID = "bid-002"
CHAIR = "ibosman"
EVALUATOR = "jvanrijn"
ACCOUNT = "example-generator"

P = "criteria/procedure.yaml"
C = "criteria/committee.yaml"
S = "criteria/suitability.yaml"
A = "criteria/award.yaml"
B = f"submissions/{BID}/bid.yaml"
LEDGER = f"{SCORES_FOLDER}/{LEDGER_NAME}"
HEAD = f"{SCORES_FOLDER}/{HEAD_NAME}"
SHEET = "sheet.csv"
"""The score sheet's name in the work folder; messages name it by the path given."""

Kind = Literal["dossier", "frozen", "record", "sheet", "finding", "content", "link", "machine"]
KINDS: tuple[Kind, ...] = (
    "dossier",
    "frozen",
    "record",
    "sheet",
    "finding",
    "content",
    "link",
    "machine",
)
Motivate = Callable[[str, str | None, str], str]
"""(bid, sub-criterion or None for a verdict, text) -> the text to record instead."""


# --- the base ------------------------------------------------------------------------------


def build_base(target: Path, *, motivate: Motivate | None = None) -> Path:
    """The small example at ``target``, its record written through the Recorder, PDFs cached."""
    shutil.copytree(REPO_ROOT / "criteria", target / "criteria")
    for bid in BASE_BIDS:
        shutil.copytree(REPO_ROOT / "submissions" / bid, target / "submissions" / bid)
    committee = target / C
    blocks = re.split(r"(?m)^(?=  - evaluator: )", committee.read_text(encoding="utf-8"))
    kept = [
        block
        for block in blocks
        if not block.startswith("  - evaluator: ")
        or any(f"bid: {bid}\n" in block for bid in BASE_BIDS)
    ]
    committee.write_text("".join(kept), encoding="utf-8")
    record_base(target, motivate=motivate)
    return target


def record_base(root: Path, *, motivate: Motivate | None = None) -> None:
    """Write the record again from the example's entries on the base's bids (``motivate`` may
    change the texts), through the Recorder, with the example's moments and account.

    The example's individual scores are read from its reveal; the base's own reveal is
    written by the chair's move to consensus, at that move's moment.
    """
    folder = root / SCORES_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    dossier = load_dossier(root)
    example = read_book(load_dossier(REPO_ROOT))
    lines = (REPO_ROOT / LEDGER).read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    entries = [
        entry
        for entry in entries
        if entry["event"]["kind"] != "reveal" and entry["event"].get("bid", BID) in BASE_BIDS
    ]
    moment = [datetime.fromisoformat(entries[0]["at"])]
    recorder = acting_recorder(
        dossier,
        not_scored=bids_not_scored(dossier, read_book(dossier)),
        clock=lambda: moment[0],
        account=ACCOUNT,
    )
    change = motivate or (lambda _bid, _sub, text: text)
    for entry in entries:
        event, by = entry["event"], entry["by"]
        kind = event["kind"]
        moment[0] = datetime.fromisoformat(entry["at"])
        if kind == "opening":
            recorder.open_bids(by, reading_digests(read_documents(dossier)))
        elif kind == "verdict":
            reason = change(event["bid"], None, event["reason"])
            recorder.record_verdict(
                by, event["bid"], event["requirement"], passed=event["passed"], reason=reason
            )
        elif kind == "sealed-score":
            score = example.opened[entry["seq"]]
            recorder.record_score(
                by,
                event["bid"],
                event["sub_criterion"],
                score=score.score,
                motivation=change(event["bid"], event["sub_criterion"], score.motivation),
                reason=score.reason,
            )
        elif kind == "consensus":
            recorder.record_consensus(
                by,
                event["bid"],
                event["sub_criterion"],
                score=Decimal(event["score"]),
                motivation=change(event["bid"], event["sub_criterion"], event["motivation"]),
                reason=event.get("reason"),
            )
        else:
            recorder.change_phase(by, event["phase"])
    (folder / LOCK_NAME).unlink(missing_ok=True)


def reopen(root: Path) -> None:
    """Make the record's opening freeze the criteria and bids at ``root`` as they are now, and
    what their PDFs read as, rewriting the chain: the record the committee would have made had
    these been the files opened. The dossier must load (its PDFs are read)."""
    dossier = load_dossier(root)
    files, readings = dict(dossier.files), reading_digests(read_documents(dossier))
    assert files == input_digests(root)

    def change(_line: int, body: dict[str, Any]) -> None:
        if body["event"]["kind"] == "opening":
            body["event"]["files"], body["event"]["readings"] = files, readings

    rechain(root, change)


def copy_dossier(source: Path, target: Path) -> Path:
    """A copy to work on; links are copied as links (some mutations are links)."""
    shutil.copytree(source, target, symlinks=True)
    return target


def to_individual_phase(root: Path) -> None:
    """Cut the record back to the moment before the chair opened the consensus phase."""
    cut_record(root, b'"kind":"reveal"')


def to_consensus_phase(root: Path) -> None:
    """Cut the record back to the moment before the chair locked the scores."""
    cut_record(root, b'"phase":"locked"')


def cut_record(root: Path, marker: bytes) -> None:
    """Cut the record back to before its first entry holding ``marker`` (head and all)."""
    ledger = root / LEDGER
    lines = ledger.read_bytes().splitlines(keepends=True)
    first = next(n for n, line in enumerate(lines) if marker in line)
    ledger.write_bytes(b"".join(lines[:first]))
    last = json.loads(lines[first - 1])
    _write_head(root, last["seq"], last["hash"])


# --- what a message must say ---------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """Where a message must point: its start (file, line, field) and words it must hold, and
    (when given) how the first line of all must start."""

    start: str
    words: str = ""
    first: str = ""

    def found_in(self, lines: Sequence[str]) -> bool:
        if self.first and not (lines and lines[0].startswith(self.first)):
            return False
        return any(line.startswith(self.start) and self.words in line for line in lines)

    def __str__(self) -> str:
        shown = f"{self.start}…{self.words}" if self.words else self.start
        return f"{self.first}… then {shown}" if self.first else shown


def at(file: str, line: int | None, where: str | None = None, words: str = "") -> Expected:
    """A problem in the dossier (or a sheet): ``file:line: field: message``."""
    place = file if line is None else f"{file}:{line}"
    return Expected(f"{place}: {where}: " if where else f"{place}: ", words)


def damaged(file: str, line: int, words: str = "") -> Expected:
    """The record fails verification: ``error: file:line: message``."""
    return Expected(f"error: {file}:{line}: ", words)


OPENED = "(entry 1, 2017-11-10 13:00 UTC)"
"""How a frozen-input refusal names the base's opening."""


def frozen(changes: int, file: str, words: str) -> Expected:
    """Inputs changed after the opening: ``error: N files differ from what was opened (entry
    1, ...)`` first, then ``  file: words`` among the lines that follow."""
    noun = "file differs" if changes == 1 else "files differ"
    return Expected(f"  {file}: ", words, f"error: {changes} {noun} from what was opened {OPENED}")


def finding(bid: str, words: str) -> Expected:
    """A finding that ``tender bids`` shows for a bid: ``bid: message``."""
    return Expected(f"{bid}: ", words)


@dataclass(frozen=True)
class Mutation:
    """One broken dossier: what is changed (``apply``, which returns where the message points)."""

    name: str
    kind: Kind
    apply: Callable[[Path], Expected | None]
    forbidden: tuple[str, ...] = ()
    """(content) text that must appear in no output and no file: a template evaluated."""
    escaped: tuple[str, ...] = ()
    """(content) text that must appear in no HTML file: markup let through unescaped."""
    formulas: tuple[str, ...] = ()
    """(content) text no cell of a CSV file written may start with: a formula to run."""
    unprinted: tuple[str, ...] = ()
    """(content) characters no output may hold as they are: the terminal would obey them."""


# --- editing helpers -----------------------------------------------------------------------


def read(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8")


def write(root: Path, relative: str, text: str | bytes) -> None:
    path = root / relative
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def line_of(text: str, marker: str) -> int:
    """The 1-based line holding ``marker`` (``marker@2``: its second occurrence)."""
    marker, _, nth = marker.partition("@")
    position = -1
    for _ in range(int(nth or 1)):
        position = text.index(marker, position + 1)
    return text.count("\n", 0, position) + 1


def set_value(root: Path, relative: str, key: str, value: str) -> int:
    """Give the line of ``key`` (``name:``; ``name:@2`` for the second) the value ``value``,
    keeping its indent and list dash; return its number."""
    text = read(root, relative)
    key, _, nth = key.partition("@")
    found = list(re.finditer(rf"(?m)^([ -]*){re.escape(key)}.*$", text))
    assert len(found) >= int(nth or 1), f"no {key!r} @{nth} in {relative}"
    match = found[int(nth or 1) - 1]
    write(
        root, relative, f"{text[: match.start()]}{match.group(1)}{key} {value}{text[match.end() :]}"
    )
    return text.count("\n", 0, match.start()) + 1


def _table(text: str) -> Iterator[list[str]]:
    """The rows of a table written as ``cell | cell | ...``, one per line; ``-`` is empty."""
    for line in text.strip().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield ["" if cell.strip() == "-" else cell.strip() for cell in line.split(" | ")]


_FILES = {"P": P, "C": C, "S": S, "A": A, "B": B}


# --- mutations of every YAML file ----------------------------------------------------------

# Per file: the key of a line to break, and the field it holds.
_TARGETS: dict[str, tuple[str, str]] = {
    P: ("name:", "authority.name"),
    C: ("name:", "evaluators[0].name"),
    S: ("title:", "requirements[0].title"),
    A: ("label:", "scale[0].label"),
    B: ("name:", "bidder.name"),
}
_SHORT = {P: "procedure", C: "committee", S: "suitability", A: "award", B: "bid"}
# name | value given to the target line | words of the message | placed at the field?
_VALUES = r"""
colon-in-value      | Zorg: thuis                                      | mapping values are not allowed      | no
unclosed-quote      | "Gemeente                                        | quoted text starts here                  | no
anchor              | &naam Gemeente                                   | anchor '&naam' is not allowed       | no
python-tag          | !!python/object/apply:os.system ["touch PWNED"]  | '!!python/object/apply:os.system'   | yes
object-tag          | !!python/object:tender.domain.models.Model {}           | '!!python/object:tender.domain.models.Model' | yes
custom-tag          | !include /etc/passwd                             | YAML tag '!include' is not allowed  | yes
binary-tag          | !!binary aGVsbG8=                                | YAML tag '!!binary' is not allowed  | yes
control-character   | Zorg\x07thuis                                    | control character U+0007            | no
nul-byte            | Zorg\x00thuis                                    | control character U+0000            | no
escaped-control     | "Zorg\\u0007thuis"                               | control character U+0007            | yes
escaped-nul         | "Zorg\\0thuis"                                   | control character U+0000            | yes
direction-override  | Zorg \u202ethuis                                 | U+202E                              | no
escaped-direction   | "Zorg \\u2067thuis"                              | U+2067                              | yes
"""


def _unescape(cell: str) -> str:
    r"""Table cells spell invisible characters as ``\x07`` / ``\u202e``; ``\\`` is a backslash."""
    return re.sub(
        r"\\\\|\\n|\\x([0-9a-f]{2})|\\u([0-9a-f]{4})",
        lambda m: (
            {"\\\\": "\\", "\\n": "\n"}.get(m.group()) or chr(int(m.group(1) or m.group(2), 16))
        ),
        cell,
    )


def _yaml_mutations(file: str) -> Iterator[Mutation]:
    key, where = _TARGETS[file]
    short = _SHORT[file]

    def value(text: str, words: str, placed: bool) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            return at(file, set_value(root, file, key, text), where if placed else None, words)

        return apply

    def tab(root: Path) -> Expected:
        text = read(root, file)
        line = line_of(text, f"\n{key}") + 1 if text.startswith(key) else None
        match = re.search(rf"(?m)^ +(?={re.escape(key)})", text)
        assert match and line is None
        write(root, file, text[: match.start()] + "\t" + text[match.end() :])
        return at(file, text.count("\n", 0, match.start()) + 1, None, "a tab is used")

    def whole(content: str | bytes, line: int | None, words: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            write(root, file, content)
            return at(file, line, None, words)

        return apply

    def appended(text: str, words: str, field: str | None = None) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            old = read(root, file)
            old += "" if old.endswith("\n") else "\n"
            write(root, file, old + text)
            return at(file, old.count("\n") + 1, field, words)

        return apply

    def repeated(root: Path) -> Expected:
        text = read(root, file)
        match = re.search(rf"(?m)^[ -]*{re.escape(key)}.*\n", text)
        assert match
        again = " " * (len(match.group()) - len(match.group().lstrip(" -"))) + match.group().lstrip(
            " -"
        )
        write(root, file, text[: match.end()] + again + text[match.end() :])
        line = text.count("\n", 0, match.start()) + 2
        return at(file, line, where, f"duplicate key '{key.rstrip(':')}'")

    def top_key_again(root: Path) -> Expected:
        top = re.search(r"(?m)^([a-z_]+):.*$", read(root, file))
        assert top
        return appended(top.group() + "\n", "duplicate key", top.group(1))(root)

    def latin1(root: Path) -> Expected:
        line = set_value(root, file, key, "Café")
        data = (
            read(root, file).encode("utf-8").replace("Café".encode(), "Café".encode("latin-1"), 1)
        )
        write(root, file, data)
        return at(file, line, None, "byte 0xe9 is not UTF-8")

    def removed(root: Path) -> Expected:
        (root / file).unlink()
        return at(file, None, None, "file is missing")

    def folder(root: Path) -> Expected:
        (root / file).unlink()
        (root / file).mkdir()
        return at(file, None, None, "is a folder; expected a file")

    def linked(root: Path) -> Expected:
        path = root / file
        (root / "elsewhere.yaml").write_bytes(path.read_bytes())
        path.unlink()
        path.symlink_to(root / "elsewhere.yaml")
        return at(file, None, None, "is a link; expected the file itself")

    def utf16(root: Path) -> Expected:
        write(root, file, read(root, file).encode("utf-16"))
        return at(file, 1, None, "is not UTF-8")

    found: list[tuple[str, Callable[[Path], Expected]]] = [
        (name, value(_unescape(text), words, placed == "yes"))
        for name, text, words, placed in _table(_VALUES)
    ]
    found += [
        ("tab-indent", tab),
        ("unclosed-list", appended("extra: [een, twee\n", "a list in [brackets] starts here")),
        ("second-document", appended("---\nextra: 1\n", "a second document starts here")),
        ("deep-nesting", appended("extra: " + "[" * 60 + "]" * 60 + "\n", "nested more than")),
        ("duplicate-key", repeated),
        ("duplicate-top-key", top_key_again),
        ("not-utf8", latin1),
        ("utf16", utf16),
        ("empty", whole("", 1, "found an empty file")),
        ("list", whole("- een\n- twee\n", 1, "found a list")),
        ("scalar", whole("gewoon tekst\n", 1, "found a single value")),
        ("binary-garbage", whole(bytes(range(256)) * 4, 2, "byte 0x80 is not UTF-8")),
        ("missing", removed),
        ("folder", folder),
        ("link", linked),
    ]
    for name, apply in found:
        yield Mutation(f"{short}-{name}", "dossier", apply)


# --- mutations of fields -------------------------------------------------------------------

# name | file | key | value | field | words of the message
_FIELD_VALUES = r"""
deadline-impossible      | P | deadline:            | 2017-11-31T12:00:00       | deadline | not a real moment
deadline-in-dst-gap      | P | deadline:            | 2017-03-26T02:30:00       | deadline | -
deadline-in-dst-overlap  | P | deadline:            | 2017-10-29T02:30:00       | deadline | write its UTC offset
deadline-offset-wrong    | P | deadline:            | 2017-11-10T12:00:00+02:00 | deadline | not the UTC offset
deadline-date-only       | P | deadline:            | 2017-11-10                | deadline | expected a local date and time
deadline-words           | P | deadline:            | vrijdag 10 november       | deadline | expected a local date and time
time-zone-unknown        | P | time_zone:           | Mars/Olympus_Mons         | time_zone | not a known time zone
standstill-words         | P | days:                | twintig                   | standstill.days | whole number
standstill-decimal       | P | days:                | 20.5                      | standstill.days | whole number
language-unknown         | P | language:            | de                        | language | -
holidays-text            | P | extra_holidays:      | 2026-01-02                | extra_holidays | expected a list
holiday-impossible       | P | extra_holidays:      | [2026-02-30]              | extra_holidays[0] | not a real date
framework-impossible     | P | start:               | 2018-04-31                | framework.start | not a real date
parties-in-letter-below  | P | parties_in_letter:   | -1                        | framework.parties_in_letter | -
reference-empty          | P | reference:           | ""                        | reference | -
court-list               | P | court:               | [Rechtbank, Overijssel]   | court | -
chair-unknown            | C | chair:               | nobody                    | chair | is not one of the evaluators
conflict-date-impossible | C | declared:            | 2017-13-01                | conflicts[0].declared | not a real date
received-no-offset       | B | received:            | 2017-11-09T19:21:42       | received | time-zone offset
received-impossible      | B | received:            | 2017-02-30T10:00:00+01:00 | received | not a real moment
received-words           | B | received:            | gisteren                  | received | time-zone offset
received-number          | B | received:            | 20171109                  | received | -
trade-register-short     | B | trade_register:      | '1593395'                 | bidder.trade_register | 8 digits
turnover-words           | B | annual_turnover_eur: | veel                      | financials.annual_turnover_eur | expected a number
turnover-exponent        | B | annual_turnover_eur: | 1e6                       | financials.annual_turnover_eur | expected a number
equity-percent           | B | equity_ratio:        | 53%                       | financials.equity_ratio | expected a number
insurance-impossible     | B | valid_until:         | 2018-02-29                | insurance.valid_until | not a real date
certificate-dutch-date   | B | valid_until:@2       | 20-02-2019                | certificates[0].valid_until | YYYY-MM-DD
email-broken             | B | email:               | f.brouwer at zorg         | bidder.contact.email | not an e-mail address
contact-list             | B | name:@2              | [Frank, Brouwer]          | bidder.contact.name | -
reference-year-words     | B | year:                | twintig                   | references[0].year | whole number
"""
# name | file | old | new | field | words of the message | line (default: the changed one)
_FIELD_EDITS = r"""
mandatory-yes            | P | mandatory: true                | mandatory: yes                | documents[0].mandatory | expected true or false
document-id-path         | P | id: kwaliteitsplan             | id: ../kwaliteitsplan         | documents[0].id | not a safe id
document-id-slash        | P | id: uea                        | id: uea/../../x               | documents[1].id | not a safe id
unknown-key              | P | deadline:                      | deadlien:                     | deadlien | did you mean 'deadline'?
definitive-too-early     | P | definitive_award: 2017-12-22   | definitive_award: 2017-11-30  | planned.definitive_award | must come after
evaluator-id-path        | C | id: rdemir                     | id: ../rdemir                 | evaluators[1].id | not a safe id
evaluator-id-dots        | C | id: rdemir                     | id: ..                        | evaluators[1].id | not a safe id
evaluator-id-twice       | C | id: rdemir                     | id: ibosman                   | evaluators[1].id | already used
evaluator-role-unknown   | C | role: policy                   | role: wethouder               | evaluators[0].role | -
conflict-bid-unknown     | C | bid: bid-017                   | bid: bid-999                  | conflicts[0].bid | unknown bid 'bid-999'
conflict-evaluator-path  | C | evaluator: jvanrijn            | evaluator: ../jvanrijn        | conflicts[0].evaluator | not a safe id
check-kind-typo          | S | kind: field                    | kind: feild                   | requirements[0].check.kind | did you mean 'field'?
check-field-unknown      | S | field: bidder.trade_register   | field: bidder.naam            | requirements[0].check.field | is not a field of bid.yaml
check-document-unknown   | S | document: kvk-uittreksel       | document: kvk                 | requirements[1].check.document | unknown document 'kvk'
max-age-words            | S | max_age_days: 183              | max_age_days: zes maanden     | requirements[1].check.max_age_days | whole number
min-words                | S | min: 2500000                   | min: veel                     | requirements[2].check.min | expected a number
pattern-broken           | S | "^[0-9]{8}$"                   | "^[0-9{8}$"                   | requirements[0].check.pattern | not a valid regular expression
category-unknown         | S | category: economic-financial   | category: financial           | requirements[2].category | -
requirement-id-path      | S | id: omzet                      | id: ../../omzet               | requirements[3].id | not a safe id
weights-105              | A | weight: 15                     | weight: 20                    | sub_criteria | must add up to 100 | sub_criteria:
weight-words             | A | weight: 15                     | weight: vijftien              | sub_criteria[4].weight | expected a number
scale-falls              | A | value: 4                       | value: 1                      | scale[2].value | must rise
scale-words              | A | value: 10                      | value: tien                   | scale[5].value | expected a number
threshold-off-scale      | A | min: 8                         | min: 11                       | threshold[0].min | cannot be reached
threshold-words          | A | min: 8                         | min: acht                     | threshold[0].min | expected a number
threshold-negative       | A | min: 8                         | min: -2                       | threshold[0].min | cannot be reached
sub-criterion-id-path    | A | id: visie                      | id: ../visie                  | sub_criteria[2].id | not a safe id
sub-criterion-twice      | A | id: visie                      | id: samenwerking              | sub_criteria[2].id | already used
max-pages-negative       | A | max_pages: 2                   | max_pages: -1                 | sub_criteria[0].max_pages | -
final-score-unknown      | A | final_score: consensus         | final_score: average          | final_score | -
quality-plan-unknown     | A | document: kwaliteitsplan       | document: plan                | quality_plan.document | unknown document 'plan'
threshold-kind-typo      | A | kind: weighted-mean            | kind: weighted-average        | threshold[0].kind | unknown kind
unknown-bid-key          | B | trade_register:                | kvk_nummer:                   | bidder.kvk_nummer | unknown field
bidder-name-renamed      | B | name: Stichting                | naam: Stichting               | bidder.naam | unknown field
document-unknown         | B | uea:                           | offerte:                      | documents.offerte | unknown document 'offerte'
file-parent-path         | B | file: kwaliteitsplan.pdf       | file: ../../etc/passwd.pdf    | documents.kwaliteitsplan.file | not a plain file name
file-subfolder           | B | file: kwaliteitsplan.pdf       | file: a/b.pdf                 | documents.kwaliteitsplan.file | not a plain file name
file-absolute            | B | file: kwaliteitsplan.pdf       | file: /etc/passwd.pdf         | documents.kwaliteitsplan.file | not a plain file name
file-backslash           | B | file: kwaliteitsplan.pdf       | file: ..\..\boot.pdf          | documents.kwaliteitsplan.file | not a plain file name
file-hidden              | B | file: kwaliteitsplan.pdf       | file: .hidden.pdf             | documents.kwaliteitsplan.file | not a plain file name
file-not-pdf             | B | file: kwaliteitsplan.pdf       | file: kwaliteitsplan.docx     | documents.kwaliteitsplan.file | ending in .pdf
file-missing             | B | file: kwaliteitsplan.pdf       | file: plan-definitief.pdf     | documents.kwaliteitsplan.file | 'plan-definitief.pdf' is not in the bid's folder
"""


def _field_mutations() -> Iterator[Mutation]:
    for name, short, *row in _table(_FIELD_VALUES):
        yield Mutation(f"{_SHORT[_FILES[short]]}-{name}", "dossier", _setter(_FILES[short], row))
    for name, short, *row in _table(_FIELD_EDITS):
        yield Mutation(f"{_SHORT[_FILES[short]]}-{name}", "dossier", _editor(_FILES[short], row))


def _setter(file: str, row: Sequence[str]) -> Callable[[Path], Expected]:
    """Give a key a value: ``row`` is key, value, field, words."""
    key, text, where, words = row

    def apply(root: Path) -> Expected:
        return at(file, set_value(root, file, key, text), where, words)

    return apply


def _editor(file: str, row: Sequence[str]) -> Callable[[Path], Expected]:
    """Replace text: ``row`` is old, new, field, words and (maybe) the text of the line."""
    old, new, where, words, *marker = row

    def apply(root: Path) -> Expected:
        text = read(root, file)
        assert old in text, f"{old!r} is not in {file}"
        line = line_of(text, marker[0]) if marker else line_of(text, old)
        write(root, file, text.replace(old, new, 1))
        return at(file, line, where, words)

    return apply


def _place_mutations() -> Iterator[Mutation]:
    """Files and folders in the wrong place: named by their path, without a line."""
    plan = f"submissions/{BID}/kwaliteitsplan.pdf"
    where = "documents.kwaliteitsplan.file"

    def folder_gone(name: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            shutil.rmtree(root / name)
            return at(f"{name}/", None, None, "folder is missing")

        return apply

    def renamed_bid(new: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            (root / "submissions" / BID).rename(root / "submissions" / new)
            return at(f"submissions/{new}/", None, None, "is not a safe bid id")

        return apply

    def stray_file(root: Path) -> Expected:
        write(root, "submissions/notes.txt", "aantekeningen\n")
        return at("submissions/notes.txt", None, None, "expected only bid folders")

    def linked_bid(root: Path) -> Expected:
        (root / "submissions" / "bid-099").symlink_to(root / "submissions" / BID)
        return at("submissions/bid-099", None, None, "expected only bid folders")

    def plan_replaced(by: Callable[[Path], None], words: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            by(root)
            line = line_of(read(root, B), "file: kwaliteitsplan.pdf")
            return at(B, line, where, words)

        return apply

    def link_outside(root: Path) -> None:
        (root / plan).rename(root / "outside.pdf")
        (root / plan).symlink_to(root / "outside.pdf")

    def link_other_bid(root: Path) -> None:
        (root / plan).unlink()
        (root / plan).symlink_to(root / "submissions" / "bid-003" / "kwaliteitsplan.pdf")

    def folder_instead(root: Path) -> None:
        (root / plan).unlink()
        (root / plan).mkdir()

    def conflict_bid_gone(root: Path) -> Expected:
        shutil.rmtree(root / "submissions" / "bid-017")
        line = line_of(read(root, C), "bid: bid-017")
        return at(C, line, "conflicts[0].bid", "unknown bid 'bid-017'")

    outside = "points outside the bid's folder"
    yield Mutation("criteria-folder-missing", "dossier", folder_gone("criteria"))
    yield Mutation("submissions-folder-missing", "dossier", folder_gone("submissions"))
    yield Mutation("bid-folder-uppercase", "dossier", renamed_bid("Bid-002"))
    yield Mutation("bid-folder-space", "dossier", renamed_bid("bid 002"))
    yield Mutation("bid-folder-dots", "dossier", renamed_bid("bid..002"))
    yield Mutation("bid-folder-unicode", "dossier", renamed_bid("bid-ööö"))
    yield Mutation("submissions-stray-file", "dossier", stray_file)
    yield Mutation("bid-folder-link", "dossier", linked_bid)
    yield Mutation("document-link-outside", "dossier", plan_replaced(link_outside, outside))
    yield Mutation("document-link-other-bid", "dossier", plan_replaced(link_other_bid, outside))
    yield Mutation(
        "document-is-folder", "dossier", plan_replaced(folder_instead, "is not in the bid's folder")
    )
    yield Mutation("conflict-bid-removed", "dossier", conflict_bid_gone)


# --- valid changes to what was opened ---------------------------------------------------------


def _frozen_mutations() -> Iterator[Mutation]:
    """Criteria or bids changed after the opening in a way that still loads: each a refusal
    that names every file changed, added or removed."""
    changed, added, removed = (
        "changed since the opening",
        "added after the opening",
        "removed since the opening",
    )
    plan = f"submissions/{BID}/kwaliteitsplan.pdf"

    def edited(file: str, key: str, value: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            set_value(root, file, key, value)
            return frozen(1, file, changed)

        return apply

    def plan_replaced(root: Path) -> Expected:
        write(root, plan, plan_pdf("Een beter plan, na de sluiting ingestuurd."))
        return frozen(1, plan, changed)

    def weights_moved(root: Path) -> Expected:
        text = read(root, A)
        assert text.count("weight: 15") >= 1 and "weight: 25" in text, "weights of award.yaml"
        write(
            root,
            A,
            text.replace("weight: 15", "weight: 10", 1).replace("weight: 25", "weight: 30", 1),
        )
        return frozen(1, A, changed)

    def bid_withdrawn(root: Path) -> Expected:
        gone = sorted((root / "submissions" / "bid-001").iterdir())
        shutil.rmtree(root / "submissions" / "bid-001")
        return frozen(len(gone), "submissions/bid-001/bid.yaml", removed)

    def bid_added(root: Path) -> Expected:
        shutil.copytree(root / "submissions" / "bid-001", root / "submissions" / "bid-004")
        count = len(list((root / "submissions" / "bid-004").iterdir()))
        return frozen(count, "submissions/bid-004/bid.yaml", added)

    def document_swapped(root: Path) -> Expected:
        folder = root / "submissions" / BID
        uea, plan_file = (
            (folder / "uea.pdf").read_bytes(),
            (folder / "kwaliteitsplan.pdf").read_bytes(),
        )
        (folder / "uea.pdf").write_bytes(plan_file)
        (folder / "kwaliteitsplan.pdf").write_bytes(uea)
        return frozen(2, f"submissions/{BID}/uea.pdf", changed)

    def plan_bomb(root: Path) -> Expected:
        """A decompression bomb is refused as a changed file before any PDF is read. (Sent as
        the bid, it is a finding: ``limit-plan-decompression-bomb``.)"""
        write(root, plan, bomb())
        return frozen(1, plan, changed)

    def hidden_file(root: Path) -> Expected | None:
        """Not a change: hidden files are nobody's decision; the base's exits hold."""
        write(root, f"submissions/{BID}/.DS_Store", b"\x00\x00\x00\x01Bud1")
        return None

    yield Mutation("frozen-bidder-renamed", "frozen", edited(B, "  name:", "Zorg Anders B.V."))
    yield Mutation("frozen-turnover-raised", "frozen", edited(B, "annual_turnover_eur:", "9999999"))
    yield Mutation("frozen-authority-renamed", "frozen", edited(P, "  name: Gemeente", "Elders"))
    yield Mutation("frozen-threshold-lowered", "frozen", edited(A, "min:", "6"))
    yield Mutation("frozen-evaluator-renamed", "frozen", edited(C, "    name: Ruben", "Anders"))
    yield Mutation("frozen-weights-moved", "frozen", weights_moved)
    yield Mutation("frozen-plan-replaced", "frozen", plan_replaced)
    yield Mutation("frozen-documents-swapped", "frozen", document_swapped)
    yield Mutation("frozen-plan-bomb", "frozen", plan_bomb)
    yield Mutation("frozen-bid-withdrawn", "frozen", bid_withdrawn)
    yield Mutation("frozen-bid-added", "frozen", bid_added)
    yield Mutation("frozen-hidden-file-added", "frozen", hidden_file)


# --- findings: PDFs that cannot (all) be read ------------------------------------------------

_BOMB: list[bytes] = []


def bomb() -> bytes:
    """A decompression bomb of 1 GiB in 3 MB, made once per process (it takes seconds)."""
    if not _BOMB:
        _BOMB.append(bomb_pdf(decompressed_mib=1024))
    return _BOMB[0]


def _finding_mutations() -> Iterator[Mutation]:
    folder = f"submissions/{BID}"

    def pdf(
        document: str, file: str, content: Callable[[bytes], bytes], words: str
    ) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            path = root / folder / file
            path.write_bytes(content(path.read_bytes()))
            reopen(root)
            return finding(BID, f"{file} ({document}){words}")

        return apply

    def docx(_: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        return buffer.getvalue()

    plan, uea, kvk, insurance = (
        ("kwaliteitsplan", "kwaliteitsplan.pdf"),
        ("uea", "uea.pdf"),
        ("kvk-uittreksel", "kvk-uittreksel.pdf"),
        ("verzekering", "verzekering.pdf"),
    )
    unreadable = " cannot be read"
    cases: list[tuple[str, tuple[str, str], Callable[[bytes], bytes], str]] = [
        (
            "plan-encrypted",
            plan,
            lambda _: text_pdf(["Kwaliteitsplan"], password="geheim"),
            unreadable,
        ),
        ("plan-corrupt", plan, lambda data: data[:9] + bytes(len(data) - 9), unreadable),
        ("plan-truncated", plan, truncated, unreadable),
        ("plan-empty", plan, lambda _: b"", unreadable),
        ("plan-html", plan, lambda _: b"<html><body>Kwaliteitsplan</body></html>\n", unreadable),
        ("plan-docx", plan, docx, unreadable),
        ("plan-scan", plan, lambda _: text_pdf([None, None]), ": pages 1, 2 have no text layer"),
        ("uea-encrypted", uea, lambda _: text_pdf(["UEA"], password="geheim"), unreadable),
        ("uea-truncated", uea, truncated, unreadable),
        ("kvk-empty", kvk, lambda _: b"", unreadable),
        (
            "insurance-corrupt",
            insurance,
            lambda data: data[: len(data) // 2] + b"\x00" * 64,
            unreadable,
        ),
    ]
    for name, (document, file), content, words in cases:
        yield Mutation(name, "finding", pdf(document, file, content, words))

    def named(root: Path) -> Expected:
        write(
            root, f"{folder}/kwaliteitsplan.pdf", plan_pdf(f"{bidder_name(root, BID)} werkt mee.")
        )
        reopen(root)
        words = "must be anonymous, but page 2 of kwaliteitsplan.pdf gives the bidder's name"
        return finding(BID, words)

    yield Mutation("plan-names-bidder", "finding", named)

    def poisoned(root: Path) -> Expected:
        """The PDF cache edited to make the plan read as something else (naming the bidder,
        with a template): not believed, since it differs from the reading the opening froze."""
        digest = hashlib.sha256((root / folder / "kwaliteitsplan.pdf").read_bytes()).hexdigest()
        path = root / ".tender-cache" / "pdf" / f"{digest}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        pages = data["content"]["pages"]
        pages[1] = f"{pages[1]}\n{bidder_name(root, BID)} {TEMPLATE} werkt mee."
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return finding(BID, "kwaliteitsplan.pdf (kwaliteitsplan): the cached reading in")

    yield Mutation("cache-poisoned", "finding", poisoned, (EVALUATED,), UNESCAPED)


def _anonymity_mutations() -> Iterator[Mutation]:
    """A bidder who wants to be recognised: its plan names it in disguise (found: the bid is
    invalid), or by a distinctive word alone, or two bids share a KvK number or a name that
    reads the same (a person must weigh these: every bid keeps its outcome)."""
    plan = f"submissions/{BID}/kwaliteitsplan.pdf"

    def unicode_plan(text: str) -> bytes:
        """:func:`plan_pdf` drawn in a font that is not embedded and is encoded as Unicode, so
        that every character reads back as it was written: zero-width ones, Cyrillic, Greek."""
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, invariant=True)
        pages = ["Kwaliteitsplan\nInschrijving K-0002"]
        pages += [f"{n + 1}. {title}\n{text}" for n, title in enumerate(PLAN_SECTIONS)]
        for page in pages:
            canvas.setFont("STSong-Light", 10)
            for number, line in enumerate(page.split("\n")):
                canvas.drawString(72, A4[1] - 72 - 16 * number, line)
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def in_plan(text: str, words: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            write(root, plan, unicode_plan(f"{text} werkt mee."))
            reopen(root)
            return finding(BID, words)

        return apply

    def other_bid(key: str, value: str, words: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            set_value(
                root, "submissions/bid-003/bid.yaml", key, json.dumps(value, ensure_ascii=False)
            )
            reopen(root)
            return finding(BID, words)

        return apply

    # bid-002 is "Stichting Wijkzorg De Kapstok", KvK 27242228.
    name = "must be anonymous, but page 2 of kwaliteitsplan.pdf gives the bidder's name"
    number = "must be anonymous, but page 2 of kwaliteitsplan.pdf gives the trade-register number"
    cases: list[tuple[str, Callable[[Path], Expected]]] = [
        ("zero-width", in_plan("Wijkzorg De Kap\u200bst\u200dok\u2060", name)),
        ("cyrillic", in_plan("Wijkz\u043erg D\u0435 K\u0430pst\u043ek", name)),
        ("greek", in_plan("W\u0399JK\u0396\u039fRG D\u0395 \u039a\u0391\u03a1S\u03a4OK", name)),
        ("letter-spaced", in_plan("W i j k z o r g  D e  K a p s t o k", name)),
        ("kvk-dash", in_plan("KvK 2724-2228", number)),
        ("kvk-slash", in_plan("KvK 2724/2228", number)),
        (
            "name-word",
            in_plan(
                "Aan de Kapstok",
                "the quality plan must be anonymous; page 2 of kwaliteitsplan.pdf may name the "
                "bidder: it has “kapstok”, a word of the bidder's name",
            ),
        ),
        (
            "same-kvk",
            other_bid(
                "  trade_register:",
                "27242228",
                "bids bid-002 and bid-003 give the same trade-register (KvK) number 27242228; a "
                "person must check",
            ),
        ),
        (
            # A soft hyphen, an accent, capitals and another legal form: what the letters' font
            # draws (a Cyrillic name cannot be put in a letter; tests/test_anonymity.py has it).
            "lookalike-name",
            other_bid(
                "  name:",
                "WIJKZORG DE KÅP\u00adSTOK B.V.",
                "bids bid-002 and bid-003 give bidder names that read the same",
            ),
        ),
    ]
    for case, apply in cases:
        yield Mutation(f"anonymity-{case}", "finding", apply)


def bidder_name(root: Path, bid: str) -> str:
    """The bidder's name as bid.yaml gives it."""
    name = re.search(r"(?m)^  name: (.*)$", read(root, f"submissions/{bid}/bid.yaml"))
    assert name, bid
    return name.group(1).strip("'\"")


PLAN_SECTIONS = (
    "De cliënt centraal",
    "Samenwerking",
    "Visie op thuisondersteuning",
    "Uitvoering van thuisondersteuning",
    "Innovatie",
)


def plan_pdf(text: str, *, sections: int = 5) -> bytes:
    """A quality plan: a cover, then a page per sub-criterion; ``text`` on the cover and on
    the first ``sections`` of them."""
    pages: list[str | None] = ["Kwaliteitsplan\nInschrijving K-0002"]
    for number, title in enumerate(PLAN_SECTIONS):
        body = f"\n{text}" if number < sections else ""
        pages.append(f"{number + 1}. {title}{body}\nWij werken samen met het wijkteam.")
    return text_pdf(pages)


# --- the record changed outside tender -------------------------------------------------------


def ledger_lines(root: Path) -> list[bytes]:
    return (root / LEDGER).read_bytes().splitlines(keepends=True)


def _line_where(root: Path, **event: str) -> int:
    """The 1-based line of the first entry whose event has these values."""
    for number, line in enumerate(ledger_lines(root), 1):
        found = json.loads(line)["event"]
        if all(found.get(key) == value for key, value in event.items()):
            return number
    raise AssertionError(f"no entry with {event}")


def _digest(body: Mapping[str, Any]) -> str:
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _line(body: Mapping[str, Any]) -> bytes:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode()


def _write_head(root: Path, seq: int, digest: str) -> None:
    (root / HEAD).write_text(json.dumps({"seq": seq, "hash": digest}) + "\n", encoding="utf-8")


def rechain(root: Path, change: Callable[[int, dict[str, Any]], None]) -> None:
    """Rewrite the whole chain and its head after ``change(line, body)``: a forger's work."""
    previous = "0" * 64
    out = []
    for number, raw in enumerate(ledger_lines(root), 1):
        body = json.loads(raw)
        body.pop("hash")
        body.pop("sig", None)
        change(number, body)
        body["prev"] = previous
        previous, line = encode_entry(body, signer=member_key(body["by"]))
        out.append(line)
    (root / LEDGER).write_bytes(b"".join(out))
    _write_head(root, len(out), previous)


def _record_mutations() -> Iterator[Mutation]:
    consensus = {"kind": "consensus", "bid": BID, "sub_criterion": "visie"}
    score = {"kind": "sealed-score", "bid": BID, "sub_criterion": "visie"}
    changed = "was changed after it was recorded"

    def edit_event(
        event: Mapping[str, str], old: bytes, new: bytes, words: str = changed
    ) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            number = _line_where(root, **event)
            lines = ledger_lines(root)
            assert old in lines[number - 1], (old, lines[number - 1])
            lines[number - 1] = lines[number - 1].replace(old, new, 1)
            (root / LEDGER).write_bytes(b"".join(lines))
            return damaged(LEDGER, number, words)

        return apply

    def lines_changed(
        change: Callable[[list[bytes]], tuple[list[bytes], int]], words: str
    ) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            lines, line = change(ledger_lines(root))
            (root / LEDGER).write_bytes(b"".join(lines))
            return damaged(LEDGER, line, words)

        return apply

    def deleted(index: int) -> Callable[[list[bytes]], tuple[list[bytes], int]]:
        def change(lines: list[bytes]) -> tuple[list[bytes], int]:
            position = index % len(lines)
            return lines[:position] + lines[position + 1 :], position + 1

        return change

    def swapped(lines: list[bytes]) -> tuple[list[bytes], int]:
        return [lines[0], lines[2], lines[1], *lines[3:]], 2

    def repeated(lines: list[bytes]) -> tuple[list[bytes], int]:
        return [*lines[:10], lines[9], *lines[10:]], 11

    def rehash_one(root: Path) -> Expected:
        number = _line_where(root, **consensus)
        lines = ledger_lines(root)
        body = json.loads(lines[number - 1])
        body["event"]["score"] = "10"
        body.pop("hash")
        body["hash"] = _digest(body)
        lines[number - 1] = _line(body)
        (root / LEDGER).write_bytes(b"".join(lines))
        # Its hash is sound again, but not its author's signature: caught at the line itself.
        return damaged(LEDGER, number, "the entry was changed after it was signed")

    def forged_chain(value: str, words: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            number = _line_where(root, **consensus)

            def change(line: int, body: dict[str, Any]) -> None:
                if line == number:
                    body["event"]["score"] = value

            rechain(root, change)
            return damaged(LEDGER, number, words.replace("{seq}", str(number)))

        return apply

    def forged_kind(root: Path) -> Expected:
        number = _line_where(root, **consensus)

        def change(line: int, body: dict[str, Any]) -> None:
            if line == number:
                body["event"]["kind"] = "bonus"

        rechain(root, change)
        return damaged(LEDGER, number, "is not a valid event")

    def forged_two_appended(root: Path) -> Expected:
        """Two entries the rules allow (the chair reopens and locks again), chained but not in
        the head: only the head can tell."""
        lines = ledger_lines(root)
        last = json.loads(lines[-1])
        count = len(lines)
        for event in (
            {"kind": "phase", "phase": "consensus", "reason": "Heroverwogen.", "missing": 0},
            {"kind": "phase", "phase": "locked", "missing": 0, "pending": 0},
        ):
            body = {**last, "seq": last["seq"] + 1, "prev": last["hash"]}
            body.pop("hash")
            body.pop("sig", None)
            body["event"] = {"pending": 0, **event}
            body["hash"], line = encode_entry(body, signer=member_key(body["by"]))
            lines.append(line)
            last = body
        (root / LEDGER).write_bytes(b"".join(lines))
        return damaged(LEDGER, count + 1, "added outside tender")

    def head(content: str, file: str, line: int, words: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            (root / HEAD).write_text(content, encoding="utf-8")
            return damaged(file, line, words)

        return apply

    def head_other_hash(root: Path) -> Expected:
        count = len(ledger_lines(root))
        _write_head(root, count, "0" * 64)
        return damaged(LEDGER, count, "is not the one the head recorded")

    def head_removed(root: Path) -> Expected:
        (root / HEAD).unlink()
        return damaged(LEDGER, 1, "added outside tender")

    def ledger_removed(root: Path) -> Expected:
        (root / LEDGER).unlink()
        return damaged(LEDGER, 1, "missing (the head says")

    def head_behind(root: Path) -> Expected:
        lines = ledger_lines(root)
        body = json.loads(lines[-4])
        _write_head(root, body["seq"], body["hash"])
        return damaged(LEDGER, len(lines) - 2, "added outside tender")

    def head_ahead(root: Path) -> Expected:
        lines = ledger_lines(root)
        body = json.loads(lines[-1])
        _write_head(root, body["seq"] + 3, body["hash"])
        return damaged(LEDGER, len(lines) + 1, "missing (the head says")

    yield Mutation(
        "record-consensus-off-scale", "record", edit_event(consensus, b'"score":"', b'"score":"1')
    )
    yield Mutation(
        "record-consensus-words", "record", edit_event(consensus, b'"score":"', b'"score":"acht-')
    )
    yield Mutation(
        "record-consensus-decimal", "record", edit_event(consensus, b'"score":"', b'"score":"0.5')
    )
    yield Mutation(
        "record-consensus-negative", "record", edit_event(consensus, b'"score":"', b'"score":"-')
    )
    yield Mutation(
        "record-commitment-changed",
        "record",
        edit_event(score, b'"commitment":"', b'"commitment":"0'),
    )
    yield Mutation(
        "record-sub-criterion-changed",
        "record",
        edit_event(score, b'"sub_criterion":"', b'"sub_criterion":"x'),
    )
    yield Mutation(
        "record-box-added",
        "record",
        edit_event(score, b'"boxes":{', b'"boxes":{"x":"",'),
    )
    yield Mutation("record-author-changed", "record", edit_event(score, b'"by":"', b'"by":"x'))
    yield Mutation(
        "record-not-utf8",
        "record",
        edit_event(score, b'"commitment":"', b'"commitment":"\xff', "not a readable entry"),
    )
    yield Mutation(
        "record-line-broken", "record", edit_event(score, b'","', b'"\n,"', "not a readable entry")
    )
    yield Mutation(
        "record-first-line-deleted", "record", lines_changed(deleted(0), "does not follow")
    )
    yield Mutation(
        "record-middle-line-deleted", "record", lines_changed(deleted(70), "does not follow")
    )
    yield Mutation(
        "record-last-line-deleted", "record", lines_changed(deleted(-1), "missing (the head says")
    )
    yield Mutation("record-lines-swapped", "record", lines_changed(swapped, "does not follow"))
    yield Mutation("record-line-repeated", "record", lines_changed(repeated, "does not follow"))
    yield Mutation("record-one-line-rehashed", "record", rehash_one)
    yield Mutation("record-forged-words", "record", forged_chain("acht", "is not a valid event"))
    yield Mutation("record-forged-empty-score", "record", forged_chain("", "is not a valid event"))
    yield Mutation("record-forged-kind", "record", forged_kind)
    yield Mutation("record-forged-appended", "record", forged_two_appended)
    # The whole chain and its head rewritten around a score off the scale: the chain holds,
    # the replay's rules do not.
    for name, value in (("off-scale", "11"), ("between-points", "7"), ("negative", "-2")):
        words = broken(None, "consensus", CHAIR, f"{value} is not a point on the scale")
        yield Mutation(f"record-forged-{name}", "record", forged_chain(value, words))
    yield from _rule_mutations()
    yield Mutation("record-head-garbage", "record", head("{'seq': 1}\n", HEAD, 1, "not readable"))
    yield Mutation("record-head-other-hash", "record", head_other_hash)
    yield Mutation("record-head-removed", "record", head_removed)
    yield Mutation("record-head-behind", "record", head_behind)
    yield Mutation("record-head-ahead", "record", head_ahead)
    yield Mutation("record-ledger-removed", "record", ledger_removed)


def broken(seq: int | None, kind: str, by: str, rule: str) -> str:
    """The words of a refused entry: ``entry N (KIND by 'BY') breaks a rule ...: RULE``; the
    placeholder ``{seq}`` in ``seq=None`` is filled in by the mutation."""
    number = "{seq}" if seq is None else str(seq)
    return f"entry {number} ({kind} by {by!r}) breaks a rule of the procedure: {rule}"


LAST_ENTRY = datetime.fromisoformat("2017-11-30T15:00:00+00:00")
"""When the base's last entry (the lock, entry 144) was written."""


def append_entries(
    root: Path, entries: Sequence[tuple[str, Mapping[str, Any], datetime | None]]
) -> int:
    """Append ``(by, event, at)`` entries as tender's ledger writes them (chain and head valid,
    no rule asked; ``at`` None: an hour after the last entry); return the first one's line."""
    line = len(ledger_lines(root)) + 1
    last = datetime.fromisoformat(json.loads(ledger_lines(root)[-1])["at"])
    authors = signers(*(by for by, _, _ in entries))
    with Ledger(root / SCORES_FOLDER, account=ACCOUNT, signers=authors).transaction() as append:
        for by, event, at in entries:
            last = at or last + timedelta(hours=1)
            append(by, dict(event), at=last)
    (root / SCORES_FOLDER / LOCK_NAME).unlink(missing_ok=True)
    return line


def _rule_mutations() -> Iterator[Mutation]:
    """Entries the procedure does not allow, appended (or rewritten) with a valid chain and
    head, as a forger with a script would: the replay's rules refuse each at its line."""
    motivated = sealed_event(
        EVALUATOR,
        BID,
        "visie",
        "8",
        "Concreet en overtuigend.",
        readers=(CHAIR,),
        reason="Herzien.",
    )
    consensus = {
        "kind": "consensus",
        "bid": BID,
        "sub_criterion": "visie",
        "score": "8",
        "motivation": "Concreet en overtuigend.",
    }
    reopen_phase = {
        "kind": "phase",
        "phase": "consensus",
        "reason": "Heroverwogen.",
        "missing": 0,
        "pending": 0,
    }

    def not_a_member(by: str) -> str:
        return f"entry {{seq}} (sealed-score by {by!r}): {by!r} is not a member of the committee"

    def appended(
        by: str, event: Mapping[str, Any], words: str, at: datetime | None = None
    ) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            line = append_entries(root, [(by, event, at)])
            return damaged(LEDGER, line, words.replace("{seq}", str(line)))

        return apply

    def change_without_reason(root: Path) -> Expected:
        to_consensus_phase(root)
        event = {"kind": "consensus", "bid": BID, "sub_criterion": "visie", "score": "2"}
        line = append_entries(root, [(CHAIR, {**event, "motivation": "Toch minder."}, None)])
        rule = "a reason is required: changing the recorded"
        return damaged(LEDGER, line, broken(line, "consensus", CHAIR, rule))

    def after_letters(root: Path) -> Expected:
        sent = CliRunner().invoke(
            cli, ["letters", "send", "--dossier", str(root), "--by", CHAIR, "--date", "2017-12-01"]
        )
        assert sent.exit_code == 0, sent.output
        letters = json.loads(ledger_lines(root)[-1])
        assert letters["event"]["kind"] == "letters-sent", letters["event"]["kind"]
        at = datetime.fromisoformat(letters["at"])
        line = append_entries(root, [(CHAIR, reopen_phase, at)])
        rule = "the provisional award letters (version 1) were sent on 2017-12-01"
        return damaged(LEDGER, line, broken(line, "phase", CHAIR, rule))

    def time_going_back(root: Path) -> Expected:
        last = json.loads(ledger_lines(root)[-1])
        assert (last["seq"], datetime.fromisoformat(last["at"])) == (144, LAST_ENTRY), last
        rule = (
            "dated 2017-11-29 16:00:00, before entry 144 (2017-11-30 16:00:00); "
            "time never goes back in the record"
        )
        words = broken(None, "phase", CHAIR, rule)
        return appended(CHAIR, reopen_phase, words, LAST_ENTRY - timedelta(days=1))(root)

    def second_opening(root: Path) -> Expected:
        opening = json.loads(ledger_lines(root)[0])["event"]
        line = append_entries(root, [(CHAIR, opening, None)])
        rule = "the bids were opened already (entry 1, 2017-11-10 14:00)"
        return damaged(LEDGER, line, broken(line, "opening", CHAIR, rule))

    def opening_changed(**changes: Any) -> Callable[[Path], Expected]:
        words = changes.pop("words")

        def apply(root: Path) -> Expected:
            def change(line: int, body: dict[str, Any]) -> None:
                if line == 1:
                    body.update(changes)

            rechain(root, change)
            return damaged(LEDGER, 1, words)

        return apply

    def no_opening(root: Path) -> Expected:
        lines = ledger_lines(root)
        (root / LEDGER).write_bytes(b"".join(lines[1:]))

        def renumber(line: int, body: dict[str, Any]) -> None:
            body["seq"] = line

        rechain(root, renumber)
        first = json.loads(ledger_lines(root)[0])
        rule = "the bids have not been opened; the record starts with the opening"
        return damaged(LEDGER, 1, broken(1, first["event"]["kind"], first["by"], rule))

    cases: list[tuple[str, Callable[[Path], Expected]]] = [
        ("non-member", appended("mallory", motivated, not_a_member("mallory"))),
        ("empty-by", appended("", motivated, not_a_member(""))),
        (
            "unknown-bid",
            appended(
                EVALUATOR,
                {**motivated, "bid": "bid-999"},
                broken(None, "sealed-score", EVALUATOR, "unknown bid 'bid-999'"),
            ),
        ),
        (
            "unknown-sub-criterion",
            appended(
                EVALUATOR,
                {**motivated, "sub_criterion": "prijs"},
                broken(None, "sealed-score", EVALUATOR, "unknown sub-criterion 'prijs'"),
            ),
        ),
        (
            "conflicted",
            appended(
                EVALUATOR,
                {**motivated, "bid": "bid-017"},
                broken(
                    None, "sealed-score", EVALUATOR, f"{EVALUATOR} declared a conflict of interest"
                ),
            ),
        ),
        (
            "score-after-lock",
            appended(
                EVALUATOR,
                motivated,
                broken(None, "sealed-score", EVALUATOR, "the evaluation is in the locked phase"),
            ),
        ),
        (
            "consensus-by-member",
            appended(
                EVALUATOR,
                consensus,
                broken(None, "consensus", EVALUATOR, f"only the chair ({CHAIR}) may do this"),
            ),
        ),
        (
            "phase-by-member",
            appended(
                EVALUATOR,
                reopen_phase,
                broken(None, "phase", EVALUATOR, f"only the chair ({CHAIR}) may do this"),
            ),
        ),
        (
            "reopened-without-reason",
            appended(
                CHAIR,
                {key: value for key, value in reopen_phase.items() if key != "reason"},
                broken(None, "phase", CHAIR, "reopening locked scores needs a reason"),
            ),
        ),
        ("change-without-reason", change_without_reason),
        ("time-going-back", time_going_back),
        (
            "dated-in-the-future",
            appended(
                CHAIR,
                reopen_phase,
                broken(
                    None,
                    "phase",
                    CHAIR,
                    "dated 2999-01-01 01:00:00, in the future of this machine's clock",
                ),
                datetime(2999, 1, 1, tzinfo=UTC),
            ),
        ),
        ("after-letters-sent", after_letters),
        ("second-opening", second_opening),
        (
            "opened-before-the-deadline",
            opening_changed(
                at="2017-11-10T10:00:00.000000+00:00",
                words=broken(1, "opening", CHAIR, "the bids cannot be opened before the deadline"),
            ),
        ),
        (
            "opened-by-member",
            opening_changed(
                by=EVALUATOR,
                words=broken(1, "opening", EVALUATOR, f"only the chair ({CHAIR}) may do this"),
            ),
        ),
        ("no-opening", no_opening),
    ]
    for name, apply in cases:
        yield Mutation(f"record-rule-{name}", "record", apply)


# --- score sheets typed by hand --------------------------------------------------------------


# name | rows after the header (\n between rows) | row | column | words of the message
_SHEETS = r"""
sheet-off-scale          | bid-002,visie,11,Concreet en goed,herzien                 | 2 | score | 11 is not a point on the scale
sheet-half-point         | bid-002,visie,"7,5",Concreet en goed,herzien              | 2 | score | not a point on the scale
sheet-words              | bid-002,visie,acht,Concreet en goed,herzien               | 2 | score | 'acht' is not a number
sheet-negative           | bid-001,visie,8,Goed,herzien\nbid-002,visie,-2,Goed,herzien | 3 | score | not a point on the scale
sheet-no-motivation      | bid-002,visie,8,,herzien                                  | 2 | motivation | a motivation is required
sheet-bid-unknown        | bid-999,visie,8,Concreet en goed,herzien                  | 2 | bid | unknown bid 'bid-999'
sheet-bid-path           | ../../etc/passwd,visie,8,Concreet en goed,herzien         | 2 | bid | unknown bid
sheet-conflicted-bid     | bid-017,visie,8,Concreet en goed,herzien                  | 2 | bid | conflict of interest
sheet-invalid-bid        | bid-026,visie,8,Concreet en goed,herzien                  | 2 | bid | is not scored
sheet-sub-unknown        | bid-002,prijs,8,Concreet en goed,herzien                  | 2 | sub_criterion | unknown sub-criterion 'prijs'
sheet-row-twice          | bid-002,visie,8,Goed,herzien\nbid-002,visie,6,Goed,herzien | 3 | bid | is on row 2 already
sheet-control-character  | bid-002,visie,8,Goed\x07plan,herzien                      | 2 | motivation | U+0007
sheet-direction-override | bid-002,visie,8,Goed \u202enalp,herzien                   | 2 | motivation | U+202E
sheet-extra-value        | bid-002,visie,8,Goed,herzien,extra                        | 2 | - | values where the header names
"""
SHEET_HEADER = "bid,sub_criterion,score,motivation,reason\n"


def _sheet_mutations() -> Iterator[Mutation]:
    def sheet(data: bytes, line: int, where: str, words: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            write(root, f"work/{SHEET}", data)
            return at("{sheet}", line, where or None, words)

        return apply

    for name, rows, line, where, words in _table(_SHEETS):
        data = (SHEET_HEADER + _unescape(rows) + "\n").encode()
        yield Mutation(name, "sheet", sheet(data, int(line), where, words))
    no_header = f"{BID},visie,8,Goed,herzien\n".encode()
    latin1 = (SHEET_HEADER + f"{BID},visie,8,Café,herzien\n").encode("latin-1")
    yield Mutation("sheet-header-missing", "sheet", sheet(no_header, 1, "header", "missing"))
    yield Mutation("sheet-not-utf8", "sheet", sheet(latin1, 2, "", "not UTF-8"))


# --- hostile content -----------------------------------------------------------------------

TEMPLATE = "{{ 7*7777 }}"
EVALUATED = "54439"
"""What :data:`TEMPLATE` would become if anything rendered it as a template."""
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
STATEMENT = "{% for x in range(3) %}lus{% endfor %}"
MARKUP = "[bold]vet[/bold] [/] [link=https://example.com]klik[/link]"
AMPERSAND = "Zorg &amp; Welzijn"
UNESCAPED = ("<script>", "<img src=x")
"""Markup that no HTML file may hold as markup."""


def _content_mutations() -> Iterator[Mutation]:
    def yaml_text(file: str, key_line: str, text: str) -> Callable[[Path], None]:
        def apply(root: Path) -> None:
            set_value(root, file, key_line, json.dumps(text, ensure_ascii=False))

        return apply

    def motivation(text: str) -> Callable[[Path], None]:
        def apply(root: Path) -> None:
            def change(bid: str, sub: str | None, old: str) -> str:
                return f"{old} {text}" if bid == BID else old

            record_base(root, motivate=change)

        return apply

    def plan_text(text: str) -> Callable[[Path], None]:
        def apply(root: Path) -> None:
            write(root, f"submissions/{BID}/kwaliteitsplan.pdf", plan_pdf(text, sections=3))

        return apply

    def file_name(name: str) -> Callable[[Path], None]:
        def apply(root: Path) -> None:
            folder = root / "submissions" / BID
            (folder / "uea.pdf").rename(folder / name)
            text = read(root, B).replace("file: uea.pdf", f"file: {json.dumps(name)}", 1)
            write(root, B, text)

        return apply

    everything = f"Zorg {TEMPLATE} {STATEMENT} {SCRIPT} {ATTRIBUTE} {AMPERSAND} {MARKUP} B.V."
    cases: list[tuple[str, Callable[[Path], None]]] = [
        ("name-template", yaml_text(B, "  name:", f"Zorg {TEMPLATE} B.V.")),
        ("name-statement", yaml_text(B, "  name:", f"Zorg {STATEMENT} B.V.")),
        ("name-script", yaml_text(B, "  name:", f"Zorg {SCRIPT} B.V.")),
        ("name-attribute", yaml_text(B, "  name:", f"Zorg {ATTRIBUTE} B.V.")),
        ("name-entity", yaml_text(B, "  name:", AMPERSAND)),
        ("name-markup", yaml_text(B, "  name:", f"Zorg {MARKUP} B.V.")),
        ("name-everything", yaml_text(B, "  name:", everything)),
        ("contact-everything", yaml_text(B, "    name:", everything)),
        ("city-everything", yaml_text(B, "    city:", everything)),
        ("insurer-everything", yaml_text(B, "  insurer:", everything)),
        ("title-everything", yaml_text(A, "    title: Samenwerking", everything)),
        ("guidance-everything", yaml_text(A, "    guidance: Het plan gaat", everything)),
        ("authority-everything", yaml_text(P, "  name: Gemeente", everything)),
        ("evaluator-everything", yaml_text(C, "    name: Ruben", everything)),
        ("requirement-everything", yaml_text(S, "    title: Jaaromzet", everything)),
        ("motivation-everything", motivation(everything)),
        ("plan-text-everything", plan_text(everything)),
        ("file-name-markup", file_name("uea [b] {{ 7*7777 }} <b>.pdf")),
    ]
    for name, apply in cases:

        def wrapped(root: Path, apply: Callable[[Path], None] = apply) -> None:
            apply(root)
            reopen(root)

        yield Mutation(f"content-{name}", "content", wrapped, (EVALUATED,), UNESCAPED)


# --- what tender writes and prints --------------------------------------------------------

OUTSIDE = ".outside"
"""Beside a link mutation's dossier (its name and this): what its link leads to."""
ONLY_INSIDE = "tender writes only inside the dossier"
FORMULAS = ('=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-1+1")
"""Bidder names a spreadsheet would run (OWASP's CSV injection examples)."""
ESCAPES = "\x1b[31m \x1b]0;titel\x07 \x1b]8;;http://x\x1b\\klik\x1b]8;;\x1b\\ \x9b2J"


def outside(scratch: Path, name: str) -> Path:
    """The folder beside mutation ``name``'s dossier (in ``scratch``) that its link leads to."""
    return scratch / f"{name}{OUTSIDE}"


def _output_mutations() -> Iterator[Mutation]:
    def linked(place: str, target: str) -> Callable[[Path], Expected]:
        """``place`` made a link to ``target`` in the folder outside (what was at ``place``
        moved there); the message names the link."""

        def apply(root: Path) -> Expected:
            elsewhere = outside(root.parent, root.name)
            (elsewhere / "audit").mkdir(parents=True)
            (elsewhere / "audit" / "audit.json").write_text("someone else's", encoding="utf-8")
            (elsewhere / "notes.txt").write_text("keep me", encoding="utf-8")
            link = root / place
            if link.is_file():
                shutil.move(link, elsewhere / target)
            elif link.is_dir():
                shutil.rmtree(link)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(elsewhere / target)
            return Expected(f"{place}: leads to ", ONLY_INSIDE)

        return apply

    links = [
        ("reports", "reports", ""),
        ("reports-audit", "reports/audit", "audit"),
        ("file-in-a-set", "reports/audit/audit.json", "audit/audit.json"),
        ("ledger", LEDGER, LEDGER_NAME),
        ("pdf-cache", ".tender-cache", ""),
    ]
    for name, place, target in links:
        yield Mutation(f"link-{name}", "link", linked(place, target))

    def reopened(change: Callable[[Path], object]) -> Callable[[Path], None]:
        def apply(root: Path) -> None:
            change(root)
            reopen(root)

        return apply

    def named(text: str) -> Callable[[Path], None]:
        return reopened(lambda root: set_value(root, B, "  name:", json.dumps(text)))

    def motivated(text: str) -> Callable[[Path], None]:
        def change(root: Path) -> None:
            record_base(root, motivate=lambda bid, sub, old: f"{text} {old}" if bid == BID else old)

        return reopened(change)

    def forge_account(root: Path) -> None:
        def change(_line: int, body: dict[str, Any]) -> None:
            if body["event"].get("bid") == BID:
                body["account"] = f"mallory {ESCAPES}"

        rechain(root, change)

    for number, text in enumerate(FORMULAS, 1):
        yield Mutation(f"content-name-formula-{number}", "content", named(text), formulas=(text,))
    yield Mutation(
        "content-motivation-formula", "content", motivated(FORMULAS[0]), formulas=(FORMULAS[0],)
    )
    yield Mutation(
        "content-account-escapes",
        "content",
        reopened(forge_account),
        unprinted=("\x1b", "\x07", "\x9b"),
    )


# --- limits: files and values too large, files that are not files -------------------------


def _limit_mutations() -> Iterator[Mutation]:
    """Each limit of tender/domain/limits.py broken, and named pipes where files belong: a YAML
    file or value is a placed problem, a PDF a finding on its bid; none may stall a command."""
    plan = f"submissions/{BID}/kwaliteitsplan.pdf"
    refused = "more than the {} such a file may be; it was not read"

    def padded(root: Path) -> Expected:
        write(root, A, read(root, A) + "# " + "x" * 600_000 + "\n")
        return at(A, None, None, refused.format("512 KiB"))

    def value(
        file: str, key: str, text: str, where: str | None, words: str
    ) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            line = set_value(root, file, key, text)
            return at(file, None if where is None else line, where, words)

        return apply

    def fifo(file: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            (root / file).unlink()
            os.mkfifo(root / file)
            return at(file, None, None, "is a named pipe (FIFO), not a regular file")

        return apply

    def plan_fifo(root: Path) -> Expected:
        (root / plan).unlink()
        os.mkfifo(root / plan)
        line = line_of(read(root, B), "file: kwaliteitsplan.pdf")
        return at(B, line, "documents.kwaliteitsplan.file", "is a named pipe (FIFO)")

    def plan_read(content: Callable[[Path], object], words: str) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            content(root / plan)
            reopen(root)
            return finding(BID, f"kwaliteitsplan.pdf (kwaliteitsplan) cannot be read: {words}")

        return apply

    def sparse(path: Path) -> None:
        with path.open("wb") as stream:
            stream.write(b"%PDF-1.4\n")
            stream.truncate(64 * 1024 * 1024 + 1)

    yield Mutation("limit-criteria-file-too-large", "dossier", padded)
    yield Mutation(
        "limit-bidder-name-five-megabytes",
        "dossier",
        value(B, "  name:", "Z" * 5_000_000, None, refused.format("128 KiB")),
    )
    yield Mutation(
        "limit-bidder-name-too-long",
        "dossier",
        value(B, "  name:", "Z" * 1000, "bidder.name", "a name of 1,000 characters"),
    )
    yield Mutation(
        "limit-text-value-too-long",
        "dossier",
        value(A, "label:", "x" * 20_000, "scale[0].label", "a value of 20,000 characters"),
    )
    yield Mutation(
        "limit-number-too-long",
        "dossier",
        value(
            B,
            "annual_turnover_eur:",
            "9" * 5000,
            "financials.annual_turnover_eur",
            "a number of 5,000 characters",
        ),
    )
    yield Mutation("limit-bid-yaml-fifo", "dossier", fifo(B))
    yield Mutation("limit-criteria-fifo", "dossier", fifo(C))
    yield Mutation("limit-plan-fifo", "dossier", plan_fifo)
    yield Mutation(
        "limit-plan-text-bomb",
        "finding",
        plan_read(
            lambda path: path.write_bytes(text_bomb_pdf(pages=100, characters_per_page=1_000_000)),
            "its text passes 4,000,000 characters on page 4 of 100",
        ),
    )
    yield Mutation(
        "limit-plan-decompression-bomb",
        "finding",
        plan_read(lambda path: path.write_bytes(bomb()), ""),  # memory or time, by machine
    )
    yield Mutation(
        "limit-plan-file-too-large",
        "finding",
        plan_read(sparse, "the file is 67,108,865 bytes, more than the 64 MiB a PDF may be"),
    )


def _machine_mutations() -> Iterator[Mutation]:
    """Something else where tender keeps its own file or needs a folder: a folder or a named
    pipe in place of the record or its head, a file in place of reports/."""

    def replaced(
        relative: str, put: Callable[[Path], None], words: str
    ) -> Callable[[Path], Expected]:
        def apply(root: Path) -> Expected:
            path = root / relative
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            put(path)
            return Expected(f"error: {path}: ", words)

        return apply

    def a_file(path: Path) -> None:
        path.write_text("notes\n", encoding="utf-8")

    folder = "a folder stands where tender keeps a file"
    pipe = "a named pipe (FIFO) stands where tender keeps a regular file"
    yield Mutation("machine-ledger-a-folder", "machine", replaced(LEDGER, Path.mkdir, folder))
    yield Mutation("machine-head-a-folder", "machine", replaced(HEAD, Path.mkdir, folder))
    yield Mutation("machine-ledger-a-named-pipe", "machine", replaced(LEDGER, os.mkfifo, pipe))
    yield Mutation("machine-head-a-named-pipe", "machine", replaced(HEAD, os.mkfifo, pipe))
    yield Mutation(
        "machine-reports-a-file",
        "machine",
        replaced("reports", a_file, "a file stands where tender needs a folder"),
    )


def mutations() -> tuple[Mutation, ...]:
    """The whole corpus, in a fixed order; names are unique."""
    found = [
        *(mutation for file in (P, C, S, A, B) for mutation in _yaml_mutations(file)),
        *_field_mutations(),
        *_place_mutations(),
        *_frozen_mutations(),
        *_finding_mutations(),
        *_anonymity_mutations(),
        *_record_mutations(),
        *_sheet_mutations(),
        *_content_mutations(),
        *_output_mutations(),
        *_limit_mutations(),
        *_machine_mutations(),
    ]
    names = [mutation.name for mutation in found]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    return tuple(found)


# --- the commands --------------------------------------------------------------------------

EXCLUDED = {
    "init": "creates a dossier; reads none",
    "key": "makes a member's key pair; reads no dossier",
}
RECORD_FREE = frozenset({"check", "standstill"})
"""Commands that read the dossier but not the record (every other one reads both)."""
ARGUMENTS = {
    "bid": BID,
    "sub_criterion": "visie",
    "value": "8",
    "requirement": "referenties",
    "target": "consensus",
}
OPTIONS = {
    "evaluator": EVALUATOR,
    "by": CHAIR,
    "chair": CHAIR,
    "member": CHAIR,
    "motivation": "Concreet en overtuigend, met voorbeelden.",
    "reason": "Herzien na het overleg.",
    "sent": "2017-12-01",
    "sent_date": "2017-12-01",
}
WALK_INPUT = "q\n"
ON_THE_BASE = {
    **dict.fromkeys(
        (
            "audit",
            "bids",
            "bids show",
            "check",
            "consensus show",
            "decide",
            "export csv",
            "export json",
            "export ocds",
            "export xlsx",
            "history",
            "letters",
            "letters send",
            "report",
            "report sign",
            "run",
            "score export",
            "score show",
            "standstill",
            "suitability",
            "verify",
        ),
        0,
    ),
    # Refused (4): the bids are opened already, the scores are locked and no letters are out
    # yet; the chair moving the locked evaluation back to consensus without a reason is a
    # data problem (1).
    **dict.fromkeys(
        (
            "consensus",
            "consensus set",
            "letters definitive",
            "letters withdraw",
            "open",
            "score",
            "score import",
            "score set",
            "suitability verify",
        ),
        4,
    ),
    "phase": 1,
}
"""Each command's exit code on the intact base: what a finding or hostile text must not change."""


@dataclass(frozen=True)
class Command:
    """A command as typed: its words (with ``{dossier}`` and ``{work}``) and its input."""

    name: str
    words: tuple[str, ...]

    def typed(self, dossier: Path, work: Path) -> list[str]:
        return [
            word.replace("{dossier}", str(dossier)).replace("{work}", str(work))
            for word in self.words
        ]


def commands() -> tuple[Command, ...]:
    """Every command of the CLI (groups that run by themselves included), with its arguments."""
    found = []
    for path, command in _walk(cli):
        if path[0] in EXCLUDED or (
            isinstance(command, click.Group) and not command.invoke_without_command
        ):
            continue
        found.append(Command(" ".join(path), (*path, *_words(path, command))))
    return tuple(found)


def _walk(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _walk(command, (*path, name))


def _words(path: tuple[str, ...], command: click.Command) -> list[str]:
    words: list[str] = []
    for param in command.params:
        name = param.name or ""
        if isinstance(param, click.Argument):
            if name == "file":
                export = path[-1] == "export"
                words.append(f"{{work}}/{'out.csv' if export else SHEET}")
            elif name in ARGUMENTS:
                words.append(ARGUMENTS[name])
            elif param.required:
                raise AssertionError(f"no value for argument {name} of {' '.join(path)}")
        elif name == "dossier":
            words += ["--dossier", "{dossier}"]
        elif name == "passed":
            words.append("--pass")
        elif name in OPTIONS:
            words += [param.opts[0], OPTIONS[name]]
        elif param.required:
            raise AssertionError(f"no value for option {name} of {' '.join(path)}")
    return words


# --- running -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One command on one dossier: what it said and did."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()


def invoke(command: Command, dossier: Path, work: Path) -> Run:
    """Run ``command`` in this process, as a user would type it."""
    result = CliRunner().invoke(
        cli, command.typed(dossier, work), input=WALK_INPUT, catch_exceptions=True
    )
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += f"\nTraceback: {type(result.exception).__name__}: {result.exception}"
    return Run(result.exit_code, result.stdout, stderr)


def snapshot(root: Path, *parts: str) -> dict[str, bytes | None]:
    """Every path under the given parts of ``root`` with its content (None for a folder)."""
    found: dict[str, bytes | None] = {}
    for part in parts:
        base = root / part
        if not base.exists():
            continue
        for path in sorted([base, *base.rglob("*")]):
            if path.name == LOCK_NAME:  # taken to read the record; holds nothing
                continue
            found[path.relative_to(root).as_posix()] = (
                path.read_bytes() if path.is_file() and not path.is_symlink() else None
            )
    return found


WRITTEN = ("reports", SCORES_FOLDER, "work")
"""What a refused command must leave as it was: the renderings, the record, its own files."""


@dataclass
class Checked:
    """What running the corpus found: runs and failures, counted by kind and by command."""

    runs: dict[str, int] = field(default_factory=dict)
    mutations: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def count(self, kind: str, command: str) -> None:
        self.runs[kind] = self.runs.get(kind, 0) + 1
        self.runs[f"command {command}"] = self.runs.get(f"command {command}", 0) + 1

    def merge(self, other: Checked) -> None:
        for name, number in other.runs.items():
            self.runs[name] = self.runs.get(name, 0) + number
        for name, number in other.mutations.items():
            self.mutations[name] = self.mutations.get(name, 0) + number
        self.failures += other.failures


def baseline(base: Path, scratch: Path, chosen: Sequence[Command]) -> dict[str, int]:
    """Each command's exit code on a fresh copy of the intact base."""
    codes = {}
    for number, command in enumerate(chosen):
        root = copy_dossier(base, scratch / f"baseline-{number}")
        (root / "work").mkdir(exist_ok=True)
        _sheet(root)
        run = invoke(command, root, root / "work")
        assert "Traceback" not in run.stderr, (command.name, run.stderr)
        codes[command.name] = int(run.exit_code)
        shutil.rmtree(root)
    return codes


def _sheet(root: Path) -> None:
    path = root / "work" / SHEET
    if not path.exists():
        path.write_text(
            "bid,sub_criterion,score,motivation,reason\n"
            f"{BID},visie,8,Concreet en overtuigend met voorbeelden,herzien\n",
            encoding="utf-8",
        )


def check_mutation(
    mutation: Mutation,
    base: Path,
    scratch: Path,
    chosen: Sequence[Command],
    expected_codes: Mapping[str, int],
) -> Checked:
    """Apply ``mutation`` to a copy of ``base`` and run each chosen command on it."""
    checked = Checked(mutations={mutation.kind: 1})
    pristine = copy_dossier(base, scratch / mutation.name)
    if mutation.kind == "sheet":
        to_individual_phase(pristine)
    (pristine / "work").mkdir(exist_ok=True)
    expected = mutation.apply(pristine)
    _sheet(pristine)
    sheet = str(pristine / "work" / SHEET)
    if expected is not None:
        expected = Expected(
            expected.start.replace("{sheet}", sheet), expected.words, expected.first
        )
    if mutation.kind == "sheet":
        chosen = [command for command in commands() if command.name == "score import"]
    for number, command in enumerate(chosen):
        writes = mutation.kind in ("finding", "content", "frozen", "link")
        root = copy_dossier(pristine, scratch / f"{mutation.name}-{number}") if writes else pristine
        work = root / "work"
        before = snapshot(root, *WRITTEN)
        elsewhere = snapshot(scratch, outside(scratch, mutation.name).name)
        run = invoke(command, root, work)
        checked.count(mutation.kind, command.name)
        case = _Case(
            mutation,
            command,
            run,
            expected,
            expected_codes.get(command.name),
            before,
            root,
            elsewhere,
        )
        checked.failures += [f"{mutation.name} · {command.name}: {found}" for found in _judge(case)]
        if writes:
            shutil.rmtree(root)
    shutil.rmtree(pristine)
    return checked


@dataclass(frozen=True)
class _Case:
    """One command run on one mutation, and what to hold it to."""

    mutation: Mutation
    command: Command
    run: Run
    expected: Expected | None
    baseline: int | None
    before: Mapping[str, bytes | None]
    root: Path
    outside: Mapping[str, bytes | None]
    """(link) what the link leads to, before the command ran."""

    @property
    def shown(self) -> str:
        return (self.run.stdout + self.run.stderr)[-1500:]


def _judge(case: _Case) -> Iterator[str]:
    """What is wrong with how ``case.command`` handled ``case.mutation``."""
    run, kind = case.run, case.mutation.kind
    if "Traceback" in case.shown or run.exit_code == 70 or "internal error" in run.stderr:
        yield f"a bug surfaced (exit {run.exit_code}):\n{case.shown}"
        return
    if (case.root / "work" / "PWNED").exists() or Path("PWNED").exists():
        yield "a YAML tag ran a command"
    if kind == "link":
        yield from _kept_inside(case)
        return
    name = case.command.name.split()[0]
    reads_record = name not in RECORD_FREE
    if (
        kind in ("dossier", "sheet")
        or (kind == "record" and reads_record)
        or (kind == "frozen" and reads_record and case.expected is not None)
    ):
        yield from _refused(case, {"record": 3, "frozen": 3}.get(kind, 1))
        return
    if kind == "machine":
        yield from _refused_by_the_machine(case, reads_record)
        return
    if run.exit_code != case.baseline:
        yield f"exit {run.exit_code}, on the intact example {case.baseline}:\n{case.shown}"
    if kind == "finding" and case.command.name == "bids":
        assert case.expected is not None
        if not case.expected.found_in(run.stdout.splitlines()):
            yield f"the finding {case.expected} is not shown:\n{run.stdout[-1500:]}"
    yield from _contained(case)
    yield from _harmless(case)


_FROZEN_COUNT = re.compile(r"^error: (\d+) files? differs? from what was opened \(entry 1, ")
_FROZEN_FILE = re.compile(
    r"^  (criteria|submissions)/\S+: "
    r"(changed since the opening|added after the opening|removed since the opening)$"
)


def _refused(case: _Case, code: int) -> Iterator[str]:
    """The command refused with ``code``, the expected message, every problem placed, and
    left everything as it was."""
    run = case.run
    if run.exit_code != code:
        yield f"exit {run.exit_code}, expected {code}:\n{case.shown}"
    assert case.expected is not None
    if not case.expected.found_in(run.lines):
        yield f"no message at {case.expected}; stderr:\n{run.stderr[-1500:]}"
    if case.mutation.kind in ("dossier", "sheet"):
        summary = run.lines[-1:]
        unplaced = [line for line in run.lines[:-1] if not _placed(line)]
        if unplaced or not summary or not summary[0].endswith("nothing was written."):
            yield f"a problem without its place: {unplaced or summary}"
    if case.mutation.kind == "frozen":
        count = _FROZEN_COUNT.match(run.lines[0]) if run.lines else None
        files = [line for line in run.lines[1:] if _FROZEN_FILE.match(line)]
        if count is None or int(count.group(1)) != len(files) or len(files) != len(run.lines) - 1:
            yield f"not one line per file changed, added or removed:\n{run.stderr[-1500:]}"
    after = snapshot(case.root, *WRITTEN)
    if after != case.before:
        changed = set(after) ^ set(case.before)
        changed |= {key for key in after if after[key] != case.before.get(key)}
        yield f"wrote {sorted(changed)[:5]} although it refused"


def _kept_inside(case: _Case) -> Iterator[str]:
    """As on the intact base, or refused naming the link; what it leads to untouched."""
    run = case.run
    assert case.expected is not None
    if run.exit_code != case.baseline and (
        run.exit_code != 1
        or not case.expected.found_in(run.lines)
        or not run.lines[-1].endswith("nothing was written.")
    ):
        yield (
            f"exit {run.exit_code} (on the intact example {case.baseline}), "
            f"not refused at {case.expected}:\n{case.shown}"
        )
    scratch = case.root.parent
    if snapshot(scratch, outside(scratch, case.mutation.name).name) != case.outside:
        yield "changed what the link leads to, outside the dossier"
    place = case.expected.start.removesuffix(": leads to ")
    if not (case.root / place).is_symlink():
        yield f"replaced the link {place} instead of refusing it"


def _refused_by_the_machine(case: _Case, reads_record: bool) -> Iterator[str]:
    """Exit 5 naming the path, nothing written, where the command meets it (every command
    that reads the record meets the record's files); as on the intact base where it does not."""
    assert case.expected is not None
    meets = case.run.exit_code == 5 or (
        reads_record and f"/{SCORES_FOLDER}/" in case.expected.start
    )
    if meets:
        yield from _refused(case, 5)
    elif case.run.exit_code != case.baseline:
        yield (
            f"exit {case.run.exit_code}, on the intact example {case.baseline} (or 5 naming "
            f"the path):\n{case.shown}"
        )


def _contained(case: _Case) -> Iterator[str]:
    """Hostile text neither evaluated as a template anywhere nor left unescaped in HTML."""
    mutation, run, reports = case.mutation, case.run, case.root / "reports"
    for text in mutation.forbidden:
        if text in run.stdout or text in run.stderr:
            yield f"{text!r} in the output: a template was evaluated"
    for path in sorted(reports.rglob("*")) if reports.exists() else []:
        if not path.is_file():
            continue
        data = path.read_bytes()
        for text in mutation.forbidden:
            if text.encode() in data:
                yield f"{text!r} in {path.relative_to(case.root)}: a template was evaluated"
        if path.suffix == ".html":
            for text in mutation.escaped:
                if text.encode() in data:
                    yield f"{text!r} unescaped in {path.relative_to(case.root)}"


def _harmless(case: _Case) -> Iterator[str]:
    """No formula a spreadsheet would run in a CSV file written, no escape the terminal would
    obey in the output."""
    mutation, run = case.mutation, case.run
    for char in mutation.unprinted:
        if char in run.stdout or char in run.stderr:
            yield f"{char!r} in the output as it is: the terminal would obey it"
    reports = case.root / "reports"
    written = [*reports.rglob("*.csv"), *(case.root / "work").glob("*.csv")]
    for path in sorted(written) if mutation.formulas else []:
        for row in csv.reader(io.StringIO(path.read_text("utf-8"), newline="")):
            for cell in row:
                if cell.startswith(mutation.formulas):
                    yield f"{cell[:40]!r} in {path.relative_to(case.root)}: a formula to run"


_PLACE = re.compile(r"^(criteria|submissions|scores)/[^:]*(:\d+)?: |^/.*\.(csv|xlsx)(:\d+)?: ")


def _placed(line: str) -> bool:
    """Whether a problem line starts with a file (and line) of the dossier or the sheet."""
    return bool(_PLACE.match(line))


def rotating(chosen: Sequence[Command], index: int, count: int) -> list[Command]:
    """``count`` commands for the mutation at ``index``, in turn, so that all get their share."""
    return [chosen[(index * count + offset) % len(chosen)] for offset in range(count)]
