"""Decryption shares: guardian i's M_i = A^s_i for each selection, with its proof (spec §3.5).

A guardian never decrypts; it publishes M_i with a Chaum-Pedersen proof that log_g K_i =
log_A M_i, so anyone can check that the share came from the key the guardian committed to.
The product of all n shares strips K^ξ off B.  For an absent guardian i, the share is
rebuilt from present guardians' compensated shares (see `compensation`) and then carries
`recovered_parts` instead of a proof.

Layouts follow electionguard 1.4.0's CiphertextDecryptionSelection and
CiphertextCompensatedDecryptionSelection, which the published tally.json embeds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .ceremony import GuardianPublicKey, GuardianSecret
from .chaum_pedersen import ChaumPedersenProof, make_chaum_pedersen
from .elgamal import ElGamalCiphertext
from .equations import DEFAULT_CHECKER, Checker
from .errors import InvalidElement, InvalidShare
from .group import ElementModP, ElementModQ
from .hash import hash_elems
from .record_fields import field, int_field, object_field, p_field, text_field
from .tally import Ciphertexts


@dataclass(frozen=True, slots=True)
class CompensatedSelectionShare:
    """M_{i,ℓ} = A^P_i(ℓ): present guardian ℓ's part of absent guardian i's share."""

    object_id: str
    guardian_id: str
    """ℓ, the present guardian that made this part."""
    missing_guardian_id: str
    """i, the absent guardian it stands in for."""
    share: ElementModP
    """M_{i,ℓ}."""
    recovery_key: ElementModP
    """g^P_i(ℓ) = ∏_j K_ij^(ℓ^j): the key the proof is against."""
    proof: ChaumPedersenProof

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "guardian_id": self.guardian_id,
            "missing_guardian_id": self.missing_guardian_id,
            "share": self.share.to_hex(),
            "recovery_key": self.recovery_key.to_hex(),
            "proof": self.proof.to_json(),
        }

    @classmethod
    def from_json(cls, obj: object, where: str) -> CompensatedSelectionShare:
        return cls(
            text_field(obj, "object_id", where),
            text_field(obj, "guardian_id", where),
            text_field(obj, "missing_guardian_id", where),
            p_field(obj, "share", where, subgroup=False),
            p_field(obj, "recovery_key", where, subgroup=False),
            ChaumPedersenProof.from_json(field(obj, "proof", where), f"{where}: proof"),
        )


@dataclass(frozen=True, slots=True)
class SelectionShare:
    """M_i for one selection: with a proof if guardian i made it, recovered parts if rebuilt."""

    object_id: str
    guardian_id: str
    share: ElementModP
    """M_i = A^s_i."""
    proof: ChaumPedersenProof | None = None
    recovered_parts: Mapping[str, CompensatedSelectionShare] | None = None
    """Keyed by the present guardian ℓ that made each part."""

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "guardian_id": self.guardian_id,
            "share": self.share.to_hex(),
            "proof": None if self.proof is None else self.proof.to_json(),
            "recovered_parts": None
            if self.recovered_parts is None
            else {g: part.to_json() for g, part in self.recovered_parts.items()},
        }

    @classmethod
    def from_json(cls, obj: object, where: str) -> SelectionShare:
        guardian_id = text_field(obj, "guardian_id", where)
        where = f"{where}: guardian {guardian_id}"
        raw_proof = field(obj, "proof", where)
        raw_parts = field(obj, "recovered_parts", where)
        if raw_parts is not None and not isinstance(raw_parts, Mapping):
            raise InvalidElement(f"{where}: recovered_parts must be an object or null")
        return cls(
            text_field(obj, "object_id", where),
            guardian_id,
            p_field(obj, "share", where, subgroup=False),
            None
            if raw_proof is None
            else ChaumPedersenProof.from_json(raw_proof, f"{where}: proof"),
            None
            if raw_parts is None
            else {
                g: CompensatedSelectionShare.from_json(part, f"{where}: recovered part {g}")
                for g, part in raw_parts.items()
            },
        )


@dataclass(frozen=True, slots=True)
class DecryptionShare:
    """Guardian i's shares for every selection of one tally or ballot (package `DecryptionShare`)."""

    object_id: str
    """The tally's or ballot's id."""
    guardian_id: str
    public_key: ElementModP
    """K_i."""
    contests: Mapping[str, Mapping[str, SelectionShare]]

    def to_json(self) -> dict[str, Any]:
        """evote's transport form (guardian client → server), typed and versioned.

        Not a record file: the record publishes these shares inside tally.json and the
        spoiled ballots, in the package's layout (`SelectionShare.to_json`).
        """
        return {
            "type": SHARE_TYPE,
            "version": TRANSPORT_VERSION,
            "object_id": self.object_id,
            "guardian_id": self.guardian_id,
            "public_key": self.public_key.to_hex(),
            "contests": contests_to_json(self.contests),
        }

    @classmethod
    def from_json(cls, obj: object) -> DecryptionShare:
        where = require_transport(obj, SHARE_TYPE, "decryption share")
        guardian_id = text_field(obj, "guardian_id", where)
        where = f"{where} of guardian {guardian_id}"
        return cls(
            text_field(obj, "object_id", where),
            guardian_id,
            p_field(obj, "public_key", where),
            contests_from_json(obj, where, SelectionShare.from_json),
        )


SHARE_TYPE = "evote/decryption-share"
COMPENSATED_SHARE_TYPE = "evote/compensated-decryption-share"
TRANSPORT_VERSION = 1


