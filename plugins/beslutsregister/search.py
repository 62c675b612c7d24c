"""Full-text search over the published register, built with Pagefind after the site.

Material's own search downloads one index of every page's text before the first result
(about 60 MB for 10 000 decisions). `Pagefind <https://pagefind.app>`_ splits its index
into chunks by word, and fragments by page, so a first search downloads only the chunks
for the words searched, the facet lists and the first results' fragments. It stems
Swedish (``<html lang="sv">``), ranks by relevance, sorts, and filters with counts,
and runs as a static bundle: nothing to host beyond the site's files.

The pieces, all plain Python so any generator could use them:

* :func:`case_data` writes what a case page tells the index, as invisible
  ``data-pagefind-*`` elements (:mod:`beslutsregister.pages` places them): diary number
  and decision date as result metadata, year, programme and unit as filters, the date
  as a sort key, and normalised keys of the diary number (:func:`diary_keys`), so that
  ``run 138/2024`` or ``RUN/0138/2024`` finds ``RUN/138/2024``.
* :func:`searchable` marks a rendered case page's content, headed by its title, as the
  part to index.
* :func:`add_header_search` puts a search field (a plain GET form) into every page's
  header; it submits to the search page, :func:`search_page_markdown`, which mounts
  Pagefind's own UI in Swedish, or without JavaScript says where to browse instead.
* :func:`build_index` runs Pagefind over exactly the public case pages listed by
  :func:`public_case_pages`: drafts, embargoed cases and other pages never reach it, and
  masked text was never in a page to begin with.

``assets/search-pagefind.js`` mirrors :func:`normalise_query` for the browser; the tests
run one table of examples through both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Case
from .swedish import format_date

if TYPE_CHECKING:  # site imports pages, which imports this module
    from .site import RegisterSite

#: The search page, as a generated Markdown source (published as ``sok/``).
SEARCH_PAGE = "sok.md"
SEARCH_TITLE = "Sök i registret"
#: Where Pagefind writes its bundle, relative to the site folder.
BUNDLE_DIR = "pagefind"
#: The plugin's search assets in the site, and their sources in the package.
ASSETS_DIR = "assets/beslutsregister"
ASSET_SOURCES = {
    f"{ASSETS_DIR}/search.css": "search.css",
    f"{ASSETS_DIR}/search.js": "search.js",
    # Pagefind's UI loads ``pagefind.js`` from its bundle path; this one wraps Pagefind's.
    f"{ASSETS_DIR}/pagefind.js": "search-pagefind.js",
}
STYLESHEET = f"{ASSETS_DIR}/search.css"
#: Pagefind indexes the register as Swedish whatever the theme says (stemming, ranking).
LANGUAGE = "sv"
#: Not words of a decision: heading anchors (the pilcrow) and table captions.
EXCLUDE = ".headerlink, caption"

# -- the index schema (names the browser sees: the UI shows filter and meta names) ------

FILTER_YEAR = "År"
FILTER_PROGRAMME = "Program"
FILTER_UNIT = "Enhet"
SORT_DATE = "datum"
META_DIARY = "diarienummer"
META_DATE = "beslutsdatum"
#: Suffix of the indexed diary-number keys (``run1382024dnr``): no text has it after a
#: number, so a search for ``<key>dnr`` finds the case itself and no page that cites it.
#: A suffix, not a prefix, keeps the key beside the number in Pagefind's alphabetical
#: index chunks: finding the case costs no download beyond the chunk of the number.
KEY_SUFFIX = "dnr"
#: The attribute holding the keys; Pagefind indexes it (``data-pagefind-index-attrs``).
KEY_ATTRIBUTE = "data-pagefind-br-keys"
#: Marks the indexed part of a case page. The sanitizer drops ``data-br-*`` from staff
#: text, so only :func:`searchable` can write this exact tag.
BODY_OPEN = '<div class="br-searchable" data-pagefind-body data-br-search="case">'


# -- diary numbers ------------------------------------------------------------------------

_GROUPS = re.compile(r"[^\W\d_]+|[0-9]+")
#: A diary number inside a query: letters, then two or more groups of digits, separated
#: by spaces, slashes, dashes, dots, colons or underscores (``RUN 138 2024``); or digits
#: alone joined by anything but a plain space (``138/2024``, not an amount ``460 000``).
#: Optionally led by "dnr" or "diarienummer", which is dropped.
_DIARY_IN_QUERY = re.compile(
    r"(?<![^\W_])(?:(?:dnr|diarienr|diarienummer)[.:]?\s*)?(?P<number>"
    r"[^\W\d_]+[\s/.:_-]*[0-9]+(?:[\s/.:_-]+[0-9]+)+"
    r"|[0-9]+(?:\s*[/.:_-]\s*[0-9]+)+"
    r")(?![^\W_])",
    re.IGNORECASE,
)


def diary_key(text: str) -> str:
    """A diary number reduced to what people mean by it: ``RUN/0138/2024`` -> ``run1382024``.

    Lower case; only letters and digits; leading zeros of each group of digits dropped.
    """
    groups = _GROUPS.findall(text.lower())
    return "".join(g.lstrip("0") or "0" if "0" <= g[0] <= "9" else g for g in groups)


def diary_keys(diary_number: str) -> tuple[str, ...]:
    """The keys a case is indexed under: with and without its letters (``dnr1382024``)."""
    key = diary_key(diary_number)
    numbers = re.sub(r"^[^\W\d_]+", "", key)
    keys = [key] if not numbers or numbers == key else [key, numbers]
    return tuple(k + KEY_SUFFIX for k in keys if k)


def normalise_query(query: str, key_suffix: str = "") -> str:
    """Replace each diary number in a query by its key (:func:`diary_key` + ``key_suffix``).

    ``run 138/2024`` -> ``run1382024``; other words stay as typed, runs of white space
    become one space. The browser does the same (``search-pagefind.js``).
    """
    replaced = _DIARY_IN_QUERY.sub(lambda m: diary_key(m["number"]) + key_suffix, query)
    return " ".join(replaced.split())


#: Swedish words too common to narrow a search. Each would load a large index chunk (it
#: is on every page) and change no result, so the browser drops them from a query that
#: has other words (``without_stop_words``; search-pagefind.js has the same list).
STOP_WORDS = frozenset({
    "alla", "att", "av", "blir", "de", "dem", "den", "denna", "det", "detta", "där", "efter",
    "eller", "en", "ett", "från", "för", "genom", "har", "hos", "i", "inom", "inte", "kan",
    "med", "mellan", "mot", "nu", "när", "och", "om", "på", "per", "samt", "sig", "sin",
    "sina", "ska", "som", "så", "till", "under", "utan", "var", "vara", "vid", "är", "än",
    "även", "över",
})


def without_stop_words(query: str) -> str:
    """``Förstudie: vätgas och energi i Åre`` -> ``Förstudie: vätgas energi Åre``.

    Single letters go too (``Förstudie: v``, half typed, would load every word on v).
    A query of nothing else stays as it is.
    """
    words = query.split()
    kept = [w for w in words if _narrows(w.lower().strip(".,:;!?\"'()"))]
    return " ".join(kept if kept else words)


def _narrows(word: str) -> bool:
    if word.isascii() and word.isdigit():
        return True
    return len(word) > 1 and word not in STOP_WORDS


# -- what a case page tells the index ------------------------------------------------------

def _attrs(**values: object) -> str:
    """``data_pagefind_x="v"`` -> `` data-pagefind-x="v"`` (values escaped)."""
    return "".join(f' {name.replace("_", "-")}="{escape(str(value), quote=True)}"'
                   for name, value in values.items())


def case_data(case: Case, programmes: Sequence[str]) -> str:
    """Invisible elements carrying a case's metadata, filters, sort key and diary keys.

    Empty elements whose values sit in ``data-pagefind-br-*`` attributes, read by
    Pagefind's ``name[attribute]`` syntax: nothing shows on the page, values may hold
    commas, and the sanitizer keeps them (it allows ``data-pagefind-*``). The title
    comes from the page's ``<h1>`` (:func:`searchable`), which Pagefind also weights.
    ``programmes`` are the names of the programmes funding the case.
    """
    fields = _attrs(
        data_pagefind_meta=f"{META_DIARY}[data-pagefind-br-diary], "
                           f"{META_DATE}[data-pagefind-br-date]",
        data_pagefind_filter=f"{FILTER_YEAR}[data-pagefind-br-year], "
                             f"{FILTER_UNIT}[data-pagefind-br-unit]",
        data_pagefind_sort=f"{SORT_DATE}[data-pagefind-br-sort]",
        data_pagefind_index_attrs=KEY_ATTRIBUTE,
        data_pagefind_br_diary=case.diary_number,
        data_pagefind_br_date=format_date(case.date),
        data_pagefind_br_year=case.year,
        data_pagefind_br_unit=case.unit,
        data_pagefind_br_sort=case.date.isoformat(),
        data_pagefind_br_keys=" ".join(diary_keys(case.diary_number)),
    )
    spans = [f"<span{fields}></span>"]
    for name in programmes:
        spans.append(f"<span{_PROGRAMME_FILTER}{_attrs(data_pagefind_br_programme=name)}>"
                     "</span>")
    return f'<div class="br-search-data">{"".join(spans)}</div>'


_PROGRAMME_FILTER = _attrs(data_pagefind_filter=f"{FILTER_PROGRAMME}[data-pagefind-br-programme]")


def searchable(html: str, title: str) -> str:
    """A rendered case page's content, marked as what Pagefind indexes, with its title.

    ``title`` is HTML (escaped). The ``<h1>`` is the one Material would add above the
    content; inside the marked part it becomes the result's title, weighted as such.
    """
    return f"{BODY_OPEN}\n<h1>{title}</h1>\n{html}\n</div>"


# -- pages --------------------------------------------------------------------------------

def root_prefix(url: str) -> str:
    """Relative path from a page's URL (``beslut/x/``, ``sok.html``, ``""``) to the root."""
    return "../" * url.count("/")


