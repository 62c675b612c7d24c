"""pages and site: the Markdown of every page, its address, and the publication gate."""

from __future__ import annotations

import posixpath
import re
from datetime import date
from pathlib import Path

import pytest

from beslutsregister.core.loading import load_register
from beslutsregister.core.pages import PageSpec, Urls, status_banner
from beslutsregister.core.site import ATOM_FEED, CSV_EXPORT, JSON_EXPORT, CasePageMemo, RegisterSite
from helpers import Site, case_text, copy_seeds, make_site

TODAY = date(2024, 6, 1)


def register_site(site: Site, today: date = TODAY, **options: object) -> RegisterSite:
    loaded = load_register(site.cases, site.root)
    assert loaded.problems == []
    return RegisterSite(loaded, today, **options)  # type: ignore[arg-type]


def content(spec: PageSpec) -> str:
    """The page's Markdown with its pre-rendered HTML blocks in place."""
    return spec.fill(spec.markdown)


def facts(page: PageSpec | str) -> dict[str, str]:
    """Label -> cell HTML of the facts table of a page."""
    text = page if isinstance(page, str) else content(page)
    table = text.split('<table class="br-facts">', 1)[1].split("</table>", 1)[0]
    return dict(re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', table))


# -- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src_uri", "directory_urls", "url"),
    [
        pytest.param("beslut/run-138-2024.md", True, "beslut/run-138-2024/", id="case"),
        pytest.param("beslut/run-138-2024.md", False, "beslut/run-138-2024.html", id="case-html"),
        pytest.param("register/index.md", True, "register/", id="start"),
        pytest.param("register/ar/2024.md", True, "register/ar/2024/", id="year"),
        pytest.param("index.md", True, "", id="home"),
        pytest.param("register/beslut.json", True, "register/beslut.json", id="data-file"),
    ],
)
def test_url(src_uri: str, directory_urls: bool, url: str) -> None:
    assert Urls(directory_urls).url(src_uri) == url


PAGES = ["index.md", "beslut/run-1-2024.md", "register/index.md", "register/ar/2024.md",
         "register/program/react-eu.md", "register/enhet/samhallsutveckling.md"]


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-urls"])
@pytest.mark.parametrize("from_src", PAGES)
@pytest.mark.parametrize("to", [*PAGES[1:], "register/beslut.csv"])
def test_link_leads_to_the_page(from_src: str, to: str, directory_urls: bool) -> None:
    urls = Urls(directory_urls)
    here = urls.url(from_src)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    link = urls.link(from_src, to)
    assert not link.startswith("/") and "://" not in link  # relative: works offline too
    target = urls.url(to) if to.endswith(".md") else to
    assert posixpath.normpath(posixpath.join(base, link)) == posixpath.normpath(target or ".")


def test_case_address_depends_on_the_diary_number_only(tmp_path: Path) -> None:
    one = make_site(tmp_path / "one")
    one.write_case("a.md", case_text())
    two = make_site(tmp_path / "two")
    two.write_case("zzz.md", case_text(title="Annan titel", date="2020-01-01", unit="Annan"))
    assert ([p.src_uri for p in register_site(one).case_pages()]
            == [p.src_uri for p in register_site(two).case_pages()]
            == ["beslut/run-1-2024.md"])


@pytest.mark.parametrize(
    ("unit", "src_uri"),
    [
        ("Enhet A", "register/enhet/enhet-a.md"),
        ("Östra Ånge", "register/enhet/ostra-ange.md"),
        ("Ω", "register/enhet/enhet.md"),
    ],
)
def test_unit_addresses_depend_on_the_name_only(unit: str, src_uri: str) -> None:
    assert Urls().unit(unit) == src_uri
    assert Urls().unit(unit) == Urls().unit(unit)


# -- a case page -----------------------------------------------------------------------------


@pytest.fixture
def seeds(site: Site) -> RegisterSite:
    copy_seeds(site)
    return register_site(site)


