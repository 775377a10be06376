"""Per-language data used by the checks, built once per language and cached.

CLDR (through Babel) supplies whatever it has: number symbols, month and weekday names,
territory and language names. CLDR has no spelled-out numbers in Babel (no RBNF data), so a
small table (0-20, tens, hundred, thousand) per language is kept here, with negation cues.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from workbench.text.reader import INVISIBLE

# ---------------------------------------------------------------- text helpers

WORD = re.compile(r"[^\W\d_](?:[\w\-]*[^\W_])?", re.UNICODE)  # a word, inner hyphens kept
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
ELISION = re.compile(r"^(?:[ldjmntscq]|qu|jusqu|lorsqu|puisqu|quoiqu|dell|dall|nell|sull|all)['’]", re.IGNORECASE)


# (a soft hyphen or a zero-width space inside a word, as text copied from a PDF or a web page has, is
# part of the word: `Be\u00adsan\u00adçon` is one word, and folds to `besancon`; so is a combining accent,
# as in text saved decomposed (NFD, macOS): `Z\u030ci\u030czek` is `Žižek`)
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’\-\u00ad\u200b\u2060\u0300-\u036f]*(?:[^\W_]|[\u0300-\u036f]))?")
_APOS_PART = re.compile(r"[^'’]+")


@lru_cache(maxsize=1)
def _strip_marks() -> dict[int, None]:
    """str.translate table deleting every combining mark (what NFKD splits accents into)."""
    import sys

    return {c: None for c in range(0x300, min(sys.maxunicode + 1, 0x20000)) if unicodedata.combining(chr(c))}


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Case- and accent-insensitive form (cached: the checks fold the same words over and over)."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text.casefold()).translate(_strip_marks()).replace("’", "'")
    return INVISIBLE.sub("", folded)


def strip_elision(word: str) -> str:
    return ELISION.sub("", word)


@lru_cache(maxsize=1 << 14)
def masked(text: str) -> str:
    """The text with URLs and e-mail addresses blanked out (same length, so offsets hold)."""
    if "@" not in text and "://" not in text and "www." not in text and "WWW." not in text:
        return text
    for rx in (URL, EMAIL):
        text = rx.sub(lambda m: " " * len(m.group()), text)
    return text


@lru_cache(maxsize=1 << 14)
def words(text: str) -> tuple[tuple[str, int, int], ...]:
    """Words with their offsets; an elided article (l', d') is split off the word. Cached per text."""
    out = []
    append = out.append
    for m in _TOKEN.finditer(text):
        w = m.group()
        if "'" not in w and "’" not in w:
            append((w, *m.span()))
            continue
        stripped = strip_elision(w)
        start = m.start() + len(w) - len(stripped)
        for part in _APOS_PART.finditer(stripped):
            append((part.group(), start + part.start(), start + part.end()))
    return tuple(out)


@lru_cache(maxsize=1 << 14)
def folded_words(text: str) -> tuple[tuple[str, int, int], ...]:
    """`words(text)` with each word folded (cached per text, shared by the checks)."""
    toks = words(text)
    if text.isascii():
        low = text.lower()
        return tuple((low[s:e], s, e) for _, s, e in toks)
    return tuple((w.lower() if w.isascii() else fold(w), s, e) for w, s, e in toks)


#: letters of the scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, Tibetan, kana, Han)
_UNSPACED_SCRIPTS = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u0f00-\u0fff\u3040-\u30ff\u3400-\u4dbf" \
                    "\u4e00-\u9fff\uf900-\ufaff"
#: languages written without spaces between words: a name or a number sits inside a run of letters
UNSPACED = frozenset("zh ja th lo km my bo".split())
#: letters of those scripts (and Hangul, whose particles attach to numbers and names: 12개, 월요일에)
UNSPACED_LETTERS = _UNSPACED_SCRIPTS + "\uac00-\ud7af"
_UNSPACED_RUN = re.compile(f"[{_UNSPACED_SCRIPTS}]+")  # (Hangul is spaced: a run of it is words)


def word_count(text: str) -> int:
    """Words in `text`: spaced words, and a run of an unspaced script as one word per two characters
    (a Chinese word is one to three characters)."""
    if not _UNSPACED_RUN.search(text):
        return len(text.split())
    runs = _UNSPACED_RUN.findall(text)
    return len(_UNSPACED_RUN.sub(" ", text).split()) + sum((len(r) + 1) // 2 for r in runs)


def base_lang(lang: str) -> str:
    return (lang or "en").lower().replace("_", "-").split("-")[0]




@lru_cache(maxsize=1 << 14)
def scripts(text: str, share: float = 0.2) -> frozenset[str]:
    """The scripts (LATIN, CYRILLIC, CJK, HANGUL, ARABIC, ...) of at least `share` of the text's letters;
    kana and ideographs count as one script (CJK), as Japanese mixes them."""
    counts: dict[str, int] = {}
    total = 0
    for ch in text:
        if not ch.isalpha():
            continue
        total += 1
        if ch.isascii():
            name = "LATIN"
        else:
            name = unicodedata.name(ch, "UNKNOWN").split()[0]
            if name in ("HIRAGANA", "KATAKANA", "CJK"):
                name = "CJK"
        counts[name] = counts.get(name, 0) + 1
    return frozenset(k for k, v in counts.items() if v >= share * total) if total else frozenset()


# ---------------------------------------------------------------- CLDR data


@lru_cache(maxsize=64)
def locale(lang: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(base_lang(lang))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=64)
def number_symbols(lang: str) -> tuple[str, str]:
    """(decimal, group) symbols of the language's default numbering system."""
    loc = locale(lang)
    syms = loc.number_symbols.get(loc.default_numbering_system or "latn") or loc.number_symbols["latn"]
    return syms.get("decimal", "."), syms.get("group", ",")


