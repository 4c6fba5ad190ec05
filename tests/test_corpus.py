"""Every broken dossier of the corpus is handled: placed messages, no traceback, nothing written.

tests/corpus.py says what each kind of mutation must lead to. Here every mutation runs
against ``tender check`` and ``tender run`` and one more command, in turn, so that every
command meets its share of the corpus; ``scripts/robustness.py`` runs every mutation against
every command.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.corpus import (
    KINDS,
    ON_THE_BASE,
    baseline,
    build_base,
    check_mutation,
    commands,
    copy_dossier,
    mutations,
    rotating,
)

CORPUS = mutations()
COMMANDS = commands()
ALWAYS = ("check", "run")
OTHERS = [command for command in COMMANDS if command.name not in ALWAYS]


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small example every mutation starts from, built once per test process."""
    return build_base(tmp_path_factory.mktemp("corpus") / "base")


def test_the_corpus_holds_every_kind_of_break() -> None:
    kinds = Counter(mutation.kind for mutation in CORPUS)
    assert len(CORPUS) >= 150
    assert set(kinds) == set(KINDS)
    assert kinds["dossier"] >= 150
    assert min(kinds.values()) >= 3
    assert len({mutation.name for mutation in CORPUS}) == len(CORPUS)


def test_every_command_of_the_cli_is_run_against_the_corpus() -> None:
    """A command added to the CLI must be given its exit code on the intact base here."""
    assert {command.name for command in COMMANDS} == set(ON_THE_BASE)
    assert all(name in ON_THE_BASE for name in ALWAYS)


def test_on_the_intact_base_every_command_exits_as_recorded(base: Path, tmp_path: Path) -> None:
    assert baseline(base, tmp_path, COMMANDS) == ON_THE_BASE


def sample(name: str, index: int) -> set[str]:
    """The commands a mutation meets here: check, run, and one more in turn.

    'tender run' renders letters and the report, so it costs a second where a broken dossier
    fails at once; hostile text on its own (the '-everything' mutations carry it all at
    once) meets the terminal tables of bids and decide instead.
    """
    mutation = next(m for m in CORPUS if m.name == name)
    if mutation.kind == "finding":
        return {"check", "run", "bids"}
    if mutation.formulas:  # every kind of CSV file: decisions, the exports, the score sheet
        return {"check", "decide", "export csv", "score export"}
    if mutation.unprinted:
        return {"check", "history", "consensus show"}
    if mutation.kind == "content":
        heavy = name.endswith("everything") or name.startswith("content-file")
        return {"check", "run" if heavy else "decide", "bids"}
    return {*ALWAYS, *(command.name for command in rotating(OTHERS, index, 1))}


@pytest.mark.parametrize("index", range(len(CORPUS)), ids=[m.name for m in CORPUS])
def test_a_broken_dossier_is_handled(base: Path, tmp_path: Path, index: int) -> None:
    mutation = CORPUS[index]
    chosen = [command for command in COMMANDS if command.name in sample(mutation.name, index)]

    checked = check_mutation(mutation, base, tmp_path, chosen, ON_THE_BASE)

    assert not checked.failures, "\n\n".join(checked.failures)
    assert sum(checked.runs.get(kind, 0) for kind in KINDS) >= 1


REAL = {
    "award-python-tag": ("check", 1, "criteria/award.yaml:8: scale[0].label: YAML tag"),
    "bid-not-utf8": ("bids", 1, "submissions/bid-002/bid.yaml:3: byte 0xe9 is not UTF-8"),
    "record-lines-swapped": ("decide", 3, "error: scores/ledger.jsonl:2: entry 3"),
    "record-rule-non-member": (
        "verify",
        3,
        "error: scores/ledger.jsonl:145: entry 145 (sealed-score by 'mallory'): 'mallory' is "
        "not a member of the committee",
    ),
    "frozen-bidder-renamed": (
        "decide",
        3,
        "error: 1 file differs from what was opened (entry 1, 2017-11-10 13:00 UTC)",
    ),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_a_real_process_ends_with_the_message_and_no_traceback(
    base: Path, tmp_path: Path, name: str
) -> None:
    """The same, in a process of its own as a user starts it: exit code and stderr only."""
    command, code, start = REAL[name]
    (mutation,) = [mutation for mutation in CORPUS if mutation.name == name]
    root = copy_dossier(base, tmp_path / "dossier")
    mutation.apply(root)

    result = subprocess.run(
        [sys.executable, "-m", "tender", command, "--dossier", str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode == code, result.stderr
    assert result.stderr.startswith(start), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (root / "reports").exists()
