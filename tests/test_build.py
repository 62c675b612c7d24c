"""End to end: real ``mkdocs build --strict`` runs of small registers, checked in the HTML.

Building is the slow part, so each module-scoped site is built once and many tests read it:
``seed_site`` holds the two real decisions; ``mixed_site`` holds drafts, embargoes, hostile
titles and bodies, a protected officer and masked text.
"""

from __future__ import annotations

import gc
import json
import posixpath
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from helpers import HOSTILE_BODY, PROGRAMMES, Site, case_text, copy_seeds, make_site

NBSP = "\u00a0"

CONFIG = """\
site_name: Testregister
site_url: https://register.example.se/
use_directory_urls: {directory_urls}
theme:
  name: material
  language: sv
plugins:
  - search:
      lang: sv
  - beslutsregister:
      today: "2024-06-01"
nav:
  - Start: index.md
"""


def config(directory_urls: bool = True) -> str:
    return CONFIG.format(directory_urls=str(directory_urls).lower())


# -- reading HTML ----------------------------------------------------------------------------


class Page(HTMLParser):
    """What the tests need from one page: tables, headings, nav links and texts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.tables: list[tuple[str, list[list[str]]]] = []  # (class, rows of cell texts)
        self.h2: list[str] = []
        self.nav_links: list[tuple[str, str]] = []  # (href, text) inside any <nav>
        self.links: list[str] = []
        self._nav_depth = 0
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._h2: list[str] | None = None
        self._nav_link: list[str] | None = None
        self._href = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "nav":
            self._nav_depth += 1
        elif tag == "table":
            self.tables.append((attributes.get("class") or "", []))
        elif tag == "tr" and self.tables:
            self._row = []
            self.tables[-1][1].append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        elif tag == "h2":
            self._h2 = []
        elif tag == "a":
            self._href = attributes.get("href") or ""
            self.links.append(self._href)
            if self._nav_depth:
                self._nav_link = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._nav_depth -= 1
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split(" ")).strip())
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "h2" and self._h2 is not None:
            self.h2.append("".join(self._h2).strip())
            self._h2 = None
        elif tag == "a" and self._nav_link is not None:
            self.nav_links.append((self._href, " ".join("".join(self._nav_link).split())))
            self._nav_link = None

    def handle_data(self, data: str) -> None:
        for collector in (self._cell, self._h2, self._nav_link):
            if collector is not None:
                collector.append(data)

    # -- views

    def table(self, cls: str) -> list[list[str]]:
        found = [rows for c, rows in self.tables if cls in c.split()]
        assert len(found) == 1, f"expected one table.{cls}"
        return found[0]

    def list_tables(self) -> list[list[list[str]]]:
        return [rows for c, rows in self.tables if "br-list" in c.split()]

    def facts(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.table("br-facts") if len(row) == 2}

    def diary_numbers(self) -> list[str]:
        """Diary numbers listed in the page's case tables, in order."""
        return re.findall(r'<th scope="row"><span class="br-diary">([^<]*)</span>', self.html)

    def raw(self, element: str) -> list[str]:
        """Raw inner HTML of every ``<element>`` (no nesting), as published."""
        return re.findall(rf"<{element}\b[^>]*>(.*?)</{element}>", self.html, re.DOTALL)


def open_page(site: Site, url_path: str) -> Page:
    return Page(site.page(url_path))


def html_pages(site: Site) -> Iterator[tuple[Path, str]]:
    for path in sorted(site.site.rglob("*.html")):
        yield path, path.read_text(encoding="utf-8")


def nav_hrefs(page: Page) -> list[str]:
    return [href for href, _ in page.nav_links]


def is_case_link(href: str) -> bool:
    return re.search(r"(^|/)beslut/", href) is not None


# -- the seed register -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = make_site(tmp_path_factory.mktemp("seeds") / "project", config=config())
    copy_seeds(site)
    site.built()
    return site


SEED_138_FACTS = {
    "Diarienummer": "RUN/138/2024",
    "Ärendemening": "Projekt: Stärka samarbeten med regioner i EU utifrån S3",
    "Beslutsdatum": "23 februari 2024",
    "Enhet": "Samhällsutveckling",
    "Handläggare": "Ingrid Ahnlund Rode\nE-post: ingrid.ahnlund-rode@regionjh.se",
    "Beslutsfattare": "Magnus Aspegren, Regional utvecklingsdirektör",
    "Delegation": "Delegationsbestämmelser för regionala utvecklingsnämnden i Region Jämtland "
                  "Härjedalen 2023–2026, punkt 8.2",
    "Projekt": "Stärka samarbeten med regioner i EU utifrån smart specialisering",
    "Projektperiod": "1 mars 2024 – 30 november 2024",
    "Projektets budget": f"920{NBSP}000{NBSP}kr",
    "Finansiering": f"920{NBSP}000{NBSP}kr (se fördelning)",
    "Anmäls till": "Regionala utvecklingsnämnden",
    "Utdrag till": "Tillväxtverket",
}

