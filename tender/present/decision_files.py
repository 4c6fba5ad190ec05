"""The decisions as files for ``reports/decisions/``: JSON with exact figures, and CSV."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePosixPath

from tender.award.decisions import Decision, exact, shown
from tender.domain.dossier import Dossier
from tender.io.csvcells import Figure, csv_text
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
    """The decisions as JSON (exact figures as text) and as CSV, for ``reports/decisions/``.

    In the CSV the figures tender computed are numbers and everything else is text that no
    spreadsheet runs (:mod:`tender.io.csvcells`): a bidder's name may start with '='.
    """
    subs = [sub.id for sub in dossier.award.sub_criteria]
    records = [decision_record(decision, subs) for decision in decisions]
    rows: list[list[str | Figure]] = [[*DECISION_COLUMNS, *subs]]
    for decision in decisions:
        mean, margin = decision.weighted_mean, decision.margin
        finals = {final.sub_criterion: exact(final.value) for final in decision.finals}
        rows.append(
            [
                decision.bid,
                decision.bidder,
                decision.outcome,
                "" if mean is None else Figure(text=str(shown(mean))),
                "" if mean is None else Figure(text=exact(mean)),
                "" if margin is None else Figure(text=exact(margin)),
                " | ".join(reason.message for reason in decision.reasons),
                *(Figure(text=finals[sub]) if sub in finals else "" for sub in subs),
            ]
        )
    document = {"reference": dossier.procedure.reference, "decisions": records}
    return (
        Rendered(
            PurePosixPath("decisions.json"),
            (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode(),
        ),
        Rendered(PurePosixPath("decisions.csv"), csv_text(rows).encode()),
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
