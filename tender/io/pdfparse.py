"""Read one PDF: the text of each page and the values of its form fields.

This is the part that touches untrusted bytes, so it runs in a worker process
(:mod:`tender.io.pdfworkers`) that is bounded in time and memory; a file larger
than its limit is not read, and reading stops at the page where the text passes
its limit (:mod:`tender.domain.limits`). It never raises for a bad file: an empty,
non-PDF, encrypted, corrupt or too large file comes back as a :class:`PdfContent`
with a :class:`PdfProblem` that says what is wrong.

Text comes from PDFium (pypdfium2): on the example dossier's PDFs it reads pages
about four times faster than pypdf. Form fields (the ESPD) come from pypdf, which
is only loaded and opened when PDFium reports that the file has a form.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from tender.domain.limits import shown_bytes
from tender.io.bounded import FileTooLargeError, read_bounded

ProblemKind = Literal[
    "unavailable",
    "empty",
    "not-pdf",
    "encrypted",
    "corrupt",
    "fields-unreadable",
    "too-slow",
    "too-large",
    "crashed",
    "file-too-large",
    "text-too-long",
]

PDF_MAGIC = b"%PDF-"
# PDF readers accept the header anywhere in the first kilobyte; so do we.
MAGIC_WINDOW = 1024
# PDFium marks soft hyphens and line-end hyphens with these, and noncharacters never belong
# in text: they are dropped. Other control characters become spaces.
_DROPPED = frozenset("\x00\x02\u00ad\ufffe\uffff")
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\ufffe\uffff]")
_PROBLEM_KINDS: frozenset[str] = frozenset(get_args(ProblemKind))
FILE_PROBLEMS: frozenset[ProblemKind] = frozenset({"empty", "not-pdf", "encrypted", "corrupt"})
LIMIT_PROBLEMS: frozenset[ProblemKind] = frozenset(
    {"too-slow", "too-large", "crashed", "file-too-large", "text-too-long"}
)


@dataclass(frozen=True)
class PdfProblem:
    """Why a file could not be read (fully): a kind for rules and an English message."""

    kind: ProblemKind
    message: str

    @property
    def in_file(self) -> bool:
        """The fault lies in the file itself (empty, not a PDF, encrypted, damaged), the same
        wherever it is read; not in this machine's limits or access to the file."""
        return self.kind in FILE_PROBLEMS

    @property
    def limited(self) -> bool:
        """Reading stopped at a limit (time, memory, file size, text): a person reads the file."""
        return self.kind in LIMIT_PROBLEMS

    @property
    def lasting(self) -> bool:
        """Every reading of this file under the same limits ends the same way, so the outcome
        is cached and frozen at the opening; only a file that could not be opened at all
        (gone, no access) says more about this moment than about the file."""
        return self.kind != "unavailable"


@dataclass(frozen=True, kw_only=True)
class PdfContent:
    """What one PDF holds: text per page, form fields, and any problem reading it."""

    pages: tuple[str, ...] = ()
    fields: Mapping[str, str] = field(default_factory=dict)
    problem: PdfProblem | None = None

    @property
    def readable(self) -> bool:
        return self.problem is None

    @property
    def pages_without_text(self) -> tuple[int, ...]:
        """1-based numbers of the pages with no text layer: scans or images a person must read."""
        return tuple(number for number, text in enumerate(self.pages, 1) if not text.strip())


def normalise_text(text: str) -> str:
    """One convention for all text: NFKC (ligatures and width forms folded), ``\\n`` line ends,
    no control characters or trailing spaces, so that matching and caching are stable."""
    text = _UNWANTED.sub(_replacement, text.replace("\r\n", "\n").replace("\r", "\n"))
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return "\n".join(line.rstrip(" \t") for line in text.split("\n")).strip("\n")


def _replacement(match: re.Match[str]) -> str:
    return "" if match.group() in _DROPPED else " "


def read_pdf(path: Path, *, file_bytes: int, text_characters: int) -> PdfContent:
    """Read the PDF at ``path``; a file of more than ``file_bytes`` is refused unread.

    Raises ``OSError`` when the file cannot be opened (or is not a regular file).
    """
    try:
        data = read_bounded(path, file_bytes)
    except FileTooLargeError as error:
        return PdfContent(
            problem=PdfProblem(
                "file-too-large",
                f"the file is {error.size:,} bytes, more than the {shown_bytes(file_bytes)} a PDF "
                "may be; it was not read",
            )
        )
    return parse_pdf(data, text_characters=text_characters)


