"""exports: CSV, JSON and Atom of the published register; the seeds in full, nothing private."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pytest

from beslutsregister.core.loading import load_register
from beslutsregister.core.site import ATOM_FEED, CSV_EXPORT, JSON_EXPORT, RegisterSite
from helpers import Site, case_text, copy_seeds

TODAY = date(2024, 6, 1)
SITE_URL = "https://register.example.se/"
ATOM = "{http://www.w3.org/2005/Atom}"


def data_files(site: Site, **options: Any) -> dict[str, str]:
    loaded = load_register(site.cases, site.root)
    assert loaded.problems == []
    return RegisterSite(loaded, TODAY, site_url=SITE_URL, **options).data_files()


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # Excel needs the byte-order mark to read UTF-8
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


@pytest.fixture
def seeds(site: Site) -> dict[str, str]:
    copy_seeds(site)
    return data_files(site)


RUN_138 = {
    "diary_number": "RUN/138/2024",
    "title": "Projekt: Stärka samarbeten med regioner i EU utifrån S3",
    "date": "2024-02-23",
    "unit": "Samhällsutveckling",
    "officer": {"name": "Ingrid Ahnlund Rode", "email": "ingrid.ahnlund-rode@regionjh.se",
                "phone": None},
    "decided_by": {"name": "Magnus Aspegren", "role": "Regional utvecklingsdirektör"},
    "delegation": "Delegationsbestämmelser för regionala utvecklingsnämnden i Region Jämtland "
                  "Härjedalen 2023–2026, punkt 8.2",
    "reported_to": "Regionala utvecklingsnämnden",
    "copy_to": ["Tillväxtverket"],
    "project": {"name": "Stärka samarbeten med regioner i EU utifrån smart specialisering",
                "start": "2024-03-01", "end": "2024-11-30", "budget_sek": 920000},
    "funding": [
        {"programme": "tillvaxtverket-s3", "amount_sek": 460000,
         "note": "Söks från Tillväxtverkets utlysning"},
        {"programme": "egen-finansiering", "amount_sek": 460000,
         "note": "Arbetstid inom befintliga strategitjänster"},
    ],
    "total_sek": 920000,
    "corrections": [],
    "revoked": None,
    "modified": "2024-02-23",
    "url": "https://register.example.se/beslut/run-138-2024/",
}

RUN_245 = {
    "diary_number": "RUN/245/2021",
    "title": "Deltagande i projekt CO-RESPONS",
    "date": "2021-03-15",
    "unit": "Näringsliv och samhällsbyggnad",
    "officer": {"name": "Åsa Hernerud", "email": "asa.hernerud@regionjh.se",
                "phone": "063146529"},
    "decided_by": {"name": "Anna Halvarsson", "role": "Områdeschef Hållbar tillväxt"},
    "delegation": "Delegationsbestämmelser för regionala utvecklingsnämnden i Region Jämtland "
                  "Härjedalen 2019–2022, punkt 8.1",
    "reported_to": "Regionala utvecklingsnämnden",
    "copy_to": [],
    "project": {"name": "CO-RESPONS", "start": "2021-04-01", "end": "2023-10-31",
                "budget_sek": None},
    "funding": [
        {"programme": "react-eu", "amount_sek": 1798740, "note": "Sökt belopp från REACT-EU"},
        {"programme": "tillvaxtverket-1-1", "amount_sek": 900000,
         "note": "Region Jämtland Härjedalens del av 1 800 000 kronor över tre år "
                 "(basfinansiering RES)"},
    ],
    "total_sek": 2698740,
    "corrections": [],
    "revoked": None,
    "modified": "2021-03-15",
    "url": "https://register.example.se/beslut/run-245-2021/",
}


def test_json_of_the_seeds(seeds: dict[str, str]) -> None:
    data = json.loads(seeds[JSON_EXPORT])
    assert data["cases"] == [RUN_138, RUN_245]  # newest first
    assert list(data["programmes"]) == [
        "tillvaxtverket-s3", "react-eu", "tillvaxtverket-1-1", "egen-finansiering"]
    assert data["programmes"]["react-eu"] == {
        "name": "REACT-EU", "funder": "Europeiska unionen", "url": None}
    assert "Åsa" in seeds[JSON_EXPORT]  # UTF-8 as written, not \u escapes


def test_json_carries_no_bodies(seeds: dict[str, str]) -> None:
    assert "Ärendebeskrivning" not in seeds[JSON_EXPORT]
    assert "Coronapandemin" not in seeds[JSON_EXPORT]


def test_csv_of_the_seeds(seeds: dict[str, str]) -> None:
    text = seeds[CSV_EXPORT]
    assert text.count("\r\n") == 3 and "\n" not in text.replace("\r\n", "")
    assert csv_rows(text) == [
        ["diarienummer", "beslutsdatum", "arendemening", "enhet", "handlaggare",
         "beslutsfattare", "beslutsfattarens_roll", "projekt", "program", "belopp_sek",
         "senast_andrad", "rattelser", "upphavd", "url"],
        ["RUN/138/2024", "2024-02-23", "Projekt: Stärka samarbeten med regioner i EU utifrån S3",
         "Samhällsutveckling", "Ingrid Ahnlund Rode", "Magnus Aspegren",
         "Regional utvecklingsdirektör",
         "Stärka samarbeten med regioner i EU utifrån smart specialisering",
         "tillvaxtverket-s3|egen-finansiering", "920000", "2024-02-23", "0", "",
         "https://register.example.se/beslut/run-138-2024/"],
        ["RUN/245/2021", "2021-03-15", "Deltagande i projekt CO-RESPONS",
         "Näringsliv och samhällsbyggnad", "Åsa Hernerud", "Anna Halvarsson",
         "Områdeschef Hållbar tillväxt", "CO-RESPONS", "react-eu|tillvaxtverket-1-1", "2698740",
         "2021-03-15", "0", "", "https://register.example.se/beslut/run-245-2021/"],
    ]


def test_atom_of_the_seeds(seeds: dict[str, str]) -> None:
    feed = ET.fromstring(seeds[ATOM_FEED].encode("utf-8"))
    assert feed.findtext(f"{ATOM}id") == "https://register.example.se/register/senaste.xml"
    assert feed.findtext(f"{ATOM}updated") == "2024-02-23T00:00:00Z"
    entries = [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}id"),
                e.findtext(f"{ATOM}summary")) for e in feed.findall(f"{ATOM}entry")]
    assert entries == [
        ("RUN/138/2024: Projekt: Stärka samarbeten med regioner i EU utifrån S3",
         "https://register.example.se/beslut/run-138-2024/",
         "RUN/138/2024, beslutat 23 februari 2024, Samhällsutveckling. Finansiering: "
         "920 000 kr (Tillväxtverket – Stärk era samarbeten med andra regioner i EU utifrån "
         "S3 460 000 kr, Egen finansiering 460 000 kr)."),
        ("RUN/245/2021: Deltagande i projekt CO-RESPONS",
         "https://register.example.se/beslut/run-245-2021/",
         "RUN/245/2021, beslutat 15 mars 2021, Näringsliv och samhällsbyggnad. Finansiering: "
         "2 698 740 kr (REACT-EU 1 798 740 kr, Tillväxtverkets 1:1-anslag (basfinansiering "
         "RES) 900 000 kr)."),
    ]


def test_urls_without_directory_urls(site: Site) -> None:
    copy_seeds(site)
    data = json.loads(data_files(site, use_directory_urls=False)[JSON_EXPORT])
    assert data["cases"][0]["url"] == "https://register.example.se/beslut/run-138-2024.html"


def test_protected_officer_is_absent_from_every_export(site: Site) -> None:
    site.write_case("x.md", case_text(officer={
        "name": "Skyddad Person", "email": "skyddad@example.se", "phone": "0701112233",
        "protected": True}))
    files = data_files(site)
    for content in files.values():
        for secret in ("Skyddad", "skyddad@example.se", "0701112233"):
            assert secret not in content
    record = json.loads(files[JSON_EXPORT])["cases"][0]
    assert record["officer"] is None and record["unit"] == "Samhällsutveckling"
    assert csv_rows(files[CSV_EXPORT])[1][3:5] == ["Samhällsutveckling", ""]


def test_masked_text_and_bodies_never_reach_exports(site: Site) -> None:
    site.write_case("x.md", case_text(body="Sökande: [[maskera: hemlig text]].\n"))
    for content in data_files(site).values():
        assert "hemlig text" not in content and "Sökande" not in content


def test_drafts_and_embargoed_cases_are_absent(site: Site) -> None:
    site.write_case("a.md", case_text())
    site.write_case("b.md", case_text(diary_number="RUN/2/2024", status="draft"))
    site.write_case("c.md", case_text(diary_number="RUN/3/2024", publish_after="2024-06-02"))
    for preview in (False, True):
        files = data_files(site, preview=preview)
        assert [c["diary_number"] for c in json.loads(files[JSON_EXPORT])["cases"]] == [
            "RUN/1/2024"]
        assert [row[0] for row in csv_rows(files[CSV_EXPORT])[1:]] == ["RUN/1/2024"]
        for content in files.values():
            assert "RUN/2/2024" not in content and "RUN/3/2024" not in content


def test_special_characters_survive_each_format(site: Site) -> None:
    title = 'Samverkan <Norr> & "Syd"; del 1'
    site.write_case("x.md", case_text(title=title))
    files = data_files(site)
    assert json.loads(files[JSON_EXPORT])["cases"][0]["title"] == title
    assert csv_rows(files[CSV_EXPORT])[1][2] == title
    feed = ET.fromstring(files[ATOM_FEED].encode("utf-8"))
    assert feed.findtext(f"{ATOM}entry/{ATOM}title") == f"RUN/1/2024: {title}"
    assert "<Norr>" not in files[ATOM_FEED]


def test_feed_size_limits_the_feed_not_the_exports(site: Site) -> None:
    for day in range(1, 6):
        site.write_case(f"{day}.md", case_text(diary_number=f"RUN/{day}/2024",
                                               date=f"2024-01-0{day}"))
    files = data_files(site, feed_size=2)
    feed = ET.fromstring(files[ATOM_FEED].encode("utf-8"))
    assert [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == [
        f"{SITE_URL}beslut/run-5-2024/", f"{SITE_URL}beslut/run-4-2024/"]
    assert len(json.loads(files[JSON_EXPORT])["cases"]) == 5


def test_unfunded_case(site: Site) -> None:
    site.write_case("x.md", case_text(funding=None))
    files = data_files(site)
    record = json.loads(files[JSON_EXPORT])["cases"][0]
    assert (record["funding"], record["total_sek"]) == ([], 0)
    assert csv_rows(files[CSV_EXPORT])[1][8:10] == ["", "0"]
    summary = ET.fromstring(files[ATOM_FEED].encode()).findtext(f"{ATOM}entry/{ATOM}summary")
    assert summary == "RUN/1/2024, beslutat 23 februari 2024, Samhällsutveckling."


def test_empty_register(site: Site) -> None:
    files = data_files(site)
    assert json.loads(files[JSON_EXPORT])["cases"] == []
    assert len(csv_rows(files[CSV_EXPORT])) == 1
    feed = ET.fromstring(files[ATOM_FEED].encode())
    assert feed.findall(f"{ATOM}entry") == [] and feed.findtext(f"{ATOM}updated")
