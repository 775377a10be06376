"""Sentence segmentation: the flagship corpus exactly, the hard cases, other languages, and the
invariant that no character is ever lost."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.text import document_from_text, read_document, segment_paragraph, split_paragraphs

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "reuters-2022-01-28-ukraine"


# -- the flagship corpus ---------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "count"), [("en", 43), ("fr", 39)])
def test_flagship_reproduced_exactly(lang, count):
    gold = (CORPUS / f"{lang}.sents").read_text(encoding="utf-8").splitlines()
    doc = read_document(CORPUS / f"{lang}.txt", lang)
    assert len(gold) == count
    assert doc.texts == gold
    assert [s.id for s in doc.sentences] == list(range(count))
    assert doc.lang == lang and doc.name == f"{lang}.txt"


def test_flagship_paragraphs():
    text = (CORPUS / "en.txt").read_text(encoding="utf-8")
    doc = document_from_text(text, "en")
    assert doc.paragraphs[0] == 0
    assert max(doc.paragraphs) == len(split_paragraphs(text)) - 1
    assert doc.paragraphs == sorted(doc.paragraphs)
    heading = doc.texts.index("ENERGY SUPPLIES")
    assert doc.paragraphs[heading - 1] < doc.paragraphs[heading] < doc.paragraphs[heading + 1]
    # two sentences in one paragraph share its number
    milley = doc.texts.index("He said the United States strongly urged Russia to stand down.")
    assert doc.paragraphs[milley] == doc.paragraphs[milley - 1]


# -- documents -------------------------------------------------------------------------------

def test_presegmented_lines_numbered_from_zero():
    text = "First line. Still the first.\nSecond line\n\n\n  Third line  \n\nFourth\n"
    doc = document_from_text(text, "en", presegmented=True, name="x")
    assert doc.texts == ["First line. Still the first.", "Second line", "Third line", "Fourth"]
    assert [s.id for s in doc.sentences] == [0, 1, 2, 3]
    assert doc.paragraphs == [0, 0, 1, 2]
    assert doc.name == "x"


def test_paragraphs_from_blank_lines():
    text = "One. Two.\n\nThree.\n \t \nFour. Five.\r\n\r\nSix."
    doc = document_from_text(text, "en")
    assert doc.texts == ["One.", "Two.", "Three.", "Four.", "Five.", "Six."]
    assert doc.paragraphs == [0, 0, 1, 2, 2, 3]


def test_wrapped_lines_are_joined():
    text = "The officials said\nthat Russia could\nlaunch an attack. Nobody\nknows when."
    assert segment_paragraph(text, "en") == ["The officials said that Russia could launch an attack.",
                                            "Nobody knows when."]


def test_language_code_is_normalised():
    assert document_from_text("Hello there.", "EN-us").lang == "en"


# -- the hard cases --------------------------------------------------------------------------

@pytest.mark.parametrize("sentences", [
    ["Three U.S. officials told Reuters on Jan. 28 that the U.N. would meet.", "Nothing else was said."],
    ["The meeting is set for Sept. 5 in Washington.", "It was confirmed."],
    ["Dr. Smith met Mr. Jones and Prof. Brown.", "Gen. Milley and Sen. Warren spoke.", "Lt. Col. Day too."],
    ["The first attempt was led by G. O. Dyhrenfurth in 1930.", "It failed."],
    ["Bring a tool, e.g. a hammer, i.e. something heavy.", "Then stop."],
    ["It cost 3.5 million dollars, up 0.25 points.", "That is 100,000 more."],
    ["Their last meeting, in Geneva https://www.reuters.com/world/a.b-c/d.html?x=1 on Jan. 21, ended.",
     "Write to press.office@example.co.uk for more."],
    ["He spoke of the indivisibility of security ... that no one should be hurt.", "Then he left."],
    ["Is it true?", "Yes!", "Really."],
    ["He bought apples, pears, etc.", "Then he left."],
    ["He waited…", "Then he left.", "She paused … and went on."],
])
def test_english_cases(sentences):
    assert segment_paragraph(" ".join(sentences), "en") == sentences


def test_quotation_holding_several_sentences_is_split():
    para = ('"From the NATO side, we are ready to engage in political dialogue. But we are also ready '
            'to respond," Stoltenberg said in Brussels.')
    assert segment_paragraph(para, "en") == [
        '"From the NATO side, we are ready to engage in political dialogue.',
        'But we are also ready to respond," Stoltenberg said in Brussels.',
    ]
    fr = "«\u00a0Nous sommes prêts. Mais nous restons prudents\u00a0», a déclaré M.\u00a0Lavrov."
    assert segment_paragraph(fr, "fr") == ["«\u00a0Nous sommes prêts.",
                                          "Mais nous restons prudents\u00a0», a déclaré M.\u00a0Lavrov."]


def test_quotation_ending_a_sentence_inside_the_quote():
    para = 'He said "we need to see that backed up by swift action." The talks went on.'
    assert segment_paragraph(para, "en") == ['He said "we need to see that backed up by swift action."',
                                            "The talks went on."]
    assert segment_paragraph('"Go home!" he said. She left.', "en") == ['"Go home!" he said.', "She left."]


def test_heading_paragraph_and_heading_line():
    doc = document_from_text("He spoke.\n\nENERGY SUPPLIES\n\nLavrov said he would meet Blinken.", "en")
    assert doc.texts == ["He spoke.", "ENERGY SUPPLIES", "Lavrov said he would meet Blinken."]
    # a heading line inside a paragraph does not run into the next sentence
    assert segment_paragraph("ENERGY SUPPLIES\nLavrov said so. He left.", "en") == [
        "ENERGY SUPPLIES", "Lavrov said so.", "He left."]
    assert segment_paragraph("# Energy supplies\nLavrov said so.", "en") == ["# Energy supplies",
                                                                            "Lavrov said so."]
    assert segment_paragraph("Items:\n- first item\n- second item", "en") == ["Items:", "- first item",
                                                                             "- second item"]


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_numbers_with_no_break_spaces(space):
    para = f"Elle a amassé plus de 100{space}000 soldats. Le ministère n'a pas répondu."
    assert segment_paragraph(para, "fr") == [f"Elle a amassé plus de 100{space}000 soldats.",
                                            "Le ministère n'a pas répondu."]


def test_french_abbreviations_and_spaced_punctuation():
    para = ("M. Lavrov a rencontré Mme Durand le 21 janv. à Genève. Quoi ? Vraiment ! "
            "Le taux est de 3,5 %. Voir p. 12 et suiv. pour les détails.")
    assert segment_paragraph(para, "fr") == [
        "M. Lavrov a rencontré Mme Durand le 21 janv. à Genève.", "Quoi ?", "Vraiment !",
        "Le taux est de 3,5 %.", "Voir p. 12 et suiv. pour les détails."]


# -- other languages -------------------------------------------------------------------------

def test_german():
    para = ("Herr Dr. Müller kam am 3. Oktober nach Berlin, z. B. mit dem Zug. Das kostet ca. 100 Euro "
            "bzw. mehr. Die Sitzung ist am 1. Jan. 2020 in der Str. 7 statt. Wir treffen uns um 10 Uhr. "
            "Bis dann!")
    assert segment_paragraph(para, "de") == [
        "Herr Dr. Müller kam am 3. Oktober nach Berlin, z. B. mit dem Zug.",
        "Das kostet ca. 100 Euro bzw. mehr.",
        "Die Sitzung ist am 1. Jan. 2020 in der Str. 7 statt.",
        "Wir treffen uns um 10 Uhr.",
        "Bis dann!",
    ]


def test_german_quotation_marks():
    para = ("Einige Ökonomen warnen, die Bank sei zu weit gegangen. „Wir haben den Höhepunkt noch nicht erreicht“, "
            "sagte Lagarde. Er fragte: „Kommst du?“ Sie kam. Das sagte z. B. „Faust“ oft.")
    assert segment_paragraph(para, "de") == [
        "Einige Ökonomen warnen, die Bank sei zu weit gegangen.",
        "„Wir haben den Höhepunkt noch nicht erreicht“, sagte Lagarde.",
        "Er fragte: „Kommst du?“",
        "Sie kam.",
        "Das sagte z. B. „Faust“ oft.",
    ]


def test_spanish():
    para = ("El Sr. García y la Sra. López llegaron a EE. UU. en 2010. ¿Qué hora es? ¡Es tarde! "
            "Véase la pág. 5 del documento. El Dr. Pérez llegó a las 5.")
    assert segment_paragraph(para, "es") == [
        "El Sr. García y la Sra. López llegaron a EE. UU. en 2010.",
        "¿Qué hora es?",
        "¡Es tarde!",
        "Véase la pág. 5 del documento.",
        "El Dr. Pérez llegó a las 5.",
    ]


@pytest.mark.parametrize(("lang", "sentences"), [
    # speech turns: a dialogue dash after a sentence's end starts a sentence; a dash inside one does not
    ("fr", ["Eleanor ne répondit pas.", "— Ah !", "— Qu'y a-t-il ?", "— De Frederick ? demanda Mrs Pell.", "— Oui."]),
    ("es", ["—Hola —dijo ella—.", "¿Vienes?", "—No lo sé.", "—¿Y tú?"]),
    ("en", ['"Then you will—"', '"I will wait until Michaelmas."', "The war – which began in 2014 – is not over."]),
    ("it", ["Il Sig. Rossi e la Dott.ssa Bianchi sono arrivati.", "Poi sono partiti."]),
    ("pt", ["O Sr. Silva e a Dra. Souza falaram com o Prof. Lima.", "Foi bom."]),
    ("nl", ["Dhr. Jansen en mevr. de Vries kwamen bijv. gisteren aan.", "Ze vertrokken snel."]),
    ("ru", ["А. С. Пушкин родился в Москве.", "Он был поэтом."]),
    ("ru", ["В 2023 г. цены выросли на 5 %.", "Проф. Иванов сказал: «Это важно».", "Он ушёл."]),
    ("sw", ["Rais alisema hivyo.", "Watu walikubali."]),
])
def test_other_languages(lang, sentences):
    assert segment_paragraph(" ".join(sentences), lang) == sentences


def test_cjk_enders_without_spaces():
    assert segment_paragraph("今天天气很好。我们去公园吧！你去吗？", "zh") == ["今天天气很好。", "我们去公园吧！", "你去吗？"]
    assert segment_paragraph("「行こう。」と彼は言った。雨だ。", "ja") == ["「行こう。」と彼は言った。", "雨だ。"]
    assert segment_paragraph("यह एक वाक्य है। यह दूसरा है।", "hi") == ["यह एक वाक्य है।", "यह दूसरा है।"]


# -- invariants and speed --------------------------------------------------------------------

_ALPHABET = st.sampled_from(list("abcXYZ  .!?\"'«»„“‚‘()-…,;:0123456789\u00a0\u202f\n\tMrsUSé。！？"))


def _visible(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=200), st.sampled_from(["en", "fr", "de", "es", "zh", "sw"]))
def test_no_text_is_lost(text, lang):
    for para in split_paragraphs(text):
        sentences = segment_paragraph(para, lang)
        assert _visible(" ".join(sentences)) == _visible(para)
        assert all(s and s == s.strip() for s in sentences)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["en", "fr", "pt", "ja"]))
def test_no_text_is_lost_any_unicode(text, lang):
    doc = document_from_text(text, lang)
    assert _visible(" ".join(doc.texts)) == _visible("".join(split_paragraphs(text)))
    assert [s.id for s in doc.sentences] == list(range(len(doc)))


def test_speed_on_a_long_text():
    base = (CORPUS / "en.txt").read_text(encoding="utf-8")
    text = "\n\n".join([base] * 120)  # about 5,000 sentences
    t0 = time.process_time()
    doc = document_from_text(text, "en")
    elapsed = time.process_time() - t0
    assert len(doc) == 43 * 120
    assert elapsed < 5.0
    one_paragraph = " ".join(base.split()) + " "
    t0 = time.process_time()
    sentences = segment_paragraph(one_paragraph * 120, "en")
    assert time.process_time() - t0 < 5.0
    assert len(sentences) > 40 * 120


@pytest.mark.parametrize("lang, text, expected", [
    # a word some lists hold as an abbreviation ends a sentence, but still holds before a number
    ("en", "He said no. Then he left.", ["He said no.", "Then he left."]),
    ("en", "She lives at No. 5 Main Street.", ["She lives at No. 5 Main Street."]),
    ("es", "Me dijo que no. Luego se fue.", ["Me dijo que no.", "Luego se fue."]),
    ("tr", "Hayır. Gelmiyorum.", ["Hayır.", "Gelmiyorum."]),
    # abbreviations of numbered things, in any language
    ("en", "The rule is stated (see p. 14) in vol. 3, ch. 7 of the code.",
     ["The rule is stated (see p. 14) in vol. 3, ch. 7 of the code."]),
    ("de", "Siehe Abb. 2 und Tab. 3 im Anhang. Das Büro liegt in der Goethestr. 5 im Zentrum.",
     ["Siehe Abb. 2 und Tab. 3 im Anhang.", "Das Büro liegt in der Goethestr. 5 im Zentrum."]),
    ("it", "Nel sec. XIX la città crebbe. Lo dice l'art. 5 della legge.",
     ["Nel sec. XIX la città crebbe.", "Lo dice l'art. 5 della legge."]),
    # Ukrainian borrows the Russian list, with its own abbreviations
    ("uk", "За словами проф. Шевченка, закон діє. Див. ст. 5 Конституції.",
     ["За словами проф. Шевченка, закон діє.", "Див. ст. 5 Конституції."]),
    # scripts without capitals: initials, a quotation's speaker, an ellipsis inside a sentence
    ("hi", "डॉ. शर्मा आए। श्री ए. के. सिंह भी उपस्थित थे।", ["डॉ. शर्मा आए।", "श्री ए. के. सिंह भी उपस्थित थे।"]),
    ("hi", 'कोई नहीं जानता। "क्या तुम आ रहे हो?" उसने पूछा।', ["कोई नहीं जानता।", '"क्या तुम आ रहे हो?" उसने पूछा।']),
    ("ar", "«هل أنت قادم؟» سألها. انتظر... ثم انتظر.", ["«هل أنت قادم؟» سألها.", "انتظر... ثم انتظر."]),
    # the Greek question mark, typed as a semicolon or as U+037E; a semicolon elsewhere is none
    ("el", "Γιατί; Κανείς δεν ξέρει. Πού πας\u037e Στο σπίτι.", ["Γιατί;", "Κανείς δεν ξέρει.", "Πού πας\u037e", "Στο σπίτι."]),
    ("en", "He came; Mary left.", ["He came; Mary left."]),
    # German ordinals go on, a small number before an article or a pronoun ends its sentence
    ("de", "Am 3. Oktober beginnt die Sitzung im Raum Nr. 12. Sie dauert bis zum 5. Die Kosten trägt Prof. Dr. med. H. Schmidt.",
     ["Am 3. Oktober beginnt die Sitzung im Raum Nr. 12.", "Sie dauert bis zum 5.",
      "Die Kosten trägt Prof. Dr. med. H. Schmidt."]),
    # a German quotation closed after a question, then a new sentence
    ("de", "„Hallo? Ist da jemand?“ Niemand antwortete.", ["„Hallo?", "Ist da jemand?“", "Niemand antwortete."]),
    # Korean dates
    ("ko", "회의는 2024. 3. 12. 서울에서 열렸다. \"올 거야?\" 그가 물었다.",
     ["회의는 2024. 3. 12. 서울에서 열렸다.", "\"올 거야?\" 그가 물었다."]),
])
def test_language_conventions(lang, text, expected):
    assert segment_paragraph(text, lang) == expected


def test_numbered_list_items_are_sentences_of_their_own():
    text = "Steps:\n1. Install the software.\n2) Restart the computer.\n3. Open the app"
    assert segment_paragraph(text, "en") == ["Steps:", "1. Install the software.", "2) Restart the computer.",
                                             "3. Open the app"]
    # a number ending a sentence inside prose stays where it is
    assert segment_paragraph("He turned 85. The party was nice.", "en") == ["He turned 85.", "The party was nice."]


@pytest.mark.parametrize("lang, text, expected", [
    ("hy", "Բարեւ։ Ես լավ եմ։", ["Բարեւ։", "Ես լավ եմ։"]),                         # Armenian full stop
    ("ur", "میں گھر جا رہا ہوں۔ آپ کہاں ہیں؟", ["میں گھر جا رہا ہوں۔", "آپ کہاں ہیں؟"]),  # Urdu full stop
    ("ka", "გამარჯობა. როგორ ხარ? კარგად.", ["გამარჯობა.", "როგორ ხარ?", "კარგად."]),  # no capitals
    ("zh", "我今天去了商店.你呢?价格是3.5元。", ["我今天去了商店.", "你呢?", "价格是3.5元。"]),  # half-width
    # invisible characters before a sentence neither hide its start nor get lost
    ("en", "First one.\u200b Second one.", ["First one.", "\u200b Second one."]),
    ("he", "שלום עולם. \u200fמה שלומך?", ["שלום עולם.", "\u200fמה שלומך?"]),
])
def test_sentence_ends_of_more_scripts(lang, text, expected):
    assert segment_paragraph(text, lang) == expected
