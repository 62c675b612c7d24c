"""Open data in a built site: every page links its data and feeds, the files exist and
parse, the sitemap's dates come from decisions, and two builds give the same bytes."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from pyshacl import validate
from rdflib import Graph

from helpers import Site, case_text, copy_seeds, make_site, mkdocs_yml

SITE_URL = "https://register.example.se/"
SHAPES = Path(__file__).parent / "data" / "dcat" / "dcat-ap-se-shapes.ttl"
CONFIG = mkdocs_yml("""
open_data:
  publisher: Region Jämtland Härjedalen
  contact_email: registrator@example.se
  frequency: WEEKLY
  spatial: http://data.europa.eu/nuts/code/SE322
""")


class Links(HTMLParser):
    """The head's alternate links and the body's links: (type, href, text)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.alternates: list[tuple[str, str, str]] = []
        self.anchors: list[tuple[str, str, str]] = []
        self.nav: list[str] = []
        self._anchor: list[str] | None = None
        self._in_nav = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a.get("type", ""), a["href"], a.get("title", "")))
        elif tag == "nav":
            self._in_nav += 1
        elif tag == "a":
            self._anchor = [a.get("type", ""), a.get("href", ""), ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav -= 1
        elif tag == "a" and self._anchor is not None:
            anchor = (self._anchor[0], self._anchor[1], " ".join(self._anchor[2].split()))
            (self.nav if self._in_nav else []).append(anchor[2])
            if not self._in_nav:
                self.anchors.append(anchor)
            self._anchor = None

    def handle_data(self, data: str) -> None:
        if self._anchor is not None:
            self._anchor[2] += data


def build(root: Path) -> Site:
    site = make_site(root, config=CONFIG)
    copy_seeds(site)
    site.write_case("k.md", case_text(diary_number="RUN/7/2023", date="2023-09-01",
                                      unit="Kultur", funding=None))
    site.write_case("d.md", case_text(diary_number="RUN/8/2024", status="draft"))
    site.built()
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build(tmp_path_factory.mktemp("opendata") / "project")


def page_links(site: Site, url: str) -> Links:
    return Links(site.page(url))


def target(site: Site, url: str, href: str) -> Path:
    """The file a relative link on the page at ``url`` leads to."""
    path = posixpath.normpath(posixpath.join(url, href))
    return site.site / path


@pytest.mark.parametrize(
    ("url", "media_type", "files"),
    [
        ("beslut/run-138-2024/", "application/json", ["beslut/run-138-2024.json"]),
        ("register/ar/2024/", "text/csv", ["register/ar/2024.csv"]),
        ("register/ar/2024/", "application/json", ["register/ar/2024.json"]),
        ("register/program/react-eu/", "application/atom+xml",
         ["register/senaste.xml", "register/program/react-eu.xml"]),
        ("register/enhet/kultur/", "application/atom+xml",
         ["register/senaste.xml", "register/enhet/kultur.xml"]),
    ],
)
def test_pages_link_their_data_in_the_head_and_visibly(
        built: Site, url: str, media_type: str, files: list[str]) -> None:
    links = page_links(built, url)
    heads = [href for kind, href, _ in links.alternates if kind == media_type]
    assert [target(built, url, href) for href in heads] == [built.site / f for f in files]
    visible = [href for kind, href, _ in links.anchors if kind == media_type]
    assert target(built, url, visible[-1]) == built.site / files[-1]
    for file in files:
        assert (built.site / file).is_file()


def test_a_case_pages_document_is_its_entry_in_the_export(built: Site) -> None:
    document = json.loads((built.site / "beslut/run-138-2024.json").read_text("utf-8"))
    entries = json.loads((built.site / "register/beslut.json").read_text("utf-8"))["cases"]
    assert document in entries and document["diary_number"] == "RUN/138/2024"
    anchors = page_links(built, "beslut/run-138-2024/").anchors
    assert ("application/json", "../run-138-2024.json", "Beslutet som JSON") in anchors


@pytest.mark.parametrize(("url", "text", "feed"), [
    ("register/program/react-eu/", "Följ beslut om REACT-EU (flöde)",
     "register/program/react-eu.xml"),
    ("register/enhet/kultur/", "Följ beslut från Kultur (flöde)", "register/enhet/kultur.xml"),
])
def test_overview_pages_offer_a_feed_to_follow(built: Site, url: str, text: str,
                                               feed: str) -> None:
    links = page_links(built, url)
    [(kind, href, _)] = [a for a in links.anchors if a[2] == text]
    assert kind == "application/atom+xml" and target(built, url, href) == built.site / feed
    assert "flödesläsare" in built.page(url)
    parsed = feedparser.parse((built.site / feed).read_bytes())
    assert parsed.bozo == 0 and parsed.entries
    for entry in parsed.entries:
        page = entry.link.removeprefix(SITE_URL)
        assert (built.site / page / "index.html").is_file()


def test_every_feed_of_the_site_parses(built: Site) -> None:
    feeds = sorted(built.site.glob("register/**/*.xml"))
    # latest, programmes with decisions, units, changes and the archives of 2021 and 2023
    assert len(feeds) == 1 + 4 + 3 + 1 + 2
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.feed.title and parsed.feed.links


def test_statistics_and_open_data_are_in_the_navigation_and_linked(built: Site) -> None:
    nav = page_links(built, "register/").nav
    assert "Statistik" in nav and "Öppna data" in nav
    anchors = {text: href for _, href, text in page_links(built, "register/").anchors}
    assert target(built, "register/", anchors["Statistik: finansiering och beslut i diagram"]) \
        == built.site / "register/statistik"
    assert (built.site / "register/statistik/index.html").is_file()
    assert (built.site / "register/oppna-data/index.html").is_file()


def test_the_open_data_page_links_every_data_file(built: Site) -> None:
    url = "register/oppna-data/"
    linked = {target(built, url, href).resolve() for _, href, _ in page_links(built, url).anchors
              if not href.startswith(("http", "mailto", "#"))}
    data = {p.resolve() for p in built.site.glob("register/**/*")
            if p.suffix in (".csv", ".json", ".xml", ".rdf")}
    assert data <= linked, sorted(str(p) for p in data - linked)


def test_the_built_catalogue_conforms_to_the_shapes(built: Site) -> None:
    graph = Graph().parse(built.site / "register/katalog.rdf", format="xml")
    conforms, _, report = validate(graph, shacl_graph=str(SHAPES), inference="none",
                                 allow_warnings=True)  # recommended: warnings
    assert conforms, report
    rdf = (built.site / "register/katalog.rdf").read_text("utf-8")
    assert "frequency/WEEKLY" in rdf and "nuts/code/SE322" in rdf
    assert "registrator@example.se" in rdf


def test_sitemap_dates_come_from_decisions(built: Site) -> None:
    sitemap = (built.site / "sitemap.xml").read_text("utf-8")
    entries = dict(re.findall(r"<loc>([^<]+)</loc>\s*(?:<lastmod>([^<]+)</lastmod>)?", sitemap))
    assert entries[SITE_URL + "beslut/run-138-2024/"] == "2024-02-23"
    assert entries[SITE_URL + "beslut/run-245-2021/"] == "2021-03-15"
    assert entries[SITE_URL + "register/ar/2023/"] == "2023-09-01"
    assert entries[SITE_URL + "register/"] == "2024-02-23"
    assert entries[SITE_URL] == ""  # a page from docs/ has no decision date
    assert SITE_URL + "beslut/run-8-2024/" not in entries  # the draft


def test_two_builds_give_the_same_bytes(built: Site, tmp_path: Path) -> None:
    again = build(tmp_path / "again")
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        assert (again.site / name).read_bytes() == (built.site / name).read_bytes(), name
    data = sorted(p.relative_to(built.site) for p in built.site.rglob("*")
                  if p.suffix in (".csv", ".json", ".xml", ".rdf") and "sok" not in p.parts)
    assert len(data) > 20
    for path in data:
        assert (again.site / path).read_bytes() == (built.site / path).read_bytes(), path
    shutil.rmtree(again.root)


def test_an_option_the_catalogue_cannot_use_fails_with_a_message(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project", config=mkdocs_yml(
        "open_data:\n  contact_email: data@example.se\n  contact_phone: '14 75 00'"))
    site.write_case("x.md", case_text())
    result = site.build()
    assert result.returncode == 1
    assert "beslutsregister: the DCAT-AP-SE catalogue (register/katalog.rdf): " in result.stderr
    assert "check the open_data options and site_url in mkdocs.yml" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(site.root.glob(".site.s*"))  # no staging or scratch folder left
