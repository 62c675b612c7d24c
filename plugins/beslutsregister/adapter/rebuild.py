"""What a public build reuses from the last one: the MkDocs side of the build cache.

The cache itself (records, integrity, the case files' parses and the guard's verdicts)
is :mod:`~beslutsregister.core.buildcache`; this module decides which case pages can be
copied from it instead of rendered, which takes knowing what MkDocs and the theme make
a page from.

A case page's HTML is a function of its own content (its :class:`PageSpec`: title,
Markdown, HTML blocks, and the notices and links that name other decisions, which the
register resolved with the clock and the other cases) and of what surrounds every page
(:func:`page_context`): the resolved configuration, the config files (inherited ones
too), ``docs/``, the theme's ``custom_dir``, MkDocs hooks, the navigation's overview
pages, the plugin's code and every installed library's version. Its key digests both,
with its head links and sitemap facts, so a change to any of them renders it again;
the clock, the embargoes and the retention rule change the register's pages, and with
them their keys. Overview pages (few, and they list every decision) and pages from
``docs/`` are rendered in every build.

A kept page is handed to MkDocs as a static file (copied from the cache), so MkDocs
does not know it as a page: the sitemap lists it from :meth:`PageReuse.sitemap_entry`,
in the place a rendered page would have, and nothing may link to its Markdown source
(``beslut/…md``): a build where ``docs/``, the navigation or a case body does renders
every page (:func:`links_to_case_sources`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import PluginCollection
from mkdocs.theme import Theme

from ..core.buildcache import PACKAGE, BuildCache, PageRecord, file_digest
from ..core.fingerprint import fingerprint
from ..core.pages import CASES_DIR, PageSpec, Urls
from ..core.site import RegisterSite
from ..search.index import IndexDocument
from .preview_cache import config_files

#: Options that name where this build writes, not what it writes.
_WHERE = frozenset({"site_dir", "config_file_path", "dev_addr", "strict", "watch",
                    "remote_branch", "remote_name"})
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
#: The start of a link's target in Markdown (inline or reference) or HTML.
_LINK = r"""(?:\]\(\s*<?|\]:\s*<?|href\s*=\s*["']?)"""
#: A link from a page of docs/ to a case page's source file.
_CASE_SOURCE_LINK = re.compile(rf"""{_LINK}[^)\s"'>]*{CASES_DIR}/[^)\s"'>]*\.md\b""")
#: A relative link from a case body to a Markdown file (a case page's, say).
_MARKDOWN_LINK = re.compile(rf"""{_LINK}(?![A-Za-z][A-Za-z0-9+.-]*:|//)[^)\s"'>]*\.md\b""")


def _stable(value: Any) -> Any:
    """A value of the configuration as plain data, the same in every build."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Theme):
        return {"name": value.name, "dirs": list(value.dirs), "options": _stable(dict(value))}
    if isinstance(value, PluginCollection):
        return {name: [type(plugin).__module__, _stable(dict(options))
                       if isinstance(options := getattr(plugin, "config", None), Config)
                       else None]
                for name, plugin in value.items()}
    if isinstance(value, Mapping):
        return {str(k): _stable(v) for k, v in sorted(value.items(), key=lambda i: str(i[0]))}
    if isinstance(value, list | tuple):
        return [_stable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_stable(v) for v in value), key=repr)
    if isinstance(value, Path):
        return str(value)
    return f"{type(value).__module__}.{type(value).__qualname__}:{_ADDRESS.sub('', repr(value))}"


def _files(folder: str | None) -> list[str]:
    if not folder or not Path(folder).exists():
        return []
    root = Path(folder)
    if root.is_file():
        return [f"{root.name}:{file_digest(root)}"]
    return [f"{p.relative_to(root).as_posix()}:{file_digest(p)}"
            for p in sorted(root.rglob("*")) if p.is_file()]


def _project_code(root: Path) -> list[str]:
    """Every Python module loaded from the project's folder (hooks, and what they import;
    local Markdown extensions), not from an installed package: a change to one can
    change any page, and no installed version tells of it."""
    found = []
    root = root.resolve()
    for name, module in sorted(sys.modules.items()):
        source = getattr(module, "__file__", None)
        if not source:
            continue
        path = Path(source).resolve()
        if (path.is_relative_to(root) and "site-packages" not in path.parts
                and not path.is_relative_to(PACKAGE) and path.is_file()):
            found.append(f"{name}:{file_digest(path)}")
    return found


def page_context(config: MkDocsConfig, pages: Iterable[PageSpec], code: str,
                 *extra: str) -> str:
    """A digest of what every page's HTML depends on besides its own content."""
    settings = {k: _stable(v) for k, v in config.items() if k not in _WHERE}
    parts = [code, repr(settings)]
    if config.config_file_path:
        parts += [f"{p}:{file_digest(p)}" for p in config_files(Path(config.config_file_path))]
    parts += ["docs", *_files(config.docs_dir), "custom_dir", *_files(config.theme.custom_dir)]
    parts += ["project code", *_project_code(Path(config.config_file_path or ".").parent)]
    for watched in config.watch:  # files a site's own code reads (snippets, data)
        parts += [f"watch {watched}", *_files(watched)]
    parts += [f"nav {p.src_uri}:{p.nav_group}:{p.title}" for p in pages
              if p.nav_group is not None]
    return fingerprint(*parts, *extra)


