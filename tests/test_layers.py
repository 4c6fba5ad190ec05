"""The layers of the code, as pyproject.toml's import contracts state them, hold.

The contracts (import-linter) say that each layer of ``tender`` imports only from the
layers below it, and that no stage below the terminal draws on the screen or reads
the command line. The suite runs them on the code, and on a copy of the code with
one import that breaks each, so that a contract that could never fail is noticed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter on the package under ``root``, with ``root``'s pyproject.toml."""
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "NO_COLOR": "1"},
    )


def test_every_contract_is_kept() -> None:
    result = lint(REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken", "named"),
    [
        pytest.param(
            "tender/domain/models.py",
            "from tender.record import ledger",
            "each layer imports only from the layers below it BROKEN",
            "tender.domain.models -> tender.record.ledger",
            id="domain-imports-the-record",
        ),
        pytest.param(
            "tender/present/letters.py",
            "from tender.terminal import console",
            "each layer imports only from the layers below it BROKEN",
            "tender.present.letters -> tender.terminal.console",
            id="a-letter-imports-the-terminal",
        ),
        pytest.param(
            "tender/bids/validity.py",
            "import rich.console",
            "only the terminal, the commands and the CLI talk to a person BROKEN",
            "tender.bids.validity -> rich",
            id="a-stage-draws-on-the-screen",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, broken: str, named: str
) -> None:
    shutil.copytree(REPO_ROOT / "tender", tmp_path / "tender")
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout
    assert named in result.stdout
