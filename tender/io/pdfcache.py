"""The cache of parsed PDFs: derived data in ``<dossier>/.tender-cache/``, keyed by content.

An entry is named by the SHA-256 of the file's bytes, so a renamed file is still
found and a changed file never is. Each entry records the cache format, the
parser versions and the limits it was read under; an entry that differs in any,
or that is not exactly what this module writes (damaged, edited, half-written),
is treated as absent and the PDF is parsed again. A file that hit a limit (time,
memory, size, text) is stored too, as such: reading it again under the same
limits ends the same way, and would cost every command up to the time limit.
Entries are
written to a temporary file and renamed into place, so a reader never sees half
an entry. The cache is an optimisation: when it cannot be written (a read-only
dossier), the work is simply done again next time.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from tender.domain.errors import MachineError
from tender.io.access import make_room
from tender.io.atomic import confine, write_file
from tender.io.faults import existing_file
from tender.io.pdfparse import PdfContent, content_from_plain, content_to_plain
from tender.io.pdfworkers import DEFAULT_LIMITS, Limits

CACHE_FOLDER = ".tender-cache"
CACHE_VERSION = 2


class PdfCache:
    """Parsed PDFs of one dossier, by SHA-256 of their content, read under ``limits``."""

    def __init__(
        self, dossier_root: Path, limits: Limits = DEFAULT_LIMITS, *, group: str | None = None
    ) -> None:
        # Refused at once when it leads out of the dossier, before any PDF is read for it.
        # An entry is put in place by a rename, which replaces a link rather than follow it.
        cache = confine(dossier_root, dossier_root / CACHE_FOLDER)
        self.folder = confine(dossier_root, cache / "pdf")
        self.group = group
        """Who besides the owner may read the cached texts of the bids (:mod:`tender.io.access`)."""
        self.stamp = {
            "cache": CACHE_VERSION,
            "pypdf": version("pypdf"),
            "pypdfium2": version("pypdfium2"),
            "limits": {
                "seconds": limits.seconds,
                "memory_bytes": limits.memory_bytes,
                "file_bytes": limits.file_bytes,
                "text_characters": limits.text_characters,
            },
        }

    def get(self, digest: str) -> PdfContent | None:
        """The cached content for ``digest``, or None when absent or not to be trusted."""
        path = self.folder / f"{digest}.json"
        try:
            if not existing_file(path):  # a named pipe there would be waited on for ever
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, MachineError, UnicodeDecodeError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("stamp") != self.stamp:
            return None
        if data.get("sha256") != digest:
            return None
        return content_from_plain(data.get("content"))

    def put(self, digest: str, content: PdfContent) -> None:
        """Store ``content`` atomically; a cache that cannot be written is skipped.

        A file that could not be opened is not stored: that says more about the run
        than the file, so it is read again.
        """
        if content.problem is not None and not content.problem.lasting:
            return
        entry = {"stamp": self.stamp, "sha256": digest, "content": content_to_plain(content)}
        data = json.dumps(entry, ensure_ascii=False).encode()
        try:
            make_room(self.folder.parent, self.group)
            make_room(self.folder, self.group)
            write_file(self.folder / f"{digest}.json", data)
        except (OSError, MachineError):
            return  # a read-only dossier or a full disk: the PDF is simply read again next time
