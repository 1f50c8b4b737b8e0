"""Standing in for an absent guardian: compensated shares and their reconstruction (spec §3.5.2).

If guardian i is absent, each present guardian ℓ uses its backup P_i(ℓ) to publish
M_{i,ℓ} = A^P_i(ℓ), proved against the recovery key g^P_i(ℓ) = ∏_j K_ij^(ℓ^j) that anyone can
compute from i's commitments.  With the Lagrange coefficients w_ℓ of the present set,
M_i = ∏_ℓ M_{i,ℓ}^w_ℓ = A^(Σ w_ℓ P_i(ℓ)) = A^P_i(0) = A^s_i: i's share, without i's secret.
The coefficients are published as coefficients.json ({"coefficients": {guardian_id: w_ℓ}}).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gmpy2 import mpz, powmod

from .ceremony import GuardianPublicKey, GuardianSecret
from .decryption_share import (
    COMPENSATED_SHARE_TYPE,
    TRANSPORT_VERSION,
    CompensatedSelectionShare,
    DecryptionShare,
    SelectionShare,
    contests_from_json,
    contests_to_json,
    partial_decrypt,
    require_transport,
    same_selections,
)
from .elgamal import ElGamalCiphertext
from .equations import DEFAULT_CHECKER, Checker
from .errors import InvalidShare
from .group import ElementModP, ElementModQ, P, g_pow_p
from .polynomial import commitment_product, lagrange_coefficients
from .record_fields import object_field, p_field, q_field, text_field
from .tally import Ciphertexts


def recovery_public_key(missing: GuardianPublicKey, present: GuardianPublicKey) -> ElementModP:
    """g^P_i(ℓ) = ∏_j K_ij^(ℓ^j) for missing guardian i and present guardian ℓ."""
    return commitment_product(missing.election_commitments, present.sequence_order)


@dataclass(frozen=True, slots=True)
class CompensatedDecryptionShare:
    """Present guardian ℓ's parts of absent guardian i's share, for a whole tally or ballot."""

    object_id: str
    guardian_id: str
    """ℓ."""
    missing_guardian_id: str
    """i."""
    public_key: ElementModP
    """K_ℓ, as the package records it."""
    contests: Mapping[str, Mapping[str, CompensatedSelectionShare]]

    def to_json(self) -> dict[str, Any]:
        """evote's transport form (present guardian → server), typed and versioned."""
        return {
            "type": COMPENSATED_SHARE_TYPE,
            "version": TRANSPORT_VERSION,
            "object_id": self.object_id,
            "guardian_id": self.guardian_id,
            "missing_guardian_id": self.missing_guardian_id,
            "public_key": self.public_key.to_hex(),
            "contests": contests_to_json(self.contests),
        }

    @classmethod
    def from_json(cls, obj: object) -> CompensatedDecryptionShare:
        where = require_transport(obj, COMPENSATED_SHARE_TYPE, "compensated decryption share")
        guardian_id = text_field(obj, "guardian_id", where)
        missing_id = text_field(obj, "missing_guardian_id", where)
        where = f"{where} of guardian {guardian_id} for guardian {missing_id}"
        return cls(
            text_field(obj, "object_id", where),
            guardian_id,
            missing_id,
            p_field(obj, "public_key", where),
            contests_from_json(obj, where, CompensatedSelectionShare.from_json),
        )


