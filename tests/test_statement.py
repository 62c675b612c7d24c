"""Accessibility (DOS-lagen, WCAG 2.1 AA): the accessibility statement from the options,
its validation and its yearly warning, the 404 page and footer in Swedish, and a skip
link on every page."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from beslutsregister.adapter.config import RegisterConfig
from beslutsregister.adapter.skiplink import SKIP_TARGET, add_skip_link
from beslutsregister.core.statement import (
    DEFAULT_KNOWN_ISSUES,
    DIGG_REPORT_URL,
    AccessibilityFacts,
    assessment_overdue,
    statement_markdown,
)
from helpers import MKDOCS_YML, Site, case_text, copy_seeds, make_site

ACCESSIBILITY = """\
      accessibility:
        authority: Region Norr & Syd
        service: Beslutsregistret
        contact_email: tillganglighet@region.example.se
        contact_phone: "063-14 75 00"
        compliance: delvis
        assessed_on: {assessed_on}
        assessment_method: en extern granskning av Granskarna AB
        updated_on: "2024-05-20"
        known_issues:
          - Diagrammet över beslut per år saknar textalternativ <b>ännu</b>.
          - PDF-bilagor från före 2023 är inte tillgänglighetsanpassade.
"""


def config_with(accessibility: str, today: str = "2024-06-01") -> str:
    return MKDOCS_YML.format(today=today).replace("nav:\n", accessibility + "nav:\n")


def accessible_site(tmp_path: Path, assessed_on: str = "2024-03-15") -> Site:
    site = make_site(tmp_path / "site", config=config_with(
        ACCESSIBILITY.format(assessed_on=assessed_on)))
    site.write_case("a.md", case_text())
    return site


def validate(accessibility: object) -> list[tuple[str, str]]:
    config = RegisterConfig()
    config.load_dict({"accessibility": accessibility})
    failed, _ = config.validate()
    return [(key, str(error)) for key, error in failed]


# -- the statement page ----------------------------------------------------------------------

def test_statement_page_has_every_fact_from_the_options(tmp_path: Path) -> None:
    site = accessible_site(tmp_path)
    site.built()
    page = site.page("tillganglighet")
    for piece in [
        "<h1 id=\"tillganglighetsredogorelse\">Tillgänglighetsredogörelse",
        "Region Norr &amp; Syd står bakom webbplatsen Beslutsregistret.",
        "Webbplatsen är <strong>delvis förenlig</strong> med lagen om tillgänglighet till "
        "digital offentlig service.",
        "<li>Diagrammet över beslut per år saknar textalternativ &lt;b&gt;ännu&lt;/b&gt;.</li>",
        "<li>PDF-bilagor från före 2023 är inte tillgänglighetsanpassade.</li>",
        "Vi har bedömt webbplatsen genom en extern granskning av Granskarna AB. Den senaste "
        "bedömningen gjordes 15 mars 2024.",
        "Redogörelsen uppdaterades senast 20 maj 2024.",
        'e-post <a href="mailto:tillganglighet@region.example.se">'
        "tillganglighet@region.example.se</a>",
        'telefon <a href="tel:063147500">063-14 75 00</a>',
        f'<a href="{DIGG_REPORT_URL}">anmäl bristande tillgänglighet till DIGG</a>',
    ]:
        assert piece in page, piece
    assert "<b>ännu</b>" not in page
    assert DIGG_REPORT_URL == "https://www.digg.se/tdosanmalan"
    # In the navigation of every page, like the docs pages.
    assert '<a href="tillganglighet/" class="md-nav__link">' in site.page("")


def test_statement_defaults() -> None:
    facts = AccessibilityFacts.from_options({}, "Testregister")
    text = statement_markdown(facts, date(2024, 6, 1))
    assert (facts.authority, facts.service, facts.compliance) == (
        "Testregister", "Testregister", "delvis")
    assert facts.known_issues == DEFAULT_KNOWN_ISSUES
    assert "Testregister står bakom den här webbplatsen." in text
    assert "<strong>delvis förenlig</strong>" in text
    assert "Någon bedömning är ännu inte gjord." in text
    assert "Redogörelsen uppdaterades senast 1 juni 2024." in text
    assert DIGG_REPORT_URL in text
    full = AccessibilityFacts.from_options(
        {"compliance": "helt", "assessed_on": "2024-01-02"}, "Testregister")
    text = statement_markdown(full, date(2024, 6, 1))
    assert full.known_issues == ()
    assert "<strong>helt förenlig</strong>" in text
    assert "Vi känner inte till något innehåll som inte är tillgängligt." in text
    assert "Redogörelsen uppdaterades senast 2 januari 2024." in text  # = assessed_on


@pytest.mark.parametrize(("accessibility", "message"), [
    ({"assessed_on": "2024-02-30"},
     "Sub-option 'assessed_on': '2024-02-30' is not a real calendar date; expected YYYY-MM-DD"),
    ({"updated_on": "1 juni 2024"},
     "Sub-option 'updated_on': '1 juni 2024' is not a date; expected YYYY-MM-DD"),
    ({"compliance": "nästan"}, "Sub-option 'compliance': Expected one of: "
     "('helt', 'delvis', 'inte') but received: 'nästan'"),
    ({"contact_email": "tillganglighet.example.se"},
     "Sub-option 'contact_email': 'tillganglighet.example.se' is not an e-mail address; "
     "expected e.g. 'tillganglighet@example.se'"),
    ({"contact_phone": 6314750}, "Sub-option 'contact_phone': 6314750 was read as a number "
     "(a leading 0 or + is lost); write it in quotes, e.g. '063-14 75 00'"),
    ({"contact_phone": "ring oss"}, "Sub-option 'contact_phone': 'ring oss' is not a "
     "telephone number; expected e.g. '063-14 75 00'"),
    ({"authority": " "}, "Sub-option 'authority': is empty; expected e.g. "
     "'Region Jämtland Härjedalen'"),
    ({"compliance": "helt", "known_issues": ["Bilder saknar alt-text."]},
     "Sub-option 'known_issues': lists content that is not accessible, but compliance is "
     "'helt'; expected compliance 'delvis' or 'inte', or no known_issues"),
    ({"compliance": "inte", "known_issues": []},
     "Sub-option 'known_issues': is empty, but compliance is 'inte'; expected the content "
     "that is not accessible and why, or compliance 'helt'"),
])
def test_invalid_options_are_refused(accessibility: dict[str, object], message: str) -> None:
    assert validate(accessibility) == [("accessibility", message)]


def test_valid_options_are_accepted() -> None:
    assert validate({}) == []
    assert validate({"assessed_on": date(2024, 3, 15), "contact_phone": "+46 63 14 75 00",
                     "compliance": "helt"}) == []


@pytest.mark.parametrize(("assessed_on", "today", "overdue"), [
    (date(2023, 6, 1), date(2024, 6, 1), False),  # exactly a year
    (date(2023, 5, 31), date(2024, 6, 1), True),
    (date(2023, 2, 28), date(2024, 2, 29), False),
    (date(2023, 2, 27), date(2024, 2, 29), True),
])
def test_assessment_overdue_after_a_year(assessed_on: date, today: date, overdue: bool) -> None:
    facts = AccessibilityFacts("A", "B", assessed_on=assessed_on)
    assert (assessment_overdue(facts, today) is not None) == overdue


def test_old_assessment_warns_and_fails_a_strict_build(tmp_path: Path) -> None:
    site = accessible_site(tmp_path, assessed_on="2023-05-31")  # today is 2024-06-01
    result = site.build()
    assert result.returncode != 0
    assert ("WARNING -  beslutsregister: the accessibility assessment (accessibility: "
            "assessed_on 2023-05-31) is 367 days old, more than a year; assess the site "
            "again and update assessed_on") in result.stderr
    assert not site.site.exists()  # a failed build publishes nothing
    recent = accessible_site(tmp_path / "recent", assessed_on="2023-06-01")
    result = recent.build()
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


# -- Swedish everywhere, and a skip link on every page --------------------------------------

class _Ids(HTMLParser):
    """Where each id, the first <h1> and the skip links are, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.position = 0
        self.ids: dict[str, int] = {}
        self.h1: int | None = None
        self.skips: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.position += 1
        found = dict(attrs)
        if found.get("id"):
            self.ids[str(found["id"])] = self.position
        if tag == "h1" and self.h1 is None:
            self.h1 = self.position
        if tag == "a" and "md-skip" in (found.get("class") or "").split():
            self.skips.append(str(found.get("href")))


