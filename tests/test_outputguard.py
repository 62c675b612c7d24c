"""The output guard and atomic publication: what is published is scanned last, and a build
that fails (or is killed) leaves the previous site exactly as it was."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from beslutsregister.core.model import Case, DecisionMaker, Officer
from beslutsregister.core.outputguard import Leak, readable_text, scan_site, scan_text
from beslutsregister.core.privacy import ProtectedPeople
from beslutsregister.core.staging import StagedSite, wait_for_removals
from helpers import Site, case_text, make_site

NUMBER = "640823-3234"  # a valid personnummer (date and Luhn check digit)
NOBODY = ProtectedPeople({})


def _people(names: tuple[str, ...], email: str | None = None) -> ProtectedPeople:
    """The register's protected people, from cases whose officer is protected."""
    cases = [Case(f"RUN/{i}/2024", f"run-{i}-2024", "T", date(2024, 1, 1), "Enhet",
                  Officer(name, email, protected=True), DecisionMaker("Chef"), "",
                  "cases/a.md", field_lines={"officer": 6})
             for i, name in enumerate(names)]
    return ProtectedPeople.of(cases)


# -- reading output as its readers do: each bypass class of the source checks -------------

BYPASSES = [
    pytest.param("x.html", f"<p>Sökande {NUMBER}.</p>", id="plain"),
    pytest.param("x.html", "<p>Sökande 6408<em>23</em>-3234.</p>", id="emphasis-inside"),
    pytest.param("x.html", "<P>Sökande 6408<EM>23</EM>-3234.</P>", id="tags-in-capitals"),
    pytest.param("x.html", "<p>Sökande <strong>640823</strong>-<span>3234</span>.</p>",
                 id="inline-markup-around-parts"),
    pytest.param("x.html", "<p>Sökande 640823&#45;3234.</p>", id="entity-hyphen"),
    pytest.param("x.html", "<p>Sökande 640823&hyphen;3234.</p>", id="named-entity-hyphen"),
    pytest.param("x.html", "<p>Sökande 640823-\n3234.</p>", id="hard-wrap-after-hyphen"),
    pytest.param("x.html", "<p>Sökande 6408\u00ad23-3234.</p>", id="soft-hyphen"),
    pytest.param("x.html", "<p>Sökande 640823\u200b-3234.</p>", id="zero-width-space"),
    pytest.param("x.html", "<table><tr><td>640823</td>\n  <td>3234</td></tr></table>",
                 id="table-cells"),
    pytest.param("x.html", "<p>x</p><!-- 640823-3234 -->", id="comment"),
    pytest.param("x.html", '<img src="a.png" alt="Sökande 640823-3234">', id="alt-text"),
    pytest.param("x.html", '<meta name="description" content="640823&#x2D;3234">',
                 id="meta-content-entity"),
    pytest.param("x.json", json.dumps({"title": f"Sökande {NUMBER}"}), id="json-value"),
    pytest.param("x.json", json.dumps({"t": "Sökande 640823\u20133234"}, ensure_ascii=True),
                 id="json-escaped-en-dash"),
    pytest.param("x.json", json.dumps({"b": "<p>6408<mark>23</mark>-3234</p>"}),
                 id="json-html-fragment"),
    pytest.param("x.xml", "<feed><title>Sökande 640823&#x2d;3234</title></feed>", id="feed"),
    pytest.param("x.csv", f"diarienummer;titel\r\nRUN/1/2024;Sökande {NUMBER}\r\n", id="csv"),
    pytest.param("x.js", f'var a="{NUMBER}";', id="script"),
    pytest.param("x.bin", gzip.compress(json.dumps({"text": NUMBER}).encode()),
                 id="gzip-json-without-extension"),
    pytest.param("sitemap.xml.gz", gzip.compress(f"<urlset><loc>{NUMBER}</loc></urlset>"
                                                 .encode()), id="gzip-xml"),
    pytest.param("x.png", b"\x89PNG\r\n\x1a\n\x00\x00" + NUMBER.encode() + b"\x00",
                 id="binary-file"),
    pytest.param("x.html", "<p>Född 19640823-3234</p>", id="twelve-digits"),
    pytest.param("x.html", "<p>1 < 2 och 640823-3234 och 3 > 2</p>", id="less-than-in-text"),
    pytest.param("x.html", '<a href="sok/?q=640823%2D3234">sök</a>', id="percent-encoded-link"),
    pytest.param("x.json", json.dumps({"u": "https://x/?p=%36%34%30%38%32%33-3234"}),
                 id="percent-encoded-json"),
    pytest.param("x.json", json.dumps(["a <", NUMBER, "> b"]), id="json-values-with-brackets"),
    pytest.param("x.html", "<p>Samordning 640883-3231</p>", id="coordination-number"),
]


@pytest.mark.parametrize(("name", "content"), BYPASSES)
def test_every_way_of_writing_a_number_is_found(name: str, content: str | bytes) -> None:
    data = content.encode() if isinstance(content, str) else content
    leaks = scan_text(name, readable_text(name, data), NOBODY)
    assert [(leak.output, leak.number != "") for leak in leaks] == [(name, True)]
    assert "3234" not in str(leaks[0]) and "****" in str(leaks[0])


