"""The Dask engine on a real local cluster (2 worker processes): the same corpus table as the local
engine, a worker killed mid-run loses no pair, and the CLI reaches an existing scheduler."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from workbench import batch

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
make_corpus = _mod.make_corpus
HASH = batch.load_options("hash")


def comparable(table: pd.DataFrame) -> pd.DataFrame:
    return table[[c for c in table.columns if not c.startswith("time")]].reset_index(drop=True)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """Workers inherit WORKBENCH_CACHE_DIR from this process, so it is set before they start."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKBENCH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        import dask

        # as `workbench batch --engine dask` does for its own cluster (see batch._connect_dask)
        with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
            cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                               dashboard_address=None, silence_logs=50)
        c = distributed.Client(cluster)
        try:
            yield c
        finally:
            c.close()
            cluster.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[list[batch.PairSpec], pd.DataFrame, Path]:
    """40 good pairs, 4 bad ones, and the in-process engine's corpus table for them."""
    manifest = make_corpus(tmp_path_factory.mktemp("corpus"), n_pairs=40, seed=2, min_links=4, max_links=10, bad=4)
    pairs = batch.read_manifest(manifest)
    ref = batch.run_batch(pairs, tmp_path_factory.mktemp("ref"), HASH, workers=0)
    return pairs, ref.table, manifest


def test_dask_gives_the_local_engines_table(client, corpus, tmp_path):
    pairs, ref, _ = corpus
    report = batch.run_batch(pairs, tmp_path, HASH, engine="dask", client=client)
    assert report.processed == 44 and report.failed == 4 and report.workers == 2
    pd.testing.assert_frame_equal(comparable(report.table), comparable(ref))
    pids = {r["worker"]["pid"] for r in report.records if r["worker"]}
    assert pids == set(client.run(os.getpid).values())  # the work ran on the cluster's workers
    assert batch.run_batch(pairs, tmp_path, HASH, engine="dask", client=client).processed == 0


def test_a_worker_killed_mid_run_loses_no_pair(client, corpus, tmp_path):
    pairs, ref, _ = corpus
    result: dict = {}

    def run() -> None:
        try:
            result["report"] = batch.run_batch(pairs, tmp_path, HASH, engine="dask", client=client)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 60
    while len(list((tmp_path / "pairs").glob("*.summary.json"))) < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    victim = next(iter(client.run(os.getpid).values()))
    os.kill(victim, signal.SIGKILL)  # its nanny starts a new worker; the scheduler reruns its task
    thread.join(timeout=120)
    assert not thread.is_alive()
    if "error" in result:
        raise result["error"]
    report = result["report"]
    assert report.total == 44 and report.failed == 4
    assert victim not in client.run(os.getpid).values()
    table = report.table
    assert table["id"].is_unique and list(table["id"]) == [p.id for p in pairs]
    pd.testing.assert_frame_equal(comparable(table), comparable(ref))
    assert len(list((tmp_path / "pairs").glob("*.summary.json"))) == 44
    assert batch.run_batch(pairs, tmp_path, HASH, engine="dask", client=client).processed == 0


def test_cli_points_at_an_existing_scheduler(client, corpus, tmp_path):
    pairs, ref, manifest = corpus
    res = subprocess.run([sys.executable, "-m", "workbench", "batch", str(manifest), "--out", str(tmp_path),
                          "--encoder", "hash", "--engine", "dask", "--scheduler", client.scheduler.address, "-q"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 5, res.stderr  # the 4 bad pairs
    run = json.loads((tmp_path / "run.json").read_text())
    assert run["engine"] == "dask" and run["scheduler"] == client.scheduler.address
    pd.testing.assert_frame_equal(comparable(pd.read_parquet(tmp_path / "corpus.parquet")), comparable(ref))


def test_cli_dask_without_scheduler_starts_a_local_cluster(corpus, tmp_path):
    pairs, ref, _ = corpus
    manifest = tmp_path / "m.csv"
    manifest.write_text("id,src,tgt,src_lang,tgt_lang\n" + "".join(
        f"{p.id},{p.src},{p.tgt},{p.src_lang},{p.tgt_lang}\n" for p in pairs[:3]))
    env = {**os.environ, "WORKBENCH_CACHE_DIR": str(tmp_path / "cache")}
    res = subprocess.run([sys.executable, "-m", "workbench", "batch", str(manifest), "--out", str(tmp_path / "o"),
                          "--encoder", "hash", "--engine", "dask", "--workers", "1"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)
    assert res.returncode == 0, res.stderr
    assert "3 pairs: 3 ok, 0 failed" in res.stderr
    pd.testing.assert_frame_equal(comparable(pd.read_parquet(tmp_path / "o" / "corpus.parquet")),
                                  comparable(ref.iloc[:3]))
