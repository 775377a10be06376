"""Numbers: digits in any locale's format, spelled numbers, ordinals, percentages, scales.

A number token gets every value it can mean (`1,500` is 1500 in English and 1.5 in French;
`5 million` is 5 and 5e6); two tokens match when their value sets meet. Group and decimal
symbols come from CLDR (Babel) for both languages, plus the common spaces (no-break, narrow
no-break, thin) used as group separators. Ranges (`4-6`) give both ends, a slash fraction its value
(`1/2` = `½`), a scale word its multiple in the language's scale (`3 300 milliards` = `3.3 trillion`;
German `Billion` = 10^12); number words next to each other make one number (`quarante et un`).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import (
    UNSPACED_LETTERS,
    base_lang,
    folded_words,
    masked,
    number_symbols,
    spelled_numbers,
)

_SEP = " \u00a0\u202f\u2009'’.,"
#: a letter or digit that glues onto a number (A4, x86) - not one of a script written without spaces,
#: where 签署了12项 is the number 12 between two words
_GLUE = rf"[^\W{UNSPACED_LETTERS}]"
#: ... a letter of those scripts (F-16, COVID-19: part of a name; 4-6 is a range)
_LETTER = rf"[^\W\d{UNSPACED_LETTERS}]"
#: units written glued to their number (130km, 5kg, 3GHz): the number still counts
_UNITS = r"(?i:km|kg|mg|g|cm|mm|m|ml|cl|l|h|min|mph|kmh|ft|lb|lbs|mi|ha|kw|mw|gw|kwh|hz|khz|mhz|ghz|kb|mb|gb|tb|v|w)"
_NUM = re.compile(
    rf"(?<![,/])(?<![^\d]-)(?:(?<=[^\W\d_]\.)|(?<!\.))(?<!{_GLUE})(?<!{_LETTER}-)"  # after a dot only when a word ends there: ca.8510
    r"(\d{1,3}(?:[ \u00a0\u202f\u2009'’.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:\s?(?:st|nd|rd|th|er|re|e|ème|eme|o|a|º|ª)\b|['’]?s\b)?"  # ordinal, or a decade (1930s)
    rf"(?:(?={_UNITS}(?![A-Za-z]))|(?!{_GLUE}))", re.UNICODE)  # (1GBの: a unit before a CJK letter)
_SCALES = {"million": 1e6, "millions": 1e6, "millionen": 1e6, "millón": 1e6, "millones": 1e6,
           "milione": 1e6, "milioni": 1e6, "mn": 1e6, "m": 1e6, "milliard": 1e9, "milliards": 1e9,
           "milliarde": 1e9, "milliarden": 1e9, "miliardo": 1e9, "miliardi": 1e9, "bn": 1e9,
           "thousand": 1e3, "mille": 1e3, "k": 1e3, "mil": 1e3, "mio": 1e6, "mrd": 1e9,
           "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "млн": 1e6, "млрд": 1e9, "миллион": 1e6, "миллиона": 1e6,
           "миллионов": 1e6, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9,
           "ألف": 1e3, "آلاف": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليار": 1e9,
           "billion": 1e9, "billions": 1e9, "trillion": 1e12, "trillions": 1e12, "billionen": 1e12,
           "billón": 1e12, "billones": 1e12}
#: the long scale: a billion is a million millions in French and German (and a billón in Spanish)
_LONG_SCALE = {"fr": {"billion": 1e12, "billions": 1e12}, "de": {"billion": 1e12}}
_SCALE = re.compile(r"\s*(" + "|".join(sorted(_SCALES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
#: the myriad scales of Chinese, Japanese and Korean, glued to the number (13万 = 130,000; 3千万 = 3e7)
_CJK_SCALE = re.compile(r"\s?([万萬亿億兆千百만억조천백]+)")
_CJK_SCALES = {"万": 1e4, "萬": 1e4, "만": 1e4, "亿": 1e8, "億": 1e8, "억": 1e8, "兆": 1e12, "조": 1e12,
               "千": 1e3, "천": 1e3, "百": 1e2, "백": 1e2}


def _round(v: float) -> float:
    return float(f"{v:.9g}")


@lru_cache(maxsize=4096)
def parse_number(token: str, langs: tuple[str, ...]) -> frozenset[float]:
    """Every value `token` can mean in any of `langs` (the link's two languages)."""
    token = token.strip()
    values: set[float] = set()
    conventions = []
    for lang in langs:
        dec, group = number_symbols(lang)
        conventions.append((dec, group))
    conventions += [(".", ","), (",", ".")]
    for dec, group in conventions:
        t = token
        for sp in " \u00a0\u202f\u2009'’":
            t = t.replace(sp, "\u0000")
        if group in " \u00a0\u202f\u2009'’":
            group = "\u0000"
        if group in ".,":
            # a group symbol is only valid between groups of three digits
            g, d = re.escape(group), re.escape(dec)
            if re.fullmatch(rf"\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?", t) is None and group in t:
                continue
        t = t.replace(group, "").replace("\u0000", "")
        if "\u0000" in t:
            continue
        t = t.replace(dec, ".")
        try:
            values.add(_round(float(t)))
        except ValueError:
            continue
    return frozenset(values)


_HAS_DIGIT = re.compile(r"\d")
#: an apostrophe and a word right after a lone 1: OCR read the elided article l' as 1'
_OCR_ELISION = re.compile(r"['’]\s?[«\"]?[^\W\d_]")
_MONTH_SUFFIX = frozenset("月월")
#: a century or ordinal in Roman numerals with its ordinal mark (XIXe siècle, XXI. Jahrhundert)
_ROMAN = re.compile(r"(?<![\w])(?:([IVXL]{2,7})(?:e|er|ème|eme|è|\.)(?=[\s\u00a0])|([IVXL])(?:e|er|ème|eme|è|\.)"
                    r"(?=[\s\u00a0]+(?:siècle|siecle|century|jahrhundert|siglo|secolo|século)))")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
#: a bare Roman numeral of two letters or more after a capitalised word (Gasherbrum II, Elizabeth II, camp III
#: is left out: the capital is the evidence); one letter is too often a pronoun or an initial
_BARE_ROMAN = re.compile(r"(?<=[^\W\d_] )(?=[IVX]{2})(X{0,3}(?:IX|IV|V?I{0,3}))(?![\w])")
_PREV_WORD = re.compile(r"([^\W\d_][\w.-]*) $")
#: strength of such a numeral: one side only is a name told apart or not (Constans / Constant II), too weak
#: to flag; a different numeral on each side is flagged in full
REGNAL = 0.3


def roman_value(token: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(token):
        v = _ROMAN_VALUES[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total if 0 < total <= 60 else None


#: a time of day: 15:30, 15.30 Uhr, 15 h 30, 15h30, 3:30 p.m. (a dot only with a time word after it)
_TIME = re.compile(r"(?<![\d.,:])([01]?\d|2[0-3])(?:(\s?:\s?)|(\.)|\s?h\.?\s?)([0-5]\d)(?![\d.,]\d)"
                   r"(\s?(?:uhr|h\b|a\.?m\.?|p\.?m\.?|heures?\b|hrs?\b|o'clock))?", re.IGNORECASE)


_HOUR = re.compile(r"(?<![\d.,:])([01]?\d|2[0-3])\s?(?:a\.m\.|p\.m\.|am\b|pm\b|h\b(?!\s?\d)|uhr\b|heures?\b)",
                   re.IGNORECASE)


def _times(text: str) -> list[tuple[frozenset[float], int, int, float]]:
    """Times of day as one value each (minutes after midnight, both readings of a 12-hour clock,
    kept negative so that no plain number can equal them)."""
    out = []
    for m in _TIME.finditer(text):
        if m.group(3) and not m.group(5):
            continue  # 15.30 alone is a decimal
        h, mins = int(m.group(1)), int(m.group(4))
        hours = {h, (h + 12) % 24} if h != 12 else {12, 0}
        out.append((frozenset(-(x * 60 + mins) - 0.5 for x in hours), m.start(), m.end(), 1.0))
    for m in _HOUR.finditer(text):  # a whole hour: 2 p.m., 14 h, 14 Uhr; or as many hours (14 heures)
        if not any(a <= m.start() < b for _, a, b, _ in out):
            h = int(m.group(1))
            hours = {h, (h + 12) % 24} if h != 12 else {12, 0}
            out.append((frozenset({float(h)} | {-(x * 60) - 0.5 for x in hours}), m.start(), m.end(), 1.0))
    return out


#: a list label: a number with a full stop or bracket opening the text or a sentence (`2. 1953 : ...`,
#: `... Vialatte. 7. Kangchendzönga`); translations often drop or renumber them
_LABEL_BEFORE = re.compile(r"(?:^|[.!?:;]\s+)[(\[]?$")
_LABEL_AFTER = re.compile(r"[.)\]]\s")
#: vulgar fractions after a number or alone (1 ½ m = 1,50 m)
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125}
_FRACTION_CHAR = re.compile(f"[{''.join(_FRACTIONS)}]")
_FRACTION = re.compile(rf"(?:(\d+)\s?)?({_FRACTION_CHAR.pattern})")
#: a proper fraction written with a slash (1/2, 3/4), not a date (12/03/2025) nor a rate (24/7)
_SLASH_FRACTION = re.compile(r"(?<![\d/.,])([1-9])\s?/\s?([2-9]|1[0-6])(?![\d/])")
#: what precedes the month or day of an ISO date (2022-01-)
_ISO_DATE_PART = re.compile(r"(?:^|\D)\d{4}-(?:\d{2}-)?$")


def _is_label(text: str, start: int, end: int) -> bool:
    return _LABEL_AFTER.match(text, end) is not None and _LABEL_BEFORE.search(text[max(0, start - 8):start]) is not None


@lru_cache(maxsize=1 << 14)
def extract(text: str, lang: str, other: str) -> tuple[tuple[frozenset[float], int, int, float], ...]:
    """(values, start, end, strength): strength 1 for digits, 0.7 spelled, 0 ambiguous words (cached)."""
    text_m = masked(text)
    items = []
    langs = (lang, other)
    has_digit = _HAS_DIGIT.search(text_m) is not None
    if has_digit:
        items += _times(text_m)
    if _FRACTION_CHAR.search(text_m):
        for m in _FRACTION.finditer(text_m):
            v = (int(m.group(1)) if m.group(1) else 0) + _FRACTIONS[m.group(2)]
            items.append((frozenset({_round(v)}), m.start(), m.end(), 1.0))
    for _, a, b, _ in items:  # the hour and minutes of a time, the whole of 1 ½, are not numbers of their own
        text_m = text_m[:a] + " " * (b - a) + text_m[b:]
    if has_digit and "/" in text_m:
        for m in _SLASH_FRACTION.finditer(text_m):  # 1/2 taza = ½ cup: the fraction, not two numbers
            items.append((frozenset({_round(int(m.group(1)) / int(m.group(2)))}), m.start(), m.end(), 1.0))
            text_m = text_m[:m.start()] + " " * (m.end() - m.start()) + text_m[m.end():]
    for m in (_NUM.finditer(text_m) if has_digit else ()):
        if text_m[m.end():m.end() + 1] in _MONTH_SUFFIX:
            continue  # 10月 / 10월 is October: the dates check compares months
        if m.start() and text_m[m.start() - 1] == "-" and len(m.group(1)) == 2 \
                and _ISO_DATE_PART.search(text_m, 0, m.start()):
            continue  # 2022-01-28: a date's month and day, compared by the dates check
        if m.group() == "1" and _OCR_ELISION.match(text_m, m.end()):
            continue  # 1'oiScier, 1'«Human: an OCR'd elided l', not the number one
        values = set(parse_number(m.group(1), langs))
        end = m.end()
        sc = _SCALE.match(text_m, end)
        mult = (_LONG_SCALE.get(base_lang(lang), {}).get(sc.group(1).lower()) or _SCALES.get(sc.group(1).lower())) \
            if sc else None
        if sc is None or mult is None:
            sc = _CJK_SCALE.match(text_m, end)
            mult = math.prod(_CJK_SCALES[c] for c in sc.group(1)) if sc else None
        if mult:
            values |= {_round(v * mult) for v in values}
            end = sc.end()
        if values:
            items.append((frozenset(values), m.start(), end, 0.0 if _is_label(text_m, m.start(), m.end()) else 1.0))
    for m in _ROMAN.finditer(text_m):
        v = roman_value(m.group(1) or m.group(2))
        if v is not None:
            items.append((frozenset({float(v)}), m.start(), m.end(), 1.0))
    if "I" in text_m or "V" in text_m or "X" in text_m:
        for m in _BARE_ROMAN.finditer(text_m):
            prev = _PREV_WORD.search(text_m, max(0, m.start() - 40), m.start())
            if len(m.group(1)) >= 2 and prev and (v := roman_value(m.group(1))) is not None:
                # after a name it is a regnal number (Gasherbrum II); after a common noun (camp III,
                # Lager 3) it only matches the other side's number, as a translator may write either
                items.append((frozenset({float(v)}), m.start(1), m.end(1), REGNAL if prev.group(1)[0].isupper() else 0.0))
    table, ambiguous = spelled_numbers(lang)
    # a spelled number is only checked against a language whose spelled numbers are known too; against
    # another (four hours / 4時間) it may still match a number written in digits, never be missing
    spelled = 0.7 if spelled_numbers(other)[0] else 0.0
    if table:
        words: list[tuple[int, int, int, float]] = []  # (value, start, end, strength) of the number words
        # (only a number that took its scale word, `3,3 milliards`, holds letters)
        digit_spans = [(a, b) for _, a, b, _ in items if re.search(r"[^\W\d_]", text_m[a:b])]
        for f, start, end in folded_words(text_m):
            if digit_spans and any(a <= start < b for a, b in digit_spans):
                continue  # the scale word of `3,3 milliards` belongs to its number
            if f in table:
                words.append((table[f], start, end, 0.0 if f in ambiguous else spelled))
                continue
            if base_lang(lang) in _COMPOUNDING and (found := _number_prefix(f, table)) is not None:
                value, rest = found
                if rest == 0 and f not in ambiguous:  # dreiundzwanzig: a number spelled in one word
                    items.append((frozenset({float(value)}), start, end, spelled))
                    continue
                if rest >= 2:  # Achttausender (an 8000 m peak), zehntägig (ten days): matches, never missing
                    items.append((frozenset({float(value)}), start, end, 0.0))
                    continue
            if "-" in f:  # twenty-three, vingt-trois, quatre-vingt-dix
                if f in table:
                    continue
                parts = f.split("-")
                if parts[0] in table and not all(p in table or p == "et" for p in parts):
                    words.append((table[parts[0]], start, end, 0.0))  # two-factor, three-day: matches only
                    continue
                if all(p in table or p == "et" for p in parts):
                    vals = [table[p] for p in parts if p != "et"]
                    total = vals[0]
                    for v in vals[1:]:
                        total = total * v if v in (20, 100, 1000) and total < v and total > 1 else total + v
                    words.append((total, start, end, spelled))
        items += _spelled_runs(words, text_m)
    return tuple(sorted(items, key=lambda it: it[1]))


#: what may stand between the words of one spelled number (`quarante et un`, `treinta y uno`,
#: `one hundred and twenty`)
_RUN_GAP = re.compile(r"^(?:\s+|\s+(?:and|et|y|e|und)\s+)$")


def _spelled_runs(words: list[tuple[int, int, int, float]], text: str) -> list[tuple[frozenset[float], int, int, float]]:
    """Adjacent number words read as one number (`quarante et un` = 41, `two hundred thousand`): a
    scale multiplies the words before it; a smaller number fills the zeros of a round one (forty one,
    cent vingt, soixante et onze), so that `two three` stays two numbers. A run counts with the
    strength of its strongest word (an article, `un`, `one`, has none)."""
    out: list[tuple[frozenset[float], int, int, float]] = []
    start = end = strength = 0
    total = group = -1  # no run open

    def joins(v: int) -> bool:
        if v == 100:
            return 0 < group < 100
        if v >= 1000:
            return 0 < group < v and (total == 0 or total > v * group)
        if group == 0:
            return total > v
        return group > v and group % 10 == 0 and (group % 100 == 0 or v < 20)

    for v, a, b, st in words:
        if total >= 0 and _RUN_GAP.match(text[end:a]) and joins(v):
            if v == 100:
                group *= 100
            elif v >= 1000:
                total, group = total + group * v, 0
            else:
                group += v
            end, strength = b, max(strength, st)
            continue
        if total >= 0:
            out.append((frozenset({float(total + group)}), start, end, strength))
        total, group, start, end, strength = 0, v, a, b, st
        if v >= 1000:
            total, group = v, 0
    if total >= 0:
        out.append((frozenset({float(total + group)}), start, end, strength))
    return out


#: languages that write a number into a compound word (Achttausender, zehntägig)
_COMPOUNDING = frozenset({"de"})


def _number_prefix(word: str, table: dict[str, int]) -> tuple[int, int] | None:
    """The number a German-style compound opens with and how many letters follow it
    (`achttausender` -> (8000, 2), `zweiundzwanzig` -> (22, 0)); None if no number word opens it."""
    parts, i = [], 0
    while i < len(word):
        if parts and word.startswith("und", i):  # zweiundzwanzig: the unit before the ten
            i += 3
        for j in range(len(word), i, -1):
            if word[i:j] in table:
                parts.append(table[word[i:j]])
                i = j
                break
        else:
            break
    if not parts:
        return None
    total = group = 0
    for v in parts:  # zweitausendfünfhundert: 2 x 1000 + 5 x 100
        if v == 1000:
            total, group = total + (group or 1) * 1000, 0
        elif v == 100:
            group = (group or 1) * 100
        else:
            group += v
    return total + group, len(word) - i


#: between a number and its conversion: a unit of up to three short words, then an opening bracket
#: ('80 mph (130 km/h)', '6 ft (1.83 m)', '$5 (4 euros)')
_CONVERSION_GAP = re.compile(r"^\s*(?:[^\W\d]{1,12}\.?(?:\s*/\s*|\s+)?){0,3}\s*[(\[]\s*(?:[~≈c]\.?\s*)?"
                             r"(?:about|approx\.?|environ|ca\.|etwa|unos|circa)?\s*[$€£¥]?\s*$", re.IGNORECASE)


def conversion_partners(text: str, items) -> dict[int, int]:
    """Item index -> its partner's, for a number followed by the same quantity in other units in brackets:
    a translation commonly keeps only one of the two, so finding either is enough."""
    partners: dict[int, int] = {}
    digits = [k for k, it in enumerate(items) if it[3] == 1.0]
    for a, b in zip(digits, digits[1:], strict=False):
        if _CONVERSION_GAP.match(text[items[a][2]:items[b][1]]):
            partners[a], partners[b] = b, a
    return partners


def _missing(items, text: str, other_vals: set[float]) -> list[tuple[int, int, float]]:
    found = [bool(v & other_vals) for v, *_ in items]
    partners = conversion_partners(masked(text), items) if not all(found) else {}
    return [(s, e, w) for k, (v, s, e, w) in enumerate(items)
            if w > 0 and not found[k] and not (k in partners and found[partners[k]])]


@check_registry.register("numbers")
class NumbersCheck(Check):
    name = "numbers"
    defaults = {"threshold": 0.5, "weight": 0.35}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        src = extract(case.src_text, ctx.src_lang, ctx.tgt_lang)
        tgt = extract(case.tgt_text, ctx.tgt_lang, ctx.src_lang)
        if not src and not tgt:
            return None
        src_vals = set().union(*(v for v, *_ in src)) if src else set()
        tgt_vals = set().union(*(v for v, *_ in tgt)) if tgt else set()
        miss_src = _missing(src, case.src_text, tgt_vals)
        miss_tgt = _missing(tgt, case.tgt_text, src_vals)
        if not miss_src and not miss_tgt:
            return CheckResult(0.0)
        score = max(w for *_, w in miss_src + miss_tgt)
        if any(w == REGNAL for *_, w in miss_src) and any(w == REGNAL for *_, w in miss_tgt):
            score = 1.0  # Gasherbrum II / Gasherbrum IV: a different one, not one left out
        parts = []
        if miss_src:
            parts.append("source number(s) not in target: " + ", ".join(case.src_text[s:e] for s, e, _ in miss_src))
        if miss_tgt:
            parts.append("target number(s) not in source: " + ", ".join(case.tgt_text[s:e] for s, e, _ in miss_tgt))
        return CheckResult(score, "; ".join(parts), span_list((s, e) for s, e, _ in miss_src),
                           span_list((s, e) for s, e, _ in miss_tgt))
