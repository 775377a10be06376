"""A self-contained HTML report (inline CSS, no script, no external resource).

Summary on top (overall fidelity, coverage, counts per label and per flag, the signature), then a
side-by-side table source | target with the label's colour, fidelity, flags and the table's other
columns (an input's id or note, a comment; not the per-check scores), those also in `data-columns`. Flag spans are
highlighted with <mark> inside the sentences: the cut points are computed on the raw text and each
piece is escaped on its own, so no user text is ever inserted unescaped (every text and attribute
goes through `html.escape`; a Content-Security-Policy forbids scripts anyway). Omission/addition rows
show a hatched empty side. Paragraph breaks (`meta["src_paragraphs"]` / `meta["tgt_paragraphs"]`,
paragraph number per sentence id) are drawn as a thick rule above the row where one starts.

`read` parses the table back out of the `data-*` attributes and the text cells (stdlib html.parser),
so the report round-trips links, texts, scores, labels and flags; \\r is written as `&#13;` to
survive HTML newline normalisation, NUL cannot be represented in HTML (it becomes U+FFFD).
"""

from __future__ import annotations

import html
import json
import math
from html.parser import HTMLParser
from typing import Any

from workbench.io.base import (
    Exporter,
    cell_text,
    exporter_registry,
    extra_columns,
    flags_as_list,
    flatten,
    json_default,
    maybe_numeric,
    plain,
)
from workbench.records import LABEL_COLOURS

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:1.5rem;color:#1b1b1b;
line-height:1.45}
h1{font-size:1.4rem;margin:0 0 .3rem}
.docs{color:#444;margin:.2rem 0 1rem}
.summary{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start;margin-bottom:1.2rem}
.kpi{border:1px solid #ddd;border-radius:6px;padding:.5rem .9rem;min-width:7rem}
.kpi .v{font-size:1.5rem;font-weight:600}.kpi .k{color:#555;font-size:.85rem}
table.counts{border-collapse:collapse;font-size:.9rem}
table.counts td,table.counts th{border-bottom:1px solid #eee;padding:.15rem .6rem;text-align:left}
.sig{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;color:#555;word-break:break-all}
.figures{margin:.5rem 0 1rem}.figures summary{cursor:pointer;color:#444}.figures td{overflow-wrap:anywhere}
table.alignment{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.95rem}
table.alignment th{position:sticky;top:0;background:#f4f4f4;text-align:left;padding:.35rem;border-bottom:2px solid #bbb}
table.alignment td{vertical-align:top;padding:.35rem;border-bottom:1px solid #e4e4e4}
col.num{width:3.5rem}col.lab{width:7rem}col.fid{width:5rem}col.flg{width:22%}
td.text{white-space:pre-wrap;overflow-wrap:anywhere}
td.missing{background:repeating-linear-gradient(45deg,#fff3f3,#fff3f3 6px,#ffe1e1 6px,#ffe1e1 12px)}
td.missing::before{content:"(nothing)";color:#a33;font-style:italic}
tr.para-break td{border-top:3px solid #777}
td.para-start::before{content:"\\00B6\\00A0";color:#888}
.chip{display:inline-block;padding:0 .45rem;border-radius:3px;border:1px solid #0002}
mark{background:#ffd54f;border-radius:2px;padding:0 1px}
mark.sev-high{background:#ff8a80}mark.sev-mid{background:#ffcc80}mark.sev-low{background:#fff59d}
ul.flags{margin:0;padding-left:1rem}ul.flags li{margin:0 0 .2rem}
.check{font-weight:600}
col.ext{width:14%}ul.cols{margin:0;padding-left:0;list-style:none;overflow-wrap:anywhere}.col{color:#555}
""" + "".join(f".label-{k} td.lab,.chip.label-{k}{{background:{v}}}\n" for k, v in LABEL_COLOURS.items())

FIDELITY_KEYS = ("fidelity", "overall_fidelity", "mean_fidelity", "overall")
COVERAGE_KEYS = ("coverage", "src_coverage", "tgt_coverage")


def esc(text: Any) -> str:
    """Escaped for text and attribute values; \\r kept as a character reference."""
    return html.escape(str(text), quote=True).replace("\r", "&#13;")


def _severity_class(sev: float) -> str:
    return "sev-high" if sev >= 0.7 else "sev-mid" if sev >= 0.4 else "sev-low"


def highlight(text: str, marks: list[tuple[int, int, str, float]]) -> str:
    """`text` escaped, with <mark> around the (start, end, title, severity) spans (overlaps allowed)."""
    n = len(text)
    good = []
    cuts = {0, n}
    for start, end, title, sev in marks:
        try:
            s, e = max(0, min(n, int(start))), max(0, min(n, int(end)))
        except (TypeError, ValueError):
            continue
        if e > s:
            good.append((s, e, title, sev))
            cuts.update((s, e))
    points = sorted(cuts)
    pieces: list[tuple[tuple[int, ...], str]] = []
    for a, b in zip(points, points[1:], strict=False):
        cover = tuple(i for i, m in enumerate(good) if m[0] <= a and b <= m[1])
        if pieces and pieces[-1][0] == cover:
            pieces[-1] = (cover, pieces[-1][1] + text[a:b])
        else:
            pieces.append((cover, text[a:b]))
    out = []
    for cover, raw in pieces:
        if not cover:
            out.append(esc(raw))
            continue
        titles = list(dict.fromkeys(good[i][2] for i in cover))
        sev = max(good[i][3] for i in cover)
        out.append(f'<mark class="{_severity_class(sev)}" title="{esc("; ".join(titles))}">{esc(raw)}</mark>')
    return "".join(out)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:.3f}"
    return str(value)


def _pct_or_num(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
        return f"{value:.1%}"
    return _fmt(value)




def _summary_html(table, meta: dict[str, Any]) -> str:
    summary = plain(meta.get("summary")) if isinstance(meta.get("summary"), dict) else {}
    parts = ['<section class="summary">']
    kpis: list[tuple[str, Any]] = []
    for key in FIDELITY_KEYS:
        if isinstance(summary.get(key), (int, float)):
            kpis.append(("overall fidelity", summary[key]))
            break
    else:
        if "fidelity" in table.columns and len(table):
            kpis.append(("mean fidelity", float(table["fidelity"].mean())))
    for key in COVERAGE_KEYS:
        if isinstance(summary.get(key), (int, float)):
            kpis.append((key.replace("_", " "), summary[key]))
    coverage = summary.get("coverage")
    if isinstance(coverage, dict):  # the fidelity summary nests it: {"sentences": .., "words": ..}
        for unit, value in coverage.items():
            if isinstance(value, (int, float)):
                kpis.append((f"coverage ({unit})", value))
    kpis.append(("links", len(table)))
    for k, v in kpis:
        parts.append(f'<div class="kpi"><div class="v">{esc(_pct_or_num(v) if k != "links" else v)}</div>'
                     f'<div class="k">{esc(k)}</div></div>')
    if "label" in table.columns:
        counts = table["label"].value_counts()
        parts.append('<table class="counts"><tr><th>label</th><th>links</th></tr>')
        for label in [*LABEL_COLOURS, *(x for x in counts.index if x not in LABEL_COLOURS)]:
            if label in counts.index:
                parts.append(f'<tr><td><span class="chip label-{esc(label)}">{esc(label)}</span></td>'
                             f'<td>{int(counts[label])}</td></tr>')
        parts.append("</table>")
    if "flags" in table.columns:
        checks: dict[str, int] = {}
        for value in table["flags"]:
            try:
                for f in flags_as_list(value):
                    checks[str(f.get("check", ""))] = checks.get(str(f.get("check", "")), 0) + 1
            except (ValueError, TypeError):
                continue
        if checks:
            parts.append('<table class="counts"><tr><th>flag</th><th>count</th></tr>')
            for check, count in sorted(checks.items(), key=lambda kv: (-kv[1], kv[0])):
                parts.append(f"<tr><td>{esc(check)}</td><td>{count}</td></tr>")
            parts.append("</table>")
    items: list[tuple[str, Any]] = []
    # the signature has its own line below the summary
    flatten("", {k: v for k, v in summary.items() if k != "signature"}, items)
    parts.append("</section>")
    if items:
        parts.append('<details class="figures"><summary>all figures of the run</summary>')
        parts.append('<table class="counts"><tr><th>figure</th><th>value</th></tr>')
        for k, v in items:
            shown = json.dumps(v, ensure_ascii=False, default=json_default) if isinstance(v, list) else _fmt(v)
            parts.append(f"<tr><td>{esc(k)}</td><td>{esc(shown)}</td></tr>")
        parts.append("</table></details>")
    if meta.get("signature"):
        parts.append(f'<p class="sig">signature: {esc(meta["signature"])}</p>')
    return "\n".join(parts)


def _shown_columns(table) -> list[str]:
    """The extra columns a reader wants beside each link (an input's id or note, a comment); the
    per-check scores are left to the tabular formats: the flags already show what they found."""
    return [c for c in extra_columns(table) if not str(c).startswith("check_") and c != "fid_similarity"]


def _columns_cell(shown: dict[str, str]) -> str:
    items = "".join(f'<li><span class="col">{esc(k)}</span>: {esc(v)}</li>' for k, v in shown.items())
    return f'<td class="cols">{"<ul class=cols>" + items + "</ul>" if items else ""}</td>'


def _paragraph_of(paras: Any, ids: list[int]) -> tuple[Any, Any]:
    if not isinstance(paras, (list, tuple)) or not ids:
        return None, None
    first = paras[ids[0]] if 0 <= ids[0] < len(paras) else None
    last = paras[ids[-1]] if 0 <= ids[-1] < len(paras) else None
    return first, last


@exporter_registry.register("html")
class HtmlExporter(Exporter):
    name = "html"
    extension = "html"
    aliases = ("htm",)
    mime = "text/html"
    description = "self-contained HTML report, side by side, divergences highlighted"

    def write(self, table, meta: dict[str, Any]) -> str:
        src_lang, tgt_lang = str(meta.get("src_lang") or ""), str(meta.get("tgt_lang") or "")
        src_name = str(meta.get("src_name") or "source")
        tgt_name = str(meta.get("tgt_name") or "target")
        has_label = "label" in table.columns
        has_fid = "fidelity" in table.columns
        has_flags = "flags" in table.columns
        score_col = "fidelity" if has_fid else "similarity" if "similarity" in table.columns else None

        out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
               "style-src 'unsafe-inline'; img-src data:\">",
               '<meta name="viewport" content="width=device-width, initial-scale=1">',
               '<meta name="generator" content="workbench">',
               f"<title>Alignment report: {esc(src_name)} → {esc(tgt_name)}</title>",
               f"<style>{CSS}</style>", "</head>", "<body>",
               "<h1>Alignment report</h1>",
               f'<p class="docs">{esc(src_name)} ({esc(src_lang)}) → {esc(tgt_name)} ({esc(tgt_lang)})</p>',
               _summary_html(table, meta)]
        out.append(f'<table class="alignment" data-src-lang="{esc(src_lang)}" data-tgt-lang="{esc(tgt_lang)}">')
        cols = ['<col class="num">', '<col class="txt">', '<col class="txt">']
        heads = ["#", f"Source ({esc(src_lang)})", f"Target ({esc(tgt_lang)})"]
        if has_label:
            cols.append('<col class="lab">')
            heads.append("Label")
        if score_col:
            cols.append('<col class="fid">')
            heads.append(score_col.capitalize())
        if has_flags:
            cols.append('<col class="flg">')
            heads.append("Flags")
        extras = _shown_columns(table)
        if extras:
            cols.append('<col class="ext">')
            heads.append("Columns")
        out.append("<colgroup>" + "".join(cols) + "</colgroup>")
        out.append("<thead><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead>")
        out.append("<tbody>")

        prev = {"src": None, "tgt": None}
        for rec in table.to_dict("records"):
            label = str(rec.get("label", "")) if has_label else ""
            try:
                flags = flags_as_list(rec.get("flags")) if has_flags else []
            except (ValueError, TypeError):
                flags = []
            marks: dict[str, list[tuple[int, int, str, float]]] = {"src": [], "tgt": []}
            for f in flags:
                title = f"{f.get('check', '')}: {f.get('message', '')}"
                sev = float(f.get("severity", 0.5) or 0.0)
                for side in ("src", "tgt"):
                    for span in f.get(f"{side}_spans") or ():
                        if isinstance(span, (list, tuple)) and len(span) == 2:
                            marks[side].append((span[0], span[1], title, sev))
            breaks = {}
            for side in ("src", "tgt"):
                first, last = _paragraph_of(meta.get(f"{side}_paragraphs"), rec[f"{side}_ids"])
                breaks[side] = first is not None and prev[side] is not None and first != prev[side]
                if last is not None:
                    prev[side] = last
            classes = ["link"] + ([f"label-{esc(label)}"] if label else []) + (
                ["para-break"] if any(breaks.values()) else [])
            attrs = {
                "data-link": rec["link"],
                "data-src-ids": " ".join(map(str, rec["src_ids"])),
                "data-tgt-ids": " ".join(map(str, rec["tgt_ids"])),
            }
            for col in ("similarity", "confidence", "fidelity"):
                if col in rec:
                    attrs[f"data-{col}"] = repr(float(rec[col]))
            if has_label:
                attrs["data-label"] = label
            if has_flags:
                attrs["data-flags"] = json.dumps(flags, ensure_ascii=False, default=json_default)
            shown = {str(c): cell_text(rec[c]) for c in extras}
            shown = {k: v for k, v in shown.items() if v is not None}
            if extras:
                attrs["data-columns"] = json.dumps(shown, ensure_ascii=False)
            attr_text = " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items())
            cells = [f'<td class="num">{int(rec["link"])}</td>']
            for side, lang in (("src", src_lang), ("tgt", tgt_lang)):
                text = rec[f"{side}_text"]
                cls = ["text", side]
                if not text and not rec[f"{side}_ids"]:
                    cls.append("missing")
                if breaks[side]:
                    cls.append("para-start")
                cells.append(f'<td class="{" ".join(cls)}" lang="{esc(lang)}" dir="auto" data-side="{side}">'
                             f"{highlight(text, marks[side])}</td>")
            if has_label:
                cells.append(f'<td class="lab">{esc(label)}</td>')
            if score_col:
                cells.append(f'<td class="fid">{esc(_fmt(float(rec[score_col])))}</td>')
            if has_flags:
                items = "".join(
                    f'<li class="{_severity_class(float(f.get("severity", 0.5) or 0.0))}">'
                    f'<span class="check">{esc(f.get("check", ""))}</span> {esc(f.get("message", ""))}</li>'
                    for f in flags)
                cells.append(f'<td class="flags">{"<ul class=flags>" + items + "</ul>" if items else ""}</td>')
            if extras:
                cells.append(_columns_cell(shown))
            out.append(f'<tr class="{" ".join(classes)}" {attr_text}>' + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"

    def read(self, data: bytes):
        import pandas as pd

        parser = _ReportParser()
        parser.feed(data.decode("utf-8-sig"))
        parser.close()
        frame = pd.DataFrame(parser.rows)
        if not len(frame):
            frame = pd.DataFrame(columns=["link", "src_ids", "tgt_ids", "src_text", "tgt_text"])
        for col in parser.extras & set(frame.columns):
            frame[col] = maybe_numeric(frame[col])
        frame.attrs["meta"] = parser.meta
        return frame


class _ReportParser(HTMLParser):
    """Collects the rows of the report's alignment table (and its languages)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, Any]] = []
        self.meta: dict[str, Any] = {}
        self._side: str | None = None
        self._buf: list[str] = []
        self.extras: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "table" and "data-src-lang" in a:
            self.meta = {"src_lang": a["data-src-lang"], "tgt_lang": a.get("data-tgt-lang", "")}
        elif tag == "tr" and "data-link" in a:
            row: dict[str, Any] = {
                "link": int(a["data-link"]),
                "src_ids": [int(x) for x in a.get("data-src-ids", "").split()],
                "tgt_ids": [int(x) for x in a.get("data-tgt-ids", "").split()],
                "src_text": "", "tgt_text": "",
            }
            for col in ("similarity", "confidence", "fidelity"):
                if f"data-{col}" in a:
                    row[col] = float(a[f"data-{col}"])
            if "data-label" in a:
                row["label"] = a["data-label"]
            if "data-flags" in a:
                row["flags"] = a["data-flags"]
            if "data-columns" in a:
                shown = json.loads(a["data-columns"])
                row.update({k: v for k, v in shown.items() if k not in row})
                self.extras.update(shown)
            self.rows.append(row)
        elif tag == "td" and a.get("data-side") in ("src", "tgt") and self.rows:
            self._side = a["data-side"]
            self._buf = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._side is not None:
            self.rows[-1][f"{self._side}_text"] = "".join(self._buf)
            self._side = None

    def handle_data(self, data: str) -> None:
        if self._side is not None:
            self._buf.append(data)
