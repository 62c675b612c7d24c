"""The publication gate: which cases a build may show, judged against a fixable clock.

The public build fails closed: only cases whose status is ``published`` and whose embargo
(``publish_after``) has lifted enter the register, and every page, count, total, index,
feed and export is computed from that register alone. A staff preview shows everything,
with banners.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from .model import Case, Visibility

TODAY_ENV = "BESLUTSREGISTER_TODAY"
SWEDISH_TIME_ZONE = "Europe/Stockholm"


class ClockError(ValueError):
    """A fixed date that is not a date."""


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> date:
    """``text`` as a real calendar date written ``YYYY-MM-DD``, and in no other form.

    ``date.fromisoformat`` alone would also take ``20240601`` and ``2024-W01-1`` (Python
    3.11), which a person fixing the embargo clock did not mean to write.
    """
    if not _DAY.fullmatch(text):
        raise ClockError(f"'{text}' is not a date; expected YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ClockError(f"'{text}' is not a real calendar date; expected YYYY-MM-DD") from None


def resolve_today(fixed: str | None = None, source: str = "option 'today'") -> date:
    """The register's today: ``fixed``, else ``$BESLUTSREGISTER_TODAY``, else Swedish today.

    A fixed date that is not ``YYYY-MM-DD`` raises :class:`ClockError` naming where it came
    from: ``source`` for ``fixed`` (the option, or a command line flag), else the
    environment variable. An embargo lifts at midnight Swedish time, wherever the build
    machine is.
    """
    value, origin = fixed, source
    if not value:
        value, origin = os.environ.get(TODAY_ENV), f"environment variable {TODAY_ENV}"
    if value:
        try:
            return parse_day(value)
        except ClockError as exc:
            raise ClockError(f"{origin}: {exc}") from None
    try:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(SWEDISH_TIME_ZONE)).date()
    except (ImportError, KeyError):  # pragma: no cover - no time zone database
        return date.today()


def visible_cases(cases: Iterable[Case], today: date, preview: bool,
                  retention_years: int | None = None) -> list[Case]:
    """Cases a build may show: all in a staff preview, else only published ones (not
    drafts, not embargoed, not withdrawn or past the retention limit)."""
    if preview:
        return list(cases)
    return [c for c in cases
            if c.visibility(today, retention_years) is Visibility.PUBLISHED]


def unpublished_numbers(cases: Iterable[Case], today: date,
                        retention_years: int | None = None) -> set[str]:
    """Diary numbers of decisions that are not public yet (drafts, embargoed): a public
    decision that names one (``revoked.by``, ``corrections[].decision``) must not show it."""
    return {c.diary_number for c in cases
            if c.visibility(today, retention_years) in (Visibility.DRAFT, Visibility.EMBARGOED)}


def withhold_references(case: Case, numbers: set[str]) -> Case:
    """``case`` without its references to ``numbers`` (the same object if it has none)."""
    corrections = tuple(replace(c, decision=None) if c.decision in numbers else c
                        for c in case.corrections)
    revoked = case.revoked
    if revoked is not None and revoked.by in numbers:
        revoked = replace(revoked, by=None)
    if corrections == case.corrections and revoked is case.revoked:
        return case
    return replace(case, corrections=corrections, revoked=revoked)


def withdrawn_cases(cases: Iterable[Case], today: date,
                    retention_years: int | None = None) -> list[tuple[Case, date]]:
    """Cases taken off the web by ``today``, with the day each was: their addresses keep
    a notice with the diary number, and nothing else of them is published."""
    return [(c, day) for c in cases
            if c.visibility(today, retention_years) is Visibility.WITHDRAWN
            and (day := c.withdrawal(today, retention_years)) is not None]
