"""The strict YAML reader: what it refuses, where it says so, and what it never turns into."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tender.domain.errors import DossierError, Problem
from tender.domain.limits import CRITERIA_FILE_BYTES
from tender.io.yamlsource import read_yaml
from tests.helpers import assert_problems

NAME = "criteria/example.yaml"


def read_text(tmp_path: Path, text: str | bytes) -> object:
    """The data ``read_yaml`` builds from ``text``."""
    path = tmp_path / "example.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return read_yaml(path, display=NAME, limit=CRITERIA_FILE_BYTES).data


def problems_of(tmp_path: Path, text: str | bytes) -> list[str]:
    """The problems ``read_yaml`` reports for ``text``, as the user sees them."""
    with pytest.raises(DossierError) as caught:
        read_text(tmp_path, text)
    return [str(problem) for problem in caught.value.problems]


# --- what is refused, with the line -------------------------------------------------------

REFUSED = [
    pytest.param(
        "title: Zorg: thuis\n",
        [f"{NAME}:1: YAML syntax error: mapping values are not allowed ..."],
        id="colon-in-plain-value",
    ),
    pytest.param(
        "lots:\n  - id: lot-1\n    title: [Thuis\nreference: X\n",
        [f"{NAME}:4: YAML syntax error: ...expected ',' or ']'..."],
        id="unclosed-flow-list",
    ),
    pytest.param(
        "authority:\n  name: Gemeente\n\tcity: Voorbeeld\n",
        [f"{NAME}:3: YAML syntax error: a tab is used for indentation; indent with spaces"],
        id="tab-indent",
    ),
    pytest.param(
        "authority:\n  name: Gemeente\n  city: Voorbeeld\n\treference: X\n",
        [f"{NAME}:4: YAML syntax error: a tab is used for indentation; indent with spaces"],
        id="tab-indent-after-value",
    ),
    pytest.param(
        "reference: A\n---\nreference: B\n",
        [
            f"{NAME}:2: YAML syntax error: a second document starts here ('---'); "
            "a file holds one YAML document"
        ],
        id="two-documents",
    ),
    pytest.param(
        "chair: evaluator-1\nevaluators: []\nchair: evaluator-2\n",
        [
            f"{NAME}:3: chair: duplicate key 'chair' (first on line 1); each key may appear once",
        ],
        id="duplicate-top-level-key",
    ),
    pytest.param(
        "sub_criteria:\n  - id: a\n    weight: 50\n    title: T\n    weight: 40\n",
        [
            f"{NAME}:5: sub_criteria[0].weight: duplicate key 'weight' (first on line 3); "
            "each key may appear once",
        ],
        id="duplicate-nested-key",
    ),
    pytest.param(
        "a: 1\nb: 2\na: 3\nb: 4\n",
        [
            f"{NAME}:3: a: duplicate key 'a' (first on line 1); each key may appear once",
            f"{NAME}:4: b: duplicate key 'b' (first on line 2); each key may appear once",
        ],
        id="every-duplicate-reported",
    ),
    pytest.param(
        "role: &r policy\nother: *r\n",
        [
            f"{NAME}:1: anchor '&r' is not allowed; write each value out in full",
            f"{NAME}:2: alias '*r' is not allowed; write the value out in full here",
        ],
        id="anchor-and-alias",
    ),
    pytest.param(
        "evaluators:\n  - &b\n    role: policy\n  -\n    id: x\n    <<: *b\n",
        [
            f"{NAME}:2: anchor '&b' is not allowed; write each value out in full",
            f"{NAME}:6: alias '*b' is not allowed; write the value out in full here",
        ],
        id="merge-key",
    ),
    pytest.param(
        "name: !!python/object/apply:os.system ['true']\n",
        [
            f"{NAME}:1: name: YAML tag '!!python/object/apply:os.system' is not allowed; "
            "only plain values are accepted"
        ],
        id="python-tag",
    ),
    pytest.param(
        "name: !secret value\n",
        [f"{NAME}:1: name: YAML tag '!secret' is not allowed; only plain values are accepted"],
        id="local-tag",
    ),
    pytest.param(
        "weight: !!int fifty\n",
        [f"{NAME}:1: weight: YAML tag '!!int' is not allowed; only plain values are accepted"],
        id="explicit-int-tag-on-text",
    ),
    pytest.param(
        "weight: !!float 1e3\n",
        [f"{NAME}:1: weight: YAML tag '!!float' is not allowed; only plain values are accepted"],
        id="explicit-float-tag-on-exponent",
    ),
    pytest.param(
        "dates: !!set {a, b}\n",
        [f"{NAME}:1: dates: YAML tag '!!set' is not allowed; only plain values are accepted"],
        id="set-tag",
    ),
    pytest.param(
        "evaluators:\n  - &e {id: a}\n  - *e\n  - *e\n",
        [
            f"{NAME}:2: anchor '&e' is not allowed; write each value out in full",
            f"{NAME}:3: alias '*e' is not allowed; write the value out in full here",
            f"{NAME}:4: alias '*e' is not allowed; write the value out in full here",
        ],
        id="alias-in-list",
    ),
    pytest.param(
        "evaluators: [a, b]\nchair: &c evaluator-1\nchair: x\n",
        [
            f"{NAME}:2: anchor '&c' is not allowed; write each value out in full",
            f"{NAME}:3: chair: duplicate key 'chair' (first on line 2); each key may appear once",
        ],
        id="problems-of-both-kinds-in-one-run",
    ),
    pytest.param(
        "[a, b]: 1\n",
        [f"{NAME}:1: a key must be plain text"],
        id="list-as-key",
    ),
    pytest.param(
        "reference: X\nname: Jos\u00e9\n".encode("latin-1"),
        [f"{NAME}:2: byte 0xe9 is not UTF-8; save the file as UTF-8"],
        id="latin-1",
    ),
    pytest.param(
        "reference: X\n\nname: First\x00\n",
        [
            f"{NAME}:3: control character U+0000 is not allowed in YAML; "
            "remove it or save the file as plain text"
        ],
        id="nul-byte",
    ),
    pytest.param(
        "a:\n  b:\n    " + "[" * 60 + "]" * 60 + "\n",
        [
            f"{NAME}:3: values nested more than 50 levels deep; "
            "a dossier file nests a few levels at most"
        ],
        id="absurd-nesting",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REFUSED)
def test_refused_with_file_and_line(tmp_path: Path, text: str | bytes, expected: list[str]) -> None:
    assert_problems(problems_of(tmp_path, text), expected)


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"name: !!python/object/apply:os.system ['touch {marker}']\n"
    problems_of(tmp_path, text)
    assert not marker.exists()


def test_nesting_deep_enough_to_crash_the_parser_is_refused(tmp_path: Path) -> None:
    # libyaml's composer recurses; tens of thousands of levels would crash the interpreter.
    depth = 100_000
    problems = problems_of(tmp_path, "[" * depth + "]" * depth)
    assert problems == [
        f"{NAME}:1: values nested more than 50 levels deep; a dossier file nests a few levels at most"
    ]


# --- what is read, and as what -------------------------------------------------------------


def test_only_true_and_false_are_booleans(tmp_path: Path) -> None:
    data = read_text(
        tmp_path,
        "a: true\nb: false\nc: yes\nd: no\ne: on\nf: off\ng: y\nh: n\ni: True\nj: FALSE\n",
    )
    assert data == {
        "a": True,
        "b": False,
        "c": "yes",
        "d": "no",
        "e": "on",
        "f": "off",
        "g": "y",
        "h": "n",
        "i": True,
        "j": False,
    }


def test_country_no_stays_norway(tmp_path: Path) -> None:
    assert read_text(tmp_path, "country: NO\n") == {"country": "NO"}


def test_dates_and_times_stay_text(tmp_path: Path) -> None:
    data = read_text(
        tmp_path, "start: 2017-02-30\nend: 2027-01-01\nreceived: 2017-11-10T11:58:03+01:00\n"
    )
    assert data == {
        "start": "2017-02-30",
        "end": "2027-01-01",
        "received": "2017-11-10T11:58:03+01:00",
    }


def test_numbers_are_exact(tmp_path: Path) -> None:
    data = read_text(tmp_path, "a: 7.99\nb: 8\nc: 0.1\nd: -2.50\ne: 010\nf: 1e3\ng: .5\nh: 0x1F\n")
    assert data == {
        "a": Decimal("7.99"),
        "b": 8,
        "c": Decimal("0.1"),
        "d": Decimal("-2.50"),
        "e": "010",
        "f": "1e3",
        "g": ".5",
        "h": "0x1F",
    }
    assert isinstance(data, dict)
    assert type(data["b"]) is int
    assert str(data["d"]) == "-2.50"


def test_null_and_empty(tmp_path: Path) -> None:
    assert read_text(tmp_path, "a:\nb: ~\nc: null\nd: ''\n") == {
        "a": None,
        "b": None,
        "c": None,
        "d": "",
    }


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert read_text(tmp_path, "\ufeffreference: X\nname: Jos\u00e9\n".encode()) == {
        "reference": "X",
        "name": "Jos\u00e9",
    }


def test_empty_file_is_none(tmp_path: Path) -> None:
    assert read_text(tmp_path, "# only a comment\n") is None


def test_lines_of_values(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "# comment\nsub_criteria:\n  - id: a\n    weight: 50\n  - id: b\n    weight: 50\n",
        encoding="utf-8",
    )
    document = read_yaml(path, display="x.yaml", limit=CRITERIA_FILE_BYTES)
    assert document.line_of(("sub_criteria",)) == 2
    assert document.line_of(("sub_criteria", 1)) == 5
    assert document.line_of(("sub_criteria", 1, "weight")) == 6
    # A path that is not in the file falls back to its deepest part that is.
    assert document.line_of(("sub_criteria", 1, "max_pages")) == 5


# --- properties ----------------------------------------------------------------------------

YAML_PIECES = [
    "a",
    "key",
    ": ",
    ":",
    " ",
    "  ",
    "\n",
    "\r\n",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&x ",
    "*x",
    "!!int ",
    "!!python/object/apply:os.system ",
    "!t ",
    "'",
    '"',
    "# c",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "\t",
    "? ",
    "yes",
    "1.5",
    "-7",
    "2017-02-30",
    "~",
    "%YAML 1.1\n",
    "<<: ",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
    "\u00e9",
    "\\",
]

yaml_like = st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join)
FAST = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FAST
@given(text=st.one_of(st.text(max_size=200), yaml_like))
def test_any_text_gives_data_or_placed_problems(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    folder = tmp_path_factory.mktemp("fuzz", numbered=True)
    try:
        read_text(folder, text)
    except DossierError as error:
        assert error.problems
        assert all(_placed(problem) for problem in error.problems), error.problems


@FAST
@given(raw=st.binary(max_size=200))
def test_any_bytes_give_data_or_placed_problems(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    folder = tmp_path_factory.mktemp("fuzz", numbered=True)
    try:
        read_text(folder, raw)
    except DossierError as error:
        assert error.problems
        assert all(_placed(problem) for problem in error.problems), error.problems


def _placed(problem: Problem) -> bool:
    return problem.file == NAME and problem.line is not None and problem.line >= 1


decimal_text = st.builds(
    lambda sign, whole, fraction: f"{sign}{whole}.{fraction}",
    st.sampled_from(["", "-", "+"]),
    st.integers(min_value=0, max_value=10**15),
    st.text(alphabet="0123456789", min_size=1, max_size=15),
)


@FAST
@given(written=decimal_text)
def test_decimals_come_back_with_the_digits_written(
    tmp_path_factory: pytest.TempPathFactory, written: str
) -> None:
    folder = tmp_path_factory.mktemp("decimal", numbered=True)
    data = read_text(folder, f"weight: {written}\n")
    assert isinstance(data, dict)
    value = data["weight"]
    assert isinstance(value, Decimal)
    assert value == Decimal(written)
    assert format(value, "f") == written.removeprefix("+")


@FAST
@given(number=st.integers(min_value=-(10**30), max_value=10**30))
def test_integers_come_back_as_int(tmp_path_factory: pytest.TempPathFactory, number: int) -> None:
    folder = tmp_path_factory.mktemp("int", numbered=True)
    assert read_text(folder, f"n: {number}\n") == {"n": number}


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 12)]
    problems = problems_of(tmp_path, "\n".join(levels) + "\n")
    assert problems[0] == f"{NAME}:1: anchor '&a0' is not allowed; write each value out in full"
    assert len(problems) == 12 + 11 * 10
