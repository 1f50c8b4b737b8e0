"""Quota seats (Mindestquotierung): of k seats at least a share go to a group (often women).

The quota seats are q = ⌈k · numerator / denominator⌉ (by default ⌈k/2⌉). Two ways a
convention fills them, chosen per election by the presidium:

* **one ballot, quota first** (`allocate`): from the candidates over the threshold (the rule
  and base of `rules.majority`, including an overall No), the quota seats go first to the
  group's candidates with the most votes; the remaining seats then go to everybody left with
  the most votes (the group's candidates included). Each seat says which rule filled it.
* **two elections in sequence**: first the quota places (only the group's candidates, q seats),
  then the open places (everybody not yet elected, the other k − q seats); `voting.rounds`
  makes the second election from the first.

A quota place the group's candidates cannot fill (too few stood or reached the majority) stays
**vacant**: it does not pass to someone outside the group (quota shortfall). A tie is reported,
never broken by name; a tie in the quota stage keeps the tied candidates in the open stage's
ranking too, and when as many tied candidates remain as seats are left, all of them are elected.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass


def quota_seats(seats: int, numerator: int = 1, denominator: int = 2) -> int:
    """⌈seats · numerator / denominator⌉, integers only."""
    if seats < 1 or denominator <= 0 or not 0 <= numerator <= denominator:
        raise ValueError("a quota is a share between 0 and 1 of at least one seat")
    return -(-seats * numerator // denominator)


@dataclass(frozen=True, slots=True)
class Allocation:
    seats: tuple[tuple[str, str], ...]
    """(name, "quota" or "open") in the order the seats were filled."""
    tied: tuple[str, ...]
    """Candidates tied for the seats the count cannot fill."""
    shortfall: int
    """Quota seats left vacant: too few of the group's candidates reached the majority."""

    @property
    def elected(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.seats)


def _take(ranked: Sequence[tuple[str, int]], n: int) -> tuple[list[str], list[str]]:
    """The top n of a ranking: (clearly in, tied at the boundary for the rest)."""
    if n <= 0:
        return [], []
    if len(ranked) <= n:
        return [name for name, _ in ranked], []
    boundary = ranked[n - 1][1]
    if ranked[n][1] != boundary:
        return [name for name, _ in ranked[:n]], []
    return [name for name, v in ranked if v > boundary], [name for name, v in ranked if v == boundary]


def allocate(
    qualified: Sequence[tuple[str, int]],
    seats: int,
    group: Collection[str],
    quota: int,
) -> Allocation:
    """Quota first: `qualified` are (name, votes) over the threshold, best first."""
    if not 0 <= quota <= seats:
        raise ValueError("the quota seats are between 0 and the seats")
    ranked = sorted(qualified, key=lambda kv: (-kv[1], kv[0]))
    members = [(n, v) for n, v in ranked if n in group]
    quota_in, quota_tied = _take(members, quota)
    shortfall = 0 if quota_tied else max(quota - len(quota_in), 0)
    rest = [(n, v) for n, v in ranked if n not in quota_in]
    open_in, open_tied = _take(rest, seats - quota)
    # a tied quota candidate who won an open place outright is out of the quota tie
    quota_tied = [n for n in quota_tied if n not in open_in]
    quota_left = quota - len(quota_in)
    if quota_tied and len(quota_tied) <= quota_left:
        quota_in += quota_tied
        shortfall, quota_tied = quota_left - len(quota_tied), []
    tied = [*quota_tied, *(n for n in open_tied if n not in quota_tied)]
    left = seats - len(quota_in) - len(open_in) - shortfall
    if tied and len(tied) <= left:  # as many tied as seats left: all of them are elected
        # equal votes: which of them takes a vacant quota place changes nobody's seat
        to_quota = [n for n in tied if n in group][: quota - len(quota_in)]
        quota_in += to_quota
        open_in += [n for n in tied if n not in to_quota]
        shortfall = max(quota - len(quota_in), 0) if shortfall else 0
        tied = []
    filled = [(n, "quota") for n in quota_in] + [(n, "open") for n in open_in]
    return Allocation(tuple(filled), tuple(tied), shortfall)
