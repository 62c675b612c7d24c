"""The plugin's options in ``mkdocs.yml``, validated by MkDocs' own config machinery.

Every option is checked here, once, by its option type: ``mkdocs build`` and
``beslutsregister check`` both load ``mkdocs.yml`` with MkDocs' ``load_config``, which
validates the options through this class, so they refuse the same values with the same
messages. Checks that need more than the option itself (folders, the environment's
clock) are in :mod:`~beslutsregister.folders` and :mod:`~beslutsregister.publication`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import ClassVar

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config, ValidationError

from ..core.dcat import FREQUENCIES, PUBLISHER_TYPES
from ..core.opendata import CC0
from ..core.publication import ClockError, parse_day
from ..core.statement import COMPLIANCE_LEVELS
from ..core.validation import DEFAULT_DIARY_DESCRIPTION, DEFAULT_DIARY_PATTERN


class _Pattern(opt.Type[str]):
    """A regular expression, compiled once here so a typo fails with a message, not a crash."""

    def run_validation(self, value: object) -> str:
        pattern = super().run_validation(value)
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValidationError(f"'{pattern}' is not a regular expression ({exc}); "
                                  "expected e.g. [A-Z]+/[0-9]+/[0-9]{4}") from None
        return pattern


class _Day(opt.Type[str]):
    """A real calendar date written ``YYYY-MM-DD``, kept as that text.

    An unquoted YAML date (``today: 2024-06-01``) is accepted; a quoted impossible one
    (``today: "2024-02-30"``) is refused here. (An unquoted impossible date never gets
    here: PyYAML fails while reading mkdocs.yml.)
    """

    def run_validation(self, value: object) -> str:
        if isinstance(value, datetime):  # YAML's 2024-06-01 10:00: a time is not a day
            value = str(value)
        elif isinstance(value, date):
            value = value.isoformat()
        text = super().run_validation(value)
        try:
            parse_day(text)
        except ClockError as exc:
            raise ValidationError(str(exc)) from None
        return text


class _Count(opt.Type[int]):
    """A whole number, at least ``minimum``, written without quotes."""

    def __init__(self, default: int | None, minimum: int = 1, example: int | None = None,
                 maximum: int | None = None) -> None:
        super().__init__(int, default=default)
        self.minimum, self.maximum = minimum, maximum
        self.example = default if example is None else example

    def run_validation(self, value: object) -> int:
        expected = f"expected a whole number without quotes, {self.minimum} or more"
        if isinstance(value, str):
            raise ValidationError(f"'{value}' is text, not a whole number; {expected}, "
                                  f"e.g. {self.example}")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{value!r} is not a whole number; {expected}, "
                                  f"e.g. {self.example}")
        if value < self.minimum:
            raise ValidationError(f"{value} is too small; expected {self.minimum} or more")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(f"{value} is too large; expected {self.maximum} or less")
        return value


class _Text(opt.Type[str]):
    """Plain text that is not empty (a value shown on the public site)."""

    def __init__(self, default: str | None = None, example: str = "") -> None:
        super().__init__(str, default=default)
        self.example = example

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError(f"{value!r} is not text; expected e.g. '{self.example}'")
        if not value.strip():
            raise ValidationError(f"is empty; expected e.g. '{self.example}'")
        return value.strip()


class _Shaped(_Text):
    """Text of a known shape (``shape``, matched whole), named ``what`` in messages."""

    shape: ClassVar[re.Pattern[str]]
    what: ClassVar[str]
    expected: ClassVar[str] = ""  # said before the example, e.g. "ten digits, "

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        if not self.shape.fullmatch(text):
            raise ValidationError(f"'{text}' is not {self.what}; "
                                  f"expected {self.expected}e.g. '{self.example}'")
        return text


class _Email(_Shaped):
    """An e-mail address: one ``@``, no spaces."""

    shape = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
    what = "an e-mail address"


class _WebAddress(_Shaped):
    """An absolute http(s) address (a licence, a publisher's site, a place's URI)."""

    shape = re.compile(r"https?://[^\s/]+\.[^\s]+|https?://[^\s/]+/[^\s]*")
    what = "a web address"


class _OrganisationNumber(_Shaped):
    """A Swedish organisationsnummer: ten digits, usually written NNNNNN-NNNN."""

    shape = re.compile(r"[0-9]{6}-?[0-9]{4}")
    what = "an organisationsnummer"
    expected = "ten digits, "

    def run_validation(self, value: object) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return super().run_validation(value)


class _Phone(_Text):
    """A telephone number: digits, spaces, ``+``, ``-`` and parentheses, 6 digits or more."""

    def run_validation(self, value: object) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            raise ValidationError(f"{value} was read as a number (a leading 0 or + is lost); "
                                  f"write it in quotes, e.g. '{self.example}'")
        text = super().run_validation(value)
        if (not re.fullmatch(r"\+?[0-9 ()\-]+", text)
                or len(re.sub(r"[^0-9]", "", text)) < 6):
            raise ValidationError(f"'{text}' is not a telephone number; "
                                  f"expected e.g. '{self.example}'")
        return text


class AccessibilityConfig(Config):
    """Facts of the accessibility statement (``tillganglighet/``) and the footer."""

    authority = opt.Optional(_Text(example="Region Jämtland Härjedalen"))
    """The authority responsible for the site; defaults to ``site_name``."""

    service = opt.Optional(_Text(example="Beslutsregister"))
    """The service (website) the statement covers; defaults to ``site_name``."""

    contact_email = opt.Optional(_Email(example="tillganglighet@example.se"))
    """Where visitors report problems and ask for content in another form."""

    contact_phone = opt.Optional(_Phone(example="063-14 75 00"))

    compliance = opt.Choice(COMPLIANCE_LEVELS, default="delvis")
    """How far the site meets the law: ``helt``, ``delvis`` or ``inte`` förenlig."""

    assessed_on = opt.Optional(_Day(str))
    """When the site was last assessed (``YYYY-MM-DD``); a year later the build warns."""

    assessment_method = _Text(default="en egen granskning (självskattning)",
                              example="en extern granskning")
    """How it was assessed, completing "Vi har bedömt webbplatsen genom ..."."""

    updated_on = opt.Optional(_Day(str))
    """When the statement was last updated; defaults to ``assessed_on``."""

    known_issues = opt.Optional(opt.ListOfItems(_Text(example="Diagrammen saknar textalternativ")))
    """The content that is not accessible and why, one sentence each; defaults to the
    register's own known limits unless ``compliance`` is ``helt``."""

    def validate(self) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        failed, warnings = super().validate()
        issues = self.get("known_issues")
        compliance = self.get("compliance")
        if not failed and compliance == "helt" and issues:
            failed.append(("known_issues", ValidationError(
                "lists content that is not accessible, but compliance is 'helt'; "
                "expected compliance 'delvis' or 'inte', or no known_issues")))
        elif not failed and compliance != "helt" and issues == []:
            failed.append(("known_issues", ValidationError(
                f"is empty, but compliance is '{compliance}'; expected the content that "
                "is not accessible and why, or compliance 'helt'")))
        return failed, warnings


