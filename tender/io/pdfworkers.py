"""Parse many PDFs in parallel, each in a worker process bounded in time and memory.

A bid's PDF is untrusted input: a decompression bomb or a file that sends the
reader into a loop must cost that bid a finding, not the committee its machine.
So every file is parsed in a worker process (``python -m tender.io.pdfworkers``)
that

- has its address space capped (``RLIMIT_AS``, on Linux): a reader that runs
  out of it fails or dies on that file, which becomes a ``too-large`` or
  ``crashed`` problem, and the worker is replaced;
- is killed and replaced when one file takes longer than the time limit, which
  becomes a ``too-slow`` problem for that file;
- refuses a file larger than the size limit unread, and stops reading one whose
  text passes the text limit (``file-too-large``, ``text-too-long``).

Workers are fresh interpreters (not forks of this process, which may hold
threads, and not re-imports of the caller's main module) and live for the whole
run. Each parses one file at a time with the next one waiting in line, so a slow
file delays at most that one other file. As many run as there are cores. Requests and answers are length-prefixed frames on
the worker's stdin and stdout; answers are JSON that the parent validates, so
nothing a hostile file could make a worker say is executed. The worker's own
stdout is moved to stderr so that nothing a library prints can break a frame.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from tender.domain.errors import ExitCode, TenderError
from tender.domain.limits import (
    MIB,
    PDF_FILE_BYTES,
    PDF_MEMORY_BYTES,
    PDF_SECONDS,
    PDF_TEXT_CHARACTERS,
)
from tender.io.pdfparse import (
    PdfContent,
    PdfProblem,
    content_from_plain,
    content_to_plain,
    read_pdf,
)

if sys.platform != "win32":
    import resource

READY = b"ready"
IN_FLIGHT = 2
STARTUP_SECONDS = 60.0
_LENGTH_BYTES = 4
_STOP_GRACE_SECONDS = 5.0


@dataclass(frozen=True, kw_only=True)
class Limits:
    """What one file may cost: wall-clock seconds, bytes of address space per worker, its
    size and the characters of its text. Tests lower them; tender reads with the defaults."""

    seconds: float = PDF_SECONDS
    memory_bytes: int = PDF_MEMORY_BYTES
    file_bytes: int = PDF_FILE_BYTES
    text_characters: int = PDF_TEXT_CHARACTERS


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Job:
    """One file to parse; ``key`` is how the caller recognises the result."""

    key: str
    path: Path


Done = Callable[[Job, PdfContent], None]


class ReaderStartError(TenderError):
    """A PDF worker process could not start: the installation, not a bid, is at fault."""

    exit_code = ExitCode.INTERNAL


def parse_all(
    jobs: Sequence[Job], *, limits: Limits, workers: int | None = None, done: Done
) -> None:
    """Parse every job's file in bounded worker processes; call ``done`` as each one finishes.

    Results arrive in the order files finish, not the order given.
    """
    if not jobs:
        return
    count = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    _Pool(count=count, limits=limits).run(jobs, done)


class _Worker:
    """One worker process, and a thread that forwards each frame it writes to the pool.

    A worker holds up to :data:`IN_FLIGHT` files, so that it starts on the next one
    while the parent takes in the last; the time limit runs for the first of them,
    from the moment the worker began it.
    """

    def __init__(self, limits: Limits, inbox: queue.Queue[tuple[_Worker, bytes | None]]) -> None:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker; closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                __name__,
                *(
                    str(value)
                    for value in (limits.memory_bytes, limits.file_bytes, limits.text_characters)
                ),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
        )
        self.spawned = time.monotonic()
        self.ready = False
        self.jobs: deque[Job] = deque()
        self.started = 0.0
        threading.Thread(target=self._forward, args=(inbox,), daemon=True).start()

    def _forward(self, inbox: queue.Queue[tuple[_Worker, bytes | None]]) -> None:
        assert self.process.stdout is not None
        with self.process.stdout as answers:
            while True:
                frame = read_frame(answers)
                inbox.put((self, frame))
                if frame is None:
                    return

    def assign(self, job: Job) -> None:
        assert self.process.stdin is not None
        if not self.jobs:
            self.started = time.monotonic()
        self.jobs.append(job)
        with suppress(OSError):  # a worker that died meanwhile is reported by its reader
            write_frame(self.process.stdin, os.fsencode(job.path))

    def finished(self) -> Job:
        """The file the worker just answered for; the clock starts for the next one."""
        self.started = time.monotonic()
        return self.jobs.popleft()

    def stop(self) -> None:
        """Let an idle worker finish by closing its input; kill a busy or stuck one."""
        assert self.process.stdin is not None
        if not self.jobs:
            try:
                self.process.stdin.close()
                self.process.wait(_STOP_GRACE_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
        else:
            self.process.kill()
        self.process.wait()
        with suppress(OSError):
            self.process.stdin.close()
        self.errors.close()

    def error_output(self) -> str:
        self.errors.seek(0)
        return self.errors.read().decode(errors="replace").strip()[-2000:]


@dataclass(kw_only=True)
class _Pool:
    count: int
    limits: Limits
    pending: deque[Job] = field(default_factory=deque)
    inbox: queue.Queue[tuple[_Worker, bytes | None]] = field(default_factory=queue.Queue)
    workers: list[_Worker] = field(default_factory=list)

    def run(self, jobs: Sequence[Job], done: Done) -> None:
        self.pending.extend(jobs)
        try:
            while self.pending or any(worker.jobs for worker in self.workers):
                while len(self.workers) < min(self.count, len(self.pending) + self._busy()):
                    self.workers.append(_Worker(self.limits, self.inbox))
                for worker in self.workers:
                    while worker.ready and len(worker.jobs) < IN_FLIGHT and self.pending:
                        worker.assign(self.pending.popleft())
                try:
                    worker, frame = self.inbox.get(timeout=self._wait())
                except queue.Empty:
                    pass
                else:
                    if worker in self.workers:
                        self._receive(worker, frame, done)
                self._enforce_limits(done)
        finally:
            for worker in self.workers:
                worker.stop()

    def _busy(self) -> int:
        return sum(1 for worker in self.workers if worker.jobs)

    def _wait(self) -> float:
        deadlines = [
            worker.started + self.limits.seconds
            if worker.jobs
            else worker.spawned + STARTUP_SECONDS
            for worker in self.workers
            if worker.jobs or not worker.ready
        ]
        return max(0.0, min(deadlines, default=STARTUP_SECONDS) - time.monotonic())

    def _receive(self, worker: _Worker, frame: bytes | None, done: Done) -> None:
        if frame is None:
            exit_code = worker.process.wait()
            if worker.jobs:
                self._fail(worker, done, _died(exit_code, self.limits))
                return
            message = worker.error_output() or "no message"
            self._retire(worker)
            if not worker.ready:  # an idle worker that died is simply replaced when needed
                raise ReaderStartError(
                    f"a PDF reader process stopped before it read anything (exit code "
                    f"{exit_code}): {message}"
                )
        elif not worker.ready:
            worker.ready = frame == READY
        elif worker.jobs:
            content = _decode(frame)
            if content is None:
                self._fail(worker, done, _died(None, self.limits))
                return
            done(worker.finished(), content)

    def _enforce_limits(self, done: Done) -> None:
        now = time.monotonic()
        for worker in list(self.workers):
            if worker.jobs and now - worker.started > self.limits.seconds:
                self._fail(
                    worker,
                    done,
                    PdfProblem(
                        "too-slow",
                        f"reading the PDF took longer than {self.limits.seconds:g} seconds; "
                        "it was stopped",
                    ),
                )
            elif not worker.ready and now - worker.spawned > STARTUP_SECONDS:
                self._retire(worker)
                raise ReaderStartError(
                    f"a PDF reader process did not start within {STARTUP_SECONDS:g} seconds"
                )

    def _fail(self, worker: _Worker, done: Done, problem: PdfProblem) -> None:
        """Record the problem for the file the worker was on; its other files go to a fresh one."""
        job = worker.jobs.popleft()
        self.pending.extendleft(reversed(worker.jobs))
        worker.jobs.clear()
        self._retire(worker)
        done(job, PdfContent(problem=problem))

    def _retire(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.stop()


def _decode(frame: bytes) -> PdfContent | None:
    try:
        return content_from_plain(json.loads(frame))
    except ValueError:
        return None


def _died(exit_code: int | None, limits: Limits) -> PdfProblem:
    if exit_code is None:
        how = "sent back something unreadable"
    elif exit_code < 0:
        how = f"stopped by signal {-exit_code}"
    else:
        how = f"stopped with exit code {exit_code}"
    return PdfProblem(
        "crashed",
        f"the PDF reader {how} on this file; it is damaged or needs more than "
        f"{limits.memory_bytes // MIB} MiB of memory",
    )


# --- frames -----------------------------------------------------------------------------


def write_frame(stream: IO[bytes], payload: bytes) -> None:
    stream.write(len(payload).to_bytes(_LENGTH_BYTES, "big") + payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> bytes | None:
    """The next frame, or None at the end of the stream (or a torn frame: the writer died)."""
    header = _read_exactly(stream, _LENGTH_BYTES)
    if header is None:
        return None
    return _read_exactly(stream, int.from_bytes(header, "big"))


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


# --- the worker process -----------------------------------------------------------------


def serve(memory_bytes: int, file_bytes: int, text_characters: int) -> None:
    """Worker main loop: read a path, answer with its content as JSON, until input ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    answers: BinaryIO = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr
    requests = sys.stdin.buffer
    _cap_memory(memory_bytes)
    write_frame(answers, READY)
    while (frame := read_frame(requests)) is not None:
        content = _parse_file(
            Path(os.fsdecode(frame)),
            memory_bytes=memory_bytes,
            file_bytes=file_bytes,
            text_characters=text_characters,
        )
        write_frame(answers, _encode(content))


def _encode(content: PdfContent) -> bytes:
    plain: Any = content_to_plain(content)
    return json.dumps(plain, ensure_ascii=False).encode()


def _parse_file(
    path: Path, *, memory_bytes: int, file_bytes: int, text_characters: int
) -> PdfContent:
    try:
        return read_pdf(path, file_bytes=file_bytes, text_characters=text_characters)
    except MemoryError:
        return PdfContent(
            problem=PdfProblem(
                "too-large",
                f"reading the PDF needs more than {memory_bytes // MIB} MiB of memory; "
                "it was stopped",
            )
        )
    except OSError as error:
        return PdfContent(
            problem=PdfProblem("unavailable", f"the file cannot be opened: {error.strerror}")
        )


def _cap_memory(memory_bytes: int) -> None:
    if sys.platform == "win32":
        return  # no address-space limit there; the time limit still applies
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    with suppress(ValueError, OSError):  # macOS does not enforce (or accept) this limit
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


if __name__ == "__main__":
    serve(*(int(argument) for argument in sys.argv[1:4]))
