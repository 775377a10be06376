"""The check interface and its registry.

A check *scores* a link (0 = no sign of divergence, 1 = certain divergence) and gives its
evidence; whether that becomes a flag is a threshold in the config (OpusFilter-style).
Each check lives in its own module of `workbench.fidelity.checks` and registers itself:

    @check_registry.register("numbers")
    class NumbersCheck(Check):
        defaults = {"threshold": 0.5, "weight": 0.35}
        def score(self, case): ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from workbench.registry import Registry

if TYPE_CHECKING:
    import numpy as np

    from workbench.encoders import Encoder

#: settings every check has; a check's `defaults` add to or override them
COMMON_DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "threshold": 0.5,   # flag when score >= threshold
    "weight": 0.3,      # a flag multiplies fidelity by (1 - weight * score)
    "decisive": True,   # a flag keeps the link from being labelled `equivalent`
    "major": False,     # a flag makes the link `major` (a mistranslated term, an untranslated target)
    "graded": False,    # the score weighs on fidelity below the threshold too (a similarity-like signal)
}


@dataclass
class LinkCase:
    """One link as the checks see it (texts are the link's joined sentences)."""

    index: int
    src_text: str
    tgt_text: str
    similarity: float = 0.0


@dataclass
class DocContext:
    """What a check may know about the whole document or batch of pairs."""

    src_lang: str
    tgt_lang: str
    encoder: Encoder | None = None
    src_emb: np.ndarray | None = None        # link-level embeddings, row = case index
    tgt_emb: np.ndarray | None = None
    typical_similarity: float = 0.9           # similarity anchors of the calibration
    unrelated_similarity: float = 0.75
    similarity_spread: float = 0.02
    length_center: float = 0.0                # log(tgt chars / src chars) of a normal link
    length_spread: float = 0.25
    length_known: bool = True                 # False: too few links to measure a cross-script length ratio
    encode_budget: int = 0                    # how many extra texts the checks may encode
    document: bool = False                    # links of one document (else: a batch of pairs)
    glossary: list[tuple[str, list[str]]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)   # checks report what they did
    #: a check's statistics from a saved calibration (read), and those it measured on this batch (written)
    calibration: dict[str, Any] = field(default_factory=dict)
    learned: dict[str, Any] = field(default_factory=dict)


@dataclass
class CheckResult:
    score: float
    message: str = ""
    src_spans: tuple[tuple[int, int], ...] = ()
    tgt_spans: tuple[tuple[int, int], ...] = ()


class Check:
    name: ClassVar[str] = ""
    #: True when the check needs `DocContext.encoder` (it is skipped without one)
    needs_encoder: ClassVar[bool] = False
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.settings = {**COMMON_DEFAULTS, **self.defaults, **(settings or {})}

    @classmethod
    def default_settings(cls) -> dict[str, Any]:
        return {**COMMON_DEFAULTS, **cls.defaults}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        """Score one link; None means nothing to say (e.g. nothing to compare)."""
        raise NotImplementedError

    def score_all(self, cases: Sequence[LinkCase], ctx: DocContext) -> list[CheckResult | None]:
        """Score every link with both sides; batch checks (that encode) override this."""
        return [self.score(c, ctx) for c in cases]


check_registry: Registry[type[Check]] = Registry("check", "workbench.fidelity.checks")


def span_list(spans) -> tuple[tuple[int, int], ...]:
    return tuple(sorted({(int(a), int(b)) for a, b in spans}))
