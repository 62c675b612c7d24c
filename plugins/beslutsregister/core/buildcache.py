"""The build cache: what a public build can reuse from the last one, kept on disk.

A region that publishes one decision a day rebuilds ten thousand pages for one file.
Nearly all of that work gives the same result as the day before, and three kinds of it
can be kept safely between builds, in a folder of their own (by default
``.cache/beslutsregister/`` beside ``mkdocs.yml``):

- **parsed case files** (:class:`StoredParses`): a case file's outcome (its case, or its
  problems) by the digest of its text, under the rules it was validated with;
- **case pages** (:class:`PageRecord`): a rendered case page, as published, by a key
  that digests everything its HTML is made from (the adapter computes it: the page's
  own content and everything around it), with its sanitized body for the search index;
- **the output guard's verdicts** (:class:`GuardVerdicts`): digests of output files the
  guard read and found clean, under the list of protected people it looked for.

Each kind is one record file: a header (magic, format version, the digest of the
plugin's code and installed libraries, :func:`code_fingerprint`), the length and
BLAKE2 digest of its payload, then the payload (a pickle). A record that is missing,
unreadable, cut short, corrupt, written by another version or for other code is
ignored, and rebuilt by this build: never trusted (:func:`read_record` says why, for
the build's log). Records are written to a temporary file and renamed into place, so
a build killed while writing leaves the previous record or none.

The folder holds published material only (pages that passed the output guard, parses
of the case files), but it is the project's: whoever can write into it can write into
``mkdocs.yml`` too. Delete it to start afresh (``rm -r .cache/beslutsregister``).
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import pickle
import shutil
import struct
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .fingerprint import fingerprint
from .outputguard import guard_digest

#: Bumped whenever what a record holds changes shape.
FORMAT_VERSION = 1
MAGIC = b"beslutsregister build cache\n"
_HEAD = struct.Struct(">I16sQ32s")  # format version, code digest, payload length, digest
PACKAGE = Path(__file__).resolve().parents[1]  # beslutsregister/
#: Marks the folder as a cache for backup tools (https://bford.info/cachedir/).
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# The beslutsregister build cache: safe to delete (it is rebuilt).\n")

_code: str | None = None


def code_fingerprint() -> str:
    """A digest of this plugin's files (code, templates, scripts), the Python version
    and every installed distribution's name and version (MkDocs, Material, Markdown
    and its extensions, Jinja...): a change to any of them can change any output."""
    global _code
    if _code is None:
        parts = [sys.version]
        for path in sorted(PACKAGE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts.append(f"{path.relative_to(PACKAGE).as_posix()}:{file_digest(path)}")
        parts += sorted(f"{dist.metadata['Name']}=={dist.version}"
                        for dist in metadata.distributions())
        _code = fingerprint(*parts)
    return _code


def file_digest(path: Path) -> str:
    """A digest of a file's bytes (keys of what it may change)."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "blake2b").hexdigest()


