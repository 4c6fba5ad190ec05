"""The record of what people decided: an append-only, hash-chained log in JSON lines.

Every decision (a score, a consensus score, a suitability verdict, a phase
change, letters sent) is one line in ``scores/ledger.jsonl``. The current state
is derived from the lines; nothing is ever rewritten. The design answers four
threats to a committee's legal file:

- **Crash or kill.** A line is written with one ``write`` and made durable with
  ``fsync`` before the caller is told it is recorded. A kill mid-write can leave a
  torn last line without its newline: readers ignore it, and the next writer sets
  it aside in ``ledger.torn`` (kept as evidence, never silently dropped) before it
  appends.
- **Concurrent writers.** Appends happen under a file lock; a writer first reads
  whatever others appended since it last looked, so its checks see the latest state.
- **Tampering.** Each line carries the SHA-256 of the previous line's hash and its
  own content; ``ledger.head`` holds the last sequence number and hash. Changing,
  deleting, inserting or reordering lines breaks the chain or disagrees with the
  head. (Someone who rewrites the whole chain and the head can only be caught
  against a copy of the head hash kept elsewhere: ``tender verify`` prints it, and
  reports quote it.)
- **Impersonation.** Each line is signed by its author's Ed25519 key over its canonical
  bytes (the entry without its hash and signature): the ledger signs what it appends
  with the key it was given, and the replay checks each signature against the member's
  public key in ``committee.yaml`` (:mod:`tender.record.replay`).
- **Slow growth.** Appending reads only what is new since the last look, so saving
  one entry costs the same with a hundred or a hundred thousand before it; and a
  reader or writer keeps only the entries it read since it started (plus the one the
  head names), not the whole record.
"""

from __future__ import annotations

import getpass
import hashlib
import itertools
import json
import os
import re
import socket
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from filelock import FileLock, Timeout

try:
    import pwd
except ImportError:  # Windows: no user database; the login name stands in
    pwd = None  # type: ignore[assignment]

from tender.domain.errors import MachineError, RecordBusyError, RecordDamagedError
from tender.io.access import RECORD_FILE, make_room
from tender.io.atomic import confine, sync_folder, write_file
from tender.io.faults import existing_file, machine_faults

LEDGER_NAME = "ledger.jsonl"
HEAD_NAME = "ledger.head"
TORN_NAME = "ledger.torn"
LOCK_NAME = ".ledger.lock"
GENESIS = "0" * 64
LOCK_TIMEOUT_SECONDS = 30.0

_ENTRY_KEYS = frozenset({"seq", "at", "by", "account", "event", "prev", "hash"})
_SIGNED_ENTRY_KEYS = _ENTRY_KEYS | {"sig"}
_SEALED_TAIL = re.compile(
    rb',"hash":"([0-9a-f]{64})","prev":"[0-9a-f]{64}","seq":[1-9][0-9]*'
    rb'(,"sig":"[A-Za-z0-9+/]{86}==")?\}'
)
"""How a line that tender wrote ends: its own hash, the previous one, its number, its signature."""
_HASH_FIELD = len(b',"hash":"') + 64 + len(b'"')

Clock = Callable[[], datetime]


class Signer(Protocol):
    """A member's unlocked key (:class:`tender.domain.keys.MemberKey`): it signs in their name."""

    @property
    def member(self) -> str: ...

    def sign(self, message: bytes) -> str: ...


class Append(Protocol):
    """Append one entry by ``by``; dated ``at`` when the caller read the clock for its checks."""

    def __call__(
        self, by: str, event: Mapping[str, Any], *, at: datetime | None = None
    ) -> Entry: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


def _machine_clock() -> datetime:
    """This machine's clock, looked up when asked (a test can set the module's ``utc_now``)."""
    return utc_now()


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One confirmed line of the record."""

    seq: int
    at: datetime
    by: str
    account: str
    event: Mapping[str, Any]
    prev: str
    hash: str
    line: int
    signature: str | None = None
    """The author's Ed25519 signature (base64) of :attr:`signed`, or None on an unsigned line."""
    signed: bytes = field(default=b"", repr=False, compare=False)
    """The entry's canonical bytes without its hash and signature: what the signature covers."""


