"""The plugin's options in ``mkdocs.yml``, validated by MkDocs' own config machinery."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config

from .validation import DEFAULT_DIARY_DESCRIPTION, DEFAULT_DIARY_PATTERN


class RegisterConfig(Config):
    """Options of the ``beslutsregister`` plugin."""

    cases_dir = opt.Type(str, default="cases")
    """Folder of case files and ``programmes.yml``, relative to ``mkdocs.yml``."""

    diary_number_pattern = opt.Type(str, default=DEFAULT_DIARY_PATTERN)
    """Regular expression a whole diary number must match (authorities use other forms)."""

    diary_number_description = opt.Type(str, default=DEFAULT_DIARY_DESCRIPTION)
    """How the pattern is explained to staff in error messages."""

    today = opt.Optional(opt.Type(str))
    """Fix the date embargoes are judged against (``YYYY-MM-DD``), for tests and audits.

    Defaults to the environment variable ``BESLUTSREGISTER_TODAY``, else today's date in
    Sweden."""

    feed_size = opt.Type(int, default=50)
    """How many of the latest decisions the Atom feed carries."""
