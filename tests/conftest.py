"""Shared fixtures: every test gets its own embedding cache and store, so runs never interfere."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "corpora" / "reuters-2022-01-28-ukraine"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    base = tmp_path_factory.mktemp("wb")
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("WORKBENCH_STORE", str(base / "store"))
    yield


@pytest.fixture(scope="session")
def flagship() -> Path:
    return FLAGSHIP
