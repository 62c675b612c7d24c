"""The plugin's two modes: the staff preview (``mkdocs serve``) and a public build.

The hooks in :mod:`~beslutsregister.adapter.plugin` do what both modes share and ask
the mode they run in (a :class:`BuildMode`) for the rest:

- :class:`PreviewMode` shows drafts and embargoed decisions with banners, marks every
  page ``noindex``, sanitizes case bodies at once and keeps unchanged pages between
  rebuilds (:class:`~beslutsregister.adapter.preview_cache.PreviewOutputKeeper`). It
  has no search index, no output guard and no staging folder.
- :class:`PublicBuild` renders every page once. It writes into a staging folder
  (:class:`~beslutsregister.core.staging.StagedSite`) and shares its work with a second
  process (:class:`~beslutsregister.adapter.buildworker.BuildWorker`): loading, the
  bodies' sanitizing and indexing, the output guard's scan. It swaps the staging folder
  in only when the guard found nothing.

A failure of the second process fails the build through :func:`worker_errors`, the one
place that turns a :class:`~beslutsregister.adapter.buildworker.WorkerError` into a
:class:`~mkdocs.exceptions.PluginError`.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from pathlib import Path
from typing import Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from ..core.buildcache import BuildCache, GuardVerdicts, StoredParses
from ..core.fingerprint import fingerprint
from ..core.loading import (
    CaseFilesLoader,
    CaseOutcome,
    ParseCache,
    display_path,
    load_case_files,
)
from ..core.outputguard import SiteScan, attribute, scan_site
from ..core.pages import CASES_DIR, REGISTER_DIR, PageSpec
from ..core.sanitize import sanitize_html
from ..core.site import RegisterSite
from ..core.staging import StagedSite
from ..core.validation import CaseRules
from ..search import page as search
from ..search.index import IndexDocument, documents_of
from .buildworker import BuildWorker, WorkerError
from .compat import STRICT_LOGGERS
from .preview_cache import PreviewOutputKeeper, config_files, stamps
from .rebuild import PageReuse, why_not_reuse

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

#: What a preview adds to every page's ``<head>``: a preview is never for search engines.
NOINDEX = '<meta name="robots" content="noindex, nofollow">'


class BuildMode(Protocol):
    """What the plugin's hooks ask of the mode they run in, in the order they ask it.

    A case page's body goes :meth:`take_body` (``on_page_content``),
    :meth:`finish_bodies` (``on_env``, once for all), :meth:`give_back`
    (``on_page_context``): in between, the mode has it sanitized.
    """

    #: Whether the site shows drafts and embargoed decisions, with banners.
    preview: bool
    #: What every page gets in its ``<head>``.
    head: tuple[str, ...]

    def choose_output_folder(self, config: MkDocsConfig) -> None:
        """``on_config``: set ``config.site_dir`` to where this build writes."""

    def use_cache(self, folder: Path | None) -> None:
        """``on_config``: the build cache's folder (None: no cache)."""

    def before_cleaning(self, config: MkDocsConfig) -> None:
        """``on_pre_build``: MkDocs is about to empty ``config.site_dir``."""

    def loading(self) -> AbstractContextManager[CaseFilesLoader]:
        """``on_files``: around loading the register and adding its files; gives the
        function that loads the case files."""

    def pages_to_render(
        self, pages: Sequence[PageSpec], site: RegisterSite, config: MkDocsConfig
    ) -> Iterable[tuple[PageSpec, Path | None]]:
        """``on_files``: the generated pages MkDocs gets, in order, each with the file of
        its HTML from an earlier build to copy instead of rendering it (or None)."""

    def kept_page(self, dest_uri: str) -> tuple[str | None, str, bool] | None:
        """The sitemap: a page copied from an earlier build, by its output file, as
        (canonical address, lastmod, noindex); None for any other file."""

    def register_added(
        self, site: RegisterSite, config: MkDocsConfig, sources: dict[str, str]
    ) -> None:
        """``on_files``: the register's files are added; ``sources`` maps output files
        to the files they came from (for messages)."""

    def markdown_read(self, page: Page) -> None:
        """``on_page_markdown``: MkDocs has read a generated page's Markdown."""

    def claim_spec(self, specs: dict[str, PageSpec], src_uri: str) -> PageSpec | None:
        """``on_page_content``: the spec of a page being rendered (None: not generated,
        or rendered before)."""

    def rendered_again(self, src_uri: str, html: str) -> str:
        """``on_page_content``: the content of a page :meth:`claim_spec` gave no spec."""

    def take_body(self, src_uri: str, spec: PageSpec, html: str) -> None:
        """``on_page_content``: a case page's rendered body, raw; the page is left empty."""

    def finish_bodies(self) -> None:
        """``on_env``: every page is rendered; have every body taken sanitized."""

    def give_back(self, src_uri: str) -> tuple[PageSpec, str] | None:
        """``on_page_context``: a taken page's spec and sanitized body, once (else None)."""

    def page_built(self, dest_uri: str) -> None:
        """``on_post_page``: MkDocs writes this page next (the one before is written)."""

    def files_written(self, outputs: Iterable[str]) -> None:
        """``on_post_page`` of the first page: MkDocs has written these data files."""

    def finish_site(self, config: MkDocsConfig) -> None:
        """``on_post_build``: every page is written; finish what the mode wrote beside."""

    def data_folder(self) -> Path | None:
        """``on_files``: a folder to write the open-data files into, for MkDocs to copy;
        None: hand them to MkDocs in memory."""

    def publish(self, config: MkDocsConfig, site: RegisterSite) -> None:
        """``on_post_build``, last: every plugin has written; publish the site."""

    def abandon(self) -> None:
        """``on_build_error``: the build failed; publish nothing, free what it held."""

    def close(self) -> None:
        """``on_shutdown``: free what the mode kept between builds."""


