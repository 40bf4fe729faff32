"""Import mentions from CSV, JSON array and NDJSON files.

One file is one transaction: the valid rows all go in, or (cancel, a file that turns out to be
unreadable, a crash) none do. Re-importing a file adds nothing, because every row gets a stable
``(source, external_id)``: the file's id column, or a hash of source, author, date and text.
Rows with errors are skipped and reported with their line number and the reason.

Identity: a row is a duplicate only when a stored mention has its source, its id *and its
text*. A file's id is only unique within what that export calls one source, and two different
texts are never one mention: a row whose id is taken by a different text is kept as its own
mention, with the id ``<id>~<fingerprint of the text>`` (stable, so a re-import still adds
nothing), and the report says so.

Reading and storing happen in this process: each record becomes a ``NewMention`` and its
``ScoreInput`` (``sources/files/rows.py``); scoring (``analysis.scoring``: sentiment, complaint
cues, priority) runs in worker processes for big files, overlapping with storage (see
``services/scoring_pool.py``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import sqlite3
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from crisisdesk.analysis.scoring import ScoreInput
from crisisdesk.domain import NewMention, Scores
from crisisdesk.errors import DatabaseError, ImportCancelled, ImportFileError
from crisisdesk.services import complaint_learning, scoring_pool
from crisisdesk.services.scoring_pool import InlineScorer, PoolScorer, Scorer
from crisisdesk.sources.files import formats as fileformats
from crisisdesk.sources.files.formats import Record, RowProblem
from crisisdesk.sources.files.inputs import seekable_file
from crisisdesk.sources.files.rows import (
    FIELD_NAMES,
    RowContext,
    RowError,
    plan,
    prepare_row,
    resolve_columns,
)
from crisisdesk.store import bulk
from crisisdesk.store.db import busy_error, database_file, explain_error, is_busy
from crisisdesk.timeutil import now_utc, to_iso

__all__ = ["ImportReport", "RowProblem", "import_file"]

#: rows per scoring batch; files with fewer rows are scored in-process (no pool start cost)
BATCH_ROWS = 2000
#: problems listed one by one in a report; the count of skipped rows is always exact
MAX_LISTED_PROBLEMS = 10_000

#: SQLite page cache while importing (KiB); counted in the < 500 MB import memory budget
IMPORT_CACHE_KIB = 128 * 1024

Progress = Callable[[int, int], bool]

_FORMAT_NAMES = {"csv": "CSV", "json": "JSON", "ndjson": "NDJSON"}


@dataclass
class ImportReport:
    """What happened to one file, for the CLI and the import dialog."""

    path: Path
    format: str  # "csv" | "json" | "ndjson"
    encoding: str  # Python codec name: utf-8, utf-8-sig, utf-16, cp1252
    imported: int = 0
    duplicates: int = 0
    skipped: int = 0
    #: rows kept as their own mention although their id was taken by a different text
    kept_apart: int = 0
    kept_apart_ids: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)  # skipped rows, by line
    columns: dict[str, str] = field(default_factory=dict)  # our field -> the file's column
    warnings: list[str] = field(default_factory=list)
    delimiter: str | None = None  # CSV only

    def summary_text(self) -> str:
        """One or two lines a person understands: counts, then which column became which."""
        how = [_FORMAT_NAMES.get(self.format, self.format)]
        if self.delimiter:
            how[0] += f", {fileformats.DELIMITERS.get(self.delimiter, 'other')}-separated"
        how.append(fileformats.ENCODING_NAMES.get(self.encoding, self.encoding))
        text = (
            f"{self.path.name}: {self.imported:,} imported, {self.duplicates:,} "
            f"{'duplicate' if self.duplicates == 1 else 'duplicates'} (already stored), "
            f"{self.skipped:,} skipped ({', '.join(how)})."
        )
        if self.kept_apart:
            ids = ", ".join(self.kept_apart_ids) + (", ..." if self.kept_apart > 5 else "")
            text += (
                f"\n{self.kept_apart:,} {'row has' if self.kept_apart == 1 else 'rows have'} the "
                f"id of a different post (ids {ids}): kept as separate mentions, never merged."
                " Duplicates are rows whose id and text are both stored already."
            )
        if self.columns:
            used = ", ".join(
                f'"{column}" → {FIELD_NAMES.get(ours, ours)}'
                for ours, column in self.columns.items()
            )
            text += f"\nColumns used: {used}."
        return text


def _no_text_column(path: Path, keys: list[str]) -> ImportFileError:
    if not keys:  # a JSON file whose items are lists, numbers or texts, not objects
        return ImportFileError(
            f"{path.name} holds no posts crisisdesk can read: none of its items is an object "
            "with fields.",
            hint='Each post should look like {"text": "...", "date": "..."}.',
        )
    shown = ", ".join(f'"{k}"' for k in keys[:12]) + (", ..." if len(keys) > 12 else "")
    return ImportFileError(
        f"{path.name} has no column with the text of the posts (its columns: {shown or 'none'}).",
        hint='Name the column with the post text "text" (or message, content, body).',
    )


class _Mapper:
    """Key plans per key set: one header for CSV, possibly varying keys for JSON."""

    def __init__(
        self,
        report: ImportReport,
        header: list[str] | None,
        columns: Mapping[str, str] | None = None,
    ) -> None:
        self._report = report
        self._cache: dict[tuple[str, ...], tuple[str | None, ...]] = {}
        self._chosen = dict(columns or {})  # the owner's mapping: our field -> their column
        self.fixed = plan(self._remember(self._resolve(header))) if header is not None else None
        self.keys_seen: list[str] = []

    def _resolve(self, keys: list[str]) -> dict[str, str]:
        """The recognised columns, with the owner's choices (columns=) put over them."""
        found = resolve_columns(keys)
        chosen = {ours: c for ours, c in self._chosen.items() if c in keys}
        found = {ours: c for ours, c in found.items() if c not in chosen.values()}
        return {**found, **chosen}

    def _remember(self, columns: dict[str, str]) -> dict[str, str]:
        for ours, column in columns.items():
            self._report.columns.setdefault(ours, column)
        return columns

    def keys(self, fields: Mapping[str, Any]) -> tuple[str | None, ...]:
        if self.fixed is not None:
            return self.fixed
        names = tuple(fields)
        found = self._cache.get(names)
        if found is None:
            found = plan(self._remember(self._resolve(list(names))))
            if len(self._cache) < 1000:
                self._cache[names] = found
            if len(self.keys_seen) < 50:
                self.keys_seen.extend(k for k in names if k not in self.keys_seen)
        return found


