"""yamlsource: safe, line-numbered YAML that keeps every scalar exactly as written."""

from __future__ import annotations

import pytest

from beslutsregister.core.yamlsource import Node, YamlError, parse_yaml, split_front_matter


def scalar(root: Node | None, *path: str | int) -> Node:
    """The node at ``path`` (map keys and list indexes) below ``root``."""
    node = root
    for step in path:
        assert node is not None
        node = node.elements[step] if isinstance(step, int) else node.items[step][1]
    assert node is not None
    return node


# -- text stays text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_text", "value", "plain"),
    [
        pytest.param("phone: 063146527\n", "063146527", True, id="leading-zero-phone"),
        pytest.param("phone: 063146529\n", "063146529", True, id="non-octal-phone"),
        pytest.param("amount: 460000\n", "460000", True, id="integer"),
        pytest.param("amount: 460_000\n", "460_000", True, id="underscore-integer"),
        pytest.param("amount: 0x1F\n", "0x1F", True, id="hex"),
        pytest.param("amount: 1e3\n", "1e3", True, id="float-exponent"),
        pytest.param("date: 2024-02-23\n", "2024-02-23", True, id="date"),
        pytest.param("date: 2024-02-30\n", "2024-02-30", True, id="impossible-date"),
        pytest.param("flag: yes\n", "yes", True, id="yaml11-yes"),
        pytest.param("flag: NO\n", "NO", True, id="yaml11-no"),
        pytest.param("time: 12:30\n", "12:30", True, id="sexagesimal"),
        pytest.param("phone: '063146527'\n", "063146527", False, id="single-quoted"),
        pytest.param('phone: "063-14 65 29"\n', "063-14 65 29", False, id="double-quoted"),
        pytest.param('title: "Projekt: S3"\n', "Projekt: S3", False, id="colon-quoted"),
        pytest.param("title: Stärka samarbeten\n", "Stärka samarbeten", True, id="unicode"),
        pytest.param("empty:\n", "", True, id="empty"),
    ],
)
def test_scalars_keep_the_text_as_written(yaml_text: str, value: str, plain: bool) -> None:
    root = parse_yaml(yaml_text)
    node = scalar(root, yaml_text.split(":")[0])
    assert (node.kind, node.value, node.plain) == ("scalar", value, plain)


@pytest.mark.parametrize(
    ("value", "is_null"),
    [
        pytest.param("", True, id="nothing"),
        pytest.param("~", True, id="tilde"),
        pytest.param("null", True, id="null"),
        pytest.param("NULL", True, id="NULL"),
        pytest.param("'null'", False, id="quoted-null"),
        pytest.param("''", False, id="quoted-empty"),
        pytest.param("none", False, id="none-is-text"),
        pytest.param("0", False, id="zero"),
    ],
)
def test_null(value: str, is_null: bool) -> None:
    assert scalar(parse_yaml(f"key: {value}\n"), "key").is_null is is_null


def test_structure_and_file_lines() -> None:
    text = (
        "diary_number: RUN/1/2024\n"
        "officer:\n"
        "  name: Ingrid\n"
        "funding:\n"
        "  - programme: react-eu\n"
        "    amount_sek: 1\n"
        "  - programme: egen-finansiering\n"
        "    amount_sek: 2\n"
        "copy_to: [A, B]\n"
    )
    root = parse_yaml(text, first_line=2)  # front matter starts on file line 2
    assert root is not None and root.kind == "map" and root.line == 2
    assert list(root.items) == ["diary_number", "officer", "funding", "copy_to"]
    assert [key_line for key_line, _ in root.items.values()] == [2, 3, 5, 10]
    assert scalar(root, "officer", "name").line == 4
    funding = scalar(root, "funding")
    assert funding.kind == "list" and [e.line for e in funding.elements] == [6, 8]
    assert scalar(root, "funding", 1, "programme").value == "egen-finansiering"
    assert funding.elements[1].items["amount_sek"][0] == 9
    assert [e.value for e in scalar(root, "copy_to").elements] == ["A", "B"]


@pytest.mark.parametrize(
    "text", ["", "# only a comment\n", "\n\n"], ids=["empty", "comment", "blank"]
)
def test_empty_document_is_none(text: str) -> None:
    assert parse_yaml(text) is None


# -- refused YAML: (line, exact message) -----------------------------------------------------

