"""Any change to the record, byte or line, is caught by ``tender verify``, at the right line.

A small record (the opening, a score, its change, the phase, a consensus score) is changed
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
    """A dossier with a five-entry record (the opening first); returns its root."""
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
    # 5 deletions, 5 repeats, the 119 other orders of 5 lines, 5 + 3 cuts.
    assert ENTRIES == 5
    assert found.variants == 5 + 5 + 119 + 5 + 3


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
    assert result.stderr == (f"error: {LEDGER}:5: entry 5 is missing (the head says 5)\n"), (
        result.stderr
    )
    assert ledger.read_bytes() == before
    assert not (record / "reports" / "audit").exists()


def test_a_clean_record_verifies_and_prints_its_head(record: Path, run_cli: Run) -> None:
    result = run_cli("verify", "--dossier", str(record))

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        "✓ scores/ledger.jsonl: 5 entries, the hash chain and the head agree.",
        "Opened 2026-12-01 11:00 UTC: 13 criteria and bid files are as they were opened; "
        "every entry follows the procedure's rules.",
        f"Last entry 5, hash {Ledger(record / 'scores').entries()[-1].hash}",
    ]


@pytest.mark.parametrize(
    ("head", "line", "problem"),
    [
        ('{"seq": 4, "hash": "HASH5"}', 4, "entry 4 is not the one the head recorded"),
        ('{"seq": 5, "hash": "0000"}', 5, "entry 5 is not the one the head recorded"),
        ('{"seq": 7, "hash": "HASH5"}', 6, "entries 6 to 7 are missing (the head says 7)"),
        (
            '{"seq": 3, "hash": "HASH3"}',
            4,
            "entries 4 to 5 were added outside tender (the head says 3)",
        ),
        ("{'seq': 5}", 1, "the head file is not readable"),
    ],
)
def test_a_changed_head_is_caught(
    record: Path, run_cli: Run, head: str, line: int, problem: str
) -> None:
    entries = Ledger(record / "scores").entries()
    (record / "scores" / "ledger.head").write_text(
        head.replace("HASH5", entries[4].hash).replace("HASH3", entries[2].hash) + "\n",
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
