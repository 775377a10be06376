"""The batch runner: manifests, per-pair outputs, the corpus table, resumption (also after kill -9),
the local engines, the CLI's exit codes and the corpus page. Hash encoder, small generated pairs."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from workbench import batch
from workbench.errors import FormatError, OutputError

ROOT = Path(__file__).resolve().parent.parent


def _load_make_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


make_corpus = _load_make_corpus().make_corpus
HASH = batch.load_options("hash")


def comparable(table: pd.DataFrame) -> pd.DataFrame:
    """The corpus table without what legitimately differs between runs (timings)."""
    return table[[c for c in table.columns if not c.startswith("time")]].reset_index(drop=True)


@pytest.fixture(scope="module", autouse=True)
def cache_dir(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        d = tmp_path_factory.mktemp("cache")
        mp.setenv("WORKBENCH_CACHE_DIR", str(d))
        yield d


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """8 good pairs and 4 bad ones (missing target, empty, binary, unknown language)."""
    return make_corpus(tmp_path_factory.mktemp("corpus"), n_pairs=8, seed=1, min_links=4, max_links=10, bad=4)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> batch.BatchReport:
    """An uninterrupted in-process run: what every other run must reproduce."""
    return batch.run_batch(batch.read_manifest(corpus), tmp_path_factory.mktemp("ref"), HASH, workers=0)


# -- manifests ----------------------------------------------------------------------------------


def test_manifest_paths_are_relative_to_it(tmp_path):
    (tmp_path / "sub").mkdir()
    m = tmp_path / "sub" / "list.tsv"
    m.write_text("ID\tsrc\ttgt\tsrc_lang\ttgt_lang\tnote\na-1\tx/a.txt\t/abs/b.txt\ten\tfr\thi\n\n", encoding="utf-8")
    (pair,) = batch.read_manifest(m)
    assert pair == batch.PairSpec("a-1", str(tmp_path / "sub" / "x" / "a.txt"), "/abs/b.txt", "en", "fr")


@pytest.mark.parametrize("body, message", [
    ("id,src,tgt\nx,a,b\n", "lacks the column(s) src_lang, tgt_lang"),
    ("id,src,tgt,src_lang,tgt_lang\n", "no pairs"),
    ("id,src,tgt,src_lang,tgt_lang\nok,a,b,en,fr\n../up,a,b,en,fr\n", "line 3: id '../up' is not a safe file name"),
    ("id,src,tgt,src_lang,tgt_lang\na/b,a,b,en,fr\n", "line 2: id 'a/b' is not a safe file name"),
    ("id,src,tgt,src_lang,tgt_lang\n,a,b,en,fr\n", "line 2: the id is empty"),
    ("id,src,tgt,src_lang,tgt_lang\nDoc,a,b,en,fr\nx,a,b,en,fr\ndoc,a,b,en,fr\n", "line 4: id 'doc' is already used by"),
])
def test_manifest_errors_name_the_line(tmp_path, body, message):
    m = tmp_path / "m.csv"
    m.write_text(body, encoding="utf-8")
    with pytest.raises(FormatError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        batch.read_manifest(m)


def test_pairs_from_dirs_match_by_name(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for name in ("doc1.en.txt", "doc 2.txt", "only-src.txt", ".hidden"):
        (a / name).write_text("x", encoding="utf-8")
    for name in ("doc1.fr.txt", "doc 2.txt", "only-tgt_fr.txt"):
        (b / name).write_text("x", encoding="utf-8")
    pairs = batch.pairs_from_dirs(a, b, "en", "fr")
    assert [p.id for p in pairs] == ["doc_2", "doc1", "only-src", "only-tgt"]
    by_id = {p.id: p for p in pairs}
    assert by_id["doc1"].tgt == str(b / "doc1.fr.txt")
    assert by_id["doc_2"].src == str(a / "doc 2.txt")
    assert not Path(by_id["only-src"].tgt).exists()  # fails as 'no such file' when run
    assert not Path(by_id["only-tgt"].src).exists()


def test_pairs_from_one_folder_holding_both_languages(tmp_path):
    for name in ("a.en.txt", "a.fr.txt", "b_en.txt", "b_fr.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    pairs = batch.pairs_from_dirs(tmp_path, tmp_path, "en", "fr")
    assert [(p.id, Path(p.src).name, Path(p.tgt).name) for p in pairs] == [
        ("a", "a.en.txt", "a.fr.txt"), ("b", "b_en.txt", "b_fr.txt")]


def test_pairs_from_dirs_fail_up_front(tmp_path):
    from workbench.errors import InputFileError, UnknownLanguageError

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (b / "doc.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputFileError, match="no source files in"):
        batch.pairs_from_dirs(a, b, "en", "fr")
    (a / "doc.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UnknownLanguageError, match="'xx'"):
        batch.pairs_from_dirs(a, b, "xx", "fr")
    (a / "doc.en.txt").write_text("x", encoding="utf-8")  # doc.txt and doc.en.txt: which one is doc's source?
    with pytest.raises(InputFileError, match="doc.en.txt and doc.txt are both the source of pair 'doc'"):
        batch.pairs_from_dirs(a, b, "en", "fr")


# -- a run --------------------------------------------------------------------------------------


def test_run_writes_pairs_and_corpus_table(reference, corpus):
    out = Path(reference.out_dir)
    t = reference.table
    manifest = pd.read_csv(corpus)
    assert list(t["id"]) == list(manifest["id"])  # manifest order
    assert (reference.total, reference.processed, reference.skipped, reference.failed) == (12, 12, 0, 4)
    ok = t[t["status"] == "ok"]
    assert len(ok) == 8
    assert ok["fidelity"].between(0, 1).all() and ok["coverage"].between(0, 1).all()
    assert (ok[[f"links_{k}" for k in batch.LINK_KINDS]].sum(axis=1) == ok["links"]).all()
    assert (ok[[c for c in t.columns if c.startswith("label_")]].sum(axis=1) == ok["links"]).all()
    assert {"flag_numbers", "flag_partial", "flagged_links", "time_s", "error", "status"} <= set(t.columns)
    errors = dict(zip(t["id"], t["error"], strict=True))
    assert "no such file" in errors["bad000-missing"]
    assert "empty" in errors["bad001-empty"]
    assert "binary" in errors["bad002-binary"]
    assert "unknown language" in errors["bad003-language"]
    for pid in ok["id"]:
        assert (out / "pairs" / f"{pid}.parquet").is_file()
        rec = json.loads((out / "pairs" / f"{pid}.summary.json").read_text())
        assert rec["status"] == "ok" and rec["outputs"] == ["parquet"]
        assert rec["summary"]["fidelity"] == t.set_index("id").at[pid, "fidelity"]
        assert rec["meta"]["src_lang"] == "en" and rec["signature"].startswith("enc:hash")
    assert not (out / "pairs" / "bad000-missing.parquet").exists()
    on_disk = pd.read_parquet(out / "corpus.parquet")
    pd.testing.assert_frame_equal(comparable(on_disk), comparable(t))
    assert len(pd.read_csv(out / "corpus.csv")) == 12
    run = json.loads((out / "run.json").read_text())
    assert run["processed"] == 12 and run["failed"] == 4


def test_resume_runs_only_what_is_not_done(reference, corpus, tmp_path):
    pairs = batch.read_manifest(corpus)
    out = tmp_path / "out"
    first = batch.run_batch(pairs[:6], out, HASH, workers=0)
    assert first.processed == 6
    again = batch.run_batch(pairs, out, HASH, workers=0)  # the manifest grew: only the new pairs run
    assert (again.skipped, again.processed) == (6, 6)
    pd.testing.assert_frame_equal(comparable(again.table), comparable(reference.table))
    # a pair whose summary is gone, a pair whose source changed, a leftover temporary file
    (out / "pairs" / "doc0001.summary.json").unlink()
    src = Path(pairs[2].src)
    original = src.read_text(encoding="utf-8")
    (out / "pairs" / ".doc0005.parquet.abc.tmp").write_bytes(b"half")
    try:
        src.write_text(original + "\nA new closing sentence was added.\n", encoding="utf-8")
        third = batch.run_batch(pairs, out, HASH, workers=0)
        assert sorted(r["id"] for r in third.records) == ["doc0001", "doc0002"]
    finally:
        src.write_text(original, encoding="utf-8")
    assert not list((out / "pairs").glob(".*.tmp"))
    fourth = batch.run_batch(pairs, out, HASH, workers=0, retry_failed=True)
    assert sorted(r["id"] for r in fourth.records) == ["bad000-missing", "bad001-empty", "bad002-binary",
                                                       "bad003-language", "doc0002"]
    pd.testing.assert_frame_equal(comparable(fourth.table), comparable(reference.table))


def test_new_format_reruns_pairs_missing_it(corpus, tmp_path):
    pairs = batch.read_manifest(corpus)[:2]
    batch.run_batch(pairs, tmp_path, HASH, workers=0)
    more = batch.load_options("hash", formats=["parquet", "csv", "vecalign"])
    report = batch.run_batch(pairs, tmp_path, more, workers=0)
    assert report.processed == 2
    assert {p.name for p in (tmp_path / "pairs").iterdir()} == {
        f"{p.id}.{ext}" for p in pairs for ext in ("parquet", "csv", "txt", "summary.json")}
    assert batch.run_batch(pairs, tmp_path, more, workers=0).processed == 0


def test_glossary_is_applied_and_part_of_the_fingerprint(corpus, tmp_path):
    pairs = batch.read_manifest(corpus)[:1]
    gloss = tmp_path / "g.tsv"
    gloss.write_text("Russia\tAllemagne\n", encoding="utf-8")
    batch.run_batch(pairs, tmp_path / "o", HASH, workers=0)
    with_gloss = batch.load_options("hash", glossary=gloss)
    report = batch.run_batch(pairs, tmp_path / "o", with_gloss, workers=0)
    assert report.processed == 1  # another glossary: another result
    with pytest.raises(FormatError):
        gloss.write_text("only one column\n", encoding="utf-8")
        batch.load_options("hash", glossary=gloss)


def test_one_run_at_a_time_per_folder(corpus, tmp_path):
    import fcntl

    tmp_path.mkdir(exist_ok=True)
    with open(tmp_path / ".batch.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(OutputError, match="another batch"):
            batch.run_batch(batch.read_manifest(corpus)[:1], tmp_path, HASH, workers=0)


def test_process_pool_gives_the_same_table(reference, corpus, tmp_path):
    report = batch.run_batch(batch.read_manifest(corpus), tmp_path, HASH, workers=2)
    assert report.workers == 2 and report.processed == 12
    pd.testing.assert_frame_equal(comparable(report.table), comparable(reference.table))
    pids = {r["worker"]["pid"] for r in report.records if r.get("worker")}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    assert all(r["worker"]["peak_rss_mb"] > 0 for r in report.records)


def test_unknown_encoder_fails_before_any_work():
    from workbench.errors import UnknownBackendError

    with pytest.raises(UnknownBackendError):
        batch.load_options("no-such-encoder")


# -- the command line ---------------------------------------------------------------------------


def _cli(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", "batch", *args], capture_output=True, text=True,
                          env=env or os.environ.copy(), cwd=ROOT, timeout=120)


def _write_manifest(path: Path, pairs: list[batch.PairSpec]) -> Path:
    rows = ["id,src,tgt,src_lang,tgt_lang"] + [f"{p.id},{p.src},{p.tgt},{p.src_lang},{p.tgt_lang}" for p in pairs]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_cli_exit_codes(corpus, tmp_path):
    pairs = batch.read_manifest(corpus)
    good = _write_manifest(tmp_path / "good.csv", pairs[:2])
    ok = _cli(str(good), "--out", str(tmp_path / "o1"), "--encoder", "hash", "--workers", "0",
              "--format", "parquet", "--format", "tmx", "-q")
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr == ""
    assert (tmp_path / "o1" / "pairs" / "doc0000.tmx").is_file()
    bad = _write_manifest(tmp_path / "bad.csv", pairs[:1] + pairs[-2:])
    failing = _cli(str(bad), "--out", str(tmp_path / "o2"), "--encoder", "hash", "--workers", "0")
    assert failing.returncode == 5
    assert "2 of 3 pairs failed" in failing.stderr.splitlines()[-1] and "Traceback" not in failing.stderr
    assert "bad003-language: unknown language" in failing.stderr
    dup = tmp_path / "dup.csv"
    dup.write_text("id,src,tgt,src_lang,tgt_lang\nx,a,b,en,fr\nx,a,b,en,fr\n")
    res = _cli(str(dup), "--encoder", "hash")
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "already used" in res.stderr
    usage = _cli("--encoder", "hash")
    assert usage.returncode == 2 and "MANIFEST" in usage.stderr


def test_cli_dir_errors_are_one_line_before_any_pair(tmp_path):
    src, tgt = tmp_path / "en", tmp_path / "fr"
    src.mkdir()
    tgt.mkdir()
    (tgt / "doc.txt").write_text("Le chat.", encoding="utf-8")
    dirs = ["--src-dir", str(src), "--tgt-dir", str(tgt), "--encoder", "hash", "--workers", "0",
            "--out", str(tmp_path / "out")]
    empty = _cli(*dirs, "--src-lang", "en", "--tgt-lang", "fr")
    assert empty.returncode == 2 and empty.stderr == f"workbench: error: no source files in {src}\n"
    (src / "doc.txt").write_text("The cat.", encoding="utf-8")
    unknown = _cli(*dirs, "--src-lang", "xx", "--tgt-lang", "fr")
    assert unknown.returncode == 2 and len(unknown.stderr.splitlines()) == 1
    assert "unknown language code 'xx'" in unknown.stderr
    assert not (tmp_path / "out").exists()


def test_cli_progress_bar_only_on_a_terminal(tmp_path):
    src, tgt = tmp_path / "en", tmp_path / "fr"
    src.mkdir()
    tgt.mkdir()
    (src / "doc.en.txt").write_text("The cat sat. It was happy.", encoding="utf-8")
    (tgt / "doc.fr.txt").write_text("Le chat était assis. Il était content.", encoding="utf-8")
    res = _cli("--src-dir", str(src), "--tgt-dir", str(tgt), "--src-lang", "en", "--tgt-lang", "fr",
               "--encoder", "hash", "--workers", "0", "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    # stderr is a pipe here: the summary line, and no bar (tqdm draws with \r and "%|")
    assert res.stderr.startswith("batch: 1 pairs: 1 ok") and len(res.stderr.splitlines()) == 1, res.stderr
    assert "\r" not in res.stderr and "%|" not in res.stderr


def test_kill_9_then_resume_gives_the_same_corpus_table(reference, tmp_path_factory):
    """kill -9 a batch (driver and its workers) once some pairs are done; run it again."""
    corpus = make_corpus(tmp_path_factory.mktemp("kcorpus"), n_pairs=40, seed=1, min_links=4, max_links=10, bad=4)
    ref = batch.run_batch(batch.read_manifest(corpus), tmp_path_factory.mktemp("kref"), HASH, workers=0)
    out = tmp_path_factory.mktemp("killed")
    cmd = [sys.executable, "-m", "workbench", "batch", str(corpus), "--out", str(out), "--encoder", "hash",
           "--workers", "2", "-q"]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        done = len(list((out / "pairs").glob("*.summary.json")))
        if done >= 8:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the batch ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its pool workers, mid-run
    proc.wait(timeout=30)
    at_kill = {p.name for p in (out / "pairs").glob("*.summary.json")}
    assert 8 <= len(at_kill) < 44
    assert not (out / "corpus.parquet").exists()
    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 5, rerun.stderr  # the 4 bad pairs
    run = json.loads((out / "run.json").read_text())
    assert run["skipped"] == len(at_kill) and run["processed"] == 44 - len(at_kill)  # nothing done twice
    table = pd.read_parquet(out / "corpus.parquet")
    assert table["id"].is_unique and len(table) == 44
    pd.testing.assert_frame_equal(comparable(table), comparable(ref.table))


# -- the corpus page ----------------------------------------------------------------------------


@pytest.fixture
def keep_main_module():
    """Streamlit runs a page as `__main__` and leaves it there; processes spawned later (the Dask
    tests' workers) would re-run that page instead of pytest's main module."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def test_corpus_page_filters_and_opens_a_pair(reference, keep_main_module):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "1_Corpus.py"), default_timeout=60).run()
    assert not at.exception
    at.text_input[0].set_value(reference.out_dir).run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert len(table) == 12
    scored = table.dropna(subset=["fidelity"])
    assert list(scored["fidelity"]) == sorted(scored["fidelity"])  # worst first
    at.multiselect[0].set_value(["error"]).run()
    assert set(at.dataframe[0].value["status"]) == {"error"}
    at.multiselect[0].set_value(["ok"]).run()
    at.slider[0].set_range(0.5, 1.0).run()
    assert at.dataframe[0].value["fidelity"].between(0.5, 1.0).all()
    at.slider[0].set_range(0.0, 1.0).run()
    pick = at.selectbox[0].options[0].split()[0]
    at.selectbox[0].select_index(0).run()
    at.button[0].click().run()
    opened = at.session_state["open_scored"]
    assert opened["name"] == pick
    assert len(opened["table"]) == reference.table.set_index("id").at[pick, "links"]
    assert opened["summary"]["fidelity"] == reference.table.set_index("id").at[pick, "fidelity"]
    assert opened["meta"]["tgt_lang"] == "fr" and opened["signature"].startswith("enc:hash")
