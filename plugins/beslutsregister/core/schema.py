"""The shape of the published data: a decision's JSON Schema and the CSV columns.

One source for three readers: the schema file the register publishes
(``register/schema/beslut.schema.json``), the field tables of the "Öppna data" page,
and the tests that validate every exported document. Every field carries its Swedish
description and an example, so the page can never document a field the data lacks,
or miss one it has.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _text(description: str, example: str, *, nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string",
            "description": description, "examples": [example]}


def _day(description: str, example: str, *, nullable: bool = False) -> dict[str, Any]:
    return {**_text(description, example, nullable=nullable), "format": "date"}


def _kronor(description: str, example: int, *, nullable: bool = False) -> dict[str, Any]:
    return {"type": ["integer", "null"] if nullable else "integer", "minimum": 0,
            "description": description, "examples": [example]}


def _object(description: str, properties: dict[str, dict[str, Any]], *,
            nullable: bool = False) -> dict[str, Any]:
    return {"type": ["object", "null"] if nullable else "object", "description": description,
            "properties": properties, "required": list(properties),
            "additionalProperties": False}


_FUNDING_LINE = _object("En finansieringsrad.", {
    "programme": _text("Programmets id; namnet står under programmes i beslut.json.",
                       "react-eu"),
    "amount_sek": _kronor("Belopp i hela kronor.", 460000),
    "note": _text("Kommentar till raden.", "Sökt belopp från REACT-EU", nullable=True),
})

#: A decision as published: one entry of ``beslut.json``, and each ``beslut/<id>.json``.
DECISION_PROPERTIES: dict[str, dict[str, Any]] = {
    "diary_number": _text("Diarienummer.", "RUN/138/2024"),
    "title": _text("Ärendemening.", "Deltagande i projekt CO-RESPONS"),
    "date": _day("Beslutsdatum (ÅÅÅÅ-MM-DD).", "2024-02-23"),
    "unit": _text("Enheten som handlade ärendet.", "Samhällsutveckling"),
    "officer": _object(
        "Handläggaren; null när handläggarens identitet är skyddad (då visas bara enheten).",
        {"name": _text("Namn.", "Ingrid Ahnlund Rode"),
         "email": _text("E-postadress.", "ingrid@example.se", nullable=True),
         "phone": _text("Telefonnummer.", "063-14 65 29", nullable=True)},
        nullable=True),
    "decided_by": _object("Beslutsfattaren.", {
        "name": _text("Namn; null när bara rollen publiceras.", "Magnus Aspegren",
                      nullable=True),
        "role": _text("Roll eller befattning.", "Regional utvecklingsdirektör", nullable=True),
    }),
    "delegation": _text("Delegationen beslutet fattades med stöd av.",
                        "Delegationsbestämmelser för regionala utvecklingsnämnden, punkt 8.2",
                        nullable=True),
    "reported_to": _text("Organet beslutet anmäls till.", "Regionala utvecklingsnämnden",
                         nullable=True),
    "copy_to": {"type": "array", "items": {"type": "string"},
                "description": "Vilka som får utdrag ur beslutet.",
                "examples": [["Tillväxtverket"]]},
    "project": _object("Projektet beslutet gäller; null om inget projekt.", {
        "name": _text("Projektets namn.", "CO-RESPONS"),
        "start": _day("Projektets start.", "2024-03-01", nullable=True),
        "end": _day("Projektets slut.", "2024-11-30", nullable=True),
        "budget_sek": _kronor("Projektets budget i kronor.", 920000, nullable=True),
    }, nullable=True),
    "funding": {"type": "array", "items": _FUNDING_LINE,
                "description": "Finansieringen, en rad per program i den ordning beslutet "
                               "anger; tom lista om beslutet saknar finansiering.",
                "examples": [[{"programme": "react-eu", "amount_sek": 460000, "note": None}]]},
    "total_sek": _kronor("Summan av finansieringsraderna i kronor (0 utan finansiering).",
                         920000),
    "corrections": {"type": "array", "items": _object("En rättelse eller ändring.", {
        "date": _day("Datum för rättelsen eller ändringen.", "2024-03-04"),
        "kind": {**_text("rättelse (36 § förvaltningslagen: ett uppenbart skriv- eller "
                         "räknefel rättat) eller ändring (37–38 § förvaltningslagen).",
                         "rättelse"), "enum": ["rättelse", "ändring"]},
        "text": _text("Vad som rättades eller ändrades.",
                      "Beloppet rättat från 46 000 kronor till 460 000 kronor."),
        "decision": _text("Diarienumret för beslutet som gjorde ändringen.", "RUN/90/2024",
                          nullable=True),
    }), "description": "Rättelser och ändringar efter publiceringen, äldst först; tom "
                       "lista om inga.", "examples": [[]]},
    "revoked": _object("Upphävandet; null om beslutet inte är upphävt.", {
        "date": _day("Datum då beslutet upphävdes.", "2024-05-20"),
        "by": _text("Diarienumret för beslutet som upphävde det.", "RUN/90/2024",
                    nullable=True),
        "text": _text("Förklaring.", "Förstudien genomförs inte.", nullable=True),
    }, nullable=True),
    "modified": _day("Senast ändrad: det senaste av beslutsdatum, rättelser och "
                     "upphävande.", "2024-03-04"),
    # uri-reference: without a site_url in mkdocs.yml the address is relative
    "url": {**_text("Beslutets sida i registret.",
                    "https://beslut.example.se/beslut/run-138-2024/"),
            "format": "uri-reference"},
}

_PROGRAMME = _object("Ett finansieringsprogram.", {
    "name": _text("Programmets namn.", "REACT-EU"),
    "funder": _text("Finansiären.", "Europeiska unionen", nullable=True),
    "url": {**_text("Programmets webbplats.", "https://tillvaxtverket.se/", nullable=True)},
})


def decision_schema(base_url: str = "") -> dict[str, Any]:
    """The JSON Schema of one published decision (``$id`` only with a site address)."""
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT}
    if base_url:
        schema["$id"] = base_url + DECISION_SCHEMA
    schema.update(_object("Ett publicerat delegationsbeslut i beslutsregistret.",
                          DECISION_PROPERTIES))
    schema["title"] = "Delegationsbeslut"
    return schema


def register_schema(base_url: str = "") -> dict[str, Any]:
    """The JSON Schema of ``beslut.json`` and the per-year files: programmes and decisions."""
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT}
    if base_url:
        schema["$id"] = base_url + REGISTER_SCHEMA
    schema.update(_object("Publicerade delegationsbeslut, nyaste först, med programlistan.", {
        "programmes": {"type": "object", "additionalProperties": _PROGRAMME,
                       "description": "Finansieringsprogrammen, per id.",
                       "examples": [{"react-eu": {"name": "REACT-EU",
                                                  "funder": "Europeiska unionen",
                                                  "url": None}}]},
        "cases": {"type": "array", "items": {"$ref": "beslut.schema.json"},
                  "description": "Besluten, nyaste först.", "examples": [[]]},
    }))
    schema["title"] = "Beslutsregistret"
    return schema


DECISION_SCHEMA = "register/schema/beslut.schema.json"
REGISTER_SCHEMA = "register/schema/register.schema.json"


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as published: indented for people, keys in the order written."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class FieldDoc:
    """One documented field: dotted name, Swedish type, description and an example."""

    name: str
    type: str
    description: str
    example: str


def _type_label(spec: dict[str, Any]) -> str:
    types = spec.get("type", "object")
    types = types if isinstance(types, list) else [types]
    main = next(t for t in types if t != "null")
    label = {"string": "text", "integer": "heltal", "object": "objekt", "array": "lista"}[main]
    if spec.get("format") == "date":
        label = "datum"
    elif spec.get("format") == "uri":
        label = "webbadress"
    elif main == "integer" and "kronor" in spec.get("description", ""):
        label = "heltal (kronor)"
    return label + (" eller null" if "null" in types else "")


def _example(spec: dict[str, Any]) -> str:
    value = spec.get("examples", [""])[0]
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def json_fields(properties: dict[str, dict[str, Any]] = DECISION_PROPERTIES,
                prefix: str = "") -> Iterator[FieldDoc]:
    """Every field of a decision, nested ones as ``officer.name`` and ``funding[].note``."""
    for name, spec in properties.items():
        yield FieldDoc(prefix + name, _type_label(spec), spec["description"], _example(spec))
        if "properties" in spec:
            yield from json_fields(spec["properties"], f"{prefix}{name}.")
        items = spec.get("items", {})
        if "properties" in items:
            yield from json_fields(items["properties"], f"{prefix}{name}[].")


#: Columns of ``beslut.csv`` and the per-year CSV files.
CSV_FIELDS: tuple[FieldDoc, ...] = (
    FieldDoc("diarienummer", "text", "Diarienummer.", "RUN/138/2024"),
    FieldDoc("beslutsdatum", "datum", "Beslutsdatum (ÅÅÅÅ-MM-DD).", "2024-02-23"),
    FieldDoc("arendemening", "text", "Ärendemening.", "Deltagande i projekt CO-RESPONS"),
    FieldDoc("enhet", "text", "Enheten som handlade ärendet.", "Samhällsutveckling"),
    FieldDoc("handlaggare", "text", "Handläggarens namn; tomt när identiteten är skyddad.",
             "Ingrid Ahnlund Rode"),
    FieldDoc("beslutsfattare", "text", "Beslutsfattarens namn; tomt när bara rollen "
             "publiceras.", "Magnus Aspegren"),
    FieldDoc("beslutsfattarens_roll", "text", "Beslutsfattarens roll.",
             "Regional utvecklingsdirektör"),
    FieldDoc("projekt", "text", "Projektets namn; tomt utan projekt.", "CO-RESPONS"),
    FieldDoc("program", "text", "Finansieringsprogrammens id, åtskilda med |.",
             "react-eu|tillvaxtverket-1-1"),
    FieldDoc("belopp_sek", "heltal (kronor)", "Summan av beslutets finansiering.", "920000"),
    FieldDoc("senast_andrad", "datum", "Det senaste av beslutsdatum, rättelser och "
             "upphävande.", "2024-03-04"),
    FieldDoc("rattelser", "heltal", "Antal rättelser och ändringar efter publiceringen.", "1"),
    FieldDoc("upphavd", "datum", "Datum då beslutet upphävdes; tomt om det inte är upphävt.",
             "2024-05-20"),
    FieldDoc("url", "webbadress", "Beslutets sida i registret.",
             "https://beslut.example.se/beslut/run-138-2024/"),
)

#: Columns of ``finansiering.csv``: one row per decision and funding line.
FUNDING_CSV_FIELDS: tuple[FieldDoc, ...] = (
    FieldDoc("diarienummer", "text", "Beslutets diarienummer.", "RUN/138/2024"),
    FieldDoc("beslutsdatum", "datum", "Beslutsdatum (ÅÅÅÅ-MM-DD).", "2024-02-23"),
    FieldDoc("ar", "heltal", "Beslutsåret.", "2024"),
    FieldDoc("enhet", "text", "Enheten som handlade ärendet.", "Samhällsutveckling"),
    FieldDoc("program_id", "text", "Programmets id.", "tillvaxtverket-s3"),
    FieldDoc("program", "text", "Programmets namn.", "Tillväxtverket – smart specialisering"),
    FieldDoc("finansiar", "text", "Programmets finansiär.", "Tillväxtverket"),
    FieldDoc("belopp_sek", "heltal (kronor)", "Radens belopp.", "460000"),
    FieldDoc("kommentar", "text", "Kommentar till raden.", "Söks från Tillväxtverkets utlysning"),
)
