"""The audit stage on small records built through the Recorder: each finding, raised and silent.

The clean record: four evaluators score six bids on three sub-criteria (weights
40/30/30, scale 0-2-...-10, threshold weighted mean >= 8). Three bids are clearly
good and three clearly weak; every evaluator follows the planned score except for
one balanced step here and there, motivations are neutral, unique and long enough,
and each consensus score is the planned one. Nothing in it is a finding. Every
other test changes one thing and checks the exact findings of that one rule.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from unittest import mock

import pytest

from tender.analysis.audit import audit
from tender.analysis.report import AuditFinding, AuditReport, Concern
from tender.analysis.tone import cues
from tender.award.decisions import Decision, decide
from tender.bids.documents import BidDocuments
from tender.bids.suitability import BidAssessment
from tender.bids.validity import Validity
from tender.domain.dossier import SCORES_FOLDER, Dossier
from tender.domain.errors import DossierError, RefusedError
from tender.io.loader import load_dossier
from tender.io.scaffold import create_dossier
from tender.present.audit_json import report_data
from tender.record.ledger import Ledger
from tender.record.recorder import Recorder
from tests.conftest import MINIMAL_PDF, VALID_BID, DossierFactory, write_tree
from tests.helpers import plain_replay
from tests.keys import acting_recorder, keyed, member_key, sealed_event, signers
from tests.scoring_fixtures import open_bids

EVALUATORS = ("anna", "bram", "cees", "dirk")
CHAIR = "anna"
SUBS = ("client", "team", "nieuw")
BIDS = tuple(f"bid-00{number}" for number in range(1, 7))
PLANNED: dict[str, tuple[int, int, int]] = {
    "bid-001": (10, 10, 8),
    "bid-002": (8, 10, 10),
    "bid-003": (2, 4, 2),
    "bid-004": (4, 2, 2),
    "bid-005": (10, 8, 10),
    "bid-006": (2, 2, 4),
}
DEVIATIONS = {
    ("anna", "bid-003", "client"): 4,
    ("bram", "bid-001", "nieuw"): 6,
    ("cees", "bid-004", "client"): 6,
    ("dirk", "bid-006", "client"): 4,
}
Key = tuple[str, str, str]
Item = tuple[str, str]

COMMITTEE = """\
chair: anna
evaluators:
  - {{id: anna, name: Anna Aalbers, role: policy}}
  - {{id: bram, name: Bram Bakker, role: execution}}
  - {{id: cees, name: Cees Claassen, role: contract-management}}
  - {{id: dirk, name: Dirk Dekker, role: execution}}
conflicts: {conflicts}
"""
AWARD = """\
quality_plan:
  document: kwaliteitsplan
scale:
  - {{value: 0, label: Ontbreekt, guidance: Niet beantwoord.}}
  - {{value: 2, label: Slecht, guidance: Nauwelijks beantwoord.}}
  - {{value: 4, label: Onvoldoende, guidance: Onvolledig beantwoord.}}
  - {{value: 6, label: Voldoende, guidance: Algemeen beantwoord.}}
  - {{value: 8, label: Goed, guidance: Concreet en overtuigend.}}
  - {{value: 10, label: Uitstekend, guidance: "Als 8, met resultaten."}}
sub_criteria:
  - {{id: client, title: De cliënt centraal, description: De cliënt., weight: 40}}
  - {{id: team, title: Samenwerking, description: Samenwerking., weight: 30}}
  - {{id: nieuw, title: Innovatie, description: Vernieuwing., weight: 30}}
final_score: {method}
threshold:
  - {{kind: weighted-mean, min: 8}}
{extra}"""


def motivation(person: str, bid: str, sub: str) -> str:
    return f"{person} over {bid}/{sub}: het plan beschrijft de aanpak met voorbeelden uit de wijk."


def clean_scores() -> dict[Key, int]:
    scores = {
        (person, bid, sub): PLANNED[bid][index]
        for person in EVALUATORS
        for bid in BIDS
        for index, sub in enumerate(SUBS)
    }
    scores.update(DEVIATIONS)
    return scores


def planned_consensus() -> dict[Item, int]:
    return {(bid, sub): PLANNED[bid][index] for bid in BIDS for index, sub in enumerate(SUBS)}


@dataclass(frozen=True, kw_only=True)
class Raw:
    """An individual score the Recorder would refuse, as a forger with its author's key writes it."""

    by: str
    bid: str
    sub_criterion: str
    score: str
    motivation: str
    reason: str | None = None


