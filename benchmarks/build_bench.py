"""Build-time benchmark: the register, cold and rebuilt, against plain MkDocs + Material.

For every size N this generates one register (``benchmarks/generate.py``) and its plain
twin, and builds them, each build in a fresh ``python -m mkdocs build`` subprocess:

(b) **plain**: the same Markdown bodies as ordinary MkDocs pages, ``docs/cases/<slug>.md``
    with a ``# title`` heading, outside the navigation (``not_in_nav: /cases/``), same
    theme and Markdown extensions, no plugins. Every ratio is to this build.
(a) **cold**: the generated project with the ``beslutsregister`` plugin (case pages,
    overview pages, exports, feed), built with its build cache
    (``<project>/.cache/beslutsregister/``) and ``site/`` removed first; it fills the cache.
    Cold and plain builds take turns (cold, plain, cold, plain ...), and with ``--repeat``
    the fastest build of each kind counts (a shared machine's other work only slows a
    build).
(c) **rebuild**: right after a build of almost the same input, with the cache that build
    left (and its ``site/``), three small changes to ``cases/``, applied one after the
    other, each followed by one timed rebuild:

    - *edit one*: a word changed in the title and in the body of one decision;
    - *add one*: a decision copied to a new file with a new diary number
      (``RUN/<serial>/<year>``, the year's highest serial + 1) and a new title;
    - *withdraw one*: ``status: withdrawn`` and ``withdrawn_on:`` (30 days after its
      ``date``, never after the ``today`` the generated ``mkdocs.yml`` pins) added.

    After each rebuild the same input is built cold into another folder (``-d
    site-cold-<change>``, the warm cache and the rebuilt ``site/`` moved aside meanwhile
    and put back afterwards, so the next rebuild still follows a build of the same
    input), and the two sites are compared byte for byte: the same relative file paths,
    the same bytes in each. A rebuild must give exactly the site a cold build gives.

It prints wall time, peak memory (of all the build's processes together, sampled from
``/proc``; and of the largest one alone, from ``os.wait4``), output size of ``site/``
and the average size of a case page, the ratio (a)/(b) and (c)/(b) of times at every
size and time(10 000)/time(5 000), each beside its target, then a final table, per N,
of plain, cold and each rebuild: seconds, ratio to plain, its target, peak MB of all
processes and the comparison with the cold build. It writes the figures as JSON into
``benchmarks/out/`` (``bench-<time>.json`` and ``latest.json``) and exits 1 when a
build failed or a rebuilt site differs from the cold one.

Usage::

    .venv/bin/python benchmarks/build_bench.py --sizes 1000 10000 50000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import MKDOCS_YML, TODAY, generate_register  # noqa: E402

OUT = HERE / "out"
MB = 1024 * 1024

# Targets from the issue "A build that scales linearly to 50 000 decisions".
TARGET_RATIO_10K = 1.2  # time(register) / time(plain MkDocs) at 10 000
TARGET_RATIO_10K_ISSUE_16 = 0.8  # the same, issue 16 ("the register faster than MkDocs")
TARGET_SCALING = 2.2  # time(10 000) / time(5 000)
TARGET_PEAK_MB_10K = 600
TARGET_SECONDS_50K = 6 * 60
TARGET_PAGE_KB = 30  # average output per case page
# Targets of the build cache, at every size.
TARGET_COLD_RATIO = 0.8  # time(cold) / time(plain)
TARGET_REBUILD_RATIO = 0.25  # time(rebuild after a small change) / time(plain)

#: The plugin's build cache, relative to the project (next to mkdocs.yml).
CACHE_DIR = Path(".cache") / "beslutsregister"
#: The rebuild scenarios, in the order they are applied (each on top of the last).
SCENARIOS = ("edit one", "add one", "withdraw one")
#: Words the changes write: none of them occurs in a generated case.
EDIT_TITLE_WORD, EDIT_BODY_WORD, ADD_TITLE_WORD = "Reviderat", "Omarbetat", "Kompletterande"
WITHDRAW_AFTER_DAYS = 30

#: The register's own mkdocs.yml (same theme and Markdown extensions) with the plugin
#: replaced by the plain pages kept out of the navigation.
PLAIN_YML = (
    MKDOCS_YML.split("plugins:")[0].replace("(benchmark)", "(benchmark, plain MkDocs)")
    + "plugins: []\nnot_in_nav: |\n  /cases/\nnav:\n  - Start: index.md\n"
)


#: Runs ``mkdocs build -d $BENCH_SITE_DIR`` in the child process and times how long the
#: build waits for its second process (``buildworker.py``): at the end of rendering, for
#: the last sanitized bodies (``finish_bodies``), and at the end of the build, for the
#: rest of the search index (``write_index``), and the CPU time of the MkDocs process
#: alone (the rest of the build's CPU time is its second process's). Writes
#: {"wait_seconds": ..., "main_cpu_seconds": ...} to the file named by $BENCH_TIMINGS.
RUNNER = """
import json, os, resource, sys, time
timings = {"wait_seconds": None, "main_cpu_seconds": None}
try:
    from beslutsregister.adapter.buildworker import BuildWorker
