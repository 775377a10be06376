"""Words left untranslated: a lower-case target word copied from the source that reads as the
source language (`l'armée military` for `the Russian military`).

A word written the same on both sides is usually a shared cognate (important, position,
transport) or a name; it counts only when it is lower case on the target side, at least
`min_chars` long, and reads as the source language: wordfreq finds it at least `zipf_gap`
(log10 units: 10x) more frequent in the source language than in the target language
(`demands`: 4.4 in English, 1.6 in French), or, for a language wordfreq lacks, py3langid asked
about the word alone between the two languages gives the source language at least `min_prob`.
Shared cognates are common in both lists (`position`, `multiple`); a word the target language
also uses (`comment`, `offensive`) is not flagged, rightly: it may be the correct word; nor is the
target language's name of a currency (CLDR: `euros` in English, rarer there than in French), nor, in
an English target, a word English has adopted (`commune`, `dossier`: at least `english_zipf`, 1.6 per
million words). Only English is read so: its word list holds little foreign text, while French or
German lists hold English text (`group` at 4.0 in French), so there a frequency proves nothing.
Words in parentheses or quotation marks (a gloss of the original term) are left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.checks.untranslated import detect
from workbench.fidelity.langdata import (
    base_lang,
    currency_words,
    folded_words,
    masked,
    stopwords,
    words,
    zipf,
)


@lru_cache(maxsize=1 << 15)
def _word_prob(word: str, src: str, tgt: str) -> float:
    lang, prob = detect(word, (src, tgt))
    return prob if lang == src else 1.0 - prob


#: short parentheses and quotations: an original term quoted or glossed there is deliberate (`programmation sans
#: ego (Egoless programming)`); a longer quotation is reported speech, translated like the rest
_GLOSS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\"[^\"]*\"|“[^”]*”|«[^»]*»")
_GLOSS_MAX_WORDS = 5


_KEPT_RUN = 3  # words copied in a row from a quoted or capitalised source title: the title kept in the original


def _kept_title(k: int, tgt_toks: list[str], src_toks: list[str], src_caps: list[bool],
                src_quoted: list[bool]) -> bool:
    """Target word `k` is inside a run of `_KEPT_RUN`+ words copied verbatim from the source, and that run is
    quoted there or title-cased ('solar steam train' in quotes, 'The Discovery, Settlement and present
    State of Kentucke'): a title or name left in its original language on purpose, not an untranslated word."""
    for p, w in enumerate(src_toks):
        if w != tgt_toks[k]:
            continue
        a = 0
        while k - a - 1 >= 0 and p - a - 1 >= 0 and tgt_toks[k - a - 1] == src_toks[p - a - 1]:
            a += 1
        b = 0
        while k + b + 1 < len(tgt_toks) and p + b + 1 < len(src_toks) and tgt_toks[k + b + 1] == src_toks[p + b + 1]:
            b += 1
        if a + b + 1 >= _KEPT_RUN:
            run = range(p - a, p + b + 1)
            if all(src_quoted[i] for i in run) or sum(src_caps[i] for i in run) >= 2:
                return True
    return False


@check_registry.register("untranslated_words")
class UntranslatedWordsCheck(Check):
    name = "untranslated_words"
    defaults = {"threshold": 0.5, "weight": 0.25, "min_chars": 5, "min_prob": 0.65, "zipf_gap": 1.0,
                "min_zipf": 3.0, "english_zipf": 3.2}

    def _foreignness(self, word: str, src: str, tgt: str) -> float:
        """0..1: how surely `word` is a source-language word out of place in the target."""
        zs, zt = zipf(word, src), zipf(word, tgt)
        if zs is not None and zt is not None:
            gap = zs - zt
            if zs < self.settings["min_zipf"] or gap < self.settings["zipf_gap"]:
                return 0.0
            if tgt == "en" and zt >= self.settings["english_zipf"]:
                return 0.0  # English has adopted it (commune, dossier, euros): its word list holds little foreign text
            return min(1.0, 0.5 + 0.25 * (gap - self.settings["zipf_gap"]))
        p = _word_prob(word, src, tgt)
        return 0.0 if p < self.settings["min_prob"] else min(1.0, 0.5 + (p - self.settings["min_prob"]) * 1.5)

    @staticmethod
    def _drop_kept_titles(hits: list[tuple[int, int]], src_text: str, tgt_low: str) -> list[tuple[int, int]]:
        src_m = masked(src_text)
        src_w = words(src_m)
        quoted = [m.span() for m in _GLOSS.finditer(src_m)]
        src_toks = [src_m[s:e].lower() for _, s, e in src_w]
        src_caps = [src_m[s].isupper() for _, s, _ in src_w]
        src_quoted = [any(a <= s < b for a, b in quoted) for _, s, _ in src_w]
        tgt_w = words(tgt_low)
        tgt_toks = [tgt_low[s:e] for _, s, e in tgt_w]
        index = {s: k for k, (_, s, _) in enumerate(tgt_w)}
        return [(s, e) for s, e in hits
                if s not in index or not _kept_title(index[s], tgt_toks, src_toks, src_caps, src_quoted)]

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        src_l, tgt_l = base_lang(ctx.src_lang), base_lang(ctx.tgt_lang)
        if src_l == tgt_l:
            return None
        src_low = masked(case.src_text).lower()
        src_words = {src_low[s:e] for _, s, e in words(src_low)}
        tgt_text = masked(case.tgt_text)
        tgt_low = tgt_text.lower()
        stops = stopwords(tgt_l)
        hits, best = [], 0.0
        glossed = [m.span() for m in _GLOSS.finditer(tgt_text) if len(m.group().split()) <= _GLOSS_MAX_WORDS] \
            if any(c in tgt_text for c in "([\"“«") else []
        for f, s, e in folded_words(tgt_text):
            if glossed and any(a <= s < b for a, b in glossed):
                continue
            w = tgt_low[s:e]  # spelled exactly as in the source, accents included (président is not president)
            if len(w) < self.settings["min_chars"] or w not in src_words or f in stops or not tgt_text[s].islower() \
                    or f in currency_words(tgt_l) or not tgt_text[s:e].islower():  # (macOS, iPhone: names)
                continue
            p = self._foreignness(w, src_l, tgt_l)
            if p > 0:
                hits.append((s, e))
                best = max(best, p)
        if hits:
            hits = self._drop_kept_titles(hits, case.src_text, tgt_low)
        if not hits:
            return CheckResult(0.0)
        found = ", ".join(case.tgt_text[s:e] for s, e in hits)
        return CheckResult(best, f"word(s) apparently left in the source language ({src_l}): {found}", (),
                           span_list(hits))