@dataclass
class Record:
    """What the committee records, changed by each test before it is built."""

    scores: dict[Key, int] = field(default_factory=clean_scores)
    motivations: dict[Key, str] = field(default_factory=dict)
    consensus: dict[Item, int] = field(default_factory=planned_consensus)
    consensus_motivations: dict[Item, str] = field(default_factory=dict)
    method: str = "consensus"
    phase: str = "locked"
    extra: str = ""
    raw: list[Raw] = field(default_factory=list)
    """Scores written straight to the ledger (past the Recorder's rules) after the rest, sealed
    for the chair and revealed by a last entry of the chair's."""


def dossier_files(record: Record, conflicts: str = "[]") -> dict[str, str | bytes | None]:
    files: dict[str, str | bytes | None] = {
        "criteria/committee.yaml": keyed(COMMITTEE.format(conflicts=conflicts)),
        "criteria/award.yaml": AWARD.format(method=record.method, extra=record.extra),
        "criteria/suitability.yaml": "requirements: []\n",
    }
    for number, bid in enumerate(BIDS, 1):
        files[f"submissions/{bid}/bid.yaml"] = VALID_BID.replace(
            "Thuiszorg Zonnebloem B.V.", f"Zorgaanbieder {number} B.V."
        )
        files[f"submissions/{bid}/kwaliteitsplan.pdf"] = MINIMAL_PDF
        files[f"submissions/{bid}/uea.pdf"] = MINIMAL_PDF
    return files


def build(make_dossier: DossierFactory, record: Record) -> Path:
    """The dossier with ``record`` written through the Recorder (and the raw entries)."""
    root = make_dossier(dossier_files(record))
    open_bids(root)
    recorder = acting_recorder(load_dossier(root))
    for person in EVALUATORS:
        for (who, bid, sub), value in record.scores.items():
            if who == person:
                text = record.motivations.get((who, bid, sub), motivation(who, bid, sub))
                recorder.record_score(who, bid, sub, score=Decimal(value), motivation=text)
    if record.phase != "individual":
        _consensus_and_lock(recorder, record)
    if record.raw:  # entries the rules refuse: only an unruled replay reads them (run(rules=False))
        authors = {raw.by for raw in record.raw}
        ledger = Ledger(root / SCORES_FOLDER, signers=signers(CHAIR, *authors))
        with ledger.transaction() as append:
            openings: dict[str, str] = {}
            for raw in record.raw:
                event = sealed_event(
                    raw.by,
                    raw.bid,
                    raw.sub_criterion,
                    raw.score,
                    raw.motivation,
                    readers=(CHAIR,),
                    reason=raw.reason,
                )
                opened = member_key(CHAIR).open(event["boxes"][CHAIR])
                assert opened is not None
                openings[str(append(raw.by, event).seq)] = opened.decode()
            append(CHAIR, {"kind": "reveal", "openings": openings})
    return root


def _consensus_and_lock(recorder: Recorder, record: Record) -> None:
    recorder.change_phase(CHAIR, "consensus", force_reason="test: go on")
    if record.method == "consensus":
        for (bid, sub), value in record.consensus.items():
            text = record.consensus_motivations.get(
                (bid, sub), f"Consensus over {bid}/{sub}: de commissie volgt de aanpak in het plan."
            )
            recorder.record_consensus(CHAIR, bid, sub, score=Decimal(value), motivation=text)
    if record.phase == "locked":
        recorder.change_phase(CHAIR, "locked", force_reason="test: lock")


def assessments(dossier: Dossier) -> tuple[BidAssessment, ...]:
    """Every bid valid and suitable (the audit does not read PDFs)."""
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


def run(root: Path, *, committee: str | None = None, rules: bool = True) -> AuditReport:
    """The audit of the dossier at ``root``; decisions when they can be taken.

    ``rules=False`` replays the record without the procedure's rules, to show that the audit's
    own checks hold on entries the replay would refuse (defence in depth).
    """
    if committee is not None:
        (root / "criteria" / "committee.yaml").write_text(committee, encoding="utf-8")
    dossier = load_dossier(root)
    book = acting_recorder(dossier).book if rules else plain_replay(root)
    assessed = assessments(dossier)
    decisions: tuple[Decision, ...] | None = None
    if book.phase != "individual":
        try:
            decisions = decide(dossier, assessed, book)
        except RefusedError:
            decisions = None
    return audit(dossier, assessed, book, decisions)


