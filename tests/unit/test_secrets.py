"""secrets.py: the keyring wrapper refuses insecure backends and never leaks a secret."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked, PasswordSetError

from crisisdesk import secrets
from crisisdesk.errors import CredentialError
from tests.helpers.keyring_backend import MemoryKeyring

TOKEN = "tok-SuperSecret-1234567890"


@pytest.fixture
def use_backend() -> Any:
    previous = keyring.get_keyring()

    def install(backend: Any) -> None:
        keyring.set_keyring(backend)

    yield install
    keyring.set_keyring(previous)


class ExplodingKeyring(MemoryKeyring):
    """A backend whose errors echo what they were given (some real ones do)."""

    def __init__(self, exc: type[Exception]) -> None:
        super().__init__()
        self.exc = exc

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.exc(f"cannot store {password} for {username}")

    get_password = set_password  # type: ignore[assignment]


def test_round_trip_with_one_service_name(memory_keyring: MemoryKeyring) -> None:
    key = secrets.account_key("bakery-mastodon")
    secrets.set_secret(key, TOKEN)
    assert secrets.get_secret(key) == TOKEN
    assert memory_keyring.store == {("crisisdesk", "account:bakery-mastodon"): TOKEN}
    assert secrets.delete_secret(key) is True
    assert secrets.get_secret(key) is None
    assert secrets.delete_secret(key) is False


def test_account_and_session_keys_differ() -> None:
    assert secrets.account_key("a") != secrets.session_key("a")


def test_secret_values_are_never_logged(memory_keyring: MemoryKeyring, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    secrets.set_secret(secrets.account_key("x"), TOKEN)
    secrets.get_secret(secrets.account_key("x"))
    secrets.delete_secret(secrets.account_key("x"))
    assert TOKEN not in caplog.text


def test_empty_secret_is_refused(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(CredentialError):
        secrets.set_secret(secrets.account_key("x"), "")
    assert memory_keyring.store == {}


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring()],
    ids=["fail", "null"],
)
def test_no_usable_backend_is_a_clear_error(use_backend: Any, backend: Any, caplog: Any) -> None:
    use_backend(backend)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(CredentialError) as info:
        secrets.set_secret(secrets.account_key("bakery"), TOKEN)
    text = info.value.user_text()
    assert "keyring" in text and "nothing was saved" in text
    assert info.value.hint == secrets.how_to_fix()
    assert TOKEN not in text and TOKEN not in caplog.text
    assert secrets.keyring_available() is False
    with pytest.raises(CredentialError):
        secrets.get_secret(secrets.account_key("bakery"))


def test_empty_chainer_is_not_usable(use_backend: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    use_backend(chainer.ChainerBackend())
    with pytest.raises(CredentialError):
        secrets.require_keyring()


def test_chainer_over_a_secure_backend_is_usable(
    use_backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = MemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [inner])
    use_backend(chainer.ChainerBackend())
    secrets.set_secret("account:a", TOKEN)
    assert inner.store[("crisisdesk", "account:a")] == TOKEN


def test_nothing_is_written_to_disk_without_a_keyring(use_backend: Any) -> None:
    use_backend(fail.Keyring())
    home = Path(os.environ["XDG_DATA_HOME"]).parent  # the per-test data/config/cache/state dirs
    with pytest.raises(CredentialError):
        secrets.set_secret("account:a", TOKEN)
    for path in home.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


def test_locked_keyring_says_unlock(use_backend: Any) -> None:
    use_backend(ExplodingKeyring(KeyringLocked))
    with pytest.raises(CredentialError) as info:
        secrets.set_secret("account:a", TOKEN)
    assert "locked" in str(info.value) and "Unlock" in info.value.hint
    assert TOKEN not in info.value.user_text()
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_backend_errors_never_echo_the_secret(use_backend: Any) -> None:
    use_backend(ExplodingKeyring(PasswordSetError))
    with pytest.raises(CredentialError) as info:
        secrets.set_secret("account:a", TOKEN)
    assert TOKEN not in info.value.user_text()
    assert "PasswordSetError" in str(info.value)


@pytest.mark.parametrize(
    ("platform", "words"),
    [
        ("linux", ("GNOME Keyring", "KWallet", "Secret Service")),
        ("darwin", ("Keychain",)),
        ("win32", ("Credential Locker",)),
    ],
)
def test_how_to_fix_names_the_fix_per_os(
    monkeypatch: pytest.MonkeyPatch, platform: str, words: tuple[str, ...]
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    advice = secrets.how_to_fix()
    for word in words:
        assert word in advice