def compute_compensated_share(
    present: GuardianSecret,
    present_record: GuardianPublicKey,
    missing: GuardianPublicKey,
    coordinate: ElementModQ,
    object_id: str,
    ciphertexts: Ciphertexts,
    extended_base_hash: ElementModQ,
    seed: ElementModQ,
) -> CompensatedDecryptionShare:
    """ℓ's parts M_{i,ℓ} for every selection; `coordinate` is P_i(ℓ) from `backup.open_backup`.

    The coordinate is checked against i's commitments first: a part made from a bad backup
    would fail every proof after the work was done.
    """
    if (present.guardian_id, present.sequence_order) != (
        present_record.guardian_id,
        present_record.sequence_order,
    ):
        raise ValueError("present guardian's secret and record differ")
    recovery_key = recovery_public_key(missing, present_record)
    if recovery_key != g_pow_p(coordinate):
        raise InvalidShare(
            f"guardian {missing.guardian_id}: backup held by guardian {present.guardian_id} "
            "is not on its polynomial"
        )
    contests: dict[str, dict[str, CompensatedSelectionShare]] = {}
    for cid, selections in ciphertexts.items():
        contests[cid] = {}
        for sid, ciphertext in selections.items():
            share, proof = partial_decrypt(coordinate, ciphertext, extended_base_hash, seed)
            contests[cid][sid] = CompensatedSelectionShare(
                sid, present.guardian_id, missing.guardian_id, share, recovery_key, proof
            )
    return CompensatedDecryptionShare(
        object_id,
        present.guardian_id,
        missing.guardian_id,
        present.election_key_pair.public_key,
        contests,
    )


@dataclass(frozen=True, slots=True)
class LagrangeCoefficients:
    """w_ℓ of each present guardian; the record's coefficients.json."""

    coefficients: Mapping[str, ElementModQ]

    @classmethod
    def for_guardians(cls, present: Sequence[GuardianPublicKey]) -> LagrangeCoefficients:
        weights = lagrange_coefficients([g.sequence_order for g in present])
        return cls({g.guardian_id: w for g, w in zip(present, weights, strict=True)})

    def to_json(self) -> dict[str, Any]:
        return {"coefficients": {g: w.to_hex() for g, w in self.coefficients.items()}}

    @classmethod
    def from_json(cls, obj: object) -> LagrangeCoefficients:
        raw = object_field(obj, "coefficients", "coefficients record")
        return cls({g: q_field(raw, g, "coefficients record") for g in raw})


def _lagrange_product(
    parts: Mapping[str, CompensatedSelectionShare], weights: Mapping[str, ElementModQ]
) -> mpz:
    """∏_ℓ M_{i,ℓ}^w_ℓ = A^P_i(0): the absent guardian's share from its parts."""
    acc = mpz(1)
    for g, part in parts.items():
        acc = acc * powmod(part.share.value, weights[g].value, P) % P
    return acc


def _verify_part(
    part: CompensatedSelectionShare,
    ciphertext: ElGamalCiphertext,
    recovery_key: ElementModP,
    extended_base_hash: ElementModQ,
    checker: Checker,
    who: str,
) -> None:
    """M_{i,ℓ} proven against the recovery key computed from the records, not the one it names."""
    if part.recovery_key != recovery_key:
        raise InvalidShare(f"{who}: recovery key is not ∏ K_ij^(ℓ^j)")
    part.proof.verify(
        ciphertext,
        recovery_key,
        part.share,
        extended_base_hash,
        checker=checker,
        what=f"{who}: compensated share proof",
    )


def reconstruct_share(
    missing: GuardianPublicKey,
    parts: Mapping[str, CompensatedDecryptionShare],
    lagrange: LagrangeCoefficients,
) -> DecryptionShare:
    """M_i = ∏_ℓ M_{i,ℓ}^w_ℓ for each selection, keeping the parts as `recovered_parts`.

    Needs parts of one object from at least a quorum, exactly the guardians the coefficients
    were computed for; the parts' proofs are checked by `verify_recovered_share`, when the
    combined share is checked.
    """
    if len(parts) < missing.quorum:
        raise InvalidShare(
            f"guardian {missing.guardian_id}: {len(parts)} compensated parts, "
            f"the quorum is {missing.quorum}"
        )
    if set(parts) != set(lagrange.coefficients):
        raise InvalidShare(
            f"guardian {missing.guardian_id}: compensated parts from {sorted(parts)}, "
            f"Lagrange coefficients for {sorted(lagrange.coefficients)}"
        )
    for g, part in parts.items():
        if part.missing_guardian_id != missing.guardian_id or part.guardian_id != g:
            raise InvalidShare(f"guardian {g}: its compensated share is for another guardian")
    first = next(iter(parts.values()))
    if any(part.object_id != first.object_id for part in parts.values()):
        raise InvalidShare(
            f"guardian {missing.guardian_id}: compensated parts of different objects"
        )
    contests: dict[str, dict[str, SelectionShare]] = {}
    for cid, selections in first.contests.items():
        contests[cid] = {}
        for sid in selections:
            recovered: dict[str, CompensatedSelectionShare] = {}
            for g, part in parts.items():
                piece = part.contests.get(cid, {}).get(sid)
                if piece is None:
                    raise InvalidShare(f"guardian {g}: no compensated share for selection {sid}")
                recovered[g] = piece
            combined = ElementModP(_lagrange_product(recovered, lagrange.coefficients))
            contests[cid][sid] = SelectionShare(
                sid, missing.guardian_id, combined, recovered_parts=recovered
            )
    return DecryptionShare(
        first.object_id, missing.guardian_id, missing.election_public_key, contests
    )


