"""The ledger on its own: the chain, reading only what is new, torn tails, the head, the lock."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from filelock import FileLock

from tender.domain.errors import RecordBusyError, RecordDamagedError
from tender.io.loader import load_dossier
from tender.record import ledger as ledger_module
from tender.record.book import Score, ScoreBook, parse_entry
from tender.record.disclosure import check_record
from tender.record.ledger import GENESIS, Entry, Ledger
from tests.conftest import DossierFactory
from tests.keys import sealed_event, signers
from tests.scoring_fixtures import committee_root, open_bids

MOMENT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
SLUG_RULE = "use 1-64 lowercase letters, digits and inner hyphens (e.g. 'bid-001')"


def fixed_clock() -> datetime:
    return MOMENT


def event(number: int) -> dict[str, str]:
    return {
        "kind": "consensus",
        "bid": "bid-001",
        "sub_criterion": "criterion-1",
        "score": "8",
        "motivation": f"note {number}",
    }


def unruled(entries: Iterable[Entry]) -> ScoreBook:
    """The entries' state as the events' models read them, without the procedure's rules:
    these entries are read on their own, with no dossier and no opening."""
    book = ScoreBook()
    for entry in entries:
        book.add(entry, parse_entry(entry))
    return book


def write(ledger: Ledger, count: int, start: int = 0) -> None:
    with ledger.transaction() as append:
        for number in range(start, start + count):
            append("evaluator-1", event(number))


SOUND_ITEMS = (
    ("bid-001", "criterion-1"),
    ("bid-001", "criterion-2"),
    ("bid-002", "criterion-1"),
    ("bid-002", "criterion-2"),
)


def sound_event(number: int) -> dict[str, str]:
    """A score the procedure allows after the opening of the committee dossier: a new item each."""
    bid, sub_criterion = SOUND_ITEMS[number]
    return sealed_event("evaluator-1", bid, sub_criterion, "8", f"note {number}", readers=())


def write_sound(ledger: Ledger, count: int, start: int = 0) -> None:
    """Append ``count`` scores that check_record (which applies the rules) accepts."""
    with Ledger(ledger.folder, signers=signers("evaluator-1")).transaction() as append:
        for number in range(start, start + count):
            append("evaluator-1", sound_event(number))


def test_entries_form_a_chain_with_who_when_and_the_account(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path, clock=fixed_clock, account="anna@pc-12")
    write(ledger, 3)

    entries = Ledger(tmp_path).entries()

    assert [entry.seq for entry in entries] == [1, 2, 3]
    assert [entry.line for entry in entries] == [1, 2, 3]
    assert entries[0].prev == GENESIS
    assert [entry.prev for entry in entries[1:]] == [entry.hash for entry in entries[:-1]]
    assert {(entry.by, entry.account, entry.at) for entry in entries} == {
        ("evaluator-1", "anna@pc-12", MOMENT)
    }
    assert [entry.event for entry in entries] == [event(n) for n in range(3)]
    head = json.loads((tmp_path / "ledger.head").read_text(encoding="utf-8"))
    assert head == {"seq": 3, "hash": entries[-1].hash}


def test_a_reader_takes_in_only_what_others_appended_since_it_looked(tmp_path: Path) -> None:
    reader, writer = Ledger(tmp_path), Ledger(tmp_path)
    write(writer, 2)
    assert len(tuple(reader.new_entries(after=0))) == 2

    write(writer, 3, start=2)

    assert [entry.event for entry in reader.new_entries(after=2)] == [event(n) for n in (2, 3, 4)]
    assert tuple(reader.new_entries(after=5)) == ()
    assert [entry.seq for entry in reader.new_entries(after=3)] == [4, 5]  # read before, not kept
    assert len(reader.entries()) == 5


def test_a_reader_keeps_only_the_entries_it_still_has_to_give_or_check(tmp_path: Path) -> None:
    """What lets a writer start on a record of 400,000 entries without holding them all."""
    writer, reader = Ledger(tmp_path), Ledger(tmp_path)
    write(writer, 50)
    assert len(tuple(reader.new_entries(after=0))) == 50
    assert [entry.seq for entry in reader._cursor.entries] == [50]  # the one the head names

    write(writer, 3, start=50)
    with reader.transaction():
        pass  # catches up under the lock, as before an append, and keeps what it read
    assert [entry.seq for entry in reader.new_entries(after=50)] == [51, 52, 53]
    assert [entry.seq for entry in reader._cursor.entries] == [53]


def test_a_head_moved_back_is_caught_by_a_reader_that_read_past_it(tmp_path: Path) -> None:
    writer, reader = Ledger(tmp_path), Ledger(tmp_path)
    write(writer, 5)
    third = reader.entries()[2]
    assert len(tuple(reader.new_entries(after=0))) == 5
    head = tmp_path / "ledger.head"
    head.write_text(json.dumps({"seq": 3, "hash": third.hash}), encoding="utf-8")

    with pytest.raises(RecordDamagedError) as caught:
        tuple(reader.new_entries(after=5))

    message = "scores/ledger.jsonl:4: entries 4 to 5 were added outside tender (the head says 3)"
    assert str(caught.value) == message
    with pytest.raises(RecordDamagedError) as fresh:
        Ledger(tmp_path).entries()
    assert str(fresh.value) == message


def test_a_record_cut_back_while_a_ledger_runs_is_refused_before_anything_is_added(
    tmp_path: Path,
) -> None:
    """A backup put back under a running writer: the chain and the head agree, but entries
    this process read are gone, and adding to it would fork the record."""
    writer, running = Ledger(tmp_path), Ledger(tmp_path)
    write(writer, 5)
    assert len(tuple(running.new_entries(after=0))) == 5
    lines = (tmp_path / "ledger.jsonl").read_bytes().splitlines(keepends=True)
    (tmp_path / "ledger.jsonl").write_bytes(b"".join(lines[:2]))
    second = json.loads(lines[1])
    (tmp_path / "ledger.head").write_text(
        json.dumps({"seq": 2, "hash": second["hash"]}), encoding="utf-8"
    )
    assert len(Ledger(tmp_path).entries()) == 2  # a fresh reader sees a sound, shorter record

    message = (
        "scores/ledger.jsonl:3: entries 3 to 5 are missing: this process read them before, "
        "so the record was cut back meanwhile"
    )
    with pytest.raises(RecordDamagedError) as caught:
        tuple(running.new_entries(after=5))
    assert str(caught.value) == message
    with pytest.raises(RecordDamagedError) as appending:
        write(running, 1, start=5)
    assert str(appending.value) == message
    assert len((tmp_path / "ledger.jsonl").read_bytes().splitlines()) == 2  # nothing added


def test_a_record_rewritten_under_a_running_ledger_is_refused(tmp_path: Path) -> None:
    first, running = Ledger(tmp_path), Ledger(tmp_path)
    write(first, 5)
    assert len(tuple(running.new_entries(after=0))) == 5
    (tmp_path / "ledger.jsonl").unlink()
    (tmp_path / "ledger.head").unlink()
    other = Ledger(tmp_path)
    write(other, 5, start=10)  # another record of five entries in its place, its head one
    fourth = other.entries()[3]  # entry behind, as after an interrupted write
    (tmp_path / "ledger.head").write_text(json.dumps({"seq": 4, "hash": fourth.hash}))

    with pytest.raises(RecordDamagedError) as caught:
        tuple(running.new_entries(after=5))

    assert str(caught.value) == (
        "scores/ledger.jsonl:5: entry 5 is not the one this process read before: the record "
        "was rewritten meanwhile"
    )


def test_a_record_rewritten_to_the_same_length_under_a_running_ledger_is_refused(
    tmp_path: Path,
) -> None:
    """Nothing new to read and the head gone (as after an interrupted first write): only the
    line read last, no longer where it was, shows that the record is another one."""
    running = Ledger(tmp_path)
    write(Ledger(tmp_path), 1)
    assert len(tuple(running.new_entries(after=0))) == 1
    old = (tmp_path / "ledger.jsonl").read_bytes()
    (tmp_path / "ledger.jsonl").unlink()
    (tmp_path / "ledger.head").unlink()
    write(Ledger(tmp_path, clock=lambda: MOMENT), 1)
    assert len((tmp_path / "ledger.jsonl").read_bytes()) == len(old)  # another entry 1
    (tmp_path / "ledger.head").unlink()

    with pytest.raises(RecordDamagedError) as caught:
        tuple(running.new_entries(after=1))

    assert str(caught.value) == (
        "scores/ledger.jsonl:1: entry 1 is not the one this process read before: the record "
        "was rewritten meanwhile"
    )


def test_a_head_with_a_negative_number_is_not_readable(tmp_path: Path) -> None:
    write(Ledger(tmp_path), 2)
    (tmp_path / "ledger.head").write_text(json.dumps({"seq": -2, "hash": GENESIS}))

    with pytest.raises(RecordDamagedError) as caught:
        Ledger(tmp_path).entries()

    assert str(caught.value) == "scores/ledger.head:1: the head file is not readable"


def test_a_writer_continues_the_chain_after_another_writer(tmp_path: Path) -> None:
    first, second = Ledger(tmp_path), Ledger(tmp_path)
    write(first, 1)
    write(second, 1, start=1)
    write(first, 1, start=2)

    assert [entry.seq for entry in Ledger(tmp_path).verify()] == [1, 2, 3]


def test_a_torn_last_line_is_reported_kept_as_evidence_and_set_aside(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path, clock=fixed_clock)
    write(ledger, 2)
    path = tmp_path / "ledger.jsonl"
    sound = path.read_bytes()
    path.write_bytes(sound + b'{"seq":3,"at":"2026-11-')

    fresh = Ledger(tmp_path, clock=fixed_clock)
    assert len(fresh.entries()) == 2
    assert fresh.torn_tail() == len(b'{"seq":3,"at":"2026-11-')
    assert len(fresh.verify()) == 2

    write(fresh, 1, start=2)

    assert path.read_bytes().startswith(sound)
    assert [entry.seq for entry in Ledger(tmp_path).verify()] == [1, 2, 3]
    assert (tmp_path / "ledger.torn").read_bytes() == (
        f"# 2026-11-20T09:30:00+00:00 set aside after byte {len(sound)}:\n".encode()
        + b'{"seq":3,"at":"2026-11-\n'
    )


def test_a_head_one_entry_behind_is_an_interrupted_write_and_is_repaired(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    write(ledger, 2)
    head = tmp_path / "ledger.head"
    before = head.read_bytes()
    write(ledger, 1, start=2)
    head.write_bytes(before)  # as if killed after the line was durable, before the head moved

    assert len(Ledger(tmp_path).verify()) == 3
    write(Ledger(tmp_path), 1, start=3)

    assert json.loads(head.read_text(encoding="utf-8"))["seq"] == 4
    assert len(Ledger(tmp_path).verify()) == 4


def test_entries_beyond_the_head_were_added_outside_tender(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    write(ledger, 2)
    head = tmp_path / "ledger.head"
    before = head.read_bytes()
    write(ledger, 2, start=2)
    head.write_bytes(before)

    with pytest.raises(RecordDamagedError) as caught:
        Ledger(tmp_path).verify()

    assert str(caught.value) == (
        "scores/ledger.jsonl:3: entries 3 to 4 were added outside tender (the head says 2)"
    )


def test_an_unreadable_head_is_reported(tmp_path: Path) -> None:
    write(Ledger(tmp_path), 1)
    (tmp_path / "ledger.head").write_text("{not json", encoding="utf-8")

    with pytest.raises(RecordDamagedError) as caught:
        Ledger(tmp_path).verify()

    assert str(caught.value) == "scores/ledger.head:1: the head file is not readable"


def test_a_line_ending_changed_to_carriage_return_is_caught(tmp_path: Path) -> None:
    write(Ledger(tmp_path), 3)
    path = tmp_path / "ledger.jsonl"
    data = path.read_bytes()
    first_end = data.index(b"\n")
    path.write_bytes(data[:first_end] + b"\r" + data[first_end + 1 :])

    with pytest.raises(RecordDamagedError) as caught:
        Ledger(tmp_path).verify()

    assert caught.value.line == 1
    assert caught.value.detail == "the line is not a readable entry (changed outside tender?)"


def test_a_writer_that_cannot_get_the_lock_gives_up_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_module, "LOCK_TIMEOUT_SECONDS", 0.05)
    ledger = Ledger(tmp_path)

    with FileLock(tmp_path / ".ledger.lock"), pytest.raises(RecordBusyError) as caught:
        write(ledger, 1)

    assert str(caught.value) == (
        "scores/ledger.jsonl is locked by another process for more than 0 s; try again in a moment"
    )
    assert not (tmp_path / "ledger.jsonl").exists()


def test_check_record_reports_entries_hash_and_interrupted_writes(
    make_dossier: DossierFactory,
) -> None:
    root = committee_root(make_dossier, opened=False)
    scores = root / "scores"
    assert check_record(load_dossier(root)).entries == 0
    open_bids(root)

    write_sound(Ledger(scores), 2)
    with (scores / "ledger.jsonl").open("ab") as stream:
        stream.write(b'{"seq":')

    check = check_record(load_dossier(root))

    assert (check.entries, check.torn_bytes, check.set_aside, check.head_behind) == (3, 7, 0, False)
    assert check.last_hash == Ledger(scores).entries()[-1].hash
    write_sound(Ledger(scores), 1, start=2)
    assert check_record(load_dossier(root)).set_aside == 1


# --- the hash of one line: the quick check of a line as tender writes it, and the long one -----


def test_a_score_changed_in_a_sealed_line_is_caught_with_its_hash_kept(tmp_path: Path) -> None:
    """One byte of the score changed, the line's own hash left as it was: the quick check (the
    line as tender writes it) and the long one (the canonical JSON of its fields) both refuse."""
    write(Ledger(tmp_path), 2)
    path = tmp_path / "ledger.jsonl"
    first, second = path.read_bytes().splitlines(keepends=True)
    assert first.count(b'"score":"8"') == 1
    path.write_bytes(first.replace(b'"score":"8"', b'"score":"9"') + second)

    with pytest.raises(RecordDamagedError) as caught:
        Ledger(tmp_path).verify()

    assert str(caught.value) == (
        "scores/ledger.jsonl:1: entry 1 was changed after it was recorded (its hash does not match)"
    )
    reformatted = json.dumps(json.loads(first.replace(b'"score":"8"', b'"score":"9"')), indent=1)
    path.write_bytes(reformatted.replace("\n", " ").encode() + b"\n" + second)
    with pytest.raises(RecordDamagedError) as long_way:
        Ledger(tmp_path).verify()
    assert str(long_way.value) == str(caught.value)


def test_a_line_written_in_another_json_form_with_the_same_fields_is_accepted(
    make_dossier: DossierFactory,
) -> None:
    """Documented: the hash seals the fields (their canonical JSON), not the bytes; a line
    re-serialised with other key order and spacing but the same content still verifies."""
    root = committee_root(make_dossier)
    scores = root / "scores"
    write_sound(Ledger(scores), 2)
    path = scores / "ledger.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    body = json.loads(lines[1])
    keys = ("hash", "event", "seq", "sig", "prev", "by", "at", "account")
    other_form = {key: body[key] for key in keys}
    relaid = json.dumps(other_form, separators=(", ", " : "), ensure_ascii=True).encode() + b"\n"
    assert relaid != lines[1]
    path.write_bytes(lines[0] + relaid + lines[2])

    entries = Ledger(scores).verify()

    assert [entry.seq for entry in entries] == [1, 2, 3]
    assert entries[1].hash == body["hash"]
    assert entries[0].event["kind"] == "opening"
    assert [(e.event["bid"], e.event["sub_criterion"]) for e in entries[1:]] == list(
        SOUND_ITEMS[:2]
    )
    assert entries[1].event == body["event"]
    check = check_record(load_dossier(root))
    assert (check.entries, check.last_hash) == (3, entries[2].hash)


def test_lines_tender_wrote_are_checked_the_quick_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a record tender wrote recomputes no canonical JSON: that is what makes reading
    400,000 entries affordable. Only a line in another form is checked the long way."""
    write(Ledger(tmp_path), 4)
    long_way: list[object] = []
    digest = ledger_module._digest

    def counting(body: dict[str, object]) -> str:
        long_way.append(body["seq"])
        return digest(body)

    monkeypatch.setattr(ledger_module, "_digest", counting)
    assert len(Ledger(tmp_path).verify()) == 4
    assert long_way == []

    path = tmp_path / "ledger.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = json.dumps(json.loads(lines[2]), sort_keys=True).encode() + b"\n"  # with spaces
    path.write_bytes(b"".join(lines))
    assert len(Ledger(tmp_path).verify()) == 4
    assert long_way == [3]


