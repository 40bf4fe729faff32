"""Errors a user can cause. Each message is meant for a non-technical owner.

The GUI shows ``str(error)`` in a dialog or the status bar; the CLI prints it on stderr and
exits 2. Tracebacks are for bugs only.
"""

from __future__ import annotations


class CrisisdeskError(Exception):
    """Base class: something the user can understand and usually fix."""

    #: one short line saying what to do next, shown under the message when set
    hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint

    def user_text(self) -> str:
        """The message and, when there is one, what to do next."""
        text = str(self)
        return f"{text}\n{self.hint}" if self.hint else text


class DatabaseError(CrisisdeskError):
    """The database file cannot be used as it is."""


class NotADatabaseError(DatabaseError):
    """The file exists but is not a crisisdesk (SQLite) database."""


class DatabaseTooNewError(DatabaseError):
    """The database was written by a newer crisisdesk."""


class SearchSyntaxError(CrisisdeskError):
    """A search query cannot be understood."""


class ImportFileError(CrisisdeskError):
    """A file cannot be imported at all (nothing was written)."""


class ImportCancelled(CrisisdeskError):
    """The user cancelled an import; nothing from that file was stored."""


class CredentialError(CrisisdeskError):
    """A credential cannot be stored or read (e.g. no secure keyring)."""


class SourceError(CrisisdeskError):
    """A platform or feed could not be read or written."""


class OfflineError(SourceError):
    """The network cannot be reached."""
