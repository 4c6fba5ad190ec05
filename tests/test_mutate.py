"""scripts/mutate.py on a throwaway module: the mutants it makes, tests telling them apart, the file back.

A tiny module (a ``>=`` threshold that raises on late bids), a strong or a weak test for it
and a git repository holding both are written into ``tmp_path``; the tool runs there as a
subprocess, as a developer would run it. The real code is never touched. The tool's pytest
runs load no plugins (``PYTEST_DISABLE_PLUGIN_AUTOLOAD``), so each takes a fraction of a second.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "scripts" / "mutate.py"
sys.path.insert(0, str(ROOT / "scripts"))
import mutate  # noqa: E402  (scripts/ is not a package)

RULES = '''"""Whether a score passes; a late bid is not scored at all."""


def passes(score: int, late: bool = False) -> bool:
    if late:
        raise ValueError("late")
    return score >= 6
'''

STRONG = """import pytest

from rules import passes


def test_six_passes_five_fails_late_raises() -> None:
    assert passes(6)
    assert not passes(5)
    with pytest.raises(ValueError):
        passes(6, late=True)
"""

WEAK = """from rules import passes


def test_six_passes_five_fails() -> None:
    assert passes(6)
    assert not passes(5)
"""

SLOW = """import time

from rules import passes


def test_slow_when_six_fails() -> None:
    if not passes(6):
        time.sleep(60)
