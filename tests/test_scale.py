"""The fast paths for large tenders read, replay and check exactly what the slow ones did.

Replaying a record takes each ordinary score entry without the events' models, the
ledger checks a line as tender writes it without re-serialising it, a large record
is read line by line, the verdicts come from the replayed book, text is folded with
fewer passes, the audit groups copied motivations by hash, and the PDF cache is
written after the workers are done. Each is held here against the way it was done
before, including every way a hand-edited record must still be refused.
"""

from __future__ import annotations

import importlib
import itertools
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tender.analysis import checks as checks_module
from tender.analysis.audit import audit
from tender.bids import documents as documents_module
from tender.bids.documents import HEADING_LINES, _heading_key, _top_keys, extract_files
from tender.bids.suitability import assess
from tender.domain.dossier import SCORES_FOLDER
from tender.domain.errors import RecordDamagedError
from tender.domain.text import _latin_lookalikes, fold
from tender.io import pdfworkers
from tender.io.loader import load_dossier
from tender.io.pdfcache import CACHE_FOLDER
from tender.io.pdfworkers import Job
from tender.record.book import Score, ScoreBook, parse_entry, parse_event
from tender.record.ledger import (
    HEAD_NAME,
    LEDGER_NAME,
    Entry,
    Head,
    Ledger,
    encode_entry,
    encode_head,
)
from tender.record.replay import replay
from tests.conftest import DossierFactory
from tests.keys import acting_recorder
from tests.pdf_fixtures import GOOD_PLAN, text_pdf
from tests.scoring_fixtures import CHAIR, committee_dossier, score_all

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
MOMENT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
SCORE_EVENT = {
    "kind": "score",
    "bid": "bid-001",
    "sub_criterion": "criterion-1",
    "score": "8",
    "motivation": "Concreet en overtuigend.",
}


def entry(event: dict[str, Any], seq: int = 1) -> Entry:
    return Entry(
        seq=seq,
        at=MOMENT,
        by="evaluator-1",
        account="test",
        event=event,
        prev="0" * 64,
        hash="0" * 64,
        line=seq,
    )


def unruled(entries: Iterable[Entry]) -> ScoreBook:
    """The entries' state as the events' models read them, without the procedure's rules (for
    checks of the reading alone, with no dossier behind the entries)."""
    book = ScoreBook()
    for one in entries:
        book.add(one, parse_entry(one))
    return book


def replayed(event: dict[str, Any]) -> ScoreBook:
    return unruled([entry(event)])


def slow_score(event: dict[str, Any]) -> Score:
    """The score as the events' models make it: the way every entry was replayed before."""
    parsed = parse_event(entry(event))
    assert parsed.kind in ("score", "consensus")
    return Score(
        by="evaluator-1",
        bid=parsed.bid,
        sub_criterion=parsed.sub_criterion,
        score=parsed.score,
        motivation=parsed.motivation,
        at=MOMENT,
        seq=1,
        reason=parsed.reason,
    )


# --- replaying score entries -------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"score": "7.5"},
        {"score": "0"},
        {"score": "-0"},
        {"score": "10.00"},
        {"score": 8},
        {"score": "08"},
        {"score": " 8"},
        {"reason": "Herzien na overleg."},
        {"reason": None},
        {"motivation": " "},
        {"kind": "consensus"},
    ],
)
def test_an_ordinary_score_entry_replays_to_what_the_models_make(changes: dict[str, Any]) -> None:
    event = {**SCORE_EVENT, **changes}
    book = replayed(event)
    expected = slow_score(event)
    found = book.individual.get(("evaluator-1", "bid-001", "criterion-1")) or book.consensus.get(
        ("bid-001", "criterion-1")
    )
    assert found == expected
    assert found is not None
    assert str(found.score) == str(expected.score)  # the same digits, not only the same value


@pytest.mark.parametrize(
    "changes",
    [
        {"score": "8.5x"},
        {"score": "NaN"},
        {"score": "Infinity"},
        {"score": 8.0},
        {"score": True},
        {"score": None},
        {"bid": "Bid 1"},
        {"bid": "bid-001\n"},
        {"bid": ""},
        {"bid": 1},
        {"sub_criterion": "-criterion"},
        {"motivation": ""},
        {"motivation": ["a list"]},
        {"reason": 3},
        {"extra": "field"},
        {"kind": "scores"},
    ],
)
def test_a_hand_edited_score_entry_is_refused_as_the_models_refuse_it(
    changes: dict[str, Any],
) -> None:
    event = {**SCORE_EVENT, **changes}
    with pytest.raises(RecordDamagedError) as slow:
        parse_event(entry(event))
    with pytest.raises(RecordDamagedError) as fast:
        replayed(event)
    assert str(fast.value) == str(slow.value)


