"""Kill a process that records or publishes at a random moment, and check what it leaves.

Three kinds of writer are killed with SIGKILL, at seeded random moments:

``scoring``
    an evaluator's process recording individual scores (:meth:`Recorder.record_score`);
``consensus``
    the chair's process recording consensus scores (:meth:`Recorder.record_consensus`);
``publish``
    a process publishing letters (:func:`tender.present.render.publish`, the one writer of
    ``reports/``), rotating through three rendered sets; now and then the real
    ``tender letters`` in a process of its own.

A writer is a forked child that reports each write once it has returned; the parent waits
for a random number of those, sleeps a random part of one write, and kills it. Then:

- the record verifies from its first line (chain and head), every entry the child
  confirmed is in it exactly, at most one more is (durable, not yet confirmed), and the
  state replayed from it under the procedure's rules (the opening first, on the inputs it
  froze) reads; the next writer sets a torn tail aside and moves a lagging
  head, and the record verifies again;
- ``reports/letters/`` holds, file for file and byte for byte, the last set confirmed or the
  one being published; if the kill fell between the two renames, the old set waits in
  ``.letters.old``; :func:`~tender.present.render.recover` (which every publish runs first) puts it
  back and removes half-written staging folders, and nothing else is left.

Used by tests/test_crash.py (a short run) and scripts/crash_soak.py (``--kills 1000``).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from tender.domain.dossier import REPORTS, SCORES_FOLDER, Dossier
from tender.present.render import Rendered, publish, recover
from tender.record.ledger import Entry, Ledger
from tender.record.recorder import Recorder
from tender.record.replay import replay
from tests.keys import acting_recorder

FORK = multiprocessing.get_context("fork")
POINTS = tuple(Decimal(point) for point in (0, 2, 4, 6, 8, 10))
SET = "letters"
Confirmed = tuple[Any, ...]
Write = Callable[[Recorder, int], Entry]
"""Record write number ``n``; return its entry."""


@dataclass
class Tally:
    """What a run of kills found."""

    kills: int = 0
    confirmed: int = 0
    unconfirmed_durable: int = 0
    torn_tails: int = 0
    heads_behind: int = 0
    old_sets_restored: int = 0
    staging_removed: int = 0
    sets_in_flight: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in (
            "kills",
            "confirmed",
            "unconfirmed_durable",
            "torn_tails",
            "heads_behind",
            "old_sets_restored",
            "staging_removed",
            "sets_in_flight",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures += other.failures


# --- the record ------------------------------------------------------------------------------


def scoring_write(evaluator: str) -> Write:
    """An evaluator changes their scores, item after item, each change with a reason."""

    def write(recorder: Recorder, number: int) -> Entry:
        items = recorder.items_for(evaluator)
        bid, sub = items[number % len(items)]
        return recorder.record_score(
            evaluator,
            bid,
            sub,
            score=POINTS[number % len(POINTS)],
            motivation=f"motivation {number}",
            reason=f"pass {number}",
        )

    return write


def consensus_write(chair: str) -> Write:
    """The chair records consensus scores, item after item, each change with a reason."""

    def write(recorder: Recorder, number: int) -> Entry:
        items = [
            (bid.id, sub.id)
            for bid in recorder.dossier.submissions
            if bid.id not in recorder.not_scored
            for sub in recorder.dossier.award.sub_criteria
        ]
        bid, sub = items[number % len(items)]
        return recorder.record_consensus(
            chair,
            bid,
            sub,
            score=POINTS[number % len(POINTS)],
            motivation=f"consensus {number}",
            reason=f"pass {number}",
        )

    return write


def _record_forever(dossier: Dossier, write: Write, start: int, pipe: Connection) -> None:
    """In the child: write as fast as possible; report each entry once ``write`` returned."""
    try:
        recorder = acting_recorder(dossier)  # its own: a lock may not be inherited across fork
        pipe.send(("ready",))
        for number in itertools.count(start):
            entry = write(recorder, number)
            pipe.send((entry.seq, entry.by, dict(entry.event)))
    except Exception as error:  # reported, so that the run fails with it
        pipe.send(("error", f"{type(error).__name__}: {error}"))


def _received(pipe: Connection) -> list[Confirmed]:
    """What the child reported before it died, up to the end of the pipe."""
    found: list[Confirmed] = []
    while True:
        try:
            found.append(pipe.recv())
        except EOFError:
            return found


def soak_record(
    dossier: Dossier,
    write: Write,
    *,
    kills: int,
    chance: random.Random,
    carry_on: Callable[[Recorder, int], Entry],
    label: str,
) -> Tally:
    """Kill a child that writes with ``write`` ``kills`` times; check the record after each.

    ``carry_on`` is the next writer after a kill (another person at work).
    """
    tally = Tally()
    recorder = acting_recorder(dossier)
    recorded = len(recorder.ledger.verify())
    for kill in range(kills):
        receive, send = FORK.Pipe(duplex=False)
        child = FORK.Process(target=_record_forever, args=(dossier, write, (kill + 1) * 1000, send))
        child.start()
        assert receive.recv() == ("ready",)
        # After a random number of confirmed writes, the kill lands at a random moment of
        # the next one (an fsynced append takes milliseconds), whatever the machine's load.
        confirmed = [receive.recv() for _ in range(chance.randrange(6))]
        time.sleep(chance.uniform(0.0, 0.015))
        child.kill()
        child.join()
        send.close()
        confirmed += _received(receive)
        receive.close()
        tally.kills += 1
        tally.confirmed += len(confirmed)
        where = f"{label} kill {kill + 1}"
        errors = [message for message in confirmed if message[0] == "error"]
        if errors:
            tally.failures.append(f"{where}: the writer failed: {errors[0][1]}")
            return tally
        ledger = Ledger(dossier.root / SCORES_FOLDER)
        tally.torn_tails += ledger.torn_tail() > 0
        head = ledger.head()
        try:
            entries = ledger.verify()
            replay(dossier, entries, ledger.display)
        except Exception as error:
            tally.failures.append(f"{where}: the record does not verify: {error}")
            return tally
        tally.heads_behind += head is not None and head.seq < len(entries)
        tally.failures += [f"{where}: {problem}" for problem in _lost(entries, confirmed, recorded)]
        extra = len(entries) - recorded - len(confirmed)
        tally.unconfirmed_durable += extra == 1
        carry_on(recorder, kill)
        after = Ledger(dossier.root / SCORES_FOLDER).verify()
        if len(after) != len(entries) + 1:
            tally.failures.append(f"{where}: the next writer did not carry on cleanly")
        recorded = len(after)
    return tally


def _lost(entries: Sequence[Entry], confirmed: Sequence[Confirmed], recorded: int) -> list[str]:
    """Why the verified ``entries`` do not hold what the child confirmed after ``recorded``."""
    problems = []
    seqs = [message[0] for message in confirmed]
    if seqs != list(range(recorded + 1, recorded + 1 + len(seqs))):
        problems.append(f"confirmed entries {seqs} do not follow entry {recorded}")
    for seq, by, event in confirmed:
        if seq > len(entries):
            problems.append(f"confirmed entry {seq} is lost")
        elif (entries[seq - 1].by, dict(entries[seq - 1].event)) != (by, event):
            problems.append(f"confirmed entry {seq} is not as written")
    extra = len(entries) - recorded - len(confirmed)
    if extra not in (0, 1):
        problems.append(f"{extra} entries beyond the confirmed ones (at most 1 may be)")
    return problems


# --- publishing ------------------------------------------------------------------------------

Digests = dict[str, str]


def digests(files: Sequence[Rendered]) -> Digests:
    return {str(item.path): hashlib.sha256(item.content).hexdigest() for item in files}


def folder_digests(folder: Path) -> Digests:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _publish_forever(
    root: Path, sets: Sequence[Sequence[Rendered]], start: int, pipe: Connection
) -> None:
    try:
        pipe.send(("ready",))
        for number in itertools.count(start):
            publish(root, SET, sets[number % len(sets)])
            pipe.send((number,))
    except Exception as error:
        pipe.send(("error", f"{type(error).__name__}: {error}"))


@dataclass
class Letters:
    """The real ``tender letters`` as a process to kill: its words and the set it writes."""

    words: list[str]
    written: Digests


def soak_publish(
    root: Path,
    sets: Sequence[Sequence[Rendered]],
    *,
    kills: int,
    chance: random.Random,
    letters: Letters | None = None,
    cli_every: int = 0,
) -> Tally:
    """Kill a publishing child ``kills`` times (every ``cli_every``-th kill: ``tender letters``)."""
    tally = Tally()
    expected = [digests(files) for files in sets]
    publish(root, SET, sets[0])
    last = 0  # the number of the last publish confirmed; publish n writes sets[n % len]
    started = time.perf_counter()
    publish(root, SET, sets[1])
    publish(root, SET, sets[2 % len(sets)])
    one = (time.perf_counter() - started) / 2
    last = 2
    for kill in range(kills):
        where = f"publish kill {kill + 1}"
        if letters is not None and cli_every and kill % cli_every == cli_every - 1:
            before = folder_digests(root / REPORTS / SET)
            _kill_cli(letters, chance)
            tally.kills += 1
            tally.add(_recovered(root, [before, letters.written], f"{where} (tender letters)"))
            publish(root, SET, sets[last % len(sets)])
            continue
        receive, send = FORK.Pipe(duplex=False)
        child = FORK.Process(target=_publish_forever, args=(root, sets, last + 1, send))
        child.start()
        assert receive.recv() == ("ready",)
        done = [receive.recv() for _ in range(chance.randrange(3))]
        time.sleep(chance.uniform(0.0, one * 1.2))
        child.kill()
        child.join()
        send.close()
        done += _received(receive)
        receive.close()
        tally.kills += 1
        tally.confirmed += len(done)
        errors = [message for message in done if message[0] == "error"]
        if errors:
            tally.failures.append(f"{where}: the writer failed: {errors[0][1]}")
            return tally
        if done:
            last = done[-1][0]
        allowed = [expected[last % len(sets)], expected[(last + 1) % len(sets)]]
        found = _recovered(root, allowed, where)
        tally.add(found)
        if folder_digests(root / REPORTS / SET) == allowed[1]:
            tally.sets_in_flight += 1
            last += 1
    return tally


def _kill_cli(letters: Letters, chance: random.Random) -> None:
    """Start ``tender letters`` and kill it, with its workers, at a random moment of its run."""
    process = subprocess.Popen(
        letters.words,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its PDF workers die with it
    )
    time.sleep(chance.uniform(0.3, 2.0))
    with contextlib.suppress(ProcessLookupError):  # it ended by itself
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _recovered(root: Path, allowed: Sequence[Digests], where: str) -> Tally:
    """``reports/letters`` is one of the ``allowed`` sets, complete, before and after recovery."""
    tally = Tally()
    reports = root / REPORTS
    target, old = reports / SET, reports / f".{SET}.old"
    staging = sorted(reports.glob(f".{SET}.new-*"))
    shown: Digests | None = None
    if target.exists():
        shown = folder_digests(target)
        if shown not in allowed:
            tally.failures.append(f"{where}: reports/{SET} is neither the old nor the new set")
    elif not old.exists() or folder_digests(old) not in allowed:
        tally.failures.append(f"{where}: reports/{SET} is gone and the old set is not kept")
    else:
        shown = folder_digests(old)
        tally.old_sets_restored += 1
    tally.staging_removed += bool(staging)
    recover(root, SET)
    if shown is not None and (not target.exists() or folder_digests(target) != shown):
        tally.failures.append(f"{where}: recovery did not restore the set that was there")
    leftovers = sorted(path.name for path in reports.glob(f".{SET}.*"))
    if leftovers:
        tally.failures.append(f"{where}: recovery left {leftovers}")
    return tally


def cli_words(root: Path, day: str) -> list[str]:
    return [sys.executable, "-m", "tender", "letters", "--dossier", str(root), "--date", day]


def as_mapping(tally: Tally) -> Mapping[str, int]:
    return {
        name: getattr(tally, name)
        for name in (
            "kills",
            "confirmed",
            "unconfirmed_durable",
            "torn_tails",
            "heads_behind",
            "old_sets_restored",
            "staging_removed",
            "sets_in_flight",
        )
    }


# --- every step --------------------------------------------------------------------------------

STEPS = ("fsync", "rename", "replace", "unlink", "rmdir", "mkdir")
"""The calls of ``os`` at which a writer is stopped in turn: each one that makes a change durable
or visible (and shutil.rmtree's, which unlink and rmdir)."""
_STOPPED = 75


def _stop_at(step: int, work: Callable[[], object]) -> None:
    """In a forked child: run ``work``, but die (as a kill would) just before the ``step``-th
    call of any of :data:`STEPS`; exit 0 when ``work`` ends first."""
    count = 0

    def stopping(original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            nonlocal count
            count += 1
            if count == step:
                os._exit(_STOPPED)
            return original(*args, **kwargs)

        return call

    for name in STEPS:
        setattr(os, name, stopping(getattr(os, name)))
    work()
    os._exit(0)


def stopped_at_every_step(work: Callable[[], object], check: Callable[[int], None]) -> int:
    """Stop ``work`` at its first step, then its second, and so on, until it completes;
    ``check(step)`` after each stop. Returns the number of steps ``work`` has."""
    for step in itertools.count(1):
        child = FORK.Process(target=_stop_at, args=(step, work))
        child.start()
        child.join()
        if child.exitcode == 0:
            return step - 1
        if child.exitcode != _STOPPED:
            raise AssertionError(f"the writer failed at step {step} (exit {child.exitcode})")
        check(step)
    raise AssertionError("unreachable")


def publish_every_step(
    root: Path, old: Sequence[Rendered] | None, new: Sequence[Rendered]
) -> tuple[int, Tally]:
    """Publish ``new`` over ``old`` (None: over nothing), stopped at every step in turn; after
    each stop the set is the old or the new one, complete, and recovery cleans up."""
    tally = Tally()
    allowed = [digests(old) if old is not None else {}, digests(new)]

    def reset() -> None:
        shutil.rmtree(root / REPORTS, ignore_errors=True)
        if old is not None:
            publish(root, SET, old)

    def check(step: int) -> None:
        tally.kills += 1
        where = f"publish stopped at step {step}"
        if old is None and not (root / REPORTS / SET).exists():
            recover(root, SET)
            leftovers = sorted(path.name for path in (root / REPORTS).glob(f".{SET}.*"))
            if leftovers:
                tally.failures.append(f"{where}: recovery left {leftovers}")
        else:
            tally.add(_recovered(root, allowed, where))
        reset()

    reset()
    steps = stopped_at_every_step(lambda: publish(root, SET, new), check)
    return steps, tally


def append_every_step(dossier: Dossier, write: Write) -> tuple[int, Tally]:
    """Record one entry, stopped at every step in turn; after each stop the record verifies,
    holds the entry or not, and the next writer carries on from it."""
    tally = Tally()
    folder = dossier.root / SCORES_FOLDER
    saved = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    before = len(Ledger(folder).verify())

    def reset() -> None:
        for path in folder.iterdir():
            if path.is_file() and path.name not in saved:
                path.unlink()
        for name, data in saved.items():
            (folder / name).write_bytes(data)

    def check(step: int) -> None:
        tally.kills += 1
        where = f"append stopped at step {step}"
        ledger = Ledger(folder)
        try:
            entries = ledger.verify()
            replay(dossier, entries, ledger.display)
        except Exception as error:
            tally.failures.append(f"{where}: the record does not verify: {error}")
            reset()
            return
        if len(entries) not in (before, before + 1):
            tally.failures.append(f"{where}: {len(entries) - before} entries were added")
        tally.unconfirmed_durable += len(entries) == before + 1
        head = ledger.head()
        tally.heads_behind += head is None or head.seq < len(entries)
        write(acting_recorder(dossier), 10**7 + step)
        if len(Ledger(folder).verify()) != len(entries) + 1:
            tally.failures.append(f"{where}: the next writer did not carry on cleanly")
        reset()

    steps = stopped_at_every_step(lambda: write(acting_recorder(dossier), 10**7), check)
    reset()
    return steps, tally
