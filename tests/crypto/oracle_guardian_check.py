"""Check evote's guardian-side outputs with Microsoft's electionguard 1.4.0 (oracle Python 3.10).

Usage: oracle_guardian_check.py DIR

DIR holds what tests/crypto/test_guardian_oracle.py wrote with evote: guardians/*.json,
backups.json (with the receivers' secret keys, test data only), coefficients.json,
encrypted_tally.json, tally.json and expected.json (Q̄, joint key, commitment hash, totals).
Each file is loaded into the package's own types and checked with the package's own code.
Prints "OK <summary>" or "FAIL: <what>" (exit 1).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from electionguard.decrypt_with_shares import decrypt_selection_with_decryption_shares
from electionguard.decryption import compute_recovery_public_key
from electionguard.election_polynomial import (
    LagrangeCoefficientsRecord,
    compute_lagrange_coefficient,
)
from electionguard.elgamal import ElGamalKeyPair
from electionguard.group import hex_to_p, hex_to_q, mult_p, pow_p
from electionguard.guardian import GuardianRecord
from electionguard.key_ceremony import (
    ElectionKeyPair,
    ElectionPartialKeyBackup,
    ElectionPublicKey,
    combine_election_public_keys,
    verify_election_partial_key_backup,
)
from electionguard.serialize import _config, from_dict, from_file
from electionguard.tally import PlaintextTally, PublishedCiphertextTally


def require(ok: bool, what: str) -> None:
    if not ok:
        print(f"FAIL: {what}")
        sys.exit(1)


def main(root: Path) -> None:
    expected = json.loads((root / "expected.json").read_text())
    q_bar = hex_to_q(expected["extended_base_hash"])
    records = [from_file(GuardianRecord, p) for p in sorted((root / "guardians").glob("*.json"))]
    keys = {
        r.guardian_id: ElectionPublicKey(
            r.guardian_id,
            r.sequence_order,
            r.election_public_key,
            r.election_commitments,
            r.election_proofs,
        )
        for r in records
    }
    for r in records:
        for j, proof in enumerate(r.election_proofs):
            require(proof.is_valid(), f"guardian {r.guardian_id}: Schnorr proof {j}")
            require(
                proof.public_key == r.election_commitments[j],
                f"guardian {r.guardian_id}: proof {j} key",
            )
    joint = combine_election_public_keys(list(keys.values()))
    require(joint.joint_public_key == hex_to_p(expected["joint_public_key"]), "joint public key")
    require(joint.commitment_hash == hex_to_q(expected["commitment_hash"]), "commitment hash")

    backups = json.loads((root / "backups.json").read_text())
    for item in backups:
        backup = from_dict(ElectionPartialKeyBackup, item["backup"], _config)
        receiver = keys[backup.designated_id]
        secret = hex_to_q(item["receiver_secret_key"])
        pair = ElectionKeyPair(
            receiver.owner_id, receiver.sequence_order, ElGamalKeyPair(secret, receiver.key), None
        )
        verdict = verify_election_partial_key_backup(
            receiver.owner_id, backup, keys[backup.owner_id], pair
        )
        require(verdict.verified, f"backup {backup.owner_id} -> {backup.designated_id}")

    coefficients = from_file(LagrangeCoefficientsRecord, root / "coefficients.json")
    present = [keys[g].sequence_order for g in coefficients.coefficients]
    for g, w in coefficients.coefficients.items():
        others = [x for x in present if x != keys[g].sequence_order]
        require(
            w == compute_lagrange_coefficient(keys[g].sequence_order, *others),
            f"coefficient of {g}",
        )

    encrypted = from_file(PublishedCiphertextTally, root / "encrypted_tally.json")
    plain = from_file(PlaintextTally, root / "tally.json")
    checked = 0
    for cid, contest in plain.contests.items():
        for sid, selection in contest.selections.items():
            ciphertext = encrypted.contests[cid].selections[sid].ciphertext
            require(selection.message == ciphertext, f"{sid}: message")
            shares = {}
            for share in selection.shares:
                key = keys[share.guardian_id]
                require(
                    share.is_valid(ciphertext, key.key, q_bar),
                    f"{sid}: share of {share.guardian_id}",
                )
                if share.recovered_parts:
                    product = []
                    for g, part in share.recovered_parts.items():
                        require(
                            part.recovery_key == compute_recovery_public_key(keys[g], key),
                            f"{sid}: recovery key {g}",
                        )
                        product.append(pow_p(part.share, coefficients.coefficients[g]))
                    require(
                        mult_p(*product) == share.share,
                        f"{sid}: recombined share of {share.guardian_id}",
                    )
                shares[share.guardian_id] = (key.key, share)
                checked += 1
            again = decrypt_selection_with_decryption_shares(
                encrypted.contests[cid].selections[sid], shares, q_bar
            )
            require(
                again is not None and again.tally == selection.tally, f"{sid}: package's decryption"
            )
            require(selection.tally == expected["totals"][cid][sid], f"{sid}: total")
    print(f"OK guardians={len(records)} backups={len(backups)} shares={checked}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
