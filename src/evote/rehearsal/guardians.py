"""The guardians after the countdown: each present one runs `evote-guardian decrypt` as its own
process, as on its own laptop, with the state folder `prepare` left for it.

They start together `READY_BEFORE_CLOSE` seconds before the countdown ends, as guardians ready
at their laptops would, and keep going (`--wait`) until the result is out: each waits for the
close, checks the published ballots, sends its share, and then the compensated shares for the
absent guardians that the server asks of it. The absent ones run nothing. Starting early keeps
the program's start, opening the state and resuming the session out of the time to the result,
which is what the guardians in the hall see too; it comes after the casting rush.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from evote.rehearsal.folder import GuardianSeat

READY_BEFORE_CLOSE = 10.0
"""Seconds before the countdown's end at which the guardians start (a third of the countdown
if that is shorter)."""
WAIT_SECONDS = 300
"""How long each guardian keeps trying by default (`decrypt --wait`)."""


def command(name: str, fallback: list[str]) -> list[str]:
    """The installed console script `name` beside this Python, or on PATH, or `fallback` run
    by this Python (a source checkout without the scripts)."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    if found:
        return [found]
    return [sys.executable, *fallback]


def guardian_command() -> list[str]:
    return command("evote-guardian", ["-c", "from evote_guardian.cli import main; main()"])


@dataclass
class GuardianRun:
    login: str
    started_at: float
    seconds: float
    exit_code: int
    output: str

    def to_json(self) -> dict[str, object]:
        return {
            "login": self.login, "seconds": round(self.seconds, 3), "exit_code": self.exit_code,
            "output_tail": self.output[-600:],
        }


async def _one(seat: GuardianSeat, folder: Path, vote_id: int, wait: int) -> GuardianRun:
    env = {**os.environ, "EVOTE_GUARDIAN_PASSPHRASE": seat.passphrase}
    started, clock = time.time(), time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        *guardian_command(), "--state-dir", str(folder / seat.folder), "decrypt", str(vote_id),
        "--wait", str(wait),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, env=env,
    )
    out, _ = await proc.communicate()
    return GuardianRun(
        seat.login, started, time.perf_counter() - clock, proc.returncode or 0,
        out.decode(errors="replace"),
    )


async def decrypt(
    present: list[GuardianSeat], folder: Path, vote_id: int, wait: int = WAIT_SECONDS
) -> list[GuardianRun]:
    """Run the present guardians side by side; each process's time and output."""
    return list(await asyncio.gather(*(_one(seat, folder, vote_id, wait) for seat in present)))
