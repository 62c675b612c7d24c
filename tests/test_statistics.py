"""statistics and charts: the statistics page's figures are the grouping code's figures, and
its SVG bar charts are accessible images that scale to a 320 px phone."""

from __future__ import annotations

import posixpath
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

import pytest

from beslutsregister.core import charts
from beslutsregister.core.charts import Bar, Scale, bar_chart
from beslutsregister.core.grouping import Register
from beslutsregister.core.loading import load_register
from beslutsregister.core.model import Case, Programme
from beslutsregister.core.pages import PageSpec, Urls
from beslutsregister.core.statistics import (
    FUNDING_CAPTION,
    STATISTICS_PAGE,
    STATISTICS_TITLE,
    UNITS_CAPTION,
    statistics_page,
)
from beslutsregister.core.swedish import NBSP, count_decisions, format_number, format_sek
from helpers import Site, case_text, copy_seeds
from test_grouping import CASES, PROGRAMMES, make_case

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<&"> \'x\''
#: The content width of a 320 px page (Material's 0.8rem margins at 20 px a rem).
PHONE_CONTENT_PX = 288

# -- small registers -------------------------------------------------------------------------

HOSTILE_PROGRAMMES = {**PROGRAMMES, "fond": Programme("fond", f"Fond {HOSTILE} Norr")}

REGISTERS: dict[str, tuple[list[Case], dict[str, Programme]]] = {
    # two programmes on a case, an unfunded case, a programme twice on a case, a gap year
    "grouping": (CASES, PROGRAMMES),
    "one-case": ([make_case("RUN/1/2024", "2024-02-23", "Enhet A", (("s3", 460000),))],
                 PROGRAMMES),
    "unfunded-only": ([make_case("RUN/1/2024", "2024-01-02", "Enhet A"),
                       make_case("RUN/2/2023", "2023-01-02", "Enhet B")], PROGRAMMES),
    "hostile-names": ([
        make_case("RUN/1/2024", "2024-03-01", f"Enhet {HOSTILE} Syd", (("fond", 7),)),
        make_case("RUN/2/2022", "2022-03-01", "Enhet A", (("fond", 3), ("egen", 2))),
    ], HOSTILE_PROGRAMMES),
    "many-years": ([
        make_case(f"RUN/{i}/{year}", f"{year}-0{1 + i % 9}-01", unit, funding)
        for i, (year, unit, funding) in enumerate([
            (2019, "Kultur", (("egen", 1_000_000),)),
            (2019, "Kultur", ()),
            (2020, "Näringsliv", (("s3", 25_000), ("react-eu", 5_000))),
            (2023, "Näringsliv", (("react-eu", 12_500_000),)),
            (2023, "Ökad tillgänglighet", (("egen", 0),)),
            (2024, "Kultur", (("s3", 999),)),
            (2024, "Kultur", (("s3", 1),)),
        ], 1)
    ], PROGRAMMES),
}


@pytest.fixture(params=sorted(REGISTERS))
def register(request: pytest.FixtureRequest) -> Register:
    cases, programmes = REGISTERS[request.param]
    shuffled = cases[:]
    random.Random(7).shuffle(shuffled)
    return Register.of(shuffled, programmes)


# -- reading the page ------------------------------------------------------------------------


def blocks(spec: PageSpec) -> list[ET.Element]:
    """The page's HTML blocks, parsed as XML (the page writes them well-formed)."""
    return [ET.fromstring(f"<root>{html}</root>") for html in (spec.head, *spec.blocks)]


def text(element: ET.Element) -> str:
    return "".join(element.itertext())


@dataclass
class Table:
    region: ET.Element
    caption: str
    head: list[ET.Element]
    rows: list[tuple[ET.Element, list[str]]]  # (row header cell, data cells' text)
    foot: tuple[ET.Element, list[str]]


def tables(spec: PageSpec) -> dict[str, Table]:
    """Caption -> table, of every table on the page."""
    found = {}
    for root in blocks(spec):
        for region in root.iter("div"):
            if region.get("class") != "br-scroll":
                continue
            (table,) = region
            caption = table.find("caption")
            assert caption is not None
            head = table.findall("thead/tr/th")
            rows = [(tr[0], [text(td) for td in tr[1:]]) for tr in table.findall("tbody/tr")]
            (foot,) = table.findall("tfoot/tr")
            found[text(caption)] = Table(region, text(caption), head, rows,
                                         (foot[0], [text(td) for td in foot[1:]]))
    return found


