"""One tender as the loader hands it on: what the authority fixed and what the bidders sent.

The folder names of a dossier are fixed here, once, for every layer; only
:mod:`tender.io.loader` builds a :class:`Dossier`, and only from files it has
validated.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tender.domain.models import (
    AwardCriteria,
    BidMetadata,
    Committee,
    Procedure,
    Suitability,
)

CRITERIA = "criteria"
SUBMISSIONS = "submissions"
BID_FILE = "bid.yaml"
SCORES_FOLDER = "scores"
REPORTS = "reports"


@dataclass(frozen=True, kw_only=True)
class Submission:
    """One bid: its folder name as id, its folder, and its validated metadata."""

    id: str
    folder: Path
    metadata: BidMetadata

    def document_path(self, document_id: str) -> Path | None:
        """The PDF the bid names for ``document_id``, or None when it sent none."""
        document = self.metadata.documents.get(document_id)
        return None if document is None else self.folder / document.file


@dataclass(frozen=True, kw_only=True)
class Dossier:
    """One tender, as fixed by the authority and as received from bidders."""

    root: Path
    procedure: Procedure
    committee: Committee
    suitability: Suitability
    award: AwardCriteria
    submissions: tuple[Submission, ...]
    files: Mapping[str, str] = field(default_factory=dict)
    """SHA-256 of every file of ``criteria/`` and of every bid's folder, by path in the dossier:
    what the opening freezes (:mod:`tender.record.rules`)."""

    def submission(self, bid_id: str) -> Submission | None:
        return self._submissions_by_id.get(bid_id)

    @functools.cached_property
    def _submissions_by_id(self) -> dict[str, Submission]:
        """The bids by id, the first of each: looked up once per bid by letters and reports."""
        found: dict[str, Submission] = {}
        for bid in self.submissions:
            found.setdefault(bid.id, bid)
        return found
