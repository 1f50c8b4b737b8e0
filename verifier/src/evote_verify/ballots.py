"""Reading one submitted ballot: every check that needs no exponentiation, plus its proof equations.

The expensive part of a ballot, its Chaum-Pedersen proofs and the subgroup test of its
ciphertexts, is not done here. It is collected as data in a ``ParsedBallot`` so that
``proofs.py`` can check thousands of ballots in one batch, or one ballot at a time when a batch
fails and the culprit has to be named.

Spec references (ElectionGuard 1.0): selection proof = disjunctive Chaum-Pedersen over (α, β)
with c = H(Q', α, β, a0, b0, a1, b1); contest proof = constant Chaum-Pedersen over the
product (A, B) of the contest's selections with c = H(Q', A, B, a, b).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gmpy2 import mpz

from .election import ContestSpec, ElectionSpec
from .group import parse_p, to_hex
from .hashing import ciphertext_key, hash_elems, hash_texts
from .report import Report

CAST, SPOILED = 1, 2


@dataclass
class Disjunctive:
    where: str
    alpha: mpz
    beta: mpz
    a0: mpz
    b0: mpz
    a1: mpz
    b1: mpz
    c0: mpz
    c1: mpz
    v0: mpz
    v1: mpz


@dataclass
class Constant:
    where: str
    alpha: mpz
    beta: mpz
    a: mpz
    b: mpz
    c: mpz
    v: mpz
    limit: int
    first: int = 0
    """Index in ParsedBallot.disjunctive of this contest's first selection; A = ∏ of the next
    ``count`` selections' α, so a batch can fold A's exponent into theirs."""
    count: int = 0


@dataclass
class ParsedBallot:
    object_id: str
    state: int
    code: mpz | None = None
    code_seed: mpz | None = None
    timestamp: int | None = None
    crypto_hash: mpz | None = None
    """H(id, manifest hash, contest hashes) as recomputed (V12); what a credential signs (V23)."""
    members: list[tuple[str, str, mpz]] = field(default_factory=list)
    """Ciphertext elements (α, β) as (where, name, value): batch-tested for x^q = 1."""
    commitments: list[tuple[str, str, mpz]] = field(default_factory=list)
    """Proof commitments (a, b): their membership follows from the proof equations in a batch,
    and is tested one by one on the fallback path."""
    disjunctive: list[Disjunctive] = field(default_factory=list)
    constant: list[Constant] = field(default_factory=list)
    ciphertexts: dict[tuple[str, str], tuple[mpz, mpz]] = field(default_factory=dict)
    ciphertext_keys: list[bytes] = field(default_factory=list)
    """Key of every selection's (α, β), placeholders included, for V25 (weeding)."""
    suspect: bool = False
    """True when a cheap element check failed: its proofs then skip the batch."""


class _Bad(Exception):
    """A ballot too malformed to read further; reported under V8."""


def _p(obj: dict[str, Any], key: str, where: str) -> mpz:
    try:
        return parse_p(obj[key])
    except (KeyError, ValueError, TypeError) as exc:
        raise _Bad(f"{where}: field {key!r} missing or not hex") from exc


def _nonce_published(raw: dict[str, Any]) -> bool:
    """A submitted ballot must carry no nonce at any level: a nonce decrypts its ciphertext."""
    if raw.get("nonce") is not None:
        return True
    for c in raw.get("contests") or []:
        if c.get("nonce") is not None or any(s.get("nonce") is not None for s in c.get("ballot_selections") or []):
            return True
    return False