def figures(spec: PageSpec, id_part: str) -> list[tuple[str, ET.Element]]:
    """(caption, svg) of each chart whose ids contain ``id_part``."""
    found = []
    for root in blocks(spec):
        for figure in root.iter("figure"):
            caption = figure.find("figcaption")
            svg = figure.find(f"{SVG}svg")
            assert caption is not None and svg is not None
            if id_part in svg.get("aria-labelledby", ""):
                found.append((text(caption), svg))
    return found


def description(svg: ET.Element) -> str:
    desc = svg.find(f"{SVG}desc")
    assert desc is not None
    return text(desc)


def unit_counts(register: Register, unit: str) -> dict[int, int]:
    """Decisions of a unit per year, from the grouping code (by_unit and by_year)."""
    return {year: len(set(register.by_unit[unit]) & set(cases))
            for year, cases in register.by_year.items()}


# -- the tables' figures are the grouping's --------------------------------------------------


def test_sum_over_programmes_is_the_registers_total(register: Register) -> None:
    """Every funding line is of a known programme, so the programmes add up to the total."""
    groups = register.by_programme.values()
    assert sum(g.total_sek for g in groups) == register.total_sek
    for year, total in register.total_by_year.items():
        assert sum(g.amount_by_year.get(year, 0) for g in groups) == total


def test_funding_table_is_the_groupings(register: Register) -> None:
    spec = statistics_page(register, Urls())
    if not register.by_programme:
        assert FUNDING_CAPTION not in tables(spec)
        return
    table = tables(spec)[FUNDING_CAPTION]
    years = list(register.by_year)
    assert [text(th) for th in table.head] == ["Program", *map(str, years), "Totalt"]
    assert [text(th) for th, _ in table.rows] == [
        g.programme.name for g in register.by_programme.values()]
    for (_, cells), group in zip(table.rows, register.by_programme.values(), strict=True):
        assert cells == [format_sek(group.amount_by_year.get(y, 0)) for y in years] + [
            format_sek(group.total_sek)]
        assert [kronor(cell) for cell in cells[:-1]] == [
            group.amount_by_year.get(y, 0) for y in years]
    foot_header, foot = table.foot
    assert text(foot_header) == "Totalt"
    assert foot == [format_sek(register.total_by_year[y]) for y in years] + [
        format_sek(register.total_sek)]
    # and the columns add up to the total row
    for column, total in enumerate(foot):
        assert sum(kronor(cells[column]) for _, cells in table.rows) == kronor(total)


def test_unit_table_is_the_groupings(register: Register) -> None:
    table = tables(statistics_page(register, Urls()))[UNITS_CAPTION]
    years = list(register.by_year)
    assert [text(th) for th in table.head] == ["Enhet", *map(str, years), "Totalt"]
    assert [text(th) for th, _ in table.rows] == list(register.by_unit)
    for (_, cells), unit in zip(table.rows, register.by_unit, strict=True):
        counts = unit_counts(register, unit)
        assert cells == [format_number(counts[y]) for y in years] + [
            format_number(len(register.by_unit[unit]))]
    assert table.foot[1] == [format_number(len(register.by_year[y])) for y in years] + [
        format_number(len(register.cases))]
    for column, total in enumerate(table.foot[1]):
        assert sum(int(cells[column].replace(NBSP, "")) for _, cells in table.rows) == int(
            total.replace(NBSP, ""))


def kronor(cell: str) -> int:
    """A Swedish amount as the page writes it (format_sek's, exactly) back to an int."""
    assert re.fullmatch(r"\d{1,3}(\u00a0\d{3})*\u00a0kr", cell), cell
    value = int(cell.removesuffix(f"{NBSP}kr").replace(NBSP, ""))
    assert format_sek(value) == cell
    return value


