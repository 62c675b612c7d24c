"""The register's pages as Markdown documents: one per case, and the overview pages.

Pages are plain strings so any static site generator can render them. Values from front
matter only ever enter as escaped HTML (inside raw HTML blocks, which Markdown leaves
alone), so a title like ``Samverkan <Norr> & Syd`` shows as written and can never
become markup. The case body is the staff's own Markdown; it is sanitized after
rendering (see :mod:`beslutsregister.sanitize`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from html import escape
from typing import Protocol

from .addresses import unit_slug
from .fingerprint import fingerprint
from .grouping import ProgrammeGroup, Register
from .model import Case, Visibility
from .notices import (
    REQUEST_HEADING,
    DocumentRequests,
    LinkTo,
    list_marks,
    notices_html,
    revokes_html,
    tombstone_html,
)
from .privacy import mask_text, public_decision_maker, public_officer
from .swedish import count_decisions, format_date, format_sek

REGISTER_DIR = "register"
CASES_DIR = "beslut"


@dataclass(frozen=True)
class Link:
    """A data file or feed a page offers: media type, Swedish label, the file's site path."""

    media_type: str
    label: str
    path: str


class DataLinks(Protocol):
    """The open-data files pages link to (:class:`~beslutsregister.core.opendata.OpenData`)."""

    def case_links(self, case: Case) -> tuple[Link, ...]: ...
    def year_links(self, year: int) -> tuple[Link, ...]: ...
    def programme_feed_link(self, programme_id: str) -> Link | None: ...
    def unit_feed_link(self, unit: str) -> Link | None: ...
    def register_links(self) -> tuple[Link, ...]: ...


#: The navigation group of overview pages that stand beside the start page, not in a
#: section of their own.
TOP_LEVEL = "top"
#: Pages the register start page points to besides its tables: (src_uri, label).
SEE_ALSO = (("register/statistik.md", "Statistik: finansiering och beslut i diagram"),
            ("register/oppna-data.md", "Öppna data: ladda ned, följ och återanvänd"))

FEED_HELP = ("Ett flöde (Atom) hämtas av en flödesläsare, som då visar nya beslut utan att "
             "du behöver besöka registret. Kopiera länken till din flödesläsare.")


@dataclass(frozen=True)
class PageSpec:
    """A page to generate: where, its plain-text title, and its Markdown.

    ``title`` is plain text (not escaped): whoever puts it into HTML escapes it.
    """

    src_uri: str
    title: str
    markdown: str
    nav_group: str | None = None  # None: not in the navigation
    blocks: tuple[str, ...] = ()
    head: str = ""  # HTML before the rendered Markdown
    case: Case | None = None  # the decision of a case page
    updated: date | None = None  # the sitemap's lastmod: the newest decision it shows
    alternates: tuple[Link, ...] = ()  # <link rel="alternate"> in the page's head
    noindex: bool = False  # not for search engines, not in the sitemap (a tombstone)

    @cached_property
    def digest(self) -> str:
        """A digest of the page's content (computed once per page object)."""
        return fingerprint(self.title, self.head, self.markdown, *self.blocks)

    def fill(self, html: str) -> str:
        """The page's HTML from its rendered Markdown: with its head and blocks."""
        return self.head + fill_blocks(html, self.blocks)


#: Placeholder left in a page's Markdown for one of its pre-rendered HTML blocks.
BLOCK_PLACEHOLDER = '<div data-br-block="{}"></div>'


def fill_blocks(html: str, blocks: Sequence[str]) -> str:
    """Put a page's pre-rendered HTML blocks in place of their placeholders.

    Tables are built as escaped HTML already; passing thousands of rows through the
    Markdown parser's raw-HTML handling only costs time (seconds on a year page), so
    the Markdown carries a placeholder and the block goes in after rendering.
    """
    for index, block in enumerate(blocks):
        html = html.replace(BLOCK_PLACEHOLDER.format(index), block, 1)
    return html


