"""``beslutsregister import``: decisions from the Word template become draft case files.

The seeds round-trip (from their text and from .docx files made from it) to the fields of
the hand-written case files; the parser is tested table-driven; the command end to end,
with its exact report and refusals, and ``beslutsregister check`` on what it wrote.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest

from beslutsregister.core.importer import NotADecision, parse_decision
from beslutsregister.core.loading import load_register
from beslutsregister.core.model import Case
from helpers import REPO, Site, make_site

#: The two real decisions as converted from Word (copies of shared/seeds/).
SEEDS = Path(__file__).parent / "data" / "seeds"
SEED_138 = SEEDS / "000_68f109309c86f15e.txt"
SEED_245 = SEEDS / "004_5e135a2086600722.txt"
DATA = REPO / "tests" / "data" / "import"

#: Case fields that the import leaves to staff, or that are not facts of the decision.
NOT_COMPARED = {"funding", "status", "body", "source", "body_line", "field_lines",
                "publish_after"}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BESLUTSREGISTER_TODAY"}
    result = subprocess.run([sys.executable, "-m", "beslutsregister", *args], cwd=cwd,
                            env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def facts(case: Case) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(case).items() if k not in NOT_COMPARED}


def loaded(site: Site) -> dict[str, Case]:
    result = load_register(site.cases, site.root)
    assert result.ok, [str(p) for p in result.problems]
    return {case.diary_number: case for case in result.cases}


def hand_written() -> dict[str, Case]:
    return {case.diary_number: case for case in load_register(REPO / "cases", REPO).cases}


def text_to_docx(text: str, path: Path) -> Path:
    """A .docx of a decision's text: headings as heading styles, one paragraph per line."""
    document = docx.Document()
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        marks = len(stripped) - len(stripped.lstrip("#"))
        if marks and stripped[marks:marks + 1] == " ":
            document.add_heading(stripped[marks:].strip(), level=marks)
        else:
            document.add_paragraph(stripped)
    document.save(str(path))
    return path


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "project")