def found(report: AuditReport, rule: str) -> list[AuditFinding]:
    return [finding for finding in report.findings if finding.rule == rule]


def items(report: AuditReport, rule: str) -> list[tuple[Concern, ...]]:
    return [finding.items for finding in found(report, rule)]


RULES = (
    "completeness.missing-individual",
    "completeness.missing-consensus",
    "completeness.conflicted",
    "scale.off-scale",
    "motivation.missing",
    "motivation.short",
    "motivation.copied",
    "spread.wide",
    "spread.consensus-outside",
    "bias.lenient",
    "bias.severe",
    "bias.straight-lining",
    "agreement.unreliable",
    "agreement.tentative",
    "tone.contradicts",
    "tone.comparative",
    "fragility.fragile",
)


@pytest.fixture(autouse=True, scope="module")
def _no_fsync() -> Iterator[None]:
    """Set-up speed only: the ledger's fsync makes no difference to what the audit finds."""
    with mock.patch("os.fsync"):
        yield


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> AuditReport:
    base = tmp_path_factory.mktemp("clean")

    def factory(files: Mapping[str, str | bytes | None] | None = None) -> Path:
        root = base / "dossier"
        create_dossier(root)
        write_tree(root, files or {})
        return root

    return run(build(factory, Record()))


# --- the clean record ------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_is_silent_on_the_clean_record(clean: AuditReport, rule: str) -> None:
    assert found(clean, rule) == []


def test_the_clean_record_has_no_finding_and_full_statistics(clean: AuditReport) -> None:
    assert clean.findings == ()
    assert not clean.limited
    assert clean.decisions_available
    assert clean.completeness.individual_required == 72
    assert clean.completeness.individual_recorded == 72
    assert clean.completeness.consensus_recorded == 18
    assert [stats.evaluator for stats in clean.evaluators] == list(EVALUATORS)
    anna = clean.evaluators[0]
    assert anna.scored == 18
    assert dict(anna.distribution) == {0: 0, 2: 5, 4: 4, 6: 0, 8: 3, 10: 6}
    assert anna.complete_bids == 6
    assert anna.straight_bids == 0
    assert [row.scope for row in clean.agreement] == [*SUBS, "overall"]
    overall = clean.agreement[-1]
    assert overall.items == 18
    assert overall.band == "reliable"
    assert clean.fragile == ()
    order = ["bid-002", "bid-001", "bid-005", "bid-004", "bid-003", "bid-006"]
    assert [row.bid for row in clean.fragility] == order  # nearest the threshold first
    assert [row.variants for row in clean.fragility] == [4, 4, 4, 6, 6, 6]  # none above 10


# --- completeness ----------------------------------------------------------------------------


def test_a_missing_individual_score_is_blocking(make_dossier: DossierFactory) -> None:
    record = Record()
    del record.scores[("dirk", "bid-002", "client")]
    report = run(build(make_dossier, record))
    (finding,) = found(report, "completeness.missing-individual")
    assert finding.severity == "blocking"
    assert finding.items == (Concern(bid="bid-002", sub_criterion="client", evaluator="dirk"),)
    assert finding.message == "dirk has 1 required individual score still open"
    assert report.blocking == 1
    assert report.completeness.individual_recorded == 71


def test_a_missing_consensus_score_is_blocking(make_dossier: DossierFactory) -> None:
    record = Record()
    del record.consensus[("bid-003", "team")]
    report = run(build(make_dossier, record))
    assert items(report, "completeness.missing-consensus") == [
        (Concern(bid="bid-003", sub_criterion="team", consensus=True),)
    ]
    assert found(report, "completeness.missing-consensus")[0].severity == "blocking"
    assert not report.decisions_available  # decide() refuses while a consensus score is open


