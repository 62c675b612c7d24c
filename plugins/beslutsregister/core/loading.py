"""Load a register folder: every case file and ``programmes.yml``, validated together.

Problems are collected across all files rather than stopping at the first, so one run
tells staff everything to fix. Parsed files can be kept in a :class:`ParseCache`, by
path, size and modification time: ``mkdocs serve`` reloads the register on every save,
and re-parsing ten thousand unchanged files would dominate the preview's response time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISLNK, S_ISREG, S_ISSOCK

from .addresses import unit_slug
from .bodylimits import body_limit_problems
from .buildcache import StoredParses, text_digest
from .model import Case, Problem, Programme
from .privacy import (
    ProtectedPeople,
    apply_protection,
    check_case_text,
    programme_protection_problems,
    protected_officer_problems,
    protection_problems,
)
from .validation import CaseRules, read_case, read_programmes
from .yamlsource import FrontMatterDocument, YamlError, parse_yaml, split_front_matter

PROGRAMMES_FILE = "programmes.yml"


@dataclass
class LoadResult:
    """Everything read from a register folder; ``cases`` holds only valid cases."""

    cases: list[Case] = field(default_factory=list)
    programmes: dict[str, Programme] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Everyone protected in some case: hidden everywhere, and what the output guard
    #: looks for in the built site.
    protected: ProtectedPeople = field(default_factory=lambda: ProtectedPeople({}))

    @property
    def ok(self) -> bool:
        return not self.problems


#: What reading one case file gives: the case if it is valid, and every problem found.
CaseOutcome = tuple[Case | None, list[Problem]]

#: Reads case files (paths, project root, rules) into one outcome per path, in order:
#: :func:`load_case_files` here, or a split across processes (``buildworker.py``).
CaseFilesLoader = Callable[[Sequence[Path], Path, CaseRules], list[CaseOutcome]]

class ParseCache(dict[str, tuple[tuple[int, int], CaseRules, CaseOutcome]]):
    """Case files parsed earlier: path -> ((mtime, size), rules, outcome).

    Whoever reloads a register often (the staff preview, on every save) keeps one and
    passes it in; a one-off load passes none and parses every file.
    """


def display_path(path: Path, root: Path) -> str:
    """A path as staff see it in messages: relative to the project, with '/'."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def case_files(cases_dir: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """Every Markdown case file under ``cases_dir`` in a stable order, and a problem for
    each ``*.md`` there that is not a regular file inside the project: those are never
    opened (a FIFO would block the build for ever; a link out of the project would
    publish, or print in messages, a file that is not the project's).

    A link to a regular file inside the project (``root``, or ``cases_dir`` wherever it
    is) is a case file; a linked folder is not entered. Walks with :func:`os.scandir`
    and plain strings: on every preview rebuild this lists the whole register, so a
    plain file costs nothing beyond reading its folder (only links and odd entries are
    looked at more closely), and ``Path.rglob`` plus sorting paths cost more than
    reading the cached cases.
    """
    found: list[str] = []
    refused: list[Problem] = []
    project = _project_folders(cases_dir, root)
    pending = [os.fspath(cases_dir)]
    while pending:
        try:
            with os.scandir(pending.pop()) as listing:
                entries = list(listing)
        except OSError:  # as with os.walk: a folder that cannot be listed is left out
            continue
        for entry in entries:
            name = entry.name
            case_name = name.endswith(".md") and not name.startswith((".", "_"))
            try:
                folder = entry.is_dir(follow_symlinks=False)  # no system call, as a rule
            except OSError:
                folder = False
            if folder and not name.startswith("."):
                pending.append(entry.path)
            if not case_name:
                continue
            if not folder and entry.is_file(follow_symlinks=False):
                found.append(entry.path)
                continue
            refusal = _refusal(entry.path, project, "case file")
            if refusal is None:
                found.append(entry.path)
            else:
                refused.append(Problem(display_path(Path(entry.path), root), 1, None, refusal))
    refused.sort(key=lambda problem: problem.path)
    return [Path(p) for p in sorted(found)], refused


def _project_folders(cases_dir: Path, root: Path) -> tuple[str, ...]:
    """The folders a file read by the register must lie in, resolved, ending in a '/'."""
    return tuple({os.path.join(os.path.realpath(folder), "") for folder in (root, cases_dir)})


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    if S_ISDIR(mode):
        return "a folder"
    if S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if S_ISSOCK(mode):
        return "a socket"
    if S_ISCHR(mode) or S_ISBLK(mode):
        return "a device"
    return "a special file"


def _refusal(path: str, project: tuple[str, ...], what: str) -> str | None:
    """Why the register may not open ``path``, a ``what`` ("case file"); None if it may.

    A link's target is named in no message: it may be any file of the machine.
    """
    try:
        mode = os.lstat(path).st_mode
    except OSError:  # gone meanwhile: reading it says so
        return None
    if S_ISLNK(mode):
        target = os.path.join(os.path.realpath(path), "")
        if not target.startswith(project):
            return (f"is a link to a file outside the project (its target is not shown); "
                    f"expected a regular {what} inside the project")
        try:
            mode = os.stat(path).st_mode
        except OSError:  # a broken link, or a loop: reading it says so
            return None
        if not S_ISREG(mode):
            return f"is a link to {_kind(mode)}, not a file; expected a regular {what}"
    elif not S_ISREG(mode):
        return f"is {_kind(mode)}, not a file; expected a regular {what}"
    return None


def load_case_files(paths: Sequence[Path], root: Path, rules: CaseRules,
                    cache: ParseCache | None = None,
                    stored: StoredParses | None = None) -> list[CaseOutcome]:
    """Read and validate each case file on its own (cross-file checks come after);
    files unchanged since they were put in ``cache`` are not read again, and a file
    whose text ``stored`` (the build cache) has parsed under the same rules is not
    parsed again."""
    return [_load_case(path, display_path(path, root), rules, cache, stored)
            for path in paths]


def load_register(
    cases_dir: Path, root: Path, rules: CaseRules | None = None,
    load_files: CaseFilesLoader = load_case_files,
) -> LoadResult:
    """Read and validate every case in ``cases_dir``; paths in messages are relative to ``root``.

    ``load_files`` reads the case files themselves; the checks across files (one diary
    number, one spelling per unit) run here on what it returns, in file order.
    """
    result = LoadResult()
    programmes_path = cases_dir / PROGRAMMES_FILE
    programmes_source = display_path(programmes_path, root)
    if os.path.lexists(programmes_path):  # a broken link is reported, a missing file not
        refusal = _refusal(os.fspath(programmes_path), _project_folders(cases_dir, root),
                           "file")
        text, problem = (("", Problem(programmes_source, 1, None, refusal)) if refusal
                         else _read_text(programmes_path, programmes_source))
        if problem:
            result.problems.append(problem)
        else:
            try:
                tree = parse_yaml(text)
            except YamlError as exc:
                result.problems.append(Problem(programmes_source, exc.line, None, exc.message))
            else:
                result.programmes, problems = read_programmes(tree, programmes_source)
                result.problems.extend(problems)
                # Its names are published on every programme page: scanned like a case.
                result.problems.extend(check_case_text(programmes_source, text, "", 1, tree))
    rules = CaseRules(
        diary_pattern=(rules or CaseRules()).diary_pattern,
        diary_description=(rules or CaseRules()).diary_description,
        programme_ids=frozenset(result.programmes),
        programmes_file=programmes_source,
    )
    if not cases_dir.is_dir():
        result.problems.append(Problem(display_path(cases_dir, root), 1, None,
                                       "is not a folder; expected the folder of case files"))
        return result
    paths, refused = case_files(cases_dir, root)
    result.problems.extend(refused)
    for case, problems in load_files(paths, root, rules):
        result.problems.extend(problems)
        if case is not None:
            result.cases.append(case)
    result.problems.extend(_duplicate_diary_numbers(result.cases))
    result.problems.extend(_unit_spellings(result.cases))
    # Protection is per person: a name protected in one case is hidden in every case.
    result.protected = ProtectedPeople.of(result.cases)
    result.problems.extend(protection_problems(result.cases, result.protected))
    result.problems.extend(programme_protection_problems(result.programmes, programmes_source,
                                                         result.protected))
    result.cases = apply_protection(result.cases, result.protected)
    return result


def _load_case(path: Path, source: str, rules: CaseRules,
               cache: ParseCache | None, stored: StoredParses | None) -> CaseOutcome:
    try:
        stat = os.stat(path)
    except OSError as exc:  # a broken link, or a file an editor is replacing right now
        return None, [Problem(source, 1, None, f"cannot be read ({exc.strerror}); expected "
                              "a readable case file")]
    signature = (stat.st_mtime_ns, stat.st_size)
    cached = cache.get(str(path)) if cache is not None else None
    if cached is not None and cached[0] == signature and cached[1] == rules:
        return cached[2]
    text, problem = _read_text(path, source)
    digest = text_digest(text) if stored is not None and not problem else ""
    known = stored.get(source, digest) if digest and stored is not None else None
    if problem:
        outcome: CaseOutcome = (None, [problem])
    elif known is not None:
        outcome = known
    else:
        try:
            document: FrontMatterDocument = split_front_matter(text)
        except YamlError as exc:
            outcome = (None, [Problem(source, exc.line, None, exc.message)])
        else:
            case, problems = read_case(document, source, rules)
            front_matter = text[: len(text) - len(document.body)]  # the body ends the text
            problems += check_case_text(source, front_matter, document.body, document.body_line,
                                       document.meta)
            # Before rendering: a body that would crash or stall Python-Markdown is refused.
            problems += body_limit_problems(document.body, source, document.body_line)
            if case is not None:
                problems += protected_officer_problems(case, document.body_line)
            outcome = (None if problems else case, problems)
        if digest and stored is not None:
            stored.put(source, digest, outcome)
    if cache is not None:
        cache[str(path)] = (signature, rules, outcome)
    return outcome


def _read_text(path: Path, source: str) -> tuple[str, Problem | None]:
    """The text of the regular file ``path``, or the problem why not.

    Opened without waiting (``O_NONBLOCK``: opening a FIFO would wait for a writer for
    ever) and checked once open (:func:`os.fstat`), so what is read is what was checked,
    whatever was at ``path`` when the folder was listed.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return "", Problem(source, 1, None, f"cannot be read ({exc.strerror}); expected a "
                           "readable file")
    try:
        mode = os.fstat(fd).st_mode
        if not S_ISREG(mode):
            what = "case file" if path.suffix == ".md" else "file"
            return "", Problem(source, 1, None, f"is {_kind(mode)}, not a file; expected a "
                               f"regular {what}")
        with open(fd, "rb", closefd=False) as file:
            data = file.read()
    except OSError as exc:
        return "", Problem(source, 1, None, f"cannot be read ({exc.strerror}); expected a "
                           "readable file")
    finally:
        os.close(fd)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        return "", Problem(source, line, None, f"is not UTF-8 text (byte 0x{byte:02X}); "
                           "expected the file saved as UTF-8")


def _duplicate_diary_numbers(cases: list[Case]) -> list[Problem]:
    """Two files may not claim one diary number, nor two numbers one URL."""
    first_by_slug: dict[str, Case] = {}
    problems = []
    for case in cases:
        first = first_by_slug.setdefault(case.slug, case)
        if first is not case:
            line = case.field_lines.get("diary_number", 1)
            first_line = first.field_lines.get("diary_number", 1)
            problems.append(Problem(
                case.source, line, "diary_number",
                f"'{case.diary_number}' is already used by {first.source}:{first_line}"
                + ("" if first.diary_number == case.diary_number
                   else f" ('{first.diary_number}', same address /{case.slug}/)")
                + "; expected a unique diary number",
            ))
    return problems


def _unit_spellings(cases: list[Case]) -> list[Problem]:
    """One unit, one spelling: units whose addresses would coincide are a typo.

    ``Samhällsutveckling`` and ``Samhallsutveckling`` would be two groups sharing the
    address ``register/enhet/samhallsutveckling/``; refusing the second spelling keeps
    every unit's address stable and its list complete.
    """
    first_by_slug: dict[str, Case] = {}
    problems = []
    for case in cases:
        first = first_by_slug.setdefault(unit_slug(case.unit), case)
        if first.unit != case.unit:
            problems.append(Problem(
                case.source, case.field_lines.get("unit", 1), "unit",
                f"'{case.unit}' is spelled differently from '{first.unit}' in "
                f"{first.source}:{first.field_lines.get('unit', 1)}; expected one spelling "
                "per unit",
            ))
    return problems
