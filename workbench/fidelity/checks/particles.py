"""Focus particles on one side only: already, still, only, again, even.

These small adverbs change what a sentence asserts (`Russia has massed troops` / `Russia has
already massed troops`; `only two` / `two`) while the encoder hardly notices them. Each is a
class of words per language; a word may stand in several classes (French `encore` is still, again
or even), and a particle is matched by any word of any of its classes on the other side. Only a
word that carries its particle unambiguously raises a flag (`déjà`, `seulement`, not `encore` or
`aussi`); `also` never does, translators drop and add it freely. Measured on refresd dev pairs a
one-sided particle is weak evidence (equivalent pairs have them too), so the check is not decisive
and weighs little: it shows the words to the reviewer and lowers fidelity a little. It is off by
default (paraphrases set it off too often, see below). Languages without a list give no verdict.
"""

from __future__ import annotations

from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import base_lang, fold, folded_words

#: class -> language -> (words that carry the particle unambiguously, words that may also carry it). Only the
#: first kind can raise a flag; either kind on the other side satisfies it (`also` is matched by `aussi`, which
#: is also the `as` of a comparison, but `aussi` alone flags nothing)
_CLASSES: dict[str, dict[str, tuple[str, str]]] = {
    "already": {"en": ("already", ""), "fr": ("déjà", ""), "de": ("bereits", "schon"), "es": ("", "ya"),
                "it": ("già", ""), "pt": ("já", "")},
    "still": {"en": ("still", "yet"), "fr": ("", "encore toujours"), "de": ("", "noch immer"),
              "es": ("todavía", "aún"), "it": ("", "ancora"), "pt": ("ainda", "")},
    "only": {"en": ("only merely solely", "just"), "fr": ("seulement uniquement", "que qu seul seule"),
             "de": ("nur lediglich", "erst"), "es": ("solamente únicamente", "solo sólo"),
             "it": ("soltanto solamente", "solo"), "pt": ("somente apenas", "só")},
    # translators drop and add `also` freely, so it only ever satisfies
    "also": {"en": ("", "also too"), "fr": ("", "également aussi même"), "de": ("", "auch ebenfalls"),
             "es": ("", "también además"), "it": ("", "anche pure"), "pt": ("", "também")},
    "again": {"en": ("again", ""), "fr": ("", "encore nouveau"), "de": ("erneut wieder", ""),
              "es": ("nuevamente", "nuevo"), "it": ("", "nuovo ancora"), "pt": ("novamente", "novo")},
    "even": {"en": ("", "even"), "fr": ("", "même encore"), "de": ("sogar", "selbst"), "es": ("incluso", "aun hasta"),
             "it": ("persino perfino", "anche"), "pt": ("", "até mesmo")},
}


@lru_cache(maxsize=64)
def _lexicon(lang: str) -> dict[str, tuple[frozenset[str], bool]] | None:
    """Folded word -> (the classes it may carry, whether it carries one unambiguously), for `lang`."""
    lang = base_lang(lang)
    if not all(lang in per_lang for per_lang in _CLASSES.values()):
        return None
    classes: dict[str, set[str]] = {}
    strong: set[str] = set()
    for name, per_lang in _CLASSES.items():
        sure, maybe = per_lang[lang]
        for word in sure.split() + maybe.split():
            classes.setdefault(fold(word), set()).add(name)
        strong |= {fold(w) for w in sure.split()}
    return {w: (frozenset(c), w in strong) for w, c in classes.items()}


def particles(text: str, lang: str) -> list[tuple[frozenset[str], bool, int, int]] | None:
    """(classes, unambiguous, start, end) of each particle in `text`; None when `lang` has no list."""
    lex = _lexicon(lang)
    if lex is None:
        return None
    return [(*lex[w], s, e) for w, s, e in folded_words(text) if w in lex]


def _unmatched(mine, theirs) -> list[tuple[frozenset[str], bool, int, int]]:
    """Unambiguous particles none of whose classes the other side has (encore matches again or still)."""
    other = frozenset().union(*(c for c, *_ in theirs)) if theirs else frozenset()
    return [p for p in mine if p[1] and not (p[0] & other)]


@check_registry.register("particles")
class ParticlesCheck(Check):
    name = "particles"
    # off by default: on the German-French dev document 24 of 445 faithful links flagged, mostly paraphrases
    # (nur rendered by ne ... que or by a verb, wieder by a re- verb); switch it on with particles.enabled=true
    defaults = {"enabled": False, "threshold": 0.5, "weight": 0.1, "decisive": False, "severity": 0.6}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        src = particles(case.src_text, ctx.src_lang)
        tgt = particles(case.tgt_text, ctx.tgt_lang)
        if src is None or tgt is None or not (src or tgt):
            return None
        only_src, only_tgt = _unmatched(src, tgt), _unmatched(tgt, src)
        if not only_src and not only_tgt:
            return CheckResult(0.0)
        parts = []
        if only_src:
            parts.append("source only: " + ", ".join(case.src_text[s:e] for *_, s, e in only_src))
        if only_tgt:
            parts.append("target only: " + ", ".join(case.tgt_text[s:e] for *_, s, e in only_tgt))
        return CheckResult(self.settings["severity"], "focus particle on one side (" + "; ".join(parts) + ")",
                           span_list((s, e) for *_, s, e in only_src), span_list((s, e) for *_, s, e in only_tgt))
