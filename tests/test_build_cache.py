"""The build cache: a rebuild copies unchanged case pages, and gives byte for byte the
site a cold build of the same input gives; whatever can change an output renders
again; a cache that cannot be trusted is ignored; the guard and the swap always run."""

from __future__ import annotations

import hashlib
import shutil
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from beslutsregister.core.buildcache import _HEAD as HEAD
from beslutsregister.core.buildcache import (
    FORMAT_VERSION,
    MAGIC,
    PAGES,
    PARSES,
    VERDICTS,
    BuildCache,
    CacheUnusable,
    PageRecord,
    StoredParses,
    code_fingerprint,
    guard_digest,
    read_record,
    write_record,
)
from helpers import Site, case_text, make_site, mkdocs_yml, write_mixed_register

CODE = "0123456789abcdef0123456789abcdef"
CACHE = Path(".cache") / "beslutsregister"
#: Case pages of make_register: two seeds, one more and six numbered decisions (the
#: draft and the embargoed decision have none).
PAGES_BUILT = 9


# -- records -------------------------------------------------------------------------------


def _record(tmp_path: Path, payload: object = None) -> Path:
    path = tmp_path / "r.bin"
    write_record(path, CODE, {"a": 1} if payload is None else payload)
    return path


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-3])


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-2] ^= 0x40
    path.write_bytes(bytes(data))


def _other_version(path: Path) -> None:
    data = bytearray(path.read_bytes())
    struct.pack_into(">I", data, len(MAGIC), FORMAT_VERSION + 1)
    path.write_bytes(bytes(data))


def _other_code(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(MAGIC) + 4:len(MAGIC) + 20] = bytes.fromhex("f" * 32)
    path.write_bytes(bytes(data))


def _not_a_record(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 something else entirely")


def _unreadable(path: Path) -> None:
    path.unlink()
    path.mkdir()  # reading a folder fails for every user, root too


def _garbage_pickle(path: Path) -> None:
    data = b"\x80\x05not a pickle"
    head = MAGIC + struct.pack(">I16sQ32s", FORMAT_VERSION, bytes.fromhex(CODE), len(data),
                               hashlib.blake2b(data, digest_size=32).digest())
    path.write_bytes(head + data)


@pytest.mark.parametrize(("damage", "reason"), [
    (_truncate, "cut short ({short} of {length} bytes)"),
    (_flip, "corrupt (its digest does not match)"),
    (_other_version, f"format {FORMAT_VERSION + 1}, expected {FORMAT_VERSION}"),
    (_other_code, "made by other code or libraries"),
    (_not_a_record, "not a cache record, or cut short"),
    (_unreadable, "unreadable (Is a directory)"),
    (_garbage_pickle, "unreadable (UnpicklingError)"),
])
def test_a_damaged_record_is_refused_with_its_reason(
    tmp_path: Path, damage: Callable[[Path], None], reason: str
) -> None:
    path = _record(tmp_path, {"x" * 40: list(range(10))})
    length = path.stat().st_size - len(MAGIC) - HEAD.size
    reason = reason.format(short=length - 3, length=length)
    damage(path)
    with pytest.raises(CacheUnusable) as raised:
        read_record(path, CODE)
    assert str(raised.value) == reason


def test_a_record_reads_back_what_was_written(tmp_path: Path) -> None:
    payload = {"beslut/a.md": PageRecord("k", 3, b"d", b"index parts")}
    assert read_record(_record(tmp_path, payload), CODE) == payload
    with pytest.raises(CacheUnusable, match=r"^none yet$"):
        read_record(tmp_path / "missing.bin", CODE)


def test_the_code_fingerprint_is_stable_and_a_hex_digest() -> None:
    assert code_fingerprint() == code_fingerprint()
    assert len(bytes.fromhex(code_fingerprint())) == 16


def test_stored_parses_answer_only_for_the_same_text() -> None:
    stored = StoredParses("rules", {"cases/a.md": ("d1", "outcome a")})
    assert stored.get("cases/a.md", "d2") is None
    assert stored.get("cases/b.md", "d1") is None
    assert stored.used == {}
    assert stored.get("cases/a.md", "d1") == "outcome a"
    stored.put("cases/b.md", "d3", "outcome b")
    assert stored.used == {"cases/a.md": ("d1", "outcome a"), "cases/b.md": ("d3", "outcome b")}
    assert stored.covers(["cases/a.md", "cases/c.md"]) == 0.5


def test_parses_under_other_rules_are_not_used(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, CODE)
    cache.save(_used("rules 1"), None, None)
    assert cache.parses("rules 1").entries == {"cases/a.md": ("d", "o")}
    assert cache.parses("rules 2").entries == {}
    assert cache.ignored == [f"{PARSES}: made under other rules for case files"]


def _used(rules: str) -> StoredParses:
    stored = StoredParses(rules)
    stored.put("cases/a.md", "d", "o")
    return stored


@pytest.mark.parametrize("damage", ["missing", "shorter", "changed"])
def test_a_kept_page_is_used_only_whole_and_unchanged(tmp_path: Path, damage: str) -> None:
    cache = BuildCache(tmp_path / "cache", CODE)
    built = tmp_path / "index.html"
    built.write_bytes(b"<p>sida</p>")
    record = cache.keep_page("ab" * 16, built, b"index parts", "beslut/a/index.html")
    assert cache.verified_page(record, "beslut/a/index.html") == cache.page_file("ab" * 16)
    assert cache.verified_page(record, "beslut/b/index.html") is None  # another page's
    kept = cache.page_file(record.key)
    if damage == "missing":
        kept.unlink()
    elif damage == "shorter":
        kept.write_bytes(b"<p>sid</p>")
    else:
        kept.write_bytes(b"<p>sido</p>")
    assert cache.verified_page(record, "beslut/a/index.html") is None


def test_a_guard_verdict_is_for_one_file_name_and_content() -> None:
    assert guard_digest("a.html", b"x") == guard_digest("a.html", b"x")
    assert guard_digest("a.html", b"x") != guard_digest("a.woff", b"x")
    assert guard_digest("a.html", b"x") != guard_digest("a.html", b"y")


# -- builds ---------------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_site(first: Path, second: Path) -> None:
    one, two = tree(first), tree(second)
    assert sorted(one) == sorted(two)
    differing = [name for name in one if one[name] != two[name]]
    assert differing == []


def cold_build(site: Site, tmp_path: Path, name: str = "cold") -> Path:
    """A build of the same input without the cache, in a copy of the project."""
    copy = tmp_path / name
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns(".cache", "site", ".site.*"))
    result = Site(copy).build()
    assert result.returncode == 0, result.stderr
    return copy / "site"


