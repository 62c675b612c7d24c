"""Time from saving one case file to the refreshed page in ``mkdocs serve``.

Generates a register of N cases (default 10 000), starts ``mkdocs serve`` on it, waits
for the first full build, then edits one case file's title several times and measures,
for each save, the seconds until the served case page shows the new title. Prints the
first build's time and each save-to-refresh time beside the 2-second goal.

    python benchmarks/preview_bench.py [--cases 10000] [--edits 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_register

GOAL_SECONDS = 2.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until the page at ``url`` contains ``text`` (polling every 20 ms)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        page = fetch(url)
        if page is not None and text in page:
            return time.monotonic() - start
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not show {text!r} within {timeout} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="preview-bench-"))
    if not (root / "cases").is_dir():
        print(f"generating {args.cases} cases in {root} ...", flush=True)
        generate_register(root, args.cases, seed=7)
    case_file = sorted((root / "cases").glob("*.md"))[args.cases // 2]
    text = case_file.read_text(encoding="utf-8")
    diary = re.search(r"^diary_number: (.+)$", text, re.M)
    assert diary is not None
    slug = re.sub(r"[^a-z0-9]+", "-", diary[1].strip().strip("'\"").lower()).strip("-")

    port = free_port()
    url = f"http://127.0.0.1:{port}/beslut/{slug}/"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        start = time.monotonic()
        wait_for(url, "Diarienummer", timeout=900)
        first = time.monotonic() - start
        print(f"cases: {args.cases}; first build and serve: {first:.1f} s")
        results = []
        for edit in range(1, args.edits + 1):
            marker = f"Ändrad rubrik {edit} {time.time_ns()}"
            new_text = re.sub(r"^title: .*$", f"title: '{marker}'", text, count=1, flags=re.M)
            time.sleep(1.0)  # let the server settle after the previous rebuild
            saved = time.monotonic()
            case_file.write_text(new_text, encoding="utf-8")
            wait_for(url, marker, timeout=300)
            seconds = time.monotonic() - saved
            results.append(seconds)
            verdict = "OK" if seconds <= GOAL_SECONDS else "over goal"
            print(f"edit {edit}: save -> refreshed page {seconds:.2f} s "
                  f"(goal <= {GOAL_SECONDS:.0f} s: {verdict})", flush=True)
        print(f"median save -> refresh: {sorted(results)[len(results) // 2]:.2f} s")
    finally:
        case_file.write_text(text, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
