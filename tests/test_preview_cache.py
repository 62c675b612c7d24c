"""PreviewOutputKeeper: unchanged pages survive a cleaned site folder; changed ones don't."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from beslutsregister.adapter.preview_cache import PreviewOutputKeeper, config_files
from beslutsregister.core.fingerprint import fingerprint
from beslutsregister.core.pages import Urls


def write(site: Path, dest: str, text: str) -> None:
    path = site / dest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def clean(site: Path) -> None:
    """What MkDocs does to its site folder at the start of every serve rebuild."""
    for child in site.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


@pytest.fixture
def keeper() -> Iterator[PreviewOutputKeeper]:
    k = PreviewOutputKeeper(("beslut",))
    yield k
    k.close()


def build(keeper: PreviewOutputKeeper, site: Path, pages: dict[str, str]) -> list[str]:
    """One rebuild: returns the pages that had to be rendered."""
    keeper.before_build(site)
    clean(site)
    rendered = []
    for name, content in pages.items():
        dest = f"beslut/{name}/index.html"
        if not keeper.reuse(name, fingerprint(content), dest):
            write(site, dest, content)
            rendered.append(name)
    write(site, "index.html", "start")
    keeper.after_build(site)
    return rendered


def test_only_changed_pages_are_rendered_and_all_are_served(
    keeper: PreviewOutputKeeper, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    assert build(keeper, site, {"a": "A1", "b": "B1", "c": "C1"}) == ["a", "b", "c"]
    assert build(keeper, site, {"a": "A1", "b": "B2", "c": "C1"}) == ["b"]
    assert {p: (site / "beslut" / p / "index.html").read_text() for p in "abc"} == {
        "a": "A1", "b": "B2", "c": "C1"}
    assert (site / "index.html").read_text() == "start"


def test_deleted_pages_disappear(keeper: PreviewOutputKeeper, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    build(keeper, site, {"a": "A", "b": "B"})
    assert build(keeper, site, {"a": "A"}) == []
    assert not (site / "beslut" / "b" / "index.html").exists()
    assert (site / "beslut" / "a" / "index.html").read_text() == "A"


def test_a_failed_build_loses_nothing(keeper: PreviewOutputKeeper, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    build(keeper, site, {"a": "A", "b": "B"})
    keeper.before_build(site)  # a build that fails before after_build()
    clean(site)
    assert build(keeper, site, {"a": "A", "b": "B"}) == []
    assert (site / "beslut" / "b" / "index.html").read_text() == "B"


@pytest.mark.parametrize(
    ("directory_urls", "src_uri", "dest"),
    [
        (True, "beslut/run-1-2024.md", "beslut/run-1-2024/index.html"),
        (True, "register/index.md", "register/index.html"),
        (False, "beslut/run-1-2024.md", "beslut/run-1-2024.html"),
        (False, "register/index.md", "register/index.html"),
    ],
)
def test_dest_matches_mkdocs(directory_urls: bool, src_uri: str, dest: str) -> None:
    assert Urls(directory_urls).dest(src_uri) == dest


# -- what a preview page depends on besides its content ----------------------------------------


@pytest.mark.parametrize(("files", "expected"), [
    ({"mkdocs.yml": "site_name: A\n"}, ["mkdocs.yml"]),
    ({"mkdocs.yml": "INHERIT: base.yml\n", "base.yml": "site_name: A\n"},
     ["mkdocs.yml", "base.yml"]),
    ({"mkdocs.yml": "INHERIT: \"../delat/bas.yml\"  # gemensam\n",
      "../delat/bas.yml": "INHERIT: 'rot.yml'\n", "../delat/rot.yml": "x: 1\n"},
     ["mkdocs.yml", "../delat/bas.yml", "../delat/rot.yml"]),
    ({"mkdocs.yml": "INHERIT: base.yml\n", "base.yml": "INHERIT: mkdocs.yml\n"},
     ["mkdocs.yml", "base.yml"]),  # a loop ends
    ({"mkdocs.yml": "INHERIT: saknas.yml\n"}, ["mkdocs.yml"]),  # MkDocs reports it
    ({"mkdocs.yml": "extra:\n  INHERIT: base.yml\n", "base.yml": ""}, ["mkdocs.yml"]),  # nested
])
def test_config_files_follow_inherit(
    tmp_path: Path, files: dict[str, str], expected: list[str]
) -> None:
    project = tmp_path / "projekt"
    for name, text in files.items():
        path = (project / name).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    found = config_files(project / "mkdocs.yml")
    assert found == [project / "mkdocs.yml"] + [(project / n).resolve() for n in expected[1:]]
