"""The build scales linearly: a case page does not grow with the size of the register.

A structural check, not a timing: two generated registers (benchmarks/generate.py), 200
and 800 cases, are built with MkDocs, and the average output of a case page must stay the
same. Anything that puts per-register content into every page (a navigation listing
cases, a table of all decisions, an inlined index) would make the build quadratic in
output and fails here. Timings are measured by ``benchmarks/build_bench.py``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
SMALL, LARGE = 200, 800
CASES_DIR = "beslut"  # where the register publishes case pages


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "benchmark_generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(root: Path, n: int) -> tuple[int, int]:
    """Generate and build a register of ``n`` cases; (case pages, their total bytes)."""
    _generator().generate_register(root, n, seed=7)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=root, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    pages = list((root / "site" / CASES_DIR).glob("*/index.html"))
    return len(pages), sum(page.stat().st_size for page in pages)


def test_case_pages_do_not_grow_with_the_register(tmp_path: Path) -> None:
    small_pages, small_bytes = _build(tmp_path / "small", SMALL)
    large_pages, large_bytes = _build(tmp_path / "large", LARGE)
    assert (small_pages, large_pages) == (SMALL, LARGE)
    small_average = small_bytes / small_pages
    large_average = large_bytes / large_pages
    assert large_average <= 1.05 * small_average, (
        f"an average case page is {large_average:.0f} bytes with {LARGE} cases but "
        f"{small_average:.0f} bytes with {SMALL}: something in every page grows with "
        "the register")


def test_generated_register_is_valid_and_deterministic(tmp_path: Path) -> None:
    generate = _generator().generate_register
    generate(tmp_path / "a", 30, seed=3, drafts=2)
    generate(tmp_path / "b", 30, seed=3, drafts=2)
    files = sorted(p.name for p in (tmp_path / "a" / "cases").iterdir())
    assert len(files) == 31  # 30 cases and programmes.yml
    for name in files:
        assert (tmp_path / "a" / "cases" / name).read_bytes() == \
            (tmp_path / "b" / "cases" / name).read_bytes()
    from beslutsregister.core.loading import load_register

    loaded = load_register(tmp_path / "a" / "cases", tmp_path / "a")
    assert loaded.problems == []
    assert len(loaded.cases) == 30
    assert sum(case.status == "draft" for case in loaded.cases) == 2
