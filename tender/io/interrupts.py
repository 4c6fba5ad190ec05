"""Ctrl-C is the parent's to handle: worker processes never see it, not even while starting.

The terminal sends SIGINT to every process of the foreground group, workers included. A
worker that is still starting (its interpreter importing, before any handler of its own
could be set) would die of it with a traceback of its own, printed over the parent's one
line. A blocked signal stays blocked across ``fork`` and ``exec``, and Python leaves the
mask as it found it, so a child started while SIGINT is blocked never receives it; the
parent alone is interrupted, stops its workers and reports it (multiprocessing's resource
tracker is started the same way).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def children_without_interrupts() -> Iterator[None]:
    """Start child processes within this block: they never get SIGINT.

    A Ctrl-C meanwhile waits, and reaches this process the moment the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows has no SIGINT for a process group
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
