"""Shared fixtures: dossiers written into ``tmp_path`` from a dict of files, and the CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tender.cli import cli
from tender.io.keyfiles import KEYS_ENV, PASSPHRASE_ENV
from tender.io.scaffold import create_dossier
from tests.keys import keyed, write_keys

REPO_ROOT = Path(__file__).resolve().parent.parent

VALID_BID = """\
bidder:
  name: Thuiszorg Zonnebloem B.V.
  trade_register: "12345678"
  address:
    street: Kerkstraat 1
    postal_code: 1234 AB
    city: Voorbeeld
  contact:
    name: Anna de Vries
    email: anna@zonnebloem.example
received: 2026-11-09T10:15:00+01:00
financials:
  annual_turnover_eur: 250000
  equity_ratio: 0.31
references:
  - client: Gemeente Elders
    service: Huishoudelijke hulp
    year: 2025
  - client: Gemeente Anders
    service: Begeleiding
    year: 2024
documents:
  kwaliteitsplan:
    file: kwaliteitsplan.pdf
  uea:
    file: uea.pdf
"""

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

DossierFactory = Callable[..., Path]

TODAY = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
"""What the machine's clock says during a test (12:00 in Amsterdam on Tuesday 1 December 2026),
three weeks after the test dossiers' deadline: the record's rules read the clock, and a test
must not depend on the day it runs."""


class SetClock:
    """The machine's clock as the record reads it (``tender.record.ledger.utc_now``), set by a test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session", autouse=True)
def member_keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test member's private key in a keys folder of the session, as ``$TENDER_KEYS``.

    Set in the environment, so that the commands a test runs, in-process or not, act with
    them; no passphrase (``$TENDER_PASSPHRASE`` unset), as for the example's keys.
    """
    folder = tmp_path_factory.mktemp("keys")
    write_keys(folder)
    saved = {name: os.environ.get(name) for name in (KEYS_ENV, PASSPHRASE_ENV)}
    os.environ[KEYS_ENV] = str(folder)
    os.environ.pop(PASSPHRASE_ENV, None)
    yield folder
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[SetClock]:
    """Every test runs at :data:`TODAY` unless it moves the clock (processes it starts do not)."""
    fixed = SetClock(TODAY)
    monkeypatch.setattr("tender.record.ledger.utc_now", fixed)
    yield fixed


def write_tree(root: Path, files: Mapping[str, str | bytes | None]) -> None:
    """Write ``files`` (relative path -> text or bytes) under ``root``; None deletes the file."""
    for relative, content in files.items():
        path = root / relative
        if content is None:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def make_dossier(tmp_path: Path) -> DossierFactory:
    """A valid dossier (the ``init`` templates plus one bid), changed by the files given."""

    def factory(files: Mapping[str, str | bytes | None] | None = None) -> Path:
        root = tmp_path / "dossier"
        create_dossier(root)
        committee = root / "criteria" / "committee.yaml"
        committee.write_text(keyed(committee.read_text(encoding="utf-8")), encoding="utf-8")
        write_tree(
            root,
            {
                "submissions/bid-001/bid.yaml": VALID_BID,
                "submissions/bid-001/kwaliteitsplan.pdf": MINIMAL_PDF,
                "submissions/bid-001/uea.pdf": MINIMAL_PDF,
            },
        )
        write_tree(root, files or {})
        return root

    return factory


def read(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8")


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Invoke the CLI in-process, as a user would type it."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke
