"""Fidelity scoring of aligned links: calibrated similarity combined with checks.

    fidelity = clip((s - unrelated) / (typical - unrelated), 0, 1) x prod_flags (1 - weight x score)

See `score.py` for the labels, `calibrate.py` for the anchors and `base.py` for the checks.
"""

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry
from workbench.fidelity.config import FidelityConfig
from workbench.fidelity.divergence_eval import evaluate_divergences
from workbench.fidelity.score import ScoreResult, score_alignment, score_pairs

__all__ = ["Check", "CheckResult", "DocContext", "FidelityConfig", "LinkCase", "ScoreResult", "check_registry",
           "evaluate_divergences", "score_alignment", "score_pairs"]
