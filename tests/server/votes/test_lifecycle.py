"""Creating, opening and closing votes on the server's clock; the roll snapshot."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from server_helpers import Api
from vote_helpers import Guardians, Stage

from evote.rules.roles import Role
from evote.store.clock import ManualClock
from evote.voting.lifecycle import sweep_once


def test_open_snapshots_the_roll_and_sets_the_countdown(
    stage: Stage, clock: ManualClock, logged_in: Callable[..., Api]
) -> None:
    late = logged_in(Role.DELEGATE)  # not checked in when the vote opens
    guest = logged_in(Role.GUEST_DELEGATE, checked_in=True)  # no vote
    vote = stage.create()
    assert vote["state"] == "draft" and vote["context"] is None
    opened = stage.open(vote["id"])
    assert opened["state"] == "open"
    assert opened["turnout"] == {"cast": 0, "roll": 3}
    assert opened["closes_at"] == "2026-11-28T10:01:00+00:00"
    assert opened["server_time"] == "2026-11-28T10:00:00+00:00"
    assert opened["ballot_timestamp"] == 1795860000  # the opening: before any close
    assert opened["context"]["manifest_hash"]
    late.check_in()
    view = stage.vote_for(late, vote["id"])
    assert view["turnout"]["roll"] == 3  # checking in later does not join this vote's roll
    assert guest.get(f"/api/votes/{vote['id']}").status_code == 200


def test_vote_closes_lazily_on_first_access_after_the_deadline(
    stage: Stage, clock: ManualClock
) -> None:
    vote = stage.open(stage.create()["id"])
    clock.advance(59)
    assert stage.vote_for(stage.delegates[0], vote["id"])["state"] == "open"
    clock.advance(1)
    after = stage.vote_for(stage.delegates[0], vote["id"])
    assert after["state"] == "closed"


def test_sweeper_closes_a_vote_nobody_looks_at(stage: Stage, clock: ManualClock, app: Flask) -> None:
    vote = stage.open(stage.create()["id"])
    assert sweep_once(app) == []
    clock.advance(61)
    closed = sweep_once(app)
    assert [c.vote_id for c in closed] == [vote["id"]]
    assert sweep_once(app) == []  # closing twice is impossible
    resp = stage.presidium.get(f"/api/votes/{vote['id']}/encrypted-tally")
    assert resp.status_code == 200


def test_only_one_open_vote_and_no_reopen(stage: Stage, clock: ManualClock) -> None:
    first = stage.open(stage.create()["id"])
    second = stage.create(title="Antrag A2")
    resp = stage.presidium.post(f"/api/votes/{second['id']}/open")
    assert resp.status_code == 409 and resp.get_json()["error"] == "another_vote_open"
    resp = stage.presidium.post(f"/api/votes/{first['id']}/open")
    assert resp.status_code == 409 and resp.get_json()["error"] == "vote_not_draft"


def test_delegates_cannot_create_or_open(stage: Stage) -> None:
    resp = stage.delegates[0].post("/api/votes", {"kind": "motion", "title": "x"})
    assert resp.status_code == 403
    vote = stage.create()
    assert stage.delegates[0].post(f"/api/votes/{vote['id']}/open").status_code == 403


def test_bad_vote_definitions_are_refused(stage: Stage) -> None:
    for body in (
        {"kind": "referendum", "title": "x"},
        {"kind": "election", "title": "x", "candidates": []},
        {"kind": "election", "title": "x", "candidates": ["a"], "seats": 2},
        {"kind": "motion", "title": "x", "duration_seconds": 1},
        {"kind": "motion", "title": "x", "majority_rule": "most"},
    ):
        resp = stage.presidium.post("/api/votes", body)
        assert resp.status_code == 400, (body, resp.get_json())


def test_sweeper_thread_closes_without_any_request(
    stage: Stage, clock: ManualClock, app: Flask
) -> None:
    import threading

    from evote.store.db import get_session
    from evote.store.models.votes import Vote
    from evote.voting import lifecycle

    vote = stage.open(stage.create()["id"])
    closed = threading.Event()
    original = lifecycle.sweep_once

    def watched(a: Flask) -> list[lifecycle.Closed]:
        done = original(a)
        if done:
            closed.set()
        return done

    lifecycle.sweep_once = watched  # type: ignore[assignment]
    sweeper = lifecycle.Sweeper(app, interval=0.01)
    try:
        sweeper.start()
        clock.advance(60)
        assert closed.wait(timeout=10), "the sweeper did not close the vote"
    finally:
        sweeper.stop()
        lifecycle.sweep_once = original  # type: ignore[assignment]
    with app.app_context():
        state = get_session().get(Vote, vote["id"]).state  # type: ignore[union-attr]
    assert state == "closed"


def test_no_open_without_a_key_and_no_cast_into_a_draft(
    logged_in: Callable[..., Api], stage: Stage
) -> None:
    draft = stage.create()
    resp = stage.delegates[0].post(f"/api/votes/{draft['id']}/ballots", {"object_id": "x"})
    assert resp.status_code == 409 and resp.get_json()["error"] == "vote_not_open"
    assert stage.presidium.get(f"/api/votes/{draft['id']}/context").status_code == 409


def test_opening_needs_the_key_ceremony(logged_in: Callable[..., Api]) -> None:
    presidium = logged_in(Role.PRESIDIUM)
    vote = presidium.post("/api/votes", {"kind": "motion", "title": "x"}).get_json()
    resp = presidium.post(f"/api/votes/{vote['id']}/open")
    assert resp.status_code == 409 and resp.get_json()["error"] == "no_election_key"


def test_imported_key_needs_two_guardians_and_a_quorum_of_two(
    logged_in: Callable[..., Api],
) -> None:
    """With k = 1 every backup is a guardian's secret itself, so any one guardian could decrypt
    alone; one guardian is the same.  Refused, and nothing stored; 2 of 2 (k = n) is fine."""
    presidium = logged_in(Role.PRESIDIUM)
    one_of_two = Guardians(2, 1, label="quorum-one").ceremony_json()
    resp = presidium.put("/api/election-key", one_of_two)
    assert (resp.status_code, resp.get_json()["error"]) == (422, "bad_quorum")
    assert "at least 2, not 1" in resp.get_json()["message"]
    alone = {**one_of_two, "number_of_guardians": 1, "guardians": one_of_two["guardians"][:1]}
    resp = presidium.put("/api/election-key", alone)
    assert (resp.status_code, resp.get_json()["error"]) == (422, "too_few_guardians")
    assert presidium.get("/api/election-key").status_code == 409
    two_of_two = Guardians(2, 2, label="quorum-two").ceremony_json()
    assert presidium.put("/api/election-key", two_of_two).status_code == 200


def test_votes_of_another_event_are_invisible(stage: Stage, app: Flask) -> None:
    from server_helpers import Api as Browser
    from server_helpers import make_event, make_person

    vote = stage.create()
    other_event = make_event(app, slug="lpt")
    outsider = Browser(app.test_client())
    outsider.login(make_person(app, other_event, (Role.DELEGATE,), checked_in=True))
    assert outsider.get(f"/api/votes/{vote['id']}").status_code == 404
    assert outsider.get("/api/votes").get_json()["votes"] == []
