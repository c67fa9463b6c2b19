"""Total deadlines for partner requests and harvest runs.

A socket timeout bounds each read, not the answer: a server sending one byte just within it
holds a request (and the run, or ``partner_update``) for as long as it likes. A ``Deadline``
is a point on the monotonic clock. While a request runs, a ``Watch`` knows the connections it
uses (through the connection classes below) and shuts their sockets down when the deadline
passes, which ends any blocked read, of the headers, the TLS handshake or the body, at once.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3 import connection, connectionpool

from ckanext.partnercity.harvesters.base import HarvestError
from ckanext.partnercity.harvesters.urls import is_internal


@dataclass(frozen=True)
class Deadline:
    """A moment (``time.monotonic``) after which work stops, and what to say when it does."""

    at: float
    message: str

    @classmethod
    def after(cls, seconds: float, message: str = "") -> Deadline:
        return cls(time.monotonic() + seconds, message or f"no complete answer within {seconds:g}s")

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def sooner(self, other: Deadline | None) -> Deadline:
        return self if other is None or self.at <= other.at else other

    def error(self, url: str = "") -> HarvestError:
        return HarvestError(self.message, url)

    def check(self, url: str = "") -> None:
        """Raise HarvestError once the deadline has passed: nothing more is started."""
        if self.expired():
            raise self.error(url)


_current = threading.local()


class Watch:
    """The sockets of one request, shut down together when its deadline passes.

    It holds duplicates of their descriptors: valid through the TLS handshake (which detaches
    the original socket object) and after urllib3 drops a ``Connection: close`` connection
    whose body is still being read. They are closed when the request ends.
    """

    def __init__(self, deadline: Deadline, allow_private: bool = True) -> None:
        self.deadline = deadline
        # The URL policy checked the host's addresses; the connection resolves it again, and a
        # DNS answer changed in between (rebinding) is caught by looking at the peer itself.
        self.allow_private = allow_private
        self.expired = False
        self._handles: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(deadline.remaining(), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watch:
        _current.watch = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _current.watch = None
        with self._lock:
            for handle in self._handles:
                handle.close()
            self._handles.clear()

    def add(self, sock: socket.socket) -> None:
        handle = socket.fromfd(sock.fileno(), sock.family, sock.type)
        with self._lock:
            self._handles.append(handle)
            if self.expired:
                _shut(handle)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            for handle in self._handles:
                _shut(handle)


def current() -> Watch | None:
    """The Watch of the request running on this thread, if any."""
    return getattr(_current, "watch", None)


def _watch(sock: socket.socket | None) -> None:
    watch = current()
    if watch is not None and sock is not None and sock.fileno() >= 0:
        watch.add(sock)


class InternalPeer(OSError):
    """The connection reached an internal address the URL policy had not seen."""


def _refuse_internal_peer(conn: Any, sock: socket.socket) -> None:
    """Close a direct connection whose peer is internal although the policy forbids it.

    Through a proxy the peer is the proxy, which the operator chose: not checked."""
    watch = current()
    if watch is None or watch.allow_private or getattr(conn, "proxy", None):
        return
    try:
        peer = ipaddress.ip_address(sock.getpeername()[0].split("%")[0])
    except (OSError, ValueError):
        return
    if is_internal(peer):
        sock.close()
        raise InternalPeer(f"connected to internal address {peer}, refused")


def _shut(handle: socket.socket) -> None:
    """End every read on the socket now (the reading thread sees EOF)."""
    with contextlib.suppress(OSError):  # already closed by the peer or by us
        handle.shutdown(socket.SHUT_RDWR)


class _Watched:
    """Mixin for urllib3 connections: show the thread's Watch every socket a request uses."""

    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        _refuse_internal_peer(self, sock)
        _watch(sock)  # before the TLS handshake, which a server can drip too
        return sock

    def request(self, *args: Any, **kw: Any) -> None:
        _watch(self.sock)  # a kept-alive connection is reused without _new_conn
        super().request(*args, **kw)  # type: ignore[misc]


class WatchedHTTPConnection(_Watched, connection.HTTPConnection):
    pass


class WatchedHTTPSConnection(_Watched, connection.HTTPSConnection):
    pass


class WatchedHTTPPool(connectionpool.HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSPool(connectionpool.HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


WATCHED_POOLS = {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}


class WatchedAdapter(HTTPAdapter):
    """requests' adapter, opening its connections (direct or through an HTTP proxy) watched."""

    def init_poolmanager(self, *args: Any, **kw: Any) -> None:
        super().init_poolmanager(*args, **kw)
        self.poolmanager.pool_classes_by_scheme = WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **kw: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kw)
        if not proxy.lower().startswith("socks"):  # SOCKS pools are their own classes
            manager.pool_classes_by_scheme = WATCHED_POOLS
        return manager
