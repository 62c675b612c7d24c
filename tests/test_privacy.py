"""privacy: identity numbers are found (and only those), masks hide text, officers can hide."""

from __future__ import annotations

from datetime import date

import pytest

from beslutsregister.core.model import Case, DecisionMaker, Officer
from beslutsregister.core.privacy import (
    check_case_text,
    find_identity_numbers,
    mask_marker,
    mask_text,
    public_officer,
    unclosed_mask_lines,
)
from helpers import luhn_digit

MARKER = "[Uppgift borttagen enligt 21 kap. 3 § OSL]"


def valid(birth: str, serial: str = "323") -> str:
    """``birth`` (YYMMDD or YYYYMMDD) + serial + the correct Luhn digit, no separator."""
    return birth + serial + str(luhn_digit(birth[-6:] + serial))


def wrong(birth: str, serial: str = "323") -> str:
    """The same number with every check digit except the right one (the first wrong one)."""
    return birth + serial + str((luhn_digit(birth[-6:] + serial) + 1) % 10)


def test_luhn_helper_agrees_with_known_numbers() -> None:
    # Skatteverket's published example, and two real organisation numbers.
    assert luhn_digit("811218987") == 6
    assert luhn_digit("556036079") == 3
    assert luhn_digit("212000262") == 7


def dashed(number: str, separator: str = "-") -> str:
    return f"{number[:-4]}{separator}{number[-4:]}"


# -- what is a personal identity number ------------------------------------------------------

DETECTED = [
    pytest.param(dashed(valid("640823")), "640823-****", id="YYMMDD-NNNN"),
    pytest.param(valid("640823"), "640823****", id="YYMMDDNNNN"),
    pytest.param(valid("19640823"), "19640823****", id="YYYYMMDDNNNN"),
    pytest.param(dashed(valid("19640823")), "19640823-****", id="YYYYMMDD-NNNN"),
    pytest.param(dashed(valid("190823"), "+"), "190823+****", id="plus-over-100"),
    pytest.param(dashed(valid("640883")), "640883-****", id="samordningsnummer"),
    pytest.param(valid("20120229", "004"), "20120229****", id="leap-day"),
    pytest.param(dashed(valid("811218", "987")), "811218-****", id="skatteverket-example"),
    pytest.param(dashed(valid("000101", "000")), "000101-****", id="year-2000"),
]


@pytest.mark.parametrize(("number", "masked"), DETECTED)
@pytest.mark.parametrize(
    "context",
    ["{}", "Sökande: {}.", "pnr{}", "({})", "Rad ett\nRad två {} här"],
    ids=["alone", "sentence", "after-letters", "parentheses", "third-line"],
)
def test_identity_numbers_are_found(number: str, masked: str, context: str) -> None:
    text = context.format(number)
    hits = find_identity_numbers(text)
    assert [(h.line, h.masked) for h in hits] == [(text.count("\n") + 1, masked)]
    assert number[-4:] not in hits[0].masked  # the message never repeats the number


NOT_DETECTED = [
    pytest.param(dashed(wrong("640823")), id="wrong-check-digit"),
    pytest.param(wrong("19640823"), id="wrong-check-digit-12"),
    pytest.param("556036-0793", id="organisation-number-volvo"),
    pytest.param("212000-2627", id="organisation-number-region"),
    pytest.param("5560360793", id="organisation-number-plain"),
    pytest.param(dashed(valid("640230")), id="february-30"),
    pytest.param(dashed(valid("641301")), id="month-13"),
    pytest.param(dashed(valid("640892")), id="coordination-day-32"),
    pytest.param(dashed(valid("640800")), id="day-zero"),
    pytest.param("1" + valid("640823"), id="eleven-digits"),
    pytest.param(valid("640823") + "1", id="digit-after"),
    pytest.param("063146529", id="phone"),
    pytest.param("063-14 65 29", id="phone-spaced"),
    pytest.param("2024-02-23", id="iso-date"),
    pytest.param("RUN/138/2024", id="diary-number"),
    pytest.param("460 000 kronor", id="amount"),
    pytest.param("Telefon 070-123 45 67", id="mobile"),
]


@pytest.mark.parametrize("text", NOT_DETECTED)
def test_other_numbers_are_not_identity_numbers(text: str) -> None:
    assert find_identity_numbers(text) == []


def test_organisation_numbers_have_valid_check_digits() -> None:
    # They pass because of their month digits (20 or more), not because of a bad check digit.
    for number in ("556036-0793", "212000-2627"):
        digits = number.replace("-", "")
        assert luhn_digit(digits[:9]) == int(digits[9])


def test_several_numbers_on_several_lines() -> None:
    first, second, third = dashed(valid("640823")), valid("19811218", "987"), valid("640883")
    text = f"A {first} och {second}\n\nB {dashed(third)}"
    assert [(h.line, h.masked) for h in find_identity_numbers(text)] == [
        (1, "640823-****"), (1, "19811218****"), (3, "640883-****")]


