"""Reading user files: encodings, newlines and every kind of bad input as one InputFileError."""

from __future__ import annotations

import pytest

from workbench.errors import InputFileError
from workbench.text import decode_bytes, read_document, read_text

TEXT = "Le président a déclaré : « Ça suffit. »\n\nÉtats-Unis, 100\u00a0000 soldats.\n"


def test_utf8_plain(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(TEXT.encode("utf-8"))
    assert read_text(p) == TEXT


def test_utf8_bom(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    out = read_text(p)
    assert out == TEXT and not out.startswith("\ufeff")


def test_crlf_and_cr(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert read_text(p) == TEXT
    assert decode_bytes(b"one\rtwo\r") == "one\ntwo\n"


def test_crlf_paragraphs(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"First one. Second one.\r\n\r\nThird one.\r\n")
    doc = read_document(p, "en")
    assert doc.texts == ["First one.", "Second one.", "Third one."]
    assert doc.paragraphs == [0, 0, 1]
    assert doc.name == "a.txt"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_legacy_single_byte(tmp_path, encoding):
    text = ("Le ministère de la Défense n'a pas répondu à la demande écrite de commentaire. "
            "Les États-Unis et l'Union européenne ont averti la Russie qu'elle s'exposerait à des sanctions.\n")
    if encoding == "cp1252":
        text = text.replace("'", "\u2019")  # a byte that only cp1252 maps
    p = tmp_path / "a.txt"
    p.write_bytes(text.encode(encoding))
    assert read_text(p) == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32(tmp_path, encoding):
    p = tmp_path / "a.txt"
    p.write_bytes(TEXT.encode(encoding))
    assert read_text(p) == TEXT


def test_binary_file(tmp_path):
    p = tmp_path / "a.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(InputFileError, match="binary"):
        read_text(p)


def test_binary_without_zero_bytes(tmp_path):
    p = tmp_path / "a.bin"
    p.write_bytes(bytes(range(1, 32)) * 50)
    with pytest.raises(InputFileError, match="binary|encoding"):
        read_text(p)


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_file(tmp_path, data):
    p = tmp_path / "a.txt"
    p.write_bytes(data)
    with pytest.raises(InputFileError, match="empty"):
        read_text(p)


def test_bad_bom(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbfabc \xff\xfe\xfd def")
    with pytest.raises(InputFileError, match="UTF-8"):
        read_text(p)


def test_directory(tmp_path):
    with pytest.raises(InputFileError, match="directory"):
        read_text(tmp_path)


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        read_text(tmp_path / "nope.txt")


def test_errors_are_one_line(tmp_path):
    for path in (tmp_path / "nope.txt", tmp_path):
        with pytest.raises(InputFileError) as info:
            read_text(path)
        assert "\n" not in str(info.value)


@pytest.mark.parametrize("text,encoding", [
    ("première", "cp1252"),
    ("Ça va très bien.\nLes élèves sont là.", "cp1252"),
    ("Größe und Maß – 20 €", "cp1252"),
    ("Привет, как дела? Всё хорошо.", "cp1251"),
])
def test_short_legacy_encodings_decode(text, encoding):
    assert decode_bytes(text.encode(encoding)) == text
