"""Voting credentials: the committee's signed statements, the ballot signature's message, and
the record's `evote/credentials.json` (docs/credentials.md, docs/record.md).

The credentials committee (its own machine, `evote-credentials`) gives every voting delegate a
code; from it the delegate's browser derives one Ed25519 key per *slot* (slot 0 to check the
code at login, slot j for the j-th vote of the event), so a delegate's ballots in two votes
carry unrelated keys.  The committee signs, per batch and slot, which public keys it added and
revoked; the server holds only these anonymous sets of keys (plus, per batch, which
participants received a letter) and never learns which key belongs to whom.  Each cast ballot
is signed by a key of its vote's slot.

This module is pure (stdlib only): it defines the bytes that are signed and the documents'
shape, and checks everything but the Ed25519 signatures themselves, which the server
(`evote.eligibility`), the committee's tool and the verifier (written again) check with pynacl.

Signed bytes of a document (statement or batch header), as for every evote extra file:

    "<type>/<version>" ‖ 0x00 ‖ canonical JSON of the document        (jsonio.canonical_json)

Signed bytes of a ballot:

    "evote-ballot-credential-v1" ‖ 0x00 ‖ u32(len(vote id)) ‖ vote id (UTF-8)
        ‖ manifest hash (32 bytes, big-endian) ‖ ballot crypto_hash (32 bytes, big-endian)
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InvalidRecord
from .extras import check_extra
from .jsonio import canonical_json

STATEMENT_TYPE, STATEMENT_VERSION = "evote/credential-statement", 1
BATCH_TYPE, BATCH_VERSION = "evote/credential-batch", 1
UPLOAD_TYPE, UPLOAD_VERSION = "evote/credential-upload", 1
ROLL_TYPE, ROLL_VERSION = "evote/delegate-roll", 1
RECORD_FILE = "credentials.json"
RECORD_TYPE, RECORD_VERSION = "evote/credentials", 1

KDF_NAME = "evote-credential-v1"
"""The derivation from code to keys (docs/credentials.md): PBKDF2-HMAC-SHA256 of the code,
then HMAC-SHA256 per slot, then Ed25519."""
CHECK_SLOT = 0
"""The slot whose keys only check a typed code; no ballot is ever signed with them."""
MAX_SLOT = 10_000
BALLOT_TAG = b"evote-ballot-credential-v1\x00"
KINDS = ("issue", "replace")

_KEY = re.compile(r"[0-9a-f]{64}")
_SIGNATURE = re.compile(r"[0-9a-f]{128}")
_SALT = re.compile(r"[0-9a-f]{32}")


class CredentialError(ValueError):
    """A credential document that does not follow the format; the message says what."""


def is_key(text: object) -> bool:
    """An Ed25519 public key as evote spells it: 32 bytes, 64 lower-case hex digits."""
    return isinstance(text, str) and _KEY.fullmatch(text) is not None


def is_signature(text: object) -> bool:
    return isinstance(text, str) and _SIGNATURE.fullmatch(text) is not None


def signed_bytes(document: Mapping[str, Any]) -> bytes:
    """What the committee's key signs for `document`: its type/version tag, 0x00, its
    canonical JSON.  The tag keeps a signed statement from being read as any other type."""
    tag = f"{document['type']}/{document['version']}".encode()
    return tag + b"\x00" + canonical_json(dict(document))


def ballot_message(vote_id: str, manifest_hash: int, crypto_hash: int) -> bytes:
    """The bytes a delegate's slot key signs for one cast ballot of vote `vote_id` (the
    manifest's election_scope_id).  The crypto_hash covers the ballot's id and every
    ciphertext; the manifest hash and vote id keep the signature from serving another vote."""
    if not vote_id:
        raise CredentialError("the vote id is empty")
    for name, value in (("manifest hash", manifest_hash), ("crypto_hash", crypto_hash)):
        if not 0 <= value < 2**256:
            raise CredentialError(f"the {name} must be a 256-bit number")
    data = vote_id.encode("utf-8")
    return (
        BALLOT_TAG + len(data).to_bytes(4, "big") + data
        + manifest_hash.to_bytes(32, "big") + crypto_hash.to_bytes(32, "big")
    )


def _int(doc: Mapping[str, Any], name: str, where: str, low: int = 0, high: int = 2**31) -> int:
    value = doc.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise CredentialError(f"{where}: {name!r} must be an integer from {low} to {high}")
    return value


def _keys(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(is_key(k) for k in value):
        raise CredentialError(f"{where}: expected a list of keys (64 lower-case hex digits)")
    if value != sorted(set(value)):
        raise CredentialError(f"{where}: keys must be sorted and each listed once")
    return tuple(value)


def _type(doc: object, kind: str, version: int, where: str) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise CredentialError(f"{where}: expected a JSON object")
    if doc.get("type") != kind or doc.get("version") != version:
        raise CredentialError(
            f"{where}: expected type {kind} version {version}, "
            f"got {doc.get('type')!r} version {doc.get('version')!r}"
        )
    return doc


def _fields(doc: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = set(doc) - allowed
    if extra:
        raise CredentialError(f"{where}: unknown field(s) {sorted(extra)}")


@dataclass(frozen=True, slots=True)
class Kdf:
    """How a code becomes keys: named derivation, PBKDF2 iterations, the event's salt."""

    iterations: int
    salt: str
    """16 bytes, 32 lower-case hex digits, drawn by the committee once per event."""
    name: str = KDF_NAME

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "iterations": self.iterations, "salt": self.salt}

    @classmethod
    def from_json(cls, doc: object, where: str) -> Kdf:
        if not isinstance(doc, dict):
            raise CredentialError(f"{where}: 'kdf' must be an object")
        _fields(doc, {"name", "iterations", "salt"}, f"{where}: kdf")
        if doc.get("name") != KDF_NAME:
            raise CredentialError(f"{where}: kdf name must be {KDF_NAME!r}")
        salt = doc.get("salt")
        if not isinstance(salt, str) or not _SALT.fullmatch(salt):
            raise CredentialError(f"{where}: kdf salt must be 32 lower-case hex digits")
        return cls(_int(doc, "iterations", f"{where}: kdf", 1, 100_000_000), salt)


