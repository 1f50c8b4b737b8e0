"""Reading fields of electionguard-1.4.0-shaped JSON into typed values, refusing bad input.

Records arrive from guardians, ballots and published files, so each field read names
where it came from and raises `InvalidElement` (not `KeyError`/`ValueError`) when missing
or malformed; the API and the verifier report that message as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .elgamal import ElGamalCiphertext
from .errors import InvalidElement
from .group import ElementModP, ElementModQ

JsonObject = Mapping[str, Any]


def field(obj: object, key: str, where: str) -> Any:
    """obj[key], or a clear error when obj is not an object or lacks the key."""
    if not isinstance(obj, Mapping):
        raise InvalidElement(f"{where}: expected a JSON object")
    if key not in obj:
        raise InvalidElement(f"{where}: missing field {key!r}")
    return obj[key]


def text_field(obj: object, key: str, where: str) -> str:
    value = field(obj, key, where)
    if not isinstance(value, str) or not value:
        raise InvalidElement(f"{where}: {key!r} must be a non-empty string")
    return value


def int_field(obj: object, key: str, where: str) -> int:
    value = field(obj, key, where)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidElement(f"{where}: {key!r} must be an integer")
    return value


def object_field(obj: object, key: str, where: str) -> JsonObject:
    value = field(obj, key, where)
    if not isinstance(value, Mapping):
        raise InvalidElement(f"{where}: {key!r} must be a JSON object")
    return value


def list_field(obj: object, key: str, where: str) -> list[Any]:
    value = field(obj, key, where)
    if not isinstance(value, list):
        raise InvalidElement(f"{where}: {key!r} must be a list")
    return value


def p_field(obj: object, key: str, where: str, *, subgroup: bool = True) -> ElementModP:
    """A group element; by default also checked to lie in the order-q subgroup."""
    try:
        value = ElementModP.from_hex(field(obj, key, where))
    except InvalidElement as e:
        raise InvalidElement(f"{where}: {key!r}: {e}") from None
    return value.require_subgroup(f"{where}: {key!r}") if subgroup else value


def q_field(obj: object, key: str, where: str) -> ElementModQ:
    try:
        return ElementModQ.from_hex(field(obj, key, where))
    except InvalidElement as e:
        raise InvalidElement(f"{where}: {key!r}: {e}") from None


def ciphertext_to_json(c: ElGamalCiphertext) -> dict[str, str]:
    return {"pad": c.pad.to_hex(), "data": c.data.to_hex()}


def ciphertext_from_json(obj: object, where: str) -> ElGamalCiphertext:
    """(α, β), both checked for subgroup membership before anything computes with them."""
    return ElGamalCiphertext(p_field(obj, "pad", where), p_field(obj, "data", where))
