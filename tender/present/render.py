"""Render what goes out: HTML and PDF from one jinja2 template, published as a complete set.

The environment is strict: a variable a template uses but the context lacks is an
error (``StrictUndefined``), never an empty space in a letter to a bidder, and
every value is HTML-escaped, so a bidder's name with markup prints as text. PDF
is made from the same HTML by xhtml2pdf (on reportlab), so both say the same.
The PDF embeds Bitstream Vera Sans, which ships with reportlab: the letter looks
the same in every viewer and archive, and a character the font cannot draw is an
error rather than a box in a bidder's name.

:func:`publish` is, with the ledger, the only writer in tender: a set of files is
written to a staging folder and swapped in by renames, so ``reports/<set>/``
holds either the old or the new complete set, whatever moment a crash comes.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateError

from tender.award.decisions import exact, shown
from tender.domain.dossier import REPORTS
from tender.domain.errors import TenderError
from tender.io.access import make_room
from tender.io.atomic import confine, sync_folder, write_new
from tender.io.faults import machine_faults

Language = Literal["nl", "en"]
PDF_FONT = "Bitstream Vera Sans"
_FACES = {
    "Vera.ttf": "",
    "VeraBd.ttf": "font-weight: bold;",
    "VeraIt.ttf": "font-style: italic;",
    "VeraBI.ttf": "font-weight: bold; font-style: italic;",
}
_MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
_WEEKDAYS = {
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


class RenderError(TenderError):
    """A report could not be rendered (a template or a PDF conversion failed)."""


@dataclass(frozen=True)
class Rendered:
    """One rendered file: where it goes under ``reports/`` and its bytes."""

    path: PurePosixPath
    content: bytes


@functools.cache
def environment(language: Language) -> Environment:
    """The strict, escaping template environment with the filters for ``language``.

    One per language and process, so templates are compiled once, not per letter.
    """
    env = Environment(
        loader=PackageLoader("tender.present", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["score"] = lambda value: score_text(value, language)
    env.filters["exact"] = lambda value: exact(Fraction(value)).replace(
        ".", "," if language == "nl" else "."
    )
    env.filters["day"] = lambda value: day_text(value, language)
    env.filters["weekday"] = lambda value: _WEEKDAYS[language][value.weekday()]
    env.filters["euro"] = lambda value: euro_text(value, language)
    env.filters["moment"] = lambda value: moment_text(value, language)
    return env


def render_html(language: Language, template: str, context: Mapping[str, Any]) -> str:
    """Render ``<language>/<template>`` with ``context``; a missing variable is an error."""
    try:
        return environment(language).get_template(f"{language}/{template}").render(context)
    except TemplateError as error:
        raise RenderError(f"template {language}/{template}: {error}") from error


def render_page(template: str, context: Mapping[str, Any], language: Language = "en") -> str:
    """Render a template that serves every language by its path, such as ``shared/audit.html``."""
    try:
        return environment(language).get_template(template).render(context)
    except TemplateError as error:
        raise RenderError(f"template {template}: {error}") from error


def html_to_pdf(html: str, *, name: str) -> bytes:
    """The PDF of an HTML page rendered by :func:`render_html`; the same page gives the same bytes.

    Refused when the text holds a character the embedded font has no glyph for.
    """
    missing = sorted({char for char in html if not char.isspace() and ord(char) not in _glyphs()})
    if missing:
        listed = ", ".join(f"'{char}' (U+{ord(char):04X})" for char in missing)
        raise RenderError(
            f"{name}: the PDF font ({PDF_FONT}) cannot draw {listed}; the PDF would show "
            "a blank or a box there"
        )
    from reportlab import rl_config
    from xhtml2pdf import pisa

    logging.getLogger("xhtml2pdf").setLevel(logging.ERROR)
    rl_config.invariant = True  # no timestamp or random id: the same page, the same bytes
    buffer = io.BytesIO()
    status = pisa.CreatePDF(
        html,
        dest=buffer,
        encoding="utf-8",
        capacity=-1,  # build in memory: a spill file would be left for the collector to close
        path=str(_fonts() / "page.html"),  # relative font URLs resolve in reportlab's fonts
        default_css=_pdf_css(),
    )
    if status.err:
        raise RenderError(f"{name}: the PDF could not be made ({status.err} errors)")
    return buffer.getvalue()


# The PDF libraries are imported when a PDF is made: commands that make none (decide,
# audit, check) start a fifth of a second sooner.


@functools.cache
def _fonts() -> Path:
    import reportlab

    return Path(reportlab.__file__).parent / "fonts"


@functools.cache
def _pdf_css() -> str:
    """The PDF's fonts, given only to the converter: the HTML stays free of local paths."""
    from xhtml2pdf.default import DEFAULT_CSS

    faces = "".join(
        f'@font-face {{ font-family: "{PDF_FONT}"; src: url({file}); {style} }}\n'
        for file, style in _FACES.items()
    )
    return f"{DEFAULT_CSS}{faces}"


