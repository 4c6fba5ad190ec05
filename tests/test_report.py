"""The evaluation report (proces-verbaal van beoordeling): on the example, and through the CLI.

On the example the report's HTML is read for every section: procedure,
committee and roles, conflicts, bids received, validity, suitability with every
verdict, final scores, outcomes, standstill, the record's last entry, and an
annex with every individual score. The PDF is made through the CLI on a small
dossier, where it takes a moment rather than twenty seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from click.testing import Result

from tender.app.load import load_evaluation
from tender.award.decisions import Decision
from tender.present.report import planned_period, report_html
from tender.record.ledger import Entry, Ledger
from tests.conftest import DossierFactory
from tests.letters_fixtures import copy_example, flat, html_text, locked_small_dossier, pdf_text
from tests.scoring_fixtures import CHAIR, committee_root

Run = Callable[..., Result]


@dataclass(frozen=True)
class Report:
    """The example's report in one language, with what it was made from."""

    html: str
    text: str
    decisions: tuple[Decision, ...]
    entries: tuple[Entry, ...]


@pytest.fixture(scope="module", params=["nl", "en"])
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Report:
    root = copy_example(tmp_path_factory.mktemp("report"), language=request.param)
    entries = Ledger(root / "scores").verify()
    evaluation = load_evaluation(root)
    decisions = evaluation.decide()
    html = report_html(evaluation, decisions, planned_period(evaluation), last=entries[-1])
    return Report(html, html_text(html), decisions, entries)


def language(report: Report) -> str:
    return "nl" if '<html lang="nl">' in report.html else "en"


WORDS = {
    "nl": {
        "title": "Proces-verbaal van beoordeling",
        "chair": "Ingrid Bosman beleid voorzitter",
        "member": "Joëlle van Rijn uitvoering (wijkteams) lid",
        "conflict": "Joëlle van Rijn bid-017 · ",
        "received": "zijn 126 inschrijvingen ontvangen, daarna 2; in totaal 128",
        "at_deadline": "bid-064 Stichting Thuiszorg Veendijk 10 november 2017 om 12:00:00 ja voorlopige gunning",
        "late": "bid-038 Stichting Thuiszorg Vennekerk 10 november 2017 om 12:00:07 nee ongeldig",
        "late_reason": "7 seconden na de sluitingstermijn",
        "incomplete": "bid-026 · Stichting Thuiszorg Westerzande: het document 'Uniform Europees Aanbestedingsdocument (UEA)' ontbreekt",
        "requirement": "Twee referenties voor thuisondersteuning in de afgelopen drie jaar technische en beroepsbekwaamheid hulpmiddel en lid 125 0 0",
        "insurance": "opgegeven: € 1.000.000; vereist: ten minste € 2.500.000",
        "verdict": "voldaan, Thijs Kramer, 13 november 2017 om 09:12:56 (nr. 3).",
        "row": "bid-017 {bidder} 6 8 8 10 8 7,9 -0,1 onder de drempel",
        "counts": "Voorlopige gunning 29 Onder de drempel 91 Ongeschikt 4 Uitgesloten 1 Ongeldig 3 Totaal 128",
        "planned": "Gepland is verzending op vrijdag 1 december 2017; de opschortende termijn zou dan eindigen op donderdag 21 december 2017",
        "record": "Dit proces-verbaal beschrijft 4329 vastleggingen",
        "changed": "Gewijzigd: ",
        "annex": "Bijlage: individuele scores en motiveringen",
        "court": "Bevoegde rechter Rechtbank Overijssel",
    },
    "en": {
        "title": "Evaluation report",
        "chair": "Ingrid Bosman policy chair",
        "member": "Joëlle van Rijn execution (neighbourhood teams) member",
        "conflict": "Joëlle van Rijn bid-017 · ",
        "received": "126 bids were received, and 2 after it; 128 in all",
        "at_deadline": "bid-064 Stichting Thuiszorg Veendijk 10 November 2017 at 12:00:00 yes provisional award",
        "late": "bid-038 Stichting Thuiszorg Vennekerk 10 November 2017 at 12:00:07 no invalid",
        "late_reason": "7 seconds after the deadline",
        "incomplete": "bid-026 · Stichting Thuiszorg Westerzande: your bid does not include the document 'Uniform Europees Aanbestedingsdocument (UEA)'",
        "requirement": "Twee referenties voor thuisondersteuning in de afgelopen drie jaar technical and professional ability tool and member 125 0 0",
        "insurance": "stated: €1,000,000; required: at least €2,500,000",
        "verdict": "met, Thijs Kramer, 13 November 2017 at 09:12:56 (no. 3).",
        "row": "bid-017 {bidder} 6 8 8 10 8 7.9 -0.1 below threshold",
        "counts": "Provisional award 29 Below threshold 91 Unsuitable 4 Excluded 1 Invalid 3 Total 128",
        "planned": "It is planned for Friday 1 December 2017; the standstill period would then end on Thursday 21 December 2017",
        "record": "This report describes 4329 entries",
        "changed": "Changed: ",
        "annex": "Annex: individual scores and motivations",
        "court": "Competent court Rechtbank Overijssel",
    },
}