NOT_LEAKS = [
    pytest.param("x.html", "<p>Beviljas 460&nbsp;000 kr för 2024-03-01 – 2024-11-30.</p>",
                 id="amounts-and-dates"),
    pytest.param("x.html", "<tr><td>2024</td><td>12</td><td>4 600 000 kr</td></tr>",
                 id="year-table-row"),
    pytest.param("x.html", "<p>Organisationsnummer 556036-0793</p>", id="organisation-number"),
    pytest.param("x.html", "<p>Telefon 070-123 45 67, 063-14 65 29</p>", id="phones"),
    pytest.param("x.json", json.dumps({"a": "640823", "b": "3234"}), id="separate-json-values"),
    pytest.param("x.html", '<a title="640823" href="3234">x</a>', id="separate-attributes"),
    pytest.param("x.html", "<p>RUN/138/2024 och RUN/245/2021</p>", id="diary-numbers"),
    pytest.param("font.ttf", "\x00\x01glyf6408233234\x00\xff", id="digits-in-a-font"),
]


@pytest.mark.parametrize(("name", "content"), NOT_LEAKS)
def test_other_numbers_are_not_leaks(name: str, content: str) -> None:
    assert scan_text(name, readable_text(name, content.encode()), NOBODY) == []


@pytest.mark.parametrize(
    "content",
    [
        "<p>Handläggare Anna Skyddad</p>",
        "<p>Handläggare ANNA SKYDDAD</p>",
        "<p>Handläggare Anna\n   Skyddad</p>",
        "<p>Handläggare <em>Anna</em> Skyddad</p>",
        "<p>Handläggare Anna&nbsp;Skyddad</p>",
        '<a href="mailto:anna.skyddad@example.se">Kontakt</a>',
        "<p>Anna Skyd\u00addad</p>",
    ],
    ids=["plain", "capitals", "wrapped", "emphasis", "nbsp", "email-in-link", "soft-hyphen"],
)
def test_a_protected_name_or_address_is_found(content: str) -> None:
    protected = _people(("Anna Skyddad",), "anna.skyddad@example.se")
    leaks = scan_text("x.html", readable_text("x.html", content.encode()), protected)
    assert [str(leak) for leak in leaks] == [
        "x.html would publish the name or e-mail address of a person whose identity is "
        "protected (in cases/a.md:6); expected no protected person's name or e-mail address "
        "anywhere"]


def test_a_name_that_only_contains_a_protected_name_is_not_it() -> None:
    protected = _people(("Anna Skyddad",))
    for text in ("<p>Johanna Skyddadsson</p>", "<p>Anna Skyddadsdotter</p>"):
        assert scan_text("x.html", readable_text("x.html", text.encode()), protected) == []


def test_scan_site_reads_every_file(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    (tmp_path / "data.json").write_text(json.dumps([NUMBER]), encoding="utf-8")
    assert [leak.output for leak in scan_site(tmp_path, NOBODY)] == ["data.json"]


# -- end to end: a real build ---------------------------------------------------------------

INJECTING_HOOK = """\
def on_post_page(output, page, config):
    if page.file.src_uri.startswith("beslut/"):
        return output.replace("</article>", "<p>6408<em>23</em>&#45;3234</p></article>")
    return output
"""


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a digest of its bytes: 'byte for byte'."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def staging_leftovers(site: Site) -> list[str]:
    return sorted(p.name for p in site.root.iterdir()
                  if ".staging-" in p.name or ".scratch-" in p.name)


@pytest.fixture
def published(tmp_path: Path) -> Site:
    """A project whose last good build is in site/."""
    site = make_site(tmp_path / "project")
    site.write_case("run-1-2024.md", case_text())
    site.built()
    return site


def test_the_guard_catches_what_the_source_checks_let_through(published: Site) -> None:
    before = tree_digest(published.site)
    (published.root / "hooks.py").write_text(INJECTING_HOOK, encoding="utf-8")
    config = published.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - hooks.py\n",
                      encoding="utf-8")
    result = published.build()
    assert result.returncode == 1
    assert ("ERROR   -  beslutsregister: 1 thing in the built site must not be published; "
            "nothing was published:\n  cases/run-1-2024.md: beslut/run-1-2024/index.html would "
            "publish a personal identity number (640823-****); expected no personal identity "
            "or coordination numbers: remove it or mask it with [[maskera: ...]]"
            ) in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(published.site) == before
    assert staging_leftovers(published) == []


DATA_FILE_HOOKS = {
    # the data file's content changed before MkDocs writes it (scanned while pages render)
    "before-writing": """\
def on_env(env, config, files):
    file = files.get_file_from_path("beslut/run-1-2024.json")
    file.content_string = file.content_string.replace('"title":', '"x":"640823-3234","title":')
    return env
""",
    # changed after the second process scanned it (its last sweep sees the new size)
    "after-the-scan": """\
import pathlib
def on_post_build(config):
    path = pathlib.Path(config.site_dir) / "beslut" / "run-1-2024.json"
    path.write_text(path.read_text("utf-8") + " 640823-3234", "utf-8")
""",
}


