"""The one path everyone calls: texts -> segments -> embeddings -> alignment -> scored links.

The CLI, the Streamlit app and the batch runner are thin layers over these functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.align.aligner import AlignConfig, align_embeddings
from workbench.align.anchors import anchor_masks
from workbench.encoders.base import DEFAULT_ENCODER, Encoder, load_encoder
from workbench.encoders.cache import CachedEncoder, EmbeddingCache, default_cache_dir
from workbench.records import Document, Link, links_to_frame
from workbench.text import check_language, document_from_text, read_document

if TYPE_CHECKING:
    import pandas as pd

    from workbench.fidelity import FidelityConfig, ScoreResult

Progress = Callable[[int, int], None]

_ENCODERS: dict[tuple[str, bool, str], CachedEncoder] = {}


def get_encoder(name: str = DEFAULT_ENCODER, use_cache: bool = True, cache_dir: str | Path | None = None) -> CachedEncoder:
    """The encoder called `name`, wrapped in the embedding cache; built once per process and cache
    directory (resolved now, so a changed WORKBENCH_CACHE_DIR gets a cache of its own)."""
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    key = (name, use_cache, str(cache_dir))
    if key not in _ENCODERS:
        inner = load_encoder(name)
        _ENCODERS[key] = CachedEncoder(inner, EmbeddingCache(cache_dir) if use_cache else None)
    return _ENCODERS[key]


@dataclass
class AlignmentResult:
    src: Document
    tgt: Document
    links: list[Link]
    src_emb: np.ndarray
    tgt_emb: np.ndarray
    encoder_id: str
    config: AlignConfig
    timings: dict[str, float] = field(default_factory=dict)
    encoder: Encoder | None = field(default=None, repr=False, compare=False)  # for extra encoding when scoring

    def table(self) -> pd.DataFrame:
        return links_to_frame(self.links, self.src, self.tgt)

    def meta(self) -> dict[str, Any]:
        return {
            "src_lang": self.src.lang,
            "tgt_lang": self.tgt.lang,
            "src_name": self.src.name,
            "tgt_name": self.tgt.name,
            "src_paragraphs": self.src.paragraphs,
            "tgt_paragraphs": self.tgt.paragraphs,
            "encoder": self.encoder_id,
        }


def load_documents(src_path: str | Path, tgt_path: str | Path, src_lang: str, tgt_lang: str,
                   presegmented: bool = False) -> tuple[Document, Document]:
    src_lang, tgt_lang = check_language(src_lang), check_language(tgt_lang)
    return read_document(src_path, src_lang, presegmented), read_document(tgt_path, tgt_lang, presegmented)


def documents_from_texts(src_text: str, tgt_text: str, src_lang: str, tgt_lang: str,
                         presegmented: bool = False) -> tuple[Document, Document]:
    return (document_from_text(src_text, src_lang, presegmented, name="source"),
            document_from_text(tgt_text, tgt_lang, presegmented, name="target"))


def embed_documents(src: Document, tgt: Document, encoder: Encoder,
                    progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Encode each distinct sentence of both documents once (one call, so one cache lookup)."""
    texts = src.texts + tgt.texts
    if isinstance(encoder, CachedEncoder):
        emb = encoder.encode(texts, progress=progress)
    else:
        emb = encoder.encode(texts)
    return emb[: len(src)], emb[len(src):]


def align_documents(src: Document, tgt: Document, encoder: Encoder | str = DEFAULT_ENCODER,
                    config: AlignConfig | None = None, use_cache: bool = True,
                    progress: Progress | None = None) -> AlignmentResult:
    """Align two segmented documents; every sentence of both ends up in exactly one link."""
    cfg = config or AlignConfig()
    enc = get_encoder(encoder, use_cache) if isinstance(encoder, str) else encoder
    t0 = time.perf_counter()
    src_emb, tgt_emb = embed_documents(src, tgt, enc, progress)
    t1 = time.perf_counter()
    links = align_embeddings(src_emb, tgt_emb, [len(t) for t in src.texts], [len(t) for t in tgt.texts],
                             src.paragraphs, tgt.paragraphs, cfg,
                             src_anchors=anchor_masks(src.texts), tgt_anchors=anchor_masks(tgt.texts),
                             src_texts=src.texts, tgt_texts=tgt.texts, encoder=enc)  # encoder: cfg.refine_budget
    t2 = time.perf_counter()
    return AlignmentResult(src, tgt, links, src_emb, tgt_emb, enc.id, cfg,
                           {"encode_s": t1 - t0, "align_s": t2 - t1}, enc)


def score_documents(result: AlignmentResult, *, glossary: Any = None, reference: Any = None,
                    fidelity_config: FidelityConfig | None = None, calibration: dict | str | None = None
                    ) -> ScoreResult:
    """Fidelity scores, labels and evidence for every link of an alignment (on the scale of
    `calibration` when given: see `score_alignment`)."""
    from workbench.fidelity import score_alignment

    t0 = time.perf_counter()
    scored = score_alignment(result.table(), result.src, result.tgt, src_emb=result.src_emb,
                             tgt_emb=result.tgt_emb, encoder=result.encoder, config=fidelity_config,
                             glossary=glossary, reference=reference, calibration=calibration)
    result.timings["score_s"] = time.perf_counter() - t0
    return scored