def test_the_report_covers_procedure_committee_and_conflicts(report: Report) -> None:
    words = WORDS[language(report)]
    for key in ("title", "chair", "member", "conflict", "court"):
        assert words[key] in report.text, key
    assert "VS-2017-WMO-014" in report.text
    assert "Tot september 2016 in dienst bij de inschrijver als wijkverpleegkundige." in report.text


def test_the_report_lists_every_bid_received_with_its_time_and_validity(report: Report) -> None:
    words = WORDS[language(report)]
    for key in ("received", "at_deadline", "late", "late_reason", "incomplete"):
        assert words[key] in report.text, key
    assert all(f"{decision.bid} {decision.bidder} " in report.text for decision in report.decisions)


def test_the_report_gives_suitability_with_every_verdict_who_when_and_why(report: Report) -> None:
    words = WORDS[language(report)]
    for key in ("requirement", "insurance", "verdict"):
        assert words[key] in report.text, key
    verdicts = [entry for entry in report.entries if entry.event["kind"] == "verdict"]
    assert len(verdicts) == 128
    for entry in verdicts:
        assert flat(str(entry.event["reason"])) in report.text, entry.seq


def test_the_report_gives_final_scores_outcomes_standstill_and_the_record(report: Report) -> None:
    words = WORDS[language(report)]
    bidder = next(d.bidder for d in report.decisions if d.bid == "bid-017")
    assert words["row"].format(bidder=bidder) in report.text
    for key in ("counts", "planned", "record"):
        assert words[key] in report.text, key
    last = report.entries[-1]
    assert last.seq == 4329
    assert report.text.count(last.hash) == 2  # the opening paragraph and the record section


def test_the_annex_holds_every_individual_score_and_motivation(report: Report) -> None:
    scored = [decision for decision in report.decisions if decision.finals]
    individual = [
        score for decision in scored for final in decision.finals for score in final.individual
    ]
    assert len(scored) == 120
    assert report.html.count('class="seq"') == len(individual)
    annex = report.text[report.text.index(WORDS[language(report)]["annex"]) :]
    for score in individual:
        assert flat(score.motivation) in annex, score.seq
        if score.reason:
            assert f"{WORDS[language(report)]['changed']}{flat(score.reason)}" in annex, score.seq
    assert any(score.reason for score in individual)
    conflicted = next(decision for decision in scored if decision.bid == "bid-017")
    assert all(score.by != "jvanrijn" for final in conflicted.finals for score in final.individual)


def test_the_report_is_refused_in_the_individual_phase_and_writes_nothing(
    make_dossier: DossierFactory, run_cli: Run
) -> None:
    root = committee_root(make_dossier)
    result = run_cli("report", "--dossier", str(root))
    assert result.exit_code == 4
    assert "individual phase" in result.stderr
    assert not (root / "reports" / "evaluation-report").exists()


