"""Structural validation of a manifest: everything the package's `is_valid` checks, and more.

A manifest that is only slightly wrong (two selections with one id, a style naming a unit
that does not exist) makes ballots ambiguous or unverifiable long after the vote opened, so
it is refused up front with `InvalidManifest` naming the first problem.  Beyond the package:
- a contest needs at least one selection (placeholders are numbered after the largest one);
- votes_allowed must equal number_elected or be null (the package encrypts nothing else);
- a placeholder id must not collide with a real selection id;
- sequence orders must not be negative (they index nonce sequences);
- contests must be listed in ascending sequence order: the package hashes a ballot's contests
  sorted by sequence order but re-checks the hash in list order, so it would refuse its own
  ballots otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from .errors import InvalidManifest
from .manifest import SUPPORTED_VOTE_VARIATIONS, ContestDescription, Manifest

T = TypeVar("T")


def _unique(ids: Iterable[T], what: str) -> set[T]:
    seen: set[T] = set()
    for i in ids:
        if i in seen:
            raise InvalidManifest(f"{what} {i!r} appears twice")
        seen.add(i)
    return seen


def _natural(orders: Iterable[int], what: str) -> None:
    """Distinct and ≥ 0: a part's nonce is item `sequence_order` of a nonce sequence, which
    has no negative items, so a negative order would make every ballot unencryptable."""
    for order in _unique(orders, what):
        if order < 0:
            raise InvalidManifest(f"{what} {order} is negative")


def validate_contest(contest: ContestDescription) -> None:
    what = f"contest {contest.object_id!r}"
    selections = contest.ballot_selections
    if not selections:
        raise InvalidManifest(f"{what} has no selections")
    if contest.vote_variation not in SUPPORTED_VOTE_VARIATIONS:
        raise InvalidManifest(f"{what}: vote variation {contest.vote_variation!r} is unsupported")
    if not 1 <= contest.number_elected <= len(selections):
        raise InvalidManifest(
            f"{what}: number_elected {contest.number_elected} must be between 1 and "
            f"the {len(selections)} selections"
        )
    if contest.votes_allowed is not None and contest.votes_allowed != contest.number_elected:
        # The package refuses to encrypt a complete vote in such a contest (it supports only
        # n-of-m), so it could never be voted in.
        raise InvalidManifest(f"{what}: votes_allowed must equal number_elected (or be null)")
    ids = _unique((s.object_id for s in selections), f"{what}: selection id")
    _unique((s.candidate_id for s in selections), f"{what}: candidate id")
    _natural((s.sequence_order for s in selections), f"{what}: selection sequence order")
    top = max(s.sequence_order for s in selections)
    for i in range(contest.number_elected):
        placeholder = f"{contest.object_id}-{top + 1 + i}-placeholder"
        if placeholder in ids:
            raise InvalidManifest(f"{what}: selection id {placeholder!r} is a placeholder's")


def validate_manifest(manifest: Manifest) -> None:
    """Raise `InvalidManifest` unless the manifest is well-formed and self-consistent."""
    units = _unique((g.object_id for g in manifest.geopolitical_units), "geopolitical unit")
    parties = _unique((p.object_id for p in manifest.parties), "party")
    _unique((c.object_id for c in manifest.candidates), "candidate")
    _unique((s.object_id for s in manifest.ballot_styles), "ballot style")
    _unique((c.object_id for c in manifest.contests), "contest")
    _natural((c.sequence_order for c in manifest.contests), "contest sequence order")
    if not manifest.contests:
        raise InvalidManifest("manifest has no contests")
    orders = [c.sequence_order for c in manifest.contests]
    if orders != sorted(orders):
        raise InvalidManifest("contests must be listed in ascending sequence_order")
    if not manifest.ballot_styles:
        raise InvalidManifest("manifest has no ballot styles")
    for style in manifest.ballot_styles:
        if style.geopolitical_unit_ids is None:
            raise InvalidManifest(f"ballot style {style.object_id!r} names no geopolitical unit")
        for unit in style.geopolitical_unit_ids:
            if unit not in units:
                raise InvalidManifest(f"ballot style {style.object_id!r}: unknown unit {unit!r}")
    for candidate in manifest.candidates:
        if candidate.party_id is not None and candidate.party_id not in parties:
            raise InvalidManifest(
                f"candidate {candidate.object_id!r}: unknown party {candidate.party_id!r}"
            )
    for contest in manifest.contests:
        if contest.electoral_district_id not in units:
            raise InvalidManifest(
                f"contest {contest.object_id!r}: unknown electoral district "
                f"{contest.electoral_district_id!r}"
            )
        validate_contest(contest)