except ImportError:
    BuildWorker = None
def timed(method):
    def wait(self, *args):
        start = time.perf_counter()
        try:
            return method(self, *args)
        finally:
            timings["wait_seconds"] = ((timings["wait_seconds"] or 0.0)
                                        + time.perf_counter() - start)
    return wait
if BuildWorker is not None:
    BuildWorker.finish_bodies = timed(BuildWorker.finish_bodies)
    BuildWorker.write_index = timed(BuildWorker.write_index)
from mkdocs.__main__ import cli
try:
    cli(["build", "-q", "-d", os.environ.get("BENCH_SITE_DIR", "site")])
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    timings["main_cpu_seconds"] = usage.ru_utime + usage.ru_stime
    with open(os.environ["BENCH_TIMINGS"], "w") as out:
        json.dump(timings, out)
"""


@dataclass
class Build:
    kind: str  # "plain", "cold" or "rebuild"
    n: int
    seconds: float  # wall time of the whole build
    cpu_seconds: float  # user + system time of the build and its children (buildworker)
    main_cpu_seconds: float | None  # of ``cpu_seconds``: the MkDocs process's own
    peak_rss_mb: float  # max RSS of the build process or any child (buildworker), from wait4
    mkdocs_peak_rss_mb: float  # high-water mark of the MkDocs process alone (VmHWM)
    all_peak_rss_mb: float  # the largest sum of RSS of the build and its children at once
    wait_seconds: float | None  # of ``seconds``: waiting for the second process (register only)
    site_bytes: int
    case_pages: int
    case_page_bytes: int
    returncode: int
    scenario: str | None = None  # a rebuild's change, or the change a cold build compares
    cache_bytes: int | None = None  # size of .cache/beslutsregister after the build

    @property
    def avg_page_bytes(self) -> float:
        return self.case_page_bytes / self.case_pages if self.case_pages else 0.0

    @property
    def label(self) -> str:
        return f"{self.kind}: {self.scenario}" if self.scenario else self.kind


@dataclass
class Diff:
    """A rebuilt site against the cold build of the same input, byte for byte."""

    files: int  # relative paths in either tree
    differing: int
    only_rebuild: int
    only_cold: int
    first: list[str] = field(default_factory=list)  # up to 10: "differs|only in ...: path"
    skipped: str | None = None  # why the sites were not compared (a build failed)

    @property
    def identical(self) -> bool:
        return not (self.skipped or self.differing or self.only_rebuild or self.only_cold)

    def text(self) -> str:
        if self.skipped:
            return f"not compared: {self.skipped}"
        if self.identical:
            return f"identical ({_thousands(self.files)} files)"
        return (f"DIFFERENT ({_thousands(self.files)} files: {self.differing} differ, "
                f"{self.only_rebuild} only in rebuild, {self.only_cold} only in cold)")


@dataclass
class Rebuild:
    scenario: str
    change: str  # what was changed, e.g. "run-12-2020.md (RUN/12/2020): ..."
    build: Build  # the timed rebuild
    cold: Build  # the cold build of the same input, for the comparison
    diff: Diff
    change_seen: bool | None  # the change is in the rebuilt site (None: not checked)


@dataclass
class SizeResult:
    plain: Build  # the fastest plain build
    cold: Build  # the fastest cold build
    rebuilds: list[Rebuild]
    all_builds: list[Build]


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _vm_hwm_mb(pid: int) -> float | None:
    """The peak resident set size of one live process (Linux), in MB."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def _rss_mb(pid: int) -> float:
    """The resident set size of one live process (Linux), in MB; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def _tree(pid: int) -> list[int]:
    """A live process and all its descendants (Linux, /proc/PID/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as kids:
                    todo += [int(kid) for kid in kids.read().split()]
            except (OSError, ValueError):
                pass
    return found


def _tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def write_plain_project(register_root: Path, plain_root: Path) -> None:
    """The register's case bodies as plain MkDocs pages, read back from the case files."""
    docs = plain_root / "docs" / "cases"
    docs.mkdir(parents=True, exist_ok=True)
    (plain_root / "mkdocs.yml").write_text(PLAIN_YML, encoding="utf-8")
    (plain_root / "docs" / "index.md").write_text(
        "# Beslutsregister\n\nSamma beslut som vanliga MkDocs-sidor, utanför navigationen.\n",
        encoding="utf-8")
    for path in sorted((register_root / "cases").glob("*.md")):
        post = frontmatter.load(path)
        (docs / path.name).write_text(f"# {post['title']}\n\n{post.content}\n",
                                      encoding="utf-8")


def run_build(project: Path, kind: str, n: int, case_dir: str, *, scenario: str | None = None,
              site_dir: str = "site", fresh: bool = True) -> Build:
    """``mkdocs build -d site_dir`` in a fresh process: its wall and CPU time, and its peak
    memory. ``fresh`` removes ``site_dir`` and the build cache first (a cold build).

    ``os.wait4`` reports the largest RSS of the build process and the children it waited
    for (the build's second process, buildworker.py); polling ``/proc/PID/status`` gives
    the MkDocs process's own peak, and every 20 ms the sum of the RSS of the build and its
    children at that moment (the memory the build needs of the machine).
    """
    site = project / site_dir
    if fresh:
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(project / CACHE_DIR, ignore_errors=True)
    name = re.sub(r"[^a-z0-9]+", "-", f"{kind} {scenario or ''}".lower()).strip("-")
    timings_file = project / f"timings-{name}.json"
    timings_file.unlink(missing_ok=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BENCH_TIMINGS=str(timings_file),
               BENCH_SITE_DIR=site_dir)
    log = project / f"build-{name}.log"
    own_peak = all_peak = 0.0
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", RUNNER], cwd=project, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            own_peak = max(own_peak, _vm_hwm_mb(proc.pid) or 0.0)
            all_peak = max(all_peak, sum(_rss_mb(p) for p in _tree(proc.pid)))
            time.sleep(0.02)
        seconds = time.perf_counter() - start
    proc.returncode = returncode = os.waitstatus_to_exitcode(status)
    if returncode != 0:
        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-4000:])
    try:
        timings = json.loads(timings_file.read_text())
        wait_seconds, main_cpu = timings["wait_seconds"], timings["main_cpu_seconds"]
    except (OSError, ValueError, KeyError):
        wait_seconds = main_cpu = None
    site_bytes = _tree_bytes(site)
    pages = list((site / case_dir).glob("*/index.html"))
    cache = project / CACHE_DIR
    cache_bytes = _tree_bytes(cache) if kind != "plain" and cache.is_dir() else None
    return Build(kind, n, seconds, usage.ru_utime + usage.ru_stime, main_cpu,
                 usage.ru_maxrss / 1024,
                 own_peak, all_peak, wait_seconds, site_bytes, len(pages),
                 sum(p.stat().st_size for p in pages), returncode, scenario, cache_bytes)


