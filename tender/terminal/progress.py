"""Progress bars on stderr for the stages' long work: reading PDFs, rendering letters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from tender.domain.progress import Advance, silent


@contextmanager
def bars(label: str, total: int) -> Iterator[Advance]:
    """A bar that disappears when done; nothing when there is no work or no terminal."""
    console = Console(stderr=True)
    if not total or not console.is_terminal:
        with silent(label, total) as advance:
            yield advance
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as shown:
        task = shown.add_task(label, total=total)
        yield lambda done: shown.advance(task, done)
