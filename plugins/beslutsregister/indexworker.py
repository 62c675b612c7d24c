"""Build the search index in a second process while the site renders in the first.

MkDocs renders pages on one core. Indexing a decision (text, words, stems, postings,
fragment) takes about half a millisecond, a fifth of rendering its page: in the same
process it added 5 s to a 10 000-decision build. :class:`BackgroundIndexer` hands each
rendered body to a :class:`~beslutsregister.searchindex.SearchIndexWriter` in a child
process, so indexing runs on the machine's other core, and the build only waits for the
last files to be written. The child's memory is its own: the postings never sit in the
MkDocs process.

The child is a fresh interpreter running this module (``python -m``), fed
length-prefixed pickles on its standard input. Not :mod:`multiprocessing`: its "spawn"
and "forkserver" children re-import the parent's main script, so a site built from an
unguarded ``build.py`` would run that script again in the child; "fork" would copy a
build's memory and any lock another thread holds.

Same interface as the writer (``add``, ``write``); any error in the child comes back as
a :class:`~beslutsregister.searchindex.SearchIndexError` from :meth:`write`.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .searchindex import IndexDocument, IndexSummary, SearchIndexError, SearchIndexWriter

_HEAD = struct.Struct(">I")


def _send(stream: IO[bytes], message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEAD.pack(len(data)) + data)


def _receive(stream: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    while len(head := stream.read(_HEAD.size)) == _HEAD.size:
        data = stream.read(_HEAD.unpack(head)[0])
        yield pickle.loads(data)


def serve(count: int, folder: Path, requests: IO[bytes], replies: IO[bytes]) -> None:
    """The child's work: index what arrives, then write the index when asked.

    Ends quietly when ``requests`` ends without a write (the build failed).
    """
    writer = SearchIndexWriter(count, folder)
    error: str | None = None
    for message in _receive(requests):
        if message[0] == "add":
            if error is None:
                try:
                    writer.add(message[1], message[2])
                except Exception as exc:  # reported with the write, in the parent
                    error = f"{type(exc).__name__}: {exc}"
            continue
        try:  # "write"
            if error is not None:
                raise SearchIndexError(error)
            reply: tuple[Any, ...] = ("done", writer.write())
        except Exception as exc:
            reply = ("error", str(exc) if isinstance(exc, SearchIndexError)
                     else f"{type(exc).__name__}: {exc}")
        _send(replies, reply)
        replies.flush()
        return


class BackgroundIndexer:
    """A :class:`SearchIndexWriter` of ``count`` documents into ``folder``, in a child process."""

    def __init__(self, count: int, folder: Path) -> None:
        package_root = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(count), str(folder)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
            env={**os.environ, "PYTHONPATH": path})

    def add(self, document: IndexDocument, body_html: str) -> None:
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):  # a gone child: write() says so
            _send(self._process.stdin, ("add", document, body_html))

    def write(self) -> IndexSummary:
        """Wait for the child to finish writing the index; its summary."""
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        try:
            _send(process.stdin, ("write",))
            process.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        reply = next(_receive(process.stdout), None)
        process.wait()
        detail = self._stderr()
        self.close()
        if reply is None:
            raise SearchIndexError("the indexing process stopped unexpectedly (exit code "
                                   f"{process.returncode}){': ' + detail if detail else ''}")
        kind, value = reply
        if kind == "error":
            raise SearchIndexError(str(value))
        assert isinstance(value, IndexSummary)
        return value

    def _stderr(self) -> str:
        self._errors.seek(0)
        lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else ""

    def close(self) -> None:
        """Stop the child (after a failed build; harmless after :meth:`write`)."""
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
        if process.stdout is not None:
            process.stdout.close()
        self._errors.close()

    @property
    def running(self) -> bool:
        return self._process.poll() is None


if __name__ == "__main__":
    serve(int(sys.argv[1]), Path(sys.argv[2]), sys.stdin.buffer, sys.stdout.buffer)
