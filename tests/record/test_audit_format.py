"""The audit log's format: entries, the hash chain, and the record's evote/audit.json.

`verifier/tests/data/audit_extract.json` is the shared vector: evote's code must write exactly
it, and the verifier (which has its own chain code) must accept it and refuse its mutations
(`verifier/tests/test_audit.py`). Regenerate with EVOTE_WRITE_VECTORS=1 after a format change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from evote.record.audit import (
    GENESIS,
    AuditExtract,
    BrokenChain,
    Mark,
    check_chain,
    entry_hash,
    make_entry,
)
from evote.record.errors import InvalidRecord
from evote.record.jsonio import canonical_json

VECTOR = Path(__file__).parents[2] / "verifier" / "tests" / "data" / "audit_extract.json"
SCOPE = "convention-simulation"  # the vote id of `evote simulate`'s records


def sample_log() -> list[dict[str, Any]]:
    steps = [
        ("2026-11-28T09:00:00Z", "participant:4", ["admin"], "staff.login", "participant", "4", {}),
        ("2026-11-28T09:01:00Z", "participant:2", ["delegate", "presidium"], "vote.create",
         "vote", SCOPE, {"title": "Antrag A1 – Satzungsänderung", "kind": "motion"}),
        ("2026-11-28T09:02:00Z", "participant:2", ["delegate", "presidium"], "vote.open", "vote",
         SCOPE, {"closes_at": "2026-11-28T10:00:00Z", "roll": 6}),
        ("2026-11-28T09:05:00Z", "participant:7", ["support"], "credentials.reissue_request",
         "participant", "12", {}),
        ("2026-11-28T10:00:00Z", "system", [], "vote.close", "vote", SCOPE,
         {"cast": 5, "roll": 6, "early": False}),
    ]
    log: list[dict[str, Any]] = []
    prev = GENESIS
    for seq, (time, actor, roles, action, otype, oid, details) in enumerate(steps, start=1):
        entry = make_entry(seq, time, actor, roles, action, otype, oid, details, prev)
        log.append(entry)
        prev = entry["hash"]
    return log


def sample_extract() -> dict[str, Any]:
    log = sample_log()
    return AuditExtract(SCOPE, Mark(3, log[2]["hash"]), Mark(5, log[4]["hash"]), tuple(log)).to_json()


def test_the_shared_vector_is_what_evote_writes() -> None:
    written = canonical_json(sample_extract())
    if os.environ.get("EVOTE_WRITE_VECTORS"):
        VECTOR.write_bytes(written)
    assert VECTOR.read_bytes() == written
    assert AuditExtract.from_json(json.loads(written)).closed.seq == 5


def test_the_hash_is_tagged_sha256_over_canonical_json() -> None:
    import hashlib

    entry = sample_log()[0]
    body = {k: v for k, v in entry.items() if k != "hash"}
    expected = hashlib.sha256(b"evote/audit-entry/1\x00" + canonical_json(body)).hexdigest()
    assert entry["hash"] == entry_hash(entry) == expected
    assert hashlib.sha256(b"evote/audit-genesis/1").hexdigest() == GENESIS


@pytest.mark.parametrize("mutation", ["removed", "changed", "reordered", "inserted", "rehashed"])
def test_any_edit_breaks_the_chain(mutation: str) -> None:
    log = sample_log()
    if mutation == "removed":
        del log[1]
    elif mutation == "changed":
        log[3]["details"]["note"] = "x"
    elif mutation == "reordered":
        log[1], log[2] = log[2], log[1]
    elif mutation == "inserted":
        log.insert(2, dict(log[2]))
    else:  # changed and its own hash recomputed: the next entry's prev no longer fits
        log[1]["details"]["title"] = "Antrag B2"
        log[1]["hash"] = entry_hash(log[1])
    with pytest.raises(BrokenChain):
        check_chain(log)


def test_the_extract_must_mark_this_votes_opening_and_close() -> None:
    doc = sample_extract()
    wrong_open = {**doc, "opened": {"seq": 2, "hash": doc["entries"][1]["hash"]}}
    with pytest.raises(InvalidRecord, match="opened"):
        AuditExtract.from_json(wrong_open)
    cut = {**doc, "entries": doc["entries"][:4], "closed": {"seq": 4, "hash": doc["entries"][3]["hash"]}}
    with pytest.raises(InvalidRecord, match="closed"):
        AuditExtract.from_json(cut)
    with pytest.raises(InvalidRecord, match="floating-point"):
        make_entry(1, "2026-11-28T09:00:00Z", "system", [], "x", "vote", "v", {"f": 1.5}, GENESIS)
