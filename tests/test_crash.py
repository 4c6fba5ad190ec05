"""Processes killed at random moments lose nothing they confirmed; writers at once lose nothing.

Scoring, consensus recording and the publishing of letters are each killed with SIGKILL at
seeded random moments, and stopped just before each of their durable steps in turn
(tests/crashes.py says how, and what is checked after each stop;
``scripts/crash_soak.py --kills 1000`` runs the long version). Children are forked, so
a kill costs milliseconds.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event

import pytest
from click.testing import CliRunner

from tender.app.load import load_evaluation
from tender.cli import cli
from tender.domain.dossier import REPORTS, Dossier
from tender.domain.errors import InputError
from tender.present.letters import provisional_letters
from tender.record.ledger import Entry, Ledger
from tender.record.recorder import Recorder
from tender.record.replay import read_book
from tests.conftest import DossierFactory
from tests.crashes import (
    FORK,
    POINTS,
    SET,
    Letters,
    Tally,
    append_every_step,
    cli_words,
    consensus_write,
    folder_digests,
    publish_every_step,
    scoring_write,
    soak_publish,
    soak_record,
)
from tests.keys import acting_recorder, keyring
from tests.letters_fixtures import locked_small_dossier
from tests.scoring_fixtures import CHAIR, committee_dossier, score_all

KILLS = 48
"""Per kind; the soak script does 1,000 in all."""


@pytest.fixture
def dossier(make_dossier: DossierFactory) -> Dossier:
    return committee_dossier(make_dossier)


def carry_on_scoring(recorder: Recorder, kill: int) -> Entry:
    """Another evaluator records a score after the kill: the next writer repairs what it left."""
    return recorder.record_score(
        "evaluator-1",
        "bid-001",
        "criterion-1",
        score=POINTS[kill % len(POINTS)],
        motivation=f"after kill {kill}",
        reason="carry on",
    )


def assert_sound(tally: Tally) -> None:
    assert not tally.failures, "\n".join(tally.failures[:5])
    assert tally.kills == KILLS
    assert tally.confirmed > tally.kills  # the children did work before they died


def test_killing_a_scoring_process_at_any_moment_loses_nothing_confirmed(
    dossier: Dossier,
) -> None:
    tally = soak_record(
        dossier,
        scoring_write("evaluator-2"),
        kills=KILLS,
        chance=random.Random(20261120),
        carry_on=carry_on_scoring,
        label="scoring",
    )
    assert_sound(tally)
    # Some kills fell inside an append: its entry durable, not yet confirmed or in the head.
    assert tally.unconfirmed_durable + tally.heads_behind > 0


def test_killing_the_chair_recording_consensus_loses_nothing_confirmed(
    dossier: Dossier,
) -> None:
    recorder = acting_recorder(dossier)
    score_all(recorder)
    recorder.change_phase(CHAIR, "consensus")
    write = consensus_write(CHAIR)
    tally = soak_record(
        dossier,
        write,
        kills=KILLS,
        chance=random.Random(20261121),
        carry_on=lambda again, kill: write(again, 10**6 + kill),
        label="consensus",
    )
    assert_sound(tally)
    assert tally.unconfirmed_durable + tally.heads_behind > 0


def test_killing_a_publish_leaves_the_old_or_the_new_set_complete(
    make_dossier: DossierFactory,
) -> None:
    root = locked_small_dossier(make_dossier)
    evaluation = load_evaluation(root)
    decisions = evaluation.decide()
    days = (date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3))
    sets = [
        provisional_letters(
            evaluation.dossier, decisions, evaluation.assessments, evaluation.standstill(day)
        )
        for day in days
    ]
    # The real 'tender letters' for a fourth date, run through once to know what it writes.
    result = CliRunner().invoke(cli, cli_words(root, "2026-12-04")[3:])
    assert result.exit_code == 0, result.output
    letters = Letters(cli_words(root, "2026-12-04"), folder_digests(root / REPORTS / SET))

    tally = soak_publish(
        root, sets, kills=KILLS, chance=random.Random(20261122), letters=letters, cli_every=24
    )

    assert_sound(tally)
    assert tally.sets_in_flight + tally.old_sets_restored + tally.staging_removed > 0


def test_a_publish_stopped_at_every_step_leaves_the_old_or_the_new_set(
    make_dossier: DossierFactory,
) -> None:
    root = locked_small_dossier(make_dossier)
    evaluation = load_evaluation(root)
    decisions = evaluation.decide()
    old, new = (
        provisional_letters(
            evaluation.dossier, decisions, evaluation.assessments, evaluation.standstill(day)
        )
        for day in (date(2026, 12, 1), date(2026, 12, 2))
    )

    steps, tally = publish_every_step(root, old, new)
    first_steps, first = publish_every_step(root, None, new)

    assert not tally.failures + first.failures, (tally.failures + first.failures)[:5]
    # Each file is written and made durable, then two renames swap the sets, and the old
    # one is removed file by file: a stop between the renames leaves it to be put back.
    assert steps >= 2 * len(new) + 2 + len(old)
    assert tally.old_sets_restored == 1
    assert tally.staging_removed >= 2 * len(new)
    assert first_steps >= 2 * len(new) + 1


def test_an_append_stopped_at_every_step_loses_nothing_and_the_next_writer_carries_on(
    dossier: Dossier,
) -> None:
    score_all(acting_recorder(dossier))

    steps, tally = append_every_step(dossier, scoring_write("evaluator-2"))

    assert not tally.failures, tally.failures[:5]
    # The line is made durable, then the head is written aside, made durable and moved in.
    assert steps >= 4
    assert tally.unconfirmed_durable >= 2  # stopped after the line, before or in the head
    # Only the last stop (the head moved, its folder not yet synced) finds the head at the end.
    assert tally.heads_behind == tally.unconfirmed_durable - 1


def _write_many(dossier: Dossier, evaluator: str, count: int, go: Event, pipe: Connection) -> None:
    recorder = acting_recorder(dossier)
    items = recorder.items_for(evaluator)
    go.wait()
    for number in range(count):
        bid, sub = items[number % len(items)]
        recorder.record_score(
            evaluator,
            bid,
            sub,
            score=POINTS[number % len(POINTS)],
            motivation=f"{evaluator} {number}",
            reason="again",
        )
    pipe.send("done")


def test_writers_at_the_same_time_lose_and_duplicate_nothing(dossier: Dossier) -> None:
    writers, count = ("evaluator-1", "evaluator-2", "evaluator-3"), 60
    go = FORK.Event()
    receive, send = FORK.Pipe(duplex=False)
    children = [
        FORK.Process(target=_write_many, args=(dossier, person, count, go, send))
        for person in writers
    ]
    for child in children:
        child.start()
    go.set()
    for child in children:
        child.join(timeout=60)
    done = [receive.recv() for _ in writers if receive.poll(1)]

    entries = Ledger(dossier.root / "scores").verify()
    assert done == ["done"] * len(writers)
    # The opening first, then every writer's entries.
    assert entries[0].event["kind"] == "opening"
    assert [entry.seq for entry in entries] == list(range(1, len(writers) * count + 2))
    opened = read_book(dossier, keyring(dossier)).opened
    for person in writers:
        assert [opened[e.seq].motivation for e in entries[1:] if e.by == person] == [
            f"{person} {number}" for number in range(count)
        ]


def _first_score_race(dossier: Dossier, name: str, go: Event, pipe: Connection) -> None:
    recorder = acting_recorder(dossier)
    won = 0
    go.wait()
    for bid, sub in recorder.items_for("evaluator-2"):
        try:
            recorder.record_score(
                "evaluator-2", bid, sub, score=Decimal(8), motivation=f"from {name}"
            )
            won += 1
        except InputError:
            pass
    pipe.send(won)


def test_two_writers_of_the_same_first_score_never_both_succeed(dossier: Dossier) -> None:
    go = FORK.Event()
    receive, send = FORK.Pipe(duplex=False)
    children = [
        FORK.Process(target=_first_score_race, args=(dossier, name, go, send))
        for name in ("terminal", "laptop")
    ]
    for child in children:
        child.start()
    go.set()
    for child in children:
        child.join(timeout=60)
    won = [receive.recv(), receive.recv()]

    entries = Ledger(dossier.root / "scores").verify()
    assert sum(won) == 6
    opening, *scores = entries
    assert opening.event["kind"] == "opening"
    assert sorted((e.event["bid"], e.event["sub_criterion"]) for e in scores) == sorted(
        acting_recorder(dossier).items_for("evaluator-2")
    )
    assert all("reason" not in e.event for e in scores)
