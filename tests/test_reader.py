"""Reading user files: encodings, newlines and every kind of bad input as one InputFileError."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# -- a UTF-8 file holding a few bytes of another encoding (copy-paste) ------------------------------

# any character a text file may hold: no surrogates, no control characters but tab and newline, no CR
# (newlines are normalised) and no BOM (dropped)
_TEXT_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from("\t\n")
_WESTERN_CHARS = st.sampled_from("abcdefgh XYZ.,;:!?'éèêëàâçôöüßÉÀœ«»’“”–—…€0123")


@settings(max_examples=300, deadline=None)
@given(st.text(_TEXT_CHARS, min_size=1).filter(str.strip))
def test_any_utf8_text_reads_back_unchanged(text):
    assert decode_bytes(text.encode("utf-8")) == text


@settings(max_examples=200, deadline=None)
@given(st.text(_WESTERN_CHARS), st.text(_WESTERN_CHARS))
def test_one_latin1_byte_in_utf8_reads_as_that_letter(before, after):
    if not any(ord(c) > 127 for c in before + after):
        before += "é"   # at least one real UTF-8 character: else it is a Windows-1252 file
    data = before.encode("utf-8") + b"\xe9" + after.encode("utf-8")
    assert decode_bytes(data) == before + "é" + after


def test_mixed_utf8_and_latin1_warns_once(tmp_path, caplog):
    p = tmp_path / "m.txt"
    p.write_bytes(b"Le caf\xc3\xa9 est bon.\nLe th\xe9 aussi, le lait \xe9galement.\n")
    with caplog.at_level("WARNING", logger="workbench.text"):
        assert read_text(p) == "Le café est bon.\nLe thé aussi, le lait également.\n"
    assert len(caplog.records) == 1
    msg = caplog.records[0].getMessage()
    assert "m.txt" in msg and "2 bytes" in msg and "line 2" in msg and "\n" not in msg


def test_clean_files_do_not_warn(tmp_path, caplog):
    p = tmp_path / "a.txt"
    for data in (TEXT.encode("utf-8"), TEXT.encode("cp1252"), TEXT.encode("utf-16")):
        p.write_bytes(data)
        with caplog.at_level("WARNING", logger="workbench.text"):
            assert read_text(p) == TEXT
    assert not caplog.records


@pytest.mark.parametrize("text,encoding", [
    ("Das Maß“ ist voll, schön.", "cp1252"),   # 'ß“' happens to be a UTF-8 pair (an N'Ko letter)
    ("ÉTÉ\u00a0: très chaud", "cp1252"),        # 'É' + no-break space: a UTF-8 pair (an IPA letter)
    ("Привет, как дела? Всё хорошо.", "cp1251"),
])
def test_legacy_file_with_an_accidental_utf8_pair_stays_legacy(text, encoding):
    assert decode_bytes(text.encode(encoding)) == text


def test_many_stray_bytes_make_a_windows_1252_file():
    # one UTF-8 pair in a Windows-1252 text: the 20 other accents are not "a few strays", so 1252 wins
    legacy = "Le thé, la crème, les élèves " * 5
    assert decode_bytes("Un café. ".encode() + legacy.encode("cp1252")) == "Un cafÃ©. " + legacy


def test_non_western_utf8_with_a_stray_byte():
    assert decode_bytes("Привет, как дела?".encode() + b" \xe9t\xe9") == "Привет, как дела? été"
