"""Evaluate predicted labels against a gold divergence file (link, label, note)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.errors import FormatError
from workbench.records import LABELS, parse_ids


def _key(src, tgt) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(parse_ids(src)), tuple(parse_ids(tgt))


def read_gold(path: str | Path) -> dict[tuple, str]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # (a spreadsheet's export starts with a BOM)
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"cannot read gold divergences {path}: {getattr(exc, 'strerror', None) or exc}") from None
    gold: dict[tuple, str] = {}
    line_of: dict[tuple, int] = {}
    for n, row in enumerate(csv.reader(text.splitlines(), delimiter="\t"), start=1):
        if not row or not "".join(row).strip() or (n == 1 and row[0].strip() == "link"):
            continue
        key, label = _gold_row(row, path, n)
        if key in line_of:  # a second verdict on one link: which one is meant cannot be told
            raise FormatError(f"{path} line {n}: link {row[0].strip()} is already in line {line_of[key]}")
        gold[key], line_of[key] = label, n
    if not gold:
        raise FormatError(f"{path}: no gold links (expected lines of '[ids]:[ids]<TAB>label<TAB>note')")
    return gold


def _gold_row(row: list[str], path: Path, n: int) -> tuple[tuple, str]:
    """The link and label of one gold line (a FormatError naming the line if it has none)."""
    from workbench.align.evaluate import parse_link

    link = parse_link(row[0]) if len(row) >= 2 else None
    if link is None or (not link[0] and not link[1]):
        raise FormatError(f"{path} line {n}: expected '[ids]:[ids]<TAB>label<TAB>note', got {row[0].strip()[:60]!r}")
    label = row[1].strip()
    if label not in LABELS:
        raise FormatError(f"{path} line {n}: unknown label {label!r} (one of {', '.join(LABELS)})")
    return link, label


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def evaluate_divergences(gold_tsv_path: str | Path, pred_table: pd.DataFrame) -> dict[str, Any]:
    """Per-label and support-weighted precision/recall/F1; a gold link with no identical predicted link is a miss."""
    gold = read_gold(gold_tsv_path)
    pred = {_key(r.src_ids, r.tgt_ids): str(r.label) for r in pred_table.itertuples(index=False)}
    per: dict[str, dict[str, Any]] = {}
    labels = [lab for lab in LABELS if lab in gold.values() or lab in pred.values()]
    for lab in labels:
        tp = sum(1 for k, g in gold.items() if g == lab and pred.get(k) == lab)
        fp = sum(1 for k, p in pred.items() if p == lab and gold.get(k) != lab)
        fn = sum(1 for k, g in gold.items() if g == lab and pred.get(k) != lab)
        per[lab] = {**_prf(tp, fp, fn), "support": sum(1 for g in gold.values() if g == lab)}
    total = sum(v["support"] for v in per.values())
    weighted = {m: round(sum(v[m] * v["support"] for v in per.values()) / total, 4) if total else 0.0
                for m in ("precision", "recall", "f1")}
    # binary: equivalent vs any divergence
    def b(x: str | None) -> str | None:
        return None if x is None else ("equivalent" if x == "equivalent" else "divergent")
    tp = sum(1 for k, g in gold.items() if b(g) == "divergent" and b(pred.get(k)) == "divergent")
    fp = sum(1 for k, p in pred.items() if b(p) == "divergent" and b(gold.get(k)) != "divergent")
    fn = sum(1 for k, g in gold.items() if b(g) == "divergent" and b(pred.get(k)) != "divergent")
    matched = sum(1 for k in gold if k in pred)
    return {"per_label": per, "weighted": weighted, "divergent": _prf(tp, fp, fn),
            "gold_links": len(gold), "matched_links": matched,
            "accuracy": round(sum(1 for k, g in gold.items() if pred.get(k) == g) / len(gold), 4) if gold else 0.0}
