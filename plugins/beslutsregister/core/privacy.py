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

import dataclasses
import html
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import ahocorasick

from .fingerprint import fingerprint
from .model import Case, Officer, Problem, Programme
from .texthygiene import find_unpublishable
from .yamlsource import Node

DEFAULT_PROVISION = (21, 3)

#: ``[[maskera: text]]`` or ``[[maskera 26:1: text]]``; the text may span lines.
MASK = re.compile(r"\[\[\s*maskera(?:\s+(\d{1,2}):(\d{1,2}))?\s*:\s?(.*?)\]\]",
                  re.DOTALL | re.IGNORECASE)
#: Anything that looks like the start of a mask; unmatched by MASK it fails the build.
_MASK_OPEN = re.compile(r"\[\[\s*maskera", re.IGNORECASE)

#: Candidate identity numbers: YYMMDD or YYYYMMDD, optional - or +, then four digits.
#: Separators: - and + as the Tax Agency writes them, and what word processors and
#: hands make of them (en and em dashes, minus, spaces, a line break). A candidate starts where a
#: run of digits starts: checked after matching (:func:`_candidates`), because a
#: leading ``(?<!\d)`` costs the regex engine its fast scan for the first digit (three
#: times slower on a case file); ``\d\d\d\d\d\d`` rather than ``\d{6}`` for that scan too.
#: Between the parts: an optional separator with any whitespace around it, line breaks
#: included, so a number hard-wrapped after its hyphen is still found.
_CANDIDATE = re.compile(r"(\d\d\d\d\d\d(?:\d\d)?)(\s*[-+\u2010-\u2015\u2212]?\s*)(\d{4})(?!\d)")
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


#: What staff may have meant as a marker: ``[[`` (also escaped for Markdown, ``\\[\\[``),
#: or a bracket or brace before a word starting ``mask`` and a colon (``[maskering:``,
#: ``{{maskera 26:1:``). Left over once the valid masks are removed, it fails the build:
#: a near miss of the masking syntax would publish the text it was meant to hide.
_NEAR_MISS = re.compile(r"\\?\[[ \t]*\\?\[|[\[{][ \t]*\\?[\[{]?[ \t]*mask\w*[ \t]*"
                        r"(?:\d{1,2}[ \t]*:[ \t]*\d{1,2}[ \t]*)?:", re.IGNORECASE)
_MARKER_WORD = re.compile(r"[\\\[{( \t]{0,6}[^\s\[\]{}()\\:]{0,12}")  # quoted, cut short


def opens_mask(text: str) -> bool:
    """Whether ``text`` contains the start of a mask, in any letter case and spacing."""
    return _MASK_OPEN.search(text) is not None


def near_miss_marker(text: str) -> str | None:
    """The first marker in ``text`` that is not a valid mask (``[[maskering``), or None.

    Valid masks are removed first; an unclosed ``[[maskera`` is reported by
    :func:`unclosed_mask_lines`, not here.
    """
    found = _near_misses(MASK.sub(lambda m: " " * len(m[0]), text))
    return found[0][1] if found else None


def _near_misses(masked: str) -> list[tuple[int, str]]:
    """(offset, marker as written, cut short) of each near miss in text without masks."""
    opens = {m.start() for m in _MASK_OPEN.finditer(masked)}
    found = []
    for match in _NEAR_MISS.finditer(masked):
        if match.start() in opens:
            continue
        marker = _MARKER_WORD.match(masked, match.start())
        found.append((match.start(), marker[0].strip() if marker else match[0]))
    return found


def unknown_marker_lines(text: str) -> list[tuple[int, str]]:
    """(line, marker) of every marker in ``text`` that is neither a mask nor an open one."""
    masked = MASK.sub(lambda m: " " * len(m[0]), text)
    return [(masked.count("\n", 0, offset) + 1, marker)
            for offset, marker in _near_misses(masked)]


@dataclass(frozen=True)
class IdentityNumberHit:
    line: int  # 1-based within the scanned text
    masked: str  # what messages show: the birth date, then ****
    digits: str = dataclasses.field(default="", repr=False)  # to compare; never shown


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
        shown = separator.strip() or (" " if separator else "")
        hits.append(IdentityNumberHit(line, f"{birth}{shown}****", birth[-6:] + last_four))
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


