"""Exports of the scored table (csv, tsv, jsonl, parquet, xlsx, tmx, html, vecalign) and reading them back.

    from workbench.io import export_table, read_table, FORMATS
    export_table(table, "xlsx", "out.xlsx", meta={"src_lang": "fr", "tgt_lang": "en"})
    table = read_table("out.xlsx")
"""

from workbench.io.base import (
    Exporter,
    FormatInfo,
    export_table,
    exporter_registry,
    formats_for_download,
    get_exporter,
    read_table,
)

#: the registered format names (discovering them imports only the light format modules)
FORMATS: tuple[str, ...] = tuple(exporter_registry.names())

__all__ = [
    "FORMATS",
    "Exporter",
    "FormatInfo",
    "export_table",
    "exporter_registry",
    "formats_for_download",
    "get_exporter",
    "read_table",
]
