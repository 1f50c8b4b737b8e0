"""The encrypted tally: the homomorphic sum of every CAST ballot, per selection (spec §3.4).

Only cast ballots are summed; spoiled (challenged) ballots are decrypted one by one and never
enter the totals.  As in electionguard 1.4.0, the tally holds the manifest's selections only:
placeholder selections, which exist to hide how many real selections a voter made, are
left out.  Ballot proofs are checked before a ballot reaches the tally (validation); this
module checks only that each ballot fits the tally's shape and is counted once.

`encrypted_tally.json` layout: {object_id, contests: {id: {object_id, sequence_order,
description_hash, selections: {id: {object_id, sequence_order, description_hash,
ciphertext: {pad, data}}}}}}.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, Protocol

from gmpy2 import mpz

from .ballot import BallotBoxState
from .elgamal import ElGamalCiphertext
from .errors import InvalidBallot, InvalidElement
from .group import ONE_MOD_P, ElementModP, ElementModQ, P
from .jsonread import read_bool, read_list, read_p, read_str, require_object
from .manifest import Manifest
from .record_fields import (
    ciphertext_from_json,
    ciphertext_to_json,
    int_field,
    object_field,
    q_field,
    text_field,
)

Ciphertexts = Mapping[str, Mapping[str, ElGamalCiphertext]]
"""contest id → selection id → ciphertext: what guardians decrypt, from a tally or a ballot."""

TALLY_ID = "election-results"
ZERO_SUM: Final = ElGamalCiphertext(ONE_MOD_P, ONE_MOD_P)
"""(1, 1): the sum of no ciphertexts, where every selection's tally starts."""
"""The object id electionguard 1.4.0 gives every tally."""


class BallotSelectionLike(Protocol):
    @property
    def object_id(self) -> str: ...
    @property
    def ciphertext(self) -> ElGamalCiphertext: ...
    @property
    def is_placeholder_selection(self) -> bool: ...


class BallotContestLike(Protocol):
    @property
    def object_id(self) -> str: ...
    @property
    def ballot_selections(self) -> Sequence[BallotSelectionLike]: ...


class BallotLike(Protocol):
    """The parts of a submitted ballot that ballot decryption reads (`ballot.CiphertextBallot`)."""

    @property
    def object_id(self) -> str: ...
    @property
    def contests(self) -> Sequence[BallotContestLike]: ...


class SubmittedBallotLike(BallotLike, Protocol):
    """A ballot with its ballot-box state: only CAST ones are summed."""

    @property
    def state(self) -> BallotBoxState | None: ...


@dataclass(frozen=True, slots=True)
class TallySelection:
    object_id: str
    sequence_order: int
    description_hash: ElementModQ
    """The manifest selection's crypto hash."""
    ciphertext: ElGamalCiphertext = ZERO_SUM
    """(A, B) = (∏ α_j, ∏ β_j) over cast ballots j; (1, 1) is the sum of none."""


@dataclass(frozen=True, slots=True)
class TallyContest:
    object_id: str
    sequence_order: int
    description_hash: ElementModQ
    selections: Mapping[str, TallySelection]


