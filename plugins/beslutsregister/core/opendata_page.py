"""The "Öppna data" page: every dataset and feed, every field, the licence and how to cite.

The field tables are written from :mod:`~beslutsregister.core.schema`, the same
definitions the published JSON Schema comes from, so the page documents exactly the
fields the files have. Values enter as escaped HTML, as on every generated page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .dcat import frequency_label
from .exports import FORMULA_STARTS
from .opendata import (
    CATALOGUE,
    CHANGE_FEED,
    CSV_EXPORT,
    FUNDING_CSV,
    JSON_EXPORT,
    OPEN_DATA_PAGE,
    OPEN_DATA_TITLE,
    WITHDRAWN_LIST,
    OpenData,
)
from .pages import TOP_LEVEL, Link, PageSpec, _a, _Document, _e
from .schema import (
    CSV_FIELDS,
    DECISION_SCHEMA,
    FUNDING_CSV_FIELDS,
    REGISTER_SCHEMA,
    FieldDoc,
    json_fields,
)

FEEDS_EXPLAINED = (
    "Ett flöde (Atom) är en adress som en flödesläsare, till exempel Feedly, Thunderbird "
    "eller Inoreader, hämtar regelbundet. Lägg in adressen i din flödesläsare så ser du "
    "nya beslut utan att besöka registret."
)


def scroll_table(caption: str, table: str) -> str:
    """A wide table in a named region that scrolls on its own, reachable by keyboard."""
    return (f'<div class="br-scroll" role="region" aria-label="{_e(caption)}" tabindex="0">'
            f"{table}</div>")


def _fields_table(caption: str, fields: Iterable[FieldDoc], first: str) -> str:
    rows = "\n".join(
        f'<tr><th scope="row"><code>{_e(f.name)}</code></th><td>{_e(f.type)}</td>'
        f"<td>{_e(f.description)}</td><td><code>{_e(f.example)}</code></td></tr>"
        for f in fields)
    head = "".join(f'<th scope="col">{_e(h)}</th>'
                   for h in (first, "Typ", "Beskrivning", "Exempel"))
    return scroll_table(caption, f'<table class="br-list br-fields">\n<caption>{_e(caption)}'
                                 f"</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
                                 f"{rows}\n</tbody>\n</table>")


def open_data_page(data: OpenData) -> PageSpec:
    """The page (``register/oppna-data/``), in the navigation under "Register"."""
    src = OPEN_DATA_PAGE
    urls = data.urls
    facts = data.facts
    register = data.register

    def link(path: str, text: str) -> str:
        return _a(urls.link(src, path), text)

    def links(items: Sequence[Link]) -> str:
        return "<ul>" + "".join(f"<li>{link(i.path, i.label)}</li>" for i in items) + "</ul>"

    doc = _Document()
    licence = (f'<a href="{_e(facts.licence)}">{_e(facts.licence_name)}</a>'
               if facts.licence.startswith(("http://", "https://")) else _e(facts.licence_name))
    doc.html(f"<p>Alla publicerade beslut i registret finns som öppna data, som du får "
             f"använda fritt enligt licensen {licence}. Filerna innehåller samma uppgifter "
             "som beslutssidorna, men inte själva beslutstexten. Utkast, beslut som ännu inte "
             "får publiceras, borttagna beslut och skyddade personuppgifter finns aldrig "
             "med.</p>")

    doc.markdown("## Ladda ned")
    doc.html(links([link for link in data.register_links() if link.path in (
        CSV_EXPORT, FUNDING_CSV, JSON_EXPORT)]))
    if register.by_year:
        doc.html("<p>Per år (samma kolumner och fält som filerna för hela registret):</p>")
        doc.html("<ul>" + "".join(
            f"<li>{year}: {link(data.year_file(year, 'csv'), f'CSV {year}')}, "
            f"{link(data.year_file(year, 'json'), f'JSON {year}')}</li>"
            for year in register.by_year) + "</ul>")
    example = register.cases[0] if register.cases else None
    per_case = ("<p>Varje beslut finns också som ett eget JSON-dokument, länkat från "
                "beslutets sida, på adressen <code>beslut/&lt;beslutets adress&gt;.json</code>")
    if example is not None:
        per_case += f", till exempel {link(data.case_json(example), example.diary_number)}"
    doc.html(per_case + ".</p>")
    doc.html("<p>Fälten beskrivs maskinläsbart i JSON Schema: "
             f"{link(DECISION_SCHEMA, 'ett beslut')} och "
             f"{link(REGISTER_SCHEMA, 'hela registret och årsfilerna')}.</p>")
    doc.html(f"<p>{link(WITHDRAWN_LIST, 'borttagna.json')} listar beslut som tagits bort "
             "från webbplatsen (för att de publicerats av misstag eller passerat tiden "
             "registret visar beslut): diarienummer, datum och adress, men inget annat. Har "
             "du kopierat registrets data, ta bort dem ur din kopia.</p>")
    if data.site_url:
        doc.html(f"<p>{link(CATALOGUE, 'Datakatalogen')} beskriver datamängderna enligt "
                 "DCAT-AP-SE, så att Sveriges dataportal (dataportal.se) kan hämta in dem.</p>")

    if data.has_feeds:
        doc.markdown("## Följ nya beslut")
        doc.html(f"<p>{_e(FEEDS_EXPLAINED)}</p>")
        doc.html(links([data.feed_link(data.latest_feed)]))
        years = data.change_years()
        archives = ("; hela historiken finns i ett arkiv per år som flödet länkar till "
                    "(RFC 5005): " + ", ".join(link(data.change_archive(year), str(year))
                                               for year in years)) if years else ""
        doc.html(f"<p>{link(CHANGE_FEED, 'Ändringar')} har en post för varje publicering, "
                 "rättelse, ändring, upphävande och borttagning, nyaste först. En "
                 "borttagning anger bara diarienumret och datumet. Flödet har de senaste "
                 f"posterna{archives}.</p>")
        if data.programme_feeds:
            doc.markdown("### Per finansieringsprogram")
            doc.html(links([data.feed_link(f) for f in data.programme_feeds.values()]))
        if data.unit_feeds:
            doc.markdown("### Per enhet")
            doc.html(links([data.feed_link(f) for f in data.unit_feeds.values()]))

    doc.markdown("## Fälten i CSV-filerna")
    formula = ", ".join(c for c in FORMULA_STARTS if c.isprintable())  # and tab, CR
    doc.html(f"<p>{link(CSV_EXPORT, 'beslut.csv')} och årsfilerna har en rad per beslut. "
             "Filerna är semikolonseparerade och kodade i UTF-8 med byte-order-mark, så att "
             "Excel och LibreOffice visar å, ä och ö rätt. Belopp är heltal i kronor utan "
             f"mellanslag. En cell som börjar med något av tecknen {_e(formula)}, en tabb "
             "eller en vagnretur får en apostrof (') först, så att inget kalkylprogram "
             "kör den som en formel.</p>")
    doc.html(_fields_table("Kolumner i beslut.csv", CSV_FIELDS, "Kolumn"))
    doc.html(f"<p>{link(FUNDING_CSV, 'finansiering.csv')} har en rad per beslut och "
             "finansieringsrad. En pivottabell med summan av <code>belopp_sek</code> per "
             "<code>program</code> och <code>ar</code> ger samma summor som registret "
             "visar.</p>")
    doc.html(_fields_table("Kolumner i finansiering.csv", FUNDING_CSV_FIELDS, "Kolumn"))

    doc.markdown("## Fälten i JSON-filerna")
    doc.html(f"<p>{link(JSON_EXPORT, 'beslut.json')} och årsfilerna har två fält: "
             "<code>programmes</code>, finansieringsprogrammen per id (med "
             "<code>name</code>, <code>funder</code> och <code>url</code>), och "
             "<code>cases</code>, besluten nyaste först. Ett beslut har fälten nedan, "
             "precis som beslutets eget JSON-dokument. Datum skrivs ÅÅÅÅ-MM-DD och belopp "
             "som heltal i kronor; ett fält utan värde är <code>null</code>.</p>")
    doc.html(_fields_table("Fält i ett beslut (JSON)", json_fields(), "Fält"))

    doc.markdown("## Licens, uppdatering och källa")
    doc.html(f"<p><strong>Licens:</strong> {licence}.</p>")
    doc.html(f"<p><strong>Uppdatering:</strong> {_e(frequency_label(facts.frequency))}. "
             "Filerna skapas på nytt varje gång registret publiceras och innehåller då "
             "alla publicerade beslut; en fil som inte ändrats är byte för byte densamma.</p>")
    doc.html("<p><strong>Så anger du källan:</strong> "
             f"<q>Källa: {_e(facts.publisher)}, {_e(data.site_name)}, "
             f"{_e(data.page_url(src))}, hämtad ÅÅÅÅ-MM-DD.</q></p>")
    if facts.contact_email:
        doc.html(f"<p>Frågor om datan: {_a('mailto:' + facts.contact_email, facts.contact_email)}"
                 ".</p>")
    updated = register.cases[0].date if register.cases else None
    return doc.spec(src, OPEN_DATA_TITLE, TOP_LEVEL, updated=updated)
