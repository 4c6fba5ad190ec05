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
  form, ignoring case, accents, punctuation, invisible characters and look-alike
  letters of other scripts, letter-spaced or not, as whole words; the trade-register
  (KvK) number is matched as its 8 digits, also when written in groups with any
  separators ("1234 5678", "12.34.56.78", "1234-5678", "1234/5678").

Some findings only a person can weigh, so they do not make a bid invalid: a plan that
holds one distinctive word of the bidder's name (its name without the legal form and
common words: "Beekhorst" of "Stichting Thuiszorg Beekhorst") may or may not name it,
and two bids that give the same KvK number, or names that read the same, may come from
one bidder. They are the validity's findings :attr:`Validity.to_confirm`.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tender.bids.documents import BidDocuments, Document
from tender.bids.names import (
    distinctive_words,
    joined_letter_spacing,
    locate,
    name_words,
    words_pattern,
)
from tender.domain.dossier import Dossier, Submission
from tender.domain.findings import Finding
from tender.domain.text import fold

_EVIDENCE_WIDTH = 60
_LISTED = 10
"""Bids named in one finding about bids that share a bidder; more are counted."""
_GROUPING = r"[\W_]{0,3}"
"""What may stand between two digits of a KvK number written in groups."""


@dataclass(frozen=True, kw_only=True)
class Validity:
    """Whether a bid may be evaluated, and every reason it may not."""

    bid: str
    received: datetime
    deadline: datetime
    reasons: tuple[Finding, ...]
    to_confirm: tuple[Finding, ...] = ()
    """What a person must weigh: possibly not anonymous, possibly one bidder's second bid.
    These do not make the bid invalid."""

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


def check_validity(
    dossier: Dossier,
    bid: Submission,
    documents: BidDocuments,
    *,
    shared: Sequence[Finding] = (),
) -> Validity:
    """Every reason the bid is invalid (none means it is valid), and what a person must weigh.

    ``shared``: the findings of :func:`shared_bidders` for this bid.
    """
    deadline = dossier.procedure.deadline_at
    received = bid.metadata.received
    reasons = [*_lateness(received, deadline), *_mandatory_documents(dossier, documents)]
    to_confirm: list[Finding] = []
    if dossier.award.quality_plan.anonymous:
        plan = documents.document(dossier.award.quality_plan.document)
        if plan is not None and plan.readable:
            pages = [_Page(text) for text in plan.content.pages]
            named = list(_named_in_plan(bid, plan, pages))
            reasons += named
            if not named:
                to_confirm += _name_words_in_plan(bid, plan, pages)
    return Validity(
        bid=bid.id,
        received=received,
        deadline=deadline,
        reasons=tuple(reasons),
        to_confirm=(*to_confirm, *shared),
    )


def shared_bidders(submissions: Sequence[Submission]) -> dict[str, tuple[Finding, ...]]:
    """Per bid, a finding for the bids that give its KvK number, and one for the bids whose
    names read as its name does (:func:`~tender.bids.names.name_words`: look-alike letters,
    invisible characters, accents, case and legal form set aside), each naming all of them:
    one bidder may have sent two bids, or borrowed another's name. Bids sharing neither with
    another are left out."""
    groups: dict[tuple[str, str], list[Submission]] = defaultdict(list)
    for bid in submissions:
        bidder = bid.metadata.bidder
        if bidder.trade_register:
            groups["trade_register", bidder.trade_register].append(bid)
        bare = name_words(bidder.name)
        if bare:
            groups["name", " ".join(bare)].append(bid)
    found: dict[str, list[Finding]] = defaultdict(list)
    for (what, value), bids in groups.items():
        if len(bids) < 2:
            continue
        ids = [bid.id for bid in bids]
        if what == "trade_register":
            rule = "same-trade-register"
            shown = f"give the same trade-register (KvK) number {value}"
        else:
            rule = "same-bidder-name"
            names = ", ".join(
                f"“{name}”" for name in dict.fromkeys(bid.metadata.bidder.name for bid in bids)
            )
            shown = (
                f"give bidder names that read the same ({names}) once look-alike letters, "
                "invisible characters, accents, case and the legal form are set aside"
            )
        finding = Finding(
            rule=rule,
            message=f"{_listed(ids)} {shown}; a person must check whether one bidder sent "
            "more than one bid",
            figures={"identifies_by": what, "value": value, "bids": ", ".join(ids)},
        )
        for bid_id in ids:
            found[bid_id].append(finding)
    return {bid: tuple(findings) for bid, findings in found.items()}


