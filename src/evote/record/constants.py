"""`constants.json`: the group every number in the record lives in.

evote computes in one group only, the ElectionGuard 1.x standard group; a record that names
another is refused when read, since none of its proofs could be checked with evote's
arithmetic (and a verifier that silently swapped groups would check nothing).
"""

from __future__ import annotations

from collections.abc import Mapping

from evote.crypto.group import G, P, Q, R, int_to_hex

from .errors import InvalidRecord

_FIELDS = {"large_prime": P, "small_prime": Q, "cofactor": R, "generator": G}


def constants_to_json() -> dict[str, str]:
    """The standard group in `ElectionConstants`' fields."""
    return {name: int_to_hex(value) for name, value in _FIELDS.items()}


def check_constants(document: object) -> None:
    """Raise unless `document` names exactly evote's group (any even-length hex spelling)."""
    if not isinstance(document, Mapping):
        raise InvalidRecord("constants.json: expected a JSON object")
    for name, value in _FIELDS.items():
        text = document.get(name)
        try:
            if not isinstance(text, str) or int(text, 16) != value:
                raise InvalidRecord(f"constants.json: {name} is not the standard group's")
        except ValueError:
            raise InvalidRecord(f"constants.json: {name} is not hex") from None
