"""`read_record` and `write_record`: an `ElectionRecord` to and from a directory or zip."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from evote.crypto.ballot import SubmittedBallot
from evote.crypto.ceremony import GuardianPublicKey
from evote.crypto.compensation import LagrangeCoefficients
from evote.crypto.context import ElectionContext
from evote.crypto.decrypt import PlaintextTally
from evote.crypto.errors import CryptoError
from evote.crypto.manifest import Manifest
from evote.crypto.tally import CiphertextTally

from . import layout
from .archive import read_files, write_files
from .constants import check_constants, constants_to_json
from .errors import InvalidRecord
from .extras import CEREMONY_FILE, VOTE_FILE, CeremonyInfo, VoteInfo, check_extra, encode_extra
from .jsonio import package_json, parse_json
from .model import ElectionRecord, EncryptionDevice
from .ordering import check_order_hiding, tracking_code_order
from .scripts import SCRIPTS_FILE, ScriptsInfo

T = TypeVar("T")


def _parse(path: str, data: bytes, reader: Callable[[Any], T]) -> T:
    """Parse one file; every failure becomes `InvalidRecord` naming the file (cause kept)."""
    document = parse_json(data, path)
    try:
        return reader(document)
    except (CryptoError, InvalidRecord, ValueError) as error:
        raise InvalidRecord(f"{path}: {error}") from error


def read_record(path: str | os.PathLike[str]) -> ElectionRecord:
    """Read and parse a record written by evote or by electionguard 1.4.0 (`eg e2e`).

    Raises `InvalidRecord` for a missing required file, an unknown file, malformed JSON, a
    number out of range (keys, tallies and shares are also refused outside the order-q
    subgroup; ballots are checked for that by validation), or parts that do not fit together.
    Proofs are not checked here.
    """
    files = read_files(path)
    singles: dict[str, bytes] = {}
    parts: dict[layout.Part, list[tuple[str, str, bytes]]] = {p: [] for p in layout.Part}
    for name in sorted(files):
        part, key = layout.classify(name)
        if part is layout.Part.SINGLE:
            singles[name] = files[name]
        else:
            parts[part].append((name, key, files[name]))
    for required in layout.REQUIRED_FILES:
        if required not in singles:
            raise InvalidRecord(f"the record has no {required}")

    _parse(layout.CONSTANTS, singles[layout.CONSTANTS], check_constants)
    manifest = _parse(layout.MANIFEST, singles[layout.MANIFEST], Manifest.from_json)
    context = _parse(layout.CONTEXT, singles[layout.CONTEXT], ElectionContext.from_json)

    def keyed(part: layout.Part, reader: Callable[[Any], T], id_of: Callable[[T], str]) -> list[T]:
        out = []
        for name, key, data in parts[part]:
            item = _parse(name, data, reader)
            if id_of(item) != key:
                raise InvalidRecord(f"{name}: holds {id_of(item)!r}, its name says {key!r}")
            out.append(item)
        return out

    guardians = keyed(layout.Part.GUARDIAN, GuardianPublicKey.from_json, lambda g: g.guardian_id)
    devices = keyed(layout.Part.DEVICE, EncryptionDevice.from_json, lambda d: str(d.device_id))
    ballots = keyed(layout.Part.SUBMITTED, SubmittedBallot.from_json, lambda b: b.object_id)
    spoiled = keyed(layout.Part.SPOILED, PlaintextTally.from_json, lambda t: t.object_id)

    def optional(name: str, reader: Callable[[Any], T]) -> T | None:
        return _parse(name, singles[name], reader) if name in singles else None

    extras: dict[str, dict[str, Any]] = {}
    vote = None
    ceremony = None
    for name, key, data in parts[layout.Part.EXTRA]:
        if key == VOTE_FILE:
            vote = _parse(name, data, VoteInfo.from_json)
        elif key == CEREMONY_FILE:
            ceremony = _parse(name, data, CeremonyInfo.from_json)
        elif key == SCRIPTS_FILE:  # checked for its own format, kept as a document
            extras[key] = _parse(name, data, lambda doc: ScriptsInfo.from_json(doc).to_json())
        else:
            extras[key] = _parse(name, data, lambda doc, where=name: check_extra(doc, where))

    record = ElectionRecord(
        manifest=manifest,
        context=context,
        guardians=tuple(sorted(guardians, key=lambda g: g.sequence_order)),
        devices=tuple(devices),
        submitted_ballots=tuple(ballots),
        spoiled_ballots=tuple(spoiled),
        encrypted_tally=optional(layout.ENCRYPTED_TALLY, CiphertextTally.from_json),
        tally=optional(layout.TALLY, PlaintextTally.from_json),
        lagrange_coefficients=optional(layout.COEFFICIENTS, LagrangeCoefficients.from_json),
        vote=vote,
        ceremony=ceremony,
        extras=extras,
    )
    record.check_structure()
    return record


def record_files(record: ElectionRecord, *, hide_order: bool = True) -> list[tuple[str, bytes]]:
    """The record's files, in publishing order (see docs/record.md), as bytes.

    `hide_order` enforces the order-hiding rules; switch it off only to re-publish a record
    someone else wrote (an `eg e2e` record chains its ballots and would be refused).
    """
    record.check_structure()
    ballots = sorted(record.submitted_ballots, key=tracking_code_order)
    if hide_order:
        check_order_hiding(
            ballots,
            [d.crypto_hash() for d in record.devices],
            None if record.vote is None else record.vote.ballot_timestamp,
        )
    for ballot in ballots:
        _require_no_nonce(ballot)

    entries: list[tuple[str, bytes]] = [
        (layout.MANIFEST, package_json(record.manifest.to_json())),
        (layout.CONTEXT, package_json(record.context.to_json())),
        (layout.CONSTANTS, package_json(constants_to_json())),
    ]
    if record.lagrange_coefficients is not None:
        entries.append((layout.COEFFICIENTS, package_json(record.lagrange_coefficients.to_json())))
    for g in sorted(record.guardians, key=lambda g: g.sequence_order):
        entries.append((layout.guardian_path(g.guardian_id), package_json(g.to_json())))
    for d in sorted(record.devices, key=lambda d: d.device_id):
        entries.append((layout.device_path(d.device_id), package_json(d.to_json())))
    for b in ballots:
        entries.append((layout.submitted_path(b.object_id), package_json(b.to_json())))
    code_of = {b.object_id: tracking_code_order(b) for b in ballots}
    for t in sorted(record.spoiled_ballots, key=lambda t: code_of[t.object_id]):
        entries.append((layout.spoiled_path(t.object_id), package_json(t.to_json())))
    if record.encrypted_tally is not None:
        entries.append((layout.ENCRYPTED_TALLY, package_json(record.encrypted_tally.to_json())))
    if record.tally is not None:
        entries.append((layout.TALLY, package_json(record.tally.to_json())))
    extras = dict(record.extras)
    for typed, source in ((VOTE_FILE, "vote"), (CEREMONY_FILE, "ceremony")):
        if typed in extras:
            raise InvalidRecord(f"evote/{typed} is written from ElectionRecord.{source}, not extras")
    if record.vote is not None:
        extras[VOTE_FILE] = record.vote.to_json()
    if record.ceremony is not None:
        extras[CEREMONY_FILE] = record.ceremony.to_json()
    for name in sorted(extras):
        path = layout.extra_path(name)
        entries.append((path, encode_extra(dict(extras[name]), path)))
    return entries


def write_record(
    record: ElectionRecord, path: str | os.PathLike[str], *, hide_order: bool = True
) -> Path:
    """Write the record as a directory, or as a zip if `path` ends in `.zip`.

    Raises `InvalidRecord` (and writes nothing) if the record's parts do not fit together,
    a ballot still carries a nonce, or, with `hide_order`, the record would reveal the order
    in which ballots arrived.  Never overwrites an existing record.
    """
    return write_files(record_files(record, hide_order=hide_order), path)


def _require_no_nonce(ballot: SubmittedBallot) -> None:
    """A nonce in a published ballot opens its vote to everyone: refuse, never strip silently."""
    leaked = ballot.nonce is not None or any(
        c.nonce is not None or any(s.nonce is not None for s in c.ballot_selections)
        for c in ballot.contests
    )
    if leaked:
        raise InvalidRecord(
            f"ballot {ballot.object_id} still carries a nonce; publish only submitted ballots"
        )
