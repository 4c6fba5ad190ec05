"""Terminal output: one console for results, one for errors, and JSON for machines.

Rich honours ``NO_COLOR`` and drops styling when output is not a terminal, so
results piped to a file stay plain text. Text from the dossier or the record (names,
titles, motivations, reasons, PDF text, findings) is printed only through :func:`plain`:
as a rich ``Text``, never read as markup or emoji codes, with every control and direction
character shown as its code (:func:`tender.domain.hidden.visible`), so that it cannot
steer the terminal.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from tender.domain.errors import Problem
from tender.domain.hidden import UNSHOWN, visible

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False, style="bold red")


def plain(text: str, style: str = "") -> Text:
    """Text from the dossier or the record, to print: shown as written, obeyed never."""
    return Text(visible(text), style=style)


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout; decimals keep their exact digits as text.

    Control and direction characters in its strings are written as JSON escapes: the same
    data, which the terminal shows instead of obeying.
    """
    text = json.dumps(data, default=_jsonable, ensure_ascii=False, indent=2)
    out.print(Text(UNSHOWN.sub(_json_escape, text)))


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | frozenset | set):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_problems(problems: tuple[Problem, ...]) -> None:
    """List every problem on stderr, one per line, place first."""
    for problem in problems:
        err.print(plain(str(problem)), style="")
    noun = "problem" if len(problems) == 1 else "problems"
    err.print(f"{len(problems)} {noun} found; nothing was written.", markup=False)


def plural(number: int, noun: str) -> str:
    """``1 bid``, ``2 bids``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
