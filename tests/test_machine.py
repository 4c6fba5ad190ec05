"""A failing machine is named, not reported as a bug: exit 5 with the path and what to do.

A full disk is a small tmpfs filled to the last page, a read-only folder a read-only bind
mount (root ignores file modes), both mounted by the test (through ``sudo -n`` when the
account is not root). Where mounting is not allowed the test is skipped and says why,
unless TENDER_REQUIRE_MOUNT is set (.ci/run sets it), in which case it fails: a full disk
nobody met does not count as checked. A failed head write after a durable line is injected
in this process. Each case checks that nothing half-written stays behind.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from click.testing import Result

from tender.domain.errors import MachineError
from tender.io.atomic import write_file
from tests.conftest import DossierFactory
from tests.letters_fixtures import copy_example, locked_small_dossier
from tests.scoring_fixtures import CHAIR, committee_root

RunCli = Callable[..., Result]
FULL = "the disk is full (No space left on device); free space on it, then run the command again"
LONG_MOTIVATION = "Concreet en overtuigend onderbouwd. " * 150
"""Longer than a page of memory: its line cannot fit in the slack of the record's last page."""


def _as_root(*command: str) -> list[str]:
    """``command`` as root: directly when this account is root, else through ``sudo -n``."""
    return list(command) if os.geteuid() == 0 else ["sudo", "-n", *command]


def _mount(*arguments: str) -> None:
    try:
        found = subprocess.run(
            _as_root("mount", *arguments), capture_output=True, text=True, check=False
        )
        refused = found.stderr.strip() if found.returncode != 0 else None
    except FileNotFoundError as missing:  # no sudo (or no mount) on this machine
        refused = str(missing)
    if refused is not None:
        message = (
            "mounting needs root (or sudo without a password) and CAP_SYS_ADMIN, which this "
            f"run lacks: {refused}"
        )
        if os.environ.get("TENDER_REQUIRE_MOUNT"):
            pytest.fail(message)
        pytest.skip(message)


def _unmount(target: Path) -> None:
    subprocess.run(_as_root("umount", "--lazy", str(target)), check=True)