@dataclass(frozen=True, slots=True)
class CiphertextTally:
    object_id: str
    contests: Mapping[str, TallyContest]
    cast_ballot_ids: frozenset[str] = frozenset()
    """Ballots already summed; not published, kept so no ballot is counted twice."""

    @classmethod
    def empty(cls, contests: Iterable[TallyContest], object_id: str = TALLY_ID) -> CiphertextTally:
        """A tally of no ballots over the manifest's contests (selections without placeholders)."""
        fresh = {
            c.object_id: replace(
                c,
                selections={
                    s: replace(sel, ciphertext=ZERO_SUM) for s, sel in c.selections.items()
                },
            )
            for c in contests
        }
        return cls(object_id, fresh)

    @classmethod
    def for_manifest(cls, manifest: Manifest, object_id: str = TALLY_ID) -> CiphertextTally:
        """The empty tally of an election: every contest, its real selections, their hashes."""
        return cls.empty(
            (
                TallyContest(
                    c.object_id,
                    c.sequence_order,
                    c.crypto_hash(),
                    {
                        s.object_id: TallySelection(s.object_id, s.sequence_order, s.crypto_hash())
                        for s in c.ballot_selections
                    },
                )
                for c in manifest.contests
            ),
            object_id,
        )

    def ciphertexts(self) -> dict[str, dict[str, ElGamalCiphertext]]:
        return {
            cid: {sid: s.ciphertext for sid, s in c.selections.items()}
            for cid, c in self.contests.items()
        }

    def add_cast_ballots(self, ballots: Iterable[SubmittedBallotLike]) -> CiphertextTally:
        """A new tally with these (already validated, CAST) ballots added.

        Raises `InvalidBallot` for a ballot that is not CAST, one counted before, a contest
        the tally does not know, a contest or selection listed twice, or a contest lacking one
        of the manifest's selections; then nothing is added.
        """
        sums: dict[tuple[str, str], list[mpz]] = {
            (cid, sid): [s.ciphertext.pad.value, s.ciphertext.data.value]
            for cid, c in self.contests.items()
            for sid, s in c.selections.items()
        }
        counted = set(self.cast_ballot_ids)
        for ballot in ballots:
            if ballot.state != BallotBoxState.CAST:
                raise InvalidBallot(
                    f"ballot {ballot.object_id} is not cast: only cast ballots count"
                )
            if ballot.object_id in counted:
                raise InvalidBallot(f"ballot {ballot.object_id} is already in the tally")
            counted.add(ballot.object_id)
            seen: set[str] = set()
            for contest in ballot.contests:
                if contest.object_id in seen:
                    raise InvalidBallot(
                        f"ballot {ballot.object_id}: contest {contest.object_id} appears twice"
                    )
                seen.add(contest.object_id)
                _add_contest(sums, self.contests, ballot.object_id, contest)
        contests = {
            cid: replace(
                c,
                selections={
                    sid: replace(
                        s,
                        ciphertext=ElGamalCiphertext(
                            ElementModP(sums[cid, sid][0]), ElementModP(sums[cid, sid][1])
                        ),
                    )
                    for sid, s in c.selections.items()
                },
            )
            for cid, c in self.contests.items()
        }
        return CiphertextTally(self.object_id, contests, frozenset(counted))

    def to_json(self) -> dict[str, Any]:
        return {
            "object_id": self.object_id,
            "contests": {
                cid: {
                    "object_id": c.object_id,
                    "sequence_order": c.sequence_order,
                    "description_hash": c.description_hash.to_hex(),
                    "selections": {
                        sid: {
                            "object_id": s.object_id,
                            "sequence_order": s.sequence_order,
                            "description_hash": s.description_hash.to_hex(),
                            "ciphertext": ciphertext_to_json(s.ciphertext),
                        }
                        for sid, s in c.selections.items()
                    },
                }
                for cid, c in self.contests.items()
            },
        }

    @classmethod
    def from_json(cls, obj: object) -> CiphertextTally:
        """Reads encrypted_tally.json; every ciphertext is checked to be in the subgroup."""
        where = "encrypted tally"
        contests: dict[str, TallyContest] = {}
        for cid, c in object_field(obj, "contests", where).items():
            cw = f"{where}: contest {cid}"
            selections: dict[str, TallySelection] = {}
            for sid, s in object_field(c, "selections", cw).items():
                sw = f"{cw}: selection {sid}"
                selections[sid] = TallySelection(
                    _same_id(s, sid, sw),
                    int_field(s, "sequence_order", sw),
                    q_field(s, "description_hash", sw),
                    ciphertext_from_json(object_field(s, "ciphertext", sw), sw),
                )
            contests[cid] = TallyContest(
                _same_id(c, cid, cw),
                int_field(c, "sequence_order", cw),
                q_field(c, "description_hash", cw),
                selections,
            )
        return cls(text_field(obj, "object_id", where), contests)


@dataclass(frozen=True, slots=True)
class _SelectionSum:
    object_id: str
    ciphertext: ElGamalCiphertext
    is_placeholder_selection: bool


