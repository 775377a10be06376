"""Opening a SQLite database that several processes share (embedding cache, project store)."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path


def connect_shared(path: str | Path, schema: str, timeout: float = 60.0) -> sqlite3.Connection:
    """A connection in WAL mode (readers never block the writer) with `schema` applied.

    Switching to WAL and creating tables take a lock that SQLite may refuse at once, without
    waiting for the busy timeout, while another process does the same: those steps are retried.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(schema)
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                conn.close()
                raise
            time.sleep(0.05 + random.random() * 0.1)
        except BaseException:  # e.g. "file is not a database": the caller may delete the file next
            conn.close()
            raise
