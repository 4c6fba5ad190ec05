"""Whatever is in a dossier file, the loader returns a Dossier or places every problem.

Property-based (hypothesis): the valid files of the test dossier are changed by structured
edits (a value replaced by one of any type, hostile text or a date that does not exist; a
key removed; an unknown key added; a line repeated or removed) and by arbitrary text, and
the whole dossier is loaded. The loader must either return a :class:`Dossier` or raise
:class:`DossierError` whose every problem names a file of the dossier and a line within it
(or, for a file that is missing, no line); never any other exception.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tender.domain.dossier import Dossier
from tender.domain.errors import DossierError, Problem
from tender.io.loader import load_dossier
from tender.io.scaffold import create_dossier
from tests.conftest import MINIMAL_PDF, write_tree
from tests.helpers import ORIGINAL, A, B, C, P, S
from tests.scoring_fixtures import COMMITTEE

FILES = (B, A, P, C, S)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
HOSTILE = (
    "{{ 7*7 }}",
    "{% for x in y %}",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[/]",
    "../../etc/passwd.pdf",
    "/etc/passwd",
    "a/b.pdf",
    ".hidden.pdf",
    "bid-001",
    "kwaliteitsplan",
    "criterion-1",
    "evaluator-1",
    "2017-02-30",
    "2026-11-09T10:15:00",
    "2026-11-09T10:15:00+01:00",
    "2026-03-29T02:30:00",
    "Europe/Amsterdam",
    "NO",
    "\u202egnp.exe",
    "\x07",
    "",
    " ",
    "1e9",
    "NaN",
    "-0",
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=30),
        st.sampled_from(HOSTILE),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["id", "kind", "value", "file", "x"]), inner, max_size=3),
    ),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test dossier (the init templates, a committee, one bid) that each example changes."""
    path = tmp_path_factory.mktemp("properties") / "dossier"
    create_dossier(path)
    write_tree(
        path,
        {
            C: COMMITTEE.replace("bid-002", "bid-001"),
            B: ORIGINAL[B],
            "submissions/bid-001/kwaliteitsplan.pdf": MINIMAL_PDF,
            "submissions/bid-001/uea.pdf": MINIMAL_PDF,
        },
    )
    assert isinstance(load_dossier(path), Dossier)
    return path


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside ``data``."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


def edited(data: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    """``data`` with the value at ``path`` replaced, removed, or given an unknown key beside it."""
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "replace":
        parent[last] = value
    elif how == "remove":
        del parent[last]
    elif isinstance(parent, dict):
        parent[f"extra_{last}"] = value
    else:
        parent.append(value)
    return data


@st.composite
def structured(draw: st.DrawFn) -> tuple[str, str]:
    """One dossier file after a few structured edits, as YAML text."""
    file = draw(st.sampled_from(FILES))
    data = yaml.safe_load(ORIGINAL[file] if file != C else COMMITTEE)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        found = list(paths(data))
        if not found:
            break
        path = draw(st.sampled_from(found))
        how = draw(st.sampled_from(["replace", "remove", "add"]))
        data = edited(data, path, how, draw(VALUES))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    lines = text.splitlines(keepends=True)
    edit_a_line: bool = draw(st.booleans())
    if lines and edit_a_line:
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if draw(st.booleans()):
            lines.insert(index, lines[index])
        else:
            del lines[index]
    return file, "".join(lines)


def load(root: Path, file: str, text: str | bytes) -> Dossier | DossierError:
    """Load the dossier with ``file`` replaced by ``text``; put it back afterwards."""
    target = root / file
    original = target.read_bytes()
    try:
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        try:
            return load_dossier(root)
        except DossierError as error:
            return error
    finally:
        target.write_bytes(original)
        shutil.rmtree(root / ".tender-cache", ignore_errors=True)


def assert_placed(
    root: Path, file: str, text: str | bytes, outcome: Dossier | DossierError
) -> None:
    if isinstance(outcome, Dossier):
        return
    assert outcome.problems
    for problem in outcome.problems:
        assert_one_placed(root, file, text, problem)


def assert_one_placed(root: Path, file: str, text: str | bytes, problem: Problem) -> None:
    known = {*FILES, "submissions/bid-001/"}
    assert problem.file in known or problem.file.startswith("submissions/"), problem
    if problem.file == file:
        data = text.encode() if isinstance(text, str) else text
        assert problem.line is not None, problem
        assert 1 <= problem.line <= data.count(b"\n") + 1, (problem, text)
    elif problem.line is not None:
        lines = (root / problem.file).read_bytes().count(b"\n") + 1
        assert 1 <= problem.line <= lines, problem
    assert problem.message and "Traceback" not in problem.message, problem


@SETTINGS
@given(change=structured())
def test_any_structured_edit_gives_a_dossier_or_placed_problems(
    root: Path, change: tuple[str, str]
) -> None:
    file, text = change
    assert_placed(root, file, text, load(root, file, text))


YAML_PIECES = st.sampled_from(
    [
        "bidder:\n",
        "  name: ",
        "received: ",
        "documents:\n",
        "  kwaliteitsplan:\n    file: ",
        "kwaliteitsplan.pdf",
        "../x.pdf",
        "\n",
        "  ",
        "- ",
        ": ",
        "[",
        "]",
        "{",
        "}",
        "'",
        '"',
        "&a ",
        "*a",
        "!!python/object/apply:os.system ",
        "2026-11-09T10:15:00+01:00",
        "2017-02-30",
        "1.5",
        "\t",
        "\x07",
        "\u202e",
        "\ufeff",
        "é",
    ]
)


@SETTINGS
@given(
    file=st.sampled_from(FILES),
    text=st.one_of(st.text(max_size=300), st.lists(YAML_PIECES, max_size=60).map("".join)),
)
def test_any_text_in_any_file_gives_a_dossier_or_placed_problems(
    root: Path, file: str, text: str
) -> None:
    assert_placed(root, file, text, load(root, file, text))


@SETTINGS
@given(file=st.sampled_from(FILES), raw=st.binary(max_size=300))
def test_any_bytes_in_any_file_give_a_dossier_or_placed_problems(
    root: Path, file: str, raw: bytes
) -> None:
    assert_placed(root, file, raw, load(root, file, raw))
