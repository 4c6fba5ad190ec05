"""Many HTML pages to PDF at once, over worker processes, byte for byte what one process makes.

Converting a letter to PDF takes about a tenth of a second of pure Python, and
xhtml2pdf renders one document at a time per process, so letters for a thousand
bids go to as many processes as there are cores. Each worker gets whole chunks
of pages and returns their PDFs; the PDF of a page depends on nothing but its
HTML (reportlab's invariant mode), so the result is the same however the pages
were spread. Workers are fresh interpreters (``spawn``), not forks of a process
that may hold threads.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass

from tender.domain.progress import Progress, silent
from tender.io.interrupts import children_without_interrupts
from tender.present.render import RenderError, html_to_pdf

CHUNKS_PER_WORKER = 4
MAX_CHUNK = 4
"""Pages per chunk at most: small enough that Ctrl-C waits only for the chunks being converted."""
SERIAL_BELOW = 8
"""Fewer pages than this are converted in this process: starting workers would cost more."""


@dataclass(frozen=True)
class Page:
    """One HTML page to convert, and the name of its PDF (``bid-001.pdf``)."""

    name: str
    html: str


def available_cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU affinity mask)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def to_pdfs(
    pages: Sequence[Page],
    *,
    workers: int | None = None,
    progress: Progress = silent,
    label: str = "Rendering PDFs",
) -> tuple[bytes, ...]:
    """The PDF of every page, in order; ``workers`` defaults to every core, 1 means this process.

    A page that cannot be converted raises its :class:`~tender.present.render.RenderError`.
    """
    count = max(1, min(workers or available_cores(), len(pages)))
    with progress(label, len(pages)) as advance:
        if count == 1 or len(pages) < SERIAL_BELOW:
            found = []
            for page in pages:
                found.append(html_to_pdf(page.html, name=page.name))
                advance(1)
            return tuple(found)
        return _in_workers(pages, count, advance)


def _in_workers(
    pages: Sequence[Page], count: int, advance: Callable[[int], None]
) -> tuple[bytes, ...]:
    size = max(1, min(MAX_CHUNK, -(-len(pages) // (count * CHUNKS_PER_WORKER))))
    chunks = {start: tuple(pages[start : start + size]) for start in range(0, len(pages), size)}
    found: dict[int, tuple[bytes, ...]] = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        pending: dict[Future[tuple[bytes, ...]], int] = {}
        try:
            with children_without_interrupts():  # the pool starts its workers on submit
                for start, chunk in chunks.items():
                    pending[pool.submit(_convert, chunk)] = start
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    start = pending.pop(future)
                    found[start] = future.result()
                    advance(len(found[start]))
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return tuple(pdf for start in sorted(found) for pdf in found[start])


def _convert(chunk: tuple[Page, ...]) -> tuple[bytes, ...]:
    """In a worker: the PDFs of one chunk of pages."""
    try:
        return tuple(html_to_pdf(page.html, name=page.name) for page in chunk)
    except RenderError:
        raise
    except Exception as error:  # sent back as text: a library's exception may not unpickle
        names = ", ".join(page.name for page in chunk)
        raise RenderError(f"converting {names} failed: {type(error).__name__}: {error}") from None