# --- the seeds round-trip ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["text", "docx"])
def test_seeds_round_trip_to_the_hand_written_cases(site: Site, tmp_path: Path,
                                                     kind: str) -> None:
    sources = []
    for seed in (SEED_138, SEED_245):
        if kind == "text":
            sources.append(seed)
        else:
            text = seed.read_text(encoding="utf-8")
            sources.append(text_to_docx(text, tmp_path / f"{seed.stem}.docx"))
    result = run("import", *map(str, sources), cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    imported = loaded(site)
    expected = hand_written()
    for number in ("RUN/138/2024", "RUN/245/2021"):
        assert facts(imported[number]) == facts(expected[number])
        assert imported[number].status == "draft"
        assert imported[number].funding == ()
    assert sorted(p.name for p in site.cases.glob("*.md")) == ["run-138-2024.md",
                                                              "run-245-2021.md"]
    check = run("check", cwd=site.root)
    assert check.returncode == 0 and "2 drafts" in check.stdout, check.stderr


def test_the_report_of_the_seeds(site: Site) -> None:
    result = run("import", str(SEED_138), str(SEED_245), cwd=site.root)
    a, b = str(SEED_138), str(SEED_245)
    assert result.stdout.splitlines() == [
        f"{a}: wrote cases/run-138-2024.md (status: draft)",
        f"{a}: found diary_number, title, date, unit, officer.name, officer.email, "
        "decided_by.name, decided_by.role, delegation, reported_to, copy_to, project.name, "
        "project.start, project.end, project.budget_sek",
        f"{a}: field 'officer.phone': 'Tfn:' is empty; left out",
        f"{a}: 3 amounts listed above 'funding:'; assign them to programme ids",
        f"{b}: wrote cases/run-245-2021.md (status: draft)",
        f"{b}: found diary_number, title, date, unit, officer.name, officer.email, "
        "officer.phone, decided_by.name, decided_by.role, delegation, reported_to, "
        "project.name, project.start, project.end",
        f"{b}: field 'copy_to': no Utdrag till section; left out",
        f"{b}: 3 amounts listed above 'funding:'; assign them to programme ids",
        "Imported 2 of 2 files; each is a draft (status: draft) until you have checked it.",
    ]


def test_what_is_written(site: Site) -> None:
    run("import", str(SEED_138), str(SEED_245), cwd=site.root)
    text = (site.cases / "run-245-2021.md").read_text(encoding="utf-8")
    assert '  phone: "063146529"\n' in text  # text stays text
    assert "#   1798740 (1 798 740 kronor, Ärendebeskrivning): Det sökta beloppet från " \
           "REACT-EU är 1 798 740 kronor.\n" in text
    assert "#   900000 (900 000, Ärendebeskrivning):" in text
    assert "\nfunding: []\nstatus: draft\n---\n" in text
    assert "programme:" not in text.split("---")[1].replace("'- programme: ID'", "")
    body = loaded(site)["RUN/245/2021"].body
    assert body.lstrip("\n").startswith("## Ärendebeskrivning\n\nCoronapandemin")
    assert "\n1. Nå fler företag" in body and "\n3. Träffsäkra" in body
    assert "Anna Halvarsson<br>\nOmrådeschef Hållbar tillväxt\n" in body
    for heading in ("Beslutsunderlag", "Delegationsbestämmelse och delegation", "Beslut",
                    "Anmälan"):
        assert f"\n## {heading}\n\n" in body
    body_138 = loaded(site)["RUN/138/2024"].body
    assert "S3<br>\nProjektinitiativ" in body_138 and body_138.endswith(
        "## Utdrag till\n\nTillväxtverket\n")


# --- the parser, table-driven ------------------------------------------------------

LETTERHEAD = ["Samhällsutveckling  ", "Ingrid Ahnlund Rode  ", "Tfn:  ",
              "E-post: ingrid@regionjh.se", "", "2024-02-23", "", "RUN/138/2024", "",
              "Projekt: Ett exempel", ""]
SECTIONS = ["### Ärendebeskrivning", "", "Text.", "", "### Delegationsbestämmelse och "
            "delegation", "", "Delegationsbestämmelser 2023–2026, punkt 8.2", "",
            "## Beslut", "", "Beslutet fattas under perioden 2024-03-01 – 2024-11-30.", "",
            "Magnus Aspegren  ", "Regional utvecklingsdirektör", "", "## Anmälan", "",
            "Beslutet anmäls till regionala utvecklingsnämnden", "", "## Utdrag till", "",
            "Tillväxtverket  ", "Ekonomiavdelningen"]


def replaced(lines: list[str], old: str, new: str | list[str]) -> list[str]:
    index = lines.index(old)
    return [*lines[:index], *([new] if isinstance(new, str) else new), *lines[index + 1:]]


PARSER_CASES: list[tuple[str, list[str], dict[str, Any]]] = [
    ("the layout", LETTERHEAD + SECTIONS, {
        "diary_number": "RUN/138/2024", "title": "Projekt: Ett exempel", "date": "2024-02-23",
        "unit": "Samhällsutveckling",
        "officer": {"name": "Ingrid Ahnlund Rode", "email": "ingrid@regionjh.se"},
        "decided_by": {"name": "Magnus Aspegren", "role": "Regional utvecklingsdirektör"},
        "delegation": "Delegationsbestämmelser 2023–2026, punkt 8.2",
        "reported_to": "Regionala utvecklingsnämnden",
        "copy_to": ["Tillväxtverket", "Ekonomiavdelningen"],
        "project": {"name": "Projekt: Ett exempel", "start": "2024-03-01",
                    "end": "2024-11-30"}}),
    ("a phone as written", replaced(LETTERHEAD, "Tfn:  ", "Tfn: 063-14 65 29") + SECTIONS,
     {"officer": {"name": "Ingrid Ahnlund Rode", "email": "ingrid@regionjh.se",
                  "phone": "063-14 65 29"}}),
    ("the title as a heading", replaced(LETTERHEAD, "Projekt: Ett exempel",
                                        "## Projekt: Ett exempel") + SECTIONS,
     {"title": "Projekt: Ett exempel"}),
    ("headings as plain lines", LETTERHEAD + [line.lstrip("# ") for line in SECTIONS],
     {"decided_by": {"name": "Magnus Aspegren", "role": "Regional utvecklingsdirektör"},
      "copy_to": ["Tillväxtverket", "Ekonomiavdelningen"]}),
    ("labels", replaced(replaced(LETTERHEAD, "2024-02-23", "Datum: 23 februari 2024"),
                        "RUN/138/2024", "Dnr: RUN/138/2024") + SECTIONS,
     {"date": "2024-02-23", "diary_number": "RUN/138/2024"}),
    ("från ... till, a named project",
     LETTERHEAD + replaced(SECTIONS, "Beslutet fattas under perioden 2024-03-01 – 2024-11-30.",
                           "Regionen deltar i projektet ”Norra länken” från 2021-04-01 till "
                           "2023-10-31."),
     {"project": {"name": "Norra länken", "start": "2021-04-01", "end": "2023-10-31"}}),
    ("a budget", LETTERHEAD + replaced(
        SECTIONS, "Text.", "Projektet har en total budget på 920 000 kronor."),
     {"project": {"name": "Projekt: Ett exempel", "start": "2024-03-01", "end": "2024-11-30",
                  "budget_sek": 920000}}),
    ("no period", LETTERHEAD + replaced(
        SECTIONS, "Beslutet fattas under perioden 2024-03-01 – 2024-11-30.", "Beslutet."),
     {"project": None}),
]


@pytest.mark.parametrize(("lines", "expected"), [(c[1], c[2]) for c in PARSER_CASES],
                         ids=[c[0] for c in PARSER_CASES])
def test_parser(lines: list[str], expected: dict[str, Any]) -> None:
    decision = parse_decision(lines)
    assert not decision.missing_required
    for key, value in expected.items():
        assert decision.fields.get(key) == value, key


NOTE_CASES: list[tuple[str, list[str], tuple[str, str, bool]]] = [
    ("no signature", LETTERHEAD + replaced(replaced(SECTIONS, "Magnus Aspegren  ", []),
                                           "Regional utvecklingsdirektör", []),
     ("decided_by", "no signature after the Beslut section; fill it in", True)),
    ("no Beslut section", LETTERHEAD + SECTIONS[:8],
     ("decided_by", "no Beslut section, so no signature; fill it in", True)),
    ("a name without role", LETTERHEAD + replaced(SECTIONS, "Regional utvecklingsdirektör",
                                                  []),
     ("decided_by.role", "the signature has a name but no role on the line below it; fill "
      "it in", False)),
    ("no diary number", replaced(LETTERHEAD, "RUN/138/2024", []) + SECTIONS,
     ("diary_number", "no line with a diary number (PREFIX/SERIAL/YEAR in ASCII capitals "
      "and digits, e.g. RUN/138/2024) above the first section; fill it in", True)),
    ("no date", replaced(LETTERHEAD, "2024-02-23", []) + SECTIONS,
     ("date", "no line with the decision date (YYYY-MM-DD) above the first section; fill "
      "it in", True)),
    ("no point number", LETTERHEAD + replaced(SECTIONS, "Delegationsbestämmelser 2023–2026, "
                                              "punkt 8.2", "Delegationsordning för nämnden"),
     ("delegation", "no point number ('punkt ...') in the Delegationsbestämmelse och "
      "delegation section; add it", False)),
    ("no Tfn line", replaced(LETTERHEAD, "Tfn:  ", []) + SECTIONS,
     ("officer.phone", "no 'Tfn:' line in the letterhead; left out", False)),
]


@pytest.mark.parametrize(("lines", "note"), [(c[1], c[2]) for c in NOTE_CASES],
                         ids=[c[0] for c in NOTE_CASES])
def test_parser_notes(lines: list[str], note: tuple[str, str, bool]) -> None:
    notes = [(n.field, n.message, n.required) for n in parse_decision(lines).notes]
    assert note in notes


def test_not_a_decision() -> None:
    with pytest.raises(NotADecision):
        parse_decision(["Minnesanteckningar", "", "1. Övriga frågor"])


# --- the test decisions in tests/data/import ---------------------------------------

DATA_CASES: dict[str, dict[str, Any]] = {
    "kultur-12-2023.txt": {
        "diary_number": "RUN/12/2023", "unit": "Kultur och bildning",
        "title": "Bidrag till sommarturné för länsteatern",
        "officer": {"name": "Per Olof Lindqvist", "email": "per-olof.lindqvist@regionjh.se",
                    "phone": "010-142 30 00", "protected": False},
        "copy_to": ("Länsteatern", "Kommunernas kulturförvaltningar"),
        "reported_to": "Regionala utvecklingsnämnden", "funding": ()},
    "hs-7-2022.md": {
        "diary_number": "HS/7/2022", "unit": "Hälsa och sjukvård",
        "title": "Ändrade öppettider på jourmottagningen", "reported_to": None,
        "copy_to": (), "project": None, "funding": (),
        "decided_by": {"name": "Anders Eklund", "role": "Hälso- och sjukvårdsdirektör",
                       "protected": False}},
    "trafik-31-2025.txt": {
        "diary_number": "RUN/31/2025", "unit": "Kollektivtrafik",
        "officer": {"name": "Karin von Essen", "email": "karin.von.essen@regionjh.se",
                    "phone": "063-14 75 10", "protected": False},
        "decided_by": {"name": "Lars Nilsson", "role": "Kollektivtrafikchef",
                       "protected": False},
        "delegation": "Delegationsbestämmelser för regionala utvecklingsnämnden 2023–2026, "
                      "punkt 9.1"},
}


def test_test_decisions(site: Site) -> None:
    sources = [str(DATA / name) for name in DATA_CASES]
    result = run("import", *sources, cwd=site.root)
    assert result.returncode == 0, result.stderr
    by_number = {case.diary_number: dataclasses.asdict(case) for case in loaded(site).values()}
    for expected in DATA_CASES.values():
        case = by_number[expected["diary_number"]]
        for key, value in expected.items():
            assert case[key] == value, (expected["diary_number"], key)
    hs = (site.cases / "hs-7-2022.md").read_text(encoding="utf-8")
    assert "\nfunding:" not in hs and "Amounts" not in hs  # no amounts, no funding
    assert "#### " not in hs and "\n## Delegationsbestämmelse och delegation\n" in hs
    assert run("check", cwd=site.root).returncode == 0


def test_missing_required_field_writes_nothing(site: Site) -> None:
    result = run("import", str(DATA / "no-signature.txt"), cwd=site.root)
    name = str(DATA / "no-signature.txt")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{name}: field 'decided_by': no signature after the Beslut section; fill it in",
        f"{name}: 1 required field not found; nothing written",
    ]
    assert not list(site.cases.glob("*.md"))