# --- the file -----------------------------------------------------------------------------


@dataclass
class _Batch:
    mentions: list[NewMention]
    inputs: list[ScoreInput]
    position: int  # bytes of the file read when the batch was complete


def _batches(
    reader: fileformats.Reader, mapper: _Mapper, report: ImportReport, ctx: RowContext
) -> Iterator[_Batch]:
    new: list[NewMention] = []
    inputs: list[ScoreInput] = []
    seen = 0
    for item in reader:
        seen += 1
        if isinstance(item, Record):
            ctx.line = item.line
            try:
                mention, score_input = prepare_row(
                    item.fields, item.raw, mapper.keys(item.fields), ctx
                )
            except RowError as exc:
                item = RowProblem(item.line, str(exc))
            except RecursionError:  # kept as raw JSON: nested too deep to write back
                item = RowProblem(item.line, "it is nested deeper than any post")
            else:
                new.append(mention)
                inputs.append(score_input)
        if isinstance(item, RowProblem):
            report.skipped += 1
            if len(report.problems) < MAX_LISTED_PROBLEMS:
                report.problems.append(item)
        if seen >= BATCH_ROWS:
            yield _Batch(new, inputs, reader.position())
            new, inputs, seen = [], [], 0
    if seen:
        yield _Batch(new, inputs, reader.position())


def _store(
    inserter: bulk.BulkInserter, batch: _Batch, scores: list[Scores], report: ImportReport
) -> None:
    if len(scores) != len(batch.mentions):
        raise RuntimeError("scoring returned a different number of results than it was given")
    counts = inserter.insert_new(batch.mentions, scores)
    report.imported += counts.inserted
    if counts.duplicates:
        _keep_different_texts(inserter, batch, scores, report, counts.duplicates)


def _keep_different_texts(
    inserter: bulk.BulkInserter,
    batch: _Batch,
    scores: list[Scores],
    report: ImportReport,
    duplicates: int,
) -> None:
    """Rows whose (source, id) was taken, by a stored mention or an earlier row: those with a
    different text are stored under ``id~fingerprint``; the rest are real duplicates."""
    stored = inserter.stored_texts([(m.source, m.external_id) for m in batch.mentions])
    apart: list[NewMention] = []
    apart_scores: list[Scores] = []
    for mention, score in zip(batch.mentions, scores, strict=True):
        text = stored.get((mention.source, mention.external_id))
        if text is not None and text != mention.text:
            apart.append(dataclasses.replace(mention, external_id=_apart_id(mention)))
            apart_scores.append(score)
    if not apart:
        report.duplicates += duplicates
        return
    counts = inserter.insert_new(apart, apart_scores)
    report.imported += counts.inserted
    report.duplicates += duplicates - len(apart) + counts.duplicates
    report.kept_apart += counts.inserted
    for mention in apart:
        shown = mention.external_id.rpartition("~")[0][:40]
        if len(report.kept_apart_ids) < 5 and shown not in report.kept_apart_ids:
            report.kept_apart_ids.append(shown)


