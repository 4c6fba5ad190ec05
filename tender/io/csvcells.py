"""CSV that a spreadsheet shows and never runs: the one way tender writes a CSV file.

A spreadsheet opening a CSV file takes a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula, and some take one after a leading tab or carriage return: a bidder
named ``=HYPERLINK("http://x","y")`` or ``=cmd|' /C calc'!A0`` would become a link or a
command on the committee's machine. As OWASP recommends (CSV injection), every text cell
that starts with one of those characters is written with a single quote before it, which
the spreadsheet shows as text. A text that starts with quotes before such a character gets
one quote more, so that :func:`restored` undoes exactly what :func:`neutralised` did, for
every text: a score sheet goes out and comes back with its motivations unchanged.

Numbers tender computed itself (a score, a mean, a margin to the threshold) are written as
they are, :class:`Figure`, so that ``-0.25`` stays a number a spreadsheet can add up. A
figure is checked to be nothing but a number when it is made, so text from a bidder or an
evaluator ("-5 punten", "+31 50 ...") can never pass as one: that is neutralised like all
text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FORMULA_STARTS = frozenset("=+-@\t\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""
QUOTE = "'"
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?")


@dataclass(frozen=True, kw_only=True)
class Figure:
    """A number tender computed, as text (``8``, ``-0.25``, ``22/3``): written unquoted."""

    text: str

    def __post_init__(self) -> None:
        if not _NUMBER.fullmatch(self.text):
            raise ValueError(f"a figure is a number tender computed, not {self.text!r}")


def neutralised(text: str) -> str:
    """``text`` as a cell no spreadsheet runs: a quote before it when it could start a formula.

    >>> neutralised('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralised("Zorg B.V.")
    'Zorg B.V.'
    """
    return QUOTE + text if _formula_like(text) else text


def restored(text: str) -> str:
    """A cell read back as the text :func:`neutralised` was given: its one added quote removed.

    >>> restored("'=1+1"), restored("'tekst"), restored("''=1")
    ('=1+1', "'tekst", "'=1")
    """
    if text.startswith(QUOTE) and _formula_like(text[1:]):
        return text[1:]
    return text


def csv_text(rows: Iterable[Sequence[str | Figure]], *, line_end: str = "\n") -> str:
    """``rows`` (the header first) as CSV: every text cell neutralised, every figure as it is."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=line_end)
    for row in rows:
        writer.writerow(
            cell.text if isinstance(cell, Figure) else neutralised(cell) for cell in row
        )
    return buffer.getvalue()


def _formula_like(text: str) -> bool:
    """Whether ``text``, after any quotes it starts with, starts with a formula character."""
    return text.lstrip(QUOTE)[:1] in FORMULA_STARTS
