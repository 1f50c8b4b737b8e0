"""The committee's work: codes for the delegates on the roll, and signed statements of their keys.

`Committee` is the committee's whole state (kept sealed on its machine by `vault`): its own
Ed25519 key, the event's salt and iteration count, how many vote slots it issues, and which
public keys each participant holds.  That last map is not secret in the sense of a key (it
opens no ballot), but it is what links a delegate to their keys, and so to their published
ballot: it never leaves the committee's machine.  The codes themselves are not kept at all:
they exist only on the printed letters (and in the PDF, which the committee deletes after
printing).

`issue` makes batch 0: a code per delegate, and for each slot a statement adding all their
keys, in sorted order (so the server sees an anonymous set).  `replace` makes a later batch for
lost letters: new codes, and for slot 0 and every slot from `from_slot` on, a statement
revoking the old keys and adding the new ones.  Slots before `from_slot` belong to votes
already opened; the committee never names a key of those, since the server could otherwise
learn whose ballot in that vote it was.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import nacl.signing

from evote.record.credentials import (
    CHECK_SLOT,
    BatchHeader,
    Kdf,
    Signed,
    Statement,
    Upload,
    check_batch,
    signed_bytes,
)
from evote_credentials.code import new_code
from evote_credentials.derivation import master_secret, public_key
from evote_credentials.roll import Delegate, DelegateRoll

RandomBytes = Callable[[int], bytes]


class CommitteeError(Exception):
    """A step the committee's state does not allow (the message says what to do)."""


@dataclass(frozen=True)
class Letter:
    """What one sealed letter says.  Holds the clear code: keep it in memory only."""

    delegate: Delegate
    code: str
    event_name: str
    url: str
    """Where the code's QR link leads: the delegate page, the code in its #fragment."""
    batch: int
    first_slot: int
    """1 for a first letter; for a replacement the first vote slot it is valid for."""


