"""The build's second core: a child process that loads, sanitizes and indexes.

MkDocs builds on one core; this machine, like most, has two. A public build starts one
child process (:class:`BuildWorker`) and gives it the work that does not need MkDocs:

1. **Loading**: the child reads and validates the last part of the case files while
   the build reads the first part, and sends its cases back pickled (unpickling a case
   costs about a tenth of parsing it).
2. **Sanitizing and indexing**: MkDocs renders all pages' Markdown first, then all
   pages' templates. Each case body goes to the child as it is rendered. The child
   sanitizes it (:func:`~beslutsregister.sanitize.sanitize_html`), appends it to a spool
   file and adds it to the search index. When every page is rendered,
   :meth:`BuildWorker.finish_bodies` waits for the child to catch up, and the build reads
   each sanitized body back from the spool as its template renders.
3. **Writing the index** then runs in the child while the templates render.

The child is a fresh interpreter running this module (``python -m``), fed frames on its
standard input (pickled requests, and bodies as plain UTF-8: pickling each body and its
index document cost the build 60 µs a page), answering on its standard output. Not
:mod:`multiprocessing`: its "spawn" and "forkserver" children re-import the parent's
main script, so a site built from an unguarded ``build.py`` would run that script again
in the child; "fork" would copy a build's memory and any lock another thread holds.

Any error in the child comes back as a :class:`WorkerError` from the call that waits for
it. A body the child did not sanitize is never published: the page only gets content
from the spool.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .loading import CaseOutcome, load_case_files
from .sanitize import sanitize_html
from .searchindex import IndexDocument, IndexSummary, SearchIndexError, SearchIndexWriter
from .validation import CaseRules

_HEAD = struct.Struct(">BI")  # frame kind, length of what follows
_PICKLE, _BODY = 0, 1
_BODY_HEAD = struct.Struct(">Ii")  # a body frame: its number, its index document or -1
_SPOOL_HEAD = struct.Struct(">II")  # body number, length of its UTF-8 bytes

#: The child loads this share of the case files, the last ones: it starts about 0.2 s
#: later than the build, and its cases still have to be unpickled by the build.
CHILD_SHARE = 0.4
#: Fewer case files than this are all loaded in the build: too few to pay for the wait.
MIN_FILES_TO_SHARE = 400


class WorkerError(RuntimeError):
    """The child failed, or stopped: the message says what it was doing."""


def _send(stream: IO[bytes], message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEAD.pack(_PICKLE, len(data)) + data)


def _send_body(stream: IO[bytes], number: int, document: int, html: str) -> None:
    data = html.encode("utf-8")
    stream.write(_HEAD.pack(_BODY, _BODY_HEAD.size + len(data))
                 + _BODY_HEAD.pack(number, document) + data)


def _receive(stream: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    """Requests as tuples; a body frame as ("body", number, document, html)."""
    while len(head := stream.read(_HEAD.size)) == _HEAD.size:
        kind, length = _HEAD.unpack(head)
        data = stream.read(length)
        if kind == _BODY:
            number, document = _BODY_HEAD.unpack_from(data)
            yield "body", number, document, data[_BODY_HEAD.size:].decode("utf-8")
        else:
            yield pickle.loads(data)


def _describe(exc: Exception) -> str:
    return str(exc) if isinstance(exc, SearchIndexError) else f"{type(exc).__name__}: {exc}"


class _Child:
    """The child's state between messages."""

    def __init__(self, replies: IO[bytes]) -> None:
        self.replies = replies
        self.writer: SearchIndexWriter | None = None
        self.documents: list[IndexDocument] = []
        self.spool: IO[bytes] | None = None
        self.error: str | None = None  # the first failed body; reported by "finish"

    def reply(self, *message: Any) -> None:
        _send(self.replies, message)
        self.replies.flush()

    def load(self, paths: Sequence[Path], root: Path, rules: CaseRules) -> None:
        try:
            self.reply("loaded", load_case_files(paths, root, rules))
        except Exception as exc:
            self.reply("error", _describe(exc))

    def start(self, documents: list[IndexDocument], folder: Path, spool: Path) -> None:
        try:
            self.documents = documents
            self.writer = SearchIndexWriter(len(documents), folder)
            self.spool = open(spool, "wb")  # noqa: SIM115 (closed in finish())
        except Exception as exc:
            self.error = f"starting the search index: {_describe(exc)}"

    def body(self, number: int, document: int, html: str) -> None:
        if self.error is not None:
            return
        try:
            assert self.writer is not None and self.spool is not None, "bodies before start"
            clean = sanitize_html(html)
            data = clean.encode("utf-8")
            self.spool.write(_SPOOL_HEAD.pack(number, len(data)) + data)
            if document >= 0:
                self.writer.add(self.documents[document], clean)
        except Exception as exc:
            self.error = _describe(exc)

    def finish(self) -> None:
        """Say the bodies are spooled, then write the index and say so."""
        try:
            if self.spool is not None:
                self.spool.close()
        except Exception as exc:
            self.error = self.error or _describe(exc)
        self.reply("bodies", self.error)
        if self.error is not None:
            return
        try:
            assert self.writer is not None
            self.reply("index", self.writer.write())
        except Exception as exc:
            self.reply("error", _describe(exc))


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """The child's loop. Ends quietly when ``requests`` ends early (the build failed)."""
    child = _Child(replies)
    for kind, *arguments in _receive(requests):
        if kind == "body":
            child.body(*arguments)
        elif kind == "load":
            child.load(*arguments)
        elif kind == "start":
            child.start(*arguments)
        elif kind == "finish":
            child.finish()
            return