def _apart_id(mention: NewMention) -> str:
    fingerprint = hashlib.blake2b(mention.text.encode("utf-8", "surrogatepass"), digest_size=5)
    return f"{mention.external_id}~{fingerprint.hexdigest()}"


def import_file(
    db: sqlite_utils.Database,
    path: Path,
    *,
    source_default: str = "import",
    progress: Progress | None = None,
    workers: int | None = None,
    columns: Mapping[str, str] | None = None,
) -> ImportReport:
    """Import the mentions in *path* (CSV, JSON array or NDJSON, detected by content).

    *columns* ({our field: the file's column}, e.g. ``{"text": "Nachricht"}``) overrides the
    recognised column names, for headers crisisdesk does not know (the import dialog asks).

    ``progress(done_bytes, total_bytes)`` is called regularly; returning ``False`` cancels: the
    transaction is rolled back and :class:`ImportCancelled` raised. A file that cannot be read
    at all raises :class:`ImportFileError`; in both cases nothing is written.
    ``workers`` processes score big files, this one included (default: one per CPU; 1: alone).
    """
    given = Path(path)
    with seekable_file(given) as readable:  # a pipe is read once, into a temporary file
        report = _import_file(db, readable, source_default, progress, workers, columns)
    report.path = given
    return report


def _import_file(
    db: sqlite_utils.Database,
    path: Path,
    source_default: str,
    progress: Progress | None,
    workers: int | None,
    columns: Mapping[str, str] | None,
) -> ImportReport:
    encoding, warnings = fileformats.detect_encoding(path)
    fmt = fileformats.detect_format(path, encoding)
    try:
        total = path.stat().st_size
    except OSError as exc:
        raise ImportFileError(f"{path.name} cannot be read: {exc.strerror}.") from exc
    reader = fileformats.open_reader(path, encoding, fmt)
    report = ImportReport(path=path, format=fmt, encoding=encoding, warnings=warnings)
    try:
        if isinstance(reader, fileformats.CsvReader):
            report.delimiter = reader.delimiter
            mapper = _Mapper(report, reader.header, columns)
            if "text" not in report.columns:
                raise _no_text_column(path, reader.header)
        else:
            mapper = _Mapper(report, None, columns)
        now = now_utc().replace(microsecond=0)
        ctx = RowContext(source_default=source_default.strip().lower() or "import",
                       fetched_at=to_iso(now), now=now)  # fmt: skip

        reported = 0

        def tick(done: int) -> None:
            nonlocal reported
            # batches are stored after later ones are read
            reported = max(reported, min(done, total))
            if progress is not None and progress(reported, total) is False:
                raise ImportCancelled(
                    f"The import of {path.name} was cancelled; nothing from it was stored."
                )

        tick(0)
        complaint_learning.install(db)  # judge complaints as this owner taught (issue 10)
        with _database_errors(path, db), _big_cache(db), db.atomic():
            with bulk.bulk_insert(db) as inserter:
                batches = _batches(reader, mapper, report, ctx)
                _run(inserter, batches, report, tick, workers, mapper)
            tick(total)
    finally:
        reader.close()
    _finish_warnings(report, ctx)
    return report


def file_columns(path: Path) -> list[str]:
    """The column names of *path*: a CSV's header, or the keys of a JSON file's first record
    (for the import dialog's column mapping). Empty when the file has no readable record."""
    path = Path(path)
    encoding, _warnings = fileformats.detect_encoding(path)
    reader = fileformats.open_reader(path, encoding, fileformats.detect_format(path, encoding))
    try:
        if isinstance(reader, fileformats.CsvReader):
            return list(reader.header)
        first = next((item for item in reader if isinstance(item, Record)), None)
        return list(first.fields) if first is not None else []
    finally:
        reader.close()


