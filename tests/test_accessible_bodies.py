"""Decision bodies every reader can use (WCAG 2.1 AA): images need a text alternative,
body tables get header scopes and a labelled, focusable region that scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest

from beslutsregister.core.sanitize import (
    BodyRenderer,
    accessible_tables,
    missing_alt_problems,
    sanitize_html,
)
from helpers import case_text, make_site


def region(label: str, table: str) -> str:
    return (f'<div class="br-table-scroll" role="region" tabindex="0" aria-label="{label}">'
            f"{table}</div>")


TABLES = [
    pytest.param(
        "<table><thead><tr><th>År</th><th>Belopp</th></tr></thead>"
        "<tbody><tr><td>2024</td><td>100</td></tr></tbody></table>",
        region("Tabell: År", '<table><thead><tr><th scope="col">År</th>'
               '<th scope="col">Belopp</th></tr></thead>'
               "<tbody><tr><td>2024</td><td>100</td></tr></tbody></table>"),
        id="thead-tbody"),
    pytest.param(
        "<table><tbody><tr><th>Sökande</th><td>Kommunen</td></tr>"
        "<tr><th>Belopp</th><td>100</td><th>Not</th></tr></tbody></table>",
        region("Tabell: Sökande", '<table><tbody><tr><th scope="row">Sökande</th>'
               '<td>Kommunen</td></tr><tr><th scope="row">Belopp</th><td>100</td>'
               "<th>Not</th></tr></tbody></table>"),
        id="th-first-rows"),
    pytest.param(
        "<table><tbody><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr>"
        "</tbody></table>",
        region("Tabell: A", '<table><tbody><tr><th scope="col">A</th><th scope="col">B</th>'
               "</tr><tr><td>1</td><td>2</td></tr></tbody></table>"),
        id="header-row-without-thead"),
    pytest.param(
        '<table><thead><tr><th scope="row">A</th><th colspan="2">B</th></tr></thead>'
        '<tbody><tr><th scope="col">x</th><td>1</td></tr></tbody></table>',
        region("Tabell: A", '<table><thead><tr><th scope="row">A</th>'
               '<th scope="col" colspan="2">B</th></tr></thead>'
               '<tbody><tr><th scope="col">x</th><td>1</td></tr></tbody></table>'),
        id="existing-scope-kept"),
    pytest.param(
        "<table><caption>Beviljat <b>2024</b> &amp; &quot;2025&quot;</caption>"
        "<thead><tr><th>År</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        region("Tabell: Beviljat 2024 &amp; &quot;2025&quot;",
               "<table><caption>Beviljat <b>2024</b> &amp; &quot;2025&quot;</caption>"
               '<thead><tr><th scope="col">År</th></tr></thead>'
               "<tbody><tr><td>1</td></tr></tbody></table>"),
        id="caption-is-the-label"),
    pytest.param(
        '<table><thead><tr><th></th><th><a href="#x">Belopp <em>(kr)</em></a></th></tr>'
        "</thead><tbody><tr><td><table><tbody><tr><th>Inre</th><td>1</td></tr></tbody>"
        "</table></td><td>2</td></tr></tbody></table>",
        region("Tabell: Belopp (kr)",
               '<table><thead><tr><th scope="col"></th><th scope="col"><a href="#x">Belopp '
               "<em>(kr)</em></a></th></tr></thead><tbody><tr><td><table><tbody><tr>"
               '<th scope="row">Inre</th><td>1</td></tr></tbody></table></td><td>2</td>'
               "</tr></tbody></table>"),
        id="nested-markup-and-table"),
    pytest.param(
        "<table><tbody><tr><td>1</td></tr></tbody></table>",
        region("Tabell", "<table><tbody><tr><td>1</td></tr></tbody></table>"),
        id="no-header-no-caption"),
    pytest.param("<p>Ingen tabell.</p>", "<p>Ingen tabell.</p>", id="no-table"),
]


@pytest.mark.parametrize(("html", "expected"), TABLES)
def test_body_tables_get_scopes_and_a_scroll_region(html: str, expected: str) -> None:
    assert accessible_tables(html) == expected


def test_sanitizing_a_rendered_markdown_table_makes_it_accessible() -> None:
    html = BodyRenderer().render("| År | Belopp |\n|---|--:|\n| 2024 | 100 |\n")
    assert sanitize_html(html) == region("Tabell: År", (
        '<table>\n<thead>\n<tr>\n<th scope="col">År</th>\n<th scope="col">Belopp</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n<td>2024</td>\n<td>100</td>\n</tr>\n</tbody>\n"
        "</table>"))


def test_a_staff_written_tabindex_is_still_removed() -> None:
    assert sanitize_html('<p tabindex="5">x</p>') == "<p>x</p>"


def message(line: int, src: str) -> str:
    return (f"cases/x.md:{line}: shows an image without a text alternative ('{src}'); "
            f"expected ![what the image shows]({src}), or alt=\"...\"")


IMAGES = [
    pytest.param("Text.\n\n![](bild.png)\n", [message(12, "bild.png")], id="markdown"),
    pytest.param("Text.\n\n<img src=\"karta.png\">\n", [message(12, "karta.png")], id="html"),
    pytest.param("Text.\n\n![  ](bild.png)\n\n<img src='a.png' alt=\" \">\n",
                 [message(12, "bild.png"), message(14, "a.png")], id="empty-alt"),
    pytest.param("![][karta]\n\nText.\n\n![Karta][karta]\n\n[karta]: karta.png\n",
                 [message(10, "karta.png")], id="reference"),
    pytest.param("Text.\n\n![Karta][karta]\n\n![karta]\n\n[karta]: karta.png\n",
                 [], id="shortcut-reference-with-alt"),
    pytest.param("![Karta](b.png)\n\n![](b.png)\n\n<img src=b.png alt=\"Karta\">\n",
                 [message(12, "b.png")], id="same-address-twice"),
    pytest.param("Text.\n\n    ![](kod.png)\n\n`<img src=x.png>`\n", [], id="code-is-no-image"),
    pytest.param("![Karta över området](karta.png)\n\n<img src=\"a.png\" alt=\"Logga\">\n",
                 [], id="with-alt"),
]


@pytest.mark.parametrize(("body", "expected"), IMAGES)
def test_images_without_a_text_alternative(body: str, expected: list[str]) -> None:
    html = BodyRenderer().render(body)
    problems = missing_alt_problems(html, "cases/x.md", body, 10)
    assert [str(problem) for problem in problems] == expected


def test_the_build_refuses_an_image_without_alt(tmp_path: Path) -> None:
    site = make_site(tmp_path / "img")
    site.write_case("a.md", case_text(body="## Beslut\n\nText.\n\n![](bild.png)\n"))
    result = site.build()
    assert result.returncode == 1
    assert ("cases/a.md:22: shows an image without a text alternative ('bild.png'); "
            "expected ![what the image shows](bild.png), or alt=\"...\"") in result.stderr
    assert "Traceback" not in result.stderr


def test_a_case_page_shows_its_table_in_a_labelled_scroll_region(tmp_path: Path) -> None:
    site = make_site(tmp_path / "table")
    (site.root / "docs" / "beslut").mkdir()
    (site.root / "docs" / "beslut" / "karta.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site.write_case("a.md", case_text(body=(
        "## Beslut\n\n![Karta över området](karta.png)\n\n"
        "| Insats | Belopp |\n|---|---|\n| Förstudie | 100 |\n")))
    site.built()
    page = site.page("beslut/run-1-2024")
    assert ('<div class="br-table-scroll" role="region" tabindex="0" '
            'aria-label="Tabell: Insats"><table>') in page
    assert '<th scope="col">Insats</th>' in page
    assert page.count("br-table-scroll") == 1  # not the register's facts and funding tables
    assert 'alt="Karta över området"' in page
