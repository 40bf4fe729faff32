"""Errors a user can cause. Each message is meant for a non-technical owner.

The GUI shows ``str(error)`` in a dialog or the status bar; the CLI prints it on stderr and
exits 2. Tracebacks are for bugs only.
"""

from __future__ import annotations

from datetime import datetime


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


class AuthError(SourceError):
    """The platform refused the credential (HTTP 401/403)."""

    hint = "Check the token or password of this account in Accounts; it may have expired."


class RateLimitedError(SourceError):
    """The platform asks us to wait longer than we are willing to wait now."""

    def __init__(self, message: str, hint: str = "", *, retry_at: datetime | None = None) -> None:
        super().__init__(message, hint)
        #: when the platform will accept requests again (aware UTC), if it said so
        self.retry_at = retry_at


class PlatformError(SourceError):
    """The platform failed (5xx after retries) or sent something unreadable (bad JSON, HTML page,
    cut-off answer), or refused a request for a reason other than the credential."""

    def __init__(self, message: str, hint: str = "", *, status: int | None = None) -> None:
        super().__init__(message, hint)
        self.status = status
