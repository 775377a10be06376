"""ISO 639-1 language codes, validated against CLDR (Babel) rather than a hand-made list."""

from __future__ import annotations

from functools import lru_cache

from workbench.errors import UnknownLanguageError


@lru_cache(maxsize=1)
def _iso639_1() -> frozenset[str]:
    from babel import Locale

    codes = set()
    for code in Locale("en").languages:
        if len(code) == 2 and code.isalpha():
            codes.add(code.lower())
    return frozenset(codes)


def check_language(code: str) -> str:
    """Return the normalised two-letter code, or raise UnknownLanguageError."""
    norm = (code or "").strip().lower().replace("_", "-").split("-")[0]
    if len(norm) != 2 or norm not in _iso639_1():
        raise UnknownLanguageError(f"unknown language code {code!r}: use an ISO 639-1 code such as en, fr, de")
    return norm
