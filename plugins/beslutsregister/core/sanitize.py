"""Sanitize rendered case bodies with nh3 (the Ammonia sanitizer).

Case bodies are Markdown written by staff, and Markdown passes raw HTML through; a body
must never carry ``<script>``, ``on*=`` handlers or ``javascript:`` links to the public.
An allow-list sanitizer is the only robust way to say that: it keeps what the register's
pages need (tables with ``scope``, headings with ids, ``<time>``) and drops everything
else. The register's own blocks (facts and funding tables) go in afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape, unescape
from typing import Any

import markdown
import nh3

from .model import Case, Problem
from .privacy import mask_text

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
    the theme's namespace; give tables header scopes and a scroll region
    (:func:`accessible_tables`)."""
    clean = str(_CLEANER.clean(html) if _CLEANER is not None else nh3.clean(html, **_OPTIONS))
    if THEME_ID_PREFIX in clean:
        clean = _THEME_ID.sub(r"\1br", clean)
    return accessible_tables(clean) if "<table" in clean else clean


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


# -- images without a text alternative (WCAG 2.1 1.1.1) -----------------------------------

#: One ``<img>`` tag of rendered HTML (quoted attribute values may hold ``>``).
_IMG_TAG = re.compile(r"<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
#: One attribute of a tag: name, then an optional double-, single- or unquoted value.
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
#: A Markdown reference definition, ``[label]: address``.
_REFERENCE = re.compile(r"^[ ]{0,3}\[([^\]\n]+)\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)


def _attributes(tag: str) -> dict[str, str]:
    inner = tag[4:-1].rstrip("/")
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(inner):
        value = next((group for group in match.groups()[1:] if group is not None), "")
        found.setdefault(match[1].lower(), unescape(value))
    return found


def images_without_alt(html: str) -> list[tuple[str, bool]]:
    """Every image of rendered ``html`` in document order: ``(src, has_text_alternative)``.

    An ``alt`` that is missing, empty or only whitespace is no text alternative: a
    decision's image is content (a map, a chart, a signature), never decoration.
    """
    if "<img" not in html and "<IMG" not in html:
        return []
    images = []
    for match in _IMG_TAG.finditer(html):
        attributes = _attributes(match[0])
        images.append((attributes.get("src", ""), bool(attributes.get("alt", "").strip())))
    return images


def _image_offsets(body: str, images: list[tuple[str, bool]]) -> list[int]:
    """Where each image of the rendered body is written in the Markdown ``body`` (-1 if
    nowhere): its address after the previous image's place; for an image given by a
    reference (``![][karta]`` with ``[karta]: karta.png``), the reference's use."""
    definitions = [(m.start(), m.end()) for m in _REFERENCE.finditer(body)]
    labels: dict[str, list[str]] = {}
    for match in _REFERENCE.finditer(body):
        labels.setdefault(match[2], []).append(match[1])

    def outside_definitions(pattern: re.Pattern[str], start: int) -> int:
        for match in pattern.finditer(body, start):
            if not any(first <= match.start() < last for first, last in definitions):
                return match.start()
        return -1

    offsets, cursor = [], 0
    for src, _ in images:
        if not src:
            offsets.append(-1)
            continue
        uses = [re.compile(re.escape(src))]
        for label in labels.get(src, []):
            name = re.escape(label)
            uses.append(re.compile(rf"!\[(?:{name}\](?!\()|[^\]\n]*\]\s?\[{name}\])",
                                   re.IGNORECASE))
        found = [offset for use in uses if (offset := outside_definitions(use, cursor)) >= 0]
        if not found:  # written before an image of the same address, or only defined
            found = [body.find(src)]
        offset = min(found)
        offsets.append(offset)
        if offset >= 0:
            cursor = offset + 1
    return offsets


def missing_alt_problems(html: str, source: str, body: str, body_line: int) -> list[Problem]:
    """One problem per image of a rendered case body without a text alternative, at the
    body line that shows it (the body's first line if none does)."""
    images = images_without_alt(html)
    if all(has_alt for _, has_alt in images):
        return []
    problems = []
    for (src, has_alt), offset in zip(images, _image_offsets(body, images), strict=True):
        if has_alt:
            continue
        line = body_line + (body.count("\n", 0, offset) if offset >= 0 else 0)
        shown = src if len(src) <= 80 else src[:77] + "..."
        problems.append(Problem(source, line, None, f"shows an image without a text "
                                f"alternative ('{shown}'); expected "
                                f"![what the image shows]({shown}), or alt=\"...\""))
    return problems


def inaccessible_body_problems(html: str, source: str, body: str,
                               body_line: int) -> list[Problem]:
    """What a rendered case body must not show: images from other hosts, images without
    a text alternative; in line order."""
    problems = (remote_image_problems(html, source, body, body_line)
                + missing_alt_problems(html, source, body, body_line))
    return sorted(problems, key=lambda problem: problem.line or 0)


#: The Markdown extensions of the register's mkdocs.yml, for ``beslutsregister check``.
BODY_EXTENSIONS = ("toc", "tables", "attr_list", "admonition")


class BodyRenderer:
    """Renders case bodies as the build does, for checks without a build: one
    Python-Markdown instance, reset between bodies (building one costs more than a body)."""

    def __init__(self, extensions: Sequence[Any] = BODY_EXTENSIONS,
                 configs: dict[str, Any] | None = None) -> None:
        self._markdown = markdown.Markdown(extensions=list(extensions),
                                           extension_configs=configs or {})

    def render(self, body: str) -> str:
        self._markdown.reset()
        return str(self._markdown.convert(mask_text(body).strip()))

    def problems(self, case: Case) -> list[Problem]:
        """What the build would refuse in ``case``'s body.

        Only a body that writes ``![`` or ``<img`` can show an image (Markdown makes one
        of nothing else), so most bodies are not rendered at all."""
        if "![" not in case.body and "<img" not in case.body.lower():
            return []
        html = self.render(case.body)
        if "<img" not in html and "<IMG" not in html:
            return []
        return inaccessible_body_problems(html, case.source, case.body, case.body_line)


# -- tables every reader can use (WCAG 2.1 1.3.1, 1.4.10, 2.1.1) ---------------------------

#: The table tags of nh3's output (it always double-quotes attribute values).
_TABLE_TAG = re.compile(r'<(/?)(table|caption|thead|tbody|tfoot|tr|th|td)\b((?:[^>"]|"[^"]*")*)>')
_SCOPE = re.compile(r'\sscope="')
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
#: Longest ``aria-label`` of a table's scroll region, in characters.
TABLE_LABEL_MAX = 100


def _label_text(fragment: str) -> str:
    text = _SPACE.sub(" ", unescape(_TAG.sub("", fragment))).strip()
    return text if len(text) <= TABLE_LABEL_MAX else text[:TABLE_LABEL_MAX - 1] + "…"


class _Table:
    __slots__ = ("caption", "header", "opened", "outermost", "rows", "section", "wrapper")

    def __init__(self, wrapper: int, outermost: bool) -> None:
        self.wrapper = wrapper  # index of the scroll region's opening tag in the output
        self.outermost = outermost
        self.section = ""
        self.rows: list[list[tuple[int, str, bool]]] = []  # cells: output index, tag, scoped
        self.opened = -1  # where the open caption's or header cell's content starts
        self.caption = ""  # its text
        self.header = ""  # the text of the first header cell that has any

    def label(self) -> str:
        text = self.caption or self.header
        return escape(f"Tabell: {text}" if text else "Tabell", quote=True)


def accessible_tables(html: str) -> str:
    """Body tables a screen reader and a 320 px screen can use, from nh3's output.

    Header cells get ``scope`` unless they have one: ``col`` in ``<thead>`` and in a row
    of header cells only, ``row`` for a ``<th>`` starting a row of data. Every outermost
    table is wrapped in a focusable region labelled by its caption (else its first
    header cell) that scrolls sideways on its own (``.br-table-scroll`` in register.css),
    so the page does not.
    """
    first = html.find("<table")
    if first < 0:
        return html
    out: list[str] = []
    tables: list[_Table] = []
    last = 0
    for match in _TABLE_TAG.finditer(html, first, html.rfind("</table>") + 8):
        out.append(html[last:match.start()])
        out.append(match[0])
        last = match.end()
        closing, name = match[1], match[2]
        if name == "table" and not closing:
            out.insert(-1, "")  # the scroll region's opening tag, once its label is known
            tables.append(_Table(len(out) - 2, outermost=not tables))
            continue
        if not tables:
            continue
        table = tables[-1]
        if name == "table":
            tables.pop()
            if table.outermost:
                out[table.wrapper] = ('<div class="br-table-scroll" role="region" '
                                      f'tabindex="0" aria-label="{table.label()}">')
                out.append("</div>")
        elif name in ("thead", "tbody", "tfoot"):
            table.section = "" if closing else name
        elif name == "tr":
            if not closing:
                table.rows.append([])
            elif table.rows:
                _scope_row(out, table.rows.pop(), table.section == "thead")
        elif not closing:  # caption, th, td
            table.opened = match.end()
            if name != "caption" and table.rows:
                table.rows[-1].append((len(out) - 1, name, bool(_SCOPE.search(match[3]))))
        elif table.opened >= 0 and name != "td":
            text = _label_text(html[table.opened:match.start()])
            if name == "caption" and not table.caption:
                table.caption = text
            elif name == "th" and not table.header:
                table.header = text
    out.append(html[last:])
    return "".join(out)


def _scope_row(out: list[str], cells: list[tuple[int, str, bool]], in_head: bool) -> None:
    if in_head or (cells and all(tag == "th" for _, tag, _ in cells)):
        targets, scope = cells, "col"
    elif cells and cells[0][1] == "th":
        targets, scope = cells[:1], "row"
    else:
        return
    for index, tag, scoped in targets:
        if tag == "th" and not scoped:
            out[index] = f'<th scope="{scope}"' + out[index][3:]
