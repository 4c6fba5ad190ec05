"""Replaying the record under the procedure's rules, on the inputs frozen at its opening.

Every command that reads the record gets its state from :func:`read_book`: the chain
and head verified (:class:`~tender.record.ledger.Ledger`), every entry admitted by
the same :class:`~tender.record.rules.Rules` the recorder applies before it writes,
and the dossier's criteria and bid files compared with the digests the opening froze.
An entry the procedure did not allow, or an input that changed, is refused here, once,
for every command.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.domain.errors import (
    FrozenInputError,
    InputError,
    RefusedError,
    RuleBrokenError,
    SignatureError,
)
from tender.domain.events import BidsOpened
from tender.domain.keys import NO_KEYS, Keyring
from tender.record import ledger as ledger_module
from tender.record.book import ScoreBook, parse_entry
from tender.record.ledger import Entry, Ledger
from tender.record.rules import Rules
from tender.record.sealing import open_with, read_sealed

SIGNATURES_AHEAD = 256
"""Entries per batch whose signatures are checked ahead of the replay."""


def rules_for(dossier: Dossier) -> Rules:
    """The dossier's rules, with this machine's clock for entries dated in the future."""
    return Rules(dossier, now=ledger_module.utc_now)


def take_in(
    book: ScoreBook,
    rules: Rules,
    entry: Entry,
    display: str,
    keys: Keyring = NO_KEYS,
    *,
    signature_fault: str | None,
) -> None:
    """Add one entry to ``book`` if its author signed it and the procedure allowed it there;
    else name its line and what is wrong.

    Once the opening is in, the dossier must be the one opened: nothing after it is
    judged on other criteria or bids, nor checked against other keys. A sealed score is
    read when ``keys`` hold one of its readers' (its author, the chair, a secretary), and
    its content is judged by the rules then, as it is for everyone at its reveal.
    ``signature_fault`` is what :meth:`Rules.signature_fault` found (checked ahead by :func:`replay`).
    """
    kind = entry.event.get("kind")
    if signature_fault is not None:
        raise SignatureError(
            display, entry.line, f"entry {entry.seq} ({kind} by {entry.by!r}): {signature_fault}"
        )
    parsed = parse_entry(entry, display)
    try:
        rules.admit(book, entry.by, entry.at, parsed)
    except (InputError, RefusedError) as broken:
        raise RuleBrokenError(
            display,
            entry.line,
            f"entry {entry.seq} ({kind} by {entry.by!r}) breaks a rule of the procedure: {broken}",
        ) from None
    book.add(entry, parsed)
    if isinstance(parsed, BidsOpened):
        check_frozen(rules.dossier, book)
    else:
        read_own(book, rules, entry, display, keys)


def read_own(book: ScoreBook, rules: Rules, entry: Entry, display: str, keys: Keyring) -> None:
    """Read the sealed score ``entry`` just added to ``book`` when ``keys`` may, and judge it."""
    sealed = book.sealed.get(entry.seq) if keys else None
    text = open_with(keys, sealed) if sealed is not None else None
    if sealed is None or text is None:
        return
    try:
        content = read_sealed(sealed, text)
        rules.check_opened(sealed, content)
    except (InputError, RefusedError) as broken:
        raise RuleBrokenError(
            display,
            entry.line,
            f"entry {entry.seq} (sealed-score by {entry.by!r}) breaks a rule of the "
            f"procedure: {broken}",
        ) from None
    book.open(sealed, content)


def replay(
    dossier: Dossier, entries: Iterable[Entry], display: str, keys: Keyring = NO_KEYS
) -> ScoreBook:
    """The state the entries describe, each one signed and admitted by the rules."""
    rules, book = rules_for(dossier), ScoreBook()
    for entry, fault in _signatures_ahead(rules, entries):
        take_in(book, rules, entry, display, keys, signature_fault=fault)
    return book


def _signatures_ahead(rules: Rules, entries: Iterable[Entry]) -> Iterator[tuple[Entry, str | None]]:
    """Each entry with what is wrong with its signature (None: nothing), checked in a second
    thread a batch ahead: libsodium works outside the interpreter's lock, so checking the
    signatures (half a replay's work) overlaps reading and judging the entries.

    An error of the entries themselves (a damaged record) is raised once every entry read
    before it has been taken in, as it would be without the read-ahead.
    """

    def check(batch: list[Entry]) -> list[str | None]:
        return [rules.signature_fault(entry) for entry in batch]

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="signatures") as pool:
        ahead: tuple[list[Entry], Future[list[str | None]]] | None = None
        batch: list[Entry] = []
        source = iter(entries)
        while True:
            try:
                entry = next(source, None)
            except Exception:
                # The record is damaged here: what was read before it is taken in first.
                if ahead is not None:
                    yield from zip(ahead[0], ahead[1].result(), strict=True)
                yield from zip(batch, check(batch), strict=True)
                raise
            if entry is None:
                break
            batch.append(entry)
            if len(batch) == SIGNATURES_AHEAD:
                if ahead is not None:
                    yield from zip(ahead[0], ahead[1].result(), strict=True)
                ahead, batch = (batch, pool.submit(check, batch)), []
        if ahead is not None:
            yield from zip(ahead[0], ahead[1].result(), strict=True)
        yield from zip(batch, check(batch), strict=True)


def read_book(dossier: Dossier, keys: Keyring = NO_KEYS) -> ScoreBook:
    """The dossier's record, verified, replayed under the rules, on the inputs it froze.

    Sealed individual scores are read only with ``keys`` that hold one of their readers'.
    """
    ledger = Ledger(dossier.root / SCORES_FOLDER)
    return replay(dossier, ledger.stream(), ledger.display, keys)


def check_frozen(dossier: Dossier, book: ScoreBook) -> None:
    """Refuse when a criteria or bid file differs from what the opening recorded."""
    opening = book.opening
    if opening is None:
        return
    changes = frozen_changes(opening.files, dossier.files)
    if changes:
        noun = "file differs" if len(changes) == 1 else "files differ"
        raise FrozenInputError(
            f"{len(changes)} {noun} from what was opened (entry {opening.seq}, "
            f"{opening.at:%Y-%m-%d %H:%M} UTC); nothing is decided on changed inputs. "
            "Put the opened files back; a correction the law allows is recorded, not edited",
            changes,
        )


def frozen_changes(opened: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """Each file changed, added or removed since the opening, as a line for a person."""
    changes = [
        f"{path}: changed since the opening"
        for path in sorted(opened.keys() & now.keys())
        if opened[path] != now[path]
    ]
    changes += [f"{path}: added after the opening" for path in sorted(now.keys() - opened.keys())]
    changes += [f"{path}: removed since the opening" for path in sorted(opened.keys() - now.keys())]
    return sorted(changes)
