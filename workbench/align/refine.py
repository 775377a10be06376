"""Second pass: re-decide the uncertain stretches of an alignment with encoded concatenations.

The first pass scores a merged block (2-1, 1-2, 2-3, ...) by the length-weighted mean of its
sentence embeddings. That is a cheap stand-in for what an encoder says about the concatenated
text, and it is where most remaining errors are (merges split or grouped differently, merge
boundaries shifted by one sentence). Encoding every candidate concatenation (Bertalign) costs
several times the encoding of the document, so here only the candidates that matter are encoded:

1. A backward DP (the forward one on the reversed problem) gives, with the forward scores,
   the best total score of any path through each lattice node and each link (max-marginals).
2. Links within `gap` of the best path that are not on it are the live alternatives; each
   needs the multi-sentence sides of itself and of the path links it competes with (the path
   segment between the nearest path nodes that enclose it). Alternatives are taken closest
   first while the encoding budget (a fraction of the sentence count) lasts.
3. Each such stretch is re-solved exactly, between its enclosing path nodes, with the cosines
   of the encoded concatenations in place of the averaged ones (every other term of the link
   score unchanged); links whose multi-sentence sides were not encoded are not allowed there,
   so encoded and averaged cosines never compete.
"""

from __future__ import annotations

import numpy as np

from workbench.align.dp import (
    NEG,
    band_dp,
    band_similarities,
    continuation_cost,
    cut_cost,
    cut_table,
    link_score,
)


def _backward(st: dict, g: int) -> np.ndarray:
    """bwd[i, j - blo[i]]: best score from lattice node (i, j) to (n, m), via the forward DP on
    the reversed sequences (every term of the link score is reversal-invariant)."""
    from workbench.align.aligner import _block_norms

    src, tgt, blo, bhi = st["src"], st["tgt"], st["blo"], st["bhi"]
    n, m = len(src), len(tgt)
    blo_r = (m - bhi[::-1]).astype(np.int64)
    bhi_r = (m - blo[::-1]).astype(np.int64)
    src_r = np.ascontiguousarray(src[::-1])
    tgt_r = np.ascontiguousarray(tgt[::-1])
    slo = np.maximum(blo_r[:-1] - g, 0)
    top_row = np.minimum(np.arange(n) + g, n)
    shi = np.minimum(bhi_r[top_row] + g, m)
    width = int(max(1, (shi - slo).max()))
    S = band_similarities(src_r, tgt_r, slo, width)
    ws = np.ascontiguousarray(st["ws"][::-1])
    wt = np.ascontiguousarray(st["wt"][::-1])
    ns, nt = _block_norms(src_r, ws, g), _block_norms(tgt_r, wt, g)
    cum = lambda x: np.concatenate([[0.0], np.cumsum(x[::-1])])  # noqa: E731
    cfg = st["cfg"]
    score, _ = band_dp(S, slo, width, blo_r, bhi_r, g, ws, wt, ns, nt, cum(st["bgs"]), cum(st["bgt"]),
                       cum(st["ls"]), cum(st["lt"]), np.ascontiguousarray(st["ps"][::-1]),
                       np.ascontiguousarray(st["pt"][::-1]), st["ratio"], cfg.length_var,
                       np.ascontiguousarray(st["skip_s"][::-1]), np.ascontiguousarray(st["skip_t"][::-1]),
                       cfg.w_len, st["w_para"], st["size_off"], np.ascontiguousarray(st["an_s"][::-1]),
                       np.ascontiguousarray(st["an_t"][::-1]), st["w_anchor"], cfg.w_cut,
                       np.ascontiguousarray(st["brk_s"][::-1]), np.ascontiguousarray(st["brk_t"][::-1]), cfg.w_member)
    # re-index to the forward lattice: node (i, j) is node (n - i, m - j) of the reversed one;
    # a node's own boundary cost (subtracted in both passes) is given back to the backward one
    out = np.full_like(st["fwd"], NEG)
    cuts = cut_table(st["S"], st["slo"], st["width"], st["cbgs"], st["cbgt"], blo, bhi, m, cfg.w_cut)
    for i in range(n + 1):
        js = np.arange(blo[i], bhi[i] + 1)
        ir = n - i
        out[i, js - blo[i]] = score[ir, (m - js) - blo_r[ir]] + cuts[i, js - blo[i]]
    return out


