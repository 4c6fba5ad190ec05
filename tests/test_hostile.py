"""Text from bids and from people can neither run, nor break out of HTML, nor write elsewhere.

A copy of the corpus's small example (tests/corpus.py) carries hostile text wherever text
enters tender: the name, contact and file name of a bid that is awarded (so it is named in
every letter), a quality plan that names its own bidder next to markup (so the plan's text
is quoted as evidence), the committee's motivations, an evaluator's name, a sub-criterion
and a requirement. The whole pipeline and every export run on it. Everything rendered
holds the text escaped or literally, nothing evaluates it as a template, and nothing is
written outside reports/ (and the PDF cache). Hidden characters and object-making YAML tags
are refused where they are written, with the place.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner, Result

from tender.cli import cli
from tender.domain.dossier import REPORTS, SCORES_FOLDER
from tender.io.loader import load_dossier
from tender.present.render import Rendered, RenderError, publish
from tender.record.ledger import LEDGER_NAME, LOCK_NAME
from tests.corpus import (
    ATTRIBUTE,
    BID,
    EVALUATED,
    MARKUP,
    SCRIPT,
    TEMPLATE,
    bidder_name,
    build_base,
    plan_pdf,
    read,
    reopen,
    set_value,
    write,
)
from tests.keys import acting_recorder
from tests.letters_fixtures import html_text, pdf_text

STATEMENT = "{% if true %}ja{% endif %}"
SEVEN = "{{ 7*7 }}"
NAME = f"Zorg {TEMPLATE} {SEVEN} {STATEMENT} {SCRIPT} {ATTRIBUTE} &amp; {MARKUP} B.V."
"""bid-002's name: template code, a script, an attribute break-out, an entity, rich markup."""
ESCAPED = (
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;",
    "&amp;amp;",
)
NAMED_BID = "bid-003"
"""Its plan names its bidder, next to markup: the plan's own text is quoted as evidence."""
MOTIVATION = f"Zie p. 3 {SCRIPT} {TEMPLATE} {MARKUP}"
FILE = "uea [b] {{ 7*7777 }} <i>.pdf"
Run = Callable[..., Result]


@dataclass(frozen=True)
class Hostile:
    root: Path
    outputs: dict[str, Result]
    outside_before: dict[str, bytes]


def _outside(root: Path) -> dict[str, bytes]:
    """Every file under the dossier's parent but reports/, the PDF cache and the record's lock."""
    found = {}
    for path in sorted(root.parent.rglob("*")):
        relative = path.relative_to(root.parent)
        parts = relative.parts
        derived = len(parts) > 1 and parts[1] in (REPORTS, ".tender-cache")
        if path.is_file() and not derived and path.name != LOCK_NAME:
            found[relative.as_posix()] = path.read_bytes()
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    root = build_base(
        tmp_path_factory.mktemp("hostile") / "dossier",
        motivate=lambda bid, sub, text: f"{text} {MOTIVATION}",
    )
    bid = f"submissions/{BID}/bid.yaml"
    set_value(root, bid, "name:", json.dumps(NAME))
    set_value(root, bid, "name:@2", json.dumps(f"Anna {SCRIPT} {MARKUP}"))
    folder = root / "submissions" / BID
    (folder / "uea.pdf").rename(folder / FILE)
    write(root, bid, read(root, bid).replace("file: uea.pdf", f"file: {json.dumps(FILE)}"))
    write(
        root,
        f"submissions/{NAMED_BID}/kwaliteitsplan.pdf",
        plan_pdf(f"{bidder_name(root, NAMED_BID)} {SCRIPT} {TEMPLATE} {MARKUP}"),
    )
    set_value(root, "criteria/award.yaml", "title:@2", json.dumps(f"Samenwerking {SCRIPT}"))
    set_value(root, "criteria/suitability.yaml", "title:@4", json.dumps(f"Omzet {SCRIPT}"))
    set_value(root, "criteria/committee.yaml", "name:@2", json.dumps(f"Ruben {MARKUP}"))
    reopen(root)  # these are the bids and criteria as they were opened
    outside_before = _outside(root)
    runner = CliRunner()
    outputs = {}
    for words in (
        ["run"],
        ["bids", "show", BID],
        ["bids", "show", BID, "--json"],
        ["decide"],
        ["history", BID],
        ["consensus", "show", "--bid", BID],
        ["phase"],
        ["audit", "--all"],
        ["export", "json"],
        ["export", "ocds"],
        ["export", "csv"],
        ["export", "xlsx"],
    ):
        result = runner.invoke(cli, [*words, "--dossier", str(root)])
        outputs[" ".join(words)] = result
    return Hostile(root, outputs, outside_before)


