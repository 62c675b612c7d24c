"""searchindex: words, postings and the files written (the worker process: test_buildworker.py).

Built registers and the browser are tested in test_search.py and test_search_browser.py.
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from beslutsregister.core.grouping import Register
from beslutsregister.core.model import Case, DecisionMaker, Funding, Officer, Programme, Project
from beslutsregister.search import index as si
from beslutsregister.search.query import DIARY_PATTERN, diary_keys

# -- words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "words"), [
    ("Stärka samarbeten med regioner i EU", ["stärka", "samarbeten", "med", "regioner", "i",
                                             "eu"]),
    ("CO-RESPONS", ["co", "respons"]),
    ("RUN/0138/2024", ["run", "138", "2024"]),  # leading zeros go, as in typed numbers
    ("0 och 000 och 007", ["0", "och", "0", "och", "7"]),
    ("e-post: a_b@c.se", ["e", "post", "a", "b", "c", "se"]),  # "_" separates
    ("Å\u030a", ["å"]),  # NFC: a decomposed letter is the same word
    ("", []),
])
def test_tokens(text: str, words: list[str]) -> None:
    assert si.tokens(text) == words


@pytest.mark.parametrize(("html", "text"), [
    ('<h2 id="x">Beslut<a class="headerlink" href="#x" title="Permanent link">¶</a></h2>'
     "<p>Regionen &amp; kommunen</p>", "Beslut Regionen & kommunen"),
    ("<p>a</p>\n\n<ul><li>b</li></ul>", "a b"),
    ('<div data-br-block="0"></div><p>c</p>', "c"),  # block placeholders are no text
])
def test_html_text(html: str, text: str) -> None:
    assert si.html_text(html) == text


CITING = [
    "Se RUN/138/2024 och run 138/2024.", "dnr RUN 0138 2024, 2021-04-01 och 460 000 kr",
    "Regionen 2024 5 6", "a1 2 3", "138/2024/2025 x 1.2.3", "Ingen siffra här.",
    "diarienummer: KS 2024/0017; RS 2023-00456", "x" * 70 + " 1/2",
    "y" * 60 + "-RUN-A 138/2024", "RUN-A 138/2024 och A-RUN/1/2",
]


@pytest.mark.parametrize("text", CITING)
def test_cited_keys_are_those_of_the_pattern(text: str) -> None:
    """The fast scan finds exactly what the browser's pattern finds in a query."""
    expected = [k for m in DIARY_PATTERN.finditer(text) for k in diary_keys(m["number"])]
    assert si.cited_keys(text) == expected


def test_the_stemmer_maps_written_forms_to_one_stem() -> None:
    stem = si.Stemmer()
    assert stem("samarbeten") == stem("samarbete") != "samarbeten"
    assert stem("run1382024") == "run1382024"  # keys and numbers are never stemmed
    assert stem("eu") == "eu"
    assert stem.words == {"samarbeten": stem("samarbeten"), "samarbete": stem("samarbete"),
                          "run1382024": "run1382024", "eu": "eu"}


# -- encoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("docs", "weights"), [
    ([], b""),
    ([0], b"\x05"),
    ([3, 4, 5, 200, 70_000, 2**32 - 1], bytes([1, 2, 3, 4, 5, 255])),
])
def test_postings_round_trip(docs: list[int], weights: bytes) -> None:
    data = si.encode_postings(docs, weights)
    assert si.decode_postings(data) == list(zip(docs, weights, strict=True))
    unweighted = si.encode_postings(docs, None)
    assert si.decode_postings(unweighted, weighted=False) == [(d, 1) for d in docs]


def test_varints_are_leb128() -> None:
    assert si.varints([0, 1, 127, 128, 300]) == bytes([0, 1, 127, 0x80, 1, 0xAC, 2])


# -- writing ----------------------------------------------------------------------------------

PROGRAMMES = {"react-eu": Programme("react-eu", "REACT-EU"),
              "egen": Programme("egen", "Egen finansiering")}


