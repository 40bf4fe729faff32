"""The add-account dialog's per-platform fields: which rows a platform shows, what they are
called, and how what the owner typed becomes an account draft.

One row per setting (name, address, handle, Page ID, subreddit, hashtags, search terms); the
platform decides which are visible and what the address and handle rows are called.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from crisisdesk.domain import Platform
from crisisdesk.sources.platforms.registry import PlatformInfo
from crisisdesk.ui.accounts.credential_dialog import mark_invalid

if TYPE_CHECKING:
    from crisisdesk.services.accounts import AccountDraft

HANDLE_LABEL: dict[str, str] = {
    Platform.REDDIT: "Reddit username",
    Platform.X: "X handle",
    Platform.BLUESKY: "Bluesky handle",
}
#: key, row label, accessible name, placeholder (the address and handle placeholders follow
#: the platform)
ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("name", "Name:", "Name", "a short name, e.g. bakery-mastodon"),
    ("base_url", "Address:", "Address", ""),
    ("handle", "Handle:", "Handle", ""),
    ("page_id", "Page ID:", "Page ID", "digits, e.g. 1234567890"),
    ("subreddit", "Subreddit:", "Subreddit", "optional, e.g. Portland"),
    ("hashtags", "Hashtags:", "Hashtags", "optional, e.g. crumbsbakery"),
    (
        "queries", "Search terms:", "Search terms",
        'optional, comma between terms: crumbs bakery, "maple rye"',
    ),
)  # fmt: skip
#: rows shown only for a platform that reads that option
OPTIONAL_ROWS = ("subreddit", "hashtags", "queries")
_SPLIT = re.compile(r"[,\n]")
_SPLIT_TAGS = re.compile(r"[,\s]+")


def split_terms(text: str) -> list[str]:
    """Search terms are separated by commas (a term may contain spaces)."""
    return [t.strip() for t in _SPLIT.split(text) if t.strip()]


def split_tags(text: str) -> list[str]:
    return [t.strip().lstrip("#") for t in _SPLIT_TAGS.split(text) if t.strip("# \t")]


def suggest_name(platform: str, taken: Sequence[str]) -> str:
    names = {n.lower() for n in taken}
    if platform not in names:
        return platform
    number = 2
    while f"{platform}-{number}" in names:
        number += 1
    return f"{platform}-{number}"


def address_label(info: PlatformInfo) -> str:
    if info.name == Platform.FEEDS:
        return "Feed address:"
    return "Server address:" if info.needs_base_url else "Server (optional):"


class PlatformFields:
    """The setting rows of the add dialog, added to *form* in order; one QLineEdit each."""

    def __init__(self, form: QFormLayout, parent: QWidget) -> None:
        self._form = form
        self.edits: dict[str, QLineEdit] = {}
        for key, label, name, placeholder in ROWS:
            edit = QLineEdit(parent)
            edit.setObjectName(key)
            edit.setAccessibleName(name)
            edit.setPlaceholderText(placeholder)
            edit.textEdited.connect(lambda _text, e=edit: mark_invalid(e, False))
            form.addRow(label, edit)
            self.edits[key] = edit

    def text(self, key: str) -> str:
        return self.edits[key].text()

    def show_for(self, info: PlatformInfo) -> None:
        """Show the rows *info* reads, named the way that platform names them."""
        form, edits = self._form, self.edits
        shows_url = info.needs_base_url or info.default_base_url is not None
        form.setRowVisible(edits["base_url"], shows_url)
        self._label(edits["base_url"]).setText(address_label(info))
        edits["base_url"].setPlaceholderText(
            info.base_url_help
            or (f"leave empty for {info.default_base_url}" if info.default_base_url else "")
        )
        form.setRowVisible(edits["handle"], info.needs_handle)
        self._label(edits["handle"]).setText(HANDLE_LABEL.get(info.name, "Handle") + ":")
        edits["handle"].setPlaceholderText(info.handle_help)
        form.setRowVisible(edits["page_id"], "page_id" in info.required_options)
        for key in OPTIONAL_ROWS:
            form.setRowVisible(edits[key], key in info.optional_options)
        for edit in edits.values():
            mark_invalid(edit, False)

    def _label(self, edit: QLineEdit) -> Any:
        return self._form.labelForField(edit)

    def draft(self, info: PlatformInfo) -> AccountDraft:
        """The checked draft of what was typed (only the rows *info* shows count).

        Raises AccountFieldError (its ``field`` names the row) or another CrisisdeskError.
        """
        from crisisdesk.services.accounts import GUI_FIELDS, prepare

        shown = info.optional_options
        return prepare(
            info.name,
            self.text("name"),
            base_url=self.text("base_url") or None,
            handle=self.text("handle") if info.needs_handle else None,
            queries=split_terms(self.text("queries")) if "queries" in shown else (),
            hashtags=split_tags(self.text("hashtags")) if "hashtags" in shown else (),
            subreddit=self.text("subreddit") if "subreddit" in shown else None,
            page_id=self.text("page_id") if info.required_options else None,
            names=GUI_FIELDS,
        )

    def focus(self, key: str) -> None:
        """Put the cursor in the row *key* and flag it as the problem."""
        edit = self.edits.get(key)
        if edit is not None:
            mark_invalid(edit, True)
            edit.setFocus()
