"""Sanitize rendered case bodies with nh3 (the Ammonia sanitizer).

Case bodies are Markdown written by staff, and Markdown passes raw HTML through; a body
must never carry ``<script>``, ``on*=`` handlers or ``javascript:`` links to the public.
An allow-list sanitizer is the only robust way to say that: it keeps what the register's
pages need (tables with ``scope``, headings with ids, ``<time>``, the search data
attributes) and drops everything else.
"""

from __future__ import annotations

import nh3

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
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(html: str) -> str:
    """Remove every tag, attribute and URL scheme not explicitly allowed."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        generic_attribute_prefixes={"data-pagefind-"},
        link_rel=None,
        strip_comments=True,
    )
