"""Ballots in electionguard 1.4.0's JSON: plaintext, encrypted, and submitted (cast/spoiled).

A ciphertext ballot holds, per contest, one ElGamal ciphertext (α, β) per selection
(placeholders included), each with a disjunctive proof, and per contest the product of its
selections with a constant proof; plus hashes that chain it to the manifest:
  selection crypto_hash = H(selection id, selection description hash, H(α, β))
  contest   crypto_hash = H(contest id, contest description hash, selection hashes...)
  ballot    crypto_hash = H(ballot id, manifest hash, contest hashes...)
  code (tracking code)  = H(code seed, timestamp, ballot crypto_hash)
with selection and contest hashes taken in sequence order.  The code seed is the device hash
for a device's first ballot and the previous ballot's code after that, so codes chain.
A submitted ballot is the same object without nonces and with a `state` (1 = cast,
2 = spoiled).  JSON field names and order are the package's, so records load in its types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any, Self

from .chaum_pedersen import ConstantChaumPedersenProof, DisjunctiveChaumPedersenProof
from .elgamal import ElGamalCiphertext
from .errors import InvalidBallot
from .group import ZERO_MOD_Q, ElementModQ
from .hash import hash_elems
from .hashed_elgamal import HashedElGamalCiphertext
from .jsonread import (
    read_bool,
    read_int,
    read_list,
    read_opt_q,
    read_opt_str,
    read_p,
    read_q,
    read_str,
    require_object,
)

E = InvalidBallot


class BallotBoxState(IntEnum):
    CAST = 1
    SPOILED = 2
    UNKNOWN = 999


# --- plaintext ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaintextBallotSelection:
    object_id: str
    vote: int
    is_placeholder_selection: bool = False
    write_in: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "vote": self.vote,
            "is_placeholder_selection": self.is_placeholder_selection,
            "write_in": self.write_in,
        }

    @classmethod
    def from_json(cls, data: object, what: str) -> Self:
        obj = require_object(data, what, E)
        what = f"{what} selection {obj.get('object_id')!r}"
        return cls(
            read_str(obj, "object_id", what, E),
            read_int(obj, "vote", what, E),
            read_bool(obj, "is_placeholder_selection", what, E)
            if "is_placeholder_selection" in obj
            else False,
            read_opt_str(obj, "write_in", what, E),
        )


@dataclass(frozen=True, slots=True)
class PlaintextBallotContest:
    """A voter's marks in one contest; selections not listed count as 0."""

    object_id: str
    ballot_selections: tuple[PlaintextBallotSelection, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "ballot_selections": [s.to_json() for s in self.ballot_selections],
        }

    @classmethod
    def from_json(cls, data: object, what: str) -> Self:
        obj = require_object(data, what, E)
        what = f"{what} contest {obj.get('object_id')!r}"
        selections = read_list(obj, "ballot_selections", what, E)
        return cls(
            read_str(obj, "object_id", what, E),
            tuple(PlaintextBallotSelection.from_json(s, what) for s in selections),
        )


@dataclass(frozen=True, slots=True)
class PlaintextBallot:
    """What a voter chose: never stored or logged on the server (it only sees ciphertexts)."""

    object_id: str
    style_id: str
    contests: tuple[PlaintextBallotContest, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "style_id": self.style_id,
            "contests": [c.to_json() for c in self.contests],
        }

    @classmethod
    def from_json(cls, data: object) -> Self:
        obj = require_object(data, "plaintext ballot", E)
        what = f"plaintext ballot {obj.get('object_id')!r}"
        return cls(
            read_str(obj, "object_id", what, E),
            read_str(obj, "style_id", what, E),
            tuple(
                PlaintextBallotContest.from_json(c, what)
                for c in read_list(obj, "contests", what, E)
            ),
        )


# --- encrypted ----------------------------------------------------------------------------


def selection_crypto_hash(
    object_id: str, description_hash: ElementModQ, ciphertext: ElGamalCiphertext
) -> ElementModQ:
    return hash_elems(object_id, description_hash, ciphertext.crypto_hash())


def contest_crypto_hash(
    object_id: str,
    description_hash: ElementModQ,
    selections: Iterable[CiphertextBallotSelection],
) -> ElementModQ:
    """Over the selections in sequence order; the package gives 0 for a contest without any."""
    ordered = sorted(selections, key=lambda s: s.sequence_order)
    if not ordered:
        return ZERO_MOD_Q
    return hash_elems(object_id, description_hash, *[s.crypto_hash for s in ordered])