def test_not_a_decision_file(site: Site) -> None:
    result = run("import", str(DATA / "not-a-decision.txt"), cwd=site.root)
    assert result.returncode == 1
    assert result.stderr == (
        f"{DATA / 'not-a-decision.txt'}: is not a decision: none of the sections "
        "Ärendebeskrivning, Beslutsunderlag, Delegationsbestämmelse och delegation, Beslut, "
        "Anmälan, Utdrag till; expected a decision from the template; nothing written\n")
    assert not list(site.cases.glob("*.md"))


# --- .docx -------------------------------------------------------------------------


def test_docx_lists_and_line_breaks(site: Site, tmp_path: Path) -> None:
    document = docx.Document()
    for line in ["Kultur", "Per Lind", "Tfn: 063-10 00 00", "E-post: per@regionjh.se",
                 "2023-04-18", "RUN/5/2023", "Ett beslut om listor"]:
        document.add_paragraph(line)
    document.add_heading("Ärendebeskrivning", level=3)
    document.add_paragraph("Bakgrund.")
    document.add_heading("Beslut", level=1)
    document.add_paragraph("Det första.", style="List Number")
    document.add_paragraph("Det andra.", style="List Number")
    signature = document.add_paragraph("Per Lind")
    signature.add_run().add_break()
    signature.add_run("Kulturchef")
    path = tmp_path / "listor.docx"
    document.save(str(path))
    result = run("import", str(path), cwd=site.root)
    assert result.returncode == 0, result.stderr
    case = loaded(site)["RUN/5/2023"]
    assert case.decided_by.name == "Per Lind" and case.decided_by.role == "Kulturchef"
    assert case.officer.phone == "063-10 00 00"
    assert "## Beslut\n\n1. Det första.\n2. Det andra.\n\nPer Lind<br>\nKulturchef\n" \
        in case.body


