"""Tables of the site's own pages (``docs/``) that every reader can use (WCAG 2.1 1.3.1).

Python-Markdown writes a table as bare ``<table>``, ``<th>`` and ``<td>``: no name, no
``scope``. :func:`accessible_doc_tables` gives every table without a class (the register's
own tables have theirs, and a decision's body tables are the sanitizer's):

- a name, ``aria-label``: the text of the heading it follows, unless it has a caption;
- ``scope="col"`` on the cells of its header row;
- ``data-label`` on every data cell: its column's header text, which ``register.css``
  shows before the cell when the table becomes a stack of cards on a phone (WCAG 1.4.10).

Plain text operations on the page's HTML (as Python-Markdown writes it, attribute values
double-quoted): no MkDocs import.
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Any

_TAG = re.compile(
    r'<(/?)(table|caption|thead|tbody|tfoot|tr|th|td|h[1-6])\b((?:[^>"]|"[^"]*")*)>',
    re.IGNORECASE)
_CLASS = re.compile(r'\sclass="')
_SCOPE = re.compile(r'\sscope="')
_LABEL = re.compile(r'\s(aria-label|aria-labelledby|data-label)="')
_SPAN = re.compile(r'\scolspan="\s*(\d+)\s*"')
#: The permanent link the ``toc`` extension puts into a heading (``¶``): not its text.
_HEADERLINK = re.compile(r'<a\b[^>]*\bclass="headerlink"[^>]*>.*?</a>', re.DOTALL)
_MARKUP = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def _text(fragment: str) -> str:
    return _SPACE.sub(" ", unescape(_MARKUP.sub("", _HEADERLINK.sub("", fragment)))).strip()


def _attribute(tag: str, name: str, value: str) -> str:
    """``tag`` (an opening tag) with one more attribute."""
    end = -2 if tag.endswith("/>") else -1
    return f'{tag[:end]} {name}="{escape(value, quote=True)}"{tag[end:]}'


class _Table:
    __slots__ = ("caption", "columns", "head", "opening", "row", "section")

    def __init__(self, opening: int) -> None:
        self.opening = opening  # index of the <table> tag in the output
        self.section = ""
        self.caption = False
        self.head = True  # still in the rows of header cells at its top
        self.columns: list[str] = []  # the columns' names: the last header row's texts
        self.row: list[list[Any]] = []  # the row's cells: [output index, tag, span, text]


def accessible_doc_tables(html: str) -> str:
    """``html`` (a page's content) with its classless tables named, scoped and labelled."""
    if "<table" not in html.lower():
        return html
    out: list[str] = []
    last = 0
    heading = ""  # the text of the last heading before here
    opened: tuple[str, int] | None = None  # a heading or a cell open: its name, its start
    tables: list[_Table | None] = []  # None: a table left as it is (it has a class)
    for match in _TAG.finditer(html):
        out.append(html[last:match.start()])
        out.append(match[0])
        last = match.end()
        closing, name, attributes = match[1], match[2].lower(), match[3]
        if name[0] == "h" and name != "th":
            if not closing:
                opened = (name, match.end())
            elif opened is not None and opened[0] == name:
                heading, opened = _text(html[opened[1]:match.start()]), None
            continue
        if name == "table":
            if not closing:
                tables.append(None if _CLASS.search(attributes) else _Table(len(out) - 1))
                continue
            table = tables.pop() if tables else None
            if table is not None and not table.caption and heading \
                    and not _LABEL.search(out[table.opening]):
                out[table.opening] = _attribute(out[table.opening], "aria-label", heading)
            continue
        table = tables[-1] if tables else None
        if table is None:
            continue
        if name == "caption":
            table.caption = True
        elif name in ("thead", "tbody", "tfoot"):
            table.section = "" if closing else name
        elif name == "tr" and not closing:
            table.row = []
        elif name == "tr":
            _finish_row(out, table)
        elif not closing:  # th, td
            found = _SPAN.search(attributes)
            table.row.append([len(out) - 1, name, int(found[1]) if found else 1, ""])
            opened = (name, match.end())
        elif opened is not None and opened[0] == name and table.row:  # a cell's end
            table.row[-1][3] = _text(html[opened[1]:match.start()])
            opened = None
    out.append(html[last:])
    return "".join(out)


def _finish_row(out: list[str], table: _Table) -> None:
    """Scope a header row's cells (``col``) and a data row's leading header cell (``row``);
    label a data row's cells with their columns' names."""
    cells = table.row
    if not cells:
        return
    if table.section == "thead" or (table.head and all(cell[1] == "th" for cell in cells)):
        table.columns = [cell[3] for cell in cells for _ in range(cell[2])]
        for cell in cells:
            if cell[1] == "th" and not _SCOPE.search(out[cell[0]]):
                out[cell[0]] = _attribute(out[cell[0]], "scope", "col")
        return
    table.head = False
    if cells[0][1] == "th" and not _SCOPE.search(out[cells[0][0]]):
        out[cells[0][0]] = _attribute(out[cells[0][0]], "scope", "row")
    column = 0
    for index, tag, span, _ in cells:
        name = table.columns[column] if column < len(table.columns) else ""
        if tag == "td" and span == 1 and name and not _LABEL.search(out[index]):
            out[index] = _attribute(out[index], "data-label", name)
        column += span
