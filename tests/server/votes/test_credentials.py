"""Eligibility by voting credentials: only ballots signed with a committee-issued code count.

The two attacks of the issue are reproduced first: a support member who reissues a delegate's
password and votes in their name, and an admin who makes a delegate (or gives themself a vote)
and votes with it.  Both log in and pass the roll and permission checks, as before; the ballot
is refused because neither holds a voting code, and nothing is stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from credential_helpers import ITERATIONS, SeatedCommittee, seat_committee, sign
from flask import Flask
from server_helpers import Api
from sqlalchemy import func, select
from vote_helpers import Stage, counts, encrypt_for_vote

from evote.rules.roles import Role
from evote.store.db import get_session
from evote.store.models.eligibility import CredentialBatch, CredentialKey, CredentialStatement
from evote.store.models.votes import StoredBallot
from evote.voting.lifecycle import sweep_once
from evote_credentials.committee import Committee
from evote_credentials.derivation import master_secret, public_key
from evote_credentials.roll import Delegate, DelegateRoll

MOTION = {"motion": ["yes"]}


@pytest.fixture
def admin(logged_in: Any) -> Api:
    return logged_in(Role.ADMIN)


@pytest.fixture
def seated(stage: Stage, admin: Api) -> tuple[SeatedCommittee, DelegateRoll]:
    return seat_committee(admin)


def _open(stage: Stage, delegate: Api, **spec: Any) -> dict[str, Any]:
    vote = stage.open(stage.create(**spec)["id"])
    return stage.vote_for(delegate, vote["id"])


def _cast(who: Api, vote: dict[str, Any], ballot: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return who.post(f"/api/votes/{vote['id']}/ballots", ballot, headers=headers or {})


def _signed_cast(seated: SeatedCommittee, who: Api, vote: dict[str, Any], label: str,
                 code: str | None = None) -> Any:
    assert who.person is not None
    ballot = encrypt_for_vote(vote, MOTION, label)
    headers = sign(code or seated.code(who.person.id), vote, ballot, seated.committee.salt)
    return _cast(who, vote, ballot, headers)


def test_a_delegate_with_the_code_casts_and_the_key_is_kept_with_the_ballot(
    app: Flask, stage: Stage, seated: tuple[SeatedCommittee, DelegateRoll]
) -> None:
    committee, _ = seated
    delegate = stage.delegates[0]
    vote = _open(stage, delegate)
    assert vote["credential_slot"] == 1
    resp = _signed_cast(committee, delegate, vote, "ok")
    assert resp.status_code == 201, resp.get_json()
    assert counts(app, vote["id"]) == (1, 1, 1)
    with app.app_context():
        stored = get_session().scalars(select(StoredBallot)).one()
    assert delegate.person is not None
    master = master_secret(committee.code(delegate.person.id), committee.committee.salt, ITERATIONS)
    assert stored.credential_key == public_key(master, 1)
    assert stored.credential_signature and len(stored.credential_signature) == 128


def test_attack_support_reissues_a_password_and_votes_in_the_delegates_name(
    app: Flask, stage: Stage, seated: tuple[SeatedCommittee, DelegateRoll], logged_in: Any,
    new_api: Any,
) -> None:
    victim = stage.delegates[1]
    assert victim.person is not None
    support = logged_in(Role.SUPPORT)
    reissued = support.post(f"/api/support/participants/{victim.person.id}/credentials")
    assert reissued.status_code == 200
    attacker = new_api()
    login = attacker.post("/api/auth/login", {"login": reissued.get_json()["login_name"],
                                              "password": reissued.get_json()["password"]})
    assert login.status_code == 200  # the takeover itself still works: login is the server's
    attacker.csrf = login.get_json()["csrf_token"]
    vote = _open(stage, attacker)
    ballot = encrypt_for_vote(vote, MOTION, "support-attack")
    refused = _cast(attacker, vote, ballot)
    assert refused.status_code == 422 and refused.get_json()["error"] == "bad_credential_signature"
    # a key of the attacker's own making is on no roll
    forged = Committee.create("x", "x", "", iterations=ITERATIONS, slots=1)
    fake_code_headers = sign("22222-22222-22222-22222", vote, ballot, forged.salt)
    refused = _cast(attacker, vote, ballot, fake_code_headers)
    assert refused.status_code == 422 and refused.get_json()["error"] == "credential_not_on_roll"
    assert counts(app, vote["id"]) == (0, 0, 0)


@pytest.mark.parametrize("who", ["new delegate", "the admin themself"])
def test_attack_admin_makes_a_delegate_with_a_vote_and_votes(
    app: Flask, stage: Stage, seated: tuple[SeatedCommittee, DelegateRoll], admin: Api,
    new_api: Any, who: str, logged_in: Callable[..., Api],
) -> None:
    if who == "new delegate":
        made = admin.post("/api/admin/participants", {
            "name": "Strohmann", "email": "stroh@example.org", "roles": ["delegate"],
            "voting_right": True,
        })
        assert made.status_code == 201, made.get_json()
        pid = made.get_json()["id"]
        password = admin.post(f"/api/support/participants/{pid}/credentials").get_json()
        voter = new_api()
        login = voter.post("/api/auth/login", {"login": password["login_name"],
                                               "password": password["password"]})
        assert login.status_code == 200
        voter.csrf = login.get_json()["csrf_token"]
    else:
        assert admin.person is not None
        pid = admin.person.id
        # an admin cannot change their own roles (403 own_roles), so a second admin colludes
        own = admin.patch(f"/api/admin/participants/{pid}",
                          {"roles": ["admin", "delegate"], "voting_right": True})
        assert own.status_code == 403 and own.get_json()["error"] == "own_roles"
        accomplice = logged_in(Role.ADMIN)
        changed = accomplice.patch(f"/api/admin/participants/{pid}",
                                   {"roles": ["admin", "delegate"], "voting_right": True})
        assert changed.status_code == 200, changed.get_json()
        voter = admin
    assert voter.post("/api/checkin").status_code == 200
    vote = _open(stage, voter)
    ballot = encrypt_for_vote(vote, MOTION, f"admin-attack-{who}")
    refused = _cast(voter, vote, ballot)
    assert refused.status_code == 422 and refused.get_json()["error"] == "bad_credential_signature"
    assert counts(app, vote["id"]) == (0, 0, 0)
    # the admin may re-export the roll, but the committee's upload is signed: no way in
    status = voter.get("/api/committee").get_json() if who != "new delegate" else admin.get("/api/committee").get_json()
    assert status["credentialed_delegates"] == 3 and status["voting_delegates"] == 4


def test_one_ballot_per_code_even_from_another_account(
    app: Flask, stage: Stage, seated: tuple[SeatedCommittee, DelegateRoll]
) -> None:
    committee, _ = seated
    a, b = stage.delegates[0], stage.delegates[1]
    assert a.person is not None
    vote = _open(stage, a)
    assert _signed_cast(committee, a, vote, "first").status_code == 201
    # delegate b got hold of a's letter: b's account has not voted, but a's code has
    second = _signed_cast(committee, b, vote, "second", code=committee.code(a.person.id))
    assert second.status_code == 409 and second.get_json()["error"] == "credential_used"
    assert counts(app, vote["id"]) == (1, 1, 1)


def test_a_signature_over_another_ballot_is_refused(
    app: Flask, stage: Stage, seated: tuple[SeatedCommittee, DelegateRoll]
) -> None:
    committee, _ = seated
    delegate = stage.delegates[0]
    assert delegate.person is not None
    vote = _open(stage, delegate)
    signed_for = encrypt_for_vote(vote, MOTION, "signed")
    sent = encrypt_for_vote(vote, {"motion": ["no"]}, "sent")
    headers = sign(committee.code(delegate.person.id), vote, signed_for, committee.committee.salt)
    resp = _cast(delegate, vote, sent, headers)
    assert resp.status_code == 422 and resp.get_json()["error"] == "bad_credential_signature"
    # the key of another slot (the check slot) is not on this vote's roll
    slot0 = sign(committee.code(delegate.person.id), vote, sent, committee.committee.salt, slot=0)
    resp = _cast(delegate, vote, sent, slot0)
    assert resp.status_code == 422 and resp.get_json()["error"] == "credential_not_on_roll"
    malformed = _cast(delegate, vote, sent, {"Evote-Credential-Key": "zz", "Evote-Credential-Signature": "00"})
    assert malformed.status_code == 422 and malformed.get_json()["error"] == "bad_credential_signature"
    assert counts(app, vote["id"]) == (0, 0, 0)


def test_challenges_need_no_signature_and_are_not_tied_to_a_key(
    app: Flask, stage: Stage, seated: tuple[SeatedCommittee, DelegateRoll]
) -> None:
    delegate = stage.delegates[0]
    vote = _open(stage, delegate)
    ballot = encrypt_for_vote(vote, MOTION, "challenge")
    resp = delegate.post(f"/api/votes/{vote['id']}/spoiled-ballots", ballot)
    assert resp.status_code == 201, resp.get_json()
    with app.app_context():
        assert get_session().scalars(select(StoredBallot.credential_key)).one() is None


def test_a_revoked_code_cannot_cast_and_its_replacement_can(
    app: Flask, stage: Stage, seated: tuple[SeatedCommittee, DelegateRoll], admin: Api
) -> None:
    committee, roll = seated
    delegate = stage.delegates[2]
    assert delegate.person is not None
    first = _open(stage, delegate)
    assert first["credential_slot"] == 1
    old_code = committee.code(delegate.person.id)
    # the letter is lost during vote 1; the committee replaces it from vote 2 on
    status = admin.get("/api/committee").get_json()
    assert status["next_slot"] == 2
    new_code = committee.replace(admin, roll, delegate.person.id, from_slot=status["next_slot"])
    # vote 1's roll was frozen at its opening: the old code still belongs to it
    assert _signed_cast(committee, delegate, first, "v1", code=old_code).status_code == 201
    second = _open_after_close(app, stage, delegate)
    assert second["credential_slot"] == 2
    refused = _signed_cast(committee, delegate, second, "v2-old", code=old_code)
    assert refused.status_code == 422 and refused.get_json()["error"] == "credential_revoked"
    accepted = _signed_cast(committee, delegate, second, "v2-new", code=new_code)
    assert accepted.status_code == 201, accepted.get_json()
    roll0 = delegate.get("/api/committee/slots/0").get_json()
    salt = committee.committee.salt
    assert public_key(master_secret(new_code, salt, ITERATIONS), 0) in roll0["eligible"]
    assert public_key(master_secret(old_code, salt, ITERATIONS), 0) in roll0["revoked"]


def _open_after_close(app: Flask, stage: Stage, delegate: Api) -> dict[str, Any]:
    """Let the open vote's countdown run out (the test clock), then open the next one."""
    clock = app.config["CLOCK"]
    clock.advance(61)
    sweep_once(app)
    return _open(stage, delegate)


