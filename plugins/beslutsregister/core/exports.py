"""Open data for journalists: the register as CSV and JSON, whole, per year and per decision.

Exports are built from the same gated :class:`~beslutsregister.grouping.Register` as the
pages, carry no case bodies (so masked text cannot leak through them) and publish a
protected officer as the unit only, exactly like the case pages. Their shape is
:mod:`~beslutsregister.core.schema`'s. Every writer is deterministic: the same cases give
the same bytes, so a download that did not change is not downloaded again.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from .model import Case, Programme
from .privacy import public_decision_maker, public_officer
from .schema import CSV_FIELDS, FUNDING_CSV_FIELDS

CSV_COLUMNS = tuple(f.name for f in CSV_FIELDS)
FUNDING_COLUMNS = tuple(f.name for f in FUNDING_CSV_FIELDS)
#: What a spreadsheet would run as a formula when a cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
        "corrections": [
            {"date": c.date.isoformat(), "kind": c.kind, "text": c.text, "decision": c.decision}
            for c in case.corrections
        ],
        "revoked": None if case.revoked is None else {
            "date": case.revoked.date.isoformat(), "by": case.revoked.by,
            "text": case.revoked.text},
        "modified": case.modified.isoformat(),
        "url": url,
    }


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"  # C encoder


def case_json(record: dict[str, Any]) -> str:
    """One decision's own document (``beslut/<id>.json``)."""
    return _dumps(record)


def to_json(records: Iterable[dict[str, Any]], programmes: dict[str, Programme]) -> str:
    """Decisions (in the order given: newest first) with the programme list."""
    return _dumps({
        "programmes": {
            pid: {"name": p.name, "funder": p.funder, "url": p.url}
            for pid, p in programmes.items()
        },
        "cases": list(records),
    })


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Semicolon-separated with a byte-order mark: what Swedish Excel opens correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue()


def to_csv(cases: Iterable[Case], url_of: dict[str, str]) -> str:
    """One row per decision (``beslut.csv`` and the per-year files)."""
    def row(case: Case) -> tuple[object, ...]:
        officer = public_officer(case)
        return (
            case.diary_number, case.date.isoformat(), case.title, case.unit,
            officer.name if officer else "", *(part or "" for part in public_decision_maker(case)),
            case.project.name if case.project else "",
            "|".join(case.programme_ids), case.total_sek, case.modified.isoformat(),
            len(case.corrections), case.revoked.date.isoformat() if case.revoked else "",
            url_of[case.slug],
        )
    return _csv(CSV_COLUMNS, (row(case) for case in cases))


def withdrawn_json(withdrawn: Iterable[tuple[Case, date, str]]) -> str:
    """``borttagna.json``: every withdrawn decision's diary number, since when, and its
    address, so those who copied the data know what to delete. Nothing else of them."""
    return _dumps({"withdrawn": [
        {"diary_number": case.diary_number, "withdrawn_on": day.isoformat(), "url": url}
        for case, day, url in withdrawn]})


def funding_csv(cases: Iterable[Case], programmes: dict[str, Programme]) -> str:
    """One row per decision and funding line: a pivot table of ``belopp_sek`` by
    ``program`` and ``ar`` gives exactly the register's totals."""
    rows = []
    for case in cases:
        for line in case.funding:
            programme = programmes.get(line.programme)
            rows.append((
                case.diary_number, case.date.isoformat(), case.year, case.unit,
                line.programme, programme.name if programme else line.programme,
                (programme.funder if programme else None) or "", line.amount_sek,
                line.note or "",
            ))
    return _csv(FUNDING_COLUMNS, rows)
