"""The accessibility statement (tillgänglighetsredogörelse) and the footer's contact line.

The law on accessibility of digital public services (DOS-lagen, 2018:1937) requires a
public authority's website to publish a statement with what DIGG (Myndigheten för
digital förvaltning) lists: the authority and the service, how far the site meets the
requirements, the content that is not accessible and why, how and when that was
assessed, when the statement was last updated, how to give feedback, and a link to
DIGG's form for reporting a site. Its facts are the plugin's ``accessibility`` options;
this module only writes them out. Every value enters as escaped HTML (in raw HTML
blocks, which Markdown leaves alone), as in :mod:`beslutsregister.pages`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from .swedish import format_date

#: The statement page, as a generated Markdown source (published as ``tillganglighet/``).
STATEMENT_PAGE = "tillganglighet.md"
STATEMENT_TITLE = "Tillgänglighetsredogörelse"
#: DIGG's form for reporting a site that does not meet the law.
DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"
#: The options' compliance levels, and how the statement says each.
COMPLIANCE_LEVELS = ("helt", "delvis", "inte")
COMPLIANCE_TEXT = {
    "helt": "helt förenlig",
    "delvis": "delvis förenlig",
    "inte": "inte förenlig",
}
#: What the statement lists when the options list nothing and compliance is not "helt":
#: the register's own known limits.
DEFAULT_KNOWN_ISSUES = (
    "Beslutstexterna skrivs av handläggare. Bilder utan textalternativ stoppas och "
    "tabeller får rubrikceller och egen rullning, men rubrikordning och länktexter i "
    "enskilda beslut granskas inte automatiskt och kan därför brista.",
    "Sökningen kräver JavaScript. Utan JavaScript går det att hitta besluten genom "
    "registrets översikt per år, finansieringsprogram och enhet.",
    "På smala skärmar kan menyknappen inte nås med tangentbordet; menyn öppnas i stället "
    "när fokus når den, och dess huvudavsnitt kan inte fällas ut med tangentbordet. Alla "
    "sidor i menyn nås också från registrets översiktssida.",
    "Webbplatsens tema skriver attributet autocomplete på två dolda kryssrutor, vilket "
    "inte är giltig HTML. Det påverkar varken läsning eller hjälpmedel.",
)


@dataclass(frozen=True)
class AccessibilityFacts:
    """The statement's facts: the plugin's ``accessibility`` options, defaults filled in."""

    authority: str
    service: str
    compliance: str = "delvis"
    contact_email: str | None = None
    contact_phone: str | None = None
    assessed_on: date | None = None
    assessment_method: str = "en egen granskning (självskattning)"
    updated_on: date | None = None
    known_issues: tuple[str, ...] = field(default=())

    @classmethod
    def from_options(cls, options: dict[str, object], site_name: str) -> AccessibilityFacts:
        """From validated options (dates as ``YYYY-MM-DD`` text); ``site_name`` is the
        authority's and the service's name where the options give none."""
        def text(key: str) -> str | None:
            value = options.get(key)
            return value if isinstance(value, str) else None

        def day(key: str) -> date | None:
            value = text(key)
            return date.fromisoformat(value) if value else None

        compliance = text("compliance") or "delvis"
        listed = options.get("known_issues")
        if isinstance(listed, Sequence) and not isinstance(listed, str):
            issues = tuple(str(item) for item in listed)
        else:
            issues = () if compliance == "helt" else DEFAULT_KNOWN_ISSUES
        return cls(
            authority=text("authority") or site_name,
            service=text("service") or site_name,
            compliance=compliance,
            contact_email=text("contact_email"),
            contact_phone=text("contact_phone"),
            assessed_on=day("assessed_on"),
            assessment_method=text("assessment_method") or cls.assessment_method,
            updated_on=day("updated_on") or day("assessed_on"),
            known_issues=issues,
        )


def assessment_overdue(facts: AccessibilityFacts, today: date) -> str | None:
    """Why the assessment is out of date (more than a year before ``today``), or None."""
    if facts.assessed_on is None:
        return None
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    if facts.assessed_on >= year_ago:
        return None
    days = (today - facts.assessed_on) // timedelta(days=1)
    return (f"the accessibility assessment (accessibility: assessed_on "
            f"{facts.assessed_on.isoformat()}) is {days} days old, more than a year; "
            "assess the site again and update assessed_on")


def _tel(phone: str) -> str:
    """A ``tel:`` address: digits and a leading ``+`` only."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def _contacts(facts: AccessibilityFacts) -> list[str]:
    """The contact details as HTML (escaped), e-mail first."""
    parts = []
    if facts.contact_email:
        email = escape(facts.contact_email, quote=True)
        parts.append(f'e-post <a href="mailto:{email}">{email}</a>')
    if facts.contact_phone:
        phone = escape(facts.contact_phone, quote=True)
        parts.append(f'telefon <a href="{escape(_tel(facts.contact_phone), quote=True)}">'
                     f"{phone}</a>")
    return parts