@dataclass(frozen=True, slots=True)
class Statement:
    """The committee's word on one slot in one batch: these keys added, those revoked."""

    event: str
    batch: int
    slot: int
    kdf: Kdf
    added: tuple[str, ...]
    revoked: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "type": STATEMENT_TYPE,
            "version": STATEMENT_VERSION,
            "event": self.event,
            "batch": self.batch,
            "slot": self.slot,
            "kdf": self.kdf.to_json(),
            "added": list(self.added),
            "revoked": list(self.revoked),
        }

    def signed_bytes(self) -> bytes:
        return signed_bytes(self.to_json())

    @classmethod
    def from_json(cls, doc: object, where: str = "statement") -> Statement:
        doc = _type(doc, STATEMENT_TYPE, STATEMENT_VERSION, where)
        _fields(doc, {"type", "version", "event", "batch", "slot", "kdf", "added", "revoked"},
                where)
        event = doc.get("event")
        if not isinstance(event, str) or not event:
            raise CredentialError(f"{where}: 'event' must be the event's slug")
        added = _keys(doc.get("added"), f"{where}: added")
        revoked = _keys(doc.get("revoked"), f"{where}: revoked")
        if set(added) & set(revoked):
            raise CredentialError(f"{where}: a key is both added and revoked")
        return cls(
            event, _int(doc, "batch", where), _int(doc, "slot", where, 0, MAX_SLOT),
            Kdf.from_json(doc.get("kdf"), where), added, revoked,
        )


