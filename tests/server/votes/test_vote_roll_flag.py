"""`you_are_on_roll` in GET /api/votes/<id>: the delegate page says before any choice that a
check-in after the opening does not join the running vote (issue 12, item 4)."""

from __future__ import annotations

from collections.abc import Callable

from server_helpers import Api
from vote_helpers import Stage

from evote.rules.roles import Role


def test_roll_flag_for_a_delegate_checked_in_before_and_after_the_opening(
    stage: Stage, logged_in: Callable[..., Api]
) -> None:
    late = logged_in(Role.DELEGATE)
    vote = stage.create()
    assert stage.vote_for(stage.delegates[0], vote["id"])["you_are_on_roll"] is False  # a draft
    stage.open(vote["id"])
    assert late.post("/api/checkin").status_code == 200
    on_time = stage.vote_for(stage.delegates[0], vote["id"])
    assert on_time["you_are_on_roll"] is True and on_time["you_have_voted"] is False
    after = stage.vote_for(late, vote["id"])
    assert after["you_are_on_roll"] is False and after["you_have_voted"] is False
    # what the page says comes true: the server refuses that delegate's ballot in this vote
    refused = late.post(f"/api/votes/{vote['id']}/ballots", {})
    assert refused.status_code == 403 and refused.get_json()["error"] == "not_on_roll"
