"""The close is announced first and sealed right after; a seal cut short is finished later.

The close (state, retry key and tags erased, fingerprints deleted) is one small transaction,
and `vote_closed` goes out when it commits.  The seal (ballot rows rewritten in tracking-code
order, encrypted tally formed) follows in its own transaction; a closed vote without a tally
is one whose seal still has to run, and the sweeper or the next reader runs it.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from vote_helpers import Stage, encrypt_for_vote

from evote.store.clock import ManualClock
from evote.store.db import get_session
from evote.store.models.votes import Participation, Vote
from evote.voting import events, lifecycle


def cast_two(stage: Stage) -> int:
    vote = stage.open(stage.create()["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    for i, choice in enumerate(("yes", "no")):
        ballot = encrypt_for_vote(view, {"motion": [choice]}, f"seal-{i}")
        assert stage.delegates[i].post(f"/api/votes/{vote['id']}/ballots", ballot).status_code == 201
    return int(vote["id"])


def test_vote_closed_is_announced_before_the_seal(
    stage: Stage, clock: ManualClock, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    vote_id = cast_two(stage)
    with app.app_context():
        event_id = get_session().get(Vote, vote_id).event_id  # type: ignore[union-attr]
        subscription = events.hub(app).subscribe(event_id)
    seen: dict[str, Any] = {}
    real_seal = lifecycle.seal

    def watched(db: Any, vid: int) -> bool:
        seen["event"] = subscription.get(timeout=0)
        vote = db.get(Vote, vid, populate_existing=True)
        seen["state"], seen["tally"] = vote.state, vote.encrypted_tally_json
        seen["tags"] = [p.retry_tag for p in db.query(Participation).filter_by(vote_id=vid)]
        return real_seal(db, vid)

    monkeypatch.setattr(lifecycle, "seal", watched)
    clock.advance(60)
    assert [c.vote_id for c in lifecycle.sweep_once(app)] == [vote_id]
    subscription.close()
    # when the seal began, every page had been told, and nothing linked delegates to ballots
    assert seen["event"]["type"] == "vote_closed" and seen["event"]["cast"] == 2
    assert seen["state"] == "closed" and seen["tally"] is None
    assert seen["tags"] == [None, None]
    with app.app_context():
        assert get_session().get(Vote, vote_id).encrypted_tally_json  # type: ignore[union-attr]
        assert lifecycle.unsealed_votes(get_session()) == []


@pytest.mark.parametrize("finisher", ["sweeper", "reader"])
def test_a_failed_seal_is_finished_later(
    stage: Stage, clock: ManualClock, app: Flask, monkeypatch: pytest.MonkeyPatch, finisher: str
) -> None:
    vote_id = cast_two(stage)

    def broken(db: Any, vid: int) -> bool:
        raise RuntimeError("database went away")

    monkeypatch.setattr(lifecycle, "seal", broken)
    clock.advance(60)
    closed = stage.vote_for(stage.delegates[0], vote_id)  # the lazy close; its seal fails
    assert closed["state"] == "closed"
    with app.app_context():
        assert lifecycle.unsealed_votes(get_session()) == [vote_id]
    monkeypatch.undo()
    if finisher == "sweeper":
        assert lifecycle.sweep_once(app) == []  # nothing left to close, one vote to seal
    resp = stage.presidium.get(f"/api/votes/{vote_id}/encrypted-tally")  # a reader seals too
    assert resp.status_code == 200
    totals = resp.get_json()["encrypted_tally"]["contests"]["motion"]["selections"]
    assert set(totals) == {"yes", "no", "abstain"}
    with app.app_context():
        assert lifecycle.unsealed_votes(get_session()) == []


def test_sealing_twice_does_nothing(stage: Stage, clock: ManualClock, app: Flask) -> None:
    vote_id = cast_two(stage)
    clock.advance(60)
    lifecycle.sweep_once(app)
    with app.app_context():
        db = get_session()
        vote = db.get(Vote, vote_id)
        assert vote is not None and vote.encrypted_tally_json
        tally = vote.encrypted_tally_json
        assert lifecycle.seal(db, vote_id) is False
        db.refresh(vote)
        assert vote.encrypted_tally_json == tally


def test_sweeper_wakes_when_a_countdown_ends(stage: Stage, clock: ManualClock, app: Flask) -> None:
    sweeper = lifecycle.Sweeper(app, interval=0.5)
    assert sweeper._until_next_close() == 0.5  # no open vote: the regular tick
    stage.open(stage.create()["id"])  # closes in 60 s
    assert sweeper._until_next_close() == 0.5
    clock.advance(59.8)
    assert sweeper._until_next_close() == pytest.approx(0.2)
    clock.advance(0.2)
    assert sweeper._until_next_close() == lifecycle.Sweeper.EARLIEST
    clock.advance(1)
    assert sweeper._until_next_close() == lifecycle.Sweeper.EARLIEST
