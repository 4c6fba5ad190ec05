"""Helpers for tests on broken dossiers: edit the valid one, and compare the problems reported.

In an expected problem, ``<<text>>`` stands for the number of the line of that
file holding ``text`` (which must occur once; ``<<text@2>>`` is its second
occurrence), and ``...`` for any text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from importlib.resources import files as package_files
from pathlib import Path

from tender.io.loader import input_digests
from tender.record.book import ScoreBook, parse_entry
from tender.record.ledger import Head, Ledger, encode_entry, encode_head
from tests.conftest import VALID_BID
from tests.keys import keyed, member_key

P = "criteria/procedure.yaml"
C = "criteria/committee.yaml"
S = "criteria/suitability.yaml"
A = "criteria/award.yaml"
B = "submissions/bid-001/bid.yaml"

_TEMPLATES = package_files("tender.io") / "dossier_template"
ORIGINAL: dict[str, str] = {
    name: (_TEMPLATES / name).read_text(encoding="utf-8") for name in (P, C, S, A)
} | {B: VALID_BID}
ORIGINAL[C] = keyed(ORIGINAL[C])
"""The valid dossier's files as ``make_dossier`` writes them: the committee with its keys."""

Files = Mapping[str, str | bytes | None]


def edit(name: str, *changes: tuple[str, str]) -> dict[str, str]:
    """``name`` as in the valid dossier, with the first occurrence of each old text replaced."""
    text = ORIGINAL[name]
    for old, new in changes:
        assert old in text, f"{old!r} is not in {name}"
        text = text.replace(old, new, 1)
    return {name: text}


def whole_line(name: str, start: str) -> str:
    """The line of the valid ``name`` that starts with ``start``, with its line break."""
    match = re.search(rf"^{re.escape(start)}.*\n", ORIGINAL[name], flags=re.MULTILINE)
    assert match, f"no line starting with {start!r} in {name}"
    return match.group()


def between(name: str, start: str, end: str) -> str:
    """The text of the valid ``name`` from the first ``start`` up to the first ``end`` after it."""
    text = ORIGINAL[name]
    first = text.index(start)
    return text[first : text.index(end, first)]


def appended(name: str, text: str) -> dict[str, str]:
    return {name: ORIGINAL[name] + text}


def expected_lines(files: Files, expected: tuple[str, ...]) -> list[str]:
    """The expected problems with each ``<<marker>>`` replaced by its line number."""
    return [_resolve(files, line) for line in expected]


def _resolve(files: Files, expected: str) -> str:
    name = expected.split(":", 1)[0]
    content = files.get(name, ORIGINAL.get(name))
    if isinstance(content, bytes):
        content = content.decode("latin-1")

    def line_of(match: re.Match[str]) -> str:
        assert content is not None, f"no content for {name}"
        found_marker = re.fullmatch(r"(.+?)(?:@(\d+))?", match.group(1), flags=re.DOTALL)
        assert found_marker is not None
        marker, nth = found_marker.groups()
        occurrences = [found.start() for found in re.finditer(re.escape(marker), content)]
        if nth:
            position = occurrences[int(nth) - 1]
        else:
            assert len(occurrences) == 1, f"{marker!r} occurs {len(occurrences)} times in {name}"
            position = occurrences[0]
        return str(content.count("\n", 0, position) + 1)

    return re.sub(r"<<(.+?)>>", line_of, expected, flags=re.DOTALL)


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its content (None for a folder)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
    }


WILDCARD = "..."


def matches(line: str, pattern: str) -> bool:
    """Whether ``line`` is ``pattern``, with each ``...`` in it standing for any text."""
    regex = ".*".join(re.escape(part) for part in pattern.split(WILDCARD))
    return re.fullmatch(regex, line, flags=re.DOTALL) is not None


def assert_problems(actual: Sequence[str], expected: Sequence[str]) -> None:
    """Every problem reported, in order, and nothing else."""
    shown = "\n".join(actual)
    assert len(actual) == len(expected), f"expected {len(expected)} problems, got:\n{shown}"
    for line, pattern in zip(actual, expected, strict=True):
        assert matches(line, pattern), f"\n  got:      {line}\n  expected: {pattern}\nall:\n{shown}"


def refreeze(root: Path) -> None:
    """Make the record's opening freeze the dossier's files as they are now, rewriting the chain.

    For tests that vary an opened dossier (its language, say): the result is the record the
    committee would have made had the bids been opened on these files. The readings of the
    PDFs are kept, so a test must not change a PDF with it.
    """
    ledger = root / "scores" / "ledger.jsonl"
    previous, lines = "0" * 64, []
    for raw in ledger.read_bytes().splitlines():
        body = json.loads(raw)
        body.pop("hash")
        body.pop("sig", None)
        if body["event"]["kind"] == "opening":
            body["event"]["files"] = input_digests(root)
        body["prev"] = previous
        previous, line = encode_entry(body, signer=member_key(body["by"]))
        lines.append(line)
    ledger.write_bytes(b"".join(lines))
    (root / "scores" / "ledger.head").write_text(encode_head(Head(len(lines), previous)))


def plain_replay(root: Path) -> ScoreBook:
    """The record's state without the procedure's rules: for checks that must hold on their own
    (the audit's), tried on entries the rules would refuse."""
    book = ScoreBook()
    for entry in Ledger(root / "scores").entries():
        book.add(entry, parse_entry(entry))
    return book
