"""A skip link on every page, to the start of the main content (WCAG 2.4.1).

Material prints its skip link only on pages with a table of contents, and points it at
the first heading of the contents: on a page whose ``<h1>`` the theme writes (every
generated page) that is the first ``<h2>``, past the page's title; year, unit and
404 pages, which have no such heading, get none. This replaces Material's with one in
Swedish on every page, to the content's ``<article>`` (before the ``<h1>``). An id in
the theme's id space (``__``), which case bodies cannot take (sanitize.py), and which
Markdown headings of ``docs/`` do not make. Plain text operations: no MkDocs import.
"""

from __future__ import annotations

import re

SKIP_TARGET = "__innehall"
SKIP_TEXT = "Till innehållet"
#: Material's content element, the target (its first child is the page's <h1>).
_ARTICLE = '<article class="md-content__inner md-typeset">'
#: Material's skip link holder (its only child, if any, is its skip link).
_SKIP = re.compile(r'<div data-md-component="skip">.*?</div>', re.DOTALL)
_SKIP_LINK = (f'<div data-md-component="skip"><a href="#{SKIP_TARGET}" class="md-skip">'
              f"{SKIP_TEXT}</a></div>")


def add_skip_link(html: str) -> str:
    """``html`` (a page Material rendered) with the skip link and its target; a page
    without Material's content element (a site's own template) is left as it is."""
    if _ARTICLE not in html or _SKIP.search(html) is None:
        return html
    html = html.replace(
        _ARTICLE,
        f'<article class="md-content__inner md-typeset" id="{SKIP_TARGET}" tabindex="-1">', 1)
    return _SKIP.sub(lambda _: _SKIP_LINK, html, count=1)
