"""Whatever people ask the Recorder, the record stays sound and says what was allowed.

Property-based (hypothesis): arbitrary sequences of calls on the Recorder of the small
committee dossier (scores, batches, consensus scores, phase moves, verdicts, letters sent,
withdrawn and definitive), valid and invalid alike: unknown people and bids, scores off the
scale, empty or hidden-character motivations, the wrong phase, the wrong person. After
every call:

- a refused call (any :class:`TenderError`) changed nothing: the record's bytes and head
  are as they were; an accepted one added exactly the entries it returned;
- the record verifies from its first line, and replaying it gives the state the Recorder
  holds, as does a fresh Recorder reading it;
- the state keeps the rules: every score is a point on the scale with a motivation.

Any other exception fails the test.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.domain.errors import TenderError
from tender.io.loader import load_dossier
from tender.io.scaffold import create_dossier
from tender.record.book import ScoreBook
from tender.record.ledger import Ledger
from tender.record.recorder import Proposal, Recorder
from tests.conftest import write_tree
from tests.scoring_fixtures import BIDS, CHAIR, EVALUATORS, SUBS, committee_files

# Valid values come several times over, so that most sequences get far enough to matter.
PEOPLE = (*EVALUATORS, *EVALUATORS, CHAIR, CHAIR, "nobody", "Evaluator-1")
ITEMS_BIDS = (*BIDS, *BIDS, *BIDS, "bid-999", "../bid-001")
ITEMS_SUBS = (*SUBS, *SUBS, *SUBS, "criterion-9")
POINTS = ("0", "2", "4", "6", "8", "10")
SCORES = tuple(Decimal(value) for value in (*POINTS, *POINTS, "8.0", "10.00", "7", "11", "-2"))
TEXTS = (
    *(f"Concreet plan, punt {number}." for number in range(6)),
    "",
    "   ",
    "goed\x07",
    "goed \u202e",
    "{{ 7*7 }}",
)
REASONS = ("Herzien na overleg.", "Herzien na overleg.", "Tweede lezing.", None, "", "r\x00")
DAYS = (date(2026, 11, 1), date(2026, 12, 1), date(2026, 12, 15), date(2027, 1, 20))

person = st.sampled_from(PEOPLE)
chair = st.sampled_from((CHAIR, CHAIR, CHAIR, "evaluator-2", "nobody"))
bid = st.sampled_from(ITEMS_BIDS)
sub = st.sampled_from(ITEMS_SUBS)
score = st.sampled_from(SCORES)
text = st.sampled_from(TEXTS)
reason = st.sampled_from(REASONS)
proposal = st.builds(
    Proposal, bid=bid, sub_criterion=sub, score=score, motivation=text, reason=reason
)

SCORE = st.tuples(st.just("score"), person, bid, sub, score, text, reason)
CONSENSUS = st.tuples(st.just("consensus"), chair, bid, sub, score, text, reason)
# The same calls with values that are all acceptable (whether the call is, depends on the record).
GOOD_TEXT = st.sampled_from(TEXTS[:6])
GOOD_SCORE = st.sampled_from(SCORES[:6])
GOOD_REASON = st.sampled_from(REASONS[:3])
GOOD = (st.sampled_from(BIDS), st.sampled_from(SUBS), GOOD_SCORE, GOOD_TEXT, GOOD_REASON)
VALID_SCORE = st.tuples(st.just("score"), st.sampled_from(EVALUATORS), *GOOD)
VALID_CONSENSUS = st.tuples(st.just("consensus"), st.just(CHAIR), *GOOD)
LETTERS = st.one_of(
    st.tuples(st.just("send"), st.just(CHAIR), st.sampled_from(DAYS)),
    st.tuples(st.just("withdraw"), st.just(CHAIR), GOOD_TEXT),
    st.tuples(st.just("definitive"), st.just(CHAIR), st.sampled_from(DAYS)),
)
PHASE = st.tuples(
    st.just("phase"),
    st.sampled_from((CHAIR, CHAIR, CHAIR, "evaluator-2")),
    st.sampled_from(["consensus", "locked"]),
    st.sampled_from([None, "", "Alles besproken.", "Alles besproken."]),
)
CALLS = st.one_of(
    SCORE,
    st.tuples(st.just("scores"), person, st.lists(proposal, max_size=4)),
    CONSENSUS,
    PHASE,
    st.tuples(
        st.just("verdict"),
        person,
        bid,
        st.sampled_from(["referenties", "omzet", "onbekend"]),
        st.booleans(),
        text,
    ),
    st.tuples(st.just("send"), chair, st.sampled_from(DAYS)),
    st.tuples(st.just("withdraw"), chair, text),
    st.tuples(st.just("definitive"), chair, st.sampled_from(DAYS)),
)


@dataclass(frozen=True)
class Files:
    """The record's files as they are: what a refused call must leave alone."""

    ledger: bytes | None
    head: bytes | None

    @classmethod
    def of(cls, folder: Path) -> Files:
        def read(name: str) -> bytes | None:
            path = folder / name
            return path.read_bytes() if path.exists() else None

        return cls(read("ledger.jsonl"), read("ledger.head"))


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Dossier:
    root = tmp_path_factory.mktemp("record-properties") / "dossier"
    create_dossier(root)
    write_tree(root, committee_files())
    return load_dossier(root)


