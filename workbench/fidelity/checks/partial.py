"""Partial omission or addition: a phrase or clause on one side that the other side lacks.

Leave-one-out on clause-level pieces: a side is cut at punctuation and clause/phrase
openers (of, who, which, that, because, ...); for each piece the side *without* it is
encoded. If dropping a source piece brings the source closer to the target than the full
source is, the target most likely lacks that piece (a partial omission); the same test on the
target's pieces finds a phrase the translation added. The gain is measured in units of the
calibration's scale (typical minus unrelated similarity). Only the most suspicious links are
examined, within the encode budget: for omissions those whose target is shorter than usual, for
additions those whose target is longer, and in both cases a similarity below typical.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry
from workbench.fidelity.checks.length import log_ratio
from workbench.fidelity.langdata import clause_words, fold, scripts, word_count, words
from workbench.text.segment import segment_paragraph

#: what ends a text or a sentence and is no part of the piece before it
_TRAILING = " .!?;:…\"'»”。！？"
#: cut points: punctuation, with the full-width marks of Chinese and Japanese
_PUNCT = re.compile(r"[,;:()\[\]—–，、；：（）【】「」『』《》。！？]|\s-\s")
#: where a sentence starts inside a text: after a full stop and a space, at a letter that is not lower
#: case (U.S. officials is one sentence), or after a full-width stop
_SENTENCE_START = re.compile(r"(?:(?<=[.!?])\s+[\"“«‘']?|(?<=[。！？]))(?=[^\W\d_])")


def pieces(text: str, lang: str, min_words: int = 2, max_share: float = 0.5, min_kept: int = 3) -> list[tuple[int, int]]:
    """Spans of `text` to leave out one at a time: each clause/phrase-level piece (at most
    `max_share` of the words), each whole sentence of a text that holds several, then each tail
    from a cut to the end (a trailing clause that runs over several pieces: `..., à la suite d'une
    longue enquête sur la corruption`), keeping at least `min_kept` words."""
    cuts = {0, len(text)}
    for m in _PUNCT.finditer(text):
        cuts.add(m.start())
    # a link that merges sentences may leave one of them untranslated: each sentence is a piece too
    starts = _sentence_starts(text, lang)
    cuts.update(starts)
    openers = clause_words(lang)
    for w, s, _ in words(text):
        if fold(w) in openers:
            cuts.add(s)
    cuts = sorted(cuts)
    out = []
    for a, b in zip([0, *starts], [*starts, len(text)], strict=True):  # whole sentences first (max_pieces)
        span = (a, len(text[:b].rstrip(_TRAILING)))
        if starts and word_count(text[span[0]:span[1]]) >= min_words:
            out.append(span)
    total = max(1, word_count(text))
    for a, b in zip(cuts, cuts[1:], strict=False):
        seg = text[a:b]
        n = word_count(seg)
        span = (a + _lead(seg), a + len(seg.rstrip(_TRAILING)))  # ('He left. ' is the sentence 'He left')
        if n >= min_words and n / total <= max_share and re.search(r"\w", seg) and span not in out:
            out.append(span)
    end = len(text.rstrip(_TRAILING))
    seen = set(out)
    for a in cuts[1:-1]:
        tail = text[a:end]
        if word_count(tail) >= min_words and word_count(text[:a]) >= min_kept and re.search(r"\w", tail):
            span = (a + _lead(tail), end)
            if span not in seen:  # ', who ...': the comma and the clause word make one tail
                seen.add(span)
                out.append(span)
    return out


def _sentence_starts(text: str, lang: str) -> list[int]:
    """Where the sentences after the first start, as the segmenter reads them: `Mrs. Pell laid down
    her knitting.` is one sentence, not `Mrs.` and the rest."""
    if not _SENTENCE_START.search(text):
        return []
    starts, pos = [], 0
    for sentence in segment_paragraph(text, lang)[1:]:
        at = text.find(sentence[:12], pos)
        if at < 0:  # (whitespace the segmenter folded: leave the text whole)
            return []
        starts.append(at)
        pos = at + 1
    return starts


def _lead(seg: str) -> int:
    """Length of the punctuation a piece starts with (trimmed off)."""
    return len(seg) - len(seg.lstrip(" ,;:()[]—–-，、；：（）【】「」『』《》。！？"))


@check_registry.register("partial")
class PartialOmissionCheck(Check):
    name = "partial"
    needs_encoder = True
    # gain: how much closer (in calibrated units) the source gets to the target without the piece
    # cross_script: across scripts (en-ja, en-zh, en-ru) the encoder matches a piece of the source with
    # its translation less surely, and leaving out a faithful clause often gains as much as a true
    # omission does in one script: the gain needed is this many times larger
    defaults = {"threshold": 0.5, "weight": 0.2, "gain_full": 0.15, "min_words": 2, "max_pieces": 12,
                "cross_script": 3.0}

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
            for side, z in (("source", -z_len), ("target", z_len)):
                # z > 0: this side longer than usual; the most suspicious links go first, as far as the budget goes
                ranked.append((-min(-z, 0.5) - min(z_sim, 0.5), k, side))
        ranked.sort(reverse=True)
        budget = ctx.encode_budget
        jobs: list[tuple[int, str, tuple[int, int]]] = []
        texts: list[str] = []
        for _, k, side in ranked:
            c = cases[k]
            text, lang = (c.src_text, ctx.src_lang) if side == "source" else (c.tgt_text, ctx.tgt_lang)
            ps = pieces(text, lang, self.settings["min_words"])[: self.settings["max_pieces"]]
            if len(ps) < 1 or len(ps) > budget:
                continue
            budget -= len(ps)
            for a, b in ps:
                jobs.append((k, side, (a, b)))
                texts.append(" ".join((text[:a] + " " + text[b:]).split()))
            if budget <= 0:
                break
        ctx.stats["partial_encoded"] = len(texts)
        ctx.stats["partial_links"] = len({k for k, _, _ in jobs})
        if not texts:
            return out
        emb = ctx.encoder.encode(texts)
        best: dict[int, tuple[float, str, tuple[int, int]]] = {}
        for (k, side, span), vec in zip(jobs, emb, strict=True):
            i = cases[k].index
            base = float(ctx.src_emb[i] @ ctx.tgt_emb[i])
            other = ctx.tgt_emb[i] if side == "source" else ctx.src_emb[i]
            gain = (float(np.dot(vec, other)) - base) / scale
            if k not in best or gain > best[k][0]:
                best[k] = (gain, side, span)
        for k, (gain, side, span) in best.items():
            full = self.settings["gain_full"]
            if not scripts(cases[k].src_text, 0.5) & scripts(cases[k].tgt_text, 0.5):
                full *= self.settings["cross_script"]
            s = min(1.0, max(0.0, gain / full))
            if s <= 0:
                out[k] = CheckResult(0.0)
            elif side == "source":
                piece = cases[k].src_text[span[0]:span[1]]
                out[k] = CheckResult(s, f"the target seems to leave out {piece!r} (gain {gain:+.3f})", (span,), ())
            else:
                piece = cases[k].tgt_text[span[0]:span[1]]
                out[k] = CheckResult(s, f"the target seems to add {piece!r} (gain {gain:+.3f})", (), (span,))
        return out
