"""Where the rehearsal's time goes: CPU per process group and phase, and the server's profile.

Two instruments, both outside the processes they watch (nothing in evote is changed to be
measured):

- `CpuLog` reads every process's CPU time from /proc twice a second and sorts it into groups:
  the server (`evote serve`: gunicorn's master and workers), the guardians (`evote-guardian`
  processes), PostgreSQL (every `postgres` process: other users of the database server count
  too), py-spy (the profiler's own cost) and the load tool (everything else the benchmark
  started: `evote rehearse`, its encryption pool, `evote-verify`); plus the whole machine's busy time from /proc/stat. Split by
  the run's phases (login rush, casting, close to result), it says who held the cores while a
  goal was being measured.
- `Profiler` runs py-spy (if installed: `pip install py-spy`) on the server and its workers
  (`--subprocesses --nonblocking`, idle threads left out, so the samples are CPU time), and
  `summary` sorts the samples by the innermost frame that names a known part (proof checks,
  Argon2, SQLAlchemy/psycopg, JSON, live streams, ...).

Linux only (/proc); elsewhere both say they measured nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
GROUPS = ("server", "guardians", "postgres", "load tool", "py-spy", "other")


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid → (parent pid, command name, CPU seconds so far) of every process we can read."""
    found: dict[int, tuple[int, str, float]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        found[int(entry.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / TICK)
    return found


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = parts[3] + parts[4]
    return (sum(parts) - idle) / TICK, sum(parts) / TICK


class CpuLog:
    """CPU seconds per group, sampled every `every` seconds in a thread while running."""

    def __init__(self, server_pid: int, every: float = 0.5) -> None:
        self.server_pid = server_pid
        self.me = os.getpid()
        self.every = every
        self.samples: list[tuple[float, dict[str, float], float]] = []
        """(time, CPU seconds used since the previous sample per group, machine busy seconds)."""
        self._last: dict[int, float] = {}
        self._machine = (0.0, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="cpu-log", daemon=True)
        self.available = Path("/proc/stat").exists()

    def _group(self, pid: int, table: dict[int, tuple[int, str, float]]) -> str:
        if table[pid][1] in ("postgres", "py-spy"):
            return table[pid][1]
        seen = 0
        while pid in table and seen < 64:
            if pid == self.server_pid:
                return "server"
            if table[pid][1].startswith("evote-guardian"):
                return "guardians"
            if pid == self.me:
                return "load tool"
            pid, seen = table[pid][0], seen + 1
        return "other"

    def _sample(self) -> None:
        table = _processes()
        used: dict[str, float] = defaultdict(float)
        now_cpu: dict[int, float] = {}
        for pid, (_, _, cpu) in table.items():
            now_cpu[pid] = cpu
            used[self._group(pid, table)] += cpu - self._last.get(pid, cpu)
        busy, total = _machine_busy()
        machine = busy - self._machine[0] if self._machine[1] else 0.0
        if self._last:
            self.samples.append((time.time(), dict(used), machine))
        self._last, self._machine = now_cpu, (busy, total)

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def __enter__(self) -> CpuLog:
        if self.available:
            self._sample()
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self.available:
            self._stop.set()
            self._thread.join()
            self._sample()

    def between(self, start: float, end: float) -> dict[str, float]:
        """CPU seconds per group (and `machine`, `cores × seconds` as `capacity`) in [start, end]."""
        out: dict[str, float] = dict.fromkeys(GROUPS, 0.0)
        out["machine"] = 0.0
        for moment, used, machine in self.samples:
            if start < moment <= end + self.every:
                for group, cpu in used.items():
                    out[group] += cpu
                out["machine"] += machine
        out["capacity"] = (os.cpu_count() or 1) * (end - start)
        return {k: round(v, 1) for k, v in out.items()}


def phases(run: dict[str, Any]) -> list[tuple[str, float, float]]:
    """(name, start, end) on this machine's clock, from a rehearsal report's `moments`."""
    m = run.get("moments") or {}
    rush = run["login_rush"]["seconds"]
    last = run["cast"]["receipts_all_after"]
    found = []
    if m.get("rush_start") and rush:
        found.append(("login rush", m["rush_start"], m["rush_start"] + rush))
    if m.get("open_sent") and last:
        found.append(("opening to last receipt", m["open_sent"], m["open_sent"] + last))
    if m.get("closes_at") and m.get("decrypted_at"):
        found.append(("countdown end to result", m["closes_at"], m["decrypted_at"]))
    return found


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


class Profiler:
    """py-spy on the server's process tree, in chunks of `chunk` seconds (collapsed stacks, one
    file each, with their start and end), so a phase of the run can be read on its own."""

    def __init__(self, server_pid: int, folder: Path, rate: int = 10, chunk: float = 10) -> None:
        self.server_pid, self.folder, self.rate, self.chunk = server_pid, folder, rate, chunk
        self.chunks: list[tuple[float, float, Path]] = []
        self.problem = "" if py_spy() else "py-spy not installed (pip install py-spy)"
        self._proc: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="py-spy", daemon=True)

    def _loop(self) -> None:
        exe = py_spy()
        assert exe is not None
        while not self._stop.is_set():
            path = self.folder / f"chunk-{len(self.chunks):04d}.txt"
            started = time.time()
            self._proc = subprocess.Popen(
                [exe, "record", "--pid", str(self.server_pid), "--subprocesses", "--nonblocking",
                 "--rate", str(self.rate), "--duration", str(int(self.chunk)), "--format", "raw",
                 "--output", str(path)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip
            _, err = self._proc.communicate()
            if path.exists():
                self.chunks.append((started, time.time(), path))
            elif not self._stop.is_set():
                self.problem = f"py-spy wrote nothing: {err.decode(errors='replace')[-300:]}"
                return

    def __enter__(self) -> Profiler:
        if not self.problem:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self.problem and not self._thread.is_alive():
            return
        self._stop.set()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
        self._thread.join(timeout=60)

    def files(self, start: float = 0.0, end: float = float("inf")) -> list[Path]:
        """The chunks that lie mostly within [start, end]."""
        return [p for a, b, p in self.chunks if start <= (a + b) / 2 <= end]


PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Argon2id (logins)", ("argon2", "passwords.py")),
    ("ballot crypto: parsing, proof checks", ("evote/crypto/", "proof_batcher", "ballot_crypto")),
    ("receipt signature", ("nacl", "receipt")),
    ("JSON", ("json/", "orjson", "simplejson")),
    ("SQLAlchemy, psycopg", ("sqlalchemy", "psycopg")),
    ("live streams", ("evote/live/", "api/live")),
    ("Flask, Werkzeug, gunicorn", ("flask", "werkzeug", "gunicorn", "socket", "selectors")),
)


WAITS = ("wait", "select", "poll", "accept", "recv", "recv_into", "sleep", "acquire", "readinto")


def _part(stack: list[str]) -> str:
    """The innermost frame's part (the frame doing the work; its callers are context). A thread
    blocked in a wait that py-spy did not see as idle (`--nonblocking` reads no kernel state)
    is counted as waiting, not as work. The outermost frame names the process
    (`--subprocesses`), not code, and is skipped."""
    leaf = stack[-1] if stack else ""
    if leaf.split(" (", 1)[0].rsplit(".", 1)[-1] in WAITS:
        return "waiting for PostgreSQL" if "psycopg" in leaf else "waiting (locks, sockets)"
    for frame in reversed(stack[1:] if stack and stack[0].startswith("process ") else stack):
        lower = frame.lower()
        for name, needles in PARTS:
            if any(n in lower for n in needles):
                return name
    return "other evote and Python"


def _lines(paths: list[Path]) -> list[str]:
    return [line for p in paths for line in p.read_text(errors="replace").splitlines()]


def summary(paths: list[Path]) -> list[tuple[str, int, float]]:
    """(part, samples, share) from py-spy's collapsed stacks, largest first."""
    counts: Counter[str] = Counter()
    for line in _lines(paths):
        stack_text, _, n = line.rpartition(" ")
        if not stack_text or not n.isdigit():
            continue
        counts[_part(stack_text.split(";"))] += int(n)
    total = sum(counts.values()) or 1
    return [(part, n, n / total) for part, n in counts.most_common()]


def top_functions(paths: list[Path], limit: int = 12) -> list[tuple[str, float]]:
    """The innermost frames that took the most samples (self time), with their share; waits
    left out."""
    counts: Counter[str] = Counter()
    for line in _lines(paths):
        stack_text, _, n = line.rpartition(" ")
        if stack_text and n.isdigit() and not _part(stack_text.split(";")).startswith("waiting"):
            counts[stack_text.split(";")[-1]] += int(n)
    total = sum(counts.values()) or 1
    return [(frame, n / total) for frame, n in counts.most_common(limit)]


ACCESS = re.compile(r'"(?P<method>[A-Z]+) (?P<path>[^" ]+)" (?P<status>\d{3}) \S+ (?P<seconds>[\d.]+)s')


def server_log(text: str) -> dict[str, Any]:
    """The server's own timings from gunicorn's access log (request time from the first byte
    read to the response, so without the wait before a thread took the connection): per route
    (ids as `<n>`) count, p50, p99, max and statuses; and how many errors the error log holds."""
    times: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    for line in text.splitlines():
        found = ACCESS.search(line)
        if not found:
            continue
        path = re.sub(r"/\d+", "/<n>", found["path"])
        route = f"{found['method']} {path}"
        times[route].append(float(found["seconds"]))
        statuses[route][found["status"]] += 1
    routes = {}
    for route, values in times.items():
        values.sort()
        routes[route] = {
            "count": len(values), "total": round(sum(values), 1),
            "p50": values[len(values) // 2], "p99": values[max(0, -(-len(values) * 99 // 100) - 1)],
            "max": values[-1], "statuses": dict(statuses[route]),
        }
    return {
        "routes": dict(sorted(routes.items(), key=lambda kv: -kv[1]["total"])),
        "errors": sum(1 for line in text.splitlines() if "[ERROR]" in line or "Traceback" in line),
        "responses_5xx": sum(n for s in statuses.values() for code, n in s.items() if code[0] == "5"),
    }
