"""What the machine refused, said as such: a full disk is not a bug in tender.

When tender writes or reads one of its own files (the record, its head, a published
set, a cached PDF reading) the operating system may refuse: the disk is full, the file
system is read-only, this account may not write there, a folder stands where a file
belongs or the reverse, or a named pipe or device stands where the record's file
should be. :func:`machine_faults` turns exactly those refusals into a
:class:`~tender.domain.errors.MachineError` naming the path, what is wrong and what to
do; any other ``OSError`` goes on as it is, and is reported as the bug it is.
"""

from __future__ import annotations

import errno
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tender.domain.errors import MachineError
from tender.io.bounded import special_kind

_PERMISSION = "give this account permission to read and write it, or run tender as its owner"
_FAULTS = {
    errno.ENOSPC: ("the disk is full", "free space on it"),
    errno.EDQUOT: ("this account's disk quota is used up", "free space or raise the quota"),
    errno.EROFS: (
        "the file system is read-only",
        "work on a writable copy of the dossier, or mount it writable",
    ),
    errno.EACCES: ("permission denied", _PERMISSION),
    errno.EPERM: ("the operation is not permitted", _PERMISSION),
    errno.EISDIR: ("a folder stands where tender keeps a file", "remove or rename the folder"),
}
"""What each refusal means, and what the user can do about it."""


@contextmanager
def machine_faults(path: Path) -> Iterator[None]:
    """Within the block, the machine refusing to read or write ``path`` is a MachineError."""
    try:
        yield
    except OSError as error:
        fault = _refusal(path, error)
        if fault is None:
            raise
        raise fault from error


def existing_file(path: Path) -> bool:
    """Whether tender's own file ``path`` is there, checked before it is opened.

    Refused when something other than a regular file stands there: opening a named pipe
    waits for a writer that never comes, and a folder, device or socket is no record.
    """
    with machine_faults(path):
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            return False
    what = special_kind(mode)
    if what is None:
        return True
    if stat.S_ISDIR(mode):
        raise MachineError(str(path), *_FAULTS[errno.EISDIR])
    raise MachineError(
        str(path),
        f"{what} stands where tender keeps a regular file",
        "remove it and put the file back (from a backup of the dossier, if it is gone)",
    )


def ensure_folder(path: Path) -> None:
    """Create the folder ``path`` (and its parents) unless it is there; a file there is refused."""
    with machine_faults(path):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise _file_in_the_way(path) from None


def _refusal(path: Path, error: OSError) -> MachineError | None:
    if error.errno == errno.ENOTDIR:
        return _file_in_the_way(path)
    if error.errno not in _FAULTS:
        return None
    fault, remedy = _FAULTS[error.errno]
    return MachineError(str(path), f"{fault} ({error.strerror})", remedy)


def _file_in_the_way(path: Path) -> MachineError:
    """A file stands where ``path`` or one of the folders it is in should be."""
    blocking = next(
        (part for part in (*reversed(path.parents), path) if part.exists() and not part.is_dir()),
        path,
    )
    where = "a file stands" if blocking == path else f"{blocking} is a file"
    return MachineError(str(path), f"{where} where tender needs a folder", "move the file away")
