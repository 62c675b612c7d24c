"""The two places where ProperDocs, the maintained fork of MkDocs 1.x, differs from MkDocs
in what the plugin relies on.

Under ``properdocs`` every ``mkdocs.*`` import is ProperDocs' own module (its CLI
installs an import alias before any plugin loads), so the plugin's imports, events,
``File``, ``Page``, ``LiveReloadServer`` and ``PluginError`` all work unchanged. Two
things do not:

- **The strict-mode counter.** MkDocs counts a strict build's warnings with a
  ``CountHandler`` on the ``mkdocs`` logger, ProperDocs on the ``properdocs`` logger
  (``mkdocs`` is re-parented under it, so the plugin's own warnings are counted too).
  Looking only at ``mkdocs`` finds no counter under ProperDocs: a strict build that
  warned would swap its site in, and fail only afterwards.
- **``--no-livereload``.** MkDocs' ``serve`` stores both ``--livereload`` and
  ``--no-livereload`` in one parameter ``livereload`` (default ``True``). ProperDocs
  has a flag ``no_livereload`` of its own and keeps ``livereload`` as a hidden no-op
  flag that defaults to ``False``; reading ``livereload`` refuses every preview.

Neither function imports ProperDocs: each looks only at what the running build made.
"""

from __future__ import annotations

import logging
import sys

import click

#: The loggers a strict build's warning counter may sit on: MkDocs', ProperDocs'.
STRICT_LOGGERS = ("mkdocs", "properdocs")


def _count_handler_types() -> tuple[type, ...]:
    """``CountHandler`` of each of MkDocs and ProperDocs that this process loaded (one
    class under either CLI, where ``mkdocs.utils`` is ``properdocs.utils``)."""
    found: list[type] = []
    for name in ("mkdocs.utils", "properdocs.utils"):
        handler = getattr(sys.modules.get(name), "CountHandler", None)
        if isinstance(handler, type) and handler not in found:
            found.append(handler)
    return tuple(found)


def strict_warnings_counted() -> bool:
    """Whether the running build's strict-mode counter has counted a warning (MkDocs or
    ProperDocs fails the build right after ``on_post_build`` then)."""
    types = _count_handler_types()
    return bool(types) and any(
        isinstance(handler, types) and handler.get_counts()  # type: ignore[attr-defined]
        for name in STRICT_LOGGERS for handler in logging.getLogger(name).handlers)


def live_reload_requested() -> bool:
    """Whether ``serve`` runs with live reload, read from its command line (MkDocs' or
    ProperDocs'); ``True`` when no command line is known (MkDocs' API called directly)."""
    context = click.get_current_context(silent=True)
    if context is None:
        return True
    params = context.params
    if "no_livereload" in params:  # ProperDocs: --livereload is a hidden no-op flag
        return params["no_livereload"] is not True
    return params.get("livereload", True) is not False
