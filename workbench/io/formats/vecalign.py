"""vecalign alignment format: one link a line, `[0,1]:[0]`, 0-based ids, `[3]:[]` / `[]:[4]`.

Holds ids only; vecalign's optional third field (`[0]:[0]:0.12`, the cost) is read into a `cost` column.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.errors import FormatError
from workbench.io.base import Exporter, exporter_registry

_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\](?:\s*:\s*(\S+))?\s*$")


def _ids(text: str) -> list[int]:
    return [int(x) for x in text.replace(",", " ").split()]


@exporter_registry.register("vecalign")
class VecalignExporter(Exporter):
    name = "vecalign"
    extension = "txt"
    aliases = ("vecalign", "align")
    mime = "text/plain"
    description = "vecalign alignment file: [src ids]:[tgt ids] per line (ids only)"

    def write(self, table, meta: dict[str, Any]) -> str:
        lines = [f"[{','.join(map(str, s))}]:[{','.join(map(str, t))}]"
                 for s, t in zip(table["src_ids"], table["tgt_ids"], strict=True)]
        return "".join(line + "\n" for line in lines)

    def read(self, data: bytes):
        import pandas as pd

        rows = []
        has_cost = False
        for n, line in enumerate(data.decode("utf-8-sig").splitlines(), 1):
            if not line.strip():
                continue
            m = _LINE.match(line)
            if not m:
                raise FormatError(f"vecalign line {n} is not of the form [i,j]:[k]: {line[:60]!r}")
            cost = float(m.group(3)) if m.group(3) is not None else float("nan")
            has_cost |= m.group(3) is not None
            rows.append({"link": len(rows), "src_ids": _ids(m.group(1)), "tgt_ids": _ids(m.group(2)),
                         "src_text": "", "tgt_text": "", "cost": cost})
        frame = pd.DataFrame(rows, columns=["link", "src_ids", "tgt_ids", "src_text", "tgt_text", "cost"])
        return frame if has_cost else frame.drop(columns="cost")
