"""The election manifest in electionguard 1.4.0's JSON, and its crypto hashes.

The manifest hash enters the base hash Q and every ballot, so it must be computed exactly as
the package does, field by field; a manifest that hashes differently makes every ballot fail
Microsoft's checks.  Quirks kept on purpose, because the package has them:
- the manifest hash covers neither `spec_version` nor `candidates` (a candidate enters only
  through its selection's `candidate_id`); a candidate's hash skips `is_write_in`;
- enum fields are hashed by name, dates as "YYYY-MM-DDTHH:MM:SSZ" (aware dates converted
  to UTC, naive ones taken as they are, microseconds dropped);
- `None` and an empty list hash alike ("null").
JSON is read leniently as the package reads it (optional fields may be absent, unknown keys
are ignored) and written exactly as the package writes it (every field, nulls included).
Structural validation is in `manifest_validate`, placeholders in `internal_manifest`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Self

from .errors import InvalidManifest
from .group import ElementModQ
from .hash import hash_elems
from .jsonread import (
    read_int,
    read_list,
    read_opt_int,
    read_opt_list,
    read_opt_str,
    read_str,
    require_object,
)
from .manifest_text import (
    ELECTION_TYPES,
    REPORTING_UNIT_TYPES,
    SPEC_VERSIONS,
    SUPPORTED_VOTE_VARIATIONS,
    VOTE_VARIATIONS,
    AnnotatedString,
    ContactInformation,
    InternationalizedText,
    Language,
    enum_value,
    hash_date,
    opt_bool,
    opt_json,
    opt_list,
    parse_date,
    str_list,
)

__all__ = [
    "SUPPORTED_VOTE_VARIATIONS",
    "AnnotatedString",
    "BallotStyle",
    "Candidate",
    "ContactInformation",
    "ContestDescription",
    "GeopoliticalUnit",
    "InternationalizedText",
    "Language",
    "Manifest",
    "Party",
    "SelectionDescription",
]

E = InvalidManifest


@dataclass(frozen=True, slots=True)
class GeopoliticalUnit:
    object_id: str
    name: str
    type: str
    """A ReportingUnitType value."""
    contact_information: ContactInformation | None = None

    def crypto_hash(self) -> ElementModQ:
        return hash_elems(self.object_id, self.name, self.type, self.contact_information)

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "name": self.name,
            "type": self.type,
            "contact_information": opt_json(self.contact_information),
        }

    @classmethod
    def from_json(cls, data: object, what: str = "geopolitical unit") -> Self:
        obj = require_object(data, what, E)
        what = f"{what} {obj.get('object_id')!r}"
        return cls(
            read_str(obj, "object_id", what, E),
            read_str(obj, "name", what, E),
            enum_value(obj, "type", REPORTING_UNIT_TYPES, what),
            ContactInformation.read_opt(obj, what),
        )


@dataclass(frozen=True, slots=True)
class BallotStyle:
    object_id: str
    geopolitical_unit_ids: tuple[str, ...] | None = None
    party_ids: tuple[str, ...] | None = None
    image_uri: str | None = None

    def crypto_hash(self) -> ElementModQ:
        return hash_elems(
            self.object_id,
            opt_list(self.geopolitical_unit_ids),
            opt_list(self.party_ids),
            self.image_uri,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "geopolitical_unit_ids": opt_list(self.geopolitical_unit_ids),
            "party_ids": opt_list(self.party_ids),
            "image_uri": self.image_uri,
        }

    @classmethod
    def from_json(cls, data: object, what: str = "ballot style") -> Self:
        obj = require_object(data, what, E)
        what = f"{what} {obj.get('object_id')!r}"
        return cls(
            read_str(obj, "object_id", what, E),
            str_list(obj, "geopolitical_unit_ids", what),
            str_list(obj, "party_ids", what),
            read_opt_str(obj, "image_uri", what, E),
        )


@dataclass(frozen=True, slots=True)
class Party:
    object_id: str
    name: InternationalizedText = field(default_factory=InternationalizedText)
    abbreviation: str | None = None
    color: str | None = None
    logo_uri: str | None = None

    def crypto_hash(self) -> ElementModQ:
        return hash_elems(self.object_id, self.name, self.abbreviation, self.color, self.logo_uri)

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "name": self.name.to_json(),
            "abbreviation": self.abbreviation,
            "color": self.color,
            "logo_uri": self.logo_uri,
        }

    @classmethod
    def from_json(cls, data: object, what: str = "party") -> Self:
        obj = require_object(data, what, E)
        what = f"{what} {obj.get('object_id')!r}"
        return cls(
            read_str(obj, "object_id", what, E),
            InternationalizedText.read_opt(obj, "name", what) or InternationalizedText(),
            read_opt_str(obj, "abbreviation", what, E),
            read_opt_str(obj, "color", what, E),
            read_opt_str(obj, "logo_uri", what, E),
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    object_id: str
    name: InternationalizedText = field(default_factory=InternationalizedText)
    party_id: str | None = None
    image_uri: str | None = None
    is_write_in: bool | None = None

    def crypto_hash(self) -> ElementModQ:
        return hash_elems(self.object_id, self.name, self.party_id, self.image_uri)

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "name": self.name.to_json(),
            "party_id": self.party_id,
            "image_uri": self.image_uri,
            "is_write_in": self.is_write_in,
        }

    @classmethod
    def from_json(cls, data: object, what: str = "candidate") -> Self:
        obj = require_object(data, what, E)
        what = f"{what} {obj.get('object_id')!r}"
        return cls(
            read_str(obj, "object_id", what, E),
            InternationalizedText.read_opt(obj, "name", what) or InternationalizedText(),
            read_opt_str(obj, "party_id", what, E),
            read_opt_str(obj, "image_uri", what, E),
            opt_bool(obj, "is_write_in", what),
        )


@dataclass(frozen=True, slots=True)
class SelectionDescription:
    object_id: str
    sequence_order: int
    candidate_id: str

    def crypto_hash(self) -> ElementModQ:
        """The selection's description hash, which its ciphertext on every ballot carries."""
        return hash_elems(self.object_id, self.sequence_order, self.candidate_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "sequence_order": self.sequence_order,
            "candidate_id": self.candidate_id,
        }

    @classmethod
    def from_json(cls, data: object, what: str = "selection") -> Self:
        obj = require_object(data, what, E)
        what = f"{what} {obj.get('object_id')!r}"
        return cls(
            read_str(obj, "object_id", what, E),
            read_int(obj, "sequence_order", what, E),
            read_str(obj, "candidate_id", what, E),
        )


