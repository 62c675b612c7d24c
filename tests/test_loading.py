"""loading: a folder of case files becomes one LoadResult, every problem of every file in it."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest

from beslutsregister.core.loading import (
    CaseFilesLoader,
    ParseCache,
    case_files,
    display_path,
    load_case_files,
    load_register,
)
from helpers import case_text, make_site


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_site(tmp_path / "project").root


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / "cases" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_case_files_are_found_recursively_in_a_stable_order(project: Path) -> None:
    for name in ("b.md", "a.md", "2021/z.md", "2020/y.md", "_mall.md", ".utkast.md",
                 "notes.txt", "README.markdown"):
        write(project, name, "x")
    paths, problems = case_files(project / "cases", project)
    found = [p.relative_to(project / "cases").as_posix() for p in paths]
    assert (found, problems) == (["2020/y.md", "2021/z.md", "a.md", "b.md"], [])


def test_cases_in_subfolders_are_loaded_with_their_path(project: Path) -> None:
    write(project, "2024/run-1-2024.md", case_text())
    write(project, "2023/run-2-2023.md", case_text(diary_number="RUN/2/2023", date="2023-01-01"))
    result = load_register(project / "cases", project)
    assert result.problems == []
    assert [c.source for c in result.cases] == ["cases/2023/run-2-2023.md",
                                                "cases/2024/run-1-2024.md"]


def test_display_path() -> None:
    assert display_path(Path("/p/cases/a.md"), Path("/p")) == "cases/a.md"
    assert display_path(Path("/elsewhere/a.md"), Path("/p")) == "/elsewhere/a.md"


def test_empty_folder_is_an_empty_register(project: Path) -> None:
    result = load_register(project / "cases", project)
    assert (result.cases, result.problems, result.ok) == ([], [], True)
    # make_site writes programmes.yml with sorted keys; the file's order is kept
    assert list(result.programmes) == ["egen-finansiering", "react-eu", "tillvaxtverket-s3"]


def test_missing_cases_folder(tmp_path: Path) -> None:
    result = load_register(tmp_path / "arenden", tmp_path)
    assert [str(p) for p in result.problems] == [
        "arenden:1: is not a folder; expected the folder of case files"]


def test_missing_programmes_file_makes_every_programme_unknown(project: Path) -> None:
    (project / "cases" / "programmes.yml").unlink()
    write(project, "x.md", case_text())
    result = load_register(project / "cases", project)
    assert [str(p) for p in result.problems] == [
        "cases/x.md:14: field 'funding[0].programme': unknown programme 'react-eu'; expected "
        "an id from cases/programmes.yml"]
    assert result.cases == []


def test_broken_programmes_file(project: Path) -> None:
    (project / "cases" / "programmes.yml").write_text("react-eu:\n  name: [x\n", "utf-8")
    result = load_register(project / "cases", project)
    assert [str(p) for p in result.problems] == [
        "cases/programmes.yml:3: YAML syntax error: did not find expected ',' or ']'"]


def test_programmes_file_not_utf8(project: Path) -> None:
    (project / "cases" / "programmes.yml").write_bytes(b"react-eu:\n  name: R\xe4ntor\n")
    assert [str(p) for p in load_register(project / "cases", project).problems] == [
        "cases/programmes.yml:2: is not UTF-8 text (byte 0xE4); expected the file saved as UTF-8"]


def test_byte_order_mark_and_crlf_are_accepted(project: Path) -> None:
    text = case_text(title="Åtgärd").replace("\n", "\r\n")
    write(project, "x.md", b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = load_register(project / "cases", project)
    assert result.problems == []
    assert result.cases[0].title == "Åtgärd"
    assert result.cases[0].diary_number == "RUN/1/2024"


def test_a_file_with_problems_is_not_a_case_but_others_are(project: Path) -> None:
    write(project, "a.md", case_text())
    write(project, "b.md", case_text(diary_number="RUN/2/2024", date="2024-02-30"))
    result = load_register(project / "cases", project)
    assert [c.source for c in result.cases] == ["cases/a.md"]
    assert [p.path for p in result.problems] == ["cases/b.md"]
    assert not result.ok


def test_duplicates_name_the_first_file(project: Path) -> None:
    for name in ("a.md", "b.md", "c.md"):
        write(project, name, case_text())
    assert [str(p) for p in load_register(project / "cases", project).problems] == [
        f"cases/{name}:2: field 'diary_number': 'RUN/1/2024' is already used by cases/a.md:2; "
        "expected a unique diary number" for name in ("b.md", "c.md")]


def test_one_unit_one_spelling(project: Path) -> None:
    write(project, "a.md", case_text(unit="Samhällsutveckling"))
    write(project, "b.md", case_text(diary_number="RUN/2/2024", unit="Samhallsutveckling"))
    write(project, "c.md", case_text(diary_number="RUN/3/2024", unit="Samhällsutveckling"))
    assert [str(p) for p in load_register(project / "cases", project).problems] == [
        "cases/b.md:5: field 'unit': 'Samhallsutveckling' is spelled differently from "
        "'Samhällsutveckling' in cases/a.md:5; expected one spelling per unit"]


# -- the parse cache must never serve a stale result -----------------------------------------


def touch(path: Path, text: str, tick: int) -> None:
    """Rewrite ``path`` and give it a distinct modification time (file systems are coarse)."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + tick * 1_000_000_000))


def cached_loader(cache: ParseCache) -> CaseFilesLoader:
    return partial(load_case_files, cache=cache)


def test_unchanged_file_is_reused_from_the_cache_it_was_given(project: Path) -> None:
    write(project, "x.md", case_text())
    cache = ParseCache()
    first = load_register(project / "cases", project, None, cached_loader(cache)).cases[0]
    second = load_register(project / "cases", project, None, cached_loader(cache)).cases[0]
    assert second is first
    third = load_register(project / "cases", project).cases[0]  # no cache: parsed again
    assert third == first and third is not first


@pytest.mark.parametrize("same_size", [False, True], ids=["new-size", "same-size"])
def test_edited_file_is_read_again(project: Path, same_size: bool) -> None:
    path = write(project, "x.md", case_text(title="Titel A"))
    load = cached_loader(ParseCache())
    assert load_register(project / "cases", project, None, load).cases[0].title == "Titel A"
    touch(path, case_text(title="Titel B" if same_size else "En längre titel"), tick=1)
    result = load_register(project / "cases", project, None, load)
    assert result.cases[0].title == ("Titel B" if same_size else "En längre titel")
    touch(path, case_text(date="2024-02-30"), tick=2)
    result = load_register(project / "cases", project, None, load)
    assert [p.field for p in result.problems] == ["date"] and result.cases == []


def test_changed_programmes_revalidate_unchanged_cases(project: Path) -> None:
    write(project, "x.md", case_text(funding=[{"programme": "ny-satsning", "amount_sek": 5}]))
    before = load_register(project / "cases", project)
    assert [p.field for p in before.problems] == ["funding[0].programme"]
    programmes = project / "cases" / "programmes.yml"
    programmes.write_text(programmes.read_text("utf-8") + "ny-satsning:\n  name: Ny satsning\n",
                          "utf-8")
    after = load_register(project / "cases", project)
    assert after.problems == []
    assert after.cases[0].funding[0].programme == "ny-satsning"
