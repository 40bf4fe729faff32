"""Fixtures shared by the widget tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import QApplication

#: schemes a post's link could carry; the app may open only the first two
CAUGHT_SCHEMES = ("http", "https", "file", "javascript")


class UrlCatcher(QObject):
    """Stands in for the browser: records every URL the app asks the desktop to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def url_catcher() -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    for scheme in CAUGHT_SCHEMES:
        QDesktopServices.setUrlHandler(scheme, catcher, "catch")
    yield catcher
    for scheme in CAUGHT_SCHEMES:
        QDesktopServices.unsetUrlHandler(scheme)


@pytest.fixture
def large_font(qapp: QApplication) -> Iterator[None]:
    """A 14 pt application font (issue 15: large text), for widgets made in the test."""
    before = QApplication.font()
    font = QFont(before)
    font.setPointSize(14)
    QApplication.setFont(font)
    yield
    QApplication.setFont(before)
