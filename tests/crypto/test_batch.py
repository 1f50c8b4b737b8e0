"""The batch checker accepts what the plain checker accepts and refuses what it refuses,
naming the same claim, including elements that a naive batch would let through."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import gmpy2
import pytest
from gmpy2 import mpz
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.crypto.batch import BatchChecker, _expand_products, _members_to_check, deferred
from evote.crypto.chaum_pedersen import (
    make_constant_chaum_pedersen,
    make_disjunctive_chaum_pedersen,
)
from evote.crypto.elgamal import ElGamalKeyPair, elgamal_add, elgamal_encrypt
from evote.crypto.equations import Claims, SequentialChecker, term
from evote.crypto.errors import InvalidElement, InvalidProof
from evote.crypto.group import ElementModP, ElementModQ, G, P, Q, R, add_q
from evote.voting.check_pool import CheckPool, check_chunk

KEY = ElGamalKeyPair.from_secret(ElementModQ.of(0x5EC2E7))
K = KEY.public_key
QBAR = ElementModQ.of(0xBA5E)
SEEDS = [bytes([i]) * 32 for i in range(12)]

MINUS_ONE = mpz(P - 1)
"""Order 2."""
MINUS_G = mpz(P - G)
"""−g: order 2q."""
ORDER_R = gmpy2.powmod(3, 2 * Q, P)
"""A quadratic residue of order r/2: passes the Jacobi test, fails x^q = 1."""


def test_the_group_has_the_structure_the_soundness_argument_needs() -> None:
    """p − 1 = 2·q·(r/2) with q and r/2 prime, and p ≡ 3 (mod 4), so −1 is a non-residue."""
    assert P - 1 == 2 * Q * (R // 2)
    assert all(gmpy2.is_prime(n, 8) for n in (P, Q, R // 2))
    assert P % 4 == 3 and gmpy2.jacobi(MINUS_ONE, P) == -1
    assert gmpy2.jacobi(ORDER_R, P) == 1 and gmpy2.powmod(ORDER_R, Q, P) != 1
    assert gmpy2.powmod(ORDER_R, R // 2, P) == 1


def ballot_claims(votes: list[int], limit: int) -> list[tuple[str, Claims]]:
    """Claims of one contest: a disjunctive proof per selection, a constant proof for the sum."""
    out = []
    ciphertexts = []
    nonces = []
    for i, v in enumerate(votes):
        nonce = ElementModQ.of(1000 + i)
        ct = elgamal_encrypt(v, nonce, K)
        proof = make_disjunctive_chaum_pedersen(ct, nonce, K, QBAR, ElementModQ.of(7 + i), v)
        out.append((f"selection {i}", proof, ct))
        ciphertexts.append(ct)
        nonces.append(nonce)
    total = elgamal_add(ciphertexts)
    constant = make_constant_chaum_pedersen(
        total, limit, add_q(*nonces), K, ElementModQ.of(99), QBAR
    )
    claims = [(what, p.claims(ct, K, QBAR, what)) for what, p, ct in out]
    contest_claims = constant.claims(
        total, K, QBAR, "contest constant proof", check_ciphertext=False
    )
    contest_claims.product(total.pad, [c.pad for c in ciphertexts])
    contest_claims.product(total.data, [c.data for c in ciphertexts])
    claims.append(("contest", contest_claims))
    return claims


VOTES = [1, 0, 1, 0]
CLAIMS = ballot_claims(VOTES, 2)


def merged(parts: list[tuple[str, Claims]]) -> Claims:
    together = Claims()
    for _, c in parts:
        together.extend(c)
    return together


def checker(seed: bytes = SEEDS[0], **kw: object) -> BatchChecker:
    return BatchChecker(seed, fixed_bases=[K], **kw)  # type: ignore[arg-type]


def test_valid_proofs_pass_both_checkers() -> None:
    claims = merged(CLAIMS)
    SequentialChecker().check(claims)
    for seed in SEEDS[:3]:
        checker(seed).check(claims)
    checker(weight_bits=128).check(claims)
    BatchChecker(SEEDS[1]).check(claims)  # K without a table: exact exponents, same verdict


def test_one_wrong_response_among_many_is_refused_and_named() -> None:
    from evote.crypto.chaum_pedersen import make_disjunctive_chaum_pedersen as make

    nonce = ElementModQ.of(5555)
    ct = elgamal_encrypt(1, nonce, K)
    proof = make(ct, nonce, K, QBAR, ElementModQ.of(3), 1)
    # v1 is not hashed, so the challenge still matches; only the group equation breaks
    bad = replace(proof, proof_one_response=proof.proof_one_response + ElementModQ.of(1))
    parts = [*CLAIMS[:3], ("forged", bad.claims(ct, K, QBAR, "forged selection")), *CLAIMS[3:]]
    claims = merged(parts)
    with pytest.raises(InvalidProof) as plain:
        SequentialChecker().check(claims)
    for seed in SEEDS[:2]:
        with pytest.raises(InvalidProof) as batched:
            checker(seed).check(claims)
        assert "forged selection" in str(batched.value)
        assert str(batched.value) == str(plain.value)


def naive_membership_batch(elements: list[mpz], weights: list[int]) -> bool:
    """The tempting shortcut without a per-element residue test: (∏ x^u)^q = 1."""
    acc = mpz(1)
    for x, u in zip(elements, weights, strict=True):
        acc = acc * gmpy2.powmod(x, u, P) % P
    return gmpy2.powmod(acc, Q, P) == 1


@pytest.mark.parametrize(("name", "bad"), [("p − 1", MINUS_ONE), ("−g", MINUS_G)])
def test_even_order_elements_pass_a_naive_batch_but_not_this_one(name: str, bad: mpz) -> None:
    good = [gmpy2.powmod(G, 11 + i, P) for i in range(5)]
    # with an even weight on the bad element the naive batch accepts: half of all weights
    assert naive_membership_batch([*good, bad], [3, 5, 7, 9, 11, 2])
    claims = Claims()
    for i, x in enumerate(good):
        claims.member(ElementModP(x), f"element {i}")
    claims.member(ElementModP(bad), f"the element {name}")
    for seed in SEEDS:
        with pytest.raises(InvalidElement, match=f"the element {name}"):
            checker(seed).check(claims)


def test_an_equation_off_by_minus_one_is_refused() -> None:
    """g^v = a·K^c with a replaced by −a: a naive equation batch accepts it for even weights."""
    a = gmpy2.powmod(G, 77, P)
    c, s = mpz(5), mpz(0x5EC2E7)
    v = (77 + c * s) % Q
    claims = Claims()
    claims.equation([term(G, v)], [term(a, 1), term(K, c)], "true equation")
    claims.equation([term(G, v)], [term(P - a, 1), term(K, c)], "equation with −a")
    for seed in SEEDS:
        with pytest.raises(InvalidElement, match="equation with −a"):
            checker(seed).check(claims)


def test_a_residue_outside_the_subgroup_is_refused() -> None:
    claims = Claims()
    claims.member(ElementModP(gmpy2.powmod(G, 5, P)), "good element")
    claims.member(ElementModP(ORDER_R * gmpy2.powmod(G, 5, P) % P), "order q·r' element")
    for seed in SEEDS[:4]:
        with pytest.raises(InvalidElement, match="order q·r' element"):
            checker(seed).check(claims)


def test_a_commitment_of_wrong_order_is_refused_although_not_checked_on_its_own() -> None:
    """a0 is discharged by g^v0 = a0·α^c0; a commitment times an element of order r' breaks
    the equation, and the batch sees it."""
    _, proof_claims = CLAIMS[0]
    eq = proof_claims.equations[0]
    (a0, one), alpha_term = eq.rhs
    tampered = Claims(list(proof_claims.equations), list(proof_claims.members))
    tampered.equations[0] = replace(eq, rhs=((a0 * ORDER_R % P, one), alpha_term))
    for seed in SEEDS[:4]:
        with pytest.raises(InvalidProof, match="g\\^v0 = a0"):
            checker(seed).check(tampered)


def test_commitments_are_discharged_and_only_ciphertexts_checked() -> None:
    claims = merged(CLAIMS)
    fixed = {G: None, K.value: None}
    members = {m.element: m.what for m in claims.members}
    equations = _expand_products(claims, fixed)  # type: ignore[arg-type]
    checked = _members_to_check(equations, members, fixed)  # type: ignore[arg-type]
    assert {members[x].split(": ")[-1].split(" ")[0] for x in checked} == {"ciphertext"}
    assert len(checked) == 2 * len(VOTES)
    # without the products, the contest's α, β are bases of their own and a, b need checking
    checked = _members_to_check(claims.equations, members, fixed)  # type: ignore[arg-type]
    assert len(checked) == 2 * len(VOTES) + 2


def test_a_false_product_record_changes_no_verdict() -> None:
    """Products are recomputed before use; a wrong one is ignored, not believed."""
    claims = merged(CLAIMS)
    total = next(iter(claims.products))
    claims.products[total] = (mpz(G),)
    checker().check(claims)
    forged = merged(ballot_claims([1, 0], 2))  # constant proof for 2, sum is 1
    forged.products = {x: (mpz(G),) for x in forged.products}
    with pytest.raises(InvalidProof, match="constant proof"):
        checker().check(forged)


def test_two_claimed_elements_cannot_vouch_for_each_other() -> None:
    """x = y with both outside the subgroup: one of them must still be checked."""
    x = ElementModP(ORDER_R)
    claims = Claims()
    claims.member(x, "x")
    claims.member(ElementModP(ORDER_R), "y")
    claims.equation([term(x, 1)], [term(ORDER_R, 1)], "x = y")
    for seed in SEEDS[:4]:
        with pytest.raises(InvalidElement):
            checker(seed).check(claims)


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        BatchChecker(b"short")
    with pytest.raises(ValueError):
        BatchChecker(SEEDS[0], weight_bits=32)
    with pytest.raises(InvalidElement):
        BatchChecker(SEEDS[0], fixed_bases=[MINUS_ONE])


@cache
def _contests() -> list[Claims]:
    good = merged(ballot_claims([1, 0], 1))
    bad = merged(ballot_claims([1, 0], 2))  # the constant proof claims 2 votes, there is 1
    return [good, good, bad, good]


def contest(index: int) -> Claims:
    """A picklable item → claims function (workers import this module): item 2 is forged."""
    return _contests()[index]


def test_chunks_name_the_bad_item_and_accept_the_others() -> None:
    verdicts = check_chunk([0, 1, 2, 3], contest, SEEDS[0], [int(K.value)])
    assert [v is None for v in verdicts] == [True, True, False, True]
    assert isinstance(verdicts[2], InvalidProof)


def test_a_pool_of_two_processes_gives_the_same_verdicts() -> None:
    with CheckPool(2, [K]) as pool:
        verdicts = pool.check_many([0, 1, 2, 3], contest, SEEDS[1])
    assert [v is None for v in verdicts] == [True, True, False, True]
    with CheckPool(1, [K]) as pool:
        assert pool.check_many([0, 1, 3], contest, SEEDS[2]) == [None, None, None]


def test_deferred_checks_everything_at_the_end_and_names_the_bad_claim() -> None:
    forged = merged(ballot_claims([1, 0], 2))
    with pytest.raises(InvalidProof, match="constant proof"), deferred(checker()) as c:
        c.check(merged(CLAIMS))
        c.check(forged)  # nothing raised yet: the block's results are never used
        reached_end_of_block = True
    assert reached_end_of_block
    with deferred(checker()) as c:
        c.check(merged(CLAIMS))


TAMPERINGS = [
    "none",
    "wrong response",
    "commitment of order r'",
    "negated commitment",
    "bad member",
]


@settings(max_examples=10, deadline=None)
@given(
    st.lists(st.integers(2, 2**64), min_size=1, max_size=5),
    st.lists(st.sampled_from(TAMPERINGS), min_size=5, max_size=5),
    st.binary(min_size=16, max_size=16),
)
def test_batch_and_plain_refuse_the_same_claims(
    secrets_: list[int], tamper: list[str], seed: bytes
) -> None:
    """Schnorr-shaped claims g^v = t·x^c with random tampering: both checkers refuse exactly the
    same sets, and the batch names one of the claims the plain checker would name."""
    claims = Claims()
    bad_labels = set()
    for i, a in enumerate(secrets_):
        x = gmpy2.powmod(G, a, P)
        u, c = mpz(a * 7 + i) % Q, mpz(a * 3 + 1) % Q
        t = gmpy2.powmod(G, u, P)
        v = (u + c * a) % Q
        kind = tamper[i]
        if kind == "wrong response":
            v = (v + 1) % Q
        elif kind == "commitment of order r'":
            t = t * ORDER_R % P
        elif kind == "negated commitment":
            t = P - t
        elif kind == "bad member":
            x = x * ORDER_R % P
        if kind != "none":
            bad_labels.add(f"claim {i}")
        claims.member(ElementModP(x), f"claim {i}: x")
        claims.equation([term(G, v)], [term(t, 1), term(x, c)], f"claim {i}: g^v = t·x^c")
    try:
        SequentialChecker().check(claims)
        plain_refused = False
    except (InvalidElement, InvalidProof):
        plain_refused = True
    assert plain_refused == bool(bad_labels)
    if not bad_labels:
        checker(seed * 2).check(claims)
        return
    with pytest.raises((InvalidElement, InvalidProof)) as batched:
        checker(seed * 2).check(claims)
    assert any(label in str(batched.value) for label in bad_labels)
