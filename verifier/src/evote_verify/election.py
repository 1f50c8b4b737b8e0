"""What every ballot is checked against: keys, hashes and the expected shape from the manifest.

Built once in the main process from manifest.json and context.json, then sent to the worker
processes, so it holds plain picklable data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gmpy2 import mpz

from .group import STANDARD, Group
from .manifest_hash import contest_hash, placeholder_selections, selection_hash


@dataclass(frozen=True)
class SelectionSpec:
    object_id: str
    sequence_order: int
    description_hash: mpz
    placeholder: bool


@dataclass(frozen=True)
class ContestSpec:
    object_id: str
    sequence_order: int
    description_hash: mpz
    limit: int
    """number_elected: the selection limit L that the contest proof must prove."""
    selections: tuple[SelectionSpec, ...]


@dataclass
class ElectionSpec:
    group: Group
    joint_key: mpz
    """K, the joint election public key from the context."""
    extended_base_hash: mpz
    """Q' from the context; every ballot and decryption proof is bound to it."""
    manifest_hash: mpz
    contests: dict[str, ContestSpec] = field(default_factory=dict)
    styles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """style id -> ids of the contests a ballot of that style must carry."""


def build_spec(manifest: dict[str, Any], joint_key: mpz, extended_base_hash: mpz, manifest_hash: mpz) -> ElectionSpec:
    spec = ElectionSpec(STANDARD, joint_key, extended_base_hash, manifest_hash)
    for c in manifest.get("contests") or []:
        sels = [
            SelectionSpec(s["object_id"], int(s["sequence_order"]), selection_hash(s), False)
            for s in c["ballot_selections"]
        ]
        sels += [
            SelectionSpec(s["object_id"], int(s["sequence_order"]), selection_hash(s), True)
            for s in placeholder_selections(c)
        ]
        spec.contests[c["object_id"]] = ContestSpec(
            c["object_id"], int(c["sequence_order"]), contest_hash(c), int(c["number_elected"]), tuple(sels)
        )
    for style in manifest.get("ballot_styles") or []:
        units = set(style.get("geopolitical_unit_ids") or [])
        spec.styles[style["object_id"]] = tuple(
            c["object_id"] for c in manifest.get("contests") or [] if c["electoral_district_id"] in units
        )
    return spec
