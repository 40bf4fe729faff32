"""The inbox's list and the selected mention's details side by side, or stacked when the page
is too narrow for both (large text, 150-200 % scaling, a small screen).

Side by side needs the list's key columns with READABLE_CHARS of mention text
(column_fit.comfortable_width) and RIGHT_MIN_CHARS for the details and the reply. With less,
the inbox splitter turns vertical: the list above, the details and the composer below, each
the whole width. Measured in the page's font, decided afresh on every resize of the page (its
width does not depend on the orientation, so the two never flip back and forth). Each
orientation keeps its own splitter sizes, remembered in the settings. The widgets stay where
they are, so the selection and the keyboard focus stay too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer, Signal

from crisisdesk.settings import Settings
from crisisdesk.ui.inbox.column_fit import READABLE_CHARS, RIGHT_MIN_CHARS, comfortable_width

if TYPE_CHECKING:
    from crisisdesk.ui.inbox.page import InboxPage

#: settings key of each orientation's splitter state (stacked or not)
STATE_KEYS = {False: "inbox/splitter", True: "inbox/splitter_stacked"}
#: the first time stacked: the list's share of the height, the rest for details and reply
STACKED_SHARES = (1, 1)
#: below the filters, the list wants its header and this many rows, and the details and the
#: reply this many lines: with less room, the filter choices fold behind a button
LIST_ROWS = 4
RIGHT_LINES = 8


class PaneStacking(QObject):
    """Watches *page*'s width and turns its splitter (see the module text)."""

    #: True when the list went above the details, False when back beside them
    stackedChanged = Signal(bool)

    def __init__(self, page: InboxPage, settings: Settings) -> None:
        super().__init__(page)
        self._page = page
        self._settings = settings
        self.stacked = False
        self._states = {stacked: settings.get(key) for stacked, key in STATE_KEYS.items()}
        self._shared = False  # stacked at the default shares (no split of the owner's)
        page.installEventFilter(self)
        page.splitter.installEventFilter(self)  # its height settles after the page's resize
        page.splitter.splitterMoved.connect(lambda _pos, _index: self._owner_moved())

    def _owner_moved(self) -> None:
        self._shared = False

    def side_by_side_width(self) -> int:
        """The page width the list (READABLE_CHARS of text) and the details need side by side."""
        page, splitter = self._page, self._page.splitter
        right = splitter.widget(1)
        char = page.fontMetrics().averageCharWidth()
        right_room = max(RIGHT_MIN_CHARS * char, right.minimumSizeHint().width() if right else 0)
        list_room = comfortable_width(page.table, READABLE_CHARS, page.stepped_aside)
        return list_room + splitter.handleWidth() + right_room

    def update(self) -> None:
        """Stack or not, for the page's current width (once the details are beside the list),
        and fold the filter choices when the page is short."""
        if self._page.splitter.count() > 1:
            self.set_stacked(self._page.width() < self.side_by_side_width())
            self._page.filter_bar.set_compact(self._short())

    def _short(self) -> bool:
        """Too short for the filter choices and a few rows of list, details and reply."""
        page, table = self._page, self._page.table
        rows = table.verticalHeader().defaultSectionSize() * LIST_ROWS
        list_room = table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth()
        right_room = page.fontMetrics().lineSpacing() * RIGHT_LINES
        wanted = (
            list_room + page.splitter.handleWidth() + right_room
            if self.stacked
            else max(list_room, right_room)
        )
        bar = page.filter_bar.unfolded_height(page.width())
        info = page.search_info.sizeHint().height() if page.search_info.isVisibleTo(page) else 0
        return page.height() - bar - info < wanted

    def set_stacked(self, stacked: bool) -> None:
        splitter = self._page.splitter
        if stacked == self.stacked:
            return
        self._remember()
        self.stacked = stacked
        splitter.setOrientation(Qt.Orientation.Vertical if stacked else Qt.Orientation.Horizontal)
        splitter.setStretchFactor(0, 1 if stacked else 2)  # stacked: a taller window, both
        saved = self._states[stacked]
        # a state is saved in its own orientation, so restoring it keeps this one
        self._shared = not saved or not splitter.restoreState(QByteArray(saved))
        if self._shared and not stacked:
            splitter.setSizes([700, 300])  # relative: the list gets most of the room
        self.stackedChanged.emit(stacked)

    def _keep_share(self) -> None:
        """Stacked with no split of the owner's yet: half the height each, whenever the
        splitter's height changes (the filters fold, the window is fitted to the screen)."""
        if self.stacked and self._shared:
            splitter = self._page.splitter
            total = sum(splitter.sizes())  # in pixels: Qt does not scale tiny weights up
            first = total * STACKED_SHARES[0] // sum(STACKED_SHARES)
            splitter.setSizes([first, total - first])

    def _remember(self) -> None:
        """Keep the current orientation's split, unless it is the stacked default (which keeps
        following the window until the owner moves the handle)."""
        if not (self.stacked and self._shared):
            self._states[self.stacked] = bytes(self._page.splitter.saveState().data())

    def save_settings(self) -> None:
        if self._page.splitter.count() > 1:
            self._remember()
        for stacked, key in STATE_KEYS.items():
            if self._states[stacked]:
                self._settings.set(key, self._states[stacked])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._page and event.type() == QEvent.Type.Resize:
            self.update()
        elif watched is self._page.splitter and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self._keep_share)  # after the splitter's own resize
        return super().eventFilter(watched, event)
