"""The example dossier's record of decisions: complete, sound, locked, and with its planted patterns.

The record in ``scores/`` is read as the tool reads it (verified hash chain, replayed events),
and each pattern is found from the recorded data by the measure an audit would use, then
compared with the generator's table of what it planted.
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tender.domain.dossier import Dossier
from tender.domain.events import (
    AnyEvent,
    ConsensusRecorded,
    PhaseChanged,
    ScoresRevealed,
    SealedScore,
    VerdictRecorded,
)
from tender.io.loader import load_dossier
from tender.record.book import Score, ScoreBook, parse_event
from tender.record.ledger import HEAD_NAME, LEDGER_NAME, Entry, Ledger

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import example_scores as planted  # noqa: E402  (scripts/ is not a package)
import generate_example as example  # noqa: E402

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ON_TIME_CASES = {example.Case.AT_DEADLINE, example.Case.WRITTEN_IN_UTC}
Key = tuple[str, str, str]
Item = tuple[str, str]


@pytest.fixture(scope="module")
def dossier() -> Dossier:
    return load_dossier(ROOT)


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> tuple[Entry, ...]:
    """The committed record, verified from its first line to the head (in a copy: no lock file)."""
    copy = tmp_path_factory.mktemp("scores")
    for name in (LEDGER_NAME, HEAD_NAME):
        assert (ROOT / "scores" / name).is_file(), f"scores/{name} is not generated"
        shutil.copy2(ROOT / "scores" / name, copy / name)
    return Ledger(copy).verify()


@pytest.fixture(scope="module")
def events(entries: tuple[Entry, ...]) -> list[tuple[Entry, AnyEvent]]:
    return [(entry, parse_event(entry)) for entry in entries]


@pytest.fixture(scope="module")
def book(entries: tuple[Entry, ...]) -> ScoreBook:
    return ScoreBook.replay(entries)


@pytest.fixture(scope="module")
def individual(book: ScoreBook) -> list[Score]:
    """Every individual score recorded, changed ones too, in the order recorded (as revealed)."""
    return [book.opened[seq] for seq in sorted(book.opened)]


@pytest.fixture(scope="module")
def scored(dossier: Dossier) -> list[str]:
    """The bids that are scored: all but the late, incomplete, excluded and unsuitable ones."""
    left_out = {bid for bid, case in example.PLANTED.items() if case not in ON_TIME_CASES}
    return [bid.id for bid in dossier.submissions if bid.id not in left_out]


@pytest.fixture(scope="module")
def by_item(book: ScoreBook) -> dict[Item, dict[str, int]]:
    """Item -> evaluator -> current individual score."""
    found: dict[Item, dict[str, int]] = defaultdict(dict)
    for (evaluator, bid, sub), score in book.individual.items():
        found[(bid, sub)][evaluator] = int(score.score)
    return found


def _weighted_mean(dossier: Dossier, scores: Mapping[str, Decimal | int]) -> Fraction:
    weights = {sub.id: Fraction(sub.weight) for sub in dossier.award.sub_criteria}
    total = sum((weights[sub] * Fraction(scores[sub]) for sub in weights), Fraction(0))
    return total / sum(weights.values())


# --- the record as a whole -------------------------------------------------------------------


def test_the_record_verifies_and_is_locked(
    dossier: Dossier, entries: tuple[Entry, ...], book: ScoreBook
) -> None:
    head = (ROOT / "scores" / HEAD_NAME).read_text(encoding="utf-8")
    assert f'"seq": {entries[-1].seq}' in head
    assert entries[-1].hash in head
    assert book.phase == "locked"
    assert {entry.account for entry in entries} == {planted.ACCOUNT}
    phases = [
        (entry.by, event.phase)
        for entry in entries
        if isinstance(event := parse_event(entry), PhaseChanged)
    ]
    chair = dossier.committee.chair
    assert phases == [(chair, "consensus"), (chair, "locked")]
    assert 4000 <= len(entries) <= 5000


def test_moments_increase_within_working_hours(events: list[tuple[Entry, AnyEvent]]) -> None:
    moments = [entry.at for entry, _ in events]
    assert all(a < b for a, b in pairwise(moments))
    for moment in moments:
        local = moment.astimezone(AMSTERDAM)
        assert date(2017, 11, 10) <= local.date() <= date(2017, 11, 30), local
        assert local.weekday() < 5, local
        assert 8 <= local.hour < 18, local


def test_the_steps_come_in_the_order_of_the_procedure(
    events: list[tuple[Entry, AnyEvent]],
) -> None:
    kinds = [event.kind for _, event in events]
    collapsed = [kind for index, kind in enumerate(kinds) if index == 0 or kinds[index - 1] != kind]
    assert collapsed == [
        *("opening", "verdict", "sealed-score", "reveal", "phase", "consensus", "phase"),
    ]


def test_every_entry_is_signed_and_every_score_sealed_until_the_chair_reveals_it(
    dossier: Dossier, events: list[tuple[Entry, AnyEvent]], book: ScoreBook
) -> None:
    assert all(entry.signature for entry, _ in events)
    chair = dossier.committee.chair
    sealed = [(entry, event) for entry, event in events if isinstance(event, SealedScore)]
    for entry, event in sealed:
        assert set(event.boxes) == {entry.by, chair}, entry.seq
    reveals = [(entry, event) for entry, event in events if isinstance(event, ScoresRevealed)]
    assert {entry.by for entry, _ in reveals} == {chair}
    revealed = sorted(int(seq) for _, event in reveals for seq in event.openings)
    assert revealed == [entry.seq for entry, _ in sealed]
    assert book.sealed == {}
    assert sorted(book.opened) == revealed


# --- suitability -----------------------------------------------------------------------------


def test_every_bid_passes_referenties_by_a_contract_manager(
    dossier: Dossier, book: ScoreBook
) -> None:
    managers = {p.id for p in dossier.committee.evaluators if p.role == "contract-management"}
    assert set(book.verdicts) == {(bid.id, "referenties") for bid in dossier.submissions}
    for bid in dossier.submissions:
        verdict = book.verdicts[(bid.id, "referenties")]
        assert verdict.passed
        assert verdict.by in managers
        assert not dossier.committee.is_conflicted(verdict.by, bid.id)
        for reference in bid.metadata.references[:2]:
            assert reference.client in verdict.reason, bid.id
            assert str(reference.year) in verdict.reason, bid.id
    assert Counter(v.by for v in book.verdicts.values()).keys() == managers


# --- completeness ----------------------------------------------------------------------------


def test_every_scored_item_has_its_individual_scores_and_one_consensus(
    dossier: Dossier, book: ScoreBook, by_item: dict[Item, dict[str, int]], scored: list[str]
) -> None:
    committee = dossier.committee
    subs = [sub.id for sub in dossier.award.sub_criteria]
    expected_items = {(bid, sub) for bid in scored for sub in subs}
    assert set(by_item) == expected_items
    assert set(book.consensus) == expected_items
    for bid, sub in expected_items:
        allowed = {p.id for p in committee.evaluators if not committee.is_conflicted(p.id, bid)}
        assert set(by_item[(bid, sub)]) == allowed, (bid, sub)
        assert len(allowed) in (5, 6)
        assert book.consensus[(bid, sub)].by == committee.chair
    assert len(book.individual) == 6 * len(expected_items) - 5 * len(committee.conflicts)


def test_consensus_scores_are_the_planned_scores(book: ScoreBook, scored: list[str]) -> None:
    planned = example.planned_scores()
    recorded = {item: int(score.score) for item, score in book.consensus.items()}
    assert recorded == {(bid, sub): planned[bid][sub] for bid in scored for sub in planned[bid]}


def test_exactly_29_bids_reach_the_threshold_on_the_recorded_consensus(
    dossier: Dossier, book: ScoreBook, scored: list[str]
) -> None:
    finals: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for (bid, sub), score in book.consensus.items():
        finals[bid][sub] = score.score
    means = {bid: _weighted_mean(dossier, finals[bid]) for bid in scored}
    reached = sorted(bid for bid, mean in means.items() if mean >= 8)
    assert len(reached) == 29
    assert sum(mean == 8 for mean in means.values()) == 7  # exactly on the threshold
    assert means["bid-048"] == Fraction(79, 10)  # just below: 7.9 is not 8


# --- the planted patterns --------------------------------------------------------------------


def _deviations(by_item: dict[Item, dict[str, int]]) -> dict[str, float]:
    """Each evaluator's mean difference from the mean of the others on the same item."""
    found: dict[str, list[float]] = defaultdict(list)
    for scores in by_item.values():
        for evaluator, score in scores.items():
            others = [value for who, value in scores.items() if who != evaluator]
            found[evaluator].append(score - statistics.fmean(others))
    return {evaluator: statistics.fmean(values) for evaluator, values in found.items()}


