"""Render Material's navigation once for every page that is not in it.

Every page embeds the site's navigation. For a page that is not in the navigation (all
case pages), nothing in it depends on the page but the relative links, which depend
only on how deep the page's URL is: ten thousand case pages carry the same navigation
HTML. Rendering it for each cost 6.5 s of a 10 000-decision build (measured by building
without it); this renders it once per depth.

How: the plugin puts ``templates/partials/nav.html`` in front of Material's. That
template asks :meth:`NavigationCache.key` whether the page may share the navigation; if
so and it is cached, it prints the cached HTML, else it includes Material's own
``partials/nav.html`` (through the ``beslutsregister-theme/`` prefix, which skips the
override) and keeps the result. A site's own ``custom_dir`` override of the navigation
comes first and is left alone. Jinja only: no MkDocs import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
#: Templates of the theme itself, without the override, under this prefix.
PREFIX = "beslutsregister-theme"


class NavigationCache:
    """The navigation HTML of pages outside the navigation, by URL depth, for one build
    (a new cache for every build: the navigation may change between previews)."""

    def __init__(self) -> None:
        self.html: dict[int, Markup] = {}
        self._in_nav: tuple[int, frozenset[int]] = (0, frozenset())

    def key(self, page: Any, nav: Any) -> int | None:
        """The URL depth of a page outside ``nav``; ``None`` for a page in it (or none)."""
        if page is None or nav is None:
            return None
        if self._in_nav[0] != id(nav):
            self._in_nav = (id(nav), frozenset(id(p) for p in nav.pages))
        if id(page) in self._in_nav[1]:
            return None
        return str(page.url).count("/")

    def keep(self, key: int | None, html: str) -> Markup:
        markup = Markup(html)
        if key is not None:
            self.html[key] = markup
        return markup

    def install(self, env: Environment, theme_dirs: list[str]) -> None:
        """Give ``env`` the cache and the theme's own templates under :data:`PREFIX`.

        ``theme_dirs`` are the theme's template folders after the override's.
        """
        loader: BaseLoader = PrefixLoader({PREFIX: FileSystemLoader(theme_dirs)})
        env.loader = ChoiceLoader([env.loader, loader]) if env.loader else loader
        env.globals.update(br_nav_key=self.key, br_nav_keep=self.keep, br_nav_cache=self.html)
