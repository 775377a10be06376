"""Quotation marks and brackets: a quotation or a parenthesis on one side only."""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list

_QUOTES = re.compile(r"[\"“”«»„‟]|(?<!\w)['‘](?=\w)|(?<=\w)[’'](?!\w)")


_QUOTE_MARK = re.compile(r"[\"“”«»„‟]")
_BRACKET = re.compile(r"[()\[\]{}]")


@lru_cache(maxsize=1 << 14)
def marks(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    quotes = [(m.start(), m.end()) for m in _QUOTE_MARK.finditer(text)]
    brackets = [(m.start(), m.end()) for m in _BRACKET.finditer(text)]
    return quotes, brackets


@check_registry.register("brackets")
class BracketsCheck(Check):
    name = "brackets"
    defaults = {"threshold": 0.5, "weight": 0.1, "decisive": False}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        sq, sb = marks(case.src_text)
        tq, tb = marks(case.tgt_text)
        if not (sq or sb or tq or tb):
            return None
        msgs, score = [], 0.0
        if bool(sq) != bool(tq):
            msgs.append(f"quotation marks on the {'source' if sq else 'target'} side only")
            score = 0.6
        if bool(sb) != bool(tb):
            msgs.append(f"brackets on the {'source' if sb else 'target'} side only")
            score = max(score, 0.6)
        if not msgs:
            return CheckResult(0.0)
        return CheckResult(score, "; ".join(msgs), span_list(sq + sb), span_list(tq + tb))
