"""The repository stays clean under its own linters: ruff, the formatter and strict mypy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

TOOLS = [
    pytest.param(["ruff", "check", "--no-cache", "."], id="ruff-check"),
    pytest.param(["ruff", "format", "--check", "--no-cache", "."], id="ruff-format"),
    pytest.param(["mypy"], id="mypy-strict"),  # files and strictness from pyproject.toml
]


@pytest.mark.parametrize("command", TOOLS)
def test_tool_is_clean(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}{result.stderr}"