def _score(st: dict, p: int, a: int, q: int, b: int, cos: float) -> float:
    """A link's score as the main DP gives it, with `cos` for its sides' similarity."""
    cfg = st["cfg"]
    return link_score(cos, 1.0, st["cbgs"], st["cbgt"], st["cls_"], st["clt_"], st["ps"], st["pt"], st["ratio"],
                      cfg.length_var, cfg.w_len, st["w_para"], st["size_off"], st["an_s"], st["an_t"],
                      st["w_anchor"], p, a, q, b) - continuation_cost(st["brk_s"], st["brk_t"], p, q, p + a, q + b)


def _mean_cos(st: dict, p: int, a: int, q: int, b: int) -> float:
    vs = (st["ws"][p:p + a, None] * st["src"][p:p + a]).sum(0)
    vt = (st["wt"][q:q + b, None] * st["tgt"][q:q + b]).sum(0)
    return float(vs @ vt / (np.linalg.norm(vs) * np.linalg.norm(vt) + 1e-12))


def refine_path(path: np.ndarray, st: dict, src_texts, tgt_texts, encoder, budget: float, gap: float,
                joiner: str = " ") -> tuple[np.ndarray, dict]:
    """The path with its uncertain stretches re-decided on encoded concatenations, and a report."""
    g = st["g"]
    src, tgt, blo, bhi, fwd = st["src"], st["tgt"], st["blo"], st["bhi"], st["fwd"]
    n, m = len(src), len(tgt)
    # the budget is in characters: encoding time grows with the text encoded, and concatenations are long
    max_chars = budget * (float(st["ls"].sum()) + float(st["lt"].sum()))
    cost = lambda key: float((st["ls"] if key[0] == 0 else st["lt"])[key[1]:key[1] + key[2]].sum()) + key[2] - 1  # noqa: E731
    info = {"encoded": 0, "regions": 0, "changed_links": 0}
    if max_chars <= 0 or n == 0 or m == 0:
        return path, info
    bwd = _backward(st, g)
    best = float(fwd[n, m - blo[n]])

    # path nodes and the path link leaving each
    nodes = [(0, 0)]
    for a, b in path.tolist():
        i, j = nodes[-1]
        nodes.append((i + a, j + b))
    on_path = {(nodes[k], tuple(path[k])) for k in range(len(path))}
    node_i = np.array([x[0] for x in nodes])
    node_j = np.array([x[1] for x in nodes])
    # live alternatives: links (not on the path) on some path within `gap` of the best
    alts = []
    live = (fwd > NEG / 2) & (bwd > NEG / 2) & (fwd + bwd >= best - gap)  # nodes on a near-best path
    for ii, jj in zip(*np.nonzero(live), strict=True):
        i, j, f = int(ii), int(jj + blo[ii]), fwd[ii, jj]
        for a in range(1, min(g, n - i) + 1):
            for b in range(1, min(g, m - j) + 1):
                if a == 1 and b == 1 or ((i, j), (a, b)) in on_path:
                    continue
                if not (blo[i + a] <= j + b <= bhi[i + a]) or not live[i + a, j + b - blo[i + a]]:
                    continue  # the end of a near-best link is on a near-best path too
                tot = f + _score(st, i, a, j, b, _mean_cos(st, i, a, j, b)) + bwd[i + a, j + b - blo[i + a]]
                if tot >= best - gap:
                    alts.append((best - tot, i, a, j, b))
    alts.sort()
    # take alternatives closest first; each brings the path segment that encloses it
    blocks: set[tuple[int, int, int]] = set()  # (side, start, size) with size >= 2
    segs: list[tuple[int, int]] = []
    spent = 0.0

    def need(i, a, j, b):
        out = set()
        if a >= 2:
            out.add((0, i, a))
        if b >= 2:
            out.add((1, j, b))
        return out

    for _, i, a, j, b in alts:
        s = int(np.nonzero((node_i <= i) & (node_j <= j))[0].max())
        e = int(np.nonzero((node_i >= i + a) & (node_j >= j + b))[0].min())
        want = need(i, a, j, b)
        for k in range(s, e):
            pa, pb = path[k]
            want |= need(node_i[k], pa, node_j[k], pb)
        extra = sum(cost(k) for k in want - blocks)
        if spent + extra > max_chars:
            continue
        spent += extra
        blocks |= want
        segs.append((s, e))
    if not segs:
        return path, info
    # encode the selected concatenations in one call
    keys = sorted(blocks)
    texts = [joiner.join((src_texts if side == 0 else tgt_texts)[p:p + size]) for side, p, size in keys]
    vecs = np.asarray(encoder.encode(texts), dtype=np.float64)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    emb = dict(zip(keys, vecs, strict=True))
    info["encoded"] = len(keys)
    info["encoded_chars"] = sum(len(t) for t in texts)
    # merge overlapping segments and re-solve each one exactly between its end nodes
    segs.sort()
    merged = [list(segs[0])]
    for s, e in segs[1:]:
        if s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    info["regions"] = len(merged)
    new_path: list[tuple[int, int]] = []
    last = 0
    for s, e in merged:
        new_path += [tuple(x) for x in path[last:s].tolist()]
        local = _local_dp(st, emb, node_i[s], node_j[s], node_i[e], node_j[e], g)
        old = [tuple(x) for x in path[s:e].tolist()]
        if local is None:
            local = old
        info["changed_links"] += len(set(local) ^ set(old)) if local != old else 0
        new_path += local
        last = e
    new_path += [tuple(x) for x in path[last:].tolist()]
    return np.array(new_path, dtype=np.int64).reshape(-1, 2), info


