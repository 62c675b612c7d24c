"""Search benchmark: what a first search downloads, and the index size, against Material.

For every size N this generates one register (``benchmarks/generate.py``), builds it
once with the register's search (Pagefind) *and* Material's search plugin, so both
indexes come from the same pages, then:

* opens ``sok/?q=...`` in headless Chromium (Debian's, /usr/bin/chromium) for a few
  typical queries, each in a fresh browser context (empty cache), waits until the first
  results are shown and lists every file the search loaded: Pagefind's entry file, WASM,
  metadata, index chunks, facet lists and result fragments ("index data"), and the
  search code (Pagefind's JS and UI, the register's wrapper; "code");
* sums those files' sizes as stored (``http.server`` sends them uncompressed) and as a
  web server would send them with gzip (text files gzipped; Pagefind's index files and
  WASM are gzip already and count as they are);
* reports the Pagefind bundle's size and file count, the time Pagefind takes to index,
  and Material's ``search/search_index.json`` (raw and gzipped): Material downloads that
  whole file before its first result.

Prints one table and writes the figures as JSON into ``benchmarks/out/``. Usage::

    .venv/bin/python benchmarks/search_bench.py --sizes 1000 10000 50000
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import frontmatter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from beslutsregister import search  # noqa: E402
from generate import generate_register  # noqa: E402

OUT = HERE / "out"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
KB = 1000
BUDGET_10K = 300 * KB  # the budget for a first search on 10 000 decisions

#: Already compressed by Pagefind (gzip): sent as they are.
PRECOMPRESSED = re.compile(r"\.(pagefind|pf_meta|pf_index|pf_filter|pf_fragment)$")


@dataclass
class Transfer:
    query: str
    results: int
    files: int = 0
    data_raw: int = 0  # index data (entry, metadata, chunks, filters, fragments, WASM)
    code_raw: int = 0  # JS and CSS of the search
    data_gz: int = 0
    code_gz: int = 0
    seconds: float = 0.0
    facets_gz: int = 0  # loaded afterwards, when the reader asks for facets
    loaded: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total_gz(self) -> int:
        return self.data_gz + self.code_gz

    @property
    def total_raw(self) -> int:
        return self.data_raw + self.code_raw


@dataclass
class SizeResult:
    n: int
    build_seconds: float
    pagefind_seconds: float
    pagefind_pages: int
    bundle_bytes: int
    bundle_files: int
    index_bytes: int  # the bundle without code and WASM
    material_raw: int
    material_gz: int
    transfers: list[Transfer]


def build(project: Path) -> float:
    """One ``mkdocs build`` with Material's search plugin added beside the register's."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    both = config.replace("plugins:\n", "plugins:\n  - search:\n      lang: sv\n", 1)
    (project / "mkdocs-bench.yml").write_text(both, encoding="utf-8")
    shutil.rmtree(project / "site", ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    with (project / "build.log").open("wb") as log:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs-bench.yml",
                        "-d", "site"], cwd=project, env=env, stdout=log,
                       stderr=subprocess.STDOUT, check=True)
    return time.perf_counter() - start


def time_pagefind(site: Path) -> tuple[float, int]:
    """Index the built case pages again, alone, to time Pagefind's part of the build."""
    pages = sorted(str(p.relative_to(site)) for p in (site / "beslut").glob("*/index.html"))
    scratch = site.parent / "pagefind-timing"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        (scratch / "beslut").symlink_to(site / "beslut")
        start = time.perf_counter()
        summary = search.build_index(scratch, pages)
        return time.perf_counter() - start, summary.pages
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def gz_size(path: Path) -> int:
    data = path.read_bytes()
    return len(data) if PRECOMPRESSED.search(path.name) else len(gzip.compress(data, 6))


