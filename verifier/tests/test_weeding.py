"""V25 (weeding) on its own: which repeats it finds, how it names them, and that a record of
100,000 ballots is no trouble. The attack itself, on real records, is in the mutation suite."""

from __future__ import annotations

import os
import time
from pathlib import Path

from evote_verify.ballot_pass import BallotSummary
from evote_verify.hashing import ciphertext_key, hash_texts
from evote_verify.record import Record
from evote_verify.report import Report
from evote_verify.weeding import check_weeding


def _summary(i: int, keys: list[bytes], state: int = 1) -> BallotSummary:
    return BallotSummary(f"b{i}", f"submitted_ballots/b{i}.json", state, None, None, 0, b"".join(keys))


def _record(tmp_path: Path) -> Record:
    (tmp_path / "manifest.json").write_text("{}")
    return Record(tmp_path)


def test_key_is_the_same_for_the_same_pair_whatever_its_spelling() -> None:
    """The key comes from H(α, β) over canonical hex: leading zeros in the record change nothing."""
    assert ciphertext_key(hash_texts(["0A", "0B"])) == ciphertext_key(hash_texts(["0A", "0B"]))
    assert ciphertext_key(hash_texts(["0A", "0B"])) != ciphertext_key(hash_texts(["0B", "0A"]))
    assert len(ciphertext_key(hash_texts(["0A", "0B"]))) == 16


def test_unique_ciphertexts_pass(tmp_path: Path) -> None:
    rep = Report()
    check_weeding(_record(tmp_path), [_summary(i, [os.urandom(16) for _ in range(4)]) for i in range(5)], rep)
    assert rep.checks["V25"].checked == 5 and rep.checks["V25"].failed == 0 and not rep.failures


def test_repeat_across_ballots_and_states_names_both(tmp_path: Path) -> None:
    shared = os.urandom(16)
    ballots = [_summary(0, [os.urandom(16), shared]), _summary(1, [os.urandom(16)]), _summary(2, [shared, os.urandom(16)], state=2)]
    rep = Report()
    check_weeding(_record(tmp_path), ballots, rep)
    (f,) = rep.failures
    assert (f.check, f.where) == ("V25", "ballot b2")
    assert "(spoiled) 1 selection ciphertext (α, β) also in ballot b0 (cast)" in f.what
    assert "publishes the cast ballot's choice" in f.what
    assert rep.checks["V25"].checked == 3 and rep.checks["V25"].failed == 1


def test_repeat_within_one_ballot_and_with_several_ballots(tmp_path: Path) -> None:
    k = os.urandom(16)
    ballots = [_summary(0, [k, k]), _summary(1, [k]), _summary(2, [k])]
    rep = Report()
    check_weeding(_record(tmp_path), ballots, rep)
    assert [f.where for f in rep.failures] == ["ballot b0", "ballot b1", "ballot b2"]
    assert "repeated within the ballot" in rep.failures[0].what
    assert "also in ballot b0 (cast)" in rep.failures[2].what and "counted twice" in rep.failures[2].what


def test_one_copy_among_a_million_ciphertexts(tmp_path: Path) -> None:
    """100,000 ballots of 10 selections: the single repeat is found, in seconds (the ballot
    pass of such a record takes minutes)."""
    ballots = [_summary(i, [os.urandom(16) for _ in range(10)]) for i in range(100_000)]
    ballots[77_777] = _summary(77_777, [os.urandom(16) for _ in range(9)] + [ballots[123].ciphertexts[32:48]])
    rep = Report()
    start = time.process_time()
    check_weeding(_record(tmp_path), ballots, rep)
    assert time.process_time() - start < 20
    assert [(f.where, "also in ballot b123" in f.what) for f in rep.failures] == [("ballot b77777", True)]
    assert rep.checks["V25"].checked == 100_000
