"""A digest of what a page depends on: the key of every reuse cache.

A page's digest (:attr:`~beslutsregister.core.pages.PageSpec.digest`) and the preview's
record of what surrounds every page (``adapter/preview_cache.py``) are both fingerprints;
the page needs no preview to have one, so it lives here, with the pages.
"""

from __future__ import annotations

import hashlib


def fingerprint(*parts: str) -> str:
    """A digest of everything a page's HTML depends on."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()
