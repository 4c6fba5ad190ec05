"""What one file or value of a dossier may cost: the limits, the same for every dossier.

A dossier holds files typed by the municipality and files a bidder sent. Without
a bound, one of them can stall every command: a 5 MB bidder name, a plan that
reads as 100 MB of text, a PDF of gigabytes. Each limit below lies far beyond what
a municipality's tender needs, so that no honest file meets it, and low enough
that reading the largest file allowed costs a second or two. They are constants,
not settings of the dossier: a limit a dossier could raise would be no limit
against the bidder whose files it holds. The README lists them ("Limits").

A YAML file or value over its limit is a problem in the dossier (exit 1, with
file, line and field); a PDF over its limit is a finding on its bid, recorded at
the opening like any other reading.
"""

from __future__ import annotations

KIB = 1024
MIB = 1024 * KIB

CRITERIA_FILE_BYTES = 512 * KIB
"""One file of criteria/. The example's largest is 3 KB; ten sub-criteria with a page of
guidance for every point of the scale stay under 100 KB."""

BID_FILE_BYTES = 128 * KIB
"""One bid.yaml. The example's are under 2 KB; a bid listing a hundred references and
certificates stays under 20 KB."""

TEXT_CHARACTERS = 10_000
"""One text value in any YAML file (a description, guidance, a reason): about three pages of
prose. The example's longest is 254 characters."""

NAME_CHARACTERS = 300
"""A name (of a bidder, a person, an authority, an insurer, an issuer, a client): a company's
legal name with its legal form seldom passes 100 characters. Names are printed in every
table and letter and searched for in every page of a plan, so they get a bound of their own."""

NUMBER_CHARACTERS = 100
"""A number as written in YAML: an amount in euros has 13 digits at most, a weight a few
decimals. Python refuses to convert an integer of more than 4,300 digits (which was an
internal error), and every operation on a number costs more the more digits it has."""

PDF_FILE_BYTES = 64 * MIB
"""One PDF. Text documents are a few MB; a plan or certificate scanned at 300 dpi takes up
to about 1 MB a page, so this admits some 60 scanned pages in one file."""

PDF_TEXT_CHARACTERS = 4_000_000
"""The text of one PDF, all pages: a dense A4 page holds about 4,000 characters, so this is
a thousand dense pages; a quality plan has a few dozen. Reading stops at the page that
passes it, so a small file that inflates to 100 MB of text costs a second, not minutes."""

PDF_SECONDS = 60.0
"""Reading one PDF, wall clock, in its worker process: the example's take milliseconds."""

PDF_MEMORY_BYTES = 2048 * MIB
"""The address space of a worker process reading PDFs (Linux): the PDF libraries need
a few hundred MB for the largest honest file."""


def shown_bytes(count: int) -> str:
    """A size as people read it: ``64 MiB``, ``130.5 KiB``, ``900 bytes``."""
    for unit, size in (("MiB", MIB), ("KiB", KIB)):
        if count >= size:
            return f"{count / size:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{count:,} bytes"