@contextmanager
def serve(root: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


RESULTS_SHOWN = """(term) => {
  const message = document.querySelector(".pagefind-ui__message");
  if (!message || !message.textContent.startsWith(term)) return false;  // not a half-typed one
  const found = message.textContent.match(/gav (inga|[\\d\\s]+) träff/);
  if (!found) return false;
  const count = found[1] === "inga" ? 0 : Number(found[1].replace(/\\s/g, ""));
  return document.querySelectorAll(".pagefind-ui__result-link").length === Math.min(count, 10);
}"""


def first_search(browser: Any, base: str, site: Path, query: str, typed: bool = False
                 ) -> Transfer:
    """Open the search page with ``query`` in a fresh context; list what the search loads.

    ``typed``: open the empty search page and type the query at 150 ms per key, as on a
    phone (the UI searches whenever typing pauses for 300 ms).
    """
    context = browser.new_context()
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    context.route(re.compile(r"/search/search_index\.json$"), lambda route: route.abort())
    page = context.new_page()
    paths: list[str] = []
    page.on("requestfinished", lambda request: paths.append(unquote(urlsplit(request.url).path)))
    start = time.perf_counter()
    if typed:
        page.goto(f"{base}sok/")
        page.locator(".pagefind-ui__search-input").press_sequentially(query, delay=150)
    else:
        page.goto(f"{base}sok/?q={quote(query)}")
    page.wait_for_function(RESULTS_SHOWN, arg=query, timeout=120_000)
    page.wait_for_load_state("networkidle")
    seconds = time.perf_counter() - start
    message = page.inner_text(".pagefind-ui__message")
    found = re.search(r"gav (inga|[\d\s]+) träff", message)  # 1 435: a no-break space
    hits = 0 if not found or found[1] == "inga" else int(re.sub(r"\s", "", found[1]))
    transfer = Transfer(f"{query} (typed)" if typed else query, hits, seconds=seconds)
    first = len(paths)
    if hits:
        # (Material's own search, built beside ours here, opens on ?q= and covers the page)
        page.evaluate("document.getElementById('br-facets').click()")
        page.wait_for_selector("details.pagefind-ui__filter-block", timeout=120_000)
        page.wait_for_load_state("networkidle")
        for path in dict.fromkeys(paths[first:]):
            if path.startswith(f"/{search.BUNDLE_DIR}/") and path not in paths[:first]:
                transfer.facets_gz += gz_size(site / path.lstrip("/"))
    context.close()
    for path in dict.fromkeys(paths[:first]):
        if not (path.startswith(f"/{search.BUNDLE_DIR}/")
                or path.startswith(f"/{search.ASSETS_DIR}/")):
            continue
        file = site / path.lstrip("/")
        raw, gz = file.stat().st_size, gz_size(file)
        transfer.files += 1
        transfer.loaded.append((path, gz))
        if file.suffix in (".js", ".css"):
            transfer.code_raw += raw
            transfer.code_gz += gz
        else:
            transfer.data_raw += raw
            transfer.data_gz += gz
    return transfer


def queries(project: Path, n: int) -> list[str]:
    """Typical first searches: a common word, a project's name, a diary number typed loosely."""
    cases = sorted((project / "cases").glob("*.md"))
    posts = (frontmatter.load(path) for path in cases[n // 3:])
    project_name = next(str(details["name"]) for post in posts
                        if isinstance(details := post.get("project"), dict)
                        and post.get("status") != "draft")
    diary = str(frontmatter.load(cases[n // 2])["diary_number"])
    prefix, serial, year = diary.split("/")
    return ["kompetensförsörjning", project_name, f"{prefix.lower()} {serial}/{year}"]


def bench(n: int, work: Path, seed: int, reuse: bool, typed: bool) -> SizeResult:
    project = work / f"n{n}"
    site = project / "site"
    if not (reuse and (site / "pagefind" / "pagefind-entry.json").is_file()):
        shutil.rmtree(project, ignore_errors=True)
        t0 = time.perf_counter()
        generate_register(project, n, seed=seed, drafts=max(1, n // 1000))
        print(f"  generated {n} cases in {time.perf_counter() - t0:.0f} s", flush=True)
        build_seconds = build(project)
        print(f"  built in {build_seconds:.0f} s", flush=True)
    else:
        build_seconds = float("nan")
    pagefind_seconds, pages = time_pagefind(site)
    print(f"  Pagefind indexes {pages} pages in {pagefind_seconds:.0f} s", flush=True)
    bundle = [p for p in (site / search.BUNDLE_DIR).rglob("*") if p.is_file()]
    index = [p for p in bundle if p.suffix not in (".js", ".css", ".pagefind")]
    material = site / "search" / "search_index.json"
    from playwright.sync_api import sync_playwright

    transfers = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for query in queries(project, n):
                transfers.append(first_search(browser, base, site, query))
            if typed:
                for query in queries(project, n):
                    transfers.append(first_search(browser, base, site, query, typed=True))
        finally:
            browser.close()
    return SizeResult(
        n=n, build_seconds=build_seconds, pagefind_seconds=pagefind_seconds,
        pagefind_pages=pages, bundle_bytes=sum(p.stat().st_size for p in bundle),
        bundle_files=len(bundle), index_bytes=sum(p.stat().st_size for p in index),
        material_raw=material.stat().st_size,
        material_gz=len(gzip.compress(material.read_bytes(), 6)), transfers=transfers)


def kb(value: float) -> str:
    return f"{value / KB:,.0f} KB".replace(",", " ")


def mb(value: float) -> str:
    return f"{value / 1e6:,.1f} MB"


def report(results: list[SizeResult]) -> None:
    print("\nFirst search (files the browser loaded; gzip as a web server would send them)")
    print(f"{'N':>7}  {'query':<44} {'hits':>6} {'files':>5} {'data':>9} {'code':>8} "
          f"{'total gz':>9} {'total raw':>10} {'+facets':>8}")
    for r in results:
        for t in r.transfers:
            print(f"{r.n:>7}  {t.query[:44]:<44} {t.results:>6} {t.files:>5} "
                  f"{kb(t.data_gz):>9} {kb(t.code_gz):>8} {kb(t.total_gz):>9} "
                  f"{kb(t.total_raw):>10} {kb(t.facets_gz):>8}")
    print("\nIndex size and Material's single index on the same register")
    print(f"{'N':>7}  {'Pagefind bundle':>16} {'files':>7} {'of it index':>12} "
          f"{'Pagefind time':>14}  {'Material raw':>13} {'Material gz':>12} "
          f"{'worst first search':>19}")
    for r in results:
        worst = max(t.total_gz for t in r.transfers)
        print(f"{r.n:>7}  {mb(r.bundle_bytes):>16} {r.bundle_files:>7} {mb(r.index_bytes):>12} "
              f"{r.pagefind_seconds:>12.0f} s  {mb(r.material_raw):>13} {mb(r.material_gz):>12} "
              f"{kb(worst):>19}")
    ten = [r for r in results if r.n == 10_000]
    if ten:
        worst = max(t.total_gz for t in ten[0].transfers)
        verdict = "within" if worst <= BUDGET_10K else "OVER"
        print(f"\n10 000 decisions: worst first search {kb(worst)} gz, {verdict} the "
              f"{kb(BUDGET_10K)} budget")
    if len(results) > 1:
        a, b = results[0], results[-1]
        growth = max(t.total_gz for t in b.transfers) / max(t.total_gz for t in a.transfers)
        print(f"{a.n} -> {b.n} decisions (x{b.n / a.n:.0f}): worst first search x{growth:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=OUT / "search-work",
                        help="where the registers are generated and built")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse registers already built in --work")
    parser.add_argument("--typed", action="store_true",
                        help="also type each query key by key, as a reader would")
    args = parser.parse_args()
    if not Path(CHROMIUM).is_file():
        print(f"needs Debian's chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    results = []
    for n in args.sizes:
        print(f"{n} decisions", flush=True)
        results.append(bench(n, args.work, args.seed, args.reuse, args.typed))
    report(results)
    OUT.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    payload = {"when": stamp, "python": platform.python_version(),
               "platform": platform.platform(), "cpus": os.cpu_count(),
               "results": [asdict(r) for r in results]}
    for name in (f"search-{stamp}.json", "search-latest.json"):
        (OUT / name).write_text(json.dumps(payload, indent=2, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
