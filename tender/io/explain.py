"""Turn pydantic's validation errors into dossier problems a committee member can act on.

Pydantic reports a location such as ``('requirements', 0, 'check', 'field', 'min')``
in which some parts are union tags rather than keys of the file. Walking the
model's types along the location tells the two apart, gives the dotted field as
the user wrote it, its line in the file, and for an unknown key the keys that
were expected there.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterator, Mapping, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tender.domain.errors import Problem
from tender.domain.models import FieldValueError
from tender.io.yamlsource import YamlDocument, dotted

_MAX_SHOWN = 60


def problems_from(
    error: ValidationError, document: YamlDocument, model: type[BaseModel]
) -> Iterator[Problem]:
    """One problem per pydantic error, placed at its field and line in ``document``.

    A list too short is only reported when none of its entries failed: pydantic
    also counts a failed entry as missing from the list.
    """
    details = error.errors()
    failed = [detail["loc"] for detail in details]
    for detail in details:
        loc = detail["loc"]
        if detail["type"] == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in failed
        ):
            continue
        path, expected_keys = _walk(model, loc)
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, FieldValueError):
            path.append(cause.field)
        elif detail["type"] == "union_tag_invalid":
            path.append("kind")
        yield Problem(
            file=document.file,
            line=document.line_of(path),
            field=dotted(path) or None,
            message=_message(detail, expected_keys),
        )


def _message(detail: ErrorDetails, expected_keys: Sequence[str]) -> str:
    kind = detail["type"]
    found = detail.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        key = str(detail["loc"][-1])
        close = difflib.get_close_matches(key, expected_keys, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown field '{key}'{hint}; expected one of: {', '.join(expected_keys)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys to values, found {_shown(found)}"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, found {_shown(found)}"
    if kind == "union_tag_not_found":
        return "a 'kind' is required to tell which sort of entry this is"
    if kind == "union_tag_invalid":
        context = detail.get("ctx", {})
        kinds = [tag.strip().strip("'") for tag in str(context.get("expected_tags")).split(",")]
        tag = str(context.get("tag"))
        close = difflib.get_close_matches(tag, kinds, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown kind '{tag}'{hint}; expected one of: {', '.join(kinds)}"
    if kind == "too_short":
        context = detail.get("ctx", {})
        least, actual = context.get("min_length"), context.get("actual_length")
        noun = "entry" if least == 1 else "entries"
        return f"expected at least {least} {noun}, found {actual or 'none'}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, found {_shown(found)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, found {_shown(found)}"
    text = detail["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in ("value_error", "assertion_error") or isinstance(found, Mapping | list):
        return text
    return f"{text[0].lower()}{text[1:]}, found {_shown(found)}"


def _shown(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"  # as written in YAML
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= _MAX_SHOWN else f"{text[:_MAX_SHOWN]}…"


def _walk(model: type[BaseModel], loc: Sequence[str | int]) -> tuple[list[str | int], list[str]]:
    """The data path within ``loc``, and the keys expected where it ends."""
    annotation: Any = model
    container: Any = None
    path: list[str | int] = []
    for part in loc:
        if part == "[key]":
            continue
        annotation = unwrap(annotation)
        members = _tagged_members(annotation)
        if members is not None:
            annotation = members.get(str(part))
            continue
        path.append(part)
        container = annotation
        annotation = _step(annotation, part)
    expected = list(container.model_fields) if is_model(container) else []
    return path, expected


def _step(annotation: Any, part: str | int) -> Any:
    if is_model(annotation):
        field = annotation.model_fields.get(str(part))
        return None if field is None else field.annotation
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin in (tuple, list) and args:
        return args[0]
    if origin in (dict, Mapping) and len(args) == 2:
        return args[1]
    return None


def unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``| None`` so that the interesting type remains."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if _is_union(annotation):
            rest = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(rest) == 1:
                annotation = rest[0]
                continue
        return annotation


def _tagged_members(annotation: Any) -> dict[str, type[BaseModel]] | None:
    """For a union of models told apart by ``kind``, map each tag to its model."""
    if not _is_union(annotation):
        return None
    members: dict[str, type[BaseModel]] = {}
    for arg in get_args(annotation):
        if not is_model(arg) or "kind" not in arg.model_fields:
            return None
        tag_type = arg.model_fields["kind"].annotation
        if get_origin(tag_type) is Literal:
            members.update({str(tag): arg for tag in get_args(tag_type)})
    return members


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
