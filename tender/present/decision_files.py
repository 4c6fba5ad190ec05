"""The decisions as files for ``reports/decisions/``: JSON with exact figures, and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import PurePosixPath

from tender.award.decisions import Decision, exact, shown
from tender.domain.dossier import Dossier
from tender.present.render import Rendered

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