@dataclass(frozen=True, slots=True)
class BatchHeader:
    """What one batch is: who received a letter in it (participant ids, for the server's
    checks; never in the record), which slots its statements cover, the derivation."""

    event: str
    batch: int
    kind: str
    participants: tuple[int, ...]
    slots: tuple[int, ...]
    kdf: Kdf

    def to_json(self) -> dict[str, Any]:
        return {
            "type": BATCH_TYPE,
            "version": BATCH_VERSION,
            "event": self.event,
            "batch": self.batch,
            "kind": self.kind,
            "participants": list(self.participants),
            "slots": list(self.slots),
            "kdf": self.kdf.to_json(),
        }

    @classmethod
    def from_json(cls, doc: object, where: str = "batch") -> BatchHeader:
        doc = _type(doc, BATCH_TYPE, BATCH_VERSION, where)
        _fields(doc, {"type", "version", "event", "batch", "kind", "participants", "slots",
                      "kdf"}, where)
        event, kind = doc.get("event"), doc.get("kind")
        if not isinstance(event, str) or not event:
            raise CredentialError(f"{where}: 'event' must be the event's slug")
        if kind not in KINDS:
            raise CredentialError(f"{where}: 'kind' must be one of {KINDS}")
        people, slots = doc.get("participants"), doc.get("slots")
        for name, value in (("participants", people), ("slots", slots)):
            if (
                not isinstance(value, list) or not value
                or not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0
                           for x in value)
                or value != sorted(set(value))
            ):
                raise CredentialError(
                    f"{where}: {name!r} must be a non-empty sorted list of distinct integers"
                )
        assert isinstance(people, list) and isinstance(slots, list)
        if CHECK_SLOT not in slots or max(slots) > MAX_SLOT:
            raise CredentialError(f"{where}: 'slots' must include the check slot 0")
        return cls(event, _int(doc, "batch", where), kind, tuple(people), tuple(slots),
                   Kdf.from_json(doc.get("kdf"), where))


@dataclass(frozen=True, slots=True)
class Signed:
    """A document with the committee's Ed25519 signature (128 lower-case hex digits)."""

    document: dict[str, Any]
    signature: str

    def to_json(self) -> dict[str, Any]:
        return {"document": copy.deepcopy(self.document), "signature": self.signature}

    @classmethod
    def from_json(cls, doc: object, where: str) -> Signed:
        if not isinstance(doc, dict) or set(doc) != {"document", "signature"}:
            raise CredentialError(f"{where}: expected {{document, signature}}")
        if not is_signature(doc["signature"]):
            raise CredentialError(f"{where}: signature must be 128 lower-case hex digits")
        if not isinstance(doc["document"], dict):
            raise CredentialError(f"{where}: document must be an object")
        return cls(doc["document"], doc["signature"])


@dataclass(frozen=True, slots=True)
class Upload:
    """The file the committee hands over: one batch header and its statements, all signed.

    The server checks every signature against the event's committee key and stores nothing
    unless the whole upload is right (docs/credentials.md)."""

    committee_key: str
    batch: Signed
    statements: tuple[Signed, ...]

    def header(self) -> BatchHeader:
        return BatchHeader.from_json(self.batch.document)

    def parsed_statements(self) -> list[Statement]:
        return [Statement.from_json(s.document, f"statement {i}")
                for i, s in enumerate(self.statements)]

    def to_json(self) -> dict[str, Any]:
        return {
            "type": UPLOAD_TYPE,
            "version": UPLOAD_VERSION,
            "committee_key": self.committee_key,
            "batch": self.batch.to_json(),
            "statements": [s.to_json() for s in self.statements],
        }

    @classmethod
    def from_json(cls, doc: object) -> Upload:
        doc = _type(doc, UPLOAD_TYPE, UPLOAD_VERSION, "upload")
        _fields(doc, {"type", "version", "committee_key", "batch", "statements"}, "upload")
        if not is_key(doc.get("committee_key")):
            raise CredentialError("upload: 'committee_key' must be 64 lower-case hex digits")
        statements = doc.get("statements")
        if not isinstance(statements, list) or not statements:
            raise CredentialError("upload: 'statements' must be a non-empty list")
        return cls(
            doc["committee_key"], Signed.from_json(doc.get("batch"), "upload: batch"),
            tuple(Signed.from_json(s, f"upload: statement {i}") for i, s in enumerate(statements)),
        )


