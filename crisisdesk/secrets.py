"""Credentials live only in the operating system's keyring, under one service name.

Each account's secret is stored with the username ``account:<name>``; a connector's session
tokens (e.g. Bluesky's) under ``session:<name>``. Nothing here ever writes a secret anywhere
else: with no secure backend we refuse with a clear :class:`CredentialError` instead of falling
back to a plaintext file. Secret values never appear in log lines or exception messages.

Callers outside ``sources/`` (the CLI, the Accounts dialog) hand secrets *in* (``set_secret``) and
remove them; only ``sources/`` reads them back.
"""

from __future__ import annotations

import logging
import sys

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from crisisdesk.errors import CredentialError

SERVICE = "crisisdesk"

log = logging.getLogger(__name__)

# Backends that store nothing or store in plaintext: never acceptable for customers' tokens.
_REFUSED_BACKENDS = {
    "keyring.backends.fail.Keyring",
    "keyring.backends.null.Keyring",
    "keyrings.alt.file.PlaintextKeyring",
}


def account_key(name: str) -> str:
    """The keyring username holding the credential of the account called *name*."""
    return f"account:{name}"


def session_key(name: str) -> str:
    """The keyring username holding a connector's session tokens for account *name*."""
    return f"session:{name}"


def how_to_fix() -> str:
    """One line telling the user how to get a working keyring on this computer."""
    if sys.platform == "darwin":
        return (
            "The macOS Keychain normally works out of the box: make sure your login keychain "
            "is unlocked (Keychain Access), then try again."
        )
    if sys.platform.startswith("win"):
        return (
            "Windows Credential Locker normally works out of the box: sign in to your Windows "
            "account normally (not a temporary profile), then try again."
        )
    return (
        "On Linux, install and unlock a Secret Service provider such as GNOME Keyring "
        "(package gnome-keyring) or KWallet, log out and back in, then try again."
    )


def _name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _usable(backend: KeyringBackend) -> bool:
    return _secure(backend) is not None


def _secure(backend: KeyringBackend) -> KeyringBackend | None:
    """The backend to use: *backend* itself, or for a chain (keyring's ChainerBackend, chosen
    when several backends are installed: e.g. GNOME Keyring with keyrings.alt beside it, as
    Debian desktops ship) its best secure member. A plaintext or null member is left out, so
    nothing is ever written to it or read from it."""
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        members: list[KeyringBackend] = list(backend.backends)  # highest priority first
        for member in members:
            if _name(member) not in _REFUSED_BACKENDS:
                return member
        return None
    return None if _name(backend) in _REFUSED_BACKENDS else backend


def _no_keyring() -> CredentialError:
    return CredentialError(
        "crisisdesk cannot find a secure place to keep your account password or token "
        "(no system keyring is available), so nothing was saved.",
        hint=how_to_fix(),
    )


def _backend() -> KeyringBackend:
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration file or plugin
        log.warning("keyring backend could not be loaded: %s", type(exc).__name__)
        raise _no_keyring() from None
    secure = _secure(backend)
    if secure is None:
        raise _no_keyring()
    return secure


def require_keyring() -> None:
    """Raise the CredentialError (with how to fix it) when no secure keyring backend exists."""
    _backend()


def keyring_available() -> bool:
    """Whether a secure keyring backend exists (for the GUI to warn before asking for a token)."""
    try:
        require_keyring()
    except CredentialError:
        return False
    return True


def _failure(action: str, exc: BaseException) -> CredentialError:
    # keyring's own messages could in theory echo what was passed in: never reuse them
    log.warning("keyring %s failed: %s", action, type(exc).__name__)
    if isinstance(exc, keyring.errors.NoKeyringError):
        return _no_keyring()
    if isinstance(exc, keyring.errors.KeyringLocked):
        return CredentialError(
            f"The system keyring is locked, so crisisdesk could not {action} the credential.",
            hint="Unlock your keyring (you may be asked for your login password) and try again.",
        )
    return CredentialError(
        f"The system keyring refused to {action} the credential ({type(exc).__name__}).",
        hint=how_to_fix(),
    )


def check_secret_value(value: str, what: str, *, ascii_only: bool = True) -> None:
    """Refuse a value that cannot be a working secret, with a message that never shows any
    part of it: a byte-order mark or UTF-16 text (a token file saved by Notepad or
    PowerShell), NULs, line breaks and other control characters, and (for *ascii_only*
    values: tokens sent in HTTP headers) anything outside printable ASCII."""
    if "\ufeff" in value or "\ufffe" in value:
        raise CredentialError(
            f"The {what} starts with a byte-order mark (an invisible marker some editors add), "
            "so it cannot be a working value. Nothing was saved.",
            hint="Copy the value itself, or save the file as UTF-8 without BOM, and try again.",
        )
    if "\x00" in value:
        raise CredentialError(
            f"The {what} looks like UTF-16 text (it has empty characters in it), which a "
            "token never is. Nothing was saved.",
            hint="Save the file as UTF-8 (Notepad: Save As › Encoding UTF-8), or paste the value.",
        )
    if any(not ch.isprintable() for ch in value):
        raise CredentialError(
            f"The {what} has a line break or another invisible character in it. Nothing was saved.",
            hint="Give the value on one line, exactly as the platform shows it.",
        )
    if ascii_only and not value.isascii():
        raise CredentialError(
            f"The {what} has characters a token never has (letters with accents, curly quotes "
            "or other non-ASCII characters). Nothing was saved.",
            hint="Copy the token again from the platform's page, without the text around it.",
        )


def decode_input(data: bytes, what: str) -> str:
    """Text piped in as a secret (``accounts add`` reading stdin), refusing UTF-16 and
    non-UTF-8 bytes with a clear message (never with the keyring blamed for them)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        check_secret_value("\x00", what)  # the UTF-16 message
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CredentialError(
            f"The {what} given on standard input is not UTF-8 text. Nothing was saved.",
            hint="Save the file as UTF-8, or type the value at the hidden prompt.",
        ) from None


def set_secret(key: str, value: str) -> None:
    """Store *value* under *key* (see :func:`account_key`). Raises CredentialError."""
    if not value:
        raise CredentialError(
            "The password or token is empty, so there is nothing to save.",
            hint="Paste the token again; it is read from the hidden prompt or from stdin.",
        )
    backend = _backend()
    try:
        backend.set_password(SERVICE, key, value)
    except Exception as exc:
        raise _failure("save", exc) from None
    log.debug("stored a credential for %s", key)


def get_secret(key: str) -> str | None:
    """The secret stored under *key*, or ``None`` when there is none. Raises CredentialError."""
    backend = _backend()
    try:
        value = backend.get_password(SERVICE, key)
    except Exception as exc:
        raise _failure("read", exc) from None
    return value


def delete_secret(key: str) -> bool:
    """Remove the secret under *key*; ``False`` when there was none. Raises CredentialError."""
    backend = _backend()
    try:
        backend.delete_password(SERVICE, key)
    except keyring.errors.PasswordDeleteError:
        return False
    except Exception as exc:
        raise _failure("delete", exc) from None
    log.debug("deleted the credential for %s", key)
    return True