def header_form(action: str) -> str:
    """The search field of every page: a GET form to the search page (works without JS)."""
    return (
        f'<form class="br-header-search" role="search" action="{escape(action, quote=True)}"'
        ' method="get">'
        f'<label class="br-visually-hidden" for="br-header-q">{SEARCH_TITLE}</label>'
        '<input class="br-header-search__input" id="br-header-q" type="search" name="q" '
        f'placeholder="{SEARCH_TITLE}" autocomplete="off" enterkeyhint="search">'
        '<button class="br-header-search__button" type="submit" title="Sök">'
        '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">'
        '<path fill="currentColor" d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23'
        "l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.516 6.516 0 0 1 9.5 16 6.5 6.5 0 0 1 3 "
        '9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5Z"/>'
        '</svg><span class="br-visually-hidden">Sök</span></button></form>'
    )


_TAG = re.compile(r"<(/?)div\b", re.IGNORECASE)


def _element_end(html: str, start: int) -> int:
    """Index just after the ``</div>`` closing the ``<div`` that starts at ``start``."""
    depth = 0
    for match in _TAG.finditer(html, start):
        depth += -1 if match[1] else 1
        if depth == 0:
            close = html.find(">", match.end())
            return close + 1 if close >= 0 else -1
    return -1


def add_header_search(html: str, action: str) -> str:
    """Put :func:`header_form` into Material's header, after the page title.

    Other themes (no Material header) get it at the top of ``<body>``.
    """
    form = header_form(action)
    start = html.find('<div class="md-header__title"')
    end = _element_end(html, start) if start >= 0 else -1
    if end > 0:
        return html[:end] + form + html[end:]
    body = re.search(r"<body\b[^>]*>", html)
    if body is None:
        return html
    return html[: body.end()] + form + html[body.end():]


