"""dcat: the DCAT-AP-SE catalogue parses as RDF, holds each class's mandatory and
recommended properties, passes this project's SHACL shapes, escapes text, and is the same
bytes every time."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from beslutsregister.core import dcat
from beslutsregister.core.dcat import Catalogue, Dataset, Distribution

SHAPES = Path(__file__).parent / "data" / "dcat" / "dcat-ap-se-shapes.ttl"
# Open namespaces (closed ones warn when pytest looks for attributes on them); a name
# that is also a str method (title, format) has to be indexed: DCTERMS["title"].
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ORG = Namespace("http://www.w3.org/ns/org#")
EU = "http://publications.europa.eu/resource/authority/"
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
CC_BY = "http://creativecommons.org/licenses/by/4.0/"

SITE = "https://register.example.se/"
LANDING = SITE + "register/oppna-data/"
CATALOGUE_URI = SITE + "register/katalog.rdf"
DATASET_URI = LANDING + "#beslut"
ORG_URI = URIRef("http://dataportal.se/organisation/SE2321000214")
CONTACT_URI = URIRef(CATALOGUE_URI + "#kontaktpunkt")

CSV = Distribution("Alla beslut som CSV", SITE + "register/beslut.csv", "text/csv",
                   "Semikolonseparerad, UTF-8 med BOM.", 123456)
JSON = Distribution("Alla beslut som JSON", SITE + "register/beslut.json",
                    "application/json", "Besluten nyaste först.", 234567)
SCHEMA = Distribution("JSON-schema för ett beslut", SITE + "register/beslut.schema.json",
                      "application/schema+json", "Fälten i ett beslut, som JSON Schema.")
#: As the lead's wiring gives it today: no description.
BARE_SCHEMA = dataclasses.replace(SCHEMA, description="")
ATOM = Distribution("Flöde med de senaste besluten", SITE + "register/senaste.xml",
                    "application/atom+xml", "De senaste besluten.", 3456)

DECISIONS = Dataset(
    uri=DATASET_URI,
    title="Delegationsbeslut – Region Jämtland Härjedalen",
    description="Publicerade delegationsbeslut: diarienummer, beslutsdatum och ärendemening.",
    keywords=("delegationsbeslut", "beslut", "offentlig förvaltning"),
    landing_page=LANDING,
    distributions=(CSV, JSON, SCHEMA, ATOM),
    first_date=date(2023, 1, 12),
    last_date=date(2024, 5, 30),
    modified=date(2024, 5, 30),
    issued=date(2024, 1, 15),
    conforms_to=(SITE + "register/beslut.schema.json",),
)
FUNDING = Dataset(
    uri=LANDING + "#finansiering",
    title="Finansiering i delegationsbeslut",
    description="En rad per beslut och finansieringsrad.",
    keywords=("finansiering", "bidrag"),
    landing_page=LANDING,
    distributions=(Distribution("Finansieringsrader som CSV",
                                SITE + "register/finansiering.csv", "text/csv",
                                "Semikolonseparerad.", 999),),
    first_date=date(2023, 1, 12),
    last_date=date(2024, 5, 2),
    modified=date(2024, 5, 2),
    issued=date(2024, 2, 1),
    conforms_to=(SITE + "register/finansiering.schema.json",),
)
#: Every field given: nothing recommended is missing.
FULL = Catalogue(
    uri=CATALOGUE_URI,
    title="Öppna data från Beslutsregister",
    description="Dataset som Region Jämtland Härjedalen publicerar i sitt beslutsregister.",
    homepage=SITE,
    publisher_name="Region Jämtland Härjedalen",
    publisher_url="https://www.regionjh.se/",
    contact_name="Registraturen",
    contact_email="registrator@regionjh.se",
    contact_phone="063-14 75 00",
    licence=dcat.CC0,
    frequency="DAILY",
    spatial="http://data.europa.eu/nuts/code/SE322",
    datasets=(DECISIONS, FUNDING),
    publisher_id="232100-0214",
)
#: What the lead's wiring passes today: no issued, no specifications, no organisation number.
PLAIN_DATASET = dataclasses.replace(DECISIONS, issued=None, conforms_to=(),
                                    distributions=(CSV, JSON, BARE_SCHEMA, ATOM))
#: The optional fields absent: no phone, spatial, dates, publisher page or number.
MINIMAL = dataclasses.replace(
    FULL, publisher_url=None, contact_phone=None, spatial=None, publisher_id=None,
    datasets=(dataclasses.replace(DECISIONS, first_date=None, last_date=None,
                                  modified=None, issued=None, conforms_to=(),
                                  distributions=(BARE_SCHEMA,)),))


def parse(text: str) -> Graph:
    graph = Graph()
    graph.parse(data=text, format="xml")
    return graph


def rdf(catalogue: Catalogue = FULL) -> Graph:
    return parse(dcat.catalogue_rdf(catalogue))


def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def validate(graph: Graph) -> tuple[bool, set[tuple[str, str, str]]]:
    """pyshacl's verdict (infos allowed, warnings not) and its results as
    (severity, focus class or node, path) with prefixed names."""
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes(), inference="none",
                                           allow_infos=True, allow_warnings=False)
    assert isinstance(report, Graph)
    results = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        kinds = sorted(graph.qname(t) for t in graph.objects(focus, RDF.type))
        path = report.value(result, SH.resultPath)
        results.add((str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[1],
                     kinds[0] if kinds else str(focus),
                     graph.qname(path) if path else "(node)"))
    return bool(conforms), results


def only(graph: Graph, subject: Any, predicate: URIRef) -> Any:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def lang(text: str) -> Literal:
    return Literal(text, lang="sv")


def date_literal(day: str) -> Literal:
    return Literal(day, datatype=XSD.date)


def distribution_node(graph: Graph, distribution: Distribution) -> Any:
    nodes = list(graph.subjects(DCAT.downloadURL, URIRef(distribution.download_url)))
    assert len(nodes) == 1, nodes
    return nodes[0]


# -- per class: each mandatory and recommended property, and its value ---------------------

CATALOGUE_PROPERTIES = [
    # (property, status in DCAT-AP-SE, expected value)
    (DCTERMS["title"], "M", lang("Öppna data från Beslutsregister")),
    (DCTERMS.description, "M", lang(FULL.description)),
    (DCTERMS.publisher, "M", ORG_URI),
    (DCTERMS.license, "M", CC0),
    (DCTERMS.issued, "R", date_literal("2024-01-15")),  # the earliest dataset issued
    (DCTERMS.language, "R", URIRef(EU + "language/SWE")),
    (DCTERMS.modified, "R", date_literal("2024-05-30")),  # the latest dataset modified
    (FOAF.homepage, "R", URIRef(SITE)),
    (DCTERMS.spatial, "R", URIRef("http://data.europa.eu/nuts/code/SE322")),
    (DCAT.themeTaxonomy, "R", URIRef(EU + "data-theme")),
]


@pytest.mark.parametrize(("prop", "status", "value"), CATALOGUE_PROPERTIES,
                         ids=[f"{s}-{p.n3()}" for p, s, _ in CATALOGUE_PROPERTIES])
def test_catalogue_property(prop: URIRef, status: str, value: Any) -> None:
    graph = rdf()
    catalogue = URIRef(CATALOGUE_URI)
    assert (catalogue, RDF.type, DCAT.Catalog) in graph
    assert only(graph, catalogue, prop) == value


def test_catalogue_lists_every_dataset() -> None:
    graph = rdf()
    assert set(graph.objects(URIRef(CATALOGUE_URI), DCAT.dataset)) == {
        URIRef(DATASET_URI), URIRef(FUNDING.uri)}


DATASET_PROPERTIES = [
    (DCTERMS["title"], "M", lang(DECISIONS.title)),
    (DCTERMS.description, "M", lang(DECISIONS.description)),
    (DCTERMS.publisher, "M", ORG_URI),
    (DCAT.contactPoint, "R", CONTACT_URI),
    (DCAT.theme, "R", URIRef(EU + "data-theme/GOVE")),
    (DCTERMS.issued, "R", date_literal("2024-01-15")),
    (DCTERMS.spatial, "R", URIRef("http://data.europa.eu/nuts/code/SE322")),
    (DCTERMS.accessRights, "R", URIRef(EU + "access-right/PUBLIC")),
    (DCTERMS.conformsTo, "R", URIRef(SITE + "register/beslut.schema.json")),
    (DCTERMS.identifier, "O", Literal(DATASET_URI)),
    (DCTERMS.modified, "O", date_literal("2024-05-30")),
    (DCTERMS.language, "O", URIRef(EU + "language/SWE")),
    (DCAT.landingPage, "O", URIRef(LANDING)),
    (DCTERMS.accrualPeriodicity, "O", URIRef(EU + "frequency/DAILY")),
]


@pytest.mark.parametrize(("prop", "status", "value"), DATASET_PROPERTIES,
                         ids=[f"{s}-{p.n3()}" for p, s, _ in DATASET_PROPERTIES])
def test_dataset_property(prop: URIRef, status: str, value: Any) -> None:
    graph = rdf()
    dataset = URIRef(DATASET_URI)
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    assert only(graph, dataset, prop) == value


def test_dataset_keywords_are_swedish_and_in_order_once() -> None:
    catalogue = dataclasses.replace(FULL, datasets=(dataclasses.replace(
        DECISIONS, keywords=("beslut", " beslut ", "", "EU-medel")),))
    text = dcat.catalogue_rdf(catalogue)
    graph = parse(text)
    assert set(graph.objects(URIRef(DATASET_URI), DCAT.keyword)) == {
        lang("beslut"), lang("EU-medel")}
    assert text.index(">beslut<") < text.index(">EU-medel<")


def test_dataset_temporal_is_a_period_of_dates() -> None:
    graph = rdf()
    period = only(graph, URIRef(DATASET_URI), DCTERMS.temporal)
    assert (period, RDF.type, DCTERMS.PeriodOfTime) in graph
    assert only(graph, period, DCAT.startDate) == date_literal("2023-01-12")
    assert only(graph, period, DCAT.endDate) == date_literal("2024-05-30")


def test_dataset_lists_its_distributions() -> None:
    graph = rdf()
    listed = set(graph.objects(URIRef(DATASET_URI), DCAT.distribution))
    assert listed == {distribution_node(graph, d) for d in DECISIONS.distributions}
    assert all(isinstance(node, URIRef) for node in listed)  # no blank nodes


DISTRIBUTION_FORMATS = [
    # (distribution, EU file type, IANA media type)
    (CSV, "CSV", "text/csv"),
    (JSON, "JSON", "application/json"),
    (ATOM, "ATOM", "application/atom+xml"),
    (SCHEMA, "JSON", "application/json"),  # application/schema+json is not at IANA
]


@pytest.mark.parametrize(("distribution", "file_type", "media_type"), DISTRIBUTION_FORMATS,
                         ids=[d.media_type for d, _, _ in DISTRIBUTION_FORMATS])
def test_distribution_properties(distribution: Distribution, file_type: str,
                                 media_type: str) -> None:
    graph = rdf()
    node = distribution_node(graph, distribution)
    assert (node, RDF.type, DCAT.Distribution) in graph
    # mandatory
    assert only(graph, node, DCAT.accessURL) == URIRef(LANDING)
    assert only(graph, node, DCTERMS["format"]) == URIRef(EU + "file-type/" + file_type)
    # recommended
    if distribution.description:
        assert only(graph, node, DCTERMS.description) == lang(distribution.description)
    else:
        assert (node, DCTERMS.description, None) not in graph
    assert only(graph, node, DCATAP.availability) == URIRef(
        EU + "planned-availability/STABLE")
    assert only(graph, node, DCTERMS.license) == CC0
    # optional
    assert only(graph, node, DCTERMS["title"]) == lang(distribution.title)
    assert only(graph, node, DCAT.downloadURL) == URIRef(distribution.download_url)
    assert only(graph, node, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/" + media_type)
    if distribution.byte_size is None:
        assert (node, DCAT.byteSize, None) not in graph
    else:
        assert only(graph, node, DCAT.byteSize) == Literal(
            str(distribution.byte_size), datatype=XSD.nonNegativeInteger)


def test_distribution_licence_is_the_data_licence_catalogue_stays_cc0() -> None:
    graph = rdf(dataclasses.replace(FULL, licence=CC_BY))
    assert only(graph, distribution_node(graph, CSV), DCTERMS.license) == URIRef(CC_BY)
    assert only(graph, URIRef(CATALOGUE_URI), DCTERMS.license) == CC0


def test_distribution_uris_are_unique_and_follow_the_dataset() -> None:
    twin = dataclasses.replace(CSV, download_url=SITE + "ar/2024/beslut.csv")
    graph = rdf(dataclasses.replace(FULL, datasets=(dataclasses.replace(
        DECISIONS, distributions=(CSV, twin)),)))
    nodes = sorted(str(n) for n in graph.subjects(RDF.type, DCAT.Distribution))
    assert nodes == [DATASET_URI + "-beslut.csv", DATASET_URI + "-beslut.csv-2"]


AGENT_PROPERTIES = [
    (FOAF.name, "M", lang("Region Jämtland Härjedalen")),
    (DCTERMS.type, "M", URIRef("http://purl.org/adms/publishertype/RegionalAuthority")),
    (DCTERMS.identifier, "R", Literal("2321000214")),
    (FOAF.homepage, "O", URIRef("https://www.regionjh.se/")),
]


@pytest.mark.parametrize(("prop", "status", "value"), AGENT_PROPERTIES,
                         ids=[f"{s}-{p.n3()}" for p, s, _ in AGENT_PROPERTIES])
def test_publisher_property(prop: URIRef, status: str, value: Any) -> None:
    graph = rdf()
    assert (ORG_URI, RDF.type, FOAF.Agent) in graph
    assert only(graph, ORG_URI, prop) == value


def test_one_publisher_for_catalogue_and_datasets() -> None:
    graph = rdf()
    assert list(graph.subjects(RDF.type, FOAF.Agent)) == [ORG_URI]
    assert set(graph.subjects(DCTERMS.publisher, ORG_URI)) == {
        URIRef(CATALOGUE_URI), URIRef(DATASET_URI), URIRef(FUNDING.uri)}


def test_publisher_without_organisation_number_is_named_in_the_catalogue() -> None:
    graph = rdf(dataclasses.replace(FULL, publisher_id=None, publisher_type="LocalAuthority"))
    agent = URIRef(CATALOGUE_URI + "#utgivare")
    assert (agent, RDF.type, FOAF.Agent) in graph
    assert only(graph, agent, DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/LocalAuthority")
    assert (agent, DCTERMS.identifier, None) not in graph


def test_contact_point() -> None:
    graph = rdf()
    assert (CONTACT_URI, RDF.type, VCARD.Organization) in graph
    assert only(graph, CONTACT_URI, VCARD.fn) == Literal("Registraturen")  # M
    assert only(graph, CONTACT_URI, VCARD.hasEmail) == URIRef(
        "mailto:registrator@regionjh.se")  # M
    phone = only(graph, CONTACT_URI, VCARD.hasTelephone)  # R
    assert (phone, RDF.type, VCARD.Voice) in graph
    assert only(graph, phone, VCARD.hasValue) == URIRef("tel:+4663147500")


@pytest.mark.parametrize(("written", "uri"), [
    ("063-14 75 00", "tel:+4663147500"),
    ("+46 (0)63 14 75 00", "tel:+4663147500"),  # the "(0)" is not dialled
    ("+46 63 14 75 00", "tel:+4663147500"),
    ("0046 63 147500", "tel:+4663147500"),
    ("010.123.45.67", "tel:+46101234567"),
    ("14 75 00", None),  # no area code
])
def test_telephone_numbers_get_the_country_code(written: str, uri: str | None) -> None:
    catalogue = dataclasses.replace(FULL, contact_phone=written)
    if uri is None:
        with pytest.raises(ValueError, match="telefonnumret"):
            dcat.catalogue_rdf(catalogue)
    else:
        graph = rdf(catalogue)
        phone = only(graph, CONTACT_URI, VCARD.hasTelephone)
        assert only(graph, phone, VCARD.hasValue) == URIRef(uri)


def test_no_email_no_contact_point() -> None:
    """vcard:hasEmail is mandatory on a contact point; the contact point is recommended."""
    graph = rdf(dataclasses.replace(FULL, contact_email=None))
    assert (None, DCAT.contactPoint, None) not in graph
    assert (None, RDF.type, VCARD.Organization) not in graph


def test_contact_without_a_name_is_the_publisher() -> None:
    graph = rdf(dataclasses.replace(FULL, contact_name=" "))
    assert only(graph, CONTACT_URI, VCARD.fn) == Literal("Region Jämtland Härjedalen")


# -- optional fields absent ------------------------------------------------------------

def test_minimal_catalogue_leaves_out_what_it_does_not_have() -> None:
    graph = rdf(MINIMAL)
    dataset = URIRef(DATASET_URI)
    agent = URIRef(CATALOGUE_URI + "#utgivare")
    for subject, prop in [(dataset, DCTERMS.temporal), (dataset, DCTERMS.spatial),
                          (dataset, DCTERMS.modified), (dataset, DCTERMS.issued),
                          (dataset, DCTERMS.conformsTo),
                          (URIRef(CATALOGUE_URI), DCTERMS.spatial),
                          (URIRef(CATALOGUE_URI), DCTERMS.modified),
                          (URIRef(CATALOGUE_URI), DCTERMS.issued),
                          (agent, FOAF.homepage), (agent, DCTERMS.identifier),
                          (CONTACT_URI, VCARD.hasTelephone),
                          (distribution_node(graph, BARE_SCHEMA), DCAT.byteSize),
                          (distribution_node(graph, BARE_SCHEMA), DCTERMS.description)]:
        assert (subject, prop, None) not in graph, prop


def test_only_one_date_gives_half_a_period() -> None:
    graph = rdf(dataclasses.replace(MINIMAL, datasets=(dataclasses.replace(
        MINIMAL.datasets[0], first_date=date(2024, 1, 2)),)))
    period = only(graph, URIRef(DATASET_URI), DCTERMS.temporal)
    assert only(graph, period, DCAT.startDate) == date_literal("2024-01-02")
    assert (period, DCAT.endDate, None) not in graph


# -- SHACL ---------------------------------------------------------------------------------

#: Recommended properties left out on purpose (sh:Info in the shapes), always reported.
DELIBERATE = {
    ("Info", "foaf:Agent", "dcterms:description"),
    ("Info", "foaf:Agent", "org:classification"),
    ("Info", "vcard:Organization", "vcard:hasAddress"),
}

VARIANTS = {
    "full": (FULL, set()),
    "as-wired": (dataclasses.replace(FULL, publisher_id=None, datasets=(PLAIN_DATASET,)), {
        ("Warning", "dcat:Dataset", "dcterms:issued"),
        ("Warning", "dcat:Dataset", "dcterms:conformsTo"),
        ("Warning", "dcat:Catalog", "dcterms:issued"),
        ("Warning", "foaf:Agent", "dcterms:identifier"),
        ("Warning", "dcat:Distribution", "dcterms:description"),
    }),
    "minimal": (MINIMAL, {
        ("Warning", "dcat:Catalog", "dcterms:issued"),
        ("Warning", "dcat:Catalog", "dcterms:modified"),
        ("Warning", "dcat:Catalog", "dcterms:spatial"),
        ("Warning", "dcat:Dataset", "dcterms:issued"),
        ("Warning", "dcat:Dataset", "dcterms:temporal"),
        ("Warning", "dcat:Dataset", "dcterms:spatial"),
        ("Warning", "dcat:Dataset", "dcterms:conformsTo"),
        ("Warning", "dcat:Distribution", "dcterms:description"),
        ("Warning", "foaf:Agent", "dcterms:identifier"),
        ("Warning", "vcard:Organization", "vcard:hasTelephone"),
    }),
    "no-contact": (dataclasses.replace(MINIMAL, contact_email=None), {
        ("Warning", "dcat:Catalog", "dcterms:issued"),
        ("Warning", "dcat:Catalog", "dcterms:modified"),
        ("Warning", "dcat:Catalog", "dcterms:spatial"),
        ("Warning", "dcat:Dataset", "dcat:contactPoint"),
        ("Warning", "dcat:Dataset", "dcterms:issued"),
        ("Warning", "dcat:Dataset", "dcterms:temporal"),
        ("Warning", "dcat:Dataset", "dcterms:spatial"),
        ("Warning", "dcat:Dataset", "dcterms:conformsTo"),
        ("Warning", "dcat:Distribution", "dcterms:description"),
        ("Warning", "foaf:Agent", "dcterms:identifier"),
    }),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_shacl_no_violations_and_exactly_the_expected_warnings(variant: str) -> None:
    catalogue, warnings = VARIANTS[variant]
    conforms, results = validate(rdf(catalogue))
    deliberate = {r for r in DELIBERATE
                  if catalogue.contact_email or r[1] != "vcard:Organization"}
    assert results == warnings | deliberate
    assert conforms == (not warnings)
    assert not [r for r in results if r[0] == "Violation"]


def test_shacl_full_catalogue_conforms() -> None:
    conforms, _ = validate(rdf(FULL))
    assert conforms


MANDATORY = [
    # (class, property): DCAT-AP-SE's mandatory properties
    (DCAT.Catalog, DCTERMS["title"]),
    (DCAT.Catalog, DCTERMS.description),
    (DCAT.Catalog, DCTERMS.publisher),
    (DCAT.Catalog, DCTERMS.license),
    (DCAT.Catalog, DCAT.dataset),
    (DCAT.Dataset, DCTERMS["title"]),
    (DCAT.Dataset, DCTERMS.description),
    (DCAT.Dataset, DCTERMS.publisher),
    (DCAT.Distribution, DCAT.accessURL),
    (DCAT.Distribution, DCTERMS["format"]),
    (FOAF.Agent, FOAF.name),
    (FOAF.Agent, DCTERMS.type),
    (VCARD.Organization, VCARD.fn),
    (VCARD.Organization, VCARD.hasEmail),
]


@pytest.mark.parametrize(("cls", "prop"), MANDATORY,
                         ids=[f"{c.n3()}-{p.n3()}" for c, p in MANDATORY])
def test_shacl_missing_mandatory_property_is_a_violation(cls: URIRef, prop: URIRef) -> None:
    graph = rdf(FULL)
    subject = next(graph.subjects(RDF.type, cls))
    graph.remove((subject, prop, None))
    conforms, results = validate(graph)
    assert not conforms
    assert ("Violation", graph.qname(cls), graph.qname(prop)) in results


WRONG_VALUES = [
    # (what, class, property, wrong value)
    ("byte size as text", DCAT.Distribution, DCAT.byteSize, Literal("1234")),
    ("unknown frequency", DCAT.Dataset, DCTERMS.accrualPeriodicity,
     URIRef(EU + "frequency/SOMETIMES")),
    ("format not a file type", DCAT.Distribution, DCTERMS["format"],
     URIRef("https://example.org/csv")),
    ("catalogue licence not CC0", DCAT.Catalog, DCTERMS.license, URIRef(CC_BY)),
    ("title without language", DCAT.Dataset, DCTERMS["title"], Literal("Beslut")),
    ("publisher type not in the list", FOAF.Agent, DCTERMS.type,
     URIRef("http://purl.org/adms/publishertype/Whatever")),
    ("modified as text", DCAT.Dataset, DCTERMS.modified, Literal("i går")),
    ("theme not an EU data theme", DCAT.Dataset, DCAT.theme,
     URIRef(EU + "data-theme/FOOD")),
]


@pytest.mark.parametrize(("what", "cls", "prop", "value"), WRONG_VALUES,
                         ids=[w for w, *_ in WRONG_VALUES])
def test_shacl_wrong_value_is_a_violation(what: str, cls: URIRef, prop: URIRef,
                                          value: Any) -> None:
    graph = rdf(FULL)
    subject = next(graph.subjects(RDF.type, cls))
    graph.set((subject, prop, value))
    conforms, results = validate(graph)
    assert not conforms
    assert ("Violation", graph.qname(cls), graph.qname(prop)) in results


def test_shacl_blank_node_distribution_is_a_violation() -> None:
    graph = rdf(FULL)
    node = distribution_node(graph, CSV)
    blank = BNode()
    for p, o in list(graph.predicate_objects(node)):
        graph.add((blank, p, o))
    graph.remove((node, None, None))
    graph.remove((None, None, node))
    graph.add((URIRef(DATASET_URI), DCAT.distribution, blank))
    conforms, results = validate(graph)
    assert not conforms
    assert {("Violation", "dcat:Distribution", "(node)"),
            ("Violation", "dcat:Dataset", "dcat:distribution")} <= results


def test_shapes_frequencies_are_the_modules() -> None:
    """The shapes list DCAT-AP-SE's frequencies independently: the two must agree."""
    graph = shapes()
    lists = [Collection(graph, node) for node in graph.objects(None, SH["in"])]
    frequencies = next(list(c) for c in lists
                       if any(str(v).startswith(EU + "frequency/") for v in c))
    assert [str(f).rsplit("/", 1)[1] for f in frequencies] == list(dcat.FREQUENCIES)


