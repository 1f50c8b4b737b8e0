"""The small parts of a manifest: value sets of its enums, texts, contact details, dates.

Split from `manifest` only to keep files short; the hashing rules in `manifest`'s docstring
apply here too (each type's `crypto_hash` is the package's, field for field).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Self

from .errors import InvalidManifest
from .group import ElementModQ
from .hash import hash_elems
from .jsonread import JsonObject, read_opt_list, read_opt_str, read_str, require_object

E = InvalidManifest

SPEC_VERSIONS = ("v0.95", "1.0")
ELECTION_TYPES = frozenset(
    [
        "unknown",
        "general",
        "partisan_primary_closed",
        "partisan_primary_open",
        "primary",
        "runoff",
        "special",
        "other",
    ]
)
REPORTING_UNIT_TYPES = frozenset(
    [
        "unknown",
        "ballot_batch",
        "ballot_style_area",
        "borough",
        "city",
        "city_council",
        "combined_precinct",
        "congressional",
        "country",
        "county",
        "county_council",
        "drop_box",
        "judicial",
        "municipality",
        "polling_place",
        "precinct",
        "school",
        "special",
        "split_precinct",
        "state",
        "state_house",
        "state_senate",
        "township",
        "utility",
        "village",
        "vote_center",
        "ward",
        "water",
        "other",
    ]
)
VOTE_VARIATIONS = frozenset(
    [
        "one_of_m",
        "approval",
        "borda",
        "cumulative",
        "majority",
        "n_of_m",
        "plurality",
        "proportional",
        "range",
        "rcv",
        "super_majority",
        "other",
    ]
)
SUPPORTED_VOTE_VARIATIONS = frozenset(
    {"one_of_m", "approval", "majority", "n_of_m", "plurality", "super_majority"}
)


def enum_value(
    obj: JsonObject, key: str, allowed: frozenset[str] | tuple[str, ...], what: str
) -> str:
    value = read_str(obj, key, what, E)
    if value not in allowed:
        raise InvalidManifest(f"{what}: {key} {value!r} is not one of the package's values")
    return value


def str_list(obj: JsonObject, key: str, what: str) -> tuple[str, ...] | None:
    items = read_opt_list(obj, key, what, E)
    if items is None:
        return None
    if not all(isinstance(x, str) for x in items):
        raise InvalidManifest(f"{what}: {key} must be a list of strings")
    return tuple(items)


def opt_bool(obj: JsonObject, key: str, what: str) -> bool | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, bool):
        raise InvalidManifest(f"{what}: {key} must be true, false or null")
    return value


def parse_date(obj: JsonObject, key: str, what: str) -> datetime:
    text = read_str(obj, key, what, E)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidManifest(f"{what}: {key} {text!r} is not an ISO 8601 date") from None


def hash_date(value: datetime) -> str:
    """The package's `to_iso_date_string`: what a date contributes to the manifest hash."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class AnnotatedString:
    annotation: str = ""
    value: str = ""

    def crypto_hash(self) -> ElementModQ:
        return hash_elems(self.annotation, self.value)

    def to_json(self) -> dict[str, Any]:
        return {"annotation": self.annotation, "value": self.value}

    @classmethod
    def from_json(cls, data: object, what: str) -> Self:
        obj = require_object(data, what, E)
        return cls(
            read_opt_str(obj, "annotation", what, E) or "",
            read_opt_str(obj, "value", what, E) or "",
        )


@dataclass(frozen=True, slots=True)
class Language:
    value: str
    language: str = "en"

    def crypto_hash(self) -> ElementModQ:
        return hash_elems(self.value, self.language)

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "language": self.language}

    @classmethod
    def from_json(cls, data: object, what: str) -> Self:
        obj = require_object(data, what, E)
        return cls(read_str(obj, "value", what, E), read_opt_str(obj, "language", what, E) or "en")


@dataclass(frozen=True, slots=True)
class InternationalizedText:
    text: tuple[Language, ...] = ()

    def crypto_hash(self) -> ElementModQ:
        return hash_elems(list(self.text))

    def to_json(self) -> dict[str, Any]:
        return {"text": [t.to_json() for t in self.text]}

    @classmethod
    def from_json(cls, data: object, what: str) -> Self:
        obj = require_object(data, what, E)
        items = read_opt_list(obj, "text", what, E) or []
        return cls(tuple(Language.from_json(t, f"{what} text") for t in items))

    @classmethod
    def read_opt(cls, obj: JsonObject, key: str, what: str) -> Self | None:
        return None if obj.get(key) is None else cls.from_json(obj[key], f"{what} {key}")


@dataclass(frozen=True, slots=True)
class ContactInformation:
    address_line: tuple[str, ...] | None = None
    email: tuple[AnnotatedString, ...] | None = None
    phone: tuple[AnnotatedString, ...] | None = None
    name: str | None = None

    def crypto_hash(self) -> ElementModQ:
        return hash_elems(
            self.name, opt_list(self.address_line), opt_list(self.email), opt_list(self.phone)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "address_line": opt_list(self.address_line),
            "email": None if self.email is None else [e.to_json() for e in self.email],
            "phone": None if self.phone is None else [e.to_json() for e in self.phone],
            "name": self.name,
        }

    @classmethod
    def from_json(cls, data: object, what: str) -> Self:
        obj = require_object(data, what, E)

        def strings(key: str) -> tuple[AnnotatedString, ...] | None:
            items = read_opt_list(obj, key, what, E)
            if items is None:
                return None
            return tuple(AnnotatedString.from_json(x, f"{what} {key}") for x in items)

        return cls(
            str_list(obj, "address_line", what),
            strings("email"),
            strings("phone"),
            read_opt_str(obj, "name", what, E),
        )

    @classmethod
    def read_opt(cls, obj: JsonObject, what: str) -> Self | None:
        value = obj.get("contact_information")
        return None if value is None else cls.from_json(value, f"{what} contact_information")


def opt_list(items: tuple[Any, ...] | None) -> list[Any] | None:
    return None if items is None else list(items)


def opt_json(value: Any) -> Any:
    return None if value is None else value.to_json()
