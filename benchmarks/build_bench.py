"""Build-time benchmark: the register against plain MkDocs + Material on the same text.

For every size N this generates one register (``benchmarks/generate.py``) and builds it
twice, each build in a fresh ``python -m mkdocs build`` subprocess:

(a) **register**: the generated project with the ``beslutsregister`` plugin (case pages,
    overview pages, exports, feed);
(b) **plain**: the same Markdown bodies as ordinary MkDocs pages, ``docs/cases/<slug>.md``
    with a ``# title`` heading, outside the navigation (``not_in_nav: /cases/``), same
    theme and Markdown extensions, no plugins.

It prints wall time, peak memory (of all the build's processes together, sampled from
``/proc``; and of the largest one alone, from ``os.wait4``), output size of ``site/``
and the average size of a case page, the ratio (a)/(b) of times at every size and
time(10 000)/time(5 000), each beside its target, and writes the figures as JSON into
``benchmarks/out/``. The two kinds of build take turns, and with ``--repeat`` the
fastest build of each kind counts (a shared machine's other work only slows a build).
Usage::

    .venv/bin/python benchmarks/build_bench.py --sizes 1000 5000 10000 50000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import frontmatter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import MKDOCS_YML, generate_register  # noqa: E402

OUT = HERE / "out"
MB = 1024 * 1024

# Targets from the issue "A build that scales linearly to 50 000 decisions".
TARGET_RATIO_10K = 1.2  # time(register) / time(plain MkDocs) at 10 000
TARGET_RATIO_10K_ISSUE_16 = 0.8  # the same, issue 16 ("the register faster than MkDocs")
TARGET_SCALING = 2.2  # time(10 000) / time(5 000)
TARGET_PEAK_MB_10K = 600
TARGET_SECONDS_50K = 6 * 60
TARGET_PAGE_KB = 30  # average output per case page

#: The register's own mkdocs.yml (same theme and Markdown extensions) with the plugin
#: replaced by the plain pages kept out of the navigation.
PLAIN_YML = (
    MKDOCS_YML.split("plugins:")[0].replace("(benchmark)", "(benchmark, plain MkDocs)")
    + "plugins: []\nnot_in_nav: |\n  /cases/\nnav:\n  - Start: index.md\n"
)


#: Runs ``mkdocs build`` in the child process and times how long the build waits for
#: its second process (``buildworker.py``): at the end of rendering, for the last
#: sanitized bodies (``finish_bodies``), and at the end of the build, for the rest of the
#: search index (``write_index``), and the CPU time of the MkDocs process alone (the rest
#: of the build's CPU time is its second process's). Writes {"wait_seconds": ...,
#: "main_cpu_seconds": ...} to the file named by $BENCH_TIMINGS.
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
    cli(["build", "-q", "-d", "site"])
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    timings["main_cpu_seconds"] = usage.ru_utime + usage.ru_stime
    with open(os.environ["BENCH_TIMINGS"], "w") as out:
        json.dump(timings, out)
"""


@dataclass
class Build:
    kind: str  # "register" or "plain"
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

    @property
    def avg_page_bytes(self) -> float:
        return self.case_page_bytes / self.case_pages if self.case_pages else 0.0


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


def run_build(project: Path, kind: str, n: int, case_dir: str) -> Build:
    """``mkdocs build`` in a fresh process: its wall and CPU time, and its peak memory.

    ``os.wait4`` reports the largest RSS of the build process and the children it waited
    for (the build's second process, buildworker.py); polling ``/proc/PID/status`` gives
    the MkDocs process's own peak, and every 20 ms the sum of the RSS of the build and its
    children at that moment (the memory the build needs of the machine).
    """
    site = project / "site"
    shutil.rmtree(site, ignore_errors=True)
    timings_file = project / f"timings-{kind}.json"
    timings_file.unlink(missing_ok=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BENCH_TIMINGS=str(timings_file))
    log = project / f"build-{kind}.log"
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
    site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    pages = list((site / case_dir).glob("*/index.html"))
    return Build(kind, n, seconds, usage.ru_utime + usage.ru_stime, main_cpu,
                 usage.ru_maxrss / 1024,
                 own_peak, all_peak, wait_seconds, site_bytes, len(pages),
                 sum(p.stat().st_size for p in pages), returncode)


