"""Everything a build publishes, computed once from the loaded register.

:class:`RegisterSite` applies the publication gate, groups what passed it, and lists the
pages and data files to generate. It knows nothing about MkDocs: the plugin turns its
output into MkDocs files, and the command line or another generator could do the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from .grouping import Register
from .loading import LoadResult
from .model import Case
from .notices import DocumentRequests
from .opendata import ATOM_FEED, CSV_EXPORT, JSON_EXPORT, OpenData, OpenDataFacts
from .opendata_page import open_data_page
from .pages import PageBuilder, PageSpec, Urls
from .publication import (
    unpublished_numbers,
    visible_cases,
    withdrawn_cases,
    withhold_references,
)
from .statistics import statistics_page

__all__ = ["ATOM_FEED", "CSV_EXPORT", "JSON_EXPORT", "CasePageMemo", "RegisterSite"]


@dataclass
class CasePageMemo:
    """Case pages of earlier builds in this process, reused while their inputs are unchanged.

    A case page depends on its case, the programme list, the clock and the URL style. The
    loader returns the *same* :class:`Case` object for an unchanged file, so identity is
    a cheap and exact test. Saves rebuilding ten thousand pages' Markdown on every save
    in the staff preview.
    """

    key: tuple[object, ...] = ()
    pages: dict[str, tuple[Case, tuple[object, ...], PageSpec]] = field(default_factory=dict)
    rows: dict[tuple[str, str | None, str], tuple[Case, str]] = field(default_factory=dict)
    #: (the public cases and the withdrawn ones with their days, the files made of them)
    data_files: tuple[tuple[object, ...], dict[str, str]] = ((), {})
    records: dict[str, tuple[Case, dict[str, Any]]] = field(default_factory=dict)

    def lookup(self, key: tuple[object, ...]
               ) -> dict[str, tuple[Case, tuple[object, ...], PageSpec]]:
        if key != self.key:
            self.clear()
            self.key = key
        return self.pages

    def clear(self) -> None:
        """Forget every page, row and export (in place: the plugin holds this object too)."""
        self.key, self.pages, self.rows, self.data_files = (), {}, {}, ((), {})
        self.records = {}


@dataclass
class RegisterSite:
    """The gated register and the files it publishes.

    ``preview`` is a staff preview (drafts and embargoed cases shown with banners);
    otherwise only public cases exist as far as anything downstream can tell.
    """

    loaded: LoadResult
    today: date
    preview: bool = False
    use_directory_urls: bool = True
    site_url: str = ""
    feed_size: int = 50
    open_data_facts: OpenDataFacts = field(default_factory=lambda: OpenDataFacts("Registret"))
    site_name: str = "Beslutsregister"
    retention_years: int | None = None
    requests: DocumentRequests = field(default_factory=DocumentRequests)
    memo: CasePageMemo = field(default_factory=CasePageMemo)
    urls: Urls = field(init=False)

    def __post_init__(self) -> None:
        self.urls = Urls(self.use_directory_urls)

    @cached_property
    def register(self) -> Register:
        cases = visible_cases(self.loaded.cases, self.today, self.preview,
                              self.retention_years)
        if not self.preview:
            cases = self._withhold(cases)
        return Register.of(cases, self.loaded.programmes)

    def _withhold(self, cases: list[Case]) -> list[Case]:
        """Public cases without their references to decisions not public yet."""
        hidden = unpublished_numbers(self.loaded.cases, self.today, self.retention_years)
        return [withhold_references(case, hidden) for case in cases] if hidden else cases

    @cached_property
    def withdrawn(self) -> list[tuple[Case, date]]:
        """Decisions taken off the web, with since when, in case order."""
        found = withdrawn_cases(self.loaded.cases, self.today, self.retention_years)
        return sorted(found, key=lambda item: (-item[0].date.toordinal(),
                                               item[0].diary_number))

    @cached_property
    def builder(self) -> PageBuilder:
        self.memo.lookup(self._memo_key())
        return PageBuilder(self.register, self.urls, self.today, self.memo.rows,
                           self.open_data, self.retention_years, self.requests)

    @cached_property
    def open_data(self) -> OpenData:
        """The open-data files: of public cases only, even in a preview."""
        self.memo.lookup(self._memo_key())
        return OpenData(self.public, self.urls, self.open_data_facts, self.site_url,
                        self.site_name, self.feed_size, self.memo.records,
                        withdrawn=self.withdrawn)

    def _memo_key(self) -> tuple[object, ...]:
        return (self.today, tuple(self.loaded.programmes.items()), self.use_directory_urls,
                self.preview, self.site_url, self.feed_size, self.open_data_facts,
                self.site_name, self.retention_years, self.requests)

    def case_pages(self) -> list[PageSpec]:
        pages = self.memo.lookup(self._memo_key())
        current: dict[str, tuple[Case, tuple[object, ...], PageSpec]] = {}
        builder = self.builder
        for case in self.register.cases:
            known = pages.get(case.slug)
            references = builder.references(case)
            if known is None or known[0] is not case or known[1] != references:
                known = (case, references, builder.case_page(case))
            current[case.slug] = known
        self.memo.pages = current
        specs = [spec for _, _, spec in current.values()]
        if not self.preview:  # a preview shows a withdrawn decision in full, with a banner
            specs += [builder.tombstone_page(case, day) for case, day in self.withdrawn]
        return specs

    def overview_pages(self) -> list[PageSpec]:
        """Start, statistics, open data, then year, programme and unit pages."""
        pages = self.builder.overview_pages()
        return [pages[0], statistics_page(self.register, self.urls),
                open_data_page(self.open_data), *pages[1:]]

    @cached_property
    def public(self) -> Register:
        """The register as the public sees it: in a public build, the register itself;
        in a preview, without its drafts and embargoed cases (exports, feed, search)."""
        if not self.preview:
            return self.register
        return Register.of(self._withhold(visible_cases(
            self.register.cases, self.today, False, self.retention_years)),
            self.register.programmes)

    def data_files(self) -> dict[str, str]:
        """Exports and feed: public cases only, even in a preview (they are never drafts)."""
        public = self.public
        self.memo.lookup(self._memo_key())
        key = (*public.cases, *self.withdrawn)
        if self.memo.data_files[0] == key and self.memo.data_files[1]:
            return self.memo.data_files[1]  # same case objects (tuple == checks identity first)
        files = self.open_data.files()
        self.memo.data_files = (key, files)
        return files

    def release_reuse_caches(self) -> None:
        """Forget what only a later rebuild could reuse (rows, pages, exports).

        A one-off public build hands its pages over and needs none of it: at 10 000 cases
        the caches held tens of megabytes until the end of the build. Cleared in place:
        the plugin passed this memo in and keeps it, so a fresh one would free nothing.
        """
        self.memo.clear()
        self.__dict__.pop("builder", None)  # the cached PageBuilder holds the row cache
        self.__dict__.pop("open_data", None)  # and OpenData the records

    @property
    def feed_url(self) -> str | None:
        """The Atom feed's absolute address (feeds need one: only with a site_url)."""
        return self.absolute(ATOM_FEED) if self.site_url else None

    def absolute(self, path: str) -> str:
        return (self.site_url.rstrip("/") + "/" + path) if self.site_url else path
