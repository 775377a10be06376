"""Reading user files as text: UTF-8 with or without BOM, CRLF, or another encoding detected
by charset-normalizer. Anything that is not text becomes one clear InputFileError."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from workbench.errors import InputFileError

MAX_BYTES = 200 * 1024 * 1024
#: stray bytes a UTF-8 file may hold and still be read as UTF-8 (or 1% of its non-ASCII bytes, if more)
MAX_STRAYS = 5

log = logging.getLogger("workbench.text")


#: invisible format characters: soft hyphen, zero-width space, direction marks and embeddings, word joiner,
#: BOM (not the zero-width joiners, which spell Persian, Indic and emoji). Kept in the text; the splitter
#: and the model do not see them.
INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def read_text(path: str | Path) -> str:
    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{p}: no such file")
    if p.is_dir():
        raise InputFileError(f"{p}: is a directory, not a text file")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputFileError(f"{p}: file is too large ({size // 2**20} MiB; limit {MAX_BYTES // 2**20} MiB)")
        data = p.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{p}: cannot read ({exc.strerror or exc})") from None
    return decode_bytes(data, str(p))


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode and normalise newlines; raise InputFileError for empty, binary or undecodable data."""
    if len(data) > MAX_BYTES:
        raise InputFileError(f"{name}: file is too large ({len(data) // 2**20} MiB; limit {MAX_BYTES // 2**20} MiB)")
    if not data.strip():
        raise InputFileError(f"{name}: file is empty")
    text = _decode(data, name)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputFileError(f"{name}: file is empty")
    return text


_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
# control characters that never occur in text (tab, newlines, form feed and escape aside)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(encoding), name)
            except UnicodeDecodeError:
                raise InputFileError(f"{name}: starts with a {encoding} byte-order mark but is not valid "
                                     f"{encoding}; save it as UTF-8") from None
    if b"\x00" in data[:4096]:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputFileError(f"{name}: looks like a binary file, not text")
        try:
            return _check_text(data.decode(encoding), name)
        except UnicodeDecodeError:
            raise InputFileError(f"{name}: looks like a binary file, not text") from None
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    mixed = _utf8_with_strays(data, name)
    if mixed is not None:
        return _check_text(mixed, name)
    western = _as_western_european(data)
    if western is not None:
        return _check_text(western, name)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputFileError(f"{name}: cannot detect the text encoding; save it as UTF-8")
    return _check_text(str(best), name)


# what Western European text in Windows-1252 holds beyond ASCII: Latin-1 letters and typographic marks
_WESTERN = set(chr(c) for c in range(0xC0, 0x100) if chr(c).isalpha()) | set("\u00a0«»°€’‘“”–—…·ªº¡¿§©®")


def _as_western_european(data: bytes) -> str | None:
    """Windows-1252, the commonest legacy encoding, when the bytes read as plausible Western text.

    Statistical detectors guess badly on short texts ('première' came back as Arabic or
    Hebrew); Windows-1252 is accepted only when every non-ASCII character is a Latin letter or
    typographic mark AND they are a small minority of the letters: text in another single-byte
    encoding (cp1251 Cyrillic, say) read as 1252 is made almost only of such characters.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii or any(c not in _WESTERN for c in non_ascii):
        return None
    letters = sum(1 for c in text if c.isalpha())
    if sum(1 for c in non_ascii if c.isalpha()) > 0.3 * max(letters, 1):
        return None
    return text


_STRAY = re.compile(r"[\udc80-\udcff]")   # an undecodable byte, as surrogateescape keeps it
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_HIGH_BYTES = bytes(range(128, 256))


def _utf8_with_strays(data: bytes, name: str) -> str | None:
    """UTF-8 holding a few bytes that are not (a Latin-1 'thé' pasted into a UTF-8 file): the UTF-8 read
    as UTF-8, each stray byte as Windows-1252, with one warning. None when the file is not mostly UTF-8."""
    text = data.decode("utf-8", errors="surrogateescape")
    strays = len(_STRAY.findall(text))
    non_ascii = len(data) - len(data.translate(None, _HIGH_BYTES))
    good = _NON_ASCII.subn("", text)[1] - strays   # characters read from valid multi-byte sequences
    if not good or strays > max(MAX_STRAYS, non_ascii // 100):
        return None
    mixed = _STRAY.sub(lambda m: _cp1252(ord(m.group()) - 0xDC00), text)
    # a Windows-1252 file may hold a byte pair that happens to be UTF-8 ('ß“' reads as an N'Ko letter):
    # when the whole reads as Western text and the mixture does not, the file is Windows-1252
    if _as_western_european(data) is not None and any(ord(c) > 127 and c not in _WESTERN for c in mixed):
        return None
    line = text[:_STRAY.search(text).start()].count("\n") + 1
    log.warning("%s: %d byte%s not valid UTF-8 (first on line %d) read as Windows-1252, the rest as UTF-8",
                name, strays, "" if strays == 1 else "s", line)
    return mixed


def _cp1252(byte: int) -> str:
    """A stray byte as Windows-1252; its five unassigned bytes as Latin-1."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: mostly-ASCII text has a zero byte in every other place."""
    head = data[:4096]
    if len(data) % 2 or len(head) < 4:
        return None
    even_zeros = head[0::2].count(0) / (len(head) // 2)
    odd_zeros = head[1::2].count(0) / (len(head) // 2)
    if odd_zeros > 0.3 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.3 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _check_text(text: str, name: str) -> str:
    """Control characters other than whitespace mean the bytes were not text."""
    bad = len(_CONTROL.findall(text))
    if bad > max(2, len(text) // 1000):
        raise InputFileError(f"{name}: looks like a binary file, not text")
    return text