def bench_size(n: int, seed: int, work: Path, repeat: int, keep: bool) -> dict[str, Build]:
    root = work / f"n{n}"
    shutil.rmtree(root, ignore_errors=True)
    register, plain = root / "register", root / "plain"
    t0 = time.perf_counter()
    generate_register(register, n, seed=seed)
    write_plain_project(register, plain)
    print(f"  generated {n} cases in {time.perf_counter() - t0:.1f} s", flush=True)
    # The two kinds take turns (a b a b ...): a shared machine's speed drifts over
    # minutes, and a drift should slow both, not only whichever ran second.
    runs: dict[str, list[Build]] = {"register": [], "plain": []}
    for _ in range(repeat):
        for kind, project, case_dir in (("register", register, "beslut"),
                                        ("plain", plain, "cases")):
            build = run_build(project, kind, n, case_dir)
            runs[kind].append(build)
            wait = f", of which waiting for the second process {build.wait_seconds:.1f} s" \
                if build.wait_seconds is not None else ""
            split = f" ({build.main_cpu_seconds:.1f} s MkDocs process)" \
                if build.main_cpu_seconds is not None and kind == "register" else ""
            print(f"  {kind:8} {build.seconds:8.1f} s wall{wait}, {build.cpu_seconds:.1f} s "
                  f"CPU{split}, peak {build.all_peak_rss_mb:.0f} MB all processes (largest "
                  f"{build.peak_rss_mb:.0f} MB, MkDocs process {build.mkdocs_peak_rss_mb:.0f} "
                  f"MB)  rc={build.returncode}", flush=True)
    results: dict[str, Build] = {}
    for kind, kind_runs in runs.items():
        ok = [b for b in kind_runs if b.returncode == 0] or kind_runs  # a failed build is no figure
        best = min(ok, key=lambda b: b.seconds)
        best.peak_rss_mb = max(b.peak_rss_mb for b in ok)
        best.mkdocs_peak_rss_mb = max(b.mkdocs_peak_rss_mb for b in ok)
        best.all_peak_rss_mb = max(b.all_peak_rss_mb for b in ok)
        results[kind] = best
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    return results


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def report(results: dict[int, dict[str, Build]]) -> dict[str, Any]:
    """Print the table and the targets; return the summary for the JSON file."""
    header = (f"{'N':>6} {'build':8} {'wall s':>7} {'wait s':>7} {'CPU s':>7} {'main s':>7} "
              f"{'all MB':>7} "
              f"{'peak MB':>8} {'MkDocs MB':>9} {'site MB':>8} {'KB/case':>7} {'(a)/(b)':>7} "
              f"{'CPU a/b':>7}")
    print("\n" + header + "\n" + "-" * len(header))
    for n, builds in sorted(results.items()):
        a, b = builds["register"], builds["plain"]
        for build in (a, b):
            index = f"{build.wait_seconds:7.1f}" if build.wait_seconds is not None else " " * 7
            main = f"{build.main_cpu_seconds:7.1f}" \
                if build.main_cpu_seconds is not None and build is a else " " * 7
            ratios = (f" {a.seconds / b.seconds:7.2f} {a.cpu_seconds / b.cpu_seconds:7.2f}"
                      if build is a else "")
            failed = f"  FAILED (exit {build.returncode})" if build.returncode else ""
            print(f"{n:>6} {build.kind:8} {build.seconds:7.1f} {index} {build.cpu_seconds:7.1f} "
                  f"{main} {build.all_peak_rss_mb:7.0f} {build.peak_rss_mb:8.0f} "
                  f"{build.mkdocs_peak_rss_mb:9.0f} "
                  f"{build.site_bytes / MB:8.1f} {build.avg_page_bytes / 1024:7.1f}"
                  + ratios + failed)
    summary: dict[str, Any] = {}
    print("\nTargets (a = register, b = plain MkDocs + Material)")
    for n, builds in sorted(results.items()):
        a, b = builds["register"], builds["plain"]
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
        for kind in ("register", "plain"):
            scaling = results[10_000][kind].seconds / results[5_000][kind].seconds
            summary[f"scaling_10k_5k_{kind}"] = scaling
            target = f"target <= {TARGET_SCALING}  {_mark(scaling <= TARGET_SCALING)}" \
                if kind == "register" else "(reference)"
            print(f"  time(10 000)/time(5 000), {kind:8}:   {scaling:6.2f}     {target}")
    for n, builds in sorted(results.items()):
        kb = builds["register"].avg_page_bytes / 1024
        print(f"  average case page (a) at {n:>6}:       {kb:6.1f} KB  target <= "
              f"{TARGET_PAGE_KB} KB  {_mark(kb <= TARGET_PAGE_KB)}")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000, 50000],
                        help="numbers of cases (default: 1000 5000 10000 50000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1,
                        help="builds per size and kind, taking turns; the fastest time of "
                             "each kind is reported")
    parser.add_argument("--work", type=Path, default=OUT / "work",
                        help="where generated projects are built (default benchmarks/out/work)")
    parser.add_argument("--keep", action="store_true", help="keep generated projects and sites")
    args = parser.parse_args(argv)

    results: dict[int, dict[str, Build]] = {}
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
        "builds": [dict(asdict(b), avg_page_bytes=b.avg_page_bytes)
                   for builds in results.values() for b in builds.values()],
        "summary": summary,
        "targets": {
            "ratio_10k": TARGET_RATIO_10K, "ratio_10k_issue_16": TARGET_RATIO_10K_ISSUE_16,
            "scaling_10k_5k": TARGET_SCALING,
            "peak_mb_10k": TARGET_PEAK_MB_10K, "seconds_50k": TARGET_SECONDS_50K,
            "page_kb": TARGET_PAGE_KB,
        },
    }
    text = json.dumps(data, indent=2) + "\n"
    (OUT / f"bench-{stamp}.json").write_text(text, encoding="utf-8")
    (OUT / "latest.json").write_text(text, encoding="utf-8")
    print(f"\nwrote {OUT / f'bench-{stamp}.json'}")
    return 0 if all(b.returncode == 0 for r in results.values() for b in r.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
