"""No command shows one evaluator another's individual scores during the individual phase.

Every command the CLI has (found by walking it, so a new command is covered the
day it is added) is run as each evaluator, as nobody, and with --json, with its
arguments filled in from its parameters. Each evaluator's motivations and
reasons carry a marker; no output, and no exported file, may hold a marker of
anyone but those the viewer may read: their own, and for the chair, who prepares
the consensus meeting, everyone's (``Committee.readers``: the record seals each
score for its author and the chair). The viewer's own markers must show up where
their own scores are listed, and the chair must see the others' in the history,
so the sweep cannot pass by refusing everything.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import Result

from tender.cli import cli
from tender.io.loader import load_dossier
from tests.conftest import DossierFactory
from tests.keys import acting_recorder
from tests.scoring_fixtures import CHAIR, EVALUATORS, committee_root

Run = Callable[..., Result]
ARGUMENTS = {
    "bid": "bid-001",
    "sub_criterion": "criterion-1",
    "value": "8",
    "requirement": "referenties",
    "target": "consensus",
}
OPTIONS = {"motivation": "probe", "reason": "probe", "sent": "2026-12-01"}


def marker(evaluator: str) -> str:
    return f"SECRET-{evaluator}"


def leaf_commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*path, name))


def words_for(
    path: tuple[str, ...], command: click.Command, root: Path, viewer: str | None, work: Path
) -> list[str]:
    words = list(path)
    for param in command.params:
        name = param.name or ""
        if isinstance(param, click.Argument):
            if name == "file":
                words.append(str(work / ("sheet.csv" if "import" in path else f"out-{viewer}.csv")))
            elif name == "directory":
                words.append(str(work / f"new-{viewer}"))
            elif name in ARGUMENTS:
                words.append(ARGUMENTS[name])
        elif name == "dossier":
            words += ["--dossier", str(root)]
        elif name in ("evaluator", "by") and viewer is not None:
            words += [f"--{name}", viewer]
        elif name in OPTIONS:
            words += [f"--{name}", OPTIONS[name]]
    return words


def other_scores(data: Any, readable: set[str]) -> Iterator[Any]:
    """Objects in JSON output that are an individual score by someone not in ``readable``."""
    if isinstance(data, dict):
        if "score" in data and "by" in data and data["by"] not in readable:
            yield data
        for value in data.values():
            yield from other_scores(value, readable)
    elif isinstance(data, list):
        for value in data:
            yield from other_scores(value, readable)


@pytest.fixture
def root(make_dossier: DossierFactory) -> Path:
    """Every evaluator has scored bid-001 (and changed one score); the rest is open."""
    path = committee_root(make_dossier)
    recorder = acting_recorder(load_dossier(path))
    for person in EVALUATORS:
        for sub, value in (("criterion-1", 4), ("criterion-2", 10)):
            recorder.record_score(
                person, "bid-001", sub, score=Decimal(value), motivation=f"{marker(person)} {sub}"
            )
        recorder.record_score(
            person,
            "bid-001",
            "criterion-1",
            score=Decimal(6),
            motivation=f"{marker(person)} again",
            reason=f"{marker(person)} reason",
        )
    return path


def test_no_command_shows_another_evaluators_scores_in_the_individual_phase(
    root: Path, run_cli: Run, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "sheet.csv").write_text(
        "bid,sub_criterion,score,motivation\nbid-001,criterion-1,8,probe\n", encoding="utf-8"
    )
    commands = list(leaf_commands(cli))
    committee = load_dossier(root).committee
    own_seen: dict[str, set[str]] = {person: set() for person in EVALUATORS}
    others_seen: dict[str, set[str]] = {person: set() for person in EVALUATORS}
    ran = 0
    for viewer in (*EVALUATORS, None):
        readable = {person for person in EVALUATORS if viewer in committee.readers(person)}
        assert readable == (set(EVALUATORS) if viewer == CHAIR else {viewer} - {None})
        for path, command in commands:
            words = words_for(path, command, root, viewer, work)
            variants = [words]
            if any(param.name == "as_json" for param in command.params):
                variants.append([*words, "--json"])
            for typed in variants:
                result = run_cli(*typed, input="r\nq\n")
                ran += 1
                shown = result.output + result.stderr
                for file in work.glob(f"out-{viewer}.*"):
                    shown += file.read_text(encoding="utf-8")
                    file.unlink()
                for person in EVALUATORS:
                    if person not in readable:
                        assert marker(person) not in shown, (viewer, typed, shown)
                if viewer is not None and marker(viewer) in shown:
                    own_seen[viewer].add(" ".join(path))
                if viewer is not None and any(
                    marker(person) in shown for person in EVALUATORS if person != viewer
                ):
                    others_seen[viewer].add(" ".join(path))
                if "--json" in typed and result.exit_code == 0:
                    assert not list(other_scores(json.loads(result.stdout), readable)), typed

    recorder = acting_recorder(load_dossier(root))
    assert recorder.book.phase == "individual"  # the sweep did not move on by itself
    assert ran > 4 * len(commands)
    for person in EVALUATORS:
        assert {"score", "score show", "score export", "history"} <= own_seen[person], person
    assert "history" in others_seen[CHAIR]
