"""Checks on the parameters, the key ceremony and the context (V1-V7).

These run once per record, in the main process; each reports its own findings and returns what
later checks need (the guardians' keys), or None when the record lacks the part.
"""

from __future__ import annotations

from typing import Any

import gmpy2
from gmpy2 import mpz

from .decryption import GuardianKey
from .group import STANDARD, parse_p
from .hashing import hash_elems
from .manifest_hash import manifest_hash
from .record import MissingPart, Record
from .report import Report

QUORUM_ONE = (
    "quorum k = 1: each guardian's polynomial is a constant, so every backup a guardian sent is its own "
    "secret key; any one guardian (or anyone holding one guardian's backups) can decrypt every ballot alone"
)


def check_constants(record: Record, rep: Report) -> None:
    """V1: the record's p, q, r, g are exactly the ElectionGuard 1.0 standard ones."""
    try:
        c = record.json("constants.json")
        got = {k: parse_p(c[k]) for k in ("large_prime", "small_prime", "cofactor", "generator")}
    except MissingPart as exc:
        rep.incomplete("V1", str(exc))
        return
    except (KeyError, TypeError, ValueError) as exc:
        rep.fail("V1", "constants.json", f"malformed: {exc}")
        return
    want = {"large_prime": STANDARD.p, "small_prime": STANDARD.q, "cofactor": STANDARD.r, "generator": STANDARD.g}
    bad = [k for k in want if got[k] != want[k]]
    if bad:
        rep.fail("V1", "constants.json", f"{', '.join(bad)} differ from the standard parameters")
    else:
        rep.ok("V1")


def check_guardians(record: Record, ctx: dict[str, Any] | None, rep: Report) -> dict[str, GuardianKey] | None:
    """V2 (Schnorr proofs of every coefficient), V3 (counts), V4 (joint key), V5 (commitment hash).

    A quorum of 1 is valid ElectionGuard and passes, but V3 warns about it: the threshold then
    protects nothing (evote itself refuses k < 2 when the key is made).
    """
    g = STANDARD
    files = record.folder("guardians")
    if not files:
        for cid in ("V2", "V3", "V4", "V5"):
            rep.incomplete(cid, "no guardians/ in the record")
        return None
    keys: dict[str, GuardianKey] = {}
    for name in files:
        try:
            raw = record.json(name)
            gid = str(raw["guardian_id"])
            order = int(raw["sequence_order"])
            key = parse_p(raw["election_public_key"])
            commitments = tuple(parse_p(x) for x in raw["election_commitments"])
            proofs = raw["election_proofs"]
        except (MissingPart, KeyError, TypeError, ValueError) as exc:
            rep.fail("V2", name, f"malformed guardian record: {exc}")
            continue
        where = f"guardian {gid}"
        if gid in keys:
            rep.fail("V3", where, "guardian id appears twice")
            continue
        keys[gid] = GuardianKey(gid, order, key, commitments)
        if not commitments or key != commitments[0]:
            rep.fail("V2", where, "election_public_key is not the first coefficient commitment K_i,0")
        if len(proofs) != len(commitments):
            rep.fail("V2", where, f"{len(proofs)} proofs for {len(commitments)} commitments")
        for j, (kj, proof) in enumerate(zip(commitments, proofs, strict=False)):
            problem = _schnorr_problem(kj, proof)
            if problem:
                rep.fail("V2", f"{where} coefficient {j}", problem)
            else:
                rep.ok("V2")
    if ctx is None:
        rep.incomplete("V3", "context.json missing")
        rep.incomplete("V4", "context.json missing")
        rep.incomplete("V5", "context.json missing")
        return keys
    n, k = ctx.get("number_of_guardians"), ctx.get("quorum")
    v3_ok = True
    if len(keys) != n:
        rep.fail("V3", "guardians/", f"{len(keys)} guardians, context says {n}")
        v3_ok = False
    if not isinstance(k, int) or not isinstance(n, int) or not 1 <= k <= n:
        rep.fail("V3", "context.json", f"quorum {k} is not between 1 and n = {n}")
        v3_ok = False
    orders = [gk.sequence_order for gk in keys.values()]
    if len(set(orders)) != len(orders) or any(not 1 <= o < g.q for o in orders):
        rep.fail("V3", "guardians/", f"sequence orders {sorted(orders)} are not distinct and nonzero")
        v3_ok = False
    for gk in keys.values():
        if len(gk.commitments) != k:
            rep.fail("V3", f"guardian {gk.guardian_id}", f"{len(gk.commitments)} coefficient commitments, quorum is {k}")
            v3_ok = False
    if v3_ok:
        rep.ok("V3")
    if isinstance(k, int) and k == 1:
        rep.warn("V3", "context.json quorum", QUORUM_ONE)
    ordered = sorted(keys.values(), key=lambda gk: gk.sequence_order)
    try:
        joint = parse_p(ctx["elgamal_public_key"])
        commitment_hash = parse_p(ctx["commitment_hash"])
    except (KeyError, TypeError, ValueError):
        rep.fail("V4", "context.json", "elgamal_public_key or commitment_hash missing")
        return keys
    product = mpz(1)
    for gk in ordered:
        product = product * gk.key % g.p
    if product != joint:
        rep.fail("V4", "context.json elgamal_public_key", "K is not the product of the guardians' keys")
    else:
        rep.ok("V4")
    if hash_elems([c for gk in ordered for c in gk.commitments]) != commitment_hash:
        rep.fail("V5", "context.json commitment_hash", "is not H(K_1,0, ..., K_n,k-1)")
    else:
        rep.ok("V5")
    return keys


