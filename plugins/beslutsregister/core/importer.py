"""``beslutsregister import``: a decision written from the authority's Word template
becomes a case file, so nobody writes YAML by hand.

The template's layout, as a ``.txt``/``.md`` export or a ``.docx`` (read by
:mod:`.docx_text`) shows it: a letterhead (unit, officer, ``Tfn:``, ``E-post:``), the
date, the diary number, the title, then the sections Ärendebeskrivning, Beslutsunderlag,
Delegationsbestämmelse och delegation, Beslut (ending with the signature: name, then
role), Anmälan and Utdrag till. Headings may be of any level or plain lines, a section
may be missing, and a line ending in two spaces is a line break.

:func:`parse_decision` turns the lines into fields and a Markdown body and notes every
field it could not find; :func:`import_files` writes the case files and says what it did.
Nothing is guessed into publication: every imported case is a draft, and the amounts in
the text are listed in a comment above ``funding:`` for staff to assign to programmes.
What is written is validated as the register validates it first; a file that would not
pass ``beslutsregister check``, an identity number in the source, a diary number already
in the register or an existing file writes nothing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .addresses import slugify, unit_slug
from .bodylimits import body_limit_problems
from .docx_text import UnreadableDocument, read_docx
from .docx_text import refusal as docx_refusal
from .loading import case_files, display_path, load_register
from .model import Case
from .privacy import (
    ProtectedPeople,
    check_case_text,
    find_identity_numbers,
    mask_text,
    protection_problems,
)
from .texthygiene import INVISIBLE_CHARACTERS, normalise
from .validation import CaseRules, read_case
from .yamlsource import YamlError, split_front_matter

#: Section keys and the headings (case-insensitive) that open them.
SECTIONS: dict[str, str] = {
    "ärendebeskrivning": "arende",
    "beslutsunderlag": "underlag",
    "delegationsbestämmelse och delegation": "delegation",
    "delegationsbestämmelse": "delegation",
    "delegationsbestämmelser": "delegation",
    "delegation": "delegation",
    "beslut": "beslut",
    "anmälan": "anmalan",
    "utdrag till": "utdrag",
    "utdrag": "utdrag",
}
SECTION_NAMES = {"arende": "Ärendebeskrivning", "underlag": "Beslutsunderlag",
                 "delegation": "Delegationsbestämmelse och delegation", "beslut": "Beslut",
                 "anmalan": "Anmälan", "utdrag": "Utdrag till"}
SUFFIXES = (".docx", ".txt", ".md")

_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_EMPHASIS = re.compile(r"^(\*\*|__)(.*)\1$")
_HARD_BREAK = re.compile(r"(?: {2,}|\\|<br\s*/?>)$")
_TFN = re.compile(r"(?:tfn|tel|telefon)\.?\s*:(.*)", re.IGNORECASE)
_EMAIL_LINE = re.compile(r"(?:e-?post|e-?mail|mejl)\s*:(.*)", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s<>()\[\]]+@[^@\s<>()\[\]]+\.[^@\s<>()\[\]]+")
_LABEL = re.compile(r"(?:(?:vårt|ert)\s+)?(?:dnr|diarienr|diarienummer|datum|beslutsdatum)"
                    r"\.?\s*:?\s*", re.IGNORECASE)
_ISO = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december")
_LONG_DATE = re.compile(r"([0-9]{1,2})\s+(" + "|".join(_MONTHS) + r")\s+([0-9]{4})",
                        re.IGNORECASE)
_PERIOD = re.compile(rf"({_ISO})\s*(?:–|—|-|till och med|t\.\s?o\.\s?m\.?|till)\s*({_ISO})")
_PROJECT_NAME = re.compile(
    r"^.*\bprojekt(?:et)?\s+[”\"“'‘]?(.+?)[”\"“'’]?,?\s*"
    r"(?:under\s+(?:perioden|tiden)|från(?:\s+och\s+med)?|mellan|som\s+pågår|pågår)?\s*$",
    re.IGNORECASE | re.DOTALL)
_NUMBER = r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+"
_BUDGET = re.compile(rf"\bbudget(?:en)?\s+(?:på|om|är)\s+(?:totalt\s+)?({_NUMBER})\s*"
                     r"(?:kronor|kr\b|sek\b)", re.IGNORECASE)
_AMOUNT = re.compile(
    rf"(?<![0-9,.:/-])(?:({_NUMBER})\s*(kronor|kr\b\.?|sek\b|:-)"
    r"|([0-9]+(?:,[0-9]+)?)\s*(miljoner kronor|miljon kronor|mnkr|mkr|tkr)\b"
    r"|([0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+))(?![0-9])", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^(?:[-*•–]|[0-9]+[.)])\s+")
_PARTICLES = frozenset({"von", "af", "de", "van", "der", "den", "la", "du", "di", "da"})
_STRIPPED = re.compile("[" + re.escape("".join(INVISIBLE_CHARACTERS) + "\u00ad") + "]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_YAML_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"})
_PLAIN = re.compile(r"[^\W\d_][\w .,()/@–-]*[\w.)]|[^\W\d_]")


@dataclass(frozen=True)
class Note:
    """A field the importer could not fill (``required``: nothing is written), or a
    remark about one."""

    field: str
    message: str
    required: bool = False


@dataclass(frozen=True)
class Amount:
    written: str
    kronor: int
    section: str
    context: str


@dataclass
class Decision:
    """What :func:`parse_decision` read: fields in case-file order, body, notes."""

    fields: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    notes: list[Note] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)

    @property
    def missing_required(self) -> list[Note]:
        return [note for note in self.notes if note.required]

    def found(self) -> list[str]:
        """The fields found, dotted (``officer.email``), in case-file order."""
        names = []
        for key, value in self.fields.items():
            if isinstance(value, dict):
                names += [f"{key}.{sub}" for sub in value]
            else:
                names.append(key)
        return names


@dataclass
class _Section:
    key: str | None  # a SECTIONS value, or None for another heading
    heading: str
    lines: list[str] = field(default_factory=list)


class NotADecision(Exception):
    """The text has none of the template's sections."""


