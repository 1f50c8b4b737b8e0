"""One change at a time to a valid record, each paired with the check that must catch it.

Every mutation takes the record directory and edits one thing in place. They are written as
an attacker or a buggy server would: values stay well-formed hex wherever possible, so the
verifier must find the problem by checking, not by failing to parse.
"""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gmpy2 import mpz

from evote_verify.ceremony import spoken
from evote_verify.group import STANDARD, to_hex
from evote_verify.hashing import hash_elems

P, Q, G = int(STANDARD.p), int(STANDARD.q), int(STANDARD.g)


def load(rec: Path, name: str) -> Any:
    return json.loads((rec / name).read_text())


def save(rec: Path, name: str, data: Any) -> None:
    (rec / name).write_text(json.dumps(data))


def edit(rec: Path, name: str, fn: Callable[[Any], None]) -> None:
    data = load(rec, name)
    fn(data)
    save(rec, name, data)


def h(x: str) -> int:
    return int(x, 16)


def bump_q(x: str) -> str:
    return to_hex((h(x) + 1) % Q)


def times_g(x: str) -> str:
    """Another element of the subgroup: still a valid group element, just the wrong one."""
    return to_hex(h(x) * G % P)


def ballot_file(rec: Path, state: int = 1, index: int = 0) -> str:
    files = sorted((rec / "submitted_ballots").glob("*.json"))
    matching = [f for f in files if json.loads(f.read_text())["state"] == state]
    return str(matching[index].relative_to(rec))


def first_selection(b: dict[str, Any]) -> dict[str, Any]:
    return b["contests"][0]["ballot_selections"][0]


def tally_selection(t: dict[str, Any]) -> dict[str, Any]:
    c = next(iter(t["contests"].values()))
    return next(iter(c["selections"].values()))


def _outside_subgroup(x: int) -> int:
    """x·z with z of order r/2: a quadratic residue (Jacobi +1) that is not in the order-q subgroup."""
    z = pow(3, 2 * Q, P)
    assert z != 1
    return x * z % P


# --- ballots ---------------------------------------------------------------------------------

def sel_response(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: first_selection(b)["proof"].update(proof_zero_response=bump_q(first_selection(b)["proof"]["proof_zero_response"])))


def sel_challenge(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: first_selection(b)["proof"].update(proof_one_challenge=bump_q(first_selection(b)["proof"]["proof_one_challenge"])))


def sel_challenge_consistent(rec: Path) -> None:
    """c0 and c1 both moved so that c0 + c1 = c still holds: only the equations can catch it."""

    def fn(b: dict[str, Any]) -> None:
        pr = first_selection(b)["proof"]
        pr["proof_zero_challenge"] = bump_q(pr["proof_zero_challenge"])
        pr["proof_one_challenge"] = to_hex((h(pr["proof_one_challenge"]) - 1) % Q)

    edit(rec, ballot_file(rec), fn)


def sel_ciphertext(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: first_selection(b)["ciphertext"].update(data=times_g(first_selection(b)["ciphertext"]["data"])))


def contest_response(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: b["contests"][1]["proof"].update(response=bump_q(b["contests"][1]["proof"]["response"])))


def contest_constant(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: b["contests"][1]["proof"].update(constant=b["contests"][1]["proof"]["constant"] + 1))


def contest_accumulation(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: b["contests"][0]["ciphertext_accumulation"].update(pad=times_g(b["contests"][0]["ciphertext_accumulation"]["pad"])))


def element_not_in_subgroup(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: first_selection(b)["proof"].update(proof_zero_pad=to_hex(_outside_subgroup(h(first_selection(b)["proof"]["proof_zero_pad"])))))


def ciphertext_not_in_subgroup(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: first_selection(b)["ciphertext"].update(pad=to_hex(_outside_subgroup(h(first_selection(b)["ciphertext"]["pad"])))))


def element_not_residue(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: first_selection(b)["ciphertext"].update(pad=to_hex((P - h(first_selection(b)["ciphertext"]["pad"])) % P)))