def test_scores_by_an_evaluator_with_a_conflict_are_blocking(
    make_dossier: DossierFactory,
) -> None:
    root = build(make_dossier, Record())
    conflict = (
        "\n  - evaluator: bram\n    bid: bid-004\n    reason: Oud-collega van de directeur.\n"
        "    declared: 2026-11-12"
    )
    report = run(root, committee=keyed(COMMITTEE.format(conflicts=conflict)), rules=False)
    (finding,) = found(report, "completeness.conflicted")
    assert finding.severity == "blocking"
    assert finding.items == tuple(
        Concern(bid="bid-004", sub_criterion=sub, evaluator="bram") for sub in sorted(SUBS)
    )
    assert finding.message == (
        "bram scored bid-004 (3 sub-criteria) despite a declared conflict of interest: "
        "Oud-collega van de directeur."
    )


def test_the_individual_phase_shows_completeness_counts_only(
    make_dossier: DossierFactory,
) -> None:
    record = Record(phase="individual")
    for sub in SUBS:
        del record.scores[("cees", "bid-005", sub)]
    record.motivations[("anna", "bid-001", "client")] = "Te kort."
    report = run(build(make_dossier, record))
    assert report.limited
    assert report.evaluators == ()
    assert report.agreement == ()
    assert report.spread == ()
    assert report.fragility == ()
    assert [(f.rule, f.items, dict(f.figures)) for f in report.findings] == [
        ("completeness.missing-individual", (), {"evaluator": "cees", "missing": 3})
    ]
    data = report_data(report)
    assert "Te kort." not in str(data)


def test_the_individual_phase_counts_the_sealed_scores_no_one_has_read(
    make_dossier: DossierFactory,
) -> None:
    record = Record(phase="individual")
    for sub in SUBS:
        del record.scores[("cees", "bid-005", sub)]
    root = build(make_dossier, record)
    dossier = load_dossier(root)
    sealed = Recorder(dossier).book  # no member's key: as 'tender audit' reads the record
    assert sealed.individual == {}
    assert len(sealed.scored) == 69

    unread = audit(dossier, assessments(dossier), sealed)

    assert unread.limited
    assert unread.completeness.individual_required == 72
    assert unread.completeness.individual_recorded == 69
    assert unread.completeness == run(root).completeness  # as with every key
    assert [(f.rule, dict(f.figures)) for f in unread.findings] == [
        ("completeness.missing-individual", {"evaluator": "cees", "missing": 3})
    ]


# --- scale and motivation --------------------------------------------------------------------


def test_a_score_off_the_scale_is_blocking(make_dossier: DossierFactory) -> None:
    record = Record()
    record.raw.append(
        Raw(
            by="bram",
            bid="bid-001",
            sub_criterion="team",
            score="7",
            motivation=motivation("bram", "bid-001", "team") + " Herzien.",
            reason="test",
        )
    )
    report = run(build(make_dossier, record), rules=False)
    (finding,) = found(report, "scale.off-scale")
    assert finding.severity == "blocking"
    assert finding.items == (Concern(bid="bid-001", sub_criterion="team", evaluator="bram"),)
    assert finding.message == (
        "bid-001 / team: 7 by bram is not a point on the scale (0, 2, 4, 6, 8, 10)"
    )


def test_a_blank_motivation_is_blocking(make_dossier: DossierFactory) -> None:
    record = Record()
    record.raw.append(
        Raw(
            by="cees",
            bid="bid-002",
            sub_criterion="nieuw",
            score="10",
            motivation="   ",
            reason="x",
        )
    )
    report = run(build(make_dossier, record), rules=False)
    (finding,) = found(report, "motivation.missing")
    assert finding.severity == "blocking"
    assert finding.items == (Concern(bid="bid-002", sub_criterion="nieuw", evaluator="cees"),)


def test_a_trivially_short_motivation_is_a_warning(make_dossier: DossierFactory) -> None:
    record = Record()
    record.motivations[("dirk", "bid-005", "team")] = "Goed plan."
    record.consensus_motivations[("bid-006", "nieuw")] = "Zie de motivering van de leden."
    report = run(build(make_dossier, record))
    assert items(report, "motivation.short") == [
        (Concern(bid="bid-005", sub_criterion="team", evaluator="dirk"),),
        (Concern(bid="bid-006", sub_criterion="nieuw", consensus=True),),
    ]
    assert {f.severity for f in found(report, "motivation.short")} == {"warning"}
    assert found(report, "motivation.short")[0].figures == {"characters": 10, "minimum": 40}


def test_the_minimum_length_is_a_dossier_setting(make_dossier: DossierFactory) -> None:
    record = Record(extra="audit:\n  min_motivation_chars: 200\n")
    report = run(build(make_dossier, record))
    assert len(found(report, "motivation.short")) == 72 + 18


