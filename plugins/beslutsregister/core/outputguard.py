"""The last guard: every file a build would publish, read as readers and machines read it.

The checks on case files (:mod:`~beslutsregister.privacy`) give good messages, but they
look at the source, and a source can say one thing in a syntax they did not foresee: a
YAML escape, an HTML entity for the hyphen, emphasis or a table cell between the parts
of a number, a hook of another plugin. What is published is what matters, so before a
build is swapped in (:mod:`~beslutsregister.staging`) this module reads every output
file the way its reader would:

* **HTML and XML** (pages, feeds, sitemap) as visible text: comments and attribute
  values (``alt``, ``title``, ``content``) on their own, inline tags (``<em>``,
  ``<a>``) removed, other tags as a space, entities decoded, soft hyphens and
  zero-width characters dropped;
* **JSON** (exports, the search index) as its decoded string values, each on its own;
* **gzip** files decompressed first, then read by what they hold;
* **everything else** as text (CSV, JavaScript, CSS) or, for binary files, as Latin-1,
  where a number written with its hyphen, or a name, would still show.

It fails on a valid personal identity or coordination number (any separator,
whitespace, line break or markup between its parts) and on any protected person's name
or e-mail address. Findings name the case file and field where they can be told
(:func:`attribute`), else the output file; numbers are always masked.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from stat import S_ISREG
from urllib.parse import unquote

from .model import Case
from .privacy import ProtectedPeople, find_identity_numbers, mask_text

#: Elements that sit inside a line of text: their tags vanish (``6408<em>23</em>``
#: reads 640823). Every other tag separates, as a browser lays it out.
#: (a, abbr, b, bdi, bdo, cite, code, data, del, dfn, em, i, ins, kbd, mark, q, s, samp,
#: small, span, strong, sub, sup, time, u, var, wbr), written as a tree of prefixes: an
#: alternation of the names is tried name by name at every tag, 60 % slower.
_INLINE_NAMES = (r"</?(?:a(?:bbr)?|b(?:d[io])?|c(?:ite|ode)|d(?:ata|el|fn)|em|i(?:ns)?"
                 r"|kbd|mark|q|s(?:amp|mall|pan|trong|u[bp])?|time|u|var|wbr)(?=[\s/>])[^>]*>")
#: Tags as MkDocs, Material and the sanitizer write them (lower case) are matched without
#: IGNORECASE, 45 % faster; a page with a tag in capitals (another plugin's) gets both.
_INLINE_TAG = re.compile(_INLINE_NAMES)
_INLINE_TAG_ANY_CASE = re.compile(_INLINE_NAMES, re.IGNORECASE)
_CAPITAL_TAG = re.compile(r"</?[A-Z]")
#: A tag as a browser reads one: ``<`` then a letter, ``/``, ``!`` or ``?``. A ``<`` before
#: anything else is text (``1 < 2``), and taking it for a tag would hide what follows.
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_ATTRIBUTE_VALUE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
#: Invisible to a reader, so nothing between two digits or two letters of a name.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
#: Marks the text of a binary file (fonts, images), where only a number written with
#: its hyphen or plus counts: ten digits in a row occur in a font's tables by chance
#: (two Font Awesome files hold valid-looking ones), a written-out number does not.
_BINARY = "\x00binary\x00"
_WRITTEN_OUT = re.compile(r"\d[-+]\*")
#: Joins separately read values: no whitespace, so no number or name spans two of them.
_APART = "\x00"

_MARKUP = frozenset({".html", ".htm", ".xml", ".svg", ".rdf", ".atom", ".rss", ".xhtml"})
_JSON = frozenset({".json", ".webmanifest", ".geojson", ".jsonld"})
_TEXT = frozenset({".csv", ".txt", ".js", ".mjs", ".css", ".md", ".map", ".tsv", ".ics"})

NUMBER_ADVICE = ("expected no personal identity or coordination numbers: remove it or mask "
                 "it with [[maskera: ...]]")
NAME_ADVICE = "expected no protected person's name or e-mail address anywhere"


@dataclass(frozen=True)
class Leak:
    """Something in a built file that must not be published.

    ``output`` is the file's path in the site folder; ``number`` the digits of an
    identity number (never shown: ``masked`` is), or empty for a protected name;
    ``source`` and ``field`` where it came from, when :func:`attribute` can tell.
    """

    output: str
    masked: str = ""
    number: str = ""
    protected_in: str = ""
    source: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        if self.field:
            where += f"field '{self.field}': "
        if self.number:
            what = f"a personal identity number ({self.masked})"
            advice = NUMBER_ADVICE
        else:
            what = ("the name or e-mail address of a person whose identity is protected "
                    f"(in {self.protected_in})")
            advice = NAME_ADVICE
        return f"{where}{self.output} would publish {what}; {advice}"


# -- reading files as their readers do ----------------------------------------------------


def markup_text(markup: str) -> str:
    """What a reader of this HTML or XML can see or hear, as one text: the visible text,
    then comments and attribute values, each apart from the rest."""
    comments = _COMMENT.findall(markup) if "<!--" in markup else []
    if comments:
        markup = _COMMENT.sub(" ", markup)
    values = [a or b for a, b in _ATTRIBUTE_VALUE.findall(markup) if a or b]
    values += [unquote(value) for value in values if "%" in value]  # addresses, decoded
    inline = _INLINE_TAG_ANY_CASE if _CAPITAL_TAG.search(markup) else _INLINE_TAG
    text = _TAG.sub(" ", inline.sub("", markup))
    return _readable(_APART.join([text, *comments, *values]))


def _readable(text: str) -> str:
    """Entities decoded, invisible characters dropped, and folded: lower case, every run
    of whitespace one space (how :meth:`ProtectedPeople.find` wants a folded text; an
    identity number's parts may still have a space between them)."""
    if "&" in text:
        text = html.unescape(text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    return " ".join(text.lower().split())


def json_text(data: object) -> str:
    """Every string of a JSON document, each apart (markup in one read as a reader would)."""
    strings: list[str] = []
    _strings(data, strings)
    strings += [unquote(value) for value in strings if "%" in value]  # addresses, decoded
    plain = _APART.join(s for s in strings if "<" not in s)
    # Markup is read string by string: a tag's '<' in one value and '>' in another
    # would otherwise swallow every value between them.
    return _APART.join([_readable(plain), *(markup_text(s) for s in strings if "<" in s)])


def _strings(data: object, into: list[str]) -> None:
    if isinstance(data, str):
        into.append(data)
    elif isinstance(data, dict):
        for key, value in data.items():
            into.append(key)
            _strings(value, into)
    elif isinstance(data, list):
        for value in data:
            _strings(value, into)


def readable_text(name: str, data: bytes) -> str:
    """The text of one output file, by what it is (see the module's docstring), folded
    (lower case, single spaces); a binary file's as Latin-1, behind a marker."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return _BINARY + data.decode("latin-1")  # not really gzip: read as bytes
        name = name.removesuffix(".gz")
        suffix = os.path.splitext(name)[1].lower()
        if suffix not in _MARKUP | _JSON | _TEXT:  # the search index's .bin: sniff
            suffix = _sniff(data)
    else:
        suffix = os.path.splitext(name)[1].lower()
    if suffix in _MARKUP or suffix in _JSON or suffix in _TEXT:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return _BINARY + data.decode("latin-1")
        if suffix in _MARKUP:
            return markup_text(text)
        if suffix in _JSON:
            try:
                return json_text(json.loads(text))
            except ValueError:
                return _readable(text)
        return _readable(text)
    return _BINARY + data.decode("latin-1")


def _sniff(data: bytes) -> str:
    start = data.lstrip()[:1]
    if start in (b"{", b"["):
        return ".json"
    if start == b"<":
        return ".html"
    return ".bin"


# -- scanning ------------------------------------------------------------------------------


def guard_digest(output: str, data: bytes) -> bytes:
    """What a verdict is kept under: the file's place (its name decides how it is
    read: as markup, JSON, text or binary) and its bytes."""
    digest = hashlib.blake2b(output.encode("utf-8"), digest_size=16)
    digest.update(b"\0")
    digest.update(data)
    return digest.digest()



def scan_text(output: str, text: str, people: ProtectedPeople) -> list[Leak]:
    """Leaks in one output file's readable text (:func:`readable_text`)."""
    leaks = []
    binary = text.startswith(_BINARY)
    for hit in find_identity_numbers(text):
        if binary and not _WRITTEN_OUT.search(hit.masked):
            continue  # ten digits in a row occur in fonts and images by chance
        leaks.append(Leak(output, masked=hit.masked, number=hit.digits))
    found = people.find(text, folded=not binary)
    if found is not None:
        leaks.append(Leak(output, protected_in=found[1]))
    return leaks


def output_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(path in the site with '/', path) of every file under ``folder``, sorted."""
    for directory, subfolders, names in os.walk(folder):
        subfolders.sort()
        for name in sorted(names):
            path = Path(directory, name)
            yield path.relative_to(folder).as_posix(), path


class SiteScan:
    """The scan of one site folder, file by file as a build writes them, then all of it.

    A build's second process scans each page as soon as it is written
    (:meth:`scan`), while the next pages render; :meth:`sweep` then reads every file
    not scanned yet, or changed since (size or modification time), so what is on disk
    at the end is what was scanned, whatever wrote it and whenever.
    """

    def __init__(self, folder: Path, people: ProtectedPeople,
                 known: set[bytes] | None = None) -> None:
        self.folder = folder
        self.people = people
        #: Digests (:func:`~beslutsregister.core.buildcache.guard_digest`) of files found
        #: clean by an earlier build for the same people (None: no cache). A file with
        #: one of them is still read, hashed and swept, but not searched again; the
        #: digests of this build's clean files collect in :attr:`clean`, by output (the
        #: build cache keeps a case page under it too: no second reading).
        self.known = known
        self.clean: dict[str, bytes] = {}
        self.reused = 0  # files not searched again, by their digest
        self.seen: dict[str, tuple[int, int]] = {}  # output -> (size, mtime) as scanned
        self.leaks: dict[str, list[Leak]] = {}
        self.files = 0  # scanned, counting a file scanned again once more
        self.seconds = 0.0  # spent scanning (for benchmarks)

    def scan(self, output: str) -> None:
        """Scan one file (a path in the site, with '/'); a link is not followed."""
        path = self.folder / output
        try:
            state = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            return  # the sweep says nothing of a file that is gone
        if not S_ISREG(state.st_mode):
            return  # a build writes files; a link's target is read where it lives
        self.seen[output] = (state.st_size, state.st_mtime_ns)  # before reading: a later
        start = time.perf_counter()
        data = path.read_bytes()
        digest = guard_digest(output, data) if self.known is not None else None
        if digest is not None and digest in self.known:  # type: ignore[operator]
            found = []
            self.reused += 1
        else:
            found = scan_text(output, readable_text(output, data), self.people)
        if digest is not None and not found:
            self.clean[output] = digest
        else:
            self.clean.pop(output, None)
        self.seconds += time.perf_counter() - start
        self.files += 1
        if found:  # change shows in the sweep
            self.leaks[output] = found
        else:
            self.leaks.pop(output, None)

    def scan_path(self, path: Path) -> None:
        """:meth:`scan` a file given by its path, if it lies in the site folder."""
        if path.is_relative_to(self.folder):
            self.scan(path.relative_to(self.folder).as_posix())

    def sweep(self, only: Callable[[str], bool] | None = None) -> list[Leak]:
        """Scan what is new or changed under the folder (of the files ``only`` accepts);
        every leak there now, in order."""
        present = set()
        for output, path in output_files(self.folder):
            if only is not None and not only(output):
                continue
            present.add(output)
            try:
                state = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                continue
            if self.seen.get(output) != (state.st_size, state.st_mtime_ns):
                self.scan(output)
        for gone in set(self.leaks) - present:
            del self.leaks[gone]
        return [leak for output in sorted(self.leaks) for leak in self.leaks[output]]


def pages_and_index(index_dir: str) -> Callable[[str], bool]:
    """The files a build's second process scans: the pages (as they are written) and the
    search index (as it writes it); the build itself scans the rest at the end."""
    prefix = index_dir.strip("/") + "/"
    return lambda output: output.endswith(".html") or output.startswith(prefix)


def scan_site(folder: Path, people: ProtectedPeople) -> list[Leak]:
    """Every leak in every file under ``folder`` (a built site, before it is published)."""
    return SiteScan(folder, people).sweep()


# -- where a leak came from ----------------------------------------------------------------


def attribute(leaks: Iterable[Leak], cases: Iterable[Case],
              sources: Mapping[str, str]) -> list[Leak]:
    """The leaks with the case file and field they came from, where that can be told.

    ``sources`` maps an output file to its source (a case page to its case file, a docs
    page to ``docs/...``). A number is looked for in the fields of that case, or of
    every case for a file many cases share (an export, the index); a protected name is
    attributed to its output's source only.
    """
    cases = list(cases)
    by_source = {case.source: case for case in cases}
    attributed = []
    for leak in leaks:
        source = sources.get(leak.output)
        if leak.number:
            own = by_source.get(source) if source is not None else None
            for case in [own] if own is not None else cases:
                field = _field_with(case, leak.number)
                if field is not None:
                    source, leak = case.source, replace(leak, field=field or None)
                    break
        attributed.append(replace(leak, source=source))
    return attributed


def _field_with(case: Case, digits: str) -> str | None:
    """The field of ``case`` whose readable text holds the identity number ``digits``;
    ``""`` for the body, ``None`` if none does."""
    for field, text in _case_texts(case):
        if any(hit.digits == digits for hit in find_identity_numbers(_readable_body(text))):
            return field
    return None


def _readable_body(text: str) -> str:
    return markup_text(text.replace("*", "").replace("_", "").replace("|", " "))


def _case_texts(case: Case) -> Iterator[tuple[str, str]]:
    for name in ("diary_number", "title", "unit", "delegation", "reported_to"):
        value = getattr(case, name)
        if value:
            yield name, value
    yield "officer", " ".join(filter(None, (case.officer.name, case.officer.email,
                                            case.officer.phone)))
    yield "decided_by", " ".join(filter(None, (case.decided_by.name, case.decided_by.role)))
    for index, copy in enumerate(case.copy_to):
        yield f"copy_to[{index}]", copy
    if case.project is not None:
        yield "project.name", case.project.name
    for index, source in enumerate(case.funding):
        if source.note:
            yield f"funding[{index}].note", source.note
    yield "", mask_text(case.body)
