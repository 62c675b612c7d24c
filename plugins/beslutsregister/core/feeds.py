"""Atom feeds to follow the register: the latest decisions, and per programme and unit.

Feed readers need absolute addresses, so feeds exist only when the site has a
``site_url``. Each entry links to the case page and says, in its summary, the diary
number, the decision date and the money (for a programme's feed, that programme's
share). Dates are decision dates, never the build time: an unchanged register gives
an unchanged feed, and readers do not show old decisions as new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from xml.sax.saxutils import escape as xml_escape

from .model import Case, Programme
from .swedish import format_date, format_sek


@dataclass(frozen=True)
class Feed:
    """One feed: its file, title, the page it follows, and its (latest) cases."""

    path: str  # in the site, e.g. register/program/react-eu.xml
    title: str
    page: str  # src_uri of the page the feed follows
    cases: tuple[Case, ...]
    programme: str | None = None  # a programme's feed shows that programme's amounts


def timestamp(day: date) -> str:
    """An Atom date: midnight UTC of a decision date."""
    return datetime.combine(day, time(), UTC).isoformat().replace("+00:00", "Z")


def entry_summary(case: Case, programmes: dict[str, Programme],
                  programme: str | None = None) -> str:
    """``RUN/138/2024, beslutat 23 februari 2024, Samhällsutveckling. Finansiering: ...``"""
    text = f"{case.diary_number}, beslutat {format_date(case.date)}, {case.unit}."
    lines = [f for f in case.funding if programme is None or f.programme == programme]
    if lines:
        parts = [f"{_name(f.programme, programmes)} {format_sek(f.amount_sek)}" for f in lines]
        total = sum(f.amount_sek for f in lines)
        label = "Från programmet" if programme else "Finansiering"
        text += f" {label}: {format_sek(total)} ({', '.join(parts)})."
    return text.replace("\u00a0", " ")  # feed readers show plain spaces more reliably


def _name(programme_id: str, programmes: dict[str, Programme]) -> str:
    programme = programmes.get(programme_id)
    return programme.name if programme else programme_id


def atom(feed: Feed, *, feed_url: str, page_url: str, author: str,
         programmes: dict[str, Programme], case_url: Callable[[Case], str]) -> str:
    """The feed as Atom 1.0 (RFC 4287), every value XML-escaped."""
    cases: Sequence[Case] = feed.cases
    updated = timestamp(cases[0].date if cases else date(1970, 1, 1))
    entries = []
    for case in cases:
        url = xml_escape(case_url(case))
        categories = "".join(
            f'<category term="{xml_escape(pid)}" label="{xml_escape(_name(pid, programmes))}"/>'
            for pid in case.programme_ids)
        entries.append(
            "<entry>"
            f"<title>{xml_escape(f'{case.diary_number}: {case.title}')}</title>"
            f'<link rel="alternate" type="text/html" href="{url}"/>'
            f"<id>{url}</id>"
            f"<published>{timestamp(case.date)}</published>"
            f"<updated>{timestamp(case.date)}</updated>"
            f"{categories}"
            f"<summary>{xml_escape(entry_summary(case, programmes, feed.programme))}</summary>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">'
        f"<title>{xml_escape(feed.title)}</title>"
        f'<link rel="self" type="application/atom+xml" href="{xml_escape(feed_url)}"/>'
        f'<link rel="alternate" type="text/html" href="{xml_escape(page_url)}"/>'
        f"<id>{xml_escape(feed_url)}</id><updated>{updated}</updated>"
        f"<author><name>{xml_escape(author)}</name></author>"
        + "".join(entries) + "</feed>\n"
    )
