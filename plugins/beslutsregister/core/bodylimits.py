"""Limits on case bodies that keep Markdown rendering fast and free of RecursionError.

Python-Markdown (3.x, as MkDocs runs it with ``toc``, ``tables``, ``attr_list``,
``admonition`` and ``fenced_code``) recurses once or more per level of nesting, and
several of its scanners go back over the rest of a paragraph, or of the whole page, for
every mark they cannot close. A few kilobytes of the wrong marks therefore take minutes
to render, and 300 nested list levels end the build with a RecursionError naming a
generated page. Two more inputs end a MkDocs build with a traceback however short they
are: ``<![`` before anything but a marked-section keyword (MkDocs' HTML parser, Python's
``html.parser``, raises AssertionError), and a link whose address has ``[`` or ``]`` in
its host (MkDocs resolves every link with ``urllib.parse.urlsplit``, which raises
ValueError). Staff cannot act on any of these; a problem on the case file's line can be.

:func:`body_limit_problems` refuses the input classes that were measured to be slow or
to crash (see each constant), with bounds chosen so that a body passing every check
renders in a fraction of a second, and well above what real decisions use (they are
3-20 KB with a handful of headings, links and list levels). Every check counts with
``str.count`` or regexes first, and looks closer only at what those counts cannot
rule out, because it runs on every case file of every build.

The bounds multiply with the size of the body: a mark Python-Markdown scans past costs
at most the length of its paragraph, so a few such marks per paragraph cost at most a
few passes over the whole body. That is why the size limit is not larger.

Fenced code blocks get no exemption: the checks treat their text like any other.
Python-Markdown renders fenced code cheaply, but a fence it does not recognise (an
indented one, or one never closed) is ordinary text to it, and deciding which is which
here would be the very parsing this module exists to avoid.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .model import Problem

#: Characters in a body. Real decisions are 3-20 KB; each per-paragraph limit below
#: costs at most a few passes over the body, so this bounds all of them.
MAX_CHARS = 100_000
#: Lines in a body. Block structure costs per line (a table row, a list item, an HTML
#: block: up to 50 µs each); real decisions have a few hundred lines at most.
MAX_LINES = 2_000
#: Levels of list items, quotes and indentation on one line. Python-Markdown recurses
#: per level and fails with RecursionError at 250-500 levels; real decisions use 1-3.
MAX_DEPTH = 20
#: Headings in a body. The table of contents makes headings with one text unique by
#: trying ``_1``, ``_2``, ... in turn: quadratic in the number of headings.
MAX_HEADINGS = 200
#: ``[TOC]`` markers. Each is replaced by the table of contents with a search of its
#: parent: quadratic in their number (12 500 markers take 7 s).
MAX_TOC_MARKERS = 5
#: Headings, rules (``---``), admonitions (``!!!``) and link definitions (``[x]: url``)
#: in one paragraph. Python-Markdown splits the paragraph at each and parses the rest
#: again: quadratic (1 500 headings in one 10 KB paragraph take 2 s).
MAX_SPLITS_PER_PARAGRAPH = 10
#: ``|`` in a body: each makes a table cell (16 µs each; 33 000 in one 100 KB table
#: take 0.5 s). A table of 200 rows and 10 columns has 2 200.
MAX_PIPES = 4_000
#: Markdown marks in a body: ``*``, ``_``, backtick, ``[``, ``<``, ``&``, backslash.
#: Each can make an element costing up to 90 µs (a relative link MkDocs resolves).
MAX_MARKS = 2_000
#: The same marks in one paragraph (list item, table row): each element found copies
#: the paragraph once, quadratic in a long paragraph full of marks.
MAX_MARKS_PER_PARAGRAPH = 500
#: ``*`` and ``_`` in one paragraph. Nested emphasis recurses once per level (1 000
#: levels fail with RecursionError); each level takes two marks.
MAX_EMPHASIS_PER_PARAGRAPH = 200
#: Backticks in one paragraph. Each one that starts no code span is scanned past to the
#: paragraph's end, character by character (5 000 take 2.6 s in 20 KB).
MAX_BACKTICKS_PER_PARAGRAPH = 20
#: ``[`` without its ``]``, or a link's ``](`` without its ``)``, in one paragraph: each
#: is scanned past to the paragraph's end, three times (5 000 take 2.5 s in 5 KB).
MAX_UNCLOSED_PER_PARAGRAPH = 3
#: Nested ``[`` brackets: each level is scanned past to its ``]``, three times.
#: ``[[maskera: [länk](url)]]`` is three levels.
MAX_BRACKET_DEPTH = 4
#: HTML tags and comments never closed by ``>`` or ``-->``, and ``&#`` that start no
#: character reference: the HTML parsers scan past each to the end of the page (12 500
#: ``<a`` take 2 s in 50 KB).
MAX_UNCLOSED_HTML = 10


@dataclass(frozen=True)
class _Unit:
    """A paragraph as Python-Markdown's inline parser sees it, or a larger span."""

    line: int  # 1-based line within the body
    text: str


