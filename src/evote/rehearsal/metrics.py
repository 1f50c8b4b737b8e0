"""Numbers from the delegates' logs: percentiles, the slowest page, what was lost or doubled.

Percentiles are nearest-rank (the p99 of 1,000 values is the 990th smallest), so every number
printed is one that was actually measured. A page that never saw an event counts as missing,
never as fast.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from evote.rehearsal.delegate import DelegateLog


def percentile(values: Sequence[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def spread(values: Iterable[float]) -> dict[str, Any]:
    """count, p50, p99, max (seconds, rounded to the millisecond)."""
    found = [float(v) for v in values]

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 3)

    return {
        "count": len(found),
        "p50": r(percentile(found, 0.50)),
        "p99": r(percentile(found, 0.99)),
        "max": r(max(found) if found else None),
    }


def delays(logs: Sequence[DelegateLog], seen: str, vote_id: int, since: float) -> dict[str, Any]:
    """How long after `since` each page saw the vote's event `seen` (opened, closed, result);
    `missing` counts the pages that never did."""
    values: list[float] = []
    via_snapshot = 0
    for log in logs:
        if seen == "opened":
            got = log.opened_seen.get(vote_id)
            if got is not None:
                values.append(got[0] - since)
                via_snapshot += got[1] == "snapshot"
            continue
        moment = (log.closed_seen if seen == "closed" else log.result_seen).get(vote_id)
        if moment is not None:
            values.append(moment - since)
    out = spread(values)
    out["missing"] = len(logs) - len(values)
    if seen == "opened":
        out["via_snapshot"] = via_snapshot
    return out


@dataclass(frozen=True)
class Tally:
    """Whether every acknowledged ballot is in the record once, and nothing else is."""

    casters: int
    """Delegates holding a receipt."""
    unacknowledged: int
    """Delegates who encrypted a ballot but never got a receipt."""
    in_record: int
    """Cast ballots in the record."""
    lost: int
    """Receipts whose tracking code is not among the record's cast ballots."""
    doubled: int
    """Cast ballots in the record beyond one per delegate whose ballot is there (a code twice,
    or a ballot that is no delegate's)."""
    expected_totals: dict[str, int]
    """Yes/no/abstain of the delegates whose ballot is in the record."""

    def to_json(self) -> dict[str, Any]:
        return {
            "casters": self.casters, "unacknowledged": self.unacknowledged,
            "in_record": self.in_record, "lost": self.lost, "doubled": self.doubled,
            "expected_totals": self.expected_totals,
        }


def tally(logs: Sequence[DelegateLog], record_codes: Sequence[str]) -> Tally:
    codes = [c.upper() for c in record_codes]
    present = set(codes)
    with_receipt = [log for log in logs if log.receipt is not None]
    lost = sum(1 for log in with_receipt if str(log.receipt).upper() not in present)
    ours = {str(log.tracking_code).upper(): log for log in logs if log.tracking_code}
    counted = [ours[c] for c in present if c in ours]
    expected: dict[str, int] = {}
    for log in counted:
        expected[log.choice] = expected.get(log.choice, 0) + 1
    return Tally(
        casters=len(with_receipt),
        unacknowledged=sum(1 for log in logs if log.tracking_code and log.receipt is None),
        in_record=len(codes),
        lost=lost,
        doubled=len(codes) - len(counted),
        expected_totals=expected,
    )
