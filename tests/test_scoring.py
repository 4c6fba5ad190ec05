"""The scoring rules (Recorder) and what is derived from the record (disclosure)."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest

from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.domain.errors import InputError, RefusedError
from tender.record.book import Score
from tender.record.disclosure import consensus_items, history, phase_status
from tender.record.ledger import Ledger
from tender.record.recorder import Proposal, Recorder
from tender.record.replay import read_book, replay
from tests.conftest import DossierFactory
from tests.keys import acting_recorder, member_key
from tests.scoring_fixtures import CHAIR, SCALE, committee_dossier, score_all


@pytest.fixture
def dossier(make_dossier: DossierFactory) -> Dossier:
    return committee_dossier(make_dossier)


def recorded(dossier: Dossier) -> list[dict[str, object]]:
    """Every event in the record after the opening (entry 1), as stored, read afresh."""
    opening, *events = [dict(entry.event) for entry in acting_recorder(dossier).ledger.entries()]
    assert opening["kind"] == "opening"
    return events


def opened(dossier: Dossier, seq: int, reader: str) -> Score:
    """The sealed score of entry ``seq`` as the record holds it, opened with ``reader``'s key."""
    return read_book(dossier, {reader: member_key(reader)}).opened[seq]


def as_member(dossier: Dossier, member: str) -> Recorder:
    """A recorder holding one member's key, as a command run by that member has."""
    return Recorder(dossier, keys={member: member_key(member)})


def test_a_score_is_recorded_with_its_motivation_as_exact_text(dossier: Dossier) -> None:
    recorder = acting_recorder(dossier, account="anna@pc-12")

    entry = recorder.record_score(
        "evaluator-2", "bid-001", "criterion-1", score=Decimal("8.0"), motivation="  Concreet.  "
    )

    assert (entry.seq, entry.by, entry.account) == (2, "evaluator-2", "anna@pc-12")
    [event] = recorded(dossier)
    assert {name: event[name] for name in ("kind", "bid", "sub_criterion")} == {
        "kind": "sealed-score",
        "bid": "bid-001",
        "sub_criterion": "criterion-1",
    }
    boxes = event["boxes"]
    assert isinstance(boxes, dict)
    assert sorted(boxes) == ["evaluator-1", "evaluator-2"]  # the author and the chair
    for reader, box in boxes.items():
        text = member_key(reader).open(box)
        assert text is not None, reader
        assert hashlib.sha256(text).hexdigest() == event["commitment"]
        sealed = json.loads(text)
        assert (sealed["score"], sealed["motivation"]) == ("8", "Concreet.")
        assert sorted(sealed) == ["motivation", "salt", "score"]
    assert member_key("evaluator-3").open(boxes["evaluator-2"]) is None
    score = opened(dossier, 2, "evaluator-2")
    assert (score.by, score.score, score.motivation, score.reason) == (
        "evaluator-2",
        Decimal(8),
        "Concreet.",
        None,
    )
    assert recorder.open_items("evaluator-2") == (
        ("bid-001", "criterion-2"),
        ("bid-002", "criterion-1"),
        ("bid-002", "criterion-2"),
        ("bid-003", "criterion-1"),
        ("bid-003", "criterion-2"),
    )


