"""Turn a parsed front matter tree into a :class:`~beslutsregister.model.Case`.

This is the case format (``CASE_FORMAT.md``) written as code. Every field is read by a
typed reader that, instead of raising at the first mistake, records a
:class:`~beslutsregister.model.Problem` naming the file, the line and the field, and says
what was expected; so staff see every problem of every file in one run.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from .addresses import slugify
from .model import (
    CORRECTION_KINDS,
    Case,
    Correction,
    DecisionMaker,
    Funding,
    Officer,
    Problem,
    Programme,
    Project,
    Revocation,
)
from .privacy import opens_mask
from .texthygiene import find_invisible, normalise
from .yamlsource import FrontMatterDocument, Node

T = TypeVar("T")

DEFAULT_DIARY_PATTERN = r"[A-Z]+/[0-9]+/[0-9]{4}"
DEFAULT_DIARY_DESCRIPTION = "PREFIX/SERIAL/YEAR in ASCII capitals and digits, e.g. RUN/138/2024"

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"-?[0-9]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_STATUSES = ("published", "draft", "withdrawn")
_WITHDRAWN_ON = "the date the decision was taken off the web, YYYY-MM-DD"

CASE_FIELDS = (
    "diary_number", "title", "date", "unit", "officer", "decided_by", "delegation",
    "reported_to", "copy_to", "project", "funding", "status", "publish_after",
    "corrections", "revoked", "withdrawn_on",
)
OFFICER_FIELDS = ("name", "email", "phone", "protected")
#: Fields whose absence publishes: blank, they are an error (:meth:`FieldReader.no_blanks`).
GATE_FIELDS = {"status": "published, draft or withdrawn",
               "publish_after": "the date the embargo lifts, YYYY-MM-DD",
               "withdrawn_on": _WITHDRAWN_ON,
               # blank, a decision's notices would silently not be shown
               "corrections": "a list of '- date: ... kind: ... text: ...' entries",
               "revoked": "'date: ...' indented under it"}
OFFICER_GATE_FIELDS = {"protected": "true or false"}
DECIDED_BY_FIELDS = ("name", "role")
PROJECT_FIELDS = ("name", "start", "end", "budget_sek")
FUNDING_FIELDS = ("programme", "amount_sek", "note")
CORRECTION_FIELDS = ("date", "kind", "text", "decision")
REVOKED_FIELDS = ("date", "by", "text")
PROGRAMME_FIELDS = ("name", "funder", "url", "description")


@dataclass(frozen=True)
class CaseRules:
    """What a valid case looks like in this register (configurable per authority)."""

    diary_pattern: str = DEFAULT_DIARY_PATTERN
    diary_description: str = DEFAULT_DIARY_DESCRIPTION
    programme_ids: Collection[str] = ()
    programmes_file: str = "cases/programmes.yml"


def suggest(word: str, choices: Collection[str]) -> str:
    """`` did you mean 'x' or 'y'?`` for the nearest choices, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


