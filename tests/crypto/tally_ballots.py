"""The least a ballot needs to be summed into a tally, for tests that have no manifest to encrypt for.

`CiphertextTally.add_cast_ballots` reads only object ids, the selections' ciphertexts, the
placeholder flag and the ballot's state, so a test can hand it ciphertexts it made itself
without making proofs it does not check.
"""

from __future__ import annotations

from dataclasses import dataclass

from evote.crypto.elgamal import ElGamalCiphertext


@dataclass(frozen=True)
class Selection:
    object_id: str
    ciphertext: ElGamalCiphertext
    is_placeholder_selection: bool = False


@dataclass(frozen=True)
class Contest:
    object_id: str
    ballot_selections: list[Selection]


@dataclass(frozen=True)
class Ballot:
    object_id: str
    contests: list[Contest]
    state: int = 1  # CAST
