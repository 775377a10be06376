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


def band_similarities(src, tgt, slo, width, chunk=256):
    """S[p, k] = cos(src[p], tgt[slo[p] + k]) where that target exists, else -1.

    Rows are taken in chunks so each chunk is one BLAS product over the columns it spans.
    """
    n, m = src.shape[0], tgt.shape[0]
    out = np.full((n, width), -1.0, dtype=np.float32)
    for r0 in range(0, n, chunk):
        r1 = min(n, r0 + chunk)
        c0 = max(0, int(slo[r0:r1].min()))
        c1 = min(m, int(slo[r0:r1].max()) + width)
        if c1 <= c0:
            continue
        block = src[r0:r1] @ tgt[c0:c1].T
        _gather(block, out, slo, r0, r1, c0, c1, width)
    return out


@njit(cache=True, nogil=True)
def _gather(block, out, slo, r0, r1, c0, c1, width):
    for p in range(r0, r1):
        for k in range(width):
            q = slo[p] + k
            if q >= c0 and q < c1:
                out[p, k] = block[p - r0, q - c0]


@njit(cache=True, nogil=True)
def band_background(S, slo, width, m, k, samp_s, samp_t, idx_s, idx_t):
    """Mean of each sentence's k best similarities, leaving out the very best (the candidate
    itself), each value counted once (the same text repeated elsewhere in the document, a
    heading or a line of dialogue, says nothing about how crowded the neighbourhood is): bgs per
    source sentence, bgt per target sentence.

    Candidates are the band plus a fixed sample of the other side (samp_s[p, r] = cos(src p,
    tgt idx_t[r]); samp_t[q, r] = cos(tgt q, src idx_s[r])), so the background does not
    depend on how narrow the band is.
    """
    n = S.shape[0]
    bgs = np.zeros(n)
    tops = np.full((n, k + 1), -2.0)
    topt = np.full((m, k + 1), -2.0)
    for p in range(n):
        for kk in range(width):
            q = slo[p] + kk
            if q < 0 or q >= m:
                continue
            v = S[p, kk]
            _insert(tops, p, v, k)
            _insert(topt, q, v, k)
        for r in range(idx_t.shape[0]):
            q = idx_t[r]
            if slo[p] <= q < slo[p] + width:
                continue  # already counted from the band
            _insert(tops, p, samp_s[p, r], k)
    for q in range(m):
        for r in range(idx_s.shape[0]):
            p = idx_s[r]
            if slo[p] <= q < slo[p] + width:
                continue
            _insert(topt, q, samp_t[q, r], k)
    bgt = np.zeros(m)
    for p in range(n):
        bgs[p] = _mean_rest(tops[p], k)
    for q in range(m):
        bgt[q] = _mean_rest(topt[q], k)
    return bgs, bgt


@njit(cache=True, nogil=True)
def _insert(top, row, v, k):
    """Insert v into the descending list top[row, :k+1] if it belongs there; a value already in
    the list (an exact repeat: the same text elsewhere in the document) is not counted again."""
    if v <= top[row, k]:
        return
    t = k
    while t > 0 and top[row, t - 1] < v:
        t -= 1
    if t > 0 and top[row, t - 1] - v < 1e-6:
        return
    for u in range(k, t, -1):
        top[row, u] = top[row, u - 1]
    top[row, t] = v


@njit(cache=True, nogil=True)
def _mean_rest(row, k):
    """Mean of the k values after the best."""
    acc = 0.0
    cnt = 0
    for t in range(1, min(row.shape[0], k + 1)):
        if row[t] > -1.5:
            acc += row[t]
            cnt += 1
    if cnt == 0:
        return row[0] if row[0] > -1.5 else 0.0
    return acc / cnt


