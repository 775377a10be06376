"""Gender of the people a sentence speaks of: `he` on one side where the other says `elle`.

A swapped pronoun is a classic translation error that the encoder hardly sees (`il a dit` and
`she said` are close vectors). Only third-person *personal* pronouns are read, in languages where
they mark gender unambiguously (English he/she, French il/elle, Spanish él/ella, Italian lui/lei,
Portuguese ele/ela); possessives are read only where they mark the possessor (English his/her; French `sa` agrees with the thing possessed), nor German
`sie` (she, they or you). A side that speaks only of a `she` facing a side that speaks only of a
`he` is a flag.

French `il` is also impersonal (`il y a`, `il faut`, `il est possible de`) and `elle` may stand for a
feminine thing (`la Russie ... elle`, English `it`); so a French `il` counts only as a person when no
impersonal verb follows it (`il ne s'agit pas`); an inverted subject (`a-t-il`, `explique-t-elle`) counts;
and a feminine side that faces an English `it` gives no verdict, unless
both sides open with a pronoun of two genders (`He said ...` / `Elle a déclaré ...`).

A side may also keep its own pronouns and gain one of the other gender (`he said he was ready` /
`elle a dit qu'il était prêt`). That is read only where the gained pronoun must be a person: an
English subject pronoun (not `his`/`her`, which French `son` leaves open, nor `him`, which French
`le` and Spanish `lo` hold unread), or a French,
Spanish, Italian or Portuguese pronoun facing an English side that speaks of no thing as `it`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import base_lang, folded_words

#: (masculine, feminine) third-person personal pronouns, folded
_PRONOUNS = {
    "en": (frozenset("he him himself his".split()), frozenset("she her herself hers".split())),
    "fr": (frozenset("il ils lui-meme eux-memes".split()), frozenset("elle elles elle-meme elles-memes".split())),
    "es": (frozenset("el ellos".split()), frozenset("ella ellas".split())),
    "it": (frozenset("lui egli".split()), frozenset("lei ella".split())),
    "pt": (frozenset("ele eles".split()), frozenset("ela elas".split())),
}
#: French impersonal `il`: il y a, il faut, il semble, il s'agit, il est (possible) de/que, il reste
_FR_IMPERSONAL = re.compile(
    r"\bil\s+(?:ne\s+|n['’])?(?:y\b|faut|fallait|faudra|faudrait|semble|semblait|s['’]agit|s['’]agissait|reste|restait|"
    r"parait|paraît|suffit|suffisait|vaut|importe|convient|arrive|arrivait|pleut|neige|fait\s+(?:beau|froid|chaud)|"
    r"est\s+\w+\s+(?:de|d['’]|que|qu['’])|était\s+\w+\s+(?:de|d['’]|que|qu['’])|sera\s+\w+\s+(?:de|d['’]|que|qu['’]))",
    re.IGNORECASE)
_FR_INVERTED = frozenset({"il", "ils", "elle", "elles"})
#: ... and the English pronouns a thing (or things) may be, which a gendered French pronoun may stand for
_EN_THINGS = frozenset("it its itself they them their theirs themselves".split())
#: the neuter pronoun a feminine thing becomes in English
_EN_IT = frozenset("it its itself".split())
#: English pronouns that must be a person and whose counterpart the other side spells out (il, elle)
_EN_SUBJECTS = frozenset("he she".split())


def gendered(text: str, lang: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """Spans of masculine and of feminine personal pronouns; None where the language is not read."""
    table = _PRONOUNS.get(base_lang(lang))
    if table is None:
        return None
    masc, fem = table
    skip = {m.start() for m in _FR_IMPERSONAL.finditer(text)} if base_lang(lang) == "fr" else set()
    m_spans, f_spans = [], []
    for w, s, e in folded_words(text):
        if "-" in w and base_lang(lang) == "fr" and w.rsplit("-", 1)[1] in _FR_INVERTED:
            # an inverted subject: a-t-il, dit-elle, explique-t-elle (elle-même is in the table whole)
            k = e - len(w.rsplit("-", 1)[1])
            (m_spans if w.rsplit("-", 1)[1].startswith("il") else f_spans).append((k, e))
            continue
        if w in masc and s not in skip:
            if base_lang(lang) == "es" and text[s:e].lower() == "el":  # the article, not él
                continue
            m_spans.append((s, e))
        elif w in fem:
            f_spans.append((s, e))
    return m_spans, f_spans


@check_registry.register("gender")
class GenderCheck(Check):
    name = "gender"
    defaults = {"weight": 0.3, "severity": 0.8}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        a = gendered(case.src_text, ctx.src_lang)
        b = gendered(case.tgt_text, ctx.tgt_lang)
        if a is None or b is None:
            return None
        (sm, sf), (tm, tf) = a, b
        swap = None
        if sm and not sf and tf and not tm:
            swap = ("masculine", "feminine")
        elif sf and not sm and tm and not tf:
            swap = ("feminine", "masculine")
        if swap is not None:
            other, other_lang = (case.tgt_text, ctx.tgt_lang) if swap[0] == "feminine" else (case.src_text, ctx.src_lang)
            if base_lang(other_lang) == "en" and _speaks_of_it(other) and not _opening_subjects_differ(a, b, case):
                return CheckResult(0.0)  # a feminine thing may be an English `it` (unless both open on a pronoun)
            return CheckResult(self.settings["severity"], f"{swap[0]} pronoun in the source, {swap[1]} in the target",
                               span_list(sm or sf), span_list(tm or tf))
        src_side, tgt_side = _Side(case.src_text, ctx.src_lang, sm, sf), _Side(case.tgt_text, ctx.tgt_lang, tm, tf)
        side = "target"
        gained = _gained(src_side, tgt_side)
        if gained is None:
            side, gained = "source", _gained(tgt_side, src_side)
        if gained is None:
            return CheckResult(0.0)
        gender, own, spans = gained
        src_spans, tgt_spans = (own, spans) if side == "target" else (spans, own)
        other_gender = "feminine" if gender == "masculine" else "masculine"
        return CheckResult(self.settings["severity"],
                           f"a {gender} pronoun in the {side} where the other side has only {other_gender} ones",
                           span_list(src_spans), span_list(tgt_spans))


def _opening_subjects_differ(a, b, case: LinkCase) -> bool:
    """Both sides open with a personal pronoun, of two genders (`He said ...` / `Elle a déclaré ...`):
    the subject of the main verb was swapped, whatever else the sentence calls `it`."""
    def opening(text: str, spans) -> str | None:
        toks = folded_words(text)
        if not toks:
            return None
        first = toks[0][1:]
        return "masculine" if first in spans[0] else "feminine" if first in spans[1] else None

    x, y = opening(case.src_text, a), opening(case.tgt_text, b)
    return x is not None and y is not None and x != y


def _speaks_of_it(text: str, words: frozenset[str] = _EN_IT) -> bool:
    return any(w in words for w, _, _ in folded_words(text))


class _Side(NamedTuple):
    text: str
    lang: str
    masculine: list[tuple[int, int]]
    feminine: list[tuple[int, int]]


def _gained(a: _Side, b: _Side) -> tuple[str, list, list] | None:
    """Side B has a pronoun of the gender that side A, speaking only of the other gender, lacks:
    (gained gender, A's spans, the gained spans), or None."""
    if a.masculine and not a.feminine and b.feminine:
        gender, own, spans = "feminine", a.masculine, b.feminine
    elif a.feminine and not a.masculine and b.masculine:
        gender, own, spans = "masculine", a.feminine, b.masculine
    else:
        return None
    if base_lang(b.lang) == "en":
        # an English object pronoun is a person too, but the other side's object pronoun (French le,
        # la, lui; Spanish lo, la) is not read: `She looked at him` / `Elle le regarda`
        spans = [(s, e) for s, e in spans if b.text[s:e].lower() in _EN_SUBJECTS]
    elif base_lang(a.lang) != "en" or _speaks_of_it(a.text, _EN_THINGS):
        return None  # a gendered pronoun may stand for a thing (it; they: elles, les mesures), which only an English side rules out
    if not spans:
        return None
    return gender, own, spans
