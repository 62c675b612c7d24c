"""search: diary-number normalisation, what case pages tell the index, the search page,
the header field, and real builds with Pagefind (what the index holds, and what not).

Browser tests of the same search are in ``test_search_browser.py``.
"""

from __future__ import annotations

import gzip
import json
import os
import posixpath
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from beslutsregister import search
from beslutsregister.model import Case, DecisionMaker, Officer
from conftest import Site, case_text, copy_seeds, make_site

# -- diary numbers: one table for Python and for the browser's copy (search-pagefind.js) ----

#: (query as typed, normalised query, normalised with the key suffix "dnr")
NORMALISED: list[tuple[str, str, str]] = [
    ("run 138/2024", "run1382024", "run1382024dnr"),
    ("RUN/0138/2024", "run1382024", "run1382024dnr"),
    ("RUN/138/2024", "run1382024", "run1382024dnr"),
    ("RUN 138 2024", "run1382024", "run1382024dnr"),
    ("  run-138-2024  ", "run1382024", "run1382024dnr"),
    ("Run.00138.2024", "run1382024", "run1382024dnr"),
    ("RUN138/2024", "run1382024", "run1382024dnr"),
    ("run_138_2024", "run1382024", "run1382024dnr"),
    ("138/2024", "1382024", "1382024dnr"),
    ("0138 / 2024", "1382024", "1382024dnr"),
    ("Dnr RUN/138/2024", "run1382024", "run1382024dnr"),
    ("diarienummer: RUN 138/2024", "run1382024", "run1382024dnr"),
    ("KS 2024/0017", "ks202417", "ks202417dnr"),
    ("RS 2023-00456", "rs2023456", "rs2023456dnr"),
    ("RUN/0/2024", "run02024", "run02024dnr"),
    ("beslut RUN/245/2021 CO-RESPONS", "beslut run2452021 CO-RESPONS",
     "beslut run2452021dnr CO-RESPONS"),
    ("RUN/138/2024 RUN/245/2021", "run1382024 run2452021", "run1382024dnr run2452021dnr"),
    ("ÅSA/12/2024", "åsa122024", "åsa122024dnr"),
    # not diary numbers: left as typed (white space collapsed)
    ("smart specialisering", "smart specialisering", "smart specialisering"),
    ("CO-RESPONS", "CO-RESPONS", "CO-RESPONS"),
    ("2024", "2024", "2024"),
    ("RUN 138", "RUN 138", "RUN 138"),
    ("Region  Jämtland\tHärjedalen", "Region Jämtland Härjedalen",
     "Region Jämtland Härjedalen"),
    ("", "", ""),
    ("460 000", "460 000", "460 000"),  # digits and a plain space: an amount
    ("138 2024", "138 2024", "138 2024"),
    # digits joined otherwise look like diary numbers; when the key finds nothing, the
    # browser searches the words as typed (search-pagefind.js)
    ("2021-04-01", "202141", "202141dnr"),
]


@pytest.mark.parametrize(("query", "plain", "keyed"), NORMALISED)
def test_normalise_query(query: str, plain: str, keyed: str) -> None:
    assert search.normalise_query(query) == plain
    assert search.normalise_query(query, search.KEY_SUFFIX) == keyed


#: (query, without stop words)
STOP_WORDS: list[tuple[str, str]] = [
    ("Förstudie: vätgas och energiomställning i Åre", "Förstudie: vätgas energiomställning Åre"),
    ("Stärka samarbeten med regioner i EU utifrån smart specialisering",
     "Stärka samarbeten regioner EU utifrån smart specialisering"),
    ("OCH i PÅ", "OCH i PÅ"),  # nothing but stop words: as typed
    ("för", "för"),
    ("(och) kultur, i", "kultur,"),
    ("beslut om bidrag", "beslut bidrag"),
    ("att kunna söka medel", "kunna söka medel"),
    ("Förstudie: v", "Förstudie:"),  # half typed
    ("v", "v"),
    ("S3 i 2024 a 7", "S3 2024 7"),
    ("år 2024", "år 2024"),
    ("", ""),
]


