"""The command line as a committee member uses it: exit codes, streams, help and colour."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import Result

from tender import __version__
from tender.cli import cli
from tender.domain.errors import DossierError, ExitCode
from tests.conftest import REPO_ROOT, DossierFactory
from tests.helpers import A, B, C, edit, snapshot
from tests.keys import keyed

RunCli = Callable[..., Result]

CRITERIA_MISSING = (
    "criteria/: folder is missing; expected procedure.yaml, committee.yaml, suitability.yaml "
    "and award.yaml in it ('tender init' writes them)"
)


# --- check and run on a dossier ----------------------------------------------------------------


def test_check_clean_dossier(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    root = make_dossier()
    before = snapshot(root)
    result = run_cli("check", "--dossier", str(root))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "REF-0000-00 · Title of the tender" in result.stdout
    assert re.search(r"Bids +1 *\n", result.stdout), result.stdout
    assert re.search(r"Threshold +weighted mean >= 8 *\n", result.stdout), result.stdout
    assert result.stdout.endswith("✓ 1 bid; the dossier has no problems.\n")
    assert snapshot(root) == before


def test_run_clean_dossier(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    root = make_dossier()
    before = snapshot(root)
    result = run_cli("run", "-d", str(root))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.endswith(
        "Not decided yet: the evaluation is in the individual phase.\n1 bid · 1 pending · not decided yet\n"
    )
    after = {
        path: content
        for path, content in snapshot(root).items()
        if not path.startswith(".tender-cache")
    }
    assert after == before


def test_run_broken_dossier(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    root = make_dossier(edit(C, ("chair: evaluator-1", "chair: evaluator-9")))
    result = run_cli("run", "-d", str(root))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "criteria/committee.yaml:2: chair: the chair 'evaluator-9' is not one of the "
        "evaluators: evaluator-1, evaluator-2, evaluator-3 (a chair who does not score is "
        "listed under officers:)",
        "1 problem found; nothing was written.",
    ]


def test_check_json_clean_dossier(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    result = run_cli("check", "--json", "--dossier", str(make_dossier()))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert data["problems"] == []
    summary = data["summary"]
    assert summary["bids"] == 1
    assert summary["evaluators"] == 3
    assert summary["chair"] == "First Evaluator"
    assert summary["deadline"] == "2026-11-10T12:00:00+01:00"
    assert summary["scale"] == ["0", "2", "4", "6", "8", "10"]
    assert [sub["weight"] for sub in summary["sub_criteria"]] == ["50", "50"]
    assert summary["threshold"] == ["weighted mean >= 8"]
    assert summary["mandatory_documents"] == ["kwaliteitsplan", "uea"]


def test_check_json_broken_dossier(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    files = {
        **edit(A, ("weight: 50", "wieght: 50")),
        **edit(B, ("received: 2026-11-09T10:15:00+01:00", "received: 2026-11-09T10:15:00")),
    }
    root = make_dossier(files)
    before = snapshot(root)
    result = run_cli("check", "--json", "--dossier", str(root))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "ok": False,
        "problems": [
            {
                "file": A,
                "line": 25,
                "field": "sub_criteria[0].weight",
                "message": "required field is missing",
            },
            {
                "file": A,
                "line": 28,
                "field": "sub_criteria[0].wieght",
                "message": "unknown field 'wieght' (did you mean 'weight'?); expected one of: "
                "id, title, description, weight, max_pages",
            },
            {
                "file": B,
                "line": 11,
                "field": "received",
                "message": "expected a timestamp with its time-zone offset, such as "
                "2017-11-10T11:58:03+01:00, found '2026-11-09T10:15:00'",
            },
        ],
    }
    assert snapshot(root) == before


def test_check_json_problem_without_line(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("check", "--json", "--dossier", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout) == {
        "ok": False,
        "problems": [
            {
                "file": "criteria/",
                "line": None,
                "field": None,
                "message": CRITERIA_MISSING.removeprefix("criteria/: "),
            }
        ],
    }


@pytest.mark.parametrize("command", ["check", "run"])
def test_missing_dossier_folder_is_a_usage_error(
    tmp_path: Path, run_cli: RunCli, command: str
) -> None:
    result = run_cli(command, "--dossier", str(tmp_path / "nowhere"))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.endswith(
        f"Error: Invalid value for '--dossier' / '-d': Directory '{tmp_path / 'nowhere'}' "
        "does not exist.\n"
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("command", ["check", "run"])
def test_folder_without_criteria(tmp_path: Path, run_cli: RunCli, command: str) -> None:
    result = run_cli(command, "--dossier", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert result.stderr == f"{CRITERIA_MISSING}\n1 problem found; nothing was written.\n"
    assert list(tmp_path.iterdir()) == []


def test_dossier_from_environment(
    make_dossier: DossierFactory, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = make_dossier(edit(C, ("chair: evaluator-1", "chair: evaluator-9")))
    monkeypatch.chdir(tmp_path)  # the default, the current folder, has no dossier
    monkeypatch.setenv("TENDER_DOSSIER", str(root))
    result = run_cli("check")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "criteria/committee.yaml:2: chair: the chair 'evaluator-9' is not one of the "
        "evaluators: evaluator-1, evaluator-2, evaluator-3 (a chair who does not score is "
        "listed under officers:)",
        "1 problem found; nothing was written.",
    ]


def test_option_wins_over_environment(
    make_dossier: DossierFactory, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TENDER_DOSSIER", str(tmp_path / "nowhere"))
    result = run_cli("check", "--dossier", str(make_dossier()), "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert not (tmp_path / "nowhere").exists()
    data = json.loads(result.stdout)
    assert (data["ok"], data["problems"], data["summary"]["bids"]) == (True, [], 1)
    assert "nowhere" not in result.output


def test_current_folder_is_the_default(
    make_dossier: DossierFactory, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TENDER_DOSSIER", raising=False)
    monkeypatch.chdir(make_dossier())
    result = run_cli("check")
    assert result.exit_code == 0, result.output
    assert "1 bid; the dossier has no problems." in result.stdout


# --- init --------------------------------------------------------------------------------------

INIT_FILES = [
    ".gitignore",
    "criteria/award.yaml",
    "criteria/committee.yaml",
    "criteria/procedure.yaml",
    "criteria/suitability.yaml",
    "reports/.gitkeep",
    "scores/.gitkeep",
    "submissions/.gitkeep",
]


INIT_MEMBERS = [(4, 0, "evaluator-1"), (7, 1, "evaluator-2"), (10, 2, "evaluator-3")]
"""The members of the committee 'init' writes: the line of their id, their index and id."""


def no_key(member: str) -> str:
    return (
        f"{member} has no public key; every member signs what they record. {member} runs "
        f"'tender key new --evaluator {member}' and the line it prints is added here as key:"
    )


def missing_key(line: int, index: int, member: str) -> str:
    return f"criteria/committee.yaml:{line}: evaluators[{index}].id: {no_key(member)}"


def test_init_then_check(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "tenders" / "thuisondersteuning"
    result = run_cli("init", str(target))
    assert result.exit_code == 0, result.output
    assert [line.strip() for line in result.stdout.splitlines()[1:-1]] == INIT_FILES
    written = sorted(
        path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file()
    )
    assert written == INIT_FILES
    assert [path.name for path in target.parent.iterdir()] == ["thuisondersteuning"]

    # The committee 'init' writes has no keys yet: check names each member without one.
    unkeyed = run_cli("check", "-d", str(target))
    assert unkeyed.exit_code == 1, unkeyed.output
    assert unkeyed.stdout == ""
    assert unkeyed.stderr.splitlines() == [
        *(missing_key(line, index, member) for line, index, member in INIT_MEMBERS),
        "3 problems found; nothing was written.",
    ]

    # Each member makes a key pair and the chair adds the line it prints under the member.
    monkeypatch.setenv("TENDER_KEYS", str(tmp_path / "keys"))
    committee = target / "criteria" / "committee.yaml"
    for _, _, member in INIT_MEMBERS:
        made = run_cli("key", "new", "--evaluator", member, "--example")
        assert made.exit_code == 0, made.output
        assert (tmp_path / "keys" / f"{member}.key").is_file()
        key_line = made.stdout.splitlines()[-1]
        assert re.fullmatch(r"    key: ed25519:[A-Za-z0-9+/]{43}=", key_line), made.stdout
        text = committee.read_text(encoding="utf-8")
        at = text.index("\n", text.index(f"  - id: {member}"))
        at = text.index("\n", text.index("    role:", at)) + 1
        committee.write_text(text[:at] + key_line + "\n" + text[at:], encoding="utf-8")

    checked = run_cli("check", "-d", str(target))
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.endswith("✓ 0 bids; the dossier has no problems.\n")
    as_json = run_cli("check", "--json", "-d", str(target))
    assert json.loads(as_json.stdout)["summary"]["bids"] == 0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_init_gives_the_folder_the_usual_permissions(tmp_path: Path, run_cli: RunCli) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    target = tmp_path / "new"
    result = run_cli("init", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Created a dossier in {target} with:\n")
    assert target.stat().st_mode & 0o777 == 0o777 & ~umask


def test_init_into_existing_empty_folder(tmp_path: Path, run_cli: RunCli) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    result = run_cli("init", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == f"Created a dossier in {target} with:"
    assert [line.strip() for line in lines[1:-1]] == INIT_FILES
    assert lines[-1] == (
        f"Next: fill in {target}/criteria/*.yaml, then run 'tender check -d {target}'."
    )
    written = sorted(
        path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file()
    )
    assert written == INIT_FILES
    unkeyed = run_cli("check", "--json", "-d", str(target))
    assert unkeyed.exit_code == 1, unkeyed.output
    assert json.loads(unkeyed.stdout)["problems"] == [
        {
            "file": "criteria/committee.yaml",
            "line": line,
            "field": f"evaluators[{index}].id",
            "message": no_key(member),
        }
        for line, index, member in INIT_MEMBERS
    ]
    committee = target / "criteria" / "committee.yaml"
    committee.write_text(keyed(committee.read_text(encoding="utf-8")), encoding="utf-8")
    checked = run_cli("check", "-d", str(target))
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.endswith("✓ 0 bids; the dossier has no problems.\n")


def test_init_into_non_empty_folder_touches_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    target = tmp_path / "existing"
    (target / "criteria").mkdir(parents=True)
    (target / "criteria" / "award.yaml").write_text("# ours\n", encoding="utf-8")
    (target / "notes.txt").write_text("keep me\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_cli("init", str(target))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr == (
        f"error: {target} already exists and is not empty; nothing was written\n"
    )
    assert snapshot(tmp_path) == before


def test_init_onto_a_file(tmp_path: Path, run_cli: RunCli) -> None:
    target = tmp_path / "dossier.txt"
    target.write_text("x\n", encoding="utf-8")
    result = run_cli("init", str(target))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.endswith(
        f"Error: Invalid value for 'DIRECTORY': Directory '{target}' is a file.\n"
    )
    assert target.read_text(encoding="utf-8") == "x\n"
    assert [path.name for path in tmp_path.iterdir()] == ["dossier.txt"]


# --- failures that are not the user's: --debug, bugs and Ctrl-C ---------------------------------


def _raise(error: BaseException) -> Callable[..., object]:
    def stage(*_args: object, **_kwargs: object) -> object:
        raise error

    return stage


def test_bug_gives_exit_70_without_traceback(
    make_dossier: DossierFactory, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tender.app.summary.summarize", _raise(RuntimeError("boom")))
    result = run_cli("check", "-d", str(make_dossier()))
    assert result.exit_code == 70  # ExitCode.INTERNAL, as documented
    assert "Traceback" not in result.output
    assert result.stderr.startswith("internal error: RuntimeError: boom\n")
    assert "--debug" in result.stderr


def test_debug_lets_the_bug_through(
    make_dossier: DossierFactory, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tender.app.summary.summarize", _raise(RuntimeError("boom")))
    with pytest.raises(RuntimeError, match="boom"):
        run_cli("--debug", "check", "-d", str(make_dossier()))


def test_debug_lets_dossier_problems_through(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    root = make_dossier(edit(C, ("chair: evaluator-1", "chair: evaluator-9")))
    with pytest.raises(DossierError) as caught:
        run_cli("--debug", "check", "-d", str(root))
    assert [problem.field for problem in caught.value.problems] == ["chair"]


def test_debug_shows_the_traceback_in_a_real_process(tmp_path: Path) -> None:
    """Without --debug one line; with it the traceback (here of a missing criteria/ folder)."""
    plain = _tender("check", "-d", str(tmp_path))
    debug = _tender("--debug", "check", "-d", str(tmp_path))
    assert plain.returncode == 1
    assert plain.stdout == ""
    assert plain.stderr == f"{CRITERIA_MISSING}\n1 problem found; nothing was written.\n"
    assert debug.returncode == 1
    assert debug.stdout == ""
    assert CRITERIA_MISSING in debug.stderr
    assert list(tmp_path.iterdir()) == []
    assert "Traceback (most recent call last)" in debug.stderr
    assert "DossierError" in debug.stderr


def test_interrupt_gives_exit_130(
    make_dossier: DossierFactory, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tender.app.summary.summarize", _raise(KeyboardInterrupt()))
    result = run_cli("check", "-d", str(make_dossier()))
    assert result.exit_code == 130  # ExitCode.INTERRUPTED, as documented
    assert "Traceback" not in result.output
    assert result.stderr == "interrupted; nothing half-written was left behind\n"


# --- conventions every command keeps -----------------------------------------------------------


def _commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command under ``group``, depth first, with the words that call it."""
    context = click.Context(group, info_name=" ".join(path) or "tender")
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


