"""Sentence alignment from embeddings: `align_embeddings(src_emb, tgt_emb, ...) -> list[Link]`.

How it works:
1. Small pairs (lattice under `full_dp_cells`) are aligned with one exact DP over the whole lattice.
2. Larger pairs go coarse-to-fine (in the spirit of vecalign's recursive downsampling): the
   embeddings are summed over blocks of `coarse_factor` sentences, the coarse pair is aligned
   (recursively), and its path, projected back, defines a narrow band in which the fine DP runs.
   Time and memory are O((n + m) * band width), never O(n * m).
3. A link's score is the cosine of the (length-weighted) mean embeddings of its two sides minus a
   local background (the mean of each sentence's best few similarities inside the band: a
   margin, as in Bertalign/LASER mining), minus a Gale-Church length prior, minus a penalty for
   straddling a paragraph break on one side only; links count by the sentences they cover, so a
   merge competes fairly with the split it replaces. Omissions and additions score `skip`. Each
   member of a merged side must match the other side's block better than its own background
   (`w_member`): a sentence joined to the wrong neighbour, or left out of the translation, pays.
4. A link boundary costs something where the sentences across it still match (`w_cut`) and where
   one side was cut where no sentence ends (inside brackets, after an initial) and the other not
   (`w_continuation`; needs the texts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from workbench.records import Link


@dataclass(frozen=True)
class AlignConfig:
    max_group: int = 4           # sentences per side in one link (as Bertalign and vecalign)
    skip: float = -0.03          # score of a 1-0 or 0-1 link, on the margin scale
    w_len: float = 0.004         # weight of the squared length deviation (Gale-Church delta)
    short_chars: int = 10        # sentences shorter than this are cheaper to leave unaligned
    length_var: float = 6.8      # Gale-Church variance per character
    w_para: float = 0.03         # penalty: link crosses a paragraph break on one side only
    w_cut: float = 1.0           # penalty when the sentences across a link boundary still match
    w_continuation: float = 0.2  # penalty: link boundary where one side only was cut inside a sentence
                                 # (brackets, an initial; needs the texts)
    w_numbers: float = 0.02      # weight of numbers shared by the two sides (Dice)
    w_names: float = 0.02        # weight of capitalised names shared by the two sides (Dice)
    length_weight_power: float = 1.0  # block embedding = mean weighted by length**power (1: like encoding the concatenation)
    background_k: int = 4        # neighbours in the background (margin)
    background_sample: int = 256  # sentences of the other side sampled for the background, beyond the band
    full_dp_cells: int = 250_000  # exact DP over the whole lattice below this size
    coarse_factor: int = 4       # sentences per block at each coarser level
    band_halfwidth: int = 8      # extra sentences each side of the projected coarse path
    max_band_cells: int = 8_000_000  # rectangles between sure coarse links widen the band up to this
                                     # many cells (rows x width, ~14 bytes a cell)
    refine_budget: float = 0.03  # second pass (needs texts + encoder): share of the text re-encoded as
                                 # concatenations for uncertain merges; 0 = off. 3% of the encoding time, which
                                 # with scoring's 5% keeps a scored run within 10% of encoding each sentence once
    refine_gap: float = 0.05     # ... for alternatives scoring within this of the best path
    w_member: float = 0.1        # penalty per unit a merged side's member falls below its own background

    def describe(self) -> dict[str, object]:
        return asdict(self)


def align_embeddings(
    src_emb: np.ndarray,
    tgt_emb: np.ndarray,
    src_lens: Sequence[int] | None = None,
    tgt_lens: Sequence[int] | None = None,
    src_paras: Sequence[int] | None = None,
    tgt_paras: Sequence[int] | None = None,
    config: AlignConfig | None = None,
    src_anchors: np.ndarray | None = None,
    tgt_anchors: np.ndarray | None = None,
    src_texts: Sequence[str] | None = None,
    tgt_texts: Sequence[str] | None = None,
    encoder=None,
    report: dict | None = None,
) -> list[Link]:
    """Align two sequences of sentence embeddings; every sentence is in exactly one link, in order.

    With the texts and an encoder (`.encode(list[str]) -> unit vectors`), a second pass
    re-decides the uncertain stretches with encoded concatenations (see `refine.py`), encoding
    at most `config.refine_budget * (n + m)` extra texts; `report`, if given, receives its counts.
    """
    cfg = config or AlignConfig()
    src_emb = np.ascontiguousarray(src_emb, dtype=np.float32)
    tgt_emb = np.ascontiguousarray(tgt_emb, dtype=np.float32)
    n, m = len(src_emb), len(tgt_emb)
    if n == 0 or m == 0:
        return [Link((i,), (), 0.0, 1.0) for i in range(n)] + [Link((), (j,), 0.0, 1.0) for j in range(m)]
    ls = np.asarray(src_lens if src_lens is not None else np.ones(n), dtype=np.float64)
    lt = np.asarray(tgt_lens if tgt_lens is not None else np.ones(m), dtype=np.float64)
    ps = np.asarray(src_paras if src_paras is not None else np.zeros(n), dtype=np.int64)
    pt = np.asarray(tgt_paras if tgt_paras is not None else np.zeros(m), dtype=np.int64)
    an_s = np.ascontiguousarray(src_anchors if src_anchors is not None else np.zeros((n, 2)), dtype=np.uint64)
    an_t = np.ascontiguousarray(tgt_anchors if tgt_anchors is not None else np.zeros((m, 2)), dtype=np.uint64)
    brk_s, brk_t = np.zeros(n + 1), np.zeros(m + 1)
    if src_texts is not None and tgt_texts is not None and cfg.w_continuation > 0:
        from workbench.align.anchors import continuations

        brk_s[:n] = cfg.w_continuation * continuations(list(src_texts))
        brk_t[:m] = cfg.w_continuation * continuations(list(tgt_texts))
    path, ctx = _align_level(src_emb, tgt_emb, np.maximum(ls, 1.0), np.maximum(lt, 1.0), ps, pt, cfg,
                              cfg.max_group, use_paras=True, an_s=an_s, an_t=an_t, brk_s=brk_s, brk_t=brk_t)
    if encoder is not None and src_texts is not None and tgt_texts is not None and cfg.refine_budget > 0:
        from workbench.align.dp import link_stats
        from workbench.align.refine import refine_path

        st = ctx[2]
        path, info = refine_path(path, st, list(src_texts), list(tgt_texts), encoder, cfg.refine_budget,
                                 cfg.refine_gap)
        if report is not None:
            report.update(info)
        stats = link_stats(path, st["S"], st["slo"], st["width"], st["ws"], st["wt"], st["ns"], st["nt"],
                           st["cbgs"], st["cbgt"], st["cls_"], st["clt_"], st["ps"], st["pt"], st["ratio"],
                           cfg.length_var, cfg.w_len, st["w_para"], st["size_off"], st["an_s"], st["an_t"],
                           st["w_anchor"])
        ctx = (stats, cfg, st)
    return _path_to_links(path, ctx)


# ----------------------------------------------------------------------------------------------


def _moves(max_group: int) -> np.ndarray:
    moves = [(1, 0), (0, 1)]
    moves += [(a, b) for a in range(1, max_group + 1) for b in range(1, max_group + 1)]
    return np.array(moves, dtype=np.int64)


def _block_norms(emb: np.ndarray, w: np.ndarray, g: int) -> np.ndarray:
    """norms[i, k] = |sum_{p=i}^{i+k} w_p e_p| for k < g (0 past the end)."""
    n = len(emb)
    out = np.zeros((n, g), dtype=np.float64)
    acc = np.zeros_like(emb, dtype=np.float64)
    for k in range(g):
        if k >= n:
            break
        acc[: n - k] += w[k:, None] * emb[k:]
        out[: n - k, k] = np.linalg.norm(acc[: n - k], axis=1)
    return out


def _downsample(emb: np.ndarray, lens: np.ndarray, f: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(emb)
    nb = (n + f - 1) // f
    pad = nb * f - n
    e = np.concatenate([emb * lens[:, None], np.zeros((pad, emb.shape[1]), emb.dtype)]).reshape(nb, f, -1).sum(1)
    e /= np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-9)
    ln = np.concatenate([lens, np.zeros(pad)]).reshape(nb, f).sum(1)
    return e.astype(np.float32), ln


def _project_band(path: np.ndarray, f: int, n: int, m: int, h: int, sure: np.ndarray | None = None,
                  max_width: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Fine-lattice band around a coarse path (moves), widened by h sentences each way.

    `sure` marks the coarse links that stand out from their background. Between two sure links the
    band holds the whole rectangle they enclose: at the coarse level a long omission or addition is
    smeared into a run of weak links that cut its corner, and the true path there may lie far
    outside a corridor around them (Bertalign searches between anchors the same way). A rectangle
    wider than `max_width` target sentences (two unrelated texts have few sure links) stays a
    corridor, so the band's memory stays bounded."""
    pmin = np.full(n + 1, m, dtype=np.int64)
    pmax = np.zeros(n + 1, dtype=np.int64)
    i = j = 0
    last = (0, 0)  # the node after the last sure link
    for k, (a, b) in enumerate(path):
        i0, i1 = min(i * f, n), min((i + a) * f, n)
        j0, j1 = min(j * f, m), min((j + b) * f, m)
        pmin[i0:i1 + 1] = np.minimum(pmin[i0:i1 + 1], j0)
        pmax[i0:i1 + 1] = np.maximum(pmax[i0:i1 + 1], j1)
        if sure is not None and (sure[k] or k == len(path) - 1):
            li, lj = last
            if i0 - li > f and (max_width is None or j1 - lj + 2 * h <= max_width):
                # weak links since the last sure one: open the rectangle between them
                pmin[li:i1 + 1] = np.minimum(pmin[li:i1 + 1], lj)
                pmax[li:i1 + 1] = np.maximum(pmax[li:i1 + 1], j1)
            last = (i1, j1)
        i, j = i + a, j + b
    pmin[n] = min(pmin[n], m)
    pmax[n] = m
    pmin[0] = 0
    # widen: the band at row i covers the path at rows i-h..i+h, plus h columns each side
    from numpy.lib.stride_tricks import sliding_window_view

    lo_pad = np.concatenate([np.full(h, pmin[0]), pmin, np.full(h, pmin[-1])])
    hi_pad = np.concatenate([np.full(h, pmax[0]), pmax, np.full(h, pmax[-1])])
    blo = sliding_window_view(lo_pad, 2 * h + 1).min(axis=1) - h
    bhi = sliding_window_view(hi_pad, 2 * h + 1).max(axis=1) + h
    blo = np.clip(blo, 0, m)
    bhi = np.clip(bhi, 0, m)
    blo[0] = 0
    bhi[n] = m
    return np.maximum.accumulate(blo), np.maximum.accumulate(bhi)


