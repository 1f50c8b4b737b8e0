"""Decryptions of the tally and of spoiled ballots: shares, compensated shares, plaintexts.

For a ciphertext (A, B), guardian i publishes M_i = A^s_i and a Chaum-Pedersen proof
(a, b, c, v) with c = H(Q', A, B, a, b, M_i), g^v = a·K_i^c and A^v = b·M_i^c.
A missing guardian m is replaced by parts M_{ℓ,m} from available guardians ℓ, each proved
against the recovery key ∏_j K_{m,j}^(ℓ^j), and combined as M_m = ∏ M_{ℓ,m}^w_ℓ with Lagrange
coefficients w_ℓ over the available guardians. The plaintext is then B / ∏_i M_i = g^t.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gmpy2
from gmpy2 import mpz

from .group import Group, parse_p
from .hashing import hash_elems
from .report import Report


@dataclass(frozen=True)
class GuardianKey:
    guardian_id: str
    sequence_order: int
    key: mpz
    commitments: tuple[mpz, ...]


def cp_problem(group: Group, qx: mpz, alpha: mpz, beta: mpz, key: mpz, share: mpz, proof: dict[str, Any]) -> str:
    """Why a decryption proof fails, or '' if it holds."""
    p, q = group.p, group.q
    try:
        a, b = parse_p(proof["pad"]), parse_p(proof["data"])
        c, v = parse_p(proof["challenge"]), parse_p(proof["response"])
    except (KeyError, TypeError, ValueError):
        return "proof fields missing or not hex"
    if not group.is_member(share):
        return "share M_i is not in the subgroup"
    if not (group.is_member(a) and group.is_member(b)):
        return "proof commitment a or b is not in the subgroup"
    if not (group.in_q_range(c) and group.in_q_range(v)):
        return "proof challenge or response out of range"
    if c != hash_elems(qx, alpha, beta, a, b, share):
        return "challenge is not H(Q', A, B, a, b, M_i)"
    if gmpy2.powmod(group.g, v, p) != a * gmpy2.powmod(key, c, p) % p:
        return "g^v != a·K_i^c"
    if gmpy2.powmod(alpha, v, p) != b * gmpy2.powmod(share, c, p) % p:
        return "A^v != b·M_i^c"
    _ = q
    return ""


def lagrange(group: Group, orders: list[int], mine: int) -> mpz:
    """w_i = ∏_{j≠i} j / (j - i) mod q."""
    q = group.q
    num, den = mpz(1), mpz(1)
    for j in orders:
        if j != mine:
            num = num * j % q
            den = den * (j - mine) % q
    return num * gmpy2.invert(den, q) % q


def recovery_key(group: Group, missing: GuardianKey, available_order: int) -> mpz:
    """∏_j K_{m,j}^(ℓ^j): the public counterpart of guardian ℓ's share of m's secret."""
    p, q = group.p, group.q
    acc = mpz(1)
    for j, kj in enumerate(missing.commitments):
        acc = acc * gmpy2.powmod(kj, pow(available_order, j, int(q)), p) % p
    return acc


class DecryptionChecker:
    """Checks one decrypted object (tally or spoiled ballot), reporting share problems under
    ``share_check`` (V16 or V19) and compensation problems under ``comp_check`` (V17 or V19)."""

    def __init__(
        self,
        group: Group,
        qx: mpz,
        guardians: dict[str, GuardianKey],
        quorum: int,
        coefficients: dict[str, mpz] | None,
        report: Report,
    ) -> None:
        self.group, self.qx, self.guardians, self.quorum = group, qx, guardians, quorum
        self.coefficients = coefficients
        self.report = report

    def selection(
        self, where: str, sel: dict[str, Any], ciphertext: tuple[mpz, mpz] | None, share_check: str, comp_check: str, value_check: str
    ) -> None:
        rep, g = self.report, self.group
        p = g.p
        try:
            msg = sel["message"]
            alpha, beta = parse_p(msg["pad"]), parse_p(msg["data"])
            value = parse_p(sel["value"])
            count = sel["tally"]
            shares = sel["shares"]
        except (KeyError, TypeError, ValueError) as exc:
            rep.fail(value_check, where, f"malformed decrypted selection: {exc}")
            return
        if ciphertext is not None and (alpha, beta) != ciphertext:
            rep.fail(value_check, where, "message is not the ciphertext that was to be decrypted")
        by_guardian: dict[str, dict[str, Any]] = {}
        for sh in shares:
            gid = sh.get("guardian_id")
            if gid not in self.guardians or gid in by_guardian:
                rep.fail(share_check, where, f"share from unknown or repeated guardian {gid!r}")
                continue
            by_guardian[gid] = sh
        missing_ids = sorted(set(self.guardians) - set(by_guardian))
        if missing_ids:
            rep.fail(share_check, where, f"no share for guardian(s) {missing_ids}")
        available = [gid for gid, sh in by_guardian.items() if sh.get("proof") is not None]
        if len(available) < self.quorum:
            rep.fail(share_check, where, f"only {len(available)} guardians decrypted, quorum is {self.quorum}")
        product = mpz(1)
        for gid, sh in sorted(by_guardian.items()):
            gw = f"{where} / guardian {gid}"
            try:
                m_i = parse_p(sh["share"])
            except (KeyError, TypeError, ValueError):
                rep.fail(share_check, gw, "share missing or not hex")
                continue
            product = product * m_i % p
            if sh.get("proof") is not None:
                if sh.get("recovered_parts"):
                    rep.fail(share_check, gw, "share has both a proof and recovered parts")
                problem = cp_problem(g, self.qx, alpha, beta, self.guardians[gid].key, m_i, sh["proof"])
                if problem:
                    rep.fail(share_check, gw, problem)
                else:
                    rep.ok(share_check)
            else:
                self._compensated(gw, gid, m_i, sh.get("recovered_parts"), alpha, beta, available, comp_check)
        # plaintext: B / ∏ M_i = value = g^t
        if not g.in_p_range(product) or beta * gmpy2.invert(product, p) % p != value:
            rep.fail(value_check, where, "value is not B / ∏ M_i")
        elif not isinstance(count, int) or isinstance(count, bool) or not 0 <= count < g.q or gmpy2.powmod(g.g, count, p) != value:
            rep.fail(value_check, where, f"tally {count!r} does not match value (g^t != value)")
        else:
            rep.ok(value_check)

    def _compensated(
        self, gw: str, missing_id: str, m_m: mpz, parts: Any, alpha: mpz, beta: mpz, available: list[str], check: str
    ) -> None:
        rep, g = self.report, self.group
        p = g.p
        if not isinstance(parts, dict) or not parts:
            rep.fail(check, gw, "missing guardian's share has neither a proof nor recovered parts")
            return
        if sorted(parts) != sorted(available):
            rep.fail(check, gw, f"recovered parts from {sorted(parts)} but available guardians are {sorted(available)}")
            return
        missing = self.guardians[missing_id]
        orders = [self.guardians[a].sequence_order for a in available]
        combined = mpz(1)
        ok = True
        for aid, part in sorted(parts.items()):
            pw = f"{gw} / part from guardian {aid}"
            try:
                share, rkey = parse_p(part["share"]), parse_p(part["recovery_key"])
            except (KeyError, TypeError, ValueError):
                rep.fail(check, pw, "part malformed")
                ok = False
                continue
            if part.get("guardian_id", aid) != aid or part.get("missing_guardian_id", missing_id) != missing_id:
                rep.fail(check, pw, "part names the wrong guardian")
                ok = False
            expected_key = recovery_key(g, missing, self.guardians[aid].sequence_order)
            if rkey != expected_key:
                rep.fail(check, pw, "recovery key is not ∏_j K_{m,j}^(ℓ^j)")
                ok = False
            problem = cp_problem(g, self.qx, alpha, beta, expected_key, share, part.get("proof") or {})
            if problem:
                rep.fail(check, pw, problem)
                ok = False
            w = lagrange(g, orders, self.guardians[aid].sequence_order)
            if self.coefficients is not None and self.coefficients.get(aid) != w:
                rep.fail(check, pw, "Lagrange coefficient in coefficients.json is wrong")
                ok = False
            combined = combined * gmpy2.powmod(share, w, p) % p
        if combined != m_m:
            rep.fail(check, gw, "reconstructed share is not ∏ M_{ℓ,m}^w_ℓ")
            ok = False
        if ok:
            rep.ok(check)
        _ = beta
