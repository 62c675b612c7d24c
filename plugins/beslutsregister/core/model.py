"""The register's vocabulary: a decision (case), its people, its funding, and a problem.

These are plain, immutable dataclasses with no behaviour tied to a site generator, so the
same objects serve the MkDocs plugin, the command line and the tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class Visibility(Enum):
    """Whether a case may appear in the public register on a given day."""

    PUBLISHED = "published"
    DRAFT = "draft"
    EMBARGOED = "embargoed"
    WITHDRAWN = "withdrawn"  # taken off the web: only a notice stays at its address


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located precisely enough for staff to fix it.

    ``str(problem)`` is the message users see: ``cases/FILE.md:LINE: field 'x': ...``.
    """

    path: str
    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:"
        if self.field:
            return f"{where} field '{self.field}': {self.message}"
        return f"{where} {self.message}"


@dataclass(frozen=True)
class Programme:
    """A funding programme from ``cases/programmes.yml``."""

    id: str
    name: str
    funder: str | None = None
    url: str | None = None
    description: str | None = None
    line: int = field(default=1, compare=False)  # of its id in programmes.yml


@dataclass(frozen=True)
class Officer:
    """The responsible officer (handläggare). ``protected`` hides name and contact."""

    name: str
    email: str | None = None
    phone: str | None = None
    protected: bool = False


@dataclass(frozen=True)
class DecisionMaker:
    """Who took the decision (beslutsfattare).

    ``protected`` is set by the register, never written: a decision-maker whose identity
    is protected in some case is published by role only.
    """

    name: str
    role: str | None = None
    protected: bool = False


@dataclass(frozen=True)
class Project:
    """The project a decision is about, if any."""

    name: str
    start: dt.date | None = None
    end: dt.date | None = None
    budget_sek: int | None = None


@dataclass(frozen=True)
class Funding:
    """One funding source of a decision: a programme id and whole kronor."""

    programme: str
    amount_sek: int
    note: str | None = None


#: The kinds of correction and their legal basis (förvaltningslagen 2017:900).
CORRECTION_KINDS = {
    "rättelse": "Rättelse enligt 36 § förvaltningslagen",
    "ändring": "Ändring enligt 37–38 § förvaltningslagen",
}


@dataclass(frozen=True)
class Correction:
    """A notice after publication: a rättelse (an obvious error corrected) or an ändring
    (the decision changed), with the decision that made it, if any."""

    date: dt.date
    kind: str  # a key of CORRECTION_KINDS
    text: str
    decision: str | None = None  # diary number

    @property
    def legal_basis(self) -> str:
        return CORRECTION_KINDS[self.kind]


@dataclass(frozen=True)
class Revocation:
    """The decision was revoked (upphävt) or replaced, on ``date``, by ``by`` if given."""

    date: dt.date
    by: str | None = None  # diary number of the revoking decision
    text: str | None = None


def retention_limit(decided: dt.date, years: int) -> dt.date:
    """The day a decision of ``decided`` is more than ``years`` years old: the day after
    its anniversary (a 29 February decision's anniversary is 28 February)."""
    try:
        anniversary = decided.replace(year=decided.year + years)
    except ValueError:
        anniversary = decided.replace(year=decided.year + years, day=28)
    return anniversary + dt.timedelta(days=1)


@dataclass(frozen=True)
class Case:
    """One decision (delegationsbeslut) as written in a case file, validated.

    ``source`` is the case file's path relative to the project, as shown in messages;
    ``body_line`` is the file line where the Markdown body starts, so checks on the body
    can point at a line in the file.
    """

    diary_number: str
    slug: str
    title: str
    date: dt.date
    unit: str
    officer: Officer
    decided_by: DecisionMaker
    body: str
    source: str
    body_line: int = 1
    delegation: str | None = None
    reported_to: str | None = None
    copy_to: tuple[str, ...] = ()
    project: Project | None = None
    funding: tuple[Funding, ...] = ()
    status: str = "published"
    publish_after: dt.date | None = None
    corrections: tuple[Correction, ...] = ()
    revoked: Revocation | None = None
    withdrawn_on: dt.date | None = None
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def total_sek(self) -> int:
        return sum(f.amount_sek for f in self.funding)

    @property
    def programme_ids(self) -> tuple[str, ...]:
        """Programme ids in the order written, each once."""
        return tuple(dict.fromkeys(f.programme for f in self.funding))

    @property
    def modified(self) -> dt.date:
        """The latest of the decision date, its corrections and its revocation."""
        days = [self.date, *(c.date for c in self.corrections)]
        if self.revoked is not None:
            days.append(self.revoked.date)
        return max(days)

    def withdrawal(self, today: dt.date, retention_years: int | None = None) -> dt.date | None:
        """Since when the decision is off the web, if it is by ``today``: its
        ``withdrawn_on`` (``status: withdrawn``; a later date withdraws it on that day),
        or the day it passed the retention limit (decisions more than ``retention_years``
        years old)."""
        if self.status == "withdrawn":  # on withdrawn_on (a later date: not yet)
            day = self.withdrawn_on or self.date  # validation requires withdrawn_on
            return day if today >= day else None
        if retention_years is not None:
            # the day it passed the limit, or, embargoed until later, the day it would
            # have been published: never a removal before a publication
            limit = max(retention_limit(self.date, retention_years),
                        self.publish_after or self.date)
            if today >= limit:
                return limit
        return None

    def visibility(self, today: dt.date, retention_years: int | None = None) -> Visibility:
        """Drafts are never public; an embargo lifts on its ``publish_after`` day; a
        withdrawn decision (or one past the retention limit) is public no more."""
        if self.status == "draft":
            return Visibility.DRAFT
        if self.publish_after is not None and today < self.publish_after:
            return Visibility.EMBARGOED  # never public yet: not even a notice of it
        if self.withdrawal(today, retention_years) is not None:
            return Visibility.WITHDRAWN
        return Visibility.PUBLISHED
