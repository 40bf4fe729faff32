"""What a file name given to import may really be: a regular file (read as it is), a pipe or
FIFO (``import <(cat f.csv)``, ``import /dev/stdin``: read once into a temporary file, since
detection reads the file more than once), or a device or socket (refused: ``/dev/zero`` never
ends, a terminal waits for typing)."""

from __future__ import annotations

import contextlib
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from crisisdesk.errors import ImportFileError

#: the most a pipe may bring before it is taken for an endless input (a real export of a
#: million mentions is a few hundred MB)
MAX_SPOOL_BYTES = 4 * 1024**3
_CHUNK = 1 << 20


def _name(path: Path) -> str:
    return path.name or str(path)


@contextlib.contextmanager
def seekable_file(path: Path) -> Iterator[Path]:
    """*path* itself when it is a regular file (or missing: the reader says so); for a pipe,
    a temporary copy with the same name, removed afterwards. Devices and sockets raise
    :class:`ImportFileError`."""
    try:
        mode = path.stat().st_mode
    except OSError:
        yield path  # missing, a folder, no permission: the encoding check words it
        return
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        yield path
        return
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
        raise ImportFileError(
            f"{_name(path)} is a device, not a file, so it cannot be imported.",
            hint="Import a CSV, JSON or NDJSON file; to pipe data in, use: cat FILE | crisisdesk"
            " import /dev/stdin",
        )
    with tempfile.TemporaryDirectory(prefix="crisisdesk-import-") as folder:
        copy = Path(folder) / (_name(path) if path.name not in ("", ".", "..") else "input")
        _spool(path, copy)
        yield copy


def _spool(source: Path, target: Path) -> None:
    size = 0
    try:
        with source.open("rb") as src, target.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > MAX_SPOOL_BYTES:
                    raise ImportFileError(
                        f"{_name(source)} does not end (more than "
                        f"{MAX_SPOOL_BYTES // 1024**3} GB came through it), so nothing from it "
                        "was imported.",
                        hint="Import a file of mentions, or split a very big export.",
                    )
                dst.write(chunk)
    except OSError as exc:
        raise ImportFileError(f"{_name(source)} cannot be read: {exc.strerror or exc}.") from exc