@dataclass(frozen=True)
class Head:
    """What ``ledger.head`` says the last entry is."""

    seq: int
    hash: str


@dataclass(kw_only=True)
class _Cursor:
    """How far this process has read and verified the ledger."""

    offset: int = 0
    line: int = 0
    seq: int = 0
    last_hash: str = GENESIS
    last_line: bytes = b""
    """The last line read (without its newline): it must still end at ``offset``."""
    entries: list[Entry] = field(default_factory=list)
    first: int = 1
    """``entries`` holds the entries from this number on: all of them for :meth:`Ledger.verify`;
    otherwise only what checking the head needs (the entry the head named when reading
    began, and every entry after it)."""


class Ledger:
    """The hash-chained record in ``folder`` (the dossier's ``scores/``)."""

    def __init__(
        self,
        folder: Path,
        *,
        clock: Clock | None = None,
        account: str | None = None,
        display: str = "scores",
        signers: Mapping[str, Signer] | None = None,
        group: str | None = None,
    ) -> None:
        self.folder = folder
        self.path = folder / LEDGER_NAME
        self.head_path = folder / HEAD_NAME
        self.torn_path = folder / TORN_NAME
        self.display = f"{display}/{LEDGER_NAME}"
        self._clock = clock or _machine_clock
        self._lock = FileLock(folder / LOCK_NAME, timeout=LOCK_TIMEOUT_SECONDS)
        self._cursor = _Cursor()
        self._reached = (0, GENESIS)
        """The last entry this ledger read or wrote: the record must still hold it."""
        self._account = account or _account()
        self._group = group
        self._signers = signers or {}
        """The keys this ledger signs with, by member: an entry by another is written unsigned
        (which every replay refuses; the recorder never asks for one)."""

    # --- reading ---------------------------------------------------------------------

    def entries(self) -> tuple[Entry, ...]:
        """Every confirmed entry, verified with the head; a torn or in-progress last line is not one."""
        return tuple(self.stream())

    def stream(self) -> Iterator[Entry]:
        """The entries :meth:`entries` gives, one at a time, read line by line and not kept.

        For reading a large record once (replaying it): memory stays that of one line.
        Each line is checked as it is read, and the chain against the head once the last
        one was, so the iteration raises :class:`RecordDamagedError` where :meth:`entries`
        would, only later: a caller acts on what it took in once the iteration has ended.
        """
        before = self.head()
        cursor = _Cursor(first=max(1, before.seq if before else 1))
        yield from self._lines(cursor)
        self._check_head(cursor, before, self.head())

    def new_entries(self, after: int) -> Iterator[Entry]:
        """The confirmed entries after entry ``after``, checked as :meth:`stream` checks them.

        A caller that keeps up with the record passes the last entry it took in: this
        ledger reads only the lines it has not read before, so a long-running writer keeps
        up without reading the record again. Writers append a line and only then move the
        head, one entry at a time under the lock, so the head read *before* the lines never
        claims more than they hold, and the head read *after* them is at most one entry
        behind: neither check can be upset by a writer at work meanwhile, and no lock is
        needed to read.
        """
        before = self.head()
        cursor = self._cursor
        if cursor.seq > after and after + 1 < cursor.first:
            # Entries asked for were read before and not kept: read again from the start.
            self._cursor = _Cursor(first=max(1, before.seq if before else 1))
        pending = [entry for entry in self._cursor.entries if entry.seq > after]
        self._start_reading(before, keep_new=False)
        for entry in itertools.chain(pending, self._lines(self._cursor)):
            if entry.seq > after:  # after reading again from the start, only the new ones
                after = entry.seq
                yield entry
        self._check_head(self._cursor, before, self.head())
        self._check_reached()
        self._reached = (self._cursor.seq, self._cursor.last_hash)

    def head(self) -> Head | None:
        """The head file's claim, or None when nothing was ever recorded."""
        if not existing_file(self.head_path):
            return None
        try:
            with machine_faults(self.head_path):
                data = json.loads(self.head_path.read_text(encoding="utf-8"))
            head = Head(int(data["seq"]), str(data["hash"]))
            if head.seq < 0:
                raise ValueError(head.seq)
            return head
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            raise RecordDamagedError(
                f"{self._folder_display}/{HEAD_NAME}", 1, "the head file is not readable"
            ) from None

    def torn_tail(self) -> int:
        """Bytes after the last complete line: an interrupted write (or one in progress)."""
        if not existing_file(self.path):
            return 0
        with machine_faults(self.path):
            size = self.path.stat().st_size
        cursor = _Cursor(first=max(1, head.seq) if (head := self.head()) else 1)
        self._read_new(cursor)
        return size - cursor.offset

    def verify(self) -> tuple[Entry, ...]:
        """Check the whole chain from the first line, and the head; raise at the first fault."""
        with self._reading():
            before = self.head()
            fresh = _Cursor()
            self._read_new(fresh)
            self._check_head(fresh, before, self.head())
            return tuple(fresh.entries)

    # --- writing ---------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Append]:
        """Hold the lock, catch up with others' entries, and yield an ``append(by, event)``.

        Callers re-check their rules against :meth:`entries` inside the
        transaction, so a decision is always taken on the latest record.
        """
        with self._locked():
            self._set_aside_torn_tail()
            head = self.head()
            self._start_reading(head, keep_new=True)
            self._read_new()
            self._check_reached()
            if self._check_head(self._cursor, head, head):
                last = self._cursor.entries[-1]
                self._write_head(Head(last.seq, last.hash))
            self._reached = (self._cursor.seq, self._cursor.last_hash)
            yield self._append

    def now(self) -> datetime:
        """The moment the next entry gets: read once, checked by the rules, then written."""
        return self._clock()

    def _append(self, by: str, event: Mapping[str, Any], *, at: datetime | None = None) -> Entry:
        cursor = self._cursor
        body = {
            "seq": cursor.seq + 1,
            "at": (at or self._clock()).astimezone(UTC).isoformat(timespec="microseconds"),
            "by": by,
            "account": self._account,
            "event": dict(event),
            "prev": cursor.last_hash,
        }
        signed = _canonical(body)
        _, line = encode_entry(body, signer=self._signers.get(by))
        self._write_line(line)
        entry = _entry_from(json.loads(line), cursor.line + 1, signed=signed)
        cursor.last_line = line[:-1]
        cursor.offset += len(line)
        cursor.line += 1
        cursor.seq = entry.seq
        cursor.last_hash = entry.hash
        cursor.entries.append(entry)
        self._reached = (entry.seq, entry.hash)
        try:
            self._write_head(Head(entry.seq, entry.hash))
        except MachineError as error:
            raise MachineError(
                error.path,
                f"entry {entry.seq} is recorded and durable in {self.display}, but its head "
                f"could not be moved to it: {error.fault}. The record is sound as it is (every "
                "command reads it; 'tender verify' checks it), and the next command that "
                "records something brings the head up to date",
                error.remedy,
                then=f"go on: entry {entry.seq} need not be recorded again",
            ) from error
        return entry

    def _write_line(self, line: bytes) -> None:
        """Append ``line`` (in one write, unless a full disk takes only part of it) and make it
        durable; when that fails, none of it stays.

        The file ends where the last entry did (a transaction set aside any torn tail), so
        cutting it back there takes away only the part of this line that reached the disk.
        """
        created = not existing_file(self.path)
        with machine_faults(self.path):
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, RECORD_FILE)
            try:
                end = os.lseek(descriptor, 0, os.SEEK_END)
                try:
                    written = memoryview(line)
                    while written:
                        written = written[os.write(descriptor, written) :]
                    os.fsync(descriptor)
                except BaseException:
                    os.ftruncate(descriptor, end)
                    raise
            finally:
                os.close(descriptor)
            if created:
                sync_folder(self.folder)

    # --- internals -------------------------------------------------------------------

    @property
    def _folder_display(self) -> str:
        return self.display.rsplit("/", 1)[0]

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """The lock for reading the whole record, where the folder can be written.

        A copy this account cannot write (an archived dossier on a read-only disk, a
        folder it may only read) is read without the lock: creating the lock file is what
        fails there, and tender cannot write that copy either, so no tender of this account
        is there to keep out. The head is read before and after the lines, as
        :meth:`new_entries` reads it, so even a writer with other rights at work meanwhile
        cannot upset the check.
        """
        if self.folder.exists() and not os.access(self.folder, os.W_OK):
            yield
            return
        with self._locked():
            yield

    @contextmanager
    def _locked(self) -> Iterator[None]:
        lock = self.folder / LOCK_NAME
        for path in (self.folder, self.path, self.head_path, self.torn_path, lock):
            confine(self.folder.parent, path)  # appended to or opened in place: links followed
        make_room(self.folder, self._group)
        try:
            with machine_faults(self.folder / LOCK_NAME), self._lock:
                yield
        except Timeout:
            raise RecordBusyError(
                f"{self.display} is locked by another process for more than "
                f"{LOCK_TIMEOUT_SECONDS:.0f} s; try again in a moment"
            ) from None

    def _start_reading(self, head: Head | None, *, keep_new: bool) -> None:
        """Set which of the entries about to be read this ledger keeps: only those it needs.

        Checking the head needs the entry it names and those after. A transaction also
        keeps every entry it reads that others appended, for the next :meth:`new_entries`.
        If the head names an entry before those kept (it was moved back by hand), or the
        line read last is no longer where it was (the record was cut back or rewritten),
        reading starts again from the first line, so that the checks see what they need.
        """
        cursor = self._cursor
        first = max(1, head.seq if head else 1)
        if keep_new and cursor.offset:
            first = min(first, cursor.seq + 1)
        if cursor.offset == 0 or first < cursor.first or not self._holds_last_line(cursor):
            if self._reached[0]:
                first = min(first, self._reached[0])  # for _check_reached to compare it
            self._cursor = _Cursor(first=first)
        elif first > cursor.first:
            cursor.entries = [entry for entry in cursor.entries if entry.seq >= first]
            cursor.first = first

    def _holds_last_line(self, cursor: _Cursor) -> bool:
        """Whether the line ``cursor`` read last still ends where it did."""
        expected = cursor.last_line + b"\n"
        if not existing_file(self.path):
            return False
        with machine_faults(self.path), self.path.open("rb") as stream:
            stream.seek(cursor.offset - len(expected))
            return stream.read(len(expected)) == expected

    def _check_reached(self) -> None:
        """Refuse a record that no longer holds what this ledger read or wrote before.

        The record only grows: entries that were there and are gone, or replaced, mean
        it was cut back or rewritten (a backup put back, say) while this process ran.
        """
        seq, digest = self._reached
        cursor = self._cursor
        if cursor.seq < seq:
            raise RecordDamagedError(
                self.display,
                cursor.line + 1,
                f"{_entries(cursor.seq + 1, seq, 'missing')}: this process read them before, "
                "so the record was cut back meanwhile",
            )
        if seq >= cursor.first and seq and cursor.entries[seq - cursor.first].hash != digest:
            raise RecordDamagedError(
                self.display,
                cursor.entries[seq - cursor.first].line,
                f"entry {seq} is not the one this process read before: the record was "
                "rewritten meanwhile",
            )

    def _read_new(self, cursor: _Cursor | None = None) -> None:
        for _ in self._lines(cursor or self._cursor):
            pass

    def _lines(self, cursor: _Cursor) -> Iterator[Entry]:
        """The complete lines after ``cursor``, each checked against the chain as it is read."""
        if not existing_file(self.path):
            return
        with machine_faults(self.path):
            stream = self.path.open("rb")
        with stream:
            stream.seek(cursor.offset)
            # Iterating a binary file splits on "\n" only: splitlines() would also split on
            # "\r", so a line ending changed to "\r" would pass as white space that JSON
            # ignores, and the change would go unseen.
            for raw in stream:
                if not raw.endswith(b"\n"):
                    return  # a torn or in-progress last line is not an entry
                yield self._take(raw[:-1], cursor)

    def _take(self, raw: bytes, cursor: _Cursor) -> Entry:
        """Check one line (without its newline) against the chain so far, and move on past it."""
        line_number = cursor.line + 1
        entry = self._parse(raw, line_number, cursor)
        cursor.last_line = raw
        cursor.offset += len(raw) + 1
        cursor.line = line_number
        cursor.seq = entry.seq
        cursor.last_hash = entry.hash
        if entry.seq >= cursor.first:
            cursor.entries.append(entry)
        return entry

    def _parse(self, raw: bytes, line: int, cursor: _Cursor) -> Entry:
        def damaged(message: str) -> RecordDamagedError:
            return RecordDamagedError(self.display, line, message)

        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise damaged("the line is not a readable entry (changed outside tender?)") from None
        if not isinstance(body, dict) or set(body) not in (_ENTRY_KEYS, _SIGNED_ENTRY_KEYS):
            raise damaged("the line does not have the fields of an entry")
        claimed = body.pop("hash")
        signed = _sealed(raw, claimed)
        if signed is None:
            if _digest(body) != claimed:
                raise damaged(
                    f"entry {body.get('seq')} was changed after it was recorded "
                    "(its hash does not match)"
                )
            signed = _canonical({key: value for key, value in body.items() if key != "sig"})
        body["hash"] = claimed
        if body["prev"] != cursor.last_hash:
            raise damaged(
                f"entry {body.get('seq')} does not follow entry {cursor.seq} "
                "(a line before it was removed, added or moved)"
            )
        if body["seq"] != cursor.seq + 1:
            raise damaged(f"entry {body['seq']} stands where entry {cursor.seq + 1} belongs")
        try:
            return _entry_from(body, line, signed=signed)
        except (KeyError, TypeError, ValueError):
            raise damaged("the entry's fields have the wrong types") from None

    def _check_head(self, cursor: _Cursor, before: Head | None, after: Head | None) -> int:
        """Compare the chain with the head file; return how many entries it lags (0 or 1).

        ``before`` and ``after`` are the head as read before and after the lines (under the
        lock, the same): what it claims is checked against the first, the lag against the second.
        """
        head = before
        head_seq = head.seq if head else 0
        if head_seq > cursor.seq:
            raise RecordDamagedError(
                self.display,
                cursor.line + 1,
                f"{_entries(cursor.seq + 1, head_seq, 'missing')} (the head says {head_seq})",
            )
        if head and head.seq and cursor.entries[head.seq - cursor.first].hash != head.hash:
            raise RecordDamagedError(
                self.display, head.seq, f"entry {head.seq} is not the one the head recorded"
            )
        head_seq = max(head_seq, after.seq if after else 0)
        lag = max(0, cursor.seq - head_seq)
        # One entry beyond the head is a write interrupted after its line was durable and
        # before the head was updated: the entry is sound and the next writer moves the head.
        if lag > 1:
            raise RecordDamagedError(
                self.display,
                cursor.entries[head_seq + 1 - cursor.first].line,
                f"{_entries(head_seq + 1, cursor.seq, 'added outside tender')} "
                f"(the head says {head_seq})",
            )
        return lag

    def _set_aside_torn_tail(self) -> None:
        if not existing_file(self.path):
            return
        with machine_faults(self.path), self.path.open("r+b") as stream:
            size = os.fstat(stream.fileno()).st_size
            stream.seek(max(0, size - 1))
            if size == 0 or stream.read(1) == b"\n":
                return
            stream.seek(0)
            data = stream.read()
            keep = data.rfind(b"\n") + 1
            with machine_faults(self.torn_path), self.torn_path.open("ab") as torn:
                stamp = self._clock().astimezone(UTC).isoformat(timespec="seconds")
                torn.write(
                    f"# {stamp} set aside after byte {keep}:\n".encode() + data[keep:] + b"\n"
                )
                torn.flush()
                os.fsync(torn.fileno())
            stream.truncate(keep)
            stream.flush()
            os.fsync(stream.fileno())

    def _write_head(self, head: Head) -> None:
        write_file(self.head_path, encode_head(head).encode(), mode=RECORD_FILE)