@pytest.mark.parametrize(("name", "data", "message"), [
    ("trasig.docx", b"PK\x03\x04 this is not a zip archive at all",
     "is a damaged Word document (it cannot be opened as a .docx); open it in Word, save it "
     "again and import that"),
    ("gammal.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
     "is an old binary Word document (.doc); save it as a Word document (.docx) and import "
     "that"),
    ("skyddad.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)
     + "EncryptedPackage".encode("utf-16-le") + bytes(100),
     "is a password-protected Word document; remove the password in Word (Arkiv > Info > "
     "Skydda dokument) and import it again"),
    ("text.docx", "Samhällsutveckling\n".encode(),
     "is not a Word document (.docx); expected a .docx, .txt or .md file"),
    ("beslut.pdf", b"%PDF-1.7\n",
     "is not a .docx, .txt or .md file; save the decision as a Word document (.docx) and "
     "import that"),
    ("latin1.txt", "Samhällsutveckling\n".encode("latin-1"),
     "line 1 is not UTF-8 text (byte 0xE4); expected the text saved as UTF-8"),
])
def test_unreadable_files(site: Site, tmp_path: Path, name: str, data: bytes,
                          message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run("import", str(path), cwd=site.root)
    assert result.returncode == 1
    assert result.stderr == f"{path}: {message}; nothing written\n"
    assert not list(site.cases.glob("*.md"))


# --- safety ------------------------------------------------------------------------


def test_a_diary_number_in_the_register_is_refused(site: Site, tmp_path: Path) -> None:
    assert run("import", str(SEED_138), cwd=site.root).returncode == 0
    before = (site.cases / "run-138-2024.md").read_bytes()
    copy = text_to_docx(SEED_138.read_text(encoding="utf-8"), tmp_path / "igen.docx")
    result = run("import", str(copy), cwd=site.root)
    assert result.returncode == 1
    assert result.stderr == (f"{copy}: diary number RUN/138/2024 is already in the register: "
                             "cases/run-138-2024.md:3; nothing written\n")
    assert (site.cases / "run-138-2024.md").read_bytes() == before


def test_an_existing_file_is_never_overwritten(site: Site) -> None:
    site.write_case("run-138-2024.md", "Anteckningar, inget beslut.\n")
    result = run("import", str(SEED_138), cwd=site.root)
    assert result.returncode == 1
    assert result.stderr == (f"{SEED_138}: cases/run-138-2024.md already exists; nothing "
                             "written (the import never overwrites a file)\n")
    assert site.cases.joinpath("run-138-2024.md").read_text() == "Anteckningar, inget beslut.\n"


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_an_identity_number_writes_nothing(site: Site, tmp_path: Path, kind: str) -> None:
    text = SEED_138.read_text(encoding="utf-8").replace(
        "Projektidén presenterades", "Sökande Anna Andersson, 640823-3234. Projektidén "
        "presenterades")
    line = text.splitlines().index(next(x for x in text.splitlines() if "640823" in x)) + 1
    path = tmp_path / "beslut.txt"
    path.write_text(text, encoding="utf-8")
    where = f"{path}:{line}"
    if kind == "docx":
        path = text_to_docx(text, tmp_path / "beslut.docx")
        where = f"{path}: paragraph 10"
    result = run("import", str(path), cwd=site.root)
    assert result.returncode == 1
    assert result.stderr == (
        f"{where}: contains a personal identity number: 'Sökande Anna Andersson, "
        "640823-****. Projektidén presenterades för ledningsgruppen för regional utveckling "
        "den 16 februari 2024.'; remove it or mask it ([[maskera: ...]]) in the source and "
        "import again; nothing written\n")
    assert "3234" not in result.stderr + result.stdout
    assert not list(site.cases.glob("*.md"))


def test_one_refused_file_does_not_stop_the_others(site: Site, tmp_path: Path) -> None:
    bad = tmp_path / "gammal.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))
    result = run("import", str(bad), str(SEED_245), "--cases", "cases", cwd=site.root)
    assert result.returncode == 1
    assert (site.cases / "run-245-2021.md").is_file()
    assert result.stdout.splitlines()[-1] == (
        "Imported 1 of 2 files; each is a draft (status: draft) until you have checked it.")


def test_invisible_characters_are_removed(site: Site, tmp_path: Path) -> None:
    lines = [*LETTERHEAD, *SECTIONS]
    lines[7] = "RUN/\u200b138/2024"  # a zero-width space inside the diary number
    lines[9] = "Projekt: Ett exempel\u202e"
    path = tmp_path / "osynligt.txt"
    path.write_text("\n".join(lines).replace("Text.", "Te\u00adxt."), encoding="utf-8")
    result = run("import", str(path), cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert f"{path}: removed 3 invisible or control characters" in result.stdout
    case = loaded(site)["RUN/138/2024"]
    assert case.title == "Projekt: Ett exempel" and "\nText.\n" in case.body
    assert run("check", cwd=site.root).returncode == 0