def test_seed_case_page_facts(seeds: RegisterSite) -> None:
    case = seeds.register.get("run-138-2024")
    assert case is not None
    spec = seeds.builder.case_page(case)
    assert (spec.src_uri, spec.title, spec.nav_group) == (
        "beslut/run-138-2024.md", "Projekt: Stärka samarbeten med regioner i EU utifrån S3", None)
    nbsp = "\u00a0"
    assert facts(spec) == {
        "Diarienummer": '<span class="br-diary">RUN/138/2024</span>',
        "Ärendemening": "Projekt: Stärka samarbeten med regioner i EU utifrån S3",
        "Beslutsdatum": '<time datetime="2024-02-23">23 februari 2024</time>',
        "Enhet": '<a href="../../register/enhet/samhallsutveckling/">Samhällsutveckling</a>',
        "Handläggare": 'Ingrid Ahnlund Rode<br>E-post: <a href="mailto:ingrid.ahnlund-rode@'
                       'regionjh.se">ingrid.ahnlund-rode@regionjh.se</a>',
        "Beslutsfattare": "Magnus Aspegren, Regional utvecklingsdirektör",
        "Delegation": "Delegationsbestämmelser för regionala utvecklingsnämnden i Region "
                      "Jämtland Härjedalen 2023–2026, punkt 8.2",
        "Projekt": "Stärka samarbeten med regioner i EU utifrån smart specialisering",
        "Projektperiod": '<time datetime="2024-03-01">1 mars 2024</time> – '
                         '<time datetime="2024-11-30">30 november 2024</time>',
        "Projektets budget": f"920{nbsp}000{nbsp}kr",
        "Finansiering": f'920{nbsp}000{nbsp}kr <a href="#finansiering">(se fördelning)</a>',
        "Anmäls till": "Regionala utvecklingsnämnden",
        "Utdrag till": "Tillväxtverket",
        "Se även": '<a href="../../register/ar/2024/">Alla beslut 2024</a>',
    }
    # the body follows the facts, then the funding table with its sum
    body = content(spec).split("</table>", 1)[1]
    assert body.index("## Ärendebeskrivning") < body.index("## Utdrag till") < body.index(
        "## Finansiering")
    assert re.findall(r'<td class="br-amount"[^>]*>(.*?)</td>', body) == [
        f"460{nbsp}000{nbsp}kr", f"460{nbsp}000{nbsp}kr", f"920{nbsp}000{nbsp}kr"]


def test_seed_phone_is_published_as_written(seeds: RegisterSite) -> None:
    case = seeds.register.get("run-245-2021")
    assert case is not None
    assert facts(seeds.builder.case_page(case))["Handläggare"].endswith(
        "<br>Telefon: 063146529")


def test_values_are_escaped(site: Site) -> None:
    site.write_case("x.md", case_text(
        title="Samverkan <Norr> & Syd", unit="Enhet <b>", delegation='"punkt" <8.2>',
        decided_by={"name": "A & B", "role": "<i>Chef</i>"}))
    spec = register_site(site).case_pages()[0]
    table = facts(spec)
    assert table["Ärendemening"] == "Samverkan &lt;Norr&gt; &amp; Syd"
    assert table["Enhet"].endswith(">Enhet &lt;b&gt;</a>")
    assert table["Delegation"] == "&quot;punkt&quot; &lt;8.2&gt;"
    assert table["Beslutsfattare"] == "A &amp; B, &lt;i&gt;Chef&lt;/i&gt;"
    assert spec.title == "Samverkan <Norr> & Syd"  # plain text: whoever renders it escapes it


def test_protected_officer_is_replaced_by_the_unit(site: Site) -> None:
    site.write_case("x.md", case_text(officer={
        "name": "Skyddad Person", "email": "skyddad@example.se", "phone": "0701112233",
        "protected": True}))
    markdown = content(register_site(site).case_pages()[0])
    assert facts(markdown)["Handläggare"] == "Handläggare vid Samhällsutveckling"
    for secret in ("Skyddad", "skyddad@example.se", "0701112233"):
        assert secret not in markdown


