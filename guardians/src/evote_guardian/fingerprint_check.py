"""The fingerprint on the guardian's laptop: computed here, compared aloud, confirmed, signed.

The other guardians' public keys reach this laptop only through the server.  A server that
showed us a key of its own in place of guardian B's would get our backup for B encrypted to
that key and could open it.  So no backup leaves before the guardian has compared the
fingerprint of all n records *as this laptop sees them* with the fingerprints the other
guardians read aloud, and typed what they heard.  The confirmation is kept in the sealed state
(the records it covers are then fixed for this laptop) and sent to the server signed with our
key, so the server cannot confirm another fingerprint in our name.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from evote.crypto.ceremony import GuardianPublicKey
from evote.crypto.fingerprint import (
    FingerprintConfirmation,
    ceremony_digest,
    display,
    normalize,
    same_fingerprint,
)
from evote.crypto.group import ElementModQ, random_q_from_bytes
from evote_guardian.ceremony_report import CeremonyProblem, StepReport
from evote_guardian.connection import Connection
from evote_guardian.local_state import GuardianState, Vault
from evote_guardian.messages import say

Confirm = Callable[[str], str | None]
"""Shown our fingerprint, returns what the guardian typed after hearing the others' (or None:
not compared yet)."""


def fingerprint_of(state: GuardianState, records: dict[str, GuardianPublicKey]) -> bytes:
    return ceremony_digest(state.number_of_guardians, state.quorum, list(records.values()))


def require_confirmed(state: GuardianState, records: dict[str, GuardianPublicKey]) -> None:
    """Raise unless `records` are exactly those whose fingerprint the guardian confirmed."""
    if state.confirmed_fingerprint is None:
        raise CeremonyProblem("fp.not_confirmed_yet")
    if fingerprint_of(state, records).hex() != state.confirmed_fingerprint:
        confirmed = display(bytes.fromhex(state.confirmed_fingerprint))
        raise CeremonyProblem(
            "fp.changed", now=display(fingerprint_of(state, records)), confirmed=confirmed
        )


def _nonce() -> ElementModQ:
    while True:
        nonce = random_q_from_bytes(secrets.token_bytes(64))
        if nonce.value != 0:
            return nonce


def confirm_fingerprint(
    conn: Connection, vault: Vault, state: GuardianState,
    records: dict[str, GuardianPublicKey], me: dict[str, Any], confirm: Confirm | None,
    report: StepReport,
) -> bool:
    """True once the guardian confirmed the fingerprint and the server holds our signature."""
    digest = fingerprint_of(state, records)
    shown = display(digest)
    report.fingerprint = shown
    if state.confirmed_fingerprint is None:
        typed = confirm(shown) if confirm is not None else None
        if typed is None or not typed.strip():
            report.waiting.append(say("fp.your_comparison", fingerprint=shown))
            return False
        if not same_fingerprint(typed, digest):
            raise CeremonyProblem("fp.typed_differs", typed=normalize(typed), shown=shown)
        state.confirmed_fingerprint = digest.hex()
        state.public_keys = records
        vault.save(state)
        report.done.append(say("fp.confirmed", fingerprint=shown))
    else:
        require_confirmed(state, records)
    report.fingerprint_confirmed = True
    if state.guardian_id not in me.get("fingerprint_confirmed_by", []):
        signed = FingerprintConfirmation.sign(state.secret, digest, _nonce())
        conn.post("/api/ceremony/fingerprint-confirmation", signed.to_json())
        report.done.append(say("fp.sent_signature"))
    return True
