"""Ballot encryption exactly as electionguard 1.4.0 does it, deterministic given its inputs.

Every random value on a ballot is derived from one master nonce, so the same (ballot,
manifest, context, encryption seed, master nonce, timestamp) gives the same bytes as the
package, and the voter's device can reveal the master nonce to challenge a ballot (Benaloh):
  nonce seed           = H(manifest hash, ballot id, master nonce)
  contest nonce        = Nonces(contest description hash, nonce seed)[contest sequence order]
  constant proof seed  = Nonces(contest description hash, nonce seed)[0]
  selection nonce ξ    = Nonces(selection description hash, contest nonce)[selection sequence]
  disjunctive seed     = Nonces(selection description hash, contest nonce)[0]
  extended-data nonce  = Nonces(contest nonce, "constant-extended-data")[0]
A contest is filled as the package fills it: unlisted selections are 0; placeholders are set
to 1 until number_elected marks are reached; an over-vote (if the context allows it) is
encrypted as all-zero selections with every placeholder 1, and recorded, like under- and
null votes and write-ins, in the contest's encrypted extended data.
"""

from __future__ import annotations

import json

from .ballot import (
    CiphertextBallot,
    CiphertextBallotContest,
    CiphertextBallotSelection,
    PlaintextBallot,
    PlaintextBallotContest,
    ballot_code,
    ballot_crypto_hash,
    contest_crypto_hash,
    selection_crypto_hash,
)
from .chaum_pedersen import make_constant_chaum_pedersen, make_disjunctive_chaum_pedersen
from .context import ElectionContext
from .elgamal import elgamal_add, elgamal_encrypt
from .errors import InvalidBallot
from .group import ElementModP, ElementModQ, add_q
from .hash import hash_elems
from .hashed_elgamal import hashed_elgamal_encrypt, pad_message
from .internal_manifest import ContestWithPlaceholders, InternalManifest
from .manifest import SelectionDescription
from .nonces import Nonces

OVERVOTE, UNDERVOTE, NULLVOTE = "overvote", "undervote", "nullvote"


def ballot_nonce_seed(
    manifest_hash: ElementModQ, ballot_id: str, master_nonce: ElementModQ
) -> ElementModQ:
    return hash_elems(manifest_hash, ballot_id, master_nonce)


def encrypt_selection(
    vote: int,
    description: SelectionDescription,
    public_key: ElementModP,
    extended_base_hash: ElementModQ,
    contest_nonce: ElementModQ,
    *,
    is_placeholder: bool = False,
) -> CiphertextBallotSelection:
    description_hash = description.crypto_hash()
    sequence = Nonces(description_hash, contest_nonce)
    nonce, proof_seed = sequence[description.sequence_order], sequence[0]
    ciphertext = elgamal_encrypt(vote, nonce, public_key)
    proof = make_disjunctive_chaum_pedersen(
        ciphertext, nonce, public_key, extended_base_hash, proof_seed, vote
    )
    return CiphertextBallotSelection(
        description.object_id,
        description.sequence_order,
        description_hash,
        ciphertext,
        selection_crypto_hash(description.object_id, description_hash, ciphertext),
        is_placeholder,
        nonce,
        proof,
    )


def contest_status(
    contest: PlaintextBallotContest, description: ContestWithPlaceholders
) -> tuple[str | None, list[str] | None]:
    """The package's contest check: (error, over-voted ids) or InvalidBallot if unusable."""
    what = f"contest {contest.object_id!r}"
    known = {s.object_id for s in description.ballot_selections}
    seen: set[str] = set()
    for s in contest.ballot_selections:
        if s.object_id not in known:
            raise InvalidBallot(f"{what}: unknown selection {s.object_id!r}")
        if s.object_id in seen:
            raise InvalidBallot(f"{what}: selection {s.object_id!r} appears twice")
        if s.vote not in (0, 1):
            raise InvalidBallot(f"{what}: selection {s.object_id!r} has vote {s.vote}, not 0/1")
        seen.add(s.object_id)
    selected = [s.object_id for s in contest.ballot_selections if s.vote > 0]
    limit, allowed = description.number_elected, description.description.votes_allowed
    if not selected:
        return NULLVOTE, None
    if len(selected) < limit:
        return UNDERVOTE, None
    if len(selected) > limit or (allowed is not None and len(selected) > allowed):
        return OVERVOTE, selected
    if allowed is not None and len(selected) < allowed:
        raise InvalidBallot(f"{what}: only n-of-m contests (votes_allowed = n) are supported")
    return None, None