def _print_build(build: Build) -> None:
    wait = f", of which waiting for the second process {build.wait_seconds:.1f} s" \
        if build.wait_seconds is not None else ""
    split = f" ({build.main_cpu_seconds:.1f} s MkDocs process)" \
        if build.main_cpu_seconds is not None and build.kind != "plain" else ""
    cache = f", cache {build.cache_bytes / MB:.1f} MB" if build.cache_bytes is not None else ""
    print(f"  {build.label:22} {build.seconds:8.1f} s wall{wait}, {build.cpu_seconds:.1f} s "
          f"CPU{split}, peak {build.all_peak_rss_mb:.0f} MB all processes (largest "
          f"{build.peak_rss_mb:.0f} MB, MkDocs process {build.mkdocs_peak_rss_mb:.0f} "
          f"MB){cache}  rc={build.returncode}", flush=True)


# --- The changes to cases/ -----------------------------------------------------------

_WORD = re.compile(r"\b[^\W\d_]{4,}\b")  # a word of at least four letters
_DIARY = re.compile(r"^diary_number: ([A-Z]+)/(\d+)/(\d{4})$", re.MULTILINE)


def _split(text: str) -> tuple[list[str], list[str]]:
    """A case file's front matter lines (between the ``---`` lines) and body lines."""
    lines = text.split("\n")
    if lines[0] != "---" or "---" not in lines[1:]:
        raise ValueError("expected front matter between two '---' lines")
    end = lines.index("---", 1)
    return lines[1:end], lines[end + 1:]


