"""A hostile server on 127.0.0.1 that never finishes its answer: one byte every ``interval``.

Per-read socket timeouts never fire against it (each byte arrives in time), so only a total
deadline ends a request to it. It drips either the body (after complete headers, with no
Content-Length) or the headers themselves, until the client hangs up or the block ends.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# No Content-Length: the body ends when the connection does, which is never.
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"


@dataclass
class DripServer:
    url: str
    interval: float
    headers_too: bool
    stop: threading.Event = field(default_factory=threading.Event)
    connections: int = 0

    def __str__(self) -> str:
        return self.url

    def answer(self, conn: socket.socket) -> None:
        """Read the request, then drip until the client leaves or the server stops."""
        with conn:
            conn.settimeout(5)
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            if not self.headers_too:
                conn.sendall(HEAD + b"[")
            prefix = b"HTTP/1.1 200 OK\r\nX-Drip: " if self.headers_too else b""
            stream = iter(prefix)
            while not self.stop.wait(self.interval):
                byte = next(stream, ord("a") if self.headers_too else ord(" "))
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return  # the client gave up: what a deadline is for


def _accept(server: DripServer, listener: socket.socket) -> None:
    listener.settimeout(0.05)  # look at ``stop`` now and then: close() does not end accept()
    while not server.stop.is_set():
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        server.connections += 1
        threading.Thread(target=server.answer, args=(conn,), daemon=True).start()


@contextmanager
def drip(interval: float = 0.1, *, headers_too: bool = False) -> Iterator[DripServer]:
    """Run a drip server on a free loopback port for the duration of the block."""
    listener = socket.create_server(("127.0.0.1", 0))
    host, port = listener.getsockname()[:2]
    server = DripServer(f"http://{host}:{port}", interval, headers_too)
    thread = threading.Thread(target=_accept, args=(server, listener), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        listener.close()
        thread.join(timeout=5)