# --- reading the source ------------------------------------------------------------


@dataclass(frozen=True)
class SourceText:
    lines: list[str]
    places: list[str]  # how messages name each line: "12" or "paragraph 7"
    removed: int = 0  # invisible or control characters taken out


def read_source(path: Path) -> SourceText:
    """The lines of a ``.docx``, ``.txt`` or ``.md`` decision, cleaned: NFC, no
    invisible or control characters; :class:`UnreadableDocument` says why not."""
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        raise UnreadableDocument(f"cannot be read ({exc.strerror}); expected a readable "
                                 "file") from None
    if suffix == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableDocument(docx_refusal(data) or "is an old binary Word document "
                                 "(.doc); save it as a Word document (.docx) and import that")
    if suffix == ".docx":
        document = read_docx(data)
        lines, places = document.lines, [f"paragraph {n}" if n else "" for n in
                                         document.paragraphs]
    elif suffix in (".txt", ".md"):
        if data.startswith(ZIP_OR_PDF):
            raise UnreadableDocument("is not text (it looks like a Word or PDF file); "
                                     "expected the decision saved as text")
        text = _decode(data)
        lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
        places = [str(n) for n in range(1, len(lines) + 1)]
    else:
        raise UnreadableDocument("is not a .docx, .txt or .md file; save the decision as "
                                 "a Word document (.docx) and import that")
    removed = 0
    cleaned = []
    for line in lines:
        line = normalise(line).replace("\t", " ").replace("\u2028", " ").replace("\u2029", " ")
        line, count = _STRIPPED.subn("", line)
        line, more = _CONTROL.subn("", line)
        removed += count + more
        cleaned.append(line)
    return SourceText(cleaned, places, removed)


ZIP_OR_PDF = (b"PK\x03\x04", b"%PDF")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableDocument(f"line {line} is not UTF-8 text (byte 0x{data[exc.start]:02X})"
                                 "; expected the text saved as UTF-8") from None


# --- parsing the layout ------------------------------------------------------------


def _plain(line: str) -> str:
    """A line without heading marks, emphasis around it and surrounding space."""
    text = line.strip()
    match = _HEADING.fullmatch(line)
    if match:
        text = match[2].strip()
    text = re.sub(r"(?:<br\s*/?>|\\)$", "", text).strip()
    emphasis = _EMPHASIS.match(text)
    if emphasis:
        text = emphasis[2].strip()
    return " ".join(text.split())