def ballot_crypto_hash(
    object_id: str, manifest_hash: ElementModQ, contests: Iterable[CiphertextBallotContest]
) -> ElementModQ:
    """Over the contests in sequence order, as the package makes it."""
    ordered = sorted(contests, key=lambda c: c.sequence_order)
    return hash_elems(object_id, manifest_hash, *[c.crypto_hash for c in ordered])


def ballot_code(code_seed: ElementModQ, timestamp: int, crypto_hash: ElementModQ) -> ElementModQ:
    """The tracking code a voter looks up in the record: H(code seed, timestamp, hash)."""
    return hash_elems(code_seed, timestamp, crypto_hash)


def device_hash(device_id: int, session_id: int, launch_code: int, location: str) -> ElementModQ:
    """The package's `EncryptionDevice.get_hash`: the first code seed of a device."""
    return hash_elems(device_id, session_id, launch_code, location)


def _ciphertext_json(c: ElGamalCiphertext) -> dict[str, str]:
    return {"pad": c.pad.to_hex(), "data": c.data.to_hex()}


def _ciphertext(obj: Any, key: str, what: str) -> ElGamalCiphertext:
    inner = require_object(obj.get(key), f"{what} {key}", E)
    return ElGamalCiphertext(
        read_p(inner, "pad", f"{what} {key}", E), read_p(inner, "data", f"{what} {key}", E)
    )


def _hex(value: ElementModQ | None) -> str | None:
    return None if value is None else value.to_hex()


@dataclass(frozen=True, slots=True)
class CiphertextBallotSelection:
    object_id: str
    sequence_order: int
    description_hash: ElementModQ
    ciphertext: ElGamalCiphertext
    """(α, β) = (g^ξ, K^ξ·g^vote)."""
    crypto_hash: ElementModQ
    is_placeholder_selection: bool = False
    nonce: ElementModQ | None = field(default=None, repr=False)
    """ξ: secret; kept only until the voter casts or challenges the ballot."""
    proof: DisjunctiveChaumPedersenProof | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "sequence_order": self.sequence_order,
            "description_hash": self.description_hash.to_hex(),
            "ciphertext": _ciphertext_json(self.ciphertext),
            "crypto_hash": self.crypto_hash.to_hex(),
            "is_placeholder_selection": self.is_placeholder_selection,
            "nonce": _hex(self.nonce),
            "proof": None if self.proof is None else self.proof.to_json(),
        }

    @classmethod
    def from_json(cls, data: object, what: str) -> Self:
        obj = require_object(data, what, E)
        what = f"{what} selection {obj.get('object_id')!r}"
        proof = obj.get("proof")
        return cls(
            read_str(obj, "object_id", what, E),
            read_int(obj, "sequence_order", what, E),
            read_q(obj, "description_hash", what, E),
            _ciphertext(obj, "ciphertext", what),
            read_q(obj, "crypto_hash", what, E),
            read_bool(obj, "is_placeholder_selection", what, E),
            read_opt_q(obj, "nonce", what, E),
            None
            if proof is None
            else DisjunctiveChaumPedersenProof.from_json(proof, f"{what} proof"),
        )


