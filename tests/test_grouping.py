"""grouping: the register by year, programme and unit, with totals and a deterministic order."""

from __future__ import annotations

import random
from datetime import date

import pytest

from beslutsregister.core.addresses import slugify
from beslutsregister.core.grouping import Register, case_order
from beslutsregister.core.model import Case, DecisionMaker, Funding, Officer, Programme

PROGRAMMES = {
    pid: Programme(pid, name)
    for pid, name in [("s3", "S3"), ("react-eu", "REACT-EU"), ("egen", "Egen finansiering")]
}


def make_case(diary_number: str, day: str, unit: str = "Enhet A",
              funding: tuple[tuple[str, int], ...] = ()) -> Case:
    return Case(
        diary_number=diary_number, slug=slugify(diary_number), title=f"Beslut {diary_number}",
        date=date.fromisoformat(day), unit=unit, officer=Officer("Handläggare"),
        decided_by=DecisionMaker("Chef"), body="", source=f"cases/{slugify(diary_number)}.md",
        funding=tuple(Funding(p, a) for p, a in funding),
    )


# Two programmes on one case, an unfunded case, one programme twice on one case, three years.
A = make_case("RUN/1/2024", "2024-02-23", "Samhällsutveckling", (("s3", 460000), ("egen", 460000)))
B = make_case("RUN/2/2024", "2024-05-01", "Näringsliv", (("react-eu", 100000),))
C = make_case("RUN/3/2024", "2024-02-23", "Samhällsutveckling")  # no funding
D = make_case("RUN/4/2023", "2023-12-31", "Näringsliv", (("react-eu", 50000), ("react-eu", 7)))
E = make_case("RUN/5/2021", "2021-03-15", "Ökad tillgänglighet", (("egen", 1),))
CASES = [A, B, C, D, E]


@pytest.fixture
def register() -> Register:
    shuffled = CASES[:]
    random.Random(4).shuffle(shuffled)  # input order must not matter
    return Register.of(shuffled, PROGRAMMES)


def numbers(cases: tuple[Case, ...]) -> list[str]:
    return [c.diary_number for c in cases]


def test_order_is_date_descending_then_diary_number(register: Register) -> None:
    assert numbers(register.cases) == [
        "RUN/2/2024", "RUN/1/2024", "RUN/3/2024", "RUN/4/2023", "RUN/5/2021"]


@pytest.mark.parametrize("seed", range(5))
def test_order_does_not_depend_on_input_order(seed: int) -> None:
    shuffled = CASES[:]
    random.Random(seed).shuffle(shuffled)
    assert Register.of(shuffled, PROGRAMMES).cases == Register.of(CASES, PROGRAMMES).cases


def test_case_order_key() -> None:
    same_day = [make_case("RUN/2/2024", "2024-01-01"), make_case("RUN/1/2024", "2024-01-01")]
    assert numbers(tuple(sorted(same_day, key=case_order))) == ["RUN/1/2024", "RUN/2/2024"]


def test_by_year(register: Register) -> None:
    assert {year: numbers(cases) for year, cases in register.by_year.items()} == {
        2024: ["RUN/2/2024", "RUN/1/2024", "RUN/3/2024"],
        2023: ["RUN/4/2023"],
        2021: ["RUN/5/2021"],
    }
    assert list(register.by_year) == [2024, 2023, 2021]  # newest first


def test_unfunded_case_is_under_its_year_and_unit_but_no_programme(register: Register) -> None:
    assert C in register.by_year[2024]
    assert C in register.by_unit["Samhällsutveckling"]
    assert not [g for g in register.by_programme.values() if C in g.cases]


def test_by_programme(register: Register) -> None:
    groups = register.by_programme
    # programmes.yml order, and only programmes that fund a published case
    assert list(groups) == ["s3", "react-eu", "egen"]
    assert {pid: numbers(g.cases) for pid, g in groups.items()} == {
        "s3": ["RUN/1/2024"],
        "react-eu": ["RUN/2/2024", "RUN/4/2023"],  # RUN/4/2023 once, though funded twice
        "egen": ["RUN/1/2024", "RUN/5/2021"],
    }
    assert groups["s3"].programme is PROGRAMMES["s3"]


def test_case_with_two_programmes_is_under_both(register: Register) -> None:
    assert A in register.by_programme["s3"].cases
    assert A in register.by_programme["egen"].cases


def test_totals_per_programme(register: Register) -> None:
    assert {pid: g.total_sek for pid, g in register.by_programme.items()} == {
        "s3": 460000, "react-eu": 150007, "egen": 460001}


def test_totals_per_programme_and_year(register: Register) -> None:
    assert {pid: g.amount_by_year for pid, g in register.by_programme.items()} == {
        "s3": {2024: 460000},
        "react-eu": {2024: 100000, 2023: 50007},
        "egen": {2024: 460000, 2021: 1},
    }
    assert {year: numbers(cases)
            for year, cases in register.by_programme["react-eu"].cases_by_year.items()} == {
        2024: ["RUN/2/2024"], 2023: ["RUN/4/2023"]}


def test_totals_per_year(register: Register) -> None:
    assert register.total_by_year == {2024: 1020000, 2023: 50007, 2021: 1}
    assert register.total_sek == 1070008
    assert sum(g.total_sek for g in register.by_programme.values()) == register.total_sek


def test_programme_without_published_case_is_absent() -> None:
    register = Register.of([B], PROGRAMMES)
    assert list(register.by_programme) == ["react-eu"]


def test_by_unit(register: Register) -> None:
    assert {unit: numbers(cases) for unit, cases in register.by_unit.items()} == {
        "Näringsliv": ["RUN/2/2024", "RUN/4/2023"],
        "Samhällsutveckling": ["RUN/1/2024", "RUN/3/2024"],
        "Ökad tillgänglighet": ["RUN/5/2021"],
    }


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        pytest.param(["Örebro", "Zeta", "Alfa"], ["Alfa", "Zeta", "Örebro"], id="o-umlaut-after-z"),
        pytest.param(["Ö", "Ä", "Å", "Z"], ["Z", "Å", "Ä", "Ö"], id="a-ring-a-umlaut-o-umlaut"),
        pytest.param(["ärenden", "Zon", "åtgärd", "Öst"], ["Zon", "åtgärd", "ärenden", "Öst"],
                     id="case-insensitive"),
        pytest.param(["Vatten", "Västra", "Vård"], ["Vatten", "Vård", "Västra"],
                     id="inside-words"),
    ],
)
def test_units_in_swedish_order(units: list[str], expected: list[str]) -> None:
    cases = [make_case(f"RUN/{i}/2024", "2024-01-01", unit) for i, unit in enumerate(units, 1)]
    assert list(Register.of(cases, PROGRAMMES).by_unit) == expected


def test_get_by_slug(register: Register) -> None:
    assert register.get("run-1-2024") is A
    assert register.get("run-9-2024") is None


def test_empty_register() -> None:
    register = Register.of([], PROGRAMMES)
    assert (register.cases, register.by_year, register.by_programme, register.by_unit) == (
        (), {}, {}, {})
    assert register.total_sek == 0