def test_one_evaluator_is_lenient_and_one_severe(by_item: dict[Item, dict[str, int]]) -> None:
    deviation = _deviations(by_item)
    assert deviation["svermeulen"] > 0.6
    assert deviation["mhoekstra"] < -0.6
    for evaluator in ("ibosman", "rdemir", "jvanrijn", "tkramer"):
        assert abs(deviation[evaluator]) < 0.3, (evaluator, deviation[evaluator])


def test_one_evaluator_gives_the_same_score_throughout_for_many_bids(book: ScoreBook) -> None:
    per_bid: dict[tuple[str, str], set[Decimal]] = defaultdict(set)
    for (evaluator, bid, _), score in book.individual.items():
        per_bid[(evaluator, bid)].add(score.score)
    share: dict[str, Fraction] = {}
    for evaluator in {evaluator for evaluator, _ in per_bid}:
        own = [scores for (who, _), scores in per_bid.items() if who == evaluator]
        share[evaluator] = Fraction(sum(len(scores) == 1 for scores in own), len(own))
    assert share.pop("tkramer") >= Fraction(3, 10)
    assert max(share.values()) < Fraction(1, 10)


def test_a_handful_of_items_have_wide_disagreements(by_item: dict[Item, dict[str, int]]) -> None:
    wide = {
        item for item, scores in by_item.items() if max(scores.values()) - min(scores.values()) >= 6
    }
    assert 5 <= len(wide) <= 8
    assert wide == set(planted.WIDE_DISAGREEMENTS)