def _section_key(line: str) -> str | None:
    return SECTIONS.get(_plain(line).rstrip(":").strip().casefold())


def parse_decision(lines: Sequence[str], rules: CaseRules | None = None) -> Decision:
    """Fields, body and notes of one decision in the template's layout."""
    rules = rules or CaseRules()
    start = next((i for i, line in enumerate(lines) if _section_key(line)), None)
    if start is None:
        raise NotADecision
    decision = Decision()
    sections = _sections(lines[start:])
    _letterhead(decision, list(lines[:start]), rules)
    by_key: dict[str, _Section] = {}
    for section in sections:
        if section.key and section.key not in by_key:
            by_key[section.key] = section
    _section_fields(decision, by_key, sections)
    decision.body = _body(sections)
    decision.amounts = _amounts(sections)
    return decision


def _sections(lines: Sequence[str]) -> list[_Section]:
    sections: list[_Section] = []
    for line in lines:
        key = _section_key(line)
        if key:
            sections.append(_Section(key, _plain(line).rstrip(":").strip()))
        elif _HEADING.fullmatch(line) and _plain(line):
            sections[-1].lines.append("### " + _plain(line))  # a heading inside a section
        else:
            sections[-1].lines.append(line)
    return sections


def _letterhead(decision: Decision, lines: list[str], rules: CaseRules) -> None:
    """Unit, officer and contact, date, diary number and title from the lines above the
    first section."""
    texts = [(i, _plain(line)) for i, line in enumerate(lines) if _plain(line)]
    used: set[int] = set()
    diary = next(((i, _LABEL.sub("", t, count=1) if _LABEL.match(t) else t) for i, t in texts
                  if re.fullmatch(rules.diary_pattern, _LABEL.sub("", t, count=1)
                                  if _LABEL.match(t) else t)), None)
    decided = next(((i, d) for i, t in texts if (d := _date_of(t)) is not None), None)
    phone_line = next(((i, m[1].strip()) for i, t in texts if (m := _TFN.fullmatch(t))), None)
    email_line = next(((i, m[1].strip()) for i, t in texts if (m := _EMAIL_LINE.fullmatch(t))),
                      None)
    for found in (diary, decided, phone_line, email_line):
        if found:
            used.add(found[0])
    contact = [f[0] for f in (phone_line, email_line) if f]
    anchors = contact or [f[0] for f in (decided, diary) if f]
    anchor = min(anchors) if anchors else len(lines)
    people = [t for i, t in texts if i < anchor and i not in used]
    unit = people[-2] if len(people) >= 2 else (people[0] if people and contact else None)
    officer_name = people[-1] if len(people) >= 2 else None
    if len(people) == 1 and not contact:
        unit = people[0]
    for i, t in texts:
        if i < anchor and t in (unit, officer_name):
            used.add(i)
    after = max((f[0] for f in (diary, decided, phone_line, email_line) if f), default=-1)
    title_lines = [t for i, t in texts if i > after and i not in used]

    fields = decision.fields
    notes = decision.notes
    if diary:
        fields["diary_number"] = diary[1]
    else:
        notes.append(Note("diary_number", "no line with a diary number "
                          f"({rules.diary_description}) above the first section; fill it in",
                          True))
    if title_lines:
        fields["title"] = " ".join(title_lines)
    else:
        notes.append(Note("title", "no title (ärendemening) between the diary number and the "
                          "first section; fill it in", True))
    if decided:
        fields["date"] = decided[1]
    else:
        notes.append(Note("date", "no line with the decision date (YYYY-MM-DD) above the "
                          "first section; fill it in", True))
    if unit:
        fields["unit"] = unit
    else:
        notes.append(Note("unit", "no unit in the letterhead (the line above the officer's "
                          "name); fill it in", True))
    officer: dict[str, str] = {}
    if officer_name:
        officer["name"] = re.sub(r"^handläggare\s*:?\s*", "", officer_name, flags=re.I)
    else:
        notes.append(Note("officer.name", "no officer's name in the letterhead (the line "
                          "above 'Tfn:'); fill it in", True))
    if email_line and email_line[1]:
        match = _EMAIL.search(email_line[1])
        if match:
            officer["email"] = match[0].removeprefix("mailto:")
        else:
            notes.append(Note("officer.email", f"'{email_line[1]}' after 'E-post:' is not an "
                              "e-mail address; left out"))
    else:
        notes.append(Note("officer.email", "'E-post:' is empty; left out" if email_line
                          else "no 'E-post:' line in the letterhead; left out"))
    if phone_line and phone_line[1]:
        officer["phone"] = phone_line[1]
    else:
        notes.append(Note("officer.phone", "'Tfn:' is empty; left out" if phone_line
                          else "no 'Tfn:' line in the letterhead; left out"))
    if officer_name:
        fields["officer"] = officer


