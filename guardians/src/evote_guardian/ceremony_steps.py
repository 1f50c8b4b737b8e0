"""The key ceremony from one guardian's laptop: each step reads the mailbox, acts, and reports.

The polynomial is drawn here (`secrets`), sealed before its public record leaves the machine,
and never sent; each backup leaves encrypted to its addressee's key, and only after the
guardian confirmed the fingerprint of all public keys (`fingerprint_check`).  Every step can be
re-run: what the server already has is skipped, so a guardian who lost the network simply
repeats.
"""

from __future__ import annotations

import secrets
from typing import Any

from evote.crypto.backup import (
    PartialKeyBackup,
    PartialKeyChallenge,
    answer_challenge,
    make_backup,
    open_backup,
    verify_challenge,
)
from evote.crypto.ceremony import (
    GuardianPublicKey,
    GuardianSecret,
    combine_guardian_keys,
    threshold_problem,
)
from evote.crypto.errors import CryptoError
from evote.crypto.group import ElementModQ, random_q_from_bytes
from evote_guardian.ceremony_report import CeremonyProblem, StepReport
from evote_guardian.connection import Connection
from evote_guardian.fingerprint_check import Confirm, confirm_fingerprint, require_confirmed
from evote_guardian.local_state import GuardianState, Vault
from evote_guardian.messages import say

__all__ = ["CeremonyProblem", "StepReport", "advance", "generate"]


def _fresh_q() -> ElementModQ:
    """A fresh secret nonce ξ ≠ 0 for one backup's hashed-ElGamal encryption."""
    while True:
        nonce = random_q_from_bytes(secrets.token_bytes(64))
        if nonce.value != 0:
            return nonce


def generate(conn: Connection, vault: Vault) -> GuardianState:
    """Step 1a: draw the polynomial for the seat the server gives us, and seal it at once."""
    me = conn.get("/api/ceremony/me")
    problem = threshold_problem(int(me["number_of_guardians"]), int(me["quorum"]))
    if problem is not None:
        # With k = 1 our backups would hand our secret to every other guardian: draw nothing.
        raise CeremonyProblem(
            "ceremony.bad_threshold", quorum=me["quorum"], n=me["number_of_guardians"],
            problem=problem,
        )
    if vault.exists():
        state = vault.load()
        if (state.guardian_id, state.server, state.ceremony_id) != (
            me["guardian_id"], conn.base_url, me["ceremony_id"]
        ):
            raise CeremonyProblem(
                "ceremony.stale_state", path=str(vault.path), guardian=state.guardian_id,
                ceremony=state.ceremony_id, server=state.server,
                new_ceremony=me["ceremony_id"], new_guardian=me["guardian_id"],
            )
        return state
    secret = GuardianSecret.generate(
        me["guardian_id"], int(me["sequence_order"]), int(me["quorum"]), secrets.token_bytes(32)
    )
    state = GuardianState(
        conn.base_url, me["guardian_id"], int(me["sequence_order"]),
        int(me["number_of_guardians"]), int(me["quorum"]), secret,
        ceremony_id=me["ceremony_id"],
    )
    vault.save(state)
    return state


def advance(conn: Connection, vault: Vault, confirm: Confirm | None = None) -> StepReport:
    """Do every ceremony step that is possible now, in order; safe to repeat.

    `confirm` asks the guardian, once all public keys are in, to compare the fingerprint;
    without it (or without an answer) the run stops before anything secret-dependent is sent.
    """
    report = StepReport()
    fresh = not vault.exists()
    state = generate(conn, vault)
    if fresh:
        report.done.append(say(
            "ceremony.drew", guardian=state.guardian_id, n=state.number_of_guardians,
            quorum=state.quorum,
        ))
    me = conn.get("/api/ceremony/me")
    posted = {r["guardian_id"] for r in me["public_keys"]}
    if state.guardian_id not in posted:
        conn.post("/api/ceremony/public-key", state.record().to_json())
        report.done.append(say("ceremony.posted_key"))
        me = conn.get("/api/ceremony/me")
    records = _checked_records(me, state)
    if len(records) < state.number_of_guardians:
        report.waiting.append(
            say("ceremony.keys_posted", posted=len(records), n=state.number_of_guardians)
        )
        return report
    if not confirm_fingerprint(conn, vault, state, records, me, confirm, report):
        return report
    if state.public_keys != records:
        state.public_keys = records
        vault.save(state)
    me = conn.get("/api/ceremony/me")
    if me["state"] == "confirming_fingerprint":
        confirmed = len(me.get("fingerprint_confirmed_by", []))
        report.waiting.append(
            say("ceremony.confirmations", confirmed=confirmed, n=state.number_of_guardians)
        )
        return report
    _send_backups(conn, state, records, report)
    me = conn.get("/api/ceremony/me")
    _verify_received(conn, vault, state, records, me, report)
    _answer_challenges(conn, state, me, report)
    final = conn.get("/api/ceremony/me")
    if final["state"] == "complete":
        _check_joint_key(conn, vault, state, records)
        report.done.append(say("ceremony.joint_key_ok"))
    else:
        report.waiting.append(say("ceremony.others"))
    return report


