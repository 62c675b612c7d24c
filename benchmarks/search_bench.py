"""Search benchmark: what a first search downloads, and the index size, against Material.

For every size N this generates one register (``benchmarks/generate.py``), builds it
once with the register's search *and* Material's search plugin, so both indexes come
from the same pages, then:

* opens ``sok/?q=...`` in headless Chromium (Debian's, /usr/bin/chromium) for a few
  typical queries (a common word, a generated case's project name, a generated case's
  diary number typed loosely; with ``--typed`` also each of them typed key by key into
  the search field, which searches live with the last word as a prefix), each in a fresh
  browser context (empty cache), waits until the first results are shown and lists every
  file the page loaded;
* classifies them: **index data** is everything under ``/sok/data/`` (the manifest
  ``index.json``, dictionary chunks ``c/``, postings ``p/``, result fragments ``d/``;
  the ``.bin`` files are gzip already and count as stored, the manifest as gzipped);
  **code** is the register's ``search*.js`` and ``search.css`` (gzipped). Both together
  are the search's cost and what the budget is about. Everything else (the ``sok/``
  HTML, Material's CSS and JS) is the **page**, shown beside it but not counted;
  Material's search worker is loaded here only because the benchmark adds Material's
  search plugin, so it is left out of the page;
* then asks for facets (the ``#br-facets`` button) and records what that adds
  (``facets.bin``);
* reports the index's size and file count (``site/sok/data``) and Material's
  ``search/search_index.json`` (raw and gzipped): Material downloads that whole file
  before its first result.

The budget (issue: "a first search on 10 000 cases transfers at most 300 KB, growing no
faster than logarithmically") is checked at 10 000, and the growth of each query kind's
first search from one size to the next is printed beside log(b)/log(a).

Prints one table and writes the figures as JSON into ``benchmarks/out/``. Usage::

    .venv/bin/python benchmarks/search_bench.py --sizes 1000 10000 50000 [--typed]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import itertools
import json
import math
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

from beslutsregister.search import page as search  # noqa: E402
from generate import generate_register  # noqa: E402

OUT = HERE / "out"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
KB = 1000
BUDGET_10K = 300 * KB  # the budget for a first search on 10 000 decisions
PAGE_SIZE = 10  # results shown at first (assets/search.js: PAGE_SIZE)

DATA_PREFIX = f"/{search.INDEX_DIR}/"
CODE = re.compile(rf"^/{re.escape(search.ASSETS_DIR)}/search[^/]*\.(js|css)$")
#: Only here because the benchmark builds with Material's search plugin too.
MATERIAL_SEARCH = re.compile(r"^/(search/|assets/javascripts/workers/)")
#: Sent gzipped by a web server; anything else (fonts, images, .bin) counts as stored.
TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}
STATUS = re.compile(r"gav (inga|[\d\s]+) träff")  # "1 435": a no-break space


@dataclass
class Transfer:
    kind: str  # word, words, project, diary; ", typed" when typed key by key
    query: str
    results: int
    files: int = 0  # index data and code files
    data_raw: int = 0  # index data as stored
    data_gz: int = 0  # index data as sent (.bin as stored, index.json gzipped)
    code_raw: int = 0
    code_gz: int = 0
    page_gz: int = 0  # the rest of the page (HTML, Material's CSS and JS), not counted
    page_files: int = 0
    seconds: float = 0.0
    facets_gz: int = 0  # loaded afterwards, when the reader asks for facets
    loaded: list[tuple[str, int]] = field(default_factory=list)  # index data and code
    page_loaded: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total_gz(self) -> int:
        return self.data_gz + self.code_gz


@dataclass
class SizeResult:
    n: int
    build_seconds: float
    index_bytes: int  # site/sok/data, as stored
    index_files: int
    index_parts: dict[str, tuple[int, int]]  # c, p, d, other: (bytes, files)
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


def site_file(site: Path, path: str) -> Path:
    file = site / path.lstrip("/")
    return file / "index.html" if file.is_dir() else file


def gz_size(file: Path) -> int:
    """Bytes a web server with gzip would send: text gzipped, the rest as stored."""
    data = file.read_bytes()
    return len(gzip.compress(data, 6)) if file.suffix in TEXT else len(data)


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


#: True once the results of ``term`` (not of a half-typed one) are shown.
RESULTS_SHOWN = """([term, pageSize]) => {
  const status = document.getElementById("br-status");
  if (!status || !status.textContent.includes(`”${term}”`)) return false;
  const found = status.textContent.match(/gav (inga|[\\d\\s]+) träff/);
  if (!found) return false;
  const count = found[1] === "inga" ? 0 : Number(found[1].replace(/\\s/g, ""));
  return document.querySelectorAll(".br-result").length === Math.min(count, pageSize);
}"""


def first_search(browser: Any, base: str, site: Path, kind: str, query: str,
                 typed: bool = False) -> Transfer:
    """Open the search page with ``query`` in a fresh context; list what the search loads.

    ``typed``: open the empty search page and type the query at 150 ms per key, as on a
    phone (the page searches, with the last word as a prefix, when typing pauses).
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
        page.wait_for_selector("#br-q", state="visible")
        page.type("#br-q", query, delay=150)
    else:
        page.goto(f"{base}sok/?q={quote(query)}")
    page.wait_for_function(RESULTS_SHOWN, arg=[query, PAGE_SIZE], timeout=120_000)
    page.wait_for_load_state("networkidle")
    seconds = time.perf_counter() - start
    found = STATUS.search(page.inner_text("#br-status"))
    hits = 0 if not found or found[1] == "inga" else int(re.sub(r"\s", "", found[1]))
    transfer = Transfer(f"{kind}, typed" if typed else kind, query, hits, seconds=seconds)
    count = len(paths)
    first = list(dict.fromkeys(paths))
    if hits:
        # (Material's own search, built beside ours here, opens on ?q= and covers the page)
        page.evaluate("document.getElementById('br-facets').click()")
        page.wait_for_selector("fieldset.br-facet", state="attached", timeout=120_000)
        page.wait_for_load_state("networkidle")
        for path in dict.fromkeys(paths[count:]):
            if path.startswith(DATA_PREFIX) and path not in first:
                transfer.facets_gz += data_size(site_file(site, path))
    context.close()
    for path in first:
        file = site_file(site, path)
        if not file.is_file() or MATERIAL_SEARCH.match(path):
            continue
        if path.startswith(DATA_PREFIX):
            raw, gz = file.stat().st_size, data_size(file)
            transfer.data_raw += raw
            transfer.data_gz += gz
        elif CODE.match(path):
            raw, gz = file.stat().st_size, gz_size(file)
            transfer.code_raw += raw
            transfer.code_gz += gz
        else:
            gz = gz_size(file)
            transfer.page_gz += gz
            transfer.page_files += 1
            transfer.page_loaded.append((path, gz))
            continue
        transfer.files += 1
        transfer.loaded.append((path, gz))
    return transfer


