"""A decision's life after publication: notices, the request for documents, tombstones.

A corrected decision (rättelse, 36 § förvaltningslagen; ändring, 37-38 §) and a revoked
one stay public, with dated notices at the top of the page, a mark in every list and the
fields in every export. A withdrawn decision (``status: withdrawn``, or past the
register's retention limit) keeps only its address, which says that the decision with
that diary number is no longer published, since when, and how to ask for it: none of its
other facts reach any output. Every case page and every withdrawn address tells how to
request the documents (offentlighetsprincipen: anyone may ask, anonymously).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import quote

from .model import Case
from .swedish import format_date

#: Where to request documents: the registry's e-mail, or an e-service form.
REQUEST_HEADING = "Begär ut handlingarna"
REQUEST_TEXT = (
    "Alla har rätt att ta del av allmänna handlingar. Du behöver inte säga vem du är "
    "eller varför du vill ha dem, och myndigheten ska behandla din begäran skyndsamt."
)
DIARY_PLACEHOLDER = "{diarienummer}"

#: A link to another decision, by its diary number: a relative href, or None when the
#: register does not publish it (shown as text).
LinkTo = Callable[[str], str | None]


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _time(day: date) -> str:
    return f'<time datetime="{day.isoformat()}">{_e(format_date(day))}</time>'


def _decision(diary_number: str, link_to: LinkTo) -> str:
    href = link_to(diary_number)
    text = f'<span class="br-diary">{_e(diary_number)}</span>'
    return f'<a href="{_e(href)}">{text}</a>' if href else text


@dataclass(frozen=True)
class DocumentRequests:
    """How the public asks for a decision's documents (the ``registry_*`` options)."""

    email: str | None = None
    url: str | None = None  # a form; {diarienummer} in it is replaced, else appended

    def __bool__(self) -> bool:
        return bool(self.email or self.url)

    def href(self, diary_number: str) -> str:
        if self.url:
            number = quote(diary_number, safe="")
            if DIARY_PLACEHOLDER in self.url:
                return self.url.replace(DIARY_PLACEHOLDER, number)
            return f"{self.url}{'&' if '?' in self.url else '?'}diarienummer={number}"
        subject = quote(f"Begäran om allmän handling {diary_number}", safe="")
        return f"mailto:{self.email}?subject={subject}"

    def html(self, diary_number: str) -> str:
        """The section's HTML (its heading is Markdown, for the table of contents)."""
        label = f"Begär ut handlingarna i ärende {diary_number}"
        how = (" med e-post till registraturen" if not self.url and self.email else "")
        return (f'<p class="br-request">{_e(REQUEST_TEXT)}</p>\n'
                f'<p><a href="{_e(self.href(diary_number))}">{_e(label)}</a>{_e(how)}.</p>')


def notices_html(case: Case, link_to: LinkTo) -> str:
    """The revocation and the corrections, newest first, for the top of the page."""
    notices = []
    if case.revoked is not None:
        revoked = case.revoked
        parts = [f"<strong>Upphävt</strong> {_time(revoked.date)}"]
        if revoked.by:
            parts.append(f"genom beslut {_decision(revoked.by, link_to)}")
        text = f"<p>{' '.join(parts)}.</p>"
        if revoked.text:
            text += f"<p>{_e(revoked.text)}</p>"
        notices.append(f'<div class="br-notice br-notice--revoked" role="note">{text}</div>')
    for correction in reversed(case.corrections):
        head = f"<strong>{_e(correction.legal_basis)}</strong> {_time(correction.date)}"
        if correction.decision:
            head += f", genom beslut {_decision(correction.decision, link_to)}"
        notices.append(f'<div class="br-notice br-notice--{_e(_kind_class(correction.kind))}" '
                       f'role="note"><p>{head}.</p><p>{_e(correction.text)}</p></div>')
    return "\n".join(notices)


def _kind_class(kind: str) -> str:
    return {"rättelse": "correction", "ändring": "amendment"}.get(kind, "correction")


def revokes_html(revoked: tuple[Case, ...], link_to: LinkTo) -> str:
    """``Upphäver RUN/12/2023``: the decisions this one revoked, from the register."""
    if not revoked:
        return ""
    listed = ", ".join(_decision(case.diary_number, link_to) for case in revoked)
    return f'<p class="br-revokes">Upphäver {listed}.</p>'


def list_marks(case: Case) -> str:
    """Words beside a decision in lists: corrected, amended, revoked."""
    marks = []
    kinds = {c.kind for c in case.corrections}
    if "rättelse" in kinds:
        marks.append("Rättat")
    if "ändring" in kinds:
        marks.append("Ändrat")
    if case.revoked is not None:
        marks.append("Upphävt")
    return " ".join(f'<span class="br-mark">{_e(mark)}</span>' for mark in marks)


def tombstone_text(diary_number: str, withdrawn: date) -> str:
    """What a withdrawn decision's address says, besides how to request it."""
    return (f"Beslutet med diarienummer {diary_number} är inte längre publicerat här. "
            f"Det togs bort från webbplatsen {format_date(withdrawn)}.")


def tombstone_html(diary_number: str, withdrawn: date) -> str:
    return (f'<p class="br-tombstone">{_e(tombstone_text(diary_number, withdrawn))} '
            "Handlingarna finns kvar hos myndigheten och du kan begära ut dem.</p>")


def retention_rule(years: int) -> str:
    """The sentence "Om registret" states when ``retention_years`` is set."""
    return (f"Beslut publiceras här i {years} år från beslutsdatum. Därefter tas de "
            "bort från webbplatsen, men finns kvar hos myndigheten och kan begäras ut; "
            "på beslutets adress står då bara diarienumret och när beslutet togs bort.")
