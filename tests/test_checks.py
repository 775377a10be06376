from __future__ import annotations

from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.fidelity.base import DocContext, LinkCase, check_registry
from workbench.fidelity.checks.negation import negations
from workbench.fidelity.checks.numbers import extract


def run(name, src, tgt, src_lang="en", tgt_lang="fr", **ctx):
    check = check_registry.get(name)()
    return check.score(LinkCase(0, src, tgt, 0.9), DocContext(src_lang, tgt_lang, **ctx))


def fired(name, src, tgt, **kw):
    r = run(name, src, tgt, **kw)
    return r is not None and r.score >= check_registry.get(name).default_settings()["threshold"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["en", "fr", "de", "es", "it"]),
       st.sampled_from(["en", "fr", "de", "es", "it"]))
def test_number_formatted_in_two_locales_matches(n, a, b):
    va = set().union(*(v for v, *_ in extract(format_decimal(n, locale=a), a, b)))
    vb = set().union(*(v for v, *_ in extract(format_decimal(n, locale=b), b, a)))
    assert float(n) in va and float(n) in vb


def test_flagship_number_date_name_matches_are_not_flagged():
    assert not fired("numbers", "more than 100,000 troops", "plus de 100\u202f000 soldats")
    assert not fired("numbers", "in the next two weeks", "au cours des deux prochaines semaines")
    assert not fired("numbers", "1.5 percent", "1,5 %")
    assert not fired("dates", "on Jan. 21, produced", "le 21 janvier, n'a donné")
    assert not fired("names", "told reporters in Kyiv.", "a déclaré aux journalistes à Kiev.")
    assert not fired("names", "Putin and NATO and Germany", "Poutine et l'OTAN et l'Allemagne")
    assert not fired("names", "the United States said", "les États-Unis ont déclaré")


def test_changes_are_flagged():
    assert fired("numbers", "more than 100,000 troops", "plus de 10 000 soldats")
    assert fired("dates", "on Jan. 21", "le 21 février")
    assert fired("names", "The Kremlin said Putin told Macron.", "Le Kremlin a dit que Biden a dit à Macron.")
    assert fired("negation", "Russia wants war.", "La Russie ne veut pas la guerre.")
    assert fired("names", "see https://example.org/a", "voir https://example.org/b")


def test_negation_french_expletive_ne_is_not_negation():
    assert negations("qui craignent que la Russie ne se prépare", "fr") == []
    assert len(negations("Nous ne voulons pas de guerre.", "fr")) == 1
    assert len(negations("We don't want war.", "en")) == 1
    assert not fired("negation", "We don't want war.", "Nous ne voulons pas de guerre.")


def test_untranslated_and_brackets():
    assert fired("untranslated", "The Kremlin quoted Putin as telling Macron.",
                 "The Kremlin quoted Putin as telling Macron.")
    assert not fired("untranslated", "The Kremlin quoted Putin.", "Le Kremlin a cité Poutine disant à Macron.")
    # a target in the source language that is no copy; language id reads the words that are not names
    assert fired("untranslated", "Die Armee wird morgen früh die Stadt angreifen.",
                 "Die Armee wird die Stadt morgen bei Tagesanbruch angreifen.", src_lang="de")
    assert not fired("untranslated", "Schmied , H.von Gunten-A .", "au sommet J.Marmet-E.Schmied , H. von Gunten-A.Reist .",
                     src_lang="de")
    # names, numbers and initials only: nothing to translate, so a copy is right
    for names in ("Nanga Parbat , Cho Oyu , Gasherbrum .", "Benno Schwabe , Basel 1935 .", "Brown , N. Hardie-T ."):
        assert run("untranslated", names, names, "de", "fr") is None
    assert fired("brackets", '"We are ready," he said.', "Nous sommes prêts, a-t-il dit.")
    assert fired("brackets", "He (the king) left.", "Il (le roi partit.")  # left open in the translation
    assert not fired("brackets", "The telescope (UKIRT) saw it.", "Le télescope l'a vu.")  # a gloss dropped
    # a list label closed by a parenthesis is no bracket: 'a) la réfraction' / '- die Refraktion'
    assert not fired("brackets", "- die Grösse der Lichtbrechung", "a ) la réfraction des rayons", src_lang="de")
    assert not fired("brackets", "first, second", "1) premier ; 2) second")
    from workbench.fidelity.checks.brackets import unbalanced

    # a quotation running over several sentences opens in the first and closes in the last
    assert unbalanced("« Au cours de six voyages, j'ai vu des ours.") == unbalanced("Il partit enfin. »") == ""
    assert unbalanced("Il dit « oui et partit.") == "«»"
    assert not fired("brackets", "Er sagte: „Wir sind bereit.“", "Il a dit : « Nous sommes prêts. »",
                     src_lang="de", tgt_lang="fr")


class _ConceptEncoder:
    """A toy bilingual encoder: a text's vector counts the concepts of its words (`empêché` = NEG + ABLE)."""

    id = "toy-concepts"
    _CONCEPTS = {"shop": "SHOP", "magasin": "SHOP", "open": "OPEN", "ouvert": "OPEN", "not": "NEG", "pas": "NEG",
                 "able": "ABLE", "empêché": "NEG ABLE", "finish": "END", "finir": "END", "he": "HE", "il": "HE"}
    _AXES = ["SHOP", "OPEN", "NEG", "ABLE", "END", "HE"]

    def encode(self, texts):
        import re

        import numpy as np

        out = np.zeros((len(texts), len(self._AXES) + 1), dtype=np.float32)
        for k, text in enumerate(texts):
            out[k, -1] = 0.5  # a common direction, so no vector is zero
            for word in re.findall(r"\w+", text.lower()):
                for concept in self._CONCEPTS.get(word, "").split():
                    out[k, self._AXES.index(concept)] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_without_negation_takes_out_the_negation_words_only():
    from workbench.fidelity.checks.negation import without_negation

    assert without_negation("He was not able to finish.", "en") == "He was able to finish."
    assert without_negation("They didn't go and won’t.", "en") == "They did go and will."
    assert without_negation("Il n'a jamais dit ça.", "fr") == "Il a dit ça."
    assert without_negation("afin de ne pas briser le floc.", "fr") == "afin de briser le floc."
    assert without_negation("Er kommt nicht.", "de") == "Er kommt ."
    assert without_negation("The shop is open.", "en") is None


def test_a_lone_negation_the_other_side_says_without_a_negation_word_is_only_a_hint():
    check = check_registry.get("negation")()
    cases = [LinkCase(0, "The shop is open.", "Le magasin n'est pas ouvert.", 0.9),   # the negation differs
             LinkCase(1, "He was not able to finish.", "Il a été empêché de finir.", 0.9)]  # said otherwise
    ctx = DocContext("en", "fr", encoder=_ConceptEncoder(), encode_budget=10)
    kept, demoted = check.score_all(cases, ctx)
    assert kept.score == 0.9 and "closer" in kept.message
    assert demoted.score < check.settings["threshold"] and "without a negation word" in demoted.message
    assert ctx.encode_budget == 8 and ctx.stats["negation_encoded"] == 2   # the budget is shared with later checks
    # without an encoder (or budget) the words alone decide
    assert [r.score for r in check.score_all(cases, DocContext("en", "fr"))] == [0.9, 0.9]


def test_near_negation_is_not_a_one_sided_negation():
    assert not fired("negation", "pages that hardly anyone knows", "les pages que presque personne ne connaît")
    assert not fired("negation", "Egoless programming", "La programmation sans ego")
    assert fired("negation", "pages that everyone knows", "les pages que personne ne connaît")
    # a negating prefix on a known word: 'technisch unschwierig' / 'pas de difficultés'
    assert not fired("negation", "Die Kuppel ist technisch unschwierig.", "La coupole ne présente pas de difficultés.",
                     src_lang="de")
    assert not fired("negation", "An attack is unlikely.", "Une attaque n'est pas probable.")


def test_french_negations_without_ne():
    from workbench.fidelity.checks.negation import negations

    assert negations("Pas question de prendre la même voie.", "fr")  # colloquial: no 'ne'
    assert negations("Nulle part il n'avait marché.", "fr")
    assert not negations("Chaque « pas » avait cinq orteils.", "fr")  # the noun: a step
    assert not negations("Il a fait pas mal de choses.", "fr")  # pas mal: quite a lot
    assert not fired("negation", "Der Route zu folgen, kam nicht in Frage.", "Pas question de prendre la voie.",
                     src_lang="de")