def verify_recovered_share(
    share: SelectionShare,
    ciphertext: ElGamalCiphertext,
    missing: GuardianPublicKey,
    records: Mapping[str, GuardianPublicKey],
    extended_base_hash: ElementModQ,
    *,
    checker: Checker = DEFAULT_CHECKER,
) -> None:
    """Raise unless every part is proven against the recovery key computed from the records,
    and M_i = ∏ M_{i,ℓ}^w_ℓ for the Lagrange coefficients of exactly those parts.

    The package trusts the recovery key written in each part and never recombines; both
    checks here close that gap, so a forged part or a wrong combination is caught.
    """
    who = f"guardian {missing.guardian_id}, selection {share.object_id}"
    if share.recovered_parts is None or share.proof is not None:
        raise InvalidShare(f"{who}: a recovered share needs recovered parts and no proof")
    if len(share.recovered_parts) < missing.quorum:
        raise InvalidShare(
            f"{who}: {len(share.recovered_parts)} recovered parts, the quorum is {missing.quorum}"
        )
    present: list[GuardianPublicKey] = []
    for g, part in share.recovered_parts.items():
        record = records.get(g)
        part_who = f"{who}, part from guardian {g}"
        if (
            record is None
            or part.guardian_id != g
            or part.missing_guardian_id != missing.guardian_id
        ):
            raise InvalidShare(f"{part_who}: not a part of this share")
        _verify_part(
            part,
            ciphertext,
            recovery_public_key(missing, record),
            extended_base_hash,
            checker,
            part_who,
        )
        present.append(record)
    weights = LagrangeCoefficients.for_guardians(present).coefficients
    if _lagrange_product(share.recovered_parts, weights) != share.share.value:
        raise InvalidShare(f"{who}: share is not the Lagrange combination of its parts")


def verify_compensated_share(
    share: CompensatedDecryptionShare,
    ciphertexts: Ciphertexts,
    present: GuardianPublicKey,
    missing: GuardianPublicKey,
    extended_base_hash: ElementModQ,
    *,
    checker: Checker = DEFAULT_CHECKER,
) -> None:
    """What the server runs when present guardian ℓ submits its parts for absent guardian i.

    Every part must be proven against the recovery key computed from i's commitments, not
    against whatever key the part claims.
    """
    who = f"guardian {share.guardian_id} for guardian {share.missing_guardian_id}"
    if (share.guardian_id, share.missing_guardian_id) != (present.guardian_id, missing.guardian_id):
        raise InvalidShare(
            f"{who}: expected guardian {present.guardian_id} for {missing.guardian_id}"
        )
    if not same_selections(share.contests, ciphertexts):
        raise InvalidShare(f"{who}: share covers other selections than were asked for")
    recovery_key = recovery_public_key(missing, present)
    for cid, selections in ciphertexts.items():
        for sid, ciphertext in selections.items():
            part = share.contests[cid][sid]
            part_who = f"{who}, selection {sid}"
            if (part.object_id, part.guardian_id, part.missing_guardian_id) != (
                sid,
                present.guardian_id,
                missing.guardian_id,
            ):
                raise InvalidShare(f"{part_who}: part is labelled for another")
            _verify_part(part, ciphertext, recovery_key, extended_base_hash, checker, part_who)
