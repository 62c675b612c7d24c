"""Where a decision and a unit are published: the URL rules, from their names alone.

A case's address comes from its diary number and nothing else, so it never changes when
another field does; a unit's from its name. Validation refuses diary numbers and units
whose addresses would be empty or coincide; pages and the plugin publish under them.
"""

from __future__ import annotations

import re
import unicodedata


def slugify(diary_number: str) -> str:
    """The URL slug of a diary number: ``RUN/138/2024`` -> ``run-138-2024``.

    Derived from the diary number alone, so a case's public address never changes when
    any other field does.
    """
    ascii_text = unicodedata.normalize("NFKD", diary_number).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def unit_slug(unit: str) -> str:
    """The address slug of a unit (``Näringsliv`` -> ``naringsliv``)."""
    return slugify(unit) or "enhet"
