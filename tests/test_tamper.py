"""Any change to the record, byte or line, is caught by ``tender verify``, at the right line.

A small record (the opening, a sealed score, its change, their reveal, the phase, a consensus
score; every entry signed) is changed
in every way a person with a text editor could (tests/tampering.py): each byte set to other
values, each line deleted or repeated, the lines in every other order, the end cut off. The
first bad entry is the line holding the change, and ``tender verify`` exits 3 naming it;
every other command that reads the record refuses it too. ``scripts/tamper_sweep.py`` runs
the same through ``tender verify`` itself for every variant, and can try every value of
every byte. (Entries the procedure does not allow, written with a valid chain and head, are
the corpus's ``record-rule-*`` mutations, tests/corpus.py.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tender.record.ledger import Ledger
from tests.tampering import (
    ENTRIES,
    LEDGER,
    REPLACEMENTS,
    byte_changes,
    line_at,
    line_changes,
    lines_of,
    small_record,
    sweep,
)

Run = Callable[..., Result]


@pytest.fixture
def record(tmp_path: Path) -> Path:
    """A dossier with a six-entry record (the opening first); returns its root."""
    return small_record(tmp_path / "dossier")


def test_every_changed_byte_is_caught_at_its_line(record: Path) -> None:
    pristine = (record / LEDGER).read_bytes()

    found = sweep(record, byte_changes(pristine))

    assert not found.missed, f"{len(found.missed)} of {found.variants}: {found.missed[:3]}"
    assert found.variants > 10 * len(pristine)


def test_every_deleted_repeated_or_reordered_line_is_caught_at_the_first_bad_one(
    record: Path,
) -> None:
    pristine = (record / LEDGER).read_bytes()

    found = sweep(record, line_changes(pristine))

    assert not found.missed, found.missed[:3]
    # 6 deletions, 6 repeats, the 719 other orders of 6 lines, 6 + 3 cuts.
    assert ENTRIES == 6
    assert found.variants == 6 + 6 + 719 + 6 + 3


def test_tender_verify_names_the_line_for_every_kind_of_change(record: Path) -> None:
    pristine = (record / LEDGER).read_bytes()
    variants = []
    for position, original in enumerate(pristine):
        # One value per byte, in turn (the tests above try every value on every byte).
        value = REPLACEMENTS[position % len(REPLACEMENTS)]
        value = bytes([original ^ 0x01]) if value[0] == original else value
        changed = pristine[:position] + value + pristine[position + 1 :]
        variants.append((f"byte {position} to {value!r}", changed, line_at(pristine, position)))
    variants += list(line_changes(pristine))

    found = sweep(record, variants, command=True)

    assert not found.missed, found.missed[:3]
    assert found.variants > len(pristine)


@pytest.mark.parametrize(
    "words",
    [
        ("phase",),
        ("history", "bid-001", "--evaluator", "evaluator-1"),
        ("consensus", "show"),
        ("score", "show", "--evaluator", "evaluator-2"),
        ("bids",),
        ("decide",),
        ("audit",),
        ("score", "set", "-e", "evaluator-3", "bid-001", "criterion-2", "8", "-m", "m"),
    ],
)
def test_a_record_cut_short_is_refused_by_every_command_that_reads_it(
    record: Path, run_cli: Run, words: tuple[str, ...]
) -> None:
    """The head names the last entry: a record whose last line was removed is refused by
    readers too, not only by 'tender verify' (nor read as if the lock had never happened)."""
    ledger = record / LEDGER
    ledger.write_bytes(b"".join(lines_of(ledger.read_bytes())[:-1]))
    before = ledger.read_bytes()

    result = run_cli(*words, "--dossier", str(record))

    assert result.exit_code == 3, result.output
    assert result.stderr == (f"error: {LEDGER}:6: entry 6 is missing (the head says 6)\n"), (
        result.stderr
    )
    assert ledger.read_bytes() == before
    assert not (record / "reports" / "audit").exists()


def test_a_clean_record_verifies_and_prints_its_head(record: Path, run_cli: Run) -> None:
    result = run_cli("verify", "--dossier", str(record))

    assert result.exit_code == 0, result.output
    shown = result.output.splitlines()
    assert shown[:3] == [
        "✓ scores/ledger.jsonl: 6 entries, the hash chain and the head agree.",
        "Opened 2026-12-01 11:00 UTC: 13 criteria and bid files are as they were opened; "
        "every entry follows the procedure's rules.",
        "Every entry is signed by its author's key in committee.yaml.",
    ]
    assert f"Last entry 6, hash {Ledger(record / 'scores').entries()[-1].hash}" in shown


@pytest.mark.parametrize(
    ("head", "line", "problem"),
    [
        ('{"seq": 5, "hash": "LAST"}', 5, "entry 5 is not the one the head recorded"),
        ('{"seq": 6, "hash": "0000"}', 6, "entry 6 is not the one the head recorded"),
        ('{"seq": 8, "hash": "LAST"}', 7, "entries 7 to 8 are missing (the head says 8)"),
        (
            '{"seq": 4, "hash": "FOURTH"}',
            5,
            "entries 5 to 6 were added outside tender (the head says 4)",
        ),
        ("{'seq': 6}", 1, "the head file is not readable"),
    ],
)
def test_a_changed_head_is_caught(
    record: Path, run_cli: Run, head: str, line: int, problem: str
) -> None:
    entries = Ledger(record / "scores").entries()
    (record / "scores" / "ledger.head").write_text(
        head.replace("LAST", entries[5].hash).replace("FOURTH", entries[3].hash) + "\n",
        encoding="utf-8",
    )

    result = run_cli("verify", "--dossier", str(record), "--json")

    assert result.exit_code == 3
    file = "scores/ledger.head" if "head file" in problem else "scores/ledger.jsonl"
    assert json.loads(result.output) == {
        "ok": False,
        "file": file,
        "line": line,
        "problem": problem,
    }
