"""What the review app shows, as pure functions (no Streamlit here, so all of it is testable).

* `table_html` -- the side-by-side rows: source | target, label colour, fidelity, flags; the evidence
  (flag spans) wrapped in <mark>. The cut points are computed on the raw text and every piece is
  passed through `html.escape` on its own, so text from a file is always shown literally and never
  becomes markup (no <script>, no event handler, no markdown: the output has no blank line, so
  Streamlit's markdown renderer takes it as one raw HTML block and leaves its content alone).
* `filter_table`, `sort_table`, `paginate`, `next_divergence` -- what the filters and buttons do.
* `summary_figures`, `flag_counts` -- the summary bar.
* `path_chart`, `distribution_chart`, `along_chart` -- the Altair charts (and `*_data` behind them).
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from workbench.records import LABEL_COLOURS, LABELS, parse_ids

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

#: stronger shades of the same hues, for chart marks and row edges
LABEL_STRONG = {
    "equivalent": "#4caf50",
    "minor": "#f2b705",
    "major": "#e53935",
    "omission": "#7e57c2",
    "addition": "#1e88e5",
}
DIVERGENT = ("minor", "major", "omission", "addition")
SORTS = ("position", "fidelity (lowest first)", "fidelity (highest first)")
PAGE_SIZE = 50

CSS = """
<style>
.wb-table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.93rem;line-height:1.45}
.wb-table th{background:#f3f4f6;text-align:left;padding:.4rem .5rem;border-bottom:2px solid #c9ccd1;
  font-weight:600;color:#333;position:sticky;top:0;z-index:1}
.wb-table td{vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid #e6e7ea}
.wb-table col.num{width:3.2rem}.wb-table col.lab{width:7.4rem}.wb-table col.fid{width:4.6rem}
.wb-table col.flg{width:21%}
.wb-table td.txt{white-space:pre-wrap;overflow-wrap:anywhere;color:#1b1b1b}
.wb-table td.num{color:#777;font-variant-numeric:tabular-nums;border-left:5px solid transparent}
.wb-table td.fid{font-variant-numeric:tabular-nums;text-align:right}
.wb-table td.missing{background:repeating-linear-gradient(45deg,#fff6f6,#fff6f6 6px,#ffe3e3 6px,#ffe3e3 12px);
  color:#a33;font-style:italic}
.wb-table tr.cur td{background:#fffbe6}
.wb-table tr.cur td.num{font-weight:700;color:#000}
.wb-table td.pstart{border-top:3px solid #8a8f98}
.wb-table .pmark{color:#8a8f98;font-weight:700;margin-right:.25rem}
.wb-chip{display:inline-block;padding:.05rem .5rem;border-radius:.7rem;border:1px solid #0002;font-size:.82rem;
  white-space:nowrap;color:#222}
.wb-human{display:block;font-size:.75rem;color:#555;margin-top:.2rem}
.wb-table mark{border-radius:2px;padding:0 1px;color:inherit}
.wb-table mark.sev-high{background:#ff8a80}.wb-table mark.sev-mid{background:#ffcc80}
.wb-table mark.sev-low{background:#fff59d}
.wb-flags{margin:0;padding-left:1rem;font-size:.85rem;color:#333}.wb-flags li{margin:0 0 .2rem}
.wb-check{font-weight:600}
.wb-comment{font-size:.85rem;color:#1a4f8b;margin-top:.25rem}
.wb-muted{color:#999}
.wb-bar{display:flex;flex-wrap:wrap;gap:.35rem;align-items:center;margin:.2rem 0 .4rem}
.wb-sig{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.75rem;color:#666;word-break:break-all}
</style>
"""


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def esc_text(text: Any) -> str:
    """Escaped sentence text; a line break inside a sentence is shown as one (never as a blank line)."""
    return esc(text).replace("\r", "").replace("\n", "<br>")


def severity_class(sev: float) -> str:
    return "sev-high" if sev >= 0.7 else "sev-mid" if sev >= 0.4 else "sev-low"


# ------------------------------------------------------------------------------------------------
# evidence


def parse_flags(value: Any) -> list[dict[str, Any]]:
    """A flags cell (JSON string or list) as a list of dicts; anything unreadable -> []."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    try:
        data = json.loads(value) if isinstance(value, str) else list(value)
    except (ValueError, TypeError):
        return []
    out = []
    for f in data:
        if isinstance(f, dict):
            out.append(f)
        elif hasattr(f, "to_dict"):
            out.append(f.to_dict())
    return out


def marks_for(flags: Sequence[dict[str, Any]], side: str) -> list[tuple[int, int, str, float]]:
    """(start, end, title, severity) of every span of `side` ('src' or 'tgt') in the flags."""
    out = []
    for f in flags:
        title = f"{f.get('check', '')}: {f.get('message', '')}"
        try:
            sev = float(f.get("severity", 0.5))
        except (TypeError, ValueError):
            sev = 0.5
        for span in f.get(f"{side}_spans") or ():
            try:
                out.append((int(span[0]), int(span[1]), title, sev))
            except (TypeError, ValueError, IndexError):
                continue
    return out


def highlight(text: str, marks: Iterable[tuple[int, int, str, float]]) -> str:
    """`text` escaped, with <mark> around the spans. Cuts are made on the raw text (offsets are
    character offsets into it), then each piece is escaped on its own; overlapping spans merge."""
    text = str(text)
    n = len(text)
    good = []
    cuts = {0, n}
    for start, end, title, sev in marks:
        s, e = max(0, min(n, start)), max(0, min(n, end))
        if e > s:
            good.append((s, e, title, sev))
            cuts.update((s, e))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        piece = text[a:b]
        cover = [m for m in good if m[0] <= a and b <= m[1]]
        if not cover:
            out.append(esc_text(piece))
            continue
        titles = "; ".join(dict.fromkeys(m[2] for m in cover))
        sev = max(m[3] for m in cover)
        out.append(f'<mark class="{severity_class(sev)}" title="{esc(titles)}">{esc_text(piece)}</mark>')
    return "".join(out)


# ------------------------------------------------------------------------------------------------
# filters


def flag_checks(table: pd.DataFrame) -> list[list[str]]:
    """The check names flagged on each row."""
    if "flags" not in table:
        return [[] for _ in range(len(table))]
    return [list(dict.fromkeys(str(f.get("check", "")) for f in parse_flags(v))) for v in table["flags"]]


def flag_counts(table: pd.DataFrame) -> dict[str, int]:
    c: Counter[str] = Counter()
    for checks in flag_checks(table):
        c.update(checks)
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def label_counts(table: pd.DataFrame) -> dict[str, int]:
    c = Counter(str(v) for v in table["label"]) if "label" in table else Counter()
    return {lab: int(c.get(lab, 0)) for lab in LABELS} | {k: v for k, v in c.items() if k not in LABELS}


def filter_table(table: pd.DataFrame, labels: Iterable[str] | None = None, flags: Iterable[str] | None = None,
                 fidelity: tuple[float, float] | None = None, query: str = "",
                 checks: Sequence[Sequence[str]] | None = None) -> pd.DataFrame:
    """The rows that match every given filter (None / empty = no filter on that).

    `flags`: rows with at least one of these checks flagged. `fidelity`: (low, high), inclusive;
    rows without a fidelity pass only the full range. `query`: case-insensitive substring of the
    source, target or comment. `checks` may pass `flag_checks(table)` precomputed.
    """
    import numpy as np

    keep = np.ones(len(table), dtype=bool)
    labels = list(labels or [])
    if labels:
        keep &= table["label"].astype(str).isin(labels).to_numpy()
    flags = set(flags or [])
    if flags:
        per_row = checks if checks is not None else flag_checks(table)
        keep &= np.array([bool(flags.intersection(c)) for c in per_row], dtype=bool)
    if fidelity is not None and "fidelity" in table:
        lo, hi = float(fidelity[0]), float(fidelity[1])
        if lo > 0.0 or hi < 1.0:
            fid = table["fidelity"].astype(float).to_numpy()
            with np.errstate(invalid="ignore"):
                keep &= (fid >= lo - 1e-9) & (fid <= hi + 1e-9)
    q = (query or "").strip().lower()
    if q:
        hay = table["src_text"].astype(str).str.lower().str.contains(q, regex=False)
        hay |= table["tgt_text"].astype(str).str.lower().str.contains(q, regex=False)
        if "comment" in table:
            hay |= table["comment"].astype(str).str.lower().str.contains(q, regex=False)
        keep &= hay.to_numpy()
    return table[keep]


def sort_table(table: pd.DataFrame, by: str = "position") -> pd.DataFrame:
    if by.startswith("fidelity") and "fidelity" in table:
        asc = "lowest" in by
        return table.sort_values(["fidelity", "link"], ascending=[asc, True], na_position="last", kind="stable")
    return table.sort_values("link", kind="stable")


def paginate(table: pd.DataFrame, page: int, size: int = PAGE_SIZE) -> tuple[pd.DataFrame, int, int]:
    """(rows of `page` (0-based, clamped), the page shown, the number of pages)."""
    pages = max(1, math.ceil(len(table) / size))
    page = max(0, min(int(page), pages - 1))
    return table.iloc[page * size:(page + 1) * size], page, pages


def page_of(table: pd.DataFrame, link: int, size: int = PAGE_SIZE) -> int | None:
    """The page of the (filtered, sorted) view that shows `link`, or None."""
    positions = [i for i, v in enumerate(table["link"]) if int(v) == int(link)]
    return positions[0] // size if positions else None


def next_divergence(table: pd.DataFrame, after: int | None) -> int | None:
    """The link of the next divergent row after link `after` in the order of `table` (wrapping)."""
    links = [int(v) for v in table["link"]]
    labels = [str(v) for v in table["label"]]
    div = [i for i, lab in enumerate(labels) if lab in DIVERGENT]
    if not div:
        return None
    if after is None or int(after) not in links:
        return links[div[0]]
    pos = links.index(int(after))
    for i in div:
        if i > pos:
            return links[i]
    return links[div[0]]


# ------------------------------------------------------------------------------------------------
# the side-by-side rows


def paragraph_starts(table: pd.DataFrame, meta: dict[str, Any] | None) -> dict[int, tuple[bool, bool]]:
    """link -> (a source paragraph starts here, a target paragraph starts here)."""
    meta = meta or {}
    sp, tp = meta.get("src_paragraphs"), meta.get("tgt_paragraphs")
    out = {}
    for link, s, t in zip(table["link"], table["src_ids"], table["tgt_ids"], strict=True):
        out[int(link)] = (_starts(sp, parse_ids(s)), _starts(tp, parse_ids(t)))
    return out


def _starts(paras: Any, ids: list[int]) -> bool:
    if not isinstance(paras, (list, tuple)) or not ids:
        return False
    i = ids[0]
    if i <= 0 or i >= len(paras):
        return False
    return paras[i] != paras[i - 1]


def _fmt_fid(value: Any) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return '<span class="wb-muted">–</span>'
    return '<span class="wb-muted">–</span>' if math.isnan(v) else f"{v:.2f}"


def chip(label: str, count: int | None = None) -> str:
    colour = LABEL_COLOURS.get(label, "#eeeeee")
    text = esc(label) if count is None else f"{esc(label)} {int(count)}"
    return f'<span class="wb-chip" style="background:{colour}">{text}</span>'


def row_html(row: Any, starts: tuple[bool, bool] = (False, False), current: bool = False) -> str:
    """One link as a table row (see the module doc on escaping)."""
    flags = parse_flags(getattr(row, "flags", None))
    label = str(getattr(row, "label", "") or "")
    link = int(row.link)
    src_ids, tgt_ids = parse_ids(row.src_ids), parse_ids(row.tgt_ids)
    cells = []
    edge = LABEL_STRONG.get(label, "#bbb")
    cells.append(f'<td class="num" style="border-left-color:{edge}" title="link {link}: source '
                 f'{esc(src_ids)} / target {esc(tgt_ids)}">{link}</td>')
    for side, ids, text, starts_here in (("src", src_ids, row.src_text, starts[0]),
                                         ("tgt", tgt_ids, row.tgt_text, starts[1])):
        cls = "txt pstart" if starts_here else "txt"
        pmark = '<span class="pmark" title="new paragraph">¶</span>' if starts_here else ""
        if not ids:
            what = "not translated (omission)" if side == "tgt" else "no source (addition)"
            cells.append(f'<td class="{cls} missing">— {what} —</td>')
        else:
            cells.append(f'<td class="{cls}">{pmark}{highlight(str(text), marks_for(flags, side))}</td>')
    human = str(getattr(row, "human_label", "") or "")
    auto = str(getattr(row, "auto_label", "") or "")
    lab = chip(label) if label else '<span class="wb-muted">(to score)</span>'
    if human and auto and human != auto:
        lab += f'<span class="wb-human">✎ reviewer; scorer said {esc(auto)}</span>'
    elif human:
        lab += '<span class="wb-human">✎ confirmed by reviewer</span>'
    elif bool(getattr(row, "edited", False)):
        lab += '<span class="wb-human">✎ edited</span>'
    cells.append(f'<td class="lab">{lab}</td>')
    cells.append(f'<td class="fid">{_fmt_fid(getattr(row, "fidelity", None))}</td>')
    items = "".join(f'<li><span class="wb-check">{esc(f.get("check", ""))}</span>: {esc(f.get("message", ""))}</li>'
                    for f in flags)
    flag_html = f'<ul class="wb-flags">{items}</ul>' if items else ""
    comment = str(getattr(row, "comment", "") or "")
    if comment:
        flag_html += f'<div class="wb-comment">💬 {esc_text(comment)}</div>'
    cells.append(f'<td class="flg">{flag_html}</td>')
    cls = f"label-{esc(label)}" + (" cur" if current else "")
    return f'<tr class="{cls}" id="link-{link}" data-link="{link}">{"".join(cells)}</tr>'


def table_html(rows: pd.DataFrame, meta: dict[str, Any] | None = None, current: int | None = None,
               src_title: str = "source", tgt_title: str = "target") -> str:
    """The side-by-side table of `rows` as one HTML string without any blank line."""
    starts = paragraph_starts(rows, meta)
    head = ('<table class="wb-table"><colgroup><col class="num"><col><col><col class="lab"><col class="fid">'
            '<col class="flg"></colgroup>'
            f'<thead><tr><th>#</th><th>{esc(src_title)}</th><th>{esc(tgt_title)}</th><th>label</th>'
            '<th>fidelity</th><th>flags</th></tr></thead><tbody>')
    body = "".join(row_html(r, starts.get(int(r.link), (False, False)), current is not None and int(r.link) == current)
                   for r in rows.itertuples(index=False))
    if not len(rows):
        body = '<tr><td colspan="6" class="wb-muted">No link matches the filters.</td></tr>'
    out = head + body + "</tbody></table>"
    return out.replace("\n", " ")


# ------------------------------------------------------------------------------------------------
# summary


def summary_figures(summary: dict[str, Any], table: pd.DataFrame) -> dict[str, Any]:
    """The figures of the summary bar: fidelity, coverage, links, counts per label and flag."""
    cov = summary.get("coverage", {})
    if not isinstance(cov, dict):
        cov = {"sentences": cov}
    fid = summary.get("fidelity")
    if not isinstance(fid, (int, float)) and "fidelity" in table and len(table):
        fid = float(table["fidelity"].mean())
    return {
        "fidelity": fid,
        "coverage_sentences": cov.get("sentences"),
        "coverage_words": cov.get("words"),
        "links": len(table),
        "labels": label_counts(table),
        "flags": flag_counts(table),
        "edited": int(table["edited"].sum()) if "edited" in table else 0,
    }


def chips_html(counts: dict[str, int], coloured: bool = True) -> str:
    parts = []
    for k, v in counts.items():
        if coloured:
            parts.append(chip(k, v))
        else:
            parts.append(f'<span class="wb-chip" style="background:#f1f1f1">{esc(k)} {int(v)}</span>')
    return f'<div class="wb-bar">{"".join(parts)}</div>' if parts else ""


# ------------------------------------------------------------------------------------------------
# charts


def path_data(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(points of the alignment path, one per two-sided link, with a `segment` that breaks at each
    omission/addition; the one-sided links as rules: axis 'source' or 'target' and position)."""
    import pandas as pd

    points, gaps = [], []
    segment = 0
    for row in table.itertuples(index=False):
        s, t = parse_ids(row.src_ids), parse_ids(row.tgt_ids)
        conf = float(row.confidence) if row.confidence == row.confidence else 0.0
        if s and t:
            points.append({"link": int(row.link), "source": (s[0] + s[-1]) / 2, "target": (t[0] + t[-1]) / 2,
                           "confidence": round(conf, 3), "label": str(row.label), "segment": segment})
        else:
            segment += 1
            for i in s:
                gaps.append({"link": int(row.link), "axis": "source", "position": i, "label": "omission"})
            for i in t:
                gaps.append({"link": int(row.link), "axis": "target", "position": i, "label": "addition"})
    return (pd.DataFrame(points, columns=["link", "source", "target", "confidence", "label", "segment"]),
            pd.DataFrame(gaps, columns=["link", "axis", "position", "label"]))


def _alt():
    import altair as alt

    alt.data_transformers.disable_max_rows()
    return alt


def _label_scale(alt_mod):
    return alt_mod.Scale(domain=list(LABEL_STRONG), range=list(LABEL_STRONG.values()))


def path_chart(table: pd.DataFrame) -> alt.LayerChart:
    alt = _alt()
    points, gaps = path_data(table)
    base = alt.Chart(points)
    line = base.mark_line(color="#9aa0a6", strokeWidth=1).encode(
        x=alt.X("source:Q", title="source sentence"), y=alt.Y("target:Q", title="target sentence"),
        detail="segment:N", order="link:Q")
    dots = base.mark_circle(size=46, opacity=0.9).encode(
        x="source:Q", y="target:Q",
        color=alt.Color("confidence:Q", scale=alt.Scale(scheme="viridis", domain=[0, 1]), title="confidence"),
        tooltip=["link:Q", "source:Q", "target:Q", "confidence:Q", "label:N"])
    layers = [line, dots]
    src_gaps = gaps[gaps["axis"] == "source"]
    tgt_gaps = gaps[gaps["axis"] == "target"]
    if len(src_gaps):
        layers.append(alt.Chart(src_gaps).mark_rule(color=LABEL_STRONG["omission"], strokeDash=[4, 3], opacity=0.7)
                      .encode(x="position:Q", tooltip=["link:Q", alt.Tooltip("position:Q", title="omitted source")]))
    if len(tgt_gaps):
        layers.append(alt.Chart(tgt_gaps).mark_rule(color=LABEL_STRONG["addition"], strokeDash=[4, 3], opacity=0.7)
                      .encode(y="position:Q", tooltip=["link:Q", alt.Tooltip("position:Q", title="added target")]))
    return alt.layer(*layers).properties(title="Alignment path (dashed: omissions | additions)", height=320)


def along_data(table: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({"link": table["link"].astype(int), "fidelity": table["fidelity"].astype(float),
                         "label": table["label"].astype(str)})


def distribution_chart(table: pd.DataFrame) -> alt.Chart:
    alt = _alt()
    data = along_data(table)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("fidelity:Q", bin=alt.Bin(extent=[0, 1], step=0.05), title="fidelity"),
        y=alt.Y("count():Q", title="links"),
        color=alt.Color("label:N", scale=_label_scale(alt), title="label"),
        tooltip=["label:N", "count():Q"],
    ).properties(title="Fidelity distribution", height=260)


def along_chart(table: pd.DataFrame) -> alt.Chart:
    alt = _alt()
    data = along_data(table)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("link:Q", title="link (document order)"),
        y=alt.Y("fidelity:Q", scale=alt.Scale(domain=[0, 1]), title="fidelity"),
        color=alt.Color("label:N", scale=_label_scale(alt), title="label"),
        tooltip=["link:Q", "fidelity:Q", "label:N"],
    ).properties(title="Fidelity along the document", height=220)
