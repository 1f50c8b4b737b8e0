"""The ballot box over HTTP: what it accepts, what it refuses, and that refusals store nothing."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from vote_helpers import Stage, counts, encrypt_for_vote

from evote.crypto.group import P
from evote.store.clock import ManualClock
from evote.store.db import get_session
from evote.store.models.votes import StoredBallot

YES = {"motion": ["yes"]}


@pytest.fixture
def open_vote(stage: Stage) -> dict[str, Any]:
    vote = stage.open(stage.create()["id"])
    return stage.vote_for(stage.delegates[0], vote["id"])


def post_ballot(stage: Stage, who: int, vote_id: int, ballot: Any, **kw: Any) -> Any:
    return stage.delegates[who].post(f"/api/votes/{vote_id}/ballots", ballot, **kw)


def test_cast_returns_a_receipt_and_stores_the_ballot(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    ballot = encrypt_for_vote(open_vote, YES, "cast-1")
    resp = post_ballot(stage, 0, open_vote["id"], ballot)
    assert resp.status_code == 201, resp.get_json()
    receipt = resp.get_json()
    assert (receipt["vote_id"], receipt["tracking_code"], receipt["state"]) == (
        open_vote["id"], ballot["code"], "cast"
    )  # and signed: test_receipts.py
    assert counts(app, open_vote["id"]) == (1, 1, 1)
    view = stage.vote_for(stage.delegates[0], open_vote["id"])
    assert view["you_have_voted"] and view["turnout"] == {"cast": 1, "roll": 3}


def test_retry_returns_the_same_receipt_and_a_second_ballot_is_refused(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    ballot = encrypt_for_vote(open_vote, YES, "retry")
    first = post_ballot(stage, 0, open_vote["id"], ballot)
    again = post_ballot(stage, 0, open_vote["id"], ballot)
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json() == first.get_json()
    other = encrypt_for_vote(open_vote, {"motion": ["no"]}, "retry-2")
    second = post_ballot(stage, 0, open_vote["id"], other)
    assert second.status_code == 409 and second.get_json()["error"] == "already_voted"
    assert counts(app, open_vote["id"]) == (1, 1, 1)


def test_someone_elses_ballot_cannot_be_cast_again(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    ballot = encrypt_for_vote(open_vote, YES, "copied")
    assert post_ballot(stage, 0, open_vote["id"], ballot).status_code == 201
    copy_ = post_ballot(stage, 1, open_vote["id"], ballot)
    assert copy_.status_code == 409 and copy_.get_json()["error"] == "duplicate_ballot"
    assert counts(app, open_vote["id"]) == (1, 1, 1)


def test_late_ballot_is_refused_with_the_close_time(
    stage: Stage, open_vote: dict[str, Any], clock: ManualClock, app: Flask
) -> None:
    ballot = encrypt_for_vote(open_vote, YES, "late")
    clock.advance(60)
    resp = post_ballot(stage, 0, open_vote["id"], ballot)
    assert resp.status_code == 409
    assert resp.get_json() == {
        "error": "vote_closed",
        "message": "This vote closed at 10:01:00 UTC; the ballot was not accepted.",
    }
    assert counts(app, open_vote["id"]) == (0, 0, 0)
    assert stage.vote_for(stage.delegates[1], open_vote["id"])["state"] == "closed"


def test_not_on_roll_and_no_voting_right(
    stage: Stage, open_vote: dict[str, Any], logged_in: Any, app: Flask
) -> None:
    from evote.webapp.permissions import Role

    latecomer = logged_in(Role.DELEGATE)
    latecomer.check_in()
    ballot = encrypt_for_vote(open_vote, YES, "latecomer")
    resp = latecomer.post(f"/api/votes/{open_vote['id']}/ballots", ballot)
    assert resp.status_code == 403 and resp.get_json()["error"] == "not_on_roll"
    guest = logged_in(Role.GUEST_DELEGATE, checked_in=True)
    resp = guest.post(f"/api/votes/{open_vote['id']}/ballots", ballot)
    assert resp.status_code == 403
    assert counts(app, open_vote["id"]) == (0, 0, 0)


def _bad_proof(ballot: dict[str, Any]) -> dict[str, Any]:
    forged = copy.deepcopy(ballot)
    proof = forged["contests"][0]["ballot_selections"][0]["proof"]
    proof["proof_one_response"], proof["proof_zero_response"] = (
        proof["proof_zero_response"], proof["proof_one_response"],
    )
    return forged


def _outside_subgroup(ballot: dict[str, Any]) -> dict[str, Any]:
    forged = copy.deepcopy(ballot)
    # p - 1 has order 2: in Z_p* but not in the order-q subgroup
    forged["contests"][0]["ballot_selections"][0]["ciphertext"]["pad"] = format(int(P) - 1, "X")
    return forged


def _with_nonce(ballot: dict[str, Any]) -> dict[str, Any]:
    forged = copy.deepcopy(ballot)
    forged["nonce"] = "0A"
    return forged


def _wrong_timestamp(ballot: dict[str, Any]) -> dict[str, Any]:
    forged = copy.deepcopy(ballot)
    forged["timestamp"] += 1
    return forged


@pytest.mark.parametrize(
    ("forge", "status", "error"),
    [
        (_bad_proof, 422, "invalid_ballot"),
        (_outside_subgroup, 422, "invalid_ballot"),
        (_with_nonce, 400, "ballot_has_nonce"),
        (_wrong_timestamp, 422, "invalid_ballot"),
    ],
    ids=["bad-proof", "outside-subgroup", "carries-nonce", "own-timestamp"],
)
def test_forged_ballots_are_refused_and_nothing_is_stored(
    stage: Stage, open_vote: dict[str, Any], app: Flask, forge: Any, status: int, error: str
) -> None:
    ballot = encrypt_for_vote(open_vote, YES, f"forged-{error}")
    resp = post_ballot(stage, 0, open_vote["id"], forge(ballot))
    assert resp.status_code == status, resp.get_json()
    assert resp.get_json()["error"] == error
    assert counts(app, open_vote["id"]) == (0, 0, 0)
    # the refusal used up nothing: the honest ballot still goes in
    assert post_ballot(stage, 0, open_vote["id"], ballot).status_code == 201


def test_ballot_for_another_vote_is_refused(stage: Stage, app: Flask, clock: ManualClock) -> None:
    first = stage.open(stage.create()["id"])
    first_view = stage.vote_for(stage.delegates[0], first["id"])
    old_ballot = encrypt_for_vote(first_view, YES, "other-vote")
    clock.advance(60)
    stage.vote_for(stage.delegates[0], first["id"])  # closes it
    second = stage.open(stage.create(title="Antrag A2")["id"])
    resp = post_ballot(stage, 0, second["id"], old_ballot)
    assert resp.status_code == 422, resp.get_json()
    assert resp.get_json()["error"] == "invalid_ballot"
    assert counts(app, second["id"]) == (0, 0, 0)


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b'{"a": 1, "a": 2}', b"\xff\xfe", b'{"x": NaN}', b""],
    ids=["syntax", "array", "duplicate-key", "not-utf8", "nan", "empty"],
)
def test_malformed_json_is_a_400(
    stage: Stage, open_vote: dict[str, Any], app: Flask, body: bytes
) -> None:
    resp = post_ballot(
        stage, 0, open_vote["id"], None, data=body, content_type="application/json"
    )
    assert resp.status_code == 400, resp.get_json()
    assert resp.get_json()["error"] in {"malformed_json", "malformed_ballot"}
    assert counts(app, open_vote["id"]) == (0, 0, 0)


def test_structurally_wrong_ballot_is_a_400(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    resp = post_ballot(stage, 0, open_vote["id"], {"object_id": "x", "contests": "nope"})
    assert resp.status_code == 400 and resp.get_json()["error"] == "malformed_ballot"
    assert counts(app, open_vote["id"]) == (0, 0, 0)


def test_oversize_body_is_a_413(stage: Stage, open_vote: dict[str, Any], app: Flask) -> None:
    ballot = encrypt_for_vote(open_vote, YES, "oversize")
    ballot["padding"] = "A" * 400_000
    resp = post_ballot(stage, 0, open_vote["id"], ballot)
    assert resp.status_code == 413
    body = resp.get_json()
    assert body["error"] == "ballot_too_large" and "at most" in body["message"]
    assert counts(app, open_vote["id"]) == (0, 0, 0)


def test_spoiled_ballot_is_kept_and_does_not_use_up_the_vote(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    challenged = encrypt_for_vote(open_vote, YES, "challenge")
    resp = stage.delegates[0].post(f"/api/votes/{open_vote['id']}/spoiled-ballots", challenged)
    assert resp.status_code == 201 and resp.get_json()["state"] == "spoiled"
    assert counts(app, open_vote["id"]) == (0, 1, 0)
    # a challenged ballot can never be cast (its encryption was opened)
    recast = post_ballot(stage, 0, open_vote["id"], challenged)
    assert recast.status_code == 409 and recast.get_json()["error"] == "duplicate_ballot"
    fresh = encrypt_for_vote(open_vote, {"motion": ["no"]}, "after-challenge")
    assert post_ballot(stage, 0, open_vote["id"], fresh).status_code == 201
    assert counts(app, open_vote["id"]) == (1, 2, 1)
    with app.app_context():
        states = get_session().scalars(
            select(StoredBallot.state).where(StoredBallot.vote_id == open_vote["id"])
        ).all()
    assert sorted(states) == ["cast", "spoiled"]


def test_bulletin_board_lists_sorted_codes_only_after_close(
    stage: Stage, open_vote: dict[str, Any], clock: ManualClock, new_api: Any
) -> None:
    codes = []
    for i in range(2):
        ballot = encrypt_for_vote(open_vote, YES, f"board-{i}")
        assert post_ballot(stage, i, open_vote["id"], ballot).status_code == 201
        codes.append(ballot["code"])
    anyone = new_api()
    early = anyone.get(f"/api/votes/{open_vote['id']}/bulletin-board")
    assert early.status_code == 409
    clock.advance(60)
    board = anyone.get(f"/api/votes/{open_vote['id']}/bulletin-board").get_json()
    assert board["cast"] == sorted(codes) and board["spoiled"] == []


def test_stored_ballot_is_the_submitted_form(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    ballot = encrypt_for_vote(open_vote, YES, "stored")
    assert post_ballot(stage, 0, open_vote["id"], ballot).status_code == 201
    with app.app_context():
        text = get_session().scalar(select(StoredBallot.ballot_json))
    assert text is not None
    stored = json.loads(text)
    assert stored["state"] == 1 and stored["code"] == ballot["code"]
    assert stored["nonce"] is None


def test_ballot_ids_are_unique_per_vote_and_safe_as_file_names(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    first = encrypt_for_vote(open_vote, YES, "same-id-1", ballot_id="b-shared")
    clash = encrypt_for_vote(open_vote, {"motion": ["no"]}, "same-id-2", ballot_id="b-shared")
    assert post_ballot(stage, 0, open_vote["id"], first).status_code == 201
    resp = post_ballot(stage, 1, open_vote["id"], clash)
    # a second ballot under the same id would collide in the tally and in the record
    assert resp.status_code == 409 and resp.get_json()["error"] == "duplicate_ballot"
    unsafe = encrypt_for_vote(open_vote, YES, "unsafe-id", ballot_id="../../etc")
    resp = post_ballot(stage, 1, open_vote["id"], unsafe)
    assert resp.status_code == 400 and resp.get_json()["error"] == "malformed_ballot"
    assert counts(app, open_vote["id"]) == (1, 1, 1)


def test_challenges_are_capped_per_delegate(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    from evote.voting import ballot_box

    url = f"/api/votes/{open_vote['id']}/spoiled-ballots"
    for i in range(ballot_box.MAX_CHALLENGES):
        ballot = encrypt_for_vote(open_vote, YES, f"cap-{i}")
        assert stage.delegates[0].post(url, ballot).status_code == 201
    last = encrypt_for_vote(open_vote, YES, "cap-last")
    resp = stage.delegates[0].post(url, last)
    assert resp.status_code == 429 and resp.get_json()["error"] == "too_many_challenges"
    # a resend of an accepted challenge still gets its receipt; the vote is still there to cast
    again = encrypt_for_vote(open_vote, YES, "cap-0")
    assert stage.delegates[0].post(url, again).status_code == 200
    assert post_ballot(stage, 0, open_vote["id"], last).status_code == 201
    assert counts(app, open_vote["id"]) == (1, 1 + ballot_box.MAX_CHALLENGES, 1)


@pytest.mark.parametrize(
    ("endpoint", "state"),
    [
        ("ballots", 2), ("ballots", 999), ("ballots", "spoiled"), ("ballots", True),
        ("spoiled-ballots", 1), ("spoiled-ballots", 999), ("spoiled-ballots", "cast"),
    ],
    ids=["cast-spoiled", "cast-unknown", "cast-string", "cast-bool",
         "spoil-cast", "spoil-unknown", "spoil-string"],
)
def test_a_state_the_endpoint_does_not_do_is_refused(
    stage: Stage, open_vote: dict[str, Any], app: Flask, endpoint: str, state: Any
) -> None:
    """electionguard's SubmittedBallot carries a state; one that contradicts the endpoint is
    refused, not silently recorded the endpoint's way (a spoiled ballot must never be cast)."""
    ballot = encrypt_for_vote(open_vote, YES, f"state-{endpoint}-{state}")
    url = f"/api/votes/{open_vote['id']}/{endpoint}"
    resp = stage.delegates[0].post(url, {**ballot, "state": state})
    assert resp.status_code == 422, resp.get_json()
    body = resp.get_json()
    assert body["error"] == "wrong_ballot_state"
    assert "Nothing was stored" in body["message"]
    other = "spoiled-ballots" if endpoint == "ballots" else "ballots"
    assert other in body["message"]
    assert counts(app, open_vote["id"]) == (0, 0, 0)


