"""What the output guard and atomic publication add to a public build.

Generates a register (``benchmarks/generate.py``), builds it with ``mkdocs build`` in a
fresh process and times, inside that build:

* ``written``: the build telling its second process which page files are written
  (per page, on the build's own core);
* ``leaks``: the wait at the end for the second process to sweep the rest of the site
  and report (on the build's critical path);
* ``publish``: swapping the staging folder in;
* ``finish_bodies``: the wait for the last sanitized case bodies, which grows if the
  second process, scanning index files as it writes them, falls behind.

It also builds the same register with the guard left out (its calls replaced by
nothing), taking turns, and prints the difference, the guard's extra wall time, beside
the goal (under 5 % of the build). For scale it also scans the finished site in this process alone
(``scan_site``, one core, no overlap with rendering): what the guard would cost if it
ran after the build instead of beside it. Usage::

    .venv/bin/python benchmarks/guard_bench.py --cases 10000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from beslutsregister.core.outputguard import scan_site  # noqa: E402
from beslutsregister.core.privacy import ProtectedPeople  # noqa: E402
from generate import generate_register  # noqa: E402

GOAL = 0.05  # of the build's wall time

RUNNER = """
import json, os, time
from beslutsregister.adapter.buildworker import BuildWorker
from beslutsregister.core.staging import StagedSite
timings = {"written": 0.0, "leaks": 0.0, "publish": 0.0, "finish_bodies": 0.0}
def timed(owner, name):
    method = getattr(owner, name)
    def wrapper(self, *args):
        start = time.perf_counter()
        try:
            return method(self, *args)
        finally:
            timings[name] += time.perf_counter() - start
    setattr(owner, name, wrapper)
if os.environ.get("BENCH_NO_GUARD"):  # the same build with the output guard left out
    def no_leaks(self, *arguments):
        self.close()
        return []
    BuildWorker.written = lambda self, output: None
    BuildWorker.leaks = no_leaks
timed(BuildWorker, "written")
timed(BuildWorker, "leaks")
timed(BuildWorker, "finish_bodies")
timed(StagedSite, "publish")
from mkdocs.__main__ import cli
start = time.perf_counter()
try:
    cli(["build", "-q"], standalone_mode=False)
finally:
    timings["build"] = time.perf_counter() - start
    with open(os.environ["BENCH_TIMINGS"], "w") as out:
        json.dump(timings, out)
"""


def measure(project: Path, guard: bool) -> dict[str, float]:
    with tempfile.NamedTemporaryFile(suffix=".json") as timings:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BENCH_TIMINGS=timings.name)
        if not guard:
            env["BENCH_NO_GUARD"] = "1"
        subprocess.run([sys.executable, "-c", RUNNER], cwd=project, env=env, check=True)
        result: dict[str, float] = json.loads(Path(timings.name).read_text())
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2, help="builds; the fastest counts")
    parser.add_argument("--keep", type=Path, help="build in this folder (kept) instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        project = args.keep or Path(scratch) / "register"
        if not (project / "mkdocs.yml").exists():
            generate_register(project, args.cases)
        runs, plain = [], []
        for _ in range(args.repeat):  # taking turns: a drift in speed slows both kinds
            runs.append(measure(project, guard=True))
            plain.append(measure(project, guard=False))
        best = min(runs, key=lambda run: run["build"])
        without = min(run["build"] for run in plain)
        start = time.perf_counter()
        leaks = scan_site(project / "site", ProtectedPeople({}))
        alone = time.perf_counter() - start
        size = sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file())
    extra = best["build"] - without
    print(f"cases: {args.cases}, site: {size / 1e6:.0f} MB, leaks found: {len(leaks)}")
    every = ", ".join(f"{run['build']:.1f}" for run in runs)
    print(f"build (fastest of {args.repeat}): {best['build']:.1f} s (all: {every})")
    print(f"  telling the second process about written pages: {best['written']:.2f} s")
    print(f"  waiting for its last sweep at the end:          {best['leaks']:.2f} s")
    print(f"  waiting for the last sanitized bodies:          {best['finish_bodies']:.2f} s "
          f"(without the guard: {min(run['finish_bodies'] for run in plain):.2f} s)")
    print(f"  swapping the staging folder in:                 {best['publish']:.2f} s")
    every = ", ".join(f"{run['build']:.1f}" for run in plain)
    print(f"the same build without the guard: {without:.1f} s (all: {every})")
    print(f"the guard's extra build time: {extra:.2f} s = {extra / without:.1%} of the build "
          f"(goal under {GOAL:.0%})")
    print(f"the same scan after the build, on one core: {alone:.1f} s = "
          f"{alone / best['build']:.1%} of the build")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
