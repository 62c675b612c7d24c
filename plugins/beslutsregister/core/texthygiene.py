"""Text hygiene for identifiers and front-matter values.

Bidirectional controls can make ``RUN/138/2024`` display as something else than what is
stored (the "Trojan Source" trick), and zero-width characters make two diary numbers that
look identical differ. Neither belongs in a public register, so front matter containing
them is refused; all text is normalised to NFC so that ``å`` typed on two keyboards is the
same letter in pages, search and exports.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters refused in front matter, with the name shown in the error message.
INVISIBLE_CHARACTERS: dict[str, str] = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u061c": "ARABIC LETTER MARK",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}


#: Refused as well: control characters (YAML escapes such as "\x01" can write them),
#: which break the feed's XML and mean nothing on a page. Tab and newlines are text.
_CONTROL = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r")
#: Characters XML 1.0 cannot carry at all, so an Atom feed holding one is not XML:
#: surrogates (a YAML escape "\ud800" makes one) and Unicode's noncharacters (U+FFFE,
#: U+FDD0..U+FDEF, the last two of every plane). Refused in front matter and bodies.
_NONCHARACTERS = "\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
_INVISIBLE = re.compile(
    "[" + re.escape("".join(INVISIBLE_CHARACTERS) + _CONTROL) + _NONCHARACTERS + "]")
_UNPUBLISHABLE = re.compile("[" + re.escape(_CONTROL) + _NONCHARACTERS + "]")


def _describe(char: str) -> str:
    code = ord(char)
    if code in range(0xD800, 0xE000):
        name = "SURROGATE"
    elif code in range(0xFDD0, 0xFDF0) or code & 0xFFFE == 0xFFFE:
        name = "NONCHARACTER"
    else:
        name = INVISIBLE_CHARACTERS.get(char, "CONTROL CHARACTER")
    return f"U+{code:04X} {name}"


def find_invisible(text: str) -> str | None:
    """Return a description of the first refused character in ``text``, or ``None``."""
    match = _INVISIBLE.search(text)
    return None if match is None else _describe(match[0])


def find_unpublishable(text: str) -> tuple[int, str] | None:
    """(offset, description) of the first character of a body that no page or feed can
    carry (controls other than tab and line breaks, surrogates, noncharacters), or None."""
    match = _UNPUBLISHABLE.search(text)
    return None if match is None else (match.start(), _describe(match[0]))


def normalise(text: str) -> str:
    """NFC-normalise ``text`` (composed ``å``, not ``a`` + combining ring)."""
    return unicodedata.normalize("NFC", text)
