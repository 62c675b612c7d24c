"""buildworker: the build's second process loads, sanitizes and indexes like the first would.

Every test compares the worker with doing the same work in this process, and the error
tests name what the build was doing when the child failed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from beslutsregister.adapter import buildworker
from beslutsregister.adapter.buildworker import BuildWorker, WorkerError
from beslutsregister.core.grouping import Register
from beslutsregister.core.loading import LoadResult, load_register
from beslutsregister.core.sanitize import sanitize_html
from beslutsregister.search.index import (
    IndexDocument,
    SearchIndexWriter,
    documents_of,
    read_index,
)
from helpers import Site, case_text, make_site


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
    paths = os.pread(worker._paths.fileno(), 1 << 20, 0)
    assert paths.decode("utf-8").count("\0") == 159


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

    body, (_, length) = worker.body(extra)  # out of order
    assert (body, length) == ("<p>Sanerad, <b>ej</b> indexerad</p>", 0)  # nothing indexed
    spool = worker.keep_spool()
    try:
        for slug, number in reversed(numbers.items()):
            body, where = worker.body(number)
            assert body == sanitize_html(html[slug]), slug
            assert len(BuildWorker.spooled_parts(spool, where)) == where[1] > 0, slug
    finally:
        os.close(spool)
    with pytest.raises(WorkerError, match=r"^sanitizing extra: its body is missing from the "
                       r"spool$"):
        worker.body(extra)  # each once
    for bad in ("<script", "onclick", "javascript"):
        assert bad not in sanitize_html(BODIES[0])
    summary = worker.write_index()
    assert summary.documents == 6 and worker.running  # it guards the output next
    worker.close()
    assert not worker.running

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
    worker._request("start", [], tmp_path, 10_000)  # a spool the child was not given
    worker.add_body("beslut/a.md", None, "<p>a</p>")
    with pytest.raises(WorkerError, match=r"^starting the search index: OSError: \[Errno 9\] "
                       r"Bad file descriptor$"):
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


def test_close_stops_the_child_and_frees_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its files never have a name: nothing in the temporary folder, even while it runs."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    started = BuildWorker()
    files = (started._paths, started._spool, started._errors)
    try:
        started.start_index([], tmp_path / "index")
        number = started.add_body("a", None, "<p>a</p>")
        started.finish_bodies()
        assert started.running and list(temp.iterdir()) == []
        assert [os.fstat(file.fileno()).st_nlink for file in files] == [0, 0, 0]
        assert started.body(number)[0] == "<p>a</p>"
    finally:
        started.close()
    assert not started.running and all(file.closed for file in files)


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
        assert started.body(number)[0] == "<p>ord</p>"
    finally:
        started.close()


UNGUARDED_SCRIPT = """
import sys
from pathlib import Path
from beslutsregister.adapter.buildworker import BuildWorker
print("script ran", flush=True)
worker = BuildWorker()
worker.start_index([], Path(sys.argv[1]))
number = worker.add_body("a", None, "<p>ord</p>")
worker.finish_bodies()
print(worker.body(number)[0], worker.write_index().documents)
"""


def test_a_build_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """multiprocessing's spawn would run such a script again in the worker."""
    script = tmp_path / "build.py"
    script.write_text(UNGUARDED_SCRIPT, "utf-8")
    result = subprocess.run([sys.executable, str(script), str(tmp_path / "index")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout) == (0, "script ran\n<p>ord</p> 0\n"), result.stderr


# -- no published text left in the temporary folder -------------------------------------------


def _published_text_in(folder: Path) -> list[Path]:
    """Files under ``folder`` holding a title or a body of :func:`_write_cases`'s cases."""
    found = []
    for path in folder.rglob("*"):
        try:
            text = path.read_bytes().decode("utf-8", "replace")
        except OSError:  # a folder, or gone
            continue
        if "Beslut nummer" in text or "Text om projekt" in text:
            found.append(path)
    return found


def _worker_of(build: int) -> int | None:
    """The build's second process (a child of ``build`` running this module), if started."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text("utf-8", "replace")
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == build and b"beslutsregister.adapter.buildworker" in command:
            return int(entry)
    return None


def _spooling(child: int, temp: Path) -> bool:
    """Whether a file the child has open in ``temp`` holds a case body (the spool, which
    has no name: it is read through /proc)."""
    try:
        descriptors = os.listdir(f"/proc/{child}/fd")
    except OSError:
        return False
    for descriptor in descriptors:
        link = f"/proc/{child}/fd/{descriptor}"
        try:
            if not os.readlink(link).startswith(str(temp)):  # a pipe, say
                continue
            with open(link, "rb") as file:
                if b"Text om projekt" in file.read():
                    return True
        except OSError:
            continue
    return False


def _wait_for(condition: Callable[[], Any], build: subprocess.Popen[bytes]) -> Any:
    deadline = time.monotonic() + 120
    while not (found := condition()):
        assert build.poll() is None, "the build ended before the moment to stop it"
        assert time.monotonic() < deadline, "the moment to stop the build never came"
        time.sleep(0.002)
    return found


def _start_build(site: Site, temp: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site.root,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1", TMPDIR=str(temp)),
            stdin=subprocess.DEVNULL, stdout=output, stderr=output, start_new_session=True)


@pytest.mark.parametrize("moment", ["child-started", "bodies-spooled"])
def test_a_build_killed_leaves_no_published_text_behind(tmp_path: Path, moment: str) -> None:
    """SIGKILL runs no clean-up: the build's files must have no name in the first place."""
    site = make_site(tmp_path / "project")
    _write_cases(site, buildworker.MIN_FILES_TO_SHARE)  # the child loads a part
    temp = tmp_path / "tmp"
    temp.mkdir()
    build = _start_build(site, temp, tmp_path / "build.log")
    try:
        child = _wait_for(lambda: _worker_of(build.pid), build)
        if moment == "bodies-spooled":  # published text in a temporary file right now
            _wait_for(lambda: _spooling(child, temp), build)
    finally:
        os.killpg(build.pid, signal.SIGKILL)  # the build and its second process
        build.wait()
    assert build.returncode == -signal.SIGKILL
    assert _published_text_in(temp) == []
    assert list(temp.rglob("*")) == []


def test_a_build_puts_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project")
    _write_cases(site, buildworker.MIN_FILES_TO_SHARE)
    temp = tmp_path / "tmp"
    temp.mkdir()
    build = _start_build(site, temp, tmp_path / "build.log")
    seen: set[Path] = set()
    try:
        while build.poll() is None:
            seen.update(_published_text_in(temp))
            time.sleep(0.002)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    assert build.returncode == 0, (tmp_path / "build.log").read_text("utf-8", "replace")
    assert len(list(site.site.glob("beslut/*/index.html"))) == 400
    assert seen == set()
    assert list(temp.rglob("*")) == []


def test_the_guard_scans_pages_as_written_and_what_changed_at_the_end(
    worker: BuildWorker, tmp_path: Path
) -> None:
    from beslutsregister.core.outputguard import SiteScan
    from beslutsregister.core.privacy import ProtectedPeople

    folder = tmp_path / "site"
    (folder / "a").mkdir(parents=True)
    (folder / "asset.css").write_text("body{}", encoding="utf-8")  # before the pages
    worker.start_guard(folder, ProtectedPeople({}))
    (folder / "a" / "index.html").write_text("<p>Sökande 640823-3234</p>", encoding="utf-8")
    worker.written("a/index.html")
    (folder / "b.html").write_text("<p>ren</p>", encoding="utf-8")
    worker.written("b.html")
    time.sleep(0.05)
    # After the child read them: one page mended, another file changed by "a plugin".
    (folder / "a" / "index.html").write_text("<p>ren sida</p>", encoding="utf-8")
    (folder / "asset.css").write_text("/* 19640823-3234 */", encoding="utf-8")
    (folder / "sok" / "data").mkdir(parents=True)
    (folder / "sok" / "data" / "x.json").write_text('["640823-3234"]', encoding="utf-8")
    rest = SiteScan(folder, ProtectedPeople({}))  # what this process scans meanwhile
    leaks = worker.leaks("sok/data", rest)
    assert [(leak.output, leak.masked) for leak in leaks] == [
        ("asset.css", "19640823-****"), ("sok/data/x.json", "640823-****")]
    assert rest.files == 1  # the stylesheet; the child swept the pages and the index
    assert not worker.running
