"""`evote rehearse` end to end: a live `evote serve` (gunicorn), `prepare`, then a whole run.

Six delegates log in, check in, hold their live page, cast real encrypted ballots (one of
them twice), the countdown (10 s) ends, three of five guardians decrypt as separate
`evote-guardian` processes with two compensated, and the tool checks the record with
`evote-verify`. The test reads the run's JSON: nothing lost or doubled, the record verifies,
the totals are the delegates' choices, every page saw the opening and the close.

Timing goals are not asserted (a shared 2-core machine misses them at random); the tool's exit
status is 0 or 3 (a goal missed), never 1 (could not run). On SQLite the server runs one worker
with the in-process live broker; with EVOTE_TEST_DATABASE_URL (PostgreSQL) two workers in a
schema of their own, with the LISTEN/NOTIFY broker between them.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from server_helpers import DATABASE_URL
from sqlalchemy import create_engine, text

from evote.rehearsal.command import rehearse_group
from evote.webapp.app import create_app

EVOTE = str(Path(sys.executable).with_name("evote"))
DELEGATES = 6
SECRET_KEY = secrets.token_hex(32)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, str | None]]:
    """(URL, schema): a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if not DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'rehearsal.sqlite'}", None
        return
    schema = f"evote_test_{os.getpid()}_{secrets.token_hex(3)}"
    engine = create_engine(DATABASE_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield DATABASE_URL, schema
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def server(tmp_path: Path, database: tuple[str, str | None]) -> Iterator[dict[str, Any]]:
    url, schema = database
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVOTE_")}
    env.update(
        EVOTE_DATABASE_URL=url, EVOTE_INSTANCE_PATH=str(tmp_path / "instance"),
        EVOTE_SECRET_KEY=SECRET_KEY, EVOTE_COOKIE_SECURE="0", EVOTE_LOG_LEVEL="warning",
        EVOTE_WORKERS="2" if schema else "1", EVOTE_LIVE_STREAMS="50", EVOTE_API_THREADS="16",
    )
    if schema:
        env["EVOTE_DATABASE_SCHEMA"] = schema
    done = subprocess.run([EVOTE, "db", "upgrade"], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([EVOTE, "serve", "--bind", f"127.0.0.1:{port}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
        yield {"url": base, "db": url, "schema": schema, "env": env}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_a_whole_vote_is_rehearsed_and_nothing_is_lost_or_doubled(
    server: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "rehearsal"
    # prepare in this process with the test hash profile (Argon2id, cheap): the server verifies
    # any Argon2id hash by the parameters it carries, so its logins are as cheap
    app = create_app({
        "DATABASE_URL": server["db"], "DATABASE_SCHEMA": server["schema"],
        "SECRET_KEY": SECRET_KEY, "PASSWORD_HASH_PROFILE": "cheapest",
        "VOTE_SWEEPER": False, "LIVE_BROKER": "memory",
    })  # fmt: skip
    prepared = CliRunner().invoke(
        rehearse_group, ["prepare", server["url"], "--delegates", str(DELEGATES),
                         "--folder", str(folder)], obj=app, catch_exceptions=False,
    )  # fmt: skip
    assert prepared.exit_code == 0, prepared.output
    assert "key ceremony fingerprint" in prepared.output
    credentials = folder / "credentials.json"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    data = json.loads(credentials.read_text())
    assert len(data["delegates"]) == DELEGATES and len(data["guardians"]) == 5
    assert data["quorum"] == 3 and data["issuing"]["count"] == DELEGATES + 6

    out = tmp_path / "report.json"
    run = subprocess.run(
        [EVOTE, "rehearse", server["url"], "--delegates", str(DELEGATES), "--countdown", "10",
         "--folder", str(folder), "--json", str(out), "--encrypt-workers", "1",
         "--guardian-wait", "120"],
        env=server["env"], capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode in (0, 3), run.stdout + run.stderr
    report = json.loads(out.read_text())
    tally = report["record"]["tally"]
    assert report["decrypted"]["seconds"] is not None, report["decrypted"]
    assert (tally["lost"], tally["doubled"], tally["unacknowledged"]) == (0, 0, 0), report
    assert tally["casters"] == tally["in_record"] == DELEGATES
    assert report["record"]["verified"], report["record"]["verifier"]
    assert report["record"]["totals"] == {"yes": 2, "no": 2, "abstain": 2}
    assert report["record"]["totals_match"]
    assert report["cast"]["resenders"] == 1 and report["cast"]["resend_same_receipt"] == 1
    assert report["cast"]["outcomes"].get("201") == DELEGATES
    assert report["opened"]["missing"] == 0 and report["closed"]["missing"] == 0
    assert report["pages"]["held"] == DELEGATES
    decrypted = report["decrypted"]
    assert decrypted["seconds"] is not None and decrypted["present"] == 3
    assert [p["exit_code"] for p in decrypted["processes"]] == [0, 0, 0], decrypted
    assert not report["errors"], report["errors"]
    # the table: five goals with this run's numbers, and the machine
    assert run.stdout.count("| pass |") + run.stdout.count("| FAIL |") == 5, run.stdout
    assert "ballots lost, doubled | 0, 0" in run.stdout
    assert "machine (of this tool): nproc" in run.stdout
    [run_dir] = (folder / "runs").iterdir()
    assert (run_dir / "record.zip").stat().st_size > 0
    assert json.loads((run_dir / "report.json").read_text())["vote"] == report["vote"]
