"""Small PDFs made on the fly for the document, validity and suitability tests.

Nothing binary is kept in the repository: each PDF is drawn with reportlab (or
written by hand where a defect is the point) in the test that needs it.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Mapping, Sequence
from importlib.resources import files

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

PLAN = "submissions/bid-001/kwaliteitsplan.pdf"
UEA = "submissions/bid-001/uea.pdf"
PROCEDURE = "criteria/procedure.yaml"
SUITABILITY = "criteria/suitability.yaml"
AWARD = "criteria/award.yaml"
BID = "submissions/bid-001/bid.yaml"

Page = str | None
"""The text of a page, one line per line; None is a page with only an image (a scan)."""


def text_pdf(
    pages: Sequence[Page], *, password: str | None = None, restricted: bool = False
) -> bytes:
    """A PDF with the given pages. ``password`` encrypts it so that it cannot be opened;
    ``restricted`` encrypts it with an owner password only (no printing), as many are sent."""
    buffer = io.BytesIO()
    encrypt = StandardEncryption("", ownerPassword="eigenaar", canPrint=0) if restricted else None
    canvas = Canvas(buffer, pagesize=A4, invariant=True, encrypt=password or encrypt)
    for page in pages:
        if page is None:
            _draw_scan(canvas)
        else:
            y = A4[1] - 72
            for line in page.split("\n"):
                canvas.drawString(72, y, line)
                y -= 16
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def form_pdf(fields: Mapping[str, str], *, text: str = "UEA deel III") -> bytes:
    """A one-page PDF with a fillable text field per entry, filled in with its value."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.drawString(72, A4[1] - 72, text)
    y = int(A4[1]) - 120
    for name, value in fields.items():
        canvas.drawString(72, y + 4, name)
        canvas.acroForm.textfield(name=name, value=value, x=300, y=y, width=200, height=18)
        y -= 30
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def plan_pdf(
    sections: Sequence[tuple[str, int]],
    *,
    cover: str = "Kwaliteitsplan\nInschrijvingscode K-0001",
    body: str = "Wij werken samen met het wijkteam.",
) -> bytes:
    """A quality plan: a cover page, then each (heading, number of pages) as a section."""
    pages: list[Page] = [cover]
    for heading, count in sections:
        pages.append(f"{heading}\n{body}")
        pages += [f"Vervolg\n{body}"] * (count - 1)
    return text_pdf(pages)


GOOD_PLAN = plan_pdf([("1. First sub-criterion", 2), ("2. Second sub-criterion", 1)])
GOOD_UEA = form_pdf({"uitsluiting_veroordeling": "Nee", "uitsluiting_faillissement": "Nee"})
LONG_PDF = text_pdf(["regel een\nregel twee"] * 300)
"""Takes far more than a millisecond to read, so a 0.001-second limit always stops it."""
_NAMES = {
    "plan": PLAN,
    "uea": UEA,
    "procedure": PROCEDURE,
    "suitability": SUITABILITY,
    "award": AWARD,
    "bid": BID,
}


def template(name: str) -> str:
    """A criteria file as ``tender init`` writes it (the test dossier starts from these)."""
    return (files("tender.io") / "dossier_template" / name).read_text(encoding="utf-8")


def bid_files(**changes: str | bytes | None) -> dict[str, str | bytes | None]:
    """bid-001's plan and UEA, both readable, with files changed by short name
    (plan, uea, procedure, suitability, award, bid) or by path."""
    return {PLAN: GOOD_PLAN, UEA: GOOD_UEA} | {
        _NAMES.get(key, key): value for key, value in changes.items()
    }


def truncated(pdf: bytes) -> bytes:
    """The first part of a PDF: a header and half a body, no cross-reference table."""
    return pdf[: len(pdf) // 3]


def bomb_pdf(decompressed_mib: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``decompressed_mib`` MiB of text.

    The chunk is deflated once after a full flush (no back-references before it), so the
    stream is that block repeated, then a last empty block and the checksum: a GiB in
    a fraction of a second.
    """
    chunk = b"BT /F1 12 Tf 72 700 Td (aaaaaaaaaaaaaaaa) Tj ET\n" * 20_000
    times = -(-decompressed_mib * 1024 * 1024 // len(chunk))
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(chunk, checksum)
    stream = first + again * (times - 1) + b"\x03\x00" + checksum.to_bytes(4, "big")
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def text_bomb_pdf(*, pages: int, characters_per_page: int) -> bytes:
    """A PDF of a few kilobytes whose pages all draw one deflated content stream of
    ``characters_per_page`` letters, a line of a thousand at a time: 100 pages of a million
    characters are 100 MB of text in 18 KB."""
    line = b"(" + b"a" * 1000 + b") '\n"
    content = b"BT /F1 0.5 Tf 0.5 TL 10 800 Td\n" + line * (characters_per_page // 1000) + b"ET\n"
    stream = zlib.compress(content, 9)
    kids = b" ".join(b"%d 0 R" % (5 + number) for number in range(pages))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *[page] * pages,
        ]
    )


def _pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF of the given objects, numbered from 1, the first the catalog."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _draw_scan(canvas: Canvas) -> None:
    image = Image.new("L", (40, 40), color=200)
    canvas.drawImage(ImageReader(image), 72, 600, width=200, height=200)
