"""The register's open data described in DCAT-AP-SE, for Sweden's data portal to harvest.

dataportal.se harvests one RDF/XML file per organisation (its "katalog") once a day and
passes it on to data.europa.eu. :func:`catalogue_rdf` writes that file by hand rather
than through rdflib, whose serializer does not keep an order: the same
:class:`Catalogue` gives the same bytes, so an unchanged register gives an unchanged
file. Dates come from the input (decision dates), never from the clock.

The profile followed is DCAT-AP-SE 3.0.1 (docs.dataportal.se/dcat/, and its RDForms
templates, which give each property's cardinality: *mandatory* is ``min 1``,
*recommended* is ``pref 1``). What is written, per class (M mandatory, R recommended,
O optional in DCAT-AP-SE):

``dcat:Catalog``
    dct:title M, dct:description M, dct:publisher M, dct:license M (always CC0: the
    Swedish profile requires CC0 for the catalogue's metadata, whatever licence the data
    has), dcat:dataset M, dct:issued R (the earliest dataset ``issued``, when one is
    given), dct:language R, dct:modified R (the latest dataset ``modified``),
    foaf:homepage R, dct:spatial R (when given), dcat:themeTaxonomy R (the EU data
    themes, which dcat:theme uses).
``dcat:Dataset``
    dct:title M, dct:description M, dct:publisher M (the catalogue's publisher: the
    harvesting guide asks for one description of an organisation, not one per
    dataset), dcat:contactPoint R (when there is an e-mail address, see below),
    dcat:keyword R, dcat:theme R (GOVE), dct:issued R (when given), dct:temporal R
    (when dates exist), dct:spatial R (when given), dct:accessRights R (PUBLIC: the
    register is public), dct:conformsTo R (when given), dct:identifier O,
    dct:modified O, dct:language O, dcat:landingPage O, dct:accrualPeriodicity O,
    dcat:distribution O.
``dcat:Distribution``
    dcat:accessURL M (the landing page), dct:format M, dct:description R (when not
    empty), dcatap:availability R, dct:license R (the catalogue's ``licence``),
    dct:title O, dcat:downloadURL O, dcat:mediaType O, dcat:byteSize O (when given),
    dct:conformsTo O (when given).
``foaf:Agent`` (the publisher)
    foaf:name M, dct:type M (EU/ADMS publisher type), dct:identifier R (the
    organisation number, when given), foaf:homepage O (when given).
``vcard:Organization`` (the contact point)
    vcard:fn M, vcard:hasEmail M, vcard:hasTelephone R (when given).
``dct:PeriodOfTime``
    dcat:startDate R, dcat:endDate R (each when its date exists).

Deliberate choices and omissions, and why:

* **Format.** DCAT-AP-SE's own form of the mandatory format is a literal IANA media type
  in dct:format (``"text/csv"``). That literal is not valid DCAT-AP (dct:format's range
  is a resource), and since DCAT-AP-SE 3.0 the harvester also accepts the European form:
  dct:format from the EU file-type authority plus dcat:mediaType as an IANA URI. That form
  is written, so the file is valid both in Sweden and in Europe. JSON Schema's type
  ``application/schema+json`` is not registered at IANA: a schema is described as JSON
  (file type JSON, media type ``application/json``, as web servers serve ``.json``).
* **Contact point only with an e-mail address.** vcard:hasEmail is mandatory on a contact
  point; a contact point without one would make the file fail validation, while the
  contact point itself is only recommended. Without ``contact_email`` none is written.
  A telephone number is written the way DCAT-AP-SE writes it, as a vcard:Voice whose
  vcard:hasValue is a ``tel:`` URI with the country code (a Swedish number written
  ``010-…`` becomes ``tel:+4610…``).
* **Not written although recommended:** the agent's dct:description and
  org:classification (the latter only marks organisations financed by fees, which a
  register's publisher is not; a description would be invented text), and the contact
  point's vcard:hasAddress (the configuration has no postal address; e-mail and
  telephone are the ways to get in touch).
* **No blank nodes** for catalogue, datasets, distributions, publisher and contact point,
  as the harvesting guide requires: the publisher is
  ``http://dataportal.se/organisation/SE<organisation number>`` when the number is given
  (the address the portal uses to merge one organisation harvested from several
  catalogues), else ``<catalogue>#utgivare``; the contact point is
  ``<catalogue>#kontaktpunkt``; a distribution is the dataset's URI plus its file name.
  The time period and the telephone are blank nodes, as in the profile's examples.
* **Fields with defaults, beyond the basic interface:** ``Catalogue.publisher_type``
  (dct:type, mandatory since 3.0.1) and ``publisher_id`` (the organisation number:
  dct:identifier and the publisher's URI), ``Dataset.issued`` and ``conforms_to``
  (recommended), ``Distribution.availability`` (recommended; STABLE, since the files keep
  their addresses) and ``conforms_to``.
* **Values are checked, not repaired:** a URI that is not absolute http(s) or holds
  characters an IRI cannot (spaces, ``<``), a character XML 1.0 cannot carry, an unknown
  frequency, publisher type, media type or language, or an empty mandatory text raises
  :class:`ValueError`; the portal would reject or misread the file otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final
from urllib.parse import urlsplit

CC0: Final = "http://creativecommons.org/publicdomain/zero/1.0/"

#: The EU frequency authority's codes that DCAT-AP-SE allows for dct:accrualPeriodicity,
#: most frequent first, with a Swedish label that reads after "uppdateras".
FREQUENCIES: Final[Mapping[str, str]] = MappingProxyType({
    "CONT": "kontinuerligt",
    "UPDATE_CONT": "löpande",
    "DAILY_2": "två gånger om dagen",
    "DAILY": "dagligen",
    "WEEKLY_3": "tre gånger i veckan",
    "WEEKLY_2": "två gånger i veckan",
    "WEEKLY": "varje vecka",
    "MONTHLY_3": "tre gånger i månaden",
    "BIWEEKLY": "varannan vecka",
    "MONTHLY_2": "två gånger i månaden",
    "MONTHLY": "varje månad",
    "BIMONTHLY": "varannan månad",
    "QUARTERLY": "varje kvartal",
    "ANNUAL_3": "tre gånger om året",
    "ANNUAL_2": "två gånger om året",
    "ANNUAL": "varje år",
    "BIENNIAL": "vartannat år",
    "TRIENNIAL": "vart tredje år",
    "IRREG": "oregelbundet",
    "OTHER": "med annan frekvens",
    "UNKNOWN": "med okänd frekvens",
    "NEVER": "aldrig",
})

#: The publisher types (ADMS vocabulary) that DCAT-AP-SE lists, with Swedish labels.
PUBLISHER_TYPES: Final[Mapping[str, str]] = MappingProxyType({
    "Academia-ScientificOrganisation": "akademi eller vetenskaplig organisation",
    "Company": "företag",
    "IndustryConsortium": "industrikonsortium",
    "LocalAuthority": "lokal myndighet eller kommun",
    "NationalAuthority": "nationell myndighet",
    "NonGovernmentalOrganisation": "icke-statlig organisation",
    "NonProfitOrganisation": "ej vinstdrivande organisation",
    "PrivateIndividual(s)": "privatperson",
    "RegionalAuthority": "regional myndighet eller region",
    "StandardisationBody": "standardiseringsorganisation",
    "SupraNationalAuthority": "överstatlig myndighet",
})

#: The EU planned-availability codes (dcatap:availability).
AVAILABILITIES: Final = ("TEMPORARY", "EXPERIMENTAL", "AVAILABLE", "STABLE")

#: Media type -> (EU file-type code for dct:format, IANA media type for dcat:mediaType).
MEDIA_TYPES: Final[Mapping[str, tuple[str, str]]] = MappingProxyType({
    "text/csv": ("CSV", "text/csv"),
    "application/json": ("JSON", "application/json"),
    "application/schema+json": ("JSON", "application/json"),  # not registered at IANA
    "application/ld+json": ("JSON_LD", "application/ld+json"),
    "application/geo+json": ("GEOJSON", "application/geo+json"),
    "application/atom+xml": ("ATOM", "application/atom+xml"),
    "application/rss+xml": ("RSS", "application/rss+xml"),
    "application/rdf+xml": ("RDF_XML", "application/rdf+xml"),
    "text/turtle": ("RDF_TURTLE", "text/turtle"),
    "application/xml": ("XML", "application/xml"),
    "text/html": ("HTML", "text/html"),
    "text/plain": ("TXT", "text/plain"),
    "application/pdf": ("PDF", "application/pdf"),
    "application/zip": ("ZIP", "application/zip"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
})

#: Language tag (xml:lang) -> EU language authority code.
LANGUAGES: Final[Mapping[str, str]] = MappingProxyType({
    "sv": "SWE", "en": "ENG", "fi": "FIN", "da": "DAN", "nb": "NOB", "nn": "NNO",
    "de": "DEU", "fr": "FRA", "es": "SPA",
})

THEME: Final = "GOVE"  # Government and public sector

RDF_NS: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_NS: Final = "http://www.w3.org/2001/XMLSchema#"
NAMESPACES: Final = (
    ("rdf", RDF_NS),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dcatap", "http://data.europa.eu/r5r/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
)

AUTHORITY: Final = "http://publications.europa.eu/resource/authority/"
FREQUENCY_BASE: Final = AUTHORITY + "frequency/"
FILE_TYPE_BASE: Final = AUTHORITY + "file-type/"
LANGUAGE_BASE: Final = AUTHORITY + "language/"
THEME_SCHEME: Final = AUTHORITY + "data-theme"
ACCESS_RIGHT_BASE: Final = AUTHORITY + "access-right/"
AVAILABILITY_BASE: Final = AUTHORITY + "planned-availability/"
IANA_BASE: Final = "https://www.iana.org/assignments/media-types/"
PUBLISHER_TYPE_BASE: Final = "http://purl.org/adms/publishertype/"
ORGANISATION_BASE: Final = "http://dataportal.se/organisation/SE"


@dataclass(frozen=True)
class Distribution:
    """One file of a dataset."""

    title: str  # Swedish, e.g. "Alla beslut som CSV"
    download_url: str  # absolute URL of the file
    media_type: str  # a key of MEDIA_TYPES, e.g. "text/csv"
    description: str = ""  # Swedish
    byte_size: int | None = None
    availability: str = "STABLE"  # one of AVAILABILITIES
    conforms_to: tuple[str, ...] = ()  # URIs of specifications the file follows


@dataclass(frozen=True)
class Dataset:
    """One dataset: what it is, where people read about it, and its files."""

    uri: str  # absolute URI identifying the dataset
    title: str  # Swedish
    description: str  # Swedish
    keywords: tuple[str, ...]
    landing_page: str  # absolute URL of the human-readable page
    distributions: tuple[Distribution, ...]
    first_date: date | None  # temporal coverage: first to last decision date
    last_date: date | None
    modified: date | None  # e.g. the last decision date (never the build time)
    issued: date | None = None  # when the dataset was first published
    conforms_to: tuple[str, ...] = ()  # URIs of specifications (schemas) it follows


@dataclass(frozen=True)
class Catalogue:
    """The catalogue dataportal.se harvests, with the publisher and contact of its datasets."""

    uri: str  # absolute URI of the catalogue (the katalog.rdf URL)
    title: str
    description: str
    homepage: str  # the site's home
    publisher_name: str
    publisher_url: str | None
    contact_name: str
    contact_email: str | None
    contact_phone: str | None
    licence: str  # the data's licence URI (the catalogue's own is always CC0)
    frequency: str  # a key of FREQUENCIES
    spatial: str | None  # a URI, e.g. "http://data.europa.eu/nuts/code/SE322"
    datasets: tuple[Dataset, ...]
    language: str = "sv"  # a key of LANGUAGES
    publisher_type: str = "RegionalAuthority"  # a key of PUBLISHER_TYPES
    publisher_id: str | None = None  # organisationsnummer, e.g. "232100-0123"


def frequency_label(code: str) -> str:
    """The Swedish label of a frequency code: ``"DAILY"`` -> ``"dagligen"``."""
    try:
        return FREQUENCIES[code]
    except KeyError:
        raise ValueError(f"okänd uppdateringsfrekvens {code!r}; tillåtna: "
                         f"{', '.join(FREQUENCIES)}") from None


def catalogue_rdf(catalogue: Catalogue) -> str:
    """The catalogue as DCAT-AP-SE RDF/XML (UTF-8 text, ending in a newline)."""
    return "".join(_Writer(catalogue).document())


# -- checks ------------------------------------------------------------------------------

#: Characters XML 1.0 cannot carry (tab, line feed and carriage return it can).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: An absolute http(s) IRI without the characters RFC 3987 excludes.
_IRI = re.compile(r"https?://[^\s/?#<>\"{}|\\^`]+(?:[/?#][^\s<>\"{}|\\^`]*)?")
_IRI_CHARS = re.compile(r"[^\x00-\x20\x7f-\x9f<>\"{}|\\^`]*")
_EMAIL = re.compile(r"[^@\s<>\"?#%/]+@[^@\s<>\"?#%/]+\.[^@\s<>\"?#%/]+")


def _iri(value: str, what: str) -> str:
    if not (_IRI.fullmatch(value) and _IRI_CHARS.fullmatch(value)):
        raise ValueError(f"{what}: {value!r} är ingen absolut http(s)-adress (IRI); "
                         "mellanslag och tecken som < > \" måste kodas")
    return value


def _required(value: str, what: str) -> str:
    if not value.strip():
        raise ValueError(f"{what} saknas (obligatoriskt i DCAT-AP-SE)")
    return value


def _mailto(email: str) -> str:
    email = email.strip()
    if not _EMAIL.fullmatch(email):
        raise ValueError(f"kontaktpunktens e-postadress {email!r} är ogiltig")
    return "mailto:" + email


def _tel(phone: str) -> str:
    """A ``tel:`` URI in international form: ``010-123 45 67`` -> ``tel:+46101234567``."""
    digits = re.sub(r"[\s\-.()/]", "", phone.replace("(0)", ""))  # +46 (0)63 …
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+46" + digits[1:]  # a Swedish number without its country code
    if not re.fullmatch(r"\+[1-9][0-9]{5,14}", digits):
        raise ValueError(f"telefonnumret {phone!r} går inte att skriva med landsnummer "
                         "(t.ex. +46 10 123 45 67)")
    return "tel:" + digits


def _organisation_number(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise ValueError(f"organisationsnumret {value!r} ska ha tio siffror")
    return digits


def _distribution_uris(dataset: Dataset) -> list[str]:
    """URIs for the dataset's distributions: its own URI and the file name, unique."""
    joiner = "-" if "#" in dataset.uri else "#"
    uris: list[str] = []
    for distribution in dataset.distributions:
        name = urlsplit(distribution.download_url).path.rsplit("/", 1)[-1]
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "fil"
        uri, n = f"{dataset.uri}{joiner}{slug}", 1
        while uri in uris:
            n += 1
            uri = f"{dataset.uri}{joiner}{slug}-{n}"
        uris.append(uri)
    return uris