def _date_of(text: str) -> str | None:
    text = _LABEL.sub("", text, count=1) if _LABEL.match(text) else text
    if re.fullmatch(_ISO, text):
        return text if _real(text) else None
    match = _LONG_DATE.fullmatch(text)
    if match:
        written = (f"{match[3]}-{_MONTHS.index(match[2].lower()) + 1:02d}-"
                   f"{int(match[1]):02d}")
        return written if _real(written) else None
    return None


def _real(iso: str) -> bool:
    try:
        date.fromisoformat(iso)
    except ValueError:
        return False
    return True


def _content(section: _Section) -> list[str]:
    """The section's non-blank lines as plain text, list markers and breaks removed."""
    return [_LIST_MARKER.sub("", _plain(line)) for line in section.lines if _plain(line)]


def _section_fields(decision: Decision, by_key: dict[str, _Section],
                    sections: list[_Section]) -> None:
    fields, notes = decision.fields, decision.notes
    beslut = by_key.get("beslut")
    signature = _signature(_content(beslut)) if beslut else None
    if beslut is None:
        notes.append(Note("decided_by", "no Beslut section, so no signature; fill it in", True))
    elif signature is None:
        notes.append(Note("decided_by", "no signature after the Beslut section; fill it in",
                          True))
    else:
        name, role = signature
        fields["decided_by"] = {"name": name, **({"role": role} if role else {})}
        if not role:
            notes.append(Note("decided_by.role", "the signature has a name but no role on "
                              "the line below it; fill it in"))
    delegation = by_key.get("delegation")
    if delegation and _content(delegation):
        text = " ".join(_content(delegation))
        fields["delegation"] = text
        if not re.search(r"\bpunk(?:t|ten|terna)\s+[0-9]", text, re.IGNORECASE):
            notes.append(Note("delegation", "no point number ('punkt ...') in the "
                              "Delegationsbestämmelse och delegation section; add it"))
    else:
        notes.append(Note("delegation", "no Delegationsbestämmelse och delegation section; "
                          "fill it in if the decision was delegated"))
    anmalan = by_key.get("anmalan")
    if anmalan and _content(anmalan):
        text = " ".join(_content(anmalan))
        text = re.sub(r"^(?:beslutet\s+)?anmäls\s+(?:till|i|vid|för)\s+", "", text,
                      flags=re.IGNORECASE).rstrip(".").strip()
        fields["reported_to"] = text[:1].upper() + text[1:]
    else:
        notes.append(Note("reported_to", "no Anmälan section; fill it in if the decision is "
                          "reported to a committee"))
    utdrag = by_key.get("utdrag")
    if utdrag and _content(utdrag):
        fields["copy_to"] = [line.rstrip(",;.").strip() for line in _content(utdrag)]
    else:
        notes.append(Note("copy_to", "no Utdrag till section; left out"))
    _project(decision, beslut, sections)


def _signature(lines: list[str]) -> tuple[str, str | None] | None:
    """(name, role) from the last lines of the Beslut section, or None."""
    if not lines:
        return None
    if len(lines) >= 2 and _is_name(lines[-2]) and _is_role(lines[-1]):
        return lines[-2], lines[-1]
    if _is_name(lines[-1]):
        return lines[-1], None
    return None


def _is_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 60 or re.search(r"[0-9.:;,!?()]", text):
        return False
    return words[0][:1].isupper() and all(w[:1].isupper() or w in _PARTICLES for w in words)


def _is_role(text: str) -> bool:
    return (len(text) <= 80 and len(text.split()) <= 10 and not text.endswith((".", ":"))
            and text[:1].isupper() and not re.match(r"[0-9]", text))


