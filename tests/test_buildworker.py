"""buildworker: the build's second process loads, sanitizes and indexes like the first would.

Every test compares the worker with doing the same work in this process, and the error
tests name what the build was doing when the child failed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from beslutsregister import buildworker
from beslutsregister.buildworker import BuildWorker, WorkerError
from beslutsregister.grouping import Register
from beslutsregister.loading import LoadResult, load_register
from beslutsregister.sanitize import sanitize_html
from beslutsregister.searchindex import (
    IndexDocument,
    SearchIndexWriter,
    documents_of,
    read_index,
)
from conftest import Site, case_text


@pytest.fixture
def worker() -> Iterator[BuildWorker]:
    started = BuildWorker()
    yield started
    started.close()


def _write_cases(site: Site, count: int) -> None:
    for n in range(1, count + 1):
        site.write_case(f"run-{n}-2024.md", case_text(
            f"## Beslut {n}\n\nText om projekt {n}.\n", diary_number=f"RUN/{n}/2024",
            title=f"Beslut nummer {n}", date=f"2024-01-{1 + n % 28:02d}"))


def _load(site: Site, worker: BuildWorker | None = None) -> LoadResult:
    if worker is None:
        return load_register(site.cases, site.root)
    return load_register(site.cases, site.root, load_files=worker.load_case_files)


def _documents(site: Site, count: int) -> dict[str, IndexDocument]:
    """``count`` cases written and loaded, as index documents by slug (register order)."""
    _write_cases(site, count)
    loaded = _load(site)
    return documents_of(Register.of(loaded.cases, loaded.programmes),
                        lambda case: f"beslut/{case.slug}/")


# -- loading ----------------------------------------------------------------------------------


def test_loading_shared_with_the_child_gives_the_same_register(
    site: Site, worker: BuildWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(buildworker, "MIN_FILES_TO_SHARE", 1)
    _write_cases(site, 9)
    site.write_case("run-7-2024-kopia.md", case_text(diary_number="RUN/7/2024"))  # a twin
    site.write_case("ärende-trasig.md", "---\ntitle: [\n---\n")  # broken YAML, the child's part
    shared, alone = _load(site, worker), _load(site)
    assert [c.source for c in shared.cases] == [c.source for c in alone.cases]
    assert shared.cases == alone.cases
    assert [str(p) for p in shared.problems] == [str(p) for p in alone.problems]
    assert [p.path for p in shared.problems] == ["cases/ärende-trasig.md", "cases/run-7-2024.md"]


def test_a_register_at_the_threshold_is_shared(site: Site, worker: BuildWorker) -> None:
    """The real threshold: the child's part (160 paths) is sent in a file, not a message."""
    _write_cases(site, buildworker.MIN_FILES_TO_SHARE)
    shared, alone = _load(site, worker), _load(site)
    assert shared.cases == alone.cases and len(shared.cases) == 400
    assert (worker._spool_path.parent / "paths.txt").read_text("utf-8").count("\0") == 159


def test_a_small_register_is_loaded_without_the_child(site: Site, worker: BuildWorker) -> None:
    _write_cases(site, 3)
    worker._process.kill()  # would fail any request
    worker._process.wait()
    assert len(_load(site, worker).cases) == 3