def test_a_negated_verb_added_where_the_sentence_already_negates_something():
    from workbench.fidelity.checks.negation import clausal_negations

    assert fired("negation", "He said, without giving details, that it was better.",
                 "Il n'a pas déclaré, sans donner de détails, que c'était mieux.")
    assert fired("negation", "The question was ignored, and no one should forget it.",
                 "La question n'a pas été ignorée, et personne ne doit l'oublier.")
    # negated nouns and pronouns are phrased freely: 'did not incur any penalty' / 'sans pénalité'
    assert not fired("negation", "Five stops did not incur any penalty, but it was not stopped.",
                     "Cinq arrêts sans pénalité, mais il ne fut pas arrêté.")
    assert not fired("negation", "They cannot measure it, without a telescope.",
                     "Ils ne peuvent pas le mesurer sans télescope.")
    assert [clausal_negations(t, "en") for t in ("It is not the target.", "Russia, not the US.", "no one",
                                                  "It is no longer here.", "They didn't and never will.")] == [1, 0, 0, 1, 2]
    assert [clausal_negations(t, "fr") for t in ("Il n'y a pas de guerre.", "Il ne reste plus que deux.",
                                                  "personne ne sait", "Il n' a jamais dit.")] == [1, 0, 0, 1]
    assert clausal_negations("Er kommt nicht.", "de") is None


def test_approximate_numerals_match_but_are_never_missing():
    assert not fired("numbers", "a city of fifty metres", "une cinquantaine de mètres")
    assert not fired("numbers", "If both functions are positive", "Si les deux fonctions sont positives")
    assert not fired("numbers", "If both functions are positive", "Si les fonctions sont positives")
    assert fired("numbers", "about 50 metres", "une centaine de mètres")  # 50 is missing; 'centaine' proves nothing


def test_number_with_its_conversion_in_brackets_needs_only_one_of_them():
    assert not fired("numbers", "winds of 80 mph (130 km/h) over land", "des vents de 130km/h sur la côte")
    assert not fired("numbers", "He is 6 ft (1.83 m) tall.", "Il mesure 1,83 m.")
    assert fired("numbers", "He is 6 ft (1.83 m) tall.", "Il mesure 1,93 m.")
    assert fired("numbers", "In 1990 (aged 20) he left.", "En 1990, il partit.")  # not a conversion


def test_title_kept_in_the_original_is_not_an_untranslated_word():
    assert not fired("untranslated_words", 'a plant planned for the "solar steam train" project',
                     "une centrale prévue pour le projet solar steam train")
    assert fired("untranslated_words", "The Russian military demands a treaty.",
                 "L'armée russe military exige un traité.")


def test_glossary_inflection_and_elision():
    gl = [("indivisibility of security", ["indivisibilité de la sécurité"])]
    assert fired("glossary", "the principle of indivisibility of security", "le principe de l'intégrité de la sécurité",
                 glossary=gl)
    assert not fired("glossary", "the principle of indivisibility of security",
                     "le principe de l'indivisibilité de la sécurité", glossary=gl)


def test_spans_point_at_evidence():
    r = run("numbers", "more than 100,000 troops", "plus de 10 000 soldats")
    (a, b), = r.src_spans
    assert "more than 100,000 troops"[a:b] == "100,000"


def test_general_false_alarm_fixes():
    # decades and centuries in Roman numerals are numbers; 'Le' is not fifty
    assert not fired("numbers", "in the 1930s", "dans les années 1930")
    assert not fired("numbers", "in the late 19th century", "à la fin du XIXe siècle")
    assert fired("numbers", "in the late 19th century", "à la fin du XVIIIe siècle")
    assert not fired("numbers", "The ministry did not respond.", "Le ministère n'a pas répondu.")
    # 'No. 5' is a number sign; 'sans (aucun) doute' is 'undoubtedly'
    assert negations("The Serenade No. 5 in D major", "en") == []
    assert negations("contribuent sans aucun doute aux", "fr") == []
    assert len(negations("sans aucune aide", "fr")) >= 1
    # capitalised function words in titles are not names
    from workbench.fidelity.checks.names import candidates

    assert [c[1] for c in candidates("a song by The Beatles and La Fontaine", "en")] == ["Beatles", "La", "Fontaine"]
    assert [c[1] for c in candidates("un film de La Fontaine", "fr")] == ["Fontaine"]


def test_names_after_titles_and_closing_quotes_are_names():
    assert fired("names", '"We are ready," Stoltenberg said in Brussels.',
                 '"Nous sommes prêts", a déclaré M. Zelenskiy à Bruxelles.')
    assert not fired("names", '"We are ready," Stoltenberg said in Brussels.',
                     '"Nous sommes prêts", a déclaré M. Stoltenberg à Bruxelles.')


def test_tense_future_on_one_side_only():
    assert fired("tense", "Putin said the West had not answered.", "Poutine déclarera que l'Occident n'a pas répondu.")
    assert not fired("tense", "The meeting will be an opportunity.", "La réunion sera une occasion.")
    assert not fired("tense", "Putin said it.", "Poutine l'a dit.")
    # passé simple and imperfect of verbs whose stem ends in r are not futures; 'the will of' is a noun
    assert not fired("tense", "The Red Army seized the city.", "L'Armée rouge s'empara de la ville.")
    assert not fired("tense", "He hoped for it.", "Il l'espérait.")
    assert not fired("tense", "the will of the people", "la volonté du peuple")
    assert not fired("tense", "then there will be no war.", "alors il n'y aura pas de guerre.")  # avoir's future


def test_tense_past_turned_future_is_decisive():
    from workbench.fidelity.checks.tense import cues

    r = run("tense", "Putin said the West had not answered.", "Poutine déclarera que l'Occident n'a pas répondu.")
    assert r.score >= 0.8 and "past on the other" in r.message
    r = run("tense", "Le président a déclaré qu'il partait.", "The president will say that he was leaving.", "fr", "en")
    assert r.score >= 0.8
    # the conditional (future seen from the past, hedged reports) only weighs, never decides
    r = run("tense", "He said it would rain.", "Il a dit qu'il pleuvait.")
    assert 0.5 <= r.score < 0.8
    # French aller + infinitive is a future; an imperfect is a past; a foreign word is not a French future
    assert cues("Il va annoncer sa décision.", "fr").future
    assert cues("Il partait.", "fr").past and not cues("Il partait.", "fr").future
    assert not cues("la Agrupación guerrillera de Levante", "fr").future
    # ... while a future the word list lacks counts when its infinitive is a known verb (rejetera: rejeter)
    assert cues("La Russie rejetera les appels.", "fr").future
    assert fired("tense", "Russia has rejected calls.", "La Russie rejetera les appels.")

    # German: würde (would) is a conditional, wurde (was) a past
    assert cues("Er würde kommen.", "de").conditional and not cues("Er würde kommen.", "de").past
    assert cues("Es wurde gebaut.", "de").past and not cues("Es wurde gebaut.", "de").conditional
    # werden before a capitalised noun (becomes) or after a participle (a passive infinitive) is no future
    assert not cues("die Spur wird zu einem tiefen Graben .", "de").future
    assert not cues("hätte der Hang hergerichtet werden müssen .", "de").future
    assert cues("ob es eine mögliche Route gäbe .", "de").conditional
    # ... and a modal's Konjunktiv II is modality, like could / pourrait
    assert not fired("tense", "Man könnte eine Gegenfrage stellen.", "On pourrait leur répondre.", src_lang="de")
    # English -ed after a determiner or a form of 'be' is not a past: the armed forces, is expected
    assert not cues("The armed forces are expected to stay.", "en").past


def test_tense_futures_counted_apart_from_conditionals():
    # a past turned future in a sentence where both sides also have a conditional
    assert run("tense", "Si la Russie envahit, le résultat serait horrible et entraînerait des pertes, a déclaré Milley.",
               "If Russia invades, the outcome would be horrific and result in casualties, Milley will say.",
               "fr", "en").score >= 0.8
    # a future facing a present, the conditionals matching
    assert fired("tense", "Officials say Moscow would be ready.", "Les responsables déclareront que Moscou serait prêt.")
    # Italian reports a future after a past in the future ('ha detto che tornerà' / 'said it would return'),
    # and its pasts are not read, so a future there is not set against the English past
    assert not fired("tense", "Lagarde said inflation would not return to 2% before 2025.",
                     "Lagarde ha detto che l'inflazione non tornerà al 2% prima del 2025.", tgt_lang="it")


def test_spanish_imperfect_in_ia_is_a_past_not_a_conditional():
    from workbench.fidelity.checks.tense import cues

    # quer-ía (querer) is an imperfect; aceptar-ía, tendr-ía are conditionals; dijo an irregular preterite
    assert cues("Rusia no quería una guerra.", "es").past and not cues("Rusia no quería una guerra.", "es").conditional
    assert cues("Alemania no aceptaría ningún cambio.", "es").conditional
    assert cues("Dijo que tendría tiempo.", "es").conditional and cues("Dijo que tendría tiempo.", "es").past
    assert not fired("tense", "Putin told reporters that Russia did not want a war in Europe.",
                     "Putin dijo a los periodistas que Rusia no quería una guerra en Europa.", tgt_lang="es")
    assert fired("tense", "Putin told reporters that Russia did not want a war.",
                 "Putin dirá a los periodistas que Rusia no quiere una guerra.", tgt_lang="es")


