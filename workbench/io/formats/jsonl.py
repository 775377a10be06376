"""JSON Lines: one JSON object per link; ids as arrays, flags as a parsed array (not a string).

Written with the standard json module (`ensure_ascii=False`: UTF-8, readable); lines are split on
\\n only, so U+2028/U+2029 inside texts are safe.
"""

from __future__ import annotations

import json
import math
from typing import Any

from workbench.io.base import Exporter, exporter_registry, flags_as_list, json_default, plain


def _clean(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


@exporter_registry.register("jsonl")
class JsonlExporter(Exporter):
    name = "jsonl"
    extension = "jsonl"
    aliases = ("ndjson",)
    mime = "application/x-ndjson"
    description = "JSON Lines: one object per link, flags as an array"

    def write(self, table, meta: dict[str, Any]) -> str:
        lines = []
        columns = list(table.columns)
        for row in table.itertuples(index=False, name=None):
            obj = {}
            for col, value in zip(columns, row, strict=True):
                if col == "flags":
                    try:
                        obj[col] = flags_as_list(value)
                    except (ValueError, TypeError):
                        obj[col] = value
                else:
                    obj[col] = _clean(value)
            lines.append(json.dumps(obj, ensure_ascii=False, allow_nan=False, default=json_default))
        return "".join(line + "\n" for line in lines)

    def read(self, data: bytes):
        import pandas as pd

        rows = []
        for line in data.decode("utf-8-sig").split("\n"):
            if line.strip():
                rows.append(json.loads(line))
        frame = pd.DataFrame(rows)
        for col in ("similarity", "confidence", "fidelity"):
            if col in frame.columns:
                frame[col] = [float("nan") if v is None else float(v) for v in frame[col]]
        return frame