def encode_entry(body: Mapping[str, Any], *, signer: Signer | None = None) -> tuple[str, bytes]:
    """An entry's hash and its line as the ledger writes it, from its fields without the hash.

    ``body`` holds ``seq``, ``at``, ``by``, ``account``, ``event`` and ``prev``. ``signer``
    (the key of ``by``) signs the canonical JSON (sorted keys, no spaces, UTF-8) of the
    body; the line is the canonical JSON of the body with its signature and its hash, and
    a newline. Tools that build a record in bulk (the benchmarks' dossiers) write lines
    with this, so that they are exactly what :meth:`Ledger.transaction` appends.
    """
    if signer is not None:
        if signer.member != body["by"]:
            raise ValueError(f"{signer.member}'s key cannot sign an entry by {body['by']}")
        body = {**body, "sig": signer.sign(_canonical(body))}
    digest = _digest(body)
    sealed = {**body, "hash": digest}
    line = json.dumps(sealed, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return digest, line.encode()


def encode_head(head: Head) -> str:
    """The text of ``ledger.head`` for ``head``."""
    return json.dumps({"seq": head.seq, "hash": head.hash}) + "\n"


def _sealed(raw: bytes, claimed: object) -> bytes | None:
    """Whether ``raw`` is a line as tender writes it, sealed by the hash ``claimed``.

    The quick check for the usual line: it ends in its hash, the previous hash and its
    number, in that order, and the SHA-256 of the line without its own hash field is
    ``claimed``. Those bytes, with the hash put back where the check took it from, are
    the whole line, so the hash seals the line exactly as :func:`_digest` does the
    fields it holds (which take the canonical JSON of the fields to recompute: most of
    the cost of reading a large record). A line in any other form (edited by hand,
    re-indented) is checked the long way.

    Returns the bytes the line's signature covers (the same line without its signature
    either), or None when the line is not in that form or its hash does not match.
    """
    if not isinstance(claimed, str):
        return None
    start = raw.rfind(b',"hash":"')
    tail = _SEALED_TAIL.fullmatch(raw, start) if start > 0 else None
    if tail is None or tail.group(1) != claimed.encode():
        return None
    unhashed = raw[:start] + raw[start + _HASH_FIELD :]
    if hashlib.sha256(unhashed).hexdigest() != claimed:
        return None
    signature = tail.group(2)
    return unhashed[: -len(signature) - 1] + b"}" if signature else unhashed


def _entries(first: int, last: int, what: str) -> str:
    """``entry 4 is missing``, ``entries 4 to 6 are missing`` (``was``/``were`` for ``added``)."""
    one, many = ("was", "were") if what.startswith("added") else ("is", "are")
    if first == last:
        return f"entry {first} {one} {what}"
    return f"entries {first} to {last} {many} {what}"


def _canonical(body: Mapping[str, Any]) -> bytes:
    """The canonical JSON of an entry's fields: sorted keys, no spaces, UTF-8."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _digest(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(body)).hexdigest()


def _entry_from(body: Mapping[str, Any], line: int, *, signed: bytes) -> Entry:
    event = body["event"]
    signature = body.get("sig")
    if not isinstance(event, dict) or not isinstance(body["by"], str):
        raise TypeError("event must be a mapping and by a string")
    if signature is not None and not isinstance(signature, str):
        raise TypeError("a signature is text")
    return Entry(
        seq=int(body["seq"]),
        at=datetime.fromisoformat(body["at"]),
        by=body["by"],
        account=str(body["account"]),
        event=event,
        prev=str(body["prev"]),
        hash=str(body["hash"]),
        line=line,
        signature=signature,
        signed=signed,
    )


def _account() -> str:
    """The operating-system account and machine that wrote an entry, for information.

    Taken from the system's user database, not from ``LOGNAME`` or ``USER``, which anyone
    sets; who acted is proven by the entry's signature, not by this.
    """
    try:
        user = pwd.getpwuid(os.getuid()).pw_name if pwd else getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"