@dataclass
class Committee:
    event: str
    event_name: str
    public_url: str
    seed: bytes = field(repr=False)
    """The committee's Ed25519 signing key (32-byte seed)."""
    salt: bytes
    iterations: int
    slots: int
    """Vote slots 1 … slots are issued (slot 0 checks codes)."""
    batches: int = 0
    """Batches made so far; the next one is numbered `batches`."""
    keys: dict[int, list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    """participant id → generations [{batch, slots: {slot: public key}}], oldest first."""

    @classmethod
    def create(cls, roll_event: str, event_name: str, public_url: str, *, iterations: int,
               slots: int, random_bytes: RandomBytes = secrets.token_bytes) -> Committee:
        if not 1 <= slots <= 10_000:
            raise CommitteeError("issue between 1 and 10,000 vote slots")
        return cls(roll_event, event_name, public_url, random_bytes(32), random_bytes(16),
                   iterations, slots)

    @property
    def signing_key(self) -> nacl.signing.SigningKey:
        return nacl.signing.SigningKey(self.seed)

    @property
    def public_key(self) -> str:
        return self.signing_key.verify_key.encode().hex()

    @property
    def kdf(self) -> Kdf:
        return Kdf(self.iterations, self.salt.hex())

    def sign(self, document: dict[str, Any]) -> Signed:
        return Signed(document, self.signing_key.sign(signed_bytes(document)).signature.hex())

    # ---- batches ---------------------------------------------------------------------

    def issue(self, roll: DelegateRoll, random_bytes: RandomBytes = secrets.token_bytes,
              ) -> tuple[Upload, list[Letter]]:
        """Batch 0: one code per delegate of the roll."""
        if roll.event != self.event:
            raise CommitteeError(f"the roll is of event {roll.event!r}, this committee's is "
                                 f"{self.event!r}")
        if self.batches:
            raise CommitteeError("the first letters were already issued; for a lost letter "
                                 "use `evote-credentials replace`")
        slots = list(range(self.slots + 1))
        made = [(d, *self._new_credential(slots, random_bytes)) for d in roll.delegates]
        upload = self._batch(0, "issue", [d.participant_id for d in roll.delegates], slots,
                             {s: [] for s in slots},
                             {s: [keys[s] for _, _, keys in made] for s in slots})
        for d, _, keys in made:
            self.keys[d.participant_id] = [{"batch": 0, "slots": keys}]
        self.batches = 1
        return upload, [self._letter(d, code, 0, 1) for d, code, _ in made]

    def replace(self, delegates: Sequence[Delegate], from_slot: int, batch: int | None = None,
                random_bytes: RandomBytes = secrets.token_bytes,
                ) -> tuple[Upload, list[Letter]]:
        """A later batch: new codes for these delegates, valid from vote slot `from_slot` on
        (the next vote the server will open).  `batch` redoes a batch the server refused."""
        number = self.batches if batch is None else batch
        if not 1 <= number <= self.batches:
            raise CommitteeError(f"the next batch is {self.batches}; batch {number} cannot be made")
        if not 1 <= from_slot <= self.slots:
            raise CommitteeError(f"vote slots run from 1 to {self.slots}; all before {from_slot} "
                                 "would stay with the old letter")
        ids = sorted({d.participant_id for d in delegates})
        if len(ids) != len(delegates) or not ids:
            raise CommitteeError("name each participant once")
        for pid in ids:
            if pid not in self.keys:
                raise CommitteeError(f"participant {pid} never received a letter from this "
                                     "committee")
        slots = [CHECK_SLOT, *range(from_slot, self.slots + 1)]
        old = {pid: self._current(pid, number) for pid in ids}
        made = {d.participant_id: (d, *self._new_credential(slots, random_bytes))
                for d in delegates}
        upload = self._batch(number, "replace", ids, slots,
                             {s: [old[pid][s] for pid in ids] for s in slots},
                             {s: [made[pid][2][s] for pid in ids] for s in slots})
        for pid in ids:
            kept = [g for g in self.keys[pid] if g["batch"] < number]
            self.keys[pid] = [*kept, {"batch": number, "slots": made[pid][2]}]
        self.batches = number + 1
        return upload, [self._letter(made[pid][0], made[pid][1], number, from_slot)
                        for pid in ids]

    def _current(self, pid: int, before_batch: int) -> dict[int, str]:
        """The participant's keys per slot as batches before `before_batch` left them."""
        keys: dict[int, str] = {}
        for generation in self.keys[pid]:
            if generation["batch"] < before_batch:
                keys.update(generation["slots"])
        return keys

    def _new_credential(self, slots: list[int], random_bytes: RandomBytes,
                        ) -> tuple[str, dict[int, str]]:
        code = new_code(random_bytes)
        master = master_secret(code, self.salt, self.iterations)
        return code, {s: public_key(master, s) for s in slots}

    def _batch(self, number: int, kind: str, participants: list[int], slots: list[int],
               revoked: dict[int, list[str]], added: dict[int, list[str]]) -> Upload:
        header = BatchHeader(self.event, number, kind, tuple(participants), tuple(slots),
                             self.kdf)
        statements = [Statement(self.event, number, s, self.kdf, tuple(sorted(added[s])),
                                tuple(sorted(revoked[s]))) for s in slots]
        check_batch(header, statements)
        return Upload(self.public_key, self.sign(header.to_json()),
                      tuple(self.sign(s.to_json()) for s in statements))

    def _letter(self, d: Delegate, code: str, batch: int, first_slot: int) -> Letter:
        base = self.public_url.rstrip("/")
        url = f"{base}/delegate#credential={code}" if base else code
        return Letter(d, code, self.event_name, url, batch, first_slot)

    # ---- state -----------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "event_name": self.event_name,
            "public_url": self.public_url,
            "seed": self.seed.hex(),
            "salt": self.salt.hex(),
            "iterations": self.iterations,
            "slots": self.slots,
            "batches": self.batches,
            "keys": {
                str(pid): [{"batch": g["batch"], "slots": {str(s): k for s, k in g["slots"].items()}}
                           for g in generations]
                for pid, generations in self.keys.items()
            },
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Committee:
        return cls(
            state["event"], state["event_name"], state["public_url"],
            bytes.fromhex(state["seed"]), bytes.fromhex(state["salt"]), int(state["iterations"]),
            int(state["slots"]), int(state["batches"]),
            {
                int(pid): [{"batch": int(g["batch"]),
                            "slots": {int(s): k for s, k in g["slots"].items()}}
                           for g in generations]
                for pid, generations in state["keys"].items()
            },
        )

    def public_summary(self) -> dict[str, Any]:
        """What may be shown and published: no seed, no participant's keys."""
        return {
            "event": self.event,
            "event_name": self.event_name,
            "committee_key": self.public_key,
            "kdf": self.kdf.to_json(),
            "vote_slots": self.slots,
            "batches": self.batches,
            "participants": len(self.keys),
        }
