"""Weeding: no selection ciphertext twice in one vote, across cast and challenged ballots.

A ballot's proofs name no ballot, so whoever sees a ballot's ciphertexts while the vote runs
(an operator, a database reader) can re-wrap them: new object_id, crypto_hash and code
recomputed, a ballot that passes every proof.  Posted as a challenge it would be decrypted by
the guardians and published, showing the victim's choice; cast by another delegate it would
count twice.  Each test first shows the copy is a valid ballot, then that the box refuses it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from vote_helpers import Stage, counts, encrypt_for_vote, q_from, rewrap

from evote.crypto.ballot import (
    BallotBoxState,
    SubmittedBallot,
    ballot_code,
    ballot_crypto_hash,
    contest_crypto_hash,
    selection_crypto_hash,
)
from evote.crypto.chaum_pedersen import make_constant_chaum_pedersen
from evote.crypto.context import ElectionContext
from evote.crypto.elgamal import elgamal_add
from evote.crypto.group import add_q
from evote.crypto.manifest import Manifest
from evote.crypto.validate import validate_ballot
from evote.store.clock import ManualClock
from evote.store.db import get_session
from evote.store.models.votes import CiphertextFingerprint

YES, NO = {"motion": ["yes"]}, {"motion": ["no"]}


@pytest.fixture
def open_vote(stage: Stage) -> dict[str, Any]:
    vote = stage.open(stage.create()["id"])
    return stage.vote_for(stage.delegates[0], vote["id"])


def assert_valid(view: dict[str, Any], ballot: dict[str, Any]) -> None:
    """The copy passes every check of the crypto core: only weeding can refuse it."""
    validate_ballot(
        SubmittedBallot.from_json(ballot),
        Manifest.from_json(view["manifest"]),
        ElectionContext.from_json(view["context"]),
    )


def cast(stage: Stage, who: int, vote_id: int, ballot: dict[str, Any]) -> Any:
    return stage.delegates[who].post(f"/api/votes/{vote_id}/ballots", ballot)


def challenge(stage: Stage, who: int, vote_id: int, ballot: dict[str, Any]) -> Any:
    return stage.delegates[who].post(f"/api/votes/{vote_id}/spoiled-ballots", ballot)


def refused_as_copy(resp: Any) -> bool:
    body = resp.get_json()
    return resp.status_code == 409 and body["error"] == "duplicate_ciphertext"


def fingerprint_rows(app: Flask, vote_id: int) -> int:
    with app.app_context():
        query = select(func.count()).select_from(CiphertextFingerprint)
        return get_session().scalar(query.where(CiphertextFingerprint.vote_id == vote_id)) or 0


def decrypt_all(stage: Stage, vote_id: int) -> dict[str, Any]:
    payload = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    for g in range(stage.guardians.n):
        for share in stage.guardians.shares(g, payload):
            stage.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share)
    result: dict[str, Any] = stage.presidium.get(f"/api/votes/{vote_id}/result").get_json()
    return result


def test_cast_ballot_rewrapped_as_a_challenge_is_not_decrypted(
    stage: Stage, open_vote: dict[str, Any], app: Flask, clock: ManualClock
) -> None:
    vote_id = open_vote["id"]
    victim = encrypt_for_vote(open_vote, NO, "victim")
    assert cast(stage, 0, vote_id, victim).status_code == 201
    copy_ = rewrap(victim, "b-rewrapped")
    assert copy_["code"] != victim["code"]
    assert_valid(open_vote, copy_)

    assert refused_as_copy(challenge(stage, 1, vote_id, copy_))
    assert counts(app, vote_id) == (1, 1, 1)
    # the attacker's challenges are not used up by the refusal
    assert challenge(stage, 1, vote_id, encrypt_for_vote(open_vote, YES, "own")).status_code == 201

    clock.advance(60)
    payload = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    own = encrypt_for_vote(open_vote, YES, "own")["object_id"]
    assert [b["object_id"] for b in payload["spoiled_ballots"]] == [own]
    result = decrypt_all(stage, vote_id)
    assert result["totals"]["motion"] == {"yes": 0, "no": 1, "abstain": 0}


def test_cast_ballot_rewrapped_is_not_counted_twice(
    stage: Stage, open_vote: dict[str, Any], app: Flask, clock: ManualClock
) -> None:
    vote_id = open_vote["id"]
    victim = encrypt_for_vote(open_vote, NO, "victim-2")
    assert cast(stage, 0, vote_id, victim).status_code == 201
    copy_ = rewrap(victim, "b-copied-cast")
    assert_valid(open_vote, copy_)

    resp = cast(stage, 1, vote_id, copy_)
    assert refused_as_copy(resp), resp.get_json()
    assert "already in the ballot box" in resp.get_json()["message"]
    assert counts(app, vote_id) == (1, 1, 1)
    # the refusal used up nothing: the copier's own ballot still goes in
    assert cast(stage, 1, vote_id, encrypt_for_vote(open_vote, YES, "copier-own")).status_code == 201
    clock.advance(60)
    assert decrypt_all(stage, vote_id)["totals"]["motion"] == {"yes": 1, "no": 1, "abstain": 0}


def test_a_challenged_ballot_rewrapped_can_be_neither_cast_nor_challenged_again(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    vote_id = open_vote["id"]
    opened = encrypt_for_vote(open_vote, YES, "challenged")
    assert challenge(stage, 0, vote_id, opened).status_code == 201
    for i, post in enumerate((cast, challenge)):
        copy_ = rewrap(opened, f"b-from-challenge-{i}")
        assert_valid(open_vote, copy_)
        assert refused_as_copy(post(stage, 1, vote_id, copy_))
    assert counts(app, vote_id) == (0, 1, 0)
    # the exact ballot, resent, is still recognised as the same challenge
    assert challenge(stage, 0, vote_id, opened).status_code == 200


def _repeating_within(view: dict[str, Any], label: str) -> dict[str, Any]:
    """A valid ballot whose "abstain" carries the ciphertext and proof of its "no" (both 0); the
    contest's sum and constant proof are redone with the nonces, so every proof holds."""
    parsed = SubmittedBallot.from_json(encrypt_for_vote(view, YES, label, keep_nonces=True))
    context = ElectionContext.from_json(view["context"])
    contest = parsed.contests[0]
    selections = list(contest.ballot_selections)
    position = {s.object_id: i for i, s in enumerate(selections)}
    source, target = selections[position["no"]], selections[position["abstain"]]
    selections[position["abstain"]] = replace(
        target, ciphertext=source.ciphertext, proof=source.proof, nonce=source.nonce,
        crypto_hash=selection_crypto_hash(
            target.object_id, target.description_hash, source.ciphertext
        ),
    )  # fmt: skip
    total = elgamal_add(s.ciphertext for s in selections)
    nonces = [s.nonce for s in selections if s.nonce is not None]
    proof = make_constant_chaum_pedersen(
        total, 1, add_q(*nonces), context.elgamal_public_key, q_from(f"{label}/proof"),
        context.crypto_extended_base_hash,
    )
    contest = replace(
        contest, ballot_selections=tuple(selections), ciphertext_accumulation=total, proof=proof,
        crypto_hash=contest_crypto_hash(contest.object_id, contest.description_hash, selections),
    )  # fmt: skip
    crypto_hash = ballot_crypto_hash(parsed.object_id, parsed.manifest_hash, (contest,))
    code = ballot_code(parsed.code_seed, parsed.timestamp, crypto_hash)
    forged = replace(parsed, contests=(contest,), crypto_hash=crypto_hash, code=code)
    out: dict[str, Any] = forged.submit(BallotBoxState.CAST).to_json()
    out.pop("state")
    return out