def page_key(context: str, spec: PageSpec, lastmod: str, document: str) -> str:
    """The key of one case page's HTML (and index parts) in the cache."""
    return fingerprint(context, spec.src_uri, spec.digest, repr(spec.alternates),
                       str(spec.noindex), lastmod, document)


#: Plugins that do nothing to a case page after the register has made it.
_PLUGINS_THAT_LEAVE_PAGES = frozenset({"beslutsregister"})
#: Page events a MkDocs hook could change a page in (a copied page gets none).
_PAGE_EVENTS = ("on_page_read_source", "on_page_markdown", "on_page_content",
                "on_page_context", "on_post_page", "on_post_build", "on_post_template")


def _nav_paths(item: Any) -> Iterator[str]:
    if isinstance(item, str):
        yield item
    elif isinstance(item, Mapping):
        for value in item.values():
            yield from _nav_paths(value)
    elif isinstance(item, list):
        for value in item:
            yield from _nav_paths(value)


def why_not_reuse(config: MkDocsConfig, bodies: Iterable[str]) -> str | None:
    """Why this build must render every case page (None: it may copy unchanged ones).

    A copied page is a static file to MkDocs: no plugin or hook sees it as a page, no
    link can point to its Markdown source, and only the register's sitemap lists it.
    """
    if config.theme.name != "material":
        return "the theme is not Material (the register's sitemap lists copied pages)"
    custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    if custom is not None and (custom / "sitemap.xml").exists():
        return "custom_dir has a sitemap.xml of its own (it would not list copied pages)"
    if custom is not None and any("build_date_utc" in p.read_text("utf-8", errors="replace")
                                  for p in sorted(custom.rglob("*.html"))):
        return "a template in custom_dir shows the build's date"
    for name, plugin in config.plugins.items():
        hook = isinstance(plugin, ModuleType)
        if hook and any(hasattr(plugin, event) for event in _PAGE_EVENTS):
            return f"the hook {name} handles page events"
        if not hook and name.split("/")[-1] not in _PLUGINS_THAT_LEAVE_PAGES:
            return f"the plugin '{name}' may work on every page"
    if any(path.startswith(f"{CASES_DIR}/") for path in _nav_paths(config.nav)):
        return "the navigation names a case page"
    docs = Path(config.docs_dir)
    for path in sorted(docs.rglob("*")):
        if path.suffix in (".md", ".markdown") and _CASE_SOURCE_LINK.search(
                path.read_text("utf-8", errors="replace")):
            return f"docs/{path.relative_to(docs).as_posix()} links to a case page's Markdown"
    if any(".md" in body and _MARKDOWN_LINK.search(body) for body in bodies):
        return "a case body links to a Markdown file"
    return None