def _join(front: list[str], body: list[str]) -> str:
    return "\n".join(["---", *front, "---", *body])


def _replace_word(text: str, word: str) -> str:
    """``text`` with its first word of four or more letters replaced by ``word``."""
    match = _WORD.search(text)
    if match is None:
        raise ValueError(f"no word to replace in {text!r}")
    return text[:match.start()] + word + text[match.end():]


def _set_title(front: list[str], word: str) -> None:
    """Replace the first word of the (top-level, one-line) title with ``word``: a letter
    word for a letter word keeps a plain or quoted YAML scalar what it was."""
    index = next(i for i, line in enumerate(front) if line.startswith("title: "))
    front[index] = "title: " + _replace_word(front[index][len("title: "):], word)


def _field(front: list[str], key: str) -> str:
    """A top-level, one-line field's text as written."""
    return next(line[len(key) + 2:] for line in front if line.startswith(f"{key}: "))


def _paragraph(body: list[str]) -> int:
    """The first body line of running text (not a heading, list, table or mask)."""
    return next(i for i, line in enumerate(body) if line[:1].isalpha() and _WORD.search(line))


def _case_files(project: Path) -> list[Path]:
    return sorted((project / "cases").glob("*.md"))


def _build_today(project: Path) -> dt.date:
    """The date the build judges embargoes and withdrawals against: the plugin's
    ``today`` in mkdocs.yml, else $BESLUTSREGISTER_TODAY, else generate.py's clock."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("beslutsregister"), dict):
            today = plugin["beslutsregister"].get("today")
            if today:
                return today if isinstance(today, dt.date) else dt.date.fromisoformat(today)
    return dt.date.fromisoformat(os.environ.get("BESLUTSREGISTER_TODAY") or TODAY)


def _slug_file(diary_number: str) -> str:
    """The case file's name generate.py gives a diary number: RUN/12/2020 -> run-12-2020.md."""
    return diary_number.lower().replace("/", "-") + ".md"


def _page(site: Path, diary_number: str) -> Path:
    return site / "beslut" / diary_number.lower().replace("/", "-") / "index.html"


#: A change: (project) -> (what it changed, a check that the change is in a built site).
Change = Callable[[Path], tuple[str, Callable[[Path], bool]]]


