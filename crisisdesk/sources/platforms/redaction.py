"""Keeping secrets out of logs and error texts: a :class:`Redactor` per client, and the one
:class:`LogRedaction` filter on the loggers of httpx and httpcore.

httpx and httpcore log full URLs themselves (INFO/DEBUG), outside crisisdesk's code, so their
records must be scrubbed where they are emitted: on those libraries' loggers. Loggers are
process-wide, so the filter is too; it is put in place by :meth:`LogRedaction.install`, which
``http.make_client`` calls (idempotent), and it knows only the redactors of clients still alive
(weak references: a closed and dropped client's secrets are not kept in memory by the filter).
"""

from __future__ import annotations

import logging
import re
import threading
import weakref
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "***"
# query parameters that carry credentials on some platforms (Facebook access_token, ...)
_SECRET_NAMES = (
    r"access_token|refresh_token|token|password|passwd|client_secret|api_key|apikey|key|"
    r"secret|signature|appsecret_proof|code|accessJwt|refreshJwt"
)
_SECRET_PARAMS = re.compile(rf"(?i)((?<![\w-])(?:{_SECRET_NAMES})=)[^&;#\s\"']*")
_SECRET_JSON = re.compile(rf'(?i)("(?:{_SECRET_NAMES})"\s*:\s*")[^"]*')
_AUTH_HEADER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")

#: the third-party loggers that write request URLs
HTTP_LOGGERS = ("httpx", "httpcore.http11", "httpcore.connection", "httpcore.proxy")


class Redactor:
    """Replaces every known secret (and its URL-encoded forms) in a text with ``***``, and
    masks anything that looks like a credential (``token=...``, ``Bearer ...``) as well."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < 3:  # shorter "secrets" would mangle every text
            return
        self._secrets.update({secret, quote(secret, safe=""), quote_plus(secret)})

    def __call__(self, text: str) -> str:
        # longest first so a secret containing another is masked whole
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return mask_credentials(text)


def mask_credentials(text: str) -> str:
    """*text* with credential-looking parameters, JSON fields and auth headers masked."""
    text = _SECRET_PARAMS.sub(lambda m: m.group(1) + MASK, text)
    text = _SECRET_JSON.sub(lambda m: m.group(1) + MASK, text)
    return _AUTH_HEADER.sub(lambda m: m.group(1) + " " + MASK, text)


class LogRedaction(logging.Filter):
    """A log filter that masks the secrets of every tracked :class:`Redactor` in a record."""

    def __init__(self, loggers: Iterable[str] = HTTP_LOGGERS) -> None:
        super().__init__()
        self._loggers = tuple(loggers)
        self._redactors: weakref.WeakSet[Redactor] = weakref.WeakSet()
        self._lock = threading.Lock()

    def install(self) -> None:
        """Attach this filter to its loggers (again: nothing changes)."""
        for name in self._loggers:
            logger = logging.getLogger(name)
            if self not in logger.filters:
                logger.addFilter(self)

    def uninstall(self) -> None:
        for name in self._loggers:
            logging.getLogger(name).removeFilter(self)

    def track(self, redactor: Redactor) -> None:
        """Mask *redactor*'s secrets in log records for as long as it lives."""
        with self._lock:
            self._redactors.add(redactor)

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        with self._lock:
            redactors = list(self._redactors)
        for redactor in redactors:
            text = redactor(text)
        record.msg, record.args = mask_credentials(text), None
        return True


#: the filter every client made by ``http.make_client`` registers with (see the module doc)
HTTP_LOG_REDACTION = LogRedaction()
