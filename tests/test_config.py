"""Fidelity settings: every value is range-checked, from a TOML file as from --check, in one clear line."""

from __future__ import annotations

import pytest

from workbench.errors import FormatError
from workbench.fidelity import FidelityConfig


@pytest.mark.parametrize("key, value, words", [
    ("checks.names.weight", "-3", "checks.names.weight must be between 0 and 1, not -3"),
    ("checks.names.weight", "5", "between 0 and 1, not 5"),
    ("checks.names.threshold", "-1", "checks.names.threshold must be 0 or more"),
    ("checks.gender.severity", "1.5", "between 0 and 1"),
    ("equivalent_threshold", "5", "equivalent_threshold must be between 0 and 1, not 5"),
    ("major_threshold", "-0.1", "between 0 and 1"),
    ("equivalent_threshold", "inf", "must be a finite number, not inf"),
    ("checks.numbers.weight", "nan", "must be a finite number, not nan"),
    ("checks.names.weight", "abc", "must be a number, not 'abc'"),
    ("checks.names.weight", "true", "must be a number, not True"),
    ("checks.names.enabled", "0.5", "must be true or false"),
    ("checks.names.fuzzy", "150", "between 0 and 100"),
    ("checks.names.common_zipf", "9", "between 0 and 8"),
    ("checks.length.z_width", "0", "checks.length.z_width must be above 0, not 0"),
    ("checks.length.z_start", "-1", "0 or more"),
    ("checks.partial.gain_full", "0", "above 0 and at most 1"),
    ("checks.partial.max_pieces", "0", "checks.partial.max_pieces must be 1 or more, not 0"),
    ("checks.partial.min_words", "-2", "0 or more"),
    ("checks.partial.min_words", "2.5", "must be a whole number, not 2.5"),
    ("min_links_for_document", "0", "1 or more"),
    ("short_words", "0", "1 or more"),
    ("minor_z", "-1", "0 or more"),
    ("encode_budget", "2", "between 0 and 1"),
    ("typical_similarity", "1.5", "between -1 and 1"),
    ("typical_similarity", "abc", "must be a number"),
    ("typical_similarity", "true", "must be a number"),
])
def test_out_of_range_values_are_refused(key, value, words):
    with pytest.raises(FormatError) as info:
        FidelityConfig().set(key, value, source="--check")
    msg = str(info.value)
    assert words in msg and msg.startswith("--check: ") and "\n" not in msg


@pytest.mark.parametrize("key, value, expected", [
    ("checks.names.weight", "0", 0.0),
    ("checks.names.weight", "1", 1.0),
    ("checks.latent_terms.threshold", "1.01", 1.01),   # above every score: graded, never a flag
    ("checks.tense.decisive_at", "2", 2.0),
    ("checks.partial.max_pieces", "3.0", 3),
    ("typical_similarity", "none", None),
    ("typical_similarity", "0.8", 0.8),
    ("unrelated_similarity", "-0.2", -0.2),
])
def test_values_in_range_are_kept(key, value, expected):
    cfg = FidelityConfig()
    cfg.set(key, value)
    parts = key.split(".")
    got = cfg.check_settings(parts[1])[parts[2]] if parts[0] == "checks" else getattr(cfg, key)
    assert got == expected and type(got) is type(expected)


def test_an_anchor_can_be_unset_again():
    cfg = FidelityConfig()
    cfg.set("typical_similarity", 0.8)
    cfg.set("typical_similarity", None)
    assert cfg.typical_similarity is None


@pytest.mark.parametrize("toml, words", [
    ("equivalent_threshold = nan\n", "equivalent_threshold must be a finite number"),
    ("equivalent_threshold = inf\n", "finite"),
    ("[checks.names]\nweight = -3\n", "checks.names.weight must be between 0 and 1, not -3"),
    ("[checks.names]\nweight = true\n", "must be a number"),
    ("[checks.names]\nweight = \"heavy\"\n", "must be a number, not 'heavy'"),
    ("major_threshold = 0.9\nequivalent_threshold = 0.5\n",
     "major_threshold (0.9) must be below equivalent_threshold (0.5)"),
    ("typical_similarity = 0.7\nunrelated_similarity = 0.8\n", "unrelated_similarity (0.8) must be below"),
    ("[checks.names]\nrare_zipf = 5.0\n", "checks.names.rare_zipf (5) must be below checks.names.common_zipf (4)"),
])
def test_toml_values_are_checked(tmp_path, toml, words):
    p = tmp_path / "f.toml"
    p.write_text(toml, encoding="utf-8")
    with pytest.raises(FormatError) as info:
        FidelityConfig.from_toml(p)
    assert words in str(info.value) and str(p) in str(info.value)


def test_thresholds_are_ordered_after_all_settings_are_applied():
    # one at a time, raising both passes through major >= equivalent: only the end state counts
    cfg = FidelityConfig().apply(["major_threshold=0.9", "equivalent_threshold=0.95"])
    assert (cfg.major_threshold, cfg.equivalent_threshold) == (0.9, 0.95)
    with pytest.raises(FormatError, match="major_threshold .* must be below equivalent_threshold"):
        FidelityConfig().apply(["major_threshold=0.9"])
    cfg = FidelityConfig.from_dict({"major_threshold": 0.9, "equivalent_threshold": 0.95})
    assert cfg.major_threshold == 0.9


def test_settings_set_one_at_a_time_are_checked_before_scoring():
    cfg = FidelityConfig()
    cfg.set("major_threshold", "0.9")   # as `--check` does: each value alone is fine
    with pytest.raises(FormatError, match="must be below equivalent_threshold"):
        cfg.enabled_checks()


def test_every_default_is_valid():
    from workbench.fidelity.base import check_registry

    cfg = FidelityConfig()
    for name in check_registry.names():   # each default setting, set explicitly, passes its own rule
        for key, value in check_registry.get(name).default_settings().items():
            cfg.set(f"checks.{name}.{key}", value)
    assert cfg.validate() is cfg


def _cli(argv, capsys):
    from workbench.cli import main

    try:
        main([str(a) for a in argv])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("check, words", [
    ("names.weight=-3", "--check: checks.names.weight must be between 0 and 1, not -3"),
    ("names.threshold=-1", "0 or more"),
    ("equivalent_threshold=5", "equivalent_threshold must be between 0 and 1, not 5"),
    ("equivalent_threshold=inf", "finite"),
    ("names.weight=abc", "must be a number"),
    ("major_threshold=0.9", "must be below equivalent_threshold"),
])
def test_cli_check_values_end_in_one_line(tmp_path, capsys, check, words):
    pairs = tmp_path / "p.tsv"
    pairs.write_text("en\tfr\nHe has 3 cats.\tIl a 3 chats.\n", encoding="utf-8")
    code, err = _cli(["score-pairs", pairs, "--src-col", "en", "--tgt-col", "fr", "--src-lang", "en",
                      "--tgt-lang", "fr", "--encoder", "hash", "-q", "-o", tmp_path / "o.tsv", "--check", check],
                     capsys)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and words in lines[0] and "Traceback" not in err, err
