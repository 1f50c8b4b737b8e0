"""Bad input gets a clear error: any mangled ballot, manifest or context JSON raises a
`CryptoError` subclass (never KeyError/TypeError/ValueError), or, if the parse succeeds, a
ballot that no longer matches is refused by validation."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evote.crypto.ballot import BallotBoxState, CiphertextBallot
from evote.crypto.batch import BatchChecker
from evote.crypto.context import ElectionContext
from evote.crypto.errors import CryptoError
from evote.crypto.internal_manifest import InternalManifest
from evote.crypto.manifest import Manifest
from evote.crypto.validate import validate_ballot

from .ballot_fixtures import vector_election
from .json_paths import json_paths, mangle

E = vector_election("overvote")
BALLOT = E.encrypt(E.inputs["plaintext"], 5).submit(BallotBoxState.CAST)
BALLOT_JSON = BALLOT.to_json()
BATCH = BatchChecker(b"fuzz-batch-weights-0123", fixed_bases=[E.context.elgamal_public_key])

junk = (
    st.none()
    | st.booleans()
    | st.integers(-3, 2**70)
    | st.text(max_size=8)
    | st.just("FF" * 600)
    | st.lists(st.integers(), max_size=2)
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
)


BALLOT_PATHS = json_paths(BALLOT_JSON)
MANIFEST_JSON = E.internal.manifest.to_json()
MANIFEST_PATHS = json_paths(MANIFEST_JSON)
CONTEXT_JSON = E.context.to_json()
CONTEXT_PATHS = json_paths(CONTEXT_JSON)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@FUZZ
@given(st.sampled_from(BALLOT_PATHS), junk, st.booleans())
def test_mangled_ballot_json(path: tuple[Any, ...], value: Any, delete: bool) -> None:
    mangled = mangle(BALLOT_JSON, path, value, delete)
    if mangled == BALLOT_JSON:
        return
    try:
        ballot = CiphertextBallot.from_json(mangled)
    except CryptoError:
        return
    if ballot == BALLOT:
        return  # e.g. lower-case hex, or a null where the default is null
    try:
        validate_ballot(ballot, E.internal, E.context, checker=BATCH)
    except CryptoError:
        return
    # What may differ and still validate: nothing a proof or hash covers.
    assert (
        path[-1] in {"extended_data", "data", "mac", "state", "usage"} or "extended_data" in path
    ), path


@FUZZ
@given(st.sampled_from(MANIFEST_PATHS), junk, st.booleans())
def test_mangled_manifest_json(path: tuple[Any, ...], value: Any, delete: bool) -> None:
    with contextlib.suppress(CryptoError):
        InternalManifest(Manifest.from_json(mangle(MANIFEST_JSON, path, value, delete)))


@FUZZ
@given(st.sampled_from(CONTEXT_PATHS), junk, st.booleans())
def test_mangled_context_json(path: tuple[Any, ...], value: Any, delete: bool) -> None:
    with contextlib.suppress(CryptoError):
        ElectionContext.from_json(mangle(CONTEXT_JSON, path, value, delete))
