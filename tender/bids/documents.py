"""The bids' PDF documents: pages, text, form fields, and the quality plan's sections.

Every PDF is read once: :func:`extract_files` hashes each file, takes what the
cache (:mod:`tender.io.pdfcache`) already holds, and parses only the rest, in
parallel worker processes bounded in time and memory (:mod:`tender.io.pdfworkers`),
reporting how far it is (a bar on stderr in the terminal). A file that cannot be read (empty, not a PDF,
encrypted, damaged, or stopped at a limit: too slow, too much memory, too large a file, too
much text) becomes a finding for its bid. A limit's outcome is cached like any reading,
so it costs one run, not every command; ``reread_limited`` reads such files again.

The quality plan is split into one :class:`Section` per sub-criterion. Tender
rules ask each section to start on a new page under its heading, "N. <title>" as
in criteria/award.yaml; a heading is recognised among the first
:data:`HEADING_LINES` lines of a page (also when it wraps onto a second line),
ignoring case, accents, spacing, hyphens, the number and a trailing colon, so
"1. De cliënt centraal", "DE CLIENT CENTRAAL" and "1) De cliënt centraal:" all
count. A page that carries several headings is a table of contents, not a
section start.
A section runs until the next one starts; pages beyond its page limit are kept
but marked as not to be evaluated.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tender.domain.dossier import Dossier, Submission
from tender.domain.errors import FrozenInputError, InputError, RefusedError
from tender.domain.findings import Finding
from tender.domain.models import SubCriterion
from tender.domain.progress import Progress, silent
from tender.domain.text import fold, match_key
from tender.io.bounded import open_regular
from tender.io.pdfcache import PdfCache
from tender.io.pdfparse import PdfContent, PdfProblem, content_to_plain
from tender.io.pdfworkers import DEFAULT_LIMITS, Job, Limits, parse_all

HEADING_LINES = 3
"""How many non-empty lines at the top of a page may hold a section heading."""


@dataclass(frozen=True, kw_only=True)
class Section:
    """The part of the quality plan that answers one sub-criterion."""

    sub_criterion: str
    first_page: int
    pages: tuple[str, ...]
    max_pages: int | None

    @property
    def evaluated_pages(self) -> tuple[str, ...]:
        """The pages within the limit: tender rules say pages beyond it are not evaluated."""
        return self.pages if self.max_pages is None else self.pages[: self.max_pages]

    @property
    def last_page(self) -> int:
        return self.first_page + len(self.pages) - 1

    @property
    def over_limit(self) -> tuple[int, ...]:
        """Page numbers in the plan that lie beyond the limit."""
        kept = len(self.evaluated_pages)
        return tuple(range(self.first_page + kept, self.last_page + 1))


@dataclass(frozen=True, kw_only=True)
class Document:
    """One PDF a bid submitted, as read."""

    id: str
    title: str
    mandatory: bool
    file: str
    sha256: str | None
    size: int | None
    issued: date | None
    content: PdfContent

    @property
    def readable(self) -> bool:
        return self.content.readable

    @property
    def page_count(self) -> int:
        return len(self.content.pages)


@dataclass(frozen=True, kw_only=True)
class BidDocuments:
    """A bid's documents, the sections of its quality plan, and what reading them found."""

    bid: str
    documents: tuple[Document, ...]
    sections: tuple[Section, ...]
    findings: tuple[Finding, ...] = ()

    def document(self, document_id: str) -> Document | None:
        return next((doc for doc in self.documents if doc.id == document_id), None)

    @property
    def page_count(self) -> int:
        return sum(doc.page_count for doc in self.documents)


@dataclass(frozen=True, kw_only=True)
class Extracted:
    """One file's content and the SHA-256 it is cached under (None when unreadable from disk)."""

    sha256: str | None
    size: int | None
    content: PdfContent


@dataclass(frozen=True)
class Extraction:
    """Contents by path, how many PDFs had to be parsed (0 when the cache held all), and
    which cached readings disagreed with the opening's and were read again."""

    files: Mapping[Path, Extracted]
    parsed: int
    reread: frozenset[Path] = frozenset()


