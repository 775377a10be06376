"""Untranslated target: a copy of the source, or text in the source language (py3langid)."""

from __future__ import annotations

from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry
from workbench.fidelity.langdata import base_lang, masked


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str, langs: tuple[str, str]) -> tuple[str, float]:
    ident = _identifier()
    ident.set_languages(list(dict.fromkeys(langs)))
    return ident.classify(text)


@check_registry.register("untranslated")
class UntranslatedCheck(Check):
    name = "untranslated"
    defaults = {"threshold": 0.5, "weight": 0.6, "min_words": 4, "copy_ratio": 90.0}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        from rapidfuzz import fuzz

        src_l, tgt_l = base_lang(ctx.src_lang), base_lang(ctx.tgt_lang)
        tgt = " ".join(masked(case.tgt_text).split())
        if len(tgt.split()) < self.settings["min_words"] or src_l == tgt_l:
            return None
        full = ((0, len(case.src_text)),), ((0, len(case.tgt_text)),)
        if fuzz.ratio(case.src_text, case.tgt_text) >= self.settings["copy_ratio"]:
            return CheckResult(1.0, "the target is a copy of the source", *full)
        lang, prob = detect(tgt, (src_l, tgt_l))
        if lang == src_l and prob >= 0.9:
            return CheckResult(float(prob), f"the target reads as {src_l}, not {tgt_l} (p={prob:.2f})", *full)
        return CheckResult(0.0)
