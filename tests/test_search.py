"""search: diary-number normalisation, the search page, the header field, and real builds
(what the index holds, and what not; the index format itself is in test_searchindex.py).

Browser tests of the same search are in ``test_search_browser.py``.
"""

from __future__ import annotations

import gzip
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
from pathlib import Path

import pytest

from beslutsregister.search import index as search_index
from beslutsregister.search import page as search
from beslutsregister.search import query as search_query
from beslutsregister.search.index import IndexContents, read_index
from helpers import (
    CASES,
    MASKED,
    NORMALISED,
    STOP_WORDS,
    Site,
    case_text,
    copy_seeds,
    make_site,
    write_mixed_register,
)

# -- what a query means: one table for Python and for the browser's copy ------------------
# tests/search_cases.json is read here, by Node's tests of search-engine.js (tests/js/) and,
# through NORMALISED and STOP_WORDS, by the browser test.



@pytest.mark.parametrize(("query", "plain"), NORMALISED)
def test_normalise_query(query: str, plain: str) -> None:
    assert search_query.normalise_query(query) == plain




@pytest.mark.parametrize(("query", "kept"), STOP_WORDS)
def test_without_stop_words(query: str, kept: str) -> None:
    assert search_query.without_stop_words(query) == kept


def test_the_stop_words_are_those_of_the_shared_table() -> None:
    """Node's tests check search-engine.js against the same list (test_search_node.py)."""
    assert sorted(search_query.STOP_WORDS) == sorted(CASES["stop_words"])
    assert len(set(CASES["stop_words"])) == len(CASES["stop_words"])


@pytest.mark.parametrize(
    ("diary_number", "keys"),
    [(case["diary_number"], tuple(case["keys"])) for case in CASES["diary_keys"]],
)
def test_diary_keys(diary_number: str, keys: tuple[str, ...]) -> None:
    assert search_query.diary_keys(diary_number) == keys


@pytest.mark.parametrize(
    ("typed", "diary_number"),
    [(case["typed"], case["diary_number"]) for case in CASES["loosely_typed"]],
)
def test_a_loosely_typed_diary_number_meets_an_indexed_key(typed: str,
                                                          diary_number: str) -> None:
    assert search_query.normalise_query(typed) in search_query.diary_keys(diary_number)


@pytest.mark.parametrize(("text", "words"),
                         [(case["text"], case["words"]) for case in CASES["tokens"]])
def test_tokens_as_the_browser_splits_them(text: str, words: list[str]) -> None:
    assert search_index.tokens(text) == words


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


def test_search_page_has_its_controls_and_says_where_to_browse() -> None:
    page = search.search_page_markdown("sok/", "register/", 12)
    assert page.startswith("# Sök i registret\n\n<div")
    assert "\n\n" not in page.split("\n\n", 1)[1].strip()  # one raw HTML block
    assert 'data-index="../sok/data/" data-root="../" data-count="12"' in page
    assert '<script type="module" src="../assets/beslutsregister/search.js"></script>' in page
    # without the script, the controls would do nothing: hidden until it shows them
    assert '<form class="br-search__form" role="search" hidden>' in page
    assert '<div class="br-search__tools" hidden>' in page
    assert '<label class="br-search__label" for="br-q">Sök bland 12 publicerade beslut' in page
    assert 'role="status" aria-live="polite"' in page
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


# -- real builds -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = make_site(tmp_path_factory.mktemp("search") / "project")
    write_mixed_register(site)
    site.built()
    return site


def index_of(site: Site) -> IndexContents:
    return read_index(site.site / search.INDEX_DIR)


