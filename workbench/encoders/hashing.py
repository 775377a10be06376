"""A tiny deterministic encoder for fast tests and dry runs: hashed character n-grams.

It knows no language, but cognates, names and numbers give it enough signal to align
simple texts; it loads nothing and is instant.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from workbench.encoders.base import Encoder, SparseTerms, encoder_registry

_WORD = re.compile(r"\w+", re.UNICODE)


@encoder_registry.register("hash")
class HashingEncoder(Encoder):
    id = "hash-3gram-256"
    dim = 256
    latent_id = "hash-words-4096"

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                padded = f"<{word}>"
                for k in range(max(1, len(padded) - 2)):
                    gram = padded[k:k + 3]
                    h = _hash(gram)
                    out[row, h % self.dim] += 1.0 if h & 1 << 31 else -1.0
            if not out[row].any():  # empty or symbol-only text: a fixed vector, not zero
                out[row, 0] = 1.0
        return out

    def latent_terms(self, texts) -> list[SparseTerms]:
        """Hashed lower-case words, weight 1: a word shared by both sides is a shared term."""
        out = []
        for text in texts:
            ids = sorted({_hash(w) % 4096 for w in _WORD.findall(text.lower())})
            out.append((np.asarray(ids, dtype=np.int32), np.ones(len(ids), dtype=np.float32)))
        return out


def _hash(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "little")
