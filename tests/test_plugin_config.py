"""The plugin's options, validated by MkDocs' own config machinery, and how a build reports them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from beslutsregister.adapter.config import RegisterConfig
from beslutsregister.adapter.plugin import RegisterPlugin
from beslutsregister.core.folders import folder_problems
from beslutsregister.core.publication import TODAY_ENV, ClockError, resolve_today
from beslutsregister.core.validation import DEFAULT_DIARY_DESCRIPTION, DEFAULT_DIARY_PATTERN
from helpers import MKDOCS_YML, Site, case_text, make_site


def validate(options: dict[str, object]) -> tuple[RegisterConfig, list[tuple[str, str]],
                                                  list[tuple[str, str]]]:
    config = RegisterConfig()
    config.load_dict(options)
    failed, warnings = config.validate()
    return config, [(k, str(e)) for k, e in failed], [(k, str(w)) for k, w in warnings]


def test_defaults() -> None:
    config, failed, warnings = validate({})
    assert (failed, warnings) == ([], [])
    assert dict(config) == {
        "cases_dir": "cases",
        "diary_number_pattern": DEFAULT_DIARY_PATTERN,
        "diary_number_description": DEFAULT_DIARY_DESCRIPTION,
        "today": None,
        "feed_size": 50,
        "retention_years": None,
        "build_cache": True,
        "build_cache_dir": ".cache/beslutsregister",
        "registry_email": None,
        "registry_url": None,
        "accessibility": {
            "authority": None, "service": None, "contact_email": None,
            "contact_phone": None, "compliance": "delvis", "assessed_on": None,
            "assessment_method": "en egen granskning (självskattning)",
            "updated_on": None, "known_issues": None,
        },
        "open_data": {
            "publisher": None, "publisher_url": None, "publisher_type": "RegionalAuthority",
            "organisation_number": None, "contact_email": None, "contact_phone": None,
            "licence": "http://creativecommons.org/publicdomain/zero/1.0/",
            "frequency": "IRREG", "spatial": None, "keywords": None,
        },
    }
    assert DEFAULT_DIARY_PATTERN == "[A-Z]+/[0-9]+/[0-9]{4}"


def test_every_option_set() -> None:
    options = {"cases_dir": "arenden", "diary_number_pattern": "KS [0-9]{4}/[0-9]+",
               "diary_number_description": "KS YEAR/SERIAL", "today": "2024-06-01",
               "feed_size": 10, "retention_years": 10,
               "build_cache": False, "build_cache_dir": "var/cache",
               "registry_email": "registrator@region.example.se",
               "registry_url": "https://e.region.example.se/begaran?arende={diarienummer}",
               "accessibility": {
                   "authority": "Region Norr", "service": "Beslutsregistret",
                   "contact_email": "a@region.example.se", "contact_phone": "063-14 75 00",
                   "compliance": "inte", "assessed_on": "2024-03-15",
                   "assessment_method": "en extern granskning", "updated_on": "2024-05-20",
                   "known_issues": ["Diagrammen saknar textalternativ."]},
               "open_data": {
                   "publisher": "Region Norr", "publisher_url": "https://www.regionnorr.se/",
                   "publisher_type": "LocalAuthority", "organisation_number": "232100-0000",
                   "contact_email": "data@region.example.se", "contact_phone": "063-14 75 00",
                   "licence": "https://creativecommons.org/licenses/by/4.0/",
                   "frequency": "WEEKLY", "spatial": "http://data.europa.eu/nuts/code/SE322",
                   "keywords": ["bidrag", "EU-medel"]}}
    config, failed, warnings = validate(options)
    assert (failed, warnings) == ([], [])
    assert dict(config) == options


def test_unquoted_date_for_today_is_accepted() -> None:
    config, failed, _ = validate({"today": date(2024, 6, 1)})  # what YAML makes of 2024-06-01
    assert failed == [] and config["today"] == "2024-06-01"
    config, failed, _ = validate({"today": "2024-02-29", "feed_size": 1})
    assert failed == [] and (config["today"], config["feed_size"]) == ("2024-02-29", 1)


@pytest.mark.parametrize(
    ("options", "failed"),
    [
        pytest.param({"cases_dir": 1}, [("cases_dir", "Expected type: <class 'str'> but received: "
                                         "<class 'int'>")], id="cases-dir-number"),
        pytest.param({"cases_dir": ["a"]}, [("cases_dir", "Expected type: <class 'str'> but "
                                             "received: <class 'list'>")], id="cases-dir-list"),
        pytest.param({"feed_size": "50"}, [("feed_size", "'50' is text, not a whole number; "
                                            "expected a whole number without quotes, 1 or "
                                            "more, e.g. 50")], id="feed-size-text"),
        pytest.param({"feed_size": 0}, [("feed_size", "0 is too small; expected 1 or more")],
                     id="feed-size-zero"),
        pytest.param({"feed_size": -3}, [("feed_size", "-3 is too small; expected 1 or more")],
                     id="feed-size-negative"),
        pytest.param({"feed_size": 2.5}, [("feed_size", "2.5 is not a whole number; expected a "
                                           "whole number without quotes, 1 or more, e.g. 50")],
                     id="feed-size-fraction"),
        pytest.param({"feed_size": True}, [("feed_size", "True is not a whole number; expected a "
                                            "whole number without quotes, 1 or more, e.g. 50")],
                     id="feed-size-boolean"),
        pytest.param({"today": "2024-02-30"}, [("today", "'2024-02-30' is not a real calendar "
                                                "date; expected YYYY-MM-DD")],
                     id="today-impossible"),
        pytest.param({"today": "2023-02-29"}, [("today", "'2023-02-29' is not a real calendar "
                                                "date; expected YYYY-MM-DD")],
                     id="today-no-leap-day"),
        pytest.param({"today": "20240601"}, [("today", "'20240601' is not a date; expected "
                                              "YYYY-MM-DD")], id="today-basic-iso"),
        pytest.param({"today": "2024-W01-1"}, [("today", "'2024-W01-1' is not a date; expected "
                                                "YYYY-MM-DD")], id="today-week-date"),
        pytest.param({"today": "2024-6-1"}, [("today", "'2024-6-1' is not a date; expected "
                                              "YYYY-MM-DD")], id="today-short"),
        pytest.param({"today": "1 juni"}, [("today", "'1 juni' is not a date; expected "
                                            "YYYY-MM-DD")], id="today-words"),
        pytest.param({"today": datetime(2024, 6, 1, 10, 0)},
                     [("today", "'2024-06-01 10:00:00' is not a date; expected YYYY-MM-DD")],
                     id="today-date-and-time"),
        pytest.param({"today": 20240601}, [("today", "Expected type: <class 'str'> but received: "
                                            "<class 'int'>")], id="today-number"),
        pytest.param({"diary_number_pattern": 5}, [("diary_number_pattern", "Expected type: "
                                                    "<class 'str'> but received: <class 'int'>")],
                     id="pattern-number"),
        pytest.param({"diary_number_pattern": "[A-Z"},
                     [("diary_number_pattern", "'[A-Z' is not a regular expression (unterminated "
                       "character set at position 0); expected e.g. [A-Z]+/[0-9]+/[0-9]{4}")],
                     id="pattern-not-a-regex"),
        pytest.param({"diary_number_pattern": "(RUN"},
                     [("diary_number_pattern", "'(RUN' is not a regular expression (missing ), "
                       "unterminated subpattern at position 0); expected e.g. "
                       "[A-Z]+/[0-9]+/[0-9]{4}")], id="pattern-unbalanced"),
        pytest.param({"retention_years": 1000},
                     [("retention_years", "1000 is too large; expected 200 or less")],
                     id="retention-years-too-large"),
        pytest.param({"retention_years": "10"},
                     [("retention_years", "'10' is text, not a whole number; expected a whole "
                       "number without quotes, 1 or more, e.g. 10")],
                     id="retention-years-text"),
        pytest.param({"open_data": {"frequency": "sometimes"}},
                     [("open_data", "Sub-option 'frequency': Expected one of: ('CONT', ")],
                     id="open-data-frequency"),
        pytest.param({"open_data": {"licence": "CC0"}},
                     [("open_data", "Sub-option 'licence': 'CC0' is not a web address; expected "
                       "e.g. 'http://creativecommons.org/publicdomain/zero/1.0/'")],
                     id="open-data-licence"),
        pytest.param({"open_data": {"organisation_number": "2321000"}},
                     [("open_data", "Sub-option 'organisation_number': '2321000' is not an "
                       "organisationsnummer; expected ten digits, e.g. '232100-0000'")],
                     id="open-data-organisation-number"),
        pytest.param({"open_data": {"contact_email": "data at region"}},
                     [("open_data", "Sub-option 'contact_email': 'data at region' is not an "
                       "e-mail address; expected e.g. 'registrator@example.se'")],
                     id="open-data-email"),
    ],
)
def test_wrong_values_are_rejected(
    options: dict[str, object], failed: list[tuple[str, str]]
) -> None:
    found = validate(options)[1]
    # a Choice lists every choice: compare the start of such messages
    assert [(name, text[:len(want)]) for (name, text), (_, want) in zip(found, failed,
                                                                        strict=True)] == failed


def test_unknown_option_is_a_warning() -> None:
    _, failed, warnings = validate({"case_dir": "cases"})
    assert failed == []
    assert warnings == [("case_dir", "Unrecognised configuration name: case_dir")]


# -- through mkdocs.yml ----------------------------------------------------------------------


def write_config(tmp_path: Path, plugin_options: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: T\nplugins:\n  - beslutsregister:\n" + plugin_options, "utf-8")
    (tmp_path / "docs").mkdir(exist_ok=True)
    return path


def test_load_config_reads_the_options(tmp_path: Path) -> None:
    path = write_config(tmp_path, "      cases_dir: arenden\n      today: 2024-06-01\n")
    config = load_config(str(path))
    options = config.plugins["beslutsregister"].config
    assert (options.cases_dir, options.today, options.feed_size) == ("arenden", "2024-06-01", 50)


def test_load_config_rejects_a_bad_option(tmp_path: Path) -> None:
    path = write_config(tmp_path, "      feed_size: många\n")
    with pytest.raises(Abort):
        load_config(str(path))


def build(site: Site, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "BESLUTSREGISTER_TODAY"}
    environment.update(env or {}, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site.root,
                          env=environment, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    ("today_line", "env", "message"),
    [
        pytest.param('      today: "2024-13-01"\n', {},
                     "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option 'today': "
                     "'2024-13-01' is not a real calendar date; expected YYYY-MM-DD",
                     id="option"),
        pytest.param("", {"BESLUTSREGISTER_TODAY": "imorgon"},
                     "ERROR   -  beslutsregister: environment variable BESLUTSREGISTER_TODAY: "
                     "'imorgon' is not a date; expected YYYY-MM-DD", id="environment"),
        pytest.param("", {"BESLUTSREGISTER_TODAY": "2024-13-01"},
                     "ERROR   -  beslutsregister: environment variable BESLUTSREGISTER_TODAY: "
                     "'2024-13-01' is not a real calendar date; expected YYYY-MM-DD",
                     id="environment-impossible"),
        pytest.param("", {"BESLUTSREGISTER_TODAY": "20240601"},
                     "ERROR   -  beslutsregister: environment variable BESLUTSREGISTER_TODAY: "
                     "'20240601' is not a date; expected YYYY-MM-DD", id="environment-basic-iso"),
        pytest.param('      today: "1 juni"\n', {},
                     "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option 'today': "
                     "'1 juni' is not a date; expected YYYY-MM-DD", id="words"),
        pytest.param("      today: [2024-06-01]\n", {},
                     "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option 'today': "
                     "Expected type: <class 'str'> but received: <class 'list'>", id="list"),
        pytest.param('      diary_number_pattern: "[A-Z"\n', {},
                     "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option "
                     "'diary_number_pattern': '[A-Z' is not a regular expression (unterminated "
                     "character set at position 0); expected e.g. [A-Z]+/[0-9]+/[0-9]{4}",
                     id="pattern"),
        pytest.param("      feed_size: 0\n", {},
                     "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option "
                     "'feed_size': 0 is too small; expected 1 or more", id="feed-size"),
        pytest.param('      feed_size: "50"\n', {},
                     "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option "
                     "'feed_size': '50' is text, not a whole number; expected a whole number "
                     "without quotes, 1 or more, e.g. 50", id="feed-size-text"),
    ],
)
def test_bad_option_fails_the_build_with_a_message(
    tmp_path: Path, today_line: str, env: dict[str, str], message: str
) -> None:
    site = make_site(tmp_path / "project",
                     config="site_name: T\nplugins:\n  - beslutsregister:\n" + today_line)
    site.write_case("x.md", case_text())
    result = build(site, env)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert message in result.stderr.splitlines()
    assert "Traceback" not in output
    assert not (site.site / "beslut").exists()


def test_configured_options_shape_the_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "project", config=(
        "site_name: T\nplugins:\n  - beslutsregister:\n"
        "      cases_dir: arenden\n"
        '      diary_number_pattern: "KS [0-9]{4}/[0-9]+"\n'
        "      today: 2024-06-01\n"))
    (site.root / "arenden").mkdir()
    (site.cases / "programmes.yml").rename(site.root / "arenden" / "programmes.yml")
    (site.root / "arenden" / "a.md").write_text(case_text(diary_number="KS 2024/17"), "utf-8")
    (site.root / "arenden" / "b.md").write_text(
        case_text(diary_number="KS 2024/18", publish_after="2024-06-02"), "utf-8")
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert (site.site / "beslut" / "ks-2024-17" / "index.html").is_file()
    assert not (site.site / "beslut" / "ks-2024-18").exists()  # embargoed as of today


def test_a_preview_notices_theme_overrides_and_inherited_config(tmp_path: Path) -> None:
    """Case pages a preview keeps are rendered again when the site's theme overrides
    (``custom_dir``) or a config it inherits change, not only its own mkdocs.yml."""
    config = "INHERIT: delat.yml\n" + MKDOCS_YML.format(today="2024-06-01").replace(
        "  language: sv\n", "  language: sv\n  custom_dir: overrides\n", 1)
    site = make_site(tmp_path / "project", config=config)
    (site.root / "delat.yml").write_text("extra:\n  region: Norr\n", encoding="utf-8")
    (site.root / "overrides").mkdir()
    override = site.root / "overrides" / "main.html"
    override.write_text('{% extends "base.html" %}\n', encoding="utf-8")
    loaded = load_config(str(site.root / "mkdocs.yml"))

    def surroundings() -> str:
        return RegisterPlugin._surroundings(loaded, [])

    before = surroundings()
    assert surroundings() == before
    for changed in (override, site.root / "delat.yml"):
        stat = changed.stat()
        os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        after = surroundings()
        assert after != before, changed
        before = after


def test_load_config_reads_inherited_and_mapped_options(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "base.yml").write_text(
        "plugins:\n  beslutsregister:\n    today: 2024-01-02\n    feed_size: 5\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: T\n", "utf-8")
    options = load_config(str(tmp_path / "mkdocs.yml")).plugins["beslutsregister"].config
    assert (options.today, options.feed_size) == ("2024-01-02", 5)


# -- the embargo clock -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixed", "source", "env", "outcome"),
    [
        pytest.param("2024-02-29", "option 'today'", None, date(2024, 2, 29), id="option"),
        pytest.param(None, "option 'today'", "2031-01-02", date(2031, 1, 2), id="environment"),
        pytest.param("2024-06-01", "--today", "2031-01-02", date(2024, 6, 1),
                     id="fixed-before-environment"),
        pytest.param("2024-02-30", "option 'today'", None,
                     "option 'today': '2024-02-30' is not a real calendar date; expected "
                     "YYYY-MM-DD", id="option-impossible"),
        pytest.param("20240601", "--today", None,
                     "--today: '20240601' is not a date; expected YYYY-MM-DD", id="flag-basic-iso"),
        pytest.param("2024-W01-1", "--today", None,
                     "--today: '2024-W01-1' is not a date; expected YYYY-MM-DD", id="flag-week"),
        pytest.param(None, "option 'today'", "2024-13-01",
                     "environment variable BESLUTSREGISTER_TODAY: '2024-13-01' is not a real "
                     "calendar date; expected YYYY-MM-DD", id="environment-impossible"),
        pytest.param(None, "option 'today'", "20240601",
                     "environment variable BESLUTSREGISTER_TODAY: '20240601' is not a date; "
                     "expected YYYY-MM-DD", id="environment-basic-iso"),
        pytest.param(None, "option 'today'", "2024-06-01T00:00",
                     "environment variable BESLUTSREGISTER_TODAY: '2024-06-01T00:00' is not a "
                     "date; expected YYYY-MM-DD", id="environment-date-and-time"),
        pytest.param(None, "option 'today'", "２０２４-０６-０１",  # full-width digits
                     "environment variable BESLUTSREGISTER_TODAY: '２０２４-０６-０１' is not a "
                     "date; expected YYYY-MM-DD", id="environment-other-digits"),
    ],
)
def test_resolve_today(monkeypatch: pytest.MonkeyPatch, fixed: str | None, source: str,
                       env: str | None, outcome: date | str) -> None:
    if env is None:
        monkeypatch.delenv(TODAY_ENV, raising=False)
    else:
        monkeypatch.setenv(TODAY_ENV, env)
    if isinstance(outcome, date):
        assert resolve_today(fixed, source) == outcome
    else:
        with pytest.raises(ClockError) as raised:
            resolve_today(fixed, source)
        assert str(raised.value) == outcome


# -- folders ---------------------------------------------------------------------------------

SITE_DIR_EXPECTED = ("expected a folder of its own, e.g. 'site', outside cases_dir and holding "
                     "none of cases_dir, docs_dir and mkdocs.yml")


@pytest.mark.parametrize(
    ("docs_dir", "cases_dir", "site_dir", "problems"),
    [
        pytest.param("docs", "cases", "site", [], id="defaults"),
        pytest.param("docs", "cases", "../public", [], id="site-outside-the-project"),
        pytest.param("docs", "data/cases", "data/site", [], id="site-beside-cases"),
        pytest.param("docs", "docs/beslut", "site", [
            "option 'cases_dir': docs/beslut is inside docs_dir, so MkDocs would publish the raw "
            "case files (drafts and masked text too); expected a folder outside it",
        ], id="cases-inside-docs"),
        pytest.param("docs", "docs", "site", [
            "option 'cases_dir': docs is inside docs_dir, so MkDocs would publish the raw "
            "case files (drafts and masked text too); expected a folder outside it",
        ], id="cases-are-docs"),
        pytest.param("docs", "cases", "cases", [
            "option 'site_dir': 'cases' would hold the case files (cases_dir), and a build "
            f"empties it; {SITE_DIR_EXPECTED}",
        ], id="site-is-cases"),
        pytest.param("docs", "cases", "public/../cases/", [
            "option 'site_dir': 'cases' would hold the case files (cases_dir), and a build "
            f"empties it; {SITE_DIR_EXPECTED}",
        ], id="site-is-cases-spelt-otherwise"),
        pytest.param("docs", "data/cases", "data", [
            "option 'site_dir': 'data' would hold the case files (cases_dir), and a build "
            f"empties it; {SITE_DIR_EXPECTED}",
        ], id="site-holds-cases"),
        pytest.param("docs", "cases", "cases/site", [
            "option 'site_dir': 'cases/site' is inside the case folder (cases_dir), so the "
            f"built site would mix with the case files; {SITE_DIR_EXPECTED}",
        ], id="site-inside-cases"),
        pytest.param("docs", "cases", "docs", [
            "option 'site_dir': 'docs' would hold the pages' sources (docs_dir), and a build "
            f"empties it; {SITE_DIR_EXPECTED}",
        ], id="site-is-docs"),
        pytest.param("docs", "cases", ".", [
            "option 'site_dir': '.' would hold the project's own folder (mkdocs.yml), and a "
            f"build empties it; {SITE_DIR_EXPECTED}",
        ], id="site-is-the-project"),
        pytest.param("../pages", "../cases", "..", [
            "option 'site_dir': '{parent}' would hold the project's own folder (mkdocs.yml), "
            f"and a build empties it; {SITE_DIR_EXPECTED}",
        ], id="site-holds-the-project"),
        pytest.param("docs", "docs/beslut", "docs", [
            "option 'cases_dir': docs/beslut is inside docs_dir, so MkDocs would publish the raw "
            "case files (drafts and masked text too); expected a folder outside it",
            "option 'site_dir': 'docs' would hold the case files (cases_dir), and a build "
            f"empties it; {SITE_DIR_EXPECTED}",
        ], id="two-problems"),
    ],
)
def test_folder_problems(tmp_path: Path, docs_dir: str, cases_dir: str, site_dir: str,
                         problems: list[str]) -> None:
    root = tmp_path / "project"
    root.mkdir()
    assert folder_problems(root, root / docs_dir, root / cases_dir, root / site_dir) == [
        problem.format(parent=tmp_path.resolve()) for problem in problems]


def test_folder_problems_follow_symbolic_links(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "cases", target_is_directory=True)
    assert folder_problems(tmp_path, tmp_path / "docs", tmp_path / "cases", tmp_path / "out") == [
        "option 'site_dir': 'cases' would hold the case files (cases_dir), and a build "
        f"empties it; {SITE_DIR_EXPECTED}"]