# --- replaying: a score entry is read the fast way only in the form tender writes --------------


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ({"extra": 1}, "consensus.extra: Extra inputs are not permitted"),
        ({"reason": "r", "extra": 1}, "consensus.extra: Extra inputs are not permitted"),
        (
            {"kind": "score"},
            ": Input tag 'score' found using 'kind' does not match any of the expected tags: "
            "'opening', 'sealed-score', 'reveal', 'report-signed', 'consensus', 'phase', "
            "'verdict', 'letters-sent', 'withdrawn', 'definitive-sent'",
        ),
        ({"motivation": ""}, "consensus.motivation: String should have at least 1 character"),
        ({"bid": 5}, "consensus.bid: Input should be a valid string"),
        ({"sub_criterion": ["x"]}, "consensus.sub_criterion: Input should be a valid string"),
        ({"motivation": 5}, "consensus.motivation: Input should be a valid string"),
        ({"reason": 5}, "consensus.reason: Input should be a valid string"),
        (
            {"kind": "consensus", "motivation": 5},
            "consensus.motivation: Input should be a valid string",
        ),
        ({"bid": "Bid 1"}, f"consensus.bid: Value error, 'Bid 1' is not a safe id; {SLUG_RULE}"),
        (
            {"sub_criterion": "../x"},
            f"consensus.sub_criterion: Value error, '../x' is not a safe id; {SLUG_RULE}",
        ),
        ({"score": "acht"}, "consensus.score: Value error, 'acht' is not a number"),
    ],
)
def test_a_score_entry_not_in_the_form_tender_writes_is_read_by_the_events_models(
    tmp_path: Path, extra: dict[str, object], where: str
) -> None:
    """An entry with a sound hash chain but an event tender never writes: replaying it must
    name the entry, as the events' models (pydantic) do, not take it the fast way."""
    ledger = Ledger(tmp_path)
    with ledger.transaction() as append:
        append("evaluator-1", event(0))
        append("evaluator-2", {**event(1), **extra})
    entries = Ledger(tmp_path).verify()  # the chain itself is sound

    with pytest.raises(RecordDamagedError) as caught:
        unruled(entries)

    assert str(caught.value) == f"scores/ledger.jsonl:2: entry 2 is not a valid event ({where})"
    assert caught.value.line == 2


