"""A small HTTP/1.1 client on asyncio streams: what a thousand simulated browsers need, no more.

Why the standard library and not a client library: the rehearsal runs a thousand delegates,
each with one kept-alive connection for its requests and one long-lived live stream, in ONE
process whose CPU competes with the server when both run on one machine; every millisecond the
load generator spends per request is taken from the server it measures. asyncio's streams hold
thousands of sockets in one thread, and the subset of HTTP/1.1 evote speaks (JSON bodies,
Content-Length or chunked replies, one session cookie, a Server-Sent-Events stream) is a few
dozen lines. httpx (installed with evote-guardian) would also do, but adds its pool and
anyio layers to every request and line read; aiohttp is faster but a new dependency for
operators, who get this tool with the server package. TLS comes from the `ssl` module with the
system's trust store (`SSL_CERT_FILE` points it at a private CA for a staging server).

Each `Browser` is one person's browser: its cookies, its CSRF token and its connection. The
session cookie is sent back over plain http too, unlike a browser's Secure-cookie rule for
other hosts; the tool talks to plain http only on this machine (see `check_server_url`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
CSRF_HEADER = "X-CSRF-Token"
MAX_HEADER_LINES = 100
LIMIT = 1 << 20
"""Longest line asyncio's reader accepts (a chunk-size or header line is far shorter)."""


class TransportError(Exception):
    """The request did not complete: connection refused or dropped, or a timeout."""


def check_server_url(url: str) -> str:
    """The base URL without a trailing slash: https anywhere, plain http only on this machine
    (where the guardian client also accepts it); ValueError for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not a server URL: {url!r} (https://vote.example.org)")
    if parts.path.strip("/") or parts.query:
        raise ValueError(f"give the server's base URL without a path: {url!r}")
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise ValueError(
            f"plain http is only for a server on this machine ({url}); a staging server is "
            "rehearsed over https, as delegates reach it"
        )
    return url.rstrip("/")


@dataclass(frozen=True)
class Server:
    """Where requests go: host, port and TLS, from a base URL."""

    host: str
    port: int
    tls: ssl.SSLContext | None
    host_header: str

    @classmethod
    def from_url(cls, url: str) -> Server:
        parts = urlsplit(check_server_url(url))
        assert parts.hostname is not None
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        default = (https and port == 443) or (not https and port == 80)
        name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        return cls(
            parts.hostname, port, ssl.create_default_context() if https else None,
            name if default else f"{name}:{port}",
        )

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(
            self.host, self.port, ssl=self.tls, limit=LIMIT,
            server_hostname=self.host if self.tls else None,
        )


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def error(self) -> str:
        """The API's stable error code, or the status if the body has none."""
        data = self.json()
        if isinstance(data, dict) and data.get("error"):
            return f"{self.status} {data['error']}"
        return f"{self.status}"


