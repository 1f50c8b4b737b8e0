"""Batch verification of proof claims: many equations and memberships for the price of a few.

`BatchChecker` evaluates the same `Claims` as `equations.SequentialChecker` (the plain path,
one powmod per power) and refuses what it refuses, except with probability at most 2^-ℓ per
`check` call, ℓ = `weight_bits` (default 64).  (It also refuses a non-residue used as a base
of an equation without a membership claim, which the plain path would let an equation carry.)
It costs a few multi-exponentiations with mostly ℓ-bit exponents instead of two to fifteen
full powmods per proof.  `Claims.products` (a contest's accumulated ciphertext as the product
of its selections) are recomputed and then expanded: (∏ α_i)^c becomes ∏ α_i^c, the same
equation, whose powers fold into the selections' own.

The group.  p − 1 = 2·q·r' with q (256 bits) and r' = r/2 (~3,840 bits) both prime (checked
with `gmpy2.is_prime` in the tests).  So Z_p^* is cyclic of order 2·q·r' and splits as
C_2 × G_q × G_r'; the quadratic residues QR_p (Jacobi symbol (x|p) = 1) are G_q × G_r', of odd
order q·r'.  Every weight w below is drawn uniformly from [0, 2^ℓ), and 2^ℓ < q < r'.

What is checked, given the claims (membership claims S, equations z_j := lhs_j / rhs_j = 1):
  0. every element that occurs (a base that is not fixed, or a claimed member) lies in (0, p)
     and has Jacobi symbol +1, one element at a time (~15 µs each);
  1. M^q = 1 for M = ∏_{x ∈ S'} x^(u_x), S' ⊆ S (see 3), random ℓ-bit u_x;
  2. ∏_j z_j^(w_j) = 1 with random ℓ-bit w_j, all powers of g and of the fixed keys folded into
     one fixed-base power each, exponents of S' and fixed bases reduced mod q, all other
     exponents kept exact;
  3. a claimed element x is left out of S' ("discharged") when some equation contains x in
     exactly one term, with exponent e in [1, q), and every other base of that equation is
     fixed (g, a key whose membership was checked when its table was built) or in S'.

Why that is sound (error ≤ 2^-ℓ):
  (a) Some x ∈ S' is outside G_q.  By 0, x ∈ QR_p, so y = x^q ≠ 1 lies in G_r', of prime order
      r'.  Write each x_i^q = h^(t_i) for a generator h of G_r'; step 1 passes iff
      Σ u_i·t_i ≡ 0 (mod r').  Fixing all other weights, at most one residue of u_x mod r'
      satisfies this, and u_x takes 2^ℓ < r' distinct values: probability ≤ 2^-ℓ.
  (b) S' ⊆ G_q, but some equation fails.  Then the exponent reductions in 2 are exact (they
      touch only elements of order q), so step 2 computes ∏ z_j^(w_j) with z_j ∈ QR_p by 0.
      Some z_k ≠ 1 has a non-trivial component in G_q or in G_r', both of prime order > 2^ℓ;
      in that component the product is 1 iff Σ w_j·t_j ≡ 0, at most one value of w_k:
      probability ≤ 2^-ℓ.
  (c) S' ⊆ G_q and every equation holds exactly.  A discharged x satisfies x^e = (product of
      powers of elements of G_q), so x^e ∈ G_q; x ∈ QR_p = G_q × G_r' and r' ∤ e (0 < e < q <
      r'), so x's G_r' component is trivial: x ∈ G_q.  Every claim is true.
  Each failure is caught by one of (a), (b) on its own, so the total error is ≤ 2^-ℓ.

Why step 0 cannot be dropped: without it the batch is naive and unsound.  p ≡ 3 (mod 4), so
−1 = p − 1 has order 2 and is a non-residue; (−1)^q = −1, so M^q = (−1)^(u_x)·… passes whenever
u_x is even, for half of all weight choices.  The same holds for −g (order 2q) and for an
equation off by a factor −1.  Any element of even order is a non-residue, and step 0 refuses it.

Weights: ℓ = 64 by default (64 ≤ ℓ ≤ 192 allowed; pass 128 for the cautious setting).
For truly random weights the bound is statistical: it holds per call against an attacker
with unlimited computing power who does not know the weights.  Here they are SHAKE-256 of a
caller-given seed (the crypto core draws no randomness itself: pass `secrets.token_bytes(32)`),
a domain tag and a call counter, so the bound holds as long as SHAKE-256 output from a secret
256-bit seed cannot be told from random.  The seed is drawn after the ballot arrived, so a
forger cannot grind offline: each try is one submitted ballot, refused and logged with
probability ≥ 1 − 2^-64.  A million forged ballots would pass with probability below 10^-13,
far under the chance of a hardware fault corrupting the plain check.  ℓ = 128 costs about a
quarter more time (ℓ-bit exponents are about 40% of the work); the benchmark prints both.

On failure the claims are re-checked one at a time by `SequentialChecker`, so the error names
the failing claim, exactly as the plain path would.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from hashlib import shake_256

import gmpy2
from gmpy2 import mpz

from .equations import Claims, Equation, Membership, SequentialChecker
from .errors import InvalidElement, InvalidProof
from .fastexp import FixedBaseTable, fixed_base, multiexp
from .group import ElementModP, G, P, Q

DEFAULT_WEIGHT_BITS = 64
_DOMAIN = b"evote/batch-weights/v1\x00"


def _as_mpz(x: ElementModP | mpz | int) -> mpz:
    return x.value if isinstance(x, ElementModP) else mpz(x)


class BatchChecker:
    """Checks `Claims` with random linear combinations (see the module docstring).

    `fixed_bases` are elements known to be in the order-q subgroup whose powers recur in
    every proof: the joint key K, guardian keys K_i.  Each gets a cached fixed-base table
    (membership is checked once, when the table is built); g always has one.
    """

    def __init__(
        self,
        seed: bytes,
        *,
        fixed_bases: Iterable[ElementModP | mpz | int] = (),
        weight_bits: int = DEFAULT_WEIGHT_BITS,
    ) -> None:
        if not 64 <= weight_bits <= 192:
            raise ValueError("weight_bits must be between 64 and 192")
        if len(seed) < 16:
            raise ValueError("the weight seed needs at least 16 random bytes")
        self._seed = bytes(seed)
        self._weight_bits = weight_bits
        self._calls = 0
        self._fixed: dict[mpz, FixedBaseTable] = {G: fixed_base(G)}
        for base in fixed_bases:
            value = _as_mpz(base)
            try:
                self._fixed[value] = fixed_base(value)
            except ValueError:
                raise InvalidElement(
                    "a fixed base (public key) is not in the order-q subgroup"
                ) from None

    def _weights(self, count: int) -> list[mpz]:
        size = (self._weight_bits + 7) // 8
        self._calls += 1
        stream = shake_256(_DOMAIN + self._calls.to_bytes(8, "big") + self._seed).digest(
            size * count
        )
        mask = (1 << self._weight_bits) - 1
        return [
            mpz(int.from_bytes(stream[i * size : (i + 1) * size], "big") & mask)
            for i in range(count)
        ]

    def check(self, claims: Claims) -> None:
        """Raise `InvalidElement`/`InvalidProof` naming a failing claim, else return."""
        failed = self._evaluate(claims)
        if failed is None:
            return
        SequentialChecker().check(claims)
        error = InvalidElement if failed == "membership" else InvalidProof
        raise error(f"batch {failed} check failed; no single claim fails")

    def holds(self, claims: Claims) -> bool:
        """Whether every claim holds (error ≤ 2^-ℓ), without naming a failure.

        For callers that narrow a failing batch down themselves (bisection over many ballots):
        a failure then costs no more than a success, where `check` would run the plain path
        over every claim to name one.
        """
        try:
            return self._evaluate(claims) is None
        except InvalidElement:  # step 0 refused an element
            return False

    def _evaluate(self, claims: Claims) -> str | None:
        """Steps 0-3; None if all holds, else which batched check failed.  Step 0 raises
        `InvalidElement` naming the element, which is as cheap as returning."""
        if not claims.equations and not claims.members:
            return None
        fixed = self._fixed
        members: dict[mpz, str] = {}
        for m in claims.members:
            members.setdefault(m.element, m.what)
        equations = _expand_products(claims, fixed)
        _require_residues(claims.members, equations, fixed)
        checked = _members_to_check(equations, members, fixed)

        weights = self._weights(len(equations) + len(checked))
        # step 1: one powmod to q of a random product of the members that need checking
        if checked:
            m_pairs = list(zip(checked, weights[len(equations) :], strict=True))
            if gmpy2.powmod(multiexp(m_pairs), Q, P) != 1:
                return "membership"

        # step 2: ∏ z_j^(w_j) = 1, folded per base
        reducible: dict[mpz, mpz] = {}  # net exponent mod q (fixed bases and checked members)
        exact_lhs: dict[mpz, mpz] = {}
        exact_rhs: dict[mpz, mpz] = {}
        checked_set = set(checked)
        for eq, w in zip(equations, weights, strict=False):
            for side, sign in ((eq.lhs, 1), (eq.rhs, -1)):
                for base, e in side:
                    if e < 0:
                        raise ValueError(f"{eq.what}: negative exponent in a claim")
                    if base in fixed or base in checked_set:
                        reducible[base] = reducible.get(base, 0) + sign * w * e
                    else:
                        acc = exact_lhs if sign > 0 else exact_rhs
                        acc[base] = acc.get(base, 0) + w * e
        # Members go to the right-hand side (where proofs put their commitments), so almost
        # everything lands in one multi-exponentiation; g and the keys use their tables.
        lhs: list[tuple[mpz, mpz]] = []
        rhs: list[tuple[mpz, mpz]] = []
        fixed_acc = mpz(1)
        for base, e in reducible.items():
            table = fixed.get(base)
            if table is not None:
                e %= Q
                if e:
                    fixed_acc = fixed_acc * table.pow(e) % P
            else:
                e = -e % Q
                if e:
                    rhs.append((base, e))
        for base in exact_lhs.keys() | exact_rhs.keys():
            net = exact_lhs.get(base, 0) - exact_rhs.get(base, 0)
            if net > 0:
                lhs.append((base, net))
            elif net < 0:
                rhs.append((base, -net))
        if fixed_acc * multiexp(lhs) % P != multiexp(rhs):
            return "equation"
        return None


class DeferredChecker:
    """Collects the claims of many `check` calls and verifies them together in `verify()`.

    For code that checks proof by proof (every decryption share of a tally, every guardian
    record) but should pay for one batch: pass it as `checker=`, and call `verify()` before
    anything computed meanwhile is used.  `deferred()` does that by construction.
    """

    def __init__(self, inner: BatchChecker) -> None:
        self._inner = inner
        self._claims = Claims()

    def check(self, claims: Claims) -> None:
        self._claims.extend(claims)

    def verify(self) -> None:
        claims, self._claims = self._claims, Claims()
        self._inner.check(claims)


@contextmanager
def deferred(inner: BatchChecker) -> Iterator[DeferredChecker]:
    """`with deferred(BatchChecker(seed, fixed_bases=keys)) as checker: result = f(checker=checker)`

    The claims are verified when the block ends; if they fail, the block's results must not
    be used, and the exception (naming the failing claim) makes sure they are not.
    """
    checker = DeferredChecker(inner)
    yield checker
    checker.verify()


def _expand_products(claims: Claims, fixed: dict[mpz, FixedBaseTable]) -> list[Equation]:
    """The equations with every power x^e of a known product x = ∏ f_i written as ∏ f_i^e.

    The same group equations, so the same verdict; but the factors (selection ciphertexts)
    already occur with their own exponents, so a contest's constant proof costs almost no
    extra work.  A product is used only after it is recomputed here (k multiplications).
    """
    products = claims.products
    if not products:
        return claims.equations
    verified: dict[mpz, bool] = {}

    def usable(x: mpz) -> bool:
        if x in fixed or x not in products:
            return False
        ok = verified.get(x)
        if ok is None:
            acc = mpz(1)
            for f in products[x]:
                acc = acc * f % P
            ok = verified[x] = acc == x
        return ok

    def expand(side: tuple[tuple[mpz, mpz], ...]) -> tuple[tuple[mpz, mpz], ...]:
        out: list[tuple[mpz, mpz]] = []
        for base, e in side:
            if usable(base):
                out.extend((f, e) for f in products[base])
            else:
                out.append((base, e))
        return tuple(out)

    expanded = []
    for eq in claims.equations:
        if any(b in products for b, _ in (*eq.lhs, *eq.rhs)):
            eq = Equation(expand(eq.lhs), expand(eq.rhs), eq.what)
        expanded.append(eq)
    return expanded


def _require_residues(
    members: list[Membership], equations: list[Equation], fixed: dict[mpz, FixedBaseTable]
) -> None:
    """Step 0: range and Jacobi symbol of every element, so no element has even order."""
    seen: set[mpz] = set(fixed)
    for m in members:
        x = m.element
        if x not in seen:
            if not (0 < x < P) or gmpy2.jacobi(x, P) != 1:
                raise InvalidElement(f"{m.what} is not in the order-q subgroup of Z_p*")
            seen.add(x)
    for eq in equations:
        for base, _ in (*eq.lhs, *eq.rhs):
            if base not in seen:
                if not (0 < base < P) or gmpy2.jacobi(base, P) != 1:
                    raise InvalidElement(
                        f"{eq.what}: an element is not in the order-q subgroup of Z_p*"
                    )
                seen.add(base)


def _members_to_check(
    equations: list[Equation], members: dict[mpz, str], fixed: dict[mpz, FixedBaseTable]
) -> list[mpz]:
    """Step 3: the claimed members that need the batched q-th power (S' in the docstring).

    Candidates occurring in fewer equations go first (proof commitments, usually in one), and
    an element used to discharge another is pinned into S' so the argument never goes round
    in a circle.
    """
    occurrences: dict[mpz, list[Equation]] = {x: [] for x in members if x not in fixed}
    for eq in equations:
        for base, _ in (*eq.lhs, *eq.rhs):
            found = occurrences.get(base)
            if found is not None and (not found or found[-1] is not eq):
                found.append(eq)
    pinned: set[mpz] = set()
    discharged: set[mpz] = set()
    for x in sorted(occurrences, key=lambda v: len(occurrences[v])):
        if x in pinned:
            continue
        for eq in occurrences[x]:
            terms = (*eq.lhs, *eq.rhs)
            own = [e for b, e in terms if b == x]
            if len(own) != 1 or not 0 < own[0] < Q:
                continue
            others = [b for b, _ in terms if b != x and b not in fixed]
            if all(b in members and b not in discharged for b in others):
                discharged.add(x)
                pinned.update(others)
                break
    return [x for x in occurrences if x not in discharged]


__all__ = ["DEFAULT_WEIGHT_BITS", "BatchChecker", "DeferredChecker", "deferred"]
