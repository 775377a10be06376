"""Quotation marks and brackets: balance on each side, and a quotation or parenthesis on one side only.

An unclosed bracket or quotation on one side only (the other side balanced) is a slip of the
translation itself and is flagged. A quotation on one side only that reads as speech (more than
`term_words` words, or punctuation of its own inside) turns a direct quote into reported speech (or
back), which changes attribution, so it is flagged too; a speech turn opened by a dialogue dash
counts as quoted. A parenthesis on one side only is
routine (a gloss or an acronym added or dropped; what it held is the names', numbers' and partial
checks' business), and so is a quoted term or name (`« I.H.E. 1934 »`, scare quotes): they only weigh
a little, below the flag threshold.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import CLOSING_QUOTES, OPENING_QUOTES, quotations

_QUOTE_MARK = re.compile(r"[\"“”«»„‟]")
#: a speech turn opened by a dash (`— Oui, ma tante.`, `—¿Vienes?`): French, Spanish, Russian and
#: others set dialogue this way where English quotes it, so it stands for quotation marks
_DIALOGUE_DASH = re.compile(r"^\s*[—―–](?=\s?\S)")
_BRACKET = re.compile(r"[()\[\]{}]")
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"))


#: a list label closed by a parenthesis at the start of a sentence or after a semicolon or colon:
#: `a) la réfraction`, `2) ...`, `iv) ...`: a bracket that never opens
_LIST_LABEL = re.compile(r"(?:^|(?<=[;:]))\s*(?:[A-Za-z]|\d{1,3}|[ivxlcIVXLC]{1,5})\s?\)")


def _without_labels(text: str) -> str:
    return _LIST_LABEL.sub(lambda m: " " * len(m.group()), text) if ")" in text else text




def _continued_quotation(text: str) -> str:
    """`text` without a quotation mark that opens it or closes it when that mark is unpaired: a
    quotation running over several sentences opens in the first and closes in the last."""
    t = text.strip()
    if t and t[0] in OPENING_QUOTES and _odd(t, t[0]):
        t = t[1:]
    end = len(t.rstrip(" .!?…;:,)"))
    if end and t[end - 1] in CLOSING_QUOTES and _odd(t, t[end - 1]):
        t = t[:end - 1] + t[end:]
    return t


def _odd(text: str, mark: str) -> bool:
    group = "«»" if mark in "«»" else "“”„‟" if mark in "“”„‟" else '"'
    return sum(text.count(c) for c in group) % 2 == 1


@lru_cache(maxsize=1 << 14)
def marks(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    quotes = [(m.start(), m.end()) for m in _QUOTE_MARK.finditer(text)]
    if not quotes and (dash := _DIALOGUE_DASH.match(text)):
        quotes = [(dash.end() - 1, dash.end())]
    brackets = [(m.start(), m.end()) for m in _BRACKET.finditer(_without_labels(text))]
    return quotes, brackets


@lru_cache(maxsize=1 << 14)
def unbalanced(text: str) -> str:
    """What is left open or unopened in `text` ('' when balanced). Curly and angle quotes are counted
    in pairs without telling opening from closing, since „...“ (German) and »...« (Swiss) reverse them.
    A list label (`a)`) is no bracket."""
    text = _continued_quotation(_without_labels(text))
    wrong = [a for a, b in _PAIRS if text.count(a) != text.count(b)]
    if text.count('"') % 2:
        wrong.append('"')
    if sum(text.count(c) for c in "“”„‟") % 2:
        wrong.append("“”")
    if (text.count("«") + text.count("»")) % 2:
        wrong.append("«»")
    return " ".join(wrong)


def _quotes_speech(text: str, term_words: int) -> bool:
    """Some quotation of `text` reads as words spoken or written: more than `term_words` words, or its own
    punctuation inside (`"We are ready,"`); an unpaired mark counts as speech."""
    spans = [words for _, _, words in quotations(text)]
    if not spans:
        return True
    return any(len(q.split()) > term_words or q.rstrip()[-1:] in ",.!?…" for q in spans)


@check_registry.register("brackets")
class BracketsCheck(Check):
    name = "brackets"
    defaults = {"threshold": 0.5, "weight": 0.1, "decisive": False, "one_side_brackets": 0.4, "term_words": 2}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        sq, sb = marks(case.src_text)
        tq, tb = marks(case.tgt_text)
        if not (sq or sb or tq or tb):
            return None
        msgs, score = [], 0.0
        bad_src, bad_tgt = unbalanced(case.src_text), unbalanced(case.tgt_text)
        if bool(bad_src) != bool(bad_tgt):
            msgs.append(f"unbalanced {bad_src or bad_tgt} in the {'source' if bad_src else 'target'}")
            score = 0.7
        if bool(sq) != bool(tq):
            msgs.append(f"quotation marks on the {'source' if sq else 'target'} side only")
            # quoted words or speech changes attribution; a quoted term or name (« I.H.E. 1934 ») is style
            speech = _quotes_speech(case.src_text if sq else case.tgt_text, self.settings["term_words"])
            score = max(score, 0.6 if speech else self.settings["one_side_brackets"])
        if bool(sb) != bool(tb):
            msgs.append(f"brackets on the {'source' if sb else 'target'} side only")
            score = max(score, self.settings["one_side_brackets"])
        if not msgs:
            return CheckResult(0.0)
        return CheckResult(score, "; ".join(msgs), span_list(sq + sb), span_list(tq + tb))
