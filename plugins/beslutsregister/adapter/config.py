"""The plugin's options in ``mkdocs.yml``, validated by MkDocs' own config machinery.

Every option is checked here, once, by its option type: ``mkdocs build`` and
``beslutsregister check`` both load ``mkdocs.yml`` with MkDocs' ``load_config``, which
validates the options through this class, so they refuse the same values with the same
messages. Checks that need more than the option itself (folders, the environment's
clock) are in :mod:`~beslutsregister.folders` and :mod:`~beslutsregister.publication`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config, ValidationError

from ..core.publication import ClockError, parse_day
from ..core.validation import DEFAULT_DIARY_DESCRIPTION, DEFAULT_DIARY_PATTERN


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


class _Day(opt.Type[str]):
    """A real calendar date written ``YYYY-MM-DD``, kept as that text.

    An unquoted YAML date (``today: 2024-06-01``) is accepted; a quoted impossible one
    (``today: "2024-02-30"``) is refused here. (An unquoted impossible date never gets
    here: PyYAML fails while reading mkdocs.yml.)
    """

    def run_validation(self, value: object) -> str:
        if isinstance(value, datetime):  # YAML's 2024-06-01 10:00: a time is not a day
            value = str(value)
        elif isinstance(value, date):
            value = value.isoformat()
        text = super().run_validation(value)
        try:
            parse_day(text)
        except ClockError as exc:
            raise ValidationError(str(exc)) from None
        return text


class _Count(opt.Type[int]):
    """A whole number, at least ``minimum``, written without quotes."""

    def __init__(self, default: int, minimum: int = 1) -> None:
        super().__init__(int, default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        expected = f"expected a whole number without quotes, {self.minimum} or more"
        if isinstance(value, str):
            raise ValidationError(f"'{value}' is text, not a whole number; {expected}, "
                                  f"e.g. {self.default}")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{value!r} is not a whole number; {expected}, "
                                  f"e.g. {self.default}")
        if value < self.minimum:
            raise ValidationError(f"{value} is too small; expected {self.minimum} or more")
        return value


class RegisterConfig(Config):
    """Options of the ``beslutsregister`` plugin."""

    cases_dir = opt.Type(str, default="cases")
    """Folder of case files and ``programmes.yml``, relative to ``mkdocs.yml``."""

    diary_number_pattern = _Pattern(str, default=DEFAULT_DIARY_PATTERN)
    """Regular expression a whole diary number must match (authorities use other forms)."""

    diary_number_description = opt.Type(str, default=DEFAULT_DIARY_DESCRIPTION)
    """How the pattern is explained to staff in error messages."""

    today = opt.Optional(_Day(str))
    """Fix the date embargoes are judged against (``YYYY-MM-DD``), for tests and audits.

    Defaults to the environment variable ``BESLUTSREGISTER_TODAY``, else today's date in
    Sweden."""

    feed_size = _Count(default=50)
    """How many of the latest decisions the Atom feed carries."""
