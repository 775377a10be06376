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


def test_confidence_is_high_on_clear_links_and_low_on_noise():
    rng = np.random.default_rng(5)
    src = unit(rng, 30)
    links = align_embeddings(src, src.copy())
    assert min(link.confidence for link in links) > 0.9
    assert all(link.kind == "1-1" for link in links)
