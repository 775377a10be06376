"""The exporter interface, the format registry and the two entry points `export_table` / `read_table`.

An exporter turns the scored table (a DataFrame with `SCORED_COLUMNS`, or an alignment-only table
with `LINK_COLUMNS`) plus a `meta` dict into bytes or text, and, where the format can hold it, reads
such an export back into the same table. Each format lives in its own module under
`workbench.io.formats` and registers itself with `@exporter_registry.register(name)`.

Heavy imports (pandas, pyarrow, openpyxl, translate-toolkit) stay inside functions.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from workbench.errors import FormatError, InputFileError, OutputError, UnknownBackendError, WorkbenchError
from workbench.records import LINK_COLUMNS, SCORED_COLUMNS, parse_ids
from workbench.registry import Registry

if TYPE_CHECKING:
    import pandas as pd

ID_COLUMNS = ("src_ids", "tgt_ids")
TEXT_COLUMNS = ("src_text", "tgt_text")
FLOAT_COLUMNS = ("similarity", "confidence", "fidelity")
#: the columns a table must have to be exported
REQUIRED_COLUMNS = ("link", "src_ids", "tgt_ids", "src_text", "tgt_text")


class Exporter(ABC):
    """One export format. Subclasses set the class attributes and implement `write` (and `read`)."""

    name: str = ""
    extension: str = ""  # without the dot
    #: further file-name endings recognised by `read_table` when guessing the format
    aliases: tuple[str, ...] = ()
    mime: str = "application/octet-stream"
    binary: bool = False
    description: str = ""
    #: False for formats that cannot be read back
    readable: bool = True

    @abstractmethod
    def write(self, table: pd.DataFrame, meta: dict[str, Any]) -> bytes | str:
        """The export of `table` (already normalised by `prepare_table`)."""

    def read(self, data: bytes) -> pd.DataFrame:
        """The table held in an export of this format (normalised afterwards by `finish_table`)."""
        raise FormatError(f"the {self.name} format cannot be read back")


exporter_registry: Registry[type[Exporter]] = Registry("format", "workbench.io.formats")


class FormatInfo(NamedTuple):
    name: str
    extension: str
    mime: str
    binary: bool
    description: str


def get_exporter(fmt: str) -> Exporter:
    """The exporter for `fmt` (case-insensitive, a leading dot allowed); unknown -> UnknownBackendError."""
    key = str(fmt).strip().lower().lstrip(".")
    return exporter_registry.get(key)()


def formats_for_download() -> list[FormatInfo]:
    """(name, extension, mime, binary, description) of every format, for download buttons."""
    return [FormatInfo(e.name, e.extension, e.mime, e.binary, e.description)
            for e in (get_exporter(n) for n in exporter_registry.names())]


# --------------------------------------------------------------------------------------------
# table normalisation


def _is_missing(value: Any) -> bool:
    """None, NaN, pd.NA, NaT (not an empty string, list or array)."""
    if value is None:
        return True
    if isinstance(value, (str, bytes, list, tuple, dict)) or hasattr(value, "__len__"):
        return False
    if isinstance(value, float):
        return math.isnan(value)
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_text(value: Any) -> str:
    """A text cell as str: missing -> ''."""
    if _is_missing(value):
        return ""
    return value if isinstance(value, str) else str(value)


def as_float(value: Any) -> float:
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return float("nan")
    return float(value)


def as_ids(value: Any) -> list[int]:
    if _is_missing(value):
        return []
    return [int(i) for i in parse_ids(value)]


def flags_as_list(value: Any) -> list[dict[str, Any]]:
    """A flags cell (JSON string, list of dicts/Flags, or missing) as a list of plain dicts."""
    from workbench.records import Flag

    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return []
    data = json.loads(value) if isinstance(value, str) else list(value)
    return [f.to_dict() if isinstance(f, Flag) else dict(f) for f in data]


def flags_as_json(value: Any) -> str:
    """A flags cell as the JSON string of the table form ('[]' when there are none)."""
    if isinstance(value, str):
        try:
            return json.dumps(flags_as_list(value), ensure_ascii=False)
        except (ValueError, TypeError):
            return value  # not JSON (e.g. truncated by a spreadsheet): kept as it is
    return json.dumps(flags_as_list(value), ensure_ascii=False)


def prepare_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` in the canonical form every exporter expects.

    ids -> list[int]; texts -> str ('' when missing); link -> int; scores -> float;
    flags -> JSON string. Extra columns are kept, after the known ones.
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"export_table expects a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"the table to export lacks the column(s): {', '.join(missing)}")
    out = pd.DataFrame(index=range(len(table)))
    for col in order_columns(table.columns):
        values = list(table[col])
        if col == "link":
            values = [int(v) for v in values]
            out[col] = pd.Series(values, dtype="int64")
        elif col in ID_COLUMNS:
            out[col] = pd.Series([as_ids(v) for v in values], dtype=object)
        elif col in TEXT_COLUMNS or col == "label":
            out[col] = pd.Series([as_text(v) for v in values], dtype=object)
        elif col in FLOAT_COLUMNS:
            out[col] = pd.Series([as_float(v) for v in values], dtype="float64")
        elif col == "flags":
            out[col] = pd.Series([flags_as_json(v) for v in values], dtype=object)
        else:
            out[col] = table[col].reset_index(drop=True)
    return out


def maybe_numeric(col):
    """An extra column read back as text, back to numbers when every cell is one; else kept as strings."""
    import pandas as pd

    values = list(col)
    if not values or not all(isinstance(v, str) and v.strip() for v in values):
        return col
    try:
        return pd.to_numeric(pd.Series(values, index=getattr(col, "index", None)))
    except (ValueError, TypeError):
        return col


def extra_columns(table: pd.DataFrame) -> list[str]:
    """The columns beyond the scored table's own (an input's id or note, human labels, check scores)."""
    return [c for c in table.columns if c not in SCORED_COLUMNS]


def cell_text(value: Any) -> str | None:
    """An extra column's cell as text for formats that hold only text; None when it is missing."""
    value = plain(value)
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=json_default)
    return str(value)