def _project(decision: Decision, beslut: _Section | None, sections: list[_Section]) -> None:
    """The project's period (and name, and total budget) when the text states one."""
    fields, notes = decision.fields, decision.notes
    texts = ([" ".join(_content(beslut))] if beslut else []) + [
        " ".join(_content(s)) for s in sections]
    for text in texts:
        period = _PERIOD.search(text)
        if period:
            break
    else:
        notes.append(Note("project", "no period (YYYY-MM-DD – YYYY-MM-DD, från ... till "
                          "...) in the text; left out"))
        return
    start, end = period[1], period[2]
    if not (_real(start) and _real(end)) or end < start:
        notes.append(Note("project", f"the period '{period[0]}' is not two real dates in "
                          "order; left out"))
        return
    before = re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])", text[: period.start()])[-1]
    named = _PROJECT_NAME.match(before)
    project: dict[str, Any] = {}
    if named and len(named[1]) <= 120 and len(named[1].split()) <= 15:
        project["name"] = named[1].strip(" ,”\"“'’‘")
    else:
        project["name"] = fields.get("title", "")
        notes.append(Note("project.name", "no project named before the period; the title "
                          "is used, check it"))
    project["start"], project["end"] = start, end
    budget = _BUDGET.search(" ".join(" ".join(_content(s)) for s in sections))
    if budget:
        project["budget_sek"] = int(re.sub(r"[^0-9]", "", budget[1]))
    if project["name"]:
        fields["project"] = project


def _amounts(sections: list[_Section]) -> list[Amount]:
    found = []
    for section in sections:
        text = " ".join(_content(section))
        for match in _AMOUNT.finditer(text):
            if match[1]:
                kronor = int(re.sub(r"[^0-9]", "", match[1]))
            elif match[3]:
                factor = 1000 if match[4].lower() == "tkr" else 1_000_000
                kronor = round(float(match[3].replace(",", ".")) * factor)
            else:
                kronor = int(re.sub(r"[^0-9]", "", match[5]))
            sentence_start = max(text.rfind(". ", 0, match.start()) + 2, 0)
            stop = text.find(". ", match.end())
            context = text[sentence_start: stop + 1 if stop >= 0 else len(text)]
            if len(context) > 110:  # seven words either side, cut at words
                before = text[sentence_start: match.start()].split()
                after = text[match.end():].split()
                context = " ".join(["…", *before[-7:], match[0], *after[:7], "…"])
            written = " ".join(match[0].split())
            found.append(Amount(written, kronor, section.heading, context))
    return found


def _body(sections: list[_Section]) -> str:
    parts = []
    for section in sections:
        lines = section.lines
        out: list[str] = []
        for index, line in enumerate(lines):
            text = line.rstrip()
            if not text.strip():
                if out and out[-1] != "":
                    out.append("")
                continue
            following = next((n for n in lines[index + 1:]), "")
            if _HARD_BREAK.search(line) and following.strip():
                text = re.sub(r"(?:\\|<br\s*/?>)$", "", text).rstrip() + "<br>"
            out.append(text)
        while out and out[-1] == "":
            out.pop()
        parts.append(f"## {section.heading}\n\n" + "\n".join(out))
    return "\n\n".join(part.rstrip() for part in parts) + "\n"


# --- writing the case file ---------------------------------------------------------


