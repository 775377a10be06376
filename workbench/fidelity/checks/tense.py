"""Tense and mood: a future or conditional on one side only (`will say` / `a dit`).

The encoder barely sees tense (`a déclaré` and `déclarera` are nearly the same vector), so the
cues are read from the words: English modal auxiliaries (will, 'll, shall, would, could, might,
should) and `going to`; in French, German, Spanish, Italian and Portuguese the future and
conditional endings or auxiliaries. A cue on one side with none on the other is flagged; the
cue lists are per language, and a language without one gives no verdict.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import base_lang, folded_words

#: could/should/may/might (pourrait/devrait) are modality rather than tense: counted on neither side
_EN_MODAL = frozenset("will shall would wo".split())
_EN_NOUN_AFTER = frozenset("of the a an to".split())  # 'the will of', 'free will', 'at will'
# future/conditional endings after an infinitive-like stem ending in r (sera, pourra, dirait, viendront)
_ROMANCE_FUT = {
    # the stem must end as an infinitive does (-er, -ir, -dr, -vr, -rr; aur-, saur-, fer-), which leaves out the
    # passé simple (déclara, s'empara) and the imperfect (espérait) of verbs whose stem ends in r
    "fr": re.compile(r"^(?:\w*(?:[ei]|[dv]|r)|aur?|saur?)r(?:ai|as|a|ons|ez|ont|ais|ait|ions|iez|aient)$"),
    "es": re.compile(r"^\w+r(?:é|ás|á|emos|éis|án|ía|ías|íamos|íais|ían)$"),
    "it": re.compile(r"^\w+r(?:ò|ai|à|emo|ete|anno|ei|esti|ebbe|emmo|este|ebbero)$"),
    "pt": re.compile(r"^\w+r(?:ei|ás|á|emos|eis|ão|ia|ias|íamos|íeis|iam)$"),
}
#: words those endings catch that are not verbs (folded)
_NOT_VERBS = {
    "fr": frozenset("vrai frais trait portrait retrait extrait attrait abstrait front affront extra opera camera "
                    "cobra contra sahara environs patrons citrons marrons larrons mira sierra terra tiara aura "
                    "diaspora agora flora hourra".split()),
    "es": frozenset("hora ahora para pera tierra sierra guerra cara era fuera mejor contra otra otras "
                    "cámara obra sobre".split()),
    "it": frozenset("ora allora ancora sera terra guerra però".split()),
    "pt": frozenset("hora agora para era terra guerra cara obra sobre".split()),
}
#: pouvoir/devoir and their kin in the conditional are modality (could, should), not tense
_MODAL_STEMS = {"fr": ("pourr", "devr"), "es": ("podr", "deber"), "it": ("potr", "dovr"), "pt": ("poder", "dever")}
_DE_FUT = frozenset("werde wirst wird werden werdet würde würdest würden würdet".split())


def _fold_set(words: frozenset[str]) -> frozenset[str]:
    from workbench.fidelity.langdata import fold

    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=1 << 14)
def cues(text: str, lang: str) -> tuple[tuple[int, int], ...] | None:
    """Spans of future/conditional cues in `text`; None when `lang` has no cue list."""
    lang = base_lang(lang)
    toks = folded_words(text)
    out = []
    if lang == "en":
        low = text.lower()
        for i, (w, s, e) in enumerate(toks):
            nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
            if w in _EN_MODAL:
                if w == "will" and (nxt in _EN_NOUN_AFTER or (i > 0 and toks[i - 1][0] in ("the", "free", "good", "political", "his", "her", "their", "own"))):
                    continue
                if w == "wo" and not low[e:e + 3].startswith("n"):
                    continue
                out.append((s, e))
            elif w == "going" and nxt == "to" and i + 2 < len(toks) and toks[i + 2][0] not in ("the", "a", "an"):
                out.append((s, toks[i + 1][2]))
        for m in re.finditer(r"(?<=\w)['’]ll\b", text):
            out.append((m.start(), m.end()))
        return tuple(out)
    if lang == "de":
        return tuple((s, e) for w, s, e in toks if w in _DE_FUT_F)
    rx = _ROMANCE_FUT.get(lang)
    if rx is None:
        return None
    stop = _NOT_VERBS_F[lang]
    low = text.lower()
    modal = _MODAL_STEMS.get(lang, ())
    for w, s, e in toks:
        raw = low[s:e]  # accents matter here: espérait is an imperfect, serait a conditional
        if len(w) >= 4 and "-" not in w and w not in stop and not raw.startswith(modal) and rx.match(raw):
            out.append((s, e))
    return tuple(out)


_DE_FUT_F = _fold_set(_DE_FUT)
_NOT_VERBS_F = {k: _fold_set(v) for k, v in _NOT_VERBS.items()}


@check_registry.register("tense")
class TenseCheck(Check):
    name = "tense"
    # a weak signal: a one-sided future also occurs in faithful translations (a generic "will" in a
    # definition, an English present for a scheduled event), so alone it only lowers fidelity
    defaults = {"threshold": 0.5, "weight": 0.15, "decisive": False, "one_side": 0.6}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        src = cues(case.src_text, ctx.src_lang)
        tgt = cues(case.tgt_text, ctx.tgt_lang)
        if src is None or tgt is None or (not src and not tgt):
            return None
        if bool(src) == bool(tgt):
            return CheckResult(0.0)
        side = "source" if src else "target"
        return CheckResult(self.settings["one_side"], f"future or conditional on the {side} side only",
                           span_list(src), span_list(tgt))
