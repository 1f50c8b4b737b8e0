"""Submitted ballots (electionguard 1.4.0 JSON) as proof claims, for the benchmarks.

A stand-in until `evote.crypto.validate` turns its own ballot type into claims: it performs
the same checks as the package's `SubmittedBallot.is_valid_encryption` (crypto hashes of
selections, contests and ballot; ciphertext accumulation; one disjunctive proof per selection,
one constant proof per contest), with the group work left as `Claims` for a checker.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from evote.crypto.chaum_pedersen import ConstantChaumPedersenProof, DisjunctiveChaumPedersenProof
from evote.crypto.elgamal import ElGamalCiphertext, elgamal_add
from evote.crypto.equations import Claims
from evote.crypto.errors import InvalidBallot
from evote.crypto.group import ElementModP, ElementModQ
from evote.crypto.hash import hash_elems


@dataclass(frozen=True, slots=True)
class Election:
    """What a ballot is checked against: K, Q̄ and the manifest hash, from context.json."""

    public_key: ElementModP
    extended_base_hash: ElementModQ
    manifest_hash: ElementModQ


@dataclass(frozen=True, slots=True)
class Record:
    election: Election
    ballots: list[dict]
    """Submitted ballots as parsed JSON, in file-name order."""


def load_record(path: Path) -> Record:
    with zipfile.ZipFile(path) as z:
        context = json.loads(z.read("context.json"))
        names = sorted(
            n for n in z.namelist() if n.startswith("submitted_ballots/") and n.endswith(".json")
        )
        ballots = [json.loads(z.read(n)) for n in names]
    election = Election(
        ElementModP.from_hex(context["elgamal_public_key"]),
        ElementModQ.from_hex(context["crypto_extended_base_hash"]),
        ElementModQ.from_hex(context["manifest_hash"]),
    )
    return Record(election, ballots)


def selection_count(ballot: dict) -> int:
    """Selections including placeholders: each carries one disjunctive proof."""
    return sum(len(c["ballot_selections"]) for c in ballot["contests"])


def _ciphertext(obj: dict) -> ElGamalCiphertext:
    return ElGamalCiphertext(ElementModP.from_hex(obj["pad"]), ElementModP.from_hex(obj["data"]))


def _require_hash(stated: str, computed: ElementModQ, what: str) -> None:
    if ElementModQ.from_hex(stated) != computed:
        raise InvalidBallot(f"{what}: crypto_hash does not match its contents")


def ballot_claims(ballot: dict, election: Election) -> Claims:
    """All claims of one submitted ballot; raises `InvalidBallot`/`InvalidProof` on cheap failures."""
    bid = ballot["object_id"]
    if ElementModQ.from_hex(ballot["manifest_hash"]) != election.manifest_hash:
        raise InvalidBallot(f"ballot {bid}: manifest hash is not this election's")
    k, qbar = election.public_key, election.extended_base_hash
    claims = Claims()
    contest_hashes = []
    for contest in ballot["contests"]:
        cid = f"ballot {bid} contest {contest['object_id']}"
        selections = sorted(contest["ballot_selections"], key=lambda s: s["sequence_order"])
        ciphertexts = []
        selection_hashes = []
        for s in selections:
            what = f"{cid} selection {s['object_id']}"
            ct = _ciphertext(s["ciphertext"])
            seed = ElementModQ.from_hex(s["description_hash"])
            h = hash_elems(s["object_id"], seed, ct.crypto_hash())
            _require_hash(s["crypto_hash"], h, what)
            proof = DisjunctiveChaumPedersenProof.from_json(s["proof"], what)
            claims.extend(proof.claims(ct, k, qbar, what))
            ciphertexts.append(ct)
            selection_hashes.append(h)
        h = hash_elems(
            contest["object_id"],
            ElementModQ.from_hex(contest["description_hash"]),
            *selection_hashes,
        )
        _require_hash(contest["crypto_hash"], h, cid)
        contest_hashes.append(h)
        total = elgamal_add(ciphertexts)
        if _ciphertext(contest["ciphertext_accumulation"]) != total:
            raise InvalidBallot(
                f"{cid}: ciphertext_accumulation is not the product of its selections"
            )
        proof = ConstantChaumPedersenProof.from_json(contest["proof"], f"{cid} constant proof")
        claims.extend(proof.claims(total, k, qbar, f"{cid} constant proof", check_ciphertext=False))
    _require_hash(
        ballot["crypto_hash"],
        hash_elems(bid, election.manifest_hash, *contest_hashes),
        f"ballot {bid}",
    )
    return claims
