"""An article left without its noun in the translation (`how the and its allies intend`, `les et
l'Union européenne`): the name or noun it introduced was dropped.

Like a modal without its verb (dangling_modal.py), this is grammar the encoder does not read: the
rest of the sentence still matches the source. An article is followed by a noun, an adjective or an
adverb, never directly by a conjunction, a preposition, an auxiliary or a punctuation mark. French
`le`, `la`, `les` are also object pronouns (`il les a vus`, `elle la connaît`), so there only a
conjunction, a preposition other than the clitics `en` and `y`, or punctuation counts (and not after a
hyphen: `prends-les.`). A capitalised word after the article is a title (`The And`), not a function
word; Spanish, Italian and Portuguese articles before `de` are pronominal (`el de Juan`), and German
articles are relative and demonstrative pronouns too, so German is not read. The source is read the same way:
when it has as many, the text is quoting or listing words, not missing one. Languages without cue
lists give no verdict.
"""

from __future__ import annotations

import re

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import base_lang


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: language -> (articles, words that cannot follow one)
_CUES = {
    "en": (_set("the an"),
           _set("and or but nor of to in on at with for from by into than is are was were has have had will would "
                "can could should may might must said says")),
    # (Romance indefinite articles are numerals and pronouns too: un de ses amis, un sur deux, uno y otro)
    "fr": (_set("le la les du des au aux"),
           _set("et ou mais ni de d à par pour avec sur dans sans chez vers entre contre")),
    # (not `de`: el de, la di, o de are pronominal, `the one of`)
    "es": (_set("el la los las del al"),
           _set("y o e u pero ni a en con por para sin sobre entre contra")),
    "it": (_set("il lo la i gli le"),
           _set("e o ed ma né a in con su per tra fra")),
    "pt": (_set("o a os as"),
           _set("e ou mas nem em com por para sem sobre entre")),
}
# (German articles are also relative and demonstrative pronouns: `das ist`, `der von Berlin kam`)
#: Portuguese `a` and `o` are also a preposition and a pronoun, Spanish and Italian `la`/`le`/`lo` pronouns:
#: there an article counts as dangling only before punctuation or a conjunction
_AMBIGUOUS = {"pt": _set("a o as os"), "es": _set("la las los"), "it": _set("la le lo gli")}
_CONJUNCTIONS = _set("and or but nor et ou mais ni y o e u pero ed ma né mas nem und oder aber sondern")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|[,.;:!?)]")


def dangling_articles(text: str, lang: str) -> list[tuple[int, int]] | None:
    """Spans of an article and what follows it where that cannot follow one; None for a language
    without cues."""
    cues = _CUES.get(base_lang(lang))
    if cues is None:
        return None
    articles, not_after = cues
    ambiguous = _AMBIGUOUS.get(base_lang(lang), frozenset())
    toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out = []
    for (w, s, e), (nxt, ns, ne) in zip(toks, toks[1:], strict=False):
        if w.lower() not in articles or (s > 0 and text[s - 1] in "-‑"):
            continue  # (prends-les, dis-le: a pronoun after the verb)
        if text[e:ns].strip() or text[ne:ne + 1] in ("-", "‑"):
            continue  # not adjacent words, or the first part of a compound (les contre-propositions)
        low = nxt.lower()
        if nxt in ",.;:!?)":
            if text[ne:ne + 1].isalpha():
                continue  # a comma glued to the next word is an OCR'd opening quote (le ,yéti ')
            if low == "." and w.lower() in ("a", "o"):
                continue
            out.append((s, ne))
        elif nxt[0].islower() and low in not_after and (w.lower() not in ambiguous or low in _CONJUNCTIONS):
            out.append((s, ne))
    return out


@check_registry.register("dangling_article")
class DanglingArticleCheck(Check):
    name = "dangling_article"
    defaults = {"threshold": 0.5, "weight": 0.3, "severity": 0.8}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        tgt = dangling_articles(case.tgt_text, ctx.tgt_lang)
        if tgt is None:
            return None
        src = dangling_articles(case.src_text, ctx.src_lang) or []
        if not tgt or len(src) >= len(tgt):
            return CheckResult(0.0)
        found = ", ".join(repr(case.tgt_text[a:b]) for a, b in tgt)
        return CheckResult(self.settings["severity"], f"an article without its noun ({found}): a word seems dropped",
                           (), span_list(tgt))
