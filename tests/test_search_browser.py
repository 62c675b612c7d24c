"""The search in a real browser: headless Chromium (Debian's, /usr/bin/chromium) through
Playwright, on a built register served from 127.0.0.1.

The register: the two seed decisions, generated decisions that share words with them
(and cite RUN/138/2024), a draft and an embargoed case. These tests never skip: without
Chromium they fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page

from beslutsregister.core.swedish import MONTHS
from beslutsregister.search.index import tokens
from helpers import (
    DRAFT_TITLE,
    EMBARGO_TITLE,
    NORMALISED,
    STOP_WORDS,
    Site,
    case_text,
    make_site,
    serve,
    write_mixed_register,
)

UNITS = ("Samhällsutveckling", "Kultur och bildning", "Kollektivtrafik")
PROGRAMMES = ("tillvaxtverket-s3", "react-eu", "egen-finansiering", "tillvaxtverket-1-1")
THEMES = ("besöksnäring", "kompetensförsörjning", "cirkulär ekonomi", "digital infrastruktur",
          "grön omställning", "jämlik hälsa")
GENERATED = 36


def write_generated(site: Site) -> None:
    """Decisions on 'samverkan' over four years, three units and four programmes, and one
    whose title tries to inject markup.

    Every fourth cites RUN/138/2024 (three times), so a search for that diary number has
    other pages to rank below it; some share words with the seed's project name.
    """
    for i in range(GENERATED):
        year = 2021 + i % 4
        theme = THEMES[i % len(THEMES)]
        cites = "Beslutet bygger på RUN/138/2024. Se RUN/138/2024 och run 138/2024.\n\n" \
            if i % 4 == 0 else ""
        # some say it more often: ranking by relevance is not by date
        again = "Samverkan igen. " * ((i * 7) % 5)
        body = (f"## Ärendebeskrivning\n\n{cites}{again}Regionen deltar i samverkan om {theme} för "
                "att stärka samarbeten med regioner i EU.\n\n## Beslut\n\nBeslutet fattas.\n")
        funding = [{"programme": PROGRAMMES[i % 4], "amount_sek": 10_000 + i}]
        if i % 5 == 0:
            funding.append({"programme": PROGRAMMES[(i + 1) % 4], "amount_sek": 5_000})
        site.write_case(f"gen-{i}.md", case_text(
            body=body, diary_number=f"RUN/{500 + i}/{year}",
            title=f"Samverkan om {theme} ({i})", date=f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            unit=UNITS[i % 3], funding=funding,
            project={"name": f"Samverkan {theme} {i}"}))
    site.write_case("injection.md", case_text(
        diary_number="RUN/999/2022", title="<img src=x onerror=alert(1)> injektion",
        date="2022-06-01", body="## Beslut\n\nInjektion prövas.\n"))


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = make_site(tmp_path_factory.mktemp("browser") / "project")
    write_mixed_register(site)
    write_generated(site)
    site.built()
    return site


@pytest.fixture(scope="module")
def base_url(register: Site) -> Iterator[str]:
    with serve(register.site) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    # Material asks Google for fonts; there is no internet here, and no need.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == []


_RESULTS_SHOWN = """() => {
  const message = document.getElementById("br-status");
  const found = message && message.textContent.match(/gav (inga|[\\d\\s]+) träff/);
  if (!found) return false;
  const count = found[1] === "inga" ? 0 : Number(found[1].replace(/\\s/g, ""));
  const links = document.querySelectorAll(".br-result__title a").length;
  return links === Math.min(count, 10);
}"""
STATUS = "#br-status"
LINKS = ".br-result__title a"


def results(page: Page) -> list[str]:
    """Result links (href) once the UI shows a count and the first results' titles."""
    page.wait_for_function(_RESULTS_SHOWN, timeout=15_000)
    links: list[str] = page.eval_on_selector_all(
        LINKS, "links => links.map(a => a.getAttribute('href'))")
    return links


def result_count(page: Page) -> int:
    page.wait_for_function(_RESULTS_SHOWN, timeout=15_000)
    text = page.inner_text(STATUS)
    found = re.search(r"gav (inga|[\d\s]+) träff", text)  # 1 435: a no-break space
    assert found is not None, text
    return 0 if found[1] == "inga" else int(re.sub(r"\s", "", found[1]))


