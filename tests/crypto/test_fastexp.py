"""Fixed-base tables and multi-exponentiation give exactly what one powmod per power gives."""

from __future__ import annotations

import gmpy2
import pytest
from gmpy2 import mpz
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.crypto import fastexp
from evote.crypto.fastexp import FixedBaseTable, fixed_base, g_pow, multiexp
from evote.crypto.group import G, P, Q

FEW = settings(max_examples=12, deadline=None)
elements = st.integers(min_value=1, max_value=int(P) - 1).map(mpz)
exponents = st.one_of(
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=2**64),
    st.integers(min_value=0, max_value=int(Q) - 1),
    st.integers(min_value=0, max_value=2**400),
).map(mpz)
pairs = st.lists(st.tuples(elements, exponents), min_size=0, max_size=12)


def plain(ps: list[tuple[mpz, mpz]], modulus: mpz = P) -> mpz:
    acc = mpz(1) % modulus
    for b, e in ps:
        acc = acc * gmpy2.powmod(b, e, modulus) % modulus
    return acc


@FEW
@given(pairs)
def test_multiexp_agrees_with_powmod(ps: list[tuple[mpz, mpz]]) -> None:
    assert multiexp(ps) == plain(ps)


@FEW
@given(st.lists(st.tuples(elements, exponents), min_size=1, max_size=6), st.integers(1, 9))
def test_every_straus_and_pippenger_window_is_exact(ps: list[tuple[mpz, mpz]], w: int) -> None:
    """The cost model picks one window; every window must give the same answer."""
    ps = [(b, e) for b, e in ps if e] or [(mpz(3), mpz(5))]
    top = max(e.bit_length() for _, e in ps)
    expected = plain(ps)
    assert fastexp._straus(ps, top, min(w, 8), P) == expected
    assert fastexp._pippenger(ps, top, w, P) == expected


def test_many_bases_take_the_pippenger_path_and_stay_exact() -> None:
    rnd = gmpy2.random_state(7)
    ps = [(gmpy2.mpz_urandomb(rnd, 4096) % P, gmpy2.mpz_urandomb(rnd, 64)) for _ in range(300)]
    ps += [(gmpy2.mpz_urandomb(rnd, 4096) % P, gmpy2.mpz_urandomb(rnd, 256)) for _ in range(20)]
    ps += [(gmpy2.mpz_urandomb(rnd, 4096) % P, gmpy2.mpz_urandomb(rnd, 380)) for _ in range(3)]
    assert fastexp._plan([e.bit_length() for _, e in ps])[0] == "pippenger"
    assert multiexp(ps) == plain(ps)


@FEW
@given(st.lists(st.tuples(st.integers(1, 1000), st.integers(0, 2**70)), max_size=8))
def test_multiexp_with_another_modulus(ps: list[tuple[int, int]]) -> None:
    m = mpz(1009 * 1013)
    mp = [(mpz(b), mpz(e)) for b, e in ps]
    assert multiexp(mp, m) == plain(mp, m)


def test_multiexp_refuses_negative_exponents() -> None:
    with pytest.raises(ValueError):
        multiexp([(G, -1)])


@FEW
@given(st.integers(min_value=0, max_value=2**300))
def test_g_table_agrees_with_powmod(e: int) -> None:
    """Exponents ≥ q are reduced mod q, which is exact because g has order q."""
    assert g_pow(e) == gmpy2.powmod(G, e, P)


def test_fixed_base_edges() -> None:
    key = gmpy2.powmod(G, 0xC0FFEE, P)
    table = fixed_base(key)
    assert fixed_base(key) is table, "tables are cached per base"
    for e in (0, 1, 255, 256, Q - 1, Q, Q + 1, 2**256 - 1):
        assert table.pow(e) == gmpy2.powmod(key, e, P)


def test_table_without_order_falls_back_beyond_its_range() -> None:
    table = FixedBaseTable(P - 1, exponent_bits=16)  # -1: order 2, not reducible mod q
    for e in (0, 1, 2, 2**16 - 1, 2**16, 2**70 + 1):
        assert table.pow(e) == gmpy2.powmod(P - 1, e, P)


def test_fixed_base_refuses_an_element_outside_the_subgroup() -> None:
    with pytest.raises(ValueError):
        fixed_base(P - 1)
    with pytest.raises(ValueError):
        fixed_base(1)
