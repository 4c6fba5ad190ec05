"""What ``tender bids`` and ``tender suitability`` show: summaries (also the JSON) and tables.

The stage results hold every page's text; these summaries hold what a person
reads in a table, so that ``--json`` stays the same data as the table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from tender.bids.suitability import BidAssessment, RequirementResult, Standing, Status
from tender.domain.findings import Finding
from tender.domain.models import BidMetadata
from tender.record.book import Verdict
from tender.terminal.console import out, plain, plural

_STATUS_MARK: Mapping[Status, tuple[str, str]] = {
    "pass": ("✓ pass", "green"),
    "fail": ("✗ fail", "red"),
    "pending": ("… pending", "yellow"),
}
_STANDING_STYLE: Mapping[Standing, str] = {
    "invalid": "red",
    "excluded": "red",
    "unsuitable": "red",
    "pending": "yellow",
    "suitable": "green",
}


@dataclass(frozen=True, kw_only=True)
class BidLine:
    """One row of ``tender bids``."""

    bid: str
    bidder: str
    received: datetime
    on_time: bool
    documents: int
    pages: int
    standing: Standing
    findings: tuple[Finding, ...]


@dataclass(frozen=True, kw_only=True)
class DocumentLine:
    id: str
    title: str
    mandatory: bool
    file: str
    sha256: str | None
    size: int | None
    issued: str | None
    pages: int
    pages_without_text: tuple[int, ...]
    problem: str | None
    fields: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class SectionLine:
    sub_criterion: str
    first_page: int
    last_page: int
    pages: int
    max_pages: int | None
    not_evaluated: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class BidDetail:
    """Everything ``tender bids show`` prints about one bid."""

    bid: str
    bidder: str
    metadata: Mapping[str, str]
    received: datetime
    deadline: datetime
    on_time: bool
    standing: Standing
    reasons: tuple[Finding, ...]
    documents: tuple[DocumentLine, ...]
    missing: tuple[str, ...]
    sections: tuple[SectionLine, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, kw_only=True)
class SuitabilityLine:
    """One bid in ``tender suitability --json``: its standing, why, and each requirement."""

    bid: str
    bidder: str
    standing: Standing
    reasons: tuple[Finding, ...]
    requirements: tuple[RequirementResult, ...]


def suitability_lines(assessments: Sequence[BidAssessment]) -> tuple[SuitabilityLine, ...]:
    return tuple(
        SuitabilityLine(
            bid=item.bid,
            bidder=item.bidder,
            standing=item.standing,
            reasons=item.reasons,
            requirements=item.requirements,
        )
        for item in assessments
    )


def bid_lines(assessments: Sequence[BidAssessment]) -> tuple[BidLine, ...]:
    return tuple(
        BidLine(
            bid=item.bid,
            bidder=item.bidder,
            received=item.validity.received_local,
            on_time=item.validity.on_time,
            documents=len(item.documents.documents),
            pages=item.documents.page_count,
            standing=item.standing,
            findings=(*item.validity.reasons, *item.validity.to_confirm, *item.documents.findings),
        )
        for item in assessments
    )


def bid_detail(item: BidAssessment, metadata: BidMetadata, mandatory: Sequence[str]) -> BidDetail:
    documents = item.documents
    return BidDetail(
        bid=item.bid,
        bidder=item.bidder,
        metadata=dict(
            _flatten(metadata.model_dump(mode="json", exclude={"documents", "received"}))
        ),
        received=item.validity.received_local,
        deadline=item.validity.deadline,
        on_time=item.validity.on_time,
        standing=item.standing,
        reasons=item.reasons,
        documents=tuple(
            DocumentLine(
                id=doc.id,
                title=doc.title,
                mandatory=doc.mandatory,
                file=doc.file,
                sha256=doc.sha256,
                size=doc.size,
                issued=None if doc.issued is None else doc.issued.isoformat(),
                pages=doc.page_count,
                pages_without_text=doc.content.pages_without_text,
                problem=None if doc.content.problem is None else doc.content.problem.message,
                fields=doc.content.fields,
            )
            for doc in documents.documents
        ),
        missing=tuple(doc for doc in mandatory if documents.document(doc) is None),
        sections=tuple(
            SectionLine(
                sub_criterion=section.sub_criterion,
                first_page=section.first_page,
                last_page=section.last_page,
                pages=len(section.pages),
                max_pages=section.max_pages,
                not_evaluated=section.over_limit,
            )
            for section in documents.sections
        ),
        findings=(*item.validity.to_confirm, *documents.findings),
    )


def show_bids(lines: Sequence[BidLine]) -> None:
    """The bids table, then every finding: one row per bid, one line per finding."""
    table = Table(box=box.SIMPLE_HEAD, title="Bids", pad_edge=False)
    table.add_column("Bid", no_wrap=True)
    table.add_column("Bidder", min_width=12)
    table.add_column("Received", no_wrap=True)
    table.add_column("On time", no_wrap=True)
    table.add_column("Docs", justify="right", no_wrap=True)
    table.add_column("Pages", justify="right", no_wrap=True)
    table.add_column("Findings", justify="right", no_wrap=True)
    for line in lines:
        table.add_row(
            line.bid,
            plain(line.bidder),
            f"{line.received:%Y-%m-%d %H:%M:%S}",
            Text("yes", "green") if line.on_time else Text("LATE", "bold red"),
            str(line.documents),
            str(line.pages),
            str(len(line.findings)) if line.findings else "",
        )
    out.print(table)
    for line in lines:
        for finding in line.findings:
            out.print(plain(f"{line.bid}: {finding.message}"))
    counts = Counter(line.standing for line in lines)
    standings = ", ".join(
        f"{counts[standing]} {standing}" for standing in _STANDING_STYLE if counts[standing]
    )
    pages = sum(line.pages for line in lines)
    out.print(f"{plural(len(lines), 'bid')}: {standings}; {plural(pages, 'page')}.", markup=False)


def show_bid(detail: BidDetail) -> None:
    """One bid: when it came in, its documents with fields, its plan's sections."""
    facts = Table(box=box.SIMPLE, show_header=False, title=plain(f"{detail.bid} · {detail.bidder}"))
    facts.add_column(style="bold")
    facts.add_column()
    for name, value in detail.metadata.items():
        facts.add_row(name, plain(value))
    late = "on time" if detail.on_time else "LATE"
    facts.add_row(
        "Received",
        f"{detail.received.isoformat()} ({late}; deadline {detail.deadline.isoformat()})",
    )
    facts.add_row("Standing", Text(detail.standing, _STANDING_STYLE[detail.standing]))
    if detail.missing:
        facts.add_row("Missing", ", ".join(detail.missing))
    out.print(facts)

    documents = Table(box=box.SIMPLE_HEAD, title="Documents")
    for name in ("Document", "File", "Pages", "Issued", "Read"):
        documents.add_column(name)
    for doc in detail.documents:
        read = doc.problem or (
            f"no text on page(s) {', '.join(map(str, doc.pages_without_text))}"
            if doc.pages_without_text
            else "ok"
        )
        documents.add_row(
            f"{doc.id}{'*' if doc.mandatory else ''}",
            plain(doc.file),
            str(doc.pages),
            doc.issued or "—",
            plain(read),
        )
    out.print(documents)

    for doc in detail.documents:
        if doc.fields:
            fields = Table(box=box.SIMPLE_HEAD, title=plain(f"Form fields · {doc.file}"))
            fields.add_column("Field")
            fields.add_column("Value")
            for name, value in doc.fields.items():
                fields.add_row(plain(name), plain(value or "—"))
            out.print(fields)

    if detail.sections:
        sections = Table(box=box.SIMPLE_HEAD, title="Quality plan sections")
        for name in ("Sub-criterion", "Plan pages", "Pages", "Limit", "Not evaluated"):
            sections.add_column(name)
        for section in detail.sections:
            limit = "—" if section.max_pages is None else str(section.max_pages)
            skipped = ", ".join(map(str, section.not_evaluated)) or "—"
            sections.add_row(
                section.sub_criterion,
                f"{section.first_page}-{section.last_page}",
                str(section.pages),
                limit,
                Text(skipped, "red" if section.not_evaluated else ""),
            )
        out.print(sections)
    _print_findings("Why", detail.reasons)
    _print_findings("Findings", detail.findings)


