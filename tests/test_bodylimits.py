"""bodylimits: case bodies Markdown would render slowly or not at all are refused.

Each refused input class is tested twice: the check refuses a small instance with an
exact message and line, and a larger instance really is a problem without the check
(MkDocs' renderer, with the extensions of ``mkdocs.yml``, raises or needs more than a
second). Bodies built to sit just under every limit must pass and render in under a
second, and real decisions must pass. Rendering runs in child processes with a timer,
so a slow input costs its second and no more.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from beslutsregister.core import bodylimits as limits
from beslutsregister.core.bodylimits import body_limit_problems
from beslutsregister.core.model import Problem
from beslutsregister.core.yamlsource import split_front_matter
from helpers import REPO, SEED_CASES

SOURCE = "cases/run-1-2024.md"
BODY_LINE = 10  # the body's first line is file line 10
SLOW = 1.0  # seconds: a class is a problem if one instance renders this slowly, or raises

WORDS = "Region Jämtland Härjedalen avsätter arbetstid för projektet under perioden "


def prose(chars: int, width: int = 70) -> str:
    """Swedish-looking text of ``chars`` characters in lines of ``width``."""
    text = (WORDS * (chars // len(WORDS) + 1))[:chars]
    return "\n".join(text[i:i + width] for i in range(0, chars, width))


def fill(head: str, tail: str = "") -> str:
    """``head`` and ``tail`` around prose, up to the size and line limits: one paragraph."""
    room = limits.MAX_CHARS - len(head) - len(tail) - 2
    width = room // (limits.MAX_LINES - head.count("\n") - tail.count("\n") - 2) + 1
    return head + prose(room, width)[:room] + tail


# -- refused: exact message and line -----------------------------------------------------

DEEP = "nests lists, quotes or indented blocks {} levels deep; expected at most 20 levels"
SPLITS = ("has 11 headings, rules, admonitions or link definitions in one paragraph; "
          "expected at most 10 without blank lines between them")
UNCLOSED = ("has 4 '[' or '](' without a closing ']' or ')' in one paragraph; expected at "
            "most 3")
HTML = ("opens HTML with '<' or '&#' that is not closed (by '>', '-->' or ';') more than "
        "10 times; expected at most 10")
HOST = ("links to an address whose host MkDocs cannot read ('{}'); expected a web address "
        "such as https://www.example.se/sida, without '[', ']' or look-alikes of '/', '?', "
        "'#', '@' or ':' before its path")
FENCE = ("opens a code block with '{0}' that is never closed; expected a line '{0}' after "
         "the code")

#: (id, body, [(line within the body, message)])
REFUSED: list[tuple[str, str, list[tuple[int, str]]]] = [
    ("size", "a" * 100_001,
     [(1, "has a body of 100001 characters; expected at most 100000 characters")]),
    ("lines", "rad\n" * 2001, [(1, "has a body of 2001 lines; expected at most 2000 lines")]),
    ("list-markers", "Inledning\n\n" + "- " * 21 + "punkt\n", [(3, DEEP.format(21))]),
    ("numbered-markers", "Inledning\n\n" + "1. " * 25 + "punkt\n", [(3, DEEP.format(25))]),
    ("quote-markers", "Inledning\n\n" + ">" * 22 + " citat\n", [(3, DEEP.format(22))]),
    ("indented-lists", "".join("    " * i + "- punkt\n" for i in range(22)),
     [(21, DEEP.format(21))]),
    ("indented-admonitions", "".join("    " * i + "!!! note\n\n" for i in range(22)),
     [(43, DEEP.format(21))]),
    ("headings", "# Beslut\n\n" * 201, [(401, "has 201 headings; expected at most 200 headings")]),
    ("toc-markers", "[TOC]\n\n" * 6, [(11, "has 6 '[TOC]' markers; expected at most 5")]),
    ("headings-in-a-paragraph", "Text\n" + "# Rubrik\n" * 11, [(1, SPLITS)]),
    ("rules-in-a-paragraph", "Text\n" + "***\n" * 11, [(1, SPLITS)]),
    ("definitions-in-a-paragraph", "Text\n" + "".join(f"[l{i}]: u\n" for i in range(11)),
     [(1, SPLITS)]),
    ("admonitions-in-a-paragraph", "Text\n" + "!!! note\n" * 11, [(1, SPLITS)]),
    ("pipes", "|" * 4001, [(1, "has 4001 '|' (table cells); expected at most 4000")]),
    ("marks", "\n\n".join(["&amp; " * 400] * 6),
     [(1, "has 2400 Markdown marks (*, _, `, [, <, &, \\); expected at most 2000")]),
    ("marks-in-a-paragraph", "Text\n\n" + "&amp; " * 501,
     [(3, "has 501 Markdown marks (*, _, `, [, <, &, \\) in one paragraph; expected at "
          "most 500")]),
    ("emphasis", "Text\n\n" + "*a* " * 101,
     [(3, "has 202 '*' or '_' in one paragraph; expected at most 200")]),
    ("backticks", "Text\n\n" + "`kod` " * 11,
     [(3, "has 22 '`' in one paragraph; expected at most 20")]),
    ("unclosed-brackets", "Text\n\n[ [ [ [ a", [(3, UNCLOSED)]),
    ("unclosed-link-addresses", "[a](b [c](d [e](f [g](h", [(1, UNCLOSED)]),
    ("escaped-closing-brackets", "[a\\] [b\\] [c\\] [d\\]", [(1, UNCLOSED)]),
    ("brackets-closed-in-code", "[a `]` [b `]` [c `]` [d `]`", [(1, UNCLOSED)]),
    ("nested-brackets", "Text\n\n[[[[[a]]]]]",
     [(3, "nests '[' brackets 5 levels deep; expected at most 4 levels")]),
    ("unclosed-tags", "Text\n\n" + "<a " * 11, [(3, HTML)]),
    ("unclosed-end-tags", "</a " * 11, [(1, HTML)]),
    ("unclosed-comments", "<!-- " * 11, [(1, HTML)]),
    ("broken-character-references", "&#x " * 11, [(1, HTML)]),
    ("unclosed-fence", "Text\n\n```\nkod\n", [(3, FENCE.format("```"))]),
    ("unclosed-tilde-fence", "~~~~ python\nkod\n~~~\n", [(1, FENCE.format("~~~~"))]),
    ("marked-section", "Text\n\nOm <![ x",
     [(3, "contains '<![' that MkDocs' HTML parser cannot read; expected '<![CDATA[' or, "
          "as text, '&lt;!['")]),
    ("host-bracket", "Se [a](http://[a]/).", [(1, HOST.format("//[a]"))]),
    ("host-bracket-definition", "[a]\n\n[a]: //x[", [(3, HOST.format("//x["))]),
    ("host-bracket-attribute", '[a](b){: href="//x]" }', [(1, HOST.format('//x]" }'))]),
    ("host-bracket-autolink", "<https://x.se [a]>", [(1, HOST.format("//x.se [a]"))]),
    ("host-bracket-after-code", "<http://a`<b>`[>", [(1, HOST.format("//a`<b>`["))]),
    ("host-fullwidth-solidus", "[a](//x\uff0fy)", [(1, HOST.format("//x\uff0fy"))]),
]


@pytest.mark.parametrize(("body", "expected"), [pytest.param(b, e, id=i) for i, b, e in REFUSED])
def test_refused_with_message_and_line(body: str, expected: list[tuple[int, str]]) -> None:
    assert body_limit_problems(body, SOURCE, BODY_LINE) == [
        Problem(SOURCE, BODY_LINE - 1 + line, None, message) for line, message in expected]


# -- the classes are problems without the check ------------------------------------------

#: Slow, or deep enough to exhaust the stack (a deep body can reach the timer first).
PROBLEM = "slow", "RecursionError"

#: id: (body, what MkDocs' renderer does with it: "slow" or the exceptions it may raise,
#: a fragment of the message the check refuses it with when it is within MAX_CHARS)
WITHOUT_CHECK: dict[str, tuple[str, tuple[str, ...], str]] = {
    "size": ("[ [ [ " + "``a`" * 5 + prose(3_000_000, 1600), PROBLEM, "characters;"),
    "lines": ("a|b\n-|-\n" + "c|d\n" * 80_000, PROBLEM, "lines;"),
    "list-markers": ("- " * 500 + "punkt", PROBLEM, "levels deep"),
    "numbered-markers": ("1. " * 500 + "punkt", PROBLEM, "levels deep"),
    "indented-lists": ("".join("    " * i + "- punkt\n" for i in range(300)),
                       PROBLEM, "levels deep"),
    "indented-admonitions": ("".join("    " * i + "!!! note\n" for i in range(500)),
                             PROBLEM, "levels deep"),
    "headings": ("# a\n\n" * 40_000, PROBLEM, "headings;"),
    "toc-markers": ("[TOC]\n\n" * 14_000, PROBLEM, "'[TOC]'"),
    "headings-in-a-paragraph": ("a\n# b\n" * 8_000, PROBLEM, "in one paragraph; expected at "
                                "most 10"),
    "rules-in-a-paragraph": ("a\n---\n" * 5_000, PROBLEM, "in one paragraph; expected at most 10"),
    "definitions-in-a-paragraph": ("".join(f"a\n[l{i}]: u\n" for i in range(5_000)), PROBLEM,
                                   "in one paragraph; expected at most 10"),
    "admonitions-in-a-paragraph": ("a\n!!! note\n" * 8_000, PROBLEM,
                                   "in one paragraph; expected at most 10"),
    "pipes": ("\n".join(["|" + "a|" * 40_000, "|" + "-|" * 40_000] + ["|" + "b|" * 40_000] * 4),
              PROBLEM, "'|'"),
    "marks": ("\n\n".join("".join(f"[a](b{i}) " for i in range(480)) for _ in range(80)),
              PROBLEM, "Markdown marks (*, _, `, [, <, &, \\);"),
    "marks-in-a-paragraph": ("*a* **b** _c_ " * 20_000, PROBLEM, "Markdown marks"),
    "emphasis": ("*a " * 1000 + "b" + " c*" * 1000, PROBLEM, "'*' or '_'"),
    "backticks": ("``a`" * 8_000, PROBLEM, "'`'"),
    "unclosed-brackets": ("[" * 8_000, PROBLEM, "without a closing"),
    "unclosed-link-addresses": ("[a](" * 5_000, PROBLEM, "without a closing"),
    "nested-brackets": ("[" * 6_000 + "a" + "]" * 6_000, PROBLEM, "'[' brackets"),
    "unclosed-tags": ("<a" * 40_000, PROBLEM, "not closed"),
    "unclosed-end-tags": ("</a" * 50_000, PROBLEM, "not closed"),
    "unclosed-comments": ("<!--" * 30_000, PROBLEM, "not closed"),
    "broken-character-references": ("&#1" * 50_000, PROBLEM, "not closed"),
    "unclosed-fence": ("".join("`" * (3 + i) + "\n" for i in range(600)), PROBLEM,
                       "never closed"),
    "marked-section": ("Om <![ x", ("AssertionError",), "'<!['"),
    "host-bracket": ("Se [a](http://[a]/).", ("ValueError",), "host"),
    "host-bracket-definition": ("[a]\n\n[a]: //x[", ("ValueError",), "host"),
    "host-bracket-attribute": ('[a](b){: href="//x]" }', ("ValueError",), "host"),
    "host-bracket-autolink": ("<https://x.se [a]>", ("ValueError",), "host"),
    "host-bracket-after-code": ("<http://a`<b>`[>", ("ValueError",), "host"),
    "host-fullwidth-solidus": ("[a](//x\uff0fy)", ("ValueError",), "host"),
}

#: Renders a JSON list of bodies from stdin as MkDocs does (its Page.render, so Python-
#: Markdown with the extensions of mkdocs.yml and MkDocs' own processors), each under a
#: timer; prints [outcome, seconds] for each: "ok", "slow" or the exception's name.
RENDERER = r"""
import json, signal, sys, tempfile, time
from pathlib import Path
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

