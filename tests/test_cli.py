"""``python -m beslutsregister check``: exit status and exact messages, as CI and staff see them."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import REPO, Site, case_text, make_site

CONFIG_WITH_OPTIONS = """\
site_name: Test
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - search
  - beslutsregister:
      cases_dir: arenden
      diary_number_pattern: "KS [0-9]{4}/[0-9]+"
      diary_number_description: "KS YEAR/SERIAL, e.g. KS 2024/17"
      today: 2024-06-01
extra:
  token: !ENV [NO_SUCH_VARIABLE, ""]
"""


CACHE_IN_DOCS = ("option 'build_cache_dir': 'docs/cache' overlaps docs_dir; the cache holds "
                 "every case file's contents (drafts too), MkDocs publishes what docs_dir and "
                 "custom_dir hold and a build empties site_dir; expected a folder of its own, "
                 "e.g. '.cache/beslutsregister'")


def check(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None
          ) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "BESLUTSREGISTER_TODAY"}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "beslutsregister", "check", *args], cwd=cwd,
                          env=environment, capture_output=True, text=True, timeout=120)


def test_repository_register_is_valid() -> None:
    result = check("-f", str(REPO / "mkdocs.yml"), "--today", "2024-06-01", cwd=Path("/"))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "OK: 2 case files, 2 public, 0 drafts, 0 embargoed, 0 withdrawn "
        "(as of 2024-06-01).\n")


def test_default_config_file_is_mkdocs_yml_in_the_working_directory() -> None:
    result = check("--today", "2024-06-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 2 case files")


def test_broken_register_exits_1_with_every_message(site: Site) -> None:
    site.write_case("a.md", case_text(date="2024-02-30"))
    site.write_case("b.md", case_text(diary_number="RUN/2/2024",
                                      funding=[{"programme": "reakt-eu", "amount_sek": 1}]))
    site.write_case("c.md", case_text(diary_number="RUN/3/2024"))
    result = check("-f", str(site.root / "mkdocs.yml"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "cases/a.md:4: field 'date': '2024-02-30' is not a real calendar date; expected "
        "YYYY-MM-DD, e.g. 2024-02-23\n"
        "cases/b.md:14: field 'funding[0].programme': unknown programme 'reakt-eu'; expected an "
        "id from cases/programmes.yml; did you mean 'react-eu'?\n"
        "2 problems; nothing may be published.\n"
    )


def test_one_problem(site: Site) -> None:
    site.write_case("a.md", case_text())
    site.write_case("b.md", case_text())
    result = check("-f", str(site.root / "mkdocs.yml"))
    assert (result.returncode, result.stderr) == (1, (
        "cases/b.md:2: field 'diary_number': 'RUN/1/2024' is already used by cases/a.md:2; "
        "expected a unique diary number\n"
        "1 problem; nothing may be published.\n"))


def test_counts_drafts_and_embargoes_as_of_the_configured_day(site: Site) -> None:
    site.write_case("a.md", case_text())
    site.write_case("b.md", case_text(diary_number="RUN/2/2024", status="draft"))
    site.write_case("c.md", case_text(diary_number="RUN/3/2024", publish_after="2024-06-02"))
    config = str(site.root / "mkdocs.yml")  # today: "2024-06-01"
    assert check("-f", config).stdout == (
        "OK: 3 case files, 1 public, 1 drafts, 1 embargoed, 0 withdrawn "
        "(as of 2024-06-01).\n")
    assert check("-f", config, "--today", "2024-06-02").stdout == (
        "OK: 3 case files, 2 public, 1 drafts, 0 embargoed, 0 withdrawn "
        "(as of 2024-06-02).\n")


def test_environment_fixes_the_day(site: Site) -> None:
    (site.root / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - beslutsregister\n", "utf-8")
    result = check("-f", str(site.root / "mkdocs.yml"), env={"BESLUTSREGISTER_TODAY": "2031-01-02"})
    assert result.stdout == (
        "OK: 0 case files, 0 public, 0 drafts, 0 embargoed, 0 withdrawn "
        "(as of 2031-01-02).\n")


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        pytest.param(["--today", "2024-02-30"], {},
                     "beslutsregister: --today: '2024-02-30' is not a real calendar date; "
                     "expected YYYY-MM-DD\n", id="option"),
        pytest.param(["--today", "1 juni"], {},
                     "beslutsregister: --today: '1 juni' is not a date; expected YYYY-MM-DD\n",
                     id="option-words"),
        # Python 3.11's date.fromisoformat takes these; the clock does not.
        pytest.param(["--today", "20240601"], {},
                     "beslutsregister: --today: '20240601' is not a date; expected YYYY-MM-DD\n",
                     id="option-basic-iso"),
        pytest.param(["--today", "2024-W01-1"], {},
                     "beslutsregister: --today: '2024-W01-1' is not a date; expected YYYY-MM-DD\n",
                     id="option-week-date"),
        pytest.param([], {"BESLUTSREGISTER_TODAY": "imorgon"},
                     "beslutsregister: environment variable BESLUTSREGISTER_TODAY: 'imorgon' is "
                     "not a date; expected YYYY-MM-DD\n", id="environment"),
        pytest.param([], {"BESLUTSREGISTER_TODAY": "2024-13-01"},
                     "beslutsregister: environment variable BESLUTSREGISTER_TODAY: '2024-13-01' "
                     "is not a real calendar date; expected YYYY-MM-DD\n",
                     id="environment-impossible"),
        pytest.param([], {"BESLUTSREGISTER_TODAY": "20240601"},
                     "beslutsregister: environment variable BESLUTSREGISTER_TODAY: '20240601' is "
                     "not a date; expected YYYY-MM-DD\n", id="environment-basic-iso"),
    ],
)
def test_bad_day_exits_2(site: Site, args: list[str], env: dict[str, str], message: str) -> None:
    (site.root / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - beslutsregister\n", "utf-8")
    result = check("-f", str(site.root / "mkdocs.yml"), *args, env=env)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


def test_options_come_from_mkdocs_yml(tmp_path: Path) -> None:
    # Tags MkDocs understands (!ENV, !!python/name) must not trip the check; an unquoted
    # today is a YAML date.
    (tmp_path / "mkdocs.yml").write_text(CONFIG_WITH_OPTIONS, encoding="utf-8")
    (tmp_path / "docs").mkdir()  # MkDocs, and so the check, refuses a missing docs_dir
    (tmp_path / "arenden").mkdir()
    (tmp_path / "arenden" / "a.md").write_text(
        case_text(diary_number="KS 2024/17", funding=None), encoding="utf-8")
    (tmp_path / "arenden" / "b.md").write_text(
        case_text(diary_number="RUN/1/2024", funding=None, publish_after="2024-06-02"),
        encoding="utf-8")
    result = check("-f", str(tmp_path / "mkdocs.yml"))
    assert (result.returncode, result.stderr) == (1, (
        "arenden/b.md:2: field 'diary_number': 'RUN/1/2024' does not match the diary-number "
        "pattern; expected KS YEAR/SERIAL, e.g. KS 2024/17\n"
        "1 problem; nothing may be published.\n"))
    (tmp_path / "arenden" / "b.md").unlink()
    result = check("-f", str(tmp_path / "mkdocs.yml"))
    assert result.stdout == (
        "OK: 1 case files, 1 public, 0 drafts, 0 embargoed, 0 withdrawn "
        "(as of 2024-06-01).\n")


def test_cases_option_overrides_the_folder(site: Site, tmp_path: Path) -> None:
    other = site.root / "andra"
    other.mkdir()
    (other / "programmes.yml").write_text("react-eu:\n  name: R\n", "utf-8")
    (other / "x.md").write_text(case_text(date="2024-13-01"), "utf-8")
    result = check("-f", str(site.root / "mkdocs.yml"), "--cases", "andra")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "andra/x.md:4: field 'date': '2024-13-01' is not a real calendar date; expected "
        "YYYY-MM-DD, e.g. 2024-02-23")


def test_invalid_pattern_is_a_message_not_a_traceback(site: Site) -> None:
    (site.root / "mkdocs.yml").write_text(
        'site_name: T\nplugins:\n  - beslutsregister:\n      diary_number_pattern: "[A-Z"\n',
        "utf-8")
    result = check("-f", str(site.root / "mkdocs.yml"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"beslutsregister: {site.root / 'mkdocs.yml'}: Config value 'plugins': Plugin "
        "'beslutsregister' option 'diary_number_pattern': '[A-Z' is not a regular expression "
        "(unterminated character set at position 0); expected e.g. [A-Z]+/[0-9]+/[0-9]{4}\n")


def test_missing_cases_folder(tmp_path: Path) -> None:
    result = check("-f", str(tmp_path / "mkdocs.yml"), "--today", "2024-06-01")
    assert (result.returncode, result.stderr) == (1, (
        "cases:1: is not a folder; expected the folder of case files\n"
        "1 problem; nothing may be published.\n"))


def test_a_command_is_required() -> None:
    result = subprocess.run([sys.executable, "-m", "beslutsregister"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "check" in result.stderr


@pytest.mark.parametrize(
    ("yml", "message"),
    [
        pytest.param("site_name: [x\n", "mkdocs.yml:2: not valid YAML (expected ',' or ']', but "
                     "got '<stream end>'); expected MkDocs' configuration", id="broken-yaml"),
        pytest.param("site_name: T\nnav: !unknown x\n", "mkdocs.yml:2: not valid YAML (could "
                     "not determine a constructor for the tag '!unknown'); expected MkDocs' "
                     "configuration", id="unknown-tag"),
        pytest.param("- a\n- b\n", "mkdocs.yml: The configuration is invalid. Expected a "
                     "key-value mapping (dict) but received: <class 'list'>", id="top-level-list"),
        pytest.param("plugins:\n  - beslutsregister\n",
                     "mkdocs.yml: Config value 'site_name': Required configuration not provided.",
                     id="no-site-name"),
        pytest.param("site_name: T\nplugins:\n  - beslutsregister:\n"
                     "      diary_number_pattern: 5\n",
                     "mkdocs.yml: Config value 'plugins': Plugin "
                     "'beslutsregister' option 'diary_number_pattern': Expected type: "
                     "<class 'str'> but received: <class 'int'>", id="pattern-not-text"),
        pytest.param("site_name: T\nplugins:\n  - beslutsregister:\n      cases: arenden\n",
                     "mkdocs.yml: Config value 'plugins': Plugin 'beslutsregister' option "
                     "'cases': Unrecognised configuration name: cases", id="unknown-option"),
        pytest.param("site_name: T\nplugins:\n  - nosuchplugin\n",
                     "mkdocs.yml: Config value 'plugins': The \"nosuchplugin\" plugin is not "
                     "installed", id="unknown-plugin"),
        pytest.param("INHERIT: base.yml\nsite_name: T\n",
                     "mkdocs.yml: Inherited config file 'base.yml' does not exist at "
                     "'{root}/base.yml'.", id="inherit-missing"),
    ],
)
def test_a_bad_mkdocs_yml_is_a_message_not_a_traceback(
    tmp_path: Path, yml: str, message: str
) -> None:
    """One line per problem, as MkDocs states it, and exit status 2 (MkDocs' own
    load_config reads the file; strict, as the public build is: a warning is a problem)."""
    (tmp_path / "cases").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(yml, encoding="utf-8")
    result = check("-f", "mkdocs.yml", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", f"beslutsregister: {message.format(root=tmp_path)}\n")


# -- the check and the build read one configuration ----------------------------------------

SITE_DIR_EXPECTED = ("expected a folder of its own, e.g. 'site', outside cases_dir and holding "
                     "none of cases_dir, docs_dir and mkdocs.yml")
EMBARGOED_UNTIL = "2024-03-01"  # the one case's publish_after: the day decides what is public
PLUGIN = "site_name: T\nplugins:\n  - beslutsregister:\n"


@dataclass(frozen=True)
class Agreement:
    """One configuration, what the check says of it, and what the build must say."""

    config: str
    check: str  # the check's stderr (exit 2), or the day of its OK line (exit 0)
    build: str | None = None  # a line of the failed build's stderr; None: the build passes
    files: dict[str, str] = field(default_factory=dict)  # more files, relative to the project
    env: dict[str, str] = field(default_factory=dict)

    @property
    def passes(self) -> bool:
        return not self.check.startswith("beslutsregister: ")


def ok(day: str) -> str:
    public = day >= EMBARGOED_UNTIL
    return (f"OK: 1 case files, {int(public)} public, 0 drafts, {int(not public)} embargoed, "
            f"0 withdrawn (as of {day}).\n")


AGREEMENTS = {
    # The plugin's options in a file mkdocs.yml INHERITs: the old check never saw them.
    "inherit-good": Agreement(
        "INHERIT: base.yml\nsite_name: T\n", ok("2024-01-01"),
        files={"base.yml": "plugins:\n  - beslutsregister:\n      today: 2024-01-01\n"}),
    "inherit-bad": Agreement(
        "INHERIT: base.yml\nsite_name: T\n",
        "beslutsregister: mkdocs.yml: Config value 'plugins': Plugin 'beslutsregister' option "
        "'feed_size': 0 is too small; expected 1 or more\n",
        "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option 'feed_size': 0 is "
        "too small; expected 1 or more",
        files={"base.yml": "plugins:\n  - beslutsregister:\n      feed_size: 0\n"}),
    "inherit-bad-date": Agreement(
        "INHERIT: base.yml\nsite_name: T\n",
        "beslutsregister: mkdocs.yml: Config value 'plugins': Plugin 'beslutsregister' option "
        "'today': '2024-02-30' is not a real calendar date; expected YYYY-MM-DD\n",
        "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option 'today': "
        "'2024-02-30' is not a real calendar date; expected YYYY-MM-DD",
        files={"base.yml": 'plugins:\n  - beslutsregister:\n      today: "2024-02-30"\n'}),
    # !ENV: the variable when set, else nothing (the environment's clock, here 2024-04-01).
    "env-tag-set": Agreement(
        PLUGIN + "      today: !ENV [BR_TEST_DAY]\n", ok("2024-01-01"),
        env={"BR_TEST_DAY": "2024-01-01", "BESLUTSREGISTER_TODAY": "2024-04-01"}),
    "env-tag-unset": Agreement(
        PLUGIN + "      today: !ENV [BR_TEST_DAY]\n", ok("2024-04-01"),
        env={"BESLUTSREGISTER_TODAY": "2024-04-01"}),
    "env-tag-default": Agreement(
        PLUGIN + "      today: !ENV [BR_TEST_DAY, 2024-01-01]\n", ok("2024-01-01")),
    "env-tag-words": Agreement(
        PLUGIN + "      today: !ENV [BR_TEST_DAY]\n",
        "beslutsregister: mkdocs.yml: Config value 'plugins': Plugin 'beslutsregister' option "
        "'today': 'imorgon' is not a date; expected YYYY-MM-DD\n",
        "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option 'today': 'imorgon' "
        "is not a date; expected YYYY-MM-DD", env={"BR_TEST_DAY": "imorgon"}),
    # PyYAML fails on an impossible date before any option is validated; MkDocs shows a
    # traceback, the check one line with the file and line.
    "env-tag-impossible": Agreement(
        PLUGIN + "      today: !ENV [BR_TEST_DAY]\n",
        "beslutsregister: mkdocs.yml:4: '2024-02-30' is not a real calendar date; expected a "
        "real date written YYYY-MM-DD\n", "", env={"BR_TEST_DAY": "2024-02-30"}),
    "today-unquoted-impossible": Agreement(
        PLUGIN + "      today: 2024-02-30\n",
        "beslutsregister: mkdocs.yml:4: '2024-02-30' is not a real calendar date; expected a "
        "real date written YYYY-MM-DD\n", ""),
    "inherit-unquoted-impossible": Agreement(
        "INHERIT: base.yml\nsite_name: T\n",
        "beslutsregister: {root}/base.yml:3: '2024-02-30' is not a real calendar date; "
        "expected a real date written YYYY-MM-DD\n", "",
        files={"base.yml": "plugins:\n  - beslutsregister:\n      today: 2024-02-30\n"}),
    "today-quoted-impossible": Agreement(
        PLUGIN + '      today: "2024-02-30"\n',
        "beslutsregister: mkdocs.yml: Config value 'plugins': Plugin 'beslutsregister' option "
        "'today': '2024-02-30' is not a real calendar date; expected YYYY-MM-DD\n",
        "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option 'today': "
        "'2024-02-30' is not a real calendar date; expected YYYY-MM-DD"),
    "today-basic-iso": Agreement(
        PLUGIN + '      today: "20240601"\n',
        "beslutsregister: mkdocs.yml: Config value 'plugins': Plugin 'beslutsregister' option "
        "'today': '20240601' is not a date; expected YYYY-MM-DD\n",
        "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option 'today': "
        "'20240601' is not a date; expected YYYY-MM-DD"),
    # Plugins as a mapping, which the old check did not read.
    "mapping-good": Agreement(
        "site_name: T\nplugins:\n  beslutsregister:\n    today: 2024-01-01\n", ok("2024-01-01")),
    "mapping-bad": Agreement(
        "site_name: T\nplugins:\n  beslutsregister:\n    feed_size: 0\n",
        "beslutsregister: mkdocs.yml: Config value 'plugins': Plugin 'beslutsregister' option "
        "'feed_size': 0 is too small; expected 1 or more\n",
        "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option 'feed_size': 0 is "
        "too small; expected 1 or more"),
    "feed-size-text": Agreement(
        PLUGIN + '      feed_size: "50"\n',
        "beslutsregister: mkdocs.yml: Config value 'plugins': Plugin 'beslutsregister' option "
        "'feed_size': '50' is text, not a whole number; expected a whole number without "
        "quotes, 1 or more, e.g. 50\n",
        "ERROR   -  Config value 'plugins': Plugin 'beslutsregister' option 'feed_size': '50' is "
        "text, not a whole number; expected a whole number without quotes, 1 or more, e.g. 50"),
    "misspelt-option": Agreement(  # a strict build refuses it; the old check used cases/
        PLUGIN + "      case_dir: arenden\n",
        "beslutsregister: mkdocs.yml: Config value 'plugins': Plugin 'beslutsregister' option "
        "'case_dir': Unrecognised configuration name: case_dir\n",
        "WARNING -  Config value 'plugins': Plugin 'beslutsregister' option 'case_dir': "
        "Unrecognised configuration name: case_dir"),
    # The environment's clock, named in the message.
    "environment-impossible": Agreement(
        "site_name: T\nplugins:\n  - beslutsregister\n",
        "beslutsregister: environment variable BESLUTSREGISTER_TODAY: '2024-13-01' is not a "
        "real calendar date; expected YYYY-MM-DD\n",
        "ERROR   -  beslutsregister: environment variable BESLUTSREGISTER_TODAY: '2024-13-01' "
        "is not a real calendar date; expected YYYY-MM-DD",
        env={"BESLUTSREGISTER_TODAY": "2024-13-01"}),
    "environment-basic-iso": Agreement(
        "site_name: T\nplugins:\n  - beslutsregister\n",
        "beslutsregister: environment variable BESLUTSREGISTER_TODAY: '20240601' is not a date; "
        "expected YYYY-MM-DD\n",
        "ERROR   -  beslutsregister: environment variable BESLUTSREGISTER_TODAY: '20240601' is "
        "not a date; expected YYYY-MM-DD", env={"BESLUTSREGISTER_TODAY": "20240601"}),
    # Folders: a build empties site_dir before it writes.
    "site-dir-cases": Agreement(
        PLUGIN + "      today: 2024-06-01\nsite_dir: cases\n",
        f"beslutsregister: option 'site_dir': 'cases' would hold the case files (cases_dir), "
        f"and a build empties it; {SITE_DIR_EXPECTED}\n",
        f"ERROR   -  beslutsregister: option 'site_dir': 'cases' would hold the case files "
        f"(cases_dir), and a build empties it; {SITE_DIR_EXPECTED}"),
    "site-dir-holds-cases": Agreement(
        PLUGIN + "      today: 2024-06-01\n      cases_dir: data/cases\nsite_dir: data\n",
        f"beslutsregister: option 'site_dir': 'data' would hold the case files (cases_dir), and "
        f"a build empties it; {SITE_DIR_EXPECTED}\n",
        f"ERROR   -  beslutsregister: option 'site_dir': 'data' would hold the case files "
        f"(cases_dir), and a build empties it; {SITE_DIR_EXPECTED}",
        files={"data/cases/x.md": "", "data/cases/programmes.yml": "react-eu:\n  name: R\n"}),
    "site-dir-inside-cases": Agreement(
        PLUGIN + "      today: 2024-06-01\nsite_dir: cases/site\n",
        f"beslutsregister: option 'site_dir': 'cases/site' is inside the case folder "
        f"(cases_dir), so the built site would mix with the case files; {SITE_DIR_EXPECTED}\n",
        f"ERROR   -  beslutsregister: option 'site_dir': 'cases/site' is inside the case folder "
        f"(cases_dir), so the built site would mix with the case files; {SITE_DIR_EXPECTED}"),
    "site-dir-project": Agreement(  # docs_dir elsewhere, or MkDocs itself refuses first
        PLUGIN + "      today: 2024-06-01\ndocs_dir: ../pages\nsite_dir: .\n",
        f"beslutsregister: option 'site_dir': '.' would hold the project's own folder "
        f"(mkdocs.yml), and a build empties it; {SITE_DIR_EXPECTED}\n",
        f"ERROR   -  beslutsregister: option 'site_dir': '.' would hold the project's own "
        f"folder (mkdocs.yml), and a build empties it; {SITE_DIR_EXPECTED}",
        files={"../pages/index.md": "# Start\n"}),
    "site-dir-dot": Agreement(
        PLUGIN + "      today: 2024-06-01\nsite_dir: .\n",
        "beslutsregister: mkdocs.yml: Config value 'site_dir': The 'docs_dir' should not be "
        "within the 'site_dir' as this can mean the source files are overwritten by the output "
        "or it will be deleted if --clean is passed to mkdocs build. (site_dir: '{root}', "
        "docs_dir: '{root}/docs')\n",
        "ERROR   -  Config value 'site_dir': The 'docs_dir' should not be within the 'site_dir' "
        "as this can mean the source files are overwritten by the output or it will be deleted "
        "if --clean is passed to mkdocs build. (site_dir: '{root}', docs_dir: '{root}/docs')"),
    "site-dir-docs": Agreement(
        PLUGIN + "      today: 2024-06-01\nsite_dir: docs\n",
        "beslutsregister: mkdocs.yml: Config value 'site_dir': The 'docs_dir' should not be "
        "within the 'site_dir' as this can mean the source files are overwritten by the output "
        "or it will be deleted if --clean is passed to mkdocs build. (site_dir: '{root}/docs', "
        "docs_dir: '{root}/docs')\n",
        "ERROR   -  Config value 'site_dir': The 'docs_dir' should not be within the 'site_dir' "
        "as this can mean the source files are overwritten by the output or it will be deleted "
        "if --clean is passed to mkdocs build. (site_dir: '{root}/docs', docs_dir: "
        "'{root}/docs')"),
    "site-dir-elsewhere": Agreement(
        PLUGIN + "      today: 2024-06-01\nsite_dir: ../public\n", ok("2024-06-01")),
    "cache-in-docs": Agreement(
        PLUGIN + "      today: 2024-06-01\n      build_cache_dir: docs/cache\n",
        f"beslutsregister: {CACHE_IN_DOCS}\n", f"ERROR   -  beslutsregister: {CACHE_IN_DOCS}"),
    "cases-in-docs": Agreement(
        PLUGIN + "      today: 2024-06-01\n      cases_dir: docs/beslut\n",
        "beslutsregister: option 'cases_dir': docs/beslut is inside docs_dir, so MkDocs would "
        "publish the raw case files (drafts and masked text too); expected a folder outside it\n",
        "ERROR   -  beslutsregister: option 'cases_dir': docs/beslut is inside docs_dir, so "
        "MkDocs would publish the raw case files (drafts and masked text too); expected a folder "
        "outside it", files={"docs/beslut/programmes.yml": "react-eu:\n  name: R\n"}),
}


def without_clock(env: dict[str, str]) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("BESLUTSREGISTER_TODAY", "BR_TEST_DAY")}
    return {**environment, **env, "NO_MKDOCS_2_WARNING": "1"}


@pytest.mark.parametrize("agreement", list(AGREEMENTS.values()), ids=list(AGREEMENTS))
def test_check_and_build_agree(tmp_path: Path, agreement: Agreement) -> None:
    """The same mkdocs.yml passes both, or fails both with the same message; and a build
    refused for its folders has deleted nothing."""
    site = make_site(tmp_path / "project", config=agreement.config)
    case = site.write_case("x.md", case_text(publish_after=EMBARGOED_UNTIL))
    for name, text in agreement.files.items():
        (site.root / name).parent.mkdir(parents=True, exist_ok=True)
        (site.root / name).write_text(text or case.read_text("utf-8"), "utf-8")
    keep = [path for path in tmp_path.rglob("*") if path.is_file()]
    result = check("-f", "mkdocs.yml", cwd=site.root, env=agreement.env)
    expected = agreement.check.format(root=site.root)
    if agreement.passes:
        assert (result.returncode, result.stderr, result.stdout) == (0, "", expected)
    else:
        assert (result.returncode, result.stdout, result.stderr) == (2, "", expected)

    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site.root,
                           env=without_clock(agreement.env), capture_output=True, text=True,
                           timeout=600)
    assert [path for path in keep if not path.is_file()] == []
    if agreement.build is None:
        assert built.returncode == 0, built.stderr
        assert agreement.passes
    else:
        assert built.returncode == 1
        if agreement.build:
            assert agreement.build.format(root=site.root) in built.stderr.splitlines()
            assert "Traceback" not in built.stderr
        else:  # MkDocs' own traceback: PyYAML could not read a date
            assert built.stderr.rstrip().endswith("ValueError: day is out of range for month")