def public_decision_maker(case: Case) -> tuple[str | None, str | None]:
    """(name, role) as published: no name when the person's identity is protected."""
    maker = case.decided_by
    return (None if maker.protected else maker.name), maker.role


_WORD_GAP = r"[\s*_~]+"  # between a name's words: spaces, a line break, emphasis
#: Right before or after a match: the match is part of a longer word or address (a
#: full stop after a name ends the sentence; before one, it is part of an address).
_BEFORE_NAME = re.compile(r"[\w.@-]")
_AFTER_NAME = re.compile(r"[\w@-]")


@dataclass(frozen=True)
class ProtectedPeople:
    """Everyone whose identity is protected in some case of the register.

    Protection is a property of the person, not of one file: a name or e-mail address
    marked ``protected`` in any case (drafts too) is published nowhere in the register.
    ``where`` maps each name and address (folded: lower case, single spaces) to the
    case file and line that protects it, for messages that never repeat the name.
    """

    where: dict[str, str]
    #: Every name and address at once (Aho-Corasick, ``pyahocorasick``): one pass over
    #: a text finds any of them. An alternation of all names in one regular expression
    #: cost 40 s over the output of a 10 000-decision register with 30 protected people,
    #: a pattern or a substring search per name 6 s; the automaton 2 s.
    automaton: Any = None

    def fingerprint(self) -> str:
        """A digest of whom the guard looks for: its verdicts hold for this list only
        (:class:`~beslutsregister.core.buildcache.GuardVerdicts`)."""
        return fingerprint("protected", *sorted(self.where))

    @classmethod
    def of(cls, cases: Iterable[Case]) -> ProtectedPeople:
        where: dict[str, str] = {}
        for case in cases:
            if case.officer.protected:
                place = f"{case.source}:{case.field_lines.get('officer', 1)}"
                for value in (case.officer.name, case.officer.email):
                    if value:
                        where.setdefault(_fold(value), place)
        if not where:
            return cls({})
        automaton = ahocorasick.Automaton()
        for value in where:
            automaton.add_word(value, value)
        automaton.make_automaton()
        return cls(where, automaton)

    def __bool__(self) -> bool:
        return bool(self.where)

    def find(self, text: str, skip: Collection[str] = (), folded: bool = False
             ) -> tuple[int, str] | None:
        """(offset, where it is protected) of the first protected name or address in
        ``text`` as a whole word, leaving out the (folded) values in ``skip``.

        ``folded``: the text is in lower case with single spaces already (the output
        guard's), so it is searched as it is.
        """
        if self.automaton is None:
            return None
        searched = text if folded else _fold(text)
        for end, value in self.automaton.iter(searched):
            start = end + 1 - len(value)
            if (start and _BEFORE_NAME.match(searched, start - 1)) or (
                    _AFTER_NAME.match(searched, end + 1)):
                continue  # part of a longer word or address
            if value not in skip:
                return _offset_of(value, text), self.where[value]
        return None

    def protects(self, value: str | None) -> bool:
        return value is not None and _fold(value) in self.where


def _fold(text: str) -> str:
    """Lower case, and one space wherever a name's words may be apart."""
    if "*" in text or "_" in text or "~" in text:
        text = re.sub(r"[*_~]", " ", text)
    return " ".join(text.lower().split())


def _offset_of(value: str, text: str) -> int:
    """Where the folded ``value`` stands in ``text`` (0 if the folding hides it)."""
    pattern = _WORD_GAP.join(map(re.escape, value.split()))
    match = re.search(pattern, text, re.IGNORECASE)
    return match.start() if match else 0


def apply_protection(cases: list[Case], people: ProtectedPeople) -> list[Case]:
    """The cases with every protected person hidden where a field names them.

    An officer protected in another case is published as protected here too (the unit
    instead of the name); a protected decision-maker by role only.
    """
    if not people:
        return cases
    protected = []
    for case in cases:
        officer, maker = case.officer, case.decided_by
        if not officer.protected and (people.protects(officer.name)
                                      or people.protects(officer.email)):
            officer = replace(officer, protected=True)
        if not maker.protected and people.protects(maker.name):
            maker = replace(maker, protected=True)
        if officer is not case.officer or maker is not case.decided_by:
            case = replace(case, officer=officer, decided_by=maker)
        protected.append(case)
    return protected


