"""Opening the bids: the record's first entry, freezing what the committee will decide on."""

from __future__ import annotations

from pathlib import Path

from tender.app.identity import member_keys
from tender.bids.documents import read_documents, reading_digests
from tender.domain.progress import Progress, silent
from tender.io.keyfiles import Passphrase
from tender.io.loader import load_dossier
from tender.record.ledger import Clock, Entry
from tender.record.recorder import Recorder


def open_bids(
    root: Path,
    chair: str,
    *,
    ask: Passphrase | None = None,
    progress: Progress = silent,
    clock: Clock | None = None,
) -> tuple[Entry, int, int]:
    """Record the opening by the chair: the entry, how many files it froze, how many PDFs read.

    Every PDF is read first (or taken from the cache), so that the reading each
    decision rests on is frozen with the files themselves.
    """
    dossier = load_dossier(root, require_keys=True)
    recorder = Recorder(dossier, keys=member_keys(dossier, chair, ask), clock=clock)
    recorder.require_chair(chair)
    recorder.rules.require_not_opened(recorder.book)
    readings = reading_digests(read_documents(dossier, progress=progress))
    entry = recorder.open_bids(chair, readings)
    return entry, len(dossier.files), len(readings)
