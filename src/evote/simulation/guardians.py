"""The simulated presidium: a key ceremony, and decryption with absent guardians compensated.

Every guardian runs here in one process, which a real vote never does (each guardian's secret
stays on its own machine); the steps and messages are the same ones `evote-guardian` exchanges.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from evote.crypto.backup import make_backup, open_backup
from evote.crypto.ballot import SubmittedBallot
from evote.crypto.ceremony import GuardianPublicKey, GuardianSecret
from evote.crypto.compensation import (
    LagrangeCoefficients,
    compute_compensated_share,
    reconstruct_share,
)
from evote.crypto.context import ElectionContext
from evote.crypto.decrypt import PlaintextTally, decrypt_with_shares, manifest_selections
from evote.crypto.decryption_share import DecryptionShare, compute_decryption_share
from evote.crypto.fingerprint import FingerprintConfirmation, ceremony_digest
from evote.crypto.group import ElementModQ
from evote.crypto.manifest import Manifest
from evote.crypto.polynomial import derive_q
from evote.crypto.tally import Ciphertexts, ballot_ciphertexts
from evote.simulation.seeded_random import SeededRandom

_CONFIRMATION_NONCE_TAG = b"evote/simulate/confirmation-nonce/v1"


@dataclass(slots=True)
class Ceremony:
    secrets: dict[str, GuardianSecret]
    records: list[GuardianPublicKey]
    coordinates: dict[tuple[str, str], ElementModQ]
    """(owner i, holder ℓ) → P_i(ℓ), opened and checked by ℓ."""
    confirmations: tuple[FingerprintConfirmation, ...] = ()
    """Every guardian's signature on the fingerprint, made before any backup."""

    def record(self, guardian_id: str) -> GuardianPublicKey:
        return next(r for r in self.records if r.guardian_id == guardian_id)


def key_ceremony(rng: SeededRandom, n: int, k: int) -> Ceremony:
    """n guardians "1".."n" with quorum k; every backup is sent, opened and checked."""
    secrets = {
        str(i): GuardianSecret.generate(str(i), i, k, rng.bytes(32)) for i in range(1, n + 1)
    }
    records = [s.public_key() for s in secrets.values()]
    # The guardians compare the fingerprint first; in one process their views are equal, so
    # each signs it.  The nonce is derived from the signer's secret and D (no extra draw from
    # `rng`, so records of earlier versions keep their bytes apart from this file).
    digest = ceremony_digest(n, k, records)
    confirmations = tuple(
        FingerprintConfirmation.sign(
            s, digest,
            derive_q(int(s.polynomial.secret_key).to_bytes(32, "big") + digest,
                     _CONFIRMATION_NONCE_TAG, 0),
        )
        for s in secrets.values()
    )  # fmt: skip
    by_id = {r.guardian_id: r for r in records}
    coordinates = {}
    for owner, secret in secrets.items():
        for holder, holder_secret in secrets.items():
            if holder != owner:
                backup = make_backup(secret, by_id[holder], rng.element_q())
                coordinates[owner, holder] = open_backup(backup, holder_secret, by_id[owner])
    return Ceremony(secrets, records, coordinates, confirmations)


def decrypt(
    object_id: str,
    ciphertexts: Ciphertexts,
    ceremony: Ceremony,
    present: Sequence[str],
    context: ElectionContext,
    rng: SeededRandom,
    *,
    bound: int,
    selections: Mapping[str, Sequence[str]] | None = None,
) -> PlaintextTally:
    """Shares from the present guardians; each absent one's share rebuilt from all of theirs."""
    q_bar = context.crypto_extended_base_hash
    shares: dict[str, DecryptionShare] = {
        g: compute_decryption_share(
            ceremony.secrets[g], object_id, ciphertexts, q_bar, rng.element_q()
        )
        for g in present
    }
    present_records = [ceremony.record(g) for g in present]
    lagrange = LagrangeCoefficients.for_guardians(present_records)
    for missing in (r for r in ceremony.records if r.guardian_id not in present):
        parts = {
            g: compute_compensated_share(
                ceremony.secrets[g],
                ceremony.record(g),
                missing,
                ceremony.coordinates[missing.guardian_id, g],
                object_id,
                ciphertexts,
                q_bar,
                rng.element_q(),
            )
            for g in present
        }
        shares[missing.guardian_id] = reconstruct_share(missing, parts, lagrange)
    return decrypt_with_shares(
        object_id, ciphertexts, shares, ceremony.records, q_bar, bound=bound, selections=selections
    )


def decrypt_challenged(
    ballot: SubmittedBallot,
    manifest: Manifest,
    ceremony: Ceremony,
    present: Sequence[str],
    context: ElectionContext,
    rng: SeededRandom,
) -> PlaintextTally:
    """A challenged (spoiled) ballot opened as the record publishes it.

    Every selection is decrypted, placeholders included, as electionguard 1.4.0 does; the
    plaintext keeps only the manifest's selections, each 0 or 1 (bound 1).
    """
    return decrypt(
        ballot.object_id,
        ballot_ciphertexts(ballot),
        ceremony,
        present,
        context,
        rng,
        bound=1,
        selections=manifest_selections(manifest),
    )
