"""Names and tokens that should carry over: URLs, e-mail addresses, acronyms, proper nouns.

URLs and e-mail addresses must appear verbatim. A name matches when the other side has a
spelling variant of it (rapidfuzz on a transliteration-folded form: Putin/Poutine, Kyiv/Kiev),
a word sharing its stem (Russia/russe), its CLDR translation (Babel territory and language
names in both locales: Germany/Allemagne, French/français, U.S./États-Unis), or, for an
acronym, the same letters (NATO/OTAN, EU/UE) or the initials of the expanded name.
A capitalised word with no match is common (titles, translated institutions), so it only
weighs much when the other side also has an unmatched name (a swapped name).
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import (
    EMAIL,
    URL,
    fold,
    masked,
    month_names,
    place_and_language_names,
    stopwords,
    weekday_names,
    words,
)

_ACRONYM = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}|\b[A-Z][A-Z0-9&]{1,6}\b")
_SENT_START = re.compile(r"(?:^|[.!?:;]\s+|[\"“«(\[—–-]\s*)$")


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A transliteration-folded form: kyiv -> kiv, poutine -> putine."""
    w = fold(word)
    for a, b in (("ph", "f"), ("ck", "k"), ("ou", "u"), ("y", "i"), ("w", "v"), ("c", "k"), ("q", "k"),
                 ("kh", "k"), ("j", "i"), ("z", "s")):
        w = w.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", w).replace("-", "")


def _word_match(w: str, targets: list[str], threshold: float) -> bool:
    from rapidfuzz import fuzz, process

    fw, sk = fold(w), skeleton(w)
    for t in targets:
        ft = fold(t)
        if ft == fw:
            return True
        n = min(len(fw), len(ft))
        k = 0
        while k < n and fw[k] == ft[k]:
            k += 1
        if k >= 4 and k >= 0.6 * n:
            return True
    if len(sk) >= 3:
        best = process.extractOne(sk, [skeleton(t) for t in targets], scorer=fuzz.ratio, score_cutoff=threshold)
        if best is not None:
            return True
    return False


def _acronym_match(a: str, other_text: str, other_words: list[str], lang: str) -> bool:
    letters = sorted(a.replace(".", "").replace("&", "").upper())
    if not letters:
        return True
    for m in _ACRONYM.finditer(other_text):  # same letters in another order: NATO/OTAN, EU/UE, U.N./ONU
        b = sorted(m.group().replace(".", "").replace("&", "").upper())
        if b == letters or (len(letters) >= 2 and set(letters) < set(b) and len(b) - len(letters) <= 1):
            return True
    stops = stopwords(lang)
    content = [w for w in other_words if fold(w) not in stops]
    n = len(letters)
    for i in range(len(content) - n + 1):  # initials of an expanded name: Union européenne = EU
        if sorted(fold(w)[0].upper() for w in content[i:i + n]) == letters:
            return True
    return False


def _mapped(phrase: str, mapping, other_folded: str) -> bool:
    for name in mapping.get(fold(phrase), ()):
        end = "" if len(name) >= 5 else r"(?!\w)"  # français/française, allemand/allemande
        if re.search(r"(?<!\w)" + re.escape(name) + end, other_folded):
            return True
    return False


def _fold_acronyms(text: str) -> str:
    """Folded text with dotted acronyms undotted (U.S. -> us), for CLDR code lookups."""
    return fold(re.sub(r"(?<=\b[A-Z])\.", "", text))


