"""The glossary file: empty targets refused, repeated terms merged, BOM dropped, any text encoding."""

from __future__ import annotations

import pytest

from workbench.errors import FormatError, InputFileError
from workbench.fidelity.base import DocContext, LinkCase, check_registry
from workbench.fidelity.checks.glossary import load_glossary


def _write(tmp_path, data: bytes):
    p = tmp_path / "g.tsv"
    p.write_bytes(data)
    return p


def _flag(glossary, src: str, tgt: str):
    ctx = DocContext(src_lang="en", tgt_lang="fr", glossary=glossary)
    return check_registry.get("glossary")().score(LinkCase(0, src, tgt), ctx)


@pytest.mark.parametrize("line", [b"meeting\t|\n", b"meeting\t | \n", b"meeting\t||\n"])
def test_a_target_of_only_bars_is_refused(tmp_path, line):
    p = _write(tmp_path, b"# terms\nsecurity\ts\xc3\xa9curit\xc3\xa9\n" + line)
    with pytest.raises(FormatError) as info:
        load_glossary(p)
    assert str(info.value) == f"glossary {p}, line 3: no target term"


def test_a_dict_term_without_target_is_refused():
    with pytest.raises(FormatError, match="'meeting': no target term"):
        load_glossary({"meeting": ["", " "]})


def test_a_term_listed_twice_allows_the_targets_of_both(tmp_path):
    p = _write(tmp_path, "meeting\tréunion\nsecurity\tsécurité\nMeeting \trencontre|réunion\n".encode())
    gl = load_glossary(p)
    assert gl == [("meeting", ["réunion", "rencontre"]), ("security", ["sécurité"])]
    assert _flag(gl, "The meeting ended.", "La rencontre est finie.").score == 0.0
    assert _flag(gl, "The meeting ended.", "La réunion est finie.").score == 0.0
    assert _flag(gl, "The meeting ended.", "La séance est finie.").score == 1.0


def test_a_bom_is_not_part_of_the_first_term(tmp_path):
    p = _write(tmp_path, b"\xef\xbb\xbfmeeting\tr\xc3\xa9union\n")
    assert load_glossary(p) == [("meeting", ["réunion"])]
    res = _flag(load_glossary(p), "The meeting ended.", "La séance est finie.")
    assert res.score == 1.0 and "'meeting'" in res.message and "\ufeff" not in res.message


def test_a_bom_before_a_header_line(tmp_path):
    p = _write(tmp_path, b"\xef\xbb\xbfsource\ttarget\nmeeting\tr\xc3\xa9union\n")
    assert load_glossary(p) == [("meeting", ["réunion"])]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-8-sig"])
def test_a_glossary_in_another_encoding(tmp_path, encoding):
    text = "déclaration\tdéclaration|communiqué\nsecurity\tsécurité\n"
    assert load_glossary(_write(tmp_path, text.encode(encoding))) == [
        ("déclaration", ["déclaration", "communiqué"]), ("security", ["sécurité"])]


def test_an_unreadable_glossary_is_one_line(tmp_path):
    for p in (tmp_path / "nope.tsv", _write(tmp_path, b"  \n"), _write(tmp_path, bytes(range(256)) * 8)):
        with pytest.raises(InputFileError) as info:
            load_glossary(p)
        assert str(info.value).startswith("cannot read glossary ") and "\n" not in str(info.value)


def test_cli_glossary_of_only_bars_is_one_line(tmp_path, capsys):
    from workbench.cli import main

    pairs = tmp_path / "p.tsv"
    pairs.write_text("en\tfr\nThe meeting ended.\tLa réunion est finie.\n", encoding="utf-8")
    gl = _write(tmp_path, b"meeting\t|\n")
    with pytest.raises(SystemExit) as info:
        main(["score-pairs", str(pairs), "--src-col", "en", "--tgt-col", "fr", "--src-lang", "en", "--tgt-lang",
              "fr", "--encoder", "hash", "-q", "--glossary", str(gl), "-o", str(tmp_path / "o.tsv")])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert info.value.code == 2 and len(err) == 1 and "line 1: no target term" in err[0]