def element_out_of_range(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: first_selection(b)["proof"].update(proof_one_data=to_hex(h(first_selection(b)["proof"]["proof_one_data"]) + P)))


def response_out_of_range(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: first_selection(b)["proof"].update(proof_one_response=to_hex(h(first_selection(b)["proof"]["proof_one_response"]) + Q)))


def selection_description_hash(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: first_selection(b).update(description_hash=bump_q(first_selection(b)["description_hash"])))


def placeholder_removed(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: b["contests"][0]["ballot_selections"].pop())


def selection_copied(rec: Path) -> None:
    """The first selection of ballot A replaced by the same selection of ballot B, hash and all."""
    other = load(rec, ballot_file(rec, 1, 1))
    edit(rec, ballot_file(rec), lambda b: b["contests"][0]["ballot_selections"].__setitem__(0, first_selection(other)))


def nonce_published(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: first_selection(b).update(nonce=to_hex(12345)))


def tracking_code(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: b.update(code=bump_q(b["code"])))


def ballot_timestamp(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: b.update(timestamp=b["timestamp"] + 1))


def ballot_hash(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: b.update(crypto_hash=bump_q(b["crypto_hash"])))


def code_seed(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: b.update(code_seed=bump_q(b["code_seed"])))


def ballot_removed(rec: Path) -> None:
    (rec / ballot_file(rec, 1, 1)).unlink()


def ballot_duplicated(rec: Path) -> None:
    src = rec / ballot_file(rec)
    shutil.copy(src, src.with_name("submitted_ballot_copy.json"))


def cast_to_spoiled(rec: Path) -> None:
    edit(rec, ballot_file(rec), lambda b: b.update(state=2))


def spoiled_to_cast(rec: Path) -> None:
    edit(rec, ballot_file(rec, 2), lambda b: b.update(state=1))


# --- key ceremony, context, manifest, constants -----------------------------------------------

def guardian_key(rec: Path) -> None:
    edit(rec, "guardians/guardian_2.json", lambda g: g.update(election_public_key=times_g(g["election_public_key"])))


def guardian_commitment(rec: Path) -> None:
    edit(rec, "guardians/guardian_2.json", lambda g: g["election_commitments"].__setitem__(1, times_g(g["election_commitments"][1])))


def guardian_proof(rec: Path) -> None:
    edit(rec, "guardians/guardian_1.json", lambda g: g["election_proofs"][1].update(response=bump_q(g["election_proofs"][1]["response"])))


def guardian_commitment_dropped(rec: Path) -> None:
    def fn(g: dict[str, Any]) -> None:
        g["election_commitments"].pop()
        g["election_proofs"].pop()

    edit(rec, "guardians/guardian_3.json", fn)


def context_key(rec: Path) -> None:
    edit(rec, "context.json", lambda c: c.update(elgamal_public_key=times_g(c["elgamal_public_key"])))


def context_commitment_hash(rec: Path) -> None:
    edit(rec, "context.json", lambda c: c.update(commitment_hash=bump_q(c["commitment_hash"])))


def context_base_hash(rec: Path) -> None:
    edit(rec, "context.json", lambda c: c.update(crypto_base_hash=bump_q(c["crypto_base_hash"])))


def context_extended_hash(rec: Path) -> None:
    edit(rec, "context.json", lambda c: c.update(crypto_extended_base_hash=bump_q(c["crypto_extended_base_hash"])))


def context_quorum(rec: Path) -> None:
    edit(rec, "context.json", lambda c: c.update(quorum=c["quorum"] + 1))


def context_manifest_hash(rec: Path) -> None:
    edit(rec, "context.json", lambda c: c.update(manifest_hash=bump_q(c["manifest_hash"])))


def manifest_changed(rec: Path) -> None:
    edit(rec, "manifest.json", lambda m: m["contests"][1].update(name="Executive board (edited)"))


def constants_changed(rec: Path) -> None:
    edit(rec, "constants.json", lambda c: c.update(generator=to_hex(pow(G, 2, P))))


# --- tally and decryption -----------------------------------------------------------------------

