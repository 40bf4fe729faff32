"""Smoke checks of a built bundle: ``python3 packaging/smoke.py dist/crisisdesk [--launches N]``.

Runs the frozen executable as an owner's machine would: ``--version``, ``analyze``, ``import`` of
a small CSV (spawning the frozen scoring workers), ``demo``, ``plan export --format pdf``
headless, and the GUI under Xvfb (when ``Xvfb`` and ``xdotool`` are installed), timing the cold
start to the first mapped window. Prints one JSON object; exits 1 when a check failed.
Standard library only: it runs with whatever ``python3`` built the bundle.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CSV = (
    "id,author,text,created_at,likes\n"
    "1,@ann,My wedding cake never arrived and nobody answers the phone,2026-11-01T10:00:00Z,12\n"
    "2,@bob,Lovely sourdough as always,2026-11-01T11:00:00Z,3\n"
    "3,@cy,Still waiting for my refund after 19 days,2026-11-02T09:30:00Z,40\n"
)


def run(exe: Path, *args: str, env: dict[str, str], timeout: float = 120) -> tuple[int, str]:
    done = subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=timeout, env=env
    )
    return done.returncode, (done.stdout + done.stderr).strip()


def gui_launch(exe: Path, db: Path, env: dict[str, str], shot: Path | None) -> float:
    """Seconds from launch to the main window mapped on the X display in *env*."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(exe), "--db", str(db)], env=env)
    try:
        # poll every 20 ms (xdotool's own --sync waits in half seconds: too coarse to time)
        while True:
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", "crisisdesk"],
                env=env, capture_output=True, timeout=10,
            )  # fmt: skip
            if found.returncode == 0 and found.stdout.strip():
                break
            if time.perf_counter() - start > 60 or proc.poll() is not None:
                raise subprocess.SubprocessError("the window never appeared")
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        if shot is not None:
            time.sleep(2)  # let the inbox load its first page before the picture
            subprocess.run(["import", "-window", "root", str(shot)], env=env, check=True)
        return elapsed
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--shots", type=Path, default=None, help="folder for GUI screenshots")
    args = parser.parse_args(argv)
    exe = args.bundle / ("crisisdesk.exe" if os.name == "nt" else "crisisdesk")
    results: dict[str, object] = {}
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            HOME=str(tmp),
            XDG_CONFIG_HOME=str(tmp / "config"),
            XDG_DATA_HOME=str(tmp / "data"),
        )
        env.pop("DISPLAY", None)
        db = tmp / "smoke.sqlite3"
        # enough rows for more than one batch, so the frozen scoring workers are spawned
        extra = "".join(
            f"{n},@c{n},Order {n} never arrived and nobody answers,2026-11-03T10:00:00Z,{n % 7}\n"
            for n in range(100, 5100)
        )
        (tmp / "mentions.csv").write_text(CSV + extra, encoding="utf-8")
        checks = {
            "version": ["--version"],
            "analyze": ["analyze", "Still waiting for my refund after 19 days"],
            "import": ["--db", str(db), "import", str(tmp / "mentions.csv")],
            "mentions": ["--db", str(db), "mentions", "--json", "--search", "refund"],
            "demo": ["--db", str(db), "demo"],
            "plan_pdf": [
                "--db",
                str(db),
                "plan",
                "export",
                "--format",
                "pdf",
                "-o",
                str(tmp / "plan.pdf"),
            ],
        }
        for name, cmd in checks.items():
            code, out = run(exe, *cmd, env=env)
            ok = code == 0
            if name == "plan_pdf":
                ok = ok and (tmp / "plan.pdf").read_bytes()[:5] == b"%PDF-"
            if name == "mentions":
                ok = ok and "refund" in out
            if name == "import":  # scored by the spawned workers, not the one-process fallback
                ok = ok and "5,003 imported" in out and "one process" not in out
            results[name] = {"ok": ok, "exit": code, "output": out[-300:]}
            if not ok:
                failed.append(name)
        if shutil.which("Xvfb") and shutil.which("xdotool"):
            display = ":93"
            xvfb = subprocess.Popen(
                ["Xvfb", display, "-screen", "0", "1440x900x24"], stderr=subprocess.DEVNULL
            )
            try:
                time.sleep(1)
                wm = None
                if shutil.which("openbox"):
                    wm = subprocess.Popen(
                        ["openbox"], env=dict(env, DISPLAY=display), stderr=subprocess.DEVNULL
                    )
                genv = dict(env, DISPLAY=display, QT_QPA_PLATFORM="xcb")
                times = []
                for i in range(args.launches):
                    shot = None
                    if args.shots is not None and i == args.launches - 1:
                        args.shots.mkdir(parents=True, exist_ok=True)
                        shot = args.shots / "frozen-inbox.png"
                    times.append(gui_launch(exe, db, genv, shot))
                if args.shots is not None:  # a first start: the welcome page
                    gui_launch(exe, tmp / "empty.sqlite3", genv, args.shots / "frozen-welcome.png")
                results["gui_start_s"] = {
                    "launches": [round(t, 3) for t in times],
                    "mean": round(statistics.mean(times), 3),
                }
                if wm is not None:
                    wm.terminate()
            except (subprocess.SubprocessError, OSError) as exc:
                if args.shots is not None:  # a first start: the welcome page
                    gui_launch(exe, tmp / "empty.sqlite3", genv, args.shots / "frozen-welcome.png")
                results["gui_start_s"] = {"ok": False, "error": str(exc)}
                failed.append("gui")
            finally:
                xvfb.terminate()
        else:
            results["gui_start_s"] = "skipped: Xvfb and xdotool are not installed"
    # on disk as du counts it: links to a library are not a second copy
    size = sum(
        f.stat().st_size for f in args.bundle.rglob("*") if f.is_file() and not f.is_symlink()
    )
    results["bundle_mb"] = round(size / 1e6, 1)
    results["failed"] = failed
    print(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
