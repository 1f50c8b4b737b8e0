"""The credentials committee, played by `evote simulate` so its records are signed like a
real vote's (`evote/credentials.json`, checked by evote-verify V23).

A real committee derives each delegate's slot keys from the code on the letter
(evote-credentials, docs/credentials.md); a simulation has no letters, so every delegate's key
for the simulated vote (slot 1) is drawn from the seed.  Two delegates more than ballots are
on the roll (not everybody votes), and one of them lost the letter: batch 1 revokes that key
and adds the replacement, so every record also carries a revocation.
"""

from __future__ import annotations

from dataclasses import dataclass

import nacl.signing

from evote.crypto.ballot import BallotBoxState, SubmittedBallot
from evote.record.credentials import (
    BallotSignature,
    CredentialsInfo,
    Kdf,
    Signed,
    Statement,
    ballot_message,
)
from evote.simulation.seeded_random import SeededRandom

SLOT = 1
EVENT = "simulation"


@dataclass(frozen=True, slots=True)
class SimulatedCommittee:
    committee: nacl.signing.SigningKey
    delegates: tuple[nacl.signing.SigningKey, ...]
    """Each delegate's current key for the vote (the replacement for the one who lost it)."""
    statements: tuple[Signed, ...]

    def record(self, vote_id: str, manifest_hash: int,
               ballots: tuple[SubmittedBallot, ...]) -> CredentialsInfo:
        """`evote/credentials.json`: the n-th cast ballot signed by the n-th delegate's key."""
        cast = [b for b in ballots if b.state == BallotBoxState.CAST]
        signatures = []
        for key, ballot in zip(self.delegates, cast, strict=False):
            message = ballot_message(vote_id, manifest_hash, int(ballot.crypto_hash.value))
            signatures.append(BallotSignature(
                ballot.object_id, key.verify_key.encode().hex(), key.sign(message).signature.hex()
            ))
        return CredentialsInfo(vote_id, self.committee.verify_key.encode().hex(), SLOT,
                               self.statements, tuple(signatures))


def _hex(key: nacl.signing.SigningKey) -> str:
    return key.verify_key.encode().hex()


def seat(rng: SeededRandom, voters: int) -> SimulatedCommittee:
    """A committee key and `voters` + 2 delegates' keys; the last delegate's key replaced."""
    committee = nacl.signing.SigningKey(rng.bytes(32))
    kdf = Kdf(1, rng.bytes(16).hex())
    first = [nacl.signing.SigningKey(rng.bytes(32)) for _ in range(voters + 2)]
    replacement = nacl.signing.SigningKey(rng.bytes(32))
    issue = Statement(EVENT, 0, SLOT, kdf, tuple(sorted(_hex(k) for k in first)))
    replace = Statement(EVENT, 1, SLOT, kdf, (_hex(replacement),), (_hex(first[-1]),))
    statements = tuple(
        Signed(s.to_json(), committee.sign(s.signed_bytes()).signature.hex())
        for s in (issue, replace)
    )
    return SimulatedCommittee(committee, (*first[:-1], replacement), statements)