def show_suitability(
    assessments: Sequence[BidAssessment], requirements: Sequence[tuple[str, str]]
) -> None:
    """Bids x requirements (numbered, with a key), then every failure's reason and what waits."""
    key = Table(box=box.SIMPLE_HEAD, title="Requirements")
    key.add_column("#", justify="right")
    key.add_column("Requirement", no_wrap=True)
    key.add_column("Title")
    for number, (requirement, title) in enumerate(requirements, 1):
        key.add_row(str(number), requirement, plain(title))
    out.print(key)
    table = Table(box=box.SIMPLE_HEAD, title="Suitability (✓ pass, ✗ fail, … pending)")
    table.add_column("Bid", no_wrap=True)
    table.add_column("Standing", no_wrap=True)
    for number in range(1, len(requirements) + 1):
        table.add_column(str(number), justify="center")
    pending: Counter[str] = Counter()
    for item in assessments:
        cells = []
        for result in item.requirements:
            mark, style = _STATUS_MARK[result.status]
            cells.append(Text(mark[0], style))
            if result.status == "pending":
                pending[result.requirement] += 1
        table.add_row(item.bid, Text(item.standing, _STANDING_STYLE[item.standing]), *cells)
    out.print(table)
    for item in assessments:
        if item.standing == "invalid":
            for reason in item.validity.reasons:
                out.print(plain(f"{item.bid} invalid: {reason.message}", "red"))
        for result in item.requirements:
            if result.status == "fail":
                for reason in result.reasons:
                    out.print(plain(f"{item.bid} {result.requirement}: {reason.message}", "red"))
    for requirement, count in pending.items():
        noun = "bid awaits" if count == 1 else "bids await"
        out.print(
            f"{requirement}: {count} {noun} a verdict (tender suitability verify BID "
            f"{requirement} --pass|--fail --reason TEXT --by EVALUATOR)",
            markup=False,
        )