def text_digest(text: str) -> str:
    """The digest of a case file's text (:class:`StoredParses`)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


# -- records ---------------------------------------------------------------------------------


class CacheUnusable(Exception):
    """A record that cannot be trusted: the message says why."""


def read_record(path: Path, code: str) -> Any:
    """The payload of the record file ``path``; :class:`CacheUnusable` if it is missing,
    unreadable, cut short, corrupt, of another format version or for other ``code``."""
    try:
        with path.open("rb") as file:
            data = file.read()
    except FileNotFoundError:
        raise CacheUnusable("none yet") from None
    except OSError as exc:
        raise CacheUnusable(f"unreadable ({exc.strerror or exc})") from None
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _HEAD.size:
        raise CacheUnusable("not a cache record, or cut short")
    version, code_digest, length, digest = _HEAD.unpack_from(data, len(MAGIC))
    if version != FORMAT_VERSION:
        raise CacheUnusable(f"format {version}, expected {FORMAT_VERSION}")
    if code_digest != bytes.fromhex(code):
        raise CacheUnusable("made by other code or libraries")
    payload = memoryview(data)[len(MAGIC) + _HEAD.size:]
    if len(payload) != length:
        raise CacheUnusable(f"cut short ({len(payload)} of {length} bytes)")
    if hashlib.blake2b(payload, digest_size=32).digest() != digest:
        raise CacheUnusable("corrupt (its digest does not match)")
    try:
        with io.BytesIO(payload) as stream:
            parts = []
            while stream.tell() < len(payload):
                parts.append(pickle.load(stream))
        return parts[0] if len(parts) == 1 else tuple(parts)
    except Exception as exc:  # the digest matched: a record this code cannot read
        raise CacheUnusable(f"unreadable ({type(exc).__name__})") from None


class _Digesting:
    """A file the pickle streams into, digested and counted as it is written: the
    pickle of every case (40 MB at 10 000 cases) is never held whole in memory."""

    def __init__(self, file: Any) -> None:
        self.file = file
        self.digest = hashlib.blake2b(digest_size=32)
        self.length = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.length += len(data)
        return int(self.file.write(data))


def write_record(path: Path, code: str, payload: Any, *more: Any) -> None:
    """Write a record atomically (a temporary file renamed into place). Each of ``more``
    is pickled on its own after ``payload`` (each pickle remembers every object it wrote
    until it ends: for the cases, 40 MB more at 10 000); it reads back as a tuple."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with open(fd, "wb") as file:
            file.write(MAGIC + bytes(_HEAD.size))  # the head, once the payload is known
            stream = _Digesting(file)
            for part in (payload, *more):
                pickle.dump(part, stream, protocol=pickle.HIGHEST_PROTOCOL)
            file.seek(len(MAGIC))
            file.write(_HEAD.pack(FORMAT_VERSION, bytes.fromhex(code), stream.length,
                                  stream.digest.digest()))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- the three kinds -------------------------------------------------------------------------


class StoredParses:
    """Case-file outcomes by file and digest of its text, valid under ``rules``.

    :func:`~beslutsregister.core.loading.load_case_files` asks :meth:`get` for every
    file it read and :meth:`put` s what it parsed; :attr:`used` is what this build saw
    (saved, so a deleted file's parse does not stay for ever).
    """

    def __init__(self, rules: object, entries: dict[str, tuple[str, Any]] | None = None) -> None:
        self.rules = rules
        self.entries = entries or {}
        self.used: dict[str, tuple[str, Any]] = {}

    def get(self, source: str, digest: str) -> Any | None:
        entry = self.entries.get(source)
        if entry is None or entry[0] != digest:
            return None
        self.used[source] = entry
        return entry[1]

    def put(self, source: str, digest: str, outcome: Any) -> None:
        self.used[source] = (digest, outcome)

    def unchanged(self) -> bool:
        """Whether this build used exactly the stored parses, nothing more or less."""
        entries = self.entries
        return bool(entries) and len(self.used) == len(entries) and all(
            entries.get(source) is entry for source, entry in self.used.items())

    def covers(self, sources: Iterable[str]) -> float:
        """The share of ``sources`` with a stored parse (of whatever text)."""
        names = list(sources)
        return sum(name in self.entries for name in names) / len(names) if names else 1.0


@dataclass(frozen=True)
class PageRecord:
    """A case page kept from an earlier build: its key, its file's size and digest
    (:func:`guard_digest`, as the output guard takes it), and
    what indexing it gave (``index``, opaque here: :meth:`~beslutsregister.search.index.
    SearchIndexWriter.add` made it, each build makes its index afresh from it; empty
    for a page that is not indexed)."""

    key: str
    size: int
    digest: bytes
    index: bytes


@dataclass
class GuardVerdicts:
    """Digests (:func:`guard_digest`) of output files the guard found clean, valid for
    one list of protected people (``people``: its fingerprint)."""

    people: str
    clean: set[bytes] = field(default_factory=set)


# -- the folder ------------------------------------------------------------------------------


PARSES, PAGES, VERDICTS = "parsed.bin", "pages.bin", "guard.bin"
PAGE_FILES = "pages"
_PARSES_PER_PICKLE = 500  # case files' parses per pickle (see write_record)