def test_a_ballot_repeating_a_ciphertext_within_itself_is_refused(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    forged = _repeating_within(open_vote, "repeats")
    assert_valid(open_vote, forged)
    assert refused_as_copy(cast(stage, 0, open_vote["id"], forged))
    assert counts(app, open_vote["id"]) == (0, 0, 0)
    assert fingerprint_rows(app, open_vote["id"]) == 0


def test_fingerprints_guard_the_open_vote_only(
    stage: Stage, open_vote: dict[str, Any], app: Flask, clock: ManualClock
) -> None:
    """One row per selection ciphertext while the vote is open; none after the close, so
    nothing of them (row, transaction id, physical order) outlives the vote."""
    vote_id = open_vote["id"]
    ballots = [encrypt_for_vote(open_vote, YES, f"fp-{i}") for i in range(2)]
    assert cast(stage, 0, vote_id, ballots[0]).status_code == 201
    assert challenge(stage, 1, vote_id, ballots[1]).status_code == 201
    per_ballot = sum(len(c["ballot_selections"]) for c in ballots[0]["contests"])
    assert fingerprint_rows(app, vote_id) == 2 * per_ballot
    clock.advance(60)
    stage.vote_for(stage.delegates[0], vote_id)  # the first look after the deadline closes
    assert fingerprint_rows(app, vote_id) == 0