def body_limit_problems(body: str, source: str, body_line: int) -> list[Problem]:
    """Problems for a case body that Markdown would render slowly or not at all.

    ``body`` starts on file line ``body_line``; every problem names the file line of
    what it is about. A body over :data:`MAX_CHARS` gets only that problem: the other
    checks are linear, but need not run on what is refused anyway.
    """

    def problem(line: int, message: str) -> Problem:
        return Problem(source, body_line - 1 + line, None, message)

    if len(body) > MAX_CHARS:
        return [problem(1, f"has a body of {len(body)} characters; expected at most "
                           f"{MAX_CHARS} characters")]
    problems: list[Problem] = []
    lines = body.count("\n") + (0 if body.endswith("\n") else 1)
    if lines > MAX_LINES:
        problems.append(problem(1, f"has a body of {lines} lines; expected at most "
                                   f"{MAX_LINES} lines"))
    for line, depth in _too_deep(body):
        problems.append(problem(line, f"nests lists, quotes or indented blocks {depth} "
                                      f"levels deep; expected at most {MAX_DEPTH} levels"))
        break
    if lines > MAX_HEADINGS:
        headings = [m.start() for m in _HEADING.finditer(body)]
        if len(headings) > MAX_HEADINGS:
            line = _line_at(body, headings[MAX_HEADINGS])
            problems.append(problem(line, f"has {len(headings)} headings; expected at most "
                                          f"{MAX_HEADINGS} headings"))
    marks = {mark: body.count(mark) for mark in _MARKS}
    toc_markers = body.count("[TOC]") if marks["["] > MAX_TOC_MARKERS else 0
    if toc_markers > MAX_TOC_MARKERS:
        line = _line_at(body, _nth(body, "[TOC]", MAX_TOC_MARKERS))
        problems.append(problem(line, f"has {toc_markers} '[TOC]' markers; expected at most "
                                      f"{MAX_TOC_MARKERS}"))
    if marks["`"] >= 3 or "~" in body:
        problems += [problem(line, message) for line, message in _fence_problems(body)]
    if marks["<"] and "<![" in body:
        problems += [problem(line, message) for line, message in _marked_sections(body)]
    if "//" in body:
        problems += [problem(line, message) for line, message in _unreadable_hosts(body)]
    if marks["<"] + marks["&"] > MAX_UNCLOSED_HTML:
        problems += [problem(line, message) for line, message in _html_problems(body)]
    pipes = body.count("|")
    if pipes > MAX_PIPES:
        problems.append(problem(1, f"has {pipes} '|' (table cells); expected at most "
                                   f"{MAX_PIPES}"))
    total_marks = sum(marks.values())
    if total_marks > MAX_MARKS:
        problems.append(problem(1, f"has {total_marks} Markdown marks ({_MARK_NAMES}); "
                                   f"expected at most {MAX_MARKS}"))
    problems += [problem(line, message)
                 for line, message in _paragraph_problems(body, marks, lines)]
    return problems


