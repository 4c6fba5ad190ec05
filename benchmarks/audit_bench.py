"""Benchmark: the audit of a locked record with 1,000 and with 10,000 bids, 7 evaluators.

Builds, in memory and from a fixed seed, a dossier with five sub-criteria and a record
in which every evaluator scored every item of every bid with a motivation of 150-300
characters, and the chair recorded a consensus score on each item. The timed part is
:func:`tender.analysis.audit.audit` with the decisions given, i.e. every check: completeness,
scale and motivations (including copies across bids), spread, bias with intervals,
ICC and Krippendorff's alpha per sub-criterion and overall, tone and comparisons, and
fragility. The baseline is ``json.loads`` of the same record as the ledger stores it (one
JSON line per entry: the sealed individual scores, their reveal and the consensus scores):
the least any reader of the record must do.

    .venv/bin/python benchmarks/audit_bench.py [--sizes 1000 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from tender.analysis.audit import audit
from tender.award.decisions import Decision, decide
from tender.bids.documents import BidDocuments
from tender.bids.suitability import BidAssessment
from tender.bids.validity import Validity
from tender.domain.dossier import Dossier, Submission
from tender.domain.events import (
    ConsensusRecorded,
    PhaseChanged,
    ScoresRevealed,
    SealedScore,
    to_record,
)
from tender.io.loader import load_dossier
from tender.io.scaffold import create_dossier
from tender.record.book import Score, ScoreBook
from tender.record.ledger import Entry
from tender.record.recorder import REVEAL_BATCH
from tender.record.sealing import commitment, sealed_text

SEED = "tender-audit-benchmark"
EVALUATORS = tuple(f"evaluator-{number}" for number in range(1, 8))
SUBS = ("client", "samenwerking", "visie", "uitvoering", "innovatie")
SCALE = (0, 2, 4, 6, 8, 10)
COMMITTEE = "chair: evaluator-1\nevaluators:\n" + "".join(
    f"  - {{id: {person}, name: Evaluator {person[-1]}, role: policy}}\n" for person in EVALUATORS
)
AWARD = (
    "quality_plan: {document: kwaliteitsplan}\nscale:\n"
    + "".join(f"  - {{value: {v}, label: P{v}, guidance: Punt {v}.}}\n" for v in SCALE)
    + "sub_criteria:\n"
    + "".join(f"  - {{id: {s}, title: {s}, description: {s}., weight: 20}}\n" for s in SUBS)
)
BID_YAML = """\
bidder:
  name: Zorgaanbieder 1 B.V.
  address: {street: Kerkstraat 1, postal_code: 1234 AB, city: Voorbeeld}
  contact: {name: Anna de Vries, email: anna@example.org}
received: 2026-11-09T10:15:00+01:00
financials: {annual_turnover_eur: 250000}
documents:
  kwaliteitsplan: {file: kwaliteitsplan.pdf}
  uea: {file: uea.pdf}
