"""The group, hash and ElGamal foundation that every other module stands on."""

import gmpy2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.crypto.dlog import discrete_log
from evote.crypto.elgamal import ElGamalKeyPair, elgamal_add, elgamal_encrypt
from evote.crypto.errors import InvalidElement
from evote.crypto.group import (
    ElementModP,
    ElementModQ,
    G,
    P,
    Q,
    R,
    g_pow_p,
    hex_to_int,
    int_to_hex,
)
from evote.crypto.hash import hash_elems

# Computed once with electionguard 1.4.0's hash_elems in the Python 3.10 oracle venv.
PINNED_HASH = "66B1CDCFBB7988BEEE33C42A1A11D3D34238977C13B3CE0522F4EE8136A72445"


def test_standard_parameters_are_consistent():
    assert P.bit_length() == 4096
    assert Q == 2**256 - 189
    assert gmpy2.is_prime(P) and gmpy2.is_prime(Q)
    assert (P - 1) % Q == 0 and R == (P - 1) // Q
    assert gmpy2.powmod(G, Q, P) == 1 and G != 1


def test_hash_matches_electionguard_1_4_0():
    h = hash_elems("a", 5, None, [], [ElementModQ.of(3)], ElementModP(G))
    assert h.to_hex() == PINNED_HASH


def test_hash_distinguishes_nesting_and_null():
    assert hash_elems("a", "b") != hash_elems(["a", "b"])
    assert hash_elems(None) == hash_elems([])
    assert hash_elems(None) != hash_elems("")


@pytest.mark.parametrize("value,text", [(0, "00"), (5, "05"), (255, "FF"), (256, "0100")])
def test_hex_format_is_the_packages(value, text):
    assert int_to_hex(value) == text
    assert hex_to_int(text) == value


@pytest.mark.parametrize("bad", ["", "xyz", "12 34", 17])
def test_hex_parsing_refuses_garbage(bad):
    with pytest.raises(InvalidElement):
        hex_to_int(bad)


def test_elements_refuse_out_of_range():
    with pytest.raises(InvalidElement):
        ElementModQ(Q)
    with pytest.raises(InvalidElement):
        ElementModP(P)
    with pytest.raises(InvalidElement):
        ElementModQ(gmpy2.mpz(-1))


def test_subgroup_check_refuses_non_members():
    assert g_pow_p(12345).is_valid_residue()
    for outsider in (P - 1, 2, G * (P - 1) % P):
        with pytest.raises(InvalidElement):
            ElementModP(gmpy2.mpz(outsider)).require_subgroup("test element")
    with pytest.raises(InvalidElement):
        ElementModP(gmpy2.mpz(0)).require_subgroup()


@settings(max_examples=8, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=4),
    st.integers(2, int(Q) - 1),
    st.integers(1, int(Q) - 1),
)
def test_elgamal_is_additively_homomorphic(votes, secret, nonce_base):
    keys = ElGamalKeyPair.from_secret(ElementModQ.of(secret))
    ciphertexts = [
        elgamal_encrypt(v, ElementModQ.of(nonce_base + i), keys.public_key)
        for i, v in enumerate(votes)
    ]
    total = elgamal_add(ciphertexts)
    assert total.decrypt(keys.secret_key, bound=100) == sum(votes)
    nonce_sum = ElementModQ.of(sum(nonce_base + i for i in range(len(votes))))
    assert total.decrypt_known_nonce(keys.public_key, nonce_sum, bound=100) == sum(votes)


def test_encryption_refuses_zero_nonce_and_negative_votes():
    keys = ElGamalKeyPair.from_secret(ElementModQ.of(7))
    with pytest.raises(InvalidElement):
        elgamal_encrypt(1, ElementModQ.of(0), keys.public_key)
    with pytest.raises(ValueError):
        elgamal_encrypt(-1, ElementModQ.of(3), keys.public_key)


def test_discrete_log_is_bounded():
    assert discrete_log(g_pow_p(37).value, 100) == 37
    with pytest.raises(InvalidElement):
        discrete_log(g_pow_p(500).value, 100)
    with pytest.raises(InvalidElement):
        discrete_log(g_pow_p(37).value, 10)
