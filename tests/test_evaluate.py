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