@lru_cache(maxsize=64)
def _cldr_phrase_regex(src: str, tgt: str) -> re.Pattern | None:
    names = sorted((n for n in place_and_language_names(src, tgt) if " " in n or "-" in n), key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def candidates(text: str, lang: str) -> list[tuple[str, str, int, int]]:
    """(kind, text, start, end) of URLs, e-mails, acronyms and capitalised words not opening a sentence."""
    out = [("url", m.group(), m.start(), m.end()) for m in URL.finditer(text)]
    out += [("email", m.group(), m.start(), m.end()) for m in EMAIL.finditer(text)]
    t = masked(text)
    letters = [c for c in t if c.isalpha()]
    shouting = letters and sum(c.isupper() for c in letters) > 0.5 * len(letters)
    if shouting:  # a heading in capitals: no name evidence
        return out
    acr_spans = []
    for m in _ACRONYM.finditer(t):
        out.append(("acronym", m.group(), m.start(), m.end()))
        acr_spans.append((m.start(), m.end()))
    skip = set(month_names(lang)) | set(weekday_names(lang))
    for w, s, e in words(t):
        if len(w) < 2 or not w[0].isupper() or any(a <= s < b for a, b in acr_spans):
            continue
        if _SENT_START.search(t[:s]) or fold(w) in skip:
            continue
        out.append(("name", w, s, e))
    return out


@check_registry.register("names")
class NamesCheck(Check):
    name = "names"
    defaults = {"threshold": 0.5, "weight": 0.35, "fuzzy": 70.0, "lone_name": 0.3, "lone_acronym": 0.45,
                "variant": 55.0}

    def _unmatched(self, text: str, other: str, lang: str, other_lang: str):
        cands = candidates(text, lang)
        if not cands:
            return []
        other_words = [w for w, _, _ in words(masked(other))]
        other_folded = _fold_acronyms(other)
        mapping = place_and_language_names(lang, other_lang)
        consumed: list[tuple[int, int]] = []
        rx = _cldr_phrase_regex(lang, other_lang)
        if rx is not None:  # multi-word CLDR names: United States, Royaume-Uni
            for m in rx.finditer(fold(text)):
                if _mapped(m.group(), mapping, other_folded):
                    consumed.append((m.start(), m.end()))
        out = []
        for kind, value, s, e in cands:
            if any(a <= s < b for a, b in consumed):
                continue
            if kind in ("url", "email"):
                if value.rstrip("/") not in other:
                    out.append((kind, value, s, e))
                continue
            if _mapped(value.replace(".", "") if kind == "acronym" else value, mapping, other_folded):
                continue
            if kind == "acronym":
                if value in other or _acronym_match(value, masked(other), other_words, other_lang):
                    continue
                if _word_match(value, other_words, self.settings["fuzzy"]):
                    continue
            elif _word_match(value, other_words, self.settings["fuzzy"]):
                continue
            elif fold(value) in mapping:
                kind = "place"     # a CLDR place name unmatched is often metonymy (Washington / les États-Unis)
            else:
                nxt = re.match(r"\s+([^\W\d_][\w'-]*)", text[e:])
                if nxt and nxt.group(1)[0].isupper() and _word_match(nxt.group(1), other_words, self.settings["fuzzy"]):
                    kind = "modifier"  # 'Foreign' in 'Foreign Minister': part of a translated title
            out.append((kind, value, s, e))
        return out

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        src = self._unmatched(case.src_text, case.tgt_text, ctx.src_lang, ctx.tgt_lang)
        tgt = self._unmatched(case.tgt_text, case.src_text, ctx.tgt_lang, ctx.src_lang)
        if not src and not tgt:
            return CheckResult(0.0)
        from rapidfuzz import fuzz

        # an unmatched name on each side that loosely resemble each other are variants (Council/Conseil)
        loose = self.settings["variant"]
        pairs = [(a, b) for a in src for b in tgt if a[0] not in ("url", "email") and b[0] not in ("url", "email")
                 and fuzz.ratio(skeleton(a[1]), skeleton(b[1])) >= loose]
        drop = {id(a) for a, _ in pairs} | {id(b) for _, b in pairs}
        src = [x for x in src if id(x) not in drop]
        tgt = [x for x in tgt if id(x) not in drop]
        if not src and not tgt:
            return CheckResult(0.0)
        strength = {"url": 1.0, "email": 1.0, "acronym": self.settings["lone_acronym"],
                    "name": self.settings["lone_name"], "place": self.settings["lone_name"],
                    "modifier": self.settings["lone_name"]}
        score = max(strength[k] for k, *_ in src + tgt)
        swappable = ("name", "acronym")
        if any(k in swappable for k, *_ in src) and any(k in swappable for k, *_ in tgt):
            score = max(score, 0.8)   # a name on each side with no counterpart: likely swapped
        parts = []
        if src:
            parts.append("source name(s) not found in target: " + ", ".join(v for _, v, *_ in src))
        if tgt:
            parts.append("target name(s) not found in source: " + ", ".join(v for _, v, *_ in tgt))
        return CheckResult(score, "; ".join(parts), span_list((s, e) for *_, s, e in src),
                           span_list((s, e) for *_, s, e in tgt))