@pytest.mark.parametrize(
    ("evaluator", "bid", "sub", "score", "motivation", "error", "message"),
    [
        (
            "evaluator-2",
            "bid-001",
            "criterion-1",
            "7",
            "m",
            InputError,
            f"7 is not a point on the scale; expected one of: {SCALE}",
        ),
        (
            "evaluator-2",
            "bid-001",
            "criterion-1",
            "8",
            " \n ",
            InputError,
            "a motivation is required: every score needs one",
        ),
        (
            "nobody",
            "bid-001",
            "criterion-1",
            "8",
            "m",
            InputError,
            "unknown evaluator 'nobody'; expected one of: evaluator-1, evaluator-2, evaluator-3",
        ),
        (
            "evaluator-2",
            "bid-999",
            "criterion-1",
            "8",
            "m",
            InputError,
            "unknown bid 'bid-999'; expected a folder name under submissions/",
        ),
        (
            "evaluator-2",
            "bid-001",
            "criterion-9",
            "8",
            "m",
            InputError,
            "unknown sub-criterion 'criterion-9'; expected one of: criterion-1, criterion-2",
        ),
        (
            "evaluator-3",
            "bid-002",
            "criterion-1",
            "8",
            "m",
            RefusedError,
            "evaluator-3 declared a conflict of interest with bid-002 and may not score it",
        ),
        (
            "evaluator-2",
            "bid-003",
            "criterion-1",
            "8",
            "m",
            RefusedError,
            "bid-003 is not scored: invalid: received after the deadline",
        ),
    ],
)
def test_a_score_that_breaks_a_rule_is_refused_and_nothing_is_recorded(
    *,
    dossier: Dossier,
    evaluator: str,
    bid: str,
    sub: str,
    score: str,
    motivation: str,
    error: type[Exception],
    message: str,
) -> None:
    recorder = acting_recorder(
        dossier, not_scored={"bid-003": "invalid: received after the deadline"}
    )

    with pytest.raises(error) as caught:
        recorder.record_score(evaluator, bid, sub, score=Decimal(score), motivation=motivation)

    assert str(caught.value) == message
    assert recorded(dossier) == []


def test_changing_a_score_needs_a_reason_and_the_same_score_is_refused(dossier: Dossier) -> None:
    recorder = acting_recorder(dossier)
    recorder.record_score("evaluator-2", "bid-001", "criterion-1", score=Decimal(8), motivation="m")

    with pytest.raises(InputError) as no_reason:
        recorder.record_score(
            "evaluator-2", "bid-001", "criterion-1", score=Decimal(6), motivation="m"
        )
    with pytest.raises(RefusedError) as same:
        recorder.record_score(
            "evaluator-2", "bid-001", "criterion-1", score=Decimal(8), motivation="m"
        )
    recorder.record_score(
        "evaluator-2",
        "bid-001",
        "criterion-1",
        score=Decimal(6),
        motivation="m",
        reason="Page 2 was misread.",
    )

    assert str(no_reason.value) == (
        "a reason is required: changing the recorded 8 (entry 2) needs one"
    )
    assert str(same.value) == "bid-001 / criterion-1 already has this score and motivation"
    assert [event["kind"] for event in recorded(dossier)] == ["sealed-score", "sealed-score"]
    changed = opened(dossier, 3, "evaluator-2")
    assert (changed.score, changed.motivation, changed.reason) == (
        Decimal(6),
        "m",
        "Page 2 was misread.",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", "8"),
        ("8.0", "8"),
        (" 10 ", "10"),
        ("7,5", f"7.5 is not a point on the scale; expected one of: {SCALE}"),
        ("acht", f"'acht' is not a number; expected one of: {SCALE}"),
        ("", f"a score is required; expected one of: {SCALE}"),
        ("NaN", f"NaN is not a point on the scale; expected one of: {SCALE}"),
    ],
)
def test_typed_scores_are_read_as_points_on_the_scale(
    dossier: Dossier, text: str, expected: str
) -> None:
    recorder = acting_recorder(dossier)
    try:
        result = str(recorder.parse_score(text))
    except InputError as error:
        result = str(error)
    assert result == expected


def test_a_batch_is_recorded_whole_or_not_at_all(dossier: Dossier) -> None:
    recorder = acting_recorder(dossier)
    recorder.record_score("evaluator-2", "bid-001", "criterion-1", score=Decimal(8), motivation="m")
    good = Proposal(bid="bid-001", sub_criterion="criterion-2", score=Decimal(6), motivation="n")
    same = Proposal(bid="bid-001", sub_criterion="criterion-1", score=Decimal(8), motivation="m")

    with pytest.raises(InputError) as off_scale:
        recorder.record_scores(
            "evaluator-2",
            [
                good,
                Proposal(
                    bid="bid-002", sub_criterion="criterion-1", score=Decimal(5), motivation="o"
                ),
            ],
        )
    with pytest.raises(InputError) as twice:
        recorder.record_scores("evaluator-2", [good, good])
    entries = recorder.record_scores("evaluator-2", [same, good])

    assert str(off_scale.value) == f"5 is not a point on the scale; expected one of: {SCALE}"
    assert str(twice.value) == "bid-001 / criterion-2 is given more than once"
    assert [entry.seq for entry in entries] == [3]
    assert [event["sub_criterion"] for event in recorded(dossier)] == ["criterion-1", "criterion-2"]


