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
    # major_threshold stays below equivalent_threshold, as the config requires
    cfg.write_text("equivalent_threshold = 0.5\nmajor_threshold = 0.4\n[checks.names]\nenabled = false\n",
                   encoding="utf-8")
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
    # (the hash encoder knows no language, so it cannot confirm the negation: found, but only as a hint)
    assert t.loc[1, "check_negation"] > 0
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


# -- bad input found by QA ------------------------------------------------------------------------

PAIR_ARGS = ["--src-col", "en", "--tgt-col", "fr", *LANGS, "--encoder", "hash"]


def test_score_pairs_header_only_file_is_one_line(tmp_path, monkeypatch):
    h = tmp_path / "h.tsv"
    h.write_text("en\tfr\n", encoding="utf-8")
    res = run(["score-pairs", h, *PAIR_ARGS], monkeypatch)
    assert_one_line_error(res, "h.tsv: no rows to score")
    assert res.code == 2


@pytest.mark.parametrize("name, text, words", [
    ("bad.csv", "en,fr\nHello, world.,Bonjour\n", "bad.csv line 2: expected 2 fields, saw 3"),
    ("bad.csv", "en,fr\nHi,Salut\nHello, world.,Bonjour,x\n", "bad.csv line 3: expected 2 fields, saw 4"),
    ("bad.tsv", "en\tfr\nHello\nworld\tBonjour\n", "bad.tsv line 2: expected 2 fields, saw 1"),
])
def test_score_pairs_rows_with_another_field_count_are_rejected(tmp_path, monkeypatch, name, text, words):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    res = run(["score-pairs", p, *PAIR_ARGS], monkeypatch)
    assert_one_line_error(res, words)
    assert res.code == 2


def test_score_pairs_quoted_separators_are_one_field(tmp_path, monkeypatch):
    p = tmp_path / "ok.csv"
    p.write_text('en,fr\n"Hello, world.","Bonjour, le monde."\n\n', encoding="utf-8")
    res = run(["score-pairs", p, *PAIR_ARGS, "--format", "jsonl", "-q"], monkeypatch)
    assert res.code == 0, res.err
    row = json.loads(res.text)
    assert (row["src_text"], row["tgt_text"]) == ("Hello, world.", "Bonjour, le monde.")


def test_score_pairs_keeps_a_row_with_both_cells_empty(tmp_path, monkeypatch):
    p = tmp_path / "e.tsv"
    p.write_text("id\ten\tfr\nA\t\t\nB\tHe has 3 cats.\tIl a 3 chats.\n", encoding="utf-8")
    summ = tmp_path / "s.json"
    res = run(["score-pairs", p, *PAIR_ARGS, "--format", "jsonl", "--summary", summ], monkeypatch)
    assert res.code == 0, res.err
    rows = [json.loads(line) for line in res.text.splitlines()]
    assert [r["id"] for r in rows] == ["A", "B"]  # one row per input row
    blank = rows[0]
    assert (blank["src_ids"], blank["tgt_ids"], blank["fidelity"], blank["label"]) == ([], [], 1.0, "equivalent")
    assert [f["check"] for f in blank["flags"]] == ["empty"]
    summary = json.loads(summ.read_text(encoding="utf-8"))
    assert summary["links"] == 2 and summary["flags"] == {"empty": 1} and "calibration" in summary


@pytest.mark.parametrize("fmt", ["tmx", "html"])
def test_score_pairs_tmx_and_html_keep_other_columns(pairs, tmp_path, monkeypatch, fmt):
    out = tmp_path / f"scored.{fmt}"
    res = run(["score-pairs", pairs, *PAIR_ARGS, "-o", out, "-q"], monkeypatch)
    assert res.code == 0, res.err
    back = read_table(out)
    assert list(back["id"]) == ["a1", "b2", "c3"] and list(back["note"]) == ["x", "y", "z"]
    if fmt == "tmx":
        assert '<prop type="x-id">a1</prop>' in out.read_text(encoding="utf-8")
    else:
        assert '<span class="col">id</span>: a1' in out.read_text(encoding="utf-8")


