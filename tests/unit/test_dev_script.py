"""dev.py keeps one install stamp: `run` after `test` does not install again (issue 9.26)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    venv = tmp_path / ".venv"
    python = venv / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    monkeypatch.setattr(module, "VENV", venv)
    monkeypatch.setattr(module, "venv_python", lambda: python)
    module.calls = []
    monkeypatch.setattr(module, "sh", lambda *cmd: module.calls.append(cmd) or 0)
    return module


def installs(dev) -> int:
    return sum(1 for cmd in dev.calls if "-e" in cmd)


@pytest.mark.skipif(sys.platform == "win32", reason="the fixture fakes a POSIX venv")
def test_run_after_test_reuses_the_install(dev):
    dev.ensure_venv("dev")  # dev.py test
    assert installs(dev) == 1
    dev.ensure_venv("")  # dev.py run
    dev.ensure_venv("dev")
    assert installs(dev) == 1


def test_test_after_run_installs_the_test_tools_once(dev):
    dev.ensure_venv("")
    dev.ensure_venv("dev")
    dev.ensure_venv("dev")
    dev.ensure_venv("")
    assert installs(dev) == 2


def test_a_changed_pyproject_installs_again(dev, monkeypatch):
    dev.ensure_venv("")
    monkeypatch.setattr(dev, "_pyproject_digest", lambda: "changed")
    dev.ensure_venv("")
    assert installs(dev) == 2