@pytest.mark.parametrize("hook", DATA_FILE_HOOKS.values(), ids=DATA_FILE_HOOKS.keys())
def test_the_guard_scans_data_files_however_late_they_change(published: Site, hook: str) -> None:
    before = tree_digest(published.site)
    (published.root / "hooks.py").write_text(hook, encoding="utf-8")
    config = published.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - hooks.py\n",
                      encoding="utf-8")
    result = published.build()
    assert result.returncode == 1, result.stderr
    assert ("beslut/run-1-2024.json would publish a personal identity number (640823-****)"
            in result.stderr)
    assert "Traceback" not in result.stderr
    assert tree_digest(published.site) == before


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(published: Site) -> None:
    before = tree_digest(published.site)
    published.write_case("run-2-2024.md", case_text(diary_number="RUN/2/2024",
                                                    date="2024-02-30"))
    result = published.build()
    assert result.returncode == 1
    assert "field 'date': '2024-02-30' is not a real calendar date" in result.stderr
    assert tree_digest(published.site) == before
    assert staging_leftovers(published) == []


def test_a_strict_build_that_warns_publishes_nothing(published: Site) -> None:
    before = tree_digest(published.site)
    (published.root / "docs" / "index.md").write_text("[trasig](saknas.md)\n", encoding="utf-8")
    result = published.build()
    assert result.returncode == 1 and "in strict mode" in result.stdout + result.stderr
    assert tree_digest(published.site) == before
    assert staging_leftovers(published) == []


def test_a_good_build_replaces_the_site_and_leaves_no_staging(published: Site) -> None:
    (published.site / "stale.html").write_text("gammal", encoding="utf-8")
    published.write_case("run-2-2024.md", case_text(diary_number="RUN/2/2024"))
    published.built()
    assert not (published.site / "stale.html").exists()
    assert (published.site / "beslut" / "run-2-2024" / "index.html").is_file()
    assert staging_leftovers(published) == []


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_cleans_up(
        published: Site) -> None:
    before = tree_digest(published.site)
    for n in range(2, 400):  # enough work to be killed half way
        published.write_case(f"run-{n}-2024.md", case_text(diary_number=f"RUN/{n}/2024"))
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=published.root,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    staging: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None:
        staging = [p for p in published.root.glob(".site.staging-*")
                   if (p / "beslut").is_dir() and any((p / "beslut").iterdir())]
        if staging:
            break
        time.sleep(0.05)
    assert staging, "the build ended before it wrote any case page"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert tree_digest(published.site) == before
    assert list(published.root.glob(".site.scratch-*"))  # its open data, written to copy
    published.built()  # the next build removes what the killed one left
    assert staging_leftovers(published) == []
    assert (published.site / "beslut" / "run-399-2024" / "index.html").is_file()


def test_staging_without_a_previous_site(tmp_path: Path) -> None:
    staged = StagedSite(tmp_path / "site")
    (staged.prepare() / "index.html").write_text("ny", encoding="utf-8")
    staged.publish()
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "ny"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_staging_swaps_a_previous_site(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "gammal.html").write_text("gammal", encoding="utf-8")
    staged = StagedSite(tmp_path / "site")
    (staged.prepare() / "ny.html").write_text("ny", encoding="utf-8")
    staged.publish()
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["ny.html"]
    wait_for_removals()  # the replaced site is removed by a process of its own
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_staging_discard_keeps_the_site(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "gammal.html").write_text("gammal", encoding="utf-8")
    staged = StagedSite(tmp_path / "site")
    (staged.prepare() / "ny.html").write_text("ny", encoding="utf-8")
    staged.discard()
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["gammal.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_leak_message_without_a_source() -> None:
    leak = Leak("register/beslut.json", masked="640823-****", number="6408233234")
    assert str(leak) == (
        "register/beslut.json would publish a personal identity number (640823-****); "
        "expected no personal identity or coordination numbers: remove it or mask it with "
        "[[maskera: ...]]")


def test_staging_swaps_the_folder_a_linked_site_dir_points_to(tmp_path: Path) -> None:
    served = tmp_path / "www" / "register"
    served.mkdir(parents=True)
    (served / "gammal.html").write_text("gammal", encoding="utf-8")
    (tmp_path / "project").mkdir()
    link = tmp_path / "project" / "site"
    link.symlink_to(served)
    staged = StagedSite(link)
    (staged.prepare() / "ny.html").write_text("ny", encoding="utf-8")
    staged.publish()
    assert link.is_symlink() and link.resolve() == served.resolve()
    assert sorted(p.name for p in served.iterdir()) == ["ny.html"]
    wait_for_removals()
    assert sorted(p.name for p in served.parent.iterdir()) == ["register"]
