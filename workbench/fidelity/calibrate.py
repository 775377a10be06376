"""Calibration of encoder similarity into a [0, 1] fidelity.

    x       = (s - unrelated) / (typical - unrelated)
    fid_sim = clip(x, 0, knee)                                   for x <= knee (0.9)
              1 - (1 - knee) * exp(-(x - knee) / (1 - knee))     above: rises towards 1, never reaches it

`typical` is the similarity of a normal translation link: the median link of the document
when it has enough links; for a batch of pairs, the encoder's known value (e5: 0.92) or the
batch's upper quartile if that is lower (a distant language pair); for an unknown encoder, the
batch's upper quartile. `unrelated` is the mean similarity of mismatched pairs
of the same document or batch (source i against target j != i), so it follows the encoder
and the topic. Length ratios are centred and scaled the same way (median, scaled MAD).
"""

from __future__ import annotations

import numpy as np

from workbench.fidelity.config import ENCODER_ANCHORS, FidelityConfig


def encoder_anchors(encoder_id: str | None) -> tuple[float, float] | None:
    eid = (encoder_id or "").lower()
    for key, value in ENCODER_ANCHORS.items():
        if eid.startswith(key) or f":{key}" in eid or f"/{key}" in eid:
            return value
    return None


def mismatched_similarity(S: np.ndarray, T: np.ndarray, max_pairs: int = 4000, seed: int = 0) -> float | None:
    n = len(S)
    if n < 2:
        return None
    rng = np.random.default_rng(seed)
    i = rng.integers(0, n, size=min(max_pairs, n * (n - 1)))
    j = (i + rng.integers(1, n, size=len(i))) % n
    return float(np.mean(np.einsum("ij,ij->i", S[i], T[j])))


def robust_spread(x: np.ndarray, floor: float) -> float:
    if len(x) < 3:
        return floor
    return max(float(1.4826 * np.median(np.abs(x - np.median(x)))), floor)


def anchors(sims: np.ndarray, S: np.ndarray, T: np.ndarray, config: FidelityConfig, encoder_id: str | None,
            document: bool) -> dict[str, float | str]:
    """typical / unrelated similarity, spread, and where each came from."""
    known = encoder_anchors(encoder_id)
    enough = len(sims) >= config.min_links_for_document
    src = {}
    if config.typical_similarity is not None:
        typical, src["typical"] = config.typical_similarity, "config"
    elif document and enough:
        typical, src["typical"] = float(np.median(sims)), "document"
    elif known and len(sims) >= config.min_pairs_for_batch:
        # a batch of pairs, of which many may diverge. The encoder's known level (measured on en-fr) is
        # what close language pairs reach; a distant pair sits lower (e5: faithful en-zh pairs near 0.86),
        # which the batch's upper quartile shows. The lower of the two; never above the known level, so
        # a batch of near-identical pairs does not raise the bar for all of them.
        q75 = float(np.quantile(sims, 0.75))
        typical, src["typical"] = (q75, "document" if document else "batch") if q75 < known[0] else (known[0], "encoder")
    elif known:
        typical, src["typical"] = known[0], "encoder"
    elif len(sims):
        typical, src["typical"] = float(np.quantile(sims, 0.75)), "batch"
    else:
        typical, src["typical"] = 0.9, "default"
    unrelated = config.unrelated_similarity
    src["unrelated"] = "config"
    if unrelated is None:
        unrelated = mismatched_similarity(S, T) if len(S) >= 10 else None
        src["unrelated"] = "document" if document else "batch"
        if unrelated is None:
            unrelated = known[1] if known else typical - 0.2
            src["unrelated"] = "encoder" if known else "default"
    if unrelated >= typical - 0.01:
        unrelated = typical - 0.05
    spread = robust_spread(sims, 0.01) if enough else max((typical - unrelated) / 8, 0.01)
    return {"typical": round(typical, 4), "unrelated": round(unrelated, 4), "spread": round(spread, 4),
            "typical_from": src["typical"], "unrelated_from": src["unrelated"]}


#: below the knee fidelity is linear in similarity; the label thresholds (0.85, 0.6) lie there
KNEE = 0.9


def calibrate(sims: np.ndarray, typical: float, unrelated: float) -> np.ndarray:
    """Similarity -> fidelity in [0, 1), strictly increasing above `unrelated`.

    A hard clip at 1 would give every link above the typical similarity the same fidelity,
    so two translations of one source could not be ranked; the exponential tail keeps the
    encoder's order (slope 1 at the knee, so the curve is smooth there).
    """
    x = (np.asarray(sims, dtype=float) - unrelated) / (typical - unrelated)
    tail = 1.0 - (1.0 - KNEE) * np.exp(-(np.maximum(x, KNEE) - KNEE) / (1.0 - KNEE))
    return np.where(x <= KNEE, np.clip(x, 0.0, None), tail)
