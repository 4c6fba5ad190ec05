"""A scoring process killed at random moments loses nothing it confirmed; writers at once lose nothing.

Child processes are forked (cheap: hundreds of kills take seconds). A child
records scores in a loop and reports each confirmed entry through a pipe; the
parent kills it with SIGKILL at a seeded random moment and then checks the
record from its first line.
"""

from __future__ import annotations

import itertools
import multiprocessing
import random
import shutil
import time
from decimal import Decimal
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from typing import cast

import pytest

from tender.dossier import Dossier
from tender.errors import InputError
from tender.ledger import Ledger
from tender.scoring import Recorder
from tests.conftest import DossierFactory
from tests.scoring_fixtures import committee_dossier

FORK = multiprocessing.get_context("fork")
POINTS = tuple(Decimal(point) for point in (0, 2, 4, 6, 8, 10))
ROUNDS, KILLS_PER_ROUND = 14, 16  # 224 kills, each record kept small so checking stays quick
Confirmed = tuple[int, str, str, str, str, str]


@pytest.fixture
def dossier(make_dossier: DossierFactory) -> Dossier:
    return committee_dossier(make_dossier)


def _score_forever(dossier: Dossier, evaluator: str, start: int, pipe: Connection) -> None:
    """Record scores as fast as possible; report each one once record_score has returned."""
    try:
        recorder = Recorder(dossier)  # its own: a lock may not be inherited across fork
        items = recorder.items_for(evaluator)
        pipe.send(("ready",))
        for number in itertools.count(start):
            bid, sub = items[number % len(items)]
            score, motivation = POINTS[number % len(POINTS)], f"motivation {number}"
            entry = recorder.record_score(
                evaluator, bid, sub, score=score, motivation=motivation, reason=f"pass {number}"
            )
            pipe.send((entry.seq, evaluator, bid, sub, str(score), motivation))
    except Exception as error:  # reported, so that the test fails with it
        pipe.send(("error", f"{type(error).__name__}: {error}"))


def _received(pipe: Connection) -> list[Confirmed]:
    """What the child reported before it died, up to the end of the pipe."""
    found: list[Confirmed] = []
    while True:
        try:
            message = pipe.recv()
        except EOFError:
            return found
        found.append(_confirmed(message))


def _confirmed(message: tuple[object, ...]) -> Confirmed:
    assert message[0] != "error", message
    return cast(Confirmed, message)


def _check(ledger_folder: Dossier, confirmed: list[Confirmed]) -> int:
    """Every confirmed score is in the verified record, exactly; return the entry count."""
    entries = Ledger(ledger_folder.root / "scores").verify()
    for seq, evaluator, bid, sub, score, motivation in confirmed:
        entry = entries[seq - 1]
        assert (entry.seq, entry.by) == (seq, evaluator)
        assert entry.event == {
            "kind": "score",
            "bid": bid,
            "sub_criterion": sub,
            "score": score,
            "motivation": motivation,
            "reason": f"pass {motivation.split()[-1]}",
        }
    return len(entries)


def test_killing_a_scoring_process_at_any_moment_loses_nothing_confirmed(
    dossier: Dossier,
) -> None:
    chance = random.Random(20261120)
    kills = confirmed_total = 0
    for _ in range(ROUNDS):
        shutil.rmtree(dossier.root / "scores", ignore_errors=True)
        recorder = Recorder(dossier)
        recorded = 0
        for kill in range(KILLS_PER_ROUND):
            receive, send = FORK.Pipe(duplex=False)
            child = FORK.Process(
                target=_score_forever, args=(dossier, "evaluator-2", kill * 1000, send)
            )
            child.start()
            assert receive.recv() == ("ready",)
            # After a random number of confirmed scores, the kill lands at a random moment
            # of the next append (one takes about a millisecond), whatever the machine's load.
            confirmed = [_confirmed(receive.recv()) for _ in range(chance.randrange(6))]
            time.sleep(chance.uniform(0.0, 0.0015))
            child.kill()
            child.join()
            send.close()
            confirmed += _received(receive)
            receive.close()
            kills += 1
            confirmed_total += len(confirmed)

            count = _check(dossier, confirmed)
            assert [c[0] for c in confirmed] == list(
                range(recorded + 1, recorded + 1 + len(confirmed))
            )
            # At most one entry was durable but not yet confirmed when the kill came.
            assert count - recorded - len(confirmed) in (0, 1)
            # A new writer carries on: it sets a torn tail aside and repairs a lagging head.
            recorder.record_score(
                "evaluator-1",
                "bid-001",
                "criterion-1",
                score=POINTS[kill % len(POINTS)],
                motivation=f"after kill {kill}",
                reason="carry on",
            )
            recorded = _check(dossier, [])
            assert recorded == count + 1
    assert kills >= 200
    assert confirmed_total > kills  # the children did work before they died


def _write_many(dossier: Dossier, evaluator: str, count: int, go: Event, pipe: Connection) -> None:
    recorder = Recorder(dossier)
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
    assert [entry.seq for entry in entries] == list(range(1, len(writers) * count + 1))
    for person in writers:
        assert [e.event["motivation"] for e in entries if e.by == person] == [
            f"{person} {number}" for number in range(count)
        ]


def _first_score_race(dossier: Dossier, name: str, go: Event, pipe: Connection) -> None:
    recorder = Recorder(dossier)
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
    assert sorted((e.event["bid"], e.event["sub_criterion"]) for e in entries) == sorted(
        Recorder(dossier).items_for("evaluator-2")
    )
    assert all("reason" not in e.event for e in entries)
