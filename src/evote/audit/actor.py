"""Who acts: the participant of the current request, or the system.

Why a context variable: the entries are written where the action is decided (the vote's
lifecycle, the steering, the decryption), deep below the request that knows who is logged in.
The web layer's permission guard sets the actor for the length of each request; code outside
a request (the sweeper closing a vote at its deadline, a command) acts as the system. A step
the system takes during somebody's request (the lazy close of a vote past its deadline) passes
`SYSTEM` explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    participant_id: int | None
    roles: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """`system` or `participant:<id>`, as the entry's `actor` field spells it."""
        return "system" if self.participant_id is None else f"participant:{self.participant_id}"


SYSTEM = Actor(None)

_current: ContextVar[Actor | None] = ContextVar("evote_audit_actor", default=None)


def actor_of(participant_id: int, roles: Iterable[str]) -> Actor:
    return Actor(participant_id, tuple(sorted(str(r) for r in roles)))


def current_actor() -> Actor:
    """The actor of the current request, or the system."""
    return _current.get() or SYSTEM


@contextmanager
def acting(actor: Actor | None) -> Iterator[None]:
    """Entries written inside this block name `actor` (None: the system)."""
    token = _current.set(actor)
    try:
        yield
    finally:
        _current.reset(token)
