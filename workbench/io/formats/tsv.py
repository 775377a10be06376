"""TSV (tab-separated, UTF-8) via pandas; cells holding a tab, newline or quote are quoted CSV-style."""

from __future__ import annotations

from typing import Any

from workbench.io.base import Exporter, exporter_registry
from workbench.io.formats.csv import read_delimited, write_delimited


@exporter_registry.register("tsv")
class TsvExporter(Exporter):
    name = "tsv"
    extension = "tsv"
    aliases = ("tab",)
    mime = "text/tab-separated-values"
    description = "tab-separated table (UTF-8, quoted as needed); ids as [0, 1]"

    def write(self, table, meta: dict[str, Any]) -> str:
        return write_delimited(table, "\t")

    def read(self, data: bytes):
        return read_delimited(data, "\t")
