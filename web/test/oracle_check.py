"""Check a ballot made by evote's browser JavaScript with Microsoft's electionguard 1.4.0.

Run under the Python 3.10 conformance venv (.oracle/bin/python), never at run time:

    oracle_check.py BALLOT CONTEXT MANIFEST [--master-nonce HEX] [--secret-key HEX]

1. The ballot JSON loads into the package's `SubmittedBallot` and
   `is_valid_encryption(manifest_hash, K, Q-bar)` accepts every proof.
2. With --master-nonce, the package encrypts the same plaintext (read back with the
   nonces) from the same master nonce; its JSON must equal ours field for field
   (timestamp and tracking code recomputed from our timestamp).
3. With --secret-key, every contest's extended_data decrypts to the package's ContestData.

Prints one JSON line with the results; exits 1 if any check fails.
"""

from __future__ import annotations

import json
import logging
import sys
from argparse import ArgumentParser
from typing import Any

from electionguard.ballot import (
    BallotBoxState,
    PlaintextBallot,
    PlaintextBallotContest,
    PlaintextBallotSelection,
    SubmittedBallot,
)
from electionguard.ballot_code import get_ballot_code
from electionguard.constants import get_large_prime
from electionguard.election import CiphertextElectionContext
from electionguard.encrypt import ContestData, encrypt_ballot
from electionguard.group import ElementModQ, g_pow_p
from electionguard.manifest import InternalManifest, Manifest
from electionguard.serialize import from_raw, to_raw


def read(path: str) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def plaintext_from(ballot: dict[str, Any], context: CiphertextElectionContext) -> PlaintextBallot:
    """Recover the choices from the nonces the JS revealed (g^m = beta / K^r)."""
    k = int(context.elgamal_public_key)
    p = int(get_large_prime())
    contests = []
    for contest in ballot["contests"]:
        selections = []
        for s in contest["ballot_selections"]:
            if s["is_placeholder_selection"]:
                continue
            r = int(s["nonce"], 16)
            data = int(s["ciphertext"]["data"], 16)
            vote = 0 if data == pow(k, r, p) else 1
            selections.append(PlaintextBallotSelection(s["object_id"], vote))
        contests.append(PlaintextBallotContest(contest["object_id"], selections))
    return PlaintextBallot(ballot["object_id"], ballot["style_id"], contests)


def main() -> int:
    logging.disable(logging.CRITICAL)  # the package logs every encryption at INFO
    parser = ArgumentParser()
    parser.add_argument("ballot")
    parser.add_argument("context")
    parser.add_argument("manifest")
    parser.add_argument("--master-nonce")
    parser.add_argument("--secret-key")
    args = parser.parse_args()

    raw = read(args.ballot)
    context = from_raw(CiphertextElectionContext, json.dumps(read(args.context)))
    manifest = from_raw(Manifest, json.dumps(read(args.manifest)))
    result: dict[str, Any] = {}

    submitted = dict(raw, state=BallotBoxState.CAST.value)
    ballot = from_raw(SubmittedBallot, json.dumps(submitted))
    result["valid"] = ballot.is_valid_encryption(
        context.manifest_hash, context.elgamal_public_key, context.crypto_extended_base_hash
    )

    if args.master_nonce:
        internal = InternalManifest(manifest)
        theirs = encrypt_ballot(
            plaintext_from(raw, context),
            internal,
            context,
            ElementModQ(int(raw["code_seed"], 16)),
            nonce=ElementModQ(int(args.master_nonce, 16)),
        )
        assert theirs is not None, "the package refused to encrypt the plaintext"
        theirs_json = json.loads(to_raw(theirs))
        theirs_json["timestamp"] = raw["timestamp"]
        theirs_json["code"] = get_ballot_code(
            theirs.code_seed, raw["timestamp"], theirs.crypto_hash
        ).to_hex()
        result["same_as_package"] = theirs_json == raw
        if not result["same_as_package"]:
            result["first_difference"] = first_difference(theirs_json, raw)

    if args.secret_key:
        secret = ElementModQ(int(args.secret_key, 16))
        assert g_pow_p(secret) == context.elgamal_public_key, "secret key does not match K"
        datas = []
        for contest in ballot.contests:
            assert contest.extended_data is not None, "contest without extended_data"
            plain = contest.extended_data.decrypt(secret, context.crypto_extended_base_hash)
            datas.append(None if plain is None else to_raw(ContestData.from_bytes(plain)))
        result["contest_data"] = datas

    print(json.dumps(result))
    ok = result["valid"] and result.get("same_as_package", True)
    ok = ok and all(d is not None for d in result.get("contest_data", []))
    return 0 if ok else 1


def first_difference(a: Any, b: Any, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key, "<missing>") != b.get(key, "<missing>"):
                return first_difference(
                    a.get(key, "<missing>"), b.get(key, "<missing>"), f"{path}.{key}"
                )
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path}: package {str(a)[:60]} vs js {str(b)[:60]}"


if __name__ == "__main__":
    sys.exit(main())
