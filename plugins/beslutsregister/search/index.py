"""The register's own static search index: small files a browser loads only as needed.

Why not Pagefind or Material's index: Material's search downloads the text of every page
before its first result (62 MB for 10 000 decisions). Pagefind chunks its index, but its
page list costs every search ~9 bytes per page, and a common word's chunk holds every
position of that word on every page; measured at 10 000 decisions, a multi-word project
name downloaded 950 KB, and 2.5 MB at 50 000. Its indexing was also a third of the build
(20 s at 10 000 decisions, and 10 GB of memory at 50 000). The register knows its
documents exactly (fields, facets, a date order), so its index can be smaller:

* **Documents** are the public cases, numbered newest first: sorting by decision date is
  sorting by number, and the date-sorted first page of results needs nothing else.
* **Postings** say, per stem, which documents hold it and how strongly (one weight byte:
  occurrences, weighted by field: title and project count more than body text). No
  positions. Stored as varint deltas, gzipped: a word on every one of 10 000 pages costs
  about 1 KB. A rare stem's postings sit inline in its dictionary chunk; a common one's
  in a file of its own, fetched only when searched.
* **The dictionary** maps every word as written (``samarbeten``) to its stem
  (``samarbet``, Snowball's Swedish stemmer), split alphabetically into chunks of about
  the same size; the manifest lists each chunk's first word. The browser never stems: it
  looks a word up as typed, so the Python and JavaScript sides cannot disagree on stems.
* **Diary numbers** are indexed under their keys (:func:`beslutsregister.search.diary_key`):
  a case under its own number (``run1382024``, weighted above everything), every page
  under each diary number it cites. A query's diary numbers become the same keys.
* **Fragments**: one small gzipped file per case with what a result shows (title, diary
  number, date, unit, link, text for the excerpt), fetched for the results shown.
* **Facets** (year, programme, unit): per value, the documents that have it; one file,
  loaded when the reader asks for facets.

Everything written here comes from :class:`beslutsregister.site.RegisterSite.public` and
the sanitized, masked page bodies: drafts, embargoed cases and masked text never reach it.
``assets/search-engine.js`` reads this format; :func:`read_index` reads it back in Python
(for tests and tools).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import itertools
import json
import pickle
import re
import shutil
import unicodedata
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer

from ..core.grouping import Register
from ..core.model import Case
from ..core.privacy import public_officer
from ..core.swedish import format_date
from .query import DIARY_PATTERN, diary_keys

#: Format version, in the manifest; the browser refuses another.
FORMAT = 1
MANIFEST = "index.json"
#: Words of letters and digits. The browser's tokenizer is ``/[\p{L}\p{N}]+/gu``.
TOKEN = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")
#: The pilcrow links Markdown's table of contents puts after headings: not text.
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')
_SPACE = re.compile(r"\s+")

#: Weight of one occurrence, by field. A case's own diary-number key outranks all.
WEIGHT_OWN_KEY = 200
WEIGHT_TITLE = 10
WEIGHT_PROJECT = 8
WEIGHT_DIARY = 4
WEIGHT_META = 3  # unit, officer, programme names
WEIGHT_BODY = 1
WEIGHT_CITED_KEY = 2
MAX_WEIGHT = 255

#: Postings of at most this many bytes live inline in their dictionary chunk.
INLINE_BYTES = 48
#: A dictionary chunk is closed when its JSON passes this many characters.
CHUNK_CHARS = 24_000
#: Text kept in a fragment for excerpts.
FRAGMENT_TEXT = 4_000

FACET_YEAR = "År"
FACET_PROGRAMME = "Program"
FACET_UNIT = "Enhet"


class SearchIndexError(RuntimeError):
    """The index cannot be written as asked (message says why)."""


# -- words -------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Lower-case words; digits lose leading zeros (``0138`` -> ``138``), as typed queries do."""
    found = TOKEN.findall(unicodedata.normalize("NFC", text).lower())
    return [_strip_zeros(t) if t[0] == "0" and t.isascii() and t.isdigit() else t
            for t in found]


