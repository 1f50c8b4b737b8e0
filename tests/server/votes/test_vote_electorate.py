"""Electorate per vote: a vote limited to a group (a Frauenvotum) or one delegation.

The roll is snapshotted at the opening from the checked-in voting delegates inside the
electorate, like today's roll: a delegate outside it cannot cast, joining the group after the
opening changes nothing, the majority's heads are the electorate's and the quorum the assembly's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from server_helpers import Api, verify_record
from sqlalchemy import select
from vote_helpers import Stage, encrypt_for_vote

from evote.rules.roles import Role
from evote.store.clock import ManualClock
from evote.store.db import get_session
from evote.store.models.people import ParticipantGroup
from evote.store.models.votes import RollEntry


def decrypt(stage: Stage, vote_id: int) -> None:
    tally = stage.guardian.get(f"/api/votes/{vote_id}/encrypted-tally").get_json()
    for i in range(3):
        for share in stage.guardians.shares(i, tally):
            resp = stage.guardian.post(f"/api/votes/{vote_id}/decryption-shares", share)
            assert resp.status_code == 200, resp.get_json()


def test_a_frauenvotum_is_cast_by_the_group_only(
    stage: Stage, logged_in: Callable[..., Api], person: Callable[..., Any], app: Flask,
    clock: ManualClock, new_api: Any, tmp_path: Path,
) -> None:
    women = [logged_in(Role.DELEGATE, checked_in=True, groups=["Frauen"]) for _ in range(2)]
    away = person(Role.DELEGATE, groups=["Frauen"])  # a member of the group, not checked in
    del away
    created = stage.create(title="Frauenvotum zu A3", majority_rule="absolute",
                           majority_base="members", electorate={"group": "Frauen"})
    assert created["electorate"] == {"group": "Frauen", "delegation": None}
    vote = stage.open(created["id"])
    assert vote["turnout"]["roll"] == 2  # the two checked-in women; stage's three are not
    # a delegate outside the group is not on the roll and is refused
    view = stage.vote_for(stage.delegates[0], vote["id"])
    assert view["you_are_on_roll"] is False
    outside = encrypt_for_vote(view, {"motion": ["no"]}, "outside")
    resp = stage.delegates[0].post(f"/api/votes/{vote['id']}/ballots", outside)
    assert resp.status_code in (403, 409), resp.get_json()
    # joining the group after the opening changes nothing: the roll is the snapshot
    with app.app_context():
        db = get_session()
        db.add(ParticipantGroup(participant_id=delegate_id(stage.delegates[1]), name="Frauen"))
        db.commit()
        rolled = set(db.scalars(select(RollEntry.participant_id).where(
            RollEntry.vote_id == vote["id"])))
    assert delegate_id(stage.delegates[1]) not in rolled and len(rolled) == 2
    for i, who in enumerate(women):
        assert stage.vote_for(who, vote["id"])["you_are_on_roll"] is True
        ballot = encrypt_for_vote(view, {"motion": ["yes"]}, f"woman-{i}")
        assert who.post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
    clock.advance(60)
    decrypt(stage, vote["id"])
    assert stage.presidium.post(f"/api/votes/{vote['id']}/announce").status_code == 200
    result = stage.presidium.get(f"/api/votes/{vote['id']}/result").get_json()
    # members of the electorate: 3 women with a voting right (one away); 2 yes of 3
    assert result["voting_members"] == 3 and result["roll_size"] == 2
    assert result["outcome"]["base"] == 3 and result["outcome"]["adopted"] is True
    assert result["electorate"] == {"group": "Frauen", "delegation": None}
    # the quorum is the assembly's: 3 + 2 checked in of 6 voting members (one woman away)
    assert result["quorum"]["present"] == 5 and result["quorum"]["members"] == 6
    assert result["quorum"]["met"] is True
    record = tmp_path / "record.zip"
    record.write_bytes(new_api().get(f"/api/votes/{vote['id']}/record.zip").data)
    report = verify_record(record)
    assert {c["id"]: c["status"] for c in report["checks"]}["V22"] == "ok"  # cast <= roll of 2


def test_one_delegation_and_both_limits(
    stage: Stage, logged_in: Callable[..., Api],
) -> None:
    berlin = [logged_in(Role.DELEGATE, checked_in=True, delegation="Berlin") for _ in range(2)]
    logged_in(Role.DELEGATE, checked_in=True, delegation="Berlin", groups=["Frauen"])
    vote = stage.open(stage.create(title="Delegation Berlin", electorate={"delegation": "Berlin"})["id"])
    assert vote["turnout"]["roll"] == 3
    assert stage.vote_for(berlin[0], vote["id"])["you_are_on_roll"] is True
    assert stage.vote_for(stage.delegates[0], vote["id"])["you_are_on_roll"] is False
    stage.presidium.post(f"/api/votes/{vote['id']}/cancel")
    both = stage.open(stage.create(title="Berliner Frauen", electorate={
        "delegation": "Berlin", "group": "Frauen"})["id"])
    assert both["turnout"]["roll"] == 1


def test_an_electorate_that_names_nobody_is_refused_and_changes_nothing(stage: Stage) -> None:
    for electorate, code in (({"group": "Frauenn"}, "unknown_group"),
                             ({"delegation": "Atlantis"}, "unknown_delegation")):
        resp = stage.presidium.post("/api/votes", {"kind": "motion", "title": "A",
                                                   "electorate": electorate})
        assert resp.status_code == 422 and resp.get_json()["error"] == code
    for bad in ({"group": ""}, {"team": "x"}, "Frauen", {"group": 3}):
        resp = stage.presidium.post("/api/votes", {"kind": "motion", "title": "A",
                                                   "electorate": bad})
        assert resp.status_code == 400 and resp.get_json()["error"] == "bad_field", bad
    assert stage.presidium.get("/api/votes").get_json()["votes"] == []
    draft = stage.create(title="A")
    resp = stage.presidium.patch(f"/api/votes/{draft['id']}", {
        "kind": "motion", "title": "A", "electorate": {"group": "Niemand"}})
    assert resp.status_code == 422
    assert stage.presidium.get(f"/api/votes/{draft['id']}").get_json()["electorate"] is None


def delegate_id(who: Api) -> int:
    assert who.person is not None
    return who.person.id
