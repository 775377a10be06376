"""A word turned into its opposite: `rose` / `a baissé`, `before` / `après`, `won` / `perdu`.

An antonym sits where its opposite was used, so the encoder sees the same topic and barely moves.
Frequent pairs of opposites (rise/fall, before/after, first/last, more/less, better/worse, win/lose,
open/closed, accept/reject, allow/ban, buy/sell, succeed/fail, majority/minority, eastern/western,
large/small, high/low, strong/weak, true/false, rich/poor, easy/difficult, positive/negative,
north/south, young/old)
are listed per language with their usual forms. A concept whose one pole is on the source side
alone and whose other pole is on the target side alone is a flag. A side that holds both poles
(`plus ou moins`, `before and after`) gives no verdict on that concept.

Forms that are often something else are left out or guarded: French `plus` (also `ne ... plus`,
no longer), `est` (is), `ferme` (farm), `d'après` (according to), `premier ministre` (prime
minister); English `close` (near) and the verb `last` (`will last`).
"""

from __future__ import annotations

from functools import lru_cache

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry, span_list
from workbench.fidelity.langdata import base_lang, folded_words

#: concept -> language -> (pole A forms, pole B forms), accent-folded, lower case
_POLES: dict[str, dict[str, tuple[str, str]]] = {
    "rise/fall": {
        "en": ("increase increased increases increasing rise rose risen rises rising grow grew grown grows growing "
               "raise raised raises raising",
               "decrease decreased decreases decreasing fall fell fallen falls falling drop dropped drops dropping "
               "decline declined declines declining reduce reduced reduces reducing shrink shrank shrinks "
               "lower lowered lowers lowering"),
        "fr": ("augmenter augmente augmentent augmentera augmenteront augmentait augmentation augmentations "
               "hausse hausses accroitre accru accrue accrus accroissement croitre progresser progresse progression",
               "baisser baisse baissent baisses diminuer diminue diminuent diminution diminutions reduire reduit "
               "reduite reduits reduction reductions chuter chute chutent recul reculer recule"),
        "es": ("aumentar aumento aumentos subir subida alza", "disminuir disminucion bajar bajada descenso"),
        "de": ("steigen stieg gestiegen steigt anstieg erhohen erhoht erhohung", "sinken sank gesunken sinkt ruckgang "
               "senken gesenkt senkung"),
        "it": ("aumentare aumento aumentato aumentata crescita", "diminuire diminuzione diminuito calo calare"),
        "pt": ("aumentar aumento aumentou subir alta", "diminuir diminuicao diminuiu queda cair caiu"),
    },
    "before/after": {
        "en": ("before", "after"), "fr": ("avant", "apres"), "es": ("antes", "despues"),
        "de": ("bevor vorher", "nachdem danach"),  # (vor, nach: also ago, in front of, to, according to)
        "it": ("prima", "dopo"), "pt": ("antes", "depois"),
    },
    "first/last": {
        "en": ("first", "last"), "fr": ("premier premiere premiers premieres", "dernier derniere derniers dernieres"),
        "es": ("primero primera primeros primeras", "ultimo ultima ultimos ultimas"),
        "de": ("erste ersten erster erstes", "letzte letzten letzter letztes"),
        "pt": ("primeiro primeira primeiros primeiras", "ultimo ultima ultimos ultimas"),
    },
    "more/less": {
        "en": ("more", "less fewer"), "fr": ("davantage", "moins"), "es": ("mas", "menos"), "de": ("mehr", "weniger"),
        "it": ("piu", "meno"), "pt": ("mais", "menos"),
    },
    "better/worse": {
        "en": ("better best", "worse worst"), "fr": ("meilleur meilleure meilleurs meilleures mieux", "pire pires"),
        "es": ("mejor mejores", "peor peores"), "de": ("besser bessere besseren beste besten", "schlechter schlechtere "
                                                                                         "schlechteren schlechteste"),
        "it": ("migliore migliori meglio", "peggiore peggiori peggio"), "pt": ("melhor melhores", "pior piores"),
    },
    "win/lose": {
        "en": ("win wins won winning winner victory", "lose loses lost losing loser defeat defeated"),
        "fr": ("gagner gagne gagnent gagnera remporter remporte remportent victoire victoires vainqueur",
               "perdre perd perdent perdu perdue perdra defaite defaites perdant"),
        "es": ("ganar gano ganaron victoria", "perder perdio perdieron derrota"),
        "de": ("gewinnen gewann gewonnen sieg", "verlieren verlor verloren niederlage"),
        "it": ("vincere vinto vinse vittoria", "perdere perso perse sconfitta"),
        "pt": ("ganhar ganhou vitoria", "perder perdeu derrota"),
    },
    "open/closed": {
        "en": ("open opened opens opening", "closed closes closing shut"),
        "fr": ("ouvrir ouvert ouverte ouverts ouvertes ouvre ouvrent ouverture",
               "fermer fermee fermees fermeture"),  # (not ferme: also a farm, firm)
    },
    "accept/reject": {
        "en": ("accept accepted accepts accepting approve approved approves", "reject rejected rejects rejecting "
                                                                              "refuse refused refuses refusing"),
        "fr": ("accepter accepte acceptent accepta approuver approuve approuvent",
               "rejeter rejete rejette rejettent refuser refuse refusent refus rejet"),
    },
    "allow/ban": {
        "en": ("allow allowed allows permit permitted", "ban banned bans forbid forbidden prohibit prohibited"),
        "fr": ("autoriser autorise autorisent autorisee permettre permis permet", "interdire interdit interdite "
                                                                                   "interdits interdiction"),
    },
    "buy/sell": {
        "en": ("buy buys bought buying", "sell sells sold selling"),
        "fr": ("acheter achete achetent achat achats", "vendre vend vendent vendu vendue vente ventes"),
    },
    "succeed/fail": {
        "en": ("succeed succeeded succeeds success successful", "fail failed fails failure"),
        "fr": ("reussir reussi reussie reussit succes", "echouer echoue echouent echec echecs"),
    },
    "majority/minority": {
        "en": ("majority", "minority"), "fr": ("majorite", "minorite"), "es": ("mayoria", "minoria"),
        "de": ("mehrheit", "minderheit"), "it": ("maggioranza", "minoranza"), "pt": ("maioria", "minoria"),
    },
    "large/small": {
        "en": ("large larger largest big bigger biggest huge", "small smaller smallest tiny"),
        "fr": ("grand grande grands grandes gros grosse grosses enorme enormes", "petit petite petits petites minuscule"),
        "es": ("grande grandes enorme enormes", "pequeno pequena pequenos pequenas"),
        "de": ("gross grosse grossen grosser riesig", "klein kleine kleinen kleiner winzig"),
        "it": ("grande grandi enorme enormi", "piccolo piccola piccoli piccole"),
        "pt": ("grande grandes enorme enormes", "pequeno pequena pequenos pequenas"),
    },
    "high/low": {
        "en": ("high higher highest", "low lower lowest"),
        "fr": ("haut haute hauts hautes eleve elevee eleves elevees", "bas basse basses"),
        "de": ("hoch hohe hohen hoher", "niedrig niedrige niedrigen niedriger"),
        "it": ("alto alta alti alte elevato elevata", "basso bassa bassi basse"),
        "pt": ("alto alta altos altas elevado elevada", "baixo baixa baixos baixas"),
    },  # (Spanish bajo is also `under`)
    "strong/weak": {
        "en": ("strong stronger strongest", "weak weaker weakest"),
        "fr": ("forte fortes", "faible faibles"),  # (fort: also `very`, and a fort)
        "es": ("fuerte fuertes", "debil debiles"), "de": ("stark starke starken starker", "schwach schwache schwachen"),
        "it": ("forte forti", "debole deboli"), "pt": ("forte fortes", "fraco fraca fracos fracas"),
    },
    "true/false": {
        "en": ("true", "false"), "fr": ("vrai vraie vrais vraies", "faux fausse fausses"),
        "es": ("verdadero verdadera verdaderos", "falso falsa falsos"), "de": ("wahr wahre", "falsch falsche"),
        "it": ("vero vera veri", "falso falsa falsi"), "pt": ("verdadeiro verdadeira", "falso falsa falsos"),
    },
    "rich/poor": {
        "en": ("rich richer richest wealthy", "poor poorer poorest"), "fr": ("riche riches", "pauvre pauvres"),
        "es": ("rico rica ricos ricas", "pobre pobres"), "de": ("reich reiche reichen", "armen arme"),
        "it": ("ricco ricca ricchi", "povero povera poveri"), "pt": ("rico rica ricos", "pobre pobres"),
    },
    "easy/difficult": {
        "en": ("easy easier easiest", "difficult"), "fr": ("facile faciles", "difficile difficiles"),
        "es": ("facil faciles", "dificil dificiles"), "it": ("facile facili", "difficile difficili"),
        "pt": ("facil faceis", "dificil dificeis"), "de": ("einfacher", "schwierig schwierige schwierigen"),
    },
    "positive/negative": {
        "en": ("positive", "negative"), "fr": ("positif positive positifs positives", "negatif negative negatifs "
                                                                                      "negatives"),
        "es": ("positivo positiva positivos", "negativo negativa negativos"),
        "de": ("positiv positive positiven", "negativ negative negativen"),
        "it": ("positivo positiva positivi", "negativo negativa negativi"),
        "pt": ("positivo positiva positivos", "negativo negativa negativos"),
    },
    "north/south": {
        "en": ("north northern", "south southern"), "fr": ("nord", "sud"), "es": ("norte", "sur"),
        "de": ("nord norden nordlich", "sud suden sudlich"), "it": ("nord settentrionale", "sud meridionale"),
        "pt": ("norte", "sul"),
    },
    "young/old": {
        "en": ("young younger youngest", "old older oldest elderly"),
        "fr": ("jeune jeunes", "vieux vieille vieilles age agee ages agees"),  # (not ancien: also former)
        "es": ("joven jovenes", "viejo vieja viejos viejas anciano anciana"), "de": ("jung junge jungen", "alt alte alten"),
        "it": ("giovane giovani", "vecchio vecchia vecchi anziano anziana"), "pt": ("jovem jovens", "velho velha idoso"),
    },
    "east/west": {
        "en": ("eastern", "western"), "fr": ("oriental orientale orientaux orientales", "occidental occidentale "
                                                                                       "occidentaux occidentales"),
    },
}
#: English modals and `to`: `last` after them is the verb (the talks will last)
_EN_VERB_BEFORE = frozenset("will would could can may might must should to not".split())


