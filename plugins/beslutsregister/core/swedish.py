"""Swedish presentation of dates, amounts and counts, as readers of a Swedish register expect.

``23 februari 2024``, ``460 000 kr`` (with no-break spaces, so an amount never wraps
across lines), ``1 beslut``. Kept free of HTML so exports and feeds can use it too.
"""

from __future__ import annotations

from datetime import date

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)
NBSP = "\u00a0"


def format_date(value: date) -> str:
    """``2024-02-23`` -> ``23 februari 2024``."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_number(value: int) -> str:
    """``460000`` -> ``460 000`` with no-break spaces between groups of three."""
    return f"{value:,}".replace(",", NBSP)


def format_sek(value: int) -> str:
    """``460000`` -> ``460 000 kr``."""
    return f"{format_number(value)}{NBSP}kr"


def count_decisions(count: int) -> str:
    """``1 beslut``, ``12 beslut`` (the Swedish plural is the same word)."""
    return f"{format_number(count)} beslut"
