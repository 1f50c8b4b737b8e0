"""The delegate page from "vote opened" to "ballot sent", with and without voting codes.

    python -m bench.delegate_page [--rounds 8] [--chromium /usr/bin/chromium]

Issue 14's goal: signing each ballot with the delegate's voting code (docs/credentials.md) adds
at most 50 ms to the time from a vote's opening to the ballot on the wire.  Two demo
conventions run side by side in this process (`evote.demo`, SQLite, a server thread each):
the baseline without a credentials committee, and one with it, where the page has the code
(typed once after login, as a delegate does) and signs.  One delegate page per convention in
headless Chromium (bench/delegate_page_chromium.mjs, a phone-sized window) clicks as fast as
a script can; the rounds alternate between the two and change which goes first, so the shared
machine's load hits both alike.  Prints each side's median and mean, the difference and the
ratio, all from the same run, and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOAL_MS = 50.0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--chromium", default=os.environ.get("EVOTE_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    node = shutil.which("node")
    if node is None or not Path(args.chromium).exists() or not (
        REPO / "web" / "node_modules" / "playwright-core"
    ).exists():
        print("delegate page benchmark skipped: needs node, Chromium and playwright-core "
              "(npm ci --prefix web)")
        return

    from evote.demo.command import set_up
    from evote.demo.local_server import bind, quiet_request_log

    quiet_request_log()
    demos: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="evote-bench-page-") as tmp:
        try:
            for name, committee in (("without", False), ("with", True)):
                folder = Path(tmp) / name
                folder.mkdir()
                print(f"setting up the demo convention {name} voting codes ...", flush=True)
                demos[name] = set_up(folder, bind("127.0.0.1", _free_port()), "127.0.0.1",
                                     say=lambda _line: None, committee=committee)
            _run(demos, args, node)
        finally:
            for demo in demos.values():
                demo.server.stop()


def _run(demos: dict[str, Any], args: argparse.Namespace, node: str) -> None:
    from evote.demo.convention import presidium_of

    sides = {}
    for name, demo in demos.items():
        delegate = next(x for x in demo.logins if x.seat.login_name == "delegate1")
        sides[name] = {"base": demo.url, "login": "delegate1", "password": delegate.password,
                       "code": demo.committee.codes["delegate1"] if demo.committee else None}
    presidia = {name: presidium_of(demo.app, demo.logins) for name, demo in demos.items()}
    env = {**os.environ, "EVOTE_BENCH": json.dumps({"chromium": args.chromium, "sides": sides})}
    driver = subprocess.Popen(
        [node, str(REPO / "bench" / "delegate_page_chromium.mjs")], env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
    )
    assert driver.stdin is not None and driver.stdout is not None

    def expect(prefix: str) -> str:
        assert driver.stdout is not None
        line = driver.stdout.readline().strip()
        if not line.startswith(prefix):
            driver.kill()
            raise SystemExit(f"the browser driver said {line!r}, expected {prefix!r}")
        return line

    times: dict[str, list[list[float]]] = {name: [] for name in demos}
    try:
        expect("ready")
        for r in range(args.rounds + 1):  # round 0 warms both up and is not counted
            order = list(demos) if r % 2 == 0 else list(reversed(list(demos)))
            for name in order:
                presidium = presidia[name]
                vote = presidium.post("/api/votes", {
                    "kind": "motion", "title": f"Bench {r}", "with_abstain": True,
                    "majority_rule": "simple", "duration_seconds": 300,
                })  # fmt: skip
                driver.stdin.write(f"go {name}\n")
                expect("t0")
                presidium.post(f"/api/votes/{vote['id']}/open")
                ms = [float(x) for x in expect(f"sent {name}").split()[2:]]
                presidium.post(f"/api/votes/{vote['id']}/close")
                if r:
                    times[name].append(ms)
        driver.stdin.write("quit\n")
        driver.stdin.close()
        driver.wait(timeout=60)
    finally:
        if driver.poll() is None:
            driver.kill()
    _report(times, args.rounds)


def _report(phases: dict[str, list[list[float]]], rounds: int) -> None:
    times = {name: [p[0] for p in values] for name, values in phases.items()}
    base, signed = times["without"], times["with"]
    median_base, median_signed = statistics.median(base), statistics.median(signed)
    diff = median_signed - median_base
    print(f"\ndelegate page, vote opened -> ballot sent (headless Chromium, {rounds} rounds each, "
          "alternating):")
    for name, values in times.items():
        print(f"  {name:<7} voting codes : median {statistics.median(values):7.1f} ms, mean "
              f"{statistics.fmean(values):7.1f} ms, min {min(values):7.1f}, max {max(values):7.1f}")
        ready, encrypted, send = (statistics.median(p[i] for p in phases[name]) for i in (1, 2, 3))
        print(f"    medians: form ready {ready:.1f} ms after the opening, encrypted"
              f"{' and signed' if name == 'with' else ''} {encrypted:.1f} ms after the click, "
              f"on the wire {send:.1f} ms after the cast click")
    print(f"  difference (median)   : {diff:+.1f} ms, ratio {median_signed / median_base:.2f}x   "
          f"(goal: <= +{GOAL_MS:.0f} ms) {'PASS' if diff <= GOAL_MS else 'FAIL'}")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores (nproc), {_cpu_model()}, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; Python {platform.python_version()}")


if __name__ == "__main__":
    sys.exit(main())