COMMANDS = list(_commands(cli))


def test_the_walk_finds_the_commands() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"check", "run", "init"} <= names


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(path) for path, _ in COMMANDS]
)
def test_every_command_has_help_and_an_example(
    run_cli: RunCli, path: tuple[str, ...], command: click.Command
) -> None:
    assert command.help and command.help.strip(), f"'tender {' '.join(path)}' has no help text"
    assert command.get_short_help_str().strip()
    result = run_cli(*path, "--help")
    assert result.exit_code == 0, result.output
    if not isinstance(command, click.Group):
        assert "Example" in command.help, f"'tender {' '.join(path)}' has no example in its help"
        assert "Example" in result.stdout


def test_help_lists_every_exit_code(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0, result.output
    assert "Exit codes:" in result.stdout
    for code in ExitCode:
        assert re.search(rf"^\s+{code.value}\s+\w", result.stdout, flags=re.MULTILINE), (
            f"exit code {code.value} ({code.name}) is not in 'tender --help'"
        )


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"tender, version {__version__}\n"


def test_unknown_command_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("chekc")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith("Error: No such command 'chekc'. Did you mean 'check'?\n")


def _tender(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m tender`` in a real process, as from a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "tender", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )


def test_python_m_tender(tmp_path: Path) -> None:
    result = _tender("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: tender ")
    assert "Exit codes:" in result.stdout


_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_COLOURS = {*range(30, 39), *range(40, 49), *range(90, 98), *range(100, 108)}


def colour_codes(text: str) -> list[str]:
    """The ANSI escape sequences in ``text`` that set a colour (bold and reset are not colour)."""
    return [
        match.group()
        for match in _SGR.finditer(text)
        if any(int(part) in _COLOURS for part in match.group(1).split(";") if part)
    ]


def _terminal_env(**extra: str) -> dict[str, str]:
    """A forced colour terminal (rich: FORCE_COLOR, https://force-color.org), plus ``extra``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TENDER_DOSSIER"}
    }
    return env | {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "100"} | extra


def test_colour_on_a_terminal_and_none_with_no_color(make_dossier: DossierFactory) -> None:
    good = make_dossier()
    bad = good.parent / "bad"
    good.rename(bad)
    (bad / "criteria" / "committee.yaml").write_text("chair: x\n", encoding="utf-8")
    good = make_dossier()

    coloured_ok = _tender("check", "-d", str(good), env=_terminal_env())
    coloured_bad = _tender("check", "-d", str(bad), env=_terminal_env())
    assert coloured_ok.returncode == 0, coloured_ok.stderr
    assert coloured_bad.returncode == 1, coloured_bad.stderr
    # The control: a forced terminal does get colour, so the test below can fail.
    assert colour_codes(coloured_ok.stdout)
    assert colour_codes(coloured_bad.stderr)

    plain_ok = _tender("check", "-d", str(good), env=_terminal_env(NO_COLOR="1"))
    plain_bad = _tender("check", "-d", str(bad), env=_terminal_env(NO_COLOR="1"))
    assert plain_ok.returncode == 0, plain_ok.stderr
    assert plain_bad.returncode == 1
    assert colour_codes(plain_ok.stdout + plain_ok.stderr) == []
    assert colour_codes(plain_bad.stdout + plain_bad.stderr) == []
    assert "the dossier has no problems" in plain_ok.stdout
    assert "criteria/committee.yaml:1: evaluators: required field is missing" in plain_bad.stderr
    assert "Traceback" not in plain_bad.stderr


def test_output_to_a_pipe_has_no_escapes(make_dossier: DossierFactory) -> None:
    env = {name: value for name, value in os.environ.items() if name not in {"FORCE_COLOR"}}
    env.pop("TTY_COMPATIBLE", None)
    result = _tender("check", "-d", str(make_dossier()), env=env)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout + result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("REF-0000-00 · Title of the tender\n")
    assert result.stdout.endswith("✓ 1 bid; the dossier has no problems.\n")


def test_run_json_reports_problems_as_json(
    make_dossier: DossierFactory, run_cli: Callable[..., Result]
) -> None:
    root = make_dossier({"criteria/award.yaml": "quality_plan: [\n"})
    before = snapshot(root)
    result = run_cli("run", "--dossier", str(root), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "ok": False,
        "problems": [
            {
                "file": "criteria/award.yaml",
                "line": 2,
                "field": None,
                "message": "YAML syntax error: did not find expected node content",
            }
        ],
    }
    assert result.stderr == ""
    assert "Traceback" not in result.output
    assert snapshot(root) == before
