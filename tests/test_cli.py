"""The CLI: align/eval/segment/cache, output formats, and one clear line for every bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.align.evaluate import parse_vecalign

EN = "The cat sat on the mat. It was happy.\n\nThe dog barked at 7 p.m. on Jan. 21.\n"
FR = "Le chat était assis sur le tapis. Il était content.\n\nLe chien a aboyé à 19 h le 21 janvier.\n"


def run(*args: str, cwd: Path | None = None, input: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, cwd=cwd, env=env,
                          input=input, timeout=300)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    src, tgt = tmp_path / "en.txt", tmp_path / "fr.txt"
    src.write_text(EN, encoding="utf-8")
    tgt.write_text(FR, encoding="utf-8")
    return src, tgt


def covers_everything(links, n: int, m: int) -> bool:
    return [i for s, _ in links for i in s] == list(range(n)) and [j for _, t in links for j in t] == list(range(m))


def test_align_vecalign_to_stdout(pair):
    src, tgt = pair
    res = run("align", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "fr", "--encoder", "hash", "--quiet")
    assert res.returncode == 0, res.stderr
    assert res.stderr == b""
    links = parse_vecalign(res.stdout.decode())
    assert covers_everything(links, 3, 3)


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl"])
def test_align_tabular_formats_to_file(pair, tmp_path, fmt):
    from workbench.io import read_table

    src, tgt = pair
    out = tmp_path / f"out.{fmt}"
    res = run("align", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "fr", "--encoder", "hash",
              "--format", fmt, "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert b"aligned 3 x 3 sentences" in res.stderr
    table = read_table(out, fmt)
    assert {"src_ids", "tgt_ids", "src_text", "tgt_text", "similarity", "confidence"} <= set(table.columns)
    assert " ".join(table["src_text"]).split() == " ".join(EN.split()).split()


def test_presegmented_numbers_lines_and_skips_blank_lines(tmp_path):
    src, tgt = tmp_path / "a.txt", tmp_path / "b.txt"
    src.write_text("one\ntwo\n\nthree\n", encoding="utf-8")
    tgt.write_text("un\n\ndeux\ntrois\n", encoding="utf-8")
    res = run("align", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "fr", "--encoder", "hash",
              "--presegmented", "-q")
    assert res.returncode == 0, res.stderr
    assert covers_everything(parse_vecalign(res.stdout.decode()), 3, 3)


def test_segment_prints_paragraphs(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text(EN, encoding="utf-8")
    res = run("segment", str(f), "--lang", "en")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().splitlines() == ["The cat sat on the mat.", "It was happy.", "",
                                                 "The dog barked at 7 p.m. on Jan. 21."]


def test_eval_text_and_json(tmp_path):
    gold = tmp_path / "gold.align"
    pred = tmp_path / "pred.align"
    gold.write_text("[0]:[0]\n[1,2]:[1]\n[3]:[]\n")
    pred.write_text("[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[]\n")
    res = run("eval", str(gold), str(pred), "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["strict"]["recall"] == pytest.approx(2 / 3)
    res = run("eval", str(gold), str(pred))
    assert b"strict_no_null" in res.stdout


def test_cache_info_and_clear(pair):
    src, tgt = pair
    run("align", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "fr", "--encoder", "hash", "-q")
    info = run("cache", "info")
    assert info.returncode == 0
    assert b"hash-3gram-256: 6" in info.stdout
    cleared = run("cache", "clear")
    assert b"removed 6" in cleared.stdout


def test_no_cache_writes_nothing(pair):
    src, tgt = pair
    run("align", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "fr", "--encoder", "hash", "-q", "--no-cache")
    assert b"entries: 0" in run("cache", "info").stdout


def _bad_inputs(tmp_path: Path, pair):
    src, tgt = pair
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    ok = ["--src-lang", "en", "--tgt-lang", "fr", "--encoder", "hash"]
    return {
        "missing": ["align", str(tmp_path / "nope.txt"), str(tgt), *ok],
        "directory": ["align", str(tmp_path), str(tgt), *ok],
        "empty": ["align", str(empty), str(tgt), *ok],
        "binary": ["align", str(src), str(binary), *ok],
        "language": ["align", str(src), str(tgt), "--src-lang", "xx", "--tgt-lang", "fr", "--encoder", "hash"],
        "encoder": ["align", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "fr", "--encoder", "bogus"],
        "format": ["align", str(src), str(tgt), *ok, "--format", "docx"],
        "output": ["align", str(src), str(tgt), *ok, "-o", str(tmp_path / "no" / "dir" / "out.txt")],
        "output-dir": ["align", str(src), str(tgt), *ok, "-o", str(tmp_path)],
        "max-group": ["align", str(src), str(tgt), *ok, "--max-group", "0"],
        "windows": ["align", str(src), str(tgt), *ok, "--windows", "2"],
        "gold": ["eval", str(src), str(src)],
    }


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "language", "encoder", "format",
                                  "output", "output-dir", "max-group", "windows", "gold"])
def test_bad_input_gets_one_line_and_nonzero_exit(tmp_path, pair, case):
    res = run(*_bad_inputs(tmp_path, pair)[case])
    assert res.returncode != 0
    err = res.stderr.decode().strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("workbench: error:")


@pytest.mark.slow
def test_an_english_chinese_translation_with_splits_merges_and_an_omission(flagship, tmp_path):
    """A distant pair end to end: e5 rates faithful en-zh links ~0.86 (en-fr ~0.92) and a Chinese
    sentence has a third of the English characters; the aligner and the scores take the document's
    own scale (tests/data/en-zh: a translation written for the tests)."""
    data = Path(__file__).parent / "data" / "en-zh"
    out = tmp_path / "zh.align"
    res = run("align", str(flagship / "en.sents"), str(data / "zh.sents"), "--src-lang", "en", "--tgt-lang", "zh",
              "--presegmented", "-q", "-o", str(out))
    assert res.returncode == 0, res.stderr
    scores = json.loads(run("eval", str(data / "gold.align"), str(out), "--json").stdout)
    assert scores["strict"]["f1"] >= 0.9 and scores["lax"]["f1"] >= 0.95, scores
    scored = tmp_path / "zh.jsonl"
    res = run("score", str(flagship / "en.sents"), str(data / "zh.sents"), "--src-lang", "en", "--tgt-lang", "zh",
              "--presegmented", "--calibration", "fresh", "--format", "jsonl", "-q", "-o", str(scored))
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in scored.read_text(encoding="utf-8").splitlines()]
    labels = [r["label"] for r in rows]
    assert labels.count("equivalent") >= 0.8 * len(rows) and "major" not in labels
    # names are not compared across scripts (a URL in the Chinese does not make it Latin), nor is the
    # length of a heading
    assert not any(f["check"] == "names" for r in rows for f in r["flags"])


@pytest.mark.slow
def test_a_literary_translation_with_dialogue_splits_merges_an_omission_and_an_addition(tmp_path):
    """A novel's chapter and its French translation (tests/data/en-fr-literary, written for the tests):
    short dialogue lines, dialogue dashes for quotes, sentences split and merged. Aligned like the
    gold; scored faithful but for the sentence left out and the one added."""
    data = Path(__file__).parent / "data" / "en-fr-literary"
    args = (str(data / "en.sents"), str(data / "fr.sents"), "--src-lang", "en", "--tgt-lang", "fr", "--presegmented", "-q")
    out = tmp_path / "lit.align"
    res = run("align", *args, "-o", str(out))
    assert res.returncode == 0, res.stderr
    scores = json.loads(run("eval", str(data / "gold.align"), str(out), "--json").stdout)
    assert scores["strict"]["f1"] >= 0.95, scores
    scored = tmp_path / "lit.jsonl"
    res = run("score", *args, "--calibration", "fresh", "--format", "jsonl", "-o", str(scored))
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in scored.read_text(encoding="utf-8").splitlines()]
    labels = [r["label"] for r in rows]
    assert labels.count("equivalent") >= 0.8 * len(rows) and labels.count("major") <= 3, labels
    assert [r["src_ids"] for r in rows if r["label"] == "omission"] == [[56]]
    assert [r["tgt_ids"] for r in rows if r["label"] == "addition"] == [[85]]
    # a dash opening a speech turn is the French for quotation marks
    dashed = [r for r in rows if r["tgt_text"].startswith("—") and r["src_text"].startswith('"')]
    assert len(dashed) > 30 and not any(f["check"] == "brackets" for r in dashed for f in r["flags"])


@pytest.mark.slow
def test_flagship_alignment_from_raw_text_matches_gold(flagship, tmp_path):
    out = tmp_path / "flagship.align"
    res = run("align", str(flagship / "en.txt"), str(flagship / "fr.txt"), "--src-lang", "en", "--tgt-lang", "fr",
              "-q", "-o", str(out))
    assert res.returncode == 0, res.stderr
    res = run("eval", str(flagship / "gold.align"), str(out), "--json")
    scores = json.loads(res.stdout)
    assert scores["strict"]["f1"] == 1.0, scores


def test_output_never_replaces_an_input_nor_guesses_a_folder(pair, tmp_path):
    src, tgt = pair
    before = src.read_bytes()
    r = run("align", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "fr", "--encoder", "hash", "-o", str(src))
    assert r.returncode != 0 and b"is also an input" in r.stderr and b"Traceback" not in r.stderr
    assert src.read_bytes() == before
    r = run("align", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "fr", "--encoder", "hash",
            "-o", str(tmp_path / "newdir") + "/")
    assert r.returncode != 0 and b"directory that does not exist" in r.stderr
    assert not (tmp_path / "newdir").exists()


def test_eval_divergences_reads_a_gold_file_with_a_bom(tmp_path):
    gold, pred = tmp_path / "gold.tsv", tmp_path / "pred.tsv"
    gold.write_bytes(b"\xef\xbb\xbflink\tlabel\tnote\n[0]:[0]\tmajor\t\n")
    pred.write_text("src_ids\ttgt_ids\tlabel\n[0]\t[0]\tmajor\n", encoding="utf-8")
    r = run("eval-divergences", str(gold), str(pred))
    assert r.returncode == 0, r.stderr