@pytest.mark.parametrize("field", ["bid", "sub_criterion", "score", "motivation", "kind"])
def test_a_score_entry_missing_a_field_is_refused_as_the_models_refuse_it(field: str) -> None:
    event = {key: value for key, value in SCORE_EVENT.items() if key != field}
    with pytest.raises(RecordDamagedError) as slow:
        parse_event(entry(event))
    with pytest.raises(RecordDamagedError) as fast:
        replayed(event)
    assert str(fast.value) == str(slow.value)


def test_a_re_sealed_record_with_a_bad_score_is_refused_at_its_line(tmp_path: Path) -> None:
    """Someone edits a score and recomputes the chain with tender's own encoder: the hash
    holds, and replaying refuses the entry, naming it."""
    lines, previous = [], "0" * 64
    events = [SCORE_EVENT, {**SCORE_EVENT, "score": "8,5"}]
    for seq, event in enumerate(events, 1):
        body = {
            "seq": seq,
            "at": MOMENT.isoformat(timespec="microseconds"),
            "by": "evaluator-1",
            "account": "test",
            "event": event,
            "prev": previous,
        }
        previous, line = encode_entry(body)
        lines.append(line)
    (tmp_path / LEDGER_NAME).write_bytes(b"".join(lines))
    (tmp_path / HEAD_NAME).write_text(encode_head(Head(2, previous)), encoding="utf-8")
    with pytest.raises(RecordDamagedError) as refused:
        unruled(Ledger(tmp_path).stream())
    assert str(refused.value).startswith("scores/ledger.jsonl:2: entry 2 is not a valid event")


# --- reading the record ------------------------------------------------------------------------


def test_a_record_written_in_another_spelling_is_still_read(tmp_path: Path) -> None:
    """The hash covers the fields, not their spelling: a record re-indented by a tool has no
    line in the form tender writes, so every line is checked the long way, and holds."""
    ledger = Ledger(tmp_path)
    with ledger.transaction() as append:
        for number in range(3):
            append("evaluator-1", {**SCORE_EVENT, "motivation": f"Notitie {number}."})
    written = ledger.entries()
    path = tmp_path / LEDGER_NAME
    respelled = [
        json.dumps(json.loads(line), ensure_ascii=True, indent=None) + "\n"
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    path.write_text("".join(respelled), encoding="utf-8")
    read = Ledger(tmp_path).entries()
    assert [(e.event, e.hash) for e in read] == [(e.event, e.hash) for e in written]
    assert list(Ledger(tmp_path).stream()) == list(read)


def test_streaming_the_record_gives_what_entries_gives(make_dossier: DossierFactory) -> None:
    dossier = committee_dossier(make_dossier)
    recorder = acting_recorder(dossier)
    score_all(recorder)
    recorder.change_phase(CHAIR, "consensus")
    folder = dossier.root / SCORES_FOLDER
    assert tuple(Ledger(folder).stream()) == Ledger(folder).entries()
    ledger = Ledger(folder)
    streamed = replay(dossier, ledger.stream(), ledger.display)
    assert streamed == replay(dossier, Ledger(folder).entries(), ledger.display)
    assert streamed == recorder.book


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda lines: lines[:-2], id="last-entries-cut-off"),
        pytest.param(lambda lines: [*lines, lines[-1]], id="entry-repeated"),
        pytest.param(lambda lines: [lines[1], lines[0], *lines[2:]], id="entries-swapped"),
        pytest.param(lambda lines: [*lines[:-1], lines[-1][:-9]], id="last-line-torn"),
    ],
)
def test_a_damaged_record_is_refused_by_the_stream_as_by_entries(
    tmp_path: Path, damage: Callable[[list[bytes]], list[bytes]]
) -> None:
    ledger = Ledger(tmp_path)
    with ledger.transaction() as append:
        for number in range(5):
            append("evaluator-1", {**SCORE_EVENT, "motivation": f"Notitie {number}."})
    path = tmp_path / LEDGER_NAME
    path.write_bytes(b"".join(damage(path.read_bytes().splitlines(keepends=True))))
    with pytest.raises(RecordDamagedError) as whole:
        Ledger(tmp_path).entries()
    with pytest.raises(RecordDamagedError) as streamed:
        list(Ledger(tmp_path).stream())
    assert str(streamed.value) == str(whole.value)