def edit_one(project: Path) -> tuple[str, Callable[[Path], bool]]:
    """Change one word of the title and one of the body of the middle case file."""
    files = _case_files(project)
    path = files[len(files) // 2]
    front, body = _split(path.read_text(encoding="utf-8"))
    _set_title(front, EDIT_TITLE_WORD)
    line = _paragraph(body)
    body[line] = _replace_word(body[line], EDIT_BODY_WORD)
    path.write_text(_join(front, body), encoding="utf-8")
    number = _field(front, "diary_number")

    def seen(site: Path) -> bool:
        page = _page(site, number).read_text(encoding="utf-8")
        return EDIT_TITLE_WORD in page and EDIT_BODY_WORD in page

    return f"{path.name} ({number}): a word of the title and of the body", seen


def add_one(project: Path) -> tuple[str, Callable[[Path], bool]]:
    """Copy the latest decision (highest year, then serial) to the next free serial of
    its year, ``RUN/<serial + 1>/<year>`` as generate.py numbers them, with a new title."""
    numbered = []
    for path in _case_files(project):
        match = _DIARY.search(path.read_text(encoding="utf-8"))
        if match:
            numbered.append((int(match[3]), int(match[2]), match[1], path))
    year, serial, prefix, source = max(numbered)
    taken = {(y, s) for y, s, _, _ in numbered}
    while (year, serial) in taken or (project / "cases" / _slug_file(
            f"{prefix}/{serial}/{year}")).exists():
        serial += 1
    number = f"{prefix}/{serial}/{year}"
    front, body = _split(source.read_text(encoding="utf-8"))
    index = next(i for i, line in enumerate(front) if line.startswith("diary_number: "))
    front[index] = f"diary_number: {number}"
    _set_title(front, ADD_TITLE_WORD)
    target = project / "cases" / _slug_file(number)
    target.write_text(_join(front, body), encoding="utf-8")

    def seen(site: Path) -> bool:
        page = _page(site, number)
        return page.is_file() and ADD_TITLE_WORD in page.read_text(encoding="utf-8")

    return f"{target.name} ({number}), a copy of {source.name} with a new title", seen


def withdraw_one(project: Path) -> tuple[str, Callable[[Path], bool]]:
    """``status: withdrawn`` and ``withdrawn_on:`` in the case file a third of the way
    along: 30 days after its decision date, at the latest the build's ``today``."""
    files = _case_files(project)
    path = files[len(files) // 3]
    front, body = _split(path.read_text(encoding="utf-8"))
    decided = dt.date.fromisoformat(_field(front, "date"))
    day = max(decided, min(decided + dt.timedelta(days=WITHDRAW_AFTER_DAYS),
                           _build_today(project)))
    front = [line for line in front
             if not line.startswith(("status:", "withdrawn_on:"))]
    front += ["status: withdrawn", f"withdrawn_on: {day.isoformat()}"]
    path.write_text(_join(front, body), encoding="utf-8")
    number = _field(front, "diary_number")
    text = " ".join(body[_paragraph(body)].split()[:6])  # a piece of its own text

    def seen(site: Path) -> bool:
        page = _page(site, number)
        return page.is_file() and text not in page.read_text(encoding="utf-8")

    return f"{path.name} ({number}): status: withdrawn, withdrawn_on: {day}", seen


CHANGES: dict[str, Change] = {"edit one": edit_one, "add one": add_one,
                              "withdraw one": withdraw_one}


# --- Comparing two sites ---------------------------------------------------------------

def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            chunk = fa.read(1 << 20)
            if chunk != fb.read(1 << 20):
                return False
            if not chunk:
                return True


def diff_sites(rebuilt: Path, cold: Path) -> Diff:
    """Compare two site folders: the same relative file paths, the same bytes in each."""
    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    a, b = files(rebuilt), files(cold)
    differing = [rel for rel in sorted(a & b) if not _same_bytes(rebuilt / rel, cold / rel)]
    only_a, only_b = sorted(a - b), sorted(b - a)
    first = ([f"differs: {rel}" for rel in differing]
             + [f"only in rebuild: {rel}" for rel in only_a]
             + [f"only in cold: {rel}" for rel in only_b])[:10]
    return Diff(len(a | b), len(differing), len(only_a), len(only_b), first)


def rebuild_scenario(register: Path, root: Path, n: int, scenario: str,
                     keep: bool) -> Rebuild:
    """Apply one change, rebuild with the warm cache, then build the same input cold into
    ``site-cold-<change>`` (the warm cache and the rebuilt site moved aside meanwhile, and
    put back afterwards) and compare the two sites."""
    change, seen = CHANGES[scenario](register)
    print(f"  {scenario}: {change}", flush=True)
    build = run_build(register, "rebuild", n, "beslut", scenario=scenario, fresh=False)
    _print_build(build)

    site, cache = register / "site", register / CACHE_DIR
    site_aside, cache_aside = root / "aside-site", root / "aside-cache"
    for path in (site_aside, cache_aside):
        shutil.rmtree(path, ignore_errors=True)
    if site.is_dir():
        site.rename(site_aside)
    else:  # the rebuild failed before it made any site
        site_aside.mkdir(parents=True)
    if cache.is_dir():
        cache.rename(cache_aside)
    cold_dir = "site-cold-" + scenario.replace(" ", "-")
    try:
        cold = run_build(register, "cold", n, "beslut", scenario=scenario, site_dir=cold_dir)
        _print_build(cold)
        failed = [f"{what} failed (exit {b.returncode})"
                  for what, b in (("rebuild", build), ("cold build", cold)) if b.returncode]
        diff = Diff(0, 0, 0, 0, skipped=", ".join(failed)) if failed \
            else diff_sites(site_aside, register / cold_dir)
        try:
            change_seen: bool | None = seen(site_aside)
        except (OSError, ValueError):
            change_seen = None
    finally:
        # Back to the state the rebuild left: its site and its cache (the cold build's
        # own cache removed), for the next change's rebuild.
        shutil.rmtree(site, ignore_errors=True)
        site_aside.rename(site)
        shutil.rmtree(cache, ignore_errors=True)
        if cache_aside.is_dir():
            cache_aside.rename(cache)
        if not keep:
            shutil.rmtree(register / cold_dir, ignore_errors=True)
    seen_text = {True: "change in the site", False: "CHANGE NOT IN THE SITE",
                 None: "change not checked"}[change_seen]
    print(f"  {scenario}: rebuild vs cold: {diff.text()}; {seen_text}", flush=True)
    for line in diff.first:
        print(f"    {line}")
    return Rebuild(scenario, change, build, cold, diff, change_seen)


def bench_size(n: int, seed: int, work: Path, repeat: int, keep: bool) -> SizeResult:
    root = work / f"n{n}"
    shutil.rmtree(root, ignore_errors=True)
    register, plain = root / "register", root / "plain"
    t0 = time.perf_counter()
    generate_register(register, n, seed=seed)
    write_plain_project(register, plain)
    print(f"  generated {n} cases in {time.perf_counter() - t0:.1f} s", flush=True)
    # The two kinds take turns (a b a b ...): a shared machine's speed drifts over
    # minutes, and a drift should slow both, not only whichever ran second.
    runs: dict[str, list[Build]] = {"cold": [], "plain": []}
    for _ in range(repeat):
        for kind, project, case_dir in (("cold", register, "beslut"),
                                        ("plain", plain, "cases")):
            build = run_build(project, kind, n, case_dir)
            runs[kind].append(build)
            _print_build(build)
    best: dict[str, Build] = {}
    for kind, kind_runs in runs.items():
        ok = [b for b in kind_runs if b.returncode == 0] or kind_runs  # a failed build is no figure
        fastest = min(ok, key=lambda b: b.seconds)
        fastest.peak_rss_mb = max(b.peak_rss_mb for b in ok)
        fastest.mkdocs_peak_rss_mb = max(b.mkdocs_peak_rss_mb for b in ok)
        fastest.all_peak_rss_mb = max(b.all_peak_rss_mb for b in ok)
        best[kind] = fastest
    # The last register build was cold, of this very input: its cache is warm.
    cache = register / CACHE_DIR
    print("  cache after the cold build: "
          + (f"{_tree_bytes(cache) / MB:.1f} MB in {CACHE_DIR}" if cache.is_dir()
             else f"none ({CACHE_DIR} absent: a rebuild is a full build)"), flush=True)
    rebuilds = [rebuild_scenario(register, root, n, scenario, keep) for scenario in SCENARIOS]
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    all_builds = [b for kind_runs in runs.values() for b in kind_runs]
    all_builds += [b for r in rebuilds for b in (r.build, r.cold)]
    return SizeResult(best["plain"], best["cold"], rebuilds, all_builds)


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def report(results: dict[int, SizeResult]) -> dict[str, Any]:
    """Print the tables and the targets; return the summary for the JSON file."""
    header = (f"{'N':>6} {'build':22} {'wall s':>7} {'wait s':>7} {'CPU s':>7} {'main s':>7} "
              f"{'all MB':>7} "
              f"{'peak MB':>8} {'MkDocs MB':>9} {'site MB':>8} {'KB/case':>7} {'(a)/(b)':>7} "
              f"{'CPU a/b':>7}")
    print("\n(a) = register (cold, or rebuild), (b) = plain MkDocs + Material")
    print(header + "\n" + "-" * len(header))
    for n, result in sorted(results.items()):
        b = result.plain
        for build in (result.cold, b, *(r.build for r in result.rebuilds)):
            index = f"{build.wait_seconds:7.1f}" if build.wait_seconds is not None else " " * 7
            main = f"{build.main_cpu_seconds:7.1f}" \
                if build.main_cpu_seconds is not None and build is not b else " " * 7
            ratios = (f" {build.seconds / b.seconds:7.2f} {build.cpu_seconds / b.cpu_seconds:7.2f}"
                      if build is not b else "")
            failed = f"  FAILED (exit {build.returncode})" if build.returncode else ""
            print(f"{n:>6} {build.label:22} {build.seconds:7.1f} {index} "
                  f"{build.cpu_seconds:7.1f} "
                  f"{main} {build.all_peak_rss_mb:7.0f} {build.peak_rss_mb:8.0f} "
                  f"{build.mkdocs_peak_rss_mb:9.0f} "
                  f"{build.site_bytes / MB:8.1f} {build.avg_page_bytes / 1024:7.1f}"
                  + ratios + failed)
    summary: dict[str, Any] = {}
    print("\nTargets (a) = register cold build, (b) = plain MkDocs + Material")
    for n, result in sorted(results.items()):
        a, b = result.cold, result.plain
        ratio = a.seconds / b.seconds
        summary[f"ratio_{n}"] = ratio
        summary[f"cpu_ratio_{n}"] = a.cpu_seconds / b.cpu_seconds
        print(f"  ratio (a)/(b) of wall time at {n:>6}: {ratio:6.2f}     (CPU "
              f"{a.cpu_seconds / b.cpu_seconds:.2f}; a/b >= CPU a/b / 2 on two cores)")
        if n == 10_000:
            print(f"  ratio (a)/(b) of wall time at 10 000: {ratio:6.2f}     target <= "
                  f"{TARGET_RATIO_10K}  {_mark(ratio <= TARGET_RATIO_10K)}")
            print(f"  ratio (a)/(b) of wall time at 10 000: {ratio:6.2f}     issue 16: <= "
                  f"{TARGET_RATIO_10K_ISSUE_16}  {_mark(ratio <= TARGET_RATIO_10K_ISSUE_16)}")
            print(f"  peak memory (a) at 10 000:            {a.all_peak_rss_mb:6.0f} MB  target <= "
                  f"{TARGET_PEAK_MB_10K} MB  {_mark(a.all_peak_rss_mb <= TARGET_PEAK_MB_10K)}"
                  f"  (all processes; MkDocs process alone {a.mkdocs_peak_rss_mb:.0f} MB)")
        if n == 50_000:
            print(f"  time (a) at 50 000:                   {a.seconds:6.0f} s   target < "
                  f"{TARGET_SECONDS_50K} s  {_mark(a.seconds < TARGET_SECONDS_50K)}")
    if 5_000 in results and 10_000 in results:
        for kind in ("cold", "plain"):
            build5, build10 = (getattr(results[size], kind) for size in (5_000, 10_000))
            scaling = build10.seconds / build5.seconds
            summary[f"scaling_10k_5k_{kind}"] = scaling
            target = f"target <= {TARGET_SCALING}  {_mark(scaling <= TARGET_SCALING)}" \
                if kind == "cold" else "(reference)"
            print(f"  time(10 000)/time(5 000), {kind:8}:   {scaling:6.2f}     {target}")
    for n, result in sorted(results.items()):
        kb = result.cold.avg_page_bytes / 1024
        print(f"  average case page (a) at {n:>6}:       {kb:6.1f} KB  target <= "
              f"{TARGET_PAGE_KB} KB  {_mark(kb <= TARGET_PAGE_KB)}")

    # The final table: plain, cold and each rebuild against plain, with the comparisons.
    header = (f"{'N':>6}  {'kind':22} {'seconds':>8}  {'ratio-to-plain':>14}  "
              f"{'target':13} {'peak MB':>8}  diff")
    print("\n" + header + "\n" + "-" * (len(header) + 30))
    for n, result in sorted(results.items()):
        plain = result.plain
        rows: list[tuple[Build, float | None, Diff | None]] = [
            (plain, None, None), (result.cold, TARGET_COLD_RATIO, None),
            *((r.build, TARGET_REBUILD_RATIO, r.diff) for r in result.rebuilds)]
        summary[f"plain_seconds_{n}"] = plain.seconds
        summary[f"cold_seconds_{n}"] = result.cold.seconds
        summary[f"cold_ratio_{n}"] = result.cold.seconds / plain.seconds
        summary[f"cold_peak_mb_{n}"] = result.cold.all_peak_rss_mb
        for build, goal, diff in rows:
            ratio = build.seconds / plain.seconds
            ratio_text = f"{ratio:.2f}×" if goal is not None else ""
            target_text = f"≤{goal:.2f} {_mark(ratio <= goal)}" if goal is not None else ""
            peak = f"{build.all_peak_rss_mb:.0f}"
            if build.kind == "cold" and n == 10_000:
                peak += "" if build.all_peak_rss_mb <= TARGET_PEAK_MB_10K else " MISSED"
            diff_text = diff.text() if diff is not None else ""
            if build.returncode and diff is None:
                diff_text = f"FAILED (exit {build.returncode})"
            print(f"{n:>6}  {build.label:22} {build.seconds:8.1f}  {ratio_text:>14}  "
                  f"{target_text:13} {peak:>8}  {diff_text}".rstrip())
        for r in result.rebuilds:
            key = r.scenario.replace(" ", "_")
            summary[f"rebuild_seconds_{n}_{key}"] = r.build.seconds
            summary[f"rebuild_ratio_{n}_{key}"] = r.build.seconds / plain.seconds
            summary[f"rebuild_peak_mb_{n}_{key}"] = r.build.all_peak_rss_mb
            summary[f"rebuild_identical_{n}_{key}"] = r.diff.identical
    print("(peak MB: all the build's processes together; "
          f"target for cold at 10 000: ≤{TARGET_PEAK_MB_10K} MB)")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000],
                        help="numbers of cases (default: 1000 10000 50000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1,
                        help="cold and plain builds per size, taking turns; the fastest "
                             "time of each kind is reported (each rebuild runs once)")
    parser.add_argument("--work", type=Path, default=OUT / "work",
                        help="where generated projects are built (default benchmarks/out/work)")
    parser.add_argument("--keep", action="store_true", help="keep generated projects and sites")
    args = parser.parse_args(argv)

    results: dict[int, SizeResult] = {}
    for n in args.sizes:
        print(f"N = {n}", flush=True)
        results[n] = bench_size(n, args.seed, args.work, args.repeat, args.keep)
    summary = report(results)
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)

    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    data = {
        "when": stamp,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "seed": args.seed,
        "repeat": args.repeat,
        # Every build made; "best" marks the plain and cold builds whose times count.
        "builds": [dict(asdict(b), label=b.label, avg_page_bytes=b.avg_page_bytes,
                        best=b is r.plain or b is r.cold)
                   for r in results.values() for b in r.all_builds],
        "rebuilds": [{"n": n, "scenario": rb.scenario, "change": rb.change,
                      "seconds": rb.build.seconds,
                      "ratio_to_plain": rb.build.seconds / r.plain.seconds,
                      "peak_mb": rb.build.all_peak_rss_mb, "returncode": rb.build.returncode,
                      "cold_seconds": rb.cold.seconds, "cold_returncode": rb.cold.returncode,
                      "change_seen": rb.change_seen,
                      "diff": dict(asdict(rb.diff), identical=rb.diff.identical)}
                     for n, r in results.items() for rb in r.rebuilds],
        "summary": summary,
        "targets": {
            "ratio_10k": TARGET_RATIO_10K, "ratio_10k_issue_16": TARGET_RATIO_10K_ISSUE_16,
            "scaling_10k_5k": TARGET_SCALING,
            "peak_mb_10k": TARGET_PEAK_MB_10K, "seconds_50k": TARGET_SECONDS_50K,
            "page_kb": TARGET_PAGE_KB,
            "cold_ratio": TARGET_COLD_RATIO, "rebuild_ratio": TARGET_REBUILD_RATIO,
        },
    }
    text = json.dumps(data, indent=2) + "\n"
    (OUT / f"bench-{stamp}.json").write_text(text, encoding="utf-8")
    (OUT / "latest.json").write_text(text, encoding="utf-8")
    print(f"\nwrote {OUT / f'bench-{stamp}.json'}")
    failed = any(b.returncode != 0 for r in results.values() for b in r.all_builds)
    different = any(not rb.diff.identical or rb.change_seen is False
                    for r in results.values() for rb in r.rebuilds)
    return 1 if failed or different else 0


if __name__ == "__main__":
    sys.exit(main())
