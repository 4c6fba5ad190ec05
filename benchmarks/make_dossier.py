"""Build a benchmark dossier of N bids: 7 evaluators, real PDFs, and a complete, locked record.

Usage: ``python benchmarks/make_dossier.py SIZE [SIZE ...] [--out DIR]``; importable as
:func:`make_dossier`. A dossier is built once per size and generator version in
``benchmarks/.dossiers/<size>-v<version>/`` (git-ignored) and reused while its manifest
says it is complete; ``--out`` builds one elsewhere, afresh.

What a dossier holds:

- ``criteria/``: the example's procedure, suitability requirements and award criteria
  (five sub-criteria, 0-2-4-6-8-10, consensus, weighted mean at least 8), and a
  committee of 7 evaluators, the chair among them, with no conflicts of interest, each
  with a public key derived from their id (:func:`member_key`: not secret).
- ``submissions/bid-00001`` …: every bid is on time, complete and suitable. Its bid.yaml
  is one of eight ordinary example bids' (bid-001 to bid-008) with its own bidder name
  and trade-register number; its four PDFs (a 6-page quality plan, a 1-page UEA with
  form fields, a trade-register extract and an insurance certificate, 9 pages in all)
  are that example bid's, byte for byte, followed by one PDF comment line that names
  the benchmark bid (``% tender benchmark bid-00017 kwaliteitsplan``), after ``%%EOF``
  where readers ignore it. So the text is shared, which keeps generation fast, but
  every file has its own SHA-256: the PDF cache is keyed by content hash, so with
  shared bytes a cold ingest would parse eight bids' files and take the rest from the
  cache. Here a cold ingest really parses every file.
- ``scores/ledger.jsonl`` and ``ledger.head``: the opening (the SHA-256 of every file, no
  PDF readings), a person's verdict on the one
  person-verified requirement (``referenties``) of every bid, 7 x N x 5 individual
  scores with a motivation each (sealed for their author and the chair), the chair's
  reveal of them (500 a entry) and the consensus phase, N x 5 consensus scores and the
  lock. Events are built with the models of :mod:`tender.domain.events` and
  :mod:`tender.record.sealing` (salts and ephemeral keys from a seeded generator), and
  signed by their author and chained with :func:`tender.record.ledger.encode_entry`, the
  ledger's own line encoder; the lines are written in one buffered file rather than by
  ``Ledger.transaction``'s append, whose fsync per entry would take hours for 410,000
  entries. ``tender verify`` accepts the record.

Scores follow a seeded plan: every bid has a quality level, each consensus score lies
within a step of it and each evaluator's score within a step of the consensus; about a
quarter of the bids reach the threshold. Motivations are 150-300 characters, in the
example's words, and name the plan's page, so no two bids share one word for word.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from tender.domain.events import (
    BidsOpened,
    ConsensusRecorded,
    Event,
    PhaseChanged,
    ScoresRevealed,
    SealedScore,
    VerdictRecorded,
    to_record,
)
from tender.domain.keys import MemberKey, Random, seal
from tender.io.loader import input_digests
from tender.record.ledger import GENESIS, HEAD_NAME, LEDGER_NAME, Head, encode_entry, encode_head
from tender.record.recorder import REVEAL_BATCH
from tender.record.sealing import commitment, sealed_text

GENERATOR_VERSION = 3
"""Change it whenever what a dossier holds changes: cached dossiers are then built again."""
ROOT = Path(__file__).resolve().parent.parent
DOSSIERS = Path(__file__).resolve().parent / ".dossiers"
MANIFEST = "benchmark-dossier.json"
TEMPLATES = tuple(f"bid-{number:03d}" for number in range(1, 9))
"""Ordinary example bids (on time, complete, suitable, within the page limits)."""
DOCUMENTS = ("kwaliteitsplan", "uea", "kvk-uittreksel", "verzekering")
ACCOUNT = "benchmark-generator"
SEED = "tender-scale-benchmark"
SCALE = (0, 2, 4, 6, 8, 10)
CHAIR = "ibosman"
EVALUATORS = (
    ("ibosman", "Ingrid Bosman", "policy"),
    ("rdemir", "Ruben Demir", "policy"),
    ("jvanrijn", "Joëlle van Rijn", "execution"),
    ("mhoekstra", "Marloes Hoekstra", "execution"),
    ("fdewit", "Femke de Wit", "execution"),
    ("tkramer", "Thijs Kramer", "contract-management"),
    ("svermeulen", "Sanne Vermeulen", "contract-management"),
)
SUBS = {
    "client-centraal": ("de cliënt en zijn netwerk", Fraction(25)),
    "samenwerking": ("de samenwerking met het wijkteam", Fraction(20)),
    "visie": ("de visie op de transformatie", Fraction(20)),
    "uitvoering": ("de uitvoering van de ondersteuning", Fraction(20)),
    "innovatie": ("innovatie", Fraction(15)),
}
"""The example's sub-criteria: what a motivation says it is about, and the weight."""
OPENINGS = {
    0: "Ontbreekt: het plan gaat niet in op {topic}.",
    2: "Slecht: het plan raakt {topic} nauwelijks; de aanpak is niet uitgewerkt.",
    4: "Onvoldoende: de aanpak van {topic} is onvolledig en onvoldoende onderbouwd.",
    6: "Voldoende: het plan beantwoordt de vraag naar {topic}, maar blijft algemeen.",
    8: "Goed: het plan is concreet over {topic}, met voorbeelden van hoe en met wie.",
    10: "Uitstekend: concreet over {topic}, met resultaten die al elders zijn bereikt.",
}
QUOTES = (
    "Wij werken met vaste teams van zeven medewerkers per wijk",
    "Samen met het wijkteam houden wij een maandelijks spreekuur",
    "De cliënt houdt één vast gezicht en een vast aanspreekpunt",
    "Wij evalueren de ondersteuning elke drie maanden met de cliënt",
    "Met de woningcorporatie spraken wij signalering bij schulden af",
    "Mantelzorgers krijgen een eigen contactpersoon in ons team",
    "Nieuwe medewerkers lopen eerst twee weken mee in de wijk",
    "Wij zetten beeldbellen in waar de cliënt dat zelf wil",
)
CLOSINGS = (
    "De commissie mist een voorbeeld uit de praktijk.",
    "Het plan noemt wie wat doet en wanneer.",
    "De resultaten zijn niet meetbaar gemaakt.",
    "De rol van de huisarts blijft onbenoemd.",
    "Het plan sluit aan bij de visie van de gemeente.",
    "Er is geen aandacht voor de overdracht bij ziekte.",
)
PLACES = (
    "Beekhorst",
    "Lindewoud",
    "Eemdal",
    "Westerzande",
    "Vechtstede",
    "Noorderveld",
    "Oosterwijk",
    "Zuidmeer",
)
LEGAL_FORMS = ("B.V.", "Stichting", "Coöperatie U.A.")


