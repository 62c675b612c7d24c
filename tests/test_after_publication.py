"""After publication, end to end at a fixed clock: corrections, revocations, withdrawals,
the retention limit, requests for documents, borttagna.json and the change feed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from html import unescape
from pathlib import Path

import feedparser
import pytest

from beslutsregister.core.loading import load_register
from beslutsregister.core.notices import DocumentRequests
from beslutsregister.core.site import CasePageMemo, RegisterSite
from helpers import Site, case_text, make_site, mkdocs_yml

SITE_URL = "https://register.example.se/"
CONFIG = mkdocs_yml("retention_years: 10\nregistry_email: registrator@example.se",
                    nav="- Om registret: om-registret.md")
#: What a withdrawn decision had: none of it may reach any output file.
SECRETS = ["Quokka", "Quokkaenheten", "quokkaenheten", "777 777", "777777", "Wombat",
           "Wombatenheten", "wombatenheten", "Tillbakadragen Handläggare"]


def write_register(site: Site) -> None:
    site.write_case("10.md", case_text(
        diary_number="RUN/10/2024", title="Rättat beslut", date="2024-02-01",
        corrections=[
            {"date": "2024-03-04", "kind": "rättelse", "decision": "RUN/11/2024",
             "text": "Beloppet rättat från 46 000 kronor till 460 000 kronor."},
            {"date": "2024-04-01", "kind": "ändring", "text": "Projekttiden förlängs."}]))
    site.write_case("11.md", case_text(diary_number="RUN/11/2024", title="Rättande beslut",
                                       date="2024-03-04"))
    site.write_case("12.md", case_text(
        diary_number="RUN/12/2023", title="Upphävt beslut", date="2023-11-01",
        revoked={"date": "2024-05-20", "by": "RUN/90/2024",
                 "text": "Förstudien genomförs inte."}))
    site.write_case("90.md", case_text(diary_number="RUN/90/2024", title="Upphävande beslut",
                                       date="2024-05-20"))
    site.write_case("13.md", case_text(
        diary_number="RUN/13/2024", title="Tillbakadraget Quokka", unit="Quokkaenheten",
        date="2024-01-15", status="withdrawn", withdrawn_on="2024-05-01",
        officer={"name": "Tillbakadragen Handläggare"},
        funding=[{"programme": "react-eu", "amount_sek": 777777}],
        body="## Beslut\n\nQuokka får stöd.\n"))
    site.write_case("5.md", case_text(
        diary_number="RUN/5/2010", title="Gammalt Wombat", unit="Wombatenheten",
        date="2010-03-01", funding=None, body="## Beslut\n\nWombat.\n"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = make_site(tmp_path_factory.mktemp("after") / "project", config=CONFIG)
    (site.root / "docs" / "om-registret.md").write_text(
        "# Om registret\n\nGallring. <!-- beslutsregister: gallring -->\n", encoding="utf-8")
    write_register(site)
    site.built()
    return site


def text_of(site: Site, url: str) -> str:
    """The page's main content as text, whitespace collapsed."""
    html = site.page(url)
    article = re.split(r'<article class="md-content__inner md-typeset"[^>]*>', html)[1]
    article = article.split("</article>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", article)).split())


def test_corrections_are_noticed_at_the_top_newest_first(built: Site) -> None:
    text = text_of(built, "beslut/run-10-2024/")
    assert text.startswith(
        "Rättat beslut Ändring enligt 37–38 § förvaltningslagen 1 april 2024 . "
        "Projekttiden förlängs. "
        "Rättelse enligt 36 § förvaltningslagen 4 mars 2024 , genom beslut RUN/11/2024 . "
        "Beloppet rättat från 46 000 kronor till 460 000 kronor. Uppgifter om beslutet")
    assert '<a href="../run-11-2024/"><span class="br-diary">RUN/11/2024</span></a>' in \
        built.page("beslut/run-10-2024/")


