"""``python -m beslutsregister check``: exit status and exact messages, as CI and staff see them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, Site, case_text

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
        "OK: 2 case files, 2 public, 0 drafts, 0 embargoed (as of 2024-06-01).\n")


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
        "OK: 3 case files, 1 public, 1 drafts, 1 embargoed (as of 2024-06-01).\n")
    assert check("-f", config, "--today", "2024-06-02").stdout == (
        "OK: 3 case files, 2 public, 1 drafts, 0 embargoed (as of 2024-06-02).\n")


def test_environment_fixes_the_day(site: Site) -> None:
    (site.root / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - beslutsregister\n", "utf-8")
    result = check("-f", str(site.root / "mkdocs.yml"), env={"BESLUTSREGISTER_TODAY": "2031-01-02"})
    assert result.stdout == (
        "OK: 0 case files, 0 public, 0 drafts, 0 embargoed (as of 2031-01-02).\n")


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        pytest.param(["--today", "2024-02-30"], {},
                     "beslutsregister: --today: '2024-02-30' is not a date; expected YYYY-MM-DD\n",
                     id="option"),
        pytest.param([], {"BESLUTSREGISTER_TODAY": "imorgon"},
                     "beslutsregister: --today: 'imorgon' is not a date; expected YYYY-MM-DD\n",
                     id="environment"),
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
        "OK: 1 case files, 1 public, 0 drafts, 0 embargoed (as of 2024-06-01).\n")


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
    assert result.stderr == ("beslutsregister: option 'diary_number_pattern': '[A-Z' is not a "
                             "regular expression (unterminated character set at position 0)\n")


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
        pytest.param("site_name: [x\n", "mkdocs.yml:2: not valid YAML; expected MkDocs' "
                     "configuration", id="broken-yaml"),
        pytest.param("- a\n- b\n", None, id="top-level-list"),
        pytest.param("plugins:\n  - beslutsregister:\n      diary_number_pattern: 5\n",
                     "mkdocs.yml: plugin 'beslutsregister' option 'diary_number_pattern': "
                     "expected text", id="pattern-not-text"),
    ],
)
def test_a_bad_mkdocs_yml_is_a_message_not_a_traceback(
    tmp_path: Path, yml: str, message: str | None
) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "mkdocs.yml").write_text(yml, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "beslutsregister", "check", "-f",
                             str(tmp_path / "mkdocs.yml")], capture_output=True, text=True,
                            cwd=tmp_path)
    assert "Traceback" not in result.stderr
    if message is not None:
        assert result.returncode == 2
        assert result.stderr.strip().endswith(message)