def test_two_consensus_scores_lie_outside_the_individual_range(
    book: ScoreBook, by_item: dict[Item, dict[str, int]]
) -> None:
    outside = {
        item
        for item, consensus in book.consensus.items()
        if not min(by_item[item].values()) <= consensus.score <= max(by_item[item].values())
    }
    assert outside == set(planted.OUTSIDE_RANGE)
    assert len(outside) == 2


COMPARATIVE = re.compile(
    r"\b(beter|slechter|sterker|zwakker) dan\b|\bandere (inschrijvers?|aanbieders?|bieders?)\b"
    r"|\bin vergelijking met\b|\bbid-\d{3}\b|\bKP-\d{4}\b",
    re.IGNORECASE,
)
NEGATIVE = ("zwak", "vaag", "oppervlakkig", "onvoldoende", "slecht", "ontbre", "mager", "summier")
POSITIVE = ("uitstekend", "goed", "overtuigend", "sterk", "concreet")
QUOTED = re.compile(r"“([^”]*)”")


def _own_words(motivation: str) -> str:
    """The motivation without the passages it quotes from the plan, in lower case."""
    return QUOTED.sub(" ", motivation).lower()


def _hits(words: Iterable[str], motivation: str) -> int:
    text = _own_words(motivation)
    return sum(text.count(word) for word in words)


def test_one_motivation_compares_the_bid_with_others(book: ScoreBook) -> None:
    found = {key for key, score in book.individual.items() if COMPARATIVE.search(score.motivation)}
    found |= {
        ("chair", *item)
        for item, score in book.consensus.items()
        if COMPARATIVE.search(score.motivation)
    }
    assert found == {planted.COMPARATIVE}


def test_one_motivation_contradicts_its_score(book: ScoreBook) -> None:
    contradicting = {
        key
        for key, score in book.individual.items()
        if score.score >= 8
        and _hits(NEGATIVE, score.motivation) >= 3
        and not _hits(POSITIVE, score.motivation)
    }
    assert contradicting == {planted.CONTRADICTING}
    others = [s for key, s in book.individual.items() if key != planted.CONTRADICTING]
    for score in [*others, *book.consensus.values()]:
        strong = ("zwak", "vaag", "oppervlakkig", "slecht", "onvoldoende")
        if score.score >= 8:
            assert not _hits(strong, score.motivation), score
        if score.score <= 4:
            assert not _hits(("uitstekend", "overtuigend", "sterk"), score.motivation), score


