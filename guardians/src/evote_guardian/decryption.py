"""Decrypting one vote's totals from a guardian's laptop, refusing anything it cannot check.

Before the guardian's key touches a ciphertext, the client re-does the server's work from
public data: the vote's context must be under the joint key this guardian helped make, every
published ballot must carry valid proofs, and the homomorphic sum of the cast ballots must
equal the encrypted tally the server asks it to decrypt.  Otherwise a dishonest server could
hand over a single ballot dressed up as a tally and have the guardians decrypt it.  Likewise a
spoiled ballot that shares a ciphertext with a cast one (a cast ballot re-wrapped under a new
id, which the server should have refused as `duplicate_ciphertext`) is never decrypted: its
plaintext would be that cast vote.

Speed: the ballots' proofs are checked in one batch (random linear combinations, a forged
proof passes with probability at most 2^-64; `evote.crypto.batch`), not one proof at a time,
and a vote whose published data was checked once is not checked again: `CheckedVotes` keeps,
in the guardian's state folder, the SHA-256 of exactly the data that passed. A guardian who
runs `decrypt` again (to stand in for an absent colleague) then pays only for the download.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evote.crypto.ballot import BallotBoxState, SubmittedBallot, selection_ciphertexts
from evote.crypto.batch import BatchChecker
from evote.crypto.compensation import compute_compensated_share
from evote.crypto.context import ElectionContext
from evote.crypto.decryption_share import compute_decryption_share
from evote.crypto.elgamal import ElGamalCiphertext
from evote.crypto.errors import CryptoError
from evote.crypto.group import ElementModQ, random_q_from_bytes
from evote.crypto.manifest import Manifest
from evote.crypto.tally import Ciphertexts, CiphertextTally, ballot_ciphertexts
from evote.crypto.validate import validate_ballots
from evote_guardian.connection import Connection
from evote_guardian.local_state import GuardianState
from evote_guardian.messages import Message, Told, say


class TallyMismatch(Told):
    """The server's encrypted tally, ballots or context do not check out; nothing was sent."""


class VoteCancelled(Told):
    """The presidium called the vote off: nobody decrypts it, so nothing is computed or sent.

    Checked before anything else, on the vote's own state: a server that still offered the
    tally of a cancelled vote would be asking for a result the convention decided not to have.
    """


@dataclass
class DecryptReport:
    done: list[str] = field(default_factory=list)
    status: dict[str, Any] = field(default_factory=dict)
    vote: CheckedVote | None = None
    """The checked data the shares were made from; `decrypt --wait` reuses it for later rounds."""


def _fresh_q() -> ElementModQ:
    return random_q_from_bytes(secrets.token_bytes(64))


@dataclass
class CheckedVote:
    """What the guardian may decrypt: the checked tally and the published spoiled ballots."""

    tally: CiphertextTally
    context: ElectionContext
    spoiled: dict[str, SubmittedBallot]
    copies: dict[str, str] = field(default_factory=dict)
    """Spoiled ballot id → the cast ballot it shares a ciphertext with (never decrypted)."""

    def objects(self, requested: list[str] | None) -> dict[str, Ciphertexts]:
        """The ciphertexts of each object the server asks for, refusing anything else.

        Only the tally and ballots published as spoiled may be decrypted: a request for any
        other id (a cast ballot above all) would reveal a vote, so it is refused outright, and
        so is a spoiled ballot that copies a cast one's ciphertext.
        """
        wanted = requested if requested is not None else [self.tally.object_id]
        found: dict[str, Ciphertexts] = {}
        for object_id in wanted:
            if object_id == self.tally.object_id:
                found[object_id] = self.tally.ciphertexts()
            elif object_id in self.copies:
                raise TallyMismatch(
                    "decrypt.spoiled_copy", object=object_id, copy=self.copies[object_id]
                )
            elif object_id in self.spoiled:
                found[object_id] = ballot_ciphertexts(self.spoiled[object_id])
            else:
                raise TallyMismatch("decrypt.unknown_object", object=object_id)
        return found