class _Document:
    """Collects a page's parts: Markdown text, and HTML blocks behind placeholders.

    HTML before the first Markdown becomes the page's head instead: a raw-HTML block
    costs Markdown about 0.05 ms to carry through (a second of a 10 000-case build
    for the search data and facts table of every case page), and rendered Markdown
    would hold the placeholders one blank line apart, just as the head holds them.
    """

    def __init__(self) -> None:
        self.head: list[str] = []
        self.parts: list[str] = []
        self.blocks: list[str] = []

    def markdown(self, text: str) -> None:
        self.parts.append(text)

    def html(self, html: str) -> None:
        if not self.parts:
            self.head.append(html)
            return
        self.parts.append(BLOCK_PLACEHOLDER.format(len(self.blocks)))
        self.blocks.append(html)

    def spec(self, src_uri: str, title: str, nav_group: str | None = None,
             case: Case | None = None, updated: date | None = None,
             alternates: tuple[Link, ...] = (), noindex: bool = False) -> PageSpec:
        head = "\n\n".join(self.head) + ("\n\n" if self.head and self.parts else "")
        return PageSpec(src_uri, title, "\n\n".join(self.parts) + "\n", nav_group,
                        tuple(self.blocks), head, case, updated, alternates, noindex)


class Urls:
    """Source paths and relative links of generated pages, as MkDocs will publish them."""

    def __init__(self, use_directory_urls: bool = True) -> None:
        self.use_directory_urls = use_directory_urls
        self._parts: dict[str, list[str]] = {}  # src_uri -> its URL split at "/"

    @staticmethod
    def case(case: Case) -> str:
        return f"{CASES_DIR}/{case.slug}.md"

    @staticmethod
    def start() -> str:
        return f"{REGISTER_DIR}/index.md"

    @staticmethod
    def year(year: int) -> str:
        return f"{REGISTER_DIR}/ar/{year}.md"

    @staticmethod
    def programme(programme_id: str) -> str:
        return f"{REGISTER_DIR}/program/{programme_id}.md"

    def unit(self, unit: str) -> str:
        return f"{REGISTER_DIR}/enhet/{self.unit_slug(unit)}.md"

    @staticmethod
    def unit_slug(unit: str) -> str:
        """A unit's slug; loading guarantees that no two units share one."""
        return unit_slug(unit)

    def url(self, src_uri: str) -> str:
        """The published URL path of a source file (as MkDocs computes it)."""
        stem, extension = posixpath.splitext(src_uri)
        if extension != ".md":
            return src_uri
        if posixpath.basename(stem) == "index":
            directory = posixpath.dirname(stem)
            return f"{directory}/" if directory else ""
        return f"{stem}/" if self.use_directory_urls else f"{stem}.html"

    def dest(self, src_uri: str) -> str:
        """The file a page is written to, relative to the site folder."""
        url = self.url(src_uri)
        return url + "index.html" if url.endswith("/") or not url else url

    def link(self, from_src: str, to: str) -> str:
        """Shortest relative link from the page of ``from_src`` to a file or page ``to``.

        Plain string work: ``posixpath.relpath`` (which resolves absolute paths) was a
        hot spot when called for every row of every table.
        """
        here = self._split(from_src)[:-1]
        target = self._split(to)
        common = 0
        while common < min(len(here), len(target) - 1) and here[common] == target[common]:
            common += 1
        relative = "../" * (len(here) - common) + "/".join(target[common:])
        return relative or "./"

    def _split(self, src_uri: str) -> list[str]:
        """``url(src_uri).split("/")``, once per page: every table row links two pages."""
        parts = self._parts.get(src_uri)
        if parts is None:
            parts = self._parts[src_uri] = self.url(src_uri).split("/")
        return parts


def _newest(cases: Sequence[Case]) -> date | None:
    """When what a list of cases shows last changed: the latest decision, correction or
    revocation among them (the sitemap's lastmod)."""
    return max((case.modified for case in cases), default=None)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _time(value: date) -> str:
    return f'<time datetime="{value.isoformat()}">{_e(format_date(value))}</time>'


