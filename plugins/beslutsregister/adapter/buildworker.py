"""The build's second core: a child process that loads, sanitizes and indexes.

MkDocs builds on one core; this machine, like most, has two. A public build starts one
child process (:class:`BuildWorker`) and gives it the work that does not need MkDocs:

1. **Loading**: the child reads and validates the last part of the case files while
   the build reads the first part, and sends its cases back pickled (unpickling a case
   costs about a tenth of parsing it).
2. **Sanitizing and indexing**: MkDocs renders all pages' Markdown first, then all
   pages' templates. Each case body goes to the child as it is rendered. The child
   sanitizes it (:func:`~beslutsregister.sanitize.sanitize_html`), appends it to a spool
   (a file, see below) and adds it to the search index. When every page is rendered,
   :meth:`BuildWorker.finish_bodies` waits for the child to catch up, and the build
   reads each sanitized body back from the spool (:meth:`BuildWorker.body`) as its
   page's template renders: reading them all at once cost 95 MB more at the peak of a
   10 000-case build (the strings were made before the templates' garbage was freed,
   not in its place).
3. **Writing the index** then runs in the child while the templates render.

With the build cache (:mod:`~beslutsregister.core.buildcache`), loading also sends back
the child's parses, indexing a body spools what it added to the index beside the body
(the cache keeps it with the page; :meth:`BuildWorker.spooled_parts` reads it at the
end), and a page copied from the cache is indexed from what it added then
(:meth:`BuildWorker.index_kept`, through the file the child's case files went through);
the output guard's digests of the clean files it read come back with its verdict.

The child is a fresh interpreter running this module (``python -P -m``: a project file
named like a library, ``yaml.py``, cannot shadow it), fed frames on its standard input
(pickled requests, and bodies as plain UTF-8: pickling each body and its index document
cost the build 60 µs a page), answering on its standard output (anything a library
prints goes to its standard error instead). Not
:mod:`multiprocessing`: its "spawn" and "forkserver" children re-import the parent's
main script, so a site built from an unguarded ``build.py`` would run that script again
in the child; "fork" would copy a build's memory and any lock another thread holds.

The spool holds published text, so no file of the two processes has a name: the spool,
the list of the child's case files and the child's standard error are anonymous files
(:func:`tempfile.TemporaryFile`: ``O_TMPFILE`` on Linux, elsewhere unlinked as soon as
made) that the build opens and the child inherits as file descriptors (``pass_fds``, so
POSIX only). The system frees such a file when the last process holding it ends, so no
exit of the build leaves one behind in the temporary folder, not even SIGKILL. The two
processes share each file's position: the child writes the spool from the start, and the
build reads it at offsets of its own (:func:`os.pread`), only after
:meth:`BuildWorker.finish_bodies`, when the child has closed it.

Any error in the child, or its end, comes back as a :class:`WorkerError` from the call
that waits for it, naming what it was doing (and the page, for a body). A body the child
did not sanitize is never published: the page only gets content from the spool.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import pickle
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ..core.buildcache import StoredParses
from ..core.loading import CaseOutcome, load_case_files
from ..core.outputguard import Leak, SiteScan, pages_and_index
from ..core.privacy import ProtectedPeople
from ..core.sanitize import sanitize_html
from ..core.validation import CaseRules
from ..search.index import IndexDocument, IndexSummary, SearchIndexError, SearchIndexWriter

#: Written files per message to the output guard (see :meth:`BuildWorker.written`).
_SCAN_BATCH = 64
_HEAD = struct.Struct(">BI")  # frame kind, length of what follows
_PICKLE, _BODY = 0, 1
_BODY_HEAD = struct.Struct(">Ii")  # a body frame: its number, its index document or -1
#: A spooled body: its number, the length of its UTF-8 bytes and of its index parts
#: (what :meth:`SearchIndexWriter.add` returned, for the build cache; empty if none).
_SPOOL_HEAD = struct.Struct(">III")
_KEPT_HEAD = struct.Struct(">II")  # a kept page's index document, length of its parts

#: The child loads this share of the case files, the last ones: it starts about 0.2 s
#: later than the build, and its cases still have to be unpickled by the build.
CHILD_SHARE = 0.4
#: Fewer case files than this are all loaded in the build: too few to pay for the wait.
MIN_FILES_TO_SHARE = 400


class WorkerError(RuntimeError):
    """The child failed, or stopped: the message says what it was doing."""


class _BrokenFrame(Exception):
    """A frame cut short, or not what this module writes."""


def _send(stream: IO[bytes], message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEAD.pack(_PICKLE, len(data)) + data)


def _send_body(stream: IO[bytes], number: int, document: int, html: str) -> None:
    data = html.encode("utf-8")
    stream.write(_HEAD.pack(_BODY, _BODY_HEAD.size + len(data))
                 + _BODY_HEAD.pack(number, document) + data)


def _receive(stream: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    """Requests as tuples; a body frame as ("body", number, document, html).

    Ends at the end of the stream; raises :class:`_BrokenFrame` for a frame cut short or
    that does not decode.
    """
    while head := stream.read(_HEAD.size):
        try:
            kind, length = _HEAD.unpack(head)
            data = stream.read(length)
            if len(data) != length:
                raise _BrokenFrame(f"a message cut short ({len(data)} of {length} bytes)")
            if kind == _BODY:
                number, document = _BODY_HEAD.unpack_from(data)
                message: tuple[Any, ...] = ("body", number, document,
                                            data[_BODY_HEAD.size:].decode("utf-8"))
            else:
                message = pickle.loads(data)
        except _BrokenFrame:
            raise
        except Exception as exc:  # struct.error, UnpicklingError, UnicodeDecodeError ...
            raise _BrokenFrame(f"an unreadable message ({type(exc).__name__}: {exc})") from None
        yield message


def _describe(exc: Exception) -> str:
    return str(exc) if isinstance(exc, SearchIndexError) else f"{type(exc).__name__}: {exc}"


def _read_at(fd: int, size: int, offset: int) -> bytes:
    """Up to ``size`` bytes of the file ``fd`` from ``offset``, fewer only at its end; the
    position the processes share is not moved."""
    parts = []
    while size > 0 and (data := os.pread(fd, size, offset)):
        parts.append(data)
        size -= len(data)
        offset += len(data)
    return b"".join(parts)


def _read_all(fd: int) -> bytes:
    """All of the file ``fd``; the position the processes share is not moved."""
    parts: list[bytes] = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        parts.append(chunk)
        offset += len(chunk)
    return b"".join(parts)


def _widen(pipe: IO[bytes] | None) -> None:
    """Let the pipe to the child hold 1 MB (Linux; 64 KB otherwise): the build goes on
    rendering while the child is busy (writing the index) instead of waiting for it to
    read the names of the pages written meanwhile."""
    setting = getattr(fcntl, "F_SETPIPE_SZ", None)
    if pipe is not None and setting is not None:
        with contextlib.suppress(OSError):  # more than /proc/sys/fs/pipe-max-size allows
            fcntl.fcntl(pipe.fileno(), setting, 1 << 20)


class _Child:
    """The child's state between messages."""

    def __init__(self, replies: IO[bytes]) -> None:
        self.replies = replies
        self.writer: SearchIndexWriter | None = None
        self.documents: list[IndexDocument] = []
        self.spool: IO[bytes] | None = None
        #: The first failure: (body number or None, what was being done, what went wrong).
        self.error: tuple[int | None, str, str] | None = None
        self.site: SiteScan | None = None  # the output guard's scan of the built site
        self.guard_error: str | None = None
        self.scanned: set[str] = set()  # outputs the build sent: swept again at the end

    def reply(self, *message: Any) -> None:
        _send(self.replies, message)
        self.replies.flush()

    def load(self, paths_file: int, root: Path, rules: CaseRules, keep: bool) -> None:
        """Load the case files listed in the inherited file ``paths_file``; with
        ``keep``, send back their parses for the build cache too."""
        try:
            paths = [Path(os.fsdecode(p)) for p in _read_all(paths_file).split(b"\0")]
            stored = StoredParses(rules) if keep else None
            outcomes = load_case_files(paths, root, rules, stored=stored)
            self.reply("loaded", (outcomes, stored.used if stored is not None else {}))
        except Exception as exc:
            self.reply("error", _describe(exc))

    def start(self, documents: list[IndexDocument], folder: Path, spool: int) -> None:
        """Start the index; bodies go to the inherited, empty file ``spool``."""
        try:
            self.documents = documents
            # The guard scans each index file as it is written, while pages are still
            # being rendered: the child has time to spare then, and not at the end.
            self.writer = SearchIndexWriter(len(documents), folder, self.index_written)
            self.spool = open(spool, "wb")  # noqa: SIM115 (closed in finish())
        except Exception as exc:
            self.error = (None, "starting the search index", _describe(exc))

    def body(self, number: int, document: int, html: str) -> None:
        if self.error is not None:
            return
        if self.writer is None or self.spool is None:
            self.error = (number, "sanitizing", "it came before the search index was started")
            return
        doing = "sanitizing"
        try:
            clean = sanitize_html(html)
            data = clean.encode("utf-8")
            doing = "indexing"
            parts = self.writer.add(self.documents[document], clean) if document >= 0 else b""
            self.spool.write(_SPOOL_HEAD.pack(number, len(data), len(parts)) + data + parts)
        except Exception as exc:
            self.error = (number, doing, _describe(exc))

    def kept(self, parts_file: int) -> None:
        """Index the documents in the inherited file ``parts_file``: of pages kept from an
        earlier build (the build cache), with what indexing them gave then."""
        if self.error is not None:
            return
        if self.writer is None:
            self.error = (None, "indexing kept pages", "they came before the search index "
                          "was started")
            return
        try:
            data = memoryview(_read_all(parts_file))
            offset = 0
            while offset < len(data):
                document, length = _KEPT_HEAD.unpack_from(data, offset)
                offset += _KEPT_HEAD.size
                self.writer.add_parts(self.documents[document],
                                      bytes(data[offset:offset + length]))
                offset += length
        except Exception as exc:
            self.error = (None, "indexing kept pages", _describe(exc))

    def finish(self) -> None:
        """Say the bodies are spooled, then write the index and say so."""
        try:
            if self.spool is not None:
                self.spool.close()
        except Exception as exc:
            self.error = self.error or (None, "sanitizing case pages", _describe(exc))
        self.reply("bodies", self.error)
        if self.error is not None:
            return
        try:
            assert self.writer is not None
            self.reply("index", self.writer.write())
        except Exception as exc:
            self.reply("error", _describe(exc))
        # Next the child scans the output (the guard): the index's tens of megabytes of
        # words and postings would only make every collection of the garbage that
        # scanning makes slower (the scan ran eight times slower beside them).
        self.writer, self.documents = None, []
        gc.collect()
        gc.freeze()


    def index_written(self, path: Path) -> None:
        if self.site is not None and self.guard_error is None:
            try:
                self.site.scan_path(path)
            except Exception as exc:
                self.guard_error = _describe(exc)

    def guard(self, folder: Path, people: ProtectedPeople, known: set[bytes] | None) -> None:
        """Start the output guard's scan of the site being built into ``folder``
        (``known``: digests of files found clean before, see SiteScan)."""
        self.site = SiteScan(folder, people, known)

    def scan(self, outputs: list[str]) -> None:
        """Scan these written pages (or data files) now; the last sweep checks them again."""
        self.scanned.update(outputs)
        if self.site is None or self.guard_error is not None:
            return
        try:
            for output in outputs:
                self.site.scan(output)
        except Exception as exc:
            self.guard_error = _describe(exc)

    def leaks(self, index_dir: str) -> None:
        """Sweep the pages and the index a last time (new or changed files), and say
        what must not be published; the build scans the other files meanwhile."""
        if self.guard_error is None and self.site is not None:
            try:
                ours = pages_and_index(index_dir)
                leaks = self.site.sweep(only=lambda output: ours(output)
                                        or output in self.scanned)
            except Exception as exc:
                self.guard_error = _describe(exc)
        if self.guard_error is not None or self.site is None:
            self.reply("error", self.guard_error or "the output guard was not started")
        else:
            self.reply("leaks", (leaks, self.site.files, self.site.seconds, self.site.clean))


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """The child's loop. Ends quietly when ``requests`` ends early (the build failed)."""
    child = _Child(replies)
    for kind, *arguments in _receive(requests):
        if kind == "body":
            child.body(*arguments)
        elif kind == "scan":
            child.scan(*arguments)
        elif kind == "load":
            child.load(*arguments)
        elif kind == "kept":
            child.kept(*arguments)
        elif kind == "start":
            child.start(*arguments)
        elif kind == "guard":
            child.guard(*arguments)
        elif kind == "finish":
            child.finish()
        elif kind == "leaks":
            child.leaks(*arguments)
            return


