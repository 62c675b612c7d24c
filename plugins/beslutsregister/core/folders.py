"""Where the register's folders may be: checked the same way by the build and the check.

MkDocs empties ``site_dir`` before every build (all but its dot files), so a ``site_dir``
that holds the case files or the project would delete them; and MkDocs publishes every
file in ``docs_dir``, so case files there would be published raw, drafts and masked text
too. MkDocs itself refuses a ``site_dir`` and ``docs_dir`` inside each other; the rest is
here. Paths are compared resolved (``.``, ``..`` and symbolic links followed).
"""

from __future__ import annotations

from pathlib import Path

from .loading import display_path

SITE_DIR_EXPECTED = ("expected a folder of its own, e.g. 'site', outside cases_dir and "
                     "holding none of cases_dir, docs_dir and mkdocs.yml")


def folder_problems(root: Path, docs_dir: Path, cases_dir: Path, site_dir: Path,
                    cache_dir: Path | None = None, custom_dir: Path | None = None
                    ) -> list[str]:
    """What is wrong with the folders, one message per option (empty if nothing).

    ``root`` is the project's folder (that of ``mkdocs.yml``); the others are the folders
    the options name, relative paths taken from the working directory.
    """
    root, docs, cases, site = (p.resolve() for p in (root, docs_dir, cases_dir, site_dir))
    problems = []
    if cases.is_relative_to(docs):
        problems.append(f"option 'cases_dir': {display_path(cases, root)} is inside docs_dir, "
                        "so MkDocs would publish the raw case files (drafts and masked text "
                        "too); expected a folder outside it")
    if root.is_relative_to(site):
        held = "the project's own folder (mkdocs.yml)"
    elif cases.is_relative_to(site):
        held = "the case files (cases_dir)"
    elif docs.is_relative_to(site):
        held = "the pages' sources (docs_dir)"
    else:
        held = ""
    shown = f"option 'site_dir': '{display_path(site, root)}'"
    if held:
        problems.append(f"{shown} would hold {held}, and a build empties it; "
                        f"{SITE_DIR_EXPECTED}")
    elif site.is_relative_to(cases):
        problems.append(f"{shown} is inside the case folder (cases_dir), so the built site "
                        f"would mix with the case files; {SITE_DIR_EXPECTED}")
    if cache_dir is not None:
        cache = cache_dir.resolve()
        shown = f"option 'build_cache_dir': '{display_path(cache, root)}'"
        theme = [(custom_dir.resolve(), "the theme's custom_dir")] if custom_dir else []
        # A site_dir refused above (the project's own folder, say) is not named again.
        site_ok = [] if problems and "'site_dir'" in problems[-1] else [(site, "site_dir")]
        for folder, name in ((docs, "docs_dir"), *site_ok, (cases, "cases_dir"), *theme):
            if cache.is_relative_to(folder) or folder.is_relative_to(cache):
                problems.append(
                    f"{shown} overlaps {name}; the cache holds every case file's contents "
                    "(drafts too), MkDocs publishes what docs_dir and custom_dir hold and a "
                    "build empties site_dir; expected a folder of its own, e.g. "
                    "'.cache/beslutsregister'")
                break
    return problems
