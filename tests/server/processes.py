"""Processes the redundancy tests start — `evote serve`, HAProxy, a private Redis — each on
127.0.0.1, in its own process group, and killed (the whole group) when its block ends, even
when the test fails.

Import as ``from processes import Serve, haproxy, redis_url`` (tests/server is on sys.path).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from evote.cli.server import GUNICORN_CONF, gunicorn_argv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(condition: object, seconds: float, what: str, step: float = 0.05) -> float:
    """Poll `condition()` until true; the seconds it took. Fails the test after `seconds`."""
    start = time.monotonic()
    while not condition():  # type: ignore[operator]
        assert time.monotonic() - start < seconds, f"{what}: not within {seconds} s"
        time.sleep(step)
    return time.monotonic() - start


def _kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def healthy(address: tuple[str, int]) -> bool:
    try:
        with urllib.request.urlopen(f"http://{address[0]}:{address[1]}/api/health", timeout=2):
            return True
    except OSError:
        return False


class Serve:
    """`evote serve`'s gunicorn (the shipped config) on a free port, in its own process group.

    `start` may be called again after `stop`/`kill` (a restart on the same port).
    """

    def __init__(self, env: dict[str, str], workers: int = 2) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("EVOTE_")}
        self.env.update(env)
        self.env.setdefault("EVOTE_WORKERS", str(workers))
        self.env.setdefault("EVOTE_LOG_LEVEL", "warning")
        self.env.setdefault("EVOTE_COOKIE_SECURE", "0")  # plain http on 127.0.0.1
        self.port = free_port()
        self.address = ("127.0.0.1", self.port)
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in `close`)

    def start(self, wait: bool = True) -> Serve:
        argv = gunicorn_argv(f"127.0.0.1:{self.port}", None, GUNICORN_CONF)
        self.proc = subprocess.Popen(
            argv, env=self.env, stdout=subprocess.DEVNULL, stderr=self._log,
            start_new_session=True,
        )
        if wait:
            self.wait_healthy()
        return self

    def wait_healthy(self, seconds: float = 30) -> None:
        def up() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.log()
            return healthy(self.address)

        wait_until(up, seconds, "evote serve answering", step=0.1)

    def workers(self) -> list[int]:
        """Pids of the master's worker processes (from /proc)."""
        assert self.proc is not None
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                if ppid == self.proc.pid:
                    found.append(int(entry.name))
        return sorted(found)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> None:
        """Stop the master (SIGTERM: graceful) and wait; then make sure no worker is left."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=timeout)
        _kill_group(self.proc)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def kill(self) -> None:
        """kill -9 of the master and every worker at once: the machine died."""
        if self.proc is not None:
            _kill_group(self.proc)
            self.proc.wait(timeout=10)

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]

    def close(self) -> None:
        if self.proc is not None:
            _kill_group(self.proc)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)
        self._log.close()


@contextlib.contextmanager
def serving(env: dict[str, str], workers: int = 2, start: bool = True) -> Iterator[Serve]:
    server = Serve(env, workers)
    try:
        if start:
            server.start()
        yield server
    finally:
        server.close()


HAPROXY_CONFIG = """\
global
    maxconn 2000
defaults
    mode http
    option httplog
    option forwardfor
    option redispatch
    retries 3
    timeout connect 1s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
    timeout http-request 10s
frontend evote
    bind 127.0.0.1:{port}
    default_backend app_servers
backend app_servers
    balance roundrobin
    option httpchk GET /api/health
    default-server inter 500ms fall 1 rise 1
{servers}
"""
"""The test's proxy: what docs/deployment.md shows, minus TLS, with fast health checks so a
dead server leaves the rotation within a second."""


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if found is None:
        pytest.fail("haproxy is not installed: apt-get install -y haproxy (.ci/run does)")
    return found


@contextlib.contextmanager
def haproxy(backends: list[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """HAProxy in the foreground on a free port of 127.0.0.1, balancing over `backends`."""
    port = free_port()
    servers = "\n".join(
        f"    server app{i} {host}:{p} check" for i, (host, p) in enumerate(backends)
    )
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(port=port, servers=servers))
        log = Path(folder) / "haproxy.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [haproxy_binary(), "-db", "-f", str(config)], stdout=out, stderr=out,
                start_new_session=True,
            )
        try:
            address = ("127.0.0.1", port)

            def up() -> bool:
                assert proc.poll() is None, log.read_text()
                return healthy(address)

            wait_until(up, 15, "haproxy answering", step=0.1)
            yield address
        finally:
            _kill_group(proc)
            proc.wait(timeout=10)


def _redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


@contextlib.contextmanager
def redis_url(preferred: str) -> Iterator[str]:
    """`preferred` if a Redis answers there, else a private `redis-server` started for the
    block (Debian's redis-server, which .ci/run installs)."""
    if _redis_answers(preferred):
        yield preferred
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(f"no Redis at {preferred} and no redis-server to start (.ci/run installs it)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_until(lambda: _redis_answers(url), 10, "redis-server answering")
        yield url
    finally:
        _kill_group(proc)
        proc.wait(timeout=10)