def encrypted_tally(rec: Path) -> None:
    def fn(t: dict[str, Any]) -> None:
        s = tally_selection(t)
        s["ciphertext"]["data"] = times_g(s["ciphertext"]["data"])

    edit(rec, "encrypted_tally.json", fn)


def tally_count(rec: Path) -> None:
    edit(rec, "tally.json", lambda t: tally_selection(t).update(tally=tally_selection(t)["tally"] + 1))


def tally_value(rec: Path) -> None:
    edit(rec, "tally.json", lambda t: tally_selection(t).update(value=times_g(tally_selection(t)["value"])))


def tally_share(rec: Path) -> None:
    edit(rec, "tally.json", lambda t: tally_selection(t)["shares"][0].update(share=times_g(tally_selection(t)["shares"][0]["share"])))


def tally_share_proof(rec: Path) -> None:
    edit(rec, "tally.json", lambda t: tally_selection(t)["shares"][1]["proof"].update(response=bump_q(tally_selection(t)["shares"][1]["proof"]["response"])))


def tally_label(rec: Path) -> None:
    def fn(t: dict[str, Any]) -> None:
        c = next(iter(t["contests"].values()))
        sid = next(iter(c["selections"]))
        c["selections"]["renamed-sel"] = c["selections"].pop(sid)
        c["selections"]["renamed-sel"]["object_id"] = "renamed-sel"

    edit(rec, "tally.json", fn)


def _missing_share(t: dict[str, Any]) -> dict[str, Any]:
    return next(sh for sh in tally_selection(t)["shares"] if sh["recovered_parts"])


def _first_part(t: dict[str, Any]) -> dict[str, Any]:
    return next(iter(_missing_share(t)["recovered_parts"].values()))


def compensated_share(rec: Path) -> None:
    edit(rec, "tally.json", lambda t: _first_part(t).update(share=times_g(_first_part(t)["share"])))


def compensated_recovery_key(rec: Path) -> None:
    edit(rec, "tally.json", lambda t: _first_part(t).update(recovery_key=times_g(_first_part(t)["recovery_key"])))


def compensated_proof(rec: Path) -> None:
    edit(rec, "tally.json", lambda t: _first_part(t)["proof"].update(challenge=bump_q(_first_part(t)["proof"]["challenge"])))


def reconstructed_share(rec: Path) -> None:
    edit(rec, "tally.json", lambda t: _missing_share(t).update(share=times_g(_missing_share(t)["share"])))


def lagrange_coefficient(rec: Path) -> None:
    def fn(c: dict[str, Any]) -> None:
        gid = next(iter(c["coefficients"]))
        c["coefficients"][gid] = bump_q(c["coefficients"][gid])

    edit(rec, "coefficients.json", fn)


def _spoiled_file(rec: Path) -> str:
    return str(sorted((rec / "spoiled_ballots").glob("*.json"))[0].relative_to(rec))


def spoiled_count(rec: Path) -> None:
    edit(rec, _spoiled_file(rec), lambda t: tally_selection(t).update(tally=tally_selection(t)["tally"] + 1))


def spoiled_share(rec: Path) -> None:
    edit(rec, _spoiled_file(rec), lambda t: tally_selection(t)["shares"][0].update(share=times_g(tally_selection(t)["shares"][0]["share"])))


def spoiled_message(rec: Path) -> None:
    edit(rec, _spoiled_file(rec), lambda t: tally_selection(t)["message"].update(pad=times_g(tally_selection(t)["message"]["pad"])))


def spoiled_decryption_removed(rec: Path) -> None:
    (rec / _spoiled_file(rec)).unlink()


# --- evote's own files --------------------------------------------------------------------------

def closed_before_ballots(rec: Path) -> None:
    edit(rec, "evote/vote.json", lambda v: v.update(closed_at="2000-01-01T00:00:00Z"))


def timestamp_not_the_vote_stamp(rec: Path) -> None:
    edit(rec, "evote/vote.json", lambda v: v.update(ballot_timestamp=v["ballot_timestamp"] - 1))


def fewer_eligible_than_cast(rec: Path) -> None:
    edit(rec, "evote/vote.json", lambda v: v.update(eligible_voters=v["ballots_cast"] - 1))


