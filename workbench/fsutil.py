"""Writing files atomically: a reader (or a resumed batch) never sees half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from workbench.errors import OutputError


def write_atomic(path: str | Path, data: bytes | str) -> None:
    p = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
        try:
            # mkstemp makes the file private (0600); an output file gets the usual mode, as open() would give it
            os.chmod(tmp, 0o666 & ~_UMASK)
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, p)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"{p}: cannot write ({exc.strerror or exc})") from None


def _read_umask() -> int:
    mask = os.umask(0)  # the only portable way to read it; done once, at import
    os.umask(mask)
    return mask


_UMASK = _read_umask()
