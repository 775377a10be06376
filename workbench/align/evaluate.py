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
# a link, then optionally vecalign's cost (`[0]:[0]:0.12`) and nothing else
_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*)?$")


def parse_link(text: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """`[0,1]:[2]` (an optional `:cost` after it) as its two id tuples; None if it is not one."""
    mt = _LINE.match(text)
    if not mt:
        return None
    return tuple(_ids(mt.group(1))), tuple(_ids(mt.group(2)))


def _ids(text: str) -> list[int]:
    return [int(x) for x in text.replace(",", " ").split()]


def parse_vecalign(text: str, name: str = "alignment") -> Alignment:
    """The links of an alignment file; each sentence id may appear in one link only (as in any
    alignment: a repeated id is a broken file, and would count twice in the scores)."""
    out: Alignment = []
    seen: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        link = parse_link(line)
        if link is None:
            raise FormatError(f"{name} line {no}: expected a link like [0,1]:[2], got {line.strip()[:60]!r}")
        if not link[0] and not link[1]:
            raise FormatError(f"{name} line {no}: the link []:[] holds no sentence")
        _check_unique(link, seen, name, no)
        out.append(link)
    if not out:
        raise FormatError(f"{name}: no links found")
    return out


def _check_unique(link, seen: tuple[dict[int, int], dict[int, int]], name: str, no: int) -> None:
    for side, ids, first in (("source", link[0], seen[0]), ("target", link[1], seen[1])):
        for i in ids:
            if i in first:
                where = "this line" if first[i] == no else f"line {first[i]}"
                raise FormatError(f"{name} line {no}: {side} sentence {i} is already in {where}")
            first[i] = no


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
