"""The MkDocs plugin: a thin adapter from MkDocs events to the register core.

Everything here translates: case files are loaded and validated by
:mod:`~beslutsregister.loading`, gated and laid out by :mod:`~beslutsregister.site`, and
this module only hands the results to MkDocs (generated files, navigation, titles) and
turns problems into a :class:`~mkdocs.exceptions.PluginError` that fails the build.

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

import gc
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from ..core.fingerprint import fingerprint
from ..core.folders import folder_problems
from ..core.loading import display_path, load_case_files, load_register
from ..core.model import Case, Problem
from ..core.outputguard import attribute, scan_site
from ..core.pages import CASES_DIR, REGISTER_DIR, PageSpec
from ..core.publication import ClockError, resolve_today
from ..core.sanitize import THEME_ID_PREFIX, remote_image_problems, sanitize_html
from ..core.site import CasePageMemo, RegisterSite
from ..core.staging import StagedSite
from ..core.validation import CaseRules
from ..search import page as search
from ..search.index import IndexDocument, documents_of
from .buildworker import BuildWorker, WorkerError
from .compat import live_reload_requested, strict_warnings_counted
from .config import RegisterConfig
from .hostguard import guard_host
from .navcache import TEMPLATES, NavigationCache
from .preview_cache import PreviewOutputKeeper, config_files, stamps

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

NAV_TITLE = "Register"
ASSETS = Path(__file__).parent / "assets"
STYLESHEET = "assets/beslutsregister.css"


@dataclass
class _CaseBody:
    """A case page between the rendering of its body and its sanitized content."""

    page: Page
    spec: PageSpec
    number: int = -1  # of its body in the build worker (a public build)
    html: str = ""  # its sanitized body (a preview)


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
        self.preview = False
        self.site: RegisterSite | None = None
        self.specs: dict[str, PageSpec] = {}
        self.keeper: PreviewOutputKeeper | None = None
        self.memo = CasePageMemo()
        self.worker: BuildWorker | None = None  # public builds only
        self.index_documents: dict[str, IndexDocument] = {}
        self.case_bodies: dict[str, _CaseBody] = {}  # by src_uri, while pages render
        self.taken: set[str] = set()  # case pages whose body a one-off build has taken
        self.frozen = False  # whether this plugin froze the garbage collector's objects
        self.search_url = ""
        self.theme_dirs: list[str] | None = None  # Material's own, behind the nav override
        self.staged: StagedSite | None = None  # a public build's staging folder
        self.last_page: str | None = None  # the page rendered last, written by now
        self.sources: dict[str, str] = {}  # output file -> its source, for the guard

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # MkDocs keeps a plugin with on_startup across `serve` rebuilds, so caches live.
        self.preview = command == "serve"
        if dirty and not self.preview:
            # MkDocs would keep the pages of cases since made drafts, embargoed or deleted.
            raise PluginError("beslutsregister: a public build cannot be --dirty: it could "
                              "keep pages that must no longer be published; build without it")
        if self.preview:
            if not live_reload_requested():
                # MkDocs calls on_serve, which guards the preview's address, only with
                # live reload: without it the preview would answer any web page.
                raise PluginError("beslutsregister: the staff preview needs live reload, "
                                  "which guards its address; expected 'mkdocs serve' "
                                  "without --no-livereload")
            self.keeper = PreviewOutputKeeper((CASES_DIR, REGISTER_DIR))

    def on_shutdown(self) -> None:
        if self.keeper is not None:
            self.keeper.close()

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build publishes nothing: the previous site stays as it was."""
        self._stop_worker()  # no index for a build that failed
        self._unfreeze()
        if self.staged is not None:
            self.staged.discard()
            self.staged = None

    def _stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None
        self.case_bodies, self.taken, self.last_page = {}, set(), None

    def _unfreeze(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # The options themselves were validated by RegisterConfig; `beslutsregister check`
        # runs these same checks of the folders and the clock.
        try:
            self.today = resolve_today(self.config.today)
        except ClockError as exc:
            raise PluginError(f"beslutsregister: {exc}") from None
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.cases_dir = self.root / self.config.cases_dir
        problems = folder_problems(self.root, Path(config.docs_dir), self.cases_dir,
                                   Path(config.site_dir))
        for problem in problems[:-1]:
            log.error(f"beslutsregister: {problem}")
        if problems:  # before MkDocs empties site_dir
            raise PluginError(f"beslutsregister: {problems[-1]}")
        self._stage(config)
        config.extra_css.append(STYLESHEET)
        self._prune_navigation(config)
        self._share_navigation(config)
        config.extra_css.append(search.STYLESHEET)
        if "material/search" in config.plugins or "search" in config.plugins:
            log.info("beslutsregister: the register has its own search index; the "
                     "'search' plugin in mkdocs.yml also publishes all text of all pages "
                     "as one download, and can go")
        return config

    def _stage(self, config: MkDocsConfig) -> None:
        """A public build writes into a staging folder beside ``site_dir``, swapped in by
        :meth:`_guard_and_publish` only when everything passed (staging.py)."""
        self.staged = None
        if self.preview:  # MkDocs serves the preview from a temporary folder of its own
            return
        self.staged = StagedSite(Path(config.site_dir))
        try:
            config.site_dir = str(self.staged.prepare())
        except OSError as exc:
            raise PluginError(f"beslutsregister: cannot make the staging folder beside "
                              f"site_dir ({exc}); expected a writable folder") from None

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

    def _install_navigation_cache(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.theme_dirs is not None:
            NavigationCache().install(env, self.theme_dirs)
        return env

    @event_priority(100)  # before other plugins
    def _finish_case_bodies(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Every page is rendered: wait for the last sanitized bodies."""
        if self.worker is not None:
            try:
                self.worker.finish_bodies()
            except WorkerError as exc:
                raise PluginError(f"beslutsregister: {exc}") from None
        return env

    on_env = CombinedEvent(_install_navigation_cache, _finish_case_bodies)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.keeper is not None:
            self.keeper.before_build(Path(config.site_dir))

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild the preview when a case file changes, and let it answer only requests
        addressed to it (``Host`` = its own ``dev_addr``, ``localhost`` or an IP).

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

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self._stop_worker()
        if self.preview:  # a preview reuses what it loaded before
            self._add_register(files, config)
            return files
        # A public build shares its work with a second process (buildworker.py).
        # Nearly everything made here lives until the end, and it makes almost no
        # reference cycles (150 unreachable objects of 217 000 at 10 000 cases): the
        # garbage collector would only scan it again and again (0.4 s at 10 000), so it
        # pauses, and then what was made is frozen out of its sight.
        try:
            self.worker = BuildWorker()
        except WorkerError as exc:
            raise PluginError(f"beslutsregister: {exc}") from None
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._add_register(files, config)
            assert self.site is not None
            self.worker.start_guard(Path(config.site_dir), self.site.loaded.protected)
            self.site.release_reuse_caches()
            gc.freeze()
            self.frozen = True
        finally:
            if collecting:
                gc.enable()
        return files

    def _add_register(self, files: Files, config: MkDocsConfig) -> None:
        """Load the register and add its pages, data files and search to ``files``."""
        rules = CaseRules(self.config.diary_number_pattern, self.config.diary_number_description)
        try:
            loaded = load_register(self.cases_dir, self.root, rules, self.worker.load_case_files
                                   if self.worker is not None else load_case_files)
        except WorkerError as exc:
            raise PluginError(f"beslutsregister: {exc}") from None
        if loaded.problems:
            raise PluginError(format_problems(loaded.problems, self.config.cases_dir + "/"))
        self.site = RegisterSite(
            loaded, self.today, preview=self.preview,
            use_directory_urls=config.use_directory_urls, site_url=config.site_url or "",
            feed_size=self.config.feed_size, memo=self.memo,
        )
        pages = self.site.overview_pages() + self.site.case_pages()
        self.specs = {spec.src_uri: spec for spec in pages}
        docs = Path(config.docs_dir).resolve()
        self.sources = {f.dest_uri: display_path(docs / f.src_uri, self.root)
                        for f in files.documentation_pages()}
        self.sources.update((self.site.urls.dest(spec.src_uri), spec.case.source)
                            for spec in pages if spec.case is not None)
        context = fingerprint(self._surroundings(config, pages)) if self.keeper else ""
        for spec in pages:
            if self._must_render(spec, context):
                files.append(self._generated_file(files, config, spec.src_uri, spec.markdown))
        files.append(File.generated(config, STYLESHEET, abs_src_path=str(ASSETS / "register.css")))
        self._add_search(files, config)
        for path, content in self.site.data_files().items():
            files.append(self._generated_file(files, config, path, content))

    def _add_search(self, files: Files, config: MkDocsConfig) -> None:
        """The search page and its scripts; the index collects case pages as they render."""
        assert self.site is not None
        urls = self.site.urls
        public = self.site.public
        self.search_url = urls.url(search.SEARCH_PAGE)
        markdown = search.search_page_markdown(self.search_url, urls.url(urls.start()),
                                               len(public.cases), self.preview)
        files.append(self._generated_file(files, config, search.SEARCH_PAGE, markdown))
        for dest, source in search.ASSET_SOURCES.items():
            files.append(File.generated(config, dest,
                                        abs_src_path=str(search.ASSETS / source)))
        if self.worker is not None:  # indexed while the pages render, in a second process
            self.index_documents = documents_of(public, lambda case: urls.url(urls.case(case)))
            self.worker.start_index(list(self.index_documents.values()),
                                    Path(config.site_dir) / search.INDEX_DIR)

    def _must_render(self, spec: PageSpec, context: str) -> bool:
        """In a preview, an unchanged case page keeps its last output; else render."""
        if self.keeper is None or self.site is None:
            return True
        dest_uri = self.site.urls.dest(spec.src_uri)
        if spec.nav_group is not None:  # few, and link targets of docs: always rendered
            self.keeper.render(spec.src_uri, dest_uri)
            return True
        return not self.keeper.reuse(spec.src_uri, fingerprint(context, spec.digest), dest_uri)

    @staticmethod
    def _generated_file(files: Files, config: MkDocsConfig, src_uri: str, content: str) -> File:
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"beslutsregister: docs/{src_uri} exists, but the register "
                              "generates that page; rename or remove the file in docs/")
        # Pages stay out of the automatic navigation; on_nav adds the overview pages.
        return File.generated(config, src_uri, content=content,
                              inclusion=InclusionLevel.NOT_IN_NAV)

    @staticmethod
    def _surroundings(config: MkDocsConfig, pages: list[PageSpec]) -> str:
        """What every page's HTML depends on besides its own content: the config files
        (inherited ones too), docs, the site's theme overrides and the navigation."""
        found = config_files(Path(config.config_file_path)) if config.config_file_path else []
        for folder in (config.docs_dir, config.theme.custom_dir):
            if folder:
                found += sorted(p for p in Path(folder).rglob("*") if p.is_file())
        titles = [f"{p.src_uri}:{p.title}" for p in pages if p.nav_group is not None]
        return "\n".join(stamps(found) + titles)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        groups: dict[str, list[Any]] = {}
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
            else:
                groups.setdefault(spec.nav_group, []).append(page)
        children: list[Any] = [start] if start else []
        children += [Section(title, pages) for title, pages in groups.items()]
        section = Section(NAV_TITLE, children)
        for child in children:
            child.parent = section
            if isinstance(child, Section):
                for grandchild in child.children:
                    grandchild.parent = child
        nav.items.insert(1 if nav.items else 0, section)
        return nav

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is not None:
            # Templates print titles unescaped; meta.title also feeds Material's <title>.
            page.meta["title"] = escape(spec.title)
            if self.keeper is None:
                # A one-off build: MkDocs has read its own copy into page.markdown, and
                # keeps every page's until the end; the generated file's copy can go.
                page.file.content_string = ""
        return markdown

    @event_priority(100)  # first: no other plugin sees a body before it is sanitized
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        src_uri = page.file.src_uri
        spec = self.specs.get(src_uri)
        if spec is None:
            # A case page rendered again (by another plugin) after a one-off build let go
            # of its spec: what follows must still never see the raw body.
            return sanitize_html(html) if src_uri in self.taken else html
        if self.keeper is None:  # a one-off build: this spec is not needed again
            del self.specs[src_uri]
        if spec.nav_group is not None:
            return spec.fill(html)
        if self.keeper is None:
            self.taken.add(src_uri)
        if spec.case is not None:
            self._refuse_remote_images(html, spec.case)
            _move_theme_ids(page.toc)
        body = self.case_bodies[src_uri] = _CaseBody(page, spec)
        if self.worker is None:  # a preview (mkdocs serve): sanitized here, not indexed
            body.html = sanitize_html(html)
            return ""
        document = self.index_documents.get(spec.case.slug) if spec.case else None
        try:
            body.number = self.worker.add_body(src_uri, document.number if document else None,
                                               html)
        except WorkerError as exc:
            raise PluginError(f"beslutsregister: {exc}") from None
        return ""

    def _refuse_remote_images(self, html: str, case: Case) -> None:
        problems = remote_image_problems(html, case.source, case.body, case.body_line)
        if problems:
            raise PluginError(format_problems(problems, self.config.cases_dir + "/"))

    @event_priority(100)  # before other plugins and the template see the page
    def on_page_context(
        self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        body = self.case_bodies.pop(page.file.src_uri, None)
        if body is None:
            return context
        added = page.content  # by other plugins, after the body
        try:
            html = body.html if self.worker is None else self.worker.body(body.number)
        except WorkerError as exc:
            raise PluginError(f"beslutsregister: {exc}") from None
        page.content = body.spec.fill(html + (sanitize_html(added) if added else ""))
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Add the search field and head links; the page before this one is written now,
        so the build's second process scans it (the output guard)."""
        if self.worker is not None:
            if self.last_page is not None:
                self.worker.written(self.last_page)
            self.last_page = page.file.dest_uri
        if self.site is not None:  # a search field on every page
            output = search.add_header_search(output, search.root_prefix(page.url)
                                              + self.search_url)
        head = []
        if self.preview:  # a preview is never for search engines
            head.append('<meta name="robots" content="noindex, nofollow">')
        if self.site is not None and self.site.feed_url:  # feed readers find the feed
            head.append('<link rel="alternate" type="application/atom+xml" '
                        f'title="Senaste besluten" href="{escape(self.site.feed_url)}">')
        return output.replace("<head>", "<head>\n" + "\n".join(head), 1) if head else output

    @event_priority(100)  # the index is complete before other plugins see the site
    def _finish_site(self, *, config: MkDocsConfig) -> None:
        if self.case_bodies:  # MkDocs builds every page it rendered, unless a plugin interferes
            count, first = len(self.case_bodies), next(iter(self.case_bodies))
            were = "pages were" if count > 1 else "page was"
            raise PluginError(f"beslutsregister: {count} case {were} rendered but not built "
                              f"(the first: {first}); expected every rendered case page built")
        self._unfreeze()
        if self.keeper is not None:
            reused = self.keeper.after_build(Path(config.site_dir))
            log.info(f"beslutsregister: preview reused {reused} unchanged pages")
        if self.worker is not None:  # a preview has no search index
            try:
                index = self.worker.write_index()
            except WorkerError as exc:
                raise PluginError(f"beslutsregister: {exc}") from None
            finally:
                self.index_documents = {}
            log.info(f"beslutsregister: search index of {index.documents} decisions, "
                     f"{index.words} words, {index.files} files, {index.bytes / 1e6:.1f} MB")

    @event_priority(-1000)  # last: after every plugin wrote what it writes
    def _guard_and_publish(self, *, config: MkDocsConfig) -> None:
        """Scan every output file (outputguard.py), then swap the staging folder in.

        In strict mode MkDocs fails the build right after this event if anything
        warned: then nothing is swapped in, and on_build_error removes the staging folder.
        """
        staged = self.staged
        if staged is None or self.site is None or _strict_warnings(config):
            return
        if self.worker is not None:  # it scanned the pages while they were written
            if self.last_page is not None:
                self.worker.written(self.last_page)
            try:
                leaks = self.worker.leaks()
            except WorkerError as exc:
                raise PluginError(f"beslutsregister: {exc}") from None
            finally:
                worker, self.worker, self.last_page = self.worker, None, None
            log.info(f"beslutsregister: output guard scanned {worker.guard_files} files in "
                     f"{worker.guard_seconds:.1f} s beside the build")
        else:
            leaks = scan_site(staged.folder, self.site.loaded.protected)
        if leaks:
            leaks = attribute(leaks, self.site.loaded.cases, self.sources)
            count = len(leaks)
            raise PluginError("\n".join(
                [f"beslutsregister: {count} thing{'s' if count != 1 else ''} in the built site "
                 "must not be published; nothing was published:",
                 *(f"  {leak}" for leak in leaks)]))
        try:
            staged.publish()
        except OSError as exc:
            raise PluginError(f"beslutsregister: swapping in the new site: {exc}") from None
        config.site_dir = str(staged.target)  # for what runs after the build (gh-deploy)
        self.staged = None

    on_post_build = CombinedEvent(_finish_site, _guard_and_publish)