SEED_245_FACTS = {
    "Diarienummer": "RUN/245/2021",
    "Ärendemening": "Deltagande i projekt CO-RESPONS",
    "Beslutsdatum": "15 mars 2021",
    "Enhet": "Näringsliv och samhällsbyggnad",
    "Handläggare": "Åsa Hernerud\nE-post: asa.hernerud@regionjh.se\nTelefon: 063146529",
    "Beslutsfattare": "Anna Halvarsson, Områdeschef Hållbar tillväxt",
    "Delegation": "Delegationsbestämmelser för regionala utvecklingsnämnden i Region Jämtland "
                  "Härjedalen 2019–2022, punkt 8.1",
    "Projekt": "CO-RESPONS",
    "Projektperiod": "1 april 2021 – 31 oktober 2023",
    "Finansiering": f"2{NBSP}698{NBSP}740{NBSP}kr (se fördelning)",
    "Anmäls till": "Regionala utvecklingsnämnden",
}


@pytest.mark.parametrize(
    ("url", "expected"),
    [pytest.param("beslut/run-138-2024", SEED_138_FACTS, id="RUN-138-2024"),
     pytest.param("beslut/run-245-2021", SEED_245_FACTS, id="RUN-245-2021")],
)
def test_seed_facts(seed_site: Site, url: str, expected: dict[str, str]) -> None:
    page = open_page(seed_site, url)
    facts = page.facts()
    assert {label: facts.get(label) for label in expected} == expected
    for label in expected:  # row headers for screen readers
        assert f'<th scope="row">{label}</th>' in page.html
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">' + expected["Beslutsdatum"], page.html)


def test_seed_without_copies_has_no_copy_row(seed_site: Site) -> None:
    facts = open_page(seed_site, "beslut/run-245-2021").facts()
    assert "Utdrag till" not in facts and "Projektets budget" not in facts


def test_seed_phone_is_exactly_as_written(seed_site: Site) -> None:
    html = seed_site.page("beslut/run-245-2021")
    assert "Telefon: 063146529<" in html
    assert "63146529" not in html.replace("063146529", "")


def test_seed_officer_email_is_a_mailto_link(seed_site: Site) -> None:
    html = seed_site.page("beslut/run-138-2024")
    assert ('<a href="mailto:ingrid.ahnlund-rode@regionjh.se">ingrid.ahnlund-rode@regionjh.se</a>'
            in html)


@pytest.mark.parametrize(
    ("url", "rows"),
    [
        pytest.param("beslut/run-138-2024", [
            ["Tillväxtverket – Stärk era samarbeten med andra regioner i EU utifrån S3",
             "Tillväxtverket", f"460{NBSP}000{NBSP}kr", "Söks från Tillväxtverkets utlysning"],
            ["Egen finansiering", "Region Jämtland Härjedalen", f"460{NBSP}000{NBSP}kr",
             "Arbetstid inom befintliga strategitjänster"],
            ["Summa", "", f"920{NBSP}000{NBSP}kr", ""],
        ], id="RUN-138-2024"),
        pytest.param("beslut/run-245-2021", [
            ["REACT-EU", "Europeiska unionen", f"1{NBSP}798{NBSP}740{NBSP}kr",
             "Sökt belopp från REACT-EU"],
            ["Tillväxtverkets 1:1-anslag (basfinansiering RES)", "Tillväxtverket",
             f"900{NBSP}000{NBSP}kr", "Region Jämtland Härjedalens del av 1 800 000 kronor "
             "över tre år (basfinansiering RES)"],
            ["Summa", "", f"2{NBSP}698{NBSP}740{NBSP}kr", ""],
        ], id="RUN-245-2021"),
    ],
)
def test_seed_funding_per_programme(seed_site: Site, url: str, rows: list[list[str]]) -> None:
    assert open_page(seed_site, url).table("br-funding")[1:] == rows  # after the header row


@pytest.mark.parametrize(
    ("url", "headings"),
    [
        pytest.param("beslut/run-138-2024", ["Ärendebeskrivning", "Beslutsunderlag",
                                             "Delegationsbestämmelse och delegation", "Beslut",
                                             "Anmälan", "Utdrag till", "Finansiering"],
                     id="RUN-138-2024"),
        pytest.param("beslut/run-245-2021", ["Ärendebeskrivning", "Beslutsunderlag",
                                             "Delegationsbestämmelse och delegation", "Beslut",
                                             "Anmälan", "Finansiering"], id="RUN-245-2021"),
    ],
)
def test_seed_body_sections(seed_site: Site, url: str, headings: list[str]) -> None:
    page = open_page(seed_site, url)
    assert page.h2 == headings
    assert page.raw("h1") == [page.facts()["Ärendemening"]]


