"""Cheating guardians and a cheating server, caught: every refusal names who is at fault.

A 2-of-3 ceremony over real HTTP in which guardian 1 sends guardian 2 a forged backup: guardian
2's client challenges it, guardian 1's forged answer is refused naming guardian 1, its true
answer resolves the dispute, and only then is the joint key published.  Guardian 1 is then
absent at decryption: guardian 2 stands in for it with the point revealed in the challenge.
Forged keys, out-of-order steps, someone else's backups, a forged compensated share and a
server that hides a ballot from the guardians are refused too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from guardian_helpers import compare_fingerprints, hold_vote, run_ceremony, seat_guardians
from server_helpers import Api, Person
from vote_helpers import rewrap

from evote.crypto.backup import PartialKeyChallenge, make_backup
from evote.crypto.ceremony import GuardianPublicKey, GuardianSecret
from evote.crypto.compensation import compute_compensated_share
from evote.crypto.group import ElementModQ, g_pow_p
from evote.rules.roles import Role
from evote.store.clock import ManualClock
from evote_guardian.connection import Connection, ServerError
from evote_guardian.decryption import TallyMismatch, checked_tally, checked_vote, decrypt
from evote_guardian.local_state import GuardianState
from evote_guardian.state_file import load as load_state


def refusal(conn: Connection, path: str, body: Any) -> ServerError:
    with pytest.raises(ServerError) as caught:
        conn.post(path, body)
    return caught.value


def state_of(laptop: Any) -> GuardianState:
    return GuardianState.from_json(
        load_state(laptop.state_dir / "guardian.state", laptop.passphrase)
    )


def test_forged_backup_is_challenged_and_its_sender_named(
    live_server: str, laptops: Callable[[int], list[Any]], person: Callable[..., Person],
    new_api: Callable[[], Api], clock: ManualClock,
) -> None:
    three = laptops(3)
    presidium, _ = seat_guardians(person, new_api, three, live_server, quorum=2)
    g1, g2, g3 = (Connection.resume(lap.state_dir) for lap in three)

    # Only guardians take part; a delegate is refused by the permission matrix.
    delegate = new_api()
    delegate.login(person(Role.DELEGATE))
    assert delegate.post("/api/ceremony/public-key", {}).status_code == 403

    # Guardian 1 posts first; a record with a broken proof or for another seat is refused.
    three[0].run("ceremony")
    record = state_of(three[0]).record()
    broken = record.to_json()
    broken["election_proofs"][1]["response"] = ElementModQ(5).to_hex()
    other = GuardianSecret.generate("guardian-2", 2, 2, b"x" * 32).public_key().to_json()
    second_key = GuardianSecret.generate("guardian-1", 1, 2, b"y" * 32).public_key().to_json()
    err = refusal(g2, "/api/ceremony/public-key", {**broken, "guardian_id": "guardian-2"})
    assert err.status == 422 and "guardian-2" in err.message
    err = refusal(g1, "/api/ceremony/public-key", other)
    assert (err.status, err.code) == (422, "wrong_seat")
    err = refusal(g1, "/api/ceremony/backups", {"backups": []})
    assert err.code == "wrong_ceremony_step"
    err = refusal(g1, "/api/ceremony/public-key", second_key)
    assert err.code == "key_already_posted"

    three[1].run("ceremony")
    three[2].run("ceremony")  # the last key
    compare_fingerprints(three)  # guardian 3 confirms last and sends its backups at once
    records = {r["guardian_id"]: GuardianPublicKey.from_json(r)
               for r in g1.get("/api/ceremony/me")["public_keys"]}  # fmt: skip

    # Envelope forgeries are refused at the door, naming the sender.
    impostor = GuardianSecret.generate("guardian-1", 1, 2, b"forged polynomial seed, 32 bytes")
    forged = make_backup(impostor, records["guardian-2"], ElementModQ(99)).to_json()
    err = refusal(g1, "/api/ceremony/backups",
                  {"backups": [{**forged, "designated_sequence_order": 3}]})  # fmt: skip
    assert err.status == 422 and "guardian guardian-1" in err.message
    err = refusal(g3, "/api/ceremony/backups", {"backups": [forged]})
    assert err.status == 422 and "guardian guardian-3" in err.message

    # A backup off guardian 1's polynomial: the server cannot tell, guardian 2 can.
    g1.post("/api/ceremony/backups", {"backups": [forged]})
    three[0].run("ceremony")  # sends its (honest) backup to guardian 3
    out = three[1].run("ceremony").output
    assert "CHALLENGED guardian guardian-1" in out
    view = presidium.get("/api/presidium/guardians").get_json()["ceremony"]
    by_id = {g["guardian_id"]: g for g in view["guardians"]}
    assert by_id["guardian-2"]["challenges_raised"] == ["guardian-1"]
    assert by_id["guardian-1"]["answers_owed"] == ["guardian-2"]
    assert presidium.get("/api/election-key").status_code == 409

    # A wrong answer is refused naming guardian 1; nobody else may answer for it.
    secret1 = state_of(three[0]).secret
    true_point = secret1.polynomial.value_at(2)
    wrong = PartialKeyChallenge("guardian-1", "guardian-2", 2, ElementModQ(true_point.value + 1))
    err = refusal(g1, "/api/ceremony/challenge-answers", wrong.to_json(records["guardian-1"]))
    assert (err.status, err.code) == (422, "invalid_backup") and "guardian-1" in err.message
    err = refusal(g3, "/api/ceremony/challenge-answers", wrong.to_json(records["guardian-1"]))
    assert err.status == 403
    assert presidium.get("/api/ceremony").get_json()["challenge_answers"] == []

    # Guardian 1's client answers truthfully; then everyone finishes and the key is out.
    out = three[0].run("ceremony").output
    assert "answered guardian guardian-2's challenge" in out
    run_ceremony(three)
    view = presidium.get("/api/ceremony").get_json()
    assert view["state"] == "complete"
    statuses = {(b["owner_id"], b["designated_id"]): b["status"] for b in view["backups"]}
    assert statuses[("guardian-1", "guardian-2")] == "resolved"
    assert state_of(three[1]).received["guardian-1"] == true_point

    # Decryption with guardian 1 absent: guardian 2 stands in for it with the answered point.
    delegates = []
    for _ in range(2):
        d = new_api()
        d.login(person(Role.DELEGATE, checked_in=True))
        delegates.append(d)
    vote_id = hold_vote(presidium, delegates, ["no", "abstain"], clock)["id"]

    # A server that hides a ballot from the guardians gets no share.
    hiding = Connection.resume(three[2].state_dir)
    real_get = hiding.get

    def without_a_ballot(path: str) -> Any:
        body = real_get(path)
        if path.endswith("/published-ballots"):
            body = {**body, "ballots": body["ballots"][1:]}
        return body

    hiding.get = without_a_ballot  # type: ignore[method-assign]
    with pytest.raises(TallyMismatch, match="not the sum"):
        checked_tally(hiding, state_of(three[2]), vote_id)

    # Nor does a server that asks the guardians to decrypt one cast ballot on its own.
    honest = Connection.resume(three[2].state_dir)
    cast_id = honest.get(f"/api/votes/{vote_id}/published-ballots")["ballots"][0]["object_id"]
    checked = checked_vote(honest, state_of(three[2]), vote_id)
    with pytest.raises(TallyMismatch, match="neither the tally nor a published spoiled"):
        checked.objects([checked.tally.object_id, cast_id])

    # Nor one that publishes a cast ballot re-wrapped (new id, hashes and code; the proofs
    # still hold) as a spoiled ballot and asks for it: its decryption would be that vote.
    copying = Connection.resume(three[2].state_dir)
    real_copying_get = copying.get

    def with_a_copy(path: str) -> Any:
        body = real_copying_get(path)
        if path.endswith("/published-ballots"):
            copied = {**rewrap(body["ballots"][0], "b-copied"), "state": 2}
            body = {**body, "ballots": [*body["ballots"], copied]}
        if path.endswith("/decryption"):
            body = {**body, "objects": [*body["objects"], "b-copied"]}
        return body

    copying.get = with_a_copy  # type: ignore[method-assign]
    checked = checked_vote(copying, state_of(three[2]), vote_id)
    assert checked.copies == {"b-copied": cast_id}
    refusal_text = f"spoiled ballot 'b-copied' shares a ciphertext with cast ballot '{cast_id}'"
    with pytest.raises(TallyMismatch, match=refusal_text):
        decrypt(copying, state_of(three[2]), vote_id)
    status = honest.get(f"/api/votes/{vote_id}/decryption")
    assert status["direct_shares"] == []  # nothing was sent, not even the tally's share

    three[1].run("decrypt", str(vote_id))

    # A forged compensated share for guardian 1 is refused naming its sender.
    err = _forged_compensation(three[2], g3, vote_id)
    assert err.status == 422 and "guardian-3" in err.message
    three[2].run("decrypt", str(vote_id))
    assert presidium.get(f"/api/votes/{vote_id}/result").status_code == 409
    three[1].run("decrypt", str(vote_id))
    out = three[2].run("decrypt", str(vote_id)).output
    assert "decrypted" in out, out
    result = presidium.get(f"/api/votes/{vote_id}/result").get_json()
    assert result["totals"] == {"motion": {"yes": 0, "no": 1, "abstain": 1}}


def _forged_compensation(laptop: Any, conn: Connection, vote_id: int) -> ServerError:
    state = state_of(laptop)
    tally, context = checked_tally(conn, state, vote_id)
    share = compute_compensated_share(
        state.secret, state.record(), state.public_keys["guardian-1"],
        state.received["guardian-1"], tally.object_id, tally.ciphertexts(),
        context.crypto_extended_base_hash, ElementModQ(4242),
    ).to_json()
    selection = next(iter(next(iter(share["contests"].values())).values()))
    selection["share"] = g_pow_p(ElementModQ(11)).to_hex()
    return refusal(conn, f"/api/votes/{vote_id}/decryption-shares", json.loads(json.dumps(share)))
