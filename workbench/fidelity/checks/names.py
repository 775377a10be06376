"""Names and tokens that should carry over: URLs, e-mail addresses, acronyms, proper nouns.

URLs and e-mail addresses must appear verbatim. A name matches when the other side has a
spelling variant of it (rapidfuzz on a transliteration-folded form: Putin/Poutine, Kyiv/Kiev),
a word sharing its stem (Russia/russe), its CLDR translation (Babel territory and language
names in both locales: Germany/Allemagne, French/français, U.S./États-Unis), or, for an
acronym, the same letters (NATO/OTAN, EU/UE) or the initials of the expanded name.
A capitalised word with no match is common (titles, translated institutions: Church, Board,
Navy), so word frequency (wordfreq's Zipf scale, in the word's own language) decides how much it
weighs: a word at least `common_zipf` frequent (10 per million words: the language's ~15k most
frequent words) is taken for a capitalised common word and never counts as a swapped name; a
rarer one counts; a lone unmatched name rises from `lone_name` to `lone_rare` as its frequency
falls from `common_zipf` to `rare_zipf` (1 per million): a rare name present on one side only
(Lhasa, Żółkiewski) is detail the other side lacks. An unmatched name on each side (at least
one of them rare) is a likely swap; so is a person's whole name on one side only (two adjacent
unmatched names, one that travels unchanged: `Joe Biden`), however frequent: a translator may
keep only the surname, but not drop the person. Without a word list for a language every name
counts as rare.
Spelling variants start alike (Putin/Poutine, but not Putin/Austin, whatever else they share), and
two names that each travel unchanged across languages (Biden, Blinken) are never each other's variant.
A name may stand inside a compound on the other side (Genome / Humangenomprojekt). Words of a menu
path (`Settings > Account`) are labels a translation localises, not names. An acronym a document
defines in brackets on both sides (`produit intérieur brut (PIB)` / `gross domestic product (GDP)`)
matches in its other links.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import (
    EMAIL,
    URL,
    calendar_words,
    capitalised_common_noun,
    fold,
    folded_words,
    masked,
    negation_cues,
    place_and_language_names,
    scripts,
    spelled_alike_elsewhere,
    spelled_numbers,
    stopwords,
    words,
    zipf,
)

_ACRONYM = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}|\b[A-Z][A-Z0-9&]{1,6}\b")
_NEXT_WORD = re.compile(r"\s+([^\W\d_][\w'-]*)")
_ROMAN_NUMERAL = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A transliteration-folded form: kyiv -> kiv, poutine -> putine."""
    w = fold(word)
    for a, b in (("ph", "f"), ("ck", "k"), ("ou", "u"), ("y", "i"), ("w", "v"), ("c", "k"), ("q", "k"),
                 ("kh", "k"), ("j", "i"), ("z", "s")):
        w = w.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", w).replace("-", "")


