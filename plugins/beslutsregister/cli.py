"""Command line: ``beslutsregister check`` validates a register without building it.

Staff run it before committing, and CI runs it before the build: same messages as the
build, exit status 1 on any problem. Options default to those of the ``beslutsregister``
plugin in ``mkdocs.yml``, so the check and the build agree on what is valid.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .loading import load_register
from .model import Visibility
from .publication import ClockError, resolve_today
from .validation import DEFAULT_DIARY_DESCRIPTION, DEFAULT_DIARY_PATTERN, CaseRules


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!!python/name:`` and ``!ENV`` tags we don't need."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class OptionsError(ValueError):
    """mkdocs.yml cannot be read for the plugin's options."""


def plugin_options(config_file: Path) -> dict[str, Any]:
    """The ``beslutsregister`` plugin's options in ``mkdocs.yml`` (empty if absent)."""
    if not config_file.is_file():
        return {}
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise OptionsError(f"{config_file}{line}: not valid YAML; expected MkDocs' "
                           "configuration") from None
    plugins = config.get("plugins") if isinstance(config, dict) else None
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and "beslutsregister" in entry:
            options = entry["beslutsregister"] or {}
            if not isinstance(options, dict):
                raise OptionsError(f"{config_file}: plugin 'beslutsregister': expected its "
                                   "options indented under it")
            for key in ("cases_dir", "diary_number_pattern", "diary_number_description"):
                if key in options and not isinstance(options[key], str):
                    raise OptionsError(f"{config_file}: plugin 'beslutsregister' option "
                                       f"'{key}': expected text")
            return dict(options)
    return {}


def check(config_file: Path, cases: str | None, today: str | None) -> int:
    try:
        options = plugin_options(config_file)
    except OptionsError as exc:
        print(f"beslutsregister: {exc}", file=sys.stderr)
        return 2
    root = config_file.resolve().parent
    cases_dir = root / (cases or options.get("cases_dir", "cases"))
    rules = CaseRules(
        diary_pattern=options.get("diary_number_pattern", DEFAULT_DIARY_PATTERN),
        diary_description=options.get("diary_number_description", DEFAULT_DIARY_DESCRIPTION),
    )
    try:
        re.compile(rules.diary_pattern)
    except re.error as exc:
        print(f"beslutsregister: option 'diary_number_pattern': '{rules.diary_pattern}' is not "
              f"a regular expression ({exc})", file=sys.stderr)
        return 2
    fixed = today or options.get("today")  # an unquoted date in mkdocs.yml reads as a date
    try:
        day = resolve_today(str(fixed) if fixed else None)
    except ClockError as exc:
        print(f"beslutsregister: --today: {exc}", file=sys.stderr)
        return 2
    loaded = load_register(cases_dir, root, rules)
    for problem in loaded.problems:
        print(problem, file=sys.stderr)
    if loaded.problems:
        count = len(loaded.problems)
        print(f"{count} problem{'s' if count != 1 else ''}; nothing may be published.",
              file=sys.stderr)
        return 1
    states = [case.visibility(day) for case in loaded.cases]
    print(f"OK: {len(states)} case files, {states.count(Visibility.PUBLISHED)} public, "
          f"{states.count(Visibility.DRAFT)} drafts, {states.count(Visibility.EMBARGOED)} "
          f"embargoed (as of {day.isoformat()}).")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="beslutsregister", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate the case files; exit 1 on problems")
    check_parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                              help="mkdocs.yml whose plugin options to use (default: ./mkdocs.yml)")
    check_parser.add_argument("--cases", help="case folder, relative to mkdocs.yml")
    check_parser.add_argument("--today", help="judge embargoes as of this date (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    return check(args.config_file, args.cases, args.today)