def _sample_ids(n: int, k: int) -> np.ndarray:
    """Evenly spread sentence ids (deterministic: the same input always aligns the same way)."""
    if n <= k:
        return np.arange(n, dtype=np.int64)
    return np.linspace(0, n - 1, k).round().astype(np.int64)


def _size_offsets(src, tgt, ws, wt, g: int, samples: int = 2000, seed: int = 0) -> np.ndarray:
    """How much more similar unrelated blocks of a x b sentences are than unrelated single
    sentences, measured on this document: longer texts look alike, so a merge must beat
    its own inflated background, not the single sentences' one.

    Medians over `samples` random (source, target) positions, the same positions for every
    shape, so the differences between shapes are not sampling noise: drawn independently, a few
    hundred samples made the offsets, and with them the merges, drift by several links on a
    500-sentence document from one seed to the next.
    """
    rng = np.random.default_rng(seed)
    n, m = len(src), len(tgt)
    base = np.zeros((g, g))
    if n < 2 or m < 2:
        return base
    ga, gb = min(g, n), min(g, m)
    i = rng.integers(0, n - ga + 1, samples)
    j = rng.integers(0, m - gb + 1, samples)
    blocks_t = []
    vt = np.zeros((samples, tgt.shape[1]), dtype=np.float32)
    for b in range(gb):
        vt = vt + wt[j + b, None].astype(np.float32) * tgt[j + b]
        blocks_t.append(vt / (np.linalg.norm(vt, axis=1, keepdims=True) + 1e-12))
    vs = np.zeros((samples, src.shape[1]), dtype=np.float32)
    for a in range(ga):
        vs = vs + ws[i + a, None].astype(np.float32) * src[i + a]
        unit = vs / (np.linalg.norm(vs, axis=1, keepdims=True) + 1e-12)
        for b, ut in enumerate(blocks_t):
            base[a, b] = float(np.median(np.einsum("ij,ij->i", unit, ut)))
    return base - base[0, 0]


