#!/usr/bin/env python3
"""Set up and run crisisdesk from a fresh checkout with nothing but Python 3.11+.

    python3 dev.py run [ARGS...]   create .venv, install crisisdesk, start the app (or a command)
    python3 dev.py test [PYTEST ARGS...]
                                   create .venv, install crisisdesk with test tools, run the whole
                                   test suite, then ruff, mypy and the import-linter contracts
    python3 dev.py check           only ruff, mypy and import-linter
    python3 dev.py package [--check] [--dist DIR]
                                   build the installable app into dist/crisisdesk/ (PyInstaller,
                                   packaging/crisisdesk.spec); --check then runs the smoke checks
                                   of packaging/smoke.py on it (version, analyze, import, demo,
                                   plan PDF, the GUI under Xvfb) and prints their figures

On Windows use ``py dev.py ...``. Only the standard library is used here.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
# Debian/Ubuntu libraries Qt needs even offscreen; installed only when missing and we are root
QT_SYSTEM_LIBS = {
    "EGL": "libegl1",
    "GL": "libgl1",
    "xkbcommon": "libxkbcommon0",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
    "glib-2.0": "libglib2.0-0",
}


# programs the real-keyring test runs (GNOME Keyring's Secret Service in a private D-Bus
# session, tests/unit/integrity/test_real_keyring.py): program -> Debian package; `test` installs
# them when missing and we are root, otherwise the test is skipped with the reason
KEYRING_TEST_PROGRAMS = {
    "dbus-run-session": "dbus-daemon",
    "gnome-keyring-daemon": "gnome-keyring",
}


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def sh(*cmd: str | Path) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT)


def ensure_venv(extras: str) -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an old python3
        sys.exit(f"crisisdesk needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    py = venv_python()
    if not py.exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True, clear=VENV.exists())
    if not installed(extras):
        spec = f".[{extras}]" if extras else "."
        if sh(py, "-m", "pip", "install", "--quiet", "--upgrade", "pip") != 0:
            sys.exit("Could not update pip in .venv.")
        if sh(py, "-m", "pip", "install", "--quiet", "-e", spec) != 0:
            sys.exit("Installing crisisdesk into .venv failed; see the messages above.")
        write_stamp(extras)
    return py


#: one stamp for the one .venv: "<pyproject digest> <extras installed>" ("dev" includes the app)
STAMP = ".install-stamp"


def _pyproject_digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def installed(extras: str) -> bool:
    """Whether .venv holds crisisdesk for this pyproject.toml with *extras* (or more): `run`
    after `test` reuses the test install instead of installing again."""
    stamp = VENV / STAMP
    if not stamp.exists():
        return False
    digest, _, have = stamp.read_text().strip().partition(" ")
    return digest == _pyproject_digest() and (not extras or extras in have.split(","))


def write_stamp(extras: str) -> None:
    stamp = VENV / STAMP
    have: set[str] = set()
    if stamp.exists():
        digest, _, old = stamp.read_text().strip().partition(" ")
        if digest == _pyproject_digest():
            have = {e for e in old.split(",") if e}
    if extras:
        have.add(extras)
    stamp.write_text(f"{_pyproject_digest()} {','.join(sorted(have))}")


def ensure_qt_system_libs(*, for_tests: bool = False) -> None:
    """On a bare Debian/Ubuntu (CI), install the few shared libraries Qt loads (and, for the
    tests, the programs of the real-keyring test)."""
    if not sys.platform.startswith("linux") or shutil.which("apt-get") is None:
        return
    missing = [pkg for lib, pkg in QT_SYSTEM_LIBS.items() if ctypes.util.find_library(lib) is None]
    if for_tests:
        missing += [p for prog, p in KEYRING_TEST_PROGRAMS.items() if shutil.which(prog) is None]
    if not missing:
        return
    if os.geteuid() != 0:
        print("Qt needs these system packages: " + " ".join(missing), file=sys.stderr)
        print("Install them with: sudo apt-get install " + " ".join(missing), file=sys.stderr)
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.call(["apt-get", "update", "-q"], env=env)
    subprocess.call(["apt-get", "install", "-y", "-q", *missing], env=env)


def lint(py: Path) -> int:
    failed = 0
    for cmd in (
        (py, "-m", "ruff", "check", "."),
        (py, "-m", "ruff", "format", "--check", "."),
        (py, "-m", "mypy"),
        (VENV / ("Scripts" if os.name == "nt" else "bin") / "lint-imports",),
    ):
        if sh(*cmd) != 0:
            failed = 1
    return failed


def package(rest: list[str]) -> int:
    check = "--check" in rest
    dist = ROOT / "dist"
    if "--dist" in rest:
        dist = Path(rest[rest.index("--dist") + 1]).resolve()
    ensure_qt_system_libs()
    py = ensure_venv("package")
    work = dist.parent / "build" if dist != ROOT / "dist" else ROOT / "build"
    started = time.perf_counter()
    code = sh(
        py,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        dist,
        "--workpath",
        work,
        ROOT / "packaging" / "crisisdesk.spec",
    )
    if code != 0:
        print("The build failed; see the messages above.", file=sys.stderr)
        return code
    print(f"Built {dist / 'crisisdesk'} in {time.perf_counter() - started:.0f} s", flush=True)
    if not check:
        return 0
    shots = ROOT / "shots"
    return sh(
        sys.executable, ROOT / "packaging" / "smoke.py", dist / "crisisdesk", "--shots", shots
    )


def main(argv: list[str]) -> int:
    if argv and argv[0] == "package":
        return package(argv[1:])
    if not argv or argv[0] not in {"run", "test", "check"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        ensure_qt_system_libs()
        py = ensure_venv("")
        return subprocess.call([str(py), "-m", "crisisdesk", *rest], cwd=ROOT)
    py = ensure_venv("dev")
    if command == "check":
        return lint(py)
    ensure_qt_system_libs(for_tests=True)
    # pytest's exit code 5 ("no tests ran") is a failure here, like any other non-zero code
    code = sh(py, "-m", "pytest", *rest)
    if code != 0:
        print(f"pytest exited with {code}", file=sys.stderr)
        return code
    return lint(py)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
