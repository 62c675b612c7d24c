"""Open data for journalists: CSV, JSON and an Atom feed of the published register.

Exports are built from the same gated :class:`~beslutsregister.grouping.Register` as the
pages, carry no case bodies (so masked text cannot leak through them) and publish a
protected officer as the unit only, exactly like the case pages.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from .grouping import Register
from .model import Case
from .privacy import public_decision_maker, public_officer

CSV_COLUMNS = (
    "diarienummer", "beslutsdatum", "arendemening", "enhet", "handlaggare",
    "beslutsfattare", "beslutsfattarens_roll", "projekt", "program", "belopp_sek", "url",
)


def case_record(case: Case, url: str) -> dict[str, Any]:
    """One case as open data (field names follow the case format)."""
    officer = public_officer(case)
    return {
        "diary_number": case.diary_number,
        "title": case.title,
        "date": case.date.isoformat(),
        "unit": case.unit,
        "officer": None if officer is None else {
            "name": officer.name, "email": officer.email, "phone": officer.phone},
        "decided_by": dict(zip(("name", "role"), public_decision_maker(case), strict=True)),
        "delegation": case.delegation,
        "reported_to": case.reported_to,
        "copy_to": list(case.copy_to),
        "project": None if case.project is None else {
            "name": case.project.name,
            "start": case.project.start.isoformat() if case.project.start else None,
            "end": case.project.end.isoformat() if case.project.end else None,
            "budget_sek": case.project.budget_sek,
        },
        "funding": [
            {"programme": f.programme, "amount_sek": f.amount_sek, "note": f.note}
            for f in case.funding
        ],
        "total_sek": case.total_sek,
        "url": url,
    }


def to_json(register: Register, url_of: dict[str, str]) -> str:
    """All published cases, newest first, with the programme list."""
    data = {
        "programmes": {
            pid: {"name": p.name, "funder": p.funder, "url": p.url}
            for pid, p in register.programmes.items()
        },
        "cases": [case_record(c, url_of[c.slug]) for c in register.cases],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"  # C encoder


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) gets a ``'``."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(register: Register, url_of: dict[str, str]) -> str:
    """Semicolon-separated with a byte-order mark: what Swedish Excel opens correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for case in register.cases:
        officer = public_officer(case)
        writer.writerow([_cell(value) for value in (
            case.diary_number, case.date.isoformat(), case.title, case.unit,
            officer.name if officer else "", *(part or "" for part in public_decision_maker(case)),
            case.project.name if case.project else "",
            "|".join(case.programme_ids), case.total_sek, url_of[case.slug],
        )])
    return out.getvalue()


def to_atom(register: Register, url_of: dict[str, str], feed_url: str, title: str,
            limit: int = 50) -> str:
    """An Atom feed of the latest decisions (absolute URLs, as feed readers require)."""
    cases = register.cases[:limit]
    updated = _timestamp(cases[0].date if cases else date(1970, 1, 1))
    entries = []
    for case in cases:
        summary = f"{case.diary_number}, {case.unit}"
        if case.funding:
            summary += f", finansiering {case.total_sek} kr"
        entries.append(
            "<entry>"
            f"<title>{xml_escape(case.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{xml_escape(url_of[case.slug])}"/>'
            f"<id>{xml_escape(url_of[case.slug])}</id>"
            f"<updated>{_timestamp(case.date)}</updated>"
            f"<summary>{xml_escape(summary)}</summary>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">'
        f"<title>{xml_escape(title)}</title>"
        f'<link rel="self" href="{xml_escape(feed_url)}"/>'
        f"<id>{xml_escape(feed_url)}</id><updated>{updated}</updated>"
        + "".join(entries) + "</feed>\n"
    )


def _timestamp(day: date) -> str:
    return datetime.combine(day, time(), UTC).isoformat().replace("+00:00", "Z")
