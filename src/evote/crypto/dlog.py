"""Bounded discrete log base g: how a decrypted g^t becomes the count t.

Totals are at most the number of ballots times the selection limit, so a walk of
multiplications by g (cheap next to a powmod) up to a bound is enough.  The table of
powers seen is kept per process, so decrypting many selections of one tally walks once.
"""

from __future__ import annotations

from gmpy2 import mpz

from .errors import InvalidElement
from .group import G, P

_powers: dict[mpz, int] = {mpz(1): 0}
_last = [mpz(1), 0]


def discrete_log(element: mpz | int, bound: int) -> int:
    """The t ≤ bound with g^t = element; raises if there is none."""
    target = mpz(element)
    found = _powers.get(target)
    if found is not None:
        if found > bound:
            raise InvalidElement(f"discrete log exceeds the bound {bound}")
        return found
    value, exponent = _last
    while exponent < bound:
        value = value * G % P
        exponent += 1
        _powers[value] = exponent
        if value == target:
            _last[0], _last[1] = value, exponent
            return exponent
    _last[0], _last[1] = value, exponent
    raise InvalidElement(f"no discrete log up to {bound}: the plaintext is out of range")