@lru_cache(maxsize=64)
def month_names(lang: str) -> dict[str, int]:
    """Folded month name or abbreviation (any CLDR width and context) -> month number."""
    loc = locale(lang)
    out: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for num, name in loc.months.get(context, {}).get(width, {}).items():
                key = fold(name).rstrip(".")
                if len(key) >= 3 or (len(key) == 2 and base_lang(lang) in UNSPACED):  # 1月
                    out[key] = int(num)
    if base_lang(lang) == "en":  # common press abbreviation not in CLDR
        out.setdefault("sept", 9)
    return out


@lru_cache(maxsize=64)
def currency_words(lang: str) -> frozenset[str]:
    """Folded words of the currency names of `lang`, singular and plural (CLDR: euros, dollars, yens)."""
    from babel.numbers import get_currency_name

    loc = locale(lang)
    out = set()
    for code in loc.currencies:
        for count in (1, 2):
            out.update(fold(w) for w in get_currency_name(code, count=count, locale=loc).split() if w.isalpha())
    return frozenset(out)


@lru_cache(maxsize=64)
def weekday_names(lang: str) -> dict[str, int]:
    loc = locale(lang)
    out: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for num, name in loc.days.get(context, {}).get("wide", {}).items():
            out[fold(name)] = int(num)
        if base_lang(lang) in UNSPACED:  # 周一 as well as 星期一
            for num, name in loc.days.get(context, {}).get("abbreviated", {}).items():
                if len(name) >= 2:
                    out.setdefault(fold(name), int(num))
    return out