def test_no_vote_opens_before_the_upload_nor_after_the_last_slot(
    app: Flask, stage: Stage, admin: Api
) -> None:
    committee = Committee.create("bpt", "x", "", iterations=ITERATIONS, slots=1)
    assert admin.put("/api/committee/key", {"public_key": committee.public_key}).status_code == 200
    refused = stage.presidium.post(f"/api/votes/{stage.create()['id']}/open")
    assert refused.status_code == 409 and refused.get_json()["error"] == "no_credentials"
    roll = DelegateRoll.from_json(admin.get("/api/committee/roll").get_json())
    upload, _ = committee.issue(roll)
    assert admin.post("/api/committee/batches", upload.to_json()).status_code == 201
    _open(stage, stage.delegates[0])
    app.config["CLOCK"].advance(61)
    sweep_once(app)
    refused = stage.presidium.post(f"/api/votes/{stage.create()['id']}/open")
    assert refused.status_code == 409 and refused.get_json()["error"] == "no_credential_slot"


def test_without_a_committee_key_nothing_changes(app: Flask, stage: Stage) -> None:
    vote = _open(stage, stage.delegates[0])
    assert vote["credential_slot"] is None
    ballot = encrypt_for_vote(vote, MOTION, "plain")
    assert _cast(stage.delegates[0], vote, ballot).status_code == 201