@dataclass(frozen=True)
class Built:
    """A benchmark dossier: where it is and what it holds."""

    root: Path
    bids: int
    files: int
    pages: int
    entries: int
    scores: int

    @property
    def ledger(self) -> Path:
        return self.root / "scores" / LEDGER_NAME


def make_dossier(size: int, *, out: Path | None = None, quiet: bool = False) -> Built:
    """The dossier of ``size`` bids: the cached one when complete, else built (in ``out``)."""
    if size < 1:
        raise ValueError("a dossier needs at least one bid")
    target = out or DOSSIERS / f"{size}-v{GENERATOR_VERSION}"
    if out is None:
        known = _manifest(target)
        if known is not None:
            return known
    if not quiet:
        print(f"building a dossier of {size:,} bids in {target} …", file=sys.stderr, flush=True)
    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    _criteria(staging)
    files, pages = _submissions(staging, size)
    entries, scores = _record(staging, size)
    built = Built(target, size, files, pages, entries, scores)
    manifest = {
        "version": GENERATOR_VERSION,
        "bids": size,
        "files": files,
        "pages": pages,
        "entries": entries,
        "scores": scores,
    }
    (staging / MANIFEST).write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return built


def _manifest(root: Path) -> Built | None:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != GENERATOR_VERSION:
        return None
    return Built(root, data["bids"], data["files"], data["pages"], data["entries"], data["scores"])


# --- criteria and submissions ------------------------------------------------------------------


def member_key(member: str) -> MemberKey:
    """A benchmark member's key: from a seed anyone can compute, so it is not secret."""
    seed = hashlib.sha256(f"tender benchmark key:{member}".encode()).digest()
    return MemberKey.from_seed(member, seed)


