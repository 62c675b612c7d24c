"""No page makes the reader's browser contact another host (real headless Chromium).

A public authority's site must not send its visitors' addresses elsewhere; Material
fetched ``sitemap.xml`` beside every ``rel=alternate`` link's address, so the feed link,
when it was absolute, sent every page view to the production host, the staff preview's
too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from helpers import case_text, repository_register, serve

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = ["", "register/", "register/ar/2024/", "beslut/run-138-2024/", "beslut/run-1-2023/",
         "sok/?q=projekt", "tillganglighet/", "saknas/"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # The repository's own register: its theme settings (no web fonts) and its site_url,
    # the production host a page must not contact.
    site = repository_register(tmp_path_factory.mktemp("hosts") / "project")
    site.write_case("utan.md", case_text(diary_number="RUN/1/2023", date="2023-05-02",
                                         funding=None))
    result = site.build(env={"BESLUTSREGISTER_TODAY": "2024-06-01"})
    assert result.returncode == 0, result.stderr
    with serve(site.site) as address:  # as a static host serves it, 404.html too
        yield address


def test_no_page_type_contacts_another_host(served: str) -> None:
    assert CHROMIUM.exists(), "the browser tests need Debian's chromium: apt-get install chromium"
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            for path in PAGES:
                page.goto(served + path)
                page.wait_for_load_state("networkidle")
        finally:
            browser.close()
    assert len(requests) > len(PAGES)  # pages, their styles and scripts were loaded
    assert [url for url in requests if not url.startswith(served)] == []
