"""Which encoding a mention file is in: UTF-8 (with or without BOM), UTF-16, else Windows-1252.

The whole file is scanned in chunks (never held in memory). A file that is UTF-8 but for a few
bad bytes stays UTF-8 (those bytes are shown as U+FFFD and reported): one stray Windows-1252
byte must not make every accented letter of 5,000 good rows read wrongly.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from crisisdesk.errors import ImportFileError

_SCAN_CHUNK = 1 << 20
_SAMPLE_CHARS = 64 * 1024

# magic numbers of files people pick by mistake, with what to do instead
_MAGIC = (
    (b"PK\x03\x04", "an Excel workbook or a zip archive", "In Excel use File › Save As › CSV."),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook", "In Excel use File › Save As › CSV."),
    (b"%PDF", "a PDF document", "Export the data as CSV or JSON instead."),
    (b"\x1f\x8b", "a compressed (gzip) file", "Unpack it first, then import the file inside."),
    (b"SQLite format 3", "a database file", "Export the data as CSV or JSON instead."),
    (b"\x89PNG", "a picture", "Choose the CSV or JSON export instead."),
    (b"\xff\xd8\xff", "a picture", "Choose the CSV or JSON export instead."),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _name(path: Path) -> str:
    return path.name or str(path)


def _scan(fh: BinaryIO, encoding: str) -> bool:
    """True if the whole rest of *fh* decodes as *encoding* (read in chunks, never all at once)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := fh.read(_SCAN_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class _Utf8Scan:
    """How the whole file decodes as UTF-8: bytes that are not UTF-8, and real multi-byte
    characters (é, emoji) that are."""

    bad: int = 0
    multibyte: int = 0
    first_bad_line: int = 0


def _scan_utf8(fh: BinaryIO) -> _Utf8Scan:
    """Decode the rest of *fh* as UTF-8 with replacement, counting what was replaced."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    scan = _Utf8Scan()
    lines = 1
    final = False
    while not final:
        chunk = fh.read(_SCAN_CHUNK)
        final = not chunk
        if chunk.isascii() and not final and not decoder.getstate()[0]:
            lines += chunk.count(b"\n")
            continue
        text = decoder.decode(chunk, final=final)
        bad = text.count("\ufffd") - chunk.count(b"\xef\xbf\xbd")  # a real U+FFFD is fine
        if bad > 0:
            if not scan.bad:
                scan.first_bad_line = lines + text[: text.index("\ufffd")].count("\n")
            scan.bad += bad
        # each multi-byte character decodes 2-4 bytes into one (a bad byte into one U+FFFD)
        scan.multibyte += max(len(chunk) - len(text), 0)
        lines += chunk.count(b"\n")
    return scan


def _utf16_without_bom(head: bytes) -> str | None:
    """Mostly-ASCII UTF-16 text has a NUL in every other byte; which half says the byte order."""
    if head.count(0) < len(head) // 4:
        return None
    odd = head[1::2].count(0)
    even = head[0::2].count(0)
    return "utf-16-le" if odd > 3 * even else "utf-16-be" if even > 3 * odd else None


def detect_encoding(path: Path) -> tuple[str, list[str]]:
    """Pick the codec for *path*: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    Returns the Python codec name and warnings for the report. Empty files, binary files and
    files in no encoding we can read raise :class:`ImportFileError`; nothing is written.
    """
    name = _name(path)
    try:
        fh = path.open("rb")
    except FileNotFoundError as exc:
        raise ImportFileError(f"{name} does not exist.", hint="Check the file name.") from exc
    except IsADirectoryError as exc:
        raise ImportFileError(f"{name} is a folder, not a file.") from exc
    except OSError as exc:
        raise ImportFileError(f"{name} cannot be opened: {exc.strerror}.") from exc
    with fh:
        head = fh.read(4096)
        if not head.strip():
            raise ImportFileError(
                f"{name} is empty.", hint="Export the mentions again and choose the new file."
            )
        for magic, what, hint in _MAGIC:
            if head.startswith(magic):
                raise ImportFileError(f"{name} is {what}, not a CSV or JSON file.", hint=hint)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            candidates = ["utf-16"]
        elif head.startswith(codecs.BOM_UTF8):
            candidates = ["utf-8-sig"]
        elif utf16 := _utf16_without_bom(head):
            candidates = [utf16]
        else:
            candidates = ["utf-8", "cp1252"]
        utf8: _Utf8Scan | None = None
        for encoding in candidates:
            fh.seek(0)
            if encoding == "utf-8":
                utf8 = _scan_utf8(fh)
                # a few bad bytes in a file that is otherwise UTF-8 (its accents and emoji are):
                # keep UTF-8, replace only those bytes; never re-read every row as cp1252
                if not utf8.bad or utf8.multibyte > utf8.bad:
                    break
            elif _scan(fh, encoding):
                break
        else:
            raise ImportFileError(
                f"{name} does not look like a text file (it may be damaged or binary).",
                hint="Import a CSV, JSON or NDJSON export of your mentions.",
            )
        fh.seek(0)
        sample = fh.read(_SAMPLE_CHARS).decode(encoding, errors="ignore")
    # binary data decodes as cp1252 too, but is full of control characters (NUL included)
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise ImportFileError(
            f"{name} does not look like a text file (it holds many control characters).",
            hint="Import a CSV, JSON or NDJSON export of your mentions.",
        )
    warnings = []
    if encoding == "utf-8" and utf8 is not None and utf8.bad:
        warnings.append(
            f"{utf8.bad:,} {'byte is' if utf8.bad == 1 else 'bytes are'} not valid UTF-8 (the "
            f"first on line {utf8.first_bad_line:,}); each is shown as \ufffd, the rest of the "
            "file is read as it is."
        )
    if encoding == "cp1252":
        warnings.append(
            "Read as Windows-1252 because it is not valid UTF-8; check accented letters."
        )
    return encoding, warnings


ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
}