def data_size(file: Path) -> int:
    """Index data as sent: the .bin files are gzip already, the manifest is gzipped."""
    return file.stat().st_size if file.suffix == ".bin" else gz_size(file)


def queries(project: Path, n: int) -> list[tuple[str, str]]:
    """Typical first searches: a common word, two common words, a project's name (of a case
    a third into the register, so it differs by size), a diary number typed loosely."""
    cases = sorted((project / "cases").glob("*.md"))
    posts = (frontmatter.load(path) for path in cases[n // 3:])
    project_name = next(str(details["name"]) for post in posts
                        if isinstance(details := post.get("project"), dict)
                        and post.get("status") != "draft")
    diary = str(frontmatter.load(cases[n // 2])["diary_number"])
    prefix, serial, year = diary.split("/")
    # "words": the same two common words at every size, so growth compares like with like
    return [("word", "kompetensförsörjning"), ("words", "digital infrastruktur"),
            ("project", project_name), ("diary", f"{prefix.lower()} {serial}/{year}")]


def index_size(data: Path) -> tuple[int, int, dict[str, tuple[int, int]]]:
    parts: dict[str, list[int]] = {}
    for file in data.rglob("*"):
        if file.is_file():
            part = file.relative_to(data).parts
            key = part[0] if len(part) > 1 else file.name
            sizes = parts.setdefault(key, [0, 0])
            sizes[0] += file.stat().st_size
            sizes[1] += 1
    total = sum(s[0] for s in parts.values()), sum(s[1] for s in parts.values())
    return total[0], total[1], {k: (v[0], v[1]) for k, v in sorted(parts.items())}


def bench(n: int, work: Path, seed: int, reuse: bool, typed: bool) -> SizeResult:
    project = work / f"n{n}"
    site = project / "site"
    data = site / search.INDEX_DIR
    if not (reuse and (data / "index.json").is_file()
            and (site / "search" / "search_index.json").is_file()):
        shutil.rmtree(project, ignore_errors=True)
        t0 = time.perf_counter()
        generate_register(project, n, seed=seed, drafts=max(1, n // 1000))
        print(f"  generated {n} cases in {time.perf_counter() - t0:.0f} s", flush=True)
        build_seconds = build(project)
        print(f"  built in {build_seconds:.0f} s", flush=True)
    else:
        build_seconds = float("nan")
    index_bytes, index_files, parts = index_size(data)
    material = site / "search" / "search_index.json"
    from playwright.sync_api import sync_playwright

    transfers = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for kind, query in queries(project, n):
                transfers.append(first_search(browser, base, site, kind, query))
            if typed:
                for kind, query in queries(project, n):
                    transfers.append(first_search(browser, base, site, kind, query, typed=True))
        finally:
            browser.close()
    return SizeResult(
        n=n, build_seconds=build_seconds, index_bytes=index_bytes, index_files=index_files,
        index_parts=parts, material_raw=material.stat().st_size,
        material_gz=len(gzip.compress(material.read_bytes(), 6)), transfers=transfers)


def kb(value: float) -> str:
    return f"{value / KB:,.0f} KB".replace(",", " ")


def kb1(value: float) -> str:
    return f"{value / KB:,.1f}".replace(",", " ")


def mb(value: float) -> str:
    return f"{value / 1e6:,.1f} MB".replace(",", " ")


def report(results: list[SizeResult]) -> None:
    print("\nFirst search: index data and code the browser loaded, KB as sent with gzip "
          f"(budget {kb(BUDGET_10K)} at 10 000); page = the rest of sok/, not counted")
    print(f"{'N':>7}  {'query kind':<16} {'query':<30} {'results':>7} {'data KB':>8} "
          f"{'code KB':>8} {'total KB':>9} {'of budget':>9} {'files':>5} {'page KB':>8} "
          f"{'+facets KB':>10}")
    for r in results:
        for t in r.transfers:
            print(f"{r.n:>7}  {t.kind:<16} {t.query[:30]:<30} {t.results:>7} "
                  f"{kb1(t.data_gz):>8} {kb1(t.code_gz):>8} {kb1(t.total_gz):>9} "
                  f"{t.total_gz / BUDGET_10K:>9.0%} {t.files:>5} {kb1(t.page_gz):>8} "
                  f"{kb1(t.facets_gz):>10}")
    print("\nIndex size (site/sok/data, as stored) and Material's single index on the same "
          "register")
    print(f"{'N':>7}  {'index':>10} {'files':>7}  {'Material raw':>13} {'Material gz':>12} "
          f"{'worst first search':>19}")
    for r in results:
        worst = max(t.total_gz for t in r.transfers)
        print(f"{r.n:>7}  {mb(r.index_bytes):>10} {r.index_files:>7}  {mb(r.material_raw):>13} "
              f"{mb(r.material_gz):>12} {kb(worst):>19}")
    ten = [r for r in results if r.n == 10_000]
    if ten:
        worst_t = max(ten[0].transfers, key=lambda t: t.total_gz)
        verdict = "within" if worst_t.total_gz <= BUDGET_10K else "OVER"
        print(f"\n10 000 decisions: worst first search {kb(worst_t.total_gz)} "
              f"({worst_t.kind}), {verdict} the {kb(BUDGET_10K)} budget")
    ordered = sorted(results, key=lambda r: r.n)
    for a, b in itertools.pairwise(ordered):
        before = {t.kind: t.total_gz for t in a.transfers}
        ratios = [f"{t.kind} x{t.total_gz / before[t.kind]:.2f}" for t in b.transfers
                  if before.get(t.kind)]
        print(f"{a.n} -> {b.n} decisions: first search grows {', '.join(ratios)}; "
              f"log({b.n})/log({a.n}) = {math.log(b.n) / math.log(a.n):.2f}")


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
               "budget_10k": BUDGET_10K, "results": [asdict(r) for r in results]}
    for name in (f"search-{stamp}.json", "search-latest.json"):
        (OUT / name).write_text(json.dumps(payload, indent=2, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