def test_a_revocation_is_noticed_and_the_revoking_decision_links_back(built: Site) -> None:
    text = text_of(built, "beslut/run-12-2023/")
    assert text.startswith("Upphävt beslut Upphävt 20 maj 2024 genom beslut RUN/90/2024 . "
                           "Förstudien genomförs inte. Uppgifter om beslutet")
    assert '<a href="../run-90-2024/">' in built.page("beslut/run-12-2023/")
    back = text_of(built, "beslut/run-90-2024/")
    assert back.startswith("Upphävande beslut Upphäver RUN/12/2023 . Uppgifter om beslutet")
    assert '<a href="../run-12-2023/">' in built.page("beslut/run-90-2024/")


def test_lists_mark_corrected_and_revoked_decisions(built: Site) -> None:
    assert "Rättat beslut Rättat Ändrat" in text_of(built, "register/ar/2024/")
    assert "Upphävt beslut Upphävt" in text_of(built, "register/ar/2023/")


@pytest.mark.parametrize(("url", "number", "since"), [
    ("beslut/run-13-2024/", "RUN/13/2024", "1 maj 2024"),
    ("beslut/run-5-2010/", "RUN/5/2010", "2 mars 2020"),  # ten years and a day
])
def test_a_withdrawn_address_says_only_its_number_and_how_to_ask(
        built: Site, url: str, number: str, since: str) -> None:
    html = built.page(url)
    assert text_of(built, url) == (
        f"{number} Beslutet med diarienummer {number} är inte längre publicerat här. Det "
        f"togs bort från webbplatsen {since}. Handlingarna finns kvar hos myndigheten och du "
        "kan begära ut dem. Begär ut handlingarna Alla har rätt att ta del av allmänna "
        "handlingar. Du behöver inte säga vem du är eller varför du vill ha dem, och "
        "myndigheten ska behandla din begäran skyndsamt. Begär ut handlingarna i ärende "
        f"{number} med e-post till registraturen.")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    sitemap = (built.site / "sitemap.xml").read_text("utf-8")
    assert SITE_URL + url not in sitemap


@pytest.mark.parametrize("secret", SECRETS)
def test_nothing_else_of_a_withdrawn_decision_is_in_any_file(built: Site, secret: str) -> None:
    assert [path for path, text in built.output_text() if secret in text] == []


def test_counts_and_totals_leave_withdrawn_decisions_out(built: Site) -> None:
    assert "Registret innehåller 4 beslut" in text_of(built, "register/")
    entries = json.loads((built.site / "register/beslut.json").read_text("utf-8"))["cases"]
    assert [e["diary_number"] for e in entries] == [
        "RUN/90/2024", "RUN/11/2024", "RUN/10/2024", "RUN/12/2023"]


def test_every_page_offers_a_request_by_e_mail(built: Site) -> None:
    assert ('<a href="mailto:registrator@example.se?subject=Beg%C3%A4ran%20om%20allm%C3%A4n'
            '%20handling%20RUN%2F10%2F2024">Begär ut handlingarna i ärende RUN/10/2024</a>'
            ) in built.page("beslut/run-10-2024/")


def test_borttagna_json_lists_every_withdrawn_number_and_date(built: Site) -> None:
    data = json.loads((built.site / "register/borttagna.json").read_text("utf-8"))
    assert data == {"withdrawn": [
        {"diary_number": "RUN/13/2024", "withdrawn_on": "2024-05-01",
         "url": SITE_URL + "beslut/run-13-2024/"},
        {"diary_number": "RUN/5/2010", "withdrawn_on": "2020-03-02",
         "url": SITE_URL + "beslut/run-5-2010/"}]}


