"""First start: an empty database gets a friendly page that says what each area is for and
offers the first steps: demo data, an import, an account, the ready-made crisis plan."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.ui.flow_layout import FlowLayout
from crisisdesk.ui.theme import scale_font
from crisisdesk.ui.widgets import WrapLabel, scrolling

WELCOME_TITLE = "Welcome to crisisdesk"
WELCOME_TEXT = (
    "crisisdesk collects what people say about your business, shows you what needs an answer "
    "first, and helps you reply calmly.\n\n"
    "Your inbox is empty. Try it with made-up demo mentions for a small bakery, import a "
    "CSV or JSON export of your own mentions, or connect your accounts on Mastodon, Bluesky, "
    "Reddit, X, Facebook or a news feed."
)
#: (area, what it is for): the places of the window, in the order of the navigation
AREAS = (
    ("Inbox", "every mention, most urgent first; mark what you have answered"),
    ("Replies", "answer beside the mention, with templates and a check of your tone"),
    ("Plan", "a ready-made crisis checklist to adapt now and tick off when it counts"),
    ("Charts", "how many people complain, and when a backlash starts"),
)


class WelcomePanel(QWidget):
    """Shown instead of the inbox while the database has no mentions."""

    loadDemoRequested = Signal()
    importRequested = Signal()
    connectAccountRequested = Signal()
    planRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QLabel(WELCOME_TITLE, self)
        title.setObjectName("welcomeTitle")
        title.setFont(scale_font(self.font(), 1.8, bold=True))
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        text = WrapLabel(WELCOME_TEXT, self)
        text.setObjectName("welcomeText")
        text.setFont(scale_font(self.font(), 1.15))
        text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        # a fixed width lets the layout ask the wrapped label for its real height
        # (52 characters: at 14 pt and 200 % the panel still fits the screen, issue 15.8)
        text.setFixedWidth(text.fontMetrics().averageCharWidth() * 52)

        self.demo_button = QPushButton("Load demo data", self)
        self.demo_button.setObjectName("loadDemo")
        self.demo_button.setAccessibleName("Load demo data")
        self.demo_button.setToolTip("Add 3,000 made-up mentions you can safely practise on")
        self.demo_button.setDefault(True)
        self.demo_button.clicked.connect(self.loadDemoRequested)
        self.import_button = QPushButton("Import a file…", self)
        self.import_button.setObjectName("importFile")
        self.import_button.setAccessibleName("Import a file")
        self.import_button.setToolTip("Import mentions from a CSV, JSON or NDJSON file")
        self.import_button.clicked.connect(self.importRequested)
        self.account_button = QPushButton("Connect an account…", self)
        self.account_button.setObjectName("connectAccount")
        self.account_button.setAccessibleName("Connect an account")
        self.account_button.setToolTip("Fetch mentions from your social media accounts")
        self.account_button.clicked.connect(self.connectAccountRequested)
        self.plan_button = QPushButton("See the crisis plan…", self)
        self.plan_button.setObjectName("openPlan")
        self.plan_button.setAccessibleName("See the crisis plan")
        self.plan_button.setToolTip("A ready-made checklist for a backlash: adapt it in calm times")
        self.plan_button.clicked.connect(self.planRequested)
        areas = QFormLayout()
        areas.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for area, purpose in AREAS:
            name = QLabel(area, self)
            name.setFont(scale_font(self.font(), 1.0, bold=True))
            value = WrapLabel(purpose, self)
            value.setMinimumWidth(value.fontMetrics().averageCharWidth() * 40)
            name.setBuddy(value)
            areas.addRow(name, value)
        self.busy_label = QLabel("", self)
        self.busy_label.setObjectName("welcomeBusy")
        self.busy_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        buttons = FlowLayout()  # wraps at a large font or 200 % (issue 15.8)
        for button in (self.demo_button, self.import_button, self.account_button):
            buttons.addWidget(button)
        buttons.addWidget(self.plan_button)
        # in a scroll area: at 14 pt and 200 % the panel is taller than the screen, and the
        # window may not be (issue 15.8); the buttons scroll into view as Tab reaches them
        content = QWidget(self)
        content.setObjectName("welcomeContent")
        layout = QVBoxLayout(content)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addSpacing(12)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(text)
        centred.addStretch(1)
        layout.addLayout(centred)
        layout.addSpacing(12)
        centred_areas = QHBoxLayout()
        centred_areas.addStretch(1)
        centred_areas.addLayout(areas)
        centred_areas.addStretch(1)
        layout.addLayout(centred_areas)
        layout.addSpacing(20)
        layout.addLayout(buttons)
        layout.addWidget(self.busy_label)
        layout.addStretch(3)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(content, "welcomeScroll"))

    def set_busy(self, text: str) -> None:
        """While demo data loads: say so and keep the buttons from being pressed twice."""
        self.busy_label.setText(text)
        self.demo_button.setEnabled(not text)
        self.import_button.setEnabled(not text)
        self.account_button.setEnabled(not text)
        self.plan_button.setEnabled(not text)