def check_batch(header: BatchHeader, statements: Sequence[Statement]) -> None:
    """The statements are exactly the header's slots, of its batch, event and derivation, and
    their counts fit its kind: an issue adds one key per participant to every slot; a
    replacement revokes one and adds one per participant in every slot."""
    where = f"batch {header.batch}"
    if [s.slot for s in statements] != list(header.slots):
        raise CredentialError(f"{where}: the statements must cover exactly the slots "
                              f"{list(header.slots)}, in order")
    n = len(header.participants)
    for s in statements:
        if (s.event, s.batch, s.kdf) != (header.event, header.batch, header.kdf):
            raise CredentialError(f"{where}: slot {s.slot}'s statement is of another event, "
                                  "batch or derivation")
        expected_revoked = 0 if header.kind == "issue" else n
        if len(s.added) != n or len(s.revoked) != expected_revoked:
            raise CredentialError(
                f"{where}: slot {s.slot} adds {len(s.added)} and revokes {len(s.revoked)} keys; "
                f"a {header.kind} for {n} participant(s) adds {n} and revokes {expected_revoked}"
            )
    if header.kind == "issue" and header.batch != 0:
        raise CredentialError(f"{where}: only batch 0 issues; later batches replace")
    if header.kind == "replace" and header.batch == 0:
        raise CredentialError(f"{where}: batch 0 issues the first credentials")


@dataclass(frozen=True, slots=True)
class Roll:
    eligible: frozenset[str]
    revoked: frozenset[str]


def fold(statements: Iterable[Statement]) -> Roll:
    """One slot's keys after these statements, in batch order: added ones join, revoked ones
    leave for good.  Raises CredentialError for a key added twice or revoked while not on it."""
    eligible: set[str] = set()
    revoked: set[str] = set()
    for s in statements:
        for key in s.revoked:
            if key not in eligible:
                raise CredentialError(
                    f"batch {s.batch}, slot {s.slot}: revokes {key[:16]}…, which is not on the roll"
                )
            eligible.discard(key)
            revoked.add(key)
        for key in s.added:
            if key in eligible or key in revoked:
                raise CredentialError(
                    f"batch {s.batch}, slot {s.slot}: adds {key[:16]}… a second time"
                )
            eligible.add(key)
    return Roll(frozenset(eligible), frozenset(revoked))


@dataclass(frozen=True, slots=True)
class BallotSignature:
    ballot_id: str
    public_key: str
    signature: str

    def to_json(self) -> dict[str, Any]:
        return {"ballot_id": self.ballot_id, "public_key": self.public_key,
                "signature": self.signature}


