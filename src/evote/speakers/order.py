"""The order of a speakers' list, computed from who is waiting: pure, no database, no clock.

Why here and pure: every page shows the same order because only the server computes it, and a
property test (tests/server/speakers/test_order_properties.py) can run it on any sign-up
sequence. The rules (docs/speakers.md):

* **Points of order** (Anträge zur Geschäftsordnung) come first, in the order they were made;
  they take no turn in the alternation.
* **Quota on:** speeches alternate between the quota side (women, or FLINTA* persons, by
  self-declaration) and everybody else, starting with the side that did not speak last (the
  quota side when nobody has spoken yet). Within a side, its own order holds (sign-up order,
  or the presidium's reordering: ``rank``).
* **One side empty:** with ``continue`` the other side's speakers follow one another; with
  ``close`` the debate ends there: they are ``beyond`` the end, shown but not called unless
  someone of the empty side asks to speak meanwhile.
* **Quota off:** plain ``rank`` order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Side(StrEnum):
    QUOTA = "quota"
    """Women, or FLINTA* persons where the event counts them (self-declared in the profile)."""
    OPEN = "open"
    """Everybody else."""


class Kind(StrEnum):
    SPEECH = "speech"
    POINT_OF_ORDER = "point_of_order"


class WhenSideEmpty(StrEnum):
    CONTINUE = "continue"
    CLOSE = "close"


@dataclass(frozen=True)
class Waiting:
    """One entry waiting on the list: its id, its side, its kind and its place within its
    side (``rank``: sign-up order unless the presidium moved it)."""

    id: int
    side: Side
    kind: Kind
    rank: int


@dataclass(frozen=True)
class Order:
    called: tuple[int, ...]
    """Entry ids in the order they will be called."""
    beyond: tuple[int, ...] = ()
    """Entries after the end of the debate (``close`` rule, one side ran out)."""


def other(side: Side) -> Side:
    return Side.OPEN if side is Side.QUOTA else Side.QUOTA


def compute(
    waiting: Iterable[Waiting],
    *,
    quota: bool,
    last_side: Side | None,
    when_empty: WhenSideEmpty,
) -> Order:
    """The order of ``waiting``; ``last_side`` is the side of the last speech given on this
    list (None before the first)."""
    entries = sorted(waiting, key=lambda w: (w.rank, w.id))
    points = [w.id for w in entries if w.kind is Kind.POINT_OF_ORDER]
    speeches = [w for w in entries if w.kind is Kind.SPEECH]
    if not quota:
        return Order(tuple(points + [w.id for w in speeches]))
    queues = {side: [w.id for w in speeches if w.side is side] for side in Side}
    turn = Side.QUOTA if last_side is None else other(last_side)
    called = list(points)
    while queues[Side.QUOTA] or queues[Side.OPEN]:
        if queues[turn]:
            called.append(queues[turn].pop(0))
            turn = other(turn)
        elif when_empty is WhenSideEmpty.CONTINUE:
            called.append(queues[other(turn)].pop(0))
        else:
            return Order(tuple(called), tuple(queues[other(turn)]))
    return Order(tuple(called))
