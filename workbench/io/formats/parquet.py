"""Apache Parquet via pyarrow: ids as list<int64>, texts as string, flags as a JSON string.

`meta` is kept in the file's schema metadata under the key `workbench` (JSON) and comes back in
`read_table(...).attrs["meta"]`.
"""

from __future__ import annotations

import io
import json
from typing import Any

from workbench.io.base import Exporter, exporter_registry, json_default, plain

_META_KEY = b"workbench"


@exporter_registry.register("parquet")
class ParquetExporter(Exporter):
    name = "parquet"
    extension = "parquet"
    aliases = ("pq",)
    mime = "application/vnd.apache.parquet"
    binary = True
    description = "Apache Parquet (ids as list<int>)"

    def write(self, table, meta: dict[str, Any]) -> bytes:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"link": pa.int64(), "src_ids": pa.list_(pa.int64()), "tgt_ids": pa.list_(pa.int64()),
                 "src_text": pa.string(), "tgt_text": pa.string(), "similarity": pa.float64(),
                 "confidence": pa.float64(), "fidelity": pa.float64(), "label": pa.string(),
                 "flags": pa.string()}
        arrays, fields = [], []
        for col in table.columns:
            values = table[col]
            if col in types:
                arr = pa.array(list(values), type=types[col], from_pandas=True)
            else:
                try:
                    arr = pa.array(values, from_pandas=True)
                except (pa.ArrowInvalid, pa.ArrowTypeError):
                    arr = pa.array([None if v is None else json.dumps(plain(v), default=json_default)
                                    for v in values], type=pa.string())
            arrays.append(arr)
            fields.append(pa.field(str(col), arr.type))
        schema = pa.schema(fields, metadata={_META_KEY: json.dumps(plain(meta), default=json_default)})
        buf = io.BytesIO()
        pq.write_table(pa.Table.from_arrays(arrays, schema=schema), buf)
        return buf.getvalue()

    def read(self, data: bytes):
        import pyarrow.parquet as pq

        tab = pq.read_table(io.BytesIO(data))
        frame = tab.to_pandas()
        for col in ("src_ids", "tgt_ids"):
            if col in frame.columns:
                frame[col] = [[] if v is None else [int(i) for i in v] for v in frame[col]]
        md = tab.schema.metadata or {}
        if _META_KEY in md:
            try:
                frame.attrs["meta"] = json.loads(md[_META_KEY])
            except ValueError:
                pass
        return frame