def show_verdict(result: RequirementResult, replaced: Verdict | None) -> None:
    """What was recorded, and what it replaced (which stays in the history)."""
    verdict = result.verdict
    assert verdict is not None
    outcome = "pass" if verdict.passed else "fail"
    out.print(
        plain(
            f"Recorded entry {verdict.seq}: {verdict.bid} / {verdict.requirement}: {outcome} by "
            f"{verdict.by} at {verdict.at.isoformat(timespec='seconds')}: {verdict.reason}"
        )
    )
    if replaced is not None:
        before = "pass" if replaced.passed else "fail"
        out.print(
            plain(
                f"It replaces entry {replaced.seq} ({before} by {replaced.by} at "
                f"{replaced.at.isoformat(timespec='seconds')}: {replaced.reason}); "
                "both stay on record."
            )
        )
    mark, style = _STATUS_MARK[result.status]
    out.print(Text(f"{verdict.requirement} is now: {mark}", style))


def _print_findings(title: str, findings: Sequence[Finding]) -> None:
    if not findings:
        return
    out.print(f"{title}:", markup=False, style="bold")
    for finding in findings:
        out.print(plain(f"  {finding.rule}: {finding.message}"))


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Nested metadata as ``dotted.name -> text`` rows; list entries are numbered from 1."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}{key}.")
    elif isinstance(value, list):
        for number, item in enumerate(value, 1):
            yield from _flatten(item, f"{prefix}{number}.")
    elif value is not None:
        yield prefix.rstrip("."), str(value)