@lru_cache(maxsize=64)
def place_and_language_names(src: str, tgt: str) -> dict[str, frozenset[str]]:
    """Folded CLDR territory/language name in `src` -> its folded names in `tgt` (Germany -> allemagne).

    Language names double as demonyms in several languages (French/français, Russian/russe).
    Territory codes are keys too (US -> etats-unis), so acronyms such as U.S. map.
    """
    ls, lt = locale(src), locale(tgt)
    out: dict[str, set[str]] = {}
    for attr in ("territories", "languages"):
        a, b = getattr(ls, attr), getattr(lt, attr)
        for code, name in a.items():
            other = b.get(code)
            if not other:
                continue
            out.setdefault(fold(name), set()).add(fold(other))
            if attr == "territories" and code.isalpha() and len(code) == 2:
                out.setdefault(fold(code), set()).add(fold(other))
                out[fold(name)].add(fold(code))
    return {k: frozenset(v) for k, v in out.items()}


#: English modal verbs
EN_MODALS = frozenset("can could should must might may would shall will".split())


# ---------------------------------------------------------------- spelled numbers

_SPELLED = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty|30 thirty|40 forty|50 fifty|60 sixty|"
          "70 seventy|80 eighty|90 ninety|100 hundred|1000 thousand|1000000 million|1000000000 billion|"
          "1000000000000 trillion",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
          "dix-sept dix-huit dix-neuf vingt|30 trente|40 quarante|50 cinquante|60 soixante|70 soixante-dix|"
          "80 quatre-vingt|80 quatre-vingts|90 quatre-vingt-dix|100 cent|100 cents|1000 mille|"
          "1000000 million|1000000 millions|1000000000 milliard|1000000000 milliards",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
          "fünfzehn sechzehn siebzehn achtzehn neunzehn zwanzig|30 dreißig|40 vierzig|50 fünfzig|"
          "60 sechzig|70 siebzig|80 achtzig|90 neunzig|100 hundert|1000 tausend|1000000 million|"
          "1000000 millionen|1000000000 milliarde|1000000000 milliarden",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
          "dieciséis diecisiete dieciocho diecinueve veinte|30 treinta|40 cuarenta|50 cincuenta|"
          "60 sesenta|70 setenta|80 ochenta|90 noventa|100 cien|100 ciento|1000 mil|1000000 millón|"
          "1000000 millones|1000000000 mil-millones",
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici "
          "quindici sedici diciassette diciotto diciannove venti|30 trenta|40 quaranta|50 cinquanta|"
          "60 sessanta|70 settanta|80 ottanta|90 novanta|100 cento|1000 mille|1000000 milione|"
          "1000000 milioni|1000000000 miliardo|1000000000 miliardi",
    "pt": "zero um dois três quatro cinco seis sete oito nove dez onze doze treze catorze quinze "
          "dezesseis dezessete dezoito dezenove vinte|30 trinta|40 quarenta|50 cinquenta|60 sessenta|"
          "70 setenta|80 oitenta|90 noventa|100 cem|100 cento|1000 mil|1000000 milhão|1000000000 bilhão|"
          "2 duas|16 dezasseis|17 dezassete|19 dezanove|14 quatorze|1000000 milhões|1000000000 bilhões",
}
#: words that are also an article or pronoun ("un", "one", "ein"): they match but never count as missing
_AMBIGUOUS = {"en": {"one"}, "fr": {"un", "une", "neuf"}, "de": {"eins", "ein", "eine"},
              "es": {"uno", "una", "un"}, "it": {"uno", "una", "un"}, "pt": {"um", "uma"}}
