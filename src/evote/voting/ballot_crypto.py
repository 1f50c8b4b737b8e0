"""Every call from the service into `evote.crypto`, in one place.

The ballot box, the lifecycle and the results code speak JSON and database rows; the crypto
core speaks typed elements and raises typed errors.  This adapter translates both ways and
turns each crypto error into a `Refused` the API can answer with a 4xx naming what failed.
It draws randomness only through the `random_bytes` it is handed, never by itself.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from evote.crypto.ballot import (
    BallotBoxState,
    SubmittedBallot,
    ballot_code,
    ballot_crypto_hash,
    selection_ciphertexts,
)
from evote.crypto.ballot import device_hash as crypto_device_hash
from evote.crypto.batch import BatchChecker
from evote.crypto.context import ElectionContext
from evote.crypto.context import make_context as crypto_make_context
from evote.crypto.elgamal import ElGamalCiphertext
from evote.crypto.equations import Checker, Claims
from evote.crypto.errors import CryptoError, InvalidProof
from evote.crypto.group import ElementModP, ElementModQ
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.parameters import P
from evote.crypto.tally import CiphertextTally, SummandBallot
from evote.crypto.validate import validate_ballot
from evote.record import InvalidRecord
from evote.record.layout import check_id
from evote.store.models.ceremony import ElectionKey
from evote.store.models.votes import BallotState, Vote
from evote.voting.outcomes import Refused
from evote.voting.proof_batcher import Batcher, ProofItem

SELECTION_BYTES = 12_000
"""Generous JSON size of one encrypted selection with its proof (the 4096-bit group's numbers
are ~1 kB of hex each); the ballot limit is this times the selections, placeholders included."""
BALLOT_OVERHEAD = 16_000

FINGERPRINT_TAG = b"evote/ciphertext-fingerprint/v1\x00"
_P_BYTES = (int(P).bit_length() + 7) // 8


@dataclass(frozen=True)
class CheckedBallot:
    """A ballot that passed every check: the JSON to store and its ciphertexts' fingerprints."""

    ballot_json: str
    fingerprints: tuple[bytes, ...]
    """One per selection, placeholders included, in the ballot's order (see `fingerprint`)."""


def fingerprint(ciphertext: ElGamalCiphertext) -> bytes:
    """SHA-256 of (α, β) as fixed-width big-endian numbers: equal iff the ciphertexts are.

    32 bytes instead of two 512-byte numbers keep the weeding table's key small.
    """
    digest = hashlib.sha256(FINGERPRINT_TAG)
    digest.update(int(ciphertext.pad).to_bytes(_P_BYTES, "big"))
    digest.update(int(ciphertext.data).to_bytes(_P_BYTES, "big"))
    return digest.digest()


def _refused(status: int, code: str, message: str) -> Exception:
    return Refused(status, code, message)


def max_ballot_bytes(manifest_json: str) -> int:
    manifest = json.loads(manifest_json)
    selections = sum(
        len(c["ballot_selections"]) + int(c.get("votes_allowed") or 1)
        for c in manifest["contests"]
    )
    return BALLOT_OVERHEAD + SELECTION_BYTES * selections


def make_device(vote: Vote, random_bytes: Callable[[int], bytes]) -> dict[str, Any]:
    """The vote's one encryption device: its hash seeds every ballot's tracking code."""
    launch_code = int.from_bytes(random_bytes(4), "big") & 0x7FFFFFFF
    return {
        "device_id": vote.id,
        "session_id": vote.event_id,
        "launch_code": launch_code,
        "location": f"evote/event-{vote.event_id}/vote-{vote.id}",
    }


def make_context(
    manifest_json: str, key: ElectionKey, extended_data: dict[str, str] | None = None
) -> dict[str, Any]:
    """The election context of one vote: this manifest under the event's joint key.

    `extended_data` (the vote's receipt key) is the package's free-form field; it enters no
    hash, so ballots and proofs are the same with or without it."""

    manifest = Manifest.from_json(json.loads(manifest_json))
    context = crypto_make_context(
        number_of_guardians=key.number_of_guardians,
        quorum=key.quorum,
        elgamal_public_key=ElementModP.from_hex(key.joint_public_key),
        commitment_hash=ElementModQ.from_hex(key.commitment_hash),
        manifest_hash=manifest.crypto_hash(),
        extended_data=extended_data,
    )
    result: dict[str, Any] = context.to_json()
    return result


def _has_nonce(obj: Any) -> bool:
    if isinstance(obj, dict):
        return any(
            (k == "nonce" and v is not None) or _has_nonce(v) for k, v in obj.items()
        )
    if isinstance(obj, list):
        return any(_has_nonce(v) for v in obj)
    return False