class BuildCache:
    """The cache folder of one project: its three records and the kept pages' files.

    Reading never fails a build: an unusable record reads as empty and says why in
    :attr:`ignored`. Writing can fail (a full disk): the caller logs it and goes on.
    """

    def __init__(self, folder: Path, code: str | None = None) -> None:
        self.folder = folder
        self.code = code or code_fingerprint()
        self.ignored: list[str] = []  # why records were not used, for the log
        self._lock: int | None = None  # the open lock file while this build holds it
        self._read_back: dict[str, Any] = {}  # records as read, by name

    def lock(self) -> bool:
        """Take the cache for this build (False: another build has it, or the folder
        cannot be made; this build then goes without). Two builds sharing the folder
        would remove each other's kept pages and overwrite each other's records."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.folder / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock = fd
        return True

    def unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing releases the lock
            self._lock = None

    def _read(self, name: str) -> Any:
        try:
            return read_record(self.folder / name, self.code)
        except CacheUnusable as exc:
            if str(exc) != "none yet":
                self.ignored.append(f"{name}: {exc}")
            return None

    def parses(self, rules: object) -> StoredParses:
        payload = self._read(PARSES)
        if payload is not None and not isinstance(payload, tuple):
            payload = (payload,)  # the rules alone: no case files
        if (isinstance(payload, tuple) and len(payload) >= 1 and payload[0] == rules
                and all(isinstance(part, dict) for part in payload[1:])):
            return StoredParses(rules, {k: v for part in payload[1:] for k, v in part.items()})
        if payload is not None:
            self.ignored.append(f"{PARSES}: made under other rules for case files")
        return StoredParses(rules)

    def pages(self) -> dict[str, PageRecord]:
        payload = self._read(PAGES)
        if isinstance(payload, dict) and all(isinstance(r, PageRecord)
                                             for r in payload.values()):
            self._read_back[PAGES] = dict(payload)
            return payload
        if payload is not None:
            self.ignored.append(f"{PAGES}: not a table of pages")
        return {}

    def verdicts(self, people: str) -> GuardVerdicts:
        payload = self._read(VERDICTS)
        if isinstance(payload, GuardVerdicts) and payload.people == people:
            self._read_back[VERDICTS] = GuardVerdicts(people, set(payload.clean))
            return payload
        if isinstance(payload, GuardVerdicts):
            self.ignored.append(f"{VERDICTS}: made for another list of protected people")
        return GuardVerdicts(people)

    def page_file(self, key: str) -> Path:
        return self.folder / PAGE_FILES / key[:2] / f"{key}.html"

    def verified_page(self, record: PageRecord, output: str) -> Path | None:
        """The kept file of a page (published as ``output``) if it is whole and
        unchanged, else None (it is then rendered again)."""
        path = self.page_file(record.key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if len(data) != record.size or guard_digest(output, data) != record.digest:
            return None
        return path

    def keep_page(self, key: str, built: Path, index: bytes, output: str,
                  digest: bytes | None = None) -> PageRecord:
        """Keep a page just built (``built``, published as ``output``): a hard link where
        the file system allows (no copy: the published file never changes in place),
        else a copy. ``digest`` is :func:`guard_digest` of it, if the guard took it."""
        size = built.stat().st_size
        if digest is None:
            data = built.read_bytes()
            size, digest = len(data), guard_digest(output, data)
        target = self.page_file(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(built, target)
        except OSError:
            shutil.copyfile(built, target)
        return PageRecord(key, size, digest, index)

    def save(self, parses: StoredParses | None, pages: dict[str, PageRecord] | None,
             verdicts: GuardVerdicts | None) -> None:
        """Write the records given (None: leave that record as it is); remove kept page
        files no record names."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tag = self.folder / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(CACHEDIR_TAG, "utf-8")
        for name in (PARSES, PAGES, VERDICTS):  # a build killed while writing left these
            for partial in self.folder.glob(f".{name}.*"):
                partial.unlink(missing_ok=True)
        # A record read back unchanged is not written again (tens of megabytes).
        if parses is not None and not parses.unchanged():
            used = list(parses.used.items())
            write_record(self.folder / PARSES, self.code, parses.rules,
                         *(dict(used[i:i + _PARSES_PER_PICKLE])
                           for i in range(0, len(used), _PARSES_PER_PICKLE)))
        if verdicts is not None and verdicts != self._read_back.get(VERDICTS):
            write_record(self.folder / VERDICTS, self.code, verdicts)
        if pages is not None and pages != self._read_back.get(PAGES):
            write_record(self.folder / PAGES, self.code, pages)
            self._remove_unnamed(pages.values())

    def _remove_unnamed(self, records: Iterable[PageRecord]) -> None:
        named = {f"{record.key}.html" for record in records}
        root = self.folder / PAGE_FILES
        if not root.is_dir():
            return
        for directory, _, names in os.walk(root):
            for name in names:
                if name not in named:
                    Path(directory, name).unlink(missing_ok=True)
