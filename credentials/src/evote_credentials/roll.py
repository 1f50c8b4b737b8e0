"""The roll of voting delegates, as the server exports it (`evote committee export-roll`).

The committee checks this list against its own (the delegates the party's bodies elected)
before it issues anything: issuing is how it certifies that exactly these people may vote.
A name on the export that should not be there is the admin-made delegate this whole scheme is
for; strike it (edit the file, or refuse) before `evote-credentials issue`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evote.record.credentials import ROLL_TYPE, ROLL_VERSION


class RollError(ValueError):
    """The roll file is not a delegate roll the committee can use."""


@dataclass(frozen=True)
class Delegate:
    participant_id: int
    name: str
    delegation: str = ""


@dataclass(frozen=True)
class DelegateRoll:
    event: str
    event_name: str
    public_url: str
    delegates: tuple[Delegate, ...]

    def find(self, participant_id: int) -> Delegate:
        for d in self.delegates:
            if d.participant_id == participant_id:
                return d
        raise RollError(f"participant {participant_id} is not on this roll")

    @classmethod
    def from_json(cls, doc: Any) -> DelegateRoll:
        if not isinstance(doc, dict) or doc.get("type") != ROLL_TYPE:
            raise RollError(f"not a delegate roll (type {ROLL_TYPE})")
        if doc.get("version") != ROLL_VERSION:
            raise RollError(f"unknown roll version {doc.get('version')!r}")
        people = doc.get("delegates")
        if not isinstance(people, list):
            raise RollError("'delegates' must be a list")
        delegates = []
        for i, p in enumerate(people):
            if not isinstance(p, dict):
                raise RollError(f"delegates[{i}] is not an object")
            pid, name = p.get("participant_id"), p.get("name")
            if not isinstance(pid, int) or isinstance(pid, bool) or pid < 0:
                raise RollError(f"delegates[{i}]: participant_id must be a non-negative integer")
            if not isinstance(name, str) or not name.strip():
                raise RollError(f"delegates[{i}]: name is missing")
            delegation = p.get("delegation") or ""
            if not isinstance(delegation, str):
                raise RollError(f"delegates[{i}]: delegation must be text")
            delegates.append(Delegate(pid, name, delegation))
        ids = [d.participant_id for d in delegates]
        if len(set(ids)) != len(ids):
            raise RollError("a participant is listed twice")
        if not delegates:
            raise RollError("the roll lists no delegates")
        event = doc.get("event")
        if not isinstance(event, str) or not event:
            raise RollError("'event' must be the event's slug")
        return cls(event, str(doc.get("event_name") or event), str(doc.get("public_url") or ""),
                   tuple(sorted(delegates, key=lambda d: d.participant_id)))

    @classmethod
    def read(cls, path: Path) -> DelegateRoll:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RollError(f"{path}: {exc}") from None
        return cls.from_json(doc)
