"""V24: the key ceremony's fingerprint, recomputed from guardians/, and the guardians' signatures.

Written from the description in docs/guardians.md ("The fingerprint: exact encoding"), not from
evote's code. Before any guardian sent a backup, every guardian compared this fingerprint of all
public keys aloud and signed it; evote/ceremony.json carries the fingerprint and the signatures.
The verifier recomputes the fingerprint from the guardian records it checked under V2-V5, so a
record whose guardians are not the ones the guardians confirmed fails here.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import gmpy2
from gmpy2 import mpz

from .decryption import GuardianKey
from .group import STANDARD, parse_p
from .record import MissingPart, Record
from .report import Report

FILE = "evote/ceremony.json"
FINGERPRINT_TAG = b"evote/ceremony-fingerprint/1"
CONFIRMATION_TAG = b"evote/ceremony-confirmation/1"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DIGEST = re.compile(r"[0-9a-f]{64}")


def _element(x: mpz) -> bytes:
    return int(x).to_bytes(512, "big")


def _u32(x: int) -> bytes:
    return int(x).to_bytes(4, "big")


def fingerprint_digest(n: int, k: int, guardians: list[GuardianKey]) -> bytes:
    """D = SHA-256(tag, 0x00, n, k, then per guardian by sequence order: i, id, K_i, commitments)."""
    data = [FINGERPRINT_TAG, b"\x00", _u32(n), _u32(k)]
    for gk in sorted(guardians, key=lambda gk: gk.sequence_order):
        name = gk.guardian_id.encode("utf-8")
        data += [_u32(gk.sequence_order), _u32(len(name)), name, _element(gk.key), _u32(len(gk.commitments))]
        data += [_element(c) for c in gk.commitments]
    return hashlib.sha256(b"".join(data)).digest()


def spoken(digest: bytes) -> str:
    """The fingerprint as read aloud: 120 bits, 24 Crockford base-32 digits, groups of 4."""
    bits = int.from_bytes(digest[:15], "big")
    digits = ""
    for _ in range(24):
        digits = CROCKFORD[bits % 32] + digits
        bits //= 32
    return "-".join(digits[i:i + 4] for i in range(0, 24, 4))


def signature_problem(key: mpz, digest: bytes, confirmation: dict[str, Any]) -> str:
    """Why a guardian's Schnorr signature on D fails, or ''."""
    g = STANDARD
    try:
        c, u = parse_p(confirmation["challenge"]), parse_p(confirmation["response"])
    except (KeyError, TypeError, ValueError):
        return "signature malformed"
    if not (g.in_q_range(c) and g.in_q_range(u)):
        return "challenge or response out of range"
    h = gmpy2.powmod(g.g, u, g.p) * gmpy2.powmod(key, g.q - c, g.p) % g.p
    want = hashlib.sha256(CONFIRMATION_TAG + b"\x00" + _element(key) + _element(h) + digest).digest()
    if mpz(int.from_bytes(want, "big")) % g.q != c:
        return "the signature on the fingerprint does not verify under the guardian's key"
    return ""


def check_ceremony(record: Record, ctx: dict[str, Any] | None, guardians: dict[str, GuardianKey], rep: Report) -> None:
    """V24; sets ``rep.fingerprint`` whenever the guardians and n, k are there to compute it."""
    n = ctx.get("number_of_guardians") if ctx else None
    k = ctx.get("quorum") if ctx else None
    if not guardians or not isinstance(n, int) or not isinstance(k, int):
        if record.has(FILE):
            rep.incomplete("V24", "guardians/ or context.json n, k missing")
        else:
            rep.skip("V24", "no guardians to fingerprint")
        return
    digest = fingerprint_digest(n, k, list(guardians.values()))
    rep.fingerprint = spoken(digest)
    if not record.has(FILE):
        rep.skip("V24", f"no {FILE}: no guardian confirmed a fingerprint (key not from an evote ceremony)")
        return
    try:
        doc = record.json(FILE)
        if doc.get("type") != "evote/ceremony" or doc.get("version") != 1:
            raise ValueError(f"unknown type/version {doc.get('type')!r}/{doc.get('version')!r}")
        confirmations = doc["confirmations"]
        if not isinstance(confirmations, list) or not all(isinstance(c, dict) for c in confirmations):
            raise ValueError("'confirmations' is not a list of objects")
    except (MissingPart, KeyError, TypeError, ValueError, AttributeError) as exc:
        rep.fail("V24", FILE, f"unreadable: {exc}")
        return
    ok = True
    if doc.get("digest") != digest.hex() or doc.get("fingerprint") != spoken(digest):
        rep.fail("V24", f"{FILE} fingerprint", f"says {doc.get('fingerprint')!r}, the record's guardians give {spoken(digest)}")
        ok = False
    seen: set[str] = set()
    for confirmation in confirmations:
        gid = confirmation.get("guardian_id")
        where = f"guardian {gid} confirmation"
        if not isinstance(gid, str) or gid not in guardians:
            rep.fail("V24", where, "is not from a guardian of this record")
            ok = False
            continue
        if gid in seen:
            rep.fail("V24", where, "appears twice")
            ok = False
            continue
        seen.add(gid)
        stated = confirmation.get("fingerprint")
        if not isinstance(stated, str) or not _DIGEST.fullmatch(stated) or stated != digest.hex():
            rep.fail("V24", where, "confirms another fingerprint than the record's guardians give")
            ok = False
            continue
        problem = signature_problem(guardians[gid].key, digest, confirmation)
        if problem:
            rep.fail("V24", where, problem)
            ok = False
    for gid in sorted(set(guardians) - seen):
        rep.fail("V24", f"guardian {gid}", "has no confirmation of the fingerprint")
        ok = False
    if ok:
        rep.ok("V24", len(seen))
