"""The publication gate, end to end: nothing unpublished reaches any file of site/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from beslutsregister.search.query import diary_key
from helpers import Site, case_text, make_site

TODAY = "2024-06-01"

# Distinctive values: if any reaches site/, a scan finds it.
HIDDEN = {
    "draft.md": dict(
        diary_number="RUN/901/2024", title="Hemligt utkast Zebrafink",
        status="draft", funding=[{"programme": "react-eu", "amount_sek": 987654321}],
        project={"name": "Projekt Zebrafink"},
    ),
    "embargo.md": dict(
        diary_number="RUN/902/2024", title="Embargo Kolibri", publish_after="2024-06-02",
        date="2024-05-30", unit="Kolibrienheten",
        funding=[{"programme": "tillvaxtverket-s3", "amount_sek": 123456789}],
    ),
}
PUBLIC = {
    "public.md": dict(diary_number="RUN/903/2024", title="Offentligt beslut",
                      funding=[{"programme": "react-eu", "amount_sek": 200000}]),
    "lifted.md": dict(diary_number="RUN/904/2024", title="Embargo hävt i dag",
                      publish_after=TODAY,
                      funding=[{"programme": "react-eu", "amount_sek": 50000}]),
}


def forbidden_strings() -> list[str]:
    strings = []
    for fields in HIDDEN.values():
        number = str(fields["diary_number"])
        strings += [number, number.lower().replace("/", "-"), str(fields["title"])]
        for source in fields.get("funding", []):  # type: ignore[attr-defined]
            amount = source["amount_sek"]
            strings += [str(amount), f"{amount:,}".replace(",", "\u00a0"), f"{amount:,}"]
    strings += ["Projekt Zebrafink", "Kolibrienheten"]
    # the search index holds words in lower case, and diary numbers as keys
    strings += [s.lower() for s in strings] + [
        diary_key(str(fields["diary_number"])) for fields in HIDDEN.values()]
    return strings


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = make_site(tmp_path_factory.mktemp("gate") / "project", today=TODAY)
    for name, fields in {**HIDDEN, **PUBLIC}.items():
        site.write_case(name, case_text(**fields))
    site.built()
    return site


def test_no_unpublished_value_in_any_output_file(gated: Site) -> None:
    files = list(gated.output_text())
    assert len(files) > 20  # pages, assets, sitemap, exports, feed, search index
    index = "".join(text for path, text in files if "sok/data" in path.as_posix())
    assert "offentligt" in index and diary_key("RUN/903/2024") in index  # the scan sees it
    leaks = [
        (path.relative_to(gated.site).as_posix(), needle)
        for path, text in files
        for needle in forbidden_strings()
        if needle in text
    ]
    assert leaks == []


def test_no_output_path_names_an_unpublished_case(gated: Site) -> None:
    paths = [p.relative_to(gated.site).as_posix() for p in gated.site.rglob("*")]
    assert not [p for p in paths if "901" in p or "902" in p or "kolibri" in p]


def test_public_cases_and_lifted_embargo_are_published(gated: Site) -> None:
    assert "Offentligt beslut" in gated.page("beslut/run-903-2024")
    assert "Embargo hävt i dag" in gated.page("beslut/run-904-2024")


def test_counts_and_totals_count_only_public_cases(gated: Site) -> None:
    start = gated.page("register")
    assert re.search(r"Registret innehåller 2 beslut med finansiering om totalt "
                     r"250\u00a0000\u00a0kr", start)
    year = gated.page("register/ar/2024")
    assert "2 beslut fattade 2024" in year
    react = gated.page("register/program/react-eu")
    assert "250\u00a0000\u00a0kr" in react
    # The embargoed case is the programme's only one: the programme has no page yet.
    assert not (gated.site / "register" / "program" / "tillvaxtverket-s3").exists()


def test_sitemap_and_exports_list_only_public_cases(gated: Site) -> None:
    sitemap = (gated.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "beslut/run-903-2024/" in sitemap
    assert "run-901" not in sitemap and "run-902" not in sitemap
    csv = (gated.site / "register" / "beslut.csv").read_text(encoding="utf-8-sig")
    assert [line.split(";")[0] for line in csv.splitlines()[1:]] == [
        "RUN/903/2024", "RUN/904/2024"]


def test_the_clock_decides_when_an_embargo_lifts(tmp_path: Path) -> None:
    site = make_site(tmp_path / "later", today="2024-06-02")
    site.write_case("embargo.md", case_text(**HIDDEN["embargo.md"]))
    site.built()
    assert "Embargo Kolibri" in site.page("beslut/run-902-2024")


def test_open_data_is_linked_and_the_feed_discoverable(gated: Site) -> None:
    start = gated.page("register")
    for href in ("beslut.csv", "beslut.json", "senaste.xml"):
        assert f'href="{href}"' in start
    feed_link = ('<link rel="alternate" type="application/atom+xml" title="Senaste besluten" '
                 'href="{}register/senaste.xml">')  # relative: see test_no_other_hosts.py
    assert feed_link.format("../../") in gated.page("beslut/run-903-2024")
    assert feed_link.format("") in (gated.site / "index.html").read_text(encoding="utf-8")


def test_staff_text_cannot_add_data_attributes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "forged", today=TODAY)
    body = ('## Beslut\n\n<span data-pagefind-filter="Program:Förfalskat" '
            'data-pagefind-meta="title:Falsk">Text</span>\n')
    site.write_case("x.md", case_text(body=body))
    site.built()
    page = site.page("beslut/run-1-2024")
    assert "Text" in page
    assert "Förfalskat" not in page and "title:Falsk" not in page
