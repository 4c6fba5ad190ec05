"""The provisional award and rejection letters (art. 2.130 Aw), and the definitive award letters.

Each bidder gets one letter as HTML and as PDF, from one template, with every
element the law and the courts ask for: the reasons (validity, exclusion,
suitability, or the bidder's own scores with the committee's motivation and why
the maximum was not given), the threshold, the names of all parties to the
framework agreement, the characteristics and relative advantages of the chosen
bids (their scores), and the standstill period with its exact end date and how
to object. When the parties are more than the dossier lists in a letter
(``framework.parties_in_letter``), they are listed once, in an annex sent with
every letter and named in it by its SHA-256, so that a letter stays the same
length however large the tender. Letters are rendered deterministically, so the
same record renders the same bytes: the digests recorded when letters are sent
can be checked later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import PurePosixPath
from typing import Any, Literal

from tender.award.decisions import Decision
from tender.bids.suitability import BidAssessment
from tender.domain.deadlines import StandstillPeriod
from tender.domain.dossier import Dossier
from tender.domain.findings import Finding
from tender.domain.models import ScalePoint, SubCriterionRule
from tender.domain.progress import Progress, silent
from tender.present.pdfpool import Page, to_pdfs
from tender.present.render import Language, Rendered, render_html, score_text
from tender.present.wording import reason_text

SUBJECTS: Mapping[str, Mapping[Language, str]] = {
    "provisional": {"nl": "Voorlopige gunningsbeslissing", "en": "Provisional award decision"},
    "award": {"nl": "Voorlopige gunningsbeslissing", "en": "Provisional award decision"},
    "rejection": {"nl": "Voorlopige gunningsbeslissing", "en": "Provisional award decision"},
    "definitive": {"nl": "Definitieve gunning", "en": "Definitive award"},
}
_RULE_WORDS: Mapping[str, Mapping[Language, str]] = {
    "weighted-mean": {
        "nl": "een gewogen gemiddelde van ten minste {min}",
        "en": "a weighted mean of at least {min}",
    },
    "each-sub-criterion": {
        "nl": "op elk subgunningscriterium ten minste {min}",
        "en": "at least {min} on every sub-criterion",
    },
    "sub-criterion": {"nl": "op '{title}' ten minste {min}", "en": "at least {min} on '{title}'"},
}


@dataclass(frozen=True, kw_only=True)
class ScoreRow:
    """One sub-criterion in a letter: the final score, its motivation and its guidance."""

    title: str
    weight: Decimal
    value: Fraction
    method: str
    motivation: str | None
    point: ScalePoint | None
    below_max: bool


@dataclass(frozen=True, kw_only=True)
class Annex:
    """The list of parties sent with every letter: its file in the set, its digest, its length."""

    path: PurePosixPath
    digest: str
    parties: int


ANNEX_STEMS: Mapping[Language, PurePosixPath] = {
    "nl": PurePosixPath("bijlage/partijen"),
    "en": PurePosixPath("annex/parties"),
}
"""In a folder of its own: no bid's letter (``<bid id>.pdf``) can take its name."""


@dataclass(frozen=True, kw_only=True)
class Party:
    """An awarded bidder, as every letter names it: its name and its final scores."""

    bid: str
    name: str
    scores: tuple[Fraction, ...]
    weighted_mean: Fraction


def provisional_letters(
    dossier: Dossier,
    decisions: Sequence[Decision],
    assessments: Sequence[BidAssessment],
    period: StandstillPeriod,
    *,
    version: int = 1,
    workers: int | None = None,
    progress: Progress = silent,
) -> tuple[Rendered, ...]:
    """An award or rejection letter for every bid, as HTML and PDF, sent on ``period.sent``.

    Preceded by the annex of parties when they are too many to list in each letter.
    PDFs are made over ``workers`` processes (default: every core; 1: this one).
    """
    parties = awarded_parties(dossier, decisions)
    annex_files, annex = parties_annex(
        dossier,
        parties,
        kind="provisional",
        sent=period.sent,
        version=version,
        workers=workers,
        progress=progress,
    )
    pages = provisional_pages(
        dossier, decisions, assessments, period, version=version, parties=parties, annex=annex
    )
    return (*annex_files, *with_pdfs(pages, workers=workers, progress=progress))


