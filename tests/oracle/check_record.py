"""Check an election record with Microsoft's electionguard 1.4.0 (run under the .oracle Python 3.10).

Usage: check_record.py RECORD_DIR

Loads every file of the record into the package's own types with `electionguard.serialize`
and runs the package's own checks on them; what the package does not check itself (the joint
key, the tally sums, the recovery keys of compensated shares) is recomputed here from the
package's arithmetic.  Prints a JSON summary of what was checked on success; on the first
failure prints "FAIL: <what>" to stderr and exits 1, so the pytest side can tell the two
apart and show which check broke.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from electionguard.ballot import BallotBoxState, SubmittedBallot
from electionguard.ballot_code import get_ballot_code
from electionguard.constants import ElectionConstants, get_constants
from electionguard.decryption import compute_recovery_public_key
from electionguard.decryption_share import CiphertextDecryptionSelection
from electionguard.election import CiphertextElectionContext, make_ciphertext_election_context
from electionguard.election_polynomial import (
    LagrangeCoefficientsRecord,
    compute_lagrange_coefficient,
)
from electionguard.elgamal import ElGamalCiphertext, elgamal_add
from electionguard.encrypt import EncryptionDevice
from electionguard.group import div_p, g_pow_p, mult_p, pow_p
from electionguard.guardian import GuardianRecord
from electionguard.hash import hash_elems
from electionguard.key_ceremony import ElectionPublicKey
from electionguard.manifest import Manifest
from electionguard.serialize import from_file
from electionguard.tally import PlaintextTally, PublishedCiphertextTally


class Failure(Exception):
    pass


def require(condition: bool, what: str) -> None:
    if not condition:
        raise Failure(what)


def load_guardians(root: Path) -> dict[str, GuardianRecord]:
    guardians = {}
    for path in sorted((root / "guardians").glob("guardian_*.json")):
        record = from_file(GuardianRecord, path)
        guardians[record.guardian_id] = record
    return guardians


def check_guardians(guardians: dict[str, GuardianRecord], quorum: int) -> int:
    proofs = 0
    for gid, g in guardians.items():
        require(len(g.election_commitments) == quorum, f"guardian {gid}: {quorum} commitments")
        require(g.election_commitments[0] == g.election_public_key, f"guardian {gid}: K_i0 = K_i")
        require(len(g.election_proofs) == quorum, f"guardian {gid}: one proof per commitment")
        for j, (commitment, proof) in enumerate(
            zip(g.election_commitments, g.election_proofs, strict=True)
        ):
            require(proof.public_key == commitment, f"guardian {gid}: proof {j} is for K_i{j}")
            require(proof.is_valid(), f"guardian {gid}: Schnorr proof {j}")
            proofs += 1
    return proofs


def check_context(
    context: CiphertextElectionContext, manifest: Manifest, guardians: dict[str, GuardianRecord]
) -> None:
    require(context.number_of_guardians == len(guardians), "context: number of guardians")
    require(context.manifest_hash == manifest.crypto_hash(), "context: manifest hash")
    joint_key = mult_p(*[g.election_public_key for g in guardians.values()])
    require(context.elgamal_public_key == joint_key, "context: joint key is the product")
    ordered = sorted(guardians.values(), key=lambda g: g.sequence_order)
    commitments = [c for g in ordered for c in g.election_commitments]
    expected = make_ciphertext_election_context(
        context.number_of_guardians,
        context.quorum,
        joint_key,
        hash_elems(commitments),  # the package hashes the list as one element
        manifest.crypto_hash(),
    )
    for name in ("commitment_hash", "crypto_base_hash", "crypto_extended_base_hash"):
        require(getattr(context, name) == getattr(expected, name), f"context: {name}")


def check_ballots(
    ballots: list[SubmittedBallot],
    context: CiphertextElectionContext,
) -> int:
    selections = 0
    for ballot in ballots:
        require(
            ballot.is_valid_encryption(
                context.manifest_hash, context.elgamal_public_key, context.crypto_extended_base_hash
            ),
            f"ballot {ballot.object_id}: is_valid_encryption",
        )
        code = get_ballot_code(ballot.code_seed, ballot.timestamp, ballot.crypto_hash)
        require(ballot.code == code, f"ballot {ballot.object_id}: tracking code")
        require(ballot.state in (BallotBoxState.CAST, BallotBoxState.SPOILED), "ballot state")
        selections += sum(len(c.ballot_selections) for c in ballot.contests)
    return selections


def selection_sums(ballots: list[SubmittedBallot]) -> dict[str, dict[str, ElGamalCiphertext]]:
    sums: dict[str, dict[str, list[ElGamalCiphertext]]] = {}
    for ballot in ballots:
        for contest in ballot.contests:
            for s in contest.ballot_selections:
                if not s.is_placeholder_selection:
                    sums.setdefault(contest.object_id, {}).setdefault(s.object_id, [])
                    sums[contest.object_id][s.object_id].append(s.ciphertext)
    return {c: {s: elgamal_add(*cts) for s, cts in sel.items()} for c, sel in sums.items()}


class ShareChecker:
    """Checks one decryption (of the tally or of a spoiled ballot) share by share."""

    def __init__(self, context, guardians, coefficients):
        self.context = context
        self.guardians = guardians
        self.coefficients = coefficients
        self.shares = 0
        self.compensated = 0

    def check(self, where: str, message: ElGamalCiphertext, share: CiphertextDecryptionSelection):
        g = self.guardians[share.guardian_id]
        require(
            share.is_valid(message, g.election_public_key, self.context.crypto_extended_base_hash),
            f"{where}: share of guardian {share.guardian_id}",
        )
        self.shares += 1
        if share.recovered_parts is None:
            return
        missing = ElectionPublicKey(
            g.guardian_id,
            g.sequence_order,
            g.election_public_key,
            g.election_commitments,
            g.election_proofs,
        )
        product = []
        for helper_id, part in share.recovered_parts.items():
            require(part.missing_guardian_id == share.guardian_id, f"{where}: part for whom")
            helper = self.guardians[helper_id]
            helper_key = ElectionPublicKey(
                helper.guardian_id,
                helper.sequence_order,
                helper.election_public_key,
                helper.election_commitments,
                helper.election_proofs,
            )
            require(
                part.recovery_key == compute_recovery_public_key(helper_key, missing),
                f"{where}: recovery key of {helper_id} for {share.guardian_id}",
            )
            product.append(pow_p(part.share, self.coefficients[helper_id]))
            self.compensated += 1
        require(share.share == mult_p(*product), f"{where}: reconstructed share")

    def check_selection(self, where: str, selection, message: ElGamalCiphertext) -> None:
        require(selection.message == message, f"{where}: decrypted the right ciphertext")
        require(
            sorted(s.guardian_id for s in selection.shares) == sorted(self.guardians),
            f"{where}: one share per guardian",
        )
        for share in selection.shares:
            self.check(where, message, share)
        m = div_p(message.data, mult_p(*[s.share for s in selection.shares]))
        require(selection.value == m, f"{where}: value = B / prod(M_i)")
        require(g_pow_p(selection.tally) == m, f"{where}: g^tally = value")


def check_decryption(checker, tally: PlaintextTally, sums, what: str) -> int:
    require(set(tally.contests) == set(sums), f"{what}: contests")
    count = 0
    for cid, contest in tally.contests.items():
        require(set(contest.selections) == set(sums[cid]), f"{what}: selections of {cid}")
        for sid, selection in contest.selections.items():
            checker.check_selection(f"{what} {cid}/{sid}", selection, sums[cid][sid])
            count += 1
    return count


def main(root: Path) -> dict:
    manifest = from_file(Manifest, root / "manifest.json")
    context = from_file(CiphertextElectionContext, root / "context.json")
    constants = from_file(ElectionConstants, root / "constants.json")
    require(constants == get_constants(), "constants are the standard group")
    guardians = load_guardians(root)
    schnorr = check_guardians(guardians, context.quorum)
    check_context(context, manifest, guardians)
    devices = [from_file(EncryptionDevice, p) for p in (root / "encryption_devices").glob("*.json")]
    ballots = [from_file(SubmittedBallot, p) for p in (root / "submitted_ballots").glob("*.json")]
    selections = check_ballots(ballots, context)
    cast = [b for b in ballots if b.state == BallotBoxState.CAST]
    spoiled = {b.object_id: b for b in ballots if b.state == BallotBoxState.SPOILED}

    sums = selection_sums(cast)
    encrypted = from_file(PublishedCiphertextTally, root / "encrypted_tally.json")
    for cid, contest in encrypted.contests.items():
        for sid, selection in contest.selections.items():
            require(selection.ciphertext == sums[cid][sid], f"encrypted tally {cid}/{sid} = sum")
    require(
        sum(len(c.selections) for c in encrypted.contests.values())
        == sum(len(s) for s in sums.values()),
        "encrypted tally covers every selection",
    )

    coefficients = from_file(LagrangeCoefficientsRecord, root / "coefficients.json").coefficients
    tally = from_file(PlaintextTally, root / "tally.json")
    present = [
        gid
        for gid in guardians
        if all(
            sh.guardian_id != gid or sh.recovered_parts is None
            for c in tally.contests.values()
            for s in c.selections.values()
            for sh in s.shares
        )
    ]
    for gid in present:
        others = [guardians[o].sequence_order for o in present if o != gid]
        require(
            coefficients[gid]
            == compute_lagrange_coefficient(guardians[gid].sequence_order, *others),
            f"Lagrange coefficient of guardian {gid}",
        )
    checker = ShareChecker(context, guardians, coefficients)
    tallied = check_decryption(checker, tally, sums, "tally")

    spoiled_files = sorted((root / "spoiled_ballots").glob("*.json"))
    require(len(spoiled_files) == len(spoiled), "one decryption per spoiled ballot")
    for path in spoiled_files:
        plain = from_file(PlaintextTally, path)
        require(plain.object_id in spoiled, f"spoiled ballot {plain.object_id} was submitted")
        check_decryption(
            checker, plain, selection_sums([spoiled[plain.object_id]]), plain.object_id
        )

    return {
        "devices": len(devices),
        "guardians": len(guardians),
        "schnorr_proofs": schnorr,
        "ballots": len(ballots),
        "cast": len(cast),
        "spoiled": len(spoiled),
        "ballot_selections": selections,
        "tally_selections": tallied,
        "tally": {
            cid: {sid: s.tally for sid, s in c.selections.items()}
            for cid, c in tally.contests.items()
        },
        "decryption_shares": checker.shares,
        "compensated_parts": checker.compensated,
        "present_guardians": sorted(present),
    }


if __name__ == "__main__":
    try:
        summary = main(Path(sys.argv[1]))
    except Failure as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(summary, sort_keys=True))
