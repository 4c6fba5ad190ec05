"""Benchmark: how fast tender reads bids' PDFs, cold and warm, next to poppler's pdftotext.

Usage: ``python benchmarks/pdf_ingest.py [--corpus bids|long] [--size N] [--workers N] [--repeat N]``

Builds (once, deterministically; reused while its recipe is unchanged) a corpus
in ``benchmarks/.corpus/<name>/`` (git-ignored), then measures, in the same run
on the same files:

- **cold**: tender's extraction with an empty cache: every PDF parsed, in
  bounded worker processes over all cores;
- **warm**: the same again with the cache filled; it must parse no PDF;
- **pdftotext** (poppler-utils): one process per file, one after another.

Each is run ``--repeat`` times (3) in turn and the fastest run counts, so that a
busy machine disturbs the comparison less.

Two corpora, both at least 200 PDFs and 4,000 pages:

- ``bids`` (default): what a tender receives. Per bid a quality plan of 10-16
  dense pages, an ESPD of 2 pages with form fields, a one-page trade-register
  extract and a one-page insurance certificate: 260 bids, 1,040 PDFs.
- ``long``: long documents only, 8-32 dense pages each (240 PDFs), where
  pdftotext's start-up per file weighs least: the hardest comparison for tender.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tender.bids.documents import extract_files
from tender.io.pdfcache import CACHE_FOLDER

CORPORA = Path(__file__).resolve().parent / ".corpus"
RECIPE_VERSION = 1
SEED = 20171110
LINES_PER_PAGE = 46
GROUNDS = ("veroordeling", "belastingen", "faillissement", "beroepsfout")
VOCABULARY = """
de het een en van in op met voor door bij naar wijk cliënt zorg thuis hulp ondersteuning
samenwerking huisarts wijkteam mantelzorger netwerk gemeente aanbieder resultaat begeleiding
huishoudelijke zelfredzaamheid inwoner regie afspraken kwaliteit evaluatie vrijwilligers
welzijn coördinatie innovatie technologie transformatie arrangement signalering preventie
"""
WORDS = VOCABULARY.split()


@dataclass(frozen=True)
class Document:
    """One PDF of the corpus: its file name, page count and whether it has form fields."""

    name: str
    pages: int
    form: bool = False


@dataclass(frozen=True)
class Measurement:
    method: str
    pdfs: int
    pages: int
    seconds: float
    parsed: int | None = None

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else float("inf")


def bids_corpus(size: int) -> list[Document]:
    """``size`` bids of four documents each, as a tender receives them."""
    documents = []
    for bid in range(size):
        rng = random.Random(f"{SEED}:bid:{bid}")
        documents += [
            Document(f"bid-{bid:04d}-kwaliteitsplan.pdf", rng.randint(10, 16)),
            Document(f"bid-{bid:04d}-uea.pdf", 2, form=True),
            Document(f"bid-{bid:04d}-kvk-uittreksel.pdf", 1),
            Document(f"bid-{bid:04d}-verzekering.pdf", 1),
        ]
    return documents


def long_corpus(size: int) -> list[Document]:
    """``size`` long documents of 8-32 pages."""
    return [
        Document(f"doc-{index:04d}.pdf", random.Random(f"{SEED}:long:{index}").randint(8, 32))
        for index in range(size)
    ]


CORPUS_RECIPES: dict[str, tuple[Callable[[int], list[Document]], int]] = {
    "bids": (bids_corpus, 260),
    "long": (long_corpus, 240),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--corpus", choices=sorted(CORPUS_RECIPES), default="bids")
    parser.add_argument("--size", type=int, help="bids (bids) or documents (long) to build")
    parser.add_argument("--workers", type=int, help="worker processes (default: every core)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each method; the fastest counts (3)"
    )
    args = parser.parse_args(argv)
    recipe, default_size = CORPUS_RECIPES[args.corpus]
    folder = CORPORA / args.corpus
    paths, pages = build_corpus(folder, recipe(args.size or default_size))
    if len(paths) < 200 or pages < 4000:
        parser.error(f"the corpus has {len(paths)} PDFs and {pages} pages; 200 and 4000 at least")
    print(
        f"corpus '{args.corpus}': {len(paths)} PDFs, {pages} pages in {folder}; "
        f"{os.cpu_count()} cores, {args.workers or os.cpu_count()} workers"
    )

    runs = []
    for _ in range(args.repeat):
        shutil.rmtree(folder / CACHE_FOLDER, ignore_errors=True)
        cold = measure("tender, cold cache", folder, paths, args.workers)
        warm = measure("tender, warm cache", folder, paths, args.workers)
        runs.append((cold, warm, measure_pdftotext(paths, pages)))
    cold = min((run[0] for run in runs), key=lambda row: row.seconds)
    warm = min((run[1] for run in runs), key=lambda row: row.seconds)
    timed = [run[2] for run in runs if run[2] is not None]
    poppler = min(timed, key=lambda row: row.seconds) if timed else None
    if args.repeat > 1:
        print(f"best of {args.repeat} runs each")
    print_table([cold, warm, *([poppler] if poppler else [])], poppler)
    if poppler is None:
        print(
            "pdftotext is not installed, so there is nothing to compare with: install "
            "poppler-utils (apt-get install poppler-utils) and run again",
            file=sys.stderr,
        )
    if warm.parsed:
        print(f"the warm run parsed {warm.parsed} PDFs; it should parse none", file=sys.stderr)
        return 1
    return 0


def measure(label: str, folder: Path, paths: Sequence[Path], workers: int | None) -> Measurement:
    start = time.perf_counter()
    extraction = extract_files(paths, cache_root=folder, workers=workers)
    seconds = time.perf_counter() - start
    unreadable = [path.name for path, item in extraction.files.items() if not item.content.readable]
    if unreadable:
        raise SystemExit(f"corpus files could not be read: {', '.join(unreadable)}")
    pages = sum(len(item.content.pages) for item in extraction.files.values())
    return Measurement(label, len(paths), pages, seconds, extraction.parsed)


def measure_pdftotext(paths: Sequence[Path], pages: int) -> Measurement | None:
    program = shutil.which("pdftotext")
    if program is None:
        return None
    start = time.perf_counter()
    for path in paths:
        subprocess.run(
            [program, "-q", "-enc", "UTF-8", str(path), "-"], check=True, stdout=subprocess.DEVNULL
        )
    seconds = time.perf_counter() - start
    return Measurement("pdftotext, a process per file", len(paths), pages, seconds)


def print_table(rows: Sequence[Measurement], baseline: Measurement | None) -> None:
    header = (
        f"{'method':<30} {'PDFs':>5} {'pages':>6} {'seconds':>8} {'pages/s':>8} "
        f"{'parsed':>6} {'vs pdftotext':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        parsed = "—" if row.parsed is None else str(row.parsed)
        ratio = f"{row.rate / baseline.rate:.1f}x" if baseline else "—"
        print(
            f"{row.method:<30} {row.pdfs:>5} {row.pages:>6} {row.seconds:>8.2f} "
            f"{row.rate:>8.0f} {parsed:>6} {ratio:>12}"
        )


# --- building the corpus --------------------------------------------------------------


def build_corpus(folder: Path, documents: Sequence[Document]) -> tuple[list[Path], int]:
    """The corpus's PDFs and page total; written only when missing or built to another recipe."""
    recipe = {
        "version": RECIPE_VERSION,
        "documents": [[doc.name, doc.pages, doc.form] for doc in documents],
    }
    manifest = folder / "manifest.json"
    paths = [folder / doc.name for doc in documents]
    pages = sum(doc.pages for doc in documents)
    try:
        known = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = None
    if known == recipe and all(path.is_file() for path in paths):
        return paths, pages
    print(f"building the corpus in {folder} (once) …", file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with ProcessPoolExecutor() as pool:
        for name, data in pool.map(_pdf, documents, chunksize=16):
            (folder / name).write_bytes(data)
    manifest.write_text(json.dumps(recipe), encoding="utf-8")
    return paths, pages


def _pdf(document: Document) -> tuple[str, bytes]:
    rng = random.Random(f"{SEED}:{document.name}")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    for number in range(1, document.pages + 1):
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(56, A4[1] - 60, f"{number}. {rng.choice(WORDS).capitalize()}")
        canvas.setFont("Helvetica", 10)
        for line in range(LINES_PER_PAGE):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 15)))
            canvas.drawString(56, A4[1] - 90 - line * 15, words)
        if document.form and number == 1:
            for index, ground in enumerate(GROUNDS):
                canvas.acroForm.textfield(
                    name=f"uitsluiting_{ground}", value="Nee", x=380, y=40 + index * 24
                )
        canvas.showPage()
    canvas.save()
    return document.name, buffer.getvalue()


if __name__ == "__main__":
    sys.exit(main())