def test_dangling_modal_finds_a_dropped_verb():
    assert fired("dangling_modal", "La Russie pourrait attaquer la frontière.", "Russia could the border.",
                 src_lang="fr", tgt_lang="en")
    assert fired("dangling_modal", "Russia could attack the border.", "La Russie pourrait les frontières.")
    # a verb, an adverb or a clitic before the verb, an ellipsis: nothing is missing
    for fr in ("La Russie pourrait attaquer.", "Il ne peut pas le faire.", "On peut en effet dire.",
               "Ils peuvent donc être détectés.", "Il peut les avoir vus.",
               "On peut à peine s'y tenir.", "Il pourrait d'abord partir."):
        assert not fired("dangling_modal", "x", fr)
    assert not fired("dangling_modal", "x", "He said he would.", src_lang="fr", tgt_lang="en")
    assert fired("dangling_modal", "x", "anything that could as a pretext", src_lang="fr", tgt_lang="en")
    for idiom in ("We might as well go.", "It could as easily fail."):
        assert not fired("dangling_modal", "x", idiom, src_lang="fr", tgt_lang="en")
    assert run("dangling_modal", "x", "Er könnte die Grenze.", "en", "de") is None  # no cue list: no verdict


def test_dropped_participle_and_verbs_that_cannot_follow_a_modal():
    en = dict(src_lang="fr", tgt_lang="en")
    assert fired("dangling_modal", "Il a déclaré que la Russie était prête.", "Il a que la Russie était prête.")
    for ok in ("Il n'y a que deux options.", "Il n'a qu'à partir.", "Il y a que je suis fatigué."):
        assert not fired("dangling_modal", "x", ok)
    # a reporting clause after a quotation: the inverted subject stands where the participle was
    for bad in ("« Non », a M. Lavrov.", "\"Pas de panique\", a Zelenskiy.", "« Non », a le Kremlin."):
        assert fired("dangling_modal", "x", bad), bad
    for ok in ("« Non », a déclaré M. Lavrov.", "« Non », a-t-il dit.", "Paul, 34 ans, a le droit.",
               "Il a dit \"oui\", a ajouté Le Drian."):
        assert not fired("dangling_modal", "x", ok), ok
    for bad in ("Russia could preparing an attack.", "Prices will increased.", "It can them as it sees fit.",
                "They would to sanctions.", "There will no war.", "An attack could many forms."):
        assert fired("dangling_modal", "x", bad, **en), bad
    for ok in ("He would bring peace.", "We will need help.", "They would all go.", "It could no longer wait.",
               "the will of the people", "Will Smith arrived."):
        assert not fired("dangling_modal", "x", ok, **en), ok


def test_untranslated_word_left_in_source_language():
    assert fired("untranslated_words", "the growing concern of the officials", "l'inquiétude growing des responsables")
    # the same word with its accents is a translation; a quoted or bracketed original term is a gloss
    assert not fired("untranslated_words", "President Putin said", "le président Poutine a dit")
    assert not fired("untranslated_words", "Egoless programming is a style",
                     "La programmation sans ego (Egoless programming) est un style")
    # reported speech is translated like the rest: a word left in English inside a long quotation counts
    assert fired("untranslated_words", '"The key question was ignored," it said.',
                 '"La question clé a été ignored par eux tous", a-t-il dit.')
    # a word the target language also uses is not flagged: it may be the right word
    assert not fired("untranslated_words", "offensive weapons", "des armes offensive")


def test_names_weighed_by_word_frequency():
    from workbench.fidelity.langdata import zipf

    # capitalised common words (frequent in their own language) translated are no swapped names
    assert not fired("names", "He served in the Navy before he joined the Church.",
                     "Il servit dans la marine avant d'entrer dans l'Église.")
    assert not fired("names", "He was sent to the Board of Trade.", "Il fut envoyé au Conseil du commerce.")
    # a rare name on one side only is detail the other side lacks
    assert fired("names", "During his stay in Lhasa, he wrote letters.", "Pendant son séjour, il écrivit des lettres.")
    # a swap is still a swap when the new name is a frequent word in its language (Macron in French)
    assert fired("names", "The minister met Lavrov on Monday.", "Le ministre a rencontré Macron lundi.")
    assert fired("names", "On Monday, Biden spoke.", "Lundi, Macron a parlé.")
    # names that share most letters but not their start are two people (Putin/Austin), and two names
    # that each travel unchanged across languages are no spelling variants of one another (Biden/Blinken)
    assert fired("names", "The Kremlin quoted Putin as telling Macron.", "Le Kremlin a cité Austin disant à Macron.")
    assert fired("names", "Russian President Vladimir Putin spoke.", "Le président russe Vladimir Austin a parlé.")
    assert fired("names", "Biden said he expected to meet him.", "Blinken a dit qu'il s'attendait à le rencontrer.")
    # ... while translated words, prothetic e, reordered acronyms and compounds still match
    for en, fr in (("the Secretary of State Antony Blinken", "le secrétaire d'État Antony Blinken"),
                   ("the Security Council met", "le Conseil de sécurité s'est réuni"),
                   ("Munchausen syndrome (MSbP) cases", "les cas de syndrome de Munchausen (SMpP)"),
                   ("the Chomo-Lungma survey", "la mesure du Chomo Lungma")):
        assert not fired("names", en, fr), (en, fr)
    # a language without a word list: every unmatched name counts as rare
    assert zipf("Church", "xx") is None
    assert zipf("church", "en") > zipf("lhasa", "en")


_FUZZ = st.lists(st.sampled_from(list("aeiouéàç xyzAB'’;:,.!?()«»\"-0123456789") + [
    " will ", " pourrait ", " les ", "n't", " ne ", " pas ", " a ", " ont ", " Putin ", " 中国 ", " 東京 ",
    " 15.30 Uhr ", " 3:30 p.m. ", "„", "“", " hardly ", " sans ", " wird ", " Gletscherbecken ", "10月", " n' ",
    " both ", " mph (", " km/h) ", " не ", " niet "]),
    max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_FUZZ, _FUZZ, st.sampled_from(["en", "fr", "de", "es", "it", "pt", "ja", "ru", "xx"]),
       st.sampled_from(["en", "fr", "de", "es", "zh", "ko", "nl"]))
def test_every_text_check_scores_any_text_in_any_language(src, tgt, src_lang, tgt_lang):
    """No check may fail on odd text or a language it has no data for (wordfreq's Chinese, Japanese and
    Korean lists need optional tokenisers: without them the word is simply not weighed)."""
    from workbench.fidelity.config import FidelityConfig

    ctx = DocContext(src_lang, tgt_lang)
    for name in FidelityConfig().enabled_checks():
        cls = check_registry.get(name)
        if cls.needs_encoder:
            continue
        r = cls().score(LinkCase(0, src, tgt, 0.9), ctx)
        assert r is None or 0.0 <= r.score <= 1.0
        if r is not None:  # evidence spans point into the texts
            assert all(0 <= a <= b <= len(src) for a, b in r.src_spans)
            assert all(0 <= a <= b <= len(tgt) for a, b in r.tgt_spans)


def test_languages_written_without_spaces_and_other_scripts():
    # a number inside a run of Chinese letters is a number; 周一 is Monday; 1月 is January
    assert not fired("numbers", "They signed 12 agreements.", "他们签署了12项协议。", tgt_lang="zh")
    assert fired("numbers", "They signed 12 agreements.", "他们签署了13项协议。", tgt_lang="zh")
    assert not fired("numbers", "The A4 sheet.", "A4纸。", tgt_lang="zh")
    assert not fired("dates", "They met on Monday.", "他们周一会面。", tgt_lang="zh")
    assert fired("dates", "They met on Monday.", "他们周二会面。", tgt_lang="zh")
    assert not fired("dates", "in January 2022", "2022年1月", tgt_lang="ja")
    # a spelled number cannot be checked against a language without a spelled-number table
    assert not fired("numbers", "The talks lasted three hours.", "会谈持续了三个小时。", tgt_lang="zh")
    # a Latin name against another script is a transliteration, not a missing name
    assert not fired("names", "President Putin met NATO envoys.", "普京总统会见了北约特使。", tgt_lang="zh")
    assert not fired("names", "President Putin met NATO envoys.", "Президент Путин встретился с послами НАТО.",
                     tgt_lang="ru")
    # ... but a Latin name left out of a Latin-script translation still counts
    assert fired("names", "President Putin met Lhasa envoys in Xigaze.", "Le président a rencontré des envoyés.")