@pytest.mark.parametrize(("query", "kept"), STOP_WORDS)
def test_without_stop_words(query: str, kept: str) -> None:
    assert search.without_stop_words(query) == kept


def test_the_browser_has_the_same_stop_words() -> None:
    script = (Path(search.__file__).parent / "assets" / "search-pagefind.js").read_text("utf-8")
    listed = re.search(r"STOP_WORDS = new Set\(\s*\((.*?)\)\.split", script, re.DOTALL)
    assert listed is not None
    words = "".join(re.findall(r'"([^"]*)"', listed[1])).split()
    assert sorted(words) == sorted(search.STOP_WORDS)


@pytest.mark.parametrize(
    ("diary_number", "keys"),
    [
        ("RUN/138/2024", ("run1382024dnr", "1382024dnr")),
        ("RUN/0138/2024", ("run1382024dnr", "1382024dnr")),
        ("KS 2024/17", ("ks202417dnr", "202417dnr")),
        ("2024/0123", ("2024123dnr",)),
        ("RUN/0/2024", ("run02024dnr", "02024dnr")),
    ],
)
def test_diary_keys(diary_number: str, keys: tuple[str, ...]) -> None:
    assert search.diary_keys(diary_number) == keys


@pytest.mark.parametrize("typed", ["run 138/2024", "RUN/0138/2024", "RUN 138 2024", "138/2024"])
def test_a_loosely_typed_diary_number_meets_an_indexed_key(typed: str) -> None:
    assert search.normalise_query(typed, search.KEY_SUFFIX) in search.diary_keys(
        "RUN/138/2024")


# -- what a case page tells the index -------------------------------------------------------


def _case(**fields: object) -> Case:
    values: dict[str, object] = {
        "diary_number": "RUN/138/2024", "slug": "run-138-2024", "title": "Titel",
        "date": date(2024, 2, 23), "unit": "Samhällsutveckling",
        "officer": Officer("Ingrid"), "decided_by": DecisionMaker("Magnus"), "body": "",
        "source": "cases/x.md",
    }
    values.update(fields)
    return Case(**values)  # type: ignore[arg-type]


def _attributes(html: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
            for tag in re.findall(r"<span([^>]*)>", html)]


def test_case_data_carries_metadata_filters_sort_and_keys() -> None:
    html = search.case_data(_case(), ["REACT-EU", "Egen finansiering"])
    assert re.sub(r"<[^>]*>", "", html) == ""  # nothing to see on the page
    data, *programmes = _attributes(html)
    assert data["data-pagefind-meta"] == (
        "diarienummer[data-pagefind-br-diary], beslutsdatum[data-pagefind-br-date]")
    assert data["data-pagefind-filter"] == (
        "År[data-pagefind-br-year], Enhet[data-pagefind-br-unit]")
    assert data["data-pagefind-sort"] == "datum[data-pagefind-br-sort]"
    assert data["data-pagefind-index-attrs"] == "data-pagefind-br-keys"
    assert {k: v for k, v in data.items() if k.startswith("data-pagefind-br-")} == {
        "data-pagefind-br-diary": "RUN/138/2024",
        "data-pagefind-br-date": "23 februari 2024",
        "data-pagefind-br-year": "2024",
        "data-pagefind-br-unit": "Samhällsutveckling",
        "data-pagefind-br-sort": "2024-02-23",
        "data-pagefind-br-keys": "run1382024dnr 1382024dnr",
    }
    assert [p["data-pagefind-br-programme"] for p in programmes] == [
        "REACT-EU", "Egen finansiering"]
    assert {p["data-pagefind-filter"] for p in programmes} == {
        "Program[data-pagefind-br-programme]"}


def test_case_data_escapes_values_and_keeps_commas() -> None:
    html = search.case_data(_case(unit='Enhet "A", <Norr> & Syd'), ["Program, med komma"])
    assert 'data-pagefind-br-unit="Enhet &quot;A&quot;, &lt;Norr&gt; &amp; Syd"' in html
    assert 'data-pagefind-br-programme="Program, med komma"' in html
    assert "<Norr>" not in html


