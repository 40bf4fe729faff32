"""File → Import: CSV/JSON files imported in the background, cancellable, then a summary.

Each file is imported by ``sources.files.import_file`` on a pool thread with its own database
connection, in its own transaction: a cancelled or unreadable file stores nothing, and files
finished before it stay imported. The window stays responsive throughout.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.errors import CrisisdeskError, ImportCancelled, ImportFileError
from crisisdesk.services.importing import ImportReport, file_columns, import_file
from crisisdesk.settings import Settings
from crisisdesk.store.db import connect
from crisisdesk.ui import errors
from crisisdesk.ui.dialogs.column_mapping import (
    ColumnMappingDialog,
    header_id,
    needs_mapping,
    remembered,
)
from crisisdesk.ui.tasks import TaskContext, TaskRunner
from crisisdesk.ui.widgets import WrapLabel

#: the summary lists at most this many skipped rows (the counts stay exact)
MAX_LISTED_PROBLEMS = 5000
IMPORT_FILTER = "Mention files (*.csv *.json *.ndjson *.jsonl);;All files (*)"


def choose_files(parent: QWidget | None, settings: Settings | None = None) -> list[Path]:
    """File → Import: the files the user picks (none when they cancel); it opens in the folder
    used last time (issue 15.12), else the home folder."""
    last = str(settings.get("import/last_folder")) if settings is not None else ""
    start = last if last and Path(last).is_dir() else str(Path.home())
    names, _ = QFileDialog.getOpenFileNames(parent, "Import mentions", start, IMPORT_FILTER)
    if names and settings is not None:
        settings.set("import/last_folder", str(Path(names[0]).parent))
    return [Path(name) for name in names]


@dataclass
class FileOutcome:
    """What happened to one file: a report, or the error that stopped it."""

    path: Path
    report: ImportReport | None = None
    error: CrisisdeskError | None = None
    not_started: bool = False

    @property
    def cancelled(self) -> bool:
        return isinstance(self.error, ImportCancelled)


def import_files(
    ctx: TaskContext,
    db_path: Path,
    files: Sequence[Path],
    workers: int | None = None,
    columns: Mapping[Path, Mapping[str, str]] | None = None,
) -> list[FileOutcome]:
    """Worker side: import *files* one by one, handing each file's outcome to the GUI thread
    (``ctx.publish``) as it ends; returns them all too."""
    outcomes: list[FileOutcome] = []

    def ended(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
        ctx.publish(outcome)

    total_files = len(files)
    for index, path in enumerate(files):
        if ctx.cancelled:
            ended(FileOutcome(path, not_started=True))
            continue
        label = f"Importing {path.name} ({index + 1} of {total_files})…"
        ctx.report(0, 0, label)

        def progress(done: int, total: int, label: str = label) -> bool:
            ctx.report(done, total, label)
            return not ctx.cancelled

        # a connection per file, opened in this worker thread (SQLite connections are per thread)
        db = connect(db_path, migrate=False)
        try:
            chosen = (columns or {}).get(path)
            report = import_file(db, path, progress=progress, workers=workers, columns=chosen)
        except CrisisdeskError as exc:  # ImportFileError, ImportCancelled, database errors
            ended(FileOutcome(path, error=exc))
        except OSError as exc:
            ended(
                FileOutcome(
                    path,
                    error=ImportFileError(
                        f"{path.name} cannot be read: {exc.strerror or exc}.",
                        hint="Check that the file exists and that you may open it.",
                    ),
                )
            )
        else:
            ended(FileOutcome(path, report=report))
        finally:
            db.close()
    return outcomes


def describe_outcome(outcome: FileOutcome) -> str:
    """A few lines about one file for the summary."""
    name = outcome.path.name
    if outcome.not_started:
        return f"{name}: not imported (the import was cancelled before it started)."
    if outcome.cancelled:
        return f"{name}: cancelled. Nothing from this file was stored."
    if outcome.error is not None:
        return f"{name}: could not be imported. Nothing from it was stored.\n" + (
            outcome.error.user_text()
        )
    assert outcome.report is not None
    report = outcome.report
    return "\n".join([report.summary_text(), *(f"Note: {w}" for w in report.warnings)])


class ImportSummaryDialog(QDialog):
    """The result of an import: per file counts and column mapping, then every skipped row."""

    def __init__(self, outcomes: Sequence[FileOutcome], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished")
        self.setAccessibleName("Import summary")
        self.outcomes = list(outcomes)
        reports = [o.report for o in outcomes if o.report is not None]
        imported = sum(r.imported for r in reports)
        duplicates = sum(r.duplicates for r in reports)
        skipped = sum(r.skipped for r in reports)
        failed = sum(1 for o in outcomes if o.error is not None or o.not_started)
        files = "1 file" if len(reports) == 1 else f"{len(reports)} files"
        headline = (
            f"{imported:,} new mentions imported from {files}; {duplicates:,} were already "
            f"stored; {skipped:,} rows skipped."
        )
        if failed:
            headline += f" {failed} file{'s' if failed > 1 else ''} not imported."
        if any(o.cancelled for o in outcomes):
            self.setWindowTitle("Import cancelled")
        self.headline = WrapLabel(headline, description="Import result")

        # file names, column names and reasons come from the user's file: plain text only
        self.files_view = QPlainTextEdit()
        self.files_view.setReadOnly(True)
        self.files_view.setAccessibleName("Result per file")
        self.files_view.setPlainText("\n\n".join(describe_outcome(o) for o in outcomes))
        self.files_view.setMinimumHeight(110)

        problems = [
            (o.path.name, p) for o in outcomes if o.report is not None for p in o.report.problems
        ]
        self.problems_label = QLabel(
            f"Skipped rows ({len(problems):,}):" if problems else "No rows were skipped."
        )
        self.problems_list = QListWidget()
        self.problems_list.setAccessibleName("Skipped rows")
        self.problems_list.setUniformItemSizes(True)
        several = len(reports) > 1
        for name, problem in problems[:MAX_LISTED_PROBLEMS]:
            where = f"{name}, line {problem.line}" if several else f"Line {problem.line}"
            self.problems_list.addItem(f"{where}: {problem.reason}")
        if len(problems) > MAX_LISTED_PROBLEMS:
            self.problems_list.addItem(
                f"… and {len(problems) - MAX_LISTED_PROBLEMS:,} more skipped rows not listed."
            )
        self.problems_list.setVisible(bool(problems))
        self.problems_label.setBuddy(self.problems_list)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("&Copy Report", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.files_view, 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems_list, 2)
        layout.addWidget(buttons)
        self.resize(620, 460 if problems else 300)

    def report_text(self) -> str:
        lines = [self.headline.text(), "", self.files_view.toPlainText()]
        if self.problems_list.count():
            lines += ["", self.problems_label.text()]
            lines += [self.problems_list.item(i).text() for i in range(self.problems_list.count())]
        return "\n".join(lines)

    def copy_report(self) -> None:
        clipboard = QApplication.clipboard()
        clipboard.setText(self.report_text())


def _show_result(parent: QWidget | None, outcomes: list[FileOutcome]) -> QDialog | None:
    only_failures = all(o.report is None for o in outcomes)
    errors_only = [o for o in outcomes if o.error is not None and not o.cancelled]
    if only_failures and len(errors_only) == 1 and len(outcomes) == 1:
        # one unreadable file: a plain error dialog says it best (message + what to do)
        assert errors_only[0].error is not None
        return errors.show_error(parent, errors_only[0].error)
    dialog = ImportSummaryDialog(outcomes, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def choose_columns(
    parent: QWidget | None, files: Sequence[Path], settings: Settings
) -> dict[Path, dict[str, str]] | None:
    """The column mapping per file: remembered for its column names, or asked for when its
    names are not recognised. None when the owner cancels (nothing is imported)."""
    chosen: dict[Path, dict[str, str]] = {}
    for path in files:
        try:
            header = file_columns(path)
        except (CrisisdeskError, OSError):
            continue  # the import itself reports what is wrong with the file
        saved = remembered(settings, header)
        if saved:
            chosen[path] = saved
        elif needs_mapping(header):
            dialog = ColumnMappingDialog(path.name, header, parent=parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            chosen[path] = dialog.mapping()
            settings.set(f"import/columns/{header_id(header)}", json.dumps(chosen[path]))
    return chosen


def run_import(
    parent: QWidget | None,
    db_path: Path,
    files: list[Path],
    runner: TaskRunner,
    on_done: Callable[[], None],
    *,
    workers: int | None = None,
    settings: Settings | None = None,
) -> None:
    """Import *files* in the background with a cancellable progress dialog, then summarise.

    With *settings*, a file whose column names crisisdesk does not recognise first gets the
    column-mapping step (remembered per set of column names).

    *on_done* runs in the GUI thread once the import ended (also after cancel or failure),
    before the summary shows, so the inbox can reload.
    """
    files = [Path(f) for f in files]
    columns = choose_columns(parent, files, settings) if settings is not None else {}
    if not files or columns is None:
        return
    outcomes: list[FileOutcome] = []  # each file's, as the worker publishes it

    def finished(_result: object = None) -> None:
        on_done()
        # files the worker never reached (cancelled between files)
        seen = len(outcomes)
        outcomes.extend(FileOutcome(p, not_started=True) for p in files[seen:])
        _show_result(parent, outcomes)

    def failed(exc: BaseException) -> None:
        on_done()
        errors.show_error(parent, exc)

    title = "Importing" if len(files) == 1 else f"Importing {len(files)} files"
    (
        runner.op(lambda ctx: import_files(ctx, db_path, files, workers, columns))
        # every outcome, also after Cancel: the summary says what was stored and what not
        .partial(outcomes.append, after_cancel=True)
        .success(finished)
        .cancelled(finished)
        .failure(failed)
        .progress(f"Importing {files[0].name}…", title=title, cancellable=True, parent=parent)
        .start()
    )