def statement_markdown(facts: AccessibilityFacts, today: date) -> str:
    """The statement page; ``today`` is the register's today (the update date when the
    options give neither ``updated_on`` nor ``assessed_on``)."""
    authority = escape(facts.authority)
    service = escape(facts.service)
    level = COMPLIANCE_TEXT[facts.compliance]
    contacts = _contacts(facts)
    site = ("den här webbplatsen" if facts.service == facts.authority
            else f"webbplatsen {service}")
    if contacts:
        reach = "Kontakta oss på " + " eller ".join(contacts) + "."
    else:
        reach = f"Kontakta {authority} via myndighetens växel eller e-post."
    parts = [
        f"# {STATEMENT_TITLE}",
        f"<p>{authority} står bakom {site}. Vi vill att så många som "
        "möjligt ska kunna använda den. Här beskriver vi hur webbplatsen uppfyller lagen "
        "om tillgänglighet till digital offentlig service (DOS-lagen), vilka brister vi "
        "känner till och hur du kan rapportera problem.</p>",
        "## Hur tillgänglig är webbplatsen?",
        f'<p class="br-compliance">Webbplatsen är <strong>{level}</strong> med lagen om '
        "tillgänglighet till digital offentlig service. Lagen kräver att webbplatsen "
        "uppfyller standarden EN 301 549, som bygger på WCAG 2.1 nivå AA.</p>",
    ]
    if facts.known_issues:
        parts += [
            "## Innehåll som inte är tillgängligt",
            "<p>Det här känner vi till som inte är tillgängligt, och varför:</p>",
            '<ul class="br-known-issues">\n'
            + "\n".join(f"<li>{escape(issue)}</li>" for issue in facts.known_issues)
            + "\n</ul>",
        ]
    else:
        parts += ["## Innehåll som inte är tillgängligt",
                  "<p>Vi känner inte till något innehåll som inte är tillgängligt.</p>"]
    parts += [
        "## Om du inte kan ta del av innehållet",
        f"<p>Om du behöver innehåll i en annan form, eller hittar brister som vi inte "
        f"beskriver här, vill vi veta det. {reach}</p>",
        "## Tillsyn och anmälan",
        "<p>Myndigheten för digital förvaltning (DIGG) har tillsyn över lagen. Om du "
        "inte är nöjd med hur vi hanterar dina synpunkter kan du anmäla webbplatsen till "
        f'DIGG: <a href="{DIGG_REPORT_URL}">anmäl bristande tillgänglighet till DIGG</a>.'
        "</p>",
        "## Hur vi har testat webbplatsen",
    ]
    method = escape(facts.assessment_method)
    if facts.assessed_on is not None:
        parts.append(f"<p>Vi har bedömt webbplatsen genom {method}. Den senaste bedömningen "
                     f"gjordes {format_date(facts.assessed_on)}.</p>")
    else:
        parts.append(f"<p>Webbplatsen ska bedömas genom {method}. Någon bedömning är "
                     "ännu inte gjord.</p>")
    updated = facts.updated_on or today
    parts.append(f'<p class="br-updated">Redogörelsen uppdaterades senast '
                 f"{format_date(updated)}.</p>")
    return "\n\n".join(parts) + "\n"


def footer_html(facts: AccessibilityFacts, statement_href: str) -> str:
    """Every page's footer line: the authority, its contact details and the statement."""
    items = [f'<span class="br-footer__authority">{escape(facts.authority)}</span>']
    items += [f"<span>{part[0].upper()}{part[1:]}</span>" for part in _contacts(facts)]
    items.append(f'<a href="{escape(statement_href, quote=True)}">{STATEMENT_TITLE}</a>')
    return '<p class="br-footer">' + '<span aria-hidden="true"> · </span>'.join(items) + "</p>"