class CheckedVotes:
    """The digests of votes whose published data this laptop has checked, one file per folder.

    A digest covers the manifest, context, encrypted tally and every published ballot as the
    server sent them; any change on the server gives another digest and a full check.
    """

    FILE = "checked-votes.json"

    def __init__(self, folder: Path | None) -> None:
        self._path = folder / self.FILE if folder is not None else None
        self._known: dict[str, str] = {}
        if self._path is not None and self._path.exists():
            try:
                loaded = json.loads(self._path.read_text())
            except (OSError, ValueError):
                loaded = {}
            if isinstance(loaded, dict):
                self._known = {str(k): str(v) for k, v in loaded.items()}

    def passed(self, vote_id: int, digest: str) -> bool:
        return self._known.get(str(vote_id)) == digest

    def remember(self, vote_id: int, digest: str) -> None:
        self._known[str(vote_id)] = digest
        if self._path is None:
            return
        tmp = self._path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(self._known, f)
        tmp.replace(self._path)


def _digest(*served: Any) -> str:
    return hashlib.sha256(
        json.dumps(served, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def copied_ciphertexts(
    cast: list[SubmittedBallot], spoiled: list[SubmittedBallot]
) -> dict[str, str]:
    """Spoiled ballot id → id of a cast ballot with which it shares a selection ciphertext.

    A selection's proofs name no ballot, so a cast ballot's ciphertexts re-wrapped under a new
    object_id (hashes and code recomputed) form a valid "spoiled" ballot whose decryption is
    the cast vote.  Honest ciphertexts never repeat (fresh nonces), so any shared one counts.
    Checked on every run, cached or not: it costs one set lookup per selection.
    """
    owner: dict[ElGamalCiphertext, str] = {}
    for ballot in cast:
        for ciphertext in selection_ciphertexts(ballot):
            owner.setdefault(ciphertext, ballot.object_id)
    copies: dict[str, str] = {}
    for ballot in spoiled:
        for ciphertext in selection_ciphertexts(ballot):
            if ciphertext in owner:
                copies[ballot.object_id] = owner[ciphertext]
                break
    return copies


def checked_tally(
    conn: Connection, state: GuardianState, vote_id: int
) -> tuple[CiphertextTally, ElectionContext]:
    """The encrypted tally, only once it equals our own sum of the published, valid ballots."""
    vote = checked_vote(conn, state, vote_id)
    return vote.tally, vote.context


def checked_vote(
    conn: Connection, state: GuardianState, vote_id: int, cache: CheckedVotes | None = None
) -> CheckedVote:
    """The tally and the spoiled ballots we may decrypt, each checked against public data."""
    vote = conn.get(f"/api/votes/{vote_id}")
    if vote.get("state") == "cancelled":
        raise VoteCancelled("decrypt.cancelled", vote=vote_id)
    served = conn.get(f"/api/votes/{vote_id}/encrypted-tally")
    published = conn.get(f"/api/votes/{vote_id}/published-ballots")
    digest = _digest(
        vote["manifest"], served["context"], served["encrypted_tally"], published["ballots"],
        state.joint_public_key, state.commitment_hash,
    )
    try:
        manifest = Manifest.from_json(vote["manifest"])
        context = ElectionContext.from_json(served["context"])
        tally = CiphertextTally.from_json(served["encrypted_tally"])
        ballots = [SubmittedBallot.from_json(b) for b in published["ballots"]]
    except CryptoError as exc:
        raise TallyMismatch("decrypt.unreadable", vote=vote_id, reason=str(exc)) from None
    if state.joint_public_key is None:
        raise TallyMismatch("decrypt.no_ceremony")
    if (context.elgamal_public_key.to_hex(), context.commitment_hash.to_hex()) != (
        state.joint_public_key,
        state.commitment_hash,
    ):
        raise TallyMismatch("decrypt.other_key", vote=vote_id)
    if (context.number_of_guardians, context.quorum) != (
        state.number_of_guardians,
        state.quorum,
    ):
        raise TallyMismatch("decrypt.other_context", vote=vote_id)
    if cache is None or not cache.passed(vote_id, digest):
        checker = BatchChecker(secrets.token_bytes(32), fixed_bases=[context.elgamal_public_key])
        try:
            validate_ballots(ballots, manifest, context, checker=checker)
        except CryptoError as exc:
            raise TallyMismatch("decrypt.invalid_ballot", vote=vote_id, reason=str(exc)) from None
    cast = [b for b in ballots if b.state == BallotBoxState.CAST]
    ours = CiphertextTally.for_manifest(manifest, tally.object_id).add_cast_ballots(cast)
    if ours.ciphertexts() != tally.ciphertexts():
        raise TallyMismatch("decrypt.not_the_sum", vote=vote_id, count=len(cast))
    spoiled = [b for b in ballots if b.state == BallotBoxState.SPOILED]
    if cache is not None:
        cache.remember(vote_id, digest)
    return CheckedVote(
        tally, context, {b.object_id: b for b in spoiled}, copied_ciphertexts(cast, spoiled)
    )


def decrypt(
    conn: Connection, state: GuardianState, vote_id: int, cache: CheckedVotes | None = None,
    checked: CheckedVote | None = None,
) -> DecryptReport:
    """Send our share if not yet in, then the compensated shares the server says we owe.

    `checked` is this process's own earlier check of the same vote (a later round of
    `decrypt --wait`): its tally and spoiled ballots are what we verified ourselves, so shares
    made from them are as safe as in the first round, and the ballots are not fetched again.
    """
    report = DecryptReport()
    if checked is None:
        checked = checked_vote(conn, state, vote_id, cache)
        report.done.append(say("decrypt.readded"))
    vote = report.vote = checked
    q_bar = vote.context.crypto_extended_base_hash
    status = conn.get(f"/api/votes/{vote_id}/decryption")
    if status.get("state") == "cancelled":  # cancelled while we were checking
        raise VoteCancelled("decrypt.cancelled", vote=vote_id)
    objects = vote.objects(status.get("objects"))
    if state.guardian_id not in status["direct_shares"] and status["state"] == "closed":
        for object_id, ciphertexts in objects.items():
            share = compute_decryption_share(state.secret, object_id, ciphertexts, q_bar, _fresh_q())
            status = conn.post(f"/api/votes/{vote_id}/decryption-shares", share.to_json())
        report.done.append(say("decrypt.sent_share", what=_what(objects, vote.tally)))
    for missing_id, owed_by in sorted(status.get("compensated_needed", {}).items()):
        if state.guardian_id not in owed_by or status["state"] != "closed":
            continue
        if missing_id not in state.received:
            report.done.append(say("decrypt.no_backup", missing=missing_id))
            continue
        for object_id, ciphertexts in objects.items():
            comp = compute_compensated_share(
                state.secret, state.record(), state.public_keys[missing_id],
                state.received[missing_id], object_id, ciphertexts, q_bar, _fresh_q(),
            )
            status = conn.post(f"/api/votes/{vote_id}/decryption-shares", comp.to_json())
        report.done.append(say("decrypt.compensated", missing=missing_id))
    report.status = status
    return report


NOT_YET_CLOSED = ("draft", "open")


def await_close(
    conn: Connection, vote_id: int, until: float, every: float,
    clock: Callable[[], float], sleep: Callable[[float], None],
    told: Callable[[str], None] = lambda _: None,
) -> str:
    """Read the vote's state until it is no longer draft or open, or `clock()` reaches `until`;
    returns the last state read.

    Why: a guardian who starts `decrypt --wait` before the countdown ends (ready at the laptop,
    as in the hall) has the program started, the state opened and the session resumed when the
    vote closes, and starts checking the ballots at once. Reading the vote also closes a vote
    whose countdown has passed on the server, so the close is not late for it. `told` hears
    one line the first time the vote is found not yet closed.
    """
    state = str(conn.get(f"/api/votes/{vote_id}").get("state"))
    if state in NOT_YET_CLOSED:
        told(say("decrypt.waiting_close", vote=vote_id, state=state))
    while state in NOT_YET_CLOSED and clock() < until:
        sleep(every)
        state = str(conn.get(f"/api/votes/{vote_id}").get("state"))
    return state


def owes(status: dict[str, Any], guardian_id: str) -> bool:
    """Whether the server's decryption status asks anything of this guardian now."""
    if status.get("state") != "closed":
        return False
    if guardian_id not in status.get("direct_shares", []):
        return True
    return any(guardian_id in owed for owed in status.get("compensated_needed", {}).values())


def _what(objects: dict[str, Ciphertexts], tally: CiphertextTally) -> Message:
    spoiled = len(objects) - (tally.object_id in objects)
    if spoiled:
        return say("decrypt.what_tally_spoiled", spoiled=spoiled)
    return say("decrypt.what_tally")
