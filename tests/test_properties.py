"""Property tests (Hypothesis): the loader never fails with a traceback, and a body the
source checks accept never shows an identity number or masked text once rendered.

Bounded to a few seconds: a fixed number of examples, no deadline per example (the
first Markdown rendering imports extensions).
"""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beslutsregister.core.loading import load_register
from beslutsregister.core.outputguard import markup_text
from beslutsregister.core.privacy import find_identity_numbers, mask_text
from beslutsregister.core.sanitize import sanitize_html
from helpers import PROGRAMMES, case_text

SETTINGS = settings(max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "300")), deadline=None,
                    derandomize=not os.environ.get("PROPERTY_EXAMPLES"),
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
NUMBER = "6408233234"  # 640823-3234, a valid personnummer, as digits

#: Markup that a reader does not see around part of a number, and what may stand
#: between the number's date and its last four digits.
WRAPPERS = [("**", "**"), ("*", "*"), ("<em>", "</em>"), ("<span>", "</span>"),
            ("<b>", "</b>"), ("`", "`"), ("[", "](x)"), ("<!-- -->", ""), ("&shy;", ""),
            ("\u00ad", ""), ("\u200b", ""), ("", "")]
SEPARATORS = ["-", "&#45;", "&#x2D;", "&minus;", "\u2013", " ", "\n", "-\n", "&nbsp;",
              "<span>-</span>", "**-**", "", "+"]


def _render(body: str) -> str:
    html = markdown.markdown(body, extensions=["toc", "tables", "attr_list", "admonition"])
    return sanitize_html(html)


def _register(tmp_path: Path, text: str) -> list[str]:
    cases = tmp_path / "cases"
    cases.mkdir(exist_ok=True)
    (cases / "programmes.yml").write_text(yaml.safe_dump(PROGRAMMES, allow_unicode=True),
                                          encoding="utf-8")
    (cases / "x.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    return [str(p) for p in load_register(cases, tmp_path).problems]


@st.composite
def split_numbers(draw: st.DrawFn) -> str:
    """A body holding 640823-3234 with invisible markup inside or around its parts."""
    birth, last = "640823", "3234"
    opening, closing = draw(st.sampled_from(WRAPPERS))
    digits = birth + last
    start = draw(st.integers(0, len(digits) - 1))
    end = draw(st.integers(start + 1, len(digits)))
    wrapped = digits[:start] + opening + digits[start:end] + closing + digits[end:]
    at = len(birth) + len(opening) + (len(closing) if end <= len(birth) else 0)
    if start >= len(birth):
        at = len(birth)
    separator = draw(st.sampled_from(SEPARATORS))
    number = wrapped[:at] + separator + wrapped[at:]
    before = draw(st.sampled_from(["Sökande ", "", "> ", "- ", "| a | b |\n|---|---|\n| "]))
    return f"## Beslut\n\n{before}{number}\n"


@SETTINGS
@given(body=split_numbers())
def test_a_body_the_checks_accept_shows_no_number(tmp_path: Path, body: str) -> None:
    problems = _register(tmp_path, case_text(body=body))
    if problems:
        return  # refused: nothing is published
    shown = markup_text(_render(mask_text(body)))
    assert find_identity_numbers(shown) == [], (body, shown)


@SETTINGS
@given(secret=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1,
                      max_size=30).filter(lambda s: s.strip() and "]]" not in s
                                          and "[[" not in s),
       before=st.sampled_from(["", "Text ", "**", "- ", "> "]),
       after=st.sampled_from(["", " text", "**", "\n"]))
def test_masked_text_never_reaches_the_page(tmp_path: Path, secret: str, before: str,
                                            after: str) -> None:
    body = f"## Beslut\n\n{before}[[maskera: HEMLIGT{secret}HEMLIGT]]{after}\n"
    problems = _register(tmp_path, case_text(body=body))
    if problems:
        return
    assert "HEMLIGT" not in _render(mask_text(body))


@SETTINGS
@given(text=st.text(max_size=400) | st.builds(
    lambda front, body: f"---\n{front}\n---\n{body}",
    st.text(alphabet=st.sampled_from(list("abc: -[]{}\"'\\\n\t#&*!|>%@`~0123456789\x00\ufffe")),
            max_size=200),
    st.text(max_size=200)))
def test_the_loader_never_fails_with_a_traceback(tmp_path: Path, text: str) -> None:
    problems = _register(tmp_path, text)
    assert all(problem.startswith("cases/x.md:") for problem in problems), problems
