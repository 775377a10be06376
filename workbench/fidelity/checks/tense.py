"""Tense: a future on one side against a past on the other (`will say` / `a dit`).

The encoder barely sees tense (`a déclaré` and `déclarera` are nearly the same vector), so the
cues are read from the words, per language:

* future: English will, 'll, going to, shall after a pronoun (a contract's `The Contractor shall` is
  an obligation); the Romance simple future (sera, dirá, farà, ira), on a stem an infinitive could
  have (not fría, cold, nor vitória, a noun; a name both sides write alike is no verb), and French
  aller + infinitive (va annoncer); German werden.
* conditional: would; the Romance conditional (serait, diría); German würde. It is also the
  future seen from the past and the mood of hedged reports, so it only ever weighs lightly.
* past: English irregular pasts and -ed forms (not after a determiner or a form of `be`:
  `the armed forces`, `is expected`); French passé composé (avoir + participle), imperfect and
  passé simple plural; Spanish preterite, imperfect and haber + participle; German war, hatte,
  wurde and sagte-type pasts.

A future on one side where the other side has a past and no future or conditional contradicts
it (`contradiction`, decisive); so does a future facing more pasts on the other side even beside a
conditional both share, where the pasts of both languages are read (en, fr, es, de; Italian reports
a future after a past, `ha detto che tornerà`, and its pasts are not read). A future or conditional
on one side with no tense cue against it on the other, or a future the other side's conditionals
do not stand for, is only a hint (`one_side`: a generic `will`, an English present for a scheduled
event), which lowers fidelity without deciding the label. A future the word list lacks counts when
its infinitive is a known verb (`rejetera`). A language without cue lists gives no verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import (
    EN_MODALS,
    FR_INFINITIVE,
    base_lang,
    calendar_words,
    fold,
    folded_words,
    zipf,
)

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class TenseCues:
    future: Spans = ()
    conditional: Spans = ()
    past: Spans = ()


#: could/should/may/might (pourrait/devrait) are modality rather than tense: counted on neither side
_EN_FUTURE = frozenset("will shall wo".split())
_EN_NOUN_AFTER = frozenset("of the a an to".split())  # 'the will of', 'free will', 'at will'
_EN_NOUN_BEFORE = frozenset("the free good political his her their own its".split())
_EN_PAST = frozenset(
    "was were had did didn wasn weren hadn said told went came took made gave saw knew thought found left became began "
    "brought bought used "
    "held kept led met paid ran sent spent stood won wrote spoke broke chose drove fell felt fought flew forgot got "
    "grew heard lost meant rose sold sat shot struck taught threw understood wore withdrew built caught drew ate "
    "forbade fled hung lay overtook sought shook slept sang sank swore swam swung tore woke".split())
#: an -ed word after these is an adjective or a present passive, not a past: 'the armed forces', 'is expected'
_EN_NOT_PAST_BEFORE = frozenset(
    "the a an this that these those its his her their our your my of in on for with by from and or "
    "is are am be been being 's get gets getting become becomes remain remains to least most as".split())
#: the present of `be`: an irregular past after it is a passive participle (`are met`, `is held`)
_EN_BE_PRESENT = frozenset("is are am be been being 's".split())
#: `shall` after (or, in a question, before) a pronoun is a future (`we shall see`, `who shall?`); after a
#: noun it is a contract's or a rule's obligation (`The Contractor shall`, `There shall be no`)
_EN_SHALL_FUTURE = frozenset("i we you he she they who".split())
#: what opens the object of a verb: `that caused the app` is a verb, `that troubled man` is not
_EN_OBJECT_START = frozenset("the a an it him her them us me you this these those his their its our my your".split())
#: irregular participles: after have/has/had they make a past (has been, have known)
_EN_PARTICIPLES = frozenset(
    "been done gone seen known taken given written spoken broken chosen driven eaten fallen forgotten gotten "
    "grown hidden ridden risen shaken stolen sworn thrown torn worn begun drunk sung sunk swum run come become "
    "withdrawn drawn shown flown beaten bitten frozen proven woken".split())
_EN_HAVE = frozenset("has have had ve d".split())  # (the tokens split we've, I'd at the apostrophe)
_EN_ED_NOT_VERBS = frozenset("need indeed speed seed feed bed red shed hundred sacred naked wicked kindred "
                             "breed greed creed deed weed bred wed fled".split())

#: the stem of a French future or conditional, ending as an infinitive does (so not the imperfect espérait): ...er-/...ir- (parler-a, finir-a), ...dr- (prendr-a), ...evr-/...ivr-
#: (devr-ait, vivr-ait; not ouvr-ait, an imperfect), ...rr- (mourr-a), ...ttr-/...îtr- (permettr-ait,
#: connaîtr-a; not montr-ait), aur-, saur-
_FR_STEM = r"^(?:\w*(?:[ei]|d|[ei]v|r|tt|ît)|aur?|saur?)r"
_ROMANCE = {
    "fr": (re.compile(_FR_STEM + r"(?:ai|as|a|ons|ez|ont)$"), re.compile(_FR_STEM + r"(?:ais|ait|ions|iez|aient)$")),
    "es": (re.compile(r"^\w+r(?:é|ás|á|emos|éis|án)$"), re.compile(r"^\w+r(?:ía|ías|íamos|íais|ían)$")),
    "it": (re.compile(r"^\w+r(?:ò|ai|à|emo|ete|anno)$"), re.compile(r"^\w+r(?:ei|esti|ebbe|emmo|este|ebbero)$")),
    "pt": (re.compile(r"^\w+r(?:ei|ás|á|emos|eis|ão)$"), re.compile(r"^\w+r(?:ia|ias|íamos|íeis|iam)$")),
}
#: words those endings catch that are not verbs (folded)
_NOT_VERBS = {
    "fr": frozenset("vrai frais trait portrait retrait extrait attrait abstrait front affront extra opera camera "
                    "cobra contra sahara environs patrons citrons marrons larrons mira sierra terra tiara "
                    "diaspora agora flora hourra".split()),
    "es": frozenset("hora ahora para pera tierra sierra guerra cara era fuera mejor contra otra otras "
                    "cámara obra sobre".split()),
    "it": frozenset("ora allora ancora sera terra guerra però".split()),
    "pt": frozenset("hora agora para era terra guerra cara obra sobre".split()),
}
#: pouvoir/devoir and their kin in the conditional are modality (could, should), not tense
_MODAL_STEMS = {"fr": ("pourr", "devr"), "es": ("podr", "deber"), "it": ("potr", "dovr"), "pt": ("poder", "dever")}
#: futures too short for the length guard that keeps out short words (French ira: aller)
_SHORT_FUTURES = frozenset({"ira"})
_DE_FUTURE = frozenset("werde wirst wird werden werdet".split())
#: würde and the Konjunktiv II of haben and sein (hätte, wäre): English would / would have, the French
#: conditional. That of the modals (könnte, müsste, dürfte, möchte) is modality, like could/pourrait: counted
#: on neither side (sollte is left out too: it is also a plain past)
_DE_CONDITIONAL = frozenset("würde würdest würden würdet hätte hättest hätten hättet wäre wärest wärst wären wäret "
                            "gäbe gäben käme kämen wüsste wüssten stünde stünden läge lägen fände fänden täte täten "
                            "bräuchte bräuchten".split())  # (and the strong verbs' own: es gäbe, there would be)
_DE_PAST = frozenset("war waren warst hatte hatten hattest wurde wurden gab gaben kam kamen ging gingen sagte sagten "
                     "erklärte erklärten teilte teilten musste mussten konnte konnten wollte wollten "
                     "durfte durften mochte mochten".split())  # (not sollte: `Wir sollten nicht` is should)

_FR_AVOIR = frozenset("ai as a avons avez ont avait avaient avais avions aviez eut eurent".split())
_FR_PARTICIPLE = re.compile(r"^\w{2,}(?:é|ée|és|ées|i|is|ie|it|u|us|ue|ert|erte|int|uit|ait)$")
#: what may stand between avoir and its participle (a déjà dit, n'a pas été, a-t-il dit)
_FR_BETWEEN_AUX = frozenset("ne n pas plus jamais déjà bien aussi toujours encore également enfin même vraiment "
                            "souvent longtemps t il elle on ils elles tous toutes".split())
_FR_SHORT_PARTICIPLES = frozenset("dit dits dite dites fait faits faite faites mis mise pris prise été eu eue vu vue lu "
                                  "su pu dû bu cru né née mort morte ri".split())
#: words the participle endings catch that follow avoir as nouns or adverbs (a lieu, il y a peu)
_FR_NOT_PARTICIPLE = frozenset("lieu peu ici lui celui milieu jeu feu dieu ni si oui parmi depuis puis ainsi "
                               "lundi mardi mercredi jeudi vendredi samedi dimanche midi minuit tout".split())
_FR_PAST_WORDS = frozenset("était étaient étais fut furent".split())
_FR_IMPERFECT = re.compile(r"^\w{3,}(?:ait|aient)$")
_FR_NOT_IMPERFECT = frozenset("parfait souhait portrait retrait extrait attrait abstrait distrait bienfait "
                              "méfait forfait surfait imparfait".split())
_FR_PASSE_SIMPLE = re.compile(r"^\w{2,}(?:èrent|irent|urent)$")

_FR_ALLER = frozenset("vais vas va allons allez vont".split())
_FR_CLITIC = frozenset("se s me m te t nous vous le la les l lui leur y en ne".split())
_ES_HABER = frozenset("he has ha hemos habéis han había habían hubo".split())
_ES_PARTICIPLE = re.compile(r"^\w{2,}(?:ado|ada|ados|adas|ido|ida|idos|idas)$")
_ES_PAST = re.compile(r"^\w{2,}(?:ó|aron|ieron|ió|aba|aban|ábamos)$")
#: irregular preterites (and the imperfect of ser)
_ES_PAST_WORDS = frozenset("fue fueron dijo dijeron hizo hicieron tuvo tuvieron estuvo estuvieron pudo pudieron puso "
                           "pusieron vino vinieron quiso quisieron supo supieron dio dieron vio vieron trajo trajeron "
                           "condujo condujeron anduvo eran".split())
#: -ía is both the conditional (aceptar-ía, an infinitive and the ending) and the imperfect of -er/-ir
#: verbs (quer-ía, of querer); the irregular conditionals keep a shortened infinitive (tendr-ía, dir-ía)
_ES_IA = re.compile(r"^(\w{2,}?)(?:ía|ías|íamos|íais|ían)$")
_ES_IRREGULAR_CONDITIONAL = frozenset("tendr pondr saldr vendr valdr habr sabr cabr querr har dir".split())


@lru_cache(maxsize=1 << 14)
def _es_ia(word: str) -> str | None:
    """'conditional' or 'past' (the imperfect) for a Spanish -ía form, None if neither reading holds."""
    m = _ES_IA.match(word)
    if m is None:
        return None
    stem = m.group(1)
    # the reading whose infinitive is the more frequent word ('quer' is noise in the list, 'querer' a verb)
    as_conditional = 9.0 if stem in _ES_IRREGULAR_CONDITIONAL else (
        (zipf(stem, "es") or 0.0) if stem.endswith(("ar", "er", "ir")) else 0.0)
    as_past = max((zipf(stem + ending, "es") or 0.0) for ending in ("er", "ir"))
    if max(as_conditional, as_past) < 2.5:
        return None
    return "conditional" if as_conditional >= as_past else "past"


def _fr_passe_simple_er(word: str) -> bool:
    """tira, retirai, montra: the passé simple of an -er verb (tirer), spelled like a future (finira, dira)."""
    for ending in ("a", "ai", "as"):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            return stem.endswith("r") and (zipf(stem + "er", "fr") or 0.0) >= 2.5
    return False


#: future and conditional endings that follow the infinitive-like stem (rejeter-a, prendr-ont)
_STEM_ENDINGS = {"fr": ("aient", "ions", "iez", "ais", "ait", "ons", "ont", "ai", "as", "ez", "a"),
                 "es": ("íamos", "íais", "emos", "éis", "ías", "ían", "ía", "ás", "án", "é", "á"),
                 "pt": ("íamos", "íeis", "emos", "eis", "ias", "iam", "ia", "ás", "ão", "ei", "á")}


def _known(word: str, lang: str) -> bool:
    """A word the language's frequency list has, or the future or conditional of a verb it has
    (rejetera: rejeter); a foreign word such as `guerrillera` is no French future."""
    z = zipf(word, lang)
    if z is None or z > 0.0:
        return True
    for ending in _STEM_ENDINGS.get(lang, ()):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            return any((zipf(inf, lang) or 0.0) >= 2.5 for inf in (stem, stem + "e"))
    return False


def _english(text: str, toks) -> TenseCues:
    future, conditional, past = [], [], []
    low = text.lower()
    for i, (w, s, e) in enumerate(toks):
        nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
        prev = toks[i - 1][0] if i > 0 else ""
        if w in _EN_FUTURE:
            if w == "will" and (nxt in _EN_NOUN_AFTER or prev in _EN_NOUN_BEFORE):
                continue
            if w == "wo" and not low[e:e + 3].startswith("n"):
                continue
            if w == "shall" and prev not in _EN_SHALL_FUTURE and nxt not in _EN_SHALL_FUTURE:
                continue  # `The Contractor shall be liable`: obligation (a contract's German `haftet`), not future
            future.append((s, e))
        elif w == "won" and nxt == "t":  # won't (won alone is a past)
            future.append((s, e))
        elif w in ("would", "wouldn"):
            conditional.append((s, e))
        elif w == "going" and nxt == "to" and i + 2 < len(toks) and toks[i + 2][0] not in ("the", "a", "an"):
            future.append((s, toks[i + 1][2]))
        elif w in _EN_PAST and any(t[0] in _EN_BE_PRESENT for t in toks[max(0, i - 2):i]):
            continue  # `if the targets are not met`, `is held`: a present passive's participle
        elif w in _EN_PAST or (w in _EN_PARTICIPLES and any(t[0] in _EN_HAVE for t in toks[max(0, i - 3):i])):
            past.append((s, e))
        elif len(w) >= 5 and w.endswith("ed") and w not in _EN_ED_NOT_VERBS and "-" not in w and text[s].islower() \
                and (prev not in _EN_NOT_PAST_BEFORE or (prev in ("that", "which", "who") and nxt in _EN_OBJECT_START)):
            past.append((s, e))  # (`a bug that caused the app to freeze`: a relative clause's verb)
    for m in re.finditer(r"(?<=\w)['’]ll\b", text):
        future.append((m.start(), m.end()))
    return TenseCues(tuple(future), tuple(conditional), tuple(past))


#: the endings of futures and conditionals after the infinitive's r, longest first (Italian too: sar-à, potr-ebbe)
_FUTURE_ENDINGS = {lang: tuple(sorted(endings, key=len, reverse=True)) for lang, endings in {
    **_STEM_ENDINGS, "it": ("ebbero", "emmo", "este", "esti", "ebbe", "anno", "emo", "ete", "ei", "ai", "ò", "à")}.items()}


def _verb_stem(word: str, lang: str) -> bool:
    """What stands before the r of a future or conditional ending could open an infinitive: it holds a
    vowel (ir-ía; not fría, cold) and its last vowel bears no acute or grave accent (vitória and
    história are nouns; connaîtr-a keeps its circumflex)."""
    for ending in _FUTURE_ENDINGS.get(lang, ()):
        if word.endswith("r" + ending):
            stem = word[:-len(ending) - 1]
            vowels = [c for c in stem if c in "aeiouâêîôûàèéìíòóùúãõ"]
            return bool(vowels) and vowels[-1] not in "àèéìíòóùúáã"
    return True


def _romance(text: str, toks, lang: str) -> TenseCues:
    fut_rx, cond_rx = _ROMANCE[lang]
    stop = _NOT_VERBS[lang]  # as written: terra (earth) is no verb, terrà (will hold) is
    low = text.lower()
    modal = _MODAL_STEMS.get(lang, ())
    future, conditional, past = [], [], []
    for i, (w, s, e) in enumerate(toks):
        raw = low[s:e]  # accents matter here: espérait is an imperfect, serait a conditional
        if (len(w) >= 4 or raw in _SHORT_FUTURES) and "-" not in w and raw not in stop \
                and not (text[s].isupper() and i > 0):  # (a capital inside the sentence: a name, Chandra)
            # (pourra is a future, will be able, or a rule's `may`: see _modal_futures; pourrait is modality, could)
            if fut_rx.match(raw) and _verb_stem(raw, lang) and _known(raw, lang) \
                    and not (lang == "fr" and _fr_passe_simple_er(raw)):
                future.append((s, e))
                continue
            if cond_rx.match(raw) and not raw.startswith(modal) and _verb_stem(raw, lang) and _known(raw, lang) \
                    and (lang != "es" or _es_ia(raw) != "past"):
                conditional.append((s, e))
                continue
        if lang == "fr":
            if raw in _FR_AVOIR:
                nxt = next((low[a:b] for _, a, b in toks[i + 1:i + 5] if low[a:b] not in _FR_BETWEEN_AUX), "")
                if nxt in _FR_SHORT_PARTICIPLES or (_FR_PARTICIPLE.match(nxt) and nxt not in _FR_NOT_PARTICIPLE):
                    past.append((s, e))
            elif raw in _FR_ALLER:
                inf = next((f for f in (low[a:b] for _, a, b in toks[i + 1:i + 4]) if f not in _FR_CLITIC), "")
                if FR_INFINITIVE.match(inf):
                    future.append((s, e))
            elif raw in _FR_PAST_WORDS or _FR_PASSE_SIMPLE.match(raw) or _fr_passe_simple_er(raw) or (
                    _FR_IMPERFECT.match(raw) and raw not in _FR_NOT_IMPERFECT and not raw.endswith("fait")
                    and not cond_rx.match(raw)):  # (satisfait, parfait: adjectives; faire's imperfect is faisait)
                past.append((s, e))  # (pourrait, devrait: a conditional of modality, neither tense)
        elif lang == "es":
            if (raw in _ES_HABER and i + 1 < len(toks) and _ES_PARTICIPLE.match(low[toks[i + 1][1]:toks[i + 1][2]])) \
                    or _ES_PAST.match(raw) or raw in _ES_PAST_WORDS or (len(raw) >= 4 and _es_ia(raw) == "past"):
                past.append((s, e))
    return TenseCues(tuple(future), tuple(conditional), tuple(past))


_CLAUSE_END = re.compile(r"[,;:.!?()«»\"“”]")
#: infinitives that end a future clause after a participle: 'wird gemacht werden', 'wird warten müssen'
_DE_AUX_INF = frozenset("werden sein haben müssen können lassen dürfen wollen sollen".split())


#: separable prefixes: an+ge+treten is a participle (der Abstieg wird angetreten), an+geben an infinitive
_DE_PREFIXES = ("an", "auf", "aus", "ab", "bei", "ein", "fest", "fort", "her", "hin", "los", "mit", "nach", "vor",
                "weg", "weiter", "zu", "zurück", "zusammen", "")
#: verbs whose stem starts with ge: their infinitives look like participles
_DE_GE_VERBS = frozenset("gehen geben gewinnen genießen gelten geschehen gestehen gefallen gehören gelingen gewähren "
                         "gewöhnen gebrauchen gestalten gewährleisten gedulden gedenken gelangen genügen gestatten "
                         "geraten gebären".split())


def _de_participle(word: str) -> bool:
    for prefix in _DE_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and rest.startswith("ge") and len(rest) > 4 and rest.endswith(("t", "en")):
            return rest not in _DE_GE_VERBS
    return False


def _de_infinitive(word: str) -> bool:
    if word in _DE_AUX_INF:
        return True
    if word in _DE_PAST or _de_participle(word):  # 'angebracht werden mussten', 'wird angetreten': passives
        return False
    return word.endswith(("en", "ern", "eln")) and word.isalpha()


def _de_future(text: str, low: str, toks, k: int) -> bool:
    """A form of werden is the future auxiliary only with an infinitive closing its clause ('wird kommen',
    'dass er kommen wird'); 'es wird hell' (becomes), 'wird gerungen' (passive), 'wird zu einem Graben' (a
    capitalised noun, not an infinitive) and 'hätte hergerichtet werden müssen' (a passive infinitive
    after its participle) are not futures."""
    s, e = toks[k][1], toks[k][2]
    if k > 0 and _de_participle(low[toks[k - 1][1]:toks[k - 1][2]]):
        return False
    m = _CLAUSE_END.search(low, e)
    stop = m.start() if m else len(low)
    after = [t for t in toks[k + 1:] if t[1] < stop]
    if after:
        last = after[-1]
        return not text[last[1]].isupper() and _de_infinitive(low[last[1]:last[2]])
    start = max((mm.end() for mm in _CLAUSE_END.finditer(low, 0, s)), default=0)
    before = [t for t in toks[:k] if t[1] >= start]
    return bool(before) and not text[before[-1][1]].isupper() and _de_infinitive(low[before[-1][1]:before[-1][2]])


#: modals of possibility and obligation (not would, shall, will, which the cues read as tense)
_EN_MODALS = EN_MODALS - {"would", "shall", "will"}


def _modal_futures(c: TenseCues, text: str, lang: str, other: str, other_lang: str) -> TenseCues:
    """The cues less a future of pouvoir or devoir (`pourra`, `podrá`) facing an English modal: a rule's
    `may` (`la Commission pourra proposer` / `the Commission may propose`), not a future."""
    stems = _MODAL_STEMS.get(base_lang(lang))
    if not c.future or not stems or base_lang(other_lang) != "en" \
            or not any(w in _EN_MODALS for w, _, _ in folded_words(other)):
        return c
    return TenseCues(tuple((s, e) for s, e in c.future if not text[s:e].lower().startswith(stems)), c.conditional, c.past)


def _without_shared_names(c: TenseCues, text: str, other: str) -> TenseCues:
    """The cues less a capitalised word the other side writes alike: a name (`Maria foi` / `Maria
    went`; Victoria), not a verb of the language."""
    def keep(spans: Spans) -> Spans:
        return tuple((s, e) for s, e in spans
                     if not (text[s].isupper() and re.search(rf"(?<!\w){re.escape(text[s:e])}(?!\w)", other)))
    if not any(text[s].isupper() for s, _ in c.future + c.conditional):
        return c
    return TenseCues(keep(c.future), keep(c.conditional), c.past)


@lru_cache(maxsize=1 << 14)
def cues(text: str, lang: str) -> TenseCues | None:
    """Future, conditional and past cues of `text`; None when `lang` has no cue list."""
    lang = base_lang(lang)
    toks = folded_words(text)
    if lang == "en":
        return _english(text, toks)
    if lang == "de":
        low = text.lower()  # unfolded: würde (would) and wurde (was) differ only by the umlaut
        fut = tuple((s, e) for k, (_, s, e) in enumerate(toks)
                    if low[s:e] in _DE_FUTURE and _de_future(text, low, toks, k))
        cond = tuple((s, e) for _, s, e in toks if low[s:e] in _DE_CONDITIONAL)
        past = tuple((s, e) for _, s, e in toks if low[s:e] in _DE_PAST)
        return TenseCues(fut, cond, past)
    if lang in _ROMANCE:
        return _romance(text, toks, lang)
    return None


#: languages that routinely put a future event in the present tense, so a future facing their present is
#: no evidence (a conditional still is)
_PRESENT_FOR_FUTURE = frozenset({"de", "nl", "sv", "da", "nb", "no"})
#: languages whose past tenses the cues read (so their count of pasts can be compared)
_PAST_READ = frozenset({"en", "fr", "es", "de"})


_SOON = {"en": "tomorrow next", "fr": "demain prochain prochaine prochains prochaines", "de": "morgen nächste nächsten",
         "es": "mañana próximo próxima", "it": "domani prossimo prossima", "pt": "amanhã próximo próxima"}


@lru_cache(maxsize=64)
def _calendar(lang: str) -> frozenset[str]:
    words = calendar_words(lang) | {fold(w) for w in _SOON.get(lang, "").split()}
    return frozenset(w for w in words if len(w) >= 3 and w != "may")  # 'may' is a modal far more often


def _dated(text: str, lang: str) -> bool:
    """The text names a day, a month or 'tomorrow': a present there may well be a scheduled future."""
    cal = _calendar(base_lang(lang))
    return any(w in cal for w, _, _ in folded_words(text))


@check_registry.register("tense")
class TenseCheck(Check):
    name = "tense"
    defaults = {"threshold": 0.5, "weight": 0.15, "decisive": False, "one_side": 0.6, "contradiction": 0.9,
                "decisive_at": 0.8, "scheduled": 0.4, "past_present": 0.8}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        src = cues(case.src_text, ctx.src_lang)
        tgt = cues(case.tgt_text, ctx.tgt_lang)
        if src is None or tgt is None:
            return None
        src, tgt = _without_shared_names(src, case.src_text, case.tgt_text), _without_shared_names(tgt, case.tgt_text,
                                                                                                   case.src_text)
        src = _modal_futures(src, case.src_text, ctx.src_lang, case.tgt_text, ctx.tgt_lang)
        tgt = _modal_futures(tgt, case.tgt_text, ctx.tgt_lang, case.src_text, ctx.src_lang)
        src_fc, tgt_fc = src.future + src.conditional, tgt.future + tgt.conditional
        present = self._past_turned_present(case, ctx, src, tgt)
        if present is not None:
            return present
        if not src_fc and not tgt_fc:
            return None
        # a past turned future: a future on one side against a past with no future on the other, or more
        # future/conditional cues (or futures alone, where both languages' pasts are read) and fewer pasts
        both_read = base_lang(ctx.src_lang) in _PAST_READ and base_lang(ctx.tgt_lang) in _PAST_READ
        for side, a, b, a_fc, b_fc in (("source", src, tgt, src_fc, tgt_fc), ("target", tgt, src, tgt_fc, src_fc)):
            if a.future and ((not b_fc and b.past) or (len(a_fc) > len(b_fc) and len(b.past) > len(a.past))
                             or (both_read and len(a.future) > len(b.future) and len(b.past) > len(a.past))):
                spans = (span_list(a_fc), span_list(b.past)) if side == "source" else (span_list(b.past), span_list(a_fc))
                return CheckResult(self.settings["contradiction"], f"future on the {side} side, past on the other",
                                   *spans)
        # a future facing no future, with no more conditionals on that side to stand for it (`déclareront`
        # for `say` in a sentence where both sides have `would`/`serait`)
        lone = [x for x, y in ((src, tgt), (tgt, src)) if x.future and not y.future
                and len(y.conditional) <= len(x.conditional)]
        if bool(src_fc) == bool(tgt_fc) and not lone:
            return CheckResult(0.0)
        only_future = bool(src_fc) == bool(tgt_fc)
        src_side = lone[0] is src if only_future else bool(src_fc)
        side = "source" if src_side else "target"
        has, other_lang = (src, ctx.tgt_lang) if src_side else (tgt, ctx.src_lang)
        score = self.settings["one_side"]
        other_text = case.tgt_text if src_side else case.src_text
        if (only_future or not has.conditional) and (base_lang(other_lang) in _PRESENT_FOR_FUTURE
                                                     or _dated(other_text, other_lang)):
            # 'will take place' / 'findet ... statt', 'a lieu le 26 octobre': a scheduled event in the present
            score = min(score, self.settings["scheduled"])
        what = "future" if only_future else "future or conditional"
        return CheckResult(score, f"{what} on the {side} side only", span_list(src_fc), span_list(tgt_fc))

    def _past_turned_present(self, case: LinkCase, ctx: DocContext, src: TenseCues, tgt: TenseCues) -> CheckResult | None:
        """An English side with no past facing a past on the other (`ont déclaré` / `say`). Only English is
        read so: French, Spanish and German narrate the past in the present (`En 1954, il travaille...`),
        English prose does not, except in headlines (no closing punctuation) and in futures."""
        for side, en, other, en_text, en_lang, other_lang in (
                ("target", tgt, src, case.tgt_text, ctx.tgt_lang, ctx.src_lang),
                ("source", src, tgt, case.src_text, ctx.src_lang, ctx.tgt_lang)):
            if base_lang(en_lang) != "en" or base_lang(other_lang) not in _PAST_READ - {"en"}:
                continue
            if other.past and not en.past and not en.future and _SENTENCE_END.search(en_text):
                spans = (span_list(other.past), ()) if side == "target" else ((), span_list(other.past))
                return CheckResult(self.settings["past_present"], f"past on the other side, present on the {side} side",
                                   *spans)
        return None


#: closing punctuation of a sentence (a headline has none), possibly inside closing quotes or brackets
_SENTENCE_END = re.compile(r"[.!?…][\s\"'»”’)\]]*$")