#: words that imply a count without being a numeral ('both' / 'les deux', 'une cinquantaine' / 'fifty',
#: 'a dozen'): they match the other side's number but never count as missing
_APPROXIMATE = {
    "en": {"both": 2, "dozen": 12, "twice": 2, "thrice": 3},
    "fr": {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
           "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000},
    "de": {"beide": 2, "beiden": 2, "beider": 2, "dutzend": 12},
    "es": {"ambos": 2, "ambas": 2, "decena": 10, "docena": 12, "veintena": 20, "centenar": 100},
    "it": {"entrambi": 2, "entrambe": 2, "decina": 10, "dozzina": 12, "ventina": 20, "centinaio": 100},
    "pt": {"ambos": 2, "ambas": 2, "dezena": 10, "duzia": 12, "vintena": 20, "centena": 100},
}
_ORDINALS = {
    "en": "first second third fourth fifth sixth seventh eighth ninth tenth",
    "fr": "premier deuxième troisième quatrième cinquième sixième septième huitième neuvième dixième",
    "de": "erste zweite dritte vierte fünfte sechste siebte achte neunte zehnte",
    "es": "primero segundo tercero cuarto quinto sexto séptimo octavo noveno décimo",
    "it": "primo secondo terzo quarto quinto sesto settimo ottavo nono decimo",
    "pt": "primeiro segundo terceiro quarto quinto sexto sétimo oitavo nono décimo",
}
_ORDINAL_EXTRA = {"fr": {"première": 1, "second": 2, "seconde": 2}, "en": {},
                  "de": {"ersten": 1, "zweiten": 2, "dritten": 3}, "es": {"primera": 1, "segunda": 2},
                  "it": {"prima": 1, "seconda": 2}, "pt": {"primeira": 1, "segunda": 2}}


def _derived_ordinals(lang: str, cardinals: dict[str, int]) -> dict[str, int]:
    """Ordinals past ten, made from the cardinals the regular way: English -th (seventeenth,
    twentieth), French -ième (dix-septième in parts: septième), German -te / -ste (siebzehnte,
    zwanzigste)."""
    out: dict[str, int] = {}
    for word, value in cardinals.items():
        if value < 4 or "-" in word:
            continue
        if lang == "en" and value >= 11:
            out[{"twelve": "twelfth"}.get(word, word[:-1] + "ieth" if word.endswith("y") else word + "th")] = value
        elif lang == "fr":
            stem = {"cinq": "cinqu", "neuf": "neuv"}.get(word, word[:-1] if word.endswith("e") else word)
            out[stem + "ieme"] = value
        elif lang == "de" and value >= 11:
            for ending in ("", "n", "r", "s", "m"):  # (declined: im neunzehnten Jahrhundert)
                out[word + ("ste" if value >= 20 else "te") + ending] = value
    return out


@lru_cache(maxsize=64)
def spelled_numbers(lang: str) -> tuple[dict[str, int], frozenset[str]]:
    """Folded number word -> value; and the words that are ambiguous (articles, 'second')."""
    lang = base_lang(lang)
    table: dict[str, int] = {}
    spec = _SPELLED.get(lang)
    if spec is None:
        return {}, frozenset()
    head, *rest = spec.split("|")
    for value, word in enumerate(head.split()):
        table[fold(word)] = value
    for item in rest:
        value, word = item.split()
        table[fold(word)] = int(value)
    ambiguous = {fold(w) for w in _AMBIGUOUS.get(lang, ())}
    for value, word in enumerate(_ORDINALS[lang].split(), start=1):
        table[fold(word)] = value
        ambiguous.add(fold(word))  # 'second', 'first' read as adverbs too often
    for word, value in _derived_ordinals(lang, table).items():
        table.setdefault(word, value)  # seventeenth, dix-septième, siebzehnte: unambiguous
    for word, value in _ORDINAL_EXTRA.get(lang, {}).items():
        table[fold(word)] = value
        ambiguous.add(fold(word))
    for word, value in _APPROXIMATE.get(lang, {}).items():
        table.setdefault(fold(word), value)
        ambiguous.add(fold(word))
    if lang == "en":
        ambiguous |= {"million", "billion", "thousand", "hundred"}
    else:
        ambiguous |= {w for w, v in table.items() if v >= 100}
    return table, frozenset(ambiguous)


# ---------------------------------------------------------------- negation

_NEGATION = {
    "en": "not n't no never nothing nobody none neither nor without cannot nowhere",
    "fr": "pas jamais rien aucun aucune aucuns aucunes sans ni nul nulle nullement guère point",
    "de": "nicht kein keine keinen keinem keiner keines nie niemals nichts niemand ohne weder keinesfalls keineswegs "
          "nirgends nirgendwo",
    "es": "no nunca nada nadie ningún ninguna ninguno sin ni jamás tampoco",
    "it": "non mai niente nulla nessuno nessuna senza né",
    "pt": "não nunca nada ninguém nenhum nenhuma sem nem jamais",
    "nl": "niet geen nooit niets niemand nergens zonder noch",
    "sv": "inte ej aldrig ingen inget inga ingenting varken utan",
    "da": "ikke aldrig ingen intet ingenting hverken uden",
    "nb": "ikke aldri ingen ingenting intet verken uten",
    "no": "ikke aldri ingen ingenting intet verken uten",
    "ru": "не нет ни никогда ничего ничто никто нигде никакой никакая никакое никакие никакого нельзя без",
    "uk": "не ні ніколи нічого ніщо ніхто ніде жоден жодна жодне жодних немає без",
    "pl": "nie nigdy nic nikt nigdzie żaden żadna żadne żadnych bez",
}


@lru_cache(maxsize=64)
def negation_cues(lang: str) -> frozenset[str]:
    return frozenset(fold(w) for w in _NEGATION.get(base_lang(lang), "").split())


#: near-negations ('hardly anyone' / 'presque personne ne', 'egoless' / 'sans ego', 'unschwierig' / 'pas de
#: difficultés'): a translation may render them with or without a grammatical negation; then the
#: sentence's polarity is not evidence
_NEAR_NEGATION = {  # (near-negation words, 'almost' words, suffix of 'without' adjectives, negating prefix)
    "en": ("hardly scarcely barely seldom rarely", "almost nearly", "less", "un"),
    "fr": ("peine rarement guere", "presque quasiment", "", ""),
    "de": ("kaum selten", "fast beinahe", "los", "un"),
    "es": ("apenas raramente", "casi", "", ""),
    "it": ("appena raramente", "quasi", "", ""),
    "pt": ("raramente", "quase", "", ""),
    "nl": ("nauwelijks zelden amper", "bijna", "loos", "on"),
    "sv": ("knappt sällan", "nästan", "lös", ""),
    "da": ("knap næppe sjældent", "næsten", "løs", ""),
    "nb": ("knapt sjelden", "nesten", "løs", ""),
    "no": ("knapt sjelden", "nesten", "løs", ""),
    "ru": ("едва редко", "почти", "", ""),
    "uk": ("ледве рідко", "майже", "", ""),
    "pl": ("ledwo rzadko", "prawie", "", ""),
}


@lru_cache(maxsize=64)
def near_negation_cues(lang: str) -> tuple[frozenset[str], frozenset[str], str, str]:
    """(words that are near-negations, 'almost' words that turn a following negation into one,
    the suffix of 'without' adjectives: egoless, obdachlos; the negating prefix: unlikely, unschwierig)."""
    near, almost, suffix, prefix = _NEAR_NEGATION.get(base_lang(lang), ("", "", "", ""))
    return frozenset(near.split()), frozenset(almost.split()), suffix, prefix


#: a French infinitive (donner, finir, prendre, pouvoir): after a modal, a clitic, or `ne manque pas de`
FR_INFINITIVE = re.compile(r"^\w{2,}(?:er|ir|re|oir)$")

#: a quotation, its words in the group that matched: "...", “...”, « ... », „...“, »...«
#: marks that open / close a quotation in the languages covered (German closes with “, French opens with «)
OPENING_QUOTES = "«“„\""
CLOSING_QUOTES = "»”“\""
_QUOTATION = re.compile(r"\"([^\"]*)\"|“([^”“]*)[”“]|«([^»]*)»|„([^“”]*)[“”]|»([^«]*)«")


def quotations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, quoted words) of each closed quotation of `text`."""
    return [(m.start(), m.end(), next(g for g in m.groups() if g is not None)) for m in _QUOTATION.finditer(text)]


@lru_cache(maxsize=64)
def calendar_words(lang: str) -> frozenset[str]:
    """Folded month and weekday names of `lang` (CLDR)."""
    return frozenset(month_names(lang)) | frozenset(weekday_names(lang))


# ---------------------------------------------------------------- clause splitting (partial omission)

_CLAUSE_WORDS = {
    "en": "of by who which that whose whom where when while as because although though but and or "
          "for with without after before since until including near",
    "fr": "de des du qui que dont où quand lorsque alors parce puisque bien mais et ou pour avec sans "
          "après avant depuis jusqu notamment près par",
    "de": "von vom der die das dessen deren wo wenn während weil obwohl aber und oder für mit ohne "
          "nach vor seit bis durch",
    "es": "de del que quien cuyo donde cuando mientras porque aunque pero y o para con sin después antes "
          "desde hasta por",
}


@lru_cache(maxsize=64)
def clause_words(lang: str) -> frozenset[str]:
    return frozenset(_CLAUSE_WORDS.get(base_lang(lang), _CLAUSE_WORDS["en"]).split())


@lru_cache(maxsize=64)
def stopwords(lang: str) -> frozenset[str]:
    """Short function words (for initials of expanded acronyms): the clause words plus articles."""
    extra = {"en": "the a an in on at to", "fr": "le la les l un une au aux en à d",
             "de": "der die das den dem ein eine im am zu", "es": "el la los las un una en al"}
    return clause_words(lang) | frozenset(extra.get(base_lang(lang), "").split())


#: languages wordfreq lists under another code (Norwegian Bokmål; Serbo-Croatian; Filipino)
_WORDFREQ_ALIASES = {"no": "nb", "sr": "sh", "hr": "sh", "bs": "sh", "tl": "fil"}


@lru_cache(maxsize=1)
def _wordfreq_languages() -> frozenset[str]:
    try:
        from wordfreq import available_languages
    except ImportError:  # pragma: no cover - a dependency
        return frozenset()
    return frozenset(available_languages())


@lru_cache(maxsize=1 << 15)
def zipf(word: str, lang: str) -> float | None:
    """Zipf frequency of `word` in `lang` (wordfreq: log10 of occurrences per billion words;
    5 = once per 10k words, 3 = once per million), None when there is no word list for `lang`."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - a dependency; without it every name counts
        return None
    lang = base_lang(lang)
    lang = _WORDFREQ_ALIASES.get(lang, lang)
    if lang not in _wordfreq_languages():
        return None  # (wordfreq would answer from its nearest language, Russian for Armenian)
    try:
        return float(zipf_frequency(word, lang))
    except (LookupError, ImportError):  # no list, or Chinese/Japanese/Korean without jieba/MeCab installed
        return None


