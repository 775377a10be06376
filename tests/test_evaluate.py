"""Strict and lax scores as vecalign's and Bertalign's score.py define them."""

import pytest

from workbench.align.evaluate import parse_vecalign, score_alignment
from workbench.errors import FormatError

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((), (2,))]


def test_identical_alignment_scores_one():
    res = score_alignment(GOLD, GOLD)
    assert all(v["f1"] == 1.0 for v in res.values())


def test_strict_and_lax_differ_on_a_partial_link():
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((), (2,))]
    res = score_alignment(test, GOLD)
    # strict: 3 of 5 test links are gold ([0]:[0], [3]:[], []:[2]); 3 of 4 gold links are found
    assert res["strict"]["precision"] == pytest.approx(3 / 5)
    assert res["strict"]["recall"] == pytest.approx(3 / 4)
    # lax: [1]:[1] overlaps the gold [1,2]:[1]; [2]:[] overlaps nothing on the target side
    assert res["lax"]["precision"] == pytest.approx(4 / 5)
    # without null links only [0]:[0] and [1]:[1] (test) vs [0]:[0], [1,2]:[1] (gold) remain
    assert res["strict_no_null"]["f1"] == pytest.approx(0.5)
    assert res["lax_no_null"]["f1"] == pytest.approx(1.0)


def test_parse_vecalign_accepts_spaces_and_costs():
    links = parse_vecalign("[0, 1]:[0]:0.12\n[2]:[]\n\n[]:[1]\n")
    assert links == [((0, 1), (0,)), ((2,), ()), ((), (1,))]


@pytest.mark.parametrize("text", ["", "0-0\n", "[a]:[0]\n", "[0]-[1]\n"])
def test_malformed_gold_is_a_format_error(text):
    with pytest.raises(FormatError):
        parse_vecalign(text, "gold")


@pytest.mark.parametrize("text, words", [
    ("[0]:[0]\n[0]:[1]\n", "dup.align line 2: source sentence 0 is already in line 1"),
    ("[0]:[0]\n[1]:[0]\n", "dup.align line 2: target sentence 0 is already in line 1"),
    ("[0,0]:[0]\n", "dup.align line 1: source sentence 0 is already in this line"),
    ("[0]:[0]\n[]:[]\n", "dup.align line 2: the link []:[] holds no sentence"),
    ("[0]:[0]\n[1]:[1]:x\n", "dup.align line 2: expected a link"),
    ("[0]:[0] junk\n", "dup.align line 1: expected a link"),
])
def test_malformed_alignment_names_file_and_line(text, words):
    with pytest.raises(FormatError) as exc:
        parse_vecalign(text, "dup.align")
    assert words in str(exc.value)


def test_gold_files_and_the_aligners_output_still_read(tmp_path):
    from pathlib import Path

    from workbench.align.evaluate import read_vecalign

    root = Path(__file__).resolve().parents[1]
    golds = [*root.glob("tests/data/*/gold.align"), *root.glob("corpora/*/gold.align"),
             *root.parent.glob("shared/eval/textberg_dev/dev/gold.align")]
    assert golds
    for path in golds:
        assert read_vecalign(path)
    assert parse_vecalign("[0]:[0]:-1.5e-3\n[1, 2]:[]\n[]:[1]:0\n") == [((0,), (0,)), ((1, 2), ()), ((), (1,))]


def test_eval_command_rejects_a_malformed_prediction(tmp_path, capsys):
    from workbench.cli import main

    gold, pred = tmp_path / "gold.align", tmp_path / "dup.align"
    gold.write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    pred.write_text("[0]:[0]\n[0]:[1]\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["eval", str(gold), str(pred)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "dup.align line 2: source sentence 0 is already in line 1" in err