"""
OPENINGS = {
    0: "Ontbreekt: het plan gaat niet in op het criterium.",
    2: "Slecht: het plan raakt het criterium nauwelijks; de aanpak is niet uitgewerkt.",
    4: "Onvoldoende: de aanpak is onvolledig en onvoldoende onderbouwd.",
    6: "Voldoende: het plan beantwoordt het criterium, maar blijft algemeen.",
    8: "Goed: het plan is concreet en overtuigend, met voorbeelden van hoe en met wie.",
    10: "Uitstekend: concreet, overtuigend en met resultaten die al elders zijn bereikt.",
}
QUOTES = (
    "Wij werken met vaste teams van zeven medewerkers per wijk",
    "Samen met het wijkteam houden wij een maandelijks spreekuur",
    "De cliënt houdt één vast gezicht en een vast aanspreekpunt",
    "Wij evalueren de ondersteuning elke drie maanden met de cliënt",
    "Met de woningcorporatie spraken wij signalering bij schulden af",
)


def make_dossier(root: Path, bids: int) -> Dossier:
    create_dossier(root)
    (root / "criteria" / "committee.yaml").write_text(COMMITTEE, encoding="utf-8")
    (root / "criteria" / "award.yaml").write_text(AWARD, encoding="utf-8")
    (root / "criteria" / "suitability.yaml").write_text("requirements: []\n", encoding="utf-8")
    folder = root / "submissions" / "bid-00001"
    folder.mkdir(parents=True)
    (folder / "bid.yaml").write_text(BID_YAML, encoding="utf-8")
    for name in ("kwaliteitsplan.pdf", "uea.pdf"):
        (folder / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    template = load_dossier(root)
    first = template.submissions[0]
    submissions = tuple(
        Submission(
            id=f"bid-{number:05d}",
            folder=first.folder,
            metadata=first.metadata.model_copy(
                update={
                    "bidder": first.metadata.bidder.model_copy(
                        update={"name": f"Zorgaanbieder {number} B.V."}
                    )
                }
            ),
        )
        for number in range(1, bids + 1)
    )
    return replace(template, submissions=submissions)


def make_book(dossier: Dossier, rng: random.Random) -> tuple[ScoreBook, list[str]]:
    """A locked record of every score, and the same record as the ledger's JSON lines.

    The record is what a committee's is now: every individual score sealed to its author
    and the chair, the chair's reveal of them all (500 an entry), then the consensus
    scores. The sealed boxes are random bytes of a sealed box's length, not sealed (the
    audit never opens them, and sealing 350,000 scores would take minutes); the revealed
    texts are the scores' own, each checked against its commitment as the book reads it.
    """
    book = ScoreBook()
    lines: list[str] = []
    moment = datetime(2026, 11, 14, 9, tzinfo=UTC)
    salts = random.Random(f"{SEED}:salts").randbytes
    chair = dossier.committee.chair
    texts: dict[int, str] = {}
    agreed: list[Score] = []

    def add(by: str, at: datetime, event: dict[str, Any]) -> int:
        lines.append(_line(len(lines) + 1, by, at, event))
        book.apply(_entry(lines[-1]))
        return len(lines)

    for bid in dossier.submissions:
        quality = rng.choice((2, 4, 4, 6, 6, 6, 8, 8, 10))
        for sub in SUBS:
            planned = min(10, max(0, quality + rng.choice((-2, 0, 0, 0, 2))))
            for person in EVALUATORS:
                value = min(10, max(0, planned + rng.choice((-2, 0, 0, 0, 0, 0, 2))))
                motivation = (
                    f"{OPENINGS[value]} Het plan stelt: “{rng.choice(QUOTES)} in {bid.id}”. "
                    f"Zie pagina {rng.randint(1, 2)} van het hoofdstuk over {sub}."
                )
                text = sealed_text(Decimal(value), motivation, None, random=salts)
                box = 32 + 16 + len(text)  # the ephemeral key, the MAC and the text
                boxes = {
                    reader: base64.b64encode(salts(box)).decode("ascii")
                    for reader in dossier.committee.readers(person)
                }
                sealed = SealedScore(
                    bid=bid.id, sub_criterion=sub, commitment=commitment(text), boxes=boxes
                )
                texts[add(person, moment, to_record(sealed))] = text.decode("utf-8")
            agreed.append(
                Score(
                    by=chair,
                    bid=bid.id,
                    sub_criterion=sub,
                    score=Decimal(planned),
                    motivation=(
                        f"Score {planned}. {OPENINGS[planned]} De commissie volgt het plan "
                        f"voor {bid.id}."
                    ),
                    at=moment + timedelta(days=14),
                    seq=0,
                )
            )
    numbers = list(texts)
    for first in range(0, len(numbers), REVEAL_BATCH):
        openings = {str(seq): texts[seq] for seq in numbers[first : first + REVEAL_BATCH]}
        add(chair, moment + timedelta(days=13), to_record(ScoresRevealed(openings=openings)))
    add(chair, moment + timedelta(days=13), to_record(PhaseChanged(phase="consensus")))
    for score in agreed:
        event = ConsensusRecorded(
            bid=score.bid,
            sub_criterion=score.sub_criterion,
            score=score.score,
            motivation=score.motivation,
        )
        add(chair, score.at, to_record(event))
    add(chair, moment + timedelta(days=15), to_record(PhaseChanged(phase="locked")))
    return book, lines


def _entry(line: str) -> Entry:
    body = json.loads(line)
    return Entry(
        seq=body["seq"],
        at=datetime.fromisoformat(body["at"]),
        by=body["by"],
        account=body["account"],
        event=body["event"],
        prev=body["prev"],
        hash=body["hash"],
        line=body["seq"],
        signature=body["sig"],
    )


def _line(seq: int, by: str, at: datetime, event: dict[str, Any]) -> str:
    """An entry's line as the ledger writes it, with a hash and a signature of their length."""
    return json.dumps(
        {
            "seq": seq,
            "at": at.isoformat(),
            "by": by,
            "account": "benchmark",
            "event": event,
            "prev": "0" * 64,
            "hash": "0" * 64,
            "sig": "A" * 86 + "==",
        },
        ensure_ascii=False,
    )


def assessments(dossier: Dossier) -> tuple[BidAssessment, ...]:
    moment = datetime(2026, 11, 9, tzinfo=UTC)
    return tuple(
        BidAssessment(
            bid=bid.id,
            bidder=bid.metadata.bidder.name,
            documents=BidDocuments(bid=bid.id, documents=(), sections=()),
            validity=Validity(bid=bid.id, received=moment, deadline=moment, reasons=()),
            requirements=(),
        )
        for bid in dossier.submissions
    )


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(bids: int, runs: int) -> dict[str, float | int]:
    rng = random.Random(f"{SEED}:{bids}")
    with tempfile.TemporaryDirectory() as folder:
        dossier = make_dossier(Path(folder) / "dossier", bids)
        book, lines = make_book(dossier, rng)
        assessed = assessments(dossier)
        decisions: Sequence[Decision] = decide(dossier, assessed, book)
        text = "\n".join(lines)
        baseline = best_of(runs, lambda: [json.loads(line) for line in text.splitlines()])
        seconds = best_of(runs, lambda: audit(dossier, assessed, book, decisions))
        report = audit(dossier, assessed, book, decisions)
    return {
        "bids": bids,
        "scores": len(book.individual) + len(book.consensus),
        "findings": len(report.findings),
        "audit": seconds,
        "json": baseline,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    args = parser.parse_args(argv)
    print(f"{'bids':>7} {'scores':>8} {'findings':>9} {'audit':>9} {'json.loads':>11} {'ratio':>6}")
    for size in args.sizes:
        row = measure(size, args.runs)
        print(
            f"{row['bids']:>7,} {row['scores']:>8,} {row['findings']:>9,} "
            f"{row['audit']:>8.2f}s {row['json']:>10.2f}s {row['audit'] / row['json']:>5.1f}x",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
