"""Partial omission: a phrase or clause of the source that the target leaves out.

Leave-one-out on clause-level pieces: the source is cut at punctuation and clause/phrase
openers (of, who, which, that, because, ...); for each piece the source *without* it is
encoded. If dropping a piece brings the source closer to the target than the full source
is, the target most likely lacks that piece. The gain is measured in units of the
calibration's scale (typical minus unrelated similarity). Only the most suspicious links
(target shorter than usual, similarity below typical) are examined, within the encode budget.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry
from workbench.fidelity.checks.length import log_ratio
from workbench.fidelity.langdata import clause_words, fold, words

_PUNCT = re.compile(r"[,;:()\[\]—–]|\s-\s")


def pieces(text: str, lang: str, min_words: int = 2, max_share: float = 0.5) -> list[tuple[int, int]]:
    """Clause/phrase-level pieces of `text` as character spans."""
    cuts = {0, len(text)}
    for m in _PUNCT.finditer(text):
        cuts.add(m.start())
    openers = clause_words(lang)
    for w, s, _ in words(text):
        if fold(w) in openers:
            cuts.add(s)
    cuts = sorted(cuts)
    out = []
    total = max(1, len(text.split()))
    for a, b in zip(cuts, cuts[1:], strict=False):
        seg = text[a:b]
        n = len(seg.split())
        if n >= min_words and n / total <= max_share and re.search(r"\w", seg):
            # trim the punctuation a piece starts with
            lead = len(seg) - len(seg.lstrip(" ,;:()[]—–-"))
            out.append((a + lead, b))
    return out


@check_registry.register("partial")
class PartialOmissionCheck(Check):
    name = "partial"
    needs_encoder = True
    # gain: how much closer (in calibrated units) the source gets to the target without the piece
    defaults = {"threshold": 0.5, "weight": 0.2, "gain_full": 0.15, "min_words": 2, "max_pieces": 12}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:  # pragma: no cover - batch only
        return self.score_all([case], ctx)[0]

    def score_all(self, cases: Sequence[LinkCase], ctx: DocContext) -> list[CheckResult | None]:
        out: list[CheckResult | None] = [None] * len(cases)
        if ctx.encoder is None or ctx.src_emb is None or ctx.tgt_emb is None or ctx.encode_budget <= 0:
            return out
        scale = max(ctx.typical_similarity - ctx.unrelated_similarity, 1e-3)
        ranked = []
        for k, c in enumerate(cases):
            z_len = (log_ratio(c.src_text, c.tgt_text) - ctx.length_center) / max(ctx.length_spread, 1e-3)
            z_sim = (c.similarity - ctx.typical_similarity) / max(ctx.similarity_spread, 1e-3)
            suspicion = -min(z_len, 0.5) - min(z_sim, 0.5)
            if suspicion > 0:
                ranked.append((suspicion, k))
        ranked.sort(reverse=True)
        budget = ctx.encode_budget
        jobs: list[tuple[int, tuple[int, int]]] = []
        texts: list[str] = []
        for _, k in ranked:
            c = cases[k]
            ps = pieces(c.src_text, ctx.src_lang, self.settings["min_words"])[: self.settings["max_pieces"]]
            if len(ps) < 1 or len(ps) > budget:
                continue
            budget -= len(ps)
            for a, b in ps:
                jobs.append((k, (a, b)))
                texts.append(" ".join((c.src_text[:a] + " " + c.src_text[b:]).split()))
            if budget <= 0:
                break
        ctx.stats["partial_encoded"] = len(texts)
        ctx.stats["partial_links"] = len({k for k, _ in jobs})
        if not texts:
            return out
        emb = ctx.encoder.encode(texts)
        best: dict[int, tuple[float, tuple[int, int]]] = {}
        for (k, span), vec in zip(jobs, emb, strict=True):
            base = float(ctx.src_emb[cases[k].index] @ ctx.tgt_emb[cases[k].index])
            gain = (float(np.dot(vec, ctx.tgt_emb[cases[k].index])) - base) / scale
            if k not in best or gain > best[k][0]:
                best[k] = (gain, span)
        for k, (gain, span) in best.items():
            s = min(1.0, max(0.0, gain / self.settings["gain_full"]))
            piece = cases[k].src_text[span[0]:span[1]]
            out[k] = CheckResult(s, f"the target seems to leave out {piece!r} (gain {gain:+.3f})" if s > 0 else "",
                                 (span,) if s > 0 else ())
        return out