def test_a_recorder_sees_what_another_recorded_before_it_decides(dossier: Dossier) -> None:
    mine, other = acting_recorder(dossier), acting_recorder(dossier)
    other.record_score("evaluator-2", "bid-001", "criterion-1", score=Decimal(8), motivation="m")

    with pytest.raises(InputError) as caught:
        mine.record_score("evaluator-2", "bid-001", "criterion-1", score=Decimal(6), motivation="x")

    assert str(caught.value) == (
        "a reason is required: changing the recorded 8 (entry 2) needs one"
    )


def test_the_phases_move_only_forward_by_the_chair_and_freeze_scores(dossier: Dossier) -> None:
    recorder = acting_recorder(dossier)
    recorder.record_score("evaluator-2", "bid-001", "criterion-1", score=Decimal(8), motivation="m")

    with pytest.raises(RefusedError) as not_chair:
        recorder.change_phase("evaluator-2", "consensus")
    with pytest.raises(RefusedError) as missing:
        recorder.change_phase(CHAIR, "consensus")
    with pytest.raises(RefusedError) as early_consensus:
        recorder.record_consensus(
            CHAIR, "bid-001", "criterion-1", score=Decimal(8), motivation="agreed"
        )
    recorder.change_phase(CHAIR, "consensus", force_reason="  evaluator-3 is ill  ")
    with pytest.raises(RefusedError) as frozen:
        recorder.record_score(
            "evaluator-2", "bid-001", "criterion-2", score=Decimal(8), motivation="m"
        )
    recorder.record_consensus(CHAIR, "bid-001", "criterion-1", score=Decimal(8), motivation="ok")

    assert str(not_chair.value) == "only the chair (evaluator-1) may do this"
    assert str(missing.value) == (
        "15 individual scores are still missing; give --force with a reason to move to the "
        "consensus phase anyway"
    )
    assert str(early_consensus.value) == (
        "the evaluation is in the individual phase; consensus scores are recorded in the "
        "consensus phase"
    )
    assert str(frozen.value) == (
        "the evaluation is in the consensus phase; individual scores can no longer change"
    )
    # the chair's move first reveals the sealed scores, then records the phase
    reveal = recorded(dossier)[1]
    assert reveal["kind"] == "reveal"
    assert isinstance(reveal["openings"], dict)
    assert list(reveal["openings"]) == ["2"]
    assert recorded(dossier)[2] == {
        "kind": "phase",
        "phase": "consensus",
        "reason": "evaluator-3 is ill",
        "missing": 15,
        "pending": 0,
    }
    with pytest.raises(RefusedError) as lock_missing:
        recorder.change_phase(CHAIR, "locked")
    assert str(lock_missing.value) == (
        "5 consensus scores are still missing; give --force with a reason to move to the "
        "locked phase anyway"
    )