def parse_pdf(data: bytes, *, text_characters: int) -> PdfContent:
    """Read ``data`` as a PDF, up to ``text_characters`` of text; every unreadable file becomes
    a problem, never an exception."""
    if not data:
        return PdfContent(problem=PdfProblem("empty", "the file is empty (0 bytes)"))
    if PDF_MAGIC not in data[:MAGIC_WINDOW]:
        return PdfContent(
            problem=PdfProblem(
                "not-pdf", f"the file is not a PDF (it starts with {_describe_start(data)})"
            )
        )
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        return PdfContent(problem=_open_problem(error))
    try:
        pages = _pages_text(document, text_characters)
        has_form = document.get_formtype() != pdfium_raw.FORMTYPE_NONE
    except pdfium.PdfiumError as error:
        return PdfContent(problem=PdfProblem("corrupt", f"a page cannot be read: {error}"))
    finally:
        document.close()
    if isinstance(pages, PdfProblem):
        return PdfContent(problem=pages)
    if not pages:
        return PdfContent(problem=PdfProblem("corrupt", "the PDF has no pages"))
    if not has_form:
        return PdfContent(pages=pages)
    fields, problem = _form_fields(data)
    return PdfContent(pages=pages, fields=fields, problem=problem)


def _pages_text(document: pdfium.PdfDocument, most: int) -> tuple[str, ...] | PdfProblem:
    """The text of every page, or a problem at the first page where the text passes ``most``
    characters: a few kilobytes can inflate to gigabytes of text, so reading stops there."""
    pages: list[str] = []
    total = 0
    for index in range(len(document)):
        text = _page_text(document, index, most - total)
        if text is None or total + len(text) > most:
            return PdfProblem(
                "text-too-long",
                f"its text passes {most:,} characters on page {index + 1} of {len(document)}, "
                "more than a PDF may hold; reading stopped there",
            )
        total += len(text)
        pages.append(text)
    return tuple(pages)


def _page_text(document: pdfium.PdfDocument, index: int, most: int) -> str | None:
    """The page's text, or None when it holds more than ``most`` characters (counted before
    any is taken out)."""
    page = document[index]
    try:
        text_page = page.get_textpage()
        try:
            if text_page.count_chars() > most:
                return None
            return normalise_text(text_page.get_text_range())
        finally:
            text_page.close()
    finally:
        page.close()


def _open_problem(error: pdfium.PdfiumError) -> PdfProblem:
    if error.err_code == pdfium_raw.FPDF_ERR_PASSWORD:
        return PdfProblem("encrypted", "the PDF is encrypted and needs a password to be opened")
    if error.err_code == pdfium_raw.FPDF_ERR_SECURITY:
        return PdfProblem("encrypted", "the PDF uses an encryption that cannot be opened")
    return PdfProblem("corrupt", "the file is damaged: its PDF structure cannot be read")


def _form_fields(data: bytes) -> tuple[dict[str, str], PdfProblem | None]:
    """The filled-in value of every form field, by its full name."""
    # Imported here: most PDFs have no form, and a worker starts twice as fast without pypdf.
    import pypdf  # noqa: PLC0415

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        found = reader.get_fields() or {}
    except Exception as error:  # pypdf raises many kinds on damaged forms; all mean the same here
        return {}, PdfProblem("fields-unreadable", f"its form fields cannot be read: {error}")
    return {name: _field_value(value.get("/V")) for name, value in found.items()}, None


def _field_value(value: Any) -> str:
    """A field's value as text: names lose their slash, lists are joined, unset is empty."""
    if value is None:
        return ""
    if isinstance(value, list):  # pypdf's ArrayObject is a list
        return ", ".join(_field_value(item) for item in value)
    text = str(value)
    return normalise_text(text.removeprefix("/"))


def _describe_start(data: bytes) -> str:
    start = data[:16]
    shown = start.decode("ascii", errors="replace")
    printable = "".join(char if char.isprintable() else "." for char in shown)
    return repr(printable)


def content_to_plain(content: PdfContent) -> dict[str, Any]:
    """Content as JSON types, for the cache and for the way back from a worker process."""
    problem = content.problem
    return {
        "pages": list(content.pages),
        "fields": dict(content.fields),
        "problem": None if problem is None else {"kind": problem.kind, "message": problem.message},
    }


def content_from_plain(data: Any) -> PdfContent | None:
    """Content rebuilt from JSON types, or None when any part is not what
    :func:`content_to_plain` writes: such data is never trusted."""
    if not isinstance(data, dict) or set(data) != {"pages", "fields", "problem"}:
        return None
    pages, fields, problem = data["pages"], data["fields"], data["problem"]
    if not isinstance(pages, list) or not all(isinstance(page, str) for page in pages):
        return None
    if not isinstance(fields, dict) or not all(
        isinstance(name, str) and isinstance(value, str) for name, value in fields.items()
    ):
        return None
    if problem is None:
        return PdfContent(pages=tuple(pages), fields=fields)
    if (
        not isinstance(problem, dict)
        or set(problem) != {"kind", "message"}
        or problem["kind"] not in _PROBLEM_KINDS
        or not isinstance(problem["message"], str)
    ):
        return None
    return PdfContent(
        pages=tuple(pages), fields=fields, problem=PdfProblem(problem["kind"], problem["message"])
    )