# -- XML: escaping, well-formedness, determinism -------------------------------------------

TRICKY = 'Beslut <B> & "C" ]]> \'D\' – å\tä\nö\r\nslut'


@pytest.mark.parametrize("field", ["catalogue title", "catalogue description",
                                   "publisher", "contact", "dataset title", "keyword",
                                   "distribution title", "distribution description"])
def test_text_round_trips_through_rdflib(field: str) -> None:
    dataset, distribution = DECISIONS, CSV
    catalogue = FULL
    if field == "distribution title":
        distribution = dataclasses.replace(CSV, title=TRICKY)
    if field == "distribution description":
        distribution = dataclasses.replace(CSV, description=TRICKY)
    if field == "dataset title":
        dataset = dataclasses.replace(DECISIONS, title=TRICKY)
    if field == "keyword":
        dataset = dataclasses.replace(DECISIONS, keywords=(TRICKY,))
    dataset = dataclasses.replace(dataset, distributions=(distribution,))
    catalogue = dataclasses.replace(catalogue, datasets=(dataset,))
    if field == "catalogue title":
        catalogue = dataclasses.replace(catalogue, title=TRICKY)
    if field == "catalogue description":
        catalogue = dataclasses.replace(catalogue, description=TRICKY)
    if field == "publisher":
        catalogue = dataclasses.replace(catalogue, publisher_name=TRICKY)
    if field == "contact":
        catalogue = dataclasses.replace(catalogue, contact_name=TRICKY)
    text = dcat.catalogue_rdf(catalogue)
    ET.fromstring(text.encode("utf-8"))  # well-formed XML
    graph = parse(text)
    values = {str(o) for o in graph.objects() if isinstance(o, Literal)}
    assert TRICKY in values