async def _read_head(
    reader: asyncio.StreamReader,
) -> tuple[int, dict[str, str], list[str]]:
    """Status, headers (lower-case names; repeated ones joined) and every Set-Cookie value."""
    line = await reader.readline()
    if not line:
        raise ConnectionResetError("connection closed before the response")
    parts = line.decode("latin-1").split(None, 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ConnectionError(f"not an HTTP response: {line[:80]!r}")
    status = int(parts[1])
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for _ in range(MAX_HEADER_LINES):
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            cookies.append(value)
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    else:
        raise ConnectionError("too many header lines")
    return status, headers, cookies


async def _chunks(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """The pieces of a chunked body, as they arrive (a live stream is one endless body)."""
    while True:
        size_line = await reader.readline()
        if not size_line:
            raise ConnectionResetError("connection closed inside a chunked body")
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return
        data = await reader.readexactly(size)
        await reader.readexactly(2)
        yield data


async def _body(
    reader: asyncio.StreamReader, method: str, status: int, headers: dict[str, str]
) -> tuple[bytes, bool]:
    """The whole body, and whether the connection can carry another request."""
    reusable = "close" not in headers.get("connection", "").lower()
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return b"", reusable
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return b"".join([piece async for piece in _chunks(reader)]), reusable
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"])), reusable
    return await reader.read(), False


@dataclass
class Browser:
    """One delegate's browser: cookies, CSRF token, and a kept-alive connection for requests."""

    server: Server
    timeout: float = 120.0
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    _conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = field(
        default=None, repr=False
    )
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    """One request at a time on the kept-alive connection (the live stream has its own)."""

    def _head(self, method: str, path: str, body: bytes | None, accept: str) -> bytes:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.server.host_header}",
            f"Accept: {accept}",
            "User-Agent: evote-rehearse",
        ]
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        elif method not in ("GET", "HEAD"):
            lines.append("Content-Length: 0")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if self.csrf and method not in ("GET", "HEAD"):
            lines.append(f"{CSRF_HEADER}: {self.csrf}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _keep(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            pair, *attributes = header.split(";")
            name, _, value = pair.strip().partition("=")
            expired = any(
                a.strip().lower().replace(" ", "") in ("max-age=0", "max-age=-1")
                for a in attributes
            )
            if expired or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    async def request(
        self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
        timeout: float | None = None,
    ) -> Response:
        """Send one request (JSON `body`, or `raw` bytes sent as JSON) and read the reply.

        A kept-alive connection the server closed meanwhile is replaced once, when the failure
        came before any byte of the answer (the request never reached the application)."""
        async with self._lock:
            return await self._request(method, path, body, raw, timeout)

    async def _request(
        self, method: str, path: str, body: Any, raw: bytes | None, timeout: float | None
    ) -> Response:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        message = self._head(method, path, data, "application/json") + (data or b"")
        try:
            async with asyncio.timeout(timeout or self.timeout):
                for attempt in (0, 1):
                    fresh = self._conn is None
                    if self._conn is None:
                        self._conn = await self.server.connect()
                    reader, writer = self._conn
                    try:
                        writer.write(message)
                        await writer.drain()
                        status, headers, set_cookies = await _read_head(reader)
                    except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError):
                        self._drop()
                        if fresh or attempt:
                            raise
                        continue
                    payload, reusable = await _body(reader, method, status, headers)
                    if not reusable:
                        self._drop()
                    self._keep(set_cookies)
                    return Response(status, headers, payload)
        except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError) as exc:
            self._drop()
            raise TransportError(f"{method} {path}: {type(exc).__name__}: {exc}") from None
        except TimeoutError:
            self._drop()
            raise TransportError(f"{method} {path}: no answer within the timeout") from None
        raise AssertionError("unreachable")

    @contextlib.asynccontextmanager
    async def stream(self, path: str) -> AsyncIterator[tuple[Response, AsyncIterator[bytes]]]:
        """Open a long-lived GET on its own connection: the response head (with the whole body
        if it is not 200) and an iterator over the body's pieces as they arrive."""
        try:
            async with asyncio.timeout(self.timeout):
                reader, writer = await self.server.connect()
        except (OSError, TimeoutError) as exc:
            raise TransportError(f"GET {path}: {type(exc).__name__}: {exc}") from None
        try:
            try:
                writer.write(self._head("GET", path, None, "text/event-stream"))
                async with asyncio.timeout(self.timeout):
                    status, headers, set_cookies = await _read_head(reader)
                    self._keep(set_cookies)
                    body = b""
                    if status != 200:
                        body, _ = await _body(reader, "GET", status, headers)
            except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError) as exc:
                raise TransportError(f"GET {path}: {type(exc).__name__}: {exc}") from None
            except TimeoutError:
                raise TransportError(f"GET {path}: no answer within the timeout") from None
            chunked = "chunked" in headers.get("transfer-encoding", "").lower()
            yield Response(status, headers, body), _pieces(reader, chunked)
        finally:
            writer.close()

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn[1].close()
            self._conn = None

    def close(self) -> None:
        self._drop()


async def _pieces(reader: asyncio.StreamReader, chunked: bool) -> AsyncIterator[bytes]:
    """A streamed body piece by piece; ends quietly when the server closes it."""
    try:
        if chunked:
            async for piece in _chunks(reader):
                yield piece
            return
        while piece := await reader.read(65536):
            yield piece
    except (OSError, asyncio.IncompleteReadError, ValueError):
        return