def build(site: Site) -> str:
    result = site.build()
    assert result.returncode == 0, result.stderr
    return result.stderr


def copied(log: str) -> tuple[int, int]:
    line = next(line for line in log.splitlines() if "case pages copied" in line)
    words = line.split("build cache: ")[1].split()
    return int(words[0]), int(words[4])


def make_register(tmp_path: Path, options: str = "") -> Site:
    site = make_site(tmp_path / "project", config=mkdocs_yml(options))
    write_mixed_register(site)
    for number in range(20, 26):
        site.write_case(f"c{number}.md", case_text(
            diary_number=f"RUN/{number}/2024", title=f"Beslut nummer {number}",
            date=f"2024-03-{number - 10}",
            body=f"## Beslut\n\nStöd till projekt {number}.\n\n### Motivering\n\nSkäl.\n"))
    return site


@pytest.fixture
def register(tmp_path: Path) -> Site:
    site = make_register(tmp_path)
    log = build(site)
    assert copied(log) == (0, PAGES_BUILT)  # every case page rendered, and kept
    return site


def test_a_rebuild_of_the_same_input_copies_every_case_page(register: Site,
                                                            tmp_path: Path) -> None:
    first = tmp_path / "first"
    shutil.copytree(register.site, first)
    log = build(register)
    assert copied(log) == (PAGES_BUILT, 0)
    assert_same_site(first, register.site)


def test_edit_add_and_withdraw_render_only_those_pages(register: Site, tmp_path: Path) -> None:
    register.write_case("c20.md", case_text(
        diary_number="RUN/20/2024", title="Beslut nummer 20, rättat", date="2024-03-10",
        body="## Beslut\n\nStöd till projekt tjugo.\n"))
    register.write_case("c30.md", case_text(
        diary_number="RUN/30/2024", title="Ett nytt beslut", date="2024-03-30"))
    register.write_case("c21.md", case_text(
        diary_number="RUN/21/2024", title="Beslut nummer 21", date="2024-03-11",
        status="withdrawn", withdrawn_on="2024-05-01"))
    log = build(register)
    assert copied(log) == (PAGES_BUILT - 2, 3)
    assert "Ett nytt beslut" in register.page("beslut/run-30-2024")
    assert "tjugo" in register.page("beslut/run-20-2024")
    assert "Beslut nummer 21" not in register.page("beslut/run-21-2024")
    assert_same_site(register.site, cold_build(register, tmp_path))


