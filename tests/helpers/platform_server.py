"""A real HTTP server on 127.0.0.1 that plays a platform API for connector tests.

Usage (the ``platform_server`` fixture is registered in tests/conftest.py via this module)::

    def test_x(platform_server):
        platform_server.route("GET", "/api/v1/notifications",
                              Reply.json([...], headers={"Link": "..."}),   # first request
                              Reply.json([]))                             # then this, repeated
        platform_server.handle("POST", "/api/v1/statuses", lambda req: Reply.json({...}))
        url = platform_server.url                # "http://127.0.0.1:PORT"
        ...
        req = platform_server.requests_to("GET", "/api/v1/notifications")[0]
        req.query["since_id"] == ["42"];  req.headers["authorization"];  req.json()

Routes match method and exact path (query ignored); a route may end in ``/*`` to match any path
under a prefix. Canned responses are served in order, the last one repeating. A handler gets
the ``RecordedRequest`` and returns a ``Reply``. Every request is recorded *before* its reply
is produced (so a request whose reply is delayed past the client timeout is still recorded).
Unrouted paths get a 404 JSON body.

``Reply`` knobs: ``status``, ``headers``, ``body`` (bytes/str, or use ``Reply.json``),
``delay`` (seconds before answering), ``truncate`` (send only that many bytes of the body after
announcing the full Content-Length, then close), ``drop`` (close without answering).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | str = b""
    delay: float = 0.0
    truncate: int | None = None
    drop: bool = False

    @classmethod
    def json(cls, data: Any, status: int = 200, **kwargs: Any) -> Reply:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        headers.update(kwargs.pop("headers", {}))
        return cls(status=status, headers=headers, body=json.dumps(data), **kwargs)

    @classmethod
    def html(cls, text: str, status: int = 200, **kwargs: Any) -> Reply:
        headers = {"Content-Type": "text/html; charset=utf-8"}
        headers.update(kwargs.pop("headers", {}))
        return cls(status=status, headers=headers, body=text, **kwargs)


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def arg(self, name: str) -> str | None:
        """The first value of query parameter *name*."""
        values = self.query.get(name)
        return values[0] if values else None


Handler = Callable[[RecordedRequest], Reply]


class _Route:
    def __init__(self, handler: Handler | None, replies: list[Reply]) -> None:
        self.handler = handler
        self.replies = replies
        self.served = 0

    def next_reply(self, request: RecordedRequest) -> Reply:
        if self.handler is not None:
            return self.handler(request)
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


class PlatformServer:
    """The server; see the module docstring."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], _Route] = {}
        self._lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(self, method: str, path: str, *replies: Reply) -> None:
        """Serve *replies* in order on *method path*; the last one repeats."""
        if not replies:
            raise ValueError("give at least one Reply")
        with self._lock:
            self._routes[(method.upper(), path)] = _Route(None, list(replies))

    def handle(self, method: str, path: str, handler: Handler) -> None:
        """Answer *method path* with ``handler(request)``."""
        with self._lock:
            self._routes[(method.upper(), path)] = _Route(handler, [])

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == method.upper() and r.path == path]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _dispatch(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            route = self._routes.get((request.method, request.path))
            if route is None:
                route = self._prefix_route(request.method, request.path)
            if route is None:
                return Reply.json({"error": "NotFound", "message": "no such route"}, status=404)
            if route.handler is None:
                return route.next_reply(request)
        return route.next_reply(request)  # handlers run outside the lock (they may block)

    def _prefix_route(self, method: str, path: str) -> _Route | None:
        best: tuple[int, _Route] | None = None
        for (m, p), route in self._routes.items():
            matches = m == method and p.endswith("/*") and path.startswith(p[:-1])
            if matches and (best is None or len(p) > best[0]):
                best = (len(p), route)
        return best[1] if best else None


def _make_handler(server: PlatformServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = RecordedRequest(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            try:
                reply = server._dispatch(request)
            except Exception as exc:  # a broken test handler must show, not hang the client
                reply = Reply.json({"error": "HandlerFailed", "message": repr(exc)}, status=599)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drop:
                self.close_connection = True
                return
            payload = reply.body.encode() if isinstance(reply.body, str) else reply.body
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.status != 304:
                self.send_header("Content-Length", str(len(payload)))
            if reply.truncate is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            if reply.status == 304 or self.command == "HEAD":
                return
            if reply.truncate is not None:
                self.wfile.write(payload[: reply.truncate])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(payload)

        def handle(self) -> None:
            # the client gave up (a timeout test): nothing to answer any more
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                super().handle()

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    return _Handler


def then(replies: list[Reply], handler: Handler) -> Handler:
    """A route handler: serve *replies* first (e.g. a 429), then hand every later request to
    *handler* (the fake platform)."""
    queue = list(replies)

    def serve(request: RecordedRequest) -> Reply:
        return queue.pop(0) if queue else handler(request)

    return serve


class Waits(list[float]):
    """A ``sleep`` for clients under test: records each wait asked for and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def platform_server() -> Iterator[PlatformServer]:
    server = PlatformServer()
    try:
        yield server
    finally:
        server.close()