def test_one_motivation_on_several_bids_is_information(make_dossier: DossierFactory) -> None:
    record = Record()
    copied = "Het plan is concreet en laat met voorbeelden zien hoe de cliënt centraal staat."
    record.motivations[("anna", "bid-001", "client")] = copied
    record.motivations[("anna", "bid-005", "client")] = copied
    record.motivations[("bram", "bid-005", "client")] = "  " + copied.upper()
    record.motivations[("cees", "bid-001", "client")] = copied  # same bid: not across bids
    report = run(build(make_dossier, record))
    (finding,) = found(report, "motivation.copied")
    assert finding.severity == "info"
    assert set(finding.items) == {
        Concern(bid="bid-001", sub_criterion="client", evaluator="anna"),
        Concern(bid="bid-005", sub_criterion="client", evaluator="anna"),
        Concern(bid="bid-005", sub_criterion="client", evaluator="bram"),
        Concern(bid="bid-001", sub_criterion="client", evaluator="cees"),
    }
    assert finding.figures == {"bids": 2, "scores": 4}


# --- spread ----------------------------------------------------------------------------------


def test_scores_more_than_one_step_apart_are_a_warning(make_dossier: DossierFactory) -> None:
    record = Record()
    record.scores[("dirk", "bid-001", "client")] = 4  # the others 10: three steps
    record.scores[("bram", "bid-003", "team")] = 8  # the others 4: two steps
    report = run(build(make_dossier, record))
    assert [(f.items, f.figures["steps"]) for f in found(report, "spread.wide")] == [
        ((Concern(bid="bid-001", sub_criterion="client"),), 3),
        ((Concern(bid="bid-003", sub_criterion="team"),), 2),
    ]
    wide = found(report, "spread.wide")[0]
    assert wide.message == (
        "bid-001 / client: individual scores from 4 to 10, 3 steps apart (at most 1 allowed)"
    )
    assert wide.evidence == "anna 10 · bram 10 · cees 10 · dirk 4"


def test_the_allowed_spread_is_a_dossier_setting(make_dossier: DossierFactory) -> None:
    record = Record(extra="audit:\n  max_spread_steps: 2\n")
    record.scores[("dirk", "bid-001", "client")] = 4
    record.scores[("bram", "bid-003", "team")] = 8
    report = run(build(make_dossier, record))
    assert items(report, "spread.wide") == [(Concern(bid="bid-001", sub_criterion="client"),)]


def test_a_consensus_outside_the_individual_scores_is_a_warning(
    make_dossier: DossierFactory,
) -> None:
    record = Record()
    record.consensus[("bid-003", "team")] = 8  # every evaluator gave 4
    report = run(build(make_dossier, record))
    (finding,) = found(report, "spread.consensus-outside")
    assert finding.items == (Concern(bid="bid-003", sub_criterion="team", consensus=True),)
    assert finding.message == (
        "bid-003 / team: the consensus score 8 lies outside the individual scores (4 to 4)"
    )


# --- bias ------------------------------------------------------------------------------------


def _shifted(person: str, steps: int) -> Record:
    record = Record()
    for key, value in list(record.scores.items()):
        if key[0] == person:
            record.scores[key] = min(10, max(0, value + 2 * steps))
    return record


def test_a_lenient_evaluator_is_a_warning(make_dossier: DossierFactory) -> None:
    report = run(build(make_dossier, _shifted("dirk", 1)))
    (finding,) = found(report, "bias.lenient")
    assert finding.items == (Concern(evaluator="dirk"),)
    assert finding.severity == "warning"
    dirk = report.evaluators[3]
    assert dirk.deviation is not None and dirk.ci_low is not None and dirk.ci_high is not None
    assert dirk.ci_low > 0
    assert dirk.ci_low < dirk.deviation < dirk.ci_high
    assert found(report, "bias.severe") == []


def test_a_severe_evaluator_is_a_warning(make_dossier: DossierFactory) -> None:
    report = run(build(make_dossier, _shifted("bram", -1)))
    assert items(report, "bias.severe") == [(Concern(evaluator="bram"),)]
    assert found(report, "bias.lenient") == []


