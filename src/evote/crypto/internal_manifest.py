"""The "internal manifest": contests as ballots encrypt them, with placeholder selections.

A contest where n of m may be chosen gets n placeholder selections, so that every complete
ballot marks exactly n selections (a voter who marks fewer has placeholders set to 1) and the
contest's constant proof can prove the sum is exactly n without revealing an under-vote.
The placeholders' ids and sequence orders must be exactly the package's, because they are
hashed into the selections' description hashes:
  sequence order  max(sequence orders of the real selections) + 1 + i,  i = 0 .. n-1
  object id       "{contest id}-{sequence order}-placeholder"
  candidate id    "{contest id}-{sequence order}-candidate"
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .errors import InvalidBallot
from .group import ElementModQ
from .manifest import BallotStyle, ContestDescription, Manifest, SelectionDescription
from .manifest_validate import validate_manifest


@dataclass(frozen=True, slots=True)
class ContestWithPlaceholders:
    """A manifest contest plus its placeholder selections; hashes as the contest itself."""

    description: ContestDescription
    placeholder_selections: tuple[SelectionDescription, ...]

    @property
    def object_id(self) -> str:
        return self.description.object_id

    @property
    def sequence_order(self) -> int:
        return self.description.sequence_order

    @property
    def number_elected(self) -> int:
        return self.description.number_elected

    @property
    def ballot_selections(self) -> tuple[SelectionDescription, ...]:
        return self.description.ballot_selections

    @property
    def all_selections(self) -> tuple[SelectionDescription, ...]:
        """Real selections, then placeholders: the order in which a ballot carries them."""
        return self.description.ballot_selections + self.placeholder_selections

    def crypto_hash(self) -> ElementModQ:
        return self.description.crypto_hash()


def placeholders_for(contest: ContestDescription) -> tuple[SelectionDescription, ...]:
    top = max(s.sequence_order for s in contest.ballot_selections)
    out = []
    for i in range(contest.number_elected):
        order = top + 1 + i
        stem = f"{contest.object_id}-{order}"
        out.append(SelectionDescription(f"{stem}-placeholder", order, f"{stem}-candidate"))
    return tuple(out)


class InternalManifest:
    """A validated manifest with its hash and placeholder-padded contests, built once."""

    def __init__(self, manifest: Manifest) -> None:
        validate_manifest(manifest)
        self.manifest = manifest
        self.manifest_hash = manifest.crypto_hash()
        self.contests = tuple(
            ContestWithPlaceholders(c, placeholders_for(c)) for c in manifest.contests
        )

    @cached_property
    def _styles(self) -> dict[str, BallotStyle]:
        return {s.object_id: s for s in self.manifest.ballot_styles}

    def ballot_style(self, style_id: str) -> BallotStyle:
        style = self._styles.get(style_id)
        if style is None:
            raise InvalidBallot(f"ballot style {style_id!r} is not in the manifest")
        return style

    def contests_for(self, style_id: str) -> tuple[ContestWithPlaceholders, ...]:
        """The contests a ballot of this style carries, in manifest order (as the package)."""
        units = set(self.ballot_style(style_id).geopolitical_unit_ids or ())
        return tuple(c for c in self.contests if c.description.electoral_district_id in units)

    def contest(self, contest_id: str) -> ContestWithPlaceholders | None:
        return next((c for c in self.contests if c.object_id == contest_id), None)