def _text(value: str) -> str:
    if _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS and " #" not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def render(decision: Decision, source_name: str) -> str:
    """The case file: front matter in case-file order (a draft), then the body."""
    fields = decision.fields
    out = ["---", f"# Imported from {json.dumps(source_name, ensure_ascii=False)} by "
           "'beslutsregister import': check every field, assign the funding, then set "
           "'status: published'."]
    for key in ("diary_number", "title", "date", "unit"):
        if key in fields:
            value = fields[key]
            plain = key in ("date", "diary_number") and _is_identifier(value)
            out.append(f"{key}: {value if plain else _text(value)}")
    for key, subkeys in (("officer", ("name", "email", "phone")),
                         ("decided_by", ("name", "role"))):
        if key in fields:
            out.append(f"{key}:")
            for sub in subkeys:
                if sub in fields[key]:
                    value = fields[key][sub]
                    quoted = json.dumps(value, ensure_ascii=False) if sub == "phone" \
                        else _text(value)
                    out.append(f"  {sub}: {quoted}")
    for key in ("delegation", "reported_to"):
        if key in fields:
            out.append(f"{key}: {_text(fields[key])}")
    if "copy_to" in fields:
        out.append("copy_to:")
        out += [f"  - {_text(entry)}" for entry in fields["copy_to"]]
    if "project" in fields:
        project = fields["project"]
        out.append("project:")
        out.append(f"  name: {_text(project['name'])}")
        for sub in ("start", "end", "budget_sek"):
            if sub in project:
                out.append(f"  {sub}: {project[sub]}")
    if decision.amounts:
        out.append("# Amounts in the text, for you to assign to programme ids from "
                   "programmes.yml")
        out.append("# (the import assigns none), e.g. '- programme: ID' and "
                   "'amount_sek: 460000':")
        for amount in decision.amounts:
            out.append(f"#   {amount.kronor} ({amount.written}, {amount.section}): "
                       f"{amount.context}")
        out.append("funding: []")
    out.append("status: draft")
    out.append("---")
    return "\n".join(out) + "\n\n" + decision.body


def _is_identifier(value: str) -> bool:
    """A date or a diary number of letters, digits and '/' is written unquoted."""
    return bool(re.fullmatch(r"[A-Za-z0-9/_.-]+", value))


# --- the command -------------------------------------------------------------------