def order_columns(columns: Iterable[str]) -> list[str]:
    cols = list(columns)
    known = [c for c in SCORED_COLUMNS if c in cols]
    return known + [c for c in cols if c not in SCORED_COLUMNS]


def finish_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A table read from an export in the table form (see `prepare_table`), with LINK_COLUMNS at least."""

    attrs = dict(frame.attrs)
    frame = frame.reset_index(drop=True)
    n = len(frame)
    if "link" not in frame.columns:
        frame["link"] = range(n)
    for col in LINK_COLUMNS:
        if col not in frame.columns:
            frame[col] = [[] for _ in range(n)] if col in ID_COLUMNS else ("" if col in TEXT_COLUMNS else float("nan"))
    out = prepare_table(frame)
    # `prepare_table` gives object columns for texts: keep them so (str, never NaN)
    out.attrs.update(attrs)
    return out


def default_meta(meta: dict[str, Any] | None) -> dict[str, Any]:
    m = dict(meta or {})
    m.setdefault("src_lang", "und")
    m.setdefault("tgt_lang", "und")
    return m


def json_default(value: Any) -> Any:
    """json.dumps fallback for numpy scalars/arrays and other odd values."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def plain(value: Any) -> Any:
    """A cell value as a plain JSON-able Python value (NaN/NA -> None)."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return plain(value.tolist())
    if _is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


# characters XML 1.0 cannot hold (surrogates cannot occur in encodable str anyway)
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold replaced by U+FFFD (same length: spans stay valid)."""
    return XML_ILLEGAL_RE.sub("\ufffd", text)


# --------------------------------------------------------------------------------------------
# entry points


