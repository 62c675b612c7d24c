"""Keep the output of unchanged generated pages between preview rebuilds.

``mkdocs serve`` cleans its site folder and renders every page on each save: about 40 s
for 10 000 cases, far too slow for staff checking one decision. A generated page's HTML
depends only on its own content and on what surrounds it on every page (navigation, site
config), so when neither changed since the last build its previous output is still right.

Before MkDocs cleans the site folder, the folders holding generated pages are *moved*
aside (one rename each, whatever their size); pages whose fingerprint is unchanged are
not handed to MkDocs at all; after the build the few freshly rendered files are moved
into the kept folders, which are moved back. Work per save is proportional to what
changed, not to the size of the register.

Only the staff preview uses this; a public ``mkdocs build`` always renders everything.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

_INHERIT = re.compile(r"""^INHERIT:[ \t]*(["']?)(?P<path>[^"'#\r\n]+?)\1[ \t]*(?:#.*)?$""",
                      re.MULTILINE)


def config_files(config_file: Path) -> list[Path]:
    """``mkdocs.yml`` and the files it inherits from (``INHERIT:``), in order.

    A parent config shapes every page like the child does, but ``mkdocs serve`` keeps
    no record of it; a preview must notice when it changes. A missing or repeated
    parent ends the chain (MkDocs itself reports a missing one).
    """
    chain: list[Path] = []
    path: Path | None = config_file
    while path is not None and path.is_file() and path not in chain:
        chain.append(path)
        found = _INHERIT.search(path.read_text("utf-8", errors="replace"))
        path = (path.parent / found["path"]).resolve() if found else None
    return chain


def stamps(paths: Iterable[Path]) -> list[str]:
    """``path:modification time`` of each file, for :func:`fingerprint`."""
    return [f"{p}:{p.stat().st_mtime_ns}" for p in paths]


class PreviewOutputKeeper:
    """Carries generated pages' output from one preview build to the next.

    ``roots`` are the site folders that hold generated pages (e.g. ``beslut``).
    """

    def __init__(self, roots: Iterable[str]) -> None:
        self.roots = tuple(roots)
        self.kept = Path(tempfile.mkdtemp(prefix="beslutsregister-preview-"))
        self._stored: dict[str, tuple[str, str]] = {}  # src_uri -> (fingerprint, dest_uri)
        self._pending: dict[str, tuple[str, str]] = {}  # rendered in this build
        self._current: set[str] = set()

    def before_build(self, site_dir: Path) -> None:
        """Move the generated folders out of ``site_dir`` before MkDocs cleans it."""
        self._pending, self._current = {}, set()
        for root in self.roots:
            built, kept = site_dir / root, self.kept / root
            if not built.exists():
                continue
            if kept.exists():  # the last build failed after rendering: drop its partial output
                shutil.rmtree(built)
            else:
                os.rename(built, kept)

    def reuse(self, src_uri: str, page_fingerprint: str, dest_uri: str) -> bool:
        """True if the kept output of this page is still right; else it must be rendered."""
        self._current.add(src_uri)
        if self._stored.get(src_uri) == (page_fingerprint, dest_uri) and (
            self.kept / dest_uri
        ).is_file():
            return True
        self._pending[src_uri] = (page_fingerprint, dest_uri)
        return False

    def render(self, src_uri: str, dest_uri: str) -> None:
        """Note a generated page that is rendered in every build (kept only until deleted)."""
        self._current.add(src_uri)
        self._pending[src_uri] = ("", dest_uri)

    def after_build(self, site_dir: Path) -> int:
        """Merge this build's rendered pages into the kept folders and put them back.

        Returns how many pages were reused.
        """
        for src_uri in set(self._stored) - self._current:  # deleted cases, renamed units
            (self.kept / self._stored.pop(src_uri)[1]).unlink(missing_ok=True)
        for root in self.roots:
            built, kept = site_dir / root, self.kept / root
            if built.exists():
                for path in [p for p in built.rglob("*") if p.is_file()]:
                    target = kept / path.relative_to(built)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, target)
                shutil.rmtree(built)
            if kept.exists():
                os.rename(kept, built)
        self._stored.update(self._pending)  # "" never matches: render() pages are not reused
        reused = len(self._current) - len(self._pending)
        self._pending = {}
        return reused

    def close(self) -> None:
        shutil.rmtree(self.kept, ignore_errors=True)
