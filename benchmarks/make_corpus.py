"""Generate a corpus of document pairs for the batch benchmark and tests, from the bundled flagship pair.

Each pair is a window of the gold links of `corpora/reuters-2022-01-28-ukraine` (en.sents,
fr.sents, gold.align), cut into blocks of a few links whose order is shuffled, with some links
dropped on one side (a new omission or addition), grouped into paragraphs. So the pairs differ in
length, order and divergences while every sentence is a real translation. The files go to a folder
outside the repo (a new temporary one by default) with a `manifest.csv`.

    python benchmarks/make_corpus.py --pairs 200 --out /tmp/corpus
    python benchmarks/make_corpus.py --pairs 20 --bad 4      # plus 4 broken pairs (missing, empty, ...)
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import tempfile
from pathlib import Path

FLAGSHIP = Path(__file__).resolve().parent.parent / "corpora" / "reuters-2022-01-28-ukraine"


def _load_flagship(folder: Path = FLAGSHIP) -> tuple[list[str], list[str], list[tuple[list[int], list[int]]]]:
    en = (folder / "en.sents").read_text(encoding="utf-8").splitlines()
    fr = (folder / "fr.sents").read_text(encoding="utf-8").splitlines()
    links = []
    for line in (folder / "gold.align").read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"\s*\[([\d,\s]*)\]:\[([\d,\s]*)\]\s*", line)
        if m:
            links.append(tuple([int(x) for x in g.split(",") if x.strip()] for g in m.groups()))
    return en, fr, links  # type: ignore[return-value]


def make_pair(rng: random.Random, en: list[str], fr: list[str], links: list, min_links: int, max_links: int,
              drop: float) -> tuple[str, str]:
    """The source and target texts of one generated pair (paragraphs separated by blank lines)."""
    n = rng.randint(min(min_links, len(links)), min(max_links, len(links)))
    start = rng.randint(0, len(links) - n)
    window = links[start:start + n]
    blocks, k = [], 0
    while k < len(window):
        size = rng.randint(2, 4)
        blocks.append(window[k:k + size])
        k += size
    rng.shuffle(blocks)
    src_paras, tgt_paras = [], []
    for block in blocks:
        src_par, tgt_par = [], []
        for src_ids, tgt_ids in block:
            r = rng.random()
            if r < drop / 2 and src_ids:
                tgt_ids = []  # a new omission
            elif r < drop and tgt_ids:
                src_ids = []  # a new addition
            src_par += [en[i] for i in src_ids]
            tgt_par += [fr[i] for i in tgt_ids]
        if src_par:
            src_paras.append(" ".join(src_par))
        if tgt_par:
            tgt_paras.append(" ".join(tgt_par))
    if not src_paras:
        src_paras = [en[window[0][0][0]] if window[0][0] else en[0]]
    if not tgt_paras:
        tgt_paras = [fr[0]]
    return "\n\n".join(src_paras) + "\n", "\n\n".join(tgt_paras) + "\n"


def make_corpus(out_dir: str | Path, n_pairs: int = 200, seed: int = 0, min_links: int = 6, max_links: int = 30,
                drop: float = 0.1, bad: int = 0) -> Path:
    """Write `n_pairs` generated pairs (+ `bad` broken ones) under `out_dir`; return the manifest's path."""
    out = Path(out_dir)
    (out / "en").mkdir(parents=True, exist_ok=True)
    (out / "fr").mkdir(parents=True, exist_ok=True)
    en, fr, links = _load_flagship()
    rows = []
    for k in range(n_pairs):
        rng = random.Random(seed * 1_000_003 + k)
        src, tgt = make_pair(rng, en, fr, links, min_links, max_links, drop)
        pid = f"doc{k:04d}"
        (out / "en" / f"{pid}.en.txt").write_text(src, encoding="utf-8")
        (out / "fr" / f"{pid}.fr.txt").write_text(tgt, encoding="utf-8")
        rows.append([pid, f"en/{pid}.en.txt", f"fr/{pid}.fr.txt", "en", "fr"])
    kinds = ["missing", "empty", "binary", "language"]
    for k in range(bad):
        pid, kind = f"bad{k:03d}-{kinds[k % 4]}", kinds[k % 4]
        (out / "en" / f"{pid}.en.txt").write_text(en[k % len(en)] + "\n", encoding="utf-8")
        tgt_path = out / "fr" / f"{pid}.fr.txt"
        if kind == "empty":
            tgt_path.write_text("\n  \n", encoding="utf-8")
        elif kind == "binary":
            tgt_path.write_bytes(b"\x00\x01\x02\xff" * 64)
        elif kind != "missing":
            tgt_path.write_text(fr[k % len(fr)] + "\n", encoding="utf-8")
        rows.append([pid, f"en/{pid}.en.txt", f"fr/{pid}.fr.txt", "en", "xx-unknown" if kind == "language" else "fr"])
    with open(out / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "src", "tgt", "src_lang", "tgt_lang"])
        w.writerows(rows)
    return out / "manifest.csv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=200)
    ap.add_argument("--bad", type=int, default=0, help="also write this many broken pairs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--min-links", type=int, default=6)
    ap.add_argument("--max-links", type=int, default=30)
    ap.add_argument("--out", default=None, help="folder to write (default: a new temporary folder)")
    args = ap.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="workbench-corpus-")
    manifest = make_corpus(out, args.pairs, args.seed, args.min_links, args.max_links, bad=args.bad)
    print(manifest)


if __name__ == "__main__":
    main()
