"""Live stream under load: N delegates' pages on `/api/live` of a real `evote serve` (gunicorn).

    python -m bench.live_streams [--streams 1000] [--broker redis|memory] [--limit 240]

Loopback only, bounded: at most 5,000 streams, and the whole run stops itself after `--limit`
seconds (server terminated, sockets closed).  What it does, in one run:

1. a temporary SQLite instance with a convention, a presidium member and N checked-in
   delegates (cheap password hashes for the N; the delegate whose login is timed has the
   production hash profile), then `evote serve` on a free 127.0.0.1 port with the shipped
   gunicorn config and the Redis broker (127.0.0.1:6379), or the in-process broker with one
   worker (`--broker memory`);
2. baseline, no streams open: latency of `GET /api/health`, of a login and of casting a ballot
   (an open motion, ballots encrypted beforehand by `evote.crypto`);
3. N delegates log in and open their live page (raw asyncio sockets; a 503 is retried after
   its Retry-After, as the browser page does);
4. the same latencies again with all streams open, and their ratio to the baseline;
   ballots cast by delegates whose page is open (each cast also sends turnout to every page);
5. the presidium sets the agenda item through the API; time until 99 % and 100 % of the
   streams have the event; resident memory of the gunicorn processes.
The client runs on the same 2 cores as the server, so the server's numbers are pessimistic.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
MAX_STREAMS = 5000
REDIS_URL = "redis://127.0.0.1:6379/0"
EVOTE = str(Path(sys.executable).with_name("evote"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _rss_mib(pid: int) -> float:
    """Resident memory of `pid` and its children (gunicorn master and workers), MiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _threads(pid: int) -> int:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sum(len(os.listdir(f"/proc/{p}/task")) for p in children)


# --- set-up (in this process, straight into the database) ----------------------------------


CASTS = 8
"""Ballots cast (and timed) before the streams open, and as many again while they are open;
as many again are cast first, untimed, so every worker has warmed up (imports, caches)."""


@dataclass
class People:
    presidium: tuple[str, str]
    timed: tuple[str, str]
    delegates: list[tuple[str, str]]
    vote_id: int = 0
    ballots: list[bytes] = field(default_factory=list)


def _setup(env: dict[str, str], count: int) -> People:
    os.environ.update(env)
    from evote.people.accounts import add_participant, create_event
    from evote.people.attendance import check_in
    from evote.people.credentials import issue
    from evote.store.db import get_session
    from evote.store.models.event import EventStatus
    from evote.webapp.app import create_app
    from evote.webapp.permissions import Role

    app = create_app({"VOTE_SWEEPER": False, "LIVE_BROKER": "memory"})
    with app.app_context():
        db = get_session()
        event = create_event(db, "bench", "Bench convention", f"http://{HOST}")
        event.status = EventStatus.OPEN.value

        def person(i: int, roles: frozenset[Role], profile: str) -> tuple[str, str]:
            p = add_participant(
                db, event, name=f"Person {i}", email=f"p{i}@example.org", delegation="Bench",
                roles=roles, groups=(), voting_right=Role.DELEGATE in roles,
            )
            db.flush()
            [credential] = issue([p], profile)
            check_in(p)
            return p.login_name, credential.password

        delegate = frozenset({Role.DELEGATE})
        people = People(
            presidium=person(0, frozenset({Role.PRESIDIUM}), "cheapest"),
            timed=person(1, delegate, app.config["PASSWORD_HASH_PROFILE"]),
            delegates=[person(i + 2, delegate, "cheapest") for i in range(count)],
        )
        people.vote_id, people.ballots = _open_vote(db, event, 3 * CASTS)
        db.commit()
    return people


def _open_vote(db: Any, event: Any, count: int) -> tuple[int, list[bytes]]:
    """A motion open for an hour, with a key from three local guardians (2 of 3), and `count`
    ballots for it encrypted here (not timed)."""
    import secrets
    from datetime import UTC, datetime

    from evote.crypto.ceremony import GuardianSecret
    from evote.rules.majority import MajorityBase, MajorityRule
    from evote.voting.lifecycle import create_vote, open_vote
    from evote.voting.manifest import VoteKind, VoteSpec
    from evote.voting.results import import_election_key

    from .ballot_box import _encrypt

    guardians = [GuardianSecret.generate(f"g{i}", i, 2, secrets.token_bytes(32)) for i in (1, 2, 3)]
    import_election_key(db, event, 3, 2, [g.public_key().to_json() for g in guardians])
    vote = create_vote(
        db, event, VoteSpec(VoteKind.MOTION, "Bench motion"), rule=MajorityRule.SIMPLE,
        base=MajorityBase.VALID, duration_seconds=3600, now=datetime.now(UTC),
    )
    open_vote(db, vote, now=datetime.now(UTC))
    db.flush()
    bodies = []
    for body in _encrypt(vote, count):
        ballot = json.loads(body)
        ballot.pop("state", None)  # what a browser posts
        bodies.append(json.dumps(ballot).encode())
    return vote.id, bodies


