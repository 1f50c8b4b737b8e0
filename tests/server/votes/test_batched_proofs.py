"""Ballots cast at the same moment are checked in one batch, and each gets its own verdict.

Eight delegates cast at once; two of the ballots are forged (a selection proof's responses
swapped, a contest proof's response changed: every hash still matches, only an equation fails).  The batcher is told to wait for all eight, so they share
one batch: the batch fails, the halving finds the two forgeries, and the six honest ballots
are stored and counted while each forgery is refused with what failed, and stores nothing.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from server_helpers import Api
from vote_helpers import Stage, counts, encrypt_for_vote

from evote.crypto.group import int_to_hex
from evote.crypto.parameters import Q
from evote.rules.roles import Role
from evote.voting import proof_batcher

BALLOTS = 8


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    # one batch of all eight: the window is long, and a full batch goes at once
    return {**app_config, "BALLOT_BATCH_WINDOW": 30.0, "BALLOT_BATCH_MAX": BALLOTS}


def swapped_responses(ballot: dict[str, Any]) -> dict[str, Any]:
    forged = copy.deepcopy(ballot)
    proof = forged["contests"][0]["ballot_selections"][0]["proof"]
    proof["proof_one_response"], proof["proof_zero_response"] = (
        proof["proof_zero_response"], proof["proof_one_response"],
    )
    return forged


def shifted_response(ballot: dict[str, Any]) -> dict[str, Any]:
    """The contest's constant proof answers for another challenge (the response is no hash
    input, so every hash still matches and only the proof's equation fails)."""
    forged = copy.deepcopy(ballot)
    proof = forged["contests"][0]["proof"]
    proof["response"] = int_to_hex((int(proof["response"], 16) + 1) % int(Q))
    return forged


def test_honest_and_forged_ballots_in_one_batch_get_their_own_verdicts(
    stage: Stage, logged_in: Callable[..., Api], app: Flask
) -> None:
    voters = [*stage.delegates, *(logged_in(Role.DELEGATE, checked_in=True) for _ in range(5))]
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(voters[0], vote["id"])
    ballots = [
        encrypt_for_vote(view, {"motion": [("yes", "no", "abstain")[i % 3]]}, f"batched-{i}")
        for i in range(BALLOTS)
    ]
    forged = {2: swapped_responses(ballots[2]), 5: shifted_response(ballots[5])}
    bodies = [forged.get(i, b) for i, b in enumerate(ballots)]
    for voter in voters:
        voter.fetch_csrf()
    results: dict[int, Any] = {}
    barrier = threading.Barrier(BALLOTS)

    def cast(i: int) -> None:
        barrier.wait()
        resp = voters[i].post(f"/api/votes/{vote['id']}/ballots", bodies[i])
        results[i] = (resp.status_code, resp.get_json())

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(BALLOTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    for i in range(BALLOTS):
        status, body = results[i]
        if i in forged:
            assert status == 422 and body["error"] == "invalid_ballot", body
        else:
            assert status == 201 and body["tracking_code"] == ballots[i]["code"], body
    # each refusal names the failing proof, found again on its own request's thread
    assert "selection 'yes': disjunctive proof" in results[2][1]["message"], results[2][1]
    assert "contest 'motion': constant proof" in results[5][1]["message"], results[5][1]
    assert counts(app, vote["id"]) == (6, 6, 6)
    with app.app_context():
        batcher = proof_batcher.batcher()
        assert batcher is not None
        assert list(batcher.batches) == [BALLOTS]  # all eight were checked together
        assert batcher.calls <= proof_batcher.call_bound(BALLOTS, 2)
        batcher.window = 0.0  # from here on, one ballot at a time
    # a refusal uses up nothing: the two delegates can still cast their honest ballots
    for i in forged:
        assert voters[i].post(f"/api/votes/{vote['id']}/ballots", ballots[i]).status_code == 201
    assert counts(app, vote["id"]) == (8, 8, 8)
