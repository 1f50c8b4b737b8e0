"""A server that shows one guardian a substituted key of another is caught by the fingerprint.

The attack (issue "split-view key ceremony"): the server shows guardian 1 a record for guardian
2 whose secret the server made itself.  Guardian 1's backup for guardian 2 would be encrypted
to that key and open for the server; with such backups from enough guardians the server learns
every secret.  Here the server's split view is played by wrapping guardian 1's real client
connection; the server's database stays honest.  The test shows that the attack works on the
backup itself, that guardian 1's fingerprint differs from everyone else's, that guardian 1's
client sends nothing once its guardian types what the others read out, that a careless
confirmation of the wrong fingerprint is refused, that nobody can confirm in another guardian's
name, and that no backup is taken and no key published until all n confirmations match.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from guardian_helpers import Laptop, fingerprint_in, run_ceremony, seat_guardians
from server_helpers import Api, Person

from evote.crypto.backup import make_backup, open_backup
from evote.crypto.ceremony import GuardianSecret
from evote.crypto.fingerprint import FingerprintConfirmation, ceremony_digest, display
from evote.crypto.group import ElementModQ
from evote_guardian.ceremony_steps import CeremonyProblem, advance
from evote_guardian.connection import Connection, ServerError
from evote_guardian.local_state import KDF_ENV, GuardianState, Vault
from evote_guardian.state_file import load as load_state

SERVERS_OWN = GuardianSecret.generate("guardian-2", 2, 2, b"the server's polynomial, 32 byte")


def state_of(laptop: Laptop) -> GuardianState:
    return GuardianState.from_json(
        load_state(laptop.state_dir / "guardian.state", laptop.passphrase)
    )


def split_view(laptop: Laptop) -> Connection:
    """Guardian 1's line to a server that shows it the server's own key as guardian 2's."""
    conn = Connection.resume(laptop.state_dir)
    real_get = conn.get

    def get(path: str) -> Any:
        body = real_get(path)
        if path == "/api/ceremony/me":
            fake = SERVERS_OWN.public_key().to_json()
            body = {**body, "public_keys": [
                fake if r["guardian_id"] == "guardian-2" else r for r in body["public_keys"]
            ]}  # fmt: skip
        return body

    conn.get = get  # type: ignore[method-assign]
    return conn


def refusal(conn: Connection, path: str, body: Any) -> ServerError:
    with pytest.raises(ServerError) as caught:
        conn.post(path, body)
    return caught.value


