"""Validity: whether a bid may be evaluated at all (DESIGN §2, before any scoring).

A bid is invalid when

- it was received after the deadline. The deadline in ``criteria/procedure.yaml``
  is the authority, read in the procedure's time zone; ``received`` carries its
  own offset, so the comparison is between two moments, exact to the
  microsecond. Received exactly at the deadline is on time; one second (or one
  microsecond) after it is late.
- a document required on pain of exclusion is missing, or cannot be read
  (empty, not a PDF, encrypted, damaged, too large or too slow to read): the
  committee cannot open it, so it counts as not submitted, and the finding says
  why.
- the procedure requires anonymous quality plans and the plan names the bidder.
  The name is matched as :mod:`tender.bids.names` matches names: without its legal
  form, ignoring case, accents and punctuation, as whole words; the trade-register
  (KvK) number is matched as its 8 digits,
  also when written in groups ("1234 5678", "12.34.56.78").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tender.bids.documents import BidDocuments, Document
from tender.bids.names import name_words, words_pattern
from tender.domain.dossier import Dossier, Submission
from tender.domain.findings import Finding
from tender.domain.text import fold

_EVIDENCE_WIDTH = 60


@dataclass(frozen=True, kw_only=True)
class Validity:
    """Whether a bid may be evaluated, and every reason it may not."""

    bid: str
    received: datetime
    deadline: datetime
    reasons: tuple[Finding, ...]

    @property
    def received_local(self) -> datetime:
        """When the bid came in, in the procedure's time zone."""
        return self.received.astimezone(self.deadline.tzinfo)

    @property
    def on_time(self) -> bool:
        return not is_late(self.received, self.deadline)

    @property
    def valid(self) -> bool:
        return not self.reasons


def is_late(received: datetime, deadline: datetime) -> bool:
    """Late means after the deadline: exactly at it is on time. Both carry a time zone."""
    return received > deadline


def check_validity(dossier: Dossier, bid: Submission, documents: BidDocuments) -> Validity:
    """Every reason the bid is invalid; none means it is valid."""
    deadline = dossier.procedure.deadline_at
    received = bid.metadata.received
    reasons = [*_lateness(received, deadline), *_mandatory_documents(dossier, documents)]
    if dossier.award.quality_plan.anonymous:
        plan = documents.document(dossier.award.quality_plan.document)
        if plan is not None and plan.readable:
            reasons += _named_in_plan(bid, plan)
    return Validity(bid=bid.id, received=received, deadline=deadline, reasons=tuple(reasons))


def _lateness(received: datetime, deadline: datetime) -> Iterator[Finding]:
    if not is_late(received, deadline):
        return
    late_by = received - deadline
    local = received.astimezone(deadline.tzinfo)
    yield Finding(
        rule="late",
        message=f"received {local:%Y-%m-%d %H:%M:%S}, {describe_duration(late_by)} after the deadline "
        f"{deadline:%Y-%m-%d %H:%M:%S} ({deadline.tzinfo})",
        figures={
            "received": local,
            "deadline": deadline,
            "late_by_seconds": _seconds(late_by),
        },
    )


def _mandatory_documents(dossier: Dossier, documents: BidDocuments) -> Iterator[Finding]:
    for required in dossier.procedure.documents:
        if not required.mandatory:
            continue
        document = documents.document(required.id)
        if document is None:
            yield Finding(
                rule="document-missing",
                message=f"the mandatory document '{required.id}' ({required.title}), required on "
                "pain of exclusion, was not submitted",
                figures={"document": required.id, "title": required.title},
                document=required.id,
            )
        elif document.content.problem is not None and document.content.problem.in_file:
            yield _unreadable(document)


def _unreadable(document: Document) -> Finding:
    problem = document.content.problem
    assert problem is not None
    return Finding(
        rule="document-unreadable",
        message=f"the mandatory document '{document.id}' ({document.title}) cannot be read, so it "
        f"counts as not submitted: {document.file}: {problem.message}",
        figures={
            "document": document.id,
            "title": document.title,
            "file": document.file,
            "problem": problem.kind,
        },
        document=document.id,
    )


