"""`ElectionRecord`: the published record as evote's crypto types, and its device metadata.

The record holds parsed objects, not raw JSON: every number is range-checked by its type's
`from_json` (guardian keys, tally ciphertexts and shares also for subgroup membership).
Parsing is not verification: ballots' elements and proofs are checked by
`evote.crypto.validate`, shares by `evote.crypto.decrypt`, and everything by the standalone
verifier, never on load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evote.crypto.ballot import BallotBoxState, SubmittedBallot, device_hash
from evote.crypto.ceremony import GuardianPublicKey
from evote.crypto.compensation import LagrangeCoefficients
from evote.crypto.context import ElectionContext
from evote.crypto.decrypt import PlaintextTally
from evote.crypto.fingerprint import ceremony_digest
from evote.crypto.group import ElementModQ
from evote.crypto.manifest import Manifest
from evote.crypto.tally import CiphertextTally

from .audit import AUDIT_FILE, AuditExtract
from .cancellation import CANCELLED_FILE, Cancellation
from .credentials import RECORD_FILE as CREDENTIALS_FILE
from .credentials import CredentialsInfo
from .errors import InvalidRecord
from .extras import CeremonyInfo, VoteInfo
from .receipts import KEY_FILE, ReceiptKey, context_key


@dataclass(frozen=True, slots=True)
class EncryptionDevice:
    """The package's `EncryptionDevice`: whose hash seeds every tracking code of a vote.

    In evote the "device" is the vote itself (the browser encrypts under the vote's device
    hash), so one device per vote; see docs/record.md, "No chain".
    """

    device_id: int
    session_id: int
    launch_code: int
    location: str

    def crypto_hash(self) -> ElementModQ:
        return device_hash(self.device_id, self.session_id, self.launch_code, self.location)

    def to_json(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id,
            "session_id": self.session_id,
            "launch_code": self.launch_code,
            "location": self.location,
        }

    @classmethod
    def from_json(cls, document: object) -> EncryptionDevice:
        if not isinstance(document, Mapping):
            raise InvalidRecord("encryption device: expected a JSON object")
        values = []
        for key in ("device_id", "session_id", "launch_code"):
            value = document.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InvalidRecord(f"encryption device: {key!r} must be a non-negative integer")
            values.append(value)
        location = document.get("location")
        if not isinstance(location, str):
            raise InvalidRecord("encryption device: 'location' must be a string")
        return cls(values[0], values[1], values[2], location)


@dataclass(frozen=True, slots=True)
class ElectionRecord:
    """Everything published about one vote (one ElectionGuard election).

    A record may be partial (after the key ceremony, before the tally): the tally fields are
    then None.  `spoiled_ballots` are the *decryptions* of spoiled ballots (PlaintextTally,
    one per ballot); the spoiled ballots themselves are in `submitted_ballots` with state 2.
    """

    manifest: Manifest
    context: ElectionContext
    guardians: tuple[GuardianPublicKey, ...] = ()
    devices: tuple[EncryptionDevice, ...] = ()
    submitted_ballots: tuple[SubmittedBallot, ...] = ()
    spoiled_ballots: tuple[PlaintextTally, ...] = ()
    encrypted_tally: CiphertextTally | None = None
    tally: PlaintextTally | None = None
    lagrange_coefficients: LagrangeCoefficients | None = None
    vote: VoteInfo | None = None
    """evote/vote.json; None in records evote did not write."""
    ceremony: CeremonyInfo | None = None
    """evote/ceremony.json; None unless the key came from evote's key ceremony."""
    extras: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Other evote/ files by file name, as their (typed, versioned) JSON documents."""

    def cast_ballots(self) -> list[SubmittedBallot]:
        return [b for b in self.submitted_ballots if b.state == BallotBoxState.CAST]

    def spoiled_submitted(self) -> list[SubmittedBallot]:
        return [b for b in self.submitted_ballots if b.state == BallotBoxState.SPOILED]

    def ballot(self, object_id: str) -> SubmittedBallot:
        for b in self.submitted_ballots:
            if b.object_id == object_id:
                return b
        raise KeyError(object_id)

    def check_structure(self) -> None:
        """Raise `InvalidRecord` if the parts do not fit together (ids, states, counts, keys).

        Cheap and proof-free: the same checks run on reading and before writing.
        """
        _unique((g.guardian_id for g in self.guardians), "guardian")
        _unique((str(g.sequence_order) for g in self.guardians), "guardian sequence order")
        _unique((str(d.device_id) for d in self.devices), "device")
        _unique((b.object_id for b in self.submitted_ballots), "ballot")
        _unique((t.object_id for t in self.spoiled_ballots), "spoiled ballot decryption")
        if self.guardians and len(self.guardians) != self.context.number_of_guardians:
            raise InvalidRecord(
                f"{len(self.guardians)} guardian records, the context has "
                f"{self.context.number_of_guardians} guardians"
            )
        if self.context.manifest_hash != self.manifest.crypto_hash():
            raise InvalidRecord("context.json: manifest_hash is not the hash of manifest.json")
        for ballot in self.submitted_ballots:
            if ballot.state not in (BallotBoxState.CAST, BallotBoxState.SPOILED):
                raise InvalidRecord(f"ballot {ballot.object_id}: state must be cast or spoiled")
        spoiled = {b.object_id for b in self.spoiled_submitted()}
        for decryption in self.spoiled_ballots:
            if decryption.object_id not in spoiled:
                raise InvalidRecord(
                    f"spoiled_ballots: {decryption.object_id} is not a spoiled submitted ballot"
                )
        if self.ceremony is not None:
            self._check_ceremony(self.ceremony)
        if self.vote is not None:
            cast, spoilt = len(self.cast_ballots()), len(spoiled)
            if (self.vote.ballots_cast, self.vote.ballots_spoiled) != (cast, spoilt):
                raise InvalidRecord(
                    f"evote/vote.json counts {self.vote.ballots_cast} cast and "
                    f"{self.vote.ballots_spoiled} spoiled ballots; the record holds {cast} "
                    f"and {spoilt}"
                )
        self._check_receipt_key()
        self._check_cancellation()
        self._check_credentials()
        self._check_audit()

    def _check_audit(self) -> None:
        """`evote/audit.json` is an unbroken chain ending at this vote's close (docs/audit.md)."""
        if AUDIT_FILE not in self.extras:
            return
        extract = AuditExtract.from_json(dict(self.extras[AUDIT_FILE]))
        if extract.vote_id != self.manifest.election_scope_id:
            raise InvalidRecord(
                f"evote/{AUDIT_FILE}: vote_id {extract.vote_id!r} is not the manifest's "
                f"election_scope_id {self.manifest.election_scope_id!r}"
            )

    def _check_credentials(self) -> None:
        """`evote/credentials.json` names this vote, folds to its roll, and holds one distinct
        key of the roll per cast ballot (the signatures are the verifier's V23)."""
        if CREDENTIALS_FILE not in self.extras:
            return
        info = CredentialsInfo.from_json(dict(self.extras[CREDENTIALS_FILE]))
        info.check(self.manifest.election_scope_id, (b.object_id for b in self.cast_ballots()))

    def _check_cancellation(self) -> None:
        """A cancelled vote names this vote and carries no decryption of anything."""
        if CANCELLED_FILE not in self.extras:
            return
        cancelled = Cancellation.from_json(dict(self.extras[CANCELLED_FILE]))
        if cancelled.vote_id != self.manifest.election_scope_id:
            raise InvalidRecord(
                f"evote/{CANCELLED_FILE}: vote_id {cancelled.vote_id!r} is not the manifest's "
                f"election_scope_id {self.manifest.election_scope_id!r}"
            )
        if self.tally is not None or self.spoiled_ballots or self.lagrange_coefficients:
            raise InvalidRecord(
                f"evote/{CANCELLED_FILE}: a cancelled vote is decrypted by nobody, but the "
                "record holds a decryption (tally.json, spoiled_ballots/ or coefficients.json)"
            )

    def _check_receipt_key(self) -> None:
        """`evote/receipt_key.json` must name this vote and repeat the context's key."""
        if KEY_FILE not in self.extras:
            return
        key = ReceiptKey.from_json(dict(self.extras[KEY_FILE]))
        if key.vote_id != self.manifest.election_scope_id:
            raise InvalidRecord(
                f"evote/{KEY_FILE}: vote_id {key.vote_id!r} is not the manifest's "
                f"election_scope_id {self.manifest.election_scope_id!r}"
            )
        announced = context_key(self.context.extended_data)
        if announced is not None and announced != key.public_key:
            raise InvalidRecord(
                f"evote/{KEY_FILE}: public_key is not the key context.json announces"
            )


    def _check_ceremony(self, ceremony: CeremonyInfo) -> None:
        """The fingerprint is the one of these guardians, and each confirmed exactly it."""
        n, k = self.context.number_of_guardians, self.context.quorum
        if ceremony.digest != ceremony_digest(n, k, self.guardians):
            raise InvalidRecord(
                "evote/ceremony.json: the fingerprint is not the one of the record's guardians"
            )
        confirmed = sorted(c.guardian_id for c in ceremony.confirmations)
        if confirmed != sorted(g.guardian_id for g in self.guardians):
            raise InvalidRecord(
                f"evote/ceremony.json: confirmations from {confirmed}, not one per guardian"
            )
        if any(c.fingerprint != ceremony.digest for c in ceremony.confirmations):
            raise InvalidRecord("evote/ceremony.json: a confirmation is for another fingerprint")


def _unique(ids: Any, what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise InvalidRecord(f"two {what} records have the id {i!r}")
        seen.add(i)
