"""Length ratio out of the document's normal range.

z = (log(target chars / source chars) - centre) / spread, where centre and spread are the
median and scaled MAD of the document's links (or defaults for a small batch of pairs; none
when the two sides are in different scripts, where characters do not compare: 普京 / Putin).
URLs and e-mail addresses are not counted, and a source under `min_chars` is not judged.
"""

from __future__ import annotations

import math

from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry
from workbench.fidelity.langdata import masked


def content_length(text: str) -> int:
    """Characters, without URLs and e-mail addresses: they are copied whole, so in a pair of scripts
    of different density (Chinese / English) they would pull the ratio towards one."""
    blanked = masked(text)  # URLs and addresses replaced by spaces, offsets kept
    return len(text) if blanked is text else len(text) - sum(a != b for a, b in zip(text, blanked, strict=True))


def log_ratio(src: str, tgt: str) -> float:
    return math.log((content_length(tgt) + 10) / (content_length(src) + 10))


@check_registry.register("length")
class LengthCheck(Check):
    name = "length"
    # z beyond `z_start` starts to count; the score reaches 1 at z_start + z_width
    # min_chars: a shorter source (a heading, a line of dialogue) has no ratio to speak of
    defaults = {"threshold": 0.5, "weight": 0.3, "decisive": False, "graded": True, "z_start": 1.5, "z_width": 2.5,
                "min_chars": 20}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        if not ctx.length_known or content_length(case.src_text) < self.settings["min_chars"]:
            return None
        z = (log_ratio(case.src_text, case.tgt_text) - ctx.length_center) / max(ctx.length_spread, 1e-3)
        s = min(1.0, max(0.0, (abs(z) - self.settings["z_start"]) / self.settings["z_width"]))
        if s <= 0:
            return CheckResult(0.0)
        side = "shorter" if z < 0 else "longer"
        return CheckResult(s, f"target is {side} than usual for this document (z={z:+.1f})")