def provisional_pages(
    dossier: Dossier,
    decisions: Sequence[Decision],
    assessments: Sequence[BidAssessment],
    period: StandstillPeriod,
    *,
    version: int = 1,
    parties: Sequence[Party] | None = None,
    annex: Annex | None = None,
) -> tuple[Page, ...]:
    """The HTML of every provisional award or rejection letter, named for its PDF ``<bid>.pdf``.

    With an ``annex`` the letters refer to it instead of listing the parties.
    """
    language = dossier.procedure.language
    if parties is None:
        parties = awarded_parties(dossier, decisions)
    by_bid = {assessment.bid: assessment for assessment in assessments}
    pages = []
    for decision in decisions:
        kind = "award" if decision.awarded else "rejection"
        context = {
            **_common(dossier, decision.bid, kind, sent=period.sent, version=version),
            "decision": decision,
            "rows": _rows(dossier, decision),
            "reasons": _reasons(dossier, decision, by_bid[decision.bid], language),
            "checks_text": _checks_text(dossier, decision, language),
            "awarded": () if annex else parties,
            "annex": annex,
            "period": period,
        }
        pages.append(_page(language, f"{kind}.html", context, decision.bid))
    return tuple(pages)


def definitive_letters(
    dossier: Dossier,
    decisions: Sequence[Decision],
    period: StandstillPeriod,
    *,
    sent: date,
    version: int,
    workers: int | None = None,
    progress: Progress = silent,
) -> tuple[Rendered, ...]:
    """The definitive award letter for every awarded bid, after the standstill period."""
    language = dossier.procedure.language
    parties = awarded_parties(dossier, decisions)
    annex_files, annex = parties_annex(
        dossier,
        parties,
        kind="definitive",
        sent=sent,
        version=version,
        workers=workers,
        progress=progress,
    )
    pages = [
        _page(
            language,
            "definitive.html",
            {
                **_common(dossier, decision.bid, "definitive", sent=sent, version=version),
                "awarded": () if annex else parties,
                "annex": annex,
                "period": period,
            },
            decision.bid,
        )
        for decision in decisions
        if decision.awarded
    ]
    return (*annex_files, *with_pdfs(pages, workers=workers, progress=progress))


def parties_annex(
    dossier: Dossier,
    parties: Sequence[Party],
    *,
    kind: Literal["provisional", "definitive"],
    sent: date,
    version: int,
    workers: int | None = None,
    progress: Progress = silent,
) -> tuple[tuple[Rendered, ...], Annex | None]:
    """The annex listing the parties, as HTML and PDF, when they are too many for each letter.

    Made before the letters, which name it by the digest of its PDF.
    """
    if len(parties) <= dossier.procedure.framework.parties_in_letter:
        return (), None
    language = dossier.procedure.language
    stem = ANNEX_STEMS[language]
    context = {
        "authority": dossier.procedure.authority,
        "procedure": dossier.procedure,
        "kind": kind,
        "subject": SUBJECTS[kind][language],
        "sent": sent,
        "version": version,
        "sub_criteria": dossier.award.sub_criteria,
        "threshold": rule_texts(dossier, language),
        "awarded": parties,
    }
    page = Page(f"{stem}.pdf", render_html(language, "parties.html", context))
    files = with_pdfs([page], workers=workers, progress=progress, label="Rendering the annex")
    pdf = files[1]
    annex = Annex(
        path=pdf.path, digest=hashlib.sha256(pdf.content).hexdigest(), parties=len(parties)
    )
    return files, annex


def with_pdfs(
    pages: Sequence[Page],
    *,
    workers: int | None = None,
    progress: Progress = silent,
    label: str = "Rendering letters",
) -> tuple[Rendered, ...]:
    """Each page as its HTML file followed by its PDF, made from that same HTML."""
    pdfs = to_pdfs(pages, workers=workers, progress=progress, label=label)
    stems = [PurePosixPath(page.name).with_suffix("") for page in pages]
    return tuple(
        rendered
        for stem, page, pdf in zip(stems, pages, pdfs, strict=True)
        for rendered in (
            Rendered(stem.with_suffix(".html"), page.html.encode()),
            Rendered(stem.with_suffix(".pdf"), pdf),
        )
    )


def holds_annex(files: Iterable[Rendered]) -> bool:
    """Whether a set of letters came with the annex of parties."""
    return any(item.path.with_suffix("") in ANNEX_STEMS.values() for item in files)