# -- masking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published"),
    [
        pytest.param("Sökande: [[maskera: hemlig text]].", f"Sökande: {MARKER}.", id="default"),
        pytest.param("[[maskera:utan mellanslag]]", MARKER, id="no-space"),
        pytest.param("[[Maskera: versal]] [[ MASKERA : x ]]", f"{MARKER} {MARKER}",
                     id="any-case-and-spacing"),
        pytest.param("[[maskera 26:1: hälsouppgift]]",
                     "[Uppgift borttagen enligt 26 kap. 1 § OSL]", id="chapter-section"),
        pytest.param("[[maskera 31:16: affärshemlighet]] och [[maskera: namn]]",
                     f"[Uppgift borttagen enligt 31 kap. 16 § OSL] och {MARKER}", id="two"),
        pytest.param("A [[maskera: rad ett\nrad två]] B\nC", f"A {MARKER}\n B\nC",
                     id="multi-line-keeps-line-count"),
        pytest.param("Inget att dölja [[länk]]", "Inget att dölja [[länk]]", id="no-mask"),
    ],
)
def test_mask_text(text: str, published: str) -> None:
    assert mask_text(text) == published
    assert mask_text(text).count("\n") == text.count("\n")


def test_mask_marker() -> None:
    assert mask_marker(21, 3) == MARKER


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        pytest.param("[[maskera: öppen", [1], id="unclosed"),
        pytest.param("ok [[maskera: a]]\n\n[[maskera: öppen\nmer", [3], id="after-a-closed-one"),
        pytest.param("[[maskera: a]] [[maskera: b]]", [], id="all-closed"),
        pytest.param("[[maskera: a\nb]]", [], id="closed-on-next-line"),
        pytest.param("[[maskera]]", [1], id="no-colon"),
        pytest.param("[[Maskera öppen", [1], id="unclosed-capitalised"),
        pytest.param("a\n[[maskera: x\n[[maskera: y", [2, 3], id="two-unclosed"),
    ],
)
def test_unclosed_mask_lines(text: str, lines: list[int]) -> None:
    assert unclosed_mask_lines(text) == lines


# -- the check of one case file --------------------------------------------------------------

FRONT = "---\ndiary_number: RUN/1/2024\nnote: x\n---\n"  # lines 1-4; body from line 5


def messages(front: str, body: str) -> list[str]:
    return [str(p) for p in check_case_text("cases/x.md", front, body, front.count("\n") + 1)]


def test_check_case_text_clean() -> None:
    assert messages(FRONT, "\nSökande beviljas 460 000 kronor.\n") == []


def test_masked_identity_number_is_allowed() -> None:
    pnr = dashed(valid("640823"))
    assert messages(FRONT, f"\nSökande [[maskera: {pnr}]] beviljas.\n") == []
    assert messages(FRONT, f"\n[[maskera: Anna\n{pnr}]]\n") == []


def test_identity_number_lines_are_file_lines() -> None:
    pnr = dashed(valid("640883"))
    front = FRONT.replace("note: x", f"note: {pnr}")
    assert messages(front, f"\n\nRad sju {pnr}\n") == [
        "cases/x.md:3: contains a personal identity number (640883-****); expected no personal "
        "identity or coordination numbers: remove it or mask it with [[maskera: ...]]",
        "cases/x.md:7: contains a personal identity number (640883-****); expected no personal "
        "identity or coordination numbers: remove it or mask it with [[maskera: ...]]",
    ]


def test_mask_in_front_matter_does_not_hide_a_number() -> None:
    pnr = dashed(valid("640823"))
    front = FRONT.replace("note: x", f"note: '[[maskera: {pnr}]]'")
    assert [p.line for p in check_case_text("cases/x.md", front, "", 5)] == [3]


def test_unclosed_mask_is_reported_and_its_text_still_scanned() -> None:
    pnr = dashed(valid("640823"))
    assert messages(FRONT, f"\n[[maskera: {pnr}\n") == [
        "cases/x.md:6: '[[maskera' is not closed, or holds '[['; expected "
        "']]' after the text to hide, and no brackets inside it",
        "cases/x.md:6: contains a personal identity number (640823-****); expected no personal "
        "identity or coordination numbers: remove it or mask it with [[maskera: ...]]",
    ]


# -- protected officer -----------------------------------------------------------------------


@pytest.mark.parametrize("protected", [False, True], ids=["public", "protected"])
def test_public_officer(protected: bool) -> None:
    officer = Officer("Anna", "anna@example.se", "063000000", protected)
    case = Case("RUN/1/2024", "run-1-2024", "T", date(2024, 1, 1), "Enhet", officer,
                DecisionMaker("Chef"), "", "cases/x.md")
    assert public_officer(case) == (None if protected else officer)
