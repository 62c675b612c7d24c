"""ProperDocs, the maintained fork of MkDocs 1.x, builds the register MkDocs builds.

The same project is built with ``python -m mkdocs build --strict`` and with
``python -m properdocs build --strict`` into two folders, and the two sites must have the
same files with the same bytes. Normalized is only the generator tag of the theme
(``<meta name="generator" content="mkdocs-1.6.1, ...">`` against
``content="mkdocs-ProperDocs 1.6.7, ..."``); gzip files (the sitemap's and the search
index's) are compared decompressed. Any other difference fails. A failed ProperDocs build
must fail as MkDocs' does and publish nothing, and ``properdocs serve`` must preview.

ProperDocs is a test dependency (``.[test]``): without it these tests fail, never skip.
"""

from __future__ import annotations

import gzip
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import HOSTILE_BODY, Site, case_text, copy_seeds, make_site

TOOLS = ("mkdocs", "properdocs")

# One clock for both builds (the sitemap's dates, gzip headers), and no notices on stderr.
BUILD_ENV = {
    "SOURCE_DATE_EPOCH": "1717243200",  # 2024-06-01 12:00 UTC
    "NO_MKDOCS_2_WARNING": "1",
    "DISABLE_MKDOCS_2_WARNING": "true",
}

#: The only part of a page allowed to differ: the theme's generator tag.
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')
GENERATOR_NORMALIZED = b'<meta name="generator" content="">'
GZIP_MAGIC = b"\x1f\x8b"


def _properdocs_version() -> str:
    try:
        import properdocs
    except ImportError as exc:  # a failure, not a skip: CI must build with both
        pytest.fail(f"properdocs is not installed ({exc}); expected it from "
                    "`pip install -e \".[test]\"`")
    return str(properdocs.__version__)