@dataclass(frozen=True, slots=True)
class CredentialsInfo:
    """`evote/credentials.json`: the vote's roll of keys as the committee signed it, its
    revocations, and each cast ballot's key and signature.  No names, no participant ids."""

    vote_id: str
    committee_key: str
    slot: int
    statements: tuple[Signed, ...]
    """Every batch's statement for this slot up to the vote's opening, in batch order."""
    ballots: tuple[BallotSignature, ...]

    def parsed(self) -> list[Statement]:
        return [Statement.from_json(s.document, f"evote/{RECORD_FILE}: statement {i}")
                for i, s in enumerate(self.statements)]

    def roll(self) -> Roll:
        return fold(self.parsed())

    def to_json(self) -> dict[str, Any]:
        roll = self.roll()
        return {
            "type": RECORD_TYPE,
            "version": RECORD_VERSION,
            "vote_id": self.vote_id,
            "committee_key": self.committee_key,
            "slot": self.slot,
            "statements": [s.to_json() for s in self.statements],
            "roll": sorted(roll.eligible),
            "revoked": sorted(roll.revoked),
            "ballots": [b.to_json() for b in sorted(self.ballots, key=lambda b: b.public_key)],
        }

    def check(self, vote_id: str, cast_ballot_ids: Iterable[str]) -> None:
        """Everything but the signatures: one slot, batches 0..B, the roll as folded, one
        distinct key of the roll per cast ballot and nothing else.  InvalidRecord if not."""
        where = f"evote/{RECORD_FILE}"
        try:
            statements = self.parsed()
            roll = self.roll()
        except CredentialError as exc:
            raise InvalidRecord(str(exc)) from None
        if self.vote_id != vote_id:
            raise InvalidRecord(f"{where}: vote_id {self.vote_id!r} is not {vote_id!r}")
        if [s.batch for s in statements] != list(range(len(statements))) or not statements:
            raise InvalidRecord(f"{where}: statements must be batches 0, 1, … in order")
        if {s.slot for s in statements} != {self.slot} or self.slot == CHECK_SLOT:
            raise InvalidRecord(f"{where}: every statement must be for the vote's slot")
        if len({(s.event, s.kdf) for s in statements}) != 1:
            raise InvalidRecord(f"{where}: statements of different events or derivations")
        keys = [b.public_key for b in self.ballots]
        if len(set(keys)) != len(keys):
            raise InvalidRecord(f"{where}: a key signed two ballots")
        if not set(keys) <= roll.eligible:
            raise InvalidRecord(f"{where}: a ballot is signed by a key not on the roll")
        if sorted(b.ballot_id for b in self.ballots) != sorted(cast_ballot_ids):
            raise InvalidRecord(f"{where}: not exactly one signature per cast ballot")

    @classmethod
    def from_json(cls, document: object) -> CredentialsInfo:
        where = f"evote/{RECORD_FILE}"
        doc = check_extra(document, where)
        try:
            doc = _type(doc, RECORD_TYPE, RECORD_VERSION, where)
            _fields(doc, {"type", "version", "vote_id", "committee_key", "slot", "statements",
                          "roll", "revoked", "ballots"}, where)
            if not is_key(doc.get("committee_key")):
                raise CredentialError(f"{where}: committee_key must be 64 lower-case hex digits")
            vote_id = doc.get("vote_id")
            if not isinstance(vote_id, str) or not vote_id:
                raise CredentialError(f"{where}: vote_id must be a non-empty string")
            statements = doc.get("statements")
            ballots = doc.get("ballots")
            if not isinstance(statements, list) or not isinstance(ballots, list):
                raise CredentialError(f"{where}: statements and ballots must be lists")
            parsed_ballots = []
            for i, b in enumerate(ballots):
                if (
                    not isinstance(b, dict) or set(b) != {"ballot_id", "public_key", "signature"}
                    or not isinstance(b["ballot_id"], str) or not is_key(b["public_key"])
                    or not is_signature(b["signature"])
                ):
                    raise CredentialError(f"{where}: ballots[{i}] is malformed")
                parsed_ballots.append(
                    BallotSignature(b["ballot_id"], b["public_key"], b["signature"])
                )
            info = cls(
                vote_id, doc["committee_key"], _int(doc, "slot", where, 1, MAX_SLOT),
                tuple(Signed.from_json(s, f"{where}: statements[{i}]")
                      for i, s in enumerate(statements)),
                tuple(parsed_ballots),
            )
            roll = info.roll()
        except CredentialError as exc:
            raise InvalidRecord(str(exc)) from None
        if doc.get("roll") != sorted(roll.eligible) or doc.get("revoked") != sorted(roll.revoked):
            raise InvalidRecord(f"{where}: roll and revoked are not what the statements make")
        return info