# -- nesting ------------------------------------------------------------------------------

#: A line whose start could hold more than MAX_DEPTH levels: every level takes at least
#: one character of these (``>``, a list marker, a tab, or four spaces). Anchored on the
#: newline before the line rather than ``^``: the regex engine then skips ahead to
#: newlines, eight times faster.
_DEEP_CANDIDATE = re.compile(rf"\n[ \t>*+\-0-9.)]{{{MAX_DEPTH + 1}}}")
#: Whitespace, quote markers and list markers at the start of a line.
_CONTAINERS = re.compile(r"(?:[ \t]|>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))*", re.MULTILINE)
#: One quote or list marker, with the space that belongs to it.
_MARKER = re.compile(r"(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))[ ]?")


def _too_deep(body: str) -> Iterator[tuple[int, int]]:
    """(line, levels) of lines nested deeper than :data:`MAX_DEPTH`.

    Levels are quote and list markers plus the rest of the indentation in steps of four
    columns (tabs count four): an over-estimate where text is indented further than
    its marker needs, never an under-estimate. Lines of only whitespace nest nothing.
    """
    text = "\n" + body  # so that the first line has a newline before it too
    for candidate in _DEEP_CANDIDATE.finditer(text):
        prefix = _CONTAINERS.match(body, candidate.start())  # the line, in ``body``
        assert prefix is not None  # the pattern matches the empty string
        markers = len(_MARKER.findall(prefix[0]))
        blank = prefix.end() == len(body) or body[prefix.end()] == "\n"
        if blank and not markers:
            continue
        depth = markers + _MARKER.sub("", prefix[0]).expandtabs(4).count(" ") // 4
        if depth > MAX_DEPTH:
            yield _line_at(body, candidate.start()), depth


# -- headings and paragraph splits -------------------------------------------------------

#: A line that is a heading (``#``, after quote or list markers) or a setext underline
#: (``===``, ``---``; a rule counts too, which only over-counts).
_HEADING = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(?:#|(?:=+|-+)[ \t]*$)",
                      re.MULTILINE)
#: A line at which Python-Markdown splits a paragraph: heading, setext underline or
#: rule, admonition, link definition. Matches the newline before it (see _DEEP_CANDIDATE).
_SPLIT = re.compile(r"\n(?=[ \t>]*(?:#|!!!|\[[^\]\n]*\]:|[-=*_](?:[ \t]*[-=*_])*[ \t]*"
                    r"(?:\n|$)))")


# -- fenced code -------------------------------------------------------------------------

#: An opening fence as the fenced_code extension accepts it (its FENCED_BLOCK_RE up to
#: the code): at the start of a line, three or more backticks or tildes, then nothing,
#: a language, ``{attributes}`` or ``hl_lines="..."`` (which may run over lines).
_FENCE_OPEN = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|(?:\.?[\w#.+-]*[ ]*)?"
    r"(?:hl_lines=(?P<q>\"|')(?s:.*?)(?P=q)[ ]*)?)$", re.MULTILINE)


def _fence_problems(body: str) -> Iterator[tuple[int, str]]:
    """An opening fence never closed: the extension searches the rest of the page for
    its end, once for every code block after it (0.6 s for 440 such fences in 50 KB).
    An unclosed fence is a mistake anyway: the code would be published as text."""
    position = 0
    while (opening := _FENCE_OPEN.search(body, position)) is not None:
        fence = opening["fence"]
        closing = re.compile(r"^" + re.escape(fence) + r"[ ]*$", re.MULTILINE)
        found = closing.search(body, opening.end() + 1)
        if found is None:
            yield (_line_at(body, opening.start()),
                   f"opens a code block with '{fence}' that is never closed; expected a "
                   f"line '{fence}' after the code")
            return
        position = found.end()


# -- HTML --------------------------------------------------------------------------------

#: Where MkDocs' and Python-Markdown's HTML parsers start a tag, comment, declaration or
#: processing instruction, and where they start a character reference.
_HTML_START = re.compile(r"<[A-Za-z/!?]|&#")
#: A tag from ``<`` to its ``>``, quoted attribute values skipped: a ``>`` in quotes does
#: not end a tag, so this ends no earlier than the parsers' own scan.
_TAG = re.compile(r"<[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>")
#: A complete character reference as Python's HTML parser reads one.
_CHARREF = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]")