def test_seed_decision_text_is_published(seed_site: Site) -> None:
    html = seed_site.page("beslut/run-138-2024")
    assert "Magnus Aspegren<br" in html
    assert "1. Region Jämtland Härjedalen avsätter" not in html  # a Markdown list, rendered
    assert "<li>Region Jämtland Härjedalen avsätter arbetstid" in html


@pytest.mark.parametrize(
    ("url", "diary_numbers", "summary"),
    [
        pytest.param("register/ar/2024", ["RUN/138/2024"],
                     f"1 beslut fattade 2024, med finansiering om totalt 920{NBSP}000{NBSP}kr.",
                     id="year-2024"),
        pytest.param("register/ar/2021", ["RUN/245/2021"],
                     f"1 beslut fattade 2021, med finansiering om totalt "
                     f"2{NBSP}698{NBSP}740{NBSP}kr.", id="year-2021"),
        pytest.param("register/enhet/samhallsutveckling", ["RUN/138/2024"],
                     "1 beslut från enheten Samhällsutveckling.", id="unit-samhallsutveckling"),
        pytest.param("register/enhet/naringsliv-och-samhallsbyggnad", ["RUN/245/2021"],
                     "1 beslut från enheten Näringsliv och samhällsbyggnad.",
                     id="unit-naringsliv"),
    ],
)
def test_seed_year_and_unit_pages(
    seed_site: Site, url: str, diary_numbers: list[str], summary: str
) -> None:
    page = open_page(seed_site, url)
    assert page.diary_numbers() == diary_numbers
    assert f"<p>{summary}</p>" in page.html.replace("&nbsp;", NBSP)


@pytest.mark.parametrize(
    ("programme", "diary_numbers", "total"),
    [
        pytest.param("tillvaxtverket-s3", ["RUN/138/2024"], f"460{NBSP}000{NBSP}kr", id="s3"),
        pytest.param("egen-finansiering", ["RUN/138/2024"], f"460{NBSP}000{NBSP}kr", id="egen"),
        pytest.param("react-eu", ["RUN/245/2021"], f"1{NBSP}798{NBSP}740{NBSP}kr", id="react-eu"),
        pytest.param("tillvaxtverket-1-1", ["RUN/245/2021"], f"900{NBSP}000{NBSP}kr", id="1-1"),
    ],
)
def test_seed_programme_pages(
    seed_site: Site, programme: str, diary_numbers: list[str], total: str
) -> None:
    page = open_page(seed_site, f"register/program/{programme}")
    assert page.diary_numbers() == diary_numbers
    assert page.facts()["Summa"] == total
    assert page.facts()["Antal beslut"] == str(len(diary_numbers))
    [listing] = page.list_tables()
    assert listing[1][-1] == total  # the amount column shows this programme's money only


def test_seed_register_start(seed_site: Site) -> None:
    page = open_page(seed_site, "register")
    assert (f"<p>Registret innehåller 2 beslut med finansiering om totalt "
            f"3{NBSP}618{NBSP}740{NBSP}kr.</p>") in page.html.replace("&nbsp;", NBSP)
    years, programmes, units, latest = page.list_tables()
    assert years[1:] == [["2024", "1", f"920{NBSP}000{NBSP}kr"],
                         ["2021", "1", f"2{NBSP}698{NBSP}740{NBSP}kr"]]
    assert programmes[1:] == [
        ["Tillväxtverket – Stärk era samarbeten med andra regioner i EU utifrån S3",
         "Tillväxtverket", "1", f"460{NBSP}000{NBSP}kr"],
        ["REACT-EU", "Europeiska unionen", "1", f"1{NBSP}798{NBSP}740{NBSP}kr"],
        ["Tillväxtverkets 1:1-anslag (basfinansiering RES)", "Tillväxtverket", "1",
         f"900{NBSP}000{NBSP}kr"],
        ["Egen finansiering", "Region Jämtland Härjedalen", "1", f"460{NBSP}000{NBSP}kr"],
    ]
    assert units[1:] == [["Näringsliv och samhällsbyggnad", "1"], ["Samhällsutveckling", "1"]]
    assert [row[0] for row in latest[1:]] == ["RUN/138/2024", "RUN/245/2021"]


