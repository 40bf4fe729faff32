"""Issue 8: the keyring chain. With keyrings.alt installed beside GNOME Keyring (as Debian
desktops ship it) keyring picks a chain [SecretService, PlaintextKeyring]; crisisdesk must save
into the Secret Service and leave the plaintext backend out.

A real GNOME Keyring in a private D-Bus session (``dbus-run-session``, ``gnome-keyring-daemon
--unlock``) with keyrings.alt installed; a token saved by ``crisisdesk accounts add`` and read
back by ``crisisdesk sync`` against the loopback Mastodon server. Skipped, with the reason,
where those programs or keyrings.alt are missing (``python3 dev.py test`` installs them).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.mastodon_site import MastodonSite
from tests.helpers.platform_server import PlatformServer

TOKEN = "real-keyring-token-4f9c2e1b"
ROOT = Path(__file__).parents[3]

_MISSING = [p for p in ("dbus-run-session", "gnome-keyring-daemon") if shutil.which(p) is None]
pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="GNOME Keyring is a Linux keyring"),
    pytest.mark.skipif(bool(_MISSING), reason=f"needs {', '.join(_MISSING)} (dev.py installs)"),
    pytest.mark.skipif(
        importlib.util.find_spec("keyrings.alt") is None,
        reason="needs keyrings.alt installed (the test extra has it)",
    ),
]

_SESSION = """
set -e
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
"$PY" -c 'import keyring; print("backends:", *[type(b).__module__ + "." + type(b).__name__
    for b in getattr(keyring.get_keyring(), "backends", [keyring.get_keyring()])])'
printf '%s\\n' "$TOKEN" | "$PY" -m crisisdesk --db "$DB" accounts add mastodon --name m \\
    --base-url "$URL"
"$PY" -m crisisdesk --db "$DB" sync
"$PY" -c 'from crisisdesk import secrets; print("stored:", secrets.get_secret("account:m"))'
"$PY" -m crisisdesk --db "$DB" accounts remove m --yes
"$PY" -c 'from crisisdesk import secrets; print("after remove:", secrets.get_secret("account:m"))'
"""


def test_a_token_goes_to_gnome_keyring_not_to_keyrings_alt_plaintext(
    tmp_path: Path, platform_server: PlatformServer
) -> None:
    site = MastodonSite(platform_server, tokens=[TOKEN])
    site.mention("The croissants were stale and nobody answered")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),
        "PYTHONPATH": str(ROOT),
        "PY": sys.executable,
        "DB": str(tmp_path / "crisisdesk.sqlite3"),
        "URL": site.url,
        "TOKEN": TOKEN,
    }
    done = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", _SESSION],
        env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    out = done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    # the situation of the issue: a chain with keyrings.alt's plaintext backend in it
    assert "keyring.backends.SecretService.Keyring" in out
    assert "keyrings.alt.file.PlaintextKeyring" in out
    assert "Added Mastodon account 'm'" in out
    assert "m (mastodon): 1 new" in out
    assert f"stored: {TOKEN}" in out and "after remove: None" in out
    # saved through the Secret Service: GNOME Keyring's file exists, keyrings.alt's does not,
    # and the token is in no file in plaintext (the keyring file is encrypted)
    assert list((home / ".local" / "share" / "keyrings").glob("*.keyring"))
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert "keyring_pass.cfg" not in path.name
            assert TOKEN.encode() not in path.read_bytes(), path
    request = platform_server.requests_to("GET", "/api/v1/notifications")[0]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