def _html_problems(body: str) -> Iterator[tuple[int, str]]:
    """HTML the parsers cannot close. Each such ``<`` or ``&#`` makes them search the
    rest of the page; they then go on from the next character, so N of them cost N
    passes over the page. Closed tags and comments are skipped whole, as the parsers
    do."""
    unclosed: list[int] = []
    position = 0
    # Each unclosed one costs this check a search of the rest too: stop at one too many.
    while len(unclosed) <= MAX_UNCLOSED_HTML and (
            start := _HTML_START.search(body, position)) is not None:
        at = start.start()
        if body.startswith("&#", at):
            closed: int | None = at + 2 if _CHARREF.match(body, at) else None
        elif body.startswith("<!--", at):
            end = body.find("-->", at + 4)
            closed = None if end < 0 else end + 3
        else:
            tag = _TAG.match(body, at)
            closed = None if tag is None else tag.end()
        if closed is None:
            unclosed.append(at)
            position = at + 1
        else:
            position = closed
    if len(unclosed) > MAX_UNCLOSED_HTML:
        yield (_line_at(body, unclosed[0]),
               "opens HTML with '<' or '&#' that is not closed (by '>', '-->' or ';') more "
               f"than {MAX_UNCLOSED_HTML} times; expected at most {MAX_UNCLOSED_HTML}")


# -- what MkDocs fails on --------------------------------------------------------------

#: ``<![`` opens a "marked section" in MkDocs' HTML parser (Python's ``html.parser``),
#: which raises AssertionError unless a keyword it knows follows. Fenced code is hidden
#: from that parser, but as everywhere here it gets no exemption.
_BAD_MARKED_SECTION = re.compile(
    r"<!\[(?!(?:cdata|temp|ignore|include|rcdata|if|else|endif)(?![-_.a-z0-9]))",
    re.IGNORECASE)
#: ``//`` and what ``urlsplit`` then reads as the host: up to ``/``, ``?`` or ``#``, or
#: where a link's address surely ends (``)``, ``<``, ``>``, a blank line). Python-Markdown
#: hides code spans and escaped characters before it looks for links, so they end
#: nothing here; a quote ends nothing either (a title it cannot read stays in the
#: address). Line breaks stay in: urlsplit drops them.
_HOST = re.compile(r"//(?P<host>(?:[^/?#()<>\n\\`]|\\.|`[^`]*`?|\n(?![ \t]*\n)"
                   r"|\([^/?#()\n]*\))*)", re.DOTALL)
#: What comes before the ``//`` of a link's address, right up to it: an inline link or
#: image ``](``, a definition ``[id]:``, an autolink ``<``, or an attr_list ``href=`` or
#: ``src=``; then the scheme, if any.
_ADDRESS_START = re.compile(
    r"(?:\]\([ \t\n]*<?|\]:[ \t]*\n?[ \t]*<?|<|(?:href|src)[ \t]*=[ \t]*[\"']?)"
    r"(?:[A-Za-z][A-Za-z0-9+.\-]*:)?\Z", re.IGNORECASE)


def _marked_sections(body: str) -> Iterator[tuple[int, str]]:
    bad = _BAD_MARKED_SECTION.search(body)
    if bad is not None:
        yield (_line_at(body, bad.start()),
               "contains '<![' that MkDocs' HTML parser cannot read; expected '<![CDATA[' "
               "or, as text, '&lt;!['")