def test_history_gives_old_and_new_values_and_only_the_viewers_own_scores(
    dossier: Dossier,
) -> None:
    recorder = acting_recorder(dossier)
    recorder.record_score("evaluator-2", "bid-001", "criterion-1", score=Decimal(6), motivation="a")
    recorder.record_score("evaluator-3", "bid-001", "criterion-1", score=Decimal(8), motivation="b")
    recorder.record_score(
        "evaluator-2", "bid-001", "criterion-1", score=Decimal(8), motivation="c", reason="r"
    )
    recorder.record_score("evaluator-2", "bid-002", "criterion-1", score=Decimal(4), motivation="d")

    mine = history(as_member(dossier, "evaluator-2"), "bid-001", viewer="evaluator-2")
    with pytest.raises(RefusedError) as anonymous:
        history(recorder, "bid-001", viewer=None)
    # the chair prepares the consensus meeting: their key opens every sealed score
    chairs = history(as_member(dossier, CHAIR), "bid-001", viewer=CHAIR)
    # a recorder that holds others' keys still shows the viewer only their own
    not_theirs = history(recorder, "bid-001", viewer="evaluator-3")

    assert [(c.seq, c.by, c.old, c.new, c.motivation, c.reason) for c in mine] == [
        (2, "evaluator-2", None, "6", "a", None),
        (4, "evaluator-2", "6", "8", "c", "r"),
    ]
    assert [(c.seq, c.by, c.old, c.new) for c in chairs] == [
        (2, "evaluator-2", None, "6"),
        (3, "evaluator-3", None, "8"),
        (4, "evaluator-2", "6", "8"),
    ]
    assert [(c.seq, c.by, c.new, c.motivation) for c in not_theirs] == [
        (3, "evaluator-3", "8", "b")
    ]
    assert str(anonymous.value) == (
        "during the individual phase an evaluator sees only their own scores; "
        "give --evaluator ID to see yours"
    )
    score_all(recorder, value=Decimal(6), reason="second look")
    recorder.change_phase(CHAIR, "consensus")
    everyone = history(recorder, "bid-001", "criterion-1", viewer=None)
    assert [(c.by, c.old, c.new) for c in everyone] == [
        ("evaluator-2", None, "6"),
        ("evaluator-3", None, "8"),
        ("evaluator-2", "6", "8"),
        ("evaluator-1", None, "6"),
        ("evaluator-2", "8", "6"),
        ("evaluator-3", "8", "6"),
    ]
    # revealed to the committee: a member without any reader's key sees them all too
    no_key = history(Recorder(dossier), "bid-001", "criterion-1", viewer=None)
    assert [(c.by, c.old, c.new) for c in no_key] == [(c.by, c.old, c.new) for c in everyone]


def test_consensus_items_come_widest_spread_first_with_who_is_missing(dossier: Dossier) -> None:
    recorder = acting_recorder(dossier)
    scores = {
        ("evaluator-1", "bid-001", "criterion-1"): 8,
        ("evaluator-2", "bid-001", "criterion-1"): 8,
        ("evaluator-1", "bid-002", "criterion-2"): 2,
        ("evaluator-2", "bid-002", "criterion-2"): 10,
        ("evaluator-1", "bid-003", "criterion-1"): 4,
        ("evaluator-3", "bid-003", "criterion-1"): 8,
    }
    for (person, bid, sub), value in scores.items():
        recorder.record_score(person, bid, sub, score=Decimal(value), motivation="m")

    with pytest.raises(RefusedError):
        consensus_items(recorder)
    recorder.change_phase(CHAIR, "consensus", force_reason="test")
    items = consensus_items(recorder)

    assert [(i.bid, i.sub_criterion, i.spread) for i in items[:3]] == [
        ("bid-002", "criterion-2", Decimal(8)),
        ("bid-003", "criterion-1", Decimal(4)),
        ("bid-001", "criterion-1", Decimal(0)),
    ]
    assert items[0].missing == ()  # evaluator-3 has a conflict with bid-002
    assert items[1].missing == ("evaluator-2",)
    assert len(items) == 6
    status = phase_status(recorder)
    assert [(p.evaluator, p.done, p.total) for p in status.evaluators] == [
        ("evaluator-1", 3, 6),
        ("evaluator-2", 2, 6),
        ("evaluator-3", 1, 4),
    ]
    assert (status.phase, status.consensus_done, status.consensus_total) == ("consensus", 0, 6)


def test_a_replayed_book_holds_the_last_entry_that_fixes_its_state(dossier: Dossier) -> None:
    ledger = Ledger(dossier.root / SCORES_FOLDER)
    opened = replay(dossier, ledger.stream(), ledger.display)
    assert opened.last == ledger.entries()[0]
    assert (opened.last.seq, opened.last.event["kind"], opened.applied) == (1, "opening", 1)
    recorder = acting_recorder(dossier)
    recorder.record_score(
        "evaluator-2", "bid-001", "criterion-1", score=Decimal(8), motivation="Concreet."
    )
    second = recorder.record_score(
        "evaluator-2", "bid-002", "criterion-1", score=Decimal(6), motivation="Algemeen."
    )
    book = replay(dossier, ledger.stream(), ledger.display)
    assert book.last == second == ledger.entries()[-1]
    assert (book.last.seq, book.applied) == (3, 3)