@functools.cache
def _glyphs() -> frozenset[int]:
    """The code points every face of the PDF font can draw."""
    from reportlab.pdfbase.ttfonts import TTFont

    faces = [TTFont(file, str(_fonts() / file)).face.charToGlyph for file in _FACES]
    return frozenset.intersection(*(frozenset(face) for face in faces))


def score_text(value: Fraction | Decimal | int, language: Language) -> str:
    """A score for people: exact when it has at most two decimals, else rounded down to two."""
    fraction = Fraction(value)
    text = exact(fraction)
    if "/" in text or ("." in text and len(text.split(".")[1]) > 2):
        text = str(shown(fraction))
    return text.replace(".", ",") if language == "nl" else text


def day_text(value: date, language: Language) -> str:
    """``1 december 2017`` / ``1 December 2017``."""
    return f"{value.day} {_MONTHS[language][value.month - 1]} {value.year}"


def moment_text(value: datetime, language: Language) -> str:
    """A moment to the second, in its own time zone."""
    clock = f"{value:%H:%M:%S}"
    return f"{day_text(value.date(), language)} {'om' if language == 'nl' else 'at'} {clock}"


def euro_text(value: Decimal | int, language: Language) -> str:
    """``€ 2.500.000`` in Dutch, ``€2,500,000`` in English; cents only when there are any.

    The Dutch space is a no-break space, so a line never ends on the euro sign.
    """
    amount = Decimal(value)
    places = 0 if amount == amount.to_integral_value() else 2
    text = f"{amount:,.{places}f}"
    if language == "nl":
        return "€\u00a0" + text.replace(",", "_").replace(".", ",").replace("_", ".")
    return "€" + text


def publish(
    root: Path, set_name: str, files: Iterable[Rendered], *, group: str | None = None
) -> Path:
    """Replace ``<root>/reports/<set_name>/`` by ``files`` as one complete set.

    The new set is written durably (:mod:`tender.io.atomic`) in a staging folder; then the old set is
    moved aside and the new one moved in. A crash between the two renames leaves
    the old set in ``.<set_name>.old``, which the next publish (or
    :func:`recover`) moves back first, so a reader never sees half a set. When the
    machine refuses (a full disk, say), the staging folder is removed and the old set stays.
    A new ``reports/`` is entered only by its owner and ``group`` (:mod:`tender.io.access`).
    """
    with machine_faults(root / REPORTS / set_name):
        return _publish(root, set_name, files, group)


def _publish(root: Path, set_name: str, files: Iterable[Rendered], group: str | None) -> Path:
    reports = confine(root, root / REPORTS)
    make_room(reports, group)
    recover(root, set_name)
    target = _confined_tree(root, reports / set_name)
    staging = Path(tempfile.mkdtemp(prefix=f".{set_name}.new-", dir=reports))
    try:
        folders = {staging}
        for rendered in files:
            path = staging / Path(*rendered.path.parts)
            if ".." in rendered.path.parts or rendered.path.is_absolute():
                raise RenderError(f"refused to write outside reports/: {rendered.path}")
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
            write_new(path, rendered.content)
        for folder in sorted(folders, key=lambda folder: len(folder.parts), reverse=True):
            sync_folder(folder)
        old = reports / f".{set_name}.old"
        if target.exists():
            target.rename(old)
        staging.rename(target)
        sync_folder(reports)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def recover(root: Path, set_name: str) -> None:
    """Undo a publish that stopped between its two renames: put the old set back."""
    reports = confine(root, root / REPORTS)
    old = _confined_tree(root, reports / f".{set_name}.old")
    target = confine(root, reports / set_name)
    if old.exists() and not target.exists():
        old.rename(target)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    for leftover in reports.glob(f".{set_name}.new-*"):
        shutil.rmtree(_confined_tree(root, leftover), ignore_errors=True)


def _confined_tree(root: Path, folder: Path) -> Path:
    """``folder``, refused when it or anything in it leads out of the dossier: a set is
    replaced and removed whole, and a link inside it says someone meant it to lead elsewhere."""
    confine(root, folder)
    for parent, folders, files in os.walk(folder):  # links are listed, not followed
        for name in (*folders, *files):
            path = Path(parent, name)
            if path.is_symlink():  # anything else lies where its folder does: inside
                confine(root, path)
    return folder
