"""The audit's HTML report in a real browser: headless Chromium renders it offline to a PNG.

The screenshot is kept as a test artefact in tests/artifacts/ (git-ignored) for a person
to look at. Without Chromium the test is skipped with the reason, unless
TENDER_REQUIRE_BROWSER is set (CI sets it, and .ci/run installs Chromium), in which
case it fails: a report nobody saw rendered does not count as checked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from tender.cli import cli
from tests.conftest import REPO_ROOT
from tests.test_audit_cli import copy_example

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
WIDTH, HEIGHT = 1200, 2000


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    message = "Chromium is not installed (apt-get install chromium; .ci/run does this)"
    if os.environ.get("TENDER_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def screenshot(program: str, page: Path, png: Path, profile: Path) -> None:
    command = [
        program,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        f"--window-size={WIDTH},{HEIGHT}",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert png.is_file(), done.stderr


def test_the_audit_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    program = browser()
    root = copy_example(tmp_path / "example")
    result = CliRunner().invoke(cli, ["audit", "--dossier", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = root / "reports" / "audit" / "audit.html"
    png = tmp_path / "audit.png"
    screenshot(program, page, png, tmp_path / "profile")

    with Image.open(png) as image:
        assert image.size == (WIDTH, HEIGHT)
        pixels = image.convert("RGB")
        counted = pixels.getcolors(maxcolors=WIDTH * HEIGHT) or []
    colours = [(count, colour) for count, colour in counted if isinstance(colour, tuple)]
    white = sum(count for count, colour in colours if min(colour) >= 245)
    assert len(colours) > 200, "the page looks blank: hardly any colours"
    assert white < 0.9 * WIDTH * HEIGHT, "the page looks blank: almost all white"
    orange = sum(count for count, (r, g, b, *_) in colours if r > 200 and 60 < g < 130 and b < 40)
    assert orange > 500, "no fragile decision is drawn in the margin chart"

    ARTIFACTS.mkdir(exist_ok=True)
    kept = ARTIFACTS / "audit.png"
    shutil.copyfile(png, kept)
    print(f"screenshot of the audit report: {kept}")
