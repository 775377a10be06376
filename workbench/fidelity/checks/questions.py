"""A question on one side only: `Russia is ready.` against `La Russie est-elle prête ?`.

Turning a statement into a question (or back) reverses what the sentence asserts, and the
encoder barely sees the question mark. Any script's question marks count (? ？ ؟ and Spanish ¿;
Greek writes its question mark as `;`); a side with one facing a side with none is a flag.
"""

from __future__ import annotations

import re

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import base_lang

_QUESTION = re.compile(r"[?？؟¿⸮]")
_GREEK_QUESTION = re.compile(r"[;;]")


def question_marks(text: str, lang: str) -> list[tuple[int, int]]:
    rx = _GREEK_QUESTION if base_lang(lang) == "el" else _QUESTION
    return [m.span() for m in rx.finditer(text)]


@check_registry.register("questions")
class QuestionCheck(Check):
    name = "questions"
    defaults = {"weight": 0.3, "severity": 0.8}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        a = question_marks(case.src_text, ctx.src_lang)
        b = question_marks(case.tgt_text, ctx.tgt_lang)
        if bool(a) == bool(b):
            return CheckResult(0.0)
        side = "source" if a else "target"
        return CheckResult(self.settings["severity"], f"a question on the {side} side only", span_list(a), span_list(b))
