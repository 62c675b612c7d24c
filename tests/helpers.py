"""Shared helpers: write small real registers in ``tmp_path`` and build them with MkDocs.

A module of its own (not ``conftest.py``), so tests import it by name and the suite runs
with ``--import-mode=importlib`` too (``pythonpath = ["tests"]`` in pyproject.toml).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SEED_CASES = REPO / "cases"

PROGRAMMES = {
    "tillvaxtverket-s3": {"name": "Tillväxtverket – S3", "funder": "Tillväxtverket"},
    "react-eu": {"name": "REACT-EU", "funder": "Europeiska unionen"},
    "egen-finansiering": {"name": "Egen finansiering", "funder": "Regionen"},
}

BASE_CASE: dict[str, Any] = {
    "diary_number": "RUN/1/2024",
    "title": "Ett beslut",
    "date": "2024-02-23",
    "unit": "Samhällsutveckling",
    "officer": {"name": "Ingrid Handläggare", "email": "ingrid@example.se", "phone": "063146527"},
    "decided_by": {"name": "Magnus Beslutsfattare", "role": "Direktör"},
    "funding": [{"programme": "react-eu", "amount_sek": 100000}],
}


def case_text(body: str = "## Beslut\n\nBeslutet fattas.\n", **fields: Any) -> str:
    """A valid case file; keyword fields override the base case (``None`` removes one)."""
    data = dict(BASE_CASE)
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return f"---\n{front}---\n\n{body}"


#: A case body with every kind of active HTML a sanitizer must remove.
HOSTILE_BODY = """\
## Ärendebeskrivning

<script>alert("kropp")</script>

<p onclick="alert('klick')">Klicka här</p>

[Länk ett](javascript:alert('länk'))

<a href="javascript:alert('a')">Länk två</a>

<img src="bild.png" onerror="alert('bild')" alt="Bild">

<iframe src="https://evil.example/"></iframe>
"""


MKDOCS_YML = """\
site_name: Testregister
site_url: https://register.example.se/
theme:
  name: material
  language: sv
plugins:
  - beslutsregister:
      today: "{today}"
nav:
  - Start: index.md
"""


@dataclass
class Site:
    """A small register project on disk."""

    root: Path

    @property
    def cases(self) -> Path:
        return self.root / "cases"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write_case(self, name: str, text: str) -> Path:
        path = self.cases / name
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, *args: str, env: dict[str, str] | None = None
              ) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
            cwd=self.root, env=env, capture_output=True, text=True, timeout=600,
        )

    def built(self) -> None:
        result = self.build()
        assert result.returncode == 0, result.stderr

    def page(self, url_path: str) -> str:
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")

    def output_text(self) -> Iterator[tuple[Path, str]]:
        """Every file of site/, decoded leniently (binary assets included; gzip files,
        like the search index's, decompressed: a leak must not hide in them)."""
        for path in sorted(self.site.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                if data[:2] == b"\x1f\x8b":
                    data = gzip.decompress(data)
                yield path, data.decode("utf-8", "replace")


def make_site(root: Path, today: str = "2024-06-01", config: str | None = None) -> Site:
    root.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Start\n\nVälkommen.\n", encoding="utf-8")
    (root / "cases").mkdir(exist_ok=True)
    (root / "cases" / "programmes.yml").write_text(
        yaml.safe_dump(PROGRAMMES, allow_unicode=True), encoding="utf-8")
    (root / "mkdocs.yml").write_text(config or MKDOCS_YML.format(today=today), encoding="utf-8")
    return Site(root)


def copy_seeds(site: Site) -> None:
    """Put the repository's real cases and ``programmes.yml`` into ``site``'s register."""
    for path in sorted(SEED_CASES.iterdir()):
        if path.suffix in (".md", ".yml"):
            (site.cases / path.name).write_bytes(path.read_bytes())


def luhn_digit(digits: str) -> int:
    """The check digit the Luhn algorithm appends to ``digits`` (written independently of
    the plugin's own implementation, so tests can compute valid identity numbers)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        doubled = int(char) * (2 if position % 2 == 0 else 1)
        total += sum(divmod(doubled, 10))
    return -total % 10


def start_preview(site: Site) -> tuple[subprocess.Popen[str], int]:
    """A real ``mkdocs serve`` of ``site`` on a free port of 127.0.0.1 (the caller stops it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site.root, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    return server, port


# -- the search's shared tables and a register with everything a search must not show --------

#: tests/search_cases.json: what a query means, one table for Python (test_search.py), the
#: browser (test_search_browser.py) and Node's tests of search-engine.js (tests/js/).
CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "search_cases.json").read_text("utf-8"))

#: (query as typed, normalised query)
NORMALISED: list[tuple[str, str]] = [
    (case["query"], case["normalised"]) for case in CASES["normalise_query"]]

#: (query, without stop words)
STOP_WORDS: list[tuple[str, str]] = [
    (case["query"], case["kept"]) for case in CASES["without_stop_words"]]

DRAFT_TITLE = "Kvantdatorernas zebrafisklabb"
EMBARGO_TITLE = "Fjärrvärmeverkets ångturbiner"
MASKED = "Zyxelbolaget"


def write_mixed_register(site: Site) -> None:
    """The seeds, a few more published cases, a draft, an embargoed case, a masked text."""
    copy_seeds(site)
    site.write_case("pub.md", case_text(
        diary_number="RUN/7/2023", title="Samverkan om besöksnäring", date="2023-05-02",
        unit="Kultur och bildning",
        body=f"## Beslut\n\nBeslutet fattas. [[maskera: Leverantören {MASKED} AB]]\n"))
    site.write_case("draft.md", case_text(
        diary_number="RUN/8/2024", title=DRAFT_TITLE, status="draft", unit="Utkastenheten",
        body="## Beslut\n\nKvantdatorerna köps in till zebrafisklabbet.\n"))
    site.write_case("embargo.md", case_text(
        diary_number="RUN/9/2024", title=EMBARGO_TITLE, publish_after="2099-01-01",
        body="## Beslut\n\nFjärrvärmeverkets ångturbiner byggs.\n"))


def repository_register(root: Path) -> Site:
    """A copy of the repository's own register (mkdocs.yml, docs/, cases/) in ``root``:
    its real configuration (theme settings, site_url, options), as it is published."""
    root.mkdir(parents=True)
    for name in ("cases", "docs"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return Site(root)