def test_uri_with_ampersand_round_trips() -> None:
    url = SITE + 'export?format=csv&ar=2024&namn="x"'.replace('"', "%22")
    catalogue = dataclasses.replace(FULL, datasets=(dataclasses.replace(
        DECISIONS, distributions=(dataclasses.replace(CSV, download_url=url),)),))
    graph = rdf(catalogue)
    assert (None, DCAT.downloadURL, URIRef(url)) in graph


def test_deterministic_bytes() -> None:
    first = dcat.catalogue_rdf(FULL)
    again = dcat.catalogue_rdf(dataclasses.replace(FULL, datasets=tuple(
        dataclasses.replace(d) for d in FULL.datasets)))
    assert first.encode("utf-8") == again.encode("utf-8")
    assert first.startswith('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF')
    assert first.endswith("</rdf:RDF>\n")


def test_output_is_well_formed_xml_with_the_catalogue_first() -> None:
    root = ET.fromstring(dcat.catalogue_rdf(FULL).encode("utf-8"))
    assert root.tag == f"{{{RDF}}}RDF"
    assert root[0].tag == f"{{{DCAT}}}Catalog"


# -- labels and refusals -------------------------------------------------------------------

def test_frequency_labels() -> None:
    assert dcat.frequency_label("DAILY") == "dagligen"
    assert dcat.frequency_label("IRREG") == "oregelbundet"
    assert all(label and label == label.lower() for label in dcat.FREQUENCIES.values())
    with pytest.raises(ValueError, match="HOURLY"):
        dcat.frequency_label("HOURLY")