def test_the_endpoints_own_state_or_none_is_accepted(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    cast = encrypt_for_vote(open_vote, YES, "state-1")
    assert post_ballot(stage, 0, open_vote["id"], {**cast, "state": 1}).status_code == 201
    url = f"/api/votes/{open_vote['id']}/spoiled-ballots"
    spoiled = encrypt_for_vote(open_vote, YES, "state-2")
    assert stage.delegates[1].post(url, {**spoiled, "state": 2}).status_code == 201
    spoiled_null = encrypt_for_vote(open_vote, YES, "state-null")
    assert stage.delegates[1].post(url, {**spoiled_null, "state": None}).status_code == 201
    assert counts(app, open_vote["id"]) == (1, 3, 1)


@pytest.mark.parametrize("depth", [33, 600, 1_000, 5_000])
@pytest.mark.parametrize("endpoint", ["ballots", "spoiled-ballots"])
def test_deeply_nested_ballot_is_a_400(
    stage: Stage, open_vote: dict[str, Any], app: Flask, depth: int, endpoint: str
) -> None:
    """Past the parser's recursion limit, or just deep enough to overflow a later recursive
    check: either way `400 malformed_json`, never a 500."""
    ballot = encrypt_for_vote(open_vote, YES, f"deep-{depth}")
    text = json.dumps(ballot)
    deep = text[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"
    resp = stage.delegates[0].post(
        f"/api/votes/{open_vote['id']}/{endpoint}", data=deep, content_type="application/json"
    )
    assert resp.status_code == 400, resp.data[:200]
    assert resp.get_json()["error"] == "malformed_json"
    assert counts(app, open_vote["id"]) == (0, 0, 0)