def _checked_records(me: dict[str, Any], state: GuardianState) -> dict[str, GuardianPublicKey]:
    """Every posted record, with its proofs checked here too (the server is not trusted)."""
    records: dict[str, GuardianPublicKey] = {}
    for raw in me["public_keys"]:
        record = GuardianPublicKey.from_json(raw)
        try:
            record.verify(state.quorum)
        except CryptoError as exc:
            raise CeremonyProblem("ceremony.bad_record", reason=str(exc)) from None
        records[record.guardian_id] = record
    mine = records.get(state.guardian_id)
    if mine is not None and mine != state.record():
        raise CeremonyProblem("ceremony.other_key_as_ours")
    return records


def _send_backups(
    conn: Connection, state: GuardianState, records: dict[str, GuardianPublicKey],
    report: StepReport,
) -> None:
    view = conn.get("/api/ceremony")
    sent = {
        b["designated_id"] for b in view["backups"] if b["owner_id"] == state.guardian_id
    }
    todo = [r for g, r in records.items() if g != state.guardian_id and g not in sent]
    if not todo:
        return
    require_confirmed(state, records)  # never encrypt to keys the guardians did not compare
    backups = [make_backup(state.secret, r, _fresh_q()).to_json() for r in todo]
    conn.post("/api/ceremony/backups", {"backups": backups})
    report.done.append(say("ceremony.sent_backups", count=len(backups)))


def _verify_received(
    conn: Connection, vault: Vault, state: GuardianState,
    records: dict[str, GuardianPublicKey], me: dict[str, Any], report: StepReport,
) -> None:
    verdicts: list[dict[str, Any]] = []
    for item in me["backups"]:
        owner = item["owner_id"]
        if owner in state.received:
            continue
        if item["status"] == "resolved" and item["answer"] is not None:
            # The sender revealed P_j(i) publicly; check it ourselves before we rely on it.
            answer = PartialKeyChallenge.from_json(item["answer"])
            try:
                verify_challenge(answer, records[owner], records[state.guardian_id])
            except CryptoError as exc:
                raise CeremonyProblem("ceremony.bad_answer", reason=str(exc)) from None
            state.received[owner] = answer.value
            vault.save(state)
            report.done.append(say("ceremony.took_answer", owner=owner))
            continue
        if item["status"] == "challenged":
            report.waiting.append(say("ceremony.must_answer", owner=owner))
            continue
        backup = PartialKeyBackup.from_json(item["backup"])
        try:
            state.received[owner] = open_backup(backup, state.secret, records[owner])
        except CryptoError as exc:
            verdicts.append({"owner_id": owner, "verified": False, "reason": str(exc)})
            report.done.append(say("ceremony.challenged", owner=owner, reason=str(exc)))
            continue
        verdicts.append({"owner_id": owner, "verified": True})
        report.done.append(say("ceremony.verified", owner=owner))
    if verdicts:
        vault.save(state)  # the points first: a crash after posting must not lose them
        conn.post("/api/ceremony/verifications", {"verifications": verdicts})
    missing = len(records) - 1 - len(state.received)
    if missing and not verdicts:
        report.waiting.append(say("ceremony.unusable", missing=missing))


def _answer_challenges(
    conn: Connection, state: GuardianState, me: dict[str, Any], report: StepReport
) -> None:
    for item in me["challenges_to_answer"]:
        backup = PartialKeyBackup.from_json(item["backup"])
        answer = answer_challenge(state.secret, backup)
        conn.post("/api/ceremony/challenge-answers", answer.to_json(state.record()))
        report.done.append(say("ceremony.answered", designated=item["designated_id"]))


def _check_joint_key(
    conn: Connection, vault: Vault, state: GuardianState, records: dict[str, GuardianPublicKey]
) -> None:
    """Recompute K and the commitment hash from the records we checked; refuse a different key."""
    joint = combine_guardian_keys(list(records.values()), state.number_of_guardians, state.quorum)
    published = conn.get("/api/election-key")
    if (published["joint_public_key"], published["commitment_hash"]) != (
        joint.joint_public_key.to_hex(),
        joint.commitment_hash.to_hex(),
    ):
        raise CeremonyProblem("ceremony.other_joint_key")
    if state.joint_public_key is None:
        state.joint_public_key = joint.joint_public_key.to_hex()
        state.commitment_hash = joint.commitment_hash.to_hex()
        vault.save(state)
