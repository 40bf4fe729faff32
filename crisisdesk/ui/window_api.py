"""The parts of the main window a feature adds itself to: named menu sections and ordered
status-bar items (pages are added by :meth:`MainWindow.add_page`).

A feature never looks for a separator or a position: it names the menu and the section
("File", "sync") and the window keeps the order, the separators between non-empty sections,
and the status bar's left-to-right order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

from crisisdesk.ui.icons import icon


class MenuSections:
    """A menu made of named sections, in a fixed order, with a separator between the non-empty
    ones. The menu itself is hidden while every section is empty."""

    def __init__(self, menu: QMenu, sections: Sequence[str]) -> None:
        self.menu = menu
        self.sections = tuple(sections)
        self._actions: dict[str, list[QAction]] = {name: [] for name in self.sections}
        # one separator before each section but the first; shown only between non-empty ones
        self._separators: dict[str, QAction] = {}
        for name in self.sections[1:]:
            separator = QAction(menu)
            separator.setSeparator(True)
            separator.setVisible(False)
            menu.addAction(separator)
            self._separators[name] = separator
        self._update()

    def add(self, action: QAction, section: str) -> None:
        """Append *action* to the end of *section*; an unknown section name is a bug."""
        if section not in self._actions:
            raise ValueError(
                f"the {self.menu.title().replace('&', '')} menu has no section {section!r}; "
                f"known: {', '.join(self.sections)}"
            )
        later = self.sections[self.sections.index(section) + 1 :]
        before = self._separators[later[0]] if later else None
        if before is None:
            self.menu.addAction(action)
        else:
            self.menu.insertAction(before, action)
        self._actions[section].append(action)
        self._update()

    def actions(self, section: str) -> list[QAction]:
        return list(self._actions[section])

    def _update(self) -> None:
        seen_any = False
        for name in self.sections:
            filled = bool(self._actions[name])
            if name in self._separators:
                self._separators[name].setVisible(filled and seen_any)
            seen_any = seen_any or filled
        self.menu.menuAction().setVisible(seen_any)


class StatusItems:
    """Widgets in the status bar, left to right by *order* (then by when they were added)."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self._permanent: list[tuple[int, QWidget]] = []
        self._temporary: list[tuple[int, QWidget]] = []

    def add(self, widget: QWidget, *, permanent: bool = True, order: int = 0) -> None:
        """Permanent items sit on the right and are never covered by a status message;
        the others sit on the left and step aside while a message shows."""
        items = self._permanent if permanent else self._temporary
        position = sum(1 for o, _ in items if o <= order)
        items.insert(position, (order, widget))
        if permanent:
            self.bar.insertPermanentWidget(position, widget)
        else:
            self.bar.insertWidget(position, widget)


def make_action(
    parent: QWidget,
    text: str,
    slot: Callable[[], object],
    shortcuts: Iterable[QKeySequence | QKeySequence.StandardKey | str] = (),
    *,
    icon_name: str = "",
    tip: str = "",
) -> QAction:
    """A menu/toolbar action: text, what it does, its keys, icon and tooltip in one call."""
    action = QAction(text, parent)
    keys = [
        key
        for k in shortcuts
        for key in (
            QKeySequence.keyBindings(k)  # every binding the platform has, not just the first
            if isinstance(k, QKeySequence.StandardKey)
            else [QKeySequence(k)]
        )
    ]
    if keys:
        action.setShortcuts(keys)
    if icon_name:
        action.setIcon(icon(icon_name))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def standard_keys(key: QKeySequence.StandardKey, *, but: str = "") -> list[QKeySequence]:
    """The platform's bindings for *key*, less one the app uses for something else (on a Mac
    Refresh is Ctrl+R, which is Sync now here)."""
    taken = QKeySequence(but)
    return [k for k in QKeySequence.keyBindings(key) if not but or k != taken]