def test_case_pages_are_not_in_the_navigation(seed_site: Site) -> None:
    for url in ("", "register", "register/ar/2024", "beslut/run-138-2024"):
        page = open_page(seed_site, url)
        assert [h for h in nav_hrefs(page) if is_case_link(h)] == [], url
    # The navigation is pruned (only its visible part is in each page): from the start
    # page each overview section is one link; inside a section, all its pages are listed.
    start = open_page(seed_site, "")
    assert "register" in {posixpath.normpath(h) for h in nav_hrefs(start)}
    register = open_page(seed_site, "register")
    resolved = {posixpath.normpath(posixpath.join("register", h)) for h in nav_hrefs(register)
                if not h.startswith("#")}
    assert {"register", "register/ar/2024", "register/program/tillvaxtverket-s3",
            "register/enhet/naringsliv-och-samhallsbyggnad"} <= resolved
    assert {"År", "Program", "Enheter"} <= {text for _, text in register.nav_links}
    year = open_page(seed_site, "register/ar/2024")
    assert {"Beslut 2024", "Beslut 2021"} <= {text for _, text in year.nav_links}
    programme = open_page(seed_site, "register/program/react-eu")
    assert {"REACT-EU", "Egen finansiering"} <= {text for _, text in programme.nav_links}


def test_every_page_is_swedish(seed_site: Site) -> None:
    pages = list(html_pages(seed_site))
    assert len(pages) >= 12
    for path, html in pages:
        assert re.search(r'<html\b[^>]*\blang="sv"', html), path


def test_every_internal_link_resolves(seed_site: Site) -> None:
    assert_links_resolve(seed_site)


def assert_links_resolve(site: Site) -> None:
    for path, html in html_pages(site):
        if "assets" in path.parts or path.name == "404.html":  # 404 links from the root
            continue
        here = path.parent.relative_to(site.site).as_posix()
        for href in Page(html).links:
            if not href or re.match(r"^(#|[a-z]+:|//)", href):
                continue
            target = site.site / posixpath.normpath(posixpath.join(here, href.split("#")[0]))
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{path}: {href}"


