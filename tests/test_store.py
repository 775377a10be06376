"""The project store: one project per pair, edits saved at once, survives a new Store (a restart)."""

from __future__ import annotations

import math
import sqlite3

import pandas as pd
import pytest

from workbench import edits
from workbench.store import Store, default_store_path, project_key, table_from_json, table_to_json


def scored_table() -> pd.DataFrame:
    return edits.prepare(pd.DataFrame({
        "link": [0, 1, 2],
        "src_ids": [[0], [1, 2], [3]],
        "tgt_ids": [[0], [1], []],
        "src_text": ["A <script>x</script>.", "B. C.", "D 😀"],
        "tgt_text": ["Un.", "Deux.", ""],
        "similarity": [0.9, 0.8, float("nan")],
        "confidence": [0.99, 0.5, 0.1],
        "fidelity": [0.95, 0.7, 0.0],
        "label": ["equivalent", "minor", "omission"],
        "flags": ["[]", '[{"check": "numbers", "message": "m", "severity": 0.7, "src_spans": [[0, 1]], '
                        '"tgt_spans": []}]', "[]"],
        "check_numbers": [float("nan"), 0.7, float("nan")],
    }))


def test_key_depends_on_texts_and_languages():
    k = project_key("a", "b", "en", "fr")
    assert k == project_key("a", "b", "en", "fr")
    assert len({k, project_key("a", "b", "en", "de"), project_key("b", "a", "en", "fr"),
                project_key("ab", "", "en", "fr")}) == 4


def test_table_json_round_trip():
    t = scored_table()
    back = table_from_json(table_to_json(t))
    assert list(back.columns) == list(t.columns)
    assert back["src_ids"].tolist() == t["src_ids"].tolist()
    assert back["src_text"].tolist() == t["src_text"].tolist()
    assert math.isnan(back.at[2, "similarity"]) and back.at[1, "similarity"] == 0.8
    assert back["edited"].dtype == bool and back["flags"].tolist() == t["flags"].tolist()


def test_create_edit_undo_and_reopen(tmp_path):
    db = Store(tmp_path)
    assert db.path == tmp_path / "projects.sqlite"
    base = scored_table()
    info = {"meta": {"src_lang": "en", "tgt_lang": "fr"}, "summary": {"fidelity": 0.5}, "signature": "sig", "run": "r"}
    p = db.create("k1", base, info, "pair", "en", "fr")
    assert p.edits == [] and p.info["signature"] == "sig" and len(p.current) == 3
    e1 = {"op": "relabel", "link": 0, "label": "major"}
    t1 = edits.apply_edit(base, e1, [], [])
    assert db.add_edit("k1", e1, t1, {"summary": {"fidelity": 0.4}, "signature": "sig"}) == 1
    e2 = {"op": "comment", "link": 1, "text": "why?"}
    t2 = edits.apply_edit(t1, e2, [], [])
    assert db.add_edit("k1", e2, t2, {"summary": {}, "signature": "sig"}) == 2
    db.close()

    again = Store(tmp_path / "projects.sqlite")  # a restart
    p = again.get("k1")
    assert p is not None and p.edits == [e1, e2]
    assert p.current.at[0, "label"] == "major" and p.current.at[1, "comment"] == "why?"
    assert p.base.at[0, "label"] == "equivalent"
    assert again.list()[0]["edits"] == 2
    assert again.pop_edit("k1") == e2
    assert again.edits("k1") == [e1]
    again.set_current("k1", t1, {"summary": {}, "signature": "sig"})
    assert again.get("k1").current.at[1, "comment"] == ""
    again.delete("k1")
    assert again.get("k1") is None and not again.exists("k1")
    assert again.pop_edit("k1") is None


def test_create_replaces_project_and_its_edits(tmp_path):
    db = Store(tmp_path)
    db.create("k", scored_table(), {})
    db.add_edit("k", {"op": "comment", "link": 0, "text": "x"}, scored_table(), {})
    p = db.create("k", scored_table(), {"run": "new"})
    assert p.edits == [] and p.info == {"run": "new"}


def test_add_edit_to_unknown_project(tmp_path):
    from workbench.errors import OutputError

    with pytest.raises(OutputError):
        Store(tmp_path).add_edit("nope", {"op": "comment", "link": 0}, scored_table(), {})


def test_default_location(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_STORE", str(tmp_path / "s"))
    assert default_store_path() == tmp_path / "s" / "projects.sqlite"
    monkeypatch.setenv("WORKBENCH_STORE", str(tmp_path / "mine.db"))
    assert default_store_path() == tmp_path / "mine.db"
    monkeypatch.delenv("WORKBENCH_STORE")
    assert default_store_path().name == "projects.sqlite" and "workbench" in str(default_store_path())


def test_two_stores_share_one_file(tmp_path):
    a, b = Store(tmp_path), Store(tmp_path)
    a.create("k", scored_table(), {})
    b.add_edit("k", {"op": "comment", "link": 0, "text": "from b"}, scored_table(), {})
    assert len(a.edits("k")) == 1
    mode = sqlite3.connect(a.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_a_damaged_store_file_is_an_output_error(tmp_path):
    from workbench.errors import OutputError

    path = tmp_path / "projects.sqlite"
    path.write_text("garbage\n")
    with pytest.raises(OutputError, match="cannot open the project store .*projects.sqlite: file is not a database"):
        Store(path)