def _a(href: str, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>'


def _row(label: str, html: str) -> str:
    return f'<tr><th scope="row">{_e(label)}</th><td>{html}</td></tr>'


def status_banner(case: Case, today: date, retention_years: int | None = None) -> str:
    """The preview banner of a case that is not (yet, or any more) public, else ""."""
    state = case.visibility(today, retention_years)
    withdrawn = case.withdrawal(today, retention_years)
    if state is Visibility.DRAFT:
        text = "Utkast – ej publicerat"
    elif state is Visibility.EMBARGOED and case.publish_after is not None:
        text = f"Publiceras {case.publish_after.isoformat()}"
    elif state is Visibility.WITHDRAWN and withdrawn is not None:
        text = f"Borttaget från webben {withdrawn.isoformat()}"
    else:
        return ""
    return f'<strong class="br-status br-status--{state.value}">{_e(text)}</strong>'


class PageBuilder:
    """Writes the Markdown of every page from a :class:`Register`."""

    def __init__(
        self,
        register: Register,
        urls: Urls,
        today: date,
        row_cache: dict[tuple[str, str | None, str], tuple[Case, str]] | None = None,
        data: DataLinks | None = None,
        retention_years: int | None = None,
        requests: DocumentRequests | None = None,
    ) -> None:
        self.register = register
        self.urls = urls
        self.today = today
        self.data = data  # the open-data files pages link to (None: no links)
        self.retention_years = retention_years
        self.requests = requests or DocumentRequests()  # "Begär ut handlingarna"
        # Table rows of unchanged cases, reusable across builds with the same urls/today:
        # a case appears in four or more tables, and the preview rebuilds them all.
        self.row_cache = {} if row_cache is None else row_cache

    # -- the whole set -------------------------------------------------------------------

    def overview_pages(self) -> list[PageSpec]:
        """Start, year, programme and unit pages: all in the navigation."""
        pages = [self.start_page()]
        pages += [self.year_page(year, cases) for year, cases in self.register.by_year.items()]
        pages += [self.programme_page(pid, group)
                  for pid, group in self.register.by_programme.items()]
        pages += [self.unit_page(unit, cases) for unit, cases in self.register.by_unit.items()]
        return pages

    # -- case page -----------------------------------------------------------------------

    def case_page(self, case: Case) -> PageSpec:
        src = self.urls.case(case)
        doc = _Document()
        banner = status_banner(case, self.today, self.retention_years)
        if banner:
            doc.html(f'<p class="br-banner" role="status">{banner}</p>')
        link_to = self._link_to(src)
        for notice in (notices_html(case, link_to),
                       revokes_html(self.register.revoked_by.get(case.diary_number, ()),
                                    link_to)):
            if notice:
                doc.html(notice)
        doc.html(self._facts_table(case, src))
        body = mask_text(case.body).strip()
        if body:
            doc.markdown(body)
        if case.funding:
            doc.markdown("## Finansiering")
            doc.html(self._funding_table(case, src))
        self._request(doc, case.diary_number)
        links = self.data.case_links(case) if self.data else ()
        if links:
            doc.html('<p class="br-data">Beslutet som öppna data: '
                     + self._links(src, links) + "</p>")
        return doc.spec(src, case.title, case=case, updated=case.modified, alternates=links)

    def tombstone_page(self, case: Case, withdrawn: date) -> PageSpec:
        """A withdrawn decision's address: its diary number, since when, how to ask.

        Nothing else of the case: not its title (the page's title is the number)."""
        src = self.urls.case(case)
        doc = _Document()
        doc.html(tombstone_html(case.diary_number, withdrawn))
        self._request(doc, case.diary_number)
        return doc.spec(src, case.diary_number, noindex=True)

    def _request(self, doc: _Document, diary_number: str) -> None:
        if self.requests:
            doc.markdown(f"## {REQUEST_HEADING}")
            doc.html(self.requests.html(diary_number))

    def _link_to(self, src: str) -> LinkTo:
        """Links from the page ``src`` to other decisions by diary number (None: the
        register does not publish that decision; it is shown as text)."""
        def link(diary_number: str) -> str | None:
            target = self.register.by_diary_number.get(diary_number)
            return None if target is None else self.urls.link(src, self.urls.case(target))
        return link

    def references(self, case: Case) -> tuple[object, ...]:
        """What a case page shows of other decisions: a cached page is reused only while
        these are the same (a revoking decision added, a linked one withdrawn)."""
        numbers = [c.decision for c in case.corrections if c.decision]
        if case.revoked is not None and case.revoked.by:
            numbers.append(case.revoked.by)
        known = self.register.by_diary_number
        return (tuple(known.get(n) for n in numbers),
                self.register.revoked_by.get(case.diary_number, ()))

    def _links(self, src: str, links: Iterable[Link]) -> str:
        return ", ".join(f'<a href="{_e(self.urls.link(src, link.path))}" '
                         f'type="{_e(link.media_type)}">{_e(link.label)}</a>' for link in links)

    def _follow(self, doc: _Document, src: str, feed: Link | None) -> tuple[Link, ...]:
        """A "Följ" link to the page's feed, with what a feed is; its head link."""
        if feed is None:
            return ()
        label = "Följ " + feed.label[:1].lower() + feed.label[1:] + " (flöde)"
        link = f'<a href="{_e(self.urls.link(src, feed.path))}" type="{_e(feed.media_type)}">'
        doc.html(f'<p class="br-follow">{link}{_e(label)}</a>. {_e(FEED_HELP)}</p>')
        return (feed,)

    def _facts_table(self, case: Case, src: str) -> str:
        rows = [
            _row("Diarienummer", f'<span class="br-diary">{_e(case.diary_number)}</span>'),
            _row("Ärendemening", _e(case.title)),
            _row("Beslutsdatum", _time(case.date)),
            _row("Enhet", _a(self.urls.link(src, self.urls.unit(case.unit)), case.unit)),
            _row("Handläggare", self._officer(case)),
            _row("Beslutsfattare", _e(", ".join(
                part for part in public_decision_maker(case) if part))),
        ]
        if case.delegation:
            rows.append(_row("Delegation", _e(case.delegation)))
        if case.project:
            project = case.project
            rows.append(_row("Projekt", _e(project.name)))
            if project.start or project.end:
                period = " – ".join(
                    _time(d) if d else "ej angivet" for d in (project.start, project.end))
                rows.append(_row("Projektperiod", period))
            if project.budget_sek is not None:
                rows.append(_row("Projektets budget", _e(format_sek(project.budget_sek))))
        if case.funding:
            rows.append(_row("Finansiering", _e(format_sek(case.total_sek))
                             + ' <a href="#finansiering">(se fördelning)</a>'))
        if case.reported_to:
            rows.append(_row("Anmäls till", _e(case.reported_to)))
        if case.copy_to:
            rows.append(_row("Utdrag till", _e(", ".join(case.copy_to))))
        year_link = _a(self.urls.link(src, self.urls.year(case.year)), f"Alla beslut {case.year}")
        rows.append(_row("Se även", year_link))
        return ('<table class="br-facts">\n<caption>Uppgifter om beslutet</caption>\n<tbody>\n'
                + "\n".join(rows) + "\n</tbody>\n</table>")

    def _officer(self, case: Case) -> str:
        officer = public_officer(case)
        if officer is None:
            return _e(f"Handläggare vid {case.unit}")
        lines = [_e(officer.name)]
        if officer.email:
            lines.append("E-post: " + _a(f"mailto:{officer.email}", officer.email))
        if officer.phone:
            lines.append("Telefon: " + _e(officer.phone))
        return "<br>".join(lines)

    def _funding_table(self, case: Case, src: str) -> str:
        rows = []
        for source in case.funding:
            programme = self.register.programmes.get(source.programme)
            name = programme.name if programme else source.programme
            link = _a(self.urls.link(src, self.urls.programme(source.programme)), name)
            rows.append(
                f'<tr><th scope="row">{link}</th>'
                '<td data-label="Finansiär">'
                f"{_e(programme.funder if programme and programme.funder else '')}</td>"
                '<td class="br-amount" data-label="Belopp">'
                f"{_e(format_sek(source.amount_sek))}</td>"
                f'<td data-label="Kommentar">{_e(source.note or "")}</td></tr>'
            )
        return (
            '<table class="br-funding">\n<caption>Finansiering per program</caption>\n'
            '<thead><tr><th scope="col">Program</th><th scope="col">Finansiär</th>'
            '<th scope="col" class="br-amount">Belopp</th><th scope="col">Kommentar</th></tr>'
            "</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n"
            f'<tfoot><tr><th scope="row">Summa</th><td></td>'
            '<td class="br-amount" data-label="Belopp">'
            f'{_e(format_sek(case.total_sek))}</td><td></td></tr></tfoot>'
            "\n</table>"
        )

    # -- overview pages ------------------------------------------------------------------

    def start_page(self) -> PageSpec:
        src = self.urls.start()
        register = self.register
        doc = _Document()
        doc.html(f"<p>Registret innehåller {_e(count_decisions(len(register.cases)))} "
                 f"med finansiering om totalt {_e(format_sek(register.total_sek))}.</p>")
        doc.markdown("## Per år")
        doc.html(self._table(
            ("År", "Antal beslut", "Finansiering"),
            [(_a(self.urls.link(src, self.urls.year(y)), str(y)), _e(len(cases)),
              _e(format_sek(register.total_by_year[y])))
             for y, cases in register.by_year.items()],
            numeric=(1, 2), caption="Beslut per år",
        ))
        if register.by_programme:
            doc.markdown("## Per program")
            doc.html(self._table(
                ("Program", "Finansiär", "Antal beslut", "Summa"),
                [(_a(self.urls.link(src, self.urls.programme(pid)), g.programme.name),
                  _e(g.programme.funder or ""), _e(len(g.cases)), _e(format_sek(g.total_sek)))
                 for pid, g in register.by_programme.items()],
                numeric=(2, 3), caption="Beslut och belopp per finansieringsprogram",
            ))
        doc.markdown("## Per enhet")
        doc.html(self._table(
            ("Enhet", "Antal beslut"),
            [(_a(self.urls.link(src, self.urls.unit(u)), u), _e(len(cases)))
             for u, cases in register.by_unit.items()],
            numeric=(1,), caption="Beslut per enhet",
        ))
        latest = register.cases[:20]
        if latest:
            doc.markdown("## Senaste besluten")
            doc.html(self._case_table(src, latest, "Senaste besluten"))
        doc.markdown("## Statistik och öppna data")
        doc.html("<ul>" + "".join(f"<li>{_a(self.urls.link(src, path), label)}</li>"
                                  for path, label in SEE_ALSO) + "</ul>")
        links = self.data.register_links() if self.data else ()
        if links:
            doc.markdown("## Ladda ned registret")
            doc.html("<ul>" + "".join(f"<li>{self._links(src, [link])}</li>"
                                      for link in links) + "</ul>")
        # No alternates: every page's head links the latest decisions' feed already.
        return doc.spec(src, "Alla beslut", "start", updated=_newest(register.cases))

    def year_page(self, year: int, cases: Sequence[Case]) -> PageSpec:
        src = self.urls.year(year)
        total = self.register.total_by_year[year]
        doc = _Document()
        doc.html(f"<p>{_e(count_decisions(len(cases)))} fattade {year}, med finansiering om "
                 f"totalt {_e(format_sek(total))}.</p>")
        links = self.data.year_links(year) if self.data else ()
        if links:
            doc.html(f"<p>Ladda ned besluten {year}: {self._links(src, links)}.</p>")
        doc.html(self._case_table(src, cases, f"Beslut {year}"))
        return doc.spec(src, f"Beslut {year}", "År", updated=_newest(cases), alternates=links)

    def programme_page(self, programme_id: str, group: ProgrammeGroup) -> PageSpec:
        src = self.urls.programme(programme_id)
        programme = group.programme
        facts = []
        if programme.funder:
            facts.append(_row("Finansiär", _e(programme.funder)))
        if programme.url:
            facts.append(_row("Webbplats", _a(programme.url, programme.url)))
        facts.append(_row("Antal beslut", _e(len(group.cases))))
        facts.append(_row("Summa", _e(format_sek(group.total_sek))))
        doc = _Document()
        if programme.description:
            doc.html(f"<p>{_e(programme.description)}</p>")
        doc.html('<table class="br-facts">\n<caption>Om programmet</caption>\n<tbody>\n'
                 + "\n".join(facts) + "\n</tbody>\n</table>")
        feed = self._follow(doc, src, self.data.programme_feed_link(programme_id)
                            if self.data else None)
        for year, cases in group.cases_by_year.items():
            amount = group.amount_by_year[year]
            doc.markdown(f"## {year}")
            doc.html(f"<p>{_e(count_decisions(len(cases)))}, "
                     f"{_e(format_sek(amount))} från programmet.</p>")
            doc.html(self._case_table(src, cases, f"Beslut {year}", programme_id))
        return doc.spec(src, programme.name, "Program", updated=_newest(group.cases),
                        alternates=feed)

    def unit_page(self, unit: str, cases: Sequence[Case]) -> PageSpec:
        src = self.urls.unit(unit)
        doc = _Document()
        doc.html(f"<p>{_e(count_decisions(len(cases)))} från enheten {_e(unit)}.</p>")
        feed = self._follow(doc, src, self.data.unit_feed_link(unit) if self.data else None)
        doc.html(self._case_table(src, cases, f"Beslut från {unit}"))
        return doc.spec(src, unit, "Enheter", updated=_newest(cases), alternates=feed)

    # -- tables --------------------------------------------------------------------------

    def _case_table(
        self, src: str, cases: Iterable[Case], caption: str, programme_id: str | None = None
    ) -> str:
        amount_label = "Belopp från programmet" if programme_id else "Finansiering"
        depth = self.urls.link(src, "")
        rows = []
        for case in cases:
            key = (case.slug, programme_id, depth)
            cached = self.row_cache.get(key)
            if cached is None or cached[0] is not case:
                cached = self.row_cache[key] = (case, self._case_row(src, case, programme_id))
            rows.append(cached[1])
        head = "".join(f'<th scope="col">{_e(h)}</th>'
                       for h in ("Diarienummer", "Datum", "Ärendemening", "Enhet"))
        head += f'<th scope="col" class="br-amount">{_e(amount_label)}</th>'
        return (f'<table class="br-list">\n<caption>{_e(caption)}</caption>\n'
                f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
                + "\n</tbody>\n</table>")

    def _case_row(self, src: str, case: Case, programme_id: str | None) -> str:
        amount = (sum(f.amount_sek for f in case.funding if f.programme == programme_id)
                  if programme_id else case.total_sek)
        title = _a(self.urls.link(src, self.urls.case(case)), case.title)
        marks = list_marks(case)
        if marks:
            title = f"{title} {marks}"
        banner = status_banner(case, self.today, self.retention_years)
        return (
            f'<tr><th scope="row"><span class="br-diary">{_e(case.diary_number)}</span></th>'
            f"<td>{_time(case.date)}</td>"
            f"<td>{f'{title} {banner}' if banner else title}</td>"
            f"<td>{_e(case.unit)}</td>"
            f'<td class="br-amount">{_e(format_sek(amount)) if case.funding else "–"}</td></tr>'
        )

    @staticmethod
    def _table(
        headers: Sequence[str],
        rows: Iterable[Sequence[str]],
        numeric: tuple[int, ...] = (),
        caption: str = "",
    ) -> str:
        """A table of already-escaped cells; the first cell of a row is its header."""
        def cls(i: int) -> str:
            return ' class="br-amount"' if i in numeric else ""

        head = "".join(f'<th scope="col"{cls(i)}>{_e(h)}</th>' for i, h in enumerate(headers))
        body = "\n".join(
            "<tr>" + "".join(
                f'<th scope="row">{cell}</th>' if i == 0 else f"<td{cls(i)}>{cell}</td>"
                for i, cell in enumerate(row)
            ) + "</tr>"
            for row in rows
        )
        return (f'<table class="br-list">\n<caption>{_e(caption)}</caption>\n'
                f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>")
