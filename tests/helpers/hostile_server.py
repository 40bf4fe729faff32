"""A misbehaving HTTP server on 127.0.0.1 (raw sockets): answers that trickle one byte at a time
or never end. For the deadline and size-limit tests and ``bench/hostile.py``.

    with HostileServer(mode="trickle", interval=0.2) as server:   # a byte every 0.2 s, forever
        server.url
    with HostileServer(mode="huge") as server:                    # an endless chunked body
    with HostileServer(mode="trickle-body", interval=0.2):        # headers at once, then a trickle
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType


class HostileServer:
    def __init__(self, mode: str, *, interval: float = 0.2, declared: int | None = None) -> None:
        self.mode = mode
        self.interval = interval
        self.declared = declared  # a Content-Length to announce (mode "huge")
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._stop = threading.Event()
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.bytes_sent = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        self.bytes_sent += len(data)

    def _answer(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            if self.mode == "trickle":
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: " + (
                    b"a" * 10_000
                ):
                    if self._stop.wait(self.interval):
                        return
                    self._send(conn, bytes([byte]))
            elif self.mode == "trickle-body":
                self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n[")
                while not self._stop.wait(self.interval):
                    self._send(conn, b" ")
            elif self.mode == "huge":
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                if self.declared is not None:
                    self._send(conn, head + b"Content-Length: %d\r\n\r\n" % self.declared)
                    chunk = b" " * 65536
                    while not self._stop.is_set():
                        self._send(conn, chunk)
                else:
                    self._send(conn, head + b"Transfer-Encoding: chunked\r\n\r\n")
                    chunk = b"10000\r\n" + b" " * 65536 + b"\r\n"
                    while not self._stop.is_set():
                        self._send(conn, chunk)
        except OSError:
            pass
        finally:
            time.sleep(0.05)
            conn.close()
