"""Ways text that must not be published could slip through, each refused with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from beslutsregister.core.loading import load_register
from helpers import PROGRAMMES, case_text, make_site

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


# -- the bypasses of the issue "Fail closed on what is published", one row each ------------

NUMBER_MESSAGE = ("contains a personal identity number (640823-****); expected no personal "
                  "identity or coordination numbers: remove it or mask it with [[maskera: ...]]")


def problems_of(tmp_path: Path, *texts: str) -> list[str]:
    """Messages for a register of these case files (a.md, b.md, ...), in order."""
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "programmes.yml").write_text(yaml.safe_dump(PROGRAMMES, allow_unicode=True),
                                          encoding="utf-8")
    for index, text in enumerate(texts):
        (cases / f"{'abcdefgh'[index]}.md").write_text(text, encoding="utf-8")
    return [str(p) for p in load_register(cases, tmp_path).problems]


BYPASSES = [
    pytest.param(case_text().replace("title: Ett beslut", 'title: "Sökande 640823-\\\n  3234"'),
                 [f"cases/a.md:3: {NUMBER_MESSAGE}"], id="yaml-line-continuation"),
    pytest.param(case_text().replace("title: Ett beslut", 'title: "Sökande 640823\\x2D3234"'),
                 [f"cases/a.md:3: {NUMBER_MESSAGE}"], id="yaml-escape"),
    pytest.param(case_text().replace("title: Ett beslut", 'title: "Sökande 640823\\u002D3234"'),
                 [f"cases/a.md:3: {NUMBER_MESSAGE}"], id="yaml-unicode-escape"),
    pytest.param(case_text(body="## Beslut\n\nSökande 640823-\n3234 beviljas.\n"),
                 [f"cases/a.md:20: {NUMBER_MESSAGE}"], id="body-hard-wrapped"),
    pytest.param(case_text(body="## Beslut\n\nSökande 640823&#45;3234.\n"),
                 [f"cases/a.md:20: {NUMBER_MESSAGE}"], id="body-entity"),
    pytest.param(case_text(body="## Beslut\n\nSökande 6408**23**-3234.\n"),
                 [f"cases/a.md:20: {NUMBER_MESSAGE}"], id="body-emphasis"),
    pytest.param(case_text(body="## Beslut\n\nSökande 640823<span>-</span>3234.\n"),
                 [f"cases/a.md:20: {NUMBER_MESSAGE}"], id="body-inline-html"),
    pytest.param(case_text(body="## Beslut\n\n| a | b |\n|---|---|\n| 640823 | 3234 |\n"),
                 ["cases/a.md:22: contains a personal identity number (640823 ****); expected "
                  "no personal identity or coordination numbers: remove it or mask it with "
                  "[[maskera: ...]]"], id="body-table-cells"),
    pytest.param(case_text(status=None).replace("title: Ett beslut", "title: Ett beslut\nstatus:"),
                 ["cases/a.md:4: field 'status': is blank; expected published, draft or "
                  "withdrawn, or the line left out"], id="blank-status"),
    pytest.param(case_text().replace("title: Ett beslut", "title: Ett beslut\nstatus: ~"),
                 ["cases/a.md:4: field 'status': is blank; expected published, draft or "
                  "withdrawn, or the line left out"], id="null-status"),
    pytest.param(case_text().replace("title: Ett beslut", "title: Ett beslut\npublish_after:"),
                 ["cases/a.md:4: field 'publish_after': is blank; expected the date the embargo "
                  "lifts, YYYY-MM-DD, or the line left out"], id="blank-embargo"),
    pytest.param(case_text().replace("  phone: '063146527'", "  phone: '063146527'\n  protected:"),
                 ["cases/a.md:10: field 'officer.protected': is blank; expected true or false, "
                  "or the line left out"], id="blank-protection"),
    pytest.param(case_text(body="## Beslut\n\n[[maskering: Anna Svensson]]\n"),
                 ["cases/a.md:20: unknown marker '[[maskering'; did you mean [[maskera: ...]]? "
                  "(only [[maskera: text]] or [[maskera 26:1: text]] hides text)"],
                 id="near-miss-maskering"),
    pytest.param(case_text(body="## Beslut\n\n\\[\\[maskera: Anna Svensson]]\n"),
                 ["cases/a.md:20: unknown marker '\\[\\[maskera'; did you mean [[maskera: ...]]? "
                  "(only [[maskera: text]] or [[maskera 26:1: text]] hides text)"],
                 id="near-miss-escaped"),
    pytest.param(case_text(body="## Beslut\n\n[maskera: Anna Svensson]\n"),
                 ["cases/a.md:20: unknown marker '[maskera'; did you mean [[maskera: ...]]? "
                  "(only [[maskera: text]] or [[maskera 26:1: text]] hides text)"],
                 id="near-miss-single-bracket"),
    pytest.param(case_text(title="Beslut \ufffe"),
                 ["cases/a.md:3: field 'title': contains the invisible character U+FFFE "
                  "NONCHARACTER; expected visible text only (retype the value)"],
                 id="noncharacter-in-title"),
    pytest.param(case_text(body="## Beslut\n\nText \uffff här.\n"),
                 ["cases/a.md:20: contains the character U+FFFF NONCHARACTER, which no page or "
                  "feed can carry; expected text without it (retype the line)"],
                 id="noncharacter-in-body"),
    pytest.param(case_text(body="## Beslut\n\nText \x0b här.\n"),
                 ["cases/a.md:20: contains the character U+000B CONTROL CHARACTER, which no "
                  "page or feed can carry; expected text without it (retype the line)"],
                 id="control-in-body"),
]


@pytest.mark.parametrize(("text", "expected"), BYPASSES)
def test_bypasses_are_refused(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert problems_of(tmp_path, text) == expected


def test_a_valid_mask_and_ordinary_brackets_pass(tmp_path: Path) -> None:
    body = ("## Beslut\n\n[[maskera: Anna]] och [[maskera 26:1: x]]. Se [bilagan](a.md) "
            "och [maskinen](b.md).\n")
    assert problems_of(tmp_path, case_text(body=body)) == []


PROTECTED = {"name": "Anna Skyddad", "email": "anna.skyddad@example.se", "protected": True}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"title": "Beslut om Anna Skyddad"}, "cases/b.md:3: field 'title'",
                     id="title"),
        pytest.param({"copy_to": ["Anna Skyddad"]}, "cases/b.md:16: field 'copy_to[0]'",
                     id="copy-to"),
        pytest.param({"copy_to": ["anna.skyddad@example.se"]},
                     "cases/b.md:16: field 'copy_to[0]'", id="copy-to-email"),
        pytest.param({"funding": [{"programme": "react-eu", "amount_sek": 1,
                                   "note": "Enligt ANNA SKYDDAD"}]},
                     "cases/b.md:13: field 'funding[0].note'", id="funding-note"),
        pytest.param({"decided_by": {"name": "Magnus", "role": "Chef för Anna Skyddad"}},
                     "cases/b.md:10: field 'decided_by.role'", id="role"),
    ],
)
def test_a_protected_person_is_named_in_no_other_case(
        tmp_path: Path, fields: dict[str, object], expected: str) -> None:
    problems = problems_of(tmp_path, case_text(officer=PROTECTED, status="draft"),
                           case_text(diary_number="RUN/2/2024", **fields))  # type: ignore[arg-type]
    assert problems == [f"{expected}: names a person whose identity is protected (in "
                        "cases/a.md:6); expected the field without the name"]


def test_a_protected_person_hard_wrapped_in_another_body(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, case_text(officer=PROTECTED),
                           case_text(diary_number="RUN/2/2024",
                                     body="## Beslut\n\nEnligt Anna\n*Skyddad*.\n"))
    assert problems == ["cases/b.md:20: names a person whose identity is protected (in "
                        "cases/a.md:6); expected the text without the name (mask it with "
                        "[[maskera: ...]] or remove it)"]


def test_protection_follows_the_person_into_other_cases(tmp_path: Path) -> None:
    site = make_site(tmp_path / "person")
    site.write_case("a.md", case_text(officer=PROTECTED, status="draft"))
    site.write_case("b.md", case_text(diary_number="RUN/2/2024",
                                      officer={"name": "Anna Skyddad", "email":
                                               "anna.skyddad@example.se"}))
    site.write_case("c.md", case_text(diary_number="RUN/3/2024",
                                      decided_by={"name": "Anna Skyddad", "role": "Chef"}))
    site.built()
    for path, text in site.output_text():
        assert "Skyddad" not in text and "anna.skyddad" not in text, path
    assert "Handläggare vid Samhällsutveckling" in site.page("beslut/run-2-2024")
    assert "<td>Chef</td>" in site.page("beslut/run-3-2024")


def test_a_theme_id_in_a_body_is_moved_and_its_anchor_still_works(tmp_path: Path) -> None:
    site = make_site(tmp_path / "ids")
    site.write_case("a.md", case_text(body='## __config\n\n<div id="__drawer">x</div>\n'))
    site.built()
    page = site.page("beslut/run-1-2024")
    assert page.count('id="__config"') == 1 and page.count('id="__drawer"') == 1  # Material's
    assert 'id="br__config"' in page and 'href="#br__config"' in page
    assert 'id="br__drawer"' in page


def test_an_image_from_another_host_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path / "img")
    site.write_case("a.md", case_text(body="## Beslut\n\nText.\n\n"
                                      "![Karta](https://karta.example.com/x.png)\n"))
    result = site.build()
    assert result.returncode == 1
    assert ("cases/a.md:22: shows an image from another host "
            "('https://karta.example.com/x.png'), which would send every reader's address "
            "there; expected an image published with the site, or a link instead"
            ) in result.stderr
    assert "Traceback" not in result.stderr


def test_programmes_yml_is_scanned_like_a_case(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "programmes.yml").write_text(
        'react-eu:\n  name: "REACT-EU 640823\\x2D3234"\n  funder: Anna Skyddad\n',
        encoding="utf-8")
    (cases / "a.md").write_text(case_text(officer=PROTECTED, funding=None), encoding="utf-8")
    assert [str(p) for p in load_register(cases, tmp_path).problems] == [
        f"cases/programmes.yml:2: {NUMBER_MESSAGE}",
        "cases/programmes.yml:1: field 'react-eu.funder': names a person whose identity is "
        "protected (in cases/a.md:6); expected the field without the name"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("- " * 500 + "a\n", "nests lists, quotes or indented blocks", id="deep-list"),
        pytest.param("[" * 5000 + "\n", "", id="brackets"),
    ],
)
def test_a_pathological_body_fails_the_build_in_time_with_file_and_line(
        tmp_path: Path, body: str, message: str) -> None:
    site = make_site(tmp_path / "deep")
    site.write_case("a.md", case_text(body="## Beslut\n\n" + body))
    result = site.build()
    assert result.returncode == 1
    line = [entry for entry in result.stderr.splitlines() if "cases/a.md:20:" in entry]
    assert line and message in line[0], result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr


def test_a_message_quotes_a_marker_cut_short(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, case_text(body="## Beslut\n\n" + "[" * 3000 + "x\n"))
    assert problems[0].startswith("cases/a.md:20: unknown marker '[[[[[[';")
    assert max(len(p) for p in problems) < 200