def test_the_bias_interval_is_t_based(make_dossier: DossierFactory) -> None:
    record = _shifted("bram", -1)
    report = run(build(make_dossier, record))
    differences = []
    for bid in BIDS:
        for sub in SUBS:
            others = [record.scores[(p, bid, sub)] for p in EVALUATORS if p != "bram"]
            differences.append(record.scores[("bram", bid, sub)] - statistics.fmean(others))
    mean = statistics.fmean(differences)
    half = 2.110 * statistics.stdev(differences) / math.sqrt(18)  # t(0.975, 17 df)
    bram = report.evaluators[1]
    assert bram.compared == 18
    assert bram.deviation == pytest.approx(mean)
    assert (bram.ci_low, bram.ci_high) == pytest.approx((mean - half, mean + half))


def test_straight_lining_is_a_warning(make_dossier: DossierFactory) -> None:
    record = Record()
    for bid, value in (("bid-001", 10), ("bid-003", 2)):
        for sub in SUBS:
            record.scores[("cees", bid, sub)] = value
    report = run(build(make_dossier, record))
    (finding,) = found(report, "bias.straight-lining")
    assert finding.items == (
        Concern(bid="bid-001", evaluator="cees"),
        Concern(bid="bid-003", evaluator="cees"),
    )
    assert finding.figures == {"evaluator": "cees", "bids": 2, "of": 6}
    assert report.evaluators[2].straight_bids == 2


def test_straight_lining_below_the_share_is_silent(make_dossier: DossierFactory) -> None:
    record = Record()
    for sub in SUBS:
        record.scores[("cees", "bid-001", sub)] = 10  # 1 of 6 bids: 17 %, below 30 %
    assert found(run(build(make_dossier, record)), "bias.straight-lining") == []


# --- agreement -------------------------------------------------------------------------------


def test_disagreement_everywhere_is_unreliable(make_dossier: DossierFactory) -> None:
    record = Record()
    cycle = (0, 10, 4, 8, 2, 6)
    for number, key in enumerate(sorted(record.scores)):
        record.scores[key] = cycle[(number * 5 + EVALUATORS.index(key[0])) % 6]
    report = run(build(make_dossier, record))
    scopes = [finding.figures["scope"] for finding in found(report, "agreement.unreliable")]
    assert scopes == [*SUBS, "overall"]
    assert {f.severity for f in found(report, "agreement.unreliable")} == {"warning"}


def test_moderate_disagreement_is_tentative(make_dossier: DossierFactory) -> None:
    record = Record()
    for key in (
        ("anna", "bid-001", "client"),
        ("bram", "bid-002", "client"),
        ("cees", "bid-005", "client"),
    ):
        record.scores[key] -= 4  # two steps below the others
    report = run(build(make_dossier, record))
    client = report.agreement[0]
    assert client.alpha_interval is not None
    assert 0.667 <= client.alpha_interval < 0.8, client.alpha_interval
    assert [f.figures["scope"] for f in found(report, "agreement.tentative")] == ["client"]
    assert found(report, "agreement.tentative")[0].severity == "info"


def test_icc_leaves_out_items_with_a_conflict_and_says_so(make_dossier: DossierFactory) -> None:
    record = Record()
    for sub in SUBS:
        del record.scores[("dirk", "bid-002", sub)]
    conflict = (
        "\n  - evaluator: dirk\n    bid: bid-002\n    reason: Familie.\n    declared: 2026-11-12"
    )
    root = make_dossier(dossier_files(record, conflicts=conflict))
    open_bids(root)
    recorder = acting_recorder(load_dossier(root))
    for (person, bid, sub), value in record.scores.items():
        recorder.record_score(
            person, bid, sub, score=Decimal(value), motivation=motivation(person, bid, sub)
        )
    recorder.change_phase(CHAIR, "consensus")
    report = run(root)
    overall = report.agreement[-1]
    assert (overall.items, overall.icc.targets, overall.icc.dropped) == (18, 15, 3)
    assert found(report, "completeness.missing-individual") == []


# --- tone ------------------------------------------------------------------------------------


def test_cues_leave_quotations_out_and_count_negated_praise() -> None:
    assert cues("Zwak, vaag en oppervlakkig.") == (3, 0)
    assert cues("Het plan noemt “zwakke punten” en “vage doelen” zelf.") == (0, 0)
    assert cues("Niet overtuigend en weinig helder; wel een sterk team.") == (2, 1)


