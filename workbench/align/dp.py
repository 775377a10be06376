"""The dynamic programme over a band of the (n+1) x (m+1) lattice, compiled with numba.

Lattice point (i, j) means "the first i source and first j target sentences are aligned".
Row i of the band covers columns blo[i]..bhi[i]; cells outside the band are unreachable.
A move (a, b) consumes a source and b target sentences: (1,0)/(0,1) are omissions/additions,
a,b >= 1 are links scored from the sentence similarities inside the band.

The kernels work on plain arrays and know nothing of texts or models (the vecalign habit),
so they are easy to test with hand-made vectors and to benchmark alone.
"""

from __future__ import annotations

import numpy as np
from numba import njit

NEG = -1.0e18


@njit(cache=True, nogil=True)
def band_similarities(src, tgt, slo, width):
    """S[p, k] = cos(src[p], tgt[slo[p] + k]) for the k that fall inside the target; 0 elsewhere."""
    n = src.shape[0]
    m = tgt.shape[0]
    d = src.shape[1]
    out = np.zeros((n, width), dtype=np.float32)
    for p in range(n):
        for k in range(width):
            q = slo[p] + k
            if q < 0 or q >= m:
                continue
            acc = 0.0
            for t in range(d):
                acc += src[p, t] * tgt[q, t]
            out[p, k] = acc
    return out


@njit(cache=True, nogil=True)
def _sim_at(S, slo, width, p, q):
    k = q - slo[p]
    if k < 0 or k >= width:
        return np.float32(-1.0)
    return S[p, k]


@njit(cache=True, nogil=True)
def block_cos(S, slo, width, ws, wt, ns, nt, i0, a, j0, b):
    """Cosine of the weighted mean embeddings of src[i0:i0+a] and tgt[j0:j0+b]."""
    acc = 0.0
    for p in range(i0, i0 + a):
        for q in range(j0, j0 + b):
            acc += ws[p] * wt[q] * _sim_at(S, slo, width, p, q)
    den = ns[i0, a - 1] * nt[j0, b - 1]
    if den <= 0:
        return 0.0
    return acc / den


@njit(cache=True, nogil=True)
def band_dp(S, slo, width, blo, bhi, moves, ws, wt, ns, nt, bgs, bgt, ls, lt,
            ps, pt, ratio, var, skip, w_len, w_para, w_size, merge_pen, bg_w, size_off):
    """Best-scoring monotone path through the band; returns (score table, back-pointer table).

    ls/lt: cumulative character lengths (len n+1 / m+1) for the length prior;
    ps/pt: paragraph number per sentence; bgs/bgt: per-sentence background similarity.
    """
    n = blo.shape[0] - 1
    bw = 0
    for i in range(n + 1):
        if bhi[i] - blo[i] + 1 > bw:
            bw = bhi[i] - blo[i] + 1
    score = np.full((n + 1, bw), NEG)
    back = np.full((n + 1, bw), -1, dtype=np.int8)
    score[0, 0 - blo[0]] = 0.0
    nm = moves.shape[0]
    for i in range(n + 1):
        for j in range(blo[i], bhi[i] + 1):
            if i == 0 and j == 0:
                continue
            best = NEG
            arg = -1
            for mi in range(nm):
                a = moves[mi, 0]
                b = moves[mi, 1]
                pi = i - a
                pj = j - b
                if pi < 0 or pj < 0:
                    continue
                if pj < blo[pi] or pj > bhi[pi]:
                    continue
                prev = score[pi, pj - blo[pi]]
                if prev <= NEG / 2:
                    continue
                if a == 0 or b == 0:
                    s = skip
                else:
                    s = link_score(S, slo, width, ws, wt, ns, nt, bgs, bgt, ls, lt, ps, pt,
                                   ratio, var, w_len, w_para, w_size, merge_pen, bg_w, size_off, pi, a, pj, b)
                if prev + s > best:
                    best = prev + s
                    arg = mi
            score[i, j - blo[i]] = best
            back[i, j - blo[i]] = arg
    return score, back


@njit(cache=True, nogil=True)
def link_score(S, slo, width, ws, wt, ns, nt, bgs, bgt, ls, lt, ps, pt,
               ratio, var, w_len, w_para, w_size, merge_pen, bg_w, size_off, i0, a, j0, b):
    """Score of linking src[i0:i0+a] with tgt[j0:j0+b] (a, b >= 1)."""
    c = block_cos(S, slo, width, ws, wt, ns, nt, i0, a, j0, b)
    bg = 0.0
    wsum = 0.0
    for p in range(i0, i0 + a):
        bg += bgs[p]
        wsum += 1.0
    for q in range(j0, j0 + b):
        bg += bgt[q]
        wsum += 1.0
    bg /= wsum
    # margin over what an unrelated neighbour scores: makes the scale comparable across models
    s = c - bg_w * (bg + size_off[a - 1, b - 1])
    # length prior (Gale & Church): target length should be ratio * source length
    len_s = ls[i0 + a] - ls[i0]
    len_t = lt[j0 + b] - lt[j0]
    delta = (len_t - ratio * len_s) / np.sqrt(var * (len_s + len_t / ratio) * 0.5 + 1.0)
    s -= w_len * min(delta * delta, 25.0)
    # a link should not straddle a paragraph break on one side only
    if w_para > 0:
        cross_s = ps[i0] != ps[i0 + a - 1]
        cross_t = pt[j0] != pt[j0 + b - 1]
        if cross_s != cross_t:
            s -= w_para
    # weight by the number of sentences covered, so a merge competes fairly with its split
    size = (a + b) * 0.5
    return s * (1.0 + w_size * (size - 1.0)) - merge_pen * (a + b - 2)


@njit(cache=True, nogil=True)
def backtrack(back, blo, moves, n, m):
    """The path as arrays of (a, b) moves from (0, 0) to (n, m)."""
    out_a = []
    out_b = []
    i = n
    j = m
    while i > 0 or j > 0:
        mi = back[i, j - blo[i]]
        if mi < 0:
            break
        a = moves[mi, 0]
        b = moves[mi, 1]
        out_a.append(a)
        out_b.append(b)
        i -= a
        j -= b
    na = len(out_a)
    res = np.empty((na, 2), dtype=np.int64)
    for k in range(na):
        res[k, 0] = out_a[na - 1 - k]
        res[k, 1] = out_b[na - 1 - k]
    return res