def test_exports_carry_corrections_revocations_and_modified(built: Site) -> None:
    document = json.loads((built.site / "beslut/run-10-2024.json").read_text("utf-8"))
    assert document["modified"] == "2024-04-01"
    assert [c["kind"] for c in document["corrections"]] == ["rättelse", "ändring"]
    assert document["corrections"][0]["decision"] == "RUN/11/2024"
    revoked = json.loads((built.site / "beslut/run-12-2023.json").read_text("utf-8"))
    assert revoked["revoked"] == {"date": "2024-05-20", "by": "RUN/90/2024",
                                  "text": "Förstudien genomförs inte."}
    assert not (built.site / "beslut/run-13-2024.json").exists()


def test_the_change_feed_lists_every_change_newest_first(built: Site) -> None:
    feed = feedparser.parse((built.site / "register/andringar.xml").read_bytes())
    assert feed.bozo == 0
    assert [(e.updated[:10], e.title) for e in feed.entries] == [
        ("2024-05-20", "Upphävt: RUN/12/2023: Upphävt beslut"),
        ("2024-05-20", "Publicerat: RUN/90/2024: Upphävande beslut"),
        ("2024-05-01", "Borttaget: RUN/13/2024"),
        ("2024-04-01", "Ändring: RUN/10/2024: Rättat beslut"),
        ("2024-03-04", "Rättelse: RUN/10/2024: Rättat beslut"),
        ("2024-03-04", "Publicerat: RUN/11/2024: Rättande beslut"),
        ("2024-02-01", "Publicerat: RUN/10/2024: Rättat beslut"),
        ("2023-11-01", "Publicerat: RUN/12/2023: Upphävt beslut"),
        ("2020-03-02", "Borttaget: RUN/5/2010"),
    ]
    withdrawal = feed.entries[2]  # on one day: by diary number
    assert withdrawal.summary == ("Beslutet med diarienummer RUN/13/2024 är inte längre "
                                  "publicerat här. Det togs bort från webbplatsen 1 maj 2024.")
    assert withdrawal.link == SITE_URL + "beslut/run-13-2024/"
    archives = sorted(p.name for p in (built.site / "register/andringar").iterdir())
    assert archives == ["2020.xml", "2023.xml"]  # completed years; 2024 is in the feed
    archived = feedparser.parse((built.site / "register/andringar/2023.xml").read_bytes())
    assert archived.bozo == 0 and [e.title for e in archived.entries] == [
        "Publicerat: RUN/12/2023: Upphävt beslut"]
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["prev-archive"] == SITE_URL + "register/andringar/2023.xml"
    assert b"<fh:archive/>" in (built.site / "register/andringar/2020.xml").read_bytes()
    assert b"<fh:archive/>" not in (built.site / "register/andringar.xml").read_bytes()


def test_om_registret_states_the_retention_rule(built: Site) -> None:
    assert "Beslut publiceras här i 10 år från beslutsdatum." in text_of(built, "om-registret/")