def test_every_command_accepts_the_text_as_text(hostile: Hostile) -> None:
    for words, result in hostile.outputs.items():
        assert result.exit_code == 0, (words, result.output)
        assert "Traceback" not in result.output, words
        assert EVALUATED not in result.output, words


def test_nothing_is_written_outside_reports(hostile: Hostile) -> None:
    assert _outside(hostile.root) == hostile.outside_before
    written = {path.relative_to(hostile.root).parts[:2] for path in _rendered(hostile.root)}
    assert {parts[0] for parts in written} == {REPORTS}


def _rendered(root: Path) -> list[Path]:
    return [path for path in sorted((root / REPORTS).rglob("*")) if path.is_file()]


def test_no_rendered_file_runs_the_text_as_a_template(hostile: Hostile) -> None:
    files = _rendered(hostile.root)
    assert {path.suffix for path in files} >= {".html", ".pdf", ".json", ".csv", ".xlsx"}
    for path in files:
        assert EVALUATED.encode() not in path.read_bytes(), path


def test_no_html_lets_the_text_out_of_escaping(hostile: Hostile) -> None:
    pages = [path for path in _rendered(hostile.root) if path.suffix == ".html"]
    assert len(pages) >= 7  # five letters, the report, the audit
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert "<script>" not in page and "<img src=x" not in page and "<i>.pdf" not in page


def test_the_letters_name_the_bidder_as_written_in_html_and_pdf(hostile: Hostile) -> None:
    letters = hostile.root / REPORTS / "letters"
    for letter in sorted(letters.glob("*.html")):
        page = letter.read_text(encoding="utf-8")
        assert all(escaped in page for escaped in ESCAPED), letter.name
        assert NAME in html_text(page), letter.name  # awarded: named in every letter
    own = letters / f"{BID}.html"
    assert MOTIVATION in html_text(own.read_text(encoding="utf-8"))
    text = pdf_text((letters / f"{BID}.pdf").read_bytes())
    for part in (SCRIPT, ATTRIBUTE, TEMPLATE, SEVEN, STATEMENT, MARKUP, "&amp;"):
        assert part in text, part


def test_the_plan_that_names_its_bidder_is_quoted_as_text(hostile: Hostile) -> None:
    letter = (hostile.root / REPORTS / "letters" / f"{NAMED_BID}.html").read_text(encoding="utf-8")
    assert "kwaliteitsplan moest anoniem zijn, maar vermeldt op pagina 2 uw naam" in (
        html_text(letter)
    )
    report = next((hostile.root / REPORTS / "evaluation-report").glob("*.html"))
    page = report.read_text(encoding="utf-8")
    assert NAME in html_text(page) and MOTIVATION in html_text(page)
    shown = json.loads(hostile.outputs[f"bids show {BID} --json"].stdout)
    assert shown["bidder"] == NAME
    assert FILE in json.dumps(shown, ensure_ascii=False)


def test_the_terminal_shows_markup_literally(hostile: Hostile) -> None:
    shown = hostile.outputs[f"bids show {BID}"].stdout
    assert "[bold]vet[/bold] [/]" in shown
    assert "[b] {{ 7*7777 }} <i>.pdf" in shown
    assert "[link=https://example.com]klik[/link]" in hostile.outputs[f"history {BID}"].stdout