REFUSED = [
    pytest.param("a: !!str 063146527\n", 2,
                 "YAML tag '!!str' is not allowed; expected a plain value, "
                 "quoted if it must stay text", id="tag-str"),
    pytest.param("a: 1\nb: !!python/object:os.system ls\n", 3,
                 "YAML tag '!!python/object:os.system' is not allowed; "
                 "expected a plain value, quoted if it must stay text", id="tag-python"),
    pytest.param("a: !custom x\n", 2,
                 "YAML tag '!custom' is not allowed; expected a plain value, quoted if it "
                 "must stay text", id="tag-local"),
    pytest.param("a: ! x\n", 2,
                 "YAML tag '!' is not allowed; expected a plain value, quoted if it must stay "
                 "text", id="tag-non-specific"),
    pytest.param("a: !!map {}\n", 2,
                 "YAML tag '!!map' is not allowed; expected a plain value, "
                 "quoted if it must stay text", id="tag-on-collection"),
    pytest.param("a: &x 1\n", 2,
                 "anchor '&x' is not allowed; expected each value written out in full",
                 id="anchor-scalar"),
    pytest.param("a: 1\nofficer: &o\n  name: A\ndecided_by: *o\n", 3,
                 "anchor '&o' is not allowed; expected each value written out in full",
                 id="anchor-map"),
    pytest.param("- a\n- &x b\n", 3,
                 "anchor '&x' is not allowed; expected each value written out in full",
                 id="anchor-list-item"),
    pytest.param("a: 1\nb: *x\n", 3,
                 "alias '*x' is not allowed; expected each value written out in full",
                 id="alias"),
    pytest.param("title: a\ndate: 2024-01-01\ntitle: b\n", 4,
                 "key 'title' appears twice (first on line 2); expected each key once",
                 id="duplicate-key"),
    pytest.param("f:\n  - y: 1\n    z: 2\n    y: 3\n", 5,
                 "key 'y' appears twice (first on line 3); expected each key once",
                 id="duplicate-nested-key"),
    pytest.param("? [a]\n: 1\n", 2, "a key must be a plain name; expected 'name: value'",
                 id="complex-key"),
    pytest.param("title: a\nunit: b: c\n", 3,
                 "YAML syntax error: mapping values are not allowed in this context",
                 id="syntax-colon"),
    pytest.param("a:\n  b: 1\n   c: 2\n", 4,
                 "YAML syntax error: mapping values are not allowed in this context",
                 id="syntax-indentation"),
    pytest.param("a: 1\n\tb: 1\n", 3,
                 "YAML syntax error: found a tab character that violates indentation", id="tab"),
    pytest.param("a: 1\n---\nb: 2\n", 4, "more than one YAML document; expected one",
                 id="two-documents"),
]


@pytest.mark.parametrize(("text", "line", "message"), REFUSED)
def test_refused(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml(text, first_line=2)
    assert (caught.value.line, caught.value.message) == (line, message)
    assert str(caught.value) == message


def test_syntax_error_line_counts_from_first_line() -> None:
    text = "a: 1\nb: 2\nc: [1\n"
    lines = []
    for first_line in (1, 2, 10):
        with pytest.raises(YamlError) as caught:
            parse_yaml(text, first_line=first_line)
        lines.append(caught.value.line)
    assert lines[1] - lines[0] == 1 and lines[2] - lines[0] == 9


# -- front matter ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "keys", "body", "body_line"),
    [
        pytest.param("---\na: 1\n---\n\n## Body\n", ["a"], "\n## Body\n", 4, id="basic"),
        pytest.param("---\na: 1\nb: 2\n...\nbody\n", ["a", "b"], "body\n", 5, id="dots-close"),
        pytest.param("---\r\na: 1\r\n---\r\nbody\r\n", ["a"], "body\r\n", 4, id="crlf"),
        pytest.param("--- \na: 1\n---  \nx", ["a"], "x", 4, id="trailing-spaces"),
        pytest.param("---\na: 1\n---\nx\n---\ny\n", ["a"], "x\n---\ny\n", 4, id="rule-in-body"),
    ],
)
def test_split_front_matter(text: str, keys: list[str], body: str, body_line: int) -> None:
    document = split_front_matter(text)
    assert document.meta is not None and list(document.meta.items) == keys
    assert (document.body, document.body_line) == (body, body_line)


@pytest.mark.parametrize(
    "text", ["", "Bara text\n", "text\n---\na: 1\n---\n"], ids=["empty", "plain", "late-dashes"]
)
def test_no_front_matter(text: str) -> None:
    document = split_front_matter(text)
    assert (document.meta, document.body, document.body_line) == (None, text, 1)


def test_front_matter_lines_are_file_lines() -> None:
    document = split_front_matter("---\ntitle: a\nphone: 063146527\n---\n")
    assert document.meta is not None
    assert scalar(document.meta, "phone").line == 3
    assert scalar(document.meta, "phone").value == "063146527"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param("---\ntitle: a\n\n## Body\n", 1,
                     "front matter is not closed; expected a line '---' after it", id="unclosed"),
        pytest.param("---\n", 1,
                     "front matter is not closed; expected a line '---' after it", id="only-open"),
        pytest.param("---\ntitle: a\ntitle: b\n---\n", 3,
                     "key 'title' appears twice (first on line 2); expected each key once",
                     id="duplicate-in-front-matter"),
        pytest.param("---\ntitle: a\ndate: !!timestamp 2024-01-01\n---\n", 3,
                     "YAML tag '!!timestamp' is not allowed; expected a plain "
                     "value, quoted if it must stay text", id="tag-in-front-matter"),
        pytest.param("---\ntitle: a\nunit: b: c\n---\n", 3,
                     "YAML syntax error: mapping values are not allowed in this context",
                     id="syntax-in-front-matter"),
    ],
)
def test_front_matter_refused(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as caught:
        split_front_matter(text)
    assert (caught.value.line, caught.value.message) == (line, message)
