"""Search: what the register's search looks like and what a query means.

The index itself is :mod:`beslutsregister.searchindex` (why the register has its own, not
Material's or Pagefind's, is said there). This module holds what both the index and the
browser must agree on, and the pages around it:

* :func:`diary_key` and :data:`DIARY_PATTERN`: a diary number however it is typed
  (``run 138/2024``, ``RUN/0138/2024``) reduces to one key; the index stores each case
  under its own keys and every page under the keys it cites, and a query's diary numbers
  become keys (:func:`normalise_query`), so the case comes first and its citations after.
* :data:`STOP_WORDS`: words dropped from a query that has others (they narrow nothing).
* :func:`add_header_search` puts a search field (a plain GET form) into every page's
  header; it submits to the search page, :func:`search_page_markdown`, whose script shows
  results, facets and the sort order, or which without JavaScript says where to browse.

``assets/search-engine.js`` mirrors :func:`normalise_query` and :func:`without_stop_words`
for the browser; the tests run one table of examples through both.
"""

from __future__ import annotations

import re
from html import escape

#: The search page, as a generated Markdown source (published as ``sok/``).
SEARCH_PAGE = "sok.md"
SEARCH_TITLE = "Sök i registret"
#: Where the index is written, relative to the site folder.
INDEX_DIR = "sok/data"
#: The plugin's search assets in the site, and their sources in the package.
ASSETS_DIR = "assets/beslutsregister"
ASSET_SOURCES = {
    f"{ASSETS_DIR}/search.css": "search.css",
    f"{ASSETS_DIR}/search.js": "search.js",
    f"{ASSETS_DIR}/search-engine.js": "search-engine.js",
}
STYLESHEET = f"{ASSETS_DIR}/search.css"
#: The sort order "newest first", as it appears in the search page's address.
SORT_DATE = "datum"


# -- diary numbers ------------------------------------------------------------------------

_GROUPS = re.compile(r"[^\W\d_]+|[0-9]+")
#: A diary number in a query or a text: letters (groups joined by hyphens: ``RUN-A``),
#: then two or more groups of digits, separated by spaces, slashes, dashes, dots, colons
#: or underscores (``RUN 138 2024``); or digits
#: alone joined by anything but a plain space (``138/2024``, not an amount ``460 000``).
#: Optionally led by "dnr" or "diarienummer", which is dropped. Dates (``2021-04-01``)
#: match too, and are found as written the same way.
DIARY_PATTERN = re.compile(
    r"(?<![^\W_])(?:(?:dnr|diarienr|diarienummer)[.:]?\s*)?(?P<number>"
    r"[^\W\d_]+(?:-[^\W\d_]+)*[\s/.:_-]*[0-9]+(?:[\s/.:_-]+[0-9]+)+"
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
    """The keys a diary number is indexed under: with and without its letters
    (``RUN/138/2024`` -> ``run1382024``, ``1382024``), so ``138/2024`` finds it too."""
    key = diary_key(diary_number)
    numbers = re.sub(r"^[^\W\d_]+", "", key)
    keys = [key] if not numbers or numbers == key else [key, numbers]
    return tuple(k for k in keys if k)


def normalise_query(query: str) -> str:
    """Replace each diary number in a query by its key (:func:`diary_key`).

    ``run 138/2024`` -> ``run1382024``; other words stay as typed, runs of white space
    become one space. The browser does the same (``search-engine.js``).
    """
    replaced = DIARY_PATTERN.sub(lambda m: diary_key(m["number"]), query)
    return " ".join(replaced.split())


#: Swedish words too common to narrow a search. Each would load a large index chunk (it
#: is on every page) and change no result, so the browser drops them from a query that
#: has other words (``without_stop_words``; search-engine.js has the same list).
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
    """The search page: a search field, results, facets, a sort order, and a way back.

    ``page_url`` is the page's own URL (for relative links), ``register_url`` that of
    the register's overview. Without JavaScript (or without an index: none in a staff
    preview or an empty register) the page says where to browse instead. The controls
    are hidden until ``search.js`` runs: without it they could do nothing.
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
    index = escape(root + INDEX_DIR + "/", quote=True)
    # One raw HTML block (no blank lines inside), which Markdown passes through as is.
    parts += [
        f'<div class="br-search" id="br-search" data-index="{index}" '
        f'data-root="{escape(root or "./", quote=True)}" data-count="{public_cases}">',
        '<noscript><p class="br-search__nojs">Sökningen behöver JavaScript. Utan '
        f"JavaScript kan du {browse}.</p></noscript>",
        '<form class="br-search__form" role="search" hidden>'
        '<label class="br-search__label" for="br-q">Sök bland '
        f'{public_cases} publicerade beslut</label>'
        '<input class="br-search__input" id="br-q" type="search" name="q" autocomplete="off" '
        'enterkeyhint="search" placeholder="Ord, projekt, enhet eller diarienummer">'
        '<button class="md-button md-button--primary" type="submit">Sök</button></form>',
        '<p class="br-search__help">Sök på ord i besluten, projektets namn, enhet, '
        "handläggare, program eller diarienummer (till exempel <kbd>RUN/138/2024</kbd>). "
        f"Du kan också {browse}.</p>",
        # The facets' data grows with the register, so it is loaded when asked for, not
        # with every first search.
        '<div class="br-search__tools" hidden><button type="button" id="br-facets" '
        'class="md-button" aria-expanded="false" aria-controls="br-facet-panel">'
        "Avgränsa på år, program och enhet</button> "
        '<span class="br-search__sort"><label for="br-sort">Sortera träffarna</label> '
        f'<select id="br-sort"><option value="">Bäst matchning först</option>'
        f'<option value="{SORT_DATE}">Senaste beslut först</option></select></span></div>',
        '<div class="br-search__facets" id="br-facet-panel" hidden></div>',
        '<p class="br-search__status" id="br-status" role="status" aria-live="polite"></p>',
        '<ol class="br-search__results" id="br-results"></ol>',
        '<button type="button" class="md-button br-search__more" id="br-more" hidden>'
        "Visa fler träffar</button>",
        f'<script type="module" src="{assets}search.js"></script>',
        "</div>",
    ]
    return "\n".join(parts) + "\n"
