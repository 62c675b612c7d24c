"""The search engine (search/assets/search-engine.js) in Node: its unit tests (tests/js/),
and an index Python writes, searched by the engine from disk and checked against what
Python reads in it (``read_index``).

These tests never skip: without Node they fail (Debian's ``nodejs`` is enough: no npm
packages). Browser tests of the same search are in ``test_search_browser.py``.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from beslutsregister.search import index as search_index
from beslutsregister.search.index import IndexContents, IndexDocument, read_index
from beslutsregister.search.page import INDEX_DIR
from helpers import CASES, REPO, Site, case_text, make_site, write_mixed_register

JS = Path(__file__).parent / "js"


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("the search engine's tests need Node.js: install Debian's nodejs "
                    "(sudo apt-get install nodejs; scripts/test does so when run as root)",
                    pytrace=False)
    return found


def test_node_unit_tests_pass() -> None:
    """``node --test tests/js/``, so the README's test command runs Node's tests too.

    The files are named (the *.test.mjs that command runs in Debian's Node, 18 or 20):
    from Node 21 on, an argument is a file pattern, and a folder is no longer searched.
    """
    files = sorted(str(path.relative_to(REPO)) for path in JS.rglob("*.test.mjs"))
    assert files
    result = subprocess.run([node(), "--test", "--test-reporter=tap", *files], cwd=REPO,
                            capture_output=True, text=True, timeout=300, check=False)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-20_000:]
    summary = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", result.stdout, re.MULTILINE))
    assert int(summary["tests"]) > 0, report[-5_000:]
    assert int(summary["fail"]) == 0, report[-20_000:]
    assert int(summary["pass"]) == int(summary["tests"])


# -- an index written by Python, searched by the engine -------------------------------------


def search(folder: Path, words: list[str] | None = None,
           queries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Ask search-engine.js, through tests/js/query-index.mjs, what the index in ``folder``
    finds: per word its URLs; per query its URLs (in the order shown), scores, words
    marked and facet counts."""
    result = subprocess.run(
        [node(), str(JS / "query-index.mjs"), str(folder)], cwd=REPO,
        input=json.dumps({"words": words or [], "queries": queries or []}),
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


THEMES = ("besöksnäring", "kompetensförsörjning", "grön omställning")
UNITS = ("Samhällsutveckling", "Kultur och bildning", "Kollektivtrafik")
PROGRAMMES = ("tillvaxtverket-s3", "react-eu", "egen-finansiering")
GENERATED = 30
CASE = "beslut/run-138-2024/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built register: the seeds, a draft, an embargoed case, and decisions sharing words
    (a common word has a postings file of its own); every fifth cites RUN/138/2024."""
    site: Site = make_site(tmp_path_factory.mktemp("node") / "project")
    write_mixed_register(site)
    for i in range(GENERATED):
        year = 2021 + i % 4
        cites = "Se RUN/138/2024.\n\n" if i % 5 == 0 else ""
        again = "Samverkan igen. " * (i % 4)
        site.write_case(f"gen-{i}.md", case_text(
            diary_number=f"RUN/{600 + i}/{year}", title=f"Samverkan om {THEMES[i % 3]} ({i})",
            date=f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}", unit=UNITS[i % 3],
            funding=[{"programme": PROGRAMMES[i % 3], "amount_sek": 10_000 + i}],
            body=f"## Beslut\n\n{cites}{again}Regionen deltar i samverkan om {THEMES[i % 3]}.\n"))
    site.built()
    return site.site / INDEX_DIR


#: Words of the chunked index that begin with PREFIX (and PREFIX itself is none).
PREFIX = "samverk"
BEGUN = ("samverkan", "samverkansavtal", "samverkansavtalen", "samverkansprojekt",
         "samverkanspart", "samverkade")


@pytest.fixture(scope="module")
def chunked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index written by SearchIndexWriter, its dictionary in many small chunks."""
    folder = tmp_path_factory.mktemp("chunked")
    count = 24
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "CHUNK_CHARS", 300)
        writer = search_index.SearchIndexWriter(count, folder)
        for number in range(count):
            year = str(2024 - number // 8)
            document = IndexDocument(
                number, f"beslut/run-{number}-{year}/", f"Beslut {number} om {BEGUN[number % 6]}",
                f"RUN/{number}/{year}", f"1 maj {year}", year, UNITS[number % 3],
                f"Projekt {number}", "Ingrid Ek", (PROGRAMMES[number % 2],))
            words = " ".join(f"ord{number}x{k}" for k in range(number % 5))
            body = (f"<p>{BEGUN[(number + 1) % 6]} {BEGUN[(number * 5) % 6]} och {words}.</p>"
                    f"<p>{'gemensamt ' * (1 + number % 3)}Se RUN/{(number + 1) % count}/2024.</p>")
            writer.add(document, body)
        writer.write()
    return folder


INDEXES = ["built", "chunked"]


def urls(index: IndexContents, docs: list[int]) -> list[str]:
    return [index.fragments[doc]["u"] for doc in docs]


def docs_of(index: IndexContents, word: str) -> list[int]:
    return [doc for doc, _ in index.words[word]]


def chunk_of(index: IndexContents, word: str) -> int:
    chunks = index.manifest["chunks"]
    assert isinstance(chunks, list)
    return bisect.bisect_right(chunks, word) - 1


@pytest.mark.parametrize("name", INDEXES)
def test_every_word_finds_the_documents_python_indexed_it_under(
        name: str, request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue(name)
    index = read_index(folder)
    assert len(index.words) > 100
    words = typable(index)
    found = search(folder, words=words)["words"]
    assert {word: found[word] for word in words} == {word: index.documents(word) for word in words}


def test_the_indexes_have_what_the_engine_must_read(built: Path, chunked: Path) -> None:
    """Else the test above proves less: postings files, inline postings, many chunks."""
    assert list((built / "p").glob("*.bin")) and list((chunked / "p").glob("*.bin"))
    chunks = read_index(chunked).manifest["chunks"]
    assert isinstance(chunks, list) and len(chunks) > 10


@pytest.mark.parametrize("name", INDEXES)
def test_a_word_found_marks_its_written_forms_and_no_other_word(
        name: str, request: pytest.FixtureRequest) -> None:
    """Excerpts mark the forms of the word's stem (in its dictionary chunk), though other
    words may have the very same documents and weights."""
    folder: Path = request.getfixturevalue(name)
    index = read_index(folder)
    stem = search_index.Stemmer()
    forms: dict[tuple[int, str], set[str]] = {}
    for word in index.words:
        forms.setdefault((chunk_of(index, word), stem(word)), set()).add(word)
    shared = Counter(tuple(postings) for postings in index.words.values())
    assert max(shared.values()) > 2  # words that have the same postings: the trap
    words = typable(index)
    answers = search(folder, queries=[{"query": word} for word in words])["queries"]
    assert {word: sorted(answer["forms"]) for word, answer in zip(words, answers, strict=True)
            } == {word: sorted(forms[chunk_of(index, word), stem(word)]) for word in words}


def typable(index: IndexContents) -> list[str]:
    """The index's words that a query can be: each is a word of the query it is typed as.

    Not so a diary number's key without its letters whose number is 0 (``RUN/0/2024``
    -> ``02024``): typed, a number loses its leading zeros (``2024``), so no query meets
    that key. Those are the only words left out here.
    """
    words = sorted(index.words)
    lost = [w for w in words if search_index.tokens(w) != [w]]
    assert all(re.fullmatch(r"0[0-9]+", w) for w in lost), lost
    return [w for w in words if w not in lost]


def ranking(index: IndexContents, words: list[str]) -> list[tuple[int, float]]:
    """search-engine.js's ranking, as its comment states it: documents with every word,
    by the sum over words of idf * log(1 + weight), best first, then newest first."""
    total = len(index.fragments)
    scores: dict[int, float] = {}
    hits: Counter[int] = Counter()
    for word in words:
        postings = dict(index.words[word])
        idf = math.log(1 + total / len(postings))
        for doc, weight in postings.items():
            scores[doc] = scores.get(doc, 0.0) + idf * math.log(1 + weight)
            hits[doc] += 1
    matched = [doc for doc in scores if hits[doc] == len(words)]
    return [(doc, scores[doc]) for doc in sorted(matched, key=lambda d: (-scores[d], d))]


@pytest.mark.parametrize("query", [
    "samverkan", "samverkan besöksnäring", "regionen samverkan igen", "beslutet fattas",
    "smart specialisering", "CO-RESPONS", "Samverkan om grön omställning",
])
def test_results_are_ranked_as_the_engine_says(built: Path, query: str) -> None:
    index = read_index(built)
    words = [w for w in search_index.tokens(query) if w not in CASES["stop_words"]]
    expected = ranking(index, words)
    assert len(expected) > 0
    answer = search(built, queries=[{"query": query}])["queries"][0]
    assert answer["urls"] == urls(index, [doc for doc, _ in expected])
    assert answer["scores"] == pytest.approx([score for _, score in expected], rel=1e-12)


@pytest.mark.parametrize("typed", [case["typed"] for case in CASES["loosely_typed"]])
def test_a_diary_number_finds_its_case_then_the_pages_citing_it(built: Path,
                                                               typed: str) -> None:
    index = read_index(built)
    citing = set(index.documents("run1382024")) - {CASE}
    assert len(citing) >= GENERATED // 5
    found = search(built, queries=[{"query": typed}])["queries"][0]["urls"]
    assert found[0] == CASE
    assert sorted(found[1:]) == sorted(citing)


def test_a_half_typed_word_finds_the_words_it_begins_across_chunks(chunked: Path) -> None:
    index = read_index(chunked)
    begun = sorted(word for word in index.words if word.startswith(PREFIX))
    assert begun == sorted(BEGUN) and PREFIX not in index.words
    spanned = {chunk_of(index, word) for word in begun}
    assert 1 < len(spanned) <= 4  # the engine looks in up to four chunks
    answer = search(chunked, queries=[{"query": PREFIX}])["queries"][0]
    assert sorted(answer["urls"]) == sorted({url for word in begun
                                             for url in index.documents(word)})
    assert sorted(answer["forms"]) == begun


def test_facets_narrow_and_count_as_python_lists_them(built: Path) -> None:
    index = read_index(built)
    years, units = index.facets["År"], index.facets["Enhet"]
    matched = set(docs_of(index, "samverkan"))
    chosen = {"År": ["2023", "2022"], "Enhet": ["Kollektivtrafik"]}
    answer = search(built, queries=[
        {"query": "samverkan", "sort": "datum", "chosen": chosen}])["queries"][0]
    in_years = {doc for year in chosen["År"] for doc in years[year]}
    in_units = set(units["Kollektivtrafik"])
    assert answer["urls"] == urls(index, sorted(matched & in_years & in_units))  # newest first
    assert answer["urls"]
    assert answer["counts"]["År"] == {  # as if no year were chosen
        year: len(matched & in_units & set(docs)) for year, docs in years.items()}
    assert answer["counts"]["Enhet"] == {
        unit: len(matched & in_years & set(docs)) for unit, docs in units.items()}
    assert answer["counts"]["Program"] == {
        programme: len(matched & in_years & in_units & set(docs))
        for programme, docs in index.facets["Program"].items()}
