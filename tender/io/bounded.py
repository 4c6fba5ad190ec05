"""Read a dossier file only when it is a regular file within its size limit.

Opening a named pipe for reading waits until someone writes to it, and a device
such as ``/dev/zero`` never ends (and opening some devices acts on them); a file of
gigabytes costs its size in memory. So a file is checked with ``stat`` before it is
opened, opened without blocking and checked again on the open descriptor (it may
have been swapped in between), and no more than one byte past its limit is ever
read (it may grow while it is read).
"""

from __future__ import annotations

import errno
import os
import stat
from io import BufferedReader
from pathlib import Path

from tender.domain.limits import shown_bytes

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class NotRegularFileError(OSError):
    """The path is a named pipe, a socket, a device or a folder: not a file to read."""

    def __init__(self, path: Path, what: str) -> None:
        self.what = what
        super().__init__(errno.EINVAL, f"it is {what}, not a regular file", str(path))


class FileTooLargeError(Exception):
    """The file is larger than the limit for its kind; it was not read."""

    def __init__(self, path: Path, *, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"{path}: {size:,} bytes, more than the {shown_bytes(limit)} allowed")


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "something other than a file"


def open_regular(path: Path) -> BufferedReader:
    """``path`` opened for reading, refused (:class:`NotRegularFileError`) unless a regular file."""
    what = special_kind(path.stat().st_mode)
    if what is not None:
        raise NotRegularFileError(path, what)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        what = special_kind(os.fstat(descriptor).st_mode)
        if what is not None:
            raise NotRegularFileError(path, what)
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, refused (:class:`FileTooLargeError`) beyond
    ``limit`` bytes before it is read."""
    with open_regular(path) as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > limit:
            raise FileTooLargeError(path, size=size, limit=limit)
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeError(path, size=len(data), limit=limit)
    return data