def _align_level(src, tgt, ls, lt, ps, pt, cfg: AlignConfig, g: int, use_paras: bool, an_s=None, an_t=None,
                 brk_s=None, brk_t=None):
    from workbench.align.dp import backtrack, band_background, band_dp, band_similarities, link_stats

    n, m = len(src), len(tgt)
    brk_s = np.zeros(n + 1) if brk_s is None else brk_s
    brk_t = np.zeros(m + 1) if brk_t is None else brk_t
    if (n + 1) * (m + 1) <= cfg.full_dp_cells or min(n, m) <= 2 * cfg.coarse_factor:
        blo = np.zeros(n + 1, dtype=np.int64)
        bhi = np.full(n + 1, m, dtype=np.int64)
    else:
        f = cfg.coarse_factor
        cs, cls = _downsample(src, ls, f)
        ct, clt = _downsample(tgt, lt, f)
        cpath, cctx = _align_level(cs, ct, cls, clt, np.zeros(len(cs), np.int64), np.zeros(len(ct), np.int64),
                                   cfg, 2, use_paras=False)  # no anchors at the coarse level
        # sure coarse links: both sides, scoring above their local background
        sure = (cpath[:, 0] > 0) & (cpath[:, 1] > 0) & (cctx[0][:, 1] > 0)
        h = cfg.band_halfwidth + f
        blo, bhi = _project_band(cpath, f, n, m, h, sure, max(cfg.max_band_cells // (n + 1), 4 * h))
    # target columns each source sentence can meet in any move of the band
    slo = np.maximum(blo[:-1] - g, 0)
    top_row = np.minimum(np.arange(n) + g, n)
    shi = np.minimum(bhi[top_row] + g, m)
    width = int(max(1, (shi - slo).max()))
    S = band_similarities(src, tgt, slo, width)
    ws = ls ** cfg.length_weight_power
    wt = lt ** cfg.length_weight_power
    ws = np.ascontiguousarray(ws / ws.mean(), dtype=np.float64)
    wt = np.ascontiguousarray(wt / wt.mean(), dtype=np.float64)
    ns = _block_norms(src, ws, g)
    nt = _block_norms(tgt, wt, g)
    idx_s = _sample_ids(n, cfg.background_sample)
    idx_t = _sample_ids(m, cfg.background_sample)
    bgs, bgt = band_background(S, slo, width, m, cfg.background_k, src @ tgt[idx_t].T, tgt @ src[idx_s].T,
                               idx_s, idx_t)
    cbgs = np.concatenate([[0.0], np.cumsum(bgs)])
    cbgt = np.concatenate([[0.0], np.cumsum(bgt)])
    cls_ = np.concatenate([[0.0], np.cumsum(ls)])
    clt_ = np.concatenate([[0.0], np.cumsum(lt)])
    ratio = float(clt_[-1] / max(cls_[-1], 1.0))
    w_para = cfg.w_para if use_paras else 0.0
    size_off = _size_offsets(src, tgt, ws, wt, g)
    if an_s is None:
        an_s, an_t, w_anchor = np.zeros((n, 2), np.uint64), np.zeros((m, 2), np.uint64), np.zeros(2)
    else:
        w_anchor = np.array([cfg.w_numbers, cfg.w_names])
    args = (cbgs, cbgt, cls_, clt_, ps, pt, ratio, cfg.length_var)
    # leaving a sentence out costs `skip`; a scrap of a few characters (a page number, a rule of
    # dots) costs proportionally less, so it is left out rather than glued onto a neighbour
    skip_s = cfg.skip * np.minimum(1.0, ls / cfg.short_chars) if cfg.short_chars > 0 else np.full(n, cfg.skip)
    skip_t = cfg.skip * np.minimum(1.0, lt / cfg.short_chars) if cfg.short_chars > 0 else np.full(m, cfg.skip)
    fwd, back = band_dp(S, slo, width, blo, bhi, g, ws, wt, ns, nt, *args, skip_s, skip_t, cfg.w_len, w_para,
                        size_off, an_s, an_t, w_anchor, cfg.w_cut if use_paras else 0.0, brk_s, brk_t, cfg.w_member)
    path = backtrack(back, blo, n, m)
    stats = link_stats(path, S, slo, width, ws, wt, ns, nt, *args, cfg.w_len, w_para, size_off, an_s, an_t, w_anchor)
    state = dict(cfg=cfg, S=S, slo=slo, width=width, ns=ns, nt=nt, src=src, tgt=tgt, ls=ls, lt=lt, ps=ps, pt=pt, g=g, blo=blo, bhi=bhi, fwd=fwd, ws=ws, wt=wt,
                 bgs=bgs, bgt=bgt, cbgs=cbgs, cbgt=cbgt, cls_=cls_, clt_=clt_, ratio=ratio, w_para=w_para,
                 size_off=size_off, an_s=an_s, an_t=an_t, w_anchor=w_anchor, skip_s=skip_s, skip_t=skip_t,
                 brk_s=brk_s, brk_t=brk_t)
    return path, (stats, cfg, state)


def _path_to_links(path: np.ndarray, ctx) -> list[Link]:
    """Links with their similarity and a confidence: how far the link's score is above what
    leaving its sentences unaligned would score (for 1-0/0-1: how far below a link it is)."""
    stats, cfg = ctx[0], ctx[1]
    scale = 0.02  # the margin scale of e5-like encoders: 0.02 above the skip score is fairly sure
    a, b = path[:, 0], path[:, 1]
    both = (a > 0) & (b > 0)
    margin = np.where(both, stats[:, 1] - cfg.skip * (a + b), cfg.skip * 2 - stats[:, 1]) / scale
    conf = np.round(1.0 / (1.0 + np.exp(-np.clip(margin, -50.0, 50.0))), 6).tolist()
    sims = np.round(np.maximum(stats[:, 0], 0.0), 6).tolist()
    ends_s, ends_t = np.cumsum(a).tolist(), np.cumsum(b).tolist()
    links: list[Link] = []
    i = j = 0
    for k, (ei, ej) in enumerate(zip(ends_s, ends_t, strict=True)):
        links.append(Link(tuple(range(i, ei)), tuple(range(j, ej)), sims[k], conf[k]))
        i, j = ei, ej
    return links