def replace_dataset(**changes: Any) -> Catalogue:
    return dataclasses.replace(FULL, datasets=(dataclasses.replace(DECISIONS, **changes),))


def replace_distribution(**changes: Any) -> Catalogue:
    return replace_dataset(distributions=(dataclasses.replace(CSV, **changes),))


REFUSED = [
    ("unknown frequency", dataclasses.replace(FULL, frequency="HOURLY"), "frekvens"),
    ("unknown publisher type", dataclasses.replace(FULL, publisher_type="Region"),
     "utgivartyp"),
    ("unknown language", dataclasses.replace(FULL, language="xx"), "språk"),
    ("no datasets", dataclasses.replace(FULL, datasets=()), "datamängder"),
    ("empty catalogue title", dataclasses.replace(FULL, title=" "), "titel"),
    ("empty dataset description", replace_dataset(description=""), "beskrivning"),
    ("empty publisher", dataclasses.replace(FULL, publisher_name=""), "utgivarens namn"),
    ("relative homepage", dataclasses.replace(FULL, homepage="/"), "absolut"),
    ("space in URL", replace_distribution(download_url=SITE + "mina beslut.csv"),
     "absolut"),
    ("quote in URI", replace_dataset(uri=SITE + '"x"'), "absolut"),
    ("ftp URL", replace_distribution(download_url="ftp://example.se/x.csv"), "absolut"),
    ("unknown media type", replace_distribution(media_type="text/x-beslut"), "mediatyp"),
    ("negative size", replace_distribution(byte_size=-1), "negativ"),
    ("unknown availability", replace_distribution(availability="FOREVER"),
     "tillgänglighet"),
    ("control character", dataclasses.replace(FULL, title="Beslut\x0c"), "U\\+000C"),
    ("bad e-mail", dataclasses.replace(FULL, contact_email="registrator"), "e-post"),
    ("bad organisation number", dataclasses.replace(FULL, publisher_id="123"),
     "organisationsnumret"),
]


@pytest.mark.parametrize(("what", "catalogue", "message"), REFUSED,
                         ids=[w for w, *_ in REFUSED])
def test_refused(what: str, catalogue: Catalogue, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dcat.catalogue_rdf(catalogue)