def build(site: Site, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m <tool> build --strict`` in ``site``'s project."""
    return subprocess.run(
        [sys.executable, "-m", tool, "build", "--strict", "-f", "mkdocs.yml", *args],
        cwd=site.root, env=dict(os.environ, **BUILD_ENV),
        capture_output=True, text=True, timeout=600,
    )


def build_both(site: Site) -> dict[str, subprocess.CompletedProcess[str]]:
    """Build ``site`` with each tool into ``out-<tool>`` in its project."""
    return {tool: build(site, tool, "-d", str(site.root / f"out-{tool}")) for tool in TOOLS}


def outputs(site: Site, results: dict[str, subprocess.CompletedProcess[str]]
            ) -> dict[str, Path]:
    """The two built sites, each tool's; fails on a failed build."""
    for tool, result in results.items():
        assert result.returncode == 0, f"{tool} build failed:\n{result.stderr}"
    leftovers = [p.name for p in site.root.iterdir() if ".staging-" in p.name]
    assert not leftovers, f"staging folders left behind: {leftovers}"
    return {tool: site.root / f"out-{tool}" for tool in results}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` by its relative path."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
              min(len(a), len(b)))
    return (f"at byte {at} of {len(a)}/{len(b)}: "
            f"{a[max(0, at - 60):at + 60]!r} != {b[max(0, at - 60):at + 60]!r}")


def test_properdocs_is_installed_in_the_tested_range() -> None:
    """pyproject.toml's test extra pins ``properdocs>=1.6.7,<2``."""
    major, minor, patch = (int(part) for part in _properdocs_version().split(".")[:3])
    assert (1, 6, 7) <= (major, minor, patch) < (2,)


def compare_sites(mkdocs_site: Path, properdocs_site: Path) -> dict[str, Any]:
    """Assert the two sites are the same apart from the generator tag; what was compared."""
    ours, theirs = tree(mkdocs_site), tree(properdocs_site)
    assert sorted(ours) == sorted(theirs), (
        f"only from MkDocs: {sorted(set(ours) - set(theirs))}; "
        f"only from ProperDocs: {sorted(set(theirs) - set(ours))}")
    differences: list[str] = []
    generators: dict[str, set[bytes]] = {tool: set() for tool in TOOLS}
    tagged: list[str] = []  # files that differed in their generator tag only
    gzipped: list[str] = []
    for name, a in ours.items():
        b = theirs[name]
        if a[:2] == GZIP_MAGIC:
            assert b[:2] == GZIP_MAGIC, f"{name}: gzip from MkDocs only"
            gzipped.append(name)
            a, b = gzip.decompress(a), gzip.decompress(b)
        if a == b:
            continue
        generators["mkdocs"].update(GENERATOR.findall(a))
        generators["properdocs"].update(GENERATOR.findall(b))
        a_norm = GENERATOR.sub(GENERATOR_NORMALIZED, a)
        b_norm = GENERATOR.sub(GENERATOR_NORMALIZED, b)
        if a_norm == b_norm:
            tagged.append(name)
        else:
            differences.append(f"{name}: {_first_difference(a_norm, b_norm)}")
    assert not differences, (f"{len(differences)} of {len(ours)} files differ beyond the "
                             "generator tag:\n" + "\n".join(differences[:20]))
    # The tag is the only difference, it is in every page (Material's base template), and
    # it is the one expected.
    assert sorted(tagged) == sorted(name for name in ours if name.endswith(".html"))
    version = _properdocs_version().encode()
    assert all(g.startswith(b"mkdocs-1.") for g in generators["mkdocs"]), generators
    assert all(g.startswith(b"mkdocs-ProperDocs " + version) for g in generators["properdocs"]), \
        generators
    assert "sitemap.xml.gz" in gzipped
    assert any(name.startswith("sok/data/") for name in gzipped), "no gzipped search index"
    assert "sok/data/index.json" in ours
    return {"files": len(ours), "tag_only": tagged, "gzip": gzipped}


# -- the seed register ------------------------------------------------------------------


def test_the_seed_register_is_the_same_built_with_properdocs(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project")
    copy_seeds(site)
    built = outputs(site, build_both(site))
    compared = compare_sites(built["mkdocs"], built["properdocs"])
    assert "beslut/run-138-2024/index.html" in compared["tag_only"]


# -- a generated register ----------------------------------------------------------------

UNITS = ["Samhällsutveckling", "Näringsliv och samhällsbyggnad", "Kultur & bildning",
         "Folkhälsa"]
PROGRAMME_IDS = ["tillvaxtverket-s3", "react-eu", "egen-finansiering"]
WORDS = ["samverkan", "kompetensförsörjning", "landsbygdsutveckling", "turism",
         "innovation", "digitalisering", "kollektivtrafik", "besöksnäring", "forskning",
         "energiomställning", "föreningsliv", "skogsnäring"]


def _generated_case(i: int) -> dict[str, Any]:
    """The front matter of generated case ``i``: fields vary with ``i``."""
    year = 2019 + i % 6
    word, other = WORDS[i % len(WORDS)], WORDS[(i * 5 + 3) % len(WORDS)]
    fields: dict[str, Any] = {
        "diary_number": f"RUN/{100 + i}/{year}",
        "title": f"Stöd till {word} och {other} – etapp {i % 4 + 1}",
        "date": f"{year}-{i % 12 + 1:02d}-{i * 7 % 28 + 1:02d}",
        "unit": UNITS[i % len(UNITS)],
        "officer": {"name": f"Handläggare Nummer{i % 9}",
                    **({"email": f"handlaggare{i % 9}@example.se"} if i % 2 else {}),
                    **({"phone": f"0631{i:05d}"} if i % 3 == 0 else {})},
        "decided_by": {"name": f"Chef Nummer{i % 5}", "role": "Enhetschef"},
    }
    if i % 4 == 0:
        fields["delegation"] = f"Delegationsordning 2023–2026, punkt {i % 10}.{i % 3 + 1}"
        fields["reported_to"] = "Regionala utvecklingsnämnden"
    if i % 5 == 0:
        fields["copy_to"] = ["Tillväxtverket", f"Kommun {i}"]
    if i % 3 == 1:
        fields["project"] = {"name": f"Projekt {word.capitalize()} {i}",
                             "start": f"{year}-03-01", "end": f"{year + 1}-02-28",
                             "budget_sek": 100000 * (i + 1)}
    funding = [{"programme": PROGRAMME_IDS[i % 3], "amount_sek": 25000 * (i + 1)}]
    if i % 6 == 2:
        funding.append({"programme": PROGRAMME_IDS[(i + 1) % 3], "amount_sek": 12345 * i,
                        "note": "Medfinansiering i form av arbetstid"})
    fields["funding"] = funding if i % 7 != 6 else None  # some without funding
    return fields


def _generated_body(i: int) -> str:
    word = WORDS[i % len(WORDS)]
    body = (f"## Ärendebeskrivning\n\nÄrendet gäller {word} i länet. Sökanden har "
            f"ansökt om stöd för att utveckla {word}en och samarbeten i regionen.\n\n"
            f"## Bedömning\n\n- Projektet bidrar till strategin.\n- Budgeten är rimlig.\n\n"
            f"| Post | Kronor |\n| --- | --- |\n| Personal | {1000 * i} |\n"
            f"| Resor | {100 * i} |\n\n## Beslut\n\nRegionen beviljar stöd. "
            f"Se även RUN/{100 + (i + 1) % 50}/{2019 + (i + 1) % 6}.\n")
    if i % 8 == 3:
        body += "\nUppgifter om sökanden: [[maskera: Hemlig Uppgift Åtta]].\n"
    if i % 11 == 5:
        body += "\nSkäl: [[maskera 26:1: känslig hälsouppgift]].\n"
    return body


#: A project and each tool's build of it.
Built = tuple[Site, dict[str, subprocess.CompletedProcess[str]]]


@pytest.fixture(scope="module")
def generated_register(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A register of 50 cases (varied fields, masking, a draft, an embargo, a protected
    officer, a hostile body) built with both tools; a failed build fails the tests that
    use it (in ``outputs``), not this fixture."""
    site = make_site(tmp_path_factory.mktemp("generated") / "project")
    for i in range(47):
        site.write_case(f"case-{i:02d}.md", case_text(_generated_body(i), **_generated_case(i)))
    site.write_case("draft.md", case_text(diary_number="RUN/900/2024", status="draft",
                                          title="Utkast om fjällturism"))
    site.write_case("embargo.md", case_text(diary_number="RUN/901/2024",
                                            publish_after="2024-07-01",
                                            title="Embargo om havsvind"))
    site.write_case("protected.md", case_text(
        HOSTILE_BODY, diary_number="RUN/902/2024", title="Beslut med skyddad handläggare",
        officer={"name": "Skyddad Handläggarsson", "email": "skyddad@example.se",
                 "protected": True},
        publish_after="2024-05-01"))
    return site, build_both(site)


def test_a_generated_register_is_the_same_built_with_properdocs(
        generated_register: Built) -> None:
    generated = outputs(*generated_register)
    compared = compare_sites(generated["mkdocs"], generated["properdocs"])
    assert compared["files"] > 100
    files = tree(generated["mkdocs"])
    assert "beslut/run-146-2023/index.html" in files  # the last generated case
    assert "beslut/run-902-2024/index.html" in files  # past its publication date
    # What the gate keeps out, both keep out.
    assert not any(name.startswith(("beslut/run-900-", "beslut/run-901-")) for name in files)


def test_the_generated_register_published_what_it_must(generated_register: Built) -> None:
    """The comparison compares real output: exports, masking, protection, sanitizing."""
    generated = outputs(*generated_register)
    for tool, output in generated.items():
        files = tree(output)
        assert files["register/beslut.json"].count(b'"diary_number"') == 48, tool
        assert b"Hemlig Uppgift" not in files["beslut/run-103-2022/index.html"], tool
        assert b"Uppgift borttagen" in files["beslut/run-103-2022/index.html"], tool
        assert not any(b"Skyddad Handl" in data for data in files.values()), tool
        assert b"<script>alert" not in files["beslut/run-902-2024/index.html"], tool


# -- failed builds -----------------------------------------------------------------------


def _problem_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What a failed build said (its log on stderr, then the ``Aborted ...`` line, which
    both print on stdout), without its INFO lines (which name the staging folder)."""
    return [line for line in (result.stderr + result.stdout).splitlines()
            if line and not line.startswith("INFO")]


def _failing_project(tmp_path: Path) -> tuple[Site, dict[str, bytes]]:
    """A project with a published site (built by ProperDocs), and that site's files."""
    site = make_site(tmp_path / "project")
    copy_seeds(site)
    result = build(site, "properdocs")
    assert result.returncode == 0, result.stderr
    before = tree(site.site)
    assert "beslut/run-138-2024/index.html" in before
    return site, before


def _assert_nothing_published(tool: str, site: Site, before: dict[str, bytes]) -> None:
    after = tree(site.site)
    changed = sorted(name for name in before.keys() | after.keys()
                     if before.get(name) != after.get(name))
    assert not changed, f"{tool} changed the previous site: {changed}"
    leftovers = [p.name for p in site.root.iterdir() if ".staging-" in p.name]
    assert not leftovers, f"{tool} left staging folders behind: {leftovers}"


def test_a_broken_case_fails_properdocs_as_it_fails_mkdocs(tmp_path: Path) -> None:
    site, before = _failing_project(tmp_path)
    site.write_case("broken.md", case_text(diary_number="RUN/999/2024", date="2024-02-30"))
    said = {}
    for tool in TOOLS:
        result = build(site, tool)
        assert result.returncode == 1, f"{tool}: {result.stderr}"
        said[tool] = _problem_lines(result)
        _assert_nothing_published(tool, site, before)
    expected = ("  cases/broken.md:4: field 'date': '2024-02-30' is not a real calendar date; "
                "expected YYYY-MM-DD, e.g. 2024-02-23")
    assert expected in said["mkdocs"]
    assert said["mkdocs"][-1] == "Aborted with a BuildError!"
    assert said["properdocs"] == said["mkdocs"]


def test_a_strict_warning_publishes_nothing_under_properdocs(tmp_path: Path) -> None:
    """A warning (a broken link) fails a strict build after on_post_build: the plugin must
    see ProperDocs' warning counter, which is on the ``properdocs`` logger."""
    site, before = _failing_project(tmp_path)
    (site.root / "docs" / "extra.md").write_text("# Extra\n\n[Trasig](saknas.md)\n",
                                                  encoding="utf-8")
    said = {}
    for tool in TOOLS:
        result = build(site, tool)
        assert result.returncode == 1, f"{tool}: {result.stderr}"
        said[tool] = _problem_lines(result)
        assert said[tool][-1] == "Aborted with 1 warnings in strict mode!", said[tool]
        _assert_nothing_published(tool, site, before)
    assert said["properdocs"] == said["mkdocs"]


# -- import level and preview ------------------------------------------------------------

RUN_UNDER_PROPERDOCS = """\
import os, sys
from properdocs.__main__ import cli
try:
    cli.main(["build", "--strict", "-f", "mkdocs.yml", "-d", "out"], prog_name="properdocs")
except SystemExit as exit:
    assert not exit.code, exit.code
import properdocs, properdocs.plugins, properdocs.utils
import beslutsregister.adapter.plugin as plugin
assert sys.modules["mkdocs"] is properdocs
assert plugin.BasePlugin is properdocs.plugins.BasePlugin
assert sys.modules["mkdocs.plugins"] is properdocs.plugins
from beslutsregister.adapter import compat
assert compat._count_handler_types() == (properdocs.utils.CountHandler,)
entry = properdocs.plugins.get_plugins()["beslutsregister"]
assert entry.group == "properdocs.plugins", entry.group
real = sorted(name for name, module in list(sys.modules.items())
              if f"{os.sep}mkdocs{os.sep}" in (getattr(module, "__file__", None) or ""))
assert not real, real
print("ok")
"""


def test_under_properdocs_the_plugin_runs_on_properdocs_modules(tmp_path: Path) -> None:
    """ProperDocs' CLI aliases every ``mkdocs.*`` import to ``properdocs.*``: the plugin
    imports ``mkdocs`` unchanged and no module of an installed MkDocs is loaded."""
    site = make_site(tmp_path / "project")
    copy_seeds(site)
    result = subprocess.run([sys.executable, "-c", RUN_UNDER_PROPERDOCS], cwd=site.root,
                            env=dict(os.environ, **BUILD_ENV), capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
    assert (site.root / "out" / "beslut" / "run-138-2024" / "index.html").is_file()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def properdocs_serve(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    site = make_site(tmp_path / "project")
    site.write_case("draft.md", case_text(diary_number="RUN/900/2024", status="draft"))
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "properdocs", "serve", "-f", "mkdocs.yml",
             "-a", f"127.0.0.1:{port}"],
            cwd=site.root, env=dict(os.environ, **BUILD_ENV),
            stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        yield f"http://127.0.0.1:{port}/", server, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_properdocs_serve_previews_drafts(
        properdocs_serve: tuple[str, subprocess.Popen[bytes], Path]) -> None:
    """``properdocs serve`` runs with live reload (its --no-livereload is another flag than
    MkDocs'), so the preview starts and shows a draft with its banner."""
    base, server, log = properdocs_serve
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            pytest.fail(f"properdocs serve exited ({server.returncode}):\n"
                        f"{log.read_text(encoding='utf-8', errors='replace')}")
        try:
            with urllib.request.urlopen(base + "beslut/run-900-2024/", timeout=5) as response:
                page = response.read().decode("utf-8")
            break
        except (urllib.error.URLError, ConnectionError):
            assert time.monotonic() < deadline, "the preview did not start"
            time.sleep(0.3)
    assert "Utkast – ej publicerat" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_properdocs_serve_refuses_no_livereload(tmp_path: Path) -> None:
    """Without live reload the preview's address guard would not run: refused, as under
    ``mkdocs serve --no-livereload``."""
    site = make_site(tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "serve", "-f", "mkdocs.yml", "--no-livereload",
         "-a", f"127.0.0.1:{_free_port()}"],
        cwd=site.root, env=dict(os.environ, **BUILD_ENV), capture_output=True, text=True,
        timeout=120)
    assert result.returncode != 0
    assert "the staff preview needs live reload" in result.stderr
