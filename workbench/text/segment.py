"""Sentence segmentation.

Paragraphs are blank-line separated blocks. Inside a paragraph the rule-based splitter of
`sentence-splitter` (the Moses/Europarl algorithm, with per-language non-breaking-prefix lists for
ca cs da de el en es fi fr hu is it lt lv nl no pl pt ro ru sk sl sv tr) proposes sentence
boundaries, and project rules on top:

* abbreviations: the library's per-language list, its lower-case entries also matched when
  capitalised (``sra`` -> ``Sra.``), plus a few entries it lacks (`_EXTRA_ABBREVIATIONS`), initials
  (``G. O. Dyhrenfurth``) in any script and Spanish doubled-letter plurals (``EE. UU.``);
* a line inside a paragraph that is a heading (all capitals, or Markdown ``#``) or a list item is
  its own block, so it never runs into the next sentence;
* no-break spaces (``100\u202f000``, ``«\u00a0Oui\u00a0»``) are kept in the text and never split;
* sentence enders of scripts without spaces (``。！？`` and others) end a sentence even when no
  space follows. A language without a prefix list gets the algorithm with the English list
  (titles, months, initials), which is harmless for other scripts.

Boundaries are mapped back onto the paragraph by counting non-space characters, so no character
is ever lost, added or changed: only runs of breaking whitespace are normalised to one space.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from workbench.records import Document, Sentence
from workbench.text.languages import check_language
from workbench.text.reader import INVISIBLE as _INVISIBLE
from workbench.text.reader import read_text

_BLANK = re.compile(r"\n[^\S\n]*\n\s*")
# whitespace that may be folded into one plain space; no-break spaces are kept as written
_NBSP = "\u00a0\u202f\u2007\u2060\ufeff"
_BREAKING_WS = re.compile(rf"[^\S{_NBSP}]+")
# a no-break space next to punctuation that French and others space off: « x », x ?, x !
_NBSP_PUNCT = re.compile(r"(?<=[«‹\u201e\u201c\"])[\u00a0\u202f\u2007]|[\u00a0\u202f\u2007](?=[»›?!:;\u201d\"])")
# sentence enders that need no following space: CJK full stops, ideographic marks, danda,
# Arabic/Urdu question mark, Ethiopic and Burmese full stops
# (a quote or bracket touching the ender closes its sentence; after a space it opens the next one)
_HARD_END = re.compile(r"[。．｡！？!?؟।॥።။։۔;]+[」』”’）)\]】》〉»›\"']*(?=\s+\S|[^\s。．｡！？!?؟।॥።။։۔;」』”’）)\]】》〉»›\"'])")
_CLOSERS = "」』”’）)]】》〉»›\"'"
_HARD_END_CHARS = "。．｡！？؟।॥።။։۔;"  # (U+037E: the Greek question mark)
_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+?(?=[.,;:!?)\]\"'»”’]*(?:\s|$))|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_STARTS_DIGIT = re.compile(r"^[\s\"'(\[«‹\u201c\u201e]*\d")
_LIST_ITEM = re.compile(r"^(?:[-*•‣▪◦–—]\s+|#{1,6}\s|\(?\d{1,3}[.)]\s+(?=[^\W\d_]))")
#: a piece that is only a list item's number or letter (`1.`, `2)`, `(a)`): it belongs to the text after it
_ENUMERATOR = re.compile(r"\(?(?:\d{1,3}|[a-zA-Z])[.)]")
_TERMINAL = re.compile(r"[.!?…:;。！？؟।]['\"»”’)\]]*$")

#: abbreviations that refer to a numbered thing (page, volume, article, table, figure, section, street
#: number...): followed by a number (`p. 14`, `Abb. 2`, `art. 5`, `sec. XIX`, `ст. 5`) they never end a
#: sentence, in any language
_BEFORE_NUMBER = frozenset(
    "p pp s ss vol vols ch chap cap art arts tab tabl fig figs abb abs nr no nos nº sec sect par para ed eq eqs "
    "ref refs cf bd bde kap cir str rd ca bkz lit ziff rn anm fn vgl ibid op pag pág núm num sz pkt poz st "
    "ст с рис табл гл п ч т вып стр див буд άρθ σελ σ κεφ".split())
_NUMBER_NEXT = re.compile(r"^[\s\"'(\[«‹\u201c\u201e]*(?:\d|[IVXLC]+\b)")
#: words some of the library's lists hold as abbreviations though they end sentences (`He said no. Then`);
#: they still hold before a number (`No. 5`)
_WORDS_NOT_ABBREVIATIONS = {"": ("no", "No"), "tr": ("hayır", "Hayır"), "pl": ("lek", "kult")}
#: languages without a list of their own borrow one of their script (Ukrainian: the Russian one)
_FALLBACK_LIST = {"uk": "ru", "be": "ru", "bg": "ru", "sr": "ru", "mk": "ru", "kk": "ru", "ky": "ru", "tg": "ru"}
#: Chinese and Japanese typed with half-width punctuation and no space (`我今天去了商店.你呢?`)
_HALF_WIDTH_END = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff])[.!?]+(?=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff「『（])")
#: Georgian has no capitals, so the library, which wants one after a full stop, never splits it
_GEORGIAN_END = re.compile(r"[.!?…]+[\"'»”’)\]]* +(?=[\"'«“„(\[]*[\u10a0-\u10ff])")
#: languages whose full stop is the danda (।): a dot there ends an abbreviation or an initial (`डॉ.`, `ए.`)
_DANDA = frozenset({"hi", "mr", "ne", "sa"})
#: German lists hold 1-99 as ordinals (`am 3. Oktober`, `der 2. Weltkrieg`); an ordinal is followed by a
#: noun or an adjective, never by an article or a pronoun, which therefore start a new sentence
#: (`im Raum Nr. 12. Sie findet`, `Das Spiel endete 2:1. Die Mannschaft`)
_ORDINAL_THEN_OPENER = re.compile(
    r"(?<![\d.,])\d{1,2}\.(?= +(?:Der|Die|Das|Den|Dem|Des|Ein|Eine|Einen|Einem|Er|Sie|Es|Wir|Ich|Ihr|Man|Dies|"
    r"Diese|Dieser|Dieses|Dann|Doch|Aber|Auch|Nun|So|Da|Danach|Damit|Deshalb|Trotzdem|Außerdem|Jetzt|Heute)\b)")
_GREEK_QUESTION = re.compile(r";(?= +[\"'«(]*[^\W\d_])")
_UNSPACED_LETTER = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: a date written year first with dots (Korean, Hungarian): `2024. 3. 12.` does not end a sentence
_DOTTED_DATE = re.compile(r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.$")

# Gaps in the library's lists, kept short; the bulk of the data comes from sentence-splitter.
_EXTRA_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "en": ("Mt", "Ft", "Ave", "Blvd", "Rd", "Univ", "Dept", "Govt", "Esq", "approx", "Calif", "Ariz", "Conn"),
    "fr": ("Mme", "Mmes", "Mlle", "Mlles", "Me", "Mgr", "Pr", "Dr", "St", "Ste", "janv", "févr", "avr", "juil",
           "sept", "oct", "nov", "déc", "réf", "env", "cf", "av", "apr", "art", "vol", "éd", "chap", "nº", "no"),
    "de": ("Str", "Hr", "Hrn", "Fr", "Frl", "Abs", "Abt", "Jh", "Jhd", "Jhdt", "Tel", "Bd", "Bde", "Kap", "Mio",
           "Mrd", "Nr", "Hrsg", "Prof", "Dr", "Dipl", "Ing", "med", "rer", "nat", "phil", "geb", "gest", "bzw", "ca", "vgl", "Jan", "Feb",
           "Aug", "Sept", "Okt", "Nov", "Dez", "St"),
    "es": ("Sra", "Sres", "Srta", "Dña", "Dª", "Dra", "Lic", "Ing", "Arq", "Avda", "Pág", "núm", "tel", "ene",
           "feb", "abr", "ago", "sept", "oct", "nov", "dic", "aprox", "Ud", "Uds", "Vd", "Vds", "St", "Sto", "Sta"),
    "it": ("Sig", "Sigg", "Sig.ra", "Sig.na", "Dott", "Dott.ssa", "Prof.ssa", "Avv", "Ing", "Arch", "Geom", "On",
           "gen", "feb", "apr", "giu", "lug", "sett", "ott", "nov", "dic", "pag", "pagg", "ecc", "cfr",
           "S", "Ss"),
    "pt": ("Sr", "Sra", "Srta", "Dr", "Dra", "Prof", "Profa", "Eng", "Exmo", "Exma", "V.Exa", "jan", "fev",
           "abr", "jun", "jul", "ago", "nov", "dez", "pág", "págs", "núm", "tel"),
    "nl": ("Dhr", "Mevr", "Mw", "Mej", "Drs", "Ir", "Ing", "Mr", "Prof", "Dr", "feb", "mrt", "apr", "jun",
           "jul", "aug", "sep", "sept", "okt", "nov", "dec", "blz", "nr", "bijv", "resp", "o.a", "m.a.w", "enz"),
    "ru": ("проф", "акад", "доц", "ген", "полк", "св", "пр", "просп", "пер", "обл", "ср", "рис", "табл"),
    "uk": ("проф", "акад", "доц", "вул", "буд", "просп", "пров", "обл", "див", "рис", "табл", "ст", "с", "м",
           "р", "т", "тис", "млн", "млрд", "грн", "пл", "кв", "напр"),
    "hi": ("डॉ", "डा", "श्री", "श्रीमती", "प्रो", "अनु", "सं", "पृ"),
}


def split_paragraphs(text: str) -> list[str]:
    """Blocks separated by one or more blank lines (lines holding only whitespace count as blank)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip() for p in _BLANK.split(text) if p.strip()]