def test_peoples_match_through_their_country_and_countries_swapped_are_flagged():
    # French `Japonais` (Japon -> Japan) and German `Japaner`, `Autrichiens` (Autriche) and `Österreicher`
    assert not fired("names", "Dès 1952, les Japonais avaient fait une reconnaissance.",
                     "1952 hatten die Japaner eine Kundfahrt gemacht.", src_lang="fr", tgt_lang="de")
    assert not fired("names", "les Autrichiens transportaient les charges", "die Österreicher trugen die Lasten",
                     src_lang="fr", tgt_lang="de")
    # a country or a people on each side, neither the other's: swapped (Washington / United States stays metonymy)
    assert fired("names", "La France et l'Allemagne ont signé.", "France and Italy signed.", src_lang="fr", tgt_lang="en")
    assert not fired("names", "Washington a répondu.", "The United States replied.", src_lang="fr", tgt_lang="en")


def test_german_capitalised_nouns_are_not_names():
    from workbench.fidelity.langdata import capitalised_common_noun

    src = "Die Japaner hatten 1952 eine Kundfahrt und einen Angriff auf den Manaslu gemacht."
    assert not fired("names", src, "Les Japonais avaient fait une reconnaissance et une attaque au Manaslu.",
                     src_lang="de", tgt_lang="fr")
    assert fired("names", src, "Les Japonais avaient fait une reconnaissance et une attaque au Dhaulagiri.",
                 src_lang="de", tgt_lang="fr")
    # compounds with a linking element, a rarer last part, Swiss ss for ß
    for noun in ("Gebirgswall", "Tagemärschen", "Fusstapfen", "Strasse"):
        assert capitalised_common_noun(noun, "de"), noun
    assert not capitalised_common_noun("Chagaran", "de")
    for noun in ("Berg", "Grat", "Expedition"):  # nouns that are words or surnames elsewhere too
        assert capitalised_common_noun(noun, "de"), noun
    for name in ("Manaslu", "Putin", "Washington"):  # names about as frequent in every language
        assert not capitalised_common_noun(name, "de"), name
    for noun in ("Erfrierungen", "Bezwingung", "Besteigungsversuch"):  # a noun-making ending, however rare
        assert capitalised_common_noun(noun, "de"), noun
    # 'm.' after a number is metres, and the capital after it opens a sentence (M. Lavrov is a title)
    assert not fired("names", "Sie kamen bis 7750 m. 1954 kamen sie wieder.",
                     "Ils atteignirent 7750 m. Ils revinrent en 1954.", src_lang="de")


def test_german_werden_is_a_future_only_with_an_infinitive():
    from workbench.fidelity.checks.tense import cues

    assert cues("Er wird morgen kommen.", "de").future
    assert cues("Sie sagte, dass er kommen wird.", "de").future
    assert not cues("Der Tag beginnt, es wird hell.", "de").future           # becomes
    assert not cues("Das Haus wird gebaut.", "de").future                    # passive
    assert not cues("Seile angebracht werden mussten.", "de").future         # past passive


def test_french_negation_in_tokenised_and_literary_text():
    assert len(negations("la voie qui n' est pas la nervure", "fr")) == 1
    assert len(negations("une telle créature ne pouvait exister", "fr")) == 1
    assert negations("il ne peut que partir", "fr") == []
    assert negations("Sans tarder, on tendit un câble", "fr") == []


def test_times_of_day_match_across_conventions():
    assert not fired("numbers", "um 15.30 Uhr verlassen", "vers 15 h. 30", src_lang="de", tgt_lang="fr")
    assert not fired("numbers", "at 3:30 p.m. on Monday", "à 15h30 lundi")
    assert fired("numbers", "at 3:30 p.m. on Monday", "à 16h30 lundi")
    assert not fired("numbers", "It rose 15.30 percent", "Il a augmenté de 15,30 %")


def test_italian_future_spelled_like_a_noun_and_cjk_month_numbers():
    from workbench.fidelity.checks.tense import cues

    assert cues("La riunione si terrà il 26 ottobre.", "it").future      # terrà: will hold
    assert not cues("La terra è rotonda.", "it").future                  # terra: earth
    assert not fired("numbers", "The next meeting is on 26 October.", "下一次会议将于10月26日举行。", tgt_lang="zh")
    assert fired("numbers", "The next meeting is on 26 October.", "下一次会议将于10月27日举行。", tgt_lang="zh")


def test_negation_in_more_languages():
    assert not fired("negation", "Inflation will not return to 2% before 2025.",
                     "Инфляция не вернется к 2% раньше 2025 года.", tgt_lang="ru")
    assert fired("negation", "Inflation will return to 2% before 2025.",
                 "Инфляция не вернется к 2% раньше 2025 года.", tgt_lang="ru")
    assert fired("negation", "We are at the peak.", "Wij zijn niet op het hoogtepunt.", tgt_lang="nl")
    assert not fired("negation", "We are not at the peak yet.", "Nie jesteśmy jeszcze na szczycie.", tgt_lang="pl")


def test_dropped_verb_in_spanish_italian_portuguese():
    assert fired("dangling_modal", "x", "Rusia podría la frontera.", src_lang="en", tgt_lang="es")
    assert fired("dangling_modal", "x", "Ha che la Russia è pronta.", src_lang="en", tgt_lang="it")
    assert fired("dangling_modal", "x", "A Rússia pode a fronteira.", src_lang="en", tgt_lang="pt")
    for text, lang in (("Rusia podría atacar la frontera.", "es"), ("Hay que ir.", "es"),
                       ("Debe su nombre a su padre.", "es"), ("Non ha che da partire.", "it"),
                       ("Ele pode se tornar presidente.", "pt")):
        assert not fired("dangling_modal", "x", text, src_lang="en", tgt_lang=lang), text


def test_list_labels_and_vulgar_fractions():
    de = dict(src_lang="de", tgt_lang="fr")
    assert not fired("numbers", "2. 1953 : Mount Everest, 8848 m", "1953 : Mount Everest, 8848 m.", **de)
    assert not fired("numbers", "Vialatte. 7. Kangchendzönga, ca. 8597 m", "Kangchenjunga, environ 8597 m.", **de)
    assert fired("numbers", "am 11. Mai kam er", "le 12 mai il vint", **de)      # an ordinal date is no label
    assert not fired("numbers", "Das Wasser war etwa 1 ½ m tief", "L'eau était profonde de 1,50 m", **de)
    assert fired("numbers", "Das Wasser war etwa 1 ½ m tief", "L'eau était profonde de 2,50 m", **de)


def test_german_conditional_and_separable_participles():
    from workbench.fidelity.checks.tense import cues

    assert cues("Hätte ich gute Träger gehabt, dann hätte ich es versucht.", "de").conditional
    assert not cues("Nach ein paar Augenblicken wird der Abstieg angetreten, denn es schneit.", "de").future
    assert cues("Er wird das Problem angeben.", "de").future
    assert not fired("brackets", "Die « I.H.E. 1934 » hat alle Gipfel erstiegen.", "L'E. 1934 les a gravis.",
                     src_lang="de", tgt_lang="fr")  # a quoted name, not speech


def test_roman_numerals_after_a_name_are_numbers_not_acronyms():
    assert fired("numbers", "Gasherbrum II was climbed.", "Le Gasherbrum IV fut gravi.")
    assert not fired("numbers", "Gasherbrum II was climbed.", "Le Gasherbrum II fut gravi.")
    assert not fired("names", "The camp on the ridge.", "Le camp III sur l'arête.")
    assert not fired("numbers", "after World War II ended", "après la Seconde Guerre mondiale")
    # after a common noun a numeral only matches the other side's number (Lager 3 / camp III)
    assert not fired("numbers", "Lager 3 stand am Grat.", "Le camp III était sur l'arête.", src_lang="de")
    assert not fired("numbers", "The camp on the ridge.", "Le camp III sur l'arête.")


def test_ocr_elided_article_is_no_number():
    assert not fired("numbers", "die Forderung des Offiziers", "la demande de 1' officier", src_lang="de")
    assert fired("numbers", "die Forderung", "la demande 1 officier", src_lang="de")


def test_a_month_cited_in_the_other_language():
    # a French citation inside a German text keeps its month: `oct. 1956` is October
    assert not fired("dates", "« La Montagne » , oct. 1956 , p. 261", "La Montagne , octobre 1956 , p. 261",
                     src_lang="de")
    # ... but a word of the text's own language is not read as a foreign month (French sept, seven)
    assert not fired("dates", "the Seven Years' War (1756)", "la guerre de Sept Ans (1756)")


def test_german_numbers_inside_compounds():
    assert not fired("numbers", "der dritte Achttausender", "le troisième « 8000 »", src_lang="de")
    assert not fired("numbers", "nach einer zehntägigen Pause", "après une pause de dix jours", src_lang="de")
    assert not fired("numbers", "zweiundzwanzig Träger", "22 porteurs", src_lang="de")
    assert fired("numbers", "zweiundzwanzig Träger", "23 porteurs", src_lang="de")     # a number spelled in one word
    assert not fired("numbers", "der Achttausender", "le sommet", src_lang="de")        # a compound is never missing


