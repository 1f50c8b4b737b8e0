"""A vote of an event with a credentials committee: its record carries the roll and the
signatures (`evote/credentials.json`), `evote-verify` checks them (V23), and electionguard
1.4.0 still loads the record (the file is one of evote's own extras).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from credential_helpers import SeatedCommittee, seat_committee, sign
from flask import Flask
from server_helpers import Api, oracle_accepts, verify_record
from test_dropped_ballot import decrypt
from vote_helpers import Stage, encrypt_for_vote

from evote.record.credentials import CredentialsInfo, Statement
from evote.rules.roles import Role
from evote.store.clock import ManualClock
from evote_credentials.roll import DelegateRoll


@pytest.fixture
def seated(stage: Stage, logged_in: Any) -> tuple[SeatedCommittee, DelegateRoll]:
    admin: Api = logged_in(Role.ADMIN)
    return seat_committee(admin)


def test_the_record_carries_the_roll_and_every_cast_ballots_signature(
    stage: Stage, clock: ManualClock, app: Flask, new_api: Any, tmp_path: Path,
    seated: tuple[SeatedCommittee, DelegateRoll],
) -> None:
    committee, roll = seated
    vote = stage.open(stage.create(title="Antrag C1")["id"])
    view = stage.vote_for(stage.delegates[0], vote["id"])
    challenged = encrypt_for_vote(view, {"motion": ["abstain"]}, "signed-challenge")
    resp = stage.delegates[0].post(f"/api/votes/{vote['id']}/spoiled-ballots", challenged)
    assert resp.status_code == 201, resp.get_json()
    signers = {}
    for i, choice in enumerate(("no", "yes", "yes")):
        delegate = stage.delegates[i]
        assert delegate.person is not None
        ballot = encrypt_for_vote(view, {"motion": [choice]}, f"signed-{i}")
        headers = sign(committee.code(delegate.person.id), view, ballot, committee.committee.salt)
        resp = delegate.post(f"/api/votes/{vote['id']}/ballots", ballot, headers=headers)
        assert resp.status_code == 201, resp.get_json()
        signers[ballot["object_id"]] = headers["Evote-Credential-Key"]
    clock.advance(60)
    decrypt(stage, vote["id"])
    assert stage.presidium.post(f"/api/votes/{vote['id']}/announce").status_code == 200

    record = tmp_path / "record.zip"
    record.write_bytes(new_api().get(f"/api/votes/{vote['id']}/record.zip").data)
    with zipfile.ZipFile(record) as z:
        raw = z.read("evote/credentials.json")
        z.extractall(tmp_path / "tree")
    doc = json.loads(raw)
    info = CredentialsInfo.from_json(doc)
    assert info.vote_id == view["manifest"]["election_scope_id"]
    assert info.committee_key == committee.committee.public_key and info.slot == 1
    # the roll at the opening: one key per credentialed delegate, sorted, no names or ids
    assert doc["roll"] == sorted(doc["roll"]) and len(doc["roll"]) == len(roll.delegates)
    assert doc["revoked"] == []
    assert [Statement.from_json(s["document"]).batch for s in doc["statements"]] == [0]
    for delegate in roll.delegates:
        assert delegate.name not in raw.decode()
    assert "participant" not in raw.decode()
    # one entry per cast ballot, none for the challenged one
    assert {b["ballot_id"]: b["public_key"] for b in doc["ballots"]} == signers

    report = verify_record(record)
    checks = {c["id"]: c for c in report["checks"]}
    assert checks["V23"]["status"] == "ok"
    assert report["credentials"]["roll_size"] == len(roll.delegates)
    oracle_accepts(tmp_path / "tree")
