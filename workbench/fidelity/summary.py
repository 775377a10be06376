"""Document-level figures and the reproducibility signature."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pandas as pd

from workbench.fidelity.config import FidelityConfig
from workbench.records import LABELS, flags_from_json


def _words(text: str) -> int:
    return len(str(text).split())


def summarise(table: pd.DataFrame, n_src: int | None = None) -> dict[str, Any]:
    n_links = len(table)
    src_words = table["src_text"].map(_words).astype(int)  # int even when the table is empty
    has_src = table["src_ids"].map(len) > 0
    has_tgt = table["tgt_ids"].map(len) > 0
    flag_lists = [flags_from_json(f) for f in table["flags"]]
    moved = pd.Series([any(f.check == "moved" for f in fl) for fl in flag_lists], index=table.index)
    translated = has_src & (has_tgt | moved)  # a moved sentence is translated, elsewhere
    n_src_sent = int(table.loc[has_src, "src_ids"].map(len).sum()) if n_src is None else n_src
    covered_sent = int(table.loc[translated, "src_ids"].map(len).sum())
    total_words = int(src_words[has_src].sum())
    # overall fidelity: source-word-weighted mean, untranslated source counting 0, additions weighed by target words
    # (a moved sentence counts once, on its source side)
    weights = src_words.where(has_src, table["tgt_text"].map(_words).where(~moved, 0)).astype(float)
    fid = table["fidelity"].astype(float)
    overall = float((fid * weights).sum() / weights.sum()) if weights.sum() else 1.0
    flag_counts: Counter[str] = Counter()
    for fl in flag_lists:
        for flag in fl:
            flag_counts[flag.check] += 1
    labels = Counter(table["label"])
    return {
        "links": n_links,
        "fidelity": round(overall, 4),
        "mean_link_fidelity": round(float(fid.mean()), 4) if n_links else 1.0,
        "coverage": {
            "sentences": round(covered_sent / n_src_sent, 4) if n_src_sent else 1.0,
            "words": round(int(src_words[translated].sum()) / total_words, 4) if total_words else 1.0,
        },
        "labels": {lab: int(labels.get(lab, 0)) for lab in LABELS},
        "flags": dict(sorted(flag_counts.items())),
        "flagged_links": int(sum(1 for fl in flag_lists if fl)),
    }


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "none"


def signature(config: FidelityConfig, encoder_id: str | None, calib: dict[str, Any]) -> str:
    """Like sacrebleu's: every setting that changes the scores, in one line."""
    from workbench import __version__
    from workbench.fidelity.base import check_registry

    parts = [f"enc:{encoder_id or 'none'}",
             f"eq:{config.equivalent_threshold:g}", f"major:{config.major_threshold:g}",
             f"minor_z:{config.minor_z:g}", f"major_z:{config.major_z:g}", f"short:{config.short_words}",
             f"typ:{calib['typical']:g}({calib['typical_from']})",
             f"unrel:{calib['unrelated']:g}({calib['unrelated_from']})",
             *([f"calib:{calib['calibration']}"] if calib.get("calibration") else []),
             f"budget:{config.encode_budget:g}/{config.min_encode_budget}",
             f"moves:{'on' if config.detect_moves else 'off'}"]
    checks = []
    for name in check_registry.names():
        s = config.check_settings(name)
        if not s["enabled"]:
            checks.append(f"{name}=off")
            continue
        extra = {k: v for k, v in s.items() if k != "enabled"}
        checks.append(name + "(" + ",".join(f"{k}={json.dumps(v)}" for k, v in sorted(extra.items())) + ")")
    parts.append("checks:" + "+".join(checks))
    if config.check_settings("names")["enabled"]:
        parts.append(f"wordfreq:{_version('wordfreq')}")  # its word lists weigh unmatched names
    parts.append(f"version:workbench-{__version__}")
    return "|".join(parts)
