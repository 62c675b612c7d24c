"""Command line: ``beslutsregister check`` validates a register without building it.

Staff run it before committing, and CI runs it before the build: same messages as the
build, exit status 1 on problems in the case files, 2 on a configuration the build would
refuse. It reads ``mkdocs.yml`` as ``mkdocs build --strict`` does, with MkDocs' own
``load_config`` (``INHERIT``, ``!ENV``, plugins as a list or a mapping, every plugin's
options validated by its Config class), and checks the folders and the embargo clock with
the functions the plugin uses, so the check and the build cannot disagree.

``beslutsregister import FILE...`` turns decisions written from the Word template
(``.docx``, or ``.txt``/``.md`` exports) into draft case files; the work is
:mod:`beslutsregister.core.importer`'s, this module only reads the configuration (the case
folder and the diary-number pattern) and prints its report. Exit status 1 when a file
was not imported, 2 on a configuration the build would refuse.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .adapter.config import RegisterConfig
from .adapter.preview_cache import config_files
from .core.folders import folder_problems
from .core.importer import import_files
from .core.loading import load_register
from .core.model import Visibility
from .core.publication import ClockError, resolve_today
from .core.sanitize import BODY_EXTENSIONS, BodyRenderer
from .core.validation import CaseRules

PLUGIN = "beslutsregister"


class ConfigProblems(Exception):
    """mkdocs.yml is a configuration the build would refuse; one message per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Settings:
    """What the check needs of the configuration, validated as the build validates it."""

    root: Path  # the folder of mkdocs.yml
    docs_dir: Path
    site_dir: Path
    options: RegisterConfig
    #: mkdocs.yml's ``markdown_extensions`` and their configuration: bodies are rendered
    #: as the build renders them.
    markdown_extensions: tuple[Any, ...] = BODY_EXTENSIONS
    mdx_configs: dict[str, Any] = field(default_factory=dict)
    custom_dir: Path | None = None  # the theme's: MkDocs publishes what it holds


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _mkdocs_log() -> Iterator[list[logging.LogRecord]]:
    """The warnings and errors MkDocs logs meanwhile, kept from the terminal.

    ``load_config`` reports each problem by logging it and then raises one ``Abort`` for
    all; nobody configured logging here, so Python would print the records itself.
    """
    logger = logging.getLogger("mkdocs")
    handler, propagate = _Collect(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def default_options() -> RegisterConfig:
    options = RegisterConfig()
    options.load_dict({})
    options.validate()
    return options


def load_settings(config_file: Path) -> Settings:
    """The configuration in ``config_file``, or :class:`ConfigProblems`.

    Without the file the plugin's defaults apply (MkDocs' own layout: ``docs/``,
    ``site/``), as they do when the file does not name the plugin.
    """
    root = config_file.resolve().parent
    if not config_file.is_file():
        return Settings(root, root / "docs", root / "site", default_options())
    with _mkdocs_log() as records:
        try:
            config = load_config(config_file=str(config_file), strict=True)
        except MkDocsException as exc:  # ConfigurationError, Abort
            messages = [f"{config_file}: {r.getMessage()}" for r in records]
            raise ConfigProblems(messages or [_unreadable(config_file, exc)]) from None
        except ValueError as exc:  # PyYAML's, for an unquoted impossible date
            raise ConfigProblems([_impossible_date(config_file, exc)]) from None
    for record in records:  # logged while loading, but not configuration problems
        print(f"{PLUGIN}: {config_file}: warning: {record.getMessage()}", file=sys.stderr)
    plugin = config.plugins.get(PLUGIN)
    options = plugin.config if plugin is not None else None
    custom = config.theme.custom_dir
    return Settings(root, Path(config.docs_dir), Path(config.site_dir),
                    options if isinstance(options, RegisterConfig) else default_options(),
                    tuple(config.markdown_extensions), dict(config.mdx_configs),
                    Path(custom) if custom else None)


def _unreadable(config_file: Path, exc: MkDocsException) -> str:
    """MkDocs' message, or the file and line of a YAML error (perhaps an INHERITed file)."""
    cause = exc.__context__
    mark = getattr(cause, "problem_mark", None)
    if isinstance(cause, yaml.YAMLError) and mark is not None:
        problem = getattr(cause, "problem", None)
        return (f"{_file_name(mark.name, config_file)}:{mark.line + 1}: not valid YAML"
                + (f" ({problem})" if problem else "") + "; expected MkDocs' configuration")
    return f"{config_file}: {exc.format_message()}"


def _file_name(name: str, config_file: Path) -> str:
    """``config_file`` as the user wrote it, another (an INHERITed) file as MkDocs read it."""
    return str(config_file) if Path(name).resolve() == config_file.resolve() else name


#: An unquoted date in YAML (``today: 2024-02-30``), which PyYAML makes a date object.
_ENV_TAG = re.compile(r"!ENV[ \t]+(\[[^\]\n]*\]|[\w]+)")
_UNQUOTED_DATE = re.compile(r"^[^#'\"\n]*?:[ \t]+(\d{4}-\d\d?-\d\d?)[ \t]*(?:#.*)?$", re.MULTILINE)


def _impossible_date(config_file: Path, exc: ValueError) -> str:
    """Where the configuration (or a file it INHERITs) writes an impossible date.

    PyYAML reads an unquoted ``2024-02-30`` as a date and fails with a bare ValueError
    ("day is out of range for month") that names no place, and MkDocs lets it through;
    so the files are searched for the unquoted date that is not a calendar date.
    """
    for path in config_files(config_file):
        text = path.read_text(encoding="utf-8", errors="replace")
        found = [(m.start(1), m[1]) for m in _UNQUOTED_DATE.finditer(text)]
        for match in _ENV_TAG.finditer(text):  # MkDocs reads a variable's value as YAML
            names = [n.strip() for n in match[1].strip("[]").split(",")]
            value = next((os.environ[n] for n in names if n in os.environ), "").strip()
            if re.fullmatch(r"\d{4}-\d\d?-\d\d?", value):
                found.append((match.start(1), value))
        for offset, written in sorted(found):
            if not _is_date(written):
                line = text.count("\n", 0, offset) + 1
                return (f"{_file_name(str(path), config_file)}:{line}: '{written}' is not a "
                        "real calendar date; expected a real date written YYYY-MM-DD")
    return f"{config_file}: cannot be read ({exc}); expected MkDocs' configuration"


def _is_date(written: str) -> bool:
    year, month, day = (int(part) for part in written.split("-"))
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _settings_or_say_why(config_file: Path) -> Settings | None:
    """The configuration, or None once every problem with it is printed."""
    try:
        return load_settings(config_file)
    except ConfigProblems as exc:
        for message in exc.messages:
            print(f"{PLUGIN}: {message}", file=sys.stderr)
        return None


def check(config_file: Path, cases: str | None, today: str | None) -> int:
    settings = _settings_or_say_why(config_file)
    if settings is None:
        return 2
    options = settings.options
    cases_dir = settings.root / (cases or options.cases_dir)
    cache = settings.root / options.build_cache_dir if options.build_cache else None
    unusable = folder_problems(settings.root, settings.docs_dir, cases_dir, settings.site_dir,
                               cache, settings.custom_dir)
    try:
        day = resolve_today(today or options.today,
                            source="--today" if today else "option 'today'")
    except ClockError as exc:
        unusable.append(str(exc))
    if unusable:
        for message in unusable:
            print(f"{PLUGIN}: {message}", file=sys.stderr)
        return 2
    rules = CaseRules(diary_pattern=options.diary_number_pattern,
                      diary_description=options.diary_number_description)
    loaded = load_register(cases_dir, settings.root, rules)
    # What the build refuses in a rendered body (images from other hosts or without a
    # text alternative): rendered with mkdocs.yml's extensions, as the build renders it.
    renderer = BodyRenderer(settings.markdown_extensions, settings.mdx_configs)
    problems = [*loaded.problems,
                *(problem for case in loaded.cases for problem in renderer.problems(case))]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''}; nothing may be published.",
              file=sys.stderr)
        return 1
    states = [case.visibility(day, options.retention_years) for case in loaded.cases]
    print(f"OK: {len(states)} case files, {states.count(Visibility.PUBLISHED)} public, "
          f"{states.count(Visibility.DRAFT)} drafts, {states.count(Visibility.EMBARGOED)} "
          f"embargoed, {states.count(Visibility.WITHDRAWN)} withdrawn "
          f"(as of {day.isoformat()}).")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="beslutsregister", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate the case files; exit 1 on problems")
    check_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                              help="mkdocs.yml whose plugin options to use (default: ./mkdocs.yml)")
    check_parser.add_argument("--cases", help="case folder, relative to mkdocs.yml")
    check_parser.add_argument("--today", help="judge embargoes as of this date (YYYY-MM-DD)")
    import_parser = commands.add_parser(
        "import", help="make draft case files from decisions (.docx, .txt, .md); exit 1 "
        "when a file was not imported")
    import_parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                               help="a decision written from the template")
    import_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                               help="mkdocs.yml whose plugin options to use "
                               "(default: ./mkdocs.yml)")
    import_parser.add_argument("--cases", help="case folder to write into, relative to "
                               "mkdocs.yml (default: the plugin's cases_dir)")
    args = parser.parse_args(argv)
    if args.command == "import":
        return import_command(args.config_file, args.cases, args.files)
    return check(args.config_file, args.cases, args.today)


def import_command(config_file: Path, cases: str | None, files: list[Path]) -> int:
    settings = _settings_or_say_why(config_file)
    if settings is None:
        return 2
    options = settings.options
    rules = CaseRules(diary_pattern=options.diary_number_pattern,
                      diary_description=options.diary_number_description)
    report = import_files(files, settings.root / (cases or options.cases_dir), settings.root,
                          rules)
    for stream, line in report.lines:
        print(line, file=sys.stdout if stream == "out" else sys.stderr)
    return report.exit_code
