"""The bulletin board and the encrypted ballots are public, but only once the vote has closed.

Published during the countdown, the order of the codes would tell who voted when; so both
endpoints answer 409 for a draft or an open vote, and 404 for a vote that does not exist.
"""

from __future__ import annotations

from typing import Any

import pytest
from vote_helpers import Stage, encrypt_for_vote

from evote.store.clock import ManualClock


@pytest.mark.parametrize("listing", ["bulletin-board", "published-ballots"])
def test_ballots_are_published_only_after_close(
    stage: Stage, clock: ManualClock, new_api: Any, listing: str
) -> None:
    anyone = new_api()
    vote_id = stage.create()["id"]
    draft = anyone.get(f"/api/votes/{vote_id}/{listing}")
    assert draft.status_code == 409 and draft.get_json()["error"] == "vote_not_closed"

    stage.open(vote_id)
    ballot = encrypt_for_vote(stage.vote_for(stage.delegates[0], vote_id), {"motion": ["yes"]}, listing)
    assert stage.delegates[0].post(f"/api/votes/{vote_id}/ballots", ballot).status_code == 201
    early = anyone.get(f"/api/votes/{vote_id}/{listing}")
    assert early.status_code == 409 and early.get_json()["error"] == "vote_not_closed"

    clock.advance(60)
    published = anyone.get(f"/api/votes/{vote_id}/{listing}")
    assert published.status_code == 200 and published.get_json()["vote_id"] == vote_id

    unknown = anyone.get(f"/api/votes/{vote_id + 1000}/{listing}")
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "no_such_vote"
