"""V23: every cast ballot is signed by a distinct, unrevoked key of the committee-signed roll.

Written from docs/credentials.md and docs/record.md, not from the server's code. The credentials
committee (apart from the server) gives every voting delegate a code; from it the delegate's
browser derives one Ed25519 key per vote ("slot"). The committee signs, per batch, which public
keys of the slot it adds and which it revokes. `evote/credentials.json` (type
"evote/credentials", version 1) carries for one vote:

    vote_id        the manifest's election_scope_id
    committee_key  the committee's Ed25519 public key (64 hex digits), to compare with the one
                   the committee published
    slot           the vote's slot (1, 2, …)
    statements     [{document, signature}], batches 0, 1, … in order, all of this slot; each
                   signature is the committee's over
                   "evote/credential-statement/1" 0x00 canonical-JSON(document)
    roll, revoked  the keys the statements leave on the roll / revoked (sorted; restated)
    ballots        [{ballot_id, public_key, signature}], one per cast ballot; the signature is
                   the key's over
                   "evote-ballot-credential-v1" 0x00 u32(len(vote id)) vote id (UTF-8)
                       manifest hash (32 bytes) crypto_hash (32 bytes)      (big-endian)

A record without the file comes from a vote (or an event) without a credentials committee:
V23 is then skipped, and says plainly that nothing in the record shows who may have cast.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.signing

from .ballot_pass import BallotSummary
from .ballots import CAST
from .record import MissingPart, Record
from .report import Report

FILE = "evote/credentials.json"
STATEMENT_TAG = b"evote/credential-statement/1\x00"
BALLOT_TAG = b"evote-ballot-credential-v1\x00"
NO_COMMITTEE = (
    "no evote/credentials.json: this vote had no credentials committee, so the record does NOT "
    "show that only credentialed delegates cast (whoever the server let vote could)"
)

_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")


@dataclass
class RollSummary:
    """What V23 found, printed for people to compare with the committee's own count."""

    committee_key: str
    slot: int
    roll_size: int
    revoked: int
    cast: int
    signed: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "committee_key": self.committee_key,
            "slot": self.slot,
            "roll_size": self.roll_size,
            "revoked": self.revoked,
            "cast_ballots": self.cast,
            "valid_signatures": self.signed,
        }


def _canonical(document: Any) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _holds(key_hex: str, message: bytes, signature_hex: str) -> bool:
    try:
        nacl.signing.VerifyKey(bytes.fromhex(key_hex)).verify(message, bytes.fromhex(signature_hex))
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, nacl.exceptions.TypeError, ValueError):
        return False
    return True


def ballot_message(vote_id: str, manifest_hash: int, crypto_hash: int) -> bytes:
    vid = vote_id.encode("utf-8")
    return BALLOT_TAG + len(vid).to_bytes(4, "big") + vid + manifest_hash.to_bytes(32, "big") + crypto_hash.to_bytes(32, "big")


def _key_list(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(k, str) and _HEX64.fullmatch(k) for k in value):
        return None
    return value


class _Broken(Exception):
    pass


def _statements(doc: dict[str, Any], slot: int, committee_key: str, rep: Report) -> tuple[set[str], set[str]] | None:
    """Check the committee's signed statements and fold them into (roll, revoked); None if they
    cannot make a roll at all (each reason reported)."""
    statements = doc.get("statements")
    if not isinstance(statements, list) or not statements:
        rep.fail("V23", FILE, "no committee statements: the roll is not signed by anyone")
        return None
    roll: set[str] = set()
    revoked: set[str] = set()
    ok = True
    first: tuple[Any, Any] | None = None
    for i, entry in enumerate(statements):
        where = f"{FILE} statements[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("document"), dict) or not isinstance(entry.get("signature"), str):
            rep.fail("V23", where, "expected {document, signature}")
            return None
        st, sig = entry["document"], entry["signature"]
        if st.get("type") != "evote/credential-statement" or st.get("version") != 1:
            rep.fail("V23", where, "not an evote/credential-statement version 1")
            return None
        if not _HEX128.fullmatch(sig) or not _holds(committee_key, STATEMENT_TAG + _canonical(st), sig):
            rep.fail("V23", where, "FORGED: the committee's signature on this statement does not hold")
            ok = False
        if st.get("batch") != i:
            rep.fail("V23", where, f"batch {st.get('batch')!r}, expected {i} (batches 0, 1, … in order)")
            ok = False
        if st.get("slot") != slot:
            rep.fail("V23", where, f"statement for slot {st.get('slot')!r}, the vote's slot is {slot}")
            ok = False
        this = (st.get("event"), json.dumps(st.get("kdf"), sort_keys=True))
        if first is None:
            first = this
        elif this != first:
            rep.fail("V23", where, "statement of another event or key derivation")
            ok = False
        added, gone = _key_list(st.get("added")), _key_list(st.get("revoked"))
        if added is None or gone is None:
            rep.fail("V23", where, "added/revoked must be lists of 64-hex-digit keys")
            return None
        for key in gone:
            if key not in roll:
                rep.fail("V23", where, f"revokes {key[:16]}…, which is not on the roll")
                ok = False
            roll.discard(key)
            revoked.add(key)
        for key in added:
            if key in roll or key in revoked:
                rep.fail("V23", where, f"adds {key[:16]}… a second time")
                ok = False
            roll.add(key)
    if doc.get("roll") != sorted(roll) or doc.get("revoked") != sorted(revoked):
        rep.fail("V23", FILE, "roll/revoked are not what the committee's statements make")
        ok = False
    return (roll, revoked) if ok else None


