"""One evote process serving HTTP from a thread: the demo's server, with its guardians beside it.

Why werkzeug's threaded server and not gunicorn: the demo runs on SQLite with the in-process
live bus (`evote.live.memory`), so every SSE stream, the close sweeper and the demo's local
guardians must share one process.  A thread per connection keeps a long-lived SSE stream from
blocking anyone else.  Production serves with gunicorn (`evote serve`).

The port is bound here, before werkzeug sees it, so a busy port is an exception the caller can
handle (werkzeug would print and `sys.exit`), and "5000 or the next free one" is a loop.
"""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass, field

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server


class NoFreePort(OSError):
    """No port in the range asked for could be bound."""


def bind(host: str, port: int, tries: int = 1) -> socket.socket:
    """A listening socket on `port`, or on the next free one among `tries` ports."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    last: OSError | None = None
    for candidate in range(port, port + max(tries, 1)):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, candidate))
            sock.listen(128)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        return sock
    raise NoFreePort(f"no free port on {host} in {port}..{port + max(tries, 1) - 1}: {last}")


def url_host(host: str) -> str:
    """The host as it goes into a URL (`0.0.0.0` is not a place a browser can go)."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


@dataclass
class ServerThread:
    """`app` served on an already bound socket, from a daemon thread, until `stop`.

    Werkzeug's threaded server runs each connection in a daemon thread, so an open SSE stream
    never holds up the exit.
    """

    app: Flask
    sock: socket.socket
    server: BaseWSGIServer = field(init=False)
    thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        host, port = self.sock.getsockname()[:2]
        self.server = make_server(host, port, self.app, threaded=True, fd=self.sock.fileno())
        self.sock.close()  # werkzeug holds its own duplicate of the descriptor
        self.thread = threading.Thread(target=self.server.serve_forever, name="evote-http", daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, host: str) -> str:
        return f"http://{url_host(host)}:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def quiet_request_log() -> None:
    """Werkzeug logs every request to stderr; in the demo that would drown its own messages."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
