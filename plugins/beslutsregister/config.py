"""The plugin's options in ``mkdocs.yml``, validated by MkDocs' own config machinery."""

from __future__ import annotations

import re
from datetime import date

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config, ValidationError

from .validation import DEFAULT_DIARY_DESCRIPTION, DEFAULT_DIARY_PATTERN


class _Pattern(opt.Type[str]):
    """A regular expression, compiled once here so a typo fails with a message, not a crash."""

    def run_validation(self, value: object) -> str:
        pattern = super().run_validation(value)
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValidationError(f"'{pattern}' is not a regular expression ({exc}); "
                                  "expected e.g. [A-Z]+/[0-9]+/[0-9]{4}") from None
        return pattern


class _DateText(opt.Type[str]):
    """``YYYY-MM-DD`` as text; an unquoted YAML date (``today: 2024-06-01``) is accepted."""

    def run_validation(self, value: object) -> str:
        if isinstance(value, date):
            value = value.isoformat()
        return super().run_validation(value)


class RegisterConfig(Config):
    """Options of the ``beslutsregister`` plugin."""

    cases_dir = opt.Type(str, default="cases")
    """Folder of case files and ``programmes.yml``, relative to ``mkdocs.yml``."""

    diary_number_pattern = _Pattern(str, default=DEFAULT_DIARY_PATTERN)
    """Regular expression a whole diary number must match (authorities use other forms)."""

    diary_number_description = opt.Type(str, default=DEFAULT_DIARY_DESCRIPTION)
    """How the pattern is explained to staff in error messages."""

    today = opt.Optional(_DateText(str))
    """Fix the date embargoes are judged against (``YYYY-MM-DD``), for tests and audits.

    Defaults to the environment variable ``BESLUTSREGISTER_TODAY``, else today's date in
    Sweden."""

    feed_size = opt.Type(int, default=50)
    """How many of the latest decisions the Atom feed carries."""
