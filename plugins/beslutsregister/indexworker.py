"""Build the search index in a second process while the site renders in the first.

MkDocs renders pages on one core. Indexing a decision (text, words, stems, postings,
fragment) takes about half a millisecond, a fifth of rendering its page: in the same
process it added 5 s to a 10 000-decision build. :class:`BackgroundIndexer` hands each
rendered body to a :class:`~beslutsregister.searchindex.SearchIndexWriter` in a child
process, so indexing runs on the machine's other core, and the build only waits for the
last files to be written. The child's memory is its own: the postings never sit in the
MkDocs process.

Same interface as the writer (``add``, ``write``); any error in the child comes back as
a :class:`~beslutsregister.searchindex.SearchIndexError` from :meth:`write`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path

from .searchindex import IndexDocument, IndexSummary, SearchIndexError, SearchIndexWriter


def _serve(connection: Connection, count: int, folder: str) -> None:
    """The child: index what arrives, then write the index when asked."""
    writer = SearchIndexWriter(count, Path(folder))
    error: str | None = None
    while True:
        try:
            message = connection.recv()
        except EOFError:  # the parent is gone (its build failed): nothing to write
            return
        if message[0] == "add":
            if error is None:
                try:
                    writer.add(message[1], message[2])
                except Exception as exc:  # reported with the write, in the parent
                    error = f"{type(exc).__name__}: {exc}"
        elif message[0] == "write":
            try:
                if error is not None:
                    raise SearchIndexError(error)
                connection.send(("done", writer.write()))
            except Exception as exc:
                connection.send(("error", str(exc) if isinstance(exc, SearchIndexError)
                                 else f"{type(exc).__name__}: {exc}"))
            return
        else:  # "close"
            return


class BackgroundIndexer:
    """A :class:`SearchIndexWriter` of ``count`` documents into ``folder``, in a child process."""

    def __init__(self, count: int, folder: Path) -> None:
        # "spawn": a fork of a process in the middle of a build would copy its memory
        # and any lock another thread holds.
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, count, str(folder)),
                                        daemon=True, name="beslutsregister-search-index")
        self._process.start()
        child.close()

    def add(self, document: IndexDocument, body_html: str) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):  # a gone child: write() says so
            self._connection.send(("add", document, body_html))

    def write(self) -> IndexSummary:
        """Wait for the child to finish writing the index; its summary."""
        try:
            self._connection.send(("write",))
            kind, value = self._connection.recv()
        except (BrokenPipeError, EOFError, OSError):
            self.close()
            raise SearchIndexError("the indexing process stopped unexpectedly (exit code "
                                   f"{self._process.exitcode})") from None
        self._process.join(timeout=30)
        self.close()
        if kind == "error":
            raise SearchIndexError(str(value))
        assert isinstance(value, IndexSummary)
        return value

    def close(self) -> None:
        """Stop the child (after a failed build; harmless after :meth:`write`)."""
        if self._process.is_alive():
            with contextlib.suppress(BrokenPipeError, OSError):
                self._connection.send(("close",))
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
        self._connection.close()