@contextlib.contextmanager
def _database_errors(path: Path, db: sqlite_utils.Database) -> Iterator[None]:
    """The database refusing the write (another program holds it, a full disk, a read-only or
    damaged file) is something an owner can fix: say so. Everything was rolled back by then."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        known = explain_error(exc, database_file(db))
        if known is None:
            raise
        if is_busy(exc):
            raise busy_error(f"Nothing from {path.name} was stored", "import again") from exc
        raise DatabaseError(f"Nothing from {path.name} was stored. {known}", known.hint) from exc


@contextlib.contextmanager
def _big_cache(db: sqlite_utils.Database) -> Iterator[None]:
    """A bigger page cache while one transaction writes a whole file: index pages of a large
    database stay in memory instead of spilling to the WAL and being read back."""
    previous = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(previous)}")


def _run(
    inserter: bulk.BulkInserter,
    batches: Iterator[_Batch],
    report: ImportReport,
    tick: Callable[[int], None],
    workers: int | None,
    mapper: _Mapper,
) -> None:
    """Parse batch n+k while workers score batches n+1..n+k-1 and this process stores batch n."""
    first = next(batches, None)
    if first is None:
        return
    if "text" not in report.columns and not first.mentions:
        raise _no_text_column(report.path, mapper.keys_seen)
    tick(first.position)
    second = next(batches, None)
    count = scoring_pool.default_processes() if workers is None else workers
    scorer: Scorer = PoolScorer(count - 1) if second is not None and count > 1 else InlineScorer()
    pending: deque[tuple[_Batch, Future[list[Scores]]]] = deque()
    helper: InlineScorer | None = None  # this process, scoring while it would wait

    def fall_back_inline() -> None:
        # a worker died (out of memory, killed, or an app entry point that is not safe to
        # re-import): finish in this process rather than lose the import
        nonlocal scorer
        scorer.close(cancel=True)
        scorer = InlineScorer()
        report.warnings.append(
            "Scoring in parallel failed, so the rest was scored in one process (slower)."
        )
        for index, (waiting, _) in enumerate(pending):
            pending[index] = (waiting, scorer.submit(waiting.inputs))

    def score_here(index: int) -> bool:
        """Score here batch *index* if no worker has started it (the workers fell behind)."""
        nonlocal helper
        waiting, queued = pending[index]
        if not scorer.reclaim(queued):
            return False
        helper = helper or InlineScorer(scoring_pool.HELPER_SEEN_LIMIT)
        pending[index] = (waiting, helper.submit(waiting.inputs))
        return True

    def store_oldest() -> None:
        if not pending[0][1].done() and not score_here(0):
            # a worker is scoring it: sooner done than a batch scored here (which delays the
            # storing that paces the import) unless the worker is starved: then help
            wait([pending[0][1]], timeout=scoring_pool.RUNNING_GRACE_S)
            for index in range(1, len(pending)):
                if pending[0][1].done():
                    break
                score_here(index)
        batch, future = pending[0]
        try:
            scores = future.result()
        except BrokenProcessPool:
            fall_back_inline()
            scores = pending[0][1].result()
        pending.popleft()
        _store(inserter, batch, scores, report)
        tick(batch.position)

    cancelled = True
    try:
        for batch in _chain([first] if second is None else [first, second], batches):
            pending.append((batch, scorer.submit(batch.inputs)))
            tick(batch.position)
            while len(pending) > scorer.max_in_flight:
                store_oldest()
        while pending:
            store_oldest()
        cancelled = False
    finally:
        scorer.close(cancel=cancelled)


def _chain(ahead: list[_Batch], rest: Iterator[_Batch]) -> Iterator[_Batch]:
    yield from ahead
    yield from rest


def _finish_warnings(report: ImportReport, ctx: RowContext) -> None:
    if report.imported + report.duplicates + report.skipped == 0:
        report.warnings.append("The file has no rows to import.")
    if ctx.dated_by_import:
        report.warnings.append(
            "The file has no date column, so its mentions are dated with the time of import."
        )
    if ctx.bad_counts:
        report.warnings.append(
            f"{ctx.bad_counts:,} {'count was' if ctx.bad_counts == 1 else 'counts were'} not a "
            f"number and read as 0 (the rows were kept; first: {ctx.bad_count_example})."
        )
    if ctx.dates.day_first is not None:
        order = "day before month" if ctx.dates.day_first else "month before day"
        report.warnings.append(
            f"Dates like '{ctx.dates.learnt_from}' show this file writes the {order}; its other"
            " dates were read the same way."
        )
    if ctx.dates.undecided:
        report.warnings.append(
            f"{ctx.dates.undecided:,} rows were skipped because their date (like 1/2/2026) could"
            " be read two ways and no date before them told which; move a row with a day over 12"
            " first, or use dates like 2026-02-01."
        )
    if ctx.dropped_links:
        report.warnings.append(
            f"{ctx.dropped_links:,} rows had a link that is not a web address; it was left out."
        )
    if report.skipped > len(report.problems):
        report.warnings.append(
            f"Only the first {len(report.problems):,} of {report.skipped:,} skipped rows"
            " are listed."
        )
