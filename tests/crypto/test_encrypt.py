"""Ballot encryption: byte-for-byte the package's, openable with its nonces, strict on input."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.crypto.ballot import BallotBoxState, CiphertextBallot, PlaintextBallot
from evote.crypto.batch import BatchChecker
from evote.crypto.context import Configuration
from evote.crypto.elgamal import ElGamalKeyPair
from evote.crypto.errors import InvalidBallot
from evote.crypto.group import ElementModQ
from evote.crypto.hashed_elgamal import unpad_message
from evote.crypto.validate import validate_ballot

from .ballot_fixtures import vector_election

BATCH = BatchChecker(b"test-encrypt-batch-weights")


@pytest.mark.parametrize("name", ["north", "overvote"])
def test_encryption_reproduces_the_package(name: str) -> None:
    e = vector_election(name)
    i = e.inputs
    assert e.seed.to_hex() == i["encryption_seed"]
    ballot = e.encrypt(i["plaintext"], int(i["master_nonce"], 16), i["timestamp"])
    assert ballot.to_json() == e.vector["ciphertext_ballot"]
    assert json.dumps(ballot.to_json()) == json.dumps(e.vector["ciphertext_ballot"])
    assert CiphertextBallot.from_json(ballot.to_json()) == ballot
    cast = ballot.submit(BallotBoxState.CAST)
    data = cast.to_json()
    assert data["state"] == 1 and data["nonce"] is None
    assert all(c["nonce"] is None for c in data["contests"])
    assert all(s["nonce"] is None for c in data["contests"] for s in c["ballot_selections"])
    assert cast.code == ballot.code  # casting does not change the tracking code


def test_a_challenged_ballot_opens_with_its_nonces() -> None:
    e = vector_election()
    ballot = e.encrypt(e.inputs["plaintext"])
    key = e.context.elgamal_public_key
    opened = {
        (c.object_id, s.object_id): s.ciphertext.decrypt_known_nonce(key, s.nonce, bound=1)
        for c in ballot.contests
        for s in c.ballot_selections
        if s.nonce is not None
    }
    assert opened[("motion-7", "motion-7-no")] == 1
    assert opened[("motion-7", "motion-7-yes")] == 0
    assert opened[("board", "board-cem")] == 1
    assert opened[("board", "board-3-placeholder")] == 1  # under-vote filled by a placeholder
    assert opened[("board", "board-4-placeholder")] == 0
    assert opened[("north-only", "north-only-2-placeholder")] == 1  # missing contest: blank
    for contest in ballot.contests:
        total = contest.ciphertext_accumulation.decrypt(e.secret_key, bound=5)
        assert total == e.internal.contest(contest.object_id).number_elected


def test_extended_data_carries_write_ins_and_vote_status() -> None:
    e = vector_election()
    ballot = e.encrypt(e.inputs["plaintext"])
    qbar = e.context.crypto_extended_base_hash

    def data(contest_id: str) -> dict[str, object]:
        contest = next(c for c in ballot.contests if c.object_id == contest_id)
        assert contest.extended_data is not None
        return json.loads(unpad_message(contest.extended_data.decrypt(e.secret_key, qbar)))

    assert data("board") == {
        "error": "undervote",
        "error_data": None,
        "write_ins": {"board-cem": "Cem (written in)"},
    }
    assert data("motion-7") == {"error": None, "error_data": None, "write_ins": None}
    assert data("north-only")["error"] == "nullvote"


def test_same_inputs_same_ballot_other_nonce_other_ballot() -> None:
    e = vector_election()
    plain = e.inputs["plaintext"]
    first = e.encrypt(plain, 5, 9)
    assert e.encrypt(plain, 5, 9) == first
    other = e.encrypt(plain, 6, 9)
    assert other.contests[0].ballot_selections[0].ciphertext != (
        first.contests[0].ballot_selections[0].ciphertext
    )
    assert other.code != first.code


def _plain(**contests: list[dict[str, object]]) -> dict[str, object]:
    return {
        "object_id": "b",
        "style_id": "delegate",
        "contests": [{"object_id": k, "ballot_selections": v} for k, v in contests.items()],
    }


@pytest.mark.parametrize(
    ("plaintext", "message"),
    [
        (_plain(board=[{"object_id": "board-ann", "vote": 2}]), "vote 2"),
        (_plain(board=[{"object_id": "board-zed", "vote": 1}]), "unknown selection"),
        (
            _plain(
                board=[{"object_id": "board-ann", "vote": 1}, {"object_id": "board-ann", "vote": 0}]
            ),
            "appears twice",
        ),
        (_plain(**{"north-only": [{"object_id": "north-yes", "vote": 1}]}), "not on style"),
        ({"object_id": "b", "style_id": "ghost", "contests": []}, "ballot style 'ghost'"),
        ({"object_id": "b", "contests": []}, "missing field 'style_id'"),
    ],
)
def test_bad_plaintexts_are_refused(plaintext: dict[str, object], message: str) -> None:
    e = vector_election()
    with pytest.raises(InvalidBallot, match=message):
        e.encrypt(plaintext)


def test_overvote_refused_when_the_context_forbids_it() -> None:
    e = vector_election("overvote")
    strict = replace(e.context, configuration=Configuration(allow_overvotes=False))
    from evote.crypto.encrypt import encrypt_ballot

    with pytest.raises(InvalidBallot, match="over-vote"):
        encrypt_ballot(
            PlaintextBallot.from_json(e.inputs["plaintext"]),
            e.internal,
            strict,
            e.seed,
            ElementModQ.of(3),
            1,
        )


def test_plaintext_json_is_the_packages() -> None:
    e = vector_election()
    plain = e.inputs["plaintext"]
    assert PlaintextBallot.from_json(plain).to_json() == plain


@settings(max_examples=4, deadline=None)
@given(
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.integers(min_value=1, max_value=2**200),
)
def test_any_valid_choice_encrypts_to_a_valid_ballot_that_sums_right(
    board: list[bool], motion: list[bool], master: int
) -> None:
    """Validation accepts it; selections decrypt to the marks (placeholders fill up to n)."""
    e = vector_election()
    marks = {
        "board": dict(zip(["board-ann", "board-ben", "board-cem"], board, strict=True)),
        "motion-7": dict(
            zip(["motion-7-yes", "motion-7-no", "motion-7-abstain"], motion, strict=True)
        ),
    }
    plain = {
        "object_id": "prop",
        "style_id": "delegate",
        "contests": [
            {
                "object_id": c,
                "ballot_selections": [{"object_id": s, "vote": 1} for s, m in sel.items() if m],
            }
            for c, sel in marks.items()
        ],
    }
    ballot = e.encrypt(plain, master)
    validate_ballot(ballot.submit(BallotBoxState.CAST), e.internal, e.context, checker=BATCH)
    for contest in ballot.contests:
        limit = e.internal.contest(contest.object_id).number_elected
        chosen = marks[contest.object_id]
        over = sum(chosen.values()) > limit
        for s in contest.ballot_selections:
            value = s.ciphertext.decrypt(e.secret_key, bound=1)
            if not s.is_placeholder_selection:
                assert value == (0 if over else int(chosen[s.object_id]))
        assert contest.ciphertext_accumulation.decrypt(e.secret_key, bound=5) == limit


def test_benaloh_challenge_opens_the_spoiled_ballot_from_its_master_nonce() -> None:
    from evote.crypto.benaloh import open_challenged_ballot

    e = vector_election()
    master = ElementModQ.of(31337)
    spoiled = e.encrypt(e.inputs["plaintext"], master.value).submit(BallotBoxState.SPOILED)
    opened = open_challenged_ballot(spoiled, master, e.internal, e.context)
    assert opened == {
        "board": {"board-ann": 0, "board-ben": 0, "board-cem": 1},
        "north-only": {"north-yes": 0, "north-no": 0},
        "motion-7": {"motion-7-yes": 0, "motion-7-no": 1, "motion-7-abstain": 0},
    }
    with pytest.raises(InvalidBallot, match="does not open α"):
        open_challenged_ballot(spoiled, ElementModQ.of(31338), e.internal, e.context)


def test_nonces_and_secret_keys_stay_out_of_repr() -> None:
    """A ballot still holding its nonces opens every vote; a traceback or log line must not."""
    e = vector_election()
    ballot = e.encrypt(e.inputs["plaintext"], 2**200 + 12345)
    contest = ballot.contests[0]
    secrets = [ballot.nonce, contest.nonce, contest.ballot_selections[0].nonce]
    text = repr(ballot)
    for secret in secrets:
        assert secret is not None
        assert str(int(secret)) not in text and secret.to_hex() not in text
    keypair = ElGamalKeyPair.from_secret(e.secret_key)
    assert str(int(e.secret_key)) not in repr(keypair)
    assert e.secret_key.to_hex() not in repr(keypair)


def test_write_ins_too_long_for_the_extended_data_are_refused_typed() -> None:
    e = vector_election()
    plain = json.loads(json.dumps(e.inputs["plaintext"]))
    plain["contests"][0]["ballot_selections"][0]["write_in"] = "x" * 600
    with pytest.raises(InvalidBallot, match="do not fit: message of 669 bytes"):
        e.encrypt(plain)