class BuildWorker:
    """The child process of one public build; see the module's docstring for its work.

    Call, in this order: :meth:`load_case_files` (optional), :meth:`start_index`, then
    :meth:`add_body` for each case page, :meth:`finish_bodies`, :meth:`body` for each,
    and :meth:`write_index`. :meth:`close` ends the child at any point.
    """

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parents[2])  # holds beslutsregister/
        path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
        # Anonymous files (see the module's docstring): the child's part of the case
        # files, the spool of sanitized bodies and the child's standard error.
        files: list[IO[bytes]] = []
        try:
            for _ in range(3):
                files.append(tempfile.TemporaryFile())  # noqa: SIM115 (closed in close())
        except OSError as exc:
            for file in files:
                file.close()
            raise WorkerError(f"starting the build's second process: no temporary folder "
                              f"({exc})") from None
        self._paths, self._spool, self._errors = files
        self._names: list[str] = []  # of the bodies, for messages
        self._outputs: list[str] = []  # written files not yet sent to the guard
        self.sent: set[str] = set()  # every file sent: the child sweeps it at the end
        self.guard_files, self.guard_seconds = 0, 0.0  # what the guard scanned, how long
        self.guard_clean: dict[str, bytes] = {}  # digests of the files it found clean
        self._finished = False
        self._spooled = False  # whether the child has spooled every body
        self._offset = 0  # in the spool, of the next body to read
        self._early: dict[int, tuple[str, tuple[int, int]]] = {}  # read before asked for
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-P", "-m", __name__],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
                pass_fds=(self._paths.fileno(), self._spool.fileno()),
                env={**os.environ, "PYTHONPATH": path})
        except (OSError, ValueError) as exc:
            for file in files:
                file.close()
            raise WorkerError(f"starting the build's second process ({sys.executable}): "
                              f"{exc}") from None
        _widen(self._process.stdin)

    # -- loading -------------------------------------------------------------------------

    def load_case_files(
        self, paths: Sequence[Path], root: Path, rules: CaseRules,
        stored: StoredParses | None = None,
    ) -> list[CaseOutcome]:
        """:func:`~beslutsregister.loading.load_case_files`, the last part in the child;
        what either process parses goes into ``stored`` (the build cache)."""
        shared = int(len(paths) * CHILD_SHARE) if len(paths) >= MIN_FILES_TO_SHARE else 0
        own, theirs = paths[: len(paths) - shared], paths[len(paths) - shared:]
        if theirs:  # the paths go in a file: a long request would wait for the child to read
            self._paths.seek(0)
            self._paths.truncate()
            self._paths.write(b"\0".join(os.fsencode(p) for p in theirs))  # any name
            self._paths.flush()
            self._request("load", self._paths.fileno(), root, rules, stored is not None)
        outcomes = load_case_files(own, root, rules, stored=stored)
        if theirs:
            loaded, parses = self._reply("loaded", "loading case files")
            outcomes += loaded
            if stored is not None:
                stored.used.update(parses)
        return outcomes

    # -- bodies and the index ------------------------------------------------------------

    def start_index(self, documents: Sequence[IndexDocument], folder: Path) -> None:
        """Index these documents (``documents[i].number == i``) into ``folder`` (emptied)."""
        self._request("start", list(documents), folder, self._spool.fileno())

    def add_body(self, name: str, document: int | None, html: str) -> int:
        """Sanitize the rendered body of the page ``name`` (for messages), and index it as
        ``document`` (a number given to :meth:`start_index`) unless None; its number."""
        if self._finished:
            raise WorkerError(f"sanitizing {name}: the page was rendered after all case "
                              "pages were (by another plugin?); expected one rendering")
        number = len(self._names)
        self._names.append(name)
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):  # a gone child: finish_bodies says so
            _send_body(self._process.stdin, number, -1 if document is None else document, html)
        return number

    def index_kept(self, documents: Iterable[tuple[int, bytes]]) -> None:
        """Index the documents of pages kept from an earlier build (the build cache), as
        (index document, its index parts from :meth:`body` then).

        They go through the file the child's case files went through (read by then):
        through the pipe, the build waited for the child to index them.
        """
        self._paths.seek(0)
        self._paths.truncate()
        for document, data in documents:
            self._paths.write(_KEPT_HEAD.pack(document, len(data)) + data)
        self._paths.flush()
        self._request("kept", self._paths.fileno())

    def finish_bodies(self) -> None:
        """Wait until every body is sanitized; the child then writes the search index."""
        self._finished = True
        self._request("finish")
        error = self._reply("bodies", "sanitizing case pages")
        if error is not None:
            number, doing, detail = error
            raise WorkerError(f"{doing} {self._names[number]}: {detail}" if number is not None
                              else f"{doing}: {detail}")
        self._spooled = True

    def body(self, number: int) -> tuple[str, tuple[int, int]]:
        """The sanitized body :meth:`add_body` numbered ``number``, and where its index
        parts are in the spool (offset, length: :meth:`spooled_parts` reads them for the
        build cache, at the end, instead of this process holding them through the
        build), once; in order, each is read from the spool as it is asked for."""
        if number in self._early:
            return self._early.pop(number)
        if not self._spooled:
            raise WorkerError(f"sanitizing {self._names[number]}: asked for before "
                              "finish_bodies()")
        fd = self._spool.fileno()
        while len(head := _read_at(fd, _SPOOL_HEAD.size, self._offset)) == _SPOOL_HEAD.size:
            found, length, parts = _SPOOL_HEAD.unpack(head)
            start = self._offset + _SPOOL_HEAD.size
            data = _read_at(fd, length, start)
            if len(data) != length:
                break  # cut short: never published in part
            self._offset = start + length + parts
            spooled = data.decode("utf-8"), (start + length, parts)
            if found == number:
                return spooled
            self._early[found] = spooled  # pages built in another order than rendered
        raise WorkerError(f"sanitizing {self._names[number]}: its body is missing from the "
                          "spool")

    def keep_spool(self) -> int:
        """A file descriptor of the spool for the caller, who closes it: :meth:`close`
        frees the worker's own."""
        return os.dup(self._spool.fileno())

    @staticmethod
    def spooled_parts(spool: int, where: tuple[int, int]) -> bytes:
        """Index parts :meth:`body` said are at ``where`` in the spool ``spool``."""
        offset, length = where
        data = _read_at(spool, length, offset)
        if len(data) != length:
            raise OSError(f"the spool ends before its index parts ({len(data)} of {length})")
        return data

    def write_index(self) -> IndexSummary:
        """Wait for the child to finish writing the index; its summary."""
        summary = self._reply("index", "writing the search index")
        assert isinstance(summary, IndexSummary)
        return summary

    # -- the output guard ----------------------------------------------------------------

    def start_guard(self, folder: Path, people: ProtectedPeople,
                    known: set[bytes] | None = None) -> None:
        """Scan the site built into ``folder`` (outputguard.py) as its files are written;
        files whose digest is ``known`` clean are not read again (the build cache)."""
        self._request("guard", folder, people, known)

    def written(self, output: str) -> None:
        """The page (or data file) ``output``, a path in the site, is written: scan it in
        the child, which also sweeps it at the end.

        Sent in batches: a message per page could fill the pipe while the child writes
        the index, and the build would wait for it.
        """
        self._outputs.append(output)
        self.sent.add(output)
        if len(self._outputs) >= _SCAN_BATCH:
            self._request("scan", self._outputs)
            self._outputs = []

    def leaks(self, index_dir: str, rest: SiteScan) -> list[Leak]:
        """Every leak in the site; ends the child.

        The child sweeps the pages and the index (``index_dir``) for what is new or
        changed; meanwhile this process scans everything else with ``rest`` (assets,
        data files, the sitemap: written before the pages, and the child is busiest at
        the end, with the last pages).
        """
        try:
            if self._outputs:
                self._request("scan", self._outputs)
                self._outputs = []
            self._request("leaks", index_dir)
            theirs = pages_and_index(index_dir)
            found = rest.sweep(only=lambda output: not theirs(output)
                               and output not in self.sent)
            child, self.guard_files, self.guard_seconds, clean = self._reply(
                "leaks", "scanning the built site")
        finally:
            self.close()
        assert isinstance(child, list)
        self.guard_files += rest.files
        self.guard_clean = {**clean, **rest.clean}
        return sorted(found + child, key=lambda leak: leak.output)

    # -- the child -----------------------------------------------------------------------

    def _request(self, *message: Any) -> None:
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):  # a gone child: its reply says so
            _send(self._process.stdin, message)
            self._process.stdin.flush()

    def _reply(self, expected: str, doing: str) -> Any:
        assert self._process.stdout is not None
        try:
            reply = next(_receive(self._process.stdout), None)
        except _BrokenFrame as exc:
            raise WorkerError(f"{doing}: the build's second process sent {exc}") from None
        if reply is None:
            self._process.wait()
            detail = self._stderr()
            raise WorkerError(f"{doing}: the build's second process stopped unexpectedly "
                              f"(exit code {self._process.returncode})"
                              f"{': ' + detail if detail else ''}")
        kind, value = reply
        if kind == "error":
            raise WorkerError(f"{doing}: {value}")
        if kind != expected:
            raise WorkerError(f"{doing}: the build's second process answered {kind!r}")
        return value

    def _stderr(self) -> str:
        text = _read_all(self._errors.fileno()).decode("utf-8", "replace")
        lines = text.strip().splitlines()
        return lines[-1] if lines else ""

    def close(self) -> None:
        """Stop the child and close its files, which frees them (after a failed build
        too)."""
        process = self._process
        for stream in (process.stdout, process.stdin):  # a child writing a reply stops too
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if process.poll() is None:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for file in (self._paths, self._spool, self._errors):
            with contextlib.suppress(OSError):
                file.close()
        self._early.clear()

    @property
    def running(self) -> bool:
        return self._process.poll() is None


def _main() -> None:
    """The child: replies go to the real standard output, anything printed to stderr."""
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, replies)
    replies.close()


if __name__ == "__main__":
    _main()
