"""Personal data guard: identity numbers, masked text and protected officers.

A public register must never publish a personal identity number (personnummer) or a
coordination number (samordningsnummer), so any valid one in a case file fails the build.
Staff mask text that must not be published (for example under the Public Access to
Information and Secrecy Act, OSL) with::

    [[maskera: the text to hide]]
    [[maskera 26:1: text hidden under another provision]]

which publishes ``[Uppgift borttagen enligt 21 kap. 3 § OSL]`` (or the chapter and
section given) and never the text itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .model import Case, Officer, Problem

DEFAULT_PROVISION = (21, 3)

#: ``[[maskera: text]]`` or ``[[maskera 26:1: text]]``; the text may span lines.
MASK = re.compile(r"\[\[\s*maskera(?:\s+(\d{1,2}):(\d{1,2}))?\s*:\s?(.*?)\]\]",
                  re.DOTALL | re.IGNORECASE)
#: Anything that looks like the start of a mask; unmatched by MASK it fails the build.
_MASK_OPEN = re.compile(r"\[\[\s*maskera", re.IGNORECASE)

#: Candidate identity numbers: YYMMDD or YYYYMMDD, optional - or +, then four digits.
#: Separators: - and + as the Tax Agency writes them, and what word processors and
#: hands make of them (en and em dashes, minus, a space). A candidate starts where a
#: run of digits starts: checked after matching (:func:`_candidates`), because a
#: leading ``(?<!\d)`` costs the regex engine its fast scan for the first digit (three
#: times slower on a case file); ``\d\d\d\d\d\d`` rather than ``\d{6}`` for that scan too.
_CANDIDATE = re.compile(r"(\d\d\d\d\d\d(?:\d\d)?)([-+\u2010-\u2015\u2212 ]?)(\d{4})(?!\d)")
_DIGIT = re.compile(r"\d")


def mask_marker(chapter: int, section: int) -> str:
    return f"[Uppgift borttagen enligt {chapter} kap. {section} § OSL]"


def mask_text(text: str) -> str:
    """Replace every masked span by its marker; keeps line count (newlines survive)."""

    def marker(match: re.Match[str]) -> str:
        provision = (int(match[1]), int(match[2])) if match[1] else DEFAULT_PROVISION
        return mask_marker(*provision) + "\n" * match[3].count("\n")

    return MASK.sub(marker, text)


def unclosed_mask_lines(text: str) -> list[int]:
    """Lines (1-based within ``text``) where ``[[maskera`` opens but no ``]]`` closes it,
    or where a mask holds ``[[`` (its first ``]]`` would end it early and publish the rest).

    An unclosed mask must fail: publishing the text staff meant to hide is the one
    mistake this feature exists to prevent.
    """
    nested = [text.count("\n", 0, m.start()) + 1 for m in MASK.finditer(text) if "[[" in m[3]]
    masked = MASK.sub(lambda m: " " * len(m[0]), text)
    unclosed = [masked.count("\n", 0, m.start()) + 1 for m in _MASK_OPEN.finditer(masked)]
    return sorted(nested + unclosed)


def opens_mask(text: str) -> bool:
    """Whether ``text`` contains the start of a mask, in any letter case and spacing."""
    return _MASK_OPEN.search(text) is not None


@dataclass(frozen=True)
class IdentityNumberHit:
    line: int  # 1-based within the scanned text
    masked: str


def find_identity_numbers(text: str) -> list[IdentityNumberHit]:
    """Valid personal identity or coordination numbers in ``text``, masked for messages.

    Valid means: a real date (day + 60 for a coordination number) and a correct Luhn
    check digit. Organisation numbers (month digits 20 or more) and numbers with a wrong
    check digit are not personal data and pass.
    """
    hits = []
    for match in _candidates(text):
        birth, separator, last_four = match.groups()
        century, yy, mm, dd = birth[:-6], birth[-6:-4], birth[-4:-2], birth[-2:]
        if not _is_real_date(century, yy, mm, dd):
            continue
        if _luhn_check_digit(yy + mm + dd + last_four[:3]) != int(last_four[3]):
            continue
        line = text.count("\n", 0, match.start()) + 1
        hits.append(IdentityNumberHit(line, f"{birth}{separator}****"))
    return hits


def _candidates(text: str) -> list[re.Match[str]]:
    """Matches of :data:`_CANDIDATE` that start a run of digits.

    The same as a lookbehind for "no digit before" in the pattern: a match that starts
    inside a run of digits ends where a run ends, with at most four digits after a
    separator, so it never covers the start of a real candidate.
    """
    return [m for m in _CANDIDATE.finditer(text)
            if not m.start() or not _DIGIT.match(text, m.start() - 1)]


def _is_real_date(century: str, yy: str, mm: str, dd: str) -> bool:
    day = int(dd)
    if day > 60:  # samordningsnummer
        day -= 60
    centuries = [int(century)] if century else [19, 20]
    for c in centuries:
        try:
            date(c * 100 + int(yy), int(mm), day)
        except ValueError:
            continue
        return True
    return False


def _luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def public_officer(case: Case) -> Officer | None:
    """The officer as published: ``None`` when protected (the unit is shown instead)."""
    return None if case.officer.protected else case.officer


def check_case_text(source: str, front_matter: str, body: str, body_line: int) -> list[Problem]:
    """Problems for identity numbers and unclosed masks in one case file's text.

    ``front_matter`` starts on file line 1; ``body`` on ``body_line``. Masked spans are
    exempt: hiding a number is exactly what masking is for.
    """
    problems = [
        Problem(source, line, None, "'[[maskera' is not closed, or holds '[['; expected "
                "']]' after the text to hide, and no brackets inside it")
        for line in (body_line - 1 + n for n in unclosed_mask_lines(body))
    ]
    scans = ((front_matter, 1), (mask_text(body), body_line))
    for text, first_line in scans:
        for hit in find_identity_numbers(text):
            problems.append(Problem(
                source, first_line - 1 + hit.line, None,
                f"contains a personal identity number ({hit.masked}); expected no personal "
                "identity or coordination numbers: remove it or mask it with "
                "[[maskera: ...]]",
            ))
    return problems


def protected_officer_problems(case: Case, body_line: int) -> list[Problem]:
    """A protected officer's name or contact in the published text is a leak."""
    if not case.officer.protected:
        return []
    text = mask_text(case.body).casefold()
    problems = []
    for what, value in (("name", case.officer.name), ("email", case.officer.email),
                        ("phone", case.officer.phone)):
        if value and value.casefold() in text:
            line = body_line + text.count("\n", 0, text.index(value.casefold()))
            problems.append(Problem(
                case.source, line, None, f"names the protected officer's {what}; expected "
                "the text without it (mask it with [[maskera: ...]] or remove it)"))
    return problems
