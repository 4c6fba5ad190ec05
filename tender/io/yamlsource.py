"""Read one YAML file safely, keeping the line of every value.

PyYAML's safe loader still keeps the last of two duplicate keys, turns ``no``
into ``False``, ``2017-02-30`` into a crash and ``7.99`` into a binary float. Here
the file is only *composed* into nodes and then built by hand, so that:

- duplicate keys, anchors/aliases and object-constructing tags are errors;
- only ``true``/``false`` are booleans, dates stay text for the models to check;
- decimals become :class:`~decimal.Decimal` from their written digits (exact);
- every value's line is recorded under its path, for messages about it;
- the file is read only when it is a regular file within its size limit, and every
  value is bounded (:mod:`tender.domain.limits`), so that no file can stall a command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tender.domain.errors import DossierError, Problem
from tender.domain.hidden import DIRECTION_CONTROL
from tender.domain.limits import NUMBER_CHARACTERS, TEXT_CHARACTERS, shown_bytes
from tender.io.bounded import FileTooLargeError, read_bounded

DataPath: TypeAlias = tuple[str | int, ...]

_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _StrictResolver(_BASE_LOADER):  # type: ignore[valid-type,misc]
    """A loader whose implicit types are those of YAML 1.2's core schema, minus surprises."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012