# --- a minimal HTTP/1.1 client on asyncio sockets ------------------------------------------


@dataclass
class Session:
    cookie: str = ""
    csrf: str = ""


async def _request(
    port: int, method: str, path: str, session: Session, body: Any = None
) -> tuple[int, dict[str, str], Any]:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        data = b"" if body is None else json.dumps(body).encode()
        head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Connection: close",
                "Accept: application/json", f"Content-Length: {len(data)}"]
        if data:
            head.append("Content-Type: application/json")
        if session.cookie:
            head.append(f"Cookie: {session.cookie}")
        if session.csrf:
            head.append(f"X-CSRF-Token: {session.csrf}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        raw = await reader.read()
    finally:
        writer.close()
    header, _, payload = raw.partition(b"\r\n\r\n")
    lines = header.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    if "set-cookie" in headers:
        session.cookie = headers["set-cookie"].split(";", 1)[0]
    status = int(lines[0].split()[1])
    return status, headers, json.loads(payload) if payload.startswith(b"{") else None


async def _login(port: int, login: tuple[str, str]) -> Session:
    session = Session()
    _, _, body = await _request(port, "GET", "/api/csrf", session)
    session.csrf = body["csrf_token"]
    status, _, body = await _request(
        port, "POST", "/api/auth/login", session, {"login": login[0], "password": login[1]}
    )
    if status != 200:
        raise RuntimeError(f"login failed: {status} {body}")
    session.csrf = body["csrf_token"]
    return session


async def _latencies(
    port: int, people: People, rounds: int, casters: range
) -> dict[str, float]:
    """Median seconds of `GET /api/health`, of a whole login (csrf + POST) with the production
    password hash, and of casting a ballot (`POST /api/votes/<id>/ballots`, acknowledged only
    once valid and stored)."""
    timed = people.timed
    health, login, cast = [], [], []
    for _ in range(rounds):
        t = time.perf_counter()
        status, _, _ = await _request(port, "GET", "/api/health", Session())
        health.append(time.perf_counter() - t)
        assert status == 200
    for _ in range(max(rounds // 5, 3)):
        t = time.perf_counter()
        await _login(port, timed)
        login.append(time.perf_counter() - t)
    for i in casters:
        session = await _login(port, people.delegates[i])
        path = f"/api/votes/{people.vote_id}/ballots"
        t = time.perf_counter()
        status, _, body = await _request(port, "POST", path, session, json.loads(people.ballots[i]))
        cast.append(time.perf_counter() - t)
        if status not in (200, 201):
            raise RuntimeError(f"cast refused: {status} {body}")
    return {
        "health": statistics.median(health),
        "login": statistics.median(login),
        "cast": statistics.median(cast),
    }


# --- the streams ------------------------------------------------------------------------


@dataclass
class Stream:
    session: Session
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    got_at: float | None = None
    refused: int = 0
    writer: asyncio.StreamWriter | None = None


async def _follow(port: int, stream: Stream, title: str, deadline: float) -> None:
    """Open the live page (retrying a 503 after Retry-After), then wait for the agenda event."""
    while time.monotonic() < deadline:
        reader, writer = await asyncio.open_connection(HOST, port)
        stream.writer = writer
        writer.write(
            f"GET /api/live HTTP/1.1\r\nHost: {HOST}\r\nAccept: text/event-stream\r\n"
            f"Cookie: {stream.session.cookie}\r\n\r\n".encode()
        )
        status_line = await reader.readline()
        status = int(status_line.split()[1])
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.lower()] = value.strip()
        if status == 503:
            stream.refused += 1
            writer.close()
            await asyncio.sleep(float(headers.get("retry-after", "5")))
            continue
        if status != 200:
            raise RuntimeError(f"/api/live answered {status}")
        buffer = b""
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                return
            buffer += chunk
            if not stream.ready.is_set() and b"event: snapshot" in buffer:
                stream.ready.set()
            if title.encode() in buffer:
                stream.got_at = time.perf_counter()
                return
            buffer = buffer[-4096:]


async def _run_streams(args: argparse.Namespace, port: int, people: People) -> dict[str, Any]:
    deadline = time.monotonic() + args.limit - 30
    result: dict[str, Any] = {}
    await _latencies(port, people, 10, range(CASTS))  # warm-up
    baseline = await _latencies(port, people, args.rounds, range(CASTS, 2 * CASTS))
    result["memory_idle_mib"] = _rss_mib(args.server_pid)
    result["threads_idle"] = _threads(args.server_pid)

    gate = asyncio.Semaphore(50)

    async def login(who: tuple[str, str]) -> Session:
        async with gate:
            return await _login(port, who)

    sessions = await asyncio.gather(*(login(d) for d in people.delegates))
    title = f"TOP {os.getpid()}: Wahlen"
    streams = [Stream(s) for s in sessions]
    started = time.perf_counter()
    tasks = [asyncio.create_task(_follow(port, s, title, deadline)) for s in streams]
    ready_by = asyncio.gather(*(s.ready.wait() for s in streams))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(ready_by, timeout=max(deadline - time.monotonic() - 20, 5))
    held = sum(s.ready.is_set() for s in streams)
    result["held"] = held
    result["open_seconds"] = time.perf_counter() - started
    result["refused_503"] = sum(s.refused for s in streams)
    await asyncio.sleep(1)
    loaded = await _latencies(port, people, args.rounds, range(2 * CASTS, 3 * CASTS))
    result["memory_mib"] = _rss_mib(args.server_pid)
    result["threads"] = _threads(args.server_pid)

    presidium = await _login(port, people.presidium)
    sent = time.perf_counter()
    status, _, _ = await _request(port, "PUT", "/api/agenda/current", presidium, {"title": title})
    assert status == 200, status
    await asyncio.wait(tasks, timeout=max(min(30.0, deadline - time.monotonic()), 1))
    delays = sorted(s.got_at - sent for s in streams if s.got_at is not None)
    result["received"] = len(delays)
    enough = math.ceil(0.99 * len(streams))
    result["p99"] = delays[enough - 1] if len(delays) >= enough else None
    result["p100"] = delays[-1] if len(delays) == len(streams) else None
    for task in tasks:
        task.cancel()
    for s in streams:
        if s.writer is not None:
            s.writer.close()
    result["baseline"], result["loaded"] = baseline, loaded
    return result


def _report(args: argparse.Namespace, r: dict[str, Any]) -> None:
    def ms(x: float | None) -> str:
        return "n/a" if x is None else f"{x * 1000:.1f} ms"

    print(f"machine: {os.cpu_count()} cores (nproc), {_cpu_model()}, Python "
          f"{platform.python_version()}")
    print(f"server: evote serve, {args.workers_label}, broker {args.broker}")
    print(f"streams asked {args.streams}, held {r['held']} "
          f"(opened in {r['open_seconds']:.1f} s, {r['refused_503']} answers 503 retried)")
    extra = (r["memory_mib"] - r["memory_idle_mib"]) / max(r["held"], 1) * 1024
    print(f"server processes: {r['memory_mib']:.0f} MiB resident, {r['threads']} threads "
          f"(no streams: {r['memory_idle_mib']:.0f} MiB, {r['threads_idle']} threads; "
          f"{extra:.0f} KiB per stream)")
    print(f"agenda event received by {r['received']} of {args.streams}: "
          f"99 % after {ms(r.get('p99'))}, 100 % after {ms(r.get('p100'))}")
    for name in ("health", "login", "cast"):
        base, loaded = r["baseline"][name], r["loaded"][name]
        print(f"{name:>7}: {ms(base)} without streams, {ms(loaded)} with {r['held']} open "
              f"(x{loaded / base:.2f})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--broker", choices=("redis", "memory"), default="redis")
    parser.add_argument("--workers", type=int, default=None, help="default: the config's")
    parser.add_argument("--rounds", type=int, default=30, help="health requests per latency")
    parser.add_argument("--limit", type=float, default=240, help="seconds; the run stops then")
    args = parser.parse_args(argv)
    if not 3 * CASTS <= args.streams <= MAX_STREAMS:
        parser.error(f"--streams must be between {3 * CASTS} and {MAX_STREAMS}")
    args.limit = max(args.limit, 60)

    with tempfile.TemporaryDirectory(prefix="evote-live-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("EVOTE_")}
        env.update(
            EVOTE_DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
            EVOTE_INSTANCE_PATH=tmp,
            EVOTE_SECRET_KEY=secrets.token_hex(32),
            EVOTE_COOKIE_SECURE="0",
            EVOTE_LOG_LEVEL="warning",
            EVOTE_LIVE_BROKER=args.broker,
            EVOTE_REDIS_URL=REDIS_URL,
        )
        if args.broker == "memory":
            args.workers = 1  # the in-process broker reaches one process only
        subprocess.run([EVOTE, "db", "upgrade"], env=env, check=True, capture_output=True)
        people = _setup(env, args.streams)
        port = _free_port()
        cmd = [EVOTE, "serve", "--bind", f"{HOST}:{port}"]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        args.workers_label = f"{args.workers or 'default'} workers (gthread)"
        server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        args.server_pid = server.pid
        try:
            _wait_healthy(port, server)
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            args.workers_label = f"{len(children)} workers (gthread)"
            result = asyncio.run(asyncio.wait_for(_run_streams(args, port, people), args.limit))
        finally:
            server.terminate()
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
    _report(args, result)


def _wait_healthy(port: int, server: subprocess.Popen[bytes]) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/health", timeout=2):
                time.sleep(1)  # let every worker finish booting
                return
        except OSError as err:
            if server.poll() is not None:
                why = server.stderr.read().decode() if server.stderr else "died"
                raise RuntimeError(why) from err
            time.sleep(0.3)
    raise RuntimeError("server did not come up")


if __name__ == "__main__":
    main()
