"""``beslutsregister check`` refuses what the build refuses in a rendered body."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import MKDOCS_YML as BASE_YML
from helpers import case_text, make_site

#: A register whose mkdocs.yml names the Markdown extensions the check must render with.
MKDOCS_YML = BASE_YML.format(today="2024-06-01") + """\
markdown_extensions:
  - toc:
      permalink: true
  - tables
  - attr_list
  - admonition
"""


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "beslutsregister", "check", "-f", "mkdocs.yml",
         "--today", "2024-06-01"],
        cwd=root, capture_output=True, text=True, timeout=120)


def test_check_reports_images_without_alt_at_their_lines(tmp_path: Path) -> None:
    site = make_site(tmp_path / "check", config=MKDOCS_YML)
    site.write_case("a.md", case_text(body=(
        "## Beslut\n\n![](bild.png)\n\n![Karta](karta.png)\n\n    ![](kod.png)\n\n"
        "<img src=\"logga.png\" alt=\"\">\n\n![][ref]\n\n"
        "![Bild](https://karta.example.com/x.png)\n\n[ref]: ref.png\n")))
    site.write_case("b.md", case_text(diary_number="RUN/2/2024",
                                      body="## Beslut\n\n![Beslutet](bild.png)\n"))
    result = run_check(site.root)
    assert result.returncode == 1
    expected = "".join(
        f"cases/a.md:{line}: shows an image without a text alternative ('{src}'); "
        f"expected ![what the image shows]({src}), or alt=\"...\"\n"
        for line, src in [(20, "bild.png"), (26, "logga.png"), (28, "ref.png")])
    remote = ("cases/a.md:30: shows an image from another host "
              "('https://karta.example.com/x.png'), which would send every reader's "
              "address there; expected an image published with the site, or a link instead\n")
    assert result.stderr == expected + remote + "4 problems; nothing may be published.\n"


def test_check_passes_images_with_alt(tmp_path: Path) -> None:
    site = make_site(tmp_path / "ok", config=MKDOCS_YML)
    site.write_case("a.md", case_text(body="## Beslut\n\n![Karta över området](karta.png)\n\n"
                                      "| A | B |\n|---|---|\n| 1 | 2 |\n"))
    result = run_check(site.root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 1 case files")
