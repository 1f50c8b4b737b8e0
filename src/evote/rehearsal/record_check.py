"""After the result: the published record, checked by the independent verifier and read for the
tracking codes of the cast ballots (`submitted_ballots/`, state 1; docs/record.md).
"""

from __future__ import annotations

import asyncio
import io
import json
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from evote.rehearsal.guardians import command

CAST = 1
"""electionguard 1.4.0's BallotBoxState.CAST, as the record writes it."""


def cast_codes(record_zip: bytes) -> list[str]:
    """The tracking code of every cast ballot in the record (a code twice stays twice)."""
    codes: list[str] = []
    with zipfile.ZipFile(io.BytesIO(record_zip)) as archive:
        for name in archive.namelist():
            if name.startswith("submitted_ballots/") and name.endswith(".json"):
                ballot = json.loads(archive.read(name))
                if ballot.get("state") == CAST:
                    codes.append(str(ballot["code"]))
    return codes


@dataclass
class Verification:
    passed: bool
    seconds: float
    output: str

    def to_json(self) -> dict[str, object]:
        return {"passed": self.passed, "seconds": round(self.seconds, 3),
                "output_tail": self.output[-1500:]}


async def verify(path: Path) -> Verification:
    """`evote-verify RECORD`: exit status 0 means every check held."""
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        *command("evote-verify", ["-m", "evote_verify"]), str(path),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return Verification(proc.returncode == 0, time.perf_counter() - started,
                        out.decode(errors="replace"))
