"""Calibration of encoder similarity into a [0, 1] fidelity.

    x       = (s - unrelated) / (typical - unrelated)
    fid_sim = clip(x, 0, knee)                                   for x <= knee (0.9)
              1 - (1 - knee) * exp(-(x - knee) / (1 - knee))     above: rises towards 1, never reaches it

`typical` is the similarity of a normal translation link: the median link of the document
when it has enough links; for a batch of pairs, the encoder's known value (e5: 0.92) or the
batch's upper quartile if that is lower (a distant language pair); for an unknown encoder, the
batch's upper quartile. `unrelated` is the mean similarity of mismatched pairs
of the same document or batch (source i against target j != i, never two rows of one source),
so it follows the encoder and the topic. Length ratios are centred and scaled the same way (median, scaled MAD).

These anchors, and the statistics batch-relative checks learn (latent terms), make a *calibration*.
Saved from one run (`--save-calibration FILE`) and given to another (`--calibration FILE`), it
replaces what the second run would measure on its own links, so scores of separate runs (two MT
systems, an original and its edited versions) are on one scale. The CLI also remembers, in the
embedding cache, the calibration measured on each set of source sentences (`calibration="auto"`):
a later run on the same sources, language pair and encoder is scored on that scale unless asked
for a fresh one, since a translation's scores should not depend on which other versions happened
to share its run; so is a run on a part of them (COVERING_SHARE of its sources among a remembered
run's: a chapter of a book scored before, the pairs of one kind of edit).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from workbench.errors import FormatError, InputFileError
from workbench.fidelity.config import ENCODER_ANCHORS, FidelityConfig

CALIBRATION_FORMAT = "workbench-calibration/1"
#: e5's scatter of faithful links' similarity (1.4826 x MAD): 0.026 on the de-fr dev gold links and on
#: the literary pair's, 0.018 on the flagship's 38, 0.016-0.020 on the 30-44-link documents of
#: tests/data/faithful; the floor keeps a tight short document from calling loose renderings divergent
SPREAD_FLOOR = 0.025
_CALIBRATION_NUMBERS = ("typical", "unrelated", "spread", "length_center", "length_spread")


def encoder_anchors(encoder_id: str | None) -> tuple[float, float] | None:
    eid = (encoder_id or "").lower()
    for key, value in ENCODER_ANCHORS.items():
        if eid.startswith(key) or f":{key}" in eid or f"/{key}" in eid:
            return value
    return None


def mismatched_similarity(S: np.ndarray, T: np.ndarray, max_pairs: int = 4000, seed: int = 0) -> float | None:
    """Mean similarity of a source with another row's target. Rows that share their source (versions
    of one translation in one batch) are not mismatched: such pairs are left out."""
    n = len(S)
    if n < 2:
        return None
    _, group = np.unique(np.ascontiguousarray(S).view(np.dtype((np.void, S.dtype.itemsize * S.shape[1]))),
                         return_inverse=True)
    group = group.ravel()
    if len(set(group.tolist())) < 2:
        return None
    rng = np.random.default_rng(seed)
    i = rng.integers(0, n, size=min(max_pairs, n * (n - 1)))
    j = (i + rng.integers(1, n, size=len(i))) % n
    keep = group[i] != group[j]
    return float(np.mean(np.einsum("ij,ij->i", S[i[keep]], T[j[keep]])))


def robust_spread(x: np.ndarray, floor: float) -> float:
    if len(x) < 3:
        return floor
    return max(float(1.4826 * np.median(np.abs(x - np.median(x)))), floor)


def anchors(sims: np.ndarray, S: np.ndarray, T: np.ndarray, config: FidelityConfig, encoder_id: str | None,
            document: bool, same_script: bool = False) -> dict[str, float | str]:
    """typical / unrelated similarity, spread, and where each came from. `same_script`: both sides
    are written in one script, where the encoder's known level holds (e5: en-fr, en-de, en-es all
    near 0.92), so a low upper quartile means divergent pairs, not a distant language pair."""
    known = encoder_anchors(encoder_id)
    enough = len(sims) >= config.min_links_for_document
    src = {}
    if config.typical_similarity is not None:
        typical, src["typical"] = config.typical_similarity, "config"
    elif document and enough:
        typical, src["typical"] = float(np.median(sims)), "document"
    elif known and len(sims) >= config.min_pairs_for_batch and not same_script:
        # a batch of pairs, of which many may diverge. The encoder's known level (measured on en-fr) is
        # what close language pairs reach; a distant pair sits lower (e5: faithful en-zh pairs near 0.86),
        # which the batch's upper quartile shows. The lower of the two; never above the known level, so
        # a batch of near-identical pairs does not raise the bar for all of them.
        q75 = float(np.quantile(sims, 0.75))
        typical, src["typical"] = (q75, "document" if document else "batch") if q75 < known[0] else (known[0], "encoder")
    elif known:
        typical, src["typical"] = known[0], "encoder"
    elif len(sims):
        typical, src["typical"] = float(np.quantile(sims, 0.75)), "batch"
    else:
        typical, src["typical"] = 0.9, "default"
    unrelated = config.unrelated_similarity
    src["unrelated"] = "config"
    if unrelated is None:
        unrelated = mismatched_similarity(S, T) if len(S) >= 10 else None
        src["unrelated"] = "document" if document else "batch"
        if unrelated is None:
            unrelated = known[1] if known else typical - 0.2
            src["unrelated"] = "encoder" if known else "default"
    if unrelated >= typical - 0.01:
        unrelated = typical - 0.05
    # (never below SPREAD_FLOOR: a short document's faithful links may sit closer together than e5's
    # usual scatter, and every loose rendering would then stand out)
    spread = robust_spread(sims, SPREAD_FLOOR) if enough else max((typical - unrelated) / 8, SPREAD_FLOOR)
    return {"typical": round(typical, 4), "unrelated": round(unrelated, 4), "spread": round(spread, 4),
            "typical_from": src["typical"], "unrelated_from": src["unrelated"]}


#: below the knee fidelity is linear in similarity; the label thresholds (0.85, 0.6) lie there
KNEE = 0.9


def calibrate(sims: np.ndarray, typical: float, unrelated: float) -> np.ndarray:
    """Similarity -> fidelity in [0, 1), strictly increasing above `unrelated`.

    A hard clip at 1 would give every link above the typical similarity the same fidelity,
    so two translations of one source could not be ranked; the exponential tail keeps the
    encoder's order (slope 1 at the knee, so the curve is smooth there).
    """
    x = (np.asarray(sims, dtype=float) - unrelated) / (typical - unrelated)
    tail = 1.0 - (1.0 - KNEE) * np.exp(-(np.maximum(x, KNEE) - KNEE) / (1.0 - KNEE))
    return np.where(x <= KNEE, np.clip(x, 0.0, None), tail)


# ---------------------------------------------------------------- saved calibrations


def calibration_record(encoder_id: str | None, src_lang: str, tgt_lang: str, calib: dict[str, Any],
                       length_center: float, length_spread: float, learned: dict[str, Any],
                       measured: bool = True) -> dict[str, Any]:
    """What a run measured on its own links, as JSON-ready data (see `read_calibration`).
    `measured`: the length ratio's centre and spread come from the run's links, not defaults (too
    few links); a run scored on the record trusts them only then."""
    return {"format": CALIBRATION_FORMAT, "encoder": encoder_id, "src_lang": src_lang, "tgt_lang": tgt_lang,
            **{k: calib[k] for k in ("typical", "typical_from", "unrelated", "unrelated_from", "spread")},
            "length_center": float(length_center), "length_spread": float(length_spread),
            "length_measured": bool(measured), "checks": learned}


def calibration_digest(record: dict[str, Any]) -> str:
    return hashlib.sha1(json.dumps(record, sort_keys=True).encode()).hexdigest()[:10]


def read_calibration(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"calibration {path}: {'is a directory' if path.is_dir() else 'no such file'}")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FormatError(f"calibration {path}: not JSON; give a file written by --save-calibration") from None
    if not isinstance(record, dict) or record.get("format") != CALIBRATION_FORMAT:
        raise FormatError(f"calibration {path}: not a {CALIBRATION_FORMAT} file (written by --save-calibration)")
    bad = [k for k in _CALIBRATION_NUMBERS if not isinstance(record.get(k), int | float)]
    if bad or not isinstance(record.get("checks", {}), dict):
        raise FormatError(f"calibration {path}: missing or malformed {', '.join(bad) or 'checks'}")
    return record


def check_calibration_fits(record: dict[str, Any], src_lang: str, tgt_lang: str, encoder_id: str | None = None) -> None:
    """FormatError unless `record` was measured on this language pair (and encoder, when given)."""
    if (record.get("src_lang"), record.get("tgt_lang")) != (src_lang, tgt_lang):
        raise FormatError(f"the calibration is for {record.get('src_lang')}-{record.get('tgt_lang')}, "
                          f"this run is {src_lang}-{tgt_lang}")
    if encoder_id is not None and record.get("encoder") != encoder_id:
        raise FormatError(f"the calibration was measured with encoder {record.get('encoder')!r}, "
                          f"this run uses {encoder_id!r}")


def fixed_anchors(record: dict[str, Any], encoder_id: str | None, src_lang: str, tgt_lang: str) -> dict[str, Any]:
    """The anchors of a saved calibration, after checking it fits this run (same encoder and languages:
    similarities of another encoder or language pair are on another scale)."""
    check_calibration_fits(record, src_lang, tgt_lang, encoder_id)
    return {"typical": float(record["typical"]), "unrelated": float(record["unrelated"]),
            "spread": float(record["spread"]), "typical_from": str(record.get("typical_from", "calibration")),
            "unrelated_from": str(record.get("unrelated_from", "calibration")),
            "calibration": calibration_digest(record)}


def calibration_key(encoder_id: str | None, src_lang: str, tgt_lang: str, sources: Sequence[str]) -> str:
    """Where a calibration measured on `sources` is remembered: the encoder, the language pair and
    the source sentences (the versions of a translation differ on the target side only)."""
    h = hashlib.sha256(json.dumps([CALIBRATION_FORMAT, encoder_id, src_lang, tgt_lang]).encode())
    for text in sources:
        h.update(b"\x1e" + text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


#: "auto" scores a run on a calibration remembered from another whose sources include this share of its own
COVERING_SHARE = 0.9


def resolve_calibration(calibration: dict | str | None, encoder, src_lang: str, tgt_lang: str,
                        sources: Sequence[str]) -> tuple[dict | None, str, Callable[[dict], None] | None]:
    """(the calibration to score with, where it comes from, how to remember the one measured).

    `calibration`: None (measure on this run, remember nothing), a record (use it), "auto" (the
    one remembered for these sources if any, else the latest remembered from a run whose sources
    include at least COVERING_SHARE of these, else measure and remember) or "fresh" (measure and
    remember, replacing any). Remembering needs an encoder with a cache (`CachedEncoder`)."""
    if calibration is None:
        return None, "this run", None
    if isinstance(calibration, dict):
        return calibration, "given", None
    if calibration not in ("auto", "fresh"):
        raise FormatError(f"calibration must be auto, fresh or a saved calibration, not {calibration!r}")
    cache = getattr(encoder, "cache", None)
    if cache is None:
        return None, "this run", None
    encoder_id = getattr(encoder, "id", None)
    key = calibration_key(encoder_id, src_lang, tgt_lang, sources)
    scope = json.dumps([CALIBRATION_FORMAT, encoder_id, src_lang, tgt_lang])
    if calibration == "auto":
        record = cache.get_calibration(key)
        if record is None:  # a part of a text scored before (a chapter of the book, the pairs of one kind of edit)
            found = cache.covering_calibration(scope, sources, COVERING_SHARE)
            record = found[0] if found else None
        if isinstance(record, dict) and record.get("format") == CALIBRATION_FORMAT:
            return record, "remembered", None
    return None, "this run", lambda record: cache.put_calibration(key, record, scope, sources)
