"""Anchor tokens: what a translation usually carries over unchanged, whatever the languages.

Numbers (with their separators removed: 100,000 = 100 000 = 100.000) and capitalised names
(accents folded, cut to 5 letters so light inflection still matches: Lhotse/Lhotsé). Each
sentence gets a 64-bit mask with one bit per anchor; the aligner compares the masks of the two
sides of a candidate link. Collisions only blur the signal, never break the alignment.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence

import numpy as np

_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f\u2009 ]\d{3})*(?:[.,]\d+)?")
_NAME = re.compile(r"(?<![\w.])[^\W\d_][\w'’-]*", re.UNICODE)


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).lower()


def anchor_tokens(text: str) -> set[str]:
    tokens = set()
    for num in _NUMBER.findall(text):
        digits = re.sub(r"\D", "", num)
        if digits and not (len(digits) == 1 and digits in "01"):
            tokens.add("#" + digits.lstrip("0")[:12])
    words = _NAME.findall(text)
    for k, word in enumerate(words):
        # a capitalised word that does not start the sentence, or an acronym anywhere
        if word[0].isupper() and (k > 0 or word.isupper()) and len(word) >= 3:
            tokens.add(_fold(word)[:5])
    return tokens


def anchor_masks(texts: Sequence[str]) -> np.ndarray:
    """(len(texts), 2) uint64: column 0 holds the numbers, column 1 the names."""
    out = np.zeros((len(texts), 2), dtype=np.uint64)
    for i, text in enumerate(texts):
        masks = [0, 0]
        for tok in anchor_tokens(text):
            masks[0 if tok.startswith("#") else 1] |= 1 << (zlib.crc32(tok.encode("utf-8")) & 63)
        out[i] = masks
    return out


_OPEN, _CLOSE = "([（［", ")]）］"  # with the full-width brackets of Chinese and Japanese
#: a text ending on an initial (`G. Band-J .`, `l' H .`): a segmenter that cut after an initial;
#: I, V and X are left out, as a Roman numeral may end a sentence (`World War I.`)
_ENDS_ON_INITIAL = re.compile(r"(?:^|[\s.(\-'’])[A-HJ-UWYZÀ-ÖØ-Þ]\s?\.$")


def continuations(texts: Sequence[str], reach: int = 3) -> np.ndarray:
    """marks[i] is True when sentence i only continues sentence i-1: a segmenter cut inside
    brackets (`( London :` / `Collins 1956 ) , flott geschrieben ...`) or after an initial
    (`Gipfelmannschaft E. Reiss-F .` / `Luchsinger .`), so the break before i is no real sentence
    boundary. For brackets, each sentence from the one after an unclosed opening bracket to the
    one that closes it is marked, if that comes within `reach` sentences (a stray bracket, never
    closed, marks nothing)."""
    marks = np.zeros(len(texts), dtype=bool)
    for k, text in enumerate(texts):
        if k + 1 < len(texts) and _ENDS_ON_INITIAL.search(text.rstrip()):
            marks[k + 1] = True
        depth = 0
        for ch in text:  # brackets left open at the end of sentence k
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
        if depth == 0:
            continue
        for c in range(k + 1, min(len(texts), k + 1 + reach)):
            for ch in texts[c]:
                if ch in _OPEN:
                    depth += 1
                elif ch in _CLOSE:
                    depth -= 1
                    if depth == 0:
                        break
            if depth <= 0:
                marks[k + 1:c + 1] = True
                break
    return marks