class OpenDataConfig(Config):
    """Facts of the open data: the DCAT-AP-SE catalogue and the "Öppna data" page."""

    publisher = opt.Optional(_Text(example="Region Jämtland Härjedalen"))
    """Who publishes the data; defaults to the accessibility statement's authority,
    else ``site_name``."""

    publisher_url = opt.Optional(_WebAddress(example="https://www.regionjh.se/"))

    publisher_type = opt.Choice(tuple(PUBLISHER_TYPES), default="RegionalAuthority")
    """The publisher's kind (EU vocabulary): ``RegionalAuthority`` for a region,
    ``LocalAuthority`` for a municipality."""

    organisation_number = opt.Optional(_OrganisationNumber(example="232100-0000"))
    """The authority's organisationsnummer: dataportal.se joins its datasets by it."""

    contact_email = opt.Optional(_Email(example="registrator@example.se"))
    """Where to ask about the data; defaults to the accessibility contact."""

    contact_phone = opt.Optional(_Phone(example="063-14 75 00"))

    licence = _WebAddress(default=CC0, example=CC0)
    """The data's licence, as its address; CC0 (no rights reserved) by default."""

    frequency = opt.Choice(tuple(FREQUENCIES), default="IRREG")
    """How often the data is updated, as an EU frequency code (DAILY, WEEKLY, IRREG...)."""

    spatial = opt.Optional(_WebAddress(example="http://data.europa.eu/nuts/code/SE322"))
    """The area the decisions concern, as a URI (a NUTS region, say)."""

    keywords = opt.Optional(opt.ListOfItems(_Text(example="regional utveckling")))
    """Keywords of the datasets; defaults to the register's own."""


class RegisterConfig(Config):
    """Options of the ``beslutsregister`` plugin."""

    cases_dir = opt.Type(str, default="cases")
    """Folder of case files and ``programmes.yml``, relative to ``mkdocs.yml``."""

    diary_number_pattern = _Pattern(str, default=DEFAULT_DIARY_PATTERN)
    """Regular expression a whole diary number must match (authorities use other forms)."""

    diary_number_description = opt.Type(str, default=DEFAULT_DIARY_DESCRIPTION)
    """How the pattern is explained to staff in error messages."""

    today = opt.Optional(_Day(str))
    """Fix the date embargoes are judged against (``YYYY-MM-DD``), for tests and audits.

    Defaults to the environment variable ``BESLUTSREGISTER_TODAY``, else today's date in
    Sweden."""

    feed_size = _Count(default=50)
    """How many of the latest decisions the Atom feed carries."""

    retention_years = opt.Optional(_Count(default=None, example=10, maximum=200))
    """Withdraw decisions more than this many years old from the web (gallring); off by
    default. Their addresses keep a notice; "Om registret" states the rule."""

    registry_email = opt.Optional(_Email(example="registrator@regionjh.se"))
    """The registry's e-mail: every case page links "Begär ut handlingarna" to it."""

    registry_url = opt.Optional(_WebAddress(
        example="https://e-tjanst.example.se/begaran?arende={diarienummer}"))
    """An e-service form for requests instead; ``{diarienummer}`` in it is replaced by
    the diary number, else ``diarienummer=...`` is added."""

    build_cache = opt.Type(bool, default=True)
    """Reuse what the last public build made where nothing it depends on changed: parsed
    case files, case pages, the output guard's verdicts (see ``build_cache_dir``). The
    output guard and the swap run on every build. ``false``: build everything afresh."""

    build_cache_dir = opt.Type(str, default=".cache/beslutsregister")
    """The build cache's folder, relative to ``mkdocs.yml``; outside docs_dir, site_dir
    and cases_dir. Delete it to start afresh; it is rebuilt."""

    open_data = opt.SubConfig(OpenDataConfig)
    """The open data's publisher, contact, licence and update frequency (DCAT-AP-SE)."""

    accessibility = opt.SubConfig(AccessibilityConfig)
    """The accessibility statement's facts (DOS-lagen), also shown in every page's footer."""
