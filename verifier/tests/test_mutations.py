"""The mutation suite: every single change to a valid record is caught, by the right check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evote_verify.cli import main
from evote_verify.verify import verify

from .mutations import ABSENT, COPY_ID, EG, EG_KEYED, SIM


def _run_cli(record: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, [str(record), "--json", "--workers", "1"])
    return result.exit_code, json.loads(result.output)


def _assert_caught(record: Path, check_id: str) -> None:
    code, report = _run_cli(record)
    failed = {c["id"] for c in report["checks"] if c["status"] in ("failed", "incomplete")}
    assert code == 1, report
    assert check_id in failed, f"{check_id} did not catch it; failed: {sorted(failed)}; {report['failures'][:5]}"
    named = [f for f in report["failures"] if f["check"] == check_id]
    assert named and all(f["where"] and f["what"] for f in named)


@pytest.mark.parametrize("name", sorted(EG))
def test_mutation_on_eg_record(name: str, eg_record: Path, copy_of) -> None:
    mutate, check_id = EG[name]
    rec = copy_of(eg_record)
    mutate(rec)
    _assert_caught(rec, check_id)


@pytest.mark.parametrize("name", sorted(ABSENT))
def test_mutation_on_absent_guardian_record(name: str, absent_record: Path, copy_of) -> None:
    mutate, check_id = ABSENT[name]
    rec = copy_of(absent_record)
    mutate(rec)
    _assert_caught(rec, check_id)


@pytest.mark.parametrize("name", sorted(SIM))
def test_mutation_on_evote_simulate_record(name: str, sim_record: Path, copy_of) -> None:
    mutate, check_id = SIM[name]
    rec = copy_of(sim_record)
    mutate(rec)
    _assert_caught(rec, check_id)


@pytest.mark.parametrize("name", sorted(EG_KEYED))
def test_copied_ciphertexts_fail_only_weeding(name: str, eg_record: Path, eg_keys: Path, copy_of) -> None:
    """A cast ballot re-wrapped under a new id, with honest decryptions around it: every other
    check passes (that is the attack), V25 fails and names the copy and the ballot it copies."""
    from .mutations import ballot_file, load

    mutate, check_id = EG_KEYED[name]
    rec = copy_of(eg_record)
    victim = load(rec, ballot_file(rec))["object_id"]
    mutate(rec, eg_keys)
    code, report = _run_cli(rec)
    failed = {c["id"] for c in report["checks"] if c["status"] in ("failed", "incomplete")}
    assert code == 1 and failed == {check_id}, report["failures"]
    (finding,) = report["failures"]
    assert finding["where"] == f"ballot {COPY_ID}"
    assert f"also in ballot {victim} (cast)" in finding["what"] and " 9 selection ciphertexts" in finding["what"]  # all 9 of b-1, placeholders too


def test_copy_before_v25_would_have_passed(eg_record: Path, eg_keys: Path, copy_of) -> None:
    """Without V25 the re-wrapped spoiled copy verifies, and its published decryption is the
    victim's vote: the hole the check closes, shown on the record itself."""
    from .mutations import ballot_file, copied_as_spoiled, load

    rec = copy_of(eg_record)
    victim = load(rec, ballot_file(rec))
    copied_as_spoiled(rec, eg_keys)
    report = verify(rec, workers=1)
    assert report.failed_ids() == {"V25"}
    dec = load(rec, f"spoiled_ballots/spoiled_ballot_{COPY_ID}.json")
    for contest in victim["contests"]:
        for sel in contest["ballot_selections"]:
            if not sel["is_placeholder_selection"]:
                assert dec["contests"][contest["object_id"]]["selections"][sel["object_id"]]["message"] == sel["ciphertext"]


def test_suite_covers_at_least_thirty_kinds() -> None:
    assert len(EG) + len(ABSENT) >= 30


def test_batch_failure_names_the_one_bad_ballot(eg_record: Path, copy_of) -> None:
    """A bad proof inside a batch is traced back to its ballot and selection, and only that one."""
    from .mutations import ballot_file, load, sel_response

    rec = copy_of(eg_record)
    sel_response(rec)
    bad_id = load(rec, ballot_file(rec))["object_id"]
    report = verify(rec, workers=1)
    v10 = [f for f in report.failures if f.check == "V10"]
    assert len(v10) == 1
    assert f"ballot {bad_id} " in v10[0].where and "selection" in v10[0].where
    assert report.checks["V10"].checked == report.checks["V10"].failed + 35  # of 4 x 9


def test_checklist_names_the_culprit(eg_record: Path, copy_of) -> None:
    """The human checklist marks the failed check and names ballot, contest and selection."""
    from .mutations import ballot_file, first_selection, load, sel_response

    rec = copy_of(eg_record)
    sel_response(rec)
    ballot = load(rec, ballot_file(rec))
    result = CliRunner().invoke(main, [str(rec), "--workers", "1"])
    assert result.exit_code == 1
    assert "✘ V10" in result.output and "✔ V1 " in result.output
    sel_id = first_selection(ballot)["object_id"]
    contest_id = ballot["contests"][0]["object_id"]
    assert f"[V10] ballot {ballot['object_id']} / contest {contest_id} / selection {sel_id}: g^v0 != a0·α^c0" in result.output
    assert "RECORD NOT VERIFIED" in result.output


@pytest.mark.parametrize("name", ["selection proof response", "commitment outside subgroup", "contest proof response", "ciphertext outside subgroup"])
def test_batched_and_one_at_a_time_find_the_same(name: str, eg_record: Path, copy_of) -> None:
    """Batching is an optimisation only: both paths report the same failures, word for word."""
    from evote_verify.ballot_pass import check_chunk
    from evote_verify.election import build_spec
    from evote_verify.group import parse_p
    from evote_verify.record import Record

    rec = copy_of(eg_record)
    EG[name][0](rec)
    record = Record(rec)
    ctx = record.json("context.json")
    spec = build_spec(
        record.json("manifest.json"),
        parse_p(ctx["elgamal_public_key"]),
        parse_p(ctx["crypto_extended_base_hash"]),
        parse_p(ctx["manifest_hash"]),
    )
    names = record.folder("submitted_ballots")
    batched = check_chunk(record, spec, names, batch=True).report
    single = check_chunk(record, spec, names, batch=False).report
    assert batched.failures and sorted(map(str, batched.failures)) == sorted(map(str, single.failures))
    for cid in ("V9", "V10", "V11"):
        assert batched.checks[cid].failed == single.checks[cid].failed
