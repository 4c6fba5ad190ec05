"""Every way a person with a text editor can change a small record, and where it must be caught.

A six-entry record (the chair's opening, a sealed score, its change with a reason, the
chair's reveal of both, the phase, a consensus score), every entry signed, is changed in turn: each byte set to other values, each line deleted,
repeated or swapped with the next, every other order of the lines, the end cut off. Each
variant comes with the line ``tender verify`` must name: the first line whose entry is not
as recorded (the hash chain and the head catch every such change before the procedure's
rules are asked; a line moved before the opening is caught by the chain too).

Used by tests/test_tamper.py and scripts/tamper_sweep.py (which also tries every value of
every byte).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from tender.cli import cli
from tender.domain.dossier import Dossier
from tender.domain.errors import RecordDamagedError
from tender.io.loader import load_dossier
from tender.io.scaffold import create_dossier
from tender.record.disclosure import check_record
from tests.conftest import write_tree
from tests.keys import acting_recorder
from tests.scoring_fixtures import CHAIR, committee_files, open_bids

LEDGER = "scores/ledger.jsonl"
# Values a changed byte takes: line breaks, JSON structure and whitespace, digits, and
# bytes that are not UTF-8 on their own.
REPLACEMENTS = (b"\n", b"\r", b" ", b'"', b"}", b"0", b"9", b"\\", b"\x00", b"\xc3", b"\xff")
EVERY_VALUE = tuple(bytes([value]) for value in range(256))

Variant = tuple[str, bytes, int]
"""What was done, the changed record, and the line that must be named."""


ENTRIES = 6
"""The opening, two sealed scores, their reveal, the phase, a consensus score."""


def small_record(root: Path) -> Path:
    """A committee dossier at ``root`` whose record holds :data:`ENTRIES` entries, the
    opening first; returns ``root``."""
    create_dossier(root)
    write_tree(root, committee_files())
    open_bids(root)
    recorder = acting_recorder(load_dossier(root))
    recorder.record_score(
        "evaluator-2", "bid-001", "criterion-1", score=Decimal(8), motivation="Cliënt"
    )
    recorder.record_score(
        "evaluator-2", "bid-001", "criterion-1", score=Decimal(6), motivation="b", reason="r"
    )
    recorder.change_phase(CHAIR, "consensus", force_reason="test")
    recorder.record_consensus(CHAIR, "bid-001", "criterion-1", score=Decimal(6), motivation="c")
    return root


def lines_of(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def line_at(data: bytes, position: int) -> int:
    """The 1-based line holding byte ``position`` (a line's break belongs to it)."""
    return data[:position].count(b"\n") + 1


def byte_changes(
    data: bytes, values: Iterable[bytes] = REPLACEMENTS, *, stride: int = 1
) -> Iterator[Variant]:
    """Every byte (every ``stride``-th) set to each of ``values`` (where it differs) and to
    itself with bit 0 flipped."""
    chosen = tuple(values)
    for position in range(0, len(data), stride):
        original = data[position]
        line = line_at(data, position)
        tried = {original}
        for value in (*chosen, bytes([original ^ 0x01])):
            if value[0] not in tried:
                tried.add(value[0])
                changed = data[:position] + value + data[position + 1 :]
                yield f"byte {position} to {value!r}", changed, line


def line_changes(data: bytes) -> Iterator[Variant]:
    """Each line deleted or repeated, every other order of the lines, the end cut off."""
    lines = lines_of(data)
    count = len(lines)
    for index in range(count):
        number = index + 1
        yield f"delete line {number}", b"".join(lines[:index] + lines[index + 1 :]), number
        yield (
            f"repeat line {number}",
            b"".join(lines[: index + 1] + lines[index:]),
            number + 1,
        )
    for order in itertools.permutations(range(count)):
        moved = [position for position, line in enumerate(order) if position != line]
        if moved:
            shown = " ".join(str(line + 1) for line in order)
            yield f"lines in the order {shown}", b"".join(lines[i] for i in order), moved[0] + 1
    for cut in range(1, count + 1):
        yield f"cut the last {cut} lines", b"".join(lines[: count - cut]), count - cut + 1
    last = lines[-1]
    for keep in (1, len(last) // 2, len(last) - 1):
        yield f"cut the last line to {keep} bytes", b"".join([*lines[:-1], last[:keep]]), count


def first_bad_line(dossier: Dossier, data: bytes) -> int | None:
    """The line ``tender verify``'s check names for the record ``data``; None when it passes."""
    (dossier.root / LEDGER).write_bytes(data)
    try:
        check_record(dossier)
    except RecordDamagedError as error:
        return error.line
    return None


def verify_names(root: Path, data: bytes) -> tuple[int, str]:
    """``tender verify`` on the record ``data``: its exit code and its stderr."""
    (root / LEDGER).write_bytes(data)
    result = CliRunner().invoke(cli, ["verify", "--dossier", str(root)])
    return result.exit_code, result.stderr


@dataclass
class Sweep:
    """How many variants were tried, and those not caught at their line."""

    variants: int = 0
    caught: int = 0
    missed: list[str] = field(default_factory=list)


def sweep(root: Path, variants: Iterable[Variant], *, command: bool = False) -> Sweep:
    """Try each variant on the record at ``root``: by the check (fast) or by ``tender verify``.

    A variant is caught when verification fails naming its line (``tender verify``: exit 3,
    ``error: scores/ledger.jsonl:LINE: ``, nothing on stdout). The record is put back after.
    """
    pristine = (root / LEDGER).read_bytes()
    dossier = load_dossier(root)
    found = Sweep()
    try:
        for what, changed, line in variants:
            found.variants += 1
            if command:
                code, stderr = verify_names(root, changed)
                named = stderr.startswith(f"error: {LEDGER}:{line}: ")
                ok = code == 3 and named
                seen = f"exit {code}: {stderr.strip()[:120]}"
            else:
                at = first_bad_line(dossier, changed)
                ok = at == line
                seen = f"named line {at}"
            if ok:
                found.caught += 1
            else:
                found.missed.append(f"{what}: expected line {line}, {seen}")
    finally:
        (root / LEDGER).write_bytes(pristine)
    return found