def _unreadable_hosts(body: str) -> Iterator[tuple[int, str]]:
    """Link addresses whose host ``urlsplit`` refuses: with ``[`` or ``]`` (not a valid
    IPv6 address in brackets, which no decision links to), or with a character that
    NFKC normalisation turns into ``/``, ``?``, ``#``, ``@`` or ``:`` (the fullwidth
    solidus U+FF0F, the account-of sign U+2100)."""
    for match in _HOST.finditer(body):
        host = match["host"]
        if ("[" in host or "]" in host or not _nfkc_safe(host)) and _ADDRESS_START.search(
                body, max(0, match.start() - 200), match.start()):
            shown = " ".join(match[0].split())
            yield (_line_at(body, match.start()),
                   f"links to an address whose host MkDocs cannot read ('{shown}'); "
                   "expected a web address such as https://www.example.se/sida, without "
                   "'[', ']' or look-alikes of '/', '?', '#', '@' or ':' before its path")
            return


def _nfkc_safe(host: str) -> bool:
    """Whether ``urlsplit`` accepts ``host`` (its ``_checknetloc``, reproduced)."""
    if host.isascii():
        return True
    stripped = host.replace("@", "").replace(":", "").replace("#", "").replace("?", "")
    normalised = unicodedata.normalize("NFKC", stripped)
    return normalised == stripped or not any(c in normalised for c in "/?#@:")


# -- paragraphs --------------------------------------------------------------------------

_MARKS = ("*", "_", "`", "[", "<", "&", "\\")
_MARK_NAMES = "*, _, `, [, <, &, \\"
#: Blank lines (spaces and tabs only) between blocks, with the line break before them.
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
#: A block that Python-Markdown parses as a list: its first line is an item.
_LIST_START = re.compile(r"[ ]{0,3}(?:[*+-]|\d+\.)[ ]+")
#: A line that starts a list item of that block or of a list nested in it (Python-
#: Markdown's ``CHILD_RE`` and ``INDENT_RE``), and the marker to leave out.
_ITEM_START = re.compile(r"^(?=[ ]{0,7}(?:[*+-]|\d+\.)[ ]+)", re.MULTILINE)
_ITEM_MARKER = re.compile(r"[ ]{0,7}(?:[*+-]|\d+\.)[ ]+")
#: A table's delimiter row: ``---|:---:`` with or without outer pipes.
_DELIMITER_ROW = re.compile(r"[ ]*\|?[ ]*:?-+:?[ ]*(?:\|[ ]*:?-+:?[ ]*)*\|?[ ]*")
#: A link's ``(address)`` on one line without parentheses or quotes in it.
_SIMPLE_DESTINATION = re.compile(r"\]\([^()\n\"']*\)")
#: ``[...]`` on one line without brackets in it.
_SIMPLE_PAIR = re.compile(r"\[[^\[\]\n]*\]")
#: Fewer ``[`` than this many can exceed neither bracket limit (``](`` needs a ``[``
#: before it to be scanned).
_FEWEST_BRACKETS = min(MAX_UNCLOSED_PER_PARAGRAPH, MAX_BRACKET_DEPTH)
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_BRACKET = re.compile(r"[\[\]]")
_PAREN = re.compile(r"[()]")
#: A link's destination Python-Markdown ends at its ``)`` whatever it holds: no quotes,
#: or a title in matching quotes right before the ``)``.
_PLAIN_DESTINATION = re.compile(r"\([^\"']*(?:\"[^\"]*\"|'[^']*')?[ \t\n]*\)")