def contest_data_bytes(
    error: str | None, error_data: list[str] | None, contest: PlaintextBallotContest
) -> bytes:
    """The package's ContestData as JSON, padded to 512 bytes, for the extended data."""
    write_ins = {
        s.object_id: s.write_in for s in contest.ballot_selections if s.write_in is not None
    }
    body = {"error": error, "error_data": error_data, "write_ins": write_ins or None}
    try:
        return pad_message(json.dumps(body).encode("utf-8"))
    except ValueError as exc:  # the package refuses it too (TruncationError)
        raise InvalidBallot(
            f"contest {contest.object_id!r}: its write-ins or over-voted ids do not fit: {exc}"
        ) from None


def encrypt_contest(
    contest: PlaintextBallotContest,
    description: ContestWithPlaceholders,
    context: ElectionContext,
    nonce_seed: ElementModQ,
) -> CiphertextBallotContest:
    key, qbar = context.elgamal_public_key, context.crypto_extended_base_hash
    error, error_data = contest_status(contest, description)
    if error == OVERVOTE and not context.configuration.allow_overvotes:
        raise InvalidBallot(f"contest {contest.object_id!r}: over-vote")
    description_hash = description.crypto_hash()
    sequence = Nonces(description_hash, nonce_seed)
    contest_nonce, proof_seed = sequence[description.sequence_order], sequence[0]
    votes = {s.object_id: s.vote for s in contest.ballot_selections}
    if error == OVERVOTE:
        votes = {}
    selections = []
    marked = 0
    for selection in description.ballot_selections:
        vote = votes.get(selection.object_id, 0)
        marked += vote
        selections.append(encrypt_selection(vote, selection, key, qbar, contest_nonce))
    for placeholder in description.placeholder_selections:
        vote = 1 if marked < description.number_elected else 0
        marked += vote
        selections.append(
            encrypt_selection(vote, placeholder, key, qbar, contest_nonce, is_placeholder=True)
        )
    extended = hashed_elgamal_encrypt(
        contest_data_bytes(error, error_data, contest),
        Nonces(contest_nonce, "constant-extended-data")[0],
        key,
        qbar,
    )
    accumulation = elgamal_add(s.ciphertext for s in selections)
    aggregate = add_q(*[s.nonce for s in selections if s.nonce is not None])
    proof = make_constant_chaum_pedersen(
        accumulation, description.number_elected, aggregate, key, proof_seed, qbar
    )
    return CiphertextBallotContest(
        contest.object_id,
        description.sequence_order,
        description_hash,
        tuple(selections),
        accumulation,
        contest_crypto_hash(contest.object_id, description_hash, selections),
        contest_nonce,
        proof,
        extended,
    )


def encrypt_ballot(
    ballot: PlaintextBallot,
    internal: InternalManifest,
    context: ElectionContext,
    encryption_seed: ElementModQ,
    master_nonce: ElementModQ,
    timestamp: int,
) -> CiphertextBallot:
    """Encrypt a ballot; the result keeps every nonce (drop them with `.submit(state)`).

    `encryption_seed` is the code seed: the device hash, or the previous ballot's code.
    `master_nonce` must be fresh and secret (callers draw it from `secrets`); `timestamp` is
    seconds since the epoch.  Contests of the style missing from `ballot` are encrypted
    blank; a contest not on the ballot's style is refused.
    """
    if context.manifest_hash != internal.manifest_hash:
        raise InvalidBallot("the context belongs to another manifest")
    if master_nonce.value == 0:
        raise InvalidBallot("the master nonce must not be zero")
    descriptions = internal.contests_for(ballot.style_id)
    wanted = {c.object_id for c in descriptions}
    given: dict[str, PlaintextBallotContest] = {}
    for contest in ballot.contests:
        if contest.object_id not in wanted:
            raise InvalidBallot(
                f"ballot {ballot.object_id!r}: contest {contest.object_id!r} "
                f"is not on style {ballot.style_id!r}"
            )
        if contest.object_id in given:
            raise InvalidBallot(f"ballot {ballot.object_id!r}: contest {contest.object_id!r} twice")
        given[contest.object_id] = contest
    nonce_seed = ballot_nonce_seed(internal.manifest_hash, ballot.object_id, master_nonce)
    contests = tuple(
        encrypt_contest(
            given.get(d.object_id) or PlaintextBallotContest(d.object_id), d, context, nonce_seed
        )
        for d in descriptions
    )
    crypto_hash = ballot_crypto_hash(ballot.object_id, internal.manifest_hash, contests)
    return CiphertextBallot(
        ballot.object_id,
        ballot.style_id,
        internal.manifest_hash,
        encryption_seed,
        contests,
        ballot_code(encryption_seed, timestamp, crypto_hash),
        timestamp,
        crypto_hash,
        master_nonce,
    )