class WarningCount(logging.Handler):
    """Counts the warnings MkDocs and the plugins log while it is attached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def attach(self) -> None:
        self.count = 0
        for name in STRICT_LOGGERS:
            logging.getLogger(name).addHandler(self)

    def detach(self) -> bool:
        """Stop counting; whether anything warned."""
        for name in STRICT_LOGGERS:
            logging.getLogger(name).removeHandler(self)
        return self.count > 0


@contextmanager
def worker_errors() -> Iterator[None]:
    """A failure of the build's second process fails the build, with what went wrong."""
    try:
        yield
    except WorkerError as exc:
        raise PluginError(f"beslutsregister: {exc}") from None


def _refuse_unbuilt(bodies: Mapping[str, object]) -> None:
    """MkDocs builds every page it rendered, unless a plugin interferes."""
    if bodies:
        count, first = len(bodies), next(iter(bodies))
        were = "pages were" if count > 1 else "page was"
        raise PluginError(f"beslutsregister: {count} case {were} rendered but not built "
                          f"(the first: {first}); expected every rendered case page built")


def surroundings(config: MkDocsConfig, pages: Iterable[PageSpec]) -> str:
    """What every page's HTML depends on besides its own content: the config files
    (inherited ones too), docs, the site's theme overrides and the navigation."""
    found = config_files(Path(config.config_file_path)) if config.config_file_path else []
    for folder in (config.docs_dir, config.theme.custom_dir):
        if folder:
            found += sorted(p for p in Path(folder).rglob("*") if p.is_file())
    titles = [f"{p.src_uri}:{p.title}" for p in pages if p.nav_group is not None]
    return "\n".join(stamps(found) + titles)


