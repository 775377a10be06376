"""Dates: month and weekday names in any CLDR locale (`Jan. 21` = `21 janvier`, Monday = lundi).

Day numbers and years are numbers (the `numbers` check); this check compares the months and
weekdays named on each side, each side read in both languages of the link (a citation keeps its
own language). Month names that are also common words (`May`, `March`, `mars`) count only next
to a number; without one they may still match the other side's month (`in March` / `im März`)
but are never missing. A weekday opening a German compound counts (`Dienstagabend`), and in
languages that decline month names a declined form does (Russian `в апреле`, `в январе`).
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


#: languages that decline month names beyond CLDR's forms (Russian апреле, январе; Polish kwietniu)
_DECLINING = frozenset({"ru", "uk", "be", "pl", "cs", "sk", "sl", "hr", "sr", "bs", "bg", "lt", "lv", "fi", "et", "hu"})
#: a German weekday opening a compound: Dienstagabend, Montagmorgen, Sonntagnachmittag
_DE_DAY_PARTS = ("morgen", "vormittag", "mittag", "nachmittag", "abend", "nacht", "s")


@lru_cache(maxsize=128)
def _stems(lang: str, kind: str) -> tuple[tuple[str, int], ...]:
    """(stem, number) of the month or weekday names of a declining language: each CLDR name less its
    last letter, at least 3 letters left (апрел-, июн-, вторни-), longest first."""
    if base_lang(lang) not in _DECLINING:
        return ()
    names = month_names(lang) if kind == "month" else weekday_names(lang)
    stems = {name[:-1]: n for name, n in names.items() if len(name) >= 4}
    return tuple(sorted(stems.items(), key=lambda kv: -len(kv[0])))


def _declined(f: str, lang: str, kind: str) -> int | None:
    for stem, n in _stems(lang, kind):
        if f.startswith(stem) and len(f) - len(stem) <= 3:
            return n
    return None


@lru_cache(maxsize=64)
def _openings(lang: str) -> frozenset[str]:
    """The first three letters of the names that may be declined or compounded (the slow paths below)."""
    if base_lang(lang) not in _DECLINING and base_lang(lang) not in ("de", "en"):
        return frozenset()
    return frozenset(n[:3] for n in {**month_names(lang), **weekday_names(lang)} if len(n) >= 3)


def _month_of(f: str, lang: str) -> tuple[int, bool] | None:
    """(month, exact): a declined form found by its stem is not exact (марка, a stamp, opens like март)."""
    months = month_names(lang)
    if f in months:
        return months[f], True
    n = _declined(f, lang, "month")
    return None if n is None else (n, False)


def _day_of(f: str, lang: str) -> tuple[int, bool] | None:
    """(weekday, exact): English plurals (on Mondays) and German compounds (Dienstagabend) are exact;
    a declined form (вторника; среди, among, opens like среда) is not."""
    days = weekday_names(lang)
    if f in days:
        return (days[f], True) if len(f) > 3 else None
    if base_lang(lang) == "en" and f.endswith("s") and f[:-1] in days:
        return days[f[:-1]], True
    if base_lang(lang) == "de":
        for name, n in days.items():
            if f.startswith(name) and f[len(name):] in _DE_DAY_PARTS:
                return n, True
    n = _declined(f, lang, "day")
    return None if n is None else (n, False)


@lru_cache(maxsize=1 << 14)
def extract(text: str, lang: str) -> tuple[tuple[str, int, int, bool], ...]:
    """(key, start, end, strong): key is 'm<n>' for a month, 'd<n>' for a weekday; a month name that is
    also a common word, with no number near, is weak: it may match, never be missing (cached per text)."""
    text = masked(text)
    months, days = month_names(lang), weekday_names(lang)
    out = []
    if base_lang(lang) in UNSPACED:  # no spaces: find the names inside the runs of letters, longest first
        taken: list[tuple[int, int]] = []
        for name in sorted({**months, **days}, key=len, reverse=True):
            for m in re.finditer(re.escape(name), text):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    taken.append(m.span())
                    out.append((f"m{months[name]}" if name in months else f"d{days[name]}", *m.span(), True))
        return tuple(sorted(out, key=lambda x: x[1]))
    openings = _openings(lang)
    for (w, start, end), (f, _, _) in zip(words(text), folded_words(text), strict=True):
        if f not in months and f not in days and f[:3] not in openings:
            continue  # (most words: no name opens them)
        found = _month_of(f, lang)
        if found is not None:
            month, exact = found
            if f in _word_abbreviations(lang) and text[end:end + 1] != ".":
                continue  # French `Sept Ans` is seven years; `sept.` is September
            near = text[max(0, start - 6):start] + text[end:end + 7]
            ambiguous = not exact or f in _AMBIGUOUS_MONTHS or len(f) <= 3 or not w[0].isupper() and lang.startswith("en")
            strong = not ambiguous or bool(_DIGIT_NEAR.search(near)) or bool(
                _DAY_BEFORE.search(text[max(0, start - 16):start]))
            if strong or w[0].isupper() or not lang.startswith("en"):  # (lower-case English may, march: verbs)
                out.append((f"m{month}", start, end, strong))
        elif (day := _day_of(f, lang)) is not None:
            out.append((f"d{day[0]}", start, end, day[1]))
    return tuple(out)


def _both_readings(text: str, lang: str, other: str) -> tuple[tuple[str, int, int], ...]:
    """Months and weekdays read in the text's language and in the other side's (a citation kept in its
    own language: `« La Montagne », oct. 1956` in a German text); one per span."""
    found = {}
    if base_lang(other) != base_lang(lang):
        for k, s, e, strong in extract(text, other):
            if (zipf(fold(text[s:e]), lang) or 0.0) < 3.0:  # not a word of the text's own language (French sept)
                found[(s, e)] = (k, strong)
    found.update({(s, e): (k, strong) for k, s, e, strong in extract(text, lang)})
    return tuple((k, s, e, strong) for (s, e), (k, strong) in sorted(found.items()))


@check_registry.register("dates")
class DatesCheck(Check):
    name = "dates"
    defaults = {"threshold": 0.5, "weight": 0.3}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        src = _both_readings(case.src_text, ctx.src_lang, ctx.tgt_lang)
        tgt = _both_readings(case.tgt_text, ctx.tgt_lang, ctx.src_lang)
        if not any(strong for *_, strong in src + tgt):
            return None
        sk, tk = {k for k, *_ in src}, {k for k, *_ in tgt}
        miss_s = [(s, e) for k, s, e, strong in src if strong and k not in tk]
        miss_t = [(s, e) for k, s, e, strong in tgt if strong and k not in sk]
        if not miss_s and not miss_t:
            return CheckResult(0.0)
        msg = []
        if miss_s:
            msg.append("source date word(s) not in target: " + ", ".join(case.src_text[s:e] for s, e in miss_s))
        if miss_t:
            msg.append("target date word(s) not in source: " + ", ".join(case.tgt_text[s:e] for s, e in miss_t))
        return CheckResult(0.8, "; ".join(msg), span_list(miss_s), span_list(miss_t))