def test_exports_carry_the_text_as_data(hostile: Hostile) -> None:
    exports = hostile.root / REPORTS / "exports"
    document = json.loads(next((exports / "json").glob("*-result.json")).read_text("utf-8"))
    assert NAME in set(_strings(document))
    package = json.loads(next((exports / "ocds").glob("*.json")).read_text("utf-8"))
    assert NAME in {party.get("name") for party in package["releases"][0]["parties"]}
    rows = [
        cell
        for path in (exports / "csv").glob("*.csv")
        for row in csv.reader(io.StringIO(path.read_text("utf-8")))
        for cell in row
    ]
    assert NAME in rows


def _strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('"Zorg\\u0007 B.V."', "control character U+0007 (written as an escape)"),
        ('"Zorg\\u001b[31m B.V."', "control character U+001B (written as an escape)"),
        ("Zorg \u202eV.B", "the invisible direction control U+202E"),
        ('"Zorg \\u2066B.V."', "the invisible direction control U+2066"),
    ],
)
def test_hidden_characters_in_a_name_are_refused_where_they_are_written(
    tmp_path: Path, run_cli: Run, text: str, shown: str
) -> None:
    root = build_base(tmp_path / "dossier")
    line = set_value(root, f"submissions/{BID}/bid.yaml", "name:", text)

    result = run_cli("check", "--dossier", str(root))

    assert result.exit_code == 1
    field = "bidder.name: " if "escape" in shown or "2066" in shown else ""
    assert result.stderr.startswith(f"submissions/{BID}/bid.yaml:{line}: {field}"), result.stderr
    assert shown in result.stderr


@pytest.mark.parametrize("motivation", ["Goed\x07", "Goed \u202enalp", "Goed\x1b[2J"])
def test_hidden_characters_in_a_motivation_are_refused_and_nothing_recorded(
    tmp_path: Path, run_cli: Run, motivation: str
) -> None:
    root = build_base(tmp_path / "dossier")
    (root / SCORES_FOLDER / LEDGER_NAME).unlink()
    (root / SCORES_FOLDER / "ledger.head").unlink()

    result = run_cli(
        "score", "set", "-e", "jvanrijn", BID, "visie", "8", "-m", motivation, "-d", str(root)
    )

    assert result.exit_code == 1, result.output
    assert "a motivation may not contain the invisible control character U+" in result.stderr
    assert not (root / SCORES_FOLDER / LEDGER_NAME).exists()
    with pytest.raises(Exception, match="may not contain"):
        acting_recorder(load_dossier(root)).record_score(
            "jvanrijn", BID, "visie", score=Decimal(8), motivation=motivation
        )


def test_a_yaml_tag_that_would_run_a_command_is_refused_at_its_line(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_base(tmp_path / "dossier")
    monkeypatch.chdir(tmp_path)
    text = '!!python/object/apply:os.system ["touch PWNED"]'
    line = set_value(root, f"submissions/{BID}/bid.yaml", "name:", text)

    result = run_cli("run", "--dossier", str(root))

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"submissions/{BID}/bid.yaml:{line}: bidder.name: YAML tag "
        "'!!python/object/apply:os.system' is not allowed"
    )
    assert not list(tmp_path.rglob("PWNED")) and not Path(os.sep, "PWNED").exists()
    assert not (root / REPORTS).exists()


@pytest.mark.parametrize(
    "path", ["../evil.html", "../../evil.html", "/tmp/evil.html", "a/../../evil.html"]
)
def test_publish_refuses_a_path_outside_its_set_and_keeps_the_old_one(
    tmp_path: Path, path: str
) -> None:
    root = tmp_path / "dossier"
    old = [Rendered(PurePosixPath("bid-001.html"), b"<p>oud</p>")]
    publish(root, "letters", old)

    with pytest.raises(RenderError, match="refused to write outside reports/"):
        publish(
            root,
            "letters",
            [
                Rendered(PurePosixPath("bid-001.html"), b"nieuw"),
                Rendered(PurePosixPath(path), b"x"),
            ],
        )

    assert (root / REPORTS / "letters" / "bid-001.html").read_bytes() == b"<p>oud</p>"
    assert sorted(p.name for p in (root / REPORTS).iterdir()) == ["letters"]
    assert not list(tmp_path.rglob("evil.html"))