@dataclass(frozen=True, slots=True)
class _ContestSum:
    object_id: str
    ballot_selections: tuple[_SelectionSum, ...]


@dataclass(frozen=True, slots=True)
class SummandBallot:
    """What the tally reads of a stored ballot: ids, state and selection ciphertexts.

    Why not `SubmittedBallot.from_json`: that reads every proof and hash too, about 65 numbers
    a motion ballot against the 8 the sum needs, and the close of a 1,000-ballot vote spent
    most of its time there.  Only for ballots that passed validation when they were stored
    (the ballot box's rows): nothing here checks a proof or subgroup membership.
    """

    object_id: str
    state: BallotBoxState | None
    contests: tuple[_ContestSum, ...]

    @classmethod
    def from_json(cls, data: object) -> SummandBallot:
        obj = require_object(data, "ballot", InvalidBallot)
        what = f"ballot {obj.get('object_id')!r}"
        state = obj.get("state")
        contests = []
        for c in read_list(obj, "contests", what, InvalidBallot):
            cobj = require_object(c, what, InvalidBallot)
            cwhat = f"{what} contest {cobj.get('object_id')!r}"
            selections = []
            for sel in read_list(cobj, "ballot_selections", cwhat, InvalidBallot):
                sobj = require_object(sel, cwhat, InvalidBallot)
                swhat = f"{cwhat} selection {sobj.get('object_id')!r}"
                ciphertext = require_object(sobj.get("ciphertext"), swhat, InvalidBallot)
                selections.append(
                    _SelectionSum(
                        read_str(sobj, "object_id", swhat, InvalidBallot),
                        ElGamalCiphertext(
                            read_p(ciphertext, "pad", swhat, InvalidBallot),
                            read_p(ciphertext, "data", swhat, InvalidBallot),
                        ),
                        read_bool(sobj, "is_placeholder_selection", swhat, InvalidBallot),
                    )
                )
            contests.append(
                _ContestSum(read_str(cobj, "object_id", cwhat, InvalidBallot), tuple(selections))
            )
        return cls(
            read_str(obj, "object_id", what, InvalidBallot),
            BallotBoxState(state) if state in (1, 2) and not isinstance(state, bool) else None,
            tuple(contests),
        )


def ballot_ciphertexts(ballot: BallotLike) -> dict[str, dict[str, ElGamalCiphertext]]:
    """Every selection of a ballot, placeholders included: a spoiled ballot is decrypted whole.

    electionguard 1.4.0 computes decryption shares for placeholders too and drops them only
    from the plaintext, so the shares a guardian publishes cover the same set.
    """
    return {
        c.object_id: {s.object_id: s.ciphertext for s in c.ballot_selections}
        for c in ballot.contests
    }


def _add_contest(
    sums: dict[tuple[str, str], list[mpz]],
    contests: Mapping[str, TallyContest],
    ballot_id: str,
    contest: BallotContestLike,
) -> None:
    known = contests.get(contest.object_id)
    if known is None:
        raise InvalidBallot(f"ballot {ballot_id}: contest {contest.object_id} is not in the tally")
    real: dict[str, BallotSelectionLike] = {}
    for s in contest.ballot_selections:
        if s.is_placeholder_selection:
            continue
        if s.object_id in real:
            raise InvalidBallot(
                f"ballot {ballot_id}: contest {contest.object_id} has selection {s.object_id} twice"
            )
        real[s.object_id] = s
    missing = set(known.selections) - set(real)
    if missing:
        raise InvalidBallot(
            f"ballot {ballot_id}: contest {contest.object_id} lacks selections {sorted(missing)}"
        )
    for sid in known.selections:
        acc = sums[contest.object_id, sid]
        acc[0] = acc[0] * real[sid].ciphertext.pad.value % P
        acc[1] = acc[1] * real[sid].ciphertext.data.value % P


def _same_id(obj: object, key: str, where: str) -> str:
    object_id = text_field(obj, "object_id", where)
    if object_id != key:
        raise InvalidElement(f"{where}: object_id {object_id!r} differs from its key")
    return object_id
