"""Writing files atomically: a reader (or a resumed batch) never sees half a file.

Only regular files are replaced. A device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout` on a
terminal or pipe) is written into, and a symlink is followed so the link stays a link.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from workbench.errors import OutputError

# names of a file descriptor already open: /dev/stdout -> /proc/self/fd/1, /dev/fd/3
_FD_LINK = re.compile(r"^/(?:proc/(?:self|thread-self|\d+)|dev)/fd/\d+$")


def write_atomic(path: str | Path, data: bytes | str) -> None:
    p = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if _is_special(p) or _names_open_file(p):
            _write_in_place(p, raw)
        else:
            _replace(Path(os.path.realpath(p)), raw)
    except OSError as exc:
        raise OutputError(f"{p}: cannot write ({exc.strerror or exc})") from None


def _is_special(p: Path) -> bool:
    """An existing target that is not a regular file (device, FIFO, socket): never replace it."""
    try:
        mode = os.stat(p).st_mode  # follows symlinks: /dev/stdout on a terminal is a character device
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _names_open_file(p: Path) -> bool:
    """`p` (or a link it goes through) names an open descriptor, e.g. `-o /dev/stdout > log`:
    replacing the file it points to would lose what the shell meant (append, a deleted file)."""
    name = os.path.abspath(p)
    for _ in range(40):  # as many hops as the kernel follows
        if _FD_LINK.match(name):
            return True
        try:
            link = os.readlink(name)
        except OSError:
            return False
        name = os.path.normpath(os.path.join(os.path.dirname(name), link))
    return False


def _write_in_place(p: Path, raw: bytes) -> None:
    # append, not truncate: truncating means nothing to a device or FIFO, and through /dev/stdout
    # it would wipe a log the shell opened with >>
    with open(p, "ab") as fh:
        fh.write(raw)
        fh.flush()  # raises here (ENOSPC on /dev/full), not silently at interpreter exit


def _replace(p: Path, raw: bytes) -> None:
    """Write a temporary file next to `p`, then rename it over `p`."""
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


def _read_umask() -> int:
    mask = os.umask(0)  # the only portable way to read it; done once, at import
    os.umask(mask)
    return mask


_UMASK = _read_umask()
