"""Persistent embedding cache keyed by (encoder id, text), in SQLite; it also remembers the fidelity
calibration measured on a set of source sentences (see `workbench.fidelity.calibrate`).

SQLite in WAL mode with a busy timeout lets several processes (batch workers, the app and a
CLI run) read and write the same cache at once; rows are inserted with OR IGNORE so two
writers of the same sentence cannot conflict.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from workbench.encoders.base import Encoder, SparseTerms
from workbench.errors import FormatError, OutputError
from workbench.sqlite_wal import connect_shared

_SCHEMA = ("CREATE TABLE IF NOT EXISTS emb (encoder TEXT NOT NULL, key BLOB NOT NULL, "
           "vec BLOB NOT NULL, PRIMARY KEY (encoder, key)) WITHOUT ROWID;"
           "CREATE TABLE IF NOT EXISTS calib (key TEXT PRIMARY KEY, record TEXT NOT NULL);"
           # which source sentences each remembered calibration was measured on, to find one that
           # covers a later run on a part of them; `seq` orders them by when they were remembered
           "CREATE TABLE IF NOT EXISTS calib_runs (key TEXT PRIMARY KEY, scope TEXT NOT NULL, seq INTEGER NOT NULL);"
           "CREATE TABLE IF NOT EXISTS calib_source (src BLOB NOT NULL, key TEXT NOT NULL, "
           "PRIMARY KEY (src, key)) WITHOUT ROWID;")


def default_cache_dir() -> Path:
    env = os.environ.get("WORKBENCH_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("workbench"))


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _reported(method):
    """SQLite and filesystem failures of the cache as one line naming its file, never a traceback."""

    @functools.wraps(method)
    def wrapper(self: EmbeddingCache, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as exc:  # cannot open, read-only, disk full, locked for too long
            raise OutputError(f"the embedding cache {self.path}: {exc}") from None
        except sqlite3.DatabaseError as exc:  # not a database, malformed: nothing in it can be trusted
            raise FormatError(f"the embedding cache {self.path} is damaged ({exc}); "
                              "run `workbench cache clear` to start a new one") from None
        except OSError as exc:
            raise OutputError(f"the embedding cache {self.path}: {exc.strerror or exc}") from None

    return wrapper


class EmbeddingCache:
    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory else default_cache_dir()
        self.path = self.directory / "embeddings.sqlite"
        self._conn: sqlite3.Connection | None = None

    def _folder_name(self) -> str:
        """The folder as the user named it: the variable when WORKBENCH_CACHE_DIR chose it."""
        env = os.environ.get("WORKBENCH_CACHE_DIR")
        if env and Path(env) == self.directory:
            return f"WORKBENCH_CACHE_DIR={env}"
        return f"the cache folder {self.directory}"

    def _make_directory(self) -> None:
        """Create the folder, or say in one line why it cannot be the cache's folder."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a file where the folder should be
            raise OutputError(f"{self._folder_name()} is not a directory; "
                              "point it at a folder for the embedding cache") from None
        except OSError as exc:
            raise OutputError(f"{self._folder_name()}: cannot create the embedding cache folder "
                              f"({exc.strerror or exc})") from None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self._make_directory()
            self._conn = connect_shared(self.path, _SCHEMA)
        return self._conn

    @_reported
    def check(self) -> None:
        """Open the cache now, so a bad folder or a damaged file stops a run before any work."""
        self._connect()

    @_reported
    def get_many(self, encoder_id: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        conn = self._connect()
        found: dict[str, np.ndarray] = {}
        by_key = {_key(t): t for t in texts}
        keys = list(by_key)
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, vec in conn.execute(
                f"SELECT key, vec FROM emb WHERE encoder = ? AND key IN ({marks})", [encoder_id, *chunk]
            ):
                found[by_key[bytes(key)]] = np.frombuffer(vec, dtype=np.float32)
        return found

    @_reported
    def put_many(self, encoder_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        conn = self._connect()
        rows = [(encoder_id, _key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors, strict=True)]
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR IGNORE INTO emb (encoder, key, vec) VALUES (?, ?, ?)", rows)

    @_reported
    def get_calibration(self, key: str) -> dict | None:
        row = self._connect().execute("SELECT record FROM calib WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    @_reported
    def put_calibration(self, key: str, record: dict, scope: str | None = None,
                        sources: Sequence[str] = ()) -> None:
        """Remember `record` under `key`; with a `scope` (encoder and languages), also which `sources`
        it was measured on, for `covering_calibration`."""
        conn = self._connect()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT OR REPLACE INTO calib (key, record) VALUES (?, ?)", (key, json.dumps(record)))
            conn.execute("DELETE FROM calib_source WHERE key = ?", (key,))
            conn.execute("DELETE FROM calib_runs WHERE key = ?", (key,))
            if scope is not None:
                keys = {_key(t) for t in sources}
                seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM calib_runs").fetchone()[0]
                conn.execute("INSERT INTO calib_runs (key, scope, seq) VALUES (?, ?, ?)", (key, scope, seq))
                conn.executemany("INSERT OR IGNORE INTO calib_source (src, key) VALUES (?, ?)",
                                 [(k, key) for k in keys])

    @_reported
    def covering_calibration(self, scope: str, sources: Sequence[str], share: float) -> tuple[dict, float] | None:
        """The most recently remembered calibration of this `scope` measured on at least `share` of
        `sources` (and how much of them it covers), or None."""
        keys = list({_key(t) for t in sources})
        if not keys:
            return None
        conn = self._connect()
        hits: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, n in conn.execute(
                    f"SELECT key, COUNT(*) FROM calib_source WHERE src IN ({marks}) GROUP BY key", chunk):
                hits[key] = hits.get(key, 0) + n
        best = None
        for key, n in hits.items():
            covered = n / len(keys)
            if covered < share:
                continue
            row = conn.execute("SELECT seq FROM calib_runs WHERE key = ? AND scope = ?", (key, scope)).fetchone()
            if row is not None and (best is None or row[0] > best[0]):
                best = (row[0], key, covered)
        if best is None:
            return None
        record = self.get_calibration(best[1])
        return (record, best[2]) if record is not None else None

    @_reported
    def info(self) -> dict[str, object]:
        if not self.path.exists():
            self._make_directory()  # a WORKBENCH_CACHE_DIR that cannot work is reported, not shown as empty
            return {"path": str(self.path), "entries": 0, "bytes": 0, "encoders": {}, "calibrations": 0}
        conn = self._connect()
        per = dict(conn.execute("SELECT encoder, COUNT(*) FROM emb GROUP BY encoder").fetchall())
        size = sum(p.stat().st_size for p in self.directory.glob("embeddings.sqlite*"))
        calibrations = conn.execute("SELECT COUNT(*) FROM calib").fetchone()[0]
        return {"path": str(self.path), "entries": sum(per.values()), "bytes": size, "encoders": per,
                "calibrations": calibrations}

    @_reported
    def clear(self) -> int:
        """Forget every embedding and calibration; returns the number of embeddings removed."""
        if not self.path.exists():
            self._make_directory()
            return 0
        conn = self._connect()
        with conn:
            n = conn.execute("DELETE FROM emb").rowcount
            for table in ("calib", "calib_runs", "calib_source"):
                conn.execute(f"DELETE FROM {table}")
        conn.execute("VACUUM")
        return n

    @_reported
    def reset(self) -> None:
        """Delete the cache file and its WAL files and start an empty one: the way out of a damaged file."""
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self._connect()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class CachedEncoder(Encoder):
    """Wraps an encoder: each distinct text is encoded once, ever, per encoder id."""

    def __init__(self, inner: Encoder, cache: EmbeddingCache | None = None) -> None:
        self.inner = inner
        self.cache = cache
        self.id = inner.id
        self.dim = inner.dim
        self.latent_id = inner.latent_id
        self.encoded_count = 0  # texts actually sent to the model (for tests and benchmarks)

    def _encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - encode() is overridden
        return self.inner.encode(texts)

    def _cached(self, cache_id: str, texts: list[str], compute: Callable[[list[str]], Sequence[np.ndarray]],
                progress: Callable[[int, int], None] | None, batch_size: int) -> dict[str, np.ndarray]:
        unique = list(dict.fromkeys(texts))
        known = self.cache.get_many(cache_id, unique) if self.cache else {}
        missing = [t for t in unique if t not in known]
        done = len(unique) - len(missing)
        if progress:
            progress(done, len(unique))
        for start in range(0, len(missing), batch_size):
            batch = missing[start:start + batch_size]
            vecs = compute(batch)
            self.encoded_count += len(batch)
            if self.cache:
                self.cache.put_many(cache_id, batch, vecs)
            known.update(zip(batch, vecs, strict=True))
            done += len(batch)
            if progress:
                progress(done, len(unique))
        return known

    def encode(self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None,
               batch_size: int = 64) -> np.ndarray:
        texts = list(texts)
        known = self._cached(self.inner.id, texts, self.inner.encode, progress, batch_size)
        self.dim = self.inner.dim or self.dim
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([known[t] for t in texts]).astype(np.float32, copy=False)

    def latent_terms(self, texts: Sequence[str]) -> list[SparseTerms]:
        # cached as one float32 row: the feature ids (exact in float32 below 2**24), then the weights
        def compute(batch: list[str]) -> list[np.ndarray]:
            return [np.concatenate([ids.astype(np.float32), vals]) for ids, vals in self.inner.latent_terms(batch)]

        texts = list(texts)
        known = self._cached(self.latent_id, texts, compute, None, 64)
        out = []
        for t in texts:
            row = known[t]
            half = len(row) // 2
            out.append((row[:half].astype(np.int32), row[half:].astype(np.float32)))
        return out
