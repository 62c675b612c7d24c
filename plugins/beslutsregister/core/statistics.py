"""The statistics page: funding per programme and year, decisions per unit and year.

Each section shows its figures twice: as bar charts drawn at build time
(:mod:`~beslutsregister.core.charts`; images to assistive technology, with every figure in
their description) and as one table. All figures come from the :class:`Register`'s
groupings, and the tables' total rows are the register's own totals (the same as on the
start page): loading refuses a funding line of a programme not in ``programmes.yml``, so
the programmes' amounts add up to them.

Layout for a 320 px phone: one small chart per programme (and per unit), a bar per year,
newest first. The long names stand in the charts' HTML captions, where they wrap like any
text; inside a chart the labels are years, so a chart stays short. All charts of a section
share one scale, so bars compare across charts. A table wider than the screen scrolls
sideways in a region of its own (focusable, so the keyboard can scroll it too) instead of
making the whole page do so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from .charts import Bar, Scale, bar_chart
from .grouping import Register
from .pages import TOP_LEVEL, PageSpec, Urls, _a, _Document, _e, _newest
from .swedish import count_decisions, format_number, format_sek

STATISTICS_PAGE = "register/statistik.md"
STATISTICS_TITLE = "Statistik"

FUNDING_HEADING = "Finansiering per program och år"
FUNDING_CAPTION = "Finansiering per program och år"
UNITS_HEADING = "Beslut per enhet och år"
UNITS_CAPTION = "Antal beslut per enhet och år"


def statistics_page(register: Register, urls: Urls) -> PageSpec:
    """The page ``register/statistik.md``: charts and tables of the whole register."""
    src = STATISTICS_PAGE
    doc = _Document()
    if not register.cases:
        doc.html("<p>Registret innehåller ännu inga beslut, så det finns ingen statistik "
                 "att visa.</p>")
        return doc.spec(src, STATISTICS_TITLE, TOP_LEVEL)

    years = list(register.by_year)  # newest first
    span = str(years[0]) if len(years) == 1 else f"{years[-1]}–{years[0]}"
    doc.html(f"<p>Registret innehåller {_e(count_decisions(len(register.cases)))}, fattade "
             f"{span}, med finansiering om totalt {_e(format_sek(register.total_sek))}. "
             "Varje avsnitt visar siffrorna både som diagram och som tabell.</p>")

    doc.markdown(f"## {FUNDING_HEADING}")
    if register.by_programme:
        doc.markdown("Ett diagram per finansieringsprogram, med en stapel per år (senaste "
                     "året först). Alla diagram i avsnittet har samma skala. Samma belopp "
                     "finns i tabellen efter diagrammen.")
        funding = [(group.programme.name, urls.programme(pid),
                    [group.amount_by_year.get(year, 0) for year in years])
                   for pid, group in register.by_programme.items()]
        doc.html(_charts(funding, years, format_sek, "br-statistik-program",
                         "Finansiering från {} per år"))
        doc.html(_table(
            src, urls, FUNDING_CAPTION, "Program", years, funding, format_sek,
            [register.total_by_year[year] for year in years], register.total_sek))
    else:
        doc.markdown("Inget beslut i registret har finansiering från ett program.")

    doc.markdown(f"## {UNITS_HEADING}")
    doc.markdown("Ett diagram per enhet, med en stapel per år (senaste året först). Alla "
                 "diagram i avsnittet har samma skala. Samma antal finns i tabellen efter "
                 "diagrammen.")
    units = []
    for unit, cases in register.by_unit.items():
        per_year = Counter(case.year for case in cases)
        units.append((unit, urls.unit(unit), [per_year[year] for year in years]))
    doc.html(_charts(units, years, count_decisions, "br-statistik-enhet",
                     "Antal beslut från {} per år"))
    doc.html(_table(
        src, urls, UNITS_CAPTION, "Enhet", years, units, format_number,
        [len(register.by_year[year]) for year in years], len(register.cases)))
    # the sitemap's date: the newest decision the figures count
    return doc.spec(src, STATISTICS_TITLE, TOP_LEVEL, updated=_newest(register.cases))


#: A table row or chart: a name, the page it links to, and a figure per year.
Series = tuple[str, str, list[int]]


def _charts(series: Sequence[Series], years: Sequence[int], fmt: Callable[[int], str],
            id_prefix: str, title: str) -> str:
    """A figure per series: its name and total as caption, a bar per year; one scale."""
    charts = [[Bar(str(year), value, fmt(value)) for year, value in zip(years, values,
                                                                        strict=True)]
              for _, _, values in series]
    scale = Scale.of(bar for bars in charts for bar in bars)
    figures = []
    for index, ((name, _, values), bars) in enumerate(zip(series, charts, strict=True), 1):
        total = fmt(sum(values))
        svg = bar_chart(bars, title=title.format(name), id_prefix=f"{id_prefix}-{index}",
                        summary=f"Totalt {total}.", scale=scale)
        figures.append(f'<figure class="br-chart"><figcaption>{_e(name)}: totalt '
                       f"{_e(total)}</figcaption>{svg}</figure>")
    return "\n".join(figures)


def _table(src: str, urls: Urls, caption: str, row_label: str, years: Sequence[int],
           series: Sequence[Series], fmt: Callable[[int], str], year_totals: Sequence[int],
           total: int) -> str:
    """One table of all series: a row each (named by a link to its page), a column per
    year and a total column; its total row holds ``year_totals`` and ``total``."""
    def number(value: int) -> str:
        return f'<td class="br-amount">{_e(fmt(value))}</td>'

    head = (f'<th scope="col">{_e(row_label)}</th>'
            + "".join(f'<th scope="col" class="br-amount">{year}</th>' for year in years)
            + '<th scope="col" class="br-amount">Totalt</th>')
    rows = "\n".join(
        f'<tr><th scope="row">{_a(urls.link(src, page), name)}</th>'
        + "".join(number(value) for value in values) + number(sum(values)) + "</tr>"
        for name, page, values in series)
    foot = ('<tr><th scope="row">Totalt</th>'
            + "".join(number(value) for value in year_totals) + number(total) + "</tr>")
    return (f'<div class="br-scroll" role="region" aria-label="{_e(caption)}" tabindex="0">\n'
            f'<table class="br-stats">\n<caption>{_e(caption)}</caption>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n"
            f"<tfoot>{foot}</tfoot>\n</table>\n</div>")