def _criteria(root: Path) -> None:
    folder = root / "criteria"
    folder.mkdir()
    for name in ("procedure.yaml", "suitability.yaml", "award.yaml"):
        shutil.copyfile(ROOT / "criteria" / name, folder / name)
    lines = ["# The benchmark's committee: seven evaluators, no conflicts of interest.\n"]
    lines.append(f"chair: {CHAIR}\nevaluators:\n")
    lines += [
        f"  - id: {person}\n    name: {name}\n    role: {role}\n"
        f"    key: {member_key(person).public}\n"
        for person, name, role in EVALUATORS
    ]
    (folder / "committee.yaml").write_text("".join(lines), encoding="utf-8")
    (root / "scores").mkdir()
    (root / ".gitignore").write_text(".tender-cache/\nreports/\n", encoding="utf-8")


@dataclass(frozen=True)
class _Template:
    bid_yaml: list[str]
    pdfs: Mapping[str, bytes]
    pages: int


def _templates() -> list[_Template]:
    found = []
    for bid in TEMPLATES:
        folder = ROOT / "submissions" / bid
        pdfs = {name: (folder / f"{name}.pdf").read_bytes() for name in DOCUMENTS}
        pages = 0
        for data in pdfs.values():
            document = pdfium.PdfDocument(data)
            pages += len(document)
            document.close()
        text = (folder / "bid.yaml").read_text(encoding="utf-8")
        found.append(_Template(text.splitlines(keepends=True), pdfs, pages))
    return found


def bid_id(number: int) -> str:
    return f"bid-{number:05d}"


def bidder_name(number: int) -> str:
    """A name of its own per bid; no template's quality plan contains it."""
    place = PLACES[number % len(PLACES)]
    form = LEGAL_FORMS[number % len(LEGAL_FORMS)]
    if form == "Stichting":
        return f"Stichting Thuiszorg {place} {number}"
    return f"Zorggroep {place} {number} {form}"


def _bid_yaml(template: _Template, number: int) -> str:
    out = [f"# Benchmark bid {bid_id(number)}, built by benchmarks/make_dossier.py\n"]
    named = False
    for line in template.bid_yaml:
        if line.startswith("#"):
            continue
        if line.startswith("  name: ") and not named:
            out.append(f"  name: {bidder_name(number)}\n")
            named = True
        elif line.startswith("  trade_register: "):
            out.append(f"  trade_register: '{70_000_000 + number:08d}'\n")
        else:
            out.append(line)
    return "".join(out)


def _submissions(root: Path, size: int) -> tuple[int, int]:
    templates = _templates()
    folder = root / "submissions"
    folder.mkdir()
    files = pages = 0
    for number in range(1, size + 1):
        template = templates[(number - 1) % len(templates)]
        bid = folder / bid_id(number)
        bid.mkdir()
        (bid / "bid.yaml").write_text(_bid_yaml(template, number), encoding="utf-8")
        for name, data in template.pdfs.items():
            mark = f"% tender benchmark {bid_id(number)} {name}\n".encode()
            (bid / f"{name}.pdf").write_bytes(data + mark)
            files += 1
        pages += template.pages
    return files, pages


# --- the record --------------------------------------------------------------------------------


def _record(root: Path, size: int) -> tuple[int, int]:
    """Write the locked record of every verdict and score; return (entries, scores)."""
    clock = datetime(2017, 11, 13, 8, tzinfo=UTC)
    previous, seq, scores = GENESIS, 0, 0
    # The opening freezes every file; it records no PDF readings (reading 40,000 PDFs here
    # would be the ingest the benchmark measures), so cached readings are not bound to it.
    opening = BidsOpened(files=input_digests(root), readings={})
    keys = {person: member_key(person) for person, _, _ in EVALUATORS}
    with (root / "scores" / LEDGER_NAME).open("wb", buffering=1 << 20) as stream:
        for by, event in ((CHAIR, opening), *_events(size, keys)):
            seq += 1
            body: dict[str, Any] = {
                "seq": seq,
                "at": (clock + timedelta(seconds=seq)).isoformat(timespec="microseconds"),
                "by": by,
                "account": ACCOUNT,
                "event": to_record(event),
                "prev": previous,
            }
            previous, line = encode_entry(body, signer=keys[by])
            stream.write(line)
            scores += isinstance(event, SealedScore | ConsensusRecorded)
    (root / "scores" / HEAD_NAME).write_text(encode_head(Head(seq, previous)), encoding="utf-8")
    return seq, scores


