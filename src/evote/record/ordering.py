"""The rules that keep a published record from revealing the order in which ballots arrived.

docs/record.md ("The record does not reveal the order of arrival") explains each rule and why
the package's own checks still accept a record that follows them.  `check_order_hiding` is run
by `write_record` on every record evote publishes; records read from elsewhere (an `eg e2e`
record chains its ballots) are not held to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from evote.crypto.group import ElementModQ

from .errors import InvalidRecord

_COUNTER_ID = re.compile(r"(.*?)(\d+)")


class PublishedBallot(Protocol):
    @property
    def object_id(self) -> str: ...
    @property
    def code(self) -> ElementModQ: ...
    @property
    def code_seed(self) -> ElementModQ: ...
    @property
    def timestamp(self) -> int: ...


def tracking_code_order(ballot: PublishedBallot) -> str:
    """Sort key: the tracking code as it is spelled in the file, so any reader can redo it."""
    return ballot.code.to_hex()


def check_order_hiding(
    ballots: Sequence[PublishedBallot],
    device_hashes: Iterable[ElementModQ],
    ballot_timestamp: int | None,
) -> None:
    """Raise `InvalidRecord` naming the first ballot that would leak arrival order."""
    seeds = set(device_hashes)
    if ballots and not seeds:
        raise InvalidRecord("a record with ballots must publish the device that seeds their codes")
    timestamps = {b.timestamp for b in ballots}
    if ballot_timestamp is None and len(timestamps) > 1:
        raise InvalidRecord("ballots carry different timestamps, which reveals their order")
    for ballot in ballots:
        if ballot_timestamp is not None and ballot.timestamp != ballot_timestamp:
            raise InvalidRecord(
                f"ballot {ballot.object_id}: timestamp {ballot.timestamp} is not the vote's "
                f"ballot_timestamp {ballot_timestamp}; arrival times must not be published"
            )
        if ballot.code_seed not in seeds:
            raise InvalidRecord(
                f"ballot {ballot.object_id}: code_seed is not a device hash; chained tracking "
                "codes reveal the order of arrival"
            )
    _check_ids(ballots)


def _check_ids(ballots: Sequence[PublishedBallot]) -> None:
    """Refuse ids that all look like `<prefix><counter>`: file names must not count arrivals."""
    if len(ballots) < 2:
        return
    prefixes = set()
    for ballot in ballots:
        match = _COUNTER_ID.fullmatch(ballot.object_id)
        if match is None:
            return
        prefixes.add(match.group(1))
    if len(prefixes) == 1:
        raise InvalidRecord(
            f"ballot ids look like a counter ({ballots[0].object_id!r}, ...); "
            "published ballot ids must be random"
        )