class _Rules:
    """The library splitter for one language and the abbreviation data used on top of it."""

    def __init__(self, lang: str):
        from sentence_splitter import SentenceSplitter, SentenceSplitterException

        self.lang = lang
        list_lang = lang
        try:
            self.splitter = SentenceSplitter(language=lang)
            self.has_list = True
        except SentenceSplitterException:
            # no list for this language: one of its script's, else the algorithm with initials and our rules
            list_lang = _FALLBACK_LIST.get(lang, "en")
            self.splitter = SentenceSplitter(language=list_lang)
            self.has_list = list_lang != "en"
        self.always: set[str] = set()  # never break after these
        self.numeric: set[str] = set()  # do not break after these when a number follows
        if self.has_list:
            path = Path(__import__("sentence_splitter").__file__).parent / "non_breaking_prefixes" / f"{list_lang}.txt"
            for line in path.read_text(encoding="utf-8-sig").splitlines():
                numeric = "#NUMERIC_ONLY#" in line
                entry = line.split("#", 1)[0].strip()
                if entry:
                    (self.numeric if numeric else self.always).add(entry)
        self.always.update(_EXTRA_ABBREVIATIONS.get(lang, ()))
        self.words = (*_WORDS_NOT_ABBREVIATIONS[""], *_WORDS_NOT_ABBREVIATIONS.get(lang, ())) if lang != "fr" else ()
        self.always.difference_update(self.words)
        self.numeric.update(self.words)
        # they end a sentence before a capital, as etc. does (the library, which lists them, never splits there)
        self.ends_before_capital = re.compile(
            r"(?:(?<![^\W\d_])(?:etc|ecc|usw|enz|etc\.pp|" + "|".join(map(re.escape, self.words)) + r")\.|…[\"'»”’)\]]*)"
            r"(?= +[\"'«“„(\[]*[^\W\d_])")
        # a lower-case entry also covers its capitalised and upper-case forms (`sra` -> `Sra`, `SRA`)
        self.always_lower = {e.lower() for e in self.always if len(e) > 1 and e == e.lower()}
        self.numeric_lower = {e.lower() for e in self.numeric | self.always if len(e) > 1}

    def keeps_going(self, left: str, right: str) -> bool:
        """Whether the boundary the library proposed between `left` and `right` must be undone."""
        last = left.rsplit(None, 1)[-1] if left.strip() else ""
        if _ENUMERATOR.fullmatch(left.strip()):
            return True  # `1. Install the software.`: a list item's number is no sentence
        if re.search(r"[.!?…؟]+[\"'»”’」』]+$", last) and _uncased_letter(right):
            return True  # `"क्या तुम आ रहे हो?" उसने पूछा।`: without letter case, a quotation's speaker goes on
        if last.endswith(("...", "…")) and _uncased_letter(right):
            return True  # `انتظر... ثم انتظر`
        if _DOTTED_DATE.search(left):
            return True
        if not last.endswith(".") or last.endswith(".."):
            return False  # no abbreviation; an ellipsis was the library's own decision
        word = re.split(r"[\"'(\[«‹\u201c\u201e\u00a0\u202f\u2007]", last)[-1].rstrip(".")
        if not word:
            return False
        if len(word) == 1 and word.isalpha() and word.isupper():
            return True  # an initial: G. O. Dyhrenfurth, А. С. Пушкин
        if self.lang in ("es", "ca", "gl", "pt") and re.fullmatch(r"(\w)\1", word) and word.isupper():
            return True  # Spanish plural initials: EE. UU., FF. AA.
        if word in self.always or word.lower() in self.always_lower:
            return True
        if self.lang in _DANDA and len(word) <= 3:
            return True  # `श्री ए. के. सिंह`: initials of a script without capitals
        if _NUMBER_NEXT.match(right) and (word.lower() in _BEFORE_NUMBER or word.lower().endswith("str")
                                          or (word.isdigit() and re.match(r"\s*\d{1,2}\.(?:\s|$)", right))):
            return True  # `p. 14`, `Goethestr. 5`, `sec. XIX`; a date written `2024. 3. 12.`
        return bool(_STARTS_DIGIT.match(right)) and (word in self.numeric or word.lower() in self.numeric_lower)

    def language_ends(self, piece: str) -> list[int]:
        """Sentence ends inside a piece that only this language's conventions show (the library saw none)."""
        if self.lang == "de":
            out = []
            for m in _ORDINAL_THEN_OPENER.finditer(piece):
                before = piece[:m.start()].split()
                prev = before[-1] if before else ""
                # not a list item's number (`besagen : 1. Die ...`, `... gesperrt. 4. Die ...`): the word
                # before is no sentence end (an abbreviation such as `Nr.` is none)
                if prev and not prev.endswith((":", "!", "?")) and not (
                        prev.endswith(".") and not self.keeps_going(" ".join(before), "")):
                    out.append(m.end())
            return out
        if self.lang in ("zh", "ja"):
            return [m.end() for m in _HALF_WIDTH_END.finditer(piece)]
        if self.lang == "ka":
            return [m.end() for m in _GEORGIAN_END.finditer(piece)
                    if not self.keeps_going(piece[:m.end()].rstrip(), piece[m.end():])]
        if self.lang == "el":  # the Greek question mark, typed as a semicolon
            return [m.end() for m in _GREEK_QUESTION.finditer(piece) if piece[m.end():].lstrip(" \"'«(")[:1].isupper()]
        return []


