"""The publication gate: which cases a build may show, judged against a fixable clock.

The public build fails closed: only cases whose status is ``published`` and whose embargo
(``publish_after``) has lifted enter the register, and every page, count, total, index,
feed and export is computed from that register alone. A staff preview shows everything,
with banners.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime

from .model import Case, Visibility

TODAY_ENV = "BESLUTSREGISTER_TODAY"
SWEDISH_TIME_ZONE = "Europe/Stockholm"


class ClockError(ValueError):
    """A fixed date that is not a date."""


def resolve_today(fixed: str | None = None) -> date:
    """The register's today: ``fixed``, else ``$BESLUTSREGISTER_TODAY``, else Swedish today.

    An embargo lifts at midnight Swedish time, wherever the build machine is.
    """
    value = fixed or os.environ.get(TODAY_ENV)
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ClockError(f"'{value}' is not a date; expected YYYY-MM-DD") from None
    try:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(SWEDISH_TIME_ZONE)).date()
    except (ImportError, KeyError):  # pragma: no cover - no time zone database
        return date.today()


def visible_cases(cases: Iterable[Case], today: date, preview: bool) -> list[Case]:
    """Cases a build may show: all in a staff preview, else only published ones."""
    if preview:
        return list(cases)
    return [c for c in cases if c.visibility(today) is Visibility.PUBLISHED]