def _paragraph_problems(body: str, marks: dict[str, int],
                        lines: int) -> Iterator[tuple[int, str]]:
    """Limits per paragraph: only looked at where the counts over the whole body could
    exceed them, which for real decisions is rarely."""
    splits = lines > MAX_SPLITS_PER_PARAGRAPH and (
        _count_splits(body) > MAX_SPLITS_PER_PARAGRAPH)
    emphasis = marks["*"] + marks["_"] > MAX_EMPHASIS_PER_PARAGRAPH
    backticks = marks["`"] > MAX_BACKTICKS_PER_PARAGRAPH
    all_marks = sum(marks.values()) > MAX_MARKS_PER_PARAGRAPH
    brackets = marks["["] > _FEWEST_BRACKETS and not _simple_brackets(body, marks)
    if not (splits or emphasis or backticks or all_marks or brackets):
        return
    found: dict[str, tuple[int, str]] = {}  # the first problem of each kind
    for block_line, block in _blocks(body):
        if splits and "split" not in found:
            count = _count_splits(block)
            if count > MAX_SPLITS_PER_PARAGRAPH:
                found["split"] = (block_line, (
                    f"has {count} headings, rules, admonitions or link definitions in one "
                    f"paragraph; expected at most {MAX_SPLITS_PER_PARAGRAPH} without blank "
                    "lines between them"))
        # A paragraph's counts bound its pieces': split it only if they could exceed a limit.
        if not ((emphasis and block.count("*") + block.count("_") > MAX_EMPHASIS_PER_PARAGRAPH)
                or (backticks and block.count("`") > MAX_BACKTICKS_PER_PARAGRAPH)
                or (brackets and block.count("[") > _FEWEST_BRACKETS)
                or (all_marks and len(block) > MAX_MARKS_PER_PARAGRAPH
                    and sum(block.count(mark) for mark in _MARKS) > MAX_MARKS_PER_PARAGRAPH)):
            continue
        for unit in _units(block_line, block):
            for kind, message in _unit_problems(unit.text, emphasis, backticks, all_marks,
                                                brackets):
                found.setdefault(kind, (unit.line, message))
    yield from sorted(found.values())


def _simple_brackets(body: str, marks: dict[str, int]) -> bool:
    """Whether the body's brackets surely keep both bracket limits, paragraphs unseen.

    Links with a plain address and brackets closed on their line are removed; if then
    no more than a paragraph's allowance of ``[`` and ``](`` is left, no paragraph can
    nest deeper or leave more open (nesting one level deeper than what is left needs
    one more ``[``). Escapes and code can hide brackets: then this says nothing.
    """
    if marks["\\"] or marks["`"]:
        return False
    links_done = _SIMPLE_DESTINATION.sub("]", body)
    rest = _SIMPLE_PAIR.sub("", links_done)
    return rest.count("[") + links_done.count("](") <= _FEWEST_BRACKETS


def _count_splits(text: str) -> int:
    return len(_SPLIT.findall("\n" + text))


def _unit_problems(text: str, emphasis: bool, backticks: bool, all_marks: bool,
                   brackets: bool) -> Iterator[tuple[str, str]]:
    if emphasis:
        count = text.count("*") + text.count("_")
        if count > MAX_EMPHASIS_PER_PARAGRAPH:
            yield "emphasis", (f"has {count} '*' or '_' in one paragraph; expected at most "
                               f"{MAX_EMPHASIS_PER_PARAGRAPH}")
    if backticks:
        count = text.count("`")
        if count > MAX_BACKTICKS_PER_PARAGRAPH:
            yield "backticks", (f"has {count} '`' in one paragraph; expected at most "
                                f"{MAX_BACKTICKS_PER_PARAGRAPH}")
    if all_marks:
        count = sum(text.count(mark) for mark in _MARKS)
        if count > MAX_MARKS_PER_PARAGRAPH:
            yield "marks", (f"has {count} Markdown marks ({_MARK_NAMES}) in one paragraph; "
                            f"expected at most {MAX_MARKS_PER_PARAGRAPH}")
    if brackets and text.count("[") > _FEWEST_BRACKETS:
        depth, unclosed = _bracket_shape(text)
        if depth > MAX_BRACKET_DEPTH:
            yield "depth", (f"nests '[' brackets {depth} levels deep; expected at most "
                            f"{MAX_BRACKET_DEPTH} levels")
        if unclosed > MAX_UNCLOSED_PER_PARAGRAPH:
            yield "unclosed", (f"has {unclosed} '[' or '](' without a closing ']' or ')' in "
                               f"one paragraph; expected at most {MAX_UNCLOSED_PER_PARAGRAPH}")


