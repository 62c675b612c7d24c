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
#: (Anchored on a run of digits so the scan of a long body stays fast.)
_CANDIDATE = re.compile(r"(?<!\d)(\d{6}(?:\d{2})?)([-+]?)(\d{4})(?!\d)")


def mask_marker(chapter: int, section: int) -> str:
    return f"[Uppgift borttagen enligt {chapter} kap. {section} § OSL]"


def mask_text(text: str) -> str:
    """Replace every masked span by its marker; keeps line count (newlines survive)."""

    def marker(match: re.Match[str]) -> str:
        provision = (int(match[1]), int(match[2])) if match[1] else DEFAULT_PROVISION
        return mask_marker(*provision) + "\n" * match[3].count("\n")

    return MASK.sub(marker, text)


def unclosed_mask_lines(text: str) -> list[int]:
    """Lines (1-based within ``text``) where ``[[maskera`` opens but no ``]]`` closes it.

    An unclosed mask must fail: publishing the text staff meant to hide is the one
    mistake this feature exists to prevent.
    """
    masked = MASK.sub(lambda m: " " * len(m[0]), text)
    return [masked.count("\n", 0, m.start()) + 1 for m in _MASK_OPEN.finditer(masked)]


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
    for match in _CANDIDATE.finditer(text):
        birth, separator, last_four = match.groups()
        century, yy, mm, dd = birth[:-6], birth[-6:-4], birth[-4:-2], birth[-2:]
        if not _is_real_date(century, yy, mm, dd):
            continue
        if _luhn_check_digit(yy + mm + dd + last_four[:3]) != int(last_four[3]):
            continue
        line = text.count("\n", 0, match.start()) + 1
        hits.append(IdentityNumberHit(line, f"{birth}{separator}****"))
    return hits


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
        Problem(source, line, None, "'[[maskera' is not closed; expected ']]' after the "
                "text to hide")
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