class FieldReader:
    """Reads typed values from :class:`Node` trees, recording problems for one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, line: int, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, field, message))

    def fields(
        self, node: Node, prefix: str, allowed: tuple[str, ...]
    ) -> dict[str, tuple[int, Node]]:
        """The present, non-null keys of a map; unknown keys are problems."""
        present: dict[str, tuple[int, Node]] = {}
        for key, (line, child) in node.items.items():
            if key not in allowed:
                self.problem(line, f"{prefix}{key}", "unknown field; expected one of "
                             + ", ".join(allowed) + suggest(key, allowed))
            elif not child.is_null:
                present[key] = (line, child)
        return present

    def no_blanks(self, node: Node, prefix: str, gate: dict[str, str]) -> None:
        """A gate field written but left blank (``status:``, ``~``) is a problem.

        Leaving such a field out has a meaning (published, no embargo, not protected);
        a blank one says someone meant to set it and did not, and read as absent it
        would publish: the gate fails closed instead.
        """
        for key, expected in gate.items():
            if key in node.items and node.items[key][1].is_null:
                line = node.items[key][0]
                self.problem(line, f"{prefix}{key}", f"is blank; expected {expected}, or the "
                             "line left out")

    def required(
        self,
        fields: dict[str, tuple[int, Node]],
        key: str,
        prefix: str,
        parent_line: int,
        read: Callable[[Node, str], T | None],
        expected: str,
    ) -> T | None:
        if key not in fields:
            self.problem(parent_line, f"{prefix}{key}", f"is missing; expected {expected}")
            return None
        return read(fields[key][1], f"{prefix}{key}")

    @staticmethod
    def optional(
        fields: dict[str, tuple[int, Node]],
        key: str,
        prefix: str,
        read: Callable[[Node, str], T | None],
    ) -> T | None:
        if key not in fields:
            return None
        return read(fields[key][1], f"{prefix}{key}")

    def text(self, node: Node, field: str) -> str | None:
        if node.kind != "scalar":
            self.problem(node.line, field, f"is a {_kind(node)}; expected text")
            return None
        invisible = find_invisible(node.value)
        if invisible:
            self.problem(node.line, field, f"contains the invisible character {invisible}; "
                         "expected visible text only (retype the value)")
            return None
        value = normalise(node.value.strip())
        if not value:
            self.problem(node.line, field, "is empty; expected text")
            return None
        # Masks apply to the body only: in front matter the text would be published.
        if opens_mask(value):
            self.problem(node.line, field, "contains '[[maskera', which works only in the text "
                         "below the front matter; expected the field without hidden text")
            return None
        return value

    def date(self, node: Node, field: str) -> date | None:
        value = self.text(node, field)
        if value is None:
            return None
        if not _DATE.fullmatch(value):
            self.problem(node.line, field, f"'{value}' is not a date; expected YYYY-MM-DD, "
                         "e.g. 2024-02-23")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(node.line, field, f"'{value}' is not a real calendar date; "
                         "expected YYYY-MM-DD, e.g. 2024-02-23")
            return None

    def amount(self, node: Node, field: str) -> int | None:
        value = self.text(node, field)
        if value is None:
            return None
        if not node.plain or not _INTEGER.fullmatch(value):
            self.problem(node.line, field, f"'{value}' is not a whole number of kronor; "
                         "expected an unquoted integer without spaces, e.g. 460000")
            return None
        amount = int(value)
        if amount < 0:
            self.problem(node.line, field, f"{amount} is negative; expected 0 or more")
            return None
        return amount

    def boolean(self, node: Node, field: str) -> bool | None:
        if node.kind == "scalar" and node.plain and node.value in ("true", "false"):
            return node.value == "true"
        self.problem(node.line, field, f"'{node.value}' is not true or false; "
                     "expected true or false")
        return None

    def text_list(self, node: Node, field: str) -> tuple[str, ...] | None:
        if node.kind != "list":
            self.problem(node.line, field, f"is a {_kind(node)}; expected a list, "
                         "e.g. [Tillväxtverket]")
            return None
        values = [self.text(item, f"{field}[{i}]") for i, item in enumerate(node.elements)]
        return tuple(v for v in values if v is not None)

    def mapping(self, node: Node, field: str, example: str = "name") -> Node | None:
        if node.kind != "map":
            self.problem(node.line, field, f"is a {_kind(node)}; expected fields indented "
                         f"under it, e.g. '{example}: ...'")
            return None
        return node


def _kind(node: Node) -> str:
    return {"scalar": "single value", "list": "list", "map": "group of fields"}[node.kind]


def read_case(document: FrontMatterDocument, source: str, rules: CaseRules) -> tuple[
    Case | None, list[Problem]
]:
    """Validate one case file's front matter; return the case (if valid) and problems."""
    reader = FieldReader(source)
    root = document.meta
    if root is None:
        reader.problem(1, None, "has no front matter; expected the file to start with '---', "
                       "the case fields, and '---'")
        return None, reader.problems
    if root.kind != "map":
        reader.problem(root.line, None, "front matter is not a group of fields; expected "
                       "'field: value' lines")
        return None, reader.problems

    fields = reader.fields(root, "", CASE_FIELDS)
    reader.no_blanks(root, "", GATE_FIELDS)
    top = 1
    diary_number = reader.required(fields, "diary_number", "", top, reader.text,
                                   f"a diary number, {rules.diary_description}")
    if diary_number is not None and not slugify(diary_number):
        reader.problem(fields["diary_number"][0], "diary_number",
                       f"'{diary_number}' has no letters or digits to make its address from; "
                       f"expected {rules.diary_description}")
        diary_number = None
    if diary_number is not None and not re.fullmatch(rules.diary_pattern, diary_number):
        reader.problem(fields["diary_number"][0], "diary_number",
                       f"'{diary_number}' does not match the diary-number pattern; "
                       f"expected {rules.diary_description}")
        diary_number = None
    title = reader.required(fields, "title", "", top, reader.text, "the ärendemening as text")
    decided = reader.required(fields, "date", "", top, reader.date,
                              "the decision date as YYYY-MM-DD")
    unit = reader.required(fields, "unit", "", top, reader.text, "the unit's name")
    officer = reader.required(fields, "officer", "", top, lambda n, f: _officer(reader, n, f),
                              "the responsible officer with at least 'name'")
    decided_by = reader.required(fields, "decided_by", "", top,
                                 lambda n, f: _decided_by(reader, n, f),
                                 "who decided, with 'name' and 'role'")
    delegation = reader.optional(fields, "delegation", "", reader.text)
    reported_to = reader.optional(fields, "reported_to", "", reader.text)
    copy_to = reader.optional(fields, "copy_to", "", reader.text_list) or ()
    project = reader.optional(fields, "project", "", lambda n, f: _project(reader, n, f))
    funding = reader.optional(fields, "funding", "",
                              lambda n, f: _funding(reader, n, f, rules)) or ()
    status = reader.optional(fields, "status", "", reader.text) or "published"
    if status not in _STATUSES:
        reader.problem(fields["status"][0], "status", f"'{status}' is not a status; expected "
                       "published, draft or withdrawn" + suggest(status, _STATUSES))
    publish_after = reader.optional(fields, "publish_after", "", reader.date)
    notices = _Notices(reader, rules, decided, diary_number)
    corrections = reader.optional(fields, "corrections", "", notices.corrections) or ()
    revoked = reader.optional(fields, "revoked", "", notices.revocation)
    withdrawn_on = _withdrawn_on(reader, root, fields, status, decided)

    if reader.problems:
        return None, reader.problems
    assert diary_number and title and decided and unit and officer and decided_by
    case = Case(
        diary_number=diary_number,
        slug=slugify(diary_number),
        title=title,
        date=decided,
        unit=unit,
        officer=officer,
        decided_by=decided_by,
        body=normalise(document.body),
        source=source,
        body_line=document.body_line,
        delegation=delegation,
        reported_to=reported_to,
        copy_to=copy_to,
        project=project,
        funding=funding,
        status=status,
        publish_after=publish_after,
        corrections=corrections,
        revoked=revoked,
        withdrawn_on=withdrawn_on,
        field_lines={key: line for key, (line, _) in fields.items()},
    )
    return case, reader.problems