def export_table(table: pd.DataFrame, fmt: str, path_or_buffer: str | os.PathLike[str] | IO[Any] | None = None,
                 meta: dict[str, Any] | None = None) -> bytes | str | None:
    """Export `table` as `fmt`.

    With `path_or_buffer=None` the export is returned (bytes for binary formats, else str);
    with a path it is written there, with a file object it is written into it (text formats are
    encoded as UTF-8 for binary file objects). Unknown format -> UnknownBackendError;
    an unwritable path -> OutputError.
    """
    exporter = get_exporter(fmt)
    data = exporter.write(prepare_table(table), default_meta(meta))
    if path_or_buffer is None:
        return data
    if isinstance(path_or_buffer, (str, os.PathLike)):
        path = Path(path_or_buffer)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        try:
            with open(path, "wb") as fh:
                fh.write(payload)
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise OutputError(f"cannot write the {exporter.name} export to {str(path)!r}: {reason}") from None
        return None
    _write_buffer(path_or_buffer, data, exporter.name)
    return None


def _write_buffer(buffer: IO[Any], data: bytes | str, name: str) -> None:
    try:
        if isinstance(buffer, io.TextIOBase):
            if isinstance(data, bytes):
                inner = getattr(buffer, "buffer", None)
                if inner is None:
                    raise OutputError(f"the {name} format is binary: pass a binary file object, not a text one")
                buffer.flush()
                inner.write(data)
            else:
                buffer.write(data)
        else:
            buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise OutputError(f"cannot write the {name} export: {exc.strerror or exc}") from None


def guess_format(name: str) -> str:
    """The format whose extension (or alias) ends `name`; UnknownBackendError if none does."""
    lower = name.lower()
    candidates = []
    for fmt in exporter_registry.names():
        exp = get_exporter(fmt)
        for ext in (exp.extension, *exp.aliases):
            if lower.endswith("." + ext.lower()):
                candidates.append((len(ext), fmt))
    if not candidates:
        raise UnknownBackendError(
            f"cannot tell the format of {name!r} from its extension; pass fmt= one of: "
            f"{', '.join(exporter_registry.names())}")
    return max(candidates)[1]


def read_table(path_or_buffer: str | os.PathLike[str] | IO[Any] | bytes, fmt: str | None = None) -> pd.DataFrame:
    """Read back an export: the same links and texts (ids as list[int], texts as str).

    `fmt` is guessed from the file extension (or the file object's name) when not given.
    Missing/unreadable file -> InputFileError; a file that does not parse -> FormatError.
    """
    if isinstance(path_or_buffer, (str, os.PathLike)):
        name = str(path_or_buffer)
    elif isinstance(path_or_buffer, (bytes, bytearray, memoryview)):
        name = ""
    else:
        name = str(getattr(path_or_buffer, "name", "") or "")
    if fmt is None:
        if not name:
            raise UnknownBackendError("cannot tell the format of an unnamed buffer; pass fmt=")
        fmt = guess_format(name)
    if isinstance(path_or_buffer, (str, os.PathLike)):
        try:
            with open(path_or_buffer, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise InputFileError(f"cannot read {name!r}: {exc.strerror or exc}") from None
    elif isinstance(path_or_buffer, (bytes, bytearray, memoryview)):
        data = bytes(path_or_buffer)
    else:
        raw = path_or_buffer.read()
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    exporter = get_exporter(fmt)
    if not exporter.readable:
        raise FormatError(f"the {exporter.name} format cannot be read back")
    try:
        frame = exporter.read(data)
        return finish_table(frame)
    except FormatError as exc:
        if name and name not in str(exc):  # the exporter knows lines, not files
            raise FormatError(f"{name}: {exc}") from None
        raise
    except WorkbenchError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file for the user
        where = f" {name!r}" if name else ""
        raise FormatError(f"cannot read{where} as {exporter.name}: {type(exc).__name__}: {exc}") from None


def flatten(prefix: str, value: Any, out: list[tuple[str, Any]]) -> None:
    """Nested summary dicts as (dotted.key, value) rows, for the report and spreadsheet summaries."""
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out.append((prefix, value))
