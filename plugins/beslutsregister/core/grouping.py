"""Group published cases by year, programme and unit, with totals in kronor.

A :class:`Register` is built once per build from the cases that may be shown, so every
page, count and total downstream is computed from the same, already gated, list. Order is
deterministic everywhere: decision date descending, then diary number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .model import Case, Programme


def case_order(case: Case) -> tuple[int, str]:
    """Sort key: newest decision first, then diary number (ascending)."""
    return (-case.date.toordinal(), case.diary_number)


@dataclass(frozen=True)
class ProgrammeGroup:
    """A programme's cases and money; ``amount_by_year`` sums this programme's lines only."""

    programme: Programme
    cases: tuple[Case, ...]
    total_sek: int
    amount_by_year: dict[int, int]

    @cached_property
    def cases_by_year(self) -> dict[int, tuple[Case, ...]]:
        return _by_year(self.cases)


@dataclass
class Register:
    """The published register: cases in order, and its groupings."""

    cases: tuple[Case, ...]
    programmes: dict[str, Programme] = field(default_factory=dict)

    @classmethod
    def of(cls, cases: Iterable[Case], programmes: dict[str, Programme]) -> Register:
        return cls(tuple(sorted(cases, key=case_order)), programmes)

    @cached_property
    def by_year(self) -> dict[int, tuple[Case, ...]]:
        """Years, newest first, each with its cases (funded or not)."""
        return _by_year(self.cases)

    @cached_property
    def by_unit(self) -> dict[str, tuple[Case, ...]]:
        """Units in alphabetical order (Swedish collation is close enough with casefold)."""
        groups: dict[str, list[Case]] = defaultdict(list)
        for case in self.cases:
            groups[case.unit].append(case)
        return {unit: tuple(groups[unit]) for unit in sorted(groups, key=_swedish_key)}

    @cached_property
    def by_programme(self) -> dict[str, ProgrammeGroup]:
        """Programmes in ``programmes.yml`` order that fund at least one published case.

        A case funded twice by one programme appears once under it, with both amounts.
        """
        cases: dict[str, list[Case]] = defaultdict(list)
        totals: dict[str, int] = defaultdict(int)
        per_year: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for case in self.cases:
            for programme_id in case.programme_ids:
                cases[programme_id].append(case)
            for source in case.funding:
                totals[source.programme] += source.amount_sek
                per_year[source.programme][case.year] += source.amount_sek
        return {
            pid: ProgrammeGroup(
                programme=programme,
                cases=tuple(cases[pid]),
                total_sek=totals[pid],
                amount_by_year=dict(sorted(per_year[pid].items(), reverse=True)),
            )
            for pid, programme in self.programmes.items()
            if pid in cases
        }

    @cached_property
    def total_by_year(self) -> dict[int, int]:
        """Kronor of all funding lines of each year's cases."""
        return {year: sum(c.total_sek for c in cases) for year, cases in self.by_year.items()}

    @property
    def total_sek(self) -> int:
        return sum(self.total_by_year.values())

    def get(self, slug: str) -> Case | None:
        return self._by_slug.get(slug)

    @cached_property
    def by_diary_number(self) -> dict[str, Case]:
        return {case.diary_number: case for case in self.cases}

    @cached_property
    def revoked_by(self) -> dict[str, tuple[Case, ...]]:
        """Diary number -> the decisions it revoked (``revoked.by``), in case order."""
        groups: dict[str, list[Case]] = defaultdict(list)
        for case in self.cases:
            if case.revoked is not None and case.revoked.by:
                groups[case.revoked.by].append(case)
        return {number: tuple(cases) for number, cases in groups.items()}

    @cached_property
    def _by_slug(self) -> dict[str, Case]:
        return {case.slug: case for case in self.cases}


def _by_year(cases: Iterable[Case]) -> dict[int, tuple[Case, ...]]:
    groups: dict[int, list[Case]] = defaultdict(list)
    for case in cases:  # already in case order, so each group is too
        groups[case.year].append(case)
    return {year: tuple(groups[year]) for year in sorted(groups, reverse=True)}


_SWEDISH_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"


def _swedish_key(text: str) -> tuple[int, ...]:
    """Sort key placing å, ä, ö after z, as Swedish readers expect."""
    return tuple(
        1000 + _SWEDISH_ALPHABET.index(ch) if ch in _SWEDISH_ALPHABET else ord(ch)
        for ch in text.casefold()
    )
