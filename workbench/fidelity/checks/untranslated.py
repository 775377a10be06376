"""Untranslated target: a copy of the source, or text in the source language (py3langid).

A target of names, numbers and initials only (`Nanga Parbat, Cho Oyu, Gasherbrum.`, `Benno Schwabe,
Basel 1935.`) has nothing to translate, so a copy of it is no verdict; a script without case
(Chinese) counts as having words to translate.
"""

from __future__ import annotations

from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry
from workbench.fidelity.langdata import _CLAUSE_WORDS, base_lang, fold, folded_words, masked, stopwords


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


_current: list[tuple[str, ...] | None] = [None]


def detect(text: str, langs: tuple[str, str]) -> tuple[str, float]:
    """The more likely of `langs` for `text`, and its probability (restricting the model is costly,
    so it is redone only when the pair changes)."""
    ident = _identifier()
    wanted = tuple(dict.fromkeys(langs))
    if _current[0] != wanted:
        try:
            ident.set_languages(list(wanted))
        except ValueError:  # a language the model does not know: classify among all
            ident.set_languages(None)
        _current[0] = wanted
    return ident.classify(text)


@lru_cache(maxsize=64)
def _own_words(lang: str, other: str) -> frozenset[str]:
    """Function words of `lang` that are not words of `other` (empty when either list is unknown)."""
    if base_lang(lang) not in _CLAUSE_WORDS or base_lang(other) not in _CLAUSE_WORDS:
        return frozenset()
    a, b = {fold(w) for w in stopwords(lang)}, {fold(w) for w in stopwords(other)}
    return frozenset(a - b)


def clearly_in(text: str, lang: str, other: str) -> bool:
    """True when `text` has several function words of `lang` and none of `other`: no need for language id."""
    mine, theirs = _own_words(lang, other), _own_words(other, lang)
    if not mine or not theirs:
        return False
    n_mine = n_theirs = 0
    for f, _, _ in folded_words(text):
        if f in mine:
            n_mine += 1
        elif f in theirs:
            n_theirs += 1
    return n_mine >= 3 and n_theirs == 0


@check_registry.register("untranslated")
class UntranslatedCheck(Check):
    name = "untranslated"
    defaults = {"threshold": 0.5, "weight": 0.6, "major": True, "min_words": 4, "copy_ratio": 90.0}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        from rapidfuzz import fuzz

        src_l, tgt_l = base_lang(ctx.src_lang), base_lang(ctx.tgt_lang)
        tgt = " ".join(masked(case.tgt_text).split())
        if len(tgt.split()) < self.settings["min_words"] or src_l == tgt_l:
            return None
        # the words that are not names; with fewer than two (`Nanga Parbat, Cho Oyu`) there is nothing to translate
        plain = [tgt[s:e] for _, s, e in folded_words(tgt) if not tgt[s].isupper()]
        if sum(len(w) > 1 for w in plain) < 2:
            return None
        full = ((0, len(case.src_text)),), ((0, len(case.tgt_text)),)
        if fuzz.ratio(case.src_text, case.tgt_text) >= self.settings["copy_ratio"]:
            return CheckResult(1.0, "the target is a copy of the source", *full)
        if clearly_in(case.tgt_text, tgt_l, src_l):
            return CheckResult(0.0)
        # language id on the words that are not names: a list of names (`au sommet J.Marmet-E.Schmied,
        # H. von Gunten`) reads as the names' language whatever the sentence is written in
        if len(plain) < self.settings["min_words"]:
            return CheckResult(0.0)
        lang, prob = detect(" ".join(plain)[:200], (src_l, tgt_l))
        if lang == src_l and prob >= 0.9:
            return CheckResult(float(prob), f"the target reads as {src_l}, not {tgt_l} (p={prob:.2f})", *full)
        return CheckResult(0.0)
