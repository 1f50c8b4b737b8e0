"""Another ElectionGuard implementation can vote by following docs/api.md alone.

The worked example there, docs/examples/electionguard_client.py, runs Microsoft's
electionguard 1.4.0 (the .oracle venv, Python 3.10) and shares no code with evote; these tests
run it as a stranger would, offline and against a live server.  The pitfalls a new client meets
(electionguard's own timestamp, code seeds chained by `EncryptionMediator`, a SubmittedBallot
whose state says SPOILED) are checked without the package too, so they run on every clone.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from server_helpers import live_http
from test_openapi_schemas import SCHEMAS, problems
from vote_helpers import Stage, counts, encrypt_for_vote

from evote.crypto.ballot import BallotBoxState, CiphertextBallot, SubmittedBallot, ballot_code
from evote.crypto.group import ElementModQ

ROOT = Path(__file__).resolve().parents[3]
ORACLE = ROOT / ".oracle" / "bin" / "python"
EXAMPLE = ROOT / "docs" / "examples" / "electionguard_client.py"
needs_oracle = pytest.mark.skipif(
    not ORACLE.exists(), reason=f"no electionguard 1.4.0 venv at {ORACLE.parent.parent}"
)


@pytest.fixture
def open_vote(stage: Stage) -> dict[str, Any]:
    vote = stage.open(stage.create(kind="election", title="Vorstand",
                                   candidates=["Ada", "Bert", "Cem"], seats=2)["id"])
    return stage.vote_for(stage.delegates[0], vote["id"])


def run_example(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ORACLE), str(EXAMPLE), *args], input=stdin, capture_output=True, text=True,
        timeout=300, check=False,
    )


def example_ballot(vote: dict[str, Any], *choices: str, challenge: bool = False) -> Any:
    flags = ["--offline", *(["--challenge"] if challenge else [])]
    done = run_example(*flags, *choices, stdin=json.dumps(vote))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.oracle
@needs_oracle
def test_electionguard_package_ballot_is_cast_and_challenged(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    vote_id = open_vote["id"]
    ballot = example_ballot(open_vote, "election=candidate-1,candidate-3")
    assert ballot["state"] == 1 and ballot["timestamp"] == open_vote["ballot_timestamp"]
    assert problems(ballot, SCHEMAS["SubmittedBallot"]) == []  # the OpenAPI schema fits it
    resp = stage.delegates[0].post(f"/api/votes/{vote_id}/ballots", ballot)
    assert resp.status_code == 201, resp.get_json()
    receipt = resp.get_json()
    assert (receipt["vote_id"], receipt["tracking_code"], receipt["state"]) == (
        vote_id, ballot["code"], "cast"
    )
    assert receipt["ballot_hash"] == ballot["crypto_hash"]  # signed: test_receipts.py
    assert problems(receipt, SCHEMAS["Receipt"]) == []

    challenged = example_ballot(open_vote, "election=candidate-2", challenge=True)
    assert challenged["state"] == 2
    # what the client met: its SPOILED ballot posted to the cast endpoint is refused, not cast
    wrong = stage.delegates[1].post(f"/api/votes/{vote_id}/ballots", challenged)
    assert wrong.status_code == 422 and wrong.get_json()["error"] == "wrong_ballot_state"
    right = stage.delegates[1].post(f"/api/votes/{vote_id}/spoiled-ballots", challenged)
    assert right.status_code == 201 and right.get_json()["state"] == "spoiled"
    assert counts(app, vote_id) == (1, 2, 1)


@pytest.mark.oracle
@needs_oracle
def test_the_worked_example_end_to_end_over_http(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    """docs/examples/electionguard_client.py as documented: log in, fetch, encrypt, cast."""
    app.config["SESSION_COOKIE_SECURE"] = False  # plain http on 127.0.0.1
    who = stage.delegates[2].person
    assert who is not None
    with live_http(app) as server:
        done = run_example(server.url("127.0.0.1"), who.login_name, who.password,
                           str(open_vote["id"]), "election=candidate-2")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    receipt = json.loads(done.stdout.strip().splitlines()[-1])
    assert receipt["vote_id"] == open_vote["id"] and receipt["state"] == "cast"
    assert counts(app, open_vote["id"]) == (1, 1, 1)


def _restamped(ballot: dict[str, Any], *, timestamp: int | None = None,
               code_seed: str | None = None) -> dict[str, Any]:
    """The ballot with another timestamp or code seed and a consistent tracking code, as an
    honest but misinformed client would build it."""
    parsed = CiphertextBallot.from_json(ballot)
    seed = ElementModQ.from_hex(code_seed) if code_seed else parsed.code_seed
    stamp = parsed.timestamp if timestamp is None else timestamp
    moved = replace(parsed, code_seed=seed, timestamp=stamp,
                    code=ballot_code(seed, stamp, parsed.crypto_hash))
    out: dict[str, Any] = moved.to_json()
    out.pop("state", None)
    return out


def test_electionguards_own_timestamp_is_refused_with_directions(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    ballot = _restamped(encrypt_for_vote(open_vote, {"election": ["candidate-1"]}, "eg-time"),
                        timestamp=open_vote["ballot_timestamp"] + 37)
    resp = stage.delegates[0].post(f"/api/votes/{open_vote['id']}/ballots", ballot)
    assert resp.status_code == 422 and resp.get_json()["error"] == "invalid_ballot"
    message = resp.get_json()["message"]
    assert str(open_vote["ballot_timestamp"]) in message
    assert f"GET /api/votes/{open_vote['id']}" in message
    assert counts(app, open_vote["id"]) == (0, 0, 0)


def test_chained_code_seeds_are_refused_with_directions(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    """EncryptionMediator seeds each ballot with the previous ballot's code; evote does not."""
    url = f"/api/votes/{open_vote['id']}/ballots"
    first = encrypt_for_vote(open_vote, {"election": ["candidate-1"]}, "eg-chain-1")
    assert stage.delegates[0].post(url, first).status_code == 201
    second = _restamped(encrypt_for_vote(open_vote, {"election": ["candidate-2"]}, "eg-chain-2"),
                        code_seed=first["code"])
    resp = stage.delegates[1].post(url, second)
    assert resp.status_code == 422 and resp.get_json()["error"] == "invalid_ballot"
    message = resp.get_json()["message"]
    assert "encryption_device" in message and "EncryptionMediator" in message
    assert counts(app, open_vote["id"]) == (1, 1, 1)


def test_a_submitted_ballot_with_state_spoiled_is_not_cast(
    stage: Stage, open_vote: dict[str, Any], app: Flask
) -> None:
    ballot = encrypt_for_vote(open_vote, {"election": ["candidate-3"]}, "eg-state")
    spoiled = SubmittedBallot.from_json(ballot).submit(BallotBoxState.SPOILED).to_json()
    resp = stage.delegates[0].post(f"/api/votes/{open_vote['id']}/ballots", spoiled)
    assert resp.status_code == 422 and resp.get_json()["error"] == "wrong_ballot_state"
    assert counts(app, open_vote["id"]) == (0, 0, 0)
