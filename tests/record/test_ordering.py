"""The writer's order-hiding rules refuse every way a record could leak arrival order."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from evote.crypto.group import ElementModQ
from evote.record.errors import InvalidRecord
from evote.record.ordering import check_order_hiding, tracking_code_order

DEVICE = ElementModQ.of(12345)
CLOSE = 1_795_860_900


@dataclass
class Ballot:
    object_id: str
    code: ElementModQ
    code_seed: ElementModQ = DEVICE
    timestamp: int = CLOSE


def ballots() -> list[Ballot]:
    return [Ballot("b-9f2c", ElementModQ.of(3)), Ballot("b-11ae", ElementModQ.of(0xA1))]


def test_a_record_following_the_rules_passes() -> None:
    check_order_hiding(ballots(), [DEVICE], CLOSE)
    check_order_hiding(ballots(), [DEVICE], None)
    check_order_hiding([], [], CLOSE)


def test_arrival_timestamps_are_refused() -> None:
    late = [*ballots(), Ballot("b-77d0", ElementModQ.of(9), timestamp=CLOSE - 40)]
    with pytest.raises(InvalidRecord, match="b-77d0: timestamp"):
        check_order_hiding(late, [DEVICE], CLOSE)
    with pytest.raises(InvalidRecord, match="different timestamps"):
        check_order_hiding(late, [DEVICE], None)


def test_chained_code_seeds_are_refused() -> None:
    first, second = ballots()
    second.code_seed = first.code  # the package's reference encryptor chains like this
    with pytest.raises(InvalidRecord, match="b-11ae: code_seed is not a device hash"):
        check_order_hiding([first, second], [DEVICE], CLOSE)
    with pytest.raises(InvalidRecord, match="must publish the device"):
        check_order_hiding(ballots(), [], CLOSE)


def test_counter_ids_are_refused() -> None:
    counted = [Ballot("ballot-0", ElementModQ.of(1)), Ballot("ballot-1", ElementModQ.of(2))]
    with pytest.raises(InvalidRecord, match="look like a counter"):
        check_order_hiding(counted, [DEVICE], CLOSE)
    check_order_hiding(counted[:1], [DEVICE], CLOSE)


def test_sort_key_is_the_code_as_written() -> None:
    assert sorted(ballots(), key=tracking_code_order)[0].object_id == "b-9f2c"  # "03" < "A1"
