"""No secret of a voting code reaches the server: not its database, not a file of its instance
or record folder, not its log, with every step a convention takes (upload, check roll read,
votes opened, signed ballots cast, a replaced letter, the close).

What the server holds is public by design: keys, signatures, the committee's statements.  The
codes, their master secrets and the slot seeds (the Ed25519 secret keys) exist only in the
test, as they exist only on the letters and in the delegates' browsers.  The Chromium test
(tests/server/web/test_browser_vote.py) checks the same for the real page, QR-code address
included.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from credential_helpers import (
    ITERATIONS,
    leaks,
    seat_committee,
    secret_forms,
    server_holdings,
    sign,
)
from flask import Flask
from vote_helpers import Stage, encrypt_for_vote

from evote.rules.roles import Role
from evote_credentials.derivation import master_secret, public_key


def test_no_file_row_or_log_line_of_the_server_holds_a_code(
    app: Flask, stage: Stage, logged_in: Any, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    admin = logged_in(Role.ADMIN)
    seated, roll = seat_committee(admin)
    delegate = stage.delegates[0]
    assert delegate.person is not None
    # the page's check: the public roll of slot 0 holds the code's check key, read by anyone
    check = delegate.get("/api/committee/slots/0").get_json()
    master = master_secret(seated.code(delegate.person.id), seated.committee.salt, ITERATIONS)
    assert public_key(master, 0) in check["eligible"]
    vote = stage.open(stage.create()["id"])
    for i, who in enumerate(stage.delegates):
        assert who.person is not None
        seen = stage.vote_for(who, vote["id"])
        ballot = encrypt_for_vote(seen, {"motion": ["yes"]}, f"secrets-{i}")
        headers = sign(seated.code(who.person.id), seen, ballot, seated.committee.salt)
        resp = who.post(f"/api/votes/{vote['id']}/ballots", ballot, headers=headers)
        assert resp.status_code == 201, resp.get_json()
    # a lost letter replaced for the next votes
    seated.replace(admin, roll, stage.delegates[1].person.id, from_slot=2)  # type: ignore[union-attr]
    closed = stage.presidium.post(f"/api/votes/{vote['id']}/close")
    assert closed.status_code == 200, closed.get_json()

    forms = secret_forms(seated)
    assert len(forms) >= 8 * len(seated.letters)
    holdings = server_holdings(app)
    assert any("credential_keys" in where for where in holdings), holdings.keys()
    logs = {"server log": caplog.text.encode()}
    # (the test client writes no access log; the Chromium test scans a live server's)
    assert leaks(forms, {**holdings, **logs}) == []
    # and the scan finds what it looks for: the public keys are there, as they should be
    assert leaks({"check key": public_key(master, 0)}, holdings)
