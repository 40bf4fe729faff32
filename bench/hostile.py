#!/usr/bin/env python3
"""Issue 8's hostile list, re-run: one line per probe (PASS/FAIL, defect, what was tried) and a
total. Only loopback servers (127.0.0.1) and temporary files; every probe runs the real
``crisisdesk`` command in a subprocess where the defect was seen there.

    .venv/bin/python bench/hostile.py [--only 7] [--keep]

Not part of the test suite (about a minute on a quiet machine: it writes a 200 MB cell and
waits out a trickling server); the regression tests in tests/unit/integrity/ cover the same
defects quickly. Exit code: the number of failed probes (0: all held).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers.hostile_server import HostileServer  # noqa: E402
from tests.helpers.platform_server import PlatformServer as _Server  # noqa: E402
from tests.helpers.platform_server import Reply  # noqa: E402


class PlatformServer(_Server):
    """The loopback platform server of the tests, closed at the end of a ``with``."""

    def __enter__(self) -> PlatformServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


ESC = "\x1b"
Probe = tuple[str, str, Callable[["Run"], str | None]]  # defect, what, check -> None or why


class Run:
    """A fresh temp folder per probe, and ``crisisdesk`` run as a user would."""

    def __init__(self, folder: Path) -> None:
        self.dir = folder
        self.db = folder / "crisisdesk.sqlite3"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "HOME": str(folder / "home"),
            "XDG_DATA_HOME": str(folder / "home" / "data"),
            "XDG_CONFIG_HOME": str(folder / "home" / "config"),
        }
        self.env.pop("CRISISDESK_DB", None)

    def cli(
        self, *argv: str, stdin: bytes = b"", timeout: float = 120, db: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "crisisdesk", "--db", str(db or self.db), *argv]
        done = subprocess.run(cmd, input=stdin, capture_output=True, env=self.env, timeout=timeout)
        return subprocess.CompletedProcess(
            cmd, done.returncode, done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
        )  # fmt: skip

    def file(self, name: str, content: str | bytes) -> Path:
        path = self.dir / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
        return path

    def texts(self) -> list[str]:
        with sqlite3.connect(self.db) as conn:
            return sorted(r[0] for r in conn.execute("SELECT text FROM mentions"))

    def dates(self) -> list[str]:
        with sqlite3.connect(self.db) as conn:
            return sorted(r[0] for r in conn.execute("SELECT created_at FROM mentions"))


def no_traceback(done: subprocess.CompletedProcess[str]) -> str | None:
    if "Traceback" in done.stderr:
        return "traceback: " + done.stderr.strip().splitlines()[-1][:120]
    return None


def first(*checks: str | None) -> str | None:
    return next((c for c in checks if c), None)


# --- 1-4: incoming data ----------------------------------------------------------------------


def dup_across_files(r: Run) -> str | None:
    r.cli("import", str(r.file("a.csv", "id,text\n1,Cake was lovely\n")))
    done = r.cli("import", str(r.file("b.csv", "id,text\n1,Food poisoning after your pie\n")))
    if "Food poisoning after your pie" not in r.texts():
        return "the second post was dropped: " + done.stdout.splitlines()[0]
    return first(no_traceback(done), None if "different post" in done.stdout else "not reported")


def dup_in_file(r: Run) -> str | None:
    r.cli("import", str(r.file("c.csv", "id,text\n1,Lovely\n1,Awful and cold\n1,Lovely\n")))
    return None if r.texts() == ["Awful and cold", "Lovely"] else f"stored {r.texts()}"


def reimport_idempotent(r: Run) -> str | None:
    path = r.file("c.csv", "id,text\n1,Lovely\n1,Awful and cold\n")
    r.cli("import", str(path))
    done = r.cli("import", str(path))
    return None if "0 imported" in done.stdout else done.stdout.splitlines()[0]


PLAIN = [
    "Ok <b>so</b>: <style> matters. I got food poisoning, refund",
    "<a zero> stars",
    "<i think> it was off",
    "bring <cheesecake> back",
    "<script> never closed, refund please",
]


def plain_text_kept(r: Run) -> str | None:
    rows = "".join(f'"{t}"\n' for t in PLAIN)
    r.cli("import", str(r.file("p.csv", "text\n" + rows)))
    lost = [t for t in PLAIN if t not in r.texts()]
    return f"altered: {lost[0]!r}" if lost else None


def scored_as_complaint(r: Run) -> str | None:
    r.cli("import", str(r.file("p.csv", f'text\n"{PLAIN[0]}"\n')))
    with sqlite3.connect(r.db) as conn:
        label, priority = conn.execute("SELECT label, priority FROM mentions").fetchone()
    return None if label != "positive" and priority > 0 else f"{label}, priority {priority}"


def no_invented_dates(r: Run) -> str | None:
    rows = ["-1", "10", "1.5", "2026", "Tuesday"]
    done = r.cli(
        "import", str(r.file("d.csv", "text,date\n" + "".join(f"t{v},{v}\n" for v in rows)))
    )
    return first(no_traceback(done), f"stored dates {r.dates()}" if r.dates() else None)


def day_month_order(r: Run) -> str | None:
    r.cli("import", str(r.file("o.csv", "text,date\nb,13/2/2026\nc,1/2/2026\nd,3/1/2026\n")))
    with sqlite3.connect(r.db) as conn:
        got = dict(conn.execute("SELECT text, substr(created_at, 1, 10) FROM mentions"))
    want = {"b": "2026-02-13", "c": "2026-02-01", "d": "2026-01-03"}
    return None if got == want else f"dates {got}"


def one_bad_byte(r: Run) -> str | None:
    body = "".join(f"{n},café {n}\n" for n in range(5000)).encode()
    done = r.cli("import", str(r.file("m.csv", b"id,text\n" + body + b"5000,caf\xe9\n")))
    mangled = [t for t in r.texts() if "Ã" in t]
    return first(no_traceback(done), f"{len(mangled)} rows mangled" if mangled else None)


# --- 5-7: secrets and the terminal -------------------------------------------------------------


_WITH_KEYRING = (
    "import keyring, sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "from tests.helpers.keyring_backend import MemoryKeyring\n"
    "keyring.set_keyring(MemoryKeyring())\n"
    "from crisisdesk.cli import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


def token_rejections(r: Run) -> str | None:
    for token in (b"tok\x00en", "token".encode("utf-16"), "tök".encode(), b"\xef\xbb\xbftok"):
        argv = ["--db", str(r.db), "accounts", "add", "mastodon", "--name", "m",
                "--base-url", "https://m.example"]  # fmt: skip
        raw = subprocess.run(
            [sys.executable, "-c", _WITH_KEYRING, str(ROOT), *argv],
            input=token + b"\n", capture_output=True, env=r.env, timeout=60,
        )  # fmt: skip
        done = subprocess.CompletedProcess(
            argv, raw.returncode, raw.stdout.decode(errors="replace"),
            raw.stderr.decode(errors="replace"),
        )  # fmt: skip
        if done.returncode != 2 or "Nothing was saved" not in done.stderr:
            return f"{token!r}: exit {done.returncode} {done.stderr.strip()[:100]}"
        if no_traceback(done):
            return no_traceback(done)
    return None


def legacy_token_not_in_db(r: Run) -> str | None:
    # an old version let a UTF-16 token in: sync must not write any part of it anywhere
    code = (
        "import keyring, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from tests.helpers.keyring_backend import MemoryKeyring\n"
        "k = MemoryKeyring(); keyring.set_keyring(k)\n"
        "from crisisdesk import secrets\n"
        "from crisisdesk.cli import main\n"
        "from crisisdesk.store import open_database, accounts\n"
        "db = open_database(sys.argv[2])\n"
        "accounts.add(db, platform='mastodon', name='m', base_url=sys.argv[3])\n"
        "db.close()\n"
        "k.set_password('crisisdesk', 'account:m', 'TF'.encode('utf-16-le').decode('latin-1'))\n"
        "main(['--db', sys.argv[2], 'sync'])\n"
    )
    with PlatformServer() as server:
        done = subprocess.run(
            [sys.executable, "-c", code, str(ROOT), str(r.db), server.url],
            capture_output=True, text=True, env=r.env, timeout=60,
        )  # fmt: skip
    with sqlite3.connect(r.db) as conn:
        stored = " ".join(str(v) for row in conn.execute("SELECT * FROM accounts") for v in row)
    leak = any(s in stored + done.stderr for s in ("T\x00F", "\\x00", "Bearer"))
    return first(no_traceback(done), "token material stored or printed" if leak else None)


def escapes_in_cells(r: Run) -> str | None:
    path = r.file("e.csv", f"text,date\nok,{ESC}[2J{ESC}]0;owned\x07\n")
    done = r.cli("import", str(path))
    bad = ESC in done.stdout + done.stderr or "\x07" in done.stdout + done.stderr
    return "raw escape reached the terminal" if bad else None


def escapes_in_headers(r: Run) -> str | None:
    done = r.cli("import", str(r.file("h.csv", f"{ESC}]0;owned\x07,x\na,b\n")))
    return "raw escape reached the terminal" if ESC in done.stdout + done.stderr else None


def escapes_from_server(r: Run) -> str | None:
    with PlatformServer() as server:
        server.route(
            "GET", "/api/v1/accounts/verify_credentials",
            Reply.json({"error": f"{ESC}]0;pwned\x07{ESC}[2J"}, status=400),
        )  # fmt: skip
        server.route("GET", "/api/v1/notifications", Reply.json({"error": f"{ESC}[5m"}, 400))
        code = (
            "import keyring, sys\n"
            "sys.path.insert(0, sys.argv[1])\n"
            "from tests.helpers.keyring_backend import MemoryKeyring\n"
            "keyring.set_keyring(MemoryKeyring())\n"
            "from crisisdesk.cli import main\n"
            "import io; sys.stdin = io.StringIO('good-token\\n')\n"
            "main(['--db', sys.argv[2], 'accounts', 'add', 'mastodon', '--name', 'm',"
            " '--base-url', sys.argv[3]])\n"
            "for argv in (['accounts', 'test', 'm'], ['sync'], ['accounts', 'list']):\n"
            "    main(['--db', sys.argv[2], *argv])\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(ROOT), str(r.db), server.url],
            capture_output=True, text=True, env=r.env, timeout=60,
        )  # fmt: skip
    bad = ESC in done.stdout + done.stderr or "\x07" in done.stdout + done.stderr
    return first(no_traceback(done), "raw escape reached the terminal" if bad else None)


# --- 8-13: robustness -------------------------------------------------------------------------


def while_locked(*command: str) -> Callable[[Run], str | None]:
    def probe(r: Run) -> str | None:
        r.cli("demo", "--count", "20")
        r.cli("accounts", "add", "feeds", "--name", "old", "--base-url", "https://f.example/rss")
        r.file("new.csv", "text\na new post\n")
        argv = tuple(a.replace("FILE", str(r.dir / "new.csv")) for a in command)
        holder = sqlite3.connect(r.db, isolation_level=None, timeout=1)
        holder.execute("BEGIN IMMEDIATE")  # what a running import holds
        try:
            done = r.cli(*argv)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        if "busy with another change" not in done.stderr:
            return f"exit {done.returncode}: {done.stderr.strip()[-120:]}"
        return no_traceback(done)

    return probe


def sync_locked(r: Run) -> str | None:
    rss = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>Stale"
        "</title><link>https://r.example/1</link><guid>1</guid><description>stale bread"
        "</description><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    with PlatformServer() as server:
        server.route(
            "GET", "/rss", Reply(headers={"Content-Type": "application/rss+xml"}, body=rss)
        )
        r.cli("accounts", "add", "feeds", "--name", "f", "--base-url", server.url + "/rss")
        holder = sqlite3.connect(r.db, isolation_level=None, timeout=1)
        holder.execute("BEGIN IMMEDIATE")
        try:
            done = r.cli("sync")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    if "busy with another change" not in done.stderr or "feeds" in done.stderr.split("busy")[0]:
        return f"exit {done.returncode}: {done.stderr.strip()[-160:]}"
    return no_traceback(done)


def import_pipe(r: Run) -> str | None:
    src = r.file("a.csv", "text\nfrom a pipe\n")
    done = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m crisisdesk --db {r.db} import <(cat {src})"],
        capture_output=True, text=True, env=r.env, timeout=60,
    )  # fmt: skip
    return first(no_traceback(done), None if r.texts() == ["from a pipe"] else done.stderr[-100:])


def import_stdin(r: Run) -> str | None:
    done = r.cli("import", "/dev/stdin", stdin=b"text\nfrom stdin\n")
    return first(no_traceback(done), None if r.texts() == ["from stdin"] else done.stderr[-100:])


def import_fifo(r: Run) -> str | None:
    fifo = r.dir / "fifo.csv"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["bash", "-c", f"printf 'text\\nfrom a fifo\\n' > {fifo}"])
    done = r.cli("import", str(fifo))
    writer.wait(10)
    return first(no_traceback(done), None if r.texts() == ["from a fifo"] else done.stderr[-100:])


def import_dev_zero(r: Run) -> str | None:
    try:
        done = r.cli("import", "/dev/zero", timeout=20)
    except subprocess.TimeoutExpired:
        return "still running after 20 s"
    return first(no_traceback(done), None if "device" in done.stderr else done.stderr[-100:])


def deep_json(r: Run) -> str | None:
    done = r.cli("import", str(r.file("d.json", '[{"text":"a","x":' + "[" * 100_000)))
    return first(no_traceback(done), None if len(done.stderr) < 400 else "long error")


def json_arrays_as_json(r: Run) -> str | None:
    for content in ("[[[" + "1," * 50_000 + "1]]]", '[1,"x",{"text":"ok"}]'):
        done = r.cli("import", str(r.file("j.json", content)))
        said = done.stdout + done.stderr
        if no_traceback(done) or "CSV" in said or "its columns" in said or len(said) > 2000:
            return f"read as CSV or long output ({len(done.stdout + done.stderr)} chars)"
    return None


def damaged_db(r: Run) -> str | None:
    r.cli("demo", "--count", "3000")
    with sqlite3.connect(r.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(r.db.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096
    data[middle : middle + 4096] = b"\xa5" * 4096
    r.db.write_bytes(bytes(data))
    before = r.db.read_bytes()
    done = r.cli("mentions", "--limit", "5000")
    if no_traceback(done):
        return no_traceback(done)
    if "damaged" not in done.stderr or "backup" not in done.stderr:
        return done.stderr[-120:]
    return None if r.db.read_bytes() == before else "bytes changed"


def read_only_db(r: Run) -> str | None:
    r.cli("demo", "--count", "20")
    new = r.file("new.csv", "text\na new post\n")
    r.db.chmod(0o444)
    r.dir.chmod(0o555)
    try:
        if os.access(r.db, os.W_OK):  # root writes anyway: check the read-only open path
            env = dict(r.env)
            code = (
                "import sys; sys.path.insert(0, sys.argv[1])\n"
                "from crisisdesk.store import db\n"
                "db._writable = lambda path: False\n"
                "from crisisdesk.cli import main\n"
                "sys.exit(main(['--db', sys.argv[2], *sys.argv[3:]]))\n"
            )
            runs = [
                subprocess.run(
                    [sys.executable, "-c", code, str(ROOT), str(r.db), *argv],
                    capture_output=True,
                    text=True,
                    env=env,
                    timeout=60,
                )
                for argv in (["mentions"], ["import", str(new)])
            ]
        else:
            runs = [r.cli("mentions"), r.cli("import", str(new))]
    finally:
        r.dir.chmod(0o755)
        r.db.chmod(0o644)
    reading, writing = runs
    if reading.returncode != 0 or "damaged" in reading.stderr:
        return f"reading failed: {reading.stderr[-120:]}"
    return first(no_traceback(writing), None if "read-only" in writing.stderr else "no read-only")


def search(query: str, expect_code: int = 0, expect: str = "") -> Callable[[Run], str | None]:
    def probe(r: Run) -> str | None:
        r.cli("demo", "--count", "50")
        done = r.cli("mentions", "--search", query)
        if no_traceback(done):
            return no_traceback(done)
        if done.returncode != expect_code or expect not in done.stderr:
            return f"exit {done.returncode}: {done.stderr.strip()[:120]}"
        if "crisisdesk: crisisdesk" in done.stderr:
            return "names the program twice"
        return None

    return probe


# --- 15-19 ----------------------------------------------------------------------------------------


def trickle(r: Run) -> str | None:
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1])\n"
        "from crisisdesk.sources.platforms import http\n"
        "from crisisdesk.errors import PlatformError\n"
        "t = time.monotonic()\n"
        "try:\n"
        "    with http.make_client() as c: http.send(c, 'GET', sys.argv[2], idempotent=True)\n"
        "except PlatformError as e: print(round(time.monotonic() - t), e)\n"
    )
    with HostileServer("trickle", interval=5.0) as server:
        done = subprocess.run(
            [sys.executable, "-c", code, str(ROOT), server.url + "/api/v1/x"],
            capture_output=True, text=True, env=r.env, timeout=150,
        )  # fmt: skip
    seconds = int(done.stdout.split()[0]) if done.stdout[:1].isdigit() else 999
    return first(no_traceback(done), None if seconds <= 70 else f"took {seconds} s")


def huge_response(r: Run) -> str | None:
    code = (
        "import sys, resource; sys.path.insert(0, sys.argv[1])\n"
        "from crisisdesk.sources.platforms import http\n"
        "from crisisdesk.errors import PlatformError\n"
        "try:\n"
        "    with http.make_client() as c: http.send(c, 'GET', sys.argv[2], idempotent=True)\n"
        "except PlatformError as e: print(e)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    with HostileServer("huge") as server:
        done = subprocess.run(
            [sys.executable, "-c", code, str(ROOT), server.url + "/big"],
            capture_output=True, text=True, env=r.env, timeout=120,
        )  # fmt: skip
    lines = done.stdout.split("\n")
    peak = int(lines[1]) if len(lines) > 1 and lines[1].isdigit() else 99999
    if "larger than" not in done.stdout:
        return done.stdout[:100] + done.stderr[-100:]
    return first(no_traceback(done), None if peak < 300 else f"peak {peak} MB")


def broken_pipe(*argv: str, stdin: str = "") -> Callable[[Run], str | None]:
    def probe(r: Run) -> str | None:
        r.cli("demo", "--count", "500")
        rows = "".join(f"row {n},nodate{n}\n" for n in range(3000))
        src = r.file("many.csv", "text,date\n" + rows)
        args = " ".join(a.replace("FILE", str(src)) for a in argv)
        done = subprocess.run(
            ["bash", "-c", f"{sys.executable} -m crisisdesk --db {r.db} {args} < {src} | head -1"],
            capture_output=True, text=True, env=r.env, timeout=120,
        )  # fmt: skip
        return first(no_traceback(done), "BrokenPipe" if "BrokenPipe" in done.stderr else None)

    return probe


def orphans(sig: signal.Signals) -> Callable[[Run], str | None]:
    def probe(r: Run) -> str | None:
        rows = "".join(f"the cake number {n} was stale and cold,{n}\n" for n in range(300_000))
        src = r.file("big.csv", "text,id\n" + rows)
        importer = subprocess.Popen(
            [sys.executable, "-m", "crisisdesk", "--db", str(r.db), "import", str(src)],
            env=r.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        kids: list[int] = []
        ends = time.monotonic() + 60
        while len(kids) < 2 and time.monotonic() < ends and importer.poll() is None:
            time.sleep(0.2)
            kids = _children(importer.pid)
        if not kids:
            importer.kill()
            return "no workers started"
        importer.send_signal(sig)
        importer.wait(10)
        ends = time.monotonic() + 10
        while [k for k in kids if _alive(k)] and time.monotonic() < ends:
            time.sleep(0.2)
        left = [k for k in kids if _alive(k)]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        return f"{len(left)} of {len(kids)} children alive 10 s later" if left else None

    return probe


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == str(pid):
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def limit_overflow(r: Run) -> str | None:
    r.cli("demo", "--count", "20")
    done = r.cli("mentions", "--limit", "99999999999999999999")
    return first(no_traceback(done), None if done.returncode == 0 else done.stderr[-100:])


# --- also: the 200 MB cell, a count that is no number, the keyring chain --------------------------


def huge_cell(r: Run) -> str | None:
    path = r.dir / "huge.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write('text,author\nbefore,ann\n"')
        for _ in range(200):
            fh.write("x" * (1 << 20))
        fh.write('",bob\nafter,cy\n')
    code = (
        "import re, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1])\n"
        "from crisisdesk.store import open_database\n"
        "from crisisdesk.services.importing import import_file\n"
        "rep = import_file(open_database(sys.argv[3]), Path(sys.argv[2]))\n"
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
        "print(rep.imported, rep.skipped, int(hwm) // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(path), str(r.db)],
        capture_output=True, text=True, env=r.env, timeout=300,
    )  # fmt: skip
    if no_traceback(done) or len(done.stdout.split()) != 3:
        return no_traceback(done) or done.stderr[-120:]
    imported, skipped, peak = map(int, done.stdout.split())
    if (imported, skipped) != (2, 1):
        return f"{imported} imported, {skipped} skipped"
    return None if peak < 400 else f"peak {peak} MB"


def bad_count(r: Run) -> str | None:
    done = r.cli("import", str(r.file("l.csv", "text,likes\nkept,abc\n")))
    return first(no_traceback(done), None if r.texts() == ["kept"] else "the row was lost")


def keyring_chain(r: Run) -> str | None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import keyring\n"
        "from keyring.backends.chainer import ChainerBackend\n"
        "from tests.helpers.keyring_backend import MemoryKeyring\n"
        "class Plain(MemoryKeyring): pass\n"
        "Plain.__module__, Plain.__qualname__ = 'keyrings.alt.file', 'PlaintextKeyring'\n"
        "secure, plain = MemoryKeyring(), Plain()\n"
        "class Chain(ChainerBackend):\n"
        "    backends = property(lambda self: [secure, plain])\n"
        "keyring.set_keyring(Chain())\n"
        "from crisisdesk import secrets\n"
        "secrets.set_secret('account:x', 'tok-123')\n"
        "print(bool(secure.store), bool(plain.store))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, env=r.env
    )
    return first(no_traceback(done), None if done.stdout.split() == ["True", "False"] else "no")


PROBES: list[Probe] = [
    ("1", "a different text under a stored id is kept", dup_across_files),
    ("1", "repeated ids in one file keep each different text", dup_in_file),
    ("1", "re-importing that file adds nothing", reimport_idempotent),
    ("2", "plain text with <b>, <style>, <a zero>, <i think>, <cheesecake> kept", plain_text_kept),
    ("2", "the food-poisoning post is not scored positive", scored_as_complaint),
    ("3", "dates -1, 10, 1.5, 2026, Tuesday are not invented", no_invented_dates),
    ("3", "13/2/2026 then 1/2/2026: one day/month order", day_month_order),
    ("4", "one cp1252 byte after 5,000 UTF-8 rows", one_bad_byte),
    ("5/6", "NUL, UTF-16, BOM and non-ASCII tokens refused clearly", token_rejections),
    ("5", "a stored UTF-16 token never reaches the database", legacy_token_not_in_db),
    ("7", "escape sequences in file cells", escapes_in_cells),
    ("7", "escape sequences in CSV headers", escapes_in_headers),
    ("7", "escape sequences from a server (test, sync, list)", escapes_from_server),
    ("8", "demo while an import holds the lock", while_locked("demo", "--count", "30")),
    (
        "8",
        "accounts add while locked",
        while_locked(
            "accounts", "add", "feeds", "--name", "f", "--base-url", "https://feed.example/rss"
        ),
    ),
    ("8", "accounts remove while locked", while_locked("accounts", "remove", "old", "--yes")),
    ("8", "import while locked", while_locked("import", "FILE")),
    ("8", "sync while locked (a feed on 127.0.0.1)", sync_locked),
    ("9", "import <(cat f.csv)", import_pipe),
    ("9", "import /dev/stdin from a pipe", import_stdin),
    ("9", "import a FIFO", import_fifo),
    ("9", "import /dev/zero", import_dev_zero),
    ("10", "JSON nested 100,000 deep", deep_json),
    ("11", '[[[... and [1,"x",{...}] read as JSON', json_arrays_as_json),
    ("12", "a damaged page mid-file", damaged_db),
    ("13", "a read-only database file in a read-only folder", read_only_db),
    ("14", "1,000 emoji terms", search(" ".join(["🎂"] * 1000), 2, "at most")),
    ("14", "150 terms joined by OR", search(" OR ".join(f"w{n}" for n in range(150)))),
    ("14", "never came OR refund", search("never came OR refund")),
    ("14", "an unclosed quote names the program once", search('"late', 2, "quote")),
    ("15", "a server trickling a byte every 5 s", trickle),
    ("16", "an endless response", huge_response),
    ("17", "mentions | head -1", broken_pipe("mentions", "--limit", "500")),
    ("17", "analyze | head -1", broken_pipe("analyze")),
    ("17", "import | head -1", broken_pipe("import", "FILE")),
    ("18", "workers after SIGKILL of an import", orphans(signal.SIGKILL)),
    ("18", "workers after SIGTERM of an import", orphans(signal.SIGTERM)),
    ("19", "mentions --limit 99999999999999999999", limit_overflow),
    ("+", "a 200 MB CSV cell", huge_cell),
    ("+", "likes=abc keeps the row", bad_count),
    ("+", "keyring chain [secure, keyrings.alt plaintext]", keyring_chain),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="run the probes of this defect number only")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = parser.parse_args()
    failed = ran = 0
    started = time.monotonic()
    for defect, what, check in PROBES:
        if args.only and args.only not in defect.split("/"):
            continue
        folder = Path(tempfile.mkdtemp(prefix="crisisdesk-hostile-"))
        t = time.monotonic()
        try:
            why = check(Run(folder))
        except Exception as exc:  # a probe that crashes is a failure, not the end of the run
            why = f"probe crashed: {type(exc).__name__}: {exc}"[:160]
        ran += 1
        failed += why is not None
        status = "PASS" if why is None else "FAIL"
        detail = "" if why is None else f"  ({json.dumps(why)[1:-1]})"
        print(f"{status} {defect:>4}  {what}  [{time.monotonic() - t:.1f}s]{detail}", flush=True)
        if not args.keep:
            subprocess.run(["chmod", "-R", "u+rwx", str(folder)], check=False)
            subprocess.run(["rm", "-rf", str(folder)], check=False)
    print(f"total: {ran} probes, {ran - failed} passed, {failed} failed "
          f"in {time.monotonic() - started:.0f}s")  # fmt: skip
    return failed


if __name__ == "__main__":
    sys.exit(main())
