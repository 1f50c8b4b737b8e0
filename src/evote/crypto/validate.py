"""Validation of encrypted ballots against THIS manifest and context, raising typed errors.

A ballot is accepted only if everything the package's `is_valid_encryption` checks holds,
and more:
- it is for this manifest (manifest hash) and this election (every proof's challenge starts
  with this context's Q̄, so a ballot made for another vote or key fails its proofs);
- its style exists and it carries exactly that style's contests, in manifest order, each with
  exactly its selections and placeholders, in order, with the right sequence orders,
  description hashes and placeholder flags (a ballot with a selection missing or invented
  cannot be tallied honestly);
- every selection, contest and ballot crypto_hash, and the tracking code, recompute;
- every contest's accumulation is the product of its selections and its constant proof
  proves exactly number_elected (the selection limit);
- every α, β and proof commitment lies in the order-q subgroup and every proof verifies;
- by default it carries no nonce, which would reveal the vote to whoever stores it.
The cheap checks raise at once (`InvalidBallot`, `InvalidProof` for a bad challenge); the
group equations and memberships are collected as `Claims` and handed to a checker (the
sequential default, or `batch.BatchChecker`), which raises `InvalidProof`/`InvalidElement`
naming ballot, contest, selection and equation.
"""

from __future__ import annotations

from collections.abc import Iterable

from .ballot import (
    CiphertextBallot,
    CiphertextBallotContest,
    CiphertextBallotSelection,
    ballot_code,
    contest_crypto_hash,
    selection_crypto_hash,
)
from .context import ElectionContext
from .elgamal import elgamal_add
from .equations import DEFAULT_CHECKER, Checker, Claims
from .errors import CryptoError, InvalidBallot, InvalidContext, InvalidProof
from .hash import hash_elems
from .internal_manifest import ContestWithPlaceholders, InternalManifest
from .manifest import Manifest, SelectionDescription


def _internal(manifest: InternalManifest | Manifest) -> InternalManifest:
    return manifest if isinstance(manifest, InternalManifest) else InternalManifest(manifest)


def _check_described(
    part: CiphertextBallotSelection | CiphertextBallotContest,
    description: SelectionDescription | ContestWithPlaceholders,
    what: str,
    allow_nonces: bool,
) -> None:
    """What a selection and a contest share: the manifest's place and hash, and no nonce."""
    if part.sequence_order != description.sequence_order:
        raise InvalidBallot(f"{what}: sequence_order is not the manifest's")
    if part.description_hash != description.crypto_hash():
        raise InvalidBallot(f"{what}: description_hash does not match this manifest")
    if not allow_nonces and part.nonce is not None:
        raise InvalidBallot(f"{what}: carries its nonce, which would reveal the vote")


def _selection_claims(
    selection: CiphertextBallotSelection,
    description: SelectionDescription,
    is_placeholder: bool,
    context: ElectionContext,
    what: str,
    allow_nonces: bool,
) -> Claims:
    what = f"{what} selection {selection.object_id!r}"
    if selection.object_id != description.object_id:
        raise InvalidBallot(f"{what}: expected selection {description.object_id!r} here")
    _check_described(selection, description, what, allow_nonces)
    if selection.is_placeholder_selection != is_placeholder:
        raise InvalidBallot(f"{what}: is_placeholder_selection is wrong")
    expected = selection_crypto_hash(
        selection.object_id, selection.description_hash, selection.ciphertext
    )
    if selection.crypto_hash != expected:
        raise InvalidBallot(f"{what}: crypto_hash does not match its ciphertext")
    if selection.proof is None:
        raise InvalidProof(f"{what}: has no disjunctive proof")
    return selection.proof.claims(
        selection.ciphertext,
        context.elgamal_public_key,
        context.crypto_extended_base_hash,
        f"{what}: disjunctive proof",
    )


def _contest_claims(
    contest: CiphertextBallotContest,
    description: ContestWithPlaceholders,
    context: ElectionContext,
    what: str,
    allow_nonces: bool,
) -> Claims:
    what = f"{what} contest {contest.object_id!r}"
    _check_described(contest, description, what, allow_nonces)
    expected = description.all_selections
    got = contest.ballot_selections
    if len(got) != len(expected):
        raise InvalidBallot(
            f"{what}: has {len(got)} selections, expected {len(expected)} "
            f"({len(description.placeholder_selections)} of them placeholders)"
        )
    claims = Claims()
    real = len(description.ballot_selections)
    for index, (selection, selection_description) in enumerate(zip(got, expected, strict=True)):
        claims.extend(
            _selection_claims(
                selection, selection_description, index >= real, context, what, allow_nonces
            )
        )
    if contest.crypto_hash != contest_crypto_hash(contest.object_id, contest.description_hash, got):
        raise InvalidBallot(f"{what}: crypto_hash does not match its selections")
    accumulation = elgamal_add(s.ciphertext for s in got)
    # lets a batch checker fold α^c, β^c of the constant proof into the selections' powers
    claims.product(accumulation.pad, [s.ciphertext.pad for s in got])
    claims.product(accumulation.data, [s.ciphertext.data for s in got])
    if contest.ciphertext_accumulation != accumulation:
        raise InvalidBallot(f"{what}: ciphertext_accumulation is not the product of its selections")
    if contest.proof is None:
        raise InvalidProof(f"{what}: has no constant proof")
    if contest.proof.constant != description.number_elected:
        raise InvalidProof(
            f"{what}: constant proof is for {contest.proof.constant} selections, the limit is "
            f"{description.number_elected}"
        )
    claims.extend(
        contest.proof.claims(
            accumulation,
            context.elgamal_public_key,
            context.crypto_extended_base_hash,
            f"{what}: constant proof",
            check_ciphertext=False,  # a product of selection ciphertexts checked above
        )
    )
    return claims