def test_skip_link_on_every_page_before_the_h1(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    copy_seeds(site)
    site.built()
    pages = sorted(site.site.rglob("*.html"))
    kinds = {p.relative_to(site.site).parts[0] for p in pages}
    assert {"404.html", "index.html", "beslut", "register", "sok", "tillganglighet"} <= kinds
    assert any("ar" in p.parts for p in pages) and any("enhet" in p.parts for p in pages)
    for path in pages:
        html = path.read_text("utf-8")
        parser = _Ids()
        parser.feed(html)
        assert parser.skips == [f"#{SKIP_TARGET}"], path
        assert '<a href="#__innehall" class="md-skip">Till innehållet</a>' in html, path
        assert parser.h1 is not None, path
        assert parser.ids[SKIP_TARGET] < parser.h1, path


def test_skip_link_leaves_other_templates_alone() -> None:
    assert add_skip_link("<html><body><p>Egen mall</p></body></html>") == (
        "<html><body><p>Egen mall</p></body></html>")


def test_404_page_and_footer_in_swedish(tmp_path: Path) -> None:
    site = accessible_site(tmp_path)
    site.built()
    missing = (site.site / "404.html").read_text("utf-8")
    assert "<h1>Sidan finns inte</h1>" in missing
    assert '<a href="/">Till startsidan</a>' in missing
    footer = ('<p class="br-footer"><span class="br-footer__authority">Region Norr &amp; '
              'Syd</span><span aria-hidden="true"> · </span><span>E-post <a href="mailto:'
              'tillganglighet@region.example.se">tillganglighet@region.example.se</a></span>'
              '<span aria-hidden="true"> · </span><span>Telefon <a href="tel:063147500">'
              '063-14 75 00</a></span><span aria-hidden="true"> · </span>'
              '<a href="{}">Tillgänglighetsredogörelse</a></p>')
    assert footer.format("/tillganglighet/") in missing
    assert footer.format("tillganglighet/") in site.page("")
    assert footer.format("../../tillganglighet/") in site.page("beslut/run-1-2024")
    for path in site.site.rglob("*.html"):
        html = path.read_text("utf-8")
        assert not re.search(r"Not found|Made with", html), path
        assert "Tillgänglighetsredogörelse</a></p>" in html, path