# The plain scalars that are not text; a value given one of these tags explicitly
# (``!!int abc``) must still look like one.
_IMPLICIT: dict[str, tuple[re.Pattern[str], list[str]]] = {
    _BOOL: (re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    _INT: (re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")),
    _FLOAT: (re.compile(r"^[-+]?(?:[0-9]+\.[0-9]+)$"), list("-+0123456789")),
    _NULL: (re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
}
for _tag, (_pattern, _first) in _IMPLICIT.items():
    _StrictResolver.add_implicit_resolver(_tag, _pattern, _first)


# YAML's printable characters (YAML 1.1, section 5.1), as PyYAML's reader enforces them.
_UNPRINTABLE = re.compile(
    r"[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# Direction controls (tender.domain.hidden) in a bidder's name or a criterion could make a
# letter say what the file does not. Marks (U+200E, U+200F) are harmless in a letter and
# allowed; the terminal shows them as codes.
# Composing is recursive (libyaml's composer crashes the interpreter past some
# thousands of levels); the dossier's files nest a handful of levels.
_MAX_DEPTH = 50
# libyaml's scanner (PyYAML 6.0.3 and later) stops at 1,000 levels before the parser hands
# over the first event, so the depth check above never sees such a file: its own error is
# reported in the same words.
_SCANNER_DEPTH_LIMIT = "exceeded maximum nesting depth"


@dataclass(frozen=True, kw_only=True)
class YamlDocument:
    """The plain data of one file, with the line of each path inside it."""

    file: str
    data: Any
    lines: Mapping[DataPath, int] = field(repr=False)

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of the deepest part of ``path`` that exists in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def read_yaml(path: Path, *, display: str, limit: int) -> YamlDocument:
    """Read ``path`` (UTF-8, with or without BOM); raise :class:`DossierError` on any problem.

    ``display`` is the name used in messages (the path relative to the dossier); a file
    of more than ``limit`` bytes is refused unread. A path that is not a regular file
    raises :class:`~tender.io.bounded.NotRegularFileError` (an ``OSError``).
    """
    try:
        raw = read_bounded(path, limit)
    except FileTooLargeError as error:
        message = (
            f"the file is {error.size:,} bytes, more than the {shown_bytes(limit)} such a file "
            "may be; it was not read"
        )
        raise DossierError(
            [Problem(file=display, line=None, field=None, message=message)]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        byte = raw[error.start : error.start + 1].hex()
        message = f"byte 0x{byte} is not UTF-8; save the file as UTF-8"
        raise DossierError(
            [Problem(file=display, line=line, field=None, message=message)]
        ) from None
    unprintable = _UNPRINTABLE.search(text)
    if unprintable:
        line = text.count("\n", 0, unprintable.start()) + 1
        message = (
            f"control character U+{ord(unprintable.group()):04X} is not allowed in YAML; "
            "remove it or save the file as plain text"
        )
        raise DossierError([Problem(file=display, line=line, field=None, message=message)])
    direction = DIRECTION_CONTROL.search(text)
    if direction:
        line = text.count("\n", 0, direction.start()) + 1
        raise DossierError(
            [
                Problem(
                    file=display,
                    line=line,
                    field=None,
                    message=_direction_message(direction.group()),
                )
            ]
        )
    try:
        problems = _scan(text, display)
        root = yaml.compose(text, Loader=_StrictResolver)
    except yaml.MarkedYAMLError as error:
        if error.problem == _SCANNER_DEPTH_LIMIT:
            raise DossierError([_too_deep(display, error)]) from None
        raise DossierError([_syntax_problem(error, text, display)]) from None
    except yaml.YAMLError as error:
        raise DossierError(
            [Problem(file=display, line=1, field=None, message=f"YAML error: {error}")]
        ) from None
    builder = _Builder(display)
    data = None if root is None else builder.build(root, ())
    problems += builder.problems
    if problems:
        raise DossierError(problems)
    return YamlDocument(file=display, data=data, lines=builder.lines)


def _scan(text: str, display: str) -> list[Problem]:
    """Anchors and aliases, each at its own line; absurd nesting is refused before composing.

    The parser's events are a flat stream; composing nodes recurses, and a composed
    alias is the anchored node itself, which has only the anchor's line.
    """
    problems: list[Problem] = []
    depth = 0
    for event in yaml.parse(text, Loader=_StrictResolver):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent):
            problems.append(
                Problem(
                    file=display,
                    line=line,
                    field=None,
                    message=f"alias '*{event.anchor}' is not allowed; write the value out in full here",
                )
            )
        elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            problems.append(
                Problem(
                    file=display,
                    line=line,
                    field=None,
                    message=f"anchor '&{event.anchor}' is not allowed; write each value out in full",
                )
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > _MAX_DEPTH:
                raise DossierError([_too_deep(display, event)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return problems


def _too_deep(display: str, where: yaml.Event | yaml.MarkedYAMLError) -> Problem:
    mark = where.start_mark if isinstance(where, yaml.Event) else where.problem_mark
    message = (
        f"values nested more than {_MAX_DEPTH} levels deep; "
        "a dossier file nests a few levels at most"
    )
    return Problem(file=display, line=mark.line + 1 if mark else 1, field=None, message=message)


def _direction_message(char: str) -> str:
    return (
        f"the invisible direction control U+{ord(char):04X} is not allowed: it shows the text "
        "around it in another order than it is written; remove it"
    )


def _quote_running_on(text: str, failed: int) -> tuple[int, int] | None:
    """Where quoted text that spans lines starts and ends, when it ends on line ``failed``."""
    found = None
    try:
        for token in yaml.scan(text, Loader=_StrictResolver):
            start, end = token.start_mark.line + 1, token.end_mark.line + 1
            if start > failed:
                break
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
            if quoted and start < end == failed:
                found = (start, end)
    except yaml.YAMLError:
        pass  # the scanner stops where the parser did, or before
    return found


_OPENED = {
    "while scanning a quoted scalar": "quoted text",
    "while parsing a flow sequence": "a list in [brackets]",
    "while parsing a flow mapping": "a mapping in {braces}",
}


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    what = error.problem or error.context or "not valid YAML"
    opened = error.context_mark
    ended = error.problem_mark is not None and error.problem_mark.index >= len(text)
    if ended and opened and error.context in _OPENED and opened.index < len(text):
        # A quote or bracket never closed: the end of the file is no help, where it opened is.
        line = opened.line + 1
        what = f"{_OPENED[error.context]} starts here and is not closed before the end of the file"
    elif quoted := _quote_running_on(text, line):
        # A closing quote left out: the text runs on to the next quote, and the parser
        # stumbles only there. The quote that opened it is where to look.
        line, what = (
            quoted[0],
            (
                f"quoted text starts here and runs on to line {quoted[1]}, where the file stops "
                f"making sense ({what}); is its closing quote missing?"
            ),
        )
    line = min(line, text.count("\n") + 1)  # the parser's end of input lies past a last line
    lines = text.splitlines()
    source_line = lines[line - 1] if line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip())]
    if re.search(r"\btab\b", what) or "\t" in indent:
        what = "a tab is used for indentation; indent with spaces"
    elif error.context == "expected a single document in the stream":
        what = "a second document starts here ('---'); a file holds one YAML document"
    return Problem(file=display, line=line, field=None, message=f"YAML syntax error: {what}")


class _Builder:
    """Turns composed nodes into plain data, collecting every problem on the way."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.lines: dict[DataPath, int] = {}
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def build(self, node: Node, path: DataPath) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self._seen:
            return None  # an alias, reported by _scan; building it again could explode
        self._seen.add(id(node))
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            self._check_tag(node, path, _SEQ)
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: DataPath) -> dict[str, Any]:
        self._check_tag(node, path, _MAP)
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _INT):
                self._problem(key_node, path, "a key must be plain text")
                continue
            key = str(key_node.value)
            if key in result:
                self._problem(
                    key_node,
                    (*path, key),
                    f"duplicate key '{key}' (first on line {first_line[key]}); "
                    "each key may appear once",
                )
                continue
            first_line[key] = key_line
            self.lines[(*path, key)] = key_line
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: ScalarNode, path: DataPath) -> Any:
        value: str = node.value
        number = node.tag in (_INT, _FLOAT)
        longest = NUMBER_CHARACTERS if number else TEXT_CHARACTERS
        if len(value) > longest:
            what = "a number" if number else "a value"
            self._problem(
                node,
                path,
                f"{what} of {len(value):,} characters; at most {longest:,} are accepted",
            )
            return None
        if node.tag == _STR:
            # Escapes in quoted text ("\u0007") make characters the file itself may not hold.
            unprintable = _UNPRINTABLE.search(value)
            if unprintable:
                self._problem(
                    node,
                    path,
                    f"control character U+{ord(unprintable.group()):04X} (written as an escape) "
                    "is not allowed in a value; remove it",
                )
                return None
            direction = DIRECTION_CONTROL.search(value)
            if direction:
                self._problem(node, path, _direction_message(direction.group()))
                return None
            return value
        implicit = _IMPLICIT.get(node.tag)
        if implicit is None or not implicit[0].fullmatch(value):
            self._tag_problem(node, path)
            return None
        if node.tag == _INT:
            return int(value)
        if node.tag == _FLOAT:
            return Decimal(value)
        if node.tag == _BOOL:
            return value.lower() == "true"
        return None

    def _check_tag(self, node: Node, path: DataPath, expected: str) -> None:
        if node.tag != expected:
            self._tag_problem(node, path)

    def _tag_problem(self, node: Node, path: DataPath) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
        self._problem(
            node, path, f"YAML tag '{tag}' is not allowed; only plain values are accepted"
        )

    def _problem(self, node: Node, path: DataPath, message: str) -> None:
        self.problems.append(
            Problem(
                file=self.display,
                line=node.start_mark.line + 1,
                field=dotted(path) or None,
                message=message,
            )
        )


def dotted(path: Sequence[str | int]) -> str:
    """``('sub_criteria', 2, 'weight')`` as ``sub_criteria[2].weight``."""
    return "".join(_parts(path)).lstrip(".")


def _parts(path: Sequence[str | int]) -> Iterator[str]:
    for part in path:
        yield f"[{part}]" if isinstance(part, int) else f".{part}"