def test_searchable_wraps_content_under_its_title() -> None:
    html = search.searchable("<p>Text</p>", "A &amp; B")
    assert html.startswith(search.BODY_OPEN + "\n<h1>A &amp; B</h1>\n<p>Text</p>")
    assert search.extract_searchable(f"<body><div>x</div>{html}<div>y</div></body>") == html


def test_extract_searchable_follows_nested_divs() -> None:
    inner = search.searchable("<div><div>a</div></div><p>b</p><div>c</div>", "T")
    page = f"<html><body><div class='md'>{inner}</div><footer><div>f</div></footer></body>"
    assert search.extract_searchable(page) == inner
    assert search.extract_searchable("<body><div data-pagefind-body>x</div></body>") is None


# -- the header field and the search page ----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "prefix"),
    [("", ""), ("index.html", ""), ("sok/", "../"), ("beslut/run-1-2024/", "../../"),
     ("beslut/run-1-2024.html", "../"), ("register/ar/2024/", "../../../")],
)
def test_root_prefix(url: str, prefix: str) -> None:
    assert search.root_prefix(url) == prefix


MATERIAL_HEADER = (
    '<body><header class="md-header"><nav class="md-header__inner">'
    '<a class="md-logo">L</a><div class="md-header__title" data-md-component="header-title">'
    '<div class="md-header__ellipsis"><div class="md-header__topic"><span>S</span></div>'
    '</div></div><div class="md-header__source">src</div></nav></header><main>M</main></body>'
)


def test_header_field_goes_after_materials_title() -> None:
    html = search.add_header_search(MATERIAL_HEADER, "../../sok/")
    form = search.header_form("../../sok/")
    assert html.count('class="br-header-search"') == 1
    assert f"</div></div>{form}<div class=\"md-header__source\">" in html
    assert 'action="../../sok/" method="get"' in form and 'name="q"' in form
    assert 'role="search"' in form and '<label class="br-visually-hidden" for="br-header-q">' \
        "Sök i registret</label>" in form


def test_header_field_without_material_goes_to_the_top() -> None:
    html = search.add_header_search('<html><body class="x"><p>Hej</p></body></html>', "sok/")
    assert html.startswith('<html><body class="x"><form class="br-header-search"')


def test_search_page_mounts_pagefind_and_says_where_to_browse() -> None:
    page = search.search_page_markdown("sok/", "register/", 12)
    assert page.startswith("# Sök i registret\n\n<div")
    assert "\n\n" not in page.split("\n\n", 1)[1].strip()  # one raw HTML block
    assert '<script src="../pagefind/pagefind-ui.js"></script>' in page
    assert '<script type="module" src="../assets/beslutsregister/search.js"></script>' in page
    noscript = re.search(r"<noscript>(.*?)</noscript>", page)
    assert noscript is not None
    assert "Sökningen behöver JavaScript" in noscript[1]
    assert '<a href="../register/">registrets översikt</a>' in noscript[1]


@pytest.mark.parametrize(("preview", "count", "why"), [
    (True, 5, "Förhandsvisningen har ingen sökning"),
    (False, 0, "Registret har ännu inga publicerade beslut"),
])
def test_search_page_without_an_index(preview: bool, count: int, why: str) -> None:
    page = search.search_page_markdown("sok.html", "register/", count, preview=preview)
    assert why in page and '<a href="register/">registrets översikt</a>' in page
    assert "<script" not in page


def test_build_index_refuses_a_page_without_the_marker(tmp_path: Path) -> None:
    (tmp_path / "beslut").mkdir()
    (tmp_path / "beslut" / "x.html").write_text("<html><body>x</body></html>", "utf-8")
    with pytest.raises(search.SearchIndexError, match="no searchable content marker"):
        search.build_index(tmp_path, ["beslut/x.html"])
    with pytest.raises(search.SearchIndexError, match="was not built"):
        search.build_index(tmp_path, ["beslut/y.html"])


def test_build_index_of_nothing_removes_an_old_bundle(tmp_path: Path) -> None:
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "old.pf_fragment").write_bytes(b"old")
    assert search.build_index(tmp_path, []) == search.IndexSummary(0, 0, 0)
    assert not (tmp_path / "pagefind").exists()