# ---------------------------------------------------------------- languages that capitalise every noun

#: German and Luxembourgish write every noun with a capital, so a capital is no evidence of a name
NOUN_CAPITALISING = frozenset({"de", "lb"})
#: languages a name is looked up in (its own left out): not German's close kin Dutch, which shares Weg, Wand, Theorie
_NAME_WITNESSES = ("en", "fr", "de", "es", "it", "pt")
#: inflection endings of German nouns (Gletscher-s, Lawine-n, Märsch-en): a compound's last part may carry one
_DE_ENDINGS = ("s", "es", "n", "en", "e", "er", "ern")


def _known_word(word: str, lang: str, min_zipf: float) -> bool:
    """`word`, or `word` without an inflection ending, is a common word of `lang` (Swiss spelling,
    ss for ß, read too: Fusstapfen for Fußstapfen, Strasse for Straße)."""
    forms = (word, word.replace("ss", "ß"), word.replace("ss", "ßs")) if "ss" in word else (word,)
    for w in forms:
        if (zipf(w, lang) or 0.0) >= min_zipf:
            return True
        if any(w.endswith(e) and len(w) - len(e) >= 4 and (zipf(w[: -len(e)], lang) or 0.0) >= min_zipf
               for e in _DE_ENDINGS):
            return True
    return False


