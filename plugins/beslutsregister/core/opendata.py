"""What the register publishes as open data, where, and which page links to what.

One place knows every data file's address: the exports (whole register, per year, per
decision, funding lines), the JSON Schemas, the feeds (latest, per programme, per unit)
and the DCAT-AP-SE catalogue. Pages ask it for their downloads and feeds; the
"Öppna data" page and the catalogue list the same files, so nothing is published that
is not described, and nothing described is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from . import dcat, exports, feeds
from .addresses import unit_slug
from .grouping import Register
from .model import Case
from .pages import CASES_DIR, REGISTER_DIR, Link, Urls
from .schema import DECISION_SCHEMA, REGISTER_SCHEMA, decision_schema, register_schema, schema_text

JSON_EXPORT = f"{REGISTER_DIR}/beslut.json"
CSV_EXPORT = f"{REGISTER_DIR}/beslut.csv"
FUNDING_CSV = f"{REGISTER_DIR}/finansiering.csv"
ATOM_FEED = f"{REGISTER_DIR}/senaste.xml"
CHANGE_FEED = f"{REGISTER_DIR}/andringar.xml"
WITHDRAWN_LIST = f"{REGISTER_DIR}/borttagna.json"
CATALOGUE = f"{REGISTER_DIR}/katalog.rdf"
OPEN_DATA_PAGE = f"{REGISTER_DIR}/oppna-data.md"
OPEN_DATA_TITLE = "Öppna data"

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
#: Names of licences a register is likely to choose, for the "Öppna data" page.
LICENCE_NAMES = {
    CC0: "CC0 1.0 Universell (ingen upphovsrätt förbehålls)",
    "https://creativecommons.org/publicdomain/zero/1.0/":
        "CC0 1.0 Universell (ingen upphovsrätt förbehålls)",
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0 (erkännande)",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0 (erkännande)",
}
DEFAULT_KEYWORDS = ("delegationsbeslut", "beslut", "offentlig förvaltning", "finansiering",
                    "regional utveckling")

CSV_TYPE = "text/csv"
JSON_TYPE = "application/json"
ATOM_TYPE = "application/atom+xml"
RDF_TYPE = "application/rdf+xml"


class OpenDataError(ValueError):
    """An ``open_data`` option the catalogue cannot use (a telephone number, an address)."""


@dataclass(frozen=True)
class OpenDataFacts:
    """The plugin's ``open_data`` options, defaults filled in."""

    publisher: str
    publisher_url: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    licence: str = CC0
    frequency: str = "IRREG"
    spatial: str | None = None
    keywords: tuple[str, ...] = DEFAULT_KEYWORDS
    publisher_type: str = "RegionalAuthority"  # EU publisher type (dcat.PUBLISHER_TYPES)
    organisation_number: str | None = None  # lets dataportal.se join the publisher's data

    @property
    def licence_name(self) -> str:
        return LICENCE_NAMES.get(self.licence, self.licence)