class PreviewMode:
    """The staff preview (``mkdocs serve``): drafts and embargoes with banners, noindex,
    bodies sanitized at once, unchanged pages kept between rebuilds; nothing published."""

    preview = True
    head: tuple[str, ...] = (NOINDEX,)

    def __init__(self) -> None:
        self.keeper = PreviewOutputKeeper((CASES_DIR, REGISTER_DIR))
        self.bodies: dict[str, tuple[PageSpec, str]] = {}  # taken, sanitized, by src_uri
        self.parsed = ParseCache()  # case files parsed in earlier rebuilds

    def choose_output_folder(self, config: MkDocsConfig) -> None:
        """MkDocs serves the preview from a temporary folder of its own: kept."""

    def use_cache(self, folder: Path | None) -> None:
        """A preview keeps its pages in memory between rebuilds (preview_cache.py)."""

    def kept_page(self, dest_uri: str) -> tuple[str | None, str, bool] | None:
        return None  # a preview's kept pages are put back after the build

    def before_cleaning(self, config: MkDocsConfig) -> None:
        self.keeper.before_build(Path(config.site_dir))

    @contextmanager
    def loading(self) -> Iterator[CaseFilesLoader]:
        """A preview loads in this process, reusing what it parsed before."""
        self.bodies = {}
        yield partial(load_case_files, cache=self.parsed)

    def pages_to_render(
        self, pages: Sequence[PageSpec], site: RegisterSite, config: MkDocsConfig
    ) -> Iterator[tuple[PageSpec, Path | None]]:
        """An unchanged case page keeps its last output (moved back in after the build,
        not given to MkDocs); the rest are rendered."""
        context = fingerprint(surroundings(config, pages))
        for spec in pages:
            dest_uri = site.urls.dest(spec.src_uri)
            if spec.nav_group is not None:  # few, and link targets of docs: always rendered
                self.keeper.render(spec.src_uri, dest_uri)
                yield spec, None
            elif not self.keeper.reuse(spec.src_uri, fingerprint(context, spec.digest),
                                       dest_uri):
                yield spec, None

    def register_added(
        self, site: RegisterSite, config: MkDocsConfig, sources: dict[str, str]
    ) -> None:
        """A preview has no search index and no output guard."""

    def markdown_read(self, page: Page) -> None:
        """The generated file keeps its Markdown: MkDocs may render it again."""

    def claim_spec(self, specs: dict[str, PageSpec], src_uri: str) -> PageSpec | None:
        return specs.get(src_uri)  # a page rendered again is taken again

    def rendered_again(self, src_uri: str, html: str) -> str:
        return html  # not a generated page

    def take_body(self, src_uri: str, spec: PageSpec, html: str) -> None:
        self.bodies[src_uri] = (spec, sanitize_html(html))

    def finish_bodies(self) -> None:
        """Every body was sanitized as it was taken."""

    def give_back(self, src_uri: str) -> tuple[PageSpec, str] | None:
        return self.bodies.pop(src_uri, None)

    def page_built(self, dest_uri: str) -> None:
        """Nothing scans a preview's output."""

    def files_written(self, outputs: Iterable[str]) -> None:
        """Nothing scans a preview's output."""

    def finish_site(self, config: MkDocsConfig) -> None:
        """Put the kept output of unchanged pages back beside the fresh output."""
        _refuse_unbuilt(self.bodies)
        reused = self.keeper.after_build(Path(config.site_dir))
        log.info(f"beslutsregister: preview reused {reused} unchanged pages")

    def data_folder(self) -> Path | None:
        """In memory: a preview reuses them between rebuilds while the cases are the same."""
        return None

    def publish(self, config: MkDocsConfig, site: RegisterSite) -> None:
        """A preview is served where MkDocs built it, and never published."""

    def abandon(self) -> None:
        """The next build moves a failed build's partial output aside (preview_cache.py)."""
        self.bodies = {}

    def close(self) -> None:
        self.keeper.close()


