"""Conformance: ballots evote encrypts load into electionguard 1.4.0 unchanged and pass its
own `is_valid_encryption`; a forged one does not.  Needs the .oracle venv (skips without)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.crypto.ballot import BallotBoxState, CiphertextBallot
from evote.crypto.group import add_q

from .ballot_fixtures import vector_election
from .conftest import ORACLE_PYTHON, oracle_json

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.skipif(not ORACLE_PYTHON.exists(), reason="no .oracle venv with electionguard 1.4.0"),
]


def ask_oracle(ballots: list[CiphertextBallot]) -> dict[str, Any]:
    e = vector_election()
    payload = {
        "manifest": e.internal.manifest.to_json(),
        "context": e.context.to_json(),
        "ballots": [b.to_json() for b in ballots],
    }
    answer: dict[str, Any] = oracle_json("oracle_ballots.py", payload)
    return answer


SELECTIONS = {
    "board": ["board-ann", "board-ben", "board-cem"],
    "north-only": ["north-yes", "north-no"],
    "motion-7": ["motion-7-yes", "motion-7-no", "motion-7-abstain"],
}


def _plaintext(ballot_id: str, style: str, marks: dict[str, list[bool]]) -> dict[str, Any]:
    contests = [
        {
            "object_id": contest,
            "ballot_selections": [
                {"object_id": sid, "vote": 1}
                for sid, marked in zip(SELECTIONS[contest], flags, strict=False)
                if marked
            ],
        }
        for contest, flags in marks.items()
        if style == "north-delegate" or contest != "north-only"
    ]
    return {"object_id": ballot_id, "style_id": style, "contests": contests}


marks = st.fixed_dictionaries(
    {c: st.lists(st.booleans(), min_size=len(s), max_size=len(s)) for c, s in SELECTIONS.items()}
)


@settings(max_examples=1, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["delegate", "north-delegate"]), marks, st.integers(1, 2**64)),
        min_size=3,
        max_size=3,
    )
)
def test_package_accepts_evote_ballots_and_refuses_a_forgery(
    cases: list[tuple[str, dict[str, list[bool]], int]],
) -> None:
    e = vector_election()
    ballots = []
    for n, (style, chosen, nonce) in enumerate(cases):
        plain = _plaintext(f"ballot-{n}", style, chosen)
        state = BallotBoxState.SPOILED if n == 2 else BallotBoxState.CAST
        ballots.append(e.encrypt(plain, nonce, 1_800_000_000 + n).submit(state))
    first = ballots[0]
    selection = first.contests[0].ballot_selections[0]
    assert selection.proof is not None
    bad_proof = replace(
        selection.proof, proof_one_response=add_q(selection.proof.proof_one_response, 1)
    )
    contest = replace(
        first.contests[0],
        ballot_selections=(
            replace(selection, proof=bad_proof),
            *first.contests[0].ballot_selections[1:],
        ),
    )
    forged = replace(first, contests=(contest, *first.contests[1:]))  # only the proof is wrong
    answer = ask_oracle([*ballots, forged])
    assert answer["manifest_hash"] == e.internal.manifest_hash.to_hex()
    assert answer["same_json"] == [True] * 4
    assert answer["valid"] == [True, True, True, False]
