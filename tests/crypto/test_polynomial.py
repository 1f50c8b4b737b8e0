"""Election polynomials, backup coordinates against commitments, Lagrange reconstruction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evote.crypto.errors import InvalidElement, InvalidShare
from evote.crypto.group import ElementModQ, Q, g_pow_p
from evote.crypto.polynomial import (
    ElectionPolynomial,
    commitment_product,
    interpolate_at_zero,
    lagrange_coefficient,
    lagrange_coefficients,
    verify_coordinate,
)

SEED = bytes(range(32))


def test_polynomial_is_deterministic_in_its_seed() -> None:
    a = ElectionPolynomial.from_seed(3, SEED)
    assert a == ElectionPolynomial.from_seed(3, SEED)
    assert a != ElectionPolynomial.from_seed(3, bytes(31) + b"\x01")
    assert len(set(a.coefficients)) == 3


def test_value_at_is_the_polynomial() -> None:
    poly = ElectionPolynomial((ElementModQ.of(7), ElementModQ.of(3), ElementModQ.of(2)))
    assert poly.value_at(1) == ElementModQ.of(12)
    assert poly.value_at(4) == ElementModQ.of(7 + 12 + 32)
    with pytest.raises(ValueError):
        poly.value_at(0)


def test_coordinate_checks_against_commitments() -> None:
    poly = ElectionPolynomial.from_seed(3, SEED)
    commitments = poly.commitments()
    for x in (1, 2, 5):
        verify_coordinate(poly.value_at(x), x, commitments, "g1")
        assert commitment_product(commitments, x) == g_pow_p(poly.value_at(x))
    with pytest.raises(InvalidShare, match="guardian g1"):
        verify_coordinate(poly.value_at(2) + ElementModQ.of(1), 2, commitments, "g1")
    with pytest.raises(InvalidShare):
        verify_coordinate(poly.value_at(2), 3, commitments, "g1")


def test_lagrange_coefficients_of_the_sample_record() -> None:
    # coefficients.json of `eg e2e` with guardians 1, 2, 3 present: 3, -3, 1
    assert [int(w) for w in lagrange_coefficients([1, 2, 3])] == [3, Q - 3, 1]


def test_lagrange_refuses_repeated_orders() -> None:
    with pytest.raises(InvalidElement):
        lagrange_coefficient(2, [1, 2])
    with pytest.raises(InvalidElement):
        lagrange_coefficients([1, 1, 2])


@settings(max_examples=25, deadline=None)
@given(
    coefficients=st.lists(st.integers(0, int(Q) - 1), min_size=1, max_size=5),
    data=st.data(),
)
def test_any_quorum_of_points_reconstructs_the_secret(
    coefficients: list[int], data: st.DataObject
) -> None:
    poly = ElectionPolynomial(tuple(ElementModQ.of(a) for a in coefficients))
    k = len(coefficients)
    xs = data.draw(st.lists(st.integers(1, 50), min_size=k, max_size=k + 2, unique=True))
    points = [(x, poly.value_at(x)) for x in xs]
    assert interpolate_at_zero(points) == poly.secret_key
