"""The search page and the search field on every page.

The index is :mod:`beslutsregister.search.index` (why the register has its own, not
Material's or Pagefind's, is said there) and what a query means is
:mod:`beslutsregister.search.query`. :func:`add_header_search` puts a search field (a
plain GET form) into every page's header; it submits to the search page,
:func:`search_page_markdown`, whose script (``assets/search.js``) shows results, facets
and the sort order, or which without JavaScript says where to browse.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

#: The search page, as a generated Markdown source (published as ``sok/``).
SEARCH_PAGE = "sok.md"
SEARCH_TITLE = "Sök i registret"
#: Where the index is written, relative to the site folder.
INDEX_DIR = "sok/data"
#: The search's assets in the site, and their sources in this package (``ASSETS``).
ASSETS = Path(__file__).parent / "assets"
ASSETS_DIR = "assets/beslutsregister"
ASSET_SOURCES = {
    f"{ASSETS_DIR}/search.css": "search.css",
    f"{ASSETS_DIR}/search.js": "search.js",
    f"{ASSETS_DIR}/search-engine.js": "search-engine.js",
    f"{ASSETS_DIR}/search-state.js": "search-state.js",
}
STYLESHEET = f"{ASSETS_DIR}/search.css"
#: The sort order "newest first", as it appears in the search page's address.
SORT_DATE = "datum"


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
