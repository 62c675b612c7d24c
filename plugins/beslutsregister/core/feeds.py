"""Atom feeds to follow the register: the latest decisions, per programme and unit, and
every change after publication.

Feed readers need absolute addresses, so feeds exist only when the site has a
``site_url``. Each entry links to the case page and says, in its summary, the diary
number, the decision date and the money (for a programme's feed, that programme's
share). Dates are decision (or notice) dates, never the build time: an unchanged
register gives an unchanged feed, and readers do not show old decisions as new.

The change feed (``andringar.xml``) has an entry for every publication, correction,
revocation and withdrawal; a withdrawal's entry says only the diary number and the day.
It carries the newest entries; the complete history is in one archive per year, linked
as RFC 5005 archived feeds (``prev-archive``), so no single file grows without end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from xml.sax.saxutils import escape as xml_escape

from .model import Case, Programme
from .notices import tombstone_text
from .swedish import format_date, format_sek


@dataclass(frozen=True)
class Feed:
    """One feed of decisions: its file, title, the page it follows, and its cases."""

    path: str  # in the site, e.g. register/program/react-eu.xml
    title: str
    page: str  # src_uri of the page the feed follows
    cases: tuple[Case, ...]
    programme: str | None = None  # a programme's feed shows that programme's amounts


@dataclass(frozen=True)
class Entry:
    """One Atom entry; ``url`` is absolute, ``id`` unique and stable."""

    title: str
    url: str
    id: str
    published: date
    updated: date
    summary: str
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)


def _attr(value: str) -> str:
    """A value for a double-quoted XML attribute (``escape`` leaves ``"`` as it is)."""
    return xml_escape(value, {'"': "&quot;"})


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
    return _plain(text)


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ")  # feed readers show plain spaces more reliably


def _name(programme_id: str, programmes: dict[str, Programme]) -> str:
    programme = programmes.get(programme_id)
    return programme.name if programme else programme_id


def decision_entries(feed: Feed, programmes: dict[str, Programme],
                     case_url: Callable[[Case], str]) -> list[Entry]:
    return [Entry(
        title=f"{case.diary_number}: {case.title}", url=case_url(case), id=case_url(case),
        published=case.date, updated=case.date,
        summary=entry_summary(case, programmes, feed.programme),
        categories=tuple((pid, _name(pid, programmes)) for pid in case.programme_ids),
    ) for case in feed.cases]


def atom(title: str, *, feed_url: str, page_url: str, author: str, entries: Sequence[Entry],
         links: Iterable[tuple[str, str]] = (), archive: bool = False) -> str:
    """A feed as Atom 1.0 (RFC 4287), every value XML-escaped; ``links`` are extra
    (rel, href) pairs, ``archive`` marks an RFC 5005 archive document."""
    newest = max((e.updated for e in entries), default=date(1970, 1, 1))
    body = []
    for entry in entries:
        url = _attr(entry.url)
        categories = "".join(f'<category term="{_attr(term)}" label="{_attr(label)}"/>'
                             for term, label in entry.categories)
        body.append(
            "<entry>"
            f"<title>{xml_escape(entry.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{url}"/>'
            f"<id>{xml_escape(entry.id)}</id>"
            f"<published>{timestamp(entry.published)}</published>"
            f"<updated>{timestamp(entry.updated)}</updated>"
            f"{categories}"
            f"<summary>{xml_escape(entry.summary)}</summary>"
            "</entry>"
        )
    extra = "".join(f'<link rel="{_attr(rel)}" type="application/atom+xml" '
                    f'href="{_attr(href)}"/>' for rel, href in links)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="http://purl.org/syndication/'
        'history/1.0" xml:lang="sv">'
        f"{'<fh:archive/>' if archive else ''}"
        f"<title>{xml_escape(title)}</title>"
        f'<link rel="self" type="application/atom+xml" href="{_attr(feed_url)}"/>'
        f'<link rel="alternate" type="text/html" href="{_attr(page_url)}"/>{extra}'
        f"<id>{xml_escape(feed_url)}</id><updated>{timestamp(newest)}</updated>"
        f"<author><name>{xml_escape(author)}</name></author>"
        + "".join(body) + "</feed>\n"
    )


# -- the change feed -----------------------------------------------------------------------

#: Kinds of change; on one day, changes are listed by diary number, then in this order.
CHANGE_KINDS = ("borttagning", "upphävande", "ändring", "rättelse", "publicering")


@dataclass(frozen=True)
class Change:
    """Something that happened to a published decision, on ``day``."""

    day: date
    kind: str  # one of CHANGE_KINDS
    case: Case
    number: int = 0  # which correction (1, 2, ...)

    @property
    def order(self) -> tuple[int, str, int, int]:
        """Newest first; on one day by diary number, then kind, then correction."""
        return (-self.day.toordinal(), self.case.diary_number, CHANGE_KINDS.index(self.kind),
                -self.number)


def changes(public: Iterable[Case], withdrawn: Iterable[tuple[Case, date]]) -> list[Change]:
    """Every change of the public decisions, and every withdrawal (of a withdrawn
    decision, nothing else: its title and facts are no longer published)."""
    found = [Change(day, "borttagning", case) for case, day in withdrawn]
    for case in public:
        published = max(case.date, case.publish_after or case.date)
        found.append(Change(published, "publicering", case))
        for number, correction in enumerate(case.corrections, start=1):
            found.append(Change(correction.date, correction.kind, case, number))
        if case.revoked is not None:
            found.append(Change(case.revoked.date, "upphävande", case))
    return sorted(found, key=lambda change: change.order)


#: Endings of entry ids (after the case page's address and "#"): unique per change.
_ID_SUFFIXES = {"publicering": "publicerat", "rättelse": "rattelse", "ändring": "andring",
            "upphävande": "upphavt", "borttagning": "borttaget"}


def change_entry(change: Change, programmes: dict[str, Programme],
                 case_url: Callable[[Case], str]) -> Entry:
    case = change.case
    url = case_url(case)
    anchor = _ID_SUFFIXES[change.kind] + (f"-{change.number}" if change.number else "")
    number = case.diary_number
    if change.kind == "borttagning":
        title, summary = f"Borttaget: {number}", tombstone_text(number, change.day)
    elif change.kind == "publicering":
        title, summary = f"Publicerat: {number}: {case.title}", entry_summary(case, programmes)
    elif change.kind == "upphävande":
        assert case.revoked is not None
        by = f" genom beslut {case.revoked.by}" if case.revoked.by else ""
        title = f"Upphävt: {number}: {case.title}"
        summary = f"Beslutet upphävdes {format_date(change.day)}{by}."
        summary += f" {case.revoked.text}" if case.revoked.text else ""
    else:
        correction = case.corrections[change.number - 1]
        by = f", genom beslut {correction.decision}" if correction.decision else ""
        title = f"{correction.kind.capitalize()}: {number}: {case.title}"
        summary = (f"{correction.legal_basis}, {format_date(change.day)}{by}. "
                   f"{correction.text}")
    return Entry(title, url, f"{url}#{anchor}", change.day, change.day, _plain(summary))
