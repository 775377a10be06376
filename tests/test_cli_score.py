"""The fidelity commands: score, score-pairs, eval-divergences (hash encoder, cache in tmp_path)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from workbench.io import read_table

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "reuters-2022-01-28-ukraine"
SRC, TGT, GOLD = CORPUS / "en.sents", CORPUS / "fr.sents", CORPUS / "gold.divergences.tsv"
LANGS = ["--src-lang", "en", "--tgt-lang", "fr"]


class Out:
    def __init__(self, code: int, out: bytes, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))


def run(argv: list[str], monkeypatch, tty: bool = False) -> Out:
    """`workbench.cli.main(argv)` in process, with stdout (bytes) and stderr captured."""
    from workbench.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    if tty:
        out.isatty = lambda: True  # type: ignore[method-assign]
    code = 0
    # a context of its own: undoing the test's monkeypatch would also drop its isolated cache directory
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "stdout", out)
        mp.setattr(sys, "stderr", err)
        try:
            main([str(a) for a in argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out.flush()
    return Out(code, out.buffer.getvalue(), err.getvalue())  # type: ignore[attr-defined]


def assert_one_line_error(res: Out, *words: str) -> None:
    assert res.code != 0
    lines = [line for line in res.err.splitlines() if line.strip()]
    assert len(lines) == 1, res.err
    assert "Traceback" not in res.err
    for w in words:
        assert w in lines[0], lines[0]


@pytest.fixture
def pairs(tmp_path) -> Path:
    p = tmp_path / "pairs.tsv"
    pd.DataFrame({"id": ["a1", "b2", "c3"],
                  "en": ["He has 3 cats.", "The war is not over.", "Putin met Macron in Paris."],
                  "fr": ["Il a 4 chats.", "La guerre est finie.", "Poutine a rencontré Macron à Paris."],
                  "note": ["x", "y", "z"]}).to_csv(p, sep="\t", index=False)
    return p


# -- score ----------------------------------------------------------------------------------------


def test_score_flagship_to_file_with_summary_json(tmp_path, monkeypatch):
    gl = tmp_path / "g.tsv"
    gl.write_text("indivisibility of security\tindivisibilité de la sécurité\n", encoding="utf-8")
    out, summ = tmp_path / "out.jsonl", tmp_path / "summary.json"
    res = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "--glossary", gl,
               "-o", out, "--summary", summ, "--check", "names.threshold=0.6", "--disable-check", "brackets",
               "--disable-check", "moved"],
              monkeypatch)
    assert res.code == 0, res.err
    table = read_table(out)
    for col in ("src_ids", "tgt_ids", "src_text", "tgt_text", "similarity", "confidence", "fidelity", "label", "flags"):
        assert col in table.columns
    assert set(table["label"]) <= {"equivalent", "minor", "major", "omission", "addition"}
    summary = json.loads(summ.read_text(encoding="utf-8"))
    assert summary["links"] == len(table)
    sig = summary["signature"]
    assert "enc:hash" in sig and "brackets=off" in sig and "threshold=0.6" in sig and "moves:off" in sig
    assert "signature:" not in res.err  # the summary went to the file


def test_score_summary_goes_to_stderr_and_table_to_stdout(monkeypatch):
    res = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "--format", "csv"], monkeypatch)
    assert res.code == 0, res.err
    assert res.text.startswith("link,")
    assert "signature: enc:hash" in res.err and "fidelity" in res.err
    quiet = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "-q"], monkeypatch)
    assert quiet.code == 0 and quiet.err == ""
    assert quiet.text.startswith("link\t")  # tsv by default


def test_score_binary_format_needs_a_file_on_a_terminal(tmp_path, monkeypatch):
    res = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "--format", "xlsx"],
              monkeypatch, tty=True)
    assert_one_line_error(res, "binary", "-o")
    piped = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "--format", "parquet", "-q"],
                monkeypatch)
    assert piped.code == 0 and piped.out[:4] == b"PAR1"
    out = tmp_path / "o.xlsx"
    ok = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "-o", out, "-q"], monkeypatch)
    assert ok.code == 0 and len(read_table(out)) > 0  # format from the extension


def test_score_with_reference_adds_chrf(tmp_path, monkeypatch):
    out = tmp_path / "o.tsv"
    res = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "--reference", TGT, "-o", out,
               "-q"], monkeypatch)
    assert res.code == 0, res.err
    assert "chrf" in pd.read_csv(out, sep="\t").columns


@pytest.mark.parametrize("args, words", [
    (["score", "/nonexistent/en.txt", TGT], ["no such file"]),
    (["score", SRC, TGT, "--glossary", "/nonexistent/g.tsv"], ["glossary"]),
    (["score", SRC, TGT, "--check", "nope.threshold=1"], ["unknown check 'nope'"]),
    (["score", SRC, TGT, "--check", "names.nope=1"], ["has no setting"]),
    (["score", SRC, TGT, "--check", "names.threshold"], ["NAME.KEY=VALUE"]),
    (["score", SRC, TGT, "--disable-check", "nope"], ["unknown check 'nope'"]),
    (["score", SRC, TGT, "-o", "/nonexistent/dir/o.tsv"], ["does not exist"]),
])
def test_score_bad_input_is_one_line(args, words, monkeypatch):
    res = run([*args, *LANGS, "--presegmented", "--encoder", "hash"], monkeypatch)
    assert_one_line_error(res, *words)


def test_score_bad_config_and_glossary_files(tmp_path, monkeypatch):
    cfg = tmp_path / "c.toml"
    gl = tmp_path / "g.tsv"
    gl.write_text("only one column\n", encoding="utf-8")
    for text, words in (("x = [", ["not valid TOML"]), ("nonsense = 1\n", ["unknown setting"]),
                        ("[checks.names]\nenabled = 3\n", ["true or false"])):
        cfg.write_text(text, encoding="utf-8")
        res = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "--config", cfg], monkeypatch)
        assert_one_line_error(res, *words)
    res = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "--glossary", gl], monkeypatch)
    assert_one_line_error(res, "glossary", "line 1")


def test_score_config_file_is_applied(tmp_path, monkeypatch):
    cfg = tmp_path / "c.toml"
    cfg.write_text("equivalent_threshold = 0.5\n[checks.names]\nenabled = false\n", encoding="utf-8")
    summ = tmp_path / "s.json"
    res = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "--config", cfg, "--summary", summ],
              monkeypatch)
    assert res.code == 0, res.err
    sig = json.loads(summ.read_text())["signature"]
    assert "eq:0.5" in sig and "names=off" in sig


# -- score-pairs ----------------------------------------------------------------------------------


def test_score_pairs_keeps_other_columns(pairs, tmp_path, monkeypatch):
    out = tmp_path / "scored.csv"
    res = run(["score-pairs", pairs, "--src-col", "en", "--tgt-col", "fr", *LANGS, "--encoder", "hash", "-o", out],
              monkeypatch)
    assert res.code == 0, res.err
    t = pd.read_csv(out)
    assert list(t["id"]) == ["a1", "b2", "c3"] and list(t["note"]) == ["x", "y", "z"]
    assert list(t["src_text"]) == ["He has 3 cats.", "The war is not over.", "Putin met Macron in Paris."]
    assert t.loc[0, "label"] != "equivalent" and "numbers" in t.loc[0, "flags"]
    assert "negation" in t.loc[1, "flags"]
    assert "signature: enc:hash" in res.err


def test_score_pairs_jsonl_to_stdout(pairs, monkeypatch):
    res = run(["score-pairs", pairs, "--src-col", "en", "--tgt-col", "fr", *LANGS, "--encoder", "hash",
               "--format", "jsonl", "-q"], monkeypatch)
    assert res.code == 0, res.err
    rows = [json.loads(line) for line in res.text.splitlines()]
    assert [r["id"] for r in rows] == ["a1", "b2", "c3"]


@pytest.mark.parametrize("cols, words", [
    (["--src-col", "english", "--tgt-col", "fr"], ["no column 'english'", "columns: id, en, fr, note"]),
    (["--src-col", "en", "--tgt-col", "en"], ["two different columns"]),
])
def test_score_pairs_missing_columns(pairs, cols, words, monkeypatch):
    res = run(["score-pairs", pairs, *cols, *LANGS, "--encoder", "hash"], monkeypatch)
    assert_one_line_error(res, *words)


def test_score_pairs_missing_file_and_bad_language(tmp_path, pairs, monkeypatch):
    res = run(["score-pairs", tmp_path / "none.tsv", "--src-col", "en", "--tgt-col", "fr", *LANGS,
               "--encoder", "hash"], monkeypatch)
    assert_one_line_error(res, "no such file")
    res = run(["score-pairs", pairs, "--src-col", "en", "--tgt-col", "fr", "--src-lang", "zz-nope",
               "--tgt-lang", "fr", "--encoder", "hash"], monkeypatch)
    assert res.code != 0 and "Traceback" not in res.err


# -- eval-divergences -----------------------------------------------------------------------------


def test_eval_divergences_text_and_json(tmp_path, monkeypatch):
    gold = pd.read_csv(GOLD, sep="\t", keep_default_na=False)
    rows = []
    for k, (link, label) in enumerate(zip(gold["link"], gold["label"], strict=True)):
        s, t = link.split(":")
        rows.append({"link": k, "src_ids": s, "tgt_ids": t, "src_text": "s", "tgt_text": "t", "label": label})
    pred = tmp_path / "pred.tsv"
    pd.DataFrame(rows).to_csv(pred, sep="\t", index=False)
    res = run(["eval-divergences", GOLD, pred, "--json"], monkeypatch)
    assert res.code == 0, res.err
    figures = json.loads(res.text)
    assert figures["weighted"]["f1"] == 1.0 and figures["matched_links"] == len(gold)
    text = run(["eval-divergences", GOLD, pred], monkeypatch)
    assert text.code == 0 and "weighted" in text.text and "omission" in text.text


def test_eval_divergences_bad_input(tmp_path, pairs, monkeypatch):
    assert_one_line_error(run(["eval-divergences", GOLD, tmp_path / "none.tsv"], monkeypatch), "no such file")
    assert_one_line_error(run(["eval-divergences", GOLD, pairs], monkeypatch), "no 'label' column")
    bad = tmp_path / "gold.tsv"
    bad.write_text("link\tlabel\nnonsense\tminor\n", encoding="utf-8")
    out = tmp_path / "o.tsv"
    assert run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "-o", out, "-q"],
               monkeypatch).code == 0
    assert_one_line_error(run(["eval-divergences", bad, out], monkeypatch), "line 2")


def test_real_process_error_is_one_line(tmp_path):
    """The installed entry point, end to end: exit code and a single stderr line."""
    proc = subprocess.run([sys.executable, "-m", "workbench", "score-pairs", str(tmp_path / "x.tsv"),
                           "--src-col", "en", "--tgt-col", "fr", *LANGS, "--encoder", "hash"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "no such file" in proc.stderr


def test_score_pairs_saves_and_reuses_a_calibration(pairs, tmp_path, monkeypatch):
    cal = tmp_path / "cal.json"
    base = ["score-pairs", pairs, "--src-col", "en", "--tgt-col", "fr", *LANGS, "--encoder", "hash", "-q"]
    res = run([*base, "--save-calibration", cal, "--format", "jsonl"], monkeypatch)
    assert res.code == 0, res.err
    record = json.loads(cal.read_text())
    assert record["format"] == "workbench-calibration/1" and record["encoder"].startswith("hash")
    again = run([*base, "--calibration", cal, "--format", "jsonl"], monkeypatch)
    assert again.code == 0, again.err
    assert [json.loads(x)["fidelity"] for x in again.text.splitlines()] == \
        [json.loads(x)["fidelity"] for x in res.text.splitlines()]
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert_one_line_error(run([*base, "--calibration", bad], monkeypatch), "not a workbench-calibration/1 file")
    other = run(["score-pairs", pairs, "--src-col", "en", "--tgt-col", "fr", "--src-lang", "en", "--tgt-lang", "de",
                 "--encoder", "hash", "--calibration", cal], monkeypatch)
    assert_one_line_error(other, "the calibration is for en-fr, this run is en-de")


def test_score_documents_on_the_scale_of_an_earlier_run(tmp_path, monkeypatch):
    cal = tmp_path / "cal.json"
    base = ["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "--format", "jsonl"]
    first = run([*base, "--save-calibration", cal], monkeypatch)
    assert first.code == 0, first.err
    record = json.loads(cal.read_text())
    assert record["typical_from"] == "document" and record["src_lang"] == "en"
    again = run([*base, "--calibration", cal], monkeypatch)
    assert again.code == 0, again.err
    assert "calib:" in again.err and "calib:" not in first.err
    assert [json.loads(x)["fidelity"] for x in again.text.splitlines()] == \
        [json.loads(x)["fidelity"] for x in first.text.splitlines()]


def test_score_pairs_remembers_the_scale_of_the_first_run_on_the_same_sources(tmp_path, monkeypatch):
    p = tmp_path / "versions.tsv"
    pd.DataFrame({"en": ["He has 3 cats.", "The war is not over.", "Putin met Macron in Paris."],
                  "fr": ["Il a 3 chats.", "La guerre n'est pas finie.", "Poutine a rencontré Macron à Paris."],
                  "fr2": ["Il a 4 chats.", "La guerre est finie.", "Poutine a rencontré Macron."]}).to_csv(
        p, sep="\t", index=False)
    base = ["score-pairs", p, "--src-col", "en", *LANGS, "--encoder", "hash", "--format", "jsonl"]
    first = run([*base, "--tgt-col", "fr"], monkeypatch)
    assert first.code == 0 and "remembered" not in first.err
    second = run([*base, "--tgt-col", "fr2"], monkeypatch)
    assert second.code == 0 and "scored on the calibration remembered" in second.err and "calib:" in second.err
    assert "calibrations remembered: 1" in run(["cache", "info"], monkeypatch).text
    fresh = run([*base, "--tgt-col", "fr2", "--calibration", "fresh"], monkeypatch)
    assert fresh.code == 0 and "remembered" not in fresh.err and "calib:" not in fresh.err
    uncached = run([*base, "--tgt-col", "fr", "--no-cache"], monkeypatch)
    assert uncached.code == 0 and "remembered" not in uncached.err
