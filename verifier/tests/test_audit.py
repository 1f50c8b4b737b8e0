"""V28: the audit log in a record is an unbroken chain holding the vote's opening and close.

The vector `data/audit_extract.json` is written by evote (tests/record/test_audit_format.py
checks that evote writes exactly it); this verifier checks it with its own code. Dropped into
an `evote simulate` record (same vote id), it passes; removed, changed, reordered entries and
marks naming the wrong entry each fail V28 and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evote_verify.audit import GENESIS, ChainBroken, chain_head, entry_digest
from evote_verify.verify import verify

VECTOR = Path(__file__).parent / "data" / "audit_extract.json"


def _with_log(rec: Path, change: Callable[[dict[str, Any]], None] | None = None) -> Path:
    doc = json.loads(VECTOR.read_text())
    if change is not None:
        change(doc)
    (rec / "evote" / "audit.json").write_text(json.dumps(doc))
    return rec


def _statuses(rec: Path) -> dict[str, str]:
    return {cid: t.status for cid, t in verify(rec, workers=1).checks.items()}


def test_the_vector_chain_holds() -> None:
    doc = json.loads(VECTOR.read_text())
    assert doc["entries"][0]["prev"] == GENESIS
    assert chain_head(doc["entries"]) == doc["closed"]["hash"]
    assert all(e["hash"] == entry_digest(e) for e in doc["entries"])


def test_a_record_with_its_log_passes_and_one_without_skips(sim_record: Path, copy_of) -> None:
    assert _statuses(sim_record)["V28"] == "skipped"
    rec = _with_log(copy_of(sim_record))
    report = verify(rec, workers=1)
    statuses = {cid: t.status for cid, t in report.checks.items()}
    assert statuses["V28"] == "ok" and "failed" not in statuses.values()
    assert report.audit_close == json.loads(VECTOR.read_text())["closed"]["hash"]
    assert report.as_dict()["audit_close"] == report.audit_close


def _removed(d: dict[str, Any]) -> None:
    del d["entries"][3]
    d["closed"]["seq"] = 4


def _changed(d: dict[str, Any]) -> None:
    d["entries"][0]["actor"] = "participant:5"


def _reordered(d: dict[str, Any]) -> None:
    d["entries"][0], d["entries"][1] = d["entries"][1], d["entries"][0]


def _rehashed(d: dict[str, Any]) -> None:
    d["entries"][3]["details"] = {"note": "edited"}
    d["entries"][3]["hash"] = entry_digest(d["entries"][3])


def _no_close(d: dict[str, Any]) -> None:
    d["closed"] = {"seq": 4, "hash": d["entries"][3]["hash"]}


def _other_vote(d: dict[str, Any]) -> None:
    d["vote_id"] = "evote-1-vote-9"


def _cut_after_open(d: dict[str, Any]) -> None:
    del d["entries"][4]


MUTATIONS = {f.__name__[1:]: f for f in (_removed, _changed, _reordered, _rehashed, _no_close, _other_vote, _cut_after_open)}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_mutation_fails_v28_only(name: str, sim_record: Path, copy_of) -> None:
    statuses = _statuses(_with_log(copy_of(sim_record), MUTATIONS[name]))
    assert statuses["V28"] == "failed", name
    assert {c for c, s in statuses.items() if s in ("failed", "incomplete")} == {"V28"}


def test_the_chain_names_where_it_breaks() -> None:
    doc = json.loads(VECTOR.read_text())
    entries = doc["entries"]
    entries[2]["time"] = "2026-11-28T09:02:01Z"
    with pytest.raises(ChainBroken) as caught:
        chain_head(entries)
    assert caught.value.where.endswith("entry 3") and "changed" in caught.value.what
