"""Quota seats of one election, as the presidium sets them and the result states them.

`QuotaSpec` is what the request says (`quota`: the group's name, the share, which candidates
belong to the group, and the mode) and what `Vote.quota_json` keeps. For one ballot the
decision applies `rules.quota.allocate` to the candidates over the threshold; for two elections
the vote created first is the quota stage (only the group's candidates, the quota seats), and
`voting.rounds` proposes the open stage from it (everybody not yet elected, the other seats).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from dataclasses import replace as dc_replace
from typing import Any

from evote.rules.quota import allocate, quota_seats
from evote.store.models.votes import Vote
from evote.voting.manifest import VoteKind, VoteSpec

MODES = ("one_ballot", "two_elections")


@dataclass(frozen=True, slots=True)
class QuotaSpec:
    group: str
    """How the result names the group ("Frauen")."""
    members: tuple[str, ...]
    """The candidates who belong to the group (candidates are names, not accounts)."""
    mode: str = "one_ballot"
    numerator: int = 1
    denominator: int = 2
    total_seats: int = 0
    """All seats of the election (both stages together)."""
    all_candidates: tuple[str, ...] = ()
    """Every candidate of the election (both stages together)."""
    stage: str = "one_ballot"
    """one_ballot, or for two elections "quota" (first) or "open" (second)."""

    @property
    def seats(self) -> int:
        return quota_seats(self.total_seats, self.numerator, self.denominator)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def of(cls, vote: Vote) -> QuotaSpec | None:
        if not vote.quota_json:
            return None
        data = json.loads(vote.quota_json)
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})

    def open_stage(self) -> QuotaSpec:
        return replace(self, stage="open")


def parse(
    value: object, kind: VoteKind, candidates: tuple[str, ...], seats: int
) -> QuotaSpec | None:
    """From the API's `quota` field; ValueError with a message for anything wrong."""
    if value is None:
        return None
    if kind is not VoteKind.ELECTION:
        raise ValueError("quota seats belong to a k-of-n election")
    if not isinstance(value, dict) or set(value) - {"group", "members", "mode", "numerator",
                                                       "denominator"}:
        raise ValueError("quota is null or {group, members, mode, numerator, denominator}")
    group, members = value.get("group"), value.get("members")
    mode = value.get("mode", "one_ballot")
    num, den = value.get("numerator", 1), value.get("denominator", 2)
    if not isinstance(group, str) or not group.strip():
        raise ValueError("quota.group names the group, e.g. 'Frauen'")
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise ValueError("quota.members lists the candidates who belong to the group")
    if set(members) - set(candidates) or not members:
        raise ValueError("quota.members must be some of the candidates")
    if mode not in MODES:
        raise ValueError("quota.mode is one_ballot or two_elections")
    if any(not isinstance(x, int) or isinstance(x, bool) for x in (num, den)):
        raise ValueError("quota.numerator and quota.denominator are integers")
    spec = QuotaSpec(group.strip(), tuple(members), mode, num, den, seats, tuple(candidates),
                     "quota" if mode == "two_elections" else "one_ballot")
    spec.seats  # noqa: B018 - raises for a share outside 0..1
    if mode == "two_elections" and spec.seats >= seats:
        raise ValueError("two elections need open places after the quota places")
    return spec


def first_stage(spec: VoteSpec, quota: QuotaSpec | None) -> VoteSpec:
    """The vote to create: for two elections the quota stage (only the group's candidates,
    the quota seats), else the election as asked."""
    if quota is None or quota.mode != "two_elections":
        return spec
    return dc_replace(spec, title=f"{spec.title} – Quotenplätze ({quota.group})",
                      candidates=quota.members, seats=quota.seats)


def apply(spec: QuotaSpec | None, outcome: dict[str, Any]) -> dict[str, Any]:
    """The election's outcome with its seats filled by the quota rule (one ballot), and each
    seat's rule stated; a stage of two elections states its rule for every seat."""
    if spec is None or "votes" not in outcome:
        return outcome
    votes: Mapping[str, int] = outcome["votes"]
    stated = {"group": spec.group, "mode": spec.mode, "stage": spec.stage,
              "seats": spec.seats, "members": list(spec.members)}
    if spec.stage != "one_ballot":
        rule = "quota" if spec.stage == "quota" else "open"
        return outcome | {
            "seats_by_rule": [{"name": n, "rule": rule} for n in outcome["elected"]],
            "quota": stated | {"shortfall": max(spec.seats - len(outcome["elected"]), 0)
                               if spec.stage == "quota" and not outcome["tied"] else 0},
        }
    qualified = [(n, int(votes[n])) for n in outcome["qualified"]]
    allocation = allocate(qualified, int(outcome["seats"]), set(spec.members), spec.seats)
    return outcome | {
        "elected": list(allocation.elected),
        "tied": list(allocation.tied),
        "seats_by_rule": [{"name": n, "rule": r} for n, r in allocation.seats],
        "quota": stated | {"shortfall": allocation.shortfall},
    }