def check_credentials(
    record: Record, manifest: dict[str, Any] | None, ctx: dict[str, Any] | None, summaries: list[BallotSummary], rep: Report
) -> RollSummary | None:
    """V23 for one record; returns what to print (roll size …) when the file could be read."""
    if not record.has(FILE):
        rep.skip("V23", NO_COMMITTEE)
        return None
    try:
        doc = record.json(FILE)
    except (MissingPart, ValueError) as exc:
        rep.fail("V23", FILE, f"unreadable: {exc}")
        return None
    if not isinstance(doc, dict) or doc.get("type") != "evote/credentials" or doc.get("version") != 1:
        rep.fail("V23", FILE, "not an evote/credentials version 1 document")
        return None
    vote_id, committee_key, slot = doc.get("vote_id"), doc.get("committee_key"), doc.get("slot")
    scope = manifest.get("election_scope_id") if isinstance(manifest, dict) else None
    if not isinstance(vote_id, str) or vote_id != scope:
        rep.fail("V23", FILE, f"vote_id {vote_id!r} is not the manifest's election_scope_id {scope!r}")
        return None
    if not isinstance(committee_key, str) or not _HEX64.fullmatch(committee_key):
        rep.fail("V23", FILE, "committee_key must be 64 lower-case hex digits")
        return None
    if not isinstance(slot, int) or isinstance(slot, bool) or slot < 1:
        rep.fail("V23", FILE, "slot must be a positive integer (slot 0 only checks codes)")
        return None
    folded = _statements(doc, slot, committee_key, rep)
    entries = doc.get("ballots")
    if not isinstance(entries, list):
        rep.fail("V23", FILE, "ballots must be a list")
        return None
    try:
        manifest_hash = int(ctx["manifest_hash"], 16) if isinstance(ctx, dict) else None
    except (KeyError, TypeError, ValueError):
        manifest_hash = None
    cast = {s.object_id: s for s in summaries if s.state == CAST}
    roll, revoked = folded if folded is not None else (set(), set())
    ok = folded is not None
    signed = 0
    seen_keys: dict[str, str] = {}
    seen_ballots: set[str] = set()
    for i, e in enumerate(entries):
        where = f"{FILE} ballots[{i}]"
        if (
            not isinstance(e, dict) or not isinstance(e.get("ballot_id"), str)
            or not isinstance(e.get("public_key"), str) or not _HEX64.fullmatch(e["public_key"])
            or not isinstance(e.get("signature"), str) or not _HEX128.fullmatch(e["signature"])
        ):
            rep.fail("V23", where, "expected {ballot_id, public_key (64 hex), signature (128 hex)}")
            ok = False
            continue
        bid, key, sig = e["ballot_id"], e["public_key"], e["signature"]
        where = f"ballot {bid}"
        if bid in seen_ballots:
            rep.fail("V23", where, "has two signature entries")
            ok = False
            continue
        seen_ballots.add(bid)
        summary = cast.get(bid)
        if summary is None:
            rep.fail("V23", where, "signature entry for a ballot that is not a cast ballot of the record")
            ok = False
            continue
        if key in seen_keys:
            rep.fail("V23", where, f"DUPLICATE: key {key[:16]}… also signed ballot {seen_keys[key]} (one ballot per credential)")
            ok = False
        seen_keys.setdefault(key, bid)
        if key in revoked:
            rep.fail("V23", where, f"REVOKED KEY: {key[:16]}… was revoked by the committee before the vote opened")
            ok = False
        elif folded is not None and key not in roll:
            rep.fail("V23", where, f"key {key[:16]}… is not on the committee-signed roll")
            ok = False
        if summary.crypto_hash is None or manifest_hash is None:
            rep.fail("V23", where, "its crypto_hash or the manifest hash could not be read; signature not checked")
            ok = False
        elif not _holds(key, ballot_message(vote_id, manifest_hash, int(summary.crypto_hash)), sig):
            rep.fail("V23", where, "FORGED: the signature does not hold for this ballot under its key")
            ok = False
        else:
            signed += 1
    for bid in sorted(set(cast) - seen_ballots):
        rep.fail("V23", f"ballot {bid}", "MISSING: cast ballot without a credential signature")
        ok = False
    if folded is not None and len(cast) > len(roll):
        rep.fail("V23", FILE, f"{len(cast)} cast ballots but only {len(roll)} keys on the roll")
        ok = False
    if ok:
        rep.ok("V23", len(cast))
    return RollSummary(committee_key, slot, len(roll), len(revoked), len(cast), signed)