def test_wording_that_contradicts_the_score_is_a_warning(make_dossier: DossierFactory) -> None:
    record = Record()
    record.motivations[("bram", "bid-001", "client")] = (
        "Zwak en oppervlakkig uitgewerkt; de aanpak blijft vaag en afspraken ontbreken."
    )
    record.motivations[("cees", "bid-003", "nieuw")] = (
        "Uitstekend en overtuigend: een zeer concreet plan voor vernieuwing in de wijk."
    )
    record.motivations[("dirk", "bid-002", "team")] = (  # quoted: the plan's words, not dirk's
        "Het plan noemt “zwakke en vage afspraken” uit het verleden en laat zien hoe het nu gaat."
    )
    record.motivations[("anna", "bid-004", "team")] = (  # a low score with one praise cue
        "De aanpak is helder beschreven, maar concrete afspraken met het wijkteam ontbreken."
    )
    report = run(build(make_dossier, record))
    assert items(report, "tone.contradicts") == [
        (Concern(bid="bid-001", sub_criterion="client", evaluator="bram"),),
        (Concern(bid="bid-003", sub_criterion="nieuw", evaluator="cees"),),
    ]
    assert found(report, "tone.contradicts")[0].message == (
        "bid-001 / client: a high score (10) by bram with negative wording "
        "(4 negative, 0 praising cues)"
    )


def test_comparative_wording_is_a_warning(make_dossier: DossierFactory) -> None:
    record = Record()
    record.motivations[("anna", "bid-002", "client")] = (
        "Duidelijk beter dan de andere inschrijvers; het plan beschrijft de aanpak goed."
    )
    record.motivations[("bram", "bid-005", "team")] = (
        "Het plan lijkt op dat van bid-004, met voorbeelden van afspraken in de wijk."
    )
    record.motivations[("cees", "bid-001", "nieuw")] = (
        "Zoals ook Zorgaanbieder 6 doet, zet het plan in op domotica en beeldbellen."
    )
    record.consensus_motivations[("bid-003", "client")] = (
        "In vergelijking met de overige plannen blijft dit plan algemeen en onvolledig."
    )
    record.motivations[("dirk", "bid-001", "team")] = (  # its own id and name, and a quotation
        "bid-001 (Zorgaanbieder 1 B.V.) schrijft “beter dan vorig jaar”; het plan is concreet."
    )
    report = run(build(make_dossier, record))
    assert [(f.items, f.figures["bids"]) for f in found(report, "tone.comparative")] == [
        ((Concern(bid="bid-002", sub_criterion="client", evaluator="anna"),), ""),
        ((Concern(bid="bid-005", sub_criterion="team", evaluator="bram"),), "bid-004"),
        ((Concern(bid="bid-001", sub_criterion="nieuw", evaluator="cees"),), "bid-006"),
        ((Concern(bid="bid-003", sub_criterion="client", consensus=True),), ""),
    ]
    assert "(“beter dan de andere”)" in found(report, "tone.comparative")[0].message


# --- fragility -------------------------------------------------------------------------------


def test_a_decision_on_the_threshold_is_fragile_and_comes_first(
    make_dossier: DossierFactory,
) -> None:
    record = Record()
    for person in EVALUATORS:  # bid-005 ends on exactly 8.0: 0.4 * 8 + 0.3 * 6 + 0.3 * 10
        record.scores[(person, "bid-005", "client")] = 8
        record.scores[(person, "bid-005", "team")] = 6
    record.consensus[("bid-005", "client")] = 8
    record.consensus[("bid-005", "team")] = 6
    report = run(build(make_dossier, record))
    first = report.fragility[0]
    assert first.bid == "bid-005"
    assert first.margin == 0
    assert first.weighted_mean == 8
    assert [(f.sub_criterion, f.direction, f.outcome) for f in first.flips] == [
        ("client", -1, "below-threshold"),
        ("team", -1, "below-threshold"),
        ("nieuw", -1, "below-threshold"),
    ]
    assert first.flips[0].weighted_mean == Fraction(72, 10)
    assert [row.bid for row in report.fragile] == ["bid-005"]
    (finding,) = found(report, "fragility.fragile")
    assert finding.items[0] == Concern(bid="bid-005")
    assert finding.severity == "warning"