def search_for(page: Page, base_url: str, query: str) -> list[str]:
    page.goto(f"{base_url}sok/?q={quote(query)}")
    return results(page)


def dates_shown(page: Page) -> list[tuple[int, int, int]]:
    """Decision dates of the shown results, from their 'Beslutsdatum: 2 maj 2023' tags."""
    tags = page.eval_on_selector_all(
        '[data-meta="beslutsdatum"]', "tags => tags.map(t => t.textContent)")
    dates = []
    for tag in tags:
        day, month, year = tag.split(":", 1)[1].split()
        dates.append((int(year), MONTHS.index(month) + 1, int(day)))
    return dates


# -- finding things ---------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "first"), [
    ("Stärka samarbeten med regioner i EU utifrån smart specialisering",
     "/beslut/run-138-2024/"),
    ("CO-RESPONS", "/beslut/run-245-2021/"),
])
def test_a_seed_project_name_finds_the_seed_first(page: Page, base_url: str, query: str,
                                                  first: str) -> None:
    found = search_for(page, base_url, query)
    assert found[0] == first


def test_typing_in_the_search_page_finds_and_keeps_the_query(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}sok/")
    page.fill("#br-q", "CO-RESPONS")
    assert results(page)[0] == "/beslut/run-245-2021/"
    page.wait_for_function("() => location.search.includes('q=CO-RESPONS')")


@pytest.mark.parametrize("typed", [
    "run 138/2024", "RUN/0138/2024", "RUN 138 2024", "run-138-2024", "138/2024",
    "Dnr RUN/138/2024",
])
def test_a_diary_number_typed_loosely_finds_its_case_first(page: Page, base_url: str,
                                                          typed: str) -> None:
    found = search_for(page, base_url, typed)
    assert found[0] == "/beslut/run-138-2024/"
    assert found.count("/beslut/run-138-2024/") == 1


def test_pages_citing_a_diary_number_follow_its_case(page: Page, base_url: str) -> None:
    found = search_for(page, base_url, "RUN/138/2024")
    assert found[0] == "/beslut/run-138-2024/"
    assert len(found) == 1 + GENERATED // 4  # then each page that cites it


def test_a_number_that_is_no_diary_number_is_searched_as_typed(page: Page,
                                                              base_url: str) -> None:
    # "2021-04-01" normalises to the key 202141, which finds nothing: the date as typed,
    # in the body of RUN/245/2021, does
    assert search_for(page, base_url, "2021-04-01") == ["/beslut/run-245-2021/"]


@pytest.mark.parametrize("text", [DRAFT_TITLE, EMBARGO_TITLE, "kvantdatorerna", "Zyxelbolaget",
                                  "RUN/8/2024", "run 9 2024"])
def test_drafts_embargoes_and_masked_text_find_nothing(page: Page, base_url: str,
                                                      text: str) -> None:
    assert search_for(page, base_url, text) == []
    assert "gav inga träffar" in page.inner_text(STATUS)


def test_a_draft_is_not_among_many_results(page: Page, base_url: str) -> None:
    search_for(page, base_url, "beslutet")
    count = result_count(page)
    while page.locator("#br-more").is_visible():
        shown = page.locator(LINKS).count()
        page.click("#br-more")
        page.wait_for_function(f"() => document.querySelectorAll({LINKS!r}).length > {shown}")
        # the first new result takes the focus, for keyboard and screen-reader users
        assert page.evaluate("() => document.activeElement.closest('li')?.previousElementSibling"
                             "?.querySelectorAll('a').length") == 1
    found = page.eval_on_selector_all(LINKS, "links => links.map(a => a.getAttribute('href'))")
    assert len(set(found)) == count >= GENERATED
    assert not [url for url in found if url in ("/beslut/run-8-2024/", "/beslut/run-9-2024/")]


def test_a_result_shows_its_facts_and_an_excerpt_with_the_words_marked(page: Page,
                                                                      base_url: str) -> None:
    search_for(page, base_url, "smart specialisering")
    first = page.locator(".br-result").first
    assert first.locator("h2 a").inner_text() == (
        "Projekt: Stärka samarbeten med regioner i EU utifrån S3")
    facts = first.locator(".br-result__meta").inner_text()
    assert facts == ("Diarienummer: RUN/138/2024 · Beslutsdatum: 23 februari 2024 · "
                     "Enhet: Samhällsutveckling")
    marked = first.locator(".br-result__excerpt mark").all_inner_texts()
    assert {m.lower() for m in marked} >= {"smart", "specialisering"}