def test_french_restrictive_ne_que_and_ne_manque_pas_de():
    assert negations("les empreintes ne sont que des pas d'ours", "fr") == []     # only footprints
    assert negations("Il ne reste donc plus que quatre sommets", "fr") == []       # only four are left
    assert negations("ce qui ne manque pas de créer des difficultés", "fr") == []  # does not fail to
    assert len(negations("Il ne manque pas de courage", "fr")) == 1                # does not lack
    assert len(negations("Il ne vient plus", "fr")) == 1
    # 'jamais' without 'ne' is 'ever' in a question, after 'que', 'si', 'à'
    assert negations("combien ont jamais vu un blaireau ?", "fr") == []
    assert negations("plus que jamais", "fr") == [] and negations("à tout jamais", "fr") == []
    assert len(negations("Jamais !", "fr")) == 1
    # 'Rien' opening a verbless clause negates; 'aucune ... ne' after 'avant que' means 'any'
    assert len(negations("Rien de nouveau à signaler.", "fr")) == 1 and negations("Rien que l'idée", "fr") == []
    assert negations("avant qu'aucune ne soit publiée", "fr") == []
    assert len(negations("à moins que rien ne change", "fr")) == 1
    assert negations("Ce n'est là, il va sans dire, qu'un témoignage.", "fr") == []


def test_french_passe_simple_and_imperfects_that_look_like_futures():
    from workbench.fidelity.checks.tense import cues

    for past in ("L'explorateur tira le premier gorille.", "Il déclara que non.", "La neige recouvrait la glace."):
        c = cues(past, "fr")
        assert c.past and not c.future and not c.conditional, past
    assert cues("Il finira demain.", "fr").future and cues("Il vivrait ici.", "fr").conditional
    assert not cues("Il pourrait venir.", "fr").past


def test_avoir_lieu_is_no_past_and_german_present_for_future_is_weak():
    from workbench.fidelity.checks.tense import cues

    assert not cues("La réunion a lieu demain.", "fr").past and not cues("Il y a peu de temps.", "fr").past
    for past in ("Il a déjà dit non.", "Il a dit oui.", "Ils ont tous parlé.", "Elle a pris le train."):
        assert cues(past, "fr").past, past
    assert not fired("tense", "The meeting will take place on 26 October.", "La réunion a lieu le 26 octobre.")
    assert not fired("tense", "The meeting will take place on 26 October.", "Die Sitzung findet am 26. Oktober statt.",
                     tgt_lang="de")


def test_a_name_opening_the_sentence_is_still_a_name():
    assert fired("names", "Putin gave his first reaction in a call with Macron.",
                 "Biden a proposé sa première réaction lors d'un appel avec Macron.")
    assert not fired("names", "However, the talks went on.", "Cependant, les pourparlers ont continué.")
    assert not fired("names", "Putin gave his first reaction.", "Poutine a proposé sa première réaction.")


def test_focus_particles():
    assert fired("particles", "Russia has already massed troops.", "La Russie a massé des troupes.")
    assert fired("particles", "Only two countries objected.", "Deux pays ont objecté.")
    assert not fired("particles", "Russia has already massed troops.", "La Russie a déjà massé des troupes.")
    assert not fired("particles", "He came again.", "Il est encore venu.")          # encore: still or again
    assert not fired("particles", "building a new stadium", "la construction d'un nouveau stade")
    assert not fired("particles", "We also want peace.", "Nous voulons la paix.")   # also: dropped freely
    assert run("particles", "Only two.", "Nur zwei.", "en", "ru") is None           # no list: no verdict
    from workbench.fidelity.config import FidelityConfig

    cfg = FidelityConfig()
    assert "particles" not in cfg.enabled_checks()                                   # off by default
    cfg.set("checks.particles.enabled", "true")
    assert "particles" in cfg.enabled_checks()


def _latent_batch(changed: dict[int, str]) -> tuple[list[LinkCase], DocContext]:
    from workbench.encoders import load_encoder

    base = ["the mayor opened the new bridge over the river", "prices rose sharply in january after the storm",
            "the court rejected the appeal of the three companies", "rain is expected across the north on sunday",
            "the team won its first title in twenty years", "farmers protested against the new water rules",
            "the museum will close for repairs until march", "two ships collided near the port at dawn",
            "the central bank kept its main rate unchanged", "schools reopened after a week of heavy snow"]
    cases = [LinkCase(k, s, changed.get(k, s), 0.9) for k, s in enumerate(base)]
    return cases, DocContext("en", "en", encoder=load_encoder("hash"))


def test_latent_terms_find_what_one_side_lacks_or_adds():
    check = check_registry.get("latent_terms")()
    cases, ctx = _latent_batch({3: "rain is expected on sunday",
                                6: "the museum will close for repairs until march despite loud protests by local artists"})
    res = check.score_all(cases, ctx)
    assert all(r is not None for r in res)
    flagged = {k for k, r in enumerate(res) if r.score >= check.settings["threshold"]}
    assert flagged == {3, 6}
    assert "lack" in res[3].message and "add" in res[6].message
    assert max(res[k].score for k in range(10) if k not in (3, 6)) < 0.5


def test_latent_terms_need_an_encoder_that_has_them_and_a_batch():
    check = check_registry.get("latent_terms")()
    cases, ctx = _latent_batch({3: "rain is expected on sunday"})
    assert check.score_all(cases[:5], ctx) == [None] * 5   # too few links to compare
    ctx.encoder.latent_id = ""                               # an encoder without latent terms
    assert check.score_all(cases, ctx) == [None] * 10


def test_a_graded_check_weighs_on_fidelity_below_its_threshold():
    import pandas as pd

    from workbench.encoders import load_encoder
    from workbench.fidelity import FidelityConfig, score_pairs

    cases, _ = _latent_batch({3: "rain is expected across the north"})
    frame = pd.DataFrame({"src": [c.src_text for c in cases], "tgt": [c.tgt_text for c in cases]})
    graded, flat = FidelityConfig(), FidelityConfig()
    for cfg in (graded, flat):
        cfg.set("checks.latent_terms.threshold", "1.01")                # never a flag
    flat.set("checks.latent_terms.graded", "false")
    on = score_pairs(frame, "src", "tgt", "en", "en", encoder=load_encoder("hash"), config=graded).table
    off = score_pairs(frame, "src", "tgt", "en", "en", encoder=load_encoder("hash"), config=flat).table
    weak = on["check_latent_terms"] > 0
    assert list(weak) == [k == 3 for k in range(10)]
    assert on.loc[3, "fidelity"] < off.loc[3, "fidelity"] and on.loc[3, "label"] == "minor"
    assert (on.loc[~weak, "fidelity"] == off.loc[~weak, "fidelity"]).all()
    assert not on["flags"].str.contains("latent_terms").any()


def test_latent_terms_read_a_document_only_when_asked():
    check = check_registry.get("latent_terms")()
    cases, ctx = _latent_batch({3: "rain is expected on sunday"})
    ctx.document = True
    assert check.score_all(cases, ctx) == [None] * 10
    asked = check_registry.get("latent_terms")({"documents": True})
    assert asked.score_all(cases, ctx)[3].score == 1.0


def _flag(name: str, src: str, tgt: str, src_lang: str, tgt_lang: str) -> float:
    """The check's score, -1 where it gives no verdict."""
    res = run(name, src, tgt, src_lang, tgt_lang)
    return res.score if res else -1.0


def test_gender_of_a_personal_pronoun_swapped():
    assert _flag("gender", "Il a déclaré que la Russie était prête.", "She said Russia was ready.", "fr", "en") > 0.5
    assert _flag("gender", "He said NATO was ready.", "Elle a déclaré que l'OTAN était prête.", "en", "fr") > 0.5
    assert _flag("gender", "Ella dijo que no.", "He said no.", "es", "en") > 0.5
    # one side keeps its pronouns and gains one of the other gender
    assert _flag("gender", "But he said he was ready.", "Mais elle a dit qu'il était prêt.", "en", "fr") > 0.5
    assert _flag("gender", "Il a dit qu'il était prêt.", "He said she was ready.", "fr", "en") > 0.5
    # the same gender, or no verdict possible
    assert _flag("gender", "Il a déclaré que la Russie était prête.", "He said Russia was ready.", "fr", "en") == 0
    assert _flag("gender", "He said it was ready.", "Il a dit qu'elle était prête.", "en", "fr") == 0  # a thing
    assert _flag("gender", "Il a vu son frère.", "He saw his brother.", "fr", "en") == 0
    assert _flag("gender", "Il a dit qu'elle viendrait.", "Lui ha detto che lei verrà.", "fr", "it") == 0  # no English side
    assert _flag("gender", "Elle a rencontré son homologue.", "She met his counterpart.", "fr", "en") == 0  # both in one
    # French `elle` for a feminine thing is an English `it`; impersonal `il` is nobody
    assert _flag("gender", "La Russie a dit qu'elle était prête.", "Russia said it was ready.", "fr", "en") == 0
    # ... but two sides that open on pronouns of two genders swapped the subject, whatever else is `it`
    assert _flag("gender", "He said NATO would raise its presence.", "Elle a dit que l'OTAN renforcerait sa présence.",
                 "en", "fr") > 0.5
    assert _flag("gender", "It has cited the response as proof.", "Elle a cité la réponse comme preuve.", "en", "fr") == 0
    assert _flag("gender", "Il faut que la ministre parte, a-t-elle dit.", "The minister must go, she said.", "fr", "en") == 0
    assert _flag("gender", "El presidente llegó.", "She arrived.", "es", "en") == 0   # `el` is the article
    assert _flag("gender", "Er sagte nein.", "Elle a dit non.", "de", "fr") == -1    # German `sie` is not read


