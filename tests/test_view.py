"""The app's view functions: escaping and highlighting, filters, pages, charts."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from workbench import edits, view

XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_SCRIPT = "<script>window.__xss=1</script>"
MARKDOWN = "**bold** _it_ [link](javascript:alert(1)) :red[x] $x^2$"


def flag(check, src=(), tgt=(), sev=0.8, msg="m"):
    return {"check": check, "message": msg, "severity": sev, "src_spans": [list(s) for s in src],
            "tgt_spans": [list(s) for s in tgt]}


def table() -> pd.DataFrame:
    rows = [
        ([0], [0], "Alpha 100 troops.", "Alpha 1000 soldats.", 0.5, "minor", [flag("numbers", [(6, 9)], [(6, 10)])]),
        ([1], [], f"Omitted {XSS_IMG}.", "", 0.0, "omission", []),
        ([2], [1], f"Beta {XSS_SCRIPT}", f"Bêta {XSS_SCRIPT}", 0.95, "equivalent", []),
        ([], [2], "", f"Added {MARKDOWN}", 0.0, "addition", []),
        ([3, 4], [3], "Gamma one. Gamma two.", "Gamma.", 0.3, "major",
         [flag("partial", [(11, 21)], sev=0.3), flag("names", [(0, 5)], [(0, 5)], msg="<b>Kyiv</b> & 'Kiev'")]),
    ]
    return edits.prepare(pd.DataFrame([
        {"link": k, "src_ids": s, "tgt_ids": t, "src_text": a, "tgt_text": b, "similarity": 0.5,
         "confidence": 0.2 * k, "fidelity": f, "label": lab, "flags": json.dumps(fl)}
        for k, (s, t, a, b, f, lab, fl) in enumerate(rows)]))


META = {"src_paragraphs": [0, 0, 1, 1, 1], "tgt_paragraphs": [0, 1, 1, 2]}


def test_highlight_cuts_raw_text_then_escapes():
    text = "a <b>c</b> & d"
    out = view.highlight(text, [(2, 5, "t<1>", 0.9)])
    assert out == 'a <mark class="sev-high" title="t&lt;1&gt;">&lt;b&gt;</mark>c&lt;/b&gt; &amp; d'
    # overlapping spans merge, out-of-range spans are clipped
    out = view.highlight("abcdef", [(1, 4, "x", 0.2), (3, 99, "y", 0.5)])
    assert out == 'a<mark class="sev-low" title="x">bc</mark><mark class="sev-mid" title="x; y">d</mark>' \
                  '<mark class="sev-mid" title="y">ef</mark>'
    assert view.highlight("abc", [(5, 2, "bad", 1.0)]) == "abc"


def test_table_html_is_inert_and_complete():
    t = table()
    out = view.table_html(t, META, current=4)
    assert "\n" not in out  # one raw HTML block for the markdown renderer
    for raw in (XSS_IMG, XSS_SCRIPT, "<b>Kyiv</b>"):
        assert raw not in out
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in out
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in out
    assert "<script" not in out and "onerror=" not in out.replace("onerror=&quot;", "")
    assert MARKDOWN.replace("'", "&#x27;") in out  # markdown shown as typed
    assert '<mark class="sev-high" title="numbers: m">100</mark>' in out
    assert "not translated (omission)" in out and "no source (addition)" in out
    assert out.count('<tr class="label-') == 5
    assert 'class="label-major cur"' in out
    assert out.count('class="pmark"') == 3  # source sentence 2, target sentences 1 and 3 start paragraphs


def test_human_marks_and_comment():
    t = edits.set_comment(edits.relabel(table(), 0, "major"), 0, "<i>see</i>\nnote")
    out = view.row_html(next(t.itertuples(index=False)))
    assert "scorer said minor" in out and "&lt;i&gt;see&lt;/i&gt;<br>note" in out


def test_filters_sort_and_pages():
    t = table()
    assert view.filter_table(t)["link"].tolist() == [0, 1, 2, 3, 4]
    assert view.filter_table(t, labels=["minor", "major"])["link"].tolist() == [0, 4]
    assert view.filter_table(t, flags=["names"])["link"].tolist() == [4]
    assert view.filter_table(t, fidelity=(0.4, 1.0))["link"].tolist() == [0, 2]
    assert view.filter_table(t, query="GAMMA")["link"].tolist() == [4]
    assert view.filter_table(t, query="<script>")["link"].tolist() == [2]
    assert view.filter_table(t, labels=["equivalent"], query="alpha").empty
    assert view.sort_table(t, "fidelity (lowest first)")["link"].tolist() == [1, 3, 4, 0, 2]
    assert view.sort_table(t, "fidelity (highest first)")["link"].tolist()[0] == 2
    big = pd.DataFrame({"link": range(120), "label": ["equivalent"] * 119 + ["major"]})
    rows, page, pages = view.paginate(big, 5, 50)
    assert (page, pages, rows["link"].tolist()[0], len(rows)) == (2, 3, 100, 20)
    assert view.page_of(big, 119) == 2 and view.page_of(big, 500) is None
    assert view.next_divergence(big, 3) == 119 and view.next_divergence(big, 119) == 119
    assert view.next_divergence(t, 1) == 3 and view.next_divergence(t, 4) == 0
    assert view.next_divergence(t.iloc[[2]], None) is None


def test_summary_and_counts():
    t = table()
    fig = view.summary_figures({"fidelity": 0.61, "coverage": {"sentences": 0.8, "words": 0.75}}, t)
    assert fig["fidelity"] == 0.61 and fig["coverage_words"] == 0.75 and fig["links"] == 5
    assert fig["labels"]["minor"] == 1 and fig["flags"] == {"names": 1, "numbers": 1, "partial": 1}
    assert "equivalent 1" in view.chips_html(fig["labels"])


def test_paragraph_starts():
    starts = view.paragraph_starts(table(), META)
    assert starts[0] == (False, False) and starts[2] == (True, True) and starts[3] == (False, False)
    assert view.paragraph_starts(table(), {})[2] == (False, False)


def test_charts_build():
    t = table()
    points, gaps = view.path_data(t)
    assert points["link"].tolist() == [0, 2, 4]
    assert points["segment"].tolist() == [0, 1, 2]  # the line breaks at the omission and the addition
    assert gaps[["axis", "position"]].values.tolist() == [["source", 1], ["target", 2]]
    for chart in (view.path_chart(t), view.distribution_chart(t), view.along_chart(t)):
        spec = chart.to_dict()
        assert "$schema" in spec


@pytest.mark.parametrize("n", [5000])
def test_large_table_is_fast(n):
    import time

    t = edits.prepare(pd.DataFrame({
        "link": range(n), "src_ids": [[i] for i in range(n)], "tgt_ids": [[i] for i in range(n)],
        "src_text": [f"Sentence {i} with some words." for i in range(n)],
        "tgt_text": [f"Phrase {i} avec des mots." for i in range(n)], "similarity": 0.9, "confidence": 0.9,
        "fidelity": [(i % 100) / 100 for i in range(n)], "label": ["minor"] * n,
        "flags": [json.dumps([flag("numbers", [(9, 10)])]) if i % 7 == 0 else "[]" for i in range(n)]}))
    t0 = time.perf_counter()
    checks = view.flag_checks(t)
    shown = view.sort_table(view.filter_table(t, ["minor"], ["numbers"], (0.1, 0.9), "sentence", checks=checks),
                            "fidelity (lowest first)")
    rows, _, _ = view.paginate(shown, 0)
    html = view.table_html(rows, {})
    assert len(rows) == 50 and html.count("<tr class=") == 50
    assert time.perf_counter() - t0 < 2.0
