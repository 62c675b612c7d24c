"""swedish: dates, amounts and counts as a Swedish reader expects them."""

from __future__ import annotations

from datetime import date

import pytest

from beslutsregister.core.swedish import (
    NBSP,
    count_decisions,
    format_date,
    format_number,
    format_sek,
)


def test_no_break_space_is_u00a0() -> None:
    assert NBSP == "\u00a0"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(date(2024, 2, 23), "23 februari 2024", id="seed-date"),
        pytest.param(date(2021, 3, 15), "15 mars 2021", id="march"),
        pytest.param(date(2024, 1, 1), "1 januari 2024", id="no-leading-zero"),
        pytest.param(date(2024, 12, 31), "31 december 2024", id="december"),
        *(pytest.param(date(2023, month, 10), f"10 {name} 2023", id=name)
          for month, name in enumerate(
              ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
               "september", "oktober", "november", "december"], start=1)),
    ],
)
def test_format_date(value: date, text: str) -> None:
    assert format_date(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(0, "0", id="zero"),
        pytest.param(7, "7", id="one-digit"),
        pytest.param(999, "999", id="three-digits"),
        pytest.param(1000, "1\u00a0000", id="thousand"),
        pytest.param(460000, "460\u00a0000", id="seed-amount"),
        pytest.param(1798740, "1\u00a0798\u00a0740", id="millions"),
        pytest.param(1000000000, "1\u00a0000\u00a0000\u00a0000", id="billion"),
    ],
)
def test_format_number(value: int, text: str) -> None:
    assert format_number(value) == text
    assert " " not in format_number(value) and "," not in format_number(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(460000, "460\u00a0000\u00a0kr", id="seed-amount"),
        pytest.param(920000, "920\u00a0000\u00a0kr", id="seed-total"),
        pytest.param(0, "0\u00a0kr", id="zero"),
        pytest.param(2698740, "2\u00a0698\u00a0740\u00a0kr", id="millions"),
    ],
)
def test_format_sek(value: int, text: str) -> None:
    assert format_sek(value) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 beslut"), (1, "1 beslut"), (12, "12 beslut"), (1500, "1\u00a0500 beslut")],
    ids=["zero", "one", "plural", "thousands"],
)
def test_count_decisions(count: int, text: str) -> None:
    assert count_decisions(count) == text
