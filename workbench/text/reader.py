"""Reading user files as text: UTF-8 with or without BOM, CRLF, or another encoding detected
by charset-normalizer. Anything that is not text becomes one clear InputFileError."""

from __future__ import annotations

from pathlib import Path

from workbench.errors import InputFileError

MAX_BYTES = 200 * 1024 * 1024


def read_text(path: str | Path) -> str:
    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{p}: no such file")
    if p.is_dir():
        raise InputFileError(f"{p}: is a directory, not a text file")
    try:
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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputFileError(f"{name}: file is empty")
    return text


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise InputFileError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputFileError(f"{name}: cannot detect the text encoding; save it as UTF-8")
    text = str(best)
    # control characters other than whitespace mean the bytes were not text
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if bad > max(2, len(text) // 1000):
        raise InputFileError(f"{name}: looks like a binary file, not text")
    return text
