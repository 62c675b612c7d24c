"""Generate a realistic register of N delegation decisions for benchmarks and scale tests.

The output is a complete MkDocs project::

    OUT/
      mkdocs.yml          theme material (sv), plugin beslutsregister, no search plugin
      docs/index.md       the only page in the navigation
      cases/programmes.yml
      cases/run-<serial>-<year>.md   one file per decision

Case files follow ``CASE_FORMAT.md``: Swedish bodies of 2.5-4 KB with the usual headings
(Ärendebeskrivning, Beslutsunderlag, Delegationsbestämmelse och delegation, Beslut,
Anmälan, sometimes Utdrag till), 1-3 funding programmes out of eight (a few cases have
none), twelve units, years 2015-2025, unique diary numbers ``RUN/<serial>/<year>``,
officers with quoted phone numbers, decision-makers and projects. The same seed always
gives byte-identical files.

Front matter is written with python-frontmatter (``frontmatter.Post`` and
``frontmatter.dumps``) through a YAML dumper that never emits anchors, always quotes
phone numbers and keeps dates as ``YYYY-MM-DD`` and amounts as plain integers.

Usage::

    python benchmarks/generate.py OUT N [--seed 1] [--drafts 0]
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import frontmatter
import yaml

YEARS = range(2015, 2026)
BODY_MIN = 2500  # bytes of UTF-8, the Markdown body only
BODY_MAX = 4000
TODAY = "2026-06-01"  # the register's fixed clock, so a build does not depend on the day

PROGRAMMES: dict[str, dict[str, str]] = {
    "tillvaxtverket-s3": {
        "name": "Tillväxtverket – Stärk era samarbeten med andra regioner i EU utifrån S3",
        "funder": "Tillväxtverket",
    },
    "react-eu": {"name": "REACT-EU", "funder": "Europeiska unionen"},
    "tillvaxtverket-1-1": {
        "name": "Tillväxtverkets 1:1-anslag (basfinansiering RES)",
        "funder": "Tillväxtverket",
    },
    "egen-finansiering": {"name": "Egen finansiering", "funder": "Region Jämtland Härjedalen"},
    "eruf-mellersta-norrland": {
        "name": "Europeiska regionala utvecklingsfonden – Mellersta Norrland",
        "funder": "Europeiska unionen",
        "url": "https://tillvaxtverket.se/eu-program/regionalfonden.html",
    },
    "esf-plus": {
        "name": "Europeiska socialfonden+",
        "funder": "Svenska ESF-rådet",
        "url": "https://www.esf.se/",
    },
    "interreg-aurora": {
        "name": "Interreg Aurora",
        "funder": "Europeiska unionen",
        "description": "Gränsöverskridande samarbete i norra Sverige, Finland och Norge.",
    },
    "landsbygdsprogrammet": {
        "name": "Landsbygdsprogrammet – lokalt ledd utveckling",
        "funder": "Jordbruksverket",
    },
}

UNITS = (
    "Samhällsutveckling", "Näringsliv och samhällsbyggnad", "Hållbar tillväxt",
    "Kultur och bildning", "Kollektivtrafik", "Folkhälsa och social hållbarhet",
    "Kompetensförsörjning", "Infrastruktur och tillgänglighet", "Internationella relationer",
    "Turism och besöksnäring", "Landsbygdsutveckling", "Digitalisering och innovation",
)

FIRST_NAMES = (
    "Ingrid", "Åsa", "Magnus", "Anna", "Erik", "Karin", "Lars", "Maria", "Johan", "Eva",
    "Per", "Sofia", "Anders", "Lena", "Mikael", "Elin", "Jonas", "Malin", "Björn", "Sara",
    "Göran", "Linnéa", "Olof", "Ylva", "Mattias", "Hanna", "Stefan", "Ebba", "Niklas", "Frida",
)
LAST_NAMES = (
    "Ahnlund Rode", "Hernerud", "Aspegren", "Halvarsson", "Sjöberg", "Öberg", "Lindqvist",
    "Jönsson", "Bäckström", "Nyström", "Wikström", "Hägglund", "Östlund", "Persson",
    "Strömberg", "Engström", "Forsberg", "Sundqvist", "Åkerlund", "Norén", "Lövgren",
    "Edlund", "Dahlén", "Bergkvist", "Holmgren",
)
ROLES = (
    "Regional utvecklingsdirektör", "Områdeschef Hållbar tillväxt", "Enhetschef",
    "Tillförordnad regional utvecklingsdirektör", "Områdeschef Kultur och bildning",
    "Avdelningschef Kollektivtrafik",
)
REPORTED_TO = ("Regionala utvecklingsnämnden", "Regionstyrelsen",
               "Regionala utvecklingsnämndens arbetsutskott")
COPY_TO = ("Tillväxtverket", "Region Västernorrland", "Almi Mitt", "Östersunds kommun",
           "Länsstyrelsen Jämtlands län", "Mittuniversitetet", "Jordbruksverket",
           "Ekonomienheten", "Projektägaren")
PLACES = ("Jämtland Härjedalen", "Östersund", "Krokom", "Strömsund", "Ragunda", "Bräcke",
          "Berg", "Härjedalen", "Åre", "Mittnorden", "Västernorrland", "Trøndelag")
THEMES = (
    ("smart specialisering", "Smart specialisering"),
    ("grön omställning", "Grön omställning"),
    ("kompetensförsörjning", "Kompetensförsörjning"),
    ("besöksnäringens utveckling", "Besöksnäring"),
    ("digital infrastruktur", "Digital infrastruktur"),
    ("cirkulär ekonomi", "Cirkulär ekonomi"),
    ("kulturella och kreativa näringar", "Kreativa näringar"),
    ("hållbara transporter", "Hållbara transporter"),
    ("livsmedelsförädling", "Livsmedelsförädling"),
    ("internationalisering av små företag", "Internationalisering"),
    ("bredband på landsbygden", "Bredband"),
    ("folkhälsa och jämlik hälsa", "Jämlik hälsa"),
    ("skogsnäringens innovationskraft", "Skogsinnovation"),
    ("vätgas och energiomställning", "Energiomställning"),
)
PROJECT_PATTERNS = (
    "{Theme} i {place}",
    "Stärka samarbeten inom {theme}",
    "{Theme} – från idé till affär",
    "Kraftsamling för {theme} i {place}",
    "Nätverk för {theme}",
    "Förstudie: {theme} i {place}",
    "{Theme} {year}",
)
TITLE_PATTERNS = (
    "Projekt: {project}",
    "Deltagande i projekt {project}",
    "Medfinansiering av projektet {project}",
    "Ansökan om medel för {project}",
    "Förlängning av projektet {project}",
)
NO_PROJECT_TITLES = (
    "Yttrande över remiss om {theme}",
    "Ändrad attestordning inom enheten {unit}",
    "Utseende av ombud i frågor om {theme}",
    "Deltagande i nätverk för {theme}",
)
DECISION_BASIS = (
    "Ansökan till {funder} – {project}",
    "Projektinitiativ {project}",
    "Samverkansavtal Region Jämtland Härjedalen – {partner}, projekt {project}",
    "Budget och finansieringsplan för {project}",
    "Tjänsteskrivelse från enheten {unit}",
    "Protokoll från ledningsgruppen för regional utveckling",
    "Yttrande från {partner}",
)
NO_PROJECT_BASIS = (
    "Tjänsteskrivelse från enheten {unit}",
    "Protokoll från ledningsgruppen för regional utveckling den {meeting}",
    "Yttrande från {partner}",
    "Regional utvecklingsstrategi för {place}",
    "Remiss om {theme}",
)
DESCRIPTION_PARAGRAPHS = (
    "Region Jämtland Härjedalen genom enheten {unit} har undersökt möjligheterna att driva "
    "projektet ”{project}”. Projektet pågår från {start} till {end} och omfattar aktörer i "
    "hela {place}.",
    "Projektidén presenterades för ledningsgruppen för regional utveckling den {meeting}. "
    "Ledningsgruppen ställde sig bakom inriktningen och uppdrog åt enheten att ta fram ett "
    "beslutsunderlag.",
    "{funder} har en utlysning som innebär att regionalt utvecklingsansvariga organisationer "
    "kan söka medel för insatser inom {theme}. Arbetet i projektet ska främja kontakter och "
    "samverkan med andra regioner och förankra arbetet bland regionala aktörer.",
    "Syftet med projektet är att regionen initierar och stärker nätverk inom {theme}, som en "
    "förberedelse för att kunna söka till större program. Det långsiktiga målet är att skapa "
    "kontakter för framtida projektsamarbeten och att fler företag i {place} ska växa.",
    "Projektet har en total budget på {budget} kronor, varav {first_amount} kronor söks från "
    "{first_programme}. Övrig medfinansiering utgörs av arbetstid inom befintliga tjänster "
    "samt av bidrag från de aktörer som deltar i projektets aktiviteter.",
    "{partner} är projektägare och ansvarar för ekonomi, upphandling och annan "
    "projektadministration. Region Jämtland Härjedalen bidrar med projektledning motsvarande "
    "{percent} % av en heltidstjänst och deltar i projektets styrgrupp.",
    "Insatserna riktar sig till små och medelstora företag, kommuner och civilsamhällets "
    "organisationer i {place}. Erfarenheterna från tidigare satsningar inom {theme} visar att "
    "långsiktig samverkan ger bättre resultat än enstaka aktiviteter.",
    "Projektet bidrar till målen i den regionala utvecklingsstrategin, särskilt målet om en "
    "hållbar och konkurrenskraftig region. Det knyter också an till strategin för smart "
    "specialisering och till arbetet med {theme}.",
    "Under projekttiden genomförs workshoppar, studieresor och seminarier. Resultaten "
    "sammanställs i en slutrapport som presenteras för regionala utvecklingsnämnden senast "
    "tre månader efter projektets slut.",
    "Risken för att projektet inte når sina mål bedöms som låg. Om medfinansiering från "
    "{first_programme} inte beviljas kommer projektet att omprövas i sin helhet.",
    "Jämställdhet, mångfald och miljö beaktas i projektets samtliga delar. En uppföljning av "
    "de horisontella kriterierna görs i varje lägesrapport till finansiärerna.",
    "Kontaktperson hos {partner} är projektledaren, som nås via växeln. Frågor om beslutet "
    "besvaras av ansvarig handläggare vid enheten {unit}.",
)
NO_PROJECT_PARAGRAPHS = (
    "Enheten {unit} har fått i uppdrag att bereda ärendet om {theme}. Ärendet har beretts i "
    "samråd med berörda verksamheter inom Region Jämtland Härjedalen.",
    "Frågan om {theme} har diskuterats i ledningsgruppen för regional utveckling den "
    "{meeting}. Ledningsgruppen föreslår att regionen tar ställning enligt nedan.",
    "Beslutet påverkar inte regionens budget. Eventuella kostnader ryms inom enhetens "
    "befintliga ram för {year}.",
    "Ärendet berör aktörer i hela {place}. {partner} har getts tillfälle att lämna synpunkter "
    "och har inte haft något att invända.",
    "Regionen ska enligt den regionala utvecklingsstrategin verka för {theme}. Beslutet är "
    "ett steg i det arbetet och följs upp i verksamhetsberättelsen för {year}.",
    "Handläggningen har skett enligt regionens riktlinjer för delegationsbeslut. Beslutet "
    "anmäls till nämnden vid nästa sammanträde.",
)
DECISION_POINTS = (
    "Region Jämtland Härjedalen deltar i projektet {project} under perioden {start} – {end}.",
    "Region Jämtland Härjedalen avsätter arbetstid motsvarande högst {first_amount} kronor "
    "för att genomföra projektet.",
    "Finansiering sker inom befintlig budgetram för enheten {unit}.",
    "Ansökan om medfinansiering skickas till {funder} enligt upprättat förslag.",
    "Regionens andel av projektets kostnader får uppgå till högst {budget} kronor.",
    "Enhetschefen vid {unit} får i uppdrag att underteckna samverkansavtalet.",
)
MASKS = (
    "[[maskera: Uppgifter om enskilds affärsförhållanden har lämnats i ansökan.]]",
    "[[maskera 31:16: Uppgift om upphandlingens anbud.]]",
)


class _Quoted(str):
    """A string YAML must write in double quotes (phone numbers keep their zeros)."""


class _CaseDumper(yaml.SafeDumper):
    """SafeDumper without anchors and aliases, quoting :class:`_Quoted` strings."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_CaseDumper.add_representer(
    _Quoted, lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", str(value), style='"'))


