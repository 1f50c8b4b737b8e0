"""The simulated convention: its vote's manifest and its delegates' random ballots."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from evote.crypto.ballot import PlaintextBallot, PlaintextBallotContest, PlaintextBallotSelection
from evote.crypto.manifest import Manifest
from evote.simulation.seeded_random import SeededRandom

STYLE = "delegate"
CLOSED_AT = datetime(2026, 11, 28, 10, 0, 0, tzinfo=UTC)
"""The simulated vote's close time; fixed, so a seed alone determines the record."""

MOTION = ("motion", ["yes", "no", "abstain"], 1)
EXECUTIVE = ("executive", ["ada", "ben", "cleo", "dara"], 2)


def default_manifest(scope_id: str = "convention-simulation") -> dict[str, Any]:
    """A convention's vote: a motion (yes/no/abstain) and an executive election, 2 of 4."""

    def text(value: str) -> dict[str, Any]:
        return {"text": [{"value": value, "language": "en"}]}

    contests, candidates = [], []
    for order, (contest_id, options, seats) in enumerate((MOTION, EXECUTIVE)):
        for option in options:
            candidates.append({"object_id": f"{contest_id}-{option}", "name": text(option)})
        contests.append(
            {
                "object_id": contest_id,
                "sequence_order": order,
                "electoral_district_id": "convention",
                "vote_variation": "one_of_m" if seats == 1 else "n_of_m",
                "number_elected": seats,
                "votes_allowed": seats,
                "name": contest_id.capitalize(),
                "ballot_selections": [
                    {
                        "object_id": f"{contest_id}-{option}-selection",
                        "sequence_order": i,
                        "candidate_id": f"{contest_id}-{option}",
                    }
                    for i, option in enumerate(options)
                ],
            }
        )
    return {
        "election_scope_id": scope_id,
        "spec_version": "1.0",
        "type": "special",
        "start_date": "2026-11-28T09:00:00",
        "end_date": "2026-11-28T18:00:00",
        "geopolitical_units": [{"object_id": "convention", "name": "Convention", "type": "other"}],
        "parties": [],
        "candidates": candidates,
        "contests": contests,
        "ballot_styles": [{"object_id": STYLE, "geopolitical_unit_ids": ["convention"]}],
        "name": text("Simulated convention vote"),
    }


def random_ballot(rng: SeededRandom, manifest: Manifest) -> PlaintextBallot:
    """One delegate's choices: exactly one answer to a motion; up to the number of seats in an
    election (fewer, even none, is allowed there, and the placeholders hide how many)."""
    contests = []
    for contest in manifest.contests:
        ids = [s.object_id for s in contest.ballot_selections]
        limit = contest.votes_allowed or contest.number_elected
        picked = rng.sample(ids, 1 if limit == 1 else rng.below(limit + 1))
        contests.append(
            PlaintextBallotContest(
                contest.object_id, tuple(PlaintextBallotSelection(s, 1) for s in sorted(picked))
            )
        )
    return PlaintextBallot("b-" + rng.hex_id(8), STYLE, tuple(contests))


def count_votes(
    ballots: Sequence[PlaintextBallot], manifest: Manifest
) -> dict[str, dict[str, int]]:
    totals = {c.object_id: {s.object_id: 0 for s in c.ballot_selections} for c in manifest.contests}
    for ballot in ballots:
        for contest in ballot.contests:
            for selection in contest.ballot_selections:
                totals[contest.object_id][selection.object_id] += selection.vote
    return totals
