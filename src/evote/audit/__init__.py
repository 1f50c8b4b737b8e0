"""The audit log: every action of staff and of the system, as an append-only hash chain.

`append` writes one entry inside the caller's transaction (it commits with the action it
records, or not at all); `acting` tells it who acts for the current request; `entries` and
`head` read it. The format and the chain check are `evote.record.audit` (docs/audit.md).
"""

from __future__ import annotations

from evote.audit.actor import SYSTEM, Actor, acting, actor_of, current_actor
from evote.audit.log import append, entries, head, mark_of

__all__ = [
    "SYSTEM", "Actor", "acting", "actor_of", "append", "current_actor", "entries", "head",
    "mark_of",
]
