"""Reading the package's JSON objects field by field, with errors that say where it broke.

The ballot side of the crypto core (proofs, manifest, context, ballots) reads through these,
so a missing key, a number where a string belongs or a value out of range becomes one typed
error naming the object and field, never a KeyError or a silently wrong value.  The caller
chooses the error class, so a malformed proof is an `InvalidProof` and a malformed ballot an
`InvalidBallot`; out-of-range numbers are always `InvalidElement`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import CryptoError, InvalidElement
from .group import ElementModP, ElementModQ

JsonObject = Mapping[str, Any]


def require_object(data: object, what: str, error: type[CryptoError]) -> JsonObject:
    if not isinstance(data, Mapping):
        raise error(f"{what}: expected a JSON object, got {type(data).__name__}")
    return data


def field_value(data: JsonObject, key: str, what: str, error: type[CryptoError]) -> Any:
    if key not in data:
        raise error(f"{what}: missing field {key!r}")
    return data[key]


def read_str(data: JsonObject, key: str, what: str, error: type[CryptoError]) -> str:
    value = field_value(data, key, what, error)
    if not isinstance(value, str):
        raise error(f"{what}: field {key!r} must be a string")
    return value


def read_opt_str(data: JsonObject, key: str, what: str, error: type[CryptoError]) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise error(f"{what}: field {key!r} must be a string or null")
    return value


def read_int(data: JsonObject, key: str, what: str, error: type[CryptoError]) -> int:
    value = field_value(data, key, what, error)
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(f"{what}: field {key!r} must be an integer")
    return value


def read_opt_int(data: JsonObject, key: str, what: str, error: type[CryptoError]) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(f"{what}: field {key!r} must be an integer or null")
    return value


def read_bool(data: JsonObject, key: str, what: str, error: type[CryptoError]) -> bool:
    value = field_value(data, key, what, error)
    if not isinstance(value, bool):
        raise error(f"{what}: field {key!r} must be true or false")
    return value


def read_list(data: JsonObject, key: str, what: str, error: type[CryptoError]) -> list[Any]:
    value = field_value(data, key, what, error)
    if not isinstance(value, list):
        raise error(f"{what}: field {key!r} must be a list")
    return value


def read_opt_list(
    data: JsonObject, key: str, what: str, error: type[CryptoError]
) -> list[Any] | None:
    if data.get(key) is None:
        return None
    return read_list(data, key, what, error)


def read_p(data: JsonObject, key: str, what: str, error: type[CryptoError]) -> ElementModP:
    value = read_str(data, key, what, error)
    try:
        return ElementModP.from_hex(value)
    except InvalidElement as exc:
        raise InvalidElement(f"{what}: field {key!r}: {exc}") from None


def read_q(data: JsonObject, key: str, what: str, error: type[CryptoError]) -> ElementModQ:
    value = read_str(data, key, what, error)
    try:
        return ElementModQ.from_hex(value)
    except InvalidElement as exc:
        raise InvalidElement(f"{what}: field {key!r}: {exc}") from None


def read_opt_q(
    data: JsonObject, key: str, what: str, error: type[CryptoError]
) -> ElementModQ | None:
    if data.get(key) is None:
        return None
    return read_q(data, key, what, error)
