"""Reading mention files: encoding, format (CSV, JSON array, NDJSON), records with line numbers.

Everything here streams: a file of a million rows is never held in memory at once. A file that
cannot be read at all raises :class:`ImportFileError` with a message an owner understands; a
single bad row becomes a :class:`RowProblem` and reading goes on.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from crisisdesk.errors import ImportFileError
from crisisdesk.sources.files.encodings import ENCODING_NAMES, detect_encoding

__all__ = [
    "ENCODING_NAMES", "CsvReader", "JsonArrayReader", "NdjsonReader", "Record", "RowProblem",
    "detect_encoding", "detect_format", "open_reader",
]  # fmt: skip

#: a cell (or NDJSON line / JSON item) longer than this is not a post: the row is skipped.
#: The longest posts platforms allow are ~63,000 characters (Facebook); 100,000 leaves room.
MAX_CELL_CHARS = 100_000
#: a CSV record (a row, with the lines of its quoted cells) longer than this is not handed to
#: the csv module: :class:`CsvReader` skips to its end itself, keeping the quote state, so a
#: 200 MB cell (or a quote never closed) costs a few MB of memory, not gigabytes
MAX_RECORD_CHARS = 4 * MAX_CELL_CHARS
#: the csv module refuses fields over its limit (128 KiB by default). It is raised above the
#: longest record the csv module is ever given, so the module never stops a row itself.
CSV_FIELD_LIMIT = 2 * MAX_RECORD_CHARS


def allow_long_csv_fields() -> None:
    """Raise the csv module's field size limit to :data:`CSV_FIELD_LIMIT` (never lower it).

    The limit is process-wide: the csv module has no per-reader setting. It is raised here,
    when a CSV file is opened for import, and nowhere else; a higher limit only lets longer
    cells be read, so nothing else in the process reads differently.
    """
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)


_SCAN_CHUNK = 1 << 20
_SAMPLE_CHARS = 64 * 1024
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class RowProblem:
    """A row that was skipped: its physical line number in the file (1-based) and why."""

    line: int
    reason: str


@dataclass(slots=True)
class Record:
    """One row as found in the file: flattened fields for mapping, the original for ``raw``.

    Not frozen: one is built for every row, and a frozen dataclass takes ~1 µs longer to build
    (set attribute by attribute through ``object.__setattr__``), ~2 % of an import's time.
    """

    line: int
    fields: Mapping[str, Any]
    raw: Any


def _name(path: Path) -> str:
    return path.name or str(path)


# --- format -------------------------------------------------------------------------------


def open_text(path: Path, encoding: str) -> TextIO:
    # newline="" so the csv module sees quoted newlines as they are; line numbers still count
    # \n, \r\n and lone \r as line ends, as editors do
    return path.open(encoding=encoding, errors="replace", newline="")


class _TextSource:
    """A text file whose byte position can be asked while it is read line by line."""

    def __init__(self, path: Path, encoding: str, newline: str | None) -> None:
        self._raw = path.open("rb")
        # "replace": detect_encoding checked the file decodes, except the few bytes it reported
        self._fh = io.TextIOWrapper(self._raw, encoding=encoding, errors="replace", newline=newline)

    def position(self) -> int:
        return self._raw.tell()  # read-ahead makes it up to one buffer early: fine for progress

    def close(self) -> None:
        self._fh.close()


_JSON_ARRAY_START = re.compile(r'\[\s*(?:[\[{"\]0-9-]|true\b|false\b|null\b|$)')


def detect_format(path: Path, encoding: str) -> str:
    """``"json"`` (an array of objects), ``"ndjson"`` (one object per line) or ``"csv"``.

    Decided by content, not by the file name.
    """
    with open_text(path, encoding) as fh:
        sample = fh.read(_SAMPLE_CHARS)
    start = sample.lstrip().removeprefix("\ufeff")
    # a file that starts as a JSON array is JSON (its non-object items become skipped rows),
    # never a CSV with a 200 KB header; "[id],text" is not JSON
    if _JSON_ARRAY_START.match(start):
        return "json"
    if start.startswith("{"):
        for line in start.splitlines()[:20]:
            try:
                if isinstance(json.loads(line), dict):
                    return "ndjson"
            except (ValueError, RecursionError):
                continue
        raise ImportFileError(
            f"{_name(path)} looks like JSON, but not like a list of posts crisisdesk can read.",
            hint="Use a JSON array of objects ([{...}, {...}]) or one object per line (NDJSON).",
        )
    return "csv"


# --- CSV ----------------------------------------------------------------------------------


def _rows_of(sample: str, delimiter: str) -> list[list[str]]:
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(sample), delimiter=delimiter):
            if row:
                rows.append(row)
            if len(rows) > 50:
                break
    except csv.Error:
        pass
    return rows


def sniff_delimiter(sample: str) -> str:
    """Which of comma, semicolon, tab or pipe separates the columns of this CSV sample.

    The header must split into more than one column, and the rows after it should have as
    many cells; ties go to the more usual delimiter. One-column files read as comma-separated.
    """
    if len(sample) >= _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]  # the last line may be cut off
    best, best_key = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        rows = _rows_of(sample, delimiter)
        if not rows or len(rows[0]) < 2:
            continue
        body = rows[1:-1] if len(rows) > 2 else rows[1:]
        consistent = sum(len(r) == len(rows[0]) for r in body) / len(body) if body else 1.0
        key = (consistent, len(rows[0]))
        if key > best_key:
            best, best_key = delimiter, key
    return best


def unique_header(cells: list[str]) -> list[str]:
    """Header names as keys: blanks become 'column N', repeats get ' (2)', ' (3)'..."""
    seen: dict[str, int] = {}
    out = []
    for index, cell in enumerate(cells, 1):
        name = cell.strip() or f"column {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


class CsvReader(_TextSource):
    """Streams records of a CSV file; ``position()`` is the byte offset read so far."""

    def __init__(self, path: Path, encoding: str) -> None:
        allow_long_csv_fields()
        super().__init__(path, encoding, "")
        self.path = path
        self.delimiter = sniff_delimiter(self._fh.read(_SAMPLE_CHARS))
        self._fh.seek(0)
        #: (length, lines) of an over-long record skipped by ``_lines`` since the last row
        self._skipped: tuple[int, int] | None = None
        self._extra_lines = 0  # physical lines skipped that the csv module did not count
        self._record_chars = 0  # characters of the record the csv module is reading
        self._reader = csv.reader(self._lines(), delimiter=self.delimiter, strict=False)
        self.header: list[str] = []
        for row in self._reader:
            if self._skipped is not None:
                raise ImportFileError(
                    f"{_name(path)} starts with a line of {self._skipped[0]:,} characters: "
                    "not the column names of a CSV file."
                )
            if any(cell.strip() for cell in row):
                self.header = unique_header(row)
                break
        if not self.header:
            raise ImportFileError(f"{_name(path)} has no column names and no rows.")

    def _lines(self) -> Iterator[str]:
        """The file's lines for the csv module, except an over-long record: that is skipped
        here (its length noted in ``_skipped``) and the csv module gets a line that ends it."""
        readline = self._fh.readline
        limit = MAX_RECORD_CHARS
        while line := readline(limit):
            self._record_chars += len(line)
            if self._record_chars <= limit:
                yield line
                continue
            # the csv module is at the start of a record (nothing of it given yet) or inside
            # a quoted cell (it asked for another line): skip to the record's end from there
            inside = self._record_chars > len(line)
            length, lines = _skip_record(readline, line, self.delimiter, inside)
            self._skipped = (self._record_chars - len(line) + length, lines)
            self._extra_lines += lines - 1
            yield '"\n' if inside else "\n"  # closes the quoted cell and the record

    def __iter__(self) -> Iterator[Record | RowProblem]:
        reader, header = self._reader, self.header
        width = len(header)
        while True:
            line = reader.line_num + 1 + self._extra_lines
            self._record_chars = 0
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RowProblem(line, f"the row could not be read ({exc})")
                continue
            if self._skipped is not None:
                length, _ = self._skipped
                self._skipped = None
                span = reader.line_num + self._extra_lines - line + 1  # physical lines
                yield RowProblem(line, _too_long_reason(length, span, "row"))
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            longest = max(map(len, row))
            if longest > MAX_CELL_CHARS:
                yield RowProblem(line, _too_long_reason(longest, reader.line_num - line + 1))
                continue
            if len(row) > width:
                if any(cell.strip() for cell in row[width:]):
                    yield RowProblem(
                        line,
                        f"the row has {len(row)} cells but there are {width} column names"
                        f" (is there an unquoted '{self.delimiter}' in a cell?)",
                    )
                    continue
                row = row[:width]
            fields = dict(zip(header, row, strict=False))
            yield Record(line, fields, fields)


_FIELD_END = {",": re.compile(r"[,\r\n]"), ";": re.compile(r"[;\r\n]"),
              "\t": re.compile(r"[\t\r\n]"), "|": re.compile(r"[|\r\n]")}  # fmt: skip


def _skip_record(readline: Any, text: str, delimiter: str, inside: bool) -> tuple[int, int]:
    """Read past the end of the CSV record *text* belongs to, as the csv module would parse it
    (quotes open a cell at its start, "" is a quote inside one; ``strict=False``), a bounded
    piece at a time. *inside*: *text* starts inside a quoted cell. Returns the characters and
    physical lines skipped."""
    field_end = _FIELD_END.get(delimiter) or re.compile(f"[{re.escape(delimiter)}\r\n]")
    state = "quoted" if inside else "start"
    length = lines = 0
    while text:
        length += len(text)
        lines += text.count("\n") + text.count("\r") - text.count("\r\n")
        pos = 0
        while pos < len(text):
            if state == "quoted":
                pos = text.find('"', pos)
                if pos == -1:
                    break
                state, pos = "quote", pos + 1
            elif state == "quote":  # just after a quote inside a quoted cell
                char = text[pos]
                state = "quoted" if char == '"' else "start" if char == delimiter else "field"
                if char in "\r\n":
                    return length, lines
                pos += 1
            elif state == "start" and text[pos] == '"':
                state, pos = "quoted", pos + 1
            else:  # an unquoted cell (or the start of one): up to the delimiter or line end
                found = field_end.search(text, pos)
                if found is None:
                    state = "field"
                    break
                if found.group() in "\r\n":
                    return length, lines
                state, pos = "start", found.end()
        text = readline(MAX_RECORD_CHARS)
    return length, max(lines, 1)


def _too_long_reason(length: int, lines: int, what: str = "cell") -> str:
    reason = f"{'a cell' if what == 'cell' else 'the row'} is {length:,} characters long, far"
    reason += " longer than any post"
    if lines > 50:
        reason += f" (it runs over {lines:,} lines: probably a quote mark that is never closed)"
    return reason


# --- JSON ---------------------------------------------------------------------------------


def flatten(obj: Mapping[str, Any]) -> dict[str, Any]:
    """Top-level keys as they are, nested objects as 'user.screen_name' (two levels deep)."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                if isinstance(subvalue, dict):
                    for subsub, leaf in subvalue.items():
                        out.setdefault(f"{key}.{sub}.{subsub}", leaf)
                else:
                    out.setdefault(f"{key}.{sub}", subvalue)
        else:
            out[key] = value
    return out


