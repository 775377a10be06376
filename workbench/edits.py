"""Alignment edits a person makes in the review: merge, split, move a sentence, relabel, comment.

Every function takes a table (one row per link, `src_ids` / `tgt_ids` lists, as produced by the
pipeline) and returns a *new* table; the input is never modified. Structural edits keep the one
invariant of an alignment: every source and every target sentence id sits in exactly one link, and
reading the links in order reads both documents in order. `check_invariant` verifies it and every
structural edit refuses (with an `EditError`, a `WorkbenchError` whose message is for the user)
anything that would break it.

An edit is also a plain dict (`{"op": "merge", "link": 3}`) so that it can be logged, stored and
replayed: `apply_edit(table, edit, src_texts, tgt_texts)` and `replay(base, edits, ...)`.

Human decisions live in three extra columns that travel with the links:
`human_label` ('' = keep the automatic label), `comment` and `edited` (the person touched this
link). `auto_label` keeps the scorer's label; `label` is the human label when there is one.
After a structural edit the changed links' texts are rebuilt from the sentences and
`rescore` calls the library's scoring on the whole edited table, then re-applies the human labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from workbench.errors import WorkbenchError
from workbench.records import LABELS, SCORED_COLUMNS, parse_ids

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from workbench.fidelity import FidelityConfig, ScoreResult
    from workbench.records import Document

HUMAN_COLUMNS = ("human_label", "comment", "edited")
STRUCTURAL_OPS = ("merge", "split", "move")
ALL_OPS = (*STRUCTURAL_OPS, "relabel", "comment")


class EditError(WorkbenchError):
    """An edit that cannot be made (it would lose or duplicate a sentence, or names no link)."""


# ------------------------------------------------------------------------------------------------
# table form


def prepare(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` with ids as list[int], texts as str, and the human columns present."""
    out = table.reset_index(drop=True).copy()
    out["src_ids"] = [[int(i) for i in parse_ids(v)] for v in out["src_ids"]]
    out["tgt_ids"] = [[int(i) for i in parse_ids(v)] for v in out["tgt_ids"]]
    for col in ("src_text", "tgt_text"):
        out[col] = out[col].fillna("").astype(str) if col in out else ""
    if "label" not in out:
        out["label"] = ""
    if "auto_label" not in out:
        out["auto_label"] = out["label"].fillna("").astype(str)
    out["human_label"] = out["human_label"].fillna("").astype(str) if "human_label" in out else ""
    out["comment"] = out["comment"].fillna("").astype(str) if "comment" in out else ""
    out["edited"] = out["edited"].fillna(False).astype(bool) if "edited" in out else False
    out["link"] = range(len(out))
    return out


