"""Sanitize rendered case bodies with nh3 (the Ammonia sanitizer).

Case bodies are Markdown written by staff, and Markdown passes raw HTML through; a body
must never carry ``<script>``, ``on*=`` handlers or ``javascript:`` links to the public.
An allow-list sanitizer is the only robust way to say that: it keeps what the register's
pages need (tables with ``scope``, headings with ids, ``<time>``) and drops everything
else. The register's own blocks (facts and funding tables) go in afterwards.
"""

from __future__ import annotations

import re
from typing import Any

import nh3

from .model import Problem

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "role", "aria-label", "aria-hidden"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "time": {"datetime"},
    "ol": {"start"},
    # The placeholder of a pre-rendered block (pages.BLOCK_PLACEHOLDER), filled in after
    # sanitizing: the register's own blocks are escaped HTML.
    "div": {"data-br-block"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


_OPTIONS: dict[str, Any] = {
    "tags": ALLOWED_TAGS,
    "attributes": ALLOWED_ATTRIBUTES,
    "url_schemes": URL_SCHEMES,
    "link_rel": None,
    "strip_comments": True,
}

# One cleaner for the whole build: ``nh3.clean`` converts the allow-lists on every call,
# a fixed 0.013 ms per call, about a tenth of sanitizing a 7 KB case page (0.17 ms).
# Older nh3 releases have no ``nh3.Cleaner``; they fall back to ``nh3.clean``.
_CLEANER = nh3.Cleaner(**_OPTIONS) if hasattr(nh3, "Cleaner") else None


#: Ids the theme owns: Material names every element it finds by id ``__something``
#: (``__config``, its configuration; ``__drawer``, ``__search``, ``__palette_0``). A
#: body's element with such an id would stand in for the theme's, so body ids in that
#: namespace get the prefix ``br`` (``id="br__config"``), links to them too: a heading's
#: own anchor keeps working.
THEME_ID_PREFIX = "__"
_THEME_ID = re.compile(r'(\sid="|\shref="#)(?=' + THEME_ID_PREFIX + ")")
#: An image that loads from another host: ``<img src="https://...">`` or ``//host/...``.
_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))",
                      re.IGNORECASE)
_REMOTE = re.compile(r"^\s*(?:(?!data:)[a-z][a-z0-9+.-]*:|[/\\]{2})", re.IGNORECASE)


def sanitize_html(html: str) -> str:
    """Remove every tag, attribute and URL scheme not explicitly allowed; move ids out of
    the theme's namespace."""
    clean = str(_CLEANER.clean(html) if _CLEANER is not None else nh3.clean(html, **_OPTIONS))
    return _THEME_ID.sub(r"\1br", clean) if THEME_ID_PREFIX in clean else clean


def remote_images(html: str) -> list[str]:
    """Addresses of images in rendered ``html`` that a browser would fetch from another
    host (absolute or protocol-relative URLs).

    A public authority's page must not send its visitors' addresses to third parties,
    so such an image is an error for staff to fix, not something to strip silently.
    """
    if "<img" not in html and "<IMG" not in html:
        return []
    found = []
    for match in _IMG_SRC.finditer(html):
        src = next(group for group in match.groups() if group is not None)
        if _REMOTE.match(src):
            found.append(src)
    return found


def remote_image_problems(html: str, source: str, body: str, body_line: int) -> list[Problem]:
    """One problem per image of a rendered case body that loads from another host, at
    the body line that names its address (the body's first line if none does)."""
    problems = []
    for src in remote_images(html):
        offset = body.find(src)
        line = body_line + (body.count("\n", 0, offset) if offset >= 0 else 0)
        shown = src if len(src) <= 80 else src[:77] + "..."
        problems.append(Problem(source, line, None, f"shows an image from another host "
                                f"('{shown}'), which would send every reader's address "
                                "there; expected an image published with the site, or a "
                                "link instead"))
    return problems