def _uncased_letter(text: str) -> bool:
    """The text starts with a letter of a script without capitals that writes spaces between words
    (Arabic, Devanagari, Hangul; not Chinese or Japanese, whose sentences run on without a space)."""
    first = text.lstrip(" \"'«“„([")[:1]
    return first.isalpha() and first.lower() == first.upper() and not _UNSPACED_LETTER.match(first)


@lru_cache(maxsize=64)
def _rules(lang: str) -> _Rules:
    return _Rules(lang)


def _blocks(paragraph: str) -> list[str]:
    """The lines of a paragraph grouped into runs of text; headings and list items stand alone."""
    lines = [line.strip() for line in paragraph.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) <= 1:
        return lines
    blocks: list[list[str]] = []
    after_heading = False
    for i, line in enumerate(lines):
        prev_ends = i == 0 or after_heading or bool(_TERMINAL.search(lines[i - 1]))
        next_lower = i + 1 < len(lines) and lines[i + 1][:1].islower()
        heading = prev_ends and not next_lower and _is_heading(line)
        if not blocks or after_heading or heading or _LIST_ITEM.match(line):
            blocks.append([line])
        else:
            blocks[-1].append(line)
        after_heading = heading
    return [" ".join(b) for b in blocks]


def _is_heading(line: str) -> bool:
    if line.startswith("#"):
        return re.match(r"#{1,6}\s", line) is not None
    if _TERMINAL.search(line):
        return False
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters) and any(c.isupper() for c in letters)


