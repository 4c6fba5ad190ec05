"""What the checks found: one typed, quotable record per fact that decides or warns.

A finding carries its rule as a stable code, the figures and evidence behind it
as data, and an English message for the terminal. Letters quote the figures in
their own language (Dutch by default), so the message is never parsed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

Figure = str | int | Decimal | date | datetime | None


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One fact about a bid: which rule, what the figures were, where it was seen."""

    rule: str
    message: str
    figures: Mapping[str, Figure] = field(default_factory=dict)
    document: str | None = None
    page: int | None = None
    evidence: str | None = None
