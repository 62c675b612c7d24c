"""Open data (core): per-decision and per-year files, the funding lines, schemas, feeds.

Every exported JSON document is validated against the published schema; every feed is
parsed with feedparser; the funding CSV's pivot is compared with the grouping code.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date
from typing import Any

import feedparser
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from beslutsregister.core.loading import load_register
from beslutsregister.core.opendata import (
    ATOM_FEED,
    CATALOGUE,
    CSV_EXPORT,
    FUNDING_CSV,
    JSON_EXPORT,
    OpenDataFacts,
)
from beslutsregister.core.schema import (
    CSV_FIELDS,
    DECISION_PROPERTIES,
    DECISION_SCHEMA,
    REGISTER_SCHEMA,
    json_fields,
)
from beslutsregister.core.site import RegisterSite
from helpers import Site, case_text, copy_seeds

TODAY = date(2024, 6, 1)
SITE_URL = "https://register.example.se/"
FACTS = OpenDataFacts("Region Jämtland Härjedalen", contact_email="registrator@example.se")


def register_site(site: Site, **options: Any) -> RegisterSite:
    loaded = load_register(site.cases, site.root)
    assert loaded.problems == []
    options.setdefault("site_url", SITE_URL)
    return RegisterSite(loaded, TODAY, open_data_facts=FACTS, **options)


def csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=";"))


@pytest.fixture
def mixed(site: Site) -> Site:
    """The seeds plus cases over three years, units and programmes, a draft and an embargo."""
    copy_seeds(site)
    site.write_case("a.md", case_text(diary_number="RUN/1/2023", date="2023-05-02",
                                      unit="Kultur", funding=[
                                          {"programme": "react-eu", "amount_sek": 100},
                                          {"programme": "react-eu", "amount_sek": 50},
                                          {"programme": "egen-finansiering",
                                           "amount_sek": 7}]))
    site.write_case("b.md", case_text(diary_number="RUN/2/2023", date="2023-01-09",
                                      funding=None))
    site.write_case("c.md", case_text(diary_number="RUN/3/2024", status="draft",
                                      funding=[{"programme": "react-eu", "amount_sek": 999}]))
    site.write_case("d.md", case_text(diary_number="RUN/4/2024", publish_after="2024-07-01"))
    return site


def schema_validator(files: dict[str, str], schema: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resources(
        (SITE_URL + path, Resource.from_contents(json.loads(files[path])))
        for path in (DECISION_SCHEMA, REGISTER_SCHEMA))
    return Draft202012Validator(json.loads(files[schema]), registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_every_json_document_is_valid_against_the_published_schemas(mixed: Site) -> None:
    files = register_site(mixed).data_files()
    decision = schema_validator(files, DECISION_SCHEMA)
    whole = schema_validator(files, REGISTER_SCHEMA)
    Draft202012Validator.check_schema(json.loads(files[DECISION_SCHEMA]))
    documents = [path for path in files if path.startswith("beslut/")]
    assert sorted(documents) == ["beslut/run-1-2023.json", "beslut/run-138-2024.json",
                                 "beslut/run-2-2023.json", "beslut/run-245-2021.json"]
    for path in documents:
        assert list(decision.iter_errors(json.loads(files[path]))) == [], path
    yearly = [path for path in files if path.startswith("register/ar/")
              and path.endswith(".json")]
    assert sorted(yearly) == ["register/ar/2021.json", "register/ar/2023.json",
                              "register/ar/2024.json"]
    for path in [JSON_EXPORT, *yearly]:
        assert list(whole.iter_errors(json.loads(files[path]))) == [], path


def test_the_schema_rejects_what_the_register_never_writes(mixed: Site) -> None:
    files = register_site(mixed).data_files()
    decision = schema_validator(files, DECISION_SCHEMA)
    good = json.loads(files["beslut/run-138-2024.json"])
    for change in ({"date": "23 februari 2024"}, {"total_sek": -1}, {"extra": 1},
                   {"funding": [{"programme": "x"}]}, {"officer": {"name": 3}}):
        assert list(decision.iter_errors({**good, **change})), change
    assert list(decision.iter_errors({k: v for k, v in good.items() if k != "url"}))


def test_a_decisions_document_is_its_entry_of_the_full_export(mixed: Site) -> None:
    files = register_site(mixed).data_files()
    entries = json.loads(files[JSON_EXPORT])["cases"]
    for entry in entries:
        slug = entry["url"].rstrip("/").rsplit("/", 1)[1]
        assert json.loads(files[f"beslut/{slug}.json"]) == entry


def test_per_year_files_split_the_full_export(mixed: Site) -> None:
    files = register_site(mixed).data_files()
    full = json.loads(files[JSON_EXPORT])
    full_rows = csv_rows(files[CSV_EXPORT])
    for year in (2021, 2023, 2024):
        part = json.loads(files[f"register/ar/{year}.json"])
        assert part["programmes"] == full["programmes"]
        assert part["cases"] == [c for c in full["cases"] if c["date"].startswith(str(year))]
        rows = csv_rows(files[f"register/ar/{year}.csv"])
        assert rows == [r for r in full_rows if r["beslutsdatum"].startswith(str(year))]
        assert rows  # every year with a decision has its file


def test_the_funding_csvs_pivot_gives_the_registers_totals(mixed: Site) -> None:
    register_site_ = register_site(mixed)
    rows = csv_rows(register_site_.data_files()[FUNDING_CSV])
    assert list(rows[0]) == ["diarienummer", "beslutsdatum", "ar", "enhet", "program_id",
                             "program", "finansiar", "belopp_sek", "kommentar"]
    pivot: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        pivot[row["program_id"]][int(row["ar"])] += int(row["belopp_sek"])
    register = register_site_.public
    assert {pid: dict(years) for pid, years in pivot.items()} == {
        pid: group.amount_by_year for pid, group in register.by_programme.items()}
    assert sum(int(r["belopp_sek"]) for r in rows) == register.total_sek
    assert len(rows) == sum(len(c.funding) for c in register.cases) == 7
    react = [r for r in rows if r["diarienummer"] == "RUN/1/2023"]
    assert [(r["program"], r["finansiar"], r["belopp_sek"]) for r in react] == [
        ("REACT-EU", "Europeiska unionen", "100"), ("REACT-EU", "Europeiska unionen", "50"),
        ("Egen finansiering", "Region Jämtland Härjedalen", "7")]


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)"])
def test_no_cell_can_run_as_a_formula(site: Site, title: str) -> None:
    site.write_case("x.md", case_text(title=title, funding=[
        {"programme": "tillvaxtverket-s3", "amount_sek": 1, "note": title}]))
    files = register_site(site).data_files()
    for path in (CSV_EXPORT, "register/ar/2024.csv", FUNDING_CSV):
        for row in csv_rows(files[path]):
            for value in row.values():
                assert not value.startswith(("=", "+", "-", "@", "\t")), (path, value)
    assert csv_rows(files[CSV_EXPORT])[0]["arendemening"] == "'" + title


def test_exports_are_deterministic(mixed: Site) -> None:
    first = register_site(mixed).data_files()
    second = register_site(mixed).data_files()
    assert first == second
    assert list(first) == list(second)


def test_drafts_and_embargoed_cases_are_in_no_open_data_file(mixed: Site) -> None:
    for preview in (False, True):
        files = register_site(mixed, preview=preview).data_files()
        assert "beslut/run-3-2024.json" not in files and "beslut/run-4-2024.json" not in files
        for path, content in files.items():
            assert "RUN/3/2024" not in content and "RUN/4/2024" not in content, path


# -- feeds ---------------------------------------------------------------------------------

def parsed_feeds(files: dict[str, str]) -> dict[str, Any]:
    return {path: feedparser.parse(content) for path, content in files.items()
            if path.endswith(".xml") and "andringar" not in path}


def test_a_feed_per_programme_and_unit_besides_the_latest(mixed: Site) -> None:
    feeds = parsed_feeds(register_site(mixed).data_files())
    assert sorted(feeds) == sorted([
        ATOM_FEED, "register/program/tillvaxtverket-s3.xml", "register/program/react-eu.xml",
        "register/program/tillvaxtverket-1-1.xml", "register/program/egen-finansiering.xml",
        "register/enhet/samhallsutveckling.xml", "register/enhet/kultur.xml",
        "register/enhet/naringsliv-och-samhallsbyggnad.xml"])
    for path, feed in feeds.items():
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        assert feed.feed.links[0].href == SITE_URL + path  # rel=self
        assert feed.feed.author == "Region Jämtland Härjedalen"
        for entry in feed.entries:
            assert entry.link.startswith(SITE_URL + "beslut/")


def test_feed_entries_carry_diary_number_date_and_amounts(mixed: Site) -> None:
    feeds = parsed_feeds(register_site(mixed).data_files())
    react = feeds["register/program/react-eu.xml"]
    assert react.feed.title == "Beslut om REACT-EU"
    assert [(e.title, e.link, e.summary, e.updated) for e in react.entries] == [
        ("RUN/1/2023: Ett beslut", SITE_URL + "beslut/run-1-2023/",
         "RUN/1/2023, beslutat 2 maj 2023, Kultur. Från programmet: 150 kr "
         "(REACT-EU 100 kr, REACT-EU 50 kr).", "2023-05-02T00:00:00Z"),
        ("RUN/245/2021: Deltagande i projekt CO-RESPONS", SITE_URL + "beslut/run-245-2021/",
         "RUN/245/2021, beslutat 15 mars 2021, Näringsliv och samhällsbyggnad. "
         "Från programmet: 1 798 740 kr (REACT-EU 1 798 740 kr).", "2021-03-15T00:00:00Z"),
    ]
    latest = feeds[ATOM_FEED]
    assert latest.entries[0].summary == (
        "RUN/138/2024, beslutat 23 februari 2024, Samhällsutveckling. Finansiering: "
        "920 000 kr (Tillväxtverket – Stärk era samarbeten med andra regioner i EU utifrån "
        "S3 460 000 kr, Egen finansiering 460 000 kr).")
    assert [t.term for t in latest.entries[0].tags] == ["tillvaxtverket-s3",
                                                         "egen-finansiering"]


def test_feeds_list_the_latest_feed_size_decisions_newest_first(site: Site) -> None:
    for day in range(1, 6):
        site.write_case(f"{day}.md", case_text(diary_number=f"RUN/{day}/2024",
                                               date=f"2024-01-0{day}"))
    feeds = parsed_feeds(register_site(site, feed_size=2).data_files())
    for feed in feeds.values():
        assert [e.id for e in feed.entries] == [SITE_URL + "beslut/run-5-2024/",
                                                SITE_URL + "beslut/run-4-2024/"]


def test_without_a_site_address_there_are_no_feeds_and_no_catalogue(mixed: Site) -> None:
    files = register_site(mixed, site_url="").data_files()
    assert not [path for path in files if path.endswith((".xml", ".rdf"))]
    assert json.loads(files["beslut/run-138-2024.json"])["url"] == "beslut/run-138-2024/"
    assert "$id" not in json.loads(files[DECISION_SCHEMA])


def test_the_catalogue_is_published_with_a_site_address(mixed: Site) -> None:
    files = register_site(mixed).data_files()
    assert files[CATALOGUE].startswith("<?xml")
    for path in (CSV_EXPORT, JSON_EXPORT, FUNDING_CSV, DECISION_SCHEMA, ATOM_FEED):
        assert f"{SITE_URL}{path}" in files[CATALOGUE]


# -- the documentation of the fields -----------------------------------------------------

def test_every_field_of_a_record_is_documented(mixed: Site) -> None:
    record = json.loads(register_site(mixed).data_files()["beslut/run-138-2024.json"])
    documented = {f.name for f in json_fields()}

    def names(value: Any, prefix: str = "") -> set[str]:
        found: set[str] = set()
        if isinstance(value, dict):
            for key, inner in value.items():
                found |= {prefix + key} | names(inner, f"{prefix}{key}.")
        elif isinstance(value, list):
            for inner in value:
                found |= names(inner, prefix[:-1] + "[].")
        return found

    assert names(record) <= documented
    assert set(record) == set(DECISION_PROPERTIES)
    rows = csv_rows(register_site(mixed).data_files()[CSV_EXPORT])
    assert list(rows[0]) == [f.name for f in CSV_FIELDS]


def test_feeds_stay_well_formed_with_quotes_in_a_programme_name(site: Site) -> None:
    (site.cases / "programmes.yml").write_text(
        'react-eu:\n  name: \'Programmet "Stärk" & <co>\'\n', encoding="utf-8")
    site.write_case("x.md", case_text())
    for path, feed in parsed_feeds(register_site(site).data_files()).items():
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        for entry in feed.entries:
            assert entry.tags[0].label == 'Programmet "Stärk" & <co>'