class PageReuse:
    """One public build's use of the cache's case pages: which are copied, which are
    rendered (and kept afterwards)."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache
        self.records = cache.pages()
        self.kept: dict[str, PageRecord] = {}  # copied from the cache, by src_uri
        self.keys: dict[str, str] = {}  # rendered now, to keep after the build
        self.index: dict[str, tuple[int, int]] = {}  # where their index parts are spooled
        self.sitemap: dict[str, tuple[str | None, str, bool]] = {}  # by output file
        self.slugs: dict[str, str | None] = {}  # a copied page's case, for the index
        self.rendered = 0

    def plan(self, pages: Sequence[PageSpec], site: RegisterSite, config: MkDocsConfig,
             reuse: bool, documents: Mapping[str, IndexDocument]
             ) -> Iterator[tuple[PageSpec, Path | None]]:
        """Each page with the cached file to copy instead of rendering it, or None
        (``reuse`` False: every page is rendered, and kept for the next build).
        ``documents`` are the search index's, by case slug: a page's index parts are
        kept with it, so its key covers its document too (but not its number)."""
        context = page_context(config, pages, self.cache.code, site.feed_url or "")
        base = config.site_url or ""
        if base and not base.endswith("/"):
            base += "/"
        for spec in pages:
            if spec.nav_group is not None:
                yield spec, None
                continue
            lastmod = spec.updated.isoformat() if spec.updated else ""
            document = documents.get(spec.case.slug) if spec.case is not None else None
            key = page_key(context, spec, lastmod,
                           repr(replace(document, number=0)) if document else "")
            record = self.records.get(spec.src_uri)
            kept = (self.cache.verified_page(record, site.urls.dest(spec.src_uri))
                    if reuse and record is not None and record.key == key else None)
            if kept is None or record is None:
                self.keys[spec.src_uri] = key
                self.rendered += 1
                yield spec, None
                continue
            self.kept[spec.src_uri] = record
            self.slugs[spec.src_uri] = spec.case.slug if spec.case is not None else None
            url = site.urls.url(spec.src_uri)
            self.sitemap[site.urls.dest(spec.src_uri)] = (
                urljoin(base, url) if base else None, lastmod, spec.noindex)
            yield spec, kept

    def kept_index(self) -> Iterator[tuple[str | None, PageRecord]]:
        """(case slug, record) of each copied page: its index parts go to the index."""
        for src_uri, record in self.kept.items():
            yield self.slugs[src_uri], record

    def given_back(self, src_uri: str, index: tuple[int, int]) -> None:
        """Where a rendered case page's search-index parts are (see BuildWorker.body;
        empty for a page not indexed), kept with the page after the build."""
        if src_uri in self.keys:
            self.index[src_uri] = index

    def sitemap_entry(self, src_uri: str) -> tuple[str | None, str, bool] | None:
        """A copied page's (canonical address, lastmod, noindex), as MkDocs would have
        given a rendered one; None for any other file."""
        return self.sitemap.get(src_uri)

    def records_after(self, site_folder: Path, urls: Urls, digests: Mapping[str, bytes],
                      read_index: Callable[[tuple[int, int]], bytes]
                      ) -> dict[str, PageRecord]:
        """Every case page's record after a published build: those copied, and those
        rendered now (kept from the published folder, with the digests the output
        guard took of them, by output, and their index parts, read where they are)."""
        records = dict(self.kept)
        for src_uri, key in self.keys.items():
            index = self.index.get(src_uri)
            output = urls.dest(src_uri)
            built = site_folder / output
            if index is not None and built.is_file():
                records[src_uri] = self.cache.keep_page(key, built, read_index(index), output,
                                                        digests.get(output))
        return records
