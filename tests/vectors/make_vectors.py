"""Generate evote's language-neutral test vectors with Microsoft's electionguard 1.4.0.

Run under the oracle interpreter (Python 3.10 with the package), from the repository root:

    .oracle/bin/python tests/vectors/make_vectors.py

Each vector is one scenario in its own small JSON file, declaring its expected outcome:
`"expected": {"valid": true}` or `{"valid": false, "error": "<evote error class>"}`.
Every value in a vector comes from the package's own functions, so the Python core, the
browser code and the verifier, which all run these files, agree with Microsoft's code.
All randomness is derived from fixed labels, so re-running the script gives identical files.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from electionguard.chaum_pedersen import (
    make_chaum_pedersen,
    make_constant_chaum_pedersen,
    make_disjunctive_chaum_pedersen,
)
from electionguard.elgamal import (
    elgamal_encrypt,
    elgamal_keypair_from_secret,
    hashed_elgamal_encrypt,
)
from electionguard.group import ElementModP, ElementModQ, add_q, g_pow_p, pow_p
from electionguard.hash import hash_elems
from electionguard.nonces import Nonces
from electionguard.schnorr import make_schnorr_proof
from electionguard.serialize import to_raw

logging.disable(logging.CRITICAL)  # the package logs every encryption at INFO
HERE = Path(__file__).resolve().parent
VERSION = "evote-vectors/1"


def q(label: str) -> ElementModQ:
    """A fixed element of Z_q named by a label: reproducible 'randomness'."""
    return hash_elems("evote-test-vector", label)


def raw(obj: Any) -> Any:
    """The package's own JSON for an object (its `to_raw`), as a JSON value."""
    return json.loads(to_raw(obj))


def write(name: str, vector: dict[str, Any]) -> None:
    body = {"version": VERSION, "scenario": name, **vector}
    (HERE / f"{name}.json").write_text(json.dumps(body, indent=1) + "\n")


def ciphertext(c: Any) -> dict[str, str]:
    return {"pad": c.pad.to_hex(), "data": c.data.to_hex()}


VALID = {"valid": True}


def invalid(error: str) -> dict[str, Any]:
    return {"valid": False, "error": error}


def hash_vectors() -> None:
    p = ElementModP(5)
    cases = [
        {"elements": [], "note": "no elements: SHA-256 of '|'"},
        {"elements": [{"str": "abc"}]},
        {"elements": [{"str": ""}]},
        {"elements": [{"int": 0}, {"int": 42}, {"int": -7}]},
        {"elements": [{"q": "00"}, {"q": q("a").to_hex()}]},
        {"elements": [{"p": p.to_hex()}, {"p": g_pow_p(q("b")).to_hex()}]},
        {"elements": [{"null": None}, {"list": []}]},
        {"elements": [{"list": [{"str": "x"}, {"int": 1}]}, {"str": "tail"}]},
        {"elements": [{"str": "Ünïcødé ✓"}]},
    ]

    def value(e: dict[str, Any]) -> Any:
        kind, v = next(iter(e.items()))
        if kind == "str":
            return v
        if kind == "int":
            return v
        if kind == "q":
            return ElementModQ(v)
        if kind == "p":
            return ElementModP(v)
        if kind == "null":
            return None
        return [value(x) for x in v]

    for case in cases:
        case["hash"] = hash_elems(*[value(e) for e in case["elements"]]).to_hex()
    write(
        "hash_elems",
        {
            "description": "hash_elems: each element typed as str/int/q/p/null/list; "
            "'hash' is the result in the package's hex",
            "expected": VALID,
            "cases": cases,
        },
    )


def nonce_vectors() -> None:
    seed = q("nonce-seed")
    write(
        "nonces",
        {
            "description": "Nonces(seed)[0:3], Nonces(seed, header)[0:3], get_with_headers(5, 'x')",
            "expected": VALID,
            "seed": seed.to_hex(),
            "header": "constant-chaum-pedersen-proof",
            "plain": [n.to_hex() for n in Nonces(seed)[0:3]],
            "with_header": [n.to_hex() for n in Nonces(seed, "constant-chaum-pedersen-proof")[0:3]],
            "item_5_with_header_x": Nonces(seed).get_with_headers(5, "x").to_hex(),
        },
    )


def schnorr_vectors() -> None:
    keypair = elgamal_keypair_from_secret(q("guardian-secret"))
    nonce = q("schnorr-nonce")
    proof = make_schnorr_proof(keypair, nonce)
    inputs = {"secret_key": keypair.secret_key.to_hex(), "nonce": nonce.to_hex()}
    write("schnorr_valid", {"inputs": inputs, "proof": raw(proof), "expected": VALID})
    bad = replace(proof, challenge=add_q(proof.challenge, 1))
    assert proof.is_valid() and not bad.is_valid()
    write(
        "schnorr_changed_challenge",
        {"inputs": inputs, "proof": raw(bad), "expected": invalid("InvalidProof")},
    )


def _election() -> tuple[Any, ElementModQ]:
    keypair = elgamal_keypair_from_secret(q("election-secret"))
    return keypair, q("extended-base-hash")