def _ascii_mail_part(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    return "-".join(folded.split())


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    if rng.random() < 0.2:  # written without separators: must stay text
        return f"06314{rng.randint(1000, 9999)}"
    return f"063-14 {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _officers(rng: random.Random, count: int) -> list[dict[str, Any]]:
    officers = []
    seen: set[str] = set()
    while len(officers) < count:
        name = _person(rng)
        if name in seen:
            continue
        seen.add(name)
        first, last = name.split(" ", 1)
        officers.append({
            "name": name,
            "email": f"{_ascii_mail_part(first)}.{_ascii_mail_part(last)}@regionjh.se",
            "phone": _phone(rng),
        })
    return officers


def _delegation_period(year: int) -> str:
    start = 2015 + (year - 2015) // 4 * 4
    return f"{start}–{start + 3}"


def _sek(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


def _amounts(rng: random.Random, count: int) -> list[int]:
    return [rng.randrange(50_000, 3_000_000, 10_000) for _ in range(count)]


def _fill(pattern: str, values: dict[str, Any]) -> str:
    return pattern.format(**values)


def _body(rng: random.Random, values: dict[str, Any], has_project: bool, mask: bool) -> str:
    """A Markdown body between BODY_MIN and BODY_MAX bytes, with the usual headings."""
    target = rng.randint(BODY_MIN + 100, BODY_MAX - 150)
    basis = rng.sample(DECISION_BASIS if has_project else NO_PROJECT_BASIS, rng.randint(2, 4))
    points = rng.sample(DECISION_POINTS, rng.randint(1, 3)) if has_project else []
    if not has_project:
        points = ["Region Jämtland Härjedalen ställer sig bakom förslaget om {theme}.",
                  "Beslutet gäller från och med {start}."][: rng.randint(1, 2)]
    tail = [
        "## Beslutsunderlag",
        "\n".join(f"- {_fill(item, values)}" for item in basis),
        "## Delegationsbestämmelse och delegation",
        values["delegation"],
        "## Beslut",
        "\n".join(f"{i}. {_fill(p, values)}" for i, p in enumerate(points, 1))
        if len(points) > 1 else _fill(points[0], values),
        f"{values['decided_by']}<br>\n{values['role']}",
        "## Anmälan",
        f"Beslutet anmäls till {values['reported_to'].lower()}.",
    ]
    if values["copy_to"]:
        tail += ["## Utdrag till", "\n".join(values["copy_to"])]
    pool = list(DESCRIPTION_PARAGRAPHS if has_project else NO_PROJECT_PARAGRAPHS)
    rng.shuffle(pool)
    description: list[str] = []
    if mask:
        description.append(rng.choice(MASKS))

    def size() -> int:
        text = "\n\n".join(["## Ärendebeskrivning", *description, *tail]) + "\n"
        return len(text.encode("utf-8"))

    while size() < target:
        if not pool:
            pool = list(DESCRIPTION_PARAGRAPHS if has_project else NO_PROJECT_PARAGRAPHS)
            rng.shuffle(pool)
        paragraph = _fill(pool.pop(), values)
        if size() + len(paragraph.encode("utf-8")) + 2 > BODY_MAX:
            paragraph = paragraph[: max(0, BODY_MAX - size() - 40)].rsplit(" ", 1)[0] + "."
        description.append(paragraph)
    return "\n\n".join(["## Ärendebeskrivning", *description, *tail]) + "\n"


def _case(
    rng: random.Random,
    diary_number: str,
    decided: date,
    officers: list[dict[str, Any]],
    deciders: list[dict[str, str]],
    draft: bool,
) -> tuple[dict[str, Any], str]:
    unit = rng.choice(UNITS)
    officer = dict(rng.choice(officers))
    if rng.random() < 0.03:
        officer = {"name": officer["name"], "protected": True}
    else:
        if rng.random() < 0.15:
            del officer["phone"]
        if "phone" in officer:
            officer["phone"] = _Quoted(officer["phone"])
    decider = rng.choice(deciders)
    theme, theme_title = rng.choice(THEMES)
    place = rng.choice(PLACES)
    has_project = rng.random() < 0.85
    programme_ids = list(PROGRAMMES)
    values: dict[str, Any] = {
        "unit": unit, "theme": theme, "Theme": theme_title, "place": place,
        "year": decided.year, "partner": rng.choice(COPY_TO[1:6]),
        "meeting": (decided - timedelta(days=rng.randint(7, 60))).isoformat(),
        "decided_by": decider["name"], "role": decider["role"],
        "reported_to": rng.choice(REPORTED_TO),
        "delegation": "Delegationsbestämmelser för regionala utvecklingsnämnden i Region "
                      f"Jämtland Härjedalen {_delegation_period(decided.year)}, punkt "
                      f"{rng.randint(1, 12)}.{rng.randint(1, 9)}",
        "percent": rng.choice((10, 20, 25, 40, 50)),
        "copy_to": rng.sample(COPY_TO, rng.randint(0, 2)),
    }
    meta: dict[str, Any] = {
        "diary_number": diary_number,
        "title": "",
        "date": decided,
        "unit": unit,
        "officer": officer,
        "decided_by": dict(decider),
        "delegation": values["delegation"],
        "reported_to": values["reported_to"],
    }
    if values["copy_to"]:
        meta["copy_to"] = list(values["copy_to"])
    start = decided + timedelta(days=rng.randint(5, 90))
    end = start + timedelta(days=rng.randint(90, 3 * 365))
    values.update(start=start.isoformat(), end=end.isoformat())
    if has_project:
        project_name = _fill(rng.choice(PROJECT_PATTERNS), values)
        values["project"] = project_name
        funded = rng.sample(programme_ids, rng.choices((1, 2, 3), weights=(5, 4, 2))[0])
        amounts = _amounts(rng, len(funded))
        budget = sum(amounts) + rng.choice((0, 0, 100_000, 250_000))
        values.update(
            funder=PROGRAMMES[funded[0]]["funder"], first_programme=PROGRAMMES[funded[0]]["name"],
            first_amount=_sek(amounts[0]), budget=_sek(budget))
        meta["title"] = _fill(rng.choice(TITLE_PATTERNS), values)
        meta["project"] = {"name": project_name, "start": start, "end": end}
        if rng.random() < 0.7:
            meta["project"]["budget_sek"] = budget
        meta["funding"] = []
        for programme, amount in zip(funded, amounts, strict=True):
            line: dict[str, Any] = {"programme": programme, "amount_sek": amount}
            if rng.random() < 0.4:
                line["note"] = f"Sökt belopp från {PROGRAMMES[programme]['funder']}"
            meta["funding"].append(line)
    else:
        values.update(project="", funder="", first_programme="", first_amount="", budget="")
        meta["title"] = _fill(rng.choice(NO_PROJECT_TITLES), values)
        if rng.random() < 0.3:  # a decision that costs own money but has no project
            meta["funding"] = [{"programme": "egen-finansiering",
                                "amount_sek": rng.randrange(10_000, 200_000, 5_000)}]
    if draft:
        meta["status"] = "draft"
    body = _body(rng, values, has_project, mask=rng.random() < 0.05)
    return meta, body


def _diary_numbers(rng: random.Random, n: int) -> list[tuple[str, date]]:
    """``n`` unique diary numbers with decision dates, spread over ``YEARS``."""
    per_year = [0] * len(YEARS)
    for _ in range(n):
        per_year[rng.randrange(len(YEARS))] += 1
    numbers = []
    for year, count in zip(YEARS, per_year, strict=True):
        serial = rng.randint(1, 40)
        first, span = date(year, 1, 2).toordinal(), 360
        for index in range(count):
            # Serials grow through the year; dates follow them roughly.
            day = date.fromordinal(first + min(span, index * span // max(count, 1)
                                               + rng.randint(0, 3)))
            numbers.append((f"RUN/{serial}/{year}", day))
            serial += rng.randint(1, 4)
    return numbers


def case_text(meta: dict[str, Any], body: str) -> str:
    """A case file: front matter written by python-frontmatter, then the body."""
    post = frontmatter.Post(body, **meta)
    text = frontmatter.dumps(post, Dumper=_CaseDumper, sort_keys=False, width=1_000_000)
    return text + "\n"


MKDOCS_YML = """\
site_name: Beslutsregister (benchmark)
site_url: https://beslut.example.se/
theme:
  name: material
  language: sv
  features:
    - navigation.sections
    - navigation.indexes
    - navigation.top
    - content.tooltips
markdown_extensions:
  - toc:
      permalink: true
      permalink_title: Länk till rubriken
  - tables
  - attr_list
  - admonition
plugins:
  - beslutsregister:
      cases_dir: cases
      today: "{today}"
nav:
  - Start: index.md
"""

INDEX_MD = """\
# Beslutsregister

Ett genererat register med {n} delegationsbeslut, för mätningar av byggtid och storlek.

- [Alla beslut](register/index.md)
"""


def generate_register(root: Path, n: int, seed: int = 1, drafts: int = 0) -> None:
    """Write a register project of ``n`` cases (``drafts`` of them drafts) into ``root``."""
    if n < 0 or not 0 <= drafts <= n:
        raise ValueError("expected n >= 0 and 0 <= drafts <= n")
    rng = random.Random(seed)
    root = Path(root)
    cases = root / "cases"
    cases.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(today=TODAY), encoding="utf-8")
    (root / "docs" / "index.md").write_text(INDEX_MD.format(n=n), encoding="utf-8")
    (cases / "programmes.yml").write_text(
        "# Finansieringsprogram (genererade för benchmark).\n"
        + yaml.safe_dump(PROGRAMMES, allow_unicode=True, sort_keys=False, width=1_000_000),
        encoding="utf-8")
    officers = _officers(rng, 60)
    deciders = [{"name": _person(rng), "role": role} for role in ROLES]
    numbers = _diary_numbers(rng, n)
    draft_indexes = set(rng.sample(range(n), drafts))
    for index, (diary_number, decided) in enumerate(numbers):
        meta, body = _case(rng, diary_number, decided, officers, deciders,
                           index in draft_indexes)
        slug = diary_number.lower().replace("/", "-")
        (cases / f"{slug}.md").write_text(case_text(meta, body), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the project into")
    parser.add_argument("n", type=int, help="number of case files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--drafts", type=int, default=0, help="how many of the N are drafts")
    parser.add_argument("--check", action="store_true",
                        help="load the result with beslutsregister and fail on any problem")
    args = parser.parse_args(argv)
    generate_register(args.out, args.n, seed=args.seed, drafts=args.drafts)
    if args.check:
        from beslutsregister.core.loading import load_register

        loaded = load_register(args.out / "cases", args.out)
        for problem in loaded.problems[:20]:
            print(problem, file=sys.stderr)
        if loaded.problems:
            return 1
        print(f"{len(loaded.cases)} cases, no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
