"""Moved passages: a sentence left out at its place and translated elsewhere.

A monotonic alignment sees a paragraph the translator moved as an omission at one place and an
addition at another. Every omitted source sentence is compared with every added target sentence;
a pair that would be `equivalent` if aligned (its calibrated similarity at least the equivalent
threshold), each the other's best match, is reported as a move on both links. The links keep their
labels (the text is missing *there*); the flag says where it went. Sentences of fewer than
`MIN_WORDS` words are left out: the embeddings of fragments (`-`, `Literatur :`) all look alike.
"""

from __future__ import annotations

import re

import numpy as np

from workbench.fidelity.calibrate import calibrate

MIN_WORDS = 4
_WORD = re.compile(r"[^\W\d_]{2,}")


def substantial(text: str) -> bool:
    """Enough words for its embedding to say what it means (CJK: enough characters)."""
    return len(_WORD.findall(text)) >= MIN_WORDS or sum(c.isalpha() for c in text) >= 4 * MIN_WORDS


def find_moves(omissions: list[int], additions: list[int], S: np.ndarray, T: np.ndarray, typical: float,
               unrelated: float, threshold: float) -> list[tuple[int, int, float, float]]:
    """(omission link, addition link, similarity, calibrated fidelity) for each move, given the links'
    embeddings (row = link)."""
    if not omissions or not additions:
        return []
    sims = S[omissions] @ T[additions].T
    fid = calibrate(sims, typical, unrelated)
    best_for_src = sims.argmax(axis=1)
    best_for_tgt = sims.argmax(axis=0)
    out = []
    for i, j in enumerate(best_for_src):
        if best_for_tgt[j] == i and fid[i, j] >= threshold:
            out.append((omissions[i], additions[j], float(sims[i, j]), float(fid[i, j])))
    return out


def describe(ids: list[int], side: str) -> str:
    if len(ids) == 1:
        return f"{side} sentence {ids[0]}"
    return f"{side} sentences {ids[0]}-{ids[-1]}" if ids == list(range(ids[0], ids[-1] + 1)) else \
        f"{side} sentences {', '.join(map(str, ids))}"
