"""The least a ballot needs to be summed into a tally, for tests that have no manifest to encrypt for.

`CiphertextTally.add_cast_ballots` reads only object ids, the selections' ciphertexts, the
placeholder flag and the ballot's state, so a test can hand it ciphertexts it made itself
without making proofs it does not check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from evote.crypto.elgamal import ElGamalCiphertext, elgamal_encrypt
from evote.crypto.group import ElementModP, ElementModQ


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


def encrypt_votes(
    contests: Mapping[str, Sequence[str]],
    votes: Sequence[Mapping[str, int]],
    public_key: ElementModP,
    *,
    stride: int,
) -> list[Ballot]:
    """Ballot n ("b{n}") encrypts votes[n]; the selection j of contest i gets the nonce
    stride·n + 10·i + j + 1, so the ciphertexts are the same on every run."""
    return [
        Ballot(
            f"b{n}",
            [
                Contest(
                    c,
                    [
                        Selection(
                            s,
                            elgamal_encrypt(
                                vote[s], ElementModQ.of(stride * n + 10 * i + j + 1), public_key
                            ),
                        )
                        for j, s in enumerate(sels)
                    ],
                )
                for i, (c, sels) in enumerate(contests.items())
            ],
        )
        for n, vote in enumerate(votes)
    ]
