"""The manifest hash and the description hashes, recomputed from manifest.json.

A record carries ``manifest_hash`` in its context and a ``description_hash`` on every contest and
selection of every ballot. None of them is trusted: all are recomputed here from the published
manifest with the field order of the ElectionGuard 1.x reference, and compared (checks V5, V7).

Each ``*_hash`` function hashes one manifest object given as the parsed JSON dict.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gmpy2 import mpz

from .hashing import hash_elems

Obj = dict[str, Any]


def _opt(obj: Obj | None, fn: Any) -> mpz | None:
    return None if obj is None else fn(obj)


def _list(items: list[Any] | None, fn: Any) -> list[mpz] | None:
    return None if items is None else [fn(x) for x in items]


def iso_date(text: str) -> str:
    """Dates enter the hash as UTC 'YYYY-MM-DDTHH:MM:SSZ' (naive dates are taken as they are)."""
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def language_hash(lang: Obj) -> mpz:
    return hash_elems(lang["value"], lang.get("language", "en"))


def text_hash(text: Obj) -> mpz:
    """InternationalizedText; a missing text list hashes like an empty one."""
    return hash_elems([language_hash(t) for t in text.get("text") or []])


def annotated_hash(s: Obj) -> mpz:
    return hash_elems(s.get("annotation", ""), s.get("value", ""))


def contact_hash(c: Obj) -> mpz:
    return hash_elems(
        c.get("name"),
        c.get("address_line"),
        _list(c.get("email"), annotated_hash),
        _list(c.get("phone"), annotated_hash),
    )


def gp_unit_hash(u: Obj) -> mpz:
    return hash_elems(u["object_id"], u["name"], u["type"], _opt(u.get("contact_information"), contact_hash))


def party_hash(party: Obj) -> mpz:
    return hash_elems(
        party["object_id"],
        text_hash(party.get("name") or {}),
        party.get("abbreviation"),
        party.get("color"),
        party.get("logo_uri"),
    )


def ballot_style_hash(s: Obj) -> mpz:
    return hash_elems(s["object_id"], s.get("geopolitical_unit_ids"), s.get("party_ids"), s.get("image_uri"))


def selection_hash(s: Obj) -> mpz:
    return hash_elems(s["object_id"], int(s["sequence_order"]), s["candidate_id"])


def contest_hash(c: Obj) -> mpz:
    """Placeholders are not part of a contest's description hash."""
    return hash_elems(
        c["object_id"],
        int(c["sequence_order"]),
        c["electoral_district_id"],
        c["vote_variation"],
        _opt(c.get("ballot_title"), text_hash),
        _opt(c.get("ballot_subtitle"), text_hash),
        c["name"],
        int(c["number_elected"]),
        c.get("votes_allowed"),
        [selection_hash(s) for s in c.get("ballot_selections") or []],
    )


def manifest_hash(m: Obj) -> mpz:
    return hash_elems(
        m["election_scope_id"],
        m["type"],
        iso_date(m["start_date"]),
        iso_date(m["end_date"]),
        _opt(m.get("name"), text_hash),
        _opt(m.get("contact_information"), contact_hash),
        [gp_unit_hash(u) for u in m.get("geopolitical_units") or []],
        [party_hash(p) for p in m.get("parties") or []],
        [contest_hash(c) for c in m.get("contests") or []],
        [ballot_style_hash(s) for s in m.get("ballot_styles") or []],
    )


def placeholder_selections(contest: Obj) -> list[Obj]:
    """The ``number_elected`` placeholder selections every encrypted contest must carry.

    Their ids and sequence orders follow the reference: sequence orders continue after the
    highest real one, ids are ``{contest}-{seq}-placeholder``.
    """
    top = max(int(s["sequence_order"]) for s in contest["ballot_selections"])
    out = []
    for i in range(int(contest["number_elected"])):
        seq = top + 1 + i
        out.append(
            {
                "object_id": f"{contest['object_id']}-{seq}-placeholder",
                "sequence_order": seq,
                "candidate_id": f"{contest['object_id']}-{seq}-candidate",
            }
        )
    return out