def test_tender_report_writes_html_and_pdf_and_quotes_what_was_sent(
    make_dossier: DossierFactory, run_cli: Run
) -> None:
    root = locked_small_dossier(make_dossier)
    d = ("--dossier", str(root))
    before = run_cli("report", *d)
    assert before.exit_code == 0, before.output + before.stderr
    folder = root / "reports" / "evaluation-report"
    assert sorted(path.name for path in folder.iterdir()) == [
        "proces-verbaal.html",
        "proces-verbaal.pdf",
    ]
    planned = pdf_text((folder / "proces-verbaal.pdf").read_bytes())
    assert "Gepland is verzending op dinsdag 1 december 2026" in planned
    for name in ("First Evaluator", "Second Evaluator", "Third Evaluator"):
        assert name in planned
    assert "Voorlopige gunning 2 Onder de drempel 1" in planned

    assert run_cli("letters", "send", *d, "--date", "2026-12-01", "--by", CHAIR).exit_code == 0
    after = run_cli("report", *d)
    assert after.exit_code == 0, after.output + after.stderr
    head = json.loads((root / "scores" / "ledger.head").read_text())
    sent = [
        json.loads(line)["event"]
        for line in (root / "scores" / "ledger.jsonl").read_text().splitlines()
        if '"letters-sent"' in line
    ]
    for text in (
        html_text((folder / "proces-verbaal.html").read_bytes()),
        pdf_text((folder / "proces-verbaal.pdf").read_bytes()),
    ):
        assert "(versie 1) is op 1 december 2026 aan alle inschrijvers verzonden" in text
        assert "eindigt op maandag 21 december 2026" in text
        assert sent[0]["digest"] in text
        assert head["hash"] in text
        assert f"beschrijft {head['seq']} vastleggingen" in text


def test_a_damaged_record_stops_the_report(make_dossier: DossierFactory, run_cli: Run) -> None:
    root = locked_small_dossier(make_dossier)
    ledger = root / "scores" / "ledger.jsonl"
    ledger.write_text(ledger.read_text().replace("concrete.", "vague.", 1))
    result = run_cli("report", "--dossier", str(root))
    assert result.exit_code == 3
    assert not (root / "reports" / "evaluation-report").exists()


def test_the_report_is_not_signed_before_the_scores_are_locked(
    make_dossier: DossierFactory, run_cli: Run
) -> None:
    root = committee_root(make_dossier)
    result = run_cli("report", "sign", "--dossier", str(root), "--by", CHAIR)
    assert result.exit_code == 4, result.output
    assert "individual phase" in result.stderr
    assert len(Ledger(root / "scores").verify()) == 1  # nothing recorded


def test_each_member_adopts_the_report_by_signing_its_digest(
    make_dossier: DossierFactory, run_cli: Run
) -> None:
    root = locked_small_dossier(make_dossier)
    d = ("--dossier", str(root))
    described = len(Ledger(root / "scores").verify())
    first = run_cli("report", "sign", *d, "--by", CHAIR)
    again = run_cli("report", "sign", *d, "--by", CHAIR)
    second = run_cli("report", "sign", *d, "--by", "evaluator-2")

    assert first.exit_code == 0, first.output + first.stderr
    signed = Ledger(root / "scores").verify()[described]
    digest = str(signed.event["digest"])
    assert (signed.seq, signed.by, signed.event["kind"]) == (described + 1, CHAIR, "report-signed")
    assert first.stdout.startswith(
        f"{CHAIR} signed the evaluation report (entry {described + 1}, digest {digest}); "
        "1 of 3 members have signed it. Written to "
    )
    assert (again.exit_code, again.stderr) == (
        4,
        f"error: {CHAIR} signed this evaluation report already (entry {described + 1}); "
        "'tender report' writes it with every signature\n",
    )
    assert second.exit_code == 0, second.output + second.stderr
    assert f"(entry {described + 2}, digest {digest}); 2 of 3 members" in second.stdout
    page = root / "reports" / "evaluation-report" / "proces-verbaal.html"
    text = html_text(page.read_bytes())
    adoption = text[text.index("9. Vaststelling") : text.index("Bijlage:")]
    assert digest in adoption
    assert f"First Evaluator 1 december 2026 om 12:00:00 {described + 1}" in adoption
    assert f"Second Evaluator 1 december 2026 om 12:00:00 {described + 2}" in adoption
    assert "Nog niet ondertekend door: Third Evaluator." in adoption
    # The signatures do not change what the report describes: the same report again.
    assert f"beschrijft {described} vastleggingen" in text
    assert run_cli("report", *d).exit_code == 0
    assert html_text(page.read_bytes()) == text
