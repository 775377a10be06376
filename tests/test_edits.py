"""Alignment edits: each keeps every sentence in exactly one link, in order; random sequences too."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import edits
from workbench.edits import EditError, check_invariant
from workbench.records import Document

SRC = [f"Source sentence {i}." for i in range(8)]
TGT = [f"Phrase cible {i}." for i in range(7)]


def make_table(links: list[tuple[list[int], list[int]]], label: str = "equivalent") -> pd.DataFrame:
    rows = []
    for k, (s, t) in enumerate(links):
        lab = "omission" if not t else "addition" if not s else label
        rows.append({"link": k, "src_ids": list(s), "tgt_ids": list(t), "src_text": " ".join(SRC[i] for i in s),
                     "tgt_text": " ".join(TGT[i] for i in t), "similarity": 0.9, "confidence": 0.9,
                     "fidelity": 0.0 if lab in ("omission", "addition") else 0.9, "label": lab, "flags": "[]"})
    return edits.prepare(pd.DataFrame(rows))


BASE = [([0], [0]), ([1, 2], [1]), ([3], []), ([4], [2]), ([], [3]), ([5], [4, 5]), ([6, 7], [6])]


@pytest.fixture
def table() -> pd.DataFrame:
    return make_table(BASE)


def ids(table: pd.DataFrame) -> list[tuple[list[int], list[int]]]:
    return [(list(s), list(t)) for s, t in zip(table["src_ids"], table["tgt_ids"], strict=True)]


def test_base_is_valid(table):
    check_invariant(table, len(SRC), len(TGT))


def test_merge(table):
    out = edits.merge_links(table, 2, SRC, TGT)
    check_invariant(out, len(SRC), len(TGT))
    assert ids(out)[2] == ([3, 4], [2])
    assert out.at[2, "src_text"] == "Source sentence 3. Source sentence 4."
    assert out.at[2, "tgt_text"] == "Phrase cible 2."
    assert list(out["link"]) == list(range(len(out)))
    assert bool(out.at[2, "edited"])
    assert len(table) == len(BASE)  # the input is not modified
    with pytest.raises(EditError, match="last link"):
        edits.merge_links(table, len(BASE) - 1, SRC, TGT)
    with pytest.raises(EditError, match="no link 99"):
        edits.merge_links(table, 99, SRC, TGT)


def test_split_many_to_one(table):
    out = edits.split_link(table, 1, 1, 1, SRC, TGT)  # [1,2]:[1] -> [1]:[1], [2]:[]
    check_invariant(out, len(SRC), len(TGT))
    assert ids(out)[1:3] == [([1], [1]), ([2], [])]
    assert out.at[2, "label"] == "omission"
    assert out.at[2, "tgt_text"] == ""
    with pytest.raises(EditError, match="empty link"):
        edits.split_link(table, 1, 0, 0, SRC, TGT)
    with pytest.raises(EditError, match="cannot split"):
        edits.split_link(table, 1, 3, 0, SRC, TGT)


def test_move(table):
    out = edits.move_sentence(table, 1, "src", "next", SRC, TGT)  # 2 goes to the omission link [3]
    check_invariant(out, len(SRC), len(TGT))
    assert ids(out)[1:3] == [([1], [1]), ([2, 3], [])]
    out = edits.move_sentence(table, 2, "src", "prev", SRC, TGT)  # link 2 empties and disappears
    check_invariant(out, len(SRC), len(TGT))
    assert ids(out)[1] == ([1, 2, 3], [1]) and len(out) == len(BASE) - 1
    with pytest.raises(EditError, match="no target sentence"):
        edits.move_sentence(table, 2, "tgt", "next", SRC, TGT)
    with pytest.raises(EditError, match="first link"):
        edits.move_sentence(table, 0, "src", "prev", SRC, TGT)


def test_relabel_and_comment(table):
    out = edits.relabel(table, 0, "major")
    assert out.at[0, "label"] == "major" and out.at[0, "human_label"] == "major"
    assert out.at[0, "auto_label"] == "equivalent"
    back = edits.relabel(out, 0, "")
    assert back.at[0, "label"] == "equivalent" and back.at[0, "human_label"] == ""
    with pytest.raises(EditError, match="unknown label"):
        edits.relabel(table, 0, "awful")
    with pytest.raises(EditError, match="cannot be an omission"):
        edits.relabel(table, 0, "omission")
    with pytest.raises(EditError, match="empty side"):
        edits.relabel(table, 2, "minor")
    # back to automatic after a split left the link one-sided: omission, not the scorer's old label
    split = edits.split_link(table, 1, 1, 1, SRC, TGT)   # [1,2]:[1] -> [1]:[1], [2]:[]
    assert edits.relabel(split, 2, "").at[2, "label"] == "omission"
    c = edits.set_comment(table, 3, "  check the <b>name</b>  ")
    assert c.at[3, "comment"] == "check the <b>name</b>" and bool(c.at[3, "edited"])
    merged = edits.merge_links(edits.set_comment(c, 2, "first"), 2, SRC, TGT)
    assert merged.at[2, "comment"] == "first | check the <b>name</b>"


def test_apply_and_replay(table):
    log = [{"op": "merge", "link": 0}, {"op": "relabel", "link": 0, "label": "minor"},
           {"op": "split", "link": 0, "src_at": 1, "tgt_at": 1}, {"op": "comment", "link": 1, "text": "x"},
           {"op": "move", "link": 1, "side": "src", "to": "next"}]
    out = edits.replay(table, log, SRC, TGT)
    check_invariant(out, len(SRC), len(TGT))
    assert [edits.describe(e) for e in log][0] == "merged link 0 with link 1"
    with pytest.raises(EditError, match="unknown edit"):
        edits.apply_edit(table, {"op": "explode", "link": 0}, SRC, TGT)


def test_rescore_recomputes_merged_link_and_keeps_human_labels():
    rng = np.random.default_rng(0)
    src_emb = rng.normal(size=(len(SRC), 16)).astype(np.float32)
    tgt_emb = np.vstack([src_emb[[0]], src_emb[[1, 2]].mean(0, keepdims=True), src_emb[[4]], rng.normal(size=(1, 16)),
                         src_emb[[5]], src_emb[[5]], src_emb[[6, 7]].mean(0, keepdims=True)]).astype(np.float32)
    src_emb /= np.linalg.norm(src_emb, axis=1, keepdims=True)
    tgt_emb /= np.linalg.norm(tgt_emb, axis=1, keepdims=True)
    table = make_table(BASE)
    table = edits.relabel(table, 0, "minor")
    table = edits.merge_links(table, 2, SRC, TGT)
    res = edits.rescore(table, Document.from_texts(SRC, "en"), Document.from_texts(TGT, "fr"), src_emb, tgt_emb)
    out = res.table
    check_invariant(out, len(SRC), len(TGT))
    assert out.at[0, "label"] == "minor" and out.at[0, "human_label"] == "minor"
    assert out.at[2, "similarity"] == pytest.approx(float(
        (src_emb[[3, 4]].mean(0) / np.linalg.norm(src_emb[[3, 4]].mean(0))) @ tgt_emb[2]), abs=1e-4)
    assert out.at[2, "label"] in ("equivalent", "minor", "major")
    assert res.summary["labels"]["minor"] >= 1 and res.summary["human_labels"] == 1
    assert res.signature


# ------------------------------------------------------------------------------------------------
# property: any sequence of edits keeps the invariant

N_SRC, N_TGT = 12, 10
P_SRC = [f"s{i}" for i in range(N_SRC)]
P_TGT = [f"t{i}" for i in range(N_TGT)]


@st.composite
def alignments(draw) -> pd.DataFrame:
    """A random valid alignment of N_SRC x N_TGT sentences."""
    links, i, j = [], 0, 0
    while i < N_SRC or j < N_TGT:
        a = draw(st.integers(0, min(3, N_SRC - i)))
        b = draw(st.integers(0, min(3, N_TGT - j)))
        if a == 0 and b == 0:
            a = 1 if i < N_SRC else 0
            b = 1 if a == 0 else 0
        links.append((list(range(i, i + a)), list(range(j, j + b))))
        i, j = i + a, j + b
    rows = [{"link": k, "src_ids": s, "tgt_ids": t, "src_text": " ".join(P_SRC[x] for x in s),
             "tgt_text": " ".join(P_TGT[x] for x in t), "similarity": 0.5, "confidence": 0.5, "fidelity": 0.5,
             "label": "omission" if not t else "addition" if not s else "minor", "flags": "[]"}
            for k, (s, t) in enumerate(links)]
    return edits.prepare(pd.DataFrame(rows))


edit_ops = st.one_of(
    st.builds(lambda k: {"op": "merge", "link": k}, st.integers(-1, 25)),
    st.builds(lambda k, a, b: {"op": "split", "link": k, "src_at": a, "tgt_at": b},
              st.integers(0, 25), st.integers(0, 4), st.integers(0, 4)),
    st.builds(lambda k, s, t: {"op": "move", "link": k, "side": s, "to": t},
              st.integers(0, 25), st.sampled_from(["src", "tgt"]), st.sampled_from(["prev", "next"])),
    st.builds(lambda k, lab: {"op": "relabel", "link": k, "label": lab}, st.integers(0, 25),
              st.sampled_from(["", "equivalent", "minor", "major", "omission", "addition"])),
    st.builds(lambda k, c: {"op": "comment", "link": k, "text": c}, st.integers(0, 25), st.text(max_size=20)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alignments(), st.lists(edit_ops, max_size=25))
def test_random_edit_sequences_keep_every_sentence_in_exactly_one_link(table, ops):
    check_invariant(table, N_SRC, N_TGT)
    original = table
    applied = []
    for op in ops:
        before = table
        try:
            table = edits.apply_edit(table, op, P_SRC, P_TGT)
        except EditError:
            assert table is before  # a refused edit changes nothing
            continue
        applied.append(op)
        check_invariant(table, N_SRC, N_TGT)
        assert list(table["link"]) == list(range(len(table)))
        for s, t, st_, tt in zip(table["src_ids"], table["tgt_ids"], table["src_text"], table["tgt_text"], strict=True):
            assert st_ == " ".join(P_SRC[x] for x in s) and tt == " ".join(P_TGT[x] for x in t)
        for s, t, lab in zip(table["src_ids"], table["tgt_ids"], table["label"], strict=True):
            if not t:
                assert lab == "omission"
            elif not s:
                assert lab == "addition"
    # the log of the accepted edits replays to the same alignment (this is how undo works)
    replayed = edits.replay(original, applied, P_SRC, P_TGT)
    assert ids(replayed) == ids(table)
    assert list(replayed["label"]) == list(table["label"])