def cast_count_wrong(rec: Path) -> None:
    edit(rec, "evote/vote.json", lambda v: v.update(ballots_cast=v["ballots_cast"] + 1))


def vote_id_wrong(rec: Path) -> None:
    edit(rec, "evote/vote.json", lambda v: v.update(vote_id="another-vote"))


def ceremony_fingerprint_changed(rec: Path) -> None:
    """Another fingerprint than the guardians' keys give, spelled consistently (digest and words)."""
    def fn(c: dict[str, Any]) -> None:
        other = bytes.fromhex(c["digest"])[::-1]
        c.update(digest=other.hex(), fingerprint=spoken(other))

    edit(rec, "evote/ceremony.json", fn)


def ceremony_confirmation_forged(rec: Path) -> None:
    edit(rec, "evote/ceremony.json", lambda c: c["confirmations"][0].update(response=bump_q(c["confirmations"][0]["response"])))


def ceremony_confirmation_dropped(rec: Path) -> None:
    edit(rec, "evote/ceremony.json", lambda c: c["confirmations"].pop())


def tally_share_of_present_guardian(rec: Path) -> None:
    edit(rec, "tally.json", lambda t: next(sh for sh in tally_selection(t)["shares"] if sh["proof"]).update(
        share=times_g(next(sh for sh in tally_selection(t)["shares"] if sh["proof"])["share"])))


# --- a cast ballot's ciphertexts re-wrapped under a new id (V25, weeding) -----------------------
#
# The attack the weeding check exists for: copy a cast ballot's selections (ciphertexts and proofs,
# which are bound to the ciphertexts, not to the ballot), give them a new object_id, recompute the
# ballot's crypto_hash and code, and post the result. Everything else about the record stays as
# honest software would make it: the guardians decrypt the copy (spoiled) or the tally with the
# copy in it (cast), with valid proofs. That needs their secret keys, which `eg e2e --output-keys`
# writes next to the record; so these mutations take the keys folder as a second argument, and
# every check but V25 still passes on the result.

COPY_ID = "ballot-copy"


def _secret_keys(keys: Path) -> dict[str, int]:
    out = {}
    for f in sorted(keys.glob("*.json")):
        d = json.loads(f.read_text())
        out[d["guardian_id"]] = h(d["election_keys"]["key_pair"]["secret_key"])
    return out


def rewrap(rec: Path, source: str, new_id: str, state: int) -> dict[str, Any]:
    """Save the ballot in ``source`` again as ``new_id`` in ``state``, crypto_hash and code recomputed."""
    b = load(rec, source)
    contest_hashes = [mpz(h(c["crypto_hash"])) for c in sorted(b["contests"], key=lambda c: c["sequence_order"])]
    crypto_hash = hash_elems(new_id, mpz(h(b["manifest_hash"])), *contest_hashes)
    code = hash_elems(mpz(h(b["code_seed"])), b["timestamp"], crypto_hash)
    b.update(object_id=new_id, state=state, crypto_hash=to_hex(crypto_hash), code=to_hex(code))
    save(rec, f"submitted_ballots/submitted_ballot_{new_id}.json", b)
    return b


def _decrypt_as_guardians(sel: dict[str, Any], pad: int, data: int, keys: dict[str, int], qx: mpz) -> None:
    """Make ``sel`` (a selection of tally.json or of a spoiled-ballot decryption) the honest
    decryption of (pad, data): every guardian's share A^s_i with its Chaum-Pedersen proof."""
    a_, b_ = mpz(pad), mpz(data)
    product = 1
    shares = []
    for gid in [sh["guardian_id"] for sh in sel["shares"]]:
        s = keys[gid]
        share = pow(pad, s, P)
        u = secrets.randbelow(Q - 1) + 1
        a, b = pow(G, u, P), pow(pad, u, P)
        c = int(hash_elems(qx, a_, b_, mpz(a), mpz(b), mpz(share)))
        proof = {"pad": to_hex(a), "data": to_hex(b), "challenge": to_hex(c), "response": to_hex((u + c * s) % Q),
                 "usage": "Prove knowledge of s"}
        shares.append({"object_id": sel["object_id"], "guardian_id": gid, "share": to_hex(share), "proof": proof,
                       "recovered_parts": None})
        product = product * share % P
    value = data * pow(product, -1, P) % P
    tally = next(t for t in range(10_000) if pow(G, t, P) == value)
    sel.update(message={"pad": to_hex(pad), "data": to_hex(data)}, shares=shares, value=to_hex(value), tally=tally)