def test_score_reference_with_another_sentence_count_is_one_line(tmp_path, monkeypatch):
    ref = tmp_path / "ref.txt"
    lines = TGT.read_text(encoding="utf-8").splitlines()
    ref.write_text("\n".join(lines[:20]) + "\n", encoding="utf-8")
    res = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "--reference", ref], monkeypatch)
    assert_one_line_error(res, "reference", "has 20 sentences", f"has {len(lines)}")
    assert res.code == 2


def test_score_documents_checks_the_reference_length(monkeypatch):
    from workbench import pipeline
    from workbench.errors import FormatError
    from workbench.text import read_document

    result = pipeline.align_documents(*pipeline.load_documents(SRC, TGT, "en", "fr", True), "hash")
    ref = read_document(SRC, "fr", True)  # segmented otherwise than the target
    with pytest.raises(FormatError, match=f"the reference has {len(ref)} sentences, the target {len(result.tgt)}"):
        pipeline.score_documents(result, reference=ref)


@pytest.mark.parametrize("option", ["--summary", "--save-calibration"])
def test_score_output_options_that_are_directories_name_the_option(option, tmp_path, monkeypatch):
    res = run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", option, tmp_path], monkeypatch)
    assert_one_line_error(res, "is a directory", f"give a file name for {option}")
    res = run(["score-pairs", tmp_path / "none.tsv", *PAIR_ARGS, option, tmp_path], monkeypatch)
    assert_one_line_error(res, f"give a file name for {option}")


@pytest.fixture
def scored(tmp_path, monkeypatch) -> Path:
    out = tmp_path / "pred.tsv"
    assert run(["score", SRC, TGT, *LANGS, "--presegmented", "--encoder", "hash", "-o", out, "-q"],
               monkeypatch).code == 0
    return out


@pytest.mark.parametrize("text, words", [
    ("link\tlabel\tnote\n[0]:[0\tminor\tx\n", ["gold.tsv line 2", "'[0]:[0'"]),
    ("link\tlabel\tnote\n[0]:[1]:x\tminor\tx\n", ["gold.tsv line 2"]),
    ("link\tlabel\tnote\n[]:[]\tminor\tx\n", ["gold.tsv line 2"]),
    ("link\tlabel\tnote\n[0]:[]\tomission\tx\n[0]:[]\tminor\ty\n", ["gold.tsv line 3", "already in line 2"]),
    ("link\tlabel\tnote\n", ["gold.tsv: no gold links"]),
])
def test_eval_divergences_malformed_gold_is_one_line(scored, tmp_path, monkeypatch, text, words):
    gold = tmp_path / "gold.tsv"
    gold.write_text(text, encoding="utf-8")
    res = run(["eval-divergences", gold, scored], monkeypatch)
    assert_one_line_error(res, *words)
    assert res.code == 2


def test_eval_divergences_prediction_that_is_no_table_is_one_line(scored, tmp_path, monkeypatch):
    text = tmp_path / "en.txt"  # a .txt is read as TSV, as `score -o x.txt` writes it
    text.write_text(SRC.read_text(encoding="utf-8"), encoding="utf-8")
    assert_one_line_error(run(["eval-divergences", GOLD, text], monkeypatch), "en.txt")
    other = tmp_path / "pred.align"
    other.write_bytes(scored.read_bytes())
    res = run(["eval-divergences", GOLD, other], monkeypatch)
    assert_one_line_error(res, "pred.align: cannot tell the table's format", ".tsv")
    assert "fmt=" not in res.err
    txt = tmp_path / "pred.txt"
    txt.write_bytes(scored.read_bytes())
    assert run(["eval-divergences", GOLD, txt], monkeypatch).code == 0