def _strip_zeros(digits: str) -> str:
    return digits.lstrip("0") or "0"


def html_text(fragment: str) -> str:
    """Plain text of sanitized HTML: tags dropped, entities decoded, spaces collapsed."""
    text = _TAG.sub(" ", _HEADERLINK.sub("", fragment))
    return _SPACE.sub(" ", html.unescape(text)).strip()


#: Where a diary number (:data:`DIARY_PATTERN`) may be: digits, separators, digits.
_DIGIT_RUN = re.compile(r"[0-9]+(?:[\s/.:_-]+[0-9]+)+")
#: How far before its digits a diary number may begin (``diarienummer: RUN/``), give or
#: take the rest of a word.
_LOOK_BACK = 64


def cited_keys(text: str) -> list[str]:
    """Keys of every diary number written in ``text`` (``Se RUN/138/2024`` -> both keys).

    The same matches as ``DIARY_PATTERN.finditer(text)``, four times faster on a decision
    (0.25 -> 0.06 ms): the pattern only runs near digits, where its matches must be.
    """
    keys: list[str] = []
    end = 0
    for run in _DIGIT_RUN.finditer(text):
        if run.end() <= end:
            continue
        start = max(end, run.start() - _LOOK_BACK)
        while start > end and (text[start - 1].isalnum() or text[start - 1] == "-"):
            # not from the middle of a word (or of letters in groups: RUN-A)
            start -= 1
        match = DIARY_PATTERN.search(text, start)
        while match is not None and match.start() < run.end():
            keys += diary_keys(match["number"])
            end = match.end()
            match = DIARY_PATTERN.search(text, end) if end < run.end() else None
    return keys


class Stemmer:
    """Snowball's Swedish stemmer, memoised: a register repeats its words a lot."""

    def __init__(self) -> None:
        self._stem = snowballstemmer.stemmer("swedish").stemWord
        self._known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._known.get(word)
        if stem is None:
            stem = word if len(word) < 4 or not word.isalpha() else self._stem(word)
            self._known[word] = stem
        return stem

    def learn(self, words: list[str], stems: list[str]) -> None:
        """Words seen with their stems, from an earlier build (:meth:`SearchIndexWriter.
        add_parts`)."""
        self._known.update(zip(words, stems, strict=True))

    @property
    def words(self) -> dict[str, str]:
        """Every word seen, with its stem."""
        return self._known


# -- encoding ----------------------------------------------------------------------------


def varints(numbers: Iterable[int]) -> bytes:
    """LEB128: seven bits a byte, low first, high bit set on all but the last."""
    out = bytearray()
    for n in numbers:
        while n >= 0x80:
            out.append((n & 0x7F) | 0x80)
            n >>= 7
        out.append(n)
    return bytes(out)


def read_varints(data: bytes, count: int, offset: int = 0) -> tuple[list[int], int]:
    numbers = []
    for _ in range(count):
        n = shift = 0
        while True:
            byte = data[offset]
            offset += 1
            n |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
        numbers.append(n)
    return numbers, offset


def encode_postings(docs: Sequence[int], weights: bytes | None) -> bytes:
    """``count, doc deltas..., weights...`` (ascending documents; weights optional)."""
    deltas = [docs[0], *(b - a for a, b in itertools.pairwise(docs))] if docs else []
    encoded = bytes(deltas) if deltas and max(deltas) < 0x80 else varints(deltas)
    return varints([len(docs)]) + encoded + (weights or b"")


def decode_postings(data: bytes, weighted: bool = True) -> list[tuple[int, int]]:
    """Inverse of :func:`encode_postings`: ``[(doc, weight), ...]`` (weight 1 if none)."""
    (count,), offset = read_varints(data, 1)
    deltas, offset = read_varints(data, count, offset)
    docs, doc = [], 0
    for i, delta in enumerate(deltas):
        doc = delta if i == 0 else doc + delta
        docs.append(doc)
    weights = list(data[offset:offset + count]) if weighted else [1] * count
    return list(zip(docs, weights, strict=True))