def ballot_claims(
    ballot: CiphertextBallot,
    manifest: InternalManifest | Manifest,
    context: ElectionContext,
    *,
    allow_nonces: bool = False,
) -> Claims:
    """Run every cheap check (raising on the first failure); return the group claims."""
    internal = _internal(manifest)
    if context.manifest_hash != internal.manifest_hash:
        raise InvalidContext("the context is for another manifest")
    what = f"ballot {ballot.object_id!r}"
    if ballot.manifest_hash != internal.manifest_hash:
        raise InvalidBallot(f"{what}: is for another manifest (manifest_hash differs)")
    if not allow_nonces and ballot.nonce is not None:
        raise InvalidBallot(f"{what}: carries its master nonce, which would reveal the vote")
    try:
        descriptions = internal.contests_for(ballot.style_id)
    except InvalidBallot as exc:
        raise InvalidBallot(f"{what}: {exc}") from None
    got_ids = [c.object_id for c in ballot.contests]
    want_ids = [d.object_id for d in descriptions]
    if got_ids != want_ids:
        raise InvalidBallot(
            f"{what}: contests {got_ids} are not those of style {ballot.style_id!r}: {want_ids}"
        )
    claims = Claims()
    for contest, description in zip(ballot.contests, descriptions, strict=True):
        claims.extend(_contest_claims(contest, description, context, what, allow_nonces))
    # The package re-checks the ballot hash over the contests in list order; listed in manifest
    # order (checked above, and manifests list contests by sequence order) that is also the
    # sequence order it was made in.
    crypto_hash = hash_elems(
        ballot.object_id, ballot.manifest_hash, *[c.crypto_hash for c in ballot.contests]
    )
    if ballot.crypto_hash != crypto_hash:
        raise InvalidBallot(f"{what}: crypto_hash does not match its contests")
    if ballot.code != ballot_code(ballot.code_seed, ballot.timestamp, ballot.crypto_hash):
        raise InvalidBallot(f"{what}: tracking code is not H(code_seed, timestamp, crypto_hash)")
    return claims


def validate_ballot(
    ballot: CiphertextBallot,
    manifest: InternalManifest | Manifest,
    context: ElectionContext,
    *,
    checker: Checker = DEFAULT_CHECKER,
    allow_nonces: bool = False,
) -> None:
    """Raise `InvalidBallot`/`InvalidProof`/`InvalidElement` unless the ballot is valid.

    Pass an `InternalManifest` (built once per vote) rather than a `Manifest`, which would be
    validated and hashed again on every call.
    """
    checker.check(ballot_claims(ballot, manifest, context, allow_nonces=allow_nonces))


def validate_ballots(
    ballots: Iterable[CiphertextBallot],
    manifest: InternalManifest | Manifest,
    context: ElectionContext,
    *,
    checker: Checker = DEFAULT_CHECKER,
    allow_nonces: bool = False,
) -> None:
    """Validate many ballots with one checker call (one batch), raising the first failure.

    Ballot ids must be distinct: two ballots under one id would be counted twice.
    """
    internal = _internal(manifest)
    claims = Claims()
    seen: set[str] = set()
    for ballot in ballots:
        if ballot.object_id in seen:
            raise InvalidBallot(f"ballot {ballot.object_id!r} appears twice")
        seen.add(ballot.object_id)
        claims.extend(ballot_claims(ballot, internal, context, allow_nonces=allow_nonces))
    checker.check(claims)


def invalid_ballots(
    ballots: Iterable[CiphertextBallot],
    manifest: InternalManifest | Manifest,
    context: ElectionContext,
    *,
    checker: Checker = DEFAULT_CHECKER,
    allow_nonces: bool = False,
) -> list[tuple[str, CryptoError]]:
    """Every failing ballot with its error, for reports that must name all of them."""
    internal = _internal(manifest)
    failures: list[tuple[str, CryptoError]] = []
    for ballot in ballots:
        try:
            validate_ballot(ballot, internal, context, checker=checker, allow_nonces=allow_nonces)
        except CryptoError as exc:
            failures.append((ballot.object_id, exc))
    return failures
