"""Writing a file so that it is whole and durable: the one way tender puts bytes on disk.

Every file tender writes, whatever it holds (the record's head, a published report,
a score sheet, an export, a cached PDF text), follows one rule: the bytes are
written to a new file and made durable (``fsync``) before the file can be found
under its name, and the folder is made durable after the name changed. A reader
therefore finds the old file or the whole new one, never part of one, and a file
this module wrote survives a crash or a power cut the moment it returns.

The ledger's own lines are appended in place (:mod:`tender.record.ledger`), under
the same rule: each line is durable before the caller hears it was recorded.

Every writer that writes or removes under the dossier (reports, the record, the PDF
cache) first asks :func:`confine` whether the path, links followed, stays inside it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tender.domain.errors import DossierError, Problem, UsageError
from tender.io.faults import machine_faults


def write_file(path: Path, data: bytes, *, overwrite: bool = True, mode: int | None = None) -> None:
    """Put ``data`` at ``path`` in one step, durably.

    With ``overwrite`` false an existing file is never replaced: ``FileExistsError``.
    The file gets ``mode``, or the mode a newly created file would get under the umask.
    When the machine refuses (:mod:`tender.io.faults`), no temporary file is left behind
    and a MachineError names ``path``.
    """
    with machine_faults(path):
        _write_file(path, data, overwrite=overwrite, mode=file_mode() if mode is None else mode)


def _write_file(path: Path, data: bytes, *, overwrite: bool, mode: int) -> None:
    folder = path.parent
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            temporary.replace(path)
        else:
            os.link(temporary, path)  # fails when the name is taken, even by a racing writer
            temporary.unlink()
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(folder)


def confine(root: Path, path: Path) -> Path:
    """``path``, refused when it leads out of the dossier at ``root`` once links are followed.

    A link in the dossier (``reports/`` to a folder elsewhere, ``reports/audit/``, a file of
    ``scores/``) would make tender write, replace or delete what lies outside it, where
    nothing says it may. The part of ``path`` that does not exist yet is taken as written.
    """
    inside = root.resolve()
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
        resolved = None
    if resolved is not None and (resolved == inside or inside in resolved.parents):
        return path
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    leads = (
        "is a loop of links"
        if resolved is None
        else f"leads to {resolved}, outside the dossier ({inside})"
    )
    message = (
        f"{leads}; tender writes only inside the dossier: put a folder or file of its own "
        "in place of the link"
    )
    raise DossierError([Problem(file=shown, line=None, field=None, message=message)])


def write_chosen_file(path: Path, data: bytes, *, force: bool) -> None:
    """Write a file the user named (an export, a score sheet); replace one only with ``force``."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name")
    try:
        write_file(path, data, overwrite=force)
    except FileExistsError:
        raise UsageError(f"{path} exists already; give --force to overwrite it") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot be written ({error.strerror})") from None


def make_chosen_folder(path: Path) -> None:
    """Create the folder the user named for a set of files (``export csv --output``), with
    its parents: the machine refusing is its fault (exit 5), a path that cannot be a folder
    the user's (exit 2)."""
    try:
        with machine_faults(path):
            path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{path}: cannot be written ({error.strerror})") from None


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) with ``data``, durably: for a folder that is
    still being assembled and is itself moved into place once complete (whose writer says
    what the machine refused, naming the folder, not this file in its staging)."""
    with path.open("xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def sync_folder(folder: Path) -> None:
    """Make the names in ``folder`` durable: a file created, renamed or removed there."""
    if os.name != "posix":
        return  # Windows has no way to sync a directory; NTFS journals names itself
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def file_mode() -> int:
    """The mode ``open`` gives a new file under the current umask."""
    return 0o666 & ~_umask()


def folder_mode() -> int:
    """The mode ``mkdir`` gives a new folder under the current umask."""
    return 0o777 & ~_umask()


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