def test_a_few_scores_are_changed_once_with_a_reason(
    events: list[tuple[Entry, AnyEvent]], individual: list[Score]
) -> None:
    history: dict[Key, list[Score]] = defaultdict(list)
    for score in individual:
        history[(score.by, score.bid, score.sub_criterion)].append(score)
    changed = {key: records for key, records in history.items() if len(records) > 1}
    expected = {(c.evaluator, c.bid, c.sub_criterion): c for c in planted.CHANGES}
    assert changed.keys() == expected.keys()
    assert 3 <= len({evaluator for evaluator, _, _ in changed}) <= len(changed)
    opens = next(entry.at for entry, event in events if isinstance(event, PhaseChanged))
    for key, (before, after) in changed.items():
        assert (int(before.score), int(after.score)) == (expected[key].first, expected[key].final)
        assert before.reason is None
        assert after.reason and after.reason == expected[key].reason
        assert after.at < opens
    firsts = [score for records in history.values() for score in records[:1]]
    assert all(score.reason is None for score in firsts)


# --- the words -------------------------------------------------------------------------------

DUTCH = {"het", "de", "een", "van", "en", "niet", "plan", "dat", "is", "bij", "op", "in"}
ENGLISH = {"the", "and", "with", "which", "this", "that", "should", "score is"}


@pytest.fixture(scope="module")
def sections(dossier: Dossier, scored: list[str]) -> dict[Item, str]:
    """The text of every scored item's plan section within its page limit, as generated."""
    limits = {sub.id: sub.max_pages for sub in dossier.award.sub_criteria}
    identities = example.draw_identities()
    found = {}
    for bid_id in scored:
        bid = example.make_bid(bid_id, identities[bid_id])
        for sub, (_, blocks) in zip(example.SUB_CRITERIA, example.plan_sections(bid), strict=True):
            page, kept = 1, []
            for block in blocks:
                page += block.kind == "page-break"
                limit = limits[sub.id]
                if block.kind == "paragraph" and (limit is None or page <= limit):
                    kept.append(block.text)
            found[(bid_id, sub.id)] = " ".join(kept)
    return found


def _all_texts(
    events: list[tuple[Entry, AnyEvent]], individual: list[Score]
) -> list[tuple[str, Score | AnyEvent]]:
    texts: list[tuple[str, Score | AnyEvent]] = []
    for score in individual:
        texts.append((score.motivation, score))
        if score.reason:
            texts.append((score.reason, score))
    for _, event in events:
        if isinstance(event, ConsensusRecorded):
            texts.append((event.motivation, event))
            if event.reason:
                texts.append((event.reason, event))
        elif isinstance(event, VerdictRecorded):
            texts.append((event.reason, event))
    return texts


def test_every_motivation_and_reason_is_dutch_text(
    events: list[tuple[Entry, AnyEvent]], individual: list[Score]
) -> None:
    texts = _all_texts(events, individual)
    assert len(texts) > 4000
    for text, event in texts:
        words = set(re.findall(r"[a-zà-ÿ]+", _own_words(text)))
        assert len(text.split()) >= 5, event
        assert len(words & DUTCH) >= 2, (text, event)
        assert not words & ENGLISH, (text, event)


def test_motivations_quote_the_plan_within_its_page_limit(
    events: list[tuple[Entry, AnyEvent]], individual: list[Score], sections: dict[Item, str]
) -> None:
    recorded: list[Score | ConsensusRecorded] = [*individual]
    recorded += [event for _, event in events if isinstance(event, ConsensusRecorded)]
    quoted = 0
    for event in recorded:
        section = sections[(event.bid, event.sub_criterion)]
        for passage in QUOTED.findall(event.motivation):
            assert passage.removesuffix(" …") in section, (event.bid, event.sub_criterion, passage)
            quoted += 1
        if isinstance(event, ConsensusRecorded):
            assert QUOTED.search(event.motivation), event
    assert quoted > 5000


def test_consensus_motivations_say_why_the_maximum_was_or_was_not_given(
    dossier: Dossier, book: ScoreBook
) -> None:
    labels = {point.value: point.label.lower() for point in dossier.award.scale}
    for item, consensus in book.consensus.items():
        motivation = consensus.motivation
        assert motivation.startswith(f"Score {consensus.score} ({labels[consensus.score]})."), item
        if consensus.score == 10:
            assert "Daarmee is het maximum gegeven." in motivation, item
        else:
            assert "Het maximum is niet gegeven:" in motivation, item
    over_limit = {
        item
        for item, consensus in book.consensus.items()
        if "niet beoordeeld" in consensus.motivation
    }
    assert over_limit == set(example.OVER_LIMIT.items())
