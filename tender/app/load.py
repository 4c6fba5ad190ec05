"""Where an evaluation stands: the dossier, what the checks found, and what the record holds.

The commands that work on the whole evaluation (decide, letters, report, audit,
export, run) start from the same three things; :func:`load_evaluation` gathers
them once so that each command is a few lines over the stages.
"""

from __future__ import annotations

from pathlib import Path

from tender.award.evaluation import Evaluation
from tender.bids.suitability import assess
from tender.domain.dossier import Dossier
from tender.domain.progress import Progress, silent
from tender.io.loader import load_dossier
from tender.record.book import ScoreBook
from tender.record.replay import read_book


def load_evaluation(root: Path, *, progress: Progress = silent) -> Evaluation:
    """Load and check the dossier, replay its record, and read its documents."""
    dossier = load_dossier(root)
    return evaluate(dossier, read_book(dossier), progress=progress)


def evaluate(dossier: Dossier, book: ScoreBook, *, progress: Progress = silent) -> Evaluation:
    """The evaluation of a loaded dossier whose record was replayed already (a recorder's book)."""
    return Evaluation(
        dossier=dossier, assessments=assess(dossier, book, progress=progress), book=book
    )
