"""``tender init``: a new dossier with commented criteria templates.

The dossier is assembled in a temporary folder beside the target and moved into
place in one rename, so an interrupted ``init`` leaves either nothing or a whole
dossier, and an existing folder with content is never touched.
"""

from __future__ import annotations

import shutil
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from tender.domain.errors import UsageError
from tender.io.atomic import folder_mode, sync_folder, write_new
from tender.io.faults import machine_faults

_TEMPLATES = files("tender.io") / "dossier_template"
_EMPTY_FOLDERS = ("submissions", "scores", "reports")
_GITIGNORE = (
    "# Cached PDF text: derived from submissions/, rebuilt when missing.\n.tender-cache/\n"
    "# The record's lock file: held only while an entry is written.\nscores/.ledger.lock\n"
)


def create_dossier(target: Path) -> list[Path]:
    """Write a new dossier at ``target``; return the paths written, relative to it.

    When the machine refuses (a full disk, say), nothing of it stays behind.
    """
    with machine_faults(target):
        return _create(target)


def _create(target: Path) -> list[Path]:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} already exists and is not empty; nothing was written")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tender-init-", dir=target.parent))
    try:
        # mkdtemp makes the folder private; a dossier is shared like any other folder.
        staging.chmod(folder_mode())
        written = _copy_tree(_TEMPLATES, staging, Path())
        for name in _EMPTY_FOLDERS:
            (staging / name).mkdir()
            write_new(staging / name / ".gitkeep", b"")
            written.append(Path(name) / ".gitkeep")
        write_new(staging / ".gitignore", _GITIGNORE.encode())
        written.append(Path(".gitignore"))
        for folder in sorted({staging, *staging.rglob("*")}, key=lambda p: -len(p.parts)):
            if folder.is_dir():
                sync_folder(folder)
        if target.exists():
            target.rmdir()
        staging.rename(target)
        sync_folder(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(written)


def _copy_tree(source: Traversable, destination: Path, relative: Path) -> list[Path]:
    written: list[Path] = []
    for entry in sorted(source.iterdir(), key=lambda item: item.name):
        if entry.is_dir():
            (destination / entry.name).mkdir()
            written += _copy_tree(entry, destination / entry.name, relative / entry.name)
        else:
            write_new(destination / entry.name, entry.read_bytes())
            written.append(relative / entry.name)
    return written
