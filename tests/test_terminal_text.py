"""Text from the dossier or the record is shown in the terminal, never obeyed by it.

Escape sequences (ANSI colours, a screen clear, an OSC title or hyperlink), C1 controls,
direction controls and marks are printed as their code points; rich markup and emoji codes
are printed as typed. The record refuses most of these in what people write, so they reach
the terminal through what it does not check (the account that wrote an entry) or what it
allows (direction marks), and through the renderings themselves, tested on their own.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from rich.console import Console

from tender.domain.hidden import visible
from tender.record.book import Score
from tender.record.disclosure import Change
from tender.terminal.scores import show_history, show_own_scores
from tests.corpus import BID, EVALUATOR, build_base, rechain, reopen, set_value, to_individual_phase

Run = Callable[..., Result]

ESCAPES = (
    "\x1b[31mrood\x1b[0m \x1b[2J \x1b]0;titel\x07 \x1b]8;;http://x\x1b\\klik\x1b]8;;\x1b\\ \x9b2J"
)
DIRECTIONS = "\u202eV.B\u202c \u2066iso\u2069 \u200e\u200f\u061c"
MARKUP = "[bold]vet[/bold] :thumbs_up:"
HOSTILE = f"Goed {ESCAPES} {DIRECTIONS} {MARKUP}"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c")
"""Characters that no output may hold as they are."""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("terminal") / "dossier")


@pytest.fixture
def dossier(base: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(base, tmp_path / "dossier", symlinks=True))


def printed(render: Callable[[Console], None]) -> str:
    """What a rendering prints on a terminal without colour: every escape in it is the data's."""
    buffer = io.StringIO()
    render(Console(file=buffer, color_system=None, width=200, soft_wrap=True, highlight=False))
    return buffer.getvalue()


def shown_neutralised(output: str, text: str) -> None:
    """No hidden character as it is, and every word of ``text`` with its code points (a table
    may wrap a text over lines, beside other columns)."""
    assert not [char for char in RAW if char in output], ascii(output[-800:])
    missing = [word for word in visible(text).split() if word not in output]
    assert not missing, (missing, ascii(output[-800:]))


def test_visible_writes_every_hidden_character_as_its_code_point() -> None:
    assert visible(ESCAPES) == (
        "<U+001B>[31mrood<U+001B>[0m <U+001B>[2J <U+001B>]0;titel<U+0007> "
        "<U+001B>]8;;http://x<U+001B>\\klik<U+001B>]8;;<U+001B>\\ <U+009B>2J"
    )
    assert visible(DIRECTIONS) == (
        "<U+202E>V.B<U+202C> <U+2066>iso<U+2069> <U+200E><U+200F><U+061C>"
    )
    assert visible("twee\r\nregels\rdrie\tvier") == "twee\nregels\ndrie\tvier"


def test_the_history_shows_a_hostile_motivation_reason_and_account_as_text() -> None:
    change = Change(
        seq=7,
        at=datetime(2017, 11, 20, 10, tzinfo=UTC),
        by="jvanrijn",
        account=f"jan@pc {ESCAPES}",
        kind="score",
        bid=BID,
        subject=f"{BID}/visie",
        old="6",
        new="8",
        motivation=HOSTILE,
        reason=f"Herzien {ESCAPES}",
    )

    output = printed(lambda console: show_history(console, f"History of {BID}", [change], "UTC"))

    shown_neutralised(output, HOSTILE)
    shown_neutralised(output, f"jan@pc {ESCAPES}")
    shown_neutralised(output, f"Reason: Herzien {ESCAPES}")
    assert MARKUP in output


def test_score_show_prints_a_hostile_motivation_as_text() -> None:
    score = Score(
        by=EVALUATOR,
        bid=BID,
        sub_criterion="visie",
        score=Decimal(8),
        motivation=HOSTILE,
        at=datetime(2017, 11, 20, 10, tzinfo=UTC),
        seq=7,
    )

    output = printed(lambda console: show_own_scores(console, EVALUATOR, [((BID, "visie"), score)]))

    shown_neutralised(output, HOSTILE)
    assert MARKUP in output


def test_history_shows_the_account_of_a_hand_written_entry_as_text(
    dossier: Path, run_cli: Run
) -> None:
    """The record seals the account that wrote an entry but does not judge it: a forger's
    escape sequence in it reaches 'tender history' as text."""
    account = f"mallory {ESCAPES}"

    def forge(_line: int, body: dict[str, Any]) -> None:
        if body["event"].get("bid") == BID:
            body["account"] = account

    rechain(dossier, forge)

    result = run_cli("history", BID, "--dossier", str(dossier))

    assert result.exit_code == 0, result.output
    shown_neutralised(result.stdout, account)


def test_history_and_score_show_print_direction_marks_in_a_motivation_as_code_points(
    dossier: Path, run_cli: Run
) -> None:
    """Marks may be recorded (right-to-left text needs them); the terminal shows where they are."""
    to_individual_phase(dossier)
    motivation = f"Concreet \u200fplan\u061c met \u200evoorbeelden {MARKUP}"
    recorded = run_cli(
        "score", "set", "-e", EVALUATOR, BID, "visie", "6", "-m", motivation,
        "--reason", "Herzien \u200f", "-d", str(dossier),
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output

    history = run_cli("history", BID, "visie", "-e", EVALUATOR, "-d", str(dossier))
    own = run_cli("score", "show", "-e", EVALUATOR, "-d", str(dossier))

    for result in (history, own):
        assert result.exit_code == 0, result.output
        shown_neutralised(result.stdout, motivation)
    shown_neutralised(history.stdout, "Reason: Herzien \u200f")


def test_a_bidder_name_with_direction_marks_is_shown_as_code_points_also_in_json(
    dossier: Path, run_cli: Run
) -> None:
    name = "Zorg \u200eDe Linde\u200f B.V."
    set_value(dossier, f"submissions/{BID}/bid.yaml", "name:", json.dumps(name))
    reopen(dossier)

    table = run_cli("bids", "show", BID, "--dossier", str(dossier))
    data = run_cli("bids", "show", BID, "--json", "--dossier", str(dossier))

    shown_neutralised(table.stdout, name)
    assert not [char for char in RAW if char in data.stdout]
    assert json.loads(data.stdout)["bidder"] == name  # the same data, escaped
