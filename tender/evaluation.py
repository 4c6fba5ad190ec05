"""Where an evaluation stands: the dossier, what the checks found, and what the record holds.

The commands that work on the whole evaluation (decide, letters, report, audit,
export, run) start from the same three things; :func:`load_evaluation` gathers
them once so that each command is a few lines over the stages.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from tender.deadlines import StandstillPeriod, standstill
from tender.decisions import Decision, decide, exact, shown
from tender.dossier import Dossier, load_dossier
from tender.ledger import Ledger
from tender.render import Rendered
from tender.scoring import SCORES_FOLDER, ScoreBook
from tender.suitability import BidAssessment, assess


@dataclass(frozen=True)
class Evaluation:
    """One dossier with its assessments and the current state of its record."""

    dossier: Dossier
    assessments: tuple[BidAssessment, ...]
    book: ScoreBook

    def decide(self) -> tuple[Decision, ...]:
        return decide(self.dossier, self.assessments, self.book)

    def standstill(self, sent: date) -> StandstillPeriod:
        rules = self.dossier.procedure.standstill
        return standstill(
            sent,
            days=rules.days,
            statutory=rules.statutory,
            extra_holidays=self.dossier.procedure.extra_holidays,
        )


def load_evaluation(root: Path, *, progress: bool = True) -> Evaluation:
    """Load and check the dossier, replay its record, and read its documents."""
    dossier = load_dossier(root)
    book = ScoreBook.replay(Ledger(root / SCORES_FOLDER).stream())
    return evaluate(dossier, book, progress=progress)


def evaluate(dossier: Dossier, book: ScoreBook, *, progress: bool = True) -> Evaluation:
    """The evaluation of a loaded dossier whose record was replayed already (a recorder's book)."""
    return Evaluation(dossier, assess(dossier, progress=progress, book=book), book)


DECISION_COLUMNS = (
    "bid",
    "bidder",
    "outcome",
    "weighted_mean",
    "weighted_mean_exact",
    "margin_exact",
    "reasons",
)


def decision_files(dossier: Dossier, decisions: Sequence[Decision]) -> tuple[Rendered, ...]:
    """The decisions as JSON (exact figures as text) and as CSV, for ``reports/decisions/``."""
    subs = [sub.id for sub in dossier.award.sub_criteria]
    records = [decision_record(decision, subs) for decision in decisions]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=[*DECISION_COLUMNS, *subs], lineterminator="\n")
    writer.writeheader()
    for decision, record in zip(decisions, records, strict=True):
        row = {key: record[key] for key in DECISION_COLUMNS if key != "reasons"}
        row["reasons"] = " | ".join(reason.message for reason in decision.reasons)
        finals = {final.sub_criterion: exact(final.value) for final in decision.finals}
        writer.writerow({**row, **{sub: finals.get(sub, "") for sub in subs}})
    document = {"reference": dossier.procedure.reference, "decisions": records}
    return (
        Rendered(
            PurePosixPath("decisions.json"),
            (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode(),
        ),
        Rendered(PurePosixPath("decisions.csv"), text.getvalue().encode()),
    )


def decision_record(decision: Decision, subs: Sequence[str]) -> dict[str, object]:
    """One decision as plain data: every figure exact, as text."""
    finals = {final.sub_criterion: exact(final.value) for final in decision.finals}
    mean = decision.weighted_mean
    margin = decision.margin
    return {
        "bid": decision.bid,
        "bidder": decision.bidder,
        "outcome": decision.outcome,
        "weighted_mean": "" if mean is None else str(shown(mean)),
        "weighted_mean_exact": "" if mean is None else exact(mean),
        "margin_exact": "" if margin is None else exact(margin),
        "final_scores": {sub: finals[sub] for sub in subs if sub in finals},
        "reasons": [reason.message for reason in decision.reasons],
    }