def test_a_half_typed_word_finds_the_words_it_begins(page: Page, base_url: str) -> None:
    search_for(page, base_url, "samverkan")
    whole = result_count(page)
    assert search_for(page, base_url, "samverka") == ["/beslut/run-138-2024/"]  # the word
    page.fill("#br-q", "")
    page.type("#br-q", "samverka")  # still typing: also the words it begins
    page.wait_for_function(f"""() => {{
        const m = document.getElementById('br-status').textContent.match(/gav ([\\d\\s]+) träff/);
        return m && Number(m[1].replace(/\\s/g, '')) > {whole};
    }}""")  # samverkan, samverka, samverkansavtal...
    assert search_for(page, base_url, "samverk") != []  # no such word: the words it begins


def test_a_title_cannot_inject_markup(page: Page, base_url: str) -> None:
    search_for(page, base_url, "injektion")
    title = page.locator(".br-result h2 a").first
    assert title.inner_text() == "<img src=x onerror=alert(1)> injektion"
    assert page.locator(".br-result img").count() == 0


def test_a_double_click_on_more_shows_each_result_once(page: Page, base_url: str) -> None:
    search_for(page, base_url, "samverkan")
    count = result_count(page)
    assert count > 20
    page.dblclick("#br-more")
    page.wait_for_function(f"() => document.querySelectorAll({LINKS!r}).length >= 20")
    page.wait_for_timeout(300)  # a second page, if the double click fetched one, is in
    found = page.eval_on_selector_all(LINKS, "links => links.map(a => a.getAttribute('href'))")
    assert len(found) == 20 == len(set(found))


@pytest.mark.parametrize("query", ["constructor", "__proto__ samverkan", "toString"])
def test_words_that_are_javascript_names_find_nothing_quietly(page: Page, base_url: str,
                                                              query: str) -> None:
    assert search_for(page, base_url, query) == []  # and no page error (the fixture checks)


# -- facets and order ------------------------------------------------------------------------


def show_facets(page: Page) -> None:
    """Ask for the facets (their data is not part of a first search)."""
    page.click("#br-facets")
    page.wait_for_selector("fieldset.br-facet")
    assert not page.locator("#br-facets").is_visible()


def facet_option(page: Page, facet: str, value: str) -> Any:
    block = page.locator("fieldset.br-facet", has=page.locator("legend", has_text=facet))
    return block.locator("label.br-facet__value", has_text=value)


def option_count(option: Any) -> int:
    found = re.search(r"\((\d+)\)", option.inner_text())
    assert found is not None
    return int(found[1])


def test_a_facet_narrows_and_two_values_widen_again(page: Page, base_url: str) -> None:
    search_for(page, base_url, "samverkan")
    assert page.locator("fieldset.br-facet").count() == 0  # not loaded yet
    show_facets(page)
    everything = result_count(page)
    assert everything >= GENERATED
    y2023, y2022 = facet_option(page, "År", "2023"), facet_option(page, "År", "2022")
    n2023, n2022 = option_count(y2023), option_count(y2022)
    assert 0 < n2023 < everything and 0 < n2022 < everything

    y2023.locator("input").check()
    page.wait_for_function(f"() => /gav {n2023} träff/.test("
                           "document.getElementById('br-status').textContent)")
    assert {year for year, _, _ in dates_shown(page)} == {2023}
    assert option_count(y2022) == n2022  # counts of an OR facet ignore its own choice

    y2022.locator("input").check()  # a second year: either year (OR), not both (AND)
    page.wait_for_function(f"() => /gav {n2023 + n2022} träff/.test("
                           "document.getElementById('br-status').textContent)")
    assert {year for year, _, _ in dates_shown(page)} <= {2022, 2023}

    unit = facet_option(page, "Enhet", "Kollektivtrafik")  # another facet: AND between facets
    in_unit = option_count(unit)
    assert 0 < in_unit < n2023 + n2022
    unit.locator("input").check()
    page.wait_for_function(f"() => /gav {in_unit} träff/.test("
                           "document.getElementById('br-status').textContent)")