@dataclass(frozen=True, slots=True)
class CiphertextBallotContest:
    object_id: str
    sequence_order: int
    description_hash: ElementModQ
    ballot_selections: tuple[CiphertextBallotSelection, ...]
    ciphertext_accumulation: ElGamalCiphertext
    """The product of the selections' ciphertexts: an encryption of the contest's total."""
    crypto_hash: ElementModQ
    nonce: ElementModQ | None = field(default=None, repr=False)
    proof: ConstantChaumPedersenProof | None = None
    extended_data: HashedElGamalCiphertext | None = None
    """Hashed-ElGamal encryption of the package's ContestData (over/under-vote, write-ins)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "sequence_order": self.sequence_order,
            "description_hash": self.description_hash.to_hex(),
            "ballot_selections": [s.to_json() for s in self.ballot_selections],
            "ciphertext_accumulation": _ciphertext_json(self.ciphertext_accumulation),
            "crypto_hash": self.crypto_hash.to_hex(),
            "nonce": _hex(self.nonce),
            "proof": None if self.proof is None else self.proof.to_json(),
            "extended_data": None if self.extended_data is None else self.extended_data.to_json(),
        }

    @classmethod
    def from_json(cls, data: object, what: str) -> Self:
        obj = require_object(data, what, E)
        what = f"{what} contest {obj.get('object_id')!r}"
        proof, extended = obj.get("proof"), obj.get("extended_data")
        return cls(
            read_str(obj, "object_id", what, E),
            read_int(obj, "sequence_order", what, E),
            read_q(obj, "description_hash", what, E),
            tuple(
                CiphertextBallotSelection.from_json(s, what)
                for s in read_list(obj, "ballot_selections", what, E)
            ),
            _ciphertext(obj, "ciphertext_accumulation", what),
            read_q(obj, "crypto_hash", what, E),
            read_opt_q(obj, "nonce", what, E),
            None if proof is None else ConstantChaumPedersenProof.from_json(proof, f"{what} proof"),
            None
            if extended is None
            else HashedElGamalCiphertext.from_json(extended, f"{what} extended_data"),
        )


@dataclass(frozen=True, slots=True)
class CiphertextBallot:
    """An encrypted ballot; with a `state` it is the package's `SubmittedBallot`."""

    object_id: str
    style_id: str
    manifest_hash: ElementModQ
    code_seed: ElementModQ
    contests: tuple[CiphertextBallotContest, ...]
    code: ElementModQ
    """The tracking code."""
    timestamp: int
    crypto_hash: ElementModQ
    nonce: ElementModQ | None = field(default=None, repr=False)
    """The master nonce: whoever holds it can open every selection (Benaloh challenge)."""
    state: BallotBoxState | None = None

    @property
    def tracking_code(self) -> str:
        return self.code.to_hex()

    def submit(self, state: BallotBoxState) -> CiphertextBallot:
        """The submitted form: every nonce removed, so the server never keeps one."""
        contests = tuple(
            replace(
                c,
                nonce=None,
                ballot_selections=tuple(replace(s, nonce=None) for s in c.ballot_selections),
            )
            for c in self.contests
        )
        return replace(self, contests=contests, nonce=None, state=state)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "object_id": self.object_id,
            "style_id": self.style_id,
            "manifest_hash": self.manifest_hash.to_hex(),
            "code_seed": self.code_seed.to_hex(),
            "contests": [c.to_json() for c in self.contests],
            "code": self.code.to_hex(),
            "timestamp": self.timestamp,
            "crypto_hash": self.crypto_hash.to_hex(),
            "nonce": _hex(self.nonce),
        }
        if self.state is not None:
            out["state"] = int(self.state)
        return out

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Parse a ciphertext or submitted ballot; structure and ranges only (see validate)."""
        obj = require_object(data, "ballot", E)
        what = f"ballot {obj.get('object_id')!r}"
        state = obj.get("state")
        if state is not None and (
            isinstance(state, bool)
            or not isinstance(state, int)  # a list is unhashable, 1.0 would pass as CAST
            or state not in {s.value for s in BallotBoxState}
        ):
            raise InvalidBallot(f"{what}: unknown state {state!r}")
        return cls(
            read_str(obj, "object_id", what, E),
            read_str(obj, "style_id", what, E),
            read_q(obj, "manifest_hash", what, E),
            read_q(obj, "code_seed", what, E),
            tuple(
                CiphertextBallotContest.from_json(c, what)
                for c in read_list(obj, "contests", what, E)
            ),
            read_q(obj, "code", what, E),
            read_int(obj, "timestamp", what, E),
            read_q(obj, "crypto_hash", what, E),
            read_opt_q(obj, "nonce", what, E),
            None if state is None else BallotBoxState(state),
        )


SubmittedBallot = CiphertextBallot
"""A ciphertext ballot with `state` set (see `CiphertextBallot.submit`)."""


def selection_ciphertexts(ballot: CiphertextBallot) -> list[ElGamalCiphertext]:
    """Every selection's (α, β) in the ballot's order, placeholders included.

    Why: a selection's proofs and ciphertext are bound to no ballot id, so a ballot rebuilt
    from another's ciphertexts (new object_id, recomputed hashes and code) validates.  Cast
    twice it counts twice; posted as a challenge, its decryption would publish the copied
    vote.  The defence (Helios and Belenios call it weeding) is that no ciphertext appears
    twice in a vote: the server refuses a repeat, the guardians refuse to open one.
    """
    return [s.ciphertext for c in ballot.contests for s in c.ballot_selections]