def require_transport(obj: object, type_name: str, where: str) -> str:
    """Check the type and version tag of an evote transport object; returns `where`."""
    if text_field(obj, "type", where) != type_name:
        raise InvalidElement(f"{where}: not a {type_name}")
    if int_field(obj, "version", where) != TRANSPORT_VERSION:
        raise InvalidElement(f"{where}: unsupported version")
    return where


class _Part(Protocol):
    def to_json(self) -> dict[str, Any]: ...


P_ = TypeVar("P_", bound=_Part)


def contests_to_json(contests: Mapping[str, Mapping[str, _Part]]) -> dict[str, Any]:
    """contest id → selection id → part, the layout of both transport forms."""
    return {cid: {sid: s.to_json() for sid, s in sels.items()} for cid, sels in contests.items()}


def contests_from_json(
    obj: object, where: str, read: Callable[[object, str], P_]
) -> dict[str, dict[str, P_]]:
    """The inverse of `contests_to_json`, every part read (and range-checked) by `read`."""
    contests: dict[str, dict[str, P_]] = {}
    for cid, sels in object_field(obj, "contests", where).items():
        if not isinstance(sels, Mapping):
            raise InvalidElement(f"{where}: contest {cid} must be an object")
        contests[cid] = {sid: read(s, f"{where}: selection {sid}") for sid, s in sels.items()}
    return contests


def proof_seed(
    seed: ElementModQ, secret: ElementModQ, ciphertext: ElGamalCiphertext
) -> ElementModQ:
    """The Chaum-Pedersen seed for one ciphertext: H(seed, secret, α, β).

    Two proofs with the same nonce u for different ciphertexts reveal the secret
    (v1 - v2 = (c1 - c2)·s).  Binding the seed to the ciphertext and the secret makes that
    impossible even if a caller reuses `seed`, and keeps every proof reproducible.
    """
    return hash_elems(seed, secret, ciphertext.pad, ciphertext.data)


def partial_decrypt(
    secret: ElementModQ,
    ciphertext: ElGamalCiphertext,
    extended_base_hash: ElementModQ,
    seed: ElementModQ,
) -> tuple[ElementModP, ChaumPedersenProof]:
    """(A^s, proof that it used the s behind g^s); used with s_i and with P_i(ℓ) alike."""
    ciphertext.require_subgroup("ciphertext to decrypt")
    share = ciphertext.pad.pow(secret)
    proof = make_chaum_pedersen(
        ciphertext, secret, share, proof_seed(seed, secret, ciphertext), extended_base_hash
    )
    return share, proof


def compute_decryption_share(
    guardian: GuardianSecret,
    object_id: str,
    ciphertexts: Ciphertexts,
    extended_base_hash: ElementModQ,
    seed: ElementModQ,
) -> DecryptionShare:
    """Guardian i's share of a tally (or of one spoiled ballot: pass `ballot_ciphertexts`).

    Runs on the guardian's machine; `seed` is fresh randomness from the caller.
    """
    s_i = guardian.polynomial.secret_key
    contests: dict[str, dict[str, SelectionShare]] = {}
    for cid, selections in ciphertexts.items():
        contests[cid] = {}
        for sid, ciphertext in selections.items():
            share, proof = partial_decrypt(s_i, ciphertext, extended_base_hash, seed)
            contests[cid][sid] = SelectionShare(sid, guardian.guardian_id, share, proof=proof)
    return DecryptionShare(
        object_id, guardian.guardian_id, guardian.election_key_pair.public_key, contests
    )


def verify_direct_share(
    share: SelectionShare,
    ciphertext: ElGamalCiphertext,
    public_key: ElementModP,
    extended_base_hash: ElementModQ,
    *,
    checker: Checker = DEFAULT_CHECKER,
) -> None:
    """Raise unless M_i = A^s_i is proven for the guardian's K_i (names guardian and selection)."""
    who = f"guardian {share.guardian_id}, selection {share.object_id}"
    if share.proof is None or share.recovered_parts is not None:
        raise InvalidShare(f"{who}: a direct share needs a proof and no recovered parts")
    share.proof.verify(
        ciphertext,
        public_key,
        share.share,
        extended_base_hash,
        checker=checker,
        what=f"{who}: decryption share proof",
    )


def same_selections(shares: Mapping[str, Mapping[str, object]], ciphertexts: Ciphertexts) -> bool:
    """Whether a share covers exactly the contests and selections it was asked for."""
    return {c: set(s) for c, s in shares.items()} == {c: set(s) for c, s in ciphertexts.items()}


def verify_decryption_share(
    share: DecryptionShare,
    ciphertexts: Ciphertexts,
    guardian: GuardianPublicKey,
    extended_base_hash: ElementModQ,
    *,
    checker: Checker = DEFAULT_CHECKER,
) -> None:
    """What the server runs when guardian i submits its share, before storing anything.

    The share must come from this guardian's published key, cover exactly the selections
    asked for, and every M_i must be proven.
    """
    who = f"guardian {share.guardian_id}"
    if (
        share.guardian_id != guardian.guardian_id
        or share.public_key != guardian.election_public_key
    ):
        raise InvalidShare(f"{who}: share is not made with guardian {guardian.guardian_id}'s key")
    if not same_selections(share.contests, ciphertexts):
        raise InvalidShare(f"{who}: share covers other selections than were asked for")
    for cid, selections in ciphertexts.items():
        for sid, ciphertext in selections.items():
            selection_share = share.contests[cid][sid]
            if (
                selection_share.guardian_id != guardian.guardian_id
                or selection_share.object_id != sid
            ):
                raise InvalidShare(f"{who}, selection {sid}: share is labelled for another")
            verify_direct_share(
                selection_share,
                ciphertext,
                guardian.election_public_key,
                extended_base_hash,
                checker=checker,
            )
