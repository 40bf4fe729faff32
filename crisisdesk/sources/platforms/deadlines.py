"""Overall time limits for HTTP requests, and a size limit for what a server sends.

httpx's timeouts apply to each network read: a server that trickles one byte every few seconds
never trips them, and a request could run for hours. ``http.send`` runs each attempt under
:func:`deadline`; every read, write and connect of the client's connections (made through
:class:`DeadlineBackend`, installed by :func:`install`) is given at most the time left, and
one past the deadline raises :class:`DeadlineExceeded` (an ``httpcore.ReadTimeout``, which
httpx reports as ``httpx.ReadTimeout``).

The deadline is per thread: a client is used by one thread at a time (a sync, an account check).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

_local = threading.local()


class DeadlineExceeded(httpcore.ReadTimeout):
    """The request's overall deadline passed (raised by the network layer)."""


def _remaining(timeout: float | None) -> float | None:
    """*timeout* shortened to the time left before this thread's deadline."""
    at: float | None = getattr(_local, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded("the request took longer than its overall time limit")
    return left if timeout is None else min(timeout, left)


def passed_for(exc: BaseException) -> bool:
    """Whether *exc* (an httpx error) was raised because the request's deadline passed."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DeadlineExceeded):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Run the block under a deadline *seconds* from now (an outer, earlier one still holds)."""
    previous: float | None = getattr(_local, "at", None)
    at = time.monotonic() + max(seconds, 0.0)
    _local.at = at if previous is None else min(previous, at)
    try:
        yield
    finally:
        _local.at = previous


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the deadline of the thread using it."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _remaining(timeout))
        return DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with :class:`DeadlineStream` connections."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _remaining(timeout), local_address, socket_options
        )
        return DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return DeadlineStream(
            self._inner.connect_unix_socket(path, _remaining(timeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install(client: httpx.Client) -> bool:
    """Give *client*'s own connection pools the deadline backend; False when a transport has
    no httpcore pool (a test's MockTransport), whose requests then have no overall limit."""
    transports = [client._transport, *client._mounts.values()]
    done = False
    for transport in transports:
        # httpx builds its pool without a way to pass a network backend; httpcore keeps it in
        # this attribute and reads it for every new connection (tests check the limit holds)
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            if not isinstance(pool._network_backend, DeadlineBackend):
                pool._network_backend = DeadlineBackend(pool._network_backend)
            done = True
    return done


class TooLarge(Exception):
    """The server's answer is larger than the limit for it."""


def read_capped(response: httpx.Response, limit: int) -> None:
    """Read a streamed *response*'s body into ``response.content``, refusing more than *limit*
    bytes (decoded; announced or not) so a huge or endless answer never fills the memory."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge()
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
    # what httpx's own Response.read() does after reading its stream
    response._content = b"".join(chunks)
