"""Signed receipts: every receipt carries the vote key's signature over the documented message,
a retry gets the very same receipt, and the secret key is sealed while open and gone after."""

from __future__ import annotations

import json
import secrets
from typing import Any

import nacl.exceptions
import nacl.signing
import pytest
from flask import Flask
from vote_helpers import Stage, counts, encrypt_for_vote

from evote.store.clock import ManualClock
from evote.store.db import get_session
from evote.store.models.votes import Vote
from evote.voting import ballot_box, receipts
from evote.voting.lifecycle import scope_id
from evote.voting.outcomes import Refused

YES = {"motion": ["yes"]}


def documented_message(r: dict[str, Any]) -> bytes:
    """docs/ballot-box.md, "Signed receipts", written out again here."""
    fields = (r["election_scope_id"], r["tracking_code"], r["ballot_hash"], str(r["timestamp"]), r["state"])
    return b"evote-receipt-v1\x00" + b"".join(
        len(f.encode()).to_bytes(4, "big") + f.encode() for f in fields
    )


def announced(view: dict[str, Any]) -> str:
    key: str = view["context"]["extended_data"]["evote_receipt_key_ed25519"]
    return key


@pytest.fixture
def view(stage: Stage) -> dict[str, Any]:
    vote = stage.open(stage.create()["id"])
    return stage.vote_for(stage.delegates[0], vote["id"])


def test_the_receipt_is_signed_with_the_key_the_context_announced(
    stage: Stage, view: dict[str, Any]
) -> None:
    ballot = encrypt_for_vote(view, YES, "signed")
    resp = stage.delegates[0].post(f"/api/votes/{view['id']}/ballots", ballot)
    assert resp.status_code == 201, resp.get_json()
    r = resp.get_json()
    assert (r["type"], r["version"], r["state"]) == ("evote/receipt", 1, "cast")
    assert r["election_scope_id"] == view["manifest"]["election_scope_id"]
    assert (r["tracking_code"], r["ballot_hash"]) == (ballot["code"], ballot["crypto_hash"])
    assert r["timestamp"] == view["ballot_timestamp"]
    assert r["public_key"] == announced(view)
    key = nacl.signing.VerifyKey(bytes.fromhex(announced(view)))
    key.verify(documented_message(r), bytes.fromhex(r["signature"]))
    # the signature covers every field: another state under the same signature fails
    with pytest.raises(nacl.exceptions.BadSignatureError):
        key.verify(documented_message({**r, "state": "spoiled"}), bytes.fromhex(r["signature"]))


def test_a_retry_gets_the_same_signed_receipt_and_a_challenge_is_signed_as_spoiled(
    stage: Stage, view: dict[str, Any]
) -> None:
    url = f"/api/votes/{view['id']}"
    ballot = encrypt_for_vote(view, YES, "resent")
    first = stage.delegates[0].post(f"{url}/ballots", ballot)
    again = stage.delegates[0].post(f"{url}/ballots", ballot)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()  # signature included: Ed25519 is deterministic

    challenged = encrypt_for_vote(view, {"motion": ["no"]}, "challenged")
    spoil = stage.delegates[1].post(f"{url}/spoiled-ballots", challenged)
    spoil_again = stage.delegates[1].post(f"{url}/spoiled-ballots", challenged)
    assert (spoil.status_code, spoil_again.status_code) == (201, 200)
    r = spoil.get_json()
    assert r == spoil_again.get_json() and r["state"] == "spoiled"
    nacl.signing.VerifyKey(bytes.fromhex(announced(view))).verify(
        documented_message(r), bytes.fromhex(r["signature"])
    )


def test_the_secret_key_is_sealed_while_open_and_erased_at_the_close(
    stage: Stage, view: dict[str, Any], app: Flask, clock: ManualClock
) -> None:
    with app.app_context():
        vote = get_session().get(Vote, view["id"])
        assert vote is not None and vote.receipt_key_box is not None
        signer = receipts.Signer(vote, scope_id(vote))
        seed = bytes(signer._key)  # the 32-byte seed, opened with the app's SECRET_KEY
        assert len(seed) == 32 and seed not in vote.receipt_key_box
        assert signer.public_key == announced(view)
        # with another SECRET_KEY (a database copy on another server) it does not open
        app.config["SECRET_KEY"], kept = "another-secret", app.config["SECRET_KEY"]
        try:
            with pytest.raises(Refused) as refused:
                receipts.Signer(vote, scope_id(vote))
            assert refused.value.code == "receipt_key_unavailable"
        finally:
            app.config["SECRET_KEY"] = kept
    clock.advance(60)
    assert stage.vote_for(stage.delegates[0], view["id"])["state"] == "closed"
    with app.app_context():
        vote = get_session().get(Vote, view["id"])
        assert vote is not None and vote.receipt_key_box is None
        with pytest.raises(Refused):
            receipts.Signer(vote, scope_id(vote))


def test_a_ballot_that_cannot_get_a_signed_receipt_is_not_stored(
    stage: Stage, view: dict[str, Any], app: Flask, clock: ManualClock
) -> None:
    ballot = encrypt_for_vote(view, YES, "unsigned")
    raw = json.dumps(ballot).encode()
    with app.app_context():
        db = get_session()
        vote = db.get(Vote, view["id"])
        assert vote is not None
        participant = stage.delegates[0].get("/api/me").get_json()["id"]
        app.config["SECRET_KEY"], kept = "rotated-while-open", app.config["SECRET_KEY"]
        try:
            with pytest.raises(Refused) as refused:
                ballot_box.submit(db, vote, participant, raw, now=clock.now())
        finally:
            app.config["SECRET_KEY"] = kept
        assert (refused.value.status, refused.value.code) == (500, "receipt_key_unavailable")
    assert counts(app, view["id"]) == (0, 0, 0)


def test_a_sealed_key_opens_only_for_its_own_vote(app: Flask) -> None:
    """The wrapping key is bound to the vote: a sealed seed copied to another vote is useless,
    and a public key swapped in the context is noticed before anything is signed."""
    with app.app_context():
        public, box = receipts.make_key("evote-1-vote-1", secrets.token_bytes)
        context = {"extended_data": receipts.context_extension(public)}
        vote = Vote(id=1, context_json=json.dumps(context), receipt_key_box=box,
                    ballot_timestamp=1_800_000_000)
        assert receipts.Signer(vote, "evote-1-vote-1").public_key == public
        with pytest.raises(Refused):
            receipts.Signer(vote, "evote-1-vote-2")
        other, _ = receipts.make_key("evote-1-vote-1", secrets.token_bytes)
        vote.context_json = json.dumps(
            {"extended_data": receipts.context_extension(other)}
        )
        with pytest.raises(Refused):
            receipts.Signer(vote, "evote-1-vote-1")
