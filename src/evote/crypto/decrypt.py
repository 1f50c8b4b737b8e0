"""Combining decryption shares into totals, and checking published totals (spec §3.5).

For each selection, M = B / ∏_i M_i = g^t, and t comes from a bounded discrete log.  Every
share is verified before it is used: a single bad share would turn the total into garbage
(or, worse, into a plausible wrong number).  The result is the package's PlaintextTally:
tally.json for the totals, spoiled_ballots/spoiled_ballot_<id>.json for a challenged ballot.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import gmpy2
from gmpy2 import mpz

from .ceremony import GuardianPublicKey
from .compensation import verify_recovered_share
from .decryption_share import DecryptionShare, SelectionShare, verify_direct_share
from .dlog import discrete_log
from .elgamal import ElGamalCiphertext
from .equations import DEFAULT_CHECKER, Checker
from .errors import InvalidElement, InvalidShare
from .group import ElementModP, ElementModQ, P, Q, g_pow_p
from .manifest import Manifest
from .record_fields import (
    ciphertext_from_json,
    ciphertext_to_json,
    field,
    int_field,
    object_field,
    p_field,
    text_field,
)
from .tally import Ciphertexts

SelectionFilter = Mapping[str, Collection[str]]
"""contest id → the manifest's selection ids: which selections a plaintext reports.

A spoiled ballot's shares cover its placeholders too; the plaintext leaves them out, as the
package does.  A tally has no placeholders, so it needs no filter."""


def manifest_selections(manifest: Manifest) -> dict[str, tuple[str, ...]]:
    """The filter that leaves a spoiled ballot's placeholders out of its plaintext."""
    return {c.object_id: tuple(s.object_id for s in c.ballot_selections) for c in manifest.contests}


@dataclass(frozen=True, slots=True)
class PlaintextSelection:
    object_id: str
    tally: int
    """t in the spec: the number of votes."""
    value: ElementModP
    """M = B / ∏ M_i = g^t."""
    message: ElGamalCiphertext
    """(A, B), the encrypted total (or ballot selection) that was decrypted."""
    shares: tuple[SelectionShare, ...]
    """One M_i per guardian, in sequence order."""

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "tally": self.tally,
            "value": self.value.to_hex(),
            "message": ciphertext_to_json(self.message),
            "shares": [s.to_json() for s in self.shares],
        }

    @classmethod
    def from_json(cls, obj: object, where: str) -> PlaintextSelection:
        shares = field(obj, "shares", where)
        if not isinstance(shares, list):
            raise InvalidElement(f"{where}: 'shares' must be a list")
        return cls(
            text_field(obj, "object_id", where),
            int_field(obj, "tally", where),
            p_field(obj, "value", where, subgroup=False),
            ciphertext_from_json(object_field(obj, "message", where), f"{where}: message"),
            tuple(SelectionShare.from_json(s, f"{where}: share") for s in shares),
        )


@dataclass(frozen=True, slots=True)
class PlaintextTally:
    """The package's PlaintextTally: totals of a tally, or the content of one spoiled ballot."""

    object_id: str
    contests: Mapping[str, Mapping[str, PlaintextSelection]]

    def totals(self) -> dict[str, dict[str, int]]:
        return {c: {s: sel.tally for s, sel in sels.items()} for c, sels in self.contests.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "contests": {
                cid: {"object_id": cid, "selections": {sid: s.to_json() for sid, s in sels.items()}}
                for cid, sels in self.contests.items()
            },
        }

    @classmethod
    def from_json(cls, obj: object) -> PlaintextTally:
        object_id = text_field(obj, "object_id", "plaintext tally")
        where = f"plaintext tally {object_id}"
        contests: dict[str, dict[str, PlaintextSelection]] = {}
        for cid, c in object_field(obj, "contests", where).items():
            cw = f"{where}: contest {cid}"
            if text_field(c, "object_id", cw) != cid:
                raise InvalidElement(f"{cw}: object_id differs from its key")
            contests[cid] = {
                sid: PlaintextSelection.from_json(s, f"{cw}: selection {sid}")
                for sid, s in object_field(c, "selections", cw).items()
            }
        return cls(object_id, contests)


def verify_selection_share(
    share: SelectionShare,
    ciphertext: ElGamalCiphertext,
    records: Mapping[str, GuardianPublicKey],
    extended_base_hash: ElementModQ,
    *,
    checker: Checker = DEFAULT_CHECKER,
) -> None:
    """Raise unless guardian i's M_i is proven: directly, or through its recovered parts."""
    record = records.get(share.guardian_id)
    if record is None:
        raise InvalidShare(
            f"selection {share.object_id}: share from unknown guardian {share.guardian_id}"
        )
    if share.recovered_parts is None:
        verify_direct_share(
            share, ciphertext, record.election_public_key, extended_base_hash, checker=checker
        )
    else:
        verify_recovered_share(
            share, ciphertext, record, records, extended_base_hash, checker=checker
        )