class BallotReader:
    """Cheap checks for ballots of one election; reports into the given Report."""

    def __init__(self, spec: ElectionSpec, report: Report) -> None:
        self.spec = spec
        self.g = spec.group
        self.report = report
        self.qx_hex = to_hex(spec.extended_base_hash)

    def read(self, raw: dict[str, Any], source: str) -> ParsedBallot | None:
        try:
            return self._read(raw, source)
        except _Bad as exc:
            self.report.fail("V8", source, f"malformed ballot: {exc}")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.report.fail("V8", source, f"malformed ballot: {type(exc).__name__} {exc}")
        return None

    def _elements(self, pb: ParsedBallot, where: str, p_elems: dict[str, mpz], q_elems: dict[str, mpz]) -> bool:
        """V9 without exponentiation: ranges. Subgroup membership and Legendre symbols are batched."""
        g = self.g
        p, q = g.p, g.q
        if all(0 < x < p for x in p_elems.values()) and all(0 <= x < q for x in q_elems.values()):
            self.report.ok("V9")
            return True
        for name, x in p_elems.items():
            if not g.in_p_range(x):
                self.report.fail("V9", f"{where} {name}", "not in range 1..p-1")
        for name, x in q_elems.items():
            if not g.in_q_range(x):
                self.report.fail("V9", f"{where} {name}", "not in range 0..q-1")
        pb.suspect = True
        return False

    def _read(self, raw: dict[str, Any], source: str) -> ParsedBallot:
        spec, rep = self.spec, self.report
        bid = raw["object_id"]
        if not isinstance(bid, str):
            raise _Bad("object_id is not a string")
        pb = ParsedBallot(bid, int(raw.get("state", 0)))
        where_b = f"ballot {bid}"
        # V8: the ballot belongs to this election and carries exactly its style's contests
        structure_ok = True
        if _p(raw, "manifest_hash", where_b) != spec.manifest_hash:
            rep.fail("V8", where_b, "manifest_hash differs from the context's")
            structure_ok = False
        style = raw.get("style_id")
        expected = spec.styles.get(style) if isinstance(style, str) else None
        if expected is None:
            rep.fail("V8", where_b, f"unknown ballot style {style!r}")
            raise _Bad("unknown style")
        contests = raw["contests"]
        got_ids = [c["object_id"] for c in contests]
        if sorted(got_ids) != sorted(expected):
            rep.fail("V8", where_b, f"contests {sorted(got_ids)} but style {style} has {sorted(expected)}")
            structure_ok = False
        if _nonce_published(raw):
            rep.fail("V8", where_b, "ballot publishes an encryption nonce, which would reveal the vote")
            structure_ok = False
        if pb.state not in (CAST, SPOILED):
            rep.fail("V8", where_b, f"state {pb.state} is neither CAST (1) nor SPOILED (2)")
            structure_ok = False
        contest_hashes: list[tuple[int, mpz]] = []
        for c in contests:
            cspec = spec.contests.get(c["object_id"])
            if cspec is None:
                rep.fail("V8", f"{where_b} / contest {c['object_id']}", "contest not in the manifest")
                structure_ok = False
                continue
            h, ok = self._contest(pb, c, cspec, where_b)
            structure_ok = structure_ok and ok
            contest_hashes.append((int(c["sequence_order"]), h))
        if structure_ok:
            rep.ok("V8")
        # V12: ballot hash and tracking code
        contest_hashes.sort(key=lambda t: t[0])
        ballot_hash = hash_elems(bid, spec.manifest_hash, *[h for _, h in contest_hashes])
        pb.crypto_hash = ballot_hash
        pb.code = _p(raw, "code", where_b)
        pb.code_seed = _p(raw, "code_seed", where_b)
        ts = raw.get("timestamp")
        pb.timestamp = ts if isinstance(ts, int) else None
        hash_ok = True
        if _p(raw, "crypto_hash", where_b) != ballot_hash:
            rep.fail("V12", where_b, "ballot crypto_hash is not H(id, manifest hash, contest hashes)")
            hash_ok = False
        if pb.timestamp is None:
            rep.fail("V12", where_b, "timestamp missing or not an integer")
            hash_ok = False
        elif pb.code != hash_elems(pb.code_seed, pb.timestamp, ballot_hash):
            rep.fail("V12", where_b, "tracking code is not H(code_seed, timestamp, ballot hash)")
            hash_ok = False
        if hash_ok:
            rep.ok("V12")
        return pb

    def _contest(self, pb: ParsedBallot, c: dict[str, Any], cspec: ContestSpec, where_b: str) -> tuple[mpz, bool]:
        rep, g = self.report, self.g
        p, q = g.p, g.q
        where_c = f"{where_b} / contest {cspec.object_id}"
        ok = True
        if _p(c, "description_hash", where_c) != cspec.description_hash:
            rep.fail("V8", where_c, "description_hash differs from the manifest's contest")
            ok = False
        if int(c["sequence_order"]) != cspec.sequence_order:
            rep.fail("V8", where_c, "sequence_order differs from the manifest")
            ok = False
        sels = c["ballot_selections"]
        by_id = {s.object_id: s for s in cspec.selections}
        got = [s["object_id"] for s in sels]
        if sorted(got) != sorted(by_id) or len(set(got)) != len(got):
            rep.fail("V8", where_c, f"selections {sorted(got)} but manifest (with placeholders) has {sorted(by_id)}")
            ok = False
        acc_a, acc_b = mpz(1), mpz(1)
        first = len(pb.disjunctive)
        sel_hashes: list[tuple[int, mpz]] = []
        for s in sels:
            sid = s["object_id"]
            where_s = f"{where_c} / selection {sid}"
            sspec = by_id.get(sid)
            dh = _p(s, "description_hash", where_s)
            if sspec is not None and (dh != sspec.description_hash or s.get("is_placeholder_selection") is not sspec.placeholder):
                rep.fail("V8", where_s, "description_hash or placeholder flag differs from the manifest")
                ok = False
            ct, pr = s["ciphertext"], s["proof"]
            alpha, beta = _p(ct, "pad", where_s), _p(ct, "data", where_s)
            d = Disjunctive(
                where_s, alpha, beta,
                _p(pr, "proof_zero_pad", where_s), _p(pr, "proof_zero_data", where_s),
                _p(pr, "proof_one_pad", where_s), _p(pr, "proof_one_data", where_s),
                _p(pr, "proof_zero_challenge", where_s), _p(pr, "proof_one_challenge", where_s),
                _p(pr, "proof_zero_response", where_s), _p(pr, "proof_one_response", where_s),
            )
            c_all = _p(pr, "challenge", where_s)
            self._elements(
                pb, where_s,
                {"α (pad)": alpha, "β (data)": beta, "a0": d.a0, "b0": d.b0, "a1": d.a1, "b1": d.b1},
                {"c": c_all, "c0": d.c0, "c1": d.c1, "v0": d.v0, "v1": d.v1},
            )
            texts = [self.qx_hex, to_hex(alpha), to_hex(beta), to_hex(d.a0), to_hex(d.b0), to_hex(d.a1), to_hex(d.b1)]
            if (d.c0 + d.c1) % q != c_all or hash_texts(texts) != c_all:
                rep.fail("V10", where_s, "challenge is not c0 + c1 = H(Q', α, β, a0, b0, a1, b1)")
                pb.suspect = True
            pb.members += [(where_s, "α (pad)", alpha), (where_s, "β (data)", beta)]
            pb.commitments += [(where_s, "a0", d.a0), (where_s, "b0", d.b0), (where_s, "a1", d.a1), (where_s, "b1", d.b1)]
            pb.disjunctive.append(d)
            if sspec is not None and not sspec.placeholder:
                pb.ciphertexts[(cspec.object_id, sid)] = (alpha, beta)
            acc_a, acc_b = acc_a * alpha % p, acc_b * beta % p
            ct_hash = hash_texts(texts[1:3])
            pb.ciphertext_keys.append(ciphertext_key(ct_hash))
            sh = hash_elems(sid, dh, ct_hash)
            if _p(s, "crypto_hash", where_s) != sh:
                rep.fail("V12", where_s, "selection crypto_hash is not H(id, description hash, H(α, β))")
            sel_hashes.append((int(s["sequence_order"]), sh))
        # V11: the contest's accumulation and its selection-limit proof
        pr = c["proof"]
        acc = c.get("ciphertext_accumulation") or {}
        a, b = _p(pr, "pad", where_c), _p(pr, "data", where_c)
        cc, v = _p(pr, "challenge", where_c), _p(pr, "response", where_c)
        self._elements(pb, f"{where_c} limit proof", {"a": a, "b": b}, {"c": cc, "v": v})
        limit = pr.get("constant")
        if not acc or _p(acc, "pad", where_c) != acc_a or _p(acc, "data", where_c) != acc_b:
            rep.fail("V11", where_c, "ciphertext_accumulation is not the product of the selections")
            pb.suspect = True
        if limit != cspec.limit:
            rep.fail("V11", where_c, f"proof is for limit {limit}, manifest says {cspec.limit}")
            pb.suspect = True
        if cc != hash_elems(self.spec.extended_base_hash, acc_a, acc_b, a, b):
            rep.fail("V11", where_c, "challenge is not H(Q', A, B, a, b)")
            pb.suspect = True
        pb.commitments += [(where_c, "limit proof a", a), (where_c, "limit proof b", b)]
        pb.constant.append(Constant(where_c, acc_a, acc_b, a, b, cc, v, cspec.limit, first, len(pb.disjunctive) - first))
        sel_hashes.sort(key=lambda t: t[0])
        ch = hash_elems(cspec.object_id, cspec.description_hash, *[h for _, h in sel_hashes])
        if _p(c, "crypto_hash", where_c) != ch:
            rep.fail("V12", where_c, "contest crypto_hash is not H(id, description hash, selection hashes)")
        return ch, ok

