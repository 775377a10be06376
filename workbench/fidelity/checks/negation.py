"""Negation present on one side only, from per-language cue lists.

French `ne` counts only with its second part (`ne ... pas/jamais/rien/plus/aucun`), so the
expletive `ne` (`craignent que la Russie ne se prépare`) and restrictive `ne ... que` are not
negations; `non plus`, `pas mal` are not negations either.

Idioms built on a negation word (`no doubt`, `sin embargo`, `nicht nur`) are none, nor are restrictive
`nothing but` / `nothing ... except`; `no longer` is one, as `ne ... plus` is. A side negating once where
the other says it with a contrast (`rather than` / `und nicht`), with `not ... until` (only), or with a
`non-` compound written apart (`non-steroidal` / `non steroidei`) is no divergence.

When both sides negate something, a negated verb added or dropped (`Il n'a pas déclaré, sans
donner de détails` for `He said, without giving details`) still changes the meaning: in English and
French the negated verbs are counted apart from negated nouns and pronouns (`no one`, `sans`, `not
the instigator`), which translations rephrase freely, and flagged when both counts differ.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import (
    FR_INFINITIVE,
    base_lang,
    fold,
    folded_words,
    near_negation_cues,
    negation_cues,
    quotations,
    zipf,
)

_NUMBER_SIGN = re.compile(r"\.?\s?\d|\.\s")
_FR_SANS_DOUTE = re.compile(r"\s+(?:aucun\s+)?doute\b")
_NT = re.compile(r"n['’]t", re.IGNORECASE)
_FR_SECOND = {"pas", "jamais", "rien", "plus", "aucun", "aucune", "personne", "guere", "nullement", "point", "ni", "nul"}
#: pouvoir, savoir, oser, cesser: literary French negates them with 'ne' alone
_FR_NE_ALONE_VERBS = ("pouv", "peu", "pourr", "pus", "put", "sav", "sai", "sau", "ose", "osa", "oser", "cess")
#: 'sans cesse' (constantly), 'sans tarder', 'sans délai' (at once): idioms, not negations ('sans doute': _FR_SANS_DOUTE)
_FR_SANS_IDIOMS = frozenset({"cesse", "arret", "tarder", "relache", "conteste", "delai", "retard"})
_FR_ALONE = {"sans", "aucun", "aucune", "jamais", "nullement"}
#: 'jamais' after these means 'ever' (plus que jamais, si jamais) or 'for ever' (à jamais, à tout jamais)
_FR_JAMAIS_EVER = frozenset({"que", "qu", "si", "a", "tout"})
#: a negation word and the word after it that make an idiom, not a negated statement (folded)
_NOT_NEGATING = {
    "en": {"no": ("doubt",), "not": ("only",)},  # ('no longer' negates, as French 'ne ... plus')
    "es": {"sin": ("embargo", "duda"), "no": ("obstante", "solo", "sólo")},
    "it": {"senza": ("dubbio",), "non": ("solo", "soltanto")},
    "pt": {"sem": ("duvida",), "nao": ("so", "apenas")},
    "de": {"nicht": ("nur",), "ohne": ("zweifel",)},
    "nl": {"niet": ("alleen",), "zonder": ("twijfel",)},
}
#: restrictive 'nothing but X', 'no one except X' (only X), as French 'ne ... que'
_EN_RESTRICTIVE_HEADS = frozenset({"nothing", "nobody", "none", "no"})
_CLAUSE_START = re.compile(r"(?:^|[.;:!?,(—–-])\s*[\"'«“]?\s*$")


def negations(text: str, lang: str) -> list[tuple[int, int]]:
    """Spans of the negation events of a text (one span per event)."""
    return list(_negations(text, base_lang(lang)))


@lru_cache(maxsize=1 << 14)
def _negations(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    toks = folded_words(text.replace("n’", "n'"))
    if lang == "fr":
        return _french(text, toks)
    events: list[tuple[int, int]] = []
    cues = negation_cues(lang)
    for i, (w, s, e) in enumerate(toks):
        if w in cues or (lang == "en" and w.endswith("n't")):
            if i + 1 < len(toks) and toks[i + 1][0] in _NOT_NEGATING.get(lang, {}).get(w, ()):
                continue  # 'no doubt', 'not only', 'sin embargo' (however): not a negated statement
            if w == "no" and _NUMBER_SIGN.match(text, e):
                continue  # 'No. 5': a number sign
            if lang == "en" and w in _EN_RESTRICTIVE_HEADS and (
                    (i + 1 < len(toks) and toks[i + 1][0] == "but")
                    or any(t[0] in ("except", "save", "besides") for t in toks[i + 1:i + 7])):
                continue  # 'nothing but', 'knew nothing of him, except what the town knew': only
            events.append((s, e))
    if lang == "en":  # n't written with a typographic apostrophe is split off by words()
        for m in _NT.finditer(text):
            k = m.start()
            if not any(s <= k < e for s, e in events):
                events.append((k, k + 3))
    return tuple(events)


#: conjunctions after which `aucun`/`personne`/`rien ... ne` means any-, not no- (avant qu'aucune ne soit
#: publiée: before any is published; sans que personne ne le sache: without anyone knowing). After à moins
#: que it keeps its negation (à moins que rien ne change: unless nothing changes)
_FR_EXPLETIVE_BEFORE = frozenset({"avant", "sans"})


_QUE_NEXT = re.compile(r"\s+qu(?:e\b|')")


def _after_expletive_conjunction(low: str, toks, k: int, reach: int = 8) -> bool:
    """Token k stands within `reach` words after `avant que` or `sans que`."""
    return any(toks[j][0] in _FR_EXPLETIVE_BEFORE and _QUE_NEXT.match(low, toks[j][2])
               for j in range(max(0, k - reach), k))


def _after_que(low: str, toks, i: int) -> bool:
    """Token i stands within four words after `que` / `qu'` (a relative clause: `que j'aie jamais eue`)."""
    return any(toks[k][0] in ("que", "qu") or _QUE_NEXT.match(low, toks[k][2]) for k in range(max(0, i - 5), i - 1))


def _is_ne(w: str, s: int, e: int, low: str) -> bool:
    """The token is French 'ne' / "n'" (also the word after "n' " in tokenised text: 'n' est')."""
    return w == "ne" or (w == "n" and low[e:e + 1] == "'") or (w not in _FR_SECOND and s >= 2 and low[s - 2:s] == "n'")


def _french(text: str, toks) -> tuple[tuple[int, int], ...]:
    """French negation events: ne ... pas/jamais/rien/..., literary ne alone, sans, aucun, jamais, non."""
    events: list[tuple[int, int]] = []
    used: set[int] = set()
    low = text.replace("’", "'").lower()
    for i, (w, s, e) in enumerate(toks):
        if _is_ne(w, s, e, low):
            for j in range(i + 1, min(len(toks), i + 7)):
                if toks[j][0] in ("que", "qu") or _QUE_NEXT.match(low, toks[j - 1][2]):
                    break  # restrictive 'ne ... que' (only): 'ne sont que des pas d'ours', 'n'avait qu'un'
                if toks[j][0] in _FR_SECOND:
                    after = toks[j + 1][0] if j + 1 < len(toks) else ""
                    used.add(j)
                    if toks[j][0] == "plus" and (after in ("que", "qu") or _QUE_NEXT.match(low, toks[j][2])):
                        break  # 'il ne reste plus que quatre', 'n'était plus qu'une rivière': only
                    inf = toks[j + 2][0] if j + 2 < len(toks) else ""
                    if after in ("de", "d") and FR_INFINITIVE.match(inf) and any(
                            t[0].startswith("manqu") for t in toks[i + 1:j + 1]):
                        break  # 'ne manque pas de créer': does not fail to (but 'ne manque pas de courage')
                    events.append((s - (0 if w in ("ne", "n") else 2), toks[j][2]))
                    break
            else:  # 'personne ne', 'rien ne', 'aucun ne'
                nxt = toks[i + 1][0] if i + 1 < len(toks) and w in ("ne", "n") else ""
                if nxt.startswith(_FR_NE_ALONE_VERBS) and not any(  # literary 'ne pouvait exister', 'n'ose'
                        t[0] in ("que", "qu") for t in toks[i + 2:i + 5]):  # 'ne peut que': can only
                    events.append((s, toks[i + 1][2]))
                elif i > 0 and toks[i - 1][0] in {"personne", "rien", "aucun", "aucune", "nul", "nulle"}:
                    used.add(i - 1)
                    if not _after_expletive_conjunction(low, toks, i - 1):  # avant qu'aucune ne soit publiée: any
                        events.append((toks[i - 1][1], e))
    for i, (w, s, e) in enumerate(toks):
        if i in used:
            continue
        if w == "sans" and i + 1 < len(toks) and toks[i + 1][0] in _FR_SANS_IDIOMS:
            continue
        if w == "sans" and 0 < i and i + 1 < len(toks) and toks[i - 1][0] in ("va", "allait") and toks[i + 1][0] == "dire":
            continue  # 'il va sans dire': it goes without saying
        if w == "sans" and _FR_SANS_DOUTE.match(text.lower(), e):
            if i + 1 < len(toks) and toks[i + 1][0] in ("aucun", "aucune"):
                used.add(i + 1)
            continue  # 'sans doute', 'sans aucun doute': 'no doubt', 'undoubtedly'
        if w == "jamais" and (("?" in text and i > 0) or (i > 0 and toks[i - 1][0] in _FR_JAMAIS_EVER)
                              or (_after_que(low, toks, i) and not any(_is_ne(*t, low) for t in toks))):
            continue  # without 'ne', 'ever': 'ont-ils jamais vu ... ?', 'plus que jamais', 'si jamais', 'à jamais',
            # 'la meilleure lampe que j'aie jamais eue'
        if w == "pas" and text[s:e].isupper() and not text.isupper():
            continue  # an acronym: 'la pression artérielle systolique (PAS)'
        if w == "ni" and sum(t[0] == "ni" for t in toks) >= 2:
            if i == next(k for k, t in enumerate(toks) if t[0] == "ni"):
                events.append((s, e))  # 'ni ventilateur, ni bourdonnement' without 'ne': neither ... nor
            continue
        if w in _FR_ALONE or (w == "non" and not (i + 1 < len(toks) and toks[i + 1][0] == "plus")) or (
                w == "nulle" and i + 1 < len(toks) and toks[i + 1][0] == "part"):
            events.append((s, e))
        elif w == "pas" and _CLAUSE_START.search(text[:s]) and not (i + 1 < len(toks) and toks[i + 1][0] == "mal"):
            events.append((s, e))  # 'pas' opening a clause, without 'ne': 'Pas question de ...' ('pas mal': quite)
        elif w == "rien" and _CLAUSE_START.search(text[:s]) and not (i + 1 < len(toks) and toks[i + 1][0] in ("que", "qu")):
            events.append((s, e))  # 'Rien de nouveau à signaler' (but 'Rien que l'idée': only)
    return tuple(events)


_EN_AUX = frozenset("is are was were be been am do does did has have had will would can could shall should may might "
                    "must".split())
_FR_VERBAL_SECOND = frozenset({"pas", "jamais", "point", "guere", "nullement"})


def clausal_negations(text: str, lang: str) -> int | None:
    """How many negated verbs a text has (`was not`, `didn't`, `never`; `n'a pas`, `ne ... jamais`),
    leaving out negated nouns and pronouns (`no one`, `not the instigator`, `personne ne`, `sans`);
    None for a language without the rule."""
    lang = base_lang(lang)
    if lang not in ("en", "fr"):
        return None
    toks = folded_words(text.replace("n’", "n'").replace("’", "'"))
    n = 0
    if lang == "en":
        n += len(_NT.findall(text.replace("’", "'")))
        for i, (w, _, _) in enumerate(toks):
            if w in ("never", "cannot") or (w == "not" and any(toks[j][0] in _EN_AUX for j in range(max(0, i - 2), i))):
                n += 1
            elif w == "no" and i + 1 < len(toks) and toks[i + 1][0] == "longer":
                n += 1
        return n
    low = text.replace("’", "'").lower()
    for i, (w, s, e) in enumerate(toks):
        if _is_ne(w, s, e, low):
            for j in range(i + 1, min(len(toks), i + 7)):
                second = toks[j][0]
                if second in ("que", "qu") or _QUE_NEXT.match(low, toks[j - 1][2]):
                    break
                after = toks[j + 1][0] if j + 1 < len(toks) else ""
                restrictive = after in ("que", "qu") or _QUE_NEXT.match(low, toks[j][2])
                if second in _FR_VERBAL_SECOND or (second == "plus" and not restrictive):
                    n += 1
                    break
                if second in _FR_SECOND:
                    break
    return n


_NOT_WITHOUT = frozenset({"unless", "nevertheless", "nonetheless", "bless", "blessed", "lessen", "lesson"})


#: a contrast that another language says with a negation (`grows in networks rather than in isolation` /
#: `in Netzwerken wächst und nicht in der Isolation`)
_CONTRAST = {
    "en": r"\brather than\b|\binstead of\b", "fr": r"\bplutôt que\b|\bplutôt qu['’]|\bau lieu d", "de": r"\b(?:an)?statt\b",
    "es": r"\ben (?:lugar|vez) de\b", "it": r"\binvece di\b|\banziché\b", "pt": r"\bem vez de\b|\bao invés de\b",
}


#: an English negation that says `only` (`did not score until the 31st minute` / `only scored at`) or sets
#: a bound (`not less than 30 seconds` / `au moins 30 secondes`, `a dose not exceeding` / `dose maximale`)
_EN_NEAR = re.compile(r"\bnot\b[^.;:!?]{1,60}?\buntil\b|\bno(?:t)?(?: be)? (?:less|more|fewer|greater|higher|lower|later|earlier)"
                      r" than\b|\bnot (?:to )?exceed", re.IGNORECASE)
#: a prohibition, which another language may say with a negation (`must not be stored` / `il est interdit
#: de stocker`), folded. (Not `avoid` / `éviter`: `la congestion évitée` translates `prevented`, and
#: leaves a dropped `not` unseen.)
_PROHIBITIONS = {
    "en": ("forbidden", "prohibited", "banned"),
    "fr": ("interdit", "interdite", "interdits", "interdites", "interdiction"),
    "de": ("verboten", "untersagt"),
    "es": ("prohibido", "prohibida", "prohibidos", "prohibidas"),
    "it": ("vietato", "vietata", "vietati"),
    "pt": ("proibido", "proibida", "proibidos"),
}
#: an English `-free` compound (`flicker-free` / `sans scintillement`, `tax-free`)
_EN_FREE = re.compile(r"[^\W\d_]-free\b", re.IGNORECASE)
#: a `non-` compound, which another language may write as two words (`non-steroidal` / `non steroidei`)
_NON_COMPOUND = re.compile(r"\bnon-([^\W\d_]{4,})", re.IGNORECASE)


def _split_compound(events: list[tuple[int, int]], negated: str, plain: str) -> bool:
    """The one negation of `negated` is the first half of a `non-` compound of `plain`, written apart
    (`non steroidei` for `non-steroidal`: the words after it start alike)."""
    if len(events) != 1 or "non-" not in plain.lower():
        return False
    after = re.match(r"\s+([^\W\d_]+)", negated[events[0][1]:])
    return bool(after) and any(fold(m.group(1))[:5] == fold(after.group(1))[:5] for m in _NON_COMPOUND.finditer(plain))


def _says_one_negation_otherwise(text: str, lang: str) -> bool:
    """`text` holds a contrast or a prohibition, which may stand for one negation of the other side."""
    contrast = _CONTRAST.get(base_lang(lang))
    if contrast and re.search(contrast, text, re.IGNORECASE):
        return True
    words = _PROHIBITIONS.get(base_lang(lang), ())
    return bool(words) and any(w in words for w, _, _ in folded_words(text))


@lru_cache(maxsize=1 << 14)
def has_near_negation(text: str, lang: str) -> bool:
    """'hardly', 'seldom', 'egoless', 'unlikely', or a negation right after 'almost' ('presque personne ne')."""
    if base_lang(lang) == "en" and (_EN_NEAR.search(text) or _EN_FREE.search(text)):
        return True
    near, almost, suffix, prefix = near_negation_cues(lang)
    toks = folded_words(text)
    for w, s, e in toks:
        if w in near or (suffix and len(w) >= len(suffix) + 3 and w.endswith(suffix) and w not in _NOT_WITHOUT):
            return True
        # a negating prefix on a known word: unlikely (likely), unberührt (berührt: looked up with its
        # accents, as the word list spells it); not under, und
        if prefix and w.startswith(prefix) and len(w) >= len(prefix) + 5 \
                and (zipf(text[s + len(prefix):e].lower(), lang) or 0) >= 3.0:
            return True
    if almost:
        for s, _ in negations(text, lang):
            k = next((i for i, (_, ts, _) in enumerate(toks) if ts == s), None)
            if k is not None and any(toks[j][0] in almost for j in range(max(0, k - 2), k)):
                return True
    return False


def _outside_shared_quotes(events: list[tuple[int, int]], text: str, other: str) -> list[tuple[int, int]]:
    """Drop negations inside a quotation that the other side repeats verbatim (a title kept in its
    original language: 'the song "Ne l'oseray je dire"'): they belong to neither translation."""
    if not events or not any(c in text for c in "\"“«„"):
        return events
    shared = [(a, b) for a, b, words in quotations(text) if words.strip() and words.strip() in other]
    return [(s, e) for s, e in events if not any(a <= s < b for a, b in shared)]


#: English contractions whose stem is not the auxiliary with n't cut off
_EN_UNCONTRACTED = {"won't": "will", "can't": "can", "shan't": "shall", "cannot": "can", "ain't": "am"}


def without_negation(text: str, lang: str) -> str | None:
    """`text` with the words of its negations taken out (`was not able` -> `was able`, `didn't` -> `did`,
    `n'a pas dit` -> `a dit`, `sans comprendre` -> `comprendre`); None when it has none. Not always
    grammatical: it is only the contrast the encoder is asked about."""
    lang = base_lang(lang)
    events = negations(text, lang)
    if not events:
        return None
    cues = negation_cues(lang) | (_FR_SECOND | {"ne", "n"} if lang == "fr" else frozenset())
    cuts: list[tuple[int, int, str]] = []
    for a, b in events:
        if lang == "fr" and text[a:a + 2].lower() in ("n'", "n’"):
            cuts.append((a, a + 2, ""))  # the elided ne of `n'avais plus`
        for w, s, e in folded_words(text):
            if e <= a or s >= b:
                continue
            if lang == "en" and (w.endswith("n't") or w in _EN_UNCONTRACTED):
                whole = w.replace("’", "'")
                cuts.append((s, e, _EN_UNCONTRACTED.get(whole, text[s:e - 3])))
            elif w in cues:
                end = e + 1 if lang == "fr" and w == "n" and text[e:e + 1] in "'’" else e
                cuts.append((s, end, ""))
        if lang == "en" and text[a:b].replace("’", "'").lower() == "n't":  # typographic n't, split off
            stem_start = len(text[:a]) - len(re.search(r"\w*$", text[:a]).group())
            stem = text[stem_start:a]
            cuts.append((stem_start, b, _EN_UNCONTRACTED.get(stem.lower() + "n't", stem)))
    out, pos = [], 0
    for s, e, rep in sorted(set(cuts)):
        if s < pos:
            continue
        out.append(text[pos:s] + rep)
        pos = e
    out.append(text[pos:])
    return " ".join("".join(out).split())


@check_registry.register("negation")
class NegationCheck(Check):
    """A negation on one side only is first read from the words. The encoder then judges it (with the
    encoder, within the encode budget): the negated side is encoded again without its negation words.
    If that brings it closer to the other side, the negation is what differs (`is` / `n'est pas`). If not,
    the other side most likely says the same thing without a negation word (`was not able to` /
    `l'ont empêché de`, `afin de ne pas briser` / `to avoid breaking`), and the finding drops to a hint
    (`rendered_otherwise`). On edits that add or drop a negation, taking it out brings the sides closer
    96% of the time; on lexical renderings of faithful translations, 40% of the time."""

    name = "negation"
    defaults = {"threshold": 0.5, "weight": 0.35, "min_gain": 0.0, "rendered_otherwise": 0.3}

    def score_all(self, cases: Sequence[LinkCase], ctx: DocContext) -> list[CheckResult | None]:
        judged = [self._judge(c, ctx) for c in cases]
        out = [r for r, _ in judged]
        if ctx.encoder is None or ctx.encode_budget <= 0:
            return out
        jobs: list[tuple[int, str, str, str]] = []  # (case, without negation, negated side, other side)
        for k, (c, (res, side)) in enumerate(zip(cases, judged, strict=True)):
            if side is None or res is None or res.score < self.settings["threshold"]:
                continue
            negated, other, lang = ((c.src_text, c.tgt_text, ctx.src_lang) if side == "source"
                                    else (c.tgt_text, c.src_text, ctx.tgt_lang))
            plain = without_negation(negated, lang)
            if plain and plain != negated and len(jobs) < ctx.encode_budget:
                jobs.append((k, plain, negated, other))
        if not jobs:
            return out
        # the budget is shared: what this check encodes, the checks after it (partial) cannot
        ctx.encode_budget -= len(jobs)
        ctx.stats["negation_encoded"] = len(jobs)
        texts = [t for job in jobs for t in job[1:]]
        emb = ctx.encoder.encode(texts)
        for n, (k, *_) in enumerate(jobs):
            e_plain, e_negated, e_other = emb[3 * n], emb[3 * n + 1], emb[3 * n + 2]
            gain = float(e_plain @ e_other - e_negated @ e_other)
            res = out[k]
            if gain <= self.settings["min_gain"]:
                out[k] = CheckResult(self.settings["rendered_otherwise"],
                                     f"{res.message}, but the other side seems to say it without a negation word "
                                     f"(taking it out moves the sides apart: {gain:+.3f})", res.src_spans, res.tgt_spans)
            else:
                out[k] = CheckResult(res.score, f"{res.message} (taking it out brings the sides closer: {gain:+.3f})",
                                     res.src_spans, res.tgt_spans)
        return out

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        return self._judge(case, ctx)[0]

    def _judge(self, case: LinkCase, ctx: DocContext) -> tuple[CheckResult | None, str | None]:
        """The finding from the words, and the side that negates alone (None if both or neither do)."""
        if not negation_cues(ctx.src_lang) or not negation_cues(ctx.tgt_lang):
            return None, None
        src = _outside_shared_quotes(negations(case.src_text, ctx.src_lang), case.src_text, case.tgt_text)
        tgt = _outside_shared_quotes(negations(case.tgt_text, ctx.tgt_lang), case.tgt_text, case.src_text)
        if not src and not tgt:
            return None, None
        if bool(src) != bool(tgt):
            if has_near_negation(case.src_text, ctx.src_lang) or has_near_negation(case.tgt_text, ctx.tgt_lang):
                return CheckResult(0.0), None  # 'hardly anyone knows' / 'presque personne ne connaît'
            plain_text, plain_lang = (case.tgt_text, ctx.tgt_lang) if src else (case.src_text, ctx.src_lang)
            if len(src or tgt) == 1 and _says_one_negation_otherwise(plain_text, plain_lang):
                return CheckResult(0.0), None  # 'rather than in isolation' / 'und nicht in der Isolation', 'interdit' / 'must not'
            if _split_compound(src or tgt, case.src_text if src else case.tgt_text, plain_text):
                return CheckResult(0.0), None
            side = "source" if src else "target"
            return CheckResult(0.9, f"negation on the {side} side only", span_list(src), span_list(tgt)), side
        cs, ct = clausal_negations(case.src_text, ctx.src_lang), clausal_negations(case.tgt_text, ctx.tgt_lang)
        # (a negated verb dropped lowers both counts: `n'a exclu aucune baisse, sans ...` has more negations
        # and fewer negated verbs than `did not rule out cuts`, which is rephrasing)
        if cs is not None and ct is not None and cs != ct and (cs > ct) == (len(src) > len(tgt)) and len(src) != len(tgt):
            return CheckResult(0.6, f"{cs} negated verb(s) in the source, {ct} in the target",
                               span_list(src), span_list(tgt)), None
        if len(src) != len(tgt) and abs(len(src) - len(tgt)) >= 1:
            return CheckResult(0.4, f"{len(src)} negation(s) in the source, {len(tgt)} in the target",
                               span_list(src), span_list(tgt)), None
        return CheckResult(0.0), None
