"""Fixtures; the helpers they use are in ``helpers.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from helpers import Site, make_site

#: Debian's chromium, started as the browser tests run it (headless, no sandbox as root).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """An empty register project (programmes, start page, fixed clock 2024-06-01)."""
    return make_site(tmp_path / "project")


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium; a test run without it fails (CI installs it), never skips."""
    assert CHROMIUM.is_file(), (
        f"browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