def test_a_facet_value_from_an_old_address_is_dropped(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}sok/?q=samverkan&f.Enhet={quote('Nedlagd enhet')}"
              f"&f.Enhet={quote('Kollektivtrafik')}")
    page.wait_for_selector("fieldset.br-facet")
    page.wait_for_function("() => !location.search.includes('Nedlagd')")
    assert "f.Enhet=Kollektivtrafik" in page.url
    assert page.locator("label.br-facet__value input:checked").count() == 1
    assert result_count(page) > 0


def test_programme_facet_lists_programme_names(page: Page, base_url: str) -> None:
    search_for(page, base_url, "samverkan")
    show_facets(page)
    option = facet_option(page, "Program", "REACT-EU")
    assert option_count(option) > 0
    option.locator("input").check()
    page.wait_for_function(f"() => /gav {option_count(option)} träff/.test("
                           "document.getElementById('br-status').textContent)")


NEWEST = "Beslutsdatum: 24 december 2024"  # the newest generated decision on samverkan
_FIRST_DATE = """() => document.querySelector('[data-meta="beslutsdatum"]')
    ?.textContent.trim()"""


def test_results_sort_by_decision_date(page: Page, base_url: str) -> None:
    search_for(page, base_url, "samverkan")
    relevance = dates_shown(page)
    assert relevance != sorted(relevance, reverse=True)  # else this test proves nothing
    page.select_option("#br-sort", "datum")
    page.wait_for_function("() => location.search.includes('ordning=datum')")
    page.wait_for_function(f"() => ({_FIRST_DATE})() === {NEWEST!r}")
    results(page)
    newest_first = dates_shown(page)
    assert newest_first == sorted(newest_first, reverse=True)
    assert len(newest_first) == 10

    page.reload()  # the order is kept in the address
    results(page)
    assert page.input_value("#br-sort") == "datum"
    assert dates_shown(page) == newest_first


# -- every page, and without JavaScript ------------------------------------------------------


def test_the_header_field_of_a_case_page_searches(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}beslut/run-138-2024/")
    page.fill("#br-header-q", "CO-RESPONS")
    page.press("#br-header-q", "Enter")
    page.wait_for_url(re.compile(r"/sok/\?q=CO-RESPONS$"))
    assert results(page)[0] == "/beslut/run-245-2021/"


def test_without_javascript_the_search_page_says_where_to_browse(browser: Browser,
                                                                 base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base_url}register/ar/2023/")
        page.fill("#br-header-q", "samverkan")  # a plain form: works without JavaScript
        page.press("#br-header-q", "Enter")
        page.wait_for_url(re.compile(r"/sok/\?q=samverkan$"))
        assert page.locator(".br-search__nojs").is_visible()
        assert not page.locator(".br-search__tools").is_visible()  # they need the script
        assert "Sökningen behöver JavaScript" in page.inner_text(".br-search__nojs")
        page.get_by_role("link", name="registrets översikt").first.click()
        page.wait_for_url(re.compile(r"/register/$"))
        assert page.get_by_role("heading", name="Alla beslut").is_visible()
    finally:
        context.close()


def test_the_browser_normalises_queries_like_python(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}sok/")
    normalised, without, words = page.evaluate(
        """async ([url, queries, stop, texts]) => {
            const engine = await import(url);
            return [queries.map(q => [q, engine.normaliseQuery(q)]),
                    stop.map(q => [q, engine.withoutStopWords(q)]),
                    texts.map(t => engine.tokens(t))];
        }""",
        [f"{base_url}assets/beslutsregister/search-engine.js", [q for q, _ in NORMALISED],
         [q for q, _ in STOP_WORDS], TOKEN_TEXTS])
    assert [tuple(row) for row in normalised] == NORMALISED
    assert [tuple(row) for row in without] == STOP_WORDS
    assert words == [tokens(text) for text in TOKEN_TEXTS]


#: Texts the browser must split into words exactly as the index does.
TOKEN_TEXTS = [
    "Stärka samarbeten med regioner i EU utifrån S3", "CO-RESPONS", "RUN/0138/2024",
    "Ålänningar ÄGER öar", "e-post: a_b@c.se", "0063146527 och 000", "Œuvre ﬁnal – “citat”",
    "Kostnad 460 000 kr (2024-02-23)", "",
]
