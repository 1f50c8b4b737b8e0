"""A reissue that starts while no vote is open and ends after one opened (security review):
the check and the new password are not one step (the password's hash takes ~0.15 s), so the
server checks again once it holds the event's audit-log lock, which the opening holds until it
commits; a vote open by then turns the reissue into a request for a second person.

The interleaving is simulated: the first look sees no open vote, the second one sees it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from server_helpers import Api
from vote_helpers import Stage

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.people import Participant
from evote.webapp.api import support


def test_a_vote_opening_during_the_reissue_makes_it_a_request(
    app: Flask, stage: Stage, logged_in: Callable[..., Api], monkeypatch: pytest.MonkeyPatch,
) -> None:
    helper = logged_in(Role.SUPPORT)
    delegate = stage.delegates[0]
    assert delegate.person is not None
    pid = delegate.person.id
    with app.app_context():
        found = get_session().get(Participant, pid)
        assert found is not None
        before = found.credential_version
    stage.open(stage.create()["id"])
    real, looks = support._vote_open, []

    def racing(event_id: int) -> bool:
        """The first look: "no vote open" (it opened just after); every later one: the truth."""
        looks.append(event_id)
        return len(looks) > 1 and real(event_id)

    monkeypatch.setattr(support, "_vote_open", racing)

    asked = helper.post(f"/api/support/participants/{pid}/credentials")
    assert asked.status_code == 202, asked.get_json()
    assert asked.get_json()["status"] == "confirmation_needed" and "password" not in asked.get_json()
    with app.app_context():
        found = get_session().get(Participant, pid)
        assert found is not None and found.credential_version == before  # nothing issued
    assert delegate.get("/api/me").status_code == 200  # still logged in with the old password