# -- XML ---------------------------------------------------------------------------------

def _check_xml(value: str) -> str:
    bad = _NOT_XML.search(value)
    if bad:
        raise ValueError(f"tecknet U+{ord(bad.group()):04X} kan inte skrivas i XML: "
                         f"{value!r}")
    return value


def _text(value: str) -> str:
    """Character data: ``&``, ``<`` and ``>`` escaped, a carriage return kept as one."""
    return (_check_xml(value).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\r", "&#13;"))


def _attribute(value: str) -> str:
    """A double-quoted attribute value; whitespace kept (not normalised to spaces)."""
    return (_text(value).replace('"', "&quot;").replace("\t", "&#9;")
            .replace("\n", "&#10;"))


class _Writer:
    """Writes one catalogue, node by node, in a fixed order."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.c = catalogue
        self.lang = catalogue.language
        if self.lang not in LANGUAGES:
            raise ValueError(f"okänt språk {self.lang!r}; kända: {', '.join(LANGUAGES)}")
        frequency_label(catalogue.frequency)  # raises for an unknown code
        if catalogue.publisher_type not in PUBLISHER_TYPES:
            raise ValueError(f"okänd utgivartyp {catalogue.publisher_type!r}; tillåtna: "
                             f"{', '.join(PUBLISHER_TYPES)}")
        if not catalogue.datasets:
            raise ValueError("katalogen har inga datamängder (minst en är obligatorisk)")
        base = _iri(catalogue.uri, "katalogens adress").split("#", 1)[0]
        self.publisher = (f"{ORGANISATION_BASE}{_organisation_number(catalogue.publisher_id)}"
                          if catalogue.publisher_id else f"{base}#utgivare")
        self.contact = f"{base}#kontaktpunkt" if catalogue.contact_email else None
        self.language = LANGUAGE_BASE + LANGUAGES[self.lang]

    # lines ---------------------------------------------------------------------------

    def literal(self, prop: str, value: str, *, lang: bool = True) -> str:
        attribute = f' xml:lang="{self.lang}"' if lang else ""
        return f"    <{prop}{attribute}>{_text(value)}</{prop}>\n"

    @staticmethod
    def typed(prop: str, value: str, datatype: str) -> str:
        return (f'    <{prop} rdf:datatype="{XSD_NS}{datatype}">{_text(value)}'
                f"</{prop}>\n")

    @staticmethod
    def resource(prop: str, uri: str) -> str:
        return f'    <{prop} rdf:resource="{_attribute(uri)}"/>\n'

    @staticmethod
    def node(rdf_type: str, uri: str, lines: Iterable[str]) -> Iterator[str]:
        yield f'  <{rdf_type} rdf:about="{_attribute(uri)}">\n'
        yield from lines
        yield f"  </{rdf_type}>\n"

    # nodes ---------------------------------------------------------------------------

    def document(self) -> Iterator[str]:
        yield '<?xml version="1.0" encoding="utf-8"?>\n'
        yield "<rdf:RDF"
        yield "".join(f'\n    xmlns:{prefix}="{ns}"' for prefix, ns in NAMESPACES)
        yield ">\n"
        yield from self.node("dcat:Catalog", self.c.uri, self.catalogue_lines())
        yield from self.node("foaf:Agent", self.publisher, self.publisher_lines())
        if self.contact:
            yield from self.node("vcard:Organization", self.contact, self.contact_lines())
        for dataset in self.c.datasets:
            uris = _distribution_uris(dataset)
            yield from self.node("dcat:Dataset", _iri(dataset.uri, "datamängdens adress"),
                                 self.dataset_lines(dataset, uris))
            for uri, distribution in zip(uris, dataset.distributions, strict=True):
                yield from self.node("dcat:Distribution", uri,
                                     self.distribution_lines(dataset, distribution))
        yield "</rdf:RDF>\n"

    def catalogue_lines(self) -> Iterator[str]:
        c = self.c
        yield self.literal("dcterms:title", _required(c.title, "katalogens titel"))
        yield self.literal("dcterms:description",
                           _required(c.description, "katalogens beskrivning"))
        yield self.resource("dcterms:publisher", self.publisher)
        yield self.resource("foaf:homepage", _iri(c.homepage, "katalogens webbplats"))
        yield self.resource("dcterms:license", CC0)
        yield self.resource("dcterms:language", self.language)
        issued = [d.issued for d in c.datasets if d.issued]
        if issued:
            yield self.typed("dcterms:issued", min(issued).isoformat(), "date")
        modified = [d.modified for d in c.datasets if d.modified]
        if modified:
            yield self.typed("dcterms:modified", max(modified).isoformat(), "date")
        if c.spatial:
            yield self.resource("dcterms:spatial", _iri(c.spatial, "geografiskt område"))
        yield self.resource("dcat:themeTaxonomy", THEME_SCHEME)
        for dataset in c.datasets:
            yield self.resource("dcat:dataset", dataset.uri)

    def publisher_lines(self) -> Iterator[str]:
        c = self.c
        yield self.literal("foaf:name", _required(c.publisher_name, "utgivarens namn"))
        yield self.resource("dcterms:type", PUBLISHER_TYPE_BASE + c.publisher_type)
        if c.publisher_id:
            yield self.literal("dcterms:identifier", _organisation_number(c.publisher_id),
                               lang=False)
        if c.publisher_url:
            yield self.resource("foaf:homepage", _iri(c.publisher_url, "utgivarens webbplats"))

    def contact_lines(self) -> Iterator[str]:
        c = self.c
        assert c.contact_email is not None
        name = c.contact_name.strip() or _required(c.publisher_name, "utgivarens namn")
        yield self.literal("vcard:fn", name, lang=False)
        yield self.resource("vcard:hasEmail", _mailto(c.contact_email))
        if c.contact_phone and c.contact_phone.strip():
            yield "    <vcard:hasTelephone>\n      <vcard:Voice>\n"
            yield "    " + self.resource("vcard:hasValue", _tel(c.contact_phone))
            yield "      </vcard:Voice>\n    </vcard:hasTelephone>\n"

    def dataset_lines(self, d: Dataset, distribution_uris: list[str]) -> Iterator[str]:
        c = self.c
        yield self.literal("dcterms:title", _required(d.title, "datamängdens titel"))
        yield self.literal("dcterms:description",
                           _required(d.description, "datamängdens beskrivning"))
        yield self.literal("dcterms:identifier", d.uri, lang=False)
        yield self.resource("dcterms:publisher", self.publisher)
        if self.contact:
            yield self.resource("dcat:contactPoint", self.contact)
        seen: set[str] = set()
        for keyword in (k.strip() for k in d.keywords):
            if keyword and keyword not in seen:
                seen.add(keyword)
                yield self.literal("dcat:keyword", keyword)
        yield self.resource("dcat:theme", f"{AUTHORITY}data-theme/{THEME}")
        yield self.resource("dcterms:accessRights", ACCESS_RIGHT_BASE + "PUBLIC")
        yield self.resource("dcterms:accrualPeriodicity", FREQUENCY_BASE + c.frequency)
        yield self.resource("dcterms:language", self.language)
        yield self.resource("dcat:landingPage", _iri(d.landing_page, "datamängdens sida"))
        if d.issued:
            yield self.typed("dcterms:issued", d.issued.isoformat(), "date")
        if d.modified:
            yield self.typed("dcterms:modified", d.modified.isoformat(), "date")
        if d.first_date or d.last_date:
            yield "    <dcterms:temporal>\n      <dcterms:PeriodOfTime>\n"
            if d.first_date:
                yield "    " + self.typed("dcat:startDate", d.first_date.isoformat(), "date")
            if d.last_date:
                yield "    " + self.typed("dcat:endDate", d.last_date.isoformat(), "date")
            yield "      </dcterms:PeriodOfTime>\n    </dcterms:temporal>\n"
        if c.spatial:
            yield self.resource("dcterms:spatial", c.spatial)
        for spec in d.conforms_to:
            yield self.resource("dcterms:conformsTo", _iri(spec, "specifikation"))
        for uri in distribution_uris:
            yield self.resource("dcat:distribution", uri)

    def distribution_lines(self, d: Dataset, f: Distribution) -> Iterator[str]:
        try:
            file_type, iana = MEDIA_TYPES[f.media_type]
        except KeyError:
            raise ValueError(f"okänd mediatyp {f.media_type!r}; kända: "
                             f"{', '.join(MEDIA_TYPES)}") from None
        if f.availability not in AVAILABILITIES:
            raise ValueError(f"okänd tillgänglighet {f.availability!r}; tillåtna: "
                             f"{', '.join(AVAILABILITIES)}")
        if f.title.strip():
            yield self.literal("dcterms:title", f.title)
        if f.description.strip():
            yield self.literal("dcterms:description", f.description)
        yield self.resource("dcat:accessURL", d.landing_page)
        yield self.resource("dcat:downloadURL", _iri(f.download_url, "filens adress"))
        yield self.resource("dcterms:format", FILE_TYPE_BASE + file_type)
        yield self.resource("dcat:mediaType", IANA_BASE + iana)
        yield self.resource("dcterms:license", _iri(self.c.licence, "licensen"))
        yield self.resource("dcatap:availability", AVAILABILITY_BASE + f.availability)
        if f.byte_size is not None:
            if f.byte_size < 0:
                raise ValueError(f"filstorleken {f.byte_size} är negativ")
            yield self.typed("dcat:byteSize", str(f.byte_size), "nonNegativeInteger")
        for spec in f.conforms_to:
            yield self.resource("dcterms:conformsTo", _iri(spec, "specifikation"))