def _real_selections(b: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(c["object_id"], s) for c in b["contests"] for s in c["ballot_selections"] if not s["is_placeholder_selection"]]


def copied_as_spoiled(rec: Path, keys: Path) -> None:
    """A cast ballot re-wrapped and challenged; the guardians decrypt it, publishing the vote."""
    copy = rewrap(rec, ballot_file(rec, 1), COPY_ID, 2)
    secret, qx = _secret_keys(keys), mpz(h(load(rec, "context.json")["crypto_extended_base_hash"]))
    dec = load(rec, _spoiled_file(rec))
    dec["object_id"] = COPY_ID
    for cid, s in _real_selections(copy):
        _decrypt_as_guardians(dec["contests"][cid]["selections"][s["object_id"]], h(s["ciphertext"]["pad"]),
                              h(s["ciphertext"]["data"]), secret, qx)
    save(rec, f"spoiled_ballots/spoiled_ballot_{COPY_ID}.json", dec)


def copied_as_cast(rec: Path, keys: Path) -> None:
    """A cast ballot re-wrapped and cast again (as another delegate's): its vote counted twice."""
    copy = rewrap(rec, ballot_file(rec, 1), COPY_ID, 1)
    secret, qx = _secret_keys(keys), mpz(h(load(rec, "context.json")["crypto_extended_base_hash"]))
    et, tally = load(rec, "encrypted_tally.json"), load(rec, "tally.json")
    for cid, s in _real_selections(copy):
        ct = et["contests"][cid]["selections"][s["object_id"]]["ciphertext"]
        pad = h(ct["pad"]) * h(s["ciphertext"]["pad"]) % P
        data = h(ct["data"]) * h(s["ciphertext"]["data"]) % P
        ct.update(pad=to_hex(pad), data=to_hex(data))
        _decrypt_as_guardians(tally["contests"][cid]["selections"][s["object_id"]], pad, data, secret, qx)
    save(rec, "encrypted_tally.json", et)
    save(rec, "tally.json", tally)


def copied_as_spoiled_undecrypted(rec: Path) -> None:
    """The same copy, challenged but not (yet) decrypted: caught by V25 before anyone decrypts."""
    rewrap(rec, ballot_file(rec, 1), COPY_ID, 2)