def _gzip(data: bytes) -> bytes:
    """Deterministic gzip (no time stamp); level 6: level 9 took longer for 1 % less."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# -- building ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexSummary:
    documents: int
    words: int
    files: int
    bytes: int


@dataclass(frozen=True)
class IndexDocument:
    """What the index needs of one public case, as plain values (cheap to send to a worker).

    ``number`` is the document's place in the register, newest first.
    """

    number: int
    url: str
    title: str
    diary_number: str
    date: str  # as shown: "23 februari 2024"
    year: str
    unit: str
    project: str
    officer: str  # empty when protected: the index never holds a protected name
    programmes: tuple[str, ...]  # names

    @classmethod
    def of(cls, number: int, case: Case, register: Register, url: str) -> IndexDocument:
        officer = public_officer(case)
        return cls(
            number, url, case.title, case.diary_number, format_date(case.date),
            str(case.year), case.unit, case.project.name if case.project else "",
            officer.name if officer else "",
            tuple(register.programmes[p].name if p in register.programmes else p
                  for p in case.programme_ids))


def documents_of(register: Register, url_of: Callable[[Case], str]) -> dict[str, IndexDocument]:
    """The register's cases as index documents, by slug, numbered in register order."""
    return {case.slug: IndexDocument.of(number, case, register, url_of(case))
            for number, case in enumerate(register.cases)}


@dataclass
class _Postings:
    docs: array  # type: ignore[type-arg]
    weights: bytearray


def _field_weights(document: IndexDocument, body: str) -> dict[str, int]:
    """Each word of a document with its weight: occurrences times the field's weight."""
    words: dict[str, int] = {}

    def add(text: str, weight: int) -> None:
        for word, count in Counter(tokens(text)).items():
            words[word] = words.get(word, 0) + count * weight

    add(document.title, WEIGHT_TITLE)
    add(document.project, WEIGHT_PROJECT)
    add(document.diary_number, WEIGHT_DIARY)
    add(" ".join((document.unit, document.officer, *document.programmes)), WEIGHT_META)
    add(body, WEIGHT_BODY)
    for key in cited_keys(f"{document.title}\n{body}"):
        words[key] = words.get(key, 0) + WEIGHT_CITED_KEY
    for key in diary_keys(document.diary_number):
        words[key] = words.get(key, 0) + WEIGHT_OWN_KEY
    return words