def test_a_question_on_one_side_only():
    assert _flag("questions", "Russia is ready.", "La Russie est-elle prête ?", "en", "fr") > 0.5
    assert _flag("questions", "¿Está lista Rusia?", "Russia is ready.", "es", "en") > 0.5
    assert _flag("questions", "Is Russia ready?", "La Russie est-elle prête ?", "en", "fr") == 0
    assert _flag("questions", "Είναι έτοιμη η Ρωσία;", "Is Russia ready?", "el", "en") == 0
    assert _flag("questions", "普京准备好了吗？", "Is Putin ready?", "zh", "en") == 0


def test_a_past_made_present_in_english():
    # French, Spanish and German narrate in the present; English prose does not
    assert _flag("tense", "Il a déclaré que la Russie était prête.", "He says Russia is ready.", "fr", "en") >= 0.8
    assert _flag("tense", "Il a déclaré que la Russie était prête.", "He said Russia was ready.", "fr", "en") <= 0
    assert _flag("tense", "He said Russia was ready.", "Il dit que la Russie est prête.", "en", "fr") <= 0
    assert _flag("tense", "Il a déclaré que la Russie était prête.", "Putin says Russia is ready", "fr", "en") <= 0  # headline
    # present perfects and contracted futures are read
    assert _flag("tense", "Plusieurs cultivars ont été sélectionnés.", "Several cultivars have been selected.", "fr",
                 "en") <= 0
    assert _flag("tense", "Nous ne le permettrons pas, a déclaré M. Lavrov.", "We won't allow it, Lavrov said.", "fr",
                 "en") <= 0


def test_dropped_verbs_in_reporting_clauses_after_avoir_and_before_adjectives():
    def found(text: str, lang: str) -> bool:
        from workbench.fidelity.checks.dangling_modal import dangling

        return bool(dangling(text, lang))

    assert found('Nous sommes prêts à répondre si la Russie choisit une confrontation armée", a M. Stoltenberg.', "fr")
    assert found("Si la Russie envahit le pays, le résultat serait horrible, a Milley.", "fr")
    assert found("L'Ukraine a entendre qu'une attaque russe n'est pas imminente.", "fr")
    assert found('If Russia invades, the outcome would "horrific" and result in casualties.', "en")
    assert found("They have warned Russia it would economic sanctions.", "en")
    # grammatical: a noun after avoir, an adverb, a number, a verb after a modal, a full reporting clause
    for text in ("Il a affaire à un problème.", "Il a hier annoncé sa démission.", "Le sommet qui a quatre faces.",
                 "Le pays, selon lui, a la responsabilité d'agir.", "« Nous sommes prêts », a déclaré M. Stoltenberg.",
                 "Il y a faire la fête."):
        assert not found(text, "fr"), text
    assert not found("It would panic the markets.", "en")


def test_a_word_turned_into_its_opposite():
    assert _flag("polarity", "Prices rose sharply in January.", "Les prix ont fortement baissé en janvier.", "en",
                 "fr") > 0.5
    assert _flag("polarity", "Il est parti avant la réunion.", "He left after the meeting.", "fr", "en") > 0.5
    assert _flag("polarity", "Es la primera vez.", "It is the last time.", "es", "en") > 0.5
    assert _flag("polarity", "Die Risiken sind groß.", "Les risques sont petits.", "de", "fr") > 0.5
    assert _flag("polarity", "A weak economy.", "Une économie forte.", "en", "fr") > 0.5
    assert _flag("polarity", "La Corée du Sud a répondu.", "North Korea responded.", "fr", "en") > 0.5
    # the same pole, both poles on one side, and the forms that mean something else
    assert _flag("polarity", "Prices rose sharply.", "Les prix ont fortement augmenté.", "en", "fr") == 0
    assert _flag("polarity", "more or less", "plus ou moins", "en", "fr") == 0
    assert _flag("polarity", "D'après le premier ministre, la trêve tiendra.", "The Prime Minister said the truce will "
                 "last.", "fr", "en") == 0
    assert _flag("polarity", "He said so after the vote.", "Il l'a dit après le vote, d'après lui.", "en", "fr") == 0
    assert _flag("polarity", "Prices rose.", "价格上涨了。", "en", "zh") == -1   # no list for Chinese


def test_missing_subject_read_from_the_grammar():
    assert _flag("missing_subject", "Il a déclaré que l'OTAN était prête.", "Said NATO was ready.", "fr", "en") > 0.5
    assert _flag("missing_subject", "He said, without details, that it was better.", "A déclaré, sans détails, que c'était mieux.",
                 "en", "fr") > 0.5
    assert _flag("missing_subject", "The ministry did not respond.", "Did not respond.", "en", "en") > 0.5
    assert _flag("missing_subject", "Russia could launch an attack.", "Pourrait lancer une attaque.", "en", "fr") > 0.5
    # a subject is there, after a quotation, in a question or an inversion, or announced by a colon
    assert _flag("missing_subject", "Nous sommes prêts, a dit M. Stoltenberg.", '"We are ready," said Stoltenberg.', "fr", "en") == 0
    assert _flag("missing_subject", "Est-ce vrai ?", "Was it true?", "fr", "en") == 0
    assert _flag("missing_subject", "Si vous avez besoin d'aide, appelez.", "Should you need help, call us.", "fr", "en") == 0
    assert _flag("missing_subject", "Bisher wurden bestiegen:", "Ont été gravis jusqu'à ce jour :", "de", "fr") == 0
    assert _flag("missing_subject", "Dreimal war er Premier.", "A trois reprises, il est premier ministre.", "de", "fr") == 0
    # a source that opens the same way (a headline) gives no verdict; pro-drop languages are not read
    assert _flag("missing_subject", "Says it will go.", "Dit qu'il ira.", "en", "fr") <= 0
    assert _flag("missing_subject", "He said no.", "Dijo que no.", "en", "es") == -1


def test_stance_hedge_or_certainty_on_one_side_only():
    assert _flag("stance", "Russia will attack.", "La Russie va clairement attaquer.", "en", "fr") > 0.5
    assert _flag("stance", "Russia will probably attack.", "La Russie va attaquer.", "en", "fr") > 0.5
    assert _flag("stance", "Russland wird wahrscheinlich angreifen.", "Russia will certainly attack.", "de", "en") > 0.5
    # the same stance, a set phrase for an adverb, or a hedge carried by a conditional
    assert _flag("stance", "He clearly now has that capability.", "Il est clair qu'il en a la capacité.", "en", "fr") == 0
    assert _flag("stance", "Es sei vielleicht ein Affe.", "Ce pourrait bien être un singe.", "de", "fr") == 0
    assert _flag("stance", "Il viendra peut-être.", "Perhaps he will come.", "fr", "en") == 0
    assert _flag("stance", "Er kommt.", "彼は来る。", "de", "ja") == -1


def test_myriad_and_abbreviated_scales_and_spelled_numbers_against_a_language_without_a_table():
    def values(text, lang):
        return set().union(*(v for v, *_ in extract(text, lang, "en")))

    assert 130000.0 in values("约13万名士兵", "zh") and 3e7 in values("3千万美元", "zh")
    assert 1.5e8 in values("1.5亿人", "zh") and 130000.0 in values("около 130 тыс. военных", "ru")
    assert 2.5e9 in values("2,5 Mrd. Euro", "de") and 130000.0 in values("130 ألف جندي", "ar")
    assert not fired("numbers", "About 130,000 troops remain.", "约13万名士兵仍留在那里。", tgt_lang="zh")
    # 'four' is spelled in English only: it matches 4 in Japanese and is never missing itself
    assert not fired("numbers", "The talks lasted more than four hours.", "会談は4時間以上続いた。", tgt_lang="ja")
    assert not fired("numbers", "The talks lasted more than four hours.", "会談は長く続いた。", tgt_lang="ja")
    assert fired("numbers", "The talks lasted more than four hours.", "会談は5時間以上続いた。", tgt_lang="ja")


