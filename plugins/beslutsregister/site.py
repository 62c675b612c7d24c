"""Everything a build publishes, computed once from the loaded register.

:class:`RegisterSite` applies the publication gate, groups what passed it, and lists the
pages and data files to generate. It knows nothing about MkDocs: the plugin turns its
output into MkDocs files, and the command line or another generator could do the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from . import exports
from .grouping import Register
from .loading import LoadResult
from .model import Case, Visibility
from .pages import REGISTER_DIR, PageBuilder, PageSpec, Urls
from .publication import visible_cases

JSON_EXPORT = f"{REGISTER_DIR}/beslut.json"
CSV_EXPORT = f"{REGISTER_DIR}/beslut.csv"
ATOM_FEED = f"{REGISTER_DIR}/senaste.xml"


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
    urls: Urls = field(init=False)

    def __post_init__(self) -> None:
        self.urls = Urls(self.use_directory_urls)

    @cached_property
    def register(self) -> Register:
        return Register.of(visible_cases(self.loaded.cases, self.today, self.preview),
                           self.loaded.programmes)

    @cached_property
    def builder(self) -> PageBuilder:
        return PageBuilder(self.register, self.urls, self.today)

    def case_pages(self) -> list[PageSpec]:
        return [self.builder.case_page(case) for case in self.register.cases]

    def overview_pages(self) -> list[PageSpec]:
        return self.builder.overview_pages()

    def is_public(self, case: Case) -> bool:
        return case.visibility(self.today) is Visibility.PUBLISHED

    def data_files(self) -> dict[str, str]:
        """Exports and feed: public cases only, even in a preview (they are never drafts)."""
        public = Register.of((c for c in self.register.cases if self.is_public(c)),
                             self.register.programmes)
        url_of = {c.slug: self.absolute(self.urls.url(self.urls.case(c))) for c in public.cases}
        files = {
            JSON_EXPORT: exports.to_json(public, url_of),
            CSV_EXPORT: exports.to_csv(public, url_of),
        }
        if self.site_url:
            files[ATOM_FEED] = exports.to_atom(public, url_of, self.absolute(ATOM_FEED),
                                               "Senaste besluten", self.feed_size)
        return files

    def absolute(self, path: str) -> str:
        return (self.site_url.rstrip("/") + "/" + path) if self.site_url else path