def search_page_markdown(page_url: str, register_url: str, public_cases: int,
                         preview: bool = False) -> str:
    """The search page: Pagefind's UI in Swedish, facets, a sort order, and a way back.

    ``page_url`` is the page's own URL (for relative links), ``register_url`` that of
    the register's overview. Without JavaScript (or without an index: none in a staff
    preview or an empty register) the page says where to browse instead.
    """
    root = root_prefix(page_url)
    register = escape(root + register_url, quote=True)
    browse = (f'bläddra bland alla beslut per år, finansieringsprogram och enhet i '
              f'<a href="{register}">registrets översikt</a>')
    parts = [f"# {SEARCH_TITLE}", ""]
    if preview or public_cases == 0:
        why = ("Förhandsvisningen har ingen sökning: den byggs med den publicerade "
               "webbplatsen." if preview else "Registret har ännu inga publicerade beslut.")
        parts.append(f'<p class="br-search__unavailable">{why} Du kan {browse}.</p>')
        return "\n".join(parts) + "\n"
    assets = escape(root + ASSETS_DIR + "/", quote=True)
    bundle = escape(root + BUNDLE_DIR + "/", quote=True)
    # One raw HTML block (no blank lines inside), which Markdown passes through as is.
    parts += [
        f'<div class="br-search" id="br-search" data-count="{public_cases}">',
        '<noscript><p class="br-search__nojs">Sökningen behöver JavaScript. Utan '
        f"JavaScript kan du {browse}.</p></noscript>",
        '<p class="br-search__help">Sök på ord i besluten, projektets namn, enhet, '
        "handläggare, program eller diarienummer (till exempel <kbd>RUN/138/2024</kbd>). "
        f"Du kan också {browse}.</p>",
        # Shown by search.js. The facets' data grows with the register, so it is loaded
        # when asked for, not with every first search.
        '<div class="br-search__tools" hidden><button type="button" id="br-facets" '
        'class="md-button">Avgränsa på år, program och enhet</button> '
        '<span class="br-search__sort"><label for="br-sort">Sortera träffarna</label>'
        '<select id="br-sort"><option value="">Bäst matchning först</option>'
        '<option value="datum">Senaste beslut först</option></select></span></div>',
        '<div id="br-search-ui" class="br-search__ui"></div>',
        f'<link rel="stylesheet" href="{bundle}pagefind-ui.css">',
        f'<script src="{bundle}pagefind-ui.js"></script>',
        f'<script type="module" src="{assets}search.js"></script>',
        "</div>",
    ]
    return "\n".join(parts) + "\n"


