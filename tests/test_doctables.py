"""Tables of the site's own pages: named, scoped, their cells labelled (adapter/doctables.py)."""

from __future__ import annotations

import markdown

from beslutsregister.adapter.doctables import accessible_doc_tables

FORMAT = """\
# Format

## Fälten & kraven

| Fält | Krav | Innehåll |
| :--- | --- | --- |
| `title` | krävs | Ärendemening. |
| `date` | krävs | Beslutsdatum, *ÅÅÅÅ-MM-DD*. |
"""


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "toc"],
                             extension_configs={"toc": {"permalink": True}})


def test_a_markdown_table_is_named_after_its_heading_scoped_and_labelled() -> None:
    html = accessible_doc_tables(render(FORMAT))
    assert '<table aria-label="Fälten &amp; kraven">' in html  # not the heading's "¶"
    assert '<th style="text-align: left;" scope="col">Fält</th>' in html
    assert '<th scope="col">Krav</th>' in html and '<th scope="col">Innehåll</th>' in html
    assert '<td data-label="Krav">krävs</td>' in html
    assert '<td data-label="Innehåll">Beslutsdatum, <em>ÅÅÅÅ-MM-DD</em>.</td>' in html
    assert html.count("data-label=") == 6


def test_a_page_without_tables_is_unchanged() -> None:
    html = render("# Start\n\nVälkommen.\n")
    assert accessible_doc_tables(html) is html


def test_a_table_with_a_class_or_a_name_of_its_own_is_left_as_it_is() -> None:
    own = ('<h2>Rubrik</h2><table class="br-list"><thead><tr><th>A</th></tr></thead>'
           "<tbody><tr><td>1</td></tr></tbody></table>")
    assert accessible_doc_tables(own) == own
    named = ('<h2>Rubrik</h2><table aria-label="Egen"><caption>Egen</caption>'
             '<tr><th scope="row">A</th><td data-label="X">1</td></tr></table>')
    assert accessible_doc_tables(named) == named


def test_a_caption_names_the_table_and_a_row_header_gets_its_scope() -> None:
    html = accessible_doc_tables(
        "<h2>Rubrik</h2><table><caption>Belopp per år</caption>"
        "<tr><th>År</th><th>Belopp</th></tr><tr><th>2024</th><td>10</td></tr></table>")
    assert html == (
        '<h2>Rubrik</h2><table><caption>Belopp per år</caption><tr><th scope="col">År</th>'
        '<th scope="col">Belopp</th></tr><tr><th scope="row">2024</th>'
        '<td data-label="Belopp">10</td></tr></table>')


def test_columns_spanned_by_a_header_cell_share_its_name() -> None:
    html = accessible_doc_tables(
        '<table><thead><tr><th colspan="2">Period</th><th>Summa</th></tr></thead>'
        "<tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>")
    assert html.count('data-label="Period"') == 2
    assert '<td data-label="Summa">3</td>' in html
    assert "aria-label" not in html  # no heading before it: no name made up