def test_masked_body(site: Site) -> None:
    site.write_case("x.md", case_text(body="Sökande: [[maskera: hemlig text]].\n\n"
                                           "[[maskera 26:1: hälsa]]\n"))
    markdown = content(register_site(site).case_pages()[0])
    assert "Sökande: [Uppgift borttagen enligt 21 kap. 3 § OSL]." in markdown
    assert "[Uppgift borttagen enligt 26 kap. 1 § OSL]" in markdown
    assert "hemlig text" not in markdown and "hälsa" not in markdown and "maskera" not in markdown


@pytest.mark.parametrize(
    ("fields", "rows"),
    [
        pytest.param({"project": {"name": "P", "start": "2024-03-01"}},
                     {"Projekt": "P", "Projektperiod": '<time datetime="2024-03-01">1 mars '
                      "2024</time> – ej angivet"}, id="project-without-end"),
        pytest.param({"project": {"name": "P"}}, {"Projekt": "P"}, id="project-without-period"),
        pytest.param({"copy_to": ["A", "B & C"]}, {"Utdrag till": "A, B &amp; C"},
                     id="several-copies"),
        pytest.param({"decided_by": {"name": "Magnus"}}, {"Beslutsfattare": "Magnus"},
                     id="decision-maker-without-role"),
    ],
)
def test_optional_rows(site: Site, fields: dict[str, object], rows: dict[str, str]) -> None:
    site.write_case("x.md", case_text(**fields))
    table = facts(register_site(site).case_pages()[0])
    assert {label: table.get(label) for label in rows} == rows
    absent = {"Delegation", "Anmäls till", "Projektets budget"} - set(rows)
    assert not absent & set(table)


def test_unfunded_case(site: Site) -> None:
    site.write_case("x.md", case_text(funding=None))
    built = register_site(site)
    markdown = content(built.case_pages()[0])
    assert "Finansiering" not in facts(markdown)
    assert "## Finansiering" not in markdown
    year = content(built.builder.year_page(2024, built.register.by_year[2024]))
    assert "<td class=\"br-amount\">–</td>" in year


# -- banners and the publication gate --------------------------------------------------------


@pytest.fixture
def gated(site: Site) -> Site:
    site.write_case("published.md", case_text(diary_number="RUN/1/2024"))
    site.write_case("draft.md", case_text(diary_number="RUN/2/2024", status="draft"))
    site.write_case("embargo.md", case_text(diary_number="RUN/3/2024", publish_after="2024-06-02"))
    site.write_case("lifts.md", case_text(diary_number="RUN/4/2024", publish_after="2024-06-01"))
    site.write_case("lifted.md", case_text(diary_number="RUN/5/2024", publish_after="2024-01-01"))
    return site


def test_public_build_shows_only_public_cases(gated: Site) -> None:
    built = register_site(gated)
    public = ["RUN/1/2024", "RUN/4/2024", "RUN/5/2024"]
    assert [c.diary_number for c in built.register.cases] == public
    assert [p.src_uri for p in built.case_pages()] == [
        "beslut/run-1-2024.md", "beslut/run-4-2024.md", "beslut/run-5-2024.md"]
    everything = "".join(content(p) for p in built.overview_pages() + built.case_pages())
    everything += "".join(built.data_files().values())
    for hidden in ("RUN/2/2024", "run-2-2024", "RUN/3/2024", "run-3-2024"):
        assert hidden not in everything
    assert "3 beslut" in content(built.builder.start_page())


def test_embargo_lifts_on_its_day(gated: Site) -> None:
    later = register_site(gated, today=date(2024, 6, 2))
    assert [c.diary_number for c in later.register.cases] == [
        "RUN/1/2024", "RUN/3/2024", "RUN/4/2024", "RUN/5/2024"]