def _record(line: int, item: Any, what: str) -> Record | RowProblem:
    if not isinstance(item, dict):
        kind = type(item).__name__.replace("NoneType", "null").replace("str", "text")
        return RowProblem(line, f"{what} is {kind}, not an object with fields")
    return Record(line, flatten(item), item)


class NdjsonReader(_TextSource):
    """One JSON object per line; a bad line is a problem, the others are read."""

    def __init__(self, path: Path, encoding: str) -> None:
        super().__init__(path, encoding, None)  # universal newlines: line numbers as editors

    def __iter__(self) -> Iterator[Record | RowProblem]:
        for number, text in enumerate(self._fh, 1):
            if not text.strip():
                continue
            if len(text) > MAX_CELL_CHARS * 2:
                yield RowProblem(number, f"the line is {len(text):,} characters long, far longer"
                                 " than any post")  # fmt: skip
                continue
            try:
                item = json.loads(text)
            except ValueError as exc:
                yield RowProblem(number, f"the line is not valid JSON ({_json_reason(exc)})")
                continue
            except RecursionError:
                yield RowProblem(number, _TOO_DEEP)
                continue
            yield _record(number, item, "the line")


def _json_reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at column {exc.colno}"
    return str(exc)


_WS = re.compile(r"\s*")
_TOO_DEEP = "it is nested deeper than any post (lists inside lists, hundreds of levels)"