class BuildWorker:
    """The child process of one public build; see the module's docstring for its work.

    Call, in this order: :meth:`load_case_files` (optional), :meth:`start_index`, then
    :meth:`add_body` for each case page, :meth:`finish_bodies`, :meth:`body` for each,
    and :meth:`write_index`. :meth:`close` ends the child at any point.
    """

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self._spool_dir = tempfile.TemporaryDirectory(prefix="beslutsregister-",
                                                      ignore_cleanup_errors=True)
        self._spool_path = Path(self._spool_dir.name) / "bodies.bin"
        self._spool: IO[bytes] | None = None
        self._early: dict[int, str] = {}  # bodies read from the spool before they were asked for
        self._bodies = 0
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
            env={**os.environ, "PYTHONPATH": path})

    # -- loading -------------------------------------------------------------------------

    def load_case_files(
        self, paths: Sequence[Path], root: Path, rules: CaseRules
    ) -> list[CaseOutcome]:
        """:func:`~beslutsregister.loading.load_case_files`, the last part in the child."""
        shared = int(len(paths) * CHILD_SHARE) if len(paths) >= MIN_FILES_TO_SHARE else 0
        own, theirs = paths[: len(paths) - shared], paths[len(paths) - shared:]
        if theirs:
            self._request("load", list(theirs), root, rules)
        outcomes = load_case_files(own, root, rules)
        if theirs:
            outcomes += self._reply("loaded", "loading case files")
        return outcomes

    # -- bodies and the index ------------------------------------------------------------

    def start_index(self, documents: Sequence[IndexDocument], folder: Path) -> None:
        """Index these documents (``documents[i].number == i``) into ``folder`` (emptied)."""
        self._request("start", list(documents), folder, self._spool_path)

    def add_body(self, document: int | None, html: str) -> int:
        """Sanitize a rendered case body, and index it as ``document`` (a number given to
        :meth:`start_index`) unless None; the body's number."""
        number = self._bodies
        self._bodies += 1
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):  # a gone child: finish_bodies says so
            _send_body(self._process.stdin, number, -1 if document is None else document, html)
        return number

    def finish_bodies(self) -> None:
        """Wait until every body is sanitized; the index is then written meanwhile."""
        self._request("finish")
        error = self._reply("bodies", "sanitizing case pages")
        if error is not None:
            raise WorkerError(f"sanitizing case pages: {error}")
        self._spool = open(self._spool_path, "rb")  # noqa: SIM115 (closed in close())

    def body(self, number: int) -> str:
        """The sanitized body of :meth:`add_body`'s ``number``, once (read from the spool)."""
        if number in self._early:
            return self._early.pop(number)
        assert self._spool is not None, "body() before finish_bodies()"
        while len(head := self._spool.read(_SPOOL_HEAD.size)) == _SPOOL_HEAD.size:
            found, length = _SPOOL_HEAD.unpack(head)
            text = self._spool.read(length).decode("utf-8")
            if found == number:
                return text
            self._early[found] = text
        raise WorkerError(f"sanitizing case pages: body {number} is missing from the spool")

    def write_index(self) -> IndexSummary:
        """Wait for the child to finish writing the index; its summary. Ends the child."""
        try:
            summary = self._reply("index", "writing the search index")
        finally:
            self.close()
        assert isinstance(summary, IndexSummary)
        return summary

    # -- the child -----------------------------------------------------------------------

    def _request(self, *message: Any) -> None:
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):  # a gone child: its reply says so
            _send(self._process.stdin, message)
            self._process.stdin.flush()

    def _reply(self, expected: str, doing: str) -> Any:
        assert self._process.stdout is not None
        reply = next(_receive(self._process.stdout), None)
        if reply is None:
            self._process.wait()
            detail = self._stderr()
            raise WorkerError(f"{doing}: the build's second process stopped unexpectedly "
                              f"(exit code {self._process.returncode})"
                              f"{': ' + detail if detail else ''}")
        kind, value = reply
        if kind == "error":
            raise WorkerError(f"{doing}: {value}")
        assert kind == expected, reply
        return value

    def _stderr(self) -> str:
        self._errors.seek(0)
        lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else ""

    def close(self) -> None:
        """Stop the child and remove the spool (after a failed build too)."""
        process = self._process
        if process.poll() is None:
            with contextlib.suppress(BrokenPipeError, OSError):
                assert process.stdin is not None
                process.stdin.close()  # the child ends at the end of its input
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdin, process.stdout, self._spool, self._errors):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._early.clear()
        self._spool_dir.cleanup()

    @property
    def running(self) -> bool:
        return self._process.poll() is None


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
