"""Strict and lax precision/recall/F1 of an alignment against a gold alignment, exactly as
vecalign's and Bertalign's `score.py` define them (strict: the link is identical; lax: it shares
at least one sentence on each side with some link of the other alignment), each with and
without the 1-0/0-1 links (`ignore_empty`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from workbench.errors import FormatError

Alignment = list[tuple[tuple[int, ...], tuple[int, ...]]]
_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?:[:\s].*)?$")


def parse_vecalign(text: str, name: str = "alignment") -> Alignment:
    out: Alignment = []
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        mt = _LINE.match(line)
        if not mt:
            raise FormatError(f"{name}, line {no}: expected a link like [0,1]:[2], got {line.strip()[:60]!r}")
        src = tuple(int(x) for x in mt.group(1).replace(",", " ").split())
        tgt = tuple(int(x) for x in mt.group(2).replace(",", " ").split())
        out.append((src, tgt))
    if not out:
        raise FormatError(f"{name}: no links found")
    return out


def read_vecalign(path: str | Path) -> Alignment:
    from workbench.text.reader import read_text

    return parse_vecalign(read_text(path), str(path))


def _counts(test: Alignment, gold: Alignment) -> tuple[int, int, int, int]:
    gold_set = set(gold)
    gold_sets = [(set(s), set(t)) for s, t in gold]
    tp_strict = fp_strict = tp_lax = fp_lax = 0
    for src, tgt in test:
        if not src and not tgt:
            continue
        if (src, tgt) in gold_set:
            tp_strict += 1
            tp_lax += 1
            continue
        fp_strict += 1
        ss, ts = set(src), set(tgt)
        if any(ss & gs and ts & gt for gs, gt in gold_sets):
            tp_lax += 1
        else:
            fp_lax += 1
    return tp_strict, fp_strict, tp_lax, fp_lax


def _prf(tp_p: int, fp_p: int, tp_r: int, fn_r: int) -> dict[str, float]:
    p = tp_p / (tp_p + fp_p) if tp_p + fp_p else 0.0
    r = tp_r / (tp_r + fn_r) if tp_r + fn_r else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def score_alignment(test: Sequence[Iterable], gold: Sequence[Iterable]) -> dict[str, dict[str, float]]:
    """Returns {'strict': {...}, 'lax': {...}, 'strict_no_null': {...}, 'lax_no_null': {...}}."""
    t = [(tuple(s), tuple(g)) for s, g in test]
    g = [(tuple(s), tuple(x)) for s, x in gold]
    out: dict[str, dict[str, float]] = {}
    for suffix, keep in (("", lambda x: True), ("_no_null", lambda x: bool(x[0]) and bool(x[1]))):
        tt = [x for x in t if keep(x)]
        gg = [x for x in g if keep(x)]
        tps, fps, tpl, fpl = _counts(tt, gg)
        rtps, rfps, rtpl, rfpl = _counts(gg, tt)
        out["strict" + suffix] = _prf(tps, fps, rtps, rfps)
        out["lax" + suffix] = _prf(tpl, fpl, rtpl, rfpl)
    return out
