"""The interactive walks, driven line by line as a person would type."""

from __future__ import annotations

import io
from collections.abc import Mapping
from decimal import Decimal

import pytest
from rich.console import Console

from tender.bids.documents import Section
from tender.commands.scores import KEYS_HELP
from tender.domain.dossier import Dossier
from tender.domain.errors import InputError, RefusedError
from tender.io.loader import load_dossier
from tender.record.recorder import Recorder
from tender.terminal.walk import KEYS, Outcome, Terminal, consensus_walk, score_walk
from tests.conftest import DossierFactory
from tests.keys import acting_recorder
from tests.scoring_fixtures import CHAIR, SCALE, committee_dossier, committee_root, open_bids


class Typist:
    """Types the given lines one per prompt, then ends the input (as Ctrl-D would)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = list(lines)
        self.prompts: list[str] = []
        self.edited: list[str] = []
        self.output = io.StringIO()
        self.console = Console(file=self.output, width=120, color_system=None, soft_wrap=True)

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)

    def edit(self, text: str) -> str | None:
        self.edited.append(text)
        return "Written in the editor.\n"

    @property
    def terminal(self) -> Terminal:
        return Terminal(console=self.console, ask=self.ask, edit=self.edit)

    @property
    def text(self) -> str:
        return self.output.getvalue()


def no_sections(bid: str) -> Mapping[str, Section]:
    return {}


def walk(
    recorder: Recorder, lines: list[str], evaluator: str = "evaluator-2", **options: str
) -> tuple[Typist, Outcome]:
    typist = Typist(lines)
    outcome = score_walk(recorder, evaluator, typist.terminal, sections=no_sections, **options)
    return typist, outcome


def own(
    recorder: Recorder, evaluator: str = "evaluator-2"
) -> dict[tuple[str, str], tuple[str, str, str | None]]:
    recorder.refresh()
    return {
        score.item: (str(score.score), score.motivation, score.reason)
        for score in recorder.book.own_scores(evaluator)
    }


@pytest.fixture
def dossier(make_dossier: DossierFactory) -> Dossier:
    return committee_dossier(make_dossier)


@pytest.fixture
def recorder(dossier: Dossier) -> Recorder:
    return acting_recorder(dossier)


def test_a_score_is_entered_with_a_multi_line_motivation_and_confirmed(
    recorder: Recorder,
) -> None:
    typist, outcome = walk(recorder, ["8", "Concrete examples.", "With the wijkteam.", "", ""])

    assert own(recorder) == {
        ("bid-001", "criterion-1"): ("8", "Concrete examples.\nWith the wijkteam.", None)
    }
    assert outcome == Outcome(recorded=1, changed=0, done=1, total=6)
    assert "Recorded 8 for bid-001 / criterion-1 (entry 2)." in typist.text
    assert typist.prompts[:5] == [
        f"[0/6] score ({SCALE.replace(', ', ' ')}) or s b c r n p q ? > ",
        "| ",
        "| ",
        "| ",
        "Record 8 for bid-001 / criterion-1? [Y/n] > ",
    ]
    assert typist.prompts[5] == f"[1/6] score ({SCALE.replace(', ', ' ')}) or s b c r n p q ? > "
    assert "Item 2 of 6 · 1/6 done" in typist.text
    assert "Stopped at 1/6. Everything you confirmed is saved" in typist.text


def test_the_item_screen_shows_bid_bidder_sub_criterion_and_the_scale(recorder: Recorder) -> None:
    typist, _ = walk(recorder, [])

    assert "bid-001 · Zorgaanbieder 1 B.V." in typist.text
    assert "First sub-criterion (criterion-1) · weight 50% · at most 2 pages" in typist.text
    assert "What the authority wants to see." in typist.text
    assert "Goed          The plan is concrete and convincing" in typist.text
    assert "No score is recorded on this item yet." in typist.text


def test_skip_leaves_an_item_open_and_the_walk_comes_back_to_it(recorder: Recorder) -> None:
    lines = ["s"]
    for _ in range(5):
        lines += ["6", "Motivated.", "", ""]
    typist, outcome = walk(recorder, lines)

    assert set(own(recorder)) == {
        ("bid-001", "criterion-2"),
        ("bid-002", "criterion-1"),
        ("bid-002", "criterion-2"),
        ("bid-003", "criterion-1"),
        ("bid-003", "criterion-2"),
    }
    assert "Back to the first open item." in typist.text
    assert typist.text.rstrip().endswith(
        "Stopped at 5/6. Everything you confirmed is saved; run the same command to continue."
    )
    assert outcome.done == 5


def test_back_shows_the_previous_item_and_a_change_needs_a_reason(recorder: Recorder) -> None:
    lines = ["8", "First look.", "", ""]  # item 1
    lines += ["b", "6", "Second look.", "", "", ""]  # back; no reason: refused
    lines += ["6", "Second look.", "", "Misread page 2.", "y"]
    typist, outcome = walk(recorder, lines)

    assert own(recorder) == {("bid-001", "criterion-1"): ("6", "Second look.", "Misread page 2.")}
    assert "Recorded score: 8 (entry 2)" in typist.text
    assert "No reason: nothing was recorded. A change needs one." in typist.text
    assert "Reason for changing the recorded 8 (entry 2) > " in typist.prompts
    assert outcome == Outcome(recorded=1, changed=1, done=1, total=6)


def test_change_goes_to_any_item_by_number_or_by_id(recorder: Recorder) -> None:
    lines = ["8", "a", "", "", "4", "b", "", ""]  # items 1 and 2
    lines += ["c", "1", "10", "c1", "", "r1", ""]
    lines += ["c", "bid-001 criterion-2", "2", "c2", "", "r2", ""]
    lines += ["c", "bid-009 x"]
    typist, _ = walk(recorder, lines)

    assert own(recorder) == {
        ("bid-001", "criterion-1"): ("10", "c1", "r1"),
        ("bid-001", "criterion-2"): ("2", "c2", "r2"),
    }
    assert (
        "No item 'bid-009 x' in this walk; expected a number from 1 to 6 or a bid id and a "
        "sub-criterion id, e.g. 'bid-001 visie'."
    ) in typist.text


def test_quit_and_resume_at_the_first_open_item(recorder: Recorder) -> None:
    first, _ = walk(recorder, ["8", "a", "", "", "8", "b", "", "", "q"])
    second, outcome = walk(recorder, ["r"])

    assert "Item 3 of 6 · 2/6 done" in second.text
    assert "Item 1 of 6" not in second.text
    assert second.prompts[0].startswith("[2/6] ")
    assert outcome == Outcome(recorded=0, changed=0, done=2, total=6)
    assert "Stopped at 2/6" in first.text


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["7"], f"7 is not a point on the scale; expected one of: {SCALE}, or ? for the keys"),
        (["x"], f"'x' is not a number; expected one of: {SCALE}, or ? for the keys"),
        (["8", ""], "No motivation: nothing was recorded. Every score needs one."),
        (["8", "   ", ""], "No motivation: nothing was recorded. Every score needs one."),
        (["8", "Good.", "", "n"], "Not recorded."),
        (["8", "Good."], "Input ended."),
    ],
)
def test_what_cannot_be_recorded_is_refused_with_a_message(
    recorder: Recorder, lines: list[str], message: str
) -> None:
    typist, _ = walk(recorder, lines)

    assert message in typist.text
    assert own(recorder) == {}
    assert [entry.event["kind"] for entry in recorder.ledger.entries()] == ["opening"]


def test_e_opens_the_editor_for_the_motivation(recorder: Recorder) -> None:
    typist, _ = walk(recorder, ["8", "e", ""])

    assert own(recorder) == {("bid-001", "criterion-1"): ("8", "Written in the editor.", None)}
    assert typist.edited == [""]


def test_review_shows_only_the_evaluators_own_scores(recorder: Recorder) -> None:
    recorder.record_score(
        "evaluator-1", "bid-001", "criterion-1", score=Decimal(2), motivation="SECRET of one"
    )
    typist, _ = walk(recorder, ["8", "Mine.", "", "", "r"])

    assert "Mine." in typist.text
    assert "SECRET" not in typist.text
    assert "Recorded: 1" in typist.text


def test_conflicts_and_bids_not_scored_are_left_out(dossier: Dossier) -> None:
    recorder = acting_recorder(dossier, not_scored={"bid-003": "invalid: late"})
    typist, outcome = walk(recorder, ["s", "s", "s", "s"], evaluator="evaluator-3")

    assert outcome.total == 2
    assert "bid-002" not in typist.text
    assert "bid-003" not in typist.text


def test_options_limit_the_walk_and_refuse_what_the_evaluator_may_not_score(
    dossier: Dossier,
) -> None:
    recorder = acting_recorder(dossier, not_scored={"bid-003": "invalid: late"})
    _, by_bid = walk(recorder, [], bid="bid-001")
    _, by_sub = walk(recorder, [], sub_criterion="criterion-2")

    assert (by_bid.total, by_sub.total) == (2, 2)
    with pytest.raises(RefusedError, match=r"^evaluator-3 declared a conflict of interest"):
        walk(recorder, [], evaluator="evaluator-3", bid="bid-002")
    with pytest.raises(RefusedError, match=r"^bid-003 is not scored: invalid: late$"):
        walk(recorder, [], bid="bid-003")
    with pytest.raises(InputError, match=r"^unknown sub-criterion 'nope'"):
        walk(recorder, [], sub_criterion="nope")
    with pytest.raises(InputError, match=r"^unknown evaluator 'nobody'"):
        walk(recorder, [], evaluator="nobody")


def test_the_plan_section_is_paged_and_pages_over_the_limit_are_not_shown(
    recorder: Recorder,
) -> None:
    section = Section(
        sub_criterion="criterion-1",
        first_page=5,
        pages=("Page five.", "Page six.", "Page seven."),
        max_pages=2,
    )

    typist = Typist(["n", "n", "p", "p"])
    score_walk(
        recorder, "evaluator-2", typist.terminal, sections=lambda bid: {"criterion-1": section}
    )

    text = typist.text
    assert text.index("Page five.") < text.index("Page six.") < text.rindex("Page five.")
    assert "Page seven." not in text
    assert "page 1 of 2 evaluated · n next page · p previous page" in text
    assert "There is no next page (2 evaluated pages)." in text
    assert "There is no previous page (2 evaluated pages)." in text
    assert (
        "The section runs over its limit of 2 pages: page 7 of the plan is not evaluated and not "
        "shown."
    ) in text


def test_a_plan_that_cannot_be_read_is_said_and_scoring_goes_on(recorder: Recorder) -> None:
    def unreadable(bid: str) -> Mapping[str, Section]:
        raise InputError("kwaliteitsplan.pdf is encrypted")

    typist = Typist(["4", "Could not read the plan.", "", ""])
    score_walk(recorder, "evaluator-2", typist.terminal, sections=unreadable)

    assert "The quality plan cannot be shown: kwaliteitsplan.pdf is encrypted" in typist.text
    assert own(recorder)[("bid-001", "criterion-1")][0] == "4"


def test_an_anonymous_plan_keeps_the_bidders_name_off_screen(
    make_dossier: DossierFactory,
) -> None:
    root = committee_root(make_dossier, opened=False)
    award = root / "criteria/award.yaml"
    award.write_text(
        award.read_text(encoding="utf-8").replace("anonymous: false", "anonymous: true"),
        encoding="utf-8",
    )
    open_bids(root)
    typist, _ = walk(acting_recorder(load_dossier(root)), [])

    assert "Zorgaanbieder" not in typist.text
    assert "bid-001 · bidder not shown: quality plans are assessed anonymously" in typist.text


def test_the_walk_is_refused_once_consensus_is_open(recorder: Recorder) -> None:
    recorder.change_phase(CHAIR, "consensus", force_reason="test")

    with pytest.raises(RefusedError) as caught:
        walk(recorder, [])

    assert str(caught.value) == (
        "the evaluation is in the consensus phase; individual scores can no longer change"
    )


def test_the_consensus_walk_shows_every_score_widest_spread_first(recorder: Recorder) -> None:
    for person, bid, value in (
        ("evaluator-1", "bid-002", 2),
        ("evaluator-2", "bid-002", 10),
        ("evaluator-1", "bid-001", 8),
        ("evaluator-2", "bid-001", 6),
    ):
        recorder.record_score(
            person, bid, "criterion-1", score=Decimal(value), motivation=f"{person} says {value}"
        )
    recorder.change_phase(CHAIR, "consensus", force_reason="test")
    typist = Typist(["6", "Agreed after discussion.", "", ""])

    outcome = consensus_walk(
        recorder, CHAIR, typist.terminal, sections=no_sections, sub_criterion="criterion-1"
    )

    text = typist.text
    assert text.index("bid-002 / criterion-1 · spread 8") < text.index(
        "bid-001 / criterion-1 · spread 2"
    )
    assert "evaluator-2 says 10" in text
    assert "Third Evaluator (evaluator-3)        —   no score recorded" in text
    assert recorder.book.consensus[("bid-002", "criterion-1")].motivation == (
        "Agreed after discussion."
    )
    assert outcome == Outcome(recorded=1, changed=0, done=1, total=3)
    with pytest.raises(RefusedError, match=r"^only the chair \(evaluator-1\) may do this$"):
        consensus_walk(recorder, "evaluator-2", typist.terminal, sections=no_sections)


def test_the_keys_in_the_command_help_are_the_keys_of_the_walk() -> None:
    for key, _ in KEYS[1:]:
        assert f"\n  {key} " in KEYS_HELP, key


def test_brackets_in_a_motivation_are_text_not_markup(recorder: Recorder) -> None:
    typist, _ = walk(recorder, ["8", "See [/b] and [red]page 2[/red].", "", "", "r", "b"])

    assert typist.text.count("See [/b] and [red]page 2[/red].") == 2  # review and item screen
