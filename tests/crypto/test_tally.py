"""Homomorphic tally of cast ballots: shape rules, and Microsoft's sample re-derived."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from evote.crypto.ballot import BallotBoxState, CiphertextBallot
from evote.crypto.elgamal import elgamal_encrypt
from evote.crypto.errors import InvalidBallot, InvalidElement
from evote.crypto.group import ElementModQ, g_pow_p
from evote.crypto.manifest import Manifest
from evote.crypto.tally import (
    CiphertextTally,
    SummandBallot,
    TallyContest,
    TallySelection,
    ballot_ciphertexts,
)

from .ballot_fixtures import vector_election
from .tally_ballots import Ballot, Contest, Selection

KEY = g_pow_p(ElementModQ.of(123456789))


def shape() -> list[TallyContest]:
    def sel(i: int, name: str) -> TallySelection:
        return TallySelection(name, i, ElementModQ.of(100 + i))

    return [
        TallyContest(
            "motion", 0, ElementModQ.of(7), {s: sel(i, s) for i, s in enumerate(["yes", "no"])}
        )
    ]


def ballot(ballot_id: str, yes: int, nonce: int) -> Ballot:
    enc = [
        elgamal_encrypt(v, ElementModQ.of(nonce + i), KEY) for i, v in enumerate((yes, 1 - yes, 0))
    ]
    return Ballot(
        ballot_id,
        [
            Contest(
                "motion",
                [
                    Selection("yes", enc[0]),
                    Selection("no", enc[1]),
                    Selection("motion-2-placeholder", enc[2], True),
                ],
            )
        ],
    )


def test_cast_ballots_sum_per_selection_without_placeholders() -> None:
    tally = CiphertextTally.empty(shape()).add_cast_ballots(
        [ballot("b1", 1, 10), ballot("b2", 0, 20), ballot("b3", 1, 30)]
    )
    secret = ElementModQ.of(123456789)
    totals = {sid: c.decrypt(secret, 10) for sid, c in tally.ciphertexts()["motion"].items()}
    assert totals == {"yes": 2, "no": 1}
    assert tally.cast_ballot_ids == {"b1", "b2", "b3"}
    assert set(ballot_ciphertexts(ballot("b4", 1, 40))["motion"]) == {
        "yes",
        "no",
        "motion-2-placeholder",
    }


def test_bad_ballots_are_refused_and_change_nothing() -> None:
    tally = CiphertextTally.empty(shape()).add_cast_ballots([ballot("b1", 1, 10)])
    with pytest.raises(InvalidBallot, match="b1 is already"):
        tally.add_cast_ballots([ballot("b2", 1, 20), ballot("b1", 0, 30)])
    lacking = Ballot(
        "b5",
        [
            Contest(
                "motion",
                [Selection("yes", ballot("x", 1, 5).contests[0].ballot_selections[0].ciphertext)],
            )
        ],
    )
    with pytest.raises(InvalidBallot, match=r"b5: contest motion lacks selections \['no'\]"):
        tally.add_cast_ballots([lacking])
    stranger = Ballot("b6", [Contest("budget", [])])
    with pytest.raises(InvalidBallot, match="budget is not in the tally"):
        tally.add_cast_ballots([stranger])
    assert tally.cast_ballot_ids == {"b1"}
    assert tally.ciphertexts()["motion"]["yes"].decrypt(ElementModQ.of(123456789), 5) == 1


def test_from_json_refuses_elements_outside_the_subgroup() -> None:
    doc = CiphertextTally.empty(shape()).to_json()
    doc["contests"]["motion"]["selections"]["yes"]["ciphertext"]["pad"] = "02"
    with pytest.raises(InvalidElement, match="selection yes"):
        CiphertextTally.from_json(doc)


def test_sample_encrypted_tally_rederived_from_its_cast_ballots(sample_record: Any) -> None:
    published = sample_record.load("encrypted_tally.json")
    read = CiphertextTally.from_json(published)
    assert read.to_json() == published
    ballots = [
        CiphertextBallot.from_json(b) for b in sample_record.glob("submitted_ballots/*.json")
    ]
    cast = [b for b in ballots if b.state == BallotBoxState.CAST]
    assert cast
    ours = CiphertextTally.for_manifest(Manifest.from_json(sample_record.load("manifest.json")))
    assert ours.add_cast_ballots(cast).to_json() == published
    if len(cast) < len(ballots):  # a spoiled ballot is refused, and would change the sums
        with pytest.raises(InvalidBallot, match="is not cast"):
            ours.add_cast_ballots(ballots)


def test_summands_read_from_json_give_the_same_tally() -> None:
    """The close reads only ids, state and ciphertexts of its stored ballots: same sums."""
    e = vector_election()
    plain = e.inputs["plaintext"]
    ballots = [
        e.encrypt({**plain, "object_id": f"b{i}"}, master=100 + i).submit(
            BallotBoxState.SPOILED if i == 2 else BallotBoxState.CAST
        )
        for i in range(3)
    ]
    documents = [b.to_json() for b in ballots]
    light = [SummandBallot.from_json(d) for d in documents]
    assert [b.state for b in light] == [b.state for b in ballots]
    empty = CiphertextTally.for_manifest(e.internal.manifest)
    assert (
        empty.add_cast_ballots(light[:2]).to_json()
        == empty.add_cast_ballots(ballots[:2]).to_json()
    )
    with pytest.raises(InvalidBallot, match="is not cast"):  # the state is read too
        empty.add_cast_ballots(light)
    broken = {**documents[0], "contests": [{"object_id": "c", "ballot_selections": [{}]}]}
    with pytest.raises(InvalidBallot, match="contest 'c'"):
        SummandBallot.from_json(broken)


def test_only_cast_ballots_are_summed() -> None:
    spoiled = replace(ballot("b9", 1, 90), state=2)
    with pytest.raises(InvalidBallot, match="ballot b9 is not cast"):
        CiphertextTally.empty(shape()).add_cast_ballots([ballot("b1", 1, 10), spoiled])


def test_a_contest_or_selection_twice_on_one_ballot_is_refused() -> None:
    """Counted once per listing, a repeated contest would give one delegate two votes."""
    tally = CiphertextTally.empty(shape())
    twice = ballot("b7", 1, 70)
    twice = replace(twice, contests=[twice.contests[0], twice.contests[0]])
    with pytest.raises(InvalidBallot, match="b7: contest motion appears twice"):
        tally.add_cast_ballots([twice])
    one = ballot("b8", 1, 80)
    yes, no, placeholder = one.contests[0].ballot_selections
    repeated = replace(one, contests=[Contest("motion", [yes, yes, no, placeholder])])
    with pytest.raises(InvalidBallot, match="b8: contest motion has selection yes twice"):
        tally.add_cast_ballots([repeated])
    assert tally.cast_ballot_ids == frozenset()