def digest_of(files: Iterable[Rendered]) -> tuple[str, dict[str, str]]:
    """One digest over a set of files, and each file's own SHA-256, for the record."""
    each = {str(item.path): hashlib.sha256(item.content).hexdigest() for item in files}
    overall = hashlib.sha256(json.dumps(each, sort_keys=True).encode()).hexdigest()
    return overall, each


def awarded_parties(dossier: Dossier, decisions: Sequence[Decision]) -> tuple[Party, ...]:
    """The parties to the framework agreement, in alphabetical order of name."""
    parties = [
        Party(
            bid=decision.bid,
            name=decision.bidder,
            scores=tuple(final.value for final in decision.finals),
            weighted_mean=decision.weighted_mean,
        )
        for decision in decisions
        if decision.awarded and decision.weighted_mean is not None
    ]
    return tuple(sorted(parties, key=lambda party: (party.name.casefold(), party.bid)))


def rule_texts(dossier: Dossier, language: Language) -> tuple[str, ...]:
    """The threshold rules in words, in the letter's language."""
    texts = []
    for rule in dossier.award.threshold:
        title = ""
        if isinstance(rule, SubCriterionRule):
            sub = dossier.award.sub_criterion(rule.sub_criterion)
            title = sub.title if sub else rule.sub_criterion
        words = _RULE_WORDS[rule.kind][language]
        texts.append(words.format(min=score_text(rule.min, language), title=title))
    return tuple(texts)


def _common(
    dossier: Dossier, bid_id: str, kind: str, *, sent: date, version: int
) -> dict[str, Any]:
    language = dossier.procedure.language
    submission = dossier.submission(bid_id)
    assert submission is not None
    scale = dossier.award.scale
    return {
        "authority": dossier.procedure.authority,
        "procedure": dossier.procedure,
        "signatory": dossier.procedure.signatory,
        "court": dossier.procedure.court,
        "bid_id": bid_id,
        "bidder": submission.metadata.bidder,
        "received": submission.metadata.received.astimezone(dossier.procedure.deadline_at.tzinfo),
        "kind": kind,
        "subject": SUBJECTS[kind][language],
        "sent": sent,
        "version": version,
        "scale_min": scale[0],
        "scale_max": scale[-1],
        "sub_criteria": dossier.award.sub_criteria,
        "threshold": rule_texts(dossier, language),
    }


def _rows(dossier: Dossier, decision: Decision) -> tuple[ScoreRow, ...]:
    scale = dossier.award.scale
    top = Fraction(scale[-1].value)
    rows = []
    for final in decision.finals:
        sub = dossier.award.sub_criterion(final.sub_criterion)
        assert sub is not None
        point = next((p for p in scale if Fraction(p.value) == final.value), None)
        rows.append(
            ScoreRow(
                title=sub.title,
                weight=sub.weight,
                value=final.value,
                method=final.method,
                motivation=final.motivation,
                point=point,
                below_max=final.value < top,
            )
        )
    return tuple(rows)


def _reasons(
    dossier: Dossier, decision: Decision, assessment: BidAssessment, language: Language
) -> tuple[str, ...]:
    titles = {doc.id: doc.title for doc in dossier.procedure.documents}
    titles |= {sub.id: sub.title for sub in dossier.award.sub_criteria}
    if decision.outcome in ("invalid", "below-threshold", "provisional-award"):
        return tuple(reason_text(reason, language, titles=titles) for reason in decision.reasons)
    return tuple(_requirement_reasons(decision, assessment, language, titles))


def _requirement_reasons(
    decision: Decision, assessment: BidAssessment, language: Language, titles: Mapping[str, str]
) -> Iterator[str]:
    exclusion = decision.outcome == "excluded"
    for result in assessment.requirements:
        if result.status != "fail" or exclusion != (result.category == "exclusion"):
            continue
        failed: tuple[Finding, ...] = result.reasons
        for reason in failed:
            yield f"{result.title}: {reason_text(reason, language, titles=titles)}"


def _checks_text(dossier: Dossier, decision: Decision, language: Language) -> str:
    parts = []
    for check in decision.checks:
        value = score_text(check.value, language)
        if check.sub_criterion is None:
            label = "gewogen gemiddelde" if language == "nl" else "weighted mean"
        else:
            sub = dossier.award.sub_criterion(check.sub_criterion)
            label = sub.title if sub else check.sub_criterion
        parts.append(f"{label} {value}")
    return "; ".join(parts)


def _page(language: Language, template: str, context: Mapping[str, Any], bid: str) -> Page:
    return Page(f"{bid}.pdf", render_html(language, template, context))
