"""Horizontal bar charts as SVG, drawn at build time: no JavaScript, no dependencies.

Made for a 320 px phone first. Every bar has its label on a line of its own above it (a
long label wraps onto more lines) and its value printed right after it, so a reader never
has to read an axis, and nothing is told by colour alone (a chart has one bar colour).
The SVG scales to its container (a ``viewBox``, no fixed size): in the about 288 px of
content a 320 px page has, its text is 12.8 px (:data:`FONT_SIZE` of :data:`WIDTH`); the
stylesheet caps a chart's width so it does not grow huge on a desktop.

To assistive technology a chart is one image (``role="img"``) named by its ``<title>``
and ``<desc>``; the description lists every figure, in Swedish, as the chart shows it.

Output is deterministic (the same bars give the same bytes): coordinates are rounded to
one decimal, and every text is XML-escaped, so a chart is well-formed XML as well as HTML.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

#: The chart's width in user units (its ``viewBox``); the page scales it to fit.
WIDTH = 360
#: Text size in user units: 12.8 px when the chart is drawn 288 px wide (a 320 px page).
FONT_SIZE = 16
LINE_HEIGHT = 20  # of a label's lines
BAR_HEIGHT = 20
GAP = 6  # between a label and its bar, and between a bar and its value
ROW_GAP = 14  # between one bar and the next bar's label
#: A generous average glyph width (digits are about 0.56 em in common sans-serif fonts),
#: so that estimated text widths are never smaller than the real ones.
CHAR_WIDTH = 0.6 * FONT_SIZE
#: Bars: 7.7:1 against white (WCAG 1.4.11 asks for 3:1). Text: 16:1 (1.4.3 asks 4.5:1).
BAR_COLOUR = "#3949ab"
TEXT_COLOUR = "#212121"

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (a whole number, not negative) and the value as
    printed (``"460 000 kr"``, ``"3 beslut"``)."""

    label: str
    value: int
    text: str


@dataclass(frozen=True)
class Scale:
    """What a bar's length is measured against, shared by charts that are compared.

    ``maximum`` is the value of a full-length bar; ``value_chars`` the longest printed
    value, for which room is kept after the bars.
    """

    maximum: int
    value_chars: int

    @classmethod
    def of(cls, bars: Iterable[Bar]) -> Scale:
        bars = list(bars)
        return cls(max((b.value for b in bars), default=0),
                   max((len(b.text) for b in bars), default=0))

    @property
    def bar_space(self) -> float:
        """Length of a full bar: the width less the room for the longest value."""
        return WIDTH - self.value_chars * CHAR_WIDTH - GAP

    def length(self, value: int) -> float:
        """A bar's length, proportional to its value (rounded to 0.1; at least 1 unit for
        a value above zero, so that it shows)."""
        if value <= 0 or self.maximum <= 0:
            return 0.0
        return max(round(self.bar_space * value / self.maximum, 1), 1.0)


def bar_chart(bars: Sequence[Bar], *, title: str, id_prefix: str, summary: str = "",
              scale: Scale | None = None) -> str:
    """An SVG chart of ``bars``, top to bottom in the order given.

    ``title`` names the chart; ``summary`` (a sentence, optional) starts its description,
    which then lists every bar's label and printed value. ``id_prefix`` makes the ids of
    title and description, unique on the page. ``scale`` defaults to the bars' own.
    """
    if not bars:
        raise ValueError("a chart needs at least one bar")
    if not _ID.match(id_prefix):
        raise ValueError(f"not an id prefix: {id_prefix!r}")
    if any(bar.value < 0 for bar in bars):
        raise ValueError("bar values must not be negative")
    scale = scale or Scale.of(bars)
    if scale.maximum < max(bar.value for bar in bars) or scale.value_chars < max(
            len(bar.text) for bar in bars):
        raise ValueError("the scale is too small for these bars")

    title_id, desc_id = f"{id_prefix}-titel", f"{id_prefix}-beskrivning"
    figures = "; ".join(f"{bar.label}: {bar.text}" for bar in bars) + "."
    description = f"{summary} {figures}" if summary else figures
    parts: list[str] = []
    top = 0.0
    for bar in bars:
        lines = _wrap(bar.label)
        label = "".join(f'<tspan x="0" y="{_n(top + FONT_SIZE + i * LINE_HEIGHT)}">{_x(line)}'
                        "</tspan>" for i, line in enumerate(lines))
        bar_top = top + len(lines) * LINE_HEIGHT + GAP
        length = scale.length(bar.value)
        rect = (f'<rect x="0" y="{_n(bar_top)}" width="{_n(length)}" height="{BAR_HEIGHT}" '
                f'fill="{BAR_COLOUR}"/>' if length else "")
        value_x = length + GAP if length else 0.0
        value_y = bar_top + BAR_HEIGHT / 2 + 0.35 * FONT_SIZE  # the text's middle at the bar's
        parts.append(f"<g><text>{label}</text>{rect}"
                     f'<text x="{_n(value_x)}" y="{_n(value_y)}">{_x(bar.text)}</text></g>')
        top = bar_top + BAR_HEIGHT + ROW_GAP
    height = top - ROW_GAP + GAP
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="100%" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
        f'<title id="{title_id}">{_x(title)}</title>'
        f'<desc id="{desc_id}">{_x(description)}</desc>'
        + "".join(parts) + "</svg>"
    )


def _wrap(label: str) -> list[str]:
    """A label's lines, each short enough for the chart's width (at the generous glyph
    width), broken at spaces and hyphens (a word too long for a line is cut)."""
    return textwrap.wrap(label, width=int(WIDTH // CHAR_WIDTH)) or [""]


def _n(value: float) -> str:
    """A coordinate with one decimal at most: ``12.0`` -> ``12``, ``12.25`` -> ``12.2``."""
    text = f"{value:.1f}"
    return text.removesuffix(".0") if text != "-0.0" else "0"


def _x(text: str) -> str:
    """Text as XML: escaped, without the control characters XML cannot hold."""
    return escape(_NOT_XML.sub("", text), quote=True)
