"""A real HTTP server on 127.0.0.1 for harvester tests, answering through a plain function.

Harvesters are tested over actual sockets so the HttpClient's policy, redirects, caps and
retries run as they do against a partner. A test supplies (or swaps) a handler
``(method, path, query) -> (status, headers, body)``; every request is recorded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Query = dict[str, list[str]]
Body = bytes | str | dict | list
Handler = Callable[[str, str, Query], tuple[int, Mapping[str, str], Body]]


@dataclass
class Request:
    method: str
    path: str
    query: Query

    def param(self, name: str) -> str | None:
        """The last value of a query parameter, as a server would read it."""
        values = self.query.get(name)
        return values[-1] if values else None


def not_found(method: str, path: str, query: Query) -> tuple[int, dict[str, str], Body]:
    return 404, {"Content-Type": "text/plain"}, f"no route for {method} {path}"


@dataclass
class LocalServer:
    """The running server: its base URL, the handler in use, and the requests it saw."""

    url: str
    handler: Handler = not_found
    requests: list[Request] = field(default_factory=list)

    def __str__(self) -> str:
        return self.url


def encode(body: Body, headers: Mapping[str, str]) -> tuple[bytes, dict[str, str]]:
    """Bytes to send and headers to send with them; dicts and lists go out as JSON."""
    out = dict(headers)
    if isinstance(body, (dict, list)):
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        out.setdefault("Content-Type", "application/json; charset=utf-8")
    elif isinstance(body, str):
        data = body.encode("utf-8")
        out.setdefault("Content-Type", "text/plain; charset=utf-8")
    else:
        data = body
        out.setdefault("Content-Type", "application/octet-stream")
    # A test may announce more bytes than it sends, to simulate a truncated body.
    out["Content-Length"] = out.pop("X-Test-Content-Length", None) or str(len(data))
    return data, out


def _request_class(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, send_body: bool = True) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query, keep_blank_values=True)
            server.requests.append(Request(self.command, parts.path, query))
            try:
                status, headers, body = server.handler(self.command, parts.path, query)
            except Exception as exc:  # a broken test handler must show up, not hang
                status, headers, body = 599, {}, f"handler failed: {exc!r}"
            data, headers = encode(body, headers)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if send_body:
                self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer()

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(send_body=False)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output readable

    return RequestHandler


@contextmanager
def serve(handler: Handler | None = None, port: int = 0) -> Iterator[LocalServer]:
    """Run a server on 127.0.0.1 (a free port unless given) for the duration of the block."""
    state = LocalServer(url="", handler=handler or not_found)
    httpd = ThreadingHTTPServer(("127.0.0.1", port), _request_class(state))
    httpd.daemon_threads = True
    host, port = httpd.server_address[:2]
    state.url = f"http://{host}:{port}"
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fixture-http", daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