_GLUE = "\u2063"  # stands for a space at which the library cannot split (see _library_pieces)
_CHUNK = 2000
# the library only breaks at a space after . ! ? or a closing quote or bracket: never after a letter
_INERT_SPACE = re.compile(r"(?<=[^\W_]) (?=[^ ])")
_TOKEN = re.compile(r"[^ \u2063]+")

# German-style quotation marks („...“, ‚...‘): the library knows a sentence may start with initial-quote
# punctuation (“ « ‘) and end with final-quote punctuation (” » ’), but „ and ‚ are filed by Unicode as
# opening punctuation and “ and ‘ as initial, so „Ja.“ „Nein.“ and „Ja.“ Dann... are not split
_GERMAN_QUOTE_BOUNDARY = re.compile(r"[.!?…](?:[\"'»”’)\]]*[“‘][\"'»”’)\]]*)? +(?=[„‚]|[\"'«(\[]*[^\W\d_])")


# speech turns: a dialogue dash after a sentence's end (`... dit-il. — Non !`, `—Sí. —¿Y tú?`), and
# a speech broken off by a dash then a new quotation (`"Then you will—" "I will wait."`); the
# library splits at neither, since no end mark is followed by a capital
_SPEECH_TURN = re.compile(r"(?:[.!?…][\"'»”’)\]]*|[—–][\"'»”’]+) +(?=[—–―]? *[\"'«“„¿¡]*[^\W\d_])")