def _case(number: int, **fields: object) -> Case:
    values: dict[str, object] = {
        "diary_number": f"RUN/{number}/2024", "slug": f"run-{number}-2024",
        "title": f"Beslut {number}", "date": date(2024, 1, 1 + number % 28),
        "unit": "Samhällsutveckling", "officer": Officer("Ingrid Ek"),
        "decided_by": DecisionMaker("Magnus"), "body": "", "source": f"cases/{number}.md",
    }
    values.update(fields)
    return Case(**values)  # type: ignore[arg-type]


def _register(*cases: Case) -> Register:
    return Register.of(cases, PROGRAMMES)


def _write(register: Register, folder: Path, bodies: dict[str, str] | None = None
           ) -> si.IndexContents:
    documents = si.documents_of(register, lambda case: f"beslut/{case.slug}/")
    writer = si.SearchIndexWriter(len(documents), folder)
    for case in reversed(register.cases):  # any order
        writer.add(documents[case.slug], (bodies or {}).get(case.slug, "<p>Text.</p>"))
    writer.write()
    return si.read_index(folder)


def test_documents_are_numbered_newest_first(tmp_path: Path) -> None:
    register = _register(_case(1), _case(3), _case(2))
    index = _write(register, tmp_path)
    assert [f["u"] for f in index.fragments] == [
        "beslut/run-3-2024/", "beslut/run-2-2024/", "beslut/run-1-2024/"]
    assert index.documents("run32024") == ["beslut/run-3-2024/"]


def test_a_protected_officer_is_not_indexed(tmp_path: Path) -> None:
    register = _register(_case(1, officer=Officer("Hemliga Hedda", protected=True)),
                         _case(2, officer=Officer("Öppna Olle")))
    index = _write(register, tmp_path)
    assert "hedda" not in index.words and "hemliga" not in index.words
    assert index.documents("olle") == ["beslut/run-2-2024/"]


def test_fields_are_weighted(tmp_path: Path) -> None:
    case = _case(1, title="Vätgas i Åre", project=Project("Vätgasdalen"),
                 funding=(Funding("react-eu", 100),), unit="Energi")
    index = _write(_register(case), tmp_path, {case.slug: "<p>vätgas vätgas, energi</p>"})
    weight = {word: postings[0][1] for word, postings in index.words.items()}
    assert weight["vätgas"] == si.WEIGHT_TITLE + 2 * si.WEIGHT_BODY
    assert weight["vätgasdalen"] == si.WEIGHT_PROJECT
    assert weight["energi"] == si.WEIGHT_META + si.WEIGHT_BODY
    assert weight["react"] == si.WEIGHT_META  # the programme's name
    assert weight["run12024"] == si.WEIGHT_OWN_KEY


def test_weights_are_capped_at_one_byte(tmp_path: Path) -> None:
    case = _case(1)
    index = _write(_register(case), tmp_path, {case.slug: "<p>" + "ord " * 1000 + "</p>"})
    assert index.words["ord"] == [(0, si.MAX_WEIGHT)]


def test_a_cited_diary_number_finds_the_citing_page_after_the_case(tmp_path: Path) -> None:
    register = _register(_case(1), _case(2))
    index = _write(register, tmp_path, {"run-2-2024": "<p>Se RUN/1/2024.</p>"})
    assert dict(index.words["run12024"]) == {1: si.WEIGHT_OWN_KEY, 0: si.WEIGHT_CITED_KEY}


def test_many_words_make_many_chunks_and_rare_postings_stay_inline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(si, "CHUNK_CHARS", 200)
    cases = [_case(i) for i in range(1, 41)]
    bodies = {c.slug: f"<p>gemensamt ord{c.slug.split('-')[1]}x</p>" for c in cases}
    index = _write(_register(*cases), tmp_path, bodies)
    chunks = index.manifest["chunks"]
    assert isinstance(chunks, list) and len(chunks) > 5
    assert chunks == sorted(chunks)
    assert len(index.documents("gemensamt")) == 40  # a common word: its own postings file
    assert index.documents("ord7x") == ["beslut/run-7-2024/"]
    files = {p.name for p in (tmp_path / "p").iterdir()}
    assert files and len(files) < 10  # only the common stems have files


