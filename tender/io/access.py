"""Who may enter the rooms tender creates in a dossier: its owner, and the committee's group.

``scores/`` holds every decision and, during the individual phase, sealed scores;
``reports/`` the letters, the report and the exports; ``.tender-cache/`` the text of every
bid's documents. tender creates each of them readable and writable by the account that
creates it and, when ``criteria/committee.yaml`` names a ``group``, by that group (the
folder is set-group-ID, so what is created in it belongs to the group too); never by
everyone.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tender.domain.errors import MachineError
from tender.io.faults import ensure_folder, machine_faults

try:
    import grp
except ImportError:  # Windows: rights come from the folder's ACL, which tender leaves alone
    grp = None  # type: ignore[assignment]

PRIVATE_ROOM = 0o700
SHARED_ROOM = 0o2770
RECORD_FILE = 0o660
"""The record's own files: the owner and the room's group (nobody else enters the room)."""


def make_room(path: Path, group: str | None) -> None:
    """Create the dossier room ``path`` if need be, entered only by its owner and ``group``.

    A room this account owns is brought to those rights each time tender writes in it, so
    that they follow ``committee.yaml``; a room someone else owns is left as they set it.
    """
    ensure_folder(path)
    if os.name != "posix" or grp is None:
        return
    with machine_faults(path):
        info = path.stat()
        if info.st_uid != os.getuid():
            return
        if group is None:
            if stat.S_IMODE(info.st_mode) != PRIVATE_ROOM:
                path.chmod(PRIVATE_ROOM)
            return
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise MachineError(
                str(path),
                f"criteria/committee.yaml names the group '{group}', which this machine does "
                "not have",
                "create the group (or correct group: in committee.yaml)",
            ) from None
        if info.st_gid != gid:
            os.chown(path, -1, gid)
        if stat.S_IMODE(info.st_mode) != SHARED_ROOM or info.st_gid != gid:
            path.chmod(SHARED_ROOM)
