"""The verifier's own arithmetic and hashing, read a second time: against a naive product and
against electionguard 1.4.0's hash_elems (the oracle venv), on random inputs."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import gmpy2
import pytest
from gmpy2 import mpz
from hypothesis import given, settings
from hypothesis import strategies as st

from evote_verify.group import STANDARD, to_hex
from evote_verify.hashing import hash_elems
from evote_verify.multiexp import multiexp, residue_multiexp

ORACLE_PY = Path(__file__).resolve().parents[2] / ".oracle" / "bin" / "python"
P = STANDARD.p


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 2**64), st.integers(0, 2**300)), min_size=0, max_size=40))
def test_multiexp_equals_naive_product(pairs: list[tuple[int, int]]) -> None:
    bases = [gmpy2.powmod(STANDARD.g, b, P) for b, _ in pairs]
    exps = [e for _, e in pairs]
    naive = mpz(1)
    for x, e in zip(bases, exps, strict=True):
        naive = naive * gmpy2.powmod(x, e, P) % P
    assert multiexp(bases, exps, P) == naive


def _residues(n: int, rng: random.Random) -> list[mpz]:
    return [gmpy2.powmod(STANDARD.g, rng.getrandbits(256), P) for _ in range(n)]


def test_residue_multiexp_is_the_product_when_every_base_is_a_residue() -> None:
    rng = random.Random(7)
    bases = _residues(300, rng)
    exps = [rng.getrandbits(64) or 1 for _ in range(240)] + [rng.getrandbits(320) for _ in range(60)]
    assert residue_multiexp(bases, exps, P, 64) == multiexp(bases, exps, P)


@pytest.mark.parametrize("bad", [[17], [3, 200], [0, 1, 2], list(range(0, 300, 7))])
def test_residue_multiexp_finds_non_residues_that_a_product_test_misses(bad: list[int]) -> None:
    """-x is a non-residue (p = 3 mod 4). Two of them with exponents of equal parity cancel in the
    Jacobi symbol of the product; the bucket test still sees them, whatever their number."""
    rng = random.Random(len(bad))
    for _ in range(5):
        bases = _residues(300, rng)
        exps = [rng.getrandbits(64) or 1 for _ in range(300)]
        for i in bad:
            bases[i] = P - bases[i]
            exps[i] |= 1  # odd: the product of all (-1)^e is then (-1)^len(bad)
        assert residue_multiexp(bases, exps, P, 64) is None
        assert (gmpy2.jacobi(multiexp(bases, exps, P), P) == 1) == (len(bad) % 2 == 0)


def test_residue_multiexp_ignores_bits_above_the_tested_ones() -> None:
    """Only the windows of the lowest bits are tested: a non-residue whose low bits are all zero
    is not seen, which is why every base of a batch gets random low bits of its own."""
    rng = random.Random(3)
    bases = _residues(100, rng)
    exps = [rng.getrandbits(64) or 1 for _ in range(100)]
    bases[5], exps[5] = P - bases[5], 1 << 70
    assert residue_multiexp(bases, exps, P, 64) == multiexp(bases, exps, P)


def test_hex_is_even_length_upper_case_unpadded() -> None:
    assert to_hex(0) == "00" and to_hex(10) == "0A" and to_hex(255) == "FF" and to_hex(256) == "0100"


_ORACLE_SCRIPT = r"""
import json, sys
from electionguard.hash import hash_elems
from electionguard.group import ElementModP, ElementModQ
def conv(x):
    if isinstance(x, dict): return ElementModP(int(x["p"], 16), False) if "p" in x else ElementModQ(int(x["q"], 16), False)
    if isinstance(x, list): return [conv(y) for y in x]
    return x
print(json.dumps([hash_elems(*[conv(e) for e in case]).to_hex() for case in json.load(sys.stdin)]))
"""

def _random_element(rng: random.Random, depth: int = 0) -> object:
    """A random hash_elems argument: group elements, exponents, text, counts, None, nested lists."""
    kind = rng.randrange(6 if depth < 2 else 5)
    if kind == 0:
        return ("p", rng.randrange(int(P)))
    if kind == 1:
        return ("q", rng.randrange(int(STANDARD.q)))
    if kind == 2:
        return "".join(rng.choice("ab|çZ 0") for _ in range(rng.randrange(6)))
    if kind == 3:
        return rng.randrange(10**6)
    if kind == 4:
        return None
    return [_random_element(rng, depth + 1) for _ in range(rng.randrange(4))]


def _to_mine(x: object) -> object:
    if isinstance(x, tuple):
        return mpz(x[1])
    if isinstance(x, list):
        return [_to_mine(y) for y in x]
    return x


def _to_json(x: object) -> object:
    if isinstance(x, tuple):
        return {x[0]: format(x[1], "X")}
    if isinstance(x, list):
        return [_to_json(y) for y in x]
    return x


@pytest.mark.oracle
def test_hash_elems_matches_electionguard() -> None:
    if not ORACLE_PY.exists():
        pytest.skip("electionguard 1.4.0 oracle venv (.oracle) not installed")
    rng = random.Random(2026)
    cases = [[_random_element(rng) for _ in range(rng.randrange(6))] for _ in range(80)]
    cases += [[], [None], [[]], [""], [0], [[("p", 1), "a"]], [("q", 0)]]
    out = subprocess.run(
        [str(ORACLE_PY), "-c", _ORACLE_SCRIPT],
        input=json.dumps([_to_json(c) for c in cases]), capture_output=True, text=True, check=True,
    )
    theirs = json.loads(out.stdout)
    mine = [to_hex(hash_elems(*[_to_mine(e) for e in case])) for case in cases]
    assert mine == theirs