def _schnorr_problem(kj: mpz, proof: Any) -> str:
    """Why a Schnorr proof of knowledge of a_i,j fails, or ''."""
    g = STANDARD
    try:
        pk, h = parse_p(proof["public_key"]), parse_p(proof["commitment"])
        c, u = parse_p(proof["challenge"]), parse_p(proof["response"])
    except (KeyError, TypeError, ValueError):
        return "Schnorr proof malformed"
    if pk != kj:
        return "proof is for another key than the commitment"
    if not g.is_member(kj):
        return "commitment K_i,j is not in the subgroup"
    if not g.is_member(h):
        return "proof commitment h is not in the subgroup"
    if not (g.in_q_range(c) and g.in_q_range(u)):
        return "challenge or response out of range"
    if c != hash_elems(kj, h):
        return "challenge is not H(K_i,j, h)"
    if gmpy2.powmod(g.g, u, g.p) != h * gmpy2.powmod(kj, c, g.p) % g.p:
        return "g^u != h·K_i,j^c"
    return ""


def check_context(manifest: dict[str, Any] | None, ctx: dict[str, Any] | None, rep: Report) -> mpz | None:
    """V6 (manifest hash) and V7 (Q and Q'); returns the recomputed manifest hash."""
    g = STANDARD
    mh: mpz | None = None
    if manifest is None:
        rep.incomplete("V6", "manifest.json missing")
    else:
        try:
            mh = manifest_hash(manifest)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            rep.fail("V6", "manifest.json", f"malformed manifest: {type(exc).__name__} {exc}")
    if ctx is None:
        rep.incomplete("V6", "context.json missing")
        rep.incomplete("V7", "context.json missing")
        return mh
    try:
        stated = parse_p(ctx["manifest_hash"])
        base, ext = parse_p(ctx["crypto_base_hash"]), parse_p(ctx["crypto_extended_base_hash"])
        ch = parse_p(ctx["commitment_hash"])
        n, k = ctx["number_of_guardians"], ctx["quorum"]
    except (KeyError, TypeError, ValueError) as exc:
        rep.fail("V7", "context.json", f"malformed context: {exc}")
        return mh
    if manifest is not None:
        _manifest_shape(manifest, rep)
    if mh is not None:
        if mh != stated:
            rep.fail("V6", "context.json manifest_hash", "differs from the hash of manifest.json")
        else:
            rep.ok("V6")
    want_base = hash_elems(g.p, g.q, g.g, n, k, stated)
    if want_base != base:
        rep.fail("V7", "context.json crypto_base_hash", "is not H(p, q, g, n, k, manifest hash)")
    elif hash_elems(base, ch) != ext:
        rep.fail("V7", "context.json crypto_extended_base_hash", "is not H(Q, commitment hash)")
    else:
        rep.ok("V7")
    return mh


def _manifest_shape(m: dict[str, Any], rep: Report) -> None:
    """V6 part: what the manifest hash does not cover but a sound manifest needs."""
    if m.get("spec_version") not in ("v0.95", "1.0"):
        rep.fail("V6", "manifest.json spec_version", f"{m.get('spec_version')!r} is not v0.95 or 1.0")
    candidates = m.get("candidates")
    known = {c.get("object_id") for c in candidates if isinstance(c, dict)} if isinstance(candidates, list) else set()
    contest_ids: list[Any] = []
    for c in m.get("contests") or []:
        contest_ids.append(c.get("object_id"))
        sels = c.get("ballot_selections") or []
        ids = [s.get("object_id") for s in sels]
        if len(set(ids)) != len(ids) or not ids:
            rep.fail("V6", f"manifest contest {c.get('object_id')}", "selection ids missing or repeated")
        for s in sels:
            if s.get("candidate_id") not in known:
                rep.fail("V6", f"manifest selection {s.get('object_id')}", f"candidate {s.get('candidate_id')!r} not in candidates")
        if not isinstance(c.get("number_elected"), int) or not 1 <= c["number_elected"] <= max(1, len(sels)):
            rep.fail("V6", f"manifest contest {c.get('object_id')}", "number_elected is not between 1 and the number of selections")
    if len(set(contest_ids)) != len(contest_ids):
        rep.fail("V6", "manifest.json contests", "contest ids repeated")
