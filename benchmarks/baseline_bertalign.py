"""Bertalign's two-pass algorithm (Liu & Zhu 2022), re-implemented from its description and source
as a baseline for `align_eval.py --baseline`: same embeddings in, vecalign-style links out.

1. First pass: each source sentence's top-3 target neighbours; a 1-1/1-0/0-1 DP inside a wide
   diagonal band keeps the 1-1 links whose target is among those neighbours (anchors).
2. Second pass: a band of +-`win` target sentences around the anchor path; link shapes a-b with
   a + b <= `max_align` (and 1-0, 0-1 at `skip`); a link scores the cosine of its two block
   embeddings minus the mean similarity to the sentences just outside it (margin), times the
   length factor log2(1 + min/max) of its byte lengths (the target scaled by the document's ratio).

Block embeddings are the re-normalised mean of the sentence embeddings ("averaged"), or, when
`windows` is given, encoded concatenations of up to `max_align - 1` sentences as Bertalign does.
Plain Python loops: fine for documents of a few thousand sentences, not a production aligner.
"""

from __future__ import annotations

import numpy as np


def block_embeddings(emb: np.ndarray, max_block: int) -> np.ndarray:
    """V[k, i]: embedding of the block of k+1 sentences ending at sentence i (normalised mean)."""
    n, d = emb.shape
    out = np.zeros((max_block, n, d))
    csum = np.vstack([np.zeros((1, d)), np.cumsum(emb.astype(np.float64), axis=0)])
    for k in range(max_block):
        for i in range(k, n):
            v = csum[i + 1] - csum[i - k]
            out[k, i] = v / (np.linalg.norm(v) or 1.0)
    return out


def _band_dp(band: list[tuple[int, int]], moves: list[tuple[int, int]], move_score) -> list[tuple[int, int]]:
    """Best monotone path from (0, 0) to (n, m) inside `band` (row i: target columns band[i]),
    scoring a move (a, b) into node (i, j) with move_score(i, j, a, b); the path as moves."""
    n = len(band) - 1
    cost, back = {(0, 0): 0.0}, {}
    for i in range(n + 1):
        lo, hi = band[i]
        for j in range(lo, hi + 1):
            if i + j == 0:
                continue
            best, arg = -np.inf, None
            for a, b in moves:
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0 or not band[pi][0] <= pj <= band[pi][1] or (pi, pj) not in cost:
                    continue
                s = cost[(pi, pj)] + move_score(i, j, a, b)
                if s > best:
                    best, arg = s, (a, b)
            if arg is not None:
                cost[(i, j)], back[(i, j)] = best, arg
    i, j, path = n, band[n][1], []
    while i > 0 or j > 0:
        a, b = back[(i, j)]
        path.append((a, b))
        i, j = i - a, j - b
    return path[::-1]


def _first_pass(es: np.ndarray, et: np.ndarray, top_k: int = 3) -> list[tuple[int, int]]:
    n, m = len(es), len(et)
    sims = es @ et.T
    top = np.argsort(-sims, axis=1)[:, :top_k]
    w = max(250, int(max(n, m) * 0.06))
    band = [(max(0, int(m / n * i) - w), min(int(m / n * i) + w, m)) for i in range(n + 1)]
    band[n] = (band[n][0], m)

    def score(i, j, a, b):
        return float(sims[i - 1, j - 1]) if a and b and (j - 1) in top[i - 1] else 0.0

    anchors, i, j = [], 0, 0
    for a, b in _band_dp(band, [(0, 1), (1, 0), (1, 1)], score):
        i, j = i + a, j + b
        if (a, b) == (1, 1):
            anchors.append((i, j))
    return anchors


def _second_band(anchors: list[tuple[int, int]], win: int, n: int, m: int) -> list[tuple[int, int]]:
    anchors = list(anchors) or [(n, m)]
    if anchors[-1] != (n, m):
        last_s, last_t = anchors[-1]
        if last_s == n or last_t == m:  # the last anchor touches an end: it becomes the corner
            anchors.pop()
        anchors.append((n, m))
    band, prev_s, prev_t = [], 0, 0
    for s, t in anchors:
        band.extend([(max(0, prev_t - win), min(m, t + win))] * (s - prev_s))
        prev_s, prev_t = s, t
    return [band[0] if band else (0, m)] + band


def _neighbour_sim(v: np.ndarray, size: int, end: int, count: int, single: np.ndarray) -> float:
    """Mean similarity of block embedding v to the sentences just before and after its block."""
    left, right = end - size - 1, end + 1
    r = float(v @ single[right - 1]) if right <= count else 0.0
    lft = float(v @ single[left - 1]) if left > 0 else 0.0
    return (lft + r) / 2 if (lft and r) else lft + r


def bertalign(src: list[str], tgt: list[str], es: np.ndarray, et: np.ndarray, *, windows=None,
              max_align: int = 5, win: int = 5, skip: float = -0.1) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Links (source ids, target ids) by Bertalign's algorithm; `windows` = (Vs, Vt) encoded blocks."""
    n, m = len(src), len(tgt)
    g = max_align - 1
    if windows is None:
        vs, vt = block_embeddings(es, g), block_embeddings(et, g)
    else:
        vs, vt = (np.asarray(w, dtype=np.float64) for w in windows)
    ls = np.array([len(x.strip().encode("utf-8")) for x in src], dtype=float)
    lt = np.array([len(x.strip().encode("utf-8")) for x in tgt], dtype=float)
    cls, clt = np.concatenate([[0.0], np.cumsum(ls)]), np.concatenate([[0.0], np.cumsum(lt)])
    ratio = ls.sum() / max(lt.sum(), 1.0)
    moves = [(0, 1), (1, 0)] + [(a, b) for a in range(1, max_align) for b in range(1, max_align) if a + b <= max_align]
    band = _second_band(_first_pass(es, et), win, n, m)

    def score(i, j, a, b):
        if a == 0 or b == 0:
            return skip
        sv, tv = vs[a - 1, i - 1], vt[b - 1, j - 1]
        cur = float(sv @ tv) - (_neighbour_sim(sv, b - 1, j, m, vt[0]) + _neighbour_sim(tv, a - 1, i, n, vs[0])) / 2
        sl = cls[i] - cls[i - a] + a - 1          # joined with spaces
        tl = (clt[j] - clt[j - b] + b - 1) * ratio
        return cur * np.log2(1 + min(sl, tl) / max(sl, tl, 1.0))

    out, i, j = [], 0, 0
    for a, b in _band_dp(band, moves, score):
        out.append((tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    return out


def encoded_windows(texts: list[str], emb: np.ndarray, encoder, max_block: int) -> np.ndarray:
    """V[k, i]: the encoder's embedding of sentences i-k..i joined with spaces (Bertalign's overlaps)."""
    n = len(texts)
    out = np.zeros((max_block, n, emb.shape[1]), dtype=np.float32)
    out[0] = emb
    lines = [x.strip() or "BLANK_LINE" for x in texts]
    for k in range(1, max_block):
        if n > k:
            out[k, k:] = encoder.encode([" ".join(lines[i - k:i + 1]) for i in range(k, n)])
    return out
