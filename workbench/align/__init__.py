"""Sentence alignment: the banded dynamic programme over embeddings, and its evaluation."""

from workbench.align.aligner import AlignConfig, align_embeddings
from workbench.align.evaluate import parse_vecalign, read_vecalign, score_alignment

__all__ = ["AlignConfig", "align_embeddings", "parse_vecalign", "read_vecalign", "score_alignment"]
