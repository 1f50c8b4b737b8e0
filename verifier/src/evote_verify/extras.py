"""evote's own record files under evote/ (V21, V22, V26), checked when present (V23: credentials.py).

evote/vote.json (type "evote/vote", version 1; see docs/record.md) states when the vote closed,
how many delegates could vote, and the single timestamp every evote ballot carries.
evote/receipt_key.json (V26) is the key that signed the delegates' receipts; it must be the key
the context announced to their browsers. Receipts themselves are checked by `--receipt`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .ballot_pass import BallotSummary
from .ballots import CAST, SPOILED
from .receipt import KEY_FILE, record_key
from .record import MissingPart, Record
from .report import Report


def check_extras(record: Record, manifest: dict[str, Any] | None, summaries: list[BallotSummary], rep: Report) -> None:
    if not record.has("evote/vote.json"):
        for cid in ("V21", "V22"):
            rep.skip(cid, "no evote/vote.json (not an evote record)")
            return
    try:
        vote = record.json("evote/vote.json")
        if vote.get("type") != "evote/vote" or vote.get("version") != 1:
            raise ValueError(f"unknown type/version {vote.get('type')!r}/{vote.get('version')!r}")
        closed = datetime.strptime(vote["closed_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (MissingPart, KeyError, TypeError, ValueError, AttributeError) as exc:
        rep.fail("V21", "evote/vote.json", f"unreadable: {exc}")
        return
    closed_ts = int(closed.timestamp())
    stamp = vote.get("ballot_timestamp")
    ok = True
    if manifest is not None and vote.get("vote_id") != manifest.get("election_scope_id"):
        rep.fail("V21", "evote/vote.json vote_id", "is not the manifest's election_scope_id")
        ok = False
    for s in summaries:
        if s.timestamp is None:
            continue
        if s.timestamp > closed_ts:
            rep.fail("V21", f"ballot {s.object_id}", f"timestamp {s.timestamp} is after the close {vote['closed_at']}")
            ok = False
        elif isinstance(stamp, int) and s.timestamp != stamp:
            rep.fail("V21", f"ballot {s.object_id}", f"timestamp {s.timestamp} is not the vote's ballot_timestamp {stamp}")
            ok = False
    if ok:
        rep.ok("V21")
    cast = sum(1 for s in summaries if s.state == CAST)
    spoiled = sum(1 for s in summaries if s.state == SPOILED)
    eligible = vote.get("eligible_voters")
    ok = True
    if not isinstance(eligible, int) or cast > eligible:
        rep.fail("V22", "evote/vote.json", f"{cast} cast ballots but {eligible!r} eligible delegates")
        ok = False
    if vote.get("ballots_cast") != cast or vote.get("ballots_spoiled") != spoiled:
        rep.fail(
            "V22",
            "evote/vote.json",
            f"says {vote.get('ballots_cast')} cast / {vote.get('ballots_spoiled')} spoiled, record has {cast} / {spoiled}",
        )
        ok = False
    if ok:
        rep.ok("V22")


def check_receipt_key(record: Record, manifest: dict[str, Any] | None, rep: Report) -> None:
    """V26: evote/receipt_key.json is well formed, names this vote and repeats the context's key."""
    if not record.has(KEY_FILE):
        rep.skip("V26", "no evote/receipt_key.json (no signed receipts)")
        return
    try:
        vote_id, _ = record_key(record)
    except (MissingPart, ValueError, AttributeError) as exc:
        rep.fail("V26", KEY_FILE, str(exc))
        return
    if manifest is not None and vote_id != manifest.get("election_scope_id"):
        rep.fail("V26", f"{KEY_FILE} vote_id", "is not the manifest's election_scope_id")
        return
    rep.ok("V26")