# ---- uploads: refused with the reason, nothing stored -----------------------------------

def _stored(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        db = get_session()
        return tuple(  # type: ignore[return-value]
            db.scalar(select(func.count()).select_from(t))
            for t in (CredentialBatch, CredentialStatement, CredentialKey)
        )


def _prepared(admin: Api, slots: int = 2) -> tuple[Committee, DelegateRoll]:
    roll = DelegateRoll.from_json(admin.get("/api/committee/roll").get_json())
    committee = Committee.create(roll.event, roll.event_name, "", iterations=ITERATIONS, slots=slots)
    assert admin.put("/api/committee/key", {"public_key": committee.public_key}).status_code == 200
    return committee, roll


def _refused(app: Flask, admin: Api, document: Any, status: int, error: str) -> None:
    resp = admin.post("/api/committee/batches", document)
    assert (resp.status_code, resp.get_json()["error"]) == (status, error), resp.get_json()
    assert "Nothing was stored" in resp.get_json()["message"] or error == "malformed_json"
    assert _stored(app) == (0, 0, 0)


def test_upload_not_signed_by_the_committee_key_is_refused(
    app: Flask, stage: Stage, admin: Api
) -> None:
    committee, roll = _prepared(admin)
    impostor = Committee.create(roll.event, roll.event_name, "", iterations=ITERATIONS, slots=2)
    upload, _ = impostor.issue(roll)
    _refused(app, admin, upload.to_json(), 422, "wrong_committee_key")
    # the impostor claims the committee's key, but cannot sign with it
    doc = upload.to_json()
    doc["committee_key"] = committee.public_key
    _refused(app, admin, doc, 422, "bad_committee_signature")
    # the committee's own upload, one statement altered after signing
    good, _ = committee.issue(roll)
    doc = good.to_json()
    added = doc["statements"][1]["document"]["added"]
    added[:] = sorted([*added[1:], doc["statements"][0]["document"]["added"][0]])
    _refused(app, admin, doc, 422, "bad_committee_signature")


def test_upload_for_an_unknown_participant_or_a_guest_is_refused(
    app: Flask, stage: Stage, admin: Api, person: Any
) -> None:
    committee, roll = _prepared(admin)
    stranger = DelegateRoll(roll.event, roll.event_name, "", (*roll.delegates, Delegate(9999, "Niemand")))
    upload, _ = Committee.from_state(committee.to_state()).issue(stranger)
    _refused(app, admin, upload.to_json(), 422, "unknown_participant")
    guest = person(Role.GUEST_DELEGATE)
    with_guest = DelegateRoll(roll.event, roll.event_name, "", (*roll.delegates, Delegate(guest.id, "Gast")))
    upload, _ = Committee.from_state(committee.to_state()).issue(with_guest)
    resp = admin.post("/api/committee/batches", upload.to_json())
    assert resp.get_json()["error"] == "not_a_voting_delegate" and "guest" in resp.get_json()["message"]
    no_vote = person(Role.DELEGATE, voting_right=False)
    without_right = DelegateRoll(roll.event, roll.event_name, "", (*roll.delegates, Delegate(no_vote.id, "Ohne")))
    upload, _ = Committee.from_state(committee.to_state()).issue(without_right)
    _refused(app, admin, upload.to_json(), 422, "not_a_voting_delegate")


def test_upload_with_a_duplicate_key_is_refused(app: Flask, stage: Stage, admin: Api) -> None:
    committee, roll = _prepared(admin)
    upload, _ = committee.issue(roll)
    doc = upload.to_json()
    # the same key in two slots, re-signed by the real committee: the format holds, the rule not
    statements = doc["statements"]
    statements[2]["document"]["added"][0] = statements[1]["document"]["added"][0]
    statements[2]["document"]["added"].sort()
    statements[2] = committee.sign(statements[2]["document"]).to_json()
    _refused(app, admin, doc, 422, "duplicate_key")
    # and a replacement adding a key already on a roll
    assert admin.post("/api/committee/batches", upload.to_json()).status_code == 201
    before = _stored(app)
    replacement, _ = committee.replace([roll.delegates[0]], from_slot=1)
    doc = replacement.to_json()
    revoked = doc["statements"][0]["document"]["revoked"]
    taken = next(k for k in statements[0]["document"]["added"] if k not in revoked)
    doc["statements"][0]["document"]["added"] = [taken]
    doc["statements"][0] = committee.sign(doc["statements"][0]["document"]).to_json()
    resp = admin.post("/api/committee/batches", doc)
    assert resp.get_json()["error"] == "duplicate_key"
    assert _stored(app) == before


def test_other_bad_uploads(app: Flask, stage: Stage, admin: Api) -> None:
    committee, roll = _prepared(admin)
    upload, _ = committee.issue(roll)
    _refused(app, admin, {"type": "evote/credential-upload"}, 400, "malformed_upload")
    doc = upload.to_json()
    doc["batch"]["document"]["event"] = "other"
    doc["batch"] = committee.sign(doc["batch"]["document"]).to_json()
    _refused(app, admin, doc, 422, "wrong_event")
    assert admin.post("/api/committee/batches", upload.to_json()).status_code == 201
    again = admin.post("/api/committee/batches", upload.to_json())
    assert again.get_json()["error"] == "wrong_batch"
    locked = admin.put("/api/committee/key", {"public_key": "ab" * 32})
    assert locked.status_code == 409 and locked.get_json()["error"] == "committee_key_locked"


def test_a_replacement_cannot_name_keys_of_an_opened_vote(
    app: Flask, stage: Stage, seated: tuple[SeatedCommittee, DelegateRoll], admin: Api
) -> None:
    committee, roll = seated
    _open(stage, stage.delegates[0])  # slot 1 is taken
    upload, _ = committee.committee.replace([roll.delegates[0]], from_slot=1)
    resp = admin.post("/api/committee/batches", upload.to_json())
    assert resp.status_code == 409 and resp.get_json()["error"] == "slot_already_used"
    assert "--from-vote 2" in resp.get_json()["message"]


def test_support_and_delegates_cannot_touch_the_committee(
    stage: Stage, logged_in: Any, admin: Api
) -> None:
    committee, roll = _prepared(admin)
    upload, _ = committee.issue(roll)
    for who in (logged_in(Role.SUPPORT), stage.delegates[0], stage.presidium):
        assert who.post("/api/committee/batches", upload.to_json()).status_code == 403
        assert who.put("/api/committee/key", {"public_key": None}).status_code == 403
        assert who.get("/api/committee/roll").status_code == 403
    assert stage.delegates[0].get("/api/committee").status_code == 200


def test_cli_export_set_key_upload(app: Flask, stage: Stage, cli: Any, tmp_path: Any) -> None:
    out = tmp_path / "roll.json"
    assert cli("committee", "export-roll", "bpt", str(out)).exit_code == 0
    roll = DelegateRoll.read(out)
    assert len(roll.delegates) == 3
    committee = Committee.create(roll.event, roll.event_name, "", iterations=ITERATIONS, slots=2)
    assert cli("committee", "set-key", "bpt", committee.public_key).exit_code == 0
    upload, _ = committee.issue(roll)
    path = tmp_path / "upload.json"
    path.write_text(json.dumps(upload.to_json()))
    done = cli("committee", "upload", "bpt", str(path))
    assert done.exit_code == 0 and "stored batch 0" in done.output
    assert _stored(app) == (1, 3, 9)
