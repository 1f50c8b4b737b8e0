"""V27: a vote the presidium cancelled is decrypted by nobody, and its record says so.

evote/cancelled.json (type "evote/cancelled", version 1: vote_id, cancelled_at, while) marks the
record of a cancelled vote. Its ballots and encrypted tally are checked as in any record (V8-V15),
but there must be no decryption at all: no tally.json, no coefficients.json, no file in
spoiled_ballots/. The decryption checks (V16-V19) are then skipped, naming the cancellation.
"""

from __future__ import annotations

import re
from typing import Any

from .record import MissingPart, Record
from .report import Report

FILE = "evote/cancelled.json"
_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
DECRYPTION_CHECKS = ("V16", "V17", "V18", "V19")


def check_cancelled(record: Record, manifest: dict[str, Any] | None, rep: Report) -> bool:
    """True when the record is of a cancelled vote (whether or not it holds up)."""
    if not record.has(FILE):
        rep.skip("V27", "the vote was not cancelled")
        return False
    try:
        doc = record.json(FILE)
    except (MissingPart, ValueError) as exc:
        rep.fail("V27", FILE, f"unreadable: {exc}")
        return True
    if not isinstance(doc, dict) or doc.get("type") != "evote/cancelled" or doc.get("version") != 1:
        rep.fail("V27", FILE, "is not evote/cancelled version 1")
        return True
    ok = True
    if manifest is not None and doc.get("vote_id") != manifest.get("election_scope_id"):
        rep.fail("V27", f"{FILE} vote_id", "is not the manifest's election_scope_id")
        ok = False
    if not isinstance(doc.get("cancelled_at"), str) or not _UTC.fullmatch(doc["cancelled_at"]):
        rep.fail("V27", f"{FILE} cancelled_at", "is not a UTC time like 2026-11-28T10:15:00Z")
        ok = False
    if doc.get("while") not in ("open", "closed"):
        rep.fail("V27", f"{FILE} while", "must be 'open' or 'closed'")
        ok = False
    for name in ("tally.json", "coefficients.json"):
        if record.has(name):
            rep.fail("V27", name, "a cancelled vote is decrypted by nobody, yet the record has it")
            ok = False
    for name in record.folder("spoiled_ballots"):
        rep.fail("V27", name, "a cancelled vote's challenged ballots are decrypted by nobody")
        ok = False
    if ok:
        rep.ok("V27")
    for check in DECRYPTION_CHECKS:
        rep.skip(check, "the vote was cancelled: nobody decrypted it (evote/cancelled.json)")
    return True