def test_length_leaves_out_urls_and_short_sources():
    from workbench.fidelity.checks.length import content_length, log_ratio

    url = "https://www.reuters.com/world/top-diplomats-us-russia-meet-geneva-2022-01-21"
    assert content_length(f"Their last meeting, in Geneva {url} on Jan. 21.") == len("Their last meeting, in Geneva  on Jan. 21.")
    assert log_ratio(f"They met in Geneva {url}.", f"他们在日内瓦 {url} 会面。") == log_ratio("They met in Geneva .", "他们在日内瓦  会面。")
    ctx = dict(length_center=0.0, length_spread=0.1)
    assert run("length", "ENERGY SUPPLIES", "APPROVISIONNEMENT EN ÉNERGIE ET EN MATIÈRES PREMIÈRES", **ctx) is None
    assert fired("length", "The talks lasted more than four hours on Tuesday.",
                 "Les pourparlers ont duré plus de quatre heures mardi, à Moscou, dans une ambiance tendue et froide.", **ctx)


def test_an_article_left_without_its_noun():
    from workbench.fidelity.checks.dangling_article import dangling_articles

    assert fired("dangling_article", "comment les États-Unis et leurs alliés ont l'intention",
                 "how the and its allies intend", src_lang="fr", tgt_lang="en")
    assert fired("dangling_article", "the United States and the European Union", "les et l'Union européenne")
    # pronouns, compounds, numerals, titles and OCR'd quotes are not articles left alone
    for text, lang in (("il les a vus et elle la connaît", "fr"), ("Prends-les.", "fr"), ("un de ses amis", "fr"),
                       ("les contre-propositions américaines", "fr"), ("le ,yéti ' des sherpas", "fr"),
                       ("a band called The And.", "en"), ("el de Juan y la de Pedro", "es"), ("das ist gut", "de")):
        assert not dangling_articles(text, lang), text
    # a source that reads the same way (a list of words) is no dropped noun; an unknown language no verdict
    assert dangling_articles("He said the.", "en") and dangling_articles("the and the,", "en") == [(0, 7), (8, 12)]
    assert not fired("dangling_article", "the words 'the' and 'the, '", "the, and", src_lang="en", tgt_lang="en")
    assert run("dangling_article", "the and", "и", tgt_lang="ru") is None


def test_french_avoir_before_an_article_where_the_source_has_no_have():
    assert fired("dangling_modal", "Putin gave his first reaction to the responses.",
                 "Poutine a sa première réaction aux réponses.")
    assert fired("dangling_modal", "since it annexed Crimea and backed separatists", "depuis qu'elle a la Crimée et soutenu")
    # a verb of possession in the source, an idiom, `il y a`, or a capital (the preposition à) is no dropped participle
    assert not fired("dangling_modal", "He has a house.", "Il a une maison.")
    assert not fired("dangling_modal", "The allies intend to follow it.", "Les alliés ont l'intention de le suivre.")
    assert not fired("dangling_modal", "There are reasons.", "Il y a des raisons.")
    assert not fired("dangling_modal", "Auf Verlangen des Offiziers", "A la demande de l'officier", src_lang="de")


def test_a_whole_name_dropped_is_flagged_however_frequent():
    # Joe and Biden are frequent words in English news: each alone weighs little, the whole name gone is a flag
    assert fired("names", "U.S. President Joe Biden and Ursula von der Leyen said they had agreed.",
                 "Le président américain et Ursula von der Leyen ont déclaré qu'ils étaient d'accord.")
    assert not fired("names", "U.S. President Joe Biden said they had agreed.",
                     "Le président américain Biden a déclaré qu'ils étaient d'accord.")


def test_a_faithful_literary_translation_is_not_flagged():
    """Conventions of novels and their translations (tests/data/en-fr-literary): dialogue set with
    dashes where English quotes it, dates as `the 14th of March`, numbers spelled in several words,
    irregular futures, restrictive `ne ... que` / `nothing ... except`, and object pronouns French
    writes as clitics."""
    assert not fired("brackets", '"I am watching for the post, aunt."', "— J'attends le facteur, ma tante.")
    assert not fired("brackets", '"¿Vienes?"', "—¿Vienes?", tgt_lang="es")
    assert fired("brackets", '"We are ready," he said.', "Il a dit qu'ils étaient prêts.")
    assert not fired("dates", "since the morning of the 14th of March", "depuis le matin du 14 mars")
    assert not fired("numbers", "He was forty-one years of age.", "Il avait quarante et un ans.")
    assert not fired("numbers", "one thousand two hundred and five men", "1205 hommes")
    assert not fired("numbers", "she had danced with him twice", "elle avait dansé deux fois avec lui")
    assert fired("numbers", "He was forty-one years of age.", "Il avait cinquante et un ans.")
    assert not fired("tense", '"Then who shall?"', "— Alors qui ira ?")
    assert not fired("tense", "he has found work, and he will be able to pay",
                     "il a trouvé un travail, et il pourra payer")
    assert not fired("negation", "the street was a river of brown water",
                     "la rue n'était plus qu'une rivière d'eau brune")
    assert not fired("negation", "she knew nothing of him, except what the whole town knew",
                     "elle ne savait de lui que ce que savait toute la ville")
    assert fired("negation", "she knew him", "elle ne le connaissait pas")
    assert not fired("gender", "She looked at him for a long moment.", "Elle le regarda longuement.")
    assert fired("gender", "She looked at the river.", "Il regarda la rivière.")


def test_faithful_renderings_in_other_language_pairs_are_not_flagged():
    # a month that is also an English word matches the other side's month without a day number,
    # and is never missing; a German weekday compound and a Russian declined month count
    assert not fired("dates", "Work will begin in March.", "Die Arbeiten beginnen im März.", tgt_lang="de")
    assert fired("dates", "Work will begin in March.", "Las obras comenzarán en abril.", tgt_lang="es")
    assert not fired("dates", "The vote took place on Tuesday evening.", "Die Abstimmung fand am Dienstagabend statt.",
                     tgt_lang="de")
    assert not fired("dates", "The meeting is in April.", "Собрание состоится в апреле.", tgt_lang="ru")
    assert fired("dates", "It opens on June 5.", "Откроется 5 июля.", tgt_lang="ru")
    # idioms built on a negation word
    assert not fired("negation", "However, the board rejected the plan.", "Sin embargo, la junta rechazó el plan.",
                     tgt_lang="es")
    # a capitalised word both sides write alike is a name, not a Romance future (Maria)
    assert not fired("tense", "Maria went home early.", "Maria foi para casa cedo.", tgt_lang="pt")
    assert fired("tense", "Maria left the city.", "Maria saldrá de la ciudad.", tgt_lang="es")
    # the target language's own currency name
    assert not fired("untranslated_words", "Le billet coûte dix euros.", "The ticket costs ten euros.",
                     src_lang="fr", tgt_lang="en")


def test_faithful_renderings_of_news_manuals_and_essays_are_not_flagged():
    # 'no longer' negates as 'ne ... plus' does; 'ne ... guère' is a near-negation; a contrast may be
    # said with a negation (one); a dropped negated verb must lower both counts
    assert not fired("negation", "« Nous ne pouvons plus attendre », a-t-il déclaré.", '"We can no longer wait," he said.',
                     src_lang="fr", tgt_lang="en")
    assert not fired("negation", "« Ce plan ne fera guère plus que colmater les brèches »",
                     '"This plan will do little more than plug the gaps"', src_lang="fr", tgt_lang="en")
    assert not fired("negation", "Knowledge grows in networks rather than in isolation.",
                     "Wissen wächst in Netzwerken und nicht in der Isolation.", tgt_lang="de")
    assert not fired("negation", "Sa présidente n'a exclu aucune nouvelle baisse, sans toutefois s'engager.",
                     "Its president did not rule out further cuts, but stopped short of committing.",
                     src_lang="fr", tgt_lang="en")
    # French inverted subjects and an impersonal `il ne s'agit pas`
    assert not fired("gender", "« Il ne s'agit pas d'un plan », explique-t-elle.", '"This is not a plan," she explains.',
                     src_lang="fr", tgt_lang="en")
    assert fired("gender", "« Nous ne pouvons plus attendre », a-t-il déclaré.", '"We can no longer wait," she said.',
                 src_lang="fr", tgt_lang="en")
    # numbers: long and short scales, plural scale words, a number opening a compound, ordinals past ten
    assert not fired("numbers", "La dette dépasse 3 300 milliards d'euros.", "Debt exceeds €3.3 trillion.",
                     src_lang="fr", tgt_lang="en")
    assert not fired("numbers", "It cost three billion dollars.", "Es kostete drei Milliarden Dollar.", tgt_lang="de")
    assert not fired("numbers", "we recommend two-factor authentication", "recomendamos la autenticación de dos factores",
                     tgt_lang="es")
    assert fired("numbers", "we recommend two-factor authentication", "recomendamos la autenticación de tres factores",
                 tgt_lang="es")
    assert not fired("numbers", "In the nineteenth century", "Im 19. Jahrhundert", tgt_lang="de")
    assert not fired("numbers", "the seventeenth century", "le dix-septième siècle")
    # names: a numbered step's first word, a menu path, a name inside a compound, an acronym the document defines
    assert not fired("names", "4. Open the app.", "4. Abra la aplicación.", tgt_lang="es")
    assert not fired("names", "Go to Settings > Account > Sync.", "Vaya a Configuración > Cuenta > Sincronización.",
                     tgt_lang="es")
    assert not fired("names", "The Human Genome Project involved thousands.", "Am Humangenomprojekt waren Tausende beteiligt.",
                     tgt_lang="de")
    names = check_registry.get("names")()
    cases = [LinkCase(0, "5,6 % du produit intérieur brut (PIB)", "5.6% of gross domestic product (GDP)", 0.9),
             LinkCase(1, "La dette dépasse 113 % du PIB.", "Debt exceeds 113% of GDP.", 0.9),
             LinkCase(2, "La dette dépasse 113 % du PIB.", "Debt exceeds 113% of the WTO.", 0.9)]
    scores = [r.score for r in names.score_all(cases, DocContext("fr", "en"))]
    assert scores[0] < 0.5 and scores[1] < 0.5 and scores[2] >= 0.5
    # stance, German modals, an English relative clause's past
    assert not fired("stance", "Of course not.", "Natürlich nicht.", tgt_lang="de")
    assert not fired("tense", "We should not assume that.", "Wir sollten nicht davon ausgehen.", tgt_lang="de")
    assert not fired("tense", "It fixes a bug that caused the app to freeze.",
                     "Corrige un error que hacía que la aplicación se bloqueara.", tgt_lang="es")