def _bracket_shape(text: str) -> tuple[int, int]:
    """(deepest ``[`` nesting, ``[`` and ``](`` left unclosed) in one paragraph.

    Backslash escapes are removed as Python-Markdown removes them before it looks for
    links. A ``]`` between the first and the last backtick may be code, hidden from the
    link scanner: it closes nothing here, so an estimate errs towards refusing.
    """
    text = _ESCAPE.sub("  ", text)
    first, last = text.find("`"), text.rfind("`")
    if first < last:
        text = text[:first] + text[first:last].replace("]", " ") + text[last:]
    depth = deepest = unclosed = 0
    for match in _BRACKET.finditer(text):
        if match[0] == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    unclosed = depth
    if "](" in text:
        closes: dict[int, int] = {}
        opened: list[int] = []
        for match in _PAREN.finditer(text):
            if match[0] == "(":
                opened.append(match.start())
            elif opened:
                closes[opened.pop()] = match.end()
        start = text.find("](")
        while start >= 0:
            end = closes.get(start + 1)
            if end is None or not _PLAIN_DESTINATION.fullmatch(text, start + 1, end):
                unclosed += 1
            start = text.find("](", start + 2)
    return deepest, unclosed


def _blocks(body: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of each run of non-blank lines (and of leading blank lines)."""
    line, position = 1, 0
    for blank in _BLANK_LINES.finditer(body):
        block = body[position:blank.start()]
        yield line, block
        line += block.count("\n") + blank[0].count("\n")
        position = blank.end()
    if position < len(body):
        yield line, body[position:]


def _units(line: int, block: str) -> Iterator[_Unit]:
    """The spans of a block that Python-Markdown parses inline as one piece, or larger.

    Only two splits are certain: list items (in a block whose first line is one, every
    line with a marker indented less than eight spaces starts an item) and table rows
    (a header indented less than four spaces and a delimiter row of as many columns,
    without code or escapes that could hide a pipe). Anything else stays whole, which
    over-counts and never under-counts.
    """
    first_line, _, rest = block.partition("\n")
    if _LIST_START.match(first_line):
        starts = [m.start() for m in _ITEM_START.finditer(block)]
        for begin, end in zip(starts, [*starts[1:], len(block)], strict=True):
            item = block[begin:end]
            marker = _ITEM_MARKER.match(item)
            assert marker is not None
            yield _Unit(line + block.count("\n", 0, begin), item[marker.end():])
        return
    delimiter, _, _ = rest.partition("\n")
    if _is_table(first_line, delimiter):
        for number, row in enumerate(block.split("\n")):
            yield _Unit(line + number, row)
        return
    yield _Unit(line, block)


def _is_table(header: str, delimiter: str) -> bool:
    """Whether the tables extension surely makes a table of this block (as its
    ``TableProcessor.test``): outer pipes are cut from both rows if the header has any."""
    if (header.startswith(("    ", "\t")) or "`" in header or "\\" in header
            or not _DELIMITER_ROW.fullmatch(delimiter)):
        return False  # indented: code; or a pipe in code or escaped: not counted here
    header, delimiter = header.strip(" "), delimiter.strip(" ")
    border = header.startswith("|") or header.endswith("|")
    columns = _columns(header, border)
    return columns > 1 and columns == _columns(delimiter, border)


def _columns(row: str, border: bool) -> int:
    if border:
        row = row[1:] if row.startswith("|") else row
        row = row[:-1] if row.endswith("|") else row
    return row.count("|") + 1


# -- positions ---------------------------------------------------------------------------

def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _nth(text: str, needle: str, n: int) -> int:
    """Index of the ``n``-th (0-based) occurrence of ``needle``; it must exist."""
    index = -1
    for _ in range(n + 1):
        index = text.find(needle, index + 1)
    return index
