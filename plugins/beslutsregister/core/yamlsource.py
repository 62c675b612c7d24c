"""Read YAML the register can trust: safe, line-numbered, and text kept as written.

MkDocs parses front matter itself and silently publishes a file whose YAML is broken as
plain text; PyYAML's loaders turn ``063146527`` into a number and accept tags, anchors
and duplicate keys. So case files are parsed here, from PyYAML's *event* stream, into a
small tree of :class:`Node` objects that keep every scalar exactly as written together
with its line. Typing (dates, integers, booleans) happens later, field by field, where the
schema knows what each field should be.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is an order of magnitude faster; fall back to pure Python.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class YamlError(Exception):
    """YAML the register refuses; ``line`` is 1-based within the parsed text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(slots=True)
class Node:
    """A YAML node: ``kind`` is 'scalar', 'list' or 'map'.

    For scalars ``value`` is the text exactly as written and ``plain`` says whether it was
    unquoted (only plain scalars may be read as numbers, dates, booleans or null). For
    maps ``items`` keeps keys in order; duplicate keys are refused while parsing.
    """

    kind: str
    line: int
    value: str = ""
    plain: bool = False
    items: dict[str, tuple[int, Node]] = field(default_factory=dict)
    elements: list[Node] = field(default_factory=list)

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.plain and self.value in _NULLS


def parse_yaml(text: str, first_line: int = 1) -> Node | None:
    """Parse one YAML document into a :class:`Node` tree; ``None`` for an empty document.

    ``first_line`` is the line number the text starts on in its file, so every node and
    error carries a file line.

    Raises :class:`YamlError` for syntax errors, tags, anchors, aliases and duplicate keys.
    """
    stack: list[tuple[Node, Node | None]] = []  # (container, pending map key)
    root: Node | None = None
    offset = first_line - 1
    # The parser's own loop rather than ``yaml.parse`` (a generator), and one type test
    # per event: case files have about sixty events each, ten thousand files a build.
    try:
        loader: Any = _Loader(text)  # events' classes are tested with ``is``: untyped
        try:
            while (event := loader.get_event()) is not None:
                kind = type(event)
                if kind is _SCALAR:
                    if event.anchor is not None or event.tag is not None:
                        _refuse_tag_and_anchor(event, offset)
                    node = Node("scalar", _line(event) + offset, event.value,
                                bool(event.implicit[0]))
                    root = _attach(stack, node, root)
                elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                    if event.anchor is not None or event.tag is not None:
                        _refuse_tag_and_anchor(event, offset)
                    node = Node("map" if kind is _MAPPING_START else "list",
                                _line(event) + offset)
                    root = _attach(stack, node, root)
                    stack.append((node, None))
                elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                    stack.pop()
                elif kind is _ALIAS:
                    raise YamlError(_line(event) + offset, f"alias '*{event.anchor}' is not "
                                    "allowed; expected each value written out in full")
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else first_line
        raise YamlError(line, f"YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(first_line, f"YAML error: {exc}") from None
    return root


_SCALAR = yaml.ScalarEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_ALIAS = yaml.AliasEvent


def _line(event: yaml.Event) -> int:
    mark = event.start_mark
    return int(mark.line) + 1 if mark is not None else 1


def _refuse_tag_and_anchor(event: yaml.NodeEvent, offset: int) -> None:
    if event.anchor is not None:
        raise YamlError(_line(event) + offset, f"anchor '&{event.anchor}' is not allowed; "
                        "expected each value written out in full")
    tag = getattr(event, "tag", None)
    if tag is not None:
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlError(_line(event) + offset, f"YAML tag '{tag}' is not allowed; "
                        "expected a plain value, quoted if it must stay text")


def _attach(stack: list[tuple[Node, Node | None]], node: Node, root: Node | None) -> Node | None:
    """Put ``node`` into the open container on top of ``stack``; return the root."""
    if not stack:
        if root is not None:  # pragma: no cover - yaml.parse refuses a second document
            raise YamlError(node.line, "more than one YAML document; expected one")
        return node
    parent, key = stack[-1]
    if parent.kind == "list":
        parent.elements.append(node)
    elif key is None:  # this node is a key
        if node.kind != "scalar":
            raise YamlError(node.line, "a key must be a plain name; expected 'name: value'")
        if node.value in parent.items:
            first = parent.items[node.value][0]
            raise YamlError(node.line, f"key '{node.value}' appears twice (first on line "
                            f"{first}); expected each key once")
        stack[-1] = (parent, node)
    else:
        if node.kind != "scalar":  # a group's problems point at its key, e.g. 'officer:'
            node.line = key.line
        parent.items[key.value] = (key.line, node)
        stack[-1] = (parent, None)
    return root


@dataclass(frozen=True)
class FrontMatterDocument:
    """A Markdown file split into its front matter tree and body.

    ``body_line`` is the 1-based line of the file where the body starts.
    """

    meta: Node | None
    body: str
    body_line: int


def split_front_matter(text: str) -> FrontMatterDocument:
    """Split ``---``-delimited front matter from a Markdown file and parse it.

    Line numbers in errors are file lines. A file without front matter yields
    ``meta=None`` and the whole text as body.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return FrontMatterDocument(None, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in ("---", "..."):
            yaml_text = "".join(lines[1:index])
            meta = parse_yaml(yaml_text, first_line=2)
            return FrontMatterDocument(meta, "".join(lines[index + 1 :]), index + 2)
    raise YamlError(1, "front matter is not closed; expected a line '---' after it")

