"""write_atomic and `-o`: regular files are replaced atomically; devices, FIFOs and symlinks are not."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from workbench.errors import OutputError
from workbench.fsutil import write_atomic


def _read_fifo_in_background(fifo: Path, received: list[bytes], close_at_once: bool = False) -> threading.Thread:
    def read() -> None:
        with open(fifo, "rb") as fh:
            received.append(b"" if close_at_once else fh.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_a_fifo_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _read_fifo_in_background(fifo, received)
    write_atomic(fifo, "one\ntwo\n")
    reader.join(10)
    assert received == [b"one\ntwo\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_stays_a_link_and_its_target_gets_the_data(tmp_path):
    real = tmp_path / "real" / "out.tsv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "link.tsv"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new\n"
    assert sorted(p.name for p in real.parent.iterdir()) == ["out.tsv"]  # no temporary file left


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.tsv"
    link.symlink_to(tmp_path / "later.tsv")
    write_atomic(link, b"data")
    assert link.is_symlink() and (tmp_path / "later.tsv").read_bytes() == b"data"


def test_a_regular_file_is_replaced(tmp_path):
    target = tmp_path / "out.tsv"
    target.write_text("a much longer old content\n")
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n" and stat.S_ISREG(os.lstat(target).st_mode)


def test_a_failed_write_into_a_device_is_an_output_error(tmp_path):
    # a FIFO whose reader goes away: the write fails (EPIPE) as a write to /dev/full fails (ENOSPC)
    fifo = tmp_path / "gone.fifo"
    os.mkfifo(fifo)
    reader = _read_fifo_in_background(fifo, [], close_at_once=True)
    with pytest.raises(OutputError, match="gone.fifo: cannot write"):
        write_atomic(fifo, b"x" * (1 << 20))  # more than a pipe holds: the write outlives the reader
    reader.join(10)


def _align(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    (cwd / "en.txt").write_text("The cat sat on the mat. It was happy.\n", encoding="utf-8")
    (cwd / "fr.txt").write_text("Le chat était assis sur le tapis. Il était content.\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "workbench", "align", "en.txt", "fr.txt", "--src-lang", "en",
                           "--tgt-lang", "fr", "--encoder", "hash", "-q", *args],
                          capture_output=True, cwd=cwd, timeout=120)


def test_cli_output_through_a_symlink_keeps_the_link(tmp_path):
    (tmp_path / "real.txt").write_text("old\n")
    (tmp_path / "link.txt").symlink_to("real.txt")
    res = _align("-o", "link.txt", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text().startswith("[0]")


def test_cli_output_into_a_fifo_keeps_the_fifo(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _read_fifo_in_background(fifo, received)
    res = _align("-o", str(fifo), cwd=tmp_path)
    reader.join(10)
    assert res.returncode == 0, res.stderr
    assert received and received[0].startswith(b"[0]")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