def test_swedish_formats() -> None:
    spec = statistics_page(Register.of(CASES, PROGRAMMES), Urls())
    assert (spec.src_uri, spec.title, spec.nav_group) == (
        STATISTICS_PAGE, STATISTICS_TITLE, "top")
    assert spec.updated == date(2024, 5, 1)  # the newest decision counted
    table = tables(spec)[FUNDING_CAPTION]
    assert table.rows[0][1][0] == "460\u00a0000\u00a0kr"
    assert table.foot[1][-1] == "1\u00a0070\u00a0008\u00a0kr"
    intro = text(blocks(spec)[0])
    assert "5 beslut" in intro and "1\u00a0070\u00a0008\u00a0kr" in intro
    assert "2021–2024" in intro


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-urls"])
def test_rows_link_to_their_pages(register: Register, directory_urls: bool) -> None:
    urls = Urls(directory_urls)
    spec = statistics_page(register, urls)
    found = tables(spec)
    expected = [(FUNDING_CAPTION, urls.programme(pid)) for pid in register.by_programme]
    expected += [(UNITS_CAPTION, urls.unit(unit)) for unit in register.by_unit]
    links = [(caption, th.find("a")) for caption, table in found.items() for th, _ in table.rows]
    assert len(links) == len(expected)
    here = posixpath.dirname(urls.url(STATISTICS_PAGE))  # where relative links start
    for (caption, link), (want_caption, target) in zip(links, expected, strict=True):
        assert link is not None and caption == want_caption
        href = link.get("href", "")
        assert href == urls.link(STATISTICS_PAGE, target)
        resolved = posixpath.normpath(posixpath.join(here, href))
        assert resolved == posixpath.normpath(urls.url(target))


def test_table_markup(register: Register) -> None:
    for caption, table in tables(statistics_page(register, Urls())).items():
        region = table.region
        assert (region.get("role"), region.get("aria-label"), region.get("tabindex")) == (
            "region", caption, "0")
        assert [th.get("scope") for th in table.head] == ["col"] * len(table.head)
        assert all(th.get("class") == "br-amount" for th in table.head[1:])
        (element,) = region
        assert element.get("class") == "br-stats"
        for tr in element.iter("tr"):
            if tr.find("th[@scope='col']") is None:
                assert tr[0].tag == "th" and tr[0].get("scope") == "row"
                assert all(td.tag == "td" and td.get("class") == "br-amount" for td in tr[1:])


# -- the charts on the page ------------------------------------------------------------------


def test_one_chart_per_programme_and_unit_with_every_figure(register: Register) -> None:
    spec = statistics_page(register, Urls())
    years = list(register.by_year)
    programme_charts = figures(spec, "-program-")
    assert len(programme_charts) == len(register.by_programme)
    for (caption, svg), group in zip(programme_charts, register.by_programme.values(),
                                     strict=True):
        assert caption == f"{group.programme.name}: totalt {format_sek(group.total_sek)}"
        desc = description(svg)
        for year in years:
            assert f"{year}: {format_sek(group.amount_by_year.get(year, 0))}" in desc
        assert f"Totalt {format_sek(group.total_sek)}." in desc
    unit_charts = figures(spec, "-enhet-")
    assert len(unit_charts) == len(register.by_unit)
    for (caption, svg), unit in zip(unit_charts, register.by_unit, strict=True):
        counts = unit_counts(register, unit)
        assert caption == f"{unit}: totalt {count_decisions(len(register.by_unit[unit]))}"
        assert all(f"{y}: {count_decisions(counts[y])}" in description(svg) for y in years)


def test_charts_of_a_section_share_one_scale(register: Register) -> None:
    """A bar's length is its figure over the section's largest figure: bars compare across
    the section's charts, and the largest figure's bar is the full length."""
    spec = statistics_page(register, Urls())
    years = list(register.by_year)
    sections = [
        ("-program-", [[Bar("", g.amount_by_year.get(y, 0), format_sek(g.amount_by_year.get(y, 0)))
                        for y in years] for g in register.by_programme.values()]),
        ("-enhet-", [[Bar("", n, count_decisions(n)) for n in unit_counts(register, u).values()]
                     for u in register.by_unit]),
    ]
    for id_part, section in sections:
        scale = Scale.of(bar for bars in section for bar in bars)
        drawn = [bars_of(svg) for _, svg in figures(spec, id_part)]
        assert len(drawn) == len(section)
        for chart_bars, expected in zip(drawn, section, strict=True):
            assert [width for _, width, _ in chart_bars] == [
                scale.length(bar.value) or None for bar in expected]
            assert [value for _, _, value in chart_bars] == [bar.text for bar in expected]
        widths = [width or 0 for chart_bars in drawn for _, width, _ in chart_bars]
        if scale.maximum:
            assert max(widths) == pytest.approx(scale.bar_space, abs=0.05)


