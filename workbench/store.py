"""Where a person's review lives between sessions: one project per document pair, in SQLite.

A project is keyed by a hash of both texts and both languages (`project_key`), so opening the same
pair again -- after closing the browser or restarting the app -- finds the same corrections. It holds

* the run it started from (`base` table, summary, signature, meta, settings),
* the edit log (one row per edit, in order; undo removes the last one), and
* the current table (the base with the edits applied and re-scored), so reopening needs no replay.

The file is `projects.sqlite` in the directory named by the environment variable
`WORKBENCH_STORE` (a path ending in `.sqlite`/`.db` names the file itself), by default under
platformdirs' `user_data_dir("workbench")`. SQLite runs in WAL mode with a busy timeout, so several
app sessions can share it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import OutputError
from workbench.sqlite_wal import connect_shared

if TYPE_CHECKING:
    import pandas as pd

SCHEMA = """
CREATE TABLE IF NOT EXISTS projects (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    src_lang TEXT NOT NULL DEFAULT '',
    tgt_lang TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL,
    info TEXT NOT NULL DEFAULT '{}',
    base TEXT NOT NULL,
    current TEXT NOT NULL,
    current_info TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS edits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project TEXT NOT NULL REFERENCES projects(key) ON DELETE CASCADE,
    op TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS edits_project ON edits(project, id);
"""


def default_store_path() -> Path:
    env = os.environ.get("WORKBENCH_STORE")
    if env:
        p = Path(env).expanduser()
        return p if p.suffix in (".sqlite", ".db", ".sqlite3") else p / "projects.sqlite"
    from platformdirs import user_data_dir

    return Path(user_data_dir("workbench")) / "projects.sqlite"


def project_key(src_text: str, tgt_text: str, src_lang: str, tgt_lang: str) -> str:
    """The identity of a document pair: a hash of both texts and both languages."""
    h = hashlib.sha256()
    for part in (src_lang, tgt_lang, src_text, tgt_text):
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


# ------------------------------------------------------------------------------------------------
# tables as JSON


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return _plain(value.tolist())
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is not None and not isinstance(value, (str, int, float, bool)):
        try:
            import pandas as pd

            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
        return str(value)
    return value


def table_to_json(table: pd.DataFrame) -> str:
    cols = [str(c) for c in table.columns]
    data = {c: [_plain(v) for v in table[c].tolist()] for c in cols}
    return json.dumps({"columns": cols, "data": data}, ensure_ascii=False, allow_nan=False)


_TEXT_COLUMNS = ("src_text", "tgt_text", "label", "comment", "human_label", "auto_label")


def table_from_json(text: str) -> pd.DataFrame:
    import pandas as pd

    obj = json.loads(text)
    cols = obj["columns"]
    frame = pd.DataFrame(index=range(len(obj["data"][cols[0]]) if cols else 0))
    for c in cols:
        values = obj["data"][c]
        if c in ("src_ids", "tgt_ids"):
            frame[c] = pd.Series([list(v or []) for v in values], dtype=object)
        elif c in _TEXT_COLUMNS:
            frame[c] = pd.Series(["" if v is None else str(v) for v in values], dtype=object)
        elif c == "flags":
            frame[c] = pd.Series(["[]" if v is None else v for v in values], dtype=object)
        elif c == "edited":
            frame[c] = pd.Series([bool(v) for v in values], dtype=bool)
        elif c == "link":
            frame[c] = pd.Series([int(v) for v in values], dtype="int64")
        elif all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values):
            frame[c] = pd.Series([float("nan") if v is None else float(v) for v in values], dtype="float64")
        else:
            frame[c] = pd.Series(values, dtype=object)
    return frame


def _dumps(obj: Any) -> str:
    return json.dumps(_plain(obj), ensure_ascii=False, allow_nan=False)


# ------------------------------------------------------------------------------------------------


@dataclass
class Project:
    """A project as read from the store."""

    key: str
    name: str
    src_lang: str
    tgt_lang: str
    info: dict[str, Any]  # meta, summary, signature, settings of the run it started from
    base: pd.DataFrame
    current: pd.DataFrame
    current_info: dict[str, Any]  # summary and signature of the current table
    edits: list[dict[str, Any]] = field(default_factory=list)
    created: float = 0.0
    updated: float = 0.0


class Store:
    """The project store (see the module doc). Thread-safe; one connection per Store."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        p = Path(path) if path is not None else default_store_path()
        if p.suffix not in (".sqlite", ".db", ".sqlite3"):
            p = p / "projects.sqlite"
        self.path = p
        self._lock = threading.RLock()
        try:
            conn = connect_shared(self.path, SCHEMA, timeout=30)
            conn.execute("PRAGMA foreign_keys=ON")
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"cannot open the project store {self.path}: {exc}") from None
        self._conn = conn

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- projects ---------------------------------------------------------------------------
    def create(self, key: str, base: pd.DataFrame, info: dict[str, Any], name: str = "", src_lang: str = "",
               tgt_lang: str = "") -> Project:
        """Create the project `key` (replacing any project of that key) with no edits."""
        now = time.time()
        current_info = {"summary": info.get("summary", {}), "signature": info.get("signature", "")}
        base_json = table_to_json(base)
        with self._lock, self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("DELETE FROM edits WHERE project = ?", (key,))
            self._conn.execute(
                "INSERT OR REPLACE INTO projects (key, name, src_lang, tgt_lang, created, updated, info, base, "
                "current, current_info) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, name, src_lang, tgt_lang, now, now, _dumps(info), base_json, base_json, _dumps(current_info)))
        return self.get(key)  # type: ignore[return-value]

    def get(self, key: str) -> Project | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT key, name, src_lang, tgt_lang, created, updated, info, base, current, current_info "
                "FROM projects WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            edits = [json.loads(op) for (op,) in self._conn.execute(
                "SELECT op FROM edits WHERE project = ? ORDER BY id", (key,))]
        return Project(key=row[0], name=row[1], src_lang=row[2], tgt_lang=row[3], created=row[4], updated=row[5],
                       info=json.loads(row[6]), base=table_from_json(row[7]), current=table_from_json(row[8]),
                       current_info=json.loads(row[9]), edits=edits)

    def exists(self, key: str) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1 FROM projects WHERE key = ?", (key,)).fetchone() is not None

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT p.key, p.name, p.src_lang, p.tgt_lang, p.updated, COUNT(e.id) FROM projects p "
                "LEFT JOIN edits e ON e.project = p.key GROUP BY p.key ORDER BY p.updated DESC").fetchall()
        return [{"key": r[0], "name": r[1], "src_lang": r[2], "tgt_lang": r[3], "updated": r[4], "edits": r[5]}
                for r in rows]

    def delete(self, key: str) -> None:
        with self._lock, self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("DELETE FROM edits WHERE project = ?", (key,))
            self._conn.execute("DELETE FROM projects WHERE key = ?", (key,))

    # -- edits ------------------------------------------------------------------------------
    def add_edit(self, key: str, edit: dict[str, Any], current: pd.DataFrame, current_info: dict[str, Any]) -> int:
        """Log `edit` and save the table it produced, in one transaction; the number of edits after."""
        with self._lock, self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            if self._conn.execute("SELECT 1 FROM projects WHERE key = ?", (key,)).fetchone() is None:
                raise OutputError(f"no project {key} in the store {self.path}")
            self._conn.execute("INSERT INTO edits (project, op, created) VALUES (?, ?, ?)",
                               (key, _dumps(edit), time.time()))
            self._conn.execute("UPDATE projects SET current = ?, current_info = ?, updated = ? WHERE key = ?",
                               (table_to_json(current), _dumps(current_info), time.time(), key))
            (n,) = self._conn.execute("SELECT COUNT(*) FROM edits WHERE project = ?", (key,)).fetchone()
        return int(n)

    def pop_edit(self, key: str) -> dict[str, Any] | None:
        """Remove the last edit from the log (the caller replays the rest and calls `set_current`)."""
        with self._lock, self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            row = self._conn.execute("SELECT id, op FROM edits WHERE project = ? ORDER BY id DESC LIMIT 1",
                                     (key,)).fetchone()
            if row is None:
                return None
            self._conn.execute("DELETE FROM edits WHERE id = ?", (row[0],))
        return json.loads(row[1])

    def set_current(self, key: str, current: pd.DataFrame, current_info: dict[str, Any]) -> None:
        """Save the current table (after undo, or after re-scoring with other settings)."""
        with self._lock, self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("UPDATE projects SET current = ?, current_info = ?, updated = ? WHERE key = ?",
                               (table_to_json(current), _dumps(current_info), time.time(), key))

    def edits(self, key: str) -> list[dict[str, Any]]:
        with self._lock:
            return [json.loads(op) for (op,) in self._conn.execute(
                "SELECT op FROM edits WHERE project = ? ORDER BY id", (key,))]
