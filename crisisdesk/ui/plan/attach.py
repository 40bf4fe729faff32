"""The Plan page in the main window, its File menu entries (export, import, print) and the
active plan's progress in the status bar — all through the window's extension API."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils
from PySide6.QtCore import QLocale, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel

from crisisdesk.errors import CrisisdeskError
from crisisdesk.export import plan_json, plan_text
from crisisdesk.export.plan_words import Paper, TitleBlock, default_paper
from crisisdesk.settings import Settings
from crisisdesk.store.plans import PlanDoc
from crisisdesk.timeutil import parse_iso
from crisisdesk.ui import errors
from crisisdesk.ui.plan.page import PLAN_KEYS, PlanPage
from crisisdesk.ui.tasks import TaskRunner
from crisisdesk.ui.window_api import make_action

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from crisisdesk.ui.main_window import MainWindow

#: format → (menu text, file filter, suffix)
EXPORTS = {
    "pdf": ("Export plan as &PDF…", "PDF documents (*.pdf)", ".pdf"),
    "html": ("Export plan as &HTML…", "Web pages (*.html *.htm)", ".html"),
    "md": ("Export plan as &Markdown…", "Markdown (*.md)", ".md"),
    "json": ("Export plan &file (to share)…", "crisisdesk plans (*.json)", ".json"),
}


def business_name(settings: Settings) -> str:
    """The business's name for title blocks (at merge: the shared business settings)."""
    return str(settings.get("business/name"))


class PlanFeature(QObject):
    """Wires the page into the window; exports and prints what the page shows."""

    def __init__(self, window: MainWindow, db: sqlite_utils.Database, runner: TaskRunner,
                 settings: Settings) -> None:  # fmt: skip
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.page = PlanPage(db, runner, settings, window)
        self.page.undo_stack = window.add_page("plan", "Plan", self.page, "plan", "Ctrl+4")
        self.progress_label = QLabel(window)
        self.progress_label.setObjectName("planProgress")
        self.progress_label.setAccessibleDescription("Active plan progress")
        self.progress_label.hide()
        window.add_status_item(self.progress_label, order=50)
        self.page.progressChanged.connect(self._show_progress)
        for fmt, (text, _filter, _suffix) in EXPORTS.items():
            action = make_action(window, text, partial(self.export_dialog, fmt))
            window.add_menu_action("File", action, "export")
        self.import_action = make_action(window, "Import plan file…", self.import_dialog)
        window.add_menu_action("File", self.import_action, "export")
        self.print_action = make_action(
            window, "&Print plan…", self.print_preview, [QKeySequence.StandardKey.Print],
            tip="Print the plan shown on the Plan page, with a preview (Ctrl+P)",
        )  # fmt: skip
        window.add_menu_action("File", self.print_action, "export")
        window.describe_keys(PLAN_KEYS)
        window.settingsSaving.connect(self.save_state)
        self.restore_state()
        self.page.show_plan()

    # --- status bar and state -----------------------------------------------------------------

    def _show_progress(self, name: str, done: int, total: int) -> None:
        self.progress_label.setText(f"Active plan: {done}/{total} done" if name else "")
        self.progress_label.setToolTip(f"{name}: {done} of its {total} steps done" if name else "")
        self.progress_label.setVisible(bool(name))

    def save_state(self) -> None:
        self.settings.set("plan/splitter", bytes(self.page.splitter.saveState().data()))
        self.settings.set("plan/header", bytes(self.page.view.header().saveState().data()))

    def restore_state(self) -> None:
        from PySide6.QtCore import QByteArray

        if splitter := self.settings.get("plan/splitter"):
            self.page.splitter.restoreState(QByteArray(splitter))
        if header := self.settings.get("plan/header"):
            self.page.view.header().restoreState(QByteArray(header))

    # --- what to export -----------------------------------------------------------------------

    def document(self) -> PlanDoc:
        plan = self.page.plan
        if plan is None:
            raise CrisisdeskError("There is no plan to export yet.", hint="Open the Plan page.")
        return PlanDoc(plan.name, tuple(r.entry for r in self.page.model.rows()))

    def title(self) -> TitleBlock:
        plan = self.page.plan
        since = None
        if plan is not None and plan.active and plan.activated_at:
            since = parse_iso(plan.activated_at).astimezone()
        return TitleBlock(business_name(self.settings), datetime.now().astimezone(), since)

    def paper(self) -> Paper:
        chosen = str(self.settings.get("plan/paper"))
        if chosen in {p.value for p in Paper}:
            return Paper(chosen)
        return default_paper(QLocale.territoryToCode(QLocale.system().territory()))

    def export(self, fmt: str, path: Path) -> None:
        """Write the plan shown as *fmt* to *path*; raises :class:`CrisisdeskError`."""
        doc = self.document()
        if fmt == "json":
            plan_json.write_file(doc, path)
        elif fmt == "pdf":
            from crisisdesk.export.plan_pdf import write_pdf

            write_pdf(doc, path, self.title(), self.paper())
        else:
            render = plan_text.to_html if fmt == "html" else plan_text.to_markdown
            plan_json.write_text(path, render(doc, self.title()))
        self.window.show_message(f"Saved the plan to {path}.")

    def export_dialog(self, fmt: str) -> None:
        _text, file_filter, suffix = EXPORTS[fmt]
        name = (self.page.plan.name if self.page.plan else "plan") + suffix
        chosen, _ = QFileDialog.getSaveFileName(self.window, "Export plan", name, file_filter)
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(suffix)
        try:
            self.export(fmt, path)
        except CrisisdeskError as exc:
            errors.show_error(self.window, exc)

    def import_file(self, path: Path) -> None:
        """Add the plan in *path* (undoable) and show it; raises :class:`CrisisdeskError`."""
        doc = plan_json.read_file(path)
        self.page.create_plan(doc, f'Import plan "{doc.name}"')
        self.window.show_page("plan")

    def import_dialog(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Import a plan file", "", EXPORTS["json"][1]
        )
        if chosen:
            try:
                self.import_file(Path(chosen))
            except CrisisdeskError as exc:
                errors.show_error(self.window, exc)

    # --- printing -------------------------------------------------------------------------------

    def paint(self, printer: QPrinter) -> int:
        from crisisdesk.export.plan_pdf import paint_plan

        return paint_plan(printer, self.document(), self.title())

    def make_printer(self) -> QPrinter:
        from PySide6.QtGui import QPageSize
        from PySide6.QtPrintSupport import QPrinter

        from crisisdesk.export.plan_pdf import PAGE_SIZES

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(PAGE_SIZES[self.paper()]))
        printer.setDocName(self.page.plan.name if self.page.plan else "Crisis plan")
        return printer

    def print_preview(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        # the dialog only points at the printer: it must outlive the dialog
        self._printer = self.make_printer()
        dialog = QPrintPreviewDialog(self._printer, self.window)
        dialog.setObjectName("planPrintPreview")
        dialog.setAccessibleName("Print preview")
        dialog.paintRequested.connect(self.paint)
        dialog.exec()


def attach_plan(
    window: MainWindow, db: sqlite_utils.Database, runner: TaskRunner, settings: Settings
) -> PlanFeature:
    """Add the Plan page, its menu entries and its status item to *window*."""
    return PlanFeature(window, db, runner, settings)
