"""How a long stage says how far it is, without knowing who is watching.

A stage that takes seconds (reading PDFs, rendering letters) takes a
:class:`Progress`: it opens one with a label and the number of steps, and calls
the advance it gets with the steps done. The terminal passes bars
(:func:`tender.terminal.progress.bars`); everyone else passes nothing and gets
:func:`silent`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

Advance = Callable[[int], None]
"""Called with the number of steps just done."""


class Progress(Protocol):
    """Opens the report of one piece of work: its label and how many steps it has."""

    def __call__(self, label: str, total: int) -> AbstractContextManager[Advance]: ...


@contextmanager
def silent(label: str, total: int) -> Iterator[Advance]:
    """Progress that shows nothing: for tests, scripts, JSON output and background work."""
    del label, total
    yield _ignore


def _ignore(done: int) -> None:
    del done