@lru_cache(maxsize=16)
def _index(lang: str) -> dict[str, list[tuple[str, int]]]:
    """word -> the concepts it names and which pole (0: A, 1: B)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for concept, by_lang in _POLES.items():
        for pole, forms in enumerate(by_lang.get(lang, ())):
            for w in forms.split():
                out.setdefault(w, []).append((concept, pole))
    return out


def poles(text: str, lang: str) -> dict[str, tuple[list[tuple[int, int]], list[tuple[int, int]]]] | None:
    """For each concept: spans of its A-pole and B-pole words in `text`; None where `lang` has no list."""
    lang = base_lang(lang)
    index = _index(lang)
    if not index:
        return None
    toks = folded_words(text)
    low = text.lower()
    out: dict[str, tuple[list, list]] = {}
    for k, (w, s, e) in enumerate(toks):
        if w not in index:
            continue
        prev = toks[k - 1][0] if k else ""
        nxt = toks[k + 1][0] if k + 1 < len(toks) else ""
        if lang == "fr" and ((w == "apres" and low[max(0, s - 2):s] in ("d'", "d’"))
                             or (w.startswith("premi") and nxt == "ministre")):
            continue  # d'après (according to), premier ministre (prime minister)
        if lang == "en" and w == "last" and prev in _EN_VERB_BEFORE:
            continue
        for concept, pole in index[w]:
            out.setdefault(concept, ([], []))[pole].append((s, e))
    return out


@check_registry.register("polarity")
class PolarityCheck(Check):
    name = "polarity"
    defaults = {"weight": 0.3, "severity": 0.8}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        src = poles(case.src_text, ctx.src_lang)
        tgt = poles(case.tgt_text, ctx.tgt_lang)
        if src is None or tgt is None:
            return None
        for concept in sorted(set(src) & set(tgt)):
            (sa, sb), (ta, tb) = src[concept], tgt[concept]
            for s_has, s_not, t_has, t_not in ((sa, sb, tb, ta), (sb, sa, ta, tb)):
                if s_has and not s_not and t_has and not t_not:
                    words = (case.src_text[s_has[0][0]:s_has[0][1]], case.tgt_text[t_has[0][0]:t_has[0][1]])
                    return CheckResult(self.settings["severity"], f"opposites ({concept}): {words[0]!r} in the "
                                       f"source, {words[1]!r} in the target", span_list(s_has), span_list(t_has))
        return CheckResult(0.0)