def _listed(ids: Sequence[str]) -> str:
    """The bids as a finding names them: "bids bid-001 and bid-007", or the first ten and how
    many more."""
    shown = list(ids[:_LISTED])
    rest = len(ids) - len(shown)
    if rest:
        return f"bids {', '.join(shown)} and {rest} more"
    return f"bids {', '.join(shown[:-1])} and {shown[-1]}"


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


@dataclass(frozen=True)
class _Page:
    """A page of the plan in the forms the search needs, each made when first needed: most
    pages hold nothing of the bidder's, and joining letter-spacing costs a pass over the page."""

    text: str

    @functools.cached_property
    def folded(self) -> str:
        return fold(self.text)

    @functools.cached_property
    def squeezed(self) -> str:
        """Without spaces: holds every word the comparable page holds, letter-spaced or not."""
        return self.folded.replace(" ", "")

    @functools.cached_property
    def comparable(self) -> str:
        """What :func:`~tender.bids.names.comparable` makes of the page."""
        return joined_letter_spacing(self.folded)


@dataclass(frozen=True, kw_only=True)
class _Sought:
    """What identifies the bidder (its name, a word of it, its KvK number) and how a page is
    searched for it."""

    identifies_by: str
    value: str

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """Compiled on the first page that may hold it: most bids never need their own."""
        if self.identifies_by == "trade_register":
            # The digits, grouped with any separators ("1234-5678", "12 34/56.78"), not part
            # of a longer number. The first digit comes before the look-behind, so that the
            # search skips to it as to a literal: fifty times faster on a page of prose.
            first, rest = self.value[0], self.value[1:]
            return re.compile(
                rf"{first}(?<!\d.){''.join(_GROUPING + digit for digit in rest)}(?!\d)"
            )
        return words_pattern(tuple(self.value.split()), joined=self.identifies_by == "name")

    def found_in(self, page: _Page) -> bool:
        if self.identifies_by == "trade_register":
            return self.pattern.search(page.folded) is not None
        if not all(word in page.squeezed for word in self.value.split()):
            return False  # a quick test that spares most pages the search
        return self.pattern.search(page.comparable) is not None

    def first_page(self, pages: Sequence[_Page]) -> tuple[int, str] | None:
        """The first page (1-based) that holds it, with the match in the page's own words."""
        for page_number, page in enumerate(pages, 1):
            if self.found_in(page):
                span = locate(page.text, self.pattern)
                assert span is not None  # the comparable page matched
                return page_number, _excerpt(page.text, *span)
        return None


def _named_in_plan(bid: Submission, plan: Document, pages: Sequence[_Page]) -> Iterator[Finding]:
    """The first page giving the bidder's name, and the first giving its KvK number."""
    bidder = bid.metadata.bidder
    sought = [_Sought(identifies_by="name", value=" ".join(name_words(bidder.name)))]
    if bidder.trade_register:
        sought.append(_Sought(identifies_by="trade_register", value=bidder.trade_register))
    for what in sought:
        found = what.first_page(pages) if what.value else None
        if found is None:
            continue
        page_number, excerpt = found
        shown = "bidder's name" if what.identifies_by == "name" else "trade-register number"
        yield Finding(
            rule="not-anonymous",
            message=f"the quality plan must be anonymous, but page {page_number} of {plan.file} "
            f"gives the {shown}: “{excerpt}”",
            figures={"identifies_by": what.identifies_by, "value": what.value},
            document=plan.id,
            page=page_number,
            evidence=excerpt,
        )


def _name_words_in_plan(
    bid: Submission, plan: Document, pages: Sequence[_Page]
) -> Iterator[Finding]:
    """The first page holding each distinctive word of the bidder's name: perhaps the name."""
    for word in distinctive_words(bid.metadata.bidder.name):
        found = _Sought(identifies_by="name_word", value=word).first_page(pages)
        if found is None:
            continue
        page_number, excerpt = found
        yield Finding(
            rule="name-word-in-plan",
            message=f"the quality plan must be anonymous; page {page_number} of {plan.file} "
            f"may name the bidder: it has “{word}”, a word of the bidder's name, in "
            f"“{excerpt}”; a person must judge whether it names the bidder",
            figures={"identifies_by": "name_word", "value": word},
            document=plan.id,
            page=page_number,
            evidence=excerpt,
        )


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