# -- real builds -------------------------------------------------------------------------------

DRAFT_TITLE = "Kvantdatorernas zebrafisklabb"
EMBARGO_TITLE = "Fjärrvärmeverkets ångturbiner"
MASKED = "Zyxelbolaget"


def write_mixed_register(site: Site) -> None:
    """The seeds, a few more published cases, a draft, an embargoed case, a masked text."""
    copy_seeds(site)
    site.write_case("pub.md", case_text(
        diary_number="RUN/7/2023", title="Samverkan om besöksnäring", date="2023-05-02",
        unit="Kultur och bildning",
        body=f"## Beslut\n\nBeslutet fattas. [[maskera: Leverantören {MASKED} AB]]\n"))
    site.write_case("draft.md", case_text(
        diary_number="RUN/8/2024", title=DRAFT_TITLE, status="draft", unit="Utkastenheten",
        body="## Beslut\n\nKvantdatorerna köps in till zebrafisklabbet.\n"))
    site.write_case("embargo.md", case_text(
        diary_number="RUN/9/2024", title=EMBARGO_TITLE, publish_after="2099-01-01",
        body="## Beslut\n\nFjärrvärmeverkets ångturbiner byggs.\n"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = make_site(tmp_path_factory.mktemp("search") / "project")
    write_mixed_register(site)
    site.built()
    return site


def pagefind_texts(site: Site) -> dict[str, str]:
    """Every file of the Pagefind bundle's index (gzip files decompressed), as text."""
    texts = {}
    for path in sorted((site.site / search.BUNDLE_DIR).rglob("*")):
        if not path.is_file() or path.suffix in (".js", ".css"):
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        texts[str(path.relative_to(site.site))] = data.decode("utf-8", "replace")
    return texts


def fragments(site: Site) -> list[dict[str, object]]:
    result = []
    for path in sorted((site.site / search.BUNDLE_DIR / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        result.append(json.loads(raw[len(b"pagefind_dcd"):]))
    return result


def test_materials_search_index_is_gone(built: Site) -> None:
    assert not (built.site / "search").exists()
    assert (built.site / "pagefind" / "pagefind-entry.json").is_file()
    assert (built.site / "pagefind" / "pagefind-ui.js").is_file()


def test_the_index_holds_exactly_the_public_case_pages(built: Site) -> None:
    urls = sorted(str(f["url"]) for f in fragments(built))
    assert urls == ["/beslut/run-138-2024/", "/beslut/run-245-2021/", "/beslut/run-7-2023/"]


@pytest.mark.parametrize("secret", [
    "kvantdator", "Kvantdator", "zebrafisk", "utkastenheten", "Utkastenheten",
    "run-8-2024", "RUN/8/2024", "run82024dnr",
    "fjärrvärmeverk", "fjarrvarmeverk", "ångturbin", "angturbin",
    "run-9-2024", "RUN/9/2024", "run92024dnr",
    MASKED, MASKED.lower(),
])
def test_drafts_embargoes_and_masked_text_are_not_in_the_index(built: Site, secret: str) -> None:
    texts = pagefind_texts(built)
    assert len([p for p in texts if p.endswith(".pf_fragment")]) == 3
    assert [path for path, text in texts.items() if secret in text] == []


@pytest.mark.parametrize("word", ["besöksnäring", "besoksnaring", "CO-RESPONS", "run72023dnr"])
def test_published_words_are_in_the_index(built: Site, word: str) -> None:
    assert [p for p, text in pagefind_texts(built).items() if word in text]  # a control


def test_fragments_carry_title_metadata_and_filters(built: Site) -> None:
    by_url = {f["url"]: f for f in fragments(built)}
    seed = by_url["/beslut/run-138-2024/"]
    assert seed["meta"] == {
        "title": "Projekt: Stärka samarbeten med regioner i EU utifrån S3",
        "diarienummer": "RUN/138/2024", "beslutsdatum": "23 februari 2024"}
    assert seed["filters"] == {
        "År": ["2024"], "Enhet": ["Samhällsutveckling"],
        "Program": ["Tillväxtverket – Stärk era samarbeten med andra regioner i EU utifrån S3",
                    "Egen finansiering"]}
    content = str(seed["content"])
    assert content.startswith("Projekt: Stärka samarbeten med regioner i EU utifrån S3. ")
    assert "¶" not in content and "Uppgifter om beslutet" not in content  # no anchors, captions
    assert "Magnus Aspegren" in content  # the facts table is searchable text
    assert "Sök i registret" not in content  # nothing from around the content


def test_every_page_has_the_search_field(built: Site) -> None:
    pages = [p for p in built.site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 10
    for path in pages:
        html = path.read_text("utf-8")
        forms = re.findall(r'<form class="br-header-search" role="search" action="([^"]*)" '
                           r'method="get">', html)
        assert len(forms) == 1, path
        here = posixpath.dirname(str(path.relative_to(built.site)))
        assert posixpath.normpath(posixpath.join(here, forms[0])) == "sok", path
        header = html.split('<header class="md-header', 1)[1].split("</header>", 1)[0]
        assert 'class="br-header-search"' in header, path
        assert "assets/beslutsregister/search.css" in html


def test_search_page_is_built_with_its_scripts(built: Site) -> None:
    html = built.page("sok")
    assert "<title>Sök i registret" in html
    for ref in ('src="../pagefind/pagefind-ui.js"', 'href="../pagefind/pagefind-ui.css"',
                'src="../assets/beslutsregister/search.js"'):
        assert ref in html
    for asset in ("search.js", "pagefind.js", "search.css"):
        assert (built.site / "assets" / "beslutsregister" / asset).is_file()
    assert '<a href="../register/">registrets översikt</a>' in html
    assert (built.site / "register" / "index.html").is_file()


def test_case_page_shows_one_title_and_no_search_data(built: Site) -> None:
    html = built.page("beslut/run-138-2024")
    assert len(re.findall(r"<h1\b", html)) == 1
    data = html.split('<div class="br-search-data">', 1)[1].split("</div>", 1)[0]
    assert re.sub(r"<[^>]*>", "", data) == ""


def test_build_without_directory_urls(tmp_path: Path) -> None:
    config = (
        "site_name: T\nuse_directory_urls: false\ntheme:\n  name: material\n  language: sv\n"
        "plugins:\n  - beslutsregister:\n      today: \"2024-06-01\"\nnav:\n  - Start: index.md\n")
    site = make_site(tmp_path / "p", config=config)
    copy_seeds(site)
    site.built()
    assert '<form class="br-header-search" role="search" action="../sok.html"' in (
        site.site / "beslut" / "run-138-2024.html").read_text("utf-8")
    assert 'src="pagefind/pagefind-ui.js"' in (site.site / "sok.html").read_text("utf-8")
    assert sorted(str(f["url"]) for f in fragments(site)) == [
        "/beslut/run-138-2024.html", "/beslut/run-245-2021.html"]


def test_empty_register_builds_without_an_index(site: Site) -> None:
    site.write_case("draft.md", case_text(status="draft"))
    site.built()
    assert not (site.site / "pagefind").exists()
    assert "Registret har ännu inga publicerade beslut" in site.page("sok")


def test_docs_may_not_take_the_search_page(site: Site) -> None:
    copy_seeds(site)
    (site.root / "docs" / "sok.md").write_text("# Min sida\n", "utf-8")
    result = site.build()
    assert result.returncode != 0
    assert "docs/sok.md exists, but the register generates that page" in result.stderr


# -- the staff preview -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[str]:
    site = make_site(tmp_path / "project")
    write_mixed_register(site)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=site.root,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_preview_builds_no_index(serving: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            status, page = _status(serving + "sok/")
        except (urllib.error.URLError, ConnectionError):
            status, page = 0, ""
        if status == 200:
            break
        assert time.monotonic() < deadline, "mkdocs serve did not start"
        time.sleep(0.2)
    assert "Förhandsvisningen har ingen sökning" in page
    assert _status(serving + "pagefind/pagefind-entry.json")[0] == 404
    assert 'class="br-header-search"' in _status(serving + "beslut/run-8-2024/")[1]