def generic_vectors() -> None:
    keypair, qbar = _election()
    message = elgamal_encrypt(1, q("generic-encryption-nonce"), keypair.public_key)
    share = pow_p(message.pad, keypair.secret_key)
    seed = q("generic-seed")
    proof = make_chaum_pedersen(message, keypair.secret_key, share, seed, qbar)
    inputs = {
        "secret_key": keypair.secret_key.to_hex(),
        "public_key": keypair.public_key.to_hex(),
        "ciphertext": ciphertext(message),
        "partial": share.to_hex(),
        "seed": seed.to_hex(),
        "extended_base_hash": qbar.to_hex(),
    }
    write("chaum_pedersen_valid", {"inputs": inputs, "proof": raw(proof), "expected": VALID})
    wrong = dict(inputs, partial=pow_p(share, 2).to_hex())
    assert proof.is_valid(message, keypair.public_key, share, qbar)
    assert not proof.is_valid(message, keypair.public_key, pow_p(share, 2), qbar)
    write(
        "chaum_pedersen_wrong_share",
        {"inputs": wrong, "proof": raw(proof), "expected": invalid("InvalidProof")},
    )


def disjunctive_vectors() -> None:
    keypair, qbar = _election()
    for vote in (0, 1, 2):
        nonce = q(f"disjunctive-nonce-{vote}")
        seed = q(f"disjunctive-seed-{vote}")
        message = elgamal_encrypt(vote, nonce, keypair.public_key)
        # For 2 the prover is run as if the vote were 1: the proof it makes must be refused.
        proof = make_disjunctive_chaum_pedersen(
            message, nonce, keypair.public_key, qbar, seed, min(vote, 1)
        )
        inputs = {
            "public_key": keypair.public_key.to_hex(),
            "extended_base_hash": qbar.to_hex(),
            "plaintext": vote,
            "nonce": nonce.to_hex(),
            "seed": seed.to_hex(),
            "ciphertext": ciphertext(message),
        }
        assert proof.is_valid(message, keypair.public_key, qbar) == (vote < 2)
        name = f"disjunctive_{vote}" + ("_invalid" if vote == 2 else "_valid")
        expected = VALID if vote < 2 else invalid("InvalidProof")
        write(name, {"inputs": inputs, "proof": raw(proof), "expected": expected})


def constant_vectors() -> None:
    keypair, qbar = _election()
    nonces = [q("constant-nonce-a"), q("constant-nonce-b"), q("constant-nonce-c")]
    votes = [1, 0, 1]
    messages = [
        elgamal_encrypt(v, n, keypair.public_key) for v, n in zip(votes, nonces, strict=True)
    ]
    pad = messages[0].pad
    data = messages[0].data
    for m in messages[1:]:
        pad = ElementModP(pad.value * m.pad.value % int(ElementModP.get_upper_bound()))
        data = ElementModP(data.value * m.data.value % int(ElementModP.get_upper_bound()))
    total = type(messages[0])(pad, data)
    aggregate = add_q(*nonces)
    seed = q("constant-seed")
    proof = make_constant_chaum_pedersen(total, 2, aggregate, keypair.public_key, seed, qbar)
    inputs = {
        "public_key": keypair.public_key.to_hex(),
        "extended_base_hash": qbar.to_hex(),
        "constant": 2,
        "aggregate_nonce": aggregate.to_hex(),
        "seed": seed.to_hex(),
        "ciphertext": ciphertext(total),
    }
    write("constant_valid", {"inputs": inputs, "proof": raw(proof), "expected": VALID})
    over = replace(proof, constant=1)
    assert proof.is_valid(total, keypair.public_key, qbar)
    assert not over.is_valid(total, keypair.public_key, qbar)
    write(
        "constant_wrong_limit",
        {
            "inputs": dict(inputs, constant=1),
            "proof": raw(over),
            "expected": invalid("InvalidProof"),
        },
    )


def hashed_elgamal_vectors() -> None:
    keypair, qbar = _election()
    message = bytes(range(256)) * 2
    nonce = q("hashed-elgamal-nonce")
    encrypted = hashed_elgamal_encrypt(message, nonce, keypair.public_key, qbar)
    assert encrypted.decrypt(keypair.secret_key, qbar) == message
    write(
        "hashed_elgamal",
        {
            "inputs": {
                "secret_key": keypair.secret_key.to_hex(),
                "public_key": keypair.public_key.to_hex(),
                "encryption_seed": qbar.to_hex(),
                "nonce": nonce.to_hex(),
                "message": message.hex(),
            },
            "ciphertext": raw(encrypted),
            "expected": VALID,
        },
    )


def main() -> None:
    sections = sys.argv[1:] or [
        "hash",
        "nonces",
        "schnorr",
        "generic",
        "disjunctive",
        "constant",
        "hashed",
        "ballot",
    ]
    table = {
        "hash": hash_vectors,
        "nonces": nonce_vectors,
        "schnorr": schnorr_vectors,
        "generic": generic_vectors,
        "disjunctive": disjunctive_vectors,
        "constant": constant_vectors,
        "hashed": hashed_elgamal_vectors,
    }
    for name in sections:
        if name in table:
            table[name]()
        elif name == "ballot":
            from ballot_vectors import ballot_vectors

            ballot_vectors(write, q, raw)


if __name__ == "__main__":
    main()