def protection_problems(cases: Iterable[Case], people: ProtectedPeople) -> list[Problem]:
    """A protected person named in free text (a title, a copy, a note, the body).

    Fields that name a person as such (officer, decided_by) are hidden instead
    (:func:`apply_protection`); a case's own protected officer in its body is reported
    by :func:`protected_officer_problems`.
    """
    if not people:
        return []
    problems = []
    for case in cases:
        own = ({_fold(v) for v in (case.officer.name, case.officer.email) if v}
               if case.officer.protected else set())
        for field, line, text in _free_text(case):
            found = people.find(text, own if field is None else ())
            if found is None:
                continue
            offset, where = found
            if field is None:
                problems.append(Problem(
                    case.source, line + text.count("\n", 0, offset), None,
                    f"names a person whose identity is protected (in {where}); expected "
                    "the text without the name (mask it with [[maskera: ...]] or remove it)"))
            else:
                problems.append(Problem(
                    case.source, line, field,
                    f"names a person whose identity is protected (in {where}); expected "
                    "the field without the name"))
    return problems


def programme_protection_problems(programmes: Mapping[str, Programme], source: str,
                                  people: ProtectedPeople) -> list[Problem]:
    """A protected person named in ``programmes.yml`` (published on programme pages)."""
    if not people:
        return []
    problems = []
    for programme in programmes.values():
        for name in ("name", "funder", "url", "description"):
            value = getattr(programme, name)
            found = people.find(value) if value else None
            if found is not None:
                problems.append(Problem(
                    source, programme.line, f"{programme.id}.{name}", "names a person whose "
                    f"identity is protected (in {found[1]}); expected the field without the "
                    "name"))
    return problems


def _free_text(case: Case) -> Iterator[tuple[str | None, int, str]]:
    """(field or None for the body, file line, text) of everything a case publishes as
    free text."""
    lines = case.field_lines
    for field in ("title", "unit", "delegation", "reported_to"):
        value = getattr(case, field)
        if value:
            yield field, lines.get(field, 1), value
    if case.decided_by.role:
        yield "decided_by.role", lines.get("decided_by", 1), case.decided_by.role
    for index, copy in enumerate(case.copy_to):
        yield f"copy_to[{index}]", lines.get("copy_to", 1), copy
    if case.project is not None:
        yield "project.name", lines.get("project", 1), case.project.name
    for index, source in enumerate(case.funding):
        if source.note:
            yield f"funding[{index}].note", lines.get("funding", 1), source.note
    yield from _notice_texts(case)
    yield None, case.body_line, mask_text(case.body)


def _notice_texts(case: Case) -> Iterator[tuple[str, int, str]]:
    """(field, file line, text) of the notices after publication: published on the page,
    in the exports and in the change feed."""
    lines = case.field_lines
    for index, correction in enumerate(case.corrections):
        yield f"corrections[{index}].text", lines.get("corrections", 1), correction.text
    if case.revoked is not None and case.revoked.text:
        yield "revoked.text", lines.get("revoked", 1), case.revoked.text


_NUMBER_ADVICE = ("expected no personal identity or coordination numbers: remove it or mask it "
                  "with [[maskera: ...]]")

#: Markdown and HTML that a reader does not see, between two digits or next to one:
#: ``6408**23**-3234``, ``640823&#45;3234``, ``| 640823 | 3234 |``. Only bodies with one
#: are scanned a second time, as text (:func:`_markup_view`).
_MARKUP_NEAR_DIGIT = re.compile(r"\d[*_~`<&\\\u00ad\u200b\[\]]|[*_~`>;\u00ad\u200b)\[\]]\d"
                                r"|\d[ \t]*\||\|[ \t]*\d")
