"""Shared helpers: write small real registers in ``tmp_path`` and build them with MkDocs.

A module of its own (not ``conftest.py``), so tests import it by name and the suite runs
with ``--import-mode=importlib`` too (``pythonpath = ["tests"]`` in pyproject.toml).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


def mkdocs_yml(options: str = "", today: str = "2024-06-01", nav: str = "") -> str:
    """:data:`MKDOCS_YML` with more plugin ``options`` (YAML lines, unindented) and more
    ``nav`` entries (``- Title: page.md`` lines)."""
    text = MKDOCS_YML.format(today=today)
    if options:
        indented = "".join(f"      {line}\n" for line in options.strip("\n").splitlines())
        text = text.replace(f'      today: "{today}"\n', f'      today: "{today}"\n{indented}')
    return text + "".join(f"  {line}\n" for line in nav.strip("\n").splitlines())


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



# -- a register with every page type, served over HTTP (accessibility and HTML tests) --------

#: Units, programmes and themes of :func:`accessible_register`'s generated decisions.
_UNITS = ("Samhällsutveckling", "Kultur och bildning", "Kollektivtrafik")
_PROGRAMMES = ("tillvaxtverket-s3", "react-eu", "egen-finansiering", "tillvaxtverket-1-1")
_THEMES = ("besöksnäring", "kompetensförsörjning", "cirkulär ekonomi", "digital infrastruktur")
#: A decision without funding, and one with a wide table in its text.
NO_FUNDING_CASE = "beslut/run-600-2023/"
BODY_TABLE_CASE = "beslut/run-601-2024/"
_BODY_TABLE = """\
## Ärendebeskrivning

Projektets aktiviteter och kostnader per år:

| Aktivitet | Ansvarig organisation | Kostnad 2024 (kronor) | Kostnad 2025 (kronor) | Kommentar |
| --- | --- | --- | --- | --- |
| Förstudie om samverkan | Region Jämtland Härjedalen | 120 000 | 0 | Befintlig personal |
| Workshoppar med kommunerna | Mittuniversitetet | 80 000 | 60 000 | Fyra tillfällen per år |

## Beslut

Beslutet fattas.
"""


def accessible_register(root: Path) -> Site:
    """The repository's own register (its docs, seeds and settings), with 24 generated
    decisions on 'samverkan' (more than a page of search results), one without funding
    and one with a table in its text: every page type the reader can meet."""
    site = repository_register(root)
    for i in range(24):
        year = 2021 + i % 4
        theme = _THEMES[i % len(_THEMES)]
        site.write_case(f"gen-{i}.md", case_text(
            body=(f"## Ärendebeskrivning\n\nRegionen deltar i samverkan om {theme}.\n\n"
                  "## Beslut\n\nBeslutet fattas.\n"),
            diary_number=f"RUN/{500 + i}/{year}", title=f"Samverkan om {theme} ({i})",
            date=f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}", unit=_UNITS[i % 3],
            funding=[{"programme": _PROGRAMMES[i % 4], "amount_sek": 10_000 + 1_000 * i}]))
    site.write_case("utan.md", case_text(
        diary_number="RUN/600/2023", title="Samverkan utan finansiering", date="2023-05-02",
        funding=None, body="## Beslut\n\nRegionen deltar i samverkan utan egen kostnad.\n"))
    site.write_case("tabell.md", case_text(
        diary_number="RUN/601/2024", title="Samverkan med en tabell", date="2024-04-02",
        unit="Kultur och bildning", body=_BODY_TABLE,
        officer={"name": "Karl-Johan Handläggarsson",
                 "email": "karl-johan.handlaggarsson-westerberg@regionjh.se",
                 "phone": "063-14 65 29"}))
    site.write_case("noter.md", case_text(
        diary_number="RUN/602/2024", title="Samverkan som rättats och upphävts",
        date="2024-01-10", corrections=[
            {"date": "2024-02-01", "kind": "rättelse", "decision": "RUN/601/2024",
             "text": "Beloppet rättat från 1 000 kronor till 10 000 kronor."}],
        revoked={"date": "2024-03-01", "by": "RUN/601/2024", "text": "Samverkan upphör."}))
    site.write_case("borttagen.md", case_text(
        diary_number="RUN/603/2024", title="Borttagen samverkan", date="2024-01-11",
        status="withdrawn", withdrawn_on="2024-02-02"))
    return site


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """A static host: files of the site, its ``404.html`` for any other address."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1; yields its address (ending '/')."""
    handler = functools.partial(_SiteHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