def _copy(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    out["src_ids"] = [list(v) for v in out["src_ids"]]
    out["tgt_ids"] = [list(v) for v in out["tgt_ids"]]
    return out


def check_invariant(table: pd.DataFrame, n_src: int | None = None, n_tgt: int | None = None) -> None:
    """Raise EditError unless the links cover 0..n-1 of each side once each, in order, and no link is empty."""
    for side, n in (("src", n_src), ("tgt", n_tgt)):
        ids = [i for v in table[f"{side}_ids"] for i in parse_ids(v)]
        expected = list(range(len(ids) if n is None else n))
        if ids != expected:
            raise EditError(f"the {'source' if side == 'src' else 'target'} sentences are no longer each in "
                            f"exactly one link, in order")
    for k, (s, t) in enumerate(zip(table["src_ids"], table["tgt_ids"], strict=True)):
        if not parse_ids(s) and not parse_ids(t):
            raise EditError(f"link {k} holds no sentence")


def _link(table: pd.DataFrame, k: Any) -> int:
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise EditError(f"{k!r} is not a link number") from None
    if not 0 <= k < len(table):
        raise EditError(f"there is no link {k} (the alignment has links 0 to {len(table) - 1})")
    return k


def _join(texts: Sequence[str], ids: Iterable[int]) -> str:
    return " ".join(texts[i] for i in ids)


def _rebuild(table: pd.DataFrame, rows: Iterable[int], src_texts: Sequence[str], tgt_texts: Sequence[str]) -> None:
    """In place: new texts for `rows`, which the person changed (their automatic scores are void)."""
    for r in rows:
        s, t = table.at[r, "src_ids"], table.at[r, "tgt_ids"]
        table.at[r, "src_text"] = _join(src_texts, s)
        table.at[r, "tgt_text"] = _join(tgt_texts, t)
        table.at[r, "human_label"] = ""
        table.at[r, "edited"] = True
        for col in ("similarity", "confidence", "fidelity"):
            if col in table:
                table.at[r, col] = float("nan")
        if "flags" in table:
            table.at[r, "flags"] = "[]"
        if "label" in table:
            table.at[r, "label"] = _side_label(s, t, table.at[r, "label"])


def _side_label(s: list[int], t: list[int], previous: Any) -> str:
    if not t:
        return "omission"
    if not s:
        return "addition"
    return "" if previous in ("omission", "addition") else str(previous or "")


def _renumber(table: pd.DataFrame) -> pd.DataFrame:
    table = table.reset_index(drop=True)
    table["link"] = range(len(table))
    return table


# ------------------------------------------------------------------------------------------------
# the edits


def merge_links(table: pd.DataFrame, k: int, src_texts: Sequence[str], tgt_texts: Sequence[str]) -> pd.DataFrame:
    """Link k and link k+1 become one link."""
    k = _link(table, k)
    if k + 1 >= len(table):
        raise EditError(f"link {k} is the last link: there is no next link to merge it with")
    out = _copy(table)
    out.at[k, "src_ids"] = out.at[k, "src_ids"] + out.at[k + 1, "src_ids"]
    out.at[k, "tgt_ids"] = out.at[k, "tgt_ids"] + out.at[k + 1, "tgt_ids"]
    comments = [c for c in (out.at[k, "comment"], out.at[k + 1, "comment"]) if c]
    out.at[k, "comment"] = " | ".join(comments)
    out = out.drop(index=k + 1)
    out = _renumber(out)
    _rebuild(out, [k], src_texts, tgt_texts)
    return out


def split_link(table: pd.DataFrame, k: int, src_at: int, tgt_at: int, src_texts: Sequence[str],
               tgt_texts: Sequence[str]) -> pd.DataFrame:
    """Link k becomes two: its first `src_at` source and first `tgt_at` target sentences, then the rest.

    Each part must keep at least one sentence, and the link must actually change.
    """
    k = _link(table, k)
    s, t = list(table.at[k, "src_ids"]), list(table.at[k, "tgt_ids"])
    try:
        src_at, tgt_at = int(src_at), int(tgt_at)
    except (TypeError, ValueError):
        raise EditError("the split points must be whole numbers") from None
    if not (0 <= src_at <= len(s) and 0 <= tgt_at <= len(t)):
        raise EditError(f"link {k} has {len(s)} source and {len(t)} target sentence(s): "
                        f"cannot split after {src_at} / {tgt_at}")
    first = (s[:src_at], t[:tgt_at])
    second = (s[src_at:], t[tgt_at:])
    if not (first[0] or first[1]) or not (second[0] or second[1]):
        raise EditError(f"splitting link {k} there would leave an empty link; "
                        "choose split points that leave sentences on both parts")
    out = _copy(table)
    top = out.iloc[: k + 1].copy()
    new_row = out.iloc[[k]].copy()
    bottom = out.iloc[k + 1:].copy()
    top.at[k, "src_ids"], top.at[k, "tgt_ids"] = first[0], first[1]
    new_row.iat[0, new_row.columns.get_loc("src_ids")] = second[0]
    new_row.iat[0, new_row.columns.get_loc("tgt_ids")] = second[1]
    new_row.iat[0, new_row.columns.get_loc("comment")] = ""
    import pandas as pd

    out = _renumber(pd.concat([top, new_row, bottom], ignore_index=True))
    out["src_ids"] = [list(v) for v in out["src_ids"]]
    out["tgt_ids"] = [list(v) for v in out["tgt_ids"]]
    _rebuild(out, [k, k + 1], src_texts, tgt_texts)
    return out


def move_sentence(table: pd.DataFrame, k: int, side: str, to: str, src_texts: Sequence[str],
                  tgt_texts: Sequence[str]) -> pd.DataFrame:
    """Move one sentence of link k (`side` 'src' or 'tgt') to the previous or next link (`to`).

    To the previous link goes the link's first sentence of that side, to the next link its last,
    so reading order is kept. A link left with no sentence at all disappears.
    """
    k = _link(table, k)
    if side not in ("src", "tgt"):
        raise EditError(f"side must be 'src' or 'tgt', not {side!r}")
    if to not in ("prev", "next"):
        raise EditError(f"a sentence moves to the 'prev' or 'next' link, not {to!r}")
    col = f"{side}_ids"
    ids = list(table.at[k, col])
    what = "source" if side == "src" else "target"
    if not ids:
        raise EditError(f"link {k} has no {what} sentence to move")
    j = k - 1 if to == "prev" else k + 1
    if not 0 <= j < len(table):
        raise EditError(f"link {k} is the {'first' if to == 'prev' else 'last'} link: "
                        f"there is no {'previous' if to == 'prev' else 'next'} link to move a sentence to")
    out = _copy(table)
    if to == "prev":
        moved, rest = ids[0], ids[1:]
        out.at[j, col] = out.at[j, col] + [moved]
    else:
        moved, rest = ids[-1], ids[:-1]
        out.at[j, col] = [moved] + out.at[j, col]
    out.at[k, col] = rest
    changed = sorted({j, k})
    if not out.at[k, "src_ids"] and not out.at[k, "tgt_ids"]:
        if out.at[k, "comment"]:
            out.at[j, "comment"] = " | ".join(c for c in (out.at[j, "comment"], out.at[k, "comment"]) if c)
        out = _renumber(out.drop(index=k))
        changed = [j if j < k else j - 1]
    _rebuild(out, changed, src_texts, tgt_texts)
    return out


def relabel(table: pd.DataFrame, k: int, label: str) -> pd.DataFrame:
    """The person's label for link k ('' = back to the automatic label)."""
    k = _link(table, k)
    label = str(label or "").strip()
    if label and label not in LABELS:
        raise EditError(f"unknown label {label!r}; choose one of: {', '.join(LABELS)}")
    s, t = table.at[k, "src_ids"], table.at[k, "tgt_ids"]
    if label == "omission" and t:
        raise EditError(f"link {k} has a target sentence: it cannot be an omission (split or move it first)")
    if label == "addition" and s:
        raise EditError(f"link {k} has a source sentence: it cannot be an addition (split or move it first)")
    if label in ("equivalent", "minor", "major") and (not s or not t):
        raise EditError(f"link {k} has an empty side: it is an {'omission' if not t else 'addition'}")
    out = _copy(table)
    out.at[k, "human_label"] = label
    # back to automatic: the scorer's label, unless an edit has since left the link one-sided
    out.at[k, "label"] = label or _side_label(s, t, out.at[k, "auto_label"])
    out.at[k, "edited"] = bool(label) or bool(out.at[k, "comment"]) or bool(out.at[k, "edited"])
    return out


def set_comment(table: pd.DataFrame, k: int, text: str) -> pd.DataFrame:
    k = _link(table, k)
    out = _copy(table)
    out.at[k, "comment"] = str(text or "").strip()
    out.at[k, "edited"] = True
    return out


def apply_edit(table: pd.DataFrame, edit: dict[str, Any], src_texts: Sequence[str],
               tgt_texts: Sequence[str]) -> pd.DataFrame:
    """Apply one logged edit (see the module doc for the dict forms)."""
    op = edit.get("op")
    if op == "merge":
        return merge_links(table, edit["link"], src_texts, tgt_texts)
    if op == "split":
        return split_link(table, edit["link"], edit["src_at"], edit["tgt_at"], src_texts, tgt_texts)
    if op == "move":
        return move_sentence(table, edit["link"], edit["side"], edit["to"], src_texts, tgt_texts)
    if op == "relabel":
        return relabel(table, edit["link"], edit.get("label", ""))
    if op == "comment":
        return set_comment(table, edit["link"], edit.get("text", ""))
    raise EditError(f"unknown edit {op!r}; known: {', '.join(ALL_OPS)}")


def replay(base: pd.DataFrame, edits: Iterable[dict[str, Any]], src_texts: Sequence[str],
           tgt_texts: Sequence[str]) -> pd.DataFrame:
    """The base table with `edits` applied in order (no scoring)."""
    table = prepare(base)
    for edit in edits:
        table = apply_edit(table, edit, src_texts, tgt_texts)
    return table


def is_structural(edit: dict[str, Any]) -> bool:
    return edit.get("op") in STRUCTURAL_OPS


def describe(edit: dict[str, Any]) -> str:
    """One line for the edit log."""
    op, k = edit.get("op"), edit.get("link")
    if op == "merge":
        return f"merged link {k} with link {int(k) + 1}"
    if op == "split":
        return f"split link {k} after source {edit.get('src_at')} / target {edit.get('tgt_at')}"
    if op == "move":
        return (f"moved a {'source' if edit.get('side') == 'src' else 'target'} sentence of link {k} "
                f"to the {'previous' if edit.get('to') == 'prev' else 'next'} link")
    if op == "relabel":
        return f"labelled link {k} {edit.get('label') or '(automatic)'}"
    if op == "comment":
        return f"commented link {k}"
    return str(edit)


# ------------------------------------------------------------------------------------------------
# scoring the edited table


def apply_human(table: pd.DataFrame) -> pd.DataFrame:
    """`label` = the human label where there is one, else the automatic one (kept in `auto_label`)."""
    out = table.copy()
    out["auto_label"] = out["label"].fillna("").astype(str)
    human = out["human_label"].fillna("").astype(str)
    out["label"] = [h or a for h, a in zip(human, out["auto_label"], strict=True)]
    return out


def summary_of(table: pd.DataFrame, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The document figures of `table` (with the human labels), keeping the run's other entries."""
    from workbench.fidelity.summary import summarise

    summary = dict(previous or {})
    summary.update(summarise(table))
    summary["edited_links"] = int(table["edited"].sum()) if "edited" in table else 0
    summary["human_labels"] = int((table["human_label"].astype(str) != "").sum()) if "human_label" in table else 0
    return summary


def rescore(table: pd.DataFrame, src: Document, tgt: Document, src_emb: np.ndarray, tgt_emb: np.ndarray, *,
            encoder: Any = None, config: FidelityConfig | None = None, glossary: Any = None,
            reference: Any = None, calibration: dict | str | None = None) -> ScoreResult:
    """Score the edited table with the library (similarity of merged/split links from the sentence
    embeddings), then put the human labels and comments back on top. `calibration` as in
    `score_alignment` ("auto": the scale remembered for this source text, so an edit does not move
    the scale the other links are scored on)."""
    from workbench.fidelity import ScoreResult, score_alignment

    table = prepare(table)
    check_invariant(table, len(src), len(tgt))
    keep = ["link", "src_ids", "tgt_ids", "src_text", "tgt_text", "similarity", "confidence", *HUMAN_COLUMNS]
    base = table[keep].copy()
    base["similarity"] = base["similarity"].fillna(0.0)
    base["confidence"] = base["confidence"].fillna(1.0)
    res = score_alignment(base, src, tgt, src_emb=src_emb, tgt_emb=tgt_emb, encoder=encoder, config=config,
                          glossary=glossary, reference=reference, calibration=calibration)
    scored = apply_human(res.table)
    extra = [c for c in scored.columns if c not in SCORED_COLUMNS]
    scored = scored[SCORED_COLUMNS + extra]
    return ScoreResult(scored, summary_of(scored, res.summary), res.signature)