_INLINE_MARKUP = re.compile(r"<[A-Za-z/!?][^>\n]*>|[*_~`\u00ad\u200b\u2060]|\\(?=[-+*_~`|\\\[\]])")
#: A link or image, ``[text](address)`` or ``[text][ref]``: a reader sees the text.
_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])?")


def _markup_view(text: str) -> str:
    """``text`` as a reader sees its digits: links as their text; tags, emphasis, escapes
    and soft hyphens gone; table pipes as spaces; entities decoded; line breaks stay."""
    return _INLINE_MARKUP.sub("", html.unescape(_LINK.sub(r"\1", text))).replace("|", " ")


def check_case_text(source: str, front_matter: str, body: str, body_line: int,
                    meta: Node | None = None) -> list[Problem]:
    """Problems for identity numbers, unclosed or unknown markers and characters no
    feed can carry, in one case file's text.

    ``front_matter`` starts on file line 1; ``body`` on ``body_line``. Masked spans are
    exempt: hiding a number is exactly what masking is for. Front matter is scanned as
    written and as parsed (``meta``): a YAML escape (``\\x2D``) or a line continuation
    can split a number that only the parsed value shows whole. A body is scanned as
    written and, where markup touches a digit, as a reader sees it.
    """
    problems = [
        Problem(source, line, None, "'[[maskera' is not closed, or holds '[['; expected "
                "']]' after the text to hide, and no brackets inside it")
        for line in (body_line - 1 + n for n in unclosed_mask_lines(body))
    ]
    problems += [
        Problem(source, body_line - 1 + line, None, f"unknown marker '{marker}'; did you mean "
                "[[maskera: ...]]? (only [[maskera: text]] or [[maskera 26:1: text]] hides "
                "text)")
        for line, marker in unknown_marker_lines(body)
    ]
    invalid = find_unpublishable(body)
    if invalid is not None:
        offset, what = invalid
        problems.append(Problem(source, body_line + body.count("\n", 0, offset), None,
                                f"contains the character {what}, which no page or feed can "
                                "carry; expected text without it (retype the line)"))
    found: dict[tuple[int, str], None] = {}  # (file line, masked number), in order
    for hit in find_identity_numbers(front_matter):
        found[(hit.line, hit.masked)] = None
    for node in _scalars(meta):
        for hit in find_identity_numbers(node.value):
            if not any(line == node.line for line, _ in found):
                found[(node.line, hit.masked)] = None
    published = mask_text(body)
    views = [published]
    if _MARKUP_NEAR_DIGIT.search(published):
        views.append(_markup_view(published))
    for view in views:
        for hit in find_identity_numbers(view):
            line = body_line - 1 + hit.line
            if not any(known == line for known, _ in found):
                found[(line, hit.masked)] = None
    problems += [Problem(source, line, None, f"contains a personal identity number ({masked}); "
                         + _NUMBER_ADVICE) for line, masked in found]
    return problems


def _scalars(node: Node | None) -> Iterator[Node]:
    """Every scalar of a parsed YAML tree (keys are plain names, checked elsewhere)."""
    if node is None:
        return
    if node.kind == "scalar":
        yield node
    for child in node.elements:
        yield from _scalars(child)
    for _, child in node.items.values():
        yield from _scalars(child)


def protected_officer_problems(case: Case, body_line: int) -> list[Problem]:
    """A protected officer's name or contact in the published text is a leak (also
    hard-wrapped, or with emphasis between the words of a name)."""
    if not case.officer.protected:
        return []
    texts = [(None, body_line, mask_text(case.body)), *_notice_texts(case)]
    problems = []
    for what, value in (("name", case.officer.name), ("email", case.officer.email),
                        ("phone", case.officer.phone)):
        if not value:
            continue
        pattern = r"(?<![\w.@-])" + _WORD_GAP.join(map(re.escape, value.split())) + r"(?![\w@-])"
        for field, first_line, text in texts:
            match = re.search(pattern, text, re.IGNORECASE)
            if match:
                line = first_line + text.count("\n", 0, match.start())
                problems.append(Problem(
                    case.source, line, field, f"names the protected officer's {what}; "
                    "expected the text without it (mask it with [[maskera: ...]] or remove "
                    "it)"))
    return problems