def test_leaving_one_evaluator_out_of_a_mean_can_turn_the_outcome(
    make_dossier: DossierFactory,
) -> None:
    record = Record(method="mean", phase="consensus")
    for sub in SUBS:  # every final is (10 + 8 + 8 + 6) / 4 = 8; without anna 22/3
        for person, value in zip(EVALUATORS, (10, 8, 8, 6), strict=True):
            record.scores[(person, "bid-002", sub)] = value
    report = run(build(make_dossier, record))
    row = next(row for row in report.fragility if row.bid == "bid-002")
    assert row.outcome == "provisional-award"
    assert row.margin == 0
    leave_out = [(f.evaluator, f.weighted_mean) for f in row.flips if f.kind == "leave-out"]
    assert leave_out == [("anna", Fraction(22, 3))]
    assert row.variants == 3 * 2 + 4
    assert report.fragility[0].bid == "bid-002"


def test_leaving_one_evaluator_out_of_a_median(make_dossier: DossierFactory) -> None:
    record = Record(method="median", phase="consensus")
    for sub in SUBS:  # median of 10, 8, 8, 6 is 8; without either 8 it is still 8
        for person, value in zip(EVALUATORS, (10, 8, 8, 4), strict=True):
            record.scores[(person, "bid-002", sub)] = value
    report = run(build(make_dossier, record))
    row = next(row for row in report.fragility if row.bid == "bid-002")
    assert [f.evaluator for f in row.flips if f.kind == "leave-out"] == []
    assert [(f.sub_criterion, f.direction) for f in row.flips] == [
        ("client", -1),
        ("team", -1),
        ("nieuw", -1),
    ]


def test_without_decisions_there_is_no_fragility(make_dossier: DossierFactory) -> None:
    root = build(make_dossier, Record())
    dossier = load_dossier(root)
    report = audit(dossier, assessments(dossier), acting_recorder(dossier).book, None)
    assert not report.decisions_available
    assert report.fragility == ()
    assert found(report, "fragility.fragile") == []


# --- the report as data ----------------------------------------------------------------------


def test_findings_come_in_order_of_severity_then_check(make_dossier: DossierFactory) -> None:
    record = Record()
    record.motivations[("dirk", "bid-005", "team")] = "Goed plan."
    del record.consensus[("bid-003", "team")]
    record.scores[("dirk", "bid-001", "client")] = 4
    report = run(build(make_dossier, record))
    assert [f.rule for f in report.findings] == [
        "completeness.missing-consensus",
        "motivation.short",
        "spread.wide",
    ]


def test_report_data_is_plain_json(clean: AuditReport) -> None:
    data: Mapping[str, object] = report_data(clean)
    assert data["summary"] == {"blocking": 0, "warning": 0, "info": 0}
    assert data["settings"] == {
        "max_spread_steps": 1,
        "min_motivation_chars": 40,
        "straight_lining_share": "0.3",
        "bias_steps": "0.4",
    }
    fragility = data["fragility"]
    assert isinstance(fragility, list)
    assert {row["weighted_mean"] for row in fragility} >= {"9.4", "2.6"}


def test_the_straight_lining_share_is_a_dossier_setting(make_dossier: DossierFactory) -> None:
    record = Record(extra="audit:\n  straight_lining_share: 0.1\n")
    for sub in SUBS:
        record.scores[("cees", "bid-001", sub)] = 10  # 1 of 6 bids: 17 %, above 10 %
    assert items(run(build(make_dossier, record)), "bias.straight-lining") == [
        (Concern(bid="bid-001", evaluator="cees"),)
    ]


def test_the_bias_threshold_is_a_dossier_setting(make_dossier: DossierFactory) -> None:
    record = _shifted("dirk", 1)
    record.extra = "audit:\n  bias_steps: 1\n"  # 2 points
    report = run(build(make_dossier, record))
    assert found(report, "bias.lenient") == []
    deviation = report.evaluators[3].deviation
    assert deviation is not None
    assert 0.8 <= deviation < 2  # flagged at the default 0.4 step (0.8 points), not at 1 step


def test_an_unknown_audit_setting_is_a_dossier_problem(make_dossier: DossierFactory) -> None:
    root = make_dossier(dossier_files(Record(extra="audit:\n  max_spread: 2\n")))
    with pytest.raises(DossierError, match=r"audit\.max_spread: unknown field"):
        load_dossier(root)