@njit(cache=True, nogil=True, fastmath=True, error_model="numpy")
def band_dp(S, slo, width, blo, bhi, g, ws, wt, ns, nt, cbgs, cbgt, ls, lt, ps, pt, ratio, var, skip_s, skip_t,
            w_len, w_para, size_off, anchors_s, anchors_t, w_anchor, w_cut, brk_s, brk_t, w_member=0.0):
    """Best-scoring monotone path through the band: (score table, back-pointer table).

    A back-pointer holds the move as a * 16 + b. Block sums are built incrementally, so a cell
    costs g*g similarity look-ups whatever the number of moves.
    cbgs/cbgt: cumulative background similarity; ls/lt: cumulative lengths (len n+1 / m+1);
    brk_s/brk_t: see continuation_cost (len n+1 / m+1).
    """
    n = blo.shape[0] - 1
    bw = 0
    for i in range(n + 1):
        if bhi[i] - blo[i] + 1 > bw:
            bw = bhi[i] - blo[i] + 1
    score = np.full((n + 1, bw), NEG)
    back = np.full((n + 1, bw), -1, dtype=np.int8)
    score[0, 0 - blo[0]] = 0.0
    m_all = lt.shape[0] - 1
    D = np.zeros((g + 1, g + 1))
    C = np.zeros(g + 1)     # C[b]: weighted dot of target j-b with the source block of the current a
    smin = np.zeros(g + 1)  # smin[b]: the source members' least margin over the target block of b
    for i in range(n + 1):
        for j in range(blo[i], bhi[i] + 1):
            if i == 0 and j == 0:
                continue
            best = NEG
            arg = -1
            # omission (1-0) and addition (0-1)
            if i >= 1 and blo[i - 1] <= j <= bhi[i - 1]:
                prev = score[i - 1, j - blo[i - 1]] + skip_s[i - 1]
                if prev > best:
                    best = prev
                    arg = 16
            if j >= 1 and j - 1 >= blo[i]:
                prev = score[i, j - 1 - blo[i]] + skip_t[j - 1]
                if prev > best:
                    best = prev
                    arg = 1
            # links a-b: D[a, b] = weighted similarity sum of src[i-a:i] x tgt[j-b:j]
            for a in range(1, g + 1):
                p = i - a
                if p < 0:
                    break
                rowsum = 0.0
                tmin = 0.0
                for b in range(1, g + 1):
                    q = j - b
                    if q < 0:
                        break
                    k = q - slo[p]
                    sim = S[p, k] if 0 <= k < width else -1.0
                    rowsum += ws[p] * wt[q] * sim
                    if a > 1:
                        D[a, b] = D[a - 1, b] + rowsum
                    else:
                        D[a, b] = rowsum
                    if w_member > 0:
                        # each member of a merged side should match the other side's block better than
                        # it matches its usual neighbours: a sentence left out and glued to a link does not
                        C[b] = (C[b] if a > 1 else 0.0) + ws[p] * wt[q] * sim
                        den_s = ws[p] * nt[q, b - 1]
                        ms = (rowsum / den_s if den_s > 0 else 0.0) - (cbgs[p + 1] - cbgs[p])
                        smin[b] = ms if a == 1 or ms < smin[b] else smin[b]
                        den_t = wt[q] * ns[p, a - 1]
                        mt = (C[b] / den_t if den_t > 0 else 0.0) - (cbgt[q + 1] - cbgt[q])
                        tmin = mt if b == 1 or mt < tmin else tmin
                    if q < blo[p] or q > bhi[p]:
                        continue
                    prev = score[p, q - blo[p]]
                    if prev <= NEG / 2:
                        continue
                    sc = link_score(D[a, b], ns[p, a - 1] * nt[q, b - 1], cbgs, cbgt, ls, lt, ps, pt, ratio, var,
                                    w_len, w_para, size_off, anchors_s, anchors_t, w_anchor, p, a, q, b)
                    if w_member > 0:
                        if a > 1 and smin[b] < 0:
                            sc += w_member * smin[b]
                        if b > 1 and tmin < 0:
                            sc += w_member * tmin
                    sc -= continuation_cost(brk_s, brk_t, p, q, i, j)
                    if prev + sc > best:
                        best = prev + sc
                        arg = a * 16 + b
            if w_cut > 0 and best > NEG / 2:
                best -= cut_cost(S, slo, width, cbgs, cbgt, i, j, n, m_all, w_cut)
            score[i, j - blo[i]] = best
            back[i, j - blo[i]] = arg
    return score, back


@njit(cache=True, nogil=True, inline="always")
def continuation_cost(brk_s, brk_t, p, q, i, j):
    """Cost of a link from node (p, q) to node (i, j) that starts or ends where one side was cut
    inside a sentence and the other not (brk_s[k] > 0: source sentence k only continues sentence
    k-1, see anchors.continuations). Half at each end, so a boundary between two links costs brk once; omissions and
    additions pay nothing, so a run of omitted fragments is no worse than one omitted sentence."""
    return 0.5 * (abs(brk_s[p] - brk_t[q]) + abs(brk_s[i] - brk_t[j]))


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def cut_cost(S, slo, width, cbgs, cbgt, i, j, n, m, w_cut):
    """Cost of a link boundary at lattice node (i, j): a boundary should separate content, so if
    the sentences just across it (source i-1 with target j, source i with target j-1) still match
    better than their background, the cut is suspect and the neighbours probably belong together."""
    if w_cut <= 0 or i <= 0 or i >= n or j <= 0 or j >= m:
        return 0.0
    k1 = j - slo[i - 1]
    v1 = S[i - 1, k1] if 0 <= k1 < width else -1.0
    k2 = j - 1 - slo[i]
    v2 = S[i, k2] if 0 <= k2 < width else -1.0
    over = max(v1 - 0.5 * (cbgs[i] - cbgs[i - 1] + cbgt[j + 1] - cbgt[j]),
               v2 - 0.5 * (cbgs[i + 1] - cbgs[i] + cbgt[j] - cbgt[j - 1]))
    return w_cut * over if over > 0 else 0.0