def test_preview_shows_everything_with_banners_but_exports_stay_public(gated: Site) -> None:
    preview = register_site(gated, preview=True)
    assert len(preview.register.cases) == 5
    pages = {p.src_uri: content(p) for p in preview.case_pages()}
    assert "Utkast – ej publicerat" in pages["beslut/run-2-2024.md"]
    assert "Publiceras 2024-06-02" in pages["beslut/run-3-2024.md"]
    assert 'role="status"' not in pages["beslut/run-1-2024.md"]
    assert "Utkast – ej publicerat" in content(preview.builder.start_page())
    data = "".join(preview.data_files().values())
    assert "RUN/1/2024" in data
    for hidden in ("RUN/2/2024", "RUN/3/2024"):
        assert hidden not in data


@pytest.mark.parametrize(
    ("fields", "banner"),
    [
        pytest.param({}, "", id="published"),
        pytest.param({"status": "draft"}, '<strong class="br-status br-status--draft">'
                     "Utkast – ej publicerat</strong>", id="draft"),
        pytest.param({"status": "draft", "publish_after": "2030-01-01"},
                     '<strong class="br-status br-status--draft">Utkast – ej publicerat</strong>',
                     id="draft-wins-over-embargo"),
        pytest.param({"publish_after": "2024-06-02"}, '<strong class="br-status '
                     'br-status--embargoed">Publiceras 2024-06-02</strong>', id="embargoed"),
        pytest.param({"publish_after": "2024-06-01"}, "", id="lifted-today"),
    ],
)
def test_status_banner(site: Site, fields: dict[str, object], banner: str) -> None:
    site.write_case("x.md", case_text(**fields))
    case = load_register(site.cases, site.root).cases[0]
    assert status_banner(case, TODAY) == banner


# -- overview pages --------------------------------------------------------------------------


def test_overview_pages_of_the_seeds(seeds: RegisterSite) -> None:
    assert [(p.src_uri, p.title, p.nav_group) for p in seeds.overview_pages()] == [
        ("register/index.md", "Alla beslut", "start"),
        ("register/statistik.md", "Statistik", "top"),
        ("register/oppna-data.md", "Öppna data", "top"),
        ("register/ar/2024.md", "Beslut 2024", "År"),
        ("register/ar/2021.md", "Beslut 2021", "År"),
        ("register/program/tillvaxtverket-s3.md",
         "Tillväxtverket – Stärk era samarbeten med andra regioner i EU utifrån S3", "Program"),
        ("register/program/react-eu.md", "REACT-EU", "Program"),
        ("register/program/tillvaxtverket-1-1.md",
         "Tillväxtverkets 1:1-anslag (basfinansiering RES)", "Program"),
        ("register/program/egen-finansiering.md", "Egen finansiering", "Program"),
        ("register/enhet/naringsliv-och-samhallsbyggnad.md", "Näringsliv och samhällsbyggnad",
         "Enheter"),
        ("register/enhet/samhallsutveckling.md", "Samhällsutveckling", "Enheter"),
    ]