class _Side:
    """What one text offers the other side's names to match against (built once per text; the
    costlier parts only when a name is not matched more cheaply)."""

    __slots__ = ("_acronyms", "_by_prefix", "_folded_acr", "_skeletons", "folded", "masked", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.masked = masked(text)
        self.folded = frozenset(f for f, _, _ in folded_words(self.masked))
        self._by_prefix: dict[str, list[str]] | None = None
        self._folded_acr: str | None = None
        self._skeletons: tuple[str, ...] | None = None
        self._acronyms: tuple[list[str], ...] | None = None

    @property
    def by_prefix(self) -> dict[str, list[str]]:
        if self._by_prefix is None:
            self._by_prefix = {}
            for f in self.folded:
                if len(f) >= 4:
                    self._by_prefix.setdefault(f[:4], []).append(f)
        return self._by_prefix

    @property
    def folded_acr(self) -> str:
        if self._folded_acr is None:
            self._folded_acr = _fold_acronyms(self.text)
        return self._folded_acr

    @property
    def skeletons(self) -> tuple[str, ...]:
        if self._skeletons is None:
            self._skeletons = tuple(dict.fromkeys(skeleton(f) for f in self.folded))
        return self._skeletons

    @property
    def acronyms(self) -> tuple[list[str], ...]:
        if self._acronyms is None:
            self._acronyms = tuple(sorted(m.group().replace(".", "").replace("&", "").upper())
                                   for m in _ACRONYM.finditer(self.masked))
        return self._acronyms


#: first letters that transliterations swap for one another (Gaddafi/Kadhafi, Tchaikovsky/Chaikovski,
#: Yeltsin/Ieltsine); any other difference in the first letter (but a prothetic e) makes two names
#: different names
_ONSETS = ("kgh", "sztc", "aeiouy")


def same_onset(a: str, b: str) -> bool:
    """Two skeletons start alike: Putin/Poutine and Kyiv/Kiev do, Putin/Austin does not (however
    much of the rest they share)."""
    if not a or not b:
        return False
    if a[0] == b[0] or any(a[0] in group and b[0] in group for group in _ONSETS):
        return True
    # the prothetic e of French and Spanish: État/State, Espagne/Spain, escuela/school
    return any(x[0] == "e" and len(x) > 1 and (x[1] == y[0] or (y[0] == "s" and y[1:2] == x[1]))
               for x, y in ((a, b), (b, a)))


@lru_cache(maxsize=1 << 13)
def _side(text: str) -> _Side:
    return _Side(text)


def _shared_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    k = 0
    while k < n and a[k] == b[k]:
        k += 1
    return k


def _stem_like(a: str, b: str, min_prefix: int = 5, share: float = 0.6) -> bool:
    """Two folded words built on one stem: a shared start of `min_prefix` letters or more, covering
    `share` of the shorter (Japon/Japonais, Deutschland/Deutschen, Österreich/Österreicher)."""
    k = _shared_prefix(a, b)
    return k >= min_prefix and k >= share * min(len(a), len(b))


def _word_match(w: str, side: _Side, threshold: float) -> bool:
    """A spelling variant of `w` among the other side's words: same word, shared stem, close skeleton."""
    from rapidfuzz import fuzz, process

    fw = fold(w)
    if fw in side.folded:
        return True
    if len(fw) >= 4 and any(_stem_like(fw, ft, min_prefix=4) for ft in side.by_prefix.get(fw[:4], ())):
        return True
    sk = skeleton(w)
    if len(sk) >= 3 and side.skeletons:
        close = process.extract(sk, side.skeletons, scorer=fuzz.ratio, score_cutoff=threshold, limit=None)
        if any(same_onset(sk, other) or max(len(sk), len(other)) > 8 for other, *_ in close):
            return True  # a compound may differ in front (Chomo-Lungma/Lungma, Hochbiwak/bivouac)
    stem = sk.rstrip("aeiou")
    if len(stem) >= 5 and any(stem in other for other in side.skeletons if len(other) >= len(stem) + 3):
        return True  # inside a compound: Human Genome Project / Humangenomprojekt
    return False


@lru_cache(maxsize=1 << 12)
def _initials(text: str, lang: str) -> str:
    """First letters of the content words of `text` (for acronyms of expanded names)."""
    stops = stopwords(lang)
    return "".join(f[0].upper() for f, _, _ in folded_words(masked(text)) if f not in stops)


def _acronym_match(a: str, other: str, side: _Side, lang: str) -> bool:
    letters = sorted(a.replace(".", "").replace("&", "").upper())
    if not letters:
        return True
    for b in side.acronyms:  # same letters in another order: NATO/OTAN, EU/UE, U.N./ONU
        if b == letters or (len(letters) >= 2 and set(letters) < set(b) and len(b) - len(letters) <= 1):
            return True
    initials = _initials(other, lang)
    n = len(letters)
    for i in range(len(initials) - n + 1):  # initials of an expanded name: Union européenne = EU
        if sorted(initials[i:i + n]) == letters:
            return True
    return False


@lru_cache(maxsize=4096)
def _name_regex(name: str) -> re.Pattern:
    end = "" if len(name) >= 5 else r"(?!\w)"  # français/française, allemand/allemande
    return re.compile(r"(?<!\w)" + re.escape(name) + end)


def _mapped(phrase: str, mapping, side: _Side) -> bool:
    """The other side has a CLDR translation of `phrase` (Germany -> allemagne, U.S. -> etats-unis)."""
    names = mapping.get(fold(phrase))
    if not names:
        return False
    other_folded = side.folded_acr
    for name in names:
        if name in other_folded and _name_regex(name).search(other_folded):
            return True
    return False


@lru_cache(maxsize=1 << 13)
def _scripts_of(text: str) -> frozenset[str]:
    return scripts(masked(text))


def _defined_pair(case: LinkCase, src: list, tgt: list) -> tuple[str, str] | None:
    """The acronyms a link defines, one unmatched in brackets on each side (`(PIB)` / `(GDP)`), or None."""
    def bracketed(text: str, found) -> str | None:
        acr = [(v, st) for k, v, st, _ in found if k == "acronym"]
        if len(acr) == 1 and text[:acr[0][1]].rstrip().endswith("("):
            return acr[0][0]
        return None

    if "(" not in case.src_text or "(" not in case.tgt_text:
        return None
    a, b = bracketed(case.src_text, src), bracketed(case.tgt_text, tgt)
    return (a, b) if a and b else None


def _short_form(value: str, kind: str, lang: str, other_lang: str, side: _Side) -> bool:
    """A CLDR name's short form against the other side's: its code against the first word of the
    name (`EU` / `l'Union`, for l'Union européenne), or that first word against the code or the name
    (`Union` / `EU`, `the Union`)."""
    key = fold(value.replace(".", ""))
    if kind == "acronym":
        names = place_and_language_names(lang, other_lang).get(key, ())
        return any(len(head := name.split()[0]) >= 4 and head in side.folded for name in names)
    if len(key) < 4:
        return False
    return any(o in side.folded or o.upper() in side.text for o in _one_word_by_head(lang, other_lang).get(key, ()))


@lru_cache(maxsize=64)
def _one_word_by_head(lang: str, other_lang: str) -> dict[str, tuple[str, ...]]:
    """The first word of each CLDR name of several words -> the one-word names (codes) the other
    language gives it (`union` -> `eu`)."""
    acc: dict[str, set[str]] = {}
    for name, others in place_and_language_names(lang, other_lang).items():
        if " " in name:
            acc.setdefault(name.split()[0], set()).update(o for o in others if " " not in o)
    return {k: tuple(v) for k, v in acc.items()}


@lru_cache(maxsize=64)
def _names_by_prefix(src: str, tgt: str) -> dict[str, tuple[str, ...]]:
    """The one-word CLDR names of `src` (keys of the mapping), by their first five letters."""
    out: dict[str, list[str]] = {}
    for name in place_and_language_names(src, tgt):
        if len(name) >= 5 and " " not in name and "-" not in name:
            out.setdefault(name[:5], []).append(name)
    return {k: tuple(v) for k, v in out.items()}


def _demonym_match(value: str, lang: str, other_lang: str, mapping, side: _Side) -> bool:
    """A people's or a nation's word matched through its country's CLDR name: French `Japonais` (Japon ->
    Japan) by German `Japaner`, `Autrichiens` (Autriche -> Österreich) by `Österreicher`."""
    f = fold(value)
    for name in _names_by_prefix(lang, other_lang).get(f[:5], ()):
        if not _stem_like(f, name):
            continue
        for other in mapping.get(name, ()):
            if len(other) >= 5 and any(_stem_like(other, w) for w in side.by_prefix.get(other[:4], ())):
                return True
    return False


_ACR_DOT = re.compile(r"(?<=\b[A-Z])\.")


def _fold_acronyms(text: str) -> str:
    """Folded text with dotted acronyms undotted (U.S. -> us), for CLDR code lookups."""
    return fold(_ACR_DOT.sub("", text))


@lru_cache(maxsize=64)
def _cldr_phrase_index(src: str, tgt: str) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """First word -> the multi-word CLDR names it opens (united states, royaume-uni) as
    (name, its words), longest first."""
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name in place_and_language_names(src, tgt):
        if " " in name or "-" in name:
            ws = tuple(w for w, _, _ in words(name))
            if ws:
                index.setdefault(ws[0], []).append((name, ws))
    return {k: tuple(sorted(v, key=lambda x: len(x[0]), reverse=True)) for k, v in index.items()}


@lru_cache(maxsize=1 << 13)
def _cldr_phrases(text: str, lang: str, other_lang: str) -> tuple[tuple[str, int, int], ...]:
    """Multi-word CLDR names in `text` with their spans (offsets into `text`)."""
    index = _cldr_phrase_index(lang, other_lang)
    if not index:
        return ()
    toks = folded_words(text)
    out, i = [], 0
    while i < len(toks):
        hit = None
        for name, ws in index.get(toks[i][0], ()):
            k = len(ws)
            if tuple(t[0] for t in toks[i:i + k]) == ws:
                hit = (name, toks[i][1], toks[i + k - 1][2])
                i += k
                break
        if hit is None:
            i += 1
        else:
            out.append(hit)
    return tuple(out)


_OPENING_MARKS = set("“«„([—–-")
#: a menu path of a user interface: `Settings > Privacy`, `File → Save As`
_MENU_PATH = re.compile(r"[^\W\d_][\w-]*(?: [^\W\d_][\w-]*){0,3}(?:\s*[>→]\s*[^\W\d_][\w-]*(?: [^\W\d_][\w-]*){0,3})+")
_QUOTE = set("\"'")
#: abbreviated titles before a name: the full stop after them does not end a sentence
_TITLES = frozenset("m mm mme mmes mlle mr mrs ms dr prof st gen sen rep gov lt col sgt capt hr fr frau sr sra dott".split())


def _opens_sentence(t: str, s: int) -> bool:
    """True when the word at `s` opens a sentence, clause or quotation (so its capital proves nothing)."""
    k = s
    while k > 0 and t[k - 1].isspace():
        k -= 1
    if k == 0:
        return True
    c = t[k - 1]
    if c in _OPENING_MARKS:
        return True
    if c in _QUOTE:  # a straight quote opens when it stands after a space or at the start
        return k == 1 or t[k - 2].isspace() or t[k - 2] in _OPENING_MARKS
    if c in ".!?:;" and k < s:
        if c == ".":
            j = k - 1
            while j > 0 and t[j - 1].isalpha():
                j -= 1
            if t[j:j + 1].isupper() and fold(t[j:k - 1]) in _TITLES:
                return False  # 'M. Zelenskiy', 'Dr. Smith' (but '7750 m. Ils': metres, then a sentence)
        return True
    return False


@lru_cache(maxsize=1 << 13)
def candidates(text: str, lang: str) -> tuple[tuple[str, str, int, int], ...]:
    """(kind, text, start, end) of URLs, e-mails, acronyms and capitalised words not opening a sentence."""
    out = [("url", m.group(), m.start(), m.end()) for m in URL.finditer(text)]
    out += [("email", m.group(), m.start(), m.end()) for m in EMAIL.finditer(text)]
    t = masked(text)
    toks = words(t)
    n_upper = sum(len(w) for w, _, _ in toks if w.isupper())
    if n_upper and n_upper > 0.5 * sum(len(w) for w, _, _ in toks):  # a heading in capitals: no name evidence
        return tuple(out)
    acr_spans = []
    for m in _ACRONYM.finditer(t):
        acr_spans.append((m.start(), m.end()))
        if not _ROMAN_NUMERAL.fullmatch(m.group()):  # Gasherbrum II, camp III: a number, not an acronym
            out.append(("acronym", m.group(), m.start(), m.end()))
    # 'The', 'La' in a title are not names; nor is `No` opening a sentence, nor `Cent` in `Guerre de Cent Ans`
    skip = calendar_words(lang) | stopwords(lang) | negation_cues(lang) | spelled_numbers(lang)[0].keys()
    menu = [m.span() for m in _MENU_PATH.finditer(t)] if ">" in t or "→" in t else []
    for w, s, e in toks:
        if not w[0].isupper() or len(w) < 2 or any(a <= s < b for a, b in acr_spans):
            continue
        if fold(w) in skip or fold(w) in _TITLES or capitalised_common_noun(w, lang):
            continue
        if _opens_sentence(t, s) and not spelled_alike_elsewhere(w, lang, margin=1.0):
            # a capital that opens a sentence (or a numbered step: `4. Open the app`) proves nothing, unless
            # the word travels as a name (Putin); English words travel too, hence the narrower margin
            continue
        if menu and any(a <= s < b for a, b in menu):
            continue  # a menu path, `Settings > Account > Sync`: labels the translation localises
        out.append(("name", w, s, e))
    return tuple(out)


def _whole_name(unmatched: list, text: str, lang: str, places) -> bool:
    """Two or more unmatched names next to each other (`Joe Biden`), one of them a name that travels
    unchanged across languages and together not a CLDR place: a person left out or added whole. A frequent name alone weighs
    little (a translator may keep only the surname, or say `he`); the whole name gone is a real loss."""
    names = sorted((s, e, v) for k, v, s, e in unmatched if k == "name")
    for (_, e1, v1), (s2, _, v2) in zip(names, names[1:], strict=False):
        if text[e1:s2] in (" ", "\u00a0") and fold(f"{v1} {v2}") not in places \
                and (spelled_alike_elsewhere(v1, lang) or spelled_alike_elsewhere(v2, lang)):
            return True  # (a country, United States / Washington, is metonymy more often than a loss)
    return False


def _loose_variants(a: tuple, lang_a: str, b: tuple, lang_b: str, threshold: float) -> bool:
    """Two unmatched words, one on each side, that are one translated word (Council/Conseil, an
    acronym with its letters reordered: MSbP/SMpP): they resemble each other loosely and words
    start alike. Two names that each travel unchanged across languages (Biden, Blinken) are two
    people, not one name's variants."""
    from rapidfuzz import fuzz

    ska, skb = skeleton(a[1]), skeleton(b[1])
    if fuzz.ratio(ska, skb) < threshold:
        return False
    if "acronym" in (a[0], b[0]) or all(sum(c.isupper() for c in w) >= 2 for w in (a[1], b[1])):
        return True  # acronyms reorder their letters in translation (NATO/OTAN, MSbP/SMpP)
    return same_onset(ska, skb) and not (spelled_alike_elsewhere(a[1], lang_a) and spelled_alike_elsewhere(b[1], lang_b))


@check_registry.register("names")
class NamesCheck(Check):
    name = "names"
    defaults = {"threshold": 0.5, "weight": 0.35, "fuzzy": 70.0, "lone_name": 0.3, "lone_acronym": 0.45,
                "variant": 55.0, "lone_rare": 0.5, "common_zipf": 4.0, "rare_zipf": 3.0}

    def _rarity(self, kind: str, value: str, lang: str) -> float:
        """1 for a rare name (or a language without a word list), 0 for a common word, linear between."""
        if kind != "name":
            return 1.0
        z = zipf(value, lang)
        if z is None:
            return 1.0
        hi, lo = self.settings["common_zipf"], self.settings["rare_zipf"]
        return min(1.0, max(0.0, (hi - z) / max(hi - lo, 1e-6)))

    def _unmatched(self, text: str, other: str, lang: str, other_lang: str):
        cands = candidates(text, lang)
        if not cands:
            return []
        side = _side(other)
        mapping = place_and_language_names(lang, other_lang)
        consumed = [(s, e) for phrase, s, e in _cldr_phrases(text, lang, other_lang)
                    if _mapped(phrase, mapping, side)]
        fuzzy = self.settings["fuzzy"]
        other_scripts = _scripts_of(other)  # a URL is no evidence that the other side writes Latin
        out = []
        for kind, value, s, e in cands:
            if consumed and any(a <= s < b for a, b in consumed):
                continue
            if kind in ("name", "acronym") and other_scripts and not (scripts(value) & other_scripts) \
                    and value not in other:
                continue  # Putin / 普京, NATO / НАТО: a transliteration, not a spelling to compare
            if kind in ("url", "email"):
                if value.rstrip("/") not in other:
                    out.append((kind, value, s, e))
                continue
            if _mapped(value.replace(".", "") if kind == "acronym" else value, mapping, side) \
                    or _short_form(value, kind, lang, other_lang, side):
                continue
            if kind == "acronym":
                if value in other or _acronym_match(value, other, side, other_lang):
                    continue
                if _word_match(value, side, fuzzy):
                    continue
            elif _word_match(value, side, fuzzy) or _demonym_match(value, lang, other_lang, mapping, side):
                continue
            elif fold(value) in mapping:
                kind = "place"     # a CLDR place name unmatched is often metonymy (Washington / les États-Unis)
            else:
                nxt = _NEXT_WORD.match(text, e)
                if nxt and nxt.group(1)[0].isupper() and _word_match(nxt.group(1), side, fuzzy):
                    kind = "modifier"  # 'Foreign' in 'Foreign Minister': part of a translated title
            out.append((kind, value, s, e))
        return out

    def score_all(self, cases, ctx: DocContext) -> list[CheckResult | None]:
        """A document defines its acronyms once (`produit intérieur brut (PIB)` / `gross domestic
        product (GDP)`): a link where each side puts its one unmatched acronym in brackets teaches the
        pair, and the other links of the document accept it (`113 % du PIB` / `113% of GDP`)."""
        found = [self._both_sides(c, ctx) for c in cases]
        taught = {pair for c, (src, tgt) in zip(cases, found, strict=True)
                  if (pair := _defined_pair(c, src, tgt)) is not None}
        return [self._judge(src, tgt, c, ctx, taught) for c, (src, tgt) in zip(cases, found, strict=True)]

    def _both_sides(self, case: LinkCase, ctx: DocContext):
        return (self._unmatched(case.src_text, case.tgt_text, ctx.src_lang, ctx.tgt_lang),
                self._unmatched(case.tgt_text, case.src_text, ctx.tgt_lang, ctx.src_lang))

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        return self._judge(*self._both_sides(case, ctx), case, ctx, set())

    def _judge(self, src: list, tgt: list, case: LinkCase, ctx: DocContext, taught: set[tuple[str, str]]) -> CheckResult:
        if taught and src and tgt:
            pairs = {(a[1], b[1]) for a in src for b in tgt} & taught
            src = [x for x in src if not any(x[1] == a for a, _ in pairs)]
            tgt = [x for x in tgt if not any(x[1] == b for _, b in pairs)]
        if not src and not tgt:
            return CheckResult(0.0)
        # an unmatched name on each side that loosely resemble each other are variants (Council/Conseil)
        loose = self.settings["variant"]
        pairs = [(a, b) for a in src for b in tgt if a[0] not in ("url", "email") and b[0] not in ("url", "email")
                 and _loose_variants(a, ctx.src_lang, b, ctx.tgt_lang, loose)]
        drop = {id(a) for a, _ in pairs} | {id(b) for _, b in pairs}
        src = [x for x in src if id(x) not in drop]
        tgt = [x for x in tgt if id(x) not in drop]
        if not src and not tgt:
            return CheckResult(0.0)
        strength = {"url": 1.0, "email": 1.0, "acronym": self.settings["lone_acronym"],
                    "name": self.settings["lone_name"], "place": self.settings["lone_name"],
                    "modifier": self.settings["lone_name"]}
        lone, rare = self.settings["lone_name"], self.settings["lone_rare"]
        rarity_src = [self._rarity(k, v, ctx.src_lang) for k, v, *_ in src]
        rarity_tgt = [self._rarity(k, v, ctx.tgt_lang) for k, v, *_ in tgt]
        score = 0.0
        for (k, *_), r in zip(src + tgt, rarity_src + rarity_tgt, strict=True):
            score = max(score, strength[k] + (rare - lone) * r if k == "name" else strength[k])
        swappable = ("name", "acronym")
        if _whole_name(src, case.src_text, ctx.src_lang, place_and_language_names(ctx.src_lang, ctx.tgt_lang)) \
                or _whole_name(tgt, case.tgt_text, ctx.tgt_lang, place_and_language_names(ctx.tgt_lang, ctx.src_lang)):
            score = max(score, rare)  # a person's whole name on one side only: not a surname kept alone
        named_src = [r for (k, *_), r in zip(src, rarity_src, strict=True) if k in swappable]
        named_tgt = [r for (k, *_), r in zip(tgt, rarity_tgt, strict=True) if k in swappable]
        if named_src and named_tgt and max(named_src + named_tgt) > 0:
            score = max(score, 0.8)   # a name on each side with no counterpart, one not a common word: swapped
        if any(k == "place" for k, *_ in src) and any(k == "place" for k, *_ in tgt):
            score = max(score, 0.8)   # a country or language on each side, neither the other's: Japanese / chinois
        parts = []
        if src:
            parts.append("source name(s) not found in target: " + ", ".join(v for _, v, *_ in src))
        if tgt:
            parts.append("target name(s) not found in source: " + ", ".join(v for _, v, *_ in tgt))
        return CheckResult(score, "; ".join(parts), span_list((s, e) for *_, s, e in src),
                           span_list((s, e) for *_, s, e in tgt))
