"""What a ceremony run tells the guardian: what it did, what it waits for, what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field

from evote_guardian.messages import Told


class CeremonyProblem(Told):
    """Something the guardian must know about: the server or another guardian misbehaved."""


@dataclass
class StepReport:
    """What one run of `advance` did, for the CLI to print."""

    done: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    """The fingerprint this laptop computed from all n public records, once they are in."""
    fingerprint_confirmed: bool = False
    """True once the guardian confirmed that the others read out the same fingerprint."""
