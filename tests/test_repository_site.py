"""The repository's own register (mkdocs.yml, docs/, cases/) builds as it is published."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Site, repository_register


@pytest.fixture(scope="module")
def repository_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = repository_register(tmp_path_factory.mktemp("repository") / "project")
    result = site.build(env={"BESLUTSREGISTER_TODAY": "2024-06-01"})
    assert result.returncode == 0, result.stderr
    return site


def html_pages(site: Site) -> list[Path]:
    return sorted(site.site.rglob("*.html"))


def test_no_page_has_a_hidden_scheme_toggle(repository_site: Site) -> None:
    """One colour scheme, so no toggle: its hidden radio button took keyboard focus."""
    pages = html_pages(repository_site)
    assert len(pages) >= 10
    for page in pages:
        assert 'name="__palette"' not in page.read_text(encoding="utf-8"), page


def test_every_page_is_swedish_and_has_the_schemes_colours(repository_site: Site) -> None:
    for page in html_pages(repository_site):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="sv"' in html, page
        assert 'data-md-color-primary="indigo"' in html, page