def _events(size: int, keys: Mapping[str, MemberKey]) -> Iterator[tuple[str, Event]]:
    rng = random.Random(f"{SEED}:{size}")
    seals = random.Random(f"{SEED}:{size}:seals").randbytes
    people = [person for person, _, _ in EVALUATORS]
    for number in range(1, size + 1):
        yield (
            people[number % len(people)],
            VerdictRecorded(
                bid=bid_id(number),
                requirement="referenties",
                passed=True,
                reason=(
                    "Twee referenties voor thuisondersteuning uit de afgelopen drie jaar "
                    f"gecontroleerd bij de opdrachtgevers van {bidder_name(number)}."
                ),
            ),
        )
    plan = {bid_id(number): _planned(rng) for number in range(1, size + 1)}
    seq = 1 + size  # the opening and the verdicts come first
    openings: dict[str, str] = {}
    for person in people:
        for bid, planned in plan.items():
            for sub, value in planned.items():
                score = _near(rng, value, (0.12, 0.76, 0.12))
                text = sealed_text(
                    Decimal(score), _motivation(rng, bid, sub, score), None, random=seals
                )
                seq += 1
                openings[str(seq)] = text.decode()
                yield person, _sealed(keys, person, text, bid=bid, sub=sub, seals=seals)
    batch = list(openings.items())
    for start in range(0, len(batch), REVEAL_BATCH):
        yield CHAIR, ScoresRevealed(openings=dict(batch[start : start + REVEAL_BATCH]))
    yield CHAIR, PhaseChanged(phase="consensus")
    for bid, planned in plan.items():
        for sub, value in planned.items():
            yield (
                CHAIR,
                ConsensusRecorded(
                    bid=bid,
                    sub_criterion=sub,
                    score=Decimal(value),
                    motivation=(
                        f"De commissie komt na bespreking op {value}. "
                        + _motivation(rng, bid, sub, value)
                    ),
                ),
            )
    yield CHAIR, PhaseChanged(phase="locked")


def _sealed(
    keys: Mapping[str, MemberKey], author: str, text: bytes, *, bid: str, sub: str, seals: Random
) -> SealedScore:
    """``text`` sealed for its readers, the author and the chair, as the recorder seals it."""
    boxes = {
        reader: seal(text, keys[reader].public, random=seals)
        for reader in dict.fromkeys((author, CHAIR))
    }
    return SealedScore(bid=bid, sub_criterion=sub, commitment=commitment(text), boxes=boxes)


def _planned(rng: random.Random) -> dict[str, int]:
    """One bid's consensus scores: a quality level, each sub-criterion within a step of it."""
    level = rng.choice((4, 6, 6, 6, 8, 8, 8, 10))
    return {sub: _near(rng, level, (0.2, 0.6, 0.2)) for sub in SUBS}


def _near(rng: random.Random, value: int, chances: tuple[float, float, float]) -> int:
    step = rng.choices((-2, 0, 2), weights=chances)[0]
    return min(SCALE[-1], max(SCALE[0], value + step))


def _motivation(rng: random.Random, bid: str, sub: str, score: int) -> str:
    topic, _ = SUBS[sub]
    return (
        f"{OPENINGS[score].format(topic=topic)} Het plan stelt: “{rng.choice(QUOTES)}” "
        f"(pagina {rng.randint(1, 6)} van het plan van {bid}). {rng.choice(CLOSINGS)}"
    )


def weighted_mean(planned: Mapping[str, int]) -> Fraction:
    """The weighted mean of one bid's consensus scores (for tests of the plan)."""
    total = sum(weight for _, weight in SUBS.values())
    return sum((SUBS[sub][1] * value for sub, value in planned.items()), Fraction(0)) / total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("sizes", type=int, nargs="+", metavar="SIZE", help="bids per dossier")
    parser.add_argument("--out", type=Path, help="build one dossier here, afresh")
    args = parser.parse_args(argv)
    if args.out is not None and len(args.sizes) != 1:
        parser.error("--out takes one size")
    for size in args.sizes:
        built = make_dossier(size, out=args.out)
        print(
            f"{built.root}: {built.bids:,} bids, {built.files:,} PDFs ({built.pages:,} pages), "
            f"{built.entries:,} entries ({built.scores:,} scores)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