# -- the index -----------------------------------------------------------------------------

class SearchIndexError(RuntimeError):
    """Pagefind could not build the index (message says what to do)."""


@dataclass(frozen=True)
class IndexSummary:
    pages: int
    files: int
    bytes: int


def public_case_pages(site: RegisterSite) -> list[str]:
    """Output files (relative to the site folder) of the case pages the public may see."""
    return [site.urls.dest(site.urls.case(case)) for case in site.public.cases]


def extract_searchable(html: str) -> str | None:
    """The part of a built page that :func:`searchable` marked, or ``None``."""
    start = html.find(BODY_OPEN)
    if start < 0:
        return None
    end = _element_end(html, start)
    return html[start:end] if end > 0 else None


def stage(site_dir: Path, pages: Iterable[str], staging: Path) -> int:
    """Copy the indexed part of each page into ``staging``, at the same path.

    Pagefind sees small documents (faster) and nothing but them: no page that is not
    listed, and no part of a page outside the marked content.
    """
    count = 0
    for page in pages:
        source = site_dir / page
        try:
            content = extract_searchable(source.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SearchIndexError(f"{page} was not built") from None
        if content is None:
            raise SearchIndexError(f"{page} has no searchable content marker")
        target = staging / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'<!DOCTYPE html>\n<html lang="{LANGUAGE}"><head><meta charset="utf-8">'
                          f"</head><body>{content}</body></html>\n", encoding="utf-8")
        count += 1
    return count


def pagefind_command(site: Path, output: Path) -> list[str]:
    """Pagefind's command line (the ``pagefind[bin]`` package ships the binary)."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path",
            str(output), "--force-language", LANGUAGE, "--exclude-selectors", EXCLUDE,
            "--quiet"]


def build_index(site_dir: Path, pages: Sequence[str]) -> IndexSummary:
    """Index ``pages`` (built files, relative to ``site_dir``) into ``site_dir/pagefind``.

    Any earlier bundle is removed first, so the index never outlives what it indexed. An
    empty list leaves no bundle (Pagefind refuses to build an empty index).
    """
    output = site_dir / BUNDLE_DIR
    shutil.rmtree(output, ignore_errors=True)
    if not pages:
        return IndexSummary(0, 0, 0)
    with tempfile.TemporaryDirectory(prefix="beslutsregister-search-") as tmp:
        staging = Path(tmp)
        count = stage(site_dir, pages, staging)
        try:
            result = subprocess.run(pagefind_command(staging, output), capture_output=True,
                                    text=True, check=False)
        except OSError as exc:
            raise SearchIndexError(f"could not run Pagefind: {exc}") from None
    if result.returncode != 0 or not (output / "pagefind-entry.json").is_file():
        detail = (result.stderr or result.stdout).strip()
        if "No module named pagefind" in detail:
            detail = "Pagefind is not installed; install it with: pip install 'pagefind[bin]'"
        raise SearchIndexError(detail or f"Pagefind exited with {result.returncode}")
    files = [p for p in output.rglob("*") if p.is_file()]
    return IndexSummary(count, len(files), sum(p.stat().st_size for p in files))
