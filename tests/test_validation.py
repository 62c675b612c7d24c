"""validation: every kind of bad input gives one exact message with file, line and field.

Each row writes a small register (``cases/x.md`` and ``cases/programmes.yml``), loads it as
the build does, and compares ``str(problem)`` (what staff see) in full.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from beslutsregister.core.addresses import slugify
from beslutsregister.core.loading import LoadResult, load_register
from beslutsregister.core.model import (
    Case,
    Correction,
    DecisionMaker,
    Funding,
    Officer,
    Project,
    Revocation,
)
from beslutsregister.core.validation import CaseRules, suggest
from helpers import REPO, luhn_digit

PROGRAMMES_YML = """\
tillvaxtverket-s3:
  name: "Tillväxtverket – S3"
  funder: Tillväxtverket
react-eu:
  name: REACT-EU
tillvaxtverket-1-1:
  name: Tillväxtverkets 1:1-anslag
egen-finansiering:
  name: Egen finansiering
"""

#: A valid case; rows edit it. Line numbers in messages refer to this layout:
VALID = """\
---
diary_number: RUN/1/2024
title: Ett beslut
date: 2024-02-23
unit: Samhällsutveckling
officer:
  name: Ingrid Handläggare
  email: ingrid@example.se
  phone: 063146527
decided_by:
  name: Magnus Beslutsfattare
  role: Direktör
project:
  name: Projektet
  start: 2024-03-01
  end: 2024-11-30
  budget_sek: 200000
funding:
  - programme: react-eu
    amount_sek: 100000
  - programme: egen-finansiering
    amount_sek: 60000
    note: Arbetstid
---

## Beslut

Beslutet fattas.
"""
#  1 ---                     9   phone          17   budget_sek      25 (blank)
#  2 diary_number           10 decided_by       18 funding          26 ## Beslut
#  3 title                  11   name           19   - programme    27 (blank)
#  4 date                   12   role           20     amount_sek   28 Beslutet fattas.
#  5 unit                   13 project          21   - programme
#  6 officer                14   name           22     amount_sek
#  7   name                 15   start          23     note
#  8   email                16   end            24 ---


def edit(*changes: tuple[str, str], text: str = VALID) -> str:
    """``text`` with each ``old`` (which must occur exactly once) replaced by ``new``."""
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} must occur once in the case"
        text = text.replace(old, new)
    return text


def ending(lines: str, text: str = VALID) -> str:
    """``text`` with ``lines`` added at the end of its front matter (from line 24 on)."""
    return edit(("---\n\n## Beslut", lines + "---\n\n## Beslut"), text=text)


#: VALID, corrected twice and then revoked; rows edit it. Its added lines:
NOTICES = ending("""\
corrections:
  - date: 2024-03-04
    kind: rättelse
    text: Beloppet rättat från 10 000 till 100 000 kronor.
  - date: 2024-04-10
    kind: ändring
    text: Projekttiden förlängd.
    decision: RUN/90/2024
revoked:
  date: 2024-05-20
  by: RUN/91/2024
  text: Förstudien genomförs inte.
