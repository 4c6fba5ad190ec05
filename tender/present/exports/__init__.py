"""Exports of the evaluation: OCDS for publication, a workbook and CSV for people, JSON for machines.

Every export is made from one :class:`Snapshot`: the evaluation (dossier,
assessments, record), its decisions when they can be taken, and the head of the
record it was made from, so that each file says which state of the record it
shows. The modules :mod:`~tender.present.exports.ocds`, :mod:`~tender.present.exports.workbook`
and :mod:`~tender.present.exports.result` are pure functions from a snapshot to data or
bytes; the snapshot is taken by :func:`tender.app.snapshot.take_snapshot`, and
files the user names are written by :func:`tender.io.atomic.write_chosen_file` (everything
under ``reports/`` goes through :func:`tender.present.render.publish`).

Individual scores follow the visibility rule of :mod:`tender.record.disclosure`: they
are in an export only once the chair has opened the consensus phase.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from tender.award.decisions import Decision
from tender.award.evaluation import Evaluation
from tender.domain.deadlines import StandstillPeriod
from tender.domain.dossier import REPORTS
from tender.io.faults import machine_faults
from tender.present.render import Rendered, publish, recover
from tender.record.book import Dispatch

EXPORTS = "exports"
"""The set under ``reports/`` that holds every export, one folder per format."""


@dataclass(frozen=True, kw_only=True)
class RecordHead:
    """How far the record went when the export was made: proof of which state it shows."""

    entries: int
    hash: str
    at: datetime | None
    """When the last entry was recorded (UTC); None for an empty record."""


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """Everything one export is made from."""

    evaluation: Evaluation
    decisions: tuple[Decision, ...] | None
    """None while decisions cannot be taken yet; :attr:`note` says why."""
    note: str | None
    head: RecordHead

    @property
    def scores_visible(self) -> bool:
        """Individual scores may be exported: the consensus phase has been opened."""
        return self.evaluation.book.phase != "individual"

    @property
    def dispatch(self) -> Dispatch | None:
        """The provisional award letters in force (sent and not withdrawn), if any."""
        return self.evaluation.book.sent

    @property
    def definitive_sent(self) -> date | None:
        dispatch = self.dispatch
        return None if dispatch is None or dispatch.definitive is None else dispatch.definitive.sent

    @property
    def standstill(self) -> StandstillPeriod | None:
        """The standstill of the letters in force, else of the planned award date, else None."""
        dispatch = self.dispatch
        if dispatch is not None:
            return self.evaluation.standstill(dispatch.sent)
        planned = self.evaluation.dossier.procedure.planned.provisional_award
        return None if planned is None else self.evaluation.standstill(planned)

    @property
    def standstill_end(self) -> date | None:
        """The end date the letters in force gave (as recorded), else the planned one."""
        dispatch = self.dispatch
        if dispatch is not None:
            return dispatch.standstill_end
        period = self.standstill
        return None if period is None else period.end


def publish_export(
    root: Path, kind: str, files: Sequence[Rendered], *, group: str | None = None
) -> Path:
    """Replace ``reports/exports/<kind>/`` by ``files``; the other kinds' folders stay as they are.

    ``reports/exports/`` is one published set: the exports of the other kinds are
    read and published again with the new one, so the set is always whole.
    Returns the kind's folder.
    """
    folder = root / REPORTS / EXPORTS
    kept = []
    with machine_faults(folder):  # putting back an interrupted set, reading the other kinds
        recover(root, EXPORTS)
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder)
                if path.is_file() and relative.parts[0] != kind:
                    kept.append(Rendered(PurePosixPath(relative.as_posix()), path.read_bytes()))
    fresh = [Rendered(PurePosixPath(kind) / item.path, item.content) for item in files]
    return publish(root, EXPORTS, [*kept, *fresh], group=group) / kind


def safe_stem(text: str) -> str:
    """``text`` as a file-name stem: letters, digits, '.', '_' and '-' kept, the rest '-'.

    >>> safe_stem("VS-2017/WMO 014")
    'VS-2017-WMO-014'
    """
    kept = "".join(
        char if char.isascii() and (char.isalnum() or char in "._-") else "-" for char in text
    )
    return kept.strip(".-") or "tender"
