"""Help → Getting started: what an owner does first, in the app (no README at hand).

Our own words (never text from the internet), shown as Markdown in a read-only browser.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from crisisdesk.domain import Platform
from crisisdesk.settings import Settings
from crisisdesk.ui.accounts.help_texts import how_to_steps
from crisisdesk.ui.geometry import RememberGeometry

PLATFORM_TITLES = {
    Platform.MASTODON: "Mastodon",
    Platform.BLUESKY: "Bluesky",
    Platform.REDDIT: "Reddit",
    Platform.X: "X (Twitter)",
    Platform.FACEBOOK: "Facebook Page",
    Platform.FEEDS: "Feeds (Google Alerts, review sites)",
}

INTRO = """\
# Getting started

crisisdesk gathers what people say about your business, puts what needs an answer first, and
keeps track of what you did about it.

## 1. Bring in your mentions

- **Try the demo** (on the welcome page): a made-up backlash against a small bakery.
- **File → Import… (Ctrl+O)**: a CSV or JSON export from another tool. If its column names
  are not ones crisisdesk knows (another language, say), it asks which column is which.
- **Accounts (Ctrl+Shift+A)**: connect Mastodon, Bluesky, Reddit, X, a Facebook Page or a
  feed, then **Sync now**. The steps for each are below.

## 2. Work through the inbox

- The views at the top: **Needs reply**, **Complaints**, **Today**, **All** and **Follow-ups
  due** (Ctrl+1 to Ctrl+5); "Assigned to" appears once you have assigned someone.
- Search with **/** or Ctrl+F: words, "a phrase", OR, and -word to leave one out.
- Click a column title to sort; right-click the titles to choose columns.
- Select a mention (J and K move down and up) and use the **Mention** menu or the toolbar:
  Open, Replied, Offline, Done, Archive, Assign, Labels, Follow up. **Enter** opens the post.

## 3. Keys, and undo

- In the list, single letters act on the selected mention: **O** open, **R** replied,
  **T** taken offline, **D** done, **E** archive, **A** assign, **L** labels, **F** follow up.
  They work only while the list has focus, never while you type elsewhere, and can be turned
  off: **Mention → Single-letter keys**.
- **Ctrl+Z** undoes, **Ctrl+Shift+Z** redoes; the status bar says what was undone.
- Help → Keyboard shortcuts lists every key.

## 4. Connecting accounts, step by step
"""


def getting_started_markdown() -> str:
    parts = [INTRO]
    for platform, title in PLATFORM_TITLES.items():
        steps = "\n".join(f"{n}. {s}" for n, s in enumerate(how_to_steps(platform), start=1))
        parts.append(f"### {title}\n\n{steps}\n")
    return "\n".join(parts)


class GettingStartedDialog(RememberGeometry, QDialog):
    """The getting-started page, read-only, with its size remembered."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Getting started")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("gettingStarted")
        self.browser.setAccessibleName("Getting started")
        self.browser.setOpenLinks(False)
        self.browser.setMarkdown(getting_started_markdown())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(620, 640)
        self.remember_geometry(settings, "getting_started")