@dataclass(frozen=True, slots=True)
class ContestDescription:
    object_id: str
    sequence_order: int
    electoral_district_id: str
    vote_variation: str
    """A VoteVariationType value."""
    number_elected: int
    """n of n-of-m: how many selections a complete ballot marks; also the placeholder count."""
    votes_allowed: int | None
    name: str
    ballot_selections: tuple[SelectionDescription, ...] = ()
    ballot_title: InternationalizedText | None = None
    ballot_subtitle: InternationalizedText | None = None

    def crypto_hash(self) -> ElementModQ:
        """The contest's description hash; placeholders are not part of it."""
        return hash_elems(
            self.object_id,
            self.sequence_order,
            self.electoral_district_id,
            self.vote_variation,
            self.ballot_title,
            self.ballot_subtitle,
            self.name,
            self.number_elected,
            self.votes_allowed,
            list(self.ballot_selections),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "sequence_order": self.sequence_order,
            "electoral_district_id": self.electoral_district_id,
            "vote_variation": self.vote_variation,
            "number_elected": self.number_elected,
            "votes_allowed": self.votes_allowed,
            "name": self.name,
            "ballot_selections": [s.to_json() for s in self.ballot_selections],
            "ballot_title": opt_json(self.ballot_title),
            "ballot_subtitle": opt_json(self.ballot_subtitle),
        }

    @classmethod
    def from_json(cls, data: object, what: str = "contest") -> Self:
        obj = require_object(data, what, E)
        what = f"{what} {obj.get('object_id')!r}"
        selections = read_opt_list(obj, "ballot_selections", what, E) or []
        return cls(
            read_str(obj, "object_id", what, E),
            read_int(obj, "sequence_order", what, E),
            read_str(obj, "electoral_district_id", what, E),
            enum_value(obj, "vote_variation", VOTE_VARIATIONS, what),
            read_int(obj, "number_elected", what, E),
            read_opt_int(obj, "votes_allowed", what, E),
            read_str(obj, "name", what, E),
            tuple(SelectionDescription.from_json(s, f"{what} selection") for s in selections),
            InternationalizedText.read_opt(obj, "ballot_title", what),
            InternationalizedText.read_opt(obj, "ballot_subtitle", what),
        )


@dataclass(frozen=True, slots=True)
class Manifest:
    election_scope_id: str
    spec_version: str
    type: str
    start_date: datetime
    end_date: datetime
    geopolitical_units: tuple[GeopoliticalUnit, ...]
    parties: tuple[Party, ...]
    candidates: tuple[Candidate, ...]
    contests: tuple[ContestDescription, ...]
    ballot_styles: tuple[BallotStyle, ...]
    name: InternationalizedText | None = None
    contact_information: ContactInformation | None = None
    _hash: list[ElementModQ] = field(default_factory=list, init=False, repr=False, compare=False)

    def crypto_hash(self) -> ElementModQ:
        """The manifest hash; computed once, since every ballot check asks for it."""
        if not self._hash:
            self._hash.append(
                hash_elems(
                    self.election_scope_id,
                    self.type,
                    hash_date(self.start_date),
                    hash_date(self.end_date),
                    self.name,
                    self.contact_information,
                    list(self.geopolitical_units),
                    list(self.parties),
                    list(self.contests),
                    list(self.ballot_styles),
                )
            )
        return self._hash[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "election_scope_id": self.election_scope_id,
            "spec_version": self.spec_version,
            "type": self.type,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "geopolitical_units": [g.to_json() for g in self.geopolitical_units],
            "parties": [p.to_json() for p in self.parties],
            "candidates": [c.to_json() for c in self.candidates],
            "contests": [c.to_json() for c in self.contests],
            "ballot_styles": [b.to_json() for b in self.ballot_styles],
            "name": opt_json(self.name),
            "contact_information": opt_json(self.contact_information),
        }

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Parse the package's manifest JSON; structure only (see `manifest_validate`)."""
        what = "manifest"
        obj = require_object(data, what, E)

        def items(key: str, parse: Any) -> tuple[Any, ...]:
            return tuple(parse(x) for x in read_list(obj, key, what, E))

        return cls(
            read_str(obj, "election_scope_id", what, E),
            enum_value(obj, "spec_version", SPEC_VERSIONS, what),
            enum_value(obj, "type", ELECTION_TYPES, what),
            parse_date(obj, "start_date", what),
            parse_date(obj, "end_date", what),
            items("geopolitical_units", GeopoliticalUnit.from_json),
            items("parties", Party.from_json),
            items("candidates", Candidate.from_json),
            items("contests", ContestDescription.from_json),
            items("ballot_styles", BallotStyle.from_json),
            InternationalizedText.read_opt(obj, "name", what),
            ContactInformation.read_opt(obj, what),
        )