def test_ids_are_unique_and_labels_point_at_them(register: Register) -> None:
    spec = statistics_page(register, Urls())
    ids = [e.get("id") for root in blocks(spec) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    for _, svg in figures(spec, "-"):
        assert_labelled(svg)


def test_empty_register() -> None:
    spec = statistics_page(Register.of([], PROGRAMMES), Urls())
    assert (spec.src_uri, spec.title, spec.nav_group) == (
        STATISTICS_PAGE, STATISTICS_TITLE, "top")
    assert "inga beslut" in spec.head and spec.updated is None
    assert "<svg" not in spec.fill(spec.markdown) and "<table" not in spec.fill(spec.markdown)


def test_register_without_funding_has_no_funding_charts() -> None:
    cases, programmes = REGISTERS["unfunded-only"]
    spec = statistics_page(Register.of(cases, programmes), Urls())
    assert "Inget beslut i registret har finansiering" in spec.markdown
    assert figures(spec, "-program-") == [] and list(tables(spec)) == [UNITS_CAPTION]


def test_hostile_names_are_escaped() -> None:
    cases, programmes = REGISTERS["hostile-names"]
    spec = statistics_page(Register.of(cases, programmes), Urls())
    raw = spec.head + spec.markdown + "".join(spec.blocks)
    assert HOSTILE not in raw and '<&"' not in raw
    found = tables(spec)
    assert f"Fond {HOSTILE} Norr" in [text(th) for th, _ in found[FUNDING_CAPTION].rows]
    assert f"Enhet {HOSTILE} Syd" in [text(th) for th, _ in found[UNITS_CAPTION].rows]
    captions = [caption for caption, _ in figures(spec, "-")]
    assert f"Fond {HOSTILE} Norr: totalt 10{NBSP}kr" in captions
    titles = [text(svg.find(f"{SVG}title")) for _, svg in figures(spec, "-")]  # type: ignore[arg-type]
    assert f"Antal beslut från Enhet {HOSTILE} Syd per år" in titles


def test_page_is_deterministic() -> None:
    shuffled = CASES[:]
    random.Random(1).shuffle(shuffled)
    one = statistics_page(Register.of(CASES, PROGRAMMES), Urls())
    two = statistics_page(Register.of(shuffled, PROGRAMMES), Urls())
    assert (one.head, one.markdown, one.blocks) == (two.head, two.markdown, two.blocks)
    assert one.digest == two.digest


def test_loaded_register(site: Site) -> None:
    """A register as loading gives it (the repository's cases, and a case of an unknown
    programme, which loading refuses): the page's totals are the register's."""
    copy_seeds(site)
    site.write_case("okand.md", case_text(
        diary_number="RUN/99/2024", funding=[{"programme": "okand", "amount_sek": 5}]))
    loaded = load_register(site.cases, site.root)
    assert [p.path for p in loaded.problems] == ["cases/okand.md"]
    register = Register.of(loaded.cases, loaded.programmes)
    assert register.cases and register.by_programme
    found = tables(statistics_page(register, Urls()))
    assert found[FUNDING_CAPTION].foot[1][-1] == format_sek(register.total_sek)
    assert sum(kronor(cells[-1]) for _, cells in found[FUNDING_CAPTION].rows) == (
        register.total_sek)
    assert found[UNITS_CAPTION].foot[1][-1] == format_number(len(register.cases))


# -- the chart writer ------------------------------------------------------------------------


def chart(*values: int, labels: tuple[str, ...] = (), **options: object) -> ET.Element:
    labels = labels or tuple(str(2024 - i) for i in range(len(values)))
    bars = [Bar(label, value, format_sek(value)) for label, value in zip(labels, values,
                                                                         strict=True)]
    svg = bar_chart(bars, title=options.pop("title", "Diagram"),  # type: ignore[arg-type]
                    id_prefix=options.pop("id_prefix", "d"), **options)  # type: ignore[arg-type]
    return ET.fromstring(svg)


def assert_labelled(svg: ET.Element) -> None:
    """role="img", named by its own <title> and <desc> (both non-empty)."""
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby", "").split()
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert text(title).strip() and text(desc).strip()
    assert list(svg)[:2] == [title, desc]  # first, as SVG asks


def bars_of(svg: ET.Element) -> list[tuple[list[str], float | None, str]]:
    """Each bar's (label lines, rect width or None, printed value)."""
    result = []
    for group in svg.findall(f"{SVG}g"):
        label, value = group.findall(f"{SVG}text")
        rect = group.find(f"{SVG}rect")
        lines = [text(tspan) for tspan in label.findall(f"{SVG}tspan")]
        result.append((lines, None if rect is None else float(rect.get("width", "")),
                       text(value)))
    return result


def test_chart_is_an_accessible_image() -> None:
    svg = chart(460000, 50007, 0, title="Finansiering per år", summary="Totalt 510 007 kr.")
    assert_labelled(svg)
    assert svg.get("aria-labelledby") == "d-titel d-beskrivning"
    assert text(svg.find(f"{SVG}title")) == "Finansiering per år"  # type: ignore[arg-type]
    assert description(svg) == (
        f"Totalt 510 007 kr. 2024: 460{NBSP}000{NBSP}kr; 2023: 50{NBSP}007{NBSP}kr; "
        f"2022: 0{NBSP}kr.")


@pytest.mark.parametrize(
    "values",
    [
        pytest.param((460000, 230000, 115000), id="halves"),
        pytest.param((1, 3, 2), id="small"),
        pytest.param((12_500_000, 0, 6_250_000), id="zero-in-the-middle"),
        pytest.param((7,), id="one-bar"),
        pytest.param((5, 5), id="equal"),
    ],
)
def test_bar_lengths_are_proportional(values: tuple[int, ...]) -> None:
    svg = chart(*values)
    full = Scale.of(Bar("", v, format_sek(v)) for v in values).bar_space
    widths = [width for _, width, _ in bars_of(svg)]
    for value, width in zip(values, widths, strict=True):
        if value == 0:
            assert width is None  # no bar at all
            continue
        assert width is not None
        assert width == pytest.approx(full * value / max(values), abs=0.05)
    assert max(w or 0 for w in widths) == pytest.approx(full, abs=0.05)  # largest: full length


def test_all_zero_draws_no_bars() -> None:
    svg = chart(0, 0)
    assert svg.find(f".//{SVG}rect") is None
    assert [value for _, _, value in bars_of(svg)] == [f"0{NBSP}kr", f"0{NBSP}kr"]


def test_tiny_value_still_shows() -> None:
    (_, tiny, _), (_, big, _) = bars_of(chart(1, 10_000_000))
    assert tiny == 1.0 and big is not None and big > 200


def test_shared_scale() -> None:
    scale = Scale(maximum=100, value_chars=len(format_sek(100)))
    (_, half, _), = bars_of(chart(50, scale=scale))
    assert half == pytest.approx(scale.bar_space / 2, abs=0.05)
    with pytest.raises(ValueError, match="scale"):
        chart(200, scale=scale)


def test_values_fit_after_their_bars() -> None:
    values = (999_999_999, 123, 45_000_000)
    svg = chart(*values)
    for element in svg.findall(f"{SVG}g"):
        value = element.findall(f"{SVG}text")[1]
        end = float(value.get("x", "")) + len(text(value)) * charts.CHAR_WIDTH
        assert end <= charts.WIDTH


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        pytest.param("2024", 1, id="year"),
        pytest.param("Samhällsutveckling", 1, id="word"),
        pytest.param("Europeiska regionala utvecklingsfonden – Mellersta Norrland, "
                     "programperioden 2021–2027", 3, id="long"),
        pytest.param("x" * 100, 3, id="one-long-word"),
    ],
)
def test_long_labels_wrap_into_lines(label: str, lines: int) -> None:
    (wrapped, _, _), = bars_of(chart(10, labels=(label,)))
    assert len(wrapped) == lines
    assert all(len(line) * charts.CHAR_WIDTH <= charts.WIDTH for line in wrapped)
    assert "".join(wrapped).replace(" ", "") == label.replace(" ", "")
    ys = [float(t.get("y", "")) for t in chart(10, labels=(label,)).iter(f"{SVG}tspan")]
    assert ys == sorted(set(ys))  # one line below the other


