"""CSV (comma-separated, RFC 4180 quoting, UTF-8) via pandas.

ids are written as JSON arrays (`[0, 1]`), flags as their JSON string; any text (tabs, newlines,
quotes, commas) is quoted as needed and reads back identically.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from workbench.io.base import Exporter, exporter_registry, maybe_numeric


def write_delimited(table, sep: str) -> str:
    out = table.copy()
    for col in ("src_ids", "tgt_ids"):
        out[col] = [json.dumps(list(v)) for v in out[col]]
    buf = io.StringIO()
    # QUOTE_MINIMAL quotes any field holding the separator, a quote, \r or \n;
    # floats are written with repr precision so they read back equal
    # \r\n line ends (RFC 4180): the csv writer quotes fields holding a line-terminator character,
    # so a lone \r or \n inside a text is always quoted
    out.to_csv(buf, sep=sep, index=False, lineterminator="\r\n",
               quoting=csv.QUOTE_MINIMAL, doublequote=True)
    return buf.getvalue()


def read_delimited(data: bytes, sep: str):
    import pandas as pd

    text = data.decode("utf-8-sig")
    # every cell as the exact string (no NA guessing: a sentence "NA" or "null" stays a sentence)
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                        quoting=csv.QUOTE_MINIMAL, doublequote=True, skip_blank_lines=False, engine="python")
    frame = frame.astype(object)
    for col in frame.columns:
        if col in ("src_ids", "tgt_ids", "src_text", "tgt_text", "label", "flags"):
            continue
        if col == "link" or col in ("similarity", "confidence", "fidelity"):
            frame[col] = [float(v) if v.strip() else float("nan") for v in frame[col]]
            continue
        frame[col] = maybe_numeric(frame[col])
    return frame


@exporter_registry.register("csv")
class CsvExporter(Exporter):
    name = "csv"
    extension = "csv"
    mime = "text/csv"
    description = "CSV table (UTF-8, quoted as needed); ids as [0, 1]"

    def write(self, table, meta: dict[str, Any]) -> str:
        return write_delimited(table, ",")

    def read(self, data: bytes):
        return read_delimited(data, ",")