def test_split_view_is_caught_before_any_backup_leaves(
    live_server: str, laptops: Callable[[int], list[Laptop]], person: Callable[..., Person],
    new_api: Callable[[], Api], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(KDF_ENV, "min")
    three = laptops(3)
    presidium, _ = seat_guardians(person, new_api, three, live_server, quorum=2)
    g1, g2 = (Connection.resume(lap.state_dir) for lap in three[:2])
    vault1 = Vault(three[0].state_dir, lambda: three[0].passphrase)
    for laptop in three:
        laptop.run("ceremony")
    view = presidium.get("/api/ceremony").get_json()
    assert view["state"] == "confirming_fingerprint"
    honest = fingerprint_in(three[1].run("ceremony").output)
    assert honest == view["fingerprint"] == fingerprint_in(three[2].run("ceremony").output)

    # What the attack would win: a backup to the substituted key opens for the server.
    state1 = state_of(three[0])
    leaked = open_backup(
        make_backup(state1.secret, SERVERS_OWN.public_key(), ElementModQ.of(99)),
        SERVERS_OWN, state1.record(),
    )
    assert leaked == state1.secret.polynomial.value_at(2)

    # Guardian 1's laptop, shown the split view, computes another fingerprint ...
    shown: list[str] = []

    def not_yet(ours: str) -> None:
        shown.append(ours)  # the guardian has not heard the others yet

    report = advance(split_view(three[0]), vault1, not_yet)
    assert shown and shown[0] != honest and report.fingerprint == shown[0]
    assert not report.fingerprint_confirmed and "your comparison" in report.waiting[0]
    # ... and once its guardian types what the others read out, it stops and sends nothing.
    with pytest.raises(CeremonyProblem, match="do not see the same public keys"):
        advance(split_view(three[0]), vault1, lambda ours: honest)
    assert state_of(three[0]).confirmed_fingerprint is None

    # Guardians 2 and 3 confirm; without guardian 1 nothing moves: no backups, no key.
    three[1].run("ceremony", "--fingerprint", honest)
    three[2].run("ceremony", "--fingerprint", honest)
    view = presidium.get("/api/ceremony").get_json()
    assert view["state"] == "confirming_fingerprint" and view["backups"] == []
    confirmed = {g["guardian_id"]: g["fingerprint_confirmed"] for g in view["guardians"]}
    assert confirmed == {"guardian-1": False, "guardian-2": True, "guardian-3": True}
    assert refusal(g2, "/api/ceremony/backups", {"backups": []}).code == "wrong_ceremony_step"
    assert presidium.get("/api/election-key").status_code == 409

    # Nobody confirms in guardian 1's name: not another guardian, not a key the server chose,
    # not guardian 1's signature moved onto another fingerprint.
    digest = bytes.fromhex(view["fingerprint_digest"])
    by_2 = FingerprintConfirmation.sign(state_of(three[1]).secret, digest, ElementModQ.of(5))
    assert refusal(g2, "/api/ceremony/fingerprint-confirmation",
                   {**by_2.to_json(), "guardian_id": "guardian-1"}).code == "wrong_seat"  # fmt: skip
    forged = FingerprintConfirmation.sign(
        GuardianSecret.generate("guardian-1", 1, 2, b"another polynomial for guardian1"),
        digest, ElementModQ.of(6),
    )
    err = refusal(g1, "/api/ceremony/fingerprint-confirmation", forged.to_json())
    assert (err.status, err.code) == (422, "invalid_confirmation")
    split = ceremony_digest(3, 2, [state1.record(), SERVERS_OWN.public_key(),
                                   state_of(three[2]).record()])  # fmt: skip
    assert display(split) == shown[0]
    signed_split = FingerprintConfirmation.sign(state1.secret, split, ElementModQ.of(7))
    moved = {**signed_split.to_json(), "fingerprint": digest.hex()}
    assert refusal(g1, "/api/ceremony/fingerprint-confirmation", moved).code == (
        "invalid_confirmation"
    )
    # A guardian who confirms without comparing: its client signs the split fingerprint, which
    # is not the fingerprint of the keys stored here, so the server refuses it as well.
    with pytest.raises(ServerError) as careless:
        advance(split_view(three[0]), vault1, lambda ours: ours)
    assert careless.value.code == "fingerprint_mismatch" and shown[0] in careless.value.message
    view = presidium.get("/api/ceremony").get_json()
    assert view["state"] == "confirming_fingerprint" and view["backups"] == []

    # The presidium aborts; in the new ceremony the views agree and it completes.
    assert presidium.delete("/api/ceremony").status_code == 200
    for laptop in three:
        (laptop.state_dir / "guardian.state").rename(laptop.state_dir / "split.state")
    assert presidium.post("/api/ceremony", {"quorum": 2}).status_code == 201
    fingerprints = run_ceremony(three)
    assert len(set(fingerprints.values())) == 1 and len(fingerprints) == 3
    view = presidium.get("/api/ceremony").get_json()
    assert view["state"] == "complete" and view["fingerprint"] == fingerprints["laptop-1"]
    assert all(g["fingerprint_confirmed"] for g in view["guardians"])

    # A server that swaps a key *after* the comparison is refused by the client too.
    with pytest.raises(CeremonyProblem, match="changed a key after the comparison"):
        advance(split_view(three[0]), vault1)
