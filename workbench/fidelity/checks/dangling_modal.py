"""A modal verb left without its verb in the translation (`Russia could the border` /
`la Russie pourrait les frontières`), or an auxiliary without its participle (`il a que` for
`il a déclaré que`): the verb it governed was dropped.

The encoder hardly notices a missing verb (the rest of the sentence still matches the source),
but the grammar does: a modal (English can, could, should, must, might, will ...; pouvoir and the
conditional of devoir in French, and their kin in Spanish, Italian and Portuguese) is followed,
after any negation, adverb or clitic pronoun, by a verb. When an article, a preposition, a
possessive or an object pronoun follows instead, or in English a gerund or a participle
(`could preparing`), or in French a word that is not an infinitive follows an object pronoun
(`pourrait les frontières`), the verb is missing. A French reporting clause after a quotation
inverts its subject behind the auxiliary (`», a déclaré M. Lavrov`), so an auxiliary there followed
by a name or an article (`», a M. Lavrov`, or after a comma alone `..., a Milley.`) has lost its
participle; so has a French auxiliary followed by an infinitive (`a entendre` for `a laissé entendre`).
In English an adjective after a modal (`would economic sanctions`, `would "horrific"`), or `as` that
opens no comparison (`could as a pretext`; not `might as well`, `could as easily`), stands where
the verb was. Modals that also govern nouns are left out
(`will` the noun, `vouloir la paix`, `doit de l'argent`, `debe su nombre a`), and so is a modal
ending its clause (`as soon as it could.` is an ellipsis). French avoir followed by an article or a
possessive (`Poutine a sa première réaction` for `a proposé`) is a dropped participle only where the
source has no verb of possession (has, hat, tiene ...) and no idiom explains it (`a l'intention de`).
Only the target is checked: the source is the reference text. Languages without cue lists give no verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import CLOSING_QUOTES, EN_MODALS, FR_INFINITIVE, base_lang, zipf

#: before `will` these make it the noun (the will of the people, free will, her own will)
_EN_WILL_NOUN = frozenset("the a an his her their its our my your own free good ill political popular general "
                          "last strong's".split())
#: base verbs that end like a gerund or a participle (could bring, would need)
_EN_ING_ED_VERBS = frozenset("bring string spring swing sting cling fling sling wring sing ring wing "
                             "shed wed shred embed bed".split())


#: what follows `as` right after a modal in an idiom or a comparison (might as well, could as easily)
_EN_AS_ADVERBS = frozenset("well much many soon long far good little often fast easy hard".split())


#: verbs that end like an adjective (would panic)
_EN_IC_VERBS = frozenset("panic mimic traffic frolic".split())


def _en_not_base_verb(word: str) -> bool:
    """A gerund, a past participle or an adjective (could preparing, would prepared, would economic):
    never right after a modal."""
    if word in _EN_ING_ED_VERBS or word in _EN_IC_VERBS or not word.isalpha():
        return False
    return (word.endswith("ing") and len(word) > 5) or (word.endswith("ed") and not word.endswith("eed")
                                                         and len(word) > 4) \
        or (len(word) > 5 and word.endswith(("ous", "ful", "less", "ic", "ical")))


@dataclass(frozen=True)
class _Cues:
    modals: frozenset[str]
    skip: frozenset[str]          # negation and adverbs that may stand between the modal and its verb
    not_verb: frozenset[str]      # what cannot follow a modal: articles, prepositions, possessives
    clitics: frozenset[str] = frozenset()   # pronouns that stand before the infinitive (peut le faire)
    #: auxiliaries that cannot stand right before the complementiser (`a que` for `a déclaré que`),
    #: the complementiser, and what before the auxiliary makes it grammatical (il y a que, n'a qu'à)
    auxiliaries: frozenset[str] = frozenset()
    complementiser: tuple[str, ...] = ()
    aux_ok_after: frozenset[str] = frozenset()
    #: after a closing quotation and a comma, what cannot follow the inverted auxiliary (its subject)
    inverted_subject: frozenset[str] = frozenset()
    #: two-word adverbs that open with a preposition (à peine, de nouveau): skipped like adverbs
    skip_pairs: frozenset[tuple[str, str]] = frozenset()


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_CUES = {
    "en": _Cues(EN_MODALS,
                _set("not n't never also still already even only then now just probably certainly really soon "
                     "quickly easily hardly"),
                _set("the a an this these those its his their our my your of in on at for with by from against "
                     "into about over under between through during without to no every them him us me many "
                     "several")),
    "fr": _Cues(_set("peut peuvent pourrait pourraient pourra pourront pouvait pouvaient puisse puissent devrait "
                     "devraient"),
                _set("ne n pas plus jamais encore bien déjà également aussi toujours probablement certainement "
                     "vraiment d'abord d'ailleurs"),
                _set("un une des du au aux à de d sur dans contre pour avec par sans vers chez entre son sa ses "
                     "leurs notre nos votre vos ce cet cette ces"),
                clitics=_set("se s me m te t nous vous le la les l lui leur y en"),
                auxiliaries=_set("a ont avait avaient aura auront aurait auraient"), complementiser=("que", "qu"),
                aux_ok_after=_set("y n'y ne n"), inverted_subject=_set("le la les l un une m mme"),
                skip_pairs=frozenset({("à", "peine"), ("à", "nouveau"), ("de", "nouveau"), ("de", "plus"),
                                      ("en", "outre")})),
    # Spanish and Italian put clitics after the infinitive or before the modal, never between them, so
    # an article right after the modal is a missing verb (puede la frontera, può la frontiera)
    "es": _Cues(_set("puede pueden podría podrían podrá podrán pudo debería deberían"),
                _set("no también ya todavía aún incluso solo sólo realmente probablemente"),
                _set("el la los las un una unos unas del al a en con por para sin sobre entre contra su sus este "
                     "esta estos estas ese esa esos esas"),
                auxiliaries=_set("ha han había habían habría habrían"), complementiser=("que",)),
    "it": _Cues(_set("può possono potrebbe potrebbero potrà potranno dovrebbe dovrebbero"),
                _set("non anche già ancora solo davvero probabilmente"),
                _set("il lo la i gli le un uno una del dello della dei degli delle al allo alla ai agli alle di "
                     "da in con su per tra fra suo sua suoi sue questo questa questi queste"),
                auxiliaries=_set("ha hanno aveva avevano avrebbe avrebbero"), complementiser=("che",),
                aux_ok_after=_set("non")),
    # Brazilian Portuguese puts a clitic between the modal and the infinitive (pode se tornar)
    "pt": _Cues(_set("pode podem poderia poderiam poderá poderão deveria deveriam"),
                _set("não também já ainda só apenas realmente provavelmente"),
                _set("o a os as um uma uns umas do da dos das no na nos nas ao aos à às de em com por para sem sobre "
                     "entre seu sua seus suas este esta estes estas esse essa esses essas"),
                clitics=_set("se me te lhe lhes nos vos")),
}
_FR_OBJECT = _set("le la les lui leur")
_EN_ADVERBIAL_OPENERS = _set("in at for on under by with within upon")
_TOKEN = re.compile(r"\w+(?:['’]\w+)?|[.,;:!?()\"«»“”]")


def dangling(text: str, lang: str) -> list[tuple[int, int]] | None:
    """Spans of modals (and auxiliaries) with no verb after them; None when `lang` has no cue list."""
    lang = base_lang(lang)
    cues = _CUES.get(lang)
    if cues is None:
        return None
    toks = [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out = []
    for k, (w, s, e) in enumerate(toks):
        if w in cues.auxiliaries and k + 1 < len(toks) and toks[k + 1][0].split("'")[0] in cues.complementiser:
            before = toks[k - 1][0] if k > 0 else ""
            if before not in cues.aux_ok_after and not (lang == "fr" and before.startswith("n'")):
                out.append((s, e))
            continue
        if w in cues.auxiliaries and cues.inverted_subject and _inverted_without_participle(toks, k, text, cues):
            out.append((s, e))
            continue
        if lang == "fr" and w in cues.auxiliaries and k + 1 < len(toks) and _fr_bare_infinitive(toks[k + 1][0]) \
                and (k == 0 or toks[k - 1][0] not in ("y", "n'y")):
            out.append((s, e))  # `a entendre` for `a laissé entendre`: avoir takes a participle, not an infinitive
            continue
        if w not in cues.modals:
            continue
        if w == "will" and (k == 0 or toks[k - 1][0] in _EN_WILL_NOUN or text[s:s + 1] == "W"):
            continue  # the noun, or a name (Will)
        nxt, clitic = k + 1, False
        while nxt < len(toks):
            word = toks[nxt][0]
            if word in cues.skip or word.split("'")[0] in cues.skip:
                nxt += 1
            elif nxt + 1 < len(toks) and (word, toks[nxt + 1][0]) in cues.skip_pairs:
                nxt += 2
            elif word in cues.clitics or word.split("'")[0] in cues.clitics:
                nxt, clitic = nxt + 1, True
            else:
                break
        if nxt >= len(toks):
            continue
        follower = toks[nxt][0]
        if lang == "en" and follower == "no" and nxt + 1 < len(toks) and toks[nxt + 1][0] in ("longer", "more", "doubt"):
            continue  # could no longer wait
        if lang == "en" and follower in _EN_ADVERBIAL_OPENERS and any(t[0] in ("be", "have") for t in toks[nxt + 1:nxt + 6]):
            continue  # `shall in each case be due`, `may under these terms be`: an adverbial before the verb
        if lang == "en" and follower in ('"', "“") and nxt + 1 < len(toks):
            follower = toks[nxt + 1][0]  # would "horrific": a quoted word stands where the verb is
        if lang == "en" and follower == "as" and nxt + 1 < len(toks):
            after = toks[nxt + 1][0]  # could as a pretext: the verb is missing; might as well, could as easily: not
            if after not in _EN_AS_ADVERBS and not after.endswith("ly") and after.isalpha():
                out.append((s, e))
            continue
        if follower in cues.not_verb or (lang == "en" and _en_not_base_verb(follower)):
            out.append((s, e))
        elif lang == "fr" and clitic and toks[nxt - 1][0] in _FR_OBJECT and follower.isalpha() \
                and not FR_INFINITIVE.match(follower):
            # after an object pronoun comes the infinitive it belongs to (`pourrait les frontières`)
            out.append((s, e))
    return out


#: infinitive endings read after avoir (-oire, -aire, -tre are mostly nouns: histoire, affaire, quatre)
_FR_INFINITIVE_ENDINGS = ("er", "ir", "dre", "ttre", "uire", "ndre")
#: words with those endings that follow avoir bare as nouns, adverbs or adjectives (il a affaire à,
#: a pouvoir de, a hier annoncé, a plaisir à)
_FR_AVOIR_NOUNS = frozenset("pouvoir loisir plaisir avenir souvenir désir devoir savoir voir hier cher fier premier "
                            "dernier entier hiver mer fer enfer super amer léger étranger danger quartier métier "
                            "ordre cadre poudre foudre lettre".split())
#: what may follow the name of an inverted reporting clause (`, a déclaré Milley à la presse.`)
_FR_AFTER_SPEAKER = frozenset("à au aux lors dans devant sur selon".split())


def _fr_bare_infinitive(word: str) -> bool:
    return word not in _FR_AVOIR_NOUNS and word.endswith(_FR_INFINITIVE_ENDINGS) and bool(FR_INFINITIVE.match(word)) \
        and (zipf(word, "fr") or 0.0) >= 2.5


def _inverted_without_participle(toks: list, k: int, text: str, cues: _Cues) -> bool:
    """`», a M. Lavrov` / `", a le Kremlin`: the auxiliary of a reporting clause after a quotation,
    followed by its subject where the participle should be; without a quotation (`..., a Milley.`)
    only a capitalised name that ends the clause counts (`, a la responsabilité` is a verb)."""
    if k < 1 or k + 1 >= len(toks) or toks[k - 1][0] != "," and "," not in (toks[k - 2][0] if k > 1 else ""):
        return False
    nxt = toks[k + 1]
    word = nxt[0].split("'")[0]
    after_quote = toks[k - 1][0] == "," and k > 1 and toks[k - 2][0] in CLOSING_QUOTES
    if not after_quote and k > 1 and toks[k - 1][0] in CLOSING_QUOTES and toks[k - 2][0] == ",":
        # `, " a`: the quotation mark opens a quotation unless the straight quotes before it are unbalanced
        after_quote = toks[k - 1][0] != '"' or text[:toks[k - 1][1]].count('"') % 2 == 1
    if after_quote:
        return word in cues.inverted_subject or text[nxt[1]].isupper()
    if toks[k - 1][0] != "," or not text[nxt[1]].isupper():
        return False
    j = k + 1  # the name: capitalised words (and M., Mme), then the clause ends
    while j < len(toks) and (text[toks[j][1]].isupper() or toks[j][0] == "."
                             and j + 1 < len(toks) and text[toks[j + 1][1]].isupper()):
        j += 1
    return j >= len(toks) or toks[j][0] in (".", ",", "!", "?", ";") or toks[j][0] in _FR_AFTER_SPEAKER


#: French avoir followed by an article or a possessive: the main verb `have` (il a une maison), or an
#: auxiliary whose participle was dropped (`Poutine a sa première réaction` for `a proposé`). Where the
#: source has no verb of possession, only the second reading is left
_FR_AVOIR_ARTICLE = re.compile(r"(?<![\w'’-])(?:a|ont|avait|avaient)\s+(?:le|la|les|l['’]|un|une|des|du|sa|son|ses|"
                               r"leur|leurs|ce|cet|cette|ces)\b(?![-‑])")
#: ... and the idioms of avoir + article that no `have` translates (avoir l'intention de: intend)
_FR_AVOIR_IDIOMS = re.compile(r"\s+(?:l['’](?:intention|air|habitude|impression|occasion|avantage|obligation)|"
                              r"le\s+(?:droit|temps|sentiment|courage|choix|dessus|pouvoir)|"
                              r"la\s+(?:possibilité|chance|capacité|parole|charge|responsabilité|main|garde)|"
                              r"du\s+mal)\b", re.IGNORECASE)
#: verbs of possession, per source language
_HAVE = {"en": frozenset("has have had having got".split()),
         "de": frozenset("hat haben hatte hatten habe hätte hätten besitzt besaß".split()),
         "es": frozenset("tiene tienen tenía tenían tuvo tuvieron tener tengo posee".split()),
         "it": frozenset("ha hanno aveva avevano ebbe ebbero avere possiede".split()),
         "pt": frozenset("tem têm tinha tinham teve tiveram ter possui".split())}


def fr_avoir_without_participle(target: str, source: str, src_lang: str) -> list[tuple[int, int]]:
    """Spans of French avoir followed by an article where the source has no verb of possession (so
    avoir must have been an auxiliary); none when the source's language has no list, or after
    `il y` (il y a des ...) or a capital (`A la demande`: the preposition à without its accent)."""
    have = _HAVE.get(base_lang(src_lang))
    if have is None or any(w in have for w in re.findall(r"\w+", source.lower())):
        return []
    out = []
    for m in _FR_AVOIR_ARTICLE.finditer(target):
        if target[m.start()].isupper() or re.search(r"\by\s+$", target[:m.start()]) \
                or _FR_AVOIR_IDIOMS.match(target, m.end() - len(m.group().split()[-1]) - 1):
            continue
        out.append((m.start(), m.start() + len(m.group().split()[0])))
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
        if base_lang(ctx.tgt_lang) == "fr":
            tgt += fr_avoir_without_participle(case.tgt_text, case.src_text, ctx.src_lang)
        if not tgt or len(src) >= len(tgt):  # the source reads the same way: a style, not a dropped verb
            return CheckResult(0.0)
        found = ", ".join(case.tgt_text[a:b] for a, b in tgt)
        return CheckResult(self.settings["severity"], f"{found} without its verb: a verb seems dropped",
                           (), span_list(tgt))