def index_texts(site: Site) -> dict[str, str]:
    """Every file of the search index (gzip decompressed), as text."""
    texts = {}
    for path in sorted((site.site / search.INDEX_DIR).rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            texts[str(path.relative_to(site.site))] = data.decode("utf-8", "replace")
    return texts


def test_materials_search_index_is_gone(built: Site) -> None:
    assert not (built.site / "search").exists()
    assert not (built.site / "pagefind").exists()
    assert (built.site / search.INDEX_DIR / "index.json").is_file()


def test_the_index_holds_exactly_the_public_case_pages_newest_first(built: Site) -> None:
    index = index_of(built)
    assert [f["u"] for f in index.fragments] == [
        "beslut/run-138-2024/", "beslut/run-7-2023/", "beslut/run-245-2021/"]
    assert index.manifest["docs"] == 3


@pytest.mark.parametrize("secret", [
    "kvantdator", "Kvantdator", "zebrafisk", "utkastenheten", "Utkastenheten",
    "run-8-2024", "RUN/8/2024", "run82024",
    "fjärrvärmeverk", "ångturbin", "run-9-2024", "RUN/9/2024", "run92024",
    MASKED, MASKED.lower(), "Leverantören",
])
def test_drafts_embargoes_and_masked_text_are_not_in_the_index(built: Site, secret: str) -> None:
    texts = index_texts(built)
    assert len([p for p in texts if "/d/" in p]) == 3
    assert [path for path, text in texts.items() if secret in text] == []
    assert not [w for w in index_of(built).words if secret.lower() in w]


@pytest.mark.parametrize(("word", "found"), [
    ("besöksnäring", ["beslut/run-7-2023/"]),
    ("co", ["beslut/run-245-2021/"]),
    ("respons", ["beslut/run-245-2021/"]),
    ("run72023", ["beslut/run-7-2023/"]),  # its own diary number's key
    ("72023", ["beslut/run-7-2023/"]),
    ("uppgift", ["beslut/run-7-2023/"]),  # the mask's marker is text like any other
])
def test_published_words_find_their_cases(built: Site, word: str, found: list[str]) -> None:
    assert index_of(built).documents(word) == found


def test_fields_outweigh_body_text(built: Site) -> None:
    index = index_of(built)
    assert dict(index.words["besöksnäring"]) == {1: search_index.WEIGHT_TITLE}  # title
    assert dict(index.words["fattas"])[1] == search_index.WEIGHT_BODY  # body, once
    assert dict(index.words["run72023"]) == {1: search_index.WEIGHT_OWN_KEY}


def test_fragments_carry_what_a_result_shows(built: Site) -> None:
    seed = index_of(built).fragments[0]
    assert {k: v for k, v in seed.items() if k != "x"} == {
        "u": "beslut/run-138-2024/",
        "t": "Projekt: Stärka samarbeten med regioner i EU utifrån S3",
        "n": "RUN/138/2024", "d": "23 februari 2024", "e": "Samhällsutveckling"}
    text = seed["x"]
    assert text.startswith("Ärendebeskrivning Region Jämtland Härjedalen")
    assert "¶" not in text and "Uppgifter om beslutet" not in text  # no anchors, tables
    assert "Sök i registret" not in text  # nothing from around the content


def test_facets_list_documents_per_value(built: Site) -> None:
    facets = index_of(built).facets
    assert facets["År"] == {"2024": [0], "2023": [1], "2021": [2]}
    assert facets["Enhet"]["Kultur och bildning"] == [1]
    assert facets["Program"]["Egen finansiering"] == [0]
    assert list(facets) == ["År", "Program", "Enhet"]


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
    assert 'src="../assets/beslutsregister/search.js"' in html
    assert 'data-index="../sok/data/"' in html
    for asset in ("search.js", "search-engine.js", "search-state.js", "search.css"):
        assert (built.site / "assets" / "beslutsregister" / asset).is_file()
    assert '<a href="../register/">registrets översikt</a>' in html
    assert (built.site / "register" / "index.html").is_file()


def test_case_page_shows_one_title(built: Site) -> None:
    html = built.page("beslut/run-138-2024")
    assert len(re.findall(r"<h1\b", html)) == 1


def test_build_without_directory_urls(tmp_path: Path) -> None:
    config = (
        "site_name: T\nuse_directory_urls: false\ntheme:\n  name: material\n  language: sv\n"
        "plugins:\n  - beslutsregister:\n      today: \"2024-06-01\"\nnav:\n  - Start: index.md\n")
    site = make_site(tmp_path / "p", config=config)
    copy_seeds(site)
    site.built()
    assert '<form class="br-header-search" role="search" action="../sok.html"' in (
        site.site / "beslut" / "run-138-2024.html").read_text("utf-8")
    assert 'data-index="sok/data/" data-root="./"' in (site.site / "sok.html").read_text("utf-8")
    assert [f["u"] for f in index_of(site).fragments] == [
        "beslut/run-138-2024.html", "beslut/run-245-2021.html"]


def test_empty_register_builds_without_an_index(site: Site) -> None:
    site.write_case("draft.md", case_text(status="draft"))
    site.built()
    assert index_of(site).fragments == []
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
    assert _status(serving + "sok/data/index.json")[0] == 404
    assert 'class="br-header-search"' in _status(serving + "beslut/run-8-2024/")[1]