def test_the_preview_shows_a_withdrawn_decision_in_full_with_a_banner(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project", config=CONFIG)
    write_register(site)
    loaded = load_register(site.cases, site.root)
    assert loaded.problems == []
    preview = RegisterSite(loaded, date(2024, 6, 1), preview=True, retention_years=10,
                           requests=DocumentRequests("registrator@example.se"))
    pages = {spec.src_uri: spec for spec in preview.case_pages()}
    withdrawn = pages["beslut/run-13-2024.md"]
    assert "Borttaget från webben 2024-05-01" in withdrawn.head
    assert "Quokka får stöd." in withdrawn.markdown
    assert "Borttaget från webben 2020-03-02" in pages["beslut/run-5-2010.md"].head
    assert "RUN/13/2024" not in preview.data_files()["register/beslut.json"]


def test_a_form_address_takes_the_diary_number() -> None:
    form = DocumentRequests(url="https://e.example.se/begaran?arende={diarienummer}")
    assert form.href("RUN/1/2024") == "https://e.example.se/begaran?arende=RUN%2F1%2F2024"
    plain = DocumentRequests(url="https://e.example.se/begaran")
    assert plain.href("RUN/1/2024") == "https://e.example.se/begaran?diarienummer=RUN%2F1%2F2024"
    assert not DocumentRequests()


def test_check_counts_withdrawn_decisions(built: Site) -> None:
    result = subprocess.run([sys.executable, "-m", "beslutsregister", "check"], cwd=built.root,
                            capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, (
        "OK: 6 case files, 4 public, 0 drafts, 0 embargoed, 2 withdrawn "
        "(as of 2024-06-01).\n"))


# -- edge cases, core level -------------------------------------------------------------------

def core_site(site: Site, **options: object) -> RegisterSite:
    loaded = load_register(site.cases, site.root)
    assert loaded.problems == []
    return RegisterSite(loaded, date(2024, 6, 1), site_url=SITE_URL,  # type: ignore[arg-type]
                        **options)


def test_a_reference_to_a_decision_not_yet_public_is_withheld(site: Site) -> None:
    site.write_case("a.md", case_text(diary_number="RUN/1/2024", revoked={
        "date": "2024-05-01", "by": "RUN/91/2024"}, corrections=[
        {"date": "2024-04-01", "kind": "ändring", "text": "Ändrad.", "decision": "RUN/92/2024"}]))
    site.write_case("b.md", case_text(diary_number="RUN/91/2024", status="draft"))
    site.write_case("c.md", case_text(diary_number="RUN/92/2024", publish_after="2024-07-01"))
    for preview in (False, True):
        built = core_site(site, preview=preview)
        for path, content in built.data_files().items():
            assert "RUN/91/2024" not in content and "RUN/92/2024" not in content, path
    public = core_site(site)
    [page] = [p for p in public.case_pages() if p.case is not None]
    assert "RUN/91/2024" not in page.head + page.markdown
    assert "Upphävt" in page.head and "RUN/92/2024" not in page.head


def test_a_later_withdrawn_on_withdraws_the_decision_on_that_day(site: Site) -> None:
    site.write_case("a.md", case_text(status="withdrawn", withdrawn_on="2024-06-02"))
    assert [c.diary_number for c in core_site(site).register.cases] == ["RUN/1/2024"]
    loaded = load_register(site.cases, site.root)
    later = RegisterSite(loaded, date(2024, 6, 2), site_url=SITE_URL)
    assert later.register.cases == () and [d for _, d in later.withdrawn] == [date(2024, 6, 2)]


def test_retention_never_withdraws_before_an_embargo_would_publish(site: Site) -> None:
    site.write_case("a.md", case_text(date="2010-01-01", publish_after="2024-05-01"))
    [(_, day)] = core_site(site, retention_years=10).withdrawn
    assert day == date(2024, 5, 1)


def test_the_previews_data_follows_a_new_withdrawal(site: Site) -> None:
    site.write_case("a.md", case_text())
    memo = CasePageMemo()
    first = core_site(site, preview=True, memo=memo).data_files()
    assert json.loads(first["register/borttagna.json"]) == {"withdrawn": []}
    site.write_case("a.md", case_text(status="withdrawn", withdrawn_on="2024-05-01"))
    again = core_site(site, preview=True, memo=memo).data_files()
    assert [w["diary_number"] for w in json.loads(again["register/borttagna.json"])[
        "withdrawn"]] == ["RUN/1/2024"]


def test_a_protected_officers_contact_in_a_notice_is_refused(site: Site) -> None:
    site.write_case("x.md", case_text(
        officer={"name": "Skyddad Person", "phone": "070-1234567", "protected": True},
        corrections=[{"date": "2024-03-01", "kind": "rättelse", "text": "Ring 070-1234567."}]))
    problems = [str(p) for p in load_register(site.cases, site.root).problems]
    assert problems == [
        "cases/x.md:16: field 'corrections[0].text': names the protected officer's phone; "
        "expected the text without it (mask it with [[maskera: ...]] or remove it)"]