def parse(body: dict[str, Any]) -> SubmittedBallot:
    """The ballot as the crypto core reads it; refuses nonces and malformed structure.  Parsed
    once per request: `identify` and `validate` take what this returns."""

    if _has_nonce(body):
        # A nonce opens the encryption: the server must never hold one for a ballot it counts.
        raise _refused(
            400, "ballot_has_nonce",
            "The ballot carries encryption nonces; send it without them (they reveal the vote).",
        )
    try:
        return SubmittedBallot.from_json(body)
    except CryptoError as exc:
        raise _refused(400, "malformed_ballot", f"The ballot is malformed: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise _refused(400, "malformed_ballot", f"The ballot is malformed: {exc!r:.200}") from None


def identify(ballot: SubmittedBallot) -> tuple[str, str, str]:
    """(tracking code, ballot id, ballot hash).  Code and hash are recomputed from the ballot's
    content, not taken from its `code` and `crypto_hash` fields (validation later checks every
    hash under them against the ciphertexts); the id must be usable as a file name in the
    published record."""

    try:
        check_id(ballot.object_id, "ballot")
    except InvalidRecord as exc:
        raise _refused(400, "malformed_ballot", f"The ballot is malformed: {exc}") from None
    crypto_hash = ballot_crypto_hash(ballot.object_id, ballot.manifest_hash, ballot.contests)
    code = ballot_code(ballot.code_seed, ballot.timestamp, crypto_hash).to_hex()
    return code, ballot.object_id, crypto_hash.to_hex()


@functools.lru_cache(maxsize=16)
def _vote_crypto(manifest_json: str, context_json: str) -> tuple[Any, Any]:
    """Parsed (InternalManifest, ElectionContext) of a vote, once per process and vote."""

    internal = InternalManifest(Manifest.from_json(json.loads(manifest_json)))
    return internal, ElectionContext.from_json(json.loads(context_json))


class _Batched:
    """A `Checker` that hands a ballot's claims to the process's `Batcher`, which checks them
    together with the ballots of other requests; a ballot refused there is checked again
    alone, here on its own request's thread, to name what failed."""

    def __init__(
        self, batcher: Batcher[ProofItem], key: ElementModP, random_bytes: Callable[[int], bytes]
    ) -> None:
        self._batcher, self._key, self._random_bytes = batcher, key, random_bytes

    def check(self, claims: Claims) -> None:
        if self._batcher.check(ProofItem(claims, (int(self._key.value),))):
            return
        BatchChecker(self._random_bytes(32), fixed_bases=[self._key]).check(claims)
        raise InvalidProof("the ballot's proofs failed the batch check")  # probability 2^-64


def validate(
    ballot: SubmittedBallot,
    vote: Vote,
    state: BallotState,
    random_bytes: Callable[[int], bytes],
    batcher: Batcher[ProofItem] | None = None,
) -> CheckedBallot:
    """Every check of `evote.crypto.validate`, then this vote's device and timestamp; returns the
    JSON to store (the ballot with its box state set, as the record publishes it) and the
    fingerprints of its ciphertexts, which the ballot box keeps unique per vote.

    Proofs are checked as a random-weight batch (`evote.crypto.batch`, error ≤ 2^-64): with a
    `batcher`, together with the ballots other requests are checking at the same moment
    (`voting.proof_batcher`, seeded per batch), else alone, seeded per ballot from
    `random_bytes`; either way after the ballot arrived.
    """

    internal, context = _vote_crypto(vote.manifest_json, vote.context_json or "{}")
    key = context.elgamal_public_key
    checker: Checker = (
        BatchChecker(random_bytes(32), fixed_bases=[key])
        if batcher is None
        else _Batched(batcher, key, random_bytes)
    )
    try:
        validate_ballot(ballot, internal, context, checker=checker)
    except CryptoError as exc:
        raise _refused(422, "invalid_ballot", f"The ballot was refused: {exc}") from None
    if ballot.timestamp != vote.ballot_timestamp:
        raise _refused(
            422, "invalid_ballot",
            f"The ballot's timestamp must be this vote's ballot_timestamp "
            f"({vote.ballot_timestamp}, in GET /api/votes/{vote.id}), not the time of "
            "encryption; the tracking code covers it, so encrypt again with it.",
        )
    device = json.loads(vote.device_json or "{}")
    if ballot.code_seed != device_hash(device):
        raise _refused(
            422, "invalid_ballot",
            "The ballot's code_seed must be the hash of this vote's encryption_device (in "
            f"GET /api/votes/{vote.id}), the same for every ballot: not a previous ballot's "
            "tracking code (electionguard's EncryptionMediator chains them; evote does not).",
        )

    box_state = BallotBoxState.SPOILED if state.value == "spoiled" else BallotBoxState.CAST
    stored: dict[str, Any] = ballot.submit(box_state).to_json()
    return CheckedBallot(
        json.dumps(stored, separators=(",", ":")),
        tuple(fingerprint(c) for c in selection_ciphertexts(ballot)),
    )


def device_hash(device: dict[str, Any]) -> Any:

    return crypto_device_hash(
        device["device_id"], device["session_id"], device["launch_code"], device["location"]
    )


def encrypted_tally(manifest_json: str, context_json: str, cast: Iterable[str]) -> dict[str, Any]:
    """The homomorphic sum of the cast ballots (H1b's accumulation); stored ballots are already
    validated, so this reads only their ciphertexts and multiplies."""

    manifest = Manifest.from_json(json.loads(manifest_json))
    tally = CiphertextTally.for_manifest(manifest)
    ballots = (SummandBallot.from_json(json.loads(text)) for text in cast)
    result: dict[str, Any] = tally.add_cast_ballots(ballots).to_json()
    return result
