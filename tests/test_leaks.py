"""Ways text that must not be published could slip through, each refused with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from beslutsregister.loading import load_register
from conftest import PROGRAMMES, case_text, make_site

NUMBER = "640823-3234"  # a valid personnummer (date and Luhn check digit)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {"body": "## Beslut\n\nSökande 640823\u20133234.\n"},
            "cases/x.md:20: contains a personal identity number (640823\u2013****); expected no "
            "personal identity or coordination numbers: remove it or mask it with "
            "[[maskera: ...]]", id="en-dash-separator"),
        pytest.param(
            {"body": "## Beslut\n\nSökande 640823 3234.\n"},
            "cases/x.md:20: contains a personal identity number (640823 ****); expected no "
            "personal identity or coordination numbers: remove it or mask it with "
            "[[maskera: ...]]", id="space-separator"),
        pytest.param(
            {"body": "## Beslut\n\n[[maskera: hemlig [[x]] del två]] slut\n"},
            "cases/x.md:20: '[[maskera' is not closed, or holds '[['; expected ']]' after the "
            "text to hide, and no brackets inside it", id="brackets-inside-a-mask"),
        pytest.param(
            {"title": "Beslut om [[ Maskera: Anna Svensson]]"},
            "cases/x.md:3: field 'title': contains '[[maskera', which works only in the text "
            "below the front matter; expected the field without hidden text",
            id="spaced-mask-in-front-matter"),
        pytest.param(
            {"officer": {"name": "Anna Skyddad", "protected": True},
             "body": "## Beslut\n\nBeslutet fattas.\n\nAnna Skyddad\n"},
            "cases/x.md:21: names the protected officer's name; expected the text without it "
            "(mask it with [[maskera: ...]] or remove it)", id="protected-officer-signs"),
    ],
)
def test_refused(tmp_path: Path, fields: dict[str, object], expected: str) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "programmes.yml").write_text(yaml.safe_dump(PROGRAMMES, allow_unicode=True),
                                          encoding="utf-8")
    (cases / "x.md").write_text(case_text(**fields), encoding="utf-8")  # type: ignore[arg-type]
    assert [str(p) for p in load_register(cases, tmp_path).problems] == [expected]


def test_a_masked_protected_name_is_fine(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "programmes.yml").write_text(yaml.safe_dump(PROGRAMMES), encoding="utf-8")
    (cases / "x.md").write_text(case_text(
        officer={"name": "Anna Skyddad", "protected": True},
        body=f"## Beslut\n\n[[maskera: Anna Skyddad, {NUMBER}]]\n"), encoding="utf-8")
    assert load_register(cases, tmp_path).problems == []


def test_a_control_character_in_front_matter_is_refused(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "programmes.yml").write_text(yaml.safe_dump(PROGRAMMES), encoding="utf-8")
    text = case_text().replace("title: Ett beslut", 'title: "Ett\\x01beslut"')
    (cases / "x.md").write_text(text, encoding="utf-8")
    assert [str(p) for p in load_register(cases, tmp_path).problems] == [
        "cases/x.md:3: field 'title': contains the invisible character U+0001 CONTROL "
        "CHARACTER; expected visible text only (retype the value)"]


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    site = make_site(tmp_path / "csv")
    site.write_case("x.md", case_text(title="=HYPERLINK(\"http://x\")", unit="@enhet"))
    site.built()
    csv = (site.site / "register" / "beslut.csv").read_text(encoding="utf-8-sig")
    row = csv.splitlines()[1].split(";")
    assert row[2] == "\"'=HYPERLINK(\"\"http://x\"\")\"" and row[3] == "'@enhet"


def test_a_dirty_public_build_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path / "dirty")
    site.write_case("x.md", case_text())
    result = site.build("--dirty")
    assert result.returncode == 1
    assert ("Error: beslutsregister: a public build cannot be --dirty: it could keep pages "
            "that must no longer be published; build without it") in result.stderr.splitlines()


def test_cases_inside_docs_are_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path / "inside", config=(
        "site_name: T\nplugins:\n  - beslutsregister:\n      cases_dir: docs/beslut\n"))
    (site.root / "docs" / "beslut").mkdir()
    result = site.build()
    assert result.returncode == 1
    assert ("ERROR   -  beslutsregister: option 'cases_dir': docs/beslut is inside docs_dir, so "
            "MkDocs would publish the raw case files (drafts and masked text too); expected a "
            "folder outside it") in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