def _visible(s: str) -> int:
    return len(s) - s.count(" ")


def _library_pieces(work: str, rules: _Rules) -> list[str]:
    """The library's split of `work`, computed fast.

    sentence-splitter looks at every word with several regex calls and builds its result by
    repeated string concatenation, which is slow on long paragraphs. Its decisions only depend on
    the word before and the word after a space and it only breaks after . ! ? or closing
    punctuation, so spaces after a letter or digit are glued (U+2063) and the text is fed in chunks cut at such glued spaces:
    the result is the same, many times faster."""
    if _GLUE in work:
        return [p for p in rules.splitter.split(work) if p.strip()]
    glued = _INERT_SPACE.sub(_GLUE, work)
    pieces: list[str] = []
    pos = 0
    while pos < len(glued):
        cut = glued.find(_GLUE, pos + _CHUNK) if len(glued) - pos > _CHUNK * 1.5 else -1
        chunk = glued[pos:] if cut < 0 else glued[pos:cut]
        got = [p.replace(_GLUE, " ") for p in rules.splitter.split(chunk) if p.strip()]
        if pieces and got:  # a chunk edge is never a boundary
            pieces[-1] = pieces[-1] + " " + got.pop(0)
        pieces.extend(got)
        if cut < 0:
            break
        pos = cut + 1
    return pieces