""")
# 24 corrections        28   - date           32 revoked
# 25   - date           29     kind           33   date
# 26     kind           30     text           34   by
# 27     text           31     decision       35   text
#                                             36 ---


def notices(*changes: tuple[str, str]) -> str:
    return edit(*changes, text=NOTICES)


def load(
    root: Path, files: dict[str, str | bytes], rules: CaseRules | None = None
) -> LoadResult:
    cases = root / "cases"
    cases.mkdir(parents=True)
    (cases / "programmes.yml").write_text(PROGRAMMES_YML, encoding="utf-8")
    for name, content in files.items():
        path = cases / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return load_register(cases, root, rules)


def messages(
    root: Path, files: dict[str, str | bytes], rules: CaseRules | None = None
) -> list[str]:
    return [str(problem) for problem in load(root, files, rules).problems]


PNR = "640823-323" + str(luhn_digit("640823323"))  # a valid personnummer, computed

BAD_INPUT = [
    # -- required and unknown fields
    pytest.param(
        {"x.md": edit(("title: Ett beslut\n", ""))},
        ["cases/x.md:1: field 'title': is missing; expected the ärendemening as text"],
        id="missing-required-field"),
    pytest.param(
        {"x.md": edit(("  name: Ingrid Handläggare\n", ""))},
        # (the line of 'officer:')
        ["cases/x.md:6: field 'officer.name': is missing; expected the officer's name"],
        id="missing-nested-field"),
    pytest.param(
        {"x.md": edit(("title: Ett beslut", "titel: Ett beslut"))},
        ["cases/x.md:3: field 'titel': unknown field; expected one of diary_number, title, "
         "date, unit, officer, decided_by, delegation, reported_to, copy_to, project, funding, "
         "status, publish_after, corrections, revoked, withdrawn_on; did you mean 'title'?",
         "cases/x.md:1: field 'title': is missing; expected the ärendemening as text"],
        id="unknown-field-with-suggestion"),
    pytest.param(
        {"x.md": edit(("  email: ingrid@example.se", "  e-mail: ingrid@example.se"))},
        ["cases/x.md:8: field 'officer.e-mail': unknown field; expected one of name, email, "
         "phone, protected; did you mean 'email'?"],
        id="unknown-nested-field-with-suggestion"),
    pytest.param(
        {"x.md": edit(("unit: Samhällsutveckling\n", "unit: Samhällsutveckling\nxyz: 1\n"))},
        ["cases/x.md:6: field 'xyz': unknown field; expected one of diary_number, title, date, "
         "unit, officer, decided_by, delegation, reported_to, copy_to, project, funding, "
         "status, publish_after, corrections, revoked, withdrawn_on"],
        id="unknown-field-without-suggestion"),
    # -- dates
    pytest.param(
        {"x.md": edit(("date: 2024-02-23", "date: 23/2 2024"))},
        ["cases/x.md:4: field 'date': '23/2 2024' is not a date; expected YYYY-MM-DD, "
         "e.g. 2024-02-23"],
        id="not-a-date"),
    pytest.param(
        {"x.md": edit(("date: 2024-02-23", "date: 2024-02-30"))},
        ["cases/x.md:4: field 'date': '2024-02-30' is not a real calendar date; expected "
         "YYYY-MM-DD, e.g. 2024-02-23"],
        id="impossible-date"),
    pytest.param(
        {"x.md": edit(("date: 2024-02-23", "date: 2023-02-29"))},
        ["cases/x.md:4: field 'date': '2023-02-29' is not a real calendar date; expected "
         "YYYY-MM-DD, e.g. 2024-02-23"],
        id="no-leap-day"),
    pytest.param(
        {"x.md": edit(("date: 2024-02-23", "date: 2024-2-3"))},
        ["cases/x.md:4: field 'date': '2024-2-3' is not a date; expected YYYY-MM-DD, "
         "e.g. 2024-02-23"],
        id="date-without-zero-padding"),
    pytest.param(
        {"x.md": edit(("  start: 2024-03-01", "  start: 2024-13-01"))},
        ["cases/x.md:15: field 'project.start': '2024-13-01' is not a real calendar date; "
         "expected YYYY-MM-DD, e.g. 2024-02-23"],
        id="nested-impossible-date"),
    pytest.param(
        {"x.md": edit(("---\n\n## Beslut", "publish_after: snart\n---\n\n## Beslut"))},
        ["cases/x.md:24: field 'publish_after': 'snart' is not a date; expected YYYY-MM-DD, "
         "e.g. 2024-02-23"],
        id="bad-publish-after"),
    pytest.param(
        {"x.md": edit(("  end: 2024-11-30", "  end: 2024-02-01"))},
        ["cases/x.md:16: field 'project.end': 2024-02-01 is before the start 2024-03-01; "
         "expected an end on or after the start"],
        id="project-end-before-start"),
    # -- amounts
    pytest.param(
        {"x.md": edit(("amount_sek: 100000", "amount_sek: 100 000"))},
        ["cases/x.md:20: field 'funding[0].amount_sek': '100 000' is not a whole number of "
         "kronor; expected an unquoted integer without spaces, e.g. 460000"],
        id="amount-with-spaces"),
    pytest.param(
        {"x.md": edit(("amount_sek: 100000", "amount_sek: -100000"))},
        ["cases/x.md:20: field 'funding[0].amount_sek': -100000 is negative; expected 0 or more"],
        id="negative-amount"),
    pytest.param(
        {"x.md": edit(("amount_sek: 100000", 'amount_sek: "100000"'))},
        ["cases/x.md:20: field 'funding[0].amount_sek': '100000' is not a whole number of "
         "kronor; expected an unquoted integer without spaces, e.g. 460000"],
        id="quoted-amount"),
    pytest.param(
        {"x.md": edit(("amount_sek: 100000", "amount_sek: 100000.50"))},
        ["cases/x.md:20: field 'funding[0].amount_sek': '100000.50' is not a whole number of "
         "kronor; expected an unquoted integer without spaces, e.g. 460000"],
        id="decimal-amount"),
    pytest.param(
        {"x.md": edit(("amount_sek: 60000", "amount_sek: 60 000 kr"))},
        ["cases/x.md:22: field 'funding[1].amount_sek': '60 000 kr' is not a whole number of "
         "kronor; expected an unquoted integer without spaces, e.g. 460000"],
        id="second-funding-amount"),
    pytest.param(
        {"x.md": edit(("  budget_sek: 200000", "  budget_sek: 1_000"))},
        ["cases/x.md:17: field 'project.budget_sek': '1_000' is not a whole number of kronor; "
         "expected an unquoted integer without spaces, e.g. 460000"],
        id="budget-with-underscore"),
    pytest.param(
        {"x.md": edit(("    amount_sek: 60000\n", ""))},
        ["cases/x.md:21: field 'funding[1].amount_sek': is missing; expected whole kronor as "
         "an integer, e.g. 460000"],
        id="missing-amount"),
    # -- programmes
    pytest.param(
        {"x.md": edit(("programme: react-eu", "programme: reakt-eu"))},
        ["cases/x.md:19: field 'funding[0].programme': unknown programme 'reakt-eu'; expected "
         "an id from cases/programmes.yml; did you mean 'react-eu'?"],
        id="unknown-programme-with-suggestion"),
    pytest.param(
        {"x.md": edit(("programme: egen-finansiering", "programme: tillvaxtverket-s4"))},
        ["cases/x.md:21: field 'funding[1].programme': unknown programme 'tillvaxtverket-s4'; "
         "expected an id from cases/programmes.yml; did you mean 'tillvaxtverket-s3' or "
         "'tillvaxtverket-1-1'?"],
        id="unknown-programme-two-suggestions"),
    pytest.param(
        {"x.md": edit(("programme: react-eu", "programme: eu"))},
        ["cases/x.md:19: field 'funding[0].programme': unknown programme 'eu'; expected an id "
         "from cases/programmes.yml"],
        id="unknown-programme-without-suggestion"),
    # -- status and diary number
    pytest.param(
        {"x.md": edit(("---\n\n## Beslut", "status: publised\n---\n\n## Beslut"))},
        ["cases/x.md:24: field 'status': 'publised' is not a status; expected published, "
         "draft or withdrawn; did you mean 'published'?"],
        id="bad-status"),
    pytest.param(
        {"x.md": edit(("diary_number: RUN/1/2024", "diary_number: run/1/2024"))},
        ["cases/x.md:2: field 'diary_number': 'run/1/2024' does not match the diary-number "
         "pattern; expected PREFIX/SERIAL/YEAR in ASCII capitals and digits, e.g. RUN/138/2024"],
        id="diary-number-pattern"),
    pytest.param(
        {"x.md": edit(("diary_number: RUN/1/2024", "diary_number: RUN/1/24"))},
        ["cases/x.md:2: field 'diary_number': 'RUN/1/24' does not match the diary-number "
         "pattern; expected PREFIX/SERIAL/YEAR in ASCII capitals and digits, e.g. RUN/138/2024"],
        id="diary-number-short-year"),
    pytest.param(
        {"x.md": edit(("  email: ingrid@example.se", "  email: ingrid(at)example.se"))},
        ["cases/x.md:8: field 'officer.email': 'ingrid(at)example.se' is not an e-mail "
         "address; expected name@example.se"],
        id="bad-email"),
    # -- wrong kinds of value
    pytest.param(
        {"x.md": edit(("title: Ett beslut", "title: [Ett, beslut]"))},
        ["cases/x.md:3: field 'title': is a list; expected text"],
        id="list-where-text-expected"),
    pytest.param(
        {"x.md": edit(("unit: Samhällsutveckling", "unit:\n  name: Samhällsutveckling"))},
        ["cases/x.md:5: field 'unit': is a group of fields; expected text"],
        id="map-where-text-expected"),
    pytest.param(
        {"x.md": edit(("unit: Samhällsutveckling\n",
                       "unit: Samhällsutveckling\ncopy_to: Tillväxtverket\n"))},
        ["cases/x.md:6: field 'copy_to': is a single value; expected a list, e.g. "
         "[Tillväxtverket]"],
        id="text-where-list-expected"),
    pytest.param(
        {"x.md": edit(("officer:\n  name: Ingrid Handläggare\n  email: ingrid@example.se\n"
                       "  phone: 063146527\n", "officer: Ingrid Handläggare\n"))},
        ["cases/x.md:6: field 'officer': is a single value; expected fields indented under "
         "it, e.g. 'name: ...'"],
        id="text-where-group-expected"),
    pytest.param(
        {"x.md": edit(("funding:\n  - programme: react-eu\n    amount_sek: 100000\n"
                       "  - programme: egen-finansiering\n    amount_sek: 60000\n"
                       "    note: Arbetstid\n", "funding: react-eu\n"))},
        ["cases/x.md:18: field 'funding': is a single value; expected a list of "
         "'- programme: ... amount_sek: ...' entries"],
        id="funding-not-a-list"),
    pytest.param(
        {"x.md": edit(("  phone: 063146527", "  phone: 063146527\n  protected: ja"))},
        ["cases/x.md:10: field 'officer.protected': 'ja' is not true or false; expected true "
         "or false"],
        id="protected-not-boolean"),
    pytest.param(
        {"x.md": edit(("title: Ett beslut", 'title: "  "'))},
        ["cases/x.md:3: field 'title': is empty; expected text"],
        id="empty-text"),
    # -- YAML the register refuses
    pytest.param(
        {"x.md": edit(("  phone: 063146527", "  phone: !!int 063146527"))},
        ["cases/x.md:9: YAML tag '!!int' is not allowed; expected a plain "
         "value, quoted if it must stay text"],
        id="yaml-tag"),
    pytest.param(
        {"x.md": edit(("officer:\n", "officer: &handlaggare\n"))},
        ["cases/x.md:6: anchor '&handlaggare' is not allowed; expected each value written out "
         "in full"],
        id="yaml-anchor"),
    pytest.param(
        {"x.md": edit(("  role: Direktör", "  role: *roll"))},
        ["cases/x.md:12: alias '*roll' is not allowed; expected each value written out in full"],
        id="yaml-alias"),
    pytest.param(
        {"x.md": edit(("unit: Samhällsutveckling", "unit: Samhällsutveckling\ntitle: Igen"))},
        ["cases/x.md:6: key 'title' appears twice (first on line 3); expected each key once"],
        id="duplicate-key"),
    pytest.param(
        {"x.md": edit(("title: Ett beslut", "title: Projekt: S3"))},
        ["cases/x.md:3: YAML syntax error: mapping values are not allowed in this context"],
        id="yaml-syntax-error"),
    pytest.param(
        {"x.md": edit(("---\n\n## Beslut", "\n## Beslut"))},
        ["cases/x.md:1: front matter is not closed; expected a line '---' after it"],
        id="unclosed-front-matter"),
    pytest.param(
        {"x.md": "## Beslut\n\nBeslutet fattas.\n"},
        ["cases/x.md:1: has no front matter; expected the file to start with '---', the case "
         "fields, and '---'"],
        id="no-front-matter"),
    pytest.param(
        {"x.md": "---\n- RUN/1/2024\n---\n"},
        ["cases/x.md:2: front matter is not a group of fields; expected 'field: value' lines"],
        id="front-matter-not-a-map"),
    # -- text hygiene
    pytest.param(
        {"x.md": edit(("title: Ett beslut", "title: Ett\u200bbeslut"))},
        ["cases/x.md:3: field 'title': contains the invisible character U+200B ZERO WIDTH "
         "SPACE; expected visible text only (retype the value)"],
        id="zero-width-character"),
    pytest.param(
        {"x.md": edit(("diary_number: RUN/1/2024", "diary_number: RUN/1/\u202e4202"))},
        ["cases/x.md:2: field 'diary_number': contains the invisible character U+202E "
         "RIGHT-TO-LEFT OVERRIDE; expected visible text only (retype the value)"],
        id="bidi-override"),
    pytest.param(
        {"x.md": edit(("    note: Arbetstid", "    note: Arbets\u2066tid"))},
        ["cases/x.md:23: field 'funding[1].note': contains the invisible character U+2066 "
         "LEFT-TO-RIGHT ISOLATE; expected visible text only (retype the value)"],
        id="bidi-isolate-nested"),
    pytest.param(
        {"x.md": b"---\ntitle: \xc5sa\n---\n"},
        ["cases/x.md:2: is not UTF-8 text (byte 0xC5); expected the file saved as UTF-8"],
        id="not-utf8"),
    # -- personal data
    pytest.param(
        {"x.md": edit(("Beslutet fattas.", f"Sökande {PNR} beviljas."))},
        [f"cases/x.md:28: contains a personal identity number ({PNR[:7]}****); expected no "
         "personal identity or coordination numbers: remove it or mask it with [[maskera: ...]]"],
        id="personnummer-in-body"),
    pytest.param(
        {"x.md": edit(("    note: Arbetstid", f"    note: Sökande {PNR}"))},
        [f"cases/x.md:23: contains a personal identity number ({PNR[:7]}****); expected no "
         "personal identity or coordination numbers: remove it or mask it with [[maskera: ...]]"],
        id="personnummer-in-front-matter"),
    pytest.param(
        {"x.md": edit(("Beslutet fattas.", "Sökande [[maskera: Anna Andersson beviljas."))},
        ["cases/x.md:28: '[[maskera' is not closed, or holds '[['; expected "
        "']]' after the text to hide, and no brackets inside it"],
        id="unclosed-mask"),
    pytest.param(
        {"x.md": edit(("title: Ett beslut", 'title: "Bidrag till [[maskera: Anna]]"'))},
        ["cases/x.md:3: field 'title': contains '[[maskera', which works only in the text "
         "below the front matter; expected the field without hidden text"],
        id="mask-in-front-matter"),
    # -- across files
    pytest.param(
        {"a.md": VALID, "b.md": VALID},
        ["cases/b.md:2: field 'diary_number': 'RUN/1/2024' is already used by cases/a.md:2; "
         "expected a unique diary number"],
        id="duplicate-diary-number"),
    pytest.param(
        {"a.md": edit(("date: 2024-02-23", "date: 2024-02-31")),
         "b/c.md": edit(("title: Ett beslut\n", ""))},
        ["cases/a.md:4: field 'date': '2024-02-31' is not a real calendar date; expected "
         "YYYY-MM-DD, e.g. 2024-02-23",
         "cases/b/c.md:1: field 'title': is missing; expected the ärendemening as text"],
        id="problems-of-every-file"),
    pytest.param(
        {"x.md": edit(("date: 2024-02-23", "date: 2024-02-30"),
                      ("amount_sek: 100000", "amount_sek: -1"),
                      ("role: Direktör", "role: [a]"))},
        ["cases/x.md:4: field 'date': '2024-02-30' is not a real calendar date; expected "
         "YYYY-MM-DD, e.g. 2024-02-23",
         "cases/x.md:12: field 'decided_by.role': is a list; expected text",
         "cases/x.md:20: field 'funding[0].amount_sek': -1 is negative; expected 0 or more"],
        id="every-problem-of-one-file"),
    # -- corrections
    pytest.param(
        {"x.md": notices(("kind: rättelse", "kind: rättels\u0435"))},  # a Cyrillic ie
        ["cases/x.md:26: field 'corrections[0].kind': 'rättels\u0435' is not a kind; expected "
         "rättelse or ändring; did you mean 'rättelse'?"],
        id="unknown-kind-with-suggestion"),
    pytest.param(
        {"x.md": notices(("kind: ändring", "kind: Ändring"))},
        ["cases/x.md:29: field 'corrections[1].kind': 'Ändring' is not a kind; expected "
         "rättelse or ändring; did you mean 'ändring'?"],
        id="kind-capitalised"),
    pytest.param(
        {"x.md": notices(("kind: rättelse", "kind: fel"))},
        ["cases/x.md:26: field 'corrections[0].kind': 'fel' is not a kind; expected rättelse "
         "or ändring"],
        id="unknown-kind-without-suggestion"),
    pytest.param(
        {"x.md": notices(("    kind: rättelse\n", ""))},
        ["cases/x.md:25: field 'corrections[0].kind': is missing; expected rättelse or ändring"],
        id="correction-kind-missing"),
    pytest.param(
        {"x.md": notices(("    text: Beloppet rättat från 10 000 till 100 000 kronor.\n", ""))},
        ["cases/x.md:25: field 'corrections[0].text': is missing; expected what was corrected "
         "or changed, as text"],
        id="correction-text-missing"),
    pytest.param(
        {"x.md": notices(("    text: Projekttiden förlängd.", "    text:"))},
        ["cases/x.md:28: field 'corrections[1].text': is missing; expected what was corrected "
         "or changed, as text"],
        id="correction-text-blank"),
    pytest.param(
        {"x.md": notices(("    text: Projekttiden förlängd.", '    text: " "'))},
        ["cases/x.md:30: field 'corrections[1].text': is empty; expected text"],
        id="correction-text-empty"),
    pytest.param(
        {"x.md": notices(("  - date: 2024-04-10\n    kind", "  - kind"))},
        ["cases/x.md:28: field 'corrections[1].date': is missing; expected the date of the "
         "correction, YYYY-MM-DD"],
        id="correction-date-missing"),
    pytest.param(
        {"x.md": notices(("date: 2024-03-04", "date: 2024-02-30"))},
        ["cases/x.md:25: field 'corrections[0].date': '2024-02-30' is not a real calendar "
         "date; expected YYYY-MM-DD, e.g. 2024-02-23"],
        id="correction-impossible-date"),
    pytest.param(
        {"x.md": notices(("date: 2024-04-10", "date: 2024-03-01"))},
        ["cases/x.md:28: field 'corrections[1].date': 2024-03-01 is before 2024-03-04, the "
         "date of corrections[0]; expected corrections oldest first"],
        id="corrections-out-of-order"),
    pytest.param(
        {"x.md": notices(("date: 2024-03-04", "date: 2024-02-22"))},
        ["cases/x.md:25: field 'corrections[0].date': 2024-02-22 is before the decision date "
         "2024-02-23; expected a date on or after it"],
        id="correction-before-decision"),
    pytest.param(
        {"x.md": notices(("decision: RUN/90/2024", "decision: RUN-90-2024"))},
        ["cases/x.md:31: field 'corrections[1].decision': 'RUN-90-2024' does not match the "
         "diary-number pattern; expected PREFIX/SERIAL/YEAR in ASCII capitals and digits, "
         "e.g. RUN/138/2024"],
        id="correction-decision-pattern"),
    pytest.param(
        {"x.md": notices(("decision: RUN/90/2024", "decision: RUN/1/2024"))},
        ["cases/x.md:31: field 'corrections[1].decision': 'RUN/1/2024' is this decision's own "
         "diary number; expected the diary number of the decision that made the change"],
        id="correction-decision-own-number"),
    pytest.param(
        {"x.md": notices(("    decision: RUN/90/2024", "    decison: RUN/90/2024"))},
        ["cases/x.md:31: field 'corrections[1].decison': unknown field; expected one of date, "
         "kind, text, decision; did you mean 'decision'?"],
        id="unknown-key-in-correction"),
    pytest.param(
        {"x.md": notices(("    decision: RUN/90/2024", "    diarienummer: RUN/90/2024"))},
        ["cases/x.md:31: field 'corrections[1].diarienummer': unknown field; expected one of "
         "date, kind, text, decision"],
        id="unknown-key-in-correction-without-suggestion"),
    pytest.param(
        {"x.md": ending("corrections: rättelse\n")},
        ["cases/x.md:24: field 'corrections': is a single value; expected a list of "
         "'- date: ... kind: ... text: ...' entries, oldest first"],
        id="corrections-not-a-list"),
    pytest.param(
        {"x.md": ending("corrections:\n  - rättelse\n")},
        ["cases/x.md:25: field 'corrections[0]': is a single value; expected fields indented "
         "under it, e.g. 'date: ...'"],
        id="correction-not-a-group"),
    pytest.param(
        {"x.md": notices(("    text: Projekttiden förlängd.",
                          "    text: Projekttiden\u200bförlängd."))},
        ["cases/x.md:30: field 'corrections[1].text': contains the invisible character U+200B "
         "ZERO WIDTH SPACE; expected visible text only (retype the value)"],
        id="correction-text-invisible-character"),
    pytest.param(
        {"x.md": notices(("    text: Projekttiden förlängd.",
                          "    text: 'Projekttiden förlängd för [[maskera: Anna]].'"))},
        ["cases/x.md:30: field 'corrections[1].text': contains '[[maskera', which works only "
         "in the text below the front matter; expected the field without hidden text"],
        id="correction-text-mask"),
    pytest.param(
        {"x.md": notices(("    text: Projekttiden förlängd.",
                          f"    text: Sökande {PNR} har bytt adress."))},
        [f"cases/x.md:30: contains a personal identity number ({PNR[:7]}****); expected no "
         "personal identity or coordination numbers: remove it or mask it with [[maskera: ...]]"],
        id="correction-text-personnummer"),
    # -- revocation
    pytest.param(
        {"x.md": notices(("  date: 2024-05-20", "  date: 2024-01-31"))},
        ["cases/x.md:33: field 'revoked.date': 2024-01-31 is before the decision date "
         "2024-02-23; expected a date on or after it"],
        id="revocation-before-decision"),
    pytest.param(
        {"x.md": notices(("  date: 2024-05-20\n", ""))},
        ["cases/x.md:32: field 'revoked.date': is missing; expected the date it was revoked, "
         "YYYY-MM-DD"],
        id="revocation-date-missing"),
    pytest.param(
        {"x.md": notices(("by: RUN/91/2024", "by: run/91/2024"))},
        ["cases/x.md:34: field 'revoked.by': 'run/91/2024' does not match the diary-number "
         "pattern; expected PREFIX/SERIAL/YEAR in ASCII capitals and digits, e.g. RUN/138/2024"],
        id="revoked-by-pattern"),
    pytest.param(
        {"x.md": notices(("by: RUN/91/2024", "by: RUN/1/2024"))},
        ["cases/x.md:34: field 'revoked.by': 'RUN/1/2024' is this decision's own diary number; "
         "expected the diary number of the decision that revoked it"],
        id="revoked-by-own-number"),
    pytest.param(
        {"x.md": notices(("  by: RUN/91/2024", "  av: RUN/91/2024"))},
        ["cases/x.md:34: field 'revoked.av': unknown field; expected one of date, by, text"],
        id="unknown-key-in-revoked"),
    pytest.param(
        {"x.md": ending("revoked: 2024-05-20\n")},
        ["cases/x.md:24: field 'revoked': is a single value; expected fields indented under "
         "it, e.g. 'date: ...'"],
        id="revoked-not-a-group"),
    # -- withdrawal
    pytest.param(
        {"x.md": ending("status: withdrawn\n")},
        ["cases/x.md:24: field 'withdrawn_on': is missing; expected the date the decision was "
         "taken off the web, YYYY-MM-DD, with status: withdrawn"],
        id="withdrawn-without-date"),
    pytest.param(
        {"x.md": ending("withdrawn_on: 2024-09-01\n")},
        ["cases/x.md:24: field 'withdrawn_on': is set, but the status is published; expected "
         "status: withdrawn with it, or the line left out"],
        id="withdrawn-on-without-status"),
    pytest.param(
        {"x.md": ending("status: draft\nwithdrawn_on: 2024-09-01\n")},
        ["cases/x.md:25: field 'withdrawn_on': is set, but the status is draft; expected "
         "status: withdrawn with it, or the line left out"],
        id="withdrawn-on-with-draft"),
    pytest.param(
        {"x.md": ending("status: withdrawn\nwithdrawn_on:\n")},
        ["cases/x.md:25: field 'withdrawn_on': is blank; expected the date the decision was "
         "taken off the web, YYYY-MM-DD, or the line left out"],
        id="blank-withdrawn-on"),
    pytest.param(
        {"x.md": ending("withdrawn_on: ~\n")},
        ["cases/x.md:24: field 'withdrawn_on': is blank; expected the date the decision was "
         "taken off the web, YYYY-MM-DD, or the line left out"],
        id="null-withdrawn-on-without-status"),
    pytest.param(
        {"x.md": ending("status: withdrawn\nwithdrawn_on: 2024-02-22\n")},
        ["cases/x.md:25: field 'withdrawn_on': 2024-02-22 is before the decision date "
         "2024-02-23; expected a date on or after it"],
        id="withdrawn-before-decision"),
    pytest.param(
        {"x.md": ending("status: withdrawn\nwithdrawn_on: 1/9 2024\n")},
        ["cases/x.md:25: field 'withdrawn_on': '1/9 2024' is not a date; expected YYYY-MM-DD, "
         "e.g. 2024-02-23"],
        id="withdrawn-on-not-a-date"),
    pytest.param(
        {"x.md": ending("status:\nwithdrawn_on: 2024-09-01\n")},
        ["cases/x.md:24: field 'status': is blank; expected published, draft or withdrawn, or "
         "the line left out"],
        id="withdrawn-on-with-blank-status"),
    pytest.param(
        {"x.md": ending("status: withdrawm\nwithdrawn_on: 2024-09-01\n")},
        ["cases/x.md:24: field 'status': 'withdrawm' is not a status; expected published, "
         "draft or withdrawn; did you mean 'withdrawn'?"],
        id="withdrawn-misspelled"),
]


@pytest.mark.parametrize(("files", "expected"), BAD_INPUT)
def test_bad_input(tmp_path: Path, files: dict[str, str | bytes], expected: list[str]) -> None:
    result = load(tmp_path / "project", files)
    assert [str(p) for p in result.problems] == expected
    assert not result.ok


def test_valid_case_reads_every_field(tmp_path: Path) -> None:
    text = edit(("  role: Direktör\n", "  role: Direktör\n"
                 "delegation: Delegationsordning, punkt 8.2\n"
                 "reported_to: Regionala utvecklingsnämnden\n"
                 "copy_to: [Tillväxtverket, Region Västernorrland]\n"
                 "status: draft\n"
                 "publish_after: 2024-03-01\n"))
    result = load(tmp_path / "project", {"x.md": text})
    assert result.problems == []
    [case] = result.cases
    assert case.diary_number == "RUN/1/2024" and case.slug == "run-1-2024"
    assert case.title == "Ett beslut"
    assert case.date == date(2024, 2, 23) and case.year == 2024
    assert case.unit == "Samhällsutveckling"
    assert case.officer == Officer("Ingrid Handläggare", "ingrid@example.se", "063146527", False)
    assert case.decided_by == DecisionMaker("Magnus Beslutsfattare", "Direktör")
    assert case.delegation == "Delegationsordning, punkt 8.2"
    assert case.reported_to == "Regionala utvecklingsnämnden"
    assert case.copy_to == ("Tillväxtverket", "Region Västernorrland")
    assert case.project == Project("Projektet", date(2024, 3, 1), date(2024, 11, 30), 200000)
    assert case.funding == (Funding("react-eu", 100000), Funding("egen-finansiering", 60000,
                                                                  "Arbetstid"))
    assert case.total_sek == 160000
    assert case.status == "draft" and case.publish_after == date(2024, 3, 1)
    assert case.source == "cases/x.md" and case.body_line == 30
    assert case.body == "\n## Beslut\n\nBeslutet fattas.\n"
    assert case.field_lines["diary_number"] == 2 and case.field_lines["funding"] == 23


@pytest.mark.parametrize(
    ("changes", "attribute", "expected"),
    [
        pytest.param((("  email: ingrid@example.se\n", "  email:\n"),), "officer",
                     Officer("Ingrid Handläggare", None, "063146527"),
                     id="empty-optional-is-absent"),
        pytest.param((("  phone: 063146527", "  phone: '063-14 65 27'"),), "officer",
                     Officer("Ingrid Handläggare", "ingrid@example.se", "063-14 65 27"),
                     id="quoted-phone"),
        pytest.param((("  phone: 063146527", "  phone: 063146527\n  protected: true"),), "officer",
                     Officer("Ingrid Handläggare", "ingrid@example.se", "063146527", True),
                     id="protected"),
        pytest.param((("title: Ett beslut", "title: '  Ett beslut  '"),), "title", "Ett beslut",
                     id="text-is-stripped"),
        pytest.param((("unit: Samhällsutveckling", "unit: Samha\u0308llsutveckling"),), "unit",
                     "Samhällsutveckling", id="text-is-nfc"),
        pytest.param((("date: 2024-02-23", "date: '2024-02-23'"),), "date", date(2024, 2, 23),
                     id="quoted-date"),
        pytest.param((("date: 2024-02-23", "date: 2024-02-29"),), "date", date(2024, 2, 29),
                     id="leap-day"),
        pytest.param((("amount_sek: 100000", "amount_sek: 0"),), "total_sek", 60000,
                     id="zero-amount"),
        pytest.param((("funding:\n  - programme: react-eu\n    amount_sek: 100000\n"
                       "  - programme: egen-finansiering\n    amount_sek: 60000\n"
                       "    note: Arbetstid\n", ""),), "funding", (), id="no-funding"),
        pytest.param((("  end: 2024-11-30", "  end: 2024-03-01"),), "project",
                     Project("Projektet", date(2024, 3, 1), date(2024, 3, 1), 200000),
                     id="one-day-project"),
    ],
)
def test_valid_variants(
    tmp_path: Path, changes: tuple[tuple[str, str], ...], attribute: str, expected: object
) -> None:
    result = load(tmp_path / "project", {"x.md": edit(*changes)})
    assert result.problems == []
    assert getattr(result.cases[0], attribute) == expected


def test_valid_case_with_notices(tmp_path: Path) -> None:
    result = load(tmp_path / "project", {"x.md": NOTICES})
    assert result.problems == []
    [case] = result.cases
    assert case.corrections == (
        Correction(date(2024, 3, 4), "rättelse",
                   "Beloppet rättat från 10 000 till 100 000 kronor."),
        Correction(date(2024, 4, 10), "ändring", "Projekttiden förlängd.", "RUN/90/2024"),
    )
    assert case.revoked == Revocation(date(2024, 5, 20), "RUN/91/2024",
                                      "Förstudien genomförs inte.")
    assert case.status == "published" and case.withdrawn_on is None
    assert case.modified == date(2024, 5, 20)
    assert case.field_lines["corrections"] == 24 and case.field_lines["revoked"] == 32


def test_withdrawn_case(tmp_path: Path) -> None:
    text = ending("status: withdrawn\nwithdrawn_on: 2024-09-01\n")
    result = load(tmp_path / "project", {"x.md": text})
    assert result.problems == []
    [case] = result.cases
    assert case.status == "withdrawn" and case.withdrawn_on == date(2024, 9, 1)
    assert case.corrections == () and case.revoked is None
    assert case.field_lines["withdrawn_on"] == 25


@pytest.mark.parametrize(
    ("text", "attribute", "expected"),
    [
        pytest.param(notices(("kind: rättelse", "kind: ra\u0308ttelse")), "corrections",
                     (Correction(date(2024, 3, 4), "rättelse",
                                 "Beloppet rättat från 10 000 till 100 000 kronor."),
                      Correction(date(2024, 4, 10), "ändring", "Projekttiden förlängd.",
                                 "RUN/90/2024")),
                     id="kind-is-nfc"),
        pytest.param(notices(("kind: ändring", "kind: 'ändring'"),
                             ("date: 2024-04-10", "date: 2024-03-04")), "corrections",
                     (Correction(date(2024, 3, 4), "rättelse",
                                 "Beloppet rättat från 10 000 till 100 000 kronor."),
                      Correction(date(2024, 3, 4), "ändring", "Projekttiden förlängd.",
                                 "RUN/90/2024")),
                     id="two-corrections-one-day"),
        pytest.param(ending("corrections:\n  - date: 2024-02-23\n    kind: rättelse\n"
                            "    text: '  Rättat.  '\n"), "corrections",
                     (Correction(date(2024, 2, 23), "rättelse", "Rättat."),),
                     id="correction-on-decision-day"),
        pytest.param(notices(("  by: RUN/91/2024\n  text: Förstudien genomförs inte.\n", "")),
                     "revoked", Revocation(date(2024, 5, 20)), id="revocation-date-only"),
        pytest.param(ending("revoked:\n  date: 2024-02-23\n"), "revoked",
                     Revocation(date(2024, 2, 23)), id="revoked-on-decision-day"),
        pytest.param(ending("status: withdrawn\nwithdrawn_on: 2024-02-23\n"), "withdrawn_on",
                     date(2024, 2, 23), id="withdrawn-on-decision-day"),
        pytest.param(ending("status: withdrawn\nwithdrawn_on: 2024-09-01\n", text=NOTICES),
                     "revoked", Revocation(date(2024, 5, 20), "RUN/91/2024",
                                           "Förstudien genomförs inte."),
                     id="withdrawn-keeps-its-notices"),
        pytest.param(ending("corrections: []\n"), "corrections", (), id="no-corrections"),
    ],
)
def test_valid_notices(tmp_path: Path, text: str, attribute: str, expected: object) -> None:
    result = load(tmp_path / "project", {"x.md": text})
    assert result.problems == []
    assert getattr(result.cases[0], attribute) == expected


CUSTOM = CaseRules(r"[0-9]{4}-[0-9]+", "YEAR-SERIAL, e.g. 2024-17")


@pytest.mark.parametrize(
    ("diary_number", "expected"),
    [
        pytest.param("2024-17", [], id="matches"),
        pytest.param("RUN/1/2024", ["cases/x.md:2: field 'diary_number': 'RUN/1/2024' does not "
                                    "match the diary-number pattern; expected YEAR-SERIAL, "
                                    "e.g. 2024-17"], id="default-form-refused"),
        pytest.param("2024-17x", ["cases/x.md:2: field 'diary_number': '2024-17x' does not "
                                  "match the diary-number pattern; expected YEAR-SERIAL, "
                                  "e.g. 2024-17"], id="whole-number-must-match"),
    ],
)
def test_custom_diary_pattern(tmp_path: Path, diary_number: str, expected: list[str]) -> None:
    text = edit(("diary_number: RUN/1/2024", f"diary_number: '{diary_number}'"))
    assert messages(tmp_path / "project", {"x.md": text}, CUSTOM) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param((("decision: RUN/90/2024", "decision: '2024-90'"),
                      ("by: RUN/91/2024", "by: '2024-91'")), [], id="match"),
        pytest.param((("by: RUN/91/2024", "by: '2024-91'"),),
                     ["cases/x.md:31: field 'corrections[1].decision': 'RUN/90/2024' does not "
                      "match the diary-number pattern; expected YEAR-SERIAL, e.g. 2024-17"],
                     id="decision-default-form-refused"),
        pytest.param((("decision: RUN/90/2024", "decision: '2024-90'"),),
                     ["cases/x.md:34: field 'revoked.by': 'RUN/91/2024' does not match the "
                      "diary-number pattern; expected YEAR-SERIAL, e.g. 2024-17"],
                     id="by-default-form-refused"),
    ],
)
def test_references_use_the_diary_pattern(
    tmp_path: Path, changes: tuple[tuple[str, str], ...], expected: list[str]
) -> None:
    text = notices(("diary_number: RUN/1/2024", "diary_number: '2024-1'"), *changes)
    assert messages(tmp_path / "project", {"x.md": text}, CUSTOM) == expected


def test_two_diary_numbers_with_one_address(tmp_path: Path) -> None:
    rules = CaseRules(r"[A-Z]+[/ ][0-9]+[/ ][0-9]{4}", "e.g. RUN 1 2024")
    files = {"a.md": VALID, "b.md": edit(("diary_number: RUN/1/2024", "diary_number: RUN 1 2024"))}
    assert messages(tmp_path / "project", files, rules) == [
        "cases/b.md:2: field 'diary_number': 'RUN 1 2024' is already used by cases/a.md:2 "
        "('RUN/1/2024', same address /run-1-2024/); expected a unique diary number"]


# -- programmes.yml ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("programmes", "expected"),
    [
        pytest.param("Tillvaxtverket:\n  name: X\n",
                     ["cases/programmes.yml:1: field 'Tillvaxtverket': is not a valid programme "
                      "id; expected lower-case letters, digits and hyphens, e.g. "
                      "tillvaxtverket-s3"], id="bad-id"),
        pytest.param("react-eu:\n  funder: EU\n",
                     ["cases/programmes.yml:1: field 'react-eu.name': is missing; expected the "
                      "programme's public name"], id="missing-name"),
        pytest.param("react-eu:\n  name: X\n  url: www.example.eu\n",
                     ["cases/programmes.yml:3: field 'react-eu.url': 'www.example.eu' is not a "
                      "web address; expected https://..."], id="bad-url"),
        pytest.param("react-eu:\n  name: X\n  namn: Y\n",
                     ["cases/programmes.yml:3: field 'react-eu.namn': unknown field; expected "
                      "one of name, funder, url, description; did you mean 'name'?"],
                     id="unknown-field"),
        pytest.param("react-eu: REACT-EU\n",
                     ["cases/programmes.yml:1: field 'react-eu': is a single value; expected "
                      "fields indented under it, e.g. 'name: ...'"], id="not-a-group"),
        pytest.param("- react-eu\n",
                     ["cases/programmes.yml:1: is not a list of programmes; expected "
                      "'programme-id:' lines with 'name:' indented under each"], id="a-list"),
        pytest.param("react-eu:\n  name: X\nreact-eu:\n  name: Y\n",
                     ["cases/programmes.yml:3: key 'react-eu' appears twice (first on line 1); "
                      "expected each key once"], id="duplicate-id"),
    ],
)
def test_bad_programmes(tmp_path: Path, programmes: str, expected: list[str]) -> None:
    root = tmp_path / "project"
    (root / "cases").mkdir(parents=True)
    (root / "cases" / "programmes.yml").write_text(programmes, encoding="utf-8")
    assert [str(p) for p in load_register(root / "cases", root).problems] == expected


def test_programmes_are_read_in_order(tmp_path: Path) -> None:
    result = load(tmp_path / "project", {})
    assert list(result.programmes) == [
        "tillvaxtverket-s3", "react-eu", "tillvaxtverket-1-1", "egen-finansiering"]
    assert result.programmes["tillvaxtverket-s3"].name == "Tillväxtverket – S3"
    assert result.programmes["tillvaxtverket-s3"].funder == "Tillväxtverket"
    assert result.programmes["react-eu"].funder is None


# -- the seed cases ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> dict[str, Case]:
    result = load_register(REPO / "cases", REPO)
    assert result.problems == []
    return {case.diary_number: case for case in result.cases}


def test_seed_run_138_2024(seeds: dict[str, Case]) -> None:
    case = seeds["RUN/138/2024"]
    assert case.source == "cases/run-138-2024.md" and case.slug == "run-138-2024"
    assert case.title == "Projekt: Stärka samarbeten med regioner i EU utifrån S3"
    assert case.date == date(2024, 2, 23)
    assert case.unit == "Samhällsutveckling"
    assert case.officer == Officer("Ingrid Ahnlund Rode", "ingrid.ahnlund-rode@regionjh.se")
    assert case.decided_by == DecisionMaker("Magnus Aspegren", "Regional utvecklingsdirektör")
    assert case.delegation == ("Delegationsbestämmelser för regionala utvecklingsnämnden i "
                               "Region Jämtland Härjedalen 2023–2026, punkt 8.2")
    assert case.reported_to == "Regionala utvecklingsnämnden"
    assert case.copy_to == ("Tillväxtverket",)
    assert case.project == Project(
        "Stärka samarbeten med regioner i EU utifrån smart specialisering",
        date(2024, 3, 1), date(2024, 11, 30), 920000)
    assert [(f.programme, f.amount_sek) for f in case.funding] == [
        ("tillvaxtverket-s3", 460000), ("egen-finansiering", 460000)]
    assert case.total_sek == 920000
    assert case.status == "published" and case.publish_after is None
    assert "## Ärendebeskrivning" in case.body and "## Utdrag till" in case.body


def test_seed_run_245_2021(seeds: dict[str, Case]) -> None:
    case = seeds["RUN/245/2021"]
    assert case.date == date(2021, 3, 15)
    assert case.unit == "Näringsliv och samhällsbyggnad"
    assert case.officer == Officer("Åsa Hernerud", "asa.hernerud@regionjh.se", "063146529")
    assert case.officer.phone == "063146529"  # text, leading zero kept
    assert case.decided_by == DecisionMaker("Anna Halvarsson", "Områdeschef Hållbar tillväxt")
    assert case.project == Project("CO-RESPONS", date(2021, 4, 1), date(2023, 10, 31), None)
    assert [(f.programme, f.amount_sek) for f in case.funding] == [
        ("react-eu", 1798740), ("tillvaxtverket-1-1", 900000)]
    assert case.copy_to == ()


# -- helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("diary_number", "slug"),
    [
        pytest.param("RUN/138/2024", "run-138-2024", id="default"),
        pytest.param("KS 2024/0017", "ks-2024-0017", id="spaces"),
        pytest.param("ÖVR-12:3", "ovr-12-3", id="swedish-letter"),
        pytest.param("/A//1/", "a-1", id="edges"),
    ],
)
def test_slugify(diary_number: str, slug: str) -> None:
    assert slugify(diary_number) == slug


def test_suggest() -> None:
    assert suggest("titel", ("title", "date")) == "; did you mean 'title'?"
    assert suggest("zzz", ("title", "date")) == ""
