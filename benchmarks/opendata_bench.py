"""What open data adds to a public build, and how large its downloads are.

Generates a register (``benchmarks/generate.py``) and builds it with ``mkdocs build`` in
a fresh process, taking turns with the same build with the open data left out (no
exports, feeds, catalogue, statistics or open-data page: ``OpenData.iter_files`` yields
nothing and the two pages are dropped). The difference is open data's whole
cost: making the files, MkDocs writing them, the output guard scanning them. Also times
making the files alone in this process, and prints the largest download of each kind,
raw and gzipped, beside the goals (extra time under 5 % of the build; no per-year
download over 5 MB gzipped). Usage::

    .venv/bin/python benchmarks/opendata_bench.py --cases 50000
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from beslutsregister.core.loading import load_register  # noqa: E402
from beslutsregister.core.site import RegisterSite  # noqa: E402
from generate import generate_register  # noqa: E402

TIME_GOAL = 0.05  # of the build's wall time
YEAR_GOAL = 5_000_000  # bytes, gzipped

RUNNER = """
import json, os, time
if os.environ.get("BENCH_NO_OPEN_DATA"):
    from beslutsregister.core.opendata import OpenData
    from beslutsregister.core.site import RegisterSite
    overview = RegisterSite.overview_pages
    OpenData.iter_files = lambda self: iter(())
    RegisterSite.overview_pages = lambda self: [
        p for p in overview(self) if p.src_uri not in (
            "register/statistik.md", "register/oppna-data.md")]
from mkdocs.__main__ import cli
start = time.perf_counter()
cli(["build", "-q"], standalone_mode=False)
with open(os.environ["BENCH_TIMINGS"], "w") as out:
    json.dump({"build": time.perf_counter() - start}, out)
"""

KINDS = {  # kind of download -> a test on its path in the site
    "whole register (beslut.csv/.json, finansiering.csv)": lambda p: p.parent.name == "register"
    and p.suffix in (".csv", ".json"),
    "per year (register/ar/*.csv/.json)": lambda p: p.parent.name == "ar",
    "per decision (beslut/*.json)": lambda p: p.parent.name == "beslut" and p.suffix == ".json",
    "feed (*.xml)": lambda p: p.suffix == ".xml" and p.name != "sitemap.xml",
    "catalogue (katalog.rdf)": lambda p: p.suffix == ".rdf",
    "statistics page (HTML)": lambda p: p.parent.name == "statistik" and p.suffix == ".html",
}


def measure(project: Path, open_data: bool) -> float:
    with tempfile.NamedTemporaryFile(suffix=".json") as timings:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BENCH_TIMINGS=timings.name)
        if not open_data:
            env["BENCH_NO_OPEN_DATA"] = "1"
        subprocess.run([sys.executable, "-c", RUNNER], cwd=project, env=env, check=True)
        return float(json.loads(Path(timings.name).read_text())["build"])


def largest(site: Path) -> dict[str, tuple[Path, int, int, int]]:
    """Per kind: the largest file, its raw and gzipped size, and how many there are."""
    found: dict[str, tuple[Path, int, int, int]] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        for kind, test in KINDS.items():
            if test(path):
                size = path.stat().st_size
                known = found.get(kind)
                count = (known[3] if known else 0) + 1
                if known is None or size > known[1]:
                    packed = len(gzip.compress(path.read_bytes(), 6))
                    known = (path, size, packed, count)
                found[kind] = (*known[:3], count)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=2, help="builds of each kind")
    parser.add_argument("--keep", type=Path, help="build in this folder (kept) instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        project = args.keep or Path(scratch) / "register"
        if not (project / "mkdocs.yml").exists():
            generate_register(project, args.cases)
        with_data, without = [], []
        for _ in range(args.repeat):  # taking turns: a drift in speed slows both kinds
            without.append(measure(project, open_data=False))
            with_data.append(measure(project, open_data=True))
        sizes = largest(project / "site")
        loaded = load_register(project / "cases", project)
        start = time.perf_counter()
        files = RegisterSite(loaded, date(2026, 12, 1), site_url="https://beslut.example.se/",
                             ).data_files()
        making = time.perf_counter() - start
    extra = min(with_data) - min(without)
    print(f"cases: {args.cases}, open-data files: {len(files)}")
    print(f"build with open data (fastest of {args.repeat}): {min(with_data):.1f} s "
          f"(all: {', '.join(f'{t:.1f}' for t in with_data)})")
    print(f"build without it:                  {min(without):.1f} s "
          f"(all: {', '.join(f'{t:.1f}' for t in without)})")
    print(f"open data's extra build time: {extra:.1f} s = {extra / min(without):.1%} of the "
          f"build (goal under {TIME_GOAL:.0%}); making the files alone: {making:.1f} s")
    print("largest download of each kind (raw / gzipped, files of the kind):")
    for kind, (path, size, packed, count) in sizes.items():
        flag = ""
        if kind.startswith("per year"):
            flag = "  ok" if packed <= YEAR_GOAL else "  OVER THE GOAL"
        print(f"  {kind}: {path.name} {size / 1e6:.2f} MB / {packed / 1e6:.2f} MB, "
              f"{count} files{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
