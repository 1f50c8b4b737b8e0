"""``evote serve``: gunicorn with the shipped config really serves the app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from evote.cli_server import GUNICORN_CONF, gunicorn_argv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_argv_uses_the_config_file() -> None:
    argv = gunicorn_argv("0.0.0.0:9000", 3, GUNICORN_CONF)
    assert argv[1:3] == ["-m", "gunicorn"]
    assert argv[argv.index("--config") + 1] == str(GUNICORN_CONF)
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[-1] == "evote.app:create_app()"


def test_gunicorn_serves_health(tmp_path: Path) -> None:
    """One worker on SQLite, one request: the config file loads and the factory runs."""
    port = _free_port()
    env = dict(os.environ)
    env.update(
        EVOTE_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite'}",
        EVOTE_SECRET_KEY="serve-test",
        EVOTE_WORKERS="1",
        EVOTE_THREADS="2",
    )
    env.pop("EVOTE_DATABASE_SCHEMA", None)
    upgrade = subprocess.run(
        [str(Path(sys.executable).with_name("evote")), "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    argv = gunicorn_argv(f"127.0.0.1:{port}", None, GUNICORN_CONF)
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        body = b""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    body = r.read()
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.2)
        assert b'"status":"ok"' in body.replace(b" ", b""), proc.stdout and proc.stdout.read1()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