#: endings that make a German noun of a verb or an adjective (Erfrierung-en, Schwierig-keit): a long word
#: with one is a common noun however rare; names hardly end so
_DE_NOUN_SUFFIXES = ("ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "nisse", "ismus",
                     "ität", "itäten", "ation", "ationen", "tum", "tums")


@lru_cache(maxsize=1 << 14)
def _compound(word: str, lang: str, depth: int = 2, min_zipf: float = 3.0, min_len: int = 4) -> bool:
    """`word` is a common word of `lang` or a compound of them (Gletscher+becken, Akklimatisierung+s+periode)."""
    if zipf(word, lang) is None:
        return False
    if _known_word(word, lang, min_zipf) or (lang == "de" and len(word) >= 8 and word.endswith(_DE_NOUN_SUFFIXES)):
        return True
    if depth == 0:
        return False
    for i in range(3, len(word) - min_len + 1):
        right = word[i:]
        # the last part a little rarer than the first may be (Tage+märschen): the first carries the evidence
        if not _known_word(right, lang, min_zipf - 0.5):
            continue
        left = word[:i]
        if len(left) < min_len:  # a short head only when it is a frequent word itself: Eis+lawinen, See+schlange
            if (zipf(left, lang) or 0.0) >= min_zipf + 1.0 and _known_word(right, lang, min_zipf):
                return True
            continue
        heads = {left}
        for link in ("s", "es", "en", "n", "e"):  # linking elements: Akklimatisierung-s-periode, Gebirge-s-wall
            if left.endswith(link) and len(left) - len(link) >= min_len:
                heads |= {left[: -len(link)], left[: -len(link)] + "e"}
        if any(_compound(h, lang, depth - 1, min_zipf, min_len) for h in heads) \
                and (_known_word(right, lang, min_zipf) or any(_known_word(h, lang, min_zipf) for h in heads)):
            return True
    return False