def test_faithful_leaflets_reports_guides_contracts_and_recipes_are_not_flagged():
    assert not fired("numbers", "every 4 to 6 hours", "ogni 4-6 ore", tgt_lang="it")
    assert not fired("numbers", "Hornea la tarta durante 40-45 minutos.", "Bake the tart for 40–45 minutes.",
                     src_lang="es", tgt_lang="en")
    assert not fired("numbers", "1/2 taza de agua", "½ cup of water", src_lang="es", tgt_lang="en")
    assert fired("numbers", "1/2 taza de agua", "¾ cup of water", src_lang="es", tgt_lang="en")
    assert not fired("numbers", "made two changes", "fez duas alterações", tgt_lang="pt")
    assert not fired("numbers", "with 1 GB of storage", "1GBのストレージ", tgt_lang="ja")
    assert not fired("negation", "a group called non-steroidal anti-inflammatory drugs",
                     "un gruppo chiamato antinfiammatori non steroidei", tgt_lang="it")
    assert fired("negation", "some of Russia's demands are non-starters", "certaines demandes n'ont pas été déclarées")
    assert not fired("negation", "They did not register a shot on target until the 31st minute.",
                     "Só fizeram o primeiro remate enquadrado ao minuto 31.", tgt_lang="pt")
    assert not fired("dates", "It is open from Tuesday to Sunday and closed on Mondays.",
                     "Музей работает со вторника по воскресенье, понедельник — выходной.", tgt_lang="ru")
    assert fired("dates", "It is open from Tuesday to Sunday.", "Музей работает со среды по воскресенье.", tgt_lang="ru")
    # Romance futures and conditionals need a verb's stem (not fría, cold; not vitória, a noun)
    assert not fired("tense", "1/2 taza de agua muy fría.", "½ cup of ice-cold water.", src_lang="es", tgt_lang="en")
    assert not fired("tense", "Com esta vitória, o Northfield sobe ao nono lugar.", "The win lifts Northfield to ninth place.",
                     src_lang="pt", tgt_lang="en")
    assert not fired("tense", "Mi abuela nunca usaba canela.", "My grandmother never used cinnamon.", src_lang="es",
                     tgt_lang="en")
    # a contract's `shall` is an obligation, a pronoun's a future
    assert not fired("tense", "Ein Anspruch besteht nicht, soweit diese vom Auftraggeber verursacht wurden.",
                     "There shall be no entitlement to the extent that they were caused by the Client.",
                     src_lang="de", tgt_lang="en")
    assert not fired("dangling_modal", "Die Vergütung ist bis zum 15. Tag fällig.",
                     "The fee shall in each case be due by the 15th day.", src_lang="de", tgt_lang="en")
    assert not fired("untranslated_words", "The update is available for Windows, macOS, iOS and Android.",
                     "アップデートは、Windows、macOS、iOS、Android向けに提供を開始しています。", tgt_lang="ja")


def test_faithful_encyclopedia_technical_and_eu_texts_are_not_flagged():
    # English has adopted `commune`; a French or German word list holds English text, so only English is read so
    assert not fired("untranslated_words", "La commune compte 1 842 habitants.", "The commune has 1,842 inhabitants.",
                     src_lang="fr", tgt_lang="en")
    assert fired("untranslated_words", "Le gouvernement a présenté ses demandes.", "The government presented its demandes.",
                 src_lang="fr", tgt_lang="en")
    # bounds and prohibitions said with a negation on one side only; French `sans délai` is `at once`
    assert not fired("negation", "The contact time must not be less than 30 seconds.",
                     "Le temps de contact doit être d'au moins 30 secondes.")
    assert not fired("negation", "A polymer may be added at a dose not exceeding 0.3 mg/L.",
                     "Un polymère peut être ajouté à une dose maximale de 0,3 mg/L.")
    assert not fired("negation", "The coagulant must not be stored with sodium hypochlorite.",
                     "Il est interdit de stocker le coagulant avec l'hypochlorite.")
    assert not fired("negation", "The supervisor must inform the manager immediately.",
                     "Il faut prévenir le responsable sans délai.")
    assert fired("negation", "Congestion is prevented so it can be proved not to affect the data.",
                 "La congestion est évitée.")
    # a CLDR name's short form (`l'Union` for l'Union européenne), number words and `No` are no names
    assert not fired("names", "Le taux de cofinancement de l'Union ne pourra pas dépasser 50 %.",
                     "EU co-financing will be capped at 50%.", src_lang="fr", tgt_lang="en")
    assert not fired("names", "Aucun projet ne pourra bénéficier d'un double financement.",
                     "No project may receive double funding.", src_lang="fr", tgt_lang="en")
    # `pourra` facing an English modal is a rule's `may`; a present passive's participle is no past
    assert not fired("tense", "Il pourra être porté à 70 % pour les régions les moins développées.",
                     "This rate may be raised to 70% for the least developed regions.", src_lang="fr", tgt_lang="en")
    assert not fired("tense", "Si les objectifs ne sont pas atteints, la Commission pourra proposer de réaffecter les fonds.",
                     "If the targets are not met, the Commission may propose that the funds be reallocated.",
                     src_lang="fr", tgt_lang="en")
    assert fired("tense", "They met in Paris.", "Ils se rencontreront à Paris.")


def test_faithful_subtitles_abstracts_and_marketing_are_not_flagged():
    # `jamais` in a relative clause with no `ne` is `ever`; an acronym in capitals is no `pas`; `ni ... ni` negates
    assert not fired("negation", "The best lamp I've ever owned.", "La meilleure lampe que j'aie jamais eue.")
    assert fired("negation", "I will come.", "Jamais je ne viendrai.")
    assert not fired("negation", "Systolic blood pressure (SBP) was measured twice.",
                     "La pression artérielle systolique (PAS) a été mesurée à deux reprises.", src_lang="en", tgt_lang="fr")
    assert not fired("negation", "Whisper-quiet, with no fan and no hum.", "Parfaitement silencieuse : ni ventilateur, ni bourdonnement.")
    assert not fired("negation", "The flicker-free LED panel is gentle on your eyes.", "Le panneau LED sans scintillement ménage vos yeux.")
    # a whole hour in either clock; `14 heures` may be a duration
    assert not fired("numbers", "Order before 2 p.m.", "Commandez avant 14 h.")
    assert fired("numbers", "Order before 3 p.m.", "Commandez avant 14 h.")
    assert not fired("numbers", "He ran for 14 hours.", "Il a couru pendant 14 heures.")
    # `didn't` is a past; `satisfait` is no imperfect
    assert not fired("tense", "Why didn't you call?", "Pourquoi tu n'as pas appelé ?")
    assert not fired("tense", "Not happy? Return it within 30 days.", "Pas satisfait ? Retournez-la sous 30 jours.")


def test_text_saved_decomposed_reads_as_the_same_words():
    import unicodedata

    from workbench.fidelity.langdata import folded_words

    nfd = unicodedata.normalize("NFD", "Žižek a parlé à Besançon.")
    assert [w for w, _, _ in folded_words(nfd)] == ["zizek", "a", "parle", "a", "besancon"]
    assert not fired("names", "Žižek spoke in Besançon.", nfd)