def _records_by_id(records: Sequence[GuardianPublicKey]) -> dict[str, GuardianPublicKey]:
    ordered = sorted(records, key=lambda r: r.sequence_order)
    return {r.guardian_id: r for r in ordered}


def _share_product(shares: Sequence[SelectionShare]) -> mpz:
    """∏_i M_i = A^s = K^ξ: what β is divided by to leave g^t."""
    product = mpz(1)
    for s in shares:
        product = product * s.share.value % P
    return product


def _combine(
    sid: str,
    ciphertext: ElGamalCiphertext,
    shares: Sequence[SelectionShare],
    bound: int,
) -> tuple[ElementModP, int]:
    value = ciphertext.data.value * gmpy2.invert(_share_product(shares), P) % P
    try:
        return ElementModP(value), discrete_log(value, bound)
    except InvalidElement as e:
        raise InvalidShare(f"selection {sid}: shares do not decrypt to a count: {e}") from None


def decrypt_with_shares(
    object_id: str,
    ciphertexts: Ciphertexts,
    shares: Mapping[str, DecryptionShare],
    records: Sequence[GuardianPublicKey],
    extended_base_hash: ElementModQ,
    *,
    bound: int,
    selections: SelectionFilter | None = None,
    checker: Checker = DEFAULT_CHECKER,
) -> PlaintextTally:
    """The plaintext of a tally or ballot from one share per guardian (reconstructed or not).

    `bound` caps each count (number of ballots × votes allowed).  Raises
    `InvalidShare`/`InvalidProof` naming the guardian and selection of the first bad share.
    """
    by_id = _records_by_id(records)
    if set(shares) != set(by_id):
        raise InvalidShare(
            f"{object_id}: shares from {sorted(shares)}, guardians are {sorted(by_id)}"
        )
    contests: dict[str, dict[str, PlaintextSelection]] = {}
    for cid, cipher_selections in ciphertexts.items():
        if selections is not None and cid not in selections:
            continue
        contests[cid] = {}
        for sid, ciphertext in cipher_selections.items():
            if selections is not None and sid not in selections[cid]:
                continue
            row: list[SelectionShare] = []
            for g in by_id:
                share = shares[g].contests.get(cid, {}).get(sid)
                if share is None or share.guardian_id != g or share.object_id != sid:
                    raise InvalidShare(f"guardian {g}: no share for selection {sid} of {cid}")
                verify_selection_share(
                    share, ciphertext, by_id, extended_base_hash, checker=checker
                )
                row.append(share)
            value, tally = _combine(sid, ciphertext, row, bound)
            contests[cid][sid] = PlaintextSelection(sid, tally, value, ciphertext, tuple(row))
    return PlaintextTally(object_id, contests)


def verify_plaintext_tally(
    plaintext: PlaintextTally,
    ciphertexts: Ciphertexts,
    records: Sequence[GuardianPublicKey],
    extended_base_hash: ElementModQ,
    *,
    selections: SelectionFilter | None = None,
    checker: Checker = DEFAULT_CHECKER,
) -> None:
    """Check a published tally.json (or spoiled ballot) against the ciphertexts it claims to open.

    Every reported selection must match its ciphertext, carry a verified share from each
    guardian, and satisfy g^t = B / ∏ M_i; none may be missing or added.
    """
    by_id = _records_by_id(records)
    expected = {
        cid: [s for s in sels if selections is None or s in selections.get(cid, ())]
        for cid, sels in ciphertexts.items()
        if selections is None or cid in selections
    }
    reported = {cid: list(sels) for cid, sels in plaintext.contests.items()}
    if {c: sorted(s) for c, s in expected.items()} != {c: sorted(s) for c, s in reported.items()}:
        raise InvalidShare(f"{plaintext.object_id}: reports other selections than were encrypted")
    for cid, sids in expected.items():
        for sid in sids:
            sel = plaintext.contests[cid][sid]
            ciphertext = ciphertexts[cid][sid]
            if sel.message != ciphertext:
                raise InvalidShare(f"selection {sid}: message is not the encrypted total")
            if sorted(s.guardian_id for s in sel.shares) != sorted(by_id):
                raise InvalidShare(f"selection {sid}: needs exactly one share per guardian")
            for share in sel.shares:
                if share.object_id != sid:
                    raise InvalidShare(
                        f"guardian {share.guardian_id}: share is for {share.object_id}, not {sid}"
                    )
                verify_selection_share(
                    share, ciphertext, by_id, extended_base_hash, checker=checker
                )
            if sel.value.value * _share_product(sel.shares) % P != ciphertext.data.value:
                raise InvalidShare(f"selection {sid}: value is not B / ∏ M_i")
            # g has order q, so g^(t+q) = g^t: a count outside [0, q) would pass the power check
            if not 0 <= sel.tally < Q:
                raise InvalidShare(f"selection {sid}: tally {sel.tally} is not a count below q")
            if g_pow_p(sel.tally) != sel.value:
                raise InvalidShare(f"selection {sid}: tally {sel.tally} is not log_g of its value")
