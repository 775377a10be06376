"""Dates: month and weekday names in any CLDR locale (`Jan. 21` = `21 janvier`, Monday = lundi).

Day numbers and years are numbers (the `numbers` check); this check compares the months and
weekdays named on each side, each side read in both languages of the link (a citation keeps its
own language). Month names that are also common words (`May`, `March`, `mars`) count only next
to a number.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import (
    UNSPACED,
    base_lang,
    fold,
    folded_words,
    locale,
    masked,
    month_names,
    weekday_names,
    words,
    zipf,
)

_AMBIGUOUS_MONTHS = {"may", "march", "mars", "august", "jun", "jan", "mar", "sun", "sat", "juli", "mai"}
_DIGIT_NEAR = re.compile(r"\d")
#: a day number ahead of the month, with an ordinal ending and `of` (`the 14th of March`, `el 3 de mayo`)
_DAY_BEFORE = re.compile(r"\d(?:st|nd|rd|th|er|e|º|ª)?\.?\s+(?:of|de|del|di)\s+$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _word_abbreviations(lang: str) -> frozenset[str]:
    """Month abbreviations that are also frequent words of the language (French `sept`, seven): they
    count only with their full stop."""
    loc = locale(lang)
    wide = {fold(n) for ctx in ("format", "stand-alone") for n in loc.months.get(ctx, {}).get("wide", {}).values()}
    # (a word as frequent as a common word: an abbreviation alone, jan or oct, sits lower)
    return frozenset(k for k in month_names(lang) if k not in wide and (zipf(k, lang) or 0.0) >= 4.8)


@lru_cache(maxsize=1 << 14)
def extract(text: str, lang: str) -> tuple[tuple[str, int, int], ...]:
    """(key, start, end): key is 'm<n>' for a month, 'd<n>' for a weekday (cached per text)."""
    text = masked(text)
    months, days = month_names(lang), weekday_names(lang)
    out = []
    if base_lang(lang) in UNSPACED:  # no spaces: find the names inside the runs of letters, longest first
        taken: list[tuple[int, int]] = []
        for name in sorted({**months, **days}, key=len, reverse=True):
            for m in re.finditer(re.escape(name), text):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    taken.append(m.span())
                    out.append((f"m{months[name]}" if name in months else f"d{days[name]}", *m.span()))
        return tuple(sorted(out, key=lambda x: x[1]))
    for (w, start, end), (f, _, _) in zip(words(text), folded_words(text), strict=True):
        if f not in months and f not in days:
            continue
        if f in months:
            if f in _word_abbreviations(lang) and text[end:end + 1] != ".":
                continue  # French `Sept Ans` is seven years; `sept.` is September
            near = text[max(0, start - 6):start] + text[end:end + 7]
            ambiguous = f in _AMBIGUOUS_MONTHS or len(f) <= 3 or not w[0].isupper() and lang.startswith("en")
            if ambiguous and not _DIGIT_NEAR.search(near) and not _DAY_BEFORE.search(text[max(0, start - 16):start]):
                continue
            out.append((f"m{months[f]}", start, end))
        elif f in days and len(f) > 3:
            out.append((f"d{days[f]}", start, end))
    return tuple(out)


def _both_readings(text: str, lang: str, other: str) -> tuple[tuple[str, int, int], ...]:
    """Months and weekdays read in the text's language and in the other side's (a citation kept in its
    own language: `« La Montagne », oct. 1956` in a German text); one per span."""
    found = {}
    if base_lang(other) != base_lang(lang):
        for k, s, e in extract(text, other):
            if (zipf(fold(text[s:e]), lang) or 0.0) < 3.0:  # not a word of the text's own language (French sept)
                found[(s, e)] = k
    found.update({(s, e): k for k, s, e in extract(text, lang)})
    return tuple((k, s, e) for (s, e), k in sorted(found.items()))


@check_registry.register("dates")
class DatesCheck(Check):
    name = "dates"
    defaults = {"threshold": 0.5, "weight": 0.3}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        src = _both_readings(case.src_text, ctx.src_lang, ctx.tgt_lang)
        tgt = _both_readings(case.tgt_text, ctx.tgt_lang, ctx.src_lang)
        if not src and not tgt:
            return None
        sk, tk = {k for k, *_ in src}, {k for k, *_ in tgt}
        miss_s = [(s, e) for k, s, e in src if k not in tk]
        miss_t = [(s, e) for k, s, e in tgt if k not in sk]
        if not miss_s and not miss_t:
            return CheckResult(0.0)
        msg = []
        if miss_s:
            msg.append("source date word(s) not in target: " + ", ".join(case.src_text[s:e] for s, e in miss_s))
        if miss_t:
            msg.append("target date word(s) not in source: " + ", ".join(case.tgt_text[s:e] for s, e in miss_t))
        return CheckResult(0.8, "; ".join(msg), span_list(miss_s), span_list(miss_t))