def _officer(reader: FieldReader, node: Node, field: str) -> Officer | None:
    if reader.mapping(node, field) is None:
        return None
    fields = reader.fields(node, f"{field}.", OFFICER_FIELDS)
    reader.no_blanks(node, f"{field}.", OFFICER_GATE_FIELDS)
    name = reader.required(fields, "name", f"{field}.", node.line, reader.text,
                           "the officer's name")
    email = reader.optional(fields, "email", f"{field}.", reader.text)
    if email is not None and not _EMAIL.fullmatch(email):
        reader.problem(fields["email"][0], f"{field}.email", f"'{email}' is not an e-mail "
                       "address; expected name@example.se")
    phone = reader.optional(fields, "phone", f"{field}.", reader.text)
    protected = reader.optional(fields, "protected", f"{field}.", reader.boolean) or False
    if name is None:
        return None
    return Officer(name=name, email=email, phone=phone, protected=protected)


def _decided_by(reader: FieldReader, node: Node, field: str) -> DecisionMaker | None:
    if reader.mapping(node, field) is None:
        return None
    fields = reader.fields(node, f"{field}.", DECIDED_BY_FIELDS)
    name = reader.required(fields, "name", f"{field}.", node.line, reader.text,
                           "the decision-maker's name")
    role = reader.optional(fields, "role", f"{field}.", reader.text)
    return DecisionMaker(name=name, role=role) if name is not None else None


