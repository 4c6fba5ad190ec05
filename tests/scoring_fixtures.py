"""A small committee dossier for the scoring tests: three bids, three evaluators, one conflict.

evaluator-1 chairs; evaluator-3 declared a conflict with bid-002. The scale is
0-2-4-6-8-10 and the sub-criteria are criterion-1 and criterion-2 (the ``init``
templates), so each evaluator has 6 items, except evaluator-3 with 4.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from tender.app.opening import open_bids as open_as_chair
from tender.domain.dossier import Dossier
from tender.io.loader import load_dossier
from tender.record.recorder import Recorder
from tests.conftest import MINIMAL_PDF, VALID_BID, DossierFactory
from tests.keys import keyed

BIDS = ("bid-001", "bid-002", "bid-003")
SUBS = ("criterion-1", "criterion-2")
CHAIR = "evaluator-1"
EVALUATORS = ("evaluator-1", "evaluator-2", "evaluator-3")
SCALE = "0, 2, 4, 6, 8, 10"

COMMITTEE = """\
chair: evaluator-1
evaluators:
  - id: evaluator-1
    name: First Evaluator
    role: policy
  - id: evaluator-2
    name: Second Evaluator
    role: execution
  - id: evaluator-3
    name: Third Evaluator
    role: contract-management
conflicts:
  - evaluator: evaluator-3
    bid: bid-002
    reason: Former employee of the bidder.
    declared: 2026-11-12
"""


def committee_files() -> dict[str, str | bytes | None]:
    files: dict[str, str | bytes | None] = {"criteria/committee.yaml": keyed(COMMITTEE)}
    for number, bid in enumerate(BIDS, 1):
        files[f"submissions/{bid}/bid.yaml"] = VALID_BID.replace(
            "Thuiszorg Zonnebloem B.V.", f"Zorgaanbieder {number} B.V."
        )
        files[f"submissions/{bid}/kwaliteitsplan.pdf"] = MINIMAL_PDF
        files[f"submissions/{bid}/uea.pdf"] = MINIMAL_PDF
    return files


def committee_root(
    make_dossier: DossierFactory,
    extra: Mapping[str, str | bytes | None] | None = None,
    *,
    opened: bool = True,
) -> Path:
    """The committee dossier, its bids opened by the chair (the record's first entry)."""
    root = make_dossier({**committee_files(), **(extra or {})})
    if opened:
        open_bids(root)
    return root


def open_bids(root: Path, *, at: datetime | None = None) -> None:
    """Open the bids of the dossier at ``root`` as its chair, as 'tender open' does; by the
    test's clock, or ``at`` (for a test whose own clock starts before that)."""
    clock = None if at is None else (lambda: at)
    open_as_chair(root, load_dossier(root).committee.chair, clock=clock)


def committee_dossier(make_dossier: DossierFactory) -> Dossier:
    return load_dossier(committee_root(make_dossier))


def score_all(
    recorder: Recorder,
    *,
    value: Decimal = Decimal(8),
    marker: str = "",
    reason: str | None = None,
) -> int:
    """Give every evaluator a score on every one of their items; return how many."""
    count = 0
    for person in EVALUATORS:
        for bid, sub in recorder.items_for(person):
            recorder.record_score(
                person,
                bid,
                sub,
                score=value,
                motivation=f"{marker}{person} on {bid}/{sub}",
                reason=reason,
            )
            count += 1
    return count
