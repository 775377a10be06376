"""Scoring aligned links: calibrated similarity x check penalties -> fidelity and label.

    fidelity = fid_sim x prod over flags (1 - weight_check x score_check); a graded check weighs
               below its threshold too
    label    = omission / addition for a one-sided link; else major if fid_sim < major_threshold (in a
               document, also major_z spreads below its median link, a short link's spread
               widened), or a flagged link's penalised fidelity < 0.6 x major_threshold (in a
               batch, any link's), or a check with major=true flagged it;
               else minor if fidelity < equivalent_threshold or a decisive check flagged it;
               else equivalent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry
from workbench.fidelity.calibrate import (
    anchors,
    calibrate,
    calibration_record,
    fixed_anchors,
    resolve_calibration,
    robust_spread,
)
from workbench.fidelity.checks.glossary import load_glossary
from workbench.fidelity.checks.length import log_ratio
from workbench.fidelity.config import FidelityConfig
from workbench.fidelity.summary import signature, summarise
from workbench.records import SCORED_COLUMNS, Document, Flag, flags_to_json, parse_ids


@dataclass
class ScoreResult:
    table: pd.DataFrame
    summary: dict
    signature: str
    #: what this run measured (or the calibration it was given): save it to score another run on this scale
    calibration: dict = field(default_factory=dict)


def _combine(rows: list[np.ndarray]) -> np.ndarray:
    v = np.mean(rows, axis=0)
    n = np.linalg.norm(v)
    return v / n if n else v


def _link_embeddings(src_ids, tgt_ids, src_emb: np.ndarray, tgt_emb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dim = src_emb.shape[1] if src_emb.ndim == 2 else tgt_emb.shape[1]
    S = np.zeros((len(src_ids), dim), dtype=np.float32)
    T = np.zeros((len(tgt_ids), dim), dtype=np.float32)
    for k, (s, t) in enumerate(zip(src_ids, tgt_ids, strict=True)):
        if s:
            S[k] = _combine([src_emb[i] for i in s])
        if t:
            T[k] = _combine([tgt_emb[i] for i in t])
    return S, T


def _short_widening(src_texts, tgt_texts, short_words: int) -> np.ndarray:
    """Per link, the factor its similarity spread is widened by: sqrt(short_words / words) on the
    shorter side, between 1 and 2 (a one-sided link: 1)."""
    from workbench.fidelity.langdata import word_count

    n = np.array([min(word_count(a), word_count(b)) if a and b else short_words
                  for a, b in zip(src_texts, tgt_texts, strict=True)], dtype=float)
    return np.clip(np.sqrt(short_words / np.maximum(n, 1.0)), 1.0, 2.0)


def _dominant_scripts(src_texts, tgt_texts) -> tuple[frozenset[str], frozenset[str]]:
    from workbench.fidelity.langdata import scripts

    return scripts(" ".join(src_texts)[:5000], 0.5), scripts(" ".join(tgt_texts)[:5000], 0.5)


def _score(table: pd.DataFrame, src_lang: str, tgt_lang: str, S: np.ndarray, T: np.ndarray, *,
           encoder, config: FidelityConfig | None, glossary, document: bool, n_sentences: int,
           references: list[str] | None = None, n_src: int | None = None,
           calibration: dict | None = None) -> ScoreResult:
    config = config or FidelityConfig()
    table = table.reset_index(drop=True).copy()
    src_ids = [parse_ids(v) for v in table["src_ids"]]
    tgt_ids = [parse_ids(v) for v in table["tgt_ids"]]
    table["src_ids"], table["tgt_ids"] = src_ids, tgt_ids
    table["src_text"] = table["src_text"].fillna("").astype(str)
    table["tgt_text"] = table["tgt_text"].fillna("").astype(str)
    both = np.array([bool(s) and bool(t) for s, t in zip(src_ids, tgt_ids, strict=True)], dtype=bool)
    sims = np.einsum("ij,ij->i", S, T).astype(float)
    sims[~both] = 0.0
    table["similarity"] = np.where(both, np.round(sims, 6), table.get("similarity", 0.0))
    if "confidence" not in table:
        table["confidence"] = 1.0

    encoder_id = getattr(encoder, "id", None)
    ratios = np.array([log_ratio(a, b) for a, b in zip(table["src_text"][both], table["tgt_text"][both], strict=True)])
    enough = len(ratios) >= config.min_links_for_document
    src_scripts, tgt_scripts = _dominant_scripts(table["src_text"][both], table["tgt_text"][both])
    same_script = bool(src_scripts & tgt_scripts)
    if calibration is not None:  # a saved calibration stands in for what these links would give
        calib = fixed_anchors(calibration, encoder_id, src_lang, tgt_lang)
        length = float(calibration["length_center"]), float(calibration["length_spread"])
    else:
        calib = anchors(sims[both], S[both], T[both], config, encoder_id, document, same_script=same_script)
        length = (float(np.median(ratios)), robust_spread(ratios, 0.12)) if enough else (0.1, 0.25)
    ctx = DocContext(
        src_lang=src_lang, tgt_lang=tgt_lang, encoder=encoder, src_emb=S, tgt_emb=T,
        typical_similarity=float(calib["typical"]), unrelated_similarity=float(calib["unrelated"]),
        similarity_spread=float(calib["spread"]),
        length_center=length[0], length_spread=length[1],
        # a saved calibration's length ratio counts only if its run measured one (see calibration_record)
        # (characters compare within one script, or where a side has no letters to tell)
        length_known=(calibration.get("length_measured", True) if calibration is not None else enough)
        or same_script or not src_scripts or not tgt_scripts,
        encode_budget=max(config.min_encode_budget, int(math.floor(config.encode_budget * n_sentences)))
        if encoder is not None else 0,
        glossary=load_glossary(glossary) if not isinstance(glossary, list) else glossary,
        document=document, calibration=dict((calibration or {}).get("checks", {})),
    )
    cases = [LinkCase(k, table.at[k, "src_text"], table.at[k, "tgt_text"], float(sims[k]))
             for k in range(len(table)) if both[k]]

    fid_sim = calibrate(sims, ctx.typical_similarity, ctx.unrelated_similarity)
    fidelity = np.where(both, fid_sim, 0.0)
    decisive = np.zeros(len(table), dtype=bool)
    forced_major = np.zeros(len(table), dtype=bool)
    flags: list[list[Flag]] = [[] for _ in range(len(table))]
    extra: dict[str, np.ndarray] = {}
    for name in config.enabled_checks():
        cls = check_registry.get(name)
        check: Check = cls(config.check_settings(name))
        if cls.needs_encoder and encoder is None:
            continue
        results: list[CheckResult | None] = check.score_all(cases, ctx)
        col = np.full(len(table), np.nan)
        for case, res in zip(cases, results, strict=True):
            if res is None:
                continue
            col[case.index] = round(res.score, 4)
            flagged = res.score >= check.settings["threshold"] and res.score > 0
            if flagged or (check.settings["graded"] and res.score > 0):
                fidelity[case.index] *= 1.0 - check.settings["weight"] * res.score
            if flagged:
                flags[case.index].append(Flag(name, res.message, round(float(res.score), 3), res.src_spans, res.tgt_spans))
                # decisive_at: a check whose strong findings decide the label while weak ones only weigh
                if check.settings["decisive"] or res.score >= check.settings.get("decisive_at", 2.0):
                    decisive[case.index] = True
                if check.settings["major"]:
                    forced_major[case.index] = True
        extra[f"check_{name}"] = col

    # where the document calibrates, similarity alone makes a link minor only well below its median
    by_document = calib["typical_from"] == "document"
    sim_z = (np.asarray(sims, dtype=float) - float(calib["typical"])) / (
        max(float(calib["spread"]), 1e-6) * _short_widening(table["src_text"], table["tgt_text"], config.short_words))
    labels = []
    for k in range(len(table)):
        if not src_ids[k] and not tgt_ids[k]:
            labels.append("equivalent")
        elif not tgt_ids[k]:
            labels.append("omission")
        elif not src_ids[k]:
            labels.append("addition")
        elif (fid_sim[k] < config.major_threshold and (not by_document or sim_z[k] < -config.major_z)) \
                or (fidelity[k] < config.major_threshold * 0.6 and (flags[k] or not by_document)) or forced_major[k]:
            labels.append("major")
        elif decisive[k] or (fidelity[k] < config.equivalent_threshold and (flags[k] or not by_document
                                                                               or sim_z[k] < -config.minor_z)):
            labels.append("minor")
        else:
            labels.append("equivalent")
    if document and config.detect_moves:
        _flag_moves(src_ids, tgt_ids, list(table["src_text"]), list(table["tgt_text"]), S, T, calib, config, flags,
                    fidelity)
    table["fidelity"] = np.round(np.clip(fidelity, 0.0, 1.0), 4)
    table["label"] = labels
    table["flags"] = [flags_to_json(f) for f in flags]
    table["fid_similarity"] = np.round(np.where(both, fid_sim, np.nan), 4)
    for k, v in extra.items():
        table[k] = v

    summary = summarise(table, n_src)
    summary["calibration"] = {**calib, "length_center": round(ctx.length_center, 4),
                              "length_spread": round(ctx.length_spread, 4)}
    summary["encoded_extra"] = int(ctx.stats.get("partial_encoded", 0))
    if references is not None:
        _add_reference_scores(table, references, summary)
    others = [c for c in table.columns if c not in SCORED_COLUMNS]
    table = table[SCORED_COLUMNS + others]
    sig = signature(config, encoder_id, calib)
    summary["signature"] = sig
    record = calibration if calibration is not None else calibration_record(
        encoder_id, src_lang, tgt_lang, calib, ctx.length_center, ctx.length_spread, ctx.learned, measured=enough)
    return ScoreResult(table, summary, sig, record)


def _flag_moves(src_ids, tgt_ids, src_texts, tgt_texts, S, T, calib, config: FidelityConfig,
                flags: list[list[Flag]], fidelity: np.ndarray) -> None:
    """Flag omitted sentences translated elsewhere; both links get the fidelity of the pair (the meaning is
    there, only its place changed), so a moved paragraph does not count as lost twice."""
    from workbench.fidelity.moves import describe, find_moves, substantial

    omissions = [k for k in range(len(src_ids)) if src_ids[k] and not tgt_ids[k] and substantial(src_texts[k])]
    additions = [k for k in range(len(src_ids)) if tgt_ids[k] and not src_ids[k] and substantial(tgt_texts[k])]
    for o, a, sim, fid in find_moves(omissions, additions, S, T, float(calib["typical"]), float(calib["unrelated"]),
                                     config.equivalent_threshold):
        sid, tid = list(src_ids[o]), list(tgt_ids[a])
        fidelity[o] = fidelity[a] = fid
        flags[o].append(Flag("moved", f"translated elsewhere, as {describe(tid, 'target')} (similarity {sim:.2f})",
                             1.0))
        flags[a].append(Flag("moved", f"translates {describe(sid, 'source')}, moved here (similarity {sim:.2f})",
                             1.0))


def _add_reference_scores(table: pd.DataFrame, references: list[str], summary: dict[str, Any]) -> None:
    import sacrebleu

    if len(references) != len(table):
        from workbench.errors import FormatError

        raise FormatError(f"the reference has {len(references)} segments for {len(table)} links")
    hyps = table["tgt_text"].tolist()
    table["chrf"] = [round(sacrebleu.sentence_chrf(h, [r]).score, 2) if h and r else np.nan
                     for h, r in zip(hyps, references, strict=True)]
    table["bleu"] = [round(sacrebleu.sentence_bleu(h, [r]).score, 2) if h and r else np.nan
                     for h, r in zip(hyps, references, strict=True)]
    out = {}
    for metric in (sacrebleu.BLEU(), sacrebleu.CHRF(), sacrebleu.TER()):
        res = metric.corpus_score(hyps, [references])
        out[metric.__class__.__name__.lower()] = {"score": round(res.score, 2), "signature": str(metric.get_signature())}
    summary["reference"] = out


def _references_for(table: pd.DataFrame, reference) -> list[str] | None:
    if reference is None:
        return None
    if isinstance(reference, Document):
        texts = reference.texts
        # every target sentence is in one link: the highest id tells the target's length
        n_tgt = 1 + max((i for t in table["tgt_ids"] for i in parse_ids(t)), default=-1)
        if len(texts) != n_tgt:
            from workbench.errors import FormatError

            raise FormatError(f"the reference has {len(texts)} sentences, the target {n_tgt}: "
                              "it must be segmented like the target, one sentence for each")
        return [" ".join(texts[i] for i in parse_ids(t)) for t in table["tgt_ids"]]
    return [str(r) for r in reference]


def _calibrated(score, calibration, encoder, src_lang: str, tgt_lang: str, sources) -> ScoreResult:
    """Run `score(record)` on the calibration `calibration` resolves to (see resolve_calibration),
    note where it came from in the summary, and remember the one measured if asked."""
    record, origin, remember = resolve_calibration(calibration, encoder, src_lang, tgt_lang, sources)
    res = score(record)
    res.summary["calibration"]["from"] = origin
    if remember is not None:
        remember(res.calibration)
    return res


def score_alignment(table: pd.DataFrame, src: Document, tgt: Document, *, src_emb: np.ndarray, tgt_emb: np.ndarray,
                    encoder=None, config: FidelityConfig | None = None,
                    glossary: str | Path | dict | None = None,
                    reference: Document | list[str] | None = None, calibration: dict | str | None = None
                    ) -> ScoreResult:
    """Score every link of an alignment table (see the module doc); embeddings are per sentence.
    `calibration`: one saved from another run (`ScoreResult.calibration`), to score on its scale,
    or "auto" / "fresh" to use / renew the one remembered for this source text (calibrate.py)."""
    src_ids = [parse_ids(v) for v in table["src_ids"]]
    tgt_ids = [parse_ids(v) for v in table["tgt_ids"]]
    S, T = _link_embeddings(src_ids, tgt_ids, np.asarray(src_emb, dtype=np.float32), np.asarray(tgt_emb, dtype=np.float32))
    return _calibrated(
        lambda record: _score(table, src.lang, tgt.lang, S, T, encoder=encoder, config=config, glossary=glossary,
                              document=True, n_sentences=len(src) + len(tgt),
                              references=_references_for(table, reference), n_src=len(src), calibration=record),
        calibration, encoder, src.lang, tgt.lang, src.texts)


def _mark_blank_rows(res: ScoreResult, blank: list[bool]) -> None:
    """A row with both cells empty keeps its place (its other columns, an id, must survive) but holds
    nothing to compare: nothing is lost, so fidelity 1 and `equivalent`, with a note saying why."""
    if not any(blank):
        return
    note = flags_to_json([Flag("empty", "both cells are empty: nothing to compare", 0.0)])
    mask = np.array(blank)
    res.table.loc[mask, "fidelity"] = 1.0
    res.table.loc[mask, "label"] = "equivalent"
    res.table.loc[mask, "flags"] = note
    kept = {k: res.summary[k] for k in ("calibration", "encoded_extra", "signature", "reference") if k in res.summary}
    res.summary.clear()
    res.summary.update(summarise(res.table) | kept)


def score_pairs(frame: pd.DataFrame, src_col: str, tgt_col: str, src_lang: str, tgt_lang: str, *, encoder,
                config: FidelityConfig | None = None, glossary: str | Path | dict | None = None,
                calibration: dict | str | None = None) -> ScoreResult:
    """Score pairs already aligned, one a row; the frame's other columns are kept in front.
    `calibration`: one saved from another batch (`ScoreResult.calibration`), to score on its scale,
    or "auto" / "fresh" to use / renew the one remembered for these sources (calibrate.py)."""
    frame = frame.reset_index(drop=True)
    if not len(frame):
        from workbench.errors import FormatError

        raise FormatError("no rows to score")
    src = frame[src_col].fillna("").astype(str).tolist()
    tgt = frame[tgt_col].fillna("").astype(str).tolist()
    S = encoder.encode(src)
    T = encoder.encode(tgt)
    n = len(frame)
    table = pd.DataFrame({
        "link": range(n),
        "src_ids": [[i] if src[i].strip() else [] for i in range(n)],
        "tgt_ids": [[i] if tgt[i].strip() else [] for i in range(n)],
        "src_text": src, "tgt_text": tgt, "similarity": 0.0, "confidence": 1.0,
    })
    res = _calibrated(
        lambda record: _score(table, src_lang, tgt_lang, np.asarray(S, dtype=np.float32),
                              np.asarray(T, dtype=np.float32), encoder=encoder, config=config, glossary=glossary,
                              document=False, n_sentences=2 * n, calibration=record),
        calibration, encoder, src_lang, tgt_lang, sorted({t for t in src if t.strip()}))
    _mark_blank_rows(res, [not a.strip() and not b.strip() for a, b in zip(src, tgt, strict=True)])
    # the input's other columns are kept; one named like an output column (a gold `label`) is kept as input_<name>
    keep = frame.drop(columns=[src_col, tgt_col])
    keep = keep.rename(columns={c: f"input_{c}" for c in keep.columns if c in res.table.columns})
    res.table = pd.concat([keep, res.table], axis=1)
    return res
