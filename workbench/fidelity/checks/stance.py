"""How sure the sentence is: `Russia will probably attack` / `La Russie va clairement attaquer`.

Hedges (probably, allegedly, reportedly, perhaps) and boosters (clearly, certainly, obviously)
change what a sentence commits to: a report that becomes a certainty, or a fact that becomes a
rumour, is a meaning shift a news editor must see, and the encoder barely moves for one adverb.
Each language lists its usual adverbs and set phrases of each kind (`il est clair que`, `sin duda`,
`semble-t-il`), accent-folded. A kind present on one side only is a flag (a hedge made a
certainty flags both); a language without a list gives no verdict. A hedge may also be grammar
(`ce pourrait bien être` for `es sei vielleicht`): a side with a modal or a conditional of
possibility is not taken to have lost a hedge.

Expressions whose other senses are frequent are left out: English `likely` (an adjective as often
as a hedge, and rendered by a French conditional), `indeed`, `really`; French `certain` (some),
`sans doute` (once `without doubt`, now `probably`: it could be either kind); German `klar`,
`natürlich`, `sicher` (also safe), `offenbar` (apparently, or evidently).
"""

from __future__ import annotations

import re
from functools import cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import base_lang, fold

#: language -> (boosters, hedges), accent-folded, `|`-separated phrases
_STANCE = {
    "en": ("clearly|certainly|definitely|obviously|undoubtedly|surely|evidently|unquestionably|of course|"
           "without a doubt|no doubt|it is clear|it's clear|it is obvious",
           "probably|possibly|perhaps|maybe|apparently|allegedly|reportedly|seemingly|presumably|supposedly|"
           "purportedly|ostensibly|it seems|it appears"),
    "fr": ("clairement|certainement|evidemment|manifestement|assurement|incontestablement|indeniablement|"
           "bien sur|naturellement|de toute evidence|sans aucun doute|il est clair|il est evident|c'est clair",
           "probablement|peut-etre|apparemment|pretendument|vraisemblablement|semble-t-il|parait-il|"
           "presumement|supposement|possiblement|il semble|il semblerait"),
    "es": ("claramente|ciertamente|evidentemente|obviamente|indudablemente|sin duda|por supuesto|naturalmente|es claro|"
           "esta claro",
           "probablemente|posiblemente|quizas|quiza|tal vez|aparentemente|supuestamente|presuntamente|"
           "al parecer|parece que"),
    "de": ("eindeutig|sicherlich|bestimmt|offensichtlich|zweifellos|selbstverstandlich|zweifelsohne|ohne zweifel|naturlich|"
           "es ist klar",
           "wahrscheinlich|moglicherweise|vielleicht|angeblich|vermutlich|anscheinend|scheinbar|mutmasslich"),
    "it": ("chiaramente|certamente|ovviamente|evidentemente|indubbiamente|senza dubbio|naturalmente|e chiaro",
           "probabilmente|forse|apparentemente|presumibilmente|presuntamente|sembra che|a quanto pare"),
    "pt": ("claramente|certamente|obviamente|evidentemente|indubitavelmente|sem duvida|naturalmente|e claro",
           "provavelmente|possivelmente|talvez|aparentemente|supostamente|alegadamente|presumivelmente|"
           "ao que parece"),
}
_KINDS = ("certainty", "hedge")
#: modals and conditionals that hedge by grammar (`ce pourrait bien être` for `es sei vielleicht`):
#: a side with one of these is not taken to have lost a hedge
_MODAL_HEDGES = {
    "en": "might|may|could|would",
    "fr": "pourrait|pourraient|pourrais|serait|seraient|aurait|auraient|devrait|devraient",
    "es": "podria|podrian|seria|serian|deberia|deberian",
    "de": "durfte|durften|konnte|konnten|mag|moge|mogen|wohl",
    "it": "potrebbe|potrebbero|sarebbe|sarebbero|dovrebbe|dovrebbero",
    "pt": "poderia|poderiam|seria|seriam|deveria|deveriam",
}


@cache
def _patterns(lang: str) -> tuple[re.Pattern, re.Pattern] | None:
    lists = _STANCE.get(lang)
    if lists is None:
        return None
    return tuple(re.compile(r"(?<![\w'-])(?:" + "|".join(re.escape(p) for p in phrases.split("|")) + r")(?![\w'-])")
                 for phrases in (*lists, _MODAL_HEDGES[lang]))


def stance_spans(text: str, lang: str) -> tuple[list[tuple[int, int]], ...] | None:
    """Spans of the boosters, of the hedges and of the modal hedges; None where the language has no list."""
    pats = _patterns(base_lang(lang))
    if pats is None:
        return None
    # offsets in the folded text must be offsets in the text: where folding the whole text changes its
    # length (ß -> ss, a combining accent dropped), it is folded one character at a time
    folded = fold(text)
    if len(folded) != len(text):
        folded = "".join((fold(ch) or " ")[0] for ch in text)
    return tuple([m.span() for m in p.finditer(folded)] for p in pats)


@check_registry.register("stance")
class StanceCheck(Check):
    name = "stance"
    defaults = {"weight": 0.3, "severity": 0.8}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        a = stance_spans(case.src_text, ctx.src_lang)
        b = stance_spans(case.tgt_text, ctx.tgt_lang)
        if a is None or b is None:
            return None
        for kind, sa, sb in zip(_KINDS, a, b, strict=False):
            if bool(sa) != bool(sb) and not (kind == "hedge" and (a[2] if sb else b[2])):
                side = "source" if sa else "target"
                return CheckResult(self.settings["severity"], f"a {kind} marker on the {side} side only",
                                   span_list(sa), span_list(sb))
        return CheckResult(0.0)