@dataclass
class OpenData:
    """The open-data files of a (public) register and the links to them.

    ``site_url`` is the site's absolute address, or empty: feeds and the catalogue need
    absolute addresses and exist only with one.
    """

    register: Register
    urls: Urls
    facts: OpenDataFacts
    site_url: str = ""
    site_name: str = "Beslutsregister"
    feed_size: int = 50
    records: dict[str, tuple[Case, dict[str, Any]]] = field(default_factory=dict)
    withdrawn: list[tuple[Case, date]] = field(default_factory=list)  # and since when

    # -- addresses ----------------------------------------------------------------------

    @staticmethod
    def case_json(case: Case) -> str:
        return f"{CASES_DIR}/{case.slug}.json"

    @staticmethod
    def year_file(year: int, extension: str) -> str:
        return f"{REGISTER_DIR}/ar/{year}.{extension}"

    @staticmethod
    def change_archive(year: int) -> str:
        return f"{REGISTER_DIR}/andringar/{year}.xml"

    @staticmethod
    def programme_feed(programme_id: str) -> str:
        return f"{REGISTER_DIR}/program/{programme_id}.xml"

    @staticmethod
    def unit_feed(unit: str) -> str:
        return f"{REGISTER_DIR}/enhet/{unit_slug(unit)}.xml"

    @property
    def has_feeds(self) -> bool:
        return bool(self.site_url)

    def absolute(self, path: str) -> str:
        return (self.site_url.rstrip("/") + "/" + path) if self.site_url else path

    def page_url(self, src_uri: str) -> str:
        return self.absolute(self.urls.url(src_uri))

    # -- what pages link to --------------------------------------------------------------

    def case_links(self, case: Case) -> tuple[Link, ...]:
        """A public case's own document (a preview's draft has none)."""
        if self.register.get(case.slug) is not case:
            return ()
        return (Link(JSON_TYPE, "Beslutet som JSON", self.case_json(case)),)

    def year_links(self, year: int) -> tuple[Link, ...]:
        if year not in self.register.by_year:  # a preview's year of drafts only
            return ()
        return (Link(CSV_TYPE, f"Besluten {year} som CSV (för kalkylprogram)",
                     self.year_file(year, "csv")),
                Link(JSON_TYPE, f"Besluten {year} som JSON", self.year_file(year, "json")))

    def feed_link(self, feed: feeds.Feed) -> Link:
        return Link(ATOM_TYPE, feed.title, feed.path)

    def programme_feed_link(self, programme_id: str) -> Link | None:
        feed = self.programme_feeds.get(programme_id) if self.has_feeds else None
        return None if feed is None else self.feed_link(feed)

    def unit_feed_link(self, unit: str) -> Link | None:
        feed = self.unit_feeds.get(unit) if self.has_feeds else None
        return None if feed is None else self.feed_link(feed)

    def register_links(self) -> tuple[Link, ...]:
        links = [Link(CSV_TYPE, "Alla publicerade beslut som CSV (för kalkylprogram)",
                      CSV_EXPORT),
                 Link(CSV_TYPE, "Alla finansieringsrader som CSV (för pivottabeller)",
                      FUNDING_CSV),
                 Link(JSON_TYPE, "Alla publicerade beslut som JSON", JSON_EXPORT)]
        links.append(Link(JSON_TYPE, "Borttagna beslut (diarienummer och datum) som JSON",
                          WITHDRAWN_LIST))
        if self.has_feeds:
            links.append(self.feed_link(self.latest_feed))
            links.append(Link(ATOM_TYPE, "Ändringar: publiceringar, rättelser, upphävanden "
                                         "och borttagningar", CHANGE_FEED))
        return tuple(links)

    # -- feeds -----------------------------------------------------------------------------

    @cached_property
    def latest_feed(self) -> feeds.Feed:
        return feeds.Feed(ATOM_FEED, "Senaste besluten", self.urls.start(),
                          self.register.cases[:self.feed_size])

    @cached_property
    def programme_feeds(self) -> dict[str, feeds.Feed]:
        return {pid: feeds.Feed(self.programme_feed(pid), f"Beslut om {group.programme.name}",
                                self.urls.programme(pid), group.cases[:self.feed_size], pid)
                for pid, group in self.register.by_programme.items()}

    @cached_property
    def unit_feeds(self) -> dict[str, feeds.Feed]:
        return {unit: feeds.Feed(self.unit_feed(unit), f"Beslut från {unit}",
                                 self.urls.unit(unit), cases[:self.feed_size])
                for unit, cases in self.register.by_unit.items()}

    def all_feeds(self) -> list[feeds.Feed]:
        if not self.has_feeds:
            return []
        return [self.latest_feed, *self.programme_feeds.values(), *self.unit_feeds.values()]

    # -- files -----------------------------------------------------------------------------

    def case_url(self, case: Case) -> str:
        return self.page_url(self.urls.case(case))

    def record(self, case: Case) -> dict[str, Any]:
        """A case's record, reused while the case object is the same (a preview rebuilds
        after every save)."""
        known = self.records.get(case.slug)
        if known is None or known[0] is not case:
            known = self.records[case.slug] = (case, exports.case_record(case,
                                                                         self.case_url(case)))
        return known[1]

    def files(self) -> dict[str, str]:
        """Every open-data file by its path in the site, in a deterministic order."""
        return dict(self.iter_files())

    def write(self, folder: Path) -> list[str]:
        """Write every open-data file (UTF-8) under ``folder``; their paths, in order.

        One at a time: at 50 000 decisions the files hold some 190 million characters,
        which a build would otherwise keep in memory from start to end."""
        written = []
        for path, content in self.iter_files():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8"))
            written.append(path)
        return written

    def iter_files(self) -> Iterator[tuple[str, str]]:
        """Every open-data file, (path in the site, content), in a deterministic order."""
        register = self.register
        url_of = {case.slug: self.case_url(case) for case in register.cases}
        records = {case.slug: self.record(case) for case in register.cases}  # not their JSON:
        # at 10 000 decisions another 16 MB, kept only to be written once
        base = self.site_url.rstrip("/") + "/" if self.site_url else ""
        sizes: dict[str, int] = {}  # of what the catalogue describes

        def described(path: str, content: str) -> tuple[str, str]:
            sizes[path] = len(content.encode("utf-8"))
            return path, content

        yield described(JSON_EXPORT, exports.to_json(
            (records[c.slug] for c in register.cases), register.programmes))
        yield described(CSV_EXPORT, exports.to_csv(register.cases, url_of))
        yield described(FUNDING_CSV, exports.funding_csv(register.cases, register.programmes))
        yield described(DECISION_SCHEMA, schema_text(decision_schema(base)))
        yield REGISTER_SCHEMA, schema_text(register_schema(base))
        for year, cases in register.by_year.items():
            yield self.year_file(year, "csv"), exports.to_csv(cases, url_of)
            yield self.year_file(year, "json"), exports.to_json(
                (records[c.slug] for c in cases), register.programmes)
        for case in register.cases:
            yield self.case_json(case), exports.case_json(records[case.slug])
        del records
        yield described(WITHDRAWN_LIST, exports.withdrawn_json(
            (case, day, self.case_url(case)) for case, day in self.withdrawn))
        for feed in self.all_feeds():
            yield described(feed.path, feeds.atom(
                feed.title, feed_url=self.absolute(feed.path),
                page_url=self.page_url(feed.page), author=self.facts.publisher,
                entries=feeds.decision_entries(feed, register.programmes, self.case_url)))
        if self.has_feeds:
            for path, content in self.change_feeds().items():
                yield described(path, content)
        if self.site_url:
            try:
                yield CATALOGUE, dcat.catalogue_rdf(self.catalogue(sizes))
            except ValueError as exc:
                raise OpenDataError(f"the DCAT-AP-SE catalogue ({CATALOGUE}): {exc}; check "
                                    "the open_data options and site_url in mkdocs.yml") from None

    @cached_property
    def changes(self) -> list[feeds.Change]:
        """Every change (publication, notice, withdrawal), newest first."""
        return feeds.changes(self.register.cases, self.withdrawn)

    @cached_property
    def changes_by_year(self) -> dict[int, list[feeds.Change]]:
        by_year: dict[int, list[feeds.Change]] = {}
        for change in self.changes:
            by_year.setdefault(change.day.year, []).append(change)
        return dict(sorted(by_year.items()))

    def change_years(self) -> list[int]:
        """The archived years, oldest first: every year with changes before the latest,
        which the change feed itself holds in full (an archive does not change)."""
        return list(self.changes_by_year)[:-1]

    def change_feeds(self) -> dict[str, str]:
        """The change feed and its archives, one per completed year (RFC 5005).

        The feed holds every change of the latest year, and at least the newest
        ``feed_size``; an archive holds one earlier year and is marked ``fh:archive``:
        it stays the same from then on (unless a notice is dated back into its year).
        """
        changes = self.changes
        by_year = self.changes_by_year
        years = self.change_years()
        current = len(by_year[max(by_year)]) if by_year else 0

        def entries(found: list[feeds.Change]) -> list[feeds.Entry]:
            return [feeds.change_entry(c, self.register.programmes, self.case_url)
                    for c in found]

        page_url, author = self.page_url(OPEN_DATA_PAGE), self.facts.publisher
        title = f"Ändringar i {self.site_name}"
        files = {CHANGE_FEED: feeds.atom(
            title, feed_url=self.absolute(CHANGE_FEED), entries=entries(
                changes[:max(self.feed_size, current)]),
            links=[("prev-archive", self.absolute(self.change_archive(years[-1])))]
            if years else [], page_url=page_url, author=author)}
        for index, year in enumerate(years):
            links = [("current", self.absolute(CHANGE_FEED))]
            if index:
                links.append(("prev-archive", self.absolute(self.change_archive(years[index - 1]))))
            if index + 1 < len(years):
                links.append(("next-archive", self.absolute(self.change_archive(years[index + 1]))))
            files[self.change_archive(year)] = feeds.atom(
                f"{title} {year}", feed_url=self.absolute(self.change_archive(year)),
                entries=entries(by_year[year]), links=links, archive=True,
                page_url=page_url, author=author)
        return files

    # -- the DCAT-AP-SE catalogue --------------------------------------------------------

    def catalogue(self, sizes: dict[str, int]) -> dcat.Catalogue:
        """The catalogue that dataportal.se harvests: decisions, and funding lines."""
        cases = self.register.cases
        first = cases[-1].date if cases else None
        last = cases[0].date if cases else None
        landing = self.page_url(OPEN_DATA_PAGE)
        facts = self.facts

        def distribution(title: str, path: str, media_type: str,
                         description: str = "") -> dcat.Distribution:
            return dcat.Distribution(title, self.absolute(path), media_type, description,
                                     sizes[path])

        decisions = dcat.Dataset(
            uri=landing + "#beslut",
            title=f"Delegationsbeslut – {facts.publisher}",
            description=(f"Publicerade delegationsbeslut från {facts.publisher}: "
                         "diarienummer, beslutsdatum, ärendemening, enhet, handläggare, "
                         "beslutsfattare, projekt och finansiering."),
            keywords=facts.keywords,
            landing_page=landing,
            distributions=(
                distribution("Alla beslut som CSV", CSV_EXPORT, CSV_TYPE,
                             "Semikolonseparerad, UTF-8 med BOM, en rad per beslut."),
                distribution("Alla beslut som JSON", JSON_EXPORT, JSON_TYPE,
                             "Besluten nyaste först, med programlistan; fälten beskrivs "
                             "av registrets JSON-schema."),
                distribution("Borttagna beslut som JSON", WITHDRAWN_LIST, JSON_TYPE,
                             "Diarienummer, datum och adress för beslut som tagits bort "
                             "från webbplatsen, så att kopior kan ta bort dem."),
                *([distribution("Flöde med de senaste besluten", ATOM_FEED, ATOM_TYPE,
                                f"Atom-flöde med de {self.feed_size} senaste besluten."),
                   distribution("Flöde med ändringar", CHANGE_FEED, ATOM_TYPE,
                                "Atom-flöde med publiceringar, rättelser, ändringar, "
                                "upphävanden och borttagningar, nyaste först.")]
                  if ATOM_FEED in sizes else []),
            ),
            first_date=first, last_date=last, modified=last, issued=first,
            conforms_to=(self.absolute(DECISION_SCHEMA),),
        )
        funding = dcat.Dataset(
            uri=landing + "#finansiering",
            title=f"Finansiering i delegationsbeslut – {facts.publisher}",
            description=("En rad per beslut och finansieringsrad: program, finansiär och "
                         "belopp i kronor, med beslutets diarienummer, datum, år och enhet."),
            keywords=(*facts.keywords, "bidrag", "EU-medel"),
            landing_page=landing,
            distributions=(distribution("Finansieringsrader som CSV", FUNDING_CSV, CSV_TYPE,
                                        "Semikolonseparerad, UTF-8 med BOM."),),
            first_date=first, last_date=last, modified=last, issued=first,
        )
        return dcat.Catalogue(
            uri=self.absolute(CATALOGUE),
            title=f"Öppna data från {self.site_name}",
            description=f"Dataset som {facts.publisher} publicerar i sitt beslutsregister.",
            homepage=self.absolute(""),
            publisher_name=facts.publisher,
            publisher_url=facts.publisher_url,
            contact_name=facts.publisher,
            contact_email=facts.contact_email,
            contact_phone=facts.contact_phone,
            licence=facts.licence,
            frequency=facts.frequency,
            spatial=facts.spatial,
            datasets=(decisions, funding),
            publisher_type=facts.publisher_type,
            publisher_id=facts.organisation_number,
        )