@lru_cache(maxsize=1 << 14)
def capitalised_common_noun(word: str, lang: str) -> bool:
    """In a language that capitalises nouns: `word` reads as a common noun, not a name. A rare word
    that is no compound of known words is a name (Chagaran, Gasherbrum); so is a word spelled alike
    and about as frequent across other languages (the median over them: Manaslu, Putin, Merkel;
    one language's lookalike, Italian `falle` or English `wand`, proves nothing). A noun is frequent
    in its own language only (Angriff, Falle) or a compound of known words (Gletscher+becken).
    Names frequent mainly in German texts (München, Scholz) read as nouns: they are not checked."""
    lang = base_lang(lang)
    if lang not in NOUN_CAPITALISING:
        return False
    w = word.lower()
    own = zipf(w, lang)
    if own is None:
        return False
    if own < 2.5 and not _compound(w.replace("-", ""), lang):
        return False
    # a German noun that is also a word or a surname elsewhere (Berg, Grat, Links, Expedition) sits more
    # than a step lower there; a name travelling unchanged (Manaslu, Putin) about as high
    return not spelled_alike_elsewhere(word, lang, margin=1.0)


@lru_cache(maxsize=1 << 14)
def spelled_alike_elsewhere(word: str, lang: str, margin: float = 1.5) -> bool:
    """`word` is about as frequent in other languages as in its own (the median over them, within `margin`
    on the Zipf scale): a name that travels unchanged (Putin, Biden, Washington, Manaslu), not a word of the
    language (However, Selon, Angriff); one language's lookalike (Italian `falle`) proves nothing."""
    lang = base_lang(lang)
    w = word.lower()
    own = zipf(w, lang)
    if own is None:
        return False
    others = sorted((zipf(w, other) or 0.0) for other in _NAME_WITNESSES if other != lang)
    median = others[len(others) // 2]
    return median > 0 and median >= own - margin
