"""Field reads for the guardian side's JSON, on top of `jsonread`.

The guardian records, backups, shares and tallies all report a malformed field as
`InvalidElement` naming where it was, and check group elements for subgroup membership as
they are read (a share or ciphertext outside the order-q subgroup must never reach a
powmod whose result is published).  This module fixes those two choices once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .elgamal import ElGamalCiphertext
from .errors import InvalidElement
from .group import ElementModP, ElementModQ
from .jsonread import field_value, read_int, read_list, read_p, read_q, read_str, require_object

E = InvalidElement


def field(obj: object, key: str, where: str) -> Any:
    return field_value(require_object(obj, where, E), key, where, E)


def text_field(obj: object, key: str, where: str) -> str:
    value = read_str(require_object(obj, where, E), key, where, E)
    if not value:
        raise InvalidElement(f"{where}: field {key!r} must not be empty")
    return value


def int_field(obj: object, key: str, where: str) -> int:
    return read_int(require_object(obj, where, E), key, where, E)


def list_field(obj: object, key: str, where: str) -> list[Any]:
    return read_list(require_object(obj, where, E), key, where, E)


def object_field(obj: object, key: str, where: str) -> Mapping[str, Any]:
    return require_object(field(obj, key, where), f"{where}: field {key!r}", E)


def p_field(obj: object, key: str, where: str, *, subgroup: bool = True) -> ElementModP:
    """A group element; by default also checked to lie in the order-q subgroup."""
    value = read_p(require_object(obj, where, E), key, where, E)
    return value.require_subgroup(f"{where}: field {key!r}") if subgroup else value


def q_field(obj: object, key: str, where: str) -> ElementModQ:
    return read_q(require_object(obj, where, E), key, where, E)


def ciphertext_to_json(c: ElGamalCiphertext) -> dict[str, str]:
    return {"pad": c.pad.to_hex(), "data": c.data.to_hex()}


def ciphertext_from_json(obj: object, where: str) -> ElGamalCiphertext:
    """(α, β), both checked for subgroup membership before anything computes with them."""
    return ElGamalCiphertext(p_field(obj, "pad", where), p_field(obj, "data", where))
