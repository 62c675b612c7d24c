"""Fixtures; the helpers they use are in ``helpers.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Site, make_site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """An empty register project (programmes, start page, fixed clock 2024-06-01)."""
    return make_site(tmp_path / "project")
