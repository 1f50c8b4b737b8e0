"""The voting code on the delegate page (issue 14), in Debian's Chromium on a phone in German:
a typo named at once with no request at all, a replaced letter's code named as replaced, a vote
that opens before the code was typed (the page asks for it before any dialog, nothing sent),
and every ballot then cast signed, one key each, on the vote's roll; axe-core on the prompt.

`web/e2e/credential_cases.mjs` plays the presidium and the delegates; this test seats the
committee (evote-credentials' own code, as its machine would) and checks what the server kept.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_harness import CHROMIUM, NODE, REPO, needs_chromium
from credential_helpers import seat_committee
from flask import Flask
from server_helpers import Api, Person, live_http
from sqlalchemy import select
from vote_helpers import Guardians

from evote.eligibility.committee import slot_roll
from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.votes import StoredBallot

pytestmark = needs_chromium


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "LIVE_TURNOUT_INTERVAL": 0, "LIVE_HEARTBEAT": 2.0,
            "SESSION_COOKIE_SECURE": False}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    with live_http(app) as server:
        yield server.url("127.0.0.1")


def test_voting_code_cases_in_chromium(
    app: Flask, live_server: str, person: Callable[..., Person],
    logged_in: Callable[..., Api], tmp_path: Path,
) -> None:
    guardians = Guardians(3, 2, label="browser-credential")
    presidium = person(Role.PRESIDIUM, voting_right=False)
    assert logged_in(Role.PRESIDIUM).put(
        "/api/election-key", guardians.ceremony_json()).status_code == 200
    delegates = {name: person(Role.DELEGATE, name=f"Delegierte {name}", checked_in=True)
                 for name in ("typo", "replaced", "late")}
    admin = logged_in(Role.ADMIN)
    committee, roll = seat_committee(admin, slots=3)
    old_code = committee.code(delegates["replaced"].id)
    new_code = committee.replace(admin, roll, delegates["replaced"].id, from_slot=1)
    config = {
        "base": live_server,
        "presidium": {"login": presidium.login_name, "password": presidium.password},
        "delegates": {
            name: {"login": p.login_name, "password": p.password, "code": committee.code(p.id),
                   **({"oldCode": old_code} if name == "replaced" else {})}
            for name, p in delegates.items()
        },
    }
    assert new_code == config["delegates"]["replaced"]["code"]
    assert NODE is not None
    log = tmp_path / "browser.log"
    with log.open("w") as stderr:
        run = subprocess.run(
            [NODE, str(REPO / "web" / "e2e" / "credential_cases.mjs")],
            env={**os.environ, "EVOTE_E2E": json.dumps(config), "EVOTE_CHROMIUM": CHROMIUM},
            stdout=subprocess.PIPE, stderr=stderr, text=True,
            timeout=int(os.environ.get("EVOTE_E2E_TIMEOUT", "300")),
        )
    assert run.returncode == 0, run.stdout[-3000:] + log.read_text()[-5000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["csp"] == [] and seen["untranslated"] == [], seen
    serious = [v for v in seen["axe"] if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious

    typo = seen["cases"]["typo"]
    assert typo["requests"] == [], "a typo is told before anything is fetched or sent"
    assert "Tippfehler" in typo["error"] and typo["focused"] == "credential-code"
    assert "ersetzt" in seen["cases"]["replaced"]["error"]
    late = seen["cases"]["late"]
    assert "Für diese Abstimmung brauchst Du Deinen Zugangscode" in late["error"]
    assert late["requests"] == [] and late["dialogOpen"] is False
    assert late["focused"] == "credential-code"

    # three ballots, each signed by a distinct key on the vote's roll (the replaced letter's new one)
    with app.app_context():
        db = get_session()
        keys = db.scalars(select(StoredBallot.credential_key)
                          .where(StoredBallot.vote_id == seen["voteId"])).all()
        eligible, revoked = slot_roll(db, presidium.event_id, 1)
    assert len(keys) == 3 and len(set(keys)) == 3 and set(keys) <= set(eligible)
    assert len(revoked) == 1 and revoked[0] not in keys
    # scanned before logging in: through the login page to the delegate page, code accepted and
    # taken out of the address
    assert seen["cases"]["qrBeforeLogin"]["url"].endswith("/vote"), seen["cases"]["qrBeforeLogin"]