@contextmanager
def small_disk(target: Path, size: str = "8m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``target`` (an empty folder, made if missing), owned
    by this account so that tender may write on it until it is full."""
    target.mkdir(parents=True, exist_ok=True)
    owner = f"uid={os.getuid()},gid={os.getgid()},mode=0755"
    _mount("-t", "tmpfs", "-o", f"size={size},{owner}", "tmpfs", str(target))
    try:
        yield target
    finally:
        _unmount(target)


@contextmanager
def on_a_full_disk(root: Path) -> Iterator[Path]:
    """A copy of the dossier at ``root`` on a small disk that is then filled."""
    with small_disk(root.parent / "disk") as disk:
        copy = Path(shutil.copytree(root, disk / root.name, symlinks=True))
        fill(disk)
        yield copy


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` made read-only in place: a read-only bind mount of itself."""
    _mount("--bind", str(folder), str(folder))
    try:
        _mount("-o", "remount,bind,ro", str(folder))
        yield folder
    finally:
        _unmount(folder)


def fill(disk: Path) -> None:
    """Take every free page of ``disk``; what tender then writes meets a full disk."""
    with (disk / "filler").open("wb", buffering=0) as stream:
        for size in (1 << 20, 1 << 12, 1):
            block = b"\0" * size
            try:
                while True:
                    stream.write(block)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error


def files_under(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its content (None for a folder), the filler left out."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
        if path.name != "filler"
    }


def temporary_files(root: Path) -> list[str]:
    return [path.name for path in root.rglob("*") if path.name.endswith(".tmp")]


# --- a full disk ---------------------------------------------------------------------------


def test_a_full_disk_during_score_set_records_nothing_and_says_so(
    tmp_path: Path, make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    with on_a_full_disk(committee_root(make_dossier)) as root:
        before = files_under(root / "scores")

        result = run_cli(
            "score", "set", "-e", "evaluator-2", "bid-001", "criterion-1", "8",
            "-m", LONG_MOTIVATION, "--dossier", str(root),
        )  # fmt: skip

        assert result.exit_code == 5, result.output
        assert result.stderr == f"error: {root}/scores/ledger.jsonl: {FULL}\n"
        assert files_under(root / "scores") == before  # no part of the line stays behind
        assert temporary_files(root) == []


def test_a_full_disk_during_letters_leaves_no_half_set(
    tmp_path: Path, make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    with on_a_full_disk(locked_small_dossier(make_dossier)) as root:
        before = files_under(root)

        result = run_cli("letters", "--dossier", str(root))

        assert result.exit_code == 5, result.output
        assert result.stderr.startswith(f"error: {root}/reports/letters: the disk is full")
        assert result.stderr.endswith(f"{FULL}\n")
        assert "a bug" not in result.stderr
        assert files_under(root) == before
        assert temporary_files(root) == []


def test_a_full_disk_during_letters_send_keeps_and_records_nothing(
    tmp_path: Path, make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    with on_a_full_disk(locked_small_dossier(make_dossier)) as root:
        before = files_under(root)

        result = run_cli(
            "letters", "send", "--dossier", str(root), "--date", "2026-12-01", "--by", CHAIR
        )

        assert result.exit_code == 5, result.output
        assert result.stderr == f"error: {root}/reports/sent-v1: {FULL}\n"
        assert files_under(root) == before  # nothing kept, nothing recorded
        assert temporary_files(root) == []


def test_an_atomic_write_on_a_full_disk_leaves_no_temporary_file(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", size="1m") as disk:
        fill(disk)

        with pytest.raises(MachineError, match="the disk is full"):
            write_file(disk / "report.json", b"{}" * 10_000)

        assert sorted(path.name for path in disk.iterdir()) == ["filler"]


# --- the head after a durable line --------------------------------------------------------


def test_a_head_that_cannot_follow_a_durable_entry_says_the_entry_is_recorded(
    make_dossier: DossierFactory, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = committee_root(make_dossier)
    head = (root / "scores" / "ledger.head").read_bytes()
    score = ("score", "set", "-e", "evaluator-2", "bid-001", "criterion-1", "8", "-m", "Ok.")

    def full(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(source))

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", full)
        result = run_cli(*score, "--dossier", str(root))

    assert result.exit_code == 5, result.output
    assert result.stderr == (
        f"error: {root}/scores/ledger.head: entry 2 is recorded and durable in "
        "scores/ledger.jsonl, but its head could not be moved to it: the disk is full (No "
        "space left on device). The record is sound as it is (every command reads it; 'tender "
        "verify' checks it), and the next command that records something brings the head up "
        "to date; free space on it, then go on: entry 2 need not be recorded again\n"
    )
    assert len((root / "scores" / "ledger.jsonl").read_bytes().splitlines()) == 2
    assert (root / "scores" / "ledger.head").read_bytes() == head
    assert temporary_files(root) == []
    assert run_cli("verify", "--dossier", str(root)).exit_code == 0
    moved = run_cli(*score[:-1], "Ok, herzien.", "--reason", "Herzien.", "--dossier", str(root))
    assert moved.exit_code == 0, moved.output
    assert b'"seq": 3' in (root / "scores" / "ledger.head").read_bytes()


# --- something else where tender keeps a file or needs a folder ----------------------------


def test_reports_being_a_file_is_named(make_dossier: DossierFactory, run_cli: RunCli) -> None:
    root = locked_small_dossier(make_dossier)
    shutil.rmtree(root / "reports")
    (root / "reports").write_text("notes\n", encoding="utf-8")

    result = run_cli("letters", "--dossier", str(root))

    assert result.exit_code == 5, result.output
    assert result.stderr == (
        f"error: {root}/reports: a file stands where tender needs a folder; move the file "
        "away, then run the command again\n"
    )
    assert (root / "reports").read_text(encoding="utf-8") == "notes\n"


@pytest.mark.parametrize("name", ["ledger.jsonl", "ledger.head"])
@pytest.mark.parametrize(
    "command",
    [
        ("verify",),
        ("score", "set", "-e", "evaluator-2", "bid-001", "criterion-1", "8", "-m", "Ok."),
    ],
    ids=["verify", "score-set"],
)
def test_a_folder_in_place_of_the_record_is_named(
    make_dossier: DossierFactory, run_cli: RunCli, name: str, command: tuple[str, ...]
) -> None:
    root = committee_root(make_dossier)
    path = root / "scores" / name
    path.rename(root / "kept")
    path.mkdir()

    result = run_cli(*command, "--dossier", str(root))

    assert result.exit_code == 5, result.output
    assert result.stderr == (
        f"error: {path}: a folder stands where tender keeps a file; remove or rename the "
        "folder, then run the command again\n"
    )
    assert [entry.name for entry in path.iterdir()] == []


@pytest.mark.parametrize("name", ["ledger.jsonl", "ledger.head"])
@pytest.mark.parametrize("command", ["verify", "decide", "history"])
def test_a_named_pipe_in_place_of_the_record_is_refused_not_waited_on(
    make_dossier: DossierFactory, name: str, command: str
) -> None:
    root = committee_root(make_dossier)
    path = root / "scores" / name
    path.unlink()
    os.mkfifo(path)
    words = [command, "bid-001"] if command == "history" else [command]

    result = subprocess.run(
        [sys.executable, "-m", "tender", *words, "--dossier", str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 5, result.stderr
    assert result.stderr == (
        f"error: {path}: a named pipe (FIFO) stands where tender keeps a regular file; remove "
        "it and put the file back (from a backup of the dossier, if it is gone), then run the "
        "command again\n"
    )


# --- read-only ----------------------------------------------------------------------------


def test_a_read_only_record_refuses_a_score_and_names_the_folder(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = committee_root(make_dossier)
    before = files_under(root / "scores")

    with read_only(root / "scores"):
        result = run_cli(
            "score", "set", "-e", "evaluator-2", "bid-001", "criterion-1", "8", "-m", "Ok.",
            "--dossier", str(root),
        )  # fmt: skip

    assert result.exit_code == 5, result.output
    assert result.stderr == (
        f"error: {root}/scores/.ledger.lock: the file system is read-only (Read-only file "
        "system); work on a writable copy of the dossier, or mount it writable, then run the "
        "command again\n"
    )
    assert files_under(root / "scores") == before


def test_a_read_only_copy_of_the_dossier_is_verified(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = locked_small_dossier(make_dossier)
    sent = run_cli("letters", "send", "--dossier", str(root), "--date", "2026-12-01", "--by", CHAIR)
    assert sent.exit_code == 0, sent.output
    (root / "scores" / ".ledger.lock").unlink(missing_ok=True)  # an archived copy holds none
    before = files_under(root)

    with read_only(root):
        result = run_cli("verify", "--dossier", str(root))

    assert result.exit_code == 0, result.output
    assert "every entry follows the procedure's rules" in result.stdout
    assert files_under(root) == before


def test_an_interrupted_export_met_on_a_read_only_copy_is_named(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    """Putting back the set an interrupted export left aside is a write too."""
    root = locked_small_dossier(make_dossier)
    aside = root / "reports" / ".exports.old" / "json"
    aside.mkdir(parents=True)
    (aside / "uitslag.json").write_text("{}", encoding="utf-8")
    before = files_under(root)

    with read_only(root):
        result = run_cli("export", "json", "--dossier", str(root))

    assert result.exit_code == 5, result.output
    assert result.stderr.startswith(
        f"error: {root}/reports/exports: the file system is read-only (Read-only file system)"
    )
    assert files_under(root) == before


def test_a_csv_output_folder_the_machine_refuses_is_named(
    tmp_path: Path, make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = locked_small_dossier(make_dossier)
    (tmp_path / "archive").mkdir()

    with read_only(tmp_path / "archive"):
        result = run_cli(
            "export", "csv", "--dossier", str(root), "--output", str(tmp_path / "archive" / "csv")
        )

    assert result.exit_code == 5, result.output
    assert result.stderr.startswith(
        f"error: {tmp_path}/archive/csv: the file system is read-only (Read-only file system)"
    )


def test_a_csv_output_folder_that_cannot_be_made_is_the_users_to_change(
    make_dossier: DossierFactory, run_cli: RunCli
) -> None:
    root = locked_small_dossier(make_dossier)

    result = run_cli("export", "csv", "--dossier", str(root), "--output", "/proc/tender/csv")

    assert result.exit_code == 2, result.output
    assert "/proc/tender/csv: cannot be written (No such file or directory)" in result.stderr


# --- Ctrl-C ---------------------------------------------------------------------------------


def test_ctrl_c_while_render_workers_start_is_reported_once_by_the_parent(tmp_path: Path) -> None:
    """The example's letters go to worker processes; a Ctrl-C reaches every process of the
    terminal's group, so the workers are sent it (again and again) while they start."""
    root = copy_example(tmp_path / "example")
    subprocess.run(  # read the PDFs first, so that the first workers are the renderer's
        [sys.executable, "-m", "tender", "bids", "--dossier", str(root)],
        capture_output=True,
        check=True,
        timeout=300,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "tender", "letters", "--dossier", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def workers() -> list[int]:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    while len(workers()) < 2 and process.poll() is None:  # the resource tracker, a worker
        time.sleep(0.002)
    starting = time.monotonic() + 0.4
    while time.monotonic() < starting and process.poll() is None:
        for pid in workers():
            with _gone_meanwhile():
                os.kill(pid, signal.SIGINT)
        time.sleep(0.01)
    with _gone_meanwhile():
        process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=300)

    assert "Traceback" not in stderr + stdout, stderr
    assert process.returncode == 130, stderr
    assert stderr == "interrupted; nothing half-written was left behind\n"
    reports = root / "reports"
    assert not reports.exists() or [path.name for path in reports.iterdir()] == []


@contextmanager
def _gone_meanwhile() -> Iterator[None]:
    with suppress(ProcessLookupError):
        yield
