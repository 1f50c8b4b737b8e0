"""The convention rehearsal against a local server: `evote rehearse` at N delegates.

    python -m bench.rehearsal [--delegates 1000] [--countdown 60] [--baseline 10]
                              [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Loopback only, bounded (every step has a time limit; the server is stopped and the schema
dropped at the end). What it does, in one run:

1. a fresh schema in the PostgreSQL database (`evote db upgrade`), then `evote serve` with the
   shipped gunicorn config (4 workers on 2 cores, PostgreSQL LISTEN/NOTIFY between them) on a
   free 127.0.0.1 port;
2. `evote rehearse prepare` with N delegates (credentials with the production Argon2id profile,
   timed; the 3-of-5 key ceremony of five evote-guardian state folders);
3. the baseline: `evote rehearse` with the first `--baseline` delegates (a crowd too small to
   load anything: what each step costs on its own), then the run with all N;
4. the table: each goal's metric at N and at the baseline, their ratio, the goal and pass/fail,
   and the machine with its load average.

The load generator (a thousand delegates' HTTP, SSE and the ballot encryption pool) runs on
the same cores as the server and the database, so the server's numbers are pessimistic.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import profile

HOST = "127.0.0.1"
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
EVOTE = str(Path(sys.executable).with_name("evote"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _run(env: dict[str, str], args: list[str], limit: float) -> subprocess.CompletedProcess[str]:
    """An evote command; its progress (stderr) goes to the terminal, its report is captured."""
    return subprocess.run([EVOTE, *args], env=env, stdout=subprocess.PIPE, text=True,
                          timeout=limit, check=False)


def _wait_healthy(base: str, server: subprocess.Popen[bytes], limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=2):
                time.sleep(1)  # let every worker finish booting
                return
        except OSError as err:
            if server.poll() is not None:
                raise RuntimeError("evote serve exited") from err
            time.sleep(0.3)
    raise RuntimeError("evote serve did not come up")


def _metrics(r: dict[str, Any]) -> list[tuple[str, float | None, int | None]]:
    """(name, seconds, index of its row in the report's goals) of each goal row, and of the
    rows without a goal that are worth a ratio."""
    return [
        ('"vote opened" on every live page', r["opened"]["max"], 1),
        ("cast latency p99 (opening rush included)", r["cast"]["latency"]["p99"], 2),
        ("cast latency p50", r["cast"]["latency"]["p50"], None),
        ("countdown end → vote_closed on every page", r["closed"]["max"], 3),
        ("countdown end → result decrypted (3 of 5, 2 compensated)",
         r["decrypted"]["seconds"], 4),
        ("one login (p50), during the login rush", r["login_rush"]["login"]["p50"], None),
        ("login rush, all logins + check-ins", r["login_rush"]["seconds"], None),
        ("last receipt after the opening", r["cast"]["receipts_all_after"], None),
        ("record check (evote-verify)", r["record"]["verify_seconds"], None),
    ]  # fmt: skip


def _print(main: dict[str, Any], base: dict[str, Any], seconds: dict[str, float]) -> None:
    def s(x: float | None) -> str:
        return "—" if x is None else f"{x:.2f} s"

    n, b = main["delegates"], base["delegates"]
    tally = main["record"]["tally"]
    print(f"\nrehearsal: {n} delegates, {main['countdown']} s countdown, evote serve (gunicorn, "
          "PostgreSQL) on this machine; baseline: the same tool with "
          f"{b} delegates, {base['countdown']} s countdown, same server and event")
    print(f"| metric | {n} delegates | {b} delegates (baseline) | ratio | goal | |")
    print("|---|---|---|---|---|---|")
    correct = {g["metric"]: g["passed"] for g in main["goals"]}
    print(f"| ballots lost, doubled | {tally['lost']}, {tally['doubled']} "
          f"({tally['casters']} receipts, {tally['in_record']} in the record, "
          f"record verifies: {main['record']['verified']}, totals match: "
          f"{main['record']['totals_match']}) | {base['record']['tally']['lost']}, "
          f"{base['record']['tally']['doubled']} | | 0 | "
          f"{'pass' if correct['ballots lost, doubled'] else 'FAIL'} |")
    for (name, value, row), (_, baseline, _) in zip(_metrics(main), _metrics(base), strict=True):
        ratio = f"{value / baseline:.1f}×" if value and baseline else ""
        goal = main["goals"][row]["goal"] if row is not None else ""
        verdict = ("pass" if main["goals"][row]["passed"] else "FAIL") if row is not None else ""
        print(f"| {name} | {s(value)} | {s(baseline)} | {ratio} | {goal} | {verdict} |")
    issuing = main["issuing"]
    print(f"| credential issuing ({issuing['count']}, {issuing['profile']}) | "
          f"{s(issuing['seconds'])} ({issuing['seconds'] / issuing['count'] * 1000:.0f} ms each, "
          f"{issuing.get('workers', 1)} at once) | | | | |")
    print(f"| live pages held | {main['pages']['held']} of {n} (503: "
          f"{main['pages']['refused_503']}) | {base['pages']['held']} of {b} | | | |")
    m0, m1 = main["machine"], main["machine_end"]
    print(f"\nmachine: nproc {m0['nproc']}, {m0['cpu']}, Python {m0['python']}; load average "
          f"{' '.join(map(str, base['machine']['load']))} before the baseline, "
          f"{' '.join(map(str, m0['load']))} before the run, {' '.join(map(str, m1['load']))} "
          "after it (the load generator and the server share these cores)")
    print("bench phases: " + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items()))
    _print_where(main)
    print("RESULT at", n, "delegates:", "every goal met" if main["passed"] else "some goal MISSED")


def _print_where(run: dict[str, Any]) -> None:
    """Who held the cores in each phase of the big run, and the server's profile."""
    if run.get("cpu"):
        print("\nwhere the time went at", run["delegates"], "delegates: CPU seconds per phase "
              "(postgres: every backend of the database server, other users' too)")
        print("| phase | wall | server | guardians | postgres | load tool | py-spy | other | "
              "machine busy of cores × wall |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, c in run["cpu"].items():
            wall = c["capacity"] / (run["machine"]["nproc"] or 1)
            print(f"| {name} | {wall:.1f} s | {c['server']} | {c['guardians']} | "
                  f"{c['postgres']} | {c['load tool']} | {c.get('py-spy', 0)} | {c['other']} | "
                  f"{c['machine']} of "
                  f"{c['capacity']:.1f} |")
    logged = run.get("server_log")
    if logged:
        print(f"\nthe server's own timings (gunicorn access log; {logged['responses_5xx']} "
              f"responses 5xx, {logged['errors']} errors logged), routes by total time:")
        print("| route | requests | p50 | p99 | max | total | statuses |\n|---|---|---|---|---|---|---|")
        shown = [(r, t) for r, t in logged["routes"].items() if r != "GET /api/live"]
        for route, t in shown[:8]:  # live pages are open for the whole run, so left out
            codes = ", ".join(f"{k}: {v}" for k, v in sorted(t["statuses"].items()))
            print(f"| {route} | {t['count']} | {t['p50']:.3f} s | {t['p99']:.3f} s | "
                  f"{t['max']:.3f} s | {t['total']:.0f} s | {codes} |")
    spied = run.get("profile")
    if spied is None:
        return
    if spied["problem"] or not spied["phases"]["whole run"]["parts"]:
        print(f"\nserver profile: none ({spied['problem'] or 'no samples'})")
        return
    names = [n for n, p in spied["phases"].items() if p["parts"]]
    shares = {n: {part: share for part, _, share in spied["phases"][n]["parts"]} for n in names}
    parts = [part for part, _, _ in spied["phases"]["whole run"]["parts"]]
    print("\nserver profile (py-spy on every worker, samples of threads not idle, by the part of "
          "the code in the innermost frame; blocked waits py-spy could not tell apart are "
          "'waiting'):")
    print("| part | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    for part in parts:
        print(f"| {part} | " + " | ".join(f"{shares[n].get(part, 0):.0%}" for n in names) + " |")
    samples = {n: sum(c for _, c, _ in spied["phases"][n]["parts"]) for n in names}
    print("| samples | " + " | ".join(str(samples[n]) for n in names) + " |")
    for n in names:
        print(f"top functions ({n}): " + "; ".join(
            f"{frame} {share:.0%}" for frame, share in spied["phases"][n]["top"][:6]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delegates", type=int, default=1000)
    parser.add_argument("--countdown", type=int, default=60)
    parser.add_argument("--baseline", type=int, default=10, help="delegates of the baseline run")
    parser.add_argument("--baseline-countdown", type=int, default=20)
    parser.add_argument("--no-profile", dest="profile", action="store_false",
                        help="no py-spy on the server during the big run (default: if installed)")
    parser.add_argument("--database-url",
                        default=os.environ.get("EVOTE_BENCH_DATABASE_URL", DEFAULT_DATABASE))
    args = parser.parse_args(argv)
    if not 1 <= args.baseline < args.delegates <= 5000:
        parser.error("need 1 <= --baseline < --delegates <= 5000")

    from sqlalchemy import create_engine, text

    engine = create_engine(args.database_url)
    schema = f"evote_bench_{secrets.token_hex(4)}"
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        print(f"rehearsal benchmark skipped: no PostgreSQL at {args.database_url} ({exc})")
        return
    seconds: dict[str, float] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="evote-rehearsal-bench-") as tmp:
            env = {k: v for k, v in os.environ.items() if not k.startswith("EVOTE_")}
            env.update(
                EVOTE_DATABASE_URL=args.database_url, EVOTE_DATABASE_SCHEMA=schema,
                EVOTE_INSTANCE_PATH=tmp, EVOTE_SECRET_KEY=secrets.token_hex(32),
                EVOTE_COOKIE_SECURE="0", EVOTE_LOG_LEVEL="warning",
            )
            subprocess.run([EVOTE, "db", "upgrade"], env=env, check=True, capture_output=True,
                           timeout=120)
            port = _free_port()
            base = f"http://{HOST}:{port}"
            log_path = Path(tmp) / "server.log"  # gunicorn's access and error log
            log = log_path.open("wb")
            server = subprocess.Popen([EVOTE, "serve", "--bind", f"{HOST}:{port}"], env=env,
                                      stdout=log, stderr=subprocess.STDOUT)
            try:
                _wait_healthy(base, server)
                folder = Path(tmp) / "rehearsal"
                started = time.monotonic()
                done = _run(env, ["rehearse", "prepare", base, "--delegates", str(args.delegates),
                                  "--folder", str(folder)], limit=3600)
                seconds["prepare"] = time.monotonic() - started
                if done.returncode != 0:
                    raise RuntimeError(f"prepare failed: {done.stdout}")
                reports = []
                for count, countdown in ((args.baseline, args.baseline_countdown),
                                         (args.delegates, args.countdown)):
                    out = Path(tmp) / f"run-{count}.json"
                    log_from = log_path.stat().st_size
                    started = time.monotonic()
                    watched = count == args.delegates  # the profile covers the big run only
                    spy = profile.Profiler(server.pid, Path(tmp) / "py-spy")
                    with profile.CpuLog(server.pid) as cpu, (
                            spy if watched and args.profile else contextlib.nullcontext()):
                        done = _run(env, ["rehearse", base, "--delegates", str(count),
                                          "--countdown", str(countdown), "--folder", str(folder),
                                          "--json", str(out)], limit=3600)
                    seconds[f"run of {count}"] = time.monotonic() - started
                    if done.returncode not in (0, 3):
                        raise RuntimeError(f"the run of {count} failed: {done.stdout}")
                    print(done.stdout)
                    reports.append(json.loads(out.read_text()))
                    reports[-1]["cpu"] = {name: cpu.between(a, b)
                                          for name, a, b in profile.phases(reports[-1])}
                    with log_path.open("rb") as f:
                        f.seek(log_from)
                        reports[-1]["server_log"] = profile.server_log(
                            f.read().decode(errors="replace"))
                if args.profile:
                    spans = [("whole run", 0.0, float("inf")),
                             *profile.phases(reports[-1])]
                    reports[-1]["profile"] = {
                        "problem": spy.problem,
                        "phases": {name: {"parts": profile.summary(spy.files(a, b)),
                                          "top": profile.top_functions(spy.files(a, b))}
                                   for name, a, b in spans},
                    }
                keep = Path(os.environ.get("EVOTE_BENCH_KEEP", ""))
                if keep.name:
                    keep.write_text(json.dumps({"baseline": reports[0], "run": reports[1]}))
                    if args.profile and spy.chunks:
                        with keep.with_suffix(".pyspy.txt").open("w") as f:
                            for a, b, chunk in spy.chunks:
                                f.write(f"# chunk {a:.3f} {b:.3f}\n{chunk.read_text()}")
                    shutil.copy(log_path, keep.with_suffix(".server.log"))
            finally:
                server.terminate()
                try:
                    server.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    server.kill()
                log.close()
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
    _print(reports[1], reports[0], seconds)


if __name__ == "__main__":
    main()
