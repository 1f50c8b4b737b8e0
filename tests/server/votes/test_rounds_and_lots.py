"""Runoffs and ties (Stichwahl, Losentscheid): the rules, then through the API.

The proposal follows the statutes' options (`rules.runoff`): the tied for a tie at the last
seat (or the lot), the two best placed per open seat (with everyone tied with the last of them)
or all not elected when seats stay unfilled. The lot is redone here from the published record's
bytes and the announced value with hashlib alone, as anyone in the hall could.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from server_helpers import verify_record
from vote_helpers import Stage, encrypt_for_vote

from evote.rules.lots import draw, seed
from evote.rules.runoff import RunoffPolicy, propose
from evote.store.clock import ManualClock


def test_a_tie_at_the_last_seat_proposes_the_tied_or_the_lot() -> None:
    found = propose({"Ada": 5, "Bo": 3, "Cem": 3, "Dag": 1}, ["Ada"], ["Bo", "Cem"], 2)
    assert found is not None and found.reason == "tie"
    assert found.candidates == ("Bo", "Cem") and found.seats == 1 and found.lot_possible
    assert propose({"Ada": 5, "Bo": 3}, ["Ada"], [], 1) is None  # every seat filled


def test_unfilled_seats_propose_the_two_best_placed_per_seat_or_everyone() -> None:
    votes = {"Ada": 4, "Bo": 3, "Cem": 2, "Dag": 2, "Eva": 1}
    two = propose(votes, [], [], 1)
    assert two is not None and two.reason == "unfilled" and two.candidates == ("Ada", "Bo")
    assert not two.lot_possible
    # a tie with the second best takes both: no placing decided by name
    tied = propose({"Ada": 4, "Bo": 2, "Cem": 2, "Dag": 1}, [], [], 1)
    assert tied is not None and tied.candidates == ("Ada", "Bo", "Cem")
    every = propose(votes, ["Ada"], [], 2, RunoffPolicy.ALL_REMAINING)
    assert every is not None and every.candidates == ("Bo", "Cem", "Dag", "Eva")
    assert every.seats == 1
    few = propose({"Ada": 1}, [], [], 1)  # one candidate not elected stands again
    assert few is not None and few.candidates == ("Ada",)


def test_the_lot_is_reproducible_from_the_written_bytes() -> None:
    record = hashlib.sha256(b"a record").digest()
    made = seed(record, "17")
    assert made == hashlib.sha256(b"evote/lot/v1\x00" + record + b"17").digest()
    pool = sorted(["Cem", "Bo", "Ada"])
    n = int.from_bytes(hashlib.sha256(made + (0).to_bytes(4, "big")).digest(), "big") % 3
    assert draw(made, ["Cem", "Bo", "Ada"], 1) == (pool[n],)
    assert draw(made, ["Ada", "Bo", "Cem"], 2) == draw(made, ["Cem", "Ada", "Bo"], 2)
    assert seed(record, "18") != made
    with pytest.raises(ValueError):
        seed(record, " ")
    with pytest.raises(ValueError):
        draw(made, ["Ada"], 2)


def count(stage: Stage, clock: ManualClock, vote_id: int, marks: list[list[str]]) -> None:
    view = stage.vote_for(stage.delegates[0], vote_id)
    for i, marked in enumerate(marks):
        ballot = encrypt_for_vote(view, {"election": marked}, f"round-{vote_id}-{i}")
        assert stage.delegates[i].post(f"/api/votes/{vote_id}/ballots", ballot).status_code == 201
    clock.advance(60)
    tally = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    for i in range(3):
        for share in stage.guardians.shares(i, tally):
            assert stage.guardian.post(f"/api/votes/{vote_id}/decryption-shares",
                                       share).status_code == 200


def test_a_tie_drawn_by_lot_from_the_record_and_the_announced_value(
    stage: Stage, clock: ManualClock, new_api: Any, tmp_path: Path,
) -> None:
    vote = stage.open(stage.create(kind="election", title="Kasse", candidates=["Ada", "Bo"])["id"])
    count(stage, clock, vote["id"], [["candidate-1"], ["candidate-2"], []])
    url = f"/api/votes/{vote['id']}"
    early = stage.presidium.post(f"{url}/lot", {"announced_value": "7"})
    assert early.status_code == 409 and early.get_json()["error"] == "result_not_announced"
    assert stage.presidium.post(f"{url}/announce").status_code == 200
    result = stage.presidium.get(f"{url}/result").get_json()
    assert result["outcome"]["elected"] == [] and result["outcome"]["tied"] == ["Ada", "Bo"]
    proposal = stage.presidium.get(f"{url}/next-round").get_json()["proposal"]
    assert proposal == {"reason": "tie", "candidates": ["Ada", "Bo"], "seats": 1,
                        "lot_possible": True}
    assert stage.delegates[0].post(f"{url}/lot", {"announced_value": "7"}).status_code == 403
    bad = stage.presidium.post(f"{url}/lot", {"announced_value": " "})
    assert bad.status_code == 422 and bad.get_json()["error"] == "bad_announced_value"

    drawn = stage.presidium.post(f"{url}/lot", {"announced_value": "Karo Sieben"})
    assert drawn.status_code == 201, drawn.get_json()
    draw_json = drawn.get_json()
    record = new_api().get(f"{url}/record.zip").data
    again = seed(hashlib.sha256(record).digest(), "Karo Sieben")
    assert draw_json["seed"] == again.hex()
    assert draw_json["drawn"] == list(draw(again, ["Ada", "Bo"], 1))
    assert draw_json["record_sha256"] == hashlib.sha256(record).hexdigest()
    assert stage.presidium.post(f"{url}/lot", {"announced_value": "8"}).get_json()["error"] == (
        "lot_drawn")
    published = stage.delegates[1].get(f"{url}/result").get_json()
    assert published["lot"] == draw_json
    assert new_api().get(f"{url}/record.zip").data == record  # the seeded record stays the same
    path = tmp_path / "record.zip"
    path.write_bytes(record)
    verify_record(path)
    # the tie is broken: nothing further to propose
    assert stage.presidium.get(f"{url}/next-round").get_json()["proposal"] is None


def test_an_unfilled_seat_opens_the_next_round_with_one_click(
    stage: Stage, clock: ManualClock,
) -> None:
    first = stage.open(stage.create(kind="election", title="Vorsitz", majority_rule="absolute",
                                    candidates=["Ada", "Bo", "Cem"], overall_no=True)["id"])
    count(stage, clock, first["id"], [["candidate-1"], ["candidate-2"], ["candidate-3"]])
    url = f"/api/votes/{first['id']}"
    assert stage.presidium.post(f"{url}/announce").status_code == 200
    proposal = stage.presidium.get(f"{url}/next-round").get_json()["proposal"]
    assert proposal["reason"] == "unfilled" and proposal["candidates"] == ["Ada", "Bo", "Cem"]
    resp = stage.presidium.post(f"{url}/next-round", {"majority_rule": "simple"})
    assert resp.status_code == 201, resp.get_json()
    second = resp.get_json()
    assert second["state"] == "open" and second["previous_round_id"] == first["id"]
    assert second["title"] == "Vorsitz – 2. Wahlgang" and second["majority_rule"] == "simple"
    assert second["overall_no"] is True and second["candidates"] == ["Ada", "Bo", "Cem"]
    assert stage.presidium.post(f"{url}/next-round", {}).status_code == 409  # one open at a time
    bad = stage.presidium.get(f"{url}/next-round?policy=best")
    assert bad.status_code == 400
    motion = stage.create(title="A1")
    refused = stage.presidium.get(f"/api/votes/{motion['id']}/next-round")
    assert refused.status_code == 422 and refused.get_json()["error"] == "not_an_election"