def _cut(text: str, work: str, ends: list[int]) -> list[str]:
    """Cut `text` (aligned character by character with `work`) after the given counts of
    non-space characters of `work`."""
    out: list[str] = []
    start = 0
    seen = 0
    it = iter(ends)
    target = next(it, None)
    for m in _TOKEN.finditer(work):
        length = m.end() - m.start()
        while target is not None and seen < target <= seen + length:
            pos = m.start() + (target - seen)
            out.append(text[start:pos])
            start = pos
            target = next(it, None)
        seen += length
        if target is None:
            break
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def _segment_block(text: str, rules: _Rules) -> list[str]:
    # the text the library sees has the same length as `text`: no-break spaces next to quote
    # marks made ordinary, dots, ?, ! inside URLs and e-mail addresses hidden
    work = _NBSP_PUNCT.sub(" ", text)
    if _INVISIBLE.search(work):  # `First.\u200b Second.`, an RLM before a Hebrew sentence: seen as spaces
        work = _INVISIBLE.sub(" ", work)
    if ("://" in work or "www." in work or "@" in work) and ("." in work or "?" in work or "!" in work):
        work = _URL.sub(lambda m: re.sub(r"[.?!]", "_", m.group(0)), work)
    pieces = _library_pieces(work, rules)
    if not pieces:
        return [text]
    # undo boundaries that our abbreviation rules know better about
    merged = [pieces[0]]
    for piece in pieces[1:]:
        if rules.keeps_going(merged[-1], piece):
            merged[-1] = merged[-1] + " " + piece
        else:
            merged.append(piece)
    # boundaries inside a piece: hard enders (CJK and similar scripts write no space after
    # them) and abbreviations such as etc. followed by a capital
    ends: list[int] = []
    total = 0
    for piece in merged:
        inner = rules.language_ends(piece)
        if any(c in piece for c in _HARD_END_CHARS):
            for m in _HARD_END.finditer(piece):
                nxt = piece[m.end():].lstrip()[:1]
                # 「行こう。」と言った, «هل أنت قادم؟» سألها: a closed quotation followed by a particle or, in a
                # script without capitals, by any word goes on (its speaker)
                goes_on = m.group(0)[-1] in _CLOSERS and ("\u3041" <= nxt <= "\u309f" or _uncased_letter(nxt))
                if m.group(0)[0] in _HARD_END_CHARS and not goes_on:
                    inner.append(m.end())
        if "„" in piece or "‚" in piece or re.search(r"[.!?…][“‘]", piece):
            for m in _GERMAN_QUOTE_BOUNDARY.finditer(piece):
                rest = piece[m.end():]
                opens = rest[:1] in "„‚" and rest.lstrip("„‚\"'«“(")[:1].isupper()
                closes = m.group(0).rstrip()[-1:] in "“‘\"'»”’)]" and rest.lstrip("\"'«(")[:1].isupper()
                if (opens or closes) and not rules.keeps_going(piece[:m.end()].rstrip(), rest):
                    inner.append(m.end())
        if "—" in piece or "–" in piece or "―" in piece:
            for m in _SPEECH_TURN.finditer(piece):
                rest = piece[m.end():]
                dash = rest[:1] in "—–―" or m.group(0).lstrip()[:1] in "—–"
                if dash and rest.lstrip("—–― \"'«“„¿¡")[:1].isupper() and not rules.keeps_going(piece[:m.end()].rstrip(), rest):
                    inner.append(m.end())
        if "." in piece or "…" in piece:
            for m in rules.ends_before_capital.finditer(piece):
                nxt = piece[m.end():].lstrip(" \"'«“„([")
                if nxt[:1].isupper():
                    inner.append(m.end())
        ends.extend(total + _visible(piece[:i]) for i in sorted(inner))
        total += _visible(piece)
        ends.append(total)
    if total != len(work) - work.count(" "):  # the library changed characters: never lose text
        return [text]
    return _cut(text, work, sorted(set(ends)))


def segment_paragraph(paragraph: str, lang: str) -> list[str]:
    """The sentences of one paragraph; whitespace runs become one space, no-break spaces are kept."""
    rules = _rules(lang)
    out: list[str] = []
    for block in _blocks(paragraph):
        text = _BREAKING_WS.sub(" ", block).strip()
        if text:
            out.extend(_segment_block(text, rules))
    return out


def document_from_text(text: str, lang: str, presegmented: bool = False, name: str = "") -> Document:
    """Segment `text`; with `presegmented` every non-empty line is one sentence. Sentences are
    numbered from 0; blank lines separate paragraphs and get no number."""
    lang = check_language(lang)
    sentences: list[Sentence] = []
    for para_no, para in enumerate(split_paragraphs(text)):
        if presegmented:
            parts = [_BREAKING_WS.sub(" ", line).strip() for line in para.split("\n")]
            parts = [p for p in parts if p]
        else:
            parts = segment_paragraph(para, lang)
        for part in parts:
            sentences.append(Sentence(len(sentences), part, para_no))
    return Document(lang, sentences, name)


def read_document(path: str | Path, lang: str, presegmented: bool = False) -> Document:
    lang = check_language(lang)
    return document_from_text(read_text(path), lang, presegmented, name=Path(path).name)