class SearchIndexWriter:
    """Collects the public cases' words while pages render, then writes the index.

    ``count`` is the number of documents and ``folder`` where the index goes (whatever
    was there is removed). Call :meth:`add` once for each document (any order) with its
    rendered, sanitized body (its fragment is written at once), then :meth:`write`.
    ``written`` is told the path of each file as soon as it is written.
    """

    def __init__(self, count: int, folder: Path,
                 written: Callable[[Path], None] | None = None) -> None:
        self.facet_values: list[tuple[str, tuple[str, ...], str] | None] = [None] * count
        self.postings: dict[str, _Postings] = {}
        self.stem = Stemmer()
        shutil.rmtree(folder, ignore_errors=True)
        self.files = _Files(folder, written)

    def add(self, document: IndexDocument, body_html: str) -> bytes:
        """Index one document: its fields and the text of its rendered body. Returns
        what it added, packed for :meth:`add_parts` (the build cache keeps it with the
        page, and a later build adds it without reading the body again)."""
        body = html_text(body_html)
        stems: dict[str, int] = {}
        stem = self.stem
        words = list(_field_weights(document, body).items())
        word_stems = []
        for word, weight in words:
            key = stem(word)
            word_stems.append(key)
            stems[key] = stems.get(key, 0) + weight
        fragment = _gzip(json.dumps({
            "u": document.url, "t": document.title, "n": document.diary_number,
            "d": document.date, "e": document.unit, "x": body[:FRAGMENT_TEXT],
        }, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        self._add(document, stems, fragment)
        return zlib.compress(pickle.dumps(
            ([word for word, _ in words], word_stems, stems, fragment),
            protocol=pickle.HIGHEST_PROTOCOL), 1)

    def add_parts(self, document: IndexDocument, parts: bytes) -> None:
        """Index a document from what :meth:`add` returned for it in an earlier build:
        the same document, and the same body (the build cache's key covers both)."""
        words, word_stems, stems, fragment = pickle.loads(zlib.decompress(parts))
        self.stem.learn(words, word_stems)
        self._add(document, stems, fragment)

    def _add(self, document: IndexDocument, stems: dict[str, int], fragment: bytes) -> None:
        doc = document.number
        if not 0 <= doc < len(self.facet_values) or self.facet_values[doc] is not None:
            raise SearchIndexError(f"{document.url}: document {doc} is not expected")
        postings = self.postings
        for key, weight in stems.items():
            found = postings.get(key)
            if found is None:
                found = postings[key] = _Postings(array("I"), bytearray())
            found.docs.append(doc)
            found.weights.append(weight if weight < MAX_WEIGHT else MAX_WEIGHT)
        self.files.write(f"d/{doc}.bin", fragment)
        self.facet_values[doc] = (document.year, document.programmes, document.unit)

    def write(self) -> IndexSummary:
        """Write the dictionary, postings, facets and manifest (the last: it makes the
        index usable); the index's summary."""
        missing = [i for i, f in enumerate(self.facet_values) if f is None]
        if missing:
            raise SearchIndexError(f"{len(missing)} public cases were not indexed (the first is "
                                   f"number {missing[0]}); expected every public case page "
                                   "rendered")
        files = self.files
        chunks = self._write_dictionary(files)
        facets = self._write_facets(files)
        manifest = {"format": FORMAT, "version": files.digest(), "docs": len(self.facet_values),
                    "chunks": chunks, "facets": facets}
        files.write(MANIFEST, json.dumps(manifest, ensure_ascii=False,
                                         separators=(",", ":")).encode("utf-8"), digest=False)
        return IndexSummary(len(self.facet_values), len(self.stem.words), files.count,
                            files.bytes)

    def _write_dictionary(self, files: _Files) -> list[str]:
        """Chunks of words in order; returns each chunk's first word (the manifest's list)."""
        refs: dict[str, tuple[int, str | int]] = {}
        for number, (stem, postings) in enumerate(sorted(self.postings.items())):
            refs[stem] = self._postings_ref(files, number, postings)
        firsts: list[str] = []
        words: dict[str, int] = {}
        stems: dict[str, int] = {}
        table: list[tuple[int, str | int]] = []
        size = 0

        def close() -> None:
            chunk = {"w": words, "s": table}
            files.write(f"c/{len(firsts) - 1}.bin", _gzip(json.dumps(
                chunk, ensure_ascii=False, separators=(",", ":")).encode("utf-8")))

        for word, stem in sorted(self.stem.words.items()):
            if stem not in refs:  # a word of no public case (the stemmer saw it anyway)
                continue
            if not firsts or size > CHUNK_CHARS:
                if firsts:
                    close()
                firsts.append(word)
                words, stems, table, size = {}, {}, [], 0
            index = stems.get(stem)
            if index is None:
                index = stems[stem] = len(table)
                table.append(refs[stem])
                ref = refs[stem][1]
                size += 8 + (len(ref) if isinstance(ref, str) else 6)
            words[word] = index
            size += len(word) + 6
        if firsts:
            close()
        return firsts

    @staticmethod
    def _postings_ref(files: _Files, number: int, postings: _Postings) -> tuple[int, str | int]:
        """``(document count, inline base64 or postings file number)``."""
        docs, weights = postings.docs, bytes(postings.weights)
        if any(b <= a for a, b in itertools.pairwise(docs)):
            pairs = sorted(zip(docs, weights, strict=True))
            docs = array("I", (d for d, _ in pairs))
            weights = bytes(w for _, w in pairs)
        data = encode_postings(docs, weights)
        if len(data) <= INLINE_BYTES:
            return len(docs), _b64(data)
        files.write(f"p/{number}.bin", _gzip(data))
        return len(docs), number

    def _write_facets(self, files: _Files) -> list[dict[str, object]]:
        """One file of every facet value's documents; the manifest gets names and values."""
        facets: list[tuple[str, dict[str, list[int]]]] = [
            (FACET_YEAR, {}), (FACET_PROGRAMME, {}), (FACET_UNIT, {})]
        for doc, values in enumerate(self.facet_values):
            assert values is not None
            year, programmes, unit = values
            facets[0][1].setdefault(year, []).append(doc)
            for programme in programmes:
                facets[1][1].setdefault(programme, []).append(doc)
            facets[2][1].setdefault(unit, []).append(doc)
        described: list[dict[str, object]] = []
        data = []
        for name, values_docs in facets:
            order = sorted(values_docs, reverse=True) if name == FACET_YEAR else sorted(
                values_docs, key=lambda v: (v.casefold(), v))
            described.append({"name": name, "values": order})
            data.append([_b64(encode_postings(values_docs[v], None)) for v in order])
        files.write("facets.bin", _gzip(json.dumps(data, separators=(",", ":")).encode()))
        return described


class _Files:
    """Writes index files and keeps count, size and a digest of their contents (the
    index's version: whatever order the files were written in)."""

    def __init__(self, folder: Path, written: Callable[[Path], None] | None = None) -> None:
        self.folder = folder
        self.written = written  # told of each file once it is written (the output guard)
        self.count = 0
        self.bytes = 0
        self._digests: dict[str, bytes] = {}
        self._made: set[Path] = set()

    def write(self, name: str, data: bytes, digest: bool = True) -> None:
        path = self.folder / name
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        path.write_bytes(data)
        if self.written is not None:
            self.written(path)
        self.count += 1
        self.bytes += len(data)
        if digest:
            self._digests[name] = hashlib.sha256(data).digest()

    def digest(self) -> str:
        combined = hashlib.sha256()
        for name in sorted(self._digests):
            combined.update(name.encode() + b"\0" + self._digests[name])
        return combined.hexdigest()[:12]


# -- reading (tests and tools) -----------------------------------------------------------


@dataclass(frozen=True)
class IndexContents:
    """An index read back: what the browser could find in it."""

    manifest: dict[str, object]
    words: dict[str, list[tuple[int, int]]]  # word as written -> [(document, weight)]
    fragments: list[dict[str, str]]
    facets: dict[str, dict[str, list[int]]]

    def documents(self, word: str) -> list[str]:
        """URLs of the documents a word (as typed, lower case) finds."""
        return [self.fragments[doc]["u"] for doc, _ in self.words.get(word, [])]


def _load(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def read_index(folder: Path) -> IndexContents:
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    words: dict[str, list[tuple[int, int]]] = {}
    for number in range(len(manifest["chunks"])):
        chunk = json.loads(_load(folder / f"c/{number}.bin"))
        for word, index in chunk["w"].items():
            _, ref = chunk["s"][index]
            data = (base64.b64decode(ref) if isinstance(ref, str)
                    else _load(folder / f"p/{ref}.bin"))
            words[word] = decode_postings(data)
    fragments = [json.loads(_load(folder / f"d/{doc}.bin")) for doc in range(manifest["docs"])]
    encoded = json.loads(_load(folder / "facets.bin"))
    facets = {
        facet["name"]: {value: [d for d, _ in decode_postings(base64.b64decode(data), False)]
                        for value, data in zip(facet["values"], values, strict=True)}
        for facet, values in zip(manifest["facets"], encoded, strict=True)
    }
    return IndexContents(manifest, words, fragments, facets)