@njit(cache=True, nogil=True)
def cut_table(S, slo, width, cbgs, cbgt, blo, bhi, m, w_cut):
    """cut_cost for every node of the band, laid out like the DP tables."""
    n = blo.shape[0] - 1
    bw = 0
    for i in range(n + 1):
        if bhi[i] - blo[i] + 1 > bw:
            bw = bhi[i] - blo[i] + 1
    out = np.zeros((n + 1, bw))
    for i in range(n + 1):
        for j in range(blo[i], bhi[i] + 1):
            out[i, j - blo[i]] = cut_cost(S, slo, width, cbgs, cbgt, i, j, n, m, w_cut)
    return out


@njit(cache=True, nogil=True, fastmath=True, inline="always", error_model="numpy")
def link_score(dot, den, cbgs, cbgt, ls, lt, ps, pt, ratio, var, w_len, w_para, size_off, anchors_s, anchors_t,
               w_anchor, p, a, q, b):
    """Score of linking src[p:p+a] with tgt[q:q+b], given the weighted dot product of the sides."""
    c = dot / den if den > 0 else 0.0
    # margin over the local background, itself raised for bigger blocks (they look alike more)
    bg = (cbgs[p + a] - cbgs[p] + cbgt[q + b] - cbgt[q]) / (a + b)
    sc = c - (bg + size_off[a - 1, b - 1])
    # length prior (Gale & Church): target length should be ratio * source length
    len_s = ls[p + a] - ls[p]
    len_t = lt[q + b] - lt[q]
    delta = (len_t - ratio * len_s) / np.sqrt(var * (len_s + len_t / ratio) * 0.5 + 1.0)
    sc -= w_len * min(delta * delta, 25.0)
    # anchors (numbers, names) shared by the two sides: Dice overlap of their bit masks
    if w_anchor[0] > 0 or w_anchor[1] > 0:
        for kind in range(2):
            ms = np.uint64(0)
            mt = np.uint64(0)
            for pp in range(p, p + a):
                ms |= anchors_s[pp, kind]
            for qq in range(q, q + b):
                mt |= anchors_t[qq, kind]
            tot = _popcount(ms) + _popcount(mt)
            if tot > 0:
                sc += w_anchor[kind] * (2.0 * _popcount(ms & mt) / tot - 0.5)
    # a link should not straddle a paragraph break on one side only
    if w_para > 0 and (ps[p] != ps[p + a - 1]) != (pt[q] != pt[q + b - 1]):
        sc -= w_para
    return sc


@njit(cache=True, nogil=True)
def _popcount(x):
    c = 0
    while x:
        x &= x - np.uint64(1)
        c += 1
    return c


@njit(cache=True, nogil=True)
def link_stats(path, S, slo, width, ws, wt, ns, nt, cbgs, cbgt, ls, lt, ps, pt, ratio, var, w_len, w_para,
               size_off, anchors_s, anchors_t, w_anchor):
    """For each move of a path: (cosine of the two sides, link score); for 1-0/0-1 moves, the best
    similarity the lone sentence has in the band and that sentence's margin."""
    k_all = path.shape[0]
    out = np.zeros((k_all, 2))
    i = 0
    j = 0
    m = slo.shape[0]
    for r in range(k_all):
        a = path[r, 0]
        b = path[r, 1]
        if a > 0 and b > 0:
            dot = 0.0
            for p in range(i, i + a):
                for q in range(j, j + b):
                    k = q - slo[p]
                    sim = S[p, k] if 0 <= k < width else -1.0
                    dot += ws[p] * wt[q] * sim
            den = ns[i, a - 1] * nt[j, b - 1]
            out[r, 0] = dot / den if den > 0 else 0.0
            out[r, 1] = link_score(dot, den, cbgs, cbgt, ls, lt, ps, pt, ratio, var, w_len, w_para, size_off,
                                   anchors_s, anchors_t, w_anchor, i, a, j, b)
        elif a > 0:
            best = -1.0
            for k in range(width):
                if S[i, k] > best:
                    best = S[i, k]
            out[r, 0] = best
            out[r, 1] = best - (cbgs[i + 1] - cbgs[i])
        else:
            best = -1.0
            for p in range(m):
                k = j - slo[p]
                if 0 <= k < width and S[p, k] > best:
                    best = S[p, k]
            out[r, 0] = best
            out[r, 1] = best - (cbgt[j + 1] - cbgt[j])
        i += a
        j += b
    return out


@njit(cache=True, nogil=True)
def backtrack(back, blo, n, m):
    """The path as an array of (a, b) moves from (0, 0) to (n, m)."""
    out_a = []
    out_b = []
    i = n
    j = m
    while i > 0 or j > 0:
        code = back[i, j - blo[i]]
        if code < 0:
            break
        a = code // 16
        b = code % 16
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
