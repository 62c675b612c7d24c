"""The layout shows the architecture: the core and the search import without MkDocs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "beslutsregister"
WITHOUT_MKDOCS = [f"beslutsregister.{p.parent.name}.{p.stem}"
                  for sub in ("core", "search") for p in sorted((PACKAGE / sub).glob("*.py"))
                  if p.stem != "__init__"]


@pytest.mark.parametrize("module", WITHOUT_MKDOCS)
def test_imports_without_mkdocs(module: str) -> None:
    """With ``sys.modules["mkdocs"] = None`` any import of MkDocs fails at once."""
    code = ("import sys\nsys.modules['mkdocs'] = None\n"
            f"import {module}\n"
            "assert not [m for m in sys.modules if m.startswith('mkdocs') and sys.modules[m]]\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def test_every_core_and_search_module_is_checked() -> None:
    assert len(WITHOUT_MKDOCS) >= 20 and "beslutsregister.core.outputguard" in WITHOUT_MKDOCS


def test_the_plugin_needs_mkdocs() -> None:
    """The adapter is where MkDocs is used (so the check above would notice an import)."""
    code = ("import sys\nsys.modules['mkdocs'] = None\n"
            "import beslutsregister.adapter.plugin\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0 and "ModuleNotFoundError" in result.stderr