def call(recorder: Recorder, step: tuple[Any, ...]) -> int:
    """Make one call; return how many entries it says it recorded."""
    kind, by, *rest = step
    if kind == "score":
        bid_id, sub_id, value, words, why = rest
        recorder.record_score(by, bid_id, sub_id, score=value, motivation=words, reason=why)
        return 1
    if kind == "scores":
        return len(recorder.record_scores(by, rest[0]))
    if kind == "consensus":
        bid_id, sub_id, value, words, why = rest
        recorder.record_consensus(by, bid_id, sub_id, score=value, motivation=words, reason=why)
        return 1
    if kind == "phase":
        recorder.change_phase(by, rest[0], force_reason=rest[1])
        return 1
    if kind == "verdict":
        bid_id, requirement, passed, words = rest
        recorder.record_verdict(by, bid_id, requirement, passed=passed, reason=words)
        return 1
    if kind == "send":
        files = {"bid-001.pdf": "0" * 64}
        recorder.record_letters_sent(
            by, sent=rest[0], standstill_end=rest[0], digest="d" * 64, files=files
        )
        return 1
    if kind == "withdraw":
        recorder.withdraw(by, rest[0])
        return 1
    recorder.record_definitive(by, sent=rest[0], digest="e" * 64, files={})
    return 1


def assert_same_state(found: ScoreBook, expected: ScoreBook) -> None:
    assert found.phase == expected.phase
    assert found.individual == expected.individual
    assert found.consensus == expected.consensus
    assert found.verdicts == expected.verdicts
    assert found.dispatches == expected.dispatches
    assert found.applied == expected.applied


def moving_on(target: str) -> st.SearchStrategy[tuple[Any, ...]]:
    """The chair moving to ``target``, mostly with the reason missing scores need."""
    return st.tuples(
        st.just("phase"),
        st.sampled_from((CHAIR, CHAIR, CHAIR, "evaluator-2")),
        st.just(target),
        st.sampled_from([None, "Alles besproken.", "Alles besproken.", "Alles besproken."]),
    )


# An evaluation's course, each stretch drawn mostly from the calls that belong to it (and
# any call in between): scoring, the move to consensus, consensus, the lock, letters.
COURSE = st.tuples(
    st.lists(st.one_of(VALID_SCORE, SCORE, CALLS), min_size=2, max_size=12),
    moving_on("consensus"),
    st.lists(st.one_of(VALID_CONSENSUS, CONSENSUS, CALLS), min_size=1, max_size=10),
    moving_on("locked"),
    st.lists(st.one_of(LETTERS, CALLS), min_size=1, max_size=10),
).map(lambda parts: [*parts[0], parts[1], *parts[2], parts[3], *parts[4]])


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(steps=st.one_of(COURSE, st.lists(CALLS, min_size=5, max_size=30)))
def test_any_sequence_of_calls_keeps_the_record_sound(
    dossier: Dossier, steps: list[tuple[Any, ...]]
) -> None:
    folder = dossier.root / SCORES_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    recorder = Recorder(dossier)
    points = set(dossier.award.scale_values)
    entries = 0
    for step in steps:
        before = Files.of(folder)
        try:
            added = call(recorder, step)
            event(f"{step[0]} recorded")
        except TenderError:
            assert Files.of(folder) == before, step  # a refusal changes nothing
            added = 0
            event(f"{step[0]} refused")
        recorded = Ledger(folder).verify()
        assert len(recorded) == entries + added, step
        entries = len(recorded)
        assert_same_state(ScoreBook.replay(recorded), recorder.book)
        assert_same_state(Recorder(dossier).book, recorder.book)
        for kept in (*recorder.book.individual.values(), *recorder.book.consensus.values()):
            assert kept.score in points and str(kept.score) in POINTS  # the point itself
            assert kept.motivation == kept.motivation.strip() != ""
            assert "\x07" not in kept.motivation and "\u202e" not in kept.motivation