def test_start_page_of_the_seeds(seeds: RegisterSite) -> None:
    page = content(seeds.builder.start_page())
    nbsp = "\u00a0"
    assert page.startswith(
        f"<p>Registret innehåller 2 beslut med finansiering om totalt 3{nbsp}618{nbsp}740"
        f"{nbsp}kr.</p>")
    rows = re.findall(r'<tr><th scope="row"><a href="([^"]+)">([^<]+)</a></th>(.*?)</tr>', page)
    cells = [(posixpath.normpath(posixpath.join("register/", href)), text,
              re.findall(r"<td[^>]*>(.*?)</td>", rest)) for href, text, rest in rows]
    assert cells[:8] == [
        ("register/ar/2024", "2024", ["1", f"920{nbsp}000{nbsp}kr"]),
        ("register/ar/2021", "2021", ["1", f"2{nbsp}698{nbsp}740{nbsp}kr"]),
        ("register/program/tillvaxtverket-s3",
         "Tillväxtverket – Stärk era samarbeten med andra regioner i EU utifrån S3",
         ["Tillväxtverket", "1", f"460{nbsp}000{nbsp}kr"]),
        ("register/program/react-eu", "REACT-EU",
         ["Europeiska unionen", "1", f"1{nbsp}798{nbsp}740{nbsp}kr"]),
        ("register/program/tillvaxtverket-1-1",
         "Tillväxtverkets 1:1-anslag (basfinansiering RES)",
         ["Tillväxtverket", "1", f"900{nbsp}000{nbsp}kr"]),
        ("register/program/egen-finansiering", "Egen finansiering",
         ["Region Jämtland Härjedalen", "1", f"460{nbsp}000{nbsp}kr"]),
        ("register/enhet/naringsliv-och-samhallsbyggnad", "Näringsliv och samhällsbyggnad",
         ["1"]),
        ("register/enhet/samhallsutveckling", "Samhällsutveckling", ["1"]),
    ]


def test_programme_page_counts_only_the_programme_s_money(site: Site) -> None:
    site.write_case("a.md", case_text(funding=[
        {"programme": "react-eu", "amount_sek": 100},
        {"programme": "egen-finansiering", "amount_sek": 5}]))
    site.write_case("b.md", case_text(diary_number="RUN/2/2023", date="2023-01-01",
                                      funding=[{"programme": "react-eu", "amount_sek": 20}]))
    built = register_site(site)
    page = content(built.builder.programme_page("react-eu",
                                                built.register.by_programme["react-eu"]))
    assert facts(page) == {"Finansiär": "Europeiska unionen", "Antal beslut": "2",
                           "Summa": "120\u00a0kr"}
    assert "<h2>" not in page and "## 2024" in page and "## 2023" in page
    assert page.index("## 2024") < page.index("## 2023")
    assert "<p>1 beslut, 100\u00a0kr från programmet.</p>" in page
    assert "<p>1 beslut, 20\u00a0kr från programmet.</p>" in page
    assert "Belopp från programmet" in page


# -- data files ------------------------------------------------------------------------------


def test_data_files(seeds: RegisterSite) -> None:
    files = [JSON_EXPORT, CSV_EXPORT, "register/finansiering.csv",
             "register/schema/beslut.schema.json", "register/schema/register.schema.json",
             "register/ar/2024.csv", "register/ar/2024.json", "register/ar/2021.csv",
             "register/ar/2021.json", "beslut/run-138-2024.json", "beslut/run-245-2021.json",
             "register/borttagna.json"]
    assert list(seeds.data_files()) == files  # no site_url: no feeds, no catalogue
    with_url = RegisterSite(seeds.loaded, TODAY, site_url="https://r.example.se/")
    feeds = [ATOM_FEED, *(f"register/program/{p}.xml" for p in (
        "tillvaxtverket-s3", "react-eu", "tillvaxtverket-1-1", "egen-finansiering")),
        "register/enhet/naringsliv-och-samhallsbyggnad.xml",
        "register/enhet/samhallsutveckling.xml"]
    changes = ["register/andringar.xml", "register/andringar/2021.xml"]
    assert list(with_url.data_files()) == [*files, *feeds, *changes, "register/katalog.rdf"]
    assert with_url.absolute("register/") == "https://r.example.se/register/"


def test_release_reuse_caches_empties_the_memo_its_owner_holds(site: Site) -> None:
    copy_seeds(site)
    loaded = load_register(site.cases, site.root)
    memo = CasePageMemo()  # the plugin keeps this object across builds
    register = RegisterSite(loaded, TODAY, memo=memo)
    register.overview_pages(), register.case_pages(), register.data_files()
    assert memo.pages and memo.rows and memo.data_files[1]
    register.release_reuse_caches()
    assert (memo.pages, memo.rows, memo.data_files) == ({}, {}, ((), {}))
