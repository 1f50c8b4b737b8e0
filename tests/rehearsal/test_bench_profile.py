"""The benchmark's instruments read what they claim: gunicorn's access log, py-spy's stacks,
this machine's processes."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2]))
from bench import profile


def test_the_access_log_gives_each_route_its_times_and_statuses() -> None:
    log = "\n".join([
        '127.0.0.1 "POST /api/votes/12/ballots" 201 900 0.030000s',
        '127.0.0.1 "POST /api/votes/12/ballots" 201 900 0.050000s',
        '127.0.0.1 "POST /api/votes/13/ballots" 500 900 30.000000s',
        "[2026-12-06 20:00:00 +0000] [123] [ERROR] Error handling request /api/auth/login",
        '127.0.0.1 "POST /api/auth/login" 200 300 0.200000s',
    ])  # fmt: skip
    found = profile.server_log(log)
    cast = found["routes"]["POST /api/votes/<n>/ballots"]
    assert cast["count"] == 3 and cast["max"] == 30.0 and cast["p99"] == 30.0
    assert cast["statuses"] == {"201": 2, "500": 1} and cast["total"] == 30.1
    assert next(iter(found["routes"])) == "POST /api/votes/<n>/ballots"  # most time first
    assert found["responses_5xx"] == 1 and found["errors"] == 1


def test_stacks_go_to_the_part_of_their_innermost_known_frame(tmp_path: Path) -> None:
    stacks = tmp_path / "raw.txt"
    stacks.write_text("\n".join([
        'process 7:"gunicorn: worker";run (gunicorn/workers/gthread.py:1);'
        "cast (evote/webapp/api/ballots.py:70);check (evote/crypto/batch.py:9);"
        "execute (sqlalchemy/engine/base.py:1) 3",
        'process 7:"gunicorn: worker";run (gunicorn/workers/gthread.py:1);'
        "login (evote/people/login.py:80);verify_secret (argon2/low_level.py:193) 1",
        'process 7:"gunicorn: worker";cast (evote/webapp/api/ballots.py:70);'
        "execute (sqlalchemy/engine/base.py:1);Connection.wait (psycopg/connection.py:495) 2",
        'process 7:"gunicorn: worker";cast (evote/webapp/api/ballots.py:70);'
        "verdict (evote/voting/proof_batcher.py:80);Condition.wait (threading.py:331) 2",
    ]))  # fmt: skip
    parts = {part: n for part, n, _ in profile.summary([stacks])}
    assert parts == {"SQLAlchemy, psycopg": 3, "Argon2id (logins)": 1,
                     "waiting for PostgreSQL": 2, "waiting (locks, sockets)": 2}
    # waits are no work: the top functions leave them out
    assert profile.top_functions([stacks])[0] == ("execute (sqlalchemy/engine/base.py:1)", 0.75)


def test_cpu_of_a_busy_child_is_counted_for_the_tool() -> None:
    """A child of the benchmark burns 1 s of CPU; at most one sampling interval of it (0.1 s)
    may be lost when it exits between two samples."""
    with profile.CpuLog(server_pid=-1, every=0.1) as log:
        start = time.time()
        pid = os.fork()
        if pid == 0:
            end = time.process_time() + 1.0
            while time.process_time() < end:
                pass
            os._exit(0)
        os.waitpid(pid, 0)
        time.sleep(0.25)
    used = log.between(start, time.time())
    assert used["load tool"] >= 0.85 and used["server"] == 0 and used["guardians"] == 0
