"""The staff preview: a real `mkdocs serve` shows drafts and embargoes with banners,
marks every page noindex, and refreshes when a case file changes."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import HOSTILE_BODY, Site, case_text, make_site, start_preview


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    page = None
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and text in page:
            return page
        time.sleep(0.1)
    raise AssertionError(f"{url} did not show {text!r} within {timeout} s; last: {page!r:.300}")


class Preview:
    def __init__(self, site: Site, port: int) -> None:
        self.site, self.base = site, f"http://127.0.0.1:{port}/"

    def wait_for(self, path: str, text: str) -> str:
        return _wait_for(self.base + path, text)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    site = make_site(tmp_path_factory.mktemp("preview") / "project", today="2024-06-01")
    site.write_case("public.md", case_text(diary_number="RUN/1/2024", title="Publicerat"))
    site.write_case("draft.md", case_text(diary_number="RUN/2/2024", title="Mitt utkast",
                                          status="draft"))
    site.write_case("embargo.md", case_text(diary_number="RUN/3/2024", title="Under embargo",
                                            publish_after="2024-07-01"))
    site.write_case("hostile.md", case_text(diary_number="RUN/5/2024", title="Fientligt",
                                            body=HOSTILE_BODY))
    server, port = start_preview(site)
    try:
        yield Preview(site, port)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
        assert "Traceback" not in stderr, stderr


def test_draft_page_has_banner_and_noindex(preview: Preview) -> None:
    page = preview.wait_for("beslut/run-2-2024/", "Mitt utkast")
    assert "Utkast – ej publicerat" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_embargoed_page_shows_its_publication_date(preview: Preview) -> None:
    page = preview.wait_for("beslut/run-3-2024/", "Under embargo")
    assert "Publiceras 2024-07-01" in page


def test_lists_show_the_banners(preview: Preview) -> None:
    year = preview.wait_for("register/ar/2024/", "Mitt utkast")
    assert "Utkast – ej publicerat" in year and "Publiceras 2024-07-01" in year
    assert '<meta name="robots" content="noindex, nofollow">' in year


def test_a_preview_sanitizes_case_bodies_like_a_build(preview: Preview) -> None:
    page = preview.wait_for("beslut/run-5-2024/", "Klicka här")
    article = page.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
    assert '<p>Klicka här</p>' in article and '<a href="#finansiering">' in article
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "alert("):
        assert bad not in article, bad


def test_editing_a_case_file_refreshes_the_preview(preview: Preview) -> None:
    preview.wait_for("beslut/run-2-2024/", "Mitt utkast")
    preview.site.write_case("draft.md", case_text(diary_number="RUN/2/2024",
                                                  title="Omskrivet utkast", status="draft"))
    page = preview.wait_for("beslut/run-2-2024/", "Omskrivet utkast")
    assert "Utkast – ej publicerat" in page
    # Unchanged pages are still served after the incremental rebuild.
    assert "Publicerat" in preview.wait_for("beslut/run-1-2024/", "Publicerat")
    assert "Omskrivet utkast" in preview.wait_for("register/ar/2024/", "Omskrivet utkast")


def test_a_new_case_file_appears_and_a_deleted_one_goes(preview: Preview) -> None:
    path: Path = preview.site.write_case(
        "new.md", case_text(diary_number="RUN/4/2024", title="Helt nytt"))
    preview.wait_for("beslut/run-4-2024/", "Helt nytt")
    path.unlink()
    deadline = time.monotonic() + 60
    while _get(preview.base + "beslut/run-4-2024/") is not None:
        assert time.monotonic() < deadline, "deleted case still served"
        time.sleep(0.1)
