"""Quota seats (Mindestquotierung): the allocation rule, then both modes through the API.

Of k seats at least ⌈k/2⌉ go to the group's candidates; a quota place the group cannot fill
stays vacant (shortfall); each seat states which rule filled it.
"""

from __future__ import annotations

import pytest
from vote_helpers import Stage, encrypt_for_vote

from evote.rules.quota import allocate, quota_seats
from evote.store.clock import ManualClock

W = {"Ada", "Eva", "Ina"}  # the group's candidates (Frauen)


def test_quota_seats_are_the_share_rounded_up() -> None:
    assert [quota_seats(k) for k in (1, 2, 3, 4, 5)] == [1, 1, 2, 2, 3]
    assert quota_seats(3, 1, 3) == 1 and quota_seats(4, 2, 3) == 3
    with pytest.raises(ValueError):
        quota_seats(2, 3, 2)


def test_quota_first_then_everybody_left() -> None:
    # 3 seats, 2 quota: Bo and Cem have the most votes, but two seats go to women first
    ranked = [("Bo", 9), ("Cem", 8), ("Ada", 5), ("Dag", 4), ("Eva", 3)]
    out = allocate(ranked, 3, W, 2)
    assert out.seats == (("Ada", "quota"), ("Eva", "quota"), ("Bo", "open"))
    assert out.shortfall == 0 and out.tied == ()
    # a woman with the most votes takes a quota seat, the open seat goes by votes
    out = allocate([("Ada", 9), ("Bo", 8), ("Eva", 7), ("Cem", 1)], 2, W, 1)
    assert out.seats == (("Ada", "quota"), ("Bo", "open"))
    # women beyond the quota win open seats too
    out = allocate([("Ada", 9), ("Eva", 8), ("Bo", 1)], 2, W, 1)
    assert out.seats == (("Ada", "quota"), ("Eva", "open"))


def test_a_quota_place_the_group_cannot_fill_stays_vacant() -> None:
    out = allocate([("Bo", 9), ("Ada", 5), ("Cem", 4)], 3, W, 2)  # one woman qualified
    assert out.seats == (("Ada", "quota"), ("Bo", "open")) and out.shortfall == 1
    assert "Cem" not in out.elected  # the vacant quota place does not pass to a man


def test_ties_are_reported_or_resolved_when_they_decide_nothing() -> None:
    out = allocate([("Ada", 5), ("Eva", 5), ("Bo", 9)], 2, W, 1)
    # Ada and Eva tie for the quota seat; the open seat is Bo's by votes
    assert out.elected == ("Bo",) and out.tied == ("Ada", "Eva")
    both = allocate([("Ada", 5), ("Eva", 5), ("Bo", 2)], 2, W, 1)
    assert set(both.elected) == {"Ada", "Eva"} and both.tied == ()  # they fill both seats
    assert dict(both.seats)["Ada"] == "quota"


def count(stage: Stage, clock: ManualClock, vote_id: int, marks: list[list[str]]) -> dict:
    view = stage.vote_for(stage.delegates[0], vote_id)
    for i, marked in enumerate(marks):
        ballot = encrypt_for_vote(view, {"election": marked}, f"quota-{vote_id}-{i}")
        assert stage.delegates[i].post(f"/api/votes/{vote_id}/ballots", ballot).status_code == 201
    clock.advance(60)
    tally = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    for i in range(3):
        for share in stage.guardians.shares(i, tally):
            assert stage.guardian.post(f"/api/votes/{vote_id}/decryption-shares",
                                       share).status_code == 200
    assert stage.presidium.post(f"/api/votes/{vote_id}/announce").status_code == 200
    result: dict = stage.presidium.get(f"/api/votes/{vote_id}/result").get_json()
    return result


def test_one_ballot_fills_the_quota_first_and_says_which_rule(
    stage: Stage, clock: ManualClock,
) -> None:
    created = stage.create(kind="election", title="Beisitz", candidates=["Bo", "Ada", "Cem"],
                           seats=2, quota={"group": "Frauen", "members": ["Ada"]})
    assert created["quota"]["seats"] == 1 and created["quota"]["mode"] == "one_ballot"
    vote = stage.open(created["id"])
    # Bo 3, Cem 2, Ada 1: Ada takes the quota seat, Bo the open one, Cem is not elected
    result = count(stage, clock, vote["id"], [["candidate-1", "candidate-3"],
                                              ["candidate-1", "candidate-3"],
                                              ["candidate-1", "candidate-2"]])
    outcome = result["outcome"]
    assert outcome["elected"] == ["Ada", "Bo"]
    assert outcome["seats_by_rule"] == [{"name": "Ada", "rule": "quota"},
                                        {"name": "Bo", "rule": "open"}]
    assert outcome["quota"]["shortfall"] == 0 and outcome["quota"]["group"] == "Frauen"


def test_two_elections_quota_places_then_open_places(stage: Stage, clock: ManualClock) -> None:
    created = stage.create(kind="election", title="Landesliste", seats=3,
                           candidates=["Ada", "Bo", "Eva", "Cem"],
                           quota={"group": "Frauen", "members": ["Ada", "Eva"],
                                  "mode": "two_elections"})
    assert created["title"] == "Landesliste – Quotenplätze (Frauen)"
    assert created["candidates"] == ["Ada", "Eva"] and created["seats"] == 2
    first = count(stage, clock, stage.open(created["id"])["id"],
                  [["candidate-1", "candidate-2"], ["candidate-1"], ["candidate-2"]])
    assert first["outcome"]["seats_by_rule"] == [{"name": "Ada", "rule": "quota"},
                                                 {"name": "Eva", "rule": "quota"}]
    url = f"/api/votes/{created['id']}/next-round"
    assert stage.presidium.get(url).get_json()["proposal"] == {
        "reason": "open_places", "candidates": ["Bo", "Cem"], "seats": 1, "lot_possible": False}
    second = stage.presidium.post(url, {}).get_json()
    assert second["title"] == "Landesliste – offene Plätze" and second["seats"] == 1
    assert second["quota"]["stage"] == "open" and second["previous_round_id"] == created["id"]
    result = count(stage, clock, second["id"], [["candidate-2"], ["candidate-2"], ["candidate-1"]])
    assert result["outcome"]["seats_by_rule"] == [{"name": "Cem", "rule": "open"}]


def test_bad_quota_is_refused_and_changes_nothing(stage: Stage) -> None:
    for quota in ({"group": "Frauen", "members": ["Zoe"]}, {"group": "", "members": ["Ada"]},
                  {"group": "Frauen", "members": ["Ada"], "mode": "lottery"},
                  {"group": "Frauen", "members": ["Ada"], "numerator": 3}):
        resp = stage.presidium.post("/api/votes", {"kind": "election", "title": "V",
                                                   "candidates": ["Ada", "Bo"], "quota": quota})
        assert resp.status_code == 400 and resp.get_json()["error"] == "bad_quota", quota
    resp = stage.presidium.post("/api/votes", {"kind": "motion", "title": "A",
                                               "quota": {"group": "F", "members": []}})
    assert resp.status_code == 400
    assert stage.presidium.get("/api/votes").get_json()["votes"] == []