"""


def _repository(root: Path, tests: str) -> None:
    """``rules.py`` and ``test_rules.py`` in ``root``, committed to a git repository of their own."""
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (root / "rules.py").write_text(RULES, encoding="utf-8")
    (root / "test_rules.py").write_text(tests, encoding="utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    git += ["-c", "commit.gpgsign=false"]
    for words in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "rules"]):
        subprocess.run([*git, *words], check=True, capture_output=True)


def _environment() -> dict[str, str]:
    return dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")


def _tool(root: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), "--module", "rules.py", "--tests", "test_rules.py", *words],
        cwd=root,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _untouched(root: Path) -> None:
    assert (root / "rules.py").read_bytes() == RULES.encode()
    assert not (root / "rules.py.mutate-backup").exists()
    assert not list(root.glob("__pycache__/rules.*.pyc"))
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--", "rules.py"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""


def test_it_makes_each_kind_of_mutant_and_leaves_docstrings_annotations_and_fstrings() -> None:
    source = '''"""Docstring with < and 1 and True."""

LIMIT: Literal[3] = 3


def pick(items: list[int], strict: bool = True) -> int | None:
    """Docstring: x == 1."""
    if not (items and items[0] != 0) or 7 in items:
        return None
    if strict and len(items) > 1 and items[-1] not in (2,):
        raise ValueError(f"{len(items) == 2}")
    return items[0] if items[0] <= 9 else False
'''
    found = [(m.line, m.kind, m.mutated_line) for m in mutate.find_mutants(source.encode())]
    assert found == [
        (3, "int 3 -> 4", "LIMIT: Literal[3] = 4"),
        (6, "True -> False", "def pick(items: list[int], strict: bool = False) -> int | None:"),
        (8, "remove not", "if (items and items[0] != 0) or 7 in items:"),
        (8, "boolean and -> or", "if not (items or items[0] != 0) or 7 in items:"),
        (8, "int 0 -> 1", "if not (items and items[1] != 0) or 7 in items:"),
        (8, "compare != -> ==", "if not (items and items[0] == 0) or 7 in items:"),
        (8, "int 0 -> 1", "if not (items and items[0] != 1) or 7 in items:"),
        (8, "boolean or -> and", "if not (items and items[0] != 0) and 7 in items:"),
        (8, "int 7 -> 8", "if not (items and items[0] != 0) or 8 in items:"),
        (8, "compare in -> not in", "if not (items and items[0] != 0) or 7 not in items:"),
        (10, "boolean and -> or", "if strict or len(items) > 1 or items[-1] not in (2,):"),
        (10, "compare > -> >=", "if strict and len(items) >= 1 and items[-1] not in (2,):"),
        (10, "int 1 -> 2", "if strict and len(items) > 2 and items[-1] not in (2,):"),
        (10, "int 1 -> 2", "if strict and len(items) > 1 and items[-2] not in (2,):"),
        (10, "compare not in -> in", "if strict and len(items) > 1 and items[-1] in (2,):"),
        (10, "int 2 -> 3", "if strict and len(items) > 1 and items[-1] not in (3,):"),
        (11, "raise -> pass", "pass"),
        (12, "int 0 -> 1", "return items[1] if items[0] <= 9 else False"),
        (12, "int 0 -> 1", "return items[0] if items[1] <= 9 else False"),
        (12, "compare <= -> <", "return items[0] if items[0] < 9 else False"),
        (12, "int 9 -> 10", "return items[0] if items[0] <= 10 else False"),
        (12, "False -> True", "return items[0] if items[0] <= 9 else True"),
    ]
    # Every mutant changes exactly what it names and nothing else.
    for mutant in mutate.find_mutants(source.encode()):
        changed = mutant.apply(source.encode()).decode().splitlines()
        assert [line for line in changed if line not in source.splitlines()] == [
            " " * (len(changed[mutant.line - 1]) - len(mutant.mutated_line)) + mutant.mutated_line
        ]


def test_a_sample_is_spread_over_the_module() -> None:
    mutants = mutate.find_mutants(("x = [" + ", ".join(map(str, range(20))) + "]\n").encode())
    assert [mutant.number for mutant in mutate.spread(mutants, 4)] == [3, 8, 13, 18]
    assert mutate.spread(mutants, 50) == mutants


def test_a_strong_test_kills_every_mutant(tmp_path: Path) -> None:
    _repository(tmp_path, STRONG)
    done = _tool(tmp_path, "--json", "results.json")
    assert done.returncode == 0, done.stderr
    assert "rules.py: 4 mutants, 4 killed (0 by timeout), 0 survived; survival rate 0.0%" in (
        done.stdout
    )
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert (results["mutants"], results["killed"], results["survived"]) == (4, 4, 0)
    assert [result["kind"] for result in results["results"]] == [
        "False -> True",
        "raise -> pass",
        "compare >= -> >",
        "int 6 -> 7",
    ]
    _untouched(tmp_path)


def test_a_weak_test_lets_the_mutant_it_misses_survive(tmp_path: Path) -> None:
    _repository(tmp_path, WEAK)
    done = _tool(tmp_path, "--json", "results.json")
    assert done.returncode == 0, done.stderr
    assert "rules.py: 4 mutants, 3 killed (0 by timeout), 1 survived; survival rate 25.0%" in (
        done.stdout
    )
    survivors = done.stdout.split("survivors:\n")[1].split("\nrules.py:")[0]
    assert survivors.splitlines() == [
        "  rules.py:6: #2 raise -> pass",
        '      raise ValueError("late")',
        "   -> pass",
    ]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert [(r["line"], r["status"]) for r in results["results"]] == [
        (4, "killed"),
        (6, "survived"),
        (7, "killed"),
        (7, "killed"),
    ]
    assert results["survival_rate"] == 0.25
    _untouched(tmp_path)


def test_a_mutant_that_hangs_counts_as_killed_but_is_listed(tmp_path: Path) -> None:
    _repository(tmp_path, SLOW)
    done = _tool(tmp_path, "--timeout", "2", "--only", "3")
    assert done.returncode == 0, done.stderr
    assert "1 mutants, 1 killed (1 by timeout), 0 survived" in done.stdout
    assert "timeouts (counted as killed):\n  rules.py:7: #3 compare >= -> >" in done.stdout
    _untouched(tmp_path)


def test_it_refuses_a_module_with_uncommitted_changes(tmp_path: Path) -> None:
    _repository(tmp_path, STRONG)
    changed = RULES + "\nLIMIT = 3\n"
    (tmp_path / "rules.py").write_text(changed, encoding="utf-8")
    done = _tool(tmp_path)
    assert done.returncode == 2
    assert "rules.py has changes git does not have" in done.stderr
    assert (tmp_path / "rules.py").read_text(encoding="utf-8") == changed
    (tmp_path / "other.py").write_text(RULES, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("other.py\n", encoding="utf-8")
    done = _tool(tmp_path, "--module", "other.py")
    assert done.returncode == 2
    assert "other.py is not committed to git" in done.stderr


def test_sigterm_while_a_mutant_is_tested_puts_the_original_back(tmp_path: Path) -> None:
    _repository(tmp_path, SLOW)
    tool = subprocess.Popen(
        [
            sys.executable,
            str(TOOL),
            "--module",
            "rules.py",
            "--tests",
            "test_rules.py",
            "--only",
            "3",
        ],
        cwd=tmp_path,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while (tmp_path / "rules.py").read_bytes() == RULES.encode():
            assert time.monotonic() < deadline, "no mutant was ever written"
            time.sleep(0.05)
        time.sleep(0.5)  # the mutant's pytest is running (and sleeping)
        tool.send_signal(signal.SIGTERM)
        assert tool.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        if tool.poll() is None:
            tool.kill()
            tool.wait()
    _untouched(tmp_path)


def test_a_backup_left_by_a_killed_run_is_put_back_first(tmp_path: Path) -> None:
    _repository(tmp_path, STRONG)
    (tmp_path / "rules.py").write_text(RULES.replace(">=", ">"), encoding="utf-8")
    (tmp_path / "rules.py.mutate-backup").write_bytes(RULES.encode())
    done = _tool(tmp_path, "--list")
    assert done.returncode == 0, done.stderr
    assert "left by an interrupted run" in done.stderr
    assert "4 of 4 mutants" in done.stdout
    _untouched(tmp_path)


_ARGUMENTS = [sys.executable, str(TOOL), "--module", "rules.py", "--tests", "test_rules.py"]


def test_a_second_run_or_list_while_a_run_is_mutating_is_refused(tmp_path: Path) -> None:
    _repository(tmp_path, SLOW)
    tool = subprocess.Popen(
        [*_ARGUMENTS, "--only", "3"],
        cwd=tmp_path,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while (tmp_path / "rules.py").read_bytes() == RULES.encode():
            assert time.monotonic() < deadline, "no mutant was ever written"
            time.sleep(0.05)
        mutant = (tmp_path / "rules.py").read_bytes()
        assert (tmp_path / "rules.py.mutate-backup").exists()
        for words in (["--list"], []):
            done = _tool(tmp_path, *words)
            assert done.returncode == 2, done.stdout
            assert "another run of mutate.py is using rules.py" in done.stderr
            assert "left by an interrupted run" not in done.stderr
            # The running run's mutant and backup are as it left them.
            assert (tmp_path / "rules.py").read_bytes() == mutant
            assert (tmp_path / "rules.py.mutate-backup").read_bytes() == RULES.encode()
        tool.send_signal(signal.SIGTERM)
        assert tool.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        if tool.poll() is None:
            tool.kill()
            tool.wait()
    _untouched(tmp_path)
    done = _tool(tmp_path, "--list")  # the lock went with the run
    assert done.returncode == 0, done.stderr
    assert "4 of 4 mutants" in done.stdout