class PublicBuild:
    """A public build (``mkdocs build``, ``gh-deploy``): every page rendered once, with a
    second process (:class:`BuildWorker`) beside it and a staging folder swapped in only
    when the output guard found nothing."""

    preview = False
    head: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.worker: BuildWorker | None = None  # from on_files until the guard is done
        self.staged: StagedSite | None = None  # until it is swapped in or discarded
        self.frozen = False  # whether this build froze the garbage collector's objects
        self.index_documents: dict[str, IndexDocument] = {}  # by case slug
        self.bodies: dict[str, tuple[PageSpec, int]] = {}  # taken, numbered in the worker
        self.taken: set[str] = set()  # case pages whose body this build has taken
        self.last_page: str | None = None  # the page built last, written by now
        self.sources: dict[str, str] = {}  # output file -> its source, for the guard
        self.cache: BuildCache | None = None  # the build cache (rebuild.py), if used
        self.stored: StoredParses | None = None  # the case files' parses, old and new
        self.reuse: PageReuse | None = None  # case pages copied or to keep
        self.verdicts: GuardVerdicts | None = None  # the guard's, from the last build
        self.warnings = WarningCount()  # a build that warned keeps none of its pages
        self.spool: int | None = None  # the second process's spool, for the index parts

    def data_folder(self) -> Path | None:
        """The staging folder's scratch folder: the open-data files are written one at a
        time and MkDocs copies them, instead of holding them all in memory through the
        build (at 50 000 decisions some 190 million characters). Removed with the
        staging folder (staging.py)."""
        return self.staged.scratch_folder() if self.staged is not None else None

    def choose_output_folder(self, config: MkDocsConfig) -> None:
        """Write into a staging folder beside ``site_dir``, swapped in by :meth:`publish`
        only when everything passed (staging.py)."""
        self.staged = StagedSite(Path(config.site_dir))
        try:
            config.site_dir = str(self.staged.prepare())
        except OSError as exc:
            raise PluginError(f"beslutsregister: cannot make the staging folder beside "
                              f"site_dir ({exc}); expected a writable folder") from None

    def before_cleaning(self, config: MkDocsConfig) -> None:
        """MkDocs empties the staging folder; the published site stays as it is."""

    def use_cache(self, folder: Path | None) -> None:
        """Reuse and keep what can be in ``folder`` (buildcache.py), if given."""
        self.cache = BuildCache(folder) if folder is not None else None
        self.stored, self.reuse, self.verdicts = None, None, None

    @contextmanager
    def loading(self) -> Iterator[CaseFilesLoader]:
        """Start the second process; load with it, with the garbage collector paused.

        Nearly everything made here lives until the end, and it makes almost no
        reference cycles (150 unreachable objects of 217 000 at 10 000 cases): the
        garbage collector would only scan it again and again (0.4 s at 10 000), so it
        pauses, and then what was made is frozen out of its sight.
        """
        self._stop_worker()
        self.warnings.attach()
        if self.cache is not None and not self.cache.lock():
            log.info(f"beslutsregister: build cache: {self.cache.folder} is in use by another "
                     "build; this one renders everything")
            self.cache = None
        with worker_errors():
            self.worker = BuildWorker()
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield self._load_case_files
            gc.freeze()
            self.frozen = True
        finally:
            if collecting:
                gc.enable()

    def _load_case_files(
        self, paths: Sequence[Path], root: Path, rules: CaseRules
    ) -> list[CaseOutcome]:
        """Parse what the cache has not parsed: in this process when it has most files
        (a rebuild), else shared with the second process (a cold build)."""
        assert self.worker is not None
        if self.cache is not None:
            self.stored = self.cache.parses(rules)
            if self.stored.covers(display_path(p, root) for p in paths) >= 0.5:
                return load_case_files(paths, root, rules, stored=self.stored)
        with worker_errors():
            return self.worker.load_case_files(paths, root, rules, self.stored)

    def pages_to_render(
        self, pages: Sequence[PageSpec], site: RegisterSite, config: MkDocsConfig
    ) -> Iterable[tuple[PageSpec, Path | None]]:
        """All of them; with the cache, unchanged case pages are copied from it. The
        search index's documents are made here (register_added starts the index with
        them): a copied page's key covers its document."""
        urls = site.urls
        self.index_documents = documents_of(site.public, lambda case: urls.url(urls.case(case)))
        if self.cache is None:
            return ((spec, None) for spec in pages)
        self.reuse = PageReuse(self.cache)
        why_not = why_not_reuse(config, (case.body for case in site.loaded.cases))
        if why_not:
            log.info(f"beslutsregister: build cache: every case page is rendered: {why_not}")
        return list(self.reuse.plan(pages, site, config, why_not is None,
                                    self.index_documents))

    def kept_page(self, dest_uri: str) -> tuple[str | None, str, bool] | None:
        return self.reuse.sitemap_entry(dest_uri) if self.reuse is not None else None

    def register_added(
        self, site: RegisterSite, config: MkDocsConfig, sources: dict[str, str]
    ) -> None:
        """Start the index (it collects case bodies as they render) and the output guard
        in the second process; forget what only a later rebuild could reuse."""
        assert self.worker is not None
        self.worker.start_index(list(self.index_documents.values()),
                                Path(config.site_dir) / search.INDEX_DIR)
        if self.reuse is not None:  # kept pages: indexed from what indexing gave then
            documents = self.index_documents
            self.worker.index_kept(
                (documents[slug].number, record.index)
                for slug, record in self.reuse.kept_index()
                if slug is not None and slug in documents and record.index)
        if self.cache is not None:
            self.verdicts = self.cache.verdicts(site.loaded.protected.fingerprint())
        self.worker.start_guard(Path(config.site_dir), site.loaded.protected,
                                self.verdicts.clean if self.verdicts is not None else None)
        self.sources = sources
        stored, self.stored = self.stored, None  # now, while the build is small
        if stored is not None:
            self._save(lambda cache: cache.save(stored, None, None))
        site.release_reuse_caches()

    def markdown_read(self, page: Page) -> None:
        """MkDocs has read its own copy into ``page.markdown`` and keeps every page's
        until the end; the generated file's copy can go."""
        page.file.content_string = ""

    def claim_spec(self, specs: dict[str, PageSpec], src_uri: str) -> PageSpec | None:
        return specs.pop(src_uri, None)  # rendered once: not needed again

    def rendered_again(self, src_uri: str, html: str) -> str:
        """A case page rendered again (by another plugin) after this build let go of its
        spec: what follows must still never see the raw body."""
        return sanitize_html(html) if src_uri in self.taken else html

    def take_body(self, src_uri: str, spec: PageSpec, html: str) -> None:
        """Sanitized, and indexed if public, in the second process while pages render."""
        assert self.worker is not None
        self.taken.add(src_uri)
        document = self.index_documents.get(spec.case.slug) if spec.case else None
        with worker_errors():
            number = self.worker.add_body(src_uri, document.number if document else None,
                                          html)
        self.bodies[src_uri] = (spec, number)

    def finish_bodies(self) -> None:
        """Wait for the last sanitized bodies."""
        if self.worker is not None:
            with worker_errors():
                self.worker.finish_bodies()
            if self.reuse is not None:  # the index parts stay there until they are kept
                self.spool = self.worker.keep_spool()

    def give_back(self, src_uri: str) -> tuple[PageSpec, str] | None:
        taken = self.bodies.pop(src_uri, None)
        if taken is None:
            return None
        spec, number = taken
        assert self.worker is not None
        with worker_errors():
            body, index = self.worker.body(number)
        if self.reuse is not None:
            self.reuse.given_back(src_uri, index)
        return spec, body

    def files_written(self, outputs: Iterable[str]) -> None:
        """The data files (tens of thousands of them: a document per decision) are
        scanned in the second process while pages render, not by this one at the end."""
        if self.worker is not None:
            for output in outputs:
                self.worker.written(output)

    def page_built(self, dest_uri: str) -> None:
        """The page before this one is written now: the second process scans it."""
        if self.worker is not None:
            if self.last_page is not None:
                self.worker.written(self.last_page)
            self.last_page = dest_uri

    def finish_site(self, config: MkDocsConfig) -> None:
        """Thaw the garbage collector; wait for the search index."""
        _refuse_unbuilt(self.bodies)
        self._unfreeze()
        if self.worker is None:
            return
        try:
            with worker_errors():
                index = self.worker.write_index()
        finally:
            self.index_documents = {}
        log.info(f"beslutsregister: search index of {index.documents} decisions, "
                 f"{index.words} words, {index.files} files, {index.bytes / 1e6:.1f} MB")

    def publish(self, config: MkDocsConfig, site: RegisterSite) -> None:
        """Scan every output file (outputguard.py), then swap the staging folder in."""
        staged = self.staged
        if staged is None:
            return
        if self.worker is not None:  # it scanned the pages while they were written
            if self.last_page is not None:
                self.worker.written(self.last_page)
            worker = self.worker
            known = self.verdicts.clean if self.verdicts is not None else None
            try:
                with worker_errors():
                    leaks = worker.leaks(search.INDEX_DIR,
                                         SiteScan(staged.folder, site.loaded.protected, known))
            finally:
                self.worker, self.last_page = None, None
            log.info(f"beslutsregister: output guard scanned {worker.guard_files} files, "
                     f"{worker.guard_seconds:.1f} s of it in the build's second process")
            clean = worker.guard_clean
        else:
            leaks, clean = scan_site(staged.folder, site.loaded.protected), {}
        if leaks:
            leaks = attribute(leaks, site.loaded.cases, self.sources)
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
        try:
            self._keep(staged.target, site, clean)
        finally:
            staged.finish()

    def _keep(self, published: Path, site: RegisterSite, clean: dict[str, bytes]) -> None:
        """Keep what the next build can reuse (the build cache), after the swap: only a
        published build is kept, and a build that warned keeps none of its pages (the
        next build would reuse them without the warning)."""
        warned = self.warnings.detach()
        cache, reuse = self.cache, self.reuse
        if cache is None:
            self._close_spool()
            return
        for reason in cache.ignored:
            log.info(f"beslutsregister: build cache: {reason}; rebuilt")
        try:
            if reuse is not None:
                log.info(f"beslutsregister: build cache: {len(reuse.kept)} case pages "
                         f"copied, {reuse.rendered} rendered")
            verdicts = GuardVerdicts(site.loaded.protected.fingerprint(), set(clean.values()))
            spool = self.spool
            self._save(lambda cache: cache.save(None, None if reuse is None else (
                dict(reuse.kept) if warned or spool is None else reuse.records_after(
                    published, site.urls, clean,
                    partial(BuildWorker.spooled_parts, spool))), verdicts))
        finally:
            self.stored, self.reuse, self.verdicts = None, None, None
            self._close_spool()
            cache.unlock()

    def _close_spool(self) -> None:
        if self.spool is not None:
            os.close(self.spool)
            self.spool = None

    def _save(self, save: Callable[[BuildCache], None]) -> None:
        """Write to the cache; a cache that cannot be written only costs the next build."""
        if self.cache is None:
            return
        try:
            save(self.cache)
        except OSError as exc:
            log.info(f"beslutsregister: the build cache in {self.cache.folder} could not be "
                     f"written ({exc}); the next build renders everything")

    def abandon(self) -> None:
        """No index, no swap, nothing kept: the previous site stays as it was."""
        self.warnings.detach()
        self._close_spool()
        if self.cache is not None:
            self.cache.unlock()
        self.stored, self.reuse, self.verdicts = None, None, None
        self._stop_worker()
        self._unfreeze()
        if self.staged is not None:
            self.staged.discard()
            self.staged = None

    def close(self) -> None:
        """Nothing outlives a public build: it ended in :meth:`publish` or :meth:`abandon`."""

    def _stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None
        self.bodies, self.taken, self.last_page = {}, set(), None

    def _unfreeze(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = False
