"""The next round of an election (Stichwahl, weiterer Wahlgang): who may stand in it.

Pure, from the first round's outcome (votes per candidate, elected, tied). Two situations:

* a **tie at the last seat(s)** (`tied`): the count alone cannot fill the seats; the statutes'
  options are a runoff among exactly the tied candidates, or the lot (`rules.lots`);
* seats **not filled** without a tie (nobody else reached the majority): the next round takes,
  by the presidium's choice of the statutes' rule (`RunoffPolicy`),
  - `top_two`: the best placed not yet elected, two per open seat ("die beiden
    Bestplatzierten"), and everyone tied with the last of them, so no placing decides by name;
  - `all_remaining`: everyone not yet elected.

The seats of the next round are the ones still open. Which majority the next round needs is the
presidium's to state when it opens it (often a relative majority from the second round on).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class RunoffPolicy(enum.StrEnum):
    TOP_TWO = "top_two"
    ALL_REMAINING = "all_remaining"


@dataclass(frozen=True, slots=True)
class Proposal:
    reason: str
    """"tie" (at the last seat), "unfilled" (too few reached the majority) or, after the quota
    places of two elections, "open_places" (`voting.rounds`)."""
    candidates: tuple[str, ...]
    """Best placed first (ties by name, for display only)."""
    seats: int
    """Seats still open: the next round's seats."""
    lot_possible: bool
    """A tie may also be broken by the lot (`rules.lots`), instead of a runoff."""


def propose(
    votes: Mapping[str, int],
    elected: Sequence[str],
    tied: Sequence[str],
    seats: int,
    policy: RunoffPolicy = RunoffPolicy.TOP_TWO,
) -> Proposal | None:
    """The next round, or None when every seat is filled."""
    remaining = seats - len(elected)
    if remaining <= 0:
        return None
    ranked = sorted(
        ((n, v) for n, v in votes.items() if n not in elected), key=lambda kv: (-kv[1], kv[0])
    )
    if tied:
        ties = tuple(n for n, _ in ranked if n in set(tied))
        return Proposal("tie", ties, remaining, True)
    if policy is RunoffPolicy.TOP_TWO and len(ranked) > 2 * remaining:
        last = ranked[2 * remaining - 1][1]
        ranked = [(n, v) for n, v in ranked if v >= last]
    return Proposal("unfilled", tuple(n for n, _ in ranked), remaining, False)
