"""The MkDocs plugin: a thin adapter from MkDocs events to the register core.

Everything here translates: case files are loaded and validated by
:mod:`~beslutsregister.loading`, gated and laid out by :mod:`~beslutsregister.site`, and
this module only hands the results to MkDocs (generated files, navigation, titles) and
turns problems into a :class:`~mkdocs.exceptions.PluginError` that fails the build.
What differs between the staff preview (``mkdocs serve``) and a public build is the
mode's (:mod:`~beslutsregister.adapter.modes`): each hook does what both share and asks
the mode for the rest.

A case page's rendered body is staff Markdown, which passes raw HTML, so no other
plugin may see it before it is sanitized. The register takes it first in
``on_page_content`` and leaves the page empty; other plugins' ``on_page_content`` see
an empty page. A public build sanitizes and indexes bodies in a second process
(:mod:`~beslutsregister.buildworker`); a preview sanitizes at once. Either way a case
page gets its content back first in its ``on_page_context``, before other plugins' and
its template, with what other plugins added sanitized after the body; until then (in
``on_env``, say) it is empty.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from ..core.folders import folder_problems
from ..core.loading import CaseFilesLoader, display_path, load_register
from ..core.model import Case, Problem
from ..core.notices import DocumentRequests, retention_rule
from ..core.opendata import DEFAULT_KEYWORDS, OpenDataError, OpenDataFacts
from ..core.pages import TOP_LEVEL, Link, PageSpec, Urls
from ..core.publication import ClockError, resolve_today
from ..core.sanitize import THEME_ID_PREFIX, inaccessible_body_problems, sanitize_html
from ..core.site import ATOM_FEED, CasePageMemo, RegisterSite
from ..core.statement import (
    STATEMENT_PAGE,
    STATEMENT_TITLE,
    AccessibilityFacts,
    assessment_overdue,
    footer_html,
    statement_markdown,
)
from ..core.validation import CaseRules
from ..search import page as search
from .buildworker import BuildWorker
from .compat import live_reload_requested, strict_warnings_counted
from .config import RegisterConfig
from .doctables import accessible_doc_tables
from .hostguard import guard_host
from .linkedfile import LinkedFile
from .modes import NOINDEX, BuildMode, PreviewMode, PublicBuild, surroundings
from .navcache import TEMPLATES, NavigationCache
from .skiplink import add_skip_link

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

NAV_TITLE = "Register"
#: Where a page from docs/ ("Om registret") states the retention rule, when one is set.
RETENTION_MARKER = "<!-- beslutsregister: gallring -->"
ASSETS = Path(__file__).parent / "assets"
STYLESHEET = "assets/beslutsregister.css"


def _move_theme_ids(toc: Iterable[AnchorLink]) -> None:
    """The table of contents follows the body's headings out of the theme's id space
    (:data:`~beslutsregister.sanitize.THEME_ID_PREFIX`), as the sanitizer moved them."""
    for link in toc:
        if link.id.startswith(THEME_ID_PREFIX):
            link.id = "br" + link.id
        _move_theme_ids(link.children)


def _strict_warnings(config: MkDocsConfig) -> bool:
    """Whether a strict build has warned, so MkDocs will fail it after on_post_build.

    MkDocs (ProperDocs) counts a strict build's warnings with a handler on its logger
    ``mkdocs`` (``properdocs``) and checks the count only after this event; the swap must
    not happen before a build that fails (compat.py).
    """
    return config.strict and strict_warnings_counted()


def format_problems(problems: list[Problem], folder: str) -> str:
    count = len(problems)
    head = f"{count} problem{'s' if count != 1 else ''} in {folder}; nothing was published:"
    return "\n".join([head, *(f"  {p}" for p in problems)])


class RegisterPlugin(BasePlugin[RegisterConfig]):
    """Generates the public register (case and overview pages, exports) from ``cases/``."""

    def __init__(self) -> None:
        # MkDocs' build() called directly (no command line) runs no on_startup: public.
        self.mode: BuildMode = PublicBuild()
        self.site: RegisterSite | None = None
        self.specs: dict[str, PageSpec] = {}  # generated pages by src_uri, until rendered
        self.memo = CasePageMemo()  # what a preview's rebuilds reuse
        self.search_url = ""
        self.theme_dirs: list[str] | None = None  # Material's own, behind the nav override
        self.accessibility: AccessibilityFacts | None = None
        self.open_data: OpenDataFacts | None = None
        self.alternates: dict[str, tuple[Link, ...]] = {}  # head links by src_uri
        self.lastmod: dict[str, str] = {}  # the sitemap's lastmod by src_uri
        self.data_outputs: list[str] = []  # data files to hand to the guard once written
        self.noindex: set[str] = set()  # withdrawn decisions' addresses

    @property
    def worker(self) -> BuildWorker | None:
        """A public build's second process while it runs; None in a preview."""
        return self.mode.worker if isinstance(self.mode, PublicBuild) else None

    # -- the mode: startup, failure and shutdown ------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Choose the mode: the staff preview for ``serve``, else a public build.

        Priority: 0 (default)

        MkDocs keeps a plugin with on_startup across ``serve`` rebuilds, so the mode and
        its caches live from one rebuild to the next.
        """
        preview = command == "serve"
        if dirty and not preview:
            # MkDocs would keep the pages of cases since made drafts, embargoed or deleted.
            raise PluginError("beslutsregister: a public build cannot be --dirty: it could "
                              "keep pages that must no longer be published; build without it")
        if preview and not live_reload_requested():
            # MkDocs calls on_serve, which guards the preview's address, only with
            # live reload: without it the preview would answer any web page.
            raise PluginError("beslutsregister: the staff preview needs live reload, "
                              "which guards its address; expected 'mkdocs serve' "
                              "without --no-livereload")
        self.mode = PreviewMode() if preview else PublicBuild()

    def on_shutdown(self) -> None:
        """Free what the mode kept between builds (a preview's kept pages).

        Priority: 0 (default)
        """
        self.mode.close()

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build publishes nothing: the previous site stays as it was.

        Priority: 0 (default)
        """
        self.mode.abandon()

    # -- configuration ---------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check the clock and the folders; choose where the site is written; add the
        stylesheets and share the navigation between pages (Material).

        Priority: 0 (default)

        The options themselves were validated by RegisterConfig; ``beslutsregister check``
        runs these same checks of the folders and the clock.
        """
        try:
            self.today = resolve_today(self.config.today)
        except ClockError as exc:
            raise PluginError(f"beslutsregister: {exc}") from None
        self.accessibility = AccessibilityFacts.from_options(
            dict(self.config.accessibility), config.site_name)
        self.open_data = self._open_data_facts(config)
        overdue = assessment_overdue(self.accessibility, self.today)
        if overdue:  # DOS-lagen: the statement is reviewed at least once a year
            log.warning(f"beslutsregister: {overdue}")
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.cases_dir = self.root / self.config.cases_dir
        cache = self.root / self.config.build_cache_dir if self.config.build_cache else None
        custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        problems = folder_problems(self.root, Path(config.docs_dir), self.cases_dir,
                                   Path(config.site_dir), cache, custom)
        for problem in problems[:-1]:
            log.error(f"beslutsregister: {problem}")
        if problems:  # before MkDocs empties site_dir
            raise PluginError(f"beslutsregister: {problems[-1]}")
        self.mode.choose_output_folder(config)
        self.mode.use_cache(cache)
        config.extra_css.append(STYLESHEET)
        self._prune_navigation(config)
        self._share_navigation(config)
        config.extra_css.append(search.STYLESHEET)
        if "material/search" in config.plugins or "search" in config.plugins:
            log.info("beslutsregister: the register has its own search index; the "
                     "'search' plugin in mkdocs.yml also publishes all text of all pages "
                     "as one download, and can go")
        return config

    def _open_data_facts(self, config: MkDocsConfig) -> OpenDataFacts:
        """The ``open_data`` options, with the statement's authority and contact as
        defaults (one authority, one contact, unless told otherwise)."""
        options = self.config.open_data
        assert self.accessibility is not None
        return OpenDataFacts(
            publisher=options.publisher or self.accessibility.authority,
            publisher_url=options.publisher_url,
            contact_email=options.contact_email or self.accessibility.contact_email,
            contact_phone=options.contact_phone or self.accessibility.contact_phone,
            licence=options.licence,
            frequency=options.frequency,
            spatial=options.spatial,
            keywords=tuple(options.keywords or DEFAULT_KEYWORDS),
            publisher_type=options.publisher_type,
            organisation_number=options.organisation_number,
        )

    @staticmethod
    def _prune_navigation(config: MkDocsConfig) -> None:
        """Render only the visible part of the navigation on each page (Material feature).

        Every page embeds the navigation; with years, programmes and units in it, the
        full tree was half of each case page's bytes (32 KB -> 21 KB per page, measured
        on a generated register). ``navigation.expand`` asks for the opposite: respected.
        """
        features = config.theme.get("features")
        if config.theme.name == "material" and isinstance(features, list) and not (
                {"navigation.prune", "navigation.expand"} & set(features)):
            features.append("navigation.prune")

    def _share_navigation(self, config: MkDocsConfig) -> None:
        """Material: render the navigation once for all case pages (navcache.py).

        The override goes after a site's ``custom_dir`` (whose own override wins) and
        before Material's templates.
        """
        self.theme_dirs = None
        if config.theme.name != "material":
            return
        dirs = config.theme.dirs
        at = 1 if config.theme.custom_dir else 0
        if str(TEMPLATES) not in dirs:
            dirs.insert(at, str(TEMPLATES))
        self.theme_dirs = dirs[at + 1:]

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Let the mode act before MkDocs empties ``site_dir`` (a preview moves its kept
        pages aside).

        Priority: 0 (default)
        """
        self.mode.before_cleaning(config)

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild the preview when a case file changes, and let it answer only requests
        addressed to it (``Host`` = its own ``dev_addr``, ``localhost`` or an IP).

        Priority: 0 (default)

        The preview shows drafts and embargoed decisions, and MkDocs' server answers any
        ``Host``: without the guard, a web page could rebind its own name to 127.0.0.1
        and read them (DNS rebinding; see :mod:`~beslutsregister.hostguard`).
        """
        server.watch(str(self.cases_dir))
        app = server.get_app()
        if app is None:  # MkDocs' server sets its application when it is made
            raise PluginError("beslutsregister: the preview server has no application to "
                              "guard; expected MkDocs' LiveReloadServer")
        host, port = config.dev_addr
        server.set_app(guard_host(app, host, port))
        return server

    # -- the register's files and navigation ----------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Load the register and add its pages, data files, stylesheet and search.

        Priority: 0 (default)

        A preview loads here, reusing what it parsed before, and adds only the pages
        that changed; a public build loads with its second process and starts the
        search index and the output guard in it (modes.py).
        """
        LinkedFile.new_build()
        with self.mode.loading() as load_case_files:
            self._add_register(files, config, load_case_files)
        return files

    def _add_register(
        self, files: Files, config: MkDocsConfig, load_case_files: CaseFilesLoader
    ) -> None:
        """Load the register and add its pages, data files and search to ``files``."""
        rules = CaseRules(self.config.diary_number_pattern, self.config.diary_number_description)
        loaded = load_register(self.cases_dir, self.root, rules, load_case_files)
        if loaded.problems:
            raise PluginError(format_problems(loaded.problems, self.config.cases_dir + "/"))
        assert self.open_data is not None  # on_config ran
        self.site = RegisterSite(
            loaded, self.today, preview=self.mode.preview,
            use_directory_urls=config.use_directory_urls, site_url=config.site_url or "",
            feed_size=self.config.feed_size, memo=self.memo, open_data_facts=self.open_data,
            site_name=config.site_name, retention_years=self.config.retention_years,
            # Without the registry's address, requests go to the open data's contact
            # (by default the accessibility contact): a withdrawn address must say how.
            requests=DocumentRequests(self.config.registry_email or self.open_data.contact_email,
                                      self.config.registry_url),
        )
        pages = self.site.overview_pages() + self.site.case_pages()
        self.specs = {spec.src_uri: spec for spec in pages}
        self.lastmod = {spec.src_uri: spec.updated.isoformat() if spec.updated else ""
                        for spec in pages}
        self.alternates = {spec.src_uri: spec.alternates for spec in pages if spec.alternates}
        self.noindex = {spec.src_uri for spec in pages if spec.noindex}
        docs = Path(config.docs_dir).resolve()
        sources = {f.dest_uri: display_path(docs / f.src_uri, self.root)
                   for f in files.documentation_pages()}
        sources.update((self.site.urls.dest(spec.src_uri), spec.case.source)
                       for spec in pages if spec.case is not None)
        for spec, kept in self.mode.pages_to_render(pages, self.site, config):
            if kept is None:
                files.append(self._generated_file(files, config, spec.src_uri, spec.markdown))
            else:  # its HTML from an earlier build, unchanged (rebuild.py)
                self._refuse_docs_file(files, spec.src_uri)
                files.append(self._generated_file(files, config, self.site.urls.dest(
                    spec.src_uri), source=kept, link=False))
        # The second process starts indexing now, beside the data files being written.
        self.mode.register_added(self.site, config, sources)
        files.append(File.generated(config, STYLESHEET, abs_src_path=str(ASSETS / "register.css")))
        self._add_search(files, config)
        assert self.accessibility is not None
        files.append(self._generated_file(files, config, STATEMENT_PAGE, statement_markdown(
            self.accessibility, self.today)))
        try:
            self._add_data_files(files, config)
        except OpenDataError as exc:
            raise PluginError(f"beslutsregister: {exc}") from None

    def _add_data_files(self, files: Files, config: MkDocsConfig) -> None:
        """The open-data files: in memory (a preview), or written to the mode's folder one
        at a time and copied by MkDocs (a public build)."""
        assert self.site is not None
        folder = self.mode.data_folder()
        if folder is None:
            data = self.site.data_files()
            for path, content in data.items():
                files.append(self._generated_file(files, config, path, content))
            self.data_outputs = list(data)
        else:
            self.data_outputs = self.site.open_data.write(folder)
            for path in self.data_outputs:
                files.append(self._generated_file(files, config, path, source=folder / path))

    def _add_search(self, files: Files, config: MkDocsConfig) -> None:
        """The search page and its scripts (a public build's index is made beside)."""
        assert self.site is not None
        urls = self.site.urls
        self.search_url = urls.url(search.SEARCH_PAGE)
        markdown = search.search_page_markdown(self.search_url, urls.url(urls.start()),
                                               len(self.site.public.cases), self.mode.preview)
        files.append(self._generated_file(files, config, search.SEARCH_PAGE, markdown))
        for dest, source in search.ASSET_SOURCES.items():
            files.append(File.generated(config, dest,
                                        abs_src_path=str(search.ASSETS / source)))

    @staticmethod
    def _generated_file(files: Files, config: MkDocsConfig, src_uri: str,
                        content: str | None = None, source: Path | None = None,
                        link: bool = True) -> File:
        """A generated file with its ``content``, or from ``source``: hard-linked (a file
        this build wrote beside the site, linkedfile.py) or copied (``link`` False: a page
        of the build cache, which must never change through the site being built)."""
        RegisterPlugin._refuse_docs_file(files, src_uri)
        # Pages stay out of the automatic navigation; on_nav adds the overview pages.
        if source is not None:
            made = LinkedFile if link else File
            return made.generated(config, src_uri, abs_src_path=str(source),
                                  inclusion=InclusionLevel.NOT_IN_NAV)
        return File.generated(config, src_uri, content=content or "",
                              inclusion=InclusionLevel.NOT_IN_NAV)

    @staticmethod
    def _refuse_docs_file(files: Files, src_uri: str) -> None:
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"beslutsregister: docs/{src_uri} exists, but the register "
                              "generates that page; rename or remove the file in docs/")

    _surroundings = staticmethod(surroundings)  # what a preview's kept pages depend on

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Add the section "Register" (start page, then a section per group of overview
        pages) as the navigation's second item.

        Priority: 0 (default)
        """
        groups: dict[str, Any] = {}  # a section's title and pages, or a top-level page
        start: Page | None = None
        for spec in self.specs.values():
            if spec.nav_group is None:
                continue
            file = files.get_file_from_path(spec.src_uri)
            assert file is not None  # overview pages are always in `files`
            page = Page(escape(spec.title), file, config)
            nav.pages.append(page)
            if spec.nav_group == "start":
                start = page
            elif spec.nav_group == TOP_LEVEL:
                groups[spec.src_uri] = page
            else:
                groups.setdefault(spec.nav_group, []).append(page)
        children: list[Any] = [start] if start else []
        children += [Section(title, pages) if isinstance(pages, list) else pages
                     for title, pages in groups.items()]
        section = Section(NAV_TITLE, children)
        for child in children:
            child.parent = section
            if isinstance(child, Section):
                for grandchild in child.children:
                    grandchild.parent = child
        nav.items.insert(1 if nav.items else 0, section)
        statement = files.get_file_from_path(STATEMENT_PAGE)
        if statement is not None:  # last, as the statement is in most sites' navigation
            page = Page(STATEMENT_TITLE, statement, config)
            nav.pages.append(page)
            nav.items.append(page)
        return nav

    # -- pages -------------------------------------------------------------------------

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Give a generated page its title (escaped: templates print titles unescaped, and
        ``meta.title`` also feeds Material's ``<title>``).

        Priority: 0 (default)
        """
        spec = self.specs.get(page.file.src_uri)
        # The sitemap's lastmod: the newest decision a page shows, never the build date
        # (two builds of the same cases give the same sitemap); none for other pages.
        if self.site is not None and self.site.register.cases:
            page.update_date = self.lastmod.get(page.file.src_uri, "")
        if spec is not None:
            page.meta["title"] = escape(spec.title)
            page.meta["br_noindex"] = spec.noindex  # out of the sitemap (templates/)
            self.mode.markdown_read(page)
        elif RETENTION_MARKER in markdown:  # "Om registret" states the retention rule
            years = self.config.retention_years
            markdown = markdown.replace(RETENTION_MARKER, retention_rule(years) if years else "")
        return markdown

    @event_priority(100)  # first: no other plugin sees a body before it is sanitized
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Fill an overview page's blocks; take a case page's body, leaving it empty,
        until it is sanitized (the mode's :meth:`~.modes.BuildMode.take_body`).

        Priority: 100 (first: no other plugin sees a body before it is sanitized)
        """
        src_uri = page.file.src_uri
        spec = self.mode.claim_spec(self.specs, src_uri)
        if spec is None:
            if page.file.generated_by is None:  # a page from docs/: its tables named
                html = accessible_doc_tables(html)
            return self.mode.rendered_again(src_uri, html)
        if spec.nav_group is not None:
            return spec.fill(html)
        if spec.case is not None:
            self._refuse_inaccessible_body(html, spec.case)
            _move_theme_ids(page.toc)
        self.mode.take_body(src_uri, spec, html)
        return ""

    def _refuse_inaccessible_body(self, html: str, case: Case) -> None:
        problems = inaccessible_body_problems(html, case.source, case.body, case.body_line)
        if problems:
            raise PluginError(format_problems(problems, self.config.cases_dir + "/"))

    def _install_navigation_cache(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """``on_env``: Material renders the navigation once for all case pages (navcache.py).

        Priority: 0 (default)
        """
        env.globals["br_sitemap"] = partial(self._sitemap, files)
        if self.theme_dirs is not None:
            NavigationCache().install(env, self.theme_dirs)
            facts = self.accessibility
            if facts is not None:  # the footer (templates/partials/copyright.html)
                env.globals.update(
                    br_statement_url=Urls(config.use_directory_urls).url(STATEMENT_PAGE),
                    br_footer=lambda href: Markup(footer_html(facts, href)))
        return env

    def _sitemap(self, files: Files, pages: Iterable[File]) -> Iterator[tuple[str, str]]:
        """The sitemap's (address, lastmod) in the order of ``files``: the documentation
        ``pages`` (not a link, not marked ``br_noindex``), and the case pages copied
        from an earlier build in their place (templates/sitemap.xml)."""
        documentation = {id(file) for file in pages}
        for file in files:
            if id(file) in documentation:
                page = file.page
                if page is None or page.is_link or page.meta.get("br_noindex"):
                    continue
                address = page.canonical_url or page.abs_url
                if address:
                    yield address, page.update_date
            elif (kept := self.mode.kept_page(file.src_uri)) is not None:
                address, lastmod, noindex = kept
                if address and not noindex:
                    yield address, lastmod

    @event_priority(100)  # before other plugins
    def _finish_case_bodies(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """``on_env``: every page is rendered; wait for the last sanitized bodies.

        Priority: 100 (before other plugins)
        """
        self.mode.finish_bodies()
        return env

    on_env = CombinedEvent(_install_navigation_cache, _finish_case_bodies)

    @event_priority(100)  # before other plugins and the template see the page
    def on_page_context(
        self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        """Give a case page its sanitized content back, with what other plugins added to
        it sanitized after the body.

        Priority: 100 (before other plugins and the template see the page)
        """
        taken = self.mode.give_back(page.file.src_uri)
        if taken is None:
            return context
        spec, html = taken
        added = page.content  # by other plugins, after the body
        page.content = spec.fill(html + (sanitize_html(added) if added else ""))
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Add the search field and head links; the page before this one is written now,
        so a public build's second process scans it (the output guard). MkDocs wrote
        the static files before the first page's template: the data files are handed
        to the guard with it, to be scanned while pages render.

        Priority: 0 (default)
        """
        if self.data_outputs:
            self.mode.files_written(self.data_outputs)
            self.data_outputs = []
        self.mode.page_built(page.file.dest_uri)
        output = add_skip_link(output)
        if self.site is not None:  # a search field on every page
            output = search.add_header_search(output, search.root_prefix(page.url)
                                              + self.search_url)
        head = list(self.mode.head)  # a preview is never for search engines
        if page.file.src_uri in self.noindex and NOINDEX not in head:
            head.append(NOINDEX)  # a withdrawn decision's address
        if self.site is not None and self.site.feed_url:  # feed readers find the feed
            # Relative: Material fetches sitemap.xml beside every rel=alternate link's
            # address, so an absolute one sent each page view (the preview's too) to the
            # production host.
            feed = search.root_prefix(page.url) + ATOM_FEED
            head.append('<link rel="alternate" type="application/atom+xml" '
                        f'title="Senaste besluten" href="{escape(feed)}">')
        for link in self.alternates.get(page.file.src_uri, ()):
            href = search.root_prefix(page.url) + link.path
            head.append(f'<link rel="alternate" type="{escape(link.media_type)}" '
                        f'title="{escape(link.label)}" href="{escape(href)}">')
        return output.replace("<head>", "<head>\n" + "\n".join(head), 1) if head else output

    def on_post_template(self, output_content: str, *, template_name: str,
                         config: MkDocsConfig) -> str:
        """The theme's own HTML pages (Material's 404 page) get the skip link too.

        Priority: 0 (default)
        """
        if not template_name.endswith(".html"):  # sitemap.xml
            return output_content
        return add_skip_link(output_content)

    # -- the site ----------------------------------------------------------------------

    @event_priority(100)  # the index is complete before other plugins see the site
    def _finish_site(self, *, config: MkDocsConfig) -> None:
        """``on_post_build``: check every rendered case page was built; finish the search
        index (a public build) or put back the kept pages (a preview).

        Priority: 100 (the index is complete before other plugins see the site)
        """
        self.mode.finish_site(config)

    @event_priority(-1000)  # last: after every plugin wrote what it writes
    def _guard_and_publish(self, *, config: MkDocsConfig) -> None:
        """``on_post_build``: a public build scans every output file (outputguard.py),
        then swaps the staging folder in.

        Priority: -1000 (last: after every plugin wrote what it writes)

        In strict mode MkDocs fails the build right after this event if anything
        warned: then nothing is swapped in, and on_build_error removes the staging folder.
        """
        if self.site is None or _strict_warnings(config):
            return
        self.mode.publish(config, self.site)

    on_post_build = CombinedEvent(_finish_site, _guard_and_publish)