@pytest.mark.parametrize(("written", "value"), [(8, Decimal(8)), ("8e0", Decimal(8))])
def test_a_score_in_another_form_the_models_accept_is_read_by_them(
    tmp_path: Path, written: object, value: Decimal
) -> None:
    """Not the form tender writes ("8"), but one the events' models read: the same score."""
    with Ledger(tmp_path).transaction() as append:
        append("evaluator-1", {**event(0), "score": written})

    book = unruled(Ledger(tmp_path).entries())

    (kept,) = book.consensus.values()
    assert (kept.score, kept.motivation, kept.reason) == (value, "note 0", None)


def test_a_score_entry_in_the_form_tender_writes_is_replayed_to_its_score(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path, clock=fixed_clock)
    with ledger.transaction() as append:
        append("evaluator-1", event(0))
        append("evaluator-1", {**event(1), "score": "6", "reason": "Tweede lezing."})
        append("evaluator-1", {**event(2), "sub_criterion": "criterion-2", "score": "7.5"})

    book = unruled(Ledger(tmp_path).entries())

    assert book.consensus == {
        ("bid-001", "criterion-1"): Score(
            by="evaluator-1",
            bid="bid-001",
            sub_criterion="criterion-1",
            score=Decimal(6),
            motivation="note 1",
            at=MOMENT,
            seq=2,
            reason="Tweede lezing.",
        ),
        ("bid-001", "criterion-2"): Score(
            by="evaluator-1",
            bid="bid-001",
            sub_criterion="criterion-2",
            score=Decimal("7.5"),
            motivation="note 2",
            at=MOMENT,
            seq=3,
        ),
    }
