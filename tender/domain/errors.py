"""The one error family of tender, and the exit codes the CLI turns it into.

Every stage raises a subclass of :class:`TenderError`; the CLI catches that base
class once, prints the message to stderr and exits with the error's code. No
stage prints or exits by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes documented in the README."""

    OK = 0
    DATA = 1
    USAGE = 2
    RECORD = 3
    REFUSED = 4
    MACHINE = 5
    INTERRUPTED = 130
    INTERNAL = 70


@dataclass(frozen=True, kw_only=True, order=True)
class Problem:
    """One mistake in the dossier: where it is, and what was wrong and expected."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class TenderError(Exception):
    """Base of every error that tender reports to its user."""

    exit_code: ExitCode = ExitCode.DATA


class DossierError(TenderError):
    """The dossier has one or more problems; all of them are carried, sorted by place."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=_place))
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"{count} {noun} in the dossier:\n{lines}")


class UsageError(TenderError):
    """The command was called in a way that cannot work (a bad option value, a missing folder)."""

    exit_code = ExitCode.USAGE


class InputError(TenderError):
    """A value typed or imported by a person is not acceptable (off the scale, unknown id)."""


class RecordDamagedError(TenderError):
    """The record of decisions fails verification: a line was changed, lost, added or moved."""

    exit_code = ExitCode.RECORD

    def __init__(self, file: str, line: int, message: str) -> None:
        self.file, self.line, self.detail = file, line, message
        super().__init__(f"{file}:{line}: {message}")


class RuleBrokenError(RecordDamagedError):
    """An entry of the record is intact but the procedure did not allow it (a forged entry)."""


class SignatureError(RecordDamagedError):
    """An entry of the record is not signed by its author's key: unsigned, or another's."""


class EvidenceError(TenderError):
    """What the record holds evidence of no longer matches the files: every change is listed."""

    exit_code = ExitCode.RECORD

    def __init__(self, summary: str, changes: Iterable[str]) -> None:
        self.summary, self.changes = summary, tuple(changes)
        super().__init__("\n".join((summary, *(f"  {change}" for change in self.changes))))


class FrozenInputError(EvidenceError):
    """A criteria or bid file differs from what the record froze at the opening."""


class SentFilesError(EvidenceError):
    """Sent letters on disk differ from what the record says was sent, or the record lost them."""


class RefusedError(TenderError):
    """The procedure does not allow this now (wrong phase, scores frozen, conflict of interest)."""

    exit_code = ExitCode.REFUSED


class MachineError(TenderError):
    """The machine refused (disk full, read-only, no permission, something else in a file's
    place): the path, what is wrong there and what to do about it."""

    exit_code = ExitCode.MACHINE

    def __init__(
        self, path: str, fault: str, remedy: str, *, then: str = "run the command again"
    ) -> None:
        self.path, self.fault, self.remedy = path, fault, remedy
        super().__init__(f"{path}: {fault}; {remedy}, then {then}")


class RecordBusyError(RefusedError):
    """Another process held the record's lock for too long."""


def _place(problem: Problem) -> tuple[str, int, str]:
    return (problem.file, problem.line or 0, problem.field or "")
