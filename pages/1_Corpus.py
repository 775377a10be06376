"""The corpus view: the pairs of a `workbench batch` output folder, their fidelity, and a way
into one pair's side-by-side view (the main page reads `st.session_state["open_scored"]`).

A thin view over `workbench.batch.load_corpus`; user text is only shown through widgets that
render it as text (dataframes, metrics, captions of escaped strings), never as raw HTML.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from workbench import batch
from workbench.errors import WorkbenchError

_LAST_FILE = "last_corpus_dir.txt"
_SHOWN = ["id", "status", "src_lang", "tgt_lang", "fidelity", "coverage", "src_sentences", "tgt_sentences", "links",
          "label_minor", "label_major", "label_omission", "label_addition", "flagged_links", "time_s", "error"]


def _last_file() -> Path | None:
    try:
        from workbench.encoders.cache import default_cache_dir

        return default_cache_dir() / _LAST_FILE
    except Exception:  # noqa: BLE001 - remembering the folder is a convenience only
        return None


def _last_used() -> str:
    if st.session_state.get("corpus_dir"):
        return str(st.session_state["corpus_dir"])
    f = _last_file()
    try:
        return f.read_text(encoding="utf-8").strip() if f and f.is_file() else ""
    except OSError:
        return ""


def _remember(path: str) -> None:
    st.session_state["corpus_dir"] = path
    f = _last_file()
    if f is None:
        return
    try:
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(path, encoding="utf-8")
    except OSError:
        pass


def _stamp(path: str) -> tuple[float, ...]:
    """Changes whenever a pair is written (os.replace updates the folder's mtime)."""
    d = Path(path)
    return tuple((d / n).stat().st_mtime if (d / n).exists() else 0.0
                 for n in (batch.PAIRS_DIR, "manifest.csv", "corpus.parquet"))


@st.cache_data(show_spinner="Reading the corpus…", max_entries=8)
def _load(path: str, stamp: tuple[float, ...]) -> pd.DataFrame:
    return batch.load_corpus(path)


def _md(text: object) -> str:
    """User text safe inside st.markdown/caption: HTML escaped, Markdown punctuation backslashed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|>~<])", r"\\\1", html.escape(str(text), quote=False))


def _open_pair(folder: str, pair_id: str) -> None:
    from workbench.io import get_exporter, read_table

    summary = batch.read_summary(folder, pair_id)
    if not summary or summary.get("status") != "ok":
        st.error("This pair has no scored result to open.")
        return
    readable = [f for f in ["parquet", *summary.get("outputs", [])] if f in summary.get("outputs", [])
                and get_exporter(f).readable]
    if not readable:
        st.error("This pair was written in no format that can be read back; run the batch with --format parquet.")
        return
    try:
        table = read_table(batch.output_path(folder, pair_id, readable[0]), readable[0])
    except WorkbenchError as exc:
        st.error(str(exc))
        return
    st.session_state["open_scored"] = {
        "table": table, "meta": summary.get("meta") or {}, "summary": summary.get("summary") or {},
        "signature": summary.get("signature", ""), "name": pair_id,
    }
    try:
        st.switch_page("app.py")
    except Exception as exc:  # noqa: BLE001 - e.g. the page run on its own, without the app
        if type(exc).__name__ in ("RerunException", "StopException"):
            raise
        st.warning("The pair is ready, but the main page could not be opened; open it from the sidebar.")


st.title("Corpus")
st.caption("The pairs of a `workbench batch` output folder: fidelity across the corpus, and any pair side by side.")

folder = st.text_input("Batch output folder", value=_last_used(),
                       help="The --out folder of `workbench batch` (it holds corpus.parquet and pairs/).").strip()
if not folder:
    st.info("Give the folder a batch wrote to, e.g. `workbench batch manifest.csv --out batch-out`.")
    st.stop()
try:
    corpus = _load(folder, _stamp(folder))
except WorkbenchError as exc:
    st.error(str(exc))
    st.stop()
except Exception as exc:  # noqa: BLE001 - an unreadable folder is a message, not a traceback
    st.error(f"Cannot read {folder}: {type(exc).__name__}: {exc}")
    st.stop()
_remember(folder)

corpus = corpus.copy()
corpus["language_pair"] = corpus["src_lang"].astype(str) + "→" + corpus["tgt_lang"].astype(str)
scored = corpus[corpus["status"] == "ok"]
c = st.columns(5)
c[0].metric("Pairs", len(corpus))
c[1].metric("Scored", len(scored))
c[2].metric("Failed", int((corpus["status"] == "error").sum()))
c[3].metric("Mean fidelity", f"{scored['fidelity'].mean():.3f}" if len(scored) else "–")
c[4].metric("Median fidelity", f"{scored['fidelity'].median():.3f}" if len(scored) else "–")
if (corpus["status"] == "pending").any():
    st.caption(f"{int((corpus['status'] == 'pending').sum())} pairs not done yet (a batch still running or stopped).")

f1, f2, f3 = st.columns([1, 1, 2])
statuses = sorted(corpus["status"].unique())
status_sel = f1.multiselect("Status", statuses, default=statuses)
lang_pairs = sorted(corpus["language_pair"].unique())
lang_sel = f2.multiselect("Language pair", lang_pairs, default=lang_pairs)
lo, hi = f3.slider("Fidelity", 0.0, 1.0, (0.0, 1.0), step=0.01)
worst_first = st.toggle("Lowest fidelity first", value=True)

view = corpus[corpus["status"].isin(status_sel) & corpus["language_pair"].isin(lang_sel)]
in_range = view["fidelity"].between(lo, hi)
# unscored pairs (failed, pending) have no fidelity: the range filter cannot apply to them
view = view[in_range | view["fidelity"].isna()]
view = view.sort_values(["fidelity", "id"], ascending=[worst_first, True], na_position="last")

st.subheader(f"{len(view)} of {len(corpus)} pairs")
shown = [col for col in _SHOWN if col in view.columns]
st.dataframe(view[shown], hide_index=True, width="stretch",
             column_config={"fidelity": st.column_config.ProgressColumn("fidelity", min_value=0.0, max_value=1.0,
                                                                         format="%.3f"),
                            "coverage": st.column_config.NumberColumn("coverage", format="%.3f"),
                            "time_s": st.column_config.NumberColumn("time (s)", format="%.2f")})

hist = view.dropna(subset=["fidelity"])
if len(hist):
    st.subheader("Fidelity across the corpus")
    chart = (alt.Chart(hist[["id", "fidelity"]])
             .mark_bar()
             .encode(x=alt.X("fidelity:Q", bin=alt.Bin(extent=[0, 1], step=0.05), title="document fidelity"),
                     y=alt.Y("count():Q", title="pairs"),
                     tooltip=[alt.Tooltip("count():Q", title="pairs")])
             .properties(height=220))
    st.altair_chart(chart, width="stretch")

st.subheader("Open one pair")
openable = view[view["status"] == "ok"]
if openable.empty:
    st.caption("No scored pair in the current selection.")
else:
    fid = dict(zip(openable["id"], openable["fidelity"], strict=True))
    pick = st.selectbox("Pair", list(openable["id"]), format_func=lambda i: f"{i}  (fidelity {fid[i]:.3f})")
    if st.button("Open side by side", type="primary"):
        _open_pair(folder, pick)

failed = corpus[corpus["status"] == "error"]
if len(failed):
    with st.expander(f"Failed pairs ({len(failed)})"):
        st.caption("Fix the files and run the batch again with `--retry-failed`; a changed file is rerun anyway.")
        st.dataframe(failed[["id", "error", "src", "tgt"]], hide_index=True, width="stretch")
st.caption(f"Folder: {_md(folder)}")