limit, repo = float(sys.argv[1]), Path(sys.argv[2])
extensions = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))[
    "markdown_extensions"]
bodies = json.load(sys.stdin)
with tempfile.TemporaryDirectory() as tmp:
    (Path(tmp) / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": f"{tmp}/docs", "site_dir": f"{tmp}/site",
                      "theme": {"name": "material", "language": "sv"},
                      "markdown_extensions": extensions})
    errors, _ = config.validate()
    assert not errors, errors
    page_file = File("beslut/x/index.md", config.docs_dir, config.site_dir, True)
    files = Files([page_file])

    class Slow(BaseException):
        pass

    def alarm(signum, frame):
        raise Slow

    signal.signal(signal.SIGALRM, alarm)
    results = []
    for body in bodies:
        page = Page(None, page_file, config)
        page.markdown = body
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            page.render(config, files)
            outcome = "ok"
        except Slow:
            outcome = "slow"
        except Exception as exc:
            outcome = type(exc).__name__
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        results.append([outcome, time.perf_counter() - start])
json.dump(results, sys.stdout)
"""


def render(bodies: dict[str, str], processes: int) -> dict[str, tuple[str, float]]:
    """Outcome and seconds of rendering each body, in child processes run at once.

    Processes beyond the machine's cores only make slow inputs slower, so classes shown
    to be slow use more of them than bodies timed against the one-second bound.
    """
    names = sorted(bodies, key=lambda name: -len(bodies[name]))
    parts = [names[i::processes] for i in range(processes)]

    def run(part: list[str]) -> list[tuple[str, float]]:
        result = subprocess.run(
            [sys.executable, "-c", RENDERER, str(SLOW), str(REPO)],
            input=json.dumps([bodies[name] for name in part]),
            capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return [(outcome, seconds) for outcome, seconds in json.loads(result.stdout)]

    with ThreadPoolExecutor(processes) as pool:
        outcomes = list(pool.map(run, parts))
    return {name: outcome for part, done in zip(parts, outcomes, strict=True)
            for name, outcome in zip(part, done, strict=True)}


@pytest.fixture(scope="module")
def without_check() -> dict[str, tuple[str, float]]:
    return render({name: body for name, (body, _, _) in WITHOUT_CHECK.items()}, processes=4)


def test_every_refused_class_is_shown_to_be_a_problem() -> None:
    assert {name for name, _, _ in REFUSED} - {
        "quote-markers",  # Python-Markdown nests quotes without recursing; still refused
        "escaped-closing-brackets", "brackets-closed-in-code",  # ways to write unclosed '['
        "unclosed-tilde-fence",
    } == set(WITHOUT_CHECK)


@pytest.mark.parametrize("name", sorted(WITHOUT_CHECK))
def test_class_is_a_problem_without_the_check(
        name: str, without_check: dict[str, tuple[str, float]]) -> None:
    body, expected, reason = WITHOUT_CHECK[name]
    outcome, seconds = without_check[name]
    assert outcome in expected, f"{name}: {outcome} in {seconds:.2f} s"
    start = time.perf_counter()
    problems = body_limit_problems(body, SOURCE, BODY_LINE)
    assert time.perf_counter() - start < 0.5  # the check stays linear on what it refuses
    if len(body) > limits.MAX_CHARS:  # refused for its size alone, without looking further
        reason = "characters;"
    assert any(reason in problem.message for problem in problems), problems


# -- accepted: just under every limit, and real decisions --------------------------------

def _near_limits() -> Iterator[tuple[str, str]]:
    yield "paragraph-scanners", fill(
        "[a](x [b](y [c](z [[[[" + "``a`" * 5 + "*a " * 50 + "b" + " c*" * 50 + " "
        + "_d " * 50 + "e" + " f_" * 50 + " " + "&amp; " * 270, "]]]]")
    yield "unclosed-brackets", fill("[ [ [ [", "]")
    yield "unclosed-html", fill("<a " * 5 + "<!-- " * 3 + "&#x " + "<? ")
    yield "headings", "\n\n".join(["# Beslut\n" + prose(480, 120)] * 200)
    yield "splits", "\n\n".join(["\n".join(["# Beslut"] * 10) + "\n" + prose(9000)] * 10)
    yield "table", "\n".join(
        ["a|b", "-|-"] + [f"[x](https://e.se/{i}) y|&amp; z" for i in range(998)]
        + ["x" * 15 + "|" + "y" * 15] * 1000)
    yield "wide-table", "\n".join(["|".join(["a"] * 1330), "|".join(["-"] * 1330),
                                   "|".join(["b"] * 1330)])
    yield "nested-lists", "\n".join("    " * (i % 20) + f"- p{i}" for i in range(1900))
    yield "nested-quotes", "\n".join("> " * 20 + f"p{i}" for i in range(1900))
    yield "fences", "\n\n".join(["```\nkod\n```", prose(250, 250)] * 300)
    yield "relative-links", "\n".join(f"- [Bilaga {i}](bilaga-{i}.md)" for i in range(1990))
    yield "deepest-nesting", "".join("    " * i + "- a\n" for i in range(19)) + (
        "    " * 19 + "- " + "[" * 4 + "*a " * 50 + "_b " * 50 + "c" + " b_" * 50
        + " a*" * 50 + "]" * 4 + "\n")
    yield "nested-emphasis", "\n\n".join("*a " * 100 + "b" + " c*" * 100 for _ in range(10))
    yield "links-in-one-paragraph", fill(
        "".join(f"[l{i}](https://e.se/{i}) " for i in range(240)) + "&amp; " * 250)


NEAR_LIMITS = dict(_near_limits())


@pytest.mark.parametrize("name", sorted(NEAR_LIMITS))
def test_body_near_the_limits_is_accepted(name: str) -> None:
    assert body_limit_problems(NEAR_LIMITS[name], SOURCE, BODY_LINE) == []


def test_bodies_near_the_limits_render_in_under_a_second() -> None:
    slow = {name: outcome for name, outcome in render(NEAR_LIMITS, processes=2).items()
            if outcome[0] != "ok" or outcome[1] >= SLOW}
    assert slow == {}


def _generated_bodies(root: Path) -> list[tuple[str, int]]:
    spec = importlib.util.spec_from_file_location(
        "benchmark_generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate_register(root, 300, seed=5)
    return _bodies(sorted((root / "cases").glob("*.md")))


def _bodies(paths: list[Path]) -> list[tuple[str, int]]:
    documents = [split_front_matter(path.read_text(encoding="utf-8")) for path in paths]
    return [(document.body, document.body_line) for document in documents]


def test_real_and_generated_decisions_pass_quickly(tmp_path: Path) -> None:
    seeds = _bodies(sorted(SEED_CASES.glob("*.md")))
    assert len(seeds) >= 2
    bodies = seeds + _generated_bodies(tmp_path)
    start = time.perf_counter()
    for body, line in bodies:
        assert body_limit_problems(body, SOURCE, line) == [], body[:200]
    per_body = (time.perf_counter() - start) / len(bodies)
    assert per_body < 0.001  # measured: about 0.02 ms for a 3-5 KB body


@pytest.mark.parametrize("body", [
    pytest.param("- punkt\n" + "    - punkt\n" * 3, id="nested-list"),
    pytest.param("> > > citat", id="nested-quote"),
    pytest.param("Se [sidan](https://www.regionjh.se/sv/a_(b)) och [[maskera: namn]].",
                 id="links-and-masks"),
    pytest.param("[[maskera: se [bilaga](https://e.se/b.pdf)]]", id="link-in-a-mask"),
    pytest.param("Pris < 5 000 kr och 3 > 2, R&D", id="less-than-and-ampersand"),
    pytest.param("```\nkod med <br> och [länk](x)\n```\n", id="code-block"),
    pytest.param("| a | b |\n| --- | --- |\n" + "| [x](y) **z** | `k` |\n" * 150, id="table"),
    pytest.param("- " + "\n- ".join(f"[Bilaga {i}](https://e.se/{i}) *ny*" for i in range(120)),
                 id="list-of-links"),
    pytest.param("Namn: ______________ Datum: ______________", id="form-lines"),
    pytest.param("<!-- intern anteckning -->\nText<br>\nMer text<br>\n" * 20, id="html"),
    pytest.param("Se https://x.se [1] och <https://y.se>.", id="address-in-text"),
])
def test_ordinary_text_passes(body: str) -> None:
    assert body_limit_problems(body, SOURCE, BODY_LINE) == []
