"""Excel workbook via openpyxl.

Sheet "alignment": the table (every column), header row frozen, autofilter on, wrapped text,
sensible column widths, the label cell filled with the label's colour, a readable `issues`
column (one "check: message" a line) next to the machine-readable `flags` JSON.
Sheet "summary": languages, names, signature and the summary dict (nested keys dotted).

Cell text: characters XML cannot hold (C0 controls except tab/newline), and \\r, are written with
the OOXML `_xHHHH_` escape that Excel itself uses (a literal `_xHHHH_` in a text is escaped as
`_x005F_xHHHH_`), so Excel shows them and `read` gives back the exact text. Text starting with `=`
is stored as text, never as a formula. A cell holds at most 32767 characters: longer texts are
truncated (ending with "…") and counted on the summary sheet; that is the one lossy case.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from workbench.io.base import Exporter, exporter_registry, flags_as_list, flatten, json_default, plain
from workbench.records import LABEL_COLOURS

MAX_CELL = 32767
TABLE_SHEET = "alignment"
SUMMARY_SHEET = "summary"
ISSUES_COLUMN = "issues"

LABEL_FILLS = {label: colour.lstrip("#").upper() for label, colour in LABEL_COLOURS.items()}
WIDTHS = {"link": 7, "src_ids": 10, "tgt_ids": 10, "src_text": 60, "tgt_text": 60, "similarity": 11,
          "confidence": 11, "fidelity": 10, "label": 12, ISSUES_COLUMN: 40, "flags": 30}

_ESCAPE_RE = re.compile(r"_(x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_UNESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xl_escape(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1):
            return "_x005F_" + m.group(1)
        return f"_x{ord(m.group(0)):04X}_"

    return _ESCAPE_RE.sub(sub, text)


def xl_unescape(text: str) -> str:
    return _UNESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _issues(flags_json: Any) -> str:
    try:
        flags = flags_as_list(flags_json)
    except (ValueError, TypeError):
        return ""
    return "\n".join(f"{f.get('check', '')}: {f.get('message', '')}" for f in flags)




@exporter_registry.register("xlsx")
class XlsxExporter(Exporter):
    name = "xlsx"
    extension = "xlsx"
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    binary = True
    description = "Excel workbook: coloured labels, filters, a summary sheet"

    def write(self, table, meta: dict[str, Any]) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        truncated = 0

        def put(ws, row: int, col: int, value: Any):
            nonlocal truncated
            value = plain(value)
            if isinstance(value, (list, dict)):
                value = json.dumps(value, ensure_ascii=False, default=json_default)
            if isinstance(value, str):
                value = xl_escape(value)
                if len(value) > MAX_CELL:
                    value = value[: MAX_CELL - 1] + "…"
                    truncated += 1
            elif value is not None and not isinstance(value, (int, float, bool)):
                value = str(value)
            cell = ws.cell(row=row, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            return cell

        wb = Workbook()
        ws = wb.active
        ws.title = TABLE_SHEET
        columns = list(table.columns)
        if "flags" in columns:
            columns.insert(columns.index("flags"), ISSUES_COLUMN)
        header_font = Font(bold=True)
        for j, col in enumerate(columns, 1):
            put(ws, 1, j, col).font = header_font
        wrap = Alignment(wrap_text=True, vertical="top")
        fills = {k: PatternFill("solid", start_color=v, end_color=v) for k, v in LABEL_FILLS.items()}
        records = table.to_dict("records")
        for i, rec in enumerate(records, 2):
            for j, col in enumerate(columns, 1):
                if col == ISSUES_COLUMN:
                    value: Any = _issues(rec.get("flags"))
                elif col in ("src_ids", "tgt_ids"):
                    value = json.dumps(list(rec[col]))
                else:
                    value = rec[col]
                cell = put(ws, i, j, value)
                cell.alignment = wrap
                if col == "label" and rec[col] in fills:
                    cell.fill = fills[rec[col]]
                elif col in ("similarity", "confidence", "fidelity"):
                    cell.number_format = "0.000"
        for j, col in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(j)].width = WIDTHS.get(col, max(10, min(40, len(str(col)) + 2)))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(records) + 1}"

        sm = wb.create_sheet(SUMMARY_SHEET)
        put(sm, 1, 1, "key").font = header_font
        put(sm, 1, 2, "value").font = header_font
        items: list[tuple[str, Any]] = []
        for key in ("src_name", "src_lang", "tgt_name", "tgt_lang", "signature"):
            if key in meta:
                items.append((key, meta[key]))
        summary = meta.get("summary")
        if isinstance(summary, dict):
            flatten("summary", summary, items)
        elif summary is not None:
            items.append(("summary", summary))
        items.append(("links", len(records)))
        # filled last: the count of cells cut so far is final only once the table is written
        row = 2
        for key, value in items:
            put(sm, row, 1, key)
            put(sm, row, 2, value).alignment = wrap
            row += 1
        if truncated:
            put(sm, row, 1, "note")
            put(sm, row, 2, f"{truncated} cell(s) longer than {MAX_CELL} characters were truncated")
        sm.column_dimensions["A"].width = 28
        sm.column_dimensions["B"].width = 80
        sm.freeze_panes = "A2"

        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def read(self, data: bytes):
        import pandas as pd
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb[TABLE_SHEET] if TABLE_SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [xl_unescape(str(h)) if h is not None else "" for h in next(rows, ())]
        records = []
        for row in rows:
            if row is None or all(v is None for v in row):
                continue
            rec = {}
            for col, value in zip(header, row, strict=False):
                if not col:
                    continue
                rec[col] = xl_unescape(value) if isinstance(value, str) else value
            records.append(rec)
        frame = pd.DataFrame(records, columns=[c for c in header if c])
        if ISSUES_COLUMN in frame.columns and "flags" in frame.columns:
            frame = frame.drop(columns=ISSUES_COLUMN)  # derived from flags when written
        meta: dict[str, Any] = {}
        if SUMMARY_SHEET in wb.sheetnames:
            for key, value, *_ in wb[SUMMARY_SHEET].iter_rows(min_row=2, values_only=True):
                if key is not None:
                    meta[xl_unescape(str(key))] = xl_unescape(value) if isinstance(value, str) else value
        wb.close()
        frame.attrs["meta"] = meta
        return frame
