"""A Word decision (``.docx``) as the text layout :mod:`.importer` parses.

Word writes what the importer needs as structure, not text: a heading is a paragraph
style (``Heading 2``, Swedish Word's ``Rubrik 2``) or an outline level, a numbered list
is numbering attached to paragraphs, a line break is an element inside a paragraph. This
module turns one document into lines of the same layout as a ``.txt`` export of it:
``## Heading``, ``1. item``, ``- item``, a line ending in two spaces for a line break,
and a blank line between paragraphs. Tables of the body (a letterhead is often one) are
read cell by cell, in order; page headers and footers are not read.

Files that are not a readable ``.docx`` raise :class:`UnreadableDocument` with one line
saying what the file is and what to do: an old binary ``.doc``, a password-protected
document (Word encrypts those into the same binary container), a damaged file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: The first bytes of an OLE2 compound file: an old ``.doc``, or an encrypted ``.docx``.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_HEADING_STYLE = re.compile(r"(?:heading|rubrik)\s*([1-9])", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "rubrik"})


class UnreadableDocument(Exception):
    """The file is not a ``.docx`` the importer can read; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class DocumentText:
    """The document's lines; ``paragraphs[i]`` is the 1-based paragraph of line ``i``
    (0 for the blank line between two paragraphs), for messages."""

    lines: list[str]
    paragraphs: list[int]


def refusal(data: bytes) -> str | None:
    """Why ``data`` is no readable ``.docx`` before opening it, or None."""
    if data.startswith(OLE_SIGNATURE):
        if _ENCRYPTED in data:
            return ("is a password-protected Word document; remove the password in Word "
                    "(Arkiv > Info > Skydda dokument) and import it again")
        return ("is an old binary Word document (.doc); save it as a Word document (.docx) "
                "and import that")
    if not data.startswith(ZIP_SIGNATURE):
        return "is not a Word document (.docx); expected a .docx, .txt or .md file"
    return None


def read_docx(data: bytes) -> DocumentText:
    """The text of a ``.docx`` file's body, or :class:`UnreadableDocument`."""
    why = refusal(data)
    if why:
        raise UnreadableDocument(why)
    try:
        import docx  # python-docx; imported here so the rest of the core needs no lxml
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        numbering = _numbering_formats(document)
        lines: list[str] = []
        places: list[int] = []
        counters: dict[tuple[str, int], int] = {}
        previous_list: str | None = None
        body = document.element.body
        for number, paragraph in enumerate(_paragraphs(body, document, Paragraph, Table), 1):
            text, list_id = _paragraph_text(paragraph, numbering, counters)
            if lines and not (list_id and list_id == previous_list):
                lines.append("")
                places.append(0)
            previous_list = list_id
            for line in text.split("\n"):
                lines.append(line)
                places.append(number)
    except UnreadableDocument:
        raise
    except Exception:  # a damaged package fails in zipfile, lxml or python-docx alike
        raise UnreadableDocument("is a damaged Word document (it cannot be opened as a "
                                 ".docx); open it in Word, save it again and import that"
                                 ) from None
    return DocumentText(lines, places)


def _paragraphs(body: Any, document: Any, paragraph_type: Any, table_type: Any
                ) -> Iterator[Any]:
    """The body's paragraphs in order, a table's cell by cell (merged cells once)."""
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield paragraph_type(child, document)
        elif tag == "tbl":
            seen: set[int] = set()
            for row in table_type(child, document).rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    yield from cell.paragraphs


def _numbering_formats(document: Any) -> dict[tuple[str, int], str]:
    """(numId, level) -> Word's number format (``decimal``, ``bullet``, ...)."""
    formats: dict[tuple[str, int], str] = {}
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return formats
    abstract: dict[str, dict[int, str]] = {}
    for node in root.findall(_w("abstractNum")):
        levels = abstract.setdefault(_attr(node, "abstractNumId"), {})
        for level in node.findall(_w("lvl")):
            index = _attr(level, "ilvl")
            levels[int(index) if index.isdigit() else 0] = _val(level, "numFmt") or "decimal"
    for num in root.findall(_w("num")):
        for ilvl, fmt in abstract.get(_val(num, "abstractNumId"), {}).items():
            formats[(_attr(num, "numId"), ilvl)] = fmt
    return formats


def _w(path: str) -> str:
    """An ElementPath in Word's namespace: ``numPr/numId`` -> ``{...}numPr/{...}numId``."""
    return "/".join(f"{{{_W}}}{part}" for part in path.split("/"))


def _attr(node: Any, name: str) -> str:
    return str(node.get(f"{{{_W}}}{name}") or "")


def _val(node: Any, path: str) -> str:
    """The ``w:val`` of the child at ``path``, or an empty string."""
    child = node.find(_w(path)) if node is not None else None
    return _attr(child, "val") if child is not None else ""


def _paragraph_text(paragraph: Any, numbering: dict[tuple[str, int], str],
                    counters: dict[tuple[str, int], int]) -> tuple[str, str | None]:
    """One paragraph as text lines, and the id of the list it belongs to (or None)."""
    text = paragraph.text.replace("\t", " ")
    style_name = ""
    style_pr = None
    try:
        style = paragraph.style
        style_name = str(style.name or "") if style is not None else ""
        style_pr = style.element.pPr if style is not None else None
    except (KeyError, ValueError, AttributeError):
        pass
    level = _heading_level(paragraph, style_name, style_pr)
    if level and text.strip():
        return "#" * level + " " + " ".join(text.split()), None
    numbered = _numbering(paragraph, style_pr)
    lines = [line.rstrip() for line in text.split("\n")]
    if numbered is None:
        return "  \n".join(lines), None
    num_id, ilvl = numbered
    fmt = numbering.get((num_id, ilvl), "bullet" if "bullet" in style_name.lower() or
                        "punkt" in style_name.lower() else "decimal")
    for key in [k for k in counters if k[0] == num_id and k[1] > ilvl]:
        del counters[key]  # a deeper list starts again under the next item
    counters[(num_id, ilvl)] = counters.get((num_id, ilvl), 0) + 1
    marker = "-" if fmt in ("bullet", "none") else f"{counters[(num_id, ilvl)]}."
    indent = "   " * ilvl
    return indent + marker + " " + "  \n".join(lines), num_id


def _heading_level(paragraph: Any, style_name: str, style_pr: Any) -> int:
    match = _HEADING_STYLE.fullmatch(style_name.strip())
    if match:
        return int(match[1])
    if style_name.strip().lower() in _TITLE_STYLES:
        return 1
    for pr in (paragraph._p.pPr, style_pr):
        found = _val(pr, "outlineLvl")
        if found.isdigit() and int(found) < 9:
            return int(found) + 1
    return 0


def _numbering(paragraph: Any, style_pr: Any) -> tuple[str, int] | None:
    """(numId, level) of a numbered or bulleted paragraph (its own or its style's)."""
    for pr in (paragraph._p.pPr, style_pr):
        num_id = _val(pr, "numPr/numId")
        if num_id and num_id != "0":
            ilvl = _val(pr, "numPr/ilvl")
            return num_id, int(ilvl) if ilvl.isdigit() else 0
    return None
