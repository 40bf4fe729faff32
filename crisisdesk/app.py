"""Composition root of the GUI: QApplication, settings, database, task runner, main window.

``crisisdesk`` without a subcommand calls :func:`run_gui`. Nothing else in the app creates
these objects; widgets get what they need through their constructors.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from crisisdesk import APP_NAME, __version__, paths
from crisisdesk.errors import CrisisdeskError
from crisisdesk.settings import Settings, SettingValue
from crisisdesk.store import open_database

# Qt is imported after the store on purpose: PySide6 inspects the source of every module
# imported after it (its __feature__ hook), which cost ~120 ms of start-up for sqlite_utils
# and numpy. Keep the Qt imports in the functions below.
if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from crisisdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.ini"
DB_FILE_FILTER = "crisisdesk databases (*.sqlite3 *.sqlite *.db);;All files (*)"


class QSettingsStorage:
    """The settings storage protocol over a QSettings (an ini file in the config dir)."""

    def __init__(self, qsettings: QSettings) -> None:
        self.qsettings = qsettings

    def value(self, key: str) -> object | None:
        from PySide6.QtCore import QByteArray

        raw: object = self.qsettings.value(key)
        if isinstance(raw, QByteArray):
            return bytes(raw.data())
        return raw

    def set_value(self, key: str, value: SettingValue) -> None:
        from PySide6.QtCore import QByteArray

        self.qsettings.setValue(key, QByteArray(value) if isinstance(value, bytes) else value)

    def remove(self, key: str) -> None:
        self.qsettings.remove(key)

    def sync(self) -> None:
        self.qsettings.sync()


def ini_settings(path: Path) -> Settings:
    """Settings kept in an ini file at *path* (the app uses the config dir; tests a tmp dir),
    upgraded from whatever crisisdesk version wrote them last."""
    from PySide6.QtCore import QSettings

    settings = Settings(QSettingsStorage(QSettings(str(path), QSettings.Format.IniFormat)))
    settings.upgrade()
    return settings


def load_style(app: QApplication) -> None:
    from crisisdesk.ui import theme

    app.setPalette(theme.accessible_palette(app.palette()))
    style = paths.resources_dir() / "style.qss"
    try:
        app.setStyleSheet(theme.style_sheet(style.read_text(encoding="utf-8")))
    except OSError:
        log.warning("style sheet %s could not be read; using the plain style", style)


def ask_for_database(parent: QWidget | None, error: CrisisdeskError, path: Path) -> Path | None:
    """The database cannot be used: say why and offer to pick another file (or quit)."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("crisisdesk cannot open the database")
    box.setText(str(error))
    box.setInformativeText(
        (error.hint + "\n\n" if error.hint else "")
        + "You can choose another database file, or a new file name to start a new one."
    )
    box.setAccessibleName("Database problem")
    choose = box.addButton("Choose another file…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(choose)
    box.exec()
    if box.clickedButton() is not choose:
        return None
    dialog = QFileDialog(parent, "Choose a crisisdesk database", str(path.parent), DB_FILE_FILTER)
    dialog.setObjectName("chooseDatabase")
    # "save" mode lets people pick an existing file or type a new name
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setDefaultSuffix("sqlite3")
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def open_interactively(
    path: Path,
    ask: Callable[[QWidget | None, CrisisdeskError, Path], Path | None] = ask_for_database,
) -> tuple[sqlite_utils.Database, Path] | None:
    """Open *path*; on a file crisisdesk cannot use, explain and let the user pick another.

    Returns ``None`` when the user gives up. Never raises for a user-caused problem.
    """
    while True:
        try:
            return open_database(path), path
        except CrisisdeskError as exc:
            log.warning("cannot open database %s: %s", path, exc)
            chosen = ask(None, exc, path)
            if chosen is None:
                return None
            path = chosen


def start_gui(db_path: Path) -> tuple[QApplication, MainWindow, sqlite_utils.Database] | None:
    """Build and show the app on *db_path* (without entering the event loop).

    Returns ``None`` when the database cannot be used and the user chose to quit.
    """
    from PySide6.QtWidgets import QApplication

    from crisisdesk.ui import errors
    from crisisdesk.ui.main_window import MainWindow
    from crisisdesk.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("crisisdesk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_NAME)
    errors.install_excepthook()
    load_style(app)

    opened = open_interactively(db_path)
    if opened is None:
        return None
    db, db_path = opened
    settings = ini_settings(paths.config_dir() / SETTINGS_FILE)
    runner = TaskRunner(db_path)
    window = MainWindow(db, db_path, settings, runner)
    # every feature (inbox, accounts, plan, composer, charts) attached itself in MainWindow
    # through the window's API: add_page, add_menu_action, add_status_item
    window.show()
    return app, window, db


def run_gui(db_path: Path) -> int:
    """Start the desktop app on *db_path*. Returns the process exit code."""
    started = start_gui(db_path)
    if started is None:
        return 2
    app, _window, db = started
    try:
        return app.exec()
    finally:
        db.close()