def _project(reader: FieldReader, node: Node, field: str) -> Project | None:
    if reader.mapping(node, field) is None:
        return None
    fields = reader.fields(node, f"{field}.", PROJECT_FIELDS)
    name = reader.required(fields, "name", f"{field}.", node.line, reader.text,
                           "the project's name")
    start = reader.optional(fields, "start", f"{field}.", reader.date)
    end = reader.optional(fields, "end", f"{field}.", reader.date)
    if start and end and end < start:
        reader.problem(fields["end"][0], f"{field}.end", f"{end} is before the start {start}; "
                       "expected an end on or after the start")
    budget = reader.optional(fields, "budget_sek", f"{field}.", reader.amount)
    if name is None:
        return None
    return Project(name=name, start=start, end=end, budget_sek=budget)


def _funding(
    reader: FieldReader, node: Node, field: str, rules: CaseRules
) -> tuple[Funding, ...] | None:
    if node.kind != "list":
        reader.problem(node.line, field, f"is a {_kind(node)}; expected a list of "
                       "'- programme: ... amount_sek: ...' entries")
        return None
    sources: list[Funding] = []
    for index, item in enumerate(node.elements):
        prefix = f"{field}[{index}]"
        if reader.mapping(item, prefix) is None:
            continue
        fields = reader.fields(item, f"{prefix}.", FUNDING_FIELDS)
        programme = reader.required(fields, "programme", f"{prefix}.", item.line, reader.text,
                                    f"a programme id from {rules.programmes_file}")
        if programme is not None and programme not in rules.programme_ids:
            reader.problem(fields["programme"][0], f"{prefix}.programme",
                           f"unknown programme '{programme}'; expected an id from "
                           f"{rules.programmes_file}" + suggest(programme, rules.programme_ids))
            programme = None
        amount = reader.required(fields, "amount_sek", f"{prefix}.", item.line, reader.amount,
                                 "whole kronor as an integer, e.g. 460000")
        note = reader.optional(fields, "note", f"{prefix}.", reader.text)
        if programme is not None and amount is not None:
            sources.append(Funding(programme=programme, amount_sek=amount, note=note))
    return tuple(sources)


def _withdrawn_on(
    reader: FieldReader, root: Node, fields: dict[str, tuple[int, Node]], status: str,
    decided: date | None,
) -> date | None:
    """``withdrawn_on``: required with ``status: withdrawn``, a problem without it."""
    withdrawn_on = reader.optional(fields, "withdrawn_on", "", reader.date)
    if status == "withdrawn" and "withdrawn_on" not in root.items:  # blank: no_blanks says so
        reader.problem(fields["status"][0], "withdrawn_on", f"is missing; expected "
                       f"{_WITHDRAWN_ON}, with status: withdrawn")
    status_written = "status" in fields or "status" not in root.items  # not blank
    if ("withdrawn_on" in fields and status_written and status in _STATUSES
            and status != "withdrawn"):
        reader.problem(fields["withdrawn_on"][0], "withdrawn_on", f"is set, but the status is "
                       f"{status}; expected status: withdrawn with it, or the line left out")
        return None
    if withdrawn_on is not None and decided is not None and withdrawn_on < decided:
        reader.problem(fields["withdrawn_on"][0], "withdrawn_on", f"{withdrawn_on} is before "
                       f"the decision date {decided}; expected a date on or after it")
        return None
    return withdrawn_on