def _side_vec(st, emb, side, p, size):
    if size == 1:
        return (st["src"] if side == 0 else st["tgt"])[p].astype(np.float64)
    return emb.get((side, p, size))


def _local_dp(st, emb, i0, j0, i1, j1, g):
    """Exact best path from node (i0, j0) to (i1, j1); multi-sentence sides must be encoded."""
    h, w = i1 - i0, j1 - j0
    score = np.full((h + 1, w + 1), NEG)
    back = np.zeros((h + 1, w + 1, 2), dtype=np.int64)
    score[0, 0] = 0.0
    for di in range(h + 1):
        for dj in range(w + 1):
            if di == 0 and dj == 0:
                continue
            i, j = i0 + di, j0 + dj
            best, arg = NEG, (0, 0)
            if di >= 1 and score[di - 1, dj] > NEG / 2:
                v = score[di - 1, dj] + st["skip_s"][i - 1]
                if v > best:
                    best, arg = v, (1, 0)
            if dj >= 1 and score[di, dj - 1] > NEG / 2:
                v = score[di, dj - 1] + st["skip_t"][j - 1]
                if v > best:
                    best, arg = v, (0, 1)
            for a in range(1, min(g, di) + 1):
                for b in range(1, min(g, dj) + 1):
                    prev = score[di - a, dj - b]
                    if prev <= NEG / 2:
                        continue
                    vs = _side_vec(st, emb, 0, i - a, a)
                    vt = _side_vec(st, emb, 1, j - b, b)
                    if vs is None or vt is None:
                        continue
                    v = prev + _score(st, i - a, a, j - b, b, float(vs @ vt))
                    if v > best:
                        best, arg = v, (a, b)
            if best > NEG / 2:  # the same boundary cost as the main DP
                best -= cut_cost(st["S"], st["slo"], st["width"], st["cbgs"], st["cbgt"], i, j,
                                 len(st["src"]), len(st["tgt"]), st["cfg"].w_cut)
            score[di, dj] = best
            back[di, dj] = arg
    if score[h, w] <= NEG / 2:
        return None
    out = []
    di, dj = h, w
    while di > 0 or dj > 0:
        a, b = back[di, dj]
        out.append((int(a), int(b)))
        di, dj = di - a, dj - b
    return out[::-1]
