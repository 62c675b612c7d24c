"""The plugin's two modes (adapter/modes.py), in real builds run in this process: a
preview never starts the build's second process nor stages, and a public build never
writes anywhere but its staging folder before the swap."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError

from beslutsregister.adapter import modes
from beslutsregister.adapter.buildworker import BuildWorker, WorkerError
from beslutsregister.adapter.modes import PreviewMode, PublicBuild, worker_errors
from beslutsregister.core.staging import StagedSite
from helpers import Site, case_text, make_site


@pytest.fixture(autouse=True)
def own_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs keeps a plugin with on_startup for every later config of the process (that
    is how ``serve`` keeps it): these tests' plugins must not outlive them."""
    monkeypatch.setattr(MkDocsConfig.plugins, "plugin_cache", {})


@pytest.fixture
def project(tmp_path: Path) -> Site:
    site = make_site(tmp_path / "project")
    site.write_case("1.md", case_text(diary_number="RUN/1/2024"))
    site.write_case("2.md", case_text(diary_number="RUN/2/2024", title="Mitt utkast",
                                      status="draft"))
    return site


def _config(site: Site) -> MkDocsConfig:
    return load_config(str(site.root / "mkdocs.yml"))


def _staging_folders(site: Site) -> list[str]:
    return sorted(p.name for p in site.root.iterdir() if ".staging-" in p.name)


class _Forbidden:
    def __init__(self, *args: object) -> None:
        raise AssertionError("a preview started the build's second process or staged")


def test_a_preview_never_starts_a_second_process_nor_stages(
    project: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(modes, "BuildWorker", _Forbidden)
    monkeypatch.setattr(modes, "StagedSite", _Forbidden)
    config = _config(project)
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["beslutsregister"]
    try:
        assert isinstance(plugin.mode, PreviewMode) and plugin.worker is None
        build(config, serve_url="http://127.0.0.1:8000/")
        assert config.site_dir == str(project.site)  # served where MkDocs built it
        draft = project.page("beslut/run-2-2024")
        assert "Utkast – ej publicerat" in draft
        assert '<meta name="robots" content="noindex, nofollow">' in draft
        assert not (project.site / "sok" / "data").exists()  # no search index
        with caplog.at_level(logging.INFO):  # a rebuild: the same plugin, as serve keeps it
            build(_config(project), serve_url="http://127.0.0.1:8000/")
        assert "beslutsregister: preview reused 2 unchanged pages" in caplog.messages
        assert "Beslutet fattas." in project.page("beslut/run-1-2024")
    finally:
        config.plugins.on_shutdown()
    assert not Path(plugin.mode.keeper.kept).exists()  # its kept pages are gone
    assert _staging_folders(project) == []


def test_a_public_build_writes_only_into_staging_until_the_swap(
    project: Site, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One second process; everything is written into the staging folder, and the
    published site is untouched until the guard passed and the folder is swapped in."""
    workers: list[BuildWorker] = []
    swaps: list[tuple[list[str], list[str]]] = []

    class CountedWorker(BuildWorker):
        def __init__(self) -> None:
            super().__init__()
            workers.append(self)

    class WatchedStaging(StagedSite):
        def publish(self) -> None:
            assert self.folder != self.target
            swaps.append(([p.name for p in self.target.iterdir()],
                          sorted(str(p.relative_to(self.folder)) for p in
                                 self.folder.glob("beslut/*/index.html"))))
            super().publish()

    monkeypatch.setattr(modes, "BuildWorker", CountedWorker)
    monkeypatch.setattr(modes, "StagedSite", WatchedStaging)
    project.site.mkdir()
    (project.site / "gammal.html").write_text("förra bygget", encoding="utf-8")
    config = _config(project)
    config.plugins.on_startup(command="build", dirty=False)
    plugin = config.plugins["beslutsregister"]
    assert isinstance(plugin.mode, PublicBuild)
    build(config)
    assert len(workers) == 1 and not workers[0].running
    assert swaps == [(["gammal.html"], ["beslut/run-1-2024/index.html"])]  # no draft
    assert config.site_dir == str(project.site)  # for what runs after the build
    assert not (project.site / "gammal.html").exists()
    assert (project.site / "sok" / "data").is_dir()
    assert "noindex" not in project.page("beslut/run-1-2024")
    assert plugin.worker is None and _staging_folders(project) == []


def test_a_public_build_without_a_staging_folder_does_not_build(
    project: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    def refused(self: StagedSite) -> Path:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(StagedSite, "prepare", refused)
    monkeypatch.setattr(modes, "BuildWorker", _Forbidden)
    project.site.mkdir()
    (project.site / "gammal.html").write_text("förra bygget", encoding="utf-8")
    config = _config(project)
    config.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(Abort):
        build(config)
    assert ("beslutsregister: cannot make the staging folder beside site_dir (read-only "
            "file system); expected a writable folder") in caplog.messages
    assert [p.name for p in project.site.iterdir()] == ["gammal.html"]


def test_worker_errors_fail_the_build_with_their_message() -> None:
    with pytest.raises(PluginError) as raised, worker_errors():
        raise WorkerError("sanitizing beslut/x.md: it broke")
    assert str(raised.value) == "beslutsregister: sanitizing beslut/x.md: it broke"
    assert raised.value.__suppress_context__  # MkDocs shows the message, no traceback
    with pytest.raises(KeyError), worker_errors():  # anything else is no worker's failure
        raise KeyError("x")
