"""A modal verb left without its verb in the translation (`Russia could the border` /
`la Russie pourrait les frontières`), or an auxiliary without its participle (`il a que` for
`il a déclaré que`): the verb it governed was dropped.

The encoder hardly notices a missing verb (the rest of the sentence still matches the source),
but the grammar does: in English a modal (can, could, should, must, might, ...) and in French
pouvoir and the conditional of devoir are followed, after any negation, adverb or clitic
pronoun, by a verb. When an article, a preposition, a possessive or an object pronoun follows
instead, or in English a gerund or a participle (`could preparing`), or in French a word that is
not an infinitive follows an object pronoun (`pourrait les frontières`), the verb is missing. Modals that also govern nouns are left out (`will` is also a
noun, `vouloir la paix`, `aller à Paris`, `doit de l'argent`), and so is a modal ending its
clause in English (`as soon as it could.` is an ellipsis). Only the target is checked: the
source is the reference text. Languages without cue lists give no verdict.
"""

from __future__ import annotations

import re

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import base_lang

_EN_MODALS = frozenset("can could should must might may would shall will".split())
#: before `will` these make it the noun (the will of the people, free will, her own will)
_EN_WILL_NOUN = frozenset("the a an his her their its our my your own free good ill political popular general "
                          "last strong's".split())
_EN_SKIP = frozenset("not n't never also still already even only then now just probably certainly really "
                     "soon quickly easily hardly".split())
#: what cannot follow a modal directly: articles, determiners, prepositions, possessives
_EN_NOT_VERB = frozenset("the a an this these those its his their our my your of in on at for with by from "
                         "against into about over under between through during without to no every "
                         "them him us me".split())
#: base verbs that end like a gerund or a participle (could bring, would need)
_EN_ING_ED_VERBS = frozenset("bring string spring swing sting cling fling sling wring sing ring wing "
                             "shed wed shred embed bed".split())


def _en_not_base_verb(word: str) -> bool:
    """A gerund or a past participle (could preparing, would prepared): never right after a modal."""
    if word in _EN_ING_ED_VERBS or not word.isalpha():
        return False
    return (word.endswith("ing") and len(word) > 5) or (word.endswith("ed") and not word.endswith("eed")
                                                         and len(word) > 4)
_FR_MODALS = frozenset("peut peuvent pourrait pourraient pourra pourront pouvait pouvaient puisse puissent "
                       "devrait devraient".split())
_FR_SKIP = frozenset("ne n pas plus jamais encore bien déjà également aussi toujours probablement "
                     "certainement vraiment".split())
#: clitic pronouns stand between the modal and its infinitive (`peut le faire`), never before a noun
_FR_CLITICS = frozenset("se s me m te t nous vous le la les l lui leur y en".split())
_FR_OBJECT = frozenset("le la les lui leur".split())
_FR_NOT_VERB = frozenset("un une des du au aux à de d sur dans contre pour avec par sans vers chez entre "
                         "son sa ses leurs notre nos votre vos ce cet cette ces".split())
_FR_INFINITIVE = re.compile(r"^\w{2,}(?:er|ir|re|oir)$")
#: an auxiliary right before que/qu' lost its participle (`a déclaré que` -> `a que`); `il y a que` and
#: `n'a qu'à` are French, so not after y, n' or ne
_FR_AUXILIARIES = frozenset("a ont avait avaient aura auront aurait auraient".split())
_TOKEN = re.compile(r"\w+(?:['’]\w+)?|[.,;:!?()\"«»“”]")

_CUES = {"en": (_EN_MODALS, _EN_SKIP, _EN_NOT_VERB), "fr": (_FR_MODALS, _FR_SKIP, _FR_NOT_VERB)}


def dangling(text: str, lang: str) -> list[tuple[int, int]] | None:
    """Spans of modals with no verb after them; None when `lang` has no cue list."""
    cues = _CUES.get(base_lang(lang))
    if cues is None:
        return None
    modals, skip, not_verb = cues
    toks = [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    fr = base_lang(lang) == "fr"
    out = []
    for k, (w, s, e) in enumerate(toks):
        if fr and w in _FR_AUXILIARIES and k + 1 < len(toks) and toks[k + 1][0].split("'")[0] in ("que", "qu") \
                and not (k > 0 and toks[k - 1][0] in ("y", "n'y", "ne", "n")) and not toks[k - 1][0].startswith("n'"):
            out.append((s, e))
            continue
        if w not in modals:
            continue
        if w == "will" and (k == 0 or toks[k - 1][0] in _EN_WILL_NOUN or text[s:s + 1] == "W"):
            continue  # the noun, or a name (Will)
        nxt, clitic = k + 1, False
        while nxt < len(toks):
            word = toks[nxt][0]
            if word in skip or word.split("'")[0] in skip:
                nxt += 1
            elif fr and (word in _FR_CLITICS or word.split("'")[0] in _FR_CLITICS):
                nxt, clitic = nxt + 1, True
            else:
                break
        if nxt >= len(toks):
            continue
        follower = toks[nxt][0]
        if follower == "no" and nxt + 1 < len(toks) and toks[nxt + 1][0] in ("longer", "more", "doubt"):
            continue  # could no longer wait
        if follower in not_verb or (not fr and _en_not_base_verb(follower)):
            out.append((s, e))
        elif fr and clitic and toks[nxt - 1][0] in _FR_OBJECT and follower.isalpha() \
                and not _FR_INFINITIVE.match(follower):
            # after an object pronoun comes the infinitive it belongs to (`pourrait les frontières`)
            out.append((s, e))
    return out


@check_registry.register("dangling_modal")
class DanglingModalCheck(Check):
    name = "dangling_modal"
    defaults = {"threshold": 0.5, "weight": 0.3, "severity": 0.8}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        tgt = dangling(case.tgt_text, ctx.tgt_lang)
        if tgt is None:
            return None
        src = dangling(case.src_text, ctx.src_lang) or []
        if not tgt or len(src) >= len(tgt):  # the source reads the same way: a style, not a dropped verb
            return CheckResult(0.0)
        found = ", ".join(case.tgt_text[a:b] for a, b in tgt)
        return CheckResult(self.settings["severity"], f"{found} without its verb: a verb seems dropped",
                           (), span_list(tgt))