# name -> (mutation, check id that must catch it); "eg" mutations run on the all-present record,
# "absent" ones on the record with a missing guardian
EG: dict[str, tuple[Callable[[Path], None], str]] = {
    "selection proof response": (sel_response, "V10"),
    "selection proof challenge": (sel_challenge, "V10"),
    "selection challenges shifted, sum kept": (sel_challenge_consistent, "V10"),
    "selection ciphertext": (sel_ciphertext, "V10"),
    "contest proof response": (contest_response, "V11"),
    "contest proof constant": (contest_constant, "V11"),
    "contest accumulation": (contest_accumulation, "V11"),
    "commitment outside subgroup": (element_not_in_subgroup, "V9"),
    "ciphertext outside subgroup": (ciphertext_not_in_subgroup, "V9"),
    "ciphertext not a residue": (element_not_residue, "V9"),
    "element out of range": (element_out_of_range, "V9"),
    "response out of range": (response_out_of_range, "V9"),
    "selection description hash": (selection_description_hash, "V8"),
    "placeholder removed": (placeholder_removed, "V8"),
    "selection nonce published": (nonce_published, "V8"),
    "selection copied from another ballot": (selection_copied, "V12"),
    "tracking code": (tracking_code, "V12"),
    "ballot timestamp": (ballot_timestamp, "V12"),
    "ballot crypto hash": (ballot_hash, "V12"),
    "code seed": (code_seed, "V13"),
    "cast ballot removed": (ballot_removed, "V15"),
    "ballot duplicated": (ballot_duplicated, "V14"),
    "cast ballot marked spoiled": (cast_to_spoiled, "V15"),
    "spoiled ballot marked cast": (spoiled_to_cast, "V15"),
    "guardian key": (guardian_key, "V2"),
    "guardian commitment": (guardian_commitment, "V2"),
    "guardian Schnorr proof": (guardian_proof, "V2"),
    "guardian commitment dropped": (guardian_commitment_dropped, "V3"),
    "context joint key": (context_key, "V4"),
    "context commitment hash": (context_commitment_hash, "V5"),
    "context base hash": (context_base_hash, "V7"),
    "context extended base hash": (context_extended_hash, "V7"),
    "context quorum": (context_quorum, "V7"),
    "context manifest hash": (context_manifest_hash, "V6"),
    "manifest edited": (manifest_changed, "V6"),
    "constants edited": (constants_changed, "V1"),
    "encrypted tally ciphertext": (encrypted_tally, "V15"),
    "tally count": (tally_count, "V18"),
    "tally value": (tally_value, "V18"),
    "tally decryption share": (tally_share, "V16"),
    "tally share proof": (tally_share_proof, "V16"),
    "tally label": (tally_label, "V20"),
    "lagrange coefficient (all present)": (lagrange_coefficient, "V17"),
    "spoiled ballot count": (spoiled_count, "V19"),
    "spoiled ballot share": (spoiled_share, "V19"),
    "spoiled ballot message": (spoiled_message, "V19"),
    "spoiled decryption removed": (spoiled_decryption_removed, "V19"),
    "cast ballot re-wrapped as spoiled, not decrypted": (copied_as_spoiled_undecrypted, "V25"),
}

# mutations that need the guardians' secret keys (eg_keys) to keep every other check passing;
# on the all-present eg record, and V25 must be the only check that fails
EG_KEYED: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "cast ballot re-wrapped as spoiled and decrypted": (copied_as_spoiled, "V25"),
    "cast ballot re-wrapped and cast again": (copied_as_cast, "V25"),
}

ABSENT: dict[str, tuple[Callable[[Path], None], str]] = {
    "compensated share": (compensated_share, "V17"),
    "compensated recovery key": (compensated_recovery_key, "V17"),
    "compensated proof challenge": (compensated_proof, "V17"),
    "reconstructed share": (reconstructed_share, "V17"),
    "lagrange coefficient": (lagrange_coefficient, "V17"),
    "tally count (absent guardian)": (tally_count, "V18"),
}

SIM: dict[str, tuple[Callable[[Path], None], str]] = {
    "close time before the ballots": (closed_before_ballots, "V21"),
    "ballot timestamp is not the vote's": (timestamp_not_the_vote_stamp, "V21"),
    "vote id": (vote_id_wrong, "V21"),
    "fewer eligible delegates than cast ballots": (fewer_eligible_than_cast, "V22"),
    "cast count in vote.json": (cast_count_wrong, "V22"),
    "key ceremony fingerprint": (ceremony_fingerprint_changed, "V24"),
    "guardian's confirmation of the fingerprint forged": (ceremony_confirmation_forged, "V24"),
    "guardian's confirmation of the fingerprint missing": (ceremony_confirmation_dropped, "V24"),
    "guardian key (evote record, fingerprint)": (guardian_key, "V24"),
    "selection proof response (evote record)": (sel_response, "V10"),
    "contest proof response (evote record)": (contest_response, "V11"),
    "compensated share (evote record)": (compensated_share, "V17"),
    "tally share (evote record)": (tally_share_of_present_guardian, "V16"),
    "tally count (evote record)": (tally_count, "V18"),
    "cast ballot marked spoiled (evote record)": (cast_to_spoiled, "V15"),
    "spoiled ballot count (evote record)": (spoiled_count, "V19"),
    "cast ballot re-wrapped as spoiled (evote record)": (copied_as_spoiled_undecrypted, "V25"),
}
