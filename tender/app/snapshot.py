"""One state of the evaluation for the exports: the record verified, then read once.

:func:`take_snapshot` refuses when the record moved between verifying it and
reading it, so that an export always shows one state of the record.
"""

from __future__ import annotations

from pathlib import Path

from tender.app.load import load_evaluation
from tender.domain.dossier import SCORES_FOLDER
from tender.domain.errors import RefusedError
from tender.domain.progress import Progress, silent
from tender.present.exports import RecordHead, Snapshot
from tender.record.ledger import GENESIS, Ledger


def take_snapshot(root: Path, *, progress: Progress = silent) -> Snapshot:
    """Verify the record, load the evaluation, and take the decisions when they can be taken.

    Refused when the record changed between the two reads (someone recorded
    something meanwhile): the export would not show one state.
    """
    entries = Ledger(root / SCORES_FOLDER).verify()
    head = RecordHead(
        entries=len(entries),
        hash=entries[-1].hash if entries else GENESIS,
        at=entries[-1].at if entries else None,
    )
    evaluation = load_evaluation(root, progress=progress)
    if evaluation.book.applied != head.entries:
        raise RefusedError(
            "the record changed while the export was being made; run the export again"
        )
    decisions, note = evaluation.decisions_or_reason()
    return Snapshot(evaluation=evaluation, decisions=decisions, note=note, head=head)
