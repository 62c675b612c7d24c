"""What a query means: the rules the index and the browser must agree on.

* :func:`diary_key` and :data:`DIARY_PATTERN`: a diary number however it is typed
  (``run 138/2024``, ``RUN/0138/2024``) reduces to one key; the index stores each case
  under its own keys and every page under the keys it cites, and a query's diary numbers
  become keys (:func:`normalise_query`), so the case comes first and its citations after.
* :data:`STOP_WORDS`: words dropped from a query that has others (they narrow nothing).

``assets/search-engine.js`` mirrors :func:`normalise_query` and :func:`without_stop_words`
for the browser; the tests run one table of examples through both.
"""

from __future__ import annotations

import re

# -- diary numbers ------------------------------------------------------------------------

_GROUPS = re.compile(r"[^\W\d_]+|[0-9]+")
#: A diary number in a query or a text: letters (groups joined by hyphens: ``RUN-A``),
#: then two or more groups of digits, separated by spaces, slashes, dashes, dots, colons
#: or underscores (``RUN 138 2024``); or digits
#: alone joined by anything but a plain space (``138/2024``, not an amount ``460 000``).
#: Optionally led by "dnr" or "diarienummer", which is dropped. Dates (``2021-04-01``)
#: match too, and are found as written the same way.
DIARY_PATTERN = re.compile(
    r"(?<![^\W_])(?:(?:dnr|diarienr|diarienummer)[.:]?\s*)?(?P<number>"
    r"[^\W\d_]+(?:-[^\W\d_]+)*[\s/.:_-]*[0-9]+(?:[\s/.:_-]+[0-9]+)+"
    r"|[0-9]+(?:\s*[/.:_-]\s*[0-9]+)+"
    r")(?![^\W_])",
    re.IGNORECASE,
)


def diary_key(text: str) -> str:
    """A diary number reduced to what people mean by it: ``RUN/0138/2024`` -> ``run1382024``.

    Lower case; only letters and digits; leading zeros of each group of digits dropped.
    """
    groups = _GROUPS.findall(text.lower())
    return "".join(g.lstrip("0") or "0" if "0" <= g[0] <= "9" else g for g in groups)


def diary_keys(diary_number: str) -> tuple[str, ...]:
    """The keys a diary number is indexed under: with and without its letters
    (``RUN/138/2024`` -> ``run1382024``, ``1382024``), so ``138/2024`` finds it too."""
    key = diary_key(diary_number)
    numbers = re.sub(r"^[^\W\d_]+", "", key)
    keys = [key] if not numbers or numbers == key else [key, numbers]
    return tuple(k for k in keys if k)


def normalise_query(query: str) -> str:
    """Replace each diary number in a query by its key (:func:`diary_key`).

    ``run 138/2024`` -> ``run1382024``; other words stay as typed, runs of white space
    become one space. The browser does the same (``search-engine.js``).
    """
    replaced = DIARY_PATTERN.sub(lambda m: diary_key(m["number"]), query)
    return " ".join(replaced.split())


#: Swedish words too common to narrow a search. Each would load a large index chunk (it
#: is on every page) and change no result, so the browser drops them from a query that
#: has other words (``without_stop_words``; search-engine.js has the same list).
STOP_WORDS = frozenset({
    "alla", "att", "av", "blir", "de", "dem", "den", "denna", "det", "detta", "där", "efter",
    "eller", "en", "ett", "från", "för", "genom", "har", "hos", "i", "inom", "inte", "kan",
    "med", "mellan", "mot", "nu", "när", "och", "om", "på", "per", "samt", "sig", "sin",
    "sina", "ska", "som", "så", "till", "under", "utan", "var", "vara", "vid", "är", "än",
    "även", "över",
})


def without_stop_words(query: str) -> str:
    """``Förstudie: vätgas och energi i Åre`` -> ``Förstudie: vätgas energi Åre``.

    Single letters go too (``Förstudie: v``, half typed, would load every word on v).
    A query of nothing else stays as it is.
    """
    words = query.split()
    kept = [w for w in words if _narrows(w.lower().strip(".,:;!?\"'()"))]
    return " ".join(kept if kept else words)


def _narrows(word: str) -> bool:
    if word.isascii() and word.isdigit():
        return True
    return len(word) > 1 and word not in STOP_WORDS
