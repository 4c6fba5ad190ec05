"""``tender init``: a new dossier with commented criteria templates.

The dossier is assembled in a temporary folder beside the target and moved into
place in one rename, so an interrupted ``init`` leaves either nothing or a whole
dossier, and an existing folder with content is never touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from tender.domain.errors import UsageError

_TEMPLATES = files("tender.io") / "dossier_template"
_EMPTY_FOLDERS = ("submissions", "scores", "reports")
_GITIGNORE = (
    "# Cached PDF text: derived from submissions/, rebuilt when missing.\n.tender-cache/\n"
    "# The record's lock file: held only while an entry is written.\nscores/.ledger.lock\n"
)


def create_dossier(target: Path) -> list[Path]:
    """Write a new dossier at ``target``; return the paths written, relative to it."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} already exists and is not empty; nothing was written")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tender-init-", dir=target.parent))
    try:
        # mkdtemp makes the folder private; a dossier is shared like any other folder.
        staging.chmod(_folder_mode())
        written = _copy_tree(_TEMPLATES, staging, Path())
        for name in _EMPTY_FOLDERS:
            (staging / name).mkdir()
            (staging / name / ".gitkeep").touch()
            written.append(Path(name) / ".gitkeep")
        (staging / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
        written.append(Path(".gitignore"))
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(written)


def _folder_mode() -> int:
    """The mode ``mkdir`` would give a new folder under the current umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o777 & ~umask


def _copy_tree(source: Traversable, destination: Path, relative: Path) -> list[Path]:
    written: list[Path] = []
    for entry in sorted(source.iterdir(), key=lambda item: item.name):
        if entry.is_dir():
            (destination / entry.name).mkdir()
            written += _copy_tree(entry, destination / entry.name, relative / entry.name)
        else:
            (destination / entry.name).write_bytes(entry.read_bytes())
            written.append(relative / entry.name)
    return written