def test_text_is_escaped() -> None:
    svg_text = bar_chart([Bar(f"Enhet {HOSTILE}", 1, f"1 {HOSTILE}")], title=f"T {HOSTILE}",
                         id_prefix="x", summary=f"S {HOSTILE}\x01")
    assert HOSTILE not in svg_text
    svg = ET.fromstring(svg_text)
    assert text(svg.find(f"{SVG}title")) == f"T {HOSTILE}"  # type: ignore[arg-type]
    assert description(svg) == f"S {HOSTILE} Enhet {HOSTILE}: 1 {HOSTILE}."  # no \x01
    assert bars_of(svg) == [([f"Enhet {HOSTILE}"], charts.Scale.of(
        [Bar("", 1, f"1 {HOSTILE}")]).bar_space, f"1 {HOSTILE}")]


def test_chart_is_deterministic_with_short_numbers() -> None:
    bars = [Bar(str(y), v, format_sek(v)) for y, v in [(2024, 1), (2023, 3), (2022, 7)]]
    one = bar_chart(bars, title="T", id_prefix="p")
    assert one == bar_chart(list(bars), title="T", id_prefix="p")
    svg = ET.fromstring(one)
    numbers = [value for element in svg.iter() if element is not svg
               for name, value in element.attrib.items() if name in ("x", "y", "width", "height")]
    assert len(numbers) > 10 and all(re.fullmatch(r"\d+(\.\d)?", n) for n in numbers)
    view_box = svg.get("viewBox", "").split()
    assert all(re.fullmatch(r"\d+(\.\d)?", n) for n in view_box)