class JsonArrayReader(_TextSource):
    """Streams the items of a top-level JSON array without loading the whole file.

    Items are decoded one at a time from a growing window; a syntax error means the file
    cannot be read reliably past that point, so it raises :class:`ImportFileError` (and the
    caller's transaction is rolled back).
    """

    def __init__(self, path: Path, encoding: str) -> None:
        super().__init__(path, encoding, "")
        self.path = path
        self._decoder = json.JSONDecoder()
        self._buf = ""
        self._pos = 0  # index into _buf
        self._line = 1  # line number at _buf[_line_pos]
        self._line_pos = 0
        self._eof = False

    def _more(self) -> bool:
        """Read more text (at least as much as is buffered, so big items cost linear time)."""
        if self._eof:
            return False
        self._line_at(self._pos)
        self._buf = self._buf[self._pos :]
        self._line_pos -= self._pos
        self._pos = 0
        chunk = self._fh.read(max(_SCAN_CHUNK, len(self._buf)))
        if not chunk:
            self._eof = True
            return False
        self._buf += chunk
        return True

    def _line_at(self, pos: int) -> int:
        self._line += self._buf.count("\n", self._line_pos, pos)
        self._line += self._buf.count("\r", self._line_pos, pos) - self._buf.count(
            "\r\n", self._line_pos, pos
        )
        self._line_pos = pos
        return self._line

    def _skip_ws(self) -> str:
        while True:
            self._pos = _WS.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._more():
                return ""

    def _broken(self, message: str, item_line: int | None = None) -> ImportFileError:
        line = self._line_at(min(self._pos, len(self._buf)))
        where = f"at line {line}"
        if item_line is not None and item_line != line:
            where = f"in the item that starts on line {item_line}, at line {line}"
        return ImportFileError(
            f"{_name(self.path)} is not valid JSON: {message} {where}.",
            hint="Nothing from this file was stored. Export it again, or fix it there.",
        )

    def __iter__(self) -> Iterator[Record | RowProblem]:
        if self._skip_ws() != "[":
            raise self._broken("it does not start with [")
        self._pos += 1
        if self._skip_ws() == "]":
            return
        while True:
            if not self._skip_ws():
                raise self._broken("the file ends before the list is closed with ]")
            start = self._pos
            item_line = self._line_at(start)
            while True:
                try:
                    item, end = self._decoder.raw_decode(self._buf, self._pos)
                    break
                except json.JSONDecodeError as exc:
                    if self._eof:  # the whole rest of the file is buffered: a real error
                        self._pos = max(exc.pos, self._pos)
                        message = exc.msg.removesuffix(" at").lower()
                        raise self._broken(message, item_line) from exc
                    self._more()  # maybe the item is only cut off by the window: retry
                    start = self._pos
                except RecursionError:
                    raise ImportFileError(
                        f"{_name(self.path)} cannot be read: the item that starts on line "
                        f"{item_line:,} is nested deeper than any post (lists inside lists, "
                        "hundreds of levels).",
                        hint="Nothing from this file was stored. Export it again, or fix it.",
                    ) from None
            line = self._line_at(start)
            if end - start > MAX_CELL_CHARS * 2:
                yield RowProblem(line, f"the item is {end - start:,} characters long, far"
                                 " longer than any post")  # fmt: skip
            else:
                yield _record(line, item, "the item")
            self._pos = end
            after = self._skip_ws()
            if after == ",":
                self._pos += 1
            elif after == "]":
                return
            else:
                raise self._broken("expected , or ] between items")


Reader = CsvReader | NdjsonReader | JsonArrayReader


def open_reader(path: Path, encoding: str, fmt: str) -> Reader:
    if fmt == "json":
        return JsonArrayReader(path, encoding)
    if fmt == "ndjson":
        return NdjsonReader(path, encoding)
    return CsvReader(path, encoding)