def reading_digest(content: PdfContent) -> str:
    """The SHA-256 of what a PDF reads as: its pages, fields and problem, canonically."""
    plain = json.dumps(content_to_plain(content), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(plain.encode()).hexdigest()


def reading_digests(documents: Mapping[str, BidDocuments]) -> dict[str, str]:
    """The reading digest of every bid's PDFs by the PDF's SHA-256, for the opening.

    A PDF stopped at a limit is frozen as such: its reading says which limit, and the
    bid carries the finding. Refused when a PDF could not be opened at all: that says
    nothing of the file, and the opening must freeze what each file reads as.
    """
    readings: dict[str, str] = {}
    for bid, found in documents.items():
        for document in found.documents:
            problem = document.content.problem
            if document.sha256 is None or (problem is not None and not problem.lasting):
                reason = problem.message if problem is not None else "it cannot be opened"
                raise RefusedError(
                    f"submissions/{bid}/{document.file} could not be read now ({reason}); the "
                    "opening records what every PDF reads as: try again"
                )
            readings[document.sha256] = reading_digest(document.content)
    return readings


def extract_files(
    paths: Sequence[Path],
    *,
    cache_root: Path,
    limits: Limits = DEFAULT_LIMITS,
    workers: int | None = None,
    progress: Progress = silent,
    readings: Mapping[str, str] | None = None,
    reread_limited: bool = False,
    group: str | None = None,
) -> Extraction:
    """Read every PDF in ``paths``: from the cache where it holds the file, else by parsing.

    Files with the same content are parsed once. ``workers`` defaults to every core.
    ``readings`` (the opening's reading digests, by the PDF's SHA-256) bind what is
    read: a cached reading that differs is not believed but read again from the PDF,
    and a PDF that now reads differently from the opening is refused.
    ``reread_limited``: a cached reading that stopped at a limit is read again (the
    machine was busy, say); after the opening a new outcome is refused like any other.
    """
    readings = readings or {}
    cache = PdfCache(cache_root, limits, group=group)
    unavailable: dict[Path, Extracted] = {}
    digests: dict[Path, tuple[str, int]] = {}
    found: dict[str, PdfContent] = {}
    reread: set[str] = set()
    for path in paths:
        try:
            digests[path] = _digest(path)
        except OSError as error:
            problem = PdfProblem("unavailable", f"the file cannot be opened: {error.strerror}")
            unavailable[path] = Extracted(
                sha256=None, size=None, content=PdfContent(problem=problem)
            )
            continue
        digest = digests[path][0]
        if digest not in found:
            cached = cache.get(digest)
            if (
                cached is not None
                and digest in readings
                and reading_digest(cached) != readings[digest]
            ):
                reread.add(digest)
                cached = None
            if (
                reread_limited
                and cached is not None
                and cached.problem is not None
                and cached.problem.limited
            ):
                cached = None
            if cached is not None:
                found[digest] = cached
    jobs = {
        digest: Job(digest, path) for path, (digest, _) in digests.items() if digest not in found
    }
    parsed: dict[str, PdfContent] = {}
    with progress("Reading PDFs", len(jobs)) as advance:

        def done(job: Job, content: PdfContent) -> None:
            found[job.key] = parsed[job.key] = content
            advance(1)

        # The cache is written once the workers are done (or stopped): creating files
        # while they keep every core busy costs the kernel a millisecond each (measured on
        # a 2-core VM), which slows the reading itself by a third.
        try:
            parse_all(list(jobs.values()), limits=limits, workers=workers, done=done)
        finally:
            for key, content in parsed.items():
                if key not in readings or reading_digest(content) == readings[key]:
                    cache.put(key, content)
    changed = sorted(
        path
        for path, (digest, _) in digests.items()
        if digest in parsed
        and digest in readings
        and reading_digest(parsed[digest]) != readings[digest]
    )
    if changed:
        raise FrozenInputError(
            "a PDF reads differently now than when the bids were opened (another version of "
            "the PDF libraries, or a limit hit on this machine); nothing is decided on another "
            "reading. Install the versions in constraints.txt and try again",
            [
                f"{path.relative_to(cache_root).as_posix()}: reads differently than at the opening"
                for path in changed
            ],
        )

    def extracted(path: Path) -> Extracted:
        if path in unavailable:
            return unavailable[path]
        digest, size = digests[path]
        return Extracted(sha256=digest, size=size, content=found[digest])

    return Extraction(
        {path: extracted(path) for path in paths},
        len(jobs),
        frozenset(path for path, (digest, _) in digests.items() if digest in reread),
    )


def read_documents(
    dossier: Dossier,
    bid_ids: Iterable[str] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    workers: int | None = None,
    progress: Progress = silent,
    readings: Mapping[str, str] | None = None,
    reread_limited: bool = False,
) -> dict[str, BidDocuments]:
    """Every document of the given bids (default: all), by bid id, in dossier order.

    ``readings`` and ``reread_limited``: see :func:`extract_files`.
    """
    bids = _select(dossier, bid_ids)
    paths = [
        bid.folder / submitted.file for bid in bids for submitted in bid.metadata.documents.values()
    ]
    extraction = extract_files(
        paths,
        cache_root=dossier.root,
        limits=limits,
        workers=workers,
        progress=progress,
        readings=readings,
        reread_limited=reread_limited,
        group=dossier.committee.group,
    )
    return {bid.id: _bid_documents(dossier, bid, extraction) for bid in bids}


def read_sections(
    dossier: Dossier, bid_id: str, readings: Mapping[str, str] | None = None
) -> Mapping[str, Section]:
    """Sub-criterion id -> its section of the bid's quality plan; empty without a readable plan."""
    documents = read_documents(dossier, [bid_id], readings=readings)[bid_id]
    return {section.sub_criterion: section for section in documents.sections}


def find_sections(
    pages: Sequence[str], sub_criteria: Sequence[SubCriterion], *, document: str
) -> tuple[tuple[Section, ...], tuple[Finding, ...]]:
    """Split a quality plan's pages into sections, with a finding per missing or too long one."""
    patterns = {sub.id: _heading_pattern(sub.title) for sub in sub_criteria}
    starts: dict[str, int] = {}
    for number, text in enumerate(pages, 1):
        tops = _top_keys(text)
        matched = [sub_id for sub_id, pattern in patterns.items() if _any_match(pattern, tops)]
        if len(matched) == 1 and matched[0] not in starts:
            starts[matched[0]] = number
    ordered = sorted(starts.items(), key=lambda item: item[1])
    limits = {sub.id: sub.max_pages for sub in sub_criteria}
    sections = []
    for index, (sub_id, first) in enumerate(ordered):
        following = ordered[index + 1][1] if index + 1 < len(ordered) else len(pages) + 1
        last = max(first, following - 1)
        sections.append(
            Section(
                sub_criterion=sub_id,
                first_page=first,
                pages=tuple(pages[first - 1 : last]),
                max_pages=limits[sub_id],
            )
        )
    findings = [_missing_section(sub, document) for sub in sub_criteria if sub.id not in starts] + [
        _over_limit(section, document) for section in sections if section.over_limit
    ]
    by_order = {sub.id: position for position, sub in enumerate(sub_criteria)}
    sections.sort(key=lambda section: by_order[section.sub_criterion])
    return tuple(sections), tuple(findings)


def _heading_key(text: str) -> str:
    """A heading as compared: PDF readers drop or keep a hyphen where a word wraps."""
    return match_key(text.replace("-", ""))


def _heading_pattern(title: str) -> re.Pattern[str]:
    return re.compile(rf"(?:\d+\s*[.):]?\s+)?{re.escape(_heading_key(title))}\s*[.:]?")


def _any_match(pattern: re.Pattern[str], lines: Iterable[str]) -> bool:
    return any(pattern.fullmatch(line) for line in lines)


def _top_keys(text: str) -> list[str]:
    """The heading keys of a page's first non-empty lines, and of each two of them joined
    (a long heading wraps): :func:`_heading_key` of each, folding the page's top only once.

    Folding works character by character and line breaks and spaces pass through it, so
    the lines are folded together and split again, and a joined pair's key is the words
    of both lines.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()][:HEADING_LINES]
    if not lines:
        return []
    words = [line.split() for line in fold("\n".join(lines).replace("-", "")).split("\n")]
    return [" ".join(line) for line in words] + [
        " ".join(first + second) for first, second in itertools.pairwise(words)
    ]


def _missing_section(sub: SubCriterion, document: str) -> Finding:
    return Finding(
        rule="section-missing",
        message=f"no section for sub-criterion '{sub.id}' was found: no page starts with the heading "
        f"'{sub.title}'",
        figures={"sub_criterion": sub.id, "title": sub.title},
        document=document,
    )


def _over_limit(section: Section, document: str) -> Finding:
    skipped = section.over_limit
    pages = f"page {skipped[0]}" if len(skipped) == 1 else f"pages {skipped[0]}-{skipped[-1]}"
    return Finding(
        rule="over-page-limit",
        message=f"the section on '{section.sub_criterion}' has {len(section.pages)} pages where "
        f"{section.max_pages} are allowed; {pages} of the plan will not be evaluated",
        figures={
            "sub_criterion": section.sub_criterion,
            "pages": len(section.pages),
            "max_pages": section.max_pages,
            "first_not_evaluated": skipped[0],
            "last_not_evaluated": skipped[-1],
        },
        document=document,
        page=skipped[0],
    )


def _select(dossier: Dossier, bid_ids: Iterable[str] | None) -> tuple[Submission, ...]:
    if bid_ids is None:
        return dossier.submissions
    chosen = []
    for bid_id in bid_ids:
        bid = dossier.submission(bid_id)
        if bid is None:
            raise InputError(f"unknown bid '{bid_id}'; expected a folder name under submissions/")
        chosen.append(bid)
    return tuple(chosen)


def _bid_documents(dossier: Dossier, bid: Submission, extraction: Extraction) -> BidDocuments:
    documents = []
    findings: list[Finding] = []
    for required in dossier.procedure.documents:
        submitted = bid.metadata.documents.get(required.id)
        if submitted is None:
            continue
        path = bid.folder / submitted.file
        extracted = extraction.files[path]
        document = Document(
            id=required.id,
            title=required.title,
            mandatory=required.mandatory,
            file=submitted.file,
            sha256=extracted.sha256,
            size=extracted.size,
            issued=submitted.issued,
            content=extracted.content,
        )
        documents.append(document)
        findings += _document_findings(document)
        if path in extraction.reread:
            findings.append(
                Finding(
                    rule="cache-reread",
                    message=f"{submitted.file} ({required.id}): the cached reading in "
                    ".tender-cache/ differs from the reading recorded at the opening; it was "
                    "read again from the PDF (someone or something changed the cache)",
                    figures={"file": submitted.file},
                    document=required.id,
                )
            )
    plan = next((doc for doc in documents if doc.id == dossier.award.quality_plan.document), None)
    sections: tuple[Section, ...] = ()
    if plan is not None and plan.readable:
        sections, section_findings = find_sections(
            plan.content.pages, dossier.award.sub_criteria, document=plan.id
        )
        findings += section_findings
    return BidDocuments(
        bid=bid.id, documents=tuple(documents), sections=sections, findings=tuple(findings)
    )


def _document_findings(document: Document) -> Iterator[Finding]:
    problem = document.content.problem
    if problem is not None:
        advice = "" if problem.in_file else "; a person must open it"
        yield Finding(
            rule=f"document-{problem.kind}",
            message=f"{document.file} ({document.id}) cannot be read: {problem.message}{advice}",
            figures={"file": document.file, "problem": problem.kind},
            document=document.id,
        )
    blank = document.content.pages_without_text
    if blank:
        listed = ", ".join(str(page) for page in blank)
        which = f"page {listed} has" if len(blank) == 1 else f"pages {listed} have"
        yield Finding(
            rule="pages-without-text",
            message=f"{document.file} ({document.id}): {which} no text layer (a scan or an image) "
            f"out of {document.page_count}; a person must read them",
            figures={"file": document.file, "pages": listed, "page_count": document.page_count},
            document=document.id,
            page=blank[0],
        )


def _digest(path: Path) -> tuple[str, int]:
    with open_regular(path) as stream:
        digest = hashlib.file_digest(stream, "sha256")
        return digest.hexdigest(), stream.tell()
