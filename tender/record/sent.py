"""What was sent, checked against the record: every file of every sent set, and no set unknown.

The record holds the SHA-256 of every file of each ``reports/sent-vN/`` and
``reports/definitive-vN/`` with its dispatch. :func:`sent_problems` names each file
that is missing, changed or added since; :func:`require_known_sets` refuses every
write while a sent set exists on disk that the record does not know: the record was
put back from a backup (a person must decide what happened), or a dispatch was
interrupted between keeping its letters and recording them (the same command, run
again, records the set it kept when it is unchanged).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from tender.domain.dossier import REPORTS
from tender.domain.errors import SentFilesError
from tender.io.atomic import confine
from tender.io.faults import machine_faults
from tender.record.book import ScoreBook

_SENT_SET = re.compile(r"(sent|definitive)-v([1-9][0-9]*)")


def recorded_sets(book: ScoreBook) -> dict[str, Mapping[str, str]]:
    """Every sent set the record knows, by folder name, with its files' digests."""
    sets: dict[str, Mapping[str, str]] = {}
    for dispatch in book.dispatches:
        sets[f"sent-v{dispatch.version}"] = dispatch.files
        if dispatch.definitive is not None:
            sets[f"definitive-v{dispatch.version}"] = dispatch.definitive.files
    return sets


def sets_on_disk(root: Path) -> list[str]:
    """The sent sets in ``reports/``, by folder name; a ``reports/`` that leads out of the
    dossier, or is a loop of links, is refused (:func:`~tender.io.atomic.confine`)."""
    try:
        names = [entry.name for entry in confine(root, root / REPORTS).iterdir()]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(name for name in names if _SENT_SET.fullmatch(name))


def unknown_sets(root: Path, book: ScoreBook) -> list[str]:
    known = recorded_sets(book)
    return [name for name in sets_on_disk(root) if name not in known]


def require_known_sets(root: Path, book: ScoreBook, *, adopting: str | None = None) -> None:
    """Refuse to write while a sent set exists that the record does not know (but ``adopting``)."""
    unknown = [name for name in unknown_sets(root, book) if name != adopting]
    if unknown:
        raise SentFilesError(
            "letters were kept as sent that the record does not know; nothing is recorded "
            "until a person resolves this. If a 'tender letters' command was interrupted, "
            "run it again: it records the letters it kept when they are unchanged. If the "
            "record was put back from a backup, restore the record that recorded them",
            [f"{REPORTS}/{name}/: not in the record" for name in unknown],
        )


def sent_problems(root: Path, book: ScoreBook) -> list[str]:
    """Each sent file missing, changed or added, and each sent set the record does not know."""
    problems = [f"{REPORTS}/{name}/: not in the record" for name in unknown_sets(root, book)]
    for name, files in recorded_sets(book).items():
        problems += _set_problems(root / REPORTS / name, f"{REPORTS}/{name}", files)
    return problems


def set_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by its path inside it."""
    return {
        path.relative_to(folder).as_posix(): _digest(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _set_problems(folder: Path, display: str, recorded: Mapping[str, str]) -> Iterator[str]:
    if not folder.is_dir():
        yield f"{display}/: missing; the record says {len(recorded)} files were sent from it"
        return
    found = set_digests(folder)
    for path in sorted(recorded.keys() | found.keys()):
        if path not in found:
            yield f"{display}/{path}: missing"
        elif path not in recorded:
            yield f"{display}/{path}: not among the files sent"
        elif found[path] != recorded[path]:
            yield f"{display}/{path}: changed since it was sent"


def _digest(path: Path) -> str:
    with machine_faults(path), path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
