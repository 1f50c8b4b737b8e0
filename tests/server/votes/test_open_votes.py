"""Open votes (offene Abstimmung) and roll-call votes (namentliche Abstimmung).

Counting rules (the motion's rule on the plaintext count), the same roll, countdown and embargo
as a secret vote, who was eligible in the result and the minutes, each name's choice for a roll
call only, and the wall between the kinds: no plaintext choice is ever taken for a secret vote,
and an open vote takes no encrypted ballot.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from flask import Flask
from server_helpers import Api
from sqlalchemy import func, select
from vote_helpers import Stage, encrypt_for_vote

from evote.rules.roles import Role
from evote.store.clock import ManualClock
from evote.store.db import get_session
from evote.store.models.votes import OpenChoice
from evote.voting.minutes import votes_for_minutes


def choose(who: Api, vote_id: int, choice: Any) -> Any:
    return who.post(f"/api/votes/{vote_id}/choice", {"choice": choice})


def test_quick_open_vote_counts_at_once_and_publishes_totals_and_the_eligible(
    stage: Stage, clock: ManualClock, logged_in: Callable[..., Api], app: Flask, new_api: Any,
) -> None:
    created = stage.create(title="Tagesordnung annehmen", secrecy="open")
    assert created["secrecy"] == "open"
    vote = stage.open(created["id"])
    assert vote["context"] is None and vote["encryption_device"] is None  # nothing to encrypt
    late = logged_in(Role.DELEGATE, checked_in=True)  # checked in after the opening
    d = stage.delegates
    assert choose(d[0], vote["id"], "yes").status_code == 201
    assert choose(d[1], vote["id"], "yes").status_code == 201
    again = choose(d[1], vote["id"], "no")
    assert again.status_code == 409 and again.get_json()["error"] == "already_voted"
    bad = choose(d[2], vote["id"], "vielleicht")
    assert bad.status_code == 422 and bad.get_json()["error"] == "bad_choice"
    assert choose(late, vote["id"], "no").get_json()["error"] == "not_on_roll"
    assert choose(d[2], vote["id"], "abstain").status_code == 201
    # an encrypted ballot is no way into an open vote
    refused = d[0].post(f"/api/votes/{vote['id']}/ballots", {"object_id": "b"})
    assert refused.status_code == 409 and refused.get_json()["error"] == "not_secret"
    assert stage.vote_for(d[0], vote["id"])["turnout"] == {"cast": 3, "roll": 3}

    clock.advance(60)
    assert choose(late, vote["id"], "yes").status_code in (403, 409)
    listed = stage.presidium.get("/api/votes").get_json()["votes"]
    assert [v["state"] for v in listed] == ["decrypted"]  # counted at the close, no guardians
    embargoed = d[0].get(f"/api/votes/{vote['id']}/result")
    assert embargoed.get_json()["error"] == "result_not_announced"
    assert stage.presidium.post(f"/api/votes/{vote['id']}/announce").status_code == 200
    result = d[0].get(f"/api/votes/{vote['id']}/result").get_json()
    assert result["secrecy"] == "open"
    assert result["totals"] == {"motion": {"yes": 2, "no": 0, "abstain": 1}}
    assert result["outcome"]["adopted"] is True and result["ballots_cast"] == 3
    assert [p["voted"] for p in result["eligible"]] == [True, True, True]
    assert "roll_call" not in result  # an open vote publishes no one's choice
    assert {p["name"] for p in result["eligible"]} == {name_of(app, p) for p in d}
    record = new_api().get(f"/api/votes/{vote['id']}/record.zip")
    assert record.status_code == 409 and record.get_json()["error"] == "not_secret"
    # the minutes take the open vote without a record fingerprint (there is no record)
    minutes = stage.presidium.get("/api/minutes.zip")
    assert minutes.status_code == 200, minutes.get_data(as_text=True)[:500]
    with zipfile.ZipFile(io.BytesIO(minutes.data)) as z:
        tables = "".join(z.read(n).decode("utf-8-sig") for n in z.namelist())
    assert "Tagesordnung annehmen – offene Abstimmung" in tables


def test_roll_call_publishes_each_name_with_its_choice_after_the_announcement(
    stage: Stage, clock: ManualClock, app: Flask,
) -> None:
    vote = stage.open(stage.create(title="Namentlich: A7", secrecy="roll_call",
                                   majority_rule="two_thirds", with_abstain=False)["id"])
    d = stage.delegates
    for who, choice in zip(d, ("yes", "no", "yes"), strict=True):
        assert choose(who, vote["id"], choice).status_code == 201
    assert choose(d[0], vote["id"], "abstain").status_code == 422  # not offered
    assert choose(d[0], vote["id"], "no").status_code == 409  # one choice only
    clock.advance(60)
    stage.presidium.get("/api/votes")
    assert d[0].get(f"/api/votes/{vote['id']}/result").status_code == 409  # not yet announced
    early = stage.presidium.get(f"/api/votes/{vote['id']}/result").get_json()
    assert early["outcome"]["adopted"] is True  # 2 of 3 is two thirds of yes + no
    stage.presidium.post(f"/api/votes/{vote['id']}/announce")
    result = d[1].get(f"/api/votes/{vote['id']}/result").get_json()
    by_name = {p["name"]: p["choice"] for p in result["roll_call"]}
    assert by_name == {name_of(app, p): c for p, c in zip(d, ("yes", "no", "yes"), strict=True)}
    with app.app_context():
        [minutes] = votes_for_minutes(get_session(), stage_event(app))
    assert minutes["secrecy_text"] == "namentliche Abstimmung"
    assert minutes["roll_call"] == result["roll_call"] and len(minutes["eligible"]) == 3
    assert minutes["threshold_text"].startswith("nötig: 2 Stimmen")


def test_a_secret_vote_never_takes_a_plaintext_choice(stage: Stage, app: Flask) -> None:
    vote = stage.open(stage.create(title="Geheim")["id"])
    refused = choose(stage.delegates[0], vote["id"], "yes")
    assert refused.status_code == 409 and refused.get_json()["error"] == "secret_vote"
    assert "never sent in plaintext" in refused.get_json()["message"]
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(OpenChoice)) == 0
    # the secret vote still takes its encrypted ballot, and its secrecy cannot change now
    view = stage.vote_for(stage.delegates[0], vote["id"])
    ballot = encrypt_for_vote(view, {"motion": ["yes"]}, "secret-still")
    assert stage.delegates[0].post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
    edit = stage.presidium.patch(f"/api/votes/{vote['id']}",
                                 {"kind": "motion", "title": "Geheim", "secrecy": "open"})
    assert edit.status_code == 409 and edit.get_json()["error"] == "vote_not_draft"


def test_open_votes_are_questions_and_bad_secrecy_is_refused(stage: Stage) -> None:
    resp = stage.presidium.post("/api/votes", {"kind": "election", "title": "Vorstand",
                                               "candidates": ["Ada"], "secrecy": "roll_call"})
    assert resp.status_code == 422 and resp.get_json()["error"] == "open_vote_kind"
    resp = stage.presidium.post("/api/votes", {"kind": "motion", "title": "A", "secrecy": "loud"})
    assert resp.status_code == 400 and resp.get_json()["error"] == "bad_field"
    assert stage.presidium.get("/api/votes").get_json()["votes"] == []


def test_an_open_vote_needs_no_key_ceremony(logged_in: Callable[..., Api],
                                            clock: ManualClock) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    delegate = logged_in(Role.DELEGATE, checked_in=True)
    vote = presidium.post("/api/votes", {"kind": "motion", "title": "GO-Antrag",
                                         "secrecy": "open"}).get_json()
    assert presidium.post(f"/api/votes/{vote['id']}/open").status_code == 200
    assert choose(delegate, vote["id"], "no").status_code == 201
    assert presidium.post(f"/api/votes/{vote['id']}/close").get_json()["state"] == "decrypted"
    result = presidium.get(f"/api/votes/{vote['id']}/result").get_json()
    assert result["outcome"]["adopted"] is False and result["totals"]["motion"]["no"] == 1


def name_of(app: Flask, who: Api) -> str:
    from evote.store.models.people import Participant

    assert who.person is not None
    with app.app_context():
        found = get_session().get(Participant, who.person.id)
        assert found is not None
        return found.name


def stage_event(app: Flask) -> int:
    from evote.store.models.event import Event

    with app.app_context():
        event_id = get_session().scalar(select(Event.id).limit(1))
    assert event_id is not None
    return int(event_id)