@dataclass
class Report:
    """What ``beslutsregister import`` prints: (stream, line), in order; and its exit."""

    lines: list[tuple[str, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    failed: int = 0

    def out(self, line: str) -> None:
        self.lines.append(("out", line))

    def err(self, line: str) -> None:
        self.lines.append(("err", line))

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


@dataclass
class _Register:
    diary: dict[str, tuple[str, str]]  # slug -> (diary number, "path:line")
    cases: list[Case]
    rules: CaseRules


def _existing(cases_dir: Path, root: Path, rules: CaseRules) -> _Register:
    """Diary numbers of every case file (valid or not) and the valid cases."""
    loaded = load_register(cases_dir, root, rules)
    diary: dict[str, tuple[str, str]] = {}
    paths, _ = case_files(cases_dir, root)
    for path in paths:
        try:
            document = split_front_matter(path.read_text(encoding="utf-8", errors="replace"))
        except (OSError, YamlError):
            continue
        node = document.meta.items.get("diary_number") if document.meta is not None and \
            document.meta.kind == "map" else None
        if node is not None and node[1].kind == "scalar" and slugify(node[1].value):
            diary.setdefault(slugify(node[1].value),
                             (node[1].value, f"{display_path(path, root)}:{node[0]}"))
    rules = CaseRules(rules.diary_pattern, rules.diary_description,
                      frozenset(loaded.programmes), rules.programmes_file)
    return _Register(diary, loaded.cases, rules)


def import_files(sources: Sequence[Path], cases_dir: Path, root: Path,
                 rules: CaseRules | None = None) -> Report:
    """Import each source into ``cases_dir``; never overwrite, never publish."""
    report = Report()
    rules = rules or CaseRules()
    if not cases_dir.is_dir():
        report.err(f"{display_path(cases_dir, root)}: is not a folder; expected the folder "
                   "of case files (--cases)")
        report.failed = len(sources) or 1
        return report
    register = _existing(cases_dir, root, rules)
    for source in sources:
        if not _import_one(source, cases_dir, root, register, report):
            report.failed += 1
    done = len(report.written)
    report.out(f"Imported {done} of {len(sources)} file{'s' if len(sources) != 1 else ''}"
               + ("; each is a draft (status: draft) until you have checked it."
                  if done else "."))
    return report


def _import_one(source: Path, cases_dir: Path, root: Path, register: _Register,
                report: Report) -> bool:
    name = str(source)
    try:
        if not source.is_file():
            raise UnreadableDocument("is not a file; expected a .docx, .txt or .md decision")
        text = read_source(source)
    except UnreadableDocument as exc:
        report.err(f"{name}: {exc}; nothing written")
        return False
    numbers = [(place, line, hits) for place, line in zip(text.places, text.lines, strict=True)
               if (hits := find_identity_numbers(mask_text(line)))]
    if numbers:
        for place, line, hits in numbers:
            shown = line.strip()
            for hit in hits:
                shown = _mask(shown, hit.digits, hit.masked)
            where = f"{name}:{place}" if place.isdigit() else f"{name}: {place}"
            report.err(f"{where}: contains a personal identity number: '{shown}'; remove it "
                       "or mask it ([[maskera: ...]]) in the source and import again; "
                       "nothing written")
        return False
    try:
        decision = parse_decision(text.lines, register.rules)
    except NotADecision:
        report.err(f"{name}: is not a decision: none of the sections "
                   f"{', '.join(SECTION_NAMES.values())}; expected a decision from the "
                   "template; nothing written")
        return False
    missing = decision.missing_required
    if missing:
        for note in decision.notes:
            if note.required:
                report.err(f"{name}: field '{note.field}': {note.message}")
        report.err(f"{name}: {len(missing)} required field{'s' if len(missing) > 1 else ''} "
                   "not found; nothing written")
        return False
    diary_number = decision.fields["diary_number"]
    slug = slugify(diary_number)
    if slug in register.diary:
        existing, where = register.diary[slug]
        report.err(f"{name}: diary number {diary_number} is already in the register: {where}"
                   + ("" if existing == diary_number else f" ('{existing}')")
                   + "; nothing written")
        return False
    target = cases_dir / f"{slug}.md"
    shown_target = display_path(target, root)
    if os.path.lexists(target):
        report.err(f"{name}: {shown_target} already exists; nothing written (the import "
                   "never overwrites a file)")
        return False
    unit = decision.fields["unit"]
    same = next((c.unit for c in register.cases if unit_slug(c.unit) == unit_slug(unit)), None)
    if same is not None and same != unit:
        decision.fields["unit"] = same
        decision.notes.append(Note("unit", f"'{unit}' written as '{same}', the register's "
                                   "spelling"))
    rendered = render(decision, source.name)
    problems = _validate(rendered, shown_target, register)
    if problems:
        for problem in problems:
            report.err(f"{name}: {problem}")
        report.err(f"{name}: the case file would not pass 'beslutsregister check'; "
                   "nothing written")
        return False
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        report.err(f"{name}: {shown_target} already exists; nothing written (the import "
                   "never overwrites a file)")
        return False
    except OSError as exc:
        report.err(f"{name}: {shown_target} cannot be written ({exc.strerror}); nothing "
                   "written")
        return False
    with open(fd, "w", encoding="utf-8", newline="\n") as file:
        file.write(rendered)
    register.diary[slug] = (diary_number, f"{shown_target}:3")
    report.written.append(target)
    report.out(f"{name}: wrote {shown_target} (status: draft)")
    report.out(f"{name}: found {', '.join(decision.found())}")
    for note in decision.notes:
        report.out(f"{name}: field '{note.field}': {note.message}")
    if decision.amounts:
        report.out(f"{name}: {len(decision.amounts)} amount"
                   f"{'s' if len(decision.amounts) != 1 else ''} listed above 'funding:'; "
                   "assign them to programme ids")
    if text.removed:
        report.out(f"{name}: removed {text.removed} invisible or control character"
                   f"{'s' if text.removed != 1 else ''}")
    return True


def _mask(line: str, digits: str, masked: str) -> str:
    """``line`` with the identity number whose ten digits are ``digits`` shown masked."""
    for match in re.finditer(r"[0-9]{6,8}[-+ ]?[0-9]{4}", line):
        if re.sub(r"[^0-9]", "", match[0])[-10:] == digits:
            return line[: match.start()] + masked + line[match.end():]
    return re.sub(r"[0-9]{4}(?![0-9])", "****", line)


def _validate(text: str, source: str, register: _Register) -> list[str]:
    """What ``beslutsregister check`` would say of ``text`` as the case file ``source``."""
    try:
        document = split_front_matter(text)
    except YamlError as exc:
        return [f"{source}:{exc.line}: {exc.message}"]
    case, problems = read_case(document, source, register.rules)
    front = text[: len(text) - len(document.body)]
    problems += check_case_text(source, front, document.body, document.body_line,
                                document.meta)
    problems += body_limit_problems(document.body, source, document.body_line)
    if case is not None:
        cases = [*register.cases, case]
        problems += [p for p in protection_problems(cases, ProtectedPeople.of(cases))
                     if p.path == source]
    return [str(problem) for problem in problems]