class _Notices:
    """Reads what happened to a decision after it was taken: ``corrections`` and
    ``revoked``, checked against its decision date and its own diary number."""

    def __init__(self, reader: FieldReader, rules: CaseRules, decided: date | None,
                 own: str | None) -> None:
        self.reader = reader
        self.rules = rules
        self.decided = decided
        self.own = own

    def corrections(self, node: Node, field: str) -> tuple[Correction, ...] | None:
        reader = self.reader
        if node.kind != "list":
            reader.problem(node.line, field, f"is a {_kind(node)}; expected a list of "
                           "'- date: ... kind: ... text: ...' entries, oldest first")
            return None
        notices: list[Correction] = []
        latest: tuple[date, str] | None = None  # the latest date so far, and whose
        for index, item in enumerate(node.elements):
            prefix = f"{field}[{index}]"
            if reader.mapping(item, prefix, "date") is None:
                continue
            fields = reader.fields(item, f"{prefix}.", CORRECTION_FIELDS)
            day = self._date(fields, prefix, item.line, "the date of the correction, YYYY-MM-DD")
            if day is not None and latest is not None and day < latest[0]:
                reader.problem(fields["date"][0], f"{prefix}.date", f"{day} is before "
                               f"{latest[0]}, the date of {latest[1]}; expected corrections "
                               "oldest first")
            if day is not None and (latest is None or day >= latest[0]):
                latest = (day, prefix)
            kind = reader.required(fields, "kind", f"{prefix}.", item.line, reader.text,
                                   "rättelse or ändring")
            if kind is not None and kind not in CORRECTION_KINDS:
                reader.problem(fields["kind"][0], f"{prefix}.kind", f"'{kind}' is not a kind; "
                               "expected rättelse or ändring" + suggest(kind, CORRECTION_KINDS))
                kind = None
            text = reader.required(fields, "text", f"{prefix}.", item.line, reader.text,
                                   "what was corrected or changed, as text")
            decision = reader.optional(fields, "decision", f"{prefix}.",
                                       lambda n, f: self._reference(n, f, "made the change"))
            if day is not None and kind is not None and text is not None:
                notices.append(Correction(date=day, kind=kind, text=text, decision=decision))
        return tuple(notices)

    def revocation(self, node: Node, field: str) -> Revocation | None:
        reader = self.reader
        if reader.mapping(node, field, "date") is None:
            return None
        fields = reader.fields(node, f"{field}.", REVOKED_FIELDS)
        day = self._date(fields, field, node.line, "the date it was revoked, YYYY-MM-DD")
        by = reader.optional(fields, "by", f"{field}.",
                             lambda n, f: self._reference(n, f, "revoked it"))
        text = reader.optional(fields, "text", f"{field}.", reader.text)
        return Revocation(date=day, by=by, text=text) if day is not None else None

    def _date(self, fields: dict[str, tuple[int, Node]], prefix: str, parent_line: int,
              expected: str) -> date | None:
        """A required ``date`` of a notice, on or after the decision date."""
        day = self.reader.required(fields, "date", f"{prefix}.", parent_line, self.reader.date,
                                   expected)
        if day is not None and self.decided is not None and day < self.decided:
            self.reader.problem(fields["date"][0], f"{prefix}.date", f"{day} is before the "
                                f"decision date {self.decided}; expected a date on or after it")
            return None
        return day

    def _reference(self, node: Node, field: str, did: str) -> str | None:
        """The diary number of another decision, the one that ``did`` something."""
        value = self.reader.text(node, field)
        if value is None:
            return None
        if not re.fullmatch(self.rules.diary_pattern, value):
            self.reader.problem(node.line, field, f"'{value}' does not match the diary-number "
                                f"pattern; expected {self.rules.diary_description}")
            return None
        if value == self.own:
            self.reader.problem(node.line, field, f"'{value}' is this decision's own diary "
                                f"number; expected the diary number of the decision that {did}")
            return None
        return value


def read_programmes(root: Node | None, source: str) -> tuple[dict[str, Programme], list[Problem]]:
    """Validate ``programmes.yml``: a map of programme id to name, funder, url, description."""
    reader = FieldReader(source)
    programmes: dict[str, Programme] = {}
    if root is None or root.kind != "map":
        reader.problem(1 if root is None else root.line, None, "is not a list of programmes; "
                       "expected 'programme-id:' lines with 'name:' indented under each")
        return programmes, reader.problems
    for programme_id, (line, node) in root.items.items():
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", programme_id):
            reader.problem(line, programme_id, "is not a valid programme id; expected "
                           "lower-case letters, digits and hyphens, e.g. tillvaxtverket-s3")
            continue
        if reader.mapping(node, programme_id) is None:
            continue
        fields = reader.fields(node, f"{programme_id}.", PROGRAMME_FIELDS)
        name = reader.required(fields, "name", f"{programme_id}.", line, reader.text,
                               "the programme's public name")
        funder = reader.optional(fields, "funder", f"{programme_id}.", reader.text)
        url = reader.optional(fields, "url", f"{programme_id}.", reader.text)
        if url is not None and not url.startswith(("https://", "http://")):
            reader.problem(fields["url"][0], f"{programme_id}.url", f"'{url}' is not a web "
                           "address; expected https://...")
            url = None
        description = reader.optional(fields, "description", f"{programme_id}.", reader.text)
        if name is not None:
            programmes[programme_id] = Programme(programme_id, name, funder, url, description,
                                                 line)
    return programmes, reader.problems