def _named_in_plan(bid: Submission, plan: Document) -> Iterator[Finding]:
    bidder = bid.metadata.bidder
    # What identifies the bidder, with the pattern that finds it in a folded page, and the
    # text the page must hold for that (without spaces and dots, for the number): a quick
    # test that spares most pages the search and most bids compiling a pattern of their own.
    patterns: list[tuple[str, str, Callable[[], re.Pattern[str]], tuple[str, ...]]] = []
    bare = name_words(bidder.name)
    if bare:
        name = " ".join(bare)
        patterns.append(("name", name, functools.partial(words_pattern, bare), bare))
    if bidder.trade_register:
        digits = bidder.trade_register
        patterns.append(
            ("trade_register", digits, functools.partial(_digits_pattern, digits), (digits,))
        )
    folded = [fold(text) for text in plan.content.pages] if patterns else []
    for what, value, compile_pattern, needed in patterns:
        pattern: re.Pattern[str] | None = None
        for page_number, text in enumerate(plan.content.pages, 1):
            page = folded[page_number - 1]
            if what == "trade_register":
                page = page.replace(" ", "").replace(".", "")
            if not all(part in page for part in needed):
                continue
            pattern = pattern or compile_pattern()
            if pattern.search(folded[page_number - 1]) is None:
                continue
            excerpt = _evidence(text, pattern)
            shown = "bidder's name" if what == "name" else "trade-register number"
            yield Finding(
                rule="not-anonymous",
                message=f"the quality plan must be anonymous, but page {page_number} of {plan.file} "
                f"gives the {shown}: “{excerpt}”",
                figures={"identifies_by": what, "value": value},
                document=plan.id,
                page=page_number,
                evidence=excerpt,
            )
            break


def _digits_pattern(digits: str) -> re.Pattern[str]:
    """The number, its digits possibly grouped by spaces or dots, not part of a longer number."""
    return re.compile(rf"(?<!\d){'[ .]?'.join(digits)}(?!\d)")


def _evidence(text: str, pattern: re.Pattern[str]) -> str:
    """The match in the page's own words (folding changes lengths, so map back per character)."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        plain = fold(char)
        folded.append(plain)
        origin += [index] * len(plain)
    match = pattern.search("".join(folded))
    assert match is not None  # the caller found it in the folded page
    return _excerpt(text, origin[match.start()], origin[match.end() - 1] + 1)


def _excerpt(text: str, start: int, end: int) -> str:
    """The line(s) holding the match, cut to some words around it, for the committee to see."""
    left = max(text.rfind("\n", 0, start) + 1, start - _EVIDENCE_WIDTH)
    right = text.find("\n", end)
    right = min(len(text) if right < 0 else right, end + _EVIDENCE_WIDTH)
    snippet = " ".join(text[left:right].split())
    before = "…" if left > 0 and text[left - 1] != "\n" else ""
    after = "…" if right < len(text) and text[right] != "\n" else ""
    return before + snippet + after


def _seconds(duration: timedelta) -> Decimal:
    """A duration in seconds, exactly (timedelta keeps whole microseconds)."""
    whole = duration.days * 86_400 + duration.seconds
    return Decimal(whole) + Decimal(duration.microseconds).scaleb(-6)


def describe_duration(duration: timedelta) -> str:
    """'7 seconds', '1 hour 2 minutes 3 seconds', '0.25 seconds': exact, largest units first."""
    seconds = _seconds(duration)
    whole = int(seconds)
    parts = []
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        count, whole = divmod(whole, size)
        if count:
            parts.append(f"{count} {unit}" + ("" if count == 1 else "s"))
    rest = whole + (seconds - int(seconds))
    if rest or not parts:
        parts.append(f"{rest.normalize():f} second" + ("" if rest == 1 else "s"))
    return " ".join(parts)