def test_a_head_claiming_a_different_entry_is_refused_by_the_stream(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    with ledger.transaction() as append:
        for number in range(3):
            append("evaluator-1", {**SCORE_EVENT, "motivation": f"Notitie {number}."})
    (tmp_path / HEAD_NAME).write_text(encode_head(Head(2, "f" * 64)), encoding="utf-8")
    with pytest.raises(RecordDamagedError, match="entry 2 is not the one the head recorded"):
        list(Ledger(tmp_path).stream())


# --- text --------------------------------------------------------------------------------------


def folded_by_definition(text: str) -> str:
    """Decomposed, without default-ignorable characters and marks, each letter of another
    script that looks like a Latin one read as that letter (the table is data, pinned by
    tests/test_anonymity.py), casefolded: character by character, without fold's shortcuts."""
    lookalikes = _latin_lookalikes()
    kept = []
    for char in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(char)
        hangul_filler = category == "Lo" and unicodedata.name(char, "").endswith(" FILLER")
        if category not in ("Cf", "Mn", "Me") and not hangul_filler:
            kept.append(lookalikes.get(char, char))
    return "".join(kept).casefold()


@given(st.text())
def test_folding_is_decomposing_dropping_invisibles_reading_lookalikes_and_casefolding(
    text: str,
) -> None:
    assert fold(text) == folded_by_definition(text)


@given(st.text(alphabet=st.sampled_from("a\u00ad\u200b\u2060\u0301\u0430\u0397\u3164\u0399B")))
def test_folding_handles_invisibles_and_lookalikes_among_latin_letters(text: str) -> None:
    assert fold(text) == folded_by_definition(text)


def top_keys_by_definition(text: str) -> list[str]:
    lines = [line.strip() for line in text.split("\n") if line.strip()][:HEADING_LINES]
    tops = [*lines, *(f"{first} {second}" for first, second in itertools.pairwise(lines))]
    return [_heading_key(line) for line in tops]


@given(st.text(alphabet=st.sampled_from("aB -\n\t\u00a0é\u0301ﬁΣß1.İ\u2028\u3000\x1c")))
def test_a_pages_heading_keys_are_those_of_its_top_lines(text: str) -> None:
    assert _top_keys(text) == top_keys_by_definition(text)


# --- the audit ---------------------------------------------------------------------------------


def test_copied_motivations_are_found_whatever_their_hashes(
    make_dossier: DossierFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Motivations are grouped by hash, then compared word for word: even when every hash
    is the same, only the same texts are reported as copies."""
    dossier = committee_dossier(make_dossier)
    recorder = acting_recorder(dossier)
    score_all(recorder, marker="Gelijk. ")
    for bid in ("bid-001", "bid-003"):
        recorder.record_score(
            "evaluator-2",
            bid,
            "criterion-2",
            score=Decimal(6),
            motivation="Een tekst die op twee inschrijvingen staat.",
            reason="Gekopieerd",
        )
    recorder.change_phase(CHAIR, "consensus")
    assessed = assess(dossier, recorder.book)
    expected = audit(dossier, assessed, recorder.book).of("motivation")
    monkeypatch.setattr(checks_module, "hash", lambda _: 0, raising=False)
    found = audit(dossier, assessed, recorder.book).of("motivation")
    assert found == expected
    assert [finding.rule for finding in found] == ["motivation.copied"]


# --- the PDF cache -----------------------------------------------------------------------------


def test_the_cache_keeps_what_was_read_before_an_interruption(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is written once the workers are done, and also when they are stopped."""
    paths = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    paths[0].write_bytes(GOOD_PLAN)
    paths[1].write_bytes(text_pdf(["iets anders"]))
    real = pdfworkers.parse_all

    def first_then_interrupted(jobs: list[Job], **options: Any) -> None:
        real(jobs[:1], **options)
        raise KeyboardInterrupt

    monkeypatch.setattr(documents_module, "parse_all", first_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        extract_files(paths, cache_root=tmp_path)
    assert len(list((tmp_path / CACHE_FOLDER / "pdf").iterdir())) == 1
    monkeypatch.setattr(documents_module, "parse_all", real)
    assert extract_files(paths, cache_root=tmp_path).parsed == 1


# --- the benchmark's dossier -------------------------------------------------------------------


def test_the_benchmark_dossier_is_complete_and_its_record_verifies(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        generator = importlib.import_module("make_dossier")
    finally:
        sys.path.remove(str(BENCHMARKS))
    built = generator.make_dossier(3, out=tmp_path / "dossier", quiet=True)
    dossier = load_dossier(built.root)
    assert [bid.id for bid in dossier.submissions] == ["bid-00001", "bid-00002", "bid-00003"]
    entries = Ledger(built.root / SCORES_FOLDER).verify()
    # the opening, 3 verdicts, 105 sealed scores, their reveal, the phase, 15 consensus, the lock
    assert len(entries) == built.entries == 1 + 3 + 7 * 3 * 5 + 1 + 1 + 3 * 5 + 1
    book = replay(dossier, entries, "scores/ledger.jsonl")
    assert (len(book.individual), len(book.consensus), book.phase) == (105, 15, "locked")
    assessed = assess(dossier, book)
    assert {assessment.standing for assessment in assessed} == {"suitable"}
    digests = {doc.sha256 for assessment in assessed for doc in assessment.documents.documents}
    assert len(digests) == built.files == 12  # every PDF its own: a cold ingest parses them all
    assert replace(book, applied=0) == replace(unruled(entries), applied=0)
