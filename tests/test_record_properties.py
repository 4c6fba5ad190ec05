"""Whatever people ask the Recorder, the record stays sound and says what was allowed.

Property-based (hypothesis): arbitrary sequences of calls on the Recorder of the small
committee dossier, its bids opened (scores, batches, consensus scores, phase moves, verdicts,
letters sent, withdrawn and definitive, and the clock moving on by days), valid and invalid
alike: unknown people and bids, scores off the scale, empty or hidden-character motivations,
the wrong phase, the wrong person, letters dated after today or before the last entry. After
every call:

- a refused call (any :class:`TenderError`) changed nothing: the record's bytes and head
  are as they were; an accepted one added exactly the entries it returned;
- the record verifies from its first line, and replaying it under the procedure's rules
  gives the state the Recorder holds, as does a fresh Recorder reading it;
- the state keeps the rules: every score is a point on the scale with a motivation;
- the replayed state equals that of a small model kept by the test itself (:class:`Model`),
  updated from each accepted call alone, which also checks that the call was one the rules
  allow (the right person, phase, bid, sub-criterion and requirement, and a letter's day).

Any other exception fails the test.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.domain.errors import TenderError
from tender.domain.events import Outcome
from tender.io.loader import load_dossier
from tender.io.scaffold import create_dossier
from tender.record.book import ScoreBook
from tender.record.ledger import Ledger
from tender.record.recorder import REVEAL_BATCH, Proposal, Recorder
from tender.record.replay import replay
from tests.conftest import TODAY, SetClock, write_tree
from tests.keys import acting_recorder, keyring
from tests.scoring_fixtures import BIDS, CHAIR, EVALUATORS, SUBS, committee_files, open_bids

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
WAITS = (1, 14, 14, 50)
"""Days the clock moves on: from TODAY (2026-12-01) to 12-15 and on, past the later DAYS."""
DEADLINE_DAY = date(2026, 11, 10)
OPENED_DAY = TODAY.date()
"""The day of the opening and of TODAY (12:00 in Amsterdam, so the same day there)."""
OUTCOMES: dict[str, Outcome] = {
    "bid-001": "provisional-award",
    "bid-002": "below-threshold",
    "bid-003": "invalid",
}

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
WAIT = st.tuples(st.just("wait"), st.just(CHAIR), st.sampled_from(WAITS))
# Mostly the days a letter can have: today at first (2026-12-01), or after a wait of 14 days.
LETTER_DAY = st.sampled_from((*DAYS, OPENED_DAY, date(2026, 12, 15)))
LETTERS = st.one_of(
    WAIT,
    st.tuples(st.just("send"), st.just(CHAIR), LETTER_DAY),
    st.tuples(st.just("withdraw"), st.just(CHAIR), GOOD_TEXT),
    st.tuples(st.just("definitive"), st.just(CHAIR), LETTER_DAY),
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
    WAIT,
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


_OPENED: dict[Path, Files] = {}
"""Per dossier, its record holding only the opening: opened once, put back for each example."""


def restore_opening(dossier: Dossier, folder: Path) -> None:
    """The record of ``dossier`` as it was just after the chair opened the bids (at TODAY)."""
    if dossier.root not in _OPENED:
        shutil.rmtree(folder, ignore_errors=True)
        open_bids(dossier.root)
        _OPENED[dossier.root] = Files.of(folder)
    opened = _OPENED[dossier.root]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    assert opened.ledger is not None and opened.head is not None
    (folder / "ledger.jsonl").write_bytes(opened.ledger)
    (folder / "ledger.head").write_bytes(opened.head)


def call(recorder: Recorder, clock: SetClock, step: tuple[Any, ...]) -> int:
    """Make one call; return how many entries it says it recorded."""
    kind, by, *rest = step
    if kind == "wait":
        clock.advance(days=rest[0])
        return 0
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
        before = len(recorder.ledger.entries())
        recorder.change_phase(by, rest[0], force_reason=rest[1])
        return len(recorder.ledger.entries()) - before
    if kind == "verdict":
        bid_id, requirement, passed, words = rest
        recorder.record_verdict(by, bid_id, requirement, passed=passed, reason=words)
        return 1
    if kind == "send":
        files = {"bid-001.pdf": "0" * 64}
        recorder.record_letters_sent(
            by,
            sent=rest[0],
            standstill_end=rest[0],
            digest="d" * 64,
            files=files,
            outcomes=OUTCOMES,
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


Current = tuple[str, str, str | None]
"""A score as the model keeps it: the scale point as text, the motivation, the reason."""


def _point(value: Decimal) -> str:
    """The scale point equal to ``value``, as the record writes it ("8.0" is "8")."""
    (point,) = [text for text in POINTS if Decimal(text) == value]
    return point


def _new_reason(previous: Current | None, why: str | None) -> str | None:
    """The reason kept with a score: optional for a first score, required for a change."""
    if previous is None:
        return why.strip() if why and why.strip() else None
    assert why is not None and why.strip(), "a change was accepted without a reason"
    return why.strip()


@dataclass
class Model:
    """What the record must say after the accepted calls, kept independently of tender."""

    phase: str = "individual"
    individual: dict[tuple[str, str, str], Current] = field(default_factory=dict)
    sealed: int = 0
    """Individual score entries written (sealed) and not yet revealed."""
    consensus: dict[tuple[str, str], Current] = field(default_factory=dict)
    verdicts: dict[tuple[str, str], tuple[str, bool, str]] = field(default_factory=dict)
    letters: list[list[Any]] = field(default_factory=list)
    """Per version sent: [version, sent, withdrawn reason or None, definitive sent or None]."""
    today: date = OPENED_DAY
    """The clock's day (in Amsterdam)."""
    last_day: date = OPENED_DAY
    """The day of the record's last entry: the opening's, at first."""

    def in_force(self) -> list[Any] | None:
        last = self.letters[-1] if self.letters else None
        return last if last is not None and last[2] is None else None

    def score(self, by: str, proposal: Proposal) -> int:
        """One accepted individual score; how many entries it adds (0 when unchanged)."""
        assert self.phase == "individual", "a score was accepted outside the individual phase"
        assert by in EVALUATORS and proposal.bid in BIDS and proposal.sub_criterion in SUBS
        assert (by, proposal.bid) != ("evaluator-3", "bid-002"), "a conflicted score"
        key = (by, proposal.bid, proposal.sub_criterion)
        previous = self.individual.get(key)
        point, words = _point(proposal.score), proposal.motivation.strip()
        if previous is not None and previous[:2] == (point, words):
            return 0
        self.individual[key] = (point, words, _new_reason(previous, proposal.reason))
        self.sealed += 1
        return 1

    def apply(self, step: tuple[Any, ...]) -> int:
        """Take in one accepted call; return how many entries it must have added."""
        if step[0] == "wait":
            self.today += timedelta(days=step[2])
            return 0
        added = self._apply(step)
        if added:
            self.last_day = self.today
        return added

    def letter_day(self, sent: date) -> None:
        """A letter is dated on a day that was: not after today, not before the last entry."""
        assert self.last_day <= sent <= self.today, f"letters dated {sent} on {self.today}"

    def _apply(self, step: tuple[Any, ...]) -> int:
        kind, by, *rest = step
        if kind == "score":
            added = self.score(
                by,
                Proposal(
                    bid=rest[0],
                    sub_criterion=rest[1],
                    score=rest[2],
                    motivation=rest[3],
                    reason=rest[4],
                ),
            )
            assert added == 1, "an unchanged score was accepted"
            return 1
        if kind == "scores":
            return sum(self.score(by, proposal) for proposal in rest[0])
        if kind == "verdict":
            assert self.phase in ("individual", "consensus"), "a verdict after the lock"
            assert self.in_force() is None, "a verdict while letters were in force"
            assert by in EVALUATORS and rest[0] in BIDS and rest[1] == "referenties"
            assert (by, rest[0]) != ("evaluator-3", "bid-002"), "a conflicted verdict"
            self.verdicts[(rest[0], rest[1])] = (by, rest[2], rest[3].strip())
            return 1
        assert by == CHAIR, f"{kind} by {by}, who does not chair"
        if kind == "consensus":
            assert self.phase == "consensus" and rest[0] in BIDS and rest[1] in SUBS
            key = (rest[0], rest[1])
            previous = self.consensus.get(key)
            entry = (_point(rest[2]), rest[3].strip())
            assert previous is None or previous[:2] != entry, "an unchanged consensus score"
            self.consensus[key] = (*entry, _new_reason(previous, rest[4]))
        elif kind == "phase":
            assert self.in_force() is None, "the phase moved while letters were in force"
            allowed = {"consensus": ("individual", "locked"), "locked": ("consensus",)}
            assert self.phase in allowed[rest[0]], f"{self.phase} to {rest[0]}"
            # Moving to consensus, the chair first reveals the sealed scores, 500 an entry.
            reveals = -(-self.sealed // REVEAL_BATCH) if self.phase == "individual" else 0
            self.phase, self.sealed = rest[0], 0
            return 1 + reveals
        elif kind == "send":
            assert self.phase == "locked" and self.in_force() is None
            assert rest[0] >= DEADLINE_DAY
            self.letter_day(rest[0])
            self.letters.append([len(self.letters) + 1, rest[0], None, None])
        elif kind == "withdraw":
            current = self.in_force()
            assert current is not None and current[3] is None
            current[2] = rest[0].strip()
            self.phase = "consensus"
        else:
            current = self.in_force()
            assert current is not None and current[3] is None and rest[0] > current[1]
            assert self.today > current[1], "the definitive award inside the standstill period"
            self.letter_day(rest[0])
            current[3] = rest[0]
        return 1

    def assert_holds(self, book: ScoreBook) -> None:
        """The replayed book says exactly what the model does."""
        assert book.phase == self.phase
        assert {
            key: (str(kept.score), kept.motivation, kept.reason)
            for key, kept in book.individual.items()
        } == self.individual
        assert {
            key: (str(kept.score), kept.motivation, kept.reason)
            for key, kept in book.consensus.items()
        } == self.consensus
        assert {
            key: (verdict.by, verdict.passed, verdict.reason)
            for key, verdict in book.verdicts.items()
        } == self.verdicts
        assert [
            [
                dispatch.version,
                dispatch.sent,
                dispatch.withdrawn,
                None if dispatch.definitive is None else dispatch.definitive.sent,
            ]
            for dispatch in book.dispatches
        ] == self.letters


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
    st.lists(st.one_of(LETTERS, LETTERS, LETTERS, CALLS), min_size=1, max_size=12),
).map(lambda parts: [*parts[0], parts[1], *parts[2], parts[3], *parts[4]])


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    # The clock is reset at the start of every example.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=st.one_of(COURSE, st.lists(CALLS, min_size=5, max_size=30)))
@example(  # the letters' whole course, whatever is drawn: sent, withdrawn, sent again, final
    steps=[
        ("score", "evaluator-2", "bid-001", "criterion-1", Decimal(8), TEXTS[0], None),
        ("verdict", "evaluator-2", "bid-001", "referenties", True, TEXTS[1]),
        ("phase", CHAIR, "consensus", "Alles besproken."),
        ("consensus", CHAIR, "bid-001", "criterion-1", Decimal(8), TEXTS[2], None),
        ("phase", CHAIR, "locked", "Alles besproken."),
        ("send", CHAIR, date(2026, 12, 1)),
        ("verdict", "evaluator-2", "bid-002", "referenties", True, TEXTS[1]),
        ("definitive", CHAIR, date(2026, 12, 1)),
        ("withdraw", CHAIR, TEXTS[3]),
        ("phase", CHAIR, "locked", "Alles besproken."),
        ("wait", CHAIR, 14),
        ("send", CHAIR, date(2026, 12, 1)),
        ("send", CHAIR, date(2026, 12, 15)),
        ("definitive", CHAIR, date(2026, 12, 15)),
        ("wait", CHAIR, 1),
        ("definitive", CHAIR, date(2026, 12, 16)),
        ("withdraw", CHAIR, TEXTS[4]),
    ]
)
def test_any_sequence_of_calls_keeps_the_record_sound(
    dossier: Dossier, clock: SetClock, steps: list[tuple[Any, ...]]
) -> None:
    clock.set(TODAY)
    folder = dossier.root / SCORES_FOLDER
    restore_opening(dossier, folder)
    recorder = acting_recorder(dossier)
    points = set(dossier.award.scale_values)
    model = Model()
    entries = 1
    assert [entry.event["kind"] for entry in Ledger(folder).entries()] == ["opening"]
    for step in steps:
        before = Files.of(folder)
        try:
            added = call(recorder, clock, step)
            event(f"{step[0]} recorded")
        except TenderError:
            assert Files.of(folder) == before, step  # a refusal changes nothing
            added = 0
            event(f"{step[0]} refused")
        else:
            assert model.apply(step) == added, step
        recorded = Ledger(folder).verify()
        assert len(recorded) == entries + added, step
        entries = len(recorded)
        replayed = replay(dossier, recorded, "scores/ledger.jsonl", keyring(dossier))
        model.assert_holds(replayed)
        assert_same_state(replayed, recorder.book)
        assert_same_state(acting_recorder(dossier).book, recorder.book)
        for kept in (*recorder.book.individual.values(), *recorder.book.consensus.values()):
            assert kept.score in points and str(kept.score) in POINTS  # the point itself
            assert kept.motivation == kept.motivation.strip() != ""
            assert "\x07" not in kept.motivation and "\u202e" not in kept.motivation