def test_facets_list_each_values_documents(tmp_path: Path) -> None:
    register = _register(
        _case(1, date=date(2023, 5, 1), funding=(Funding("react-eu", 1), Funding("egen", 2))),
        _case(2, unit="Kultur"), _case(3, funding=(Funding("okänt-program", 5),)))
    index = _write(register, tmp_path)
    assert index.manifest["facets"] == [
        {"name": "År", "values": ["2024", "2023"]},
        {"name": "Program", "values": ["Egen finansiering", "okänt-program", "REACT-EU"]},
        {"name": "Enhet", "values": ["Kultur", "Samhällsutveckling"]},
    ]
    assert index.facets["År"] == {"2024": [0, 1], "2023": [2]}
    assert index.facets["Program"]["REACT-EU"] == [2]
    assert index.facets["Enhet"]["Kultur"] == [1]


def test_the_index_is_reproducible_and_versioned(tmp_path: Path) -> None:
    register = _register(_case(1), _case(2))
    _write(register, tmp_path / "a")
    _write(register, tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert files and all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
                         for f in files)
    changed = _write(_register(_case(1, title="Annat"), _case(2)), tmp_path / "c")
    assert changed.manifest["version"] != json.loads(
        (tmp_path / "a" / si.MANIFEST).read_text("utf-8"))["version"]


def test_every_data_file_is_gzip_and_the_manifest_is_json(tmp_path: Path) -> None:
    _write(_register(_case(1)), tmp_path)
    for path in tmp_path.rglob("*.bin"):
        gzip.decompress(path.read_bytes())
    assert json.loads((tmp_path / si.MANIFEST).read_text("utf-8"))["format"] == si.FORMAT


def test_a_document_indexed_from_its_parts_gives_the_same_index(tmp_path: Path) -> None:
    """The build cache keeps what add() returned; add_parts() of it in a later build,
    beside documents added afresh, writes the index add() would have, byte for byte."""
    register = _register(_case(1, title="Cykelväg i Östersund"), _case(2), _case(3))
    bodies = {"run-1-2024": "<p>Cykelvägarna byggs om.</p>", "run-2-2024": "<p>RUN/3/2024</p>"}
    documents = si.documents_of(register, lambda case: f"beslut/{case.slug}/")
    first = si.SearchIndexWriter(len(documents), tmp_path / "first")
    parts = {slug: first.add(document, bodies.get(slug, "<p>Text.</p>"))
             for slug, document in documents.items()}
    first.write()
    again = si.SearchIndexWriter(len(documents), tmp_path / "again")
    again.add(documents["run-2-2024"], bodies["run-2-2024"])
    for slug in ("run-3-2024", "run-1-2024"):
        again.add_parts(documents[slug], parts[slug])
    again.write()
    files = sorted(p.relative_to(tmp_path / "first") for p in (tmp_path / "first").rglob("*.*"))
    assert len(files) > 5
    assert files == sorted(p.relative_to(tmp_path / "again")
                           for p in (tmp_path / "again").rglob("*.*"))
    assert all((tmp_path / "first" / f).read_bytes() == (tmp_path / "again" / f).read_bytes()
               for f in files)


def test_an_old_index_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir(parents=True)
    (tmp_path / "d" / "99.bin").write_bytes(b"old")
    _write(_register(_case(1)), tmp_path)
    assert not (tmp_path / "d" / "99.bin").exists()


def test_a_document_missing_or_added_twice_is_an_error(tmp_path: Path) -> None:
    documents = si.documents_of(_register(_case(1), _case(2)), lambda c: c.slug)
    writer = si.SearchIndexWriter(2, tmp_path)
    writer.add(documents["run-1-2024"], "<p>a</p>")
    with pytest.raises(si.SearchIndexError, match="document 1 is not expected"):
        writer.add(documents["run-1-2024"], "<p>a</p>")
    with pytest.raises(si.SearchIndexError, match=r"^1 public cases were not indexed \(the "
                       r"first is number 0\); expected every public case page rendered$"):
        writer.write()