def test_links_resolve_without_directory_urls(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project", config=config(directory_urls=False))
    copy_seeds(site)
    site.built()
    assert (site.site / "beslut" / "run-138-2024.html").is_file()
    assert_links_resolve(site)


# -- a mixed register: the gate, escaping, sanitizing and privacy ----------------------------

HOSTILE_TITLE = "</title><script>alert(1)</script>"
SECRET_OFFICER = {"name": "Qvintus Skyddsson", "email": "qvintus@example.se",
                  "phone": "0701234567", "protected": True}
DRAFT = {"diary_number": "RUN/901/2024", "title": "Hemligt utkast Zeppelin",
         "unit": "Utkastenheten", "status": "draft",
         "funding": [{"programme": "tillvaxtverket-s3", "amount_sek": 777}]}
EMBARGOED = {"diary_number": "RUN/902/2024", "title": "Embargo Kvasar",
             "unit": "Embargoenheten", "publish_after": "2024-06-02"}


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = make_site(tmp_path_factory.mktemp("mixed") / "project", config=config())
    programmes = dict(PROGRAMMES, **{"program-x": {"name": "Program <B> & C"}})
    (site.cases / "programmes.yml").write_text(
        "\n".join(f"{pid}:\n  name: {json.dumps(p['name'], ensure_ascii=False)}"
                  for pid, p in programmes.items()) + "\n", encoding="utf-8")
    site.write_case("1.md", case_text(
        diary_number="RUN/1/2024", title="Samverkan <Norr> & Syd", date="2024-03-01",
        unit="Enhet <Öst> & Väst",
        funding=[{"programme": "react-eu", "amount_sek": 100000},
                 {"programme": "program-x", "amount_sek": 50000}]))
    site.write_case("2.md", case_text(
        diary_number="RUN/2/2024", title=HOSTILE_TITLE, date="2024-03-01", unit="Zeta",
        body=HOSTILE_BODY, funding=[{"programme": "egen-finansiering", "amount_sek": 20000}]))
    site.write_case("3.md", case_text(
        diary_number="RUN/3/2023", title="Skyddat beslut", date="2023-10-10", unit="Ödmjukhet",
        officer=SECRET_OFFICER, funding=None,
        body="## Beslut\n\nSökande: [[maskera: hemlig text]].\n\n[[maskera 26:1: Hälsa\n"
             "på två rader]]\n"))
    site.write_case("4.md", case_text(
        diary_number="RUN/4/2024", title="Embargot har löpt ut", date="2024-05-01",
        publish_after="2024-06-01", funding=[{"programme": "react-eu", "amount_sek": 30000}]))
    site.write_case("901.md", case_text(**DRAFT))
    site.write_case("902.md", case_text(**EMBARGOED))
    site.built()
    return site


@pytest.mark.parametrize(
    "secret",
    ["RUN/901/2024", "run-901-2024", "Hemligt utkast Zeppelin", "Utkastenheten", "utkastenheten",
     "RUN/902/2024", "run-902-2024", "Embargo Kvasar", "Embargoenheten", "embargoenheten"],
)
def test_drafts_and_embargoed_cases_are_in_no_file(mixed_site: Site, secret: str) -> None:
    leaks = [path for path, text in mixed_site.output_text() if secret in text]
    assert leaks == []


def test_gate_leaves_no_trace_in_groupings(mixed_site: Site) -> None:
    assert not (mixed_site.site / "beslut" / "run-901-2024").exists()
    assert not (mixed_site.site / "register" / "program" / "tillvaxtverket-s3").exists()
    page = open_page(mixed_site, "register")
    assert "<p>Registret innehåller 4 beslut med finansiering om totalt" in page.html
    assert page.diary_numbers()[-4:] == ["RUN/4/2024", "RUN/1/2024", "RUN/2/2024", "RUN/3/2023"]


def test_mixed_year_pages(mixed_site: Site) -> None:
    year = open_page(mixed_site, "register/ar/2024")
    assert year.diary_numbers() == ["RUN/4/2024", "RUN/1/2024", "RUN/2/2024"]
    assert f"totalt 200{NBSP}000{NBSP}kr" in year.html.replace("&nbsp;", NBSP)
    unfunded = open_page(mixed_site, "register/ar/2023")
    assert unfunded.diary_numbers() == ["RUN/3/2023"]
    assert unfunded.list_tables()[0][1][-1] == "–"


def test_case_with_two_programmes_is_on_both_pages(mixed_site: Site) -> None:
    react = open_page(mixed_site, "register/program/react-eu")
    assert react.diary_numbers() == ["RUN/4/2024", "RUN/1/2024"]
    assert react.facts()["Summa"] == f"130{NBSP}000{NBSP}kr"
    other = open_page(mixed_site, "register/program/program-x")
    assert other.diary_numbers() == ["RUN/1/2024"]
    assert other.facts()["Summa"] == f"50{NBSP}000{NBSP}kr"


def test_units_in_swedish_order(mixed_site: Site) -> None:
    _, _, units, _ = open_page(mixed_site, "register").list_tables()
    assert [row[0] for row in units[1:]] == [
        "Enhet <Öst> & Väst", "Samhällsutveckling", "Zeta", "Ödmjukhet"]


@pytest.mark.parametrize(
    ("url", "escaped"),
    [
        pytest.param("beslut/run-1-2024", "Samverkan &lt;Norr&gt; &amp; Syd", id="ampersand"),
        pytest.param("beslut/run-2-2024", "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
                     id="script"),
        pytest.param("register/enhet/enhet-ost-vast", "Enhet &lt;Öst&gt; &amp; Väst", id="unit"),
        pytest.param("register/program/program-x", "Program &lt;B&gt; &amp; C", id="programme"),
    ],
)
def test_titles_are_escaped(mixed_site: Site, url: str, escaped: str) -> None:
    page = open_page(mixed_site, url)
    [title] = page.raw("title")
    assert title.startswith(escaped + " ")
    assert page.raw("h1") == [escaped]


def test_lists_escape_titles(mixed_site: Site) -> None:
    for url in ("register", "register/ar/2024", "register/enhet/zeta"):
        html = mixed_site.page(url)
        assert ">&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>" in html, url
    assert ">Samverkan &lt;Norr&gt; &amp; Syd</a>" in mixed_site.page("register/ar/2024")


def primary_nav(html: str) -> str:
    """Material's primary navigation of a page (nested <nav>s included)."""
    start = html.index('<nav class="md-nav md-nav--primary"')
    depth, end = 0, start
    for match in re.finditer(r"<(/?)nav\b", html[start:]):
        depth += -1 if match[1] else 1
        if depth == 0:
            end = start + match.end()
            break
    return html[start:end]


def test_case_pages_share_one_rendering_of_the_navigation(seed_site: Site) -> None:
    """navcache.py renders it once for pages outside the navigation: the same HTML."""
    navs = {url: primary_nav(seed_site.page(url)) for url in (
        "beslut/run-138-2024", "beslut/run-245-2021", "register", "register/ar/2024")}
    assert navs["beslut/run-138-2024"] == navs["beslut/run-245-2021"]
    assert 'href="../../register/"' in navs["beslut/run-138-2024"]
    assert "md-nav__link--active" not in navs["beslut/run-138-2024"]
    # pages in the navigation render their own: their place in it is marked
    assert "md-nav__link--active" in navs["register"]
    assert navs["register/ar/2024"] != navs["register"]


def test_a_sites_own_navigation_template_wins(tmp_path: Path) -> None:
    site = make_site(tmp_path / "p", config=config().replace(
        "  language: sv\n", "  language: sv\n  custom_dir: overrides\n", 1))
    copy_seeds(site)
    (site.root / "overrides" / "partials").mkdir(parents=True)
    (site.root / "overrides" / "partials" / "nav.html").write_text(
        "<nav class=\"egen-navigering\">Egen</nav>", "utf-8")
    site.built()
    assert '<nav class="egen-navigering">Egen</nav>' in site.page("beslut/run-138-2024")


def test_navigation_escapes_titles(mixed_site: Site) -> None:
    # The navigation is pruned: a section's titles are in the pages of that section.
    unit = open_page(mixed_site, "register/enhet/enhet-ost-vast")
    programme = open_page(mixed_site, "register/program/program-x")
    assert "Enhet <Öst> & Väst" in [text for _, text in unit.nav_links]  # as text...
    assert "Program <B> & C" in [text for _, text in programme.nav_links]
    assert "Enhet &lt;Öst&gt; &amp; Väst" in unit.html  # ...because escaped in the HTML
    assert [h for h in nav_hrefs(unit) if is_case_link(h)] == []


@pytest.mark.parametrize("raw", ["<Norr>", "<script>alert", "<Öst>", "<B>", "&amp;lt;"])
def test_no_raw_markup_in_any_page_feed_or_index(mixed_site: Site, raw: str) -> None:
    published = [(p, t) for p, t in mixed_site.output_text()
                 if p.suffix in (".html", ".xml") or p.name == "search_index.json"]
    assert len(published) > 10
    assert [p for p, text in published if raw in text] == []


def test_search_index_holds_only_escaped_text(mixed_site: Site) -> None:
    index = json.loads((mixed_site.site / "search" / "search_index.json").read_text("utf-8"))
    docs = index["docs"]
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in [d["title"] for d in docs]
    for doc in docs:
        for value in (doc["title"], doc["text"]):
            assert "<script" not in value and "<Norr>" not in value and "onclick" not in value


def test_hostile_body_is_sanitized(mixed_site: Site) -> None:
    html = mixed_site.page("beslut/run-2-2024")
    article = html.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
    for text in ("Klicka här", "Länk ett", "Länk två", 'alt="Bild"'):
        assert text in article  # the harmless content is kept...
    for bad in ("<script", "alert('", 'alert("', "onclick", "onerror", "javascript:",
                "<iframe"):
        assert bad not in article  # ...everything active is gone
    for bad in ("onclick", "onerror", "javascript:", "<iframe", 'alert("kropp")'):
        assert bad not in html


#: A hook (a plugin in one file) that runs right after the register (priority 99): it
#: records what case pages look like to it, adds active HTML to them, and renders one
#: case page a second time, as a plugin might.
OTHER_PLUGIN = """
import json
from pathlib import Path

from mkdocs.plugins import event_priority

received, seen, again = {}, {}, []


@event_priority(99)
def on_page_content(html, page, config, files):
    if page.file.src_uri.startswith("beslut/"):
        received.setdefault(page.file.src_uri, []).append(html)
        html += '<p onclick="alert(1)">Tillagt av en annan plugin</p><script>alert(2)</script>'
    return html


def on_env(env, config, files):
    page = files.get_file_from_path("beslut/run-1-2024.md").page
    again.append(config.plugins.on_page_content(
        '<p onclick="x()">Igen</p><script>alert(3)</script>', page=page, config=config,
        files=files))
    return env


@event_priority(99)
def on_page_context(context, page, config, nav):
    if page.file.src_uri.startswith("beslut/"):
        seen[page.file.src_uri] = page.content
    return context


def on_post_build(config):
    Path(config.config_file_path).with_name("seen.json").write_text(
        json.dumps({"received": received, "seen": seen, "again": again}), "utf-8")
"""


def test_other_plugins_never_see_an_unsanitized_body_and_their_additions_are_sanitized(
    tmp_path: Path,
) -> None:
    """The register takes a case body before any other plugin's on_page_content (they see
    an empty page), also when a page is rendered again, and gives the page its content
    back, with what they added sanitized, before their on_page_context."""
    site = make_site(tmp_path / "project", config=config() + "hooks:\n  - other.py\n")
    (site.root / "other.py").write_text(OTHER_PLUGIN, encoding="utf-8")
    site.write_case("1.md", case_text(diary_number="RUN/1/2024", body=HOSTILE_BODY))
    site.write_case("2.md", case_text(diary_number="RUN/2/2024"))
    site.built()
    hook = json.loads((site.root / "seen.json").read_text(encoding="utf-8"))
    assert hook["received"] == {"beslut/run-1-2024.md": ["", '<p>Igen</p>'],
                                "beslut/run-2-2024.md": [""]}
    assert hook["again"] == ['<p>Igen</p><p onclick="alert(1)">Tillagt av en annan plugin</p>'
                             "<script>alert(2)</script>"]  # the hook's own addition, as is
    assert sorted(hook["seen"]) == ["beslut/run-1-2024.md", "beslut/run-2-2024.md"]
    for src_uri, content in hook["seen"].items():
        page = site.page(src_uri.removesuffix(".md"))
        assert content in page, src_uri  # what the hook saw is what was published
        assert content.startswith('<table class="br-facts">')
        assert content.endswith("<p>Tillagt av en annan plugin</p>")  # after the body
        for bad in ("<script", "onclick", "javascript:", "<iframe", "alert(", "Igen"):
            assert bad not in content, (src_uri, bad)
    assert "Klicka här" in hook["seen"]["beslut/run-1-2024.md"]
    assert "Beslutet fattas." in hook["seen"]["beslut/run-2-2024.md"]


#: A hook that takes a rendered case page out of the build before templates render.
DROPPER = """
def on_env(env, config, files):
    files.remove(files.get_file_from_path("beslut/run-1-2024.md"))
    return env
"""


def test_a_rendered_case_page_left_unbuilt_fails_the_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project", config=config() + "hooks:\n  - dropper.py\n")
    (site.root / "dropper.py").write_text(DROPPER, encoding="utf-8")
    site.write_case("1.md", case_text(diary_number="RUN/1/2024"))
    result = site.build()
    assert result.returncode == 1
    assert ("ERROR   -  beslutsregister: 1 case page was rendered but not built (the first: "
            "beslut/run-1-2024.md); expected every rendered case page built") in result.stderr
    assert "Traceback" not in result.stderr


#: A hook that stops the build's second process while case pages render.
KILLER = """
def on_page_content(html, page, config, files):
    worker = config.plugins["beslutsregister"].worker
    if worker is not None and page.file.src_uri.startswith("beslut/"):
        worker._process.kill()
        worker._process.wait()
    return html
"""


def test_a_second_process_gone_mid_build_fails_it_and_publishes_no_case(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project", config=config() + "hooks:\n  - killer.py\n")
    (site.root / "killer.py").write_text(KILLER, encoding="utf-8")
    site.write_case("1.md", case_text(diary_number="RUN/1/2024"))
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = site.build(env={"TMPDIR": str(temp)})
    assert result.returncode == 1
    assert ("ERROR   -  beslutsregister: sanitizing case pages: the build's second process "
            "stopped unexpectedly (exit code -9)") in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(site.site.glob("beslut/**/*.html"))
    assert list(temp.iterdir()) == []  # its spool and files are gone


def test_protected_officer_is_published_nowhere(mixed_site: Site) -> None:
    for secret in ("Qvintus", "Skyddsson", "qvintus@example.se", "0701234567"):
        assert [p for p, text in mixed_site.output_text() if secret in text] == [], secret
    facts = open_page(mixed_site, "beslut/run-3-2023").facts()
    assert facts["Handläggare"] == "Handläggare vid Ödmjukhet"


def test_masked_text_is_published_nowhere(mixed_site: Site) -> None:
    for secret in ("hemlig text", "[[maskera", "på två rader", "Hälsa"):
        assert [p for p, text in mixed_site.output_text() if secret in text] == [], secret
    html = mixed_site.page("beslut/run-3-2023")
    assert "Sökande: [Uppgift borttagen enligt 21 kap. 3 § OSL]." in html
    assert "[Uppgift borttagen enligt 26 kap. 1 § OSL]" in html


def test_embargo_lifted_today_is_published(mixed_site: Site) -> None:
    assert open_page(mixed_site, "beslut/run-4-2024").facts()["Diarienummer"] == "RUN/4/2024"


# -- a bad case fails the build with its message ---------------------------------------------

BAD_BUILDS = [
    pytest.param(
        case_text(date="2024-02-30"),
        "cases/x.md:4: field 'date': '2024-02-30' is not a real calendar date; expected "
        "YYYY-MM-DD, e.g. 2024-02-23", id="impossible-date"),
    pytest.param(
        case_text(funding=[{"programme": "reakt-eu", "amount_sek": 100000}]),
        "cases/x.md:14: field 'funding[0].programme': unknown programme 'reakt-eu'; expected an "
        "id from cases/programmes.yml; did you mean 'react-eu'?", id="unknown-programme"),
    pytest.param(
        case_text().replace("amount_sek: 100000", "amount_sek: 100 000"),
        "cases/x.md:15: field 'funding[0].amount_sek': '100 000' is not a whole number of kronor; "
        "expected an unquoted integer without spaces, e.g. 460000", id="amount-with-spaces"),
    pytest.param(
        case_text(titel="Ett beslut"),
        "cases/x.md:16: field 'titel': unknown field; expected one of diary_number, title, date, "
        "unit, officer, decided_by, delegation, reported_to, copy_to, project, funding, status, "
        "publish_after, corrections, revoked, withdrawn_on; did you mean 'title'?",
        id="unknown-field"),
    pytest.param(
        case_text(diary_number="RUN-138-2024"),
        "cases/x.md:2: field 'diary_number': 'RUN-138-2024' does not match the diary-number "
        "pattern; expected PREFIX/SERIAL/YEAR in ASCII capitals and digits, e.g. RUN/138/2024",
        id="diary-number"),
    pytest.param(
        case_text(status="publicerad"),
        "cases/x.md:16: field 'status': 'publicerad' is not a status; expected published, "
        "draft or withdrawn; did you mean 'published'?", id="status"),
    pytest.param(
        case_text().replace("phone: '063146527'", "phone: !!str 063146527"),
        "cases/x.md:9: YAML tag '!!str' is not allowed; expected a plain value, "
        "quoted if it must stay text", id="yaml-tag"),
    pytest.param(
        case_text(body="Sökande 640823-3234 beviljas.\n"),
        "cases/x.md:18: contains a personal identity number (640823-****); expected no personal "
        "identity or coordination numbers: remove it or mask it with [[maskera: ...]]",
        id="personnummer"),
    pytest.param(
        case_text(project={"name": "P", "start": "2024-03-01", "end": "2024-01-31"}),
        "cases/x.md:19: field 'project.end': 2024-01-31 is before the start 2024-03-01; expected "
        "an end on or after the start", id="project-end"),
]


@pytest.mark.parametrize(("text", "message"), BAD_BUILDS)
def test_bad_case_fails_the_build(tmp_path: Path, text: str, message: str) -> None:
    site = make_site(tmp_path / "project")
    site.write_case("ok.md", case_text(diary_number="RUN/99/2024"))
    site.write_case("x.md", text)
    result = site.build()
    lines = result.stderr.splitlines()
    assert result.returncode == 1
    assert "ERROR   -  1 problem in cases/; nothing was published:" in lines
    assert f"  {message}" in lines
    assert "Traceback" not in result.stdout + result.stderr
    assert not (site.site / "beslut").exists()


def test_every_problem_is_reported_in_one_build(site: Site) -> None:
    site.write_case("a.md", case_text(date="2024-02-30"))
    site.write_case("b.md", case_text(diary_number="RUN/2/2024", unit=["A", "B"]))
    site.write_case("c.md", case_text(diary_number="RUN/3/2024"))
    site.write_case("d.md", case_text(diary_number="RUN/3/2024"))
    result = site.build()
    assert result.returncode == 1
    error = result.stderr[result.stderr.index("ERROR"):].splitlines()
    assert error[:4] == [
        "ERROR   -  3 problems in cases/; nothing was published:",
        "  cases/a.md:4: field 'date': '2024-02-30' is not a real calendar date; expected "
        "YYYY-MM-DD, e.g. 2024-02-23",
        "  cases/b.md:5: field 'unit': is a list; expected text",
        "  cases/d.md:2: field 'diary_number': 'RUN/3/2024' is already used by cases/c.md:2; "
        "expected a unique diary number",
    ]


def test_generated_page_may_not_be_overwritten_by_docs(site: Site) -> None:
    (site.root / "docs" / "register").mkdir()
    (site.root / "docs" / "register" / "index.md").write_text("# Egen\n", "utf-8")
    site.write_case("a.md", case_text())
    result = site.build()
    assert result.returncode == 1
    assert ("ERROR   -  beslutsregister: docs/register/index.md exists, but the register "
            "generates that page; rename or remove the file in docs/") in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


def test_builds_in_one_process_leave_the_garbage_collector_as_they_found_it(
    tmp_path: Path,
) -> None:
    """A public build pauses the collector and freezes what it loaded; after it, and
    after a build that failed, the collector runs and nothing stays frozen."""
    site = make_site(tmp_path / "project")
    site.write_case("1.md", case_text(diary_number="RUN/1/2024"))
    before = gc.get_freeze_count()
    for n, hook in enumerate(("", "", KILLER, "")):  # the third build fails after loading
        (site.root / f"hook{n}.py").write_text(hook, encoding="utf-8")  # (modules are cached)
        (site.root / "mkdocs.yml").write_text(config() + f"hooks:\n  - hook{n}.py\n", "utf-8")
        loaded = load_config(str(site.root / "mkdocs.yml"))
        if hook:
            with pytest.raises(Abort):
                build(loaded)
        else:
            build(loaded)
        assert gc.isenabled() and gc.get_freeze_count() == before
    assert site.page("beslut/run-1-2024")