def test_a_child_gone_while_loading_is_an_error(
    site: Site, worker: BuildWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(buildworker, "MIN_FILES_TO_SHARE", 1)
    _write_cases(site, 4)
    worker._process.kill()
    worker._process.wait()
    with pytest.raises(WorkerError, match=r"^loading case files: the build's second process "
                       r"stopped unexpectedly \(exit code -9\)$"):
        _load(site, worker)


# -- bodies and the index ---------------------------------------------------------------------

BODIES = [
    '<h2 id="b">Beslut</h2><p onclick="x()">Text <script>alert(1)</script>om '
    '<a href="javascript:alert(1)">länk</a>.</p>',
    "<p>Vanlig text med <em>betoning</em> och en "
    '<a href="https://example.se/">länk</a>.</p>',
]


def test_bodies_come_back_sanitized_and_indexed_as_in_one_process(
    site: Site, worker: BuildWorker, tmp_path: Path
) -> None:
    documents = _documents(site, 6)
    html = {slug: BODIES[n % 2] for n, slug in enumerate(documents)}
    html["run-3-2024"] = "<p>" + "Långt beslut med många ord. " * 20_000 + "</p>"  # 580 KB
    worker.start_index(list(documents.values()), tmp_path / "worker")
    numbers = {slug: worker.add_body(slug, documents[slug].number, body)
               for slug, body in html.items()}
    extra = worker.add_body("extra", None, "<p>Sanerad, <b>ej</b> indexerad</p><script>x</script>")
    worker.finish_bodies()

    assert worker.body(extra) == "<p>Sanerad, <b>ej</b> indexerad</p>"  # out of order
    for slug, number in reversed(numbers.items()):
        assert worker.body(number) == sanitize_html(html[slug]), slug
    with pytest.raises(WorkerError, match=r"^sanitizing extra: its body is missing from the "
                       r"spool$"):
        worker.body(extra)  # each once
    for bad in ("<script", "onclick", "javascript"):
        assert bad not in sanitize_html(BODIES[0])
    summary = worker.write_index()
    assert summary.documents == 6 and not worker.running

    direct = SearchIndexWriter(len(documents), tmp_path / "direct")
    for slug, body in html.items():
        direct.add(documents[slug], sanitize_html(body))
    direct.write()
    for path in (tmp_path / "direct").rglob("*.*"):
        twin = tmp_path / "worker" / path.relative_to(tmp_path / "direct")
        assert twin.read_bytes() == path.read_bytes(), path
    assert read_index(tmp_path / "worker").documents("indexerad") == []


def test_an_index_error_comes_back_from_write_index(
    site: Site, worker: BuildWorker, tmp_path: Path
) -> None:
    documents = _documents(site, 2)
    worker.start_index(list(documents.values()), tmp_path)
    worker.add_body("a", documents["run-1-2024"].number, "<p>a</p>")
    worker.finish_bodies()
    with pytest.raises(WorkerError, match=r"^writing the search index: 1 public cases were "
                       r"not indexed \(the first is number 0\); expected every public case "
                       r"page rendered$"):
        worker.write_index()


def test_a_failed_body_is_named(worker: BuildWorker, tmp_path: Path) -> None:
    worker.add_body("beslut/run-1-2024.md", None, "<p>a</p>")  # before the index: nowhere to go
    with pytest.raises(WorkerError, match=r"^sanitizing beslut/run-1-2024.md: it came "
                       r"before the search index was started$"):
        worker.finish_bodies()


def test_an_index_that_cannot_start_is_an_error(worker: BuildWorker, tmp_path: Path) -> None:
    shutil.rmtree(worker._spool_path.parent)  # nowhere to spool
    worker.start_index([], tmp_path)
    worker.add_body("beslut/a.md", None, "<p>a</p>")
    with pytest.raises(WorkerError, match=r"^starting the search index: FileNotFoundError: "):
        worker.finish_bodies()


def test_an_index_that_cannot_be_written_names_the_page(
    site: Site, worker: BuildWorker, tmp_path: Path
) -> None:
    documents = _documents(site, 1)
    (tmp_path / "fil").write_text("x", "utf-8")
    worker.start_index(list(documents.values()), tmp_path / "fil")  # a file, not a folder
    worker.add_body("beslut/run-1-2024.md", 0, "<p>a</p>")
    with pytest.raises(WorkerError, match=r"^indexing beslut/run-1-2024.md: "
                       r"(FileExistsError|NotADirectoryError): "):
        worker.finish_bodies()


def test_a_body_after_the_last_is_an_error(worker: BuildWorker, tmp_path: Path) -> None:
    worker.start_index([], tmp_path)
    worker.finish_bodies()
    with pytest.raises(WorkerError, match=r"^sanitizing beslut/sen.md: the page was rendered "
                       r"after all case pages were \(by another plugin\?\); expected one "
                       r"rendering$"):
        worker.add_body("beslut/sen.md", None, "<p>sen</p>")


def test_a_child_gone_while_pages_render_is_an_error(worker: BuildWorker, tmp_path: Path) -> None:
    worker.start_index([], tmp_path)
    worker._process.kill()
    worker._process.wait()
    worker.add_body("a", None, "<p>a</p>")  # a broken pipe is not raised here ...
    with pytest.raises(WorkerError, match=r"^sanitizing case pages: the build's second "
                       r"process stopped unexpectedly \(exit code -9\)$"):
        worker.finish_bodies()  # ... but here


def test_close_stops_the_child_and_removes_its_files(worker: BuildWorker, tmp_path: Path) -> None:
    worker.start_index([], tmp_path)
    worker.add_body("a", None, "<p>a</p>")
    folder = worker._spool_path.parent
    assert worker.running and folder.is_dir()
    worker.close()
    assert not worker.running and not folder.exists()


def test_a_project_module_named_like_a_library_does_not_shadow_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build runs in the project folder: its yaml.py must not replace PyYAML."""
    (tmp_path / "yaml.py").write_text("raise ImportError('the project's own yaml.py')\n")
    monkeypatch.chdir(tmp_path)
    started = BuildWorker()
    try:
        started.start_index([], tmp_path / "index")
        number = started.add_body("a", None, "<p>ord</p>")
        started.finish_bodies()
        assert started.body(number) == "<p>ord</p>"
    finally:
        started.close()


UNGUARDED_SCRIPT = """
import sys
from pathlib import Path
from beslutsregister.buildworker import BuildWorker
print("script ran", flush=True)
worker = BuildWorker()
worker.start_index([], Path(sys.argv[1]))
number = worker.add_body("a", None, "<p>ord</p>")
worker.finish_bodies()
print(worker.body(number), worker.write_index().documents)
"""


def test_a_build_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """multiprocessing's spawn would run such a script again in the worker."""
    script = tmp_path / "build.py"
    script.write_text(UNGUARDED_SCRIPT, "utf-8")
    result = subprocess.run([sys.executable, str(script), str(tmp_path / "index")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout) == (0, "script ran\n<p>ord</p> 0\n"), result.stderr