def test_chart_scales_to_a_320_px_phone() -> None:
    svg = chart(460000, 10)
    assert svg.get("width") == "100%" and svg.get("height") is None
    x, y, width, height = map(float, svg.get("viewBox", "").split())
    assert (x, y, width) == (0, 0, charts.WIDTH) and height > 0
    # text drawn at least 12 px in the 288 px of content a 320 px page has
    assert float(svg.get("font-size", "")) * PHONE_CONTENT_PX / width >= 12
    assert "px" not in ET.tostring(svg, encoding="unicode")
    # nothing drawn beyond the viewBox
    for rect in svg.iter(f"{SVG}rect"):
        assert float(rect.get("y", "")) + float(rect.get("height", "")) <= height
        assert float(rect.get("width", "")) <= width


def test_colours_have_enough_contrast_against_white() -> None:
    svg = chart(460000, 10)
    text_colour = svg.get("fill", "")
    bar_colours = {rect.get("fill", "") for rect in svg.iter(f"{SVG}rect")}
    assert all(e.get("fill") is None for e in svg.iter(f"{SVG}text"))  # all inherit it
    assert contrast(text_colour, "#ffffff") >= 4.5  # WCAG 1.4.3
    assert bar_colours and all(contrast(c, "#ffffff") >= 3 for c in bar_colours)  # 1.4.11


def contrast(one: str, two: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(
    ("bars", "id_prefix", "message"),
    [
        pytest.param([], "d", "at least one bar", id="no-bars"),
        pytest.param([Bar("a", 1, "1")], "two words", "id prefix", id="space-in-id"),
        pytest.param([Bar("a", 1, "1")], "1d", "id prefix", id="id-starts-with-digit"),
        pytest.param([Bar("a", -1, "-1")], "d", "negative", id="negative"),
    ],
)
def test_refuses_bad_input(bars: list[Bar], id_prefix: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bar_chart(bars, title="T", id_prefix=id_prefix)
