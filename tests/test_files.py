"""Case files and ``programmes.yml`` are regular files inside the project, or a problem.

Whatever else sits in the register's folder (a link out of the project, a FIFO, a socket,
a device, a folder named like a case) is refused by name, never opened: opening a FIFO
waits for a writer for ever, and a link out of the project would print, or publish, a
file of the machine. No message shows a target outside the project or any of its lines.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from beslutsregister.core.loading import LoadResult, _read_text, load_register
from beslutsregister.core.model import Problem
from helpers import PROGRAMMES, case_text, make_site

#: A file outside the project, like /etc/passwd: nothing of it may reach a message.
SECRET = "root:x:0:0:root:/root:/bin/bash\nhemlig: UTANFÖR-PROJEKTET\n"

LINK_OUT = ("is a link to a file outside the project (its target is not shown); expected "
            "a regular case file inside the project")
PROGRAMMES_LINK_OUT = ("is a link to a file outside the project (its target is not shown); "
                       "expected a regular file inside the project")
FIFO = "is a FIFO (named pipe), not a file; expected a regular case file"


def _leaks(text: str, outside: Path) -> list[str]:
    """What of the file outside the project, or of where it is, ``text`` shows."""
    bits = ["root:x", "/bin/bash", "hemlig", "UTANFÖR", "secret.md", str(outside)]
    return [bit for bit in bits if bit in text]


def _load(root: Path) -> LoadResult:
    """load_register in a thread: a test that would hang fails after 20 s instead."""
    results: list[LoadResult] = []
    thread = threading.Thread(target=lambda: results.append(load_register(root / "cases", root)),
                              daemon=True)
    thread.start()
    thread.join(20)
    assert not thread.is_alive(), "loading the register hangs"
    return results[0]


# How a row puts its odd file into the register: (cases folder, a folder outside the project).


def link_out(cases: Path, outside: Path) -> None:
    (cases / "x.md").symlink_to(outside / "secret.md")


def relative_link_out(cases: Path, outside: Path) -> None:
    (cases / "x.md").symlink_to(Path("..", "..", "outside", "secret.md"))


def broken_link_out(cases: Path, outside: Path) -> None:
    (cases / "x.md").symlink_to(outside / "gone.md")


def link_to_dev_null(cases: Path, outside: Path) -> None:
    (cases / "x.md").symlink_to("/dev/null")


def programmes_link_out(cases: Path, outside: Path) -> None:
    (cases / "programmes.yml").unlink()
    (cases / "programmes.yml").symlink_to(outside / "secret.md")


def fifo(cases: Path, outside: Path) -> None:
    os.mkfifo(cases / "x.md")


def fifo_in_subfolder(cases: Path, outside: Path) -> None:
    (cases / "2024").mkdir()
    os.mkfifo(cases / "2024" / "x.md")


def programmes_fifo(cases: Path, outside: Path) -> None:
    (cases / "programmes.yml").unlink()
    os.mkfifo(cases / "programmes.yml")


def link_to_fifo(cases: Path, outside: Path) -> None:
    os.mkfifo(cases / "rör")
    (cases / "x.md").symlink_to("rör")


def folder(cases: Path, outside: Path) -> None:
    (cases / "x.md").mkdir()


def folder_with_a_case(cases: Path, outside: Path) -> None:
    (cases / "x.md").mkdir()
    (cases / "x.md" / "y.md").write_text(case_text(diary_number="RUN/2/2024"), "utf-8")


def link_to_folder(cases: Path, outside: Path) -> None:
    (cases / "mapp").mkdir()
    (cases / "x.md").symlink_to("mapp")


def programmes_folder(cases: Path, outside: Path) -> None:
    (cases / "programmes.yml").unlink()
    (cases / "programmes.yml").mkdir()


def unix_socket(cases: Path, outside: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listener:
        try:
            listener.bind("x.md")  # relative (the test runs in cases/): at most 107 bytes
        except OSError as exc:
            pytest.fail(f"no socket can be made here ({exc}); the test needs one")


def device(cases: Path, outside: Path) -> None:
    try:
        os.mknod(cases / "x.md", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # like /dev/null
    except OSError as exc:
        pytest.fail(f"no device can be made here ({exc.strerror}); run the tests as root")


def link_inside(cases: Path, outside: Path) -> None:
    (cases.parent / "utkast").mkdir()
    (cases.parent / "utkast" / "y.md").write_text(case_text(diary_number="RUN/2/2024"), "utf-8")
    (cases / "x.md").symlink_to(Path("..", "utkast", "y.md"))


def programmes_link_inside(cases: Path, outside: Path) -> None:
    (cases / "programmes.yml").rename(cases.parent / "programmes.yml")
    (cases / "programmes.yml").symlink_to(cases.parent / "programmes.yml")


ROWS = [  # (the odd file, the problems, the cases loaded besides cases/ok.md)
    (link_out, [f"cases/x.md:1: {LINK_OUT}"], []),
    (relative_link_out, [f"cases/x.md:1: {LINK_OUT}"], []),
    (broken_link_out, [f"cases/x.md:1: {LINK_OUT}"], []),
    (link_to_dev_null, [f"cases/x.md:1: {LINK_OUT}"], []),
    (programmes_link_out, [f"cases/programmes.yml:1: {PROGRAMMES_LINK_OUT}"], []),
    (fifo, [f"cases/x.md:1: {FIFO}"], []),
    (fifo_in_subfolder, [f"cases/2024/x.md:1: {FIFO}"], []),
    (programmes_fifo, ["cases/programmes.yml:1: is a FIFO (named pipe), not a file; expected a "
                       "regular file"], []),
    (link_to_fifo, ["cases/x.md:1: is a link to a FIFO (named pipe), not a file; expected a "
                    "regular case file"], []),
    (folder, ["cases/x.md:1: is a folder, not a file; expected a regular case file"], []),
    (folder_with_a_case, ["cases/x.md:1: is a folder, not a file; expected a regular case "
                          "file"], ["cases/x.md/y.md"]),  # every problem in one run
    (link_to_folder, ["cases/x.md:1: is a link to a folder, not a file; expected a regular "
                      "case file"], []),
    (programmes_folder, ["cases/programmes.yml:1: is a folder, not a file; expected a regular "
                         "file"], []),
    (unix_socket, ["cases/x.md:1: is a socket, not a file; expected a regular case file"], []),
    (device, ["cases/x.md:1: is a device, not a file; expected a regular case file"], []),
    (link_inside, [], ["cases/x.md"]),
    (programmes_link_inside, [], []),
]


@pytest.mark.parametrize(("make", "messages", "cases"), ROWS,
                         ids=[row[0].__name__.replace("_", "-") for row in ROWS])
def test_odd_files_in_the_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Path, Path], None], messages: list[str], cases: list[str],
) -> None:
    site = make_site(tmp_path / "project")
    site.write_case("ok.md", case_text(funding=None))  # valid without programmes.yml too
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET, "utf-8")
    monkeypatch.chdir(site.cases)
    make(site.cases, outside)
    loaded = _load(site.root)
    assert [str(p) for p in loaded.problems] == messages
    assert [c.source for c in loaded.cases] == ["cases/ok.md", *cases]
    refused = any(m.startswith("cases/programmes.yml:") for m in messages)
    assert sorted(loaded.programmes) == ([] if refused else sorted(PROGRAMMES))
    assert _leaks("\n".join(map(str, loaded.problems)), outside) == []


def test_a_fifo_is_refused_once_open_too(tmp_path: Path) -> None:
    """The check and the read are one: a FIFO put where a file was is not waited for."""
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    results: list[tuple[str, Problem | None]] = []
    thread = threading.Thread(target=lambda: results.append(_read_text(fifo, "cases/x.md")),
                              daemon=True)
    thread.start()
    thread.join(20)
    assert not thread.is_alive(), "reading a FIFO hangs"
    text, problem = results[0]
    assert (text, str(problem)) == ("", f"cases/x.md:1: {FIFO}")


def _odd_project(tmp_path: Path) -> Path:
    """A project with a good case, a FIFO case, and a case and programmes.yml linked out."""
    site = make_site(tmp_path / "project")
    site.write_case("ok.md", case_text(funding=None))
    os.mkfifo(site.cases / "x.md")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET, "utf-8")
    (site.cases / "y.md").symlink_to(outside / "secret.md")
    (site.cases / "programmes.yml").unlink()
    (site.cases / "programmes.yml").symlink_to(outside / "secret.md")
    return site.root


PROBLEMS = [
    f"cases/programmes.yml:1: {PROGRAMMES_LINK_OUT}",
    f"cases/x.md:1: {FIFO}",
    f"cases/y.md:1: {LINK_OUT}",
]


def test_check_names_them_and_does_not_hang(tmp_path: Path) -> None:
    root = _odd_project(tmp_path)
    environment = {k: v for k, v in os.environ.items() if k != "BESLUTSREGISTER_TODAY"}
    result = subprocess.run(
        [sys.executable, "-m", "beslutsregister", "check", "-f", "mkdocs.yml",
         "--today", "2024-06-01"],
        cwd=root, env=environment, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", "\n".join([*PROBLEMS, "3 problems; nothing may be published.\n"]))
    assert _leaks(result.stdout + result.stderr, tmp_path / "outside") == []


def test_a_build_names_them_and_does_not_hang(tmp_path: Path) -> None:
    root = _odd_project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True,
        timeout=120)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    start = lines.index("ERROR   -  3 problems in cases/; nothing was published:")
    assert lines[start + 1: start + 4] == [f"  {problem}" for problem in PROBLEMS]
    assert "Traceback" not in result.stderr
    assert _leaks(result.stdout + result.stderr, tmp_path / "outside") == []
    assert not (root / "site" / "beslut").exists()