def _edit_config(site: Site) -> None:
    path = site.root / "mkdocs.yml"
    path.write_text(path.read_text("utf-8").replace("Testregister", "Provregister"), "utf-8")


def _inherit(site: Site) -> None:
    path = site.root / "mkdocs.yml"
    (site.root / "base.yml").write_text("extra:\n  note: ett\n", "utf-8")
    path.write_text("INHERIT: base.yml\n" + path.read_text("utf-8"), "utf-8")


def _edit_docs(site: Site) -> None:
    (site.root / "docs" / "om.md").write_text("# Om\n\nEn ny sida.\n", "utf-8")


def _custom_dir(site: Site) -> None:
    path = site.root / "mkdocs.yml"
    path.write_text(path.read_text("utf-8").replace(
        "  language: sv\n", "  language: sv\n  custom_dir: overrides\n", 1), "utf-8")
    (site.root / "overrides").mkdir()
    (site.root / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Driftstörning{% endblock %}\n', "utf-8")


def _programmes(site: Site) -> None:
    path = site.cases / "programmes.yml"
    path.write_text(path.read_text("utf-8").replace("REACT-EU", "REACT-EU (förlängt)"), "utf-8")


def _cross_reference(site: Site) -> None:
    site.write_case("c40.md", case_text(diary_number="RUN/40/2024", title="Upphävande",
                                        date="2024-04-20"))
    site.write_case("c22.md", case_text(
        diary_number="RUN/22/2024", title="Beslut nummer 22", date="2024-03-12",
        body="## Beslut\n\nStöd till projekt 22.\n\n### Motivering\n\nSkäl.\n",
        revoked={"date": "2024-04-20", "by": "RUN/40/2024", "text": "Projektet upphör."}))


@pytest.mark.parametrize("change", [_edit_config, _inherit, _edit_docs, _custom_dir,
                                    _programmes, _cross_reference])
def test_whatever_can_change_an_output_renders_again(
    register: Site, tmp_path: Path, change: Callable[[Site], None]
) -> None:
    change(register)
    log = build(register)
    assert copied(log)[1] > 0
    assert_same_site(register.site, cold_build(register, tmp_path))


def test_a_theme_or_plugin_of_another_version_renders_everything(register: Site) -> None:
    folder = register.root / CACHE
    for name in (PARSES, PAGES, VERDICTS):
        _other_code(folder / name)
    log = build(register)
    assert copied(log) == (0, PAGES_BUILT)
    assert f"build cache: {PAGES}: made by other code or libraries; rebuilt" in log


@pytest.mark.parametrize(("name", "damage", "reason"), [
    (PAGES, _truncate, "cut short"),
    (PARSES, _flip, "corrupt (its digest does not match)"),
    (VERDICTS, _not_a_record, "not a cache record, or cut short"),
    (PAGES, _other_version, f"format {FORMAT_VERSION + 1}, expected {FORMAT_VERSION}"),
    (PARSES, _unreadable, "unreadable (Is a directory)"),
])
def test_a_damaged_cache_is_ignored_and_rebuilt(
    register: Site, tmp_path: Path, name: str, damage: Callable[[Path], None], reason: str
) -> None:
    damage(register.root / CACHE / name)
    log = build(register)
    assert f"build cache: {name}: {reason}" in log
    assert_same_site(register.site, cold_build(register, tmp_path))
    if name == PAGES:
        assert copied(log) == (0, PAGES_BUILT)
    if damage is not _unreadable:
        assert copied(build(register)) == (PAGES_BUILT, 0)  # and rebuilt for the next build


def test_a_changed_kept_page_is_rendered_again(register: Site, tmp_path: Path) -> None:
    pages = read_record(register.root / CACHE / PAGES, code_fingerprint())
    kept = BuildCache(register.root / CACHE).page_file(pages["beslut/run-20-2024.md"].key)
    kept.write_bytes(kept.read_bytes().replace(b"projekt 20", b"projekt XX"))
    log = build(register)
    assert copied(log) == (PAGES_BUILT - 1, 1)
    assert_same_site(register.site, cold_build(register, tmp_path))


def test_the_output_guard_still_reads_every_copied_page(register: Site) -> None:
    """A kept page that would publish an identity number, with a record that matches it
    (a cache tampered with, or a guard that missed it once): the guard finds it."""
    folder = register.root / CACHE
    cache = BuildCache(folder)
    pages = cache.pages()
    record = pages["beslut/run-20-2024.md"]
    kept = cache.page_file(record.key)
    data = kept.read_bytes().replace(b"projekt 20", b"projekt 640823-3234")
    kept.unlink()  # a hard link to the published page: write a new file
    kept.write_bytes(data)
    pages["beslut/run-20-2024.md"] = PageRecord(
        record.key, len(data), guard_digest("beslut/run-20-2024/index.html", data),
        record.index)
    write_record(folder / PAGES, cache.code, pages)
    before = tree(register.site)
    result = register.build()
    assert result.returncode == 1
    assert ("beslut/run-20-2024/index.html would publish a personal identity number "
            "(640823-****)") in result.stderr
    assert tree(register.site) == before  # nothing was swapped in


def test_without_the_cache_nothing_is_kept(tmp_path: Path) -> None:
    site = make_register(tmp_path, "build_cache: false")
    log = build(site)
    assert "build cache" not in log
    assert not (site.root / ".cache").exists()


@pytest.mark.parametrize(("folder", "overlaps"), [
    ("docs/cache", "docs_dir"),
    ("site", "site_dir"),
    ("cases/.cache", "cases_dir"),
    ("overrides/cache", "the theme's custom_dir"),
])
def test_the_cache_may_not_be_where_it_would_be_published_or_emptied(
    tmp_path: Path, folder: str, overlaps: str
) -> None:
    site = make_register(tmp_path, f"build_cache_dir: {folder}")
    path = site.root / "mkdocs.yml"
    path.write_text(path.read_text("utf-8").replace(
        "  language: sv\n", "  language: sv\n  custom_dir: overrides\n", 1), "utf-8")
    (site.root / "overrides").mkdir()
    result = site.build()
    assert result.returncode == 1
    assert (f"option 'build_cache_dir': '{folder}' overlaps {overlaps}; the cache holds every "
            "case file's contents (drafts too), MkDocs publishes what docs_dir and custom_dir "
            "hold and a build empties site_dir; expected a folder of its own, e.g. "
            "'.cache/beslutsregister'") in result.stderr


def test_a_build_while_another_holds_the_cache_renders_everything(register: Site) -> None:
    held = BuildCache(register.root / CACHE)
    assert held.lock()
    try:
        log = build(register)
    finally:
        held.unlock()
    assert (f"build cache: {register.root / CACHE} is in use by another build; this one "
            "renders everything") in log
    assert "case pages copied" not in log
    assert copied(build(register)) == (PAGES_BUILT, 0)


def test_the_guard_reads_everything_again_when_protection_changes(register: Site) -> None:
    """Verdicts hold for one list of protected people: a name that was harmless in the
    last build is a leak in the next."""
    (register.root / "docs" / "kontakt.md").write_text("# Kontakt\n\nKim Lind svarar.\n",
                                                       "utf-8")
    build(register)
    register.write_case("skyddad.md", case_text(
        diary_number="RUN/50/2024", title="Beslut med skyddad handläggare",
        officer={"name": "Kim Lind", "protected": True}))
    result = register.build()
    assert result.returncode == 1
    assert ("kontakt/index.html would publish the name or e-mail address of a person whose "
            "identity is protected (in cases/skyddad.md:") in result.stderr


def test_a_kept_withdrawn_decision_stays_out_of_the_sitemap(register: Site,
                                                             tmp_path: Path) -> None:
    register.write_case("c21.md", case_text(
        diary_number="RUN/21/2024", title="Beslut nummer 21", date="2024-03-11",
        status="withdrawn", withdrawn_on="2024-05-01"))
    build(register)
    log = build(register)  # the withdrawn address is now copied from the cache
    assert copied(log) == (PAGES_BUILT, 0)
    sitemap = (register.site / "sitemap.xml").read_text("utf-8")
    assert "run-21-2024" not in sitemap and "run-22-2024" in sitemap
    assert_same_site(register.site, cold_build(register, tmp_path))


CLOCK_YML = mkdocs_yml("retention_years: 100").replace('      today: "2024-06-01"\n', "")


def test_the_clock_renders_what_it_changes_and_copies_the_rest(tmp_path: Path) -> None:
    """The day (here from BESLUTSREGISTER_TODAY, the configuration unchanged) ends an
    embargo and passes a retention limit: those two pages render, the rest are copied."""
    site = make_site(tmp_path / "project", config=CLOCK_YML)
    write_mixed_register(site)
    site.write_case("embargo2.md", case_text(diary_number="RUN/70/2024", title="Hemligt till mars",
                                             date="2024-03-15", publish_after="2095-03-01"))
    site.write_case("old.md", case_text(diary_number="RUN/60/1995", title="Gammalt beslut",
                                        date="1995-06-10"))
    site.write_case("older.md", case_text(diary_number="RUN/61/1995", title="Kvar ett tag",
                                          date="1995-12-20"))
    for number in range(20, 24):
        site.write_case(f"c{number}.md", case_text(
            diary_number=f"RUN/{number}/2024", title=f"Beslut nummer {number}",
            date=f"2024-03-{number - 10}"))

    def at(day: str) -> str:
        result = site.build(env={"BESLUTSREGISTER_TODAY": day})
        assert result.returncode == 0, result.stderr
        return result.stderr

    at("2095-01-01")
    assert copied(at("2095-01-01")) == (9, 0)
    log = at("2095-09-01")  # RUN/70/2024's embargo has ended; RUN/60/1995 is 100 years old
    assert copied(log) == (8, 2)  # 9 pages before, one withdrawn, one more
    assert "Hemligt till mars" in site.page("beslut/run-70-2024")
    assert "Gammalt beslut" not in site.page("beslut/run-60-1995")
    cold = tmp_path / "cold"
    shutil.copytree(site.root, cold, ignore=shutil.ignore_patterns(".cache", "site", ".site.*"))
    result = Site(cold).build(env={"BESLUTSREGISTER_TODAY": "2095-09-01"})
    assert result.returncode == 0, result.stderr
    assert_same_site(site.site, cold / "site")


def test_the_code_fingerprint_changes_with_any_installed_version(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from beslutsregister.core import buildcache

    class Dist:
        def __init__(self, name: str, version: str) -> None:
            self.metadata = {"Name": name}
            self.version = version

    prints = []
    for material in ("9.5.0", "9.6.0"):
        monkeypatch.setattr(buildcache, "_code", None)
        monkeypatch.setattr(buildcache.metadata, "distributions",
                            lambda v=material: [Dist("mkdocs", "1.6.1"),
                                                Dist("mkdocs-material", v)])
        prints.append(buildcache.code_fingerprint())
    assert prints[0] != prints[1]


def _search_plugin(site: Site) -> None:
    path = site.root / "mkdocs.yml"
    path.write_text(path.read_text("utf-8").replace("plugins:\n", "plugins:\n  - search\n"),
                    "utf-8")


def _page_hook(site: Site) -> None:
    (site.root / "hooks.py").write_text(
        "def on_post_page(output, page, config):\n    return output\n", "utf-8")
    path = site.root / "mkdocs.yml"
    path.write_text(path.read_text("utf-8") + "hooks:\n  - hooks.py\n", "utf-8")


def _docs_link(site: Site) -> None:
    (site.root / "docs" / "om.md").write_text(
        "# Om\n\nSe [beslutet](beslut/run-20-2024.md).\n", "utf-8")


def _body_link(site: Site) -> None:
    site.write_case("c25.md", case_text(
        diary_number="RUN/25/2024", title="Beslut nummer 25", date="2024-03-15",
        body="## Beslut\n\nSe [det förra](run-24-2024.md).\n"))


def _sitemap_override(site: Site) -> None:
    _custom_dir(site)
    (site.root / "overrides" / "sitemap.xml").write_text("<urlset/>\n", "utf-8")


@pytest.mark.parametrize(("change", "why"), [
    (_search_plugin, "the plugin 'material/search' may work on every page"),
    (_page_hook, "the hook hooks.py handles page events"),
    (_docs_link, "docs/om.md links to a case page's Markdown"),
    (_body_link, "a case body links to a Markdown file"),
    (_sitemap_override, "custom_dir has a sitemap.xml of its own (it would not list copied "
                        "pages)"),
])
def test_what_a_copied_page_would_miss_renders_every_page(
    register: Site, change: Callable[[Site], None], why: str
) -> None:
    change(register)
    result = register.build("--no-strict") if change is _docs_link or change is _body_link \
        else register.build()
    log = result.stderr
    assert f"build cache: every case page is rendered: {why}" in log
    assert copied(log)[0] == 0


def test_links_that_leave_the_site_do_not_stop_the_copying(register: Site) -> None:
    register.write_case("c26.md", case_text(
        diary_number="RUN/26/2024", title="Beslut nummer 26", date="2024-03-16",
        body="## Beslut\n\nSe [README](https://example.se/README.md).\n"))
    log = build(register)
    assert "every case page is rendered" not in log
    assert copied(log) == (PAGES_BUILT, 1)
